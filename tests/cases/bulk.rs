//! The bulk path (`matrix`, `align`, `route`) agrees with scenario-by-scenario evaluation.

use std::process::Command;

use wassenaar::analysis::dims::Dimensions;
use wassenaar::engine::bulk::Bulk;
use wassenaar::model::{EndUse, EndUser, Scenario, Transaction};

use super::{root, world};

/// A Parquet column read back as text (a null as the empty string, as CSV writes it).
fn strings(df: &polars::prelude::DataFrame, name: &str) -> Vec<String> {
    use polars::prelude::*;
    df.column(name)
        .expect("column")
        .cast(&DataType::String)
        .expect("cast")
        .str()
        .expect("str")
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect()
}

fn dims(items: &str, destinations: &str) -> Dimensions {
    Dimensions {
        items: items.into(),
        destinations: destinations.into(),
        end_users: "all".into(),
        end_uses: "all".into(),
        jurisdictions: "all".into(),
        transaction: "export".into(),
    }
}

/// Every cell of the equivalence-class tables equals the full rule chain run on that cell.
#[test]
fn bulk_tables_match_direct_evaluation() {
    let w = world();
    let d = dims(
        "4A005,5A001.j,4E001.c,5A002,5D902",
        "US,DE,FR,CN,IL,IR,RU,UA-43,GB,JP,IN,BR,CH,KP",
    );
    let items = d.items(w).expect("items");
    let spec = d.spec(w).expect("spec");
    let bulk = Bulk::new(w, &items, Transaction::Export);
    let mut checked = 0;
    for n in 0..spec.rows(items.len()) {
        let c = spec.cell(&bulk, n);
        let s = Scenario::new(
            items[c.item],
            c.dest,
            EndUser::VALUES[c.user],
            EndUse::VALUES[c.usage],
        );
        let direct = w.evaluate(c.jurisdiction, &s);
        let table = &bulk.dets[c.det as usize];
        assert_eq!(
            direct.outcome, table.outcome,
            "{} {:?}",
            w.jurisdictions[c.jurisdiction].code, s
        );
        assert_eq!(
            w.render_parts(c.jurisdiction, s.item, s.destination, &direct),
            w.render_parts(c.jurisdiction, s.item, s.destination, table)
        );
        checked += 1;
    }
    assert!(checked > 20_000, "{checked}");
}

/// `align`: every agreement in [0, 1]; Switzerland (individual licence everywhere) is not in
/// full agreement with the US; the US agrees with itself.
#[test]
fn align_shares_are_proportions() {
    let w = world();
    let us = w.jurisdiction("US").expect("US");
    let a = wassenaar::analysis::align::align(w, &dims("cyber", "all"), us, true).expect("align");
    assert_eq!(a.rows.len(), 42);
    for r in &a.rows {
        for x in [r.agreement, r.stricter, r.looser, r.indeterminate] {
            assert!((0.0..=1.0).contains(&x), "{r:?}");
        }
        assert!(
            (r.agreement + r.stricter + r.looser + r.indeterminate - 1.0).abs() < 1e-9,
            "{r:?}"
        );
    }
    let ch = a.rows.iter().find(|r| r.jurisdiction == "CH").expect("CH");
    assert!(ch.agreement < 1.0 && ch.stricter > 0.0, "{ch:?}");
    let (codes, m) = a.pairwise.expect("pairwise");
    let i = codes.iter().position(|c| c == "DE").expect("DE");
    let k = codes.iter().position(|c| c == "FR").expect("FR");
    assert_eq!(m[i][k], Some(1.0), "EU members share the regime");
}

