//! The hardware a terminal can see, for installers wiring a new terminal
//! (`kioskctl devices`): the serial ports and USB printers on this machine
//! with whether this user may open them, the udev rules that give the kiosk
//! user the configured devices, and a probe of one configured device with
//! the kiosk's own driver. Nothing here runs in the kiosk's UI; every call
//! blocks.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use tongban_device::DeviceStatus;

/// The system user and group the kiosk runs as on an installed terminal.
pub const KIOSK_USER: &str = "tongban";

/// Where libusb finds USB devices.
const USB_BUS: &str = "/dev/bus/usb";

/// What installers are told when the kiosk user may not open a device.
const ACCESS_HINT: &str = "give the kiosk user the device: `kioskctl devices udev-rules > \
     /etc/udev/rules.d/70-tongban.rules && udevadm control --reload && udevadm trigger` \
     (the package's postinst does this), and check the user is in the dialout group";

/// A device of the terminal's config, by the name of its `[devices.*]`
/// table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Configured {
    /// `[devices.id_reader]`.
    IdReader,
    /// `[devices.scanner]`.
    Scanner,
    /// `[devices.receipt_printer]`.
    ReceiptPrinter,
    /// `[devices.a4_printer]`.
    A4Printer,
}

impl Configured {
    /// Every configured device, in config order.
    pub const ALL: [Configured; 4] = [
        Configured::IdReader,
        Configured::Scanner,
        Configured::ReceiptPrinter,
        Configured::A4Printer,
    ];

    /// The name of its config table.
    pub fn as_str(self) -> &'static str {
        match self {
            Configured::IdReader => "id_reader",
            Configured::Scanner => "scanner",
            Configured::ReceiptPrinter => "receipt_printer",
            Configured::A4Printer => "a4_printer",
        }
    }
}

impl fmt::Display for Configured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Configured {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a device: use id_reader, scanner, receipt_printer or a4_printer"
                )
            })
    }
}

/// Where a configured device is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "transport")]
pub enum Target {
    /// A serial port (or a symlink to one).
    Serial {
        /// The path from config.
        path: PathBuf,
        /// Line speed.
        baud: u32,
    },
    /// A USB printer-class device by vendor:product.
    Usb {
        /// `vvvv:pppp` from config, as written there.
        usb_id: String,
    },
    /// Raw TCP (port 9100).
    Tcp {
        /// host:port from config.
        address: String,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Serial { path, baud } => write!(f, "serial {} at {baud} baud", path.display()),
            Target::Usb { usb_id } => write!(f, "USB {usb_id}"),
            Target::Tcp { address } => write!(f, "TCP {address}"),
        }
    }
}

/// Where the config says a device is, and whether it is enabled.
pub fn target(devices: &kiosk_config::Devices, device: Configured) -> (Target, bool) {
    let serial = |path: &str, baud: u32| Target::Serial {
        path: PathBuf::from(path),
        baud,
    };
    match device {
        Configured::IdReader => {
            let d = &devices.id_reader;
            (serial(&d.path, d.baud), d.enabled)
        }
        Configured::Scanner => {
            let d = &devices.scanner;
            (serial(&d.path, d.baud), d.enabled)
        }
        Configured::ReceiptPrinter => {
            let d = &devices.receipt_printer;
            let target = if d.transport == "usb" {
                Target::Usb {
                    usb_id: d.usb_id.clone(),
                }
            } else {
                serial(&d.path, d.baud)
            };
            (target, d.enabled)
        }
        Configured::A4Printer => {
            let d = &devices.a4_printer;
            let target = if d.transport == "usb" {
                Target::Usb {
                    usb_id: d.usb_id.clone(),
                }
            } else {
                Target::Tcp {
                    address: d.address.clone(),
                }
            };
            (target, d.enabled)
        }
    }
}

// ---------------------------------------------------------------------------
// udev rules

/// A config the udev rules cannot be made from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct RulesError(pub Vec<String>);

/// A serial port's udev match: `KERNEL=="ttyUSB0"` for a kernel name under
/// /dev, `SYMLINK=="serial/by-id/…"` for a link udev makes (by-id, by-path,
/// or a name from an earlier rule).
fn serial_match(path: &Path) -> Result<String, String> {
    let rel = path
        .strip_prefix("/dev")
        .ok()
        .and_then(Path::to_str)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            format!(
                "{} is not under /dev: udev gives access only to device nodes",
                path.display()
            )
        })?;
    if rel.contains('"') || rel.contains('\\') {
        return Err(format!("{rel:?} has a quote or backslash"));
    }
    let kernel_name = rel.starts_with("tty")
        && !rel.contains('/')
        && rel[3..].chars().all(|c| c.is_ascii_alphanumeric())
        && rel.ends_with(|c: char| c.is_ascii_digit());
    Ok(if kernel_name {
        format!("SUBSYSTEM==\"tty\", KERNEL==\"{rel}\"")
    } else {
        format!("SUBSYSTEM==\"tty\", SYMLINK==\"{rel}\"")
    })
}

