//! Real workflows: an ERP order export in, an audit-ready answer out (tolerant headers,
//! passed-through columns, the US re-export answer beside the local one, provenance), and the
//! researcher's `compare`.

use std::process::{Command, Output};

use super::root;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const ERP: &str = "tests/data/orders_erp.csv";

fn erp(extra: &[&str]) -> Output {
    let mut args = vec![
        "evaluate",
        ERP,
        "--map",
        "Order_No=id,customer_name=end_user_name,order_value_usd=value",
        "--id-column",
        "id",
        "--currency",
        "USD",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// A 30-line ERP export (BOM, CRLF, mixed-case headers, `Order_No`, `customer_name`,
/// `order_value_usd`, `Viet Nam`, `VNM`, `U.A.E.`, `ARE`, `EAR99`, two lines of one order)
/// runs with `--map` and keeps its extra columns after the contract columns.
#[test]
fn erp_order_export_runs_and_keeps_its_columns() {
    let o = erp(&[]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &header[..4],
        ["scenario_id", "jurisdiction", "item", "local_entry"]
    );
    assert_eq!(header[18], "us_reasons");
    assert_eq!(
        &header[19..],
        ["Line_No", "Product"],
        "passed-through columns keep their names and order"
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 30, "one row per line: each names its exporter");
    let first = &rows[0];
    assert_eq!(
        (&first[0], &first[4], &first[2]),
        ("SO-1001", "VN", "4A005")
    );
    assert_eq!((&first[19], &first[20]), ("1", "Pentest appliance"));
    assert_eq!(
        &rows[1][0], "SO-1001",
        "two lines of one order keep their id"
    );
    assert_eq!(&rows[1][2], "unlisted", "EAR99 is the unlisted item");
    assert_eq!(&rows[2][4], "VN", "alpha-3 VNM");
    assert_eq!(&rows[3][4], "AE", "U.A.E.");
    assert_eq!(&rows[4][4], "AE", "alpha-3 ARE");
    // The Intellexa line is screened.
    let intellexa = rows.iter().find(|r| &r[0] == "SO-1008").expect("SO-1008");
    assert!(
        intellexa[15].contains("Entity List: Intellexa S.A."),
        "{}",
        &intellexa[15]
    );
    // Without --id-column the repeated order number is refused, saying how to allow it.
    let o = run(&["evaluate", ERP, "--map", "Order_No=id"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("duplicate scenario id") && err(&o).contains("--id-column"),
        "{}",
        err(&o)
    );
}

/// Invisible and bidirectional characters are refused in code columns (a `U+202E NC` that a
/// spreadsheet shows as "CN" is not evaluated as New Caledonia); free text keeps them,
/// escaped in the output.
#[test]
fn hidden_characters_in_codes_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("bidi.csv");
    std::fs::write(
        &f,
        "id,item,destination,end_user_name\na,4A005,\u{202e}NC,Acme\n",
    )
    .expect("write");
    let o = run(&["evaluate", f.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("U+202E") && err(&o).contains("column `destination`"),
        "{}",
        err(&o)
    );
    std::fs::write(
        &f,
        "id,item,destination,end_user_name\na,4A005,DE,Ac\u{202e}me\n",
    )
    .expect("write");
    let o = run(&[
        "evaluate",
        f.to_str().expect("path"),
        "--jurisdictions",
        "US",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(!out(&o).contains('\u{202e}'));
    // A byte-order mark is accepted only at the start of the file.
    std::fs::write(&f, "id,item,destination\na,4A005,\u{feff}DE\n").expect("write");
    let o = run(&["evaluate", f.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}

/// 15 CFR 734.4(c), (d)(1): a German entity shipping 4A005 with 30 % US controlled content to
/// China needs a BAFA licence (Reg. (EU) 2021/821 Art. 3) and a BIS licence (NS1, no ACE to a
/// D:1 commercial end user); `route` ranks the US entity (one licence) above it (two), and an
/// Israeli entity (law not modelled) still gets the US re-export answer.
#[test]
fn the_us_reexport_answer_beside_the_local_one() {
    let w = super::world();
    let s = super::scenario(&[
        ("item", "4A005"),
        ("destination", "CN"),
        ("us_content_pct", "30"),
    ]);
    let de = w.jurisdiction("DE").expect("DE");
    let r = w.render(&s, &w.evaluate(de, &s));
    assert_eq!(
        (
            r.outcome.as_str(),
            r.ear_applies.as_str(),
            r.us_outcome.as_str()
        ),
        ("licence-required", "true", "licence-required")
    );
    assert!(
        r.us_reasons.contains("30 %")
            && r.us_reasons.contains("25 %")
            && r.us_reasons.contains("734.4"),
        "{}",
        r.us_reasons
    );
    let o = run(&[
        "route",
        "--item",
        "4A005",
        "--destination",
        "CN",
        "--entities",
        "US,DE",
        "--us-content-pct",
        "30",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].starts_with("1,US,") && lines[2].starts_with("2,DE,"),
        "{text}"
    );
    assert!(lines[2].contains("2 individual licences"), "{text}");
    let o = run(&[
        "route",
        "--item",
        "4A005",
        "--destination",
        "CN",
        "--entities",
        "IL",
        "--us-content-pct",
        "30",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("IL,indeterminate") && text.contains(",true,licence-required"),
        "{text}"
    );
    // Flag errors are usage errors naming the flag.
    let o = run(&[
        "route",
        "--item",
        "4A005",
        "--destination",
        "CN",
        "--entities",
        "XX",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--entities `XX`"), "{}", err(&o));
    let o = run(&["route", "--item", "4A005", "--destination", "Atlantis"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--destination `Atlantis`"), "{}", err(&o));
}

/// Every output carries its provenance: Parquet as key-value metadata, CSV and JSON files as a
/// sidecar, standard output with `--provenance FILE`.
#[test]
fn provenance_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    for (format, file) in [
        ("csv", "o.csv"),
        ("json", "o.json"),
        ("jsonl", "o.jsonl"),
        ("parquet", "o.parquet"),
    ] {
        let p = dir.path().join(file);
        let o = run(&[
            "evaluate",
            "datasets/scenarios/cyber-examples.csv",
            "--jurisdictions",
            "US",
            "--format",
            format,
            "-o",
            p.to_str().expect("path"),
        ]);
        assert!(o.status.success(), "{}", err(&o));
        if format == "parquet" {
            let bytes = std::fs::read(&p).expect("parquet");
            let tail =
                String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(200_000)..]).into_owned();
            assert!(
                tail.contains("wassenaar.dataset_hash") && tail.contains("wassenaar.as_of"),
                "no metadata in {file}"
            );
        } else {
            let side = dir.path().join(format!("{file}.provenance.json"));
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&side).expect("sidecar"))
                    .expect("json");
            assert_eq!(v["tool"], "wassenaar");
            assert_eq!(v["as_of"], "2026-07-23");
            assert_eq!(v["dataset_hash"].as_str().map(str::len), Some(64));
            assert!(v["lists"].as_array().is_some_and(|l| l.len() >= 18));
        }
    }
    let side = dir.path().join("stdout.provenance.json");
    let o = run(&[
        "evaluate",
        "datasets/scenarios/cyber-examples.csv",
        "--jurisdictions",
        "US",
        "--provenance",
        side.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        std::fs::read_to_string(&side)
            .expect("sidecar")
            .contains("\"command\": \"evaluate\"")
    );
}

/// The researcher's question in one command: where does the US allow 4A005 under ACE where
/// Germany and the UK require a licence, and why (15 CFR 740.22 against Reg. (EU) 2021/821
/// Art. 3 and the UK's assimilated regulation).
#[test]
fn compare_answers_where_ace_allows_what_germany_and_the_uk_license() {
    let o = run(&[
        "compare",
        "--item",
        "4A005",
        "--baseline",
        "US",
        "--against",
        "DE,GB",
        "--where",
        "stricter",
        "--end-users",
        "commercial",
        "--end-uses",
        "unspecified",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    let ace_vs_licence = rows
        .iter()
        .filter(|r| &r[5] == "authorised" && &r[6] == "ACE" && &r[8] == "licence-required")
        .count();
    assert!(ace_vs_licence > 50, "{ace_vs_licence} rows:\n{text}");
    for r in &rows {
        assert_eq!(&r[10], "stricter");
        assert!(!r[11].is_empty() && !r[13].is_empty(), "both rule chains");
    }
    assert!(rows.iter().any(|r| &r[7] == "DE") && rows.iter().any(|r| &r[7] == "GB"));
}

/// Help lists only what a command accepts; `datasets show` prints rows and rules and takes
/// names.
#[test]
fn help_and_show() {
    let o = run(&["matrix", "--help"]);
    let help = out(&o);
    assert!(
        help.contains("jsonl") && !help.contains("table") && !help.contains(" json,"),
        "{help}"
    );
    let o = run(&["datasets", "show", "Germany", "--rules"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("EU001") && !out(&o).contains("list rows ("),
        "{}",
        out(&o)
    );
    let o = run(&["datasets", "show", "DE", "--entries"]);
    assert!(out(&o).contains("5A902"), "{}", out(&o));
}

/// A hint never points to another entry than the one typed.
#[test]
fn item_hints_stay_within_the_entry() {
    let w = super::world();
    assert_ne!(w.catalogue().suggest("4A005.a").as_deref(), Some("4A003.a"));
    assert_eq!(w.catalogue().suggest("4A005.a").as_deref(), Some("4A005"));
}

/// `route --orders`: one recommendation per order (lines sharing an id), by the combined
/// burden of own and US licences over all its lines.
#[test]
fn route_recommends_an_entity_per_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("orders.csv");
    std::fs::write(
        &f,
        "id,item,destination,us_content_pct\nA,4A005,CN,30\nA,EAR99,CN,30\nB,4A005,US,\nC,5A001.j,JP,\n",
    )
    .expect("write");
    let o = run(&[
        "route",
        "--orders",
        f.to_str().expect("path"),
        "--entities",
        "US,DE,CA",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!(
        (&rows[0][0], &rows[0][1], &rows[0][2]),
        ("A", "2", "US"),
        "{text}"
    );
    assert!(rows[0][4].contains("4A005: US licence-required"), "{text}");
    // To the US itself the US entity ships without an export; Canada needs no permit either
    // (Export Control List Group 1, exports to the US need no permit).
    assert!(matches!(&rows[1][2], "US" | "CA"), "{text}");
}
