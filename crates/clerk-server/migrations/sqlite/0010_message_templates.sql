-- Email and SMS templates the instance has edited (or whose delivery it toggled). Clerk's
-- default templates are a catalog in code (domain/message_templates/catalog.rs); a row
-- here overrides the default of its type and slug, and reverting deletes it.

CREATE TABLE message_templates (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    -- `email` or `sms`.
    template_type TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    subject TEXT,
    markup TEXT NOT NULL,
    body TEXT NOT NULL,
    from_email_name TEXT NOT NULL,
    reply_to_email_name TEXT NOT NULL,
    delivered_by_clerk BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (template_type, slug)
);
