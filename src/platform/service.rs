//! The platform service's thread and its loop: what it needs
//! ([`PlatformService`]), how it starts (its runtime, its store
//! connection, the held or shipped catalogue), and each beat — the
//! heartbeat and the platform's commands, the catalogue when due, the
//! outbox, the purge of old refused forms — then a sleep that staff can
//! cut short.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ed25519_dalek::VerifyingKey;
use tongban_platform_api::fleet::{AppliedBundle, ConfigProblem};
use tongban_platform_api::terminal::{Command, DeviceReport, Heartbeat, StaffAction};

use super::bundles::{expire_bundles, sync_bundles};
use super::catalogue::emit_catalogue;
use super::{
    Client, ClientError, ClientOptions, DeviceSink, Fetched, PlatformEvent,
    STAFF_ACTIONS_PER_HEARTBEAT, SyncOutcome, apply_catalogue, drain_chunk,
    drop_old_refused_bodies, seed, sync_catalogue, tls,
};
use crate::store::{AuditEntry, Store};

/// What the platform service needs; a change restarts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlatformService {
    /// The platform's base URL.
    pub url: String,
    /// Its pinned public key, base64.
    pub public_key: String,
    /// This terminal's id.
    pub terminal: String,
    /// The kiosk's store (catalogue, outbox).
    pub store: PathBuf,
    /// Between heartbeats.
    pub heartbeat: Duration,
    /// Between catalogue checks.
    pub catalogue_every: Duration,
    /// How long a refused submission keeps its body
    /// (`store.refused_keep_days`).
    pub refused_keep: Duration,
    /// Fleet config bundles, when a fleet key is pinned.
    pub fleet: Option<crate::fleet::Fleet>,
    /// Mutual TLS (pinned CA, this terminal's certificate), when the
    /// config sets it; read before the service starts.
    pub tls: Option<tls::Tls>,
}

impl PlatformService {
    /// A client of this platform, over mutual TLS when configured.
    pub fn client(&self, options: ClientOptions) -> Result<Client, ClientError> {
        Client::with_tls(&self.url, options, self.tls.as_ref())
    }
}

/// The platform service's thread: a heartbeat every `heartbeat` (with
/// the staff actions not yet reported, marked once the platform took
/// them), the catalogue when due or asked for, the outbox whenever it
/// holds anything — on its own current-thread runtime and its own store
/// connection, never on the UI's.
pub fn run_service(
    service: &PlatformService,
    stop: &AtomicBool,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    lower_thread_priority();
    let (device_tx, device_rx) = std::sync::mpsc::channel();
    let wake = std::sync::Arc::new(AtomicBool::new(false));
    emit(PlatformEvent::Ready(DeviceSink(device_tx, wake.clone())));
    let Some(runtime) = start_runtime() else {
        return;
    };
    let Some(mut store) = open_store(service, stop) else {
        return;
    };
    let key = pinned_key(service);
    show_held_catalogue(&mut store, key.as_ref(), emit);
    release_freed_memory();
    let client = match service.client(ClientOptions::default()) {
        Ok(c) => c,
        Err(error) => {
            tracing::error!(%error, "platform client cannot start");
            return;
        }
    };
    Beats {
        service,
        stop,
        client,
        key,
        store,
        runtime,
        wake,
        device_rx,
        devices: Vec::new(),
        catalogue_due: Instant::now(),
        purge_due: Instant::now(),
        online: None,
        config_problem: service.fleet.as_ref().and_then(|f| {
            f.problems_at(chrono::Local::now().fixed_offset())
                .into_iter()
                .next()
        }),
        bundle_tags: BTreeMap::new(),
        in_force: service.fleet.as_ref().map(|f| f.applied()),
    }
    .run(emit);
}

/// The service's own current-thread runtime, or `None` (logged) when it
/// cannot be built.
fn start_runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => Some(r),
        Err(error) => {
            tracing::error!(%error, "platform service cannot start");
            None
        }
    }
}

