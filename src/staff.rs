//! Staff PINs for maintenance mode: hashing a PIN for `[staff] pins`,
//! checking a typed PIN against them, and locking entry after wrong PINs in
//! a row. The lockout is pure: the caller passes the instants.
//!
//! PIN hashes travel in branch bundles any terminal of the fleet can read,
//! and a PIN has few digits: every hash is made with the fleet's pepper
//! (argon2's secret input), a file on each terminal that no bundle carries,
//! so a hash read from a bundle gives no PIN without it.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use kiosk_config::StaffPin;
use zeroize::Zeroizing;

/// Shortest PIN, in digits: 10^6 PINs, each an argon2id check with the
/// pepper, and entry locks after a few wrong ones.
pub const PIN_MIN_DIGITS: usize = 6;
/// Longest PIN, in digits.
pub const PIN_MAX_DIGITS: usize = 8;
/// Shortest pepper, in bytes.
pub const PEPPER_MIN_BYTES: usize = 16;

/// What went wrong making a PIN hash.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// The PIN is not 6 to 8 digits; the sentence says why.
    #[error("{0}")]
    BadPin(String),
    /// argon2 could not hash it (no randomness from the OS, say).
    #[error("cannot hash the PIN: {0}")]
    Hash(#[from] argon2::password_hash::Error),
    /// The pepper file cannot be read.
    #[error("the PIN pepper file {path}: {reason}")]
    Pepper {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The fleet's PIN pepper: argon2's secret input for every PIN hash. Its
/// `Debug` does not show it; its bytes are wiped when the last copy goes.
#[derive(Clone)]
pub struct Pepper(Arc<Zeroizing<Vec<u8>>>);

impl std::fmt::Debug for Pepper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pepper(<secret>)")
    }
}

impl PartialEq for Pepper {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_slice() == other.0.as_slice()
    }
}

impl Eq for Pepper {}

impl Pepper {
    /// A pepper of these bytes (leading and trailing whitespace dropped,
    /// so a final newline in its file does not count), at least
    /// [`PEPPER_MIN_BYTES`] long.
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        let trimmed = bytes.trim_ascii();
        if trimmed.len() < PEPPER_MIN_BYTES {
            return Err(format!(
                "a pepper has at least {PEPPER_MIN_BYTES} characters, this one has {} \
                 (make one with `head -c 32 /dev/urandom | base64`)",
                trimmed.len()
            ));
        }
        Ok(Self(Arc::new(Zeroizing::new(trimmed.to_vec()))))
    }

    /// Reads the pepper from its file.
    pub fn read(path: &Path) -> Result<Self, StaffError> {
        let error = |reason: String| StaffError::Pepper {
            path: path.display().to_string(),
            reason,
        };
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| error(e.to_string()))?);
        Self::new(&bytes).map_err(error)
    }

    /// The pepper a terminal's config names (`[staff] pin_pepper_file`,
    /// relative paths under `config_dir`), or `None` when it names none.
    pub fn configured(
        config_dir: &Path,
        staff: &kiosk_config::Staff,
    ) -> Option<Result<Self, StaffError>> {
        let file = staff.pin_pepper_file.trim();
        (!file.is_empty()).then(|| Self::read(&config_dir.join(file)))
    }

    fn argon2(&self) -> Result<Argon2<'_>, argon2::password_hash::Error> {
        Argon2::new_with_secret(
            self.0.as_slice(),
            Algorithm::Argon2id,
            Version::V0x13,
            Params::default(),
        )
        .map_err(argon2::password_hash::Error::from)
    }
}

