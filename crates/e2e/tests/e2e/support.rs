//! Helpers shared by the end-to-end tests.

use std::fmt::Debug;

use clerk_sdk::{ApiError, CreateSession, CreateUser, Error, Method, Session, User};
use e2e::{Env, Specs};
use serde_json::Value;

/// Asserts that `result` is a Clerk API error with this status and first code,
/// carrying a trace id; returns it.
#[track_caller]
pub fn api_error<T: Debug>(result: Result<T, Error>, status: u16, code: &str) -> Box<ApiError> {
    let err = match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected a {status} {code} API error, got {other:?}"),
    };
    assert_eq!(err.status().as_u16(), status, "{err:?}");
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert!(
        err.trace_id().is_some_and(|id| !id.is_empty()),
        "no trace id: {err:?}"
    );
    let first = &err.errors()[0];
    assert!(!first.message.is_empty(), "{err:?}");
    assert!(
        first.long_message.as_deref().is_some_and(|m| !m.is_empty()),
        "{err:?}"
    );
    err
}

/// `meta.param_name` of the first error.
pub fn param_name(err: &ApiError) -> Option<&str> {
    err.errors()[0]
        .meta
        .as_ref()?
        .get("param_name")
        .and_then(Value::as_str)
}

/// Creates a user with one (verified) email address through the SDK.
pub async fn user(env: &Env, email: &str) -> User {
    env.clerk
        .users()
        .create(CreateUser::new().email_address([email]))
        .await
        .expect("user created")
}

/// Signs a user in: a new active session (on a new client) through the SDK.
pub async fn sign_in(env: &Env, user_id: &str) -> Session {
    env.clerk
        .sessions()
        .create(CreateSession::new(user_id))
        .await
        .expect("session created")
}

/// Calls a local extension (or any path) through the SDK's escape hatch.
pub async fn local(env: &Env, method: Method, path: &str, body: Option<Value>) -> Value {
    env.clerk
        .request(method, path, &[], body)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

/// The messages of one kind (`email` or `sms_message`) in the server's outbox,
/// newest first, read through the local extension; each is checked against the
/// webhooks spec's payload schema.
pub async fn outbox(env: &Env, kind: &str) -> Vec<Value> {
    let answer: Value = env
        .clerk
        .request(Method::GET, "/_local/outbox", &[("type", kind)], None)
        .await
        .expect("the outbox");
    let items = answer["data"].as_array().cloned().expect("a data array");
    assert_eq!(answer["total_count"], items.len(), "{answer}");
    let schema = match kind {
        "email" => "EmailEventPayload",
        _ => "SmsEventPayload",
    };
    for item in &items {
        assert_eq!(item["object"], kind, "{item}");
        if let Err(violations) = Specs::shared().validate_webhook_object(schema, item) {
            panic!("an outbox {kind} breaks the webhooks spec: {violations:?}");
        }
    }
    items
}

/// The claims of a JWT, unverified.
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}
