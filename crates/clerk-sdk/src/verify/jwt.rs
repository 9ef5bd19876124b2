//! The compact JWS format: size limit, splitting, strict base64url, and the header checks
//! that run before any key is touched.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};

use super::error::{Reason, VerifyError, quote_untrusted};

/// Token categories Clerk stamps in the `cat` header to tell JWT classes signed by the same
/// instance key apart.
pub(crate) mod category {
    /// A session token.
    pub const SESSION: &str = "cl_B7d4PD111AAA";
    /// A token made from a JWT template.
    pub const JWT_TEMPLATE: &str = "cl_B7d4PD222AAA";
    /// A machine-to-machine token in JWT format.
    pub const M2M: &str = "cl_B7d4PD333AAA";
    /// Instances that opted out of categories stamp this on every class: it says nothing.
    pub const IGNORE: &str = "cl_I7d4PD111III";
}

/// Prefixes of Clerk's opaque machine tokens (M2M, OAuth, API keys): they are not JWTs and
/// are verified by the Backend API, never here.
const MACHINE_TOKEN_PREFIXES: [&str; 4] = ["mt_", "m2m_", "oat_", "ak_"];

/// The decoded header is tiny for real tokens (`alg`, `kid`, `typ`, `cat`); anything bigger
/// is rejected without parsing.
const MAX_HEADER_LEN: usize = 1024;

/// A token whose structure and header passed every check, not yet its signature or claims.
pub(crate) struct Unverified<'t> {
    /// `base64url(header) "." base64url(payload)`: the bytes the signature covers.
    pub signing_input: &'t str,
    /// The `kid` header, if any.
    pub kid: Option<String>,
    /// The decoded payload (JSON, not yet parsed).
    pub payload: Vec<u8>,
    /// The decoded signature.
    pub signature: Vec<u8>,
}

/// Which token categories (`cat` header) the caller accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    /// Session tokens only.
    Session,
    /// Session tokens and tokens made from JWT templates.
    SessionOrTemplate,
    /// JWT-format M2M tokens only (`cat` = [`category::M2M`]).
    M2m,
    /// JWT OAuth access tokens only (`typ` = `at+jwt`, RFC 9068).
    OAuthAccess,
}

/// Splits, decodes and checks a compact JWS, rejecting everything that is not an RS256 token
/// before any cryptography runs.
pub(crate) fn parse(
    token: &str,
    max_len: usize,
    accept: Accept,
) -> Result<Unverified<'_>, VerifyError> {
    if token.len() > max_len {
        return Err(VerifyError::with_detail(
            Reason::TokenTooLarge,
            format!("{} bytes, limit {max_len}", token.len()),
        ));
    }
    if token.is_empty() {
        return Err(VerifyError::with_detail(Reason::Malformed, "empty token"));
    }
    if MACHINE_TOKEN_PREFIXES.iter().any(|p| token.starts_with(p)) {
        return Err(VerifyError::with_detail(
            Reason::WrongTokenType,
            "an opaque machine token",
        ));
    }

    let (header_b64, rest) = token
        .split_once('.')
        .ok_or_else(|| malformed("expected 3 segments, found 1"))?;
    let (payload_b64, signature_b64) = rest
        .split_once('.')
        .ok_or_else(|| malformed("expected 3 segments, found 2"))?;
    if signature_b64.contains('.') {
        return Err(malformed("expected 3 segments, found more"));
    }
    let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];

    let header_bytes = decode_segment(header_b64, "header")?;
    if header_bytes.len() > MAX_HEADER_LEN {
        return Err(malformed("header is too large"));
    }
    let header: Header<'_> = serde_json::from_slice(&header_bytes)
        .map_err(|e| VerifyError::with_detail(Reason::Malformed, format!("header: {e}")))?;
    header.check(accept)?;
    let kid = header.kid.map(|k| k.0.into_owned());

    let payload = decode_segment(payload_b64, "payload")?;
    if signature_b64.is_empty() {
        return Err(VerifyError::with_detail(
            Reason::SignatureInvalid,
            "the signature segment is empty",
        ));
    }
    let signature = decode_segment(signature_b64, "signature")?;

    Ok(Unverified {
        signing_input,
        kid,
        payload,
        signature,
    })
}

fn malformed(detail: &'static str) -> VerifyError {
    VerifyError::with_detail(Reason::Malformed, detail)
}

