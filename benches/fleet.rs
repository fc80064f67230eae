//! The fleet against the reference platform: 3,473 simulated terminals
//! (about 1,748 branches in Shanghai's 16 districts) heartbeating every
//! 30 s, evenly spread with jitter (~116 heartbeats/s), then one fleet
//! bundle pushed, which every terminal learns of from `sync_config` in its
//! next heartbeat reply and fetches with `If-None-Match` of the bundle it
//! holds (asking, as the terminal does, for each scope of its chain:
//! fleet, district, branch, terminal) — all of them within one heartbeat
//! period.
//!
//! A custom harness that prints a report: latency (p50, p90, p99, max),
//! errors and rates of the steady heartbeats, of the heartbeats during
//! the fetch wave, and of the bundle GETs; the wave's duration; the CPU
//! the platform and the load generator took. The platform runs in this
//! process on its own two-thread runtime (as `Platform::start` makes it,
//! at nice 10); the generator is one more thread at the same nice level,
//! on the same two cores.
//!
//! Run:
//! - `cargo bench --bench fleet` — the full fleet, about 3 minutes;
//! - `cargo bench --bench fleet -- --quick` — 300 terminals, a 5 s
//!   period, under half a minute, a smoke check;
//! - `cargo test --bench fleet` (and `cargo test --all-targets`) runs a
//!   tiny fleet for a few seconds and fails on any error.
//!
//! Knobs: `FLEET_TERMINALS` (3473), `FLEET_PERIOD_SECS` (30),
//! `FLEET_MEASURE_SECS` (steady window, 90), `FLEET_WARMUP_SECS` (1.2
//! periods), `FLEET_CLIENTS` (HTTP clients shared by the terminals, each
//! with its own kept-alive connections; 256), `FLEET_TIMEOUT_SECS` (10).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tongban_platform::{Options, Platform};
use tongban_platform_api::ed25519_dalek::VerifyingKey;
use tongban_platform_api::fleet::{
    AppliedBundle, BundleFile, ConfigBundle, Scope, sample_fleet_signing_key,
};
use tongban_platform_api::terminal::{Command, DeviceReport, Heartbeat, HeartbeatReply, Supply};

/// Shanghai's 16 districts.
const DISTRICTS: [&str; 16] = [
    "HP", "XH", "CN", "JA", "PT", "HK", "YP", "MH", "BS", "JD", "PD", "JS", "SJ", "QP", "FX", "CM",
];
/// The real fleet: terminals and branches.
const FLEET: (usize, usize) = (3473, 1748);
/// The slot each send overwrites with the time of sending in a heartbeat
/// serialised once per terminal: as long as
/// `2026-12-04T10:00:00.000+00:00`.
const AT_SLOT: &str = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";

struct Knobs {
    mode: &'static str,
    terminals: usize,
    period: Duration,
    warmup: Duration,
    measure: Duration,
    clients: usize,
    timeout: Duration,
}

impl Knobs {
    fn from_env() -> Self {
        let args: Vec<String> = std::env::args().collect();
        // `cargo bench` passes --bench; `cargo test` does not.
        let (mode, terminals, period, measure) = if args.iter().any(|a| a == "--quick") {
            ("quick", 300, 5.0, 10.0)
        } else if args.iter().any(|a| a == "--bench") {
            ("full", FLEET.0, 30.0, 90.0)
        } else {
            ("test", 60, 1.0, 2.0)
        };
        let num = |name: &str, default: f64| -> f64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| *v > 0.0)
                .unwrap_or(default)
        };
        let terminals = num("FLEET_TERMINALS", terminals as f64) as usize;
        let period = num("FLEET_PERIOD_SECS", period);
        Self {
            mode,
            terminals: terminals.max(1),
            period: Duration::from_secs_f64(period),
            warmup: Duration::from_secs_f64(num("FLEET_WARMUP_SECS", period * 1.2)),
            measure: Duration::from_secs_f64(num("FLEET_MEASURE_SECS", measure)),
            clients: (num("FLEET_CLIENTS", 256.0) as usize).clamp(1, terminals.max(1)),
            timeout: Duration::from_secs_f64(num("FLEET_TIMEOUT_SECS", 10.0)),
        }
    }
}

/// splitmix64: enough randomness to spread a fleet, no crate needed.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) from a seed.
fn unit(seed: u64) -> f64 {
    (mix(seed) >> 11) as f64 / (1u64 << 53) as f64
}

struct Terminal {
    id: String,
    district: &'static str,
    branch: String,
    seed: u64,
}

