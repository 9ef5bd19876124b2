//! The instance's publishable key: `pk_test_` and the base64 of `<host>$`, the address of the
//! instance's Frontend API, which is how Clerk's browser SDK finds it (clerk-js reads the
//! host from the key; with `proxyUrl` it still checks the key's shape).

use aws_lc_rs::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// The publishable key of an instance served at `url` (`http://127.0.0.1:8080`, or the
/// configured issuer): its host and port, as Clerk's development keys encode them.
/// clerk-js refuses a host without a dot (`localhost`), so serve on `127.0.0.1` or set an
/// issuer with a dotted host.
pub(crate) fn publishable_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("pk_test_{}", STANDARD_NO_PAD.encode(format!("{host}$")))
}

/// The suffix Clerk's SDKs add to the names of an instance's cookies (`__session_<suffix>`),
/// so that instances on one host keep apart: the first 8 characters of the base64url
/// SHA-1 of the publishable key (a name, not a secret).
pub(crate) fn cookie_suffix(publishable_key: &str) -> String {
    let hash = digest(&SHA1_FOR_LEGACY_USE_ONLY, publishable_key.as_bytes());
    URL_SAFE_NO_PAD
        .encode(hash.as_ref())
        .chars()
        .take(8)
        .collect()
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

    #[test]
    fn cookie_suffixes_are_what_clerk_js_computes() {
        // node -e "console.log(require('crypto').createHash('sha1')
        //   .update('pk_test_MTI3LjAuMC4xOjgwODAk').digest('base64url').slice(0, 8))"
        assert_eq!(cookie_suffix("pk_test_MTI3LjAuMC4xOjgwODAk"), "jhCTtJ4x");
    }
}
