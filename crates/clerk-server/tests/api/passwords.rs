//! Password work is bounded: imported digests beyond the cost bounds are refused, a burst
//! of checks beyond the pool and its queue gets 429 with `Retry-After`, and shutdown does
//! not wait for a check that is still running.

use std::time::{Duration, Instant};

use clerk_server::{Config, TestServer};
use serde_json::json;

use crate::common::{Api, each_backend, http_client};

/// argon2id at 64 MiB and 3 passes: about half a second per check, so a burst queues.
const SLOW_ARGON2: &str = "$argon2id$v=19$m=65536,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// bcrypt at cost 16, the bound: several seconds per check.
const SLOWEST_BCRYPT: &str = "$2b$16$abcdefghijklmnopqrstuu5OfURh3vXPrdVUBPsrC1fDJL2DMQVDe";

#[tokio::test]
async fn digests_beyond_the_cost_bounds_are_refused() {
    each_backend(async |api: &mut Api| {
        let refused = [
            ("$2b$31$abcdefghijklmnopqrstuu5OfURh3vXPrdVUBPsrC1fDJL2DMQVDe", "bcrypt", "cost"),
            (
                "$argon2id$v=19$m=4194304,t=1000000,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                "argon2id",
                "memory",
            ),
        ];
        for (digest, hasher, named) in refused {
            let body = json!({
                "email_address": ["costly@example.com"],
                "password_digest": digest,
                "password_hasher": hasher,
            });
            let resp = api.post("/v1/users", body).await;
            resp.err(422, "form_password_digest_invalid_code");
            let message = resp.json["errors"][0]["long_message"].as_str().unwrap();
            assert!(message.contains(named), "{message}");
            assert_eq!(resp.json["errors"][0]["meta"]["param_name"], "password_digest");
        }
        let count = api.get("/v1/users/count").await;
        assert_eq!(count.ok()["total_count"], 0);
    })
    .await;
}

#[tokio::test]
async fn a_burst_of_password_checks_beyond_the_queue_gets_429() {
    // The lockout off: 40 wrong guesses would lock the user first (tests/api/lockout.rs).
    let server = TestServer::start_with(Config::default().with_lockout_attempts(None)).await;
    let user = server
        .create_user_with(json!({
            "email_address": ["burst@example.com"],
            "password_digest": SLOW_ARGON2,
            "password_hasher": "argon2id",
        }))
        .await;
    let client = http_client();
    let url = format!("{}/v1/users/{}/verify_password", server.base_url(), user.id);
    let checks = (0..40).map(|_| {
        client
            .post(&url)
            .bearer_auth(server.secret_key())
            .json(&json!({"password": "wrong guess"}))
            .send()
    });
    let answers = futures_util::future::join_all(checks).await;
    let mut refused = 0;
    for answer in answers {
        let answer = answer.unwrap();
        match answer.status().as_u16() {
            422 => {}
            status @ (429 | 503) => {
                // 503: waited past the deadline on a busy machine.
                refused += usize::from(status == 429);
                assert_eq!(answer.headers()["retry-after"], "1");
                let body: serde_json::Value = answer.json().await.unwrap();
                let code = if status == 429 {
                    "too_many_requests"
                } else {
                    "service_unavailable"
                };
                assert_eq!(body["errors"][0]["code"], code);
            }
            other => panic!("unexpected status {other}"),
        }
    }
    // At most one worker per core (at most 8) works and 8 per worker wait: on this
    // 2-core machine 18 of 40 are taken, on any machine at most 72.
    let cores = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    assert!(
        refused >= 40usize.saturating_sub(9 * cores),
        "{refused} refused"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_running_password_check() {
    let grace = Duration::from_secs(1);
    let server = TestServer::start_with(Config::default().with_shutdown_grace(grace)).await;
    let user = server
        .create_user_with(json!({
            "email_address": ["slow@example.com"],
            "password_digest": SLOWEST_BCRYPT,
            "password_hasher": "bcrypt",
        }))
        .await;
    let url = format!("{}/v1/users/{}/verify_password", server.base_url(), user.id);
    let key = server.secret_key().to_owned();
    let check = tokio::spawn(async move {
        http_client()
            .post(url)
            .bearer_auth(key)
            .json(&json!({"password": "wrong guess"}))
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    server.shutdown().await;
    let took = started.elapsed();
    assert!(
        took < grace + Duration::from_secs(2),
        "shutdown took {took:?}"
    );
    // The check in flight lost its connection instead of holding the server.
    assert!(check.await.unwrap().is_err());
}
