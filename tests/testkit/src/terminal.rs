//! A terminal's own config folder for the tests that kill a child process
//! (`tests/fleet_apply.rs`, `tests/crash.rs`): branch SH-PD-0001 of
//! district PD, pinning the sample fleet key; and the small generator
//! their random delays come from.

use std::path::Path;

use tongban::fleet::Fleet;
use tongban_platform_api::fleet::sample_fleet_signing_key;

/// Writes `DIR/etc/terminal.toml` for terminal SH-PD-0001-01 and opens
/// its fleet config.
pub fn terminal(dir: &Path) -> Fleet {
    let config_dir = dir.join("etc");
    std::fs::create_dir_all(&config_dir).unwrap();
    let key = tongban_platform_api::key_base64(&sample_fleet_signing_key().verifying_key());
    std::fs::write(
        config_dir.join("terminal.toml"),
        format!(
            "[terminal]\nid = \"SH-PD-0001-01\"\ndistrict_id = \"PD\"\nbranch_id = \"SH-PD-0001\"\n\
             [platform]\nfleet_public_key = \"{key}\"\n"
        ),
    )
    .unwrap();
    open_terminal(dir)
}

/// The terminal whose folder [`terminal`] wrote.
pub fn open_terminal(dir: &Path) -> Fleet {
    let config_dir = dir.join("etc");
    let config = kiosk_config::load_dir(&config_dir).unwrap().config;
    Fleet::new(&dir.join("data"), &config_dir, &config).unwrap()
}

/// A small generator for delays (no randomness crate needed); tests
/// print their seed.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number below `below`.
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}
