//! From command-line arguments to the SDK's request builders, which know the API's field
//! and query-parameter names: the commands never spell those out themselves.

use clap::Args;
use clerk_sdk::{
    ListAllowlistIdentifiers, ListApiKeys, ListClients, ListInvitations, ListJwtTemplates,
    ListMachines, ListMessageTemplates, ListOAuthApplications, ListOrganizationDomains,
    ListOrganizationInvitations, ListOrganizationMemberships, ListOrganizationPermissions,
    ListOrganizationRoles, ListOrganizations, ListRedirectUrls, ListRoleSets, ListSessions,
    ListWaitlistEntries, Page,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::Raw;
use crate::error::{CliError, CliResult};
use crate::output::{Output, Table};

/// Calls a builder's setter for each argument that was given:
/// `set_given!(params, args; first_name, last_name)` is
/// `if let Some(v) = args.first_name { params = params.first_name(v) }` and so on, for
/// arguments that are `Option`s named like the setter.
macro_rules! set_given {
    ($params:ident, $args:expr; $($field:ident),+ $(,)?) => {
        $(if let Some(value) = $args.$field { $params = $params.$field(value); })+
    };
}

pub(crate) use set_given;

/// A request body from one of the SDK's parameter types (which know the API's field names
/// and leave unset fields out).
pub fn to_body<T: serde::Serialize>(params: &T) -> CliResult<Value> {
    serde_json::to_value(params)
        .map_err(|e| CliError::usage(format!("cannot encode the request: {e}")))
}

/// `--limit` and `--offset` of the list commands whose API can page with a total
/// (`paginated=true`: `{"data":[…],"total_count":N}`).
#[derive(Debug, Clone, Args)]
pub struct PageArgs {
    /// Items per page, 1 to 500 (API default 10).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many items.
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
}

impl PageArgs {
    /// `params` with the `--limit` and `--offset` given; the SDK adds `paginated=true`.
    pub fn apply<P: OffsetPaged>(&self, mut params: P) -> P {
        set_given!(params, self; limit, offset);
        params
    }

    /// Prints a page of a list answer: the API's JSON with `--json`, else `table` of its
    /// items, then [`hint_more`] after a full page.
    pub fn show_page<T: DeserializeOwned>(
        &self,
        out: &Output,
        raw: &Raw,
        table: impl FnOnce(&[T]) -> Table,
    ) -> CliResult {
        let mut shown = 0;
        out.show(raw, |page: Page<T>| {
            shown = page.len();
            table(&page.data)
        })?;
        hint_more(out, shown, self.limit, self.offset, "");
        Ok(())
    }
}

/// After a table that filled its page (`limit`, 10 if not given), says on stderr how to see
/// the next one, with `also` after it; nothing with `--json`, whose `total_count` tells.
pub fn hint_more(out: &Output, shown: usize, limit: Option<u32>, offset: Option<u64>, also: &str) {
    if !out.is_json() && shown > 0 && shown == limit.unwrap_or(10) as usize {
        eprintln!(
            "(a full page of {shown}: more with --offset {} or --limit up to 500{also})",
            offset.unwrap_or(0) + shown as u64
        );
    }
}

/// The SDK's parameters of the lists [`PageArgs`] pages.
pub trait OffsetPaged {
    /// Page size.
    fn limit(self, limit: u32) -> Self;
    /// How many items to skip.
    fn offset(self, offset: u64) -> Self;
}

/// Forwards [`OffsetPaged`] to the builders' own `limit` and `offset`.
macro_rules! offset_paged {
    ($($params:ty),+) => {$(
        impl OffsetPaged for $params {
            fn limit(self, limit: u32) -> Self {
                <$params>::limit(self, limit)
            }

            fn offset(self, offset: u64) -> Self {
                <$params>::offset(self, offset)
            }
        }
    )+};
}

offset_paged!(
    ListSessions,
    ListClients,
    ListAllowlistIdentifiers,
    ListJwtTemplates,
    ListMessageTemplates,
    ListOrganizations,
    ListOrganizationMemberships,
    ListOrganizationInvitations,
    ListOrganizationDomains,
    ListOrganizationRoles,
    ListOrganizationPermissions,
    ListRoleSets,
    ListRedirectUrls,
    ListWaitlistEntries,
    ListInvitations,
    ListApiKeys,
    ListOAuthApplications,
    ListMachines
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_reaches_the_query() {
        let paging = PageArgs {
            limit: Some(5),
            offset: None,
        };
        assert_eq!(
            paging.apply(ListClients::new()).to_query_pairs(),
            [
                ("paginated".to_owned(), "true".to_owned()),
                ("limit".to_owned(), "5".to_owned())
            ]
        );
        let paging = PageArgs {
            limit: None,
            offset: Some(20),
        };
        assert_eq!(
            paging
                .apply(ListSessions::new().user_id("user_1"))
                .to_query_pairs(),
            [
                ("user_id".to_owned(), "user_1".to_owned()),
                ("paginated".to_owned(), "true".to_owned()),
                ("offset".to_owned(), "20".to_owned())
            ]
        );
    }
}
