-- The instance's satellite domains (the primary domain is the server's own URL, not a
-- row). Names are unique among satellites; the primary's name is checked in code.

CREATE TABLE domains (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    proxy_url TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
