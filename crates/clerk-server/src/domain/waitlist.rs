//! The waitlist: adding email addresses (one or a batch), inviting, rejecting and deleting
//! entries. Every change emits `waitlistEntry.created` or `waitlistEntry.updated` in its
//! unit of work; the confirmation and invitation emails go to the outbox in the same one.
//!
//! Inviting an entry makes (or reuses) a pending instance invitation for its address, as
//! Clerk does: the entry names it as its `invitation`, the email links to its ticket, and
//! accepting that invitation completes the entry ([`complete_invited`]).

use super::error::{Result, Rule, RuleKind};
use super::identifiers::normalize_email;
use super::invitations as invitations_domain;
use super::message_templates::render;
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::invitations::{self, Invitation};
use crate::store::waitlist::{self, WaitlistEntry};
use crate::store::{UnitOfWork, organizations::invitations::user_with_email};
use crate::wire::WaitlistEntryJson;
use serde_json::json;

/// An entry and the instance invitation made when it was invited, if it was.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub entry: WaitlistEntry,
    pub invitation: Option<Invitation>,
}

impl Entry {
    /// Its `waitlist_entry` object as of `now_ms`.
    pub(crate) fn view(&self, svc: &Services, now_ms: i64) -> WaitlistEntryJson {
        WaitlistEntryJson::new(&self.entry, self.invitation.as_ref(), &svc.issuer, now_ms)
    }
}

/// Reads, inside `work`, the invitation an entry names.
async fn with_invitation(work: &mut UnitOfWork, entry: WaitlistEntry) -> Result<Entry> {
    let invitation = match &entry.invitation_id {
        Some(id) => invitations::load(work.tx(), id).await?,
        None => None,
    };
    Ok(Entry { entry, invitation })
}

/// Pairs listed entries with their invitations (one read for the page).
pub(crate) async fn with_invitations(
    svc: &Services,
    entries: Vec<WaitlistEntry>,
) -> Result<Vec<Entry>> {
    let ids: Vec<String> = entries
        .iter()
        .filter_map(|e| e.invitation_id.clone())
        .collect();
    let mut found = svc.store.invitations_by_id(&ids).await?;
    Ok(entries
        .into_iter()
        .map(|entry| {
            let invitation = entry.invitation_id.as_ref().and_then(|id| {
                let at = found.iter().position(|i| &i.id == id)?;
                Some(found.swap_remove(at))
            });
            Entry { entry, invitation }
        })
        .collect())
}

/// The most entries one bulk request may add (the spec's `maxItems`).
pub(crate) const MAX_BULK: usize = 50;

/// An address to add, and whether to send it the confirmation email.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry {
    pub email_address: String,
    pub notify: bool,
}

/// Adds an address to the waitlist; an address already on it returns its entry unchanged.
pub(crate) async fn add(svc: &Services, new: NewEntry) -> Result<Entry> {
    Ok(add_bulk(svc, vec![new]).await?.remove(0))
}

