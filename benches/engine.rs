//! Benchmarks, one per figure of the performance targets. Run with `cargo bench` (or
//! `cargo bench --bench engine -- FILTER`); each bench that has a rate reports it (items/s).
//!
//! - `single_determination`, `cyber_tables`, `cyber_matrix_engine`: the engine alone.
//! - `cyber_matrix_to_parquet` (today, and `--as-of 2023-01-01`): the full cyber matrix, all
//!   jurisdictions, end to end to a Parquet file on 2 threads, as `matrix` runs it;
//!   `cyber_matrix_process`: the same as a whole `wassenaar matrix` process.
//! - `evaluate_us_csv` / `evaluate_us_parquet`: `evaluate` on one thread, 260,000 US scenarios
//!   (10 items × 13 destinations, repeated), CSV in, all columns out, through the same library
//!   entry point as the command line.
//! - `screening_*`: 10,000 order lines with end-user names against the same without names
//!   (an order book of 1,000 customers, and a stress case of mostly distinct, often listed
//!   names), and the one-time name index build. `screening_pairs` (not a divan bench; it runs
//!   after the others, or alone with its name as the filter) prints the screening target's
//!   ratio from interleaved pairs.

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

/// The allocator the command line uses.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // Not a divan bench: run with the others, or alone by its name as the filter.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if filters.is_empty()
        || filters
            .iter()
            .any(|f| "screening_pairs".contains(f.as_str()))
    {
        screening_pairs();
    }
    // The scratch folder lives in a static, which is never dropped: remove it here.
    if let Some(d) = SCRATCH.get() {
        let _ = std::fs::remove_dir_all(d.path());
    }
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
static SCRATCH: OnceLock<tempfile::TempDir> = OnceLock::new();

fn scratch() -> &'static Path {
    SCRATCH
        .get_or_init(|| tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")))
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

/// 4A005 to a bank in China, and the US jurisdiction.
fn bank_in_china(w: &World) -> (wassenaar::model::Scenario, usize) {
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
    (s, us)
}

/// One scenario under one jurisdiction with the full rule chain (US, 4A005 to China, bank).
#[divan::bench]
fn single_determination(b: divan::Bencher) {
    let w = world();
    let (s, us) = bank_in_china(w);
    b.bench(|| w.evaluate(divan::black_box(us), divan::black_box(&s)));
}

/// Rendering that determination's rule chain into the contract's columns (the work done once
/// per distinct determination of a run).
#[divan::bench]
fn single_render(b: divan::Bencher) {
    let w = world();
    let (s, us) = bank_in_china(w);
    let d = w.evaluate(us, &s);
    b.bench(|| w.render(divan::black_box(&s), divan::black_box(&d)));
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
                    sink.write_rows(&bulk, &spec, at, end)
                        .unwrap_or_else(|e| panic!("{e}"));
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

/// `wassenaar matrix --format parquet --threads 2` as a whole process (release binary): the
/// datasets loaded, the full cyber matrix written.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn cyber_matrix_process(b: divan::Bencher) {
    let w = world();
    let items = cyber().items(w).unwrap_or_default();
    let total = cyber()
        .spec(w)
        .unwrap_or_else(|e| panic!("{e}"))
        .rows(items.len());
    let out = scratch().join("m-process.parquet");
    b.counter(divan::counter::ItemsCount::new(total as usize))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_wassenaar"))
                .args(["matrix", "--format", "parquet", "--threads", "2", "-o"])
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        });
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
    let (listed, aliases) = listed_names();
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
            _ => invented(&mut rng),
        })
        .collect()
}

/// The listed names and aliases of the US party file.
fn listed_names() -> (Vec<String>, Vec<String>) {
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
    (listed, aliases)
}

/// An invented firm name (on no list).
fn invented(rng: &mut Lcg) -> String {
    format!(
        "{} {} {} {}",
        FIRM_WORDS[rng.next(FIRM_WORDS.len())],
        FIRM_WORDS[rng.next(FIRM_WORDS.len())],
        FIRM_KINDS[rng.next(FIRM_KINDS.len())],
        FORMS[rng.next(FORMS.len())]
    )
    .trim()
    .to_string()
}

