//! The tantivy side of the embedded store: schema, documents, commit
//! payload, snippets.

use std::path::Path;

use kroniek_model::Document;
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument};

use crate::analysis;
use crate::sql::days;
use crate::{Result, StoreError};

/// Version of the index layout; bump when the schema or the way documents
/// are indexed changes, and every store re-indexes on its next open.
const INDEX_FORMAT: u32 = 1;

/// Maximum snippet length in characters.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// The languages with their own analyser; everything else is "other".
const LANGS: [(&str, &str); 3] = [
    ("nl", analysis::NL),
    ("en", analysis::EN),
    ("", analysis::OTHER),
];

/// Handles of the index fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub lang: Field,
    /// Title per analyser slot (see [`slot`]).
    pub title: [Field; 3],
    /// Body per analyser slot.
    pub body: [Field; 3],
    /// First and last day of the creation time, in days since 1970.
    pub dct_first: Field,
    pub dct_last: Field,
}

impl Fields {
    /// Every text field, the default fields of the query parser.
    pub(crate) fn text_fields(&self) -> Vec<Field> {
        self.title.iter().chain(&self.body).copied().collect()
    }
}

/// The analyser slot of a language: 0 Dutch, 1 English, 2 other.
pub(crate) fn slot(lang: &str) -> usize {
    LANGS
        .iter()
        .position(|(code, _)| *code == lang)
        .unwrap_or(LANGS.len() - 1)
}

/// The index schema and its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let lang = b.add_text_field("lang", STRING);
    let text = |analyser: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyser)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let suffix = ["nl", "en", "other"];
    let title =
        [0, 1, 2].map(|i| b.add_text_field(&format!("title_{}", suffix[i]), text(LANGS[i].1)));
    let body =
        [0, 1, 2].map(|i| b.add_text_field(&format!("body_{}", suffix[i]), text(LANGS[i].1)));
    let date = || NumericOptions::from(INDEXED) | FAST;
    let dct_first = b.add_i64_field("dct_first", date());
    let dct_last = b.add_i64_field("dct_last", date());
    let fields = Fields {
        id,
        lang,
        title,
        body,
        dct_first,
        dct_last,
    };
    (b.build(), fields)
}

/// Opens the index in `path`, creating it (or re-creating it, when it is
/// unreadable or has another schema: it is derived data) as needed, with
/// the analysers registered.
pub(crate) fn open(path: &Path) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    std::fs::create_dir_all(path)
        .map_err(|e| StoreError::io(format!("creating {}", path.display()), e))?;
    let existing = match MmapDirectory::open(path) {
        Ok(dir) if Index::exists(&dir).unwrap_or(false) => match Index::open(dir) {
            Ok(index) if index.schema() == schema => Some(index),
            Ok(_) => {
                tracing::warn!(path = %path.display(), "index has an older schema; rebuilding it");
                None
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "index unreadable; rebuilding it");
                None
            }
        },
        _ => None,
    };
    let index = match existing {
        Some(index) => index,
        None => {
            clear_dir(path)?;
            Index::create_in_dir(path, schema)?
        }
    };
    analysis::register(index.tokenizers());
    Ok((index, fields))
}

/// Opens the existing index in `path` for reading, without creating or
/// repairing anything (for a read-only store).
pub(crate) fn open_existing(path: &Path) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    let missing = || StoreError::NotFound(format!("no full-text index at {}", path.display()));
    let dir = MmapDirectory::open(path).map_err(|_| missing())?;
    if !Index::exists(&dir).unwrap_or(false) {
        return Err(missing());
    }
    let index = Index::open(dir)?;
    if index.schema() != schema {
        return Err(StoreError::Invalid(format!(
            "the full-text index at {} has another schema; open the store for writing once to \
             rebuild it",
            path.display()
        )));
    }
    analysis::register(index.tokenizers());
    Ok((index, fields))
}

/// Removes everything inside `path` except tantivy's lock files.
fn clear_dir(path: &Path) -> Result<()> {
    let ctx = |e| StoreError::io(format!("clearing {}", path.display()), e);
    for entry in std::fs::read_dir(path).map_err(ctx)? {
        let entry = entry.map_err(ctx)?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".lock") {
            continue;
        }
        let p = entry.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(ctx)?;
    }
    Ok(())
}

