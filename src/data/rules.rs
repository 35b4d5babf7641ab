//! The rule tables of a regime folder (`rules.toml`): read with the position of every value,
//! then checked into typed rules. Every problem is reported, not only the first.

use serde::Deserialize;
use toml::Spanned;

use crate::data::catalogue::Catalogue;
use crate::data::expr::{
    DestExpr, ExprError, ItemPattern, SCOPE_WORDS, Scope, parse_destinations, parse_pattern,
    parse_scope,
};
use crate::data::places::Places;
use crate::error::{Code, Diagnostics, Located};
use crate::model::{
    Confidence, Currency, Date, EndUse, EndUser, LicencePolicy, Outcome, Transaction, Validity,
    Word,
};

type S<T> = Spanned<T>;

/// Declares a raw rule table: the given fields plus the fields every rule has.
macro_rules! raw_rule {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $name {
            pub id: S<String>,
            pub citation: S<String>,
            #[serde(default)]
            pub confidence: Option<S<String>>,
            #[serde(default)]
            pub note: Option<S<String>>,
            #[serde(default)]
            pub valid_from: Option<S<String>>,
            #[serde(default)]
            pub valid_from_source: Option<S<String>>,
            #[serde(default)]
            pub valid_to: Option<S<String>>,
            #[serde(default)]
            pub valid_to_source: Option<S<String>>,
            $(#[serde(default)] pub $field: $ty),*
        }
    };
}

raw_rule!(RawRequirement {
    items: Option<S<Vec<S<String>>>>,
    destinations: Option<S<String>>,
    label: Option<S<String>>,
    licence_policy: Option<S<String>>,
});
raw_rule!(RawFree {
    items: Option<S<Vec<S<String>>>>,
    destinations: Option<S<String>>,
    label: Option<S<String>>,
});
raw_rule!(RawRestriction {
    label: Option<S<String>>,
    when: Option<RawCondition>,
    unless: Vec<RawCondition>,
});
raw_rule!(RawAuthorisation {
    name: Option<S<String>>,
    items: Option<S<Vec<S<String>>>>,
    excluded_items: Option<S<Vec<S<String>>>>,
    destinations: Option<S<String>>,
    transactions: Option<S<Vec<S<String>>>>,
    only_reasons: Option<S<Vec<S<String>>>>,
    conditions: Option<S<String>>,
    condition_code: Option<S<String>>,
    effect: Option<S<String>>,
    max_value: Option<S<String>>,
    restriction: Vec<RawRestriction>,
});
raw_rule!(RawCatchAll {
    items: Option<S<Vec<S<String>>>>,
    when: Option<RawCondition>,
    outcome: Option<S<String>>,
    up_to: Option<S<String>>,
    licence_policy: Option<S<String>>,
    label: Option<S<String>>,
});
raw_rule!(RawOverlay {
    destinations: Option<S<String>>,
    items: Option<S<Vec<S<String>>>>,
    when: Option<RawCondition>,
    outcome: Option<S<String>>,
    up_to: Option<S<String>>,
    licence_policy: Option<S<String>>,
    label: Option<S<String>>,
    deemed: Option<S<bool>>,
});
raw_rule!(RawReach {
    kind: Option<S<String>>,
    threshold_pct: Option<S<f64>>,
    destinations: Option<S<String>>,
    label: Option<S<String>>,
});
raw_rule!(RawPartyList {
    list: Option<S<String>>,
    effect: Option<S<String>>,
    label: Option<S<String>>,
    condition: Option<S<String>>,
});

/// A condition as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    #[serde(default)]
    pub destinations: Option<S<String>>,
    #[serde(default)]
    pub end_users: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub end_uses: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub items: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub deemed: Option<S<bool>>,
    #[serde(default)]
    pub transactions: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub value_above: Option<S<String>>,
}

/// `rules.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRules {
    #[serde(default)]
    pub requirement: Vec<RawRequirement>,
    #[serde(default)]
    pub free: Vec<RawFree>,
    #[serde(default)]
    pub authorisation: Vec<RawAuthorisation>,
    #[serde(default)]
    pub catch_all: Vec<RawCatchAll>,
    #[serde(default)]
    pub overlay: Vec<RawOverlay>,
    #[serde(default)]
    pub reach: Vec<RawReach>,
    #[serde(default)]
    pub party_list: Vec<RawPartyList>,
}

/// Where a rule was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based character column.
    pub col: u64,
}

