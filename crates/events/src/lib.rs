//! The events stage of Kroniek: per-document event mentions, quantitative
//! claims and quotes, for Dutch and English.
//!
//! [`annotate`] runs after the time and entity stages (it reads
//! `doc.sentences`, `doc.timexes` and `doc.entities`) and fills
//! `doc.events`, `doc.claims` and `doc.quotes`:
//!
//! * **events**: triggers from `data/<lang>/triggers.tsv` (inflections,
//!   compounds, separable Dutch verbs: "riep ... uit") typed by the ontology
//!   of `data/ONTOLOGY.md`; certainty from the cue words of
//!   `data/<lang>/cues.tsv` in the trigger's clause; the date from the
//!   nearest DATE timex in the clause (else the sentence), else the DCT
//!   unless the event lies in the future; participants (entity ids) and the
//!   place (a LOC mention after a locative preposition) from the clause.
//! * **claims**: numbers in digits or words, vague quantities and
//!   fractions ("duizenden", "de helft"), with modifiers ("meer dan"), what
//!   they count, the time they apply to and who states them.
//! * **quotes**: every quotation style of `data/quotes.tsv`, with the
//!   speaker from an attribution before or after the quote, resolved to an
//!   entity mention when the article allows it and never guessed: an
//!   ambiguous pronoun gives no speaker.
//!
//! Languages other than Dutch and English get quotes without speakers.
//!
//! ```
//! use kroniek_model::{Dct, Document};
//!
//! let mut doc = Document::new("t", None, "In 2014 riep IS een kalifaat uit.".into(),
//!     Dct::given("2024-07-01".parse().unwrap(), "test"));
//! doc.lang = "nl".into();
//! kroniek_text::annotate(&mut doc);
//! kroniek_events::annotate(&mut doc);
//! assert_eq!(doc.events[0].kind, "declaration");
//! assert_eq!(doc.events[0].text, "riep");
//! ```

mod attribution;
mod claims;
mod lexicon;
mod mentions;
mod prep;
mod quotes;

use kroniek_model::Document;

/// The event types of the ontology (`data/ONTOLOGY.md`) that the Dutch or
/// English lexicon uses, sorted.
pub fn event_types() -> Vec<String> {
    let mut v: Vec<String> = ["nl", "en"]
        .iter()
        .filter_map(|c| lexicon::lang(c))
        .flat_map(|l| l.triggers.iter().map(|t| t.kind.clone()))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Fills `doc.events`, `doc.claims` and `doc.quotes` (replacing what was
/// there). Runs the text stage first when the document has no sentences.
/// Never panics; spans satisfy [`Document::check_spans`].
pub fn annotate(doc: &mut Document) {
    if doc.sentences.is_empty() && !doc.text.is_empty() {
        kroniek_text::annotate(doc);
    }
    let code = kroniek_text::normalise_lang(&doc.lang);
    let lang = lexicon::lang(&code);
    let (events, claims, quotes) = {
        let prep = prep::Prep::new(doc, lang);
        match lang {
            Some(l) => {
                // Quotes first: they record the quoted spans that pronoun
                // resolution for claims must skip.
                let quotes = quotes::quotes(doc, &prep, Some(l));
                (
                    mentions::events(doc, &prep, l),
                    claims::claims(doc, &prep, l, &code),
                    quotes,
                )
            }
            None => (Vec::new(), Vec::new(), quotes::quotes(doc, &prep, None)),
        }
    };
    doc.events = events;
    doc.claims = claims;
    doc.quotes = quotes;
}

/// The certainty the cue words of its clause give to each span (code-point
/// offsets) of an annotated document, as [`annotate`] would give an event
/// triggered there; used to score the cues on gold event mentions.
/// Spans outside the text, and documents in other languages, get
/// [`Certainty::Certain`](kroniek_model::Certainty::Certain).
pub fn certainties(doc: &Document, spans: &[(usize, usize)]) -> Vec<kroniek_model::Certainty> {
    let code = kroniek_text::normalise_lang(&doc.lang);
    let Some(lang) = lexicon::lang(&code) else {
        return vec![kroniek_model::Certainty::Certain; spans.len()];
    };
    let prep = prep::Prep::new(doc, Some(lang));
    spans
        .iter()
        .map(|&(s, e)| {
            let a = prep.tok_at_or_after(s);
            let b = prep.tok_at_or_after(e).max(a + 1);
            if a >= prep.toks.len() {
                return kroniek_model::Certainty::Certain;
            }
            let (ca, cb) = prep.clause_of(a);
            mentions::certainty(&prep, lang, ca, cb, (a, b.min(cb)))
        })
        .collect()
}

/// Rewrites the entity ids in the events, claims and quotes of a document
/// after its mentions were relinked (e.g. by `kroniek_entities::Linker`,
/// which replaces the document-local `local:N` ids by corpus ids):
/// `before[i]` is the `entity` of `doc.entities[i]` when [`annotate`] ran.
pub fn remap_entities(doc: &mut Document, before: &[Option<String>]) {
    let mut map = std::collections::HashMap::new();
    for (old, m) in before.iter().zip(&doc.entities) {
        if let (Some(o), Some(n)) = (old, &m.entity) {
            map.insert(o.clone(), n.clone());
        }
    }
    let fix = |s: &mut String| {
        if let Some(n) = map.get(s.as_str()) {
            *s = n.clone();
        }
    };
    for e in &mut doc.events {
        e.participants.iter_mut().for_each(fix);
        e.participants.dedup();
    }
    for c in &mut doc.claims {
        c.source_entity.iter_mut().for_each(fix);
    }
    for q in &mut doc.quotes {
        q.speaker_entity.iter_mut().for_each(fix);
    }
}
