//! JWTs: checking a token this server signed ([`verify_jwt`]), and the claims of the tokens
//! it mints: session tokens as Clerk's Backend API mints them, and client tokens (the local
//! stand-in for Clerk's `__client` cookie).

use super::org_claims::OrganizationClaims;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::SigningKey;
use crate::ids;

/// Why a JWT was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwtError {
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtError::Malformed => "the token is not a well-formed JWT",
            JwtError::UnsupportedAlgorithm => "the token is not signed with RS256",
            JwtError::UnknownKey => "the token was not signed by a key of this instance",
            JwtError::BadSignature => "the token signature is invalid",
            JwtError::Expired => "the token has expired",
            JwtError::NotYetValid => "the token is not valid yet",
        })
    }
}

/// Leeway for `exp`/`nbf` checks when this server verifies tokens.
const LEEWAY_SECONDS: i64 = 5;

/// Verifies an RS256 JWT against `keys` (matched by `kid`) and its `exp`/`nbf` against
/// `now_s`, returning the claims.
pub(crate) fn verify_jwt(
    token: &str,
    keys: &[Arc<SigningKey>],
    now_s: i64,
) -> Result<Map<String, Value>, JwtError> {
    let claims = verify_jwt_signature(token, keys)?;
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_i64().ok_or(JwtError::Malformed)?;
        if now_s > exp + LEEWAY_SECONDS {
            return Err(JwtError::Expired);
        }
    }
    if let Some(nbf) = claims.get("nbf") {
        let nbf = nbf.as_i64().ok_or(JwtError::Malformed)?;
        if now_s + LEEWAY_SECONDS < nbf {
            return Err(JwtError::NotYetValid);
        }
    }
    Ok(claims)
}

/// The `cat` header Clerk gives M2M JWTs (session tokens carry `cl_B7d4PD111AAA` or none):
/// session verifiers, ours and `@clerk/backend`'s, refuse a token with this category.
pub(crate) const M2M_CATEGORY: &str = "cl_B7d4PD333AAA";

/// The decoded header of a compact JWT, unverified; `None` if it is not one.
pub(crate) fn unverified_header(token: &str) -> Option<Map<String, Value>> {
    let header = token.split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Verifies an RS256 JWT's signature against `keys` (matched by `kid`), whatever its
/// `exp`/`nbf` (a session refresh takes an expired token), returning the claims.
pub(crate) fn verify_jwt_signature(
    token: &str,
    keys: &[Arc<SigningKey>],
) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode_json = |part: &str| -> Result<Map<String, Value>, JwtError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwtError::Malformed)?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(JwtError::Malformed),
        }
    };
    let header = decode_json(h)?;
    let claims = decode_json(c)?;
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::UnsupportedAlgorithm);
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let key = keys
        .iter()
        .find(|k| Some(k.kid()) == kid)
        .ok_or(JwtError::UnknownKey)?;
    let signing_input = &token[..h.len() + 1 + c.len()];
    if !key.verify_signature(signing_input.as_bytes(), &sig) {
        return Err(JwtError::BadSignature);
    }
    Ok(claims)
}

/// What a session token says about its session.
pub(crate) struct SessionTokenFacts<'a> {
    pub session_id: &'a str,
    pub user_id: &'a str,
    pub session_created_at_ms: i64,
    /// The active organization, when the user is still a member of it.
    pub organization: Option<&'a OrganizationClaims>,
    pub issuer: &'a str,
    pub now_ms: i64,
    pub lifetime_seconds: i64,
    pub v2: bool,
    /// The actor of an impersonation session (Clerk's `act` claim), on every token of it.
    pub actor: Option<&'a Value>,
}

/// How far before `iat` a token becomes valid (Clerk's tokens use 10 seconds).
pub(crate) const NBF_SKEW_SECONDS: i64 = 10;

