//! Verification through a `Clerk` client: keys from the Backend API's `GET /v1/jwks` (with
//! the secret key) or from `CLERK_JWT_KEY`; `sessions().verify_token` and its online form.

mod verify_common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clerk_sdk::verify::Reason;
use clerk_sdk::{Clerk, Error, RetryPolicy};
use serde_json::json;
use verify_common::{TestKey, now, session_claims, with_claim};

const SECRET_KEY: &str = "sk_test_verify_0123456789";
const SESSION_ID: &str = "sess_2x3YnFq7bP9kLmN4oR8sT1uVwXz";

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz"))
}

/// A Backend API with `GET /v1/jwks` (bearer auth) and `GET /v1/sessions/{id}`.
struct Backend {
    url: String,
    state: Arc<BackendState>,
}

struct BackendState {
    jwks: serde_json::Value,
    jwks_requests: AtomicUsize,
    session_requests: AtomicUsize,
    jwks_headers: Mutex<Option<HeaderMap>>,
    session_status: Mutex<HashMap<String, String>>,
}

impl Backend {
    async fn start(keys: &[&TestKey]) -> Self {
        let state = Arc::new(BackendState {
            jwks: verify_common::jwks(keys),
            jwks_requests: AtomicUsize::new(0),
            session_requests: AtomicUsize::new(0),
            jwks_headers: Mutex::new(None),
            session_status: Mutex::new(HashMap::from([(
                SESSION_ID.to_owned(),
                "active".to_owned(),
            )])),
        });
        let app = Router::new()
            .route("/v1/jwks", get(jwks))
            .route("/v1/sessions/{id}", get(session))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Backend { url, state }
    }

    fn client(&self, secret_key: &str) -> Clerk {
        Clerk::builder()
            .base_url(&self.url)
            .secret_key(secret_key)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
    }

    fn jwks_requests(&self) -> usize {
        self.state.jwks_requests.load(Ordering::SeqCst)
    }

    fn session_requests(&self) -> usize {
        self.state.session_requests.load(Ordering::SeqCst)
    }

    fn set_session_status(&self, status: &str) {
        self.state
            .session_status
            .lock()
            .unwrap()
            .insert(SESSION_ID.to_owned(), status.to_owned());
    }
}

fn clerk_error(status: StatusCode, code: &str) -> Response {
    let body =
        json!({"errors": [{"code": code, "message": code, "long_message": code, "meta": {}}]});
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn jwks(State(state): State<Arc<BackendState>>, headers: HeaderMap) -> Response {
    state.jwks_requests.fetch_add(1, Ordering::SeqCst);
    let authorized = headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {SECRET_KEY}"));
    *state.jwks_headers.lock().unwrap() = Some(headers);
    if !authorized {
        return clerk_error(StatusCode::UNAUTHORIZED, "clerk_key_invalid");
    }
    (
        [("content-type", "application/json")],
        state.jwks.to_string(),
    )
        .into_response()
}

async fn session(State(state): State<Arc<BackendState>>, Path(id): Path<String>) -> Response {
    state.session_requests.fetch_add(1, Ordering::SeqCst);
    let Some(status) = state.session_status.lock().unwrap().get(&id).cloned() else {
        return clerk_error(StatusCode::NOT_FOUND, "resource_not_found");
    };
    let ms = now() * 1000;
    let body = json!({
        "object": "session", "id": id, "user_id": "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy",
        "client_id": "client_2x3YnFq7bP9kLmN4oR8sT1uVwXz", "status": status,
        "last_active_at": ms, "expire_at": ms + 86_400_000, "abandon_at": ms + 86_400_000,
        "updated_at": ms, "created_at": ms,
    });
    ([("content-type", "application/json")], body.to_string()).into_response()
}

fn reason(result: Result<impl std::fmt::Debug, Error>) -> Reason {
    match result {
        Err(Error::Verify(e)) => e.reason(),
        other => panic!("expected a verification error, got {other:?}"),
    }
}

#[tokio::test]
async fn verify_token_uses_the_backend_api_jwks_once_per_client() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client(SECRET_KEY);
    let claims = clerk.verify_token(&key().fresh_token()).await.unwrap();
    assert_eq!(claims.sub, "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy");
    clerk.verify_token(&key().fresh_token()).await.unwrap();
    // Clones share the one verifier (and its cache).
    clerk
        .clone()
        .verify_token(&key().fresh_token())
        .await
        .unwrap();
    assert_eq!(backend.jwks_requests(), 1);

    let headers = backend.state.jwks_headers.lock().unwrap().clone().unwrap();
    assert_eq!(headers["authorization"], format!("Bearer {SECRET_KEY}"));
    assert_eq!(headers["clerk-api-version"], clerk_sdk::DEFAULT_API_VERSION);
    assert_eq!(headers["user-agent"], clerk_sdk::DEFAULT_USER_AGENT);
    assert!(!format!("{clerk:?}").contains(SECRET_KEY));
}

#[tokio::test]
async fn each_client_has_its_own_key_cache() {
    let other = TestKey::generate("ins_other_instance");
    let backend_a = Backend::start(&[key()]).await;
    let backend_b = Backend::start(&[&other]).await;
    let (clerk_a, clerk_b) = (backend_a.client(SECRET_KEY), backend_b.client(SECRET_KEY));
    clerk_a.verify_token(&key().fresh_token()).await.unwrap();
    clerk_b.verify_token(&other.fresh_token()).await.unwrap();
    assert_eq!(
        reason(clerk_b.verify_token(&key().fresh_token()).await),
        Reason::UnknownKey
    );
    assert_eq!(
        reason(clerk_a.verify_token(&other.fresh_token()).await),
        Reason::UnknownKey
    );
}

