//! The JWKS cache against a server that counts requests and can be held or down.
//!
//! Time is a `ManualClock` shared by the verifier and the tokens, so cache ages are exact.

mod verify_common;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use clerk_sdk::verify::{KeySource, ManualClock, Reason, Verifier, VerifierBuilder};
use verify_common::{JwksServer, TestKey, session_claims, wait_until};

const TTL: Duration = Duration::from_secs(60);
const MAX_STALE: Duration = Duration::from_secs(600);

struct Fixture {
    clock: Arc<ManualClock>,
    server: JwksServer,
    verifier: Verifier,
}

impl Fixture {
    async fn new(keys: &[&TestKey]) -> Self {
        let server = JwksServer::start(keys).await;
        let clock = Arc::new(ManualClock::starting_now());
        let verifier = builder(&server.url, &clock).build().unwrap();
        Fixture {
            clock,
            server,
            verifier,
        }
    }

    fn now(&self) -> i64 {
        use clerk_sdk::verify::Clock;
        self.clock.now().as_secs() as i64
    }

    /// A token of `key`, valid at the fixture's current time.
    fn token(&self, key: &TestKey) -> String {
        key.token(&session_claims(self.now()))
    }

    fn advance(&self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
    }

    async fn verify(&self, key: &TestKey) -> Result<(), Reason> {
        self.verifier
            .verify_token(&self.token(key))
            .await
            .map(drop)
            .map_err(|e| e.reason())
    }
}

fn builder(url: &str, clock: &Arc<ManualClock>) -> VerifierBuilder {
    Verifier::builder_jwks_url(url)
        .unwrap()
        .jwks_ttl(TTL)
        .jwks_max_stale(MAX_STALE)
        .jwks_min_refresh_interval(Duration::from_secs(5))
        .clock(Arc::clone(clock) as _)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_verifies_with_an_unknown_kid_fetch_once() {
    let (a, b) = (TestKey::generate("ins_a"), TestKey::generate("ins_b"));
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    assert_eq!(f.server.requests(), 1);

    // The instance rotates in a new key; the verifier has not seen it.
    f.server.set_keys(&[&a, &b]);
    f.advance(10);
    f.server.hold();
    let token = f.token(&b);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let verifier = f.verifier.clone();
            let token = token.clone();
            tokio::spawn(async move { verifier.verify_token(&token).await })
        })
        .collect();
    wait_until("the refresh reaches the server", || {
        f.server.requests() == 2
    })
    .await;
    // Let every task reach the refresh before the response comes back.
    tokio::time::sleep(Duration::from_millis(100)).await;
    f.server.release();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        f.server.requests(),
        2,
        "one warm-up fetch and exactly one refresh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_verifies_of_a_kid_nobody_publishes_fetch_once() {
    let (a, stranger) = (
        TestKey::generate("ins_a"),
        TestKey::generate("ins_stranger"),
    );
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    f.advance(10);
    let token = f.token(&stranger);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let verifier = f.verifier.clone();
            let token = token.clone();
            tokio::spawn(async move { verifier.verify_token(&token).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap().unwrap_err().reason(),
            Reason::UnknownKey
        );
    }
    assert_eq!(f.server.requests(), 2);
}

