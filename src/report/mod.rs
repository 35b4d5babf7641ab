//! The cyber report: where US controls on cybersecurity items differ from the other
//! Wassenaar participants, with its findings, method, explorer, charts and tables. Built in
//! memory (deterministic bytes), then written as one folder.

pub(crate) mod charts;
mod divergences;
mod doc;
mod explorer;
mod figures;
mod findings;
mod grid;
mod history;
mod links;
pub mod lists;
pub(crate) mod model;
mod regimes;
mod tables;

use std::path::{Path, PathBuf};

use crate::engine::World;
use crate::error::{Error, Result};

/// One file of the report: a path relative to the report folder, and its bytes.
pub struct File {
    /// Path relative to the report folder, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Builds every file of the cyber report in memory (deterministic bytes).
pub fn files(world: &World) -> Result<Vec<File>> {
    let grid = grid::Grid::new(world)?;
    let metrics = findings::metrics(&grid);
    let history = history::compute(&grid)?;
    let findings = findings::findings(&grid, &metrics, &history)?;
    let provenance = doc::Provenance::of(world);
    let source = format!(
        "Source: wassenaar determinations, law as of {}; datasets SHA-256 {}",
        provenance.as_of,
        provenance.hash.get(..16).unwrap_or(&provenance.hash)
    );
    let charts = figures::charts(&grid, &metrics, &history, &source)?;
    let divergences = divergences::divergences(&grid);
    let regimes = regimes::rows(&grid);
    let vendors = findings::vendor_rows(world);
    let catch_all = findings::catch_all_rows(&grid);
    let tables = tables::tables(&tables::Inputs {
        grid: &grid,
        metrics: &metrics,
        history: &history,
        findings: &findings,
        divergences: &divergences,
        regimes: &regimes,
        events: &charts.events,
        vendors: &vendors,
        catch_all: &catch_all,
    });
    let doc = doc::Doc {
        grid: &grid,
        findings: &findings,
        charts: &charts.list,
        events: &charts.events,
        divergences: &divergences,
        regimes: &regimes,
        vendors: &vendors,
        provenance,
        explorer: explorer::data(&grid),
    };
    let mut files = tables::files(&tables)?;
    files.push(File {
        path: "index.html".into(),
        bytes: doc::html(&doc).into_bytes(),
    });
    files.push(File {
        path: "report.md".into(),
        bytes: doc::markdown(&doc).into_bytes(),
    });
    files.extend(charts.files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Writes the report folder: built in a temporary sibling folder, then swapped into place,
/// so an interrupted run never leaves a half-written report.
pub fn write(dir: &Path, files: &[File]) -> Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        for f in files {
            if !safe_relative(&f.path) {
                return Err(Error::Usage(format!(
                    "refusing to write outside the report folder: `{}`",
                    f.path
                )));
            }
            let path = tmp.join(&f.path);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(|e| Error::io("create", p, e))?;
            }
            std::fs::write(&path, &f.bytes).map_err(|e| Error::io("write", &path, e))?;
        }
        // Keep files in the target folder that the report does not produce (e.g. a browser
        // screenshot), replace the rest.
        if dir.is_dir() {
            let shot = dir.join(SCREENSHOT);
            if shot.is_file() {
                let _ = std::fs::copy(&shot, tmp.join(SCREENSHOT));
            }
            let old = parent.join(format!(".{name}.{}.old", std::process::id()));
            std::fs::rename(dir, &old).map_err(|e| Error::io("replace", dir, e))?;
            std::fs::rename(&tmp, dir).map_err(|e| Error::io("write", dir, e))?;
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&tmp, dir).map_err(|e| Error::io("write", dir, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// The browser check's screenshot: kept when the report is regenerated.
pub const SCREENSHOT: &str = "screenshot.png";

/// A generated relative path: lowercase letters, digits, `-`, `_`, `.` and `/` only, no `..`.
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && path.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/')
        })
}

/// A file-name-safe slug of an item code: `5D001.a(5A001.j)` → `5d001-a-5a001-j`.
pub fn slug(code: &str) -> String {
    let mut s = String::new();
    for c in code.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// The report folder, relative to the working directory.
pub fn default_dir() -> PathBuf {
    PathBuf::from("reports/cyber")
}
