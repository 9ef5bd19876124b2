//! The `clerk` command: drive any Clerk Backend API (clerk.com or a local `clerk serve`)
//! from the terminal, with tables for people and `--json` for scripts. The user's guide is
//! `README.md` beside this crate.
//!
//! - `main.rs`: the command line (clap), dispatch, logging.
//! - One module per command group: [`users`] (bulk work in [`import`] and [`export`], the
//!   export format they share in [`migration`]), [`orgs`] (a folder: one file per
//!   resource under organizations), [`sessions`], [`clients`], [`allowlist`], [`lists`] (block-list, redirect URLs),
//!   [`messages`] (emails, SMS, the outbox), [`keys`], [`jwks`], [`tokens`], [`raw`]
//!   (`clerk api`), [`webhooks`] (endpoints, messages, trigger, listen), [`tour`], [`serve`].
//! - [`import`] is a folder, one file per job: `rows.rs` (the file into rows), `driver.rs`
//!   (rows to concurrent workers, Ctrl-C), `importer.rs` (one row's create, retried),
//!   `rate_gate.rs` (one 429 pauses every worker), `checkpoint.rs`, `failed.rs` (the
//!   failed-rows file), `report.rs` (the summary), `dry_run.rs`.
//! - [`api`]: the SDK client, and calls that keep the API's answer as sent; [`params`]:
//!   arguments into the SDK's request builders, which know the API's names.
//! - [`output`]: everything printed on stdout; [`progress`]: progress on stderr;
//!   [`error`]: everything printed on failure, and the exit codes.
//! - [`input`] (JSON arguments, secrets from stdin) and [`time`] (dates in and out).

mod allowlist;
mod api;
mod api_keys;
mod clients;
mod error;
mod export;
mod import;
mod input;
mod instance;
mod invitations;
mod jwks;
mod keys;
mod lists;
mod machines;
mod message_templates;
mod messages;
mod migration;
mod orgs;
mod output;
mod params;
mod progress;
mod raw;
mod serve;
mod sessions;
mod sign_ups;
mod templates;
mod tickets;
mod time;
mod tokens;
mod tour;
mod users;
mod waitlist;
mod webhooks;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::api::{Api, ApiArgs};
use crate::error::{CliError, CliResult};
use crate::output::Output;

const ROOT_EXAMPLES: &str = "\
Examples:
  export CLERK_SECRET_KEY=sk_test_…            # the key of your instance (or of `clerk serve`)
  clerk users list --email-address ada@example.com
  clerk --json users get user_2x | jq .email_addresses
  clerk tour                                  # see everything work against a throwaway local server

Exit codes: 0 ok, 1 API error / rejected token / failed import rows, 2 usage,
3 configuration (no secret key, bad URL), 4 API unreachable or not a Clerk API, 130 interrupted.";

/// Drive Clerk's Backend API (clerk.com or a local `clerk serve`), or run a compatible server.
#[derive(Debug, Parser)]
#[command(name = "clerk", version, about, after_help = ROOT_EXAMPLES)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,

    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Clone, Args)]
struct GlobalArgs {
    #[command(flatten)]
    api: ApiArgs,

    /// Print the API's JSON exactly as received (one document per line) instead of a table.
    #[arg(long, global = true)]
    json: bool,

