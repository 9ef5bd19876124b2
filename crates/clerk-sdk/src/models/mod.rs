//! Typed objects of the Backend API.
//!
//! Every model reads what the API sends today and what it may send tomorrow:
//! - fields the spec marks nullable or optional are `Option`s;
//! - fields this SDK does not know are kept in `extra` (serializing the model
//!   writes them back), so nothing the API sends is lost;
//! - enums have an `Other(String)` variant that keeps values added later;
//! - timestamps are `i64` Unix **milliseconds**, as on the wire;
//! - `object` (the type tag, e.g. `"user"`) is kept as a plain string;
//! - metadata is a JSON object ([`Metadata`]).
//!
//! Serializing a model writes every known field (absent ones as `null`) plus
//! `extra`.

use serde_json::{Map, Value};

/// Free-form metadata (`public_metadata`, `private_metadata`, ...): a JSON object.
///
/// ```
/// let mut metadata = clerk_sdk::Metadata::new();
/// metadata.insert("plan".into(), serde_json::json!("pro"));
/// ```
pub type Metadata = Map<String, Value>;

/// Defines a string enum that keeps unknown values in `Other(String)`, with
/// `as_str`, `Display`, `From<&str>`, `FromStr` and serde support. Each
/// variant's rustdoc is its wire value.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident => $value:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// ```
        #[doc = concat!("let value = clerk_sdk::", stringify!($name), "::from(\"added_later\");")]
        /// assert_eq!(value.as_str(), "added_later");
        #[doc = concat!("assert_eq!(value, clerk_sdk::", stringify!($name), "::Other(\"added_later\".into()));")]
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", $value, "`")]
                $variant,
            )+
            /// A value this version of the SDK does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as sent on the wire.
            ///
            /// ```
            #[doc = concat!("let value: clerk_sdk::", stringify!($name), " = \"added_later\".parse().unwrap();")]
            /// assert_eq!(value.as_str(), "added_later");
            /// ```
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

pub(crate) use string_enum;

mod allowlist_identifier;
mod api_key;
mod blocklist_identifier;
mod client;
mod deleted_object;
mod domain;
mod email;
mod email_address;
mod enterprise_account;
mod external_account;
mod instance;
mod invitation;
mod jwks;
mod jwt_template;
mod machine;
mod message_template;
mod oauth_application;
mod organization;
mod organization_domain;
mod organization_invitation;
mod passkey;
mod phone_number;
mod redirect_url;
mod role;
mod role_set;
mod session;
mod sign_up;
mod sms_message;
mod svix_url;
mod ticket;
mod token;
mod total_count;
mod trusted_device;
mod user;
mod verification;
mod waitlist_entry;
mod web3_wallet;

pub use allowlist_identifier::{AllowlistIdentifier, IdentifierType};
pub use api_key::{ApiKey, ApiKeySecret};
pub use blocklist_identifier::BlocklistIdentifier;
pub use client::Client;
pub use deleted_object::DeletedObject;
pub use domain::{Domain, ProxyCheck};
pub use email::Email;
pub use email_address::{EmailAddress, IdentificationLink};
pub use enterprise_account::{
    EnterpriseAccount, EnterpriseConnection, EnterpriseProtocol, SamlAccount, SamlConnection,
};
pub use external_account::ExternalAccount;
pub use instance::{
    InstanceCommunication, InstanceProtect, InstanceRestrictions, InstanceSettings,
    OAuthApplicationSettings, OrganizationSettings,
};
pub use invitation::{Invitation, InvitationStatus};
pub use jwks::{Jwk, Jwks, KeyType};
pub use jwt_template::JwtTemplate;
pub use machine::{M2mToken, M2mTokenList, Machine, MachineScope, MachineSecretKey, ScopedMachine};
pub use message_template::{MessageTemplate, MessageTemplateType, TemplatePreview};
pub use oauth_application::{
    IssuedOAuthAccessToken, OAuthAccessToken, OAuthApplication, OAuthTokenVerification,
};
pub use organization::{
    Organization, OrganizationMembership, OrganizationMembershipPublicUserData,
};
pub use organization_domain::{
    DomainEnrollmentMode, OrganizationDomain, OrganizationDomainVerification,
};
pub use organization_invitation::{
    InviterPublicData, OrganizationInvitation, OrganizationInvitationStatus, PublicOrganizationData,
};
pub use passkey::Passkey;
pub use phone_number::PhoneNumber;
pub use redirect_url::RedirectUrl;
pub use role::{OrganizationPermission, OrganizationRole};
pub use role_set::{RoleSet, RoleSetItem, RoleSetMigration, RoleSetType};
pub use session::{Session, SessionActivity, SessionStatus, SessionTask};
pub use sign_up::{SignUp, SignUpStatus};
pub use sms_message::SmsMessage;
pub use svix_url::SvixUrl;
pub use ticket::{ActorToken, SignInToken, TestingToken, TicketStatus};
pub use token::{SessionRefresh, Token};
pub use total_count::TotalCount;
pub use trusted_device::{TrustedDevice, TrustedDevicePlatform, TrustedDeviceStatus};
pub use user::{PasswordVerification, ScimUserMetadata, TotpCodeType, TotpVerification, User};
pub use verification::{
    CodeVerification, Verification, VerificationKind, VerificationStatus, VerificationStrategy,
};
pub use waitlist_entry::{WaitlistEntry, WaitlistEntryStatus};
pub use web3_wallet::Web3Wallet;

#[cfg(test)]
mod tests {
    string_enum! {
        /// A test enum.
        pub enum Color {
            Red => "red",
            DarkBlue => "dark_blue",
        }
    }

    #[test]
    fn string_enums_keep_unknown_values() {
        let colors: Vec<Color> =
            serde_json::from_str(r#"["red","dark_blue","ultraviolet"]"#).unwrap();
        assert_eq!(
            colors,
            [
                Color::Red,
                Color::DarkBlue,
                Color::Other("ultraviolet".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&colors).unwrap(),
            r#"["red","dark_blue","ultraviolet"]"#
        );
        assert_eq!(Color::DarkBlue.to_string(), "dark_blue");
        assert_eq!("red".parse::<Color>().unwrap(), Color::Red);
        assert!(serde_json::from_str::<Color>("3").is_err());
    }
}
