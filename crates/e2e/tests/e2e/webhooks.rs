//! Webhook delivery end to end: a receiver in the test (an axum app on 127.0.0.1) is
//! registered through the local API, changes are made through the SDK, and every delivery
//! is checked with the SDK's own verification (`clerk_sdk::webhooks`): its signature with
//! the endpoint's secret, its typed [`Event`], and its JSON against the webhooks spec's
//! schema for its type (`x-webhooks` → `requestBody`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Extension, Router};
use clerk_sdk::webhooks::{ClerkWebhook, Event, EventData, WebhookVerifier};
use clerk_sdk::{
    CreateAllowlistIdentifier, CreateOrganization, CreateOrganizationDomain,
    CreateOrganizationInvitation, CreateOrganizationMembership, CreateOrganizationPermission,
    CreateOrganizationRole, CreateSession, CreateWaitlistEntry, Method, UpdateUser,
};
use e2e::{Env, each_backend};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::support::{local, user};

/// How long a delivery may take to arrive (the server sends on commit: milliseconds).
const DEADLINE: Duration = Duration::from_secs(15);

/// Registers `url` as a webhook endpoint (`POST /v1/_local/webhooks/endpoints`); returns the
/// endpoint's id and its `whsec_` secret.
async fn register(env: &Env, url: &str) -> (String, String) {
    let endpoint = local(
        env,
        Method::POST,
        "/_local/webhooks/endpoints",
        Some(json!({"url": url, "description": "crates/e2e/tests/e2e/webhooks.rs"})),
    )
    .await;
    assert_eq!(endpoint["object"], "webhook_endpoint", "{endpoint}");
    assert_eq!(endpoint["url"], url, "{endpoint}");
    let id = endpoint["id"].as_str().expect("an endpoint id").to_owned();
    let secret = endpoint["secret"].as_str().expect("a secret").to_owned();
    assert!(id.starts_with("ep_"), "{endpoint}");
    assert!(secret.starts_with("whsec_"), "{endpoint}");
    (id, secret)
}

/// Serves `app` on `listener` until the handle is aborted.
fn serve(listener: TcpListener, app: Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        axum::serve(listener, app)
            .await
            .expect("the receiver serves");
    })
}

/// A loopback listener for a receiver, and the URL deliveries go to.
async fn bind(path: &str) -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port for the receiver");
    let url = format!(
        "http://{}{path}",
        listener.local_addr().expect("its address")
    );
    (listener, url)
}

/// The axum extractor's handler: a delivery that verifies is handed to the test.
async fn typed(
    State(deliveries): State<mpsc::UnboundedSender<ClerkWebhook>>,
    webhook: ClerkWebhook,
) -> StatusCode {
    let _ = deliveries.send(webhook);
    StatusCode::NO_CONTENT
}

