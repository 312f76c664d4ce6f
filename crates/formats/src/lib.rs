//! Reading Kroniek's input files into raw documents.
//!
//! A file is one of the [`Format`]s, recognised by its content first and
//! its extension second ([`detect`]); gzip compression (`.gz`, also
//! multi-member, also `.warc.gz`) is undone transparently. [`read_path`]
//! and [`read_bytes`] give an iterator of [`Record`]s: one [`RawDoc`] per
//! document, or a [`RecordError`] for a document that could not be read
//! while the rest of the file goes on. Problems with a whole file are a
//! [`FileError`]. [`walk`] lists the files under directories.
//!
//! | format | documents | text | date |
//! |---|---|---|---|
//! | text | the file | UTF-8 (else Windows-1252), title line split off, PTB escapes undone | `date YYYY-MM[-DD]` header line, else a `YYYY-MM-DD` path component |
//! | jsonl | each line (or array element) | field `text` | field `date` |
//! | html | the page | main text without boilerplate | meta tags, JSON-LD, `<time>` (order in `data/date_meta.txt`), else the path |
//! | warc | each HTML response | as html | as html (never `WARC-Date`) |
//! | feed | each RSS item / Atom entry | content, else description / summary | pubDate / published, else updated |
//! | timeml | the file | `<TEXT>` without tags, exactly | `<DCT>` |
//!
//! Nothing here panics on bad input: binary files, broken encodings,
//! truncated gzip or WARC data, malformed JSON or XML and empty files all
//! become errors with a one-line human explanation. Word lists (boilerplate
//! class names, date meta tags, PTB escapes, language names, title
//! separators) live in `data/`.

#![warn(missing_docs)]

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use kroniek_model::PartialDate;
use serde::{Deserialize, Serialize};

mod data;
mod dates;
mod decode;
mod feed;
mod html;
mod jsonl;
mod sniff;
mod text;
mod timeml;
mod warc;

pub use dates::parse_date_loose;

/// The largest text a single document may have, in bytes. A document with
/// more text is a [`RecordError`] ("document too large (N MB > 16 MB)").
pub const MAX_DOC_BYTES: usize = 16 * 1024 * 1024;

/// The largest file read into memory whole (every format but JSON Lines and
/// WARC, which are streamed), after decompression.
const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// How many bytes are sniffed to recognise a format.
const HEAD_BYTES: usize = 8 * 1024;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, one document per file.
    Text,
    /// JSON Lines / NDJSON, one document per line (also a JSON array of
    /// documents, or a single JSON object).
    #[serde(rename = "jsonl")]
    JsonLines,
    /// An HTML page, one document.
    Html,
    /// A WARC archive; each HTML response is one document.
    Warc,
    /// An RSS or Atom feed; each item / entry is one document.
    Feed,
    /// A TimeML annotated document.
    TimeMl,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::JsonLines,
        Format::Html,
        Format::Warc,
        Format::Feed,
        Format::TimeMl,
    ];

    /// The short name: `text`, `jsonl`, `html`, `warc`, `feed`, `timeml`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::JsonLines => "jsonl",
            Format::Html => "html",
            Format::Warc => "warc",
            Format::Feed => "feed",
            Format::TimeMl => "timeml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses a short name as [`Format::name`] gives it (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .ok_or_else(|| {
                format!("unknown format {s:?} (expected text, jsonl, html, warc, feed or timeml)")
            })
    }
}

/// One document as read from an input, before any analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawDoc {
    /// Where it came from: the file path (or the name given to
    /// [`read_bytes`]), plus `#N` (1-based line, item or record number) for
    /// files holding several documents.
    pub source: String,
    /// The format it was read from.
    pub format: Format,
    /// The title, when the source has one; never part of `text`.
    pub title: Option<String>,
    /// The main text, UTF-8, paragraphs separated by blank lines where the
    /// source has them.
    pub text: String,
    /// The publication date, at the precision the source gives.
    pub date: Option<PartialDate>,
    /// Where the date came from, e.g. `header line 'date 2018-08'`,
    /// `meta article:published_time`, `JSON-LD datePublished`,
    /// `feed pubDate`, `TimeML DCT`, `path folder 2010-01-21`.
    pub date_evidence: Option<String>,
    /// The document's URL, when the source gives one.
    pub url: Option<String>,
    /// The language the source declares, lowercased, two letters where
    /// possible (`nl`, `en`).
    pub lang: Option<String>,
    /// The source's own identifier for the document (JSON `id`, feed
    /// `guid` / `id`, TimeML `DOCID`).
    pub external_id: Option<String>,
}

