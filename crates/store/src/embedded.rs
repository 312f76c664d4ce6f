//! [`EmbeddedStore`]: SQLite (source of truth) plus a tantivy index.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use kroniek_model::{Document, PartialDate};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query, QueryClone, QueryParser, QueryParserError, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::index::{self, Fields, Payload};
use crate::similarity::{Sig, NEAR_DUPLICATE};
use crate::sql::{self, days};
use crate::{
    DocInfo, Hit, NewDoc, PutOutcome, Result, SearchQuery, SearchResult, Stats, Store, StoreError,
};

/// Name of the SQLite database in the store directory.
const DB_FILE: &str = "kroniek.sqlite";
/// Name of the index directory.
const INDEX_DIR: &str = "index";
/// Name of the lock file.
const LOCK_FILE: &str = "kroniek.lock";
/// Memory budget of the index writer.
const WRITER_MEMORY: usize = 64 << 20;
/// Idle read connections kept for reuse.
const READER_POOL: usize = 8;
/// Documents fetched per query by [`Store::documents`] and re-indexing.
const PAGE: i64 = 256;
/// Upper bound on `limit` and `offset` of a search, to keep memory bounded.
const MAX_HITS: usize = 10_000;
/// Corpus table holding, per table, a token that changes on every write.
const GENERATIONS: &str = "_generations";
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// Longest accepted document id.
const MAX_ID_LEN: usize = 256;

/// The embedded store: one directory with an SQLite database (WAL) as the
/// source of truth and a tantivy index for full-text search.
///
/// One process at a time may open a store; it holds an advisory lock on
/// `kroniek.lock` until the store is dropped. Within the process the store
/// is `Sync`: one writer (put/commit) at a time, any number of concurrent
/// readers, which see the last commit.
///
/// Dropping the store commits what is pending (use
/// [`close`](EmbeddedStore::close) to see errors). A process killed at any
/// moment leaves a store that opens and is consistent: opening indexes
/// whatever SQLite holds beyond the index's commit mark.
pub struct EmbeddedStore {
    dir: PathBuf,
    db_path: PathBuf,
    /// Pooled read-only connections. Declared before `writer` so they close
    /// first: the last connection to close checkpoints and removes the WAL,
    /// which only a read-write connection can do.
    readers: Mutex<Vec<Connection>>,
    /// `None` for a store opened with [`EmbeddedStore::open_read_only`].
    writer: Option<Mutex<WriterState>>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    /// Set by the crash-simulation hook: drop without committing.
    crashed: bool,
    /// Held (locked) for the lifetime of a writable store; dropped last.
    /// A read-only store takes no lock.
    _lock: Option<File>,
}

struct WriterState {
    conn: Connection,
    /// `None` only after [`EmbeddedStore::close`] or a simulated crash.
    index_writer: Option<IndexWriter<TantivyDocument>>,
    /// Whether documents were added to the index writer since its last
    /// commit.
    index_dirty: bool,
}