/// What every rule has.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMeta {
    /// Stable id within the regime (`ACE`, `746.8`).
    pub id: String,
    /// Short text in the project's words, with `{dest}`-style placeholders.
    pub label: String,
    /// A remark shown in parentheses after the label.
    pub note: Option<String>,
    /// The legal source.
    pub citation: String,
    /// How the rule was established.
    pub confidence: Confidence,
    /// When the rule is in force.
    pub validity: Validity,
    /// The folder the rule was written in (`@all` means that folder's rows).
    pub origin: String,
    /// Where it was written.
    pub loc: Loc,
}

impl RuleMeta {
    /// The label with its note.
    pub fn text(&self) -> String {
        match &self.note {
            Some(n) if !n.is_empty() => format!("{} ({n})", self.label),
            _ => self.label.clone(),
        }
    }
}

/// A condition: every field present must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// Destinations.
    pub destinations: Option<DestExpr>,
    /// End users (bit mask of [`EndUser::bit`]).
    pub end_users: Option<u32>,
    /// End uses (bit mask of [`EndUse::bit`]).
    pub end_uses: Option<u32>,
    /// Items.
    pub items: Option<Vec<ItemPattern>>,
    /// Deemed export or not.
    pub deemed: Option<bool>,
    /// Transaction types (bit mask).
    pub transactions: Option<u32>,
    /// The scenario's value exceeds the limit (`entry`: the row's `value_limit`).
    pub value_above: Option<ValueLimit>,
}

/// A value limit of an authorisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueLimit {
    /// The list row's `value_limit` column (e.g. US LVS limits per ECCN).
    Entry,
    /// A fixed amount.
    Fixed(f64, Currency),
}

/// `[[requirement]]`: a licence is required for these items to these destinations.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// Common fields.
    pub meta: RuleMeta,
    /// Items reached.
    pub items: Vec<ItemPattern>,
    /// Destinations reached.
    pub destinations: DestExpr,
    /// Licensing policy, where the law states one.
    pub policy: LicencePolicy,
}

/// `[[free]]`: why no licence is needed where no requirement applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Free {
    /// Common fields.
    pub meta: RuleMeta,
    /// Items reached.
    pub items: Vec<ItemPattern>,
    /// Destinations reached.
    pub destinations: DestExpr,
}

/// `[[authorisation.restriction]]`: bars the authorisation when `when` matches and no
/// `unless` does.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    /// Common fields.
    pub meta: RuleMeta,
    /// When it bars.
    pub when: Condition,
    /// Exceptions to the bar.
    pub unless: Vec<Condition>,
}

crate::vocabulary!(
    /// What an authorisation does when its conditions hold.
    Effect, "authorisation effect", {
        /// It authorises.
        Authorises => "authorises",
        /// It may authorise: eligibility turns on facts the scenario does not carry.
        MayAuthorise => "may-authorise",
        /// A licence granted to an exporter on application (a bulk or global licence): it
        /// never lowers the outcome; it is named in `conditions` as a licence that may be
        /// applied for or already held.
        OnApplication => "on-application",
    }
);

/// `[[authorisation]]`: a licence exception or general authorisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorisation {
    /// Common fields (`id` is the name used in output: `ACE`, `EU001`).
    pub meta: RuleMeta,
    /// Full name.
    pub name: String,
    /// Items covered.
    pub items: Vec<ItemPattern>,
    /// Items excluded.
    pub excluded: Vec<ItemPattern>,
    /// Destinations covered.
    pub destinations: DestExpr,
    /// Transaction types covered (bit mask; all when none are listed).
    pub transactions: u32,
    /// Usable only when every requirement that applies is one of these.
    pub only_reasons: Vec<String>,
    /// What the user must do (registration, notification, …).
    pub conditions: String,
    /// Stable code of `conditions` (`ACE-SCREENING`).
    pub condition_code: String,
    /// Authorises or may authorise.
    pub effect: Effect,
    /// Usable only up to this value.
    pub max_value: Option<ValueLimit>,
    /// What bars it.
    pub restrictions: Vec<Restriction>,
}

crate::vocabulary!(
    /// The outcome a catch-all or overlay imposes.
    RuleOutcome, "rule outcome", {
        /// An individual licence.
        LicenceRequired => "licence-required",
        /// An outright ban.
        Prohibited => "prohibited",
        /// The rule may apply: the outcome may be as strict as `up_to`.
        Indeterminate => "indeterminate",
    }
);

/// `[[catch_all]]`: raises the outcome when a condition holds, and bars authorisations.
#[derive(Debug, Clone, PartialEq)]
pub struct CatchAll {
    /// Common fields.
    pub meta: RuleMeta,
    /// Items reached.
    pub scope: Scope,
    /// When it applies.
    pub when: Condition,
    /// What it imposes.
    pub outcome: RuleOutcome,
    /// For `indeterminate`: how strict the outcome may be (default licence-required).
    pub up_to: Outcome,
    /// Licensing policy.
    pub policy: LicencePolicy,
}

