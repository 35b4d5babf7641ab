//! Writing determinations: CSV, JSON, JSON Lines, an aligned table, Parquet. Output is built
//! in memory and written to a temporary file that is renamed into place, so a failed run
//! never leaves a half-written file.

pub mod matrix;
pub mod rows;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
    Jsonl,
    Table,
    Parquet,
}

/// Cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV
/// injection guidance): `=`, `+`, `-`, `@`, tab and carriage return at the start.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The rule chain of one row, indented, for `--explain`.
pub fn explanation(f: &[&str; 15]) -> String {
    let mut out = String::new();
    for (label, idx) in [("because", 11usize), ("conditions", 10), ("citations", 12)] {
        let mut first = true;
        for part in f[idx].split("; ").filter(|p| !p.is_empty()) {
            let head = if first { label } else { "" };
            out.push_str(&format!("    {head:<11} {part}\n"));
            first = false;
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io("write", &tmp, e))?;
        f.sync_all().map_err(|e| Error::io("write", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io("write", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file written under a temporary name and renamed on success, or standard output.
pub struct Target {
    pub out: Box<dyn Write + Send>,
    rename: Option<(PathBuf, PathBuf)>,
}

impl Target {
    pub fn open(path: Option<&Path>) -> Result<Target> {
        match path {
            None => Ok(Target {
                out: Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout())),
                rename: None,
            }),
            Some(p) => {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let f = std::fs::File::create(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
                Ok(Target {
                    out: Box::new(BufWriter::with_capacity(1 << 20, f)),
                    rename: Some((tmp, p.to_path_buf())),
                })
            }
        }
    }

    pub fn finish(mut self) -> Result<()> {
        let flushed = self.out.flush();
        drop(self.out);
        match self.rename {
            Some((tmp, path)) => {
                if let Err(e) = flushed {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(Error::io("write", &path, e));
                }
                std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
            }
            None => flushed
                .or_else(ignore_pipe)
                .map_err(|e| Error::io("write", Path::new("<stdout>"), e)),
        }
    }
}

fn ignore_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}
