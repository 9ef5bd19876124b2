//! Files the server creates hold secrets (the SQLite database with its `-wal` and `-shm`,
//! the key file): they are created readable by their owner only (0600), and the folders the
//! server creates for them likewise (0700).

use std::io::Write;
use std::path::Path;

/// Creates `path` with `contents`, readable and writable by the owner only. Fails if it
/// exists.
pub(crate) fn create_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Makes sure `path`'s folder exists, creating the missing ones owner-only (0700).
pub(crate) fn create_parent_folders(path: &Path) -> std::io::Result<()> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    if parent.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(parent)
}

/// Creates an empty SQLite database file owner-only when there is none yet (SQLite then
/// gives its `-wal` and `-shm` files the same permissions), and warns when an existing one
/// is readable by others.
pub(crate) fn prepare_database_file(path: &Path) -> std::io::Result<()> {
    create_parent_folders(path)?;
    match create_private(path, b"") {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            warn_if_shared(path);
            Ok(())
        }
        Err(err) => Err(err),
    }
}

/// Warns when a file holding secrets can be read by group or others.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    mode = format!("{mode:o}"),
                    "the database file is readable by other users; `chmod 600` it (and its -wal and -shm)"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a/b/clerk.db");
        prepare_database_file(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        // An existing file is left as it is (with a warning when shared).
        prepare_database_file(&db).unwrap();
        assert!(create_private(&db, b"x").is_err());
    }
}
