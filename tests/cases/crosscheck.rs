//! Cross-checks of the bundled datasets against the official source tables in
//! `$WASSENAAR_SOURCES`
//! (when present): the Commerce Country Chart and the Country Groups, cell by cell.

use std::collections::BTreeMap;

use super::{datasets_dir, read, sources};

/// Reads a CSV (skipping `#` comment lines) into rows keyed by `key` column.
fn rows(text: &str, key: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.expect("record");
        out.push(
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect(),
        );
    }
    assert!(headers.iter().any(|h| h == key));
    (headers, out)
}

fn crosscheck(source_file: &str, dataset_file: &str, columns: &[&str]) {
    let Some(src) = sources(&format!("crosscheck {dataset_file}")) else {
        return;
    };
    let (_, source) = rows(&read(&src.join(source_file)), "country");
    let (_, ours) = rows(&read(&datasets_dir().join(dataset_file)), "chart_row");
    let norm = |v: &str| v.trim().to_ascii_uppercase();
    let mut checked = 0;
    for s in &source {
        let name = &s["country"];
        let mine: Vec<&BTreeMap<String, String>> =
            ours.iter().filter(|o| &o["chart_row"] == name).collect();
        assert!(!mine.is_empty(), "source row `{name}` has no dataset row");
        for o in mine {
            for c in columns {
                assert_eq!(
                    norm(&s[*c]),
                    norm(&o[*c]),
                    "{dataset_file}: `{name}` ({}) column {c}",
                    o["destination"]
                );
                checked += 1;
            }
        }
    }
    // And nothing in the dataset that the source does not have.
    for o in &ours {
        assert!(
            source.iter().any(|s| s["country"] == o["chart_row"]),
            "dataset row {} names `{}`, not a source row",
            o["destination"],
            o["chart_row"]
        );
    }
    assert!(checked > 1000, "{checked} cells checked");
}

/// 15 CFR 738 Supp. 1 (eCFR 2026-07-23): every cell of every column.
#[test]
fn country_chart_matches_the_source_cell_by_cell() {
    crosscheck(
        "us/country_chart.csv",
        "us/country_chart.csv",
        &[
            "CB1",
            "CB2",
            "CB3",
            "NP1",
            "NP2",
            "NS1",
            "NS2",
            "MT1",
            "RS1",
            "RS2",
            "CC1",
            "CC2",
            "CC3",
            "FC1",
            "AT1",
            "AT2",
            "footnotes",
        ],
    );
}

/// 15 CFR 740 Supp. 1 (eCFR 2026-07-23): every group column.
#[test]
fn country_groups_match_the_source_cell_by_cell() {
    crosscheck(
        "us/country_groups_full.csv",
        "us/country_groups.csv",
        &[
            "A1", "A2", "A3", "A4", "A5", "A6", "B", "D1", "D2", "D3", "D4", "D5", "E1", "E2",
        ],
    );
}

/// Known facts of the tables (DOMAIN.md §3), independent of the source files.
#[test]
fn known_country_group_facts() {
    let w = super::world();
    let us = &w.regimes[w.jurisdictions[w.jurisdiction("US").expect("US")].regime];
    let members = |g: &str| -> Vec<String> {
        us.groups[g]
            .sure
            .iter()
            .map(|p| w.places().code(p).to_string())
            .collect()
    };
    assert_eq!(members("E1"), ["IR", "KP", "SY"]);
    assert_eq!(members("E2"), ["CU"]);
    let ns1 = members("chart:NS1");
    for free in ["AU", "CA", "GB"] {
        assert!(!ns1.contains(&free.to_string()), "{free} has no NS1 X");
    }
    for g in ["D1", "D3", "D4", "D5"] {
        assert!(members(g).contains(&"CN".to_string()), "China in {g}");
    }
    let a1 = members("A1");
    for not in ["MT", "RU", "UA"] {
        assert!(!a1.contains(&not.to_string()), "A:1 excludes {not}");
    }
    assert!(a1.contains(&"IS".to_string()), "A:1 includes Iceland");
}
