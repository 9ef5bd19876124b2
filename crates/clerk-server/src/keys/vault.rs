//! Secrets at rest: what the server must be able to read back (its signing keys, and the
//! columns [`super::sealed`] lists: TOTP secrets, machine and API-key secrets, ...) is stored
//! sealed with AES-256-GCM under a key that is not in the database, so that a copy of the
//! database alone does not give them away.
//!
//! The sealing key is derived (HKDF-SHA256) from one of these sources, first available
//! first:
//!
//! 1. the master key setting (`--master-key`, `CLERK_MASTER_KEY`), on any backend;
//! 2. on SQLite, a key file beside the database (`<database>.key`, 32 random bytes in
//!    base64, created 0600 on first start);
//! 3. on PostgreSQL, the instance's secret key as configured (or generated on the very
//!    first start), which every replica already shares.
//!
//! A sealed value reads `sealed:v1:<source>:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`,
//! the key id being derived from the sealing key, so the server knows which key a value
//! needs and can say so when it lacks it. The caller's context (a signing key's `kid`) is
//! authenticated with it: a sealed value copied to another row does not open. At start,
//! plaintext values (databases from before sealing) and values sealed under another
//! available source are sealed anew under the first source, the signing keys by
//! [`super::bootstrap`] and the rest by [`super::sealed::reseal_all`].

use std::fmt;
use std::path::{Path, PathBuf};

use aws_lc_rs::aead::{AES_256_GCM, Aad, Nonce, RandomizedNonceKey};
use aws_lc_rs::hkdf;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::error::Error;
use crate::ids;
use crate::secret::Secret;

/// How sealed values start; anything else is a plaintext value from before sealing.
const PREFIX: &str = "sealed:v1:";

/// The shortest master key accepted: it is used as key material, not stretched like a
/// password, so it must carry enough entropy itself.
pub(crate) const MIN_MASTER_KEY_CHARS: usize = 32;

/// Bytes of a generated key file's key.
const KEY_FILE_BYTES: usize = 32;

/// Where a sealing key comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeySource {
    /// The master key setting.
    MasterKey,
    /// The key file beside a SQLite database.
    KeyFile,
    /// The instance's secret key (PostgreSQL).
    SecretKey,
}

impl KeySource {
    fn tag(self) -> &'static str {
        match self {
            KeySource::MasterKey => "master",
            KeySource::KeyFile => "file",
            KeySource::SecretKey => "secret",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [Self::MasterKey, Self::KeyFile, Self::SecretKey]
            .into_iter()
            .find(|source| source.tag() == tag)
    }

    /// What an operator must give the server to open values sealed with this source.
    fn remedy(self) -> &'static str {
        match self {
            KeySource::MasterKey => {
                "start the server with the master key they were sealed with (--master-key or CLERK_MASTER_KEY)"
            }
            KeySource::KeyFile => {
                "restore the key file beside the database (<database>.key) they were sealed with, or start with --master-key together with that file to move them under a master key"
            }
            KeySource::SecretKey => {
                "start the server with the secret key they were sealed with (--secret-key or CLERK_SECRET_KEY), or with it and --master-key to move them under a master key"
            }
        }
    }
}

/// One sealing key.
struct SealingKey {
    source: KeySource,
    id: String,
    key: RandomizedNonceKey,
}

/// The sealing keys a server has: the first seals, every one opens.
pub(crate) struct Vault {
    keys: Vec<SealingKey>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sources: Vec<_> = self.keys.iter().map(|k| (k.source, &k.id)).collect();
        f.debug_struct("Vault").field("keys", &sources).finish()
    }
}

/// Why a sealed value could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// Sealed under a key this server was not given.
    MissingKey(KeySource),
    /// Not a value this vault wrote, or altered since.
    Corrupt,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::MissingKey(source) => write!(
                f,
                "it is sealed with a {} key this server was not given: {}",
                source.tag(),
                source.remedy()
            ),
            OpenError::Corrupt => write!(f, "it is not a sealed value or was altered"),
        }
    }
}

/// The key material a vault can be built from, in order of preference.
#[derive(Default)]
pub(crate) struct KeyMaterial {
    pub master_key: Option<Secret>,
    pub key_file: Option<PathBuf>,
    pub secret_key: Option<Secret>,
}

