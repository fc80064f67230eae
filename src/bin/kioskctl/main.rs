//! `kioskctl`: the command line for fleet admins and branch staff. It
//! checks a configuration folder (the merged result, or every error), and
//! shows what the terminal knows about itself — devices, supplies, outbox,
//! print journal, audit log — from its store, opened read-only so a staff
//! command never changes the kiosk's data. For fleet admins it makes the
//! fleet key, signs a config layer into a bundle for a scope, pushes it to
//! the platform, and lists the fleet's health as the platform sees it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tongban_platform_api::fleet::Scope;

use crate::fleet_admin::{AdminError, FleetClient};

// kioskctl's own parts: what each command does, the fleet admin's side of
// config bundles, and what the machine has (for installers); the kiosk
// never uses them.
mod commands;
mod fleet_admin;
mod hardware;

/// Tongban terminal administration.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Shows what the terminal knows about itself, from its store (read
    /// only; safe while the kiosk runs).
    Show {
        /// What to show.
        what: Topic,
        #[command(flatten)]
        place: Place,
        /// JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Staff PINs.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Makes a new fleet key pair: DIR/fleet.key (the secret seed, mode
    /// 0600; never overwritten) and DIR/fleet.pub (the public key that
    /// terminals pin as platform.fleet_public_key).
    Keygen {
        /// The folder for the two files (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// The fleet as the platform sees it.
    Fleet {
        #[command(subcommand)]
        command: FleetCommand,
    },
    /// The devices this machine has — serial ports and USB printers (with
    /// their IEEE 1284 ids), whether this user may open them, and which
    /// configured device each one is; `probe NAME` asks a configured
    /// device with the kiosk's driver; `udev-rules` prints the rules that
    /// give the kiosk user the configured devices.
    Devices {
        #[command(subcommand)]
        command: Option<DevicesCommand>,
        /// Configuration folder. Default: /etc/tongban.
        #[arg(long, value_name = "DIR", global = true)]
        config: Option<PathBuf>,
        /// JSON instead of text.
        #[arg(long, global = true)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DevicesCommand {
    /// Opens a configured device (id_reader, scanner, receipt_printer,
    /// a4_printer) with the kiosk's driver and shows what it answers;
    /// exits 1, saying why, when it does not answer.
    Probe {
        /// The device, by its [devices.*] table.
        name: crate::hardware::Configured,
        /// Seconds to wait for a code from the scanner (it speaks only
        /// when it scans).
        #[arg(long, value_name = "SECS", default_value_t = 2)]
        wait: u64,
    },
    /// Prints the udev rules that give the kiosk user the configured
    /// devices (serial ports by path, USB printers by vendor:product).
    UdevRules,
}

#[derive(Debug, Subcommand)]
enum FleetCommand {
    /// Lists every terminal's last heartbeat: config versions and
    /// problems, devices that need a look, supplies, outbox; sorted by
    /// branch, then terminal.
    Status {
        /// The platform's base URL (http:// or https://).
        #[arg(long, value_name = "URL")]
        platform: String,
        #[command(flatten)]
        tls: AdminTls,
        /// Only this district's terminals.
        #[arg(long, value_name = "ID", value_parser = scope_id)]
        district: Option<String>,
        /// Only this branch's terminals.
        #[arg(long, value_name = "ID", value_parser = scope_id)]
        branch: Option<String>,
        /// The platform's JSON (pretty) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Reads a PIN (6-8 digits) from standard input, never from the
    /// command line, and prints its argon2id hash, made with the fleet's
    /// PIN pepper, for `[staff] pins`; with `--id`, the whole entry ("ID
    /// HASH").
    HashPin {
        /// The staff member's id (2-16 characters of A-Z, 0-9 and '-').
        #[arg(long)]
        id: Option<String>,
        /// The file holding the fleet's PIN pepper (the one terminals name
        /// as `[staff] pin_pepper_file`): hashes made without it open
        /// nothing.
        #[arg(long, value_name = "FILE")]
        pepper_file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Validates a config folder (fleet.toml, district.toml, branch.toml,
    /// terminal.toml over the built-in defaults). Prints the merged config
    /// with the layer that set each key, or every error; exits 1 on errors.
    /// The platform's TLS files (`platform.ca_cert`, `client_cert`,
    /// `client_key`) are read and checked too: PEM, a key that goes with
    /// the certificate and only its owner can read.
    Check {
        /// The folder.
        dir: PathBuf,
        /// Where relative TLS file paths are (the kiosk's data folder;
        /// default /var/lib/tongban).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Signs the scope's layer of a config folder (branch.toml for
    /// branch:ID …) with the fleet key into a bundle file, once it
    /// validates over the built-in defaults.
    Sign {
        /// The fleet key (fleet.key from `kioskctl keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Where the bundle applies: fleet, district:ID, branch:ID or
        /// terminal:ID.
        #[arg(long)]
        scope: Scope,
        /// The bundle's version: greater than every earlier one for the
        /// scope.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        version: u64,
        /// Days until terminals stop taking it (1-365).
        #[arg(
            long,
            value_name = "D",
            default_value_t = 30,
            value_parser = clap::value_parser!(u32).range(1..=i64::from(fleet_admin::MAX_VALID_DAYS))
        )]
        expires_in_days: u32,
        /// The config folder holding the scope's layer.
        dir: PathBuf,
        /// The bundle file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Pushes a signed bundle file to the platform, which takes it only
    /// when the fleet key signed it, for its scope, newer than the one it
    /// serves and not expired; terminals fetch it at their next heartbeat.
    Push {
        /// The platform's base URL (http:// or https://).
        #[arg(long, value_name = "URL")]
        platform: String,
        #[command(flatten)]
        tls: AdminTls,
        /// The bundle file (from `kioskctl config sign`).
        file: PathBuf,
    },
}

/// The fleet admin's TLS files, for a platform that requires client
/// certificates (any certificate from its client CA).
#[derive(Debug, clap::Args)]
struct AdminTls {
    /// The platform's CA certificate (PEM): the only root trusted.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// The admin's client certificate (PEM), from the platform's client CA.
    #[arg(long, value_name = "FILE", requires = "client_key")]
    client_cert: Option<PathBuf>,
    /// The admin's private key (PEM), readable by its owner only.
    #[arg(long, value_name = "FILE", requires = "client_cert")]
    client_key: Option<PathBuf>,
}

impl AdminTls {
    /// The client these files make (a plain one when none is given).
    fn client(&self, platform: &str) -> Result<FleetClient> {
        let tls = tongban::platform::tls::Tls::from_files(
            self.ca.as_deref(),
            self.client_cert.as_deref(),
            self.client_key.as_deref(),
        )
        .map_err(AdminError::from)?;
        Ok(FleetClient::with_tls(platform, tls.as_ref())?)
    }
}

/// A district's or branch's id as scopes take it (1-32 of A-Z, 0-9, '-').
fn scope_id(id: &str) -> Result<String, String> {
    format!("branch:{id}")
        .parse::<Scope>()
        .map(|_| id.to_owned())
        .map_err(|_| format!("{id:?} is not an id: use 1 to 32 of A-Z, 0-9 and '-'"))
}

/// What `show` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Topic {
    /// Each device's last state and since when.
    Devices,
    /// Supply counters, use per day and days left.
    Supplies,
    /// Submissions waiting for the platform, and refused ones.
    Outbox,
    /// Print jobs by state, the uncertain ones, the latest ones.
    Journal,
    /// The staff audit log, newest first.
    Audit,
}

/// Where the terminal's store is, found as the kiosk finds it.
#[derive(Debug, Args)]
struct Place {
    /// Configuration folder (its store.path names the database). Default:
    /// /etc/tongban, or the sample in demo mode.
    #[arg(long, value_name = "DIR")]
    config: Option<PathBuf>,
    /// Folder for the database when config gives a relative path.
    /// Default: /var/lib/tongban, or the demo's temporary folder.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The demo kiosk's config and data.
    #[arg(long)]
    demo: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Config {
            command: ConfigCommand::Check { dir, data_dir },
        } => commands::config_check(dir, data_dir),
        Command::Config {
            command:
                ConfigCommand::Sign {
                    key,
                    scope,
                    version,
                    expires_in_days,
                    dir,
                    out,
                },
        } => report(commands::sign(
            &key,
            &scope,
            version,
            expires_in_days,
            &dir,
            &out,
        )),
        Command::Config {
            command:
                ConfigCommand::Push {
                    platform,
                    tls,
                    file,
                },
        } => report(commands::push(&platform, &tls, &file)),
        Command::Keygen { out } => report(commands::keygen(&out)),
        Command::Fleet {
            command:
                FleetCommand::Status {
                    platform,
                    tls,
                    district,
                    branch,
                    json,
                },
        } => report(commands::fleet_status(
            &platform,
            &tls,
            &fleet_admin::Filter { district, branch },
            json,
        )),
        Command::Devices {
            command,
            config,
            json,
        } => report(commands::devices_command(command, config.as_deref(), json)),
        Command::Staff {
            command: StaffCommand::HashPin { id, pepper_file },
        } => commands::hash_pin(id, pepper_file),
        Command::Show { what, place, json } => commands::show_topic(what, place, json),
    }
}

/// The exit code of a command, its error said on standard error.
fn report(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kioskctl: {error:#}");
            ExitCode::FAILURE
        }
    }
}