/// Terminal `i` of `n`: branches in proportion to the real fleet's, each
/// branch in a district by turns, a branch's terminals numbered from 01.
fn terminal(i: usize, n: usize) -> Terminal {
    let branches = ((n * FLEET.1 + FLEET.0 / 2) / FLEET.0).max(1);
    let b = i % branches;
    let district = DISTRICTS[b % DISTRICTS.len()];
    let branch = format!("SH-{district}-{:04}", b / DISTRICTS.len() + 1);
    Terminal {
        id: format!("{branch}-{:02}", i / branches + 1),
        district,
        branch,
        seed: mix(i as u64 ^ 0x007f_1ee7),
    }
}

/// A heartbeat as the terminal sends it, serialised once; `at` is written
/// into the returned offset at each send.
fn heartbeat_body(t: &Terminal, held: Option<u64>) -> (Vec<u8>, usize) {
    let s = t.seed;
    let device = |kind: &str, state: &str, detail: Option<&str>| DeviceReport {
        kind: kind.into(),
        state: state.into(),
        detail: detail.map(Into::into),
    };
    let beat = Heartbeat {
        terminal: t.id.clone(),
        at: AT_SLOT.into(),
        catalogue_version: Some(1),
        district: Some(t.district.into()),
        branch: Some(t.branch.clone()),
        config: held
            .map(|version| AppliedBundle {
                scope: Scope::Fleet,
                version,
            })
            .into_iter()
            .collect(),
        config_problem: None,
        devices: vec![
            device("id_card_reader", "online", None),
            device("qr_scanner", "online", None),
            if s.is_multiple_of(29) {
                device("receipt_printer", "user_error", Some("paper_out"))
            } else if s.is_multiple_of(7) {
                device("receipt_printer", "online", Some("paper_low"))
            } else {
                device("receipt_printer", "online", None)
            },
            if s.is_multiple_of(31) {
                device("a4_printer", "hardware_error", Some("jammed"))
            } else if s.is_multiple_of(11) {
                device("a4_printer", "online", Some("toner_low"))
            } else {
                device("a4_printer", "online", None)
            },
        ],
        supplies: vec![
            Supply {
                name: "a4_sheets".into(),
                remaining: (s >> 8) as i64 % 500,
            },
            Supply {
                name: "a4_toner_pages".into(),
                remaining: (s >> 20) as i64 % 3000,
            },
            Supply {
                name: "receipt_mm".into(),
                remaining: (s >> 32) as i64 % 80_000,
            },
        ],
        outbox_depth: if s.is_multiple_of(5) {
            (s >> 40) % 7
        } else {
            0
        },
        staff_actions: Vec::new(),
        disk: None,
    };
    let body = serde_json::to_vec(&beat).expect("a heartbeat serialises");
    let at = body
        .windows(AT_SLOT.len())
        .position(|w| w == AT_SLOT.as_bytes())
        .expect("the time slot is in the body");
    (body, at)
}

/// The fleet bundle pushed: the whole defaults file as the fleet layer
/// (about 10 KB as a bundle file).
fn fleet_bundle(version: u64) -> Vec<u8> {
    let defaults = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/kiosk-config/defaults.toml"
    ))
    .unwrap_or_else(|_| "[service]\nhotline = \"12345\"\n".into());
    let now = chrono::Local::now().fixed_offset();
    let bundle = ConfigBundle {
        scope: Scope::Fleet,
        version,
        issued_at: now.to_rfc3339(),
        expires_at: (now + chrono::Duration::days(30)).to_rfc3339(),
        files: BTreeMap::from([("fleet.toml".to_owned(), defaults)]),
    };
    serde_json::to_vec(&BundleFile::seal(&sample_fleet_signing_key(), &bundle))
        .expect("a bundle file serialises")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heartbeat,
    /// The fleet scope's bundle.
    Bundle,
    /// The district's, branch's and terminal's, which have none.
    OtherScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// 2xx, or 304 for a bundle.
    Ok,
    Status(u16),
    Timeout,
    Connect,
    /// A broken or unreadable answer.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    kind: Kind,
    /// Sent at, since the start.
    sent: Duration,
    latency: Duration,
    outcome: Outcome,
}

struct Run {
    t0: Instant,
    url: String,
    key: VerifyingKey,
    clients: Vec<reqwest::Client>,
    period: Duration,
    n: usize,
    samples: Mutex<Vec<Sample>>,
    /// Error messages, the first few.
    errors: Mutex<Vec<String>>,
    /// Terminals holding each bundle version.
    holding: [AtomicUsize; 3],
    /// When the last terminal got each version (µs since the start).
    last_fetch_us: [AtomicU64; 3],
}

