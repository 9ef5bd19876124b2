//! Why a token was rejected ([`VerifyError`], [`Reason`]) and why a verifier could not be
//! built ([`ConfigError`]).

use std::borrow::Cow;
use std::fmt;

/// The reason a session token was rejected, or why a request counts as signed out.
///
/// Match on it to decide what to do; [`Reason::message`] says what is wrong and what to fix,
/// [`Reason::code`] is a stable `snake_case` name for logs, metrics and JSON errors.
///
/// ```
/// use clerk_sdk::verify::Reason;
///
/// assert_eq!(Reason::Expired.code(), "token_expired");
/// assert!(Reason::Expired.message().contains("expired"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The request carried no session token (no `Authorization: Bearer` header and no
    /// `__session` cookie).
    TokenMissing,
    /// The token is longer than the verifier's limit (8 KiB by default); it was rejected
    /// before any parsing.
    TokenTooLarge,
    /// The token is not a compact JWS: wrong number of segments, bad base64url, or a header
    /// or payload that is not a JSON object.
    Malformed,
    /// The token is a JWT but not a session token: a `typ` other than `JWT`, a Clerk token
    /// category (`cat`) for machine or template tokens, or an opaque machine token.
    WrongTokenType,
    /// The header's `alg` is not `RS256` (`none`, `HS256`, `RS384`, `ES256`, `PS256`, ...).
    AlgorithmNotAllowed,
    /// The header carries a parameter this verifier refuses to honour: `crit`, `jku`, `jwk`,
    /// `x5u` or `x5c` (keys are only ever taken from the configured source).
    HeaderNotAllowed,
    /// The header has no `kid`, which is required when keys come from a JWKS.
    KeyIdMissing,
    /// No key with the token's `kid` exists in the JWKS, even after a refresh.
    UnknownKey,
    /// The JWKS could not be fetched and no usable cached keys remain.
    KeysUnavailable,
    /// The RS256 signature does not match the header and payload.
    SignatureInvalid,
    /// A required claim (`sub`, `exp`, or `sid` for session tokens) is absent.
    ClaimMissing,
    /// A claim has the wrong JSON type (for example a string `exp`) or appears twice.
    ClaimInvalid,
    /// `exp` is in the past, beyond the allowed leeway.
    Expired,
    /// `nbf` is in the future, beyond the allowed leeway.
    NotYetValid,
    /// `iat` is in the future, beyond the allowed leeway.
    IssuedInFuture,
    /// `iss` is not the configured issuer.
    IssuerMismatch,
    /// `azp` is not one of the configured authorized parties.
    UnauthorizedParty,
    /// The session is `pending` (`sts` claim): the user still has a task to complete.
    SessionPending,
    /// The token's `sid` is not the session id the caller asked about.
    SessionMismatch,
    /// The Backend API says the session is no longer active (revoked, ended, expired...),
    /// although its token is still within its lifetime. Only from the online check
    /// (`clerk.sessions().verify_token_online`).
    SessionNotActive,
    /// Browser cookies, development instance (`pk_test_`): no development browser token
    /// (`__clerk_db_jwt` cookie or query parameter). `@clerk/backend`'s `dev-browser-missing`.
    DevBrowserMissing,
    /// Browser cookies: neither `__session` nor a non-zero `__client_uat` (the browser is
    /// signed out, or never signed in). `session-token-and-uat-missing`.
    SessionTokenAndUatMissing,
    /// Browser cookies: a `__session` without a non-zero `__client_uat`.
    /// `session-token-but-no-client-uat`.
    SessionTokenWithoutClientUat,
    /// Browser cookies: a non-zero `__client_uat` without `__session`.
    /// `client-uat-but-no-session-token`.
    ClientUatWithoutSessionToken,
    /// Browser cookies: the `__session` token was issued before the client's last change
    /// (`iat < __client_uat`), so it may be stale. `session-token-iat-before-client-uat`.
    SessionTokenIatBeforeClientUat,
}