/// A problem with a whole file: nothing could be read from it.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A path given to [`walk`] does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(String),
    /// A directory could not be listed (the message names the path).
    #[error("{0}")]
    Walk(String),
    /// The file could not be read.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    /// A directory was given where a file was expected.
    #[error("is a directory, not a file")]
    Directory,
    /// The content is not text (NUL bytes, an image, an archive...).
    #[error("looks like a binary file ({0})")]
    Binary(String),
    /// The file has no content at all.
    #[error("empty file")]
    Empty,
    /// The gzip compression is corrupt or cut short.
    #[error("bad gzip data: {0}")]
    Gzip(String),
    /// The file is too large to be read whole.
    #[error("file too large ({mb} MB > {max_mb} MB)")]
    TooLarge {
        /// Size in MB, rounded up.
        mb: u64,
        /// The limit in MB.
        max_mb: u64,
    },
    /// The content does not follow its format; the message says where.
    #[error("{0}")]
    Malformed(String),
}

/// A problem with one document in a file; the rest of the file goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Where: the file path, plus `#N` for files holding several documents.
    pub source: String,
    /// What went wrong, as one human line.
    pub reason: String,
}

impl RecordError {
    fn new(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for RecordError {}

/// One document, or why it could not be read.
pub type Record = Result<RawDoc, RecordError>;

/// An iterator of records, as [`read_path`] and [`read_bytes`] give it.
pub type Records = Box<dyn Iterator<Item = Record> + Send>;

/// Recognises the format of a file from its name (for the extension) and
/// its first bytes (a few KB are enough): content decides first, the
/// extension breaks ties. Gzip-compressed heads are decompressed as far as
/// they go. A `.txt` file is text unless its content is clearly another
/// format (an XML declaration, `<html>`, `<rss>`, `WARC/1.`, JSON objects).
pub fn detect(name: &str, head: &[u8]) -> Result<Format, FileError> {
    if sniff::is_gzip(head) {
        let mut out = Vec::new();
        let mut dec = flate2::read::MultiGzDecoder::new(head);
        let mut buf = [0u8; 4096];
        let mut failure = None;
        while out.len() < 4 * HEAD_BYTES {
            match dec.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if out.is_empty() {
            return Err(match failure {
                Some(e) => FileError::Gzip(e.to_string()),
                None => FileError::Empty,
            });
        }
        return sniff::detect_plain(sniff::strip_gz(name), &out);
    }
    sniff::detect_plain(name, head)
}

/// Reads a file into records. JSON Lines and WARC files are streamed (a
/// multi-GB file is never held in memory); other formats are read whole,
/// up to 256 MB.
pub fn read_path(path: &Path) -> Result<Records, FileError> {
    if path.is_dir() {
        return Err(FileError::Directory);
    }
    let file = std::fs::File::open(path)?;
    let name = path.to_string_lossy().into_owned();
    read_stream(name, Box::new(file))
}

/// Reads in-memory content (standard input, an HTTP body) into records.
/// `name` is used as the source and for the extension hint.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Records, FileError> {
    read_stream(name.to_string(), Box::new(io::Cursor::new(bytes)))
}

/// The files under the given paths: files as given, directories recursively
/// with entries sorted by name and hidden files and folders (`.name`)
/// skipped. A path that does not exist or cannot be listed gives an `Err`
/// entry in its place; the others go on.
pub fn walk(paths: &[PathBuf]) -> Vec<Result<PathBuf, FileError>> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                out.push(Err(FileError::NotFound(path.display().to_string())));
            }
            Err(e) => out.push(Err(FileError::Walk(format!("{}: {e}", path.display())))),
            Ok(meta) if !meta.is_dir() => out.push(Ok(path.clone())),
            Ok(_) => {
                let walker = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() => out.push(Ok(e.into_path())),
                        Ok(_) => {}
                        Err(e) => out.push(Err(FileError::Walk(e.to_string()))),
                    }
                }
            }
        }
    }
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A reader that first gives back bytes already taken from the inner one,
/// and then reports a read error met while taking them, if any.
struct Prefixed {
    head: io::Cursor<Vec<u8>>,
    pending: Option<io::Error>,
    rest: Box<dyn Read + Send>,
}

