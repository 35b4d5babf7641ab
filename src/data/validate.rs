//! `datasets validate|list|show`: integrity checks beyond what loading already enforces
//! (loading rejects unknown codes, duplicates, uncited rows and malformed rules outright).

use std::fmt::Write;

use crate::data::catalogue::ItemKind;
use crate::engine::World;

pub struct Report {
    pub text: String,
    pub errors: usize,
    pub warnings: usize,
}

/// Runs the checks and reports positive results too.
pub fn validate(world: &World) -> Report {
    let mut text = String::new();
    let mut errors = 0;
    let mut warnings = 0;
    let _ = writeln!(
        text,
        "ok: {} places, {} catalogue items ({}), {} participants, {} jurisdictions in {} regimes",
        world.places.len(),
        world.catalogue.len(),
        world.wa_list.version,
        world.participants.len(),
        world.jurisdictions.len(),
        world.regimes.len()
    );
    // Every jurisdiction must be a Wassenaar participant.
    for j in &world.jurisdictions {
        if !world.participants.iter().any(|p| p.code == j.code) {
            errors += 1;
            let _ = writeln!(
                text,
                "error[W001]: jurisdiction `{}` is not a Wassenaar participant",
                j.code
            );
        }
    }
    let missing: Vec<&str> = world
        .participants
        .iter()
        .filter(|p| world.jurisdiction(&p.code).is_none())
        .map(|p| p.code.as_str())
        .collect();
    if missing.is_empty() {
        let _ = writeln!(
            text,
            "ok: all {} participants are modelled",
            world.participants.len()
        );
    } else {
        warnings += 1;
        let _ = writeln!(
            text,
            "warning[W002]: {} participant(s) not modelled yet: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    for r in &world.regimes {
        // The cyber items should resolve in every regime, or be recorded as not listed.
        let cyber: Vec<u32> = world
            .catalogue
            .ids()
            .filter(|&i| {
                world.catalogue.get(i).has_tag("cyber")
                    && world.catalogue.get(i).kind == ItemKind::Wassenaar
            })
            .collect();
        let unresolved: Vec<&str> = cyber
            .iter()
            .filter(|&&i| {
                let p = &r.plans[i as usize];
                p.units.is_empty() && p.explicitly_unlisted.is_none()
            })
            .map(|&i| world.catalogue.get(i).code.as_str())
            .collect();
        if unresolved.is_empty() {
            let _ = writeln!(
                text,
                "ok: `{}`: every cyber item resolves to a list row ({} rows)",
                r.id,
                r.entries.len()
            );
        } else {
            warnings += 1;
            let _ = writeln!(
                text,
                "warning[W003]: `{}`: cyber items with no list row (treated as not listed): {}",
                r.id,
                unresolved.join(", ")
            );
        }
        // Authorisations that cover no list row are probably mistyped.
        for a in &r.authorisations {
            let covers = (0..r.entries.len()).any(|e| {
                let item = r.entries[e].item;
                a.items.matches(&world.catalogue, Some((e, item)), item)
            });
            if !covers {
                warnings += 1;
                let _ = writeln!(
                    text,
                    "warning[W004]: `{}`: authorisation `{}` covers no list row",
                    r.id, a.id
                );
            }
        }
        for q in &r.requirements {
            let covers = (0..r.entries.len()).any(|e| {
                let item = r.entries[e].item;
                q.items.matches(&world.catalogue, Some((e, item)), item)
            });
            if !covers {
                warnings += 1;
                let _ = writeln!(
                    text,
                    "warning[W005]: `{}`: requirement `{}` covers no list row",
                    r.id, q.id
                );
            }
        }
        let _ = writeln!(
            text,
            "ok: `{}`: {} requirements, {} authorisations, {} catch-alls, {} overlays, {} gaps recorded",
            r.id,
            r.requirements.len(),
            r.authorisations.len(),
            r.catch_alls.len(),
            r.overlays.len(),
            r.meta.gap.len()
        );
    }
    let _ = writeln!(text, "{errors} error(s), {warnings} warning(s)");
    Report {
        text,
        errors,
        warnings,
    }
}

/// `datasets list`: one line per jurisdiction, then the gaps of every regime.
pub fn list(world: &World) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<5} {:<15} {:<14} {:<10} {:<7} {:<10} {:<5} list version",
        "code", "name", "regime", "date", "wa_year", "confidence", "gaps"
    );
    for j in &world.jurisdictions {
        let r = &world.regimes[j.regime];
        let wa = r
            .meta
            .wa_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(
            out,
            "{:<5} {:<15} {:<14} {:<10} {:<7} {:<10} {:<5} {}",
            j.code,
            truncate(&j.meta.name, 15),
            truncate(&r.id, 14),
            r.meta.list_date,
            wa,
            j.meta.confidence.as_str(),
            r.meta.gap.len(),
            r.meta.list_version,
        );
    }
    let _ = writeln!(
        out,
        "\nWassenaar list: {} ({}); {} of {} participants modelled",
        world.wa_list.version,
        world.wa_list.date,
        world.jurisdictions.len(),
        world.participants.len()
    );
    for r in &world.regimes {
        if r.meta.gap.is_empty() {
            continue;
        }
        let members: Vec<&str> = world
            .jurisdictions
            .iter()
            .filter(|j| world.regimes[j.regime].id == r.id)
            .map(|j| j.code.as_str())
            .collect();
        let _ = writeln!(out, "\ngaps of `{}` ({}):", r.id, members.join(", "));
        for g in &r.meta.gap {
            let _ = writeln!(out, "  {:<28} {}", g.id, g.text);
        }
    }
    out
}

/// `datasets show CODE`.
pub fn show(world: &World, j: usize) -> String {
    let jur = &world.jurisdictions[j];
    let r = &world.regimes[jur.regime];
    let m = &r.meta;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} (regime `{}`)", jur.code, jur.meta.name, r.id);
    let _ = writeln!(out, "legal basis:  {}", m.legal_basis);
    let _ = writeln!(
        out,
        "list:         {} — {} ({})",
        m.list_name, m.list_version, m.list_date
    );
    let _ = writeln!(
        out,
        "WA year:      {}",
        m.wa_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    let _ = writeln!(out, "confidence:   {}", jur.meta.confidence);
    let _ = writeln!(out, "deemed rule:  {}", m.deemed_exports);
    let _ = writeln!(out, "source:       {}", m.source);
    if !jur.meta.notes.is_empty() {
        let _ = writeln!(out, "notes:        {}", jur.meta.notes);
    }
    let _ = writeln!(out, "\nlist rows: {}", r.entries.len());
    let _ = writeln!(
        out,
        "requirements: {}",
        r.requirements
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "authorisations: {}",
        r.authorisations
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "catch-alls: {}, overlays: {}",
        r.catch_alls.len(),
        r.overlays.len()
    );
    if !m.gap.is_empty() {
        let _ = writeln!(out, "\ngaps:");
        for g in &m.gap {
            let _ = writeln!(out, "  {}: {}", g.id, g.text);
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
