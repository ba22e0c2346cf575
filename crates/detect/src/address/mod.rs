//! Chinese postal addresses (`cn_address`).
//!
//! An address is found from an **anchor** and read to the right:
//!
//! 1. **Anchors.** One pass of the GB/T 2260 name matcher ([`divisions`]) finds division
//!    names; adjacent names (`浙江省杭州市西湖区`, `广东深圳南山区`, also separated by one
//!    space) form a *chain*. A chain may begin with a province, a prefecture or a full county
//!    name; county short forms (`朝阳`, `海淀`) only continue one. A cue keyword right before a
//!    value (`收货地址：`, `家住`, see [`cue`]) is an anchor too, for addresses written
//!    without divisions (`文三路478号`).
//! 2. **Extent.** From the end of the chain the walk ([`extent`]) reads names, place words and
//!    numbered units ([`structure`]) and ends the address after the last structure word,
//!    stopping at punctuation, whitespace or prose; a six-digit postcode right after it is
//!    included.
//! 3. **Confidence.** Medium needs a distinctive chain (a full province, prefecture or
//!    three-character county name, or two names in a row) with any structure, or a weaker
//!    chain (`北京`, `沛县`) with a numbered unit (`12号`, `A座`). A cue right before the
//!    address raises the level by one. So `我明天去北京出差` (no structure) and a bare
//!    `北京市` are not addresses, `北京路上` is only Low, and `北京市海淀区` alone is Low
//!    unless a cue introduces it.
//!
//! Division names are not checked for consistency with each other (`山西省张家港市` is
//! accepted): real data has stale, abbreviated and misspelt hierarchies, and a detector of
//! personal data should still see the address.
//!
//! Cost: the matcher probes each Han character once with a filter; walks are bounded (60
//! characters) and happen only at anchors, and an address found is not walked again.

mod cue;
mod divisions;
mod extent;
mod structure;

use crate::detector::DetectorId;
use crate::finding::{Check, Checks, Confidence, Note};
use crate::keywords::{KeywordHit, KeywordTable};
use crate::scan::Candidate;
use divisions::{DivisionTable, NameMatch};
use extent::Extent;

/// The address model, built once per engine.
#[derive(Debug)]
pub(crate) struct AddressModel {
    divisions: DivisionTable,
}

/// Adjacent division names.
#[derive(Clone, Copy, Debug)]
struct Chain {
    start: usize,
    end: usize,
    names: u16,
    /// Some name is distinctive alone ([`divisions::NameInfo::is_strong`]).
    strong_name: bool,
    /// Characters of short names at the end of the chain (`沈阳` in `沈阳街`): they may be
    /// the name of the street that follows.
    trailing_short: usize,
}

impl Chain {
    fn new(m: NameMatch) -> Chain {
        Chain {
            start: m.start,
            end: m.end,
            names: 1,
            strong_name: m.info.is_strong(),
            trailing_short: if m.info.full {
                0
            } else {
                usize::from(m.info.chars)
            },
        }
    }

    fn push(&mut self, m: NameMatch) {
        self.end = m.end;
        self.names += 1;
        self.strong_name |= m.info.is_strong();
        self.trailing_short = if m.info.full {
            0
        } else {
            self.trailing_short + usize::from(m.info.chars)
        };
    }

    fn is_strong(&self) -> bool {
        self.strong_name || self.names >= 2
    }

    /// Whether a name starting at `next` continues the chain: right after it, or after one
    /// space (`浙江省 杭州市 西湖区`).
    fn joins(&self, text: &[u8], next: usize) -> bool {
        next == self.end || space_after(text, self.end) == Some(next)
    }
}

/// One scan of one text.
struct AddressScan<'a> {
    divisions: &'a DivisionTable,
    text: &'a [u8],
    hits: &'a [KeywordHit],
    table: &'a KeywordTable,
    me: DetectorId,
    out: &'a mut Vec<Candidate>,
    /// End of the last Medium-or-better address: anchors before it are inside it.
    covered: usize,
    /// Next keyword hit to consider as a cue-only anchor.
    next_cue: usize,
}

impl AddressModel {
    /// The built-in model.
    pub fn builtin() -> AddressModel {
        AddressModel {
            divisions: DivisionTable::builtin(),
        }
    }

