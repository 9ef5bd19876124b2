//! Sign-in tokens, actor tokens, testing tokens and ticket redemptions.

use serde::Serialize;
use serde_json::Value;

use crate::store::tickets::{Ticket, TicketKind};

/// A `SignInToken` or an `ActorToken`, with its token and the link that redeems it.
#[derive(Serialize)]
pub(crate) struct TicketJson<'a> {
    object: &'static str,
    id: &'a str,
    user_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a Value>,
    status: &'a str,
    token: &'a str,
    url: String,
    created_at: i64,
    updated_at: i64,
}

impl<'a> TicketJson<'a> {
    /// The view of `ticket`; its `url` is under `base` (the instance's URL): a sign-in
    /// token's is the sign-in page with `__clerk_ticket`, an actor token's the Frontend API's
    /// `/v1/tickets/accept?ticket=`, as in Clerk.
    pub(crate) fn new(ticket: &'a Ticket, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        let url = match ticket.kind {
            TicketKind::SignInToken => format!("{base}/sign-in?__clerk_ticket={}", ticket.token),
            TicketKind::ActorToken => format!("{base}/v1/tickets/accept?ticket={}", ticket.token),
        };
        Self {
            object: ticket.kind.as_str(),
            id: &ticket.id,
            user_id: &ticket.user_id,
            actor: match ticket.kind {
                TicketKind::ActorToken => Some(ticket.actor.as_ref().unwrap_or(&Value::Null)),
                TicketKind::SignInToken => None,
            },
            status: &ticket.status,
            token: &ticket.token,
            url,
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
        }
    }
}

/// `{object: "testing_token", token, expires_at}` (`expires_at` in Unix seconds, as Clerk's).
#[derive(Serialize)]
pub(crate) struct TestingTokenJson<'a> {
    object: &'static str,
    token: &'a str,
    expires_at: i64,
}

impl<'a> TestingTokenJson<'a> {
    pub(crate) fn new(token: &'a str, expires_at: i64) -> Self {
        Self {
            object: "testing_token",
            token,
            expires_at,
        }
    }
}

/// The local extension's answer to a redemption.
#[derive(Serialize)]
pub(crate) struct TicketRedemptionJson<'a> {
    object: &'static str,
    ticket_type: &'static str,
    ticket_id: &'a str,
    user_id: &'a str,
    session_id: &'a str,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a Value>,
}

impl<'a> TicketRedemptionJson<'a> {
    pub(crate) fn new(
        ticket: &'a Ticket,
        session: &'a crate::store::sessions::SessionRecord,
    ) -> Self {
        Self {
            object: "ticket_redemption",
            ticket_type: ticket.kind.as_str(),
            ticket_id: &ticket.id,
            user_id: &session.user_id,
            session_id: &session.id,
            client_id: &session.client_id,
            actor: session.actor.as_ref(),
        }
    }
}
