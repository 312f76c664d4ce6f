//! Kroniek's SemEval-2015 Task 4 track A system: run the pipeline on the
//! raw documents, find the mentions of each target entity, take the event
//! mentions of the sentences (clauses) that mention it, anchor each to the
//! nearest calendar timex of its sentence (else the DCT) and order them by
//! date.

use std::collections::{BTreeMap, HashSet};

use kroniek_model::{Certainty, Dct, Document, PartialDate, TimexType};

use super::cat::CatDoc;
use super::scorer::{Line, TimelineFile};

/// A CAT document with the pipeline's annotations and the character span of
/// every CAT token in the text built from them.
pub struct Prepared {
    pub cat: CatDoc,
    pub doc: Document,
    pub spans: Vec<(usize, usize)>,
}

/// Builds the text (a CAT sentence per line, tokens separated by spaces)
/// and runs every pipeline stage on it.
pub fn prepare(cat: CatDoc) -> Prepared {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(cat.tokens.len());
    let mut chars = 0usize;
    let mut prev: Option<u32> = None;
    for t in &cat.tokens {
        if let Some(p) = prev {
            let sep = if p == t.sentence { " " } else { "\n" };
            text.push_str(sep);
            chars += 1;
        }
        let n = t.text.chars().count();
        spans.push((chars, chars + n));
        text.push_str(&t.text);
        chars += n;
        prev = Some(t.sentence);
    }
    let dct = cat
        .dct
        .as_deref()
        .and_then(|d| d.parse::<PartialDate>().ok())
        .map(|d| Dct::given(d, "CAT CREATION_TIME"))
        .unwrap_or_default();
    let mut doc = Document::new(cat.id.clone(), None, text, dct);
    doc.lang = "en".into();
    kroniek_pipeline::annotate(&mut doc);
    Prepared { cat, doc, spans }
}

/// Settings of the system (tuned on the trial data).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Anchor every event to the DCT (the baseline) instead of the nearest timex.
    pub dct_only: bool,
    /// Match the target's full name only (no derived aliases).
    pub full_name_only: bool,
    /// Drop negated and future events.
    pub drop_uncertain: bool,
}

impl Settings {
    pub fn system() -> Settings {
        Settings {
            dct_only: false,
            full_name_only: false,
            drop_uncertain: true,
        }
    }
    pub fn baseline() -> Settings {
        Settings {
            dct_only: true,
            full_name_only: true,
            drop_uncertain: false,
        }
    }
}

/// Lower-cased token sequences that name the target.
pub fn aliases(target: &str, settings: &Settings) -> Vec<Vec<String>> {
    let words: Vec<String> = target.split_whitespace().map(str::to_lowercase).collect();
    let mut out = vec![words.clone()];
    if settings.full_name_only {
        return out;
    }
    out.sort();
    out.dedup();
    out
}

fn matches_at(tokens: &[String], i: usize, alias: &[String]) -> bool {
    i + alias.len() <= tokens.len() && alias.iter().enumerate().all(|(k, a)| tokens[i + k] == *a)
}

/// Converts a TIMEX3 date value to the task's anchor form
/// (`YYYY-MM-DD` with `XX` for unknown parts); `None` if it is no calendar date.
pub fn anchor(value: &str) -> Option<String> {
    let v = value.split('T').next().unwrap_or(value);
    let parts: Vec<&str> = v.split('-').collect();
    let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if ok(y, 4) => Some(format!("{y}-XX-XX")),
        [y, m] if ok(y, 4) && ok(m, 2) => Some(format!("{y}-{m}-XX")),
        [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => Some(format!("{y}-{m}-{d}")),
        _ => None,
    }
}

/// Sort key of an anchor: unknown parts sort before known ones.
fn anchor_key(a: &str) -> String {
    a.replace("XX", "00")
}

/// An event of a document, located at CAT tokens `first..=last`.
struct Mention {
    first: usize,
    last: usize,
    certainty: Certainty,
}

fn token_of(p: &Prepared, char_pos: usize) -> Option<usize> {
    p.spans
        .iter()
        .position(|&(s, e)| s <= char_pos && char_pos < e)
}

fn mentions(p: &Prepared) -> Vec<Mention> {
    p.doc
        .events
        .iter()
        .filter_map(|e| {
            let first = token_of(p, e.start)?;
            let last = token_of(p, e.end.saturating_sub(1)).unwrap_or(first);
            Some(Mention {
                first,
                last,
                certainty: e.certainty,
            })
        })
        .collect()
}

/// Anchor of token `i`: the nearest calendar timex of its CAT sentence, else the DCT.
fn date_of(p: &Prepared, i: usize, settings: &Settings) -> Option<String> {
    let dct = p.cat.dct.as_deref().and_then(anchor);
    if settings.dct_only {
        return dct;
    }
    let sent = p.cat.tokens[i].sentence;
    let best = p
        .doc
        .timexes
        .iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter_map(|t| {
            let a = token_of(p, t.start)?;
            if p.cat.tokens[a].sentence != sent || sent == 1 {
                return None;
            }
            let v = if t.value == "PRESENT_REF" {
                dct.clone()?
            } else {
                anchor(&t.value)?
            };
            Some((a.abs_diff(i), v))
        })
        .min_by_key(|(d, _)| *d);
    best.map(|(_, v)| v).or(dct)
}

/// The timeline of one target over prepared documents.
pub fn timeline(target: &str, docs: &[Prepared], settings: &Settings) -> TimelineFile {
    let als = aliases(target, settings);
    let mut by_date: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for p in docs {
        let lower: Vec<String> = p.cat.tokens.iter().map(|t| t.text.to_lowercase()).collect();
        let mut sentences: HashSet<u32> = HashSet::new();
        for i in 0..lower.len() {
            if als.iter().any(|a| matches_at(&lower, i, a)) {
                sentences.insert(p.cat.tokens[i].sentence);
            }
        }
        for m in mentions(p) {
            let sent = p.cat.tokens[m.first].sentence;
            if !sentences.contains(&sent) {
                continue;
            }
            if settings.drop_uncertain
                && matches!(m.certainty, Certainty::Negated | Certainty::Future)
            {
                continue;
            }
            let Some(date) = date_of(p, m.first, settings) else {
                continue;
            };
            let extent: Vec<&str> = (m.first..=m.last)
                .map(|k| p.cat.tokens[k].text.as_str())
                .collect();
            let id = format!("{}-{}-{}", p.cat.id, sent, extent.join("_"));
            by_date
                .entry(anchor_key(&date))
                .or_insert_with(|| (date.clone(), Vec::new()))
                .1
                .push(id);
        }
    }
    let lines = by_date
        .into_values()
        .enumerate()
        .map(|(k, (date, events))| Line {
            order: k as u64 + 1,
            date,
            events,
        })
        .collect();
    TimelineFile {
        entity: target.to_string(),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        assert_eq!(anchor("2008-03-01").as_deref(), Some("2008-03-01"));
        assert_eq!(anchor("2008-03").as_deref(), Some("2008-03-XX"));
        assert_eq!(anchor("2008").as_deref(), Some("2008-XX-XX"));
        assert_eq!(anchor("2008-03-01TEV").as_deref(), Some("2008-03-01"));
        assert_eq!(anchor("2008-W10"), None);
        assert_eq!(anchor("PAST_REF"), None);
        assert!(anchor_key("2007-XX-XX") < anchor_key("2007-02-28"));
    }
}
