//! Properties of the codec over generated inputs: every frame survives
//! encode → decode however the bytes are split and whatever noise comes
//! first; every text block survives encode → decode; no input panics.

use ga467::text::{self, CardIdentity, CardKind, Date, Sex, Validity};
use ga467::{Command, Decoder, FrameError, Status, encode_request, encode_response};
use proptest::prelude::*;

fn status() -> impl Strategy<Value = Status> {
    any::<u8>().prop_map(Status::from_code)
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

/// Names and addresses from CJK, Latin letters and spaces, never with
/// trailing spaces (the block pads with spaces).
fn words(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            (0x4E00u32..0x9FFF).prop_map(|c| char::from_u32(c).unwrap()),
            (b'A'..=b'Z').prop_map(char::from),
        ],
        1..=max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn id_number() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, 17).prop_map(|digits| {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = digits
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(*d) * w)
            .sum();
        let mut s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        s.push(char::from(b"10X98765432"[(sum % 11) as usize]));
        s
    })
}

fn resident() -> impl Strategy<Value = CardIdentity> {
    (
        words(15),
        1u8..=56,
        date(),
        words(35),
        id_number(),
        words(15),
        date(),
        prop::option::of(date()),
    )
        .prop_map(
            |(name, nation, birth, address, number, authority, valid_from, valid_to)| {
                CardIdentity {
                    kind: CardKind::ResidentId,
                    name,
                    english_name: String::new(),
                    sex: Sex::Male,
                    nation,
                    nationality: String::new(),
                    birth,
                    address,
                    number,
                    authority,
                    valid_from,
                    valid_to: valid_to.map_or(Validity::Indefinite, Validity::Until),
                    pass_number: String::new(),
                    issue_count: String::new(),
                    card_version: String::new(),
                }
            },
        )
}

proptest! {
    #[test]
    fn responses_round_trip_in_any_split_after_any_noise(
        sw1: u8,
        sw2: u8,
        status in status(),
        data in proptest::collection::vec(any::<u8>(), 0..1400),
        noise in proptest::collection::vec(any::<u8>(), 0..40),
        split in 1usize..64,
    ) {
        let frame = encode_response(sw1, sw2, status, &data);
        let mut bytes = noise.clone();
        bytes.extend_from_slice(&frame);
        let mut decoder = Decoder::new();
        let mut got = None;
        for chunk in bytes.chunks(split) {
            decoder.push(chunk);
            while let Some(item) = decoder.next_response() {
                if let Ok(response) = item {
                    got = Some(response);
                }
            }
        }
        // Noise may itself look like a frame start; what matters is that
        // the real frame comes out intact and last.
        let response = got.expect("the frame decodes");
        prop_assert_eq!(response.sw1, sw1);
        prop_assert_eq!(response.sw2, sw2);
        prop_assert_eq!(response.status, status);
        prop_assert_eq!(&response.data, &data);
    }

    #[test]
    fn requests_round_trip(code in prop_oneof![
        Just(Command::ResetSam), Just(Command::SamStatus), Just(Command::SamId),
        Just(Command::FindCard), Just(Command::SelectCard), Just(Command::ReadTextPhoto),
        Just(Command::ReadAppendedAddress), Just(Command::ReadTextPhotoFingerprint),
    ], data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut decoder = Decoder::new();
        decoder.push(&encode_request(code, &data));
        let request = decoder.next_request().unwrap().unwrap();
        prop_assert_eq!(Command::from_code(request.code), Some(code));
        prop_assert_eq!(request.data, data);
    }

    #[test]
    fn a_flipped_byte_after_len_never_yields_a_frame(
        data in proptest::collection::vec(any::<u8>(), 0..300),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let frame = encode_response(0, 0, Status::Ok, &data);
        let mut bad = frame.clone();
        // Any byte after LEN. A damaged LEN can make a shorter "frame" whose
        // last byte happens to match the XOR (1 in 256): the checksum cannot
        // catch that, which is why the driver reads each card twice.
        let i = 7 + index.index(frame.len() - 7);
        bad[i] ^= flip;
        let mut decoder = Decoder::new();
        decoder.push(&bad);
        while let Some(item) = decoder.next_response() {
            if let Ok(response) = item {
                // A single flipped byte is always caught by the checksum.
                prop_assert!(false, "decoded a damaged frame: {:?}", response.status);
            }
        }
    }

    #[test]
    fn text_blocks_round_trip(identity in resident()) {
        let block = text::encode(&identity);
        prop_assert_eq!(text::decode(&block).unwrap(), identity);
    }

    #[test]
    fn arbitrary_blocks_decode_or_fail_cleanly(block in proptest::collection::vec(any::<u8>(), 256)) {
        let _ = text::decode(&block);
    }

    #[test]
    fn arbitrary_bytes_in_any_pieces_never_panic_either_side(
        bytes in proptest::collection::vec(
            prop_oneof![3 => any::<u8>(), 1 => proptest::sample::select(ga467::frame::PREAMBLE.to_vec())],
            0..3000,
        ),
        piece in 1usize..300,
    ) {
        // The reader's side takes responses, the simulator's requests.
        let mut responses = Decoder::new();
        let mut requests = Decoder::new();
        for chunk in bytes.chunks(piece) {
            responses.push(chunk);
            requests.push(chunk);
            while responses.next_response().is_some() {}
            while requests.next_request().is_some() {}
            let most = ga467::frame::PREAMBLE.len() + 2 + ga467::frame::MAX_LEN;
            prop_assert!(responses.pending() <= most && requests.pending() <= most);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let mut decoder = Decoder::new();
        decoder.push(&bytes);
        while let Some(item) = decoder.next_response() {
            if let Err(e) = item {
                prop_assert!(!matches!(e, FrameError::Mismatch));
            }
        }
    }
}
