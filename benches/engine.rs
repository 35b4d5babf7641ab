//! Benchmarks, one per figure of the performance targets. Run with `cargo bench` (or
//! `cargo bench --bench engine -- FILTER`); each bench that has a rate reports it (items/s).
//!
//! - `single_determination`, `cyber_tables`, `cyber_matrix_engine`: the engine alone.
//! - `cyber_matrix_to_parquet` (today, and `--as-of 2023-01-01`): the full cyber matrix, all
//!   jurisdictions, end to end to a Parquet file on 2 threads, as `matrix` runs it.
//! - `evaluate_us_csv` / `evaluate_us_parquet`: `evaluate` on one thread, 260,000 US scenarios
//!   (10 items × 13 destinations, repeated), CSV in, all columns out, through the same library
//!   entry point as the command line.
//! - `screening_*`: 10,000 scenarios with end-user names against the same without names, and
//!   the one-time name index build.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wassenaar::World;
use wassenaar::analysis::dims::Dimensions;
use wassenaar::engine::bulk::Bulk;
use wassenaar::input::Options;
use wassenaar::input::stream::Input;
use wassenaar::model::Transaction;
use wassenaar::output::OutputFormat;
use wassenaar::output::pipeline::Plan;

/// Rows per chunk, as `matrix` uses.
const CHUNK_ROWS: u64 = 1 << 20;

/// The `evaluate` workload of the targets: 10 items × 13 destinations, repeated.
pub const ITEMS: [&str; 10] = [
    "4A005", "4D004", "4E001.c", "5A001.j", "5A002.a", "5A004.a", "5A004.b", "5D001.e", "5D002",
    "5E002",
];
/// Destinations, as names (the Node peer reads names, not codes).
pub const DESTINATIONS: [&str; 13] = [
    "Germany",
    "United Kingdom",
    "France",
    "Japan",
    "Canada",
    "Australia",
    "India",
    "Israel",
    "China",
    "Russia",
    "United Arab Emirates",
    "Brazil",
    "Singapore",
];
/// Scenarios in the `evaluate` workload.
const EVALUATE_ROWS: usize = 260_000;
/// Named scenarios in the screening workload.
const SCREEN_ROWS: usize = 10_000;

fn main() {
    divan::main();
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| World::bundled().unwrap_or_else(|e| panic!("datasets: {e}")))
}

fn world_2023() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let day = wassenaar::model::Date::parse("2023-01-01").unwrap();
        world().at(day).unwrap_or_else(|e| panic!("datasets: {e}"))
    })
}

fn cyber() -> Dimensions {
    Dimensions::cyber()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A folder for the generated inputs and the outputs, kept for the whole run.
fn scratch() -> &'static Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")))
        .path()
}

/// The 260,000-row US scenario file (`id,item,destination`), written once.
fn evaluate_input() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let path = scratch().join("us-260k.csv");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "id,item,destination").unwrap();
        for n in 0..EVALUATE_ROWS {
            let item = ITEMS[n % ITEMS.len()];
            let dest = DESTINATIONS[(n / ITEMS.len()) % DESTINATIONS.len()];
            let dest = if dest.contains(',') {
                format!("\"{dest}\"")
            } else {
                dest.to_string()
            };
            writeln!(f, "o{n},{item},{dest}").unwrap();
        }
        f.flush().unwrap();
        path
    })
}

/// Removes the previous run's output (untimed), so each run writes a new file: replacing an
/// existing file makes ext4 write the new one back to disk at the rename (`auto_da_alloc`),
/// which times the disk rather than the program.
fn fresh(out: &Path) {
    let _ = std::fs::remove_file(out);
}

/// Runs `evaluate` over `input` as the command line does (columns, plan, pipeline), to
/// `output`. Returns the rows written.
fn evaluate(w: &World, input: &Path, format: OutputFormat, output: &Path, only_us: bool) -> u64 {
    let opts = Options::default();
    let input = Input::open(input.to_str().unwrap(), opts.clone()).unwrap();
    let (_, header) = input.records().unwrap();
    let (cols, names) = wassenaar::output::rows::columns(&header.extra, false, None).unwrap();
    let selection: Vec<usize> = if only_us {
        vec![w.jurisdiction("US").unwrap()]
    } else {
        (0..w.jurisdictions.len()).collect()
    };
    let prov = wassenaar::output::provenance::Provenance::of(w, "evaluate");
    let plan = Plan {
        format,
        cols,
        names,
        selection: &selection,
        keep_going: false,
        explain: false,
        output: Some(output),
        provenance: &prov,
        progress: false,
    };
    let stats =
        wassenaar::output::pipeline::run(w, &input, &opts, &plan).unwrap_or_else(|e| panic!("{e}"));
    stats.rows
}

