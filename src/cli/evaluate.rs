//! `wassenaar evaluate`: the determination contract of DESIGN.md.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::engine::World;
use crate::error::{Error, Result};
use crate::input;
use crate::output::{self, OutputFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file: CSV, TOML (`[[scenario]]`) or JSON by extension; `-` reads CSV from stdin
    pub scenarios: String,
    /// Exporting jurisdictions for scenarios without an `exporter`: `all` or a list (`US,DE,FR`)
    #[arg(long, default_value = "all")]
    pub jurisdictions: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Output file (default: standard output; parquet needs a file)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the rule chain of every row (to standard error unless the format is `table`)
    #[arg(long)]
    pub explain: bool,
    /// Worker threads (default: all cores); results are identical for any number
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Parses `--jurisdictions`: `all`, or codes/names separated by commas.
pub fn selection(world: &World, text: &str) -> Result<Vec<usize>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok((0..world.jurisdictions.len()).collect());
    }
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let code = world
            .places
            .resolve(part)
            .map(|p| world.places.code(p).to_string());
        let Some(j) = code.as_deref().and_then(|c| world.jurisdiction(c)) else {
            let modelled: Vec<&str> = world
                .jurisdictions
                .iter()
                .map(|j| j.code.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "--jurisdictions: `{}` is not a modelled jurisdiction\n  accepted: all, or a list of {}",
                crate::error::printable(part),
                modelled.join(", ")
            )));
        };
        if !out.contains(&j) {
            out.push(j);
        }
    }
    if out.is_empty() {
        return Err(Error::Usage("--jurisdictions: empty list".into()));
    }
    Ok(out)
}

pub fn run(dir: &Path, args: Args) -> Result<()> {
    if args.format == OutputFormat::Parquet && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    if args.threads == Some(0) {
        return Err(Error::Usage("--threads must be at least 1".into()));
    }
    let world = World::load(dir)?;
    let selection = selection(&world, &args.jurisdictions)?;
    let (file, records) = input::read_records(&args.scenarios)?;
    let csv_lines = input::Format::from_path(&args.scenarios) == input::Format::Csv;
    let scenarios = input::resolve(&world, &file, &records, csv_lines)?;
    let work = || world.evaluate_all(&scenarios, &selection);
    let results = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Usage(format!("--threads: {e}")))?
            .install(work),
        None => work(),
    };
    let rows: Vec<_> = results
        .iter()
        .map(|(i, d)| world.render(&scenarios[*i], d))
        .collect();
    let bytes = output::encode(&rows, args.format, args.explain)?;
    if args.explain && args.format != OutputFormat::Table {
        let mut err = std::io::stderr().lock();
        for r in &rows {
            let f = r.fields();
            let _ = writeln!(err, "{} {} {}: {}", f[0], f[1], f[2], f[7]);
            let _ = write!(err, "{}", output::explanation(&f));
        }
    }
    match &args.output {
        Some(path) => output::write_atomic(path, &bytes),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .or_else(|e| {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| Error::io("write", Path::new("<stdout>"), e))
        }
    }
}
