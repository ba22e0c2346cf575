//! Byte classes of eight bytes at once ("SIMD within a register").
//!
//! Each function takes eight bytes packed little-endian into a `u64` (byte `k` of the text in
//! bits `8k..8k + 8`) and returns a mask with bit 7 of byte `k` set when byte `k` is in the
//! class, so `mask.trailing_zeros() / 8` is the first such byte. Range tests add a constant to
//! the low seven bits of every byte at once: no carry crosses a byte boundary because every
//! byte stays below 0x80 + 0x7F. Bytes from 0x80 up (UTF-8 outside ASCII) are never in a
//! class. No `unsafe` and no target features: these are a few ALU instructions per word.

/// Bit 7 of every byte.
pub(super) const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// Repeats a byte in all eight lanes.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The eight bytes at `i` (the caller guarantees `i + 8 <= text.len()`).
#[inline(always)]
pub(super) fn load(text: &[u8], i: usize) -> u64 {
    let w = &text[i..i + 8];
    u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
}

/// Bytes of the low-seven-bit values `t` (each below 0x80) in `lo..=hi`.
#[inline(always)]
fn in_range(t: u64, lo: u8, hi: u8) -> u64 {
    // Bit 7 set where t >= lo, and where t > hi.
    let ge_lo = t + splat(0x80 - lo);
    let gt_hi = t + splat(0x7F - hi);
    ge_lo & !gt_hi & HIGH
}

/// Bytes equal to `b` (an ASCII byte): zero bytes of `x ^ b`, found without carries.
#[inline(always)]
fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ splat(b);
    !(((y & LOW7) + LOW7) | y) & HIGH
}

/// ASCII digits.
#[inline(always)]
pub(super) fn digits(x: u64) -> u64 {
    in_range(x & LOW7, b'0', b'9') & !x
}

/// ASCII letters and digits.
#[inline(always)]
pub(super) fn alnum(x: u64) -> u64 {
    let t = x & LOW7;
    // `| 0x20` folds upper case onto lower case (and nothing else onto `a..=z`).
    (in_range(t, b'0', b'9') | in_range(t | splat(0x20), b'a', b'z')) & !x
}

/// Bytes where the scanner dispatches: ASCII letters and digits, `@`, `-` and `:`, and also
/// the backtick, which the dispatch table skips: `:` (0x3A) extends the digit range and `@`
/// (0x40) folds onto the backtick (0x60) next to the lower-case range, so the whole test is
/// two ranges and one equality.
#[inline(always)]
pub(super) fn dispatch(x: u64) -> u64 {
    let t = x & LOW7;
    let digits_colon = in_range(t, b'0', b':');
    let letters_at = in_range(t | splat(0x20), b'`', b'z');
    (digits_colon | letters_at | equal(x, b'-')) & !x
}

/// The mask of the first `k` bytes (`k` from 0 to 7).
#[inline(always)]
pub(super) fn first_bytes(k: u32) -> u64 {
    (1u64 << (8 * k)) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value in every lane, against the byte-wise definition.
    fn agrees(f: fn(u64) -> u64, byte: fn(u8) -> bool) {
        for lane in 0..8 {
            for b in 0..=255u8 {
                for fill in [b'a', b'0', 0xE4, b' ', 0xFF, 0x00, b'z', b'9'] {
                    let mut w = [fill; 8];
                    w[lane] = b;
                    let m = f(u64::from_le_bytes(w));
                    for (k, &x) in w.iter().enumerate() {
                        let bit = m >> (8 * k + 7) & 1 == 1;
                        assert_eq!(bit, byte(x), "lane {k} byte {x:#x} in {w:x?}");
                    }
                    assert_eq!(m & !HIGH, 0);
                }
            }
        }
    }

    #[test]
    fn classes_agree_with_the_byte_tests() {
        agrees(digits, |b| b.is_ascii_digit());
        agrees(alnum, |b| b.is_ascii_alphanumeric());
        agrees(dispatch, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'@' | b'-' | b':' | b'`')
        });
    }

    #[test]
    fn loads_and_prefix_masks() {
        assert_eq!(load(b"abcdefghij", 2), u64::from_le_bytes(*b"cdefghij"));
        assert_eq!(first_bytes(0), 0);
        assert_eq!(first_bytes(3), 0xFF_FFFF);
    }
}
