//! `kioskctl show`: what the terminal knows about itself — devices,
//! supplies, outbox, print journal, audit log — read from its store
//! (opened read-only) and printed as tables for staff or as JSON; and the
//! table and duration helpers the fleet status borrows.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Local};
use tongban::facts::{self, Facts};
use tongban::paths;
use tongban::store::Store;
use tongban_device::DeviceKind;

use super::print_config_errors;
use crate::{Place, Topic};

/// `kioskctl show`: finds the store as the kiosk does, then prints one
/// topic from it.
pub fn show_topic(what: Topic, place: Place, json: bool) -> ExitCode {
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
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
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
pub(super) fn age(secs: u64) -> String {
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
