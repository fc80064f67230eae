//! Properties of the line decoder over generated input: however the line
//! cuts the bytes into reads, the codes are the same; no input panics it
//! or yields a code over its limit; garbage never swallows the valid code
//! that follows it.

use proptest::prelude::*;
use tongban_scanner::{LineDecoder, ScanError, Terminator};

fn terminator() -> impl Strategy<Value = Terminator> {
    prop_oneof![
        Just(Terminator::Cr),
        Just(Terminator::Lf),
        Just(Terminator::Any)
    ]
}

/// What a decoder makes of `chunks`, fed one after the other, as text
/// (the scans themselves redact `Debug`).
fn decode<'a>(
    terminator: Terminator,
    limit: usize,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<String, ScanError>> {
    let mut decoder = LineDecoder::new(terminator, limit);
    chunks
        .into_iter()
        .flat_map(|chunk| decoder.push(chunk))
        .map(|item| item.map(|scan| scan.text().to_owned()))
        .collect()
}

/// `bytes` cut at `cuts` (positions, in any order, repeats allowed).
fn split(bytes: &[u8], cuts: &[prop::sample::Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

/// Bytes with many terminators and non-text among them.
fn line_noise() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            3 => any::<u8>(),
            1 => Just(b'\r'),
            1 => Just(b'\n'),
            2 => b'0'..=b'z',
        ],
        0..400,
    )
}

/// What the terminator ends a code with on the line.
fn end_of(terminator: Terminator) -> &'static [u8] {
    match terminator {
        Terminator::Cr => b"\r",
        Terminator::Lf => b"\n",
        Terminator::Any => b"\r\n",
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_split_decodes_to_the_same_codes_as_the_whole(
        terminator in terminator(),
        limit in 1usize..64,
        bytes in line_noise(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..16),
    ) {
        let whole = decode(terminator, limit, [bytes.as_slice()]);
        let chunks = split(&bytes, &cuts);
        let pieces = decode(terminator, limit, chunks.iter().map(Vec::as_slice));
        prop_assert_eq!(&pieces, &whole);
        // One byte at a time, as a slow line delivers them.
        let bytewise = decode(terminator, limit, bytes.chunks(1));
        prop_assert_eq!(bytewise, whole);
    }

    #[test]
    fn no_input_panics_or_yields_a_code_over_the_limit(
        terminator in terminator(),
        limit in 0usize..64,
        bytes in line_noise(),
    ) {
        for item in decode(terminator, limit, [bytes.as_slice()]) {
            match item {
                Ok(text) => {
                    prop_assert!(!text.is_empty());
                    prop_assert!(text.len() <= limit, "{} bytes over {limit}", text.len());
                    prop_assert!(!text.chars().any(char::is_control));
                }
                Err(ScanError::TooLong { limit: said }) => prop_assert_eq!(said, limit),
                Err(ScanError::NotText) => {}
            }
        }
    }

    #[test]
    fn garbage_does_not_swallow_the_next_valid_code(
        terminator in terminator(),
        garbage in line_noise(),
        code in "[!-~]{1,64}",
        room in 0usize..4,
    ) {
        // Codes up to exactly the limit are valid.
        let limit = code.len() + room;
        let mut bytes = garbage;
        bytes.extend_from_slice(end_of(terminator));
        bytes.extend_from_slice(code.as_bytes());
        bytes.extend_from_slice(end_of(terminator));
        let decoded = decode(terminator, limit, [bytes.as_slice()]);
        prop_assert_eq!(decoded.last(), Some(&Ok(code)));
    }
}
