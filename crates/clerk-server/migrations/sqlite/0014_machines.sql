-- Machines and their M2M tokens. A machine's secret key is kept twice: sealed by the vault
-- on the machine's row (so GET /v1/machines/{id}/secret_key can answer it), and as a
-- SHA-256 digest in machine_secret_keys, where requests look it up (a key rotated away
-- stays there until its grace period ends). An opaque M2M token is looked up by its digest
-- too; its sealed copy only serves token reuse (min_remaining_ttl_seconds).

CREATE TABLE machines (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- lower(name), for the list's partial, case-insensitive name match.
    name_lower TEXT NOT NULL,
    default_token_ttl BIGINT NOT NULL,
    -- The current secret key, sealed (context: the machine's id).
    secret_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX machines_created_at ON machines (created_at, seq);
CREATE INDEX machines_name ON machines (name_lower, seq);

CREATE TABLE machine_secret_keys (
    digest TEXT PRIMARY KEY,
    machine_id TEXT NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
    -- NULL for the current key; when a rotated-away key stops working.
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX machine_secret_keys_machine ON machine_secret_keys (machine_id);

CREATE TABLE machine_scopes (
    from_machine_id TEXT NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
    to_machine_id TEXT NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (from_machine_id, to_machine_id)
);
CREATE INDEX machine_scopes_to ON machine_scopes (to_machine_id);

CREATE TABLE m2m_tokens (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL UNIQUE,
    -- The token, sealed (context: the token's id).
    token TEXT NOT NULL,
    subject TEXT NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
    -- JSON, or NULL.
    claims TEXT,
    -- JSON array of the machine ids the token may call.
    scopes TEXT NOT NULL,
    revoked BIGINT NOT NULL,
    revocation_reason TEXT,
    expiration BIGINT,
    last_used_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX m2m_tokens_subject ON m2m_tokens (subject, created_at, seq);
CREATE INDEX m2m_tokens_created_at ON m2m_tokens (created_at, seq);
