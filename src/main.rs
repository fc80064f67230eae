//! The kiosk binary: reads and validates the configuration, sets up logging
//! and the store, then runs the fullscreen UI. It refuses to start on an
//! invalid configuration and says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use tongban::app::{App, Options};
use tongban::devices;
use tongban::i18n::I18n;
use tongban::sd_notify::ServiceManager;
use tongban::store::Store;
use tongban::{fonts, logging, paths, theme};

/// Tongban (通办) self-service terminal.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Demo mode: the sample configuration, demo controls, data in a
    /// temporary folder.
    #[arg(long)]
    demo: bool,
    /// Configuration folder (fleet.toml, district.toml, branch.toml,
    /// terminal.toml). Default: /etc/tongban, or the sample in demo mode.
    #[arg(long, value_name = "DIR")]
    config: Option<PathBuf>,
    /// Folder for the database and logs when config gives relative paths.
    /// Default: /var/lib/tongban, or a temporary folder in demo mode.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A normal window instead of fullscreen (development).
    #[arg(long)]
    windowed: bool,
    /// Window size for --windowed, e.g. 1280x1024 or 1080x1920.
    #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "1920x1080")]
    size: (u32, u32),
    /// Exit as soon as the first frame is presented (to time start-up).
    #[arg(long)]
    exit_after_first_frame: bool,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, found {s:?}"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (320..=8192).contains(n))
            .ok_or_else(|| format!("{v:?} is not a size between 320 and 8192"))
    };
    Ok((parse(w)?, parse(h)?))
}

/// FNV-1a: a stable fingerprint of the merged config for the store.
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn main() -> Result<()> {
    let started = Instant::now();
    // Before any thread exists: the service manager's variables leave the
    // environment.
    let service_manager = tongban::sd_notify::ServiceManager::take_env();
    let args = Args::parse();

    let (config_dir, loaded) = load_config(&args);
    let config = Arc::new(loaded.config.clone());

    let data_dir = paths::data_dir(args.data_dir.as_deref(), args.demo);
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    let _log_guard = start_logging(&data_dir, &config);
    let service_manager = connect_service_manager(service_manager);
    if args.demo {
        tracing::info!(data = %data_dir.display(), "demo mode: data, logs and printed output go to this folder");
        eprintln!("tongban demo: data and logs in {}", data_dir.display());
    }
    tracing::info!(
        terminal = %config.terminal.id,
        config = %config_dir.display(),
        layers = loaded.layers.len(),
        "starting"
    );

    let (fleet, config) = fleet_config(&args, &loaded, &data_dir, &config_dir, config);
    let store_path = paths::store_path(&data_dir, &config);
    let mut store = open_store(&store_path, &loaded)?;
    require_display()?;
    log_panics();
    let devices = start_devices(&args, &config, &data_dir, &store_path, &mut store);
    let (platform, demo_platform) = platform(&args, &config, &data_dir, &store_path, &fleet);

    let i18n = I18n::load().context("built-in texts are broken")?;
    let staff = StaffState::restore(&store, &config, &config_dir);
    let options = Options {
        platform,
        store: Some(store_path.clone()),
        config: config.clone(),
        demo: args.demo,
        exit_after_first_frame: args.exit_after_first_frame,
        started,
        fullscreen: !args.windowed,
        devices,
        staff_out_of_service: staff.out_of_service,
        pin_locked_for: staff.pin_locked_for,
        pin_failures: staff.pin_failures,
        staff_pepper: staff.pepper,
        service_manager,
        clock: tongban::clock::Clock::system(),
    };
    let result = run(&args, options, i18n);

    drop(demo_platform);
    shut_down(store);
    result.context("the window system failed")
}

/// The configuration folder and what it holds, merged; on an invalid
/// configuration, says every error and exits with status 2.
fn load_config(args: &Args) -> (PathBuf, kiosk_config::Loaded) {
    let config_dir = paths::config_dir(args.config.as_deref(), args.demo);
    let loaded = match kiosk_config::load_dir(&config_dir) {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprintln!(
                "tongban: refusing to start: the configuration in {} has {} error(s):",
                config_dir.display(),
                errors.0.len()
            );
            for error in &errors.0 {
                eprintln!("  {error}");
            }
            eprintln!(
                "Fix them (check with `kioskctl config check {}`) and start again.",
                config_dir.display()
            );
            std::process::exit(2);
        }
    };
    (config_dir, loaded)
}

