//! Feeds arbitrary bytes, in arbitrary pieces, to the frame decoder and the
//! text block decoder: nothing may panic, hold more than one frame's worth
//! of bytes, or decode a frame whose checksum does not hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let split = usize::from(split.max(1));
    let mut decoder = ga467::Decoder::new();
    for chunk in bytes.chunks(split) {
        decoder.push(chunk);
        while let Some(item) = decoder.next_response() {
            if let Ok(response) = item {
                let _ = ga467::split_read(&response.data, false);
                let _ = ga467::split_read(&response.data, true);
            }
        }
        assert!(decoder.pending() <= 5 + 2 + ga467::frame::MAX_LEN + split);
    }
    if bytes.len() >= 256 {
        let _ = ga467::text::decode(&bytes[..256]);
    }
});
