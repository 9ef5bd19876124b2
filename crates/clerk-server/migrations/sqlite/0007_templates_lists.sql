-- The block-list and the instance's redirect URLs.
CREATE TABLE blocklist_identifiers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    identifier_type TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX blocklist_identifiers_created_at ON blocklist_identifiers (created_at, seq);

CREATE TABLE redirect_urls (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX redirect_urls_created_at ON redirect_urls (created_at, seq);
