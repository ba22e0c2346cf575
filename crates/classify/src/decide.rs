//! The decision: name, comment, table and value evidence combined into one label.
//!
//! Every label collects points; each point given is a [`Reason`]. Hints from the name and the
//! comment come first (a keyword at the head counts most), then a person reference is resolved
//! (real name or login name), weak keywords are corroborated or discounted, the values add or
//! take points (detector hit ratios, shapes), and the table context and blockers adjust. The
//! best label wins if it reaches the threshold; otherwise the column is `NONE`.

use shujian_detect::Confidence;

use crate::accumulator::ColumnAccumulator;
use crate::classifier::{Classifier, ColumnInput};
use crate::hints::{Hit, HitKind};
use crate::label::Label;
use crate::profile::{Candidate, ColumnProfile, Reason};
use crate::rules::{ClassifyRules, Target};
use crate::tokens::{main_clause, split_name};
use crate::values::Shape;

/// What the table around a column says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableContext {
    /// Rows are persons (users, members, patients, addresses of persons …).
    pub person: bool,
    /// Rows are transactions (orders, payments, refunds …).
    pub transaction: bool,
    /// A catalogue, promotion or rule table.
    pub catalog: bool,
    /// A dictionary, configuration or template table.
    pub dictionary: bool,
    /// A login or access log.
    pub access_log: bool,
}

impl TableContext {
    /// The context of a table from its name and comment.
    pub fn new(rules: &ClassifyRules, table: &str, comment: &str) -> TableContext {
        let t = &rules.table;
        let words: Vec<String> = split_name(table)
            .into_iter()
            .filter(|w| !t.generic.contains(w))
            .collect();
        let any = |list: &[String]| {
            list.iter().any(|x| {
                if x.is_ascii() {
                    words.iter().any(|w| w == x)
                } else {
                    comment.contains(x.as_str()) || table.contains(x.as_str())
                }
            })
        };
        let head = words.last().map(String::as_str).unwrap_or("");
        let person = any(&t.person) && !t.not_person.iter().any(|x| x == head);
        let transaction = any(&t.transaction);
        TableContext {
            person,
            transaction,
            catalog: any(&t.catalog) && !transaction,
            dictionary: any(&t.dictionary),
            access_log: any(&t.access_log),
        }
    }
}

struct Scores {
    score: [f32; Label::COUNT],
    /// Points from name and comment hints (corroboration, value gating).
    hinted: [bool; Label::COUNT],
    reasons: Vec<Reason>,
}

impl Scores {
    fn add(&mut self, label: Label, points: f32, code: String, zh: String, en: String) {
        if points == 0.0 {
            return;
        }
        self.score[label.index()] += points;
        self.reasons.push(Reason {
            code,
            label,
            points: round2(points),
            zh,
            en,
        });
    }