/// Logs to the config's log folder (under `data_dir` when relative), or to
/// stderr alone when that folder cannot be used. Keep the guard until the
/// end: it flushes the file.
fn start_logging(data_dir: &Path, config: &kiosk_config::Config) -> Option<logging::LogGuard> {
    let log_dir = paths::resolve(data_dir, &config.logging.dir);
    match logging::init_capped(
        &log_dir,
        config.logging.level.as_str(),
        config.logging.keep_files as usize,
        u64::from(config.logging.max_file_mb) * 1024 * 1024,
    ) {
        Ok(guard) => Some(guard),
        Err(error) => {
            // Residents can still be served; staff see this on the console
            // and in the journal.
            logging::init_stderr(config.logging.level.as_str());
            tracing::error!(%error, "logging to stderr only");
            None
        }
    }
}

/// The link to the service manager (systemd's READY and watchdog), or
/// none when the kiosk was not started by one or the link fails.
fn connect_service_manager(
    taken: Result<Option<tongban::sd_notify::Settings>, tongban::sd_notify::NotifyError>,
) -> ServiceManager {
    match taken.and_then(|settings| {
        settings.map_or(Ok(ServiceManager::none()), |s| ServiceManager::start(&s))
    }) {
        Ok(manager) => manager,
        Err(error) => {
            // The kiosk still serves; without READY the service manager
            // will say the start timed out, and this line says why.
            tracing::error!(%error, "cannot talk to the service manager");
            ServiceManager::none()
        }
    }
}

/// The terminal's fleet config and the config the kiosk runs.
///
/// Fleet config: the bundles held layer over this folder's files (the
/// last known good if the applied ones do not hold). The fleet key is
/// the folder's own; the demo pins the sample fleet key.
fn fleet_config(
    args: &Args,
    loaded: &kiosk_config::Loaded,
    data_dir: &Path,
    config_dir: &Path,
    config: Arc<kiosk_config::Config>,
) -> (Option<tongban::fleet::Fleet>, Arc<kiosk_config::Config>) {
    let mut own = loaded.config.clone();
    if args.demo && own.platform.fleet_public_key.is_empty() {
        own.platform.fleet_public_key = tongban_platform_api::key_base64(
            &tongban_platform_api::fleet::sample_fleet_signing_key().verifying_key(),
        );
    }
    let fleet = tongban::fleet::Fleet::new(data_dir, config_dir, &own);
    let config = match &fleet {
        Some(fleet) => match fleet.load() {
            Ok(with_bundles) => {
                let applied = fleet.applied();
                if !applied.is_empty() {
                    tracing::info!(?applied, "fleet config bundles in force");
                }
                // (`Fleet::load` keeps the fleet key this folder pins.)
                Arc::new(with_bundles.config)
            }
            Err(error) => {
                tracing::error!(%error, "fleet config bundles not usable; running this folder's config");
                config
            }
        },
        None => config,
    };
    (fleet, config)
}

/// Opens the store, journals the print jobs the last run left half done
/// as uncertain, and records the config applied.
fn open_store(store_path: &Path, loaded: &kiosk_config::Loaded) -> Result<Store> {
    let mut store = match Store::open(store_path, Duration::from_secs(2)) {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(%error, "store unavailable");
            bail!("tongban: refusing to start: {error}");
        }
    };
    let layers = loaded
        .layers
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let now = chrono::Local::now().to_rfc3339();
    // Print jobs the last run left half done are uncertain, never guessed.
    match store.recover_jobs(&now) {
        Ok(ids) if !ids.is_empty() => {
            tracing::warn!(
                count = ids.len(),
                "print jobs left uncertain by the last stop"
            );
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "cannot check the print journal"),
    }
    if let Err(error) = store.record_config_applied(&fingerprint(&loaded.render()), &layers, &now) {
        // The kiosk can serve without this record; staff see it in the log.
        tracing::error!(%error, "cannot record the applied config");
    }
    Ok(store)
}

/// Refuses to start without a display: iced could only panic; this says
/// what is missing instead.
fn require_display() -> Result<()> {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if !has_display {
        tracing::error!("no display: neither DISPLAY nor WAYLAND_DISPLAY is set");
        bail!(
            "tongban: no display to show the kiosk on: neither DISPLAY nor WAYLAND_DISPLAY is set \
             (start it inside the kiosk session, or under Xvfb for tests)"
        );
    }
    Ok(())
}

