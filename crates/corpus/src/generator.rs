//! The generator state: a seeded random source, the text being built, and the labels of what
//! was inserted.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Label, Span};

/// Builds text from a seeded random source, recording labelled spans when asked to.
///
/// Every random draw goes through `u32` ranges so the stream is the same on 32- and 64-bit
/// targets.
pub(crate) struct Gen {
    rng: ChaCha8Rng,
    /// The text built so far.
    pub out: String,
    /// Labelled spans in character offsets, when labels are wanted.
    spans: Option<Vec<Span>>,
    /// `out[..counted]` holds `chars` characters.
    counted: usize,
    chars: usize,
}

impl Gen {
    /// A generator on one stream of a seed. Different streams of one seed are independent.
    pub fn new(seed: u64, stream: u64, labelled: bool) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Gen {
            rng,
            out: String::new(),
            spans: labelled.then(Vec::new),
            counted: 0,
            chars: 0,
        }
    }

    /// Empties the text (and the labels), keeping the random state.
    pub fn clear(&mut self) {
        self.out.clear();
        if let Some(s) = &mut self.spans {
            s.clear();
        }
        self.counted = 0;
        self.chars = 0;
    }

    /// Takes the labels recorded since the last `clear`.
    pub fn take_spans(&mut self) -> Vec<Span> {
        self.spans.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// A number in `lo..hi`.
    pub fn below(&mut self, lo: u32, hi: u32) -> u32 {
        self.rng.gen_range(lo..hi)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(0, 100) < percent
    }

    /// One element of a slice.
    pub fn pick<'t, T>(&mut self, xs: &'t [T]) -> &'t T {
        &xs[self.below(0, xs.len() as u32) as usize]
    }

    /// Appends literal text.
    pub fn lit(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Appends one ASCII character.
    pub fn ch(&mut self, c: u8) {
        self.out.push(char::from(c));
    }

    /// Appends a random decimal digit.
    pub fn digit(&mut self) {
        let d = self.below(0, 10) as u8;
        self.ch(b'0' + d);
    }

    /// Appends `n` random decimal digits.
    pub fn digits(&mut self, n: u32) {
        for _ in 0..n {
            self.digit();
        }
    }

    /// Appends a number in decimal.
    pub fn num(&mut self, n: u32) {
        let mut buf = [0u8; 10];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &b in &buf[i..] {
            self.ch(b);
        }
    }

    /// Appends a number with at least `width` digits, zero-padded.
    pub fn num_padded(&mut self, n: u32, width: u32) {
        let mut digits = 1;
        let mut m = n / 10;
        while m > 0 {
            digits += 1;
            m /= 10;
        }
        for _ in digits..width {
            self.ch(b'0');
        }
        self.num(n);
    }

    /// Appends ASCII digit values (0–9) as characters.
    pub fn digit_values(&mut self, ds: &[u8]) {
        for &d in ds {
            self.ch(b'0' + d);
        }
    }

    /// Runs `f`, which appends one value, and labels what it appended.
    pub fn labelled(&mut self, label: Label, f: impl FnOnce(&mut Gen)) {
        if self.spans.is_none() {
            f(self);
            return;
        }
        let start = self.char_pos();
        f(self);
        let end = self.char_pos();
        if let Some(spans) = &mut self.spans {
            spans.push(Span { start, end, label });
        }
    }

    /// The character offset of the end of the text.
    fn char_pos(&mut self) -> usize {
        self.chars += self.out[self.counted..].chars().count();
        self.counted = self.out.len();
        self.chars
    }
}
