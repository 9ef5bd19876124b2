//! Session tokens minted by the server, verified by the SDK: from both JWKS
//! URLs and from the PEM, across a key rotation, with the server stopped,
//! against a second server's tokens, through `sessions().verify_token` and the
//! axum middleware. JWKS fetches go through the validating proxy, so counting
//! the answers it checked counts the fetches; setup uses the server's
//! in-process helpers, which bypass the proxy.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
use clerk_sdk::verify::{KeySource, Reason, Verifier};
use clerk_sdk::{Error, SessionStatus};
use clerk_server::{TestServer, test_backends};
use e2e::{Env, each_backend};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::api_error;

/// A user, an active session and a token of the newest API version, made in-process.
async fn signed_in(server: &TestServer) -> (String, String) {
    let user = server.create_user("ann@example.com").await;
    let session = server.create_session(&user.id).await;
    let token = server.session_token(&session.id).await;
    (session.id, token)
}

/// A token of `session_id` that expired in 2001, minted in-process.
async fn expired_token(server: &TestServer, session_id: &str) -> String {
    server
        .mint_token(
            session_id,
            json!({"exp": 1_000_000_000, "iat": 999_999_000, "nbf": 999_999_000}),
        )
        .await
}

/// A verifier of the server's unauthenticated JWKS, through the proxy.
fn frontend_verifier(env: &Env) -> Verifier {
    Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
        .unwrap()
        .issuer(env.server.issuer())
        .build()
        .unwrap()
}

/// Why a verification failed.
#[track_caller]
fn reason<T: std::fmt::Debug>(result: Result<T, Error>) -> Reason {
    match result {
        Err(Error::Verify(e)) => e.reason(),
        other => panic!("expected a rejected token, got {other:?}"),
    }
}

