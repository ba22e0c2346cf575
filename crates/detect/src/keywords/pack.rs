//! Four bytes at one end of a keyword, packed into a `u32` so that a candidate position is
//! compared with a keyword in one step before the full comparison.

/// The first four bytes of `b` (ASCII letters lowercased) packed little-endian, and a mask
/// covering the bytes present.
#[inline]
pub(super) fn prefix4(b: &[u8]) -> (u32, u32) {
    let mut v = 0u32;
    let mut mask = 0u32;
    for (i, &x) in b.iter().take(4).enumerate() {
        v |= u32::from(x.to_ascii_lowercase()) << (8 * i);
        mask |= 0xFF << (8 * i);
    }
    (v, mask)
}

/// The last four bytes of `b` (ASCII letters lowercased) packed so that the last byte is the
/// most significant, and a mask covering the bytes present: keys of keywords of different
/// lengths line up at their ends.
#[inline]
pub(super) fn suffix4(b: &[u8]) -> (u32, u32) {
    let mut v = 0u32;
    let mut mask = 0u32;
    for (i, &x) in b.iter().rev().take(4).enumerate() {
        v |= u32::from(x.to_ascii_lowercase()) << (24 - 8 * i);
        mask |= 0xFF << (24 - 8 * i);
    }
    (v, mask)
}

/// The four bytes ending at `q` as [`suffix4`] packs them (last byte most significant, ASCII
/// lowercased), with one load and no per-byte loop. Needs `q >= 4`.
#[inline(always)]
pub(super) fn suffix4_at(text: &[u8], q: usize) -> u32 {
    lowercase_ascii4(u32::from_le_bytes([
        text[q - 4],
        text[q - 3],
        text[q - 2],
        text[q - 1],
    ]))
}

/// The four bytes starting at `p` as [`prefix4`] packs them, with one load. Needs
/// `p + 4 <= text.len()`.
#[inline(always)]
pub(super) fn prefix4_at(text: &[u8], p: usize) -> u32 {
    lowercase_ascii4(u32::from_le_bytes([
        text[p],
        text[p + 1],
        text[p + 2],
        text[p + 3],
    ]))
}

/// Lowercases the ASCII letters among four packed bytes, leaving other bytes alone.
#[inline(always)]
fn lowercase_ascii4(x: u32) -> u32 {
    let low7 = x & 0x7f7f_7f7f;
    let at_least_a = low7 + 0x3f3f_3f3f; // bit 7 set where the byte is >= 'A'
    let beyond_z = low7 + 0x2525_2525; // bit 7 set where the byte is > 'Z'
    let upper = at_least_a & !beyond_z & !x & 0x8080_8080;
    x | (upper >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_load_keys_agree_with_the_byte_loops() {
        let text = "aB身份Z9x证-ID".as_bytes();
        for q in 4..=text.len() {
            let (slow, _) = suffix4(&text[q - 4..q]);
            assert_eq!(suffix4_at(text, q), slow, "{q}");
            assert_eq!(prefix4_at(text, q - 4), prefix4(&text[q - 4..q]).0, "{q}");
        }
    }
}
