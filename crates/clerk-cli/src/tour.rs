//! `clerk tour`: starts clerk-server in-process on a temporary SQLite file and runs every
//! method of Clerk's Ruby SDK ("the seed") through the Rust SDK against it, one line per call:
//! the Ruby method, the Rust call, and what came back; then what the seed never had
//! (organizations; webhooks delivered to a receiver the tour runs, verified with the SDK).
//! The quickest way to see the whole project work; nothing outside a temporary directory is
//! touched.

use std::fmt::Display;
use std::future::Future;

use clerk_sdk::webhooks::{EventData, WebhookVerifier};
use clerk_sdk::{
    Clerk, CreateAllowlistIdentifier, CreateApiKey, CreateEmail, CreateInvitation,
    CreateJwtTemplate, CreateM2mToken, CreateMachine, CreateOrganization,
    CreateOrganizationMembership, CreateOrganizationPermission, CreateSession, CreateSessionToken,
    CreateSmsMessage, CreateUser, InvitationStatus, ListAllowlistIdentifiers, ListClients,
    ListInvitations, ListOrganizationMemberships, ListOrganizationRoles, ListSessions, ListUsers,
    Method, Session, SmsMessage, Token, UpdateUser, User,
};
use clerk_server::{Config, Server};
use serde_json::{Value, json};

use crate::Context;
use crate::error::{CliError, CliResult};

/// Examples for `clerk tour --help`.
pub const EXAMPLES: &str = "\
Example:
  clerk tour          # or, from a clone: cargo run -p clerk-cli -- tour";

/// Runs the tour.
pub async fn run(ctx: &Context) -> CliResult {
    let dir =
        tempfile::tempdir().map_err(|e| CliError::io("cannot create a temporary directory", e))?;
    let database = format!("sqlite://{}", dir.path().join("tour.db").display());
    let config = Config::new(database).with_listen(([127, 0, 0, 1], 0).into());
    let server = Server::bind(config)
        .await
        .map_err(|e| CliError::Failed(format!("cannot start the local server: {e}")))?;
    let api_url = server.api_url();
    let secret_key = server
        .generated_secret_key()
        .map(|key| key.expose().to_owned())
        .ok_or_else(|| CliError::Failed("the new server printed no secret key".into()))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));

    let mut tour = Tour::new(ctx);
    tour.say(format!(
        "clerk-server is running on a temporary SQLite file: {api_url}\n\
         Every call below goes through the Rust SDK (clerk_sdk::Clerk) over HTTP.\n"
    ))?;
    let clerk = Clerk::builder()
        .base_url(&api_url)
        .secret_key(secret_key)
        .build()?;
    let outcome = tour.walk(&clerk).await;

    let _ = stop.send(());
    let _ = serving.await;
    outcome?;
    tour.say(format!(
        "\nAll {} calls worked. Next: `clerk serve` for a server that stays up, then \
         `clerk users list` against it (see `clerk --help`).",
        tour.step
    ))
}

/// Numbered lines on stdout.
struct Tour {
    out: crate::output::Output,
    step: usize,
}

impl Tour {
    fn new(ctx: &Context) -> Self {
        Self {
            out: ctx.out(),
            step: 0,
        }
    }

    fn say(&self, text: impl Display) -> CliResult {
        self.out.line(text)
    }

    /// Runs one call and prints `n. ruby  rust  → result`; a failure names the step.
    async fn call<T, F>(
        &mut self,
        ruby: &str,
        rust: &str,
        call: F,
        result: impl FnOnce(&T) -> String,
    ) -> CliResult<T>
    where
        F: Future<Output = Result<T, clerk_sdk::Error>>,
    {
        self.step += 1;
        match call.await {
            Ok(value) => {
                self.say(format!(
                    "{:>2}. {ruby:<34} {rust:<58} → {}",
                    self.step,
                    result(&value)
                ))?;
                Ok(value)
            }
            Err(error) => {
                self.say(format!("{:>2}. {ruby:<34} {rust:<58} → FAILED", self.step))?;
                Err(error.into())
            }
        }
    }

