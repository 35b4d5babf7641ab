//! Screening end-user names against the bundled party lists.
//!
//! Names are compared after normalisation: case, accents and punctuation are ignored, and
//! legal-form suffixes (`Ltd.`, `S.A.`, `GmbH`, `PTE. LTD.`, `Zrt`, …) are dropped from the
//! end. An exact match of the normalised name or an alias is a hit whatever the address
//! country. A near match needs a person's review: every distinctive word of the listed name
//! appears in the name given (or, for names of two or more distinctive words, every
//! distinctive word given appears in the listed name). Generic words (`Security`,
//! `Technologies`, `Group`, `Trading`, …) and words shared by very many listed names are not
//! distinctive, so names that share only such words are never flagged.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::data::normalise_name;
use crate::engine::compile::World;
use crate::model::PartyHit;

/// Legal-form words dropped from the end of a name (after punctuation is removed, `S.A.`
/// is `s a`, joined to `sa`).
const LEGAL_FORMS: &[&str] = &[
    "ltd",
    "limited",
    "sa",
    "ag",
    "gmbh",
    "mbh",
    "pte",
    "pty",
    "pvt",
    "private",
    "llc",
    "llp",
    "lp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "bv",
    "nv",
    "srl",
    "spa",
    "sarl",
    "sas",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "kft",
    "zrt",
    "nyrt",
    "rt",
    "ad",
    "ead",
    "ood",
    "ooo",
    "oao",
    "zao",
    "pao",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "kg",
    "se",
    "sro",
    "spol",
    "sp",
    "zoo",
    "doo",
    "dd",
    "bhd",
    "sdn",
    "tbk",
    "pt",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "est",
    "wll",
    "kk",
    "yk",
    "ltda",
    "cia",
    "sl",
    "sae",
    "ae",
    "oe",
    "ee",
    "ike",
    "eurl",
    "sca",
    "scs",
    "snc",
    "gie",
];

/// Words that say what a firm is, not which firm: never distinctive on their own.
const GENERIC: &[&str] = &[
    "security",
    "securities",
    "technology",
    "technologies",
    "tech",
    "group",
    "trading",
    "trade",
    "international",
    "intl",
    "holding",
    "holdings",
    "systems",
    "system",
    "solutions",
    "solution",
    "services",
    "service",
    "global",
    "industries",
    "industry",
    "industrial",
    "enterprise",
    "enterprises",
    "company",
    "corporation",
    "electronics",
    "electronic",
    "engineering",
    "import",
    "export",
    "and",
    "the",
    "of",
    "for",
    "de",
    "la",
    "le",
    "du",
    "des",
    "el",
    "al",
    "y",
    "et",
    "und",
    "research",
    "institute",
    "science",
    "scientific",
    "development",
    "network",
    "networks",
    "software",
    "digital",
    "data",
    "cyber",
    "information",
    "consulting",
    "consultancy",
    "management",
    "investment",
    "investments",
    "capital",
    "partners",
    "logistics",
    "shipping",
    "general",
    "new",
    "world",
    "bank",
    "center",
    "centre",
    "national",
    "state",
    "university",
    "academy",
    "office",
    "ministry",
    "department",
    "branch",
    "factory",
    "plant",
    "limited",
    "communication",
    "communications",
    "telecom",
    "telecommunications",
    "defense",
    "defence",
    "aviation",
    "energy",
    "petroleum",
    "oil",
    "gas",
    "machinery",
    "equipment",
    "materials",
    "material",
    "chemical",
    "chemicals",
    "supply",
    "supplies",
    "products",
    "product",
    "commercial",
    "manufacturing",
    "sales",
    "marketing",
    "agency",
    "foundation",
    "association",
    "tehran",
    "moscow",
    "beijing",
    "shanghai",
    "shenzhen",
    "hong",
    "kong",
    "dubai",
];

fn is_legal_form(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| LEGAL_FORMS.iter().copied().collect())
        .contains(word)
}

/// Whether every word of `a` is in `b` (both sorted, without repeats).
fn is_subset(a: &[String], b: &[String]) -> bool {
    let mut rest = b.iter();
    'outer: for x in a {
        for y in rest.by_ref() {
            match y.cmp(x) {
                std::cmp::Ordering::Less => continue,
                std::cmp::Ordering::Equal => continue 'outer,
                std::cmp::Ordering::Greater => return false,
            }
        }
        return false;
    }
    true
}

/// Words shared by more listed names than this are not distinctive.
const COMMON_LIMIT: usize = 120;

