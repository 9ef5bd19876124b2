//! The bodies of `POST /v1/users` and `PATCH /v1/users/{id}`, read into what the domain
//! creates or changes: every field checked and normalised, with Clerk's error naming it.

use clerk_core::Patch;
use serde_json::{Map, Value};

use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::params::{accept_bool, rfc3339_field};
use crate::domain::identifiers::{IdentifierKind, normalize_username};
use crate::domain::metadata;
use crate::domain::password::{self, PasswordDigest, PasswordPool};
use crate::domain::users::{NewIdentifier, NewUser, UserChanges};
use crate::secret::Secret;

pub(super) async fn new_user(
    body: &JsonBody,
    passwords: &PasswordPool,
) -> Result<NewUser, ApiError> {
    for ignored in [
        "skip_password_requirement",
        "skip_legal_checks",
        "skip_user_requirement",
    ] {
        accept_bool(body, ignored)?;
    }
    let username = match body.string("username")? {
        Some(name) if !name.trim().is_empty() => Some(normalize_username("username", &name)?),
        _ => None,
    };
    Ok(NewUser {
        external_id: body.string("external_id")?.filter(|s| !s.is_empty()),
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        locale: locale(body)?.into_set(),
        username,
        email_addresses: identifiers(
            body,
            IdentifierKind::EmailAddress,
            Some("email_address_identification_status"),
        )?,
        phone_numbers: identifiers(
            body,
            IdentifierKind::PhoneNumber,
            Some("phone_number_identification_status"),
        )?,
        web3_wallets: identifiers(body, IdentifierKind::Web3Wallet, None)?,
        password: password(body, passwords).await?,
        public_metadata: metadata_field(body, "public_metadata")?.unwrap_or_default(),
        private_metadata: metadata_field(body, "private_metadata")?.unwrap_or_default(),
        unsafe_metadata: metadata_field(body, "unsafe_metadata")?.unwrap_or_default(),
        totp_secret: totp_secret(body)?,
        backup_codes: backup_codes(body)?,
        delete_self_enabled: body.bool("delete_self_enabled")?.unwrap_or(true),
        create_organization_enabled: body.bool("create_organization_enabled")?.unwrap_or(true),
        create_organizations_limit: organizations_limit(body)?.into_set(),
        legal_accepted_at: rfc3339_field(body, "legal_accepted_at")?.into_set(),
        created_at: rfc3339_field(body, "created_at")?.into_set(),
        bypass_client_trust: body.bool("bypass_client_trust")?.unwrap_or(false),
        banned: body.bool("banned")?.unwrap_or(false),
        locked: body.bool("locked")?.unwrap_or(false),
    })
}

pub(super) async fn user_changes(
    body: &JsonBody,
    passwords: &PasswordPool,
) -> Result<UserChanges, ApiError> {
    accept_bool(body, "skip_legal_checks")?;
    // There are no images on this server: the id is type-checked and otherwise ignored.
    body.string("profile_image_id")?;
    let username = match body.patch_string("username")? {
        Patch::Set(name) if name.trim().is_empty() => Patch::Null,
        Patch::Set(name) => Patch::Set(normalize_username("username", &name)?),
        other => other,
    };
    let metadata = |name: &str| -> Result<Option<Map<String, Value>>, ApiError> {
        Ok(match body.patch_object(name)? {
            Patch::Unchanged => None,
            Patch::Null => Some(Map::new()),
            Patch::Set(map) => {
                metadata::check_size(name, &map)?;
                Some(map)
            }
        })
    };
    Ok(UserChanges {
        external_id: blank_is_null(body.patch_string("external_id")?),
        first_name: blank_is_null(body.patch_string("first_name")?),
        last_name: blank_is_null(body.patch_string("last_name")?),
        locale: locale(body)?,
        username,
        primary_email_address_id: body.string("primary_email_address_id")?,
        primary_phone_number_id: body.string("primary_phone_number_id")?,
        primary_web3_wallet_id: body.string("primary_web3_wallet_id")?,
        password: password(body, passwords).await?,
        sign_out_of_other_sessions: body.bool("sign_out_of_other_sessions")?.unwrap_or(false),
        totp_secret: totp_secret(body)?,
        backup_codes: backup_codes(body)?,
        public_metadata: metadata("public_metadata")?,
        private_metadata: metadata("private_metadata")?,
        unsafe_metadata: metadata("unsafe_metadata")?,
        delete_self_enabled: body.bool("delete_self_enabled")?,
        create_organization_enabled: body.bool("create_organization_enabled")?,
        create_organizations_limit: organizations_limit(body)?,
        legal_accepted_at: rfc3339_field(body, "legal_accepted_at")?,
        created_at: rfc3339_field(body, "created_at")?.into_set(),
        bypass_client_trust: body.bool("bypass_client_trust")?,
        notify_primary_email_address_changed: body
            .bool("notify_primary_email_address_changed")?
            .unwrap_or(false),
    })
}

fn blank_is_null(patch: Patch<String>) -> Patch<String> {
    match patch {
        Patch::Set(s) if s.is_empty() => Patch::Null,
        other => other,
    }
}