/// `[[overlay]]`: an embargo or sanction for some destinations.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// Common fields.
    pub meta: RuleMeta,
    /// Destinations reached.
    pub destinations: DestExpr,
    /// Items reached.
    pub scope: Scope,
    /// Further conditions (end users, end uses).
    pub when: Condition,
    /// What it imposes.
    pub outcome: RuleOutcome,
    /// For `indeterminate`: how strict the outcome may be.
    pub up_to: Outcome,
    /// Licensing policy.
    pub policy: LicencePolicy,
    /// Applies to deemed exports to nationals of the destination too.
    pub deemed: bool,
}

crate::vocabulary!(
    /// How a regime's law follows items made or exported abroad.
    ReachKind, "reach kind", {
        /// Foreign-made items with more than a threshold share of controlled content.
        DeMinimis => "de-minimis",
        /// The regime's own software exported on its own from abroad.
        OriginSoftware => "origin-software",
    }
);

/// `[[reach]]`: when this regime's law follows an item out of another state.
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    /// Common fields.
    pub meta: RuleMeta,
    /// De minimis or origin software.
    pub kind: ReachKind,
    /// For de minimis: the share of controlled content above which the law follows.
    pub threshold_pct: f64,
    /// Destinations the rule is for.
    pub destinations: DestExpr,
}

crate::vocabulary!(
    /// How a hit on a party list changes a determination.
    PartyEffect, "party-list effect", {
        /// The entry's own licence requirement; no licence exceptions.
        Requirement => "requirement",
        /// Any dealing is barred.
        Prohibition => "prohibition",
        /// Licence exceptions are barred; a statement is needed where no licence is.
        NoExceptions => "no-exceptions",
        /// Named in `screening` and as a condition; the outcome is not changed.
        Notice => "notice",
    }
);

/// `[[party_list]]`: what a hit on one list of `parties.csv` means.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyList {
    /// Common fields (`label` names the list in output).
    pub meta: RuleMeta,
    /// The `list` value of `parties.csv` rows it is for.
    pub list: String,
    /// What a hit does.
    pub effect: PartyEffect,
    /// A condition text shown with every hit (`UVL statement required`).
    pub condition: String,
}

/// The checked rules of one folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Licence requirements.
    pub requirements: Vec<Requirement>,
    /// Explanations of why no licence is needed.
    pub frees: Vec<Free>,
    /// Licence exceptions and general authorisations.
    pub authorisations: Vec<Authorisation>,
    /// End-use and end-user catch-alls.
    pub catch_alls: Vec<CatchAll>,
    /// Embargoes and sanctions.
    pub overlays: Vec<Overlay>,
    /// Extraterritorial reach.
    pub reach: Vec<Reach>,
    /// Treatment of party-list hits.
    pub party_lists: Vec<PartyList>,
}

impl Rules {
    /// Appends another folder's rules (an overlay regime gets its parent's first).
    pub fn extend(&mut self, o: Rules) {
        self.requirements.extend(o.requirements);
        self.frees.extend(o.frees);
        self.authorisations.extend(o.authorisations);
        self.catch_alls.extend(o.catch_alls);
        self.overlays.extend(o.overlays);
        self.reach.extend(o.reach);
        self.party_lists.extend(o.party_lists);
    }

    /// Every rule's common fields, in file order by kind.
    pub fn metas(&self) -> Vec<(&'static str, &RuleMeta)> {
        let mut out: Vec<(&'static str, &RuleMeta)> = Vec::new();
        out.extend(self.requirements.iter().map(|r| ("requirement", &r.meta)));
        out.extend(self.frees.iter().map(|r| ("free", &r.meta)));
        for a in &self.authorisations {
            out.push(("authorisation", &a.meta));
            out.extend(a.restrictions.iter().map(|r| ("restriction", &r.meta)));
        }
        out.extend(self.catch_alls.iter().map(|r| ("catch_all", &r.meta)));
        out.extend(self.overlays.iter().map(|r| ("overlay", &r.meta)));
        out.extend(self.reach.iter().map(|r| ("reach", &r.meta)));
        out.extend(self.party_lists.iter().map(|r| ("party_list", &r.meta)));
        out
    }
}

/// What checking needs to know: names that exist.
pub(crate) struct Names<'a> {
    pub places: &'a Places,
    pub catalogue: &'a Catalogue,
    pub groups: &'a dyn Fn(&str) -> bool,
    pub tags: &'a dyn Fn(&str) -> bool,
}

