//! Properties of the law that must hold for every jurisdiction, over the real datasets
//! (proptest: 256 cases each by default; set PROPTEST_CASES for more).

use proptest::prelude::*;
use wassenaar::engine::bulk::Bulk;
use wassenaar::model::{Confidence, EndUse, EndUser, Outcome, Scenario, Transaction};

use super::world;

fn items() -> Vec<&'static str> {
    vec![
        "4A005",
        "4D004",
        "4E001.c",
        "4E001.a(4A005)",
        "4D001.a(4A005)",
        "5A001.j",
        "5B001.a(5A001.j)",
        "5D001.a(5A001.j)",
        "5D001.c(5A001.j)",
        "5E001.a(5A001.j)",
        "5A001.f",
        "5D001.e",
        "5A002",
        "5A004.a",
        "5A004.b",
        "5D002",
        "5E002",
        "4A003",
        "5A980",
        "5D902",
        "unlisted",
        "unlisted-cyber-surveillance",
    ]
}

fn scenario(item: &str, dest: u16, user: EndUser, usage: EndUse) -> Scenario {
    let w = world();
    Scenario::new(
        w.catalogue()
            .lookup(item)
            .unwrap_or_else(|| panic!("{item}")),
        dest,
        user,
        usage,
    )
}

/// `b` is at least as strict as `a`, where both are ordered outcomes.
fn not_looser(a: Outcome, b: Outcome) -> bool {
    match (a.strictness(), b.strictness()) {
        (Some(x), Some(y)) => y >= x,
        _ => true, // indeterminate / not-applicable are outside the order
    }
}

fn arb_case() -> impl Strategy<Value = (usize, usize, u16, usize)> {
    let w = world();
    (
        0..w.jurisdictions.len(),
        0..items().len(),
        0..w.places().len() as u16,
        0..EndUser::VALUES.len(),
    )
}

proptest! {
    /// Knowing of an unauthorised-access, internal-repression, military or WMD end use never
    /// loosens an outcome (e.g. 15 CFR 740.22(c)(2), 744.2-744.4; Reg. 2021/821 Art. 4, Annex II).
    #[test]
    fn a_worse_end_use_never_loosens((j, i, dest, u) in arb_case(), tighter in prop::sample::select(vec![
        EndUse::UnauthorisedAccess, EndUse::InternalRepression, EndUse::Military, EndUse::Wmd,
    ])) {
        let w = world();
        let item = items()[i];
        let user = EndUser::VALUES[u];
        let a = w.evaluate(j, &scenario(item, dest, user, EndUse::Unspecified));
        let b = w.evaluate(j, &scenario(item, dest, user, tighter));
        prop_assert!(not_looser(a.outcome, b.outcome),
            "{} {item} -> {} ({user}): unspecified {} but {tighter} {}", w.jurisdictions[j].code, w.places().code(dest), a.outcome, b.outcome);
    }

    /// A government or military end user is never treated more leniently than a commercial one
    /// (e.g. 15 CFR 740.22(c)(1)(ii)).
    #[test]
    fn a_government_end_user_never_loosens((j, i, dest, _u) in arb_case(), who in prop::sample::select(vec![
        EndUser::Government, EndUser::Military,
    ]), usage in prop::sample::select(EndUse::VALUES.to_vec())) {
        let w = world();
        let item = items()[i];
        let a = w.evaluate(j, &scenario(item, dest, EndUser::Commercial, usage));
        let b = w.evaluate(j, &scenario(item, dest, who, usage));
        prop_assert!(not_looser(a.outcome, b.outcome),
            "{} {item} -> {} ({usage}): commercial {} but {who} {}", w.jurisdictions[j].code, w.places().code(dest), a.outcome, b.outcome);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).map(|n: u32| n / 16).unwrap_or(16).max(4)
    ))]

    /// Moving a destination into Country Group E:1 never loosens a US outcome
    /// (15 CFR 740.22(c)(1)(i), 740.2).
    #[test]
    fn moving_a_destination_into_e1_never_loosens(dest in 0..world().places().len() as u16, i in 0..items().len(), u in 0..EndUser::VALUES.len()) {
        let w = world();
        let code = w.places().code(dest).to_string();
        let mut data = wassenaar::data::Datasets::load(wassenaar::data::Source::Folder(super::datasets_dir())).expect("datasets");
        let us = data.regimes.iter_mut().find(|r| r.id == "us").expect("us");
        let e1 = us.groups.iter_mut().find(|g| g.name == "E1").expect("E1");
        e1.members.insert(dest);
        let moved = wassenaar::World::compile(std::sync::Arc::new(data), w.as_of).expect("compile");
        let j = w.jurisdiction("US").expect("US");
        let s = scenario(items()[i], dest, EndUser::VALUES[u], EndUse::Unspecified);
        let before = w.evaluate(j, &s).outcome;
        let after = moved.evaluate(j, &s).outcome;
        prop_assert!(not_looser(before, after), "{} {}: {before} -> {after}", items()[i], code);
    }
}

