//! What changed: between two dates in one datasets folder (from the validity periods and the
//! recorded group changes), or between two datasets folders (an import of a new list).

use serde::Serialize;

use crate::data::load::{Datasets, EntryRow, RegimeData};
use crate::data::rules::RuleMeta;
use crate::model::{Date, Validity};

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
    /// The legal source of the entry or rule itself (`15 CFR 740.22(a), (b)(1)`).
    pub citation: String,
}

/// Columns of `datasets diff`.
pub const COLUMNS: [&str; 7] = [
    "regime", "kind", "key", "change", "date", "detail", "citation",
];

impl Change {
    /// Cells in `COLUMNS` order.
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.regime,
            &self.kind,
            &self.key,
            &self.change,
            &self.date,
            &self.detail,
            &self.citation,
        ]
    }
}

/// The boundaries of a validity period inside `(from, to]`: each start is `added` (with the
/// instrument that made it), each end `removed`; an undated row or rule whose status changes
/// from unknown to known in the window is `not-established`.
fn events(v: &Validity, from: Date, to: Date, base: Date) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(f) = v.from.filter(|f| *f > from && *f <= to) {
        out.push(("added".into(), f.to_string(), v.from_source.clone()));
    }
    if let Some(t) = v.to.filter(|t| *t >= from && *t < to) {
        out.push(("removed".into(), t.to_string(), v.to_source.clone()));
    }
    if out.is_empty() && v.on(from, base) != v.on(to, base) {
        out.push((
            "not-established".into(),
            base.to_string(),
            "undated row: in force from the dataset version date; earlier status not established"
                .into(),
        ));
    }
    out
}

/// One version ending the day before another of the same key begins is one `changed` event.
fn merge_versions(out: &mut Vec<Change>) {
    let day = |c: &Change| Date::parse(&c.date).map(Date::days_since_epoch);
    let mut k = 0;
    while k < out.len() {
        if out[k].change == "removed"
            && let Some(j) = out.iter().position(|c| {
                c.change == "added"
                    && c.regime == out[k].regime
                    && c.kind == out[k].kind
                    && c.key == out[k].key
                    && day(c).zip(day(&out[k])).is_some_and(|(a, r)| a == r + 1)
            })
        {
            out[j].change = "changed".into();
            out.remove(k);
            continue;
        }
        k += 1;
    }
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
            for (change, date, detail) in events(&e.validity, from, to, base) {
                if change == "not-established" && !e.validity.is_dated() {
                    continue;
                }
                out.push(Change {
                    regime: r.id.clone(),
                    kind: "entry".into(),
                    key: e.local_code.clone(),
                    change,
                    date,
                    detail,
                    citation: e.source.clone(),
                });
            }
        }
        for (kind, m) in r.rules.metas() {
            if m.origin != r.id {
                continue;
            }
            for (change, date, detail) in events(&m.validity, from, to, base) {
                if change == "not-established" && !m.validity.is_dated() {
                    continue;
                }
                out.push(Change {
                    regime: r.id.clone(),
                    kind: kind.into(),
                    key: m.id.clone(),
                    change,
                    date,
                    detail,
                    citation: m.citation.clone(),
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
                        citation: String::new(),
                    });
                }
            }
        }
    }
    merge_versions(&mut out);
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
                citation: String::new(),
            }),
            Some(vb) if vb != va => out.push(Change {
                regime: regime.into(),
                kind: kind.into(),
                key: k.clone(),
                change: "changed".into(),
                date: String::new(),
                detail: format!("{va} -> {vb}"),
                citation: String::new(),
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
                citation: String::new(),
            });
        }
    }
}
