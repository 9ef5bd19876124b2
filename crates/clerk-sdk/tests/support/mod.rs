//! Test support shared by the SDK's integration tests: a recording HTTP
//! listener on 127.0.0.1 that answers with canned JSON, and fixtures of the
//! Backend API's objects.
#![allow(dead_code)] // each test binary uses a different part

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use clerk_sdk::{Clerk, RetryPolicy};
use serde_json::{Value, json};

/// The secret key every test client sends.
pub const SECRET_KEY: &str = "sk_test_wire_0123456789";

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The raw query string, exactly as sent (`None` when there was no `?`).
    pub query: Option<String>,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body as JSON (panics if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body of {} {} is not JSON ({e}): {:?}",
                self.method, self.path, self.body
            )
        })
    }

    /// Checks method, path and raw query.
    pub fn assert_target(&self, method: &str, path: &str, query: Option<&str>) {
        assert_eq!(self.method, method, "method of {}", self.path);
        assert_eq!(self.path, path);
        assert_eq!(self.query.as_deref(), query, "query of {method} {path}");
    }

    /// Checks the headers every request carries, and that a JSON
    /// `Content-Type` is sent exactly when there is a body.
    pub fn assert_standard_headers(&self) {
        assert_eq!(
            self.header("authorization"),
            Some(format!("Bearer {SECRET_KEY}").as_str())
        );
        assert_eq!(self.header("clerk-api-version"), Some("2026-05-12"));
        assert_eq!(
            self.header("user-agent"),
            Some(concat!("clerk-sdk-rust/", env!("CARGO_PKG_VERSION")))
        );
        assert_eq!(self.header("accept"), Some("application/json"));
        if self.body.is_empty() {
            assert_eq!(
                self.header("content-type"),
                None,
                "no body, no content type"
            );
        } else {
            assert_eq!(self.header("content-type"), Some("application/json"));
        }
    }

    /// Checks the whole request: target, standard headers and JSON body
    /// (`None`: no body at all).
    pub fn assert_request(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: Option<Value>,
    ) {
        self.assert_target(method, path, query);
        self.assert_standard_headers();
        match body {
            Some(expected) => assert_eq!(self.json(), expected, "body of {method} {path}"),
            None => assert!(
                self.body.is_empty(),
                "{method} {path} sent a body: {:?}",
                self.body
            ),
        }
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (to provoke timeouts).
    pub delay: Option<Duration>,
}

impl Canned {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: None,
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: body.into(),
            delay: None,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

#[derive(Default)]
struct Shared {
    recorded: Mutex<Vec<Recorded>>,
    routes: Mutex<HashMap<String, Canned>>,
    queue: Mutex<VecDeque<Canned>>,
    fallback: Mutex<Option<Canned>>,
}

/// A listener on `127.0.0.1:0` that records every request and answers with
/// the canned answer for its path if one is set, else the queued answers in
/// order, then the fallback, else `200 {}`.
/// Stopped when dropped.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record_and_answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default()
        .to_vec();
    let routed = shared.routes.lock().unwrap().get(parts.uri.path()).cloned();
    shared.recorded.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    });
    let canned = routed.or_else(|| shared.queue.lock().unwrap().pop_front());
    let canned = canned
        .or_else(|| shared.fallback.lock().unwrap().clone())
        .unwrap_or_else(|| Canned::json(200, json!({})));
    if let Some(delay) = canned.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::builder().status(canned.status);
    for (name, value) in &canned.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(canned.body)).unwrap()
}

