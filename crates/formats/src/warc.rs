//! WARC archives (plain or gzip, one member per record or not): every
//! `response` (or `resource`) record holding an HTML page is one document.
//!
//! Records are read one at a time from the stream. `WARC-Date` is the
//! crawl time, not the publication date, and is not used as a date.

use std::io::{self, BufRead, BufReader, Read};

use crate::html::{decode_html, extract, to_raw};
use crate::{check_text, decode, Format, Input, Record, RecordError};

/// Longest header line accepted.
const MAX_HEADER_LINE: usize = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADERS: usize = 1000;
/// Largest record block read into memory; larger ones are skipped.
const MAX_BLOCK_BYTES: u64 = 64 * 1024 * 1024;

/// Streams the documents of a WARC input.
pub struct WarcRecords {
    source: String,
    reader: BufReader<Box<dyn Read + Send>>,
    /// Records read completely so far.
    complete: usize,
    done: bool,
}

/// How reading one record ended.
enum Step {
    /// A record that is not a document.
    Skip,
    /// A document or a problem with this record.
    Doc(Record),
}

/// Why reading stopped.
enum Stop {
    /// The data ends inside a record (or the gzip stream breaks).
    Truncated(Option<io::Error>),
    /// The data does not follow the WARC format.
    Malformed(String),
}

impl WarcRecords {
    pub(crate) fn new(input: Input) -> Self {
        Self {
            source: input.source,
            reader: BufReader::with_capacity(64 * 1024, input.reader),
            complete: 0,
            done: false,
        }
    }

    fn read_line(&mut self) -> Result<Option<Vec<u8>>, Stop> {
        let mut line = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .map_err(|e| Stop::Truncated(Some(e)))?;
        if n == 0 {
            return Ok(None);
        }
        if n >= MAX_HEADER_LINE && !line.ends_with(b"\n") {
            return Err(Stop::Malformed("header line too long".into()));
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        Ok(Some(line))
    }

    /// Reads the next record; `Ok(None)` at a clean end of the data.
    fn read_record(&mut self) -> Result<Option<Step>, Stop> {
        // Records are separated by blank lines.
        let version = loop {
            match self.read_line()? {
                None => return Ok(None),
                Some(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
                Some(l) => break l,
            }
        };
        if !version.starts_with(b"WARC/") {
            return Err(Stop::Malformed("expected a 'WARC/' version line".into()));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let Some(line) = self.read_line()? else {
                return Err(Stop::Truncated(None));
            };
            if line.is_empty() {
                break;
            }
            if headers.len() >= MAX_HEADERS {
                return Err(Stop::Malformed("too many header lines".into()));
            }
            let line = String::from_utf8_lossy(&line);
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let header = |k: &str| {
            headers
                .iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.as_str())
        };
        let length: u64 = header("content-length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Stop::Malformed("record without a valid Content-Length".into()))?;
        let kind = header("warc-type").unwrap_or("").to_ascii_lowercase();
        let wanted = matches!(kind.as_str(), "response" | "resource");
        if !wanted || length > MAX_BLOCK_BYTES {
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())
                .map_err(|e| Stop::Truncated(Some(e)))?;
            if skipped < length {
                return Err(Stop::Truncated(None));
            }
            if wanted {
                let number = self.complete + 1;
                return Ok(Some(Step::Doc(Err(RecordError::new(
                    format!("{}#{number}", self.source),
                    format!("record too large ({} MB)", crate::mb(length)),
                )))));
            }
            return Ok(Some(Step::Skip));
        }
        // Grown as data arrives, so a false length costs no memory.
        let mut block = Vec::new();
        let got = (&mut self.reader)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| Stop::Truncated(Some(e)))?;
        if (got as u64) < length {
            return Err(Stop::Truncated(None));
        }
        let uri = header("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty());
        let source = format!("{}#{}", self.source, self.complete + 1);
        let content_type = header("content-type").unwrap_or("").to_ascii_lowercase();
        Ok(Some(page(&source, &kind, &content_type, uri, &block)))
    }
}

impl Iterator for WarcRecords {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            match self.read_record() {
                Ok(None) => self.done = true,
                Ok(Some(step)) => {
                    self.complete += 1;
                    if let Step::Doc(record) = step {
                        return Some(record);
                    }
                }
                Err(stop) => {
                    self.done = true;
                    let n = self.complete;
                    let reason = match stop {
                        Stop::Truncated(None) => format!("truncated WARC after {n} records"),
                        Stop::Truncated(Some(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                            format!("truncated WARC after {n} records")
                        }
                        Stop::Truncated(Some(e)) => {
                            format!("truncated WARC after {n} records ({e})")
                        }
                        Stop::Malformed(what) => {
                            format!("malformed WARC after {n} records: {what}")
                        }
                    };
                    return Some(Err(RecordError::new(
                        format!("{}#{}", self.source, n + 1),
                        reason,
                    )));
                }
            }
        }
        None
    }
}

/// The document of a response / resource record, or `Skip` for records
/// that are not HTML pages (images, redirects, errors...).
fn page(
    source: &str,
    kind: &str,
    warc_content_type: &str,
    uri: Option<String>,
    block: &[u8],
) -> Step {
    let is_http =
        kind == "response" && (warc_content_type.contains("http") || block.starts_with(b"HTTP/"));
    let (status, headers, body) = if is_http {
        match split_http(block) {
            Some(parts) => parts,
            None => return Step::Skip,
        }
    } else {
        (None, Vec::new(), block)
    };
    if status.is_some_and(|s| !(200..300).contains(&s)) {
        return Step::Skip;
    }
    let header = |k: &str| {
        headers
            .iter()
            .find(|(hk, _)| hk == k)
            .map(|(_, v)| v.as_str())
    };
    let content_type = if is_http {
        header("content-type").unwrap_or("").to_ascii_lowercase()
    } else {
        warc_content_type.to_string()
    };
    let mut body = body.to_vec();
    if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        if let Some(plain) = dechunk(&body) {
            body = plain;
        }
    }
    if let Some(enc) = header("content-encoding").map(|v| v.trim().to_ascii_lowercase()) {
        if !enc.is_empty() && enc != "identity" && !looks_like_html(&body) {
            match decompress(&enc, &body) {
                Some(plain) => body = plain,
                None => {
                    return Step::Doc(Err(RecordError::new(
                        source,
                        format!("cannot undo content encoding '{enc}'"),
                    )))
                }
            }
        }
    }
    let html_type = content_type.contains("html");
    if !(html_type || content_type.is_empty() || content_type.starts_with("text/")) {
        return Step::Skip;
    }
    if !html_type && !looks_like_html(&body) {
        return Step::Skip;
    }
    let declared = decode::charset_param(&content_type);
    let html = decode_html(&body, declared);
    let record = extract(&html)
        .map_err(|reason| RecordError::new(source, reason))
        .and_then(|ex| {
            check_text(source, &ex.text)?;
            let mut raw = to_raw(source, Format::Warc, ex);
            if uri.is_some() {
                raw.url = uri;
            }
            Ok(raw)
        });
    Step::Doc(record)
}

