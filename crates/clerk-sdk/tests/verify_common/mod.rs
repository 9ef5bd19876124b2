//! Test support for the verifier tests: RSA keys that mint RS256 tokens (and forge hostile
//! ones), and a JWKS server on 127.0.0.1 that counts requests and can be made slow or down.
//!
//! Each test binary uses a different part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

pub const ISSUER: &str = "https://clerk.example.test";
pub const AZP: &str = "https://app.example.test";

/// The private key behind `fuzz/keys/public.pem` and the fuzz corpus's valid tokens: fixed
/// so that corpus files and callgrind runs are reproducible. A test key; it signs nothing real.
pub const FIXED_PKCS8_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/keys/private.pk8");

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The claims of a Clerk v2 session token issued at `iat`, valid for 60 s.
pub fn session_claims(iat: i64) -> Value {
    json!({
        "azp": AZP,
        "exp": iat + 60,
        "fva": [0, -1],
        "iat": iat,
        "iss": ISSUER,
        "jti": "2b8f0c1e6b1f4ad0a7c1",
        "nbf": iat - 10,
        "sid": "sess_2x3YnFq7bP9kLmN4oR8sT1uVwXz",
        "sts": "active",
        "sub": "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy",
        "v": 2
    })
}

/// An RSA-2048 key pair that publishes itself as a JWK or PEM and signs tokens.
pub struct TestKey {
    pair: KeyPair,
    pub kid: String,
}

impl TestKey {
    pub fn generate(kid: &str) -> Self {
        Self::generate_with_size(kid, KeySize::Rsa2048)
    }

    pub fn generate_with_size(kid: &str, size: KeySize) -> Self {
        TestKey {
            pair: KeyPair::generate(size).expect("RSA key generation"),
            kid: kid.to_owned(),
        }
    }

    /// The fixed key whose public half is `fuzz/keys/public.pem`.
    pub fn fixed(kid: &str) -> Self {
        let der = std::fs::read(FIXED_PKCS8_PATH).expect("fixed test key");
        TestKey {
            pair: KeyPair::from_pkcs8(&der).expect("PKCS#8 key"),
            kid: kid.to_owned(),
        }
    }

    pub fn pkcs8_der(&self) -> Vec<u8> {
        self.pair.as_der().unwrap().as_ref().to_vec()
    }

    /// `{"kty":"RSA","use":"sig","alg":"RS256","kid","n","e"}`, as Clerk publishes it.
    pub fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({
            "use": "sig",
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "n": b64(public.modulus().big_endian_without_leading_zero()),
            "e": b64(public.exponent().big_endian_without_leading_zero()),
        })
    }

    /// The SPKI public key as PEM, 64 columns, as the Clerk dashboard shows it.
    pub fn pem(&self) -> String {
        let body = STANDARD.encode(self.spki_der());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            lines.join("\n")
        )
    }

    pub fn spki_der(&self) -> Vec<u8> {
        self.pair.public_key().as_der().unwrap().as_ref().to_vec()
    }

    pub fn sign_bytes(&self, message: &[u8]) -> Vec<u8> {
        let mut sig = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut sig,
            )
            .expect("RSA signing");
        sig
    }

    /// A compact JWS of exactly these header and payload texts, RS256-signed.
    pub fn sign_raw(&self, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header), b64(payload));
        let sig = self.sign_bytes(input.as_bytes());
        format!("{input}.{}", b64(sig))
    }

    pub fn sign(&self, header: &Value, payload: &Value) -> String {
        self.sign_raw(&header.to_string(), &payload.to_string())
    }

    /// The header Clerk puts on session tokens.
    pub fn header(&self) -> Value {
        json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"})
    }

    /// A session token with Clerk's header and these claims.
    pub fn token(&self, claims: &Value) -> String {
        self.sign(&self.header(), claims)
    }

    /// A valid session token issued now.
    pub fn fresh_token(&self) -> String {
        self.token(&session_claims(now()))
    }
}

