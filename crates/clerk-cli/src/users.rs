//! `clerk users`: every user operation of the SDK, plus bulk [`import`] and
//! [`export`].

use clap::{Args, Subcommand};
use std::fmt;

use clerk_sdk::{
    CreateUser, DeletedObject, ListUsers, Page, PasswordHasher, Patch, SecretKey, TotalCount,
    UpdateUser, User, UserMetadata, Verification,
};
use serde_json::Value;

use crate::api::{Api, path};
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table, compact_json, or_dash, yes_no};
use crate::params::{hint_more, set_given, to_body};
use crate::time::{format_ms, format_opt_ms, parse_ms};
use crate::{Context, export, import, input};

/// `clerk users …`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List one page of users, with every filter of `GET /v1/users`.
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one user.
    #[command(after_help = "Example:\n  clerk users get user_2x")]
    Get(IdArg),
    /// Create a user.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Change a user's fields (an empty value clears a field).
    #[command(after_help = UPDATE_EXAMPLES)]
    Update(UpdateArgs),
    /// Delete a user, for good.
    #[command(after_help = "Example:\n  clerk users delete user_2x")]
    Delete(IdArg),
    /// Count the users matching the filters.
    #[command(
        after_help = "Examples:\n  clerk users count\n  clerk users count --banned true\n  clerk users count --created-at-after 2024-10-29"
    )]
    Count(FilterArgs),
    /// Ban a user: their sessions are revoked and they cannot sign in.
    #[command(after_help = "Example:\n  clerk users ban user_2x")]
    Ban(IdArg),
    /// Lift a ban.
    #[command(after_help = "Example:\n  clerk users unban user_2x")]
    Unban(IdArg),
    /// Lock a user out (until the lockout expires or `unlock`).
    #[command(after_help = "Example:\n  clerk users lock user_2x")]
    Lock(IdArg),
    /// Lift a lockout.
    #[command(after_help = "Example:\n  clerk users unlock user_2x")]
    Unlock(IdArg),
    /// Change a user's metadata: deep merge, or replace.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk users metadata merge user_2x --public '{\"plan\":\"pro\"}'\n  clerk users metadata replace user_2x --private '{}'"
    )]
    Metadata(MetadataCommand),
    /// Create users in bulk from a CSV (Clerk's export columns) or JSON Lines file.
    #[command(after_help = import::EXAMPLES)]
    Import(import::ImportArgs),
    /// Write every user to CSV (Clerk's export columns) or JSON Lines.
    #[command(after_help = export::EXAMPLES)]
    Export(export::ExportArgs),
}

const LIST_EXAMPLES: &str = "\
Examples:
  clerk users list
  clerk users list --email-address ada@example.com --email-address bob@example.com
  clerk users list --query ada --order-by -last_sign_in_at --limit 50
  clerk users list --created-at-after 2024-10-29 --banned false
  clerk --json users list --limit 500 | jq -r '.[].id'";

const CREATE_EXAMPLES: &str = "\
Examples:
  clerk users create --email-address ada@example.com --first-name Ada
  printf %s \"$PASSWORD\" | clerk users create --username ada --password-stdin
  clerk users create --email-address ada@example.com --public-metadata '{\"plan\":\"pro\"}'";

const UPDATE_EXAMPLES: &str = "\
Examples:
  clerk users update user_2x --first-name John
  clerk users update user_2x --username ''          # removes the username
  printf %s \"$PASSWORD\" | clerk users update user_2x --password-stdin --sign-out-of-other-sessions true";

/// One user, by ID.
#[derive(Debug, Args)]
pub struct IdArg {
    /// The user ID (user_…).
    pub id: String,
}

