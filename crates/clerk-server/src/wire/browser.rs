//! What the Frontend API shows a browser: its `client` (Clerk's `Client.Client`), the
//! client's sessions with their full user (`Client.Session`), the current `sign_in_attempt`
//! (`Client.SignIn`), and the user as the browser may see it (the Backend API's user
//! without `private_metadata`).

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::sign_up::SignUpJson;
use super::user::{UserContext, UserView};
use crate::domain::identifiers::IdentifierKind;
use crate::store::clients::Client;
use crate::store::sessions::SessionRecord;
use crate::store::sign_ins::SignInRecord;
use crate::store::sign_ups::SignUpRecord;
use crate::store::users::User;

/// An organization as a browser may see it: without the keys only the Backend API shows
/// (`private_metadata`, `created_by`, `role_set_key`).
pub(crate) fn browser_organization(mut organization: Value) -> Value {
    if let Value::Object(map) = &mut organization {
        for key in ["private_metadata", "created_by", "role_set_key"] {
            map.remove(key);
        }
    }
    organization
}

/// An organization membership as a browser may see it: no `private_metadata`, and its
/// organization as [`browser_organization`] shows it.
pub(crate) fn browser_membership(mut membership: Value) -> Value {
    if let Value::Object(map) = &mut membership {
        map.remove("private_metadata");
        if let Some(organization) = map.remove("organization") {
            map.insert("organization".into(), browser_organization(organization));
        }
    }
    membership
}

/// An organization invitation as a browser may see it: no `private_metadata`, and no
/// `url` (`null`): the link carries the invitation's ticket, which signs in whoever has the
/// invited address, so only that person's mailbox gets it.
pub(crate) fn browser_invitation(mut invitation: Value) -> Value {
    if let Value::Object(map) = &mut invitation {
        map.remove("private_metadata");
        map.insert("url".into(), Value::Null);
    }
    invitation
}

/// A user with its organization memberships (each a `organization_membership` object), as
/// the browser sees both.
pub(crate) struct BrowserUser {
    pub user: User,
    pub memberships: Vec<Value>,
}

/// The user as the browser sees it: the Backend API's view without `private_metadata`
/// (never shown to a browser), with its organization memberships.
pub(crate) fn browser_user(user: &BrowserUser, ctx: &UserContext) -> Value {
    let mut value = serde_json::to_value(UserView::of(&user.user, ctx)).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("private_metadata");
        // The browser's schema has no "no limit" null: the key is left out instead.
        if map.get("create_organizations_limit") == Some(&Value::Null) {
            map.remove("create_organizations_limit");
        }
        map.insert(
            "organization_memberships".into(),
            Value::Array(user.memberships.clone()),
        );
    }
    value
}

/// A session of the browser's client, with its user.
#[derive(Serialize)]
pub(crate) struct BrowserSessionJson {
    object: &'static str,
    id: String,
    status: String,
    expire_at: i64,
    abandon_at: i64,
    last_active_at: i64,
    last_active_organization_id: Option<String>,
    last_active_token: Option<Value>,
    actor: Option<Value>,
    user: Value,
    public_user_data: Value,
    factor_verification_age: [i64; 2],
    tasks: Option<Vec<Value>>,
    created_at: i64,
    updated_at: i64,
}

impl BrowserSessionJson {
    /// `session` of `user`, as of `ctx.now_ms`.
    pub(crate) fn new(session: &SessionRecord, user: &BrowserUser, ctx: &UserContext) -> Self {
        let minutes_since_sign_in = (ctx.now_ms - session.created_at).max(0) / 60_000;
        Self {
            object: "session",
            id: session.id.clone(),
            status: session.status(ctx.now_ms).to_owned(),
            expire_at: session.expire_at,
            abandon_at: session.abandon_at,
            last_active_at: session.last_active_at,
            last_active_organization_id: session.last_active_organization_id.clone(),
            last_active_token: None,
            actor: session.actor.clone(),
            user: browser_user(user, ctx),
            public_user_data: public_user_data(&user.user),
            // Minutes since the first factor was verified; no second factor (-1).
            factor_verification_age: [minutes_since_sign_in, -1],
            tasks: None,
            created_at: session.created_at,
            updated_at: session.updated_at,
        }
    }
}

/// A user's `public_user_data`: names and the identifier they sign in with.
fn public_user_data(user: &User) -> Value {
    let r = &user.record;
    let identifier = user
        .primary(IdentifierKind::EmailAddress)
        .or_else(|| user.primary(IdentifierKind::PhoneNumber))
        .map(|i| i.value.clone())
        .or_else(|| r.username.clone())
        .unwrap_or_default();
    json!({
        "first_name": r.first_name,
        "last_name": r.last_name,
        "image_url": null,
        "has_image": false,
        "identifier": identifier,
        "user_id": r.id,
        "username": r.username,
    })
}

