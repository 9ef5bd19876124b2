//! The allowlist: adding an identifier (and inviting it), removing one.
//!
//! As in Clerk, the allowlist restricts who may *sign up*; it never stops the Backend API
//! from creating users.

use super::error::{Error, Result, Rule};
use super::identifiers::{IdentifierKind, classify_allowlist_identifier};
use super::message_templates::render;
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::allowlist::{self, AllowlistIdentifier};
use crate::store::{StoreError, UnitOfWork};
use serde_json::json;

/// Adds `raw` (an email address, a domain, a phone number or a web3 wallet) to the
/// allowlist. With `notify`, an email address gets an invitation email and a phone number an
/// invitation SMS, in the same unit of work; other identifiers get none, as in Clerk.
pub(crate) async fn add(svc: &Services, raw: &str, notify: bool) -> Result<AllowlistIdentifier> {
    let (identifier, identifier_type) = classify_allowlist_identifier(raw)?;
    let now = svc.now_ms();
    let is_address = identifier_type == IdentifierKind::EmailAddress && identifier.contains('@');
    let invites = notify && (is_address || identifier_type == IdentifierKind::PhoneNumber);
    let item = AllowlistIdentifier {
        id: ids::new_id(prefix::ALLOWLIST_IDENTIFIER, now),
        identifier,
        identifier_type,
        invitation_id: invites.then(|| ids::new_id(prefix::INVITATION, now)),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    allowlist::insert(work.tx(), &item)
        .await
        .map_err(|err| match err {
            StoreError::Taken(_) => Rule::refused(
                "duplicate_record",
                "duplicate allowlist identifier",
                format!("the identifier {} already exists", item.identifier),
            )
            .into(),
            other => Error::from(other),
        })?;
    if invites {
        invite(svc, &mut work, &item, now).await?;
    }
    work.commit().await?;
    Ok(item)
}

/// Removes an identifier; false if there was none.
pub(crate) async fn remove(svc: &Services, id: &str) -> Result<bool> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let removed = allowlist::delete(work.tx(), id).await?;
    work.commit().await?;
    Ok(removed)
}

/// The invitation of an allowlisted email address or phone number.
async fn invite(
    svc: &Services,
    work: &mut UnitOfWork,
    item: &AllowlistIdentifier,
    now: i64,
) -> Result<()> {
    // Rendered from the `invitation` template: the link is the sign-up page.
    let values = json!({
        "action_url": format!("{}/sign-up", svc.issuer.trim_end_matches('/')),
    });
    let recipient = render::Recipient {
        to: &item.identifier,
        identification_id: None,
        user_id: None,
    };
    match item.identifier_type {
        IdentifierKind::EmailAddress => {
            render::email(svc, work, "invitation", recipient, values, now).await?;
        }
        IdentifierKind::PhoneNumber => {
            render::sms(svc, work, "invitation", recipient, values, now).await?;
        }
        IdentifierKind::Web3Wallet => {}
    }
    Ok(())
}
