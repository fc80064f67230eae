//! The kiosk's client of the central platform (reqwest with rustls, on the
//! tokio runtime; never on the UI thread). Every call has a timeout;
//! transient failures (no connection, a timeout, a 5xx, an answer cut
//! short) are retried with jittered exponential backoff. So far: the
//! catalogue, fetched with `If-None-Match` so an unchanged one costs a
//! 304, verified against the pinned platform key and swapped into the
//! store in one statement — a failed, forged or older catalogue leaves the
//! held one in place — and the heartbeat.
//!
//! By concern: `client` makes the calls, `catalogue` verifies and
//! holds what it fetched, `outbox` delivers queued submissions,
//! `events` is what the UI hears, `service` is the thread that does
//! it all in turn (with `bundles` for fleet config). Every public item
//! is re-exported here, so callers name `crate::platform::X`.

mod bundles;
mod catalogue;
mod client;
mod events;
mod outbox;
mod service;
pub mod tls;

pub use catalogue::{
    SEED_CATALOGUE, SEED_SIGNATURE, SyncError, SyncOutcome, apply_catalogue, seed, sync_catalogue,
};
pub(crate) use client::error_chain;
pub use client::{
    BODY_LIMIT, CATALOGUE_LIMIT, Client, ClientError, ClientOptions, Fetched, acknowledgement_field,
};
pub use events::{CatalogueData, ConfigData, DeviceSink, PlatformEvent};
pub use outbox::{DrainReport, drain_chunk, drain_outbox, drop_old_refused_bodies};
pub use service::{PlatformService, lower_thread_priority, run_service};

/// The most staff actions (audit entries) one heartbeat carries.
pub const STAFF_ACTIONS_PER_HEARTBEAT: u32 = 50;
