//! Kroniek storage: the [`Store`] trait and its embedded backend.
//!
//! The pipeline, the CLI and the server only talk to [`Store`], so a
//! scale-out backend can be added later without touching them.
//! [`EmbeddedStore`] keeps everything in one directory:
//!
//! * `kroniek.sqlite`: SQLite in WAL mode, the source of truth: every
//!   document with its full JSON, the sources it was seen in, its MinHash
//!   signature and LSH band keys, and the files already ingested.
//! * `index/`: a tantivy full-text index derived from SQLite, with a Dutch
//!   and an English analyser. It can always be rebuilt from SQLite, and is
//!   brought up to date when the store is opened.
//! * `kroniek.lock`: an advisory lock held while the store is open, so a
//!   second process gets [`StoreError::Locked`] instead of a hang.
//!
//! Writes are batched: [`Store::put`] and [`Store::mark_file_done`] write
//! into an open SQLite transaction and the index writer, and
//! [`Store::commit`] makes the whole batch durable and searchable at once.
//! Reads ([`Store::get`], [`Store::search`], [`Store::stats`],
//! [`Store::documents`]) see the last commit and never wait for a batch.

#![warn(missing_docs)]

use std::path::PathBuf;

use kroniek_model::{Document, PartialDate};
use serde::{Deserialize, Serialize};

mod analysis;
mod embedded;
mod index;
mod similarity;
mod sql;

pub use embedded::EmbeddedStore;

/// Why a store operation failed.
#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    /// Another process (or another handle in this one) has the store open.
    #[error("store at {} is locked by another process", .0.display())]
    Locked(PathBuf),
    /// The store was opened read-only
    /// ([`EmbeddedStore::open_read_only`]) and cannot be written.
    #[error("store at {} is open read-only", .0.display())]
    ReadOnly(PathBuf),
    /// The store's schema is newer than this build understands.
    #[error(
        "store at {} was written by a newer version (schema {found}, this build reads up to {supported})",
        dir.display()
    )]
    NewerVersion {
        /// The store directory.
        dir: PathBuf,
        /// Schema version found on disk.
        found: i64,
        /// Highest schema version this build reads.
        supported: i64,
    },
    /// An SQLite error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A full-text index error.
    #[error("full-text index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A file-system error, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What was being done ("creating DIR", ...).
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A stored document could not be read back (or a document could not be
    /// serialised).
    #[error("document JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The search query (or an id prefix) is not valid; the message says why.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// Something asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A document or argument the store cannot accept (e.g. an empty id).
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl StoreError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        StoreError::Io {
            context: context.into(),
            source,
        }
    }
}

/// Result of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A document to store, with what the text stage computed for it.
#[derive(Debug, Clone, Copy)]
pub struct NewDoc<'a> {
    /// The annotated document; `doc.id` identifies it.
    pub doc: &'a Document,
    /// Where this copy came from (usually `doc.source`).
    pub source: &'a str,
    /// The serialised MinHash signature (`text::minhash::to_bytes`: an
    /// optional version byte, then little-endian `u32` slots), if computed.
    pub signature: Option<&'a [u8]>,
    /// LSH band keys of the signature (`text::minhash::bands`).
    pub bands: &'a [u64],
}

/// What [`Store::put`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PutOutcome {
    /// A new document was stored.
    Added {
        /// The id of an earlier document whose signature is at least 80%
        /// similar, if there is one.
        near_duplicate_of: Option<String>,
    },
    /// A document with the same id (the same normalised text) is stored
    /// already.
    Duplicate {
        /// The stored document's id.
        of: String,
        /// `true` when this source was new for it and has been recorded;
        /// `false` when this exact (id, source) pair was stored before (a
        /// re-ingest: nothing changed).
        new_source: bool,
    },
}

/// A full-text search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Query in tantivy syntax: words (all must match), `"phrases"`,
    /// `OR`, `-excluded`, `title_nl:word`. Empty matches every document
    /// (useful with filters).
    pub text: String,
    /// Only documents whose date range ends on or after the first day of
    /// this date. Undated documents are excluded when `from` or `to` is set.
    pub from: Option<PartialDate>,
    /// Only documents whose date range starts on or before the last day of
    /// this date.
    pub to: Option<PartialDate>,
    /// Only documents in this language (ISO 639-1 code, `und` for unknown).
    pub lang: Option<String>,
    /// Maximum number of hits to return.
    pub limit: usize,
    /// Number of best hits to skip (paging).
    pub offset: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self {
            text: String::new(),
            from: None,
            to: None,
            lang: None,
            limit: 10,
            offset: 0,
        }
    }
}

impl SearchQuery {
    /// A query for `text` with no filters and the first 10 hits.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Document title, if it has one.
    pub title: Option<String>,
    /// Document creation time.
    pub dct: Option<PartialDate>,
    /// Document language.
    pub lang: String,
    /// The first source the document was seen in.
    pub source: String,
    /// BM25 relevance (higher is better).
    pub score: f32,
    /// Plain-text excerpt (about 200 characters) around the matches, or
    /// the start of the text when the body does not match.
    pub snippet: String,
    /// The same excerpt, HTML-escaped, with matches in `<b>..</b>`.
    pub snippet_html: String,
    /// Code-point ranges (start, end exclusive) of the matched words in
    /// `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResult {
    /// Number of matching documents (all of them, not just this page).
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
}

