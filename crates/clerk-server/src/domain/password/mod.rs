//! Passwords: the policy checks, argon2id hashing of plaintext passwords, and the import of
//! existing digests (`password_digest` + `password_hasher`).
//!
//! Plaintext passwords are hashed with argon2id (the argon2 crate's default parameters:
//! 19 MiB, 2 passes). Imported digests are accepted for the hashers `bcrypt` (`$2a$`,
//! `$2b$`, `$2y$`), `argon2i` and `argon2id` (PHC strings), within cost bounds
//! ([`Bounds`]) so that one verification cannot take a core for hours; Clerk's other
//! hashers (md5, pbkdf2, scrypt, …) are answered 422 `form_param_value_invalid` naming the
//! hasher. Hashing and verifying run on the [`PasswordPool`], never on the async workers.

mod argon;
mod pool;

use argon2::PasswordHash;

use crate::domain::error::Rule;
use crate::secret::Secret;

pub(crate) use pool::{PasswordPool, PasswordWorkError};

/// Shortest password accepted unless `skip_password_checks` is set (Clerk's minimum).
pub(crate) const MIN_LENGTH: usize = 8;
/// Longest password accepted unless `skip_password_checks` is set (Clerk's maximum).
pub(crate) const MAX_LENGTH: usize = 72;
/// Hard cap on a password's size in bytes, even with `skip_password_checks`.
pub(crate) const MAX_BYTES: usize = 1024;

/// The hashers whose digests can be imported.
pub(crate) const IMPORTABLE_HASHERS: [&str; 3] = ["bcrypt", "argon2i", "argon2id"];

/// The most work an imported digest may ask of one verification. Typical production
/// settings sit far below (bcrypt 10–12; argon2 19–64 MiB, 2–4 passes); at these bounds one
/// verification takes a few seconds of one core and at most 256 MiB.
pub(crate) struct Bounds;

impl Bounds {
    /// bcrypt's cost factor (2^cost rounds; each step doubles the time).
    pub(crate) const BCRYPT_MAX_COST: u32 = 16;
    /// argon2's memory, in KiB (256 MiB).
    pub(crate) const ARGON2_MAX_MEMORY_KIB: u32 = 256 * 1024;
    /// argon2's passes over the memory.
    pub(crate) const ARGON2_MAX_PASSES: u32 = 10;
    /// argon2's lanes.
    pub(crate) const ARGON2_MAX_LANES: u32 = 8;
}

/// A stored password: a digest and the name of the algorithm that made it.
#[derive(Debug, Clone)]
pub(crate) struct PasswordDigest {
    pub digest: Secret,
    pub hasher: String,
}

/// Checks a new password against the policy (length), unless the caller skips the checks.
/// Clerk also rejects breached passwords; this server has no breach list (it is offline).
pub(crate) fn check_policy(param: &str, password: &str, skip_checks: bool) -> Result<(), Rule> {
    if password.len() > MAX_BYTES {
        return Err(Rule::input(
            "form_password_size_in_bytes_exceeded",
            param,
            "Your password is too long. Please use a shorter one.",
            format!("Passwords can be at most {MAX_BYTES} bytes long."),
        ));
    }
    if password.is_empty() {
        return Err(Rule::value_invalid(
            param,
            format!("{param} must not be empty."),
        ));
    }
    if skip_checks {
        return Ok(());
    }
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(Rule::input(
            "form_password_length_too_short",
            param,
            "Passwords must be 8 characters or more.",
            format!("Passwords must be {MIN_LENGTH} characters or more."),
        ));
    }
    if chars > MAX_LENGTH {
        return Err(Rule::input(
            "form_password_length_too_long",
            param,
            "Passwords must be less than 72 characters.",
            format!("Passwords must be at most {MAX_LENGTH} characters long."),
        ));
    }
    Ok(())
}

/// Hashes a plaintext password with argon2id, on the calling thread (slow: tens of
/// milliseconds and 19 MiB). Requests go through the [`PasswordPool`].
pub(crate) fn hash_now(password: &Secret) -> Result<PasswordDigest, argon2::Error> {
    Ok(PasswordDigest {
        digest: Secret::new(argon::hash(password.expose().as_bytes())?),
        hasher: "argon2id".to_owned(),
    })
}

/// Whether `password` matches the stored digest, on the calling thread.
pub(crate) fn verify_now(password: &Secret, stored: &PasswordDigest) -> bool {
    let digest = stored.digest.expose();
    match stored.hasher.as_str() {
        "bcrypt" => bcrypt::verify(password.expose(), digest).unwrap_or(false),
        _ => argon::verify(password.expose().as_bytes(), digest),
    }
}

/// Validates an imported digest for its hasher, within [`Bounds`].
pub(crate) fn import(digest: &str, hasher: &str) -> Result<PasswordDigest, Rule> {
    if !IMPORTABLE_HASHERS.contains(&hasher) {
        return Err(Rule::value_invalid(
            "password_hasher",
            format!(
                "The password hasher {hasher:?} is not supported by this server; supported hashers are {}.",
                IMPORTABLE_HASHERS.join(", ")
            ),
        ));
    }
    let checked = match hasher {
        "bcrypt" => check_bcrypt(digest),
        _ => check_argon2(digest, hasher),
    };
    checked.map_err(|reason| {
        Rule::input(
            "form_password_digest_invalid_code",
            "password_digest",
            "is invalid",
            reason,
        )
    })?;
    Ok(PasswordDigest {
        digest: Secret::new(digest),
        hasher: hasher.to_owned(),
    })
}

