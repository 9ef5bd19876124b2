//! API keys and OAuth applications on the wire: what each method sends and reads.

use clerk_sdk::{
    CreateApiKey, CreateOAuthApplication, IssueOAuthAccessToken, ListApiKeys,
    ListOAuthApplications, OAuthTokenVerification, Patch, UpdateApiKey, UpdateOAuthApplication,
};
use serde_json::{Value, json};

use crate::support::{Canned, MockServer, fixtures};

fn api_key(id: &str, secret: Option<&str>) -> Value {
    let mut key = json!({"object": "api_key", "id": id, "type": "api_key", "subject": "user_1",
        "name": "ci", "description": null, "claims": null, "scopes": ["read"], "revoked": false,
        "revocation_reason": null, "expired": false, "expiration": null, "created_by": null,
        "last_used_at": null, "created_at": 1, "updated_at": 2});
    if let Some(secret) = secret {
        key["secret"] = json!(secret);
    }
    key
}

fn application(id: &str, secret: Option<&str>) -> Value {
    let mut app = json!({"object": "oauth_application", "id": id, "instance_id": "ins_1",
        "name": "Zapier", "client_id": "abc", "client_uri": null, "client_image_url": null,
        "dynamically_registered": false, "consent_screen_enabled": true, "pkce_required": false,
        "public": false, "scopes": "profile email", "redirect_uris": [], "callback_url": "",
        "authorize_url": "http://c/oauth/authorize", "token_fetch_url": "http://c/oauth/token",
        "user_info_url": "http://c/oauth/userinfo", "discovery_url": "http://c/.well-known/x",
        "token_introspection_url": "http://c/oauth/token_info", "created_at": 1, "updated_at": 2});
    if let Some(secret) = secret {
        app["client_secret"] = json!(secret);
    }
    app
}

#[tokio::test]
async fn api_keys_every_method() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(201, api_key("ak_1", Some("ak_secret")));
    let created = clerk
        .api_keys()
        .create(
            CreateApiKey::new("ci", "user_1")
                .scopes(["read"])
                .claims(json!({"a": 1}))
                .seconds_until_expiration(60),
        )
        .await
        .unwrap();
    assert_eq!(created.secret.as_deref(), Some("ak_secret"));
    assert!(!format!("{created:?}").contains("ak_secret"));
    server.requests()[0].assert_request(
        "POST",
        "/v1/api_keys",
        None,
        Some(
            json!({"name": "ci", "subject": "user_1", "claims": {"a": 1}, "scopes": ["read"],
                    "seconds_until_expiration": 60}),
        ),
    );

    server.respond_json(
        200,
        json!({"data": [api_key("ak_1", None)], "total_count": 1}),
    );
    let page = clerk
        .api_keys()
        .list(ListApiKeys::new("user_1").include_invalid(true).limit(5))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    server.requests()[1].assert_request(
        "GET",
        "/v1/api_keys",
        Some("subject=user_1&include_invalid=true&limit=5"),
        None,
    );

    server.respond_json(200, api_key("ak_1", None));
    clerk.api_keys().get("ak_1").await.unwrap();
    server.requests()[2].assert_request("GET", "/v1/api_keys/ak_1", None, None);

    server.respond_json(200, api_key("ak_1", None));
    clerk
        .api_keys()
        .update(
            "ak_1",
            UpdateApiKey::new()
                .description(Patch::Null)
                .seconds_until_expiration(120),
        )
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "PATCH",
        "/v1/api_keys/ak_1",
        None,
        Some(json!({"description": null, "seconds_until_expiration": 120})),
    );

    server.respond_json(200, json!({"secret": "ak_secret"}));
    let secret = clerk.api_keys().secret("ak_1").await.unwrap();
    assert_eq!(secret.secret, "ak_secret");
    server.requests()[4].assert_request("GET", "/v1/api_keys/ak_1/secret", None, None);

    server.respond_json(200, api_key("ak_1", None));
    clerk.api_keys().revoke("ak_1", None).await.unwrap();
    server.requests()[5].assert_request(
        "POST",
        "/v1/api_keys/ak_1/revoke",
        None,
        Some(json!({"revocation_reason": null})),
    );

    server.respond_json(200, fixtures::deleted("api_key", "ak_1"));
    assert!(clerk.api_keys().delete("ak_1").await.unwrap().deleted);
    server.requests()[6].assert_request("DELETE", "/v1/api_keys/ak_1", None, None);

    server.respond_json(200, api_key("ak_1", None));
    clerk.api_keys().verify("ak_secret").await.unwrap();
    server.requests()[7].assert_request(
        "POST",
        "/v1/api_keys/verify",
        None,
        Some(json!({"secret": "ak_secret"})),
    );

    server.respond_json(
        404,
        json!({"errors": [{"code": "api_key_revoked", "message": "m", "long_message": "l"}]}),
    );
    let error = clerk.api_keys().verify("ak_secret").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!error.to_string().contains("ak_secret"));
}

