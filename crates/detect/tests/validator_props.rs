//! Property tests for every validator: generated valid values are accepted, and a changed
//! character is rejected wherever the rule guarantees it (checksums, alphabets, ranges).
//!
//! Luhn, the resident ID (MOD 11-2), the USCC (mod 31) and the organisation code (GB 11714)
//! have their own property tests beside their code; this file covers the rest.

use proptest::prelude::*;
use shujian_detect::rules::Rules;
use shujian_detect::validate::bank_card::IssuerTable;
use shujian_detect::validate::mobile::SegmentTable;
use shujian_detect::validate::{
    CivilDate, device, email, geo, landline, luhn, mobile, network, postal_code, secret,
    travel_document, vehicle_plate,
};
use shujian_detect::{CardScheme, Carrier, DocumentKind, SecretKind};

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|v| v.iter().map(|d| char::from(b'0' + d)).collect())
}

fn with_luhn(body: &str) -> String {
    let c = luhn::check_digit(body.as_bytes()).expect("digits");
    format!("{body}{}", char::from(c))
}

/// Changes the digit at `pos` by `delta` (1–9).
fn bump_digit(s: &str, pos: usize, delta: u8) -> String {
    let mut b = s.as_bytes().to_vec();
    b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
    String::from_utf8(b).expect("ascii")
}

fn segments() -> SegmentTable {
    SegmentTable::new(&Rules::builtin().segments).expect("built-in segments")
}

fn issuers() -> IssuerTable {
    IssuerTable::new(&Rules::builtin().issuers).expect("built-in issuers")
}

