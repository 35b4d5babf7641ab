use std::fmt;

/// The outcome of a determination (DESIGN.md "Determinations", DOMAIN.md §6).
///
/// The declaration order is the strictness order for the five definite outcomes:
/// `not-listed < no-licence-required < authorised < licence-required < prohibited`.
/// `indeterminate` and `not-applicable` are outside that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    NotListed,
    NoLicenceRequired,
    Authorised,
    LicenceRequired,
    Prohibited,
    Indeterminate,
    NotApplicable,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::NotListed,
        Outcome::NoLicenceRequired,
        Outcome::Authorised,
        Outcome::LicenceRequired,
        Outcome::Prohibited,
        Outcome::Indeterminate,
        Outcome::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotListed => "not-listed",
            Outcome::NoLicenceRequired => "no-licence-required",
            Outcome::Authorised => "authorised",
            Outcome::LicenceRequired => "licence-required",
            Outcome::Prohibited => "prohibited",
            Outcome::Indeterminate => "indeterminate",
            Outcome::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Strictness rank for the five ordered outcomes; `None` for `indeterminate` and
    /// `not-applicable`, which are neither stricter nor looser than anything.
    pub fn strictness(self) -> Option<u8> {
        match self {
            Outcome::NotListed => Some(0),
            Outcome::NoLicenceRequired => Some(1),
            Outcome::Authorised => Some(2),
            Outcome::LicenceRequired => Some(3),
            Outcome::Prohibited => Some(4),
            Outcome::Indeterminate | Outcome::NotApplicable => None,
        }
    }

    /// Whether this outcome lets the transaction go ahead without an individual licence.
    pub fn is_clearance(self) -> bool {
        matches!(
            self,
            Outcome::NotListed | Outcome::NoLicenceRequired | Outcome::Authorised
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule was established (DESIGN.md "Confidence"). Ordered from weakest to strongest, so
/// the confidence of a determination is the minimum over the rules it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Confidence {
    Assumed,
    Secondary,
    #[default]
    Primary,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Assumed => "assumed",
            Confidence::Secondary => "secondary",
            Confidence::Primary => "primary",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "" | "primary" => Some(Confidence::Primary),
            "secondary" => Some(Confidence::Secondary),
            "assumed" => Some(Confidence::Assumed),
            _ => None,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Licensing policy for a required licence, where the law states one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LicencePolicy {
    #[default]
    Unstated,
    CaseByCase,
    Denial,
    Approval,
}

impl LicencePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            LicencePolicy::Unstated => "",
            LicencePolicy::CaseByCase => "case-by-case",
            LicencePolicy::Denial => "denial",
            LicencePolicy::Approval => "approval",
        }
    }

    pub fn parse(s: &str) -> Option<LicencePolicy> {
        match s {
            "" => Some(LicencePolicy::Unstated),
            "case-by-case" => Some(LicencePolicy::CaseByCase),
            "denial" => Some(LicencePolicy::Denial),
            "approval" => Some(LicencePolicy::Approval),
            _ => None,
        }
    }
}
