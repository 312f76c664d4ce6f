//! Ingest: files → raw documents → annotated documents → store.
//!
//! Files are read one after another; their records are annotated in
//! parallel batches and written to the store in input order. The store
//! commits every few thousand documents; a file is marked done in the same
//! transaction as its last document, so a kill at any moment leaves a store
//! that opens, and a re-run completes the ingest without duplicates.
//!
//! With the corpus steps on, each new document is linked to the corpus
//! entities ([`crate::linking::Inline`]) just before it is stored, in store
//! order, so it is written once; the linker's state is saved in every
//! commit with the documents it has seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, UNIX_EPOCH};

use kroniek_formats::{RawDoc, Record};
use kroniek_model::Document;
use kroniek_store::{NewDoc, PutOutcome, Store, StoreError};
use kroniek_text::minhash;
use rayon::prelude::*;
use serde::Serialize;

use crate::annotate::{to_document, AnnotateOptions};

/// How an ingest behaves.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Re-read files even when they are unchanged since an earlier ingest.
    pub rescan: bool,
    /// Records annotated together in one parallel batch.
    pub batch: usize,
    /// Commit at least this often (documents).
    pub commit_every: usize,
    /// ... and at least this often (time).
    pub commit_interval: Duration,
    pub annotate: AnnotateOptions,
    /// Run the corpus-level steps: link entities across articles
    /// ([`crate::linking`], as documents are stored), then at the end date
    /// undated articles from their neighbours ([`crate::dating`], when
    /// documents were added) and rebuild the timeline and story tables ([`crate::corpus::rebuild_corpus`], when
    /// documents were added).
    pub corpus: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            rescan: false,
            batch: 256,
            commit_every: 5000,
            commit_interval: Duration::from_secs(10),
            annotate: AnnotateOptions::default(),
            corpus: true,
        }
    }
}

/// A file or record that was not ingested, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skip {
    pub source: String,
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Files found under the given paths.
    pub files: usize,
    /// Files skipped because they were ingested before and have not changed.
    pub files_unchanged: usize,
    /// Documents read from the files.
    pub records: usize,
    /// New documents stored.
    pub added: usize,
    /// Documents whose text was already stored from another source.
    pub duplicates: usize,
    /// Documents already stored from this very source (a re-run).
    pub already_stored: usize,
    /// New documents that are near-duplicates of a stored one.
    pub near_duplicates: usize,
    /// Files and records that could not be ingested, with the reason.
    pub skipped: Vec<Skip>,
    /// Corpus-level dating after the ingest ([`crate::dating`]): run when
    /// documents were added.
    #[serde(default)]
    pub dating: crate::dating::DatingSummary,
    /// What the corpus step did, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corpus: Option<crate::corpus::CorpusSummary>,
    pub seconds: f64,
}

/// Progress reports for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The number of files to read is known.
    Files(usize),
    /// A file has been read (or skipped).
    File(&'a str),
}

/// One record waiting for annotation, with the index of its file.
struct Pending {
    file: usize,
    raw: RawDoc,
}

/// A file whose records are being ingested.
struct OpenFile {
    path: String,
    fingerprint: String,
    /// Records of this file not yet written to the store.
    outstanding: usize,
    /// Reading finished (all records queued).
    read: bool,
    /// The file as a whole could not be read (binary, empty, broken gzip).
    unreadable: bool,
    /// Done: marked in the store, or deliberately left unmarked.
    marked: bool,
    added: usize,
    duplicates: usize,
    errors: usize,
}

struct Run<'s> {
    store: &'s dyn Store,
    opts: &'s IngestOptions,
    summary: IngestSummary,
    /// Files being ingested, by a running number (finished ones are
    /// dropped at each commit so memory stays flat over huge ingests).
    files: BTreeMap<usize, OpenFile>,
    next_file: usize,
    pending: Vec<Pending>,
    since_commit: usize,
    last_commit: Instant,
    /// Cross-article linking of new documents before they are stored
    /// (with the corpus steps).
    linking: Option<crate::linking::Inline<'s>>,
}