/// Every filter of `GET /v1/users` and `GET /v1/users/count`. Array filters repeat: give
/// the option once per value; users matching any value match.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Users with this email address (repeat for several).
    #[arg(long, value_name = "EMAIL")]
    pub email_address: Vec<String>,
    /// Users with this phone number, E.164 (repeat for several).
    #[arg(long, value_name = "PHONE")]
    pub phone_number: Vec<String>,
    /// Users with this external ID; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub external_id: Vec<String>,
    /// Users with this username (repeat for several).
    #[arg(long, value_name = "USERNAME")]
    pub username: Vec<String>,
    /// Users with this web3 wallet (repeat for several).
    #[arg(long, value_name = "ADDRESS")]
    pub web3_wallet: Vec<String>,
    /// Users with this ID; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub user_id: Vec<String>,
    /// Members of this organization; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub organization_id: Vec<String>,
    /// Partial match over emails, phones, usernames, wallets, IDs and names.
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
    /// Partial, case-insensitive match on email addresses.
    #[arg(long, value_name = "TEXT")]
    pub email_address_query: Option<String>,
    /// Partial match on phone numbers.
    #[arg(long, value_name = "TEXT")]
    pub phone_number_query: Option<String>,
    /// Partial, case-insensitive match on usernames.
    #[arg(long, value_name = "TEXT")]
    pub username_query: Option<String>,
    /// Partial, case-insensitive match on first and last names.
    #[arg(long, value_name = "TEXT")]
    pub name_query: Option<String>,
    /// Only banned (true) or only not banned (false) users.
    #[arg(long, value_name = "BOOL")]
    pub banned: Option<bool>,
    /// Last active before this time (ms, 2024-10-29, or 2024-10-29T08:30:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub last_active_at_before: Option<i64>,
    /// Last active after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub last_active_at_after: Option<i64>,
    /// Active since this time (deprecated by Clerk in favour of --last-active-at-after).
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub last_active_at_since: Option<i64>,
    /// Created before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub created_at_before: Option<i64>,
    /// Created after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub created_at_after: Option<i64>,
    /// Last signed in before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub last_sign_in_at_before: Option<i64>,
    /// Last signed in after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    pub last_sign_in_at_after: Option<i64>,
    /// With --provider-user-id: users with an account at this OAuth provider (oauth_google…).
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,
    /// With --provider: the account's ID at the provider (repeat for several).
    #[arg(long, value_name = "ID")]
    pub provider_user_id: Vec<String>,
}

impl FilterArgs {
    /// The filters as the SDK's list parameters, which know the API's names.
    pub fn to_params(&self) -> ListUsers {
        let args = self.clone();
        let mut params = ListUsers::new()
            .email_address(args.email_address)
            .phone_number(args.phone_number)
            .external_id(args.external_id)
            .username(args.username)
            .web3_wallet(args.web3_wallet)
            .user_id(args.user_id)
            .organization_id(args.organization_id)
            .provider_user_id(args.provider_user_id);
        set_given!(
            params,
            args;
            query,
            email_address_query,
            phone_number_query,
            username_query,
            name_query,
            banned,
            last_active_at_before,
            last_active_at_after,
            last_active_at_since,
            created_at_before,
            created_at_after,
            last_sign_in_at_before,
            last_sign_in_at_after,
            provider,
        );
        params
    }
}

/// `users list`: filters and paging.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// Users per page, 1 to 500 (API default 10).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many users.
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
    /// Order: created_at, updated_at, email_address, first_name, last_name, username,
    /// last_active_at, last_sign_in_at…; prefix - for descending (API default -created_at).
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    /// Cursor: the ID of the last user of the previous page (created_at orders only).
    #[arg(long, value_name = "USER_ID")]
    starting_after: Option<String>,
}

