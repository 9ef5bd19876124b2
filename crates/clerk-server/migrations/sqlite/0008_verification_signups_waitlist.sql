-- Waitlist entries and identification verifications (issue 15).
-- Waitlist entries: an email address waiting to be invited. `status` is pending, invited,
-- rejected or completed; an address is on the waitlist at most once.

CREATE TABLE waitlist_entries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    -- Lowercase.
    email_address TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    invited_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX waitlist_entries_created_at ON waitlist_entries (created_at, seq);
CREATE INDEX waitlist_entries_status_created_at ON waitlist_entries (status, created_at, seq);
CREATE INDEX waitlist_entries_invited_at ON waitlist_entries (invited_at, seq);

-- One-time codes sent to an email address or phone number (prepare_verification) and
-- checked by attempt_verification. The code is kept only as a SHA-256 digest of the
-- verification's id and the code. `status` is unverified, verified or failed (`expired`
-- is read from expire_at).
CREATE TABLE identification_verifications (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    identification_id TEXT NOT NULL REFERENCES identifications (id) ON DELETE CASCADE,
    strategy TEXT NOT NULL,
    code_digest TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    expire_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX identification_verifications_identification ON identification_verifications (identification_id);

-- Sign-up attempts (`sua_` ids): what a browser sign-up has collected so far. The Frontend
-- API's sign-ups are these rows; the Backend API reads and patches them. `fields` holds the
-- required, optional, missing and unverified field lists; `verifications` one entry per
-- identifier. `abandoned` is read from abandon_at.
CREATE TABLE sign_ups (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    fields TEXT NOT NULL,
    verifications TEXT NOT NULL,
    username TEXT,
    email_address TEXT,
    phone_number TEXT,
    web3_wallet TEXT,
    first_name TEXT,
    last_name TEXT,
    unsafe_metadata TEXT NOT NULL,
    public_metadata TEXT NOT NULL,
    custom_action BIGINT NOT NULL,
    external_id TEXT,
    created_session_id TEXT,
    created_user_id TEXT,
    abandon_at BIGINT NOT NULL,
    legal_accepted_at BIGINT,
    locale TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
