//! Restricted-party screening (US Consolidated Screening List as `datasets/us/parties.csv`):
//! hits change the US determination as the list's law says; near matches are indeterminate;
//! generic words never match.

use super::{eval, expect};

fn named(item: &str, dest: &str, name: &str) -> wassenaar::engine::Rendered {
    eval(
        "US",
        &[
            ("item", item),
            ("destination", dest),
            ("end_user_name", name),
        ],
    )
}

/// 15 CFR 744.11, 744.16(b) and 88 FR 46071 (Intellexa S.A., Greece, "all items subject to the
/// EAR", presumption of denial); Intellexa is also on OFAC's SDN list (CYBER2): dealings by US
/// persons are barred (31 CFR 501.201), so the outcome is prohibited and both lists are named.
#[test]
fn intrusion_system_to_intellexa_is_barred_and_both_lists_are_named() {
    for name in [
        "Intellexa S.A.",
        "INTELLEXA SA",
        "Intellexa Anonymi Etaireia",
    ] {
        let r = named("4A005", "GR", name);
        expect(&r, "prohibited", "");
        assert!(
            r.screening
                .contains("Entity List: Intellexa S.A. (88 FR 46071)"),
            "{}",
            r.screening
        );
        assert!(
            r.screening.contains("OFAC SDN List: INTELLEXA S.A."),
            "{}",
            r.screening
        );
        assert!(
            r.citations.contains("744.16(b)") && r.citations.contains("31 CFR 501.201"),
            "{}",
            r.citations
        );
        assert!(
            !r.reasons.contains("ACE applies"),
            "ACE is barred: {}",
            r.reasons
        );
    }
    // Intellexa Limited (Ireland) shares the name under another legal form: a near match.
    let r = named("4A005", "GR", "Intellexa S.A.");
    assert!(
        r.screening
            .contains("possible Entity List: Intellexa Limited"),
        "{}",
        r.screening
    );
}

/// Names that share only generic words with listed names are not flagged.
#[test]
fn acme_security_is_not_a_hit() {
    let r = named("4A005", "GR", "Acme Security S.A.");
    expect(&r, "authorised", "ACE");
    assert_eq!(r.screening, "");
}

/// 15 CFR 744.11 and 86 FR 60760: NSO Group's entry covers all items subject to the EAR, so an
/// item on no list (EAR99) needs a licence too, with a presumption of denial.
#[test]
fn ear99_to_nso_group_needs_a_licence() {
    let r = named("EAR99", "IL", "NSO Group");
    expect(&r, "licence-required", "");
    assert_eq!(r.licence_policy, "denial");
    assert!(
        r.screening.contains("Entity List: NSO Group (86 FR 60760)"),
        "{}",
        r.screening
    );
}

/// 15 CFR 736.2(b)(4): a party under a denial order may not take part in any transaction
/// subject to the EAR.
#[test]
fn denied_person_is_prohibited() {
    let w = super::world();
    let (_, p) = w
        .parties()
        .list
        .iter()
        .find(|(_, p)| {
            p.list == "denied-persons"
                && !p.countries.is_empty()
                && w.places().code(p.countries[0]) != "US"
        })
        .expect("a denied person");
    let dest = w.places().code(p.countries[0]).to_string();
    let r = named("EAR99", &dest, &p.name);
    expect(&r, "prohibited", "");
    assert!(r.citations.contains("736.2(b)(4)"), "{}", r.citations);
}

/// The US lists bind a German exporter only where the EAR follows the item: an unlisted German
/// product to NSO Group with no US content is not listed under German law, the EAR's reach is
/// not established, and the answer says the datasets hold no German party list.
#[test]
fn german_exporter_of_an_unlisted_item_to_nso_group() {
    let r = eval(
        "DE",
        &[
            ("item", "unlisted"),
            ("destination", "IL"),
            ("end_user_name", "NSO Group"),
        ],
    );
    expect(&r, "not-listed", "");
    assert_ne!(r.ear_applies, "true");
    assert!(
        r.conditions.contains("SCREENING") && r.conditions.contains("no party list of DE"),
        "{}",
        r.conditions
    );
}

/// A name screened before its listing: Intellexa was added on 2023-07-18 (88 FR 46071), so in
/// 2023-01 the Entity List does not apply (the SDN listing of 2024 is undated in the list and
/// is therefore not established before the list's version date).
#[test]
fn listing_dates_decide_past_screening() {
    let r = super::eval_at(
        "2023-01-10",
        "US",
        &[
            ("item", "4A005"),
            ("destination", "GR"),
            ("end_user_name", "Intellexa S.A."),
        ],
    );
    assert!(
        !r.screening.contains("Entity List: Intellexa S.A."),
        "{}",
        r.screening
    );
    assert_ne!(
        r.outcome, "authorised",
        "the undated SDN listing may apply: {}",
        r.reasons
    );
}