    fn hinted(&self, l: Label) -> bool {
        self.hinted[l.index()]
    }
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

const PERSON_LABELS: [Label; 2] = [Label::PersonName, Label::UsernameOrNickname];

pub(crate) fn decide(
    c: &Classifier,
    input: &ColumnInput<'_>,
    acc: &ColumnAccumulator<'_>,
) -> ColumnProfile {
    let rules = c.rules();
    let w = &rules.weights;
    let hints = c.hints(input);
    let table = TableContext::new(rules, input.table, input.table_comment);
    let mut s = Scores {
        score: [0.0; Label::COUNT],
        hinted: [false; Label::COUNT],
        reasons: Vec::new(),
    };
    let mut weak: Vec<(Label, f32, Hit)> = Vec::new();
    let mut person_ref: Option<(f32, Hit)> = None;
    let mut block: Option<(f32, String)> = None;

    // 1. Hints.
    let mut apply = |hit: &Hit, base: f32, s: &mut Scores, weak: &mut Vec<(Label, f32, Hit)>| {
        let points = base * hit.weight;
        match hit.target {
            Target::Label(l) if hit.weak => weak.push((l, points, hit.clone())),
            Target::Label(l) => {
                s.hinted[l.index()] = true;
                let (zh, en) = hint_text(hit);
                s.add(
                    l,
                    points,
                    format!("{}:{}", hit.kind.code(), hit.keyword),
                    zh,
                    en,
                );
            }
            Target::PersonRef => {
                if person_ref.as_ref().is_none_or(|(p, _)| points > *p) {
                    person_ref = Some((points, hit.clone()));
                }
            }
            Target::Blocker => {
                let factor = if hit.kind.is_comment() {
                    w.block_comment
                } else {
                    w.block_name
                };
                let p = factor * hit.weight * if hit.weak { w.weak_factor } else { 1.0 };
                if block.as_ref().is_none_or(|(b, _)| p > *b) {
                    block = Some((p, hit.keyword.clone()));
                }
            }
        }
    };
    if let Some(h) = &hints.name_head {
        let base = match h.kind {
            HitKind::NameInToken => w.name_in_token,
            _ => w.name_head,
        };
        apply(h, base, &mut s, &mut weak);
    }
    for h in &hints.name_other {
        apply(h, w.name_elsewhere, &mut s, &mut weak);
    }
    if let Some(h) = &hints.comment_head {
        let base = match h.kind {
            HitKind::CommentNear => w.comment_near,
            _ => w.comment_head,
        };
        apply(h, base, &mut s, &mut weak);
    }
    for h in &hints.comment_other {
        apply(h, w.comment_elsewhere, &mut s, &mut weak);
    }
    let clause = main_clause(input.comment);
    if let Some(p) = rules
        .comment
        .flag_prefixes
        .iter()
        .find(|p| clause.starts_with(p.as_str()))
        && block.as_ref().is_none_or(|(b, _)| w.block_comment > *b)
    {
        block = Some((w.block_comment, p.clone()));
    }

    // 2. A person reference: real name or login name.
    if let Some((points, hit)) = &person_ref {
        let points = *points;
        let (first, second) = if hints.operator {
            (Label::UsernameOrNickname, Label::PersonName)
        } else {
            (Label::PersonName, Label::UsernameOrNickname)
        };
        for (l, p) in [(first, points), (second, points * w.person_ref_other)] {
            s.hinted[l.index()] = true;
            s.add(
                l,
                p,
                format!("person_ref:{}", hit.keyword),
                format!("列名或注释“{}”指向人员", hit.keyword),
                format!("`{}` refers to a person", hit.keyword),
            );
        }
    }

    // 3. Values.
    let counts = acc.counts();
    let n = counts.non_empty;
    let shape_counts = acc.shape_counts();
    let ratio = |k: u64| if n == 0 { 0.0 } else { k as f32 / n as f32 };
    let weak_labels: Vec<Label> = weak.iter().map(|x| x.0).collect();
    let gate = |s: &Scores, l: Label| s.hinted(l) || weak_labels.contains(&l);
    let mut value_support = [false; Label::COUNT];
    for (r, id) in rules.detectors.iter().zip(c.detector_ids()) {
        let Some(id) = id else { continue };
        let x = ratio(counts.whole_hits[id.index()]);
        if n == 0 || x < r.min_ratio || !(r.alone || gate(&s, r.label)) {
            continue;
        }
        let t = if r.min_ratio >= 1.0 {
            1.0
        } else {
            (x - r.min_ratio) / (1.0 - r.min_ratio)
        };
        let p = r.weight_min + t * (r.weight_max - r.weight_min);
        value_support[r.label.index()] = true;
        s.add(
            r.label,
            p,
            format!("hit_ratio:{}={x:.2}", r.detector),
            format!("{:.0}% 的值被检测器 {} 识别", x * 100.0, r.detector),
            format!(
                "{:.0}% of values found by detector {}",
                x * 100.0,
                r.detector
            ),
        );
    }
    // 4. Weak keywords: corroborated by another hint, a detector or the table, or discounted.
    for (l, points, hit) in &weak {
        let by_table = table.person
            && matches!(
                l,
                Label::PersonName
                    | Label::PhotoOrBiometric
                    | Label::Health
                    | Label::OtherPi
                    | Label::UsernameOrNickname
            )
            || table.transaction && *l == Label::FinancialAmount;
        let corroborated = s.hinted(*l) || value_support[l.index()] || by_table;
        let p = if corroborated {
            *points
        } else {
            points * w.weak_factor
        };
        // Only a corroborated weak keyword lets the value shapes speak for its label.
        if corroborated {
            s.hinted[l.index()] = true;
        }
        let (zh, en) = hint_text(hit);
        let how = if corroborated { "" } else { "（弱）" };
        s.add(
            *l,
            p,
            format!(
                "{}:{}{}",
                hit.kind.code(),
                hit.keyword,
                if corroborated { "" } else { "?" }
            ),
            format!("{zh}{how}"),
            en,
        );
    }

    // 5. Shapes support a label that has a hint (or stand alone where the rule says so).
    for r in &rules.shapes {
        let x = ratio(shape_counts[r.shape.index()]);
        if n < r.min_values.max(1) || x < r.min_ratio || !(r.alone || s.hinted(r.label)) {
            continue;
        }
        s.add(
            r.label,
            r.weight,
            format!("shape:{}={x:.2}", r.shape.code()),
            format!("{:.0}% 的值形如 {}", x * 100.0, r.shape.code()),
            format!("{:.0}% of values have shape {}", x * 100.0, r.shape.code()),
        );
    }
    // A person reference whose values are neither names, login names nor numbers (操作人:
    // 用户/系统/后台管理员) names roles, not persons.
    if person_ref.is_some() && n >= 3 {
        let r = |sh: Shape| ratio(shape_counts[sh.index()]);
        if r(Shape::HanText) >= 0.5 && r(Shape::HanName) < 0.2 && r(Shape::LoginName) < 0.2 {
            for l in PERSON_LABELS {
                s.add(
                    l,
                    -w.contradiction,
                    "contradiction:role_text".into(),
                    "取值是角色或说明文字，不是人名或账号".into(),
                    "values are role words or text, not names or logins".into(),
                );
            }
        }
    }

    // 6. Declared type and contradicting values.
    let ty = input.declared_type.to_ascii_lowercase();
    if !ty.is_empty() {
        if s.hinted(Label::FinancialAmount) && ty.starts_with("decimal") && ty.contains(",2)") {
            s.add(
                Label::FinancialAmount,
                w.declared_type,
                format!("declared_type:{ty}"),
                "声明类型为两位小数".into(),
                "declared as a two-decimal number".into(),
            );
        }
        if s.hinted(Label::Birthdate) && ty == "date" {
            s.add(
                Label::Birthdate,
                w.declared_type,
                format!("declared_type:{ty}"),
                "声明类型为日期".into(),
                "declared as a date".into(),
            );
        }
        let integer = [
            "int",
            "bigint",
            "smallint",
            "tinyint",
            "integer",
            "mediumint",
        ]
        .iter()
        .any(|t| ty == *t || ty.starts_with(&format!("{t}(")));
        if integer && person_ref.is_some() && n == 0 {
            for l in PERSON_LABELS {
                s.add(
                    l,
                    -w.declared_type,
                    format!("declared_type:{ty}"),
                    "声明类型为整数（人员编号）".into(),
                    "declared as an integer (a person's id)".into(),
                );
            }
        }
    }
    if n >= 3 {
        let tiny = ratio(shape_counts[Shape::SmallInteger.index()]) >= 0.9
            || (acc.small.distinct().is_some_and(|d| d <= 2) && counts.max_len <= 2 && n >= 5);
        if tiny {
            for &l in &rules.rich_labels {
                if s.hinted(l) && s.score[l.index()] > 0.0 {
                    s.add(
                        l,
                        -w.contradiction,
                        "contradiction:tiny_values".into(),
                        "取值为极少的短枚举，与提示不符".into(),
                        "values are a tiny enumeration, unlike the hint".into(),
                    );
                }
            }
        }
    }

    // 7. Table context.
    if table.dictionary {
        for l in Label::ALL.into_iter().filter(|l| l.is_pi()) {
            let audit = person_ref.is_some() && PERSON_LABELS.contains(&l);
            if s.score[l.index()] > 0.0 && !audit {
                s.add(
                    l,
                    -w.dictionary_table,
                    "table:dictionary".into(),
                    "字典、配置或模板表".into(),
                    "dictionary, configuration or template table".into(),
                );
            }
        }
    }
    let fin = Label::FinancialAmount;
    if s.score[fin.index()] > 0.0 {
        if table.catalog {
            s.add(
                fin,
                -w.catalog_table,
                "table:catalog".into(),
                "商品目录、促销或规则表中的价格".into(),
                "a price in a catalogue, promotion or rule table".into(),
            );
        } else if table.transaction {
            s.add(
                fin,
                w.transaction_table,
                "table:transaction".into(),
                "交易类表中的金额".into(),
                "an amount in a transaction table".into(),
            );
        }
    }
    if table.access_log && s.score[Label::Address.index()] > 0.0 {
        let moved = s.score[Label::Address.index()];
        s.add(
            Label::Address,
            -moved,
            "table:access_log".into(),
            "登录或访问日志中的地点是IP定位".into(),
            "a place in a login or access log is an IP-derived location".into(),
        );
        s.add(
            Label::GeoLocation,
            moved,
            "table:access_log".into(),
            "登录或访问日志中的地点是IP定位".into(),
            "a place in a login or access log is an IP-derived location".into(),
        );
    }

    // 8. Blockers.
    if let Some((p, kw)) = &block {
        for l in Label::ALL.into_iter().filter(|l| l.is_pi()) {
            if s.score[l.index()] > 0.0 {
                s.add(
                    l,
                    -p,
                    format!("blocker:{kw}"),
                    format!("“{kw}”表明是编号、时间、数量或状态等"),
                    format!("`{kw}` marks a key, time, count or status"),
                );
            }
        }
    }

    // 9. Choose.
    let mut ranked: Vec<Candidate> = Label::ALL
        .into_iter()
        .filter(|l| l.is_pi())
        .map(|l| Candidate {
            label: l,
            score: round2(s.score[l.index()]),
        })
        .filter(|x| x.score > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.label.cmp(&b.label)));
    ranked.truncate(3);
    let best = ranked.first().copied();
    let (label, score) = match best {
        Some(b) if b.score >= w.threshold => (b.label, b.score),
        Some(b) => (Label::None, b.score),
        None => (Label::None, 0.0),
    };
    let (confidence, confidence_score) = if label.is_pi() {
        let margin = ranked.get(1).map_or(score, |x| score - x.score);
        let level = if score >= w.high && margin >= w.threshold {
            Confidence::High
        } else if score >= w.medium {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        (level, (1.0 - (-score).exp()).clamp(0.0, 1.0))
    } else {
        let x = (1.0 - score / w.threshold).clamp(0.0, 1.0);
        let level = if score <= 0.0 {
            Confidence::High
        } else if x >= 0.5 {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        (level, 0.5 + 0.5 * x)
    };

    let engine = c.engine();
    let hit_ratios = engine
        .detectors()
        .iter()
        .enumerate()
        .filter(|&(i, _)| counts.whole_hits[i] > 0)
        .map(|(i, d)| (d.id.clone(), round2(ratio(counts.whole_hits[i]))))
        .collect();
    let shape_ratios = Shape::ALL
        .into_iter()
        .filter(|sh| shape_counts[sh.index()] > 0)
        .map(|sh| {
            (
                sh.code().to_string(),
                round2(ratio(shape_counts[sh.index()])),
            )
        })
        .collect();
    ColumnProfile {
        table: input.table.to_string(),
        column: input.column.to_string(),
        label,
        confidence,
        confidence_score: round2(confidence_score),
        score,
        candidates: ranked,
        reasons: s.reasons,
        hit_ratios,
        shape_ratios,
        non_empty: n,
        empty: counts.empty,
        distinct_estimate: acc.distinct_estimate(),
        examples: acc.examples().to_vec(),
    }
}

fn hint_text(hit: &Hit) -> (String, String) {
    let (zh, en) = match hit.kind {
        HitKind::NameHead => ("列名", "column name"),
        HitKind::NameInToken => (
            "列名（缩写或连写）",
            "column name (abbreviation or run-together word)",
        ),
        HitKind::NameElsewhere => ("列名中提及", "mentioned in the column name"),
        HitKind::CommentHead | HitKind::CommentNear => ("注释", "comment"),
        HitKind::CommentElsewhere => ("注释中提及", "mentioned in the comment"),
    };
    (
        format!("{zh}“{}”→{}", hit.keyword, target_zh(hit.target)),
        format!("{en} `{}` → {}", hit.keyword, hit.target.code()),
    )
}

fn target_zh(t: Target) -> &'static str {
    match t {
        Target::Label(l) => l.name_zh(),
        Target::PersonRef => "人员",
        Target::Blocker => "非个人信息",
    }
}
