-- Webhooks: the endpoints events are delivered to, every event (a Svix "message") written
-- in the transaction of the change that emitted it, one delivery per message and endpoint
-- (its state and next attempt), and the attempts made.

CREATE TABLE webhook_endpoints (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    description TEXT,
    -- A JSON array of event types, or NULL for every type.
    filter_types TEXT,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE webhook_messages (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    -- The exact bytes every attempt sends and signs.
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_messages_created_at ON webhook_messages (created_at, seq);

CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    message_seq BIGINT NOT NULL,
    endpoint_id TEXT NOT NULL,
    -- pending, succeeded or failed (every attempt of the schedule failed).
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    -- When the next attempt is due; NULL once succeeded or failed.
    next_attempt_at BIGINT,
    -- A replica sending it holds it until then; a replica that died lets it go.
    lease_until BIGINT,
    -- scheduled, or manual for a resend (one attempt, no retries).
    trigger_type TEXT NOT NULL,
    UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, message_seq)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id);

CREATE TABLE webhook_attempts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    url TEXT NOT NULL,
    -- succeeded or failed.
    status TEXT NOT NULL,
    response_status_code INTEGER,
    response TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    -- scheduled or manual (a resend).
    trigger_type TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, seq);
