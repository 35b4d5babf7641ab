//! The closed vocabularies of the scenario contract and of the datasets. Every vocabulary is
//! an enum with its words; accepted-value lists in messages are derived from them.

/// A closed vocabulary: an enum whose values are written as fixed words.
pub trait Word: Copy + Sized + 'static {
    /// Every value, in documentation order.
    const VALUES: &'static [Self];
    /// Every accepted word, in the order of `VALUES`.
    const WORDS: &'static [&'static str];
    /// What the vocabulary is called in messages (`end user`).
    const NAME: &'static str;

    /// The word for this value.
    fn as_str(self) -> &'static str;

    /// The value for an exact word.
    fn parse(s: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .position(|w| *w == s)
            .map(|i| Self::VALUES[i])
    }

    /// The accepted words, comma-separated, for error messages.
    fn accepted() -> String {
        Self::WORDS.join(", ")
    }
}

/// Declares a vocabulary enum implementing [`Word`].
#[macro_export]
#[doc(hidden)]
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $label:literal, { $($(#[$vdoc:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $crate::model::Word for $name {
            const VALUES: &'static [$name] = &[$($name::$variant),+];
            const WORDS: &'static [&'static str] = &[$($word),+];
            const NAME: &'static str = $label;
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl $name {
            /// Every value, in documentation order.
            pub const VALUES: &'static [$name] = <$name as $crate::model::Word>::VALUES;

            /// The word for this value.
            pub fn as_str(self) -> &'static str {
                <$name as $crate::model::Word>::as_str(self)
            }

            /// The value for an exact word.
            pub fn parse(s: &str) -> Option<$name> {
                <$name as $crate::model::Word>::parse(s)
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

crate::vocabulary!(
    /// Who receives the item (the scenario column `end_user`).
    EndUser, "end user", {
        /// A privately owned firm (the default).
        Commercial => "commercial",
        /// A body performing governmental functions, incl. state-run hospitals and institutes.
        Government => "government",
        /// Police, judicial and other law-enforcement bodies.
        LawEnforcement => "law-enforcement",
        /// A national computer security incident response team.
        Csirt => "csirt",
        /// Armed forces and defence bodies.
        Military => "military",
        /// A privately owned bank or financial-services firm.
        Financial => "financial",
        /// A privately owned insurer.
        Insurance => "insurance",
        /// A privately run civil health or medical institution.
        Health => "health",
        /// The foreign subsidiary of a US company.
        UsSubsidiary => "us-subsidiary",
        /// A privately run university or research institute.
        Academic => "academic",
        /// A natural person.
        Individual => "individual",
        /// A utility, transport hub or service, or retail or wholesale firm in which a
        /// government holds at least 25 % of the voting securities or may appoint a majority
        /// of the board.
        StateOwned => "state-owned",
    }
);

crate::vocabulary!(
    /// What the item will be used for, as far as the exporter knows or has been told.
    EndUse, "end use", {
        /// Nothing known (the default).
        Unspecified => "unspecified",
        /// Vulnerability disclosure.
        VulnerabilityDisclosure => "vulnerability-disclosure",
        /// Cyber incident response.
        IncidentResponse => "incident-response",
        /// Affecting systems without the owner's authorisation.
        UnauthorisedAccess => "unauthorised-access",
        /// The exporter was informed, or knows, of use for internal repression or serious
        /// violations of human rights or international humanitarian law.
        InternalRepression => "internal-repression",
        /// A military end use.
        Military => "military",
        /// Weapons of mass destruction or their delivery systems.
        Wmd => "wmd",
    }
);

crate::vocabulary!(
    /// The kind of transaction, so that authorisations limited to some kinds can apply.
    Transaction, "transaction type", {
        /// A plain export (the default).
        Export => "export",
        /// Return after repair or replacement.
        RepairReturn => "repair-return",
        /// Temporary export for an exhibition or fair.
        Exhibition => "exhibition",
        /// Transfer within one corporate group.
        IntraGroup => "intra-group",
        /// Brokering between third countries.
        Brokering => "brokering",
    }
);

crate::vocabulary!(
    /// Currencies accepted in the scenario column `currency` (ISO 4217).
    Currency, "currency", {
        /// US dollar.
        Usd => "USD",
        /// Euro.
        Eur => "EUR",
        /// Pound sterling.
        Gbp => "GBP",
        /// Japanese yen.
        Jpy => "JPY",
        /// Canadian dollar.
        Cad => "CAD",
        /// Swiss franc.
        Chf => "CHF",
        /// Australian dollar.
        Aud => "AUD",
        /// Norwegian krone.
        Nok => "NOK",
        /// New Zealand dollar.
        Nzd => "NZD",
        /// South Korean won.
        Krw => "KRW",
        /// Indian rupee.
        Inr => "INR",
        /// Swedish krona.
        Sek => "SEK",
        /// Danish krone.
        Dkk => "DKK",
        /// Polish złoty.
        Pln => "PLN",
        /// Czech koruna.
        Czk => "CZK",
        /// Israeli new shekel.
        Ils => "ILS",
        /// Singapore dollar.
        Sgd => "SGD",
    }
);