/// The PIN's argon2id hash (default parameters: m=19456, t=2, p=1, version
/// 19) with a random salt and the fleet's pepper as its secret, as the PHC
/// string `[staff] pins` takes. A PIN is 6 to 8 ASCII digits.
pub fn hash_pin(pin: &str, pepper: &Pepper) -> Result<String, StaffError> {
    check_pin(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    let hash = pepper.argon2()?.hash_password(pin.as_bytes(), &salt)?;
    Ok(hash.to_string())
}

fn check_pin(pin: &str) -> Result<(), StaffError> {
    if let Some(c) = pin.chars().find(|c| !c.is_ascii_digit()) {
        // The PIN itself is never repeated in the sentence, only what kind
        // of character broke it.
        let kind = if c.is_whitespace() {
            "a space"
        } else if c.is_alphabetic() {
            "a letter"
        } else {
            "a character other than 0-9"
        };
        return Err(StaffError::BadPin(format!(
            "a PIN has only the digits 0-9, this one has {kind}"
        )));
    }
    let digits = pin.len();
    if !(PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&digits) {
        return Err(StaffError::BadPin(format!(
            "a PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits, this one has {digits}"
        )));
    }
    Ok(())
}

/// The id of the staff member whose hash `pin` matches with `pepper` (the
/// first, should two share a PIN), or `None`.
///
/// Each entry takes tens of milliseconds to check (argon2id with 19 MiB;
/// up to about 100 ms on a slow terminal), so a list of staff takes a
/// noticeable time: call this in a blocking task, never in `update`.
/// Every entry is checked, also after a match, so the time taken does not
/// tell which staff member matched. Entries whose hash does not parse (the
/// config refuses them) never match, nor does a PIN shorter than
/// [`PIN_MIN_DIGITS`]. The PIN is not logged.
pub fn verify(pins: &[StaffPin], pin: &str, pepper: &Pepper) -> Option<String> {
    let Ok(argon2) = pepper.argon2() else {
        return None;
    };
    let well_formed = check_pin(pin).is_ok();
    let mut found = None;
    for entry in pins {
        let matches = PasswordHash::new(&entry.hash)
            .is_ok_and(|hash| argon2.verify_password(pin.as_bytes(), &hash).is_ok());
        if well_formed && matches && found.is_none() {
            found = Some(entry.id.clone());
        }
    }
    found
}

/// Locks PIN entry after too many wrong PINs in a row. Pure: it reads no
/// clock; every call is given the instant it happens at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    /// Wrong PINs in a row that lock entry.
    max_attempts: u32,
    /// How long entry stays locked.
    lock: Duration,
    /// Wrong PINs in a row since the last success or lock.
    failures: u32,
    /// Until when entry is locked, if it was.
    locked_until: Option<Instant>,
}

/// What a wrong PIN leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Entry stays open for `left` more wrong PINs.
    Wrong {
        /// Wrong PINs still allowed before entry locks.
        left: u32,
    },
    /// Entry is locked for this many seconds (rounded up).
    Locked {
        /// Seconds until a PIN may be typed again.
        for_secs: u64,
    },
}

