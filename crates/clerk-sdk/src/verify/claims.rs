//! Typed session-token claims, decoded in one pass with duplicate claims rejected, and the
//! policy checks (`exp`, `nbf`, `iat`, `iss`, `azp`, `sid`, `sts`).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{Reason, VerifyError, quote_untrusted};
use super::jwt::JsonStr;
use super::organization::OrgClaimV2;

/// The claims of a verified Clerk session token.
///
/// Clerk's default claims are typed fields; every other claim (custom session-token claims,
/// `fva`, `pla`, ...) is kept in [`extra`](Self::extra). Organization claims come in two
/// shapes, the v1 `org_*` claims and the v2 `o` object; [`organization`](Self::organization)
/// reads either, and [`has_role`](Self::has_role) and [`has_permission`](Self::has_permission)
/// check them as Clerk's `has()` does.
///
/// Times are Unix **seconds**, as in the token.
///
/// `Claims` also implements `Deserialize` (with the same rules as verification: duplicate or
/// mistyped claims are errors), which lets tests build one from JSON:
///
/// ```
/// let claims: clerk_sdk::verify::Claims = serde_json::from_value(serde_json::json!({
///     "sub": "user_2x", "sid": "sess_2x", "exp": 1_700_000_060, "iat": 1_700_000_000,
///     "v": 2, "o": { "id": "org_1", "slg": "acme", "rol": "admin" },
///     "theme": "dark"
/// })).unwrap();
/// assert_eq!(claims.user_id(), "user_2x");
/// assert_eq!(claims.organization().unwrap().role.as_deref(), Some("org:admin"));
/// assert_eq!(claims.extra["theme"], "dark");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Claims {
    /// `sub`: the user id (`user_...`).
    pub sub: String,
    /// `sid`: the session id (`sess_...`). Present in session tokens, absent in most JWT
    /// template tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `iss`: the instance's Frontend API URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// `azp`: the origin of the frontend that asked for the token (may be absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// `exp`: expiry, Unix seconds.
    pub exp: i64,
    /// `iat`: issue time, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// `nbf`: not-before, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// `jti`: the token id (v2 tokens). A numeric `jti` is kept as its decimal text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// `v`: the session-token version (`2` for API versions from 2025-04-10; absent in v1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<u32>,
    /// `sts`: the session status (v2), for example `"pending"` (see [`Claims::is_pending`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sts: Option<String>,
    /// `fea`: enabled features with their scope, for example `"o:dashboard,u:export"` (v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fea: Option<String>,
    /// `pla`: active plans with their scope, for example `"u:free,o:pro"` (v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pla: Option<String>,
    /// `o`: the active organization in v2 tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub o: Option<OrgClaimV2>,
    /// `org_id`: the active organization in v1 tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// `org_slug` (v1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_slug: Option<String>,
    /// `org_role` (v1), for example `"org:admin"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_role: Option<String>,
    /// `org_permissions` (v1), for example `["org:invoices:read"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_permissions: Option<Vec<String>>,
    /// `act`: who is impersonating the user, when someone is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub act: Option<Actor>,
    /// Every other claim, by name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `act` claim: the impersonator, when a session is an impersonation.
///
/// ```
/// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
///     "sub": "user_1", "exp": 1, "act": { "sub": "user_admin", "iss": "https://dashboard.clerk.com" }
/// })).unwrap();
/// assert_eq!(claims.act.unwrap().sub, "user_admin");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Actor {
    /// `sub`: the impersonator's user id.
    pub sub: String,
    /// `iss`: where the impersonation started (for example `https://dashboard.clerk.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// `sid`: the impersonator's session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl Claims {
    /// The user id (`sub`).
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "sid": "sess_1", "sts": "active", "exp": 1_700_000_060, "iat": 1_700_000_000
    /// })).unwrap();
    /// assert_eq!(claims.user_id(), "user_1");
    /// ```
    #[must_use]
    pub fn user_id(&self) -> &str {
        &self.sub
    }

    /// The session id (`sid`), absent in JWT-template tokens.
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "sid": "sess_1", "sts": "active", "exp": 1_700_000_060, "iat": 1_700_000_000
    /// })).unwrap();
    /// assert_eq!(claims.session_id(), Some("sess_1"));
    /// ```
    #[must_use]
    pub fn session_id(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// Whether the session is pending (`sts: "pending"`): signed in, but with a task left
    /// (such as choosing an organization).
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "sid": "sess_1", "sts": "active", "exp": 1_700_000_060, "iat": 1_700_000_000
    /// })).unwrap();
    /// assert!(!claims.is_pending());
    /// ```
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.sts.as_deref() == Some("pending")
    }
}

