//! Logging with `tracing`: human-readable lines to stderr and to a log
//! folder capped in bytes. A new file starts each day and whenever the
//! current one reaches its size limit; the oldest files beyond the number
//! kept are deleted, so the logs never take more than `keep_files` ×
//! `max_file_bytes`. A line that cannot be written (a full disk, a folder
//! gone) is dropped — never a panic, never a wait — and stderr says once
//! that logs are being lost.
//!
//! Personal data never reaches a log: the types that carry it redact
//! themselves in `Debug`, and the kiosk logs events and codes, never what a
//! resident typed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The size at which a log file is rotated when the caller names none
/// (the default of `logging.max_file_mb`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// What the log files are called: `tongban.YYYY-MM-DD.NNNN.log`.
const PREFIX: &str = "tongban";

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

/// Logs to stderr and to `dir`, keeping `keep_files` files of at most
/// [`DEFAULT_MAX_FILE_BYTES`] each.
pub fn init(dir: &Path, level: &str, keep_files: usize) -> Result<LogGuard, LogError> {
    init_capped(dir, level, keep_files, DEFAULT_MAX_FILE_BYTES)
}

/// Logs to stderr and to `dir/tongban.YYYY-MM-DD.NNNN.log`: a new file each
/// day and whenever the current one would pass `max_file_bytes`, at most
/// `keep_files` files. Lines reach the file through a non-blocking writer,
/// so a slow or full disk never holds up the kiosk.
pub fn init_capped(
    dir: &Path,
    level: &str,
    keep_files: usize,
    max_file_bytes: u64,
) -> Result<LogGuard, LogError> {
    let file = RotatingFile::open(dir, keep_files, max_file_bytes).map_err(|e| LogError::Dir {
        dir: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let (file, guard) = tracing_appender::non_blocking(file);
    let _ = tracing_subscriber::registry()
        .with(filter(level))
        .with(format_layer(io::stderr))
        .with(format_layer(file))
        .try_init();
    Ok(LogGuard { _file: Some(guard) })
}

/// Today's date as the rotation sees it.
type Clock = Box<dyn FnMut() -> NaiveDate + Send>;

/// A log file that rotates by day and by size and keeps a bounded number
/// of files. Each `write` is taken as one whole line (the formatter writes
/// an event at once); a line that cannot be written is dropped and
/// counted, and `write` still succeeds so the caller never fails or
/// retries.
pub struct RotatingFile {
    dir: PathBuf,
    keep_files: usize,
    max_bytes: u64,
    clock: Clock,
    /// Where the one warning about lost lines goes (stderr in the kiosk).
    alarm: Box<dyn Write + Send>,
    current: Option<Current>,
    /// Lines dropped since logging last worked.
    lost: u64,
    /// Lines dropped since the start.
    lost_total: u64,
    /// Stderr was told lines are being lost (said once until logging
    /// works again).
    warned: bool,
    /// The start of a line written in pieces, until its newline.
    pending: Vec<u8>,
}

/// The file being written.
struct Current {
    file: File,
    name: LogName,
    size: u64,
}

/// A log file's name: its day and its number within the day. Ordered by
/// age; the text form sorts the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LogName {
    date: NaiveDate,
    /// 0 for the daily files of earlier versions (older than any file of
    /// the same day named now), 1 for the files named now.
    generation: u8,
    seq: u32,
}

impl LogName {
    fn new(date: NaiveDate, seq: u32) -> Self {
        Self {
            date,
            generation: 1,
            seq,
        }
    }

    fn file_name(self) -> String {
        let date = self.date.format("%Y-%m-%d");
        if self.generation == 0 {
            format!("{PREFIX}.{date}.log")
        } else {
            format!("{PREFIX}.{date}.{:04}.log", self.seq)
        }
    }

    /// Reads `tongban.YYYY-MM-DD.NNNN.log`, and the daily files of earlier
    /// versions (`tongban.YYYY-MM-DD.log`) so they count against the cap
    /// too.
    fn parse(name: &str) -> Option<LogName> {
        let rest = name.strip_prefix(PREFIX)?.strip_prefix('.')?;
        let rest = rest.strip_suffix(".log")?;
        let (date, seq) = match rest.split_once('.') {
            Some((date, seq)) if !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()) => {
                (date, seq.parse().ok()?)
            }
            Some(_) => return None,
            None => {
                let date = NaiveDate::parse_from_str(rest, "%Y-%m-%d").ok()?;
                return Some(LogName {
                    date,
                    generation: 0,
                    seq: 0,
                });
            }
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        Some(LogName::new(date, seq))
    }
}

impl RotatingFile {
    /// Opens the log folder (creating it) with the local date as the clock
    /// and stderr for the warning about lost lines. Continues today's
    /// newest file if it has room.
    pub fn open(dir: &Path, keep_files: usize, max_bytes: u64) -> io::Result<RotatingFile> {
        RotatingFile::with_clock(
            dir,
            keep_files,
            max_bytes,
            Box::new(|| chrono::Local::now().date_naive()),
            Box::new(io::stderr()),
        )
    }

    /// As [`RotatingFile::open`] with the day taken from `clock` and the
    /// warning written to `alarm`.
    pub fn with_clock(
        dir: &Path,
        keep_files: usize,
        max_bytes: u64,
        clock: Clock,
        alarm: Box<dyn Write + Send>,
    ) -> io::Result<RotatingFile> {
        fs::create_dir_all(dir)?;
        let mut log = RotatingFile {
            dir: dir.to_path_buf(),
            keep_files: keep_files.max(1),
            max_bytes: max_bytes.max(1),
            clock,
            alarm,
            current: None,
            lost: 0,
            lost_total: 0,
            warned: false,
            pending: Vec::new(),
        };
        let today = (log.clock)();
        let name = match log.held().last() {
            Some(newest) if newest.date == today => *newest,
            // The clock went back: keep the order by age.
            Some(newest) if newest.date > today => LogName::new(newest.date, newest.seq + 1),
            _ => LogName::new(today, 0),
        };
        let name = match log.start(name) {
            Ok(current) if current.size >= log.max_bytes => LogName::new(name.date, name.seq + 1),
            Ok(current) => {
                log.current = Some(current);
                log.prune();
                return Ok(log);
            }
            Err(_) => name,
        };
        match log.start(name) {
            Ok(current) => log.current = Some(current),
            // A full disk at start: logging begins (and says what it
            // lost) once there is room; the kiosk starts all the same.
            Err(error) if error.kind() == io::ErrorKind::StorageFull => log.warn(&error),
            Err(error) => return Err(error),
        }
        log.prune();
        Ok(log)
    }

    /// Lines dropped since the start because they could not be written.
    pub fn lost_lines(&self) -> u64 {
        self.lost_total
    }

    /// The log files held, oldest first.
    fn held(&self) -> Vec<LogName> {
        let mut names: Vec<LogName> = fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| LogName::parse(entry.file_name().to_str()?))
            .collect();
        names.sort();
        names
    }

    /// Opens (appending) the file called `name`.
    fn start(&self, name: LogName) -> io::Result<Current> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(name.file_name()))?;
        let size = file.metadata()?.len();
        Ok(Current { file, name, size })
    }

    /// Deletes the oldest files beyond `keep_files`.
    fn prune(&self) {
        let held = self.held();
        let excess = held.len().saturating_sub(self.keep_files);
        for name in &held[..excess] {
            if self.current.as_ref().is_some_and(|c| c.name == *name) {
                // Never the file being written (a clock set back).
                continue;
            }
            let _ = fs::remove_file(self.dir.join(name.file_name()));
        }
    }

    /// The file the next line of `len` bytes goes to: a new one when the
    /// day changed or the line would take the current one past its size.
    fn target(&mut self, len: u64) -> io::Result<&mut Current> {
        let today = (self.clock)();
        let next = match &self.current {
            None => None,
            Some(current) if current.name.date < today => Some(LogName::new(today, 0)),
            Some(current) if current.size > 0 && current.size + len > self.max_bytes => {
                Some(LogName::new(current.name.date, current.name.seq + 1))
            }
            Some(_) => return Ok(self.current.as_mut().expect("checked above")),
        };
        let name = match next {
            Some(name) => name,
            // The last open failed: try a fresh file again for today.
            None => match self.held().last() {
                Some(newest) if newest.date >= today => LogName::new(newest.date, newest.seq + 1),
                _ => LogName::new(today, 0),
            },
        };
        self.current = None;
        let current = self.start(name)?;
        self.current = Some(current);
        self.prune();
        Ok(self.current.as_mut().expect("just set"))
    }

    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        // A single line longer than a whole file is cut to fit, so the cap
        // holds whatever is logged.
        let line = &line[..line
            .len()
            .min(usize::try_from(self.max_bytes).unwrap_or(usize::MAX))];
        let current = self.target(line.len() as u64)?;
        let result = current.file.write_all(line);
        // Count what may have reached the disk even when the write failed
        // partway, so the size limit stays an upper bound.
        current.size += line.len() as u64;
        result
    }

    /// Notes a dropped line; the first of a run says so on the alarm.
    fn lose(&mut self, error: &io::Error) {
        self.warn(error);
        self.lost += 1;
        self.lost_total += 1;
    }

    /// Says on the alarm, once until logging works again, that lines are
    /// being lost.
    fn warn(&mut self, error: &io::Error) {
        if !self.warned {
            let _ = writeln!(
                self.alarm,
                "tongban: log lines are being lost: cannot write to {}: {error}",
                self.dir.display()
            );
            self.warned = true;
        }
    }
}

