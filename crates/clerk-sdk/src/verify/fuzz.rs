//! Entry points for the fuzz targets in `fuzz/` and for the test that replays their corpus.
//! Not a stable API.
//!
//! Each function feeds untrusted bytes to one parser and checks the invariants that must hold
//! whatever the input; a panic is a bug.

use std::sync::Arc;

use super::{Claims, ManualClock, Verifier, VerifyError, claims, jwt, key};

/// The time the fuzz verifier's clock stands at (2026-01-01T00:00:00Z); the corpus's valid
/// tokens are issued at this instant.
pub const FIXED_NOW: u64 = 1_767_225_600;
/// The issuer the fuzz verifier requires.
pub const ISSUER: &str = "https://clerk.example.test";
/// The authorized party the fuzz verifier accepts.
pub const AZP: &str = "https://app.example.test";

/// The verifier of the `verify_token` fuzz target: a fixed PEM key (`fuzz/keys/public.pem`),
/// a clock stopped at [`FIXED_NOW`], and issuer and authorized-party checks on.
///
/// # Panics
/// If `pem` is not a usable public key.
#[must_use]
pub fn fixed_verifier(pem: &str) -> Verifier {
    Verifier::builder_pem(pem)
        .issuer(ISSUER)
        .authorized_parties([AZP])
        .clock(Arc::new(ManualClock::at_unix(FIXED_NOW)))
        .build()
        .expect("the fuzz key parses")
}

/// The token parser alone: structure, base64url, header checks and claims decoding, with no
/// key involved.
pub fn parse_token(data: &[u8]) {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    for accept in [jwt::Accept::Session, jwt::Accept::SessionOrTemplate] {
        if let Ok(parsed) = jwt::parse(token, super::DEFAULT_MAX_TOKEN_LEN, accept) {
            assert!(token.starts_with(parsed.signing_input));
            assert_eq!(parsed.signing_input.matches('.').count(), 1);
            assert!(!parsed.signature.is_empty());
            if let Ok(claims) = claims::decode(&parsed.payload) {
                // Decoded claims re-encode and decode to the same value.
                let json = serde_json::to_vec(&claims).expect("claims serialize");
                assert_eq!(claims::decode(&json).expect("re-decode"), claims);
            }
        }
    }
}

/// Full verification with a caller-built verifier (the fuzz target uses a fixed PEM key and
/// a fixed clock). Returns `None` for input that is not UTF-8 (no `&str` token can hold it).
pub fn verify_token(verifier: &Verifier, data: &[u8]) -> Option<Result<Claims, VerifyError>> {
    let token = std::str::from_utf8(data).ok()?;
    let result = verifier.verify_token_cached(token);
    if let Ok(claims) = &result {
        // Anything accepted must be accepted again, identically.
        assert_eq!(verifier.verify_token_cached(token).as_ref(), Ok(claims));
    }
    Some(result)
}

/// The JWKS document parser.
pub fn parse_jwks(data: &[u8]) {
    if let Ok(keys) = key::parse_jwks(data) {
        assert!(!keys.is_empty() && keys.len() <= key::MAX_JWKS_KEYS);
        assert!(keys.iter().all(|k| k.kid().is_some()));
    }
}

/// The PEM public-key parser.
pub fn parse_pem(data: &[u8]) {
    if let Ok(pem) = std::str::from_utf8(data) {
        let _ = key::VerifyingKey::from_pem(pem);
    }
}