    /// Log each request on stderr (method, path, status, timing; never the secret key).
    /// Twice for more detail. RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Users: list, get, create, update, delete, count, ban, lock, metadata, import, export.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk users list --query ada\n  clerk users get user_2x\n  clerk users import users.csv"
    )]
    Users(Box<users::UsersCommand>),
    /// Sessions: list, get, create, revoke, mint a token, verify a token.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk sessions list --user-id user_2x\n  clerk sessions revoke sess_2x"
    )]
    Sessions(sessions::SessionsCommand),
    /// Organizations: list, get, create, update, delete, metadata; members, invitations,
    /// domains, roles, permissions, role sets.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs create Acme --slug acme --created-by user_2x\n  clerk orgs members list acme\n  clerk orgs get acme --include-members-count"
    )]
    Orgs(Box<orgs::OrgsCommand>),
    /// Clients (browsers and devices): list, get, verify a client token.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk clients get client_2x\n  clerk clients verify \"$CLIENT_TOKEN\""
    )]
    Clients(clients::ClientsCommand),
    /// The allowlist: who may sign up when it is on.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk allowlist add ada@example.com\n  clerk allowlist on"
    )]
    Allowlist(allowlist::AllowlistCommand),
    /// The block-list: identifiers refused when it is on.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk blocklist add '*@spam.example'\n  clerk blocklist list"
    )]
    Blocklist(lists::BlocklistCommand),
    /// Redirect URLs: where the instance may send users back to.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk redirect-urls add my-app://oauth-callback\n  clerk redirect-urls list"
    )]
    RedirectUrls(lists::RedirectUrlsCommand),
    /// The waitlist: list, add, invite, reject and remove entries.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk waitlist add ada@example.com\n  clerk waitlist invite wle_2x"
    )]
    Waitlist(waitlist::WaitlistCommand),
    /// API keys of users and organizations: create, list, get, verify, revoke, delete,
    /// show the secret.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk api-keys create user_2x --name ci --scope read\n  clerk api-keys verify ak_…"
    )]
    ApiKeys(api_keys::ApiKeysCommand),
    /// OAuth applications: create, list, get, update, delete, rotate the client secret.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk oauth-apps create Zapier --redirect-uri https://zapier.com/cb\n  clerk oauth-apps rotate-secret oa_2x"
    )]
    OauthApps(api_keys::OAuthAppsCommand),
    /// Sign-up attempts: get one, set its external ID or custom-action flag.
    #[command(
        subcommand,
        name = "sign-ups",
        after_help = "Examples:\n  clerk sign-ups get sua_2x\n  clerk sign-ups update sua_2x --external-id crm_42"
    )]
    SignUps(sign_ups::SignUpsCommand),
    /// Instance invitations: invite an email address to sign up; list, revoke.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk invitations create ada@example.com\n  clerk invitations list --status pending"
    )]
    Invitations(invitations::InvitationsCommand),
    /// Sign-in tokens: single-use tickets that sign a user in.
    #[command(
        subcommand,
        name = "sign-in-tokens",
        after_help = "Examples:\n  clerk sign-in-tokens create user_2x\n  clerk sign-in-tokens revoke sit_2x"
    )]
    SignInTokens(tickets::SignInTokensCommand),
    /// Actor tokens: single-use tickets whose session impersonates a user.
    #[command(
        subcommand,
        name = "actor-tokens",
        after_help = "Examples:\n  clerk actor-tokens create user_2x --actor user_admin\n  clerk actor-tokens revoke act_2x"
    )]
    ActorTokens(tickets::ActorTokensCommand),
    /// Create a testing token (the Frontend API's `__clerk_testing_token`).
    #[command(
        name = "testing-token",
        after_help = "Example:\n  clerk testing-token --json"
    )]
    TestingToken,
    /// Instance settings: Protect, the SMS country blocklist, OAuth applications,
    /// organizations.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk instance orgs --max-memberships 5\n  clerk instance sms-blocklist --set KP"
    )]
    Instance(instance::InstanceCommand),
    /// The instance's domains: the primary (this server's URL) and satellites.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk domains list\n  clerk domains add localhost:3001"
    )]
    Domains(instance::DomainsCommand),
    /// Emails (legacy `POST /v1/emails`).
    #[command(
        subcommand,
        after_help = "Example:\n  clerk emails send --email-address-id idn_2x --subject Welcome --body '<p>Hi</p>'"
    )]
    Emails(messages::EmailsCommand),
    /// SMS messages (deprecated by Clerk).
    #[command(
        subcommand,
        after_help = "Example:\n  clerk sms send --phone-number-id idn_2x --message Hi"
    )]
    Sms(messages::SmsCommand),
    /// The instance's public signing keys (JWKS).
    #[command(after_help = jwks::EXAMPLES)]
    Jwks,
    /// What a local clerk-server "sent": its email and SMS outbox.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk outbox list --type email\n  clerk outbox clear"
    )]
    Outbox(messages::OutboxCommand),
    /// A local clerk-server's webhooks: endpoints, messages, attempts, resend; trigger an
    /// event; listen and forward events to your app.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk webhooks listen --forward-to http://localhost:3000/api/webhooks\n  clerk webhooks trigger user.created\n  clerk webhooks messages --event user.created"
    )]
    Webhooks(webhooks::WebhooksCommand),
    /// A local clerk-server's signing keys: list, print as PEM, rotate.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk keys list\n  clerk keys rotate"
    )]
    Keys(keys::KeysCommand),
    /// JWT templates: list, get, create, update, delete; mint a session's token from one.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk templates create supabase --claims '{\"email\":\"{{user.primary_email_address}}\"}'\n  clerk templates mint sess_2x supabase"
    )]
    Templates(templates::TemplatesCommand),
    /// Machines (services that call each other): create, list, get, update, delete, their
    /// secret keys and scopes.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk machines create billing --scope mch_2x\n  clerk machines scopes add mch_caller mch_callee"
    )]
    Machines(machines::MachinesCommand),
    /// M2M tokens: create (with a machine's secret key), list, verify, revoke.
    #[command(
        subcommand,
        name = "m2m-tokens",
        after_help = "Examples:\n  CLERK_MACHINE_SECRET_KEY=ak_… clerk m2m-tokens create\n  clerk m2m-tokens verify mt_…"
    )]
    M2mTokens(machines::M2mTokensCommand),
    /// Email and SMS templates: list, get, update, revert, preview, toggle-delivery.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk message-templates list email\n  clerk message-templates update email verification_code --body @code.html"
    )]
    MessageTemplates(message_templates::MessageTemplatesCommand),
    /// Session tokens: verify one without the API.
    #[command(
        subcommand,
        after_help = "Example:\n  clerk tokens verify \"$TOKEN\" --jwks-url http://127.0.0.1:8080/.well-known/jwks.json"
    )]
    Tokens(tokens::TokensCommand),
    /// Call any Backend API endpoint and print its JSON.
    Api(raw::ApiCallArgs),
    /// Start a throwaway local server and run every method of the SDK against it.
    #[command(after_help = tour::EXAMPLES)]
    Tour,
    /// Run a local server that speaks Clerk's Backend API.
    #[command(after_help = serve::EXAMPLES)]
    Serve(serve::ServeArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  clerk completions bash > ~/.local/share/bash-completion/completions/clerk
  clerk completions zsh > \"${fpath[1]}/_clerk\"
  clerk completions fish > ~/.config/fish/completions/clerk.fish";

/// What every command gets: the API options and how to print.
#[derive(Debug, Clone)]
pub struct Context {
    api_args: ApiArgs,
    out: Output,
}

impl Context {
    /// The Backend API named by the global options and the environment.
    pub fn api(&self) -> CliResult<Api> {
        self.api_args.connect()
    }

    /// The global API options.
    pub fn api_args(&self) -> &ApiArgs {
        &self.api_args
    }

    /// Where results go.
    pub fn out(&self) -> Output {
        self.out
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command;
    if let Command::Serve(args) = command {
        // The server logs its requests at info by default; see serve.rs.
        return run_async(async move { serve::run(args).await.map_err(server_error) });
    }
    init_logging(cli.global.verbose);
    let ctx = Context {
        api_args: cli.global.api,
        out: Output::new(cli.global.json),
    };
    run_async(dispatch(ctx, command))
}

/// Runs a command to completion and turns its outcome into an exit code.
fn run_async(future: impl Future<Output = CliResult>) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(future) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

async fn dispatch(ctx: Context, command: Command) -> CliResult {
    match command {
        Command::Users(command) => users::run(&ctx, *command).await,
        Command::Sessions(command) => sessions::run(&ctx, command).await,
        Command::Orgs(command) => orgs::run(&ctx, *command).await,
        Command::Clients(command) => clients::run(&ctx, command).await,
        Command::Allowlist(command) => allowlist::run(&ctx, command).await,
        Command::Blocklist(command) => lists::run_blocklist(&ctx, command).await,
        Command::RedirectUrls(command) => lists::run_redirect_urls(&ctx, command).await,
        Command::Waitlist(command) => waitlist::run(&ctx, command).await,
        Command::ApiKeys(command) => api_keys::run(&ctx, command).await,
        Command::OauthApps(command) => api_keys::run_oauth_apps(&ctx, command).await,
        Command::SignUps(command) => sign_ups::run(&ctx, command).await,
        Command::Invitations(command) => invitations::run(&ctx, command).await,
        Command::SignInTokens(command) => tickets::run_sign_in(&ctx, command).await,
        Command::ActorTokens(command) => tickets::run_actor(&ctx, command).await,
        Command::TestingToken => tickets::run_testing(&ctx).await,
        Command::Instance(command) => instance::run(&ctx, command).await,
        Command::Domains(command) => instance::run_domains(&ctx, command).await,
        Command::Emails(command) => messages::run_emails(&ctx, command).await,
        Command::Sms(command) => messages::run_sms(&ctx, command).await,
        Command::Outbox(command) => messages::run_outbox(&ctx, command).await,
        Command::Jwks => jwks::run(&ctx).await,
        Command::Keys(command) => keys::run(&ctx, command).await,
        Command::Webhooks(command) => webhooks::run(&ctx, command).await,
        Command::Templates(command) => templates::run(&ctx, command).await,
        Command::MessageTemplates(command) => message_templates::run(&ctx, command).await,
        Command::Machines(command) => machines::run(&ctx, command).await,
        Command::M2mTokens(command) => machines::run_tokens(&ctx, command).await,
        Command::Tokens(command) => tokens::run(&ctx, command).await,
        Command::Api(args) => raw::run(&ctx, args).await,
        Command::Tour => tour::run(&ctx).await,
        Command::Serve(_) => unreachable!("handled before logging is set up"),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "clerk", &mut script);
            ctx.out().line(String::from_utf8_lossy(&script).trim_end())
        }
    }
}