/// `users create`: the fields of `POST /v1/users`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Email address; the first is primary (repeat for several; created verified).
    #[arg(long, value_name = "EMAIL")]
    email_address: Vec<String>,
    /// Phone number, E.164; the first is primary (repeat for several).
    #[arg(long, value_name = "PHONE")]
    phone_number: Vec<String>,
    /// Web3 wallet address (repeat for several).
    #[arg(long, value_name = "ADDRESS")]
    web3_wallet: Vec<String>,
    /// Username.
    #[arg(long)]
    username: Option<String>,
    /// First name.
    #[arg(long)]
    first_name: Option<String>,
    /// Last name.
    #[arg(long)]
    last_name: Option<String>,
    /// The user's ID in your own systems.
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// Locale, such as fr-FR.
    #[arg(long)]
    locale: Option<String>,
    /// Read the password from the first line of stdin (never pass it as an argument).
    #[arg(long)]
    password_stdin: bool,
    /// A password digest from another system (with --password-hasher).
    #[arg(long, value_name = "DIGEST", requires = "password_hasher")]
    // Held as the SDK's SecretKey, its one string that never shows in `Debug`.
    password_digest: Option<SecretKey>,
    /// The algorithm of --password-digest: bcrypt, argon2id, argon2i, scrypt_firebase…
    #[arg(long, value_name = "HASHER", requires = "password_digest")]
    password_hasher: Option<String>,
    /// Skip the password policy checks.
    #[arg(long)]
    skip_password_checks: bool,
    /// Create the user without a password even if the instance requires one.
    #[arg(long)]
    skip_password_requirement: bool,
    /// Public metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public_metadata: Option<String>,
    /// Private metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private_metadata: Option<String>,
    /// Unsafe metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    unsafe_metadata: Option<String>,
    /// When the user signed up, RFC 3339 (for migrations).
    #[arg(long, value_name = "TIME")]
    created_at: Option<String>,
    /// When the user accepted the legal terms, RFC 3339.
    #[arg(long, value_name = "TIME")]
    legal_accepted_at: Option<String>,
    /// Skip the legal-acceptance checks.
    #[arg(long)]
    skip_legal_checks: bool,
    /// Whether the user may delete themselves.
    #[arg(long, value_name = "BOOL")]
    delete_self_enabled: Option<bool>,
    /// Whether the user may create organizations.
    #[arg(long, value_name = "BOOL")]
    create_organization_enabled: Option<bool>,
    /// Create the user banned.
    #[arg(long)]
    banned: bool,
    /// Create the user locked.
    #[arg(long)]
    locked: bool,
}

/// `users update`: the fields of `PATCH /v1/users/{id}`. An empty value clears the field.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The user ID (user_…).
    id: String,
    /// First name ('' clears it).
    #[arg(long)]
    first_name: Option<String>,
    /// Last name ('' clears it).
    #[arg(long)]
    last_name: Option<String>,
    /// Username ('' removes it).
    #[arg(long)]
    username: Option<String>,
    /// The user's ID in your own systems ('' clears it).
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// Locale ('' clears it).
    #[arg(long)]
    locale: Option<String>,
    /// A verified email address of the user (idn_…) to make primary.
    #[arg(long, value_name = "ID")]
    primary_email_address_id: Option<String>,
    /// A verified phone number of the user (idn_…) to make primary.
    #[arg(long, value_name = "ID")]
    primary_phone_number_id: Option<String>,
    /// A web3 wallet of the user to make primary.
    #[arg(long, value_name = "ID")]
    primary_web3_wallet_id: Option<String>,
    /// Read a new password from the first line of stdin.
    #[arg(long)]
    password_stdin: bool,
    /// Skip the password policy checks (with --password-stdin).
    #[arg(long, value_name = "BOOL")]
    skip_password_checks: Option<bool>,
    /// Sign the user out of their other sessions (with --password-stdin).
    #[arg(long, value_name = "BOOL")]
    sign_out_of_other_sessions: Option<bool>,
    /// Whether the user may delete themselves.
    #[arg(long, value_name = "BOOL")]
    delete_self_enabled: Option<bool>,
    /// Whether the user may create organizations.
    #[arg(long, value_name = "BOOL")]
    create_organization_enabled: Option<bool>,
    /// Most organizations the user may create (0: unlimited).
    #[arg(long, value_name = "N")]
    create_organizations_limit: Option<i64>,
    /// When the user accepted the legal terms, RFC 3339.
    #[arg(long, value_name = "TIME")]
    legal_accepted_at: Option<String>,
    /// When the user signed up, RFC 3339.
    #[arg(long, value_name = "TIME")]
    created_at: Option<String>,
}

