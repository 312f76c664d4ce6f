//! RSS (0.9x, 1.0, 2.0) and Atom feeds: one document per item / entry.

use feed_rs::model::{Entry, FeedType, Text};
use kroniek_model::PartialDate;
use quick_xml::events::Event;

use crate::html::fragment_to_text;
use crate::{check_text, dates, normalize_lang, FileError, Format, RawDoc, Record, RecordError};

/// Reads a feed's bytes into one record per item.
pub fn parse(source: &str, bytes: &[u8]) -> Result<Vec<Record>, FileError> {
    check_xml(bytes)?;
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(dates::feed_timestamp)
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build();
    let feed = parser.parse(bytes).map_err(|e| match e {
        feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::NoFeedRoot,
        ) => FileError::Malformed(
            "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element)".into(),
        ),
        other => FileError::Malformed(format!("malformed feed: {other}")),
    })?;
    let rss = !matches!(feed.feed_type, FeedType::Atom);
    let feed_lang = feed.language.clone();
    Ok(feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            to_doc(
                &format!("{source}#{}", i + 1),
                entry,
                rss,
                feed_lang.as_deref(),
            )
        })
        .collect())
}

fn to_doc(source: &str, entry: Entry, rss: bool, feed_lang: Option<&str>) -> Record {
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(fragment_to_text)
        .unwrap_or_default();
    let summary = entry.summary.as_ref().map(text_of).unwrap_or_default();
    let text = if content.trim().is_empty() {
        summary
    } else {
        content
    };
    if text.trim().is_empty() {
        return Err(RecordError::new(source, "no text in feed item"));
    }
    check_text(source, &text)?;
    let title = entry.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let (date, date_evidence) = match (entry.published, entry.updated) {
        (Some(p), _) => (
            Some(PartialDate::from_naive(p.date_naive())),
            Some(
                if rss {
                    "feed pubDate"
                } else {
                    "feed published"
                }
                .to_string(),
            ),
        ),
        (None, Some(u)) => (
            Some(PartialDate::from_naive(u.date_naive())),
            Some(if rss { "feed date" } else { "feed updated" }.to_string()),
        ),
        _ => (None, None),
    };
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|u| !u.is_empty());
    let lang = entry
        .language
        .as_deref()
        .or(feed_lang)
        .and_then(normalize_lang);
    Ok(RawDoc {
        source: source.to_string(),
        format: Format::Feed,
        title,
        text,
        date,
        date_evidence,
        url,
        lang,
        external_id: Some(entry.id.trim().to_string()).filter(|id| !id.is_empty()),
    })
}

/// A feed text element as plain text. RSS gives HTML in "plain" text
/// elements as often as not, so markup is always stripped.
fn text_of(t: &Text) -> String {
    fragment_to_text(&t.content)
}

/// Checks that the bytes are well-formed XML, for a clear message with a
/// line number when they are not.
fn check_xml(bytes: &[u8]) -> Result<(), FileError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut root = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                check_attributes(bytes, &reader, &e)?;
                if depth == 0 && root.is_empty() {
                    root = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                }
                depth += 1;
            }
            Ok(Event::Empty(e)) => check_attributes(bytes, &reader, &e)?,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => {
                if depth > 0 {
                    return Err(FileError::Malformed(format!(
                        "malformed feed XML: the file ends before <{root}> is closed (truncated?) at line {}",
                        line_of(bytes, reader.buffer_position())
                    )));
                }
                return Ok(());
            }
            Ok(_) => {}
            Err(e) => {
                return Err(FileError::Malformed(format!(
                    "malformed feed XML at line {}: {e}",
                    line_of(bytes, reader.error_position())
                )))
            }
        }
        buf.clear();
    }
}

fn check_attributes(
    bytes: &[u8],
    reader: &quick_xml::Reader<&[u8]>,
    e: &quick_xml::events::BytesStart,
) -> Result<(), FileError> {
    for a in e.attributes() {
        if let Err(err) = a {
            return Err(FileError::Malformed(format!(
                "malformed feed XML at line {}: {err}",
                line_of(bytes, reader.buffer_position())
            )));
        }
    }
    Ok(())
}

/// 1-based line number of a byte position.
pub fn line_of(bytes: &[u8], pos: u64) -> usize {
    let pos = (pos as usize).min(bytes.len());
    1 + bytes[..pos].iter().filter(|&&b| b == b'\n').count()
}
