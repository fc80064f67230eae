//! The reader's serial transport and poll loop against the simulated reader
//! on a real pseudo-terminal: cards read once, removal, faults, noise, and
//! a reader pulled out and plugged back in.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use ga467::serial::{PollConfig, ReadFailure, ReaderEvent, poll_loop};
use ga467::{Command, Status};
use tongban_device::DeviceState;
use tongban_sim::{ReaderSim, SamHealth, SimCard, identities};

struct Running {
    /// Every event with the moment it was emitted.
    events: mpsc::Receiver<(Instant, ReaderEvent)>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The poll loop with fast timings, so tests run quickly.
fn start(sim: &ReaderSim) -> Running {
    let mut config = PollConfig::new(sim.path(), 115_200);
    config.interval = Duration::from_millis(30);
    config.timeout = Duration::from_millis(500);
    config.reconnect = Duration::from_millis(50);
    start_with(config)
}

fn start_with(config: PollConfig) -> Running {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            poll_loop(&config, &stop, |e| {
                let _ = tx.send((Instant::now(), e));
            })
        })
    };
    Running {
        events: rx,
        stop,
        thread: Some(thread),
    }
}

/// Waits for an event matching `want`, skipping others; returns when it
/// was emitted too.
fn wait_at(
    run: &Running,
    what: &str,
    want: impl Fn(&ReaderEvent) -> bool,
) -> (Instant, ReaderEvent) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match run.events.recv_timeout(left) {
            Ok((at, e)) if want(&e) => return (at, e),
            Ok(_) => {}
            Err(_) => panic!("no {what} within 5 s"),
        }
    }
}

/// Waits for an event matching `want`, skipping others.
fn wait_for(run: &Running, what: &str, want: impl Fn(&ReaderEvent) -> bool) -> ReaderEvent {
    wait_at(run, what, want).1
}

fn sim(dir: &tempfile::TempDir) -> ReaderSim {
    ReaderSim::start(&dir.path().join("reader")).unwrap()
}

#[test]
fn a_placed_card_is_read_once_and_its_removal_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start(&sim);
    wait_for(&run, "online", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
    sim.place(SimCard::Card(Box::new(identities::resident())));
    let event = wait_for(&run, "card", |e| matches!(e, ReaderEvent::Card(_)));
    let ReaderEvent::Card(identity) = event else {
        unreachable!()
    };
    assert_eq!(*identity, identities::resident());
    // Read twice to confirm; left on the reader for many polls, it is not
    // read again.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(sim.reads(), 2);
    assert!(
        run.events
            .try_iter()
            .all(|(_, e)| !matches!(e, ReaderEvent::Card(_)))
    );
    sim.remove();
    wait_for(&run, "removal", |e| *e == ReaderEvent::Removed);
    // Placed again: read again.
    sim.place(SimCard::Card(Box::new(identities::permit())));
    wait_for(&run, "second card", |e| matches!(e, ReaderEvent::Card(_)));
    assert_eq!(sim.reads(), 4);
}

#[test]
fn with_one_percent_of_bytes_corrupted_no_wrong_identity_ever_comes_out() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start(&sim);
    wait_for(&run, "online", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
    sim.set_corruption(100);
    sim.place(SimCard::Card(Box::new(identities::resident())));
    // Let the driver struggle with the noisy line for a while.
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        if let Ok((_, ReaderEvent::Card(identity))) =
            run.events.recv_timeout(Duration::from_millis(50))
        {
            assert_eq!(
                *identity,
                identities::resident(),
                "a wrong identity came out"
            );
        }
    }
    assert!(
        sim.requests() > 20,
        "the driver kept trying: {}",
        sim.requests()
    );
    // The line clears: the next clean frames give the right card.
    sim.set_corruption(0);
    let event = wait_for(&run, "card on a clean line", |e| {
        matches!(e, ReaderEvent::Card(_))
    });
    assert_eq!(event, ReaderEvent::Card(Box::new(identities::resident())));
}