/// Strict base64url: no padding, no whitespace, no non-canonical trailing bits (so that no two
/// encodings of one token both verify).
/// The decoded payload of a token that [`parse`] accepted before (the verified-token cache
/// keeps tokens, not their claims, so a hit decodes only this segment).
pub(crate) fn payload_of_parsed(token: &str) -> Result<Vec<u8>, VerifyError> {
    let mut segments = token.split('.');
    let payload = segments.nth(1).unwrap_or_default();
    decode_segment(payload, "payload")
}

fn decode_segment(segment: &str, name: &'static str) -> Result<Vec<u8>, VerifyError> {
    if segment.is_empty() {
        return Err(VerifyError::with_detail(
            Reason::Malformed,
            format!("the {name} segment is empty"),
        ));
    }
    URL_SAFE_NO_PAD.decode(segment).map_err(|e| {
        VerifyError::with_detail(Reason::Malformed, format!("{name} is not base64url: {e}"))
    })
}

/// The JOSE header, as far as a session-token verifier cares.
///
/// Unknown parameters are ignored (RFC 7515 §4); a parameter given twice is an error (serde's
/// derive rejects duplicate known fields).
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    alg: Option<JsonStr<'a>>,
    #[serde(borrow)]
    kid: Option<JsonStr<'a>>,
    #[serde(borrow)]
    typ: Option<JsonStr<'a>>,
    #[serde(borrow)]
    cat: Option<JsonStr<'a>>,
    // Parameters that would make us trust something other than the configured keys, or change
    // how the token is processed. Their mere presence (even `null`) rejects the token.
    #[serde(default, deserialize_with = "present")]
    crit: bool,
    #[serde(default, deserialize_with = "present")]
    jku: bool,
    #[serde(default, deserialize_with = "present")]
    jwk: bool,
    #[serde(default, deserialize_with = "present")]
    x5u: bool,
    #[serde(default, deserialize_with = "present")]
    x5c: bool,
}

impl Header<'_> {
    fn check(&self, accept: Accept) -> Result<(), VerifyError> {
        match self.alg.as_ref().map(|a| a.0.as_ref()) {
            Some("RS256") => {}
            Some(other) => {
                return Err(VerifyError::with_detail(
                    Reason::AlgorithmNotAllowed,
                    format!("alg {}", quote_untrusted(other)),
                ));
            }
            None => {
                return Err(VerifyError::with_detail(
                    Reason::AlgorithmNotAllowed,
                    "the header has no alg",
                ));
            }
        }
        for (present, name) in [
            (self.crit, "crit"),
            (self.jku, "jku"),
            (self.jwk, "jwk"),
            (self.x5u, "x5u"),
            (self.x5c, "x5c"),
        ] {
            if present {
                return Err(VerifyError::with_detail(
                    Reason::HeaderNotAllowed,
                    format!("header parameter `{name}`"),
                ));
            }
        }
        // RFC 7515 recommends the upper-case spelling but compares media types
        // case-insensitively. Session-like tokens are `JWT` (or untyped); OAuth access tokens
        // are `at+jwt` (RFC 9068), and nothing else may pass for one.
        let typ = self.typ.as_ref().map(|t| t.0.as_ref());
        let typ_ok = match accept {
            Accept::OAuthAccess => typ.is_some_and(|t| {
                t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
            }),
            _ => typ.is_none_or(|t| t.eq_ignore_ascii_case("JWT")),
        };
        if !typ_ok {
            return Err(VerifyError::with_detail(
                Reason::WrongTokenType,
                match typ {
                    Some(typ) => format!("typ {}", quote_untrusted(typ)),
                    None => "no typ".to_owned(),
                },
            ));
        }
        let cat = self.cat.as_ref().map(|c| c.0.as_ref());
        let cat_ok = match (accept, cat) {
            (Accept::M2m, cat) => cat == Some(category::M2M),
            (Accept::OAuthAccess, cat) => cat.is_none(),
            (_, None) => true,
            (_, Some(cat)) => {
                cat == category::SESSION
                    || cat == category::IGNORE
                    || (accept == Accept::SessionOrTemplate && cat == category::JWT_TEMPLATE)
            }
        };
        if !cat_ok {
            return Err(VerifyError::with_detail(
                Reason::WrongTokenType,
                match cat {
                    Some(cat) => format!("token category {}", quote_untrusted(cat)),
                    None => "no token category".to_owned(),
                },
            ));
        }
        Ok(())
    }
}

