//! United States (EAR): outcomes the law establishes, each test naming its section.

use super::{eval, expect};

fn us(item: &str, dest: &str) -> wassenaar::engine::Rendered {
    eval("US", &[("item", item), ("destination", dest)])
}

fn us_to(item: &str, dest: &str, end_user: &str, end_use: &str) -> wassenaar::engine::Rendered {
    eval(
        "US",
        &[
            ("item", item),
            ("destination", dest),
            ("end_user", end_user),
            ("end_use", end_use),
        ],
    )
}

/// 15 CFR 738 Supp. 1 (NS1 X for Germany) + 740.22 (ACE): licence required, ACE authorises.
#[test]
fn intrusion_systems_to_germany_need_a_licence_that_ace_covers() {
    let r = us("4A005", "Germany");
    expect(&r, "authorised", "ACE");
    assert!(r.reasons.contains("NS1"), "{}", r.reasons);
    assert!(r.citations.contains("15 CFR 740.22"), "{}", r.citations);
}

/// 15 CFR 738 Supp. 1: NS1 has no X for Australia, Canada and the United Kingdom.
#[test]
fn intrusion_systems_to_uk_canada_australia_need_no_licence() {
    for dest in ["United Kingdom", "Canada", "Australia"] {
        expect(&us("4A005", dest), "no-licence-required", "");
    }
}

/// 15 CFR 774 Supp. 1 ECCN 5A001 (NS Column 2) + 738 Supp. 1: no NS2 X for Germany, Japan.
#[test]
fn ip_surveillance_to_germany_and_japan_is_ns2_no_licence() {
    expect(&us("5A001.j", "DE"), "no-licence-required", "");
    expect(&us("5A001.j", "JP"), "no-licence-required", "");
}

/// 15 CFR 740.22(c)(1)(iii): no ACE for non-government end users in D:1 (China) for 5A001.j;
/// the favourable-treatment carve-out covers only the Category 4 items.
#[test]
fn ip_surveillance_to_chinese_company_or_bank_gets_no_ace() {
    let r = us_to("5A001.j", "China", "commercial", "unspecified");
    expect(&r, "licence-required", "");
    assert!(
        r.citations.contains("740.22(c)")
            && r.citations.contains("non-government end users in D:1/D:5"),
        "{}",
        r.citations
    );
    expect(
        &us_to("5A001.j", "CN", "financial", "unspecified"),
        "licence-required",
        "",
    );
}

/// 15 CFR 740.22(c)(1)(iii)(A): Category 4 cyber items to a bank in China (favourable treatment).
#[test]
fn category_4_items_to_a_chinese_bank_under_ace() {
    for item in [
        "4A005",
        "4D004",
        "4E001.c",
        "4D001.a(4A005)",
        "4E001.a(4A005)",
    ] {
        expect(
            &us_to(item, "CN", "financial", "unspecified"),
            "authorised",
            "ACE",
        );
    }
    expect(
        &us_to("4A005", "CN", "us-subsidiary", "unspecified"),
        "authorised",
        "ACE",
    );
    expect(
        &us_to("4A005", "CN", "commercial", "unspecified"),
        "licence-required",
        "",
    );
}

/// 15 CFR 740.22(c)(1)(ii): government end users of D:1-D:5 countries (Israel: D:2, D:3, D:4)
/// get no ACE; governments of non-D countries (India) are not restricted.
#[test]
fn government_end_users_in_d_countries_get_no_ace() {
    let r = us_to("4A005", "Israel", "government", "unspecified");
    expect(&r, "licence-required", "");
    assert_eq!(
        r.confidence, "secondary",
        "definition revised in 2022: {}",
        r.reasons
    );
    expect(
        &us_to("4A005", "IN", "government", "unspecified"),
        "authorised",
        "ACE",
    );
    expect(
        &us_to("4A005", "IL", "commercial", "unspecified"),
        "authorised",
        "ACE",
    );
}

/// 15 CFR 740.22(c)(2): knowledge of unauthorised access bars ACE.
#[test]
fn end_use_bar_on_unauthorised_access() {
    let r = us_to("4A005", "Germany", "commercial", "unauthorised-access");
    expect(&r, "licence-required", "");
    assert!(
        r.citations.contains("740.22(c)") && r.citations.contains("end-use restriction"),
        "{}",
        r.citations
    );
}

