//! Dated event mentions of one document: the units the timeline merges.
//!
//! Two sources, chosen per document:
//! * the events layer (`Document::events`), when the events stage filled
//!   it: every event with a date that is a calendar date (`YYYY`,
//!   `YYYY-MM`, `YYYY-MM-DD`);
//! * otherwise the **dated-sentence fallback**: every `DATE` timex with a
//!   calendar value other than the document's own creation date makes one
//!   mention of kind [`DATED`], covering the clause around the timex (from
//!   the clause break before it to the clause break before the next timex
//!   of the sentence).

use kroniek_model::{Certainty, CharIndex, Document, PartialDate, TimexType};

use crate::lexicon::{content_stems, hedged};

/// Event type of the mentions made by the dated-sentence fallback.
pub const DATED: &str = "dated";

/// What the timeline needs to know about the document a mention comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct DocMeta {
    pub id: String,
    pub title: Option<String>,
    pub dct: Option<PartialDate>,
    pub lang: String,
}

impl DocMeta {
    pub fn of(doc: &Document) -> Self {
        Self {
            id: doc.id.clone(),
            title: doc.title.clone(),
            dct: doc.dct.value,
            lang: doc.lang.clone(),
        }
    }
}

/// One dated mention of a happening in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index of the document (into the slice of [`DocMeta`] given to the merger).
    pub doc: usize,
    /// Index of the sentence in the document.
    pub sentence_index: usize,
    /// The sentence that reports it.
    pub sentence: String,
    /// The clause (or trigger context) that reports it; used for titles.
    pub clause: String,
    /// The date; `None` only for undated mentions (event coreference).
    pub date: Option<PartialDate>,
    /// Event type (`attack`, ..., or [`DATED`]).
    pub kind: String,
    /// Stemmed trigger word, when the mention comes from the events layer.
    pub trigger: Option<String>,
    pub certainty: Certainty,
    /// Corpus entity ids of the participants (linked entities only).
    pub entities: Vec<String>,
    /// Keys of the entities for similarity: linked ids, or folded names.
    pub entity_keys: Vec<String>,
    /// Content-word stems of the clause, timexes left out.
    pub stems: Vec<String>,
}

pub use kroniek_model::is_corpus_entity_id as is_corpus_id;

