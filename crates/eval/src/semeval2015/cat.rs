//! Reader for the CAT documents of SemEval-2015 Task 4 (tokens with
//! sentence numbers, the DCT as a CREATION_TIME TIMEX3 markable).

use std::path::Path;

use anyhow::{bail, Context, Result};
use quick_xml::events::Event as Xml;

use crate::timelines::attr;

/// One token: its sentence number and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatToken {
    /// `t_id` attribute.
    pub id: u32,
    pub sentence: u32,
    pub text: String,
}

/// A raw CAT document.
#[derive(Debug, Clone, Default)]
pub struct CatDoc {
    pub id: String,
    pub tokens: Vec<CatToken>,
    /// Value of the CREATION_TIME timex ("2008-03-01").
    pub dct: Option<String>,
    /// Annotated event mentions (trial and track B files): token indices.
    pub events: Vec<Vec<usize>>,
}

/// Parses a CAT XML string.
pub fn parse(xml: &str) -> Result<CatDoc> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut doc = CatDoc::default();
    let mut in_token: Option<u32> = None;
    let mut text = String::new();
    let mut tid = 0u32;
    // Event mentions as token ids until the tokens are all read.
    let mut events: Vec<Vec<u32>> = Vec::new();
    let mut in_event = false;
    loop {
        match reader.read_event() {
            Err(e) => bail!("CAT XML: {e}"),
            Ok(Xml::Eof) => break,
            Ok(Xml::Start(e)) | Ok(Xml::Empty(e)) => match e.name().as_ref() {
                b"Document" => doc.id = attr(&e, "doc_id").unwrap_or_default(),
                b"token" => {
                    let s = attr(&e, "sentence").and_then(|v| v.parse().ok());
                    in_token = Some(s.unwrap_or(0));
                    tid = attr(&e, "t_id").and_then(|v| v.parse().ok()).unwrap_or(0);
                    text.clear();
                }
                b"EVENT_MENTION" => {
                    in_event = true;
                    events.push(Vec::new());
                }
                b"token_anchor" if in_event => {
                    if let (Some(ev), Some(t)) = (
                        events.last_mut(),
                        attr(&e, "t_id").and_then(|v| v.parse().ok()),
                    ) {
                        ev.push(t);
                    }
                }
                b"TIMEX3" if attr(&e, "functionInDocument").as_deref() == Some("CREATION_TIME") => {
                    doc.dct = attr(&e, "value");
                }
                _ => {}
            },
            Ok(Xml::Text(t)) if in_token.is_some() => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Ok(Xml::GeneralRef(r)) if in_token.is_some() => {
                let n = String::from_utf8_lossy(&r).into_owned();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.push(c),
                    _ => text
                        .push_str(quick_xml::escape::resolve_predefined_entity(&n).unwrap_or("")),
                }
            }
            Ok(Xml::End(e)) if e.name().as_ref() == b"EVENT_MENTION" => in_event = false,
            Ok(Xml::End(e)) if e.name().as_ref() == b"token" => {
                if let Some(s) = in_token.take() {
                    doc.tokens.push(CatToken {
                        id: tid,
                        sentence: s,
                        text: text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    let index: std::collections::HashMap<u32, usize> = doc
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i))
        .collect();
    doc.events = events
        .into_iter()
        .map(|ev| {
            ev.iter()
                .filter_map(|t| index.get(t).copied())
                .collect::<Vec<_>>()
        })
        .filter(|ev| !ev.is_empty())
        .collect();
    if doc.id.is_empty() {
        bail!("CAT document without doc_id");
    }
    Ok(doc)
}

/// Reads every `*.xml` CAT file of a directory, sorted by name.
pub fn read_dir(dir: &Path) -> Result<Vec<CatDoc>> {
    crate::files_with_ext(dir, "xml")?
        .iter()
        .map(|p| {
            let xml = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            parse(&xml).with_context(|| format!("{}", p.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tokens_and_dct() {
        let xml = r#"<?xml version="1.0" ?><Document doc_id="7" doc_name="x.txt">
<token number="0" sentence="0" t_id="1">Airbus</token>
<token number="1" sentence="0" t_id="2">wins</token>
<token number="2" sentence="1" t_id="3">AT&amp;T</token>
<Markables>
<EVENT_MENTION m_id="2"><token_anchor t_id="2"/></EVENT_MENTION>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2008-03-01"><token_anchor t_id="3"/></TIMEX3>
</Markables></Document>"#;
        let d = parse(xml).unwrap();
        assert_eq!(d.id, "7");
        assert_eq!(d.dct.as_deref(), Some("2008-03-01"));
        assert_eq!(d.tokens.len(), 3);
        assert_eq!(d.tokens[2].text, "AT&T");
        assert_eq!(d.tokens[2].sentence, 1);
        assert_eq!(d.events, vec![vec![1]]);
    }

    #[test]
    fn bad_xml_is_an_error() {
        assert!(parse("<Document><token>").is_err());
        assert!(parse("<x/>").is_err());
    }
}