/// A name that no list holds changes nothing in a US determination: the US party-list rules
/// (15 CFR 744.11, 744.15, 744.21, 764 Supp. 2; 31 CFR 501.201) reach a name only through
/// its listing. Under German law, for which the datasets hold no party list, the same name
/// adds the condition to screen it against Germany's own lists. `evaluate` relies on this to
/// evaluate once per order line and not once per customer.
#[test]
fn a_name_on_no_list_changes_only_what_the_law_reads_from_it() {
    let w = super::world();
    let us = w.jurisdiction("US").expect("US");
    let de = w.jurisdiction("DE").expect("DE");
    assert!(w.name_read_only_through_hits(us));
    assert!(!w.name_read_only_through_hits(de));
    let name = "Kalvora Duneridge Trading Ltd.";
    for item in ["4A005", "4D004", "4E001.c", "5A002.a", "5A004.b", "EAR99"] {
        for dest in ["GR", "IL", "CN", "RU", "IR", "DE"] {
            for (user, usage) in [
                ("commercial", "unspecified"),
                ("government", "unauthorised-access"),
                ("state-owned", "unspecified"),
            ] {
                let pairs = [
                    ("item", item),
                    ("destination", dest),
                    ("end_user", user),
                    ("end_use", usage),
                ];
                let mut with_name = pairs.to_vec();
                with_name.push(("end_user_name", name));
                assert!(
                    super::scenario(&with_name).hits.is_empty(),
                    "{name} is on no list"
                );
                assert_eq!(
                    eval("US", &with_name),
                    eval("US", &pairs),
                    "US, {item} to {dest}, {user}, {usage}"
                );
                let (a, b) = (eval("DE", &with_name), eval("DE", &pairs));
                assert!(
                    a.conditions.contains("no party list of DE")
                        && !b.conditions.contains("no party list of DE"),
                    "DE, {item} to {dest}: {} / {}",
                    a.conditions,
                    b.conditions
                );
                assert_eq!((&a.outcome, &a.reasons), (&b.outcome, &b.reasons));
            }
        }
    }
}

/// `evaluate` over a file: each line's row is that of the line evaluated alone, whatever the
/// other lines' names (repeated, unlisted, listed, blank), under a law with party lists (US)
/// and one without (DE).
#[test]
fn every_named_line_is_evaluated_as_if_alone() {
    let lines = [
        ("a", "4A005", "GR", "Kalvora Duneridge Trading Ltd."),
        ("b", "4A005", "GR", "Intellexa S.A."),
        ("c", "4A005", "GR", ""),
        ("d", "4A005", "GR", "Quintara Brightwater Networks LLC"),
        ("e", "4A005", "GR", "intellexa anonymi etaireia"),
        ("f", "4A005", "GR", "Kalvora Duneridge Trading Ltd."),
        ("g", "4A005", "GR", "   "),
        ("h", "EAR99", "IL", "NSO Group"),
        ("i", "EAR99", "IL", "Kalvora Duneridge Trading Ltd."),
        ("j", "4A005", "GR", "Intellexa S.A."),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("book.csv");
    let mut text = String::from("id,item,destination,end_user_name\n");
    for (id, item, dest, name) in lines {
        text.push_str(&format!("{id},{item},{dest},\"{name}\"\n"));
    }
    std::fs::write(&input, text).expect("write");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(["evaluate", "--jurisdictions", "DE,US", "--threads", "2"])
        .arg(&input)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let header = rd.headers().expect("header").clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2 * lines.len());
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    for row in &rows {
        let (id, code) = (&row[0], &row[col("jurisdiction")]);
        let &(_, item, dest, name) = lines.iter().find(|l| l.0 == id).expect("id");
        let mut pairs = vec![("item", item), ("destination", dest)];
        if !name.trim().is_empty() {
            pairs.push(("end_user_name", name));
        }
        let alone = eval(code, &pairs);
        for (c, want) in [
            ("outcome", &alone.outcome),
            ("authorisation", &alone.authorisation),
            ("licence_policy", &alone.licence_policy),
            ("conditions", &alone.conditions),
            ("reasons", &alone.reasons),
            ("citations", &alone.citations),
            ("screening", &alone.screening),
        ] {
            assert_eq!(&row[col(c)], want.as_str(), "line {id}, {code}, column {c}");
        }
    }
}

/// The party-list step comes last (15 CFR 744.11 and 744.16(b) for the Entity List, 764 Supp.
/// 2 for denied persons, 31 CFR 501.201 for the SDN list): applied to the rule chain of the
/// line without the name, it gives the determination of the named line, for listed, aliased,
/// near and unlisted names, US and foreign exporters.
#[test]
fn party_lists_apply_to_the_chain_of_the_line_without_its_name() {
    let w = super::world();
    for exporter in ["", "DE"] {
        for item in ["4A005", "5A004.b", "EAR99", "unlisted"] {
            for dest in ["GR", "IL", "CN", "DE"] {
                for name in [
                    "Intellexa S.A.",
                    "Intellexa Anonymi Etaireia",
                    "NSO Group",
                    "Intellexa Limited Holdings",
                    "Kalvora Duneridge Trading Ltd.",
                ] {
                    let mut pairs = vec![("item", item), ("destination", dest)];
                    if !exporter.is_empty() {
                        pairs.push(("exporter", exporter));
                    }
                    let base = super::scenario(&pairs);
                    pairs.push(("end_user_name", name));
                    let named = super::scenario(&pairs);
                    for code in ["US", "DE"] {
                        let j = w.jurisdiction(code).expect("modelled");
                        assert_eq!(
                            w.evaluate_with(j, &w.chain(j, &base), &named),
                            w.evaluate(j, &named),
                            "{code}: {item} to {dest} for {name:?}, exporter {exporter:?}"
                        );
                    }
                }
            }
        }
    }
}
