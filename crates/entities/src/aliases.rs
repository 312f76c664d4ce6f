//! Names that refer to one entity although they share no words: well-known
//! variants from `data/aliases.tsv` ("IS", "ISIS", "Daesh", "Islamitische
//! Staat") and aliases an article gives itself through the phrases of
//! `data/alias-patterns.txt` ("Al-Baghdadi, die zichzelf kalief Ibrahim
//! noemde").

use std::collections::HashMap;
use std::sync::OnceLock;

use kroniek_text::Token;

use crate::within::name_key;

const ALIASES: &str = include_str!("../data/aliases.tsv");
const PATTERNS: &str = include_str!("../data/alias-patterns.txt");

/// The entity a well-known variant name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAlias {
    /// The canonical name, as written in the data file.
    pub canonical: String,
    /// Its kind (PER, ORG, LOC, MISC).
    pub kind: String,
}

struct Table {
    by_key: HashMap<String, usize>,
    entries: Vec<KnownAlias>,
}

fn parse_table(text: &str) -> Table {
    let mut t = Table {
        by_key: HashMap::new(),
        entries: Vec::new(),
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(name), Some(kind)) = (f.next(), f.next()) else {
            continue;
        };
        let variants = f.next().unwrap_or("");
        let idx = t.entries.len();
        t.entries.push(KnownAlias {
            canonical: name.trim().to_string(),
            kind: kind.trim().to_string(),
        });
        for v in std::iter::once(name).chain(variants.split('|')) {
            let k = name_key(v);
            if !k.is_empty() {
                t.by_key.entry(k).or_insert(idx);
            }
        }
    }
    t
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| parse_table(ALIASES))
}

/// The well-known entity `name` is a variant of, if the alias data lists it.
pub fn known_alias(name: &str) -> Option<&'static KnownAlias> {
    let t = table();
    t.by_key.get(&name_key(name)).map(|&i| &t.entries[i])
}

/// The comparison key of a name with well-known variants replaced by their
/// canonical name's key ("ISIS" → "islamitische staat").
pub fn alias_key(name: &str) -> String {
    match known_alias(name) {
        Some(a) => name_key(&a.canonical),
        None => name_key(name),
    }
}

/// One alias phrase: the tokens before the alias and after it.
#[derive(Debug, Clone)]
struct Pattern {
    before: Vec<String>,
    after: Vec<String>,
}

fn parse_patterns(text: &str) -> Vec<Pattern> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let toks: Vec<&str> = l.split_whitespace().collect();
            let a = toks.iter().position(|t| *t == "{A}")?;
            let low = |s: &[&str]| s.iter().map(|t| t.to_lowercase()).collect::<Vec<_>>();
            Some(Pattern {
                before: low(&toks[..a]),
                after: low(&toks[a + 1..]),
            })
        })
        .filter(|p| !p.before.is_empty())
        .collect()
}

fn patterns() -> &'static [Pattern] {
    static P: OnceLock<Vec<Pattern>> = OnceLock::new();
    P.get_or_init(|| parse_patterns(PATTERNS))
}

/// The longest alias that may follow an alias phrase, in tokens.
const MAX_ALIAS_TOKENS: usize = 6;

