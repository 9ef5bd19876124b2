//! The rest of `GET /v1/users`: every filter and every order, whose plans each run checks
//! at every tier (they are not timed). Values are chosen to be selective (one user, or
//! none), the case where a plan that does not use the filter's index scans the table.

use crate::backend::Backend;
use crate::measure::Target;
use crate::plans::Walk;

/// One filter or order to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The query string after `GET /v1/users?`, as the tables show it.
    pub query: String,
    /// The whole-index walks allowed.
    pub walk: Walk,
}

/// What the cases are built from: a seeded user with its id, and the `created_at` of the
/// newest and oldest users.
#[derive(Debug, Clone)]
pub struct Anchors {
    /// A seeded user with its id.
    pub user: Target,
    /// `created_at` of the newest user (unix ms).
    pub newest_ms: i64,
    /// `created_at` of the oldest user (unix ms).
    pub oldest_ms: i64,
}

/// The `created_at` index, walked by the default order.
const CREATED_AT: &[&str] = &["users_created_at"];

/// Every filter (a selective value each) and every order of `GET /v1/users`.
///
/// ```
/// use clerk_scale_bench::filters::{Anchors, cases};
/// use clerk_scale_bench::measure::Target;
/// use clerk_server::SeededUser;
///
/// let anchors = Anchors {
///     user: Target { user: SeededUser::at(1), id: "user_1".into() },
///     newest_ms: 2_000_000,
///     oldest_ms: 1_000_000,
/// };
/// let cases = cases(&anchors);
/// assert!(cases.iter().any(|c| c.query == "user_id=user_1"));
/// assert!(cases.iter().any(|c| c.query == "order_by=-last_sign_in_at"));
/// ```
pub fn cases(a: &Anchors) -> Vec<Case> {
    let user = &a.user.user;
    // Seeded users have never signed in and have no phone or wallet: these match nobody.
    let recent = a.newest_ms - 5_000;
    let early = a.oldest_ms + 5_000;
    let exact = |query: String| Case {
        query,
        walk: Walk::Never,
    };
    // Ranges over activity: with statistics (PostgreSQL) the planner picks the column's
    // index or the created_at walk by how many users match; SQLite, which plans without
    // statistics, walks the created_at index and stops after a page of matches.
    let activity = |query: String| Case {
        query,
        walk: Walk::Indexes(CREATED_AT),
    };
    let mut cases = vec![
        exact(format!("email_address={}", encode(&user.email_address))),
        exact("phone_number=%2B15555550100".to_owned()),
        exact("web3_wallet=0x52908400098527886e0f7030069857d2e4169ee7".to_owned()),
        exact(format!("username={}", user.username)),
        exact("external_id=ext_nobody".to_owned()),
        exact(format!("user_id={}", a.user.id)),
        exact("organization_id=org_nobody".to_owned()),
        exact(format!("query={}", user.tag)),
        exact(format!("email_address_query={}", user.tag)),
        exact("phone_number_query=5550199".to_owned()),
        exact(format!("username_query={}", user.tag)),
        exact("name_query=zqxv".to_owned()),
        exact("banned=true".to_owned()),
        exact(format!("created_at_after={recent}")),
        exact(format!("created_at_before={early}")),
        activity(format!("last_active_at_since={recent}")),
        activity(format!("last_active_at_after={recent}")),
        activity(format!("last_active_at_before={early}")),
        activity(format!("last_sign_in_at_after={recent}")),
        activity(format!("last_sign_in_at_before={early}")),
        // Nearly everyone matches these: walking the order's index is the right plan.
        Case {
            query: "banned=false".to_owned(),
            walk: Walk::Indexes(CREATED_AT),
        },
        Case {
            query: format!("user_id=-{}", a.user.id),
            walk: Walk::Indexes(CREATED_AT),
        },
    ];
    let orders: [(&str, &'static [&'static str]); 10] = [
        ("created_at", CREATED_AT),
        ("updated_at", &["users_updated_at"]),
        (
            "email_address",
            &["users_sort_email", "users_sort_email_desc"],
        ),
        ("web3wallet", &["users_sort_web3", "users_sort_web3_desc"]),
        ("first_name", &["users_first_name", "users_first_name_desc"]),
        ("last_name", &["users_last_name", "users_last_name_desc"]),
        (
            "phone_number",
            &["users_sort_phone", "users_sort_phone_desc"],
        ),
        // SQLite may walk the index of username's UNIQUE constraint: (username, rowid).
        (
            "username",
            &[
                "users_username_order",
                "users_username_order_desc",
                "sqlite_autoindex_users_3",
            ],
        ),
        (
            "last_active_at",
            &["users_last_active_at", "users_last_active_at_desc"],
        ),
        (
            "last_sign_in_at",
            &["users_last_sign_in_at", "users_last_sign_in_at_desc"],
        ),
    ];
    for (field, indexes) in orders {
        for direction in ["+", "-"] {
            cases.push(Case {
                query: format!(
                    "order_by={}{field}",
                    if direction == "+" { "%2B" } else { "-" }
                ),
                walk: Walk::Indexes(indexes),
            });
        }
    }
    cases
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The plan steps that say how `users` is read, in one line: SQLite's steps, or
/// PostgreSQL's plan nodes without their costs and details.
///
/// ```
/// use clerk_scale_bench::backend::Backend;
/// use clerk_scale_bench::filters::access_path;
///
/// let plan = vec![
///     "Limit  (cost=0.29..2.74 rows=10 width=72)".to_owned(),
///     "  ->  Index Scan using users_sort_email_desc on users  (cost=0.29..2458.28 rows=10000 width=72)".to_owned(),
///     "        Index Cond: (sort_email > 'a'::text)".to_owned(),
/// ];
/// assert_eq!(
///     access_path(Backend::Postgres, &plan),
///     "Limit → Index Scan using users_sort_email_desc on users"
/// );
/// let plan = vec!["SEARCH users USING INDEX users_banned (banned=?)".to_owned(), "USE TEMP B-TREE FOR ORDER BY".to_owned()];
/// assert_eq!(
///     access_path(Backend::Sqlite, &plan),
///     "SEARCH users USING INDEX users_banned (banned=?); USE TEMP B-TREE FOR ORDER BY"
/// );
/// ```
pub fn access_path(backend: Backend, plan: &[String]) -> String {
    match backend {
        Backend::Sqlite => plan
            .iter()
            .map(|line| line.trim())
            .collect::<Vec<_>>()
            .join("; "),
        Backend::Postgres => plan
            .iter()
            .enumerate()
            .map(|(i, line)| (i, line.trim()))
            .filter(|(i, line)| {
                *i == 0 || line.starts_with("->") || line.starts_with("One-Time Filter")
            })
            .map(|(_, line)| {
                let node = line.trim_start_matches("->").trim();
                node.split("  (cost=").next().unwrap_or(node)
            })
            .collect::<Vec<_>>()
            .join(" → "),
    }
}