/// The service's own store connection, retried every 5 s until it opens;
/// `None` when stopped meanwhile.
fn open_store(service: &PlatformService, stop: &AtomicBool) -> Option<Store> {
    loop {
        match Store::open(&service.store, Duration::from_secs(2)) {
            Ok(s) => return Some(s),
            Err(error) => {
                tracing::error!(%error, "platform service: store unavailable; retrying");
                if sleep_unless_stopped(Duration::from_secs(5), stop, None) {
                    return None;
                }
            }
        }
    }
}

/// The pinned platform key, or `None` (logged): then no catalogue is
/// taken.
fn pinned_key(service: &PlatformService) -> Option<VerifyingKey> {
    match tongban_platform_api::verifying_key(&service.public_key) {
        Ok(k) => Some(k),
        Err(error) => {
            tracing::error!(%error, "no usable platform key pinned; catalogues will not be taken");
            None
        }
    }
}

/// Hands the UI the held catalogue, verified; none (first boot), or one
/// dropped because it no longer verifies: the shipped one, if the pinned
/// key vouches for it.
fn show_held_catalogue(
    store: &mut Store,
    key: Option<&VerifyingKey>,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    if !emit_catalogue(store, key, emit) {
        // First boot: the shipped catalogue, if the pinned key vouches for it.
        if let (Some(key), Ok(None)) = (key, store.catalogue())
            && let Ok(seed) = seed()
        {
            let at = chrono::Local::now().to_rfc3339();
            match apply_catalogue(
                Fetched::Catalogue {
                    signed: seed,
                    etag: String::new(),
                },
                key,
                store,
                &at,
            ) {
                Ok(outcome) => tracing::info!(?outcome, "first-boot catalogue"),
                Err(error) => tracing::warn!(%error, "first-boot catalogue not stored"),
            }
        }
        emit_catalogue(store, key, emit);
    }
}

/// The service's loop: what it works with, and what it keeps from one
/// beat to the next.
///
/// Fields drop in the order declared: the client before the store and
/// the runtime its connections ran on, as the thread's locals did.
struct Beats<'a> {
    service: &'a PlatformService,
    stop: &'a AtomicBool,
    client: Client,
    key: Option<VerifyingKey>,
    store: Store,
    runtime: tokio::runtime::Runtime,
    /// Set by staff ([`DeviceSink::sync_now`]) to cut the wait short.
    wake: std::sync::Arc<AtomicBool>,
    /// Device states from the UI.
    device_rx: std::sync::mpsc::Receiver<Vec<DeviceReport>>,
    /// The device states last heard of.
    devices: Vec<DeviceReport>,
    catalogue_due: Instant,
    purge_due: Instant,
    /// Whether the platform answered the last heartbeat (`None` before
    /// the first).
    online: Option<bool>,
    // The last bundle refused or rolled back, reported until one applies;
    // the ETag of the bundle last fetched per scope.
    // A bundle held but set aside at start (expired, or older than one
    // already taken) is reported the same way.
    config_problem: Option<ConfigProblem>,
    bundle_tags: BTreeMap<String, String>,
    /// The bundles in force, to notice one expiring while the kiosk runs.
    in_force: Option<Vec<AppliedBundle>>,
}