impl std::fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedStore")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave SQLite inconsistent (it is
    // transactional), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl EmbeddedStore {
    /// Opens the store in `dir`, creating the directory and an empty store
    /// if needed.
    ///
    /// Fails with [`StoreError::Locked`] when another process has it open
    /// and [`StoreError::NewerVersion`] when a newer build wrote it. Brings
    /// the full-text index up to date with SQLite first (after a crash, or
    /// when the index format changed), so this may take a while once.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::io(format!("creating store directory {}", dir.display()), e)
        })?;
        let lock_path = dir.join(LOCK_FILE);
        let lock_file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StoreError::io(format!("opening {}", lock_path.display()), e))?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&lock_file) {
            Ok(true) => {}
            Ok(false) => return Err(StoreError::Locked(dir.to_path_buf())),
            Err(e) => {
                return Err(StoreError::io(
                    format!("locking {}", lock_path.display()),
                    e,
                ))
            }
        }

        let db_path = dir.join(DB_FILE);
        let conn = sql::open_writer(&db_path, dir)?;
        let (index, fields) = index::open(&dir.join(INDEX_DIR))?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let index_writer: IndexWriter<TantivyDocument> = index
            .writer_with_num_threads(threads, WRITER_MEMORY)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => StoreError::Locked(dir.to_path_buf()),
                e => e.into(),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, fields.text_fields());
        parser.set_conjunction_by_default();
        for title in fields.title {
            parser.set_field_boost(title, 2.0);
        }

        let store = EmbeddedStore {
            dir: dir.to_path_buf(),
            db_path,
            readers: Mutex::new(Vec::new()),
            writer: Some(Mutex::new(WriterState {
                conn,
                index_writer: Some(index_writer),
                index_dirty: false,
            })),
            index,
            reader,
            fields,
            parser,
            crashed: false,
            _lock: Some(lock_file),
        };
        store.catch_up_index()?;
        Ok(store)
    }

    /// Opens an existing store for reading only, while another process
    /// (a `kroniek ingest`, say) may hold it open for writing.
    ///
    /// Takes no lock and never writes: SQLite is read through read-only
    /// connections, which see each commit of the writer as it happens, and
    /// the full-text index is reopened when the writer commits it (within
    /// about a second). Every writing method fails with
    /// [`StoreError::ReadOnly`]. Fails with [`StoreError::NotFound`] when
    /// `dir` holds no store, and with [`StoreError::NewerVersion`] as
    /// [`open`](EmbeddedStore::open) does. Documents committed to SQLite
    /// but not yet indexed (a writer killed between the two commits) are
    /// readable by id but not searchable until a writable open catches the
    /// index up.
    pub fn open_read_only(dir: &Path) -> Result<Self> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(StoreError::NotFound(format!(
                "no store at {} (no {DB_FILE})",
                dir.display()
            )));
        }
        let conn = sql::open_reader(&db_path)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > sql::SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                dir: dir.to_path_buf(),
                found: version,
                supported: sql::SCHEMA_VERSION,
            });
        }
        let (index, fields) = index::open_existing(&dir.join(INDEX_DIR))?;
        if Payload::indexed_seq(&index)?.is_none() {
            tracing::warn!(
                dir = %dir.display(),
                "full-text index was written by another build; searches may miss documents \
                 until the store is opened for writing"
            );
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, fields.text_fields());
        parser.set_conjunction_by_default();
        for title in fields.title {
            parser.set_field_boost(title, 2.0);
        }
        Ok(EmbeddedStore {
            dir: dir.to_path_buf(),
            db_path,
            readers: Mutex::new(vec![conn]),
            writer: None,
            index,
            reader,
            fields,
            parser,
            crashed: false,
            _lock: None,
        })
    }

    /// Whether the store was opened with
    /// [`open_read_only`](EmbeddedStore::open_read_only).
    pub fn is_read_only(&self) -> bool {
        self.writer.is_none()
    }

    /// The writer state, or [`StoreError::ReadOnly`].
    fn writer(&self) -> Result<MutexGuard<'_, WriterState>> {
        match &self.writer {
            Some(w) => Ok(lock(w)),
            None => Err(StoreError::ReadOnly(self.dir.clone())),
        }
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Commits what is pending, waits for background index merges and
    /// releases the store, reporting errors that dropping would only log.
    pub fn close(self) -> Result<()> {
        if self.writer.is_none() {
            return Ok(());
        }
        self.commit()?;
        let writer = self.writer()?.index_writer.take();
        if let Some(w) = writer {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// Test hook: simulates a crash. With `commit_sqlite`, the pending
    /// SQLite transaction is committed first (a kill between the SQLite and
    /// the index commit); otherwise it is lost (a kill mid-batch). The index
    /// writer is dropped without committing either way.
    #[doc(hidden)]
    pub fn simulate_crash(mut self, commit_sqlite: bool) -> Result<()> {
        self.crashed = true;
        let mut st = self.writer()?;
        if commit_sqlite && !st.conn.is_autocommit() {
            st.conn.execute_batch("COMMIT")?;
        }
        drop(st.index_writer.take());
        Ok(())
    }

    /// Indexes the documents SQLite has beyond the index's commit mark (all
    /// of them when the index must be rebuilt), then commits the index.
    fn catch_up_index(&self) -> Result<()> {
        let mut guard = self.writer()?;
        let st = &mut *guard;
        let Some(writer) = st.index_writer.as_mut() else {
            return Ok(());
        };
        let max = sql::max_seq(&st.conn)?;
        let (mark, rebuild) = match Payload::indexed_seq(&self.index)? {
            Some(mark) => (mark, false),
            None => (0, true),
        };
        if rebuild {
            tracing::info!(dir = %self.dir.display(), "index format changed: rebuilding it");
            writer.delete_all_documents()?;
        } else if mark >= max {
            return Ok(());
        }
        if max > mark {
            tracing::info!(
                dir = %self.dir.display(),
                from = mark + 1,
                to = max,
                "indexing documents missing from the full-text index"
            );
        }
        let mut after = mark;
        loop {
            let mut stmt = st.conn.prepare(
                "SELECT seq, id, json FROM documents WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let rows: Vec<(i64, String, String)> = stmt
                .query_map(params![after, PAGE], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            for (seq, id, json) in rows {
                // Idempotent: a document indexed by an uncommitted-but-
                // flushed segment is not visible, but one indexed after the
                // mark by a commit whose payload was lost would be.
                writer.delete_term(Term::from_field_text(self.fields.id, &id));
                match serde_json::from_str::<Document>(&json) {
                    Ok(doc) => {
                        writer.add_document(index::to_index_doc(&self.fields, &doc))?;
                    }
                    Err(e) => {
                        tracing::warn!(seq, id, error = %e, "stored document unreadable; not indexed")
                    }
                }
            }
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&Payload::new(max).to_json());
        prepared.commit()?;
        st.index_dirty = false;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Runs `f` on a pooled read-only connection.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => sql::open_reader(&self.db_path)?,
        };
        let out = f(&conn);
        let mut pool = lock(&self.readers);
        if pool.len() < READER_POOL {
            pool.push(conn);
        }
        out
    }

    fn commit_locked(&self, st: &mut WriterState) -> Result<()> {
        if !st.conn.is_autocommit() {
            if let Err(e) = st.conn.execute_batch("COMMIT") {
                // Keep SQLite and the index in step: drop the batch in both.
                let _ = st.conn.execute_batch("ROLLBACK");
                if let Some(w) = st.index_writer.as_mut() {
                    let _ = w.rollback();
                }
                st.index_dirty = false;
                return Err(e.into());
            }
        }
        if st.index_dirty {
            if let Some(w) = st.index_writer.as_mut() {
                let max = sql::max_seq(&st.conn)?;
                let mut prepared = w.prepare_commit()?;
                prepared.set_payload(&Payload::new(max).to_json());
                prepared.commit()?;
                st.index_dirty = false;
                self.reader.reload()?;
            }
        }
        Ok(())
    }

    fn put_locked(&self, st: &mut WriterState, new: &NewDoc) -> Result<PutOutcome> {
        let doc = new.doc;
        let id = doc.id.as_str();
        if id.is_empty() || id.len() > MAX_ID_LEN || id.chars().any(char::is_control) {
            return Err(StoreError::Invalid(format!(
                "document id {id:?} is empty, too long or has control characters"
            )));
        }
        let source = if new.source.is_empty() {
            doc.source.as_str()
        } else {
            new.source
        };
        if st.conn.is_autocommit() {
            st.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        let conn = &st.conn;
        let exists = conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            let added = conn.execute(
                "INSERT OR IGNORE INTO sources(id, source) VALUES (?1, ?2)",
                [id, source],
            )?;
            return Ok(PutOutcome::Duplicate {
                of: id.to_string(),
                new_source: added == 1,
            });
        }

        let near = match new.signature.and_then(Sig::parse) {
            Some(sig) => near_duplicate(conn, &sig, new.bands)?,
            None => None,
        };
        let json = serde_json::to_string(doc)?;
        conn.execute_batch("SAVEPOINT put")?;
        let written = (|| -> Result<()> {
            let dct = doc.dct.value;
            conn.execute(
                "INSERT INTO documents(id, title, lang, dct, dct_first, dct_last, source, json,
                                       near_dup_of, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    doc.title,
                    doc.lang,
                    dct.map(|d| d.to_string()),
                    dct.map(|d| days(d.first_day())),
                    dct.map(|d| days(d.last_day())),
                    source,
                    json,
                    near,
                    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ],
            )?;
            conn.execute(
                "INSERT OR IGNORE INTO sources(id, source) VALUES (?1, ?2)",
                [id, source],
            )?;
            if let Some(sig) = new.signature {
                conn.execute(
                    "INSERT OR REPLACE INTO minhash(id, sig) VALUES (?1, ?2)",
                    params![id, sig],
                )?;
                let mut stmt =
                    conn.prepare("INSERT OR IGNORE INTO lsh(band, id) VALUES (?1, ?2)")?;
                for &band in new.bands {
                    stmt.execute(params![band as i64, id])?;
                }
            }
            if let Some(w) = st.index_writer.as_ref() {
                w.add_document(index::to_index_doc(&self.fields, doc))?;
            }
            Ok(())
        })();
        match written {
            Ok(()) => {
                conn.execute_batch("RELEASE put")?;
                st.index_dirty = true;
                Ok(PutOutcome::Added {
                    near_duplicate_of: near,
                })
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK TO put; RELEASE put");
                Err(e)
            }
        }
    }

    /// Builds the query: the parsed text plus language and date filters.
    fn build_query(&self, q: &SearchQuery) -> Result<(Box<dyn Query>, Box<dyn Query>)> {
        let text: Box<dyn Query> = if q.text.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            self.parser.parse_query(&q.text).map_err(|e| {
                let hint = match e {
                    QueryParserError::FieldDoesNotExist(_) => {
                        "; fields are title_nl, title_en, title_other, body_nl, body_en, \
                         body_other, lang, id (quote a word that contains ':')"
                    }
                    _ => "",
                };
                StoreError::BadQuery(format!("{e} in {:?}{hint}", q.text))
            })?
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
        if let Some(lang) = q.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.lang, &lang.to_ascii_lowercase()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(from) = q.from {
            let lo = days(from.first_day());
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(self.fields.dct_last, lo)),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some(to) = q.to {
            let hi = days(to.last_day());
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(self.fields.dct_first, hi)),
                )),
            ));
        }
        Ok((Box::new(BooleanQuery::new(clauses)), text))
    }
}