fn route(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(["route", "--format", "csv"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `route` for 4A005 to the US: Canada (no permit, ECL s. 2(a)) before Germany (EU001)
/// before Switzerland (individual licence under the VIM).
#[test]
fn route_ranks_canada_germany_switzerland() {
    let out = route(&[
        "--item",
        "4A005",
        "--destination",
        "US",
        "--entities",
        "CH,DE,CA",
    ]);
    let order: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(order, ["CA", "DE", "CH"], "{out}");
    let de = out.lines().find(|l| l.contains(",DE,")).unwrap_or_default();
    assert!(
        de.contains("EU001") && de.contains("EU001-CONDITIONS"),
        "{de}"
    );
}

/// 15 CFR 734.4(d): at 40 % US controlled content to China, the EAR follows the item from
/// German and Japanese entities.
#[test]
fn route_flags_the_ear_above_de_minimis() {
    let out = route(&[
        "--item",
        "4A005",
        "--destination",
        "CN",
        "--entities",
        "DE,JP",
        "--us-content-pct",
        "40",
    ]);
    for l in out.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f[4], "true", "{l}");
        assert_eq!(f[5], "licence-required", "{l}");
    }
    let out = route(&[
        "--item",
        "4A005",
        "--destination",
        "CN",
        "--entities",
        "DE",
        "--us-content-pct",
        "20",
    ]);
    assert!(
        out.lines().nth(1).unwrap_or_default().contains(",false,"),
        "{out}"
    );
}

/// `matrix` streams the contract columns; Parquet output reads back with the same rows.
#[test]
fn matrix_csv_and_parquet_agree() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = |format: &str, file: &str| {
        let p = dir.path().join(file);
        let o = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
            .args([
                "matrix",
                "--items",
                "4A005,5A001.j",
                "--destinations",
                "DE,CN,US",
                "--jurisdictions",
                "US,DE,CH",
            ])
            .args(["--format", format, "-o"])
            .arg(&p)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains("determinations in"));
        p
    };
    let csv_path = run("csv", "m.csv");
    let pq_path = run("parquet", "m.parquet");
    let text = std::fs::read_to_string(&csv_path).expect("csv");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows.len(),
        1 + 2 * 3 * EndUser::VALUES.len() * EndUse::VALUES.len() * 3
    );
    assert!(rows[0].starts_with("scenario_id,jurisdiction,item,local_entry"));
    use polars::prelude::*;
    let file = std::fs::File::open(&pq_path).expect("parquet");
    let df = ParquetReader::new(file).finish().expect("reads");
    assert_eq!(df.height(), rows.len() - 1);
    let outcomes = strings(&df, "outcome");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let csv_outcomes: Vec<String> = r
        .records()
        .map(|x| x.expect("row")[7].to_string())
        .collect();
    assert_eq!(outcomes, csv_outcomes);
}

/// Same inputs, byte-identical outputs, for 1, 2 and 8 threads and across runs: `evaluate`,
/// `matrix` (CSV and Parquet) and `align`.
#[test]
fn outputs_are_identical_for_1_2_and_8_threads() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = |args: &[&str], file: &str| -> Vec<u8> {
        let p = dir.path().join(file);
        let o = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
            .args(args)
            .arg("-o")
            .arg(&p)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::read(&p).expect("written")
    };
    let small = [
        "--items",
        "4A005,5A001.j,5A002",
        "--destinations",
        "DE,CN,US,IL,RU,FR,IN",
        "--jurisdictions",
        "all",
    ];
    let mut first: Vec<Vec<u8>> = Vec::new();
    for (k, threads) in ["1", "2", "8", "2"].iter().enumerate() {
        let mut outs = Vec::new();
        let mut m = vec!["matrix", "--threads", threads, "--format", "csv"];
        m.extend(small);
        outs.push(run(&m, &format!("m{k}.csv")));
        let mut m = vec!["matrix", "--threads", threads, "--format", "parquet"];
        m.extend(small);
        outs.push(run(&m, &format!("m{k}.parquet")));
        let mut a = vec!["align", "--threads", threads, "--pairwise"];
        a.extend(small);
        outs.push(run(&a, &format!("a{k}.csv")));
        outs.push(run(
            &[
                "evaluate",
                "datasets/scenarios/cyber-examples.csv",
                "--threads",
                threads,
                "--format",
                "jsonl",
            ],
            &format!("e{k}.jsonl"),
        ));
        if first.is_empty() {
            first = outs;
        } else {
            for (i, (a, b)) in first.iter().zip(&outs).enumerate() {
                assert!(a == b, "output {i} differs with {threads} threads");
            }
        }
    }
}

/// The report is the same whatever the thread count.
#[test]
fn report_is_identical_for_1_and_8_threads() {
    let build = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool")
            .install(|| wassenaar::report::files(world()).expect("report"))
    };
    let (a, b) = (build(1), build(8));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x.path == y.path && x.bytes == y.bytes, "{} differs", x.path);
    }
}