impl Beats<'_> {
    /// Beats until stopped: fleet expiry, the heartbeat, then — while the
    /// platform answers — the catalogue and the outbox; the purge when
    /// due; then a sleep until the next beat (or a staff sync).
    fn run(&mut self, emit: &mut dyn FnMut(PlatformEvent)) {
        while !self.stop.load(Ordering::SeqCst) {
            let beat_started = Instant::now();
            if let Some(fleet) = &self.service.fleet {
                expire_bundles(fleet, &mut self.in_force, &mut self.config_problem, emit);
            }
            if self.wake.swap(false, Ordering::SeqCst) {
                tracing::info!("sync asked for by staff");
            }
            if let Some(latest) = self.device_rx.try_iter().last() {
                self.devices = latest;
            }
            self.heartbeat(emit);
            if self.online == Some(true) {
                self.sync_catalogue_when_due(emit);
                self.drain_until_next_beat(beat_started, emit);
            }
            if Instant::now() >= self.purge_due {
                drop_old_refused_bodies(&mut self.store, self.service.refused_keep);
                self.purge_due = Instant::now() + Duration::from_secs(3600);
            }
            emit(PlatformEvent::Outbox(
                self.store.outbox_depth().unwrap_or(0),
            ));
            if sleep_unless_stopped(
                self.service
                    .heartbeat
                    .saturating_sub(beat_started.elapsed()),
                self.stop,
                Some(&self.wake),
            ) {
                return;
            }
        }
    }

    /// Sends a heartbeat: marks the staff actions it carried as reported
    /// once the platform has them, tells the UI when the platform comes
    /// or goes, and does what the reply asks.
    fn heartbeat(&mut self, emit: &mut dyn FnMut(PlatformEvent)) {
        // Staff actions not yet reported, oldest first; more follow with
        // the next heartbeats.
        let staff_actions = self
            .store
            .unreported_audit(STAFF_ACTIONS_PER_HEARTBEAT)
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "staff actions unreadable; not reported this time");
                Vec::new()
            });
        let beat = self.beat(&staff_actions);
        match self.runtime.block_on(self.client.heartbeat(&beat)) {
            Ok(reply) => {
                // The platform has them: they are not sent again.
                let ids: Vec<i64> = staff_actions.iter().map(|(id, _)| *id).collect();
                if let Err(error) = self.store.mark_audit_reported(&ids) {
                    tracing::warn!(%error, "staff actions sent but not marked; they go again");
                }
                if self.online != Some(true) {
                    tracing::info!("platform online");
                    emit(PlatformEvent::Online);
                    self.online = Some(true);
                }
                self.obey(reply.commands, emit);
            }
            Err(error) => {
                if self.online != Some(false) {
                    tracing::warn!(%error, "platform offline");
                    emit(PlatformEvent::Offline(error.to_string()));
                    self.online = Some(false);
                }
            }
        }
    }

    /// The heartbeat to send now, carrying `staff_actions`.
    fn beat(&self, staff_actions: &[(i64, AuditEntry)]) -> Heartbeat {
        let service = self.service;
        let store = &self.store;
        Heartbeat {
            terminal: service.terminal.clone(),
            at: chrono::Local::now().to_rfc3339(),
            catalogue_version: store.catalogue_tag().ok().flatten().map(|(v, _)| v),
            district: service.fleet.as_ref().and_then(|f| f.district()),
            branch: service.fleet.as_ref().and_then(|f| f.branch()),
            config: service
                .fleet
                .as_ref()
                .map(|f| f.applied())
                .unwrap_or_default(),
            config_problem: self.config_problem.clone(),
            // Device states come from the UI; supplies from the store.
            devices: self.devices.clone(),
            supplies: store
                .supplies()
                .unwrap_or_default()
                .into_iter()
                .map(|(name, remaining)| tongban_platform_api::terminal::Supply { name, remaining })
                .collect(),
            outbox_depth: store.outbox_depth().unwrap_or(0),
            staff_actions: staff_actions
                .iter()
                .map(|(_, e)| StaffAction {
                    at: e.at.clone(),
                    staff: e.actor.clone(),
                    action: e.action.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
            // Measured now, off the UI thread; low as the store's disk
            // guard judges it (`store.min_free_mb`).
            disk: crate::disk::report(&service.store),
        }
    }

    /// Does what the platform asked in its reply: a catalogue sync at
    /// once, a config sync (the bundles of each scope), or — anything
    /// else — whatever the UI does with it.
    fn obey(&mut self, commands: Vec<Command>, emit: &mut dyn FnMut(PlatformEvent)) {
        let mut sync_config = false;
        for command in commands {
            tracing::info!(?command, "platform command");
            match command {
                Command::SyncCatalogue => self.catalogue_due = Instant::now(),
                Command::SyncConfig => sync_config = true,
                other => emit(PlatformEvent::Command(other)),
            }
        }
        if sync_config && let Some(fleet) = &self.service.fleet {
            sync_bundles(
                &self.runtime,
                &self.client,
                fleet,
                &mut self.bundle_tags,
                &mut self.config_problem,
                emit,
            );
            self.in_force = Some(fleet.applied());
        }
    }

    /// Syncs the catalogue when due (and a key is pinned); a newer one
    /// goes to the UI.
    fn sync_catalogue_when_due(&mut self, emit: &mut dyn FnMut(PlatformEvent)) {
        if let Some(key) = &self.key
            && Instant::now() >= self.catalogue_due
        {
            match self
                .runtime
                .block_on(sync_catalogue(&self.client, key, &mut self.store))
            {
                Ok(SyncOutcome::Updated { version }) => {
                    tracing::info!(version, "catalogue updated");
                    emit_catalogue(&mut self.store, Some(key), emit);
                    release_freed_memory();
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "catalogue sync failed"),
            }
            self.catalogue_due = Instant::now() + self.service.catalogue_every;
        }
    }

    /// Drains the outbox a chunk at a time until it is empty or the next
    /// heartbeat is due; the UI sees the depth go down.
    fn drain_until_next_beat(
        &mut self,
        beat_started: Instant,
        emit: &mut dyn FnMut(PlatformEvent),
    ) {
        let (mut delivered, mut rejected) = (0, 0);
        while self.store.outbox_depth().unwrap_or(0) > 0
            && !self.stop.load(Ordering::SeqCst)
            && beat_started.elapsed() < self.service.heartbeat
        {
            match self
                .runtime
                .block_on(drain_chunk(&self.client, &mut self.store, 200))
            {
                Ok(report) => {
                    delivered += report.delivered;
                    rejected += report.rejected;
                    emit(PlatformEvent::Outbox(
                        self.store.outbox_depth().unwrap_or(0),
                    ));
                    if report.stopped.is_some() {
                        break;
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "outbox drain failed");
                    break;
                }
            }
        }
        if delivered + rejected > 0 {
            // Old page images in the WAL still hold what was sent:
            // fold them into the (securely deleted) file.
            if let Err(error) = self.store.checkpoint() {
                tracing::debug!(%error, "checkpoint after draining deferred");
            }
            tracing::info!(delivered, rejected, "outbox drained");
        }
    }
}

/// Lowers the calling thread's scheduling priority (nice 10): the
/// platform's work — heartbeats, catalogue parsing, draining thousands of
/// queued submissions — is never urgent to the second, while the UI's
/// frames are. When the cores are contended the scheduler gives them to
/// the UI first. Only this thread changes.
pub fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take and return plain integers; on
    // Linux PRIO_PROCESS with a thread id sets that one thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 10) != 0 {
            tracing::debug!("platform thread keeps its priority");
        }
    }
}

/// Hands memory freed after reading a whole catalogue (a few megabytes
/// of short-lived parsing) back to the system, so the kiosk's resident
/// size does not keep that high-water mark for months.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it touches no
    // live allocation and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Sleeps in short steps, or until `wake` is set; true when stopped
/// meanwhile.
fn sleep_unless_stopped(total: Duration, stop: &AtomicBool, wake: Option<&AtomicBool>) -> bool {
    let until = std::time::Instant::now() + total;
    while std::time::Instant::now() < until {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        if wake.is_some_and(|w| w.load(Ordering::SeqCst)) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.load(Ordering::SeqCst)
}
