//! The Frontend API's `environment` (Clerk's `Client.Environment`): what the browser SDK and
//! its components need to know about the instance. It is built from the instance's
//! settings; what this server does not have (social providers, captcha, billing, SAML) is
//! off, and identifiers are what this server signs in with: email address (password or
//! email code), phone number and username, with password.

use serde_json::{Value, json};

use crate::domain::lockout::Lockout;
use crate::store::instance::Instance;

/// What the environment says besides the instance's settings.
pub(crate) struct EnvironmentFacts<'a> {
    pub instance: &'a Instance,
    /// The user lockout, when it is on.
    pub lockout: Option<Lockout>,
    /// The URL the instance serves, for the display config's URLs.
    pub home_url: &'a str,
}

/// One `user_settings.attributes` entry.
fn attribute(
    enabled: bool,
    required: bool,
    first_factors: &[&str],
    verifications: &[&str],
) -> Value {
    json!({
        "enabled": enabled,
        "required": required,
        "used_for_first_factor": !first_factors.is_empty(),
        "first_factors": first_factors,
        "used_for_second_factor": false,
        "second_factors": [],
        "verifications": verifications,
        "verify_at_sign_up": !verifications.is_empty(),
        "immutable": false,
    })
}

/// The environment of the instance.
pub(crate) fn environment(facts: &EnvironmentFacts<'_>) -> Value {
    let settings = &facts.instance.settings;
    let orgs = &settings.organizations;
    let id = &facts.instance.id;
    let home = facts.home_url.trim_end_matches('/');
    let off = attribute(false, false, &[], &[]);
    let (lockout_enabled, max_attempts, duration_minutes) = match facts.lockout {
        Some(l) => (
            true,
            l.max_attempts,
            l.duration_ms.map_or(0, |ms| ms / 60_000),
        ),
        None => (false, 0, 0),
    };
    let auth_config = json!({
        "object": "auth_config",
        "id": id,
        "first_name": "on",
        "last_name": "on",
        "email_address": "on",
        "phone_number": "on",
        "username": "on",
        "password": "required",
        "identification_requirements": [["email_address", "phone_number", "username"]],
        "identification_strategies": ["email_address", "phone_number", "username"],
        "first_factors": ["password", "email_code", "phone_code", "ticket"],
        "second_factors": [],
        "email_address_verification_strategies": ["email_code"],
        "single_session_mode": true,
        "enhanced_email_deliverability": settings.enhanced_email_deliverability,
        "test_mode": settings.test_mode,
        "cookieless_dev": settings.cookieless_dev,
        "url_based_session_syncing": settings.url_based_session_syncing,
        "claimed_at": null,
        "reverification": false,
        "native_settings": {
            "object": "native_settings",
            "api_enabled": false,
            "trusted_device_sign_in_enabled": false,
            "trusted_device_enrollment_prompt_after_sign_in_enabled": false,
            "trusted_device_enrollment_prompt_after_sign_up_enabled": false,
        },
    });
    let display_config = json!({
        "object": "display_config",
        "id": id,
        "instance_environment_type": "development",
        "application_name": "Clerk (local)",
        "theme": {},
        "preferred_sign_in_strategy": "password",
        "logo_image_url": null,
        "favicon_image_url": null,
        "support_email": settings.support_email,
        "branded": false,
        "experimental_force_oauth_first": false,
        "clerk_js_version": settings.clerk_js_version,
        "show_devmode_warning": false,
        "google_one_tap_client_id": null,
        "help_url": null,
        "privacy_policy_url": null,
        "terms_url": null,
        "logo_url": null,
        "favicon_url": null,
        "logo_image": null,
        "favicon_image": null,
        "captcha_public_key": null,
        "captcha_widget_type": null,
        "captcha_public_key_invisible": null,
        "captcha_provider": null,
        "captcha_oauth_bypass": [],
        "captcha_heartbeat": false,
    });
    let mut display_config = display_config;
    if let Value::Object(map) = &mut display_config {
        // Where the app's pages are: this server has no hosted pages, so every URL is
        // under the page's origin, at the paths Clerk's components default to.
        for (key, path) in [
            ("home_url", ""),
            ("sign_in_url", "/sign-in"),
            ("sign_up_url", "/sign-up"),
            ("user_profile_url", "/user"),
            ("waitlist_url", "/waitlist"),
            ("oauth_consent_url", "/oauth-consent"),
            ("after_sign_in_url", ""),
            ("after_sign_up_url", ""),
            ("after_sign_out_one_url", ""),
            ("after_sign_out_all_url", ""),
            ("after_switch_session_url", ""),
            ("after_join_waitlist_url", ""),
            ("organization_profile_url", "/organization"),
            ("create_organization_url", "/create-organization"),
            ("after_leave_organization_url", ""),
            ("after_create_organization_url", ""),
            ("logo_link_url", ""),
        ] {
            map.insert(key.into(), Value::String(format!("{home}{path}")));
        }
    }
    let user_settings = json!({
        "attributes": {
            "email_address": attribute(true, false, &["email_code"], &["email_code"]),
            "phone_number": attribute(true, false, &["phone_code"], &["phone_code"]),
            "username": attribute(true, false, &[], &[]),
            "web3_wallet": off,
            "first_name": attribute(true, false, &[], &[]),
            "last_name": attribute(true, false, &[], &[]),
            "password": attribute(true, true, &[], &[]),
            "authenticator_app": off,
            "ticket": attribute(true, false, &[], &[]),
            "backup_code": off,
            "passkey": off,
        },
        "social": {},
        "saml": { "enabled": false },
        "enterprise_sso": { "enabled": false },
        "sign_in": { "second_factor": { "required": false } },
        "sign_up": {
            "captcha_enabled": false,
            "captcha_widget_type": "smart",
            "custom_action_required": false,
            "progressive": settings.progressive_sign_up,
            "mode": if settings.restricted_to_allowlist { "restricted" } else { "public" },
            "legal_consent_enabled": false,
        },
        "restrictions": {
            "allowlist": { "enabled": settings.restricted_to_allowlist },
            "blocklist": { "enabled": settings.blocklist },
            "allowlist_blocklist_disabled_on_sign_in": {
                "enabled": settings.allowlist_blocklist_disabled_on_sign_in,
            },
            "block_email_subaddresses": { "enabled": settings.block_email_subaddresses },
            "block_disposable_email_domains": {
                "enabled": settings.block_disposable_email_domains,
            },
        },
        "password_settings": {
            "disable_hibp": !settings.hibp,
            "disable_password_reverification": true,
            "min_length": 8,
            "max_length": 72,
            "require_special_char": false,
            "require_numbers": false,
            "require_uppercase": false,
            "require_lowercase": false,
            "show_zxcvbn": false,
            "min_zxcvbn_strength": 0,
            "enforce_hibp_on_sign_in": false,
            "allowed_special_characters": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        },
        "username_settings": {
            "min_length": 4,
            "max_length": 64,
            "allow_extended_special_characters": false,
            "allow_numeric_usernames": true,
        },
        "actions": {
            "delete_self": true,
            "create_organization": orgs.enabled,
            "create_organizations_limit": null,
        },
        "attack_protection": {
            "user_lockout": {
                "enabled": lockout_enabled,
                "max_attempts": max_attempts,
                "duration_in_minutes": duration_minutes,
            },
            "pii": { "enabled": false },
            "email_link": { "require_same_client": false },
            "enumeration_protection": { "enabled": false },
        },
        "passkey_settings": {
            "allow_autofill": false,
            "show_sign_in_button": false,
            "satisfies_second_factor": false,
        },
    });
    let organization_settings = json!({
        "enabled": orgs.enabled,
        "max_allowed_memberships": orgs.max_allowed_memberships,
        "actions": { "admin_delete": orgs.admin_delete_enabled },
        "domains": {
            "enabled": orgs.domains_enabled,
            "enrollment_modes": orgs.domains_enrollment_modes,
            "default_role": orgs.domains_default_role,
        },
        "slug": { "disabled": orgs.slug_disabled },
        "creator_role": "org:admin",
    });
    json!({
        "auth_config": auth_config,
        "display_config": display_config,
        "user_settings": user_settings,
        "organization_settings": organization_settings,
        // Billing is off; clerk-js reads both payers' switches, so both are present.
        "commerce_settings": {
            "billing": {
                "stripe_publishable_key": null,
                "free_trial_requires_payment_method": false,
                "user": { "enabled": false, "has_paid_plans": false },
                "organization": { "enabled": false, "has_paid_plans": false },
            },
        },
        "api_keys_settings": {
            "enabled": false,
            "user_api_keys_enabled": false,
            "orgs_api_keys_enabled": false,
        },
        "maintenance_mode": false,
        "client_debug_mode": false,
        "partitioned_cookies": false,
    })
}
