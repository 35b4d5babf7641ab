//! `wassenaar route`: rank candidate shipping entities for one transaction, or recommend the
//! entity per order of an order file (`--orders`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::analysis::route::{Burden, COLUMNS, determine, route, us_side};
use crate::data::Source;
use crate::engine::World;
use crate::error::{Error, Result};
use crate::input::stream::Input;
use crate::input::{Options, RawRecord, resolve_one};

/// Output formats of `route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// An aligned table.
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Item (any numbering: `4A005`, `4.A.5`, `1-4.A.5`, `8A405`, `EAR99`)
    #[arg(long, required_unless_present = "orders")]
    item: Option<String>,
    /// Destination (ISO code or name)
    #[arg(long, required_unless_present = "orders")]
    destination: Option<String>,
    /// End user
    #[arg(long, default_value = "commercial")]
    end_user: String,
    /// End use
    #[arg(long, default_value = "unspecified")]
    end_use: String,
    /// The end user's name, screened against the party lists
    #[arg(long)]
    end_user_name: Option<String>,
    /// Candidate shipping entities: `all` (the modelled jurisdictions) or any ISO places (`US,DE,GB,IL`)
    #[arg(long, default_value = "all")]
    entities: String,
    /// Share of US-origin controlled content in the item (0-100)
    #[arg(long)]
    us_content_pct: Option<f64>,
    /// The item is US-origin software exported on its own
    #[arg(long)]
    us_origin_software: bool,
    /// Contract value
    #[arg(long)]
    value: Option<f64>,
    /// Currency of the value (ISO 4217)
    #[arg(long)]
    currency: Option<String>,
    /// Transaction type
    #[arg(long, default_value = "export")]
    transaction: String,
    /// An order file (scenario columns; lines sharing an `id` form one order): recommend an entity per order
    #[arg(long, value_name = "FILE")]
    orders: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (default: standard output)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write the provenance to this file (default: a sidecar next to the output file)
    #[arg(long, value_name = "FILE")]
    provenance: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

fn flag_of(column: &str) -> String {
    format!("--{}", column.replace('_', "-"))
}

/// The candidate places: `all` = the modelled jurisdictions; else any ISO places.
fn entities(world: &World, text: &str) -> Result<Vec<u16>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(world.jurisdictions.iter().map(|j| j.place).collect());
    }
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match world.places().resolve(part) {
            Some(p) if !out.contains(&p) => out.push(p),
            Some(_) => {}
            None => {
                return Err(Error::flag(
                    "--entities",
                    part,
                    "unknown place",
                    "`all`, or ISO codes or names of any places (`US,DE,GB,IL`)",
                ));
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Usage("--entities: empty list".into()));
    }
    Ok(out)
}

pub fn run(source: Source, args: Args) -> Result<()> {
    let world = super::world(source, &args.as_of)?;
    let places = entities(&world, &args.entities)?;
    let fmt = match args.format {
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Table => "table",
    };
    let prov = crate::output::provenance::Provenance::of(&world, "route");
    let bytes = match &args.orders {
        Some(file) => orders(&world, file, &places, fmt, &prov)?,
        None => {
            let mut cells = BTreeMap::new();
            let mut put = |k: &str, v: &str| {
                cells.insert(k.to_string(), v.to_string());
            };
            put("id", "route");
            put("item", args.item.as_deref().unwrap_or(""));
            put("destination", args.destination.as_deref().unwrap_or(""));
            put("end_user", &args.end_user);
            put("end_use", &args.end_use);
            put("transaction", &args.transaction);
            if let Some(p) = args.us_content_pct {
                put("us_content_pct", &p.to_string());
            }
            put("us_origin_software", &args.us_origin_software.to_string());
            if let Some(n) = &args.end_user_name {
                put("end_user_name", n);
            }
            if let Some(v) = args.value {
                put("value", &v.to_string());
            }
            if let Some(c) = &args.currency {
                put("currency", c);
            }
            let rec = RawRecord {
                line: 1,
                cells: cells.clone(),
                extra: Vec::new(),
            };
            let s = resolve_one(&world, "route", &rec, false, &Options::default()).map_err(
                |e| match e {
                    Error::Input(l) => {
                        let col = l.column.clone().unwrap_or_default();
                        let value = cells.get(&col).cloned().unwrap_or_default();
                        let msg = l
                            .message
                            .split(": ")
                            .last()
                            .unwrap_or(&l.message)
                            .to_string();
                        Error::flag(
                            &flag_of(&col),
                            &value,
                            &msg,
                            l.accepted.as_deref().unwrap_or(""),
                        )
                    }
                    e => e,
                },
            )?;
            let rows = route(&world, &s, &places);
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string(),
                        r.jurisdiction.clone(),
                        r.outcome.clone(),
                        r.authorisation.clone(),
                        r.ear_applies.clone(),
                        r.us_outcome.clone(),
                        r.us_authorisation.clone(),
                        r.licences.to_string(),
                        r.burden.clone(),
                        r.reasons.clone(),
                        r.us_reasons.clone(),
                        r.conditions.clone(),
                    ]
                })
                .collect();
            if fmt == "table" {
                let short: Vec<Vec<String>> = cells.iter().map(|r| r[..9].to_vec()).collect();
                crate::output::table::bytes(&COLUMNS[..9], &short, fmt, Some(&prov))?
            } else {
                crate::output::table::bytes(&COLUMNS, &cells, fmt, Some(&prov))?
            }
        }
    };
    crate::output::emit(args.output.as_deref(), &bytes)?;
    crate::output::provenance::write(
        &prov,
        args.output.as_deref(),
        args.provenance.as_deref(),
        false,
    )
}

