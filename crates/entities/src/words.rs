//! Small word lists the entity stage uses, read from `data/*.txt` (one
//! word per line, `#` comments) so that they can be extended without
//! touching Rust code.

use std::collections::HashSet;
use std::sync::OnceLock;

fn parse(text: &'static str) -> HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Lowercase words that may join capitalised words into one name.
pub(crate) fn name_connectors() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| parse(include_str!("../data/name-connectors.txt")))
}

/// Name particles ignored when comparing surnames.
pub(crate) fn name_particles() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| parse(include_str!("../data/name-particles.txt")))
}

/// Articles dropped from the start of a name.
pub(crate) fn articles() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| parse(include_str!("../data/articles.txt")))
}

/// Particles joined to a name by a hyphen ("al-Baghdadi").
pub(crate) fn hyphen_particles() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| parse(include_str!("../data/hyphen-particles.txt")))
}

/// The words of one kind (`det`, `of`) from `data/apposition.txt`.
pub(crate) fn apposition(kind: &str) -> HashSet<&'static str> {
    static S: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    S.get_or_init(|| {
        parse(include_str!("../data/apposition.txt"))
            .into_iter()
            .filter_map(|l| l.split_once(char::is_whitespace))
            .map(|(k, w)| (k, w.trim()))
            .collect()
    })
    .iter()
    .filter(|(k, _)| *k == kind)
    .map(|(_, w)| *w)
    .collect()
}