/// Note 1 to ECCN 4E001: technology for vulnerability disclosure is not controlled.
#[test]
fn vulnerability_disclosure_technology_is_not_listed() {
    expect(
        &us_to("4E001.c", "China", "commercial", "vulnerability-disclosure"),
        "not-listed",
        "",
    );
    expect(
        &us_to("4E001.c", "China", "commercial", "incident-response"),
        "not-listed",
        "",
    );
    // The Note does not reach hardware.
    expect(
        &us_to("4A005", "China", "commercial", "incident-response"),
        "authorised",
        "ACE",
    );
}

/// 15 CFR 746.2, 746.4, 746.7, 746.9, 740.22(c)(1)(i): embargoes override; no ACE.
#[test]
fn embargoed_destinations_need_a_licence_generally_denied() {
    // Syria since 90 FR 42315 (2 Sep 2025): see history_eu::us_syria_relaxed_by_90_fr_42315.
    for dest in ["Iran", "Cuba", "Korea, North"] {
        let r = us("4A005", dest);
        expect(&r, "licence-required", "");
        assert_eq!(r.licence_policy, "denial", "{dest}");
    }
    // Embargoes reach items on no list too (DESIGN.md Clarifications).
    for dest in ["IR", "CU", "KP"] {
        expect(&us("unlisted", dest), "licence-required", "");
    }
    expect(&us("unlisted", "DE"), "not-listed", "");
}

/// 15 CFR 746.8(a)(1): every CCL item to Russia and Belarus, policy of denial; EAR99 not.
#[test]
fn russia_and_belarus_need_a_licence_for_every_ccl_item() {
    for dest in ["Russia", "Belarus"] {
        let r = us("4E001.c", dest);
        expect(&r, "licence-required", "");
        assert_eq!(r.licence_policy, "denial");
    }
    // EAR99 items are caught by HTS code (Supp. 4-6 to Part 746), which no scenario carries.
    let r = us("unlisted", "RU");
    assert_eq!(r.outcome, "indeterminate", "{}", r.reasons);
    // 746.8(a)(12)(i): the Russia/Belarus rule does not reach deemed exports; ACE does.
    let r = eval(
        "US",
        &[
            ("item", "4E001.c"),
            ("destination", "RU"),
            ("deemed", "true"),
        ],
    );
    expect(&r, "authorised", "ACE");
    // 746.8(b)(3)(vi)(A): US subsidiaries reviewed case by case.
    let r = us_to("4A005", "RU", "us-subsidiary", "unspecified");
    assert_eq!(
        (r.outcome.as_str(), r.licence_policy.as_str()),
        ("licence-required", "case-by-case")
    );
}

/// 15 CFR 746.3(c): ACE is not among the exceptions usable for Iraq.
#[test]
fn iraq_excludes_ace() {
    expect(
        &us_to("4A005", "IQ", "financial", "unspecified"),
        "licence-required",
        "",
    );
}

/// 15 CFR 740.22(c)(1)(ii)(A), (B): the carve-outs for D countries also in A:6 were narrowed in
/// 2022 to an unknown scope, so a CSIRT in Israel doing incident response is indeterminate.
#[test]
fn a6_carve_outs_are_indeterminate() {
    let r = us_to("4A005", "IL", "csirt", "incident-response");
    assert_eq!(r.outcome, "indeterminate", "{}", r.reasons);
    expect(
        &us_to("4A005", "IL", "csirt", "unspecified"),
        "licence-required",
        "",
    );
}

/// 15 CFR 746.6: Crimea and the so-called DNR/LNR regions are their own destinations.
#[test]
fn crimea_is_embargoed_while_the_rest_of_ukraine_is_not() {
    expect(&us("4A005", "UA-43"), "licence-required", "");
    expect(&us("unlisted", "UA-43"), "licence-required", "");
    expect(&us("4A005", "Ukraine"), "authorised", "ACE");
}

/// 15 CFR 740.4 (GBS) and ECCN 5A001 License Exceptions: 5A001.j qualifies where NS2 is the
/// only reason; 4A005 never (GBS N/A).
#[test]
fn gbs_covers_5a001j_where_ace_is_barred() {
    // A government end user in a B-group country that is also in D (e.g. Israel? not B),
    // so check a B country with an NS2 X first.
    let w = super::world();
    let us_regime = &w.regimes[w.jurisdictions[w.jurisdiction("US").unwrap()].regime];
    let b = &us_regime.groups["B"].sure;
    let ns2 = &us_regime.groups["chart:NS2"].sure;
    let d = ["D1", "D2", "D3", "D4", "D5"]
        .iter()
        .fold(wassenaar::model::PlaceSet::default(), |a, g| {
            a.union(&us_regime.groups[*g].sure)
        });
    let candidate = w
        .places()
        .ids()
        .find(|&p| b.contains(p) && ns2.contains(p) && d.contains(p))
        .map(|p| w.places().code(p).to_string());
    if let Some(dest) = candidate {
        let r = us_to("5A001.j", &dest, "government", "unspecified");
        expect(&r, "authorised", "GBS");
        expect(
            &us_to("4A005", &dest, "government", "unspecified"),
            "licence-required",
            "",
        );
    }
}

