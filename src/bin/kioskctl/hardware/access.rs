//! Whether this user may open a device node, said with the node's owner,
//! group and mode when it may not.

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// Whether this user may open a device node read-write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "access", content = "reason")]
pub enum Access {
    /// It may.
    ReadWrite,
    /// It may not, and why (owner, group and mode).
    Denied(String),
    /// The path is not there.
    Missing,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Access::ReadWrite => f.write_str("read-write"),
            Access::Denied(why) => write!(f, "no access: {why}"),
            Access::Missing => f.write_str("not present"),
        }
    }
}

fn user_name(uid: u32) -> String {
    group_or_user_name(uid, "/etc/passwd")
}

fn group_name(gid: u32) -> String {
    group_or_user_name(gid, "/etc/group")
}

/// A name from /etc/passwd or /etc/group (the id itself when not there).
fn group_or_user_name(id: u32, file: &str) -> String {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| {
            text.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                let found = fields.nth(1)?.parse::<u32>().ok()?;
                (found == id).then(|| name.to_owned())
            })
        })
        .unwrap_or_else(|| id.to_string())
}

/// Whether this process may open `path` for reading and writing, without
/// opening it (opening a serial port can reset the device on it).
pub fn access(path: &Path) -> Access {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return Access::Missing;
    };
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return Access::Missing;
    };
    // SAFETY: a valid NUL-terminated path; access(2) only reads it.
    if unsafe { libc::access(c_path.as_ptr(), libc::R_OK | libc::W_OK) } == 0 {
        return Access::ReadWrite;
    }
    Access::Denied(format!(
        "permission denied ({} is {}:{} mode {:04o})",
        path.display(),
        user_name(meta.uid()),
        group_name(meta.gid()),
        meta.mode() & 0o7777
    ))
}
