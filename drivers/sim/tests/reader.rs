//! The reader simulator through its real pseudo-terminal, driven with raw
//! bytes as a driver would send them.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use ga467::{Command, Decoder, FrameError, Response, Status, encode_request, split_read};
use tongban_sim::{ReaderSim, SamHealth, SimCard, identities};

fn open(sim: &ReaderSim) -> File {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(sim.path())
        .expect("port opens")
}

/// Sends a command and waits up to 2 s for one response (or a frame error).
fn ask(port: &mut File, command: Command) -> Result<Response, FrameError> {
    port.write_all(&encode_request(command, &[])).unwrap();
    let mut decoder = Decoder::new();
    let mut buf = [0u8; 2048];
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Some(item) = decoder.next_response() {
            match item {
                Err(FrameError::Garbage(_)) => continue,
                other => return other,
            }
        }
        assert!(Instant::now() < deadline, "no answer to {command:?}");
        let n = port.read(&mut buf).unwrap();
        decoder.push(&buf[..n]);
    }
}

/// The status of the answer to a command that must come back undamaged.
fn status(port: &mut File, command: Command) -> Status {
    ask(port, command).expect("an undamaged answer").status
}

fn sim(dir: &tempfile::TempDir) -> ReaderSim {
    ReaderSim::start(&dir.path().join("reader")).expect("simulator starts")
}

#[test]
fn with_no_card_find_fails_and_with_a_card_the_text_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = open(&sim);
    assert_eq!(status(&mut port, Command::SamStatus), Status::Ok);
    assert_eq!(status(&mut port, Command::FindCard), Status::FindFailed);

    sim.place(SimCard::Card(Box::new(identities::resident())));
    assert_eq!(status(&mut port, Command::FindCard), Status::FindOk);
    assert_eq!(status(&mut port, Command::SelectCard), Status::Ok);
    let read = ask(&mut port, Command::ReadTextPhoto).unwrap();
    assert_eq!(read.status, Status::Ok);
    let parts = split_read(&read.data, false).unwrap();
    assert_eq!(
        ga467::text::decode(parts.text).unwrap(),
        identities::resident()
    );
    assert_eq!(parts.photo.len(), 1024);
    assert_eq!(sim.reads(), 1);
}

#[test]
fn every_sample_card_type_reads_and_decodes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = open(&sim);
    for identity in [
        identities::resident(),
        identities::expired_resident(),
        identities::permit(),
        identities::foreigner_old(),
        identities::foreigner_new(),
    ] {
        sim.place(SimCard::Card(Box::new(identity.clone())));
        let read = ask(&mut port, Command::ReadTextPhoto).unwrap();
        let parts = split_read(&read.data, false).unwrap();
        assert_eq!(ga467::text::decode(parts.text).unwrap(), identity);
    }
}

#[test]
fn faults_come_back_as_their_status_codes() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = open(&sim);
    sim.place(SimCard::Unreadable);
    assert_eq!(status(&mut port, Command::FindCard), Status::FindOk);
    assert_eq!(
        status(&mut port, Command::ReadTextPhoto),
        Status::ReadFailed
    );
    sim.set_sam(SamHealth::SelfTestFailed);
    assert_eq!(
        status(&mut port, Command::SamStatus),
        Status::SamSelfTestFailed
    );
    assert_eq!(
        status(&mut port, Command::FindCard),
        Status::SamSelfTestFailed
    );
    sim.set_sam(SamHealth::NotAuthorised);
    assert_eq!(
        status(&mut port, Command::SamStatus),
        Status::SamNotAuthorised
    );
    // A request with a broken checksum is answered with 10.
    sim.set_sam(SamHealth::Ok);
    let mut bad = encode_request(Command::FindCard, &[]);
    *bad.last_mut().unwrap() ^= 0xFF;
    port.write_all(&bad).unwrap();
    let response = ask(&mut port, Command::SamStatus).unwrap();
    assert_eq!(response.status, Status::ChecksumError);
}

#[test]
fn noise_and_a_corrupt_frame_reach_the_driver_as_the_codec_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = open(&sim);
    sim.inject_noise(&[0x00, 0x13, 0xAA, 0x37]);
    // Noise before a good frame: the frame still decodes.
    assert_eq!(status(&mut port, Command::SamStatus), Status::Ok);
    sim.corrupt_next();
    assert!(matches!(
        ask(&mut port, Command::SamStatus),
        Err(FrameError::Checksum { .. })
    ));
    assert_eq!(status(&mut port, Command::SamStatus), Status::Ok);
}

#[test]
fn the_reader_vanishes_and_comes_back_at_the_same_path() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir);
    let mut port = open(&sim);
    assert_eq!(status(&mut port, Command::SamStatus), Status::Ok);
    sim.vanish();
    let deadline = Instant::now() + Duration::from_secs(2);
    while sim.path().exists() {
        assert!(Instant::now() < deadline, "path still there");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The old port is dead.
    let mut buf = [0u8; 16];
    let _ = port.write_all(&encode_request(Command::SamStatus, &[]));
    assert!(matches!(port.read(&mut buf), Ok(0) | Err(_)));
    sim.come_back();
    let deadline = Instant::now() + Duration::from_secs(2);
    while !sim.path().exists() {
        assert!(Instant::now() < deadline, "path not back");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut port = open(&sim);
    assert_eq!(status(&mut port, Command::SamStatus), Status::Ok);
}