impl Write for RotatingFile {
    /// Takes whole lines: a line that comes in pieces is held until its
    /// newline, so one line (or one multi-line event) is never split over
    /// two files. Always succeeds.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let complete = match self.pending.iter().rposition(|&b| b == b'\n') {
            Some(end) => end + 1,
            // A piece without an end that is already as long as a file
            // goes as it is.
            None if self.pending.len() as u64 >= self.max_bytes => self.pending.len(),
            None => return Ok(buf.len()),
        };
        let lines: Vec<u8> = self.pending.drain(..complete).collect();
        self.write_lines(&lines);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.write_lines(&rest);
        }
        if let Some(current) = self.current.as_mut() {
            let _ = current.file.flush();
        }
        Ok(())
    }
}

impl RotatingFile {
    /// Writes complete lines, or drops and counts them.
    fn write_lines(&mut self, buf: &[u8]) {
        if self.lost > 0 {
            // Logging failed before: say in the log what is missing, once
            // it can be written again.
            let note = format!(
                "{} WARN tongban::logging: {} log lines were lost (the log folder could not be written)\n",
                chrono::Local::now().to_rfc3339(),
                self.lost
            );
            if self.write_line(note.as_bytes()).is_ok() {
                self.lost = 0;
            }
        }
        match self.write_line(buf) {
            Ok(()) if self.warned && self.lost == 0 => {
                self.warned = false;
                let _ = writeln!(
                    self.alarm,
                    "tongban: logging to {} again",
                    self.dir.display()
                );
            }
            Ok(()) => {}
            Err(error) => self.lose(&error),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A clock the test moves.
    fn clock(day: &Arc<Mutex<NaiveDate>>) -> Clock {
        let day = Arc::clone(day);
        Box::new(move || *day.lock().unwrap())
    }

    /// An alarm the test reads.
    #[derive(Clone, Default)]
    struct Alarm(Arc<Mutex<Vec<u8>>>);

    impl Write for Alarm {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Alarm {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The files in `dir`, sorted by name, with their contents.
    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                (
                    path.file_name().unwrap().to_str().unwrap().to_owned(),
                    fs::read_to_string(&path).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn log(dir: &Path, keep: usize, max: u64, day: &Arc<Mutex<NaiveDate>>) -> RotatingFile {
        RotatingFile::with_clock(dir, keep, max, clock(day), Box::new(Alarm::default())).unwrap()
    }

    #[test]
    fn writing_past_the_size_rotates_and_no_file_passes_it() {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(Mutex::new(date(2025, 3, 1)));
        let mut log = log(dir.path(), 10, 100, &day);
        for i in 0..12 {
            // 30 bytes a line: three lines fit in 100 bytes, a fourth not.
            writeln!(log, "line {i:02} .....................").unwrap();
        }
        let files = files(dir.path());
        assert_eq!(files.len(), 4, "{files:?}");
        for (name, text) in &files {
            assert!(text.len() <= 100, "{name} holds {} bytes", text.len());
            assert_eq!(text.lines().count(), 3, "{name}: {text}");
        }
        assert_eq!(files[0].0, "tongban.2025-03-01.0000.log");
        assert_eq!(files[3].0, "tongban.2025-03-01.0003.log");
    }

    #[test]
    fn the_count_never_exceeds_keep_files_and_the_oldest_go_first() {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(Mutex::new(date(2025, 3, 1)));
        let mut log = log(dir.path(), 3, 64, &day);
        for i in 0..200 {
            writeln!(log, "line {i:04} ...............................").unwrap();
            let count = files(dir.path()).len();
            assert!(count <= 3, "{count} files after line {i}");
            if i % 50 == 0 {
                let next = day.lock().unwrap().succ_opt().unwrap();
                *day.lock().unwrap() = next;
            }
        }
        let files = files(dir.path());
        assert_eq!(files.len(), 3);
        // The newest lines are in the newest file, the ones before in the
        // files before it: nothing but the oldest was deleted.
        assert!(files[2].1.contains("line 0199"), "{files:?}");
        assert!(files[1].1.contains("line 0198"), "{files:?}");
        assert!(files[0].1.contains("line 0197"), "{files:?}");
        let total: usize = files.iter().map(|(_, text)| text.len()).sum();
        assert!(total <= 3 * 64);
    }

    #[test]
    fn names_sort_by_age_across_days_and_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(Mutex::new(date(2025, 12, 30)));
        let mut log = log(dir.path(), 100, 40, &day);
        let mut written = Vec::new();
        for i in 0..40 {
            if i % 13 == 12 {
                let next = day.lock().unwrap().succ_opt().unwrap();
                *day.lock().unwrap() = next;
            }
            let line = format!("{i:03} ..............\n");
            log.write_all(line.as_bytes()).unwrap();
            written.push(line);
        }
        // Reading the files in name order gives the lines in the order
        // they were written.
        let read: String = files(dir.path()).into_iter().map(|(_, t)| t).collect();
        assert_eq!(read, written.concat());
        assert!(
            files(dir.path())
                .iter()
                .any(|(n, _)| n.starts_with("tongban.2026-01-02."))
        );
        // Eleven files a day would pass 9 in one digit; the name pads it.
        assert!(
            files(dir.path())
                .iter()
                .all(|(n, _)| n.len() == "tongban.2025-12-30.0000.log".len())
        );
    }

    #[test]
    fn a_day_change_rotates_even_a_small_file() {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(Mutex::new(date(2025, 3, 1)));
        let mut log = log(dir.path(), 5, 1_000_000, &day);
        log.write_all(b"before midnight\n").unwrap();
        *day.lock().unwrap() = date(2025, 3, 2);
        log.write_all(b"after midnight\n").unwrap();
        let files = files(dir.path());
        assert_eq!(
            files,
            vec![
                (
                    "tongban.2025-03-01.0000.log".into(),
                    "before midnight\n".into()
                ),
                (
                    "tongban.2025-03-02.0000.log".into(),
                    "after midnight\n".into()
                ),
            ]
        );
    }

    #[test]
    fn a_restart_continues_todays_file_and_counts_files_of_earlier_versions() {
        let dir = tempfile::tempdir().unwrap();
        // Daily files the earlier appender left.
        for d in 1..=4 {
            fs::write(
                dir.path().join(format!("tongban.2025-02-0{d}.log")),
                "old\n",
            )
            .unwrap();
        }
        fs::write(dir.path().join("notes.txt"), "not a log").unwrap();
        let day = Arc::new(Mutex::new(date(2025, 3, 1)));
        {
            let mut log = log(dir.path(), 3, 1000, &day);
            log.write_all(b"first run\n").unwrap();
        }
        let mut log = log(dir.path(), 3, 1000, &day);
        log.write_all(b"second run\n").unwrap();
        let files = files(dir.path());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "notes.txt",
                "tongban.2025-02-03.log",
                "tongban.2025-02-04.log",
                "tongban.2025-03-01.0000.log"
            ]
        );
        assert_eq!(files[3].1, "first run\nsecond run\n");
    }

    #[test]
    fn a_line_that_cannot_be_written_is_dropped_and_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let day = Arc::new(Mutex::new(date(2025, 3, 1)));
        let alarm = Alarm::default();
        let mut log =
            RotatingFile::with_clock(&logs, 3, 200, clock(&day), Box::new(alarm.clone())).unwrap();
        // 160 bytes: any further line of 43 needs a new file.
        log.write_all(format!("kept {}\n", ".".repeat(154)).as_bytes())
            .unwrap();
        // The folder goes away (as root, permissions would not stop us).
        fs::remove_dir_all(&logs).unwrap();
        for i in 0..20 {
            // Each line needs a new file, which cannot be made.
            let line = format!("lost {i:02} ..................................\n");
            let n = log.write(line.as_bytes());
            assert_eq!(n.unwrap(), line.len(), "the write succeeds for the caller");
        }
        assert_eq!(log.lost_lines(), 20);
        assert_eq!(
            alarm.text().matches("log lines are being lost").count(),
            1,
            "{}",
            alarm.text()
        );
        // The folder is back: logging resumes and says what is missing.
        fs::create_dir_all(&logs).unwrap();
        log.write_all(b"back\n").unwrap();
        let text: String = files(&logs).into_iter().map(|(_, t)| t).collect();
        assert!(text.contains("20 log lines were lost"), "{text}");
        assert!(text.ends_with("back\n"), "{text}");
        assert!(alarm.text().contains("logging to"), "{}", alarm.text());
    }

    #[test]
    fn log_names_parse_back() {
        let name = LogName::new(date(2025, 1, 9), 12);
        assert_eq!(LogName::parse(&name.file_name()), Some(name));
        assert_eq!(
            LogName::parse("tongban.2025-01-09.log"),
            Some(LogName {
                date: date(2025, 1, 9),
                generation: 0,
                seq: 0
            })
        );
        // An earlier version's file is older than the files of its day
        // named now.
        assert!(
            LogName::parse("tongban.2025-01-09.log").unwrap() < LogName::new(date(2025, 1, 9), 0)
        );
        for other in [
            "tongban.log",
            "tongban.2025-13-01.log",
            "tongban.2025-01-09.x.log",
            "x.2025-01-09.log",
        ] {
            assert_eq!(LogName::parse(other), None, "{other}");
        }
    }
}
