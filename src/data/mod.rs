//! Loaders for the datasets under `datasets/` (see `datasets/SCHEMA.md`) and their validation.

pub mod catalogue;
pub mod load;
pub mod places;
pub mod rules;
pub mod table;
pub mod validate;

pub use load::{Datasets, JurisdictionMeta, RegimeData, default_dir};

/// Folds a name for matching: lowercase, accents removed, punctuation dropped, spaces folded.
pub fn normalise_name(input: &str) -> String {
    let ascii = deunicode::deunicode(input.trim());
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || matches!(c, ',' | '-' | '_' | '/' | '(' | ')' | '.') {
            space = true;
        }
    }
    out
}

/// The closest candidate to `input` by Jaro-Winkler similarity, if it is close enough.
pub fn suggest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let key = normalise_name(input);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&key, &normalise_name(c));
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c.to_string())
}