/// `users metadata …`
#[derive(Debug, Subcommand)]
pub enum MetadataCommand {
    /// Deep-merge into the user's metadata: nested objects merge, a null value deletes its key.
    #[command(
        after_help = "Examples:\n  clerk users metadata merge user_2x --public '{\"plan\":\"pro\",\"trial\":null}'\n  clerk users metadata merge user_2x --private @billing.json"
    )]
    Merge(MetadataArgs),
    /// Replace each metadata object given, wholesale.
    #[command(after_help = "Example:\n  clerk users metadata replace user_2x --unsafe '{}'")]
    Replace(MetadataArgs),
}

/// The metadata objects to merge or replace.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// The user ID (user_…).
    id: String,
    /// public_metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public: Option<String>,
    /// private_metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private: Option<String>,
    /// unsafe_metadata: a JSON object, @FILE or - for stdin.
    #[arg(long = "unsafe", value_name = "JSON")]
    unsafe_metadata: Option<String>,
}

/// Runs a `users` command.
pub async fn run(ctx: &Context, command: UsersCommand) -> CliResult {
    let out = ctx.out();
    match command {
        UsersCommand::Import(args) => return import::run(ctx, args).await,
        UsersCommand::Export(args) => return export::run(ctx, args).await,
        _ => {}
    }
    let api = ctx.api()?;
    match command {
        UsersCommand::List(args) => {
            let mut params = args.filters.to_params();
            set_given!(params, args; limit, offset, order_by, starting_after);
            let raw = api.get("/users", &params.to_query_pairs()).await?;
            let mut shown = 0;
            out.show(&raw, |page: Page<User>| {
                shown = page.len();
                users_table(&page.data)
            })?;
            hint_more(
                &out,
                shown,
                args.limit,
                args.offset,
                "; `clerk users export` writes every user",
            );
            Ok(())
        }
        UsersCommand::Get(IdArg { id }) => {
            let raw = api.get(&path(&["users", &id])?, &[]).await?;
            out.show(&raw, |user: User| user_details(&user))
        }
        UsersCommand::Create(args) => {
            let body = create_body(args)?;
            let raw = api.post("/users", Some(body)).await?;
            out.show(&raw, |user: User| user_details(&user))
        }
        UsersCommand::Update(args) => {
            let id = args.id.clone();
            let body = update_body(args)?;
            let raw = api.patch(&path(&["users", &id])?, body).await?;
            out.show(&raw, |user: User| user_details(&user))
        }
        UsersCommand::Delete(IdArg { id }) => {
            let raw = api.delete(&path(&["users", &id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        UsersCommand::Count(filters) => {
            let query = filters.to_params().to_query_pairs();
            let raw = api.get("/users/count", &query).await?;
            out.show(&raw, |count: TotalCount| count.total_count)
        }
        UsersCommand::Ban(IdArg { id }) => action(ctx, &api, &id, "ban").await,
        UsersCommand::Unban(IdArg { id }) => action(ctx, &api, &id, "unban").await,
        UsersCommand::Lock(IdArg { id }) => action(ctx, &api, &id, "lock").await,
        UsersCommand::Unlock(IdArg { id }) => action(ctx, &api, &id, "unlock").await,
        UsersCommand::Metadata(command) => {
            let (args, replace) = match command {
                MetadataCommand::Merge(args) => (args, false),
                MetadataCommand::Replace(args) => (args, true),
            };
            let user_path = path(&["users", &args.id, "metadata"])?;
            let body = metadata_body(args)?;
            let raw = if replace {
                api.put(&user_path, body).await?
            } else {
                api.patch(&user_path, body).await?
            };
            out.show(&raw, |user: User| metadata_details(&user))
        }
        UsersCommand::Import(_) | UsersCommand::Export(_) => unreachable!("handled above"),
    }
}

/// `POST /v1/users/{id}/{ban,unban,lock,unlock}`.
async fn action(ctx: &Context, api: &Api, id: &str, action: &str) -> CliResult {
    let raw = api.post(&path(&["users", id, action])?, None).await?;
    ctx.out().show(&raw, |user: User| user_details(&user))
}

fn create_body(args: CreateArgs) -> CliResult<Value> {
    let mut params = CreateUser::new()
        .email_address(args.email_address)
        .phone_number(args.phone_number)
        .web3_wallet(args.web3_wallet);
    set_given!(
        params,
        args;
        username,
        first_name,
        last_name,
        external_id,
        locale,
        created_at,
        legal_accepted_at,
        delete_self_enabled,
        create_organization_enabled
    );
    if let Some(digest) = &args.password_digest {
        params = params.password_digest(digest.expose());
    }
    if let Some(hasher) = args.password_hasher {
        params = params.password_hasher(PasswordHasher::from(hasher.as_str()));
    }
    if args.password_stdin {
        params = params.password(input::secret_line("password")?);
    }
    if args.skip_password_checks {
        params = params.skip_password_checks(true);
    }
    if args.skip_password_requirement {
        params = params.skip_password_requirement(true);
    }
    if args.skip_legal_checks {
        params = params.skip_legal_checks(true);
    }
    if args.banned {
        params = params.banned(true);
    }
    if args.locked {
        params = params.locked(true);
    }
    if let Some(json) = &args.public_metadata {
        params = params.public_metadata(input::json_object("--public-metadata", json)?);
    }
    if let Some(json) = &args.private_metadata {
        params = params.private_metadata(input::json_object("--private-metadata", json)?);
    }
    if let Some(json) = &args.unsafe_metadata {
        params = params.unsafe_metadata(input::json_object("--unsafe-metadata", json)?);
    }
    to_body(&params)
}

fn update_body(args: UpdateArgs) -> CliResult<Value> {
    /// `''` clears a text field; anything else sets it.
    fn text(value: String) -> Patch<String> {
        if value.is_empty() {
            Patch::Null
        } else {
            Patch::Set(value)
        }
    }
    let mut params = UpdateUser::new();
    macro_rules! set_text {
        ($($field:ident),*) => {
            $(if let Some(value) = args.$field { params = params.$field(text(value)); })*
        };
    }
    set_text!(
        first_name,
        last_name,
        username,
        external_id,
        locale,
        primary_email_address_id,
        primary_phone_number_id,
        primary_web3_wallet_id,
        legal_accepted_at,
        created_at
    );
    set_given!(
        params,
        args;
        skip_password_checks,
        sign_out_of_other_sessions,
        delete_self_enabled,
        create_organization_enabled,
        create_organizations_limit
    );
    if args.password_stdin {
        params = params.password(input::secret_line("password")?);
    }
    if params == UpdateUser::new() {
        return Err(CliError::usage(
            "nothing to update: give at least one field, such as --first-name (see --help)",
        ));
    }
    to_body(&params)
}

fn metadata_body(args: MetadataArgs) -> CliResult<Value> {
    let mut metadata = UserMetadata::new();
    if let Some(json) = &args.public {
        metadata = metadata.public(input::json_object("--public", json)?);
    }
    if let Some(json) = &args.private {
        metadata = metadata.private(input::json_object("--private", json)?);
    }
    if let Some(json) = &args.unsafe_metadata {
        metadata = metadata.unsafe_metadata(input::json_object("--unsafe", json)?);
    }
    if metadata == UserMetadata::new() {
        return Err(CliError::usage(
            "give at least one of --public, --private, --unsafe",
        ));
    }
    to_body(&metadata)
}

/// The users table of `users list`.
pub fn users_table(users: &[User]) -> Table {
    let mut table = Table::new([
        "ID",
        "NAME",
        "PRIMARY EMAIL",
        "USERNAME",
        "CREATED",
        "STATUS",
    ])
    .when_empty("no users");
    for user in users {
        table.row([
            user.id.clone(),
            full_name(user),
            or_dash(
                user.primary_email_address()
                    .map(|e| e.email_address.as_str()),
            ),
            or_dash(user.username.as_deref()),
            format_ms(user.created_at),
            status(user),
        ]);
    }
    table
}

/// `Ada Lovelace`, or `-`.
pub fn full_name(user: &User) -> String {
    let name = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() { "-".into() } else { name }
}

fn status(user: &User) -> String {
    match (user.banned, user.locked) {
        (true, true) => "banned, locked".into(),
        (true, false) => "banned".into(),
        (false, true) => "locked".into(),
        (false, false) => "active".into(),
    }
}

/// Every interesting field of one user.
pub fn user_details(user: &User) -> Details {
    let emails = user
        .email_addresses
        .iter()
        .map(|email| {
            Identifier {
                id: email.id.as_deref(),
                value: &email.email_address,
                primary_id: user.primary_email_address_id.as_deref(),
                verification: email.verification.as_ref(),
                reserved: email.reserved,
            }
            .to_string()
        })
        .collect::<Vec<_>>();
    let phones = user
        .phone_numbers
        .iter()
        .map(|phone| {
            Identifier {
                id: phone.id.as_deref(),
                value: &phone.phone_number,
                primary_id: user.primary_phone_number_id.as_deref(),
                verification: phone.verification.as_ref(),
                reserved: phone.reserved,
            }
            .to_string()
        })
        .collect::<Vec<_>>();
    let details = Details::new()
        .field("ID", &user.id)
        .field("Name", full_name(user))
        .field("Username", or_dash(user.username.as_deref()))
        .field("External ID", or_dash(user.external_id.as_deref()))
        .field("Email addresses", list_or_dash(&emails))
        .field("Phone numbers", list_or_dash(&phones))
        .field("Password", yes_no(user.password_enabled))
        .field("Two-factor", yes_no(user.two_factor_enabled))
        .field("Status", status(user))
        .field_opt(
            "Lockout ends in",
            user.lockout_expires_in_seconds.map(|s| format!("{s} s")),
        )
        .field("Created", format_ms(user.created_at))
        .field("Updated", format_ms(user.updated_at))
        .field("Last sign-in", format_opt_ms(user.last_sign_in_at))
        .field("Last active", format_opt_ms(user.last_active_at));
    with_metadata(details, user)
}

/// What `users metadata` shows: the metadata after the change.
fn metadata_details(user: &User) -> Details {
    with_metadata(Details::new().field("ID", &user.id), user)
}

/// `details` and then the user's metadata (private and unsafe when the API sent them).
fn with_metadata(details: Details, user: &User) -> Details {
    details
        .field("Public metadata", compact_json(&user.public_metadata))
        .field_opt(
            "Private metadata",
            user.private_metadata.as_ref().map(compact_json),
        )
        .field_opt(
            "Unsafe metadata",
            user.unsafe_metadata.as_ref().map(compact_json),
        )
}

/// `deleted user_2x` for the answer to a delete.
pub fn deleted_line(deleted: &DeletedObject) -> String {
    let what = deleted
        .id
        .as_deref()
        .or(deleted.slug.as_deref())
        .unwrap_or("-");
    if deleted.deleted {
        format!("deleted {} {what}", deleted.object)
    } else {
        format!("not deleted: {} {what}", deleted.object)
    }
}

/// An email address or phone number of a user, shown as
/// `ada@example.com (primary, verified) [idn_2x]`.
struct Identifier<'a> {
    id: Option<&'a str>,
    value: &'a str,
    /// The user's primary identifier of this kind.
    primary_id: Option<&'a str>,
    verification: Option<&'a Verification>,
    reserved: bool,
}

impl fmt::Display for Identifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut state = Vec::new();
        if self.id.is_some() && self.id == self.primary_id {
            state.push("primary");
        }
        let verified = self.verification.is_some_and(|v| v.is_verified());
        state.push(if verified { "verified" } else { "unverified" });
        if self.reserved {
            state.push("reserved");
        }
        write!(f, "{} ({})", self.value, state.join(", "))?;
        match self.id {
            Some(id) => write!(f, " [{id}]"),
            None => Ok(()),
        }
    }
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_show_their_state_and_id() {
        let verified: Verification =
            serde_json::from_str(r#"{"status":"verified","strategy":"admin"}"#).unwrap();
        let primary = Identifier {
            id: Some("idn_1"),
            value: "ada@example.com",
            primary_id: Some("idn_1"),
            verification: Some(&verified),
            reserved: false,
        };
        assert_eq!(
            primary.to_string(),
            "ada@example.com (primary, verified) [idn_1]"
        );
        let reserved = Identifier {
            id: None,
            value: "+15555550100",
            primary_id: None,
            verification: None,
            reserved: true,
        };
        assert_eq!(reserved.to_string(), "+15555550100 (unverified, reserved)");
    }
}
