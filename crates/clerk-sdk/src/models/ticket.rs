//! Sign-in tokens, actor tokens and testing tokens.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Where a sign-in or actor token is: waiting to be used, used, or revoked.
    pub enum TicketStatus {
        Pending => "pending",
        Accepted => "accepted",
        Revoked => "revoked",
    }
}

/// A sign-in token (`object: "sign_in_token"`, ID prefix `sit_`): a single-use ticket that
/// signs its user in without credentials.
///
/// ```
/// let token: clerk_sdk::SignInToken = serde_json::from_str(r#"{
///     "object": "sign_in_token", "id": "sit_1", "user_id": "user_1", "status": "pending",
///     "token": "eyJ.x.y", "url": "https://example.com/sign-in?__clerk_ticket=eyJ.x.y",
///     "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(token.status, clerk_sdk::TicketStatus::Pending);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignInToken {
    /// `"sign_in_token"`.
    pub object: String,
    /// The ID (`sit_...`).
    pub id: String,
    /// The user it signs in.
    pub user_id: String,
    /// Pending, accepted or revoked.
    pub status: TicketStatus,
    /// The ticket itself (a credential: `Debug` leaves it out).
    pub token: Option<String>,
    /// A link that redeems the ticket (`__clerk_ticket=`).
    pub url: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for SignInToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// An actor token (`object: "actor_token"`, ID prefix `act_`): a single-use ticket whose
/// session impersonates `user_id`; that session's tokens carry `act` (the `actor`).
///
/// ```
/// let token: clerk_sdk::ActorToken = serde_json::from_str(r#"{
///     "object": "actor_token", "id": "act_1", "user_id": "user_1", "status": "pending",
///     "actor": {"sub": "user_admin"}, "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(token.actor["sub"], "user_admin");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActorToken {
    /// `"actor_token"`.
    pub object: String,
    /// The ID (`act_...`).
    pub id: String,
    /// The user being impersonated.
    pub user_id: String,
    /// Who impersonates (at least `sub`), as sent.
    pub actor: Map<String, Value>,
    /// Pending, accepted or revoked.
    pub status: TicketStatus,
    /// The ticket itself (a credential: `Debug` leaves it out).
    pub token: Option<String>,
    /// A link that redeems the ticket.
    pub url: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for ActorToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActorToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("actor", &self.actor)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A testing token (`object: "testing_token"`): pass it as `__clerk_testing_token` to the
/// Frontend API to skip bot protection in tests.
///
/// ```
/// let token: clerk_sdk::TestingToken = serde_json::from_str(
///     r#"{"object": "testing_token", "token": "1713877200-c_2J", "expires_at": 1713880800}"#,
/// )?;
/// assert_eq!(token.expires_at, 1713880800);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TestingToken {
    /// `"testing_token"`.
    pub object: Option<String>,
    /// The token (a credential: `Debug` leaves it out).
    pub token: String,
    /// When it expires (Unix seconds).
    pub expires_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for TestingToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestingToken")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
