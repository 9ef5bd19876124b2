//! The keys of JWT templates that sign with their own key (`custom_signing_key: true`):
//! HS256/384/512 with a shared secret, RS256/384/512 with an RSA private key and
//! ES256/384/512 with an EC private key (P-256, P-384, P-521), the keys as PEM (PKCS#8
//! `PRIVATE KEY`, or `RSA PRIVATE KEY` / `EC PRIVATE KEY`). Signed with aws-lc-rs.

use std::fmt;

use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use aws_lc_rs::signature::{self, EcdsaKeyPair, EcdsaSigningAlgorithm, RsaEncoding};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

/// The algorithms a template's own key may sign with.
pub(crate) const ALGORITHMS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
];

/// A template's own signing key, ready to sign.
pub(crate) enum TemplateKey {
    Hmac(&'static str, Box<hmac::Key>),
    Rsa(&'static str, &'static dyn RsaEncoding, RsaKeyPair),
    Ec(&'static str, EcdsaKeyPair),
}

impl fmt::Debug for TemplateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TemplateKey")
            .field(&self.algorithm())
            .finish()
    }
}

/// Why a template's key cannot sign with its algorithm, in words for the API's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyProblem(pub String);

impl TemplateKey {
    /// Parses `key` for `algorithm` (one of [`ALGORITHMS`]).
    pub(crate) fn parse(algorithm: &str, key: &str) -> Result<Self, KeyProblem> {
        let alg: &'static str = ALGORITHMS
            .iter()
            .find(|a| **a == algorithm)
            .ok_or_else(|| {
                KeyProblem(format!(
                    "{algorithm} is not a supported signing algorithm. Supported: {}.",
                    ALGORITHMS.join(", ")
                ))
            })?;
        match &alg[..2] {
            "HS" => {
                if key.is_empty() {
                    return Err(KeyProblem("The signing key must not be empty.".into()));
                }
                let hmac_alg = match alg {
                    "HS256" => hmac::HMAC_SHA256,
                    "HS384" => hmac::HMAC_SHA384,
                    _ => hmac::HMAC_SHA512,
                };
                Ok(Self::Hmac(
                    alg,
                    Box::new(hmac::Key::new(hmac_alg, key.as_bytes())),
                ))
            }
            "RS" => {
                let (label, der) = pem(key)?;
                let pair = match label.as_str() {
                    "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
                    "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
                    _ => return Err(not_a_key(alg)),
                }
                .map_err(|_| not_a_key(alg))?;
                let encoding: &'static dyn RsaEncoding = match alg {
                    "RS256" => &signature::RSA_PKCS1_SHA256,
                    "RS384" => &signature::RSA_PKCS1_SHA384,
                    _ => &signature::RSA_PKCS1_SHA512,
                };
                Ok(Self::Rsa(alg, encoding, pair))
            }
            _ => {
                let (label, der) = pem(key)?;
                if label != "PRIVATE KEY" && label != "EC PRIVATE KEY" {
                    return Err(not_a_key(alg));
                }
                let curve: &'static EcdsaSigningAlgorithm = match alg {
                    "ES256" => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    "ES384" => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
                    _ => &signature::ECDSA_P521_SHA512_FIXED_SIGNING,
                };
                let pair =
                    EcdsaKeyPair::from_private_key_der(curve, &der).map_err(|_| not_a_key(alg))?;
                Ok(Self::Ec(alg, pair))
            }
        }
    }

    /// The JWS algorithm.
    pub(crate) fn algorithm(&self) -> &'static str {
        match self {
            Self::Hmac(alg, _) | Self::Rsa(alg, _, _) | Self::Ec(alg, _) => alg,
        }
    }

    /// Signs `claims` into a compact JWT with `{"alg":…,"typ":"JWT"}`.
    pub(crate) fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = json!({"alg": self.algorithm(), "typ": "JWT"});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let rng = SystemRandom::new();
        let sig: Vec<u8> = match self {
            Self::Hmac(_, key) => hmac::sign(key, input.as_bytes()).as_ref().to_vec(),
            Self::Rsa(_, encoding, pair) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                // A parsed key signing into a buffer of its modulus' size cannot fail.
                pair.sign(*encoding, &rng, input.as_bytes(), &mut sig)
                    .expect("RSA signing with a parsed key");
                sig
            }
            Self::Ec(_, pair) => pair
                .sign(&rng, input.as_bytes())
                .expect("ECDSA signing with a parsed key")
                .as_ref()
                .to_vec(),
        };
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }
}

fn not_a_key(alg: &str) -> KeyProblem {
    let kind = if alg.starts_with("RS") { "RSA" } else { "EC" };
    KeyProblem(format!(
        "The signing key is not a PEM-encoded {kind} private key usable with {alg}."
    ))
}

/// The label and DER bytes of the first PEM block of `text`.
fn pem(text: &str) -> Result<(String, Vec<u8>), KeyProblem> {
    let bad = || KeyProblem("The signing key is not a PEM-encoded private key.".into());
    let start = text.find("-----BEGIN ").ok_or_else(bad)?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----").ok_or_else(bad)?;
    let label = rest[..label_end].to_owned();
    let body_start = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_start.find(&end_marker).ok_or_else(bad)?;
    let body: String = body_start[..body_end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = STANDARD.decode(body).map_err(|_| bad())?;
    Ok((label, der))
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::{KeyPair, UnparsedPublicKey};

    use super::*;

    fn pem_of(label: &str, der: &[u8]) -> String {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            STANDARD.encode(der)
        )
    }

    fn parts(token: &str) -> (Value, String, Vec<u8>) {
        let mut it = token.rsplitn(2, '.');
        let sig = URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap();
        let input = it.next().unwrap().to_owned();
        let header = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        (header, input, sig)
    }

    #[test]
    fn hmac_signs_and_verifies() {
        let key = TemplateKey::parse("HS384", "shared-secret").unwrap();
        let token = key.sign(&Map::new());
        let (header, input, sig) = parts(&token);
        assert_eq!(header, json!({"alg": "HS384", "typ": "JWT"}));
        let k = hmac::Key::new(hmac::HMAC_SHA384, b"shared-secret");
        assert!(hmac::verify(&k, input.as_bytes(), &sig).is_ok());
    }

    #[test]
    fn ec_signs_and_verifies() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
                .unwrap();
        let key = TemplateKey::parse("ES256", &pem_of("PRIVATE KEY", pkcs8.as_ref())).unwrap();
        let (_, input, sig) = parts(&key.sign(&Map::new()));
        UnparsedPublicKey::new(
            &signature::ECDSA_P256_SHA256_FIXED,
            pair.public_key().as_ref(),
        )
        .verify(input.as_bytes(), &sig)
        .unwrap();
        assert!(TemplateKey::parse("ES384", &pem_of("PRIVATE KEY", pkcs8.as_ref())).is_err());
    }

    #[test]
    fn rsa_signs_and_verifies() {
        let pair = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let der = pair.as_der().unwrap();
        let key = TemplateKey::parse("RS512", &pem_of("PRIVATE KEY", der.as_ref())).unwrap();
        let (_, input, sig) = parts(&key.sign(&Map::new()));
        UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA512,
            pair.public_key().as_ref(),
        )
        .verify(input.as_bytes(), &sig)
        .unwrap();
        assert!(TemplateKey::parse("RS256", "not a pem").is_err());
        assert!(TemplateKey::parse("XS256", "k").is_err());
    }
}
