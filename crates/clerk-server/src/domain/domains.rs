//! The instance's domains: the primary domain, which is the server's own URL (its issuer),
//! and satellite domains, stored. A development instance of Clerk serves every domain's
//! Frontend API from the primary's URL and has no proxies or CNAME targets; so does this
//! server. Clerk's webhooks spec has no domain events.

use clerk_core::Patch;

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::domains::{self as store, SatelliteDomain};
use crate::store::{StoreError, UnitOfWork};

/// The primary domain's id: stable, derived from the instance id.
pub(crate) fn primary_id(instance_id: &str) -> String {
    let rest = instance_id
        .strip_prefix(prefix::INSTANCE)
        .and_then(|r| r.strip_prefix('_'))
        .unwrap_or(instance_id);
    format!("{}_{rest}", prefix::DOMAIN)
}

/// The primary domain's name: the issuer's host and port, as a development instance's
/// domain may carry a port.
pub(crate) fn primary_name(issuer: &str) -> String {
    let rest = issuer.split_once("://").map_or(issuer, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A domain name as Clerk accepts it: a host name, with a port for development instances,
/// no scheme. Answers it lowercased; 422 `form_param_format_invalid` otherwise.
fn check_name(name: &str) -> Result<String> {
    let name = name.trim().to_ascii_lowercase();
    let (host, port) = match name.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (name.as_str(), None),
    };
    let labels_ok = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if labels_ok && port_ok {
        Ok(name)
    } else {
        Err(Rule::format_invalid(
            "name",
            format!(
                "{name} is not a valid domain name: give a host name (with a port for \
                 development instances) without a scheme, e.g. example.com or localhost:3000."
            ),
        )
        .into())
    }
}

/// 422: proxies are for production instances.
fn proxy_refused() -> crate::domain::error::Error {
    Rule::value_invalid(
        "proxy_url",
        "proxy_url can only be set for production instances; this is a development instance.",
    )
    .into()
}

/// 400 `duplicate_record` for a name the instance already has.
fn name_taken(name: &str) -> crate::domain::error::Error {
    Rule::refused(
        "duplicate_record",
        "duplicate record",
        format!("The instance already has the domain {name}."),
    )
    .with_param("name")
    .into()
}

/// What `POST /v1/domains` gives.
#[derive(Debug, Clone)]
pub(crate) struct NewDomain {
    pub name: String,
    pub is_satellite: bool,
    pub proxy_url: Option<String>,
}

/// Adds a satellite domain.
pub(crate) async fn create(
    svc: &Services,
    primary: &str,
    new: NewDomain,
) -> Result<SatelliteDomain> {
    if !new.is_satellite {
        return Err(Rule::value_invalid(
            "is_satellite",
            "is_satellite must be true: an instance has one primary domain.",
        )
        .into());
    }
    let name = check_name(&new.name)?;
    if new.proxy_url.is_some() {
        return Err(proxy_refused());
    }
    if name == primary {
        return Err(name_taken(&name));
    }
    let now = svc.now_ms();
    let domain = SatelliteDomain {
        id: ids::new_id(prefix::DOMAIN, now),
        name,
        proxy_url: None,
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !store::insert(work.tx(), &domain).await? {
        return Err(name_taken(&domain.name));
    }
    work.commit().await?;
    Ok(domain)
}

/// What `PATCH /v1/domains/{id}` changes.
#[derive(Debug, Clone)]
pub(crate) struct DomainChange {
    pub name: Option<String>,
    pub proxy_url: Patch<String>,
}

/// Changes a satellite domain. The primary domain is the server's URL: its name follows
/// the `--issuer` option, so renaming it here is refused (422); a change that names it as
/// it is, or only clears its proxy, answers it unchanged (`Ok(None)`).
pub(crate) async fn update(
    svc: &Services,
    primary: (&str, &str),
    id: &str,
    change: DomainChange,
) -> Result<Option<SatelliteDomain>> {
    let name = change.name.as_deref().map(check_name).transpose()?;
    if let Patch::Set(_) = change.proxy_url {
        return Err(proxy_refused());
    }
    let (primary_id, primary_name) = primary;
    if id == primary_id {
        if name.as_deref().is_some_and(|n| n != primary_name) {
            return Err(Rule::value_invalid(
                "name",
                "The primary domain is this server's own URL: start the server with another \
                 --issuer to change it.",
            )
            .into());
        }
        return Ok(None);
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut domain = store::get(work.tx(), id, svc.store.dialect().for_update())
        .await?
        .ok_or_else(|| StoreError::not_found("domain", id))?;
    if let Some(name) = name {
        if name == primary_name {
            return Err(name_taken(&name));
        }
        if name != domain.name {
            domain.name = name;
            domain.updated_at = now;
            if !store::save(work.tx(), &domain).await? {
                return Err(name_taken(&domain.name));
            }
        }
    }
    work.commit().await?;
    Ok(Some(domain))
}

/// Deletes a satellite domain; the primary domain cannot be deleted (403).
pub(crate) async fn delete(svc: &Services, primary_id: &str, id: &str) -> Result<()> {
    if id == primary_id {
        return Err(Rule::refused(
            "operation_not_allowed",
            "operation not allowed",
            "The primary domain of an instance cannot be deleted; only satellite domains can.",
        )
        .with_kind(RuleKind::Forbidden)
        .into());
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !store::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("domain", id).into());
    }
    work.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(primary_name("http://127.0.0.1:3000"), "127.0.0.1:3000");
        assert_eq!(primary_name("https://Clerk.Example/x"), "clerk.example");
        assert_eq!(check_name("Localhost:3000").unwrap(), "localhost:3000");
        assert_eq!(check_name("sat.example.com").unwrap(), "sat.example.com");
        for bad in [
            "",
            "https://x.com",
            "a..b",
            "-a.com",
            "x.com:0",
            "x.com:99999",
            "a b",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(primary_id("ins_abc"), "dmn_abc");
    }
}
