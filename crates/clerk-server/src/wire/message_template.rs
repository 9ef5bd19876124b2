//! `template` objects: Clerk's email and SMS templates (`/v1/templates/…`).

use serde::Serialize;

use crate::domain::message_templates::Template;

/// A `template` object.
#[derive(Serialize)]
pub(crate) struct TemplateJson<'a> {
    object: &'static str,
    id: &'a str,
    instance_id: Option<&'a str>,
    resource_type: &'a str,
    template_type: &'a str,
    name: &'a str,
    slug: &'a str,
    position: i64,
    can_revert: bool,
    can_delete: bool,
    can_edit_body: bool,
    can_toggle: bool,
    subject: Option<&'a str>,
    markup: &'a str,
    body: &'a str,
    available_variables: &'a [&'static str],
    required_variables: &'a [&'static str],
    from_email_name: &'a str,
    reply_to_email_name: &'a str,
    delivered_by_clerk: bool,
    enabled: bool,
    flagged_as_suspicious: bool,
    updated_at: i64,
    created_at: i64,
}

impl<'a> TemplateJson<'a> {
    pub(crate) fn new(t: &'a Template) -> Self {
        Self {
            object: "template",
            id: &t.id,
            instance_id: t.instance_id.as_deref(),
            resource_type: t.resource_type,
            template_type: t.template_type,
            name: &t.name,
            slug: t.slug,
            position: t.position,
            can_revert: t.can_revert(),
            // Clerk's templates are a fixed set: none can be deleted.
            can_delete: false,
            can_edit_body: true,
            can_toggle: t.can_toggle,
            subject: t.subject.as_deref(),
            markup: &t.markup,
            body: &t.body,
            available_variables: &t.available_variables,
            required_variables: t.required_variables,
            from_email_name: &t.from_email_name,
            reply_to_email_name: &t.reply_to_email_name,
            delivered_by_clerk: t.delivered_by_clerk,
            enabled: true,
            flagged_as_suspicious: false,
            updated_at: t.updated_at,
            created_at: t.created_at,
        }
    }
}
