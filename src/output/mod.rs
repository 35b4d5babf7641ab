//! Writing determinations and tables: CSV, JSON, JSON Lines, an aligned table and (with the
//! `polars` feature) Parquet. Files are written under a temporary name and renamed, so a
//! failed run never leaves a half-written file; a device or FIFO (`/dev/null`, a pipe) is
//! written in place, never replaced. Every output carries its provenance.

pub mod matrix;
pub mod parquet_file;
pub mod pipeline;
pub mod provenance;
pub mod rows;
pub mod table;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, is_invisible};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// CSV with a header row.
    Csv,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// An aligned table for people.
    Table,
    /// Parquet (dictionary-encoded, typed columns).
    #[cfg(feature = "polars")]
    Parquet,
}

impl OutputFormat {
    /// Whether this is Parquet.
    pub fn is_parquet(self) -> bool {
        #[cfg(feature = "polars")]
        {
            self == OutputFormat::Parquet
        }
        #[cfg(not(feature = "polars"))]
        {
            false
        }
    }
}

/// Cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV
/// injection guidance): `=`, `+`, `-`, `@`, tab and carriage return at the start. Invisible and
/// control characters (bidirectional overrides, zero-width spaces) are shown escaped
/// (`\u{202e}`), so what a reviewer sees is what was read.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let cell = escape_hidden(cell);
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell,
    }
}

/// Escapes invisible and control characters other than tab as `\u{…}`.
pub fn escape_hidden(cell: &str) -> std::borrow::Cow<'_, str> {
    // Printable ASCII and tab (almost every cell) need no look at characters. One pass
    // without an early exit, which the compiler turns into vector instructions.
    let printable = cell.bytes().fold(true, |ok, b| {
        ok & ((b.wrapping_sub(0x20) < 0x5f) | (b == b'\t'))
    });
    if printable {
        return cell.into();
    }
    if !cell
        .chars()
        .any(|c| (c.is_control() && c != '\t') || is_invisible(c))
    {
        return cell.into();
    }
    let mut out = String::with_capacity(cell.len() + 8);
    for c in cell.chars() {
        if (c.is_control() && c != '\t') || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The rule chain of one row, indented, for `--explain`.
pub fn explanation(reasons: &str, conditions: &str, citations: &str, us_reasons: &str) -> String {
    let mut out = String::new();
    for (label, text) in [
        ("because", reasons),
        ("conditions", conditions),
        ("citations", citations),
        ("US re-export", us_reasons),
    ] {
        let mut first = true;
        for part in text.split("; ").filter(|p| !p.is_empty()) {
            let head = if first { label } else { "" };
            out.push_str(&format!("    {head:<12} {part}\n"));
            first = false;
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut t = Target::open(Some(path))?;
    t.out
        .write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    t.finish()
}

/// Whether `path` names an existing file that is not a regular file: a device such as
/// `/dev/null`, a FIFO or a socket. Such a target is written in place as a stream (a rename
/// would replace the device with a plain file) and gets no provenance sidecar.
pub fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Where a [`Target`]'s bytes end up.
enum Dest {
    /// Standard output.
    Stdout,
    /// A device or FIFO, written in place.
    Stream(PathBuf),
    /// A regular file: written as `tmp`, renamed to `path` on success.
    File { tmp: PathBuf, path: PathBuf },
}

/// A file written under a temporary name and renamed on success, standard output, or a device
/// or FIFO written in place.
pub struct Target {
    /// Where bytes go.
    pub out: Box<dyn Write + Send>,
    dest: Option<Dest>,
}

impl Target {
    /// Opens `path`, or standard output for `None`. A symbolic link is followed, so the file it
    /// points to is replaced and the link kept.
    pub fn open(path: Option<&Path>) -> Result<Target> {
        let Some(p) = path else {
            return Ok(Target {
                out: Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout())),
                dest: Some(Dest::Stdout),
            });
        };
        if is_stream(p) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .map_err(|e| Error::io("open", p, e))?;
            return Ok(Target {
                out: Box::new(BufWriter::with_capacity(1 << 20, f)),
                dest: Some(Dest::Stream(p.to_path_buf())),
            });
        }
        let link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        let p = match link.then(|| std::fs::canonicalize(p)) {
            Some(Ok(real)) => real,
            _ => p.to_path_buf(),
        };
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
            dest: Some(Dest::File { tmp, path: p }),
        })
    }

    /// Flushes and renames into place.
    pub fn finish(mut self) -> Result<()> {
        let flushed = self.out.flush();
        self.out = Box::new(std::io::sink());
        match self.dest.take() {
            Some(Dest::File { tmp, path }) => {
                if let Err(e) = flushed {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(Error::io("write", &path, e));
                }
                std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
            }
            Some(Dest::Stream(path)) => flushed.map_err(|e| Error::io("write", &path, e)),
            Some(Dest::Stdout) | None => flushed
                .or_else(ignore_pipe)
                .map_err(|e| Error::io("write", Path::new("<stdout>"), e)),
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(Dest::File { tmp, .. }) = self.dest.take() {
            let _ = std::fs::remove_file(tmp);
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

/// Writes `bytes` to `path` (atomically) or to standard output.
pub fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => write_atomic(p, bytes),
        None => {
            let mut t = Target::open(None)?;
            t.out
                .write_all(bytes)
                .or_else(ignore_pipe)
                .map_err(|e| Error::io("write", Path::new("<stdout>"), e))?;
            t.finish()
        }
    }
}

/// Strings numbered in order of first use (dictionary codes of Parquet columns, the report
/// explorer's texts).
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// The strings, by code.
    pub(crate) values: Vec<String>,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl Interner {
    /// The code of `s`, numbered now if new.
    pub(crate) fn code(&mut self, s: &str) -> u32 {
        if let Some(&c) = self.index.get(s) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(s.to_string());
        self.index.insert(s.to_string(), c);
        c
    }
}
