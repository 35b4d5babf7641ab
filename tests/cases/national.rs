//! The other Wassenaar participants: outcomes their law establishes, and honest unknowns.

use super::{eval, expect, world};

fn from(exporter: &str, item: &str, dest: &str) -> wassenaar::engine::Rendered {
    eval(exporter, &[("item", item), ("destination", dest)])
}

/// Export Control List s. 2(a) / Export and Import Permits Act: Group 1 items need no permit
/// to the United States; GEP 41's schedule excludes 1-4.A.5, so Germany needs a permit.
#[test]
fn canada_no_permit_to_us_permit_to_germany() {
    expect(&from("CA", "1-4.A.5", "US"), "no-licence-required", "");
    let r = from("CA", "1-4.A.5", "DE");
    expect(&r, "licence-required", "");
    assert_eq!(r.local_entry, "1-4.A.5");
}

/// Ordinance on the export and brokering of goods for internet and mobile surveillance (VIM):
/// individual licence to every destination, no general licence.
#[test]
fn switzerland_licenses_surveillance_items_everywhere() {
    for dest in ["US", "DE", "GB", "CN", "JP"] {
        expect(&from("CH", "4A005", dest), "licence-required", "");
        expect(&from("CH", "5A001.j", dest), "licence-required", "");
    }
    let r = eval(
        "CH",
        &[
            ("item", "4A005"),
            ("destination", "CN"),
            ("transaction", "brokering"),
        ],
    );
    expect(&r, "licence-required", "");
}

/// Norway's Regulation on export control, List II: licence to every destination including
/// EU member states; the EU general authorisations do not apply.
#[test]
fn norway_licenses_exports_to_sweden() {
    expect(&from("NO", "4A005", "SE"), "licence-required", "");
}

/// UK Export Control Order 2008 + assimilated Reg. 428/2009: licence to every destination;
/// the open general licence for dual-use exports to EU member states covers 4A005.
#[test]
fn united_kingdom_licence_to_china_open_licence_to_france() {
    expect(&from("GB", "4A005", "CN"), "licence-required", "");
    expect(&from("GB", "4A005", "FR"), "authorised", "OGEL-EU");
    // Annex IV-type cryptanalytic items are outside that licence.
    expect(&from("GB", "5A004.a", "FR"), "licence-required", "");
    // No Art. 5 equivalent in the UK.
    let p = [
        ("item", "unlisted-cyber-surveillance"),
        ("destination", "EG"),
        ("end_use", "internal-repression"),
    ];
    expect(&eval("GB", &p), "not-listed", "");
}

/// FEFTA Art. 48 + Export Trade Control Order Appended Table 1: licence to all destinations.
/// Group A differs only where a source establishes it, never by an invented clearance.
#[test]
fn japan_group_a_and_non_group_a_alike_without_a_source() {
    let a = from("JP", "4A005", "US");
    let non_a = from("JP", "4A005", "VN");
    assert_eq!(
        a.outcome, non_a.outcome,
        "{} / {}",
        a.reasons, non_a.reasons
    );
    assert!(!wassenaar::model::Outcome::parse(&a.outcome).is_some_and(|o| o.is_clearance()));
}

/// India SCOMET Category 8: `8A405` is WA 4.A.5.
#[test]
fn india_scomet_codes_resolve_to_the_wa_entry() {
    let r = from("IN", "8A405", "US");
    assert_eq!(r.item, "4A005");
    assert_eq!(r.local_entry, "8A405");
    assert_eq!(from("US", "8A405", "DE").item, "4A005");
    assert_eq!(from("US", "8A501.j", "DE").item, "5A001.j");
}

/// Where it is not established that the cyber entries are implemented, the answer is never a
/// clearance (DOMAIN.md §5).
#[test]
fn unknown_implementations_never_clear() {
    for j in ["MX", "AR", "ZA", "TR", "UA", "RU"] {
        for item in ["4A005", "4D004", "4E001.c", "5A001.j"] {
            for dest in ["US", "DE", "CN"] {
                let r = from(j, item, dest);
                let o = wassenaar::model::Outcome::parse(&r.outcome).expect("outcome word");
                assert!(
                    !o.is_clearance(),
                    "{j} {item} -> {dest}: {} ({})",
                    r.outcome,
                    r.reasons
                );
            }
        }
    }
}

/// All 42 participants are jurisdictions and return a determination.
#[test]
fn every_participant_is_evaluable() {
    let w = world();
    assert_eq!(w.data.participants.len(), 42);
    for p in &w.data.participants {
        assert!(w.jurisdiction(&p.code).is_some(), "{} not modelled", p.code);
        let r = from(&p.code, "4A005", if p.code == "CN" { "US" } else { "CN" });
        assert!(!r.outcome.is_empty());
    }
}

/// Germany's national list (Ausfuhrliste Teil I Abschnitt B): 5A902-family items need a
/// licence outside the EU and the EU001 countries; the EU rules do not reach them.
#[test]
fn germany_national_entries() {
    expect(&from("DE", "5D902", "US"), "no-licence-required", "");
    expect(&from("DE", "5D902", "CN"), "licence-required", "");
    expect(&from("FR", "5D902", "CN"), "not-listed", "");
}

/// Russia's list numbers groups 1-5: `4.1.5` is 4.A.5.
#[test]
fn russian_numbering_resolves() {
    assert_eq!(from("US", "4.1.5", "DE").item, "4A005");
}