#[tokio::test]
async fn unknown_kid_refreshes_are_rate_limited() {
    let (a, b, c) = (
        TestKey::generate("ins_a"),
        TestKey::generate("ins_b"),
        TestKey::generate("ins_c"),
    );
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    // Within 5 s of the last fetch, an unknown kid does not fetch.
    f.advance(2);
    assert_eq!(f.verify(&b).await, Err(Reason::UnknownKey));
    assert_eq!(f.server.requests(), 1);
    // Past the interval it does, once; then no more until the interval passes again.
    f.advance(4);
    assert_eq!(f.verify(&b).await, Err(Reason::UnknownKey));
    assert_eq!(f.server.requests(), 2);
    f.server.set_keys(&[&a, &b, &c]);
    for _ in 0..20 {
        assert_eq!(f.verify(&c).await, Err(Reason::UnknownKey));
    }
    assert_eq!(f.server.requests(), 2);
    f.advance(5);
    f.verify(&c).await.unwrap();
    f.verify(&b).await.unwrap();
    assert_eq!(f.server.requests(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_refresh_does_not_delay_verifies_of_cached_keys() {
    let (a, b) = (TestKey::generate("ins_a"), TestKey::generate("ins_b"));
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    f.server.set_keys(&[&a, &b]);
    f.advance(10);

    f.server.hold();
    let slow = {
        let verifier = f.verifier.clone();
        let token = f.token(&b);
        tokio::spawn(async move { verifier.verify_token(&token).await })
    };
    wait_until("the refresh is held at the server", || {
        f.server.in_flight() == 1
    })
    .await;
    // While that refresh hangs, tokens of the cached key verify (each call returns without
    // the refresh completing: the server is still holding it afterwards).
    for _ in 0..100 {
        f.verify(&a).await.unwrap();
        f.verifier.verify_token_cached(&f.token(&a)).unwrap();
    }
    assert_eq!(f.server.in_flight(), 1);
    assert!(!slow.is_finished());
    f.server.release();
    slow.await.unwrap().unwrap();
    assert_eq!(f.server.requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_ttl_cached_keys_keep_working_while_the_refresh_is_slow() {
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    f.advance(TTL.as_secs() + 1);
    f.server.hold();
    f.verify(&a).await.unwrap();
    wait_until("the background refresh reaches the server", || {
        f.server.in_flight() == 1
    })
    .await;
    for _ in 0..50 {
        f.verify(&a).await.unwrap();
    }
    // One background refresh at a time.
    assert_eq!(f.server.requests(), 2);
    f.server.release();
    wait_until("the refresh completes", || f.server.in_flight() == 0).await;
    f.verify(&a).await.unwrap();
    assert_eq!(f.server.requests(), 2);
}

#[tokio::test]
async fn the_ttl_expires_even_for_keys_in_use() {
    let (a, b) = (TestKey::generate("ins_a"), TestKey::generate("ins_b"));
    let f = Fixture::new(&[&a]).await;
    // Constant use within the TTL neither refetches nor extends the TTL.
    for _ in 0..59 {
        f.verify(&a).await.unwrap();
        f.advance(1);
    }
    assert_eq!(f.server.requests(), 1);
    f.advance(1); // 60 s after the fetch: expired.
    f.verify(&a).await.unwrap();
    wait_until("the TTL refresh", || {
        f.server.requests() == 2 && f.server.in_flight() == 0
    })
    .await;

    // The instance retires key a. Until the next TTL the cache still trusts it...
    f.server.set_keys(&[&b]);
    f.advance(30);
    f.verify(&a).await.unwrap();
    assert_eq!(f.server.requests(), 2);
    // ...and once the TTL passes, the refresh drops it.
    f.advance(31);
    let _ = f.verify(&a).await;
    wait_until("the second TTL refresh", || {
        f.server.requests() == 3 && f.server.in_flight() == 0
    })
    .await;
    assert_eq!(f.verify(&a).await, Err(Reason::UnknownKey));
    f.verify(&b).await.unwrap();
    assert_eq!(f.server.requests(), 3);
}

#[tokio::test]
async fn stale_keys_stop_being_used_after_the_maximum_age() {
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    f.server.fail_with(StatusCode::SERVICE_UNAVAILABLE);

    // Past the TTL, with the endpoint down, the cached key keeps working...
    f.advance(TTL.as_secs() + 1);
    f.verify(&a).await.unwrap();
    wait_until("the failed refresh", || {
        f.server.requests() == 2 && f.server.in_flight() == 0
    })
    .await;
    f.advance(MAX_STALE.as_secs() - TTL.as_secs() - 10);
    f.verify(&a).await.unwrap();
    // ...until it is as old as the maximum stale age.
    f.advance(10);
    let err = f.verifier.verify_token(&f.token(&a)).await.unwrap_err();
    assert_eq!(err.reason(), Reason::KeysUnavailable);
    assert!(err.detail().unwrap().contains("503"), "{err}");
    // Failing again right away does not hammer the endpoint.
    let requests = f.server.requests();
    assert_eq!(f.verify(&a).await, Err(Reason::KeysUnavailable));
    assert_eq!(f.server.requests(), requests);

    // When the endpoint recovers, the next attempt after the interval succeeds.
    f.server.recover();
    f.advance(5);
    f.verify(&a).await.unwrap();
}

#[tokio::test]
async fn an_endpoint_down_from_the_start_gives_keys_unavailable() {
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    f.server.fail_with(StatusCode::BAD_GATEWAY);
    assert_eq!(f.verify(&a).await, Err(Reason::KeysUnavailable));
    assert_eq!(f.verify(&a).await, Err(Reason::KeysUnavailable));
    assert_eq!(f.server.requests(), 1);
    f.server.recover();
    f.advance(5);
    f.verify(&a).await.unwrap();
    assert_eq!(f.server.requests(), 2);
}

#[tokio::test]
async fn a_broken_jwks_document_keeps_the_cached_keys() {
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    for broken in [
        serde_json::json!({"keys": []}),
        serde_json::json!({"keys": [{"kty": "RSA", "kid": "ins_a", "n": "AQAB", "e": "AQAB"}]}),
        serde_json::json!("not a jwks"),
    ] {
        f.server.set_document(broken);
        let err = f.verifier.refresh_keys().await.unwrap_err();
        assert_eq!(err.reason(), Reason::KeysUnavailable);
        f.verify(&a).await.unwrap();
    }
}

#[tokio::test]
async fn each_verifier_has_its_own_cache() {
    // Two Clerk instances. Their keys even share a kid: a process-wide cache keyed by kid
    // would accept one instance's tokens for the other.
    let key_a = TestKey::generate("ins_shared");
    let key_b = TestKey::generate("ins_shared");
    let other_b = TestKey::generate("ins_b_only");
    let server_a = JwksServer::start(&[&key_a]).await;
    let server_b = JwksServer::start(&[&key_b, &other_b]).await;
    let clock = Arc::new(ManualClock::starting_now());
    let verifier_a = builder(&server_a.url, &clock).build().unwrap();
    let verifier_b = builder(&server_b.url, &clock).build().unwrap();
    let now = {
        use clerk_sdk::verify::Clock;
        clock.now().as_secs() as i64
    };
    let token_a = key_a.token(&session_claims(now));
    let token_b = key_b.token(&session_claims(now));

    verifier_a.verify_token(&token_a).await.unwrap();
    verifier_b.verify_token(&token_b).await.unwrap();
    assert_eq!(
        verifier_a
            .verify_token(&token_b)
            .await
            .unwrap_err()
            .reason(),
        Reason::SignatureInvalid
    );
    assert_eq!(
        verifier_b
            .verify_token(&token_a)
            .await
            .unwrap_err()
            .reason(),
        Reason::SignatureInvalid
    );
    assert_eq!(
        verifier_a
            .verify_token(&other_b.token(&session_claims(now)))
            .await
            .unwrap_err()
            .reason(),
        Reason::UnknownKey
    );
    assert_eq!((server_a.requests(), server_b.requests()), (1, 1));

    // Clones share one cache: no fetch for a clone of a warm verifier.
    verifier_a.clone().verify_token(&token_a).await.unwrap();
    assert_eq!(server_a.requests(), 1);
}

#[tokio::test]
async fn configured_headers_reach_the_jwks_endpoint_and_stay_out_of_debug_output() {
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Bearer sk_test_secret123".parse().unwrap());
    headers.insert("clerk-api-version", "2026-05-12".parse().unwrap());
    let source = KeySource::JwksUrl {
        url: server.url.parse().unwrap(),
        headers,
    };
    assert!(!format!("{source:?}").contains("sk_test"));
    let verifier = Verifier::builder(source).build().unwrap();
    assert!(!format!("{verifier:?}").contains("sk_test"));
    verifier.refresh_keys().await.unwrap();
    let seen = server.last_headers();
    assert_eq!(seen["authorization"], "Bearer sk_test_secret123");
    assert_eq!(seen["clerk-api-version"], "2026-05-12");
    assert_eq!(seen["accept"], "application/json");
    // Warmed by refresh_keys: the networkless path has the key.
    verifier.verify_token_cached(&a.fresh_token()).unwrap();
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn verify_token_cached_never_fetches() {
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    let err = f.verifier.verify_token_cached(&f.token(&a)).unwrap_err();
    assert_eq!(err.reason(), Reason::KeysUnavailable);
    assert_eq!(f.server.requests(), 0);
}

#[tokio::test]
async fn pem_mode_never_touches_the_network() {
    // Both variables set: the PEM wins, and the JWKS server must never hear from us.
    let a = TestKey::generate("ins_a");
    let server = JwksServer::start(&[&a]).await;
    let pem = a.pem();
    let url = server.url.clone();
    let verifier = VerifierBuilder::from_env_with(|name| match name {
        "CLERK_JWT_KEY" => Some(pem.clone()),
        "CLERK_JWKS_URL" => Some(url.clone()),
        _ => None,
    })
    .unwrap()
    .build()
    .unwrap();
    verifier.verify_token(&a.fresh_token()).await.unwrap();
    let stranger = TestKey::generate("ins_unknown");
    assert_eq!(
        verifier
            .verify_token(&stranger.fresh_token())
            .await
            .unwrap_err()
            .reason(),
        Reason::SignatureInvalid
    );
    let _ = verifier.verify_token("garbage").await;
    verifier.refresh_keys().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_warm_verification_completes_on_its_first_poll() {
    // No I/O and no lock on the warm path: the future is ready the first time it is polled.
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    let a = TestKey::generate("ins_a");
    let f = Fixture::new(&[&a]).await;
    f.verify(&a).await.unwrap();
    let token = f.token(&a);
    let mut future = std::pin::pin!(f.verifier.verify_token(&token));
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(result) => assert_eq!(result.unwrap().sub, "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy"),
        Poll::Pending => panic!("a verification with a cached key waited"),
    }
    assert_eq!(f.server.requests(), 1);
}
