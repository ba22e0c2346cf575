//! The evaluation schemas (SQLite exports of real MySQL schemas with `_column_comments`).

use shujian_sources::db::DbOptions;

use crate::common::*;

#[test]
fn dev_schemas_take_comments_from_column_comments() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/schemas/dev");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .filter_map(|e| std::fs::read_dir(e.path()).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .sqlite under {}", dir.display());
    let rt = runtime();
    for file in files {
        let db = connect(&format!("sqlite:{}", file.display()), &DbOptions::default()).unwrap();
        let tables = db.list_tables().unwrap();
        // What the file itself says.
        let pool = rt
            .block_on(sqlx::SqlitePool::connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&file)
                    .read_only(true),
            ))
            .unwrap();
        let count: i64 = rt
            .block_on(
                sqlx::query_scalar(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_one(&pool),
            )
            .unwrap();
        assert_eq!(
            tables.len() as i64,
            count - 1,
            "{}: all but _column_comments",
            file.display()
        );
        assert!(tables.iter().all(|t| t.name != "_column_comments"));
        let comments: Vec<(String, String, String)> = rt
            .block_on(
                sqlx::query_as(
                    "SELECT table_name, column_name, column_comment FROM _column_comments
                     WHERE column_comment <> ''",
                )
                .fetch_all(&pool),
            )
            .unwrap();
        assert!(!comments.is_empty(), "{}", file.display());
        for (table, column, comment) in &comments {
            let Some(t) = tables.iter().find(|t| &t.name == table) else {
                continue;
            };
            let c = t.columns.iter().find(|c| &c.name == column);
            if let Some(c) = c {
                assert_eq!(
                    c.comment.as_deref(),
                    Some(comment.as_str()),
                    "{table}.{column}"
                );
            }
        }
        let commented = tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.comment.is_some())
            .count();
        assert!(
            commented * 2 >= comments.len(),
            "{}: {commented} comments",
            file.display()
        );
        let (ok, failed) = sample_all(&db, tables.clone());
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(ok.len(), tables.len());
        rt.block_on(pool.close());
    }
}
