//! `kioskctl`: the command line for fleet admins and branch staff. It
//! checks a configuration folder (the merged result, or every error), and
//! shows what the terminal knows about itself — devices, supplies, outbox,
//! print journal, audit log — from its store, opened read-only so a staff
//! command never changes the kiosk's data. For fleet admins it makes the
//! fleet key, signs a config layer into a bundle for a scope, pushes it to
//! the platform, and lists the fleet's health as the platform sees it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Local};
use clap::{Args, Parser, Subcommand, ValueEnum};
use tongban::facts::{self, Facts};
use tongban::paths;
use tongban::store::Store;
use tongban_device::DeviceKind;
use tongban_platform_api::fleet::{BundleFile, Scope};

use crate::fleet_admin::{AdminError, FleetClient};

// kioskctl's own parts: the fleet admin's side of config bundles, and
// what the machine has (for installers); the kiosk never uses them.
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
        } => match kiosk_config::load_dir(&dir) {
            Ok(loaded) => {
                // The kiosk will not talk to the platform without a usable
                // key: say so here, naming the file.
                let data_dir = paths::data_dir(data_dir.as_deref(), false);
                if let Err(error) =
                    tongban::platform::tls::Tls::load(&data_dir, &loaded.config.platform)
                {
                    eprintln!("{}: 1 error(s)", dir.display());
                    eprintln!("  {error}");
                    return ExitCode::FAILURE;
                }
                // Nor can staff sign in without the PIN pepper.
                if let Some(Err(error)) =
                    tongban::staff::Pepper::configured(&dir, &loaded.config.staff)
                {
                    eprintln!("{}: 1 error(s)", dir.display());
                    eprintln!("  {error}");
                    return ExitCode::FAILURE;
                }
                let layers: Vec<String> = loaded
                    .layers
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                println!("# {}: valid", dir.display());
                println!(
                    "# layers: defaults{}{}",
                    if layers.is_empty() { "" } else { " < " },
                    layers.join(" < ")
                );
                print!("{}", loaded.render());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                print_config_errors(&dir, &errors);
                ExitCode::FAILURE
            }
        },
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
        } => report(sign(&key, &scope, version, expires_in_days, &dir, &out)),
        Command::Config {
            command:
                ConfigCommand::Push {
                    platform,
                    tls,
                    file,
                },
        } => report(push(&platform, &tls, &file)),
        Command::Keygen { out } => report(keygen(&out)),
        Command::Fleet {
            command:
                FleetCommand::Status {
                    platform,
                    tls,
                    district,
                    branch,
                    json,
                },
        } => report(fleet_status(
            &platform,
            &tls,
            &fleet_admin::Filter { district, branch },
            json,
        )),
        Command::Devices {
            command,
            config,
            json,
        } => report(devices_command(command, config.as_deref(), json)),
        Command::Staff {
            command: StaffCommand::HashPin { id, pepper_file },
        } => {
            let pepper = match tongban::staff::Pepper::read(&pepper_file) {
                Ok(p) => p,
                Err(error) => {
                    eprintln!("kioskctl: {error}");
                    return ExitCode::FAILURE;
                }
            };
            let mut line = zeroize::Zeroizing::new(String::new());
            if let Err(error) = std::io::stdin().read_line(&mut line) {
                eprintln!("kioskctl: cannot read the PIN from standard input: {error}");
                return ExitCode::FAILURE;
            }
            match tongban::staff::hash_pin(line.trim(), &pepper) {
                Ok(hash) => {
                    match id {
                        Some(id) => println!("{id} {hash}"),
                        None => println!("{hash}"),
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("kioskctl: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Show { what, place, json } => {
            let config_dir = paths::config_dir(place.config.as_deref(), place.demo);
            let config = match kiosk_config::load_dir(&config_dir) {
                Ok(loaded) => loaded.config,
                Err(errors) => {
                    print_config_errors(&config_dir, &errors);
                    eprintln!(
                        "The store is found through the config: fix it, or name another with --config."
                    );
                    return ExitCode::FAILURE;
                }
            };
            let data_dir = paths::data_dir(place.data_dir.as_deref(), place.demo);
            let store_path = paths::store_path(&data_dir, &config);
            match show(&store_path, what, json) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("kioskctl: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn print_config_errors(dir: &Path, errors: &kiosk_config::ConfigErrors) {
    eprintln!("{}: {} error(s)", dir.display(), errors.0.len());
    for error in &errors.0 {
        eprintln!("  {error}");
    }
}

/// `kioskctl devices`.
fn devices_command(
    command: Option<DevicesCommand>,
    config: Option<&Path>,
    json: bool,
) -> Result<()> {
    use crate::hardware;
    let dir = paths::config_dir(config, false);
    let loaded = kiosk_config::load_dir(&dir);
    let print = |value: serde_json::Result<String>, text: String| -> Result<()> {
        if json {
            println!("{}", value?);
        } else {
            print!("{text}");
        }
        Ok(())
    };
    let config = match (&command, loaded) {
        (_, Ok(loaded)) => Some(loaded.config),
        (None, Err(errors)) => {
            print_config_errors(&dir, &errors);
            None
        }
        (Some(_), Err(errors)) => {
            print_config_errors(&dir, &errors);
            bail!(
                "the devices are found through the config: fix it, or name another with --config"
            );
        }
    };
    match (command, config) {
        (None, config) => {
            let listing = hardware::listing(config.as_ref().map(|c| &c.devices));
            print(serde_json::to_string_pretty(&listing), listing.render())?;
            if config.is_none() {
                bail!(
                    "configured devices not marked: {} could not be read",
                    dir.display()
                );
            }
            Ok(())
        }
        (Some(DevicesCommand::Probe { name, wait }), Some(config)) => {
            let times = hardware::ProbeTimes {
                scan: std::time::Duration::from_secs(wait),
                ..hardware::ProbeTimes::default()
            };
            let probe = hardware::probe(&config.devices, name, times);
            print(serde_json::to_string_pretty(&probe), probe.render())?;
            match &probe.error {
                Some(error) => bail!("{name} does not answer: {error}"),
                None => Ok(()),
            }
        }
        (Some(DevicesCommand::UdevRules), Some(config)) => {
            let rules = hardware::udev_rules(&config, &dir.display().to_string())
                .map_err(|e| anyhow::anyhow!("{}: cannot make udev rules:\n{e}", dir.display()))?;
            print!("{rules}");
            Ok(())
        }
        (Some(_), None) => unreachable!("a subcommand needs the config"),
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

/// Runs a call to the platform on a runtime of its own (one thread).
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    Ok(runtime.block_on(future))
}

/// `kioskctl keygen`.
fn keygen(dir: &Path) -> Result<()> {
    let key = fleet_admin::generate_key()?;
    let files = fleet_admin::write_key_pair(dir, &key)?;
    let public = &files.public_base64;
    println!("public key: {public}");
    println!(
        "secret:     {} (mode 0600: keep it with the fleet admin, never on a terminal or the platform)",
        files.secret.display()
    );
    println!("public:     {}", files.public.display());
    println!();
    println!("Pin the public key on every terminal as platform.fleet_public_key in fleet.toml:");
    println!("  [platform]");
    println!("  fleet_public_key = \"{public}\"");
    println!("and give the platform the same key, so it takes only bundles signed with this one.");
    Ok(())
}

/// `kioskctl config sign`.
fn sign(
    key_path: &Path,
    scope: &Scope,
    version: u64,
    valid_days: u32,
    dir: &Path,
    out: &Path,
) -> Result<()> {
    let key = fleet_admin::read_key(key_path)?;
    if let Some(mode) = key.loose_mode {
        eprintln!(
            "kioskctl: warning: {} has mode {mode:04o}, so others than its owner can read the fleet key; chmod 600 it",
            key_path.display()
        );
    }
    let now = Local::now().fixed_offset();
    let bundle = match fleet_admin::bundle_from_dir(dir, scope, version, now, valid_days) {
        Err(AdminError::Config { path, errors }) => {
            print_config_errors(&path, &errors);
            bail!("nothing signed: {} must validate first", path.display());
        }
        other => other?,
    };
    let bytes = fleet_admin::bundle_file_bytes(&BundleFile::seal(&key.key, &bundle));
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    let layer: Vec<&str> = bundle.files.keys().map(String::as_str).collect();
    println!("signed:   {}", out.display());
    println!("scope:    {scope} ({})", layer.join(", "));
    println!("version:  {version}");
    println!("expires:  {} (in {valid_days} days)", bundle.expires_at);
    println!("sha256:   {}", fleet_admin::sha256_hex(&bytes));
    Ok(())
}

/// `kioskctl config push`.
fn push(platform: &str, tls: &AdminTls, file: &Path) -> Result<()> {
    let client = tls.client(platform)?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let bundle = fleet_admin::peek(file, &bytes)?;
    let url = client.bundle_url(&bundle.scope);
    match block_on(client.push(&bundle.scope, bytes))? {
        Ok(pushed) => {
            println!("pushed:   {} version {}", pushed.scope, pushed.version);
            println!("served:   {url}");
            println!("Terminals in that scope fetch it with their next heartbeat.");
            Ok(())
        }
        Err(error @ AdminError::Status { code, .. }) => {
            let hint = if code == 403 {
                " (was it signed with the fleet key the platform holds?)"
            } else {
                ""
            };
            Err(anyhow::Error::new(error)
                .context(format!("the platform did not take the bundle{hint}")))
        }
        Err(error) => Err(error.into()),
    }
}

/// `kioskctl fleet status`.
fn fleet_status(
    platform: &str,
    tls: &AdminTls,
    filter: &fleet_admin::Filter,
    json: bool,
) -> Result<()> {
    let client = tls.client(platform)?;
    let view = block_on(client.terminals(filter))?.context("cannot read the fleet's health")?;
    if json {
        print!("{}", fleet_admin::pretty_json(&view.body)?);
        return Ok(());
    }
    let mut terminals = view.terminals;
    if terminals.is_empty() {
        let within = match (&filter.district, &filter.branch) {
            (_, Some(branch)) => format!(" of branch {branch}"),
            (Some(district), None) => format!(" of district {district}"),
            (None, None) => String::new(),
        };
        println!("No terminal{within} has sent a heartbeat to this platform.");
        return Ok(());
    }
    fleet_admin::sort_for_table(&mut terminals);
    let rows: Vec<Vec<String>> = terminals
        .iter()
        .map(|t| {
            vec![
                t.terminal.clone(),
                t.branch.clone().unwrap_or_else(|| "-".into()),
                format!("{} ago", age(t.seconds_since)),
                fleet_admin::versions(&t.config),
                fleet_admin::devices(&t.devices),
                fleet_admin::supply(&t.supplies, tongban::store::A4_SHEETS),
                fleet_admin::supply(&t.supplies, tongban::store::RECEIPT_MM),
                t.outbox_depth.to_string(),
                fleet_admin::disk(t.disk.as_ref()),
                fleet_admin::problem(t.config_problem.as_ref()),
            ]
        })
        .collect();
    print!(
        "{}",
        table(
            &[
                "TERMINAL",
                "BRANCH",
                "HEARTBEAT",
                "CONFIG",
                "DEVICES",
                "A4 SHEETS",
                "RECEIPT MM",
                "OUTBOX",
                "DISK",
                "CONFIG PROBLEM",
            ],
            &rows,
        )
    );
    Ok(())
}

/// Reads the facts from the store at `path` and prints one topic.
fn show(path: &Path, what: Topic, json: bool) -> Result<()> {
    let store = Store::open_read_only(path).context("cannot read the terminal's store")?;
    let now = Local::now();
    let facts = facts::load(&store, now)
        .with_context(|| format!("cannot read the terminal's store {}", path.display()))?;
    drop(store);
    let text = if json {
        let mut text = serde_json::to_string_pretty(&as_json(&facts, what))?;
        text.push('\n');
        text
    } else {
        match what {
            Topic::Devices => devices(&facts),
            Topic::Supplies => supplies(&facts),
            Topic::Outbox => outbox(&facts),
            Topic::Journal => journal(&facts),
            Topic::Audit => audit(&facts),
        }
    };
    print!("{text}");
    Ok(())
}

/// The part of the facts one topic shows, as JSON.
fn as_json(facts: &Facts, what: Topic) -> serde_json::Value {
    use serde_json::json;
    match what {
        Topic::Devices => json!(
            DeviceKind::ALL
                .iter()
                .map(|kind| {
                    let found = facts.devices.iter().find(|d| d.status.kind == *kind);
                    json!({
                        "kind": kind.as_str(),
                        "status": found.map(|d| &d.status),
                        "at": found.map(|d| &d.at),
                    })
                })
                .collect::<Vec<_>>()
        ),
        Topic::Supplies => json!(facts.supplies),
        Topic::Outbox => json!({
            "depth": facts.outbox_depth,
            "rejected": facts.outbox_rejected,
            "oldest_secs": facts.outbox_oldest_secs,
        }),
        Topic::Journal => json!({
            "counts": facts.journal,
            "uncertain": facts.uncertain,
            "recent": facts.recent_jobs,
        }),
        Topic::Audit => json!(facts.audit),
    }
}

/// Rows under a header, each column as wide as its widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// An RFC 3339 time as staff read it, in the offset it was written with.
fn when(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| at.to_owned())
}

/// A state word of the device vocabulary (`out`, `closed`), or `-`.
fn word<T: serde::Serialize>(value: Option<T>) -> String {
    value
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "-".into())
}

/// A duration in seconds as staff read it: 45 s, 12 min, 3 h 5 min, 2 d 4 h.
fn age(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..86_400 => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        _ => format!("{} d {} h", secs / 86_400, secs % 86_400 / 3600),
    }
}

fn devices(facts: &Facts) -> String {
    let rows: Vec<Vec<String>> = DeviceKind::ALL
        .iter()
        .map(
            |kind| match facts.devices.iter().find(|d| d.status.kind == *kind) {
                Some(d) => vec![
                    kind.as_str().into(),
                    d.status.state.as_str().into(),
                    word(d.status.media),
                    word(d.status.toner),
                    word(d.status.cover),
                    when(&d.at),
                ],
                None => vec![kind.as_str().into(), "never reported".into()],
            },
        )
        .collect();
    table(
        &["DEVICE", "STATE", "MEDIA", "TONER", "COVER", "SINCE"],
        &rows,
    )
}

fn supplies(facts: &Facts) -> String {
    if facts.supplies.is_empty() {
        return "No supply counters are set (staff set them when restocking).\n".into();
    }
    let rows: Vec<Vec<String>> = facts
        .supplies
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.remaining.to_string(),
                s.per_day.map_or("-".into(), |r| format!("{r:.1}")),
                s.days_left.map_or("-".into(), |d| format!("{d:.1}")),
                when(&s.updated_at),
            ]
        })
        .collect();
    let mut out = table(
        &["SUPPLY", "REMAINING", "PER DAY", "DAYS LEFT", "UPDATED"],
        &rows,
    );
    out.push_str(&format!(
        "(use per day over the last {} days)\n",
        facts::USAGE_WINDOW_DAYS
    ));
    out
}