/// One scenario under one jurisdiction with the full rule chain (US, 4A005 to China, bank).
#[divan::bench]
fn single_determination(b: divan::Bencher) {
    let w = world();
    let rec = wassenaar::input::RawRecord {
        line: 2,
        cells: [
            ("id", "b"),
            ("item", "4A005"),
            ("destination", "CN"),
            ("end_user", "financial"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        extra: Vec::new(),
    };
    let s = wassenaar::input::resolve_one(w, "bench", &rec, true, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let us = w.jurisdiction("US").unwrap_or_default();
    b.bench(|| w.evaluate(divan::black_box(us), divan::black_box(&s)));
}

/// Compiling the bulk tables for the cyber items (every class cell with the full chain).
#[divan::bench(sample_count = 10)]
fn cyber_tables(b: divan::Bencher) {
    let w = world();
    let items = cyber().items(w).unwrap_or_default();
    b.bench(|| Bulk::new(w, &items, Transaction::Export).evaluated_cells());
}

/// The full cyber matrix, determinations only (engine alone, tables already compiled).
#[divan::bench(sample_count = 10)]
fn cyber_matrix_engine(b: divan::Bencher) {
    let w = world();
    let dims = cyber();
    let items = dims.items(w).unwrap_or_default();
    let spec = dims.spec(w).unwrap_or_else(|e| panic!("{e}"));
    let bulk = Bulk::new(w, &items, Transaction::Export);
    let total = spec.rows(items.len());
    let mut buf = Vec::with_capacity(CHUNK_ROWS as usize);
    b.counter(divan::counter::ItemsCount::new(total as usize))
        .bench_local(|| {
            let mut sum = 0u64;
            let mut at = 0;
            while at < total {
                let end = (at + CHUNK_ROWS).min(total);
                spec.dets(&bulk, at, end, &mut buf);
                sum += buf.iter().map(|&d| d as u64).sum::<u64>();
                at = end;
            }
            sum
        });
}

/// The full cyber matrix end to end, as `matrix --format parquet --threads 2` runs it:
/// tables, determinations, Parquet file.
fn matrix_to_parquet(b: divan::Bencher, w: &World, file: &str) {
    let dims = cyber();
    let items = dims.items(w).unwrap_or_default();
    let spec = dims.spec(w).unwrap_or_else(|e| panic!("{e}"));
    let total = spec.rows(items.len());
    let path = scratch().join(file);
    let pool = pool(2);
    b.counter(divan::counter::ItemsCount::new(total as usize))
        .bench_local(|| {
            pool.install(|| {
                let bulk = Bulk::new(w, &items, Transaction::Export);
                let prov = wassenaar::output::provenance::Provenance::of(w, "bench");
                let mut sink =
                    wassenaar::output::matrix::open(OutputFormat::Parquet, Some(&path), &prov)
                        .unwrap_or_else(|e| panic!("{e}"));
                let mut at = 0;
                while at < total {
                    let end = (at + CHUNK_ROWS).min(total);
                    let cells = spec.chunk(&bulk, at, end);
                    sink.write(&bulk, &cells).unwrap_or_else(|e| panic!("{e}"));
                    at = end;
                }
                sink.finish().unwrap_or_else(|e| panic!("{e}"));
            })
        });
}

/// The full cyber matrix (42 jurisdictions) to Parquet on 2 threads, law of today.
#[divan::bench(sample_count = 5)]
fn cyber_matrix_to_parquet(b: divan::Bencher) {
    matrix_to_parquet(b, world(), "m.parquet");
}

/// The same with `--as-of 2023-01-01` (target: within 10 % of today's).
#[divan::bench(sample_count = 5)]
fn cyber_matrix_to_parquet_as_of_2023(b: divan::Bencher) {
    matrix_to_parquet(b, world_2023(), "m-2023.parquet");
}

/// `evaluate --jurisdictions US --threads 1`, CSV in, CSV out with all columns.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn evaluate_us_csv(b: divan::Bencher) {
    let w = world();
    let input = evaluate_input();
    let out = scratch().join("out.csv");
    let pool = pool(1);
    b.counter(divan::counter::ItemsCount::new(EVALUATE_ROWS))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            pool.install(|| evaluate(w, input, OutputFormat::Csv, &out, true))
        });
}