/// `true` whenever the field is present, whatever its value.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(deserializer).map(|_| true)
}

/// A JSON string that borrows from the input when it has no escapes.
pub(crate) struct JsonStr<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = JsonStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonStr(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn token_with_header(header: &str) -> String {
        format!(
            "{}.{}.{}",
            b64(header),
            b64(r#"{"sub":"user_1"}"#),
            b64("sig")
        )
    }

    fn reason_of(token: &str) -> Reason {
        match parse(token, 8192, Accept::Session) {
            Ok(_) => panic!("accepted {token}"),
            Err(e) => e.reason(),
        }
    }

    #[test]
    fn accepts_a_plain_rs256_header() {
        let t = token_with_header(r#"{"alg":"RS256","kid":"ins_1","typ":"JWT"}"#);
        let parsed = parse(&t, 8192, Accept::Session).unwrap();
        assert_eq!(parsed.kid.as_deref(), Some("ins_1"));
        assert_eq!(parsed.signature, b"sig");
        assert_eq!(parsed.payload, br#"{"sub":"user_1"}"#);
        assert!(t.starts_with(parsed.signing_input));
        assert_eq!(parsed.signing_input.matches('.').count(), 1);
    }

    #[test]
    fn escaped_kid_is_unescaped() {
        let t = token_with_header(r#"{"alg":"RS256","kid":"ins\/1"}"#);
        let parsed = parse(&t, 8192, Accept::Session).unwrap();
        assert_eq!(parsed.kid.as_deref(), Some("ins/1"));
    }

    #[test]
    fn header_checks() {
        let cases = [
            (r#"{"alg":"none"}"#, Reason::AlgorithmNotAllowed),
            (r#"{"kid":"k"}"#, Reason::AlgorithmNotAllowed),
            (r#"{"alg":"RS256","alg":"RS256"}"#, Reason::Malformed),
            (r#"{"alg":7}"#, Reason::Malformed),
            (r#"{"alg":"RS256","crit":null}"#, Reason::HeaderNotAllowed),
            (r#"{"alg":"RS256","x5c":[]}"#, Reason::HeaderNotAllowed),
            (r#"{"alg":"RS256","typ":"at+jwt"}"#, Reason::WrongTokenType),
            (
                r#"{"alg":"RS256","cat":"cl_B7d4PD333AAA"}"#,
                Reason::WrongTokenType,
            ),
            (
                r#"{"alg":"RS256","cat":"cl_B7d4PD222AAA"}"#,
                Reason::WrongTokenType,
            ),
            ("[1,2]", Reason::Malformed),
        ];
        for (header, reason) in cases {
            assert_eq!(reason_of(&token_with_header(header)), reason, "{header}");
        }
    }

    #[test]
    fn template_category_is_accepted_when_asked() {
        let t = token_with_header(r#"{"alg":"RS256","cat":"cl_B7d4PD222AAA","typ":"jwt"}"#);
        assert!(parse(&t, 8192, Accept::SessionOrTemplate).is_ok());
    }

    #[test]
    fn structure_checks() {
        assert_eq!(reason_of(""), Reason::Malformed);
        assert_eq!(reason_of("abc"), Reason::Malformed);
        assert_eq!(reason_of("a.b"), Reason::Malformed);
        assert_eq!(reason_of("a.b.c.d"), Reason::Malformed);
        assert_eq!(reason_of("mt_123"), Reason::WrongTokenType);
        let ok = token_with_header(r#"{"alg":"RS256"}"#);
        assert_eq!(reason_of(&format!("{ok}=")), Reason::Malformed);
        assert_eq!(
            parse(&ok, ok.len() - 1, Accept::Session)
                .err()
                .unwrap()
                .reason(),
            Reason::TokenTooLarge
        );
        let stripped = &ok[..ok.rfind('.').unwrap() + 1];
        assert_eq!(reason_of(stripped), Reason::SignatureInvalid);
    }

    #[test]
    fn non_canonical_base64_is_rejected() {
        // "QQ" and "QR" both decode to "A" for a lenient decoder: only the canonical form passes.
        assert!(decode_segment("QQ", "x").is_ok());
        assert!(decode_segment("QR", "x").is_err());
    }
}