fn kid(jwt: &str) -> String {
    use base64::Engine;
    let header = jwt.split('.').next().unwrap();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap();
    serde_json::from_slice::<Value>(&header).unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn tokens_verify_from_both_jwks_urls_and_the_pem() {
    each_backend(async |env| {
        let (session_id, token) = signed_in(&env.server).await;

        // The Frontend API path, no secret key.
        let claims = frontend_verifier(env).verify_token(&token).await.unwrap();
        assert_eq!(claims.sid.as_deref(), Some(session_id.as_str()));
        assert_eq!(claims.iss.as_deref(), Some(env.server.issuer()));
        assert_eq!(claims.v, Some(2));

        // GET /v1/jwks with the secret key: the Clerk client's own verifier.
        let before = env.proxy.checked();
        let claims = env.clerk.verify_token(&token).await.unwrap();
        assert_eq!(claims.sid.as_deref(), Some(session_id.as_str()));
        assert_eq!(env.proxy.checked() - before, 1, "one JWKS fetch");
        env.clerk.verify_token(&token).await.unwrap();
        assert_eq!(env.proxy.checked() - before, 1, "then cached");

        // The PEM (CLERK_JWT_KEY): never any network.
        let pem = env.server.jwt_key().await;
        let before = env.proxy.checked();
        let claims = Verifier::from_pem(&pem)
            .unwrap()
            .verify_token(&token)
            .await
            .unwrap();
        assert_eq!(claims.sid.as_deref(), Some(session_id.as_str()));
        let networkless = env.clerk_builder().jwt_key(pem).build().unwrap();
        networkless.verify_token(&token).await.unwrap();
        assert_eq!(env.proxy.checked(), before, "no request for a PEM key");

        // Policy checks against the real claims.
        let wrong_issuer =
            Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .unwrap()
                .issuer("https://someone-else.example")
                .build()
                .unwrap();
        let err = wrong_issuer.verify_token(&token).await.unwrap_err();
        assert_eq!(err.reason(), Reason::IssuerMismatch);
        let expired = expired_token(&env.server, &session_id).await;
        assert_eq!(
            reason(env.clerk.verify_token(&expired).await),
            Reason::Expired
        );
        let tampered = format!("{}x", &token[..token.len() - 1]);
        assert!(matches!(
            reason(env.clerk.verify_token(&tampered).await),
            Reason::SignatureInvalid | Reason::Malformed
        ));
    })
    .await;
}

/// A quick-refreshing verifier of `GET /v1/jwks` (with the secret key), through the proxy.
fn backend_api_verifier(env: &Env) -> Verifier {
    let mut headers = http::HeaderMap::new();
    let bearer = format!("Bearer {}", env.server.secret_key());
    headers.insert(header::AUTHORIZATION, bearer.parse().unwrap());
    headers.insert("clerk-api-version", "2026-05-12".parse().unwrap());
    let url = format!("{}/jwks", env.api_url()).parse().unwrap();
    Verifier::builder(KeySource::JwksUrl { url, headers })
        .jwks_min_refresh_interval(QUICK_REFRESH)
        .build()
        .unwrap()
}

/// The verifiers refuse to refetch keys more than once per 5 s by default (so made-up
/// `kid`s cannot hammer the JWKS endpoint); the rotation test waits less than that.
const QUICK_REFRESH: Duration = Duration::from_millis(100);

#[tokio::test]
async fn rotation_needs_one_refresh_and_old_tokens_keep_verifying() {
    each_backend(async |env| {
        let (_, old_token) = signed_in(&env.server).await;
        let frontend =
            Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .unwrap()
                .jwks_min_refresh_interval(QUICK_REFRESH)
                .build()
                .unwrap();
        // The Clerk client's verifier, with the default rate limit.
        let clerk = env.clerk.verifier().unwrap().clone();
        let verifiers = [frontend, backend_api_verifier(env)];
        let before = env.proxy.checked();
        for verifier in verifiers.iter().chain([&clerk]) {
            verifier.verify_token(&old_token).await.unwrap();
        }
        assert_eq!(env.proxy.checked() - before, 3, "one fetch per verifier");

        let (status, rotated) = env
            .server
            .request(axum::http::Method::POST, "/v1/_local/keys/rotate", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{rotated}");
        let (_, new_token) = signed_in_again(&env.server).await;
        assert_ne!(kid(&new_token), kid(&old_token));
        assert_eq!(rotated["kid"], kid(&new_token));

        // Within the rate limit of its last fetch, a verifier does not refetch for an
        // unknown kid.
        let before = env.proxy.checked();
        let err = clerk.verify_token(&new_token).await.unwrap_err();
        assert_eq!(err.reason(), Reason::UnknownKey);
        assert_eq!(env.proxy.checked(), before, "rate-limited: no fetch");

        tokio::time::sleep(QUICK_REFRESH * 2).await;
        let before = env.proxy.checked();
        for verifier in &verifiers {
            verifier.verify_token(&new_token).await.unwrap();
            verifier.verify_token(&new_token).await.unwrap();
            // The retired key is still published during the grace period.
            verifier.verify_token(&old_token).await.unwrap();
        }
        assert_eq!(env.proxy.checked() - before, 2, "one refresh per verifier");

        // After the grace period (24 h) the old key leaves the JWKS; once the
        // verifiers refresh, its tokens stop verifying.
        env.server.advance_clock(Duration::from_secs(25 * 3600));
        for verifier in &verifiers {
            verifier.refresh_keys().await.unwrap();
            let err = verifier.verify_token(&old_token).await.unwrap_err();
            assert_eq!(err.reason(), Reason::UnknownKey);
            verifier.verify_token(&new_token).await.unwrap();
        }
    })
    .await;
}

/// Another session (and token) for the user made by [`signed_in`].
async fn signed_in_again(server: &TestServer) -> (String, String) {
    let (_, users) = server
        .request(
            axum::http::Method::GET,
            "/v1/users?email_address=ann%40example.com",
            None,
        )
        .await;
    let user_id = users[0]["id"].as_str().unwrap().to_owned();
    let session = server.create_session(&user_id).await;
    let token = server.session_token(&session.id).await;
    (session.id, token)
}

#[tokio::test]
async fn cached_keys_verify_with_the_server_stopped() {
    for backend in test_backends() {
        let env = Env::start(&backend).await;
        let (session_id, token) = signed_in(&env.server).await;
        let verifier =
            Verifier::builder_jwks_url(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .unwrap()
                .jwks_ttl(Duration::from_millis(100))
                .jwks_min_refresh_interval(Duration::from_millis(10))
                .build()
                .unwrap();
        verifier.verify_token(&token).await.unwrap();
        env.clerk
            .sessions()
            .verify_token(&session_id, &token)
            .await
            .unwrap();

        let Env {
            server,
            proxy,
            clerk,
            ..
        } = env;
        server.shutdown().await;
        // Past the TTL: the refresh fails (the proxy answers 502), the cached keys
        // keep working.
        tokio::time::sleep(Duration::from_millis(150)).await;
        for _ in 0..3 {
            let claims = verifier.verify_token(&token).await.unwrap();
            assert_eq!(claims.sid.as_deref(), Some(session_id.as_str()));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        clerk
            .sessions()
            .verify_token(&session_id, &token)
            .await
            .unwrap();
        // The API itself is gone.
        let err = clerk.sessions().get(&session_id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(502), "{err:?}");
        proxy.assert_clean();
        proxy.shutdown().await;
    }
}

#[tokio::test]
async fn a_second_servers_tokens_are_rejected() {
    for backend in test_backends() {
        let ours = Env::start(&backend).await;
        let theirs = Env::start(&backend).await;
        let (our_session, our_token) = signed_in(&ours.server).await;
        let (_, their_token) = signed_in(&theirs.server).await;

        // Both clients in one process, each with its own key cache.
        ours.clerk.verify_token(&our_token).await.unwrap();
        theirs.clerk.verify_token(&their_token).await.unwrap();
        assert_eq!(
            reason(ours.clerk.verify_token(&their_token).await),
            Reason::UnknownKey
        );
        assert_eq!(
            reason(theirs.clerk.verify_token(&our_token).await),
            Reason::UnknownKey
        );
        assert_eq!(
            reason(
                ours.clerk
                    .sessions()
                    .verify_token(&our_session, &their_token)
                    .await
            ),
            Reason::UnknownKey
        );
        let err = frontend_verifier(&ours)
            .verify_token(&their_token)
            .await
            .unwrap_err();
        assert_eq!(err.reason(), Reason::UnknownKey);

        // Their token relabelled with our key id: the signature gives it away.
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = json!({"alg": "RS256", "kid": kid(&our_token), "typ": "JWT"});
        let rest = their_token.split_once('.').unwrap().1;
        let relabelled = format!("{}.{rest}", b64.encode(header.to_string()));
        assert_eq!(
            reason(ours.clerk.verify_token(&relabelled).await),
            Reason::SignatureInvalid
        );
        // Ours still verify after all that.
        ours.clerk.verify_token(&our_token).await.unwrap();
        ours.finish().await;
        theirs.finish().await;
    }
}

#[tokio::test]
async fn sessions_verify_token_matching_mismatching_and_revoked() {
    each_backend(async |env| {
        let (session_id, token) = signed_in(&env.server).await;
        let (other_session, _) = signed_in_again(&env.server).await;
        let sessions = env.clerk.sessions();

        let claims = sessions.verify_token(&session_id, &token).await.unwrap();
        assert_eq!(claims.sid.as_deref(), Some(session_id.as_str()));
        assert_eq!(
            reason(sessions.verify_token(&other_session, &token).await),
            Reason::SessionMismatch
        );

        let (claims, session) = sessions
            .verify_token_online(&session_id, &token)
            .await
            .unwrap();
        assert_eq!(claims.sub, session.user_id);
        assert_eq!(session.status, SessionStatus::Active);

        sessions.revoke(&session_id).await.unwrap();
        // Networkless verification cannot see the revocation (the token is valid
        // until it expires); the online check can.
        sessions.verify_token(&session_id, &token).await.unwrap();
        assert_eq!(
            reason(sessions.verify_token_online(&session_id, &token).await),
            Reason::SessionNotActive
        );
        // The online check does not ask the API about a token it refuses.
        let before = env.proxy.checked();
        assert_eq!(
            reason(sessions.verify_token_online(&other_session, &token).await),
            Reason::SessionMismatch
        );
        assert_eq!(env.proxy.checked(), before);

        // A token of a session whose user is gone: the API answers 404.
        let user_id = claims.sub.clone();
        env.clerk.users().delete(&user_id).await.unwrap();
        api_error(
            sessions.verify_token_online(&session_id, &token).await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

async fn me(ClerkAuth(claims): ClerkAuth) -> String {
    claims.sub
}

async fn home(auth: Option<ClerkAuth>) -> &'static str {
    if auth.is_some() {
        "welcome back"
    } else {
        "hello, stranger"
    }
}

/// Sends a GET to `app` with these headers; returns the status and body.
async fn get_with(
    app: &Router,
    path: &str,
    headers: &[(header::HeaderName, String)],
) -> (StatusCode, String) {
    let mut request = Request::builder().uri(path);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn bearer(token: &str) -> [(header::HeaderName, String); 1] {
    [(header::AUTHORIZATION, format!("Bearer {token}"))]
}

#[tokio::test]
async fn the_axum_middleware_in_front_of_real_tokens() {
    each_backend(async |env| {
        let (session_id, token) = signed_in(&env.server).await;
        let app_origin = "https://app.example";
        let clerk = env
            .clerk_builder()
            .authorized_parties([app_origin])
            .build()
            .unwrap();
        let admin = Router::new()
            .route("/admin", get(|| async { "secret" }))
            .layer(ClerkLayer::new(clerk.verifier().unwrap().clone()).require_signed_in());
        let app = Router::new()
            .route("/", get(home))
            .route("/me", get(me))
            .merge(admin)
            .layer(ClerkLayer::new(clerk.verifier().unwrap().clone()));

        let user_id = crate::support::claims(&token)["sub"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            get_with(&app, "/me", &bearer(&token)).await,
            (StatusCode::OK, user_id.clone())
        );
        let cookie = [(header::COOKIE, format!("theme=dark; __session={token}"))];
        assert_eq!(
            get_with(&app, "/me", &cookie).await,
            (StatusCode::OK, user_id.clone())
        );
        assert_eq!(get_with(&app, "/", &bearer(&token)).await.1, "welcome back");
        assert_eq!(
            get_with(&app, "/", &[]).await,
            (StatusCode::OK, "hello, stranger".into())
        );
        assert_eq!(
            get_with(&app, "/admin", &bearer(&token)).await,
            (StatusCode::OK, "secret".into())
        );

        let from_app = env
            .server
            .mint_token(&session_id, json!({"azp": app_origin}))
            .await;
        assert_eq!(
            get_with(&app, "/me", &bearer(&from_app)).await.0,
            StatusCode::OK
        );

        let expired = expired_token(&env.server, &session_id).await;
        let elsewhere = env
            .server
            .mint_token(&session_id, json!({"azp": "https://evil.example"}))
            .await;
        let other_server = TestServer::start_on(env.backend(), Default::default()).await;
        let (_, foreign) = signed_in(&other_server).await;
        other_server.shutdown().await;
        for (path, headers, why) in [
            ("/me", vec![], "token_missing"),
            ("/admin", vec![], "token_missing"),
            ("/me", bearer(&expired).to_vec(), "token_expired"),
            ("/me", bearer(&elsewhere).to_vec(), "unauthorized_party"),
            ("/me", bearer(&foreign).to_vec(), "unknown_key"),
            ("/admin", bearer("not.a.token").to_vec(), "token_malformed"),
        ] {
            let (status, body) = get_with(&app, path, &headers).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {why}: {body}");
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(
                body["errors"][0]["code"], "authentication_invalid",
                "{body}"
            );
            assert_eq!(body["errors"][0]["meta"]["reason"], why, "{body}");
        }
        // A signed-out request to a page that allows it is still served.
        assert_eq!(
            get_with(&app, "/", &bearer(&expired)).await.1,
            "hello, stranger"
        );
    })
    .await;
}