/// 15 CFR 742.13 and 738.3(a)(1): SL items need a licence to every destination, even Canada.
#[test]
fn surreptitious_listening_devices_need_a_licence_everywhere() {
    for dest in ["CA", "GB", "DE"] {
        expect(&us("5A980", dest), "licence-required", "");
    }
}

/// 15 CFR 742.15(a): EI items need a licence to every destination but Canada; ENC may apply,
/// depending on facts the scenario lacks, so the result is indeterminate, never a clearance.
#[test]
fn encryption_items_need_a_licence_except_to_canada() {
    expect(&us("5A002", "CA"), "no-licence-required", "");
    let r = us("5A002", "DE");
    assert_eq!(r.outcome, "indeterminate", "{}", r.reasons);
    expect(&us("5A002", "IR"), "licence-required", "");
}

/// 15 CFR 744.2-744.4: a WMD end use needs a licence for any item; never ACE.
#[test]
fn wmd_end_use_needs_a_licence_even_for_unlisted_items() {
    expect(
        &us_to("4A005", "JP", "commercial", "wmd"),
        "licence-required",
        "",
    );
    expect(
        &us_to("unlisted", "JP", "commercial", "wmd"),
        "licence-required",
        "",
    );
}

/// DESIGN.md Clarifications: a destination equal to the exporter is not an export.
#[test]
fn export_to_itself_is_not_applicable() {
    expect(&us("4A005", "United States"), "not-applicable", "");
}

/// 15 CFR 740.22(c)(1)(iii)(C): deemed exports to Chinese nationals inside the US may use ACE;
/// (c)(1)(i): not to E:1/E:2 nationals.
#[test]
fn deemed_exports_follow_ace() {
    let deemed = |dest| {
        eval(
            "US",
            &[
                ("item", "4E001.c"),
                ("destination", dest),
                ("deemed", "true"),
            ],
        )
    };
    expect(&deemed("CN"), "authorised", "ACE");
    expect(&deemed("IR"), "licence-required", "");
}

/// DESIGN.md Clarifications (codes for items): a parent whose paragraphs differ is
/// indeterminate, listing them; a bare entry means its ordinary paragraphs.
#[test]
fn parent_codes_with_differing_paragraphs_are_indeterminate() {
    let r = us("5A001", "DE");
    assert_eq!(r.outcome, "indeterminate");
    assert!(
        r.reasons.contains("5A001.a: licence-required"),
        "{}",
        r.reasons
    );
    assert!(
        r.reasons.contains("5A001.j: no-licence-required"),
        "{}",
        r.reasons
    );
    let r = us("4A005", "DE");
    assert!(r.conditions.contains("4A005.z.1"), "{}", r.conditions);
}

/// Every spelling of the same code gives the same answer.
#[test]
fn numbering_variants_resolve_to_the_same_entry() {
    let base = us("4A005", "DE");
    for spelling in ["4a005", "4.A.5", "1-4.A.5", "8A405"] {
        let r = us(spelling, "DE");
        assert_eq!(
            (r.item.as_str(), r.outcome.as_str()),
            ("4A005", base.outcome.as_str()),
            "{spelling}"
        );
    }
    assert_eq!(us("5D001.a (for 5A001.j)", "DE").item, "5D001.a(5A001.j)");
}

/// 15 CFR 734.4(c), (d): de minimis 25 % (10 % for E:1/E:2); US-origin software on its own is
/// always subject to the EAR.
#[test]
fn ear_follows_controlled_us_content_above_de_minimis() {
    let de = |pct: &str, dest: &str| {
        eval(
            "DE",
            &[
                ("item", "4A005"),
                ("destination", dest),
                ("us_content_pct", pct),
            ],
        )
        .ear_applies
    };
    assert_eq!(de("40", "CN"), "true");
    assert_eq!(de("20", "CN"), "false");
    assert_eq!(de("20", "IR"), "true");
    assert_eq!(de("5", "IR"), "false");
    // Content that needs no US licence to the destination is not controlled content.
    assert_eq!(de("40", "GB"), "false");
    let sw = eval(
        "DE",
        &[
            ("item", "4D004"),
            ("destination", "CN"),
            ("us_origin_software", "true"),
        ],
    );
    assert_eq!(sw.ear_applies, "true");
    assert_eq!(
        eval("DE", &[("item", "4A005"), ("destination", "CN")]).ear_applies,
        ""
    );
    assert_eq!(us("4A005", "CN").ear_applies, "true");
}

