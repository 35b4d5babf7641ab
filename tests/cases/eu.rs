//! European Union (Regulation (EU) 2021/821): outcomes the law establishes, for the member
//! states that share the regime.

use super::{eval, expect};

fn from(exporter: &str, item: &str, dest: &str) -> wassenaar::engine::Rendered {
    eval(exporter, &[("item", item), ("destination", dest)])
}

/// Art. 3(1) + Annex II Section A (EU001): the United States is an EU001 destination.
#[test]
fn germany_to_united_states_under_eu001() {
    let r = from("DE", "4A005", "US");
    expect(&r, "authorised", "EU001");
    assert!(r.conditions.contains("30 days"), "{}", r.conditions);
}

/// Art. 11(1): intra-EU transfers of items not in Annex IV need no authorisation.
#[test]
fn germany_to_france_is_a_free_intra_eu_transfer() {
    for item in ["4A005", "4D004", "5A001.j", "4E001.c"] {
        expect(&from("DE", item, "FR"), "no-licence-required", "");
    }
}

/// Art. 11(1) + Annex IV Part I: cryptanalytic 5A004.a needs authorisation even within the EU.
#[test]
fn cryptanalytic_items_need_authorisation_within_the_eu() {
    let r = from("DE", "5A004.a", "FR");
    expect(&r, "licence-required", "");
    assert!(r.citations.contains("Art. 11(1)"), "{}", r.citations);
}

/// Art. 3(1): China is outside every GEA that covers the cyber items.
#[test]
fn germany_to_china_needs_a_licence() {
    for item in ["4A005", "4D004", "5A001.j"] {
        expect(&from("DE", item, "CN"), "licence-required", "");
    }
}

/// Annex II Section E (EU005) excludes 5A001.f and .j; Section G (EU007) excludes software
/// and technology for 4A005, 4D004, 4E001.c, 5A001.f and .j.
#[test]
fn ip_surveillance_is_not_covered_by_eu005_or_eu007() {
    let w = super::world();
    let eu = &w.regimes[w.jurisdictions[w.jurisdiction("DE").unwrap()].regime];
    let eu005 = eu
        .authorisations
        .iter()
        .find(|a| a.id == "EU005")
        .expect("EU005 modelled");
    let dest = w
        .places()
        .ids()
        .find(|&p| eu005.destinations.sure.contains(p))
        .map(|p| w.places().code(p).to_string())
        .expect("EU005 has destinations");
    expect(&from("DE", "5A001.j", &dest), "licence-required", "");
    // EU005 does authorise the telecoms paragraphs it names.
    expect(&from("DE", "5A001.c", &dest), "authorised", "EU005");
    let eu007 = |item: &str| {
        eval(
            "DE",
            &[
                ("item", item),
                ("destination", &dest),
                ("transaction", "intra-group"),
            ],
        )
    };
    for item in ["5D001.a(5A001.j)", "5E001.a(5A001.j)", "4E001.c", "4D004"] {
        assert_ne!(eu007(item).authorisation, "EU007", "{item}");
        assert_eq!(eu007(item).outcome, "licence-required", "{item}");
    }
}

/// Art. 5(1): a non-listed cyber-surveillance item needs authorisation when the exporter has
/// been informed of an internal-repression end use; the US has no counterpart.
#[test]
fn article_5_catch_all_for_unlisted_cyber_surveillance() {
    let pairs = [
        ("item", "unlisted-cyber-surveillance"),
        ("destination", "EG"),
        ("end_user", "government"),
        ("end_use", "internal-repression"),
    ];
    expect(&eval("FR", &pairs), "licence-required", "");
    expect(&eval("US", &pairs), "not-listed", "");
    // Without the end use, no catch-all is triggered.
    expect(
        &eval(
            "FR",
            &[
                ("item", "unlisted-cyber-surveillance"),
                ("destination", "EG"),
            ],
        ),
        "not-listed",
        "",
    );
}

/// Council Reg. (EU) 833/2014 Art. 2, 765/2006 Art. 1e, 2017/1509 Art. 3: dual-use exports to
/// Russia, Belarus and North Korea are prohibited.
#[test]
fn sanctions_prohibit_dual_use_exports_to_russia_belarus_north_korea() {
    for dest in ["RU", "BY", "KP"] {
        expect(&from("IT", "4A005", dest), "prohibited", "");
    }
}

/// Annex II Section A Part 3: EU001 is not usable when informed of a WMD end use.
#[test]
fn eu001_not_for_wmd_end_use() {
    let r = eval(
        "DE",
        &[("item", "4A005"), ("destination", "US"), ("end_use", "wmd")],
    );
    expect(&r, "licence-required", "");
}

/// All 26 EU member states that participate in the WA share the regime (Cyprus is not a WA
/// participant).
#[test]
fn the_26_member_states_are_jurisdictions() {
    let w = super::world();
    for code in [
        "AT", "BE", "BG", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ] {
        assert!(w.jurisdiction(code).is_some(), "{code}");
    }
    assert!(w.jurisdiction("CY").is_none());
}