/// The udev rules giving the kiosk user ([`KIOSK_USER`]) the enabled
/// devices of `config`: serial ports by their configured path, USB printers
/// by vendor and product id. `source` names the config in the header.
/// Every problem is listed with its key.
pub fn udev_rules(config: &kiosk_config::Config, source: &str) -> Result<String, RulesError> {
    let mut out = String::new();
    let mut errors = Vec::new();
    out.push_str(&format!(
        "# Generated by `kioskctl devices udev-rules` from {source}.\n\
         # Gives the kiosk user `{KIOSK_USER}` its configured devices; regenerate it\n\
         # after changing [devices.*] (the package does on install and upgrade),\n\
         # then `udevadm control --reload && udevadm trigger`.\n"
    ));
    let mut serial = Vec::new();
    let mut usb = Vec::new();
    for device in Configured::ALL {
        let (target, enabled) = target(&config.devices, device);
        let key = format!("devices.{device}");
        if !enabled {
            out.push_str(&format!("# {device}: disabled, no rule\n"));
            continue;
        }
        match target {
            Target::Serial { path, .. } => match serial_match(&path) {
                Ok(m) => serial.push(format!(
                    "# {device} ({})\n{m}, GROUP=\"{KIOSK_USER}\", MODE=\"0660\"\n",
                    path.display()
                )),
                Err(e) => errors.push(format!("{key}.path: {e}")),
            },
            Target::Usb { usb_id } => {
                if usb_id.is_empty() {
                    errors.push(format!(
                        "{key}.usb_id: empty, but {key}.transport is \"usb\": give vendor:product in hex, such as \"0519:2013\" (see `kioskctl devices`)"
                    ));
                    continue;
                }
                match usb_id.parse::<tongban_usbprint::Selector>() {
                    Ok(s) => usb.push(format!(
                        "# {device} (USB {s})\nSUBSYSTEM==\"usb\", ENV{{DEVTYPE}}==\"usb_device\", ATTRS{{idVendor}}==\"{:04x}\", ATTRS{{idProduct}}==\"{:04x}\", GROUP=\"{KIOSK_USER}\", MODE=\"0660\"\n",
                        s.vendor, s.product
                    )),
                    Err(e) => errors.push(format!("{key}.usb_id: {e}")),
                }
            }
            Target::Tcp { .. } => {
                out.push_str(&format!("# {device}: on the network, no rule\n"));
            }
        }
    }
    if !errors.is_empty() {
        return Err(RulesError(errors));
    }
    if !serial.is_empty() {
        out.push_str("\n# Serial ports, by their configured path.\n");
        serial.iter().for_each(|r| out.push_str(r));
    }
    if !usb.is_empty() {
        out.push_str(
            "\n# USB printers, by vendor and product id (libusb opens /dev/bus/usb/BBB/DDD).\n",
        );
        usb.iter().for_each(|r| out.push_str(r));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// What this machine has

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

/// The USB device a serial port sits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsbOf {
    /// `vvvv:pppp`.
    pub id: String,
    /// Its serial number, when it has one.
    pub serial: Option<String>,
    /// Manufacturer and product strings, when it has them.
    pub product: Option<String>,
}

/// A serial port this machine has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SerialPort {
    /// `/dev/ttyUSB0` …
    pub path: PathBuf,
    /// The kernel driver (`ftdi_sio`, `cdc_acm`, `serial8250` …).
    pub driver: Option<String>,
    /// The USB device, for a USB-serial adapter.
    pub usb: Option<UsbOf>,
    /// Its stable names (`/dev/serial/by-id/…`, `by-path`).
    pub links: Vec<PathBuf>,
    /// Whether this user may open it read-write.
    pub access: Access,
    /// The configured devices that name it.
    pub configured: Vec<Configured>,
}

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The USB device above a sysfs device: the first ancestor with idVendor.
fn usb_ancestor(device: &Path) -> Option<UsbOf> {
    let mut dir = std::fs::canonicalize(device).ok()?;
    loop {
        if let (Some(vendor), Some(product)) = (
            read_trimmed(&dir.join("idVendor")),
            read_trimmed(&dir.join("idProduct")),
        ) {
            let names: Vec<String> = ["manufacturer", "product"]
                .iter()
                .filter_map(|f| read_trimmed(&dir.join(f)))
                .collect();
            return Some(UsbOf {
                id: format!("{vendor}:{product}"),
                serial: read_trimmed(&dir.join("serial")),
                product: (!names.is_empty()).then(|| names.join(" ")),
            });
        }
        if !dir.pop() || dir == Path::new("/sys/devices") {
            return None;
        }
    }
}

/// Symlinks in the /dev/serial folders that lead to `node`.
fn links_to(node: &Path) -> Vec<PathBuf> {
    let mut links = Vec::new();
    for folder in ["/dev/serial/by-id", "/dev/serial/by-path"] {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for entry in entries.flatten() {
            if std::fs::canonicalize(entry.path()).is_ok_and(|p| p == node) {
                links.push(entry.path());
            }
        }
    }
    links.sort();
    links
}

