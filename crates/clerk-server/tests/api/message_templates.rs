//! `/v1/templates/{template_type}[/{slug}]`: Clerk's default email and SMS templates, their
//! edits and reverts, previews, delivery toggles, and every message rendered from them.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend, each_backend_with};
use crate::messages::fake_smtp;
use crate::webhook_receiver::Subscription;

const KEYS: &[&str] = &[
    "object",
    "id",
    "instance_id",
    "resource_type",
    "template_type",
    "name",
    "slug",
    "position",
    "can_revert",
    "can_delete",
    "can_edit_body",
    "can_toggle",
    "subject",
    "markup",
    "body",
    "available_variables",
    "required_variables",
    "from_email_name",
    "reply_to_email_name",
    "delivered_by_clerk",
    "enabled",
    "flagged_as_suspicious",
    "updated_at",
    "created_at",
];

fn slugs(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_and_gets_clerks_defaults() {
    each_backend(async |api: &mut Api| {
        let all = api.get("/v1/templates/email?limit=100").await.ok().clone();
        let names = slugs(&all);
        for slug in [
            "verification_code",
            "reset_password_code",
            "invitation",
            "organization_invitation",
            "magic_link_sign_in",
            "magic_link_sign_up",
            "magic_link_user_profile",
            "waitlist_invitation",
            "waitlist_confirmation",
            "password_changed",
            "password_removed",
            "primary_email_address_changed",
            "passkey_added",
            "new_device_sign_in",
        ] {
            assert!(names.contains(&slug.to_owned()), "{slug} in {names:?}");
        }
        let positions: Vec<i64> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["position"].as_i64().unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        let first = &all[0];
        assert_eq!(first.as_object().unwrap().len(), KEYS.len(), "{first}");
        for key in KEYS {
            assert!(first.get(key).is_some(), "template.{key}");
        }
        assert_eq!(first["object"], "template");
        assert_eq!(first["resource_type"], "system");
        assert_eq!(first["instance_id"], Value::Null);
        assert_eq!(first["can_revert"], false);
        assert_eq!(first["delivered_by_clerk"], true);
        assert!(first["id"].as_str().unwrap().starts_with("tmpl_"));

        // The default page is 10; `paginated=true` adds the total.
        assert_eq!(
            api.get("/v1/templates/email")
                .await
                .ok()
                .as_array()
                .unwrap()
                .len(),
            10
        );
        let page = api
            .get("/v1/templates/email?paginated=true&limit=2&offset=1")
            .await;
        assert_eq!(
            page.ok()["total_count"].as_i64().unwrap() as usize,
            names.len()
        );
        assert_eq!(slugs(&page.ok()["data"]), names[1..3].to_vec());

        let sms = api.get("/v1/templates/sms").await.ok().clone();
        assert!(slugs(&sms).starts_with(&[
            "verification_code".to_owned(),
            "reset_password_code".to_owned(),
            "invitation".to_owned()
        ]));
        assert_eq!(sms[0]["subject"], Value::Null);
        assert!(
            sms.as_array()
                .unwrap()
                .iter()
                .any(|t| t["can_toggle"] == true)
        );

        let one = api
            .get("/v1/templates/email/verification_code")
            .await
            .ok()
            .clone();
        assert_eq!(one, all[0]);
        assert_eq!(one["required_variables"], json!(["otp_code"]));
        assert!(
            one["available_variables"]
                .as_array()
                .unwrap()
                .contains(&json!("app.name"))
        );
        assert!(one["body"].as_str().unwrap().contains("{{otp_code}}"));
        assert_eq!(one["from_email_name"], "notifications");

        let missing = api.get("/v1/templates/email/no_such_slug").await;
        let err = missing.err(404, "resource_not_found");
        assert!(
            err["long_message"]
                .as_str()
                .unwrap()
                .contains("no_such_slug"),
            "{err}"
        );
        api.get("/v1/templates/fax")
            .await
            .err(400, "form_param_value_invalid");
        api.get("/v1/templates/fax/verification_code")
            .await
            .err(400, "form_param_value_invalid");
    })
    .await;
}

#[tokio::test]
async fn updates_are_validated_and_revert() {
    each_backend(async |api: &mut Api| {
        let path = "/v1/templates/email/verification_code";
        let before = api.get(path).await.ok().clone();
        let missing = api.put(path, json!({"body": "<p>No code here</p>"})).await;
        let err = missing.err(422, "form_param_value_invalid");
        assert_eq!(err["meta"]["param_name"], "body");
        assert!(err["long_message"].as_str().unwrap().contains("{{otp_code}}"));
        api.put(path, json!({"body": "{{#if otp_code}}unclosed"}))
            .await
            .err(422, "form_param_value_invalid");
        api.put(path, json!({"from_email_name": "not an address"}))
            .await
            .err(422, "form_param_value_invalid");
        api.put(path, json!({"colour": "red"})).await.err(422, "form_param_unknown");
        api.put("/v1/templates/email/nope", json!({"body": "x"}))
            .await
            .err(404, "resource_not_found");

        api.server.advance_clock(Duration::from_secs(1));
        let edited = api
            .put(
                path,
                json!({"name": "Code", "subject": "Code: {{otp_code}}", "body": "<p>Code {{ otp_code }} for {{app.name}}</p>",
                       "markup": "<re-html>…</re-html>", "from_email_name": "security", "reply_to_email_name": "help"}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(edited["resource_type"], "user");
        assert_eq!(edited["can_revert"], true);
        assert!(edited["instance_id"].as_str().unwrap().starts_with("ins_"));
        assert_ne!(edited["id"], before["id"]);
        assert_eq!(edited["position"], before["position"]);
        assert_eq!((&edited["name"], &edited["subject"]), (&json!("Code"), &json!("Code: {{otp_code}}")));
        assert_eq!((&edited["from_email_name"], &edited["reply_to_email_name"]), (&json!("security"), &json!("help")));
        assert!(edited["updated_at"].as_i64() > before["updated_at"].as_i64());
        assert_eq!(api.get(path).await.ok(), &edited);

        // A second edit keeps the row's id and creation time.
        let again = api.put(path, json!({"delivered_by_clerk": false})).await.ok().clone();
        assert_eq!((&again["id"], &again["created_at"]), (&edited["id"], &edited["created_at"]));
        assert_eq!(again["delivered_by_clerk"], false);
        assert_eq!(again["body"], edited["body"]);

        let reverted = api.post_empty(&format!("{path}/revert")).await.ok().clone();
        assert_eq!(reverted, before);
        api.post_empty("/v1/templates/sms/nope/revert")
            .await
            .err(404, "resource_not_found");

        // SMS templates ignore the email-only fields.
        let sms = api
            .put("/v1/templates/sms/verification_code", json!({"body": "{{otp_code}} is your code", "subject": "ignored"}))
            .await
            .ok()
            .clone();
        assert_eq!((&sms["subject"], &sms["body"]), (&Value::Null, &json!("{{otp_code}} is your code")));
    })
    .await;
}

#[tokio::test]
async fn previews_render_sample_values_without_sending() {
    each_backend(async |api: &mut Api| {
        let stored = api
            .post("/v1/templates/email/verification_code/preview", json!({}))
            .await
            .ok()
            .clone();
        assert_eq!(stored["subject"], "123456 is your verification code");
        assert!(stored["body"].as_str().unwrap().contains("123456"), "{stored}");
        assert!(stored["from_email_address"].as_str().unwrap().starts_with("notifications@"));
        let given = api
            .post(
                "/v1/templates/email/organization_invitation/preview",
                json!({"subject": "Join {{org.name}}", "body": "<p>{{inviter_name}} &rarr; {{action_url}}</p>", "from_email_name": "team"}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(given["subject"], "Join Acme Inc");
        assert!(given["body"].as_str().unwrap().starts_with("<p>Jane Doe &rarr; https:"), "{given}");
        assert!(given["from_email_address"].as_str().unwrap().starts_with("team@"));
        let sms = api.post_empty("/v1/templates/sms/verification_code/preview").await.ok().clone();
        assert!(sms["body"].as_str().unwrap().starts_with("123456 is your verification code"));
        assert_eq!(sms["subject"], Value::Null);
        api.post("/v1/templates/email/verification_code/preview", json!({"body": "{{#each}}"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post_empty("/v1/templates/email/nope/preview").await.err(404, "resource_not_found");
        assert_eq!(api.get("/v1/_local/outbox").await.ok()["total_count"], 0);
    })
    .await;
}

async fn unverified_email(api: &Api, address: &str) -> String {
    let user = api.user(json!({"external_id": address})).await;
    let email = api
        .post(
            "/v1/email_addresses",
            json!({"user_id": user["id"], "email_address": address, "verified": false}),
        )
        .await;
    email.ok()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn messages_are_rendered_from_edited_templates() {
    each_backend(async |api: &mut Api| {
        api.put(
            "/v1/templates/email/verification_code",
            json!({"subject": "Your {{app.name}} code", "body": "<p>CODE={{otp_code}} ({{ttl_minutes}} min)</p>"}),
        )
        .await
        .ok();
        api.put(
            "/v1/templates/email/invitation",
            json!({"subject": "Welcome aboard", "body": "<a href=\"{{action_url}}\">Join</a>", "from_email_name": "hello"}),
        )
        .await
        .ok();
        api.put("/v1/templates/sms/verification_code", json!({"body": "SMS {{otp_code}}"}))
            .await
            .ok();

        let id = unverified_email(api, "ada@example.com").await;
        let verification = api
            .post_empty(&format!("/v1/email_addresses/{id}/prepare_verification"))
            .await
            .ok()
            .clone();
        let outbox = api.get("/v1/_local/outbox").await.ok().clone();
        let email = &outbox["data"][0];
        assert_eq!(email["subject"], "Your My Application code");
        let body = email["body"].as_str().unwrap();
        let code = body.strip_prefix("<p>CODE=").unwrap()[..6].to_owned();
        assert!(code.chars().all(|c| c.is_ascii_digit()), "{body}");
        assert!(body.ends_with("(10 min)</p>"), "{body}");
        // The code it rendered is the code that verifies.
        let attempt = api
            .post(
                &format!("/v1/email_addresses/{id}/attempt_verification"),
                json!({"verification_id": verification["id"], "code": code}),
            )
            .await;
        assert_eq!(attempt.ok()["status"], "verified", "{:#}", attempt.ok());

        api.post(
            "/v1/invitations",
            json!({"email_address": "bob@example.com", "redirect_url": "https://app.example.com/in?a=1&b=\"2\""}),
        )
        .await
        .ok();
        let outbox = api.get("/v1/_local/outbox?type=email").await.ok().clone();
        let invitation = &outbox["data"][0];
        assert_eq!(invitation["slug"], "invitation");
        assert_eq!((&invitation["subject"], &invitation["from_email_name"]), (&json!("Welcome aboard"), &json!("hello")));
        let body = invitation["body"].as_str().unwrap();
        // Values are HTML-escaped in email bodies.
        assert!(body.starts_with("<a href=\"https://app.example.com/in?a&#x3D;1&amp;b&#x3D;&quot;2&quot;&amp;__clerk_ticket&#x3D;"), "{body}");

        let phone = api
            .post(
                "/v1/phone_numbers",
                json!({"user_id": api.user(json!({"external_id": "p1"})).await["id"], "phone_number": "+14155550261", "verified": false}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        api.post_empty(&format!("/v1/phone_numbers/{phone}/prepare_verification"))
            .await
            .ok();
        let sms = api.get("/v1/_local/outbox?type=sms_message").await.ok()["data"][0].clone();
        assert!(sms["message"].as_str().unwrap().starts_with("SMS "), "{sms}");
    })
    .await;
}

#[tokio::test]
async fn delivery_off_still_records_and_announces_but_never_relays() {
    let (port, received) = fake_smtp().await;
    each_backend_with(
        move || {
            clerk_server::Config::default()
                .with_smtp(clerk_server::SmtpConfig::new("127.0.0.1", port))
        },
        async |api: &mut Api| {
            received.lock().unwrap().clear();
            let path = "/v1/templates/email/invitation/toggle_delivery";
            let off = api
                .post(path, json!({"delivered_by_clerk": false}))
                .await
                .ok()
                .clone();
            assert_eq!(
                (&off["delivered_by_clerk"], &off["resource_type"]),
                (&json!(false), &json!("user"))
            );
            let mut hook = Subscription::start(api, Some(&["email.created"])).await;
            api.post(
                "/v1/invitations",
                json!({"email_address": "self@example.com"}),
            )
            .await
            .ok();
            let event = hook.expect("email.created").await;
            assert_eq!(event["data"]["delivered_by_clerk"], false);
            assert_eq!(event["data"]["slug"], "invitation");
            tokio::time::sleep(Duration::from_millis(300)).await;
            let row = api.get("/v1/_local/outbox").await.ok()["data"][0].clone();
            assert_eq!(
                (&row["delivered_by_clerk"], &row["status"]),
                (&json!(false), &json!("queued"))
            );
            assert!(received.lock().unwrap().is_empty(), "relayed anyway");

            // Toggling without a value flips it back.
            let on = api.post_empty(path).await.ok().clone();
            assert_eq!(on["delivered_by_clerk"], true);
            api.post(
                "/v1/templates/email/nope/toggle_delivery",
                json!({"delivered_by_clerk": true}),
            )
            .await
            .err(404, "resource_not_found");
            api.post(path, json!({"delivered_by_clerk": "no"}))
                .await
                .err(400, "form_param_type_invalid");
        },
    )
    .await;
}

#[tokio::test]
async fn concurrent_edits_of_one_template_keep_both() {
    each_backend(async |api: &mut Api| {
        let path = "/v1/templates/email/invitation";
        for round in 0..5 {
            let name = format!("Invitation {round}");
            let subject = format!("Subject {round}");
            let (a, b) = tokio::join!(
                api.put(path, json!({"name": name})),
                api.put(path, json!({"subject": subject})),
            );
            a.ok();
            b.ok();
            let now = api.get(path).await.ok().clone();
            assert_eq!(
                (&now["name"], &now["subject"]),
                (&json!(name), &json!(subject)),
                "{now}"
            );
        }
    })
    .await;
}
