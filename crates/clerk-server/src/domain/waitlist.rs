//! The waitlist: adding email addresses (one or a batch), inviting, rejecting and deleting
//! entries. Every change emits `waitlistEntry.created` or `waitlistEntry.updated` in its
//! unit of work; the confirmation and invitation emails go to the outbox in the same one.

use super::error::{Result, Rule, RuleKind};
use super::identifiers::normalize_email;
use super::message_templates::render;
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::waitlist::{self, WaitlistEntry};
use crate::store::{UnitOfWork, organizations::invitations::user_with_email};
use crate::wire::WaitlistEntryJson;
use serde_json::json;

/// The most entries one bulk request may add (the spec's `maxItems`).
pub(crate) const MAX_BULK: usize = 50;

/// An address to add, and whether to send it the confirmation email.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry {
    pub email_address: String,
    pub notify: bool,
}

/// Adds an address to the waitlist; an address already on it returns its entry unchanged.
pub(crate) async fn add(svc: &Services, new: NewEntry) -> Result<WaitlistEntry> {
    Ok(add_bulk(svc, vec![new]).await?.remove(0))
}

/// Adds addresses to the waitlist together (all or none); addresses already on it return
/// their entries unchanged. The same address twice in one request is refused.
pub(crate) async fn add_bulk(svc: &Services, news: Vec<NewEntry>) -> Result<Vec<WaitlistEntry>> {
    let mut addresses = Vec::with_capacity(news.len());
    for (index, new) in news.iter().enumerate() {
        let param = if news.len() == 1 {
            "email_address".to_owned()
        } else {
            format!("[{index}].email_address")
        };
        let address = normalize_email(&param, &new.email_address)?;
        if addresses.contains(&address) {
            return Err(Rule::input(
                "duplicate_record",
                &param,
                "duplicate email address",
                format!("{address} appears more than once in the request."),
            )
            .into());
        }
        addresses.push(address);
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut entries = Vec::with_capacity(news.len());
    for (address, new) in addresses.into_iter().zip(&news) {
        if let Some(existing) = waitlist::by_email(work.tx(), &address).await? {
            entries.push(existing);
            continue;
        }
        let entry = WaitlistEntry {
            id: ids::new_id(prefix::WAITLIST_ENTRY, now),
            email_address: address,
            status: "pending".to_owned(),
            invited_at: None,
            created_at: now,
            updated_at: now,
        };
        if !waitlist::insert(work.tx(), &entry).await? {
            // Added by a concurrent request since the read above: answer its entry.
            if let Some(existing) = waitlist::by_email(work.tx(), &entry.email_address).await? {
                entries.push(existing);
                continue;
            }
        }
        let view = WaitlistEntryJson::new(&entry);
        svc.events
            .emit(&mut work, "waitlistEntry.created", &view, now)
            .await?;
        if new.notify {
            let recipient = render::Recipient {
                to: &entry.email_address,
                identification_id: None,
                user_id: None,
            };
            render::email(
                svc,
                &mut work,
                "waitlist_confirmation",
                recipient,
                json!({}),
                now,
            )
            .await?;
        }
        entries.push(entry);
    }
    work.commit().await?;
    Ok(entries)
}

/// Invites an entry: it becomes `invited` and its address gets the `waitlist_invitation`
/// email. Without `ignore_existing`, an entry already invited and an address a user
/// already has are refused.
pub(crate) async fn invite(
    svc: &Services,
    id: &str,
    ignore_existing: bool,
) -> Result<WaitlistEntry> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut entry = waitlist::lock(work.tx(), svc.store.dialect(), id).await?;
    if entry.status == "completed" {
        return Err(completed(&entry).into());
    }
    if !ignore_existing {
        if entry.status == "invited" {
            return Err(Rule::refused(
                "duplicate_record",
                "already invited",
                format!("The waitlist entry {} was already invited.", entry.id),
            )
            .with_kind(RuleKind::Conflict)
            .into());
        }
        if user_with_email(work.tx(), &entry.email_address)
            .await?
            .is_some()
        {
            return Err(Rule::input(
                "form_identifier_exists",
                "email_address",
                "That email address is taken. Please try another.",
                "That email address is taken. Please try another.",
            )
            .into());
        }
    }
    entry.status = "invited".to_owned();
    entry.invited_at = Some(now);
    entry.updated_at = now;
    waitlist::save(work.tx(), &entry).await?;
    let view = WaitlistEntryJson::new(&entry);
    svc.events
        .emit(&mut work, "waitlistEntry.updated", &view, now)
        .await?;
    let recipient = render::Recipient {
        to: &entry.email_address,
        identification_id: None,
        user_id: None,
    };
    let values = json!({
        "action_url": format!("{}/sign-up", svc.issuer.trim_end_matches('/')),
    });
    render::email(
        svc,
        &mut work,
        "waitlist_invitation",
        recipient,
        values,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(entry)
}

/// Rejects an entry (an entry already rejected is returned unchanged).
pub(crate) async fn reject(svc: &Services, id: &str) -> Result<WaitlistEntry> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut entry = waitlist::lock(work.tx(), svc.store.dialect(), id).await?;
    match entry.status.as_str() {
        "completed" => return Err(completed(&entry).into()),
        "rejected" => return Ok(entry),
        _ => {}
    }
    entry.status = "rejected".to_owned();
    entry.updated_at = now;
    waitlist::save(work.tx(), &entry).await?;
    let view = WaitlistEntryJson::new(&entry);
    svc.events
        .emit(&mut work, "waitlistEntry.updated", &view, now)
        .await?;
    work.commit().await?;
    Ok(entry)
}

/// Deletes a pending entry; an entry in another status is refused.
pub(crate) async fn remove(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let entry = waitlist::lock(work.tx(), svc.store.dialect(), id).await?;
    if entry.status != "pending" {
        return Err(Rule::refused(
            "waitlist_entry_not_pending",
            "not pending",
            format!(
                "Only a pending waitlist entry can be deleted; {} is {}.",
                entry.id, entry.status
            ),
        )
        .with_kind(RuleKind::Conflict)
        .into());
    }
    waitlist::delete(work.tx(), id).await?;
    work.commit().await?;
    Ok(())
}

fn completed(entry: &WaitlistEntry) -> Rule {
    Rule::refused(
        "waitlist_entry_completed",
        "already completed",
        format!(
            "The waitlist entry {} has already completed its sign-up.",
            entry.id
        ),
    )
    .with_kind(RuleKind::Conflict)
}
