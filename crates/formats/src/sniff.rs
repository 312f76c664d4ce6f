//! Recognising a format from the first bytes of a file and its name.

use crate::decode::{binary_reason, decode_text};
use crate::{FileError, Format, HEAD_BYTES};

/// Whether the bytes start with the gzip signature.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1F, 0x8B])
}

/// The name without a `.gz` / `.gzip` suffix.
pub fn strip_gz(name: &str) -> &str {
    for suffix in [".gz", ".gzip", ".GZ"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            return stem;
        }
    }
    name
}

/// The lowercased extension of a file name (`a/b.HTML` -> `html`).
pub fn extension(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

const HTML_EXTS: &[&str] = &["html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp"];
const FEED_EXTS: &[&str] = &["rss", "atom", "xml", "rdf"];
const JSON_EXTS: &[&str] = &["jsonl", "ndjson", "json", "jsonlines"];
const TIMEML_EXTS: &[&str] = &["tml", "timeml"];
const TEXT_EXTS: &[&str] = &["txt", "text"];
const HTML_ROOTS: &[&str] = &["html", "head", "body", "!doctype html"];

/// Detection on uncompressed content.
pub fn detect_plain(name: &str, head: &[u8]) -> Result<Format, FileError> {
    let trimmed = trim_start_bytes(head);
    if trimmed.is_empty() {
        // All whitespace: a text file with no text, reported per document.
        return if head.is_empty() {
            Err(FileError::Empty)
        } else {
            Ok(Format::Text)
        };
    }
    if trimmed.starts_with(b"WARC/") {
        return Ok(Format::Warc);
    }
    if let Some(reason) = binary_reason(head) {
        return Err(FileError::Binary(reason));
    }
    let ext = extension(name);
    let ext = ext.as_str();
    let text = head_text(head);
    let s = text.trim_start_matches('\u{FEFF}').trim_start();

    if s.starts_with('<') {
        let root = first_element(s);
        let root = root.as_deref();
        match root {
            Some("timeml" | "!doctype timeml") => return Ok(Format::TimeMl),
            Some("rss" | "feed" | "rdf:rdf" | "rdf") => return Ok(Format::Feed),
            Some(r) if HTML_ROOTS.contains(&r) || r.starts_with("!doctype html") => {
                return Ok(Format::Html)
            }
            _ => {}
        }
        if s.contains("<TimeML") {
            return Ok(Format::TimeMl);
        }
        let is_xml = s.starts_with("<?xml");
        if TIMEML_EXTS.contains(&ext) {
            return Ok(Format::TimeMl);
        }
        if HTML_EXTS.contains(&ext) {
            return Ok(Format::Html);
        }
        if is_xml {
            if FEED_EXTS.contains(&ext) {
                return Ok(Format::Feed);
            }
            return Err(FileError::Malformed(format!(
                "XML of an unsupported kind (root element <{}>; expected TimeML, RSS, Atom or XHTML)",
                root.unwrap_or("?")
            )));
        }
        if TEXT_EXTS.contains(&ext) {
            return Ok(Format::Text);
        }
        // Markup without a recognised root and no telling extension: a
        // fragment of HTML.
        if root.is_some_and(|r| {
            r.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '!')
        }) {
            return Ok(Format::Html);
        }
    }
    if (s.starts_with('{') || s.starts_with('['))
        && looks_like_json(s, head.len() < HEAD_BYTES, ext)
    {
        return Ok(Format::JsonLines);
    }
    if JSON_EXTS.contains(&ext) {
        return Ok(Format::JsonLines);
    }
    if ext == "warc" {
        return Err(FileError::Malformed(
            "not a WARC file (it does not start with a 'WARC/' version line)".into(),
        ));
    }
    Ok(Format::Text)
}

/// Whether content starting with `{` or `[` is JSON documents.
fn looks_like_json(s: &str, whole: bool, ext: &str) -> bool {
    if let Some(rest) = s.strip_prefix('[') {
        let next = rest.trim_start();
        return next.starts_with('{') || next.starts_with(']') || JSON_EXTS.contains(&ext);
    }
    match s.split_once('\n') {
        Some((line, _)) => {
            serde_json::from_str::<serde_json::Value>(line.trim()).is_ok_and(|v| v.is_object())
                || (JSON_EXTS.contains(&ext)
                    && line.trim_start_matches('{').trim_start().starts_with('"'))
                || (line.trim() == "{" && JSON_EXTS.contains(&ext))
        }
        None if whole => {
            serde_json::from_str::<serde_json::Value>(s.trim()).is_ok_and(|v| v.is_object())
        }
        // The first line goes on beyond the sniffed head.
        None => s.trim_start_matches('{').trim_start().starts_with('"'),
    }
}

