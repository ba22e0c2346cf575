//! The grade ladder: 一般数据 sub-grades 1–4, then 重要, then 核心.

use std::fmt;

use serde::{Serialize, Serializer};

/// A general-data sub-grade, 1 (lowest) to 4 (highest).
///
/// GB/T 43697 subdivides 一般数据 informatively (Appendix H); practice uses four sub-levels,
/// 4 the highest (spec §2.3 [S]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GeneralLevel(u8);

impl GeneralLevel {
    /// The lowest sub-grade (1: no or negligible harm, public data).
    pub const LOWEST: GeneralLevel = GeneralLevel(1);
    /// The highest sub-grade (4).
    pub const HIGHEST: GeneralLevel = GeneralLevel(4);

    /// A sub-grade from 1 to 4; `None` outside that range.
    pub fn new(level: u8) -> Option<GeneralLevel> {
        (1..=4).contains(&level).then_some(GeneralLevel(level))
    }

    /// The number, 1 to 4.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A grade, ordered from lowest to highest: 一般 1 < … < 一般 4 < 重要 < 核心 (spec §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// 一般数据 with its sub-grade.
    General(GeneralLevel),
    /// 重要数据 — only ever set by a person ([`super::Classification::confirm`]).
    Important,
    /// 核心数据 — only ever set by a person.
    Core,
}

impl Grade {
    /// 一般数据 at a sub-grade (1–4); `None` outside that range.
    pub fn general(level: u8) -> Option<Grade> {
        GeneralLevel::new(level).map(Grade::General)
    }

    /// Stable code: `general-1` … `general-4`, `important`, `core`.
    pub fn code(self) -> &'static str {
        match self {
            Grade::General(GeneralLevel(1)) => "general-1",
            Grade::General(GeneralLevel(2)) => "general-2",
            Grade::General(GeneralLevel(3)) => "general-3",
            Grade::General(_) => "general-4",
            Grade::Important => "important",
            Grade::Core => "core",
        }
    }

    /// Chinese name: `一般数据4级`, `重要数据`, `核心数据`.
    pub fn name_zh(self) -> String {
        match self {
            Grade::General(l) => format!("一般数据{}级", l.get()),
            Grade::Important => "重要数据".to_string(),
            Grade::Core => "核心数据".to_string(),
        }
    }

    /// Parses a code as [`Grade::code`] writes it.
    pub fn parse(code: &str) -> Option<Grade> {
        match code.trim() {
            "important" => Some(Grade::Important),
            "core" => Some(Grade::Core),
            other => other
                .strip_prefix("general-")
                .and_then(|n| n.parse::<u8>().ok())
                .and_then(Grade::general),
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A grade shujian may only propose for a person to confirm (spec §1.3, §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateGrade {
    /// Candidate 重要数据.
    Important,
    /// Candidate 核心数据.
    Core,
}

impl CandidateGrade {
    /// The grade it would become once confirmed.
    pub fn grade(self) -> Grade {
        match self {
            CandidateGrade::Important => Grade::Important,
            CandidateGrade::Core => Grade::Core,
        }
    }

    /// Parses `important` or `core`.
    pub fn parse(s: &str) -> Option<CandidateGrade> {
        match s.trim() {
            "important" => Some(CandidateGrade::Important),
            "core" => Some(CandidateGrade::Core),
            _ => None,
        }
    }

    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            CandidateGrade::Important => "重要数据",
            CandidateGrade::Core => "核心数据",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_order_general_below_important_below_core() {
        let g1 = Grade::general(1).unwrap();
        let g4 = Grade::general(4).unwrap();
        assert!(g1 < g4);
        assert!(g4 < Grade::Important);
        assert!(Grade::Important < Grade::Core);
        assert_eq!(Grade::general(0), None);
        assert_eq!(Grade::general(5), None);
    }

    #[test]
    fn codes_round_trip() {
        for g in [
            Grade::general(1).unwrap(),
            Grade::general(2).unwrap(),
            Grade::general(3).unwrap(),
            Grade::general(4).unwrap(),
            Grade::Important,
            Grade::Core,
        ] {
            assert_eq!(Grade::parse(g.code()), Some(g));
        }
        assert_eq!(Grade::parse("general-5"), None);
        assert_eq!(Grade::general(4).unwrap().name_zh(), "一般数据4级");
        assert_eq!(
            serde_json::to_string(&Grade::general(3).unwrap()).unwrap(),
            "\"general-3\""
        );
        assert_eq!(CandidateGrade::Important.grade(), Grade::Important);
        assert_eq!(CandidateGrade::parse("core"), Some(CandidateGrade::Core));
        assert_eq!(CandidateGrade::parse("secret"), None);
    }
}
