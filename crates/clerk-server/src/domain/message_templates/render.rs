//! Rendering templates into messages. Clerk's templates are Handlebars, so the
//! `handlebars` crate renders them: `{{app.name}}`, `{{#if inviter_name}}…{{/if}}`. In an
//! email's body every value is HTML-escaped (Handlebars' `{{…}}`); subjects and SMS texts
//! are plain text and are not.

use std::sync::LazyLock;

use handlebars::Handlebars;
use serde_json::{Map, Value, json};

use super::{Template, load};
use crate::domain::error::{Error, Result, Rule};
use crate::domain::services::Services;
use crate::notify::{Email, Sms};
use crate::store::UnitOfWork;

/// The application's name in messages (`{{app.name}}`): a local server has no dashboard
/// where it would be set.
pub(crate) const APP_NAME: &str = "My Application";

/// Renders email bodies: values HTML-escaped.
static HTML: LazyLock<Handlebars<'static>> = LazyLock::new(Handlebars::new);

/// Renders subjects and SMS texts: values as they are.
static PLAIN: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut registry = Handlebars::new();
    registry.register_escape_fn(handlebars::no_escape);
    registry
});

/// `text` compiles as a Handlebars template, else `form_param_value_invalid` on `param`.
pub(crate) fn check_syntax(param: &str, text: &str) -> Result<()> {
    handlebars::Template::compile(text)
        .map(|_| ())
        .map_err(|err| {
            Rule::value_invalid(param, format!("{param} is not a valid template: {err}")).into()
        })
}

/// Whether `body` uses `variable` in one of its `{{…}}` expressions.
pub(crate) fn mentions(body: &str, variable: &str) -> bool {
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return false;
        };
        let expression = &after[..end];
        let found = expression
            .split(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | '#' | '&' | '(' | ')'))
            .any(|token| token == variable);
        if found {
            return true;
        }
        rest = &after[end + 2..];
    }
    false
}

/// `ms` as a date people read in a message: `2026-01-31 12:00 UTC`.
pub(crate) fn timestamp(ms: i64) -> String {
    let (days, rest) = (
        ms.div_euclid(86_400_000),
        ms.rem_euclid(86_400_000) / 60_000,
    );
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 60,
        rest % 60
    )
}

/// Who a message goes to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recipient<'a> {
    pub to: &'a str,
    /// The email address or phone number object, when it is a user's.
    pub identification_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
}

/// A template rendered with values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