/// What a verifier requires of the claims once the signature is known good.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub leeway_secs: i64,
    pub issuer: Option<String>,
    pub authorized_parties: Vec<String>,
    pub require_authorized_party: bool,
    pub allow_pending: bool,
    pub require_session_id: bool,
}

impl Policy {
    pub(crate) fn check(&self, claims: &Claims, now_secs: i64) -> Result<(), VerifyError> {
        let leeway = self.leeway_secs;
        if claims.exp.saturating_add(leeway) <= now_secs {
            return Err(VerifyError::with_detail(
                Reason::Expired,
                format!(
                    "exp {} is {}s ago",
                    claims.exp,
                    now_secs.saturating_sub(claims.exp)
                ),
            ));
        }
        if let Some(nbf) = claims.nbf
            && nbf > now_secs.saturating_add(leeway)
        {
            return Err(VerifyError::with_detail(
                Reason::NotYetValid,
                format!("nbf {nbf} is {}s ahead", nbf.saturating_sub(now_secs)),
            ));
        }
        if let Some(iat) = claims.iat
            && iat > now_secs.saturating_add(leeway)
        {
            return Err(VerifyError::with_detail(
                Reason::IssuedInFuture,
                format!("iat {iat} is {}s ahead", iat.saturating_sub(now_secs)),
            ));
        }
        if let Some(expected) = &self.issuer
            && claims.iss.as_deref() != Some(expected.as_str())
        {
            let got = claims
                .iss
                .as_deref()
                .map_or_else(|| "none".to_owned(), quote_untrusted);
            return Err(VerifyError::with_detail(
                Reason::IssuerMismatch,
                format!("iss {got}, expected `{expected}`"),
            ));
        }
        if !self.authorized_parties.is_empty() {
            match claims.azp.as_deref() {
                Some(azp) if !self.authorized_parties.iter().any(|p| p == azp) => {
                    return Err(VerifyError::with_detail(
                        Reason::UnauthorizedParty,
                        format!("azp {}", quote_untrusted(azp)),
                    ));
                }
                None if self.require_authorized_party => {
                    return Err(VerifyError::with_detail(
                        Reason::UnauthorizedParty,
                        "the token has no azp",
                    ));
                }
                _ => {}
            }
        }
        if self.require_session_id && claims.sid.is_none() {
            return Err(VerifyError::with_detail(
                Reason::ClaimMissing,
                "claim `sid`",
            ));
        }
        if claims.is_pending() && !self.allow_pending {
            return Err(VerifyError::new(Reason::SessionPending));
        }
        Ok(())
    }
}

/// Decodes a payload, telling malformed JSON apart from a missing, mistyped or duplicated
/// claim.
pub(crate) fn decode(payload: &[u8]) -> Result<Claims, VerifyError> {
    let fault = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(payload);
    let result = ClaimsSeed {
        fault: Some(&fault),
    }
    .deserialize(&mut de)
    .and_then(|claims| de.end().map(|()| claims));
    result.map_err(|e| match fault.take() {
        Some(fault) => fault.into_error(),
        None => VerifyError::with_detail(Reason::Malformed, format!("payload: {e}")),
    })
}