impl Run {
    fn record(&self, kind: Kind, sent: Instant, outcome: Outcome, error: Option<String>) {
        let sample = Sample {
            kind,
            sent: sent - self.t0,
            latency: sent.elapsed(),
            outcome,
        };
        self.samples.lock().unwrap().push(sample);
        if let Some(e) = error {
            let mut errors = self.errors.lock().unwrap();
            if errors.len() < 5 {
                errors.push(e);
            }
        }
    }
}

fn failed(e: &reqwest::Error) -> Outcome {
    if e.is_timeout() {
        Outcome::Timeout
    } else if e.is_connect() {
        Outcome::Connect
    } else {
        Outcome::Other
    }
}

/// A GET, conditional on `etag`: the status, the ETag and the body.
async fn get(
    client: &reqwest::Client,
    url: &str,
    etag: Option<&str>,
) -> Result<(reqwest::StatusCode, Option<String>, Vec<u8>), reqwest::Error> {
    let mut request = client.get(url);
    if let Some(etag) = etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    let response = request.send().await?;
    let status = response.status();
    let etag = response
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok((status, etag, response.bytes().await?.to_vec()))
}

/// One terminal: a heartbeat every period; on `sync_config`, the bundle
/// of each of its scopes, the fleet's conditionally on the one it holds.
async fn run_terminal(run: Arc<Run>, i: usize, mut stop: tokio::sync::watch::Receiver<bool>) {
    let t = terminal(i, run.n);
    let client = &run.clients[i % run.clients.len()];
    let heartbeat_url = format!("{}/v1/terminals/{}/heartbeat", run.url, t.id);
    let bundle_urls = [
        "fleet".to_owned(),
        format!("district:{}", t.district),
        format!("branch:{}", t.branch),
        format!("terminal:{}", t.id),
    ]
    .map(|scope| format!("{}/v1/fleet/bundles/{scope}", run.url));
    let mut held: Option<(u64, String)> = None;
    let (mut body, mut at) = heartbeat_body(&t, None);
    // Evenly spread over the period, each in its own slot at random.
    let slot = run.period.as_secs_f64() / run.n as f64;
    let mut next = run.t0 + Duration::from_secs_f64(slot * (i as f64 + unit(t.seed ^ 1)) + 0.05);
    let mut beat = 0u64;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next.into()) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        let mut sending = body.clone();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        if now.len() == AT_SLOT.len() {
            sending[at..at + now.len()].copy_from_slice(now.as_bytes());
        }
        let sent = Instant::now();
        let reply = async {
            let response = client
                .post(&heartbeat_url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(sending)
                .send()
                .await?;
            let status = response.status();
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, bytes))
        }
        .await;
        let sync = match reply {
            Ok((status, bytes)) if status.is_success() => {
                match serde_json::from_slice::<HeartbeatReply>(&bytes) {
                    Ok(reply) => {
                        run.record(Kind::Heartbeat, sent, Outcome::Ok, None);
                        reply.commands.contains(&Command::SyncConfig)
                    }
                    Err(e) => {
                        run.record(
                            Kind::Heartbeat,
                            sent,
                            Outcome::Other,
                            Some(format!("heartbeat reply: {e}")),
                        );
                        false
                    }
                }
            }
            Ok((status, _)) => {
                run.record(
                    Kind::Heartbeat,
                    sent,
                    Outcome::Status(status.as_u16()),
                    Some(format!("heartbeat: HTTP {status}")),
                );
                false
            }
            Err(e) => {
                let outcome = failed(&e);
                run.record(
                    Kind::Heartbeat,
                    sent,
                    outcome,
                    Some(format!("heartbeat: {}", e.without_url())),
                );
                false
            }
        };
        if sync {
            // As the terminal does: every scope of its chain in turn, the
            // fleet's first; a scope without a bundle answers 404.
            let sent = Instant::now();
            let etag = held.as_ref().map(|(_, etag)| etag.as_str());
            match get(client, &bundle_urls[0], etag).await {
                Ok((status, _, _)) if status == reqwest::StatusCode::NOT_MODIFIED => {
                    run.record(Kind::Bundle, sent, Outcome::Ok, None);
                }
                Ok((status, etag, bytes)) if status.is_success() => {
                    // The terminal checks the signature before it takes it.
                    match BundleFile::parse(&bytes).and_then(|f| f.open(&run.key)) {
                        Ok(bundle) => {
                            run.record(Kind::Bundle, sent, Outcome::Ok, None);
                            let newer = held.as_ref().is_none_or(|(v, _)| *v < bundle.version);
                            if newer {
                                held = Some((bundle.version, etag.unwrap_or_default()));
                                (body, at) = heartbeat_body(&t, Some(bundle.version));
                                if let Some(slot) = run.holding.get(bundle.version as usize) {
                                    slot.fetch_add(1, Ordering::SeqCst);
                                    run.last_fetch_us[bundle.version as usize].fetch_max(
                                        run.t0.elapsed().as_micros() as u64,
                                        Ordering::SeqCst,
                                    );
                                }
                            }
                        }
                        Err(e) => run.record(
                            Kind::Bundle,
                            sent,
                            Outcome::Other,
                            Some(format!("bundle: {e}")),
                        ),
                    }
                }
                Ok((status, _, _)) => run.record(
                    Kind::Bundle,
                    sent,
                    Outcome::Status(status.as_u16()),
                    Some(format!("bundle: HTTP {status}")),
                ),
                Err(e) => run.record(
                    Kind::Bundle,
                    sent,
                    failed(&e),
                    Some(format!("bundle: {}", e.without_url())),
                ),
            }
            for url in &bundle_urls[1..] {
                let sent = Instant::now();
                match get(client, url, None).await {
                    Ok((status, _, _))
                        if status.is_success()
                            || status == reqwest::StatusCode::NOT_MODIFIED
                            || status == reqwest::StatusCode::NOT_FOUND =>
                    {
                        run.record(Kind::OtherScope, sent, Outcome::Ok, None);
                    }
                    Ok((status, _, _)) => run.record(
                        Kind::OtherScope,
                        sent,
                        Outcome::Status(status.as_u16()),
                        Some(format!("bundle of another scope: HTTP {status}")),
                    ),
                    Err(e) => run.record(
                        Kind::OtherScope,
                        sent,
                        failed(&e),
                        Some(format!("bundle of another scope: {}", e.without_url())),
                    ),
                }
            }
        }
        // The terminal's timer, a little early or late each time.
        beat += 1;
        let jitter = (unit(t.seed ^ beat.wrapping_mul(0x51)) - 0.5) * 0.02;
        next += run.period.mul_f64(1.0 + jitter);
    }
}

