//! Provenance: what produced an output (tool version, dataset content hash, list versions and
//! the date the law was taken as of). Parquet files carry it as key-value metadata; CSV and
//! JSON files get a sidecar `OUTPUT.provenance.json`; `--provenance FILE` writes it when the
//! output goes to standard output.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::World;
use crate::error::{Error, Result};

/// The list version of one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVersion {
    /// Regime id.
    pub regime: String,
    /// Jurisdictions it governs on the day.
    pub jurisdictions: Vec<String>,
    /// List name.
    pub list: String,
    /// Version.
    pub version: String,
    /// Version date.
    pub date: String,
    /// Confidence.
    pub confidence: String,
}

/// What produced an output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// `wassenaar`.
    pub tool: String,
    /// Its version.
    pub version: String,
    /// The command that wrote the output (`evaluate`).
    pub command: String,
    /// The date the law was taken as of.
    pub as_of: String,
    /// Where the datasets came from (`embedded datasets` or a folder).
    pub datasets: String,
    /// SHA-256 of the dataset files.
    pub dataset_hash: String,
    /// The Wassenaar list version of the catalogue.
    pub wassenaar_list: String,
    /// Every regime's list version.
    pub lists: Vec<ListVersion>,
}

impl Provenance {
    /// The provenance of output written by `command` from `world`.
    pub fn of(world: &World, command: &str) -> Provenance {
        let lists = world
            .regimes
            .iter()
            .enumerate()
            .map(|(ri, r)| ListVersion {
                regime: r.id.clone(),
                jurisdictions: world
                    .jurisdictions
                    .iter()
                    .filter(|j| j.regime == ri)
                    .map(|j| j.code.clone())
                    .collect(),
                list: r.meta.list_name.clone(),
                version: r.meta.list_version.clone(),
                date: r.meta.list_date.to_string(),
                confidence: r.confidence.as_str().to_string(),
            })
            .collect();
        Provenance {
            tool: "wassenaar".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            as_of: world.as_of.to_string(),
            datasets: match &world.data.source {
                crate::data::Source::Embedded => "embedded datasets".to_string(),
                crate::data::Source::Folder(_) => "datasets folder".to_string(),
            },
            dataset_hash: world.data.hash.clone(),
            wassenaar_list: world.data.wa_list.version.clone(),
            lists,
        }
    }

    /// As pretty JSON.
    pub fn json(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(|e| Error::Output {
            format: "provenance",
            message: e.to_string(),
        })?;
        v.push(b'\n');
        Ok(v)
    }

    /// Key-value pairs for Parquet metadata.
    pub fn key_values(&self) -> Vec<(String, String)> {
        let json = serde_json::to_string(self).unwrap_or_default();
        vec![
            ("wassenaar.version".into(), self.version.clone()),
            ("wassenaar.as_of".into(), self.as_of.clone()),
            ("wassenaar.dataset_hash".into(), self.dataset_hash.clone()),
            ("wassenaar.provenance".into(), json),
        ]
    }
}

/// The sidecar path of an output file: `out.csv` → `out.csv.provenance.json`.
pub fn sidecar(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".provenance.json");
    PathBuf::from(s)
}

/// Writes the provenance of an output: a sidecar next to a CSV/JSON file, or `explicit`.
/// Parquet output carries it inside and needs no sidecar (unless `explicit` is given); a device
/// or FIFO gets none (`/dev/null.provenance.json` would be litter), as standard output gets none.
pub fn write(
    p: &Provenance,
    output: Option<&Path>,
    explicit: Option<&Path>,
    parquet: bool,
) -> Result<()> {
    let target = match (explicit, output) {
        (Some(e), _) => Some(e.to_path_buf()),
        (None, Some(o)) if !parquet && !crate::output::is_stream(o) => Some(sidecar(o)),
        _ => None,
    };
    match target {
        Some(t) => crate::output::write_atomic(&t, &p.json()?),
        None => Ok(()),
    }
}
