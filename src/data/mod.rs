//! Loaders for the datasets (see `datasets/SCHEMA.md`) and their validation. Every problem is
//! collected with its file, line, column, code, value and what is accepted.

pub mod catalogue;
pub mod diff;
pub mod expr;
pub mod load;
pub mod parties;
pub mod places;
pub mod rules;
pub mod source;
pub mod table;

pub use load::{Datasets, GroupTable, JurisdictionMeta, RegimeData};
pub use source::Source;

/// Folds a name for matching: lowercase, accents removed, punctuation dropped, spaces folded.
pub fn normalise_name(input: &str) -> String {
    let input = input.trim();
    let folded;
    let ascii = if input.is_ascii() {
        input
    } else {
        folded = deunicode::deunicode(input);
        &folded
    };
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace()
            || matches!(
                c,
                ',' | '-' | '_' | '/' | '(' | ')' | '.' | '&' | '\'' | '"'
            )
        {
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

/// Why a source or citation is not an official document, if it is not: it names a local
/// path or one of the project's own documents. The part after ` | ` is a reading note and may
/// describe how the document was read, but not point to local files either.
pub fn unofficial(text: &str) -> Option<&'static str> {
    const BAD: [&str; 8] = [
        "../",
        "/work/",
        "/home/",
        "/root/",
        "shared/",
        "DESIGN.md",
        "DOMAIN.md",
        "sources/",
    ];
    if BAD.iter().any(|b| text.contains(b)) {
        return Some("names a local path or a project document, not an official instrument");
    }
    if text.contains("Clarifications") && text.contains("DESIGN") {
        return Some("names a project document, not an official instrument");
    }
    None
}
