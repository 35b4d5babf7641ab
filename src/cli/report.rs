//! `wassenaar report`: the charted reports.

use std::path::PathBuf;
use std::time::Instant;

use crate::data::Source;
use crate::error::{Error, Result};

/// Report presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// Where US controls on cybersecurity items differ from the other participants.
    Cyber,
    /// How the control lists line up with the Wassenaar list.
    Lists,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report preset
    #[arg(long, value_enum, default_value_t = Preset::Cyber)]
    preset: Preset,
    /// Output folder [default: reports/cyber or reports/lists]
    #[arg(long)]
    output_dir: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

pub fn run(source: Source, args: Args) -> Result<()> {
    let start = Instant::now();
    let world = super::world(source, &args.as_of)?;
    let (files, dir) = match args.preset {
        Preset::Cyber => (
            crate::report::files(&world)?,
            args.output_dir
                .unwrap_or_else(|| PathBuf::from("reports/cyber")),
        ),
        Preset::Lists => (
            crate::report::lists::files(&world)?,
            args.output_dir
                .unwrap_or_else(|| PathBuf::from("reports/lists")),
        ),
    };
    if files.is_empty() {
        return Err(Error::Usage("the report has no files".into()));
    }
    crate::report::write(&dir, &files)?;
    eprintln!(
        "wrote {} files to {} in {:.1} s (law as of {})",
        files.len(),
        dir.display(),
        start.elapsed().as_secs_f64(),
        world.as_of
    );
    Ok(())
}