/// A panic anywhere (such as a display that goes away) reaches the log
/// file too, not only stderr, so staff and the fleet see why it stopped.
fn log_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "the kiosk stopped on an internal error");
        default_hook(info);
    }));
}

/// The devices the kiosk runs (simulated ones in the demo, whose tray the
/// store counts as full).
fn start_devices(
    args: &Args,
    config: &kiosk_config::Config,
    data_dir: &Path,
    store_path: &Path,
    store: &mut Store,
) -> devices::Configured {
    let devices = devices::configure(args.demo, &config.devices, data_dir, store_path);
    if let Some(output) = &devices.demo_output {
        // The demo's tray starts full; staff tell a real terminal when they
        // restock.
        let at = chrono::Local::now().to_rfc3339();
        if let Err(error) = store.set_supply(
            tongban::store::A4_SHEETS,
            i64::from(devices::DEMO_TRAY_SHEETS),
            &at,
        ) {
            tracing::warn!(%error, "demo: cannot set the tray counter");
        }
        eprintln!("tongban demo: printed pages go to {}", output.display());
    }
    devices
}

/// The platform service the kiosk talks to, and the demo's reference
/// platform when it runs one.
type PlatformPair = (
    Option<tongban::platform::PlatformService>,
    Option<tongban::demo::ReferencePlatform>,
);

/// The platform service, and the demo's reference platform when one was
/// started (keep it until the kiosk stops).
///
/// In the demo, the reference platform (its own process, built beside the
/// kiosk) on a loopback port, unless the config folder names one (a demo
/// against a platform that outlives the kiosk, as the crash check runs
/// it); otherwise the one in config, if any.
fn platform(
    args: &Args,
    config: &kiosk_config::Config,
    data_dir: &Path,
    store_path: &Path,
    fleet: &Option<tongban::fleet::Fleet>,
) -> PlatformPair {
    if args.demo && config.platform.url.is_empty() {
        demo_platform(config, data_dir, store_path, fleet)
    } else if config.platform.url.is_empty() {
        (None, None)
    } else {
        (
            configured_platform(config, data_dir, store_path, fleet),
            None,
        )
    }
}

/// The demo's reference platform on a loopback port, and the service
/// that talks to it; none (the network shows offline) when it cannot
/// start.
fn demo_platform(
    config: &kiosk_config::Config,
    data_dir: &Path,
    store_path: &Path,
    fleet: &Option<tongban::fleet::Fleet>,
) -> PlatformPair {
    match tongban::demo::ReferencePlatform::start(data_dir) {
        Ok(p) => {
            tracing::info!(url = %p.url, "demo: reference platform");
            let service = tongban::platform::PlatformService {
                url: p.url.clone(),
                public_key: tongban_platform_api::key_base64(
                    &tongban_platform_api::sample_signing_key().verifying_key(),
                ),
                terminal: config.terminal.id.clone(),
                store: store_path.to_owned(),
                heartbeat: Duration::from_secs(30),
                catalogue_every: Duration::from_secs(600),
                refused_keep: Duration::from_secs(config.store.refused_keep_days * 86_400),
                fleet: fleet.clone(),
                tls: None,
            };
            (Some(service), Some(p))
        }
        Err(error) => {
            tracing::error!(%error, "demo: no reference platform; the network shows offline");
            (None, None)
        }
    }
}

/// The platform the config names, over mutual TLS: the pinned CA and this
/// terminal's certificate and key, read and checked once, before the UI
/// runs. Without a usable key the terminal does not talk to the platform
/// at all.
fn configured_platform(
    config: &kiosk_config::Config,
    data_dir: &Path,
    store_path: &Path,
    fleet: &Option<tongban::fleet::Fleet>,
) -> Option<tongban::platform::PlatformService> {
    match tongban::platform::tls::Tls::load(data_dir, &config.platform) {
        Ok(tls) => Some(tongban::platform::PlatformService {
            url: config.platform.url.clone(),
            public_key: config.platform.public_key.clone(),
            terminal: config.terminal.id.clone(),
            store: store_path.to_owned(),
            heartbeat: Duration::from_secs(u64::from(config.platform.heartbeat_secs)),
            catalogue_every: Duration::from_secs(u64::from(config.platform.catalogue_sync_secs)),
            refused_keep: Duration::from_secs(config.store.refused_keep_days * 86_400),
            fleet: fleet.clone(),
            tls,
        }),
        Err(error) => {
            tracing::error!(%error, "the platform's TLS files are not usable; running without the platform");
            eprintln!("tongban: running without the platform: {error}");
            None
        }
    }
}

