//! `kroniek-bench-ingest [CORPUS_DIR] [--threads N] [--runs N] [--keep DIR]`
//!
//! Benchmark driver for the whole ingest (read, annotate with every stage,
//! deduplicate, store, index) into a fresh embedded store. Prints one
//! Markdown table row per run: documents/s, store size, duplicates found,
//! and the time of an idempotent second ingest of the same files.
//! Default corpus: `../shared/corpora/timeline17`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use kroniek_pipeline::{ingest, IngestOptions, IngestSummary};
use kroniek_store::EmbeddedStore;

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn run_once(corpus: &Path, db: &Path) -> Result<(IngestSummary, f64, u64)> {
    let opts = IngestOptions::default();
    let paths = vec![corpus.to_path_buf()];
    let started = Instant::now();
    let summary = {
        let store = EmbeddedStore::open(db)?;
        let s = ingest(&store, &paths, &opts, &mut |_| {})?;
        store.close()?;
        s
    };
    let first = started.elapsed().as_secs_f64();
    let size = dir_size(db);
    // The same files again: must add nothing.
    let started = Instant::now();
    let again = {
        let store = EmbeddedStore::open(db)?;
        let s = ingest(&store, &paths, &opts, &mut |_| {})?;
        store.close()?;
        s
    };
    let second = started.elapsed().as_secs_f64();
    if again.added != 0 {
        bail!("re-ingest added {} documents: not idempotent", again.added);
    }
    eprintln!(
        "re-ingest of the same files: {second:.2} s, {} files unchanged, 0 added",
        again.files_unchanged
    );
    Ok((summary, first.max(f64::EPSILON), size))
}

fn main() -> Result<()> {
    let mut corpus = kroniek_eval::default_shared().join("corpora/timeline17");
    let mut threads = 0usize;
    let mut runs = 1usize;
    let mut keep: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().context("--threads N")?.parse()?,
            "--runs" => runs = args.next().context("--runs N")?.parse()?,
            "--keep" => keep = Some(args.next().context("--keep DIR")?.into()),
            "-h" | "--help" => {
                println!("usage: kroniek-bench-ingest [CORPUS_DIR] [--threads N] [--runs N] [--keep DIR]");
                return Ok(());
            }
            _ => corpus = PathBuf::from(a),
        }
    }
    if !corpus.is_dir() {
        bail!("{} is not a directory", corpus.display());
    }
    if threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()?;
    }
    println!(
        "| run | threads | files | documents added | exact duplicates | near-duplicates | skipped | seconds | documents/s | store MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for run in 1..=runs {
        let tmp = tempfile::tempdir()?;
        let db = match &keep {
            Some(k) if run == runs => k.clone(),
            _ => tmp.path().join("db"),
        };
        let (s, secs, size) = run_once(&corpus, &db)?;
        println!(
            "| {run} | {} | {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.1} |",
            rayon::current_num_threads(),
            s.files,
            s.added,
            s.duplicates,
            s.near_duplicates,
            s.skipped.len(),
            secs,
            s.records as f64 / secs,
            size as f64 / (1024.0 * 1024.0),
        );
    }
    Ok(())
}