/// An order book: 10,000 order lines from 1,000 customers (each with one destination, lines
/// drawn at random); 1 % of the customers are listed names or aliases (case varied), 1 % near
/// misses (a listed name with a word added), the rest invented firms.
fn order_book() -> Vec<(String, &'static str)> {
    let (listed, aliases) = listed_names();
    let mut rng = Lcg(0x0bd5);
    let customers: Vec<(String, &'static str)> = (0..1_000)
        .map(|_| {
            let dest = DESTINATIONS[rng.next(DESTINATIONS.len())];
            let name = match rng.next(200) {
                0 => listed[rng.next(listed.len())].to_uppercase(),
                1 => aliases[rng.next(aliases.len())].clone(),
                2 | 3 => format!(
                    "{} {}",
                    listed[rng.next(listed.len())],
                    FIRM_KINDS[rng.next(FIRM_KINDS.len())]
                ),
                _ => invented(&mut rng),
            };
            (name, dest)
        })
        .collect();
    (0..SCREEN_ROWS)
        .map(|_| customers[rng.next(customers.len())].clone())
        .collect()
}

/// Writes `rows` (name, destination) as a named and an unnamed scenario file.
fn write_pair(rows: &[(String, &str)], named: &Path, plain: &Path) {
    let mut a = csv::Writer::from_path(named).unwrap();
    let mut b = csv::Writer::from_path(plain).unwrap();
    a.write_record(["id", "item", "destination", "end_user_name"])
        .unwrap();
    b.write_record(["id", "item", "destination"]).unwrap();
    for (n, (name, dest)) in rows.iter().enumerate() {
        let id = format!("o{n}");
        let item = ITEMS[n % ITEMS.len()];
        a.write_record([id.as_str(), item, dest, name.as_str()])
            .unwrap();
        b.write_record([id.as_str(), item, dest]).unwrap();
    }
    a.flush().unwrap();
    b.flush().unwrap();
}

/// The screening workloads, each with the same rows without names: the order book, and the
/// stress case (10,000 mostly distinct names, 40 % of them listed or near misses, over the
/// items × destinations above).
fn screening_inputs() -> &'static [(PathBuf, PathBuf); 2] {
    static P: OnceLock<[(PathBuf, PathBuf); 2]> = OnceLock::new();
    P.get_or_init(|| {
        let book = (
            scratch().join("book-named.csv"),
            scratch().join("book-plain.csv"),
        );
        write_pair(&order_book(), &book.0, &book.1);
        let stress = (scratch().join("named.csv"), scratch().join("plain.csv"));
        let rows: Vec<(String, &str)> = names()
            .into_iter()
            .enumerate()
            .map(|(n, name)| (name, DESTINATIONS[(n / ITEMS.len()) % DESTINATIONS.len()]))
            .collect();
        write_pair(&rows, &stress.0, &stress.1);
        [book, stress]
    })
}

/// One screening run: `input`, one thread, CSV out.
fn screening_run(b: divan::Bencher, input: &Path, out: &str) {
    let w = world();
    let _ = w.screening();
    let out = scratch().join(out);
    let pool = pool(1);
    b.counter(divan::counter::ItemsCount::new(SCREEN_ROWS))
        .with_inputs(|| fresh(&out))
        .bench_local_values(|()| {
            pool.install(|| evaluate(w, input, OutputFormat::Csv, &out, true))
        });
}

/// The order book with customer names (index already built): the target's workload.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn screening_book_named(b: divan::Bencher) {
    screening_run(b, &screening_inputs()[0].0, "book-named-out.csv");
}

/// The same order lines without names (the baseline of the screening ratio).
#[divan::bench(sample_count = 30, sample_size = 1)]
fn screening_book_unnamed(b: divan::Bencher) {
    screening_run(b, &screening_inputs()[0].1, "book-plain-out.csv");
}

/// The stress case with names.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn screening_stress_named(b: divan::Bencher) {
    screening_run(b, &screening_inputs()[1].0, "named-out.csv");
}

