//! `clerk orgs`: organizations, and under them one file per resource: [`members`],
//! [`invitations`], [`domains`], [`roles`] (with permissions) and [`role_sets`].

mod domains;
mod invitations;
mod members;
mod role_sets;
mod roles;

use clap::{Args, Subcommand};
use std::path::PathBuf;

use clerk_sdk::{
    CreateOrganization, DeletedObject, ListOrganizations, Organization, OrganizationLogo,
    OrganizationMetadata, UpdateOrganization,
};
use serde_json::Value;

use crate::api::path;
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table, compact_json, or_dash, yes_no};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;
use crate::{Context, input};

/// `clerk orgs …`
#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// List one page of organizations.
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one organization, by ID or slug.
    #[command(
        after_help = "Examples:\n  clerk orgs get org_2x\n  clerk orgs get acme --include-members-count"
    )]
    Get(GetArgs),
    /// Create an organization.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Change an organization's name, slug or limits.
    #[command(
        after_help = "Examples:\n  clerk orgs update org_2x --name 'Acme Inc.' --slug acme-inc\n  clerk orgs update org_2x --max-allowed-memberships 0   # unlimited"
    )]
    Update(UpdateArgs),
    /// Delete an organization with its memberships, invitations and domains.
    #[command(after_help = "Example:\n  clerk orgs delete org_2x")]
    Delete(OrgId),
    /// Change an organization's metadata: deep merge, or replace.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs metadata merge org_2x --public '{\"plan\":\"pro\"}'\n  clerk orgs metadata replace org_2x --private '{}'"
    )]
    Metadata(MetadataCommand),
    /// Members: add, list, set-role, remove, metadata.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs members add org_2x user_2x --role org:admin\n  clerk orgs members list org_2x --role org:admin"
    )]
    Members(members::MembersCommand),
    /// Invite an email address to an organization.
    #[command(after_help = invitations::INVITE_EXAMPLES)]
    Invite(invitations::InviteArgs),
    /// Invitations: list, get, revoke.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs invitations list org_2x --status pending\n  clerk orgs invitations revoke org_2x orginv_2x"
    )]
    Invitations(invitations::InvitationsCommand),
    /// Domains: add, list, update, remove, verify.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs domains add org_2x example.com --enrollment-mode automatic_invitation\n  clerk orgs domains list org_2x"
    )]
    Domains(domains::DomainsCommand),
    /// The instance's organization roles: list, create, get, update, delete, and assign or
    /// unassign permissions.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs roles list\n  clerk orgs roles create Billing org:billing --permission perm_2x"
    )]
    Roles(roles::RolesCommand),
    /// The instance's organization permissions: list, create, get, update, delete.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs permissions list\n  clerk orgs permissions create 'Read invoices' org:invoices:read"
    )]
    Permissions(roles::PermissionsCommand),
    /// Role sets (which roles an organization's members may hold): list, get, create,
    /// update, add-roles, replace-role, replace.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs role-sets list\n  clerk orgs role-sets get role_set:default"
    )]
    RoleSets(role_sets::RoleSetsCommand),
    /// The organization's logo: set (upload an image) or rm.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk orgs logo set org_2x logo.png --uploader-user-id user_2x\n  clerk orgs logo rm org_2x"
    )]
    Logo(LogoCommand),
}

/// `orgs logo …`
#[derive(Debug, Subcommand)]
pub enum LogoCommand {
    /// Upload an image file as the organization's logo (PNG, JPEG, GIF or WebP, told by
    /// its first bytes).
    #[command(
        after_help = "Example:\n  clerk orgs logo set org_2x ./acme.png --uploader-user-id user_2x"
    )]
    Set(LogoSetArgs),
    /// Remove the organization's logo.
    #[command(after_help = "Example:\n  clerk orgs logo rm org_2x")]
    Rm(OrgId),
}

/// `orgs logo set`.
#[derive(Debug, Args)]
pub struct LogoSetArgs {
    /// The organization ID (org_…).
    id: String,
    /// The image file.
    file: PathBuf,
    /// The user uploading it (user_…).
    #[arg(long, value_name = "USER_ID")]
    uploader_user_id: Option<String>,
}

const LIST_EXAMPLES: &str = "\
Examples:
  clerk orgs list
  clerk orgs list --query acme --include-members-count --order-by -members_count
  clerk orgs list --user-id user_2x --limit 50
  clerk --json orgs list | jq -r '.data[].slug'";

const CREATE_EXAMPLES: &str = "\
Examples:
  clerk orgs create Acme --slug acme --created-by user_2x    # user_2x becomes its first admin
  clerk orgs create Acme --max-allowed-memberships 25 --public-metadata '{\"tier\":\"gold\"}'";

/// One organization, by ID.
#[derive(Debug, Args)]
pub struct OrgId {
    /// The organization ID (org_…).
    id: String,
}

