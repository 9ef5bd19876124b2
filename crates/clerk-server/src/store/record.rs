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
    /// Reads the column from the JSON the database built of it (`json_array(…)`): numbers
    /// for integers, strings for text, `null` for NULL, objects for JSON text columns
    /// (see [`ColumnValue::HOLDS_JSON`]). `None` if it does not fit.
    fn from_json(value: Value) -> Option<Self>;
    /// Whether the column's text is JSON, which a JSON row embeds as itself rather than as
    /// a string.
    const HOLDS_JSON: bool = false;
}

impl ColumnValue for String {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(self.clone()))
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl ColumnValue for Option<String> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s)),
            _ => None,
        }
    }
}

impl ColumnValue for i64 {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(Some(*self))
    }
    fn from_json(value: Value) -> Option<Self> {
        value.as_i64()
    }
}

impl ColumnValue for Option<i64> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(*self)
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => other.as_i64().map(Some),
        }
    }
}

impl ColumnValue for bool {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<i64, _>(column)? != 0)
    }
    fn arg(&self) -> Arg {
        Arg::Int(Some(i64::from(*self)))
    }
    fn from_json(value: Value) -> Option<Self> {
        value.as_i64().map(|v| v != 0)
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
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Object(map) => Some(map),
            Value::String(text) => match serde_json::from_str(&text) {
                Ok(Value::Object(map)) => Some(map),
                _ => None,
            },
            _ => None,
        }
    }
    const HOLDS_JSON: bool = true;
}

/// A secret stored as text (a password digest), never shown in `Debug`.
impl ColumnValue for Option<Secret> {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<Option<String>, _>(column)?.map(Secret::new))
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.as_ref().map(|s| s.expose().to_owned()))
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(Secret::new(s))),
            _ => None,
        }
    }
}

/// A secret stored as text in a NOT NULL column (a sealed machine secret key).
impl ColumnValue for Secret {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        Ok(Secret::new(row.try_get::<String, _>(column)?))
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(self.expose().to_owned()))
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(Secret::new(s)),
            _ => None,
        }
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
    fn from_json(value: Value) -> Option<Self> {
        IdentifierKind::parse(value.as_str()?)
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

            /// For each of [`Self::COLUMNS`], whether its text is JSON.
            #[allow(dead_code, reason = "not every record is read as JSON")]
            pub(crate) const HOLDS_JSON: &'static [bool] =
                &[$(<$ty as $crate::store::record::ColumnValue>::HOLDS_JSON),*];

            /// Reads a row that selected [`Self::COLUMNS`].
            #[allow(dead_code, reason = "a record may only be written (tests)")]
            pub(crate) fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                use $crate::store::record::ColumnValue;
                Ok(Self {
                    $( $field: <$ty as ColumnValue>::read(row, stringify!($field))?, )*
                })
            }

            /// Reads the record from the JSON array the database built of its columns, in
            /// the order of [`Self::COLUMNS`] (`json_array(<COLUMNS>)`); the first column
            /// that does not fit is named in the error.
            #[allow(dead_code, reason = "not every record is read as JSON")]
            pub(crate) fn from_json(values: Vec<serde_json::Value>) -> Result<Self, sqlx::Error> {
                use $crate::store::record::ColumnValue;
                let mut values = values.into_iter();
                Ok(Self {
                    $( $field: values
                        .next()
                        .and_then(<$ty as ColumnValue>::from_json)
                        .ok_or_else(|| sqlx::Error::Decode(
                            format!("column {} does not read from JSON", stringify!($field)).into(),
                        ))?, )*
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
