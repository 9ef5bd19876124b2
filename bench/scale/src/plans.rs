//! Query plans: every filter must use an index.
//!
//! The server answers `GET /v1/_local/explain/…` with the plans of the statements a request
//! runs (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL). [`full_scans`] finds the
//! steps that visit a whole table or a whole index:
//!
//! - SQLite: `SCAN users …` or `SCAN identifications …` (a bounded lookup reads `SEARCH`);
//!   FTS5's trigram table reports `SCAN users_fts VIRTUAL TABLE INDEX …`, which is its index.
//! - PostgreSQL: a `Seq Scan`, or an index scan without an `Index Cond` (a walk over the
//!   whole index), on `users` or `identifications`.
//!
//! Some walks are what a request asks for, and allowed: a page in some order with an offset
//! walks that order's index from one end and stops after offset + limit entries, and an
//! unfiltered count visits every user by definition (see [`Walk`]).

use serde::{Deserialize, Serialize};

use crate::backend::Backend;

/// The plan of one statement, as the server reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPlan {
    /// What the statement is for (`user`, `page`, `cursor`, `identifications`, `count`).
    pub purpose: String,
    /// The SQL, with `$n` placeholders.
    pub sql: String,
    /// The plan lines.
    pub plan: Vec<String>,
}

/// The tables whose full scans would grow with the number of users.
const TABLES: [&str; 2] = ["users", "identifications"];

/// The whole-index walks a request may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// None: every table access must be bounded by an index condition.
    Never,
    /// Walking these indexes is the request's point (an ordered page), nothing else.
    Indexes(&'static [&'static str]),
    /// Anything (an unfiltered count).
    Anything,
}

/// The steps of `plan` that scan a whole table or index, beyond what `allowed` permits.
///
/// ```
/// use clerk_scale_bench::backend::Backend;
/// use clerk_scale_bench::plans::{Walk, full_scans};
///
/// let walk = vec!["SCAN users USING INDEX users_created_at".to_owned()];
/// let ordered = Walk::Indexes(&["users_created_at"]);
/// assert!(full_scans(Backend::Sqlite, ordered, &walk).is_empty());
/// assert_eq!(full_scans(Backend::Sqlite, Walk::Never, &walk).len(), 1);
///
/// let plan = vec![
///     "Limit  (cost=0.42..8.44 rows=1 width=8)".to_owned(),
///     "  ->  Index Scan using users_pkey on users  (cost=0.42..8.44 rows=1 width=8)".to_owned(),
///     "        Index Cond: (id = 'user_1'::text)".to_owned(),
/// ];
/// assert!(full_scans(Backend::Postgres, Walk::Never, &plan).is_empty());
/// ```
pub fn full_scans(backend: Backend, allowed: Walk, plan: &[String]) -> Vec<String> {
    let scans = match backend {
        Backend::Sqlite => sqlite_scans(plan),
        Backend::Postgres => postgres_scans(plan),
    };
    scans
        .into_iter()
        .filter(|scan| match allowed {
            Walk::Never => true,
            Walk::Indexes(indexes) => !scan.index.is_some_and(|i| indexes.contains(&i)),
            Walk::Anything => false,
        })
        .map(|scan| scan.line.to_owned())
        .collect()
}

/// A step that visits a whole table (`index: None`) or a whole index.
struct Scan<'a> {
    line: &'a str,
    index: Option<&'a str>,
}

fn sqlite_scans(plan: &[String]) -> Vec<Scan<'_>> {
    plan.iter()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("SCAN ")?;
            let mut words = rest.split_whitespace();
            let table = words.next()?;
            if !TABLES.contains(&table) {
                return None;
            }
            let index = rest
                .split_once("INDEX ")
                .and_then(|(_, after)| after.split_whitespace().next());
            Some(Scan {
                line: line.trim(),
                index,
            })
        })
        .collect()
}

fn postgres_scans(plan: &[String]) -> Vec<Scan<'_>> {
    let mut scans = Vec::new();
    for (i, line) in plan.iter().enumerate() {
        let node = line.trim().trim_start_matches("->").trim();
        let on_table = TABLES
            .iter()
            .any(|t| node.contains(&format!(" on {t} ")) || node.ends_with(&format!(" on {t}")));
        if !on_table {
            continue;
        }
        if node.starts_with("Seq Scan") || node.starts_with("Parallel Seq Scan") {
            scans.push(Scan {
                line: line.trim(),
                index: None,
            });
            continue;
        }
        let Some((_, after_using)) = node.split_once(" using ") else {
            continue;
        };
        // The node's own detail lines follow it, indented deeper, until the next node.
        let has_index_cond = plan[i + 1..]
            .iter()
            .map(|l| l.trim())
            .take_while(|l| !l.starts_with("->"))
            .any(|l| l.starts_with("Index Cond:"));
        if !has_index_cond {
            scans.push(Scan {
                line: line.trim(),
                index: after_using.split_whitespace().next(),
            });
        }
    }
    scans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn sqlite_searches_pass_and_scans_fail() {
        let plan = lines(
            "SEARCH users USING INDEX sqlite_autoindex_users_1 (id=?)\n\
             LIST SUBQUERY 1\n  SCAN users_fts VIRTUAL TABLE INDEX 0:M1\n\
             USE TEMP B-TREE FOR ORDER BY",
        );
        assert!(full_scans(Backend::Sqlite, Walk::Never, &plan).is_empty());
        let plan = lines("SCAN users USING INDEX users_created_at\nLIST SUBQUERY 1");
        assert_eq!(
            full_scans(Backend::Sqlite, Walk::Never, &plan),
            ["SCAN users USING INDEX users_created_at"]
        );
        assert_eq!(
            full_scans(
                Backend::Sqlite,
                Walk::Indexes(&["users_created_at"]),
                &lines("SCAN users")
            )
            .len(),
            1
        );
        assert!(full_scans(Backend::Sqlite, Walk::Anything, &lines("SCAN users")).is_empty());
    }

    #[test]
    fn postgres_walks_without_index_cond_fail() {
        let walk = lines(
            "Limit  (cost=0.42..100.0 rows=10 width=8)\n\
             \x20 ->  Index Scan Backward using users_created_at on users  (cost=0.42..1.0 rows=10 width=8)\n\
             \x20       Filter: (search_all ~~ '%abc%'::text)",
        );
        assert_eq!(full_scans(Backend::Postgres, Walk::Never, &walk).len(), 1);
        assert!(
            full_scans(
                Backend::Postgres,
                Walk::Indexes(&["users_created_at"]),
                &walk
            )
            .is_empty()
        );

        let bitmap = lines(
            "Limit\n  ->  Sort\n        ->  Bitmap Heap Scan on users\n\
             \x20             Recheck Cond: (search_all ~~ '%abc%'::text)\n\
             \x20             ->  Bitmap Index Scan on users_search_all\n\
             \x20                   Index Cond: (search_all ~~ '%abc%'::text)",
        );
        assert!(full_scans(Backend::Postgres, Walk::Never, &bitmap).is_empty());

        let seq = lines("Seq Scan on identifications  (cost=0.00..1.0 rows=1 width=8)");
        assert_eq!(full_scans(Backend::Postgres, Walk::Never, &seq).len(), 1);
    }
}
