//! The reader's device logic without a port or a clock: when to check the
//! SAM, when to look for a card, reading it twice before it counts, noticing
//! its removal, asking for it again after three failed reads, and when the
//! port must be reopened. A transport (module `serial`) pumps it: it sends
//! what [`Poller::poll_command`] asks for, hands back the answer, and sleeps
//! until [`Poller::poll_timeout`]. Every instant comes in as an argument, so
//! tests drive it with a made-up clock and no port.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tongban_device::DeviceState;
use zeroize::Zeroizing;

use crate::frame::{Command, FrameError, Response, Status, split_read};
use crate::text::{self, CardIdentity};

/// What the reader reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ReaderEvent {
    /// The reader's state changed.
    State(DeviceState),
    /// A card was read (once per placing).
    Card(Box<CardIdentity>),
    /// A card was found but could not be read; the resident should place it
    /// again.
    ReadFailed(ReadFailure),
    /// The card was taken away.
    Removed,
}

/// Why a card could not be read (no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFailure {
    /// The reader reported a failure status.
    Status(Status),
    /// The answer was damaged or late.
    Line,
    /// The text block did not decode.
    Text,
}

/// Why an exchange with the reader brought no answer, as the transport
/// saw it. The poller reacts differently to each: a late answer means the
/// reader is gone, a damaged one is retried, a failed port is reopened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// No complete answer within the command's timeout.
    #[error("no answer in time")]
    NoAnswer,
    /// The answer was damaged (checksum or length).
    #[error("damaged answer: {0}")]
    Damaged(FrameError),
    /// The port failed while in use (unplugged).
    #[error("port failed: {0}")]
    PortFailed(String),
}

/// The poller's timings (see `serial::PollConfig` for the usual values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Time between find-card polls.
    pub interval: Duration,
    /// Timeout of reading a card (select, text and photo).
    pub timeout: Duration,
    /// Timeout of the quick commands (SAM status, find card).
    pub probe_timeout: Duration,
    /// Time between attempts to reopen the port.
    pub reconnect: Duration,
}

/// A command the transport should send now, and how long to wait for its
/// answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit {
    /// The command.
    pub command: Command,
    /// How long the answer may take.
    pub timeout: Duration,
}

/// An exchange with the reader, with what it must remember: on the second
/// pass of a card read, the first pass's text block (overwritten when
/// dropped, left out of `Debug`).
enum Step {
    SamCheck,
    Find,
    Select(Option<Zeroizing<Vec<u8>>>),
    Read(Option<Zeroizing<Vec<u8>>>),
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pass = |first: &Option<_>| if first.is_some() { 2 } else { 1 };
        match self {
            Step::SamCheck => write!(f, "SamCheck"),
            Step::Find => write!(f, "Find"),
            Step::Select(first) => write!(f, "Select(pass {})", pass(first)),
            Step::Read(first) => write!(f, "Read(pass {})", pass(first)),
        }
    }
}

impl Step {
    fn command(&self) -> Command {
        match self {
            Step::SamCheck => Command::SamStatus,
            Step::Find => Command::FindCard,
            Step::Select(_) => Command::SelectCard,
            Step::Read(_) => Command::ReadTextPhoto,
        }
    }
}

/// Where the poller is.
#[derive(Debug)]
enum Phase {
    /// No usable port: the transport should (re)open it at `at`.
    Closed { at: Instant },
    /// `step` is to be sent at `at`.
    Due { step: Step, at: Instant },
    /// `step` was sent; its answer is awaited.
    Sent(Step),
}

/// The reader's device logic, driven by the transport (see the module
/// docs). Each placed card is read once, twice over; its removal is
/// reported; a failed read is retried while the card stays, and reported
/// once on the third failure in a row. State events come only on change.
#[derive(Debug)]
pub struct Poller {
    timings: Timings,
    phase: Phase,
    state: DeviceState,
    events: VecDeque<ReaderEvent>,
    /// Whether the card on the reader has been read, so it is not read at
    /// every poll.
    card_done: bool,
    /// Whether the last find saw a card.
    card_present: bool,
    /// Failed reads of the card on the reader, in a row.
    failures: u32,
}

