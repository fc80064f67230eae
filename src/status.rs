//! What the terminal knows about itself at this moment: the network link to
//! the platform and the state of each device. Services update it through
//! messages; the footer and (later) the staff board show it.

use tongban_device::{DeviceKind, DeviceState, DeviceStatus};

/// The link to the central platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkState {
    /// The platform answered recently.
    Online,
    /// The platform is configured but not reachable.
    Offline,
    /// No platform is configured (a terminal being set up, or the demo
    /// before the reference platform is part of it).
    NotConfigured,
}

/// Network and devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalStatus {
    /// The platform link.
    pub network: NetworkState,
    /// Every device, in [`DeviceKind::ALL`] order.
    pub devices: Vec<DeviceStatus>,
}

impl TerminalStatus {
    /// A terminal with no platform and no devices configured.
    pub fn unconfigured() -> Self {
        Self {
            network: NetworkState::NotConfigured,
            devices: DeviceKind::ALL
                .iter()
                .map(|k| DeviceStatus::absent(*k))
                .collect(),
        }
    }

    /// Sets one device's state, keeping what else it reported (supplies,
    /// cover).
    pub fn set_state(&mut self, kind: DeviceKind, state: DeviceState) {
        match self.devices.iter_mut().find(|d| d.kind == kind) {
            Some(slot) => slot.state = state,
            None => self.devices.push(DeviceStatus {
                state,
                ..DeviceStatus::absent(kind)
            }),
        }
    }

    /// Replaces one device's whole status (printers report supplies and
    /// cover with their state).
    pub fn set(&mut self, status: DeviceStatus) {
        match self.devices.iter_mut().find(|d| d.kind == status.kind) {
            Some(slot) => *slot = status,
            None => self.devices.push(status),
        }
    }

    /// The status of one device.
    pub fn device(&self, kind: DeviceKind) -> Option<&DeviceStatus> {
        self.devices.iter().find(|d| d.kind == kind)
    }
}
