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
        assert!(
            created
                .url
                .as_deref()
                .unwrap()
                .ends_with(&format!("/__clerk/v1/tickets/accept?ticket={ticket}"))
        );
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

#[tokio::test]
async fn invitations_create_list_revoke_accept() {
    use clerk_sdk::{CreateInvitation, InvitationStatus, ListInvitations};
    each_backend(async |env| {
        let invitations = env.clerk.invitations();
        let mut meta = serde_json::Map::new();
        meta.insert("plan".into(), json!("pro"));
        let invited = invitations
            .create(CreateInvitation::new("Ada@Example.com").public_metadata(meta))
            .await
            .unwrap();
        assert_eq!(invited.email_address, "ada@example.com");
        assert_eq!(invited.status, InvitationStatus::Pending);
        let emails = crate::support::outbox(env, "email").await;
        assert_eq!(emails[0]["to_email_address"], "ada@example.com");
        api_error(
            invitations
                .create(CreateInvitation::new("ada@example.com"))
                .await,
            400,
            "duplicate_record",
        );
        let bulk = invitations
            .create_bulk([
                CreateInvitation::new("b@example.com").notify(false),
                CreateInvitation::new("c@example.com").notify(false),
            ])
            .await
            .unwrap();
        assert_eq!(bulk.len(), 2);
        let page = invitations
            .list(
                ListInvitations::new()
                    .status(InvitationStatus::Pending)
                    .limit(2),
            )
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(3));
        assert_eq!(page.len(), 2);
        let revoked = invitations.revoke(&bulk[0].id).await.unwrap();
        assert_eq!(revoked.status, InvitationStatus::Revoked);
        api_error(
            invitations.revoke(&bulk[0].id).await,
            400,
            "invitation_not_pending",
        );
        api_error(
            invitations.revoke("inv_missing").await,
            404,
            "resource_not_found",
        );

        let url = invited.url.clone().unwrap();
        let ticket = url
            .split("__clerk_ticket=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let redemption = local(
            env,
            Method::POST,
            "/_local/tickets/redeem",
            Some(json!({"ticket": ticket})),
        )
        .await;
        assert_eq!(redemption["user_created"], true);
        let ada = env
            .clerk
            .users()
            .get(redemption["user_id"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(ada.public_metadata["plan"], "pro");
        let accepted = invitations
            .list(ListInvitations::new().status(InvitationStatus::Accepted))
            .await
            .unwrap();
        assert_eq!(accepted.data[0].id, invited.id);
        env.proxy.assert_clean();
    })
    .await;
}
