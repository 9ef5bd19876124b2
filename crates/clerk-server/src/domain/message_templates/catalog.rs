//! Clerk's default email and SMS templates, by Clerk's slugs. They are data, not rows: a
//! template the instance never changed is its default here, an edited one is a row in
//! `message_templates` that a revert deletes. Syntax and variables follow Clerk's
//! documentation (Handlebars; `{{app.name}}`, `{{otp_code}}`, `{{action_url}}`, …).

/// One default template.
#[derive(Debug)]
pub(crate) struct Default {
    pub template_type: &'static str,
    pub slug: &'static str,
    pub name: &'static str,
    /// Emails only.
    pub subject: Option<&'static str>,
    pub body: &'static str,
    /// Variables the body must keep (`PUT` refuses a body without them).
    pub required: &'static [&'static str],
    /// Variables of this template besides the ones every template has ([`COMMON`]).
    pub variables: &'static [&'static str],
    /// Whether it can be enabled or disabled: only notification SMS templates.
    pub can_toggle: bool,
}

/// The variables every template can use.
pub(crate) const COMMON: &[&str] = &[
    "app.name",
    "app.url",
    "app.domain_name",
    "app.logo_url",
    "support_email",
];

/// The variables of a one-time code.
const REQUEST_OTP: &[&str] = &[
    "otp_code",
    "requested_at",
    "requested_by",
    "requested_from",
    "ttl_minutes",
];

macro_rules! email {
    ($slug:literal, $name:literal, $subject:literal, $required:expr, $variables:expr, $body:literal) => {
        Default {
            template_type: "email",
            slug: $slug,
            name: $name,
            subject: Some($subject),
            body: $body,
            required: $required,
            variables: $variables,
            can_toggle: false,
        }
    };
}

macro_rules! sms {
    ($slug:literal, $name:literal, $required:expr, $variables:expr, $toggle:literal, $body:literal) => {
        Default {
            template_type: "sms",
            slug: $slug,
            name: $name,
            subject: None,
            body: $body,
            required: $required,
            variables: $variables,
            can_toggle: $toggle,
        }
    };
}

