//! A resident's session: who they are and what they have typed, from
//! identification until they finish or walk away, and the idle timer that
//! ends it. Everything personal is overwritten (zeroize) when the session
//! ends. This module keeps time only through the instants it is given.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use zeroize::{Zeroize, ZeroizeOnDrop};

/// How a resident identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySource {
    /// Second-generation resident ID card (or another card) on the reader.
    IdCard,
    /// 随申码 QR code on the scanner.
    SuishenmaQr,
}

/// Kinds of identity document, as the card reader reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// 居民身份证.
    ResidentId,
    /// 港澳台居民居住证.
    HkMacaoTaiwanPermit,
    /// 外国人永久居留身份证.
    ForeignPermanentResident,
}

/// The resident's identity. Personal data: it never reaches a log (its
/// `Debug` redacts every field) and is overwritten when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Identity {
    /// Name as printed on the document.
    pub name: String,
    /// Document number (ID number, permit number).
    pub number: String,
    /// Kind of document.
    #[zeroize(skip)]
    pub kind: DocumentKind,
    /// How the resident identified.
    #[zeroize(skip)]
    pub source: IdentitySource,
    /// Sex as printed on the document (男/女), or empty.
    pub sex: String,
    /// Date of birth, YYYY-MM-DD, or empty.
    pub birth: String,
    /// Address on the document, or empty.
    pub address: String,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("name", &"<redacted>")
            .field("number", &"<redacted>")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// The name masked for display, as government service counters do:
    /// the first and the last character stay, the rest become `*` ("张三明"
    /// → "张*明", "欧阳娜娜" → "欧**娜"); a two-character name keeps its
    /// first ("张三" → "张*"). Spaces and the middle dot of transliterated
    /// names stay, so the shape of the name remains ("MARIA SILVA" →
    /// "M**** ****A").
    pub fn masked_name(&self) -> String {
        mask_name(&self.name)
    }
}

/// Masks a name for display (see [`Identity::masked_name`]).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    let letters = chars
        .iter()
        .filter(|c| !c.is_whitespace() && **c != '·')
        .count();
    let last = chars.len().saturating_sub(1);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let keep = i == 0 || (i == last && letters > 2) || c.is_whitespace() || *c == '·';
            if keep { *c } else { '*' }
        })
        .collect()
}

/// Everything a session holds about a resident. Later parts of the kiosk add
/// form data; all of it is wiped by [`Session::wipe`] and on drop.
pub struct Session {
    identity: Identity,
    /// Form fields the resident has filled, by field id.
    form: BTreeMap<String, String>,
    /// The platform's session for this resident (its bearer token, their
    /// reference and registered phone), once the platform has answered.
    platform: Option<tongban_platform_api::resident::ResidentSession>,
    started: Instant,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl ZeroizeOnDrop for Session {}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("identity", &self.identity)
            .field("form_fields", &self.form.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts a session for an identified resident.
    pub fn start(identity: Identity, now: Instant) -> Self {
        Self {
            identity,
            form: BTreeMap::new(),
            platform: None,
            started: now,
        }
    }

    /// The resident.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Records a form field.
    pub fn set_field(&mut self, field: &str, value: String) {
        if let Some(mut old) = self.form.insert(field.to_owned(), value) {
            old.zeroize();
        }
    }

    /// A form field, if filled.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.form.get(field).map(String::as_str)
    }

    /// Keeps the platform's session for this resident.
    pub fn set_platform(&mut self, session: tongban_platform_api::resident::ResidentSession) {
        if let Some(old) = self.platform.replace(session) {
            wipe_platform(old);
        }
    }

    /// The platform's session, if the platform has answered.
    pub fn platform(&self) -> Option<&tongban_platform_api::resident::ResidentSession> {
        self.platform.as_ref()
    }

    /// How long the session has lasted.
    pub fn age(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.started)
    }

    /// Overwrites every piece of personal data in place. Called when the
    /// session ends; dropping the session does the same.
    pub fn wipe(&mut self) {
        self.identity.zeroize();
        let form = std::mem::take(&mut self.form);
        for (mut key, mut value) in form {
            key.zeroize();
            value.zeroize();
        }
        if let Some(platform) = self.platform.take() {
            wipe_platform(platform);
        }
    }

    /// Whether nothing personal is left (after [`Session::wipe`]).
    pub fn is_wiped(&self) -> bool {
        self.identity.name.is_empty()
            && self.identity.number.is_empty()
            && self.identity.address.is_empty()
            && self.form.is_empty()
            && self.platform.is_none()
    }
}

