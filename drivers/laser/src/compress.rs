//! PCL raster row compression: mode 2 (TIFF PackBits) and mode 3 (delta
//! row against the seed row), both ways.

/// Mode 2, TIFF PackBits: a control byte below 128 copies that many plus
/// one literal bytes; above 128 repeats the next byte 257 − control times;
/// 128 is a no-op.
pub fn packbits(row: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(row.len() + row.len() / 128 + 1);
    let mut i = 0;
    while i < row.len() {
        // A run of at least 3 equal bytes (2 is no gain inside literals).
        let mut run = 1;
        while i + run < row.len() && row[i + run] == row[i] && run < 128 {
            run += 1;
        }
        if run >= 3 || (run == 2 && i + run == row.len()) {
            out.push((257 - run) as u8);
            out.push(row[i]);
            i += run;
            continue;
        }
        // Literals until the next run of 3 or 128 bytes.
        let start = i;
        while i < row.len() && i - start < 128 {
            if i + 2 < row.len() && row[i] == row[i + 1] && row[i] == row[i + 2] {
                break;
            }
            i += 1;
        }
        out.push((i - start - 1) as u8);
        out.extend_from_slice(&row[start..i]);
    }
    out
}

/// Decodes PackBits into `out` (cleared first), at most `width` bytes.
/// Returns false on truncated data.
pub fn unpackbits(data: &[u8], width: usize, out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut i = 0;
    while i < data.len() {
        let control = data[i];
        i += 1;
        match control {
            0..=127 => {
                let n = usize::from(control) + 1;
                let Some(bytes) = data.get(i..i + n) else {
                    return false;
                };
                out.extend_from_slice(bytes);
                i += n;
            }
            128 => {}
            _ => {
                let n = 257 - usize::from(control);
                let Some(&byte) = data.get(i) else {
                    return false;
                };
                out.extend(std::iter::repeat_n(byte, n));
                i += 1;
            }
        }
    }
    out.truncate(width);
    true
}

/// Mode 3, delta row: only the bytes that differ from `seed`. Each change
/// is a command byte — top 3 bits: count − 1 (1..8 bytes), low 5 bits: the
/// offset from the byte after the previous change, 31 meaning more offset
/// bytes follow (added until one is not 255) — then the new bytes. An empty
/// result means "same as the seed row".
pub fn delta_row(seed: &[u8], row: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut position = 0; // first byte not yet covered
    let mut i = 0;
    let len = row.len();
    while i < len {
        if seed.get(i).copied().unwrap_or(0) == row[i] {
            i += 1;
            continue;
        }
        // A run of changed bytes, at most 8 per command.
        let start = i;
        let mut end = i;
        while end < len && end - start < 8 && seed.get(end).copied().unwrap_or(0) != row[end] {
            end += 1;
        }
        let count = end - start;
        let mut offset = start - position;
        let first = offset.min(31);
        out.push((((count - 1) as u8) << 5) | first as u8);
        if first == 31 {
            offset -= 31;
            loop {
                let b = offset.min(255);
                out.push(b as u8);
                offset -= b;
                if b < 255 {
                    break;
                }
            }
        }
        out.extend_from_slice(&row[start..end]);
        position = end;
        i = end;
    }
    out
}

/// Applies delta-row data to `seed` in place. Returns false on truncated
/// data.
pub fn apply_delta(data: &[u8], seed: &mut [u8]) -> bool {
    let mut position = 0usize;
    let mut i = 0;
    while i < data.len() {
        let command = data[i];
        i += 1;
        let count = usize::from(command >> 5) + 1;
        let mut offset = usize::from(command & 0x1F);
        if offset == 31 {
            loop {
                let Some(&b) = data.get(i) else {
                    return false;
                };
                i += 1;
                offset += usize::from(b);
                if b != 255 {
                    break;
                }
            }
        }
        position += offset;
        let Some(bytes) = data.get(i..i + count) else {
            return false;
        };
        for (k, b) in bytes.iter().enumerate() {
            if let Some(slot) = seed.get_mut(position + k) {
                *slot = *b;
            }
        }
        i += count;
        position += count;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packbits_follows_the_control_byte_rules() {
        // 0..127: copy n+1 literals; >128: repeat next byte 257-n times.
        assert_eq!(packbits(&[0xAA; 5]), vec![252, 0xAA]);
        assert_eq!(packbits(&[1, 2, 3]), vec![2, 1, 2, 3]);
        assert_eq!(
            packbits(&[1, 2, 0, 0, 0, 0, 9]),
            vec![1, 1, 2, 253, 0, 0, 9]
        );
        assert_eq!(packbits(&[7; 128]), vec![129, 7]);
        assert_eq!(packbits(&[7; 129]), vec![129, 7, 0, 7]);
        let mut out = Vec::new();
        assert!(unpackbits(&[128, 2, 1, 2, 3, 253, 0], 99, &mut out));
        assert_eq!(out, vec![1, 2, 3, 0, 0, 0, 0]);
        assert!(!unpackbits(&[5, 1, 2], 99, &mut out));
    }

    #[test]
    fn delta_row_commands_carry_count_and_offset() {
        let seed = [0u8; 40];
        let mut row = seed;
        row[2] = 0xFF;
        row[3] = 0x0F;
        // count 2 → top bits 001, offset 2.
        assert_eq!(delta_row(&seed, &row), vec![0b001_00010, 0xFF, 0x0F]);
        // Offset 35 from the start: 31 then 4 more.
        let mut far = seed;
        far[35] = 1;
        assert_eq!(delta_row(&seed, &far), vec![0b000_11111, 4, 1]);
        // Offsets are counted from the byte after the previous change.
        let mut two = seed;
        two[1] = 1;
        two[5] = 2;
        assert_eq!(delta_row(&seed, &two), vec![0b000_00001, 1, 0b000_00011, 2]);
        // An offset of exactly 31 + 255 needs a 0 to end it.
        let long_seed = vec![0u8; 400];
        let mut long = long_seed.clone();
        long[286] = 9;
        assert_eq!(delta_row(&long_seed, &long), vec![31, 255, 0, 9]);
        assert!(delta_row(&seed, &seed).is_empty());
    }

    #[test]
    fn delta_rows_apply_back_to_the_row() {
        let seed: Vec<u8> = (0..300).map(|i| (i * 7 % 256) as u8).collect();
        let mut row = seed.clone();
        for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 41, 290, 299] {
            row[i] ^= 0x5A;
        }
        let data = delta_row(&seed, &row);
        let mut applied = seed.clone();
        assert!(apply_delta(&data, &mut applied));
        assert_eq!(applied, row);
    }

    proptest::proptest! {
        #[test]
        fn packbits_round_trips(row in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..700)) {
            let mut out = Vec::new();
            proptest::prop_assert!(unpackbits(&packbits(&row), row.len(), &mut out));
            proptest::prop_assert_eq!(out, row);
        }

        #[test]
        fn delta_round_trips(
            seed in proptest::collection::vec(0u8..4, 310),
            row in proptest::collection::vec(0u8..4, 310),
        ) {
            let mut applied = seed.clone();
            proptest::prop_assert!(apply_delta(&delta_row(&seed, &row), &mut applied));
            proptest::prop_assert_eq!(applied, row);
        }
    }
}
