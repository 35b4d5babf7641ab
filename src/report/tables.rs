//! The data behind every figure, as CSV and Parquet.

use polars::prelude::*;

use crate::engine::World;
use crate::error::{Error, Result};
use crate::model::EndUser;
use crate::report::model::{ACE_CATEGORIES, folded};
use crate::report::{Figures, File};

struct Table {
    name: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<Vec<String>>,
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
            Column::new((*name).into(), v)
        })
        .collect();
    let mut df = DataFrame::new(t.rows.len(), cols).map_err(err)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(&mut df).map_err(err)?;
    Ok(out)
}

fn f(x: f64) -> String {
    format!("{x:.4}")
}

pub fn files(world: &World, fig: &Figures) -> Result<Vec<File>> {
    let mut tables = Vec::new();
    // Outcomes behind the heatmaps (long format).
    let mut rows = Vec::new();
    for (i, &item) in fig.items.iter().enumerate() {
        for (r, &p) in fig.rows.rows.iter().enumerate() {
            let group = fig
                .rows
                .groups
                .iter()
                .find(|(_, a, b)| (*a..=*b).contains(&r))
                .map(|g| g.0.clone())
                .unwrap_or_default();
            for c in &fig.columns {
                rows.push(vec![
                    world.catalogue().get(item).code.clone(),
                    world.places().code(p).to_string(),
                    group.clone(),
                    c.label.clone(),
                    c.members
                        .iter()
                        .map(|&j| world.jurisdictions[j].code.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    folded(c, &fig.juris, &fig.slices[i], r)
                        .as_str()
                        .to_string(),
                ]);
            }
        }
    }
    tables.push(Table {
        name: "outcomes",
        columns: vec![
            "item",
            "destination",
            "destination_group",
            "column",
            "jurisdictions",
            "outcome",
        ],
        rows,
    });
    tables.push(Table {
        name: "alignment",
        columns: crate::analysis::align::COLUMNS.to_vec(),
        rows: fig.align.iter().map(|r| r.cells()).collect(),
    });
    let mut rows = Vec::new();
    for (a, ca) in fig.columns.iter().enumerate() {
        for (b, cb) in fig.columns.iter().enumerate() {
            rows.push(vec![
                ca.label.clone(),
                cb.label.clone(),
                fig.pairwise[a][b].map(f).unwrap_or_default(),
            ]);
        }
    }
    tables.push(Table {
        name: "pairwise",
        columns: vec!["a", "b", "agreement"],
        rows,
    });
    let mut rows = Vec::new();
    for (u, counts) in fig.ace.iter().enumerate() {
        for (c, n) in counts.iter().enumerate() {
            rows.push(vec![
                EndUser::VALUES[u].as_str().to_string(),
                ACE_CATEGORIES[c].to_string(),
                n.to_string(),
            ]);
        }
    }
    tables.push(Table {
        name: "ace-restrictions",
        columns: vec!["end_user", "deciding_rule", "cases"],
        rows,
    });
    let t = crate::report::doc::timeline(world, fig, "");
    let mut rows = Vec::new();
    for e in &world.data.wa_list.history {
        rows.push(vec![
            "Wassenaar".into(),
            e.date.clone(),
            "wa".into(),
            e.event.clone(),
            e.source.clone(),
            String::new(),
        ]);
    }
    for r in &world.regimes {
        for m in &r.meta.milestones {
            rows.push(vec![
                r.meta.name.clone(),
                m.date.clone(),
                m.kind.clone(),
                m.event.clone(),
                m.source.clone(),
                m.confidence.clone().unwrap_or_else(|| "primary".into()),
            ]);
        }
    }
    let _ = t;
    tables.push(Table {
        name: "timeline",
        columns: vec!["lane", "date", "kind", "event", "source", "confidence"],
        rows,
    });
    tables.push(Table {
        name: "divergences",
        columns: vec![
            "item",
            "column",
            "destination",
            "direction",
            "us_outcome",
            "us_authorisation",
            "us_reasons",
            "us_citations",
            "outcome",
            "authorisation",
            "reasons",
            "citations",
            "confidence",
        ],
        rows: fig
            .divergences
            .iter()
            .map(|d| {
                vec![
                    d.item.clone(),
                    d.column.clone(),
                    d.destination.clone(),
                    d.direction.as_str().to_string(),
                    d.us.outcome.clone(),
                    d.us.authorisation.clone(),
                    d.us.reasons.clone(),
                    d.us.citations.clone(),
                    d.other.outcome.clone(),
                    d.other.authorisation.clone(),
                    d.other.reasons.clone(),
                    d.other.citations.clone(),
                    d.other.confidence.clone(),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        name: "jurisdictions",
        columns: vec![
            "code",
            "name",
            "regime",
            "list_version",
            "list_date",
            "wa_year",
            "confidence",
            "gaps",
        ],
        rows: world
            .jurisdictions
            .iter()
            .map(|j| {
                let m = &world.regimes[j.regime].meta;
                vec![
                    j.code.clone(),
                    j.meta.name.clone(),
                    world.regimes[j.regime].id.clone(),
                    m.list_version.clone(),
                    m.list_date.to_string(),
                    m.wa_year.map(|y| y.to_string()).unwrap_or_default(),
                    j.meta.confidence.as_str().to_string(),
                    m.gaps
                        .iter()
                        .map(|g| g.id.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                ]
            })
            .collect(),
    });
    let mut out = Vec::new();
    for t in &tables {
        out.push(File {
            path: format!("tables/{}.csv", t.name),
            bytes: csv_bytes(t)?,
        });
        out.push(File {
            path: format!("tables/{}.parquet", t.name),
            bytes: parquet_bytes(t)?,
        });
    }
    Ok(out)
}
