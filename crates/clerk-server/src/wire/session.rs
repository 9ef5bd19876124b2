//! `session` and `client` objects.

use serde::Serialize;
use serde_json::Value;

use super::user::{UserContext, UserView};
use crate::store::clients::Client;
use crate::store::sessions::SessionRecord;
use crate::store::users::User;

/// A `session` object, with its status as of the time of the request.
#[derive(Serialize)]
pub(crate) struct SessionJson {
    object: &'static str,
    id: String,
    user_id: String,
    client_id: String,
    actor: Option<Value>,
    status: String,
    last_active_organization_id: Option<String>,
    last_active_at: i64,
    expire_at: i64,
    abandon_at: i64,
    updated_at: i64,
    created_at: i64,
}

impl SessionJson {
    pub(crate) fn new(session: &SessionRecord, now_ms: i64) -> Self {
        Self {
            object: "session",
            id: session.id.clone(),
            user_id: session.user_id.clone(),
            client_id: session.client_id.clone(),
            actor: session.actor.clone(),
            status: session.status(now_ms).to_owned(),
            last_active_organization_id: session.last_active_organization_id.clone(),
            last_active_at: session.last_active_at,
            expire_at: session.expire_at,
            abandon_at: session.abandon_at,
            updated_at: session.updated_at,
            created_at: session.created_at,
        }
    }
}

/// The `data` of a `session.*` webhook event (Clerk's `SessionEventPayload`): the `session`
/// object with its `user`.
#[derive(Serialize)]
pub(crate) struct SessionEventJson<'a> {
    #[serde(flatten)]
    session: SessionJson,
    user: UserView<'a>,
}

impl<'a> SessionEventJson<'a> {
    /// `session` of `user`, both as of `ctx.now_ms`.
    pub(crate) fn new(session: &SessionRecord, user: &'a User, ctx: UserContext) -> Self {
        Self {
            session: SessionJson::new(session, ctx.now_ms),
            user: UserView::of(user, &ctx),
        }
    }
}

/// A `client` object with its sessions.
#[derive(Serialize)]
pub(crate) struct ClientJson {
    object: &'static str,
    id: String,
    session_ids: Vec<String>,
    sessions: Vec<SessionJson>,
    sign_in_id: Option<String>,
    sign_up_id: Option<String>,
    last_active_session_id: Option<String>,
    last_authentication_strategy: Option<String>,
    updated_at: i64,
    created_at: i64,
}

impl ClientJson {
    pub(crate) fn new(client: &Client, now_ms: i64) -> Self {
        Self {
            object: "client",
            id: client.id.clone(),
            session_ids: client.sessions.iter().map(|s| s.id.clone()).collect(),
            sessions: client
                .sessions
                .iter()
                .map(|s| SessionJson::new(s, now_ms))
                .collect(),
            sign_in_id: None,
            sign_up_id: None,
            last_active_session_id: client.last_active_session_id.clone(),
            last_authentication_strategy: None,
            updated_at: client.updated_at,
            created_at: client.created_at,
        }
    }
}
