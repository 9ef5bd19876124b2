//! Hostile tokens: each one is rejected, with the reason that says what is wrong.

mod verify_common;

use std::sync::{Arc, OnceLock};

use clerk_sdk::verify::{KeySource, ManualClock, Reason, Verifier};
use proptest::prelude::*;
use verify_common::{AZP, ISSUER, JwksServer, TestKey, hostile_cases, now, session_claims};

fn trusted_key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz"))
}

fn attacker_key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_attacker"))
}

fn pem_verifier(now: i64) -> Verifier {
    Verifier::builder_pem(trusted_key().pem())
        .issuer(ISSUER)
        .authorized_parties([AZP])
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn hostile_tokens_are_rejected_with_the_expected_reason_jwks() {
    let key = trusted_key();
    let server = JwksServer::start(&[key]).await;
    let now = now();
    let verifier = Verifier::builder_jwks_url(&server.url)
        .unwrap()
        .issuer(ISSUER)
        .authorized_parties([AZP])
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap();
    // The control: a well-formed token passes, so every rejection below is the hostile part.
    verifier
        .verify_token(&key.token(&session_claims(now)))
        .await
        .unwrap();

    let cases = hostile_cases(key, attacker_key(), now);
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        match verifier.verify_token(&case.token).await {
            Ok(_) => failures.push(format!("{}: accepted", case.name)),
            Err(e) if e.reason() != case.reason => failures.push(format!(
                "{}: {:?} ({e}), expected {:?}",
                case.name,
                e.reason(),
                case.reason
            )),
            Err(e) => assert!(!e.to_string().contains(&case.token) || case.token.is_empty()),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Unknown kids cost one fetch at most: the first was within the refresh interval of the
    // warm-up fetch, and the clock did not move.
    assert_eq!(server.requests(), 1);
}

#[test]
fn hostile_tokens_are_rejected_with_the_expected_reason_pem() {
    let now = now();
    let verifier = pem_verifier(now);
    verifier
        .verify_token_cached(&trusted_key().token(&session_claims(now)))
        .unwrap();
    let mut failures = Vec::new();
    for case in hostile_cases(trusted_key(), attacker_key(), now) {
        if case.jwks_only {
            continue;
        }
        match verifier.verify_token_cached(&case.token) {
            Ok(_) => failures.push(format!("{}: accepted", case.name)),
            Err(e) if e.reason() != case.reason => failures.push(format!(
                "{}: {:?}, expected {:?}",
                case.name,
                e.reason(),
                case.reason
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn kid_is_not_needed_with_a_pem_key() {
    // Clerk's PEM mode matches no kid: a kid-less token from the right key passes.
    let now = now();
    let key = trusted_key();
    let token = key.sign(&serde_json::json!({"alg": "RS256"}), &session_claims(now));
    pem_verifier(now).verify_token_cached(&token).unwrap();
}

#[tokio::test]
async fn jwks_verifier_without_issuer_check_still_refuses_forgeries() {
    // Policy checks are optional; the cryptographic ones are not.
    let key = trusted_key();
    let server = JwksServer::start(&[key]).await;
    let verifier = Verifier::builder(KeySource::JwksUrl {
        url: server.url.parse().unwrap(),
        headers: Default::default(),
    })
    .build()
    .unwrap();
    let forged = verify_common::hs256_with_public_key(key, &session_claims(now()));
    assert_eq!(
        verifier.verify_token(&forged).await.unwrap_err().reason(),
        Reason::AlgorithmNotAllowed
    );
    // The forgery was refused before any key was needed: nothing was fetched.
    assert_eq!(server.requests(), 0);
}

fn fixed_token() -> &'static (i64, String) {
    static TOKEN: OnceLock<(i64, String)> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let now = now();
        (now, trusted_key().token(&session_claims(now)))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Replacing any one byte of a valid token with any other character makes it fail.
    #[test]
    fn any_changed_byte_makes_the_token_fail(index in any::<prop::sample::Index>(), replacement in any::<char>()) {
        let (now, token) = fixed_token();
        let verifier = pem_verifier(*now);
        prop_assert!(verifier.verify_token_cached(token).is_ok());
        let i = index.index(token.len());
        let original = token.as_bytes()[i] as char;
        prop_assume!(replacement != original);
        let mut changed = String::with_capacity(token.len() + 4);
        changed.push_str(&token[..i]);
        changed.push(replacement);
        changed.push_str(&token[i + 1..]);
        prop_assert!(verifier.verify_token_cached(&changed).is_err(), "accepted with byte {} changed to {:?}", i, replacement);
    }

    /// Cutting a valid token short anywhere makes it fail.
    #[test]
    fn any_truncation_makes_the_token_fail(index in any::<prop::sample::Index>()) {
        let (now, token) = fixed_token();
        let cut = &token[..index.index(token.len())];
        prop_assert!(pem_verifier(*now).verify_token_cached(cut).is_err());
    }

    /// Inserting any character anywhere makes it fail.
    #[test]
    fn any_insertion_makes_the_token_fail(index in any::<prop::sample::Index>(), inserted in any::<char>()) {
        let (now, token) = fixed_token();
        let i = index.index(token.len() + 1);
        let mut changed = token.clone();
        changed.insert(i, inserted);
        prop_assert!(pem_verifier(*now).verify_token_cached(&changed).is_err());
    }
}