    /// Finds addresses in `text`. `hits` are all keyword hits of the text, sorted by start;
    /// `me` is this detector's id (keywords targeting it are address cues).
    pub fn scan(
        &self,
        text: &[u8],
        hits: &[KeywordHit],
        table: &KeywordTable,
        me: DetectorId,
        out: &mut Vec<Candidate>,
    ) {
        let mut scan = AddressScan {
            divisions: &self.divisions,
            text,
            hits,
            table,
            me,
            out,
            covered: 0,
            next_cue: 0,
        };
        let d = &self.divisions;
        let mut next = d.next_match(text, 0);
        while let Some(m) = next {
            next = d.next_match(text, m.end);
            if !m.info.starts_chain() {
                continue;
            }
            let mut chain = Chain::new(m);
            while let Some(n) = next.filter(|n| chain.joins(text, n.start)) {
                chain.push(n);
                next = d.next_match(text, n.end);
            }
            scan.cue_only_before(chain.start);
            scan.chain(&chain);
        }
        scan.cue_only_before(text.len() + 1);
    }
}

impl AddressScan<'_> {
    /// An address anchored on a division chain.
    fn chain(&mut self, chain: &Chain) {
        if chain.start < self.covered {
            return;
        }
        let start = if self.text[..chain.start].ends_with("中国".as_bytes()) {
            chain.start - "中国".len()
        } else {
            chain.start
        };
        // `浙江省 杭州市 西湖区 文三路478号`: one space may also follow the last name.
        let mut ext = self.walk(chain.end, chain.trailing_short);
        if !ext.has_structure()
            && let Some(after) = space_after(self.text, chain.end)
        {
            ext = self.walk(after, chain.trailing_short);
        }
        let level = match (chain.is_strong(), ext.strong > 0, ext.has_structure()) {
            (true, _, true) | (false, true, _) => Some(Confidence::Medium),
            (false, false, true) => Some(Confidence::Low),
            // `北京市海淀区` alone: a coarse location, an address only when introduced as one.
            (true, _, false) if chain.names >= 2 => Some(Confidence::Low),
            _ => None,
        };
        let Some(level) = level else { return };
        let end = if ext.has_structure() {
            ext.end
        } else {
            chain.end
        };
        let checks = Checks::of(&[Check::Dictionary]);
        self.emit(start, end, level, checks, ext);
    }

    /// Addresses introduced by a cue keyword with no division name at their start
    /// (`收货地址：文三路478号`), for cues before byte `before`.
    fn cue_only_before(&mut self, before: usize) {
        while let Some(hit) = self.hits.get(self.next_cue).copied() {
            if hit.start >= before {
                return;
            }
            self.next_cue += 1;
            if hit.start < self.covered || !cue::is_cue(self.table, &hit, self.me) {
                continue;
            }
            let start = cue::value_start(self.text, hit.end);
            let country = self.text[start.min(before)..].starts_with("中国".as_bytes());
            if start >= before || (country && start + "中国".len() == before) {
                // The value is the division chain itself: the chain will take the cue.
                return;
            }
            let ext = self.walk(start, 0);
            if ext.has_structure() {
                self.emit(start, ext.end, Confidence::Low, Checks::NONE, ext);
            }
        }
    }

    /// Reads the detail part from `from`, stopping where another address begins.
    fn walk(&self, from: usize, name_before: usize) -> Extent {
        let d = self.divisions;
        let text = self.text;
        extent::walk(text, from, name_before, |pos| {
            d.longest_at(text, pos).is_some_and(|m| {
                // `兴安盟路`: a division name that names a street does not begin an address.
                m.info.begins_new_address()
                    && (m.end >= text.len() || !structure::names_a_street(text, m.end))
            })
        })
    }

    /// Adds the postcode, the cue and the structure checks, and pushes the candidate.
    fn emit(
        &mut self,
        start: usize,
        mut end: usize,
        mut level: Confidence,
        mut checks: Checks,
        ext: Extent,
    ) {
        if start < self.covered {
            return;
        }
        if ext.has_structure() {
            checks = checks.with(Check::Structure);
        }
        if let Some(p) = extent::postcode_after(self.text, end) {
            end = p;
            checks = checks.with(Check::Format);
        }
        let keyword = cue::cue_before(self.text, self.hits, self.table, self.me, start);
        if keyword.is_some() {
            level = level.raised();
            checks = checks.with(Check::Keyword);
        }
        if level >= Confidence::Medium {
            self.covered = end;
        }
        self.out.push(Candidate {
            detector: self.me,
            start,
            end,
            confidence: level,
            checks,
            note: Note::None,
            keyword: keyword.map(|h| h.entry),
            context_done: true,
        });
    }
}

/// The end of one space (ASCII or ideographic) at `at`, if there is one.
fn space_after(text: &[u8], at: usize) -> Option<usize> {
    if text.get(at) == Some(&b' ') {
        Some(at + 1)
    } else if text[at.min(text.len())..].starts_with("\u{3000}".as_bytes()) {
        Some(at + 3)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
