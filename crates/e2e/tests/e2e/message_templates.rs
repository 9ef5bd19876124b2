//! Email and SMS templates through the SDK: Clerk's defaults listed and read, an edit
//! validated and rendered into the outbox, a preview, delivery toggled, a revert; one
//! documented error per operation.

use clerk_sdk::{
    CreateInvitation, ListMessageTemplates, MessageTemplateType, PreviewMessageTemplate,
    UpdateMessageTemplate,
};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::{api_error, outbox, param_name};

const EMAIL: MessageTemplateType = MessageTemplateType::Email;
const SMS: MessageTemplateType = MessageTemplateType::Sms;

#[tokio::test]
async fn templates_list_edit_preview_toggle_revert() {
    each_backend(async |env| {
        let templates = env.clerk.message_templates();

        // List and stream: Clerk's defaults, by position.
        let page = templates
            .list(EMAIL, ListMessageTemplates::new().limit(3))
            .await
            .unwrap();
        assert_eq!(page.data.len(), 3);
        assert!(page.total_count.unwrap() >= 14);
        assert_eq!(page.data[0].slug, "verification_code");
        let all: Vec<_> = templates
            .stream(SMS, Default::default())
            .try_collect()
            .await
            .unwrap();
        let slugs: Vec<&str> = all.iter().map(|t| t.slug.as_str()).collect();
        assert!(
            slugs.starts_with(&["verification_code", "reset_password_code", "invitation"]),
            "{slugs:?}"
        );
        api_error(
            templates
                .list(MessageTemplateType::from("fax"), Default::default())
                .await,
            400,
            "form_param_value_invalid",
        );

        // Get.
        let default = templates.get(EMAIL, "invitation").await.unwrap();
        assert_eq!(default.resource_type.as_deref(), Some("system"));
        assert_eq!(default.required_variables, ["action_url"]);
        let err = api_error(
            templates.get(EMAIL, "no_such_template").await,
            404,
            "resource_not_found",
        );
        assert!(
            err.errors()[0]
                .long_message
                .as_deref()
                .unwrap()
                .contains("no_such_template")
        );

        // Update: validated, then rendered into the invitation email.
        let err = api_error(
            templates
                .update(
                    EMAIL,
                    "invitation",
                    UpdateMessageTemplate::new().body("<p>no link</p>"),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("body"));
        let edited = templates
            .update(
                EMAIL,
                "invitation",
                UpdateMessageTemplate::new()
                    .subject("Come to {{app.name}}")
                    .body("<p>Join: <a href=\"{{action_url}}\">here</a></p>")
                    .from_email_name("welcome"),
            )
            .await
            .unwrap();
        assert_eq!(edited.can_revert, Some(true));
        env.clerk
            .invitations()
            .create(CreateInvitation::new("grace@example.com"))
            .await
            .unwrap();
        let emails = outbox(env, "email").await;
        assert_eq!(emails[0]["slug"], "invitation");
        assert_eq!(emails[0]["subject"], "Come to My Application");
        assert_eq!(emails[0]["from_email_name"], "welcome");
        let body = emails[0]["body"].as_str().unwrap();
        assert!(body.starts_with("<p>Join: <a href=\"http"), "{body}");
        assert!(body.contains("__clerk_ticket&#x3D;"), "escaped: {body}");

        // Preview: sample values, nothing sent.
        let preview = templates
            .preview(
                EMAIL,
                "invitation",
                PreviewMessageTemplate::new().body("<b>{{action_url}}</b>"),
            )
            .await
            .unwrap();
        assert_eq!(preview.subject.as_deref(), Some("Come to My Application"));
        assert!(preview.body.as_deref().unwrap().starts_with("<b>https://"));
        api_error(
            templates
                .preview(
                    EMAIL,
                    "invitation",
                    PreviewMessageTemplate::new().body("{{#if}}"),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(outbox(env, "email").await.len(), 1);

        // Toggle delivery: the message is still recorded, marked for the app to deliver.
        let off = templates
            .toggle_delivery(EMAIL, "invitation", false)
            .await
            .unwrap();
        assert_eq!(off.delivered_by_clerk, Some(false));
        env.clerk
            .invitations()
            .create(CreateInvitation::new("alan@example.com"))
            .await
            .unwrap();
        let emails = outbox(env, "email").await;
        assert_eq!(
            (emails.len(), &emails[0]["delivered_by_clerk"]),
            (2, &serde_json::json!(false))
        );
        api_error(
            templates.toggle_delivery(SMS, "nope", true).await,
            404,
            "resource_not_found",
        );

        // Revert: the default again, delivery included.
        let reverted = templates.revert(EMAIL, "invitation").await.unwrap();
        assert_eq!(reverted, default);
        api_error(
            templates.revert(SMS, "nope").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
