//! JSON Web Key Sets.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// The key type of a JWK (`kty`).
    pub enum KeyType {
        Rsa => "RSA",
        Ec => "EC",
        Okp => "OKP",
        Octet => "oct",
    }
}

/// A JSON Web Key Set: the public keys that sign session tokens.
///
/// ```
/// let jwks: clerk_sdk::Jwks = serde_json::from_str(r#"{"keys":[
///     {"use":"sig","kty":"RSA","kid":"ins_1","alg":"RS256","n":"sXch","e":"AQAB"}
/// ]}"#)?;
/// assert_eq!(jwks.find("ins_1").unwrap().e.as_deref(), Some("AQAB"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Jwks {
    /// The keys.
    #[serde(default)]
    pub keys: Vec<Jwk>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Jwks {
    /// The key with this `kid`.
    ///
    /// ```
    /// let jwks: clerk_sdk::Jwks = serde_json::from_str(r#"{"keys":[]}"#)?;
    /// assert!(jwks.find("ins_1").is_none());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|key| key.kid == kid)
    }
}

/// One JSON Web Key. The spec's `oneOf` (RSA, EC, Ed25519 public and private
/// keys, symmetric keys) is read into this one struct; the fields a key type
/// does not use are `None`. `Debug` never prints private key material
/// (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`).
///
/// ```
/// let key: clerk_sdk::Jwk = serde_json::from_str(
///     r#"{"use":"sig","kty":"RSA","kid":"ins_1","alg":"RS256","n":"sXch","e":"AQAB"}"#,
/// )?;
/// assert_eq!(key.kty, clerk_sdk::KeyType::Rsa);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Jwk {
    /// Key ID; Clerk uses the instance ID (`ins_...`).
    pub kid: String,
    /// Algorithm, e.g. `RS256`.
    pub alg: String,
    /// Intended use (`sig`), `use` on the wire.
    #[serde(rename = "use")]
    pub key_use: String,
    /// Key type.
    pub kty: KeyType,
    /// RSA modulus (base64url).
    pub n: Option<String>,
    /// RSA public exponent (base64url).
    pub e: Option<String>,
    /// Curve (EC and OKP keys).
    pub crv: Option<String>,
    /// Public x coordinate (EC and OKP keys).
    pub x: Option<String>,
    /// Public y coordinate (EC keys).
    pub y: Option<String>,
    /// Private exponent or scalar (private keys).
    pub d: Option<String>,
    /// First prime factor (RSA private keys).
    pub p: Option<String>,
    /// Second prime factor (RSA private keys).
    pub q: Option<String>,
    /// First factor CRT exponent (RSA private keys).
    pub dp: Option<String>,
    /// Second factor CRT exponent (RSA private keys).
    pub dq: Option<String>,
    /// First CRT coefficient (RSA private keys).
    pub qi: Option<String>,
    /// Symmetric key value (`oct` keys).
    pub k: Option<String>,
    /// X.509 certificate chain.
    pub x5c: Option<Vec<String>>,
    /// X.509 certificate SHA-1 thumbprint.
    pub x5t: Option<String>,
    /// X.509 certificate SHA-256 thumbprint (`x5t#S256` on the wire).
    #[serde(rename = "x5t#S256")]
    pub x5t_s256: Option<String>,
    /// X.509 URL.
    pub x5u: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = |value: &Option<String>| value.as_ref().map(|_| "(redacted)");
        f.debug_struct("Jwk")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("use", &self.key_use)
            .field("kty", &self.kty)
            .field("n", &self.n)
            .field("e", &self.e)
            .field("crv", &self.crv)
            .field("x", &self.x)
            .field("y", &self.y)
            .field("d", &secret(&self.d))
            .field("p", &secret(&self.p))
            .field("q", &secret(&self.q))
            .field("dp", &secret(&self.dp))
            .field("dq", &secret(&self.dq))
            .field("qi", &secret(&self.qi))
            .field("k", &secret(&self.k))
            .field("x5c", &self.x5c)
            .field("x5t", &self.x5t)
            .field("x5t#S256", &self.x5t_s256)
            .field("x5u", &self.x5u)
            .field("extra", &self.extra)
            .finish()
    }
}
