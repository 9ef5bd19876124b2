//! Records declared once. [`record!`](crate::store::record) takes one list of fields and
//! makes the struct, the list of its columns, how a row is read into it and the values a
//! write binds, so that insert, update, select and list of a table cannot disagree about
//! its columns. A field's name is its column's name; its type says how it is stored
//! ([`ColumnValue`]).

use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::Arg;
use crate::domain::identifiers::IdentifierKind;
use crate::secret::Secret;

/// How a Rust value is stored in a column that both backends read through sqlx's `Any`
/// driver: integers (booleans as 0/1) and text (JSON objects as text).
pub(crate) trait ColumnValue: Sized {
    /// Reads the column `column` of `row`.
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error>;
    /// The value to bind when writing the column.
    fn arg(&self) -> Arg;
}

impl ColumnValue for String {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(self.clone()))
    }
}

impl ColumnValue for Option<String> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}

impl ColumnValue for i64 {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(Some(*self))
    }
}

impl ColumnValue for Option<i64> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(*self)
    }
}

impl ColumnValue for bool {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<i64, _>(column)? != 0)
    }
    fn arg(&self) -> Arg {
        Arg::Int(Some(i64::from(*self)))
    }
}

/// A JSON object stored as text (metadata).
impl ColumnValue for Map<String, Value> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        let text: String = row.try_get(column)?;
        match serde_json::from_str(&text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(sqlx::Error::Decode(
                format!("column {column} does not hold a JSON object").into(),
            )),
        }
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(Value::Object(self.clone()).to_string()))
    }
}

/// A secret stored as text (a password digest), never shown in `Debug`.
impl ColumnValue for Option<Secret> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<Option<String>, _>(column)?.map(Secret::new))
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.as_ref().map(|s| s.expose().to_owned()))
    }
}

/// The kind of an identification, stored by its name (`email_address`, …).
impl ColumnValue for IdentifierKind {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        let name: String = row.try_get(column)?;
        IdentifierKind::parse(&name).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown identifier kind {name} in {column}").into())
        })
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(self.as_str().to_owned()))
    }
}

/// `a, b, c` for a list of column names.
pub(crate) fn column_list(names: &[&str]) -> String {
    names.join(", ")
}

/// Declares a record: the struct (every field `pub`), and on it `COLUMNS` (the column
/// names, in field order), `from_row` and `args` (the values in the same order).
///
/// ```text
/// record! {
///     /// A row of `things`.
///     #[derive(Debug, Clone)]
///     pub(crate) struct ThingRecord {
///         id: String,
///         name: Option<String>,
///         created_at: i64,
///     }
/// }
/// ```
macro_rules! record {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl $name {
            /// The columns, in the order of [`Self::args`].
            pub(crate) const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Reads a row that selected [`Self::COLUMNS`].
            #[allow(dead_code, reason = "a record may only be written (tests)")]
            pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                use $crate::store::record::ColumnValue;
                Ok(Self {
                    $( $field: <$ty as ColumnValue>::read(row, stringify!($field))?, )*
                })
            }

            /// The values to write, in the order of [`Self::COLUMNS`].
            pub(crate) fn args(&self) -> Vec<$crate::store::sql::Arg> {
                use $crate::store::record::ColumnValue;
                vec![$( ColumnValue::arg(&self.$field) ),*]
            }
        }
    };
}

pub(crate) use record;

#[cfg(test)]
mod tests {
    use super::*;

    record! {
        #[derive(Debug, Clone, PartialEq)]
        struct Thing {
            id: String,
            name: Option<String>,
            count: i64,
            on: bool,
        }
    }

    #[test]
    fn one_list_gives_columns_and_values_in_the_same_order() {
        assert_eq!(Thing::COLUMNS, ["id", "name", "count", "on"]);
        assert_eq!(column_list(Thing::COLUMNS), "id, name, count, on");
        let thing = Thing {
            id: "t_1".into(),
            name: None,
            count: 3,
            on: true,
        };
        let args = thing.args();
        assert_eq!(args.len(), Thing::COLUMNS.len());
        assert!(matches!(&args[0], Arg::Text(Some(id)) if id == "t_1"));
        assert!(matches!(args[1], Arg::Text(None)));
        assert!(matches!(args[3], Arg::Int(Some(1))));
    }
}
