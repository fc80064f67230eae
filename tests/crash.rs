//! Nothing lost, nothing crossed, every ticket closed, whenever the kiosk
//! dies: a child process runs the kiosk's own code paths — a resident's
//! submission through `submit::submit` (outbox first, then sent at once),
//! the platform thread (`platform::run_service`: heartbeats, the outbox
//! drain, fleet bundles), the A4 printer thread (`print::service::a4_loop`
//! against the simulated printer on loopback, journalling every job) and
//! the start-up recovery of the print journal — and is killed with
//! SIGKILL at a random moment, 200 times. Some restarts are on a new,
//! empty store (the old one moved aside, as the corrupt-store advice
//! says; staff drain it later). Meanwhile fleet bundles are pushed.
//!
//! Then, against the reference platform's database: every submission the
//! kiosk accepted (told the resident it was taken) arrived exactly once,
//! with its own number — never another resident's; every print ticket
//! was closed (by a result the journal queued, or by the platform's
//! ticket expiry); and after every kill the terminal's config loaded.
//!
//! `TONGBAN_CRASH_RUNS` changes the number of runs (BENCHMARKS.md has
//! the figures of a full run).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use tongban::platform::{Client, ClientOptions, PlatformService};
use tongban::print::service::{A4Service, PrintRequest, PrinterEvent, Progress, Timing};
use tongban::store::Store;
use tongban_platform_api::application::Application;
use tongban_platform_api::fleet::{BundleFile, ConfigBundle, Scope, sample_fleet_signing_key};
use tongban_platform_api::licence::TicketRequest;
use tongban_platform_api::resident::Identification;

use terminal::{Lcg, open_terminal};
use tongban_testkit::terminal;

const WORKER: &str = "TONGBAN_CRASH_WORKER";
const TEST: &str = "killing_the_kiosk_at_random_loses_duplicates_and_crosses_nothing";
const TERMINAL: &str = "SH-PD-0001-01";
/// How long a ticket without a result stays open on the platform here.
const TICKET_TTL: Duration = Duration::from_secs(3);
/// The sample residents' 随申码 (fictional), with the licences in force
/// they print (each has the platform's daily quota of copies).
const RESIDENTS: [(&str, &str); 6] = [
    ("ZGVtby1yZXNpZGVudC0wMDAx", "LIC-0001"),
    ("ZGVtby1yZXNpZGVudC0wMDAx", "LIC-0002"),
    ("ZGVtby1yZXNpZGVudC0wMDAx", "LIC-0005"),
    ("ZGVtby1yZXNpZGVudC0wMDAx", "LIC-0006"),
    ("ZGVtby1yZXNpZGVudC0wMDAx", "LIC-0007"),
    ("ZGVtby1yZXNpZGVudC0wMDAy", "LIC-0003"),
];

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// One line the child prints, flushed, once the thing it names is true.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn client_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_millis(300),
        timeout: Duration::from_secs(3),
        attempts: 2,
        backoff: Duration::from_millis(20),
    }
}

