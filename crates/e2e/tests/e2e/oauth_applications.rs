//! OAuth applications through the SDK: list, stream, create, get, update, logo, rotate
//! secret, revoke token, delete, and access tokens (issued by the local endpoint) verified
//! opaque and as JWTs; one documented error per operation, and verification's hostile
//! cases.

use std::time::Duration;

use clerk_sdk::{
    CreateOAuthApplication, IssueOAuthAccessToken, ListOAuthApplications, OAuthApplication,
    OAuthTokenVerification, OrganizationLogo, UpdateOAuthApplication,
};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::{api_error, claims, sign_in, user};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

const MISSING: &str = "oa_2xhFjEI5X2qWRvtV13BzSj8H6Dk";

#[tokio::test]
async fn oauth_applications_every_operation() {
    each_backend(async |env| {
        let apps = env.clerk.oauth_applications();
        let created = apps
            .create(
                CreateOAuthApplication::new("Zapier")
                    .redirect_uris(["https://zapier.example/cb"])
                    .scopes("profile email"),
            )
            .await
            .unwrap();
        assert!(created.id.starts_with("oa_"));
        let first_secret = created.client_secret.clone().expect("shown at creation");
        assert!(created.authorize_url.ends_with("/oauth/authorize"));
        api_error(
            apps.create(CreateOAuthApplication::new(" ")).await,
            422,
            "form_param_value_invalid",
        );
        let public = apps
            .create(CreateOAuthApplication::new("Cli").public(true))
            .await
            .unwrap();
        assert!(public.client_secret.is_none());

        let page = apps.list(ListOAuthApplications::new()).await.unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(page.data[0].id, created.id, "oldest first");
        let all: Vec<OAuthApplication> = apps
            .stream(ListOAuthApplications::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        api_error(
            apps.list(ListOAuthApplications::new().order_by("name"))
                .await,
            422,
            "form_param_value_invalid",
        );

        let shown = apps.get(&created.id).await.unwrap();
        assert!(shown.client_secret.is_none());
        api_error(apps.get(MISSING).await, 404, "resource_not_found");

        let updated = apps
            .update(
                &created.id,
                UpdateOAuthApplication::new()
                    .name("Zapier 2")
                    .pkce_required(true),
            )
            .await
            .unwrap();
        assert_eq!(updated.name, "Zapier 2");
        assert!(updated.pkce_required);
        api_error(
            apps.update(MISSING, UpdateOAuthApplication::new().name("x"))
                .await,
            404,
            "resource_not_found",
        );

        let with_logo = apps
            .upload_logo(&created.id, OrganizationLogo::new(PNG.to_vec()))
            .await
            .unwrap();
        assert!(with_logo.client_image_url.unwrap().contains("/images/img_"));
        api_error(
            apps.upload_logo(&created.id, OrganizationLogo::new(b"not an image".to_vec()))
                .await,
            400,
            "request_body_invalid",
        );

        let rotated = apps.rotate_secret(&created.id).await.unwrap();
        assert_ne!(rotated.client_secret.unwrap(), first_secret);
        api_error(apps.rotate_secret(MISSING).await, 404, "resource_not_found");

        api_error(
            apps.revoke_token(MISSING, "oat_x").await,
            404,
            "resource_not_found",
        );
        apps.revoke_token(&created.id, "oat_unknown").await.unwrap();

        assert!(apps.delete(&public.id).await.unwrap().deleted);
        api_error(apps.delete(&public.id).await, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn access_tokens_verify_and_revoke() {
    each_backend(async |env| {
        let apps = env.clerk.oauth_applications();
        let ann = user(env, "ann@example.com").await;
        let app = apps
            .create(CreateOAuthApplication::new("App"))
            .await
            .unwrap();

        let opaque = apps
            .issue_access_token(
                &app.id,
                IssueOAuthAccessToken::new(&ann.id).scopes(["email"]),
            )
            .await
            .unwrap();
        let jwt = apps
            .issue_access_token(
                &app.id,
                IssueOAuthAccessToken::new(&ann.id)
                    .jwt(true)
                    .expires_in_seconds(60),
            )
            .await
            .unwrap();
        assert_eq!(claims(&jwt.token)["sub"], ann.id.as_str());
        for (issued, scopes) in [(&opaque, vec!["email"]), (&jwt, vec!["profile", "email"])] {
            match apps.verify_access_token(&issued.token).await.unwrap() {
                OAuthTokenVerification::Active(token) => {
                    assert_eq!(token.id, issued.id);
                    assert_eq!(token.subject, ann.id);
                    assert_eq!(token.client_id, app.client_id);
                    assert_eq!(token.scopes, scopes);
                }
                other => panic!("{other:?}"),
            }
        }

        // Hostile: truncated, another prefix, unknown, a session token.
        let session = sign_in(env, &ann.id).await;
        let session_jwt = env.server.session_token(&session.id).await;
        for hostile in [
            opaque.token[..opaque.token.len() - 1].to_owned(),
            format!("ak_{}", &opaque.token[4..]),
            format!("oat_{}", "B".repeat(48)),
            session_jwt,
        ] {
            api_error(
                apps.verify_access_token(&hostile).await,
                404,
                "oauth_access_token_not_found",
            );
        }

        // Revoked: the opaque token is refused, the JWT inactive.
        apps.revoke_token(&app.id, &opaque.token).await.unwrap();
        apps.revoke_token(&app.id, &jwt.token).await.unwrap();
        api_error(
            apps.verify_access_token(&opaque.token).await,
            404,
            "oauth_access_token_revoked",
        );
        assert_eq!(
            apps.verify_access_token(&jwt.token).await.unwrap(),
            OAuthTokenVerification::Inactive
        );

        // Expired.
        let short = apps
            .issue_access_token(
                &app.id,
                IssueOAuthAccessToken::new(&ann.id).expires_in_seconds(30),
            )
            .await
            .unwrap();
        env.server.advance_clock(Duration::from_secs(31));
        api_error(
            apps.verify_access_token(&short.token).await,
            404,
            "oauth_access_token_expired",
        );
    })
    .await;
}
