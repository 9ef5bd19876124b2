//! `waitlist_entry` objects.

use serde::Serialize;

use super::InstanceInvitationJson;
use crate::store::invitations::Invitation;
use crate::store::waitlist::WaitlistEntry;

/// A `waitlist_entry` object; `invitation` is the instance invitation made when the entry
/// was invited (`null` before).
#[derive(Serialize)]
pub(crate) struct WaitlistEntryJson {
    object: &'static str,
    id: String,
    email_address: String,
    status: String,
    is_locked: bool,
    invitation: Option<serde_json::Value>,
    created_at: i64,
    updated_at: i64,
}

impl WaitlistEntryJson {
    /// The entry as of `now_ms`, its invitation's `url` built on `base` (the issuer).
    pub(crate) fn new(
        entry: &WaitlistEntry,
        invitation: Option<&Invitation>,
        base: &str,
        now_ms: i64,
    ) -> Self {
        Self {
            object: "waitlist_entry",
            id: entry.id.clone(),
            email_address: entry.email_address.clone(),
            status: entry.status.clone(),
            is_locked: false,
            invitation: invitation.and_then(|item| {
                serde_json::to_value(InstanceInvitationJson::new(item, base, now_ms)).ok()
            }),
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}
