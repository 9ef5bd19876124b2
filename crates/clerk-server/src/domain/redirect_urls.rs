//! The instance's redirect URLs: adding (with Clerk's checks) and removing them.
//!
//! A URL is `https://…`, `http://…` (a development instance accepts it, as Clerk's do for
//! `localhost`) or a custom scheme (`my-app://oauth-callback`); script-running schemes
//! (`javascript:`, `data:`, `vbscript:`, `file:`) and anything that is not an absolute URL
//! answer 422 `form_param_format_invalid`. The URL is stored as given (trimmed), so the same
//! text twice is 400 `duplicate_record`. No webhook event exists for redirect URLs.

use super::error::{Error, Result, Rule};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::redirect_urls::{self, RedirectUrl};
use crate::store::{StoreError, UnitOfWork};

/// Schemes that never make a redirect URL.
const REFUSED_SCHEMES: &[&str] = &["javascript", "data", "vbscript", "file", "blob", "about"];

/// Checks `raw` as Clerk does and returns the URL to store.
pub(crate) fn check_url(raw: &str) -> Result<String, Rule> {
    let value = raw.trim();
    let invalid = || {
        Rule::format_invalid(
            "url",
            "url must be a valid url prefixed with https:// or a custom scheme, e.g. https://my-app.com/oauth-callback or my-app://oauth-callback",
        )
    };
    let parsed = url::Url::parse(value).map_err(|_| invalid())?;
    let scheme = parsed.scheme();
    if REFUSED_SCHEMES.contains(&scheme) || !value.contains("://") {
        return Err(invalid());
    }
    if matches!(scheme, "http" | "https") && parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid());
    }
    Ok(value.to_owned())
}

/// Adds a redirect URL.
pub(crate) async fn add(svc: &Services, raw: &str) -> Result<RedirectUrl> {
    let url = check_url(raw)?;
    let now = svc.now_ms();
    let item = RedirectUrl {
        id: ids::new_id(prefix::REDIRECT_URL, now),
        url,
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    redirect_urls::insert(work.tx(), &item)
        .await
        .map_err(|err| match err {
            StoreError::Taken(_) => Rule::refused(
                "duplicate_record",
                "duplicate redirect url",
                format!("the redirect url {} already exists", item.url),
            )
            .into(),
            other => Error::from(other),
        })?;
    work.commit().await?;
    Ok(item)
}

/// Removes a redirect URL; unknown is `resource_not_found`.
pub(crate) async fn remove(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !redirect_urls::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("redirect url", id).into());
    }
    work.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_web_and_custom_schemes() {
        for good in [
            "https://my-app.com/oauth-callback",
            "http://localhost:3000/cb",
            "my-app://oauth-callback",
            " com.example.app://callback ",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "not a url",
            "javascript://alert(1)",
            "data://text",
            "mailto:ann@example.com",
            "https://",
            "/relative/path",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