impl Read for Prefixed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(buf)?;
        if n > 0 || buf.is_empty() {
            return Ok(n);
        }
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        self.rest.read(buf)
    }
}

/// Reads up to `limit` bytes; a read error after some bytes is returned
/// alongside them.
fn read_head(reader: &mut dyn Read, limit: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = vec![0u8; limit];
    let mut len = 0;
    while len < limit {
        match reader.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                head.truncate(len);
                return (head, Some(e));
            }
        }
    }
    head.truncate(len);
    (head, None)
}

/// An opened input: its format and a reader over its (decompressed)
/// content from the start.
pub(crate) struct Input {
    /// The source label for records.
    pub source: String,
    /// The name without a `.gz` suffix, for extensions and path dates.
    pub name: String,
    /// Whether the content was gzip-compressed.
    pub gzip: bool,
    /// The content.
    pub reader: Box<dyn Read + Send>,
}

impl Input {
    /// Reads the whole content, up to `limit` bytes. Beyond that the rest
    /// is counted, not kept, and `Err(total size)` comes back.
    pub fn read_all(&mut self, limit: usize) -> Result<Result<Vec<u8>, u64>, FileError> {
        let mut bytes = Vec::new();
        let got = (&mut self.reader)
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.read_error(e))?;
        if got <= limit {
            return Ok(Ok(bytes));
        }
        let rest = io::copy(&mut self.reader, &mut io::sink()).unwrap_or(0);
        Ok(Err(got as u64 + rest))
    }

    /// A read error as a file error.
    pub fn read_error(&self, e: io::Error) -> FileError {
        if self.gzip {
            FileError::Gzip(gzip_message(&e))
        } else {
            FileError::Io(e)
        }
    }
}

/// A gzip read error in words.
pub(crate) fn gzip_message(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "truncated gzip data (unexpected end of file)".into()
    } else {
        format!("corrupt gzip data ({e})")
    }
}

/// Size in MB, rounded up, for messages.
pub(crate) fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// The record error for a document with too much text.
pub(crate) fn too_large(source: &str, bytes: u64) -> RecordError {
    RecordError::new(
        source,
        format!(
            "document too large ({} MB > {} MB)",
            mb(bytes).max(mb(MAX_DOC_BYTES as u64) + 1),
            mb(MAX_DOC_BYTES as u64)
        ),
    )
}