fn outbox(facts: &Facts) -> String {
    format!(
        "waiting:   {}\nrefused:   {}{}\noldest:    {}\n",
        facts.outbox_depth,
        facts.outbox_rejected,
        if facts.outbox_rejected > 0 {
            " (kept on the terminal; see the log for why)"
        } else {
            ""
        },
        facts
            .outbox_oldest_secs
            .map_or("-".into(), |s| format!("{} waiting", age(s))),
    )
}

fn job_rows(jobs: &[tongban::store::JobRecord]) -> Vec<Vec<String>> {
    jobs.iter()
        .map(|j| {
            vec![
                j.id.to_string(),
                j.printer.clone(),
                j.kind.clone(),
                format!("{}/{}", j.printed, j.pages),
                j.state.to_string(),
                if j.ticket.is_empty() {
                    "-".into()
                } else {
                    j.ticket.clone()
                },
                when(&j.updated_at),
                j.reason.clone(),
            ]
        })
        .collect()
}

fn journal(facts: &Facts) -> String {
    let c = &facts.journal;
    let mut out = format!(
        "journalled {}  sending {}  printed {}  failed {}  uncertain {}\n",
        c.journalled, c.sending, c.printed, c.failed, c.uncertain
    );
    let header = [
        "ID", "PRINTER", "KIND", "PAGES", "STATE", "TICKET", "TIME", "REASON",
    ];
    if !facts.uncertain.is_empty() {
        out.push_str("\nUncertain jobs (check what came out, then resolve them on the maintenance screen):\n");
        out.push_str(&table(&header, &job_rows(&facts.uncertain)));
    }
    if !facts.recent_jobs.is_empty() {
        out.push_str("\nLatest jobs:\n");
        out.push_str(&table(&header, &job_rows(&facts.recent_jobs)));
    }
    out
}

fn audit(facts: &Facts) -> String {
    if facts.audit.is_empty() {
        return "The audit log is empty.\n".into();
    }
    let rows: Vec<Vec<String>> = facts
        .audit
        .iter()
        .map(|e| {
            vec![
                when(&e.at),
                e.actor.clone(),
                e.action.clone(),
                e.detail.clone(),
            ]
        })
        .collect();
    table(&["TIME", "STAFF", "ACTION", "DETAIL"], &rows)
}