/// `evaluate --jurisdictions US --threads 1 --format parquet`, all columns.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn evaluate_us_parquet(b: divan::Bencher) {
    let w = world();
    let input = evaluate_input();
    let out = scratch().join("out.parquet");
    let pool = pool(1);
    b.counter(divan::counter::ItemsCount::new(EVALUATE_ROWS))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            pool.install(|| evaluate(w, input, OutputFormat::Parquet, &out, true))
        });
}

/// Invented firm names (not on any list), combined into unlisted customer names.
const FIRM_WORDS: [&str; 24] = [
    "Nordwind",
    "Altamira",
    "Kestrel",
    "Bluefjord",
    "Quintara",
    "Solenne",
    "Vardeck",
    "Marrowgate",
    "Oakhollow",
    "Pellucid",
    "Tessaline",
    "Brightwater",
    "Corvalis",
    "Duneridge",
    "Everlane",
    "Fennick",
    "Galloran",
    "Harrowby",
    "Istrana",
    "Juniperra",
    "Kalvora",
    "Lindqvist",
    "Montclave",
    "Norrland",
];
const FIRM_KINDS: [&str; 12] = [
    "Security",
    "Networks",
    "Systems",
    "Technologies",
    "Trading",
    "Logistics",
    "Telecom",
    "Software",
    "Engineering",
    "Group",
    "Research",
    "Data",
];
const FORMS: [&str; 10] = [
    "Ltd.",
    "S.A.",
    "GmbH",
    "Inc.",
    "PTE. LTD.",
    "Zrt",
    "LLC",
    "AG",
    "B.V.",
    "",
];

/// A deterministic pseudo-random sequence (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// 10,000 end-user names: about 15 % listed names (case and legal form varied), 10 %
/// aliases, 15 % near misses (a listed name with a word added or its form changed) and 60 %
/// unlisted invented firms, drawn deterministically. Mostly distinct.
fn names() -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/us/parties.csv"),
    )
    .unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut listed = Vec::new();
    let mut aliases = Vec::new();
    for r in rdr.records() {
        let r = r.unwrap();
        listed.push(r[1].to_string());
        for a in r[2].split(';').map(str::trim).filter(|a| !a.is_empty()) {
            aliases.push(a.to_string());
        }
    }
    let mut rng = Lcg(0x5eed);
    (0..SCREEN_ROWS)
        .map(|_| match rng.next(100) {
            0..15 => {
                let n = &listed[rng.next(listed.len())];
                if rng.next(2) == 0 {
                    n.to_lowercase()
                } else {
                    n.clone()
                }
            }
            15..25 if !aliases.is_empty() => aliases[rng.next(aliases.len())].clone(),
            15..40 => {
                let n = &listed[rng.next(listed.len())];
                format!("{n} {}", FIRM_KINDS[rng.next(FIRM_KINDS.len())])
            }
            _ => format!(
                "{} {} {} {}",
                FIRM_WORDS[rng.next(FIRM_WORDS.len())],
                FIRM_WORDS[rng.next(FIRM_WORDS.len())],
                FIRM_KINDS[rng.next(FIRM_KINDS.len())],
                FORMS[rng.next(FORMS.len())]
            )
            .trim()
            .to_string(),
        })
        .collect()
}

/// The screening workload: 10,000 US scenarios (the items × destinations above) with an
/// `end_user_name` column, and the same rows without it.
fn screening_inputs() -> &'static (PathBuf, PathBuf) {
    static P: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    P.get_or_init(|| {
        let named = scratch().join("named.csv");
        let plain = scratch().join("plain.csv");
        let mut a = csv::Writer::from_path(&named).unwrap();
        let mut b = csv::Writer::from_path(&plain).unwrap();
        a.write_record(["id", "item", "destination", "end_user_name"])
            .unwrap();
        b.write_record(["id", "item", "destination"]).unwrap();
        for (n, name) in names().iter().enumerate() {
            let id = format!("o{n}");
            let item = ITEMS[n % ITEMS.len()];
            let dest = DESTINATIONS[(n / ITEMS.len()) % DESTINATIONS.len()];
            a.write_record([id.as_str(), item, dest, name.as_str()])
                .unwrap();
            b.write_record([id.as_str(), item, dest]).unwrap();
        }
        a.flush().unwrap();
        b.flush().unwrap();
        (named, plain)
    })
}