#[test]
fn unplugged_is_offline_within_2_s_and_back_online_within_2_s_at_production_timings() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start_with(PollConfig::new(sim.path(), 115_200));
    let state = |s: DeviceState| move |e: &ReaderEvent| *e == ReaderEvent::State(s);
    wait_for(&run, "online", state(DeviceState::Online));
    let pulled = Instant::now();
    sim.vanish();
    let (offline, _) = wait_at(&run, "offline", state(DeviceState::Offline));
    assert!(
        offline - pulled < Duration::from_secs(2),
        "offline after {:?}",
        offline - pulled
    );
    let back = Instant::now();
    sim.come_back();
    let (online, _) = wait_at(&run, "online again", state(DeviceState::Online));
    assert!(
        online - back < Duration::from_secs(2),
        "online after {:?}",
        online - back
    );
    let placed = Instant::now();
    sim.place(SimCard::Card(Box::new(identities::resident())));
    let (read, _) = wait_at(&run, "card", |e| matches!(e, ReaderEvent::Card(_)));
    assert!(
        read - placed < Duration::from_secs(1),
        "read after {:?}",
        read - placed
    );
}

#[test]
fn an_unreadable_card_is_reported_once_not_every_second() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start(&sim);
    sim.place(SimCard::Unreadable);
    let event = wait_for(&run, "read failure", |e| {
        matches!(e, ReaderEvent::ReadFailed(_))
    });
    assert_eq!(
        event,
        ReaderEvent::ReadFailed(ReadFailure::Status(Status::ReadFailed))
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        run.events
            .try_iter()
            .all(|(_, e)| !matches!(e, ReaderEvent::ReadFailed(_)))
    );
}

#[test]
fn a_sam_fault_is_a_hardware_error_and_recovery_brings_it_online() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    sim.set_sam(SamHealth::SelfTestFailed);
    let run = start(&sim);
    wait_for(&run, "hardware error", |e| {
        *e == ReaderEvent::State(DeviceState::HardwareError)
    });
    sim.set_sam(SamHealth::Ok);
    wait_for(&run, "online", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
}

#[test]
fn noise_and_a_corrupt_frame_do_not_lose_the_card() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start(&sim);
    wait_for(&run, "online", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
    sim.inject_noise(&[0xAA, 0x00, 0x96, 0x13]);
    sim.corrupt_next();
    sim.place(SimCard::Card(Box::new(identities::foreigner_new())));
    let event = wait_for(&run, "card", |e| matches!(e, ReaderEvent::Card(_)));
    assert_eq!(
        event,
        ReaderEvent::Card(Box::new(identities::foreigner_new()))
    );
}

#[test]
fn an_unplugged_reader_goes_offline_and_comes_back_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let run = start(&sim);
    wait_for(&run, "online", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
    sim.vanish();
    wait_for(&run, "offline", |e| {
        *e == ReaderEvent::State(DeviceState::Offline)
    });
    sim.come_back();
    wait_for(&run, "online again", |e| {
        *e == ReaderEvent::State(DeviceState::Online)
    });
    sim.place(SimCard::Card(Box::new(identities::resident())));
    wait_for(&run, "card after replug", |e| {
        matches!(e, ReaderEvent::Card(_))
    });
}

#[test]
fn the_port_transacts_single_commands() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = ga467::serial::Port::open(sim.path(), 115_200).unwrap();
    let r = port
        .transact(Command::SamId, Duration::from_secs(1))
        .unwrap();
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.data.len(), 16);
    assert!(matches!(
        ga467::serial::Port::open(&dir.path().join("absent"), 115_200),
        Err(ga467::serial::ReaderError::Open { .. })
    ));
}

#[test]
fn the_driver_decodes_every_card_type_to_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = ga467::serial::Port::open(sim.path(), 115_200).unwrap();
    for expected in [
        identities::resident(),
        identities::expired_resident(),
        identities::permit(),
        identities::foreigner_old(),
        identities::foreigner_new(),
    ] {
        sim.place(SimCard::Card(Box::new(expected.clone())));
        let find = port
            .transact(Command::FindCard, Duration::from_secs(1))
            .unwrap();
        assert_eq!(find.status, Status::FindOk);
        let identity = port.read_card(Duration::from_secs(1)).unwrap();
        assert_eq!(identity, expected);
        assert_eq!(identity.kind, expected.kind);
        assert_eq!(identity.number, expected.number);
        assert_eq!(identity.valid_to, expected.valid_to);
    }
}