/// Pushes the fleet bundle `version`; how long the PUT took. A platform
/// that does not take it ends the run at once: dropping a platform that
/// hangs would hang too.
async fn push(run: &Run, version: u64) -> Duration {
    let started = Instant::now();
    let answer = async {
        let response = run.clients[0]
            .put(format!("{}/v1/fleet/bundles/fleet", run.url))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(fleet_bundle(version))
            .send()
            .await?;
        let status = response.status();
        Ok::<_, reqwest::Error>((status, response.text().await?))
    }
    .await;
    match answer {
        Ok((status, _)) if status == reqwest::StatusCode::CREATED => started.elapsed(),
        Ok((status, text)) => abandon(&format!("push of version {version}: HTTP {status} {text}")),
        Err(e) => abandon(&format!("push of version {version}: {e}")),
    }
}

fn abandon(why: &str) -> ! {
    eprintln!("fleet: {why}; the run is abandoned");
    std::process::exit(1)
}

/// CPU seconds used so far by this process's threads: (the platform's,
/// everyone else's).
fn cpu_split() -> (f64, f64) {
    let tick = 100.0; // USER_HZ on Linux
    let (mut platform, mut other) = (0.0, 0.0);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0.0, 0.0);
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // utime and stime are fields 14 and 15 of the whole line.
        let ticks: f64 = fields
            .get(11..13)
            .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
            .unwrap_or(0.0);
        if name.starts_with("reference-plat") {
            platform += ticks / tick;
        } else {
            other += ticks / tick;
        }
    }
    (platform, other)
}

