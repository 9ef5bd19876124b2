//! Sign-in tokens, actor tokens and testing tokens through the SDK, each ticket redeemed
//! through the local extension; the impersonation session's tokens carry `act`, which the
//! SDK's verifier reads typed.

use clerk_sdk::verify::Verifier;
use clerk_sdk::{CreateActorToken, CreateSessionToken, CreateSignInToken, Method, TicketStatus};
use e2e::each_backend;
use serde_json::json;

use crate::support::{api_error, claims, local, user};

#[tokio::test]
async fn sign_in_token_create_redeem_revoke() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let tokens = env.clerk.sign_in_tokens();
        let created = tokens
            .create(CreateSignInToken::new(&ann.id).expires_in_seconds(600))
            .await
            .unwrap();
        assert_eq!(created.status, TicketStatus::Pending);
        assert_eq!(created.user_id, ann.id);
        let ticket = created.token.clone().unwrap();
        assert!(created.url.as_deref().unwrap().contains("__clerk_ticket="));
        let jwt = claims(&ticket);
        assert_eq!(
            jwt["exp"].as_i64().unwrap() - jwt["iat"].as_i64().unwrap(),
            600
        );

        let redemption = local(
            env,
            Method::POST,
            "/_local/tickets/redeem",
            Some(json!({"ticket": ticket})),
        )
        .await;
        assert_eq!(redemption["user_id"], ann.id.as_str());
        let session_id = redemption["session_id"].as_str().unwrap();
        let session = env.clerk.sessions().get(session_id).await.unwrap();
        assert_eq!(session.user_id, ann.id);

        // Used: it can be neither revoked nor redeemed again.
        let err = api_error(
            tokens.revoke(&created.id).await,
            400,
            "sign_in_token_not_pending",
        );
        assert!(err.errors()[0].long_message.is_some());
        let again = env
            .clerk
            .request::<serde_json::Value>(
                Method::POST,
                "/_local/tickets/redeem",
                &[],
                Some(json!({"ticket": ticket})),
            )
            .await;
        api_error(again, 400, "ticket_invalid");

        let pending = tokens
            .create(CreateSignInToken::new(&ann.id))
            .await
            .unwrap();
        let revoked = tokens.revoke(&pending.id).await.unwrap();
        assert_eq!(revoked.status, TicketStatus::Revoked);
        api_error(
            tokens.create(CreateSignInToken::new("user_missing")).await,
            404,
            "resource_not_found",
        );
        api_error(
            tokens.revoke("sit_missing").await,
            404,
            "resource_not_found",
        );
        env.proxy.assert_clean();
    })
    .await;
}

#[tokio::test]
async fn actor_token_impersonation_carries_act() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let tokens = env.clerk.actor_tokens();
        let created = tokens
            .create(
                CreateActorToken::new(&ann.id, "user_support")
                    .actor_claim("iss", "support-console")
                    .session_max_duration_in_seconds(900),
            )
            .await
            .unwrap();
        assert_eq!(created.status, TicketStatus::Pending);
        assert_eq!(created.actor["sub"], "user_support");
        let redemption = local(
            env,
            Method::POST,
            "/_local/tickets/redeem",
            Some(json!({"ticket": created.token.clone().unwrap()})),
        )
        .await;
        let session_id = redemption["session_id"].as_str().unwrap();
        let session = env.clerk.sessions().get(session_id).await.unwrap();
        assert_eq!(session.actor.as_ref().unwrap()["sub"], "user_support");
        let token = env
            .clerk
            .sessions()
            .create_token(session_id, CreateSessionToken::new())
            .await
            .unwrap();
        let verifier =
            Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .unwrap()
                .issuer(env.server.issuer())
                .build()
                .unwrap();
        let verified = verifier.verify_token(&token.jwt.unwrap()).await.unwrap();
        let act = verified.act.expect("an impersonation token carries act");
        assert_eq!(act.sub, "user_support");
        assert_eq!(verified.sub, ann.id);

        let spare = tokens
            .create(CreateActorToken::new(&ann.id, "user_support"))
            .await
            .unwrap();
        assert_eq!(
            tokens.revoke(&spare.id).await.unwrap().status,
            TicketStatus::Revoked
        );
        api_error(
            tokens.revoke(&spare.id).await,
            400,
            "actor_token_not_pending",
        );
        api_error(
            tokens
                .create(CreateActorToken::new("user_missing", "user_support"))
                .await,
            400,
            "resource_not_found",
        );
        env.proxy.assert_clean();
    })
    .await;
}

#[tokio::test]
async fn testing_token_is_accepted_until_it_expires() {
    each_backend(async |env| {
        let token = env.clerk.testing_tokens().create().await.unwrap();
        assert!(token.expires_at > 0);
        let check = local(
            env,
            Method::POST,
            "/_local/testing_tokens/verify",
            Some(json!({"token": token.token})),
        )
        .await;
        assert_eq!(check["valid"], true);
        env.proxy.assert_clean();
    })
    .await;
}
