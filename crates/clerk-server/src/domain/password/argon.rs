//! argon2 hashing and verification with working memory that goes back to the system after
//! every job.
//!
//! The argon2 crate allocates its working memory (19 MiB for the default parameters) with
//! the global allocator. glibc's malloc keeps a freed block of that size in the heap of the
//! thread that used it, and with several threads and interleaved small allocations the
//! heaps grow and stay grown: the process kept gigabytes after a burst of verifications.
//! Here the memory is asked for with a capacity above glibc's largest mmap threshold
//! (32 MiB on 64-bit, `mallopt(3)`), which glibc always serves from a mapping of its own
//! and unmaps on free; only the blocks the job needs are touched, so the resident cost is
//! the job's own. Other allocators (musl, jemalloc) return such sizes on their own.

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::ids;

/// The capacity asked for argon2's working memory, in 1 KiB blocks: just above 32 MiB.
const UNHEAPED_BLOCKS: usize = 32 * 1024 + 1;

/// Bytes of salt for new hashes (the PHC recommendation).
const SALT_BYTES: usize = 16;

/// Working memory for `blocks` blocks (see the module docs).
fn working_memory(blocks: usize) -> Vec<Block> {
    let mut memory = Vec::with_capacity(blocks.max(UNHEAPED_BLOCKS));
    memory.resize(blocks, Block::new());
    memory
}

/// Hashes `password` with argon2id and the default parameters, as a PHC string.
pub(super) fn hash(password: &[u8]) -> Result<String, argon2::Error> {
    let params = Params::default();
    let mut salt = [0u8; SALT_BYTES];
    ids::fill_random(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password,
            &salt,
            &mut out,
            working_memory(params.block_count()),
        )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|_| argon2::Error::OutOfMemory)?,
        salt: Some(Salt::new(&salt).map_err(|_| argon2::Error::SaltTooShort)?),
        hash: Some(Output::new(&out).map_err(|_| argon2::Error::OutputTooShort)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `digest` (argon2i, argon2d or argon2id).
pub(super) fn verify(password: &[u8], digest: &str) -> bool {
    let Ok(phc) = PasswordHash::new(digest) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(phc.algorithm.as_str()) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&phc) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let memory = working_memory(params.block_count());
    let computed = Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, &mut out, memory);
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| &out == expected)
}

#[cfg(test)]
mod tests {
    use argon2::PasswordHasher;

    use super::*;

    #[test]
    fn round_trip() {
        let digest = hash(b"correct horse").unwrap();
        assert!(
            digest.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{digest}"
        );
        assert!(verify(b"correct horse", &digest));
        assert!(!verify(b"correct hors", &digest));
    }

    /// Digests made by the argon2 crate's own hasher verify here, for every variant, and
    /// ours verify there.
    #[test]
    fn agrees_with_the_argon2_crate() {
        let params = Params::new(64, 1, 2, Some(24)).unwrap();
        for algorithm in [Algorithm::Argon2i, Algorithm::Argon2d, Algorithm::Argon2id] {
            let theirs = Argon2::new(algorithm, Version::V0x13, params.clone())
                .hash_password_with_salt(b"hunter22", b"saltsaltsalt")
                .unwrap()
                .to_string();
            assert!(verify(b"hunter22", &theirs), "{theirs}");
            assert!(!verify(b"hunter23", &theirs), "{theirs}");
        }
        let ours = hash(b"hunter22").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2::PasswordVerifier::verify_password(&Argon2::default(), b"hunter22", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn malformed_digests_do_not_verify() {
        for digest in [
            "",
            "$argon2id$",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ",
            "$scrypt$x",
        ] {
            assert!(!verify(b"x", digest), "{digest}");
        }
    }
}
