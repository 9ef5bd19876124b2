-- clerk-server schema, SQLite flavour. Booleans are 0/1 integers, timestamps unix
-- milliseconds, JSON documents text. `seq` is the insertion order: lists order by it within
-- equal timestamps, and it is the rowid the full-text index points at.

CREATE TABLE instance (
    id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- SHA-256 digests of the accepted secret keys; the keys themselves are never stored.
CREATE TABLE secret_keys (
    key_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE signing_keys (
    seq INTEGER PRIMARY KEY,
    kid TEXT NOT NULL UNIQUE,
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE INDEX signing_keys_retired_at ON signing_keys (retired_at);

CREATE TABLE users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    external_id TEXT UNIQUE,
    username TEXT UNIQUE,
    first_name TEXT,
    last_name TEXT,
    locale TEXT,
    password_digest TEXT,
    password_hasher TEXT,
    password_last_updated_at BIGINT,
    primary_email_address_id TEXT,
    primary_phone_number_id TEXT,
    primary_web3_wallet_id TEXT,
    public_metadata TEXT NOT NULL,
    private_metadata TEXT NOT NULL,
    unsafe_metadata TEXT NOT NULL,
    totp_enabled BIGINT NOT NULL DEFAULT 0,
    backup_code_enabled BIGINT NOT NULL DEFAULT 0,
    mfa_enabled_at BIGINT,
    mfa_disabled_at BIGINT,
    banned BIGINT NOT NULL DEFAULT 0,
    locked_at BIGINT,
    delete_self_enabled BIGINT NOT NULL DEFAULT 1,
    create_organization_enabled BIGINT NOT NULL DEFAULT 1,
    create_organizations_limit BIGINT,
    bypass_client_trust BIGINT NOT NULL DEFAULT 0,
    legal_accepted_at BIGINT,
    last_sign_in_at BIGINT,
    last_active_at BIGINT,
    -- Derived from the identifications, kept by the store: sort keys for order_by and the
    -- lowercase haystacks of the `query`/`*_query` filters.
    sort_email TEXT,
    sort_phone TEXT,
    sort_web3 TEXT,
    search_all TEXT NOT NULL DEFAULT '',
    search_email TEXT NOT NULL DEFAULT '',
    search_phone TEXT NOT NULL DEFAULT '',
    search_username TEXT NOT NULL DEFAULT '',
    search_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_created_at ON users (created_at, seq);
CREATE INDEX users_updated_at ON users (updated_at, seq);
CREATE INDEX users_first_name ON users (first_name, seq);
CREATE INDEX users_last_name ON users (last_name, seq);
CREATE INDEX users_username_order ON users (username, seq);
CREATE INDEX users_sort_email ON users (sort_email, seq);
CREATE INDEX users_sort_phone ON users (sort_phone, seq);
CREATE INDEX users_sort_web3 ON users (sort_web3, seq);
CREATE INDEX users_last_active_at ON users (last_active_at, seq);
CREATE INDEX users_last_sign_in_at ON users (last_sign_in_at, seq);
CREATE INDEX users_banned ON users (banned);

-- Trigram index over the search haystacks; rowid = users.seq.
CREATE VIRTUAL TABLE users_fts USING fts5 (
    all_text, email, phone, username, name,
    tokenize = 'trigram'
);
CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, all_text, email, phone, username, name)
    VALUES (new.seq, new.search_all, new.search_email, new.search_phone, new.search_username, new.search_name);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_fts WHERE rowid = old.seq;
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF search_all, search_email, search_phone, search_username, search_name ON users BEGIN
    UPDATE users_fts
    SET all_text = new.search_all, email = new.search_email, phone = new.search_phone,
        username = new.search_username, name = new.search_name
    WHERE rowid = new.seq;
END;

-- Email addresses, phone numbers and web3 wallets (Clerk's "identifications", idn_ ids).
CREATE TABLE identifications (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    verified BIGINT NOT NULL,
    reserved BIGINT NOT NULL DEFAULT 0,
    reserved_for_second_factor BIGINT NOT NULL DEFAULT 0,
    default_second_factor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX identifications_user_id ON identifications (user_id, seq);

CREATE TABLE clients (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    last_active_session_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX clients_created_at ON clients (created_at, seq);

CREATE TABLE sessions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    last_active_organization_id TEXT,
    actor TEXT,
    last_active_at BIGINT NOT NULL,
    expire_at BIGINT NOT NULL,
    abandon_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id, created_at, seq);
CREATE INDEX sessions_client_id ON sessions (client_id, created_at, seq);
CREATE INDEX sessions_status ON sessions (status, expire_at);

CREATE TABLE allowlist_identifiers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    identifier_type TEXT NOT NULL,
    invitation_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX allowlist_identifiers_created_at ON allowlist_identifiers (created_at, seq);

-- Emails and SMS messages "sent" by the server; payload is the email / sms_message object.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    user_id TEXT,
    status TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_created_at ON outbox (created_at, seq);
CREATE INDEX outbox_kind ON outbox (kind, created_at, seq);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at, seq);
