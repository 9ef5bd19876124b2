//! Web3 wallets of users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Verification;

/// A web3 wallet of a user (`object: "web3_wallet"`).
///
/// ```
/// let wallet: clerk_sdk::Web3Wallet = serde_json::from_str(r#"{
///     "object": "web3_wallet", "web3_wallet": "0x0123", "verification": null,
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(wallet.web3_wallet, "0x0123");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Web3Wallet {
    /// The ID. Optional in the spec, present in practice.
    pub id: Option<String>,
    /// `"web3_wallet"`.
    pub object: String,
    /// The wallet address.
    pub web3_wallet: String,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
