//! Kroniek's time stage: finds temporal expressions in Dutch and English
//! news text, gives each a TimeML TIMEX3 type and value resolved against
//! the document creation time (DCT), and estimates the DCT of undated
//! articles.
//!
//! The language knowledge lives in data files (`data/{nl,en}/`, format in
//! `data/README.md`): a lexicon, a grammar of small composable rules and
//! tense cues. The Rust code is a generic rule engine ([`engine`]), the
//! meanings the rules build ([`sem`]) and one resolver ([`resolve`]).

pub mod corpus;
pub mod dct;
pub mod engine;
pub mod grammar;
pub mod resolve;
pub mod sem;
pub mod token;

use kroniek_model::{CharIndex, Dct, Document, PartialDate, Timex};

pub use corpus::{DatedDoc, Dater};
pub use dct::{date_mentions, DateMention};

/// Finds and normalises the temporal expressions of `text` (offsets in
/// Unicode code points). `lang` is an ISO 639-1 code; languages without
/// data fall back to English. Relative expressions are resolved against
/// `dct`; without one they get `X`-filled values.
pub fn tag(text: &str, lang: &str, dct: Option<PartialDate>) -> Vec<Timex> {
    let l = grammar::lang(lang);
    let idx = CharIndex::new(text);
    engine::run(text, l, dct)
        .into_iter()
        .filter_map(|t| {
            Some(Timex {
                start: idx.to_char(t.start),
                end: idx.to_char(t.end),
                text: text.get(t.start..t.end)?.to_string(),
                kind: t.kind,
                value: t.value,
                modifier: t.modifier,
            })
        })
        .collect()
}

/// Estimates the DCT of an undated text from the dates it mentions and
/// the tense around them. `None` when the text gives no evidence.
pub fn infer_dct(text: &str, lang: &str) -> Option<Dct> {
    let l = grammar::lang(lang);
    dct::estimate(text, &dct::date_mentions(text, l))
}

/// Fills `doc.timexes`. When the document has no DCT, infers one first
/// (origin `Inferred`, with range and evidence) and resolves against it.
pub fn annotate(doc: &mut Document) {
    let lang = match doc.lang.as_str() {
        "nl" | "en" => doc.lang.clone(),
        _ => guess_lang(&doc.text).to_string(),
    };
    if doc.dct.value.is_none() {
        if let Some(d) = infer_dct(&doc.text, &lang) {
            doc.dct = d;
        }
    }
    doc.timexes = tag(&doc.text, &lang, doc.dct.value);
}

/// The language whose rules to use for a text whose language is not one
/// the time stage has data for: the closer of Dutch and English by the
/// text stage's function words, English when neither occurs.
pub fn guess_lang(text: &str) -> &'static str {
    match kroniek_text::closest_of(text, &["nl", "en"]).as_deref() {
        Some("nl") => "nl",
        _ => "en",
    }
}
