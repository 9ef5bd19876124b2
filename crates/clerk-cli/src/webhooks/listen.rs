//! `clerk webhooks listen`: a temporary endpoint on the server pointing at a small HTTP
//! receiver run here (127.0.0.1, a free port). Each event becomes one line on stdout and,
//! with `--forward-to`, is POSTed to the app with the same body and the same `svix-*`
//! headers (so the app verifies it with the secret printed at start); the server gets the
//! app's status back, so it retries when the app fails. Ctrl-C or SIGTERM removes the
//! endpoint.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use clap::Args;
use clerk_sdk::Method;
use serde_json::Value;

use super::{Endpoint, add_endpoint};
use crate::Context;
use crate::api::{Api, path};
use crate::error::{CliError, CliResult};
use crate::output::Output;

/// Examples for `clerk webhooks listen --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk webhooks listen --forward-to http://localhost:3000/api/webhooks
  clerk webhooks listen --events user.created,user.deleted
  clerk --json webhooks listen | jq .type

Give your app the signing secret printed at start (CLERK_WEBHOOK_SIGNING_SECRET): each
delivery is forwarded with its svix-id, svix-timestamp and svix-signature headers.";

/// The headers that authenticate a delivery, passed on unchanged.
const SIGNATURE_HEADERS: [&str; 3] = ["svix-id", "svix-timestamp", "svix-signature"];

/// How long the app has to answer a forwarded event (the server gives the receiver 15 s).
const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// `webhooks listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Forward each event to this URL (your app's webhook route).
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// Only these event types, comma-separated (default: every event).
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    events: Vec<String>,
}

/// What the receiver needs.
struct Receiver {
    out: Output,
    forward_to: Option<String>,
    http: reqwest::Client,
}

/// Runs `webhooks listen` until Ctrl-C or SIGTERM.
pub async fn run(ctx: &Context, api: &Api, args: ListenArgs) -> CliResult {
    if let Some(url) = &args.forward_to
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return Err(CliError::usage(format!(
            "--forward-to must be an http:// or https:// URL (got {url:?})"
        )));
    }
    let http = reqwest::Client::builder()
        .timeout(FORWARD_TIMEOUT)
        .build()
        .map_err(|e| CliError::Failed(format!("cannot build an HTTP client: {e}")))?;
    let receiver = Arc::new(Receiver {
        out: ctx.out(),
        forward_to: args.forward_to.clone(),
        http,
    });
    // The receiver is up before the endpoint exists, so no first delivery finds it closed.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| CliError::io("cannot listen on 127.0.0.1", e))?;
    let address = listener
        .local_addr()
        .map_err(|e| CliError::io("cannot read the receiver's address", e))?;
    let app = axum::Router::new()
        .fallback(axum::routing::post(receive))
        .with_state(receiver);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });

    let url = format!("http://{address}/webhooks");
    let raw = add_endpoint(
        api,
        &url,
        &args.events,
        Some("clerk webhooks listen (temporary)".into()),
    )
    .await?;
    let endpoint: Endpoint = raw.parse()?;
    let secret = endpoint.secret.as_deref().unwrap_or("-");
    let target = match &args.forward_to {
        Some(url) => format!("forwarding to {url}"),
        None => "printing events (no --forward-to)".to_owned(),
    };
    eprintln!(
        "Ready! {target}. Your webhook signing secret is {secret} (endpoint {}; ^C to quit)",
        endpoint.id
    );

    crate::serve::shutdown_signal().await;
    let _ = stop.send(());
    let removed = api
        .send(
            Method::DELETE,
            &path(&["_local", "webhooks", "endpoints", &endpoint.id])?,
            &[],
            None,
        )
        .await;
    let _ = serving.await;
    match removed {
        Ok(_) => {
            eprintln!("Stopped; removed endpoint {}.", endpoint.id);
            Ok(())
        }
        Err(error) => {
            eprintln!(
                "warning: could not remove endpoint {} (remove it with `clerk webhooks endpoints rm {}`)",
                endpoint.id, endpoint.id
            );
            Err(error)
        }
    }
}

/// One delivery from the server: print it, forward it, answer with the app's status.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let (status, outcome) = match &receiver.forward_to {
        Some(url) => match forward(&receiver.http, url, &headers, &body).await {
            Ok(status) => (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                format!("→ {status}"),
            ),
            Err(error) => (StatusCode::BAD_GATEWAY, format!("→ failed: {error}")),
        },
        None => (StatusCode::OK, String::new()),
    };
    let line = if receiver.out.is_json() {
        one_line_json(&body)
    } else {
        let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let line = format!(
            "{}  {:<32}  {}",
            crate::time::format_ms(now_ms()),
            event["type"].as_str().unwrap_or("(not an event)"),
            header_text(&headers, "svix-id"),
        );
        if outcome.is_empty() {
            line
        } else {
            format!("{line}  {outcome}")
        }
    };
    if let Err(error) = receiver.out.line(line) {
        tracing::warn!(%error, "cannot print an event");
    }
    if receiver.out.is_json() && !outcome.is_empty() {
        eprintln!("{} {outcome}", header_text(&headers, "svix-id"));
    }
    status
}

/// POSTs the delivery to the app with its signature headers; the app's status.
async fn forward(
    http: &reqwest::Client,
    url: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<u16, String> {
    let content_type = headers
        .get("content-type")
        .map_or(&b"application/json"[..], |value| value.as_bytes());
    let mut request = http
        .post(url)
        .header("content-type", content_type)
        .body(body.clone());
    for name in SIGNATURE_HEADERS {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.as_bytes());
        }
    }
    if let Some(agent) = headers.get("user-agent") {
        request = request.header("user-agent", agent.as_bytes());
    }
    let response = request.send().await.map_err(|e| {
        // reqwest's own text is long ("error sending request for url (…): client error
        // (Connect): …"); the innermost cause says what went wrong ("Connection refused").
        let mut cause: &dyn std::error::Error = &e;
        while let Some(source) = cause.source() {
            cause = source;
        }
        if e.is_timeout() {
            format!("timed out after {} s", FORWARD_TIMEOUT.as_secs())
        } else {
            cause.to_string()
        }
    })?;
    Ok(response.status().as_u16())
}

fn header_text(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// The body as one line of JSON: as received when it is one line already.
fn one_line_json(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if !text.contains(['\n', '\r']) {
        return text.trim().to_owned();
    }
    serde_json::from_slice::<Value>(body)
        .map(|value| value.to_string())
        .unwrap_or_else(|_| text.replace(['\n', '\r'], " "))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_print_on_one_line() {
        assert_eq!(one_line_json(b"{\"a\":1}\n"), "{\"a\":1}");
        assert_eq!(one_line_json(b"{\n  \"a\": 1\n}"), "{\"a\":1}");
    }
}
