//! JWT templates through the SDK: create, list, stream, get, update, delete, and tokens
//! minted from them, verified with the instance's JWKS (the SDK's verifier) or with the
//! template's own HS256 secret.

use clerk_sdk::verify::Verifier;
use clerk_sdk::{
    CreateJwtTemplate, CreateSession, CreateUser, JwtTemplate, ListJwtTemplates, UpdateJwtTemplate,
};
use e2e::each_backend;
use futures_util::TryStreamExt;
use serde_json::{Map, Value, json};

use crate::support::{api_error, claims, param_name};

fn object(value: Value) -> Map<String, Value> {
    value.as_object().expect("an object").clone()
}

#[tokio::test]
async fn templates_crud_and_minting() {
    each_backend(async |env| {
        let templates = env.clerk.jwt_templates();
        let claims_in = object(json!({
            "email": "{{user.primary_email_address}}",
            "name": "{{user.full_name}}",
            "plan": "{{user.public_metadata.plan || 'free'}}",
            "hello": "Hello {{user.first_name}}",
            "roles": ["member", "{{user.public_metadata.role}}"],
            "aud": "convex"
        }));
        let created: JwtTemplate = templates
            .create(CreateJwtTemplate::new("convex", claims_in.clone()).lifetime(600))
            .await
            .unwrap();
        assert_eq!(created.object, "jwt_template");
        assert!(created.id.starts_with("jtmp_"));
        assert_eq!((created.lifetime, created.allowed_clock_skew), (600, 5));
        assert_eq!(created.signing_algorithm, "RS256");
        assert_eq!(created.claims, claims_in);
        let secret = "an-hs256-shared-secret";
        let hs = templates
            .create(
                CreateJwtTemplate::new("hasura", object(json!({"uid": "{{user.id}}"})))
                    .custom_signing_key("HS256", secret),
            )
            .await
            .unwrap();
        assert!(hs.custom_signing_key);
        assert_eq!(hs.signing_algorithm, "HS256");

        let page = templates
            .list(ListJwtTemplates::new().limit(1))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(page.len(), 1);
        let all: Vec<JwtTemplate> = templates
            .stream(ListJwtTemplates::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(templates.get(&created.id).await.unwrap(), created);

        // Documented errors.
        let err = api_error(
            templates
                .create(CreateJwtTemplate::new("bad", object(json!({"sub": "x"}))))
                .await,
            400,
            "jwt_template_reserved_claim",
        );
        assert!(
            err.errors()[0]
                .long_message
                .as_deref()
                .unwrap()
                .contains("'sub'")
        );
        let err = api_error(
            templates
                .create(CreateJwtTemplate::new("bad", Map::new()).lifetime(10))
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("lifetime"));
        api_error(
            templates
                .create(CreateJwtTemplate::new("convex", Map::new()))
                .await,
            422,
            "form_identifier_exists",
        );
        api_error(
            templates.get("jtmp_missing").await,
            404,
            "resource_not_found",
        );
        api_error(
            templates
                .update("jtmp_missing", UpdateJwtTemplate::new("x", Map::new()))
                .await,
            404,
            "resource_not_found",
        );
        api_error(
            templates.delete("jtmp_missing").await,
            404,
            "resource_not_found",
        );

        // Mint from a real user and session.
        let user = env
            .clerk
            .users()
            .create(
                CreateUser::new()
                    .email_address(["mint@example.com"])
                    .first_name("Mina")
                    .last_name("Tan")
                    .public_metadata(json!({"role": "editor"})),
            )
            .await
            .unwrap();
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&user.id))
            .await
            .unwrap();
        let token = env
            .clerk
            .sessions()
            .create_token_from_template(&session.id, "convex", None)
            .await
            .unwrap();
        let jwt = token.jwt.unwrap();
        let verifier =
            Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .unwrap()
                .issuer(env.server.issuer())
                .accept_jwt_templates(true)
                .build()
                .unwrap();
        let verified = verifier.verify_token(&jwt).await.unwrap();
        assert_eq!(verified.sub, user.id);
        assert_eq!(verified.sid, None);
        assert_eq!(verified.extra["email"], "mint@example.com");
        assert_eq!(verified.extra["name"], "Mina Tan");
        assert_eq!(verified.extra["plan"], "free");
        assert_eq!(verified.extra["hello"], "Hello Mina");
        assert_eq!(verified.extra["roles"], json!(["member", "editor"]));
        assert_eq!(verified.exp - verified.iat.unwrap(), 600);

        // The HS256 template's token verifies with its secret.
        let hs_jwt = env
            .clerk
            .sessions()
            .create_token_from_template(&session.id, "hasura", Some(30))
            .await
            .unwrap()
            .jwt
            .unwrap();
        let (input, sig) = hs_jwt.rsplit_once('.').unwrap();
        use base64::Engine;
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sig)
            .unwrap();
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
        aws_lc_rs::hmac::verify(&key, input.as_bytes(), &sig).expect("HS256 signature");
        let c = claims(&hs_jwt);
        assert_eq!(c["uid"], user.id.as_str());
        assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 30);

        // Update, then delete: the name is gone for minting.
        let updated = templates
            .update(
                &created.id,
                UpdateJwtTemplate::new("convex2", object(json!({"k": "{{user.last_name}}"})))
                    .allowed_clock_skew(0),
            )
            .await
            .unwrap();
        assert_eq!(updated.name, "convex2");
        assert_eq!(updated.allowed_clock_skew, 0);
        assert_eq!(updated.lifetime, 600);
        let c = claims(
            &env.clerk
                .sessions()
                .create_token_from_template(&session.id, "convex2", None)
                .await
                .unwrap()
                .jwt
                .unwrap(),
        );
        assert_eq!(c["k"], "Tan");
        assert_eq!(c["nbf"], c["iat"]);
        let deleted = templates.delete(&created.id).await.unwrap();
        assert!(deleted.deleted);
        api_error(
            env.clerk
                .sessions()
                .create_token_from_template(&session.id, "convex2", None)
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
