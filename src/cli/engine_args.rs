//! Flags that configure the detection engine, shared by `scan` and `eval`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use shujian_detect::{CivilDate, Confidence, Engine, EngineOptions, RuleFile, Rules};

/// Engine configuration flags.
#[derive(Debug, Clone, clap::Args)]
pub struct EngineArgs {
    /// Rules directory: `detectors/builtin.toml`, `detectors/mobile_segments.toml` and
    /// `detectors/card_issuers.toml` there replace the built-in files; every other
    /// `detectors/*.toml` adds user-defined detectors; `classify/labels.toml` and
    /// `classify/signals.toml` replace the column-classification rules; `templates/*.toml`
    /// replace or add classification templates (`volume.toml`: the volume rules).
    #[arg(long, value_name = "DIR", env = "SHUJIAN_RULES")]
    pub rules: Option<PathBuf>,
    /// A file of user-defined detectors (TOML, `[[detector]]` tables). May be repeated.
    #[arg(long = "detectors", value_name = "FILE")]
    pub detector_files: Vec<PathBuf>,
    /// Only these detectors (comma-separated ids, e.g. `cn_resident_id,cn_mobile`).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub only: Option<Vec<String>>,
    /// Switch these detectors off (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub disable: Vec<String>,
    /// Skip the Han-text detectors (names and addresses), which are the slowest.
    #[arg(long)]
    pub no_names: bool,
    /// Report findings at or above this confidence: low, medium or high.
    #[arg(long, default_value = "medium", value_parser = parse_confidence)]
    pub min_confidence: Confidence,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    Confidence::parse(s).ok_or_else(|| format!("`{s}` is not one of low, medium, high"))
}

/// Today's date in UTC+8 (China Standard Time), from the system clock.
pub fn today() -> CivilDate {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs + 8 * 3600) / 86_400;
    CivilDate::from_unix_days(i64::try_from(days).unwrap_or(0))
}

const REPLACEABLE: [&str; 3] = ["builtin.toml", "mobile_segments.toml", "card_issuers.toml"];

fn read_rule_file(path: &Path) -> anyhow::Result<RuleFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read rule file {}", path.display()))?;
    Ok(RuleFile::new(path.display().to_string(), text))
}

impl EngineArgs {
    /// Loads the rules these flags name.
    pub fn rules(&self) -> anyhow::Result<Rules> {
        use shujian_detect::rules::builtin;
        let mut files = [
            RuleFile::new("builtin:rules/detectors/builtin.toml", builtin::DETECTORS),
            RuleFile::new(
                "builtin:rules/detectors/mobile_segments.toml",
                builtin::MOBILE_SEGMENTS,
            ),
            RuleFile::new(
                "builtin:rules/detectors/card_issuers.toml",
                builtin::CARD_ISSUERS,
            ),
        ];
        let mut custom = Vec::new();
        if let Some(dir) = &self.rules
            && !dir.is_dir()
        {
            anyhow::bail!("rules directory {} does not exist", dir.display());
        }
        // A rules directory may replace only some kinds of rules (say, only templates).
        if let Some(det) = self
            .rules
            .as_ref()
            .map(|d| d.join("detectors"))
            .filter(|d| d.is_dir())
        {
            let entries = std::fs::read_dir(&det)
                .with_context(|| format!("cannot read rules directory {}", det.display()))?;
            let mut paths: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for p in paths {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                match REPLACEABLE.iter().position(|r| *r == name) {
                    Some(i) => files[i] = read_rule_file(&p)?,
                    None => custom.push(read_rule_file(&p)?),
                }
            }
        }
        for p in &self.detector_files {
            custom.push(read_rule_file(p)?);
        }
        let mut rules = Rules::load(&files[0], &files[1], &files[2])?;
        for f in &custom {
            rules.add_custom(f)?;
        }
        Ok(rules)
    }

    /// Builds the column classifier: every detector of the rules (names and addresses off, as
    /// bare cell values carry no context) and the built-in classification rules.
    pub fn classifier(&self) -> anyhow::Result<shujian_classify::Classifier> {
        let engine = Engine::new(
            self.rules()?,
            shujian_classify::default_engine_options(today()),
        )?;
        Ok(shujian_classify::Classifier::new(
            engine,
            self.classify_rules()?,
        )?)
    }

    /// The column-classification rules: `--rules DIR/classify/labels.toml` and
    /// `signals.toml` replace the built-in files of the same name.
    fn classify_rules(&self) -> anyhow::Result<shujian_classify::ClassifyRules> {
        use shujian_classify::rules::builtin;
        let mut labels = RuleFile::new("builtin:rules/classify/labels.toml", builtin::LABELS);
        let mut signals = RuleFile::new("builtin:rules/classify/signals.toml", builtin::SIGNALS);
        if let Some(dir) = &self.rules {
            let d = dir.join("classify");
            let (l, s) = (d.join("labels.toml"), d.join("signals.toml"));
            if l.is_file() {
                labels = read_rule_file(&l)?;
            }
            if s.is_file() {
                signals = read_rule_file(&s)?;
            }
        }
        Ok(shujian_classify::ClassifyRules::load(&labels, &signals)?)
    }

    /// The classification templates (built-in, or replaced by `--rules DIR/templates/*.toml`
    /// of the same id) and volume rules (`--rules DIR/templates/volume.toml`), with `template`
    /// chosen.
    pub fn grader(&self, template: &str) -> anyhow::Result<crate::scan::grading::Grader> {
        use shujian_classify::{TemplateSet, VolumeRules};
        let mut user = Vec::new();
        let mut volume = None;
        if let Some(dir) = &self.rules {
            let t = dir.join("templates");
            if t.is_dir() {
                let mut paths: Vec<PathBuf> = std::fs::read_dir(&t)
                    .with_context(|| format!("cannot read {}", t.display()))?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                paths.sort();
                for p in paths {
                    if p.file_name().is_some_and(|n| n == "volume.toml") {
                        volume = Some(read_rule_file(&p)?);
                    } else {
                        user.push(read_rule_file(&p)?);
                    }
                }
            }
        }
        let templates = TemplateSet::load(&user)?;
        let volume = match &volume {
            Some(f) => VolumeRules::load(f)?,
            None => VolumeRules::builtin()?,
        };
        crate::scan::grading::Grader::new(templates, volume, template)
    }

    /// Builds the engine these flags describe.
    pub fn engine(&self) -> anyhow::Result<Engine> {
        let mut opts = EngineOptions::new(today());
        opts.min_confidence = self.min_confidence;
        opts.only.clone_from(&self.only);
        opts.disable.clone_from(&self.disable);
        opts.names_and_addresses = !self.no_names;
        Ok(Engine::new(self.rules()?, opts)?)
    }
}
