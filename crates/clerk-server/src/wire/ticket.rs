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
    /// The view of `ticket`; its `url` is the Frontend API's `/v1/tickets/accept?ticket=`
    /// under `base` (the instance's URL), which signs the browser in with it.
    pub(crate) fn new(ticket: &'a Ticket, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        // The Frontend API's accept link: it signs the browser in with the ticket.
        let url = format!("{base}/__clerk/v1/tickets/accept?ticket={}", ticket.token);
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
    user_created: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a Value>,
}

impl<'a> TicketRedemptionJson<'a> {
    pub(crate) fn new(done: &'a crate::domain::tickets::Redemption) -> Self {
        Self {
            object: "ticket_redemption",
            ticket_type: done.ticket_type,
            ticket_id: &done.ticket_id,
            user_id: &done.session.user_id,
            session_id: &done.session.id,
            client_id: &done.session.client_id,
            user_created: done.user_created,
            actor: done.session.actor.as_ref(),
        }
    }
}

/// An instance invitation (`object: "invitation"`), its status as of `now_ms`.
#[derive(Serialize)]
pub(crate) struct InstanceInvitationJson<'a> {
    object: &'static str,
    id: &'a str,
    email_address: &'a str,
    public_metadata: &'a serde_json::Map<String, Value>,
    revoked: bool,
    status: &'a str,
    url: String,
    expires_at: i64,
    created_at: i64,
    updated_at: i64,
}

impl<'a> InstanceInvitationJson<'a> {
    pub(crate) fn new(
        item: &'a crate::store::invitations::Invitation,
        base: &str,
        now_ms: i64,
    ) -> Self {
        let status = item.status(now_ms);
        Self {
            object: "invitation",
            id: &item.id,
            email_address: &item.email_address,
            public_metadata: &item.public_metadata,
            revoked: status == "revoked",
            status,
            url: crate::domain::invitations::url(item, base),
            expires_at: item.expires_at,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}
