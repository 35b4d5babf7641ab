//! The columns of `evaluate` output: the contract columns, the appended ones, passed-through
//! input columns, then `error` (with `--keep-going`); `--columns` selects and orders them. And
//! the aligned table for people.

use crate::engine::COLUMNS;
use crate::error::{Error, Result};

/// A column of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// A determination column (`COLUMNS` index).
    Contract(usize),
    /// A passed-through input column.
    Extra(usize),
    /// The `error` column.
    Error,
}

/// The output columns: by default every contract column, the passed-through ones and
/// `error`; `selected` (`--columns`) picks and orders them.
pub fn columns(
    extra: &[String],
    errors: bool,
    selected: Option<&[String]>,
) -> Result<(Vec<Col>, Vec<String>)> {
    let all_names = || {
        let mut v: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        v.extend(extra.iter().cloned());
        if errors {
            v.push("error".into());
        }
        v
    };
    let lookup = |name: &str| -> Option<Col> {
        if let Some(i) = COLUMNS.iter().position(|c| *c == name) {
            return Some(Col::Contract(i));
        }
        if let Some(i) = extra
            .iter()
            .position(|c| c == name || c.to_lowercase() == name.to_lowercase())
        {
            return Some(Col::Extra(i));
        }
        (name == "error" && errors).then_some(Col::Error)
    };
    match selected {
        None => {
            let names = all_names();
            let cols = names.iter().filter_map(|n| lookup(n)).collect();
            Ok((cols, names))
        }
        Some(sel) => {
            let mut cols = Vec::new();
            let mut names = Vec::new();
            for s in sel {
                match lookup(s) {
                    Some(c) if !cols.contains(&c) => {
                        cols.push(c);
                        names.push(s.clone());
                    }
                    Some(_) => {}
                    None => {
                        return Err(Error::flag(
                            "--columns",
                            s,
                            "not an output column",
                            &all_names().join(", "),
                        ));
                    }
                }
            }
            if cols.is_empty() {
                return Err(Error::Usage("--columns: empty list".into()));
            }
            Ok((cols, names))
        }
    }
}

/// The columns a person reads first, when present.
const SHOWN: [&str; 10] = [
    "scenario_id",
    "jurisdiction",
    "item",
    "destination",
    "end_user",
    "outcome",
    "authorisation",
    "confidence",
    "ear_applies",
    "us_outcome",
];

pub(crate) fn table(names: &[String], rows: &[Vec<String>], notes: &[String]) -> String {
    let idx: Vec<usize> = if names.len() > SHOWN.len() {
        SHOWN
            .iter()
            .filter_map(|s| names.iter().position(|n| n == s))
            .collect()
    } else {
        (0..names.len()).collect()
    };
    let mut widths: Vec<usize> = idx.iter().map(|&c| names[c].chars().count()).collect();
    for r in rows {
        for (w, &c) in widths.iter_mut().zip(&idx) {
            *w = (*w).max(r[c].chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(idx.iter().map(|&c| names[c].as_str()).collect(), &mut out);
    for (r, note) in rows.iter().zip(notes) {
        line(
            idx.iter()
                .map(|&c| crate::output::escape_hidden(&r[c]).into_owned())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect(),
            &mut out,
        );
        out.push_str(note);
    }
    out
}
