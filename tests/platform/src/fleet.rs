//! Fleet config bundles, stored per scope and served as the plain signed
//! files they are, and the fleet's health from the terminals' last
//! heartbeats (with the latest staff action each reported).
//!
//! A push is authorised by its signature alone: the platform takes only
//! bundles the fleet key signed, for the scope they name, newer than the
//! one it serves and not expired — the same checks a terminal makes, so a
//! bundle the platform refuses would be refused by every terminal anyway.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use tongban_platform_api::ed25519_dalek::VerifyingKey;
use tongban_platform_api::fleet::{
    BundleError, BundleFile, Pushed, Scope, sample_fleet_signing_key,
};
use tongban_platform_api::terminal::{Heartbeat, TerminalHealth};

use crate::tls::{PeerExt, not_a_terminal, wrong_terminal};
use crate::{Shared, misbehave, refuse};
use tongban_platform_api::problem::codes;

#[derive(Clone)]
struct Stored {
    version: u64,
    body: Bytes,
    etag: String,
}

/// The fleet key and the bundles served, kept in memory in front of the
/// database so a heartbeat's "is a bundle waiting?" costs no query.
pub(crate) struct Fleet {
    key: Mutex<VerifyingKey>,
    bundles: Mutex<HashMap<Scope, Stored>>,
}

fn etag(scope: &Scope, version: u64) -> String {
    format!("\"{scope}-v{version}\"")
}

impl Fleet {
    /// The bundles in the database, and the sample fleet key.
    pub(crate) fn load(db: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let mut stmt = db.prepare("SELECT scope, version, body FROM bundles")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut bundles = HashMap::new();
        for (scope, version, body) in rows.filter_map(Result::ok) {
            let Ok(scope) = scope.parse::<Scope>() else {
                continue;
            };
            let version = version.max(0) as u64;
            bundles.insert(
                scope.clone(),
                Stored {
                    version,
                    body: Bytes::from(body),
                    etag: etag(&scope, version),
                },
            );
        }
        Ok(Self {
            key: Mutex::new(sample_fleet_signing_key().verifying_key()),
            bundles: Mutex::new(bundles),
        })
    }

    pub(crate) fn set_key(&self, key: VerifyingKey) {
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = key;
    }

    /// Whether a bundle newer than what the terminal runs waits for one of
    /// its scopes — one it has not already refused or rolled back.
    pub(crate) fn waiting_for(&self, beat: &Heartbeat) -> bool {
        let bundles = self.bundles.lock().unwrap_or_else(|e| e.into_inner());
        if bundles.is_empty() {
            return false;
        }
        Scope::chain(
            beat.district.as_deref(),
            beat.branch.as_deref(),
            &beat.terminal,
        )
        .iter()
        .any(|scope| {
            let Some(stored) = bundles.get(scope) else {
                return false;
            };
            let runs = beat
                .config
                .iter()
                .find(|a| &a.scope == scope)
                .map(|a| a.version);
            let given_up = beat
                .config_problem
                .as_ref()
                .is_some_and(|p| &p.scope == scope && p.version >= stored.version);
            runs.is_none_or(|v| v < stored.version) && !given_up
        })
    }
}

/// Keeps a terminal's last heartbeat for the fleet view.
pub(crate) fn record(
    tx: &rusqlite::Transaction<'_>,
    beat: &Heartbeat,
    body: &[u8],
) -> rusqlite::Result<()> {
    let now = chrono::Local::now();
    tx.execute(
        "INSERT INTO terminals (terminal, district, branch, received_at, received_unix, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (terminal) DO UPDATE SET district = ?2, branch = ?3,
             received_at = ?4, received_unix = ?5, body = ?6",
        rusqlite::params![
            beat.terminal,
            beat.district,
            beat.branch,
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            now.timestamp(),
            String::from_utf8_lossy(body),
        ],
    )?;
    Ok(())
}

fn bad_scope(scope: &str) -> Response {
    refuse(
        StatusCode::BAD_REQUEST,
        codes::INVALID_PATH,
        format!("{scope:?} is not a scope (fleet, district:ID, branch:ID, terminal:ID)"),
    )
}

