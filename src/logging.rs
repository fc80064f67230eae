//! Logging with `tracing`: human-readable lines to stderr and to a daily
//! rotating file that keeps a configured number of days. Personal data never
//! reaches a log: the types that carry it redact themselves in `Debug`, and
//! the kiosk logs events and codes, never what a resident typed.

use std::io;
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the file writer flushing; drop it last.
#[must_use]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// A logging setup that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The log folder cannot be created or written.
    #[error("cannot write logs to {dir}: {reason}")]
    Dir {
        /// The folder.
        dir: String,
        /// What the system said.
        reason: String,
    },
}

/// The line format both outputs use; also used by tests to capture what the
/// kiosk would log.
pub fn format_layer<S, W>(writer: W) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
}

/// The filter: `RUST_LOG` if set, else the configured level for the kiosk
/// and warnings only from the windowing crates (which otherwise dump whole
/// window structures at info level).
pub fn filter(level: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "{level},iced_winit=warn,winit=warn,sctk=warn,calloop=warn,naga=warn,wgpu_core=warn,wgpu_hal=warn"
        ))
    })
}

/// Logs to stderr only (before the config is known, and for `kioskctl`).
pub fn init_stderr(level: &str) {
    let _ = tracing_subscriber::registry()
        .with(filter(level))
        .with(format_layer(io::stderr))
        .try_init();
}

/// Logs to stderr and to `dir/tongban.YYYY-MM-DD.log`, keeping `keep_files`
/// days.
pub fn init(dir: &Path, level: &str, keep_files: usize) -> Result<LogGuard, LogError> {
    let dir_error = |e: &dyn std::fmt::Display| LogError::Dir {
        dir: dir.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| dir_error(&e))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("tongban")
        .filename_suffix("log")
        .max_log_files(keep_files.max(1))
        .build(dir)
        .map_err(|e| dir_error(&e))?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let _ = tracing_subscriber::registry()
        .with(filter(level))
        .with(format_layer(io::stderr))
        .with(format_layer(file))
        .try_init();
    Ok(LogGuard { _file: Some(guard) })
}
