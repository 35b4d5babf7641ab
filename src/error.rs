//! Errors with the place they come from: file, line, column, the value and what is accepted.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found in an input or dataset file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: String,
    /// 1-based line number (the header is line 1 in CSV files).
    pub line: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub accepted: Option<String>,
    pub hint: Option<String>,
}

impl Located {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Located {
            file: file.into(),
            line: None,
            column: None,
            value: None,
            message: message.into(),
            accepted: None,
            hint: None,
        }
    }

    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn accepted(mut self, accepted: impl Into<String>) -> Self {
        self.accepted = Some(accepted.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
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

/// Shows a value safely in a terminal: control characters escaped, long values cut.
pub fn printable(value: &str) -> String {
    const MAX: usize = 120;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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
    /// Wrong use of the command line (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written (exit 1).
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// Writing an output format failed (exit 1).
    #[error("cannot write {format} output: {message}")]
    Output {
        format: &'static str,
        message: String,
    },
}

impl Error {
    pub fn input(located: Located) -> Self {
        Error::Input(Box::new(located))
    }

    pub fn dataset(located: Located) -> Self {
        Error::Dataset(Box::new(located))
    }

    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit status for this error (DESIGN.md: 1 bad input or dataset, 2 usage).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
