//! Text analysis for the full-text index: one analyser per language.
//!
//! Every analyser splits on non-alphanumeric characters (Unicode-aware),
//! drops absurdly long tokens, lower-cases and folds to ASCII ("Syrië" →
//! "syrie"). The Dutch and English ones then stem with the Snowball
//! stemmers of `rust-stemmers`; the Dutch one also applies the plural rules
//! of `data/nl_stem_rules.txt` so that singular and plural meet.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name of the Dutch analyser in the index's tokenizer manager.
pub(crate) const NL: &str = "kroniek_nl";
/// Name of the English analyser.
pub(crate) const EN: &str = "kroniek_en";
/// Name of the analyser for every other language (no stemming).
pub(crate) const OTHER: &str = "kroniek_other";

/// Tokens longer than this (in bytes) are dropped: they are never words.
const MAX_TOKEN_BYTES: usize = 60;

static NL_RULES_TEXT: &str = include_str!("../data/nl_stem_rules.txt");

static NL_RULES: LazyLock<StemRules> = LazyLock::new(|| StemRules::parse(NL_RULES_TEXT));

/// A fingerprint of everything that decides which terms the analysers
/// produce. It is part of the index format, so a change of the rules
/// triggers a rebuild of the index from SQLite.
pub(crate) fn analysis_fingerprint() -> String {
    // FNV-1a, 64 bit: stable across platforms and releases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in NL_RULES_TEXT.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Registers the three analysers under [`NL`], [`EN`] and [`OTHER`].
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(NL, analyzer(Some(Algorithm::Dutch), Some(&NL_RULES)));
    manager.register(EN, analyzer(Some(Algorithm::English), None));
    manager.register(OTHER, analyzer(None, None));
}

fn analyzer(algorithm: Option<Algorithm>, rules: Option<&'static StemRules>) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match algorithm {
        Some(algorithm) => base.filter(StemFilter { algorithm, rules }).build(),
        None => base.build(),
    }
}

/// Rewrite rules around a stemmer (see `data/nl_stem_rules.txt`).
#[derive(Debug, Default)]
pub(crate) struct StemRules {
    /// Whole words replaced before stemming.
    words: HashMap<String, String>,
    /// Word endings replaced before stemming, longest first.
    pre: Vec<(String, String)>,
    /// Stem endings replaced after stemming, longest first.
    post: Vec<(String, String)>,
}

impl StemRules {
    /// Parses the rules file; malformed lines are skipped with a warning
    /// (the file is compiled in, and a test checks that it is clean).
    pub(crate) fn parse(text: &str) -> Self {
        let mut rules = StemRules::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [kind, from, to] = fields[..] else {
                tracing::warn!(line = n + 1, "nl_stem_rules.txt: expected 3 fields");
                continue;
            };
            let to = if to == "-" { "" } else { to };
            let pair = (from.to_string(), to.to_string());
            match kind {
                "word" => {
                    rules.words.insert(pair.0, pair.1);
                }
                "pre" => rules.pre.push(pair),
                "post" => rules.post.push(pair),
                _ => tracing::warn!(line = n + 1, kind, "nl_stem_rules.txt: unknown rule kind"),
            }
        }
        for list in [&mut rules.pre, &mut rules.post] {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        rules
    }

    /// Number of rules of each kind (word, pre, post).
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        (self.words.len(), self.pre.len(), self.post.len())
    }

    fn before(&self, word: &str) -> Option<String> {
        if let Some(w) = self.words.get(word) {
            return Some(w.clone());
        }
        replace_ending(&self.pre, word)
    }

    fn after(&self, stem: &str) -> Option<String> {
        replace_ending(&self.post, stem)
    }
}

/// Applies the first (longest) matching ending rule, keeping at least two
/// characters in front of the ending.
fn replace_ending(rules: &[(String, String)], word: &str) -> Option<String> {
    rules.iter().find_map(|(from, to)| {
        let head = word.strip_suffix(from.as_str())?;
        (head.chars().count() >= 2).then(|| format!("{head}{to}"))
    })
}

