//! [`SigningKey`]: one RSA-2048 key (e = 65537) with its key id: generated with aws-lc-rs,
//! stored as PKCS#8, published as a JWK and as a PEM, and signing RS256 JWTs.

use std::fmt;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::secret::Secret;

/// One RSA signing key with its key id.
pub(crate) struct SigningKey {
    kid: String,
    pair: KeyPair,
    jwk: Jwk,
}

/// A public key as published in the JWKS.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Jwk {
    #[serde(rename = "use")]
    pub use_: &'static str,
    pub kty: &'static str,
    pub kid: String,
    pub alg: &'static str,
    pub n: String,
    pub e: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Generates a new RSA-2048 key. Returns the key and its PKCS#8 DER, base64-encoded for
    /// storage. Slow (tens to hundreds of milliseconds): call it off the async workers.
    pub(crate) fn generate(kid: String) -> Result<(Self, Secret), Error> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| Error::Keys("RSA key generation failed".into()))?;
        let der = pair
            .as_der()
            .map_err(|_| Error::Keys("RSA key serialisation failed".into()))?;
        let stored = Secret::new(STANDARD.encode(der.as_ref()));
        Ok((Self::from_pair(kid, pair), stored))
    }

    /// Loads a key from its stored form (base64 PKCS#8 DER).
    pub(crate) fn from_stored(kid: String, stored: &Secret) -> Result<Self, Error> {
        let der = STANDARD
            .decode(stored.expose())
            .map_err(|_| Error::Keys(format!("stored key {kid} is not base64")))?;
        let pair = KeyPair::from_pkcs8(&der)
            .map_err(|_| Error::Keys(format!("stored key {kid} is not an RSA PKCS#8 key")))?;
        Ok(Self::from_pair(kid, pair))
    }

    fn from_pair(kid: String, pair: KeyPair) -> Self {
        let public = pair.public_key();
        let jwk = Jwk {
            use_: "sig",
            kty: "RSA",
            kid: kid.clone(),
            alg: "RS256",
            n: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        };
        Self { kid, pair, jwk }
    }

    /// The key id (`kid`).
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub(crate) fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), the form of Clerk's
    /// "JWT public key" (`CLERK_JWT_KEY`) for networkless verification.
    pub(crate) fn public_key_pem(&self) -> String {
        // Encoding a key this process holds cannot fail.
        let der = self
            .pair
            .public_key()
            .as_der()
            .expect("DER encoding of a loaded RSA public key");
        let body = STANDARD.encode(der.as_ref());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
            .collect();
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            lines.join("\n")
        )
    }

    /// Signs `claims` into a compact RS256 JWT with `{"alg":"RS256","kid":…,"typ":"JWT"}`.
    pub(crate) fn sign(&self, claims: &Map<String, Value>) -> String {
        self.sign_typed("JWT", claims)
    }

    /// Signs `claims` into a compact RS256 JWT whose header's `typ` is `typ` (`at+jwt` for
    /// OAuth access tokens, RFC 9068).
    pub(crate) fn sign_typed(&self, typ: &str, claims: &Map<String, Value>) -> String {
        self.sign_with_header(json!({"alg": "RS256", "kid": self.kid, "typ": typ}), claims)
    }

    /// Signs `claims` with the token category `cat` in the header (Clerk's M2M tokens carry
    /// one, so that session verifiers refuse them).
    pub(crate) fn sign_with_category(&self, claims: &Map<String, Value>, cat: &str) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT", "cat": cat});
        self.sign_with_header(header, claims)
    }

    fn sign_with_header(&self, header: Value, claims: &Map<String, Value>) -> String {
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        // Signing with a valid in-memory key into a buffer of the right size cannot fail.
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &rng,
                signing_input.as_bytes(),
                &mut sig,
            )
            .expect("RS256 signing with a loaded key");
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    pub(crate) fn verify_signature(&self, signing_input: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            self.pair.public_key().as_ref(),
        )
        .verify(signing_input, sig)
        .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn key(kid: &str) -> Arc<SigningKey> {
        Arc::new(SigningKey::generate(kid.to_owned()).unwrap().0)
    }

    #[test]
    fn jwk_is_rsa_2048_with_e_65537() {
        let k = key("ins_test");
        let jwk = k.jwk();
        assert_eq!(jwk.e, "AQAB");
        assert_eq!(URL_SAFE_NO_PAD.decode(&jwk.n).unwrap().len(), 256);
        assert_eq!((jwk.use_, jwk.kty, jwk.alg), ("sig", "RSA", "RS256"));
    }

    #[test]
    fn public_key_pem_is_the_rsa_2048_spki() {
        let pem = key("ins_pem").public_key_pem();
        assert!(pem.starts_with(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        ));
        assert!(pem.ends_with("IDAQAB\n-----END PUBLIC KEY-----\n"));
        assert!(pem.lines().all(|l| l.len() <= 64));
    }

    #[test]
    fn stored_form_round_trips() {
        let (k, stored) = SigningKey::generate("ins_a".into()).unwrap();
        let loaded = SigningKey::from_stored("ins_a".into(), &stored).unwrap();
        assert_eq!(k.jwk(), loaded.jwk());
        assert!(SigningKey::from_stored("x".into(), &Secret::new("bm90IGEga2V5")).is_err());
    }
}
