//! `POST /v1/emails`, `POST /v1/sms_messages`, the outbox, and the SMTP relay.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::common::{Api, each_backend, each_backend_with};

#[tokio::test]
async fn emails_and_sms_land_in_the_outbox() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["mail@example.com"], "phone_number": ["+15555550160"]}))
            .await;
        let email_id = user["email_addresses"][0]["id"].as_str().unwrap();
        let phone_id = user["phone_numbers"][0]["id"].as_str().unwrap();

        let sent = api
            .post(
                "/v1/emails",
                json!({"email_address_id": email_id, "from_email_name": "info", "subject": "Welcome", "body": "<p>Hi</p>"}),
            )
            .await;
        let email = sent.ok().clone();
        assert_eq!(email["object"], "email");
        assert!(email["id"].as_str().unwrap().starts_with("ema_"));
        for key in ["slug", "from_email_name", "reply_to_email_name", "to_email_address", "email_address_id",
                    "user_id", "subject", "body", "body_plain", "status", "data", "delivered_by_clerk"] {
            assert!(email.get(key).is_some(), "email lacks {key}");
        }
        assert_eq!(email["to_email_address"], "mail@example.com");
        assert_eq!(email["user_id"], user["id"]);
        assert_eq!(email["status"], "queued");
        assert_eq!(email["data"], json!({}));

        let sms = api
            .post("/v1/sms_messages", json!({"phone_number_id": phone_id, "message": "Your code is 123456"}))
            .await;
        let sms = sms.ok().clone();
        assert_eq!(sms["object"], "sms_message");
        assert!(sms["id"].as_str().unwrap().starts_with("sms_"));
        for key in ["from_phone_number", "to_phone_number", "message", "status", "data", "delivered_by_clerk", "created_at_ms"] {
            assert!(!sms[key].is_null(), "sms lacks {key}");
        }
        assert_eq!(sms["to_phone_number"], "+15555550160");
        assert!(sms["created_at_ms"].is_i64());

        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["total_count"], 2);
        assert_eq!(outbox.ok()["data"], json!([sms, email]));
        let emails = api.get("/v1/_local/outbox?type=email").await;
        assert_eq!(emails.ok()["data"], json!([email]));
        let to_phone = api.get("/v1/_local/outbox?to=%2B15555550160").await;
        assert_eq!(to_phone.ok()["data"], json!([sms]));
        api.get("/v1/_local/outbox?type=fax").await.err(422, "form_param_value_invalid");
        let one = api.get(&format!("/v1/_local/outbox/{}", sms["id"].as_str().unwrap())).await;
        assert_eq!(one.ok(), &sms);
        let missing = api.get("/v1/_local/outbox/sms_missing").await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            "No message was found with id sms_missing"
        );

        let cleared = api.delete("/v1/_local/outbox").await;
        assert_eq!(cleared.ok(), &json!({"object": "outbox", "deleted_count": 2}));
        assert_eq!(api.get("/v1/_local/outbox").await.ok()["total_count"], 0);

        // Errors.
        api.post("/v1/emails", json!({"email_address_id": "idn_missing", "from_email_name": "info"}))
            .await
            .err(404, "resource_not_found");
        api.post("/v1/emails", json!({"email_address_id": email_id}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/emails", json!({"email_address_id": email_id, "from_email_name": "not valid"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/emails", json!({"email_address_id": email_id, "from_email_name": "info", "cc": "x"}))
            .await
            .err(422, "form_param_unknown");
        api.post("/v1/sms_messages", json!({"phone_number_id": phone_id}))
            .await
            .err(422, "form_param_missing");
        let unverified = api
            .post("/v1/phone_numbers", json!({"user_id": user["id"], "phone_number": "+15555550161"}))
            .await;
        api.post(
            "/v1/sms_messages",
            json!({"phone_number_id": unverified.ok()["id"], "message": "hi"}),
        )
        .await
        .err(422, "form_verification_needed");
    })
    .await;
}

/// A tiny SMTP server that accepts messages and records what it received.
pub(crate) async fn fake_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut transcript = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    transcript.push_str(&line);
                    transcript.push('\n');
                    let reply: &[u8] = if in_data {
                        if line == "." {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else if line.starts_with("EHLO") {
                        b"250-fake\r\n250 OK\r\n"
                    } else if line == "DATA" {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if line == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
                store.lock().unwrap().push(transcript);
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn emails_are_relayed_over_smtp() {
    let (port, received) = fake_smtp().await;
    each_backend_with(
        move || {
            clerk_server::Config::default().with_smtp(
                clerk_server::SmtpConfig::new("127.0.0.1", port).with_from_domain("mail.example"),
            )
        },
        async |api: &mut Api| {
            received.lock().unwrap().clear();
            let user = api.user(json!({"email_address": ["relay@example.com"]})).await;
            let sent = api
                .post(
                    "/v1/emails",
                    json!({"email_address_id": user["email_addresses"][0]["id"], "from_email_name": "info", "subject": "Relayed", "body": "<b>hello</b>"}),
                )
                .await;
            let email = sent.ok().clone();
            assert_eq!(email["delivered_by_clerk"], true);
            let mut status = Value::Null;
            for _ in 0..100 {
                status = api.get("/v1/_local/outbox").await.ok()["data"][0]["status"].clone();
                if status != "queued" {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            assert_eq!(status, "delivered");
            let transcripts = received.lock().unwrap().clone();
            assert_eq!(transcripts.len(), 1);
            let t = &transcripts[0];
            assert!(t.contains("MAIL FROM:<info@mail.example>"), "{t}");
            assert!(t.contains("RCPT TO:<relay@example.com>"), "{t}");
            assert!(t.contains("Subject: Relayed"), "{t}");
            assert!(t.contains("PGI+aGVsbG88L2I+"), "base64 body: {t}");
        },
    )
    .await;
}

#[tokio::test]
async fn failed_relays_are_marked_failed() {
    // Nothing listens on this port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    each_backend_with(
        move || clerk_server::Config::default().with_smtp(clerk_server::SmtpConfig::new("127.0.0.1", port)),
        async |api: &mut Api| {
            let user = api.user(json!({"email_address": ["nowhere@example.com"]})).await;
            api.post(
                "/v1/emails",
                json!({"email_address_id": user["email_addresses"][0]["id"], "from_email_name": "info"}),
            )
            .await
            .ok();
            let mut status = Value::Null;
            for _ in 0..100 {
                status = api.get("/v1/_local/outbox").await.ok()["data"][0]["status"].clone();
                if status != "queued" {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            assert_eq!(status, "failed");
        },
    )
    .await;
}