impl Vault {
    /// A vault over what `material` offers, reading (or creating) the key file if one is
    /// named. Fails when a master key is too short, a key file is unreadable, or there is
    /// no key material at all.
    pub(crate) fn from_material(material: &KeyMaterial) -> Result<Self, Error> {
        let mut keys = Vec::new();
        if let Some(master) = &material.master_key {
            if master.expose().chars().count() < MIN_MASTER_KEY_CHARS {
                return Err(Error::InvalidConfig(format!(
                    "the master key must be at least {MIN_MASTER_KEY_CHARS} characters of random text \
                     (for example `openssl rand -base64 32`)"
                )));
            }
            keys.push(SealingKey::derive(
                KeySource::MasterKey,
                master.expose().as_bytes(),
            ));
        }
        if let Some(path) = &material.key_file {
            let bytes = read_or_create_key_file(path)?;
            keys.push(SealingKey::derive(KeySource::KeyFile, &bytes));
        }
        if let Some(secret) = &material.secret_key {
            keys.push(SealingKey::derive(
                KeySource::SecretKey,
                secret.expose().as_bytes(),
            ));
        }
        if keys.is_empty() {
            return Err(Error::InvalidConfig(
                "no key to seal secrets at rest with: give a --master-key (CLERK_MASTER_KEY) or a \
                 --secret-key (CLERK_SECRET_KEY); replicas must all get the same one"
                    .into(),
            ));
        }
        Ok(Self { keys })
    }

    /// The source that seals new values.
    pub(crate) fn sealing_source(&self) -> KeySource {
        self.keys[0].source
    }

    /// Seals `plaintext`, bound to `context` (for example a signing key's id).
    pub(crate) fn seal(&self, context: &str, plaintext: &[u8]) -> String {
        let key = &self.keys[0];
        let mut data = plaintext.to_vec();
        // AES-256-GCM with a fresh random nonce on data this process holds cannot fail.
        let nonce = key
            .key
            .seal_in_place_append_tag(Aad::from(context.as_bytes()), &mut data)
            .expect("AES-256-GCM sealing");
        let mut packed = nonce.as_ref().to_vec();
        packed.extend_from_slice(&data);
        format!(
            "{PREFIX}{}:{}:{}",
            key.source.tag(),
            key.id,
            URL_SAFE_NO_PAD.encode(packed)
        )
    }

    /// Opens a sealed value bound to `context`. A value without the sealed prefix is a
    /// plaintext value from before sealing and is returned as it is.
    pub(crate) fn open(&self, context: &str, stored: &str) -> Result<Secret, OpenError> {
        let Some(sealed) = stored.strip_prefix(PREFIX) else {
            return Ok(Secret::new(stored));
        };
        let mut parts = sealed.splitn(3, ':');
        let (Some(tag), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(OpenError::Corrupt);
        };
        let source = KeySource::from_tag(tag).ok_or(OpenError::Corrupt)?;
        let key = self
            .keys
            .iter()
            .find(|key| key.id == id)
            .ok_or(OpenError::MissingKey(source))?;
        let mut packed = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| OpenError::Corrupt)?;
        if packed.len() < AES_256_GCM.nonce_len() {
            return Err(OpenError::Corrupt);
        }
        let mut data = packed.split_off(AES_256_GCM.nonce_len());
        let nonce = Nonce::try_assume_unique_for_key(&packed).map_err(|_| OpenError::Corrupt)?;
        let plain = key
            .key
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut data)
            .map_err(|_| OpenError::Corrupt)?;
        let text = String::from_utf8(plain.to_vec()).map_err(|_| OpenError::Corrupt)?;
        Ok(Secret::new(text))
    }

    /// How every value this vault seals now starts (`sealed:v1:<source>:<key id>:`): a
    /// stored value without it should be sealed anew.
    pub(crate) fn current_prefix(&self) -> String {
        let key = &self.keys[0];
        format!("{PREFIX}{}:{}:", key.source.tag(), key.id)
    }

    /// Whether a stored value should be sealed anew: it is plaintext, or sealed under a
    /// source other than the one that seals now.
    pub(crate) fn needs_resealing(&self, stored: &str) -> bool {
        match stored.strip_prefix(PREFIX) {
            None => true,
            Some(sealed) => sealed.split(':').nth(1) != Some(self.keys[0].id.as_str()),
        }
    }
}

/// Length of a derived key, for HKDF.
struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