/// Adds addresses to the waitlist together (all or none); addresses already on it return
/// their entries unchanged. The same address twice in one request is refused.
pub(crate) async fn add_bulk(svc: &Services, news: Vec<NewEntry>) -> Result<Vec<Entry>> {
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
            entries.push(with_invitation(&mut work, existing).await?);
            continue;
        }
        let entry = WaitlistEntry {
            id: ids::new_id(prefix::WAITLIST_ENTRY, now),
            email_address: address,
            status: "pending".to_owned(),
            invited_at: None,
            invitation_id: None,
            created_at: now,
            updated_at: now,
        };
        if !waitlist::insert(work.tx(), &entry).await? {
            // Added by a concurrent request since the read above: answer its entry.
            if let Some(existing) = waitlist::by_email(work.tx(), &entry.email_address).await? {
                entries.push(with_invitation(&mut work, existing).await?);
                continue;
            }
        }
        let entry = Entry {
            entry,
            invitation: None,
        };
        let view = entry.view(svc, now);
        svc.events
            .emit(&mut work, "waitlistEntry.created", &view, now)
            .await?;
        if new.notify {
            let recipient = render::Recipient {
                to: &entry.entry.email_address,
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

/// Invites an entry: it becomes `invited`, names a pending instance invitation for its
/// address (the one it already has or the address's pending one if still pending, else a
/// new one), and its address gets the `waitlist_invitation` email linking to that
/// invitation's ticket. Without `ignore_existing`, an entry already invited and an address
/// a user already has are refused.
pub(crate) async fn invite(svc: &Services, id: &str, ignore_existing: bool) -> Result<Entry> {
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
    let invitation = invitation_for(svc, &mut work, &entry, now).await?;
    entry.status = "invited".to_owned();
    entry.invited_at = Some(now);
    entry.invitation_id = Some(invitation.id.clone());
    entry.updated_at = now;
    waitlist::save(work.tx(), &entry).await?;
    let entry = Entry {
        entry,
        invitation: Some(invitation),
    };
    let view = entry.view(svc, now);
    svc.events
        .emit(&mut work, "waitlistEntry.updated", &view, now)
        .await?;
    let recipient = render::Recipient {
        to: &entry.entry.email_address,
        identification_id: None,
        user_id: None,
    };
    let action_url = entry
        .invitation
        .as_ref()
        .map(|i| invitations_domain::url(i, &svc.issuer));
    render::email(
        svc,
        &mut work,
        "waitlist_invitation",
        recipient,
        json!({ "action_url": action_url }),
        now,
    )
    .await?;
    work.commit().await?;
    Ok(entry)
}

/// The pending invitation an invited entry names: the one it has, else its address's
/// pending one (made through `POST /v1/invitations`), else a new one.
async fn invitation_for(
    svc: &Services,
    work: &mut UnitOfWork,
    entry: &WaitlistEntry,
    now: i64,
) -> Result<Invitation> {
    if let Some(id) = &entry.invitation_id
        && let Some(current) = invitations::load(work.tx(), id).await?
        && current.status(now) == invitations::PENDING
    {
        return Ok(current);
    }
    if let Some(pending) = invitations::pending_for(work.tx(), &entry.email_address, now).await? {
        return Ok(pending);
    }
    invitations_domain::insert_pending(svc, work, &entry.email_address, now).await
}

/// Completes the invited entry whose invitation was just accepted (in the acceptance's
/// unit of work), with its `waitlistEntry.updated`; nothing if no entry names it.
pub(crate) async fn complete_invited(
    svc: &Services,
    work: &mut UnitOfWork,
    invitation_id: &str,
    now: i64,
) -> Result<()> {
    let dialect = svc.store.dialect();
    let Some(mut entry) =
        waitlist::lock_invited_by_invitation(work.tx(), dialect, invitation_id).await?
    else {
        return Ok(());
    };
    entry.status = "completed".to_owned();
    entry.updated_at = now;
    waitlist::save(work.tx(), &entry).await?;
    let entry = with_invitation(work, entry).await?;
    let view = entry.view(svc, now);
    svc.events
        .emit(work, "waitlistEntry.updated", &view, now)
        .await?;
    Ok(())
}

/// Rejects an entry (an entry already rejected is returned unchanged).
pub(crate) async fn reject(svc: &Services, id: &str) -> Result<Entry> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut entry = waitlist::lock(work.tx(), svc.store.dialect(), id).await?;
    match entry.status.as_str() {
        "completed" => return Err(completed(&entry).into()),
        "rejected" => return with_invitation(&mut work, entry).await,
        _ => {}
    }
    // A rejected address is not let in: the invitation it was sent stops working.
    if let Some(invitation_id) = &entry.invitation_id {
        invitations::settle(work.tx(), invitation_id, "revoked", now).await?;
    }
    entry.status = "rejected".to_owned();
    entry.updated_at = now;
    waitlist::save(work.tx(), &entry).await?;
    let entry = with_invitation(&mut work, entry).await?;
    let view = entry.view(svc, now);
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
