//! The data behind every figure and finding, as CSV and Parquet (`tables/`). The Method
//! section of the report defines each column; a test recomputes the summary from these files.

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser};
use crate::report::File;
use crate::report::divergences::Divergence;
use crate::report::findings::{Finding, Metrics};
use crate::report::grid::Grid;
use crate::report::history::{History, ITEMS};
use crate::report::regimes::RegimeRow;

/// A table: name, columns, rows of cells.
pub(crate) struct Table {
    /// File stem under `tables/`.
    pub name: &'static str,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

fn csv_bytes(t: &Table) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Output {
        format: "csv",
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&t.columns).map_err(err)?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| crate::output::neutralise(c).into_owned()))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Output {
        format: "csv",
        message: e.to_string(),
    })
}

/// Parquet with numeric columns typed: a column whose every cell is an integer is `u64`, one
/// whose every cell is a number is `f64`, the rest text.
fn parquet_bytes(t: &Table) -> Result<Vec<u8>> {
    let err = |e: PolarsError| Error::Output {
        format: "parquet",
        message: e.to_string(),
    };
    let cols: Vec<Column> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let v: Vec<&str> = t.rows.iter().map(|r| r[i].as_str()).collect();
            let ints: Option<Vec<u64>> = v.iter().map(|s| s.parse().ok()).collect();
            let floats: Option<Vec<f64>> = v.iter().map(|s| s.parse().ok()).collect();
            match (ints, floats) {
                (Some(n), _) if !v.is_empty() => Column::new(name.as_str().into(), n),
                (_, Some(x)) if !v.is_empty() => Column::new(name.as_str().into(), x),
                _ => Column::new(name.as_str().into(), v),
            }
        })
        .collect();
    let mut df = DataFrame::new(t.rows.len(), cols).map_err(err)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(&mut df).map_err(err)?;
    Ok(out)
}

fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// A share with four decimals, or empty where undefined.
fn f(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// Everything the tables are made from.
pub(crate) struct Inputs<'a> {
    /// The grid.
    pub grid: &'a Grid<'a>,
    /// Its metrics.
    pub metrics: &'a Metrics,
    /// Year-by-year shares.
    pub history: &'a History,
    /// Key findings.
    pub findings: &'a [Finding],
    /// Divergence rows.
    pub divergences: &'a [Divergence],
    /// Regime comparison rows.
    pub regimes: &'a [RegimeRow],
    /// Numbered timeline events.
    pub events: &'a [(usize, String, String, String, String)],
    /// Spyware vendors on the Entity List.
    pub vendors: &'a [(String, String, String, String)],
    /// The catch-all finding's cells: destination, EU outcome, US outcome.
    pub catch_all: &'a [(String, String, String)],
}

/// The codes of a column's members, space-separated.
fn member_codes(grid: &Grid<'_>, c: &crate::report::model::Column) -> String {
    c.members
        .iter()
        .map(|&j| grid.world.jurisdictions[j].code.clone())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every table.
pub(crate) fn tables(x: &Inputs<'_>) -> Vec<Table> {
    let grid = x.grid;
    let members = |c: &crate::report::model::Column| member_codes(grid, c);
    let mut out = Vec::new();
    out.push(Table {
        name: "metrics",
        columns: cols(&[
            "column",
            "members",
            "applicable",
            "established",
            "same",
            "stricter",
            "looser",
            "coverage",
            "agreement",
            "stricter_share",
            "looser_share",
            "ranked",
        ]),
        rows: grid
            .columns
            .iter()
            .zip(&x.metrics.vs_us)
            .map(|(c, t)| {
                vec![
                    c.label.clone(),
                    members(c),
                    t.applicable.to_string(),
                    t.established().to_string(),
                    t.same.to_string(),
                    t.stricter.to_string(),
                    t.looser.to_string(),
                    f(t.coverage()),
                    f(t.agreement()),
                    f(t.stricter_share()),
                    f(t.looser_share()),
                    t.ranked().to_string(),
                ]
            })
            .collect(),
    });
    out.push(pairwise(x));
    out.push(outcomes(x));
    out.push(history(x));
    out.push(Table {
        name: "timeline",
        columns: cols(&["number", "date", "lane", "event", "source"]),
        rows: x
            .events
            .iter()
            .map(|(n, d, l, e, s)| vec![n.to_string(), d.clone(), l.clone(), e.clone(), s.clone()])
            .collect(),
    });
    out.push(Table {
        name: "divergences",
        columns: cols(&[
            "item",
            "column",
            "direction",
            "destinations",
            "us_outcome",
            "us_confidence",
            "us_reasons",
            "us_citations",
            "other_outcome",
            "other_confidence",
            "other_reasons",
            "other_citations",
        ]),
        rows: x
            .divergences
            .iter()
            .map(|d| {
                vec![
                    d.item.clone(),
                    d.column.clone(),
                    d.direction.as_str().to_string(),
                    d.destinations.join(" "),
                    d.us.words(),
                    d.us.confidence.as_str().to_string(),
                    d.us.reasons.clone(),
                    d.us.citations.clone(),
                    d.other.words(),
                    d.other.confidence.as_str().to_string(),
                    d.other.reasons.clone(),
                    d.other.citations.clone(),
                ]
            })
            .collect(),
    });
    out.push(Table {
        name: "regimes",
        columns: cols(&[
            "column",
            "members",
            "list",
            "wa_year",
            "confidence",
            "intra_bloc",
            "authorisations",
            "end_user_limits",
            "catch_alls",
            "human_rights",
            "surveillance_sanctions",
        ]),
        rows: x
            .regimes
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    r.members.clone(),
                    r.list.clone(),
                    r.wa_year.clone(),
                    r.confidence.clone(),
                    r.intra_bloc.clone(),
                    r.authorisations.clone(),
                    r.end_user_limits.clone(),
                    r.catch_alls.join("; "),
                    r.human_rights.clone(),
                    r.sanctions.clone(),
                ]
            })
            .collect(),
    });
    out.push(Table {
        name: "vendors",
        columns: cols(&["name", "countries", "listed_on", "notice"]),
        rows: x
            .vendors
            .iter()
            .map(|(a, b, c, d)| vec![a.clone(), b.clone(), c.clone(), d.clone()])
            .collect(),
    });
    out.push(Table {
        name: "catch-all",
        columns: cols(&["destination", "eu_outcome", "us_outcome"]),
        rows: x
            .catch_all
            .iter()
            .map(|(a, b, c)| vec![a.clone(), b.clone(), c.clone()])
            .collect(),
    });
    out.push(Table {
        name: "findings",
        columns: cols(&["id", "title", "text"]),
        rows: x
            .findings
            .iter()
            .map(|f| vec![f.id.to_string(), f.title.clone(), f.text.clone()])
            .collect(),
    });
    out
}

