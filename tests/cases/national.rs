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

fn is_clearance(r: &wassenaar::engine::Rendered) -> bool {
    wassenaar::model::Outcome::parse(&r.outcome).is_some_and(|o| o.is_clearance())
}

/// Unlisted goods to Russia are reached by each state's Russia measures of 2022, whose goods
/// lists go beyond the control lists: CH Ordinance of 4 March 2022 (SR 946.231.176.72)
/// Arts. 5, 11a, 14c; NO FOR-2014-08-15-1076 Annex IX (as amended 18 Mar 2022); JP FEFTA
/// art. 48(3) and the METI notices of 2022; UK Russia (Sanctions) (EU Exit) Regulations 2019
/// (SI 2019/855) Part 5; AU Autonomous Sanctions Regulations 2011 reg. 4 with the Export
/// Sanctioned Goods—Russia Designation 2022; NZ Russia Sanctions Regulations 2022 reg. 13 and
/// Schedule 2. Where the lists were not read the answer is indeterminate, never `not-listed`.
#[test]
fn unlisted_goods_to_russia_are_not_cleared_by_the_2022_measures() {
    for (j, rule) in [
        ("CH", "RU-EMBARGO-UNLISTED"),
        ("NO", "RU-ANNEX-IX-UNLISTED"),
        ("JP", "JP-RU-BY-UNLISTED"),
        ("GB", "RU-SANCTIONS-UNLISTED"),
        ("AU", "AU-RU-SANCTIONS"),
        ("NZ", "NZ-RU-BY-SANCTIONS"),
    ] {
        let r = from(j, "unlisted", "RU");
        expect(&r, "indeterminate", "");
        assert!(r.reasons.contains(rule), "{j}: {}", r.reasons);
    }
    // Before the 2022 measures the same rule is not in force (CH: 4 Mar 2022).
    let r = super::eval_at(
        "2021-06-01",
        "CH",
        &[("item", "unlisted"), ("destination", "RU")],
    );
    assert!(!r.reasons.contains("RU-EMBARGO-UNLISTED"), "{}", r.reasons);
}

/// Norway's sanctions regulation (FOR-2014-08-15-1076, amended FOR-2022-03-18-411) bans List II
/// dual-use exports to Russia as Reg. (EU) No 833/2014 Art. 2 does; from 15 Aug 2014 the ban
/// reached military end uses only. Iran measures reach unlisted surveillance items.
#[test]
fn norway_bans_list_ii_items_to_russia_from_march_2022() {
    for item in ["4A005", "5A001.j", "5A002"] {
        let r = from("NO", item, "RU");
        expect(&r, "prohibited", "");
        assert!(r.reasons.contains("RU-LIST-II-BAN"), "{}", r.reasons);
    }
    let p = [
        ("item", "unlisted-cyber-surveillance"),
        ("destination", "IR"),
    ];
    let r = eval("NO", &p);
    expect(&r, "indeterminate", "");
    assert!(r.reasons.contains("IR-SANCTIONS"), "{}", r.reasons);
}

/// UK interception-and-monitoring schedules: the Iran (Sanctions) Regulations 2023
/// (SI 2023/1314), the Burma (Sanctions) Regulations 2021 and the Venezuela (Sanctions) (EU Exit)
/// Regulations 2019 (SI 2019/135) reach remote-infection (intrusion) items as well as IP
/// surveillance: 4A005 and 5A001.j are decided by the same overlay, prohibited.
#[test]
fn united_kingdom_im_schedules_decide_intrusion_and_surveillance_items_alike() {
    for (dest, rule, instrument) in [
        ("IR", "IM-IRAN", "SI 2023/1314"),
        ("MM", "IM-BURMA", "Burma (Sanctions) Regulations 2021"),
        ("VE", "IM-VENEZUELA", "SI 2019/135"),
    ] {
        for item in ["4A005", "4D004", "4E001.c", "5A001.j"] {
            let r = from("GB", item, dest);
            expect(&r, "prohibited", "");
            assert!(r.reasons.contains(rule), "{item} -> {dest}: {}", r.reasons);
            assert!(r.citations.contains(instrument), "{}", r.citations);
        }
    }
    // Syria: the 2025 relaxation was not read, so the same items stay open, never cleared.
    for item in ["4A005", "5A001.j"] {
        let r = from("GB", item, "SY");
        expect(&r, "indeterminate", "");
        assert!(r.reasons.contains("IM-SYRIA"), "{}", r.reasons);
    }
}

