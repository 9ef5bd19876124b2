-- An invited waitlist entry names the instance invitation made for it (issue 15): the entry
-- answers it as its `invitation`, and accepting that invitation completes the entry.
ALTER TABLE waitlist_entries ADD COLUMN invitation_id TEXT;
CREATE INDEX waitlist_entries_invitation_id ON waitlist_entries (invitation_id);
