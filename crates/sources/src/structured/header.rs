//! Which row of a table holds the column names.
//!
//! A row is a header when its non-empty cells look like names (short, not numbers, dates or
//! identifiers, no `@`), are distinct, fill most of the row, and the row is unlike the rows
//! below it: some column below holds numbers or identifiers, or values of one fixed length,
//! where the candidate holds text of another shape. A table of text only has no such
//! contrast; there the row is a header if a cell is a usual column name (`姓名`, `手机号`,
//! `name`, `email` …) or if no rows follow.

/// Rows examined for a header (title rows such as a merged `员工信息表` come first).
pub(crate) const HEADER_SCAN_ROWS: usize = 10;

/// Index of the header row among the first rows of a table, or `None`. `scan_to` limits
/// which rows may be the header (CSV: only the first; sheets: the first ten); `rows` also
/// holds a few rows below them for the comparison.
pub(crate) fn detect_header<S: AsRef<str>>(rows: &[Vec<S>], scan_to: usize) -> Option<usize> {
    let width = rows.iter().map(|r| non_empty(r)).max().unwrap_or(0);
    for (i, row) in rows.iter().enumerate().take(scan_to) {
        let filled = non_empty(row);
        if filled == 0 {
            continue;
        }
        if filled >= 2.min(width) && filled * 2 >= width && looks_like_names(row) {
            let below = &rows[i + 1..];
            if below.iter().all(|r| non_empty(r) == 0) || unlike_rows_below(row, below) {
                return Some(i);
            }
            if row.iter().any(|c| is_usual_column_name(c.as_ref())) {
                return Some(i);
            }
        }
        // A row of data (not a title: two different values at least) that is not a header:
        // the table has none.
        if distinct(row) >= 2 && filled * 2 >= width {
            return None;
        }
    }
    None
}

fn non_empty<S: AsRef<str>>(row: &[S]) -> usize {
    row.iter().filter(|c| !c.as_ref().trim().is_empty()).count()
}

fn distinct<S: AsRef<str>>(row: &[S]) -> usize {
    let mut seen: Vec<&str> = row
        .iter()
        .map(|c| c.as_ref().trim())
        .filter(|c| !c.is_empty())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn looks_like_names<S: AsRef<str>>(row: &[S]) -> bool {
    let mut seen = std::collections::HashSet::new();
    for c in row {
        let c = c.as_ref().trim();
        if c.is_empty() {
            continue;
        }
        if !looks_like_name(c) || !seen.insert(c) {
            return false;
        }
    }
    true
}

fn looks_like_name(c: &str) -> bool {
    let chars = c.chars().count();
    if chars > 40 || c.contains('@') {
        return false;
    }
    let digits = c.chars().filter(char::is_ascii_digit).count();
    digits * 10 < chars * 3 && kind(c) == Kind::Text
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Empty,
    /// Numbers, dates, identifiers: mostly digits.
    Numeric,
    Text,
}

fn kind(c: &str) -> Kind {
    let c = c.trim();
    if c.is_empty() {
        return Kind::Empty;
    }
    let digits = c.bytes().filter(u8::is_ascii_digit).count();
    let chars = c.chars().count();
    if digits * 2 >= chars {
        Kind::Numeric
    } else {
        Kind::Text
    }
}

/// Some column below is mostly numeric where the header cell is text, or its values all have
/// one length the header cell does not.
fn unlike_rows_below<S: AsRef<str>>(header: &[S], below: &[Vec<S>]) -> bool {
    for (col, h) in header.iter().enumerate() {
        let h = h.as_ref().trim();
        if h.is_empty() {
            continue;
        }
        let cells: Vec<&str> = below
            .iter()
            .filter_map(|r| r.get(col).map(|c| c.as_ref().trim()))
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let numeric = cells.iter().filter(|c| kind(c) == Kind::Numeric).count();
        if numeric * 2 > cells.len() {
            return true;
        }
        let len = cells[0].chars().count();
        if cells.len() >= 2
            && cells.iter().all(|c| c.chars().count() == len)
            && h.chars().count() != len
            && !cells.contains(&h)
        {
            return true;
        }
    }
    false
}

/// Words that name columns in Chinese and English exports.
const COLUMN_WORDS: &[&str] = &[
    "姓名",
    "名称",
    "名字",
    "电话",
    "手机",
    "号码",
    "地址",
    "住址",
    "邮箱",
    "邮件",
    "日期",
    "时间",
    "编号",
    "编码",
    "类型",
    "状态",
    "性别",
    "年龄",
    "账号",
    "账户",
    "金额",
    "身份证",
    "证件",
    "民族",
    "部门",
    "职位",
    "职务",
    "单位",
    "备注",
    "序号",
    "生日",
    "籍贯",
    "学历",
    "银行",
    "卡号",
    "用户",
    "昵称",
    "密码",
    "联系",
    "企业",
    "公司",
    "代码",
    "省",
    "城市",
    "区县",
    "说明",
    "数量",
    "价格",
];

const COLUMN_WORDS_EN: &[&str] = &[
    "name", "id", "phone", "mobile", "tel", "email", "mail", "address", "addr", "date", "time",
    "type", "status", "code", "no", "number", "gender", "sex", "age", "account", "card", "user",
    "city", "province", "remark", "note", "amount", "price", "birthday", "dept", "title",
    "company", "ip", "password", "created", "updated",
];

fn is_usual_column_name(c: &str) -> bool {
    let c = c.trim();
    if c.chars().count() <= 12 && COLUMN_WORDS.iter().any(|w| c.contains(w)) {
        return true;
    }
    let lower = c.to_ascii_lowercase();
    lower
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .any(|w| COLUMN_WORDS_EN.contains(&w))
        || COLUMN_WORDS_EN
            .iter()
            .any(|w| w.len() >= 4 && lower.len() <= 32 && lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn headers_over_numbers_and_identifiers() {
        let t = rows("name,phone,age\nzhang,13812345678,30\nli,13912345678,41");
        assert_eq!(detect_header(&t, 1), Some(0));
        let t = rows("姓名,身份证号\n张三,11010519491231002X\n李四,110105194912310021");
        assert_eq!(detect_header(&t, 1), Some(0));
    }

    #[test]
    fn data_first_rows_are_not_headers() {
        let t = rows("zhang,13812345678,30\nli,13912345678,41");
        assert_eq!(detect_header(&t, 1), None);
        // Duplicates are not names.
        let t = rows("a,a,a\n1,2,3");
        assert_eq!(detect_header(&t, 1), None);
        // Text over text without a usual column name: no header.
        let t = rows("张三,北京\n李四,上海\n王五,广州");
        assert_eq!(detect_header(&t, 1), None);
    }

    #[test]
    fn text_tables_with_usual_names_have_headers() {
        let t = rows("姓名,城市\n张三,北京\n李四,上海");
        assert_eq!(detect_header(&t, 1), Some(0));
        let t = rows("user_name,home_city\nzhang,beijing\nli,shanghai");
        assert_eq!(detect_header(&t, 1), Some(0));
    }

    #[test]
    fn title_rows_are_skipped() {
        let t =
            rows("员工信息表,,\n,,\n工号,姓名,手机\n1001,张三,13812345678\n1002,李四,13912345678");
        assert_eq!(detect_header(&t, HEADER_SCAN_ROWS), Some(2));
        // A merged title filled across the row is not distinct.
        let t = rows("员工信息表,员工信息表,员工信息表\n工号,姓名,手机\n1001,张三,13812345678");
        assert_eq!(detect_header(&t, HEADER_SCAN_ROWS), Some(1));
    }
}
