//! Properties of status handling over generated replies: a status poll fed
//! any bytes never panics, and one fed real-time status replies (with
//! automatic status back blocks in between) derives exactly the conditions
//! the protocol notes name for their bits.

use proptest::prelude::*;
use tongban_escpos::{PrinterStatus, StatusPoll, parse_asb, status_request};

/// A real-time status reply: the fixed bits `0xx1xx10`, the free bits
/// (2, 3, 5, 6) as generated.
fn reply() -> impl Strategy<Value = u8> {
    any::<u8>().prop_map(|free| 0b0001_0010 | (free & 0b0110_1100))
}

/// An automatic status back block: byte 1 `0xx1xx00`, bytes 2–4
/// `0xx0xxxx`.
fn asb_block() -> impl Strategy<Value = [u8; 4]> {
    any::<[u8; 4]>().prop_map(|[a, b, c, d]| {
        [
            0b0001_0000 | (a & 0b0110_1100),
            b & 0b0110_1111,
            c & 0b0110_1111,
            d & 0b0110_1111,
        ]
    })
}

/// Runs a whole poll: before each reply, the blocks the printer sent
/// first. `Ok(None)` if the poll did not finish.
fn run(
    replies: [u8; 4],
    blocks: &[Vec<[u8; 4]>; 4],
) -> Result<Option<PrinterStatus>, tongban_escpos::EscPosError> {
    let mut poll = StatusPoll::new();
    for n in 0..4 {
        let request = poll.poll_request();
        assert_eq!(request, Some(status_request(n as u8 + 1)));
        for block in &blocks[n] {
            for &byte in block {
                poll.push(byte)?;
            }
        }
        poll.push(replies[n])?;
    }
    assert_eq!(poll.poll_request(), None);
    Ok(poll.status())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_never_panic_a_status_poll(
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut poll = StatusPoll::new();
        for byte in bytes {
            poll.poll_request();
            if poll.push(byte).is_err() {
                break;
            }
        }
        if let Some(status) = poll.status() {
            let _ = status.device_status();
        }
    }

    #[test]
    fn any_asb_block_parses_and_never_panics(block in any::<[u8; 4]>()) {
        if let Ok(status) = parse_asb(block) {
            let _ = status.device_status();
        }
    }

    #[test]
    fn the_status_has_exactly_the_conditions_the_reply_bits_name(
        replies in proptest::array::uniform4(reply()),
        blocks in proptest::array::uniform4(proptest::collection::vec(asb_block(), 0..3)),
    ) {
        let status = run(replies, &blocks).unwrap().expect("the poll finishes");
        let [printer, offline_cause, error_cause, roll] = replies;
        prop_assert_eq!(status.offline, printer & 0x08 != 0);
        prop_assert_eq!(status.cover_open, offline_cause & 0x04 != 0);
        prop_assert_eq!(status.cutter_error, error_cause & 0x08 != 0);
        prop_assert_eq!(status.unrecoverable, error_cause & 0x20 != 0);
        prop_assert_eq!(status.auto_recoverable, error_cause & 0x40 != 0);
        // Near end: either bit of 0x0C (some models set one).
        prop_assert_eq!(status.paper_near_end, roll & 0x0C != 0);
        // Paper end: the roll sensor (either bit of 0x60), or printing
        // stopped by paper end (offline cause bit 5).
        prop_assert_eq!(
            status.paper_end,
            roll & 0x60 != 0 || offline_cause & 0x20 != 0
        );
    }

    #[test]
    fn a_reply_without_the_fixed_bits_is_refused(
        replies in proptest::array::uniform4(reply()),
        bad_at in 0usize..4,
        bad in any::<u8>().prop_filter("not a status reply nor a block start", |b| {
            b & 0b1001_0011 != 0b0001_0010 && b & 0b1001_0011 != 0b0001_0000
        }),
    ) {
        let mut replies = replies;
        replies[bad_at] = bad;
        let none = [vec![], vec![], vec![], vec![]];
        prop_assert_eq!(
            run(replies, &none),
            Err(tongban_escpos::EscPosError::BadStatus(bad))
        );
    }
}
