//! Errors with the place they come from: file, line, column, the value and what is accepted.
//! Dataset problems carry a stable code (`E012`) documented in `datasets/SCHEMA.md`.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found in an input or dataset file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file, as the user would name it.
    pub file: String,
    /// 1-based line number (the header is line 1 in CSV files).
    pub line: Option<u64>,
    /// 1-based character column within the line, where known.
    pub col: Option<u64>,
    /// The CSV column or TOML field the problem is in.
    pub column: Option<String>,
    /// The offending value.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What would be accepted instead.
    pub accepted: Option<String>,
    /// A suggestion.
    pub hint: Option<String>,
    /// Stable diagnostic code (dataset problems).
    pub code: Option<Code>,
}

impl Located {
    /// A problem in `file`.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Located {
            file: file.into(),
            line: None,
            col: None,
            column: None,
            value: None,
            message: message.into(),
            accepted: None,
            hint: None,
            code: None,
        }
    }

    /// Sets the line.
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets line and character column.
    pub fn at(mut self, line: u64, col: u64) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    /// Sets the CSV column or TOML field.
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Sets the offending value.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Sets what is accepted.
    pub fn accepted(mut self, accepted: impl Into<String>) -> Self {
        self.accepted = Some(accepted.into());
        self
    }

    /// Sets a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the diagnostic code.
    pub fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = self.code {
            write!(f, "[{}] ", code.as_str())?;
        }
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, ": column `{column}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(value) = &self.value {
            write!(f, "\n  value: `{}`", printable(value))?;
        }
        if let Some(accepted) = &self.accepted {
            write!(f, "\n  accepted: {accepted}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Shows a value safely in a terminal: control, invisible and bidirectional characters
/// escaped as `\u{…}`, long values cut.
pub fn printable(value: &str) -> String {
    const MAX: usize = 120;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that render as nothing or reorder text: bidirectional controls, zero-width
/// characters, the byte-order mark, soft hyphen, and other format characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E007F}')
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $text:literal;)+) => {
        /// Stable codes of dataset diagnostics (`datasets validate`), documented in
        /// `datasets/SCHEMA.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(#[doc = $text] $variant),+ }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as written (`E012`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            /// What the code means.
            pub fn describe(self) -> &'static str {
                match self { $(Code::$variant => $text),+ }
            }

            /// Warnings do not fail validation.
            pub fn is_warning(self) -> bool {
                self.as_str().starts_with('W')
            }
        }
    };
}

codes! {
    Unreadable => "E001", "a file is missing or cannot be read";
    Syntax => "E002", "malformed CSV or TOML (syntax, shape or an unknown field)";
    Header => "E003", "a CSV header names an unknown column, repeats one or lacks a required one";
    Empty => "E004", "a required value is empty";
    Uncited => "E005", "a row or rule does not name its legal source";
    UnofficialSource => "E006", "a source or citation names a local file or a project document instead of an official instrument";
    UnknownPlace => "E007", "a place code is not in countries.csv";
    UnknownItem => "E008", "an item code is in no catalogue or list";
    UnknownWord => "E009", "a value is not a word of its vocabulary";
    Duplicate => "E010", "a code, id or row is defined twice";
    BadDate => "E011", "a date is malformed, a validity period is empty or undated at one end without its instrument";
    UnknownGroup => "E012", "a destination expression names an unknown group";
    BadExpression => "E013", "a destination expression or item pattern is malformed";
    NoMatch => "E014", "an item pattern matches no list row";
    BadNumber => "E015", "a number is malformed or out of range";
    BadReference => "E016", "a folder, regime, parent or overlay reference does not resolve";
    Overlap => "E017", "validity periods of the same row or membership overlap";
    NotParticipant => "W001", "a jurisdiction is not a Wassenaar participant";
    NotModelled => "W002", "a Wassenaar participant is not modelled";
    CyberUnresolved => "W003", "a cyber item has no list row in a regime (treated as not listed)";
    AuthorisationUnused => "W004", "an authorisation covers no list row";
    RequirementUnused => "W005", "a requirement covers no list row";
}

/// Every error the library reports. Messages are lowercase, values in backticks.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad scenario input (exit 1).
    #[error("bad input: {0}")]
    Input(Box<Located>),
    /// Bad dataset (exit 1).
    #[error("bad dataset: {0}")]
    Dataset(Box<Located>),
    /// Several dataset problems found in one pass (exit 1).
    #[error("{} dataset problem(s):\n{}", .0.len(), join(.0))]
    Datasets(Vec<Located>),
    /// Wrong use of the command line (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written (exit 1).
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`read`, `write`).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Writing an output format failed (exit 1).
    #[error("cannot write {format} output: {message}")]
    Output {
        /// The format being written.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

fn join(all: &[Located]) -> String {
    all.iter()
        .map(|l| format!("error: {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// A bad-input error (dataset codes do not apply to input files).
    pub fn input(mut located: Located) -> Self {
        located.code = None;
        Error::Input(Box::new(located))
    }

    /// A bad-dataset error.
    pub fn dataset(located: Located) -> Self {
        Error::Dataset(Box::new(located))
    }

    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// A usage error for a command-line flag, with what it accepts.
    pub fn flag(flag: &str, value: &str, message: &str, accepted: &str) -> Self {
        Error::Usage(format!(
            "{flag} `{}`: {message}\n  accepted: {accepted}",
            printable(value)
        ))
    }

    /// The process exit status for this error: 1 bad input or datasets, 2 usage.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects dataset problems so that one pass reports all of them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Everything found, in the order found.
    pub items: Vec<Located>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, located: Located) {
        self.items.push(located);
    }

    /// Records the problems of a failed step (keeps going).
    pub fn absorb(&mut self, e: Error) {
        match e {
            Error::Dataset(l) | Error::Input(l) => self.items.push(*l),
            Error::Datasets(all) => self.items.extend(all),
            other => self
                .items
                .push(Located::new("datasets", other.to_string()).code(Code::Unreadable)),
        }
    }

    /// Runs a step, recording its error; `None` when it failed.
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.absorb(e);
                None
            }
        }
    }

    /// Number of errors (warnings excluded).
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|l| !l.code.is_some_and(Code::is_warning))
            .count()
    }

    /// `Ok` when no error was recorded, else every error at once.
    pub fn finish(self) -> Result<()> {
        let errors: Vec<Located> = self
            .items
            .into_iter()
            .filter(|l| !l.code.is_some_and(Code::is_warning))
            .collect();
        let mut errors = errors;
        match errors.len() {
            0 => Ok(()),
            1 => match errors.pop() {
                Some(one) => Err(Error::Dataset(Box::new(one))),
                None => Ok(()),
            },
            _ => Err(Error::Datasets(errors)),
        }
    }
}