/// The values every template can use, then `values` (which win).
fn context(svc: &Services, values: Value) -> Value {
    let domain = url::Url::parse(&svc.issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let mut context = json!({
        "app": {
            "name": APP_NAME,
            "url": svc.issuer,
            "domain_name": domain,
            "logo_url": null,
        },
        "support_email": null,
    });
    if let (Some(base), Value::Object(extra)) = (context.as_object_mut(), values) {
        base.extend(extra);
    }
    context
}

/// Renders `template` with `context`.
pub(crate) fn render(template: &Template, context: &Value) -> Result<Rendered> {
    let fail = |err: handlebars::RenderError| {
        Error::Internal(format!(
            "template {}/{} does not render: {err}",
            template.template_type, template.slug
        ))
    };
    let body = if template.template_type == "email" {
        HTML.render_template(&template.body, context)
    } else {
        PLAIN.render_template(&template.body, context)
    }
    .map_err(fail)?;
    let subject = match &template.subject {
        Some(subject) if template.template_type == "email" => {
            Some(PLAIN.render_template(subject, context).map_err(fail)?)
        }
        _ => None,
    };
    Ok(Rendered { subject, body })
}

/// Sends the email of template `slug` to `recipient`, rendered with `values`, in `work`.
pub(crate) async fn email(
    svc: &Services,
    work: &mut UnitOfWork,
    slug: &str,
    recipient: Recipient<'_>,
    values: Value,
    now: i64,
) -> Result<()> {
    let template = load(work.tx(), "", "email", slug).await?;
    let rendered = render(&template, &context(svc, values))?;
    let reply_to = Some(template.reply_to_email_name.as_str()).filter(|r| !r.is_empty());
    let email = Email {
        slug: Some(template.slug),
        from_email_name: &template.from_email_name,
        reply_to_email_name: reply_to,
        to: recipient.to,
        email_address_id: recipient.identification_id,
        user_id: recipient.user_id,
        subject: rendered.subject.as_deref().unwrap_or_default(),
        body: &rendered.body,
        delivered_by_clerk: template.delivered_by_clerk,
    };
    svc.notifier.email(work, email, now).await?;
    Ok(())
}

/// Sends the SMS message of template `slug` to `recipient`, rendered with `values`, in
/// `work`; refused when the recipient's country is on the instance's SMS blocklist.
pub(crate) async fn sms(
    svc: &Services,
    work: &mut UnitOfWork,
    slug: &str,
    recipient: Recipient<'_>,
    values: Value,
    now: i64,
) -> Result<()> {
    crate::domain::sms_countries::refuse_blocked(work, recipient.to).await?;
    let template = load(work.tx(), "", "sms", slug).await?;
    let rendered = render(&template, &context(svc, values))?;
    let sms = Sms {
        slug: Some(template.slug),
        to: recipient.to,
        phone_number_id: recipient.identification_id,
        user_id: recipient.user_id,
        text: &rendered.body,
    };
    svc.notifier.sms(work, sms, now).await?;
    Ok(())
}

/// What `preview` may replace of the stored template.
#[derive(Debug, Default, Clone)]
pub(crate) struct PreviewInput {
    pub subject: Option<Option<String>>,
    pub body: Option<String>,
    pub from_email_name: Option<String>,
    pub reply_to_email_name: Option<String>,
}

/// Renders a template (the stored one, with what `input` replaces) with sample values,
/// sending nothing: `{subject, body, from_email_address, reply_to_email_address}`.
pub(crate) async fn preview(
    svc: &Services,
    template_type: &str,
    slug: &str,
    input: PreviewInput,
) -> Result<Value> {
    let mut template = super::get(svc, template_type, slug).await?;
    if let Some(body) = input.body {
        check_syntax("body", &body)?;
        template.body = body;
    }
    if let Some(subject) = input.subject {
        if let Some(subject) = &subject {
            check_syntax("subject", subject)?;
        }
        template.subject = subject;
    }
    if let Some(from) = input.from_email_name {
        template.from_email_name = from;
    }
    if let Some(reply_to) = input.reply_to_email_name {
        template.reply_to_email_name = reply_to;
    }
    let context = context(svc, samples(&template));
    let rendered = render(&template, &context).map_err(|_| {
        Error::from(Rule::value_invalid(
            "body",
            "body does not render with the sample values",
        ))
    })?;
    let domain = context["app"]["domain_name"].as_str().unwrap_or_default();
    let address = |local: &str| (!local.is_empty()).then(|| format!("{local}@{domain}"));
    let email = template.template_type == "email";
    Ok(json!({
        "object": "template_preview",
        "subject": rendered.subject,
        "body": rendered.body,
        "from_email_address": if email { address(&template.from_email_name) } else { None },
        "reply_to_email_address": if email { address(&template.reply_to_email_name) } else { None },
    }))
}

/// A sample value for each variable of `template` (`{{otp_code}}` → `123456`, …).
fn samples(template: &Template) -> Value {
    let mut root = Map::new();
    for variable in &template.available_variables {
        if variable.starts_with("app.") || *variable == "support_email" {
            continue;
        }
        let value = match *variable {
            "otp_code" => "123456".to_owned(),
            "ttl_minutes" => "10".to_owned(),
            "requested_at" => "January 1, 2026 12:00 UTC".to_owned(),
            "requested_by" => "Chrome, macOS".to_owned(),
            "requested_from" => "127.0.0.1".to_owned(),
            "inviter_name" => "Jane Doe".to_owned(),
            "org.name" => "Acme Inc".to_owned(),
            "role" => "org:member".to_owned(),
            v if v.ends_with("_url") || v == "magic_link" => {
                "https://example.com/action".to_owned()
            }
            v if v.ends_with("email_address") => "jane@example.com".to_owned(),
            v => format!("[{v}]"),
        };
        insert_path(&mut root, variable, Value::String(value));
    }
    Value::Object(root)
}

/// Puts `value` at the dotted `path` of `root` (`org.name` → `{"org":{"name":…}}`).
fn insert_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            root.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = child {
                insert_path(map, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_utc_dates() {
        assert_eq!(timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            timestamp(1_767_225_600_000 + 61_000),
            "2026-01-01 00:01 UTC"
        );
    }

    #[test]
    fn mentions_finds_variables_in_expressions_only() {
        assert!(mentions("Code: {{otp_code}}", "otp_code"));
        assert!(mentions("Code: {{ otp_code }}", "otp_code"));
        assert!(mentions("{{#if otp_code}}x{{/if}}", "otp_code"));
        assert!(!mentions("otp_code", "otp_code"));
        assert!(!mentions("{{otp_code_2}}", "otp_code"));
    }

    #[test]
    fn email_bodies_escape_values_and_subjects_do_not() {
        let context = json!({"name": "<b>&"});
        assert_eq!(
            HTML.render_template("{{name}}", &context).unwrap(),
            "&lt;b&gt;&amp;"
        );
        assert_eq!(PLAIN.render_template("{{name}}", &context).unwrap(), "<b>&");
    }
}