/// Every column of every row of a matrix Parquet file, read back through polars, equals the
/// CSV output (the CSV's spreadsheet-formula guard applied to the Parquet text): the text
/// columns, `ear_applies` as true or null, and the always-empty columns. Small row groups
/// (`WASSENAAR_PARQUET_ROW_GROUP_ROWS`) make the file hold many, each with its own dictionary.
#[test]
fn matrix_parquet_reads_back_equal_to_csv_in_every_column() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().expect("tmp");
    let args = [
        "matrix",
        "--items",
        "4A005,5A001.j,4E001.c",
        "--destinations",
        "DE,CN,US,IR,RU",
        "--jurisdictions",
        "US,DE,CH,GB,JP",
    ];
    let run = |format: &str, file: &str, group: &str| {
        let p = dir.path().join(file);
        let o = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
            .args(args)
            .args(["--format", format, "-o"])
            .arg(&p)
            .env("WASSENAAR_PARQUET_ROW_GROUP_ROWS", group)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        p
    };
    let csv_path = run("csv", "m.csv", "");
    let text = std::fs::read_to_string(&csv_path).expect("csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(
        rows.len(),
        3 * 5 * EndUser::VALUES.len() * EndUse::VALUES.len() * 5
    );
    for group in ["", "1000", "337"] {
        let pq_path = run("parquet", &format!("m{group}.parquet"), group);
        let file = std::fs::File::open(&pq_path).expect("parquet");
        let df = ParquetReader::new(file).finish().expect("reads");
        assert_eq!(df.height(), rows.len());
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, header, "column names and order");
        for (k, name) in header.iter().enumerate() {
            let col = df.column(name).expect("column");
            let values: Vec<String> = if name == "ear_applies" {
                assert_eq!(col.dtype(), &DataType::Boolean);
                col.bool()
                    .expect("bool")
                    .iter()
                    .map(|v| v.map(|b| b.to_string()).unwrap_or_default())
                    .collect()
            } else {
                assert_eq!(col.dtype(), &DataType::String, "{name}");
                assert_eq!(col.null_count(), 0, "{name}");
                col.str()
                    .expect("str")
                    .iter()
                    .map(|v| wassenaar::output::neutralise(v.unwrap_or("")).into_owned())
                    .collect()
            };
            let expected: Vec<&str> = rows.iter().map(|row| &row[k]).collect();
            assert!(
                values.iter().zip(&expected).all(|(a, b)| a == b),
                "column {name} differs (row groups of {group:?})"
            );
            if name == "ear_applies" {
                assert!(expected.contains(&"true") && expected.contains(&""));
            }
            if group == "337" && k < 14 {
                let distinct: std::collections::HashSet<&str> = expected.iter().copied().collect();
                assert!(distinct.len() > 1, "{name} has a single value");
            }
        }
    }
    let metadata = std::fs::read(dir.path().join("m337.parquet")).expect("read");
    let footer = String::from_utf8_lossy(&metadata);
    assert!(footer.contains("wassenaar.provenance") && footer.contains("wassenaar.dataset_hash"));
}

/// A matrix sink closed without rows still writes a readable Parquet file with every column.
#[test]
fn empty_matrix_parquet_has_the_schema() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("empty.parquet");
    let prov = wassenaar::output::provenance::Provenance::of(world(), "test");
    let sink = wassenaar::output::matrix::open(
        wassenaar::output::OutputFormat::Parquet,
        Some(&path),
        &prov,
    )
    .expect("sink");
    sink.finish().expect("finish");
    let df = ParquetReader::new(std::fs::File::open(&path).expect("file"))
        .finish()
        .expect("reads");
    assert_eq!(df.height(), 0);
    assert_eq!(df.width(), wassenaar::engine::COLUMNS.len());
}

/// The Parquet matrix sink writes the same bytes whether it is given computed cells
/// (`MatrixSink::write`) or reads the rows from the tables itself (`write_rows`), whatever
/// the chunk boundaries (here cutting scenarios and destinations mid-way), and its texts are
/// those of the CSV sink (destination written into the shared renderings).
#[test]
fn matrix_parquet_from_cells_and_from_tables_is_the_same_file() {
    let w = world();
    let d = dims(
        "4A005,5A001.j,4E001.c,5A002,5D002",
        "US,DE,FR,CN,IL,IR,RU,UA-43,GB,JP,IN,BR,CH,KP,CU,SY",
    );
    let items = d.items(w).expect("items");
    let spec = d.spec(w).expect("spec");
    let bulk = Bulk::new(w, &items, Transaction::Export);
    let total = spec.rows(items.len());
    assert!(total > 10_000, "{total} rows");
    for n in 0..total {
        let c = spec.cell(&bulk, n);
        let line = bulk.line(c.jurisdiction, c.item, c.dest);
        assert_eq!(line.get(c.user, c.usage), c.det, "row {n}");
    }
    let dir = tempfile::tempdir().expect("tmp");
    let prov = wassenaar::output::provenance::Provenance::of(w, "test");
    let write = |name: &str, cells: bool, step: u64| {
        let path = dir.path().join(name);
        let mut sink = wassenaar::output::matrix::open(
            wassenaar::output::OutputFormat::Parquet,
            Some(&path),
            &prov,
        )
        .expect("sink");
        let mut at = 0;
        while at < total {
            let end = (at + step).min(total);
            if cells {
                sink.write(&bulk, &spec.chunk(&bulk, at, end))
                    .expect("write");
            } else {
                sink.write_rows(&bulk, &spec, at, end).expect("write_rows");
            }
            at = end;
        }
        sink.finish().expect("finish");
        std::fs::read(&path).expect("read")
    };
    let from_cells = write("cells.parquet", true, 4096);
    for step in [1_001, 42 * 7, total] {
        assert!(
            write(&format!("rows{step}.parquet"), false, step) == from_cells,
            "chunks of {step} rows"
        );
    }
}