/// An item on no list, with no catch-all triggered, is `not-listed` everywhere, except where
/// an embargo or sanction reaches all items (DESIGN.md Clarifications). Exhaustive.
#[test]
fn unlisted_items_are_not_listed_except_under_embargoes() {
    let w = world();
    for (j, jur) in w.jurisdictions.iter().enumerate() {
        let regime = &w.regimes[jur.regime];
        let override_facts: Vec<u32> = regime
            .overlays
            .iter()
            .map(|o| o.fact)
            .chain(regime.catch_alls.iter().map(|c| c.fact))
            .collect();
        for dest in w.places().ids() {
            let d = w.evaluate(
                j,
                &scenario("unlisted", dest, EndUser::Commercial, EndUse::Unspecified),
            );
            if matches!(d.outcome, Outcome::NotListed | Outcome::NotApplicable) {
                continue;
            }
            let by_override = d.reasons.iter().any(|s| override_facts.contains(&s.fact));
            assert!(
                by_override,
                "{} unlisted -> {}: {} without an embargo, sanction or catch-all",
                jur.code,
                w.places().code(dest),
                d.outcome
            );
        }
    }
}

/// `indeterminate` never appears where every rule used is `primary` (a named paragraph that
/// differs is a missing fact of the scenario, reported as such). Exhaustive over the cyber
/// matrix tables.
#[test]
fn indeterminate_always_rests_on_a_non_primary_rule() {
    let w = world();
    let items: Vec<u32> = items()
        .iter()
        .filter_map(|c| w.catalogue().lookup(c))
        .collect();
    let bulk = Bulk::new(w, &items, Transaction::Export);
    for d in &bulk.dets {
        if d.outcome != Outcome::Indeterminate {
            continue;
        }
        let paragraphs = d
            .reasons
            .iter()
            .any(|s| w.fact(s.fact).text.starts_with("paragraphs of"));
        assert!(
            paragraphs || d.confidence < Confidence::Primary,
            "indeterminate with primary confidence: {:?}",
            d.reasons
                .iter()
                .map(|s| w.fact(s.fact).text.clone())
                .collect::<Vec<_>>()
        );
    }
}

proptest! {
    /// Arbitrary bytes as a scenario file: an error or scenarios, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for format in [wassenaar::input::Format::Csv, wassenaar::input::Format::Toml, wassenaar::input::Format::Json] {
            if let Ok(records) = wassenaar::input::parse_records("fuzz", &bytes, format) {
                let _ = wassenaar::input::resolve(world(), "fuzz", &records, true);
            }
        }
    }

    /// CSV-shaped input with hostile cells (formulas, control characters, long values): an
    /// error naming the line, or scenarios; never a panic.
    #[test]
    fn hostile_cells_never_panic(cells in prop::collection::vec(
        prop::sample::select(vec![
            "=cmd|' /C calc'!A0".to_string(), "+1".into(), "@SUM(A1)".into(), "\u{0}".into(), "DE".into(),
            "4A005".into(), "\"".into(), "a,b".into(), "x".repeat(70_000), "Korea, South".into(), "\u{202e}".into(),
        ]), 3..=3)) {
        let text = format!("id,item,destination\n{},{},{}\n", cells[0], cells[1], cells[2]);
        if let Ok(records) = wassenaar::input::parse_records("fuzz.csv", text.as_bytes(), wassenaar::input::Format::Csv) {
            let _ = wassenaar::input::resolve(world(), "fuzz.csv", &records, true);
        }
    }
}

/// Very long fields are refused with a clear error, not held in memory.
#[test]
fn over_long_fields_are_refused() {
    let text = format!("id,item,destination\na,4A005,{}\n", "D".repeat(100_000));
    let e =
        wassenaar::input::parse_records("long.csv", text.as_bytes(), wassenaar::input::Format::Csv)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
    assert!(
        e.contains("long.csv:2: column `destination`: field longer than"),
        "{e}"
    );
}

/// Overlays reach only what they name (15 CFR 746.3(a)(1) names controlled items): an item on
/// no list, or one a Note takes out of its entry (4E001.c for vulnerability disclosure), is
/// never raised by an overlay or catch-all whose scope names only listed items. Exhaustive over
/// jurisdictions and destinations.
#[test]
fn overlays_scoped_to_listed_items_never_reach_unlisted_items() {
    use wassenaar::engine::CScope;
    // Scopes that name list rows (by reason, tag or the folder's rows), not items by code.
    let listed_only = |s: &CScope| match s {
        CScope::Listed => true,
        CScope::Patterns(m) => m.items.is_empty(),
        _ => false,
    };
    let w = world();
    let cases = [
        ("unlisted", "unspecified"),
        ("4E001.c", "vulnerability-disclosure"),
    ];
    let mut checked = 0;
    for (j, jur) in w.jurisdictions.iter().enumerate() {
        let r = &w.regimes[jur.regime];
        let listed_only: Vec<u32> = r
            .overlays
            .iter()
            .filter(|o| listed_only(&o.scope))
            .map(|o| o.fact)
            .chain(
                r.catch_alls
                    .iter()
                    .filter(|c| listed_only(&c.scope))
                    .map(|c| c.fact),
            )
            .collect();
        for (item, end_use) in cases {
            for d in w.places().ids() {
                let mut s = wassenaar::model::Scenario::new(
                    w.catalogue().lookup(item).expect("item"),
                    d,
                    EndUser::Commercial,
                    EndUse::parse(end_use).expect("end use"),
                );
                s.id = "p".into();
                let det = w.evaluate(j, &s);
                let excluded = item == "unlisted"
                    || det.reasons.iter().any(|st| {
                        w.fact(st.fact)
                            .text
                            .contains("does not control items for this end use")
                    });
                if !excluded {
                    continue;
                }
                checked += 1;
                for st in &det.reasons {
                    assert!(
                        !listed_only.contains(&st.fact),
                        "{} {item} to {}: {} reached an item it does not name",
                        jur.code,
                        w.places().code(d),
                        w.fact(st.fact).text
                    );
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}
