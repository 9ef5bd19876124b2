//! The verified-token cache: a repeated token is answered from memory, but never when a
//! full verification would refuse it (expired by now, another token, its key rotated out).
//!
//! Time is a `ManualClock` shared by the verifier and the tokens.

mod verify_common;

use std::sync::Arc;
use std::time::Duration;

use clerk_sdk::verify::{Clock, ManualClock, Reason, Verifier};
use verify_common::{JwksServer, TestKey, session_claims, wait_until};

fn now(clock: &ManualClock) -> i64 {
    clock.now().as_secs() as i64
}

async fn jwks_verifier(server: &JwksServer, clock: &Arc<ManualClock>, cache: usize) -> Verifier {
    Verifier::builder_jwks_url(&server.url)
        .unwrap()
        .jwks_ttl(Duration::from_secs(60))
        .jwks_min_refresh_interval(Duration::from_secs(1))
        .verified_token_cache(cache)
        .clock(Arc::clone(clock) as _)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_repeated_token_is_refused_once_it_expires() {
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = jwks_verifier(&server, &clock, 16).await;
    let token = a.token(&session_claims(now(&clock)));
    for _ in 0..3 {
        verifier.verify_token(&token).await.unwrap();
        verifier.verify_token_cached(&token).unwrap();
    }
    // session_claims: valid 60 s, and the default leeway is 5 s.
    clock.advance(Duration::from_secs(64));
    verifier.verify_token(&token).await.unwrap();
    clock.advance(Duration::from_secs(2));
    for _ in 0..2 {
        let err = verifier.verify_token(&token).await.unwrap_err();
        assert_eq!(err.reason(), Reason::Expired);
        assert_eq!(
            verifier.verify_token_cached(&token).unwrap_err().reason(),
            Reason::Expired
        );
    }
}

#[tokio::test]
async fn a_token_that_differs_anywhere_is_verified_in_full() {
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = jwks_verifier(&server, &clock, 16).await;
    let token = a.token(&session_claims(now(&clock)));
    verifier.verify_token(&token).await.unwrap();

    // Flip one character of the signature, of the payload, and cut the last one off.
    let last = token.len() - 2;
    let mut flipped_signature = token.clone().into_bytes();
    flipped_signature[last] = if flipped_signature[last] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let dot = token.find('.').unwrap() + 3;
    let mut flipped_payload = token.clone().into_bytes();
    flipped_payload[dot] = if flipped_payload[dot] == b'A' {
        b'B'
    } else {
        b'A'
    };
    for forged in [
        String::from_utf8(flipped_signature).unwrap(),
        String::from_utf8(flipped_payload).unwrap(),
        token[..token.len() - 1].to_owned(),
        format!("{token}A"),
    ] {
        let err = verifier.verify_token(&forged).await.unwrap_err();
        assert!(
            matches!(err.reason(), Reason::SignatureInvalid | Reason::Malformed),
            "{forged}: {err}"
        );
    }
    // The original still passes.
    verifier.verify_token(&token).await.unwrap();
}

#[tokio::test]
async fn a_remembered_token_stops_passing_when_its_key_leaves_the_jwks() {
    let (a, b) = (TestKey::generate("ins_a"), TestKey::generate("ins_b"));
    let server = JwksServer::start(&[&a]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = jwks_verifier(&server, &clock, 16).await;
    // Valid for an hour, so only the key decides.
    let mut claims = session_claims(now(&clock));
    claims["exp"] = serde_json::json!(now(&clock) + 3600);
    let token = a.token(&claims);
    verifier.verify_token(&token).await.unwrap();
    verifier.verify_token(&token).await.unwrap();

    // The instance retires key a; once the TTL passes the verifier refetches.
    server.set_keys(&[&b]);
    clock.advance(Duration::from_secs(61));
    let _ = verifier.verify_token(&token).await; // stale key: starts the refresh
    wait_until("the refresh", || {
        server.requests() == 2 && server.in_flight() == 0
    })
    .await;
    for _ in 0..2 {
        let err = verifier.verify_token(&token).await.unwrap_err();
        assert_eq!(err.reason(), Reason::UnknownKey, "{err}");
    }
}

#[tokio::test]
async fn a_refetched_jwks_with_the_same_key_keeps_tokens_passing() {
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = jwks_verifier(&server, &clock, 16).await;
    let mut claims = session_claims(now(&clock));
    claims["exp"] = serde_json::json!(now(&clock) + 3600);
    let token = a.token(&claims);
    verifier.verify_token(&token).await.unwrap();
    verifier.refresh_keys().await.unwrap();
    verifier.verify_token(&token).await.unwrap();
    verifier.verify_token_cached(&token).unwrap();
}

#[tokio::test]
async fn the_cache_can_be_turned_off() {
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = jwks_verifier(&server, &clock, 0).await;
    let token = a.token(&session_claims(now(&clock)));
    for _ in 0..3 {
        verifier.verify_token(&token).await.unwrap();
    }
    clock.advance(Duration::from_secs(70));
    assert_eq!(
        verifier.verify_token(&token).await.unwrap_err().reason(),
        Reason::Expired
    );
}

#[tokio::test]
async fn pem_verifiers_remember_too_and_still_check_time() {
    let a = TestKey::generate("ins_a");
    let clock = Arc::new(ManualClock::starting_now());
    let verifier = Verifier::builder_pem(a.pem())
        .clock(Arc::clone(&clock) as _)
        .build()
        .unwrap();
    let token = a.token(&session_claims(now(&clock)));
    for _ in 0..3 {
        assert_eq!(
            verifier.verify_token_cached(&token).unwrap().sub,
            "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy"
        );
    }
    let stranger = TestKey::generate("ins_a");
    let forged = stranger.token(&session_claims(now(&clock)));
    assert_eq!(
        verifier.verify_token_cached(&forged).unwrap_err().reason(),
        Reason::SignatureInvalid
    );
    clock.advance(Duration::from_secs(70));
    assert_eq!(
        verifier.verify_token_cached(&token).unwrap_err().reason(),
        Reason::Expired
    );
}