/// The configured serial devices whose path leads to `node`.
fn configured_serial(devices: Option<&kiosk_config::Devices>, node: &Path) -> Vec<Configured> {
    let Some(devices) = devices else {
        return Vec::new();
    };
    Configured::ALL
        .into_iter()
        .filter(|d| match target(devices, *d).0 {
            Target::Serial { path, .. } => {
                path == node || std::fs::canonicalize(&path).is_ok_and(|p| p == node)
            }
            _ => false,
        })
        .collect()
}

/// The driver of a tty's device: the first one up the device tree that is
/// not the serial core's own (`port`, `ctrl` on the serial-base bus of
/// newer kernels).
fn serial_driver(device: &Path) -> Option<String> {
    let mut dir = std::fs::canonicalize(device).ok()?;
    loop {
        if let Ok(link) = std::fs::read_link(dir.join("driver"))
            && !link.to_string_lossy().contains("/bus/serial-base/")
        {
            return link.file_name().map(|n| n.to_string_lossy().into_owned());
        }
        if !dir.pop() || !dir.starts_with("/sys/devices/") {
            return None;
        }
    }
}

/// The serial ports in `/sys/class/tty` with a device behind them; the
/// legacy 8250 ports the kernel always lists are left out unless a UART
/// answers there.
pub fn serial_ports(devices: Option<&kiosk_config::Devices>) -> Vec<SerialPort> {
    let Ok(entries) = std::fs::read_dir("/sys/class/tty") else {
        return Vec::new();
    };
    let mut ports = Vec::new();
    for entry in entries.flatten() {
        let class = entry.path();
        let device = class.join("device");
        if !device.exists() {
            continue;
        }
        let driver = serial_driver(&device);
        // A legacy port with no UART says type 0 (PORT_UNKNOWN).
        if read_trimmed(&class.join("type")).as_deref() == Some("0") {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let node = PathBuf::from("/dev").join(&name);
        ports.push(SerialPort {
            driver,
            usb: usb_ancestor(&device),
            links: links_to(&node),
            access: access(&node),
            configured: configured_serial(devices, &node),
            path: node,
        });
    }
    ports.sort_by(|a, b| a.path.cmp(&b.path));
    ports
}

/// A USB printer this machine has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsbPrinter {
    /// Bus number.
    pub bus: u8,
    /// Address on the bus.
    pub address: u8,
    /// `vvvv:pppp`.
    pub id: String,
    /// Its device node.
    pub node: PathBuf,
    /// The IEEE 1284 device id it answered.
    pub device_id: Option<DeviceIdOf>,
    /// Why there is no device id.
    pub unreadable: Option<String>,
    /// The configured devices that name it.
    pub configured: Vec<Configured>,
}

/// An IEEE 1284 device id, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceIdOf {
    /// MFG.
    pub manufacturer: String,
    /// MDL.
    pub model: String,
    /// CMD.
    pub command_set: Vec<String>,
}

impl From<tongban_usbprint::DeviceId> for DeviceIdOf {
    fn from(id: tongban_usbprint::DeviceId) -> Self {
        Self {
            manufacturer: id.manufacturer,
            model: id.model,
            command_set: id.command_set,
        }
    }
}

impl fmt::Display for DeviceIdOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MFG:{};MDL:{};CMD:{};",
            self.manufacturer,
            self.model,
            self.command_set.join(",")
        )
    }
}

/// The configured USB printers with this vendor:product.
fn configured_usb(devices: Option<&kiosk_config::Devices>, id: &str) -> Vec<Configured> {
    let Some(devices) = devices else {
        return Vec::new();
    };
    Configured::ALL
        .into_iter()
        .filter(|d| match target(devices, *d).0 {
            Target::Usb { usb_id } => usb_id.eq_ignore_ascii_case(id),
            _ => false,
        })
        .collect()
}

/// The attached USB printer-class devices, each with its IEEE 1284 id or
/// why it could not be read.
pub fn usb_printers(devices: Option<&kiosk_config::Devices>) -> Vec<UsbPrinter> {
    tongban_usbprint::list()
        .into_iter()
        .map(|found| {
            let id = format!("{:04x}:{:04x}", found.vendor_id, found.product_id);
            let node = PathBuf::from(format!(
                "/dev/bus/usb/{:03}/{:03}",
                found.bus, found.address
            ));
            let unreadable = match (&found.device_id, access(&node)) {
                (Some(_), _) => None,
                (None, Access::Denied(why)) => Some(format!("{why}; {ACCESS_HINT}")),
                (None, Access::Missing) => Some(format!("{} is missing", node.display())),
                (None, Access::ReadWrite) => {
                    Some("the printer did not answer GET_DEVICE_ID with a valid id".into())
                }
            };
            UsbPrinter {
                bus: found.bus,
                address: found.address,
                configured: configured_usb(devices, &id),
                id,
                node,
                device_id: found.device_id.map(DeviceIdOf::from),
                unreadable,
            }
        })
        .collect()
}

