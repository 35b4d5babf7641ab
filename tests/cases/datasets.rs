//! Dataset integrity: the bundled datasets validate, and a corrupted copy of each file is
//! refused with a precise message.

use std::path::Path;

use wassenaar::World;

use super::datasets_dir;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// Copies the datasets, applies `edit` to one file and returns the load error.
fn corrupt(file: &str, edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&datasets_dir(), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, edit(text)).expect("write");
    match World::load(wassenaar::data::Source::Folder(dir.path().to_path_buf())) {
        // Party lists are read on first use: screening a name must then fail.
        Ok(w) => match w.screen("probe") {
            Ok(_) => panic!("corrupted {file} was accepted"),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    }
}

#[test]
fn bundled_datasets_validate() {
    let w = super::world();
    let mut diag = wassenaar::error::Diagnostics::default();
    wassenaar::analysis::describe::check(w, &mut diag);
    assert_eq!(
        diag.errors(),
        0,
        "{}",
        wassenaar::analysis::describe::report(Some(w), &diag)
    );
    // Every jurisdiction records its list version and date.
    for j in &w.jurisdictions {
        let m = &w.regimes[j.regime].meta;
        assert!(
            !m.list_version.is_empty() && m.list_date.year() > 1990,
            "{}",
            j.code
        );
    }
}

#[test]
fn missing_column_is_named() {
    let e = corrupt("countries.csv", |t| {
        t.replacen("code,name,", "code,nom,", 1)
    });
    assert!(
        e.contains("countries.csv:1: column `nom`: unknown column"),
        "{e}"
    );
}

#[test]
fn unknown_country_in_a_table_is_named() {
    let e = corrupt("us/country_groups.csv", |t| t.replacen("\nAD,", "\nQQ,", 1));
    assert!(
        e.contains("country_groups.csv:2: column `destination`: unknown country code"),
        "{e}"
    );
    assert!(e.contains("`QQ`"), "{e}");
}

#[test]
fn dangling_item_code_is_named() {
    let e = corrupt("us/entries.csv", |t| {
        t.replacen("\n4A005,4A005,", "\n4A005,4A995,", 1)
    });
    assert!(
        e.contains("column `item`: item is not in the catalogue"),
        "{e}"
    );
}

#[test]
fn uncited_row_and_rule_are_refused() {
    let e = corrupt("wassenaar/participants.csv", |t| {
        let mut r = csv::Reader::from_reader(t.as_bytes());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(r.headers().expect("header")).expect("write");
        for (i, rec) in r.records().enumerate() {
            let mut rec: Vec<String> = rec.expect("record").iter().map(str::to_string).collect();
            if i == 0
                && let Some(last) = rec.last_mut()
            {
                last.clear();
            }
            w.write_record(&rec).expect("write");
        }
        String::from_utf8(w.into_inner().expect("flush")).expect("utf8")
    });
    assert!(e.contains("every row must cite its legal source"), "{e}");
    let e = corrupt("us/rules.toml", |t| {
        t.replacen(
            "citation = \"15 CFR 740.22(a), (b)(1) (interim rule, 86 FR 58209)\"",
            "citation = \"\"",
            1,
        )
    });
    assert!(e.contains("every rule must cite its legal source"), "{e}");
}

#[test]
fn bad_destination_expression_is_named() {
    let e = corrupt("us/rules.toml", |t| {
        t.replacen("\"@E1 @E2\"", "\"@E1 @E9\"", 1)
    });
    assert!(
        e.contains("unknown destination group") && e.contains("`@E9`"),
        "{e}"
    );
}

#[test]
fn duplicate_place_is_refused() {
    let e = corrupt("countries.csv", |t| {
        let second = t.lines().nth(1).unwrap_or_default().to_string();
        format!("{t}{second}\n")
    });
    assert!(e.contains("duplicate code"), "{e}");
}

fn dataset_files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "scenarios") {
                dataset_files(&p, ext, out);
            }
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    out.sort();
}

/// Dataset files that only a builder reads (the evaluated table it builds is checked instead).
const BUILDER_INPUTS: [&str; 1] = ["us/party_notices.csv"];

