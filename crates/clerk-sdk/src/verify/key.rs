//! RSA public keys, parsed once: from a PEM (`CLERK_JWT_KEY`, in any of the shapes Clerk's
//! dashboard and `.env` files produce) or from a JWKS document.

use std::fmt;

use aws_lc_rs::signature::{self, ParsedPublicKey, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde::Deserialize;

use super::error::{ConfigError, Reason, VerifyError};

/// RS256 with a 2048- to 8192-bit modulus: what Clerk signs session tokens with.
static RS256: &signature::RsaParameters = &signature::RSA_PKCS1_2048_8192_SHA256;

const MIN_MODULUS_BITS: usize = 2048;
const MAX_MODULUS_BITS: usize = 8192;
/// Public exponents are small (65537 in practice); a huge one only costs verification time.
const MAX_EXPONENT_BYTES: usize = 8;
/// More keys than any real JWKS holds; the rest of a larger document is ignored.
pub(crate) const MAX_JWKS_KEYS: usize = 64;

/// Base64 for PEM bodies and JWK members: tolerant of padding, which some encoders emit.
const STANDARD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    general_purpose::NO_PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// An RSA public key ready to check RS256 signatures, with the `kid` it was published under.
pub(crate) struct VerifyingKey {
    kid: Option<String>,
    modulus_bits: usize,
    key: ParsedPublicKey,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &self.kid)
            .field("modulus_bits", &self.modulus_bits)
            .finish()
    }
}

impl VerifyingKey {
    /// The `kid` this key was published under (JWKS keys only).
    pub(crate) fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Checks an RS256 signature over `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        self.key
            .verify_sig(message, signature)
            .map_err(|_| VerifyError::new(Reason::SignatureInvalid))
    }

    /// Parses a PEM public key: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`),
    /// with or without its header lines, on one line or many, with real or `\n`-escaped line
    /// breaks, optionally wrapped in quotes.
    pub(crate) fn from_pem(pem: &str) -> Result<VerifyingKey, ConfigError> {
        let der = pem_to_der(pem)?;
        let public = aws_lc_rs::rsa::PublicKey::from_der(&der).map_err(|_| {
            ConfigError::new("the PEM key is not an RSA public key (SPKI or PKCS#1)")
        })?;
        let key = from_components(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        )
        .map_err(|e| ConfigError::new(format!("the PEM key is not usable: {e}")))?;
        Ok(VerifyingKey { kid: None, ..key })
    }
}

/// Strips everything that is not the base64 body, then decodes it.
fn pem_to_der(pem: &str) -> Result<Vec<u8>, ConfigError> {
    // `.env` files and some dashboards escape line breaks.
    let unescaped = pem.replace("\\r", "").replace("\\n", "\n");
    let mut body = unescaped
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_owned();
    while let Some(start) = body.find("-----") {
        let after = start + 5;
        let Some(len) = body[after..].find("-----") else {
            return Err(ConfigError::new(
                "the PEM key has an unterminated `-----` marker",
            ));
        };
        let label = &body[after..after + len];
        if label.contains("PRIVATE") {
            return Err(ConfigError::new(
                "the PEM is a private key; the verifier needs the instance's public key (CLERK_JWT_KEY)",
            ));
        }
        body.replace_range(start..after + len + 5, "");
    }
    body.retain(|c| !c.is_ascii_whitespace());
    if body.is_empty() {
        return Err(ConfigError::new("the PEM key is empty"));
    }
    STANDARD_ANY_PAD
        .decode(body.as_bytes())
        .map_err(|_| ConfigError::new("the PEM key is not valid base64"))
}