/// A configured device and where it is on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfiguredEntry {
    /// Which device.
    pub device: Configured,
    /// Whether the config enables it.
    pub enabled: bool,
    /// Where the config says it is.
    pub target: Target,
    /// What is there: the node a serial path leads to and its access, a
    /// USB printer's bus and address, or nothing found.
    pub found: String,
}

/// What `kioskctl devices` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The serial ports.
    pub serial_ports: Vec<SerialPort>,
    /// The USB printers.
    pub usb_printers: Vec<UsbPrinter>,
    /// The configured devices (none when the config could not be read).
    pub configured: Vec<ConfiguredEntry>,
}

/// Looks at this machine: serial ports, USB printers, and where each
/// configured device is.
pub fn listing(devices: Option<&kiosk_config::Devices>) -> Listing {
    let serial_ports = serial_ports(devices);
    let usb_printers = usb_printers(devices);
    let configured = devices
        .map(|devices| {
            Configured::ALL
                .into_iter()
                .map(|device| {
                    let (target, enabled) = target(devices, device);
                    let found = match &target {
                        Target::Serial { path, .. } => match std::fs::canonicalize(path) {
                            Ok(node) if node != *path => {
                                format!("{}, {}", node.display(), access(&node))
                            }
                            _ => access(path).to_string(),
                        },
                        Target::Usb { usb_id } => usb_printers
                            .iter()
                            .find(|p| p.id.eq_ignore_ascii_case(usb_id))
                            .map_or_else(
                                || "not attached".to_owned(),
                                |p| format!("bus {:03} address {:03}", p.bus, p.address),
                            ),
                        Target::Tcp { .. } => "on the network (probe it)".to_owned(),
                    };
                    ConfiguredEntry {
                        device,
                        enabled,
                        target,
                        found,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Listing {
        serial_ports,
        usb_printers,
        configured,
    }
}

fn marks(configured: &[Configured]) -> String {
    if configured.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = configured.iter().map(|c| c.as_str()).collect();
        format!("  <= {}", names.join(", "))
    }
}

impl Listing {
    /// The listing as text for a terminal.
    pub fn render(&self) -> String {
        let mut out = String::from("Serial ports\n");
        if self.serial_ports.is_empty() {
            out.push_str("  (none)\n");
        }
        for port in &self.serial_ports {
            out.push_str(&format!(
                "  {}  driver {}  {}{}\n",
                port.path.display(),
                port.driver.as_deref().unwrap_or("?"),
                port.access,
                marks(&port.configured)
            ));
            if let Some(usb) = &port.usb {
                out.push_str(&format!(
                    "      USB {}{}{}\n",
                    usb.id,
                    usb.serial
                        .as_deref()
                        .map(|s| format!(" serial {s}"))
                        .unwrap_or_default(),
                    usb.product
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                ));
            }
            for link in &port.links {
                out.push_str(&format!("      {}\n", link.display()));
            }
        }
        out.push_str("\nUSB printers\n");
        if self.usb_printers.is_empty() && !Path::new(USB_BUS).is_dir() {
            out.push_str(&format!("  (none: no USB bus, {USB_BUS} is missing)\n"));
        } else if self.usb_printers.is_empty() {
            out.push_str("  (none)\n");
        }
        for printer in &self.usb_printers {
            out.push_str(&format!(
                "  bus {:03} address {:03}  {}{}\n",
                printer.bus,
                printer.address,
                printer.id,
                marks(&printer.configured)
            ));
            match (&printer.device_id, &printer.unreadable) {
                (Some(id), _) => out.push_str(&format!("      1284 id {id}\n")),
                (None, Some(why)) => out.push_str(&format!("      1284 id unreadable: {why}\n")),
                (None, None) => {}
            }
        }
        out.push_str("\nConfigured devices\n");
        if self.configured.is_empty() {
            out.push_str("  (the config could not be read)\n");
        }
        for entry in &self.configured {
            out.push_str(&format!(
                "  {:<16} {:<8} {}  -> {}\n",
                entry.device.as_str(),
                if entry.enabled { "enabled" } else { "disabled" },
                entry.target,
                entry.found
            ));
        }
        out
    }
}

impl Probe {
    /// The probe's result as text for a terminal.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} ({}{})\n",
            self.device,
            self.target,
            if self.enabled {
                ""
            } else {
                "; disabled in config"
            }
        );
        for a in &self.answers {
            out.push_str(&format!("  {:<14} {}\n", a.key, a.value));
        }
        if let Some(error) = &self.error {
            out.push_str(&format!("  no answer: {error}\n"));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Probing a configured device

/// Why a probe got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// Nothing at the configured place.
    NotFound,
    /// There, but this user may not open it.
    PermissionDenied,
    /// Opened, but nothing answered in time.
    Timeout,
    /// It answered something that is not its protocol.
    Garbage,
    /// The config does not say where it is.
    Config,
    /// Anything else the system said.
    Io,
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// Which device.
    pub device: Configured,
    /// Where the config says it is.
    pub target: Target,
    /// Whether the config enables it.
    pub enabled: bool,
    /// What it answered, in order (`status`, `sam_id`, `device_id` …).
    pub answers: Vec<Answer>,
    /// Its status in the device vocabulary, when it gave one.
    pub status: Option<DeviceStatus>,
    /// Why it did not answer.
    pub failure: Option<Failure>,
    /// The sentence for installers, when it did not answer.
    pub error: Option<String>,
}

/// One thing a device answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// What was asked (`status`, `sam_id`, `device_id`, `pagecount` …).
    pub key: String,
    /// What it said.
    pub value: String,
}

fn answer(key: &str, value: impl Into<String>) -> Answer {
    Answer {
        key: key.to_owned(),
        value: value.into(),
    }
}

/// How long a probe waits.
#[derive(Debug, Clone, Copy)]
pub struct ProbeTimes {
    /// For each answer of a reader or printer.
    pub answer: Duration,
    /// For a code from the scanner (it only speaks when it scans).
    pub scan: Duration,
}

impl Default for ProbeTimes {
    fn default() -> Self {
        Self {
            answer: Duration::from_secs(2),
            scan: Duration::from_secs(2),
        }
    }
}

type Answered = (Vec<Answer>, Option<DeviceStatus>);
type Failed = (Failure, String);

/// Opens the configured device with its driver and asks what the kiosk
/// asks: the reader's SAM status and id, a printer's status (and its 1284
/// id and page count where it has them), a code from the scanner.
pub fn probe(devices: &kiosk_config::Devices, device: Configured, times: ProbeTimes) -> Probe {
    let (target, enabled) = target(devices, device);
    let result = match (&target, device) {
        (Target::Serial { path, baud }, Configured::IdReader) => {
            check_node(path).and_then(|()| probe_reader(path, *baud, times.answer))
        }
        (Target::Serial { path, baud }, Configured::Scanner) => {
            let terminator = tongban_scanner::Terminator::parse(&devices.scanner.terminator)
                .unwrap_or(tongban_scanner::Terminator::Any);
            check_node(path).and_then(|()| {
                probe_scanner(
                    path,
                    *baud,
                    terminator,
                    devices.scanner.max_length as usize,
                    times.scan,
                )
            })
        }
        (Target::Serial { path, baud }, _) => {
            check_node(path).and_then(|()| probe_serial_receipt(path, *baud, times.answer))
        }
        (Target::Usb { usb_id }, _) => probe_usb(device, usb_id, times.answer),
        (Target::Tcp { address }, _) => probe_tcp(address, times.answer),
    };
    let (answers, status, failure, error) = match result {
        Ok((answers, status)) => (answers, status, None, None),
        Err((failure, sentence)) => (Vec::new(), None, Some(failure), Some(sentence)),
    };
    Probe {
        device,
        target,
        enabled,
        answers,
        status,
        failure,
        error,
    }
}

/// Whether the configured node is there and may be opened.
fn check_node(path: &Path) -> Result<(), Failed> {
    match access(path) {
        Access::ReadWrite => Ok(()),
        Access::Missing => Err((
            Failure::NotFound,
            format!(
                "{} does not exist: the device is unplugged, or the path in config is wrong (see the serial ports `kioskctl devices` lists)",
                path.display()
            ),
        )),
        Access::Denied(why) => Err((Failure::PermissionDenied, format!("{why}: {ACCESS_HINT}"))),
    }
}

/// A status in words: state, then paper, toner and cover where known.
pub fn status_words(status: &DeviceStatus) -> String {
    let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut words = vec![status.state.as_str().to_owned()];
    if let Some(m) = status.media {
        words.push(format!("paper {}", word(serde_json::json!(m))));
    }
    if let Some(t) = status.toner {
        words.push(format!("toner {}", word(serde_json::json!(t))));
    }
    if let Some(c) = status.cover {
        words.push(format!("cover {}", word(serde_json::json!(c))));
    }
    words.join(", ")
}

/// The SAM id as readers print it (`05.01-20261124-0000000001-0000000000`):
/// two little-endian 16-bit numbers, four BCD bytes, two big-endian 32-bit
/// numbers; anything else as hex.
pub fn sam_id_text(data: &[u8]) -> String {
    if let [a0, a1, b0, b1, c @ .., d0, d1, d2, d3, e0, e1, e2, e3] = data
        && c.len() == 4
    {
        return format!(
            "{:02}.{:02}-{:02x}{:02x}{:02x}{:02x}-{:010}-{:010}",
            u16::from_le_bytes([*a0, *a1]),
            u16::from_le_bytes([*b0, *b1]),
            c[0],
            c[1],
            c[2],
            c[3],
            u32::from_be_bytes([*d0, *d1, *d2, *d3]),
            u32::from_be_bytes([*e0, *e1, *e2, *e3]),
        );
    }
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn probe_reader(path: &Path, baud: u32, timeout: Duration) -> Result<Answered, Failed> {
    use ga467::frame::Command;
    use ga467::serial::{Port, ReaderError};
    let mut port = Port::open(path, baud).map_err(|e| (Failure::Io, e.to_string()))?;
    let said = |e: ReaderError| match e {
        ReaderError::Timeout(t) => (
            Failure::Timeout,
            format!(
                "{} opened, but nothing answered the SAM status request within {t:?}: the reader is off, is not a GA/T 467 reader, or runs at another speed than {baud} baud",
                path.display()
            ),
        ),
        ReaderError::Frame(f) => (
            Failure::Garbage,
            format!(
                "{} answers garbage ({f}): another device is on this port, or the speed is not {baud} baud",
                path.display()
            ),
        ),
        other => (Failure::Io, format!("{}: {other}", path.display())),
    };
    let status = port.transact(Command::SamStatus, timeout).map_err(said)?;
    let mut answers = vec![answer("sam_status", format!("{:?}", status.status))];
    let state = if status.status.is_success() {
        tongban_device::DeviceState::Online
    } else {
        tongban_device::DeviceState::HardwareError
    };
    let id = port.transact(Command::SamId, timeout).map_err(said)?;
    if id.status.is_success() {
        answers.push(answer("sam_id", sam_id_text(&id.data)));
    } else {
        answers.push(answer("sam_id", format!("refused: {:?}", id.status)));
    }
    let status = DeviceStatus {
        state,
        ..DeviceStatus::absent(tongban_device::DeviceKind::IdCardReader)
    };
    answers.insert(0, answer("status", status_words(&status)));
    Ok((answers, Some(status)))
}

fn probe_scanner(
    path: &Path,
    baud: u32,
    terminator: tongban_scanner::Terminator,
    limit: usize,
    wait: Duration,
) -> Result<Answered, Failed> {
    use tongban_scanner::serial::{ScannerConfig, ScannerEvent, read_loop};
    let config = ScannerConfig {
        path: path.to_owned(),
        baud,
        terminator,
        limit,
        reconnect: Duration::from_millis(200),
    };
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let mut opened = false;
    let mut scanned: Option<Result<usize, String>> = None;
    let mut failed = false;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        let stop = &stop;
        s.spawn(move || read_loop(&config, stop, |e| drop(tx.send(e))));
        while started.elapsed() < wait && scanned.is_none() && !failed {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(ScannerEvent::State(state)) => {
                    opened = state.is_usable();
                    failed = !opened;
                }
                Ok(ScannerEvent::Scanned(scan)) => scanned = Some(Ok(scan.text().len())),
                Ok(ScannerEvent::Rejected(e)) => scanned = Some(Err(e.to_string())),
                Err(_) => {}
            }
        }
        stop.store(true, Ordering::SeqCst);
    });
    if !opened {
        return Err((
            Failure::Io,
            format!(
                "{} exists and may be opened, but the serial driver refused it (in use by another program, or not a serial port)",
                path.display()
            ),
        ));
    }
    let status = DeviceStatus {
        state: tongban_device::DeviceState::Online,
        ..DeviceStatus::absent(tongban_device::DeviceKind::QrScanner)
    };
    // Only the length: a code may be a resident's token.
    let scan = match scanned {
        Some(Ok(len)) => format!("a code of {len} bytes"),
        Some(Err(e)) => return Err((Failure::Garbage, format!("{}: {e}", path.display()))),
        None => format!(
            "none within {:?} (a scanner speaks only when it scans: scan a code while probing, or wait longer with --wait)",
            wait
        ),
    };
    Ok((
        vec![
            answer("status", status_words(&status)),
            answer("scan", scan),
        ],
        Some(status),
    ))
}

fn escpos_failure(path: &str, e: tongban_escpos::serial::TransportError) -> Failed {
    use tongban_escpos::serial::TransportError;
    match e {
        TransportError::NoAnswer(t) => (
            Failure::Timeout,
            format!(
                "{path} opened, but the printer did not answer a status request (DLE EOT) within {t:?}: it is off, not an ESC/POS printer, or at another speed"
            ),
        ),
        TransportError::Garbage(g) => (
            Failure::Garbage,
            format!("{path} answers garbage to DLE EOT: {g}"),
        ),
        other => (Failure::Io, format!("{path}: {other}")),
    }
}

fn probe_serial_receipt(path: &Path, baud: u32, timeout: Duration) -> Result<Answered, Failed> {
    let shown = path.display().to_string();
    let mut printer = tongban_escpos::serial::SerialPrinter::open(path, baud)
        .map_err(|e| (Failure::Io, e.to_string()))?;
    // The driver's own poll waits 500 ms for each byte; try until the
    // probe's time is up, as a printer just switched on may be slow.
    let deadline = Instant::now() + timeout;
    let status = loop {
        match printer.poll_status() {
            Ok(s) => break s.device_status(),
            Err(e) if Instant::now() >= deadline => return Err(escpos_failure(&shown, e)),
            Err(tongban_escpos::serial::TransportError::NoAnswer(_)) => {}
            Err(e) => return Err(escpos_failure(&shown, e)),
        }
    };
    Ok((vec![answer("status", status_words(&status))], Some(status)))
}

fn usb_failure(e: tongban_usbprint::UsbError) -> Failed {
    use tongban_usbprint::UsbError;
    let failure = match &e {
        UsbError::NotFound(_) | UsbError::Disconnected => Failure::NotFound,
        UsbError::Permission(_) => Failure::PermissionDenied,
        UsbError::BadSelector(_) => Failure::Config,
        UsbError::BadDeviceId(_) | UsbError::NoPrinterInterface => Failure::Garbage,
        UsbError::Usb(_) => Failure::Io,
    };
    let hint = match failure {
        Failure::PermissionDenied => format!("; {ACCESS_HINT}"),
        Failure::NotFound => {
            "; `kioskctl devices` lists the USB printers attached, with their ids".to_owned()
        }
        _ => String::new(),
    };
    (failure, format!("{e}{hint}"))
}

fn probe_usb(device: Configured, usb_id: &str, timeout: Duration) -> Result<Answered, Failed> {
    use tongban_usbprint::{Selector, Timeouts, UsbPrinter};
    if usb_id.is_empty() {
        return Err((
            Failure::Config,
            format!(
                "devices.{device}.usb_id is empty while its transport is \"usb\": set vendor:product in hex (see `kioskctl devices`)"
            ),
        ));
    }
    let selector: Selector = usb_id.parse().map_err(usb_failure)?;
    if !Path::new(USB_BUS).is_dir() {
        return Err((
            Failure::NotFound,
            format!(
                "no USB printer {selector} is attached: this machine shows no USB bus ({USB_BUS} is missing)"
            ),
        ));
    }
    let mut printer = UsbPrinter::open(
        selector,
        Timeouts {
            write: timeout,
            ..Timeouts::default()
        },
    )
    .map_err(usb_failure)?;
    let mut answers = Vec::new();
    let device_id = printer.device_id();
    match &device_id {
        Ok(id) => answers.push(answer(
            "device_id",
            DeviceIdOf::from(id.clone()).to_string(),
        )),
        Err(e) => answers.push(answer("device_id", format!("unreadable: {e}"))),
    }
    answers.push(answer(
        "bidirectional",
        if printer.bidirectional() { "yes" } else { "no" }.to_owned(),
    ));
    let port = printer.port_status().map_err(usb_failure)?;
    answers.push(answer(
        "port_status",
        format!(
            "selected {}, paper empty {}, error {}",
            port.selected, port.paper_empty, port.error
        ),
    ));
    let status = if device == Configured::A4Printer && printer.bidirectional() {
        let mut link = tongban_laser::link::PjlLink::new(printer, timeout);
        let status = link
            .status()
            .map_err(|e| (Failure::Timeout, format!("PJL status over USB: {e}")))?;
        if let Ok(pages) = link.pagecount() {
            answers.push(answer("pagecount", pages.to_string()));
        }
        tongban_laser::pjl::device_status(&status)
    } else if printer.bidirectional() {
        tongban_escpos::serial::poll_status(&mut printer, timeout)
            .map_err(|e| escpos_failure(&format!("USB {usb_id}"), e))?
            .device_status()
    } else {
        tongban_escpos::PrinterStatus {
            offline: !port.selected || port.error,
            paper_end: port.paper_empty,
            ..Default::default()
        }
        .device_status()
    };
    answers.insert(0, answer("status", status_words(&status)));
    Ok((answers, Some(status)))
}

fn probe_tcp(address: &str, timeout: Duration) -> Result<Answered, Failed> {
    use tongban_laser::tcp::{Printer, TcpError};
    let addr: std::net::SocketAddr = address.parse().map_err(|_| {
        (
            Failure::Config,
            format!("devices.a4_printer.address {address:?} is not host:port"),
        )
    })?;
    let said = |e: TcpError| match e {
        TcpError::Connect { reason, .. } => (
            Failure::NotFound,
            format!(
                "nothing takes connections on {addr} ({reason}): the printer is off, or its address in config is wrong"
            ),
        ),
        TcpError::Timeout(t) => (
            Failure::Timeout,
            format!(
                "{addr} took the connection but gave no PJL answer within {t:?}: not a PJL printer, or busy"
            ),
        ),
        TcpError::Reply => (
            Failure::Garbage,
            format!("{addr} answers something that is not PJL"),
        ),
        TcpError::Io(reason) => (Failure::Io, format!("{addr}: {reason}")),
        e @ TcpError::Unanswered { .. } => (
            Failure::Garbage,
            format!("{addr} keeps sending status but does not answer: {e}"),
        ),
    };
    let mut printer = Printer::connect(addr, timeout).map_err(said)?;
    let pjl = printer.status().map_err(said)?;
    let status = tongban_laser::pjl::device_status(&pjl);
    let mut answers = vec![
        answer("status", status_words(&status)),
        answer("pjl_status", format!("{} {}", pjl.code, pjl.display)),
    ];
    if let Ok(pages) = printer.pagecount() {
        answers.push(answer("pagecount", pages.to_string()));
    }
    Ok((answers, Some(status)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(terminal: &str) -> kiosk_config::Config {
        kiosk_config::load_layers(&[("terminal.toml".into(), terminal.into())])
            .expect("valid config")
            .config
    }

    #[test]
    fn rules_give_the_kiosk_user_serial_ports_by_path_and_usb_printers_by_id() {
        let config = config(
            r#"
[devices.id_reader]
enabled = true
path = "/dev/serial/by-id/usb-FTDI_FT232R_A10K1234-if00-port0"
[devices.scanner]
enabled = true
path = "/dev/ttyACM0"
[devices.receipt_printer]
enabled = true
transport = "usb"
usb_id = "0519:2013"
[devices.a4_printer]
enabled = true
transport = "usb"
usb_id = "03F0:002A"
"#,
        );
        let rules = udev_rules(&config, "/etc/tongban").expect("rules");
        let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines
                .iter()
                .filter(|l| !l.is_empty())
                .copied()
                .collect::<Vec<&str>>(),
            [
                r#"SUBSYSTEM=="tty", SYMLINK=="serial/by-id/usb-FTDI_FT232R_A10K1234-if00-port0", GROUP="tongban", MODE="0660""#,
                r#"SUBSYSTEM=="tty", KERNEL=="ttyACM0", GROUP="tongban", MODE="0660""#,
                r#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTRS{idVendor}=="0519", ATTRS{idProduct}=="2013", GROUP="tongban", MODE="0660""#,
                // udev's attributes are lower-case hex.
                r#"SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTRS{idVendor}=="03f0", ATTRS{idProduct}=="002a", GROUP="tongban", MODE="0660""#,
            ]
        );
        assert!(
            rules.starts_with("# Generated by `kioskctl devices udev-rules` from /etc/tongban.")
        );
        assert!(rules.contains("# receipt_printer (USB 0519:2013)"));
    }

    #[test]
    fn disabled_and_network_devices_get_no_rule() {
        let rules = udev_rules(
            &config("[devices.a4_printer]\nenabled = true\ntransport = \"tcp\"\n"),
            "x",
        )
        .expect("rules");
        assert!(!rules.contains("GROUP="), "{rules}");
        assert!(rules.contains("# id_reader: disabled, no rule"));
        assert!(rules.contains("# a4_printer: on the network, no rule"));
    }

    #[test]
    fn a_typo_in_a_usb_id_is_refused_by_config_and_by_the_rules_with_the_key() {
        // The config refuses it with file, line and key…
        let errors = kiosk_config::load_layers(&[(
            "terminal.toml".into(),
            "[devices.receipt_printer]\nenabled = true\ntransport = \"usb\"\nusb_id = \"0519-2013\"\n"
                .into(),
        )])
        .expect_err("refused");
        let text = errors.to_string();
        assert!(text.contains("terminal.toml"), "{text}");
        assert!(text.contains("devices.receipt_printer.usb_id"), "{text}");
        // …and rules made from a config that got past it say which key.
        let mut config = config("");
        config.devices.receipt_printer.enabled = true;
        config.devices.receipt_printer.transport = "usb".into();
        config.devices.receipt_printer.usb_id = "05I9:2013".into();
        config.devices.a4_printer.enabled = true;
        config.devices.a4_printer.transport = "usb".into();
        config.devices.id_reader.enabled = true;
        config.devices.id_reader.path = "/tmp/reader".into();
        let errors = udev_rules(&config, "x").expect_err("refused").0;
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("devices.id_reader.path: /tmp/reader is not under /dev"));
        assert!(errors[1].starts_with("devices.receipt_printer.usb_id: "));
        assert!(errors[1].contains("\"05I9:2013\""), "{}", errors[1]);
        assert!(errors[2].starts_with("devices.a4_printer.usb_id: empty"));
    }

    #[test]
    fn sam_ids_read_as_readers_print_them() {
        let data = [
            0x05, 0x00, 0x01, 0x00, 0x20, 0x26, 0x11, 0x24, 0, 0, 0, 1, 0, 0, 0, 0,
        ];
        assert_eq!(sam_id_text(&data), "05.01-20261124-0000000001-0000000000");
        assert_eq!(sam_id_text(&[0xab, 0x01]), "ab01");
    }

    #[test]
    fn device_names_are_the_config_tables() {
        for d in Configured::ALL {
            assert_eq!(d.as_str().parse::<Configured>(), Ok(d));
        }
        let error = "printer".parse::<Configured>().expect_err("unknown");
        assert!(error.contains("id_reader, scanner"), "{error}");
    }

    #[test]
    fn a_missing_node_is_not_found_and_an_open_one_is_read_write() {
        assert_eq!(
            access(Path::new("/dev/tongban-no-such-port")),
            Access::Missing
        );
        let dir = tempfile::tempdir().expect("temp");
        let file = dir.path().join("node");
        std::fs::write(&file, b"").expect("write");
        assert_eq!(access(&file), Access::ReadWrite);
        let (failure, sentence) =
            check_node(Path::new("/dev/tongban-no-such-port")).expect_err("missing");
        assert_eq!(failure, Failure::NotFound);
        assert!(sentence.contains("does not exist"), "{sentence}");
    }
}
