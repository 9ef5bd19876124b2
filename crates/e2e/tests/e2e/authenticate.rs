//! `clerk_sdk::authenticate`: one call authenticates a request carrying any of the four
//! token kinds against `clerk serve`, on both backends: session tokens and JWT-format M2M and
//! OAuth tokens networkless, opaque M2M tokens, API keys and OAuth tokens through the
//! Backend API; refusals typed (not accepted, revoked, forged, a machine JWT as a session).

use std::time::Duration;

use clerk_sdk::authenticate::{Authenticated, Authenticator, Refusal, TokenType};
use clerk_sdk::{
    CreateApiKey, CreateM2mToken, CreateMachine, CreateOAuthApplication, CreateSessionToken,
    IssueOAuthAccessToken, Verifier,
};
use e2e::{Env, each_backend};
use serde_json::json;

use crate::support::{sign_in, user};

fn authenticator(env: &Env, accepts: &[TokenType], answer_ttl: Duration) -> Authenticator {
    let verifier = Verifier::builder_jwks_url(env.server.jwks_url())
        .unwrap()
        .build()
        .unwrap();
    Authenticator::builder(env.clerk.clone(), verifier)
        .accepts(accepts.iter().copied())
        .answer_cache(answer_ttl, 64)
        .build()
}

fn bearer(token: &str) -> http::request::Parts {
    let (parts, ()) = http::Request::builder()
        .uri("/api")
        .header("authorization", format!("Bearer {token}"))
        .body(())
        .unwrap()
        .into_parts();
    parts
}

#[tokio::test]
async fn one_call_authenticates_every_token_kind() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;
        let session_jwt = env
            .clerk
            .sessions()
            .create_token(&session.id, CreateSessionToken::new())
            .await
            .unwrap()
            .jwt
            .unwrap();

        let machines = env.clerk.machines();
        let callee = machines.create(CreateMachine::new("callee")).await.unwrap();
        let caller = machines
            .create(CreateMachine::new("caller").scoped_machines([callee.id.as_str()]))
            .await
            .unwrap();
        let as_caller = env
            .clerk_builder()
            .machine_secret_key(caller.secret_key.clone().unwrap())
            .build()
            .unwrap();
        let m2m = as_caller
            .m2m_tokens()
            .create(CreateM2mToken::new().claims(json!({"job": "sync"})))
            .await
            .unwrap();
        let m2m_jwt = as_caller
            .m2m_tokens()
            .create(CreateM2mToken::new().jwt())
            .await
            .unwrap();

        let api_key = env
            .clerk
            .api_keys()
            .create(CreateApiKey::new("ci key", &ann.id).scopes(["read"]))
            .await
            .unwrap();
        let app = env
            .clerk
            .oauth_applications()
            .create(CreateOAuthApplication::new("Zapier"))
            .await
            .unwrap();
        let oauth = env
            .clerk
            .oauth_applications()
            .issue_access_token(
                &app.id,
                IssueOAuthAccessToken::new(&ann.id).scopes(["email"]),
            )
            .await
            .unwrap();
        let oauth_jwt = env
            .clerk
            .oauth_applications()
            .issue_access_token(&app.id, IssueOAuthAccessToken::new(&ann.id).jwt(true))
            .await
            .unwrap();

        let any = authenticator(env, &TokenType::ALL, Duration::from_secs(10));

        match any
            .authenticate_request(&bearer(&session_jwt))
            .await
            .unwrap()
        {
            Authenticated::Session(claims) => assert_eq!(claims.sub, ann.id),
            other => panic!("{other:?}"),
        }
        for token in [
            m2m.token.as_deref().unwrap(),
            m2m_jwt.token.as_deref().unwrap(),
        ] {
            match any.authenticate_request(&bearer(token)).await.unwrap() {
                Authenticated::Machine(machine) => {
                    assert_eq!(machine.machine_id, caller.id);
                    assert!(machine.may_call(&callee.id), "{machine:?}");
                }
                other => panic!("{other:?}"),
            }
        }
        match any
            .authenticate_token(api_key.secret.as_deref().unwrap())
            .await
            .unwrap()
        {
            Authenticated::ApiKey(key) => {
                assert_eq!(key.id, api_key.id);
                assert_eq!(key.user_id(), Some(ann.id.as_str()));
                assert_eq!(key.scopes, ["read"]);
            }
            other => panic!("{other:?}"),
        }
        for token in [&oauth.token, &oauth_jwt.token] {
            match any.authenticate_token(token).await.unwrap() {
                Authenticated::OAuth(grant) => {
                    assert_eq!(grant.user_id, ann.id);
                    assert_eq!(grant.client_id, app.client_id);
                }
                other => panic!("{other:?}"),
            }
        }

        // Only what is accepted: a session-only authenticator refuses the rest by type.
        let sessions_only = authenticator(env, &[TokenType::SessionToken], Duration::ZERO);
        for (token, kind) in [
            (m2m.token.as_deref().unwrap(), TokenType::M2mToken),
            (m2m_jwt.token.as_deref().unwrap(), TokenType::M2mToken),
            (api_key.secret.as_deref().unwrap(), TokenType::ApiKey),
            (oauth_jwt.token.as_str(), TokenType::OAuthToken),
        ] {
            match sessions_only.authenticate_token(token).await {
                Err(Refusal::NotAccepted(got)) => assert_eq!(got, kind),
                other => panic!("{token}: {other:?}"),
            }
        }
        // A machine JWT presented to the session verifier itself is refused.
        let verifier = Verifier::builder_jwks_url(env.server.jwks_url())
            .unwrap()
            .build()
            .unwrap();
        assert!(
            verifier
                .verify_token(m2m_jwt.token.as_deref().unwrap())
                .await
                .is_err()
        );
        assert!(verifier.verify_token(&oauth_jwt.token).await.is_err());
        // No token at all.
        let (parts, ()) = http::Request::new(()).into_parts();
        assert!(matches!(
            any.authenticate_request(&parts).await,
            Err(Refusal::TokenMissing)
        ));
    })
    .await;
}

