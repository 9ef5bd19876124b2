//! Webhooks: the local API that manages endpoints, the Svix operations, and delivery of
//! Svix-signed events to a receiver (order, retries, resends, what a rollback leaves).

use std::time::Duration;

use clerk_server::Config;
use serde_json::{Value, json};

use crate::common::{Api, each_backend, each_backend_with};
use crate::webhook_receiver::Receiver;

/// Deliveries retried 50 ms after each failure, twice.
fn fast_retries() -> Config {
    Config::default().with_webhook_retry_schedule(vec![Duration::from_millis(50); 2])
}

async fn endpoint(api: &Api, url: &str, filter: Option<&[&str]>) -> Value {
    let mut body = json!({ "url": url });
    if let Some(types) = filter {
        body["filter_types"] = json!(types);
    }
    api.post("/_local/webhooks/endpoints", body)
        .await
        .ok()
        .clone()
}

#[tokio::test]
async fn endpoints_are_created_listed_and_deleted_at_the_root_and_under_v1() {
    each_backend(async |api: &mut Api| {
        let created = endpoint(api, "http://127.0.0.1:9/hook", Some(&["user.created"])).await;
        assert_eq!(created["object"], "webhook_endpoint");
        let id = created["id"].as_str().unwrap();
        assert!(id.starts_with("ep_"));
        assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
        assert_eq!(created["filter_types"], json!(["user.created"]));
        assert!(created["created_at"].is_i64());

        let listed = api.get("/v1/_local/webhooks/endpoints").await;
        assert_eq!(listed.ok()["total_count"], 1);
        assert_eq!(listed.ok()["data"][0]["id"], id);
        assert_eq!(
            api.get(&format!("/_local/webhooks/endpoints/{id}"))
                .await
                .ok()["url"],
            "http://127.0.0.1:9/hook"
        );

        let deleted = api
            .delete(&format!("/_local/webhooks/endpoints/{id}"))
            .await;
        assert_eq!(deleted.ok()["deleted"], true);
        let gone = api.get(&format!("/_local/webhooks/endpoints/{id}")).await;
        gone.err(404, "resource_not_found");

        api.post("/_local/webhooks/endpoints", json!({"url": "ftp://x"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post(
            "/_local/webhooks/endpoints",
            json!({"url": "http://x", "filter_types": ["user.made"]}),
        )
        .await
        .err(422, "form_param_value_invalid");
    })
    .await;
}

#[tokio::test]
async fn a_created_user_reaches_the_receiver_signed() {
    each_backend(async |api: &mut Api| {
        let mut receiver = Receiver::start().await;
        let ep = endpoint(api, &receiver.url, None).await;
        let secret = ep["secret"].as_str().unwrap();
        let user = api
            .user(json!({"email_address": ["ada@example.com"]}))
            .await;
        let delivery = receiver.next_of("user.created").await;
        assert!(delivery.verifies_with(secret), "{delivery:?}");
        assert!(delivery.id.starts_with("msg_"));
        let event = delivery.json();
        assert_eq!(event["object"], "event");
        assert_eq!(event["data"]["id"], user["id"]);
        assert_eq!(event["data"], user);
        assert!(
            event["timestamp"].as_i64().unwrap() > 1_000_000_000_000,
            "milliseconds"
        );
        let seconds: i64 = delivery.timestamp.parse().unwrap();
        assert!(seconds < 10_000_000_000, "svix-timestamp in seconds");
        assert!(event["instance_id"].as_str().unwrap().starts_with("ins_"));
        assert_eq!(
            event["event_attributes"]["http_request"]["client_ip"],
            "127.0.0.1"
        );
    })
    .await;
}

#[tokio::test]
async fn a_failed_attempt_is_retried_and_every_attempt_is_listed() {
    each_backend_with(fast_retries, async |api: &mut Api| {
        let mut receiver = Receiver::start().await;
        endpoint(api, &receiver.url, Some(&["user.created"])).await;
        receiver.answer(&[500, 302]);
        api.user(json!({"email_address": ["retry@example.com"]}))
            .await;
        let first = receiver.next().await;
        let second = receiver.next().await;
        let third = receiver.next().await;
        assert_eq!(first.id, second.id);
        assert_eq!(second.id, third.id);
        // The third attempt succeeded: wait for it to be recorded.
        let mut attempts = Value::Null;
        for _ in 0..100 {
            attempts = api
                .get(&format!("/_local/webhooks/messages/{}/attempts", first.id))
                .await
                .ok()
                .clone();
            if attempts["data"]
                .as_array()
                .is_some_and(|rows| rows.len() == 3)
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let codes: Vec<_> = attempts["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["response_status_code"].clone())
            .collect();
        assert_eq!(codes, [json!(200), json!(302), json!(500)], "newest first");
        assert_eq!(attempts["data"][0]["status"], "succeeded");
        assert_eq!(attempts["data"][2]["status"], "failed");
        let message = api
            .get(&format!("/_local/webhooks/messages/{}", first.id))
            .await;
        assert_eq!(message.ok()["deliveries"][0]["status"], "succeeded");
        assert_eq!(message.ok()["deliveries"][0]["attempts"], 3);

        let resent = api
            .post_empty(&format!("/_local/webhooks/messages/{}/resend", first.id))
            .await;
        assert_eq!(resent.ok()["id"], first.id.as_str());
        let again = receiver.next().await;
        assert_eq!(again.id, first.id);
        assert_eq!(again.body, first.body, "the same bytes");
    })
    .await;
}

#[tokio::test]
async fn a_change_that_failed_emits_nothing() {
    each_backend(async |api: &mut Api| {
        let mut receiver = Receiver::start().await;
        endpoint(api, &receiver.url, Some(&["user.created"])).await;
        api.user(json!({"email_address": ["once@example.com"]}))
            .await;
        receiver.next().await;
        api.post("/v1/users", json!({"email_address": ["once@example.com"]}))
            .await
            .err(422, "form_identifier_exists");
        assert!(receiver.quiet_for(Duration::from_millis(500)).await);
        let messages = api
            .get("/_local/webhooks/messages?event_type=user.created")
            .await;
        assert_eq!(messages.ok()["total_count"], 1);
    })
    .await;
}

#[tokio::test]
async fn svix_operations_answer_as_clerk() {
    each_backend(async |api: &mut Api| {
        let created = api.post_empty("/v1/webhooks/svix").await;
        assert!(
            created.ok()["svix_url"]
                .as_str()
                .unwrap()
                .starts_with("http")
        );
        let url = api.post_empty("/v1/webhooks/svix_url").await;
        assert!(url.ok()["svix_url"].is_string());
        endpoint(api, "http://127.0.0.1:9/hook", None).await;
        let deleted = api.delete("/v1/webhooks/svix").await;
        assert_eq!(deleted.status, 204);
        assert_eq!(
            api.get("/_local/webhooks/endpoints").await.ok()["total_count"],
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_failing_message_waits_for_its_retry_without_holding_back_the_next() {
    let retry_in_a_second =
        || Config::default().with_webhook_retry_schedule(vec![Duration::from_secs(1)]);
    each_backend_with(retry_in_a_second, async |api: &mut Api| {
        let mut receiver = Receiver::start().await;
        endpoint(api, &receiver.url, Some(&["user.created"])).await;
        receiver.answer(&[500]);
        let first = api.user(json!({"external_id": "first"})).await;
        let second = api.user(json!({"external_id": "second"})).await;
        let order: Vec<Value> = [
            receiver.next().await,
            receiver.next().await,
            receiver.next().await,
        ]
        .iter()
        .map(|d| d.json()["data"]["id"].clone())
        .collect();
        assert_eq!(
            order,
            [
                first["id"].clone(),
                second["id"].clone(),
                first["id"].clone()
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn an_endpoint_that_never_answers_does_not_hold_back_another() {
    let short_timeout = || {
        Config::default()
            .with_webhook_timeout(Duration::from_millis(300))
            .with_webhook_retry_schedule(vec![])
    };
    each_backend_with(short_timeout, async |api: &mut Api| {
        // Accepts connections (the backlog) but never answers.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let silent_url = format!("http://{}/hook", silent.local_addr().unwrap());
        let mut receiver = Receiver::start().await;
        endpoint(api, &silent_url, Some(&["user.created"])).await;
        endpoint(api, &receiver.url, Some(&["user.created"])).await;
        for i in 0..3 {
            api.user(json!({"external_id": format!("u{i}")})).await;
        }
        let started = std::time::Instant::now();
        for _ in 0..3 {
            receiver.next().await;
        }
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "{:?}",
            started.elapsed()
        );
        // The silent endpoint's attempts time out, are recorded, and with no retries left
        // the deliveries fail.
        let mut failed = 0;
        for _ in 0..100 {
            let attempts = api.get("/_local/webhooks/attempts").await.ok().clone();
            failed = attempts["data"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["status"] == "failed" && a["response"] == "timed out")
                .count();
            if failed == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(failed, 3);
        drop(silent);
    })
    .await;
}