impl MockServer {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let app = axum::Router::new()
            .fallback(record_and_answer)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, shared, task }
    }

    /// `http://127.0.0.1:<port>` (no `/v1`: the SDK adds it).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client for this server with retries off.
    pub fn clerk(&self) -> Clerk {
        self.clerk_with(RetryPolicy::disabled())
    }

    /// A client for this server with this retry policy.
    pub fn clerk_with(&self, retry: RetryPolicy) -> Clerk {
        Clerk::builder()
            .base_url(self.url())
            .secret_key(SECRET_KEY)
            .retry_policy(retry)
            .build()
            .unwrap()
    }

    /// Queues an answer.
    pub fn respond(&self, canned: Canned) -> &Self {
        self.shared.queue.lock().unwrap().push_back(canned);
        self
    }

    /// Queues a JSON answer.
    pub fn respond_json(&self, status: u16, body: Value) -> &Self {
        self.respond(Canned::json(status, body))
    }

    /// Always answers requests to `path` (e.g. `/v1/users/count`) with this.
    pub fn on(&self, path: &str, canned: Canned) -> &Self {
        self.shared
            .routes
            .lock()
            .unwrap()
            .insert(path.into(), canned);
        self
    }

    /// The answer once the queue is empty.
    pub fn always(&self, canned: Canned) {
        *self.shared.fallback.lock().unwrap() = Some(canned);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.recorded.lock().unwrap().clone()
    }

    /// The one request received (panics unless there was exactly one).
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests.into_iter().next().unwrap()
    }
}

/// Fixtures: minimal objects as the Backend API sends them.
pub mod fixtures {
    use serde_json::{Value, json};

    pub fn verification_admin() -> Value {
        json!({"object": "verification_admin", "status": "verified", "strategy": "admin",
               "attempts": null, "expire_at": null})
    }

