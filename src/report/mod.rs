//! `wassenaar report --preset cyber`: a self-contained folder (HTML, Markdown, SVG and PNG
//! charts, CSV and Parquet tables) on where US cybersecurity-item controls differ.

pub mod charts;
mod doc;
pub mod lists;
pub mod model;
mod tables;

use std::path::{Path, PathBuf};

use crate::analysis::align::{AlignRow, align};
use crate::analysis::compare::{Comparison, outcomes, pair_agreement};
use crate::analysis::dims::Dimensions;
use crate::data::places::PlaceId;
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Outcome, Transaction};
use model::{Column, RowGroups};

/// Okabe–Ito colours (colour-blind safe) for the outcome categories, in `OUTCOMES` order.
pub const OUTCOME_COLOURS: [(u8, u8, u8); 6] = [
    (187, 187, 187), // not-listed: grey
    (0, 158, 115),   // no-licence-required: bluish green
    (86, 180, 233),  // authorised: sky blue
    (230, 159, 0),   // licence-required: orange
    (213, 94, 0),    // prohibited: vermillion
    (204, 121, 167), // indeterminate: reddish purple
];

/// One file of the report: a path relative to the report folder, and its bytes.
pub struct File {
    /// Path relative to the report folder, `/`-separated.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Everything the documents need, computed once.
pub struct Figures {
    /// Catalogue ids of the items of the grid.
    pub items: Vec<u32>,
    /// Jurisdiction indices compared (the US first).
    pub juris: Vec<usize>,
    /// Chart columns (jurisdictions, identical EU members folded).
    pub columns: Vec<Column>,
    /// Destination rows of the heatmaps.
    pub rows: RowGroups,
    /// Per item: per jurisdiction (juris order): outcome per row, commercial / unspecified.
    pub slices: Vec<Vec<Vec<Outcome>>>,
    /// Shares of each jurisdiction against the US baseline.
    pub align: Vec<AlignRow>,
    /// Pairwise agreement (None where undefined).
    pub pairwise: Vec<Vec<Option<f64>>>,
    /// Per end user: counts per ACE category.
    pub ace: Vec<Vec<u64>>,
    /// Notable divergences from the US.
    pub divergences: Vec<Divergence>,
    /// Summary sentences.
    pub summary: Vec<String>,
    /// Scenarios in the grid.
    pub scenarios: u64,
}

/// A notable difference from the US, with both rule chains.
pub struct Divergence {
    /// Item code.
    pub item: String,
    /// Column label of the other jurisdiction.
    pub column: String,
    /// Destination code.
    pub destination: String,
    /// Stricter or looser than the US.
    pub direction: Comparison,
    /// The US determination.
    pub us: crate::engine::Rendered,
    /// The other jurisdiction's determination.
    pub other: crate::engine::Rendered,
}

fn cyber_dims() -> Dimensions {
    Dimensions::cyber()
}

/// Preferred destinations for the divergence table, most instructive first.
const SHOWCASE: [&str; 20] = [
    "CN", "FR", "US", "IL", "AE", "IN", "RU", "BR", "SA", "VN", "GB", "JP", "CA", "AU", "KR", "SG",
    "TR", "MX", "ZA", "IR",
];

/// Computes every figure of the cyber report.
pub fn figures(world: &World) -> Result<Figures> {
    let dims = cyber_dims();
    let items = dims.items(world)?;
    let spec = dims.spec(world)?;
    let us = world
        .jurisdiction("US")
        .ok_or_else(|| Error::Usage("the cyber report needs the US jurisdiction".into()))?;
    let bulk = Bulk::new(world, &items, Transaction::Export);
    let juris: Vec<usize> = (0..world.jurisdictions.len()).collect();
    // Full-matrix outcome vectors decide which EU members fold into one column.
    let full: Vec<Vec<Outcome>> = juris.iter().map(|&j| outcomes(&bulk, &spec, j)).collect();
    let columns = model::fold_columns(world, &juris, &full);
    let rows = model::destination_groups(world);
    let commercial = EndUser::Commercial as usize;
    let unspecified = EndUse::Unspecified as usize;
    let slices: Vec<Vec<Vec<Outcome>>> = (0..items.len())
        .map(|i| {
            juris
                .iter()
                .map(|&j| {
                    rows.rows
                        .iter()
                        .map(|&p| bulk.outcome(bulk.get(j, i, p, commercial, unspecified)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let alignment = align(world, &dims, us, false)?;
    let reps: Vec<usize> = columns.iter().map(|c| c.members[0]).collect();
    let pairwise = reps
        .iter()
        .map(|&a| {
            reps.iter()
                .map(|&b| pair_agreement(&full[a], &full[b]))
                .collect()
        })
        .collect();
    // Chart 4: which rule decides the US outcome, by end user.
    let ace_uses = [
        EndUse::Unspecified,
        EndUse::VulnerabilityDisclosure,
        EndUse::IncidentResponse,
        EndUse::UnauthorisedAccess,
    ];
    let mut ace = vec![vec![0u64; model::ACE_CATEGORIES.len()]; EndUser::VALUES.len()];
    for i in 0..items.len() {
        for &p in &rows.rows {
            for (u, user) in EndUser::VALUES.iter().enumerate() {
                for e in ace_uses {
                    let det = bulk.get(us, i, p, u, e as usize);
                    if let Some(c) = model::ace_category(world, &bulk, det, p, *user) {
                        ace[u][c] += 1;
                    }
                }
            }
        }
    }
    let divergences = divergences(world, &bulk, &items, &columns, us);
    let summary = summary(world, &items, &columns, &rows, &slices, &alignment.rows, us);
    Ok(Figures {
        scenarios: alignment.rows.first().map(|r| r.scenarios).unwrap_or(0),
        items,
        juris,
        columns,
        rows,
        slices,
        align: alignment.rows,
        pairwise,
        ace,
        divergences,
        summary,
    })
}

fn scenario(item: u32, dest: PlaceId) -> crate::model::Scenario {
    crate::model::Scenario::new(item, dest, EndUser::Commercial, EndUse::Unspecified)
}

fn divergences(
    world: &World,
    bulk: &Bulk<'_>,
    items: &[u32],
    columns: &[Column],
    us: usize,
) -> Vec<Divergence> {
    let mut out = Vec::new();
    let focus = ["4A005", "4D004", "4E001.c", "5A001.j"];
    for code in focus {
        let Some(i) = items
            .iter()
            .position(|&it| world.catalogue().get(it).code == code)
        else {
            continue;
        };
        for col in columns {
            let j = col.members[0];
            if j == us {
                continue;
            }
            for dest in SHOWCASE {
                let Some(p) = world.places().by_code(dest) else {
                    continue;
                };
                let (c, e) = (EndUser::Commercial as usize, EndUse::Unspecified as usize);
                let mine = bulk.outcome(bulk.get(j, i, p, c, e));
                let theirs = bulk.outcome(bulk.get(us, i, p, c, e));
                let cmp = Comparison::of(mine, theirs);
                if matches!(cmp, Comparison::Stricter | Comparison::Looser) {
                    let s = scenario(items[i], p);
                    let du = world.evaluate(us, &s);
                    let dj = world.evaluate(j, &s);
                    out.push(Divergence {
                        item: code.to_string(),
                        column: col.label.clone(),
                        destination: dest.to_string(),
                        direction: cmp,
                        us: world.render(&s, &du),
                        other: world.render(&s, &dj),
                    });
                    break;
                }
            }
        }
    }
    out
}

fn summary(
    world: &World,
    items: &[u32],
    columns: &[Column],
    rows: &RowGroups,
    slices: &[Vec<Vec<Outcome>>],
    align: &[AlignRow],
    us: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let find = |code: &str| {
        items
            .iter()
            .position(|&i| world.catalogue().get(i).code == code)
    };
    let eu = columns.iter().find(|c| c.label.starts_with("EU-"));
    let needs = |o: Outcome| {
        matches!(
            o,
            Outcome::Authorised | Outcome::LicenceRequired | Outcome::Prohibited
        )
    };
    let free = |o: Outcome| matches!(o, Outcome::NotListed | Outcome::NoLicenceRequired);
    if let (Some(i), Some(eu)) = (find("5A001.j"), eu) {
        let e = eu.members[0];
        let n = (0..rows.rows.len())
            .filter(|&r| free(slices[i][us][r]) && needs(slices[i][e][r]))
            .count();
        out.push(format!(
            "For {n} of {} destinations the US requires no licence for IP-network surveillance systems (5A001.j, NS Column 2) where the {} require an authorisation (general or individual) for a commercial end user.",
            rows.rows.len(),
            eu.label
        ));
    }
    if let (Some(i), Some(eu)) = (find("4A005"), eu) {
        let e = eu.members[0];
        let n = (0..rows.rows.len())
            .filter(|&r| {
                slices[i][us][r] == Outcome::Authorised
                    && slices[i][e][r] == Outcome::LicenceRequired
            })
            .count();
        let intra = (0..rows.rows.len())
            .filter(|&r| {
                world.places().get(rows.rows[r]).eu_customs
                    && slices[i][us][r] == Outcome::Authorised
                    && free(slices[i][e][r])
            })
            .count();
        out.push(format!(
            "For {n} destinations License Exception ACE authorises intrusion-software systems (4A005) for commercial end users where the {} require an individual licence; conversely, for {intra} destinations inside the EU the US requires a licence (met by ACE) where transfers between member states are free.",
            eu.label
        ));
    }
    let mut ranked: Vec<&AlignRow> = align.iter().filter(|r| r.jurisdiction != "US").collect();
    ranked.sort_by(|a, b| {
        b.agreement
            .total_cmp(&a.agreement)
            .then(a.jurisdiction.cmp(&b.jurisdiction))
    });
    if let (Some(hi), Some(lo)) = (
        ranked.first(),
        ranked.iter().rev().find(|r| r.indeterminate < 1.0),
    ) {
        out.push(format!(
            "Over {} scenarios per jurisdiction (10 cyber items × every destination × 11 end users × 7 end uses), agreement with the US outcome ranges from {:.0} % ({}) down to {:.0} % ({}) among jurisdictions with established law.",
            hi.scenarios,
            hi.agreement * 100.0,
            hi.jurisdiction,
            lo.agreement * 100.0,
            lo.jurisdiction
        ));
    }
    let unknown: Vec<&str> = align
        .iter()
        .filter(|r| r.indeterminate > 0.99)
        .map(|r| r.jurisdiction.as_str())
        .collect();
    if !unknown.is_empty() {
        out.push(format!(
            "For {} ({}) it is not established whether the cyber entries are implemented: every result is indeterminate, never a clearance.",
            if unknown.len() == 1 { "one jurisdiction".to_string() } else { format!("{} jurisdictions", unknown.len()) },
            unknown.join(", ")
        ));
    }
    if let Some(ch) = align.iter().find(|r| r.jurisdiction == "CH") {
        out.push(format!(
            "Switzerland is stricter than the US in {:.0} % of scenarios: its surveillance-goods ordinance requires an individual licence to every destination.",
            ch.stricter * 100.0
        ));
    }
    out
}

/// Builds every file of the report in memory (deterministic bytes).
pub fn files(world: &World) -> Result<Vec<File>> {
    let fig = figures(world)?;
    let mut files = Vec::new();
    let charts = doc::charts(world, &fig)?;
    files.extend(charts.files);
    files.extend(tables::files(world, &fig)?);
    files.push(File {
        path: "index.html".into(),
        bytes: doc::html(world, &fig, &charts.list).into_bytes(),
    });
    files.push(File {
        path: "report.md".into(),
        bytes: doc::markdown(world, &fig, &charts.list).into_bytes(),
    });
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
