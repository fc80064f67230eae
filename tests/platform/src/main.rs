//! `tongban-platform [--port N] [--db PATH] [--assets DIR] [--fleet-key BASE64]`:
//! the reference platform on 127.0.0.1, serving the shipped sample
//! catalogue, until interrupted. Config bundles pushed to it must be signed
//! by the fleet key given (the sample fleet key by default).

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
            _ => fail(&format!("unknown argument {arg:?}")),
        }
    }
    let catalogue = tongban_platform::Options::sample_catalogue(&assets)
        .unwrap_or_else(|e| fail(&e.to_string()));
    let platform = tongban_platform::Platform::start(tongban_platform::Options {
        port,
        db,
        catalogue,
    })
    .unwrap_or_else(|e| fail(&e.to_string()));
    if let Some(key) = fleet_key {
        platform.set_fleet_key(key);
    }
    println!("reference platform at {}", platform.url());
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
    eprintln!("usage: tongban-platform [--port N] [--db PATH] [--assets DIR] [--fleet-key BASE64]");
    std::process::exit(2)
}
