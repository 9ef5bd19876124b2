//! The instance's publishable key: `pk_test_` and the base64 of `<host>$`, the address of the
//! instance's Frontend API, which is how Clerk's browser SDK finds it (clerk-js reads the
//! host from the key; with `proxyUrl` it still checks the key's shape).

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// The publishable key of an instance served at `url` (`http://127.0.0.1:8080`, or the
/// configured issuer): its host and port, as Clerk's development keys encode them.
/// clerk-js refuses a host without a dot (`localhost`), so serve on `127.0.0.1` or set an
/// issuer with a dotted host.
pub(crate) fn publishable_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("pk_test_{}", STANDARD_NO_PAD.encode(format!("{host}$")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(key: &str) -> String {
        let encoded = key.strip_prefix("pk_test_").expect("a development key");
        String::from_utf8(STANDARD_NO_PAD.decode(encoded).unwrap()).unwrap()
    }

    #[test]
    fn keys_encode_the_host_and_port_with_a_dollar() {
        assert_eq!(
            decode(&publishable_key("http://127.0.0.1:8080")),
            "127.0.0.1:8080$"
        );
        assert_eq!(
            decode(&publishable_key("https://clerk.internal.example/")),
            "clerk.internal.example$"
        );
        // Three parts split on `_`, as clerk-js requires.
        assert_eq!(publishable_key("http://127.0.0.1:1").split('_').count(), 3);
    }
}
