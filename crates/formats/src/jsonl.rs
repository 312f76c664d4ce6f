//! JSON Lines / NDJSON: one JSON object per line, streamed. Also a JSON
//! array of such objects, or one object, read whole.
//!
//! Fields: `text` (required), `title`, `date` (`YYYY`, `YYYY-MM`,
//! `YYYY-MM-DD`, a date-time...), `url`, `id`, `lang`.

use std::io::{self, BufRead, BufReader, Read};

use serde_json::{Map, Value};

use crate::decode::decode_text;
use crate::sniff::extension;
use crate::{
    check_text, dates, gzip_message, normalize_lang, too_large, FileError, Format, Input, RawDoc,
    Record, RecordError, Records, MAX_DOC_BYTES, MAX_FILE_BYTES,
};

/// Longest line read; longer ones are documents too large to take.
const MAX_LINE_BYTES: usize = 2 * MAX_DOC_BYTES;

/// Records of a JSON input. `head` is the start of the content.
pub fn records(mut input: Input, head: &[u8]) -> Result<Records, FileError> {
    let first = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let ext = extension(&input.name);
    let whole_file = (first == Some(b'[') && ext != "jsonl" && ext != "ndjson") || ext == "json";
    if !whole_file {
        return Ok(Box::new(Lines::new(input)));
    }
    let bytes = match input.read_all(MAX_FILE_BYTES)? {
        Ok(bytes) => bytes,
        Err(total) => {
            return Err(FileError::TooLarge {
                mb: crate::mb(total),
                max_mb: crate::mb(MAX_FILE_BYTES as u64),
            })
        }
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => {
            let source = input.source.clone();
            Ok(Box::new(items.into_iter().enumerate().map(
                move |(i, v)| to_doc(&format!("{source}#{}", i + 1), &v, "JSON"),
            )))
        }
        Ok(v @ Value::Object(_)) => {
            Ok(Box::new(std::iter::once(to_doc(&input.source, &v, "JSON"))))
        }
        Ok(_) => Err(FileError::Malformed(
            "JSON that is neither an object nor an array of objects".into(),
        )),
        // JSON Lines after all (of arrays, or with a broken line).
        Err(_) if first_line_is_json(body) => {
            input.reader = Box::new(io::Cursor::new(bytes));
            Ok(Box::new(Lines::new(input)))
        }
        Err(e) => Err(FileError::Malformed(format!("malformed JSON: {e}"))),
    }
}

/// Whether the first non-blank line is a JSON value on its own.
fn first_line_is_json(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .is_some_and(|l| serde_json::from_slice::<Value>(l).is_ok())
}

/// Streams the lines of a JSON Lines input.
struct Lines {
    source: String,
    gzip: bool,
    reader: BufReader<Box<dyn Read + Send>>,
    line_no: usize,
    done: bool,
}

enum Line {
    Eof,
    Text(Vec<u8>),
    /// Longer than the limit; the size in bytes.
    TooLong(u64),
}

impl Lines {
    fn new(input: Input) -> Self {
        Self {
            source: input.source,
            gzip: input.gzip,
            reader: BufReader::with_capacity(64 * 1024, input.reader),
            line_no: 0,
            done: false,
        }
    }

    /// Reads one line without its newline, keeping at most the limit.
    fn read_line(&mut self) -> io::Result<Line> {
        let mut buf = Vec::new();
        let mut size: u64 = 0;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, found) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            size += take as u64;
            if size as usize <= MAX_LINE_BYTES {
                buf.extend_from_slice(&chunk[..take]);
            }
            let used = if found { take + 1 } else { take };
            self.reader.consume(used);
            if found {
                break;
            }
        }
        if !any {
            return Ok(Line::Eof);
        }
        if size as usize > MAX_LINE_BYTES {
            return Ok(Line::TooLong(size));
        }
        Ok(Line::Text(buf))
    }
}

