//! The cyber report: regenerating it gives the committed bytes; values are escaped; the page
//! loads every chart in a real browser.

use std::path::Path;
use std::process::Command;

use image::ImageEncoder;

use super::{root, world};

fn committed() -> std::path::PathBuf {
    root().join("reports/cyber")
}

/// `wassenaar report` is deterministic and `reports/cyber/` is what it writes.
#[test]
fn committed_report_matches_a_regenerated_one_byte_for_byte() {
    let files = wassenaar::report::files(world()).expect("report builds");
    assert!(files.iter().any(|f| f.path == "index.html"));
    assert!(files.iter().any(|f| f.path == "report.md"));
    assert!(files.iter().filter(|f| f.path.ends_with(".svg")).count() >= 10);
    assert!(files.iter().filter(|f| f.path.ends_with(".png")).count() >= 5);
    assert!(
        files
            .iter()
            .filter(|f| f.path.ends_with(".parquet"))
            .count()
            >= 10
    );
    let again = wassenaar::report::files(world()).expect("report builds twice");
    for (a, b) in files.iter().zip(&again) {
        assert!(
            a.path == b.path && a.bytes == b.bytes,
            "{} differs between two runs",
            a.path
        );
    }
    for f in &files {
        let on_disk = std::fs::read(committed().join(&f.path)).unwrap_or_else(|e| {
            panic!(
                "reports/cyber/{} missing ({e}): run `cargo run --release -- report`",
                f.path
            )
        });
        assert!(
            on_disk == f.bytes,
            "reports/cyber/{} is stale: run `cargo run --release -- report`",
            f.path
        );
    }
}

/// Every value from the datasets is escaped in the HTML page.
#[test]
fn html_escapes_data_values() {
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("datasets");
    let status = Command::new("cp")
        .arg("-r")
        .arg(super::datasets_dir())
        .arg(&copy)
        .status()
        .expect("cp");
    assert!(status.success());
    let members = copy.join("eu/members.csv");
    let text = std::fs::read_to_string(&members).expect("read");
    std::fs::write(
        &members,
        text.replacen("AT,Austria,", "AT,<script>alert(1)</script> & Co,", 1),
    )
    .expect("write");
    let w = wassenaar::World::load(wassenaar::data::Source::Folder(copy.clone())).expect("loads");
    let files = wassenaar::report::files(&w).expect("report");
    let html = files.iter().find(|f| f.path == "index.html").expect("html");
    let html = String::from_utf8_lossy(&html.bytes);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
        "escaped"
    );
    assert!(!html.contains("<script>alert"), "not executable");
}

/// The report folder is written whole or not at all, and nothing escapes it.
#[test]
fn report_writes_into_its_folder_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("r");
    let files = vec![wassenaar::report::File {
        path: "../evil.txt".into(),
        bytes: b"x".to_vec(),
    }];
    assert!(wassenaar::report::write(&out, &files).is_err());
    assert!(!dir.path().join("evil.txt").exists());
    assert!(!out.exists(), "nothing half-written");
    let ok = vec![wassenaar::report::File {
        path: "charts/a.svg".into(),
        bytes: b"<svg/>".to_vec(),
    }];
    wassenaar::report::write(&out, &ok).expect("writes");
    assert!(out.join("charts/a.svg").is_file());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("ls").count(),
        1,
        "no temporary left"
    );
}

