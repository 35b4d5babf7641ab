//! The `wassenaar` binary: the determination contract, exit codes, nothing half-written.

use std::process::{Command, Output};

use super::root;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const EXAMPLES: &str = "datasets/scenarios/cyber-examples.csv";

#[test]
fn evaluate_writes_the_contract_columns_in_order() {
    let o = run(&["evaluate", EXAMPLES, "--jurisdictions", "US,DE"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let header = out.lines().next().unwrap_or_default();
    assert_eq!(
        header,
        "scenario_id,jurisdiction,item,local_entry,destination,end_user,end_use,outcome,\
         authorisation,licence_policy,conditions,reasons,citations,confidence,ear_applies,\
         screening,us_outcome,us_authorisation,us_reasons"
    );
    // Scenario order, then the order given to --jurisdictions; an exporter gives one row.
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(rows[0].starts_with("ace-germany,US,"), "{}", rows[0]);
    assert!(rows[1].starts_with("ace-germany,DE,"), "{}", rows[1]);
    let de_to_us: Vec<&&str> = rows.iter().filter(|r| r.starts_with("de-to-us,")).collect();
    assert_eq!(de_to_us.len(), 1);
    assert!(de_to_us[0].starts_with("de-to-us,DE,"));
    for row in &rows {
        let outcome = row.split(',').nth(7).unwrap_or_default();
        assert!(
            [
                "not-listed",
                "no-licence-required",
                "authorised",
                "licence-required",
                "prohibited",
                "indeterminate",
                "not-applicable"
            ]
            .contains(&outcome)
                || row.contains('"'),
            "{row}"
        );
    }
}

#[test]
fn all_jurisdictions_in_ascending_code_order() {
    let o = run(&["evaluate", "-", "--jurisdictions", "all"]);
    // stdin is empty here: an empty file is bad input.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&["evaluate", EXAMPLES]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let codes: Vec<&str> = out
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("ace-germany,"))
        .map(|l| l.split(',').nth(1).unwrap_or_default())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
    assert!(codes.len() >= 27, "{codes:?}");
}

#[test]
fn output_is_identical_with_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        for format in ["csv", "jsonl", "parquet"] {
            let path = dir.path().join(format!("out-{threads}.{format}"));
            let p = path.to_string_lossy().into_owned();
            let o = run(&[
                "evaluate",
                EXAMPLES,
                "--threads",
                threads,
                "--format",
                format,
                "-o",
                &p,
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            outputs.push((format, std::fs::read(&path).expect("output written")));
        }
    }
    for i in 0..3 {
        assert_eq!(
            outputs[i].1,
            outputs[i + 3].1,
            "{} differs by thread count",
            outputs[i].0
        );
    }
}

#[test]
fn bad_input_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("bad.csv");
    std::fs::write(
        &input,
        "id,item,destination\na,4A005,DE\nb,4A005,Atlantis\n",
    )
    .expect("write");
    let out = dir.path().join("out.csv");
    let o = run(&[
        "evaluate",
        &input.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("bad.csv:3: column `destination`: unknown country"),
        "{e}"
    );
    assert!(e.contains("value: `Atlantis`"), "{e}");
    assert!(!out.exists(), "no output file on bad input");
    assert!(
        std::fs::read_dir(dir.path()).expect("list").count() == 1,
        "no temporary left"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["evaluate", EXAMPLES, "--format", "xml"],
        vec!["evaluate", EXAMPLES, "--jurisdictions", "XX"],
        vec!["evaluate", EXAMPLES, "--format", "parquet"],
        vec!["frobnicate"],
        vec!["matrix", "--items", "4Z999"],
        vec!["matrix", "--format", "parquet"],
        vec!["align", "--baseline", "XX"],
        vec!["route", "--item", "4A005"],
        vec!["report", "--preset", "nuclear"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["--help"]);
    let help = stdout(&o);
    for cmd in ["evaluate", "matrix", "align", "route", "report", "datasets"] {
        assert!(help.contains(cmd), "{cmd} in --help");
    }
}

#[test]
fn every_format_and_explain() {
    for format in ["json", "jsonl", "table"] {
        let o = run(&[
            "evaluate",
            EXAMPLES,
            "--jurisdictions",
            "US",
            "--format",
            format,
            "--explain",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!o.stdout.is_empty());
    }
    let o = run(&[
        "evaluate",
        EXAMPLES,
        "--jurisdictions",
        "US",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert!(v.as_array().is_some_and(|a| !a.is_empty()));
    // The contract's column order holds in JSON too.
    let text = stdout(&o);
    let mut at = 0;
    for key in wassenaar::engine::COLUMNS {
        let k = format!("\"{key}\":");
        let pos = text[at..]
            .find(&k)
            .unwrap_or_else(|| panic!("{key} out of order"));
        at += pos + k.len();
    }
    let o = run(&[
        "evaluate",
        EXAMPLES,
        "--jurisdictions",
        "US",
        "--format",
        "table",
        "--explain",
    ]);
    assert!(stdout(&o).contains("because"), "{}", stdout(&o));
    assert!(stdout(&o).contains("15 CFR 740.22"), "{}", stdout(&o));
}

#[test]
fn datasets_validate_and_list() {
    let o = run(&["datasets", "validate"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 error(s)"), "{}", stdout(&o));
    let o = run(&["datasets", "list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("US") && out.contains("eCFR issue date 2026-07-23"),
        "{out}"
    );
    assert!(out.contains("2025/2003"), "{out}");
    let o = run(&["datasets", "show", "US"]);
    assert!(stdout(&o).contains("ACE"), "{}", stdout(&o));
}

/// A spreadsheet export as a new user would give it: BOM, CRLF, names instead of codes, a
/// trailing empty line, one misspelt country in row 5,000 of 10,000.
#[test]
fn spreadsheet_export_with_one_bad_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("batch.csv");
    let mut text = String::from("\u{feff}id,item,destination,end_user\r\n");
    let places = [
        "Germany",
        "China",
        "\"Korea, South\"",
        "Türkiye",
        "UK",
        "Brazil",
        "UAE",
        "Japan",
    ];
    for i in 1..=10_000 {
        let dest = if i == 5_000 {
            "Germnay"
        } else {
            places[i % places.len()]
        };
        text.push_str(&format!("s{i},4A005,{dest},commercial\r\n"));
    }
    text.push_str("\r\n");
    std::fs::write(&input, &text).expect("write");
    let out = dir.path().join("out.csv");
    let (i, o) = (
        input.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let r = run(&["evaluate", &i, "--jurisdictions", "US", "-o", &o]);
    assert_eq!(r.status.code(), Some(1));
    let e = stderr(&r);
    // Line 5001: the header is line 1.
    assert!(
        e.contains("batch.csv:5001: column `destination`: unknown country"),
        "{e}"
    );
    assert!(e.contains("did you mean `Germany`?"), "{e}");
    assert!(!out.exists());
    let r = run(&[
        "evaluate",
        &i,
        "--jurisdictions",
        "US",
        "-o",
        &o,
        "--keep-going",
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("1 scenario(s) could not be evaluated"),
        "{}",
        stderr(&r)
    );
    let written = std::fs::read_to_string(&out).expect("output");
    let mut rd = csv::Reader::from_reader(written.as_bytes());
    let header = rd.headers().expect("header").clone();
    assert_eq!(header.iter().next_back(), Some("error"));
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 10_000);
    let err_col = header
        .iter()
        .position(|h| h == "error")
        .expect("error column");
    let bad: Vec<&csv::StringRecord> = rows.iter().filter(|r| !r[err_col].is_empty()).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(&bad[0][0], "s5000");
    assert_eq!(&bad[0][7], "", "no outcome for a bad row");
    assert!(
        rows.iter()
            .filter(|r| r[err_col].is_empty())
            .all(|r| !r[7].is_empty())
    );
}

#[test]
fn formula_cells_are_neutralised_in_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("f.csv");
    std::fs::write(&input, "id,item,destination\n=cmd|' /C calc'!A0,4A005,DE\n").expect("write");
    let r = run(&[
        "evaluate",
        &input.to_string_lossy(),
        "--jurisdictions",
        "US",
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let out = stdout(&r);
    assert!(
        out.lines().nth(1).unwrap_or_default().starts_with("'=cmd"),
        "{out}"
    );
}

/// The datasets are embedded: a copy of the binary run from an empty folder, with no
/// `$WASSENAAR_DATASETS`, evaluates and records the embedded datasets in its provenance.
#[test]
fn a_copied_binary_works_from_an_empty_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let bin = dir.path().join("wassenaar-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_wassenaar"), &bin).expect("copy the binary");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    std::fs::write(empty.join("s.csv"), "id,item,destination\nx,4A005,DE\n").expect("write");
    let o = Command::new(&bin)
        .args([
            "evaluate",
            "s.csv",
            "--jurisdictions",
            "US",
            "-o",
            "out.csv",
        ])
        .current_dir(&empty)
        .env_remove("WASSENAAR_DATASETS")
        .output()
        .expect("the copy runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = std::fs::read_to_string(empty.join("out.csv")).expect("output");
    assert!(out.contains("x,US,4A005"), "{out}");
    let prov = std::fs::read_to_string(empty.join("out.csv.provenance.json")).expect("provenance");
    assert!(prov.contains("embedded datasets"), "{prov}");
}

/// `datasets validate` collects every fault: two bad values in two `rules.toml` files are
/// both reported with file and line, and the exit status is 1.
#[test]
fn validate_reports_faults_in_two_rule_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("datasets");
    let status = Command::new("cp")
        .arg("-r")
        .arg(root().join("datasets"))
        .arg(&copy)
        .status()
        .expect("cp");
    assert!(status.success());
    let inject = |file: &str, from: &str, to: &str| -> u64 {
        let path = copy.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let at = text
            .find(from)
            .unwrap_or_else(|| panic!("{from} in {file}"));
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        text[..at].matches('\n').count() as u64 + 1
    };
    let us = inject(
        "us/rules.toml",
        "confidence = \"primary\"",
        "confidence = \"certain\"",
    );
    let gb = inject(
        "gb/rules.toml",
        "destinations = \"",
        "destinations = \"@NOPE ",
    );
    let o = run(&[
        "datasets",
        "validate",
        "--datasets",
        &copy.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains(&format!("us/rules.toml:{us}:")), "{all}");
    assert!(all.contains(&format!("gb/rules.toml:{gb}:")), "{all}");
    assert!(all.contains("certain"), "the value is shown: {all}");
}

/// `datasets diff --from --to` lists every change in the window with the instrument that made
/// it: the cybersecurity items entering the CCL and License Exception ACE (15 CFR 740.22)
/// under 86 FR 58205 (effective 2022-03-07), and ACE revised by 87 FR 31948 (2022-05-26).
#[test]
fn datasets_diff_lists_the_2021_rule_and_ace() {
    let o = run(&[
        "datasets",
        "diff",
        "--from",
        "2021-01-01",
        "--to",
        "2023-01-01",
        "--jurisdictions",
        "US",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |key: &str, change: &str| {
        out.lines()
            .find(|l| l.contains(&format!(",{key},{change},")))
            .unwrap_or_else(|| panic!("no {key} {change}: {out}"))
            .to_string()
    };
    let entry = line("4A005", "added");
    assert!(
        entry.contains("2022-03-07") && entry.contains("86 FR 58205"),
        "{entry}"
    );
    let ace = line("ACE", "added");
    assert!(
        ace.contains("740.22") && ace.contains("2022-03-07"),
        "{ace}"
    );
    let revised = line("ACE", "changed");
    assert!(
        revised.contains("87 FR 31948") && revised.contains("2022-05-26"),
        "{revised}"
    );
}

/// A malformed `--as-of` date is a usage error (exit 2) on every command that takes it.
#[test]
fn a_malformed_as_of_date_is_a_usage_error() {
    for args in [
        vec!["evaluate", EXAMPLES, "--as-of", "2021-02-30"],
        vec!["matrix", "--items", "4A005", "--as-of", "21-01-01"],
        vec![
            "route",
            "--item",
            "4A005",
            "--destination",
            "CN",
            "--as-of",
            "yesterday",
        ],
        vec!["align", "--as-of", "2021-1-1"],
        vec![
            "report",
            "--as-of",
            "2021-13-01",
            "--output-dir",
            "/nonexistent/x",
        ],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--as-of"), "{args:?}: {}", stderr(&o));
    }
}

/// `evaluate` of the examples under US law, written to `out`.
fn evaluate_us_to(out: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(["evaluate", EXAMPLES, "--jurisdictions", "US", "-o"])
        .arg(out)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// A device or FIFO given as `--output` is written in place, never replaced: writing through a
/// temporary file and a rename once turned this machine's `/dev/null` into a plain file (and left
/// `/dev/null.provenance.json` beside it). A FIFO stands in for the device here.
#[test]
fn a_fifo_output_is_written_in_place_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(s) if s.success() => {}
        _ => {
            super::skip(
                "a_fifo_output_is_written_in_place_and_stays_a_fifo",
                "mkfifo is not available",
            );
            return;
        }
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(&fifo).expect("read the FIFO"))
    };
    let o = evaluate_us_to(&fifo);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = reader.join().expect("the reader ends");
    assert!(text.starts_with("scenario_id,jurisdiction,"), "{text}");
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["pipe"], "no sidecar, no temporary file");
}

/// A symbolic link given as `--output` keeps pointing where it did; the file it names gets the
/// output and the sidecar goes beside the link's own name.
#[test]
fn a_symlinked_output_keeps_its_link() {
    let dir = tempfile::tempdir().expect("tmp");
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old\n").expect("write");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = evaluate_us_to(&link);
    assert!(o.status.success(), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let text = std::fs::read_to_string(&real).expect("real");
    assert!(text.starts_with("scenario_id,jurisdiction,"), "{text}");
    assert!(dir.path().join("link.csv.provenance.json").is_file());
}
