use clerk_sdk::{
    ListMessageTemplates, MessageTemplateType, PreviewMessageTemplate, UpdateMessageTemplate,
};
use serde_json::{Value, json};

use crate::support::MockServer;

fn template(slug: &str, delivered: bool) -> Value {
    json!({
        "object": "template", "id": "tmpl_1", "instance_id": null, "resource_type": "system",
        "template_type": "email", "name": "Verification code", "slug": slug, "position": 0,
        "can_revert": false, "can_delete": false, "can_edit_body": true, "can_toggle": false,
        "subject": "{{otp_code}} is your verification code", "markup": "",
        "body": "<p>{{otp_code}}</p>", "available_variables": ["app.name", "otp_code"],
        "required_variables": ["otp_code"], "from_email_name": "notifications",
        "reply_to_email_name": "", "delivered_by_clerk": delivered, "enabled": true,
        "flagged_as_suspicious": false, "updated_at": 1, "created_at": 1
    })
}

#[tokio::test]
async fn message_templates_list_get_update_revert_preview_toggle() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let templates = clerk.message_templates();

    server.respond_json(
        200,
        json!({"data": [template("verification_code", true)], "total_count": 16}),
    );
    let page = templates
        .list(
            MessageTemplateType::Sms,
            ListMessageTemplates::new().limit(5).offset(1),
        )
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(16));
    assert_eq!(page.data[0].required_variables, ["otp_code"]);
    server.requests()[0].assert_request(
        "GET",
        "/v1/templates/sms",
        Some("paginated=true&limit=5&offset=1"),
        None,
    );

    server.respond_json(200, template("verification_code", true));
    let one = templates
        .get(MessageTemplateType::Email, "verification_code")
        .await
        .unwrap();
    assert_eq!(one.template_type, Some(MessageTemplateType::Email));
    assert_eq!(
        one.subject.as_deref(),
        Some("{{otp_code}} is your verification code")
    );
    server.requests()[1].assert_request("GET", "/v1/templates/email/verification_code", None, None);

    server.respond_json(200, template("verification_code", false));
    templates
        .update(
            MessageTemplateType::Email,
            "verification_code",
            UpdateMessageTemplate::new()
                .name("Code")
                .subject("S")
                .body("{{otp_code}}")
                .markup("m")
                .from_email_name("security")
                .reply_to_email_name("help")
                .delivered_by_clerk(false),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "PUT",
        "/v1/templates/email/verification_code",
        None,
        Some(
            json!({"name": "Code", "subject": "S", "markup": "m", "body": "{{otp_code}}",
                    "delivered_by_clerk": false, "from_email_name": "security",
                    "reply_to_email_name": "help"}),
        ),
    );

    server.respond_json(200, template("invitation", true));
    templates
        .revert(MessageTemplateType::Email, "invitation")
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "POST",
        "/v1/templates/email/invitation/revert",
        None,
        None,
    );

    server.respond_json(200, json!({"object": "template_preview", "subject": "123456", "body": "<p>123456</p>",
                                    "from_email_address": "notifications@example.com", "reply_to_email_address": null}));
    let preview = templates
        .preview(
            MessageTemplateType::Email,
            "verification_code",
            PreviewMessageTemplate::new().body("<p>{{otp_code}}</p>"),
        )
        .await
        .unwrap();
    assert_eq!(preview.body.as_deref(), Some("<p>123456</p>"));
    assert_eq!(preview.extra["object"], "template_preview");
    server.requests()[4].assert_request(
        "POST",
        "/v1/templates/email/verification_code/preview",
        None,
        Some(json!({"body": "<p>{{otp_code}}</p>"})),
    );

    server.respond_json(200, template("invitation", false));
    let toggled = templates
        .toggle_delivery(MessageTemplateType::Email, "invitation", false)
        .await
        .unwrap();
    assert_eq!(toggled.delivered_by_clerk, Some(false));
    server.requests()[5].assert_request(
        "POST",
        "/v1/templates/email/invitation/toggle_delivery",
        None,
        Some(json!({"delivered_by_clerk": false})),
    );

    server.respond_json(
        404,
        json!({"errors": [{"code": "resource_not_found", "message": "not found",
                           "long_message": "No template was found with id email/nope", "meta": {}}]}),
    );
    let err = templates
        .get(MessageTemplateType::Email, "nope")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}
