//! Hostile webhook deliveries: each one is refused, with the error that says what is wrong.
//! Properties (any single changed byte fails, ...) are in `webhooks_properties.rs`.

mod webhooks_common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clerk_sdk::webhooks::{SecretError, WebhookError, WebhookVerifier};
use webhooks_common::*;

struct Case {
    name: &'static str,
    headers: Headers,
    body: Vec<u8>,
    expected: WebhookError,
}

fn case(name: &'static str, headers: Headers, expected: WebhookError) -> Case {
    Case {
        name,
        headers,
        body: BODY.to_vec(),
        expected,
    }
}

fn hostile_cases() -> Vec<Case> {
    use WebhookError::{NoSupportedSignature, SignatureMismatch, TimestampTooNew, TimestampTooOld};
    let now = NOW.to_string();
    let b64 = good_b64();
    let tag = STANDARD.decode(&b64).unwrap();
    let mut tampered_body = BODY.to_vec();
    tampered_body[20] ^= 0x01;
    let mut cases = vec![
        case(
            "signed with another secret",
            headers(ID, &now, &sign(OTHER_SECRET, ID, NOW, BODY)),
            SignatureMismatch,
        ),
        case("six minutes old", signed_at(NOW - 301), TimestampTooOld),
        case("six minutes ahead", signed_at(NOW + 301), TimestampTooNew),
        case(
            "timestamp in milliseconds",
            signed_at(NOW * 1000),
            TimestampTooNew,
        ),
        case("timestamp zero", signed_at(0), TimestampTooOld),
        Case {
            body: tampered_body,
            ..case("tampered body", good_headers(), SignatureMismatch)
        },
        Case {
            body: [BODY, b"\n"].concat(),
            ..case(
                "body with a newline added",
                good_headers(),
                SignatureMismatch,
            )
        },
        Case {
            body: Vec::new(),
            ..case("empty body", good_headers(), SignatureMismatch)
        },
        case(
            "tampered id",
            replaced(good_headers(), "svix-id", "msg_2x3YnFq7bP9kLmN4oR8sT1uVwXy"),
            SignatureMismatch,
        ),
        case(
            "timestamp moved by a second, within tolerance",
            replaced(good_headers(), "svix-timestamp", (NOW - 1).to_string()),
            SignatureMismatch,
        ),
        case(
            "missing svix-id",
            without(good_headers(), "svix-id"),
            missing("svix-id"),
        ),
        case(
            "missing svix-timestamp",
            without(good_headers(), "svix-timestamp"),
            missing("svix-timestamp"),
        ),
        case(
            "missing svix-signature",
            without(good_headers(), "svix-signature"),
            missing("svix-signature"),
        ),
        case("no headers at all", Vec::new(), missing("svix-id")),
        case(
            "svix-id with webhook-* for the rest",
            vec![
                ("svix-id".into(), ID.into()),
                ("webhook-timestamp".into(), now.clone().into()),
                ("webhook-signature".into(), good_sig().into()),
            ],
            missing("svix-timestamp"),
        ),
        case(
            "timestamp not a number",
            replaced(good_headers(), "svix-timestamp", "yesterday"),
            malformed("svix-timestamp", "not a number of seconds"),
        ),
        case(
            "timestamp with a plus sign, signed as Svix libraries would",
            replaced(good_headers(), "svix-timestamp", format!("+{NOW}")),
            malformed("svix-timestamp", "not a number of seconds"),
        ),
        case(
            "timestamp with a leading zero",
            replaced(good_headers(), "svix-timestamp", format!("0{NOW}")),
            malformed("svix-timestamp", "leading zero"),
        ),
        case(
            "negative timestamp",
            replaced(good_headers(), "svix-timestamp", "-1"),
            malformed("svix-timestamp", "not a number of seconds"),
        ),
        case(
            "fractional timestamp",
            replaced(good_headers(), "svix-timestamp", format!("{NOW}.5")),
            malformed("svix-timestamp", "not a number of seconds"),
        ),
        case(
            "timestamp overflowing i64",
            replaced(good_headers(), "svix-timestamp", "99999999999999999999999"),
            malformed("svix-timestamp", "too many digits"),
        ),
        case(
            "empty signature list",
            replaced(good_headers(), "svix-signature", ""),
            malformed("svix-signature", "empty"),
        ),
        case(
            "signature list of spaces",
            replaced(good_headers(), "svix-signature", "   "),
            malformed("svix-signature", "empty"),
        ),
        case(
            "empty v1 signature",
            replaced(good_headers(), "svix-signature", "v1,"),
            SignatureMismatch,
        ),
        case(
            "the right bytes under v2 only",
            replaced(good_headers(), "svix-signature", format!("v2,{b64}")),
            NoSupportedSignature,
        ),
        case(
            "the right bytes under v1a and an unknown scheme",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1a,{b64} v0,{b64} hmac,{b64}"),
            ),
            NoSupportedSignature,
        ),
        case(
            "the right bytes under V1 (case matters)",
            replaced(good_headers(), "svix-signature", format!("V1,{b64}")),
            NoSupportedSignature,
        ),
        case(
            "the right bytes without a scheme",
            replaced(good_headers(), "svix-signature", b64.clone()),
            NoSupportedSignature,
        ),
        case(
            "the right signature, truncated",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", &b64[..40]),
            ),
            SignatureMismatch,
        ),
        case(
            "the right signature without padding",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", b64.trim_end_matches('=')),
            ),
            SignatureMismatch,
        ),
        case(
            "the right tag plus a byte (wrong length)",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", STANDARD.encode([&tag[..], &[0]].concat())),
            ),
            SignatureMismatch,
        ),
        case(
            "the right tag less a byte (wrong length)",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", STANDARD.encode(&tag[..31])),
            ),
            SignatureMismatch,
        ),
        case(
            "base64 garbage of the right length",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", "!".repeat(44)),
            ),
            SignatureMismatch,
        ),
        case(
            "the right tag in URL-safe base64",
            replaced(
                good_headers(),
                "svix-signature",
                format!(
                    "v1,{}",
                    base64::engine::general_purpose::URL_SAFE.encode(&tag)
                ),
            ),
            // The reference vector's tag has `/` and `+`; URL-safe differs there.
            if b64.contains(['+', '/']) {
                SignatureMismatch
            } else {
                // Identical text: not hostile after all, skipped below.
                WebhookError::BodyTooLarge { limit: 0 }
            },
        ),
        case(
            "the right tag in hex",
            replaced(
                good_headers(),
                "svix-signature",
                format!(
                    "v1,{}",
                    tag.iter().map(|b| format!("{b:02x}")).collect::<String>()
                ),
            ),
            SignatureMismatch,
        ),
        case(
            "HMAC keyed with the secret's text instead of its bytes",
            replaced(
                good_headers(),
                "svix-signature",
                format!(
                    "v1,{}",
                    STANDARD.encode(raw_hmac(SECRET.as_bytes(), &signed_content(&now)))
                ),
            ),
            SignatureMismatch,
        ),
        case(
            "HMAC of the body alone",
            replaced(
                good_headers(),
                "svix-signature",
                format!("v1,{}", STANDARD.encode(raw_hmac(b"", BODY))),
            ),
            SignatureMismatch,
        ),
        case(
            "duplicate svix-signature (a good one and a bad one)",
            with(good_headers(), "svix-signature", "v1,AAAA"),
            malformed("svix-signature", "sent more than once"),
        ),
        case(
            "duplicate svix-id",
            with(good_headers(), "svix-id", ID),
            malformed("svix-id", "sent more than once"),
        ),
        case(
            "duplicate svix-timestamp in another case",
            with(good_headers(), "Svix-Timestamp", now.clone()),
            malformed("svix-timestamp", "sent more than once"),
        ),
        case(
            "id with a byte that is not ASCII",
            replaced(good_headers(), "svix-id", b"msg_\xe2\x80\x8b1".to_vec()),
            malformed("svix-id", "not visible ASCII"),
        ),
        case(
            "id with a control character",
            replaced(good_headers(), "svix-id", "msg_\u{1}"),
            malformed("svix-id", "not visible ASCII"),
        ),
        Case {
            body: vec![b' '; LIMIT + 1],
            ..case(
                "body over the limit",
                good_headers(),
                WebhookError::BodyTooLarge { limit: LIMIT },
            )
        },
    ];
    cases.retain(|case| case.expected != WebhookError::BodyTooLarge { limit: 0 });
    cases
}

