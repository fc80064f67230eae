//! The poller driven by a made-up clock, with no port: what it sends,
//! what it reports and when it wants to act next.

use super::*;

const TIMINGS: Timings = Timings {
    interval: Duration::from_millis(300),
    timeout: Duration::from_secs(5),
    probe_timeout: Duration::from_secs(1),
    reconnect: Duration::from_secs(2),
};

/// A fictional resident with card number `number`.
fn identity(number: &str) -> CardIdentity {
    let mut id = crate::text::tests::resident();
    id.number = number.into();
    id
}

/// What a read that came to nothing reports: busy while reading, then
/// online again.
const BUSY_THEN_ONLINE: [ReaderEvent; 2] = [
    ReaderEvent::State(DeviceState::Busy),
    ReaderEvent::State(DeviceState::Online),
];

fn answer(status: Status, data: Vec<u8>) -> Result<Response, ExchangeError> {
    Ok(Response {
        sw1: 0,
        sw2: 0,
        status,
        data,
    })
}

/// The data of a `30 01` answer: lengths, text block, photo.
fn read_answer(text: &[u8]) -> Result<Response, ExchangeError> {
    let mut data = vec![0x01, 0x00, 0x04, 0x00];
    data.extend_from_slice(text);
    data.extend(std::iter::repeat_n(0x57, 1024));
    answer(Status::Ok, data)
}

/// A poller and the made-up clock it runs by.
struct Rig {
    poller: Poller,
    now: Instant,
}

impl Rig {
    /// A poller whose port has just opened.
    fn opened() -> Self {
        let now = Instant::now();
        let mut poller = Poller::new(TIMINGS, now);
        assert!(poller.poll_open(now));
        poller.handle_opened(now);
        Self { poller, now }
    }

    /// A poller past a healthy SAM check, online.
    fn online() -> Self {
        let mut rig = Self::opened();
        rig.exchange(Command::SamStatus, answer(Status::Ok, vec![]));
        assert_eq!(rig.events(), vec![ReaderEvent::State(DeviceState::Online)]);
        rig
    }

    /// Sends the command due now, which must be `expected`, and answers it.
    fn exchange(&mut self, expected: Command, reply: Result<Response, ExchangeError>) {
        let transmit = self.poller.poll_command(self.now);
        assert_eq!(transmit.map(|t| t.command), Some(expected));
        assert_eq!(self.poller.poll_command(self.now), None, "one at a time");
        self.poller.handle_response(self.now, reply);
    }

    /// Moves the clock to when the poller wants to act, which must be
    /// `after` from now.
    fn wait(&mut self, after: Duration) {
        assert_eq!(self.poller.poll_timeout(), Some(self.now + after));
        assert_eq!(self.poller.poll_command(self.now), None, "nothing early");
        self.now += after;
    }

    /// After a failure: the port is let go, reopened once `after` has
    /// passed, and the SAM checked again before cards are looked for.
    fn reopen_after(&mut self, after: Duration) {
        assert!(!self.poller.wants_port());
        assert!(!self.poller.poll_open(self.now));
        self.wait(after);
        assert!(self.poller.poll_open(self.now));
        self.poller.handle_opened(self.now);
        self.exchange(Command::SamStatus, answer(Status::Ok, vec![]));
        assert_eq!(self.events(), vec![ReaderEvent::State(DeviceState::Online)]);
    }

    /// A find that sees a card, then the first pass of reading it.
    fn first_pass(&mut self, text: &[u8]) {
        self.exchange(Command::FindCard, answer(Status::FindOk, vec![0; 4]));
        self.exchange(Command::SelectCard, answer(Status::Ok, vec![0; 8]));
        self.exchange(Command::ReadTextPhoto, read_answer(text));
    }

    /// A find that sees a card, then both passes of reading it.
    fn read_card(&mut self, first: &[u8], second: &[u8]) {
        self.first_pass(first);
        self.exchange(Command::SelectCard, answer(Status::Ok, vec![0; 8]));
        self.exchange(Command::ReadTextPhoto, read_answer(second));
    }

    /// A find that sees a card, whose select fails.
    fn fail_read(&mut self) {
        self.exchange(Command::FindCard, answer(Status::FindOk, vec![0; 4]));
        self.exchange(Command::SelectCard, answer(Status::ReadFailed, vec![]));
    }

    fn events(&mut self) -> Vec<ReaderEvent> {
        std::iter::from_fn(|| self.poller.poll_event()).collect()
    }

    /// Whether an event waiting to be handed out is a card.
    fn saw_card(&mut self) -> bool {
        self.events()
            .iter()
            .any(|e| matches!(e, ReaderEvent::Card(_)))
    }