/// One candidate entity's total over an order's lines: burden, rank in `--entities`, place,
/// licences needed, conditions.
type EntityTotal = (Burden, usize, u16, Vec<String>, Vec<String>);

/// Columns of `route --orders`.
pub const ORDER_COLUMNS: [&str; 7] = [
    "order",
    "lines",
    "best_entity",
    "burden",
    "licences",
    "conditions",
    "alternatives",
];

fn orders(
    world: &World,
    file: &str,
    places: &[u16],
    fmt: &str,
    prov: &crate::output::provenance::Provenance,
) -> Result<Vec<u8>> {
    let opts = Options {
        repeat_ids: true,
        ..Options::default()
    };
    let input = Input::open(file, opts.clone())?;
    let (records, _) = input.records()?;
    let mut order_ids: Vec<String> = Vec::new();
    let mut lines: BTreeMap<String, Vec<crate::model::Scenario>> = BTreeMap::new();
    for rec in records {
        let rec = rec?;
        let s = resolve_one(world, &input.name, &rec, input.csv_lines(), &opts)?;
        if !lines.contains_key(&s.id) {
            order_ids.push(s.id.clone());
        }
        lines.entry(s.id.clone()).or_default().push(s);
    }
    let mut rows = Vec::new();
    for id in order_ids {
        let ls = &lines[&id];
        let mut per: Vec<EntityTotal> = Vec::new();
        for (order, &p) in places.iter().enumerate() {
            let mut total = Burden {
                blocker: 0,
                licences: 0,
                authorisations: 0,
            };
            let mut licences = Vec::new();
            let mut conditions = Vec::new();
            for s in ls {
                let d = determine(world, p, s);
                let us = us_side(&d);
                let b = Burden::of(d.outcome, us);
                total.blocker = total.blocker.max(b.blocker);
                total.licences += b.licences;
                total.authorisations += b.authorisations;
                let r = world.render(s, &d);
                let code = world.places().code(p);
                if d.outcome == crate::model::Outcome::LicenceRequired
                    || d.outcome == crate::model::Outcome::Prohibited
                    || d.outcome == crate::model::Outcome::Indeterminate
                {
                    licences.push(format!("{}: {code} {}", r.item, r.outcome));
                }
                if matches!(
                    us,
                    Some(
                        crate::model::Outcome::LicenceRequired
                            | crate::model::Outcome::Prohibited
                            | crate::model::Outcome::Indeterminate
                    )
                ) {
                    licences.push(format!("{}: US {} (re-export)", r.item, r.us_outcome));
                }
                if !r.conditions.is_empty() {
                    conditions.push(format!("{}: {}", r.item, r.conditions));
                }
            }
            per.push((total, order, p, licences, conditions));
        }
        per.sort_by_key(|(b, o, ..)| (*b, *o));
        let Some((best, _, bp, lic, cond)) = per.first() else {
            continue;
        };
        rows.push(vec![
            id.clone(),
            ls.len().to_string(),
            world.places().code(*bp).to_string(),
            best.words(),
            lic.join("; "),
            cond.join("; "),
            per.iter()
                .skip(1)
                .map(|(b, _, p, ..)| format!("{}: {}", world.places().code(*p), b.words()))
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    crate::output::table::bytes(&ORDER_COLUMNS, &rows, fmt, Some(prov))
}