impl Lockout {
    /// Entry that locks for `lock` after `max_attempts` wrong PINs in a row
    /// (at least 1).
    pub fn new(max_attempts: u32, lock: Duration) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            lock,
            failures: 0,
            locked_until: None,
        }
    }

    /// While entry is locked at `now`: how long it still is.
    pub fn remaining(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .and_then(|until| until.checked_duration_since(now))
            .filter(|left| !left.is_zero())
    }

    /// A wrong PIN at `now`. The `max_attempts`-th in a row locks entry for
    /// the lock's length and starts the count afresh; one while entry is
    /// locked changes nothing and says how long it still is.
    pub fn failed(&mut self, now: Instant) -> Attempt {
        if let Some(left) = self.remaining(now) {
            return Attempt::Locked {
                for_secs: whole_secs(left),
            };
        }
        self.locked_until = None;
        self.failures += 1;
        if self.failures < self.max_attempts {
            return Attempt::Wrong {
                left: self.max_attempts - self.failures,
            };
        }
        self.failures = 0;
        self.locked_until = Some(now + self.lock);
        Attempt::Locked {
            for_secs: whole_secs(self.lock),
        }
    }

    /// Locks entry until `until` (a lock kept across a restart), for at
    /// most the lock's length from `now`.
    pub fn lock_until(&mut self, until: Instant, now: Instant) {
        self.failures = 0;
        self.locked_until = Some(until.min(now + self.lock));
    }

    /// Takes the wrong PINs in a row counted before a restart (fewer than
    /// the number that locks: a full count locked entry and started afresh).
    pub fn resume_failures(&mut self, failures: u32) {
        self.failures = failures.min(self.max_attempts - 1);
    }

    /// A right PIN: the count of wrong ones starts afresh.
    pub fn succeeded(&mut self) {
        self.failures = 0;
        self.locked_until = None;
    }

    /// Wrong PINs in a row so far (0 again once entry locked).
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// Seconds, rounded up: a lock with 0.2 s left still says 1.
fn whole_secs(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pepper() -> Pepper {
        Pepper::new(b"test pepper, sixteen bytes or more").unwrap()
    }

    fn pin(id: &str, pin: &str) -> StaffPin {
        StaffPin {
            id: id.into(),
            hash: hash_pin(pin, &pepper()).expect("a valid PIN"),
        }
    }

    #[test]
    fn a_hashed_pin_verifies_to_its_staff_id_and_no_other() {
        let pins = [pin("A-01", "135790"), pin("B-02", "24681357")];
        assert!(pins[0].hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        // A random salt: the same PIN never hashes the same twice.
        assert_ne!(hash_pin("135790", &pepper()).unwrap(), pins[0].hash);

        let started = Instant::now();
        assert_eq!(verify(&pins, "135790", &pepper()).as_deref(), Some("A-01"));
        // Both hashes were checked, and well under a second even in a
        // debug build (dependencies are optimised).
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            verify(&pins, "24681357", &pepper()).as_deref(),
            Some("B-02")
        );
        assert_eq!(verify(&pins, "135791", &pepper()), None);
        assert_eq!(verify(&pins, "", &pepper()), None);
        assert_eq!(verify(&[], "135790", &pepper()), None);
    }

    /// A PIN hash read from a bundle gives no PIN without the fleet's
    /// pepper: an offline search over every PIN with argon2 as such (no
    /// secret) finds nothing, and another pepper matches nothing. Fails on
    /// e372035: hashes had no secret, so the search found the PIN.
    #[test]
    fn a_stolen_hash_gives_no_pin_without_the_pepper() {
        let stolen = [pin("A-01", "135790")];
        let hash = PasswordHash::new(&stolen[0].hash).unwrap();
        // The search an attacker with the bundle runs (here only around
        // the PIN, to keep the test short).
        let plain = Argon2::default();
        let found = (135_780..135_800)
            .map(|n| n.to_string())
            .find(|guess| plain.verify_password(guess.as_bytes(), &hash).is_ok());
        assert_eq!(found, None);
        let other = Pepper::new(b"another fleet's pepper, long enough").unwrap();
        assert_eq!(verify(&stolen, "135790", &other), None);
        assert_eq!(
            verify(&stolen, "135790", &pepper()).as_deref(),
            Some("A-01")
        );
    }

    #[test]
    fn a_pepper_is_read_from_its_file_and_too_short_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pin-pepper.secret");
        std::fs::write(&file, "test pepper, sixteen bytes or more\n").unwrap();
        assert_eq!(Pepper::read(&file).unwrap(), pepper());
        std::fs::write(&file, "short\n").unwrap();
        let error = Pepper::read(&file).unwrap_err().to_string();
        assert!(error.contains("at least 16 characters"), "{error}");
        assert!(
            !error.contains("short"),
            "the pepper is not repeated: {error}"
        );
        assert!(Pepper::read(&dir.path().join("missing")).is_err());
        assert!(!format!("{:?}", pepper()).contains("sixteen"));
    }

    #[test]
    fn two_staff_with_one_pin_give_the_first() {
        let pins = [pin("A-01", "111111"), pin("B-02", "111111")];
        assert_eq!(verify(&pins, "111111", &pepper()).as_deref(), Some("A-01"));
    }

    #[test]
    fn a_hash_that_does_not_parse_never_matches() {
        let pins = [
            StaffPin {
                id: "X-1".into(),
                hash: "123456".into(),
            },
            pin("A-01", "123456"),
        ];
        assert_eq!(verify(&pins, "123456", &pepper()).as_deref(), Some("A-01"));
    }

    #[test]
    fn the_demo_pin_matches_the_demo_config() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk-config/demo");
        let config = kiosk_config::load_dir(&dir).expect("demo config").config;
        let pepper = Pepper::configured(&dir, &config.staff)
            .expect("the demo names its pepper")
            .expect("the demo's pepper reads");
        assert_eq!(
            verify(&config.staff.pins, "135790", &pepper).as_deref(),
            Some("DEMO-01")
        );
        assert_eq!(verify(&config.staff.pins, "135791", &pepper), None);
    }

    /// Fails on e372035: 4- and 5-digit PINs were hashed.
    #[test]
    fn a_pin_is_6_to_8_digits() {
        for good in ["000000", "12345678"] {
            assert!(check_pin(good).is_ok(), "{good}");
        }
        for (bad, sentence) in [
            ("", "a PIN has 6 to 8 digits, this one has 0"),
            ("1234", "a PIN has 6 to 8 digits, this one has 4"),
            ("12345", "a PIN has 6 to 8 digits, this one has 5"),
            ("123456789", "a PIN has 6 to 8 digits, this one has 9"),
            (
                "12a456",
                "a PIN has only the digits 0-9, this one has a letter",
            ),
            (
                "123 456",
                "a PIN has only the digits 0-9, this one has a space",
            ),
            (
                "１２３４５６",
                "a PIN has only the digits 0-9, this one has a character other than 0-9",
            ),
            (
                "123-456",
                "a PIN has only the digits 0-9, this one has a character other than 0-9",
            ),
        ] {
            let error = hash_pin(bad, &pepper()).expect_err(bad);
            assert!(matches!(error, StaffError::BadPin(_)), "{bad:?}");
            assert_eq!(error.to_string(), sentence, "{bad:?}");
        }
    }

    #[test]
    fn the_fifth_wrong_pin_locks_for_the_configured_time() {
        let lock = Duration::from_secs(300);
        let mut lockout = Lockout::new(5, lock);
        let t0 = Instant::now();
        for (i, left) in [4, 3, 2, 1].into_iter().enumerate() {
            let now = t0 + Duration::from_secs(i as u64);
            assert_eq!(lockout.failed(now), Attempt::Wrong { left });
            assert_eq!(lockout.remaining(now), None);
        }
        assert_eq!(lockout.failures(), 4);

        let locked_at = t0 + Duration::from_secs(10);
        assert_eq!(lockout.failed(locked_at), Attempt::Locked { for_secs: 300 });
        assert_eq!(lockout.failures(), 0);
        assert_eq!(lockout.remaining(locked_at), Some(lock));
        // Counts down with the instants given.
        let later = locked_at + Duration::from_millis(100_500);
        assert_eq!(
            lockout.remaining(later),
            Some(Duration::from_millis(199_500))
        );
        // A PIN tried while locked changes nothing.
        assert_eq!(lockout.failed(later), Attempt::Locked { for_secs: 200 });
        assert_eq!(
            lockout.remaining(later),
            Some(Duration::from_millis(199_500))
        );
        assert_eq!(lockout.failures(), 0);

        // Expired: open again, and five more wrong PINs lock it again.
        let expired = locked_at + lock;
        assert_eq!(lockout.remaining(expired), None);
        for left in [4, 3, 2, 1] {
            assert_eq!(lockout.failed(expired), Attempt::Wrong { left });
        }
        assert_eq!(lockout.failed(expired), Attempt::Locked { for_secs: 300 });
        assert_eq!(
            lockout.remaining(expired + Duration::from_secs(299)),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn a_right_pin_starts_the_count_afresh() {
        let mut lockout = Lockout::new(3, Duration::from_secs(30));
        let now = Instant::now();
        assert_eq!(lockout.failed(now), Attempt::Wrong { left: 2 });
        assert_eq!(lockout.failed(now), Attempt::Wrong { left: 1 });
        lockout.succeeded();
        assert_eq!(lockout.failures(), 0);
        assert_eq!(lockout.failed(now), Attempt::Wrong { left: 2 });
        assert_eq!(lockout, {
            let mut fresh = Lockout::new(3, Duration::from_secs(30));
            fresh.failed(now);
            fresh
        });
    }

    #[test]
    fn a_lock_reports_whole_seconds_rounded_up() {
        let mut lockout = Lockout::new(1, Duration::from_millis(30_200));
        assert_eq!(
            lockout.failed(Instant::now()),
            Attempt::Locked { for_secs: 31 }
        );
        assert_eq!(whole_secs(Duration::ZERO), 0);
        assert_eq!(whole_secs(Duration::from_secs(5)), 5);
    }
}
