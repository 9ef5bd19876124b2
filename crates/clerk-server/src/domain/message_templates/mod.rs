//! Email and SMS templates (`/v1/templates/{template_type}[/{slug}]`): Clerk's defaults
//! ([`catalog`]), the instance's edits of them (rows in `message_templates`), and the
//! rendering of every email and SMS message the server sends ([`render`]).
//!
//! A template the instance never changed is a `system` template: the same id on every
//! instance, no `instance_id`, its sender the instance's `from_email_address`. Editing it
//! (`PUT`) or toggling its delivery makes it a `user` template of the instance (a row);
//! reverting deletes the row, so the default (and Clerk's delivery) is back.

pub(crate) mod catalog;
pub(crate) mod render;

use super::error::{Result, Rule};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::instance::{self, Instance};
use crate::store::message_templates::{self, MessageTemplateRecord};
use crate::store::{StoreError, Tx, UnitOfWork};

/// When the defaults were written (their `created_at` and `updated_at`).
const CATALOG_TIME_MS: i64 = 1_704_067_200_000;

/// A template as the API shows it: its default, or the instance's edit of it.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub id: String,
    pub instance_id: Option<String>,
    /// `system` (Clerk's default) or `user` (edited by the instance).
    pub resource_type: &'static str,
    pub template_type: &'static str,
    pub slug: &'static str,
    pub name: String,
    pub position: i64,
    pub can_toggle: bool,
    pub subject: Option<String>,
    pub markup: String,
    pub body: String,
    pub required_variables: &'static [&'static str],
    pub available_variables: Vec<&'static str>,
    pub from_email_name: String,
    pub reply_to_email_name: String,
    pub delivered_by_clerk: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Template {
    /// Whether it differs from Clerk's default (and so can be reverted).
    pub(crate) fn can_revert(&self) -> bool {
        self.resource_type == "user"
    }

    fn of(
        position: i64,
        default: &'static catalog::Default,
        edit: Option<&MessageTemplateRecord>,
        instance: &Instance,
    ) -> Self {
        let mut available: Vec<&'static str> = catalog::COMMON.to_vec();
        for variable in default.variables {
            if !available.contains(variable) {
                available.push(variable);
            }
        }
        let base = Self {
            id: ids::stable_id(
                prefix::MESSAGE_TEMPLATE,
                &format!("{}/{}", default.template_type, default.slug),
            ),
            instance_id: None,
            resource_type: "system",
            template_type: default.template_type,
            slug: default.slug,
            name: default.name.to_owned(),
            position,
            can_toggle: default.can_toggle,
            subject: default.subject.map(str::to_owned),
            markup: String::new(),
            body: default.body.to_owned(),
            required_variables: default.required,
            available_variables: available,
            from_email_name: instance.settings.from_email_address.clone(),
            reply_to_email_name: String::new(),
            delivered_by_clerk: true,
            created_at: CATALOG_TIME_MS,
            updated_at: CATALOG_TIME_MS,
        };
        match edit {
            None => base,
            Some(row) => Self {
                id: row.id.clone(),
                instance_id: Some(instance.id.clone()),
                resource_type: "user",
                name: row.name.clone(),
                subject: row.subject.clone(),
                markup: row.markup.clone(),
                body: row.body.clone(),
                from_email_name: row.from_email_name.clone(),
                reply_to_email_name: row.reply_to_email_name.clone(),
                delivered_by_clerk: row.delivered_by_clerk,
                created_at: row.created_at,
                updated_at: row.updated_at,
                ..base
            },
        }
    }

    fn record(&self, now: i64) -> MessageTemplateRecord {
        MessageTemplateRecord {
            id: if self.can_revert() {
                self.id.clone()
            } else {
                ids::new_id(prefix::MESSAGE_TEMPLATE, now)
            },
            template_type: self.template_type.to_owned(),
            slug: self.slug.to_owned(),
            name: self.name.clone(),
            subject: self.subject.clone(),
            markup: self.markup.clone(),
            body: self.body.clone(),
            from_email_name: self.from_email_name.clone(),
            reply_to_email_name: self.reply_to_email_name.clone(),
            delivered_by_clerk: self.delivered_by_clerk,
            created_at: if self.can_revert() {
                self.created_at
            } else {
                now
            },
            updated_at: now,
        }
    }
}

/// `email` or `sms`, else Clerk's 400.
pub(crate) fn check_type(template_type: &str) -> Result<&'static str> {
    match template_type {
        "email" => Ok("email"),
        "sms" => Ok("sms"),
        other => Err(Rule::refused(
            "form_param_value_invalid",
            "is invalid",
            format!(
                "{other} does not match one of the allowed values for parameter template_type. Allowed values: email, sms"
            ),
        )
        .with_param("template_type")
        .into()),
    }
}

fn default_of(
    template_type: &str,
    slug: &str,
) -> Result<(&'static str, i64, &'static catalog::Default)> {
    let kind = check_type(template_type)?;
    let (position, default) = catalog::find(kind, slug)
        .ok_or_else(|| StoreError::not_found("template", format!("{kind}/{slug}")))?;
    Ok((kind, position, default))
}

