//! The scanner's read loop against the simulated scanner on a real
//! pseudo-terminal: codes, rejections, 随申码 recognition, unplugging.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use tongban_device::DeviceState;
use tongban_scanner::serial::{ScannerConfig, ScannerEvent, read_loop};
use tongban_scanner::{Code, ScanError, Terminator, classify};
use tongban_sim::{SAMPLE_SUISHENMA, ScannerSim};

fn next(rx: &mpsc::Receiver<ScannerEvent>, want: impl Fn(&ScannerEvent) -> bool) -> ScannerEvent {
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return e,
            Ok(_) => {}
            Err(_) => panic!("event did not come"),
        }
    }
}

#[test]
fn codes_arrive_rejections_have_reasons_and_an_unplugged_scanner_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let sim = ScannerSim::start(&dir.path().join("scanner"), b"\r\n").unwrap();
    let config = ScannerConfig {
        path: sim.path().to_owned(),
        baud: 9600,
        terminator: Terminator::Any,
        limit: 64,
        reconnect: Duration::from_millis(50),
    };
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            read_loop(&config, &stop, |e| {
                let _ = tx.send(e);
            })
        })
    };
    next(&rx, |e| *e == ScannerEvent::State(DeviceState::Online));

    sim.scan(SAMPLE_SUISHENMA);
    let ScannerEvent::Scanned(scan) = next(&rx, |e| matches!(e, ScannerEvent::Scanned(_))) else {
        unreachable!()
    };
    assert!(matches!(classify(&scan, "SSM1:"), Code::Suishenma(_)));

    sim.scan("6901234567892");
    let ScannerEvent::Scanned(scan) = next(&rx, |e| matches!(e, ScannerEvent::Scanned(_))) else {
        unreachable!()
    };
    assert_eq!(classify(&scan, "SSM1:"), Code::Other);

    sim.scan(&"X".repeat(100));
    assert_eq!(
        next(&rx, |e| matches!(e, ScannerEvent::Rejected(_))),
        ScannerEvent::Rejected(ScanError::TooLong { limit: 64 })
    );
    sim.send_raw(&[0xff, 0x00, 0x41, b'\r']);
    assert_eq!(
        next(&rx, |e| matches!(e, ScannerEvent::Rejected(_))),
        ScannerEvent::Rejected(ScanError::NotText)
    );

    sim.vanish();
    next(&rx, |e| *e == ScannerEvent::State(DeviceState::Offline));
    sim.come_back().unwrap();
    next(&rx, |e| *e == ScannerEvent::State(DeviceState::Online));
    sim.scan("AFTER-REPLUG");
    let ScannerEvent::Scanned(scan) = next(&rx, |e| matches!(e, ScannerEvent::Scanned(_))) else {
        unreachable!()
    };
    assert_eq!(scan.text(), "AFTER-REPLUG");
    stop.store(true, Ordering::SeqCst);
    thread.join().unwrap();
}
