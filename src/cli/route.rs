//! `wassenaar route`: rank candidate shipping entities (exporting jurisdictions) for one
//! transaction by licensing burden, including whether the EAR follows the item from a non-US
//! entity (15 CFR 734.3, 734.4) and, where it does, the stricter of the two outcomes.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::{Determination, World};
use crate::error::{Error, Result};
use crate::input::{RawRecord, resolve_one};
use crate::model::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteFormat {
    Csv,
    Json,
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Item (any numbering: `4A005`, `4.A.5`, `1-4.A.5`, `8A405`)
    #[arg(long)]
    pub item: String,
    /// Destination (ISO code or name)
    #[arg(long)]
    pub destination: String,
    #[arg(long, default_value = "commercial")]
    pub end_user: String,
    #[arg(long, default_value = "unspecified")]
    pub end_use: String,
    /// Candidate shipping entities: `all` or a list of jurisdictions (`US,DE,GB,JP`)
    #[arg(long, default_value = "all")]
    pub entities: String,
    /// Share of US-origin controlled content in the item (0-100)
    #[arg(long)]
    pub us_content_pct: Option<f64>,
    /// The item is US-origin software exported on its own
    #[arg(long)]
    pub us_origin_software: bool,
    #[arg(long, default_value = "export")]
    pub transaction: String,
    #[arg(long, value_enum, default_value_t = RouteFormat::Csv)]
    pub format: RouteFormat,
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// One candidate entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteRow {
    pub rank: usize,
    pub jurisdiction: String,
    pub outcome: String,
    pub authorisation: String,
    pub ear_applies: String,
    pub us_outcome: String,
    pub us_authorisation: String,
    pub burden: String,
    pub reasons: String,
    pub caveat: String,
}

pub const COLUMNS: [&str; 10] = [
    "rank",
    "jurisdiction",
    "outcome",
    "authorisation",
    "ear_applies",
    "us_outcome",
    "us_authorisation",
    "burden",
    "reasons",
    "caveat",
];

/// Licensing burden: no licence < general authorisation < individual licence < prohibited;
/// indeterminate last.
pub fn burden(o: Outcome) -> u8 {
    match o {
        Outcome::NotApplicable | Outcome::NotListed | Outcome::NoLicenceRequired => 0,
        Outcome::Authorised => 1,
        Outcome::LicenceRequired => 2,
        Outcome::Prohibited => 3,
        Outcome::Indeterminate => 4,
    }
}

const BURDEN_WORDS: [&str; 5] = [
    "no licence",
    "general authorisation",
    "individual licence",
    "prohibited",
    "indeterminate",
];

const SCREENING: &str = "party screening (Entity List, sanctions lists, end-user checks) is not part of this determination";

/// Ranks the entities for one transaction.
pub fn route(world: &World, args: &Args) -> Result<Vec<RouteRow>> {
    let mut cells = std::collections::BTreeMap::new();
    cells.insert("id".to_string(), "route".to_string());
    cells.insert("item".to_string(), args.item.clone());
    cells.insert("destination".to_string(), args.destination.clone());
    cells.insert("end_user".to_string(), args.end_user.clone());
    cells.insert("end_use".to_string(), args.end_use.clone());
    cells.insert("transaction".to_string(), args.transaction.clone());
    if let Some(p) = args.us_content_pct {
        cells.insert("us_content_pct".to_string(), p.to_string());
    }
    cells.insert(
        "us_origin_software".to_string(),
        args.us_origin_software.to_string(),
    );
    let s = resolve_one(
        world,
        "route arguments",
        &RawRecord { line: 1, cells },
        false,
    )
    .map_err(|e| Error::Usage(e.to_string()))?;
    let entities = crate::cli::evaluate::selection(world, &args.entities)?;
    let us = world.jurisdiction("US");
    let us_det = us.map(|u| world.evaluate(u, &s));
    let mut rows: Vec<(u8, usize, RouteRow)> = Vec::new();
    for (order, &j) in entities.iter().enumerate() {
        let d = world.evaluate(j, &s);
        let r = world.render(&s, &d);
        let follows = d.ear_applies == Some(true) && Some(j) != us;
        let (us_outcome, us_auth, combined) = match (&us_det, follows) {
            (Some(ud), true) => {
                let ur = world.render(&s, ud);
                (ur.outcome, ur.authorisation, stricter(&d, ud))
            }
            _ => (String::new(), String::new(), d.outcome),
        };
        let b = burden(combined);
        let authorised = d.outcome == Outcome::Authorised || combined == Outcome::Authorised;
        rows.push((
            b,
            order,
            RouteRow {
                rank: 0,
                jurisdiction: r.jurisdiction,
                outcome: r.outcome,
                authorisation: r.authorisation,
                ear_applies: r.ear_applies,
                us_outcome,
                us_authorisation: us_auth,
                burden: BURDEN_WORDS[b as usize].to_string(),
                reasons: r.reasons,
                caveat: if authorised {
                    SCREENING.to_string()
                } else {
                    String::new()
                },
            },
        ));
    }
    rows.sort_by_key(|(b, order, _)| (*b, *order));
    let mut out = Vec::with_capacity(rows.len());
    let mut rank = 0;
    let mut last = None;
    for (k, (b, _, mut row)) in rows.into_iter().enumerate() {
        if last != Some(b) {
            rank = k + 1;
            last = Some(b);
        }
        row.rank = rank;
        out.push(row);
    }
    Ok(out)
}

/// The stricter of two determinations by licensing burden.
fn stricter(a: &Determination, b: &Determination) -> Outcome {
    if burden(b.outcome) > burden(a.outcome) {
        b.outcome
    } else {
        a.outcome
    }
}

pub fn encode(rows: &[RouteRow], format: RouteFormat) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::Output {
        format: "csv",
        message: e.to_string(),
    };
    match format {
        RouteFormat::Json => {
            let mut v = serde_json::to_vec_pretty(rows).map_err(|e| Error::Output {
                format: "json",
                message: e.to_string(),
            })?;
            v.push(b'\n');
            Ok(v)
        }
        RouteFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(COLUMNS).map_err(err)?;
            for r in rows {
                let rank = r.rank.to_string();
                let rec = [
                    &rank,
                    &r.jurisdiction,
                    &r.outcome,
                    &r.authorisation,
                    &r.ear_applies,
                    &r.us_outcome,
                    &r.us_authorisation,
                    &r.burden,
                    &r.reasons,
                    &r.caveat,
                ];
                w.write_record(
                    rec.iter()
                        .map(|f| crate::output::neutralise(f).into_owned()),
                )
                .map_err(err)?;
            }
            w.into_inner().map_err(|e| Error::Output {
                format: "csv",
                message: e.to_string(),
            })
        }
        RouteFormat::Table => {
            let mut out = format!(
                "{:>4}  {:<4} {:<20} {:<14} {:<5} {:<20} {}\n",
                "rank", "code", "outcome", "authorisation", "ear", "us outcome", "burden"
            );
            for r in rows {
                out.push_str(&format!(
                    "{:>4}  {:<4} {:<20} {:<14} {:<5} {:<20} {}\n",
                    r.rank,
                    r.jurisdiction,
                    r.outcome,
                    r.authorisation,
                    r.ear_applies,
                    r.us_outcome,
                    r.burden
                ));
            }
            Ok(out.into_bytes())
        }
    }
}

pub fn run(dir: &Path, args: Args) -> Result<()> {
    let world = World::load(dir)?;
    let rows = route(&world, &args)?;
    crate::cli::emit(args.output.as_deref(), &encode(&rows, args.format)?)
}
