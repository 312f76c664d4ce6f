//! The annotated document and its layers.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::{CharIndex, PartialDate};

/// One article with every annotation layer the pipeline has filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Derived from the normalised text: the same article twice gets the same id.
    pub id: String,
    /// Where it came from: a path, with `#N` for the N-th record of a multi-record file.
    pub source: String,
    pub title: Option<String>,
    /// ISO 639-1 code (`nl`, `en`, ...), or `und` when unknown.
    pub lang: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub dct: Dct,
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    #[serde(default)]
    pub timexes: Vec<Timex>,
    #[serde(default)]
    pub entities: Vec<EntityMention>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
}

impl Document {
    /// A document with empty annotation layers.
    pub fn new(source: impl Into<String>, title: Option<String>, text: String, dct: Dct) -> Self {
        Self {
            id: content_id(&text),
            source: source.into(),
            title,
            lang: "und".to_string(),
            text,
            url: None,
            dct,
            sentences: Vec::new(),
            timexes: Vec::new(),
            entities: Vec::new(),
            events: Vec::new(),
            claims: Vec::new(),
            quotes: Vec::new(),
        }
    }

    /// The text between two code-point offsets (empty if out of range).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let idx = CharIndex::new(&self.text);
        let (s, e) = (idx.to_byte(start), idx.to_byte(end));
        self.text.get(s..e.max(s)).unwrap_or("")
    }

    /// Checks the span invariant of every layer: offsets in range, start ≤
    /// end, and each span's `text` equal to `text[start..end]`.
    pub fn check_spans(&self) -> Result<(), String> {
        let idx = CharIndex::new(&self.text);
        let n = idx.char_len();
        let slice = |s: usize, e: usize| &self.text[idx.to_byte(s)..idx.to_byte(e)];
        let check = |layer: &str, s: usize, e: usize, t: Option<&str>| {
            if s > e || e > n {
                return Err(format!("{layer}: span {s}..{e} outside text of {n} chars"));
            }
            match t {
                Some(t) if t != slice(s, e) => Err(format!(
                    "{layer}: span {s}..{e} says {t:?} but text has {:?}",
                    slice(s, e)
                )),
                _ => Ok(()),
            }
        };
        for s in &self.sentences {
            check("sentences", s.start, s.end, None)?;
        }
        for t in &self.timexes {
            check("timexes", t.start, t.end, Some(&t.text))?;
        }
        for m in &self.entities {
            check("entities", m.start, m.end, Some(&m.text))?;
        }
        for ev in &self.events {
            check("events", ev.start, ev.end, Some(&ev.text))?;
        }
        for c in &self.claims {
            check("claims", c.start, c.end, Some(&c.text))?;
        }
        for q in &self.quotes {
            check("quotes", q.start, q.end, Some(&q.text))?;
        }
        Ok(())
    }
}

/// The text as it is compared for identity: Unicode NFC, whitespace runs
/// collapsed to one space, trimmed.
pub fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.nfc().collect::<String>().split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The document id of a text: 16 hex digits of the BLAKE3 hash of the
/// normalised text.
pub fn content_id(text: &str) -> String {
    let hash = blake3::hash(normalise_text(text).as_bytes());
    hash.to_hex()[..16].to_string()
}

/// The document creation time (publication date) and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dct {
    pub value: Option<PartialDate>,
    pub origin: DctOrigin,
    /// Human-readable reasons for the value (where it was found, or why it was inferred).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// For an inferred date: the earliest and latest plausible dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(PartialDate, PartialDate)>,
}

