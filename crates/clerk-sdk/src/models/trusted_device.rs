//! Devices a user trusts: native apps' device keys.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// The platform of a trusted device.
    pub enum TrustedDevicePlatform {
        Ios => "ios",
        Android => "android",
    }
}

string_enum! {
    /// Whether a trusted device is still trusted.
    pub enum TrustedDeviceStatus {
        Active => "active",
        Revoked => "revoked",
    }
}

/// A device a user trusts (`object: "trusted_device"`): a native app's device key
/// (ES256) enrolled by the user. [`Users::list_trusted_devices`] lists the active ones;
/// [`Users::revoke_trusted_device`] revokes one.
///
/// [`Users::list_trusted_devices`]: crate::resources::Users::list_trusted_devices
/// [`Users::revoke_trusted_device`]: crate::resources::Users::revoke_trusted_device
///
/// ```
/// let device: clerk_sdk::TrustedDevice = serde_json::from_str(r#"{
///     "object": "trusted_device", "id": "td_1", "platform": "ios",
///     "app_identifier": "com.example.app", "name": null, "algorithm": "ES256",
///     "status": "active", "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(device.platform, clerk_sdk::TrustedDevicePlatform::Ios);
/// assert_eq!(device.status, clerk_sdk::TrustedDeviceStatus::Active);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrustedDevice {
    /// `"trusted_device"`.
    pub object: String,
    /// The ID.
    pub id: String,
    /// `ios` or `android`.
    pub platform: TrustedDevicePlatform,
    /// The app's bundle ID or package name.
    pub app_identifier: String,
    /// The device's name, if it has one.
    pub name: Option<String>,
    /// The key's algorithm (`ES256`).
    pub algorithm: String,
    /// Active or revoked.
    pub status: TrustedDeviceStatus,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// When it was last used (Unix ms).
    pub last_used_at: Option<i64>,
    /// When it was revoked (Unix ms).
    pub revoked_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