/// Line and column (1-based) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (u64, u64) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[start..at].chars().count() as u64 + 1;
    (line, col)
}

/// Line starts of a text, for positions of many spans (each found by binary search rather
/// than by counting lines from the top).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Line and column (1-based) of byte offset `at` in `text`, as [`line_col`].
    fn line_col(&self, text: &str, at: usize) -> (u64, u64) {
        let at = at.min(text.len());
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line.saturating_sub(1)];
        let col = text.get(start..at).map_or(0, |t| t.chars().count()) as u64 + 1;
        (line as u64, col)
    }
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    lines: LineIndex,
    origin: &'a str,
    names: &'a Names<'a>,
    diag: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn at<T>(&self, s: &S<T>) -> (u64, u64) {
        self.lines.line_col(self.text, s.span().start)
    }

    fn loc<T>(&self, s: &S<T>) -> Loc {
        let (line, col) = self.at(s);
        Loc {
            file: self.file.to_string(),
            line,
            col,
        }
    }

    fn problem<T>(&mut self, s: &S<T>, field: &str, code: Code, message: &str) -> Located {
        let (line, col) = self.at(s);
        Located::new(self.file, message)
            .at(line, col)
            .column(field.to_string())
            .code(code)
    }

    fn report<T>(&mut self, s: &S<T>, field: &str, code: Code, message: &str) {
        let p = self.problem(s, field, code, message);
        self.diag.push(p);
    }

    fn word<W: Word>(&mut self, s: &S<String>, field: &str) -> Option<W> {
        match W::parse(s.get_ref()) {
            Some(w) => Some(w),
            None => {
                let p = self
                    .problem(s, field, Code::UnknownWord, &format!("unknown {}", W::NAME))
                    .value(s.get_ref().clone())
                    .accepted(W::accepted());
                self.diag.push(p);
                None
            }
        }
    }

    fn required<'s>(
        &mut self,
        id: &S<String>,
        v: &'s Option<S<String>>,
        field: &str,
    ) -> Option<&'s S<String>> {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => Some(s),
            Some(s) => {
                self.report(
                    s,
                    field,
                    Code::Empty,
                    &format!("`{field}` must not be empty"),
                );
                None
            }
            None => {
                let p = self.problem(
                    id,
                    field,
                    Code::Empty,
                    &format!("rule `{}` needs `{field}`", id.get_ref()),
                );
                self.diag.push(p);
                None
            }
        }
    }

    fn date(&mut self, s: &Option<S<String>>, field: &str) -> Option<Date> {
        let s = s.as_ref()?;
        match Date::parse(s.get_ref()) {
            Some(d) => Some(d),
            None => {
                let p = self
                    .problem(s, field, Code::BadDate, "not a date")
                    .value(s.get_ref().clone())
                    .accepted("YYYY-MM-DD");
                self.diag.push(p);
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn meta(
        &mut self,
        id: &S<String>,
        label: Option<&S<String>>,
        citation: &S<String>,
        confidence: &Option<S<String>>,
        note: &Option<S<String>>,
        valid: [&Option<S<String>>; 4],
    ) -> RuleMeta {
        if id.get_ref().trim().is_empty() {
            self.report(id, "id", Code::Empty, "empty rule id");
        }
        if citation.get_ref().trim().is_empty() {
            self.report(
                citation,
                "citation",
                Code::Uncited,
                "every rule must cite its legal source",
            );
        } else if let Some(why) = crate::data::unofficial(citation.get_ref()) {
            let p = self
                .problem(citation, "citation", Code::UnofficialSource, why)
                .value(citation.get_ref().clone());
            self.diag.push(p);
        }
        let confidence = match confidence {
            Some(c) => self
                .word::<Confidence>(c, "confidence")
                .unwrap_or(Confidence::Assumed),
            None => Confidence::Primary,
        };
        let [from, from_source, to, to_source] = valid;
        let validity = Validity {
            from: self.date(from, "valid_from"),
            from_source: from_source
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default(),
            to: self.date(to, "valid_to"),
            to_source: to_source
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default(),
        };
        for (date, src, field) in [
            (from, from_source, "valid_from_source"),
            (to, to_source, "valid_to_source"),
        ] {
            if let Some(d) = date {
                match src {
                    Some(s) if !s.get_ref().trim().is_empty() => {
                        if let Some(why) = crate::data::unofficial(s.get_ref()) {
                            self.report(s, field, Code::UnofficialSource, why);
                        }
                    }
                    _ => self.report(
                        d,
                        field,
                        Code::BadDate,
                        &format!("a dated change needs `{field}`: the instrument that made it"),
                    ),
                }
            }
        }
        if let (Some(f), Some(t)) = (validity.from, validity.to)
            && t < f
            && let Some(s) = to
        {
            self.report(
                s,
                "valid_to",
                Code::BadDate,
                "`valid_to` is before `valid_from`",
            );
        }
        RuleMeta {
            id: id.get_ref().trim().to_string(),
            label: label.map(|l| l.get_ref().clone()).unwrap_or_default(),
            note: note.as_ref().map(|n| n.get_ref().clone()),
            citation: citation.get_ref().clone(),
            confidence,
            validity,
            origin: self.origin.to_string(),
            loc: self.loc(id),
        }
    }

    fn expr_error(&mut self, s: &S<String>, field: &str, e: ExprError) {
        let code = match e.message {
            "unknown destination group" => Code::UnknownGroup,
            "unknown country code in a destination expression" => Code::UnknownPlace,
            "item pattern names no catalogue item" => Code::UnknownItem,
            _ => Code::BadExpression,
        };
        let mut p = self
            .problem(s, field, code, e.message)
            .value(if e.term.is_empty() {
                s.get_ref().clone()
            } else {
                e.term
            });
        if code == Code::UnknownGroup {
            p = p.accepted("a group of countries.csv (`@all`, `@EU`, `@WA`) or a column of this folder's group tables (`@D1`, `@chart:NS1`)");
        }
        if code == Code::UnknownItem
            && let Some(s) = self.names.catalogue.suggest(s.get_ref())
        {
            p = p.hint(format!("did you mean `{s}`?"));
        }
        self.diag.push(p);
    }

    fn destinations(&mut self, s: &S<String>, field: &str) -> Option<DestExpr> {
        match parse_destinations(s.get_ref(), self.names.places, self.names.groups) {
            Ok(e) => Some(e),
            Err(e) => {
                self.expr_error(s, field, e);
                None
            }
        }
    }

    fn patterns(&mut self, s: &S<Vec<S<String>>>, field: &str) -> Option<Vec<ItemPattern>> {
        let mut out = Vec::new();
        let mut ok = true;
        for p in s.get_ref() {
            match parse_pattern(p.get_ref(), self.names.catalogue) {
                Ok(ItemPattern::Tag(t)) if !(self.names.tags)(&t) => {
                    self.report(p, field, Code::NoMatch, "no list row carries this tag");
                    ok = false;
                }
                Ok(x) => out.push(x),
                Err(e) => {
                    self.expr_error(p, field, e);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn scope(&mut self, s: &S<Vec<S<String>>>, field: &str) -> Option<Scope> {
        let words: Vec<String> = s.get_ref().iter().map(|x| x.get_ref().clone()).collect();
        match parse_scope(&words, self.names.catalogue) {
            Ok(Scope::Patterns(ps)) => {
                let mut ok = true;
                for (p, raw) in ps.iter().zip(s.get_ref()) {
                    if let ItemPattern::Tag(t) = p
                        && !(self.names.tags)(t)
                    {
                        self.report(raw, field, Code::NoMatch, "no list row carries this tag");
                        ok = false;
                    }
                }
                ok.then_some(Scope::Patterns(ps))
            }
            Ok(x) => Some(x),
            Err(e) => {
                let p = self
                    .problem(s, field, Code::BadExpression, e.message)
                    .value(e.term)
                    .accepted(format!(
                        "one of {}, or a list of item patterns",
                        SCOPE_WORDS.join(", ")
                    ));
                self.diag.push(p);
                None
            }
        }
    }

    fn mask<W: Word>(&mut self, s: &S<Vec<S<String>>>, field: &str) -> u32 {
        let mut m = 0;
        for w in s.get_ref() {
            if let Some(v) = self.word::<W>(w, field) {
                m |= 1
                    << (W::VALUES
                        .iter()
                        .position(|x| x.as_str() == v.as_str())
                        .unwrap_or(0) as u32);
            }
        }
        m
    }

    fn value_limit(&mut self, s: &S<String>, field: &str) -> Option<ValueLimit> {
        let t = s.get_ref().trim();
        if t == "entry" {
            return Some(ValueLimit::Entry);
        }
        let mut parts = t.split_whitespace();
        let amount = parts
            .next()
            .and_then(|a| a.replace('_', "").parse::<f64>().ok());
        let currency = parts.next().and_then(Currency::parse);
        match (amount, currency, parts.next()) {
            (Some(a), Some(c), None) if a >= 0.0 => Some(ValueLimit::Fixed(a, c)),
            _ => {
                let p = self
                    .problem(s, field, Code::BadNumber, "not a value limit")
                    .value(t)
                    .accepted(format!("`entry` (the row's value_limit) or an amount and a currency, e.g. `5000 EUR` ({})", Currency::accepted()));
                self.diag.push(p);
                None
            }
        }
    }

    fn condition(&mut self, c: Option<&RawCondition>) -> Condition {
        let Some(c) = c else {
            return Condition::default();
        };
        Condition {
            destinations: c
                .destinations
                .as_ref()
                .and_then(|d| self.destinations(d, "when.destinations")),
            end_users: c
                .end_users
                .as_ref()
                .map(|v| self.mask::<EndUser>(v, "end_users")),
            end_uses: c
                .end_uses
                .as_ref()
                .map(|v| self.mask::<EndUse>(v, "end_uses")),
            items: c.items.as_ref().and_then(|v| self.patterns(v, "items")),
            deemed: c.deemed.as_ref().map(|d| *d.get_ref()),
            transactions: c
                .transactions
                .as_ref()
                .map(|v| self.mask::<Transaction>(v, "transactions")),
            value_above: c
                .value_above
                .as_ref()
                .and_then(|v| self.value_limit(v, "value_above")),
        }
    }

    fn policy(&mut self, p: &Option<S<String>>) -> LicencePolicy {
        match p {
            Some(p) => self
                .word::<LicencePolicy>(p, "licence_policy")
                .unwrap_or_default(),
            None => LicencePolicy::Unstated,
        }
    }

    fn outcome(&mut self, id: &S<String>, o: &Option<S<String>>) -> Option<RuleOutcome> {
        let o = self.required(id, o, "outcome")?;
        self.word::<RuleOutcome>(o, "outcome")
    }

    fn up_to(&mut self, u: &Option<S<String>>) -> Outcome {
        let Some(u) = u else {
            return Outcome::LicenceRequired;
        };
        match Outcome::parse(u.get_ref()) {
            Some(o @ (Outcome::Authorised | Outcome::LicenceRequired | Outcome::Prohibited)) => o,
            _ => {
                let p = self
                    .problem(u, "up_to", Code::UnknownWord, "unknown outcome for `up_to`")
                    .value(u.get_ref().clone())
                    .accepted("authorised, licence-required, prohibited");
                self.diag.push(p);
                Outcome::LicenceRequired
            }
        }
    }
}

macro_rules! meta {
    ($ck:expr, $r:expr, $label:expr) => {
        $ck.meta(
            &$r.id,
            $label,
            &$r.citation,
            &$r.confidence,
            &$r.note,
            [
                &$r.valid_from,
                &$r.valid_from_source,
                &$r.valid_to,
                &$r.valid_to_source,
            ],
        )
    };
}

/// Parses and checks `rules.toml` text; every problem goes to `diag`. Rules with problems are
/// left out of the result.
pub(crate) fn check(
    file: &str,
    text: &str,
    origin: &str,
    names: &Names<'_>,
    diag: &mut Diagnostics,
) -> Rules {
    let raw: RawRules = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let mut l = Located::new(file, e.message().to_lowercase()).code(Code::Syntax);
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                l = l.at(line, col);
            }
            diag.push(l);
            return Rules::default();
        }
    };
    let mut ck = Checker {
        file,
        text,
        lines: LineIndex::new(text),
        origin,
        names,
        diag,
    };
    let mut out = Rules::default();
    check_requirements(&mut ck, &raw.requirement, &mut out);
    check_frees(&mut ck, &raw.free, &mut out);
    check_authorisations(&mut ck, &raw.authorisation, &mut out);
    check_catch_alls(&mut ck, &raw.catch_all, &mut out);
    check_overlays(&mut ck, &raw.overlay, &mut out);
    check_reach(&mut ck, &raw.reach, &mut out);
    check_party_lists(&mut ck, &raw.party_list, &mut out);
    out
}

/// Requirements: a licence is required.
fn check_requirements(ck: &mut Checker<'_>, raw: &[RawRequirement], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        let items = r.items.as_ref().and_then(|i| ck.patterns(i, "items"));
        let dest = ck
            .required(&r.id, &r.destinations, "destinations")
            .and_then(|d| ck.destinations(d, "destinations"));
        let policy = ck.policy(&r.licence_policy);
        if r.items.is_none() {
            ck.report(&r.id, "items", Code::Empty, "a requirement needs `items`");
        }
        if let (Some(items), Some(destinations), true) = (items, dest, ck.diag.errors() == n) {
            out.requirements.push(Requirement {
                meta,
                items,
                destinations,
                policy,
            });
        }
    }
}

/// Why no licence is needed.
fn check_frees(ck: &mut Checker<'_>, raw: &[RawFree], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        if r.items.is_none() {
            ck.report(&r.id, "items", Code::Empty, "a free rule needs `items`");
        }
        let items = r.items.as_ref().and_then(|i| ck.patterns(i, "items"));
        let dest = ck
            .required(&r.id, &r.destinations, "destinations")
            .and_then(|d| ck.destinations(d, "destinations"));
        if let (Some(items), Some(destinations), true) = (items, dest, ck.diag.errors() == n) {
            out.frees.push(Free {
                meta,
                items,
                destinations,
            });
        }
    }
}