impl Dct {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn given(value: PartialDate, evidence: impl Into<String>) -> Self {
        Self {
            value: Some(value),
            origin: DctOrigin::Given,
            evidence: vec![evidence.into()],
            range: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DctOrigin {
    /// Stated by the source (header, metadata, feed).
    Given,
    /// Estimated from the text.
    Inferred,
    /// Unknown.
    #[default]
    None,
}

/// A sentence, by code-point offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// TimeML TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// A temporal expression with its normalised TIMEX3 value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value: `2014`, `2018-08-22`, `2024-H1`, `P5Y`, `PRESENT_REF`, ...
    pub value: String,
    /// TIMEX3 `mod` (`START`, `END`, `MID`, `APPROX`, `LESS_THAN`, ...), if any.
    #[serde(default, rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
}

/// A mention of a named entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `PER`, `ORG`, `LOC` or `MISC` (CoNLL labels).
    pub label: String,
    /// Id of the linked corpus-level entity, once linking has run; before
    /// that, a document-local group key ([`local_entity_id`]).
    pub entity: Option<String>,
}

/// Prefix of the document-local group keys that within-article aliasing
/// gives mentions before cross-article linking.
const LOCAL_ENTITY: &str = "local:";

/// The document-local key of the `n`-th group of mentions of one entity
/// within an article (`local:N`).
pub fn local_entity_id(n: usize) -> String {
    format!("{LOCAL_ENTITY}{n}")
}

/// Whether an entity id names a corpus-level entity (not a document-local
/// group key).
pub fn is_corpus_entity_id(id: &str) -> bool {
    !id.is_empty() && !id.starts_with(LOCAL_ENTITY)
}

impl EntityMention {
    /// Whether the mention is linked to a corpus-level entity.
    pub fn is_linked(&self) -> bool {
        self.entity.as_deref().is_some_and(is_corpus_entity_id)
    }
}

/// How sure the source is that an event happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    #[default]
    Certain,
    Probable,
    Possible,
    Negated,
    Future,
}

/// An event mention: a happening with its trigger, type and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Trigger span.
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Index into `sentences`.
    pub sentence: usize,
    /// TIMEX3 value of the event's date, if it has one.
    pub date: Option<String>,
    pub certainty: Certainty,
    /// Entity ids (or mention texts before linking) of the participants.
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub place: Option<String>,
}

/// A quantitative claim: a figure, what it counts, when, and who says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The number as written and as a value, when it has one.
    pub quantity: String,
    pub value: Option<f64>,
    /// What is counted ("aanslagen").
    pub counts: Option<String>,
    /// TIMEX3 value of the time the figure applies to.
    pub date: Option<String>,
    /// Who states it, as written ("Centcom").
    pub source: Option<String>,
    pub source_entity: Option<String>,
}

/// A direct quote and its speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The speaker as written, or `None` when it cannot be resolved.
    pub speaker: Option<String>,
    pub speaker_entity: Option<String>,
}

/// A corpus-level entity: one real-world person, organisation, place or thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub mentions: u64,
    pub first_seen: Option<PartialDate>,
    pub last_seen: Option<PartialDate>,
}

/// A story: articles about one developing subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    pub id: String,
    pub title: String,
    pub docs: Vec<String>,
    pub first: Option<PartialDate>,
    pub last: Option<PartialDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_ignores_whitespace_and_normalisation_form() {
        let a = content_id("IS riep in 2014\n een kalifaat uit. Syrie\u{0308}");
        let b = content_id("  IS riep in 2014 een   kalifaat uit. Syrië ");
        assert_eq!(a, b);
        assert_ne!(a, content_id("IS riep in 2015 een kalifaat uit."));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn json_has_the_contract_fields() {
        let d = Document::new(
            "a.txt",
            None,
            "Tekst.".into(),
            Dct::given("2018-08".parse().unwrap(), "header"),
        );
        let v = serde_json::to_value(&d).unwrap();
        for key in [
            "id",
            "source",
            "title",
            "lang",
            "text",
            "dct",
            "sentences",
            "timexes",
            "entities",
            "events",
            "claims",
            "quotes",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["dct"]["value"], "2018-08");
        assert_eq!(v["dct"]["origin"], "given");
        assert!(v["timexes"].as_array().unwrap().is_empty());
        let back: Document = serde_json::from_value(v).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn span_check_catches_mismatch() {
        let mut d = Document::new("x", None, "In Syrië sinds 2014.".into(), Dct::none());
        d.timexes.push(Timex {
            start: 15,
            end: 19,
            text: "2014".into(),
            kind: TimexType::Date,
            value: "2014".into(),
            modifier: None,
        });
        assert!(d.check_spans().is_ok());
        d.timexes[0].start = 14;
        assert!(d.check_spans().is_err());
    }
}