    /// Whether an event waiting to be handed out asks for the card again.
    fn saw_read_failed(&mut self) -> bool {
        self.events()
            .iter()
            .any(|e| matches!(e, ReaderEvent::ReadFailed(_)))
    }
}

#[test]
fn the_port_is_opened_first_and_the_sam_checked_before_any_find() {
    let now = Instant::now();
    let mut poller = Poller::new(TIMINGS, now);
    assert!(poller.poll_open(now));
    assert_eq!(poller.poll_command(now), None);
    poller.handle_opened(now);
    assert!(!poller.poll_open(now));
    assert_eq!(
        poller.poll_command(now),
        Some(Transmit {
            command: Command::SamStatus,
            timeout: TIMINGS.probe_timeout,
        })
    );
    poller.handle_response(now, answer(Status::Ok, vec![]));
    assert_eq!(
        poller.poll_event(),
        Some(ReaderEvent::State(DeviceState::Online))
    );
    assert_eq!(poller.poll_event(), None);
    // The first find follows at once.
    assert_eq!(
        poller.poll_command(now).map(|t| t.command),
        Some(Command::FindCard)
    );
}

#[test]
fn a_failed_sam_check_is_a_hardware_error_and_the_port_is_reopened_later() {
    let mut rig = Rig::opened();
    rig.exchange(
        Command::SamStatus,
        answer(Status::SamSelfTestFailed, vec![]),
    );
    assert_eq!(
        rig.events(),
        vec![ReaderEvent::State(DeviceState::HardwareError)]
    );
    rig.reopen_after(TIMINGS.reconnect.max(TIMINGS.interval));
}

#[test]
fn a_missing_port_is_offline_and_retried_after_the_reconnect_time() {
    let now = Instant::now();
    let mut poller = Poller::new(TIMINGS, now);
    poller.handle_open_failed(now);
    assert_eq!(
        poller.poll_event(),
        Some(ReaderEvent::State(DeviceState::Offline))
    );
    assert_eq!(poller.poll_timeout(), Some(now + TIMINGS.reconnect));
    assert!(!poller.poll_open(now + TIMINGS.reconnect / 2));
    assert!(poller.poll_open(now + TIMINGS.reconnect));
    // Failing again reports nothing new: state events come on change.
    poller.handle_open_failed(now + TIMINGS.reconnect);
    assert_eq!(poller.poll_event(), None);
}

#[test]
fn a_card_is_reported_only_after_two_identical_reads_and_only_once() {
    let mut rig = Rig::online();
    let block = text::encode(&identity("11010519491231002X"));
    rig.first_pass(&block);
    // One read is not enough: busy, and nothing reported yet.
    assert_eq!(rig.events(), vec![ReaderEvent::State(DeviceState::Busy)]);
    rig.exchange(Command::SelectCard, answer(Status::Ok, vec![0; 8]));
    rig.exchange(Command::ReadTextPhoto, read_answer(&block));
    assert_eq!(
        rig.events(),
        vec![
            ReaderEvent::Card(Box::new(identity("11010519491231002X"))),
            ReaderEvent::State(DeviceState::Online),
        ]
    );
    // Left on the reader, it is found again but not read again.
    for _ in 0..3 {
        rig.wait(TIMINGS.interval);
        rig.exchange(Command::FindCard, answer(Status::FindOk, vec![0; 4]));
        assert_eq!(rig.events(), vec![]);
    }
}

#[test]
fn two_reads_that_disagree_give_no_identity() {
    let mut rig = Rig::online();
    let block = text::encode(&identity("11010519491231002X"));
    let mut damaged = block;
    damaged[0] ^= 0x01;
    rig.read_card(&block, &damaged);
    assert_eq!(rig.events(), BUSY_THEN_ONLINE);
    // Still on the reader and not read: it is read again at the next poll.
    rig.wait(TIMINGS.interval);
    rig.read_card(&block, &block);
    assert!(rig.saw_card());
}

#[test]
fn a_removed_card_is_reported_and_a_card_placed_again_is_read_again() {
    let mut rig = Rig::online();
    let block = text::encode(&identity("11010519491231002X"));
    rig.read_card(&block, &block);
    rig.events();
    rig.wait(TIMINGS.interval);
    rig.exchange(Command::FindCard, answer(Status::FindFailed, vec![]));
    assert_eq!(rig.events(), vec![ReaderEvent::Removed]);
    // No card, nothing to report at the next poll.
    rig.wait(TIMINGS.interval);
    rig.exchange(Command::FindCard, answer(Status::FindFailed, vec![]));
    assert_eq!(rig.events(), vec![]);
    rig.wait(TIMINGS.interval);
    let other = text::encode(&identity("440524188001010014"));
    rig.read_card(&other, &other);
    assert!(
        rig.events()
            .contains(&ReaderEvent::Card(Box::new(identity("440524188001010014"))))
    );
}

