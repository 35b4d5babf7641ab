//! The closed vocabularies of the scenario contract (DESIGN.md "Scenarios").

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $all:ident, { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        /// Every accepted word, in contract order.
        pub const $all: &[&str] = &[$($word),+];

        impl $name {
            pub const VALUES: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($word => Some($name::$variant),)+ _ => None }
            }

            /// Bit for masks (`1 << index`).
            pub fn bit(self) -> u32 {
                1 << (self as u32)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Who receives the item. `government`, `law-enforcement`, `csirt` and `military` are
    /// government end users (ACE's definition, DESIGN.md Clarifications).
    EndUser, END_USERS, {
        Commercial => "commercial",
        Government => "government",
        LawEnforcement => "law-enforcement",
        Csirt => "csirt",
        Military => "military",
        Financial => "financial",
        Insurance => "insurance",
        Health => "health",
        UsSubsidiary => "us-subsidiary",
        Academic => "academic",
        Individual => "individual",
    }
);

vocabulary!(
    /// What the item will be used for, as far as the exporter knows or has been told.
    EndUse, END_USES, {
        Unspecified => "unspecified",
        VulnerabilityDisclosure => "vulnerability-disclosure",
        IncidentResponse => "incident-response",
        UnauthorisedAccess => "unauthorised-access",
        InternalRepression => "internal-repression",
        Military => "military",
        Wmd => "wmd",
    }
);

vocabulary!(
    /// The kind of transaction, so that authorisations limited to some kinds can apply.
    Transaction, TRANSACTIONS, {
        Export => "export",
        RepairReturn => "repair-return",
        Exhibition => "exhibition",
        IntraGroup => "intra-group",
        Brokering => "brokering",
    }
);

impl EndUser {
    /// Government end users in ACE's sense (15 CFR 740.22(b)(4)).
    pub fn is_government(self) -> bool {
        matches!(
            self,
            EndUser::Government | EndUser::LawEnforcement | EndUser::Csirt | EndUser::Military
        )
    }
}
