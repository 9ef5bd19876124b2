//! A small builder for queries assembled at run time (list filters, partial updates). It
//! numbers `$n` placeholders itself: sqlx's `QueryBuilder` writes `?` for the `Any` driver,
//! which PostgreSQL does not accept.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row};

use serde::Serialize;

use super::Dialect;
use super::Page;

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<&Arg> for Arg {
    fn from(v: &Arg) -> Self {
        v.clone()
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Int(Some(i64::from(v)))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}

/// SQL text with its bound values.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    /// Starts a query.
    pub(crate) fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text (never user input: values go through [`Sql::bind`]).
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub(crate) fn bind(&mut self, arg: impl Into<Arg>) -> &mut Self {
        self.args.push(arg.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Puts this query between `before` and `after` (making it a subquery), its bound values
    /// kept in order.
    pub(crate) fn wrap(self, before: &str, after: &str) -> Self {
        Self {
            text: format!("{before}{}{after}", self.text),
            args: self.args,
        }
    }

    /// Appends ` LIMIT <limit> OFFSET <offset>` with the numbers written into the text.
    /// They are integers, so nothing can be injected; and through sqlx's SQLite worker a
    /// bound LIMIT and OFFSET cost several times a point lookup per execution (measured:
    /// ~90 µs against ~27 µs written in), more than preparing a statement for a new page.
    pub(crate) fn push_page(&mut self, page: Page) -> &mut Self {
        self.text
            .push_str(&format!(" LIMIT {} OFFSET {}", page.limit, page.offset));
        self
    }

    /// Appends `$a, $b, …` binding `args` (a row's values).
    pub(crate) fn bind_separated(&mut self, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(arg);
        }
        self
    }

    /// Appends `($a, $b, …)` for a non-empty list.
    pub(crate) fn bind_list<A: Into<Arg>>(
        &mut self,
        items: impl IntoIterator<Item = A>,
    ) -> &mut Self {
        self.text.push('(');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(item);
        }
        self.text.push(')');
        self
    }

    /// The query, ready to run.
    pub(crate) fn query(&self) -> Query<'static, Any, AnyArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.text.clone()));
        for arg in &self.args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }
}

/// An `order_by` of a list: one of the columns the list allows, and the direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sort {
    /// The column, always one of the list's allowed names (never request text).
    pub column: &'static str,
    pub descending: bool,
}

impl Sort {
    /// Reads Clerk's `order_by` form: a field name with an optional `+` (the default) or
    /// `-`; `None` if the field is not one of `allowed`.
    pub(crate) fn parse(raw: &str, allowed: &[&'static str]) -> Option<Self> {
        let (descending, name) = match raw.as_bytes().first() {
            Some(b'-') => (true, &raw[1..]),
            Some(b'+') => (false, &raw[1..]),
            _ => (false, raw),
        };
        let column = allowed.iter().find(|a| **a == name)?;
        Some(Self { column, descending })
    }

    /// Newest first, the lists' default.
    pub(crate) const NEWEST_FIRST: Self = Self {
        column: "created_at",
        descending: true,
    };

    /// ` ORDER BY <column> <dir>, seq <dir>` with the column qualified by `table`.
    pub(crate) fn push(self, sql: &mut Sql, table: &str) {
        let dir = if self.descending { "DESC" } else { "ASC" };
        sql.push(&format!(
            " ORDER BY {table}.{} {dir}, {table}.seq {dir}",
            self.column
        ));
    }
}

/// Appends `AND <expression> LIKE '%needle%'`, the needle's wildcards escaped. The caller
/// lowercases both sides where the match must ignore case.
pub(crate) fn push_contains(sql: &mut Sql, expression: &str, needle: &str) {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sql.push(&format!(" AND {expression} LIKE "))
        .bind(format!("%{escaped}%"))
        .push(" ESCAPE '\\'");
}

/// A statement with the database's plan for it, for `GET /v1/_local/explain/…`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QueryPlan {
    /// What the statement is for (`page`, `count`, `identifications`, …).
    pub purpose: &'static str,
    /// The SQL text, with `$n` placeholders (values are not shown).
    pub sql: String,
    /// The plan, one line per step, nested steps indented: `EXPLAIN QUERY PLAN` on SQLite,
    /// `EXPLAIN` on PostgreSQL.
    pub plan: Vec<String>,
}

/// Asks the database how it would run `sql` (with its bound values).
pub(crate) async fn explain(
    conn: &mut sqlx::AnyConnection,
    dialect: Dialect,
    purpose: &'static str,
    sql: &Sql,
) -> Result<QueryPlan, sqlx::Error> {
    let prefix = match dialect {
        Dialect::Sqlite => "EXPLAIN QUERY PLAN ",
        Dialect::Postgres => "EXPLAIN ",
    };
    let explained = Sql {
        text: format!("{prefix}{}", sql.text),
        args: sql.args.clone(),
    };
    let rows = explained.query().fetch_all(conn).await?;
    let plan = match dialect {
        Dialect::Postgres => rows
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?,
        Dialect::Sqlite => {
            // Rows are (id, parent, notused, detail); a step is nested under its parent.
            let mut depth = std::collections::HashMap::new();
            let mut lines = Vec::new();
            for row in &rows {
                let (id, parent): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
                let level = depth.get(&parent).map_or(0, |d| d + 1);
                depth.insert(id, level);
                let detail: String = row.try_get(3)?;
                lines.push(format!("{}{detail}", "  ".repeat(level)));
            }
            lines
        }
    };
    Ok(QueryPlan {
        purpose,
        sql: sql.text.clone(),
        plan,
    })
}

/// Reads a JSON-object text column.
pub(crate) fn get_json_object(
    row: &AnyRow,
    column: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, sqlx::Error> {
    let text: String = row.try_get(column)?;
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        _ => Err(sqlx::Error::Decode(
            format!("column {column} does not hold a JSON object").into(),
        )),
    }
}

/// The column (or constraint) a unique violation is about, if `err` is one.
pub(crate) fn unique_violation(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    if !db.is_unique_violation() {
        return None;
    }
    // PostgreSQL names the constraint (`users_username_key`); SQLite's message names the
    // columns (`UNIQUE constraint failed: users.username`).
    Some(
        db.constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| db.message().to_owned()),
    )
}

/// `SELECT columns FROM table WHERE 1 = 1 <conditions>` newest first, one page, plus the
/// total count of matches. `conditions` appends `AND …` clauses.
///
/// The page is read before the count: the two are separate statements, so on a table that
/// only grows (attempts, messages, the outbox) the total is never less than what the page
/// shows, even while rows are being added.
pub(crate) async fn page_of(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    columns: &str,
    conditions: &(dyn Fn(&mut Sql) + Sync),
    page: Page,
) -> Result<(Vec<AnyRow>, i64), sqlx::Error> {
    let mut select = Sql::new(&format!("SELECT {columns} FROM {table} WHERE 1 = 1"));
    conditions(&mut select);
    select
        .push(" ORDER BY created_at DESC, seq DESC")
        .push_page(page);
    let rows = select.query().fetch_all(&mut *conn).await?;
    let mut count = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE 1 = 1"));
    conditions(&mut count);
    let total: i64 = count.query().fetch_one(conn).await?.try_get(0)?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(1_i64)
            .push(" AND b IN ")
            .bind_list(["x", "y"])
            .push(" AND c = ")
            .bind(true);
        assert_eq!(
            sql.text,
            "SELECT 1 WHERE a = $1 AND b IN ($2, $3) AND c = $4"
        );
        assert_eq!(sql.args.len(), 4);
    }
}