/// The claims of a session token as Clerk's Backend API mints them. Backend API tokens carry
/// no `azp` (there is no browser origin). Version 1 tokens carry `sub`, `sid`, `iss`, `iat`,
/// `nbf`, `exp`, `fva` and, with an active organization, `org_id`, `org_slug`, `org_role`
/// and `org_permissions`; version 2 tokens (API 2025-04-10 and later) add `v: 2`,
/// `sts: "active"`, a random `jti`, and carry the organization as `o` and `fea` instead
/// (see [`OrganizationClaims`]).
pub(crate) fn session_claims(facts: &SessionTokenFacts<'_>) -> Map<String, Value> {
    let iat = facts.now_ms.div_euclid(1000);
    let first_factor_age_minutes = (facts.now_ms - facts.session_created_at_ms).max(0) / 60_000;
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(facts.user_id));
    claims.insert("sid".into(), json!(facts.session_id));
    claims.insert("iss".into(), json!(facts.issuer));
    claims.insert("iat".into(), json!(iat));
    claims.insert("nbf".into(), json!(iat - NBF_SKEW_SECONDS));
    claims.insert("exp".into(), json!(iat + facts.lifetime_seconds));
    claims.insert("fva".into(), json!([first_factor_age_minutes, -1]));
    if let Some(actor) = facts.actor {
        claims.insert("act".into(), actor.clone());
    }
    if facts.v2 {
        claims.insert("v".into(), json!(2));
        claims.insert("sts".into(), json!("active"));
        claims.insert("jti".into(), json!(ids::random_hex(10)));
        if let Some(org) = facts.organization {
            org.add_v2(&mut claims);
        }
    } else if let Some(org) = facts.organization {
        org.add_v1(&mut claims);
    }
    claims
}

/// The claims of a client token: the client id (`id`), a random `rotating_token` (as in
/// Clerk's `__client` cookie), `iss`, `iat` and `exp`.
pub(crate) fn client_claims(
    client_id: &str,
    issuer: &str,
    now_ms: i64,
    lifetime_seconds: i64,
) -> Map<String, Value> {
    let iat = now_ms.div_euclid(1000);
    let mut claims = Map::new();
    claims.insert("id".into(), json!(client_id));
    claims.insert("rotating_token".into(), json!(ids::random_hex(16)));
    claims.insert("iss".into(), json!(issuer));
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(iat + lifetime_seconds));
    claims
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::keys::SigningKey;

    fn key(kid: &str) -> Arc<SigningKey> {
        Arc::new(SigningKey::generate(kid.to_owned()).unwrap().0)
    }

    #[test]
    fn sign_and_verify() {
        let k = key("ins_a");
        let other = key("ins_b");
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("user_1"));
        claims.insert("exp".into(), json!(1000));
        claims.insert("nbf".into(), json!(900));
        let token = k.sign(&claims);

        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, json!({"alg":"RS256","kid":"ins_a","typ":"JWT"}));

        let keys = vec![k.clone(), other.clone()];
        assert_eq!(verify_jwt(&token, &keys, 950).unwrap()["sub"], "user_1");
        assert_eq!(verify_jwt(&token, &keys, 1006), Err(JwtError::Expired));
        assert_eq!(verify_jwt(&token, &keys, 890), Err(JwtError::NotYetValid));
        assert_eq!(
            verify_jwt(&token, std::slice::from_ref(&other), 950),
            Err(JwtError::UnknownKey)
        );
        assert_eq!(verify_jwt("a.b", &keys, 950), Err(JwtError::Malformed));

        // A token signed by another key but claiming this kid fails the signature check.
        let forged = other.sign(&claims);
        let (_, rest) = forged.split_once('.').unwrap();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"ins_a","typ":"JWT"}"#);
        assert_eq!(
            verify_jwt(&format!("{header}.{rest}"), &keys, 950),
            Err(JwtError::BadSignature)
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            rest.split('.').next().unwrap()
        );
        assert_eq!(
            verify_jwt(&none, &keys, 950),
            Err(JwtError::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn claims_follow_the_version() {
        let org = OrganizationClaims {
            id: "org_1".into(),
            slug: "acme".into(),
            role: "org:member".into(),
            permissions: vec!["org:sys_memberships:read".into()],
        };
        let facts = |v2| SessionTokenFacts {
            session_id: "sess_1",
            user_id: "user_1",
            session_created_at_ms: 1_000_000,
            organization: Some(&org),
            issuer: "http://127.0.0.1:8080",
            now_ms: 1_000_000 + 5 * 60_000,
            lifetime_seconds: 60,
            v2,
            actor: None,
        };
        let v1 = session_claims(&facts(false));
        assert_eq!(
            v1["nbf"].as_i64().unwrap(),
            v1["iat"].as_i64().unwrap() - 10
        );
        assert_eq!(
            v1["exp"].as_i64().unwrap(),
            v1["iat"].as_i64().unwrap() + 60
        );
        assert_eq!(v1["fva"], json!([5, -1]));
        assert_eq!(v1["org_id"], "org_1");
        assert!(!v1.contains_key("v") && !v1.contains_key("azp") && !v1.contains_key("jti"));
        let v2 = session_claims(&facts(true));
        assert_eq!(v2["v"], 2);
        assert_eq!(v2["sts"], "active");
        assert_eq!(
            v2["o"],
            json!({"id": "org_1", "slg": "acme", "rol": "member"})
        );
        assert!(v2["jti"].is_string() && !v2.contains_key("org_id") && !v2.contains_key("azp"));
    }
}
