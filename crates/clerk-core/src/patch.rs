//! Three-state fields for update bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field of an update body: leave it unchanged, clear it (`null`), or set it.
///
/// The SDK's update builders take `impl Into<Patch<T>>`, so a plain value sets the field
/// and [`Patch::Null`] clears it; a field never mentioned stays [`Patch::Unchanged`] and
/// is not sent at all. The server reads a request field into the same three states.
///
/// ```
/// use clerk_core::Patch;
/// use serde::Serialize;
///
/// #[derive(Serialize, Default)]
/// struct UpdateUser {
///     #[serde(skip_serializing_if = "Patch::is_unchanged")]
///     first_name: Patch<String>,
///     #[serde(skip_serializing_if = "Patch::is_unchanged")]
///     username: Patch<String>,
///     #[serde(skip_serializing_if = "Patch::is_unchanged")]
///     last_name: Patch<String>,
/// }
///
/// let update = UpdateUser {
///     first_name: "Ada".into(),   // "first_name": "Ada"
///     username: Patch::Null,      // "username": null  (removes the username)
///     ..Default::default()        // last_name: not sent, stays as it is
/// };
/// let body = serde_json::to_value(&update).unwrap();
/// assert_eq!(body, serde_json::json!({"first_name": "Ada", "username": null}));
/// ```
///
/// Deserializing is the mirror image when the field has `#[serde(default)]`:
/// absent is `Unchanged`, `null` is `Null`, anything else is `Set`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Not sent: the API leaves the field as it is.
    #[default]
    Unchanged,
    /// Sent as `null`: the API clears the field.
    Null,
    /// Sent as this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out of the body (used by `skip_serializing_if`).
    ///
    /// ```
    /// assert!(clerk_core::Patch::<String>::Unchanged.is_unchanged());
    /// assert!(!clerk_core::Patch::Set(1).is_unchanged());
    /// ```
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// The value being set, if any.
    ///
    /// ```
    /// assert_eq!(clerk_core::Patch::Set(3).as_set(), Some(&3));
    /// assert_eq!(clerk_core::Patch::<i32>::Null.as_set(), None);
    /// ```
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            _ => None,
        }
    }

    /// The value being set, if any, by value: where clearing and leaving alone mean the
    /// same (a create, say), `Null` and `Unchanged` are both `None`.
    ///
    /// ```
    /// use clerk_core::Patch;
    ///
    /// assert_eq!(Patch::Set(3).into_set(), Some(3));
    /// assert_eq!(Patch::<i32>::Null.into_set(), None);
    /// assert_eq!(Patch::<i32>::Unchanged.into_set(), None);
    /// ```
    pub fn into_set(self) -> Option<T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Null | Patch::Unchanged => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl From<&str> for Patch<String> {
    fn from(value: &str) -> Self {
        Patch::Set(value.to_owned())
    }
}

/// Lets an integer literal set an `i64` field (`.create_organizations_limit(5)`):
/// a bare literal defaults to `i32`.
impl From<i32> for Patch<i64> {
    fn from(value: i32) -> Self {
        Patch::Set(i64::from(value))
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            // `Unchanged` is skipped by the containing struct; if it is
            // serialized anyway, `null` is the closest JSON has.
            Patch::Unchanged | Patch::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Patch::Set(value),
            None => Patch::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
        name: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
        limit: Patch<i64>,
    }

    #[test]
    fn three_states_round_trip() {
        let body = Body {
            name: Patch::Null,
            limit: Patch::Set(3),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"name": null, "limit": 3})
        );
        assert_eq!(serde_json::to_value(Body::default()).unwrap(), json!({}));

        let read: Body = serde_json::from_value(json!({"name": null})).unwrap();
        assert_eq!(
            read,
            Body {
                name: Patch::Null,
                limit: Patch::Unchanged
            }
        );
        let read: Body = serde_json::from_value(json!({"name": "x", "limit": 1})).unwrap();
        assert_eq!(
            read,
            Body {
                name: "x".into(),
                limit: 1.into()
            }
        );
    }
}