/// The head as text; a multi-byte character cut at the end of the head
/// does not make it fall back to Windows-1252.
fn head_text(head: &[u8]) -> String {
    match std::str::from_utf8(head) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned()
        }
        Err(_) => decode_text(head),
    }
}

fn trim_start_bytes(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

/// The lowercased name of the first element of a markup document,
/// skipping the XML declaration, processing instructions and comments. A
/// doctype gives `!doctype NAME`.
pub fn first_element(s: &str) -> Option<String> {
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            rest = &after[after.find("?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if rest
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype"))
        {
            let name: String = rest[9..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.'))
                .collect();
            return Some(format!("!doctype {}", name.to_lowercase()));
        } else if let Some(after) = rest.strip_prefix('<') {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.'))
                .collect();
            return (!name.is_empty()).then(|| name.to_lowercase());
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, content: &str) -> Result<Format, FileError> {
        detect_plain(name, content.as_bytes())
    }

    #[test]
    fn content_first() {
        assert_eq!(
            d("a.txt", "WARC/1.0\r\nWARC-Type: warcinfo\r\n").unwrap(),
            Format::Warc
        );
        assert_eq!(
            d("a.txt", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">").unwrap(),
            Format::Feed
        );
        assert_eq!(
            d("a.txt", "<!DOCTYPE html><html><p>x</p>").unwrap(),
            Format::Html
        );
        assert_eq!(
            d("a.html", "<?xml version=\"1.0\"?><TimeML>").unwrap(),
            Format::TimeMl
        );
        assert_eq!(
            d("x", "<feed xmlns=\"http://www.w3.org/2005/Atom\">").unwrap(),
            Format::Feed
        );
        assert_eq!(
            d("x", "{\"text\": \"a\"}\n{\"text\": \"b\"}\n").unwrap(),
            Format::JsonLines
        );
        assert_eq!(
            d("a.txt", "{\"text\": \"a\"}\n").unwrap(),
            Format::JsonLines
        );
        assert_eq!(
            d("a.json", "[{\"text\": \"a\"}]").unwrap(),
            Format::JsonLines
        );
        assert_eq!(d("a.jsonl", "Just some text\n").unwrap(), Format::JsonLines);
    }

    #[test]
    fn text_stays_text() {
        assert_eq!(
            d("a.txt", "Gewoon tekst.\nMeer tekst.").unwrap(),
            Format::Text
        );
        assert_eq!(
            d("a.txt", "<b>Vet</b> begin van een tekst").unwrap(),
            Format::Text
        );
        assert_eq!(
            d("a.txt", "{ not json at all }\nmore").unwrap(),
            Format::Text
        );
        assert_eq!(d("a.txt", "[Update] the news").unwrap(), Format::Text);
        assert_eq!(d("stdin", "Tekst").unwrap(), Format::Text);
        assert_eq!(
            d("a.html", "Plain words in an html file").unwrap(),
            Format::Text
        );
    }

    #[test]
    fn bad_heads() {
        assert!(matches!(d("a.txt", ""), Err(FileError::Empty)));
        assert!(matches!(
            detect_plain("a.txt", b"ab\0cd"),
            Err(FileError::Binary(_))
        ));
        assert!(matches!(d("a.warc", "hello"), Err(FileError::Malformed(_))));
        assert!(matches!(
            d("x", "<?xml version=\"1.0\"?><config/>"),
            Err(FileError::Malformed(_))
        ));
        assert_eq!(
            d("a.xml", "<?xml version=\"1.0\"?><config/>").unwrap(),
            Format::Feed
        );
    }

    #[test]
    fn first_elements() {
        assert_eq!(
            first_element("<?xml version='1.0'?>\n<!-- c -->\n<rss>").as_deref(),
            Some("rss")
        );
        assert_eq!(
            first_element("<!DOCTYPE html>").as_deref(),
            Some("!doctype html")
        );
        assert_eq!(
            first_element("<rdf:RDF xmlns:rdf=''>").as_deref(),
            Some("rdf:rdf")
        );
        assert_eq!(first_element("< oops"), None);
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a/b.HTML"), "html");
        assert_eq!(extension("a.d/b"), "");
        assert_eq!(extension(".hidden"), "");
        assert_eq!(strip_gz("x.warc.gz"), "x.warc");
    }
}