impl Drop for EmbeddedStore {
    fn drop(&mut self) {
        if self.crashed {
            return;
        }
        let Some(writer) = &self.writer else {
            return;
        };
        let mut st = lock(writer);
        if st.index_writer.is_none() {
            return;
        }
        if let Err(e) = self.commit_locked(&mut st) {
            tracing::error!(dir = %self.dir.display(), error = %e, "committing the store on drop failed");
        }
        if let Some(w) = st.index_writer.take() {
            if let Err(e) = w.wait_merging_threads() {
                tracing::warn!(error = %e, "index merge on close failed");
            }
        }
    }
}

/// The most similar earlier document sharing an LSH band, if it is a
/// near-duplicate (ties go to the earliest).
fn near_duplicate(conn: &Connection, sig: &Sig, bands: &[u64]) -> Result<Option<String>> {
    if bands.is_empty() || sig.is_empty_text() {
        return Ok(None);
    }
    let mut best: Option<(f64, i64, String)> = None;
    // SQLite allows 32766 parameters; bands come in chunks far below that.
    for chunk in bands.chunks(500) {
        let placeholders = vec!["?"; chunk.len()].join(",");
        let mut stmt = conn.prepare(&format!(
            "SELECT d.seq, m.id, m.sig FROM minhash m JOIN documents d ON d.id = m.id
             WHERE m.id IN (SELECT id FROM lsh WHERE band IN ({placeholders}))"
        ))?;
        let mut rows = stmt.query(params_from_iter(chunk.iter().map(|&b| b as i64)))?;
        while let Some(row) = rows.next()? {
            let (seq, id, bytes): (i64, String, Vec<u8>) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let Some(other) = Sig::parse(&bytes) else {
                continue;
            };
            let s = sig.similarity(&other);
            if s < NEAR_DUPLICATE {
                continue;
            }
            let better = match &best {
                None => true,
                Some((bs, bseq, _)) => s > *bs || (s == *bs && seq < *bseq),
            };
            if better {
                best = Some((s, seq, id));
            }
        }
    }
    Ok(best.map(|(_, _, id)| id))
}