/// 87 FR 31948 (final rule, 2022-05-26): a utility, transport hub or retail firm at least 25 %
/// government owned is a government end user for ACE, so to Israel (D:2-D:4) ACE is barred and
/// the A:6 carve-out reaches only digital artifacts for investigations; to India (in no D
/// group) ACE authorises.
#[test]
fn state_owned_end_users_under_the_2022_ace_final_rule() {
    let r = us_to("4A005", "IL", "state-owned", "unspecified");
    expect(&r, "licence-required", "");
    assert!(r.citations.contains("87 FR 31948"), "{}", r.citations);
    assert_eq!(r.confidence, "secondary");
    expect(
        &us_to("4A005", "IN", "state-owned", "unspecified"),
        "authorised",
        "ACE",
    );
    // Under the interim rule (in force 2022-03-07 to 2022-05-25) a state-owned firm was not a
    // government end user: to Israel (not D:1/D:5) ACE applied.
    let r = super::eval_at(
        "2022-04-01",
        "US",
        &[
            ("item", "4A005"),
            ("destination", "IL"),
            ("end_user", "state-owned"),
        ],
    );
    expect(&r, "authorised", "ACE");
}

/// 15 CFR 740.17(f)(1), added by 87 FR 31948: License Exception ENC is barred for cryptanalytic
/// items (5A004.a) known to be for unauthorised access; the bar does not name the 5A004.b
/// forensic family, whose ENC eligibility stays a matter of classification (indeterminate).
#[test]
fn enc_end_use_bar_of_2022() {
    expect(
        &us_to("5A004.a", "DE", "commercial", "unauthorised-access"),
        "licence-required",
        "",
    );
    let r = us_to("5A004.b", "DE", "commercial", "unauthorised-access");
    assert_eq!(r.outcome, "indeterminate", "{}", r.reasons);
    assert!(
        r.conditions.contains("ENC-CLASSIFICATION"),
        "{}",
        r.conditions
    );
}

/// 15 CFR 746.3(a)(1) reaches items controlled for NS, MT, NP, CW, CB, RS, CC, EI, SI or SL; Note 1
/// to ECCN 4E001 takes vulnerability-disclosure technology out of 4E001.c, so no Iraq rule
/// reaches it.
#[test]
fn iraq_overlay_does_not_reach_technology_a_note_releases() {
    let r = us_to("4E001.c", "IQ", "commercial", "vulnerability-disclosure");
    expect(&r, "not-listed", "");
}

/// 86 FR 58205 (effective 2022-03-07): 4A005 entered the CCL; before it, it was not listed; once
/// in force, ACE authorises it to Germany (15 CFR 740.22, interim text).
#[test]
fn intrusion_systems_to_germany_before_and_after_the_2021_rule() {
    let before = super::eval_at(
        "2021-12-01",
        "US",
        &[("item", "4A005"), ("destination", "DE")],
    );
    expect(&before, "not-listed", "");
    assert!(
        before.citations.contains("86 FR 58205"),
        "{}",
        before.citations
    );
    let after = super::eval_at(
        "2022-04-01",
        "US",
        &[("item", "4A005"), ("destination", "DE")],
    );
    expect(&after, "authorised", "ACE");
    assert!(
        after.citations.contains("86 FR 58209"),
        "{}",
        after.citations
    );
    // Before the datasets' earliest modelled date the answer is indeterminate, naming it.
    let early = super::eval_at(
        "2012-06-01",
        "US",
        &[("item", "4A005"), ("destination", "DE")],
    );
    assert_eq!(early.outcome, "indeterminate");
    assert!(early.reasons.contains("2013-12-04"), "{}", early.reasons);
}

/// 89 FR 28594 (AUKUS, 2024-04-19) removed the NS1 mark for the United Kingdom: 4A005 needed a
/// licence (ACE) before and none after.
#[test]
fn aukus_removed_the_ns1_licence_for_the_uk() {
    expect(
        &super::eval_at(
            "2023-06-01",
            "US",
            &[("item", "4A005"), ("destination", "GB")],
        ),
        "authorised",
        "ACE",
    );
    expect(
        &super::eval_at(
            "2024-06-01",
            "US",
            &[("item", "4A005"), ("destination", "GB")],
        ),
        "no-licence-required",
        "",
    );
}
