//! The outbox (a local MailHog): every email and SMS the server sent, newest first, with the
//! verification code of each at a glance; an email's own HTML in a sandboxed frame. The
//! list (its table and paging) refreshes on its own by short polling of `/dashboard/outbox/rows`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::Signed;
use super::render::{DashError, paging, query_string, render_fragment};
use crate::bapi::AppState;
use crate::store::Page;
use crate::store::outbox::{MessageKind, OutboxFilters, OutboxMessage};

/// Rows per page.
const PAGE: i64 = 25;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/outbox", get(list))
        .route("/dashboard/outbox/rows", get(rows))
        .route("/dashboard/outbox/{message_id}", get(show))
}

#[derive(Deserialize, Default, Clone)]
struct ListParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    to: Option<String>,
    offset: Option<i64>,
}

/// The page of messages `params` asks for, as the rows' data.
async fn page(state: &AppState, params: &ListParams) -> Result<Value, DashError> {
    let kind = params.kind.as_deref().and_then(MessageKind::parse);
    let to = params.to.clone().filter(|t| !t.trim().is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let (messages, total) = state
        .store
        .list_messages(
            &OutboxFilters {
                kind,
                recipient: to.clone(),
            },
            Page {
                limit: PAGE,
                offset,
            },
        )
        .await?;
    let rows: Vec<Value> = messages.iter().map(row).collect();
    let mut base = Vec::new();
    if let Some(k) = kind {
        base.push(("type", k.as_str()));
    }
    if let Some(t) = &to {
        base.push(("to", t.as_str()));
    }
    let base = query_string(&base);
    Ok(json!({
        "messages": rows,
        "paging": paging(offset, PAGE, total),
        "base": base,
        "poll": format!("/dashboard/outbox/rows?{base}{}offset={offset}", if base.is_empty() { "" } else { "&" }),
        "to": to,
        "kinds": [
            { "value": "email", "label": "Emails", "selected": kind == Some(MessageKind::Email) },
            { "value": "sms_message", "label": "SMS", "selected": kind == Some(MessageKind::Sms) },
        ],
    }))
}

/// What a row shows of a message.
fn row(message: &OutboxMessage) -> Value {
    let p = &message.payload;
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default();
    let (summary, code) = match message.kind {
        MessageKind::Email => (
            text("subject").to_owned(),
            find_code(text("subject")).or_else(|| find_code(&strip_tags(text("body")))),
        ),
        MessageKind::Sms => (text("message").to_owned(), find_code(text("message"))),
    };
    json!({
        "id": message.id,
        "kind": if message.kind == MessageKind::Email { "email" } else { "SMS" },
        "to": message.recipient,
        "user_id": message.user_id,
        "status": message.status,
        "slug": text("slug"),
        "summary": summary,
        "code": code,
        "created_at": message.created_at,
    })
}

/// The verification code of a message: its first run of exactly six digits (Clerk's codes
/// are six digits; its templates put them in the subject and the text).
pub(crate) fn find_code(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 6 {
                return Some(text[start..i].to_owned());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The text of HTML, roughly: tags (and what is inside `<style>`) removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let after = &rest[open..];
        let lower = after.get(..6).unwrap_or("").to_ascii_lowercase();
        let end = if lower == "<style" {
            after.to_ascii_lowercase().find("</style>").map(|e| e + 8)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match end {
            Some(end) => rest = &after[end..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `GET /dashboard/outbox?type=…&to=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let mut data = page(&state, &params).await?;
    data["title"] = json!("Outbox");
    Ok(signed.page("outbox").render("outbox", data))
}

/// `GET /dashboard/outbox/rows?…`: the table's rows alone, for the page's polling.
async fn rows(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    Ok(render_fragment(
        "outbox_rows",
        &page(&state, &params).await?,
    ))
}

/// `GET /dashboard/outbox/{id}`: one message; an email's HTML in a sandboxed frame.
async fn show(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Result<Response, DashError> {
    let message = state.store.message(&id).await.map_err(|_| {
        DashError::new(
            StatusCode::NOT_FOUND,
            format!("No message was found with id {id}."),
        )
    })?;
    let summary = row(&message);
    let p = &message.payload;
    Ok(signed.page("outbox").render(
        "outbox_message",
        json!({
            "title": format!("Message {id}"),
            "message": summary,
            "is_email": message.kind == MessageKind::Email,
            "from": p.get("from_email_name").or_else(|| p.get("from_phone_number")),
            "body": p.get("body"),
            "body_plain": p.get("body_plain"),
            "text": p.get("message"),
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_six_digit_codes() {
        assert_eq!(find_code("123456 is your code").as_deref(), Some("123456"));
        assert_eq!(
            find_code("Order 1234567, code 424242").as_deref(),
            Some("424242")
        );
        assert_eq!(find_code("no code 12345"), None);
        assert_eq!(
            find_code(&strip_tags(
                "<style>p{width:100000px}</style><p>Code: <b>987654</b></p>"
            ))
            .as_deref(),
            Some("987654")
        );
    }
}