/// Ingests every file under `paths` (directories recursively) into `store`.
///
/// Problems with single files or records are reported in the summary's
/// `skipped` list and never stop the rest; only store failures end the run.
pub fn ingest(
    store: &dyn Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<IngestSummary, StoreError> {
    let started = Instant::now();
    let entries = kroniek_formats::walk(paths);
    progress(Progress::Files(entries.len()));
    let mut run = Run {
        store,
        opts,
        summary: IngestSummary {
            files: entries.len(),
            ..Default::default()
        },
        files: BTreeMap::new(),
        next_file: 0,
        pending: Vec::new(),
        since_commit: 0,
        last_commit: Instant::now(),
        linking: if opts.corpus {
            Some(crate::linking::Inline::start(store)?)
        } else {
            None
        },
    };
    for entry in entries {
        match entry {
            Ok(path) => {
                run.read_file(&path)?;
                progress(Progress::File(&path.to_string_lossy()));
            }
            Err(e) => {
                run.summary.skipped.push(Skip {
                    source: String::new(),
                    reason: e.to_string(),
                });
                progress(Progress::File(""));
            }
        }
    }
    run.flush()?;
    run.commit()?;
    if let Some(linking) = run.linking.take() {
        linking.finish()?;
    }
    let mut summary = std::mem::take(&mut run.summary);
    drop(run);
    if opts.corpus && summary.added > 0 {
        summary.dating = crate::dating::refine_dates(store)?;
    }
    // Catches up with documents stored without linking (by other code);
    // after the inline linking above it finds nothing to do.
    if opts.corpus {
        crate::linking::link(store)?;
    }
    // Also when nothing was added but an earlier ingest was killed before
    // its corpus step finished.
    if opts.corpus && (summary.added > 0 || !crate::corpus::is_current(store)?) {
        summary.corpus = Some(crate::corpus::rebuild_corpus(store)?);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

impl Run<'_> {
    fn read_file(&mut self, path: &Path) -> Result<(), StoreError> {
        let shown = std::fs::canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .to_string_lossy()
            .into_owned();
        let fingerprint = fingerprint(path);
        if !self.opts.rescan && self.store.file_done(&shown, &fingerprint)? {
            self.summary.files_unchanged += 1;
            return Ok(());
        }
        let file = self.next_file;
        self.next_file += 1;
        self.files.insert(
            file,
            OpenFile {
                path: shown.clone(),
                fingerprint,
                outstanding: 0,
                read: false,
                unreadable: false,
                marked: false,
                added: 0,
                duplicates: 0,
                errors: 0,
            },
        );
        match kroniek_formats::read_path(path) {
            Err(e) => {
                // Not marked done: an unreadable file is reported again on
                // the next run until it is fixed or removed.
                self.file(file).unreadable = true;
                self.skip(file, &shown, e.to_string());
            }
            Ok(records) => {
                for record in records {
                    self.queue(file, record)?;
                }
            }
        }
        self.file(file).read = true;
        self.finish_files()
    }

    fn queue(&mut self, file: usize, record: Record) -> Result<(), StoreError> {
        match record {
            Ok(mut raw) => {
                raw.source = relabel(&raw.source, &self.file(file).path);
                self.summary.records += 1;
                self.file(file).outstanding += 1;
                self.pending.push(Pending { file, raw });
                if self.pending.len() >= self.opts.batch {
                    self.flush()?;
                }
            }
            Err(e) => {
                let source = relabel(&e.source, &self.file(file).path);
                self.skip(file, &source, e.reason);
            }
        }
        Ok(())
    }

    fn file(&mut self, id: usize) -> &mut OpenFile {
        self.files
            .get_mut(&id)
            .expect("a file stays open until its records are written")
    }

    fn skip(&mut self, file: usize, source: &str, reason: String) {
        self.file(file).errors += 1;
        self.summary.skipped.push(Skip {
            source: source.to_string(),
            reason,
        });
    }

    /// Annotates the pending records in parallel and writes them in order.
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let annotated: Vec<(usize, Document, minhash::Signature)> = batch
            .into_par_iter()
            .map(|p| {
                let doc = to_document(p.raw, &self.opts.annotate);
                let sig = minhash::signature(&doc.text);
                (p.file, doc, sig)
            })
            .collect();
        for (file, mut doc, sig) in annotated {
            let bytes = minhash::to_bytes(&sig);
            let bands = minhash::bands(&sig);
            // Link only what will be stored as a new document, in the order
            // documents are stored.
            let linked = match self.linking.as_mut() {
                Some(linking) if !self.store.contains(&doc.id)? => {
                    linking.link(&mut doc)?;
                    Some(linking)
                }
                _ => None,
            };
            let outcome = self.store.put(&NewDoc {
                doc: &doc,
                source: &doc.source,
                signature: Some(&bytes),
                bands: &bands,
            })?;
            if let Some(linking) = linked {
                if !matches!(outcome, PutOutcome::Added { .. }) {
                    return Err(StoreError::Invalid(format!(
                        "document {} was linked as new but stored as a duplicate \
                         (another writer during the ingest?)",
                        doc.id
                    )));
                }
                linking.stored();
            }
            let (added, near, new_source) = match outcome {
                PutOutcome::Added { near_duplicate_of } => {
                    (true, near_duplicate_of.is_some(), false)
                }
                PutOutcome::Duplicate { new_source, .. } => (false, false, new_source),
            };
            let f = self
                .files
                .get_mut(&file)
                .expect("a file stays open until its records are written");
            f.outstanding -= 1;
            if added {
                f.added += 1;
                self.summary.added += 1;
                self.summary.near_duplicates += usize::from(near);
            } else {
                f.duplicates += 1;
                if new_source {
                    self.summary.duplicates += 1;
                } else {
                    self.summary.already_stored += 1;
                }
            }
            self.since_commit += 1;
        }
        self.finish_files()?;
        if self.since_commit >= self.opts.commit_every
            || self.last_commit.elapsed() >= self.opts.commit_interval
        {
            self.commit()?;
        }
        Ok(())
    }

    /// Marks files done whose records are all written (in the open
    /// transaction, so the mark is durable exactly when the documents are).
    fn finish_files(&mut self) -> Result<(), StoreError> {
        for f in self.files.values_mut().filter(|f| f.read && !f.marked) {
            if f.unreadable {
                f.marked = true;
            } else if f.outstanding == 0 {
                let summary = serde_json::json!({
                    "added": f.added, "duplicates": f.duplicates, "errors": f.errors,
                });
                self.store
                    .mark_file_done(&f.path, &f.fingerprint, &summary.to_string())?;
                f.marked = true;
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        // The linker state goes into the same commit as the documents it
        // has seen.
        if let Some(linking) = self.linking.as_mut() {
            linking.save()?;
        }
        self.store.commit()?;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        // Drop finished files so memory stays flat over huge ingests.
        self.files.retain(|_, f| !f.marked);
        Ok(())
    }
}

/// Size and modification time: a file with the same fingerprint is taken to
/// be unchanged.
fn fingerprint(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{}:{}", m.len(), mtime)
        }
        Err(_) => String::from("unknown"),
    }
}

/// Replaces the path part of a record's source (`path#N`) with the
/// canonical path, so a file's records are named the same whatever
/// directory the ingest was started from.
fn relabel(source: &str, canonical: &str) -> String {
    match source.rfind('#') {
        Some(i) if source[i + 1..].bytes().all(|b| b.is_ascii_digit()) && i + 1 < source.len() => {
            format!("{canonical}{}", &source[i..])
        }
        _ => canonical.to_string(),
    }
}