proptest! {
    // spec §10.4: every number in an allocated segment gets a carrier.
    #[test]
    fn mobiles_in_allocated_segments_have_a_carrier(
        seg in proptest::sample::select(vec!["138", "139", "150", "186", "189", "199", "192", "1703", "17400"]),
        rest in digits(8),
    ) {
        let n = format!("{seg}{rest}");
        let n = &n[..11];
        prop_assert!(mobile::has_shape(n.as_bytes()));
        prop_assert!(segments().carrier(n.as_bytes()).is_some());
    }

    #[test]
    fn numbers_outside_the_mobile_shape_are_rejected(first in 0u8..10, second in 0u8..3, rest in digits(9)) {
        // `1[3-9]…`: a second digit 0–2 or a first digit other than 1 is never a mobile.
        let n = format!("{first}{second}{rest}");
        prop_assert!(!mobile::has_shape(n.as_bytes()));
        prop_assert!(segments().carrier(n.as_bytes()).is_none());
    }

    // spec §10.5
    #[test]
    fn landlines_with_plausible_area_codes_split(
        area in prop_oneof![Just("010".to_string()), (0u8..10).prop_map(|d| format!("02{d}")), (3u8..10, digits(2)).prop_map(|(a, r)| format!("0{a}{r}"))],
        first in 2u8..10,
        rest in digits(7),
    ) {
        let local = format!("{first}{rest}");
        prop_assert!(landline::is_area_code(area.as_bytes()));
        prop_assert!(landline::is_local_number(area.as_bytes(), local.as_bytes()));
        let compact = format!("{area}{local}");
        let (a, l) = landline::split_compact(compact.as_bytes()).expect("splits");
        prop_assert_eq!(a.len() + l.len(), compact.len());
    }

    #[test]
    fn local_numbers_starting_with_0_or_1_are_rejected(first in 0u8..2, rest in digits(7)) {
        let local = format!("{first}{rest}");
        prop_assert!(!landline::is_local_number(b"0755", local.as_bytes()));
    }

    // spec §10.6: Luhn plus issuer; a single changed digit breaks Luhn.
    #[test]
    fn generated_cards_validate_and_any_digit_change_breaks_luhn(
        (prefix, len) in prop_oneof![Just(("62", 19usize)), Just(("62", 16)), Just(("4", 16)), Just(("53", 16)), Just(("3530", 16))],
        body in digits(18),
        pos in 0usize..19,
        delta in 1u8..10,
    ) {
        let card = with_luhn(&format!("{prefix}{}", &body[..len - 1 - prefix.len()]));
        prop_assert_eq!(card.len(), len);
        prop_assert!(luhn::is_valid(card.as_bytes()));
        prop_assert!(issuers().scheme(card.as_bytes()).is_some());
        let changed = bump_digit(&card, pos % len, delta);
        prop_assert!(!luhn::is_valid(changed.as_bytes()));
    }

    #[test]
    fn union_pay_cards_are_union_pay(body in digits(16)) {
        let card = with_luhn(&format!("62{body}"));
        prop_assert_eq!(issuers().scheme(card.as_bytes()), Some(CardScheme::UnionPay));
    }

    // spec §10.9
    #[test]
    fn imeis_validate_and_a_changed_digit_does_not(body in digits(14), pos in 0usize..15, delta in 1u8..10) {
        let imei = with_luhn(&body);
        prop_assert!(device::is_imei(imei.as_bytes()));
        prop_assert!(!device::is_imei(bump_digit(&imei, pos, delta).as_bytes()));
    }

    #[test]
    fn iccids_of_known_issuers_validate(
        issuer in proptest::sample::select(vec!["898600", "898601", "898603", "898611"]),
        body in digits(13),
        pos in 0usize..20,
        delta in 1u8..10,
    ) {
        let iccid = with_luhn(&format!("{issuer}{body}"));
        let check = device::iccid(iccid.as_bytes()).expect("shape");
        prop_assert!(check.luhn);
        prop_assert!(check.issuer.is_some());
        let changed = bump_digit(&iccid, pos, delta);
        prop_assert!(device::iccid(changed.as_bytes()).is_none_or(|c| !c.luhn));
    }

    #[test]
    fn imsis_with_confirmed_mnc_validate(mnc in proptest::sample::select(vec!["00", "01", "02", "03", "05", "06", "07", "20"]), msin in digits(10)) {
        let imsi = format!("460{mnc}{msin}");
        let (_, confirmed) = device::imsi(imsi.as_bytes()).expect("known MNC");
        prop_assert!(confirmed);
        // Another country's MCC is never a mainland IMSI.
        let hk = format!("454{mnc}{msin}");
        prop_assert!(device::imsi(hk.as_bytes()).is_none());
    }

    #[test]
    fn emails_with_sane_parts_validate(
        local in "[a-z0-9]{1,10}([._+-][a-z0-9]{1,8}){0,2}",
        labels in proptest::collection::vec("[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", 1..4),
        tld in "[a-z]{2,6}",
    ) {
        let addr = format!("{local}@{}.{tld}", labels.join("."));
        prop_assert!(email::is_valid(addr.as_bytes()), "{}", addr);
        let doubled = format!("{local}..x@{}.{tld}", labels.join("."));
        prop_assert!(!email::is_valid(doubled.as_bytes()));
        let no_tld = format!("{local}@{}", labels[0]);
        prop_assert!(!email::is_valid(no_tld.as_bytes()));
    }

    #[test]
    fn ipv4_round_trips_and_out_of_range_octets_fail(o in any::<[u8; 4]>(), big in 256u32..1000, pos in 0usize..4) {
        let text = format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3]);
        prop_assert_eq!(network::parse_ipv4(text.as_bytes()).map(|ip| ip.octets()), Some(o));
        let mut parts: Vec<String> = o.iter().map(u8::to_string).collect();
        parts[pos] = big.to_string();
        prop_assert!(network::parse_ipv4(parts.join(".").as_bytes()).is_none());
    }

    #[test]
    fn ipv6_round_trips(segments in any::<[u16; 8]>()) {
        let ip = std::net::Ipv6Addr::from(segments);
        prop_assert_eq!(network::parse_ipv6(ip.to_string().as_bytes()), Some(ip));
    }

    #[test]
    fn macs_parse_in_every_spelling(b in any::<[u8; 6]>()) {
        prop_assume!(b != [0; 6] && b != [0xff; 6]);
        let colon = b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":");
        let dash = b.iter().map(|x| format!("{x:02X}")).collect::<Vec<_>>().join("-");
        let cisco = format!("{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}", b[0], b[1], b[2], b[3], b[4], b[5]);
        for s in [&colon, &dash, &cisco] {
            prop_assert_eq!(network::parse_mac(s.as_bytes()), Some(b), "{}", s);
        }
        // A non-hex character anywhere in a group is rejected.
        let mut bad = colon.into_bytes();
        bad[0] = b'g';
        prop_assert!(network::parse_mac(&bad).is_none());
    }

    #[test]
    fn coordinates_in_range_with_enough_places_pass(lat in -89_999i32..90_000, lon in -179_999i32..180_000, places in 3usize..7) {
        let f = |v: i32, p: usize| format!("{:.*}", p, f64::from(v) / 1000.0);
        let (a, b) = (f(lat, places), f(lon, places));
        prop_assume!(!(lat == 0 && lon == 0));
        let (da, db) = (geo::parse_decimal(a.as_bytes()).unwrap(), geo::parse_decimal(b.as_bytes()).unwrap());
        prop_assert_eq!(geo::check_pair(da, db), Some(places as u8));
        // Two decimal places are too coarse to be a location.
        let coarse = geo::parse_decimal(f(lat, 2).as_bytes()).unwrap();
        prop_assert_eq!(geo::check_pair(coarse, db), None);
    }

    // spec §10.8
    #[test]
    fn plates_validate_and_i_or_o_break_them(
        letter in "[A-HJ-NP-Z]",
        serial in "[0-9]{3}[A-HJ-NP-Z0-9]{2}",
        pos in 0usize..5,
        bad in proptest::sample::select(vec![b'I', b'O']),
    ) {
        let ascii = format!("{letter}{serial}");
        prop_assert_eq!(vehicle_plate::check(ascii.as_bytes(), false), Some(false));
        let mut broken = ascii.into_bytes();
        broken[1 + pos] = bad;
        prop_assert_eq!(vehicle_plate::check(&broken, false), None);
    }

    #[test]
    fn new_energy_plates_validate(letter in "[A-HJ-NP-Z]", kind in "[DF]", second in "[A-HJ-NP-Z0-9]", tail in digits(4)) {
        let small = format!("{letter}{kind}{second}{tail}");
        prop_assert_eq!(vehicle_plate::check(small.as_bytes(), false), Some(true));
    }

    // spec §10.7
    #[test]
    fn travel_documents_validate(n in digits(8), n7 in digits(7), l in "[A-HJ-NP-Z]") {
        let (e, g, c, h, short) = (format!("E{n}"), format!("G{n}"), format!("C{l}{n7}"), format!("H{n}"), format!("E{n7}"));
        prop_assert_eq!(travel_document::passport(e.as_bytes()), Some((DocumentKind::ElectronicPassport, true)));
        prop_assert!(travel_document::passport(g.as_bytes()).is_some());
        prop_assert_eq!(travel_document::hk_macau_permit(c.as_bytes()), Some(DocumentKind::ExitEntryPermitHkMacau));
        prop_assert_eq!(travel_document::hk_macau_permit(h.as_bytes()), Some(DocumentKind::HomeReturnPermit));
        prop_assert!(travel_document::taiwan_permit(n.as_bytes()));
        // One character short is never a document.
        prop_assert!(travel_document::passport(short.as_bytes()).is_none());
    }

    // spec §10.10
    #[test]
    fn postal_codes_follow_the_province_prefixes(
        prefix in proptest::sample::select(vec!["01", "07", "10", "13", "15", "20", "36", "47", "51", "67", "75", "80", "86"]),
        rest in digits(4),
    ) {
        let (good, bad) = (format!("{prefix}{rest}"), format!("9{}{rest}", &prefix[1..]));
        prop_assert!(postal_code::is_valid(good.as_bytes()));
        prop_assert!(!postal_code::is_valid(bad.as_bytes()));
    }

    #[test]
    fn dates_round_trip(days in -40_000i64..40_000) {
        let d = CivilDate::from_unix_days(days);
        let compact = d.to_string().replace('-', "");
        prop_assert_eq!(CivilDate::parse_compact(compact.as_bytes()), Some(d));
        prop_assert!(CivilDate::from_unix_days(days + 1) > d);
    }

    #[test]
    fn access_key_ids_are_recognised(body in "[A-Z0-9]{16}", ali in "[A-Za-z0-9]{12,20}") {
        let (aws, aliyun) = (format!("AKIA{body}"), format!("LTAI{ali}"));
        prop_assert_eq!(secret::access_key_id(aws.as_bytes()), Some(SecretKind::AwsAccessKeyId));
        prop_assert_eq!(secret::access_key_id(aliyun.as_bytes()), Some(SecretKind::AliyunAccessKeyId));
        // A lowercase letter breaks the AWS alphabet.
        let lower = format!("AKIA{}a", &body[..15]);
        prop_assert_eq!(secret::access_key_id(lower.as_bytes()), None);
    }
}

#[test]
fn carriers_follow_the_segment_data() {
    let t = segments();
    assert_eq!(t.carrier(b"13812345678"), Some(Carrier::ChinaMobile));
    assert_eq!(t.carrier(b"18612345678"), Some(Carrier::ChinaUnicom));
    assert_eq!(t.carrier(b"13492345678"), Some(Carrier::ChinaTelecom));
    assert_eq!(t.carrier(b"19212345678"), Some(Carrier::ChinaBroadnet));
}
