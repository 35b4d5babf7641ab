//! Benchmarks: one determination, the full cyber matrix in the engine alone, and the full
//! cyber matrix end to end to Parquet. Run with `cargo bench`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::OnceLock;

use wassenaar::World;
use wassenaar::analysis::dims::Dimensions;
use wassenaar::engine::bulk::Bulk;
use wassenaar::model::Transaction;
use wassenaar::output::OutputFormat;

/// Rows per chunk, as `matrix` uses.
const CHUNK_ROWS: u64 = 1 << 20;

fn main() {
    divan::main();
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| World::bundled().unwrap_or_else(|e| panic!("datasets: {e}")))
}

fn cyber() -> Dimensions {
    Dimensions::cyber()
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

/// The full cyber matrix end to end: tables, determinations, Parquet file.
#[divan::bench(sample_count = 5)]
fn cyber_matrix_to_parquet(b: divan::Bencher) {
    let w = world();
    let dims = cyber();
    let items = dims.items(w).unwrap_or_default();
    let spec = dims.spec(w).unwrap_or_else(|e| panic!("{e}"));
    let total = spec.rows(items.len());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("m.parquet");
    b.counter(divan::counter::ItemsCount::new(total as usize))
        .bench_local(|| {
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