/// GET a scope's bundle file, conditionally.
pub(crate) async fn bundle(
    State(shared): State<Arc<Shared>>,
    UrlPath(scope): UrlPath<String>,
    headers: HeaderMap,
    peer: PeerExt,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let Ok(parsed) = scope.parse::<Scope>() else {
        return bad_scope(&scope);
    };
    // A terminal's own bundle (it may hold its staff's PIN hashes) goes
    // only to that terminal; the wider scopes to any terminal.
    let refused = match &parsed {
        Scope::Terminal(id) => wrong_terminal(&peer, id),
        _ => not_a_terminal(&peer),
    };
    if let Some(r) = refused {
        return r;
    }
    let stored = shared
        .fleet
        .bundles
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&parsed)
        .cloned();
    let Some(stored) = stored else {
        return refuse(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "no bundle for this scope",
        );
    };
    let etag_value =
        HeaderValue::from_str(&stored.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == stored.etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    let mut body = stored.body.clone();
    if shared
        .faults
        .malformed
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        body.truncate(body.len() / 3);
    }
    (
        StatusCode::OK,
        [
            (header::ETAG, etag_value),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response()
}

/// PUT a signed bundle file for a scope.
pub(crate) async fn push(
    State(shared): State<Arc<Shared>>,
    UrlPath(scope): UrlPath<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let Ok(parsed) = scope.parse::<Scope>() else {
        return bad_scope(&scope);
    };
    // The file as the contract describes it (base64 where it says so),
    // then its signature, then the bundle it carries.
    if let Err(why) = shared.contract.read::<BundleFile>("BundleFile", &body) {
        return refuse(StatusCode::BAD_REQUEST, codes::INVALID_BODY, why);
    }
    let key = *shared.fleet.key.lock().unwrap_or_else(|e| e.into_inner());
    let bundle = match BundleFile::parse(&body).and_then(|file| file.open(&key)) {
        Ok(b) => b,
        Err(BundleError::Signature(e)) => {
            return refuse(
                StatusCode::FORBIDDEN,
                codes::BAD_SIGNATURE,
                format!("refused: {e}"),
            );
        }
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                codes::BUNDLE_REFUSED,
                e.to_string(),
            );
        }
    };
    // Check and store under the lock, so two pushes for one scope cannot
    // both pass the version check.
    let mut bundles = shared
        .fleet
        .bundles
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let held = bundles.get(&parsed).map(|s| s.version);
    let now = chrono::Local::now().fixed_offset();
    match bundle.check(&parsed, held, now) {
        Ok(()) => {}
        Err(e @ BundleError::Stale { .. }) => {
            return refuse(StatusCode::CONFLICT, codes::CONFLICT, e.to_string());
        }
        Err(e) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::BUNDLE_REFUSED,
                e.to_string(),
            );
        }
    }
    let stored = shared.db.lock().unwrap_or_else(|e| e.into_inner()).execute(
        "INSERT INTO bundles (scope, version, body, pushed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (scope) DO UPDATE SET version = ?2, body = ?3, pushed_at = ?4",
        rusqlite::params![
            parsed.to_string(),
            bundle.version as i64,
            body.to_vec(),
            now.to_rfc3339()
        ],
    );
    if let Err(error) = stored {
        tracing::error!(%error, "bundle not stored");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    tracing::info!(scope = %parsed, version = bundle.version, "bundle pushed");
    bundles.insert(
        parsed.clone(),
        Stored {
            version: bundle.version,
            body,
            etag: etag(&parsed, bundle.version),
        },
    );
    drop(bundles);
    (
        StatusCode::CREATED,
        axum::Json(Pushed {
            scope: parsed,
            version: bundle.version,
        }),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct Filter {
    district: Option<String>,
    branch: Option<String>,
}

/// GET every terminal's last heartbeat, optionally for one district or
/// branch.
pub(crate) async fn terminals(
    State(shared): State<Arc<Shared>>,
    Query(filter): Query<Filter>,
) -> Response {
    if let Some(r) = misbehave(&shared).await {
        return r;
    }
    let now = chrono::Local::now().timestamp();
    let rows: rusqlite::Result<Vec<(String, i64, String)>> = {
        let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
        db.prepare(
            "SELECT received_at, received_unix, body FROM terminals
             WHERE (?1 IS NULL OR district = ?1) AND (?2 IS NULL OR branch = ?2)
             ORDER BY terminal",
        )
        .and_then(|mut stmt| {
            stmt.query_map(rusqlite::params![filter.district, filter.branch], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })
    };
    let rows = match rows {
        Ok(r) => r,
        Err(error) => {
            tracing::error!(%error, "fleet view unavailable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let list: Vec<TerminalHealth> = rows
        .into_iter()
        .filter_map(|(received_at, unix, body)| {
            let beat: Heartbeat = serde_json::from_str(&body).ok()?;
            // The latest staff action, whichever heartbeat brought it.
            let last_staff_action = {
                let db = shared.db.lock().unwrap_or_else(|e| e.into_inner());
                crate::staff_actions(&db, &beat.terminal, 1)
                    .ok()
                    .and_then(|mut a| a.pop())
            };
            Some(TerminalHealth {
                terminal: beat.terminal,
                district: beat.district,
                branch: beat.branch,
                last_heartbeat: received_at,
                seconds_since: (now - unix).max(0) as u64,
                catalogue_version: beat.catalogue_version,
                config: beat.config,
                config_problem: beat.config_problem,
                devices: beat.devices,
                supplies: beat.supplies,
                outbox_depth: beat.outbox_depth,
                last_staff_action,
                disk: beat.disk,
            })
        })
        .collect();
    axum::Json(list).into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::{Read, Write};
    use std::net::SocketAddr;
    use std::time::Duration;

    use tongban_platform_api::fleet::{BundleFile, ConfigBundle, Scope, sample_fleet_signing_key};
    use tongban_platform_api::terminal::Heartbeat;

    use crate::{Options, Platform};

    /// One request on its own connection: the status, or why none came
    /// within 10 s.
    fn request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Result<u16, String> {
        let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body))
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .map_err(|e| format!("{method} {path}: no answer ({e})"))?;
        String::from_utf8_lossy(&answer)
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{method} {path}: not HTTP"))
    }

    /// A push stores into the database holding the bundles; a heartbeat
    /// stores holding the database, then asks the bundles whether one
    /// waits. Asked under the database's lock, the two deadlocked, and
    /// with them the whole platform (found by `benches/fleet.rs`).
    #[test]
    fn pushes_during_heartbeats_never_deadlock() {
        let dir = std::env::temp_dir().join(format!("tongban-platform-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let assets = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets"));
        let platform =
            Platform::start(Options::sample(assets, dir.join("deadlock.db")).unwrap()).unwrap();
        let addr = platform.addr();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let beats: Vec<_> = (0..3)
            .map(|n| {
                let stop = stop.clone();
                std::thread::spawn(move || -> Result<u64, String> {
                    let terminal = format!("SH-PD-000{n}-01");
                    let beat = Heartbeat {
                        catalogue_version: Some(1),
                        district: Some("PD".into()),
                        branch: Some(format!("SH-PD-000{n}")),
                        ..Heartbeat::new(&terminal, "2026-12-04T10:00:00+08:00")
                    };
                    let body = serde_json::to_vec(&beat).unwrap();
                    let path = format!("/v1/terminals/{terminal}/heartbeat");
                    let mut sent = 0;
                    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                        match request(addr, "POST", &path, &body)? {
                            200 => sent += 1,
                            status => return Err(format!("heartbeat: HTTP {status}")),
                        }
                    }
                    Ok(sent)
                })
            })
            .collect();
        let key = sample_fleet_signing_key();
        let now = chrono::Local::now().fixed_offset();
        let mut outcome = Ok(());
        for version in 1..=150 {
            let file = BundleFile::seal(
                &key,
                &ConfigBundle {
                    scope: Scope::Fleet,
                    version,
                    issued_at: now.to_rfc3339(),
                    expires_at: (now + chrono::Duration::days(1)).to_rfc3339(),
                    files: BTreeMap::from([(
                        "fleet.toml".into(),
                        "[service]\nhotline = \"12345\"\n".into(),
                    )]),
                },
            );
            let body = serde_json::to_vec(&file).unwrap();
            match request(addr, "PUT", "/v1/fleet/bundles/fleet", &body) {
                Ok(201) => {}
                Ok(status) => outcome = Err(format!("push {version}: HTTP {status}")),
                Err(why) => outcome = Err(why),
            }
            if outcome.is_err() {
                break;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for beat in beats {
            match beat.join().unwrap() {
                Ok(sent) => assert!(sent > 0),
                Err(why) => outcome = outcome.and(Err(why)),
            }
        }
        if let Err(why) = outcome {
            // A deadlocked platform cannot be stopped: leave it.
            std::mem::forget(platform);
            panic!("{why}");
        }
        drop(platform);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