impl Reason {
    /// A stable `snake_case` identifier, suitable for logs, metrics and JSON error bodies.
    ///
    /// ```
    /// use clerk_sdk::verify::Reason;
    /// assert_eq!(Reason::Expired.code(), "token_expired");
    /// ```
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Reason::TokenMissing => "token_missing",
            Reason::TokenTooLarge => "token_too_large",
            Reason::Malformed => "token_malformed",
            Reason::WrongTokenType => "token_type_not_allowed",
            Reason::AlgorithmNotAllowed => "algorithm_not_allowed",
            Reason::HeaderNotAllowed => "header_not_allowed",
            Reason::KeyIdMissing => "kid_missing",
            Reason::UnknownKey => "unknown_key",
            Reason::KeysUnavailable => "keys_unavailable",
            Reason::SignatureInvalid => "signature_invalid",
            Reason::ClaimMissing => "claim_missing",
            Reason::ClaimInvalid => "claim_invalid",
            Reason::Expired => "token_expired",
            Reason::NotYetValid => "token_not_yet_valid",
            Reason::IssuedInFuture => "token_issued_in_future",
            Reason::IssuerMismatch => "issuer_mismatch",
            Reason::UnauthorizedParty => "unauthorized_party",
            Reason::SessionPending => "session_pending",
            Reason::SessionMismatch => "session_mismatch",
            Reason::SessionNotActive => "session_not_active",
            Reason::DevBrowserMissing => "dev_browser_missing",
            Reason::SessionTokenAndUatMissing => "session_token_and_uat_missing",
            Reason::SessionTokenWithoutClientUat => "session_token_without_client_uat",
            Reason::ClientUatWithoutSessionToken => "client_uat_without_session_token",
            Reason::SessionTokenIatBeforeClientUat => "session_token_iat_before_client_uat",
        }
    }

    /// What is wrong, and what to fix.
    ///
    /// ```
    /// use clerk_sdk::verify::Reason;
    /// assert!(Reason::TokenMissing.message().contains("Authorization: Bearer"));
    /// ```
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Reason::TokenMissing => {
                "no session token: send it as `Authorization: Bearer <token>` or in the `__session` cookie"
            }
            Reason::TokenTooLarge => {
                "the token is larger than the verifier accepts; move large custom claims out of the session token or raise `max_token_len`"
            }
            Reason::Malformed => {
                "the token is not a well-formed JWT (three base64url segments with JSON header and payload); send the session token exactly as Clerk issued it"
            }
            Reason::WrongTokenType => {
                "the token is not a Clerk session token; send the session token (not a machine, OAuth or JWT-template token) or allow templates on the verifier"
            }
            Reason::AlgorithmNotAllowed => {
                "the token's `alg` is not RS256; Clerk signs session tokens with RS256 only"
            }
            Reason::HeaderNotAllowed => {
                "the token's header carries `crit`, `jku`, `jwk`, `x5u` or `x5c`; keys are only taken from the configured source"
            }
            Reason::KeyIdMissing => {
                "the token's header has no `kid`; it is required to pick the key from the JWKS"
            }
            Reason::UnknownKey => {
                "no key in the JWKS matches the token's `kid`; check that the verifier points at the same Clerk instance that issued the token"
            }
            Reason::KeysUnavailable => {
                "the signing keys could not be fetched and no cached keys are usable; check the JWKS URL, the network and the secret key"
            }
            Reason::SignatureInvalid => {
                "the signature does not match; the token was altered or signed by another key"
            }
            Reason::ClaimMissing => "a required claim is missing from the token",
            Reason::ClaimInvalid => "a claim has the wrong type or appears more than once",
            Reason::Expired => {
                "the token has expired; the client should fetch a fresh session token (check the server clock if this is unexpected)"
            }
            Reason::NotYetValid => {
                "the token is not valid yet (`nbf` in the future); check the server clock"
            }
            Reason::IssuedInFuture => {
                "the token was issued in the future (`iat`); check the server clock"
            }
            Reason::IssuerMismatch => {
                "the token's `iss` is not the configured issuer; check the verifier's issuer (your Frontend API URL)"
            }
            Reason::UnauthorizedParty => {
                "the token's `azp` is not an authorized party; add the origin of your frontend to the verifier's authorized parties"
            }
            Reason::SessionPending => {
                "the session is pending (the user must complete a task first); allow pending sessions on the verifier to accept it"
            }
            Reason::SessionMismatch => {
                "the token belongs to a different session than the one requested"
            }
            Reason::SessionNotActive => {
                "the session is no longer active (revoked, ended or expired); the user must sign in again"
            }
            Reason::DevBrowserMissing => {
                "no development browser token (`__clerk_db_jwt`); load the page so the handshake can set it"
            }
            Reason::SessionTokenAndUatMissing => {
                "no `__session` and no `__client_uat` cookie: the browser is signed out"
            }
            Reason::SessionTokenWithoutClientUat => {
                "a `__session` cookie without `__client_uat`; the handshake refreshes the cookies"
            }
            Reason::ClientUatWithoutSessionToken => {
                "a `__client_uat` cookie without `__session`; the handshake refreshes the cookies"
            }
            Reason::SessionTokenIatBeforeClientUat => {
                "the `__session` token predates the client's last change (`__client_uat`); the handshake refreshes it"
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A rejected session token: a [`Reason`] plus, where useful, a detail naming the claim or
/// value involved.
///
/// It never contains the token itself, so it is safe to log.
///
/// ```
/// use clerk_sdk::verify::{Reason, VerifyError};
///
/// let err = VerifyError::new(Reason::SignatureInvalid);
/// assert_eq!(err.reason(), Reason::SignatureInvalid);
/// assert!(err.to_string().contains("signature"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    reason: Reason,
    detail: Option<Cow<'static, str>>,
}

