//! Embeds every language data file under `data/` in the crate.
//!
//! Writes `$OUT_DIR/data_files.rs`: a table of `(language, file name,
//! contents)` with one `include_str!` per file, so that a new language is a
//! new folder `data/<code>/` and needs no Rust. Files directly in `data/`
//! get the language `""`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("data");
    println!("cargo:rerun-if-changed=data");
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    collect(&root, "", &mut files);
    let mut dirs: Vec<PathBuf> = read_dir(&root).into_iter().filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let lang = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&dir, &lang, &mut files);
    }
    let mut out = String::from("/// `(language, file name, contents)` of every data file.\n");
    out.push_str("pub(crate) static DATA_FILES: &[(&str, &str, &str)] = &[\n");
    for (lang, name, path) in &files {
        let path = path.to_str().expect("data file paths are UTF-8");
        writeln!(out, "    ({lang:?}, {name:?}, include_str!({path:?})),").unwrap();
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR")).join("data_files.rs");
    fs::write(dest, out).expect("write data_files.rs");
}

/// The `.txt` and `.tsv` files directly in `dir`, sorted by name.
fn collect(dir: &Path, lang: &str, files: &mut Vec<(String, String, PathBuf)>) {
    let mut found: Vec<PathBuf> = read_dir(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "tsv")))
        .collect();
    found.sort();
    for path in found {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        files.push((lang.to_string(), name, path));
    }
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    }
}
