//! Sanctions that reach goods beyond the control lists, and the gap statements the datasets
//! make about them: every `no-clearance` claim of a `[[gap]]` is checked exhaustively here, and
//! wherever a folder records sanctions on Russia, Belarus, Iran or North Korea an unlisted item
//! never comes out `not-listed` there.

use std::collections::BTreeSet;

use wassenaar::data::expr::{DestAtom, SetOp};
use wassenaar::model::{EndUse, EndUser, Outcome, Word};

use super::{eval, world};

/// The destination codes of a claim: place codes, `@all` and `-CODE` terms (the form the
/// claims use; another form fails the test so that the claim cannot go unchecked).
fn claim_destinations(expr: &str) -> Vec<String> {
    let w = world();
    let places = w.places();
    let mut set: BTreeSet<String> = BTreeSet::new();
    for term in expr.split_whitespace() {
        let (minus, atom) = match term.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, term.trim_start_matches('+')),
        };
        let codes: Vec<String> = if atom == "@all" {
            (0..places.len())
                .map(|i| {
                    places
                        .code(i as wassenaar::data::places::PlaceId)
                        .to_string()
                })
                .collect()
        } else {
            assert!(
                places.by_code(atom).is_some(),
                "claim destination term `{term}` must be a place code, @all or -CODE"
            );
            vec![atom.to_string()]
        };
        for c in codes {
            if minus {
                set.remove(&c);
            } else {
                set.insert(c);
            }
        }
    }
    set.into_iter().collect()
}

/// Every end user and end use word.
fn parties() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for u in EndUser::WORDS {
        for e in EndUse::WORDS {
            out.push((*u, *e));
        }
    }
    out
}

fn is_clearance(word: &str) -> bool {
    Outcome::parse(word).is_some_and(|o| o.is_clearance())
}

/// The jurisdictions a regime folder governs, with the gaps and rules that apply to them
/// (a national overlay folder adds to the folder it extends).
fn folders() -> Vec<(String, Vec<String>, Vec<usize>)> {
    let w = world();
    let regimes = &w.data.regimes;
    let mut out = Vec::new();
    for (i, rd) in regimes.iter().enumerate() {
        let mut chain = vec![i];
        if let Some(parent) = &rd.meta.extends
            && let Some(p) = regimes.iter().position(|r| &r.id == parent)
        {
            chain.push(p);
        }
        let members: Vec<String> = rd.members.iter().map(|m| m.code.clone()).collect();
        out.push((rd.id.clone(), members, chain));
    }
    out
}

/// Datasets SCHEMA.md 6.2: a `[[gap]]` with `claim = "no-clearance"` says that no item of
/// `claim_items` to a destination of `claim_destinations`, under any end user and end use, is a
/// clearance for the folder's jurisdictions. Checked exhaustively for every claim of every
/// folder (the UK, Swiss, Norwegian, Japanese, Australian, New Zealand, Korean, Indian, Canadian
/// and Ukrainian sanctions claims among them).
#[test]
fn every_no_clearance_gap_claim_holds_exhaustively() {
    let w = world();
    let mut checked = 0usize;
    for (id, members, chain) in folders() {
        let rd = &w.data.regimes[chain[0]];
        for gap in &rd.meta.gaps {
            let Some(claim) = &gap.claim else { continue };
            assert_eq!(claim, "no-clearance", "{id} gap {}", gap.id);
            let dests = claim_destinations(
                gap.claim_destinations
                    .as_deref()
                    .unwrap_or_else(|| panic!("{id} gap {} has no claim_destinations", gap.id)),
            );
            assert!(
                !gap.claim_items.is_empty(),
                "{id} gap {} has no items",
                gap.id
            );
            for j in &members {
                for item in &gap.claim_items {
                    for dest in &dests {
                        if dest == j {
                            continue;
                        }
                        for (user, usage) in parties() {
                            let r = eval(
                                j,
                                &[
                                    ("item", item),
                                    ("destination", dest),
                                    ("end_user", user),
                                    ("end_use", usage),
                                ],
                            );
                            assert!(
                                !is_clearance(&r.outcome),
                                "gap {} of {id} claims no clearance, but {j} {item} -> {dest} ({user}, {usage}) is {}: {}",
                                gap.id,
                                r.outcome,
                                r.reasons
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} claimed determinations");
}

/// The sanctioned destinations a folder's overlays and catch-alls name by place code.
fn sanctioned_destinations(chain: &[usize]) -> BTreeSet<String> {
    let w = world();
    let watched = ["RU", "BY", "IR", "KP"];
    let mut out = BTreeSet::new();
    let mut take = |e: &wassenaar::data::expr::DestExpr| {
        for (op, atom) in &e.terms {
            if let (SetOp::Union, DestAtom::Place(p)) = (op, atom) {
                let code = w.places().code(*p);
                if watched.contains(&code) {
                    out.insert(code.to_string());
                }
            }
        }
    };
    for &r in chain {
        let rules = &w.data.regimes[r].rules;
        for o in &rules.overlays {
            take(&o.destinations);
        }
        for c in &rules.catch_alls {
            if let Some(d) = &c.when.destinations {
                take(d);
            }
        }
    }
    out
}

/// Russia, Belarus, Iran and North Korea: every jurisdiction whose datasets record sanctions on
/// one of them (an overlay or catch-all naming it) reaches goods beyond the lists there, so an
/// unlisted item (`unlisted`, `unlisted-cyber-surveillance`) is never `not-listed`, under any end
/// user and end use. No dataset has a cited rule that frees unlisted goods to these destinations;
/// one that did would have to be named here. Instruments: UK SI 2019/855, SI 2019/600,
/// SI 2023/1314, SI 2019/411; CH SR 946.231.176.72; NO FOR-2014-08-15-1076; JP FEFTA art. 48(3);
/// AU Autonomous Sanctions Regulations 2011; NZ Russia Sanctions Regulations 2022; KR Annex 2-2;
/// CA SEMA regulations; the EU and US measures of their folders.
#[test]
fn unlisted_items_to_sanctioned_destinations_are_never_not_listed() {
    let mut covered = BTreeSet::new();
    for (id, members, chain) in folders() {
        let dests = sanctioned_destinations(&chain);
        for j in &members {
            for dest in &dests {
                if dest == j {
                    continue;
                }
                for item in ["unlisted", "unlisted-cyber-surveillance"] {
                    for (user, usage) in parties() {
                        let r = eval(
                            j,
                            &[
                                ("item", item),
                                ("destination", dest),
                                ("end_user", user),
                                ("end_use", usage),
                            ],
                        );
                        assert_ne!(
                            r.outcome, "not-listed",
                            "{j} ({id}) records sanctions on {dest}, yet {item} ({user}, {usage}) is not-listed: {}",
                            r.reasons
                        );
                    }
                }
                covered.insert(format!("{j}->{dest}"));
            }
        }
    }
    // The six states of the spot-check all record Russia measures.
    for j in ["CH", "NO", "JP", "GB", "AU", "NZ"] {
        assert!(
            covered.contains(&format!("{j}->RU")),
            "{j} must record its Russia measures: {covered:?}"
        );
    }
}
