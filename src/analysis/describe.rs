//! `datasets list|validate|show`: what is loaded, checks that need the compiled tables, and
//! one jurisdiction's entries and rules.

use std::fmt::Write;

use crate::data::catalogue::ItemKind;
use crate::engine::World;
use crate::error::{Code, Diagnostics, Located};
use crate::model::Validity;

/// The year of the current Wassenaar list (`WA-LIST (25) 1 Corr.` → 2025).
pub fn wa_list_year(world: &World) -> Option<u16> {
    let v = &world.data.wa_list.version;
    let open = v.find('(')?;
    let close = v[open..].find(')')? + open;
    let yy: u16 = v[open + 1..close].trim().parse().ok()?;
    Some(2000 + yy)
}

/// Checks that need the compiled tables; warnings and errors go to `diag`.
pub fn check(world: &World, diag: &mut Diagnostics) {
    let data = &world.data;
    for j in &world.jurisdictions {
        if !data.participants.iter().any(|p| p.code == j.code) {
            diag.push(
                Located::new(
                    world.regime_data(j.regime).rules_file.clone(),
                    format!("jurisdiction `{}` is not a Wassenaar participant", j.code),
                )
                .code(Code::NotParticipant),
            );
        }
    }
    let missing: Vec<&str> = data
        .participants
        .iter()
        .filter(|p| world.jurisdiction(&p.code).is_none())
        .map(|p| p.code.as_str())
        .collect();
    if !missing.is_empty() {
        diag.push(
            Located::new(
                "datasets",
                format!(
                    "{} participant(s) not modelled: {}",
                    missing.len(),
                    missing.join(", ")
                ),
            )
            .code(Code::NotModelled),
        );
    }
    let cat = world.catalogue();
    let cyber: Vec<u32> = cat
        .ids()
        .filter(|&i| cat.get(i).has_tag("cyber") && cat.get(i).kind == ItemKind::Wassenaar)
        .collect();
    for r in &world.regimes {
        let rd = world.regime_data(world.regimes.iter().position(|x| x.id == r.id).unwrap_or(0));
        let unresolved: Vec<&str> = cyber
            .iter()
            .filter(|&&i| {
                let p = &r.plans[i as usize];
                p.units.is_empty() && p.unlisted_fact.is_none()
            })
            .map(|&i| cat.get(i).code.as_str())
            .collect();
        if !unresolved.is_empty() {
            diag.push(
                Located::new(
                    rd.entries_file.clone(),
                    format!(
                        "cyber items with no list row (treated as not listed): {}",
                        unresolved.join(", ")
                    ),
                )
                .code(Code::CyberUnresolved),
            );
        }
        let covers = |m: &crate::engine::ItemMatcher| {
            (0..r.entries.len()).any(|e| {
                let item = r.entries[e].item;
                m.matches(cat, Some((e, item)), item)
            })
        };
        for a in &r.authorisations {
            if !covers(&a.items) {
                diag.push(
                    Located::new(
                        rd.rules_file.clone(),
                        format!("authorisation `{}` covers no list row", a.id),
                    )
                    .code(Code::AuthorisationUnused),
                );
            }
        }
        for q in &r.requirements {
            if !covers(&q.items) {
                diag.push(
                    Located::new(
                        rd.rules_file.clone(),
                        format!("requirement `{}` covers no list row", q.id),
                    )
                    .code(Code::RequirementUnused),
                );
            }
        }
    }
}

/// `datasets validate`: every problem, then a summary of what passed.
pub fn report(world: Option<&World>, diag: &Diagnostics) -> String {
    let mut text = String::new();
    for l in &diag.items {
        let level = if l.code.is_some_and(Code::is_warning) {
            "warning"
        } else {
            "error"
        };
        let _ = writeln!(text, "{level}: {l}");
    }
    if let Some(w) = world {
        let _ = writeln!(
            text,
            "ok: {} places, {} catalogue items ({}), {} participants, {} jurisdictions in {} regimes, {} listed parties, as of {}",
            w.places().len(),
            w.catalogue().len(),
            w.data.wa_list.version,
            w.data.participants.len(),
            w.jurisdictions.len(),
            w.regimes.len(),
            w.parties().list.len(),
            w.as_of
        );
        let _ = writeln!(text, "dataset content hash: {}", w.data.hash);
    }
    let errors = diag.errors();
    let warnings = diag.items.len() - errors;
    let _ = writeln!(text, "{errors} error(s), {warnings} warning(s)");
    text
}