#[test]
fn the_control_delivery_verifies() {
    // Computed independently with Python's `hmac` module over `{ID}.{NOW}.{BODY}`.
    assert_eq!(
        good_sig(),
        "v1,j+dpTcLvmWrXt0EfAREGNXJIZFwdHyeBa41UXfO5iAo="
    );
    let delivery = verifier().verify(&good_headers(), BODY).unwrap();
    assert_eq!((delivery.id.as_str(), delivery.timestamp), (ID, NOW));
    let map = header_map(&good_headers()).unwrap();
    let event = verifier().verify_event(&map, BODY).unwrap();
    assert_eq!(event.event_type, "user.deleted");
}

#[test]
fn hostile_deliveries_are_refused_with_the_expected_error() {
    let verifier = verifier();
    let cases = hostile_cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let result = verifier.verify(&case.headers, &case.body);
        if result.as_ref().err() != Some(&case.expected) {
            failures.push(format!(
                "{}: {result:?}, expected {:?}",
                case.name, case.expected
            ));
        }
        // A header map gives the same answer as a list of pairs.
        if let Some(map) = header_map(&case.headers) {
            let from_map = verifier.verify(&map, &case.body);
            if from_map != result {
                failures.push(format!("{}: {from_map:?} from a HeaderMap", case.name));
            }
        }
        // Nothing of the secret or the signature leaks into the error.
        if let Err(error) = &result {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(&SECRET[6..]) && !shown.contains(&good_b64()[..20]));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn hostile_secrets_are_refused_when_the_verifier_is_built() {
    for (secret, expected) in [
        (
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            SecretError::MissingPrefix,
        ),
        (
            "sk_test_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            SecretError::MissingPrefix,
        ),
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8I!PZIo2LaLaSw",
            SecretError::InvalidBase64,
        ),
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
            SecretError::InvalidBase64,
        ),
        ("whsec_", SecretError::Empty),
    ] {
        assert_eq!(
            WebhookVerifier::new(secret).unwrap_err(),
            expected,
            "{secret}"
        );
    }
    // One bad secret among good ones fails the build, rather than being skipped.
    let built = WebhookVerifier::builder()
        .secret(SECRET)
        .secret("whsec_%%%")
        .build();
    assert_eq!(built.unwrap_err(), SecretError::InvalidBase64);
}