/// 10,000 scenarios with end-user names (index already built), one thread, CSV out.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn screening_named_10k(b: divan::Bencher) {
    let w = world();
    let _ = w.screening();
    let (named, _) = screening_inputs();
    let out = scratch().join("named-out.csv");
    let pool = pool(1);
    b.counter(divan::counter::ItemsCount::new(SCREEN_ROWS))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            pool.install(|| evaluate(w, named, OutputFormat::Csv, &out, true))
        });
}

/// The same 10,000 scenarios without names (the baseline of the screening ratio).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn screening_unnamed_10k(b: divan::Bencher) {
    let w = world();
    let (_, plain) = screening_inputs();
    let out = scratch().join("plain-out.csv");
    let pool = pool(1);
    b.counter(divan::counter::ItemsCount::new(SCREEN_ROWS))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            pool.install(|| evaluate(w, plain, OutputFormat::Csv, &out, true))
        });
}

/// The one-time screening index build: the party files read and the name index built, on a
/// freshly loaded world (as the first named scenario of a run triggers it).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn screening_index_build(b: divan::Bencher) {
    b.with_inputs(|| World::bundled().unwrap_or_else(|e| panic!("datasets: {e}")))
        .bench_local_values(|w| {
            let _ = divan::black_box(w.screening());
            w
        });
}

/// The name index alone, from party lists already read.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn screening_index_only(b: divan::Bencher) {
    let w = world();
    let parties = w.parties();
    b.bench_local(|| {
        wassenaar::engine::screen::Screening::build(parties.list.iter().map(|(_, p)| {
            std::iter::once(p.name.as_str())
                .chain(p.aliases.iter().map(String::as_str))
                .collect()
        }))
    });
}

/// Screening alone: the 10,000 names of the screening workload matched against the index
/// (built beforehand), without evaluating anything.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn screening_names_only_10k(b: divan::Bencher) {
    let w = world();
    let _ = w.screening();
    let names = names();
    b.counter(divan::counter::ItemsCount::new(names.len()))
        .bench_local(|| {
            names
                .iter()
                .map(|n| w.screen(n).map(|h| h.len()).unwrap_or(0))
                .sum::<usize>()
        });
}

/// Compiling the datasets for one day (every regime, the whole catalogue).
#[divan::bench(sample_count = 5)]
fn compile_world(b: divan::Bencher) {
    let w = world();
    let day = w.as_of;
    b.bench(|| {
        w.at(divan::black_box(day))
            .unwrap_or_else(|e| panic!("{e}"))
    });
}

/// Every US list row's item (every ECCN and paragraph of the CCL in the datasets) to China:
/// one determination each, full rule chain; the counter gives the time per determination.
#[divan::bench(sample_count = 10)]
fn all_us_items_to_china(b: divan::Bencher) {
    let w = world();
    let us = w.jurisdiction("US").unwrap_or_default();
    let r = &w.regimes[w.jurisdictions[us].regime];
    let mut codes: Vec<String> = r
        .entries
        .iter()
        .map(|e| w.catalogue().get(e.item).code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    let scenarios: Vec<_> = codes
        .iter()
        .map(|code| {
            let rec = wassenaar::input::RawRecord {
                line: 2,
                cells: [("id", "b"), ("item", code.as_str()), ("destination", "CN")]
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                extra: Vec::new(),
            };
            wassenaar::input::resolve_one(w, "bench", &rec, true, &Default::default())
                .unwrap_or_else(|e| panic!("{code}: {e}"))
        })
        .collect();
    b.counter(divan::counter::ItemsCount::new(scenarios.len()))
        .bench(|| {
            scenarios
                .iter()
                .map(|s| w.evaluate(us, divan::black_box(s)).outcome as u8 as u64)
                .sum::<u64>()
        });
}
