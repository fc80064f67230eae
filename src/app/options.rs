//! How the kiosk was started: the config, the devices and services it
//! has, and what staff state survived the last stop.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk_config::Config;

use crate::devices::Configured;

/// How the kiosk was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// The validated, merged configuration.
    pub config: Arc<Config>,
    /// Demo mode: demo controls show.
    pub demo: bool,
    /// Exit as soon as the first frame has been presented (start-up timing).
    pub exit_after_first_frame: bool,
    /// When the process started, for start-up timing.
    pub started: Instant,
    /// Whether the window covers the whole monitor (the kiosk) or is a
    /// normal window (development).
    pub fullscreen: bool,
    /// The devices the terminal has (and the demo's simulated ones).
    pub devices: Configured,
    /// The central platform, if one is configured.
    pub platform: Option<crate::platform::PlatformService>,
    /// The kiosk's store, where submissions queue.
    pub store: Option<std::path::PathBuf>,
    /// Out of service by staff when the kiosk stopped, with the reason.
    pub staff_out_of_service: Option<kiosk_config::Localized>,
    /// What is left of a staff PIN lockout from before a restart.
    pub pin_locked_for: Option<Duration>,
    /// Wrong staff PINs in a row from before a restart.
    pub pin_failures: u32,
    /// The fleet's PIN pepper (read at start from the file the terminal's
    /// own config names); without it no PIN opens maintenance mode.
    pub staff_pepper: Option<crate::staff::Pepper>,
    /// The service manager (systemd) the kiosk reports to, if any.
    pub service_manager: crate::sd_notify::ServiceManager,
    /// Where `update` reads the time: the system's, or a test's.
    pub clock: crate::clock::Clock,
}

impl Options {
    /// A kiosk with this config, no devices, windowed, not in demo mode:
    /// what tests, examples and benchmarks drive through `update` and
    /// `view`.
    pub fn headless(config: Config) -> Self {
        Self {
            config: Arc::new(config),
            demo: false,
            exit_after_first_frame: false,
            started: Instant::now(),
            fullscreen: false,
            devices: Configured::default(),
            platform: None,
            store: None,
            staff_out_of_service: None,
            pin_locked_for: None,
            pin_failures: 0,
            staff_pepper: None,
            service_manager: crate::sd_notify::ServiceManager::none(),
            clock: crate::clock::Clock::system(),
        }
    }
}