impl VerifyError {
    /// An error with a reason and no detail.
    ///
    /// ```
    /// use clerk_sdk::verify::{Reason, VerifyError};
    /// let error = VerifyError::new(Reason::TokenMissing);
    /// assert_eq!(error.detail(), None);
    /// ```
    #[must_use]
    pub fn new(reason: Reason) -> Self {
        VerifyError {
            reason,
            detail: None,
        }
    }

    /// An error with a reason and a detail (for example which claim was missing).
    ///
    /// ```
    /// use clerk_sdk::verify::{Reason, VerifyError};
    /// let error = VerifyError::with_detail(Reason::ClaimMissing, "claim `sid`");
    /// assert_eq!(error.detail(), Some("claim `sid`"));
    /// ```
    #[must_use]
    pub fn with_detail(reason: Reason, detail: impl Into<Cow<'static, str>>) -> Self {
        VerifyError {
            reason,
            detail: Some(detail.into()),
        }
    }

    /// Why the token was rejected.
    ///
    /// ```
    /// use clerk_sdk::verify::{Reason, VerifyError};
    /// assert_eq!(VerifyError::new(Reason::Expired).reason(), Reason::Expired);
    /// ```
    #[must_use]
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The specifics, when there are any (`"claim `sid`"`, the HTTP status of a failed JWKS
    /// fetch, ...).
    ///
    /// ```
    /// use clerk_sdk::verify::{Reason, VerifyError};
    /// let error = VerifyError::with_detail(Reason::KeysUnavailable, "HTTP 503");
    /// assert_eq!(error.detail(), Some("HTTP 503"));
    /// ```
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason.message())?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

impl From<Reason> for VerifyError {
    fn from(reason: Reason) -> Self {
        VerifyError::new(reason)
    }
}

/// A [`Verifier`](super::Verifier) could not be built: a PEM key that does not parse, a JWKS
/// URL that is not `http(s)`, a missing environment variable, ...
///
/// ```
/// use clerk_sdk::verify::Verifier;
///
/// let err = Verifier::from_pem("not a key").unwrap_err();
/// assert!(err.to_string().contains("PEM"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: Cow<'static, str>,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<Cow<'static, str>>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Quotes a value taken from a token for an error detail: escaped, and cut short so that a
/// hostile token cannot flood logs.
pub(crate) fn quote_untrusted(value: &str) -> String {
    const MAX_CHARS: usize = 64;
    let mut out = String::with_capacity(value.len().min(MAX_CHARS) + 2);
    out.push('`');
    for (i, c) in value.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_untrusted_escapes_and_truncates() {
        assert_eq!(quote_untrusted("a\nb"), "`a\\nb`");
        let long = "x".repeat(1000);
        let quoted = quote_untrusted(&long);
        assert!(quoted.chars().count() < 70, "{quoted}");
        assert!(quoted.ends_with("…`"));
    }

    #[test]
    fn every_reason_has_a_distinct_code() {
        let all = [
            Reason::TokenMissing,
            Reason::TokenTooLarge,
            Reason::Malformed,
            Reason::WrongTokenType,
            Reason::AlgorithmNotAllowed,
            Reason::HeaderNotAllowed,
            Reason::KeyIdMissing,
            Reason::UnknownKey,
            Reason::KeysUnavailable,
            Reason::SignatureInvalid,
            Reason::ClaimMissing,
            Reason::ClaimInvalid,
            Reason::Expired,
            Reason::NotYetValid,
            Reason::IssuedInFuture,
            Reason::IssuerMismatch,
            Reason::UnauthorizedParty,
            Reason::SessionPending,
            Reason::SessionMismatch,
            Reason::SessionNotActive,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert!(all.iter().all(|r| !r.message().is_empty()));
    }
}
