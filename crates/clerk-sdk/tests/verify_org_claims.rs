//! Organization claims of signed session tokens, both versions, through the verifier:
//! what `Claims::organization`, `has_role` and `has_permission` make of them.

mod verify_common;

use std::sync::{Arc, OnceLock};

use clerk_sdk::verify::{Claims, ManualClock, Verifier};
use serde_json::{Value, json};
use verify_common::{TestKey, now, session_claims};

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_org_claims"))
}

/// Signs `claims` and verifies the token as an app would.
fn verified(claims: &Value, now: i64) -> Claims {
    Verifier::builder_pem(key().pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap()
        .verify_token_cached(&key().token(claims))
        .unwrap()
}

/// A v2 token (API version 2025-04-10 and later) of an admin of `org_acme`.
fn v2_admin(now: i64) -> Value {
    let mut claims = session_claims(now);
    claims["fea"] = json!("o:widgets,u:exports,o:reports");
    claims["o"] = json!({"id": "org_acme", "slg": "acme", "rol": "admin",
                         "per": "read,manage", "fpm": "3,1"});
    claims
}

/// The same session as a v1 token (older API versions).
fn v1_admin(now: i64) -> Value {
    let mut claims = session_claims(now);
    for name in ["v", "sts", "jti"] {
        claims.as_object_mut().unwrap().remove(name);
    }
    claims["org_id"] = json!("org_acme");
    claims["org_slug"] = json!("acme");
    claims["org_role"] = json!("org:admin");
    claims["org_permissions"] =
        json!(["org:widgets:read", "org:widgets:manage", "org:reports:read"]);
    claims
}

#[test]
fn both_versions_of_one_session_read_the_same() {
    let now = now();
    let v2 = verified(&v2_admin(now), now);
    let v1 = verified(&v1_admin(now), now);
    let (from_v2, from_v1) = (v2.organization().unwrap(), v1.organization().unwrap());
    assert_eq!(from_v2, from_v1);
    assert_eq!(from_v2.id, "org_acme");
    assert_eq!(from_v2.slug.as_deref(), Some("acme"));
    assert_eq!(from_v2.role.as_deref(), Some("org:admin"));
    assert_eq!(
        from_v2.permissions,
        ["org:widgets:read", "org:widgets:manage", "org:reports:read"]
    );
    for claims in [&v2, &v1] {
        assert!(claims.has_role("org:admin") && claims.has_role("admin"));
        assert!(!claims.has_role("org:member"));
        assert!(claims.has_permission("org:widgets:manage"));
        assert!(claims.has_permission("reports:read"));
        assert!(!claims.has_permission("org:reports:manage"));
        assert!(!claims.has_permission("org:exports:read"), "a user feature");
        assert!(!claims.has_permission("org:sys_memberships:manage"));
    }
}

#[test]
fn each_version_ignores_the_other_versions_claims() {
    let now = now();
    // A v2 token carrying stale v1 claims: only `o` counts.
    let mut mixed = v2_admin(now);
    mixed["org_id"] = json!("org_other");
    mixed["org_role"] = json!("org:member");
    let claims = verified(&mixed, now);
    assert_eq!(claims.organization().unwrap().id, "org_acme");
    assert!(!claims.has_role("org:member"));

    // A v1 token with an `o` object: only the org_* claims count.
    let mut v1 = v1_admin(now);
    v1["o"] = json!({"id": "org_other", "rol": "member"});
    let claims = verified(&v1, now);
    assert_eq!(claims.organization().unwrap().id, "org_acme");
    assert!(!claims.has_role("member"));
}

#[test]
fn no_active_organization_means_no_role_and_no_permission() {
    let now = now();
    let claims = verified(&session_claims(now), now);
    assert!(claims.organization().is_none());
    assert!(!claims.has_role("org:admin"));
    assert!(!claims.has_permission("org:widgets:read"));
}

#[test]
fn a_member_without_permissions_in_a_v2_token() {
    let now = now();
    let mut claims = session_claims(now);
    claims["fea"] = json!("o:widgets");
    claims["o"] = json!({"id": "org_acme", "slg": "acme", "rol": "member",
                         "per": "read,manage", "fpm": "0"});
    let claims = verified(&claims, now);
    let org = claims.organization().unwrap();
    assert_eq!(org.role.as_deref(), Some("org:member"));
    assert!(org.permissions.is_empty());
    assert!(claims.has_role("member") && !claims.has_permission("widgets:read"));
}
