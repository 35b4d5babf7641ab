//! The whole control lists: every entry and paragraph of the Commerce Control List (15 CFR 774
//! Supp. 1) is accepted and evaluated under US law; a differential test against the Commerce
//! Country Chart (15 CFR 738 Supp. 1); `align --lists`; the lists report.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;
use wassenaar::input::{RawRecord, resolve_one};

use super::{datasets_dir, read, root, sources, world};

fn json(path: &std::path::Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ccl() -> Option<Value> {
    let src = sources("lists: the CCL JSON (us/derived/ccl-ecfr-2026-07-23.json)")?;
    Some(json(&src.join("us/derived/ccl-ecfr-2026-07-23.json")))
}

fn is_paragraph(p: &str) -> bool {
    let mut parts = p.split('.');
    let first = parts.next().unwrap_or("");
    first.len() == 1
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|x| !x.is_empty() && x.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn reserved(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    t.starts_with("[reserved]")
        || ((t.starts_with("through ") || t.starts_with("to ")) && t.contains("[reserved]"))
}

/// Every code the CCL JSON names: its ECCNs, the paragraphs of the deep categories' text, and
/// the `ECCN.paragraph` references of the License Requirements lines.
fn named_codes(ccl: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let entries = ccl["entries"].as_array().expect("entries");
    let eccns: BTreeSet<&str> = entries.iter().filter_map(|e| e["eccn"].as_str()).collect();
    for e in entries {
        let eccn = e["eccn"].as_str().expect("eccn");
        out.insert(eccn.to_string());
        if let Some(top) = e["topLevelParagraphs"].as_object() {
            for (p, t) in top {
                if is_paragraph(p) && !reserved(t.as_str().unwrap_or("")) {
                    out.insert(format!("{eccn}.{p}"));
                }
            }
        }
        for it in e["items"].as_array().into_iter().flatten() {
            if let (Some(p), Some("item")) = (it["paragraph"].as_str(), it["kind"].as_str())
                && is_paragraph(p)
                && !reserved(it["text"].as_str().unwrap_or(""))
            {
                out.insert(format!("{eccn}.{p}"));
            }
        }
        for line in e["countryChart"].as_array().into_iter().flatten() {
            let text = line["control"].as_str().unwrap_or("");
            for word in text.split([' ', ',', ';', '(', ')']) {
                let word = word.trim_end_matches('.');
                if let Some((code, para)) = word.split_once('.')
                    && eccns.contains(code)
                    && is_paragraph(para)
                {
                    out.insert(word.to_string());
                }
            }
        }
    }
    out
}

fn record(pairs: &[(&str, &str)]) -> RawRecord {
    let mut cells = BTreeMap::new();
    cells.insert("id".to_string(), "t".to_string());
    for (k, v) in pairs {
        cells.insert((*k).to_string(), (*v).to_string());
    }
    RawRecord {
        line: 2,
        cells,
        extra: Vec::new(),
    }
}

/// 15 CFR 774 Supp. 1 (eCFR 2026-07-23): all 633 ECCNs and every paragraph the CCL names are
/// accepted and evaluated under US law, to a charted and an uncharted destination, without an
/// error.
#[test]
fn every_ccl_entry_and_named_paragraph_is_evaluable_under_us_law() {
    let Some(ccl) = ccl() else { return };
    assert_eq!(ccl["entries"].as_array().map(Vec::len), Some(633));
    let w = world();
    let us = w.jurisdiction("US").expect("US modelled");
    let codes = named_codes(&ccl);
    assert!(codes.len() > 2500, "{} codes", codes.len());
    let mut refused = Vec::new();
    let mut unlisted = Vec::new();
    for code in &codes {
        for dest in ["CN", "DE"] {
            match resolve_one(
                w,
                "test",
                &record(&[("item", code), ("destination", dest)]),
                true,
                &Default::default(),
            ) {
                Ok(s) => {
                    let r = w.render(&s, &w.evaluate(us, &s));
                    assert!(!r.outcome.is_empty(), "{code} -> {dest}: no outcome");
                    // A paragraph the Wassenaar list no longer uses is not listed.
                    if r.outcome == "not-listed" && !w.catalogue().get(s.item).has_tag("unused") {
                        unlisted.push(format!("{code} -> {dest}: {}", r.reasons));
                    }
                }
                Err(e) => refused.push(format!("{code}: {e}")),
            }
        }
    }
    assert!(refused.is_empty(), "refused: {}", refused.join("\n"));
    assert!(unlisted.is_empty(), "not listed: {}", unlisted.join("\n"));
}

/// The Country Chart rows of the source as place codes (through `chart_row` of the bundled
/// chart), with the marked columns (`NS1`, …).
fn chart(src: &std::path::Path) -> BTreeMap<String, BTreeSet<String>> {
    let j = json(&src.join("us/derived/country-chart-ecfr-2026-07-23.json"));
    let mut by_row: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut r = csv::Reader::from_path(datasets_dir().join("us/country_chart.csv")).expect("csv");
    for rec in r.records() {
        let rec = rec.expect("record");
        by_row
            .entry(rec[1].to_string())
            .or_default()
            .push(rec[0].to_string());
    }
    let mut out = BTreeMap::new();
    for (name, v) in j["countries"].as_object().expect("countries") {
        let marks: BTreeSet<String> = v["marks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(|m| m.replace(' ', "")))
            .collect();
        for code in by_row.get(name).into_iter().flatten() {
            out.insert(code.clone(), marks.clone());
        }
    }
    out
}

/// The members of the Country Groups B, A:5 and A:6 of the source (15 CFR 740 Supp. 1).
fn exception_groups(src: &std::path::Path) -> BTreeSet<String> {
    let j = json(&src.join("us/derived/country-groups-ecfr-2026-07-23.json"));
    let mut by_row: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut r = csv::Reader::from_path(datasets_dir().join("us/country_groups.csv")).expect("csv");
    for rec in r.records() {
        let rec = rec.expect("record");
        by_row
            .entry(rec[1].to_string())
            .or_default()
            .push(rec[0].to_string());
    }
    let mut out = BTreeSet::new();
    for g in ["B", "A:5", "A:6"] {
        for name in j["groups"][g].as_array().into_iter().flatten() {
            for code in by_row
                .get(name.as_str().unwrap_or(""))
                .into_iter()
                .flatten()
            {
                out.insert(code.clone());
            }
        }
    }
    out
}

/// 15 CFR 738.4(a)(2) and 738 Supp. 1: for every entry whose License Requirements lines are all
/// Country Chart columns applying to the entire entry, and every charted destination outside
/// the Part 746 embargoes, the outcome agrees with the chart: no X in any of its columns gives
/// `no-licence-required`; an X gives `licence-required` where no licence exception of the entry
/// can reach the destination (none named, or the destination outside Country Groups B, A:5 and
/// A:6), and otherwise never a result below `authorised`.
#[test]
fn ccl_entries_agree_with_the_country_chart_where_the_chart_decides() {
    let Some(ccl) = ccl() else { return };
    let Some(src) = sources("lists: the Country Chart JSON") else {
        return;
    };
    let chart = chart(&src);
    let groups = exception_groups(&src);
    // Part 746 and the 746.8 measures decide these, not the chart.
    let embargoed = [
        "CU", "IR", "KP", "SY", "RU", "BY", "UA-43", "UA-14", "UA-09",
    ];
    let w = world();
    let us = w.jurisdiction("US").expect("US");
    let (mut entries, mut checked, mut strict) = (0, 0, 0);
    for e in ccl["entries"].as_array().expect("entries") {
        let eccn = e["eccn"].as_str().expect("eccn");
        let lines = e["countryChart"].as_array().expect("lines");
        let mut columns = Vec::new();
        let all_chart = !lines.is_empty()
            && lines.iter().all(|l| {
                let control = l["control"].as_str().unwrap_or("");
                let cell = l["countryChart"]
                    .as_str()
                    .unwrap_or("")
                    .trim_end_matches('.');
                let whole = control
                    .split_once(" applies to ")
                    .is_some_and(|(_, s)| s.trim_end_matches('.') == "entire entry");
                let col = cell
                    .split_once(" Column ")
                    .filter(|(r, n)| r.len() == 2 && n.len() == 1)
                    .map(|(r, n)| format!("{r}{n}"));
                if let Some(c) = &col {
                    columns.push(c.clone());
                }
                whole && col.is_some()
            });
        if !all_chart {
            continue;
        }
        entries += 1;
        let exceptions = e["licenceExceptionFlags"].as_object().is_some_and(|m| {
            m.values()
                .any(|v| !v.as_str().unwrap_or("").starts_with("N/A"))
        });
        for (dest, marks) in &chart {
            if embargoed.contains(&dest.as_str()) {
                continue;
            }
            let x = columns.iter().any(|c| marks.contains(c));
            let Ok(s) = resolve_one(
                w,
                "test",
                &record(&[("item", eccn), ("destination", dest)]),
                true,
                &Default::default(),
            ) else {
                panic!("{eccn} refused");
            };
            let r = w.render(&s, &w.evaluate(us, &s));
            if r.outcome == "not-applicable" {
                continue;
            }
            checked += 1;
            let ctx = format!(
                "{eccn} -> {dest} ({columns:?}): {} | {}",
                r.outcome, r.reasons
            );
            if !x {
                assert_eq!(r.outcome, "no-licence-required", "{ctx}");
                strict += 1;
            } else if !exceptions && !groups.contains(dest) {
                assert_eq!(r.outcome, "licence-required", "{ctx}");
                strict += 1;
            } else {
                assert!(
                    ["licence-required", "authorised", "indeterminate"]
                        .contains(&r.outcome.as_str()),
                    "{ctx}"
                );
            }
        }
    }
    assert!(
        entries > 250,
        "{entries} entries decided by the chart alone"
    );
    assert!(
        strict > 20_000,
        "{strict} of {checked} determinations checked strictly"
    );
}

/// 15 CFR 774 Supp. 1: `3A001` to China is decided by the chart (NS2 for the entire entry) and
/// `3A090`, `0A501` and `5A992.c` are accepted as US entries.
#[test]
fn named_us_entries_outside_categories_4_and_5_are_decided_or_accepted() {
    let r = super::eval("US", &[("item", "3A001"), ("destination", "CN")]);
    super::expect(&r, "licence-required", "");
    assert_ne!(r.confidence, "assumed");
    for code in ["3A090", "0A501", "5A992.c", "0A606.y", "9A515"] {
        let r = super::eval("US", &[("item", code), ("destination", "CN")]);
        assert_ne!(r.outcome, "not-listed", "{code}");
    }
    // 0A501.y is outside the NS, RS and FC lines (15 CFR 774 Supp. 1, ECCN 0A501).
    let r = super::eval("US", &[("item", "0A501.y"), ("destination", "DE")]);
    super::expect(&r, "no-licence-required", "");
    // 0A606.y: RS to China, Russia or Venezuela (15 CFR 742.6(a)(7)).
    let r = super::eval("US", &[("item", "0A606.y"), ("destination", "CN")]);
    super::expect(&r, "licence-required", "");
}

/// Reg. (EU) 2021/821 Annex I implements the Wassenaar list: a Category 1 entry the sources do
/// not quote is listed by inference (secondary confidence), and a Union general authorisation
/// can only may-authorise it.
#[test]
fn eu_rows_beyond_the_cyber_entries_are_inferred_and_say_so() {
    let r = super::eval("DE", &[("item", "1A001"), ("destination", "CN")]);
    super::expect(&r, "licence-required", "");
    assert_eq!(r.confidence, "secondary");
    assert!(
        r.citations.contains("Reg. (EU) 2021/821 Annex I"),
        "{}",
        r.citations
    );
    let r = super::eval("DE", &[("item", "1A001"), ("destination", "US")]);
    super::expect(&r, "indeterminate", "EU001");
    assert!(
        r.reasons.contains("inferred from the Wassenaar list"),
        "{}",
        r.reasons
    );
}

fn align_csv(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wassenaar"))
        .args(["align", "--lists"])
        .args(args)
        .arg("--datasets")
        .arg(datasets_dir())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `align --lists`: one row per jurisdiction with the Wassenaar entries implemented, inferred,
/// missing and unknown adding up to the Wassenaar list, the US entries beyond it by origin, and
/// the years behind the current Wassenaar list where the implemented year is established.
#[test]
fn align_lists_counts_add_up_and_name_the_origins() {
    let text = align_csv(&["--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, wassenaar::analysis::lists::COLUMNS);
    let rows: Vec<BTreeMap<String, String>> = r
        .records()
        .map(|x| {
            headers
                .iter()
                .cloned()
                .zip(x.expect("record").iter().map(str::to_string))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 42, "one row per jurisdiction");
    let num = |row: &BTreeMap<String, String>, c: &str| -> usize {
        row[c].parse().unwrap_or_else(|_| panic!("{c}: {}", row[c]))
    };
    for row in &rows {
        let total = num(row, "wa_entries");
        assert_eq!(total, 167, "Wassenaar entries in use");
        assert_eq!(
            num(row, "implemented")
                + num(row, "inferred")
                + num(row, "missing")
                + num(row, "unknown"),
            total,
            "{row:?}"
        );
    }
    let us = rows.iter().find(|r| r["jurisdiction"] == "US").expect("US");
    assert!(num(us, "beyond_wa") > 100, "{us:?}");
    for origin in ["us-unilateral", "mtcr", "nsg", "ag", "cwc"] {
        assert!(us["beyond_by_origin"].contains(origin), "{us:?}");
    }
    let de = rows.iter().find(|r| r["jurisdiction"] == "DE").expect("DE");
    assert_eq!(
        (de["wa_year"].as_str(), de["years_behind"].as_str()),
        ("2024", "1")
    );
    assert!(de["beyond_by_origin"].contains("national"), "{de:?}");
    let json: Value =
        serde_json::from_str(&align_csv(&["--format", "json"])).expect("align --lists json");
    assert_eq!(json.as_array().map(Vec::len), Some(42));
}

/// `report --preset lists` is deterministic and `reports/lists/` is what it writes.
#[test]
fn committed_lists_report_matches_a_regenerated_one_byte_for_byte() {
    let files = wassenaar::report::lists::files(world()).expect("lists report builds");
    for name in ["index.html", "report.md", "lists.csv"] {
        assert!(files.iter().any(|f| f.path == name), "{name}");
    }
    let again = wassenaar::report::lists::files(world()).expect("builds twice");
    assert_eq!(files.len(), again.len());
    for (a, b) in files.iter().zip(&again) {
        assert!(a.path == b.path && a.bytes == b.bytes, "{} differs", a.path);
    }
    let dir = root().join("reports/lists");
    for f in &files {
        let on_disk = std::fs::read(dir.join(&f.path)).unwrap_or_else(|e| {
            panic!(
                "reports/lists/{} missing ({e}): run `wassenaar report --preset lists`",
                f.path
            )
        });
        assert!(
            on_disk == f.bytes,
            "reports/lists/{} is stale: run `wassenaar report --preset lists`",
            f.path
        );
    }
    let html = files.iter().find(|f| f.path == "index.html").expect("html");
    let html = String::from_utf8_lossy(&html.bytes);
    assert!(
        !html.contains("http://") && !html.contains("https://cdn"),
        "offline"
    );
}

/// The `ccl-criteria` gap of the US folder claims no clearance for the entries pointing to the
/// ITAR (0A002, 9A005), without License Requirements lines (0A521, 1C355) or controlled under
/// 15 CFR 742.6(a)(11) (3B993): checked for every destination outside the United States.
#[test]
fn us_entries_without_established_requirements_are_never_cleared() {
    let w = world();
    let us = w.jurisdiction("US").expect("US");
    let home = ["US", "AS", "GU", "MP", "PR", "UM", "VI"];
    for item in ["0A002", "0A521", "9A005", "1C355", "3B993"] {
        for id in w.places().ids() {
            let place = w.places().code(id);
            if home.contains(&place) {
                continue;
            }
            let s = super::scenario(&[("item", item), ("destination", place)]);
            let r = w.render(&s, &w.evaluate(us, &s));
            assert!(
                !["not-listed", "no-licence-required", "authorised"].contains(&r.outcome.as_str()),
                "{item} -> {place}: {} ({})",
                r.outcome,
                r.reasons
            );
        }
    }
}

/// 15 CFR 740.3 (LVS) with the value limit of ECCN 1A001 (`LVS: $5000`, 774 Supp. 1): to
/// Brazil (Country Group B, X in column NS2) a shipment within the limit is authorised, one
/// above it needs a licence, and one without a value (or in another currency) is open.
#[test]
fn lvs_decides_by_the_entry_value_limit() {
    let at = |value: &str, currency: &str| {
        super::eval(
            "US",
            &[
                ("item", "1A001"),
                ("destination", "BR"),
                ("value", value),
                ("currency", currency),
            ],
        )
    };
    super::expect(&at("1000", "USD"), "authorised", "LVS");
    super::expect(&at("10000", "USD"), "licence-required", "");
    let open = at("", "");
    super::expect(&open, "indeterminate", "LVS");
    assert!(open.conditions.contains("LVS-VALUE"), "{}", open.conditions);
    super::expect(&at("1000", "EUR"), "indeterminate", "LVS");
}

/// A US entry implementing another regime (1C350, Australia Group; 0A501, Wassenaar Munitions
/// List) is never `not-listed` under a list that has no row for it: the EU list (Reg. (EU)
/// 2021/821 Annex I) and the UK military list may control it under other entries. A US
/// unilateral entry (4A994, 15 CFR 774 Supp. 1) stays not listed elsewhere.
#[test]
fn entries_of_multilateral_origin_on_another_list_are_not_cleared() {
    for (j, item) in [("FR", "1C350"), ("GB", "0A501"), ("JP", "9A515")] {
        let r = super::eval(j, &[("item", item), ("destination", "CN")]);
        assert_eq!(r.outcome, "indeterminate", "{j} {item}: {}", r.reasons);
        assert!(r.reasons.contains("not established"), "{}", r.reasons);
    }
    let r = super::eval("FR", &[("item", "4A994"), ("destination", "CN")]);
    super::expect(&r, "not-listed", "");
}