/// `datasets list`: one line per jurisdiction, then the gaps of every regime.
pub fn list(world: &World) -> String {
    let mut out = String::new();
    let current = wa_list_year(world);
    let _ = writeln!(
        out,
        "{:<5} {:<15} {:<14} {:<10} {:<7} {:<6} {:<10} {:<5} list version",
        "code", "name", "regime", "date", "wa_year", "behind", "confidence", "gaps"
    );
    for j in &world.jurisdictions {
        let r = &world.regimes[j.regime];
        let wa = r
            .meta
            .wa_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "?".into());
        let behind = match (r.meta.wa_year, current) {
            (Some(y), Some(c)) => c.saturating_sub(y).to_string(),
            _ => "?".into(),
        };
        let _ = writeln!(
            out,
            "{:<5} {:<15} {:<14} {:<10} {:<7} {:<6} {:<10} {:<5} {}",
            j.code,
            truncate(&j.meta.name, 15),
            truncate(&r.id, 14),
            r.meta.list_date,
            wa,
            behind,
            j.meta.confidence.as_str(),
            r.meta.gaps.len(),
            r.meta.list_version,
        );
    }
    let _ = writeln!(
        out,
        "\nWassenaar list: {} ({}); {} of {} participants modelled; law as of {}",
        world.data.wa_list.version,
        world.data.wa_list.date,
        world.jurisdictions.len(),
        world.data.participants.len(),
        world.as_of
    );
    for (ri, r) in world.regimes.iter().enumerate() {
        if r.meta.gaps.is_empty() {
            continue;
        }
        let members: Vec<&str> = world
            .jurisdictions
            .iter()
            .filter(|j| j.regime == ri)
            .map(|j| j.code.as_str())
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\ngaps of `{}` ({}):", r.id, members.join(", "));
        for g in &r.meta.gaps {
            let claim = g
                .claim
                .as_deref()
                .map(|c| format!(" [claim: {c}, tested]"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {:<28} {}{claim}", g.id, g.text);
        }
    }
    out
}

/// What `datasets show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowParts {
    /// List rows.
    pub entries: bool,
    /// Rules.
    pub rules: bool,
}

fn validity(v: &Validity) -> String {
    match (v.from, v.to) {
        (None, None) => String::new(),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("to {t}"),
        (Some(f), Some(t)) => format!("{f} to {t}"),
    }
}

/// `datasets show CODE`.
pub fn show(world: &World, j: usize, parts: ShowParts) -> String {
    let jur = &world.jurisdictions[j];
    let r = &world.regimes[jur.regime];
    let rd = world.regime_data(jur.regime);
    let m = &r.meta;
    let mut out = String::new();
    let _ = writeln!(out, "{} — {} (regime `{}`)", jur.code, jur.meta.name, r.id);
    let _ = writeln!(out, "legal basis:   {}", m.legal_basis);
    let _ = writeln!(
        out,
        "list:          {} — {} ({})",
        m.list_name, m.list_version, m.list_date
    );
    let _ = writeln!(
        out,
        "WA year:       {}",
        m.wa_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "not established".into())
    );
    let _ = writeln!(out, "confidence:    {}", jur.meta.confidence);
    let _ = writeln!(
        out,
        "modelled from: {} {}",
        m.modelled_from, m.modelled_from_source
    );
    let _ = writeln!(
        out,
        "deemed rule:   {} ({})",
        m.deemed.rule, m.deemed.citation
    );
    let _ = writeln!(out, "law as of:     {}", world.as_of);
    let _ = writeln!(out, "source:        {}", m.source);
    if !jur.meta.notes.is_empty() {
        let _ = writeln!(out, "notes:         {}", jur.meta.notes);
    }
    if parts.entries {
        let _ = writeln!(out, "\nlist rows ({}):", rd.entries.len());
        for e in &rd.entries {
            let item = &world.catalogue().get(e.item).code;
            let _ = writeln!(
                out,
                "  {:<22} {:<18} {:<16} {:<10} {:<14} {}",
                truncate(&e.local_code, 22),
                truncate(item, 18),
                truncate(&e.reasons.join(";"), 16),
                e.confidence.as_str(),
                validity(&e.validity),
                e.label
            );
        }
    }
    if parts.rules {
        let _ = writeln!(out, "\nrules:");
        for (kind, meta) in rd.rules.metas() {
            let _ = writeln!(
                out,
                "  {:<13} {:<18} {:<10} {:<24} {} [{}]",
                kind,
                truncate(&meta.id, 18),
                meta.confidence.as_str(),
                validity(&meta.validity),
                meta.text(),
                meta.citation
            );
        }
    }
    if !m.gaps.is_empty() {
        let _ = writeln!(out, "\ngaps:");
        for g in &m.gaps {
            let _ = writeln!(out, "  {}: {}", g.id, g.text);
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
