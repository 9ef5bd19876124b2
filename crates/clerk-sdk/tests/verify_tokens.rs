//! Valid tokens through the public API: typed claims, the policy options, PEM shapes and
//! `authenticate_request`.

mod verify_common;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use clerk_sdk::verify::{AuthState, ManualClock, Reason, Verifier, VerifierBuilder};
use serde_json::json;
use verify_common::{AZP, ISSUER, TestKey, now, session_claims, with_claim};

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz"))
}

/// A PEM verifier whose clock stands at `now`.
fn builder(now: i64) -> VerifierBuilder {
    Verifier::builder_pem(key().pem()).clock(Arc::new(ManualClock::at_unix(now as u64)))
}

fn reason(verifier: &Verifier, claims: &serde_json::Value) -> Result<(), Reason> {
    verifier
        .verify_token_cached(&key().token(claims))
        .map(drop)
        .map_err(|e| e.reason())
}

#[test]
fn typed_claims_of_a_v2_session_token() {
    let now = now();
    let mut claims = session_claims(now);
    claims["fea"] = json!("o:dashboard,u:export");
    claims["pla"] = json!("u:free,o:pro");
    claims["o"] =
        json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "2"});
    claims["act"] =
        json!({"iss": "https://dashboard.clerk.com", "sid": "sess_imp", "sub": "user_imp"});
    claims["plan_tier"] = json!({"name": "gold"});
    let got = builder(now)
        .build()
        .unwrap()
        .verify_token_cached(&key().token(&claims))
        .unwrap();
    assert_eq!(got.sub, "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy");
    assert_eq!(got.session_id(), Some("sess_2x3YnFq7bP9kLmN4oR8sT1uVwXz"));
    assert_eq!(got.iss.as_deref(), Some(ISSUER));
    assert_eq!(got.azp.as_deref(), Some(AZP));
    assert_eq!(
        (got.exp, got.iat, got.nbf),
        (now + 60, Some(now), Some(now - 10))
    );
    assert_eq!(got.v, Some(2));
    assert_eq!(got.jti.as_deref(), Some("2b8f0c1e6b1f4ad0a7c1"));
    assert_eq!(got.sts.as_deref(), Some("active"));
    assert_eq!(got.pla.as_deref(), Some("u:free,o:pro"));
    let org = got.organization().unwrap();
    assert_eq!(org.id, "org_1");
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    assert_eq!(org.permissions, ["org:dashboard:manage"]);
    let act = got.act.as_ref().unwrap();
    assert_eq!(
        (act.sub.as_str(), act.sid.as_deref()),
        ("user_imp", Some("sess_imp"))
    );
    assert_eq!(got.extra["plan_tier"], json!({"name": "gold"}));
    assert_eq!(got.extra["fva"], json!([0, -1]));
    assert_eq!(
        got.extra.len(),
        2,
        "{:?}",
        got.extra.keys().collect::<Vec<_>>()
    );
}

#[test]
fn v1_tokens_with_org_claims() {
    let now = now();
    let mut claims = session_claims(now);
    for name in ["v", "jti", "sts"] {
        claims.as_object_mut().unwrap().remove(name);
    }
    claims["org_id"] = json!("org_9");
    claims["org_slug"] = json!("nine");
    claims["org_role"] = json!("org:member");
    claims["org_permissions"] = json!(["org:invoices:read"]);
    let got = builder(now)
        .build()
        .unwrap()
        .verify_token_cached(&key().token(&claims))
        .unwrap();
    assert_eq!(got.v, None);
    let org = got.organization().unwrap();
    assert_eq!(
        (org.id.as_str(), org.slug.as_deref()),
        ("org_9", Some("nine"))
    );
    assert_eq!(org.permissions, ["org:invoices:read"]);
}

#[test]
fn default_leeway_tolerates_small_clock_skew() {
    // Tokens minted by a server whose clock runs a little ahead or behind ours.
    let now = now();
    let verifier = builder(now).build().unwrap();
    let base = session_claims(now);
    assert_eq!(
        reason(&verifier, &with_claim(&base, "iat", json!(now + 1))),
        Ok(())
    );
    assert_eq!(
        reason(&verifier, &with_claim(&base, "iat", json!(now + 5))),
        Ok(())
    );
    assert_eq!(
        reason(&verifier, &with_claim(&base, "nbf", json!(now + 4))),
        Ok(())
    );
    assert_eq!(
        reason(&verifier, &with_claim(&base, "exp", json!(now - 4))),
        Ok(())
    );
    assert_eq!(
        reason(&verifier, &with_claim(&base, "exp", json!(now - 5))),
        Err(Reason::Expired)
    );
}