impl SealingKey {
    fn derive(source: KeySource, material: &[u8]) -> Self {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"clerk-server vault v1").extract(material);
        let mut key = [0u8; 32];
        let mut id = [0u8; 8];
        // Expanding 32 and 8 bytes from SHA-256 is always within HKDF's limits.
        prk.expand(&[b"aes-256-gcm key"], Len(key.len()))
            .and_then(|okm| okm.fill(&mut key))
            .expect("HKDF expansion");
        prk.expand(&[b"key id"], Len(id.len()))
            .and_then(|okm| okm.fill(&mut id))
            .expect("HKDF expansion");
        Self {
            source,
            id: id.iter().map(|b| format!("{b:02x}")).collect(),
            key: RandomizedNonceKey::new(&AES_256_GCM, &key).expect("a 32-byte AES-256 key"),
        }
    }
}

/// The key file's key, created (0600, 32 random bytes) if the file does not exist.
fn read_or_create_key_file(path: &Path) -> Result<Vec<u8>, Error> {
    let unreadable =
        |detail: String| Error::Keys(format!("the key file {} {detail}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = STANDARD
                .decode(text.trim())
                .map_err(|_| unreadable("is not base64".into()))?;
            if bytes.len() != KEY_FILE_BYTES {
                return Err(unreadable(format!("does not hold {KEY_FILE_BYTES} bytes")));
            }
            Ok(bytes)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = vec![0u8; KEY_FILE_BYTES];
            ids::fill_random(&mut bytes);
            crate::files::create_private(path, format!("{}\n", STANDARD.encode(&bytes)).as_bytes())
                .map_err(|err| unreadable(format!("cannot be created: {err}")))?;
            tracing::info!(path = %path.display(), "created the key file that seals the signing keys");
            Ok(bytes)
        }
        Err(err) => Err(unreadable(format!("cannot be read: {err}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(master: Option<&str>, secret: Option<&str>) -> Vault {
        Vault::from_material(&KeyMaterial {
            master_key: master.map(Secret::new),
            key_file: None,
            secret_key: secret.map(Secret::new),
        })
        .unwrap()
    }

    const MASTER: &str = "0123456789abcdef0123456789abcdef-master";

    #[test]
    fn seals_and_opens_bound_to_the_context() {
        let vault = vault(Some(MASTER), None);
        let sealed = vault.seal("kid_1", b"private key bytes");
        assert!(sealed.starts_with("sealed:v1:master:"), "{sealed}");
        assert!(!sealed.contains("private key"));
        assert_eq!(
            vault.open("kid_1", &sealed).unwrap().expose(),
            "private key bytes"
        );
        // Another row's context, a flipped byte, another key: nothing opens.
        assert_eq!(vault.open("kid_2", &sealed), Err(OpenError::Corrupt));
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert!(
            vault
                .open("kid_1", std::str::from_utf8(&flipped).unwrap())
                .is_err()
        );
        let other = self::vault(Some("another master key of thirty-two chars"), None);
        assert_eq!(
            other.open("kid_1", &sealed),
            Err(OpenError::MissingKey(KeySource::MasterKey))
        );
        // Two seals of the same value differ (random nonces).
        assert_ne!(vault.seal("kid_1", b"x"), vault.seal("kid_1", b"x"));
    }

    #[test]
    fn plaintext_and_other_sources_are_resealed() {
        let by_secret = vault(None, Some("sk_test_abc"));
        let old = by_secret.seal("kid", b"key");
        assert!(!by_secret.needs_resealing(&old));
        assert!(by_secret.needs_resealing("MIIEvQIBADANBgkq"));
        assert_eq!(
            by_secret.open("kid", "MIIEvQIBADANBgkq").unwrap().expose(),
            "MIIEvQIBADANBgkq"
        );
        // With a master key added, the secret key still opens, and resealing moves up.
        let both = vault(Some(MASTER), Some("sk_test_abc"));
        assert_eq!(both.sealing_source(), KeySource::MasterKey);
        assert!(both.needs_resealing(&old));
        assert_eq!(both.open("kid", &old).unwrap().expose(), "key");
    }

    #[test]
    fn short_master_keys_and_no_material_are_refused() {
        let short = KeyMaterial {
            master_key: Some(Secret::new("too short")),
            ..KeyMaterial::default()
        };
        assert!(Vault::from_material(&short).is_err());
        assert!(Vault::from_material(&KeyMaterial::default()).is_err());
    }

    #[test]
    fn key_files_are_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clerk.db.key");
        let material = KeyMaterial {
            key_file: Some(path.clone()),
            ..KeyMaterial::default()
        };
        let first = Vault::from_material(&material).unwrap();
        let sealed = first.seal("kid", b"value");
        let again = Vault::from_material(&material).unwrap();
        assert_eq!(again.open("kid", &sealed).unwrap().expose(), "value");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not base64!").unwrap();
        assert!(Vault::from_material(&material).is_err());
    }
}