/// HS256 "signed" with the RSA public key (PEM text) as the HMAC secret: the classic
/// algorithm-confusion forgery.
pub fn hs256_with_public_key(key: &TestKey, payload: &Value) -> String {
    let header = json!({"alg": "HS256", "kid": key.kid, "typ": "JWT"});
    let input = format!("{}.{}", b64(header.to_string()), b64(payload.to_string()));
    let hmac_key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key.pem().as_bytes());
    let tag = aws_lc_rs::hmac::sign(&hmac_key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// A JWKS document of these keys.
pub fn jwks(keys: &[&TestKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
}

struct ServerState {
    jwks: Mutex<Value>,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    failure: Mutex<Option<StatusCode>>,
    gate: Mutex<Option<Arc<Semaphore>>>,
    last_headers: Mutex<Option<HeaderMap>>,
}

/// A JWKS endpoint on 127.0.0.1 that counts requests, and can be held (requests wait until
/// released) or made to fail. It runs on the test's runtime and stops with it.
pub struct JwksServer {
    pub url: String,
    state: Arc<ServerState>,
}

impl JwksServer {
    pub async fn start(keys: &[&TestKey]) -> Self {
        let state = Arc::new(ServerState {
            jwks: Mutex::new(jwks(keys)),
            requests: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            failure: Mutex::new(None),
            gate: Mutex::new(None),
            last_headers: Mutex::new(None),
        });
        let app = Router::new()
            .route("/.well-known/jwks.json", get(serve_jwks))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        JwksServer {
            url: format!("http://{addr}/.well-known/jwks.json"),
            state,
        }
    }

    pub fn set_keys(&self, keys: &[&TestKey]) {
        *self.state.jwks.lock().unwrap() = jwks(keys);
    }

    pub fn set_document(&self, doc: Value) {
        *self.state.jwks.lock().unwrap() = doc;
    }

    /// Requests received so far (counted on arrival, before any hold).
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Requests received and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::SeqCst)
    }

    pub fn fail_with(&self, status: StatusCode) {
        *self.state.failure.lock().unwrap() = Some(status);
    }

    pub fn recover(&self) {
        *self.state.failure.lock().unwrap() = None;
    }

    /// From now on requests wait until [`release`](Self::release).
    pub fn hold(&self) {
        *self.state.gate.lock().unwrap() = Some(Arc::new(Semaphore::new(0)));
    }

    pub fn release(&self) {
        if let Some(gate) = self.state.gate.lock().unwrap().take() {
            gate.add_permits(Semaphore::MAX_PERMITS / 2);
        }
    }

    pub fn last_headers(&self) -> HeaderMap {
        self.state
            .last_headers
            .lock()
            .unwrap()
            .clone()
            .unwrap_or_default()
    }
}

async fn serve_jwks(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
) -> axum::response::Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    state.in_flight.fetch_add(1, Ordering::SeqCst);
    *state.last_headers.lock().unwrap() = Some(headers);
    let gate = state.gate.lock().unwrap().clone();
    if let Some(gate) = gate {
        let _permit = gate.acquire().await;
    }
    let failure = *state.failure.lock().unwrap();
    let response = match failure {
        Some(status) => (
            status,
            [("content-type", "application/json")],
            r#"{"errors":[{"code":"internal_clerk_error","message":"down"}]}"#,
        )
            .into_response(),
        None => {
            let body = state.jwks.lock().unwrap().to_string();
            ([("content-type", "application/json")], body).into_response()
        }
    };
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

/// Waits (bounded, as a hang guard) until `condition` holds.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..1000 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

/// One hostile token and the reason it must be rejected with.
pub struct Hostile {
    pub name: &'static str,
    pub token: String,
    pub reason: clerk_sdk::verify::Reason,
    /// Rejected only when keys come from a JWKS (a PEM verifier ignores `kid`).
    pub jwks_only: bool,
}