/// `orgs list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Partial match on ID, name or slug.
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Organizations this user belongs to; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    user_id: Vec<String>,
    /// Only this organization; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    organization_id: Vec<String>,
    /// Order: name, created_at or members_count; prefix - for descending (API default
    /// -created_at).
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    /// Add each organization's number of members.
    #[arg(long)]
    include_members_count: bool,
    #[command(flatten)]
    paging: PageArgs,
}

/// `orgs get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The organization ID (org_…) or slug.
    id_or_slug: String,
    /// Add the number of members.
    #[arg(long)]
    include_members_count: bool,
}

/// `orgs create`: the fields of `POST /v1/organizations`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The name.
    name: String,
    /// The URL slug: lowercase letters, digits and - (default: from the name).
    #[arg(long)]
    slug: Option<String>,
    /// The user who becomes its first admin (user_…).
    #[arg(long, value_name = "USER_ID")]
    created_by: Option<String>,
    /// Most members allowed (0: unlimited).
    #[arg(long, value_name = "N")]
    max_allowed_memberships: Option<i64>,
    /// Public metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public_metadata: Option<String>,
    /// Private metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private_metadata: Option<String>,
    /// The role set its members' roles come from (a key).
    #[arg(long, value_name = "KEY")]
    role_set_key: Option<String>,
}

/// `orgs update`: the fields of `PATCH /v1/organizations/{id}`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The organization ID (org_…).
    id: String,
    /// The name.
    #[arg(long)]
    name: Option<String>,
    /// The URL slug.
    #[arg(long)]
    slug: Option<String>,
    /// Most members allowed (0: unlimited).
    #[arg(long, value_name = "N")]
    max_allowed_memberships: Option<i64>,
    /// Whether admins may delete the organization from the frontend.
    #[arg(long, value_name = "BOOL")]
    admin_delete_enabled: Option<bool>,
}

/// `orgs metadata …`
#[derive(Debug, Subcommand)]
pub enum MetadataCommand {
    /// Deep-merge into the organization's metadata: nested objects merge, a null value
    /// deletes its key.
    #[command(
        after_help = "Example:\n  clerk orgs metadata merge org_2x --public '{\"plan\":\"pro\",\"trial\":null}'"
    )]
    Merge(MetadataArgs),
    /// Replace each metadata object given, wholesale.
    #[command(after_help = "Example:\n  clerk orgs metadata replace org_2x --private '{}'")]
    Replace(MetadataArgs),
}

/// The metadata objects to merge or replace.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// The organization ID (org_…).
    id: String,
    #[command(flatten)]
    metadata: MetadataObjects,
}

/// `--public` and `--private`, shared by organizations and memberships.
#[derive(Debug, Args)]
pub struct MetadataObjects {
    /// public_metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public: Option<String>,
    /// private_metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private: Option<String>,
}

impl MetadataObjects {
    /// The request body; at least one object must be given.
    pub fn to_body(&self) -> CliResult<Value> {
        let mut metadata = OrganizationMetadata::new();
        if let Some(json) = &self.public {
            metadata = metadata.public(input::json_object("--public", json)?);
        }
        if let Some(json) = &self.private {
            metadata = metadata.private(input::json_object("--private", json)?);
        }
        if metadata == OrganizationMetadata::new() {
            return Err(CliError::usage("give --public, --private or both"));
        }
        to_body(&metadata)
    }
}

