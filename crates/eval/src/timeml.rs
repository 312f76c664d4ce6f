//! Reading and writing TimeML (inline TIMEX3 annotation).

use kroniek_model::{CharIndex, Document, TimexType};

/// A gold (or system) timex with code-point offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// One TimeML document: plain text, DCT value, timexes of the TEXT part.
#[derive(Debug, Clone)]
pub struct TmlDoc {
    pub name: String,
    pub text: String,
    pub dct: Option<String>,
    pub timexes: Vec<Span>,
}

/// Replaces XML/HTML character references (`&amp;`, `&#233;`, ...).
pub fn decode_entities(s: &str) -> String {
    html_escape::decode_html_entities(s).into_owned()
}

/// Escapes text and double-quoted attribute values for XML.
pub fn escape(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    loop {
        let i = rest.find(name)?;
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let body = &v[1..];
                    let end = body.find(q)?;
                    return Some(decode_entities(&body[..end]));
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
}

/// Parses an inline TimeML document. The text is the content of `<TEXT>`
/// with all tags removed (the whole body if there is no `<TEXT>`).
pub fn parse(name: &str, xml: &str) -> TmlDoc {
    let dct = xml.find("<DCT>").and_then(|i| {
        let seg = &xml[i..];
        let end = seg.find("</DCT>").unwrap_or(seg.len());
        attr(&seg[..end], "value")
    });
    let body = match (xml.find("<TEXT>"), xml.rfind("</TEXT>")) {
        (Some(s), Some(e)) if e > s => &xml[s + 6..e],
        _ => xml,
    };
    let mut text = String::with_capacity(body.len());
    let mut chars = 0usize;
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(i) => {
                let seg = decode_entities(&rest[..i]);
                chars += seg.chars().count();
                text.push_str(&seg);
                let after = &rest[i..];
                let close = after.find('>').unwrap_or(after.len() - 1);
                let tag = &after[..=close];
                if tag.starts_with("<TIMEX3") {
                    let kind = attr(tag, "type").unwrap_or_default();
                    let value = attr(tag, "value").unwrap_or_default();
                    if tag.ends_with("/>") {
                        // empty timex: not a text span
                    } else {
                        open = Some((chars, kind, value));
                    }
                } else if tag.starts_with("</TIMEX3") {
                    if let Some((s, kind, value)) = open.take() {
                        timexes.push(Span {
                            start: s,
                            end: chars,
                            kind,
                            value,
                        });
                    }
                }
                rest = &after[(close + 1).min(after.len())..];
            }
            None => {
                text.push_str(&decode_entities(rest));
                break;
            }
        }
    }
    TmlDoc {
        name: name.to_string(),
        text,
        dct,
        timexes,
    }
}

fn type_name(t: TimexType) -> &'static str {
    match t {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    }
}

/// TempEval-3 style TimeML for an annotated document: DCT as `t0`, the
/// text with inline `TIMEX3` tags, so the official scorer can read it.
pub fn to_timeml(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" ?>\n<TimeML xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd\">\n\n");
    out.push_str(&format!("<DOCID>{}</DOCID>\n\n", escape(&doc.id)));
    if let Some(d) = doc.dct.value {
        out.push_str(&format!(
            "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"{d}\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">{d}</TIMEX3></DCT>\n\n"
        ));
    }
    out.push_str("<TEXT>");
    let idx = CharIndex::new(&doc.text);
    let mut ts: Vec<_> = doc.timexes.iter().collect();
    ts.sort_by_key(|t| (t.start, std::cmp::Reverse(t.end)));
    let mut pos = 0usize; // byte
    let mut n = 0;
    for t in ts {
        let (s, e) = (idx.to_byte(t.start), idx.to_byte(t.end));
        if s < pos || e < s || e > doc.text.len() {
            continue; // overlapping spans cannot nest in TimeML
        }
        out.push_str(&escape(&doc.text[pos..s]));
        n += 1;
        let m = t
            .modifier
            .as_ref()
            .map(|m| format!(" mod=\"{}\"", escape(m)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<TIMEX3 tid=\"t{n}\" type=\"{}\" value=\"{}\"{m} temporalFunction=\"false\" functionInDocument=\"NONE\">{}</TIMEX3>",
            type_name(t.kind),
            escape(&t.value),
            escape(&doc.text[s..e])
        ));
        pos = e;
    }
    out.push_str(&escape(&doc.text[pos..]));
    out.push_str("</TEXT>\n\n</TimeML>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::{Dct, Timex};

    #[test]
    fn round_trips_through_timeml() {
        let mut doc = Document::new(
            "x",
            None,
            "Syrië & co, in 2014.".into(),
            Dct::given("2018-08-22".parse().unwrap(), "t"),
        );
        doc.timexes.push(Timex {
            start: 15,
            end: 19,
            text: "2014".into(),
            kind: TimexType::Date,
            value: "2014".into(),
            modifier: None,
        });
        let xml = to_timeml(&doc);
        assert!(xml.contains("&amp;"));
        let back = parse("x", &xml);
        assert_eq!(back.text, doc.text);
        assert_eq!(back.dct.as_deref(), Some("2018-08-22"));
        assert_eq!(back.timexes.len(), 1);
        assert_eq!((back.timexes[0].start, back.timexes[0].end), (15, 19));
        assert_eq!(back.timexes[0].value, "2014");
    }
}