/// Assimilated Reg. 428/2009 Annexes IIa-IIe (GEA 001 etc.) and the OGEL for EU member states
/// para 3(1)(b): a military end use bars them only where the destination is under an arms
/// embargo. Germany and the US are not; China is (1989 embargo).
#[test]
fn united_kingdom_general_licences_barred_for_military_use_only_under_arms_embargo() {
    let mil = |dest: &str, item: &str| {
        eval(
            "GB",
            &[
                ("item", item),
                ("destination", dest),
                ("end_use", "military"),
            ],
        )
    };
    let de = mil("DE", "4A005");
    expect(&de, "authorised", "OGEL-EU");
    let us = mil("US", "4A005");
    assert_eq!(us.authorisation, "GEA001", "{}", us.reasons);
    assert!(!us.reasons.contains("arms-embargo"), "{}", us.reasons);
    assert!(!us.reasons.contains("arms embargo"), "{}", us.reasons);
    // Without a military end use the outcome is the same.
    assert_eq!(us.outcome, from("GB", "4A005", "US").outcome);
    // GEA 005 to China: barred for a military end use (UK applies the 1989 embargo).
    let cn = mil("CN", "5A001.c");
    expect(&cn, "licence-required", "");
    assert!(
        cn.reasons.contains("CN is under a UK arms embargo"),
        "{}",
        cn.reasons
    );
    expect(&from("GB", "5A001.c", "CN"), "authorised", "GEA005");
}

/// Australia (Autonomous Sanctions Regulations 2011; Charter of the United Nations sanctions
/// regulations) and New Zealand (Russia Sanctions Regulations 2022; United Nations Act 1946
/// regulations): the gap statements that no clearance results for the sanctioned destinations
/// are true for unlisted items too (they were not: unlisted items to RU and IR cleared).
#[test]
fn australia_and_new_zealand_sanctions_gaps_hold() {
    for j in ["AU", "NZ"] {
        for dest in ["RU", "IR", "KP"] {
            for item in [
                "unlisted",
                "unlisted-cyber-surveillance",
                "4A005",
                "5A001.j",
            ] {
                let r = from(j, item, dest);
                assert!(!is_clearance(&r), "{j} {item} -> {dest}: {}", r.outcome);
            }
        }
        let gaps = &super::world()
            .data
            .regimes
            .iter()
            .find(|r| r.id == j.to_lowercase())
            .expect("folder")
            .meta
            .gaps;
        assert!(
            gaps.iter()
                .any(|g| g.claim.as_deref() == Some("no-clearance")
                    && g.claim_items.iter().any(|i| i == "unlisted")),
            "{j} must state its sanctions gap as a checked claim"
        );
    }
}

