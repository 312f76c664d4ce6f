//! TimeML documents: the text of `<TEXT>` without its annotation tags, and
//! the document creation time from `<DCT>`.
//!
//! The text is the exact character content of `<TEXT>` (entities decoded,
//! whitespace untouched), so TimeML character offsets into it stay valid.

use kroniek_model::PartialDate;
use quick_xml::events::{BytesStart, Event};

use crate::decode::decode_text;
use crate::feed::line_of;
use crate::{check_text, FileError, Format, RawDoc, RecordError};

#[derive(PartialEq, Clone, Copy)]
enum Field {
    Text,
    Title,
    DocId,
}

/// Reads a TimeML file's bytes into its document.
pub fn parse(source: &str, bytes: &[u8]) -> Result<Result<RawDoc, RecordError>, FileError> {
    let xml = decode_text(bytes);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut text = String::new();
    let mut title = String::new();
    let mut doc_id = String::new();
    let mut dct: Option<String> = None;
    let mut creation_time: Option<String> = None;
    let mut field: Option<Field> = None;
    let mut field_depth = 0usize;
    let mut in_dct = false;
    let mut saw_text = false;
    let mut text_done = false;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                if text_done {
                    // The text is complete; trailing damage does not matter.
                    break;
                }
                return Err(FileError::Malformed(format!(
                    "malformed TimeML at line {}: {e}",
                    line_of(xml.as_bytes(), reader.error_position())
                )));
            }
        };
        match event {
            Event::Start(e) => {
                let name = local_name(&e);
                if field.is_some() {
                    field_depth += 1;
                } else {
                    match name.as_str() {
                        "text" if !text_done => {
                            field = Some(Field::Text);
                            saw_text = true;
                        }
                        "title" => field = Some(Field::Title),
                        "docid" => field = Some(Field::DocId),
                        "dct" => in_dct = true,
                        _ => {}
                    }
                }
                timex(&e, &name, in_dct, &mut dct, &mut creation_time);
            }
            Event::Empty(e) => {
                let name = local_name(&e);
                timex(&e, &name, in_dct, &mut dct, &mut creation_time);
            }
            Event::End(e) => {
                if field.is_some() && field_depth > 0 {
                    field_depth -= 1;
                } else if let Some(f) = field.take() {
                    if f == Field::Text {
                        text_done = true;
                    }
                } else if String::from_utf8_lossy(e.local_name().as_ref())
                    .eq_ignore_ascii_case("dct")
                {
                    in_dct = false;
                }
            }
            Event::Text(t) => {
                if let Some(out) = target(field, &mut text, &mut title, &mut doc_id) {
                    out.push_str(
                        &t.decode()
                            .map_err(|e| FileError::Malformed(format!("malformed TimeML: {e}")))?,
                    );
                }
            }
            Event::CData(t) => {
                if let Some(out) = target(field, &mut text, &mut title, &mut doc_id) {
                    out.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(out) = target(field, &mut text, &mut title, &mut doc_id) {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => out.push(c),
                        _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => out.push_str(s),
                            None if name == "nbsp" => out.push('\u{A0}'),
                            None => {
                                out.push('&');
                                out.push_str(&name);
                                out.push(';');
                            }
                        },
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_text {
        return Err(FileError::Malformed(
            "TimeML without a <TEXT> element".into(),
        ));
    }
    if let Err(e) = check_text(source, &text) {
        return Ok(Err(e));
    }
    let date = dct
        .or(creation_time)
        .and_then(|v| v.trim().parse::<PartialDate>().ok());
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let doc_id = doc_id.trim().to_string();
    Ok(Ok(RawDoc {
        source: source.to_string(),
        format: Format::TimeMl,
        title: (!title.is_empty()).then_some(title),
        text,
        date_evidence: date.map(|_| "TimeML DCT".to_string()),
        date,
        url: None,
        lang: None,
        external_id: (!doc_id.is_empty()).then_some(doc_id),
    }))
}

fn target<'a>(
    field: Option<Field>,
    text: &'a mut String,
    title: &'a mut String,
    doc_id: &'a mut String,
) -> Option<&'a mut String> {
    match field? {
        Field::Text => Some(text),
        Field::Title => Some(title),
        Field::DocId => Some(doc_id),
    }
}

fn local_name(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase()
}

/// Notes the value of a TIMEX3 in `<DCT>` or marked as creation time.
fn timex(
    e: &BytesStart,
    name: &str,
    in_dct: bool,
    dct: &mut Option<String>,
    creation: &mut Option<String>,
) {
    if name != "timex3" {
        return;
    }
    let mut value = None;
    let mut is_creation = false;
    for a in e.attributes().flatten() {
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).to_ascii_lowercase();
        let v = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_default();
        match key.as_str() {
            "value" => value = Some(v),
            "functionindocument" => is_creation = v.eq_ignore_ascii_case("CREATION_TIME"),
            _ => {}
        }
    }
    if in_dct && dct.is_none() {
        *dct = value;
    } else if is_creation && creation.is_none() {
        *creation = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>wsj_0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1989-10-26T09:30" temporalFunction="false" functionInDocument="CREATION_TIME">10/26/89</TIMEX3></DCT>
<TITLE>Storm &amp; rain</TITLE>
<TEXT>
The storm <EVENT eid="e1" class="OCCURRENCE">hit</EVENT> <TIMEX3 tid="t1" type="DATE" value="1989-10-25">yesterday</TIMEX3> &amp; <SIGNAL sid="s1">after</SIGNAL> that it &#x2013; rained.
</TEXT>
</TimeML>
"#;

    #[test]
    fn text_dct_title() {
        let d = parse("a.tml", DOC.as_bytes()).unwrap().unwrap();
        assert_eq!(
            d.text,
            "\nThe storm hit yesterday & after that it \u{2013} rained.\n"
        );
        assert_eq!(d.date.unwrap().to_string(), "1989-10-26");
        assert_eq!(d.date_evidence.as_deref(), Some("TimeML DCT"));
        assert_eq!(d.title.as_deref(), Some("Storm & rain"));
        assert_eq!(d.external_id.as_deref(), Some("wsj_0001"));
        assert_eq!(d.format, Format::TimeMl);
    }

    #[test]
    fn broken_timeml() {
        let bad = DOC.replace("</EVENT>", "</SIGNAL>");
        let e = parse("a.tml", bad.as_bytes()).unwrap_err();
        assert!(
            e.to_string().starts_with("malformed TimeML at line 7"),
            "{e}"
        );
        let no_text = parse("a.tml", b"<TimeML><DCT/></TimeML>").unwrap_err();
        assert_eq!(no_text.to_string(), "TimeML without a <TEXT> element");
    }
}
