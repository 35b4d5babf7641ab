//! Alignment: how far each jurisdiction is from a baseline (default the US) over a matrix
//! of scenarios, which items and destinations drive the differences, and the pairwise
//! agreement of all jurisdictions. Aggregated with polars.

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::compare::{Comparison, outcomes, pair_agreement};
use crate::analysis::dims::Dimensions;
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::error::{Error, Result};

/// Output formats of `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignFormat {
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// An aligned table.
    Table,
}

/// One jurisdiction against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignRow {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// The baseline.
    pub baseline: String,
    /// Share of scenarios with the same outcome (of all applicable scenarios).
    pub agreement: f64,
    /// Share stricter than the baseline.
    pub stricter: f64,
    /// Share looser than the baseline.
    pub looser: f64,
    /// Share where either side is indeterminate.
    pub indeterminate: f64,
    /// Applicable scenarios (not-applicable excluded).
    pub scenarios: u64,
    /// Items with the most differing scenarios: `code (count)`, `;`-separated.
    pub top_items: String,
    /// Destinations with the most differing scenarios.
    pub top_destinations: String,
}

/// Jurisdiction codes and the matrix of their pairwise agreement.
pub type Pairwise = (Vec<String>, Vec<Vec<Option<f64>>>);

impl AlignRow {
    /// The CSV cells, in `COLUMNS` order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.jurisdiction.clone(),
            self.baseline.clone(),
            f(self.agreement),
            f(self.stricter),
            f(self.looser),
            f(self.indeterminate),
            self.scenarios.to_string(),
            self.top_items.clone(),
            self.top_destinations.clone(),
        ]
    }
}

/// The result of an alignment run.
#[derive(Debug, Clone, Serialize)]
pub struct Alignment {
    /// One row per jurisdiction.
    pub rows: Vec<AlignRow>,
    /// Jurisdiction codes and the agreement matrix, when asked for.
    pub pairwise: Option<Pairwise>,
}

fn polars_err(e: PolarsError) -> Error {
    Error::Output {
        format: "align",
        message: e.to_string(),
    }
}