fn read_stream(source: String, mut reader: Box<dyn Read + Send>) -> Result<Records, FileError> {
    let (head, err) = read_head(&mut reader, HEAD_BYTES);
    if head.is_empty() {
        return Err(match err {
            Some(e) => FileError::Io(e),
            None => FileError::Empty,
        });
    }
    let mut name = source.clone();
    let mut gzip = false;
    let (head, reader): (Vec<u8>, Box<dyn Read + Send>) = if sniff::is_gzip(&head) {
        gzip = true;
        name = sniff::strip_gz(&source).to_string();
        let raw = Prefixed {
            head: io::Cursor::new(head),
            pending: err,
            rest: reader,
        };
        let mut dec: Box<dyn Read + Send> = Box::new(flate2::read::MultiGzDecoder::new(raw));
        let (dhead, derr) = read_head(&mut dec, HEAD_BYTES);
        if dhead.is_empty() {
            return Err(match derr {
                Some(e) => FileError::Gzip(gzip_message(&e)),
                None => FileError::Empty,
            });
        }
        (
            dhead.clone(),
            Box::new(Prefixed {
                head: io::Cursor::new(dhead),
                pending: derr,
                rest: dec,
            }),
        )
    } else {
        (
            head.clone(),
            Box::new(Prefixed {
                head: io::Cursor::new(head),
                pending: err,
                rest: reader,
            }),
        )
    };
    let format = sniff::detect_plain(&name, &head)?;
    let mut input = Input {
        source,
        name,
        gzip,
        reader,
    };
    match format {
        Format::Warc => Ok(Box::new(warc::WarcRecords::new(input))),
        Format::JsonLines => jsonl::records(input, &head),
        Format::Text => {
            let doc = match input.read_all(2 * MAX_DOC_BYTES)? {
                Ok(bytes) => text::parse(&input.source, &input.name, &bytes),
                Err(total) => Err(too_large(&input.source, total)),
            };
            Ok(Box::new(std::iter::once(doc)))
        }
        Format::Html | Format::Feed | Format::TimeMl => {
            let bytes = match input.read_all(MAX_FILE_BYTES)? {
                Ok(bytes) => bytes,
                Err(total) => {
                    return Err(FileError::TooLarge {
                        mb: mb(total),
                        max_mb: mb(MAX_FILE_BYTES as u64),
                    })
                }
            };
            let records: Vec<Record> = match format {
                Format::Html => vec![html::parse_file(&input.source, &input.name, &bytes)],
                Format::Feed => feed::parse(&input.source, &bytes)?,
                _ => vec![timeml::parse(&input.source, &bytes)?],
            };
            Ok(Box::new(records.into_iter()))
        }
    }
}

/// Lowercased two-letter language code for a language hint, when one can
/// be made out (`nl-NL` -> `nl`, `Dutch` -> `nl`); other hints are kept
/// lowercased.
pub(crate) fn normalize_lang(hint: &str) -> Option<String> {
    let lower = hint.trim().to_lowercase();
    if lower.is_empty() {
        return None;
    }
    let primary = lower.split(['-', '_', ' ', ',', ';']).next().unwrap_or("");
    if primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(primary.to_string());
    }
    if let Some(code) = data::LANG_NAMES
        .get(primary)
        .or_else(|| data::LANG_NAMES.get(&lower))
    {
        return Some(code.clone());
    }
    Some(lower)
}

/// Checks a document's text: not blank, not too large.
pub(crate) fn check_text(source: &str, text: &str) -> Result<(), RecordError> {
    if text.trim().is_empty() {
        return Err(RecordError::new(source, "no text"));
    }
    if text.len() > MAX_DOC_BYTES {
        return Err(too_large(source, text.len() as u64));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        assert_eq!(Format::JsonLines.to_string(), "jsonl");
        assert_eq!(Format::TimeMl.to_string(), "timeml");
        assert!("pdf".parse::<Format>().is_err());
    }

    #[test]
    fn languages() {
        assert_eq!(normalize_lang("nl-NL").as_deref(), Some("nl"));
        assert_eq!(normalize_lang("en_US").as_deref(), Some("en"));
        assert_eq!(normalize_lang("Dutch").as_deref(), Some("nl"));
        assert_eq!(normalize_lang("NLD").as_deref(), Some("nl"));
        assert_eq!(normalize_lang(" "), None);
    }

    #[test]
    fn error_lines() {
        assert_eq!(FileError::Empty.to_string(), "empty file");
        assert_eq!(
            FileError::Binary("NUL bytes".into()).to_string(),
            "looks like a binary file (NUL bytes)"
        );
        assert_eq!(
            RecordError::new("a.jsonl#3", "no text").to_string(),
            "a.jsonl#3: no text"
        );
        assert_eq!(
            too_large("x", 20 * 1024 * 1024).reason,
            "document too large (20 MB > 16 MB)"
        );
        assert_eq!(
            too_large("x", 16 * 1024 * 1024 + 1).reason,
            "document too large (17 MB > 16 MB)"
        );
    }
}
