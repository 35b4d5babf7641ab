//! Embeds the bundled datasets (`datasets/`, except example scenarios and Markdown) into the
//! binary, so that an installed or copied binary works from any folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            if rel != "scenarios" {
                walk(&path, root, out);
            }
        } else if rel.ends_with(".csv") || rel.ends_with(".toml") {
            out.push((rel, path.clone()));
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("datasets");
    println!("cargo:rerun-if-changed=datasets");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut code = String::from(
        "/// The bundled dataset files: path relative to `datasets/`, bytes.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in &files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    // The content hash, as `Source::content_hash` computes it for a folder.
    let mut h = Sha256::new();
    for (rel, path) in &files {
        let bytes = std::fs::read(path).unwrap_or_default();
        h.update((rel.len() as u64).to_le_bytes());
        h.update(rel.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let _ = writeln!(
        code,
        "/// SHA-256 of the bundled dataset files.\npub static HASH: &str = {hex:?};"
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("datasets.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
