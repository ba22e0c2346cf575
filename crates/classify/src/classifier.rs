//! The classifier: rules, the detection engine and the value model, built once and shared.

use shujian_detect::{CivilDate, DetectorId, Engine, EngineOptions};

use crate::accumulator::ColumnAccumulator;
use crate::decide::decide;
use crate::hints::{HintMatcher, Hints};
use crate::profile::ColumnProfile;
use crate::rules::ClassifyRules;
use crate::values::ValueModel;

/// What is known about a column besides its values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColumnInput<'a> {
    /// Table, sheet or file name.
    pub table: &'a str,
    /// The table's comment (may be empty).
    pub table_comment: &'a str,
    /// Column, field or header name.
    pub column: &'a str,
    /// The column's comment, or a header's text when the name is a code (may be empty).
    pub comment: &'a str,
    /// Declared type (`varchar(64)`, `decimal(10,2)` …; may be empty).
    pub declared_type: &'a str,
}

/// A column classifier could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// A rule file is invalid.
    #[error(transparent)]
    Rules(#[from] shujian_detect::RuleError),
    /// The engine could not be built.
    #[error(transparent)]
    Engine(#[from] shujian_detect::EngineError),
    /// A rule names a detector the engine does not know.
    #[error("{origin}: unknown detector `{id}`")]
    UnknownDetector {
        /// `file:line` of the rule.
        origin: String,
        /// The detector id.
        id: String,
    },
}

/// Classifies columns. Build once; `&Classifier` is all a thread needs.
#[derive(Debug)]
pub struct Classifier {
    engine: Engine,
    rules: ClassifyRules,
    matcher: HintMatcher,
    values: ValueModel,
    /// For each detector rule, the engine's id of its detector (`None`: switched off).
    detector_ids: Vec<Option<DetectorId>>,
}

impl Classifier {
    /// The built-in rules with an engine of every identifier detector, names and addresses
    /// off (they need context a bare column value lacks, and they are the slow ones).
    pub fn builtin(today: CivilDate) -> Result<Classifier, ClassifyError> {
        Classifier::new(
            Engine::builtin(default_engine_options(today))?,
            ClassifyRules::builtin(),
        )
    }

    /// A classifier from an engine and rules.
    pub fn new(engine: Engine, rules: ClassifyRules) -> Result<Classifier, ClassifyError> {
        let mut detector_ids = Vec::with_capacity(rules.detectors.len());
        for r in &rules.detectors {
            let Some(id) = engine.find(&r.detector) else {
                return Err(ClassifyError::UnknownDetector {
                    origin: r.origin.clone(),
                    id: r.detector.clone(),
                });
            };
            detector_ids.push(engine.is_active(id).then_some(id));
        }
        Ok(Classifier {
            matcher: HintMatcher::new(&rules),
            values: ValueModel::new(&rules.values),
            engine,
            rules,
            detector_ids,
        })
    }

    /// The detection engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The rules.
    pub fn rules(&self) -> &ClassifyRules {
        &self.rules
    }

    pub(crate) fn values(&self) -> &ValueModel {
        &self.values
    }

    pub(crate) fn detector_ids(&self) -> &[Option<DetectorId>] {
        &self.detector_ids
    }

    /// The name and comment hints of a column.
    pub fn hints(&self, input: &ColumnInput<'_>) -> Hints {
        self.matcher.hints(input.column, input.comment)
    }

    /// A new, empty accumulator for one column's values.
    pub fn accumulator(&self) -> ColumnAccumulator<'_> {
        ColumnAccumulator::new(self)
    }

    /// Classifies a column from a sample of its values (empty strings are nulls).
    pub fn classify(&self, input: &ColumnInput<'_>, values: &[&str]) -> ColumnProfile {
        let mut acc = self.accumulator();
        acc.push_values(values);
        self.decide(input, &acc)
    }

    /// Classifies a column from what an accumulator has seen.
    pub fn decide(&self, input: &ColumnInput<'_>, acc: &ColumnAccumulator<'_>) -> ColumnProfile {
        decide(self, input, acc)
    }
}

/// Engine options for column values: identifier detectors only, validated values only.
pub fn default_engine_options(today: CivilDate) -> EngineOptions {
    let mut o = EngineOptions::new(today);
    o.names_and_addresses = false;
    o
}
