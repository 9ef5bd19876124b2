-- JWT templates: named claim templates that session tokens are minted from. A custom
-- signing key is stored sealed by the vault (never in plain text, never answered).

CREATE TABLE jwt_templates (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    -- The template's claims, a JSON object.
    claims TEXT NOT NULL,
    lifetime BIGINT NOT NULL,
    allowed_clock_skew BIGINT NOT NULL,
    custom_signing_key BIGINT NOT NULL,
    signing_algorithm TEXT NOT NULL,
    -- The sealed custom key, or NULL when the instance's keys sign.
    signing_key TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jwt_templates_created_at ON jwt_templates (created_at, seq);