/// The child: what the kiosk does at start and while residents use it,
/// until it is killed.
fn work(dir: &Path, run: u64, platform: &str, printer: &str) -> ! {
    let store_path = dir.join("data/kiosk.db");
    // Start-up, as `main` does: jobs the last run left open are uncertain
    // (the journal queues each ticket's result).
    {
        let mut store = Store::open(&store_path, Duration::from_secs(2)).unwrap();
        store
            .recover_jobs(&chrono::Local::now().to_rfc3339())
            .unwrap();
    }
    let fleet = open_terminal(dir);
    let service = PlatformService {
        url: platform.into(),
        public_key: tongban_platform_api::key_base64(
            &tongban_platform_api::sample_signing_key().verifying_key(),
        ),
        terminal: TERMINAL.into(),
        store: store_path.clone(),
        heartbeat: Duration::from_millis(150),
        catalogue_every: Duration::from_secs(600),
        refused_keep: Duration::from_secs(7 * 86_400),
        fleet: Some(fleet),
        tls: None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        std::thread::spawn(move || tongban::platform::run_service(&service, &stop, &mut |_| {}));
    }
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel();
    {
        let stop = stop.clone();
        let a4 = A4Service {
            address: printer.parse().unwrap(),
            usb: None,
            store: store_path.clone(),
        };
        let timing = Timing {
            poll: Duration::from_millis(40),
            reconnect: Duration::from_millis(100),
            stalled: Duration::from_millis(500),
            silent: Duration::from_secs(5),
        };
        std::thread::spawn(move || {
            tongban::print::service::a4_loop(&a4, timing, &stop, &mut |e| {
                let _ = jobs_tx.send(e);
            })
        });
    }
    let queue = loop {
        match jobs_rx.recv_timeout(Duration::from_secs(5)) {
            Ok(PrinterEvent::Ready(queue)) => break queue,
            Ok(_) => {}
            Err(e) => panic!("no printer thread: {e}"),
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = Client::new(platform, client_options()).unwrap();
    let mut rng = Lcg(run.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for n in 0u64.. {
        // A resident's application: accepted once `submit` returns.
        let marker = format!("crash-{run}-{n}");
        let app = Application {
            terminal: TERMINAL.into(),
            resident: format!("R-DEMO-000{}", 1 + rng.next(3)),
            item: "residence-03".into(),
            fields: vec![("note".into(), marker.clone())],
            submitted_at: chrono::Local::now().to_rfc3339(),
        };
        let submission = tongban::submit::Submission {
            store: Some(store_path.clone()),
            kind: tongban::store::SubmissionKind::Application,
            resident: app.resident.clone(),
            bodies: vec![serde_json::to_vec(&app).unwrap()],
            at: chrono::Local::now().to_rfc3339(),
        };
        let online = rng.next(3) > 0;
        let sent = runtime.block_on(tongban::submit::submit(
            submission,
            online.then(|| client.clone()),
        ));
        if let Ok(sent) = sent {
            say(&format!(
                "ACCEPTED {marker} {} {}",
                sent[0].number, sent[0].delivered
            ));
        }
        // Now and then, a licence copy.
        if rng.next(3) == 0 {
            let (code, licence) = RESIDENTS[rng.next(RESIDENTS.len() as u64) as usize];
            let session =
                runtime.block_on(client.session(&Identification::Suishenma { token: code.into() }));
            let Ok(session) = session else { continue };
            let request = TicketRequest {
                terminal: TERMINAL.into(),
                resident: session.resident.clone(),
                licence: licence.into(),
                purpose: "办理银行业务".into(),
                copies: 1 + rng.next(2) as u32,
            };
            let Ok(ticket) = runtime.block_on(client.print_ticket(&session, &request)) else {
                continue;
            };
            say(&format!("TICKET {}", ticket.ticket));
            if rng.next(5) == 0 {
                // The resident walks away before printing: given back.
                let result = tongban_platform_api::licence::PrintResult {
                    ticket: ticket.ticket.clone(),
                    printed: 0,
                    failed: 0,
                    outcome: "cancelled".into(),
                };
                let _ = runtime.block_on(tongban::submit::submit(
                    tongban::submit::Submission {
                        store: Some(store_path.clone()),
                        kind: tongban::store::SubmissionKind::PrintResult,
                        resident: format!("ticket:{}", ticket.ticket),
                        bodies: vec![serde_json::to_vec(&result).unwrap()],
                        at: chrono::Local::now().to_rfc3339(),
                    },
                    Some(client.clone()),
                ));
                continue;
            }
            let page = Arc::new(tongban_laser::Bitmap::new(400, 300));
            let token = n + 1;
            if queue
                .submit(PrintRequest::Licence {
                    token,
                    ticket: ticket.ticket.clone(),
                    page,
                    copies: ticket.copies,
                })
                .is_err()
            {
                continue;
            }
            // Until the printer says how it ended.
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(PrinterEvent::Job { token: t, progress }) =
                    jobs_rx.recv_timeout(Duration::from_millis(200))
                    && t == token
                    && matches!(
                        progress,
                        Progress::Printed
                            | Progress::Failed { .. }
                            | Progress::Uncertain { .. }
                            | Progress::Refused(_)
                    )
                {
                    break;
                }
            }
        }
    }
    unreachable!()
}

/// The scope's bundle `version`: a banner naming it (a valid config).
fn bundle(scope: &Scope, version: u64) -> Vec<u8> {
    let now = chrono::Local::now();
    let b = ConfigBundle {
        scope: scope.clone(),
        version,
        issued_at: now.to_rfc3339(),
        expires_at: (now + chrono::Duration::days(1)).to_rfc3339(),
        files: BTreeMap::from([(
            format!("{}.toml", scope.layer()),
            format!("[service]\nbanner.en = \"{} v{version}\"\n", scope.layer()),
        )]),
    };
    serde_json::to_vec(&BundleFile::seal(&sample_fleet_signing_key(), &b)).unwrap()
}

fn push(runtime: &tokio::runtime::Runtime, platform: &str, scope: &Scope, bytes: Vec<u8>) {
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .put(format!("{platform}/v1/fleet/bundles/{scope}"))
            .body(bytes)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    assert!(matches!(status, Ok(s) if s / 100 == 2), "{status:?}");
}

/// What the children said they did.
#[derive(Default)]
struct Ledger {
    /// Accepted submissions: marker → (number shown, delivered then).
    accepted: HashMap<String, (String, bool)>,
    /// Tickets issued.
    tickets: Vec<String>,
}

impl Ledger {
    fn read(&mut self, stdout: std::process::ChildStdout) {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let words: Vec<&str> = line.split(' ').collect();
            match words.as_slice() {
                ["ACCEPTED", marker, number, delivered] => {
                    self.accepted.insert(
                        (*marker).to_owned(),
                        ((*number).to_owned(), *delivered == "true"),
                    );
                }
                ["TICKET", ticket] => self.tickets.push((*ticket).to_owned()),
                _ => {}
            }
        }
    }
}

impl Ledger {
    fn add(&mut self, part: Ledger) {
        self.accepted.extend(part.accepted);
        self.tickets.extend(part.tickets);
    }
}

/// Runs the child as run `run` for `alive`, then kills it with SIGKILL
/// (no destructor, no flush, no goodbye); returns what it said it did.
fn kill_after(
    me: &Path,
    dir: &Path,
    run: u64,
    platform: &str,
    printer: std::net::SocketAddr,
    alive: Duration,
) -> Ledger {
    let mut child = Command::new(me)
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(
            WORKER,
            format!("{}|{run}|{platform}|{printer}", dir.display()),
        )
        .env("RUST_LOG", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut part = Ledger::default();
        part.read(stdout);
        part
    });
    std::thread::sleep(alive);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap()
}