/// `email_address`/`phone_number`/`web3_wallet` with their optional parallel status array.
fn identifiers(
    body: &JsonBody,
    kind: IdentifierKind,
    status_param: Option<&str>,
) -> Result<Vec<NewIdentifier>, ApiError> {
    let param = kind.as_str();
    let values = body.string_array(param)?.unwrap_or_default();
    let statuses = match status_param {
        Some(name) => body.string_array(name)?.unwrap_or_default(),
        None => Vec::new(),
    };
    if let Some(name) = status_param {
        if !statuses.is_empty() && statuses.len() != values.len() {
            return Err(ApiError::form(
                "form_param_array_length_mismatch",
                name,
                "length mismatch",
                format!("{name} must contain exactly one item for each item in {param}."),
            ));
        }
    }
    values
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let reserved = match statuses.get(i).map(String::as_str) {
                None | Some("verified") => false,
                Some("reserved") => true,
                Some(other) => {
                    let name = status_param.unwrap_or(param);
                    return Err(ApiError::param_value_invalid(
                        name,
                        format!("{other} does not match the allowed values for parameter {name}. Allowed values: verified, reserved"),
                    ));
                }
            };
            Ok(NewIdentifier {
                value: kind.normalize(param, raw)?,
                verified: !reserved,
                reserved,
            })
        })
        .collect()
}

/// A metadata object of a new user, within Clerk's size limit.
fn metadata_field(body: &JsonBody, name: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    let value = body.object(name)?;
    if let Some(map) = &value {
        metadata::check_size(name, map)?;
    }
    Ok(value)
}

/// `password`, or `password_digest` with `password_hasher`.
async fn password(
    body: &JsonBody,
    passwords: &PasswordPool,
) -> Result<Option<PasswordDigest>, ApiError> {
    let skip_checks = body.bool("skip_password_checks")?.unwrap_or(false);
    let plain = body.string("password")?;
    let digest = body.string("password_digest")?;
    let hasher = body.string("password_hasher")?;
    match (plain, digest, hasher) {
        (Some(_), Some(_), _) => Err(ApiError::form(
            "form_conditional_param_disallowed",
            "password_digest",
            "is not allowed",
            "`password_digest` isn't allowed when `password` is present.",
        )),
        (Some(plain), None, _) => {
            password::check_policy("password", &plain, skip_checks)?;
            Ok(Some(passwords.hash(Secret::new(plain)).await?))
        }
        (None, Some(digest), Some(hasher)) => Ok(Some(password::import(&digest, &hasher)?)),
        (None, Some(_), None) => Err(ApiError::form(
            "form_conditional_param_missing",
            "password_hasher",
            "is missing",
            "`password_hasher` is required when `password_digest` is present.",
        )),
        (None, None, Some(_)) => Err(ApiError::form(
            "form_conditional_param_missing",
            "password_digest",
            "is missing",
            "`password_digest` is required when `password_hasher` is present.",
        )),
        (None, None, None) => Ok(None),
    }
}

/// `locale`, a BCP 47 tag such as `en-US`.
fn locale(body: &JsonBody) -> Result<Patch<String>, ApiError> {
    let patch = blank_is_null(body.patch_string("locale")?);
    if let Patch::Set(tag) = &patch {
        let mut parts = tag.split('-');
        let language_ok = parts.next().is_some_and(|l| {
            (2..=8).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !language_ok || !rest_ok {
            return Err(ApiError::param_format_invalid(
                "locale",
                "locale must be a valid BCP-47 language tag.",
            ));
        }
    }
    Ok(patch)
}

/// `totp_secret`: a base32 secret enables TOTP (kept sealed, for `verify_totp`).
fn totp_secret(body: &JsonBody) -> Result<Option<Secret>, ApiError> {
    match body.string("totp_secret")? {
        None => Ok(None),
        Some(secret) => {
            let trimmed = secret.trim_end_matches('=');
            let valid = !trimmed.is_empty()
                && trimmed.chars().all(|c| {
                    c.is_ascii_uppercase() || c.is_ascii_lowercase() || ('2'..='7').contains(&c)
                });
            if valid {
                Ok(Some(Secret::new(secret)))
            } else {
                Err(ApiError::form(
                    "invalid_totp_secret_code",
                    "totp_secret",
                    "invalid TOTP secret",
                    "The TOTP secret is invalid, please provide a valid one base32 encoded",
                ))
            }
        }
    }
}

/// `backup_codes`: a non-empty list enables backup codes (kept as digests, for
/// `verify_totp`).
fn backup_codes(body: &JsonBody) -> Result<Option<Vec<Secret>>, ApiError> {
    Ok(body
        .string_array("backup_codes")?
        .map(|codes| codes.into_iter().map(Secret::new).collect()))
}

fn organizations_limit(body: &JsonBody) -> Result<Patch<i64>, ApiError> {
    if !body.has("create_organizations_limit") {
        return Ok(Patch::Unchanged);
    }
    match body.i64("create_organizations_limit")? {
        None => Ok(Patch::Null),
        Some(limit) if limit >= 0 => Ok(Patch::Set(limit)),
        Some(_) => Err(ApiError::param_value_invalid(
            "create_organizations_limit",
            "create_organizations_limit must be zero (unlimited) or more.",
        )),
    }
}