/// What a tantivy commit records: the index format and the highest
/// document sequence number indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Payload {
    pub format: String,
    pub seq: i64,
}

impl Payload {
    /// The format string of this build: layout version and analysis rules.
    pub(crate) fn current_format() -> String {
        format!("{INDEX_FORMAT}:{}", analysis::analysis_fingerprint())
    }

    pub(crate) fn new(seq: i64) -> Self {
        Payload {
            format: Self::current_format(),
            seq,
        }
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The indexed mark of an index: `Some(seq)` when its payload is of
    /// this build's format, `None` when the index must be rebuilt.
    pub(crate) fn indexed_seq(index: &Index) -> Result<Option<i64>> {
        let metas = index.load_metas()?;
        let payload = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok());
        Ok(match payload {
            Some(p) if p.format == Self::current_format() => Some(p.seq),
            // A fresh index: nothing indexed, nothing to clear.
            None if metas.segments.is_empty() => Some(0),
            _ => None,
        })
    }
}

/// The index document of a stored document.
pub(crate) fn to_index_doc(fields: &Fields, doc: &Document) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(fields.id, &doc.id);
    d.add_text(fields.lang, &doc.lang);
    let s = slot(&doc.lang);
    if let Some(title) = &doc.title {
        d.add_text(fields.title[s], title);
    }
    d.add_text(fields.body[s], &doc.text);
    if let Some(v) = doc.dct.value {
        d.add_i64(fields.dct_first, days(v.first_day()));
        d.add_i64(fields.dct_last, days(v.last_day()));
    }
    d
}

/// A snippet: plain text, HTML, and highlighted code-point ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snip {
    pub text: String,
    pub html: String,
    pub highlights: Vec<(usize, usize)>,
}

/// The best excerpt of `text` for the query, or its start when no query
/// term occurs in it. "… " / " …" mark where the excerpt cuts the text.
pub(crate) fn snippet(generator: Option<&SnippetGenerator>, text: &str) -> Snip {
    if let Some(generator) = generator {
        let s = generator.snippet(text);
        let range = s.fragment_range();
        if !s.highlighted().is_empty() && text.get(range.clone()).is_some() {
            // Tantivy's fragment runs from the first to the last token it
            // keeps; take in the punctuation around it ("(IS)", "zei hij.").
            let start = range.start
                - text[..range.start]
                    .chars()
                    .rev()
                    .take_while(|c| !c.is_whitespace() && !c.is_alphanumeric())
                    .map(char::len_utf8)
                    .sum::<usize>();
            let end = range.end
                + text[range.end..]
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !c.is_alphanumeric())
                    .map(char::len_utf8)
                    .sum::<usize>();
            let shift = range.start - start;
            let fragment = &text[start..end];
            let mut ranges: Vec<(usize, usize)> = s
                .highlighted()
                .iter()
                .map(|r| (r.start + shift, r.end + shift))
                .filter(|&(a, b)| a < b && b <= fragment.len())
                .collect();
            ranges.sort_unstable();
            let cut_before = !text[..start].trim().is_empty();
            let cut_after = !text[end..].trim().is_empty();
            return build(fragment, &ranges, cut_before, cut_after);
        }
    }
    let head = lead(text, SNIPPET_CHARS);
    let cut_after = head.len() < text.trim().len();
    build(head, &[], false, cut_after)
}

/// The start of `text`: at most `max` characters, cut at a word boundary
/// when there is one.
fn lead(text: &str, max: usize) -> &str {
    let text = text.trim_start();
    match text.char_indices().nth(max) {
        None => text,
        Some((cut, _)) => {
            let head = &text[..cut];
            match head.rfind(char::is_whitespace) {
                Some(ws) if ws > cut / 2 => &head[..ws],
                _ => head,
            }
        }
    }
}

