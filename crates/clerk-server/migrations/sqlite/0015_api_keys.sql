-- API keys and OAuth applications (issue 17).
--
-- An API key's secret (`ak_…`) is kept twice: as its SHA-256 (hex, unique, indexed) to find
-- the key a verification presents, and sealed by the vault (its context is the key's id) so
-- that `GET /api_keys/{id}/secret` can show it again. `scopes` is a JSON array, `claims`
-- JSON or NULL; `kind` is the key's `type` (`api_key`).
CREATE TABLE api_keys (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    claims TEXT,
    scopes TEXT NOT NULL,
    secret_digest TEXT NOT NULL UNIQUE,
    secret_sealed TEXT NOT NULL,
    revoked BIGINT NOT NULL,
    revocation_reason TEXT,
    expiration BIGINT,
    created_by TEXT,
    last_used_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX api_keys_subject ON api_keys (subject, created_at, seq);

-- OAuth applications (`oa_` ids). The client secret is shown once (at creation and
-- rotation) and kept only as its SHA-256. `redirect_uris` is a JSON array; `scopes` the
-- space-separated string Clerk answers; `image_id` the uploaded logo (`images`).
CREATE TABLE oauth_applications (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_digest TEXT,
    client_uri TEXT,
    image_id TEXT,
    dynamically_registered BIGINT NOT NULL,
    consent_screen_enabled BIGINT NOT NULL,
    pkce_required BIGINT NOT NULL,
    public BIGINT NOT NULL,
    scopes TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX oauth_applications_created_at ON oauth_applications (created_at, seq);

-- OAuth access tokens an application holds for a user (`oat_` ids), opaque or JWT: either
-- way the token is kept as its SHA-256 (unique, indexed), and a JWT's `jti` is the id.
-- They go with their application.
CREATE TABLE oauth_access_tokens (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    application_id TEXT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    scopes TEXT NOT NULL,
    format TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    revoked BIGINT NOT NULL,
    revocation_reason TEXT,
    expiration BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX oauth_access_tokens_application ON oauth_access_tokens (application_id);
