//! Word lists from `data/` and the lexical features built from them:
//! content-word stems of a stretch of text.

use std::collections::HashSet;
use std::sync::LazyLock;

use kroniek_text::{tokenize, TokenKind};
use rust_stemmers::{Algorithm, Stemmer};

/// The data files of one language.
struct Lang {
    stopwords: HashSet<String>,
    /// Hedge words and phrases (each a sequence of lower-case words).
    hedges: Vec<Vec<String>>,
    stemmer: Option<Stemmer>,
}

fn entries(file: &str) -> impl Iterator<Item = String> + '_ {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
}

fn load(stop: &str, hedges: &str, alg: Option<Algorithm>) -> Lang {
    Lang {
        stopwords: entries(stop).collect(),
        hedges: entries(hedges)
            .map(|h| h.split_whitespace().map(str::to_string).collect())
            .collect(),
        stemmer: alg.map(Stemmer::create),
    }
}

static NL: LazyLock<Lang> = LazyLock::new(|| {
    load(
        include_str!("../data/nl/stopwords.txt"),
        include_str!("../data/nl/hedges.txt"),
        Some(Algorithm::Dutch),
    )
});
static EN: LazyLock<Lang> = LazyLock::new(|| {
    load(
        include_str!("../data/en/stopwords.txt"),
        include_str!("../data/en/hedges.txt"),
        Some(Algorithm::English),
    )
});
/// Other languages: the Dutch and English stop words together, no stemming.
static OTHER: LazyLock<Lang> = LazyLock::new(|| {
    let mut l = load(
        include_str!("../data/nl/stopwords.txt"),
        include_str!("../data/nl/hedges.txt"),
        None,
    );
    l.stopwords.extend(EN.stopwords.iter().cloned());
    l
});

fn lang(code: &str) -> &'static Lang {
    match code {
        "nl" => &NL,
        "en" => &EN,
        _ => &OTHER,
    }
}

/// Lower-cased content words of `text` in the language `lang`, stemmed,
/// without stop words, punctuation and one-letter words; numbers are kept
/// as written. Characters inside `skip` (byte ranges of `text`, e.g. the
/// temporal expressions) are left out.
pub fn content_stems(text: &str, lang_code: &str, skip: &[(usize, usize)]) -> Vec<String> {
    let l = lang(lang_code);
    let mut out = Vec::new();
    for t in tokenize(text) {
        if skip.iter().any(|&(s, e)| t.start < e && t.end > s) {
            continue;
        }
        match t.kind {
            TokenKind::Number => out.push(t.text.to_string()),
            TokenKind::Word => {
                // Acronyms ("IS", "VN", "SDF") are names: kept as written.
                let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
                if letters >= 2 && t.text.chars().all(|c| !c.is_lowercase()) {
                    out.push(t.text.to_string());
                    continue;
                }
                let w = t.text.to_lowercase().replace('’', "'");
                if w.chars().count() < 2 || l.stopwords.contains(&w) {
                    continue;
                }
                let w = w
                    .strip_suffix("'s")
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&w)
                    .to_string();
                out.push(match &l.stemmer {
                    Some(s) => s.stem(&w).into_owned(),
                    None => w,
                });
            }
            _ => {}
        }
    }
    out
}

/// Whether `text` contains one of the hedge words or phrases of `lang`.
pub fn hedged(text: &str, lang_code: &str) -> bool {
    let l = lang(lang_code);
    let words: Vec<String> = tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text.to_lowercase())
        .collect();
    l.hedges.iter().any(|h| {
        !h.is_empty()
            && words
                .windows(h.len())
                .any(|w| w.iter().zip(h).all(|(a, b)| a == b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_drop_stopwords_and_skipped_spans() {
        let text = "In 2014 riep IS een kalifaat uit in Irak en Syrië.";
        let skip = [(3, 7)];
        let s = content_stems(text, "nl", &skip);
        assert!(!s.contains(&"2014".to_string()), "{s:?}");
        assert!(s.contains(&"kalifat".to_string()) || s.contains(&"kalifaat".to_string()));
        assert!(!s.iter().any(|w| w == "een" || w == "in"), "{s:?}");
        let en = content_stems(
            "The caliphate was declared by Islamic State's leader.",
            "en",
            &[],
        );
        assert!(en.contains(&"declar".to_string()), "{en:?}");
        assert!(en.contains(&"state".to_string()), "{en:?}");
    }

    #[test]
    fn hedges_match_words_and_phrases() {
        assert!(hedged("Hij zou naar verluidt zijn gedood.", "nl"));
        assert!(hedged("He was reportedly killed.", "en"));
        assert!(!hedged("Hij is gedood.", "nl"));
    }
}