#[tokio::test]
async fn rejected_tokens_are_error_verify_with_the_reason() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client(SECRET_KEY);
    let expired = key().token(&with_claim(
        &session_claims(now()),
        "exp",
        json!(now() - 60),
    ));
    let err = clerk.verify_token(&expired).await.unwrap_err();
    assert_eq!(err.verify_error().unwrap().reason(), Reason::Expired);
    assert!(err.to_string().contains("expired"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_bad_secret_key_makes_keys_unavailable_naming_clerk_key_invalid() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client("sk_test_wrong");
    let err = clerk.verify_token(&key().fresh_token()).await.unwrap_err();
    let verify = err.verify_error().unwrap();
    assert_eq!(verify.reason(), Reason::KeysUnavailable);
    assert!(
        verify.detail().unwrap().contains("clerk_key_invalid"),
        "{verify}"
    );
    assert!(!err.to_string().contains("sk_test_wrong"));
}

#[tokio::test]
async fn a_jwt_key_needs_no_secret_key_and_no_network() {
    let backend = Backend::start(&[key()]).await;
    let clerk = Clerk::builder()
        .base_url(&backend.url)
        .secret_key(SECRET_KEY)
        .jwt_key(key().pem())
        .build()
        .unwrap();
    clerk.verify_token(&key().fresh_token()).await.unwrap();
    let keyless = Clerk::builder()
        .jwt_key(key().pem().replace('\n', "\\n"))
        .build()
        .unwrap();
    keyless.verify_token(&key().fresh_token()).await.unwrap();
    assert_eq!(backend.jwks_requests(), 0);

    let nothing = Clerk::builder().build().unwrap();
    assert!(matches!(
        nothing.verify_token(&key().fresh_token()).await,
        Err(Error::MissingSecretKey)
    ));
    let bad = Clerk::builder().jwt_key("not a key").build().unwrap_err();
    assert!(matches!(bad, Error::Config(_)), "{bad:?}");
}

#[tokio::test]
async fn authorized_parties_and_custom_verifiers() {
    let backend = Backend::start(&[key()]).await;
    let strict = Clerk::builder()
        .base_url(&backend.url)
        .secret_key(SECRET_KEY)
        .authorized_parties(["https://only-this.example.test"])
        .build()
        .unwrap();
    assert_eq!(
        reason(strict.verify_token(&key().fresh_token()).await),
        Reason::UnauthorizedParty
    );

    let verifier = clerk_sdk::Verifier::builder_pem(key().pem())
        .allow_pending_sessions(true)
        .build()
        .unwrap();
    let custom = Clerk::builder().verifier(verifier).build().unwrap();
    let pending = key().token(&with_claim(&session_claims(now()), "sts", json!("pending")));
    assert!(custom.verify_token(&pending).await.unwrap().is_pending());
}

#[tokio::test]
async fn a_verifier_of_your_own_on_the_backend_api_jwks() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client(SECRET_KEY);
    let verifier = clerk_sdk::Verifier::builder(clerk.backend_api_jwks().unwrap())
        .issuer("https://someone-else.example.test")
        .build()
        .unwrap();
    let err = verifier
        .verify_token(&key().fresh_token())
        .await
        .unwrap_err();
    assert_eq!(err.reason(), Reason::IssuerMismatch);
    assert_eq!(backend.jwks_requests(), 1);
    let headers = backend.state.jwks_headers.lock().unwrap().clone().unwrap();
    assert_eq!(headers["authorization"], format!("Bearer {SECRET_KEY}"));
    assert_eq!(headers["clerk-api-version"], clerk_sdk::DEFAULT_API_VERSION);

    let keyless = Clerk::builder().build().unwrap();
    assert!(matches!(
        keyless.backend_api_jwks(),
        Err(Error::MissingSecretKey)
    ));
}

#[tokio::test]
async fn sessions_verify_token_is_networkless_and_checks_the_session_id() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client(SECRET_KEY);
    let token = key().fresh_token();
    let claims = clerk
        .sessions()
        .verify_token(SESSION_ID, &token)
        .await
        .unwrap();
    assert_eq!(claims.sid.as_deref(), Some(SESSION_ID));
    assert_eq!(
        reason(
            clerk
                .sessions()
                .verify_token("sess_someone_else", &token)
                .await
        ),
        Reason::SessionMismatch
    );
    assert_eq!(backend.session_requests(), 0);
}

#[tokio::test]
async fn sessions_verify_token_online_sees_a_revocation() {
    let backend = Backend::start(&[key()]).await;
    let clerk = backend.client(SECRET_KEY);
    let token = key().fresh_token();
    let (claims, session) = clerk
        .sessions()
        .verify_token_online(SESSION_ID, &token)
        .await
        .unwrap();
    assert_eq!(claims.sub, session.user_id);
    assert_eq!(backend.session_requests(), 1);

    // Revoked after the token was issued: networkless verification still accepts it...
    backend.set_session_status("revoked");
    clerk
        .sessions()
        .verify_token(SESSION_ID, &token)
        .await
        .unwrap();
    // ...the online check does not.
    let err = clerk
        .sessions()
        .verify_token_online(SESSION_ID, &token)
        .await
        .unwrap_err();
    assert_eq!(
        err.verify_error().unwrap().reason(),
        Reason::SessionNotActive
    );
    assert!(err.to_string().contains("revoked"), "{err}");

    // A bad token is refused before the API is asked.
    let before = backend.session_requests();
    let forged = verify_common::hs256_with_public_key(key(), &session_claims(now()));
    let err = clerk
        .sessions()
        .verify_token_online(SESSION_ID, &forged)
        .await
        .unwrap_err();
    assert_eq!(
        err.verify_error().unwrap().reason(),
        Reason::AlgorithmNotAllowed
    );
    assert_eq!(backend.session_requests(), before);
}