fn wipe_platform(mut p: tongban_platform_api::resident::ResidentSession) {
    p.token.zeroize();
    p.resident.zeroize();
    p.masked_name.zeroize();
    if let Some(phone) = &mut p.phone {
        phone.zeroize();
    }
}

/// Where the idle timer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlePhase {
    /// The resident is active.
    Active,
    /// The warning overlay shows; the session ends after `remaining`.
    Warning {
        /// Whole seconds left, rounded up.
        remaining_secs: u64,
    },
    /// The timeout has passed: end the session.
    Expired,
}

/// The idle timer of the current screen. It ends the session `timeout`
/// after the last activity; for the last `countdown` of it, a warning
/// counts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleTimer {
    timeout: Duration,
    countdown: Duration,
    last_activity: Instant,
}

impl IdleTimer {
    /// A timer that starts now. The countdown is at most the timeout.
    pub fn new(timeout: Duration, countdown: Duration, now: Instant) -> Self {
        Self {
            timeout,
            countdown: countdown.min(timeout),
            last_activity: now,
        }
    }

    /// The resident did something: start over.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = self.last_activity.max(now);
    }

    /// Changes the timeout (another screen) and starts over.
    pub fn reset(&mut self, timeout: Duration, now: Instant) {
        self.timeout = timeout;
        self.countdown = self.countdown.min(timeout);
        self.touch(now);
    }

    /// The timeout of the current screen.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Where the timer stands at `now`.
    pub fn phase(&self, now: Instant) -> IdlePhase {
        let idle = now.saturating_duration_since(self.last_activity);
        if idle >= self.timeout {
            return IdlePhase::Expired;
        }
        let left = self.timeout - idle;
        if left <= self.countdown {
            IdlePhase::Warning {
                remaining_secs: left.as_millis().div_ceil(1000) as u64,
            }
        } else {
            IdlePhase::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample_identity() -> Identity {
        Identity {
            name: "测试居民".into(),
            number: "31011519900101003X".into(),
            kind: DocumentKind::ResidentId,
            source: IdentitySource::IdCard,
            sex: "男".into(),
            birth: "1990-01-01".into(),
            address: "上海市示例路1号".into(),
        }
    }

    #[test]
    fn debug_output_of_identity_and_session_shows_no_personal_data() {
        let session = Session::start(sample_identity(), Instant::now());
        let text = format!("{session:?} {:?}", session.identity());
        assert!(!text.contains("测试居民"), "{text}");
        assert!(!text.contains("31011519900101003X"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn wipe_overwrites_identity_and_form() {
        let mut session = Session::start(sample_identity(), Instant::now());
        session.set_field("phone", "13800000000".into());
        assert_eq!(session.field("phone"), Some("13800000000"));
        session.wipe();
        assert!(session.is_wiped());
        assert_eq!(session.field("phone"), None);
    }

    #[test]
    fn names_keep_their_first_and_last_characters_only() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("买买提·艾力"), "买**·*力");
        assert_eq!(mask_name("MARIA SILVA"), "M**** ****A");
        assert_eq!(mask_name("李"), "李");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn idle_timer_warns_for_the_countdown_then_expires() {
        let t0 = Instant::now();
        let timer = IdleTimer::new(Duration::from_secs(120), Duration::from_secs(30), t0);
        assert_eq!(timer.phase(t0 + Duration::from_secs(89)), IdlePhase::Active);
        assert_eq!(
            timer.phase(t0 + Duration::from_secs(90)),
            IdlePhase::Warning { remaining_secs: 30 }
        );
        assert_eq!(
            timer.phase(t0 + Duration::from_millis(119_200)),
            IdlePhase::Warning { remaining_secs: 1 }
        );
        assert_eq!(
            timer.phase(t0 + Duration::from_secs(120)),
            IdlePhase::Expired
        );
    }

    #[test]
    fn activity_restarts_the_idle_timer() {
        let t0 = Instant::now();
        let mut timer = IdleTimer::new(Duration::from_secs(60), Duration::from_secs(20), t0);
        timer.touch(t0 + Duration::from_secs(50));
        assert_eq!(timer.phase(t0 + Duration::from_secs(70)), IdlePhase::Active);
        // A late event with an older instant never moves the timer back.
        timer.touch(t0);
        assert_eq!(timer.phase(t0 + Duration::from_secs(70)), IdlePhase::Active);
    }
}
