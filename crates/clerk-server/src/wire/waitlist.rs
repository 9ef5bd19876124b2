//! `waitlist_entry` objects.

use serde::Serialize;

use crate::store::waitlist::WaitlistEntry;

/// A `waitlist_entry` object. `invitation` is `null`: this server does not create an
/// instance invitation for an invited entry yet (see server.md, "Waitlist entries").
#[derive(Serialize)]
pub(crate) struct WaitlistEntryJson {
    object: &'static str,
    id: String,
    email_address: String,
    status: String,
    is_locked: bool,
    invitation: Option<()>,
    created_at: i64,
    updated_at: i64,
}

impl WaitlistEntryJson {
    pub(crate) fn new(entry: &WaitlistEntry) -> Self {
        Self {
            object: "waitlist_entry",
            id: entry.id.clone(),
            email_address: entry.email_address.clone(),
            status: entry.status.clone(),
            is_locked: false,
            invitation: None,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}
