//! The block-list: adding and removing identifiers, and refusing blocked ones.
//!
//! As in Clerk, an entry is an email address, an email domain (`example.com`, also given as
//! `*@example.com`), a phone number or a web3 wallet, classified as the allowlist's are.
//! When the instance's `blocklist` restriction is on, an identifier the block-list covers
//! cannot be given to a user: creating a user with it, or adding it to one, answers 403
//! `not_allowed_access` (moved to the status each operation declares). A blocked email
//! address also blocks its subaddresses (`ann+x@…`), a domain blocks its subdomains, and
//! an identifier on the allowlist, when the allowlist is on, is never blocked (Clerk's
//! allowlist wins over its block-list).

use super::error::{Error, Result, Rule, RuleKind};
use super::identifiers::{IdentifierKind, classify_allowlist_identifier};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::blocklist::{self, BlocklistIdentifier, Restriction};
use crate::store::{StoreError, Tx, UnitOfWork, instance};

/// Adds `raw` to the block-list. No webhook event exists for it.
pub(crate) async fn add(svc: &Services, raw: &str) -> Result<BlocklistIdentifier> {
    let (identifier, identifier_type) = classify_allowlist_identifier(raw)?;
    let now = svc.now_ms();
    let item = BlocklistIdentifier {
        id: ids::new_id(prefix::BLOCKLIST_IDENTIFIER, now),
        identifier,
        identifier_type,
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    blocklist::insert(work.tx(), &item)
        .await
        .map_err(|err| match err {
            StoreError::Taken(_) => Rule::refused(
                "duplicate_record",
                "duplicate blocklist identifier",
                format!("the identifier {} already exists", item.identifier),
            )
            .into(),
            other => Error::from(other),
        })?;
    work.commit().await?;
    Ok(item)
}

/// Removes an identifier; false if there was none.
pub(crate) async fn remove(svc: &Services, id: &str) -> Result<bool> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let removed = blocklist::delete(work.tx(), id).await?;
    work.commit().await?;
    Ok(removed)
}

/// Refuses `value` (a normalised identifier of `kind`, given as `param`) when the instance's
/// block-list is on and covers it, inside the unit of work that would give it to a user.
pub(crate) async fn refuse_blocked(
    tx: &mut Tx,
    kind: IdentifierKind,
    param: &str,
    value: &str,
) -> Result<()> {
    let settings = instance::load(tx, "").await?.settings;
    if !settings.blocklist {
        return Ok(());
    }
    let candidates = covering_entries(kind, value);
    if blocklist::first_match(tx, Restriction::Blocklist, &candidates)
        .await?
        .is_none()
    {
        return Ok(());
    }
    if settings.restricted_to_allowlist
        && blocklist::first_match(tx, Restriction::Allowlist, &candidates)
            .await?
            .is_some()
    {
        return Ok(());
    }
    Err(Rule::refused(
        "not_allowed_access",
        "Access not allowed.",
        format!("{value} is not allowed to access this application."),
    )
    .with_kind(RuleKind::Forbidden)
    .with_param(param)
    .into())
}

/// The list entries that cover an identifier: itself; for an email address also the
/// address without its subaddress, its domain and every parent domain.
pub(crate) fn covering_entries(kind: IdentifierKind, value: &str) -> Vec<String> {
    let mut entries = vec![value.to_owned()];
    if kind != IdentifierKind::EmailAddress {
        return entries;
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return entries;
    };
    if let Some((base, _)) = local.split_once('+') {
        entries.push(format!("{base}@{domain}"));
    }
    let mut rest = domain;
    loop {
        entries.push(rest.to_owned());
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => break,
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_covered_by_itself_its_base_and_its_domains() {
        assert_eq!(
            covering_entries(IdentifierKind::EmailAddress, "ann+x@mail.example.com"),
            [
                "ann+x@mail.example.com",
                "ann@mail.example.com",
                "mail.example.com",
                "example.com"
            ]
        );
        assert_eq!(
            covering_entries(IdentifierKind::PhoneNumber, "+15555550100"),
            ["+15555550100"]
        );
    }
}