type HttpParts<'a> = (Option<u16>, Vec<(String, String)>, &'a [u8]);

/// Status, headers (lowercased names) and body of an HTTP response.
fn split_http(block: &[u8]) -> Option<HttpParts<'_>> {
    let (head_end, body_start) = match decode::find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => {
            let i = decode::find(block, b"\n\n")?;
            (i, i + 2)
        }
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok());
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, &block[body_start..]))
}

/// Undoes chunked transfer encoding; `None` if the body is not chunked.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = decode::find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size..)?;
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
    }
}

fn decompress(encoding: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let limit = MAX_BLOCK_BYTES * 4;
    let ok = match encoding {
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out)
            .is_ok(),
        "deflate" => {
            flate2::read::ZlibDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out)
                .is_ok()
                || {
                    out.clear();
                    flate2::read::DeflateDecoder::new(body)
                        .take(limit)
                        .read_to_end(&mut out)
                        .is_ok()
                }
        }
        _ => false,
    };
    ok.then_some(out)
}

/// Whether a body starts like an HTML page.
fn looks_like_html(body: &[u8]) -> bool {
    let head: Vec<u8> = body.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    head.starts_with(b"<")
        && [
            &b"<html"[..],
            b"<!doctype html",
            b"<head",
            b"<body",
            b"<p",
            b"<div",
            b"<meta",
            b"<title",
        ]
        .iter()
        .any(|tag| decode::find(head, tag).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap(),
            b"hello world"
        );
        assert!(dechunk(b"<html>").is_none());
    }

    #[test]
    fn http_split() {
        let (status, headers, body) =
            split_http(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>").unwrap();
        assert_eq!(status, Some(200));
        assert_eq!(
            headers[0],
            ("content-type".to_string(), "text/html".to_string())
        );
        assert_eq!(body, b"<p>x</p>");
    }
}
