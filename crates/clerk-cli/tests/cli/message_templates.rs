//! `clerk message-templates`: list, get, update (body from a file), preview, toggle
//! delivery and revert Clerk's email and SMS templates.

use crate::common::Env;

#[test]
fn message_templates_list_update_preview_toggle_revert() {
    let env = Env::start();
    let table = env
        .clerk(&["message-templates", "list", "email", "--limit", "100"])
        .ok();
    assert!(table.stdout.starts_with("SLUG"), "{table:#?}");
    assert!(
        table.stdout.contains("verification_code")
            && table.stdout.contains("organization_invitation")
    );
    let page = env.json(&["message-templates", "list", "sms", "--limit", "2"]);
    assert_eq!(page["data"][0]["slug"], "verification_code");
    assert!(page["total_count"].as_i64().unwrap() >= 3);
    env.clerk(&["message-templates", "get", "sms", "invitation"])
        .ok()
        .stdout_has("action_url");
    env.clerk(&["message-templates", "get", "email", "nope"])
        .api_error("resource_not_found");
    env.clerk(&["message-templates", "list", "fax"]).code(2);

    let body = env.path("code.html");
    std::fs::write(&body, "<p>Code {{otp_code}}</p>").unwrap();
    let edited = env.json(&[
        "message-templates",
        "update",
        "email",
        "verification_code",
        "--subject",
        "Code for {{app.name}}",
        "--body",
        &format!("@{}", body.display()),
    ]);
    assert_eq!(edited["body"], "<p>Code {{otp_code}}</p>");
    assert_eq!(edited["resource_type"], "user");
    env.clerk(&[
        "message-templates",
        "update",
        "email",
        "verification_code",
        "--body",
        "no code",
    ])
    .api_error("form_param_value_invalid");

    env.clerk(&["message-templates", "preview", "email", "verification_code"])
        .ok()
        .stdout_has("Code for My Application")
        .stdout_has("<p>Code 123456</p>");

    let off = env.json(&[
        "message-templates",
        "toggle-delivery",
        "email",
        "verification_code",
        "off",
    ]);
    assert_eq!(off["delivered_by_clerk"], false);
    let reverted = env.json(&["message-templates", "revert", "email", "verification_code"]);
    assert_eq!(
        (&reverted["resource_type"], &reverted["delivered_by_clerk"]),
        (&"system".into(), &true.into())
    );
}