/// The index term of one lower-cased, ASCII-folded word.
pub(crate) fn normalise(stemmer: &Stemmer, rules: Option<&StemRules>, word: &str) -> String {
    let before = rules.and_then(|r| r.before(word));
    let word = before.as_deref().unwrap_or(word);
    let stem = stemmer.stem(word);
    match rules.and_then(|r| r.after(&stem)) {
        Some(s) => s,
        None => stem.into_owned(),
    }
}

/// Stemming token filter: Snowball stemmer of `rust-stemmers` plus optional
/// rewrite rules.
#[derive(Clone)]
pub(crate) struct StemFilter {
    algorithm: Algorithm,
    rules: Option<&'static StemRules>,
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemTokenizer<T> {
        StemTokenizer {
            inner: tokenizer,
            algorithm: self.algorithm,
            rules: self.rules,
        }
    }
}

/// A tokenizer followed by [`StemFilter`].
#[derive(Clone)]
pub(crate) struct StemTokenizer<T> {
    inner: T,
    algorithm: Algorithm,
    rules: Option<&'static StemRules>,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::create(self.algorithm),
            rules: self.rules,
        }
    }
}

/// Token stream of [`StemTokenizer`].
pub(crate) struct StemTokenStream<S> {
    tail: S,
    stemmer: Stemmer,
    rules: Option<&'static StemRules>,
}

impl<S: TokenStream> TokenStream for StemTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let term = normalise(&self.stemmer, self.rules, &token.text);
        if term != token.text {
            token.text = term;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(name: &str, text: &str) -> Vec<String> {
        let manager = TokenizerManager::new();
        register(&manager);
        let mut analyzer = manager.get(name).expect("registered");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn rules_file_is_clean() {
        let (words, pre, post) = NL_RULES.counts();
        let lines = NL_RULES_TEXT
            .lines()
            .filter(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
            .count();
        assert_eq!(words + pre + post, lines, "every rule line parses");
        assert!(words > 5 && pre >= 3 && post >= 9);
    }

    #[test]
    fn dutch_singular_and_plural_meet() {
        let pairs = [
            ("aanslagen", "aanslag"),
            ("maatregelen", "maatregel"),
            ("verkiezingen", "verkiezing"),
            ("soldaten", "soldaat"),
            ("bommen", "bom"),
            ("aanvallen", "aanval"),
            ("mannen", "man"),
            ("brieven", "brief"),
            ("huizen", "huis"),
            ("steden", "stad"),
            ("kinderen", "kind"),
            ("mensen", "mens"),
            ("ideeën", "idee"),
            ("politici", "politicus"),
            ("kalifaten", "kalifaat"),
            ("strijders", "strijder"),
            ("Syriërs", "Syriër"),
        ];
        for (plural, singular) in pairs {
            assert_eq!(
                terms(NL, plural),
                terms(NL, singular),
                "{plural} / {singular}"
            );
        }
        assert_ne!(terms(NL, "aanslag"), terms(NL, "aanval"));
        assert_ne!(
            terms(NL, "stad"),
            terms(NL, "staat"),
            "d/t endings stay apart"
        );
    }

    #[test]
    fn folding_and_english_stemming() {
        assert_eq!(terms(NL, "Syrië"), terms(NL, "syrie"));
        assert_eq!(terms(EN, "Syrië"), terms(EN, "Syrie"));
        assert_eq!(terms(EN, "attacks"), terms(EN, "attack"));
        assert_eq!(terms(EN, "elections"), terms(EN, "election"));
        assert_eq!(terms(OTHER, "Élections Syrië"), vec!["elections", "syrie"]);
        assert_eq!(
            terms(NL, "Islamitische Staat (IS) riep in 2014"),
            vec!["islamitisch", "stat", "is", "riep", "in", "2014"]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "x".repeat(500);
        for text in [
            "",
            " \n\t",
            "—–-",
            "日本語のテキスト",
            long.as_str(),
            "ǅ ß İ ﬁ",
            "\u{0}",
        ] {
            for name in [NL, EN, OTHER] {
                let _ = terms(name, text);
            }
        }
        assert!(terms(NL, &long).is_empty(), "over-long tokens are dropped");
    }
}