/// Store-wide counts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Distinct documents.
    pub documents: u64,
    /// Distinct (document, source) pairs.
    pub sources: u64,
    /// Extra sources of already-stored documents: `sources - documents`.
    pub duplicates: u64,
    /// Documents recorded as near-duplicates of an earlier one.
    pub near_duplicates: u64,
    /// Documents per language, most frequent first.
    pub by_lang: Vec<(String, u64)>,
    /// Dated documents per year of their creation time, in year order.
    pub by_year: Vec<(i32, u64)>,
    /// Documents without a creation time.
    pub undated: u64,
    /// The earliest creation time.
    pub earliest: Option<PartialDate>,
    /// The latest creation time.
    pub latest: Option<PartialDate>,
    /// Size on disk of the whole store directory (database and index).
    pub db_bytes: u64,
}

/// A stored document with what the store knows about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocInfo {
    /// The document as stored (its first source in `doc.source`).
    pub doc: Document,
    /// Every source it was seen in, in the order they were stored.
    pub sources: Vec<String>,
    /// The earlier document it nearly duplicates, if any.
    pub near_duplicate_of: Option<String>,
    /// Later documents that nearly duplicate this one.
    pub near_duplicates: Vec<String>,
}

/// A document store. All methods take `&self`: a store can be shared
/// between threads (`Arc<dyn Store>`), with one thread ingesting while
/// others search.
pub trait Store: Send + Sync {
    /// Stores a document, or records a new source for a document stored
    /// already. Puts are batched: they become durable and searchable at the
    /// next [`commit`](Store::commit).
    fn put(&self, new: &NewDoc) -> Result<PutOutcome>;

    /// Makes everything put (and marked done) so far durable and
    /// searchable.
    fn commit(&self) -> Result<()>;

    /// The document with this id, or with this unique id prefix (at least 6
    /// characters). An ambiguous prefix is a [`StoreError::BadQuery`].
    fn get(&self, id: &str) -> Result<Option<DocInfo>>;

    /// Full-text search, best first. A query syntax error is a
    /// [`StoreError::BadQuery`] carrying the parser's message.
    fn search(&self, q: &SearchQuery) -> Result<SearchResult>;

    /// The ids of the documents matching `q`, best first, without titles
    /// or snippets: for filters that only need the set of documents.
    fn search_ids(&self, q: &SearchQuery) -> Result<Vec<String>> {
        Ok(self.search(q)?.hits.into_iter().map(|h| h.id).collect())
    }

    /// Store-wide counts.
    fn stats(&self) -> Result<Stats>;

    /// Whether the file at `path` was fully ingested with this fingerprint
    /// (size and modification time). Sees marks not yet committed.
    fn file_done(&self, path: &str, fingerprint: &str) -> Result<bool>;

    /// Whether a document with exactly this id is stored, counting puts
    /// not yet committed: a [`put`](Store::put) of a document with this id
    /// would be a [`PutOutcome::Duplicate`]. Ingest asks before linking a
    /// document, so only documents that will be added are linked.
    fn contains(&self, id: &str) -> Result<bool>;

    /// Records that the file at `path` is fully ingested, in the same batch
    /// as its documents (durable at the next [`commit`](Store::commit)).
    fn mark_file_done(&self, path: &str, fingerprint: &str, summary_json: &str) -> Result<()>;

    /// Every stored document in the order it was first stored, streamed.
    fn documents(&self) -> Result<Box<dyn Iterator<Item = Result<Document>> + '_>>;

    /// Replaces the annotations (every layer, title, language and DCT) of a
    /// stored document with those of `doc`, matched by `doc.id`; the text
    /// cannot change, since the id is derived from it. Returns `false` when
    /// no document has that id. Durable and searchable at the next
    /// [`commit`](Store::commit). Corpus-level stages use this to write
    /// back what they learn from other articles (linked entity ids, a
    /// refined inferred date).
    fn update(&self, doc: &Document) -> Result<bool>;

    /// Replaces every row of the corpus-level table `table` (entities,
    /// stories, timeline entries...) with `rows`, as (key, JSON value)
    /// pairs. Durable at the next [`commit`](Store::commit), in the same
    /// transaction as the documents.
    fn put_table(&self, table: &str, rows: &[(String, String)]) -> Result<()>;

    /// Every row of a corpus-level table, ordered by key; empty when the
    /// table was never written.
    fn table(&self, table: &str) -> Result<Vec<(String, String)>>;

    /// One row of a corpus-level table.
    fn table_row(&self, table: &str, key: &str) -> Result<Option<String>>;

    /// A token that changes whenever `table` is written (`None` if it never
    /// was): readers cache what they parse from a table under it.
    fn table_generation(&self, _table: &str) -> Result<Option<String>> {
        Ok(None)
    }
}