impl Poller {
    /// A poller that wants the port opened at `now`.
    pub fn new(timings: Timings, now: Instant) -> Self {
        Self {
            timings,
            phase: Phase::Closed { at: now },
            state: DeviceState::NoDevice,
            events: VecDeque::new(),
            card_done: false,
            card_present: false,
            failures: 0,
        }
    }

    /// Whether the transport should (re)open the port now. Once it has
    /// tried, it reports with [`Poller::handle_opened`] or
    /// [`Poller::handle_open_failed`].
    pub fn poll_open(&self, now: Instant) -> bool {
        matches!(self.phase, Phase::Closed { at } if at <= now)
    }

    /// Whether the port is in use. After a failure it is not: the
    /// transport closes it and opens a fresh one when [`Poller::poll_open`]
    /// says so.
    pub fn wants_port(&self) -> bool {
        !matches!(self.phase, Phase::Closed { .. })
    }

    /// The port is open: the SAM is checked first, since cards are not
    /// worth finding without a healthy one.
    pub fn handle_opened(&mut self, now: Instant) {
        self.phase = Phase::Due {
            step: Step::SamCheck,
            at: now,
        };
    }

    /// The port could not be opened (absent, no permission).
    pub fn handle_open_failed(&mut self, now: Instant) {
        self.set_state(DeviceState::Offline);
        self.close(now + self.timings.reconnect);
    }

    /// The command to send, if one is due at `now`. Its answer must come
    /// back through [`Poller::handle_response`] before anything else is
    /// sent.
    pub fn poll_command(&mut self, now: Instant) -> Option<Transmit> {
        if !matches!(self.phase, Phase::Due { at, .. } if at <= now) {
            return None;
        }
        let Phase::Due { step, .. } = std::mem::replace(&mut self.phase, Phase::Closed { at: now })
        else {
            unreachable!("checked above")
        };
        let timeout = match step {
            Step::SamCheck | Step::Find => self.timings.probe_timeout,
            Step::Select(_) | Step::Read(_) => self.timings.timeout,
        };
        let command = step.command();
        self.phase = Phase::Sent(step);
        Some(Transmit { command, timeout })
    }

    /// The answer to the command last sent, or why there was none; `now`
    /// is when it came.
    pub fn handle_response(&mut self, now: Instant, answer: Result<Response, ExchangeError>) {
        let step = match std::mem::replace(&mut self.phase, Phase::Closed { at: now }) {
            Phase::Sent(step) => step,
            other => {
                // Nothing was asked: the answer belongs to no exchange.
                self.phase = other;
                return;
            }
        };
        match step {
            Step::SamCheck => self.sam_checked(now, answer),
            Step::Find => self.found(now, answer),
            Step::Select(first) => match answer {
                Ok(response) if response.status.is_success() => self.due(Step::Read(first), now),
                other => self.read_went_wrong(now, other),
            },
            Step::Read(first) => match answer {
                Ok(response) if response.status.is_success() => {
                    self.text_read(now, &response, first)
                }
                other => self.read_went_wrong(now, other),
            },
        }
    }

