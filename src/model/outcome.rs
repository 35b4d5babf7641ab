//! Outcome words, confidence levels and licensing policies of the determination contract.

use crate::model::Word;

crate::vocabulary!(
    /// The outcome of a determination. The declaration order is the strictness order of the
    /// five definite outcomes (`not-listed < no-licence-required < authorised <
    /// licence-required < prohibited`); `indeterminate` and `not-applicable` stand outside it.
    Outcome, "outcome", {
        /// The item is on no list of the jurisdiction, and no catch-all applies.
        NotListed => "not-listed",
        /// Listed, but no authorisation is needed for this destination.
        NoLicenceRequired => "no-licence-required",
        /// A licence is required and a general authorisation or licence exception covers it.
        Authorised => "authorised",
        /// An individual licence is needed.
        LicenceRequired => "licence-required",
        /// An outright ban.
        Prohibited => "prohibited",
        /// The data cannot decide; the reasons say what is missing.
        Indeterminate => "indeterminate",
        /// Not an export: the destination is inside the exporting state.
        NotApplicable => "not-applicable",
    }
);

impl Outcome {
    /// Every outcome, in declaration order.
    pub const ALL: [Outcome; 7] = [
        Outcome::NotListed,
        Outcome::NoLicenceRequired,
        Outcome::Authorised,
        Outcome::LicenceRequired,
        Outcome::Prohibited,
        Outcome::Indeterminate,
        Outcome::NotApplicable,
    ];

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

crate::vocabulary!(
    /// How a rule was established. Ordered from weakest to strongest, so the confidence of a
    /// determination is the minimum over the rules it used.
    Confidence, "confidence", {
        /// Modelled from the Wassenaar baseline without a national source.
        Assumed => "assumed",
        /// From official guidance or reputable secondary sources.
        Secondary => "secondary",
        /// Read from the legal text.
        Primary => "primary",
    }
);

// The enum comes from `vocabulary!`, which has no `#[default]` slot.
#[allow(clippy::derivable_impls)]
impl Default for Confidence {
    fn default() -> Self {
        Confidence::Primary
    }
}

/// Licensing policy for a required licence, where the law states one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum LicencePolicy {
    /// The law states no policy (written as an empty cell).
    #[default]
    Unstated,
    /// Applications reviewed case by case.
    CaseByCase,
    /// A presumption or policy of denial.
    Denial,
    /// A presumption or policy of approval.
    Approval,
}

impl Word for LicencePolicy {
    const VALUES: &'static [Self] = &[
        LicencePolicy::CaseByCase,
        LicencePolicy::Denial,
        LicencePolicy::Approval,
    ];
    const WORDS: &'static [&'static str] = &["case-by-case", "denial", "approval"];
    const NAME: &'static str = "licence policy";

    fn as_str(self) -> &'static str {
        match self {
            LicencePolicy::Unstated => "",
            LicencePolicy::CaseByCase => "case-by-case",
            LicencePolicy::Denial => "denial",
            LicencePolicy::Approval => "approval",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "" => Some(LicencePolicy::Unstated),
            "case-by-case" => Some(LicencePolicy::CaseByCase),
            "denial" => Some(LicencePolicy::Denial),
            "approval" => Some(LicencePolicy::Approval),
            _ => None,
        }
    }
}

impl LicencePolicy {
    /// The word (empty when unstated).
    pub fn as_str(self) -> &'static str {
        <Self as Word>::as_str(self)
    }
}