/// Alias statements in a text: for every mention `(start, end)` (byte
/// offsets, sorted) followed by an alias phrase, the byte range of the
/// other name: the tokens up to the phrase's closing words, or (for a phrase
/// that ends at the alias) the run of capitalised words and name connectors.
/// A leading role noun ("kalief") is not part of the alias. Returns
/// `(mention index, alias start, alias end)`.
pub(crate) fn alias_statements(
    tokens: &[Token],
    mentions: &[(usize, usize)],
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    for (mi, &(_, end)) in mentions.iter().enumerate() {
        let Some(ti) = tokens.iter().position(|t| t.start >= end) else {
            continue;
        };
        for p in patterns() {
            let a0 = ti + p.before.len();
            if a0 >= tokens.len() || lower[ti..a0] != p.before[..] {
                continue;
            }
            let mut a = a0;
            // Skip a role noun before the name ("kalief Ibrahim").
            if a + 1 < tokens.len() && crate::within::is_role_text(tokens[a].text) {
                let next_cap = tokens[a + 1]
                    .text
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if next_cap {
                    a += 1;
                }
            }
            let b = if p.after.is_empty() {
                let mut b = a;
                while b < tokens.len() && b - a < MAX_ALIAS_TOKENS {
                    let w = tokens[b].text;
                    let cap = w.chars().next().is_some_and(char::is_uppercase)
                        || crate::within::is_particle_name(w);
                    let connector = b > a && crate::words::name_connectors().contains(w);
                    if !(cap || connector) {
                        break;
                    }
                    b += 1;
                }
                // No connector at the end.
                while b > a && crate::words::name_connectors().contains(tokens[b - 1].text) {
                    b -= 1;
                }
                b
            } else {
                let Some(len) = (a + 1..=(a + MAX_ALIAS_TOKENS).min(tokens.len()))
                    .find(|&b| lower.get(b..b + p.after.len()) == Some(&p.after[..]))
                else {
                    continue;
                };
                len
            };
            let starts_cap = tokens
                .get(a)
                .and_then(|t| t.text.chars().next())
                .is_some_and(char::is_uppercase);
            if b > a && starts_cap {
                out.push((mi, tokens[a].start, tokens[b - 1].end));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn islamic_state_variants_share_one_key() {
        let k = alias_key("Islamitische Staat");
        for v in [
            "IS",
            "ISIS",
            "ISIL",
            "Daesh",
            "Daesj",
            "Islamic State",
            "de Islamitische Staat",
        ] {
            assert_eq!(alias_key(v), k, "{v}");
        }
        assert_eq!(known_alias("Daesh").map(|a| a.kind.as_str()), Some("ORG"));
        assert_eq!(alias_key("Mosul"), "mosul");
        assert!(known_alias("Mosul").is_none());
    }

    #[test]
    fn table_parsing_skips_comments_and_keeps_first_owner() {
        let t = parse_table("# c\nAcme Corp\tORG\tAC|ACo\nBeta Corp\tORG\tAC|BC\nbroken line\n");
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.by_key["ac"], 0);
        assert_eq!(t.by_key["bc"], 1);
        assert_eq!(t.by_key["acme corp"], 0);
    }

    fn statements(text: &str, mention: &str) -> Vec<String> {
        let tokens = kroniek_text::tokenize(text);
        let s = text.find(mention).unwrap();
        alias_statements(&tokens, &[(s, s + mention.len())])
            .into_iter()
            .map(|(_, a, b)| text[a..b].to_string())
            .collect()
    }

    #[test]
    fn alias_phrases_give_the_other_name() {
        assert_eq!(
            statements(
                "Al-Baghdadi, die zichzelf kalief Ibrahim noemde, werd gedood.",
                "Al-Baghdadi"
            ),
            vec!["Ibrahim"]
        );
        assert_eq!(
            statements(
                "Ahmed al-Sharaa, beter bekend als Abu Mohammed al-Jolani, sprak.",
                "Ahmed al-Sharaa"
            ),
            vec!["Abu Mohammed al-Jolani"]
        );
        assert_eq!(
            statements(
                "Baghdadi, who called himself Caliph Ibrahim, died.",
                "Baghdadi"
            ),
            vec!["Ibrahim"]
        );
        assert_eq!(
            statements(
                "de IS-leider, die zich nu kalief Ibrahim noemt, claimt gezag.",
                "IS-leider"
            ),
            vec!["Ibrahim"]
        );
        // No phrase, or nothing capitalised at the alias: nothing.
        assert!(statements("Al-Baghdadi, die in Syrië woonde.", "Al-Baghdadi").is_empty());
        assert!(statements("Jan, alias de baas, kwam.", "Jan").is_empty());
    }
}
