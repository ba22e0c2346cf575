//! Helpers shared by the engine modules: server URLs (or skipping), unique names, generated
//! personal data and the assertions every engine's sample must pass.

use shujian_sources::db::{
    BlockingDbSource, DbError, DbOptions, DbUrl, SampleStrategy, TableInfo, TableSample,
};

/// The server URL from `var`, or `None` (after saying so) when the test should be skipped.
pub(crate) fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("SHUJIAN_REQUIRE_DB").is_some() => {
            panic!(
                "{var} is not set but SHUJIAN_REQUIRE_DB is: run eval \"$(scripts/db.sh)\" first"
            )
        }
        _ => {
            println!("skipped: {var} not set (run eval \"$(scripts/db.sh)\")");
            None
        }
    }
}

/// A name unique to this test and process.
pub(crate) fn unique(test: &str) -> String {
    format!("shujian_t_{test}_{}", std::process::id())
}

/// The same server URL with another database (our URLs carry no query string).
pub(crate) fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("URL with a database");
    format!("{base}/{db}")
}

/// The same server URL with other credentials.
pub(crate) fn with_credentials(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (_, host) = rest.rsplit_once('@').unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub(crate) fn connect(url: &str, opts: &DbOptions) -> Result<BlockingDbSource, DbError> {
    BlockingDbSource::connect(&DbUrl::parse(url)?, opts)
}

pub(crate) fn find<'a>(tables: &'a [TableInfo], name: &str) -> &'a TableInfo {
    tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("table {name} not listed"))
}

/// Samples every table through the concurrent stream; returns successes by name and errors.
pub(crate) fn sample_all(
    db: &BlockingDbSource,
    tables: Vec<TableInfo>,
) -> (Vec<TableSample>, Vec<DbError>) {
    let (mut ok, mut failed) = (Vec::new(), Vec::new());
    for r in db.samples(tables) {
        match r {
            Ok(s) => ok.push(s),
            Err(e) => failed.push(e),
        }
    }
    (ok, failed)
}

/// Generated personal data: a Chinese name, a mobile number, a resident ID with a valid
/// MOD 11-2 check character, an e-mail address.
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) mobile: String,
    pub(crate) id_card: String,
    pub(crate) email: String,
}

pub(crate) fn person(i: usize) -> Person {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强"];
    let body = format!(
        "110101{:04}{:02}{:02}{:03}",
        1960 + i % 40,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    Person {
        name: format!("{}{}", SURNAMES[i % 8], GIVEN[(i / 8) % 8]),
        mobile: format!("13{}{:08}", 8 + i % 2, 12_345_678 + i * 7919),
        id_card: format!("{body}{check}"),
        email: format!("user{i}@example.com"),
    }
}

pub(crate) const CUSTOMERS: usize = 50;

pub(crate) fn assert_customer_sample(s: &TableSample) {
    assert_eq!(s.strategy, SampleStrategy::Whole);
    assert_eq!(s.rows, CUSTOMERS);
    assert!(s.columns.iter().all(|c| c.len() == CUSTOMERS));
    let names = s.column("姓名").unwrap();
    let mobiles = s.column("mobile").unwrap();
    let ids = s.column("id_card").unwrap();
    for i in 0..CUSTOMERS {
        let p = person(i);
        assert!(names.contains(&Some(p.name.clone())), "{}", p.name);
        assert!(mobiles.contains(&Some(p.mobile.clone())));
        assert!(ids.contains(&Some(p.id_card)));
    }
    let photo = s.column("photo").unwrap();
    let marker = photo.iter().flatten().next().expect("a photo");
    assert!(
        marker.starts_with("[binary 1024 bytes: ffd8ffe0"),
        "binary marker: {marker}"
    );
    assert!(marker.len() < 80, "binary marker stays short: {marker}");
    // A NULL stays a NULL.
    assert!(s.column("email").unwrap().contains(&None));
}

pub(crate) fn photo() -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    v.resize(1024, 0x42);
    v
}

pub(crate) fn assert_big_sample(s: &TableSample, expected: &SampleStrategy) {
    assert_eq!(&s.strategy, expected);
    assert_eq!(s.rows, 1000, "the requested number of rows");
    let mut ids: Vec<i64> = s
        .column("id")
        .unwrap()
        .iter()
        .map(|v| v.as_deref().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "no row twice");
    // Spread over the table, not just its head.
    assert!(
        *ids.last().unwrap() > 100_000,
        "max id {}",
        ids.last().unwrap()
    );
    assert!(s.column("phone").unwrap().iter().all(|p| {
        p.as_deref()
            .is_some_and(|p| p.len() == 11 && p.starts_with("138"))
    }));
}

pub(crate) fn assert_secret_absent(e: &DbError, secret: &str) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(secret), "password leaked: {shown}");
}