/// The normalised key of a name: folded, legal forms dropped from the end.
pub fn name_key(name: &str) -> String {
    split_key(name).0
}

/// Legal forms written differently but meaning the same.
fn same_form(word: &str) -> &str {
    match word {
        "limited" => "ltd",
        "incorporated" => "inc",
        "corporation" => "corp",
        "company" => "co",
        other => other,
    }
}

/// The key and the legal form that was dropped from it (`intellexa`, `sa`).
fn split_key(name: &str) -> (String, String) {
    let folded = normalise_name(name);
    // The key is built in place: words separated by one space, runs of single letters
    // (`s a`, `p t e`) joined into one word (`sa`, `pte`).
    let mut key = String::with_capacity(folded.len());
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut in_run = false;
    for t in folded.split(' ').filter(|t| !t.is_empty()) {
        if t.len() == 1 && in_run {
            key.push_str(t);
            if let Some(w) = words.last_mut() {
                w.1 = key.len();
            }
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        words.push((key.len(), key.len() + t.len()));
        key.push_str(t);
        in_run = t.len() == 1;
    }
    let mut form: Vec<&str> = Vec::new();
    let mut end = key.len();
    while words.len() > 1 {
        let Some(&(a, b)) = words.last() else { break };
        if !is_legal_form(&key[a..b]) {
            break;
        }
        form.push(same_form(&key[a..b]));
        words.pop();
        end = words.last().map_or(0, |w| w.1);
    }
    form.reverse();
    let form = form.join(" ");
    key.truncate(end);
    (key, form)
}

/// The name index of the party lists: built once per run, on first use.
#[derive(Debug, Default)]
pub struct Screening {
    exact: FxHashMap<String, Vec<(u32, String)>>,
    /// Every word the index knows: the distinctive words of listed names with the parties
    /// that use them, and the words that are never distinctive.
    tokens: FxHashMap<Box<[u8]>, Token>,
    distinctive: Vec<Vec<Vec<String>>>,
    /// Per party: the fewest distinctive words of one of its names (`usize::MAX`: none).
    fewest: Vec<usize>,
    common: FxHashSet<String>,
}

/// What the index knows of a word.
#[derive(Debug, Clone, Default)]
struct Token {
    /// Generic, a legal form, or shared by too many listed names: never distinctive.
    plain: bool,
    /// A legal form (dropped from the end of a name).
    form: bool,
    /// The parties with a name of which it is a distinctive word, ascending.
    parties: Vec<u32>,
}

/// Longest name (bytes) and most words the allocation-free path handles; longer names take
/// the general path.
const FAST_BYTES: usize = 192;
const FAST_WORDS: usize = 24;

impl Screening {
    /// Builds the index over `names` (per party: its name and aliases).
    pub fn build<'a>(names: impl Iterator<Item = Vec<&'a str>>) -> Screening {
        use rayon::prelude::*;
        let names: Vec<Vec<&str>> = names.collect();
        let mut s = Screening::default();
        // Folding every name is the bulk of the work, and independent per party.
        let pairs_per_party: Vec<Vec<(String, String)>> = names
            .par_iter()
            .with_min_len(256)
            .map(|ns| {
                let mut pairs: Vec<(String, String)> = ns
                    .iter()
                    .map(|n| split_key(n))
                    .filter(|(k, _)| !k.is_empty())
                    .collect();
                pairs.sort();
                pairs.dedup();
                pairs
            })
            .collect();
        let mut keys_per_party: Vec<Vec<String>> = Vec::with_capacity(pairs_per_party.len());
        for (i, pairs) in pairs_per_party.into_iter().enumerate() {
            let mut keys: Vec<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
            keys.dedup();
            for (k, form) in pairs {
                s.exact.entry(k).or_default().push((i as u32, form));
            }
            keys_per_party.push(keys);
        }
        // How many parties use each word (once per party).
        let mut df: FxHashMap<&str, usize> = FxHashMap::default();
        let mut seen: Vec<&str> = Vec::new();
        for keys in &keys_per_party {
            seen.clear();
            seen.extend(keys.iter().flat_map(|k| k.split(' ')));
            seen.sort_unstable();
            seen.dedup();
            for t in &seen {
                *df.entry(t).or_default() += 1;
            }
        }
        s.common = df
            .into_iter()
            .filter(|(_, n)| *n > COMMON_LIMIT)
            .map(|(t, _)| t.to_string())
            .collect();
        // Words never distinctive first, so one lookup tells a word's class.
        for w in GENERIC
            .iter()
            .copied()
            .chain(s.common.iter().map(String::as_str))
        {
            s.tokens.entry(w.as_bytes().into()).or_default().plain = true;
        }
        for w in LEGAL_FORMS {
            let e = s.tokens.entry(w.as_bytes().into()).or_default();
            e.plain = true;
            e.form = true;
        }
        let distinctive: Vec<Vec<Vec<String>>> = keys_per_party
            .par_iter()
            .with_min_len(256)
            .map(|keys| keys.iter().map(|k| s.distinctive_words(k)).collect())
            .collect();
        for (i, per) in distinctive.into_iter().enumerate() {
            for d in &per {
                for t in d {
                    match s.tokens.get_mut(t.as_bytes()) {
                        Some(v) => {
                            if v.parties.last() != Some(&(i as u32)) {
                                v.parties.push(i as u32);
                            }
                        }
                        None => {
                            s.tokens.insert(
                                t.as_bytes().into(),
                                Token {
                                    parties: vec![i as u32],
                                    ..Token::default()
                                },
                            );
                        }
                    }
                }
            }
            s.fewest.push(
                per.iter()
                    .map(Vec::len)
                    .filter(|&n| n > 0)
                    .min()
                    .unwrap_or(usize::MAX),
            );
            s.distinctive.push(per);
        }
        s
    }

    fn distinctive_words(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = key
            .split(' ')
            .filter(|t| t.len() >= 2 && self.tokens.get(t.as_bytes()).is_none_or(|x| !x.plain))
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The common case without allocating: an ASCII name whose normalised key is no listed
    /// name and none of whose distinctive words is in a listed name has no hit (`Some(empty)`).
    /// `None`: the general path must decide. Same folding as [`normalise_name`] and
    /// [`split_key`], and the same rule as [`Screening::screen`], so both agree on every name.
    fn screen_fast(&self, name: &[u8]) -> Option<()> {
        if name.len() > FAST_BYTES {
            return None;
        }
        // Folded words: lowercase ASCII letters and digits; separators split, other marks
        // are dropped.
        let mut folded = [0u8; FAST_BYTES];
        let mut n = 0;
        let mut raw: [(u8, u8); FAST_WORDS] = [(0, 0); FAST_WORDS];
        let mut words = 0;
        let mut space = false;
        for &b in name {
            if b >= 0x80 {
                return None;
            }
            if b.is_ascii_alphanumeric() {
                if words == 0 || space {
                    if words == FAST_WORDS {
                        return None;
                    }
                    raw[words] = (n as u8, n as u8);
                    words += 1;
                }
                space = false;
                folded[n] = b.to_ascii_lowercase();
                n += 1;
                raw[words - 1].1 = n as u8;
            } else if b.is_ascii_whitespace()
                || b == 0x0b
                || matches!(
                    b,
                    b',' | b'-' | b'_' | b'/' | b'(' | b')' | b'.' | b'&' | b'\'' | b'"'
                )
            {
                space = true;
            }
            // Other marks (and control characters) are dropped inside a word.
        }
        // Runs of single letters are one word (`s a` is `sa`).
        let mut key = [0u8; FAST_BYTES + FAST_WORDS];
        let mut k = 0;
        let mut toks: [(u16, u16); FAST_WORDS] = [(0, 0); FAST_WORDS];
        let mut t = 0;
        let mut in_run = false;
        for &(a, b) in &raw[..words] {
            let w = &folded[a as usize..b as usize];
            if w.len() == 1 && in_run {
                key[k] = w[0];
                k += 1;
                toks[t - 1].1 = k as u16;
                continue;
            }
            if t > 0 {
                key[k] = b' ';
                k += 1;
            }
            key[k..k + w.len()].copy_from_slice(w);
            toks[t] = (k as u16, (k + w.len()) as u16);
            k += w.len();
            t += 1;
            in_run = w.len() == 1;
        }
        let word = |i: usize| {
            let (a, b) = toks[i];
            &key[a as usize..b as usize]
        };
        // Legal forms dropped from the end.
        while t > 1 && self.tokens.get(word(t - 1)).is_some_and(|w| w.form) {
            t -= 1;
        }
        if t == 0 {
            return Some(());
        }
        let end = toks[t - 1].1 as usize;
        let Ok(whole) = std::str::from_utf8(&key[..end]) else {
            return None;
        };
        if self.exact.contains_key(whole) {
            return None;
        }
        // The distinctive words given, and the listed names that share one of them.
        let mut given: [&[u8]; FAST_WORDS] = [&[]; FAST_WORDS];
        let mut g = 0;
        let mut shared = false;
        for i in 0..t {
            let w = word(i);
            if w.len() < 2 || given[..g].contains(&w) {
                continue;
            }
            match self.tokens.get(w) {
                Some(x) if x.plain => {}
                Some(x) => {
                    given[g] = w;
                    g += 1;
                    shared |= !x.parties.is_empty();
                }
                None => {
                    given[g] = w;
                    g += 1;
                }
            }
        }
        if !shared {
            return Some(());
        }
        // A party can be a near match only when it shares every given word, or one of its
        // names has no more distinctive words than it shares (the general path's test).
        let mut parties: Vec<u32> = Vec::new();
        for w in &given[..g] {
            if let Some(x) = self.tokens.get(*w) {
                parties.extend_from_slice(&x.parties);
            }
        }
        parties.sort_unstable();
        let mut at = 0;
        while at < parties.len() {
            let p = parties[at];
            let k = parties[at..].iter().take_while(|&&q| q == p).count();
            at += k;
            if k == g || self.fewest.get(p as usize).is_some_and(|&f| f <= k) {
                return None;
            }
        }
        Some(())
    }

    /// Hits for `name`: exact matches, then near matches, each party once, in party order.
    /// The same name under another legal form (`Intellexa S.A.` given, `Intellexa Limited`
    /// listed) is a near match.
    pub fn screen(&self, name: &str) -> Vec<PartyHit> {
        if self.screen_fast(name.as_bytes()).is_some() {
            return Vec::new();
        }
        self.screen_general(name)
    }

    /// [`Screening::screen`] without the allocation-free shortcut.
    fn screen_general(&self, name: &str) -> Vec<PartyHit> {
        let (key, form) = split_key(name);
        if key.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<PartyHit> = Vec::new();
        if let Some(ps) = self.exact.get(&key) {
            for (p, listed_form) in ps {
                let exact = form.is_empty() || listed_form.is_empty() || *listed_form == form;
                match hits.iter_mut().find(|h| h.party == *p) {
                    Some(h) => h.exact |= exact,
                    None => hits.push(PartyHit { party: *p, exact }),
                }
            }
        }
        let given = self.distinctive_words(&key);
        if given.is_empty() {
            return sorted(hits);
        }
        let mut candidates: Vec<u32> = Vec::new();
        for t in &given {
            if let Some(x) = self.tokens.get(t.as_bytes()) {
                candidates.extend(x.parties.iter().copied());
            }
        }
        candidates.sort_unstable();
        // A party listed under k of the given words can be a near match only when one of its
        // names has at most k distinctive words (all of them given) or k is every given word
        // (all given words in one of its names): most candidates share one word and stop here.
        let mut runs: Vec<u32> = Vec::new();
        let mut at = 0;
        while at < candidates.len() {
            let p = candidates[at];
            let k = candidates[at..].iter().take_while(|&&q| q == p).count();
            at += k;
            if k == given.len() || self.fewest.get(p as usize).is_some_and(|&f| f <= k) {
                runs.push(p);
            }
        }
        for p in runs {
            if hits.iter().any(|h| h.party == p) {
                continue;
            }
            let near = self.distinctive[p as usize].iter().any(|listed| {
                if listed.is_empty() {
                    return false;
                }
                // Both word lists are sorted, without repeats.
                let listed_in_given =
                    is_subset(listed, &given) && listed.iter().any(|t| t.len() >= 3);
                let given_in_listed = given.len() >= 2 && is_subset(&given, listed);
                listed_in_given || given_in_listed
            });
            if near {
                hits.push(PartyHit {
                    party: p,
                    exact: false,
                });
            }
        }
        sorted(hits)
    }
}

fn sorted(mut hits: Vec<PartyHit>) -> Vec<PartyHit> {
    hits.sort_by_key(|h| (!h.exact, h.party));
    hits
}

impl World {
    /// The party-list index (built on first use).
    pub fn screening(&self) -> &Screening {
        self.screening.get_or_init(|| {
            Screening::build(self.parties().list.iter().map(|(_, p)| {
                std::iter::once(p.name.as_str())
                    .chain(p.aliases.iter().map(String::as_str))
                    .collect()
            }))
        })
    }

    /// Party-list hits for an end user's name. Matching ignores invisible and control
    /// characters. Fails when a party file is bad.
    pub fn screen(&self, name: &str) -> crate::error::Result<Vec<PartyHit>> {
        if !self.parties().problems.is_empty() {
            return Err(crate::error::Error::Datasets(
                self.parties().problems.clone(),
            ));
        }
        let hidden = |c: char| c.is_control() || crate::error::is_invisible(c);
        if name.bytes().all(|b| (0x20..0x7f).contains(&b)) || !name.chars().any(hidden) {
            return Ok(self.screening().screen(name));
        }
        let clean: String = name.chars().filter(|c| !hidden(*c)).collect();
        Ok(self.screening().screen(&clean))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_legal_forms_and_punctuation() {
        assert_eq!(name_key("Intellexa S.A."), "intellexa");
        assert_eq!(name_key("INTELLEXA LTD."), "intellexa");
        assert_eq!(
            name_key("Computer Security Initiative Consultancy PTE. LTD."),
            "computer security initiative consultancy"
        );
        assert_eq!(name_key("Cytrox Holdings Zrt"), "cytrox holdings");
        assert_eq!(name_key("Ltd"), "ltd");
    }

    #[test]
    fn generic_words_never_match() {
        let s = Screening::build(
            vec![
                vec!["Positive Technologies"],
                vec!["NSO Group"],
                vec!["Intellexa S.A.", "Intellexa Anonymi Etaireia"],
            ]
            .into_iter(),
        );
        assert!(s.screen("Acme Security S.A.").is_empty());
        assert!(s.screen("Global Technologies Group").is_empty());
        assert_eq!(
            s.screen("intellexa sa"),
            vec![PartyHit {
                party: 2,
                exact: true
            }]
        );
        assert_eq!(
            s.screen("Intellexa Anonymi Etaireia"),
            vec![PartyHit {
                party: 2,
                exact: true
            }]
        );
        assert_eq!(
            s.screen("NSO Group Technologies"),
            vec![PartyHit {
                party: 1,
                exact: false
            }]
        );
        assert_eq!(
            s.screen("Positive Tech Research"),
            vec![PartyHit {
                party: 0,
                exact: false
            }]
        );
    }

    /// The allocation-free path never answers "no hit" where the general path finds one, on
    /// names built from listed words, generic words, legal forms, invented words, single
    /// letters, punctuation, control characters and odd spacing.
    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        use proptest::prelude::*;
        let s = Screening::build(
            vec![
                vec!["Positive Technologies"],
                vec!["NSO Group", "Q Cyber Technologies"],
                vec!["Intellexa S.A.", "Intellexa Anonymi Etaireia"],
                vec!["Computer Security Initiative Consultancy PTE. LTD."],
                vec!["Cytrox Holdings Zrt"],
                vec!["Global Technologies"],
                vec!["A B C Trading"],
            ]
            .into_iter(),
        );
        let pieces = [
            "Positive",
            "Technologies",
            "NSO",
            "Group",
            "Q",
            "Cyber",
            "Intellexa",
            "S.A.",
            "SA",
            "Anonymi",
            "Etaireia",
            "Computer",
            "Security",
            "Initiative",
            "Consultancy",
            "PTE.",
            "LTD.",
            "Cytrox",
            "Holdings",
            "Zrt",
            "Global",
            "A",
            "B",
            "C",
            "Trading",
            "Nordwind",
            "Kestrel",
            "GmbH",
            "Inc.",
            "x",
            "1",
            "&",
            "-",
            ",",
            "(",
            ")",
            "'",
            "@",
            "\t",
            "\u{1}",
            "  ",
            "/",
            ".",
            "é",
        ];
        let cfg = ProptestConfig::with_cases(2000);
        proptest!(cfg, |(picks in proptest::collection::vec((0..pieces.len(), 0..3usize), 0..7))| {
            let mut name = String::new();
            for (p, sep) in picks {
                name.push_str(pieces[p]);
                name.push_str(["", " ", "."][sep]);
            }
            let general = s.screen_general(&name);
            if s.screen_fast(name.as_bytes()).is_some() {
                prop_assert!(general.is_empty(), "{name:?}: {general:?}");
            }
            prop_assert_eq!(s.screen(&name), general);
        });
        // Names the fast path settles itself.
        for n in [
            "Nordwind Kestrel GmbH",
            "Acme Security S.A.",
            "Global Trading Group",
        ] {
            assert!(s.screen_fast(n.as_bytes()).is_some(), "{n}");
        }
    }
}