/// Builds a parsed key from big-endian modulus and exponent, enforcing sane sizes.
fn from_components(n: &[u8], e: &[u8]) -> Result<VerifyingKey, String> {
    let n = strip_leading_zeros(n);
    let e = strip_leading_zeros(e);
    let modulus_bits = bit_len(n);
    if !(MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&modulus_bits) {
        return Err(format!(
            "RSA modulus of {modulus_bits} bits (need {MIN_MODULUS_BITS} to {MAX_MODULUS_BITS})"
        ));
    }
    if e.is_empty() || e.len() > MAX_EXPONENT_BYTES || e[e.len() - 1] & 1 == 0 || e == [1] {
        return Err("RSA public exponent is not a small odd number above 1".to_owned());
    }
    let key = RsaPublicKeyComponents { n, e }
        .to_parsed_public_key(RS256)
        .map_err(|_| "RSA key rejected by the crypto library".to_owned())?;
    Ok(VerifyingKey {
        kid: None,
        modulus_bits,
        key,
    })
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

fn bit_len(big_endian: &[u8]) -> usize {
    match big_endian.first() {
        None => 0,
        Some(&top) => (big_endian.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

#[derive(Deserialize)]
struct JwksDocument {
    keys: Vec<serde_json::Value>,
}

/// One JWK, as far as RS256 verification reads it.
#[derive(Deserialize)]
struct Jwk {
    kty: Option<String>,
    kid: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

/// Parses a JWKS document into the RS256 signing keys it publishes.
///
/// Keys of other types or uses, keys without a `kid`, and individual keys that do not parse
/// are skipped (and logged): one bad entry must not take the others down. A document with
/// no usable key at all is an error, so that a broken response never replaces good keys.
pub(crate) fn parse_jwks(body: &[u8]) -> Result<Vec<VerifyingKey>, String> {
    let doc: JwksDocument =
        serde_json::from_slice(body).map_err(|e| format!("the JWKS is not valid JSON: {e}"))?;
    let mut keys: Vec<VerifyingKey> = Vec::new();
    for value in doc.keys.into_iter().take(MAX_JWKS_KEYS) {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
            tracing::debug!("skipping a JWKS entry that is not a JWK object");
            continue;
        };
        match jwk_to_key(jwk) {
            Ok(Some(key)) => {
                if keys.iter().any(|k| k.kid == key.kid) {
                    tracing::warn!(kid = key.kid(), "JWKS lists a kid twice; keeping the first");
                } else {
                    keys.push(key);
                }
            }
            Ok(None) => {}
            Err(problem) => tracing::warn!(%problem, "skipping an unusable JWKS key"),
        }
    }
    if keys.is_empty() {
        return Err("the JWKS has no usable RS256 key".to_owned());
    }
    Ok(keys)
}

/// `Ok(None)` for keys that are not RS256 signing keys (skipped silently).
fn jwk_to_key(jwk: Jwk) -> Result<Option<VerifyingKey>, String> {
    if jwk.kty.as_deref() != Some("RSA")
        || jwk.use_.as_deref().is_some_and(|u| u != "sig")
        || jwk.alg.as_deref().is_some_and(|a| a != "RS256")
    {
        return Ok(None);
    }
    let kid = jwk.kid.ok_or("an RSA key without kid")?;
    let decode = |member: Option<String>, name: &str| {
        let text = member.ok_or_else(|| format!("key {kid:?} has no `{name}`"))?;
        URL_SAFE_ANY_PAD
            .decode(text.as_bytes())
            .map_err(|_| format!("key {kid:?} has a `{name}` that is not base64url"))
    };
    let n = decode(jwk.n, "n")?;
    let e = decode(jwk.e, "e")?;
    let key = from_components(&n, &e).map_err(|problem| format!("key {kid:?}: {problem}"))?;
    Ok(Some(VerifyingKey {
        kid: Some(kid),
        ..key
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    fn keypair() -> KeyPair {
        KeyPair::generate(KeySize::Rsa2048).unwrap()
    }

    fn spki_b64(kp: &KeyPair) -> String {
        STANDARD.encode(kp.public_key().as_der().unwrap().as_ref())
    }

    fn sign(kp: &KeyPair, msg: &[u8]) -> Vec<u8> {
        let mut sig = vec![0; kp.public_modulus_len()];
        kp.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            msg,
            &mut sig,
        )
        .unwrap();
        sig
    }

    #[test]
    fn pem_in_every_shape_parses_and_verifies() {
        let kp = keypair();
        let body = spki_b64(&kp);
        let wrapped: String = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        let pkcs1 = STANDARD.encode(kp.public_key().as_ref());
        let shapes = [
            format!("-----BEGIN PUBLIC KEY-----\n{wrapped}\n-----END PUBLIC KEY-----\n"),
            format!(
                "-----BEGIN PUBLIC KEY-----\r\n{}\r\n-----END PUBLIC KEY-----",
                wrapped.replace('\n', "\r\n")
            ),
            format!(
                "-----BEGIN PUBLIC KEY-----\\n{}\\n-----END PUBLIC KEY-----",
                wrapped.replace('\n', "\\n")
            ),
            format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----"),
            format!("\"-----BEGIN PUBLIC KEY-----\\n{body}\\n-----END PUBLIC KEY-----\""),
            body.clone(),
            wrapped.clone(),
            format!("  {body}  \n"),
            format!("-----BEGIN RSA PUBLIC KEY-----\n{pkcs1}\n-----END RSA PUBLIC KEY-----"),
        ];
        let sig = sign(&kp, b"message");
        for shape in shapes {
            let key = VerifyingKey::from_pem(&shape).unwrap_or_else(|e| panic!("{shape}: {e}"));
            assert_eq!(key.modulus_bits, 2048);
            key.verify(b"message", &sig).unwrap();
            assert_eq!(
                key.verify(b"massage", &sig).unwrap_err().reason(),
                Reason::SignatureInvalid
            );
        }
    }

    #[test]
    fn bad_pems_are_config_errors() {
        for bad in [
            "",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY",
            "not base64 !!",
            "AAAA",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        ] {
            assert!(VerifyingKey::from_pem(bad).is_err(), "{bad}");
        }
        let err = VerifyingKey::from_pem(
            "-----BEGIN RSA PRIVATE KEY-----\nSECRETSTUFF\n-----END RSA PRIVATE KEY-----",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("private key"), "{err}");
        assert!(!err.contains("SECRETSTUFF"));
    }

    #[test]
    fn small_rsa_keys_are_refused() {
        let n = [0xC5u8; 128]; // 1024 bits
        assert!(
            from_components(&n, &[1, 0, 1])
                .unwrap_err()
                .contains("1024 bits")
        );
        let n = [0xC5u8; 256];
        assert!(from_components(&n, &[2]).is_err());
        assert!(from_components(&n, &[1]).is_err());
        assert!(from_components(&n, &[]).is_err());
    }

    fn jwk(kp: &KeyPair, kid: &str) -> serde_json::Value {
        let public = kp.public_key();
        serde_json::json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        })
    }

    #[test]
    fn jwks_keeps_usable_rs256_keys_only() {
        let kp = keypair();
        let mut padded = jwk(&kp, "padded");
        let mut n = vec![0u8];
        n.extend_from_slice(kp.public_key().modulus().big_endian_without_leading_zero());
        padded["n"] = URL_SAFE_NO_PAD.encode(&n).into();
        padded["e"] = "AQAB".into();
        let mut enc = jwk(&kp, "enc");
        enc["use"] = "enc".into();
        let mut small = jwk(&kp, "small");
        small["n"] = URL_SAFE_NO_PAD.encode([0xC5u8; 128]).into();
        let mut nokid = jwk(&kp, "x");
        nokid.as_object_mut().unwrap().remove("kid");
        let doc = serde_json::json!({"keys": [
            jwk(&kp, "a"), jwk(&kp, "a"), padded, enc, small, nokid, 5,
            {"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"},
            {"kty":"RSA","kid":"bad","n":"!!","e":"AQAB"},
        ]});
        let keys = parse_jwks(doc.to_string().as_bytes()).unwrap();
        let kids: Vec<_> = keys.iter().map(|k| k.kid().unwrap()).collect();
        assert_eq!(kids, ["a", "padded"]);
        let sig = sign(&kp, b"m");
        for key in &keys {
            key.verify(b"m", &sig).unwrap();
        }
    }

    #[test]
    fn jwks_without_usable_keys_is_an_error() {
        for body in [
            &b"{}"[..],
            b"{\"keys\":[]}",
            b"[]",
            b"not json",
            b"{\"keys\":[{\"kty\":\"oct\"}]}",
        ] {
            assert!(parse_jwks(body).is_err());
        }
    }
}
