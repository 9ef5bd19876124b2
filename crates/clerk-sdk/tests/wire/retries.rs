use std::time::{Duration, Instant};

use clerk_sdk::{Clerk, CreateUser, ListUsers, RetryPolicy};
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
        .max_retry_after(Duration::from_secs(2))
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_retried() {
    let server = MockServer::start().await;
    server
        .respond(
            Canned::json(429, fixtures::error("too_many_requests", "slow down"))
                .header("Retry-After", "1"),
        )
        .respond_json(200, json!([]));
    let started = Instant::now();
    server
        .clerk_with(quick())
        .users()
        .list(ListUsers::new())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_429_is_retried_for_a_post_too() {
    let server = MockServer::start().await;
    server
        .respond(
            Canned::json(429, fixtures::error("too_many_requests", "slow down"))
                .header("Retry-After", "1"),
        )
        .respond_json(200, fixtures::user("user_1"));
    let started = Instant::now();
    let user = server
        .clerk_with(quick())
        .users()
        .create(CreateUser::new().username("ada"))
        .await
        .unwrap();
    assert_eq!(user.id, "user_1");
    assert!(started.elapsed() >= Duration::from_millis(950));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same request was sent again"
    );
}

#[tokio::test]
async fn a_post_answered_503_is_not_replayed() {
    let server = MockServer::start().await;
    server.always(Canned::json(
        503,
        fixtures::error("service_unavailable", "down"),
    ));
    let err = server
        .clerk_with(quick())
        .users()
        .create(CreateUser::new().username("ada"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.requests().len(), 1);

    // Nor a PATCH.
    let server = MockServer::start().await;
    server.always(Canned::json(502, json!({})));
    server
        .clerk_with(quick())
        .allowlist()
        .update(true)
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_5xx_until_attempts_run_out() {
    let server = MockServer::start().await;
    server
        .respond_json(503, json!({}))
        .respond_json(504, json!({}))
        .respond_json(200, fixtures::user("user_1"));
    server
        .clerk_with(quick())
        .users()
        .get("user_1")
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 3);

    let server = MockServer::start().await;
    server.always(Canned::json(502, json!({})));
    let err = server
        .clerk_with(quick())
        .users()
        .delete("user_1")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert_eq!(server.requests().len(), 3, "max_attempts(3)");

    // A 500 is not a transient failure: not retried even for a GET.
    let server = MockServer::start().await;
    server.always(Canned::json(
        500,
        fixtures::error("internal_clerk_error", "oops"),
    ));
    server
        .clerk_with(quick())
        .users()
        .get("user_1")
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited() {
    let server = MockServer::start().await;
    server.always(
        Canned::json(429, fixtures::error("too_many_requests", "slow down"))
            .header("Retry-After", "120"),
    );
    let started = Instant::now();
    let err = server.clerk_with(quick()).jwks().get().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    server.always(Canned::json(429, json!({})));
    server
        .clerk()
        .users()
        .list(ListUsers::new())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_for_gets_but_never_for_posts() {
    let server = MockServer::start().await;
    server.always(Canned::json(200, fixtures::user("user_1")).delayed(Duration::from_millis(500)));
    let clerk = Clerk::builder()
        .base_url(server.url())
        .secret_key(crate::support::SECRET_KEY)
        .request_timeout(Duration::from_millis(100))
        .retry_policy(quick().max_attempts(2))
        .build()
        .unwrap();
    let err = clerk.users().ban("user_1").await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "a POST that may have arrived is not replayed"
    );

    let err = clerk.users().get("user_1").await.unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(server.requests().len(), 3, "the GET was sent twice");
}