/// Reg. (EU) 2021/821 Art. 2(2)(d): an export of technology is a transmission out of the
/// customs territory, so a release inside the Union is no export: no-licence-required, cited.
#[test]
fn no_deemed_export_rule_in_the_eu() {
    let r = eval(
        "DE",
        &[
            ("item", "4E001.c"),
            ("destination", "CN"),
            ("deemed", "true"),
        ],
    );
    expect(&r, "no-licence-required", "");
    assert_eq!(r.confidence, "primary");
    assert!(
        r.citations.contains("2021/821 Art. 2(2)(d)"),
        "{}",
        r.citations
    );
}

/// Annex II Section A Part 3(1)(a)(ii) with Art. 4(1)(b): EU001 excludes a military end use only
/// in a destination under an arms embargo, which the United States is not.
#[test]
fn eu001_military_end_use_bars_it_only_under_an_arms_embargo() {
    let r = eval(
        "DE",
        &[
            ("item", "4A005"),
            ("destination", "US"),
            ("end_use", "military"),
        ],
    );
    expect(&r, "authorised", "EU001");
}

/// Art. 3(1): China is outside EU001, so a military end use there has no GEA; whether the 1989
/// declaration is an arms embargo under Art. 2(19) is not settled, so EU003 (Annex II Section C)
/// for a repair-return with a military end use is only a possibility.
#[test]
fn military_end_use_to_china_gets_no_general_authorisation() {
    let r = eval(
        "DE",
        &[
            ("item", "4A005"),
            ("destination", "CN"),
            ("end_use", "military"),
        ],
    );
    expect(&r, "licence-required", "");
    let repair = |end_use: &str| {
        eval(
            "DE",
            &[
                ("item", "5A001.j"),
                ("destination", "CN"),
                ("transaction", "repair-return"),
                ("end_use", end_use),
            ],
        )
    };
    expect(&repair("unspecified"), "authorised", "EU003");
    expect(&repair("military"), "indeterminate", "EU003");
}

/// Art. 4(1)(b) and Art. 2(19): the military catch-all for unlisted items reaches destinations
/// under an arms embargo (South Sudan: Council Decision (CFSP) 2015/740), not the United States;
/// China stays open.
#[test]
fn military_catch_all_follows_the_arms_embargo_table() {
    let unlisted = |dest: &str| {
        eval(
            "FR",
            &[
                ("item", "unlisted"),
                ("destination", dest),
                ("end_use", "military"),
            ],
        )
    };
    let ss = unlisted("SS");
    expect(&ss, "licence-required", "");
    assert!(ss.citations.contains("Art. 4(1)(b)"), "{}", ss.citations);
    expect(&unlisted("US"), "not-listed", "");
    expect(&unlisted("CN"), "indeterminate", "");
}

/// Council Reg. (EU) No 359/2011 Annex IV (monitoring equipment, Iran) leaves out Annex I items:
/// it keeps an unlisted cyber-surveillance item open up to a prior authorisation, while 4A005 is
/// decided by the dual-use rules and the Council Reg. (EU) No 267/2012 ban.
#[test]
fn iran_monitoring_annex_reaches_unlisted_items_only() {
    let r = eval(
        "FR",
        &[
            ("item", "unlisted-cyber-surveillance"),
            ("destination", "IR"),
        ],
    );
    expect(&r, "indeterminate", "");
    assert!(r.citations.contains("359/2011"), "{}", r.citations);
    let listed = from("FR", "4A005", "IR");
    expect(&listed, "prohibited", "");
    assert!(
        !listed.citations.contains("359/2011"),
        "{}",
        listed.citations
    );
}

/// Gap SANCTIONS-UNLISTED-GOODS (claim `no-clearance`): the Iran, North Korea, Syria, Myanmar,
/// Venezuela, Russia and Belarus sanctions (Council Reg. (EU) No 267/2012, 2017/1509, No 36/2012,
/// No 401/2013, 2017/2063, No 833/2014, (EC) No 765/2006) reach goods beyond the dual-use list,
/// so an unlisted item there is never cleared, for any end user and end use. Checked for every
/// member state of the regime.
#[test]
fn sanctions_unlisted_goods_gap_claim_holds_exhaustively() {
    use wassenaar::model::{EndUse, EndUser, Word};
    let w = super::world();
    let eu = w.regimes.iter().find(|r| r.id == "eu").expect("eu regime");
    let gap = eu
        .meta
        .gaps
        .iter()
        .find(|g| g.id == "SANCTIONS-UNLISTED-GOODS")
        .expect("gap recorded");
    assert_eq!(gap.claim.as_deref(), Some("no-clearance"));
    let dests: Vec<String> = gap
        .claim_destinations
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(dests.len(), 7, "{dests:?}");
    let mut items = gap.claim_items.clone();
    items.push("unlisted-cyber-surveillance".to_string());
    let clearances = ["not-listed", "no-licence-required", "authorised"];
    let members = [
        "AT", "BE", "BG", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];
    for j in members {
        for item in &items {
            for dest in &dests {
                for end_user in EndUser::WORDS {
                    for end_use in EndUse::WORDS {
                        let r = eval(
                            j,
                            &[
                                ("item", item.as_str()),
                                ("destination", dest.as_str()),
                                ("end_user", end_user),
                                ("end_use", end_use),
                            ],
                        );
                        assert!(
                            !clearances.contains(&r.outcome.as_str()),
                            "{j} {item} -> {dest} ({end_user}, {end_use}): {} | {}",
                            r.outcome,
                            r.reasons
                        );
                    }
                }
            }
        }
    }
}
