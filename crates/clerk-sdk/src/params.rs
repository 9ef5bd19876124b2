//! Helpers shared by the request builders in `resources/`.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// Builder methods that replace a list field: `name(["a", "b"])`. The leading literal is
/// the expression that builds the parameters, for the generated examples.
macro_rules! list_setters {
    ($new:literal; $($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            ///
            /// ```
            #[doc = concat!("let params = clerk_sdk::", $new, ".", stringify!($name), "([\"a\", \"b\"]);")]
            /// ```
            pub fn $name<I, S>(mut self, values: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.$name = values.into_iter().map(Into::into).collect();
                self
            }
        )*
    };
}

/// Builder methods that set an optional field: `name(value)`. `String`
/// fields take anything `Into<String>`; other types are taken as they are,
/// so integer literals infer (`.limit(20)`). The leading literal is the expression that
/// builds the parameters, for the generated examples.
macro_rules! option_setters {
    ($new:literal; $($(#[$doc:meta])* $name:ident: $ty:ident),* $(,)?) => {
        $($crate::params::option_setter!($new; $(#[$doc])* $name: $ty);)*
    };
}

macro_rules! option_setter {
    ($new:literal; $(#[$doc:meta])* $name:ident: String) => {
        $(#[$doc])*
        ///
        /// ```
        #[doc = concat!("let params = clerk_sdk::", $new, ".", stringify!($name), "(\"…\");")]
        /// ```
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$name = Some(value.into());
            self
        }
    };
    ($new:literal; $(#[$doc:meta])* $name:ident: $ty:ident) => {
        $(#[$doc])*
        ///
        /// ```
        #[doc = concat!(
            "let params = clerk_sdk::", $new, ".", stringify!($name),
            "(", $crate::params::example_value!($ty), ");"
        )]
        /// ```
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value);
            self
        }
    };
}

/// Rust source of an example value of a setter's type, for the generated examples.
macro_rules! example_value {
    (bool) => {
        "true"
    };
    (i64) => {
        "1_700_000_000_000"
    };
    (u32) => {
        "20"
    };
    (u64) => {
        "300"
    };
    (Value) => {
        "serde_json::json!({\"plan\": \"pro\"})"
    };
    // The string enums (`SessionStatus`, `PasswordHasher`, ...) convert from their wire value.
    ($other:ident) => {
        "\"active\".into()"
    };
}

/// Builder methods for three-state update fields: `name(value)` sets,
/// `name(Patch::Null)` clears. The leading literal is the expression that builds the
/// parameters, for the generated examples.
macro_rules! patch_setters {
    ($new:literal; $($(#[$doc:meta])* $name:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            ///
            /// ```
            #[doc = concat!(
                "let params = clerk_sdk::", $new, ".", stringify!($name), "(clerk_sdk::Patch::Null);"
            )]
            /// ```
            pub fn $name(mut self, value: impl Into<$crate::Patch<$ty>>) -> Self {
                self.$name = value.into();
                self
            }
        )*
    };
}

/// The `limit` and `offset` setters of a [`PaginatedList`](crate::pagination::PaginatedList)'s
/// parameters `$params`, over their `paging` field; `$items` names what the list holds.
macro_rules! paging_setters {
    ($params:ident, $items:literal) => {
        /// Page size, 1 to 500 (API default 10).
        ///
        /// ```
        #[doc = concat!("let params = clerk_sdk::", stringify!($params), "::new().limit(100);")]
        /// ```
        pub fn limit(mut self, limit: u32) -> Self {
            self.paging.limit = Some(limit);
            self
        }

        #[doc = concat!("How many ", $items, " to skip.")]
        ///
        /// ```
        #[doc = concat!("let params = clerk_sdk::", stringify!($params), "::new().limit(100).offset(200);")]
        /// ```
        pub fn offset(mut self, offset: u64) -> Self {
            self.paging.offset = Some(offset);
            self
        }
    };
}

/// `to_query_pairs` for a [`PaginatedList`](crate::pagination::PaginatedList)'s parameters:
/// the query the list sends, for a caller that sends the request itself (the `clerk` CLI,
/// which keeps the answer exactly as it came). `$example` builds a value of the type.
macro_rules! query_pairs {
    ($example:literal) => {
        /// The query parameters the list sends, in order: for a caller that sends the
        /// request itself (say, to keep the answer as it came).
        ///
        /// ```
        #[doc = concat!("let pairs = clerk_sdk::", $example, ".to_query_pairs();")]
        /// assert!(pairs.iter().any(|(key, _)| key == "limit"));
        /// ```
        pub fn to_query_pairs(&self) -> Vec<(String, String)> {
            crate::pagination::PaginatedList::to_query(self).into_pairs()
        }
    };
}

pub(crate) use {
    example_value, list_setters, option_setter, option_setters, paging_setters, patch_setters,
};

pub(crate) use query_pairs;

/// Checks that metadata given as a JSON value is an object.
pub(crate) fn check_metadata(field: &str, value: Option<&Value>) -> Result<()> {
    match value {
        None | Some(Value::Object(_)) => Ok(()),
        Some(other) => Err(Error::InvalidInput(format!(
            "{field} must be a JSON object, not {}",
            match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            }
        ))),
    }
}

/// `Debug` for a request body that may hold secrets: prints the JSON that
/// would be sent, with the values of `secret_fields` replaced.
pub(crate) fn debug_redacted<T: Serialize>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    body: &T,
    secret_fields: &[&str],
) -> fmt::Result {
    let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        for field in secret_fields {
            if let Some(secret) = fields.get_mut(*field) {
                if !secret.is_null() {
                    *secret = Value::String("(redacted)".into());
                }
            }
        }
    }
    write!(f, "{name} {value}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_must_be_an_object() {
        assert!(check_metadata("public_metadata", None).is_ok());
        assert!(check_metadata("public_metadata", Some(&json!({"a": 1}))).is_ok());
        let err = check_metadata("public_metadata", Some(&json!([1]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: public_metadata must be a JSON object, not an array"
        );
    }

    #[test]
    fn redaction() {
        struct Shown(Value);
        impl fmt::Debug for Shown {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                debug_redacted(f, "Body", &self.0, &["password", "missing"])
            }
        }
        let text = format!("{:?}", Shown(json!({"password": "hunter2", "name": "x"})));
        assert_eq!(text, r#"Body {"name":"x","password":"(redacted)"}"#);
    }
}
