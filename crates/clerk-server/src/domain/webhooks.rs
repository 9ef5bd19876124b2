//! Webhook endpoints and resends (a local extension: Clerk manages them through Svix's
//! dashboard). The events themselves are emitted by each change, through
//! `notify::events`.

use super::error::{Result, Rule};
use super::services::Services;
use crate::ids;
use crate::notify::events::EVENT_TYPES;
use crate::notify::signing;
use crate::store::UnitOfWork;
use crate::store::webhooks::{self, Endpoint, messages};

/// The prefix of endpoint ids (Svix's).
const ENDPOINT_PREFIX: &str = "ep";

/// What a new endpoint is.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewEndpoint {
    pub url: String,
    pub filter_types: Option<Vec<String>>,
    pub description: Option<String>,
}

/// Registers an endpoint with a new secret; events committed from now on go to it.
pub(crate) async fn create_endpoint(svc: &Services, new: NewEndpoint) -> Result<Endpoint> {
    check_url(&new.url)?;
    if let Some(types) = &new.filter_types {
        if let Some(unknown) = types.iter().find(|t| !EVENT_TYPES.contains(&t.as_str())) {
            return Err(Rule::value_invalid(
                "filter_types",
                format!(
                    "{unknown} is not an event type; the types are Clerk's, such as user.created"
                ),
            )
            .into());
        }
    }
    let now = svc.now_ms();
    let endpoint = Endpoint {
        id: ids::new_id(ENDPOINT_PREFIX, now),
        url: new.url,
        description: new.description.filter(|d| !d.is_empty()),
        filter_types: new.filter_types.filter(|types| !types.is_empty()),
        secret: signing::new_secret(),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    webhooks::insert(work.tx(), &endpoint).await?;
    work.commit().await?;
    Ok(endpoint)
}

/// The endpoint registered for `url` (the oldest, if several), or a new one for every
/// event type: what `--webhook URL` does at each start.
pub(crate) async fn ensure_endpoint(svc: &Services, url: &str) -> Result<Endpoint> {
    if let Some(existing) = svc
        .store
        .webhook_endpoints_for_url(url)
        .await?
        .into_iter()
        .next()
    {
        return Ok(existing);
    }
    create_endpoint(
        svc,
        NewEndpoint {
            url: url.to_owned(),
            filter_types: None,
            description: Some("clerk serve --webhook".to_owned()),
        },
    )
    .await
}

/// Removes an endpoint; what was still to be delivered to it is dropped.
pub(crate) async fn delete_endpoint(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    webhooks::delete(work.tx(), id).await?;
    work.commit().await?;
    Ok(())
}

/// Removes every endpoint (`DELETE /v1/webhooks/svix`: Clerk deletes the instance's Svix
/// app and its webhooks).
pub(crate) async fn delete_all_endpoints(svc: &Services) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    for endpoint in webhooks::all_in(work.tx()).await? {
        webhooks::delete(work.tx(), &endpoint.id).await?;
    }
    work.commit().await?;
    Ok(())
}

/// Sends a message again, now, to one endpoint or to every endpoint it went to: one
/// attempt each, recorded as `manual`.
pub(crate) async fn resend(
    svc: &Services,
    message_id: &str,
    endpoint_id: Option<&str>,
) -> Result<usize> {
    if let Some(id) = endpoint_id {
        svc.store.webhook_endpoint(id).await?;
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let queued = messages::resend(work.tx(), message_id, endpoint_id, svc.now_ms()).await?;
    let wake = std::sync::Arc::clone(svc.events.wake());
    work.after_commit(move || wake.notify_one());
    work.commit().await?;
    Ok(queued)
}

/// An endpoint URL: absolute http or https (loopback included: it is a local server).
fn check_url(url: &str) -> Result<()> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(())
        }
        _ => Err(Rule::format_invalid("url", "url must be an absolute http or https URL").into()),
    }
}
