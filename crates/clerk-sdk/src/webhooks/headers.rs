//! Where the three signature headers come from: an `http::HeaderMap`, or any list of pairs
//! through [`WebhookHeaders`].

use std::collections::HashMap;
use std::hash::BuildHasher;

use super::WebhookError;

/// The header names Svix sends, as Clerk delivers them.
pub(crate) const SVIX: Names = Names {
    id: "svix-id",
    timestamp: "svix-timestamp",
    signature: "svix-signature",
};

/// The Standard Webhooks names, which the Svix libraries also accept.
pub(crate) const STANDARD: Names = Names {
    id: "webhook-id",
    timestamp: "webhook-timestamp",
    signature: "webhook-signature",
};

/// One family of the three header names.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Names {
    pub(crate) id: &'static str,
    pub(crate) timestamp: &'static str,
    pub(crate) signature: &'static str,
}

/// What a header lookup found.
///
/// ```
/// use clerk_sdk::webhooks::{HeaderLookup, WebhookHeaders};
///
/// let pairs = [("Svix-Id", "msg_1"), ("svix-signature", "v1,a"), ("svix-signature", "v1,b")];
/// assert_eq!(pairs.lookup("svix-id"), HeaderLookup::One(b"msg_1"));
/// assert_eq!(pairs.lookup("svix-signature"), HeaderLookup::Repeated);
/// assert_eq!(pairs.lookup("svix-timestamp"), HeaderLookup::Absent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderLookup<'a> {
    /// The header is not there.
    Absent,
    /// The header is there once, with this value.
    One(&'a [u8]),
    /// The header is there more than once (refused: which one was signed is ambiguous).
    Repeated,
}

/// Request headers a delivery can be verified from. Implemented for `http::HeaderMap`,
/// slices, arrays and `Vec`s of `(name, value)` pairs, and `HashMap`s; implement it for
/// another framework's header type.
///
/// ```
/// use clerk_sdk::webhooks::{HeaderLookup, WebhookHeaders};
///
/// /// Headers as some framework hands them over.
/// struct MyHeaders(Vec<(String, String)>);
///
/// impl WebhookHeaders for MyHeaders {
///     fn lookup(&self, name: &str) -> HeaderLookup<'_> {
///         self.0.as_slice().lookup(name)
///     }
/// }
///
/// let headers = MyHeaders(vec![("svix-id".into(), "msg_1".into())]);
/// assert_eq!(headers.lookup("svix-id"), HeaderLookup::One(b"msg_1"));
/// ```
pub trait WebhookHeaders {
    /// Finds the header called `name` (given in lowercase; match names without regard to
    /// case, as HTTP does).
    ///
    /// ```
    /// use clerk_sdk::webhooks::{HeaderLookup, WebhookHeaders};
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("svix-id", "msg_1".parse().unwrap());
    /// assert_eq!(headers.lookup("svix-id"), HeaderLookup::One(b"msg_1"));
    /// ```
    fn lookup(&self, name: &str) -> HeaderLookup<'_>;
}

impl WebhookHeaders for http::HeaderMap {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        let mut values = self.get_all(name).iter();
        match (values.next(), values.next()) {
            (None, _) => HeaderLookup::Absent,
            (Some(value), None) => HeaderLookup::One(value.as_bytes()),
            (Some(_), Some(_)) => HeaderLookup::Repeated,
        }
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> WebhookHeaders for [(K, V)] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> WebhookHeaders for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, S: BuildHasher> WebhookHeaders for HashMap<K, V, S> {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), name)
    }
}

fn find<'a>(pairs: impl Iterator<Item = (&'a str, &'a [u8])>, name: &str) -> HeaderLookup<'a> {
    let mut found = HeaderLookup::Absent;
    for (key, value) in pairs {
        if key.eq_ignore_ascii_case(name) {
            if found != HeaderLookup::Absent {
                return HeaderLookup::Repeated;
            }
            found = HeaderLookup::One(value);
        }
    }
    found
}

/// The three header values of one delivery, trimmed, checked to be single, non-empty,
/// visible ASCII.
#[derive(Debug)]
pub(crate) struct SignedHeaders<'a> {
    pub(crate) names: Names,
    pub(crate) id: &'a str,
    pub(crate) timestamp: &'a str,
    pub(crate) signature: &'a str,
}