/// Licence exceptions and general authorisations, with their restrictions.
fn check_authorisations(ck: &mut Checker<'_>, raw: &[RawAuthorisation], out: &mut Rules) {
    for a in raw {
        let n = ck.diag.errors();
        let name = ck
            .required(&a.id, &a.name, "name")
            .map(|s| s.get_ref().clone())
            .unwrap_or_default();
        let meta = meta!(ck, a, None);
        let items = match &a.items {
            Some(i) => ck.patterns(i, "items"),
            None => {
                ck.report(
                    &a.id,
                    "items",
                    Code::Empty,
                    "an authorisation needs `items`",
                );
                None
            }
        };
        let excluded = a
            .excluded_items
            .as_ref()
            .map(|i| ck.patterns(i, "excluded_items"))
            .unwrap_or(Some(Vec::new()));
        let dest = ck
            .required(&a.id, &a.destinations, "destinations")
            .and_then(|d| ck.destinations(d, "destinations"));
        let transactions = match &a.transactions {
            Some(t) if !t.get_ref().is_empty() => ck.mask::<Transaction>(t, "transactions"),
            _ => u32::MAX,
        };
        let effect = match &a.effect {
            Some(e) => ck
                .word::<Effect>(e, "effect")
                .unwrap_or(Effect::MayAuthorise),
            None => Effect::Authorises,
        };
        let max_value = a
            .max_value
            .as_ref()
            .and_then(|v| ck.value_limit(v, "max_value"));
        let mut restrictions = Vec::new();
        for r in &a.restriction {
            let label = ck.required(&r.id, &r.label, "label");
            let rmeta = meta!(ck, r, label);
            let when = ck.condition(r.when.as_ref());
            let unless = r.unless.iter().map(|u| ck.condition(Some(u))).collect();
            restrictions.push(Restriction {
                meta: rmeta,
                when,
                unless,
            });
        }
        if let (Some(items), Some(excluded), Some(destinations), true) =
            (items, excluded, dest, ck.diag.errors() == n)
        {
            out.authorisations.push(Authorisation {
                meta,
                name,
                items,
                excluded,
                destinations,
                transactions,
                only_reasons: a
                    .only_reasons
                    .as_ref()
                    .map(|v| v.get_ref().iter().map(|s| s.get_ref().clone()).collect())
                    .unwrap_or_default(),
                conditions: a
                    .conditions
                    .as_ref()
                    .map(|s| s.get_ref().clone())
                    .unwrap_or_default(),
                condition_code: a
                    .condition_code
                    .as_ref()
                    .map(|s| s.get_ref().clone())
                    .unwrap_or_default(),
                effect,
                max_value,
                restrictions,
            });
        }
    }
}

