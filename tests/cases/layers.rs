//! The architecture holds: no module imports from a layer above it, and the core builds
//! without polars and plotters.

use std::path::Path;

use super::root;

/// Layers, lowest first: a file may name only its own layer and those below.
const LAYERS: [(&str, u8); 10] = [
    ("model", 0),
    ("error", 0),
    ("data", 1),
    ("engine", 2),
    ("input", 3),
    ("analysis", 4),
    ("output", 5),
    ("report", 6),
    ("cli", 7),
    ("main", 8),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::X` path in every source file names a module of the file's layer or below.
#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = root().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut checked = 0;
    let mut bad = Vec::new();
    for f in all {
        let rel = f.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        let Some(own) = layer(&top) else {
            continue; // lib.rs
        };
        let text = std::fs::read_to_string(&f).expect("read");
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                let after = &rest[i + 7..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(l) = layer(&name) {
                    checked += 1;
                    if l > own {
                        bad.push(format!(
                            "{}:{}: `{top}` (layer {own}) imports `{name}` (layer {l})",
                            rel.display(),
                            n + 1
                        ));
                    }
                }
                rest = &after[name.len()..];
            }
        }
    }
    assert!(bad.is_empty(), "layer violations:\n{}", bad.join("\n"));
    assert!(checked > 200, "only {checked} crate paths found");
}

/// `cargo tree -e normal --no-default-features` has neither polars nor plotters.
#[test]
fn the_core_has_no_polars_or_plotters() {
    let o = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-e",
            "normal",
            "--no-default-features",
            "--offline",
            "--prefix",
            "none",
        ])
        .current_dir(root())
        .output();
    let o = match o {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            super::skip(
                "the_core_has_no_polars_or_plotters",
                &format!("cargo tree failed: {}", String::from_utf8_lossy(&o.stderr)),
            );
            return;
        }
        Err(e) => {
            super::skip(
                "the_core_has_no_polars_or_plotters",
                &format!("cannot run cargo: {e}"),
            );
            return;
        }
    };
    let tree = String::from_utf8_lossy(&o.stdout);
    assert!(tree.lines().any(|l| l.starts_with("clap ")), "{tree}");
    for heavy in ["polars", "plotters"] {
        assert!(
            !tree.lines().any(|l| l.starts_with(heavy)),
            "{heavy} in the core:\n{tree}"
        );
    }
}