/// Runs on this thread at the platform's nice level, so that neither
/// side of the loopback is favoured over the other.
fn same_priority_as_the_platform() {
    // SAFETY: plain integers in and out; on Linux PRIO_PROCESS with a
    // thread id sets that one thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

struct Stats {
    count: usize,
    errors: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    per_sec: f64,
}

fn stats(samples: &[Sample], window: Duration) -> Stats {
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    latencies.sort();
    let rank = |q: f64| -> Duration {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let k = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        latencies[k - 1]
    };
    Stats {
        count: samples.len(),
        errors: samples.iter().filter(|s| s.outcome != Outcome::Ok).count(),
        p50: rank(0.50),
        p90: rank(0.90),
        p99: rank(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        per_sec: samples.len() as f64 / window.as_secs_f64().max(1e-9),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let knobs = Knobs::from_env();
    same_priority_as_the_platform();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let assets = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
    let platform = Platform::start(
        Options::sample(assets, dir.path().join("platform.db")).expect("the sample catalogue"),
    )
    .expect("the reference platform starts");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let n = knobs.terminals;
    println!(
        "fleet ({} mode): {n} terminals in {} branches, a heartbeat every {:.1} s each \
         (~{:.0}/s), {} HTTP clients with kept-alive connections, timeout {:.0} s; \
         warm-up {:.0} s, steady window {:.0} s; platform at {}",
        knobs.mode,
        ((n * FLEET.1 + FLEET.0 / 2) / FLEET.0).max(1),
        knobs.period.as_secs_f64(),
        n as f64 / knobs.period.as_secs_f64(),
        knobs.clients,
        knobs.timeout.as_secs_f64(),
        knobs.warmup.as_secs_f64(),
        knobs.measure.as_secs_f64(),
        platform.url(),
    );
    println!(
        "a heartbeat body is {} bytes (the first terminal's), the bundle file {} bytes",
        heartbeat_body(&terminal(0, n), Some(1)).0.len(),
        fleet_bundle(2).len()
    );
    let report = runtime.block_on(async {
        let clients = (0..knobs.clients)
            .map(|_| {
                reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .timeout(knobs.timeout)
                    .pool_idle_timeout(knobs.period * 4)
                    .build()
                    .expect("an HTTP client")
            })
            .collect();
        let run = Arc::new(Run {
            t0: Instant::now(),
            url: platform.url(),
            key: sample_fleet_signing_key().verifying_key(),
            clients,
            period: knobs.period,
            n,
            samples: Mutex::new(Vec::with_capacity(n * 16)),
            errors: Mutex::new(Vec::new()),
            holding: Default::default(),
            last_fetch_us: Default::default(),
        });
        // Version 1 waits from the start: each terminal's first heartbeat
        // brings its first fetch (no If-None-Match), in the warm-up.
        push(&run, 1).await;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let tasks: Vec<_> = (0..n)
            .map(|i| tokio::spawn(run_terminal(run.clone(), i, stop_rx.clone())))
            .collect();
        let steady_from = run.t0 + knobs.warmup;
        tokio::time::sleep_until(steady_from.into()).await;
        let cpu_steady_start = cpu_split();
        tokio::time::sleep_until((steady_from + knobs.measure).into()).await;
        let cpu_steady_end = cpu_split();
        let held_v1 = run.holding[1].load(Ordering::SeqCst);
        // The push: version 2, fetched with If-None-Match of version 1.
        let push_from = Instant::now();
        let put = push(&run, 2).await;
        let pushed = Instant::now();
        let give_up = pushed + knobs.period * 4;
        let end = loop {
            if run.holding[2].load(Ordering::SeqCst) >= n {
                // And one more period, which should be quiet.
                break Instant::now() + knobs.period;
            }
            if Instant::now() >= give_up {
                break give_up;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        tokio::time::sleep_until(end.into()).await;
        let _ = stop_tx.send(true);
        for t in tasks {
            let _ = t.await;
        }
        let cpu_end = cpu_split();
        (
            run,
            held_v1,
            push_from,
            pushed,
            put,
            end,
            (cpu_steady_start, cpu_steady_end, cpu_end),
        )
    });
    let (run, held_v1, push_from, pushed, put, end, cpu) = report;
    let t0 = run.t0;
    let samples = std::mem::take(&mut *run.samples.lock().unwrap());
    let steady = (knobs.warmup, push_from - t0);
    let held_v2 = run.holding[2].load(Ordering::SeqCst);
    let wave_end = if held_v2 >= n {
        Duration::from_micros(run.last_fetch_us[2].load(Ordering::SeqCst) + 1)
    } else {
        end - t0
    };
    let wave = (push_from - t0, wave_end);
    let after = (wave_end, end - t0);
    let within = |s: &Sample, kind: Kind, (from, to): (Duration, Duration)| {
        s.kind == kind && s.sent >= from && s.sent < to
    };
    let pick = |kind: Kind, window: (Duration, Duration)| -> Vec<Sample> {
        samples
            .iter()
            .filter(|s| within(s, kind, window))
            .copied()
            .collect()
    };
    let rows = [
        (
            "heartbeats, steady",
            stats(&pick(Kind::Heartbeat, steady), steady.1 - steady.0),
        ),
        (
            "heartbeats during the fetch wave",
            stats(&pick(Kind::Heartbeat, wave), wave.1 - wave.0),
        ),
        (
            "bundle GETs of the wave (If-None-Match: v1 → 200)",
            stats(&pick(Kind::Bundle, (wave.0, end - t0)), wave.1 - wave.0),
        ),
        (
            "GETs of the wave for district, branch, terminal (404: none)",
            stats(&pick(Kind::OtherScope, (wave.0, end - t0)), wave.1 - wave.0),
        ),
        (
            "heartbeats, the period after the wave",
            stats(&pick(Kind::Heartbeat, after), after.1 - after.0),
        ),
        (
            "warm-up bundle GETs (first fetch, no If-None-Match)",
            stats(
                &pick(Kind::Bundle, (Duration::ZERO, knobs.warmup)),
                knobs.warmup,
            ),
        ),
    ];
    println!();
    println!("| requests | count | errors | p50 | p90 | p99 | max | per second |");
    println!("|---|---|---|---|---|---|---|---|");
    for (name, s) in &rows {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {:.1} |",
            s.count,
            s.errors,
            ms(s.p50),
            ms(s.p90),
            ms(s.p99),
            ms(s.max),
            s.per_sec
        );
    }
    println!();
    let wave_secs = (wave.1 - wave.0).as_secs_f64();
    println!(
        "the push (PUT, version 2): {}; the wave: {held_v2} of {n} terminals fetched version 2 \
         in {wave_secs:.1} s from the push ({:.2} heartbeat periods); {} held version 1 before it",
        ms(put),
        wave_secs / knobs.period.as_secs_f64(),
        held_v1,
    );
    let all_in_wave = samples
        .iter()
        .filter(|s| s.sent >= wave.0 && s.sent < wave.1)
        .count();
    println!(
        "requests/s during the wave (heartbeats and every GET): {:.1}; pushed {:.1} s after the start",
        all_in_wave as f64 / wave_secs.max(1e-9),
        (pushed - t0).as_secs_f64()
    );
    let ((p0, g0), (p1, g1), (p2, g2)) = cpu;
    let steady_secs = (steady.1 - steady.0).as_secs_f64();
    let rest = (end - push_from).as_secs_f64();
    println!(
        "CPU (of one core; 2 cores shared by both): steady — platform {:.1} %, generator {:.1} %; \
         push to end — platform {:.1} %, generator {:.1} %",
        100.0 * (p1 - p0) / steady_secs,
        100.0 * (g1 - g0) / steady_secs,
        100.0 * (p2 - p1) / rest,
        100.0 * (g2 - g1) / rest,
    );
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for s in samples.iter().filter(|s| s.outcome != Outcome::Ok) {
        let what = match s.outcome {
            Outcome::Status(code) => format!("HTTP {code}"),
            other => format!("{other:?}").to_lowercase(),
        };
        *kinds
            .entry(format!("{:?} {what}", s.kind).to_lowercase())
            .or_default() += 1;
    }
    let errors = std::mem::take(&mut *run.errors.lock().unwrap());
    if !errors.is_empty() {
        println!("errors by kind: {kinds:?}; the first: {errors:?}");
    }
    let total_errors: usize = samples.iter().filter(|s| s.outcome != Outcome::Ok).count();
    let worst_p99 = rows[..4]
        .iter()
        .map(|(_, s)| s.p99)
        .max()
        .unwrap_or_default();
    let holds = worst_p99 <= Duration::from_millis(100) && total_errors == 0 && held_v2 >= n;
    println!(
        "target p99 ≤ 100 ms and no errors: {} (worst p99 {}, {total_errors} errors in {} requests){}",
        if holds { "HOLDS" } else { "MISSED" },
        ms(worst_p99),
        samples.len(),
        if n == FLEET.0 && knobs.period == Duration::from_secs(30) {
            ""
        } else {
            "; the target is for 3,473 terminals every 30 s"
        }
    );
    // The clients' connections first, then the platform.
    drop(run);
    drop(platform);
    if knobs.mode == "test" {
        // Under `cargo test`: the fleet works end to end; no timing judged.
        assert_eq!(total_errors, 0, "errors: {errors:?}");
        assert_eq!(held_v2, n, "every terminal fetched the pushed bundle");
    }
}