/// End-use and end-user catch-alls.
fn check_catch_alls(ck: &mut Checker<'_>, raw: &[RawCatchAll], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        let scope = match &r.items {
            Some(i) => ck.scope(i, "items"),
            None => {
                ck.report(&r.id, "items", Code::Empty, "a catch-all needs `items`");
                None
            }
        };
        let when = ck.condition(r.when.as_ref());
        let outcome = ck.outcome(&r.id, &r.outcome);
        let up_to = ck.up_to(&r.up_to);
        let policy = ck.policy(&r.licence_policy);
        if let (Some(scope), Some(outcome), true) = (scope, outcome, ck.diag.errors() == n) {
            out.catch_alls.push(CatchAll {
                meta,
                scope,
                when,
                outcome,
                up_to,
                policy,
            });
        }
    }
}

/// Embargoes and sanctions with their item scope.
fn check_overlays(ck: &mut Checker<'_>, raw: &[RawOverlay], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        let dest = ck
            .required(&r.id, &r.destinations, "destinations")
            .and_then(|d| ck.destinations(d, "destinations"));
        let scope = match &r.items {
            Some(i) => ck.scope(i, "items"),
            None => {
                ck.report(
                    &r.id,
                    "items",
                    Code::Empty,
                    "an overlay needs `items`: its item scope",
                );
                None
            }
        };
        let when = ck.condition(r.when.as_ref());
        let outcome = ck.outcome(&r.id, &r.outcome);
        let up_to = ck.up_to(&r.up_to);
        let policy = ck.policy(&r.licence_policy);
        if let (Some(destinations), Some(scope), Some(outcome), true) =
            (dest, scope, outcome, ck.diag.errors() == n)
        {
            out.overlays.push(Overlay {
                meta,
                destinations,
                scope,
                when,
                outcome,
                up_to,
                policy,
                deemed: r.deemed.as_ref().map(|d| *d.get_ref()).unwrap_or(true),
            });
        }
    }
}