impl<'a> SignedHeaders<'a> {
    /// Takes the `svix-*` headers when any of them is there, else the `webhook-*` ones
    /// (never a mix: a delivery is signed under one family of names).
    pub(crate) fn read<H: WebhookHeaders + ?Sized>(headers: &'a H) -> Result<Self, WebhookError> {
        let uses = |names: &Names| {
            [names.id, names.timestamp, names.signature]
                .iter()
                .any(|name| headers.lookup(name) != HeaderLookup::Absent)
        };
        let names = if !uses(&SVIX) && uses(&STANDARD) {
            STANDARD
        } else {
            SVIX
        };
        Ok(SignedHeaders {
            names,
            id: value(headers, names.id)?,
            timestamp: value(headers, names.timestamp)?,
            signature: value(headers, names.signature)?,
        })
    }
}

fn value<'a, H: WebhookHeaders + ?Sized>(
    headers: &'a H,
    name: &'static str,
) -> Result<&'a str, WebhookError> {
    let malformed = |problem| WebhookError::MalformedHeader { name, problem };
    let raw = match headers.lookup(name) {
        HeaderLookup::Absent => return Err(WebhookError::MissingHeader { name }),
        HeaderLookup::Repeated => return Err(malformed("sent more than once")),
        HeaderLookup::One(raw) => raw,
    };
    // Visible ASCII and spaces only, as `http::HeaderValue::to_str` requires.
    if !raw
        .iter()
        .all(|&b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
    {
        return Err(malformed("not visible ASCII"));
    }
    // Checked as ASCII just above, so this cannot fail.
    let text = std::str::from_utf8(raw).map_err(|_| malformed("not visible ASCII"))?;
    let text = text.trim_matches([' ', '\t']);
    if text.is_empty() {
        return Err(malformed("empty"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_maps_and_pairs_agree() {
        let mut map = http::HeaderMap::new();
        map.insert("svix-id", "msg_1".parse().unwrap());
        map.append("svix-signature", "v1,a".parse().unwrap());
        map.append("svix-signature", "v1,b".parse().unwrap());
        let pairs = vec![
            ("SVIX-ID".to_owned(), "msg_1".to_owned()),
            ("svix-signature".to_owned(), "v1,a".to_owned()),
            ("Svix-Signature".to_owned(), "v1,b".to_owned()),
        ];
        let hash: HashMap<&str, &str> = [("Svix-Id", "msg_1")].into_iter().collect();
        for name in ["svix-id", "svix-signature", "svix-timestamp"] {
            assert_eq!(map.lookup(name), pairs.lookup(name), "{name}");
        }
        assert_eq!(hash.lookup("svix-id"), HeaderLookup::One(b"msg_1"));
    }

    #[test]
    fn one_family_is_used_and_never_mixed() {
        let standard = [
            ("webhook-id", "msg_1"),
            ("webhook-timestamp", "1"),
            ("webhook-signature", "v1,x"),
        ];
        let read = SignedHeaders::read(&standard).unwrap();
        assert_eq!(read.names.id, "webhook-id");

        // One svix header present: the svix family is required in full.
        let mixed = [
            ("svix-id", "msg_1"),
            ("webhook-timestamp", "1"),
            ("webhook-signature", "v1,x"),
        ];
        assert_eq!(
            SignedHeaders::read(&mixed).unwrap_err(),
            WebhookError::MissingHeader {
                name: "svix-timestamp"
            }
        );
        let none: [(&str, &str); 0] = [];
        assert_eq!(
            SignedHeaders::read(&none).unwrap_err(),
            WebhookError::MissingHeader { name: "svix-id" }
        );
    }

    #[test]
    fn values_are_trimmed_and_checked() {
        let headers = [
            ("svix-id", " msg_1 "),
            ("svix-timestamp", "\t1"),
            ("svix-signature", "v1,x"),
        ];
        let read = SignedHeaders::read(&headers).unwrap();
        assert_eq!((read.id, read.timestamp), ("msg_1", "1"));
        let empty = [
            ("svix-id", "  "),
            ("svix-timestamp", "1"),
            ("svix-signature", "v1,x"),
        ];
        assert!(matches!(
            SignedHeaders::read(&empty).unwrap_err(),
            WebhookError::MalformedHeader {
                name: "svix-id",
                problem: "empty"
            }
        ));
        let binary: [(&str, &[u8]); 3] = [
            ("svix-id", b"msg_\xff"),
            ("svix-timestamp", b"1"),
            ("svix-signature", b"v1,x"),
        ];
        assert!(matches!(
            SignedHeaders::read(&binary).unwrap_err(),
            WebhookError::MalformedHeader {
                name: "svix-id",
                ..
            }
        ));
    }
}
