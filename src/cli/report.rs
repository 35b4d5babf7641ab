//! `wassenaar report`: the cybersecurity-items comparison report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::engine::World;
use crate::error::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report preset (only `cyber` so far)
    #[arg(long, default_value = "cyber")]
    pub preset: String,
    /// Output folder
    #[arg(long, default_value = "reports/cyber")]
    pub output_dir: PathBuf,
}

pub fn run(dir: &Path, args: Args) -> Result<()> {
    if args.preset != "cyber" {
        return Err(Error::Usage(format!(
            "--preset: `{}` is not a preset\n  accepted: cyber",
            crate::error::printable(&args.preset)
        )));
    }
    let start = Instant::now();
    let world = World::load(dir)?;
    let files = crate::report::files(&world)?;
    crate::report::write(&args.output_dir, &files)?;
    eprintln!(
        "wrote {} files to {} in {:.1} s",
        files.len(),
        args.output_dir.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