/// Every dataset file in turn: a CSV without its `source` column, and a TOML file with an
/// unknown key, are refused with an error naming that file.
#[test]
fn every_dataset_file_is_checked() {
    let root = datasets_dir();
    let mut csvs = Vec::new();
    dataset_files(&root, "csv", &mut csvs);
    assert!(csvs.len() >= 25, "{} CSV files", csvs.len());
    for path in &csvs {
        let rel = path
            .strip_prefix(&root)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        // Inputs of a builder only (SCHEMA.md section 10): checked by the builder's --check.
        if BUILDER_INPUTS.contains(&rel.as_str()) {
            continue;
        }
        // Rename the `source` column (or, in tables without one, the first `*_source`).
        let e = corrupt(&rel, |t| {
            let (head, rest) = t.split_once('\n').unwrap_or((&t, ""));
            let mut fields: Vec<String> = head.split(',').map(str::to_string).collect();
            let i = fields
                .iter()
                .position(|f| f.trim() == "source")
                .or_else(|| fields.iter().position(|f| f.ends_with("source")))
                .unwrap_or(0);
            fields[i] = fields[i].replacen("source", "sauce", 1);
            format!("{}\n{rest}", fields.join(","))
        });
        assert!(e.contains(&rel), "{rel}: {e}");
        assert!(
            e.contains("sauce`") || e.contains("column `s"),
            "{rel}: {e}"
        );
    }
    let mut tomls = Vec::new();
    dataset_files(&root, "toml", &mut tomls);
    assert!(tomls.len() >= 17, "{} TOML files", tomls.len());
    for path in &tomls {
        let rel = path
            .strip_prefix(&root)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let e = corrupt(&rel, |t| format!("frobnicate = true\n{t}"));
        assert!(e.contains(&rel), "{rel}: {e}");
    }
}

/// `datasets/SCHEMA.md` documents every field of every dataset table and every diagnostic
/// code the loaders use: a field or code added without documentation fails here.
#[test]
fn schema_documents_every_field_and_code() {
    let schema = super::read(&super::datasets_dir().join("SCHEMA.md"));
    let mut missing = Vec::new();
    let tables = wassenaar::data::load::schema_fields();
    assert!(tables.len() >= 15, "{tables:?}");
    for (table, fields) in &tables {
        assert!(!fields.is_empty(), "no fields read for {table}");
        for f in fields {
            if !schema.contains(&format!("`{f}`")) {
                missing.push(format!("{table}: `{f}`"));
            }
        }
    }
    for code in wassenaar::error::Code::ALL {
        if !schema.contains(code.as_str()) {
            missing.push(format!("diagnostic {}", code.as_str()));
        }
    }
    assert!(
        missing.is_empty(),
        "SCHEMA.md does not document:\n{}",
        missing.join("\n")
    );
}

/// Every generated dataset file is what its builder makes of the input SCHEMA.md section 10
/// names: each builder's `--check` mode rebuilds in memory and compares, writing nothing.
#[test]
fn builders_check_their_generated_files() {
    let Some(src) = super::sources("builders_check_their_generated_files") else {
        return;
    };
    let python = ["python3", "python"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(python) = python else {
        super::skip("builders_check_their_generated_files", "no python3");
        return;
    };
    let builders: [(&str, std::path::PathBuf); 5] = [
        ("build_countries_and_us_tables.py", src.join("us")),
        (
            "build_us_parties.py",
            src.join("us/csl/consolidated-screening-list-2026-07-31.json"),
        ),
        (
            "build_us_entries.py",
            src.join("us/derived/ccl-ecfr-2026-07-23.json"),
        ),
        (
            "build_wa_entries.py",
            src.join("wa/derived/wa-list-2025-corr-entries.json"),
        ),
        (
            "build_wa_inferred.py",
            src.join("national/derived/india-scomet-2024-entries.json"),
        ),
    ];
    for (script, input) in builders {
        let o = std::process::Command::new(python)
            .arg(super::root().join("tools/datasets").join(script))
            .arg(&input)
            .arg("--check")
            .current_dir(super::root())
            .output()
            .expect("python runs");
        assert!(
            o.status.success(),
            "{script} --check: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
