//! The kiosk's device services: one named thread per device that owns its
//! port (the driver's poll loop), and one iced subscription per device that
//! brings its events to the UI. Unplugging a device touches only its own
//! thread. The UI never waits on a port.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ga467::serial::{PollConfig, ReaderEvent, poll_loop};
use iced::Subscription;
use iced::futures::{SinkExt, StreamExt};
use tongban_scanner::serial::{ScannerConfig, ScannerEvent, read_loop};

use crate::session::{DocumentKind, Identity, IdentitySource};

/// What identifies the reader service: a new path or speed restarts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReaderKey {
    /// The port.
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
}

/// Events of the reader service as the UI sees them.
pub fn reader(key: ReaderKey) -> Subscription<ReaderEvent> {
    Subscription::run_with(key, |key| {
        let config = PollConfig::new(key.path.clone(), key.baud);
        iced::stream::channel(16, async move |mut output| {
            let (tx, mut rx) = iced::futures::channel::mpsc::unbounded();
            let stop = Arc::new(AtomicBool::new(false));
            let thread_stop = stop.clone();
            let spawned = std::thread::Builder::new()
                .name("id-reader".into())
                .spawn(move || {
                    poll_loop(&config, &thread_stop, |event| {
                        if tx.unbounded_send(event).is_err() {
                            // Nobody listens any more: end the thread.
                            thread_stop.store(true, Ordering::SeqCst);
                        }
                    });
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start the reader thread");
                return;
            }
            while let Some(event) = rx.next().await {
                if output.send(event).await.is_err() {
                    break;
                }
            }
            stop.store(true, Ordering::SeqCst);
        })
    })
}

/// What identifies the scanner service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScannerKey {
    /// The port.
    pub path: PathBuf,
    /// Line speed.
    pub baud: u32,
    /// What ends a code.
    pub terminator: tongban_scanner::Terminator,
    /// Longest code, in bytes.
    pub limit: usize,
}

/// Events of the scanner service as the UI sees them.
pub fn scanner(key: ScannerKey) -> Subscription<ScannerEvent> {
    Subscription::run_with(key, |key| {
        let config = ScannerConfig {
            path: key.path.clone(),
            baud: key.baud,
            terminator: key.terminator,
            limit: key.limit,
            reconnect: std::time::Duration::from_secs(1),
        };
        iced::stream::channel(16, async move |mut output| {
            let (tx, mut rx) = iced::futures::channel::mpsc::unbounded();
            let stop = Arc::new(AtomicBool::new(false));
            let thread_stop = stop.clone();
            let spawned = std::thread::Builder::new()
                .name("qr-scanner".into())
                .spawn(move || {
                    read_loop(&config, &thread_stop, |event| {
                        if tx.unbounded_send(event).is_err() {
                            thread_stop.store(true, Ordering::SeqCst);
                        }
                    });
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start the scanner thread");
                return;
            }
            while let Some(event) = rx.next().await {
                if output.send(event).await.is_err() {
                    break;
                }
            }
            stop.store(true, Ordering::SeqCst);
        })
    })
}

/// The session's identity from a card. Names: the Chinese name where the
/// card has one, else the English name.
pub fn identity_of(card: &ga467::CardIdentity) -> Identity {
    let name = if card.name.trim().is_empty() {
        card.english_name.trim().to_owned()
    } else {
        card.name.trim().to_owned()
    };
    let kind = match card.kind {
        ga467::CardKind::ResidentId => DocumentKind::ResidentId,
        ga467::CardKind::HkMacaoTaiwanPermit => DocumentKind::HkMacaoTaiwanPermit,
        ga467::CardKind::ForeignPermanentOld | ga467::CardKind::ForeignPermanentNew => {
            DocumentKind::ForeignPermanentResident
        }
    };
    Identity {
        name,
        number: card.number.clone(),
        kind,
        source: IdentitySource::IdCard,
    }
}

/// Today as the card's date type.
pub fn today(now: chrono::DateTime<chrono::Local>) -> ga467::Date {
    use chrono::Datelike;
    ga467::Date {
        year: u16::try_from(now.year()).unwrap_or(0),
        month: now.month() as u8,
        day: now.day() as u8,
    }
}
