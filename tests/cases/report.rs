//! The cyber report: regenerating it gives the committed bytes; values are escaped; the page
//! loads every chart in a real browser.

use std::path::Path;
use std::process::Command;

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
    assert!(files.iter().filter(|f| f.path.ends_with(".svg")).count() >= 14);
    assert!(files.iter().filter(|f| f.path.ends_with(".png")).count() >= 14);
    assert!(
        files
            .iter()
            .filter(|f| f.path.ends_with(".parquet"))
            .count()
            >= 7
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

/// Opens `reports/cyber/index.html` in headless Chromium: every image must load and the page
/// must not be blank; the screenshot is saved next to the report. CI installs Chromium.
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
    let url = format!(
        "file://{}",
        page.canonicalize().expect("index.html exists").display()
    );
    let profile = tempfile::tempdir().expect("tmp");
    let common = |extra: &[&str]| {
        let mut c = Command::new(browser);
        c.args([
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
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(&url);
        c
    };
    let dom = common(&["--dump-dom"]).output().expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("images-ok"),
        "charts failed to load: {}",
        dom.lines()
            .find(|l| l.contains("load-status"))
            .unwrap_or("no status")
    );
    assert!(dom.contains("Cybersecurity items"), "page is blank");
    let shot = committed().join(wassenaar::report::SCREENSHOT);
    let arg = format!("--screenshot={}", shot.display());
    let o = common(&[&arg, "--window-size=1280,3000"])
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success() || shot.is_file(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "screenshot looks blank ({size} bytes)");
    let _ = Path::new(&shot);
}