/// When this law follows items out of other states.
fn check_reach(ck: &mut Checker<'_>, raw: &[RawReach], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        let kind = ck
            .required(&r.id, &r.kind, "kind")
            .and_then(|k| ck.word::<ReachKind>(k, "kind"));
        let dest = ck
            .required(&r.id, &r.destinations, "destinations")
            .and_then(|d| ck.destinations(d, "destinations"));
        let threshold = match (&kind, &r.threshold_pct) {
            (Some(ReachKind::DeMinimis), Some(t)) if (0.0..=100.0).contains(t.get_ref()) => {
                *t.get_ref()
            }
            (Some(ReachKind::DeMinimis), Some(t)) => {
                ck.report(
                    t,
                    "threshold_pct",
                    Code::BadNumber,
                    "a percentage from 0 to 100",
                );
                0.0
            }
            (Some(ReachKind::DeMinimis), None) => {
                ck.report(
                    &r.id,
                    "threshold_pct",
                    Code::Empty,
                    "a de minimis rule needs `threshold_pct`",
                );
                0.0
            }
            _ => 0.0,
        };
        if let (Some(kind), Some(destinations), true) = (kind, dest, ck.diag.errors() == n) {
            out.reach.push(Reach {
                meta,
                kind,
                threshold_pct: threshold,
                destinations,
            });
        }
    }
}

