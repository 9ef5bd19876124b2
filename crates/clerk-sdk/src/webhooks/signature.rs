//! The cryptographic steps: timestamp, the list of signatures, HMAC-SHA256 and the
//! constant-time comparison.

use std::time::Duration;

use aws_lc_rs::constant_time::verify_slices_are_equal;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::WebhookError;
use super::headers::SignedHeaders;
use super::secret::WebhookSecret;

/// The only signature scheme accepted: HMAC-SHA256.
const SCHEME: &str = "v1";
/// An HMAC-SHA256 tag, in bytes.
const TAG_LEN: usize = 32;
/// Its padded standard base64: 44 characters, the only length that can decode to 32 bytes.
const ENCODED_TAG_LEN: usize = 44;
/// The most digits an `i64` always holds. Milliseconds (13 digits) still parse, and are
/// then refused as too far in the future, which says more than "malformed".
const MAX_TIMESTAMP_DIGITS: usize = 18;

/// Reads `svix-timestamp`: Unix seconds as plain decimal digits.
///
/// Stricter than the Svix libraries, which parse leniently (`+17…`, `017…`) and then sign
/// the number re-printed: here the accepted text is always the number as printed, so what
/// is signed is the header exactly as received.
pub(crate) fn parse_timestamp(headers: &SignedHeaders<'_>) -> Result<i64, WebhookError> {
    let text = headers.timestamp;
    let malformed = |problem| WebhookError::MalformedHeader {
        name: headers.names.timestamp,
        problem,
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("not a number of seconds"));
    }
    if text.len() > MAX_TIMESTAMP_DIGITS {
        return Err(malformed("too many digits"));
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(malformed("leading zero"));
    }
    text.parse()
        .map_err(|_| malformed("not a number of seconds"))
}

/// Accepts a timestamp at most `tolerance` away from `now`, either way (bounds included, as
/// in the Svix libraries).
pub(crate) fn check_timestamp(
    timestamp: i64,
    now: Duration,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    let now = i128::from(now.as_secs());
    let timestamp = i128::from(timestamp);
    let tolerance = i128::from(tolerance.as_secs());
    if now - timestamp > tolerance {
        Err(WebhookError::TimestampTooOld)
    } else if timestamp - now > tolerance {
        Err(WebhookError::TimestampTooNew)
    } else {
        Ok(())
    }
}

/// The `v1` signatures of a `svix-signature` value, decoded. Entries are separated by spaces
/// and read `scheme,base64`; other schemes are skipped. A `v1` entry that is not 32 bytes of
/// canonical base64 can match nothing and is dropped.
///
/// Returns `None` when the header holds no `v1` entry at all.
pub(crate) fn v1_signatures(header: &str) -> Option<Vec<[u8; TAG_LEN]>> {
    let mut any_v1 = false;
    let mut decoded = Vec::new();
    for entry in header.split(' ') {
        let Some((scheme, encoded)) = entry.split_once(',') else {
            continue;
        };
        if scheme != SCHEME {
            continue;
        }
        any_v1 = true;
        if encoded.len() != ENCODED_TAG_LEN {
            continue;
        }
        let mut tag = [0; TAG_LEN];
        if STANDARD.decode_slice(encoded, &mut tag) == Ok(TAG_LEN) {
            decoded.push(tag);
        }
    }
    any_v1.then_some(decoded)
}

/// Whether any secret's tag of the message equals any candidate, compared in constant time.
/// Each secret's HMAC is computed once, whatever the number of candidates.
pub(crate) fn matches(
    secrets: &[WebhookSecret],
    headers: &SignedHeaders<'_>,
    body: &[u8],
    candidates: &[[u8; TAG_LEN]],
) -> bool {
    if candidates.is_empty() {
        return false;
    }
    secrets.iter().any(|secret| {
        let tag = secret.tag(headers.id, headers.timestamp, body);
        candidates
            .iter()
            .any(|candidate| verify_slices_are_equal(tag.as_ref(), candidate).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::headers::SVIX;

    fn headers(timestamp: &str) -> SignedHeaders<'_> {
        SignedHeaders {
            names: SVIX,
            id: "msg_1",
            timestamp,
            signature: "",
        }
    }

    #[test]
    fn timestamps_are_plain_decimal_seconds() {
        assert_eq!(parse_timestamp(&headers("1700000000")), Ok(1_700_000_000));
        assert_eq!(parse_timestamp(&headers("0")), Ok(0));
        assert_eq!(
            parse_timestamp(&headers("1700000000000")),
            Ok(1_700_000_000_000)
        );
        for bad in [
            "+1700000000",
            "-1",
            "017",
            "1.5",
            "1e9",
            "0x10",
            "1234567890123456789",
            "١",
        ] {
            assert!(
                matches!(
                    parse_timestamp(&headers(bad)),
                    Err(WebhookError::MalformedHeader {
                        name: "svix-timestamp",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn tolerance_bounds_are_inclusive() {
        let now = Duration::from_secs(1_000_000);
        let five_minutes = Duration::from_secs(300);
        assert_eq!(check_timestamp(1_000_000 - 300, now, five_minutes), Ok(()));
        assert_eq!(check_timestamp(1_000_000 + 300, now, five_minutes), Ok(()));
        assert_eq!(
            check_timestamp(1_000_000 - 301, now, five_minutes),
            Err(WebhookError::TimestampTooOld)
        );
        assert_eq!(
            check_timestamp(1_000_000 + 301, now, five_minutes),
            Err(WebhookError::TimestampTooNew)
        );
        // Milliseconds by mistake read as far in the future.
        assert_eq!(
            check_timestamp(1_000_000_000, now, five_minutes),
            Err(WebhookError::TimestampTooNew)
        );
    }

    #[test]
    fn only_well_formed_v1_entries_are_candidates() {
        let good = "tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
        assert_eq!(
            v1_signatures(&format!("v1,{good}")).map(|v| v.len()),
            Some(1)
        );
        assert_eq!(
            v1_signatures(&format!("v1a,{good} v2,{good} V1,{good} {good}")),
            None
        );
        assert_eq!(v1_signatures(""), None);
        // `v1` entries that cannot be a tag: no candidates, but not "no v1".
        let unpadded = good.trim_end_matches('=');
        let cases = format!("v1, v1,{unpadded} v1,{good}{good} v1,!!{}", &good[2..]);
        assert_eq!(v1_signatures(&cases).map(|v| v.len()), Some(0));
        // Several entries and stray spaces, as during a secret rotation.
        let rotation = format!("  v1,{good}  v1,{good} v2,abc ");
        assert_eq!(v1_signatures(&rotation).map(|v| v.len()), Some(2));
    }
}