#[test]
fn leeway_is_configurable() {
    let now = now();
    let strict = builder(now).leeway(Duration::ZERO).build().unwrap();
    let base = session_claims(now);
    assert_eq!(
        reason(&strict, &with_claim(&base, "iat", json!(now + 1))),
        Err(Reason::IssuedInFuture)
    );
    assert_eq!(
        reason(&strict, &with_claim(&base, "exp", json!(now))),
        Err(Reason::Expired)
    );
    let lax = builder(now)
        .leeway(Duration::from_secs(60))
        .build()
        .unwrap();
    assert_eq!(
        reason(&lax, &with_claim(&base, "exp", json!(now - 59))),
        Ok(())
    );
}

#[test]
fn issuer_and_authorized_parties() {
    let now = now();
    let base = session_claims(now);
    let open = builder(now).build().unwrap();
    assert_eq!(
        reason(
            &open,
            &with_claim(&base, "iss", json!("https://other.test"))
        ),
        Ok(())
    );

    let checked = builder(now)
        .issuer(ISSUER)
        .authorized_parties(["https://other-app.test", AZP])
        .build()
        .unwrap();
    assert_eq!(reason(&checked, &base), Ok(()));
    assert_eq!(
        reason(
            &checked,
            &with_claim(&base, "iss", json!("https://other.test"))
        ),
        Err(Reason::IssuerMismatch)
    );
    assert_eq!(
        reason(
            &checked,
            &with_claim(&base, "azp", json!("https://app.example.test/"))
        ),
        Err(Reason::UnauthorizedParty)
    );
    let mut no_azp = base.clone();
    no_azp.as_object_mut().unwrap().remove("azp");
    assert_eq!(reason(&checked, &no_azp), Ok(()));
    let strict = builder(now)
        .authorized_parties([AZP])
        .require_authorized_party(true)
        .build()
        .unwrap();
    assert_eq!(reason(&strict, &no_azp), Err(Reason::UnauthorizedParty));
}

#[test]
fn pending_sessions_and_jwt_templates_are_opt_in() {
    let now = now();
    let pending = with_claim(&session_claims(now), "sts", json!("pending"));
    assert_eq!(
        reason(&builder(now).build().unwrap(), &pending),
        Err(Reason::SessionPending)
    );
    let lenient = builder(now).allow_pending_sessions(true).build().unwrap();
    let claims = lenient.verify_token_cached(&key().token(&pending)).unwrap();
    assert!(claims.is_pending());

    // A JWT-template token: template category, no sid.
    let template = key().sign(
        &json!({"alg": "RS256", "kid": key().kid, "typ": "JWT", "cat": "cl_B7d4PD222AAA"}),
        &json!({"sub": "user_1", "exp": now + 60, "iat": now, "aud": "convex"}),
    );
    let sessions_only = builder(now).build().unwrap();
    assert_eq!(
        sessions_only
            .verify_token_cached(&template)
            .unwrap_err()
            .reason(),
        Reason::WrongTokenType
    );
    let templates = builder(now).accept_jwt_templates(true).build().unwrap();
    assert_eq!(
        templates.verify_token_cached(&template).unwrap().extra["aud"],
        "convex"
    );
    // Machine tokens stay out either way.
    let m2m = key().sign(
        &json!({"alg": "RS256", "kid": key().kid, "cat": "cl_B7d4PD333AAA"}),
        &json!({"sub": "mch_1", "exp": now + 60}),
    );
    assert_eq!(
        templates.verify_token_cached(&m2m).unwrap_err().reason(),
        Reason::WrongTokenType
    );
}

#[tokio::test]
async fn verify_session_token_requires_the_same_session() {
    let now = now();
    let verifier = builder(now).build().unwrap();
    let token = key().token(&session_claims(now));
    let claims = verifier
        .verify_session_token("sess_2x3YnFq7bP9kLmN4oR8sT1uVwXz", &token)
        .await
        .unwrap();
    assert_eq!(claims.sub, "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy");
    let err = verifier
        .verify_session_token("sess_other", &token)
        .await
        .unwrap_err();
    assert_eq!(err.reason(), Reason::SessionMismatch);
}