/// Every default template; its position is its index among those of its type.
pub(crate) const DEFAULTS: &[Default] = &[
    email!(
        "verification_code",
        "Verification code",
        "{{otp_code}} is your verification code",
        &["otp_code"],
        REQUEST_OTP,
        "<p>Enter this verification code in {{app.name}}:</p><h2>{{otp_code}}</h2><p>It expires in {{ttl_minutes}} minutes.</p>"
    ),
    email!(
        "reset_password_code",
        "Reset password code",
        "{{otp_code}} is your password reset code",
        &["otp_code"],
        REQUEST_OTP,
        "<p>Enter this code in {{app.name}} to reset your password:</p><h2>{{otp_code}}</h2><p>It expires in {{ttl_minutes}} minutes.</p>"
    ),
    email!(
        "invitation",
        "Invitation",
        "You're invited to join {{app.name}}",
        &["action_url"],
        &["action_url", "inviter_name", "invitation.expires_in_days"],
        "<p>{{#if inviter_name}}{{inviter_name}} has invited you{{else}}You have been invited{{/if}} to join {{app.name}}.</p><p><a href=\"{{action_url}}\">Accept the invitation</a></p>"
    ),
    email!(
        "organization_invitation",
        "Organization invitation",
        "You're invited to join {{org.name}}",
        &["action_url"],
        &[
            "action_url",
            "inviter_name",
            "org.name",
            "org.image_url",
            "role"
        ],
        "<p>{{#if inviter_name}}{{inviter_name}} has invited you{{else}}You have been invited{{/if}} to join {{org.name}} on {{app.name}} as {{role}}.</p><p><a href=\"{{action_url}}\">Accept the invitation</a></p>"
    ),
    email!(
        "magic_link_sign_in",
        "Magic link - Sign in",
        "Sign in to {{app.name}}",
        &["magic_link"],
        &[
            "magic_link",
            "requested_at",
            "requested_by",
            "requested_from",
            "ttl_minutes"
        ],
        "<p><a href=\"{{magic_link}}\">Sign in to {{app.name}}</a></p><p>This link expires in {{ttl_minutes}} minutes.</p>"
    ),
    email!(
        "magic_link_sign_up",
        "Magic link - Sign up",
        "Sign up to {{app.name}}",
        &["magic_link"],
        &[
            "magic_link",
            "requested_at",
            "requested_by",
            "requested_from",
            "ttl_minutes"
        ],
        "<p><a href=\"{{magic_link}}\">Complete your sign-up to {{app.name}}</a></p><p>This link expires in {{ttl_minutes}} minutes.</p>"
    ),
    email!(
        "magic_link_user_profile",
        "Magic link - Verify email",
        "Verify your email address",
        &["magic_link"],
        &[
            "magic_link",
            "requested_at",
            "requested_by",
            "requested_from",
            "ttl_minutes"
        ],
        "<p><a href=\"{{magic_link}}\">Verify your email address</a> for {{app.name}}.</p><p>This link expires in {{ttl_minutes}} minutes.</p>"
    ),
    email!(
        "waitlist_confirmation",
        "Waitlist confirmation",
        "You're on the {{app.name}} waitlist",
        &[],
        &[],
        "<p>Thanks for joining the {{app.name}} waitlist. We will let you know when you can sign up.</p>"
    ),
    email!(
        "waitlist_invitation",
        "Waitlist invitation",
        "You're invited to join {{app.name}}",
        &["action_url"],
        &["action_url"],
        "<p>Good news: your spot on the {{app.name}} waitlist is ready.</p><p><a href=\"{{action_url}}\">Sign up</a></p>"
    ),
    email!(
        "password_changed",
        "Password changed",
        "Your password was changed",
        &[],
        &["greeting_name", "primary_email_address"],
        "<p>The password of your {{app.name}} account {{primary_email_address}} was changed.</p>"
    ),
    email!(
        "password_removed",
        "Password removed",
        "Your password was removed",
        &[],
        &["greeting_name", "primary_email_address"],
        "<p>The password of your {{app.name}} account {{primary_email_address}} was removed.</p>"
    ),
    email!(
        "primary_email_address_changed",
        "Primary email address changed",
        "Your primary email address was changed",
        &[],
        &["new_email_address", "primary_email_address"],
        "<p>The primary email address of your {{app.name}} account was changed to {{new_email_address}}.</p>"
    ),
    email!(
        "passkey_added",
        "Passkey added",
        "A passkey was added to your account",
        &[],
        &["passkey_name", "greeting_name", "primary_email_address"],
        "<p>The passkey {{passkey_name}} was added to your {{app.name}} account.</p>"
    ),
    email!(
        "passkey_removed",
        "Passkey removed",
        "A passkey was removed from your account",
        &[],
        &["passkey_name", "greeting_name", "primary_email_address"],
        "<p>The passkey {{passkey_name}} was removed from your {{app.name}} account.</p>"
    ),
    email!(
        "new_device_sign_in",
        "Sign in from new device",
        "New sign-in to your {{app.name}} account",
        &[],
        &[
            "sign_in_method",
            "session.created_at",
            "session.ip_address",
            "session.location",
            "session.device_type",
            "session.browser_name",
            "revoke_session_url"
        ],
        "<p>Your {{app.name}} account was signed in to from a new device ({{session.device_type}}, {{session.location}}).</p>"
    ),
    email!(
        "affiliation_code",
        "Organization domain verification",
        "{{otp_code}} is your verification code",
        &["otp_code"],
        &["otp_code", "org.name", "ttl_minutes"],
        "<p>Enter this code to verify your email address for {{org.name}}:</p><h2>{{otp_code}}</h2>"
    ),
    sms!(
        "verification_code",
        "Verification code",
        &["otp_code"],
        REQUEST_OTP,
        false,
        "{{otp_code}} is your verification code for {{app.name}}."
    ),
    sms!(
        "reset_password_code",
        "Reset password code",
        &["otp_code"],
        REQUEST_OTP,
        false,
        "{{otp_code}} is your password reset code for {{app.name}}."
    ),
    sms!(
        "invitation",
        "Invitation",
        &["action_url"],
        &["action_url", "inviter_name"],
        false,
        "You're invited to join {{app.name}}: {{action_url}}"
    ),
    sms!(
        "password_changed",
        "Password changed",
        &[],
        &[],
        true,
        "The password of your {{app.name}} account was changed."
    ),
    sms!(
        "password_removed",
        "Password removed",
        &[],
        &[],
        true,
        "The password of your {{app.name}} account was removed."
    ),
];

/// The default template of `template_type`/`slug`, with its position.
pub(crate) fn find(template_type: &str, slug: &str) -> Option<(i64, &'static Default)> {
    of_type(template_type).find(|(_, d)| d.slug == slug)
}

/// The defaults of `template_type`, in order, with their positions.
pub(crate) fn of_type(template_type: &str) -> impl Iterator<Item = (i64, &'static Default)> {
    DEFAULTS
        .iter()
        .filter(move |d| d.template_type == template_type)
        .enumerate()
        .map(|(i, d)| (i as i64, d))
}