    /// When the poller next wants to be called, if it waits for a time
    /// (not for an answer).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::Closed { at } | Phase::Due { at, .. } => Some(at),
            Phase::Sent(_) => None,
        }
    }

    /// The next event to hand out.
    pub fn poll_event(&mut self) -> Option<ReaderEvent> {
        self.events.pop_front()
    }

    fn set_state(&mut self, new: DeviceState) {
        if new != self.state {
            self.state = new;
            self.events.push_back(ReaderEvent::State(new));
        }
    }

    fn close(&mut self, at: Instant) {
        self.phase = Phase::Closed { at };
    }

    fn due(&mut self, step: Step, at: Instant) {
        self.phase = Phase::Due { step, at };
    }

    fn next_find(&mut self, now: Instant) {
        self.due(Step::Find, now + self.timings.interval);
    }

    fn sam_checked(&mut self, now: Instant, answer: Result<Response, ExchangeError>) {
        match answer {
            Ok(response) if response.status.is_success() => {
                self.set_state(DeviceState::Online);
                self.due(Step::Find, now);
            }
            Ok(response) => {
                tracing::warn!(status = ?response.status, "reader SAM fault");
                self.set_state(DeviceState::HardwareError);
                self.close(now + self.timings.interval.max(self.timings.reconnect));
            }
            Err(error) => {
                tracing::warn!(%error, "reader does not answer");
                self.set_state(DeviceState::Offline);
                self.close(now + self.timings.reconnect);
            }
        }
    }

    fn found(&mut self, now: Instant, answer: Result<Response, ExchangeError>) {
        match answer {
            Ok(response) if response.status == Status::FindOk => {
                self.card_present = true;
                if self.card_done {
                    self.next_find(now);
                } else {
                    self.set_state(DeviceState::Busy);
                    self.due(Step::Select(None), now);
                }
            }
            Ok(response) if response.status.is_sam_fault() => {
                self.set_state(DeviceState::HardwareError);
                self.close(now + self.timings.reconnect);
            }
            Ok(_) => {
                if self.card_present {
                    self.events.push_back(ReaderEvent::Removed);
                }
                self.card_present = false;
                self.card_done = false;
                self.failures = 0;
                self.next_find(now);
            }
            Err(ExchangeError::Damaged(error)) => {
                tracing::debug!(%error, "damaged frame while polling");
                self.next_find(now);
            }
            Err(error) => {
                tracing::warn!(%error, "reader port failed");
                self.set_state(DeviceState::Offline);
                self.close(now + self.timings.reconnect);
            }
        }
    }

    /// A read answer: the first pass's text is kept for the second; only
    /// two identical text blocks make an identity. The frame's XOR
    /// checksum misses errors that cancel out, and a wrong name or number
    /// must never reach a resident's session.
    fn text_read(&mut self, now: Instant, response: &Response, first: Option<Zeroizing<Vec<u8>>>) {
        let text = match split_read(&response.data, false) {
            Ok(parts) => Zeroizing::new(parts.text.to_vec()),
            Err(_) => return self.read_failed(now, ReadFailure::Line),
        };
        let Some(first) = first else {
            return self.due(Step::Select(Some(text)), now);
        };
        if first != text {
            return self.read_failed(now, ReadFailure::Line);
        }
        match text::decode(&text) {
            Ok(identity) => {
                self.card_done = true;
                self.failures = 0;
                self.events.push_back(ReaderEvent::Card(Box::new(identity)));
                self.set_state(DeviceState::Online);
                self.next_find(now);
            }
            Err(_) => self.read_failed(now, ReadFailure::Text),
        }
    }

    /// A select or read that failed or brought no answer.
    fn read_went_wrong(&mut self, now: Instant, answer: Result<Response, ExchangeError>) {
        match answer {
            Ok(response) => self.read_failed(now, ReadFailure::Status(response.status)),
            Err(ExchangeError::PortFailed(error)) => {
                tracing::warn!(%error, "reader port failed");
                self.set_state(DeviceState::Offline);
                self.close(now + self.timings.reconnect);
            }
            Err(ExchangeError::NoAnswer | ExchangeError::Damaged(_)) => {
                self.read_failed(now, ReadFailure::Line);
            }
        }
    }

    /// Asks the resident to place the card again after the third failure
    /// in a row (once per placing), and keeps trying while the card stays.
    fn read_failed(&mut self, now: Instant, failure: ReadFailure) {
        self.failures += 1;
        tracing::info!(?failure, failures = self.failures, "card read failed");
        if self.failures == 3 {
            self.events.push_back(ReaderEvent::ReadFailed(failure));
        }
        self.set_state(DeviceState::Online);
        self.next_find(now);
    }
}

/// Everything personal it holds (the first read's text block, identities
/// waiting to be handed out) is overwritten when dropped.
impl zeroize::ZeroizeOnDrop for Poller {}

#[cfg(test)]
#[path = "poller_tests.rs"]
mod tests;