#[tokio::test]
async fn oauth_applications_every_method() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let apps = clerk.oauth_applications();

    server.respond_json(
        200,
        json!({"data": [application("oa_1", None)], "total_count": 1}),
    );
    apps.list(ListOAuthApplications::new().name_query("zap"))
        .await
        .unwrap();
    server.requests()[0].assert_request(
        "GET",
        "/v1/oauth_applications",
        Some("name_query=zap"),
        None,
    );

    server.respond_json(200, application("oa_1", Some("s3cret")));
    let created = apps
        .create(
            CreateOAuthApplication::new("Zapier")
                .redirect_uris(["https://z/cb"])
                .public(false),
        )
        .await
        .unwrap();
    assert_eq!(created.client_secret.as_deref(), Some("s3cret"));
    server.requests()[1].assert_request(
        "POST",
        "/v1/oauth_applications",
        None,
        Some(json!({"name": "Zapier", "redirect_uris": ["https://z/cb"], "public": false})),
    );

    server.respond_json(200, application("oa_1", None));
    apps.get("oa_1").await.unwrap();
    server.requests()[2].assert_request("GET", "/v1/oauth_applications/oa_1", None, None);

    server.respond_json(200, application("oa_1", None));
    apps.update("oa_1", UpdateOAuthApplication::new().scopes("profile"))
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "PATCH",
        "/v1/oauth_applications/oa_1",
        None,
        Some(json!({"scopes": "profile"})),
    );

    server.respond_json(200, application("oa_1", Some("new")));
    apps.rotate_secret("oa_1").await.unwrap();
    server.requests()[4].assert_request(
        "POST",
        "/v1/oauth_applications/oa_1/rotate_secret",
        None,
        None,
    );

    server.respond(Canned::text(204, ""));
    apps.revoke_token("oa_1", "oat_x").await.unwrap();
    server.requests()[5].assert_request(
        "POST",
        "/v1/oauth_applications/oa_1/revoke_token",
        None,
        Some(json!({"token": "oat_x"})),
    );

    server.respond_json(200, json!({"active": false}));
    let inactive = apps.verify_access_token("a.b.c").await.unwrap();
    assert_eq!(inactive, OAuthTokenVerification::Inactive);
    server.requests()[6].assert_request(
        "POST",
        "/v1/oauth_applications/access_tokens/verify",
        None,
        Some(json!({"access_token": "a.b.c"})),
    );

    server.respond_json(
        200,
        json!({"object": "clerk_idp_oauth_access_token", "id": "oat_1",
        "client_id": "abc", "subject": "user_1", "scopes": ["email"], "revoked": false,
        "revocation_reason": null, "expired": false, "expiration": 5, "created_at": 1,
        "updated_at": 2}),
    );
    match apps.verify_access_token("oat_x").await.unwrap() {
        OAuthTokenVerification::Active(token) => assert_eq!(token.subject, "user_1"),
        other => panic!("{other:?}"),
    }

    server.respond_json(
        200,
        json!({"object": "oauth_access_token", "id": "oat_1",
        "token": "oat_tok", "format": "jwt", "client_id": "abc", "subject": "user_1",
        "scopes": [], "expiration": 5, "created_at": 1}),
    );
    apps.issue_access_token("oa_1", IssueOAuthAccessToken::new("user_1").jwt(true))
        .await
        .unwrap();
    server.requests()[8].assert_request(
        "POST",
        "/v1/_local/oauth_applications/oa_1/access_tokens",
        None,
        Some(json!({"user_id": "user_1", "format": "jwt"})),
    );

    server.respond_json(200, fixtures::deleted("oauth_application", "oa_1"));
    assert!(apps.delete("oa_1").await.unwrap().deleted);
    server.requests()[9].assert_request("DELETE", "/v1/oauth_applications/oa_1", None, None);
}
