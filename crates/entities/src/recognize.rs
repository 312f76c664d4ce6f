//! Running the shipped recognisers on raw text.

use std::ops::Range;
use std::sync::OnceLock;

use crate::model::{bilou_to_iob, NerModel};

static NL_BYTES: &[u8] = include_bytes!("../data/ner-nl.bin");
static EN_BYTES: &[u8] = include_bytes!("../data/ner-en.bin");

/// The shipped model for a language (`nl`, or `en` for everything else),
/// loaded on first use; `None` if it is missing or unreadable.
pub fn model_for(lang: &str) -> Option<&'static NerModel> {
    static NL: OnceLock<Option<NerModel>> = OnceLock::new();
    static EN: OnceLock<Option<NerModel>> = OnceLock::new();
    let (cell, bytes) = if lang == "nl" {
        (&NL, NL_BYTES)
    } else {
        (&EN, EN_BYTES)
    };
    cell.get_or_init(|| NerModel::from_bytes(bytes).ok())
        .as_ref()
}

/// A recognised entity: byte offsets into the text and a CoNLL label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: &'static str,
}

/// How a token is shown to the model: typographic quotes and dashes as
/// their ASCII forms (the training data uses those).
fn model_form(t: &str) -> &str {
    match t {
        "“" | "”" | "„" | "«" | "»" => "\"",
        "‘" | "’" | "‚" => "'",
        "–" | "—" => "-",
        _ => t,
    }
}

/// Recognises entities in `text` (`lang` picks the model). Sentences are
/// the given byte ranges, or found by `kroniek_text::sentences` when
/// `sentences` is `None`.
pub fn recognize(text: &str, lang: &str, sentences: Option<&[Range<usize>]>) -> Vec<Span> {
    let Some(model) = model_for(lang) else {
        return Vec::new();
    };
    recognize_with(model, text, lang, sentences)
}

pub(crate) fn recognize_with(
    model: &NerModel,
    text: &str,
    lang: &str,
    sentences: Option<&[Range<usize>]>,
) -> Vec<Span> {
    let owned;
    let sents: &[Range<usize>] = match sentences {
        Some(s) if !s.is_empty() => s,
        _ => {
            owned = kroniek_text::sentences(text, lang);
            &owned
        }
    };
    let tokens = kroniek_text::tokenize(text);
    // Bucket tokens by sentence (both sorted); tokens outside every
    // sentence form their own group.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut si = 0;
    let mut last_group: Option<usize> = None;
    for (ti, t) in tokens.iter().enumerate() {
        while si < sents.len() && sents[si].end <= t.start {
            si += 1;
        }
        let key = if si < sents.len() && sents[si].start <= t.start {
            si
        } else {
            usize::MAX
        };
        if last_group != Some(key) || groups.is_empty() {
            groups.push(Vec::new());
            last_group = Some(key);
        }
        if let Some(g) = groups.last_mut() {
            g.push(ti);
        }
    }
    // Overlong "sentences" (lists, tables) are cut to keep decoding cheap.
    let groups: Vec<Vec<usize>> = groups
        .into_iter()
        .flat_map(|g| g.chunks(200).map(<[usize]>::to_vec).collect::<Vec<_>>())
        .collect();
    let words: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| g.iter().map(|&i| model_form(tokens[i].text)).collect())
        .collect();
    let tagged = model.tag_doc(&words);
    let mut out = Vec::new();
    for (g, tags) in groups.iter().zip(tagged) {
        let iob = bilou_to_iob(&tags);
        for (s, e, ty) in crate::conll::chunks(&iob) {
            let label = match ty.as_str() {
                "PER" => "PER",
                "ORG" => "ORG",
                "LOC" => "LOC",
                _ => "MISC",
            };
            out.push(Span {
                start: tokens[g[s]].start,
                end: tokens[g[e - 1]].end,
                label,
            });
        }
    }
    out
}
