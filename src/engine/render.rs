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

impl World {
    fn step_text(&self, d: &Determination, s: &Scenario, step: &Step) -> String {
        let jur = &self.jurisdictions[d.jurisdiction];
        let regime = &self.regimes[jur.regime];
        let fact = self.fact(step.fact);
        let entry = if step.entry == NO_ENTRY {
            self.catalogue.get(s.item).code.as_str()
        } else {
            regime.entries[step.entry as usize].local_code.as_str()
        };
        let mut text = fact
            .text
            .replace("{dest}", self.places.code(s.destination))
            .replace("{exporter}", &jur.code)
            .replace("{item}", &self.catalogue.get(s.item).code)
            .replace("{list}", &regime.meta.list_name)
            .replace("{entry}", entry);
        if let Some(o) = step.outcome {
            text = text.replace("{outcome}", o.as_str());
        }
        // `;` separates reasons in the output; keep it out of the texts.
        text.replace(';', ",")
    }

    /// Expands `d` (a determination of scenario `s`) into the contract's columns.
    pub fn render(&self, s: &Scenario, d: &Determination) -> Rendered {
        let jur = &self.jurisdictions[d.jurisdiction];
        let regime = &self.regimes[jur.regime];
        let join = |steps: &[Step]| {
            let mut parts: Vec<String> = Vec::new();
            for st in steps {
                let t = self.step_text(d, s, st);
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
        Rendered {
            scenario_id: s.id.clone(),
            jurisdiction: jur.code.clone(),
            item: self.catalogue.get(s.item).code.clone(),
            local_entry: d
                .entries
                .iter()
                .map(|&e| regime.entries[e as usize].local_code.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            destination: self.places.code(s.destination).to_string(),
            end_user: s.end_user.as_str().to_string(),
            end_use: s.end_use.as_str().to_string(),
            outcome: d.outcome.as_str().to_string(),
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
            confidence: d.confidence.as_str().to_string(),
            ear_applies: match d.ear_applies {
                Some(true) => "true".into(),
                Some(false) => "false".into(),
                None => String::new(),
            },
        }
    }
}