/// Tokens an attacker (or a broken client) might send, each with the reason a verifier
/// configured with `ISSUER`, `AZP` and default leeway must give. `key` is the trusted key
/// (published under `key.kid`); `attacker` is a key nobody trusts. `now` is the verifier's
/// clock.
pub fn hostile_cases(key: &TestKey, attacker: &TestKey, now: i64) -> Vec<Hostile> {
    use clerk_sdk::verify::Reason::*;

    let claims = session_claims(now);
    let valid = key.token(&claims);
    let (valid_input, valid_sig) = valid.rsplit_once('.').unwrap();
    let (valid_header, valid_payload) = valid_input.split_once('.').unwrap();
    let with = |change: Value| {
        let mut c = claims.clone();
        for (k, v) in change.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        key.token(&c)
    };
    let header = |h: Value| key.sign(&h, &claims);
    let kid = key.kid.as_str();
    // The payload text with one claim's member duplicated, re-signed by the trusted key.
    let claims_text = claims.to_string();
    let duplicated = |member: &str| {
        let payload = format!("{},{member}}}", &claims_text[..claims_text.len() - 1]);
        key.sign_raw(&key.header().to_string(), &payload)
    };
    let mut flipped_sig = URL_SAFE_NO_PAD.decode(valid_sig).unwrap();
    flipped_sig[100] ^= 0x01;
    // A non-canonical last character: same bytes for a lenient decoder, refused here.
    let mut lax_sig = valid_sig.to_owned();
    let last = lax_sig.pop().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let index = alphabet.find(last).unwrap();
    lax_sig.push(alphabet.as_bytes()[index ^ 1] as char);
    let tampered_header =
        b64(json!({"alg": "RS256", "kid": kid, "typ": "JWT", "x": 1}).to_string());
    let tampered_payload = b64(with_claim(&claims, "sub", json!("user_admin")).to_string());
    let none_header = b64(json!({"alg": "none", "typ": "JWT"}).to_string());

    let case = |name, token: String, reason| Hostile {
        name,
        token,
        reason,
        jwks_only: false,
    };
    let jwks_case = |name, token: String, reason| Hostile {
        name,
        token,
        reason,
        jwks_only: true,
    };
    vec![
        case(
            "alg none, empty signature",
            format!("{none_header}.{valid_payload}."),
            AlgorithmNotAllowed,
        ),
        case(
            "alg none, signature kept",
            format!("{none_header}.{valid_payload}.{valid_sig}"),
            AlgorithmNotAllowed,
        ),
        case(
            "alg None (case variant)",
            header(json!({"alg": "None", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "alg rs256 (lower case)",
            header(json!({"alg": "rs256", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "alg missing",
            header(json!({"kid": kid, "typ": "JWT"})),
            AlgorithmNotAllowed,
        ),
        case(
            "HS256 keyed with the public key",
            hs256_with_public_key(key, &claims),
            AlgorithmNotAllowed,
        ),
        case(
            "RS384 header",
            header(json!({"alg": "RS384", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "RS512 header",
            header(json!({"alg": "RS512", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "ES256 header",
            header(json!({"alg": "ES256", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "PS256 header",
            header(json!({"alg": "PS256", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        case(
            "EdDSA header",
            header(json!({"alg": "EdDSA", "kid": kid})),
            AlgorithmNotAllowed,
        ),
        jwks_case(
            "kid missing",
            header(json!({"alg": "RS256", "typ": "JWT"})),
            KeyIdMissing,
        ),
        jwks_case(
            "kid unknown",
            header(json!({"alg": "RS256", "kid": "ins_unknown"})),
            UnknownKey,
        ),
        jwks_case(
            "kid with a path",
            header(json!({"alg": "RS256", "kid": "../../../etc/passwd"})),
            UnknownKey,
        ),
        jwks_case(
            "kid with SQL",
            header(json!({"alg": "RS256", "kid": "x' OR '1'='1'; --"})),
            UnknownKey,
        ),
        jwks_case(
            "kid empty",
            header(json!({"alg": "RS256", "kid": ""})),
            UnknownKey,
        ),
        case(
            "kid not a string",
            header(json!({"alg": "RS256", "kid": 7})),
            Malformed,
        ),
        case(
            "alg twice in the header",
            key.sign_raw(
                &format!(r#"{{"alg":"RS256","kid":"{kid}","alg":"none"}}"#),
                &claims_text,
            ),
            Malformed,
        ),
        case(
            "header tampered after signing",
            format!("{tampered_header}.{valid_payload}.{valid_sig}"),
            SignatureInvalid,
        ),
        case(
            "payload tampered after signing",
            format!("{valid_header}.{tampered_payload}.{valid_sig}"),
            SignatureInvalid,
        ),
        case(
            "signature tampered",
            format!("{valid_input}.{}", b64(&flipped_sig)),
            SignatureInvalid,
        ),
        case(
            "signature stripped",
            format!("{valid_input}."),
            SignatureInvalid,
        ),
        case(
            "signature truncated",
            format!(
                "{valid_input}.{}",
                b64(&flipped_sig[..flipped_sig.len() - 3])
            ),
            SignatureInvalid,
        ),
        case(
            "signature from another key, same kid",
            attacker.sign(&json!({"alg": "RS256", "kid": kid, "typ": "JWT"}), &claims),
            SignatureInvalid,
        ),
        case(
            "signature segment missing",
            valid_input.to_owned(),
            Malformed,
        ),
        case(
            "signature non-canonical base64",
            format!("{valid_input}.{lax_sig}"),
            Malformed,
        ),
        case(
            "expired a minute ago",
            with(json!({"exp": now - 60, "iat": now - 120, "nbf": now - 130})),
            Expired,
        ),
        case(
            "expired just past the leeway",
            with(json!({"exp": now - 6})),
            Expired,
        ),
        case(
            "nbf in the future past the leeway",
            with(json!({"nbf": now + 30})),
            NotYetValid,
        ),
        case(
            "iat in the future past the leeway",
            with(json!({"iat": now + 30})),
            IssuedInFuture,
        ),
        case(
            "wrong iss",
            with(json!({"iss": "https://clerk.evil.test"})),
            IssuerMismatch,
        ),
        case("iss missing", with(json!({"iss": null})), IssuerMismatch),
        case(
            "azp not authorized",
            with(json!({"azp": "https://evil.test"})),
            UnauthorizedParty,
        ),
        case("sub missing", with(json!({"sub": null})), ClaimMissing),
        case("sid missing", with(json!({"sid": null})), ClaimMissing),
        case("exp missing", with(json!({"exp": null})), ClaimMissing),
        case(
            "exp a string",
            with(json!({"exp": (now + 60).to_string()})),
            ClaimInvalid,
        ),
        case("exp a boolean", with(json!({"exp": true})), ClaimInvalid),
        case(
            "nbf an object",
            with(json!({"nbf": {"t": 1}})),
            ClaimInvalid,
        ),
        case("sub a number", with(json!({"sub": 42})), ClaimInvalid),
        case(
            "sub duplicated",
            duplicated(r#""sub":"user_admin""#),
            ClaimInvalid,
        ),
        case(
            "exp duplicated",
            duplicated(&format!(r#""exp":{}"#, now + 100_000)),
            ClaimInvalid,
        ),
        case(
            "sub duplicated through an escape",
            duplicated(r#""s\u0075b":"user_admin""#),
            ClaimInvalid,
        ),
        case(
            "custom claim duplicated",
            duplicated(r#""fva":[0,0]"#),
            ClaimInvalid,
        ),
        case(
            "payload a JSON array",
            key.sign_raw(&key.header().to_string(), "[1,2,3]"),
            Malformed,
        ),
        case(
            "payload not JSON",
            key.sign_raw(&key.header().to_string(), "hello"),
            Malformed,
        ),
        case(
            "payload with trailing data",
            key.sign_raw(&key.header().to_string(), &format!("{claims_text} {{}}")),
            Malformed,
        ),
        case(
            "header not JSON",
            key.sign_raw("RS256", &claims_text),
            Malformed,
        ),
        case(
            "bad base64 in the header",
            format!("e!JhbGciOiJSUzI1NiJ9.{valid_payload}.{valid_sig}"),
            Malformed,
        ),
        case(
            "padding in the payload",
            format!("{valid_header}.{valid_payload}==.{valid_sig}"),
            Malformed,
        ),
        case(
            "standard base64 alphabet",
            format!(
                "{valid_header}.{valid_payload}.{}",
                valid_sig.replace('-', "+").replace('_', "/") + "+/"
            ),
            Malformed,
        ),
        case(
            "whitespace inside",
            format!("{valid_header}. {valid_payload}.{valid_sig}"),
            Malformed,
        ),
        case("four segments", format!("{valid}.{valid_sig}"), Malformed),
        case(
            "five segments (JWE shape)",
            format!("{valid_header}.{valid_payload}.{valid_sig}.AAAA.BBBB"),
            Malformed,
        ),
        case("empty", String::new(), Malformed),
        case("just dots", "..".to_owned(), Malformed),
        case(
            "1 MB token",
            format!("{valid_header}.{}.{valid_sig}", "A".repeat(1 << 20)),
            TokenTooLarge,
        ),
        case(
            "crit header",
            header(json!({"alg": "RS256", "kid": kid, "crit": ["exp"]})),
            HeaderNotAllowed,
        ),
        case(
            "jwk header with the attacker's key",
            attacker.sign(
                &json!({"alg": "RS256", "kid": attacker.kid, "jwk": attacker.jwk()}),
                &claims,
            ),
            HeaderNotAllowed,
        ),
        case(
            "jku header",
            header(json!({"alg": "RS256", "kid": kid, "jku": "https://evil.test/jwks.json"})),
            HeaderNotAllowed,
        ),
        case(
            "x5u header",
            header(json!({"alg": "RS256", "kid": kid, "x5u": "https://evil.test/cert.pem"})),
            HeaderNotAllowed,
        ),
        case(
            "x5c header",
            header(json!({"alg": "RS256", "kid": kid, "x5c": ["MIIB"]})),
            HeaderNotAllowed,
        ),
        case(
            "typ at+jwt (OAuth access token)",
            header(json!({"alg": "RS256", "kid": kid, "typ": "at+jwt"})),
            WrongTokenType,
        ),
        case(
            "M2M token category",
            header(json!({"alg": "RS256", "kid": kid, "cat": "cl_B7d4PD333AAA"})),
            WrongTokenType,
        ),
        case(
            "JWT template category",
            header(json!({"alg": "RS256", "kid": kid, "cat": "cl_B7d4PD222AAA"})),
            WrongTokenType,
        ),
        case(
            "opaque machine token",
            "mt_2x3YnFq7bP9kLmN4oR8sT1uVwXz".to_owned(),
            WrongTokenType,
        ),
        case(
            "pending session",
            with(json!({"sts": "pending"})),
            SessionPending,
        ),
    ]
}

/// `claims` with one claim set to `value`.
pub fn with_claim(claims: &Value, name: &str, value: Value) -> Value {
    let mut c = claims.clone();
    c[name] = value;
    c
}
