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