/// A claim-level failure recorded during deserialization, so that it surfaces as a typed
/// reason rather than as serde's message text.
#[derive(Debug)]
enum Fault {
    Missing(&'static str),
    Duplicate(String),
    WrongType(String),
}

impl Fault {
    fn into_error(self) -> VerifyError {
        match self {
            Fault::Missing(name) => {
                VerifyError::with_detail(Reason::ClaimMissing, format!("claim `{name}`"))
            }
            Fault::Duplicate(name) => VerifyError::with_detail(
                Reason::ClaimInvalid,
                format!("claim {} appears more than once", quote_untrusted(&name)),
            ),
            Fault::WrongType(name) => VerifyError::with_detail(
                Reason::ClaimInvalid,
                format!("claim `{name}` has the wrong type"),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ClaimsSeed { fault: None }.deserialize(deserializer)
    }
}

struct ClaimsSeed<'f> {
    fault: Option<&'f Cell<Option<Fault>>>,
}

impl ClaimsSeed<'_> {
    fn fail<E: de::Error>(&self, fault: Fault) -> E {
        let message = fault.describe();
        if let Some(cell) = self.fault {
            cell.set(Some(fault));
        }
        E::custom(message)
    }
}

impl Fault {
    fn describe(&self) -> String {
        match self {
            Fault::Missing(name) => format!("missing claim `{name}`"),
            Fault::Duplicate(name) => format!("duplicate claim `{name}`"),
            Fault::WrongType(name) => format!("claim `{name}` has the wrong type"),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ClaimsSeed<'_> {
    type Value = Claims;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Claims, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// Claims as they are read, before the required ones are known to be present.
#[derive(Default)]
struct Partial {
    sub: Option<String>,
    sid: Option<Option<String>>,
    iss: Option<Option<String>>,
    azp: Option<Option<String>>,
    exp: Option<NumericDate>,
    iat: Option<Option<NumericDate>>,
    nbf: Option<Option<NumericDate>>,
    jti: Option<Option<StringOrNumber>>,
    v: Option<Option<u32>>,
    sts: Option<Option<String>>,
    fea: Option<Option<String>>,
    pla: Option<Option<String>>,
    o: Option<Option<OrgClaimV2>>,
    org_id: Option<Option<String>>,
    org_slug: Option<Option<String>>,
    org_role: Option<Option<String>>,
    org_permissions: Option<Option<Vec<String>>>,
    act: Option<Option<Actor>>,
}

impl<'de> Visitor<'de> for ClaimsSeed<'_> {
    type Value = Claims;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Claims, A::Error> {
        let mut p = Partial::default();
        let mut extra = Map::new();

        // Reads the value of a known claim into its slot, refusing a second occurrence and
        // recording a wrong type as such. Optional claims accept `null` as "absent".
        macro_rules! read {
            ($slot:expr, $name:literal, $ty:ty) => {{
                if $slot.is_some() {
                    return Err(self.fail(Fault::Duplicate($name.to_owned())));
                }
                let value = map
                    .next_value::<$ty>()
                    .map_err(|_| self.fail::<A::Error>(Fault::WrongType($name.to_owned())))?;
                $slot = Some(value);
            }};
        }

        while let Some(key) = map.next_key::<JsonStr<'de>>()? {
            match key.0.as_ref() {
                "sub" => read!(p.sub, "sub", String),
                "sid" => read!(p.sid, "sid", Option<String>),
                "iss" => read!(p.iss, "iss", Option<String>),
                "azp" => read!(p.azp, "azp", Option<String>),
                "exp" => read!(p.exp, "exp", NumericDate),
                "iat" => read!(p.iat, "iat", Option<NumericDate>),
                "nbf" => read!(p.nbf, "nbf", Option<NumericDate>),
                "jti" => read!(p.jti, "jti", Option<StringOrNumber>),
                "v" => read!(p.v, "v", Option<u32>),
                "sts" => read!(p.sts, "sts", Option<String>),
                "fea" => read!(p.fea, "fea", Option<String>),
                "pla" => read!(p.pla, "pla", Option<String>),
                "o" => read!(p.o, "o", Option<OrgClaimV2>),
                "org_id" => read!(p.org_id, "org_id", Option<String>),
                "org_slug" => read!(p.org_slug, "org_slug", Option<String>),
                "org_role" => read!(p.org_role, "org_role", Option<String>),
                "org_permissions" => {
                    read!(p.org_permissions, "org_permissions", Option<Vec<String>>)
                }
                "act" => read!(p.act, "act", Option<Actor>),
                other => {
                    if extra.contains_key(other) {
                        return Err(self.fail(Fault::Duplicate(other.to_owned())));
                    }
                    let value = map.next_value::<Value>()?;
                    extra.insert(key.0.into_owned(), value);
                }
            }
        }

        let sub = p.sub.ok_or_else(|| self.fail(Fault::Missing("sub")))?;
        let exp = p.exp.ok_or_else(|| self.fail(Fault::Missing("exp")))?;
        Ok(Claims {
            sub,
            sid: p.sid.flatten(),
            iss: p.iss.flatten(),
            azp: p.azp.flatten(),
            exp: exp.0,
            iat: p.iat.flatten().map(|d| d.0),
            nbf: p.nbf.flatten().map(|d| d.0),
            jti: p.jti.flatten().map(|j| j.0),
            v: p.v.flatten(),
            sts: p.sts.flatten(),
            fea: p.fea.flatten(),
            pla: p.pla.flatten(),
            o: p.o.flatten(),
            org_id: p.org_id.flatten(),
            org_slug: p.org_slug.flatten(),
            org_role: p.org_role.flatten(),
            org_permissions: p.org_permissions.flatten(),
            act: p.act.flatten(),
            extra,
        })
    }
}

/// A JWT NumericDate: a JSON number of seconds. Integers are taken as they are; a fractional
/// value (allowed by RFC 7519, never sent by Clerk) is rounded down.
struct NumericDate(i64);

impl<'de> Deserialize<'de> for NumericDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = NumericDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of seconds since the Unix epoch")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumericDate, E> {
                Ok(NumericDate(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumericDate, E> {
                i64::try_from(v)
                    .map(NumericDate)
                    .map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumericDate, E> {
                // i64::MAX as f64 rounds up to 2^63, which is already out of range.
                if v.is_finite() && v >= i64::MIN as f64 && v < i64::MAX as f64 {
                    #[allow(clippy::cast_possible_truncation)]
                    Ok(NumericDate(v.floor() as i64))
                } else {
                    Err(E::custom("timestamp out of range"))
                }
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// A claim Clerk sends as a string but that some issuers send as a number (`jti`).
struct StringOrNumber(String);

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SonVisitor;
        impl Visitor<'_> for SonVisitor {
            type Value = StringOrNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringOrNumber, E> {
                Ok(StringOrNumber(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<StringOrNumber, E> {
                Ok(StringOrNumber(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StringOrNumber, E> {
                Ok(StringOrNumber(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StringOrNumber, E> {
                Ok(StringOrNumber(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StringOrNumber, E> {
                Ok(StringOrNumber(v.to_string()))
            }
        }
        deserializer.deserialize_any(SonVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(json: &str) -> Reason {
        decode(json.as_bytes()).unwrap_err().reason()
    }

    #[test]
    fn decodes_clerk_v2_claims() {
        let c = decode(
            br#"{"azp":"https://app.example.com","exp":1700000060,"fva":[7,-1],"iat":1700000000,
            "iss":"https://clerk.example.com","jti":"abc","nbf":1699999990,"sid":"sess_1",
            "sts":"active","sub":"user_1","v":2,"pla":"u:free","fea":"o:dashboard",
            "o":{"id":"org_1","slg":"acme","rol":"admin","per":"read,manage","fpm":"3"},
            "act":{"sub":"user_2","iss":"https://dashboard.clerk.com","sid":"sess_2"}}"#,
        )
        .unwrap();
        assert_eq!(c.sub, "user_1");
        assert_eq!(c.sid.as_deref(), Some("sess_1"));
        assert_eq!(c.exp, 1_700_000_060);
        assert_eq!(c.nbf, Some(1_699_999_990));
        assert_eq!(c.v, Some(2));
        assert_eq!(c.act.as_ref().unwrap().sub, "user_2");
        assert_eq!(c.extra["fva"], serde_json::json!([7, -1]));
        assert!(!c.extra.contains_key("sub"));
        let org = c.organization().unwrap();
        assert_eq!(org.id, "org_1");
        assert_eq!(org.slug.as_deref(), Some("acme"));
        assert_eq!(org.role.as_deref(), Some("org:admin"));
        assert_eq!(
            org.permissions,
            ["org:dashboard:read", "org:dashboard:manage"]
        );
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(decode(br#"{"sub":"u","exp":10.9}"#).unwrap().exp, 10);
        assert_eq!(reason(r#"{"sub":"u","exp":"10"}"#), Reason::ClaimInvalid);
        assert_eq!(reason(r#"{"sub":"u","exp":1e300}"#), Reason::ClaimInvalid);
        assert_eq!(
            reason(r#"{"sub":"u","exp":18446744073709551615}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(reason(r#"{"sub":"u","exp":null}"#), Reason::ClaimInvalid);
        assert_eq!(
            reason(r#"{"sub":"u","exp":1,"nbf":"1"}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(
            decode(br#"{"sub":"u","exp":1,"nbf":null}"#).unwrap().nbf,
            None
        );
        assert_eq!(
            decode(br#"{"sub":"u","exp":1,"jti":42}"#)
                .unwrap()
                .jti
                .as_deref(),
            Some("42")
        );
    }

    #[test]
    fn missing_duplicate_and_malformed() {
        assert_eq!(reason(r#"{"exp":1}"#), Reason::ClaimMissing);
        assert_eq!(reason(r#"{"sub":"u"}"#), Reason::ClaimMissing);
        assert_eq!(
            reason(r#"{"sub":"u","exp":1,"sub":"admin"}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(
            reason(r#"{"sub":"u","exp":1,"s\u0075b":"admin"}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(
            reason(r#"{"sub":"u","exp":1,"x":1,"x":2}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(
            reason(r#"{"sub":"u","exp":1,"sid":null,"sid":"s"}"#),
            Reason::ClaimInvalid
        );
        assert_eq!(reason(r#"{"sub":1,"exp":1}"#), Reason::ClaimInvalid);
        assert_eq!(reason(r#"{"sub":"u","exp":1} x"#), Reason::Malformed);
        assert_eq!(reason(r#"[1]"#), Reason::Malformed);
        assert_eq!(reason(r#"{"sub":"u","exp":1"#), Reason::Malformed);
    }

    fn policy() -> Policy {
        Policy {
            leeway_secs: 5,
            issuer: Some("https://clerk.example.com".into()),
            authorized_parties: vec!["https://app.example.com".into()],
            require_authorized_party: false,
            allow_pending: false,
            require_session_id: true,
        }
    }

    fn claims(json: serde_json::Value) -> Claims {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn policy_checks_times_with_leeway() {
        let p = policy();
        let base = serde_json::json!({"sub":"u","sid":"s","iss":"https://clerk.example.com"});
        let with = |extra: serde_json::Value| {
            let mut v = base.clone();
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            claims(v)
        };
        let now = 1000;
        assert!(
            p.check(&with(serde_json::json!({"exp": 1001})), now)
                .is_ok()
        );
        assert!(p.check(&with(serde_json::json!({"exp": 996})), now).is_ok());
        assert_eq!(
            p.check(&with(serde_json::json!({"exp": 995})), now)
                .unwrap_err()
                .reason(),
            Reason::Expired
        );
        assert!(
            p.check(
                &with(serde_json::json!({"exp": 2000, "nbf": 1005, "iat": 1005})),
                now
            )
            .is_ok()
        );
        assert_eq!(
            p.check(&with(serde_json::json!({"exp": 2000, "nbf": 1006})), now)
                .unwrap_err()
                .reason(),
            Reason::NotYetValid
        );
        assert_eq!(
            p.check(&with(serde_json::json!({"exp": 2000, "iat": 1006})), now)
                .unwrap_err()
                .reason(),
            Reason::IssuedInFuture
        );
        assert_eq!(
            p.check(&with(serde_json::json!({"exp": i64::MIN})), now)
                .unwrap_err()
                .reason(),
            Reason::Expired
        );
        assert!(
            p.check(&with(serde_json::json!({"exp": i64::MAX})), now)
                .is_ok()
        );
    }

    #[test]
    fn policy_checks_issuer_party_session() {
        let p = policy();
        let ok =
            serde_json::json!({"sub":"u","sid":"s","exp":2000,"iss":"https://clerk.example.com"});
        assert!(p.check(&claims(ok.clone()), 1000).is_ok());
        let mut bad_iss = ok.clone();
        bad_iss["iss"] = "https://evil.example.com".into();
        assert_eq!(
            p.check(&claims(bad_iss), 1000).unwrap_err().reason(),
            Reason::IssuerMismatch
        );
        let mut no_iss = ok.clone();
        no_iss.as_object_mut().unwrap().remove("iss");
        assert_eq!(
            p.check(&claims(no_iss), 1000).unwrap_err().reason(),
            Reason::IssuerMismatch
        );
        let mut azp = ok.clone();
        azp["azp"] = "https://evil.example.com".into();
        assert_eq!(
            p.check(&claims(azp.clone()), 1000).unwrap_err().reason(),
            Reason::UnauthorizedParty
        );
        azp["azp"] = "https://app.example.com".into();
        assert!(p.check(&claims(azp), 1000).is_ok());
        let strict = Policy {
            require_authorized_party: true,
            ..policy()
        };
        assert_eq!(
            strict
                .check(&claims(ok.clone()), 1000)
                .unwrap_err()
                .reason(),
            Reason::UnauthorizedParty
        );
        let mut no_sid = ok.clone();
        no_sid.as_object_mut().unwrap().remove("sid");
        assert_eq!(
            p.check(&claims(no_sid.clone()), 1000).unwrap_err().reason(),
            Reason::ClaimMissing
        );
        let templates = Policy {
            require_session_id: false,
            ..policy()
        };
        assert!(templates.check(&claims(no_sid), 1000).is_ok());
        let mut pending = ok;
        pending["sts"] = "pending".into();
        assert_eq!(
            p.check(&claims(pending.clone()), 1000)
                .unwrap_err()
                .reason(),
            Reason::SessionPending
        );
        let lenient = Policy {
            allow_pending: true,
            ..policy()
        };
        assert!(lenient.check(&claims(pending), 1000).is_ok());
    }

    #[test]
    fn claims_round_trip_through_serialize() {
        let c = decode(br#"{"sub":"u","exp":5,"sid":"s","custom":{"a":1}}"#).unwrap();
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"sub":"u","exp":5,"sid":"s","custom":{"a":1}})
        );
        let back: Claims = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
    }
}
