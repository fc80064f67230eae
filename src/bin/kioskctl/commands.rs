//! What each `kioskctl` command does, once clap has read its arguments:
//! check and sign a config, push a bundle, make the fleet key, list the
//! fleet, hash a staff PIN, look at the devices, and show what the
//! terminal's store knows (in `show`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Local;
use tongban::paths;
use tongban_platform_api::fleet::{BundleFile, Scope};

use crate::fleet_admin::{self, AdminError};
use crate::{AdminTls, DevicesCommand};

mod show;

pub use show::show_topic;
use show::{age, table};

/// `kioskctl config check`: the merged config with the layer of each key,
/// or every error (the platform's TLS files and the PIN pepper included).
pub fn config_check(dir: PathBuf, data_dir: Option<PathBuf>) -> ExitCode {
    match kiosk_config::load_dir(&dir) {
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
            if let Some(Err(error)) = tongban::staff::Pepper::configured(&dir, &loaded.config.staff)
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
    }
}

/// `kioskctl keygen`.
pub fn keygen(dir: &Path) -> Result<()> {
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
pub fn sign(
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
pub fn push(platform: &str, tls: &AdminTls, file: &Path) -> Result<()> {
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
pub fn fleet_status(
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

/// `kioskctl staff hash-pin`: reads the PIN from standard input and
/// prints its hash (with the staff id, when given).
pub fn hash_pin(id: Option<String>, pepper_file: PathBuf) -> ExitCode {
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

/// `kioskctl devices`.
pub fn devices_command(
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

/// Every error of a config folder, on standard error.
fn print_config_errors(dir: &Path, errors: &kiosk_config::ConfigErrors) {
    eprintln!("{}: {} error(s)", dir.display(), errors.0.len());
    for error in &errors.0 {
        eprintln!("  {error}");
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