/// The similarity key of an entity mention: its corpus id when linked,
/// else its folded name.
fn entity_key(text: &str, entity: Option<&str>) -> String {
    match entity {
        Some(id) if is_corpus_id(id) => id.to_string(),
        _ => format!(
            "name:{}",
            text.to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Clause-breaking characters.
fn is_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '–' | '—' | '(' | ')')
}

/// The dated mentions of `doc` (see the module documentation). `doc_index`
/// is stored in each mention.
pub fn mentions(doc: &Document, doc_index: usize) -> Vec<Mention> {
    if doc.events.is_empty() {
        fallback_mentions(doc, doc_index)
    } else {
        event_mentions(doc, doc_index, true)
    }
}

/// Mentions from the events layer; with `dated_only`, events without a
/// calendar date are left out.
pub fn event_mentions(doc: &Document, doc_index: usize, dated_only: bool) -> Vec<Mention> {
    let idx = CharIndex::new(&doc.text);
    let byte = |c: usize| idx.to_byte(c);
    let mut out = Vec::new();
    for ev in &doc.events {
        let date = ev
            .date
            .as_deref()
            .and_then(|v| v.parse::<PartialDate>().ok());
        if dated_only && date.is_none() {
            continue;
        }
        let Some(sent) = doc.sentences.get(ev.sentence) else {
            continue;
        };
        let (s0, s1) = (byte(sent.start), byte(sent.end));
        let Some(sentence) = doc.text.get(s0..s1) else {
            continue;
        };
        let skip: Vec<(usize, usize)> = doc
            .timexes
            .iter()
            .filter(|t| t.start >= sent.start && t.end <= sent.end)
            .map(|t| (byte(t.start) - s0, byte(t.end) - s0))
            .collect();
        let mut stems = content_stems(sentence, &doc.lang, &skip);
        // The trigger's first content stem; a trigger of only function or
        // reporting words ("said") is itself the trigger.
        let trigger = content_stems(&ev.text, &doc.lang, &[])
            .into_iter()
            .next()
            .or_else(|| Some(ev.text.trim().to_lowercase()).filter(|t| !t.is_empty()));
        if let Some(t) = &trigger {
            stems.push(t.clone());
        }
        let mut entities: Vec<String> = ev
            .participants
            .iter()
            .filter(|p| is_corpus_id(p) && !p.starts_with("name:"))
            .cloned()
            .collect();
        let mut entity_keys: Vec<String> = ev
            .participants
            .iter()
            .map(|p| {
                if is_corpus_id(p) {
                    p.clone()
                } else {
                    entity_key(p, None)
                }
            })
            .collect();
        for m in doc
            .entities
            .iter()
            .filter(|m| m.start >= sent.start && m.end <= sent.end)
        {
            if let Some(id) = m.entity.as_deref().filter(|id| is_corpus_id(id)) {
                entities.push(id.to_string());
            }
            entity_keys.push(entity_key(&m.text, m.entity.as_deref()));
        }
        dedup(&mut entities);
        dedup(&mut entity_keys);
        out.push(Mention {
            doc: doc_index,
            sentence_index: ev.sentence,
            sentence: sentence.trim().to_string(),
            clause: sentence.trim().to_string(),
            date,
            kind: ev.kind.clone(),
            trigger,
            certainty: ev.certainty,
            entities,
            entity_keys,
            stems,
        });
    }
    out
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// The dated-sentence fallback.
pub fn fallback_mentions(doc: &Document, doc_index: usize) -> Vec<Mention> {
    let idx = CharIndex::new(&doc.text);
    let byte = |c: usize| idx.to_byte(c);
    let dct = doc.dct.value;
    let mut out = Vec::new();
    for (si, sent) in doc.sentences.iter().enumerate() {
        let (s0, s1) = (byte(sent.start), byte(sent.end));
        let Some(sentence) = doc.text.get(s0..s1) else {
            continue;
        };
        let in_sentence: Vec<_> = doc
            .timexes
            .iter()
            .filter(|t| t.start >= sent.start && t.end <= sent.end)
            .collect();
        let dated: Vec<(usize, usize, PartialDate)> = in_sentence
            .iter()
            .filter(|t| t.kind == TimexType::Date)
            .filter_map(|t| {
                let d = t.value.parse::<PartialDate>().ok()?;
                (Some(d) != dct).then_some((byte(t.start) - s0, byte(t.end) - s0, d))
            })
            .collect();
        if dated.is_empty() {
            continue;
        }
        let skip: Vec<(usize, usize)> = in_sentence
            .iter()
            .map(|t| (byte(t.start) - s0, byte(t.end) - s0))
            .collect();
        // Clause start of each dated timex: the last break between the
        // previous timex and this one.
        let starts: Vec<usize> = dated
            .iter()
            .enumerate()
            .map(|(k, &(ts, _, _))| {
                if k == 0 {
                    return 0;
                }
                let prev_end = dated[k - 1].1;
                sentence[prev_end..ts]
                    .char_indices()
                    .rfind(|(_, c)| is_break(*c))
                    .map(|(i, c)| prev_end + i + c.len_utf8())
                    .unwrap_or(ts)
            })
            .collect();
        let hedge = hedged(sentence, &doc.lang);
        for (k, &(_, _, date)) in dated.iter().enumerate() {
            let (c0, c1) = (
                starts[k],
                starts.get(k + 1).copied().unwrap_or(sentence.len()),
            );
            let clause = &sentence[c0..c1];
            let clause_skip: Vec<(usize, usize)> = skip
                .iter()
                .filter(|&&(s, e)| s >= c0 && e <= c1)
                .map(|&(s, e)| (s - c0, e - c0))
                .collect();
            let stems = content_stems(clause, &doc.lang, &clause_skip);
            if stems.is_empty() {
                continue;
            }
            let (cs, ce) = (idx.to_char(s0 + c0), idx.to_char(s0 + c1));
            let mut entities = Vec::new();
            let mut entity_keys = Vec::new();
            for m in doc.entities.iter().filter(|m| m.start >= cs && m.end <= ce) {
                if let Some(id) = m.entity.as_deref().filter(|id| is_corpus_id(id)) {
                    entities.push(id.to_string());
                }
                entity_keys.push(entity_key(&m.text, m.entity.as_deref()));
            }
            dedup(&mut entities);
            dedup(&mut entity_keys);
            let future = dct.is_some_and(|d| date.first_day() > d.last_day());
            out.push(Mention {
                doc: doc_index,
                sentence_index: si,
                sentence: sentence.trim().to_string(),
                clause: clause
                    .trim_matches(|c: char| c.is_whitespace() || is_break(c))
                    .to_string(),
                date: Some(date),
                kind: DATED.to_string(),
                trigger: None,
                certainty: if future {
                    Certainty::Future
                } else if hedge {
                    Certainty::Probable
                } else {
                    Certainty::Certain
                },
                entities,
                entity_keys,
                stems,
            });
        }
    }
    out
}
