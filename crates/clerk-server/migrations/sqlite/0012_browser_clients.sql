-- The Frontend API (issue 16): browser clients and their sign-in attempts.
-- A client a browser holds (through its `__client` cookie) keeps its current sign-in and
-- sign-up and the strategy of its last sign-in; `ended_at` is set when the browser destroys
-- it (its cookie stops working; its sessions stay, ended, for the Backend API to read).
ALTER TABLE clients ADD COLUMN sign_in_id TEXT;
ALTER TABLE clients ADD COLUMN sign_up_id TEXT;
ALTER TABLE clients ADD COLUMN last_authentication_strategy TEXT;
ALTER TABLE clients ADD COLUMN ended_at BIGINT;

-- Sign-in attempts (`sia_` ids). `first_factor` is the JSON of the first factor's
-- verification (strategy, status, attempts, expire_at, and for codes the id of the code
-- sent; `{}` before one is chosen); `abandoned` is read from abandon_at.
CREATE TABLE sign_ins (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    identifier TEXT,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    first_factor TEXT NOT NULL,
    created_session_id TEXT,
    abandon_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sign_ins_client ON sign_ins (client_id);
CREATE INDEX sign_ins_user ON sign_ins (user_id);

-- A browser's sign-up (the Frontend API): its client, the password it collected (a
-- digest) and the pending one-time code of its email address or phone number (JSON: the
-- code's id, a digest of it, the identifier it was sent to, attempts, expiry; `{}` when
-- none).
ALTER TABLE sign_ups ADD COLUMN client_id TEXT;
ALTER TABLE sign_ups ADD COLUMN password_digest TEXT;
ALTER TABLE sign_ups ADD COLUMN pending_code TEXT NOT NULL DEFAULT '{}';