#[tokio::test]
async fn revoked_and_forged_tokens_are_refused_and_the_answer_cache_is_bounded_in_time() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let key = env
            .clerk
            .api_keys()
            .create(CreateApiKey::new("ci key", &ann.id))
            .await
            .unwrap();
        let secret = key.secret.clone().unwrap();
        let cached = authenticator(env, &[TokenType::ApiKey], Duration::from_millis(700));
        let uncached = authenticator(env, &[TokenType::ApiKey], Duration::ZERO);
        cached.authenticate_token(&secret).await.unwrap();
        uncached.authenticate_token(&secret).await.unwrap();

        env.clerk.api_keys().revoke(&key.id, Some("leaked")).await.unwrap();
        // Without the cache the revocation shows at once...
        match uncached.authenticate_token(&secret).await {
            Err(Refusal::Rejected { token_type, error }) => {
                assert_eq!(token_type, TokenType::ApiKey);
                assert!(error.status().unwrap().is_client_error(), "{error}");
            }
            other => panic!("{other:?}"),
        }
        // ...with it, within the documented staleness, and not after.
        cached.authenticate_token(&secret).await.unwrap();
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert!(matches!(
            cached.authenticate_token(&secret).await,
            Err(Refusal::Rejected { .. })
        ));

        // Forged, truncated, unknown: refused by the API, never cached.
        for forged in ["ak_not_a_key", &secret[..secret.len() - 1], "mt_unknown", "oat_unknown"] {
            let any = authenticator(env, &TokenType::ALL, Duration::from_secs(10));
            match any.authenticate_token(forged).await {
                Err(Refusal::Rejected { .. }) => {}
                other => panic!("{forged}: {other:?}"),
            }
        }
        // A session token signed by someone else.
        let any = authenticator(env, &TokenType::ALL, Duration::from_secs(10));
        let forged = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18xIn0.eyJzdWIiOiJ1c2VyXzEiLCJleHAiOjQwMDAwMDAwMDB9.c2ln";
        assert!(matches!(
            any.authenticate_token(forged).await,
            Err(Refusal::Invalid { token_type: TokenType::SessionToken, .. })
        ));
    })
    .await;
}