#[test]
fn killing_the_kiosk_at_random_loses_duplicates_and_crosses_nothing() {
    if let Some(args) = std::env::var_os(WORKER) {
        let args = args.into_string().unwrap();
        let parts: Vec<&str> = args.split('|').collect();
        work(
            Path::new(parts[0]),
            parts[1].parse().unwrap(),
            parts[2],
            parts[3],
        );
    }
    let runs: u64 = std::env::var("TONGBAN_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let platform = tongban_platform::Platform::start(tongban_platform::Options {
        port: 0,
        db: dir.path().join("platform.db"),
        catalogue: tongban_platform::Options::sample_catalogue(&assets()).unwrap(),
        ticket_ttl: TICKET_TTL,
    })
    .unwrap();
    let printer =
        tongban_sim::laser::LaserSim::start(100_000, &dir.path().join("printed")).unwrap();
    let fleet = terminal::terminal(dir.path());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let branch: Scope = "branch:SH-PD-0001".parse().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("crash harness: seed {seed}, {runs} runs");
    let mut rng = Lcg(seed);
    let me = std::env::current_exe().unwrap();
    let mut ledger = Ledger::default();
    let mut set_aside = Vec::new();
    let mut versions = 0;
    let started = Instant::now();
    for run in 0..runs {
        if run % 10 == 0 {
            versions += 1;
            push(
                &runtime,
                &platform.url(),
                &branch,
                bundle(&branch, versions),
            );
        }
        // Now and then the store is made anew: the old one moved aside.
        if run > 0 && rng.next(8) == 0 {
            let store = dir.path().join("data/kiosk.db");
            let aside = dir.path().join(format!("aside-{run}"));
            std::fs::create_dir_all(&aside).unwrap();
            for suffix in ["", "-wal", "-shm"] {
                let from = PathBuf::from(format!("{}{suffix}", store.display()));
                if from.exists() {
                    std::fs::rename(&from, aside.join(format!("kiosk.db{suffix}"))).unwrap();
                }
            }
            set_aside.push(aside.join("kiosk.db"));
        }
        let alive = Duration::from_millis(30 + rng.next(900));
        ledger.add(kill_after(
            &me,
            dir.path(),
            run,
            &platform.url(),
            printer.addr(),
            alive,
        ));
        // The config on disk loads after every kill.
        fleet
            .load()
            .unwrap_or_else(|e| panic!("run {run} (seed {seed}): no valid config: {e}"));
    }
    let killed_in = started.elapsed();

    // The terminal starts once more and is left to drain; the stores set
    // aside are drained as staff would (their keys are their own).
    ledger.add(kill_after(
        &me,
        dir.path(),
        runs,
        &platform.url(),
        printer.addr(),
        Duration::from_secs(2),
    ));
    let client = Client::new(&platform.url(), client_options()).unwrap();
    let mut stores: Vec<PathBuf> = set_aside.clone();
    stores.push(dir.path().join("data/kiosk.db"));
    for path in &stores {
        let mut store = Store::open(path, Duration::from_secs(2)).unwrap();
        store
            .recover_jobs(&chrono::Local::now().to_rfc3339())
            .unwrap();
        let report = runtime
            .block_on(tongban::platform::drain_outbox(&client, &mut store, 200))
            .unwrap();
        assert_eq!(report.stopped, None, "{}: {report:?}", path.display());
        assert_eq!(report.rejected, 0, "{}: {report:?}", path.display());
        assert_eq!(store.outbox_depth().unwrap(), 0);
    }
    // Open tickets expire on the platform (ticket_ttl).
    std::thread::sleep(Duration::from_secs(4));

    // The platform's database.
    let db = rusqlite::Connection::open(dir.path().join("platform.db")).unwrap();
    let mut by_marker: HashMap<String, Vec<String>> = HashMap::new();
    {
        let mut stmt = db
            .prepare("SELECT application_no, body FROM applications WHERE terminal = ?1")
            .unwrap();
        let rows = stmt
            .query_map([TERMINAL], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .unwrap();
        for row in rows {
            let (no, body) = row.unwrap();
            let app: Application = serde_json::from_str(&body).unwrap();
            let marker = app.fields[0].1.clone();
            by_marker.entry(marker).or_default().push(no);
        }
    }
    let duplicated: Vec<_> = by_marker.iter().filter(|(_, n)| n.len() > 1).collect();
    let lost: Vec<_> = ledger
        .accepted
        .keys()
        .filter(|m| !by_marker.contains_key(*m))
        .collect();
    let crossed: Vec<_> = ledger
        .accepted
        .iter()
        .filter(|(m, (number, delivered))| {
            *delivered && by_marker.get(*m).is_some_and(|n| n[0] != *number)
        })
        .collect();
    // A ticket is closed by a result, or by the platform's expiry.
    let open_since = chrono::Local::now().timestamp_millis() - TICKET_TTL.as_millis() as i64;
    let open: Vec<String> = {
        let mut stmt = db
            .prepare("SELECT ticket FROM tickets WHERE outcome IS NULL AND issued_ms > ?1")
            .unwrap();
        stmt.query_map([open_since], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (results, expired): (i64, i64) = db
        .query_row(
            "SELECT COUNT(*) FILTER (WHERE outcome IS NOT NULL),
                    COUNT(*) FILTER (WHERE outcome IS NULL)
             FROM tickets WHERE terminal = ?1",
            [TERMINAL],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    eprintln!(
        "crash harness: {runs} runs, {runs} kills in {:.0} s, {} stores made anew; \
         {} submissions accepted, {} applications held; lost {}, duplicated {}, crossed {}; \
         {} tickets: {} closed by a result, {} expired, {} open; {} bundle versions pushed",
        killed_in.as_secs_f64(),
        set_aside.len(),
        ledger.accepted.len(),
        by_marker.len(),
        lost.len(),
        duplicated.len(),
        crossed.len(),
        ledger.tickets.len(),
        results,
        expired,
        open.len(),
        versions,
    );
    assert!(lost.is_empty(), "seed {seed}: lost {lost:?}");
    assert!(
        duplicated.is_empty(),
        "seed {seed}: duplicated {duplicated:?}"
    );
    assert!(crossed.is_empty(), "seed {seed}: crossed {crossed:?}");
    assert!(open.is_empty(), "seed {seed}: tickets left open {open:?}");
    assert!(
        ledger.accepted.len() as u64 > runs,
        "the children accepted only {} submissions",
        ledger.accepted.len()
    );
    assert!(!ledger.tickets.is_empty(), "no licence was printed");
    assert!(
        !fleet.applied().is_empty(),
        "the terminal never took a pushed bundle"
    );
}
