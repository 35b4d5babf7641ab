//! The rule tables of a jurisdiction folder (`rules.toml`), as written in the dataset.
//! The engine compiles them (`engine::compile`); this module only describes their shape.

use serde::Deserialize;

/// A condition: every field present must match (DESIGN: rules are data).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub destinations: Option<String>,
    pub end_users: Option<Vec<String>>,
    pub end_uses: Option<Vec<String>>,
    pub items: Option<Vec<String>>,
    pub deemed: Option<bool>,
    pub transactions: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The folder the rule was written in (set by the loader).
    #[serde(skip)]
    pub origin: String,
    pub id: String,
    pub items: Vec<String>,
    pub destinations: String,
    pub label: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub licence_policy: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Free {
    /// The folder the rule was written in (set by the loader).
    #[serde(skip)]
    pub origin: String,
    pub id: String,
    pub items: Vec<String>,
    pub destinations: String,
    pub label: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restriction {
    pub id: String,
    pub label: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub when: Condition,
    #[serde(default)]
    pub unless: Vec<Condition>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorisation {
    /// The folder the rule was written in (set by the loader).
    #[serde(skip)]
    pub origin: String,
    pub id: String,
    pub name: String,
    pub items: Vec<String>,
    #[serde(default)]
    pub excluded_items: Vec<String>,
    pub destinations: String,
    #[serde(default)]
    pub transactions: Vec<String>,
    #[serde(default)]
    pub only_reasons: Vec<String>,
    #[serde(default)]
    pub conditions: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    /// `authorises` (default) or `may-authorise` (eligibility depends on facts the scenario
    /// does not carry: the result is `indeterminate` between authorised and licence-required).
    #[serde(default)]
    pub effect: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub restriction: Vec<Restriction>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatchAll {
    /// The folder the rule was written in (set by the loader).
    #[serde(skip)]
    pub origin: String,
    pub id: String,
    /// `all`, `listed`, `unlisted`, `unlisted-cyber-surveillance`, or item patterns.
    pub items: Vec<String>,
    #[serde(default)]
    pub when: Condition,
    pub outcome: String,
    #[serde(default)]
    pub licence_policy: String,
    pub label: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    pub id: String,
    pub destinations: String,
    /// `all` (every item, listed or not) or `listed`.
    pub items: String,
    pub outcome: String,
    #[serde(default)]
    pub licence_policy: String,
    pub label: String,
    pub citation: String,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Applies to deemed exports to nationals of the destination too (default true).
    #[serde(default)]
    pub deemed: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(default)]
    pub requirement: Vec<Requirement>,
    #[serde(default)]
    pub free: Vec<Free>,
    #[serde(default)]
    pub authorisation: Vec<Authorisation>,
    #[serde(default)]
    pub catch_all: Vec<CatchAll>,
    #[serde(default)]
    pub overlay: Vec<Overlay>,
}

impl RulesFile {
    pub fn set_origin(&mut self, origin: &str) {
        for r in &mut self.requirement {
            r.origin = origin.to_string();
        }
        for r in &mut self.free {
            r.origin = origin.to_string();
        }
        for r in &mut self.authorisation {
            r.origin = origin.to_string();
        }
        for r in &mut self.catch_all {
            r.origin = origin.to_string();
        }
    }
}