/// A rule chain rendered once for every destination (`render_any_dest`), with the destination
/// written in (`fill_dest`), is the rendering for that destination, for every determination of
/// every jurisdiction over these items and destinations.
#[test]
fn renderings_for_every_destination_fill_in_to_the_destination_s_own() {
    use wassenaar::engine::DestUse;
    let w = world();
    let d = dims(
        "4A005,5A001.j,4E001.c,5A002,5D002,5A004.b",
        "US,DE,FR,CN,IL,IR,RU,UA-43,GB,JP,IN,BR,CH,KP,CU,SY",
    );
    let items = d.items(w).expect("items");
    let spec = d.spec(w).expect("spec");
    let bulk = Bulk::new(w, &items, Transaction::Export);
    let mut seen = std::collections::HashSet::new();
    let mut filled = 0;
    for n in 0..spec.rows(items.len()) {
        let c = spec.cell(&bulk, n);
        if !seen.insert((c.jurisdiction, c.item, c.dest, c.det)) {
            continue;
        }
        let det = &bulk.dets[c.det as usize];
        let own = w.render_parts(c.jurisdiction, items[c.item], c.dest, det);
        let (shared, used) = w.render_any_dest(c.jurisdiction, items[c.item], det);
        match used {
            DestUse::None => assert_eq!(shared, own),
            DestUse::Placeholders => {
                filled += 1;
                assert_eq!(w.fill_dest(&shared.reasons, c.dest), own.reasons);
                assert_eq!(w.fill_dest(&shared.conditions, c.dest), own.conditions);
                assert_eq!(shared.citations, own.citations);
                assert_eq!(shared.local_entry, own.local_entry);
            }
            DestUse::Ambiguous => {}
        }
    }
    assert!(filled > 0, "some texts name the destination");
}

/// `evaluate --format parquet` holds exactly what `--format csv` holds, cell for cell: the
/// contract's columns, a passed-through column and the `error` column of `--keep-going`, in
/// row groups of their own dictionaries.
#[test]
fn evaluate_parquet_reads_back_as_its_csv() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.csv");
    let mut text = String::from("id,item,destination,end_user,order_ref\n");
    let rows = [
        ("a", "4A005", "DE", "commercial"),
        ("b", "4A005", "CN", "government"),
        ("b", "4A005", "CN", "government"),
        ("c", "5A001.j", "Atlantis", "commercial"),
        ("d", "4E001.c", "IQ", "commercial"),
        ("e", "4D004", "RU", "military"),
    ];
    for (k, (id, item, dest, user)) in rows.iter().enumerate() {
        text.push_str(&format!("{id},{item},{dest},{user},PO-{}\n", k % 2));
    }
    std::fs::write(&input, &text).expect("write");
    let run = |format: &str, file: &str, input: &std::path::Path| -> std::path::PathBuf {
        let p = dir.path().join(file);
        let o = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
            .args(["evaluate", "--keep-going", "--jurisdictions", "US,DE,JP"])
            .args(["--format", format, "-o"])
            .arg(&p)
            .arg(input)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        p
    };
    let csv_text = std::fs::read_to_string(run("csv", "o.csv", &input)).expect("csv");
    let pq = run("parquet", "o.parquet", &input);
    let df = ParquetReader::new(std::fs::File::open(&pq).expect("file"))
        .finish()
        .expect("reads");
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(df.height(), records.len());
    // Four good rows in three jurisdictions; a repeated id and an unknown place are one error
    // row each.
    assert_eq!(df.height(), 4 * 3 + 2);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, header);
    assert!(header.iter().any(|h| h == "order_ref") && header.iter().any(|h| h == "error"));
    for (k, name) in header.iter().enumerate() {
        let values = strings(&df, name);
        let expected: Vec<String> = records.iter().map(|rec| rec[k].to_string()).collect();
        assert_eq!(values, expected, "column {name}");
    }
}
