//! Why a domain operation did not happen, in Clerk's vocabulary but without HTTP: a broken
//! rule carries Clerk's error code, messages and the request parameter it is about, and a
//! [`RuleKind`] that the web layer turns into a status.

use serde_json::Value;

use super::password::PasswordWorkError;
use crate::store::StoreError;

/// A domain failure.
#[derive(Debug)]
pub(crate) enum Error {
    /// Storage failed or refused (not found, a taken unique value, the database).
    Store(StoreError),
    /// One of Clerk's rules was broken.
    Rule(Rule),
    /// Password work could not be done now.
    Password(PasswordWorkError),
    /// Something the server itself got wrong (a signing key it cannot read): logged, and
    /// answered as Clerk's internal error.
    Internal(String),
}

/// Domain results.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of refusal a broken rule is (the web layer maps it to a status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleKind {
    /// A request parameter has a value the rule does not accept (Clerk's `form_*` codes).
    InvalidInput,
    /// The request is refused as a whole in the current state (a locked user, an
    /// unverified identification asked to be a second factor).
    Refused,
    /// The request is well formed but breaks a rule of the stored state (the last manager
    /// of an organization cannot leave it).
    Unprocessable,
    /// A limit or a disabled feature forbids it (a membership quota).
    Forbidden,
    /// Something the request names does not exist (a role by key).
    NotFound,
    /// It is already so (a permission already assigned).
    Conflict,
    /// The request carries too much (an image over its size limit).
    TooLarge,
    /// What authenticates the request no longer does (a browser's session that ended).
    Unauthorized,
}

/// A broken rule, as Clerk reports it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    pub kind: RuleKind,
    pub code: &'static str,
    pub message: String,
    pub long_message: String,
    /// The request parameter the rule is about (`meta.param_name`).
    pub param: Option<String>,
    /// Further `meta` entries.
    pub meta: Vec<(&'static str, Value)>,
}

impl Rule {
    /// A parameter's value breaks a rule: `code` is Clerk's (`form_…`).
    pub(crate) fn input(
        code: &'static str,
        param: &str,
        message: &str,
        long_message: impl Into<String>,
    ) -> Self {
        Self {
            kind: RuleKind::InvalidInput,
            code,
            message: message.to_owned(),
            long_message: long_message.into(),
            param: Some(param.to_owned()),
            meta: Vec::new(),
        }
    }

    /// `form_param_value_invalid` for `param`.
    pub(crate) fn value_invalid(param: &str, long_message: impl Into<String>) -> Self {
        Self::input(
            "form_param_value_invalid",
            param,
            "is invalid",
            long_message,
        )
    }

    /// `form_param_format_invalid` for `param`.
    pub(crate) fn format_invalid(param: &str, long_message: impl Into<String>) -> Self {
        Self::input(
            "form_param_format_invalid",
            param,
            "is invalid",
            long_message,
        )
    }

    /// The request is refused in the current state.
    pub(crate) fn refused(
        code: &'static str,
        message: &str,
        long_message: impl Into<String>,
    ) -> Self {
        Self {
            kind: RuleKind::Refused,
            code,
            message: message.to_owned(),
            long_message: long_message.into(),
            param: None,
            meta: Vec::new(),
        }
    }

    /// The same rule, refused as another kind (and so answered with another status).
    pub(crate) fn with_kind(mut self, kind: RuleKind) -> Self {
        self.kind = kind;
        self
    }

    /// Names the request parameter the rule is about.
    pub(crate) fn with_param(mut self, param: &str) -> Self {
        self.param = Some(param.to_owned());
        self
    }

    /// Adds a `meta` entry.
    pub(crate) fn with_meta(mut self, key: &'static str, value: Value) -> Self {
        self.meta.push((key, value));
        self
    }

    /// `user_locked`, with `meta.lockout_expires_in_seconds` (`null`: until unlocked).
    pub(crate) fn user_locked(expires_in_s: Option<i64>) -> Self {
        let long = match expires_in_s {
            Some(s) => format!(
                "This account is locked for {s} more seconds after too many failed attempts, or by an administrator."
            ),
            None => "This account is locked until an administrator unlocks it.".to_owned(),
        };
        Self::refused("user_locked", "Account locked", long).with_meta(
            "lockout_expires_in_seconds",
            expires_in_s.map_or(Value::Null, Value::from),
        )
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Store(err) => write!(f, "{err}"),
            Self::Rule(rule) => write!(f, "{}: {}", rule.code, rule.long_message),
            Self::Password(err) => write!(f, "password work: {err:?}"),
            Self::Internal(detail) => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        Self::Store(err)
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(err))
    }
}

impl From<Rule> for Error {
    fn from(rule: Rule) -> Self {
        Self::Rule(rule)
    }
}

impl From<PasswordWorkError> for Error {
    fn from(err: PasswordWorkError) -> Self {
        Self::Password(err)
    }
}