#[test]
fn the_third_failed_read_in_a_row_asks_for_the_card_again_once() {
    let mut rig = Rig::online();
    for _ in 0..2 {
        rig.fail_read();
        assert_eq!(rig.events(), BUSY_THEN_ONLINE);
        rig.wait(TIMINGS.interval);
    }
    rig.fail_read();
    assert_eq!(
        rig.events(),
        vec![
            ReaderEvent::State(DeviceState::Busy),
            ReaderEvent::ReadFailed(ReadFailure::Status(Status::ReadFailed)),
            ReaderEvent::State(DeviceState::Online),
        ]
    );
    // Still there: tried again, but not reported again.
    rig.wait(TIMINGS.interval);
    rig.fail_read();
    assert!(!rig.saw_read_failed());
}

#[test]
fn a_successful_read_starts_the_failure_count_again() {
    let mut rig = Rig::online();
    let block = text::encode(&identity("11010519491231002X"));
    for _ in 0..2 {
        rig.fail_read();
        rig.wait(TIMINGS.interval);
    }
    rig.read_card(&block, &block);
    rig.events();
    // Removed and placed again: two more failures are not three in a row.
    rig.wait(TIMINGS.interval);
    rig.exchange(Command::FindCard, answer(Status::FindFailed, vec![]));
    for _ in 0..2 {
        rig.wait(TIMINGS.interval);
        rig.fail_read();
    }
    assert!(!rig.saw_read_failed());
    rig.wait(TIMINGS.interval);
    rig.fail_read();
    assert!(
        rig.events()
            .contains(&ReaderEvent::ReadFailed(ReadFailure::Status(
                Status::ReadFailed
            )))
    );
}

#[test]
fn an_undecodable_text_block_is_a_text_failure_and_a_late_read_a_line_failure() {
    let mut rig = Rig::online();
    let garbage = [0xFFu8; 256];
    rig.read_card(&garbage, &garbage);
    rig.wait(TIMINGS.interval);
    rig.exchange(Command::FindCard, answer(Status::FindOk, vec![0; 4]));
    rig.exchange(Command::SelectCard, answer(Status::Ok, vec![0; 8]));
    rig.exchange(Command::ReadTextPhoto, Err(ExchangeError::NoAnswer));
    rig.wait(TIMINGS.interval);
    rig.read_card(&garbage, &garbage);
    assert!(
        rig.events()
            .contains(&ReaderEvent::ReadFailed(ReadFailure::Text))
    );
}

#[test]
fn a_silent_reader_is_offline_and_a_damaged_find_answer_is_only_retried() {
    let mut rig = Rig::online();
    rig.exchange(
        Command::FindCard,
        Err(ExchangeError::Damaged(FrameError::Length(0xFFFF))),
    );
    assert_eq!(rig.events(), vec![]);
    assert!(rig.poller.wants_port());
    rig.wait(TIMINGS.interval);
    rig.exchange(Command::FindCard, Err(ExchangeError::NoAnswer));
    assert_eq!(rig.events(), vec![ReaderEvent::State(DeviceState::Offline)]);
    rig.reopen_after(TIMINGS.reconnect);
}

#[test]
fn a_port_failing_during_a_read_goes_offline_without_counting_a_failure() {
    let mut rig = Rig::online();
    rig.exchange(Command::FindCard, answer(Status::FindOk, vec![0; 4]));
    rig.exchange(
        Command::SelectCard,
        Err(ExchangeError::PortFailed("unplugged".into())),
    );
    assert_eq!(
        rig.events(),
        vec![
            ReaderEvent::State(DeviceState::Busy),
            ReaderEvent::State(DeviceState::Offline),
        ]
    );
    assert!(!rig.poller.wants_port());
    assert_eq!(rig.poller.failures, 0);
}

#[test]
fn an_answer_nobody_asked_for_changes_nothing() {
    let mut rig = Rig::online();
    rig.exchange(Command::FindCard, answer(Status::FindFailed, vec![]));
    rig.poller
        .handle_response(rig.now, answer(Status::FindOk, vec![]));
    assert_eq!(rig.events(), vec![]);
    rig.wait(TIMINGS.interval);
    assert_eq!(
        rig.poller.poll_command(rig.now).map(|t| t.command),
        Some(Command::FindCard)
    );
}

#[test]
fn debug_output_does_not_show_the_first_read() {
    let mut rig = Rig::online();
    let block = text::encode(&identity("11010519491231002X"));
    rig.first_pass(&block);
    let shown = format!("{:?}", rig.poller);
    assert!(shown.contains("Select(pass 2)"), "{shown}");
    // The text block's first bytes (UCS-2 of 测) would show as numbers.
    assert!(
        !shown.contains(&format!("{}, {}", block[0], block[1])),
        "{shown}"
    );
}