    /// Every seed method, chapter by chapter, in an order where each has what it needs.
    async fn walk(&mut self, clerk: &Clerk) -> CliResult {
        let user = self.users(clerk).await?;
        let session = self.sessions(clerk, &user).await?;
        self.templates(clerk, &session).await?;
        self.machines(clerk).await?;
        self.organizations(clerk, &user).await?;
        self.clients(clerk, &session).await?;
        self.allowlist(clerk).await?;
        self.invitations(clerk).await?;
        self.messages(clerk, &user).await?;
        self.webhooks(clerk).await?;
        self.api_keys(clerk, &user).await?;
        self.clean_up(clerk, &user, &session).await
    }

    /// Users: create one, list, filter, update.
    async fn users(&mut self, clerk: &Clerk) -> CliResult<User> {
        let user = self
            .call(
                "(setup) users.create",
                "clerk.users().create(CreateUser::new()…)",
                clerk.users().create(
                    CreateUser::new()
                        .email_address(["ada@example.com"])
                        .phone_number(["+15555550123"])
                        .first_name("Ada")
                        .last_name("Lovelace"),
                ),
                |user| format!("created {} (ada@example.com, +15555550123)", user.id),
            )
            .await?;
        self.call(
            "users.all",
            "clerk.users().list(ListUsers::new())",
            clerk.users().list(ListUsers::new()),
            |page| {
                format!(
                    "{} user(s): {}",
                    page.len(),
                    ids(page.iter().map(|u| &u.id))
                )
            },
        )
        .await?;
        self.call(
            "users.all(email_address: [...])",
            "…list(ListUsers::new().email_address([..]))",
            clerk
                .users()
                .list(ListUsers::new().email_address(["ada@example.com", "nobody@example.com"])),
            |page| format!("{} match(es) for 2 addresses", page.len()),
        )
        .await?;
        self.call(
            "users.update(id, first_name:)",
            "clerk.users().update(id, UpdateUser::new().first_name(..))",
            clerk
                .users()
                .update(&user.id, UpdateUser::new().first_name("John")),
            |user| {
                format!(
                    "first name is now {:?}",
                    user.first_name.as_deref().unwrap_or_default()
                )
            },
        )
        .await?;

        Ok(user)
    }

    /// Sessions: create one for the user, get, list, mint a token and verify it.
    async fn sessions(&mut self, clerk: &Clerk, user: &User) -> CliResult<Session> {
        let session = self
            .call(
                "(setup) sessions.create",
                "clerk.sessions().create(CreateSession::new(user_id))",
                clerk.sessions().create(CreateSession::new(&user.id)),
                |s| format!("{} on {}", s.id, s.client_id),
            )
            .await?;
        self.call(
            "sessions.find(id)",
            "clerk.sessions().get(id)",
            clerk.sessions().get(&session.id),
            |s| format!("{} is {}", s.id, s.status),
        )
        .await?;
        self.call(
            "sessions.all",
            "clerk.sessions().list(ListSessions::new().user_id(..))",
            clerk.sessions().list(ListSessions::new().user_id(&user.id)),
            |page| format!("{} session(s) of {}", page.len(), user.id),
        )
        .await?;
        let token = self
            .call(
                "(setup) session token",
                "clerk.sessions().create_token(id, ..)",
                clerk
                    .sessions()
                    .create_token(&session.id, CreateSessionToken::new()),
                |t| format!("an RS256 JWT of {} bytes", jwt(t).len()),
            )
            .await?;
        self.call(
            "sessions.verify_token(id, jwt)",
            "clerk.sessions().verify_token(id, jwt)",
            clerk.sessions().verify_token(&session.id, jwt(&token)),
            |claims| {
                format!(
                    "valid, verified locally with the JWKS: sub {}, sid {}",
                    claims.sub,
                    claims.sid.as_deref().unwrap_or("-")
                )
            },
        )
        .await?;

        Ok(session)
    }