/// The stress case without names.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn screening_stress_unnamed(b: divan::Bencher) {
    screening_run(b, &screening_inputs()[1].1, "plain-out.csv");
}

/// The figure of the screening target, measured in pairs: the order book with names and the
/// same lines without, one after the other (the order alternating), `PAIRS` times, with the
/// median of each pair's ratio, so that the machine's drift between two benches does not
/// enter it. Once as the command runs it by default without the one-time index build (the
/// bundled datasets loaded, the rows evaluated on every core, the file written; the rows are
/// evaluated on the loaded world whose index is built beforehand, and each run loads the
/// datasets once more, as the command does) and once for the rows alone.
fn screening_pairs() {
    const PAIRS: usize = 41;
    let w = world();
    let _ = w.screening();
    let (named, plain) = &screening_inputs()[0];
    let out = scratch().join("pair-out.csv");
    let run = |input: &Path, load: bool| -> f64 {
        fresh(&out);
        let t = std::time::Instant::now();
        let loaded = load.then(|| World::bundled().unwrap_or_else(|e| panic!("datasets: {e}")));
        evaluate(w, input, OutputFormat::Csv, &out, true);
        let secs = t.elapsed().as_secs_f64();
        drop(loaded);
        secs
    };
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "screening_pairs: order book, {SCREEN_ROWS} lines, 1,000 customers, named vs unnamed, \
         index built beforehand; medians of {PAIRS} pairs"
    );
    for (load, what) in [
        (true, "as the command (datasets loaded, rows, file)"),
        (false, "the rows alone (datasets already loaded)"),
    ] {
        run(named, load);
        run(plain, load);
        let (mut a, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..PAIRS {
            let (x, y) = if i % 2 == 0 {
                let x = run(named, load);
                (x, run(plain, load))
            } else {
                let y = run(plain, load);
                (run(named, load), y)
            };
            a.push(x);
            b.push(y);
            r.push(x / y);
        }
        println!(
            "  {what}: named {:.2} ms, unnamed {:.2} ms, ratio {:.3}",
            median(&mut a) * 1e3,
            median(&mut b) * 1e3,
            median(&mut r)
        );
    }
}

/// `wassenaar evaluate` as a whole process (release binary, one thread, CSV out), as a user
/// runs it: the datasets loaded, the rows evaluated, the file written.
fn process_run(b: divan::Bencher, input: &Path, out: &str) {
    let out = scratch().join(out);
    b.with_inputs(|| fresh(&out)).bench_local_values(|()| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_wassenaar"))
            .args(["evaluate", "--jurisdictions", "US", "--threads", "1", "-o"])
            .arg(&out)
            .arg(input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    });
}

/// The first `n` lines of `from` (with its header) in a file of their own.
fn head(from: &Path, n: usize, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(from).unwrap();
    let out = scratch().join(name);
    let lines: Vec<&str> = text.lines().take(n + 1).collect();
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    out
}

/// The order book with names, whole process (index build included).
#[divan::bench(sample_count = 15, sample_size = 1)]
fn screening_process_book_named(b: divan::Bencher) {
    process_run(b, &screening_inputs()[0].0, "p-named-out.csv");
}

/// The order book without names, whole process.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn screening_process_book_unnamed(b: divan::Bencher) {
    process_run(b, &screening_inputs()[0].1, "p-plain-out.csv");
}

/// Its first line with a name, whole process: start-up, datasets and the one-time index build.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn screening_process_one_named(b: divan::Bencher) {
    let one = head(&screening_inputs()[0].0, 1, "one-named.csv");
    process_run(b, &one, "p-one-named-out.csv");
}

/// Its first line without a name, whole process: start-up and datasets.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn screening_process_one_unnamed(b: divan::Bencher) {
    let one = head(&screening_inputs()[0].1, 1, "one-plain.csv");
    process_run(b, &one, "p-one-plain-out.csv");
}

/// The one-time screening index build: the party files read and the name index built, on a
/// freshly loaded world (as the first named scenario of a run triggers it).
#[divan::bench(sample_count = 15, sample_size = 1)]
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
