//! `clerk webhooks trigger EVENT_TYPE`: makes the API emit a real event by creating (and
//! changing, or deleting) throwaway resources through the Backend API, then, on a local
//! clerk-server, shows the message the event became.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Args;
use clerk_sdk::Method;
use serde_json::{Value, json};

use super::{MESSAGES, Message};
use crate::Context;
use crate::api::{Api, path};
use crate::error::{CliError, CliResult};

/// Examples for `clerk webhooks trigger --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk webhooks trigger user.created
  clerk webhooks trigger organizationMembership.created
  clerk --json webhooks trigger session.created | jq .payload.data.user_id

The resources it creates (users named Webhook Trigger, organizations named
Webhook Trigger …) are left in place, as they would be after a real change.";

/// The event types `trigger` can make the API emit.
pub const TRIGGERABLE: &[&str] = &[
    "user.created",
    "user.updated",
    "user.deleted",
    "session.created",
    "organization.created",
    "organization.updated",
    "organization.deleted",
    "organizationMembership.created",
    "organizationInvitation.created",
    "role.created",
    "permission.created",
    "email.created",
    "sms.created",
];

/// How long to wait for the event's message on a local server.
const MESSAGE_WAIT: Duration = Duration::from_secs(5);

/// `webhooks trigger`.
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// The event type to emit (user.created, session.created, …; see --help).
    event_type: String,
}