/// What staff left behind that outlasts a restart, and the PIN pepper.
struct StaffState {
    /// Out of service by staff, with the notice shown.
    out_of_service: Option<kiosk_config::Localized>,
    /// How long PIN entry stays locked.
    pin_locked_for: Option<Duration>,
    /// Wrong PINs counted so far.
    pin_failures: u32,
    /// The PIN pepper; without it maintenance mode cannot be opened.
    pepper: Option<tongban::staff::Pepper>,
}

impl StaffState {
    /// Reads it from the store and the terminal's own config, logging
    /// what cannot be read (the kiosk serves residents regardless).
    fn restore(store: &Store, config: &kiosk_config::Config, config_dir: &Path) -> Self {
        // Out of service by staff survives a restart.
        let out_of_service = match store.state(tongban::app::OUT_OF_SERVICE) {
            Ok(value) => tongban::app::stored_out_of_service(value.as_deref()),
            Err(error) => {
                tracing::error!(%error, "cannot read whether staff took the terminal out of service");
                None
            }
        };
        // A PIN lockout outlasts a restart.
        let pin_locked_for =
            match tongban::app::stored_lock(store, config.staff.lockout(), chrono::Local::now()) {
                Ok(left) => left,
                Err(error) => {
                    tracing::error!(%error, "cannot read whether staff PIN entry is locked");
                    None
                }
            };
        let pin_failures = tongban::app::stored_failures(store).unwrap_or_else(|error| {
            tracing::error!(%error, "cannot read the wrong staff PINs counted before");
            0
        });
        if let Some(left) = pin_locked_for {
            tracing::warn!(
                seconds = left.as_secs(),
                "staff PIN entry still locked from before the restart"
            );
        }
        if out_of_service.is_some() {
            tracing::info!("out of service by staff (kept from before the restart)");
        }
        // The PIN pepper, from the file the terminal's own config names
        // (relative paths under the config folder).
        let pepper = match tongban::staff::Pepper::configured(config_dir, &config.staff) {
            Some(Ok(pepper)) => Some(pepper),
            Some(Err(error)) => {
                tracing::error!(%error, "no PIN pepper: maintenance mode cannot be opened");
                None
            }
            None => None,
        };
        Self {
            out_of_service,
            pin_locked_for,
            pin_failures,
            pepper,
        }
    }
}

/// Runs the UI until the window system stops it: fullscreen, or a normal
/// window of `--size` with `--windowed`.
fn run(args: &Args, options: Options, i18n: I18n) -> iced::Result {
    let window = iced::window::Settings {
        size: iced::Size::new(args.size.0 as f32, args.size.1 as f32),
        fullscreen: !args.windowed,
        decorations: args.windowed,
        resizable: args.windowed,
        // Kiosk mode: a close request (Alt+F4 under a window manager, the
        // compositor's close) leaves the kiosk on screen; `App` logs it.
        exit_on_close_request: args.windowed,
        ..iced::window::Settings::default()
    };

    iced::application(
        move || App::boot(options.clone(), i18n.clone()),
        App::update,
        App::view,
    )
    .title(App::title)
    .subscription(App::subscription)
    .theme(|_: &App| theme::theme())
    .style(App::style)
    .window(window)
    .font(fonts::TONGBAN_SANS)
    .default_font(fonts::DEFAULT_FONT)
    .antialiasing(true)
    .run()
}

/// After the UI: journals the print jobs still open as uncertain and
/// checkpoints the store.
fn shut_down(mut store: Store) {
    // A print job still open now never gets its end from the printer
    // thread: journal it as uncertain for staff, now rather than at the
    // next start.
    match store.recover_jobs(&chrono::Local::now().to_rfc3339()) {
        Ok(ids) if !ids.is_empty() => tracing::warn!(
            count = ids.len(),
            "print jobs open at the stop journalled as uncertain"
        ),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "cannot journal the open print jobs at the stop"),
    }
    if let Err(error) = store.checkpoint() {
        tracing::warn!(%error, "store checkpoint at shutdown failed");
    }
    drop(store);
    tracing::info!("stopped");
}