/// Computes the alignment of `selection` with `baseline` over the matrix of `dims`.
pub fn align(
    world: &World,
    dims: &Dimensions,
    baseline: usize,
    pairwise: bool,
) -> Result<Alignment> {
    let items = dims.items(world)?;
    let spec = dims.spec(world)?;
    let transaction = dims.transaction()?;
    let bulk = Bulk::new(world, &items, transaction);
    let base = outcomes(&bulk, &spec, baseline);
    let per_item = spec.destinations.len() * spec.end_users.len() * spec.end_uses.len();
    let per_dest = spec.end_users.len() * spec.end_uses.len();
    let juris = &spec.jurisdictions;
    let all: Vec<Vec<crate::model::Outcome>> = juris
        .par_iter()
        .map(|&j| outcomes(&bulk, &spec, j))
        .collect();

    // One row per (jurisdiction, scenario): the comparison, aggregated with polars.
    let n = base.len();
    let mut jcol: Vec<u32> = Vec::with_capacity(n * juris.len());
    let mut icol: Vec<u32> = Vec::with_capacity(n * juris.len());
    let mut dcol: Vec<u32> = Vec::with_capacity(n * juris.len());
    let mut ccol: Vec<u32> = Vec::with_capacity(n * juris.len());
    for (k, outs) in all.iter().enumerate() {
        for (s, (o, b)) in outs.iter().zip(&base).enumerate() {
            jcol.push(k as u32);
            icol.push((s / per_item) as u32);
            dcol.push(((s % per_item) / per_dest) as u32);
            ccol.push(Comparison::of(*o, *b) as u32);
        }
    }
    let df = DataFrame::new(
        jcol.len(),
        vec![
            Column::new("j".into(), jcol),
            Column::new("item".into(), icol),
            Column::new("dest".into(), dcol),
            Column::new("cmp".into(), ccol),
        ],
    )
    .map_err(polars_err)?;
    let counted = df
        .clone()
        .lazy()
        .filter(col("cmp").neq(lit(Comparison::NotApplicable as u32)))
        .group_by([col("j")])
        .agg([
            len().alias("scenarios"),
            col("cmp")
                .eq(lit(Comparison::Same as u32))
                .sum()
                .alias("same"),
            col("cmp")
                .eq(lit(Comparison::Stricter as u32))
                .sum()
                .alias("stricter"),
            col("cmp")
                .eq(lit(Comparison::Looser as u32))
                .sum()
                .alias("looser"),
            col("cmp")
                .eq(lit(Comparison::Indeterminate as u32))
                .sum()
                .alias("indeterminate"),
        ])
        .collect()
        .map_err(polars_err)?;
    let differing = df.lazy().filter(
        col("cmp")
            .eq(lit(Comparison::Stricter as u32))
            .or(col("cmp").eq(lit(Comparison::Looser as u32))),
    );
    let by_item = differing
        .clone()
        .group_by([col("j"), col("item")])
        .agg([len().alias("n")])
        .collect()
        .map_err(polars_err)?;
    let by_dest = differing
        .group_by([col("j"), col("dest")])
        .agg([len().alias("n")])
        .collect()
        .map_err(polars_err)?;

    let u32s = |df: &DataFrame, name: &str| -> Result<Vec<u64>> {
        let c = df.column(name).map_err(polars_err)?;
        let c = c.cast(&DataType::UInt64).map_err(polars_err)?;
        Ok(c.u64()
            .map_err(polars_err)?
            .iter()
            .map(|v| v.unwrap_or(0))
            .collect())
    };
    let mut counts = vec![[0u64; 5]; juris.len()];
    let (cj, cs, c0, c1, c2, c3) = (
        u32s(&counted, "j")?,
        u32s(&counted, "scenarios")?,
        u32s(&counted, "same")?,
        u32s(&counted, "stricter")?,
        u32s(&counted, "looser")?,
        u32s(&counted, "indeterminate")?,
    );
    for k in 0..cj.len() {
        counts[cj[k] as usize] = [cs[k], c0[k], c1[k], c2[k], c3[k]];
    }
    let top = |df: &DataFrame, key: &str, name: &dyn Fn(u64) -> String| -> Result<Vec<String>> {
        let (j, x, nn) = (u32s(df, "j")?, u32s(df, key)?, u32s(df, "n")?);
        let mut per: Vec<Vec<(u64, u64)>> = vec![Vec::new(); juris.len()];
        for k in 0..j.len() {
            per[j[k] as usize].push((nn[k], x[k]));
        }
        Ok(per
            .into_iter()
            .map(|mut v| {
                v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                v.iter()
                    .take(3)
                    .map(|(n, x)| format!("{} ({n})", name(*x)))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect())
    };
    let item_name = |i: u64| world.catalogue().get(items[i as usize]).code.clone();
    let dest_name = |d: u64| {
        world
            .places()
            .code(spec.destinations[d as usize])
            .to_string()
    };
    let top_items = top(&by_item, "item", &item_name)?;
    let top_dests = top(&by_dest, "dest", &dest_name)?;
    let share = |x: u64, n: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
    let rows = juris
        .iter()
        .enumerate()
        .map(|(k, &j)| {
            let [n, same, stricter, looser, ind] = counts[k];
            AlignRow {
                jurisdiction: world.jurisdictions[j].code.clone(),
                baseline: world.jurisdictions[baseline].code.clone(),
                agreement: share(same, n),
                stricter: share(stricter, n),
                looser: share(looser, n),
                indeterminate: share(ind, n),
                scenarios: n,
                top_items: top_items[k].clone(),
                top_destinations: top_dests[k].clone(),
            }
        })
        .collect();
    let pairwise = pairwise.then(|| {
        let codes: Vec<String> = juris
            .iter()
            .map(|&j| world.jurisdictions[j].code.clone())
            .collect();
        let m: Vec<Vec<Option<f64>>> = (0..juris.len())
            .into_par_iter()
            .map(|a| {
                (0..juris.len())
                    .map(|b| pair_agreement(&all[a], &all[b]))
                    .collect()
            })
            .collect();
        (codes, m)
    });
    Ok(Alignment { rows, pairwise })
}

/// CSV columns of the alignment rows.
pub const COLUMNS: [&str; 9] = [
    "jurisdiction",
    "baseline",
    "agreement",
    "stricter",
    "looser",
    "indeterminate",
    "scenarios",
    "top_items",
    "top_destinations",
];

fn f(x: f64) -> String {
    format!("{x:.4}")
}

/// Encodes an alignment.
pub fn encode(a: &Alignment, format: AlignFormat) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Output {
        format: "csv",
        message: e.to_string(),
    };
    match format {
        AlignFormat::Json => {
            let mut v = serde_json::to_vec_pretty(a).map_err(|e| Error::Output {
                format: "json",
                message: e.to_string(),
            })?;
            v.push(b'\n');
            Ok(v)
        }
        AlignFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(COLUMNS).map_err(err)?;
            for r in &a.rows {
                w.write_record(r.cells()).map_err(err)?;
            }
            if let Some((codes, m)) = &a.pairwise {
                w.write_record([""; 9]).map_err(err)?;
                let mut header = vec!["pairwise agreement".to_string()];
                header.extend(codes.iter().cloned());
                let mut w2 =
                    csv::WriterBuilder::new()
                        .flexible(true)
                        .from_writer(w.into_inner().map_err(|e| Error::Output {
                            format: "csv",
                            message: e.to_string(),
                        })?);
                w2.write_record(&header).map_err(err)?;
                for (code, row) in codes.iter().zip(m) {
                    let mut rec = vec![code.clone()];
                    rec.extend(row.iter().map(|v| v.map(f).unwrap_or_default()));
                    w2.write_record(&rec).map_err(err)?;
                }
                return w2.into_inner().map_err(|e| Error::Output {
                    format: "csv",
                    message: e.to_string(),
                });
            }
            w.into_inner().map_err(|e| Error::Output {
                format: "csv",
                message: e.to_string(),
            })
        }
        AlignFormat::Table => {
            let mut out = format!(
                "{:<5} {:<8} {:>9} {:>9} {:>7} {:>13} {:>9}  top items\n",
                "code", "baseline", "agreement", "stricter", "looser", "indeterminate", "scenarios"
            );
            for r in &a.rows {
                out.push_str(&format!(
                    "{:<5} {:<8} {:>9.3} {:>9.3} {:>7.3} {:>13.3} {:>9}  {}\n",
                    r.jurisdiction,
                    r.baseline,
                    r.agreement,
                    r.stricter,
                    r.looser,
                    r.indeterminate,
                    r.scenarios,
                    r.top_items
                ));
            }
            if let Some((codes, m)) = &a.pairwise {
                out.push_str("\npairwise agreement\n     ");
                for c in codes {
                    out.push_str(&format!(" {c:>4}"));
                }
                out.push('\n');
                for (c, row) in codes.iter().zip(m) {
                    out.push_str(&format!("{c:<5}"));
                    for v in row {
                        match v {
                            Some(v) => out.push_str(&format!(" {:>4.0}", v * 100.0)),
                            None => out.push_str("    -"),
                        }
                    }
                    out.push('\n');
                }
            }
            Ok(out.into_bytes())
        }
    }
}
