//! OAuth applications (the instance as an OAuth identity provider) and their access tokens.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// An OAuth application (`object: "oauth_application"`, ID prefix `oa_`). `client_secret`
/// is only in the answers of creation and rotation; `Debug` never shows it.
///
/// ```
/// let app: clerk_sdk::OAuthApplication = serde_json::from_str(r#"{
///     "object": "oauth_application", "id": "oa_1", "instance_id": "ins_1", "name": "Zapier",
///     "client_id": "abc", "client_uri": null, "client_image_url": null,
///     "dynamically_registered": false, "consent_screen_enabled": true, "pkce_required": false,
///     "public": false, "scopes": "profile email", "redirect_uris": ["https://z.example/cb"],
///     "callback_url": "https://z.example/cb", "authorize_url": "https://c.example/oauth/authorize",
///     "token_fetch_url": "https://c.example/oauth/token", "user_info_url": "https://c.example/oauth/userinfo",
///     "discovery_url": "https://c.example/.well-known/oauth-authorization-server",
///     "token_introspection_url": "https://c.example/oauth/token_info",
///     "client_secret": "s3cret", "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(app.scopes, "profile email");
/// assert!(!format!("{app:?}").contains("s3cret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OAuthApplication {
    /// `"oauth_application"`.
    pub object: String,
    /// The ID (`oa_...`).
    pub id: String,
    /// The instance's ID.
    pub instance_id: String,
    /// The application's name.
    pub name: String,
    /// The OAuth client ID.
    pub client_id: String,
    /// The client's home page.
    #[serde(default)]
    pub client_uri: Option<String>,
    /// The logo's URL.
    #[serde(default)]
    pub client_image_url: Option<String>,
    /// Whether it registered itself (RFC 7591).
    #[serde(default)]
    pub dynamically_registered: bool,
    /// Whether users see a consent screen.
    pub consent_screen_enabled: bool,
    /// Whether PKCE is required.
    pub pkce_required: bool,
    /// Whether it is a public client (no secret).
    pub public: bool,
    /// Its scopes, space-separated.
    pub scopes: String,
    /// Where users may be sent back.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// The first redirect URI (deprecated by Clerk).
    #[serde(default)]
    pub callback_url: String,
    /// The authorization endpoint.
    pub authorize_url: String,
    /// The token endpoint.
    pub token_fetch_url: String,
    /// The user-info endpoint.
    pub user_info_url: String,
    /// The discovery document.
    pub discovery_url: String,
    /// The token introspection endpoint.
    pub token_introspection_url: String,
    /// The client secret: only after creation and rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for OAuthApplication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthApplication")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("public", &self.public)
            .field("scopes", &self.scopes)
            .field("redirect_uris", &self.redirect_uris)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// A verified OAuth access token (`object: "clerk_idp_oauth_access_token"`, ID prefix
/// `oat_`).
///
/// ```
/// let token: clerk_sdk::OAuthAccessToken = serde_json::from_str(r#"{
///     "object": "clerk_idp_oauth_access_token", "id": "oat_1", "client_id": "abc",
///     "subject": "user_2x", "scopes": ["email"], "revoked": false, "revocation_reason": null,
///     "expired": false, "expiration": 3, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(token.subject, "user_2x");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OAuthAccessToken {
    /// `"clerk_idp_oauth_access_token"`.
    pub object: String,
    /// The ID (`oat_...`; a JWT's `jti`).
    pub id: String,
    /// The application's client ID.
    pub client_id: String,
    /// The user it acts for.
    pub subject: String,
    /// The scopes it grants.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Why it was revoked.
    #[serde(default)]
    pub revocation_reason: Option<String>,
    /// Whether it has expired.
    pub expired: bool,
    /// When it expires (Unix ms).
    #[serde(default)]
    pub expiration: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What verifying an OAuth access token answers: the token, or `{"active": false}` for a
/// JWT access token that expired or was revoked.
///
/// ```
/// let inactive: clerk_sdk::OAuthTokenVerification = serde_json::from_str(r#"{"active": false}"#)?;
/// assert_eq!(inactive, clerk_sdk::OAuthTokenVerification::Inactive);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum OAuthTokenVerification {
    /// A valid token.
    Active(Box<OAuthAccessToken>),
    /// A JWT access token that is no longer active.
    Inactive,
}

impl Serialize for OAuthTokenVerification {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Active(token) => token.serialize(serializer),
            Self::Inactive => serde_json::json!({"active": false}).serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for OAuthTokenVerification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.get("active") == Some(&Value::Bool(false)) {
            return Ok(Self::Inactive);
        }
        serde_json::from_value(value)
            .map(|token| Self::Active(Box::new(token)))
            .map_err(serde::de::Error::custom)
    }
}

/// An access token this server issued from `POST /v1/_local/oauth_applications/{id}/access_tokens`
/// (local; Clerk issues them through the OAuth flow). `Debug` never shows the token.
///
/// ```
/// let issued: clerk_sdk::IssuedOAuthAccessToken = serde_json::from_str(r#"{
///     "object": "oauth_access_token", "id": "oat_1", "token": "oat_xyz", "format": "opaque",
///     "client_id": "abc", "subject": "user_2x", "scopes": ["email"], "expiration": 3,
///     "created_at": 1
/// }"#)?;
/// assert_eq!(issued.token, "oat_xyz");
/// assert!(!format!("{issued:?}").contains("oat_xyz"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IssuedOAuthAccessToken {
    /// `"oauth_access_token"`.
    pub object: String,
    /// The ID (`oat_...`).
    pub id: String,
    /// The token: opaque (`oat_...`) or a JWT (`typ: at+jwt`).
    pub token: String,
    /// `opaque` or `jwt`.
    pub format: String,
    /// The application's client ID.
    pub client_id: String,
    /// The user it acts for.
    pub subject: String,
    /// The scopes it grants.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// When it expires (Unix ms).
    #[serde(default)]
    pub expiration: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for IssuedOAuthAccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedOAuthAccessToken")
            .field("id", &self.id)
            .field("token", &"[redacted]")
            .field("format", &self.format)
            .field("subject", &self.subject)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}