#[test]
fn pem_shapes_from_the_dashboard_and_env_files() {
    let now = now();
    let pem = key().pem();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let token = key().token(&session_claims(now));
    for shape in [
        pem.clone(),
        pem.replace('\n', "\\n"),
        pem.replace('\n', ""),
        body.clone(),
        format!("\"{}\"", pem.trim_end().replace('\n', "\\n")),
    ] {
        let verifier = Verifier::builder_pem(shape.clone())
            .clock(Arc::new(ManualClock::at_unix(now as u64)))
            .build()
            .unwrap_or_else(|e| panic!("{shape:?}: {e}"));
        verifier.verify_token_cached(&token).unwrap();
    }
}

#[test]
fn bad_configuration_is_a_clear_error() {
    assert!(Verifier::from_pem("").is_err());
    assert!(Verifier::from_jwks_url("not a url").is_err());
    let http_remote =
        Verifier::from_jwks_url("http://clerk.example.com/.well-known/jwks.json").unwrap_err();
    assert!(http_remote.to_string().contains("https"), "{http_remote}");
    assert!(Verifier::from_jwks_url("ftp://127.0.0.1/jwks").is_err());
    assert!(Verifier::from_jwks_url("http://localhost:8080/.well-known/jwks.json").is_ok());
    assert!(Verifier::from_jwks_url("http://[::1]:8080/jwks").is_ok());
    assert!(
        Verifier::builder_jwks_url("http://clerk-server:8080/.well-known/jwks.json")
            .unwrap()
            .allow_plain_http(true)
            .build()
            .is_ok()
    );
    let ttl_too_long =
        Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")
            .unwrap()
            .jwks_ttl(Duration::from_secs(7200))
            .jwks_max_stale(Duration::from_secs(3600))
            .build();
    assert!(ttl_too_long.is_err());
    assert!(VerifierBuilder::from_env_with(|_| Some("  ".into())).is_err());
}

#[test]
fn a_4096_bit_key_works_and_the_token_limit_is_configurable() {
    let now = now();
    let big = TestKey::generate_with_size("ins_big", aws_lc_rs::rsa::KeySize::Rsa4096);
    let token = big.token(&session_claims(now));
    let verifier = Verifier::builder_pem(big.pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap();
    verifier.verify_token_cached(&token).unwrap();
    let tight = Verifier::builder_pem(big.pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .max_token_len(token.len() - 1)
        .build()
        .unwrap();
    assert_eq!(
        tight.verify_token_cached(&token).unwrap_err().reason(),
        Reason::TokenTooLarge
    );
}

#[tokio::test]
async fn authenticate_request_reads_bearer_then_cookie() {
    let now = now();
    let verifier = builder(now).build().unwrap();
    let token = key().token(&session_claims(now));
    let expired = key().token(&with_claim(&session_claims(now), "exp", json!(now - 60)));
    let request = |name: &str, value: String| {
        let (parts, ()) = http::Request::builder()
            .header(name, value)
            .body(())
            .unwrap()
            .into_parts();
        parts
    };

    let state = verifier
        .authenticate_request(&request("authorization", format!("Bearer {token}")))
        .await;
    assert_eq!(state.user_id(), Some("user_2x3YnFq7bP9kLmN4oR8sT1uVwXy"));
    let state = verifier
        .authenticate_request(&request("cookie", format!("theme=dark; __session={token}")))
        .await;
    assert!(state.is_signed_in());
    let state = verifier
        .authenticate_request(&request("cookie", format!("__session={expired}")))
        .await;
    assert_eq!(state.error().unwrap().reason(), Reason::Expired);
    let state = verifier
        .authenticate_request(&request("x-other", "1".into()))
        .await;
    match state {
        AuthState::SignedOut(e) => assert_eq!(e.reason(), Reason::TokenMissing),
        other => panic!("not signed out without a token: {other:?}"),
    }
    let state = verifier
        .authenticate_request(&request("authorization", "Bearer mt_123".into()))
        .await;
    assert_eq!(
        state.into_result().unwrap_err().reason(),
        Reason::WrongTokenType
    );
}

#[test]
fn errors_and_debug_output_never_contain_the_token_or_key() {
    let now = now();
    let verifier = builder(now).issuer(ISSUER).build().unwrap();
    let debug = format!("{verifier:?}");
    assert!(!debug.contains("BEGIN PUBLIC KEY"), "{debug}");
    let token = key().token(&with_claim(
        &session_claims(now),
        "iss",
        json!("https://evil.test"),
    ));
    let err = verifier.verify_token_cached(&token).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(&token));
    assert!(
        shown.contains("https://evil.test"),
        "the detail names the bad issuer: {shown}"
    );
}
