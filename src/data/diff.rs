//! What changed: between two dates in one datasets folder (from the validity periods and the
//! recorded group changes), or between two datasets folders (an import of a new list).

use serde::Serialize;

use crate::data::load::{Datasets, EntryRow, RegimeData};
use crate::data::rules::RuleMeta;
use crate::model::{Date, InForce, Validity};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Change {
    /// Regime folder.
    pub regime: String,
    /// `entry`, a rule kind (`authorisation`, `overlay`, …), or `group`.
    pub kind: String,
    /// Local code, rule id, or `GROUP: PLACE`.
    pub key: String,
    /// `added`, `removed`, `changed`, or `not-established`.
    pub change: String,
    /// When (date diffs).
    pub date: String,
    /// The instrument that made the change, or what changed (folder diffs).
    pub detail: String,
}

/// Columns of `datasets diff`.
pub const COLUMNS: [&str; 6] = ["regime", "kind", "key", "change", "date", "detail"];

impl Change {
    /// Cells in `COLUMNS` order.
    pub fn cells(&self) -> [&str; 6] {
        [
            &self.regime,
            &self.kind,
            &self.key,
            &self.change,
            &self.date,
            &self.detail,
        ]
    }
}

fn status_change(
    v: &Validity,
    from: Date,
    to: Date,
    base: Date,
) -> Option<(String, String, String)> {
    let a = v.on(from, base);
    let b = v.on(to, base);
    if a == b {
        return None;
    }
    Some(match (a, b) {
        (InForce::No, InForce::Yes) => (
            "added".into(),
            v.from.map(|d| d.to_string()).unwrap_or_default(),
            v.from_source.clone(),
        ),
        (InForce::Yes, InForce::No) => (
            "removed".into(),
            v.to.map(|d| d.to_string()).unwrap_or_default(),
            v.to_source.clone(),
        ),
        (InForce::No, InForce::No) | (InForce::Yes, InForce::Yes) => return None,
        (InForce::Unknown, _) | (_, InForce::Unknown) => (
            "not-established".into(),
            base.to_string(),
            "undated row: in force from the dataset version date; earlier status not established"
                .into(),
        ),
    })
}

/// Changes between `from` and `to` in the regimes `keep` accepts.
pub fn between(
    data: &Datasets,
    from: Date,
    to: Date,
    keep: &dyn Fn(&RegimeData) -> bool,
) -> Vec<Change> {
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let mut out = Vec::new();
    for r in data.regimes.iter().filter(|r| keep(r)) {
        let base = r.meta.list_date;
        let mut seen = std::collections::HashSet::new();
        for e in &r.entries {
            if e.origin != r.id || !seen.insert((e.local_code.clone(), e.validity.clone())) {
                continue;
            }
            if let Some((change, date, detail)) = status_change(&e.validity, from, to, base)
                && (change != "not-established" || e.validity.is_dated())
            {
                out.push(Change {
                    regime: r.id.clone(),
                    kind: "entry".into(),
                    key: e.local_code.clone(),
                    change,
                    date,
                    detail,
                });
            }
        }
        for (kind, m) in r.rules.metas() {
            if m.origin != r.id {
                continue;
            }
            if let Some((change, date, detail)) = status_change(&m.validity, from, to, base)
                && (change != "not-established" || m.validity.is_dated())
            {
                out.push(Change {
                    regime: r.id.clone(),
                    kind: kind.into(),
                    key: m.id.clone(),
                    change,
                    date,
                    detail,
                });
            }
        }
        for g in &r.groups {
            for c in &g.changes {
                if c.date > from && c.date <= to {
                    out.push(Change {
                        regime: r.id.clone(),
                        kind: "group".into(),
                        key: format!("{}: {}", g.name, data.places.code(c.place)),
                        change: if c.added {
                            "added".into()
                        } else {
                            "removed".into()
                        },
                        date: c.date.to_string(),
                        detail: c.source.clone(),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.regime, &a.date, &a.kind, &a.key).cmp(&(&b.regime, &b.date, &b.kind, &b.key))
    });
    out
}

fn entry_signature(d: &Datasets, e: &EntryRow) -> String {
    format!(
        "item {}; reasons {}; tags {}; special {}; confidence {}; source {}",
        d.catalogue.get(e.item).code,
        e.reasons.join(","),
        e.tags.join(","),
        e.special,
        e.confidence.as_str(),
        e.source
    )
}

fn rule_signature(m: &RuleMeta) -> String {
    format!(
        "{} | {} | {} | {:?}",
        m.label,
        m.citation,
        m.confidence.as_str(),
        (m.validity.from, m.validity.to)
    )
}

/// Changes from folder `a` to folder `b`.
pub fn folders(a: &Datasets, b: &Datasets) -> Vec<Change> {
    let mut out = Vec::new();
    let ids: std::collections::BTreeSet<&str> = a
        .regimes
        .iter()
        .chain(&b.regimes)
        .map(|r| r.id.as_str())
        .collect();
    for id in ids {
        let (ra, rb) = (a.regime(id), b.regime(id));
        let entries =
            |d: &Datasets, r: Option<&RegimeData>| -> std::collections::BTreeMap<String, String> {
                r.map(|r| {
                    r.entries
                        .iter()
                        .filter(|e| e.origin == r.id)
                        .map(|e| (e.local_code.clone(), entry_signature(d, e)))
                        .collect()
                })
                .unwrap_or_default()
            };
        let (ea, eb) = (entries(a, ra), entries(b, rb));
        diff_maps(id, "entry", &ea, &eb, &mut out);
        let rules = |r: Option<&RegimeData>| -> std::collections::BTreeMap<String, String> {
            r.map(|r| {
                r.rules
                    .metas()
                    .into_iter()
                    .filter(|(_, m)| m.origin == r.id)
                    .map(|(k, m)| (format!("{k} {}", m.id), rule_signature(m)))
                    .collect()
            })
            .unwrap_or_default()
        };
        diff_maps(id, "rule", &rules(ra), &rules(rb), &mut out);
    }
    out
}

fn diff_maps(
    regime: &str,
    kind: &str,
    a: &std::collections::BTreeMap<String, String>,
    b: &std::collections::BTreeMap<String, String>,
    out: &mut Vec<Change>,
) {
    for (k, va) in a {
        match b.get(k) {
            None => out.push(Change {
                regime: regime.into(),
                kind: kind.into(),
                key: k.clone(),
                change: "removed".into(),
                date: String::new(),
                detail: va.clone(),
            }),
            Some(vb) if vb != va => out.push(Change {
                regime: regime.into(),
                kind: kind.into(),
                key: k.clone(),
                change: "changed".into(),
                date: String::new(),
                detail: format!("{va} -> {vb}"),
            }),
            Some(_) => {}
        }
    }
    for (k, vb) in b {
        if !a.contains_key(k) {
            out.push(Change {
                regime: regime.into(),
                kind: kind.into(),
                key: k.clone(),
                change: "added".into(),
                date: String::new(),
                detail: vb.clone(),
            });
        }
    }
}