impl Iterator for Lines {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            let line = match self.read_line() {
                Ok(line) => line,
                Err(e) => {
                    self.done = true;
                    let reason = if self.gzip {
                        format!("{} after line {}", gzip_message(&e), self.line_no)
                    } else {
                        format!("read error after line {}: {e}", self.line_no)
                    };
                    return Some(Err(RecordError::new(
                        format!("{}#{}", self.source, self.line_no + 1),
                        reason,
                    )));
                }
            };
            self.line_no += 1;
            let source = format!("{}#{}", self.source, self.line_no);
            match line {
                Line::Eof => {
                    self.done = true;
                }
                Line::TooLong(size) => return Some(Err(too_large(&source, size))),
                Line::Text(bytes) => {
                    let bytes = if self.line_no == 1 {
                        bytes
                            .strip_prefix(b"\xEF\xBB\xBF")
                            .unwrap_or(&bytes)
                            .to_vec()
                    } else {
                        bytes
                    };
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(parse_line(&source, &bytes));
                }
            }
        }
        None
    }
}

fn parse_line(source: &str, bytes: &[u8]) -> Record {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) if e.is_syntax() && std::str::from_utf8(bytes).is_err() => {
            // Not UTF-8: read it as Windows-1252 like other text.
            serde_json::from_str(&decode_text(bytes))
                .map_err(|e| RecordError::new(source, format!("malformed JSON: {e}")))?
        }
        Err(e) => return Err(RecordError::new(source, format!("malformed JSON: {e}"))),
    };
    to_doc(source, &value, "JSONL")
}

fn to_doc(source: &str, value: &Value, kind: &str) -> Record {
    let Value::Object(obj) = value else {
        return Err(RecordError::new(source, "not a JSON object"));
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => crate::text::normalise(s).trim().to_string(),
        Some(Value::Null) | None => {
            return Err(RecordError::new(source, "no \"text\" field"));
        }
        Some(_) => return Err(RecordError::new(source, "\"text\" is not a string")),
    };
    check_text(source, &text)?;
    let (date, date_evidence) = match scalar(obj, "date") {
        Some(raw) => match dates::parse_date_loose(&raw) {
            Some(d) => (Some(d), Some(format!("{kind} date field '{raw}'"))),
            None => (None, None),
        },
        None => (None, None),
    };
    Ok(RawDoc {
        source: source.to_string(),
        format: Format::JsonLines,
        title: scalar(obj, "title"),
        text,
        date,
        date_evidence,
        url: scalar(obj, "url"),
        lang: scalar(obj, "lang").and_then(|l| normalize_lang(&l)),
        external_id: scalar(obj, "id"),
    })
}

/// A string or number field as trimmed, non-empty text.
fn scalar(obj: &Map<String, Value>, key: &str) -> Option<String> {
    let s = match obj.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let d = parse_line(
            "f#1",
            br#"{"text":"Tekst.\r\nMeer.","title":" Kop ","date":"2018-08-22T10:00:00+02:00","url":"https://x.nl/a","id":17,"lang":"nl-NL"}"#,
        )
        .unwrap();
        assert_eq!(d.text, "Tekst.\nMeer.");
        assert_eq!(d.title.as_deref(), Some("Kop"));
        assert_eq!(d.date.unwrap().to_string(), "2018-08-22");
        assert_eq!(
            d.date_evidence.as_deref(),
            Some("JSONL date field '2018-08-22T10:00:00+02:00'")
        );
        assert_eq!(d.url.as_deref(), Some("https://x.nl/a"));
        assert_eq!(d.external_id.as_deref(), Some("17"));
        assert_eq!(d.lang.as_deref(), Some("nl"));
        let y = parse_line("f#2", br#"{"text":"a","date":2018}"#).unwrap();
        assert_eq!(y.date.unwrap().to_string(), "2018");
    }

    #[test]
    fn bad_lines() {
        assert_eq!(
            parse_line("f#1", b"{\"text\": ")
                .unwrap_err()
                .reason
                .split(':')
                .next(),
            Some("malformed JSON")
        );
        assert_eq!(
            parse_line("f#1", b"{\"title\": \"x\"}").unwrap_err().reason,
            "no \"text\" field"
        );
        assert_eq!(
            parse_line("f#1", b"{\"text\": 5}").unwrap_err().reason,
            "\"text\" is not a string"
        );
        assert_eq!(
            parse_line("f#1", b"[1,2]").unwrap_err().reason,
            "not a JSON object"
        );
        assert_eq!(
            parse_line("f#1", b"{\"text\": \"  \"}").unwrap_err().reason,
            "no text"
        );
        let latin = parse_line("f#1", b"{\"text\": \"Caf\xE9\"}").unwrap();
        assert_eq!(latin.text, "Café");
    }
}
