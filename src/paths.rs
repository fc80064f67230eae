//! Where a terminal keeps its configuration and its data, decided the same
//! way by the kiosk and by `kioskctl`: the folders given on the command
//! line, the demo's, or the installed defaults; relative paths in the
//! config under the data folder.

use std::path::{Path, PathBuf};

/// The configuration folder of an installed terminal.
pub const CONFIG_DIR: &str = "/etc/tongban";

/// The data folder (database, logs) of an installed terminal.
pub const DATA_DIR: &str = "/var/lib/tongban";

/// The configuration folder: the one given, the sample terminal's in
/// demo mode, or [`CONFIG_DIR`].
pub fn config_dir(given: Option<&Path>, demo: bool) -> PathBuf {
    match (given, demo) {
        (Some(dir), _) => dir.to_owned(),
        (None, true) => demo_config_dir(),
        (None, false) => PathBuf::from(CONFIG_DIR),
    }
}

/// The data folder: the one given, a temporary folder in demo mode, or
/// [`DATA_DIR`].
pub fn data_dir(given: Option<&Path>, demo: bool) -> PathBuf {
    match (given, demo) {
        (Some(dir), _) => dir.to_owned(),
        (None, true) => std::env::temp_dir().join("tongban-demo"),
        (None, false) => PathBuf::from(DATA_DIR),
    }
}

/// The sample terminal's config: in the source tree when run from it,
/// otherwise where packages install it.
pub fn demo_config_dir() -> PathBuf {
    let in_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk-config/demo");
    if in_tree.is_dir() {
        in_tree
    } else {
        PathBuf::from("/usr/share/tongban/kiosk-config/demo")
    }
}

/// A path from the config: absolute as it is, relative under `data_dir`.
pub fn resolve(data_dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_owned()
    } else {
        data_dir.join(p)
    }
}

/// The store's file for this config and data folder.
pub fn store_path(data_dir: &Path, config: &kiosk_config::Config) -> PathBuf {
    resolve(data_dir, &config.store.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_given_win_then_the_demo_then_the_installed_ones() {
        let given = Path::new("/srv/kiosk");
        assert_eq!(config_dir(Some(given), true), given);
        assert_eq!(data_dir(Some(given), false), given);
        assert_eq!(config_dir(None, false), Path::new(CONFIG_DIR));
        assert_eq!(data_dir(None, false), Path::new(DATA_DIR));
        assert!(config_dir(None, true).ends_with("kiosk-config/demo"));
        assert!(data_dir(None, true).ends_with("tongban-demo"));
    }

    #[test]
    fn relative_config_paths_are_under_the_data_folder() {
        let data = Path::new("/var/lib/tongban");
        assert_eq!(
            resolve(data, "tongban.db"),
            Path::new("/var/lib/tongban/tongban.db")
        );
        assert_eq!(resolve(data, "/data/k.db"), Path::new("/data/k.db"));
        assert_eq!(
            store_path(data, &kiosk_config::defaults()),
            Path::new("/var/lib/tongban/tongban.db")
        );
    }
}
