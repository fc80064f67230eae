//! What the platform service tells the UI ([`PlatformEvent`]) and what it
//! hands over with it: the channel the UI sends device states back on,
//! the parsed catalogue, the config in force.

use std::sync::atomic::{AtomicBool, Ordering};

use tongban_platform_api::terminal::Command;

/// What the platform service tells the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformEvent {
    /// The service runs; device states go here.
    Ready(DeviceSink),
    /// The platform answered.
    Online,
    /// It did not (why, without personal data).
    Offline(String),
    /// This catalogue version is held.
    Catalogue(u64),
    /// The catalogue held, parsed (off the UI thread) for the screens.
    CatalogueData(CatalogueData),
    /// Submissions waiting.
    Outbox(u64),
    /// The platform asked for something the UI does.
    Command(Command),
    /// Fleet config changed what is in force (applied or rolled back).
    Config(ConfigData),
}

/// Where the UI sends the devices' states for the heartbeat.
#[derive(Clone)]
pub struct DeviceSink(
    pub(super) std::sync::mpsc::Sender<Vec<tongban_platform_api::terminal::DeviceReport>>,
    pub(super) std::sync::Arc<AtomicBool>,
);

impl std::fmt::Debug for DeviceSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceSink")
    }
}

impl PartialEq for DeviceSink {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DeviceSink {}

impl DeviceSink {
    /// Hands the current device states over, without waiting.
    pub fn send(&self, devices: &[tongban_device::DeviceStatus]) {
        let reports = devices
            .iter()
            .map(|d| tongban_platform_api::terminal::DeviceReport {
                kind: d.kind.as_str().into(),
                state: d.state.as_str().into(),
                detail: d.need().map(|n| n.as_str().to_owned()),
            })
            .collect();
        let _ = self.0.send(reports);
    }

    /// Staff asked for a sync: the service stops waiting and sends a
    /// heartbeat and the outbox now. Returns whether a service listens.
    pub fn sync_now(&self) -> bool {
        self.1.store(true, Ordering::SeqCst);
        std::sync::Arc::strong_count(&self.1) > 1
    }
}

/// A parsed catalogue handed to the UI (its `Debug` says only the
/// version).
#[derive(Clone, PartialEq, Eq)]
pub struct CatalogueData(pub std::sync::Arc<tongban_platform_api::catalogue::Catalogue>);

impl std::fmt::Debug for CatalogueData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CatalogueData(v{})", self.0.version)
    }
}

/// A config for the UI (its `Debug` says only the terminal).
#[derive(Clone)]
pub struct ConfigData(pub std::sync::Arc<kiosk_config::Config>);

impl PartialEq for ConfigData {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl Eq for ConfigData {}

impl std::fmt::Debug for ConfigData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConfigData({})", self.0.terminal.id)
    }
}
