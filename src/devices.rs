//! The kiosk's device services: one named thread per device that owns its
//! port (the driver's poll loop; `subscriptions` brings its events to the
//! UI). Unplugging a device touches only its own thread. The UI never
//! waits on a port.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::session::{DocumentKind, Identity, IdentitySource};

/// What identifies the reader service: a new path or speed restarts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReaderKey {
    /// The port.
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
}

/// What identifies the scanner service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScannerKey {
    /// The port.
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
    /// What ends a code.
    pub terminator: tongban_scanner::Terminator,
    /// Longest code, in bytes.
    pub limit: usize,
}

/// The simulated reader of demo mode.
#[derive(Clone)]
pub struct DemoReader(pub Arc<tongban_sim::ReaderSim>);

impl std::fmt::Debug for DemoReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoReader({})", self.0.path().display())
    }
}

/// The simulated scanner of demo mode.
#[derive(Clone)]
pub struct DemoScanner(pub Arc<tongban_sim::ScannerSim>);

impl std::fmt::Debug for DemoScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoScanner({})", self.0.path().display())
    }
}

/// The simulated A4 printer of demo mode.
#[derive(Clone)]
pub struct DemoLaser(pub Arc<tongban_sim::LaserSim>);

impl std::fmt::Debug for DemoLaser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoLaser({})", self.0.addr())
    }
}

/// The simulated receipt printer of demo mode.
#[derive(Clone)]
pub struct DemoReceipt(pub Arc<tongban_sim::ReceiptSim>);

impl std::fmt::Debug for DemoReceipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoReceipt({})", self.0.path().display())
    }
}

/// Millimetres on the demo printer's receipt roll at start.
pub const DEMO_ROLL_MM: u32 = 80_000;
/// Below this the demo roll's near-end sensor trips.
pub const DEMO_NEAR_END_MM: u32 = 2_000;

/// Sheets in the demo printer's tray at start.
pub const DEMO_TRAY_SHEETS: u32 = 50;

/// The devices the kiosk runs, from config — or, in demo mode, simulated
/// ones on pseudo-terminals in `data_dir`, which the demo keys act on.
#[derive(Debug, Clone, Default)]
pub struct Configured {
    /// The reader service, if any.
    pub reader: Option<ReaderKey>,
    /// The demo's simulated reader.
    pub demo_reader: Option<DemoReader>,
    /// The scanner service, if any.
    pub scanner: Option<ScannerKey>,
    /// The demo's simulated scanner.
    pub demo_scanner: Option<DemoScanner>,
    /// The A4 printer service, if any.
    pub a4: Option<crate::print::service::A4Service>,
    /// The demo's simulated A4 printer.
    pub demo_a4: Option<DemoLaser>,
    /// Where the demo's printers put what they print.
    pub demo_output: Option<PathBuf>,
    /// The receipt printer service, if any.
    pub receipt: Option<crate::print::service::ReceiptService>,
    /// The demo's simulated receipt printer.
    pub demo_receipt: Option<DemoReceipt>,
}

/// Works out the devices. Opens pseudo-terminals in demo mode: call it
/// before the UI starts. `store` is the database holding the print
/// journal.
pub fn configure(
    demo: bool,
    config: &kiosk_config::Devices,
    data_dir: &Path,
    store: &Path,
) -> Configured {
    let limit = config.scanner.max_length as usize;
    if demo {
        simulated(data_dir, store, limit)
    } else {
        from_config(config, store, limit)
    }
}

/// The devices the config enables; a printer whose transport or address
/// this build cannot use is logged and left out.
fn from_config(config: &kiosk_config::Devices, store: &Path, limit: usize) -> Configured {
    let a4 = a4_service(&config.a4_printer, store);
    let receipt = receipt_service(&config.receipt_printer, store);
    Configured {
        a4,
        receipt,
        reader: config.id_reader.enabled.then(|| ReaderKey {
            path: PathBuf::from(&config.id_reader.path),
            baud: config.id_reader.baud,
        }),
        scanner: config.scanner.enabled.then(|| ScannerKey {
            path: PathBuf::from(&config.scanner.path),
            baud: config.scanner.baud,
            terminator: tongban_scanner::Terminator::parse(&config.scanner.terminator)
                .unwrap_or(tongban_scanner::Terminator::Any),
            limit,
        }),
        ..Configured::default()
    }
}