/// Collapses whitespace runs to one space (trimming the ends), and turns
/// sorted byte ranges of `fragment` into code-point ranges of the result
/// (merging overlaps), with the HTML rendering; adds the cut marks.
fn build(
    fragment: &str,
    byte_ranges: &[(usize, usize)],
    cut_before: bool,
    cut_after: bool,
) -> Snip {
    const CUT_BEFORE: &str = "… ";
    const CUT_AFTER: &str = " …";
    let mut text = String::with_capacity(fragment.len() + 8);
    let mut n = 0usize;
    if cut_before {
        text.push_str(CUT_BEFORE);
        n = CUT_BEFORE.chars().count();
    }
    let first = n;
    // (byte offset in fragment, char index in text) of every char.
    let mut char_at: Vec<(usize, usize)> = Vec::with_capacity(fragment.len() + 1);
    let mut pending_space = false;
    for (b, c) in fragment.char_indices() {
        if c.is_whitespace() {
            pending_space = n > first;
            char_at.push((b, n));
            continue;
        }
        if pending_space {
            text.push(' ');
            n += 1;
            pending_space = false;
        }
        char_at.push((b, n));
        text.push(c);
        n += 1;
    }
    char_at.push((fragment.len(), n));
    if cut_after {
        text.push_str(CUT_AFTER);
    }
    let to_char = |byte: usize| -> usize {
        match char_at.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => char_at[i].1,
            Err(i) => char_at.get(i).map_or(n, |&(_, c)| c),
        }
    };
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in byte_ranges {
        let (s, e) = (to_char(s), to_char(e).min(n));
        if s >= e {
            continue;
        }
        match highlights.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => highlights.push((s, e)),
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut html = String::with_capacity(text.len() + 16 * highlights.len());
    let mut at = 0;
    for &(s, e) in &highlights {
        escape_into(&mut html, chars[at..s].iter());
        html.push_str("<b>");
        escape_into(&mut html, chars[s..e].iter());
        html.push_str("</b>");
        at = e;
    }
    escape_into(&mut html, chars[at..].iter());
    Snip {
        text,
        html,
        highlights,
    }
}

fn escape_into<'a>(out: &mut String, chars: impl Iterator<Item = &'a char>) {
    let text: String = chars.collect();
    html_escape::encode_safe_to_string(&text, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots() {
        assert_eq!(slot("nl"), 0);
        assert_eq!(slot("en"), 1);
        assert_eq!(slot("de"), 2);
        assert_eq!(slot(""), 2);
        assert_eq!(slot("und"), 2);
    }

    #[test]
    fn build_maps_ranges_and_escapes() {
        let frag = "  De <aanslag>\n\n in  Syrië & Irak ";
        let a = frag.find("aanslag").unwrap();
        let s = frag.find("Syrië").unwrap();
        let snip = build(frag, &[(a, a + 7), (s, s + "Syrië".len())], false, false);
        assert_eq!(snip.text, "De <aanslag> in Syrië & Irak");
        let chars: Vec<char> = snip.text.chars().collect();
        let words: Vec<String> = snip
            .highlights
            .iter()
            .map(|&(s, e)| chars[s..e].iter().collect())
            .collect();
        assert_eq!(words, vec!["aanslag", "Syrië"]);
        assert_eq!(
            snip.html,
            "De &lt;<b>aanslag</b>&gt; in <b>Syrië</b> &amp; Irak"
        );
    }

    #[test]
    fn overlapping_ranges_merge() {
        let snip = build("abcdef", &[(0, 3), (2, 4), (5, 6)], false, false);
        assert_eq!(snip.highlights, vec![(0, 4), (5, 6)]);
        assert_eq!(snip.html, "<b>abcd</b>e<b>f</b>");
    }

    #[test]
    fn cut_marks_shift_highlights() {
        let snip = build("de aanslag", &[(3, 10)], true, true);
        assert_eq!(snip.text, "… de aanslag …");
        assert_eq!(snip.highlights, vec![(5, 12)]);
        assert_eq!(snip.html, "… de <b>aanslag</b> …");
    }

    #[test]
    fn lead_cuts_at_a_word() {
        let text = "woord ".repeat(100);
        let l = lead(&text, 200);
        assert!(l.chars().count() <= 200);
        assert!(l.ends_with("woord"));
        let s = snippet(None, &text);
        assert!(s.text.ends_with("woord …"), "{}", s.text);
        assert_eq!(lead("kort", 200), "kort");
        let s = snippet(None, "  Eerste zin.\nTweede zin.");
        assert_eq!(s.text, "Eerste zin. Tweede zin.");
        assert!(s.highlights.is_empty());
    }
}