/// Runs an `orgs` command.
pub async fn run(ctx: &Context, command: OrgsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        OrgsCommand::List(args) => {
            let mut params = ListOrganizations::new()
                .user_id(args.user_id)
                .organization_id(args.organization_id);
            set_given!(params, args; query, order_by);
            if args.include_members_count {
                params = params.include_members_count(true);
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/organizations", &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[Organization]| orgs_table(items))
        }
        OrgsCommand::Get(args) => {
            // The one parameter of GET /organizations/{id} worth a flag; the SDK's
            // GetOrganization builds no query for callers outside it.
            let mut query = Vec::new();
            if args.include_members_count {
                query.push(("include_members_count".to_owned(), "true".to_owned()));
            }
            let raw = api
                .get(&path(&["organizations", &args.id_or_slug])?, &query)
                .await?;
            out.show(&raw, |org: Organization| org_details(&org))
        }
        OrgsCommand::Create(args) => {
            let mut params = CreateOrganization::new(args.name);
            set_given!(params, args; slug, created_by, max_allowed_memberships, role_set_key);
            if let Some(json) = &args.public_metadata {
                params = params.public_metadata(input::json_object("--public-metadata", json)?);
            }
            if let Some(json) = &args.private_metadata {
                params = params.private_metadata(input::json_object("--private-metadata", json)?);
            }
            let raw = api.post("/organizations", Some(to_body(&params)?)).await?;
            out.show(&raw, |org: Organization| org_details(&org))
        }
        OrgsCommand::Update(args) => {
            let mut params = UpdateOrganization::new();
            set_given!(params, args; name, slug, max_allowed_memberships, admin_delete_enabled);
            if params == UpdateOrganization::new() {
                return Err(CliError::usage(
                    "nothing to update: give at least one field, such as --name (see --help)",
                ));
            }
            let raw = api
                .patch(&path(&["organizations", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |org: Organization| org_details(&org))
        }
        OrgsCommand::Delete(OrgId { id }) => {
            let raw = api.delete(&path(&["organizations", &id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        OrgsCommand::Metadata(command) => {
            let (args, replace) = match command {
                MetadataCommand::Merge(args) => (args, false),
                MetadataCommand::Replace(args) => (args, true),
            };
            let metadata_path = path(&["organizations", &args.id, "metadata"])?;
            let body = args.metadata.to_body()?;
            let raw = if replace {
                api.put(&metadata_path, body).await?
            } else {
                api.patch(&metadata_path, body).await?
            };
            out.show(&raw, |org: Organization| org_details(&org))
        }
        OrgsCommand::Members(command) => members::run(ctx, &api, command).await,
        OrgsCommand::Invite(args) => invitations::invite(ctx, &api, args).await,
        OrgsCommand::Invitations(command) => invitations::run(ctx, &api, command).await,
        OrgsCommand::Domains(command) => domains::run(ctx, &api, command).await,
        OrgsCommand::Roles(command) => roles::run_roles(ctx, &api, command).await,
        OrgsCommand::Permissions(command) => roles::run_permissions(ctx, &api, command).await,
        OrgsCommand::RoleSets(command) => role_sets::run(ctx, &api, command).await,
        OrgsCommand::Logo(LogoCommand::Set(args)) => {
            let data = std::fs::read(&args.file).map_err(|e| {
                CliError::io(format!("cannot read the logo {}", args.file.display()), e)
            })?;
            let mut logo = OrganizationLogo::new(data);
            if let Some(name) = args.file.file_name() {
                logo = logo.file_name(name.to_string_lossy());
            }
            if let Some(uploader) = args.uploader_user_id {
                logo = logo.uploader_user_id(uploader);
            }
            // A multipart upload, which only the SDK's typed call sends: with --json the
            // organization is printed as the SDK read it.
            let org = api
                .clerk()
                .organizations()
                .upload_logo(&args.id, logo)
                .await?;
            if out.is_json() {
                out.json_value(&org)
            } else {
                out.line(org_details(&org))
            }
        }
        OrgsCommand::Logo(LogoCommand::Rm(OrgId { id })) => {
            let raw = api.delete(&path(&["organizations", &id, "logo"])?).await?;
            out.show(&raw, |org: Organization| org_details(&org))
        }
    }
}

/// The table of `orgs list`; the members column only when the API sent counts.
fn orgs_table(orgs: &[Organization]) -> Table {
    let with_counts = orgs.iter().any(|org| org.members_count.is_some());
    let mut table = if with_counts {
        Table::new(["ID", "NAME", "SLUG", "MEMBERS", "CREATED"])
    } else {
        Table::new(["ID", "NAME", "SLUG", "CREATED"])
    }
    .when_empty("no organizations");
    for org in orgs {
        if with_counts {
            table.row([
                org.id.clone(),
                org.name.clone(),
                org.slug.clone(),
                org.members_count.map_or("-".into(), |n| n.to_string()),
                format_ms(org.created_at),
            ]);
        } else {
            table.row([
                org.id.clone(),
                org.name.clone(),
                org.slug.clone(),
                format_ms(org.created_at),
            ]);
        }
    }
    table
}

/// Every interesting field of one organization.
fn org_details(org: &Organization) -> Details {
    let max = match org.max_allowed_memberships {
        0 => "unlimited".to_owned(),
        n => n.to_string(),
    };
    Details::new()
        .field("ID", &org.id)
        .field("Name", &org.name)
        .field("Slug", &org.slug)
        .field_opt("Members", org.members_count)
        .field_opt("Pending invitations", org.pending_invitations_count)
        .field("Max memberships", max)
        .field("Admin delete", yes_no(org.admin_delete_enabled))
        .field("Created by", or_dash(org.created_by.as_deref()))
        .field_opt("Role set", org.role_set_key.as_deref())
        .field("Logo", if org.has_image { "yes" } else { "no" })
        .field("Created", format_ms(org.created_at))
        .field("Updated", format_ms(org.updated_at))
        .field("Public metadata", compact_json(&org.public_metadata))
        .field_opt(
            "Private metadata",
            org.private_metadata.as_ref().map(compact_json),
        )
}