/// The A4 printer service for `[devices.a4_printer]`: on the network by
/// host:port, or on USB by its ids.
fn a4_service(
    a4: &kiosk_config::A4Printer,
    store: &Path,
) -> Option<crate::print::service::A4Service> {
    match (a4.enabled, a4.transport.as_str()) {
        (true, "tcp") => match a4.address.parse() {
            Ok(address) => Some(crate::print::service::A4Service {
                address,
                usb: None,
                store: store.to_owned(),
            }),
            Err(_) => {
                tracing::error!(address = %a4.address, "A4 printer address is not host:port; printer disabled");
                None
            }
        },
        (true, "usb") => Some(crate::print::service::A4Service {
            // Not used: the USB printer is found by its ids.
            address: std::net::SocketAddr::from(([127, 0, 0, 1], 9100)),
            usb: Some(a4.usb_id.clone()),
            store: store.to_owned(),
        }),
        (true, other) => {
            tracing::error!(
                transport = other,
                "A4 printer transport not supported by this build; printer disabled"
            );
            None
        }
        (false, _) => None,
    }
}

/// The receipt printer service for `[devices.receipt_printer]`: on a
/// serial port, or on USB by its ids.
fn receipt_service(
    r: &kiosk_config::ReceiptPrinter,
    store: &Path,
) -> Option<crate::print::service::ReceiptService> {
    match (r.enabled, r.transport.as_str()) {
        (true, "serial") => Some(crate::print::service::ReceiptService {
            path: PathBuf::from(&r.path),
            baud: r.baud,
            usb: None,
            store: store.to_owned(),
        }),
        (true, "usb") => Some(crate::print::service::ReceiptService {
            path: PathBuf::from(&r.path),
            baud: r.baud,
            usb: Some(r.usb_id.clone()),
            store: store.to_owned(),
        }),
        (true, other) => {
            tracing::error!(
                transport = other,
                "receipt printer transport not supported by this build; printer disabled"
            );
            None
        }
        (false, _) => None,
    }
}

/// Demo mode's devices: each one simulated on a pseudo-terminal (or a
/// loopback port) in `data_dir`; one that cannot start is logged and left
/// out.
fn simulated(data_dir: &Path, store: &Path, limit: usize) -> Configured {
    let mut devices = Configured::default();
    simulate_reader(&mut devices, data_dir);
    simulate_scanner(&mut devices, data_dir, limit);
    let output = data_dir.join("printed");
    simulate_a4(&mut devices, &output, store);
    simulate_receipt(&mut devices, data_dir, &output, store);
    devices
}

/// The demo's ID card reader, on `data_dir/id-reader`.
fn simulate_reader(devices: &mut Configured, data_dir: &Path) {
    let link = data_dir.join("id-reader");
    match tongban_sim::ReaderSim::start(&link) {
        Ok(sim) => {
            tracing::info!(path = %link.display(), "demo: simulated ID card reader");
            devices.demo_reader = Some(DemoReader(Arc::new(sim)));
            devices.reader = Some(ReaderKey {
                path: link,
                baud: 115_200,
            });
        }
        Err(error) => tracing::error!(%error, "demo: no simulated reader"),
    }
}

/// The demo's QR scanner, on `data_dir/qr-scanner`.
fn simulate_scanner(devices: &mut Configured, data_dir: &Path, limit: usize) {
    let link = data_dir.join("qr-scanner");
    match tongban_sim::ScannerSim::start(&link, b"\r\n") {
        Ok(sim) => {
            tracing::info!(path = %link.display(), "demo: simulated QR scanner");
            devices.demo_scanner = Some(DemoScanner(Arc::new(sim)));
            devices.scanner = Some(ScannerKey {
                path: link,
                baud: 9600,
                terminator: tongban_scanner::Terminator::Any,
                limit,
            });
        }
        Err(error) => tracing::error!(%error, "demo: no simulated scanner"),
    }
}

