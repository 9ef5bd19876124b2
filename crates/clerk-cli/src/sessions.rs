//! `clerk sessions`: list, get, create, revoke, mint a token, verify a token.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateSession, CreateSessionToken, ListSessions, Page, SecretKey, Session, SessionStatus, Token,
};

use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::{Context, input};

/// `clerk sessions …`
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List the sessions of a user or a client.
    #[command(
        after_help = "Examples:\n  clerk sessions list --user-id user_2x\n  clerk sessions list --client-id client_2x --status active"
    )]
    List(ListArgs),
    /// Show one session.
    #[command(after_help = "Example:\n  clerk sessions get sess_2x")]
    Get(SessionId),
    /// Create an active session for a user (development and test instances only).
    #[command(
        after_help = "Examples:\n  clerk sessions create user_2x\n  clerk sessions create user_2x --organization org_2x"
    )]
    Create(CreateArgs),
    /// Revoke a session: its tokens stop being renewed.
    #[command(after_help = "Example:\n  clerk sessions revoke sess_2x")]
    Revoke(SessionId),
    /// Mint a session token for an active session (prints the JWT).
    #[command(
        after_help = "Examples:\n  TOKEN=$(clerk sessions token sess_2x)\n  clerk sessions token sess_2x --expires-in-seconds 300\n  clerk sessions token sess_2x --template supabase"
    )]
    Token(TokenArgs),
    /// Verify that a session token is valid and belongs to this session; prints its claims.
    #[command(
        after_help = "Examples:\n  clerk sessions verify sess_2x \"$TOKEN\"\n  echo \"$TOKEN\" | clerk sessions verify sess_2x - --online"
    )]
    Verify(VerifyArgs),
}

/// One session, by ID.
#[derive(Debug, Args)]
pub struct SessionId {
    /// The session ID (sess_…).
    id: String,
}

/// `sessions list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Sessions of this user.
    #[arg(long, value_name = "ID", required_unless_present = "client_id")]
    user_id: Option<String>,
    /// Sessions of this client.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Only sessions in this state: active, revoked, ended, expired, removed, abandoned, pending.
    #[arg(long)]
    status: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `sessions create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The user to sign in (user_…).
    user_id: String,
    /// The organization to make active in the session (its token then carries the
    /// member's organization, role and permissions).
    #[arg(long, value_name = "ID", visible_alias = "organization")]
    active_organization_id: Option<String>,
}

/// `sessions token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The session ID (sess_…).
    id: String,
    /// A JWT template to use, by name.
    #[arg(long)]
    template: Option<String>,
    /// The token's lifetime in seconds (default: the instance's, 60 s).
    #[arg(long, value_name = "SECONDS")]
    expires_in_seconds: Option<u64>,
}

/// `sessions verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The session ID (sess_…) the token must belong to.
    id: String,
    /// The session token; - reads it from stdin.
    // Held as the SDK's SecretKey, its one string that never shows in `Debug`.
    token: SecretKey,
    /// Also ask the API that the session is still active (catches revocations).
    #[arg(long)]
    online: bool,
}

/// Runs a `sessions` command.
pub async fn run(ctx: &Context, command: SessionsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        SessionsCommand::List(args) => {
            let mut params = ListSessions::new();
            set_given!(params, args; user_id, client_id);
            if let Some(status) = &args.status {
                params = params.status(SessionStatus::from(status.as_str()));
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/sessions", &query).await?;
            out.show(&raw, |page: Page<Session>| sessions_table(&page.data))
        }
        SessionsCommand::Get(SessionId { id }) => {
            let raw = api.get(&path(&["sessions", &id])?, &[]).await?;
            out.show(&raw, |session: Session| session_details(&session))
        }
        SessionsCommand::Create(args) => {
            let mut params = CreateSession::new(args.user_id);
            set_given!(params, args; active_organization_id);
            let raw = api.post("/sessions", Some(to_body(&params)?)).await?;
            out.show(&raw, |session: Session| session_details(&session))
        }
        SessionsCommand::Revoke(SessionId { id }) => {
            let raw = api.post(&path(&["sessions", &id, "revoke"])?, None).await?;
            out.show(&raw, |session: Session| session_details(&session))
        }
        SessionsCommand::Token(args) => {
            let token_path = match &args.template {
                Some(template) => path(&["sessions", &args.id, "tokens", template])?,
                None => path(&["sessions", &args.id, "tokens"])?,
            };
            let mut params = CreateSessionToken::new();
            set_given!(params, args; expires_in_seconds);
            let raw = api.post(&token_path, Some(to_body(&params)?)).await?;
            out.show(&raw, |token: Token| token.jwt.unwrap_or_default())
        }
        SessionsCommand::Verify(args) => {
            let token = input::token(args.token.expose())?;
            let sessions = api.clerk().sessions();
            let claims = if args.online {
                sessions.verify_token_online(&args.id, &token).await?.0
            } else {
                sessions.verify_token(&args.id, &token).await?
            };
            out.json_value(&claims)
        }
    }
}

fn sessions_table(sessions: &[Session]) -> Table {
    let mut table = Table::new(["ID", "USER", "CLIENT", "STATUS", "LAST ACTIVE", "EXPIRES"])
        .when_empty("no sessions");
    for session in sessions {
        table.row([
            session.id.clone(),
            session.user_id.clone(),
            session.client_id.clone(),
            session.status.to_string(),
            format_ms(session.last_active_at),
            format_ms(session.expire_at),
        ]);
    }
    table
}

fn session_details(session: &Session) -> Details {
    Details::new()
        .field("ID", &session.id)
        .field("User", &session.user_id)
        .field("Client", &session.client_id)
        .field("Status", &session.status)
        .field(
            "Organization",
            or_dash(session.last_active_organization_id.as_deref()),
        )
        .field("Created", format_ms(session.created_at))
        .field("Last active", format_ms(session.last_active_at))
        .field("Expires", format_ms(session.expire_at))
        .field("Abandons at", format_ms(session.abandon_at))
}
