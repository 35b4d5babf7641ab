//! Where the datasets are read from: the copy embedded in the binary (the default), or a
//! folder (`--datasets DIR`, `$WASSENAAR_DATASETS`).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Code, Error, Located, Result};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/datasets.rs"));
}

/// A datasets folder, embedded or on disk. Paths are relative, with `/` separators.
#[derive(Debug, Clone)]
pub enum Source {
    /// The datasets compiled into the binary.
    Embedded,
    /// A folder on disk.
    Folder(PathBuf),
}

impl Source {
    /// `$WASSENAAR_DATASETS` when set, else the embedded datasets.
    pub fn from_env() -> Source {
        match std::env::var_os("WASSENAAR_DATASETS") {
            Some(dir) if !dir.is_empty() => Source::Folder(PathBuf::from(dir)),
            _ => Source::Embedded,
        }
    }

    /// How the source is named in messages and provenance.
    pub fn describe(&self) -> String {
        match self {
            Source::Embedded => "embedded datasets".to_string(),
            Source::Folder(dir) => dir.display().to_string(),
        }
    }

    /// How a file of the source is named in messages: `datasets/us/rules.toml` for the
    /// embedded copy, the real path otherwise.
    pub fn display(&self, rel: &str) -> String {
        match self {
            Source::Embedded => format!("datasets/{rel}"),
            Source::Folder(dir) => dir.join(rel).display().to_string(),
        }
    }

    /// The bytes of `rel`, or `None` when the file does not exist.
    pub fn read(&self, rel: &str) -> Result<Option<Cow<'static, [u8]>>> {
        match self {
            Source::Embedded => Ok(embedded::FILES
                .iter()
                .find(|(p, _)| *p == rel)
                .map(|(_, b)| Cow::Borrowed(*b))),
            Source::Folder(dir) => {
                let path = dir.join(rel);
                if !path.is_file() {
                    return Ok(None);
                }
                std::fs::read(&path)
                    .map(|b| Some(Cow::Owned(b)))
                    .map_err(|e| Error::io("read", &path, e))
            }
        }
    }

    /// The bytes of `rel`; a missing file is a dataset error.
    pub fn require(&self, rel: &str) -> Result<Cow<'static, [u8]>> {
        self.read(rel)?.ok_or_else(|| {
            Error::dataset(
                Located::new(self.display(rel), "required dataset file is missing")
                    .code(Code::Unreadable),
            )
        })
    }

    /// Whether `rel` exists.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Source::Embedded => embedded::FILES.iter().any(|(p, _)| *p == rel),
            Source::Folder(dir) => dir.join(rel).is_file(),
        }
    }

    /// The top-level folders, sorted.
    pub fn folders(&self) -> Result<Vec<String>> {
        let mut out: Vec<String> = match self {
            Source::Embedded => embedded::FILES
                .iter()
                .filter_map(|(p, _)| p.split_once('/').map(|(d, _)| d.to_string()))
                .collect(),
            Source::Folder(dir) => std::fs::read_dir(dir)
                .map_err(|e| Error::io("read", dir, e))?
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
        };
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Every dataset file (`.csv`, `.toml`; not the example scenarios), sorted by path.
    pub fn files(&self) -> Result<Vec<(String, Cow<'static, [u8]>)>> {
        match self {
            Source::Embedded => Ok(embedded::FILES
                .iter()
                .map(|(p, b)| (p.to_string(), Cow::Borrowed(*b)))
                .collect()),
            Source::Folder(dir) => {
                let mut out = Vec::new();
                walk(dir, dir, &mut out)?;
                out.sort_by(|a, b| a.0.cmp(&b.0));
                Ok(out)
            }
        }
    }

    /// SHA-256 over every dataset file (path and bytes), as 64 hex digits: the same content
    /// gives the same hash whether embedded or on disk.
    pub fn content_hash(&self) -> Result<String> {
        if let Source::Embedded = self {
            return Ok(embedded::HASH.to_string());
        }
        let mut h = Sha256::new();
        for (path, bytes) in self.files()? {
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Cow<'static, [u8]>)>) -> Result<()> {
    let read = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    for entry in read.filter_map(|e| e.ok()) {
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            if rel != "scenarios" {
                walk(&path, root, out)?;
            }
        } else if rel.ends_with(".csv") || rel.ends_with(".toml") {
            let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
            out.push((rel, Cow::Owned(bytes)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash computed when the datasets were embedded equals the hash of the same files.
    #[test]
    fn embedded_hash_matches_the_files() {
        let mut h = Sha256::new();
        for (path, bytes) in embedded::FILES {
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, embedded::HASH);
    }
}
