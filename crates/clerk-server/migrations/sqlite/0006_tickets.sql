-- Tickets: sign-in tokens, actor tokens and invitations (a single-use credential a user redeems for a
-- session), and testing tokens (accepted by the Frontend API until they expire).

CREATE TABLE tickets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    -- 'sign_in_token' or 'actor_token'.
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    -- The signed ticket itself; redemption finds it by this value.
    token TEXT NOT NULL UNIQUE,
    -- 'pending', 'accepted' or 'revoked'.
    status TEXT NOT NULL,
    -- An actor token's actor (JSON object).
    actor TEXT,
    -- An actor token's session lifetime, in milliseconds.
    session_max_duration_ms BIGINT,
    -- A sign-in token's organization, made active in its session.
    organization_id TEXT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE testing_tokens (
    seq INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX testing_tokens_expires_at ON testing_tokens (expires_at);

-- Instance invitations: an email address invited to sign up, with the public metadata the
-- new user gets; the ticket (token) redeems it. Its stored status is pending, accepted or
-- revoked; a pending one past expires_at reads as expired.
CREATE TABLE invitations (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    email_address TEXT NOT NULL,
    public_metadata TEXT NOT NULL,
    redirect_url TEXT,
    status TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX invitations_email_address ON invitations (email_address, status);
CREATE INDEX invitations_created_at ON invitations (created_at, seq);
