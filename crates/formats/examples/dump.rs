//! Reads files and directories and prints each record as one JSON line on
//! standard output (errors on standard error), with a count at the end.
//!
//! `cargo run --release -p kroniek-formats --example dump -- PATH...`

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let quiet = std::env::var_os("QUIET").is_some();
    let started = Instant::now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut files, mut docs, mut errors) = (0usize, 0usize, 0usize);
    for entry in kroniek_formats::walk(&paths) {
        let path = match entry {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                errors += 1;
                continue;
            }
        };
        files += 1;
        match kroniek_formats::read_path(&path) {
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                errors += 1;
            }
            Ok(records) => {
                for record in records {
                    match record {
                        Ok(doc) => {
                            docs += 1;
                            if !quiet {
                                let line = serde_json::to_string(&doc).unwrap_or_default();
                                let _ = writeln!(out, "{line}");
                            }
                        }
                        Err(e) => {
                            eprintln!("error: {e}");
                            errors += 1;
                        }
                    }
                }
            }
        }
    }
    let _ = out.flush();
    eprintln!(
        "{files} files, {docs} documents, {errors} errors in {:.2}s",
        started.elapsed().as_secs_f64()
    );
}
