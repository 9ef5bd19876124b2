//! Passwords: the policy checks, argon2id hashing of plaintext passwords, and the import of
//! existing digests (`password_digest` + `password_hasher`).
//!
//! Plaintext passwords are hashed with argon2id (the argon2 crate's default parameters).
//! Imported digests are accepted for the hashers `bcrypt` (`$2a$`, `$2b$`, `$2y$`), `argon2i`
//! and `argon2id` (PHC strings); Clerk's other hashers (md5, pbkdf2, scrypt, …) are answered
//! 422 `form_param_value_invalid` naming the hasher. Hashing and verifying run on the
//! blocking thread pool, never on the async workers.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::ApiError;
use crate::secret::Secret;

/// Shortest password accepted unless `skip_password_checks` is set (Clerk's minimum).
pub(crate) const MIN_LENGTH: usize = 8;
/// Longest password accepted unless `skip_password_checks` is set (Clerk's maximum).
pub(crate) const MAX_LENGTH: usize = 72;
/// Hard cap on a password's size in bytes, even with `skip_password_checks`.
pub(crate) const MAX_BYTES: usize = 1024;

/// The hashers whose digests can be imported.
pub(crate) const IMPORTABLE_HASHERS: [&str; 3] = ["bcrypt", "argon2i", "argon2id"];

/// A stored password: a digest and the name of the algorithm that made it.
#[derive(Debug, Clone)]
pub(crate) struct PasswordDigest {
    pub digest: Secret,
    pub hasher: String,
}

/// Checks a new password against the policy (length), unless the caller skips the checks.
/// Clerk also rejects breached passwords; this server has no breach list (it is offline).
pub(crate) fn check_policy(param: &str, password: &str, skip_checks: bool) -> Result<(), ApiError> {
    if password.len() > MAX_BYTES {
        return Err(ApiError::form(
            "form_password_size_in_bytes_exceeded",
            param,
            "Your password is too long. Please use a shorter one.",
            format!("Passwords can be at most {MAX_BYTES} bytes long."),
        ));
    }
    if password.is_empty() {
        return Err(ApiError::param_value_invalid(
            param,
            format!("{param} must not be empty."),
        ));
    }
    if skip_checks {
        return Ok(());
    }
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(ApiError::form(
            "form_password_length_too_short",
            param,
            "Passwords must be 8 characters or more.",
            format!("Passwords must be {MIN_LENGTH} characters or more."),
        ));
    }
    if chars > MAX_LENGTH {
        return Err(ApiError::form(
            "form_password_length_too_long",
            param,
            "Passwords must be less than 72 characters.",
            format!("Passwords must be at most {MAX_LENGTH} characters long."),
        ));
    }
    Ok(())
}

/// Hashes a plaintext password with argon2id.
pub(crate) async fn hash(password: Secret) -> Result<PasswordDigest, ApiError> {
    let digest = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|err| {
        tracing::error!(error = %err, "argon2 hashing failed");
        ApiError::internal()
    })?;
    Ok(PasswordDigest {
        digest: Secret::new(digest),
        hasher: "argon2id".to_owned(),
    })
}

/// Validates an imported digest for its hasher.
pub(crate) fn import(digest: &str, hasher: &str) -> Result<PasswordDigest, ApiError> {
    if !IMPORTABLE_HASHERS.contains(&hasher) {
        return Err(ApiError::param_value_invalid(
            "password_hasher",
            format!(
                "The password hasher {hasher:?} is not supported by this server; supported hashers are {}.",
                IMPORTABLE_HASHERS.join(", ")
            ),
        ));
    }
    let valid = match hasher {
        "bcrypt" => digest.parse::<bcrypt::HashParts>().is_ok(),
        _ => PasswordHash::new(digest).is_ok_and(|h| h.algorithm.as_str() == hasher),
    };
    if !valid {
        return Err(ApiError::form(
            "form_password_digest_invalid_code",
            "password_digest",
            "is invalid",
            format!("The password digest is not a valid {hasher} digest."),
        ));
    }
    Ok(PasswordDigest {
        digest: Secret::new(digest),
        hasher: hasher.to_owned(),
    })
}

/// Whether `password` matches the stored digest.
pub(crate) async fn verify(password: Secret, stored: PasswordDigest) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let digest = stored.digest.expose();
        match stored.hasher.as_str() {
            "bcrypt" => bcrypt::verify(password.expose(), digest).unwrap_or(false),
            _ => PasswordHash::new(digest).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(password.expose().as_bytes(), &hash)
                    .is_ok()
            }),
        }
    })
    .await
    .map_err(|_| ApiError::internal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("password", "long-enough", false).is_ok());
        assert_eq!(
            check_policy("password", "short", false).unwrap_err().code(),
            "form_password_length_too_short"
        );
        assert!(check_policy("password", "short", true).is_ok());
        assert_eq!(
            check_policy("password", &"x".repeat(73), false)
                .unwrap_err()
                .code(),
            "form_password_length_too_long"
        );
        assert_eq!(
            check_policy("password", &"x".repeat(2000), true)
                .unwrap_err()
                .code(),
            "form_password_size_in_bytes_exceeded"
        );
    }

    #[tokio::test]
    async fn argon2_round_trip() {
        let stored = hash(Secret::new("correct horse")).await.unwrap();
        assert!(stored.digest.expose().starts_with("$argon2id$"));
        assert!(
            verify(Secret::new("correct horse"), stored.clone())
                .await
                .unwrap()
        );
        assert!(!verify(Secret::new("wrong horse"), stored).await.unwrap());
    }

    #[tokio::test]
    async fn imports_bcrypt_and_argon2() {
        let bcrypt_digest = bcrypt::hash("hunter22", 4).unwrap();
        let stored = import(&bcrypt_digest, "bcrypt").unwrap();
        assert!(
            verify(Secret::new("hunter22"), stored.clone())
                .await
                .unwrap()
        );
        assert!(!verify(Secret::new("hunter23"), stored).await.unwrap());

        let argon = hash(Secret::new("hunter22")).await.unwrap();
        let stored = import(argon.digest.expose(), "argon2id").unwrap();
        assert!(verify(Secret::new("hunter22"), stored).await.unwrap());

        assert_eq!(
            import("not-a-digest", "bcrypt").unwrap_err().code(),
            "form_password_digest_invalid_code"
        );
        assert_eq!(
            import(argon.digest.expose(), "argon2i").unwrap_err().code(),
            "form_password_digest_invalid_code"
        );
        assert_eq!(
            import("x", "md5").unwrap_err().code(),
            "form_param_value_invalid"
        );
    }
}
