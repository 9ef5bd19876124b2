//! Identifiers: Clerk-style KSUID ids (`user_2g7np7Hrk0SN6kj5EDMLDaKNL0S`), trace ids and
//! other random tokens.
//!
//! A KSUID is 20 bytes, a 4-byte big-endian timestamp (seconds since 2014-05-13, the KSUID
//! epoch) followed by 16 random bytes, written as 27 base62 characters. Ids sort by creation
//! second; within a second their order is random, so lists order by an insertion sequence.

/// Prefixes of the ids this server issues, as Clerk uses them.
pub(crate) mod prefix {
    pub const USER: &str = "user";
    pub const SESSION: &str = "sess";
    pub const CLIENT: &str = "client";
    pub const ALLOWLIST_IDENTIFIER: &str = "alid";
    pub const BLOCKLIST_IDENTIFIER: &str = "blid";
    pub const REDIRECT_URL: &str = "ru";
    /// Email addresses, phone numbers and web3 wallets share Clerk's identification prefix.
    pub const IDENTIFICATION: &str = "idn";
    pub const EMAIL: &str = "ema";
    pub const SMS: &str = "sms";
    pub const INSTANCE: &str = "ins";
    pub const INVITATION: &str = "inv";
    pub const ORGANIZATION: &str = "org";
    pub const ORGANIZATION_MEMBERSHIP: &str = "orgmem";
    pub const ORGANIZATION_INVITATION: &str = "orginv";
    pub const ORGANIZATION_DOMAIN: &str = "orgdmn";
    pub const ROLE: &str = "role";
    pub const PERMISSION: &str = "perm";
    pub const ROLE_SET: &str = "rs";
    /// Uploaded images (organization logos).
    pub const IMAGE: &str = "img";
    pub const WAITLIST_ENTRY: &str = "wle";
    /// One-time-code verifications of an email address or phone number.
    pub const VERIFICATION: &str = "ver";
    /// Sign-up attempts.
    pub const SIGN_UP: &str = "sua";
    /// Sign-in attempts.
    pub const SIGN_IN: &str = "sia";
    pub const SIGN_IN_TOKEN: &str = "sit";
    pub const ACTOR_TOKEN: &str = "act";
    pub const JWT_TEMPLATE: &str = "jtmp";
    pub const MESSAGE_TEMPLATE: &str = "tmpl";
    pub const DOMAIN: &str = "dmn";
    /// A user's external (OAuth) accounts.
    pub const EXTERNAL_ACCOUNT: &str = "eac";
    /// A user's trusted devices (this server's choice: Clerk documents no prefix).
    pub const TRUSTED_DEVICE: &str = "td";
    pub const OAUTH_APPLICATION: &str = "oa";
    pub const MACHINE: &str = "mch";
}

const KSUID_EPOCH_SECONDS: i64 = 1_400_000_000;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KSUID_CHARS: usize = 27;

/// A new id `<prefix>_<ksuid>` whose timestamp is `now_ms`.
pub(crate) fn new_id(prefix: &str, now_ms: i64) -> String {
    let mut bytes = [0u8; 20];
    let seconds = (now_ms.div_euclid(1000) - KSUID_EPOCH_SECONDS).clamp(0, i64::from(u32::MAX));
    bytes[..4].copy_from_slice(&(seconds as u32).to_be_bytes());
    fill_random(&mut bytes[4..]);
    format!("{prefix}_{}", base62_fixed(&bytes, KSUID_CHARS))
}

/// An id `<prefix>_<27 base62 characters>` that is always the same for `seed`: the id of
/// something every instance has, such as one of Clerk's default templates.
pub(crate) fn stable_id(prefix: &str, seed: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, seed.as_bytes());
    format!(
        "{prefix}_{}",
        base62_fixed(&digest.as_ref()[..20], KSUID_CHARS)
    )
}

/// A trace id for `clerk_trace_id` and the `Clerk-Trace-Id` header: 32 hex characters.
pub(crate) fn trace_id() -> String {
    random_hex(16)
}

/// `n` random bytes, hex-encoded.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random base62 characters (about 5.95 bits each).
pub(crate) fn random_base62(n: usize) -> String {
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    while out.len() < n {
        fill_random(&mut buf);
        // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
        for &b in buf.iter().filter(|&&b| b < 248) {
            if out.len() == n {
                break;
            }
            out.push(BASE62[usize::from(b % 62)] as char);
        }
    }
    out
}

/// Fills `dest` from the operating system's CSPRNG.
pub(crate) fn fill_random(dest: &mut [u8]) {
    // The system RNG failing means the machine cannot produce secrets at all; there is no
    // meaningful way to continue issuing ids or keys.
    aws_lc_rs::rand::fill(dest).expect("the system random number generator failed");
}

/// Big-endian bytes as exactly `width` base62 digits (left-padded with `0`).
fn base62_fixed(bytes: &[u8], width: usize) -> String {
    let mut number = bytes.to_vec();
    let mut digits = Vec::with_capacity(width);
    while number.iter().any(|&b| b != 0) {
        let mut remainder = 0u32;
        for byte in number.iter_mut() {
            let acc = (remainder << 8) | u32::from(*byte);
            *byte = (acc / 62) as u8;
            remainder = acc % 62;
        }
        digits.push(BASE62[remainder as usize]);
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_prefix_and_27_base62_chars() {
        let id = new_id(prefix::USER, 1_700_000_000_000);
        let (p, ksuid) = id.split_once('_').unwrap();
        assert_eq!(p, "user");
        assert_eq!(ksuid.len(), 27);
        assert!(ksuid.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(id, new_id(prefix::USER, 1_700_000_000_000));
    }

    #[test]
    fn ksuid_prefix_sorts_by_time() {
        let early = new_id(prefix::SESSION, 1_600_000_000_000);
        let late = new_id(prefix::SESSION, 1_700_000_000_000);
        assert!(early[5..10] < late[5..10]);
    }

    #[test]
    fn base62_of_known_values() {
        assert_eq!(base62_fixed(&[0; 20], 27), "0".repeat(27));
        assert_eq!(base62_fixed(&[0, 61], 3), "00z");
        assert_eq!(base62_fixed(&[0, 62], 3), "010");
        // The maximum KSUID encodes to the documented maximum string.
        assert_eq!(base62_fixed(&[0xff; 20], 27), "aWgEPTl1tmebfsQzFP4bxwgy80V");
    }

    #[test]
    fn random_strings_have_requested_length() {
        assert_eq!(random_hex(16).len(), 32);
        let s = random_base62(40);
        assert_eq!(s.len(), 40);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