/// Every template of `template_type`, by position.
pub(crate) async fn list(svc: &Services, template_type: &str) -> Result<Vec<Template>> {
    let kind = check_type(template_type)?;
    let instance = svc.store.instance().await?;
    let edits = svc.store.message_templates(kind).await?;
    Ok(catalog::of_type(kind)
        .map(|(position, default)| {
            let edit = edits.iter().find(|e| e.slug == default.slug);
            Template::of(position, default, edit, &instance)
        })
        .collect())
}

/// The template `template_type`/`slug`; an unknown slug is not found.
pub(crate) async fn get(svc: &Services, template_type: &str, slug: &str) -> Result<Template> {
    let (kind, position, default) = default_of(template_type, slug)?;
    let instance = svc.store.instance().await?;
    let edit = svc.store.message_template(kind, slug).await?;
    Ok(Template::of(position, default, edit.as_ref(), &instance))
}

/// The template in `tx`, the instance row locked first when `lock` so that changes to
/// templates take turns.
async fn load(tx: &mut Tx, lock: &str, template_type: &str, slug: &str) -> Result<Template> {
    let (kind, position, default) = default_of(template_type, slug)?;
    let instance = instance::load(tx, lock).await?;
    let edit = message_templates::find(tx, kind, slug).await?;
    Ok(Template::of(position, default, edit.as_ref(), &instance))
}

/// What `PUT` may change; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub(crate) struct TemplateUpdate {
    pub name: Option<String>,
    /// `Some(None)` clears it.
    pub subject: Option<Option<String>>,
    pub markup: Option<Option<String>>,
    pub body: Option<String>,
    pub delivered_by_clerk: Option<bool>,
    pub from_email_name: Option<String>,
    pub reply_to_email_name: Option<String>,
}

/// Edits a template. The body must keep the template's required variables and be a
/// template Handlebars can compile; email-only fields are ignored for SMS templates.
pub(crate) async fn update(
    svc: &Services,
    template_type: &str,
    slug: &str,
    change: TemplateUpdate,
) -> Result<Template> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut template = load(work.tx(), lock, template_type, slug).await?;
    if let Some(name) = change.name {
        if name.trim().is_empty() {
            return Err(Rule::value_invalid("name", "name is invalid. Must be not empty").into());
        }
        template.name = name;
    }
    if let Some(body) = change.body {
        template.body = body;
    }
    if let Some(markup) = change.markup {
        template.markup = markup.unwrap_or_default();
    }
    if let Some(delivered) = change.delivered_by_clerk {
        template.delivered_by_clerk = delivered;
    }
    if template.template_type == "email" {
        if let Some(subject) = change.subject {
            template.subject = subject;
        }
        if let Some(from) = change.from_email_name {
            check_local_part("from_email_name", &from)?;
            template.from_email_name = from;
        }
        if let Some(reply_to) = change.reply_to_email_name {
            if !reply_to.is_empty() {
                check_local_part("reply_to_email_name", &reply_to)?;
            }
            template.reply_to_email_name = reply_to;
        }
    }
    check_body(&template)?;
    let record = template.record(svc.now_ms());
    message_templates::upsert(work.tx(), &record).await?;
    let template = load(work.tx(), "", template_type, slug).await?;
    work.commit().await?;
    Ok(template)
}

/// Reverts a template to Clerk's default (its delivery too).
pub(crate) async fn revert(svc: &Services, template_type: &str, slug: &str) -> Result<Template> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let template = load(work.tx(), lock, template_type, slug).await?;
    message_templates::delete(work.tx(), template.template_type, slug).await?;
    let template = load(work.tx(), "", template_type, slug).await?;
    work.commit().await?;
    Ok(template)
}

/// Sets whether Clerk delivers the messages of a template (`None` flips it). When not,
/// they are still written to the outbox, with their `email.created`/`sms.created`
/// events, for the app to deliver.
pub(crate) async fn toggle_delivery(
    svc: &Services,
    template_type: &str,
    slug: &str,
    delivered_by_clerk: Option<bool>,
) -> Result<Template> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut template = load(work.tx(), lock, template_type, slug).await?;
    template.delivered_by_clerk = delivered_by_clerk.unwrap_or(!template.delivered_by_clerk);
    let record = template.record(svc.now_ms());
    message_templates::upsert(work.tx(), &record).await?;
    let template = load(work.tx(), "", template_type, slug).await?;
    work.commit().await?;
    Ok(template)
}

/// A local part of an address: letters, digits, `.`, `_`, `-`, `+`.
fn check_local_part(param: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'));
    if ok {
        Ok(())
    } else {
        Err(Rule::value_invalid(
            param,
            format!("{param} must be the local part of an email address (letters, digits, '.', '_', '-', '+')."),
        )
        .into())
    }
}

/// The body compiles and keeps every required variable; the subject compiles.
fn check_body(template: &Template) -> Result<()> {
    if template.body.trim().is_empty() {
        return Err(Rule::value_invalid("body", "body is invalid. Must be not empty").into());
    }
    render::check_syntax("body", &template.body)?;
    if let Some(subject) = &template.subject {
        render::check_syntax("subject", subject)?;
    }
    let missing: Vec<String> = template
        .required_variables
        .iter()
        .filter(|v| !render::mentions(&template.body, v))
        .map(|v| format!("{{{{{v}}}}}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Rule::value_invalid(
        "body",
        format!(
            "The template body must contain the required variables: {}",
            missing.join(", ")
        ),
    )
    .with_meta("required_variables", missing.into())
    .into())
}
