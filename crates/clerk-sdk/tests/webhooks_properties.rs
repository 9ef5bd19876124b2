//! Properties of webhook verification: any single changed byte of the body, id, timestamp or
//! signature fails, any delivery signed with the secret passes; and the behaviours around
//! the edges: other header names, secret rotation, the tolerance, `Debug` output.

mod webhooks_common;

use std::sync::Arc;

use clerk_sdk::verify::ManualClock;
use clerk_sdk::webhooks::{WebhookError, WebhookVerifier};
use proptest::prelude::*;
use webhooks_common::*;

#[test]
fn standard_webhooks_header_names_are_accepted() {
    let headers: Headers = good_headers()
        .into_iter()
        .map(|(name, value)| (name.replace("svix-", "webhook-"), value))
        .collect();
    verifier().verify(&headers, BODY).unwrap();
    assert_eq!(
        verifier()
            .verify(&without(headers, "webhook-id"), BODY)
            .unwrap_err(),
        missing("webhook-id")
    );
}

#[test]
fn a_rotation_accepts_either_secret_and_any_listed_signature() {
    let rotating = WebhookVerifier::builder()
        .secret(OTHER_SECRET)
        .secret(SECRET)
        .clock(Arc::new(ManualClock::at_unix(NOW as u64)))
        .build()
        .unwrap();
    for signer in [SECRET, OTHER_SECRET] {
        let headers = headers(ID, &NOW.to_string(), &sign(signer, ID, NOW, BODY));
        rotating.verify(&headers, BODY).unwrap();
    }
    // Svix sends a signature per active secret; the one we know may come last, after schemes
    // and entries we skip.
    let list = format!(
        "v2,{} v1,{} v1a,xyz v1,{}",
        good_b64(),
        &sign(OTHER_SECRET, "msg_other", NOW, BODY)[3..],
        good_b64()
    );
    verifier()
        .verify(&headers(ID, &NOW.to_string(), &list), BODY)
        .unwrap();
}

#[test]
fn the_tolerance_is_configurable_and_inclusive() {
    let clock = Arc::new(ManualClock::at_unix(NOW as u64));
    let strict = WebhookVerifier::builder()
        .secret(SECRET)
        .tolerance(std::time::Duration::from_secs(10))
        .clock(clock.clone())
        .build()
        .unwrap();
    strict.verify(&signed_at(NOW - 10), BODY).unwrap();
    strict.verify(&signed_at(NOW + 10), BODY).unwrap();
    assert_eq!(
        strict.verify(&signed_at(NOW - 11), BODY).unwrap_err(),
        WebhookError::TimestampTooOld
    );
    // A replay of a good delivery after the window closes.
    clock.advance(std::time::Duration::from_secs(11));
    assert_eq!(
        strict.verify(&good_headers(), BODY).unwrap_err(),
        WebhookError::TimestampTooOld
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let verifier = verifier();
    let builder = WebhookVerifier::builder().secret(SECRET);
    for shown in [
        format!("{verifier:?}"),
        format!("{builder:?}"),
        format!("{:?}", secret()),
    ] {
        assert!(!shown.contains(&SECRET[6..]), "{shown}");
        assert!(!shown.contains("MfKQ"), "{shown}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_changed_body_byte_fails(index in 0..BODY.len(), flip in 1u8..=255) {
        let mut body = BODY.to_vec();
        body[index] ^= flip;
        prop_assert_eq!(verifier().verify(&good_headers(), &body), Err(WebhookError::SignatureMismatch));
    }

    #[test]
    fn any_changed_id_byte_fails(index in 0..ID.len(), flip in 1u8..=255) {
        let mut id = ID.as_bytes().to_vec();
        id[index] ^= flip;
        let headers = replaced(good_headers(), "svix-id", id);
        prop_assert!(verifier().verify(&headers, BODY).is_err());
    }

    #[test]
    fn any_changed_timestamp_byte_fails(index in 0..10usize, flip in 1u8..=255) {
        let mut timestamp = NOW.to_string().into_bytes();
        timestamp[index] ^= flip;
        let headers = replaced(good_headers(), "svix-timestamp", timestamp);
        prop_assert!(verifier().verify(&headers, BODY).is_err());
    }

    #[test]
    fn any_changed_signature_byte_fails(index in 0..47usize, flip in 1u8..=255) {
        let mut signature = good_sig().into_bytes();
        signature[index] ^= flip;
        let headers = replaced(good_headers(), "svix-signature", signature);
        prop_assert!(verifier().verify(&headers, BODY).is_err());
    }

    #[test]
    fn random_signature_headers_never_verify(signature in "[ -~]{0,200}") {
        let headers = replaced(good_headers(), "svix-signature", signature);
        prop_assert!(verifier().verify(&headers, BODY).is_err());
    }

    #[test]
    fn any_body_and_id_signed_with_the_secret_verify(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        id in "msg_[A-Za-z0-9]{1,40}",
        skew in -300i64..=300,
    ) {
        let timestamp = NOW + skew;
        let headers = headers(&id, &timestamp.to_string(), &secret().sign(&id, timestamp, &body));
        let delivery = verifier().verify(&headers, &body).unwrap();
        prop_assert_eq!(delivery.id, id);
        prop_assert_eq!(delivery.timestamp, timestamp);
    }
}
