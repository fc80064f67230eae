//! `tongban-platform [--port N] [--db PATH] [--assets DIR] [--fleet-key BASE64]
//! [--ticket-ttl SECONDS] [--copies-per-day N] [--tls-cert PEM --tls-key PEM --client-ca PEM]`:
//! the reference platform on 127.0.0.1, serving the shipped sample
//! catalogue, until interrupted. Its first line says where it is and the
//! key it signs with: `reference platform at URL key BASE64`. Config bundles pushed to it must be signed
//! by the fleet key given (the sample fleet key by default). A print
//! ticket without a result expires after `--ticket-ttl` seconds (900 by
//! default) and gives its copies back to the resident's daily quota; a
//! resident may print `--copies-per-day` copies of each licence a day (the
//! catalogue's number by default).
//!
//! With the three TLS flags it serves HTTPS and requires client
//! certificates signed by the client CA (mutual TLS); each terminal's
//! certificate names it by the URI `urn:tongban:terminal:ID` in its
//! subject alternative names, and its requests may speak only for that
//! terminal. Without them it serves plain HTTP, as the demo uses it.

use std::path::PathBuf;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let mut port = 8600u16;
    let mut db = std::env::temp_dir().join("tongban-platform.db");
    let mut assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let mut fleet_key = None;
    let mut ticket_ttl = tongban_platform::TICKET_TTL;
    let mut copies_per_day = None;
    let (mut tls_cert, mut tls_key, mut client_ca) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--port", Some(v)) => match v.parse() {
                Ok(p) => port = p,
                Err(_) => fail(&format!("--port takes a number, not {v:?}")),
            },
            ("--db", Some(v)) => db = PathBuf::from(v),
            ("--assets", Some(v)) => assets = PathBuf::from(v),
            ("--fleet-key", Some(v)) => match tongban_platform_api::verifying_key(&v) {
                Ok(k) => fleet_key = Some(k),
                Err(e) => fail(&format!("--fleet-key: {e}")),
            },
            ("--ticket-ttl", Some(v)) => match v.parse::<u64>() {
                Ok(s) if s > 0 => ticket_ttl = std::time::Duration::from_secs(s),
                _ => fail(&format!(
                    "--ticket-ttl takes a number of seconds, not {v:?}"
                )),
            },
            ("--copies-per-day", Some(v)) => match v.parse::<u32>() {
                Ok(n) if n > 0 => copies_per_day = Some(n),
                _ => fail(&format!(
                    "--copies-per-day takes a number of copies, not {v:?}"
                )),
            },
            ("--tls-cert", Some(v)) => tls_cert = Some(PathBuf::from(v)),
            ("--tls-key", Some(v)) => tls_key = Some(PathBuf::from(v)),
            ("--client-ca", Some(v)) => client_ca = Some(PathBuf::from(v)),
            _ => fail(&format!("unknown argument {arg:?}")),
        }
    }
    let catalogue = tongban_platform::Options::sample_catalogue(&assets)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let options = tongban_platform::Options {
        port,
        db,
        catalogue,
        ticket_ttl,
    };
    let platform = match (tls_cert, tls_key, client_ca) {
        (None, None, None) => tongban_platform::Platform::start(options),
        (Some(cert), Some(key), Some(ca)) => {
            tongban_platform::ServerTls::from_files(&cert, &key, &ca)
                .and_then(|tls| tongban_platform::Platform::start_tls(options, tls))
        }
        _ => fail("--tls-cert, --tls-key and --client-ca go together (mutual TLS) or not at all"),
    }
    .unwrap_or_else(|e| fail(&e.to_string()));
    if let Some(key) = fleet_key {
        platform.set_fleet_key(key);
    }
    if let Some(copies) = copies_per_day {
        platform.set_copies_per_day(copies);
    }
    // The URL, then the key its catalogue and licences are signed with (a
    // terminal's `platform.public_key`).
    println!(
        "reference platform at {} key {}",
        platform.url(),
        tongban_platform_api::key_base64(
            &tongban_platform_api::sample_signing_key().verifying_key()
        )
    );
    // The demo kiosk reads that line; make sure it is out.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&e.to_string()));
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    drop(platform);
}

fn fail(message: &str) -> ! {
    eprintln!("tongban-platform: {message}");
    eprintln!(
        "usage: tongban-platform [--port N] [--db PATH] [--assets DIR] [--fleet-key BASE64] \
         [--ticket-ttl SECONDS] [--copies-per-day N] [--tls-cert PEM --tls-key PEM --client-ca PEM]"
    );
    std::process::exit(2)
}
