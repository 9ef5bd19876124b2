//! `clerk orgs domains`: the email domains whose users an organization invites or
//! suggests itself to.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateOrganizationDomain, DeletedObject, DomainEnrollmentMode, ListOrganizationDomains,
    OrganizationDomain, UpdateOrganizationDomain,
};

use crate::Context;
use crate::api::{Api, path};
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk orgs domains …`
#[derive(Debug, Subcommand)]
pub enum DomainsCommand {
    /// Add a domain to an organization.
    #[command(
        after_help = "Examples:\n  clerk orgs domains add org_2x example.com\n  clerk orgs domains add org_2x example.com --enrollment-mode automatic_invitation --verified false"
    )]
    Add(AddArgs),
    /// List one page of an organization's domains.
    #[command(
        after_help = "Examples:\n  clerk orgs domains list org_2x\n  clerk orgs domains list org_2x --verified true --enrollment-mode -manual_invitation"
    )]
    List(ListArgs),
    /// Change a domain's enrollment mode or verified state.
    #[command(
        after_help = "Example:\n  clerk orgs domains update org_2x orgdmn_2x --enrollment-mode automatic_suggestion"
    )]
    Update(UpdateArgs),
    /// Remove a domain from an organization.
    #[command(after_help = "Example:\n  clerk orgs domains remove org_2x orgdmn_2x")]
    Remove(DomainArgs),
    /// Verify the organization owns a domain (its DNS records).
    #[command(after_help = "Example:\n  clerk orgs domains verify org_2x orgdmn_2x")]
    Verify(DomainArgs),
}

/// One domain of an organization.
#[derive(Debug, Args)]
pub struct DomainArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// The domain ID (orgdmn_…).
    domain_id: String,
}

/// `domains add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// The domain name, such as example.com.
    name: String,
    /// How users of the domain join: manual_invitation, automatic_invitation,
    /// automatic_suggestion, enterprise_sso.
    #[arg(long, value_name = "MODE")]
    enrollment_mode: Option<String>,
    /// Whether the domain counts as verified from the start.
    #[arg(long, value_name = "BOOL")]
    verified: Option<bool>,
}

/// `domains update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    domain: DomainArgs,
    /// How users of the domain join.
    #[arg(long, value_name = "MODE")]
    enrollment_mode: Option<String>,
    /// Whether the domain counts as verified.
    #[arg(long, value_name = "BOOL")]
    verified: Option<bool>,
}

/// `domains list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// Only verified (true) or only unverified (false) domains.
    #[arg(long, value_name = "BOOL")]
    verified: Option<bool>,
    /// Only domains with this enrollment mode; prefix - to exclude it.
    #[arg(long, value_name = "MODE", allow_hyphen_values = true)]
    enrollment_mode: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// Runs a `domains` command.
pub async fn run(ctx: &Context, api: &Api, command: DomainsCommand) -> CliResult {
    let out = ctx.out();
    match command {
        DomainsCommand::Add(args) => {
            let mut params = CreateOrganizationDomain::new(args.name);
            if let Some(mode) = &args.enrollment_mode {
                params = params.enrollment_mode(DomainEnrollmentMode::from(mode.as_str()));
            }
            set_given!(params, args; verified);
            let domains = path(&["organizations", &args.org_id, "domains"])?;
            let raw = api.post(&domains, Some(to_body(&params)?)).await?;
            out.show(&raw, |d: OrganizationDomain| domain_details(&d))
        }
        DomainsCommand::List(args) => {
            let mut params = ListOrganizationDomains::new();
            set_given!(params, args; verified, enrollment_mode);
            let query = args.paging.apply(params).to_query_pairs();
            let domains = path(&["organizations", &args.org_id, "domains"])?;
            let raw = api.get(&domains, &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[OrganizationDomain]| {
                    domains_table(items)
                })
        }
        DomainsCommand::Update(args) => {
            let mut params = UpdateOrganizationDomain::new();
            if let Some(mode) = &args.enrollment_mode {
                params = params.enrollment_mode(DomainEnrollmentMode::from(mode.as_str()));
            }
            set_given!(params, args; verified);
            if params == UpdateOrganizationDomain::new() {
                return Err(CliError::usage(
                    "nothing to update: give --enrollment-mode, --verified or both",
                ));
            }
            let DomainArgs { org_id, domain_id } = args.domain;
            let domain = path(&["organizations", &org_id, "domains", &domain_id])?;
            let raw = api.patch(&domain, to_body(&params)?).await?;
            out.show(&raw, |d: OrganizationDomain| domain_details(&d))
        }
        DomainsCommand::Remove(DomainArgs { org_id, domain_id }) => {
            let domain = path(&["organizations", &org_id, "domains", &domain_id])?;
            let raw = api.delete(&domain).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        DomainsCommand::Verify(DomainArgs { org_id, domain_id }) => {
            let verify = path(&[
                "organizations",
                &org_id,
                "domains",
                &domain_id,
                "verify_ownership",
            ])?;
            let raw = api.post(&verify, None).await?;
            out.show(&raw, |d: OrganizationDomain| domain_details(&d))
        }
    }
}

/// `verified`, `unverified`, or the verification's own status.
fn verification(domain: &OrganizationDomain) -> String {
    domain
        .verification
        .as_ref()
        .map_or("unverified".into(), |v| v.status.clone())
}

/// The table of `domains list`.
fn domains_table(domains: &[OrganizationDomain]) -> Table {
    let mut table = Table::new(["ID", "NAME", "ENROLLMENT", "VERIFICATION", "CREATED"])
        .when_empty("no domains");
    for domain in domains {
        table.row([
            domain.id.clone(),
            domain.name.clone(),
            domain.enrollment_mode.to_string(),
            verification(domain),
            format_ms(domain.created_at),
        ]);
    }
    table
}

/// One domain.
fn domain_details(domain: &OrganizationDomain) -> Details {
    Details::new()
        .field("ID", &domain.id)
        .field("Organization", &domain.organization_id)
        .field("Name", &domain.name)
        .field("Enrollment", &domain.enrollment_mode)
        .field("Verification", verification(domain))
        .field_opt(
            "Ownership",
            domain.ownership_verification.as_ref().map(|v| &v.status),
        )
        .field("Pending invitations", domain.total_pending_invitations)
        .field("Pending suggestions", domain.total_pending_suggestions)
        .field("Created", format_ms(domain.created_at))
}
