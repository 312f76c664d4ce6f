//! The text stage of Kroniek: language, sentences, tokens, Dutch and
//! English number words, and MinHash signatures for near-duplicates.
//!
//! Offsets are byte offsets into the `&str` given (what Rust slices use);
//! [`annotate`] converts sentence spans to the code-point offsets of the
//! document model.
//!
//! Language knowledge (abbreviations, number words, function words, ...)
//! lives in data files under `crates/text/data/`, one folder per language;
//! see `data/README.md`.
//!
//! ```
//! use kroniek_text::{detect_language, number_at, parse_number, sentences, tokenize, TokenKind};
//!
//! let text = "Volgens dhr. Jansen vielen er ca. 1.000 doden. “Het is erg,” zei hij. Daarna niets.";
//! assert_eq!(detect_language(text), "nl");
//! let spans: Vec<&str> = sentences(text, "nl").into_iter().map(|r| &text[r]).collect();
//! assert_eq!(spans, ["Volgens dhr. Jansen vielen er ca. 1.000 doden.", "“Het is erg,” zei hij.", "Daarna niets."]);
//!
//! let tokens = tokenize("Op 12-06-2014 om 14:14 vielen twee miljoen stemmen.");
//! assert_eq!(tokens[1].text, "12-06-2014");
//! assert_eq!(tokens[1].kind, TokenKind::Number);
//! assert_eq!(number_at(&tokens, 5, "nl"), Some((2e6, 2)));
//! assert_eq!(parse_number("eenentwintig", "nl"), Some(21.0));
//! assert_eq!(parse_number("two and a half million", "en"), Some(2.5e6));
//! ```

mod data;
mod lang;
pub mod minhash;
mod number;
mod sentence;
mod token;

pub use lang::{closest_of, detect_language, normalise_lang};
pub use number::{number_at, parse_number};
pub use sentence::sentences;
pub use token::{tokenize, Token, TokenKind};

use kroniek_model::{CharIndex, Document, Sentence};

/// Runs the text stage on a document.
///
/// * `doc.lang` is normalised ([`normalise_lang`]: "nl-NL" → "nl"); when it
///   is then "und" (or was empty), it is detected from the title and the
///   text ([`detect_language`]).
/// * `doc.sentences` is recomputed from `doc.text` ([`sentences`]) in
///   code-point offsets.
pub fn annotate(doc: &mut Document) {
    let mut lang = normalise_lang(&doc.lang);
    if lang == "und" {
        lang = match doc.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => {
                detect_language(&format!("{title}\n{}", prefix(&doc.text, 16 * 1024)))
            }
            _ => detect_language(&doc.text),
        };
    }
    doc.lang = lang;
    let idx = CharIndex::new(&doc.text);
    doc.sentences = sentences(&doc.text, &doc.lang)
        .into_iter()
        .map(|r| Sentence {
            start: idx.to_char(r.start),
            end: idx.to_char(r.end),
        })
        .collect();
}

/// The longest prefix of `text` of at most `max` bytes, on a char boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::Dct;

    #[test]
    fn annotate_fills_language_and_sentences() {
        let mut doc = Document::new(
            "t.txt",
            Some("IS-leider gedood".into()),
            "De leider van Islamitische Staat is gedood in Syrië. Dat meldt het Pentagon.\n\nDe groep riep in 2014 een kalifaat uit.".into(),
            Dct::none(),
        );
        annotate(&mut doc);
        assert_eq!(doc.lang, "nl");
        assert_eq!(doc.sentences.len(), 3);
        doc.check_spans().unwrap();
        assert_eq!(
            doc.slice(doc.sentences[0].start, doc.sentences[0].end),
            "De leider van Islamitische Staat is gedood in Syrië."
        );
        assert_eq!(
            doc.slice(doc.sentences[1].start, doc.sentences[1].end),
            "Dat meldt het Pentagon."
        );
        // code points, not bytes: "ë" is two bytes
        assert_eq!(doc.sentences[1].start, 53);
    }

    #[test]
    fn annotate_keeps_a_given_language() {
        let mut doc = Document::new("t", None, "Dit is Nederlands.".into(), Dct::none());
        doc.lang = "en-GB".into();
        annotate(&mut doc);
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.sentences, [Sentence { start: 0, end: 18 }]);
        let mut doc = Document::new("t", None, "".into(), Dct::none());
        doc.lang = String::new();
        annotate(&mut doc);
        assert_eq!(doc.lang, "und");
        assert!(doc.sentences.is_empty());
    }
}