/// The next verified delivery of `event_type`, skipping others.
async fn next_of(rx: &mut mpsc::UnboundedReceiver<ClerkWebhook>, event_type: &str) -> ClerkWebhook {
    let wait = async {
        loop {
            let webhook = rx.recv().await.expect("the receiver is up");
            if webhook.event.event_type == event_type {
                return webhook;
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .unwrap_or_else(|_| panic!("no {event_type} delivery within {DEADLINE:?}"))
}

/// The messages the server recorded for one event type (`GET /v1/_local/webhooks/messages`).
async fn messages_of(env: &Env, event_type: &str) -> Vec<Value> {
    let page: Value = env
        .clerk
        .request(
            Method::GET,
            "/_local/webhooks/messages",
            &[("event_type", event_type), ("limit", "100")],
            None,
        )
        .await
        .expect("the messages");
    page["data"].as_array().cloned().expect("a data array")
}

#[tokio::test]
async fn a_user_created_through_the_sdk_arrives_as_a_verified_typed_user_created() {
    each_backend(async |env| {
        let (listener, url) = bind("/clerk/webhooks").await;
        let (endpoint_id, secret) = register(env, &url).await;
        let (tx, mut rx) = mpsc::unbounded_channel();
        let app = Router::new()
            .route("/clerk/webhooks", post(typed))
            .layer(Extension(
                WebhookVerifier::new(&secret).expect("the endpoint's secret"),
            ))
            .with_state(tx);
        let receiver = serve(listener, app);

        let ann = user(env, "ann@example.com").await;
        let webhook = next_of(&mut rx, "user.created").await;
        match &webhook.event.data {
            EventData::UserCreated(created) => {
                assert_eq!(created.id, ann.id);
                assert_eq!(created.email_addresses[0].email_address, "ann@example.com");
            }
            other => panic!("user.created typed as {other:?}"),
        }
        assert_eq!(webhook.event.object, "event");
        assert!(
            webhook.event.instance_id.starts_with("ins_"),
            "{:?}",
            webhook.event
        );
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        assert!(
            (now_ms - webhook.event.timestamp).abs() < 60_000,
            "timestamp in milliseconds: {}",
            webhook.event.timestamp
        );
        // The delivery is the message the server recorded, delivered to this endpoint.
        let recorded = messages_of(env, "user.created").await;
        assert_eq!(recorded.len(), 1, "{recorded:?}");
        assert_eq!(recorded[0]["id"], webhook.delivery.id.as_str());
        assert_eq!(
            recorded[0]["deliveries"][0]["endpoint_id"],
            endpoint_id.as_str()
        );

        // organization.created: asserted when this server emits it (organization events
        // come with the organizations' webhook work).
        let org = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        if !messages_of(env, "organization.created").await.is_empty() {
            let webhook = next_of(&mut rx, "organization.created").await;
            match &webhook.event.data {
                EventData::OrganizationCreated(created) => assert_eq!(created.id, org.id),
                other => panic!("organization.created typed as {other:?}"),
            }
        }

        // The extractor refuses what the server did not sign: a tampered body is a 400.
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let tampered = http
            .post(&url)
            .header("svix-id", webhook.delivery.id.as_str())
            .header("svix-timestamp", webhook.delivery.timestamp.to_string())
            .header(
                "svix-signature",
                "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            )
            .body(r#"{"type":"user.created"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(tampered.status(), StatusCode::BAD_REQUEST);
        receiver.abort();
    })
    .await;
}

/// Every delivery, verified with the SDK and kept as raw JSON: `(svix-id, event)`.
type Raw = Arc<Mutex<BTreeMap<String, Value>>>;

/// A handler keeping the exact JSON of each delivery that verifies (the schema check needs
/// the bytes the server sent, not the SDK's reading of them).
async fn raw(
    State(raw): State<Raw>,
    Extension(verifier): Extension<WebhookVerifier>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Ok(delivery) = verifier.verify(&headers, &body) else {
        return StatusCode::BAD_REQUEST;
    };
    if Event::from_slice(&body).is_err() {
        return StatusCode::UNPROCESSABLE_ENTITY;
    }
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    raw.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(delivery.id, json);
    StatusCode::NO_CONTENT
}

/// A browser (the Frontend API, straight to the server: the proxy checks Backend API
/// answers) signs in with a password, ends that session, signs in again and signs out:
/// `session.ended` and `session.removed`.
async fn browser_signs_in_and_out(env: &Env, email: &str) {
    let users = env
        .clerk
        .users()
        .list(clerk_sdk::ListUsers::new().email_address([email]))
        .await
        .unwrap();
    env.clerk
        .users()
        .update(
            &users.data[0].id,
            UpdateUser::new().password("correct-horse-battery"),
        )
        .await
        .unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let fapi = format!("{}/__clerk/v1", env.server.base_url());
    let mut cookie = String::new();
    for end in ["end", "sign-out"] {
        let answer = http
            .post(format!("{fapi}/client/sign_ins"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", &cookie)
            .body(format!("identifier={email}&password=correct-horse-battery"))
            .send()
            .await
            .unwrap();
        if let Some(set) = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__client="))
        {
            cookie = set.split(';').next().unwrap().to_owned();
        }
        let body: Value = answer.json().await.unwrap();
        let session = body["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = match end {
            "end" => format!("{fapi}/client/sessions/{session}/end"),
            _ => format!("{fapi}/client/sessions?_method=DELETE"),
        };
        let ended = http
            .post(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(ended.status(), 200);
    }
}

/// The event types clerk-server emits, sorted: every type of the webhooks spec but billing's
/// (no such feature here) and `session.pending` (no session is ever pending here).
const EMITTED: [&str; 29] = [
    "email.created",
    "organization.created",
    "organization.deleted",
    "organization.updated",
    "organizationDomain.created",
    "organizationDomain.deleted",
    "organizationDomain.updated",
    "organizationInvitation.accepted",
    "organizationInvitation.created",
    "organizationInvitation.revoked",
    "organizationMembership.created",
    "organizationMembership.deleted",
    "organizationMembership.updated",
    "permission.created",
    "permission.deleted",
    "permission.updated",
    "role.created",
    "role.deleted",
    "role.updated",
    "session.created",
    "session.ended",
    "session.removed",
    "session.revoked",
    "sms.created",
    "user.created",
    "user.deleted",
    "user.updated",
    "waitlistEntry.created",
    "waitlistEntry.updated",
];

#[tokio::test]
async fn every_delivered_event_follows_the_webhooks_spec_schema_of_its_type() {
    let spec = openapi_kit::load_spec("webhooks-2025-04-15.json");
    each_backend(async |env| {
        let (listener, url) = bind("/hooks").await;
        let (_, secret) = register(env, &url).await;
        let deliveries = Raw::default();
        let app = Router::new()
            .route("/hooks", post(raw))
            .layer(Extension(WebhookVerifier::new(&secret).unwrap()))
            .with_state(deliveries.clone());
        let receiver = serve(listener, app);

        // A bit of everything the server does: users, email and SMS notifications,
        // sessions, organizations with members and invitations.
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;
        env.clerk
            .users()
            .update(&ann.id, UpdateUser::new().first_name("Ann"))
            .await
            .unwrap();
        let allowlist = env.clerk.allowlist_identifiers();
        allowlist
            .create(CreateAllowlistIdentifier::new("vip@example.com").notify(true))
            .await
            .unwrap();
        allowlist
            .create(CreateAllowlistIdentifier::new("+15555550142").notify(true))
            .await
            .unwrap();
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&ann.id))
            .await
            .unwrap();
        env.clerk.sessions().revoke(&session.id).await.unwrap();
        browser_signs_in_and_out(env, "ann@example.com").await;
        let entry = env
            .clerk
            .waitlist_entries()
            .create(CreateWaitlistEntry::new("wait@example.com").notify(false))
            .await
            .unwrap();
        env.clerk
            .waitlist_entries()
            .invite(&entry.id, false)
            .await
            .unwrap();
        let org = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        env.clerk
            .organization_memberships()
            .create(
                &org.id,
                CreateOrganizationMembership::new(&bob.id, "org:member"),
            )
            .await
            .unwrap();
        env.clerk
            .organization_invitations()
            .create(
                &org.id,
                CreateOrganizationInvitation::new("cy@example.com", "org:member")
                    .inviter_user_id(&ann.id),
            )
            .await
            .unwrap();
        // The rest of the family: every organization, membership, invitation, domain, role
        // and permission event there is.
        let patch = async |path: String, body: Value| {
            let _: Value = env
                .clerk
                .request(Method::PATCH, &path, &[], Some(body))
                .await
                .unwrap();
        };
        patch(
            format!("/organizations/{}", org.id),
            json!({"name": "Acme 2"}),
        )
        .await;
        let memberships = env.clerk.organization_memberships();
        memberships
            .update_role(&org.id, &bob.id, "org:admin")
            .await
            .unwrap();
        memberships.delete(&org.id, &bob.id).await.unwrap();
        let invitations = env.clerk.organization_invitations();
        let revoked = invitations
            .create(
                &org.id,
                CreateOrganizationInvitation::new("dee@example.com", "org:member")
                    .inviter_user_id(&ann.id),
            )
            .await
            .unwrap();
        invitations.revoke(&org.id, &revoked.id).await.unwrap();
        let eve = user(env, "eve@example.com").await;
        let accepted = invitations
            .create(
                &org.id,
                CreateOrganizationInvitation::new("eve@example.com", "org:member")
                    .inviter_user_id(&ann.id),
            )
            .await
            .unwrap();
        let _: Value = env
            .clerk
            .request(
                Method::POST,
                &format!("/_local/organization_invitations/{}/accept", accepted.id),
                &[],
                Some(json!({ "user_id": eve.id })),
            )
            .await
            .unwrap();
        let domains = env.clerk.organization_domains();
        let domain = domains
            .create(&org.id, CreateOrganizationDomain::new("acme.test"))
            .await
            .unwrap();
        patch(
            format!("/organizations/{}/domains/{}", org.id, domain.id),
            json!({"enrollment_mode": "automatic_invitation"}),
        )
        .await;
        domains.delete(&org.id, &domain.id).await.unwrap();
        let permissions = env.clerk.organization_permissions();
        let permission = permissions
            .create(CreateOrganizationPermission::new(
                "Read docs",
                "org:docs:read",
            ))
            .await
            .unwrap();
        patch(
            format!("/organization_permissions/{}", permission.id),
            json!({"description": "Reads the docs"}),
        )
        .await;
        let roles = env.clerk.organization_roles();
        let role = roles
            .create(CreateOrganizationRole::new("Editor", "org:editor"))
            .await
            .unwrap();
        patch(
            format!("/organization_roles/{}", role.id),
            json!({"name": "Editors"}),
        )
        .await;
        roles.delete(&role.id).await.unwrap();
        permissions.delete(&permission.id).await.unwrap();
        env.clerk.organizations().delete(&org.id).await.unwrap();
        env.clerk.users().delete(&bob.id).await.unwrap();

        // Every message the server recorded reaches the receiver.
        let recorded: Value = env
            .clerk
            .request(
                Method::GET,
                "/_local/webhooks/messages",
                &[("limit", "1")],
                None,
            )
            .await
            .expect("the messages");
        let total = recorded["total_count"].as_u64().expect("a total_count") as usize;
        let arrived = tokio::time::timeout(DEADLINE, async {
            loop {
                let got = deliveries
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .len();
                if got >= total {
                    return got;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        let events: Vec<Value> = deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
        assert_eq!(
            arrived.ok(),
            Some(total),
            "on {}: {total} messages recorded, these arrived: {types:?}",
            env.backend_name()
        );
        // Every type this server emits (server.md, "Webhook events"), and no other.
        let mut seen: Vec<&str> = types.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, EMITTED, "on {}", env.backend_name());

        for event in &events {
            if let Err(violations) = follows_the_spec(&spec, event) {
                panic!(
                    "on {}: a {} breaks the webhooks spec: {violations:?}\n{event:#}",
                    env.backend_name(),
                    event["type"]
                );
            }
        }
        receiver.abort();
    })
    .await;
}

/// Validates one event against the webhooks spec's schema for its type
/// (`x-webhooks.<type>.post.requestBody`).
///
/// Session events are the one exception: their `data` is `SessionEventPayload`,
/// `allOf: [Session, {user: User}]`, and `Session` says `additionalProperties: false`, so no
/// object satisfies it under JSON Schema (each branch of an `allOf` is checked on its own,
/// and `Session` refuses the `user` that the other branch requires). A session event is
/// checked as the spec means it: the envelope with `data` without its `user` as a `Session`,
/// and `data.user` as a `User`.
fn follows_the_spec(
    spec: &openapi_kit::Spec,
    event: &Value,
) -> Result<(), Vec<openapi_kit::Violation>> {
    let event_type = event["type"].as_str().expect("a type");
    let schema = spec
        .document()
        .pointer(&format!(
            "/x-webhooks/{event_type}/post/requestBody/content/application~1json/schema"
        ))
        .unwrap_or_else(|| panic!("{event_type} is not in the webhooks spec"));
    const SESSION_EVENT: &str = "#/components/schemas/SessionEventPayload";
    if event_type == "organizationInvitation.accepted" {
        // The spec's OrganizationInvitationAcceptedPayload contradicts itself: it adds
        // `user_id` to OrganizationInvitation, whose `additionalProperties: false` forbids
        // it, and requires a `data` inside `data` (no other invitation event has one).
        // Those two violations are the spec's; any other is ours.
        let real: Vec<_> = spec
            .validate(event, schema)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| {
                !(v.path == "$.data.user_id"
                    || (v.path == "$.data" && v.message.contains("`data`")))
            })
            .collect();
        return if real.is_empty() { Ok(()) } else { Err(real) };
    }
    if schema.pointer("/allOf/1/properties/data/$ref") != Some(&json!(SESSION_EVENT)) {
        return spec.validate(event, schema);
    }
    let mut without_user = event.clone();
    let user = without_user["data"]
        .as_object_mut()
        .and_then(|data| data.remove("user"))
        .unwrap_or(Value::Null);
    let envelope = json!({"allOf": [
        {"$ref": "#/components/schemas/WebhookEventPayload"},
        {"properties": {"data": {"$ref": "#/components/schemas/Session"}}, "required": ["data"]},
    ]});
    spec.validate(&without_user, &envelope)?;
    spec.validate(&user, &json!({"$ref": "#/components/schemas/User"}))
        .map_err(|violations| {
            violations
                .into_iter()
                .map(|v| openapi_kit::Violation {
                    path: v.path.replacen('$', "$.data.user", 1),
                    message: v.message,
                })
                .collect()
        })
}
