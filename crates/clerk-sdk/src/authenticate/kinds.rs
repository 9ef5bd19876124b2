//! The token types and what authenticating each one yields.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::Value;

use super::scopes_claim;
use crate::verify::Claims;
use crate::{ApiKey, M2mToken, OAuthAccessToken};

/// The kinds of token Clerk issues, as `@clerk/backend` names them for `acceptsToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// A session token (a JWT from the browser's `__session` cookie or a header).
    SessionToken,
    /// A machine-to-machine token (`mt_…`, or a JWT whose `cat` is Clerk's M2M category).
    M2mToken,
    /// An API key (`ak_…`).
    ApiKey,
    /// An OAuth access token (`oat_…`, or a JWT with `typ: at+jwt`).
    OAuthToken,
}

impl TokenType {
    /// Every type.
    pub const ALL: [TokenType; 4] = [
        TokenType::SessionToken,
        TokenType::M2mToken,
        TokenType::ApiKey,
        TokenType::OAuthToken,
    ];

    /// What a token looks like: by its prefix (`mt_`/`m2m_`, `ak_`, `oat_`), else by its
    /// JWT header (`typ: at+jwt` is OAuth, Clerk's M2M `cat` is M2M), else a session token.
    /// Only a guess from the token's shape: authentication then checks it.
    ///
    /// ```
    /// use clerk_sdk::authenticate::TokenType;
    /// assert_eq!(TokenType::of("ak_123"), TokenType::ApiKey);
    /// assert_eq!(TokenType::of("mt_123"), TokenType::M2mToken);
    /// assert_eq!(TokenType::of("oat_123"), TokenType::OAuthToken);
    /// assert_eq!(TokenType::of("eyJhbGciOiJSUzI1NiJ9.e30.sig"), TokenType::SessionToken);
    /// ```
    #[must_use]
    pub fn of(token: &str) -> TokenType {
        if token.starts_with("mt_") || token.starts_with("m2m_") {
            return TokenType::M2mToken;
        }
        if token.starts_with("ak_") {
            return TokenType::ApiKey;
        }
        if token.starts_with("oat_") {
            return TokenType::OAuthToken;
        }
        #[derive(Deserialize)]
        struct Peek {
            typ: Option<String>,
            cat: Option<String>,
        }
        let peek = token
            .split('.')
            .next()
            .filter(|header| header.len() <= 1024)
            .and_then(|header| URL_SAFE_NO_PAD.decode(header).ok())
            .and_then(|bytes| serde_json::from_slice::<Peek>(&bytes).ok());
        match peek {
            Some(Peek { typ: Some(typ), .. })
                if typ.eq_ignore_ascii_case("at+jwt")
                    || typ.eq_ignore_ascii_case("application/at+jwt") =>
            {
                TokenType::OAuthToken
            }
            Some(Peek { cat: Some(cat), .. }) if cat == crate::verify::M2M_CATEGORY => {
                TokenType::M2mToken
            }
            _ => TokenType::SessionToken,
        }
    }

    /// `@clerk/backend`'s name: `session_token`, `m2m_token`, `api_key`, `oauth_token`.
    ///
    /// ```
    /// assert_eq!(clerk_sdk::authenticate::TokenType::ApiKey.as_str(), "api_key");
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::SessionToken => "session_token",
            TokenType::M2mToken => "m2m_token",
            TokenType::ApiKey => "api_key",
            TokenType::OAuthToken => "oauth_token",
        }
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an M2M or OAuth token is a JWT (three segments) rather than an opaque prefix token.
pub(super) fn is_jwt(token: &str) -> bool {
    token.bytes().filter(|b| *b == b'.').count() == 2
}

/// Who a request authenticated as.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Authenticated {
    /// A user's session: the verified session token's claims.
    Session(Box<Claims>),
    /// A machine, by an M2M token.
    Machine(MachineAuth),
    /// A user's or an organization's API key.
    ApiKey(ApiKeyAuth),
    /// A user, through an OAuth application's access token.
    OAuth(OAuthAuth),
}