    /// JWT templates (beyond the seed): a template whose claims use shortcodes, a token
    /// minted from it for the session, and the custom claims read back out of it.
    async fn templates(&mut self, clerk: &Clerk, session: &Session) -> CliResult {
        let claims = json!({
            "email": "{{user.primary_email_address}}",
            "name": "{{user.full_name || user.id}}",
            "plan": "{{user.public_metadata.plan || 'free'}}",
            "greeting": "Hello {{user.first_name}}",
            "aud": "tour"
        });
        let claims = claims.as_object().cloned().unwrap_or_default();
        let template = self
            .call(
                "(extra) jwt_templates.create",
                "clerk.jwt_templates().create(CreateJwtTemplate::new(..))",
                clerk
                    .jwt_templates()
                    .create(CreateJwtTemplate::new("tour", claims).lifetime(300)),
                |t| format!("{} ({}), signed {}", t.id, t.name, t.signing_algorithm),
            )
            .await?;
        let token = self
            .call(
                "(extra) sessions.token(template)",
                "…create_token_from_template(id, \"tour\", None)",
                clerk
                    .sessions()
                    .create_token_from_template(&session.id, &template.name, None),
                |t| format!("a JWT of {} bytes", jwt(t).len()),
            )
            .await?;
        let custom = token_claims(jwt(&token));
        let shown: Vec<String> = ["email", "name", "plan", "greeting", "aud"]
            .iter()
            .map(|k| format!("{k}={}", custom.get(*k).unwrap_or(&Value::Null)))
            .collect();
        self.say(format!("    custom claims: {}", shown.join(", ")))?;
        self.call(
            "(extra) jwt_templates.delete",
            "clerk.jwt_templates().delete(id)",
            clerk.jwt_templates().delete(&template.id),
            |d| format!("{} deleted: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
        )
        .await?;
        Ok(())
    }

    /// Machines (beyond the seed): two services, one allowed to call the other; the caller
    /// mints an M2M token with its own secret key and the callee verifies it with its own.
    async fn machines(&mut self, clerk: &Clerk) -> CliResult {
        let callee = self
            .call(
                "(extra) machines.create",
                "clerk.machines().create(CreateMachine::new(\"inventory\"))",
                clerk.machines().create(CreateMachine::new("inventory")),
                |m| format!("{} ({}), secret key ak_…", m.id, m.name),
            )
            .await?;
        let caller = self
            .call(
                "(extra) machines.create",
                "clerk.machines().create(CreateMachine::new(\"checkout\"))",
                clerk.machines().create(CreateMachine::new("checkout")),
                |m| format!("{} ({})", m.id, m.name),
            )
            .await?;
        self.call(
            "(extra) machines.create_scope",
            "clerk.machines().add_scope(caller, callee)",
            clerk.machines().add_scope(&caller.id, &callee.id),
            |s| format!("{} may call {}", s.from_machine_id, s.to_machine_id),
        )
        .await?;
        let caller_key = caller.secret_key.clone().unwrap_or_default();
        let callee_key = callee.secret_key.clone().unwrap_or_default();
        let minted = self
            .call(
                "(extra) m2m.create_token",
                "clerk.m2m_tokens().with_machine_secret_key(caller)?.create(..)",
                async {
                    clerk
                        .m2m_tokens()
                        .with_machine_secret_key(caller_key)?
                        .create(CreateM2mToken::new().seconds_until_expiration(300))
                        .await
                },
                |t| {
                    format!(
                        "{} for {}, may call {}",
                        t.id,
                        t.subject,
                        t.scopes.join(", ")
                    )
                },
            )
            .await?;
        let token = minted.token.clone().unwrap_or_default();
        self.call(
            "(extra) m2m.verify_token",
            "clerk.m2m_tokens().with_machine_secret_key(callee)?.verify(..)",
            async {
                clerk
                    .m2m_tokens()
                    .with_machine_secret_key(callee_key)?
                    .verify(&token)
                    .await
            },
            |t| format!("valid: issued to {}", t.subject),
        )
        .await?;
        for machine in [&caller, &callee] {
            self.call(
                "(extra) machines.delete",
                "clerk.machines().delete(id)",
                clerk.machines().delete(&machine.id),
                |d| format!("{} deleted: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
            )
            .await?;
        }
        Ok(())
    }

    /// Organizations (beyond the seed): create one, give members a permission, add a
    /// member, sign the member in with the organization active, and read the organization,
    /// role and permissions back out of the session token.
    async fn organizations(&mut self, clerk: &Clerk, admin: &User) -> CliResult {
        let org = self
            .call(
                "(extra) organizations.create",
                "…create(CreateOrganization::new(..).created_by(..))",
                clerk.organizations().create(
                    CreateOrganization::new("Acme")
                        .slug("acme")
                        .created_by(&admin.id),
                ),
                |o| format!("{} ({}), {} is its admin", o.id, o.slug, admin.id),
            )
            .await?;
        // A permission of the instance's own, given to members: system permissions never
        // reach tokens, so this is what the token below has to show.
        let permission = self
            .call(
                "(extra) permissions.create",
                "…permissions().create(CreateOrganizationPermission..)",
                clerk
                    .organization_permissions()
                    .create(CreateOrganizationPermission::new(
                        "Read invoices",
                        "org:invoices:read",
                    )),
                |p| format!("{} is {}", p.id, p.key),
            )
            .await?;
        let roles = self
            .call(
                "(extra) roles.list",
                "…roles().list(ListOrganizationRoles::new().query(..))",
                clerk
                    .organization_roles()
                    .list(ListOrganizationRoles::new().query("org:member")),
                |page| format!("{} role(s) match org:member", page.len()),
            )
            .await?;
        let member_role = roles
            .iter()
            .find(|role| role.key == "org:member")
            .ok_or_else(|| CliError::Failed("the server has no org:member role".into()))?;
        self.call(
            "(extra) roles.assign_permission",
            "…roles().assign_permission(role_id, permission_id)",
            clerk
                .organization_roles()
                .assign_permission(&member_role.id, &permission.id),
            |role| {
                let keys: Vec<&str> = role.permissions.iter().map(|p| p.key.as_str()).collect();
                format!("{} grants {}", role.key, keys.join(", "))
            },
        )
        .await?;
        let member = self
            .call(
                "(setup) users.create",
                "clerk.users().create(CreateUser::new()…)",
                clerk.users().create(
                    CreateUser::new()
                        .email_address(["bob@example.com"])
                        .first_name("Bob"),
                ),
                |u| format!("created {} (bob@example.com)", u.id),
            )
            .await?;
        self.call(
            "(extra) memberships.create",
            "…memberships().create(org, CreateOrganizationMembership..)",
            clerk.organization_memberships().create(
                &org.id,
                CreateOrganizationMembership::new(&member.id, "org:member"),
            ),
            |m| format!("{} joined as {}", member.id, m.role),
        )
        .await?;
        self.call(
            "(extra) memberships.list",
            "…memberships().list(org, ListOrganizationMemberships..)",
            clerk
                .organization_memberships()
                .list(&org.id, ListOrganizationMemberships::new()),
            |page| {
                let roles: Vec<&str> = page.iter().map(|m| m.role.as_str()).collect();
                format!("{} member(s): {}", page.len(), roles.join(", "))
            },
        )
        .await?;
        self.call(
            "(extra) organizations.get(slug)",
            "clerk.organizations().get(\"acme\")",
            clerk.organizations().get(&org.slug),
            |o| format!("{} is {:?}", o.slug, o.name),
        )
        .await?;
        let session = self
            .call(
                "(setup) sessions.create(org)",
                "…create(CreateSession::new(..).active_organization_id(..))",
                clerk
                    .sessions()
                    .create(CreateSession::new(&member.id).active_organization_id(&org.id)),
                |s| {
                    format!(
                        "{} with {} active",
                        s.id,
                        s.last_active_organization_id.as_deref().unwrap_or("-")
                    )
                },
            )
            .await?;
        let token = self
            .call(
                "(setup) session token",
                "clerk.sessions().create_token(id, ..)",
                clerk
                    .sessions()
                    .create_token(&session.id, CreateSessionToken::new()),
                |t| format!("an RS256 JWT of {} bytes", jwt(t).len()),
            )
            .await?;
        self.call(
            "sessions.verify_token(id, jwt)",
            "claims.organization(), claims.has_role(..)",
            clerk.sessions().verify_token(&session.id, jwt(&token)),
            |claims| match claims.organization() {
                Some(o) => format!(
                    "org {} ({}), role {}, permissions [{}], has_role(\"org:member\") = {}, \
                     has_permission(\"org:invoices:read\") = {}",
                    o.id,
                    o.slug.as_deref().unwrap_or("-"),
                    o.role.as_deref().unwrap_or("-"),
                    o.permissions.join(", "),
                    claims.has_role("org:member"),
                    claims.has_permission("org:invoices:read")
                ),
                None => "no active organization in the token".into(),
            },
        )
        .await?;
        self.call(
            "(extra) organizations.delete",
            "clerk.organizations().delete(id)",
            clerk.organizations().delete(&org.id),
            |d| format!("deleted {}: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
        )
        .await?;
        self.call(
            "users.delete(id)",
            "clerk.users().delete(id)",
            clerk.users().delete(&member.id),
            |d| format!("deleted {}: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
        )
        .await?;
        Ok(())
    }

    /// Clients: get, list, and verify a client token.
    async fn clients(&mut self, clerk: &Clerk, session: &Session) -> CliResult {
        self.call(
            "clients.find(id)",
            "clerk.clients().get(id)",
            clerk.clients().get(&session.client_id),
            |c| format!("{} holds {} session(s)", c.id, c.session_ids.len()),
        )
        .await?;
        self.call(
            "clients.all",
            "clerk.clients().list(ListClients::new())",
            clerk.clients().list(ListClients::new()),
            |page| format!("{} client(s)", page.len()),
        )
        .await?;
        // A client token is what a browser's `__client` cookie holds; this server mints one
        // through its local extension, reached with the SDK's escape hatch.
        let client_path = format!("/_local/clients/{}/token", session.client_id);
        let client_token = self
            .call(
                "(setup) client token",
                "clerk.request(POST, \"/_local/clients/{id}/token\", ..)",
                clerk.request::<Token>(Method::POST, &client_path, &[], None),
                |t| format!("a client JWT of {} bytes", jwt(t).len()),
            )
            .await?;
        self.call(
            "clients.verify_token(jwt)",
            "clerk.clients().verify_token(jwt)",
            clerk.clients().verify_token(jwt(&client_token)),
            |c| format!("the token belongs to {}", c.id),
        )
        .await?;

        Ok(())
    }

    /// The allowlist: add an identifier (with an invitation), list, turn it on, delete.
    async fn allowlist(&mut self, clerk: &Clerk) -> CliResult {
        let identifier = self
            .call(
                "allowlist_identifiers.create(..)",
                "…create(CreateAllowlistIdentifier::new(..).notify(true))",
                clerk
                    .allowlist_identifiers()
                    .create(CreateAllowlistIdentifier::new("grace@example.com").notify(true)),
                |a| {
                    format!(
                        "{} allows {} (invitation emailed)",
                        a.id.as_deref().unwrap_or("-"),
                        a.identifier.as_deref().unwrap_or("-")
                    )
                },
            )
            .await?;
        self.call(
            "allowlist_identifiers.all",
            "clerk.allowlist_identifiers().list(..)",
            clerk
                .allowlist_identifiers()
                .list(ListAllowlistIdentifiers::new()),
            |page| format!("{} identifier(s)", page.len()),
        )
        .await?;
        self.call(
            "allowlist.update(restricted_to..)",
            "clerk.allowlist().update(true)",
            clerk.allowlist().update(true),
            |settings| {
                format!(
                    "restricted_to_allowlist = {}",
                    settings.restricted_to_allowlist.unwrap_or_default()
                )
            },
        )
        .await?;
        let identifier_id = identifier.id.unwrap_or_default();
        self.call(
            "allowlist_identifiers.delete(id)",
            "clerk.allowlist_identifiers().delete(id)",
            clerk.allowlist_identifiers().delete(&identifier_id),
            |d| format!("deleted: {}", d.deleted),
        )
        .await?;

        Ok(())
    }

    /// Invitations: invite an address, list, accept one by redeeming its ticket (the new
    /// user is signed in), revoke another.
    async fn invitations(&mut self, clerk: &Clerk) -> CliResult {
        let mut meta = serde_json::Map::new();
        meta.insert("plan".into(), json!("pro"));
        let invited = self
            .call(
                "(extra) invitations.create",
                "clerk.invitations().create(CreateInvitation::new(..))",
                clerk
                    .invitations()
                    .create(CreateInvitation::new("hopper@example.com").public_metadata(meta)),
                |i| format!("{} invites {} (email sent)", i.id, i.email_address),
            )
            .await?;
        let spare = self
            .call(
                "(extra) invitations.create_bulk",
                "clerk.invitations().create_bulk([..])",
                clerk
                    .invitations()
                    .create_bulk([CreateInvitation::new("lovelace@example.com").notify(false)]),
                |created| format!("{} more", created.len()),
            )
            .await?;
        self.call(
            "(extra) invitations.list",
            "clerk.invitations().list(ListInvitations::new())",
            clerk
                .invitations()
                .list(ListInvitations::new().status(InvitationStatus::Pending)),
            |page| format!("{} pending", page.len()),
        )
        .await?;
        let url = invited.url.clone().unwrap_or_default();
        let ticket = url
            .split("__clerk_ticket=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .unwrap_or_default()
            .to_owned();
        self.call(
            "(extra) accept: redeem the ticket",
            "clerk.request(POST, \"/_local/tickets/redeem\", ..)",
            clerk.request::<Value>(
                Method::POST,
                "/_local/tickets/redeem",
                &[],
                Some(json!({ "ticket": ticket })),
            ),
            |r| {
                format!(
                    "new user {} signed in ({})",
                    r["user_id"].as_str().unwrap_or("-"),
                    r["session_id"].as_str().unwrap_or("-")
                )
            },
        )
        .await?;
        if let Some(spare) = spare.first() {
            self.call(
                "(extra) invitations.revoke",
                "clerk.invitations().revoke(id)",
                clerk.invitations().revoke(&spare.id),
                |i| format!("{} is {}", i.id, i.status.as_str()),
            )
            .await?;
        }
        Ok(())
    }

    /// Emails and SMS, and the outbox that shows what was "sent".
    async fn messages(&mut self, clerk: &Clerk, user: &User) -> CliResult {
        let email_id = user
            .email_addresses
            .first()
            .and_then(|e| e.id.clone())
            .unwrap_or_default();
        self.call(
            "emails.create(..)",
            "clerk.emails().create(CreateEmail::new(..).subject(..))",
            clerk.emails().create(
                CreateEmail::new(&email_id, "noreply")
                    .subject("Welcome")
                    .body("<p>Welcome aboard!</p>"),
            ),
            |e| {
                format!(
                    "{} to {} is {}",
                    e.id,
                    e.to_email_address.as_deref().unwrap_or("-"),
                    e.status.as_deref().unwrap_or("-")
                )
            },
        )
        .await?;
        let phone_id = user
            .phone_numbers
            .first()
            .and_then(|p| p.id.clone())
            .unwrap_or_default();
        self.call(
            "sms_messages.create(..)",
            "clerk.sms_messages().create(..)",
            send_sms(clerk, &phone_id),
            |s| {
                format!(
                    "{} to {} is {} (deprecated upstream)",
                    s.id, s.to_phone_number, s.status
                )
            },
        )
        .await?;
        self.call(
            "(extra) the server's outbox",
            "clerk.request(GET, \"/_local/outbox\", ..)",
            clerk.request::<Value>(Method::GET, "/_local/outbox", &[], None),
            |outbox| {
                format!(
                    "{} message(s) \"sent\": invitation, email and SMS",
                    outbox["total_count"].as_i64().unwrap_or(0)
                )
            },
        )
        .await?;

        Ok(())
    }

    /// Webhooks (beyond the seed): register an endpoint at a receiver run by the tour,
    /// create a user, receive its `user.created`, verify the signature with the SDK, and
    /// read the delivery attempt back from the server.
    async fn webhooks(&mut self, clerk: &Clerk) -> CliResult {
        let (url, mut deliveries) = start_receiver().await?;
        self.call(
            "(extra) webhooks.create_svix_app",
            "clerk.webhooks().create_svix_app()",
            clerk.webhooks().create_svix_app(),
            |app| format!("endpoints are managed at {}", app.svix_url),
        )
        .await?;
        let endpoint = self
            .call(
                "(extra) add a webhook endpoint",
                "clerk.request(POST, \"/_local/webhooks/endpoints\", ..)",
                clerk.request::<Value>(
                    Method::POST,
                    "/_local/webhooks/endpoints",
                    &[],
                    Some(json!({"url": url, "filter_types": ["user.created"]})),
                ),
                |e| {
                    format!(
                        "{} → {} for user.created, signing secret {}…",
                        e["id"].as_str().unwrap_or("-"),
                        e["url"].as_str().unwrap_or("-"),
                        e["secret"].as_str().unwrap_or("-").get(..12).unwrap_or("-")
                    )
                },
            )
            .await?;
        let secret = endpoint["secret"].as_str().unwrap_or_default().to_owned();
        let user = self
            .call(
                "(setup) users.create",
                "clerk.users().create(CreateUser::new()…)",
                clerk.users().create(
                    CreateUser::new()
                        .email_address(["lin@example.com"])
                        .first_name("Lin"),
                ),
                |u| format!("created {} (lin@example.com)", u.id),
            )
            .await?;
        // The event left when the create committed; the receiver has it, or soon will.
        let (headers, body) =
            tokio::time::timeout(std::time::Duration::from_secs(10), deliveries.recv())
                .await
                .ok()
                .flatten()
                .ok_or_else(|| CliError::Failed("no webhook arrived within 10 s".into()))?;
        let verifier = WebhookVerifier::new(&secret)
            .map_err(|e| CliError::Failed(format!("the endpoint's secret is unusable: {e}")))?;
        let event = verifier
            .verify_event(&headers, &body)
            .map_err(|e| CliError::Failed(format!("the delivery does not verify: {e}")))?;
        let about = match &event.data {
            EventData::UserCreated(created) => created.id.clone(),
            _ => "-".to_owned(),
        };
        let message_id = headers
            .get("svix-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        self.step += 1;
        self.say(format!(
            "{:>2}. {:<34} {:<58} → {} about {about} ({message_id}), signature valid",
            self.step,
            "(extra) the delivery arrives",
            "WebhookVerifier::new(secret)?.verify_event(..)",
            event.event_type,
        ))?;
        let attempts_path = format!("/_local/webhooks/messages/{message_id}/attempts");
        self.call(
            "(extra) its delivery attempts",
            "clerk.request(GET, \"…/messages/{id}/attempts\", ..)",
            recorded_attempts(clerk, &attempts_path),
            |page| match page["data"].as_array().filter(|a| !a.is_empty()) {
                Some(attempts) => format!(
                    "{} attempt(s); latest {} with HTTP {} in {} ms",
                    attempts.len(),
                    attempts[0]["status"].as_str().unwrap_or("-"),
                    attempts[0]["response_status_code"].as_i64().unwrap_or(0),
                    attempts[0]["duration_ms"].as_i64().unwrap_or(0)
                ),
                None => "no attempt recorded within 5 s".into(),
            },
        )
        .await?;
        self.call(
            "(extra) webhooks.delete_svix_app",
            "clerk.webhooks().delete_svix_app()",
            clerk.webhooks().delete_svix_app(),
            |()| "every endpoint removed".into(),
        )
        .await?;
        self.call(
            "users.delete(id)",
            "clerk.users().delete(id)",
            clerk.users().delete(&user.id),
            |d| format!("deleted {}: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
        )
        .await?;
        Ok(())
    }

    /// Revoke the session and delete the user.
    /// API keys (beyond the seed): create one for the user, verify its secret as an API
    /// would on each request, revoke it and see verification refuse it.
    async fn api_keys(&mut self, clerk: &Clerk, user: &User) -> CliResult {
        let key = self
            .call(
                "(extra) api_keys.create",
                "clerk.api_keys().create(CreateApiKey::new(..))",
                clerk
                    .api_keys()
                    .create(CreateApiKey::new("tour key", &user.id).scopes(["read:chats"])),
                |k| format!("{} for {}, secret shown once", k.id, k.subject),
            )
            .await?;
        let secret = key.secret.clone().unwrap_or_default();
        self.call(
            "(extra) api_keys.verify",
            "clerk.api_keys().verify(secret)",
            clerk.api_keys().verify(&secret),
            |k| format!("acts for {} with scopes {}", k.subject, k.scopes.join(" ")),
        )
        .await?;
        self.call(
            "(extra) api_keys.revoke",
            "clerk.api_keys().revoke(id, Some(\"tour\"))",
            clerk.api_keys().revoke(&key.id, Some("tour")),
            |k| format!("revoked: {}", k.revoked),
        )
        .await?;
        let refused = clerk.api_keys().verify(&secret).await;
        self.say(format!(
            "    verifying the revoked key: {}",
            match &refused {
                Err(clerk_sdk::Error::Api(e)) =>
                    format!("{} {}", e.status().as_u16(), e.code().unwrap_or("-")),
                Err(other) => format!("error: {other}"),
                Ok(_) => "accepted (unexpected)".to_owned(),
            }
        ))?;
        if refused.is_ok() {
            return Err(CliError::Failed("a revoked API key still verified".into()));
        }
        Ok(())
    }

    async fn clean_up(&mut self, clerk: &Clerk, user: &User, session: &Session) -> CliResult {
        self.call(
            "sessions.revoke(id)",
            "clerk.sessions().revoke(id)",
            clerk.sessions().revoke(&session.id),
            |s| format!("{} is {}", s.id, s.status),
        )
        .await?;
        self.call(
            "users.delete(id)",
            "clerk.users().delete(id)",
            clerk.users().delete(&user.id),
            |d| format!("deleted {}: {}", d.id.as_deref().unwrap_or("-"), d.deleted),
        )
        .await?;
        Ok(())
    }
}

/// A webhook receiver on 127.0.0.1 that answers 200 and hands each delivery (headers and
/// body) over; its URL.
async fn start_receiver() -> CliResult<(
    String,
    tokio::sync::mpsc::UnboundedReceiver<(axum::http::HeaderMap, axum::body::Bytes)>,
)> {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| CliError::io("cannot listen on 127.0.0.1", e))?;
    let address = listener
        .local_addr()
        .map_err(|e| CliError::io("cannot read the receiver's address", e))?;
    let app = axum::Router::new().fallback(axum::routing::post(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let sender = sender.clone();
            async move {
                let _ = sender.send((headers, body));
                axum::http::StatusCode::OK
            }
        },
    ));
    // Ends with the tour's runtime.
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((format!("http://{address}/webhooks"), receiver))
}

/// A message's attempts, once the first is recorded (the receiver has answered by the time
/// the tour asks, but the server records the attempt just after): polled for up to 5 s.
async fn recorded_attempts(clerk: &Clerk, path: &str) -> Result<Value, clerk_sdk::Error> {
    let started = std::time::Instant::now();
    loop {
        let page: Value = clerk.request(Method::GET, path, &[], None).await?;
        let recorded = page["data"].as_array().is_some_and(|a| !a.is_empty());
        if recorded || started.elapsed() > std::time::Duration::from_secs(5) {
            return Ok(page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[allow(deprecated)] // the seed's method; Clerk removed the endpoint upstream
async fn send_sms(clerk: &Clerk, phone_id: &str) -> Result<SmsMessage, clerk_sdk::Error> {
    clerk
        .sms_messages()
        .create(CreateSmsMessage::new(phone_id, "Welcome!"))
        .await
}

/// The claims of a JWT, decoded without verification.
fn token_claims(jwt: &str) -> serde_json::Map<String, Value> {
    use base64::Engine;
    jwt.split('.')
        .nth(1)
        .and_then(|part| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn jwt(token: &Token) -> &str {
    token.jwt.as_deref().unwrap_or_default()
}

fn ids<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    ids.map(String::as_str).collect::<Vec<_>>().join(", ")
}