    pub fn email_address(id: &str, address: &str) -> Value {
        json!({"id": id, "object": "email_address", "email_address": address, "reserved": false,
               "verification": verification_admin(), "linked_to": [],
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn phone_number(id: &str, number: &str) -> Value {
        json!({"id": id, "object": "phone_number", "phone_number": number, "reserved": false,
               "verification": verification_admin(), "linked_to": [],
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn user(id: &str) -> Value {
        json!({
            "id": id, "object": "user", "external_id": null,
            "primary_email_address_id": "idn_1", "primary_phone_number_id": null,
            "primary_web3_wallet_id": null, "username": null, "first_name": "Ada", "last_name": null,
            "has_image": false, "public_metadata": {}, "private_metadata": {}, "unsafe_metadata": {},
            "email_addresses": [email_address("idn_1", "ada@example.com")], "phone_numbers": [],
            "web3_wallets": [], "passkeys": [], "password_enabled": true, "two_factor_enabled": false,
            "totp_enabled": false, "backup_code_enabled": false, "mfa_enabled_at": null,
            "mfa_disabled_at": null, "external_accounts": [], "saml_accounts": [],
            "enterprise_accounts": [], "last_sign_in_at": null, "banned": false, "locked": false,
            "lockout_expires_in_seconds": null, "verification_attempts_remaining": null,
            "updated_at": 1_700_000_000_000_i64, "created_at": 1_700_000_000_000_i64,
            "delete_self_enabled": true, "create_organization_enabled": true,
            "last_active_at": null, "legal_accepted_at": null
        })
    }

    pub fn session(id: &str) -> Value {
        json!({"object": "session", "id": id, "user_id": "user_1", "client_id": "client_1",
               "status": "active", "last_active_at": 1_700_000_000_000_i64,
               "expire_at": 1_700_000_600_000_i64, "abandon_at": 1_700_000_900_000_i64,
               "updated_at": 1_700_000_000_000_i64, "created_at": 1_700_000_000_000_i64})
    }

    pub fn client(id: &str) -> Value {
        json!({"object": "client", "id": id, "session_ids": ["sess_1"], "sessions": [session("sess_1")],
               "sign_in_id": null, "sign_up_id": null, "last_active_session_id": "sess_1",
               "last_authentication_strategy": null,
               "updated_at": 1_700_000_000_000_i64, "created_at": 1_700_000_000_000_i64})
    }

    pub fn allowlist_identifier(id: &str, identifier: &str) -> Value {
        json!({"object": "allowlist_identifier", "id": id, "identifier": identifier,
               "identifier_type": "email_address", "instance_id": "ins_1",
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn waitlist_entry(id: &str, email_address: &str, status: &str) -> Value {
        json!({"object": "waitlist_entry", "id": id, "email_address": email_address,
               "status": status, "is_locked": false, "invitation": null,
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn deleted(object: &str, id: &str) -> Value {
        json!({"object": object, "id": id, "deleted": true})
    }

    pub fn instance_settings(restricted: bool) -> Value {
        json!({"object": "instance_settings", "id": "ins_1", "restricted_to_allowlist": restricted,
               "from_email_address": "noreply", "progressive_sign_up": false})
    }

    pub fn instance_restrictions(allowlist: bool) -> Value {
        json!({"object": "instance_restrictions", "allowlist": allowlist, "blocklist": false,
               "allowlist_blocklist_disabled_on_sign_in": false, "block_email_subaddresses": true,
               "block_disposable_email_domains": false})
    }

    pub fn token() -> Value {
        json!({"object": "token", "jwt": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2ln"})
    }

    pub fn jwks() -> Value {
        json!({"keys": [{"use": "sig", "kty": "RSA", "kid": "ins_1", "alg": "RS256",
                         "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw",
                         "e": "AQAB"}]})
    }

    pub fn email() -> Value {
        json!({"object": "email", "id": "ema_1", "from_email_name": "noreply",
               "email_address_id": "idn_1", "to_email_address": "ada@example.com",
               "subject": "Welcome", "body": "<p>Hi</p>", "status": "queued", "data": {},
               "delivered_by_clerk": true})
    }

    pub fn sms_message() -> Value {
        json!({"object": "sms_message", "id": "sms_1", "from_phone_number": "+15555550100",
               "to_phone_number": "+15555550101", "phone_number_id": "idn_2", "message": "Welcome!",
               "status": "queued", "data": {}, "delivered_by_clerk": true})
    }

    pub fn organization(id: &str, slug: &str) -> Value {
        json!({"object": "organization", "id": id, "name": "Acme", "slug": slug, "image_url": null,
               "has_image": false, "max_allowed_memberships": 5, "admin_delete_enabled": true,
               "public_metadata": {}, "private_metadata": {}, "created_by": "user_1",
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn membership(id: &str, role: &str) -> Value {
        json!({"object": "organization_membership", "id": id, "role": role, "role_name": "Member",
               "permissions": [], "public_metadata": {}, "private_metadata": {},
               "organization": organization("org_1", "acme"),
               "public_user_data": {"user_id": "user_1", "first_name": "Ada", "last_name": null,
                                    "profile_image_url": null, "image_url": "https://img.example/1",
                                    "has_image": false, "identifier": "ada@example.com"},
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn invitation(id: &str, status: &str) -> Value {
        json!({"object": "organization_invitation", "id": id, "email_address": "ada@example.com",
               "role": "org:member", "role_name": "Member", "organization_id": "org_1",
               "inviter_id": null, "public_inviter_data": null, "status": status,
               "public_metadata": {}, "private_metadata": {}, "url": null, "expires_at": null,
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn domain(id: &str) -> Value {
        json!({"object": "organization_domain", "id": id, "organization_id": "org_1",
               "name": "example.com", "enrollment_mode": "automatic_invitation",
               "affiliation_email_address": null, "affiliation_verification": null,
               "ownership_verification": null, "verification": null,
               "total_pending_invitations": 0, "total_pending_suggestions": 0,
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn permission(id: &str, key: &str) -> Value {
        json!({"object": "permission", "id": id, "name": key, "key": key, "description": "",
               "type": "user", "created_at": 1_700_000_000_000_i64,
               "updated_at": 1_700_000_000_000_i64})
    }

    pub fn role(id: &str, key: &str) -> Value {
        json!({"object": "role", "id": id, "name": key, "key": key, "description": null,
               "is_creator_eligible": true, "permissions": [permission("perm_1", "org:invoices:read")],
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    pub fn role_set(key: &str) -> Value {
        json!({"object": "role_set", "id": "rs_1", "name": "Default", "key": key,
               "description": null, "type": "initial",
               "roles": [{"object": "role_set_item", "id": "role_1", "name": "Admin", "key": "org:admin",
                          "description": null, "created_at": 1_700_000_000_000_i64,
                          "updated_at": 1_700_000_000_000_i64}],
               "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
    }

    /// The `{"data": [...], "total_count": N}` envelope of the organization lists.
    pub fn page(data: Vec<Value>, total_count: i64) -> Value {
        json!({"data": data, "total_count": total_count})
    }

    pub fn error(code: &str, message: &str) -> Value {
        json!({"errors": [{"code": code, "message": message, "long_message": format!("{message} (long)"),
                           "meta": {}}],
               "clerk_trace_id": "trace_123"})
    }
}
