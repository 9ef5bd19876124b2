-- Sessions of the local dashboard (a person signed in with the secret key). The row is
-- keyed by the SHA-256 of the random id in the person's cookie, so the table alone cannot
-- sign anyone in; the CSRF token of the session's forms lives beside it. Stored here (not in
-- a replica's memory) so that any replica behind a load balancer accepts the cookie.
CREATE TABLE dashboard_sessions (
    id_hash TEXT PRIMARY KEY,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_expires_at ON dashboard_sessions (expires_at);