/// Total size of the files under `path`.
fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

impl Store for EmbeddedStore {
    fn put(&self, new: &NewDoc) -> Result<PutOutcome> {
        let mut st = self.writer()?;
        self.put_locked(&mut st, new)
    }

    fn commit(&self) -> Result<()> {
        let mut st = self.writer()?;
        self.commit_locked(&mut st)
    }

    fn get(&self, id: &str) -> Result<Option<DocInfo>> {
        self.read(|conn| {
            let Some(id) = sql::resolve_id(conn, id)? else {
                return Ok(None);
            };
            let row: Option<(String, Option<String>)> = conn
                .query_row(
                    "SELECT json, near_dup_of FROM documents WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((json, near_duplicate_of)) = row else {
                return Ok(None);
            };
            let doc: Document = serde_json::from_str(&json)?;
            let sources = conn
                .prepare("SELECT source FROM sources WHERE id = ?1 ORDER BY rowid")?
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let near_duplicates = conn
                .prepare("SELECT id FROM documents WHERE near_dup_of = ?1 ORDER BY seq")?
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(Some(DocInfo {
                doc,
                sources,
                near_duplicate_of,
                near_duplicates,
            }))
        })
    }

    fn search_ids(&self, q: &SearchQuery) -> Result<Vec<String>> {
        let (query, _) = self.build_query(q)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.min(MAX_HITS);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit)
                .and_offset(q.offset.min(MAX_HITS))
                .order_by_score(),
        )?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let stored: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = stored.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResult> {
        let (query, text_query) = self.build_query(q)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.min(MAX_HITS);
        let offset = q.offset.min(MAX_HITS);
        let (top, total) = if limit == 0 {
            (Vec::new(), searcher.search(&query, &Count)?)
        } else {
            searcher.search(
                &query,
                &(
                    TopDocs::with_limit(limit)
                        .and_offset(offset)
                        .order_by_score(),
                    Count,
                ),
            )?
        };
        let mut generators: HashMap<usize, Option<SnippetGenerator>> = HashMap::new();
        let mut hits = Vec::with_capacity(top.len());
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT title, lang, dct, source, json_extract(json, '$.text')
                 FROM documents WHERE id = ?1",
            )?;
            for (score, addr) in top {
                let stored: TantivyDocument = searcher.doc(addr)?;
                let Some(id) = stored.get_first(self.fields.id).and_then(|v| v.as_str()) else {
                    continue;
                };
                type Row = (
                    Option<String>,
                    String,
                    Option<String>,
                    String,
                    Option<String>,
                );
                let row: Option<Row> = stmt
                    .query_row([id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()?;
                let Some((title, lang, dct, source, text)) = row else {
                    tracing::warn!(id, "indexed document missing from SQLite");
                    continue;
                };
                let slot = index::slot(&lang);
                let generator = generators.entry(slot).or_insert_with(|| {
                    let mut g =
                        SnippetGenerator::create(&searcher, &*text_query, self.fields.body[slot])
                            .ok()?;
                    g.set_max_num_chars(index::SNIPPET_CHARS);
                    Some(g)
                });
                let snip = index::snippet(generator.as_ref(), text.as_deref().unwrap_or(""));
                hits.push(Hit {
                    id: id.to_string(),
                    title,
                    dct: dct.and_then(|d| d.parse::<PartialDate>().ok()),
                    lang,
                    source,
                    score,
                    snippet: snip.text,
                    snippet_html: snip.html,
                    highlights: snip.highlights,
                });
            }
            Ok(())
        })?;
        Ok(SearchResult { total, hits })
    }

    fn stats(&self) -> Result<Stats> {
        let mut stats = self.read(|conn| {
            let count = |sql: &str| -> Result<u64> {
                Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64)
            };
            let documents = count("SELECT COUNT(*) FROM documents")?;
            let sources = count("SELECT COUNT(*) FROM sources")?;
            let near_duplicates =
                count("SELECT COUNT(*) FROM documents WHERE near_dup_of IS NOT NULL")?;
            let undated = count("SELECT COUNT(*) FROM documents WHERE dct IS NULL")?;
            let by_lang = conn
                .prepare(
                    "SELECT lang, COUNT(*) AS n FROM documents GROUP BY lang ORDER BY n DESC, lang",
                )?
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let dates = conn
                .prepare("SELECT dct, COUNT(*) FROM documents WHERE dct IS NOT NULL GROUP BY dct")?
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut years: std::collections::BTreeMap<i32, u64> = Default::default();
            let (mut earliest, mut latest): (Option<PartialDate>, Option<PartialDate>) =
                (None, None);
            for (dct, n) in dates {
                let Ok(d) = dct.parse::<PartialDate>() else {
                    continue;
                };
                *years.entry(d.year_value()).or_default() += n;
                earliest = Some(earliest.map_or(d, |e| e.min(d)));
                latest = Some(latest.map_or(d, |l| l.max(d)));
            }
            Ok(Stats {
                documents,
                sources,
                duplicates: sources.saturating_sub(documents),
                near_duplicates,
                by_lang,
                by_year: years.into_iter().collect(),
                undated,
                earliest,
                latest,
                db_bytes: 0,
            })
        })?;
        stats.db_bytes = dir_size(&self.dir);
        Ok(stats)
    }

    fn file_done(&self, path: &str, fingerprint: &str) -> Result<bool> {
        let query = |conn: &Connection| -> Result<Option<String>> {
            Ok(conn
                .query_row(
                    "SELECT fingerprint FROM files WHERE path = ?1",
                    [path],
                    |r| r.get(0),
                )
                .optional()?)
        };
        let stored = match &self.writer {
            Some(w) => query(&lock(w).conn)?,
            None => self.read(query)?,
        };
        Ok(stored.as_deref() == Some(fingerprint))
    }

    fn contains(&self, id: &str) -> Result<bool> {
        let query = |conn: &Connection| -> Result<bool> {
            Ok(conn
                .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
                .optional()?
                .is_some())
        };
        match &self.writer {
            Some(w) => query(&lock(w).conn),
            None => self.read(query),
        }
    }

    fn mark_file_done(&self, path: &str, fingerprint: &str, summary_json: &str) -> Result<()> {
        let st = self.writer()?;
        if st.conn.is_autocommit() {
            st.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        st.conn.execute(
            "INSERT OR REPLACE INTO files(path, fingerprint, summary, done_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                path,
                fingerprint,
                summary_json,
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ],
        )?;
        Ok(())
    }

    fn documents(&self) -> Result<Box<dyn Iterator<Item = Result<Document>> + '_>> {
        Ok(Box::new(DocIter {
            store: self,
            after: 0,
            buf: VecDeque::new(),
            done: false,
        }))
    }

    fn update(&self, doc: &Document) -> Result<bool> {
        let mut st = self.writer()?;
        if st.conn.is_autocommit() {
            st.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        let stored: Option<String> = st
            .conn
            .query_row("SELECT json FROM documents WHERE id = ?1", [&doc.id], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(stored) = stored else {
            return Ok(false);
        };
        let old: Document = serde_json::from_str(&stored)?;
        if old.text != doc.text {
            return Err(StoreError::Invalid(format!(
                "update of {} changes its text; store it as a new document instead",
                doc.id
            )));
        }
        let dct = doc.dct.value;
        st.conn.execute(
            "UPDATE documents SET title = ?2, lang = ?3, dct = ?4, dct_first = ?5, dct_last = ?6,
                                  json = ?7
             WHERE id = ?1",
            params![
                doc.id,
                doc.title,
                doc.lang,
                dct.map(|d| d.to_string()),
                dct.map(|d| days(d.first_day())),
                dct.map(|d| days(d.last_day())),
                serde_json::to_string(doc)?,
            ],
        )?;
        if let Some(w) = st.index_writer.as_ref() {
            w.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            w.add_document(index::to_index_doc(&self.fields, doc))?;
            st.index_dirty = true;
        }
        Ok(true)
    }

    fn put_table(&self, table: &str, rows: &[(String, String)]) -> Result<()> {
        let st = self.writer()?;
        if st.conn.is_autocommit() {
            st.conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        st.conn
            .execute("DELETE FROM corpus WHERE tbl = ?1", [table])?;
        let mut stmt = st
            .conn
            .prepare("INSERT OR REPLACE INTO corpus(tbl, key, value) VALUES (?1, ?2, ?3)")?;
        for (key, value) in rows {
            stmt.execute(params![table, key, value])?;
        }
        // A token that changes with every write of the table, so readers
        // can cache what they parsed from it (see `Store::table_generation`).
        let token = format!(
            "{}-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
            GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        stmt.execute(params![GENERATIONS, table, token])?;
        Ok(())
    }

    fn table_generation(&self, table: &str) -> Result<Option<String>> {
        self.table_row(GENERATIONS, table)
    }

    fn table(&self, table: &str) -> Result<Vec<(String, String)>> {
        self.read(|conn| {
            Ok(conn
                .prepare("SELECT key, value FROM corpus WHERE tbl = ?1 ORDER BY key")?
                .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?)
        })
    }

    fn table_row(&self, table: &str, key: &str) -> Result<Option<String>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT value FROM corpus WHERE tbl = ?1 AND key = ?2",
                    [table, key],
                    |r| r.get(0),
                )
                .optional()?)
        })
    }
}

/// Streams documents in `seq` order, a page at a time, so no read
/// transaction stays open between pages.
struct DocIter<'a> {
    store: &'a EmbeddedStore,
    after: i64,
    buf: VecDeque<Result<Document>>,
    done: bool,
}

impl DocIter<'_> {
    fn fill(&mut self) -> Result<()> {
        let rows: Vec<(i64, String)> = self.store.read(|conn| {
            let mut stmt = conn
                .prepare("SELECT seq, json FROM documents WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
            let rows = stmt
                .query_map(params![self.after, PAGE], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        match rows.last() {
            Some((seq, _)) => self.after = *seq,
            None => self.done = true,
        }
        self.buf.extend(
            rows.into_iter()
                .map(|(_, json)| serde_json::from_str(&json).map_err(StoreError::from)),
        );
        Ok(())
    }
}

impl Iterator for DocIter<'_> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        if self.buf.is_empty() && !self.done {
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.buf.pop_front()
    }
}