/// What a hit on a party list does.
fn check_party_lists(ck: &mut Checker<'_>, raw: &[RawPartyList], out: &mut Rules) {
    for r in raw {
        let n = ck.diag.errors();
        let label = ck.required(&r.id, &r.label, "label");
        let meta = meta!(ck, r, label);
        let list = ck
            .required(&r.id, &r.list, "list")
            .map(|s| s.get_ref().clone());
        let effect = ck
            .required(&r.id, &r.effect, "effect")
            .and_then(|e| ck.word::<PartyEffect>(e, "effect"));
        if let (Some(list), Some(effect), true) = (list, effect, ck.diag.errors() == n) {
            out.party_lists.push(PartyList {
                meta,
                list,
                effect,
                condition: r
                    .condition
                    .as_ref()
                    .map(|s| s.get_ref().clone())
                    .unwrap_or_default(),
            });
        }
    }
}

/// The fields of every rule table (for the schema test).
pub(crate) fn schema_fields() -> Vec<(&'static str, Vec<String>)> {
    fn fields<T: serde::de::DeserializeOwned>() -> Vec<String> {
        let err = match toml::from_str::<T>("zz_unknown_field = 1") {
            Ok(_) => return Vec::new(),
            Err(e) => e.message().to_string(),
        };
        let Some(list) = err
            .split("expected one of ")
            .nth(1)
            .or_else(|| err.split("expected ").nth(1))
        else {
            return Vec::new();
        };
        list.split(',')
            .map(|f| f.trim().trim_matches('`').to_string())
            .filter(|f| !f.is_empty())
            .collect()
    }
    vec![
        ("rules.toml", fields::<RawRules>()),
        ("[[requirement]]", fields::<RawRequirement>()),
        ("[[free]]", fields::<RawFree>()),
        ("[[authorisation]]", fields::<RawAuthorisation>()),
        ("[[authorisation.restriction]]", fields::<RawRestriction>()),
        ("[[catch_all]]", fields::<RawCatchAll>()),
        ("[[overlay]]", fields::<RawOverlay>()),
        ("[[reach]]", fields::<RawReach>()),
        ("[[party_list]]", fields::<RawPartyList>()),
        ("condition (`when`, `unless`)", fields::<RawCondition>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, line_col};

    /// The line index gives the positions that counting from the top gives, at every character
    /// boundary (first line, line starts, multi-byte characters, the end, past the end).
    #[test]
    fn line_index_agrees_with_counting() {
        let text = "a = 1\n\n[[rule]]\nnote = \"Ausfuhr – Güter\"\r\nx\n";
        let index = LineIndex::new(text);
        for at in (0..=text.len() + 3).filter(|&i| i > text.len() || text.is_char_boundary(i)) {
            assert_eq!(index.line_col(text, at), line_col(text, at), "offset {at}");
        }
    }
}
