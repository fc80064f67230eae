//! Where `update` gets the time: the app's clock, the system's in a
//! kiosk and one the test moves in tests, so timers, lockouts and the
//! times written into submissions can be checked without waiting.
//! Subscriptions stamp the ticks they send with the system's time; the
//! rest of `update` asks this clock, never `Instant::now()` or
//! `Local::now()` itself.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Local};

/// Where a stopped clock stands: the monotonic and the wall-clock time.
type Stopped = Arc<Mutex<(Instant, DateTime<Local>)>>;

/// The time as the app sees it: the system's (`None`) or a stopped one.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Stopped>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands at `local` (and an `Instant` taken now) until
    /// [`Clock::advance`] moves it; clones share it.
    pub fn stopped_at(local: DateTime<Local>) -> Self {
        Self(Some(Arc::new(Mutex::new((Instant::now(), local)))))
    }

    /// Moves a stopped clock on by `by`; the system's clock moves itself.
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.0 {
            let mut at = at.lock().unwrap_or_else(PoisonError::into_inner);
            at.0 += by;
            at.1 += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
        }
    }

    /// The monotonic time, for timers.
    pub fn instant(&self) -> Instant {
        match &self.0 {
            None => Instant::now(),
            Some(at) => at.lock().unwrap_or_else(PoisonError::into_inner).0,
        }
    }

    /// The wall-clock time, for what residents and staff read and what
    /// is written down.
    pub fn local(&self) -> DateTime<Local> {
        match &self.0 {
            None => Local::now(),
            Some(at) => at.lock().unwrap_or_else(PoisonError::into_inner).1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_clock_moves_only_when_told_and_its_clones_with_it() {
        let noon = chrono::TimeZone::with_ymd_and_hms(&Local, 2026, 12, 3, 12, 0, 0).unwrap();
        let clock = Clock::stopped_at(noon);
        let seen = clock.clone();
        let start = clock.instant();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.instant(), start);
        assert_eq!(clock.local(), noon);
        clock.advance(Duration::from_secs(90));
        assert_eq!(seen.instant() - start, Duration::from_secs(90));
        assert_eq!(seen.local().format("%H:%M:%S").to_string(), "12:01:30");
    }

    #[test]
    fn the_system_clock_moves_by_itself() {
        let clock = Clock::system();
        let start = clock.instant();
        std::thread::sleep(Duration::from_millis(2));
        assert!(clock.instant() > start);
        clock.advance(Duration::from_secs(3600));
        assert!(clock.instant() - start < Duration::from_secs(60));
    }
}