/// A `sign_in_attempt`, with the factors its user can sign in with.
#[derive(Serialize)]
pub(crate) struct SignInJson {
    object: &'static str,
    id: String,
    status: String,
    supported_identifiers: [&'static str; 3],
    supported_first_factors: Option<Vec<Value>>,
    supported_second_factors: Option<Vec<Value>>,
    first_factor_verification: Option<Value>,
    second_factor_verification: Option<Value>,
    identifier: Option<String>,
    user_data: Option<Value>,
    created_session_id: Option<String>,
    abandon_at: i64,
}

impl SignInJson {
    /// `sign_in` of `user` (the one its identifier named), as of `now_ms`.
    pub(crate) fn new(sign_in: &SignInRecord, user: Option<&User>, now_ms: i64) -> Self {
        let first_factor = (!sign_in.first_factor.is_empty()).then(|| {
            let mut verification = sign_in.first_factor.clone();
            // Which code and where it went are the server's own bookkeeping.
            verification.remove("code_id");
            verification.remove("identification_id");
            Value::Object(verification)
        });
        Self {
            object: "sign_in_attempt",
            id: sign_in.id.clone(),
            status: sign_in.status_at(now_ms).to_owned(),
            supported_identifiers: ["email_address", "phone_number", "username"],
            supported_first_factors: user.map(first_factors),
            supported_second_factors: None,
            first_factor_verification: first_factor,
            second_factor_verification: None,
            identifier: sign_in.identifier.clone(),
            user_data: user.map(|u| {
                json!({
                    "first_name": u.record.first_name,
                    "last_name": u.record.last_name,
                    "has_image": false,
                })
            }),
            created_session_id: sign_in.created_session_id.clone(),
            abandon_at: sign_in.abandon_at,
        }
    }
}

/// The first factors `user` can sign in with: a password if it has one, a code to each
/// verified email address and phone number.
fn first_factors(user: &User) -> Vec<Value> {
    let mut factors = Vec::new();
    if user.record.password_digest.is_some() {
        factors.push(json!({ "strategy": "password" }));
    }
    for (kind, strategy, id_key) in [
        (
            IdentifierKind::EmailAddress,
            "email_code",
            "email_address_id",
        ),
        (IdentifierKind::PhoneNumber, "phone_code", "phone_number_id"),
    ] {
        let primary = user.primary(kind).map(|p| p.id.clone());
        for ident in user.of_kind(kind).filter(|i| i.verified && !i.reserved) {
            let mut factor = Map::new();
            factor.insert("strategy".into(), json!(strategy));
            factor.insert("safe_identifier".into(), json!(ident.value));
            factor.insert(id_key.into(), json!(ident.id));
            factor.insert(
                "primary".into(),
                json!(primary.as_deref() == Some(&ident.id)),
            );
            factors.push(Value::Object(factor));
        }
    }
    factors
}

/// The browser's `client`: its active sessions (each with its user) and its current
/// sign-in.
#[derive(Serialize)]
pub(crate) struct BrowserClientJson {
    object: &'static str,
    id: String,
    sessions: Vec<BrowserSessionJson>,
    sign_in: Option<SignInJson>,
    sign_up: Option<Value>,
    last_active_session_id: Option<String>,
    last_authentication_strategy: Option<String>,
    cookie_expires_at: Option<i64>,
    captcha_bypass: bool,
    created_at: i64,
    updated_at: i64,
}

/// What a client's view needs besides the client: the users of its sessions, and its
/// sign-in with the user it names.
pub(crate) struct ClientParts<'a> {
    pub users: &'a [BrowserUser],
    pub sign_in: Option<(&'a SignInRecord, Option<&'a User>)>,
    pub sign_up: Option<&'a SignUpRecord>,
    pub cookie_expires_at: Option<i64>,
}

impl BrowserClientJson {
    /// `client` as of `ctx.now_ms`: only its sessions that are active now are listed.
    pub(crate) fn new(client: &Client, parts: ClientParts<'_>, ctx: &UserContext) -> Self {
        let sessions: Vec<BrowserSessionJson> = client
            .sessions
            .iter()
            .filter(|s| s.status(ctx.now_ms) == "active")
            .filter_map(|s| {
                let user = parts.users.iter().find(|u| u.user.record.id == s.user_id)?;
                Some(BrowserSessionJson::new(s, user, ctx))
            })
            .collect();
        let last_active_session_id = client
            .last_active_session_id
            .clone()
            .filter(|id| sessions.iter().any(|s| &s.id == id));
        Self {
            object: "client",
            id: client.id.clone(),
            sessions,
            sign_in: parts
                .sign_in
                .map(|(sign_in, user)| SignInJson::new(sign_in, user, ctx.now_ms)),
            sign_up: parts.sign_up.map(|s| {
                serde_json::to_value(SignUpJson::new(s, ctx.now_ms)).unwrap_or(Value::Null)
            }),
            last_active_session_id,
            last_authentication_strategy: client.last_authentication_strategy.clone(),
            cookie_expires_at: parts.cookie_expires_at,
            captcha_bypass: false,
            created_at: client.created_at,
            updated_at: client.updated_at,
        }
    }
}
