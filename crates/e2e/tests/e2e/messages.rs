//! Emails and SMS messages (legacy endpoints): into the outbox, read back
//! through the local extension.

#![allow(deprecated)] // sms_messages(): deprecated upstream, still a seed method.

use clerk_sdk::{CreateEmail, CreatePhoneNumber, CreateSmsMessage, CreateUser, Method};
use e2e::each_backend;
use serde_json::Value;

use crate::support::{api_error, local, outbox, param_name};

#[tokio::test]
async fn emails_go_to_the_outbox() {
    each_backend(async |env| {
        let ann = crate::support::user(env, "ann@example.com").await;
        let address_id = ann.primary_email_address_id.clone().unwrap();

        let email = env
            .clerk
            .emails()
            .create(
                CreateEmail::new(&address_id, "welcome")
                    .subject("Welcome aboard")
                    .body("<p>Hello Ann</p>"),
            )
            .await
            .unwrap();
        assert_eq!(email.object, "email");
        assert!(email.id.starts_with("ema_"), "{}", email.id);
        assert_eq!(email.from_email_name, "welcome");
        assert_eq!(email.to_email_address.as_deref(), Some("ann@example.com"));
        assert_eq!(email.email_address_id.as_deref(), Some(address_id.as_str()));
        assert_eq!(email.user_id.as_deref(), Some(ann.id.as_str()));
        assert_eq!(email.subject.as_deref(), Some("Welcome aboard"));
        assert_eq!(email.status.as_deref(), Some("queued"));
        assert!(!email.delivered_by_clerk, "no SMTP relay configured");

        let sent = outbox(env, "email").await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["id"], email.id.as_str());
        assert_eq!(sent[0]["body"], "<p>Hello Ann</p>");

        api_error(
            env.clerk
                .emails()
                .create(CreateEmail::new("idn_missing", "welcome").subject("x"))
                .await,
            404,
            "resource_not_found",
        );
        let err = api_error(
            env.clerk
                .emails()
                .create(CreateEmail::new(&address_id, "not a local part"))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("from_email_name"));
        api_error(
            env.clerk
                .request::<Value>(
                    Method::POST,
                    "/emails",
                    &[],
                    Some(serde_json::json!({"from_email_name": "welcome"})),
                )
                .await,
            422,
            "form_param_missing",
        );

        // Clearing the outbox.
        let cleared = local(env, Method::DELETE, "/_local/outbox", None).await;
        assert_eq!(cleared["object"], "outbox");
        assert_eq!(cleared["deleted_count"], 1);
        assert!(outbox(env, "email").await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn sms_messages_go_to_the_outbox() {
    each_backend(async |env| {
        let bob = env
            .clerk
            .users()
            .create(CreateUser::new().phone_number(["+15555550160"]))
            .await
            .unwrap();
        let phone_id = bob.primary_phone_number_id.clone().unwrap();

        let sms = env
            .clerk
            .sms_messages()
            .create(CreateSmsMessage::new(&phone_id, "Your code is 424242"))
            .await
            .unwrap();
        assert_eq!(sms.object, "sms_message");
        assert!(sms.id.starts_with("sms_"), "{}", sms.id);
        assert_eq!(sms.to_phone_number, "+15555550160");
        assert_eq!(sms.from_phone_number, "+15555550100");
        assert_eq!(sms.phone_number_id.as_deref(), Some(phone_id.as_str()));
        assert_eq!(sms.user_id.as_deref(), Some(bob.id.as_str()));
        assert_eq!(sms.message, "Your code is 424242");
        assert_eq!(sms.status, "queued");
        assert!(sms.created_at_ms.is_some());

        let sent = outbox(env, "sms_message").await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["id"], sms.id.as_str());
        assert!(
            outbox(env, "email").await.is_empty(),
            "the filter by type works"
        );

        // Only verified numbers receive messages.
        let unverified = env
            .clerk
            .phone_numbers()
            .create(CreatePhoneNumber::new(&bob.id, "+15555550161"))
            .await
            .unwrap();
        let err = api_error(
            env.clerk
                .sms_messages()
                .create(CreateSmsMessage::new(unverified.id.unwrap(), "hi"))
                .await,
            422,
            "form_verification_needed",
        );
        assert_eq!(param_name(&err), Some("phone_number_id"));
        api_error(
            env.clerk
                .sms_messages()
                .create(CreateSmsMessage::new("idn_missing", "hi"))
                .await,
            404,
            "resource_not_found",
        );
        assert_eq!(
            outbox(env, "sms_message").await.len(),
            1,
            "nothing else was sent"
        );
        api_error(
            env.clerk
                .request::<Value>(Method::GET, "/_local/outbox", &[("type", "pigeon")], None)
                .await,
            422,
            "form_param_value_invalid",
        );
    })
    .await;
}