/// The demo's A4 printer, on a loopback port; its pages go to
/// `output/a4`.
fn simulate_a4(devices: &mut Configured, output: &Path, store: &Path) {
    match tongban_sim::LaserSim::start(DEMO_TRAY_SHEETS, &output.join("a4")) {
        Ok(sim) => {
            tracing::info!(address = %sim.addr(), output = %output.display(), "demo: simulated A4 printer");
            devices.a4 = Some(crate::print::service::A4Service {
                address: sim.addr(),
                usb: None,
                store: store.to_owned(),
            });
            devices.demo_a4 = Some(DemoLaser(Arc::new(sim)));
            devices.demo_output = Some(output.to_owned());
        }
        Err(error) => tracing::error!(%error, "demo: no simulated A4 printer"),
    }
}

/// The demo's receipt printer, on `data_dir/receipt-printer`; its
/// receipts go to `output/receipts`.
fn simulate_receipt(devices: &mut Configured, data_dir: &Path, output: &Path, store: &Path) {
    let link = data_dir.join("receipt-printer");
    let options = tongban_sim::ReceiptOptions {
        roll_mm: DEMO_ROLL_MM,
        near_end_mm: DEMO_NEAR_END_MM,
        out_dir: output.join("receipts"),
        font: crate::fonts::TONGBAN_SANS,
    };
    match tongban_sim::ReceiptSim::start(&link, options) {
        Ok(sim) => {
            tracing::info!(path = %link.display(), "demo: simulated receipt printer");
            devices.receipt = Some(crate::print::service::ReceiptService {
                path: link,
                baud: 115_200,
                usb: None,
                store: store.to_owned(),
            });
            devices.demo_receipt = Some(DemoReceipt(Arc::new(sim)));
            devices.demo_output = Some(output.to_owned());
        }
        Err(error) => tracing::error!(%error, "demo: no simulated receipt printer"),
    }
}

/// The session's identity from a card. Names: the Chinese name where the
/// card has one, else the English name.
pub fn identity_of(card: &ga467::CardIdentity) -> Identity {
    let name = if card.name.trim().is_empty() {
        card.english_name.trim().to_owned()
    } else {
        card.name.trim().to_owned()
    };
    let kind = match card.kind {
        ga467::CardKind::ResidentId => DocumentKind::ResidentId,
        ga467::CardKind::HkMacaoTaiwanPermit => DocumentKind::HkMacaoTaiwanPermit,
        ga467::CardKind::ForeignPermanentOld | ga467::CardKind::ForeignPermanentNew => {
            DocumentKind::ForeignPermanentResident
        }
    };
    let b = card.birth;
    Identity {
        name,
        number: card.number.clone(),
        kind,
        source: IdentitySource::IdCard,
        sex: match card.sex {
            ga467::text::Sex::Male => "男".into(),
            ga467::text::Sex::Female => "女".into(),
            _ => String::new(),
        },
        birth: if b.year == 0 {
            String::new()
        } else {
            format!("{:04}-{:02}-{:02}", b.year, b.month, b.day)
        },
        address: card.address.trim().to_owned(),
    }
}

/// Today as the card's date type.
pub fn today(now: chrono::DateTime<chrono::Local>) -> ga467::Date {
    use chrono::Datelike;
    ga467::Date {
        year: u16::try_from(now.year()).unwrap_or(0),
        month: now.month() as u8,
        day: now.day() as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printers_on_usb_are_opened_by_their_ids() {
        let config = kiosk_config::load_layers(&[(
            "terminal.toml".into(),
            "[devices.receipt_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"0519:2013\"\n\
             [devices.a4_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"03f0:002a\"\n"
                .into(),
        )])
        .unwrap()
        .config;
        let dir = tempfile::tempdir().unwrap();
        let devices = configure(false, &config.devices, dir.path(), &dir.path().join("db"));
        assert_eq!(
            devices.a4.map(|a4| a4.usb),
            Some(Some("03f0:002a".to_owned()))
        );
        assert_eq!(
            devices.receipt.map(|r| r.usb),
            Some(Some("0519:2013".to_owned()))
        );
    }

    #[test]
    fn a_usb_printer_without_its_ids_is_a_config_error() {
        let errors = kiosk_config::load_layers(&[(
            "terminal.toml".into(),
            "[devices.a4_printer]\nenabled = true\ntransport = \"usb\"\n".into(),
        )])
        .unwrap_err();
        let text = errors
            .0
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("devices.a4_printer.transport") && text.contains("usb_id is empty"),
            "{text}"
        );
    }
}