fn server_error(error: clerk_server::Error) -> CliError {
    CliError::Failed(error.to_string())
}

/// Logs go to stderr: warnings by default, each request with `-v`, more with `-vv`.
/// `RUST_LOG` overrides. The SDK never logs the secret key, headers, query strings or bodies.
fn init_logging(verbose: u8) {
    init_logging_with(match verbose {
        0 => "warn",
        1 => "warn,clerk_sdk=debug,clerk=debug",
        _ => "info,clerk_sdk=trace,clerk=trace,clerk_server=debug",
    });
}

/// Logs to stderr with `default` as the filter unless `RUST_LOG` is set; colours
/// only on a terminal, so redirected logs stay plain text.
pub(crate) fn init_logging_with(default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command's `--help` ends with examples.
    #[test]
    fn every_command_has_an_example() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", command.get_name());
            let has_example = command
                .get_after_help()
                .is_some_and(|help| help.to_string().contains("Example"));
            if !has_example && command.get_name() != "help" {
                missing.push(path.clone());
            }
            for sub in command.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "commands without examples: {missing:?}");
    }

    /// No secret given on the command line shows in the parsed arguments' `Debug`.
    #[test]
    fn debug_output_hides_every_secret_argument() {
        let command_lines: [&[&str]; 5] = [
            &["clerk", "--secret-key", "sk_test_SECRET1", "users", "list"],
            &[
                "clerk",
                "users",
                "create",
                "--password-digest",
                "DIGEST2",
                "--password-hasher",
                "bcrypt",
            ],
            &["clerk", "tokens", "verify", "TOKEN3"],
            &["clerk", "sessions", "verify", "sess_1", "TOKEN4"],
            &["clerk", "clients", "verify", "TOKEN5"],
        ];
        for (i, args) in command_lines.into_iter().enumerate() {
            let cli = Cli::try_parse_from(args).unwrap();
            let text = format!("{cli:?}");
            let secret = args
                .iter()
                .find(|a| a.ends_with(&(i + 1).to_string()))
                .unwrap();
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let serve = Cli::try_parse_from([
            "clerk",
            "serve",
            "--database-url",
            "postgres://clerk:PASSWORD6@127.0.0.1/clerk",
            "--secret-key",
            "sk_test_SECRET7",
        ])
        .unwrap();
        let text = format!("{serve:?}");
        assert!(
            !text.contains("PASSWORD6") && !text.contains("SECRET7"),
            "{text}"
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