/// Runs `webhooks trigger`: the calls, one line each on stderr, then the message.
pub async fn run(ctx: &Context, api: &Api, args: TriggerArgs) -> CliResult {
    let event_type = args.event_type.trim();
    if !TRIGGERABLE.contains(&event_type) {
        return Err(CliError::usage(format!(
            "cannot trigger {event_type:?}: the events this command can make the API emit are {}",
            TRIGGERABLE.join(", ")
        )));
    }
    let since_ms = now_ms();
    let subject = Trigger { api, tag: unique() }.fire(event_type).await?;
    match find_message(api, event_type, &subject, since_ms).await {
        Ok(Some(raw)) => {
            let out = ctx.out();
            out.show(&raw, |message: Message| match message.deliveries.len() {
                0 => format!(
                    "{} → message {} (no endpoint to deliver it to: add one with `clerk webhooks \
                     endpoints add URL`, or run `clerk webhooks listen`)",
                    message.event_type, message.id
                ),
                n => format!(
                    "{} → message {} for {n} endpoint(s) (see `clerk webhooks attempts {}`)",
                    message.event_type, message.id, message.id
                ),
            })
        }
        Ok(None) => {
            eprintln!(
                "warning: no {event_type} message about {subject} appeared within {}s: this server may not emit {event_type} yet",
                MESSAGE_WAIT.as_secs()
            );
            Ok(())
        }
        // clerk.com (or any API without the local routes): the event went to its endpoints.
        Err(CliError::NotLocalServer { .. }) => {
            eprintln!(
                "{event_type} emitted for {subject}; this API has no local webhook routes to show the message"
            );
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// The calls that make one event flow.
struct Trigger<'a> {
    api: &'a Api,
    /// Keeps names, emails and keys of one run apart from the others.
    tag: String,
}

impl Trigger<'_> {
    /// Makes `event_type` happen; returns the ID of the object the event is about (its
    /// `data.id`).
    async fn fire(&self, event_type: &str) -> CliResult<String> {
        match event_type {
            "user.created" => self.user().await,
            "user.updated" => {
                let user = self.user().await?;
                self.call(
                    Method::PATCH,
                    &path(&["users", &user])?,
                    Some(json!({"first_name": "Triggered"})),
                    "updated user",
                )
                .await
            }
            "user.deleted" => {
                let user = self.user().await?;
                self.call(
                    Method::DELETE,
                    &path(&["users", &user])?,
                    None,
                    "deleted user",
                )
                .await
            }
            "session.created" => {
                let user = self.user().await?;
                self.call(
                    Method::POST,
                    "/sessions",
                    Some(json!({"user_id": user})),
                    "created session",
                )
                .await
            }
            "organization.created" => self.organization().await,
            "organization.updated" => {
                let org = self.organization().await?;
                self.call(
                    Method::PATCH,
                    &path(&["organizations", &org])?,
                    Some(json!({"name": format!("Webhook Trigger {} (updated)", self.tag)})),
                    "updated organization",
                )
                .await
            }
            "organization.deleted" => {
                let org = self.organization().await?;
                self.call(
                    Method::DELETE,
                    &path(&["organizations", &org])?,
                    None,
                    "deleted organization",
                )
                .await
            }
            "organizationMembership.created" => {
                let org = self.organization().await?;
                let user = self.user().await?;
                self.call(
                    Method::POST,
                    &path(&["organizations", &org, "memberships"])?,
                    Some(json!({"user_id": user, "role": "org:member"})),
                    "added member",
                )
                .await
            }
            "organizationInvitation.created" => {
                let org = self.organization().await?;
                self.call(
                    Method::POST,
                    &path(&["organizations", &org, "invitations"])?,
                    Some(json!({
                        "email_address": format!("invitee-{}@example.com", self.tag),
                        "role": "org:member",
                    })),
                    "created invitation",
                )
                .await
            }
            "role.created" => {
                self.call(
                    Method::POST,
                    "/organization_roles",
                    Some(json!({
                        "name": format!("Webhook Trigger {}", self.tag),
                        "key": format!("org:trigger_{}", self.tag),
                    })),
                    "created role",
                )
                .await
            }
            "permission.created" => {
                self.call(
                    Method::POST,
                    "/organization_permissions",
                    Some(json!({
                        "name": format!("Webhook Trigger {}", self.tag),
                        "key": format!("org:trigger_{}:read", self.tag),
                    })),
                    "created permission",
                )
                .await
            }
            "email.created" => {
                let user = self.user_json().await?;
                let address = user["email_addresses"][0]["id"]
                    .as_str()
                    .unwrap_or_default();
                self.call(
                    Method::POST,
                    "/emails",
                    Some(json!({
                        "email_address_id": address,
                        "from_email_name": "noreply",
                        "subject": "Webhook trigger",
                        "body": "<p>Sent by clerk webhooks trigger email.created</p>",
                    })),
                    "sent email",
                )
                .await
            }
            "sms.created" => {
                let phone = format!("+1555{:07}", self.tag_number() % 10_000_000);
                let user = self.create_user(json!({"phone_number": [phone]})).await?;
                let number = user["phone_numbers"][0]["id"].as_str().unwrap_or_default();
                self.call(
                    Method::POST,
                    "/sms_messages",
                    Some(json!({
                        "phone_number_id": number,
                        "message": "Sent by clerk webhooks trigger sms.created",
                    })),
                    "sent SMS",
                )
                .await
            }
            other => Err(CliError::usage(format!("cannot trigger {other:?}"))),
        }
    }

    /// A throwaway user with an email address; its ID.
    async fn user(&self) -> CliResult<String> {
        Ok(id_of(&self.user_json().await?))
    }

    /// A throwaway user with an email address, as the API answered.
    async fn user_json(&self) -> CliResult<Value> {
        let email = format!("webhook-trigger-{}@example.com", self.tag);
        self.create_user(json!({"email_address": [email]})).await
    }

    async fn create_user(&self, mut body: Value) -> CliResult<Value> {
        body["first_name"] = json!("Webhook");
        body["last_name"] = json!("Trigger");
        body["skip_password_requirement"] = json!(true);
        let raw = self.api.post("/users", Some(body)).await?;
        let user: Value = raw.parse()?;
        eprintln!("created user {}", id_of(&user));
        Ok(user)
    }

    /// A throwaway organization; its ID.
    async fn organization(&self) -> CliResult<String> {
        self.call(
            Method::POST,
            "/organizations",
            Some(json!({
                "name": format!("Webhook Trigger {}", self.tag),
                "slug": format!("webhook-trigger-{}", self.tag),
            })),
            "created organization",
        )
        .await
    }

    /// One call; prints `what ID` on stderr and returns the ID.
    async fn call(
        &self,
        method: Method,
        route: &str,
        body: Option<Value>,
        what: &str,
    ) -> CliResult<String> {
        let raw = self.api.send(method, route, &[], body).await?;
        let id = id_of(&raw.parse::<Value>()?);
        eprintln!("{what} {id}");
        Ok(id)
    }

    fn tag_number(&self) -> u64 {
        u64::from_str_radix(&self.tag, 36).unwrap_or_default()
    }
}

/// The `id` of an object.
fn id_of(object: &Value) -> String {
    object["id"].as_str().unwrap_or("-").to_owned()
}

/// A short run tag, lowercase base 36 of the current microseconds.
fn unique() -> String {
    let mut n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let mut text = Vec::new();
    while n > 0 {
        text.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
    }
    text.reverse();
    String::from_utf8(text).unwrap_or_default()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The newest message of this type about `subject`, as the API sent it, polling until
/// [`MESSAGE_WAIT`]; `None` if none appeared. [`CliError::NotLocalServer`] on an API
/// without the local routes.
async fn find_message(
    api: &Api,
    event_type: &str,
    subject: &str,
    since_ms: i64,
) -> CliResult<Option<crate::api::Raw>> {
    let query = [
        ("event_type".to_owned(), event_type.to_owned()),
        ("limit".to_owned(), "20".to_owned()),
    ];
    let started = Instant::now();
    loop {
        let raw = api.send_local(Method::GET, MESSAGES, &query).await?;
        let page: clerk_sdk::Page<Value> = raw.parse()?;
        let found = page.data.iter().find(|message| {
            message["payload"]["data"]["id"].as_str() == Some(subject)
                && message["created_at"].as_i64().unwrap_or(i64::MAX) >= since_ms - 1_000
        });
        if let Some(message) = found {
            let id = message["id"].as_str().unwrap_or_default();
            let route = path(&["_local", "webhooks", "messages", id])?;
            return Ok(Some(api.send(Method::GET, &route, &[], None).await?));
        }
        if started.elapsed() >= MESSAGE_WAIT {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