impl Authenticated {
    /// Which kind of token authenticated.
    ///
    /// ```
    /// # fn run(who: clerk_sdk::authenticate::Authenticated) {
    /// println!("{}", who.token_type());
    /// # }
    /// ```
    #[must_use]
    pub fn token_type(&self) -> TokenType {
        match self {
            Authenticated::Session(_) => TokenType::SessionToken,
            Authenticated::Machine(_) => TokenType::M2mToken,
            Authenticated::ApiKey(_) => TokenType::ApiKey,
            Authenticated::OAuth(_) => TokenType::OAuthToken,
        }
    }
}

/// A machine authenticated by an M2M token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MachineAuth {
    /// The machine that holds the token (`mch_…`).
    pub machine_id: String,
    /// The token's ID (`mt_…`, or a JWT's `jti`).
    pub token_id: String,
    /// The machines it may call.
    pub scopes: Vec<String>,
    /// The custom claims it was minted with.
    pub claims: Option<Value>,
}

impl MachineAuth {
    pub(super) fn from_answer(token: M2mToken) -> Self {
        MachineAuth {
            machine_id: token.subject,
            token_id: token.id,
            scopes: token.scopes,
            claims: token.claims,
        }
    }

    pub(super) fn from_jwt(claims: Claims) -> Self {
        let scopes = scopes_claim(&claims, &["scopes", "scope"]);
        let custom: serde_json::Map<String, Value> = claims
            .extra
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "scopes" | "scope"))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        MachineAuth {
            machine_id: claims.sub,
            token_id: claims.jti.unwrap_or_default(),
            scopes,
            claims: (!custom.is_empty()).then_some(Value::Object(custom)),
        }
    }

    /// Whether the token allows calling `machine_id`.
    ///
    /// ```
    /// # fn run(m: clerk_sdk::authenticate::MachineAuth) {
    /// if !m.may_call("mch_billing") { /* 403 */ }
    /// # }
    /// ```
    #[must_use]
    pub fn may_call(&self, machine_id: &str) -> bool {
        self.scopes.iter().any(|s| s == machine_id)
    }
}

/// An API key that authenticated a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiKeyAuth {
    /// The key's ID.
    pub id: String,
    /// Whom it belongs to: a user (`user_…`) or an organization (`org_…`).
    pub subject: String,
    /// Its name.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// Its custom claims.
    pub claims: Option<Value>,
}

impl ApiKeyAuth {
    pub(super) fn from_answer(key: ApiKey) -> Self {
        ApiKeyAuth {
            id: key.id,
            subject: key.subject,
            name: key.name,
            scopes: key.scopes,
            claims: key.claims,
        }
    }

    /// The user the key belongs to, if a user's.
    ///
    /// ```
    /// # fn run(k: clerk_sdk::authenticate::ApiKeyAuth) {
    /// let owner = k.user_id().or(k.org_id());
    /// # }
    /// ```
    #[must_use]
    pub fn user_id(&self) -> Option<&str> {
        self.subject
            .starts_with("user_")
            .then_some(self.subject.as_str())
    }

    /// The organization the key belongs to, if an organization's.
    ///
    /// ```
    /// # fn run(k: clerk_sdk::authenticate::ApiKeyAuth) {
    /// let org = k.org_id();
    /// # }
    /// ```
    #[must_use]
    pub fn org_id(&self) -> Option<&str> {
        self.subject
            .starts_with("org_")
            .then_some(self.subject.as_str())
    }
}

/// A user authenticated through an OAuth application's access token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OAuthAuth {
    /// The token's ID (`oat_…`, or a JWT's `jti`).
    pub id: String,
    /// The user it acts for.
    pub user_id: String,
    /// The OAuth application's client ID.
    pub client_id: String,
    /// The scopes it grants.
    pub scopes: Vec<String>,
}

impl OAuthAuth {
    pub(super) fn from_answer(token: OAuthAccessToken) -> Self {
        OAuthAuth {
            id: token.id,
            user_id: token.subject,
            client_id: token.client_id,
            scopes: token.scopes,
        }
    }

    pub(super) fn from_jwt(claims: Claims) -> Self {
        let scopes = scopes_claim(&claims, &["scope", "scp", "scopes"]);
        let client_id = claims
            .extra
            .get("client_id")
            .and_then(Value::as_str)
            .or(claims.azp.as_deref())
            .unwrap_or_default()
            .to_owned();
        OAuthAuth {
            id: claims.jti.unwrap_or_default(),
            user_id: claims.sub,
            client_id,
            scopes,
        }
    }
}
