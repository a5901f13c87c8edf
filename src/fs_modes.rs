//! File modes for what Rådhus writes. The data folder, the store, uploads and kept PDFs are the
//! citizens' data: owner-only (folders 0700, files 0600), whatever the umask. The archive folder is read
//! by the archive's own system: its files get the tenant's `archive_file_mode` (default 0640, for the
//! archive's reader group), its folders the same with search rights where reading is allowed (0750).

use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Owner-only folders.
pub const PRIVATE_DIR: u32 = 0o700;
/// Owner-only files.
pub const PRIVATE_FILE: u32 = 0o600;
/// Archive files unless a tenant says otherwise.
pub const ARCHIVE_FILE: u32 = 0o640;

/// Makes everything the process creates owner-only unless it sets a mode itself (the archive's files
/// do): a file created by a library (the store, a temporary file) is then never world-readable.
pub fn private_umask() {
    // SAFETY: umask only changes the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// The mode of an archive folder for files of `file_mode`: search rights wherever reading is allowed.
pub fn dir_mode_for(file_mode: u32) -> u32 {
    file_mode | ((file_mode & 0o444) >> 2)
}

/// Creates `path` and its missing parents with `mode` (an existing folder keeps its mode).
pub fn create_dirs(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(path)
}

/// Creates a new file (or truncates one) with `mode`.
pub fn create_file(path: &Path, mode: u32) -> io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
}

/// Sets `mode` on an existing file or folder.
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// Parses a mode written in octal ("0640", "640"). Only read and write bits for a file: no execute,
/// set-id or sticky bits, and never writable by others.
pub fn parse_file_mode(s: &str) -> Result<u32, String> {
    let m = u32::from_str_radix(s.trim(), 8)
        .map_err(|_| format!("\"{s}\" is not an octal file mode such as \"0640\""))?;
    if m & !0o666 != 0 {
        return Err(format!(
            "{s}: only read and write bits (no execute, set-id or sticky bits)"
        ));
    }
    if m & 0o002 != 0 {
        return Err(format!("{s}: archive files must not be writable by others"));
    }
    if m & 0o600 != 0o600 {
        return Err(format!(
            "{s}: the server must be able to read and write its own files"
        ));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(dir_mode_for(0o640), 0o750);
        assert_eq!(dir_mode_for(0o600), 0o700);
        assert_eq!(dir_mode_for(0o644), 0o755);
        assert_eq!(parse_file_mode("0640"), Ok(0o640));
        assert_eq!(parse_file_mode("600"), Ok(0o600));
        for bad in ["0777", "0646", "4640", "abc", "0400", ""] {
            assert!(parse_file_mode(bad).is_err(), "{bad}");
        }
    }
}
