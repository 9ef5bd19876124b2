//! The networkless half of `clerk_sdk::authenticate`: JWT-format M2M tokens and OAuth
//! access tokens are checked with the verifier's keys (no Backend API call: the client here
//! points at a closed port), each only as its own kind, never as a session token.

mod verify_common;

use clerk_sdk::authenticate::{Authenticated, Authenticator, Refusal, TokenType};
use clerk_sdk::verify::Reason;
use clerk_sdk::{Clerk, Verifier};
use serde_json::json;
use verify_common::{TestKey, now, session_claims};

const M2M_CATEGORY: &str = "cl_B7d4PD333AAA";

fn authenticator(key: &TestKey, accepts: &[TokenType]) -> Authenticator {
    // Nothing listens on port 9: any Backend API call would fail as Unavailable.
    let clerk = Clerk::builder()
        .secret_key("sk_test_unused")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let verifier = Verifier::from_pem(&key.pem()).unwrap();
    Authenticator::builder(clerk, verifier)
        .accepts(accepts.iter().copied())
        .build()
}

fn m2m_jwt(key: &TestKey, sub: &str, exp: i64) -> String {
    key.sign(
        &json!({"alg": "RS256", "kid": "ins_a", "typ": "JWT", "cat": M2M_CATEGORY}),
        &json!({"sub": sub, "exp": exp, "iat": now(), "nbf": now(), "jti": "mt_1",
                "scopes": "mch_callee mch_other", "job": "sync"}),
    )
}

fn oauth_jwt(key: &TestKey, typ: &str) -> String {
    key.sign(
        &json!({"alg": "RS256", "kid": "ins_a", "typ": typ}),
        &json!({"sub": "user_1", "exp": now() + 60, "iat": now(), "jti": "oat_1",
                "client_id": "client_1", "scope": "profile email"}),
    )
}

#[test]
fn token_types_by_shape() {
    let key = TestKey::generate("ins_a");
    assert_eq!(
        TokenType::of(&m2m_jwt(&key, "mch_1", now() + 60)),
        TokenType::M2mToken
    );
    assert_eq!(
        TokenType::of(&oauth_jwt(&key, "at+jwt")),
        TokenType::OAuthToken
    );
    assert_eq!(TokenType::of(&key.fresh_token()), TokenType::SessionToken);
    assert_eq!(TokenType::of("m2m_x"), TokenType::M2mToken);
    assert_eq!(TokenType::of("garbage"), TokenType::SessionToken);
}

#[tokio::test]
async fn jwt_machine_tokens_are_verified_networkless() {
    let key = TestKey::generate("ins_a");
    let auth = authenticator(&key, &TokenType::ALL);
    match auth
        .authenticate_token(&m2m_jwt(&key, "mch_1", now() + 60))
        .await
        .unwrap()
    {
        Authenticated::Machine(m) => {
            assert_eq!(m.machine_id, "mch_1");
            assert_eq!(m.token_id, "mt_1");
            assert_eq!(m.scopes, ["mch_callee", "mch_other"]);
            assert_eq!(m.claims, Some(json!({"job": "sync"})));
            assert!(m.may_call("mch_callee") && !m.may_call("mch_x"));
        }
        other => panic!("{other:?}"),
    }
    match auth
        .authenticate_token(&oauth_jwt(&key, "at+jwt"))
        .await
        .unwrap()
    {
        Authenticated::OAuth(o) => {
            assert_eq!(
                (o.user_id.as_str(), o.client_id.as_str()),
                ("user_1", "client_1")
            );
            assert_eq!(o.scopes, ["profile", "email"]);
        }
        other => panic!("{other:?}"),
    }
    match auth.authenticate_token(&key.fresh_token()).await.unwrap() {
        Authenticated::Session(claims) => assert_eq!(claims.sub, session_claims(now())["sub"]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hostile_machine_jwts_are_refused() {
    let key = TestKey::generate("ins_a");
    let stranger = TestKey::generate("ins_a");
    let auth = authenticator(&key, &TokenType::ALL);
    let refused = |result: Result<Authenticated, Refusal>| match result {
        Err(Refusal::Invalid { error, .. }) => error.reason(),
        other => panic!("{other:?}"),
    };
    // Expired, another instance's key, a subject that is not a machine, truncated.
    assert_eq!(
        refused(
            auth.authenticate_token(&m2m_jwt(&key, "mch_1", now() - 60))
                .await
        ),
        Reason::Expired
    );
    assert_eq!(
        refused(
            auth.authenticate_token(&m2m_jwt(&stranger, "mch_1", now() + 60))
                .await
        ),
        Reason::SignatureInvalid
    );
    assert_eq!(
        refused(
            auth.authenticate_token(&m2m_jwt(&key, "user_1", now() + 60))
                .await
        ),
        Reason::WrongTokenType
    );
    let token = m2m_jwt(&key, "mch_1", now() + 60);
    // Cut short: a signature of the wrong length, or base64 that no longer decodes.
    for cut in 1..=4 {
        let reason = refused(auth.authenticate_token(&token[..token.len() - cut]).await);
        assert!(
            matches!(reason, Reason::SignatureInvalid | Reason::Malformed),
            "{cut}: {reason:?}"
        );
    }
    // An OAuth JWT must say at+jwt; a JWT-typed one is a session token that fails as one.
    assert!(
        auth.authenticate_token(&oauth_jwt(&key, "JWT"))
            .await
            .is_err()
    );

    // A machine JWT is never a session token: a session verifier refuses it, and a
    // session-only authenticator refuses it by type.
    let verifier = Verifier::from_pem(&key.pem()).unwrap();
    for token in [
        m2m_jwt(&key, "mch_1", now() + 60),
        oauth_jwt(&key, "at+jwt"),
    ] {
        assert_eq!(
            verifier.verify_token(&token).await.unwrap_err().reason(),
            Reason::WrongTokenType
        );
    }
    let sessions = authenticator(&key, &[TokenType::SessionToken]);
    assert!(matches!(
        sessions
            .authenticate_token(&m2m_jwt(&key, "mch_1", now() + 60))
            .await,
        Err(Refusal::NotAccepted(TokenType::M2mToken))
    ));
}

#[tokio::test]
async fn an_unreachable_api_is_unavailable_not_invalid() {
    let key = TestKey::generate("ins_a");
    let auth = authenticator(&key, &TokenType::ALL);
    for token in ["ak_123", "mt_123", "oat_123"] {
        let refusal = auth.authenticate_token(token).await.unwrap_err();
        assert!(refusal.is_unavailable(), "{token}: {refusal}");
    }
}
