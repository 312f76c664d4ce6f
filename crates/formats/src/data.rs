//! Word lists kept in `data/`, parsed once on first use.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Non-empty lines of a data file that are not `#` comments, trimmed.
fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn word_set(src: &'static str) -> HashSet<String> {
    lines(src).map(str::to_lowercase).collect()
}

/// Class / id tokens marking boilerplate blocks.
pub static BOILERPLATE_WORDS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/boilerplate_words.txt")));

/// Class / id tokens marking the article text.
pub static KEEP_WORDS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/keep_words.txt")));

/// HTML elements dropped with their content.
pub static DROP_TAGS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/drop_tags.txt")));

/// One place an HTML page may state its publication date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSource {
    /// A `<meta>` tag with this (lowercase) property / name / itemprop.
    Meta(String),
    /// JSON-LD `datePublished`.
    JsonLd,
    /// `<time datetime>` in the article.
    Time,
}

/// Publication-date sources of HTML pages, most trusted first.
pub static DATE_SOURCES: LazyLock<Vec<DateSource>> = LazyLock::new(|| {
    lines(include_str!("../data/date_meta.txt"))
        .map(|l| match l {
            "@json-ld" => DateSource::JsonLd,
            "@time" => DateSource::Time,
            other => DateSource::Meta(other.to_lowercase()),
        })
        .collect()
});

/// How a PTB escape joins its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    /// Opening bracket or quote: joins the next token.
    Open,
    /// Closing bracket or quote: joins the previous token.
    Close,
    /// Stands alone.
    None,
    /// Replaced wherever it occurs, also inside a token.
    Inline,
}

/// Penn Treebank escapes: token, replacement, attachment.
pub static PTB_ESCAPES: LazyLock<Vec<(String, String, Attach)>> = LazyLock::new(|| {
    lines(include_str!("../data/ptb_escapes.txt"))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let token = cols.next()?.trim();
            let repl = cols.next()?.trim();
            let attach = match cols.next().map(str::trim) {
                Some("open") => Attach::Open,
                Some("close") => Attach::Close,
                Some("inline") => Attach::Inline,
                _ => Attach::None,
            };
            Some((token.to_string(), repl.to_string(), attach))
        })
        .collect()
});

/// Language names / three-letter codes mapped to two-letter codes.
pub static LANG_NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    lines(include_str!("../data/lang_names.txt"))
        .filter_map(|l| {
            let (name, code) = l.split_once('\t')?;
            Some((name.trim().to_lowercase(), code.trim().to_string()))
        })
        .collect()
});

/// Title / site-name separators, spaces included.
pub static TITLE_SEPARATORS: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/title_separators.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        assert!(BOILERPLATE_WORDS.contains("comments"));
        assert!(KEEP_WORDS.contains("article"));
        assert!(DROP_TAGS.contains("nav"));
        assert_eq!(
            DATE_SOURCES.first(),
            Some(&DateSource::Meta("article:published_time".into()))
        );
        assert!(DATE_SOURCES.contains(&DateSource::JsonLd));
        assert!(PTB_ESCAPES
            .iter()
            .any(|(t, r, a)| t == "-LRB-" && r == "(" && *a == Attach::Open));
        assert_eq!(LANG_NAMES.get("nld").map(String::as_str), Some("nl"));
        assert!(TITLE_SEPARATORS.iter().any(|s| s == " | "));
    }
}
