//! Expands a compact determination into the columns of the determination contract.

use crate::engine::compile::World;
use crate::engine::evaluate::{Determination, NO_ENTRY, Step};
use crate::model::Scenario;

/// The contract columns of one determination row (DESIGN.md "Determinations").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub scenario_id: String,
    pub jurisdiction: String,
    pub item: String,
    pub local_entry: String,
    pub destination: String,
    pub end_user: String,
    pub end_use: String,
    pub outcome: String,
    pub authorisation: String,
    pub licence_policy: String,
    pub conditions: String,
    pub reasons: String,
    pub citations: String,
    pub confidence: String,
    pub ear_applies: String,
}

/// Column names, in contract order.
pub const COLUMNS: [&str; 15] = [
    "scenario_id",
    "jurisdiction",
    "item",
    "local_entry",
    "destination",
    "end_user",
    "end_use",
    "outcome",
    "authorisation",
    "licence_policy",
    "conditions",
    "reasons",
    "citations",
    "confidence",
    "ear_applies",
];

impl Rendered {
    pub fn fields(&self) -> [&str; 15] {
        [
            &self.scenario_id,
            &self.jurisdiction,
            &self.item,
            &self.local_entry,
            &self.destination,
            &self.end_user,
            &self.end_use,
            &self.outcome,
            &self.authorisation,
            &self.licence_policy,
            &self.conditions,
            &self.reasons,
            &self.citations,
            &self.confidence,
            &self.ear_applies,
        ]
    }
}

/// The columns of a determination that depend on the rule chain (not on the scenario's id,
/// end user or end use), so bulk writers can cache them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub local_entry: String,
    pub authorisation: String,
    pub licence_policy: String,
    pub conditions: String,
    pub reasons: String,
    pub citations: String,
}

impl World {
    fn step_text(&self, j: usize, item: u32, dest: u16, step: &Step) -> String {
        let jur = &self.jurisdictions[j];
        let regime = &self.regimes[jur.regime];
        let fact = self.fact(step.fact);
        let item_code = self.catalogue.get(item).code.as_str();
        let entry = if step.entry == NO_ENTRY {
            item_code
        } else {
            regime.entries[step.entry as usize].local_code.as_str()
        };
        let mut text = fact
            .text
            .replace("{dest}", self.places.code(dest))
            .replace("{exporter}", &jur.code)
            .replace("{item}", item_code)
            .replace("{list}", &regime.meta.list_name)
            .replace("{entry}", entry);
        if let Some(o) = step.outcome {
            text = text.replace("{outcome}", o.as_str());
        }
        // `;` separates reasons in the output; keep it out of the texts.
        text.replace(';', ",")
    }

    /// Expands the rule chain of `d` as jurisdiction `j` applied it to `item` and `dest`.
    pub fn render_parts(&self, j: usize, item: u32, dest: u16, d: &Determination) -> Parts {
        let regime = &self.regimes[self.jurisdictions[j].regime];
        let join = |steps: &[Step]| {
            let mut parts: Vec<String> = Vec::new();
            for st in steps {
                let t = self.step_text(j, item, dest, st);
                if !parts.contains(&t) {
                    parts.push(t);
                }
            }
            parts.join("; ")
        };
        let mut citations: Vec<&str> = Vec::new();
        for st in &d.reasons {
            let c = self.fact(st.fact).citation.as_str();
            if !c.is_empty() && !citations.contains(&c) {
                citations.push(c);
            }
        }
        Parts {
            local_entry: d
                .entries
                .iter()
                .map(|&e| regime.entries[e as usize].local_code.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            authorisation: d
                .authorisation
                .map(|a| regime.authorisations[a as usize].id.clone())
                .unwrap_or_default(),
            licence_policy: d.policy.as_str().to_string(),
            conditions: join(&d.conditions),
            reasons: join(&d.reasons),
            citations: citations
                .iter()
                .map(|c| c.replace(';', ","))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    /// Expands `d` (a determination of scenario `s`) into the contract's columns.
    pub fn render(&self, s: &Scenario, d: &Determination) -> Rendered {
        let j = d.jurisdiction;
        let p = self.render_parts(j, s.item, s.destination, d);
        Rendered {
            scenario_id: s.id.clone(),
            jurisdiction: self.jurisdictions[j].code.clone(),
            item: self.catalogue.get(s.item).code.clone(),
            local_entry: p.local_entry,
            destination: self.places.code(s.destination).to_string(),
            end_user: s.end_user.as_str().to_string(),
            end_use: s.end_use.as_str().to_string(),
            outcome: d.outcome.as_str().to_string(),
            authorisation: p.authorisation,
            licence_policy: p.licence_policy,
            conditions: p.conditions,
            reasons: p.reasons,
            citations: p.citations,
            confidence: d.confidence.as_str().to_string(),
            ear_applies: ear_text(d.ear_applies).to_string(),
        }
    }
}

pub fn ear_text(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}