/// The committed report, screenshot included, stays within 6 MB.
#[test]
fn report_folder_is_at_most_6_mb() {
    fn size(p: &Path) -> u64 {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() {
                            size(&p)
                        } else {
                            e.metadata().map(|m| m.len()).unwrap_or(0)
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    let total = size(&committed());
    assert!(total <= 6_000_000, "reports/cyber is {total} bytes");
}

fn table(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = committed().join("tables").join(format!("{name}.csv"));
    let mut r = csv::Reader::from_path(&path).expect("table exists");
    let head = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

fn finding(id: &str) -> String {
    let (_, rows) = table("findings");
    rows.into_iter()
        .find(|r| r[0] == id)
        .map(|r| r[2].clone())
        .unwrap_or_else(|| panic!("finding {id} missing"))
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Every number of the key findings is recomputed from `tables/` with the Method section's
/// definitions: shares of established scenarios (metrics.csv), agreement and coverage of every
/// pair (pairwise.csv), destination counts (outcomes.csv, catch-all.csv).
#[test]
fn summary_numbers_are_recomputed_from_the_tables() {
    let (head, rows) = table("metrics");
    let col = |n: &str| head.iter().position(|h| h == n).expect("column");
    let num = |r: &Vec<String>, n: &str| r[col(n)].parse::<f64>().expect("number");
    let (mut stricter, mut looser) = (Vec::new(), Vec::new());
    for r in &rows {
        let established = num(r, "same") + num(r, "stricter") + num(r, "looser");
        assert_eq!(established, num(r, "established"), "{r:?}");
        let coverage = established / num(r, "applicable");
        assert!((coverage - num(r, "coverage")).abs() < 1e-4, "{r:?}");
        assert_eq!(r[col("ranked")] == "true", coverage >= 0.5, "{r:?}");
        if r[col("column")] != "US" && coverage >= 0.5 {
            stricter.push(num(r, "stricter") / established);
            looser.push(num(r, "looser") / established);
        }
    }
    let lo = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let text = finding("stricter-looser");
    let expected = format!(
        "stricter in {} to {} and looser in {} to {}",
        pct(lo(&stricter)),
        pct(hi(&stricter)),
        pct(lo(&looser)),
        pct(hi(&looser))
    );
    assert!(text.contains(&expected), "{text}\nexpected: {expected}");
    // Pairwise agreement and coverage.
    let (head, rows) = table("pairwise");
    let col = |n: &str| head.iter().position(|h| h == n).expect("column");
    for r in &rows {
        let f = |n: &str| r[col(n)].parse::<f64>().ok();
        match (f("same"), f("established"), f("agreement")) {
            (Some(s), Some(e), Some(a)) if e > 0.0 => assert!((s / e - a).abs() < 1e-4, "{r:?}"),
            (_, Some(e), None) => {
                assert_eq!(e, 0.0, "undefined only without established scenarios")
            }
            other => panic!("{r:?}: {other:?}"),
        }
    }
    // Destination counts of the findings, from the outcome grid.
    let (head, rows) = table("outcomes");
    let eu = head
        .iter()
        .position(|h| h.starts_with("EU-"))
        .expect("an EU column");
    let us = head.iter().position(|h| h == "US").expect("a US column");
    let count = |item: &str, f: &dyn Fn(&str, &str) -> bool| {
        rows.iter()
            .filter(|r| r[0] == item && f(&r[us], &r[eu]))
            .count()
    };
    let ace = count("4A005", &|u, e| {
        u == "authorised" && e == "licence-required"
    });
    assert!(
        finding("ace-design").contains(&format!("to {ace} of the")),
        "{}",
        finding("ace-design")
    );
    let single = count("4A005", &|u, e| {
        (u == "authorised" || u == "licence-required")
            && (e == "no-licence-required" || e == "not-listed")
    });
    assert!(
        finding("single-market").contains(&format!("To {single} destinations")),
        "{}",
        finding("single-market")
    );
    let gbs = count("5A001.j", &|u, e| {
        (u == "no-licence-required" || u == "authorised")
            && (e == "licence-required" || e == "prohibited")
    });
    assert!(
        finding("ns2-gbs").contains(&format!("to {gbs} destinations")),
        "{}",
        finding("ns2-gbs")
    );
    let (_, rows) = table("catch-all");
    let needs = |o: &str| o == "licence-required" || o == "prohibited";
    let n = rows.iter().filter(|r| needs(&r[1])).count();
    let clear = rows
        .iter()
        .filter(|r| needs(&r[1]) && (r[2] == "not-listed" || r[2] == "no-licence-required"))
        .count();
    let text = finding("catch-all");
    assert!(
        text.contains(&format!("to {n} destinations"))
            && text.contains(&format!("for {clear} of them")),
        "{text}"
    );
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs headless Chromium on `url` with extra flags; returns standard output.
fn chromium_run(browser: &str, profile: &Path, url: &str, extra: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs")
}

/// The value of attribute `name` on the `<html>` element of a dumped DOM.
fn html_attr(dom: &str, name: &str) -> Option<String> {
    let start = dom.find("<html")?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

/// The explorer cell for (jurisdiction, destination) in a dumped DOM: its attributes.
fn cell(dom: &str, jurisdiction: &str, destination: &str) -> Option<String> {
    let key = format!("data-jurisdiction=\"{jurisdiction}\" data-destination=\"{destination}\"");
    let at = dom.find(&key)?;
    let start = dom[..at].rfind("<td")?;
    Some(dom[start..at + dom[at..].find('>')?].to_string())
}

/// Opens `reports/cyber/index.html` in headless Chromium: every image loads; the explorer,
/// driven by three URL fragments, shows that view's cells with the engine's outcomes; a
/// full-page screenshot (scaled to 3/8 width, 16 grey levels) is saved next to the report. CI installs
/// Chromium.
#[test]
fn report_loads_in_a_real_browser() {
    let Some(browser) = chromium() else {
        super::skip(
            "report_loads_in_a_real_browser",
            "no Chromium on this machine (.ci/run installs it)",
        );
        return;
    };
    let page = committed().join("index.html");
    let base = format!(
        "file://{}",
        page.canonicalize().expect("index.html exists").display()
    );
    let profile = tempfile::tempdir().expect("tmp");
    let html = std::fs::read_to_string(&page).expect("read");
    let images = html.matches("<img ").count();
    let views = [
        ("4A005", "commercial", "unspecified"),
        ("4A005", "government", "unspecified"),
        ("5A001.j", "commercial", "unauthorised-access"),
    ];
    let mut height = 0;
    for (item, user, usage) in views {
        let url = format!("{base}#item={item}&end_user={user}&end_use={usage}");
        let out = chromium_run(
            browser,
            profile.path(),
            &url,
            &["--window-size=1280,1000", "--dump-dom"],
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            html_attr(&dom, "data-images").as_deref(),
            Some(format!("ok {images}").as_str()),
            "every chart must load"
        );
        height = html_attr(&dom, "data-height")
            .and_then(|h| h.parse::<u32>().ok())
            .unwrap_or(0);
        for (jur, dest) in [
            ("US", "CN"),
            ("DE", "CN"),
            ("US", "DE"),
            ("GB", "IR"),
            ("US", "IL"),
        ] {
            let td = cell(&dom, jur, dest)
                .unwrap_or_else(|| panic!("{item}/{user}/{usage}: no cell {jur}->{dest}"));
            for (k, v) in [
                ("data-item", item),
                ("data-end-user", user),
                ("data-end-use", usage),
            ] {
                assert!(td.contains(&format!("{k}=\"{v}\"")), "{td}");
            }
            let r = super::eval(
                jur,
                &[
                    ("item", item),
                    ("destination", dest),
                    ("end_user", user),
                    ("end_use", usage),
                ],
            );
            assert!(
                td.contains(&format!("data-outcome=\"{}\"", r.outcome)),
                "{item}/{user}/{usage} {jur}->{dest}: engine says {}, page {td}",
                r.outcome
            );
        }
    }
    assert!(height > 2000, "page height {height}");
    // Full-page screenshot at 1280 px, kept at 3/8 size.
    let tmp = profile.path().join("shot.png");
    let out = chromium_run(
        browser,
        profile.path(),
        &base,
        &[
            &format!("--window-size=1280,{height}"),
            &format!("--screenshot={}", tmp.display()),
        ],
    );
    assert!(tmp.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let img: image::GrayImage = image::open(&tmp).expect("screenshot decodes").to_luma8();
    assert!(img.height() + 50 >= height, "screenshot covers the page");
    let small: image::GrayImage = image::imageops::resize(
        &img,
        img.width() * 3 / 8,
        img.height() * 3 / 8,
        image::imageops::FilterType::Triangle,
    );
    // 16 grey levels: readable as an overview, and a fraction of the bytes.
    let small: image::GrayImage =
        image::ImageBuffer::from_fn(small.width(), small.height(), |x, y| {
            image::Luma([(small.get_pixel(x, y).0[0] / 16) * 17])
        });
    let blank = small.pixels().filter(|p| p.0[0] > 250).count();
    assert!(
        (blank as f64) < 0.97 * f64::from(small.width() * small.height()),
        "screenshot looks blank"
    );
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(
        small.as_raw(),
        small.width(),
        small.height(),
        image::ColorType::L8,
    )
    .expect("encode");
    std::fs::write(committed().join(wassenaar::report::SCREENSHOT), png).expect("write");
}