/// Licences granted on application are licence-required with a condition naming the licence:
/// METI bulk licences (FEFTA art. 48(1), bulk-licence rules), Swiss ordinary general export
/// licence (GKV SR 946.202.1 Art. 12), Korean comprehensive licences (Public Notice on Trade of
/// Strategic Items), Indian GAEIS (HBP 2023 Para 10.15(II), PN 53/2023). Open licences used by
/// registration alone (the UK OGEL for EU member states) authorise, with the registration as a
/// condition.
#[test]
fn licences_granted_on_application_are_licence_required_with_a_condition() {
    for (j, item, dest, code) in [
        ("JP", "4A005", "US", "JP-BULK-HELD"),
        ("JP", "5A001.j", "VN", "JP-BULK-HELD"),
        ("CH", "5A002", "US", "OGL-HELD"),
        ("KR", "4A005", "US", "KR-COMPREHENSIVE-HELD"),
        ("IN", "5A002", "US", "GAEIS-HELD"),
    ] {
        let r = from(j, item, dest);
        expect(&r, "licence-required", "");
        assert!(r.conditions.contains(code), "{j} {item}: {}", r.conditions);
    }
    // A catch-all that bars authorisations takes the condition back.
    let r = eval(
        "JP",
        &[("item", "4A005"), ("destination", "US"), ("end_use", "wmd")],
    );
    assert!(!r.conditions.contains("JP-BULK-HELD"), "{}", r.conditions);
    let r = from("GB", "4A005", "FR");
    expect(&r, "authorised", "OGEL-EU");
    assert!(r.conditions.contains("register"), "{}", r.conditions);
}

/// Japan's catch-all review (Cabinet Order decided 4 Apr 2025, in force 9 Oct 2025): Group A
/// destinations are reached when METI notifies a diversion risk. Before it, unlisted goods for
/// a WMD end use to the US were outside the catch-all.
#[test]
fn japan_group_a_inform_control_from_october_2025() {
    let p = [
        ("item", "unlisted"),
        ("destination", "US"),
        ("end_use", "wmd"),
    ];
    let r = eval("JP", &p);
    expect(&r, "indeterminate", "");
    assert!(r.reasons.contains("JP-GROUP-A-INFORM"), "{}", r.reasons);
    let before = super::eval_at("2025-06-01", "JP", &p);
    expect(&before, "not-listed", "");
    // Outside Group A the WMD catch-all applies on knowledge.
    let vn = eval(
        "JP",
        &[
            ("item", "unlisted"),
            ("destination", "VN"),
            ("end_use", "wmd"),
        ],
    );
    expect(&vn, "licence-required", "");
}

/// The UK in time: EU law until 2020-12-31 (European Union (Withdrawal) Act 2018, a `[[period]]`),
/// then the assimilated Reg. 428/2009 (Art. 3 licence, OGEL for EU member states of 31 Dec
/// 2020); the Russia dual-use ban from 1 Mar 2022 (SI 2019/855 as amended); the Iran I&M
/// prohibition of SI 2023/1314 from 14 Dec 2023.
#[test]
fn united_kingdom_history_eu_law_then_assimilated_law_then_sanctions() {
    let at = |day: &str, dest: &str, item: &str| {
        super::eval_at(day, "GB", &[("item", item), ("destination", dest)])
    };
    let eu_days = at("2019-06-01", "FR", "4A005");
    assert!(
        !eu_days.reasons.contains("Great Britain") && !eu_days.reasons.contains("OGEL-EU"),
        "{}",
        eu_days.reasons
    );
    expect(&at("2022-01-15", "FR", "4A005"), "authorised", "OGEL-EU");
    expect(&at("2022-01-15", "CN", "4A005"), "licence-required", "");
    expect(&at("2022-01-15", "RU", "4A005"), "licence-required", "");
    expect(&at("2022-06-01", "RU", "4A005"), "prohibited", "");
    let ir = at("2024-01-10", "IR", "5A001.j");
    expect(&ir, "prohibited", "");
    assert!(ir.reasons.contains("IM-IRAN"), "{}", ir.reasons);
}

/// Norway in time: FOR-2014-08-15-1076 banned List II exports to Russia for military end use
/// only; the amendments of 18 Mar 2022 ban every List II export.
#[test]
fn norway_russia_ban_dated_march_2022() {
    let p = [("item", "4A005"), ("destination", "RU")];
    expect(
        &super::eval_at("2022-01-10", "NO", &p),
        "licence-required",
        "",
    );
    let mil = [
        ("item", "4A005"),
        ("destination", "RU"),
        ("end_use", "military"),
    ];
    expect(&super::eval_at("2022-01-10", "NO", &mil), "prohibited", "");
    expect(&super::eval_at("2022-06-01", "NO", &p), "prohibited", "");
}
