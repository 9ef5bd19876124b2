//! Test support for the webhook tests: one secret, one delivery signed with it, and helpers
//! to take it apart. Each test binary uses a different part of it.
#![allow(dead_code)]

use std::sync::Arc;

use clerk_sdk::verify::ManualClock;
use clerk_sdk::webhooks::{WebhookError, WebhookSecret, WebhookVerifier};

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
pub const OTHER_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
pub const NOW: i64 = 1_767_225_600;
pub const ID: &str = "msg_2x3YnFq7bP9kLmN4oR8sT1uVwXz";
pub const BODY: &[u8] = br#"{"data":{"object":"user","id":"user_1","deleted":true},"object":"event","type":"user.deleted","timestamp":1767225600123,"instance_id":"ins_1"}"#;
pub const LIMIT: usize = 4096;

pub type Headers = Vec<(String, Vec<u8>)>;

pub fn verifier() -> WebhookVerifier {
    WebhookVerifier::builder()
        .secret(SECRET)
        .max_body_len(LIMIT)
        .clock(Arc::new(ManualClock::at_unix(NOW as u64)))
        .build()
        .unwrap()
}

pub fn secret() -> WebhookSecret {
    WebhookSecret::new(SECRET).unwrap()
}

/// The `v1,...` signature of `{id}.{timestamp}.{body}` under `secret`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    WebhookSecret::new(secret)
        .unwrap()
        .sign(id, timestamp, body)
}

/// Raw HMAC-SHA256 under any key, for signatures made the wrong way.
pub fn raw_hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key);
    aws_lc_rs::hmac::sign(&key, message).as_ref().to_vec()
}

pub fn signed_content(timestamp: &str) -> Vec<u8> {
    [ID.as_bytes(), b".", timestamp.as_bytes(), b".", BODY].concat()
}

pub fn headers(id: &str, timestamp: &str, signature: &str) -> Headers {
    vec![
        ("svix-id".into(), id.into()),
        ("svix-timestamp".into(), timestamp.into()),
        ("svix-signature".into(), signature.into()),
    ]
}

pub fn good_headers() -> Headers {
    headers(ID, &NOW.to_string(), &sign(SECRET, ID, NOW, BODY))
}

pub fn without(mut headers: Headers, name: &str) -> Headers {
    headers.retain(|(key, _)| key != name);
    headers
}

pub fn with(mut headers: Headers, name: &str, value: impl Into<Vec<u8>>) -> Headers {
    headers.push((name.into(), value.into()));
    headers
}

pub fn replaced(headers: Headers, name: &str, value: impl Into<Vec<u8>>) -> Headers {
    with(without(headers, name), name, value)
}

pub fn good_sig() -> String {
    sign(SECRET, ID, NOW, BODY)
}

pub fn good_b64() -> String {
    good_sig()["v1,".len()..].to_owned()
}

pub fn missing(name: &'static str) -> WebhookError {
    WebhookError::MissingHeader { name }
}

pub fn malformed(name: &'static str, problem: &'static str) -> WebhookError {
    WebhookError::MalformedHeader { name, problem }
}

/// A delivery signed correctly at `timestamp`.
pub fn signed_at(timestamp: i64) -> Headers {
    headers(
        ID,
        &timestamp.to_string(),
        &sign(SECRET, ID, timestamp, BODY),
    )
}

/// The same headers as an `http::HeaderMap`, when every value is one it can hold.
pub fn header_map(headers: &Headers) -> Option<http::HeaderMap> {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        let name: http::HeaderName = name.parse().ok()?;
        map.append(name, http::HeaderValue::from_bytes(value).ok()?);
    }
    Some(map)
}
