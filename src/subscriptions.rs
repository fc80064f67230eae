//! The iced side of the kiosk's services. Each service runs on its own
//! named thread as plain Rust (the device loops, the printers, the
//! platform thread, the disk watch) and knows nothing of iced; this module
//! starts each thread and streams its events to the UI as a subscription.
//! Outside the UI (app, screens, widgets, theme) it is the one module that
//! names iced.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ga467::serial::{PollConfig, ReaderEvent, poll_loop};
use iced::Subscription;
use iced::futures::{SinkExt, Stream, StreamExt};
use tongban_scanner::serial::{ScannerConfig, ScannerEvent, read_loop};

use crate::devices::{ReaderKey, ScannerKey};
use crate::disk::{CHECK_EVERY, DiskEvent, WatchKey};
use crate::platform::{PlatformEvent, PlatformService, run_service};
use crate::print::service::{
    A4Service, PrinterEvent, ReceiptService, Timing, a4_loop, receipt_loop,
};

/// Runs a service loop on its own named thread and streams its events to
/// the UI. The thread ends when the stream is dropped (the subscription
/// went away) or nobody takes its events any more.
fn service_thread<E: Send + 'static>(
    name: &'static str,
    run: impl FnOnce(&AtomicBool, &mut dyn FnMut(E)) + Send + 'static,
) -> impl Stream<Item = E> {
    iced::stream::channel(16, async move |mut output| {
        let (tx, mut rx) = iced::futures::channel::mpsc::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut emit = |event| {
                    if tx.unbounded_send(event).is_err() {
                        thread_stop.store(true, Ordering::SeqCst);
                    }
                };
                run(&thread_stop, &mut emit);
            });
        if let Err(error) = spawned {
            tracing::error!(%error, thread = name, "cannot start a service thread");
            return;
        }
        while let Some(event) = rx.next().await {
            if output.send(event).await.is_err() {
                break;
            }
        }
        stop.store(true, Ordering::SeqCst);
    })
}

/// The ID card reader's events; a new path or speed restarts it.
pub fn reader(key: ReaderKey) -> Subscription<ReaderEvent> {
    Subscription::run_with(key, |key| {
        let config = PollConfig::new(key.path.clone(), key.baud);
        service_thread("id-reader", move |stop, emit| {
            poll_loop(&config, stop, emit)
        })
    })
}

/// The QR scanner's events.
pub fn scanner(key: ScannerKey) -> Subscription<ScannerEvent> {
    Subscription::run_with(key, |key| {
        let config = ScannerConfig {
            path: key.path.clone(),
            baud: key.baud,
            terminator: key.terminator,
            limit: key.limit,
            reconnect: std::time::Duration::from_secs(1),
        };
        service_thread("qr-scanner", move |stop, emit| {
            read_loop(&config, stop, emit)
        })
    })
}

/// The A4 printer's events, keyed by its address and store.
pub fn a4(service: A4Service) -> Subscription<PrinterEvent> {
    Subscription::run_with(service, |service| {
        let service = service.clone();
        service_thread("a4-printer", move |stop, emit| {
            a4_loop(&service, Timing::default(), stop, emit)
        })
    })
}

/// The receipt printer's events.
pub fn receipt(service: ReceiptService) -> Subscription<PrinterEvent> {
    Subscription::run_with(service, |service| {
        let service = service.clone();
        service_thread("receipt-printer", move |stop, emit| {
            receipt_loop(&service, Timing::default(), stop, emit)
        })
    })
}

/// The platform thread's events (heartbeats, catalogue, outbox, fleet).
pub fn platform(service: PlatformService) -> Subscription<PlatformEvent> {
    Subscription::run_with(service, |service| {
        let service = service.clone();
        service_thread("platform", move |stop, emit| {
            run_service(&service, stop, emit)
        })
    })
}

/// The store's free space, measured right away and every
/// [`CHECK_EVERY`]; an event only when the guard's answer changes.
pub fn disk(key: WatchKey) -> Subscription<DiskEvent> {
    Subscription::run_with(key, |key| {
        let guard = crate::disk::guard(&key.store, key.min_free_mb);
        service_thread("disk", move |stop, emit| {
            crate::disk::run_watch(&guard, CHECK_EVERY, stop, emit)
        })
    })
}
