//! Query strings, built by hand so array filters become repeated keys
//! (`email_address=a%40x.com&email_address=b%40x.com`), which is what the
//! Backend API reads. `email_address[]=` or `email_address[0]=` would be
//! silently ignored and match every user.

/// The query parameters of one request, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `key=value`.
    pub(crate) fn push(&mut self, key: &str, value: impl ToString) -> &mut Self {
        self.pairs.push((key.to_owned(), value.to_string()));
        self
    }

    /// Adds `key=value` when there is a value.
    pub(crate) fn push_opt(&mut self, key: &str, value: Option<impl ToString>) -> &mut Self {
        if let Some(value) = value {
            self.push(key, value);
        }
        self
    }

    /// Adds `key=value` once per value.
    pub(crate) fn push_all<V: ToString>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        for value in values {
            self.push(key, value);
        }
        self
    }

    /// The pairs, in order, for callers outside this crate.
    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// The percent-encoded query string (without `?`), or `None` when empty.
    pub(crate) fn encode(&self) -> Option<String> {
        if self.pairs.is_empty() {
            return None;
        }
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.pairs {
            serializer.append_pair(key, value);
        }
        Some(serializer.finish())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Query {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut query = Query::new();
        for (key, value) in iter {
            query.push(key.as_ref(), value.as_ref());
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_repeated_keys_and_values_are_encoded() {
        let mut query = Query::new();
        query
            .push_all("email_address", ["a@example.com", "b+tag@example.com"])
            .push("order_by", "+created_at")
            .push_opt("limit", Some(20))
            .push_opt("offset", None::<u32>)
            .push("query", "John Doe & co");
        assert_eq!(
            query.encode().unwrap(),
            "email_address=a%40example.com&email_address=b%2Btag%40example.com&order_by=%2Bcreated_at&limit=20&query=John+Doe+%26+co"
        );
        assert_eq!(Query::new().encode(), None);
    }
}