/// Why a bcrypt digest cannot be imported, if it cannot.
fn check_bcrypt(digest: &str) -> Result<(), String> {
    let parts = digest
        .parse::<bcrypt::HashParts>()
        .map_err(|_| "The password digest is not a valid bcrypt digest.".to_owned())?;
    let cost = parts.get_cost();
    if cost > Bounds::BCRYPT_MAX_COST {
        return Err(format!(
            "The bcrypt cost of the password digest is {cost}; this server accepts at most {}.",
            Bounds::BCRYPT_MAX_COST
        ));
    }
    Ok(())
}

/// Why an argon2 PHC digest cannot be imported as `hasher`, if it cannot.
fn check_argon2(digest: &str, hasher: &str) -> Result<(), String> {
    let invalid = || format!("The password digest is not a valid {hasher} digest.");
    let hash = PasswordHash::new(digest).map_err(|_| invalid())?;
    if hash.algorithm.as_str() != hasher || hash.hash.is_none() {
        return Err(invalid());
    }
    let params = argon2::Params::try_from(&hash).map_err(|_| invalid())?;
    let limits = [
        (
            "memory (m)",
            params.m_cost(),
            Bounds::ARGON2_MAX_MEMORY_KIB,
            "KiB",
        ),
        ("passes (t)", params.t_cost(), Bounds::ARGON2_MAX_PASSES, ""),
        ("lanes (p)", params.p_cost(), Bounds::ARGON2_MAX_LANES, ""),
    ];
    for (name, value, max, unit) in limits {
        if value > max {
            return Err(format!(
                "The {hasher} {name} of the password digest is {value}{unit}; this server accepts at most {max}{unit}."
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("password", "long-enough", false).is_ok());
        assert_eq!(
            check_policy("password", "short", false).unwrap_err().code,
            "form_password_length_too_short"
        );
        assert!(check_policy("password", "short", true).is_ok());
        assert_eq!(
            check_policy("password", &"x".repeat(73), false)
                .unwrap_err()
                .code,
            "form_password_length_too_long"
        );
        assert_eq!(
            check_policy("password", &"x".repeat(2000), true)
                .unwrap_err()
                .code,
            "form_password_size_in_bytes_exceeded"
        );
    }

    #[test]
    fn argon2_round_trip() {
        let stored = hash_now(&Secret::new("correct horse")).unwrap();
        assert!(stored.digest.expose().starts_with("$argon2id$"));
        assert!(verify_now(&Secret::new("correct horse"), &stored));
        assert!(!verify_now(&Secret::new("wrong horse"), &stored));
    }

    #[test]
    fn imports_bcrypt_and_argon2() {
        let bcrypt_digest = bcrypt::hash("hunter22", 4).unwrap();
        let stored = import(&bcrypt_digest, "bcrypt").unwrap();
        assert!(verify_now(&Secret::new("hunter22"), &stored));
        assert!(!verify_now(&Secret::new("hunter23"), &stored));

        let argon = hash_now(&Secret::new("hunter22")).unwrap();
        let stored = import(argon.digest.expose(), "argon2id").unwrap();
        assert!(verify_now(&Secret::new("hunter22"), &stored));

        assert_eq!(
            import("not-a-digest", "bcrypt").unwrap_err().code,
            "form_password_digest_invalid_code"
        );
        assert_eq!(
            import(argon.digest.expose(), "argon2i").unwrap_err().code,
            "form_password_digest_invalid_code"
        );
        assert_eq!(
            import("x", "md5").unwrap_err().code,
            "form_param_value_invalid"
        );
    }

    /// Digests whose verification would take minutes or hours are refused at import,
    /// before anything is stored; digests at the bounds are accepted.
    #[test]
    fn digests_beyond_the_cost_bounds_are_refused() {
        let salt = "c29tZXNhbHRzb21lc2FsdA";
        let hash = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        let argon =
            |m: u32, t: u32, p: u32| format!("$argon2id$v=19$m={m},t={t},p={p}${salt}${hash}");
        let refused = [
            (argon(4 * 1024 * 1024, 2, 1), "argon2id"),
            (argon(19 * 1024, 1_000_000, 1), "argon2id"),
            (argon(19 * 1024, 2, 64), "argon2id"),
            (
                "$2b$31$abcdefghijklmnopqrstuu5OfURh3vXPrdVUBPsrC1fDJL2DMQVDe".to_owned(),
                "bcrypt",
            ),
            (
                "$2b$17$abcdefghijklmnopqrstuu5OfURh3vXPrdVUBPsrC1fDJL2DMQVDe".to_owned(),
                "bcrypt",
            ),
        ];
        for (digest, hasher) in refused {
            let err = import(&digest, hasher).unwrap_err();
            assert_eq!(err.code, "form_password_digest_invalid_code", "{digest}");
        }
        let accepted = [
            (argon(256 * 1024, 10, 8), "argon2id"),
            (
                "$2b$16$abcdefghijklmnopqrstuu5OfURh3vXPrdVUBPsrC1fDJL2DMQVDe".to_owned(),
                "bcrypt",
            ),
        ];
        for (digest, hasher) in accepted {
            assert!(import(&digest, hasher).is_ok(), "{digest}");
        }
    }
}