/// Every pair of columns: counts, agreement and coverage.
fn pairwise(x: &Inputs<'_>) -> Table {
    let grid = x.grid;
    let mut pairwise = Vec::new();
    for (a, ca) in grid.columns.iter().enumerate() {
        for (b, cb) in grid.columns.iter().enumerate() {
            let t = &x.metrics.pairwise[a][b];
            pairwise.push(vec![
                ca.label.clone(),
                cb.label.clone(),
                t.applicable.to_string(),
                t.established().to_string(),
                t.same.to_string(),
                f(t.coverage()),
                f(t.agreement()),
            ]);
        }
    }
    Table {
        name: "pairwise",
        columns: cols(&[
            "a",
            "b",
            "applicable",
            "established",
            "same",
            "coverage",
            "agreement",
        ]),
        rows: pairwise,
    }
}

/// The outcome grid behind the heatmaps and the findings' destination counts: commercial end user, no stated end use, one column per chart column.
fn outcomes(x: &Inputs<'_>) -> Table {
    let grid = x.grid;
    let world = grid.world;
    let mut columns = cols(&["item", "destination", "group"]);
    columns.extend(grid.columns.iter().map(|c| c.label.clone()));
    let mut outcomes = Vec::new();
    for i in 0..grid.items.len() {
        for (g, first, last) in &grid.rows.groups {
            for &p in &grid.rows.rows[*first..=*last] {
                let mut row = vec![
                    grid.code(i).to_string(),
                    world.places().code(p).to_string(),
                    g.clone(),
                ];
                for c in &grid.columns {
                    let o = grid.column_outcome(c, i, p, EndUser::Commercial, EndUse::Unspecified);
                    row.push(o.as_str().to_string());
                }
                outcomes.push(row);
            }
        }
    }
    Table {
        name: "outcomes",
        columns,
        rows: outcomes,
    }
}

/// The year-by-year shares behind the implementation-lag chart.
fn history(x: &Inputs<'_>) -> Table {
    let grid = x.grid;
    let mut history = Vec::new();
    for (k, item) in ITEMS.iter().enumerate() {
        for (l, lane) in x.history.lanes.iter().enumerate() {
            for (d, s) in x.history.days.iter().zip(&x.history.cells[k][l]) {
                history.push(vec![
                    item.to_string(),
                    lane.label.clone(),
                    member_codes(grid, lane),
                    d.to_string(),
                    s.applicable.to_string(),
                    s.licence.to_string(),
                    s.indeterminate.to_string(),
                    f(s.value()),
                ]);
            }
        }
    }
    Table {
        name: "history",
        columns: cols(&[
            "item",
            "lane",
            "members",
            "as_of",
            "applicable",
            "licence",
            "indeterminate",
            "share",
        ]),
        rows: history,
    }
}

/// CSV and Parquet files of every table.
pub(crate) fn files(tables: &[Table]) -> Result<Vec<File>> {
    let mut files = Vec::new();
    for t in tables {
        files.push(File {
            path: format!("tables/{}.csv", t.name),
            bytes: csv_bytes(t)?,
        });
        files.push(File {
            path: format!("tables/{}.parquet", t.name),
            bytes: parquet_bytes(t)?,
        });
    }
    Ok(files)
}
