//! Numbers written in digits or in words.

use std::borrow::Cow;

use crate::data::{self, LangData, NumKind, NumWord};
use crate::token::{tokenize, Token, TokenKind};

/// The numeric value of a number expression in Dutch or English: digits
/// ("1.000", "2,5", "1,000", "3.5"), words ("tien", "eenentwintig",
/// "honderdvijftig", "drieduizend", "twee miljoen", "een half",
/// "anderhalf", "twenty-one", "a dozen", "two and a half million") or both
/// ("2,5 miljoen", "1.5 million").
///
/// The whole expression must be one number: "een paar", "honderden",
/// "12-06-2014" and "14:14" give `None`. An article alone ("een", "a") is
/// no number; "één" and "one" are.
///
/// Digits: with `lang` "nl" a comma is the decimal mark and a period
/// groups thousands ("1.000" = 1000, "2,5" = 2.5; "3.5", with no group of
/// three digits, is read as 3.5); with "en" the other way round ("1,000" =
/// 1000, "3.5" = 3.5, "2,5" = 2.5). With another language a single
/// separator before exactly three digits groups thousands, otherwise it is
/// the decimal mark; with both, the last one is the decimal mark. Words:
/// `lang`'s `numbers.tsv`, or those of all languages for a language
/// without one.
pub fn parse_number(expr: &str, lang: &str) -> Option<f64> {
    let tokens = tokenize(expr);
    match number_at(&tokens, 0, lang) {
        Some((v, n)) if n == tokens.len() => Some(v),
        _ => None,
    }
}

/// The longest number expression starting at token `i`: its value and the
/// number of tokens it takes. A digit token may only start an expression
/// ("2,5 miljoen"); number words may follow each other ("twee miljoen",
/// "twenty one", "een half", "one hundred and five").
pub fn number_at(tokens: &[Token<'_>], i: usize, lang: &str) -> Option<(f64, usize)> {
    let data = data::lang(lang);
    let mut acc = Acc::new();
    let mut best = None;
    for (n, tok) in tokens.iter().enumerate().skip(i) {
        let mut next = acc;
        let ok = match tok.kind {
            TokenKind::Number => numeral(tok.text, lang, data).is_some_and(|v| {
                next.push(
                    NumWord {
                        value: v,
                        kind: NumKind::Unit,
                    },
                    Item::Numeral,
                )
            }),
            TokenKind::Word => push_word(&mut next, tok.text, data),
            _ => false,
        };
        if !ok {
            break;
        }
        acc = next;
        if let Some(v) = acc.value() {
            best = Some((v, n + 1 - i));
        }
    }
    best
}

/// Pushes the parts of a number word ("eenentwintig", "twenty-one").
fn push_word(acc: &mut Acc, word: &str, data: &LangData) -> bool {
    let Some(first) = word.chars().next() else {
        return false;
    };
    if !first
        .to_lowercase()
        .all(|c| data.number_initials.contains(&c))
    {
        return false;
    }
    if word.len() > 64 {
        return false;
    }
    let lower: Cow<'_, str> = if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    };
    let mut budget = 512u32;
    for (k, part) in lower.split(['-', '\u{2011}']).enumerate() {
        if part.is_empty() || !segment(acc, part, k > 0, data, &mut budget) {
            return false;
        }
    }
    true
}

/// Splits `word` into number words from `data`, pushing them on `acc`;
/// tries longer words first and backtracks. `inner`: the word continues a
/// word already started (a compound).
fn segment(acc: &mut Acc, word: &str, inner: bool, data: &LangData, budget: &mut u32) -> bool {
    if word.is_empty() {
        return true;
    }
    let max = data.longest_number.min(word.len());
    for len in (1..=max).rev() {
        if !word.is_char_boundary(len) {
            continue;
        }
        let Some(&w) = data.numbers.get(&word[..len]) else {
            continue;
        };
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let mut next = *acc;
        if !next.push(w, if inner { Item::Inner } else { Item::Word }) {
            continue;
        }
        let rest = &word[len..];
        if rest.is_empty() {
            // A compound must not end in the middle ("duizend|en"); a single
            // word may ("en", "een" before "half").
            if !inner || next.complete_word() {
                *acc = next;
                return true;
            }
            continue;
        }
        if segment(&mut next, rest, true, data, budget) {
            *acc = next;
            return true;
        }
    }
    false
}

/// The value of a digit token: "1.000", "2,5", "½", "2½".
fn numeral(text: &str, lang: &str, data: &LangData) -> Option<f64> {
    if let Some(v) = digits(text, lang) {
        return Some(v);
    }
    // Digits followed by a fraction character: "2½".
    let split = text.bytes().take_while(u8::is_ascii_digit).count();
    let (int, frac) = text.split_at(split);
    let f = data.numbers.get(frac)?;
    if !matches!(f.kind, NumKind::Fraction | NumKind::Unit) || f.value >= 1.0 {
        return None;
    }
    let int = if int.is_empty() {
        0.0
    } else {
        int.parse::<f64>().ok()?
    };
    Some(int + f.value)
}

/// Digits with thousands separators and a decimal mark.
fn digits(text: &str, lang: &str) -> Option<f64> {
    let b = text.as_bytes();
    if b.is_empty()
        || !b
            .iter()
            .all(|&c| c.is_ascii_digit() || c == b'.' || c == b',')
        || !b[0].is_ascii_digit()
        || !b[b.len() - 1].is_ascii_digit()
    {
        return None;
    }
    let dots = b.iter().filter(|&&c| c == b'.').count();
    let commas = b.iter().filter(|&&c| c == b',').count();
    let (group, decimal) = match (dots, commas) {
        (0, 0) => return text.parse().ok(),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let grouped = groups_of_three(text, sep);
            if dots + commas > 1 {
                // Several of one separator: only thousands groups make sense.
                if !grouped {
                    return None;
                }
                (Some(sep), None)
            } else {
                let decimal_mark = match lang {
                    "nl" => Some(','),
                    "en" => Some('.'),
                    _ => None,
                };
                if decimal_mark == Some(sep) || !grouped {
                    (None, Some(sep))
                } else {
                    (Some(sep), None)
                }
            }
        }
        _ => {
            let last_dot = text.rfind('.')?;
            let last_comma = text.rfind(',')?;
            let (g, d) = if last_dot > last_comma {
                (',', '.')
            } else {
                ('.', ',')
            };
            if text.matches(d).count() > 1 {
                return None;
            }
            let int_part = &text[..text.find(d)?];
            if !groups_of_three(int_part, g) {
                return None;
            }
            (Some(g), Some(d))
        }
    };
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if Some(c) == group {
            continue;
        }
        s.push(if Some(c) == decimal { '.' } else { c });
    }
    s.parse().ok()
}

/// "1.000.000": a first group of 1–3 digits, then groups of exactly three.
fn groups_of_three(text: &str, sep: char) -> bool {
    let mut parts = text.split(sep);
    let first = parts.next().unwrap_or("");
    (1..=3).contains(&first.len()) && parts.all(|p| p.len() == 3)
}

/// How an item reached the accumulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// A word token (or the first part of one).
    Word,
    /// A later part of a compound word ("honderd|een").
    Inner,
    /// A digit token.
    Numeral,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    Unit,
    Ten,
    Times,
    Scale,
    Fraction,
    Numeral,
    /// An article standing for 1 ("een|entwintig", "a hundred").
    Article,
    /// An article that needs a fraction after it ("and a half").
    ArticleAfterAnd,
    /// An article that needs a scale after it ("half a million").
    ArticleAfterFraction,
    And,
}

/// The running value of a number expression.
#[derive(Debug, Clone, Copy)]
struct Acc {
    /// Sum of the closed groups ("drie miljoen").
    total: f64,
    /// The open group.
    current: f64,
    /// Whether the open group has a value.
    group: bool,
    /// Value of the last unit (for "driekwart": a fraction multiplies it).
    small: f64,
    last: Last,
    before_and: Last,
    /// The last scale, to keep scales decreasing.
    scale: f64,
    items: u32,
}

impl Acc {
    fn new() -> Self {
        Acc {
            total: 0.0,
            current: 0.0,
            group: false,
            small: 0.0,
            last: Last::Start,
            before_and: Last::Start,
            scale: f64::INFINITY,
            items: 0,
        }
    }

    /// The value, if the expression is complete.
    fn value(&self) -> Option<f64> {
        let complete = match self.last {
            Last::Start | Last::And | Last::ArticleAfterAnd | Last::ArticleAfterFraction => false,
            Last::Article => self.items > 1,
            _ => true,
        };
        complete.then_some(self.total + self.current)
    }

    /// A word token must not end in the middle ("duizend|en", "twee|ën").
    fn complete_word(&self) -> bool {
        !matches!(
            self.last,
            Last::And | Last::ArticleAfterAnd | Last::ArticleAfterFraction
        )
    }

    /// Adds a word; false when it cannot continue the expression.
    fn push(&mut self, w: NumWord, how: Item) -> bool {
        use Last::*;
        let v = w.value;
        let after_big_and = self.last == And && matches!(self.before_and, Times | Scale);
        let unit_like_before = matches!(self.last, Unit | Article | Numeral);
        let ok = match (how, w.kind) {
            (Item::Numeral, _) => {
                if self.last != Start {
                    return false;
                }
                self.current = v;
                self.small = v;
                self.group = true;
                self.last = Numeral;
                true
            }
            (_, NumKind::Unit) => {
                let ok = matches!(self.last, Start | Times | Scale)
                    || after_big_and
                    || (self.last == Ten && is_digit_value(v));
                if ok {
                    self.current += v;
                    self.small = v;
                    self.group = true;
                    self.last = Unit;
                }
                ok
            }
            (_, NumKind::Article) => match self.last {
                Start => {
                    self.current = 1.0;
                    self.small = 1.0;
                    self.group = true;
                    self.last = Article;
                    true
                }
                Times | Scale if how == Item::Inner => {
                    self.current += 1.0;
                    self.small = 1.0;
                    self.group = true;
                    self.last = Article;
                    true
                }
                And => {
                    self.current += 1.0;
                    self.small = 1.0;
                    self.last = ArticleAfterAnd;
                    true
                }
                Fraction => {
                    self.last = ArticleAfterFraction;
                    true
                }
                _ => false,
            },
            (_, NumKind::Ten) => {
                let ok = matches!(self.last, Start | Times | Scale)
                    || after_big_and
                    || (self.last == And
                        && matches!(self.before_and, Unit | Article)
                        && is_digit_value(self.small));
                if ok {
                    self.current += v;
                    self.small = v;
                    self.group = true;
                    self.last = Ten;
                }
                ok
            }
            (_, NumKind::Times) => {
                let ok = matches!(self.last, Start | Unit | Article | Ten | Numeral)
                    && self.current < 100.0;
                if ok {
                    let base = if self.group { self.current } else { 1.0 };
                    self.current = base * v;
                    self.group = true;
                    self.small = 0.0;
                    self.last = Times;
                }
                ok
            }
            (_, NumKind::Scale) => {
                let ok = matches!(
                    self.last,
                    Start
                        | Unit
                        | Article
                        | Ten
                        | Times
                        | Numeral
                        | Fraction
                        | ArticleAfterFraction
                ) && v < self.scale;
                if ok {
                    let base = if self.group { self.current } else { 1.0 };
                    self.total += base * v;
                    self.current = 0.0;
                    self.group = false;
                    self.small = 0.0;
                    self.scale = v;
                    self.last = Scale;
                }
                ok
            }
            (_, NumKind::Fraction) => {
                match self.last {
                    Start => self.current = v,
                    Unit | Article | Numeral | ArticleAfterAnd => {
                        self.current += self.small * v - self.small;
                    }
                    And => self.current += v,
                    _ => return false,
                }
                self.group = true;
                self.small = 0.0;
                self.last = Fraction;
                true
            }
            (_, NumKind::And) => {
                let ok = unit_like_before || matches!(self.last, Ten | Times | Scale);
                if ok {
                    self.before_and = self.last;
                    self.last = And;
                }
                ok
            }
        };
        if ok {
            self.items += 1;
        }
        ok
    }
}

/// 1–9: a unit that may follow a ten ("twenty one") or precede "en" and a
/// ten ("eenentwintig").
fn is_digit_value(v: f64) -> bool {
    (1.0..10.0).contains(&v) && v.fract() == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nl(s: &str) -> Option<f64> {
        parse_number(s, "nl")
    }

    fn en(s: &str) -> Option<f64> {
        parse_number(s, "en")
    }

    #[test]
    fn dutch_words() {
        assert_eq!(nl("tien"), Some(10.0));
        assert_eq!(nl("twintig"), Some(20.0));
        assert_eq!(nl("eenentwintig"), Some(21.0));
        assert_eq!(nl("tweeëntwintig"), Some(22.0));
        assert_eq!(nl("Achtentachtig"), Some(88.0));
        assert_eq!(nl("achttien"), Some(18.0));
        assert_eq!(nl("honderdvijftig"), Some(150.0));
        assert_eq!(nl("honderdeen"), Some(101.0));
        assert_eq!(nl("tweehonderdeenentwintig"), Some(221.0));
        assert_eq!(nl("drieduizend"), Some(3000.0));
        assert_eq!(nl("negentienhonderdvierentachtig"), Some(1984.0));
        assert_eq!(nl("tweeduizendvijftien"), Some(2015.0));
        assert_eq!(nl("tweehonderdduizend"), Some(200_000.0));
        assert_eq!(nl("twee miljoen"), Some(2e6));
        assert_eq!(nl("drie miljoen vijfhonderdduizend"), Some(3.5e6));
        assert_eq!(nl("één"), Some(1.0));
        assert_eq!(nl("nul"), Some(0.0));
    }

    #[test]
    fn dutch_fractions_and_dozens() {
        assert_eq!(nl("een half"), Some(0.5));
        assert_eq!(nl("half"), Some(0.5));
        assert_eq!(nl("anderhalf"), Some(1.5));
        assert_eq!(nl("anderhalf miljoen"), Some(1.5e6));
        assert_eq!(nl("tweeënhalf"), Some(2.5));
        assert_eq!(nl("twee en een half"), Some(2.5));
        assert_eq!(nl("driekwart"), Some(0.75));
        assert_eq!(nl("een half miljoen"), Some(0.5e6));
        assert_eq!(nl("een dozijn"), Some(12.0));
        assert_eq!(nl("twee dozijn"), Some(24.0));
    }

    #[test]
    fn dutch_non_numbers() {
        for s in [
            "een paar",
            "een",
            "honderden",
            "duizenden",
            "tientallen",
            "tweede",
            "achter",
            "tienen",
            "en",
            "",
            "twee drie",
            "14:14",
            "12-06-2014",
        ] {
            assert_eq!(nl(s), None, "{s:?}");
        }
    }

    #[test]
    fn english_words() {
        assert_eq!(en("twenty-one"), Some(21.0));
        assert_eq!(en("twenty one"), Some(21.0));
        assert_eq!(en("a dozen"), Some(12.0));
        assert_eq!(en("two dozen"), Some(24.0));
        assert_eq!(en("one hundred and five"), Some(105.0));
        assert_eq!(en("three thousand two hundred"), Some(3200.0));
        assert_eq!(en("a million"), Some(1e6));
        assert_eq!(en("half a million"), Some(0.5e6));
        assert_eq!(en("one and a half"), Some(1.5));
        assert_eq!(en("two and a half million"), Some(2.5e6));
        assert_eq!(en("three quarters"), Some(0.75));
        assert_eq!(en("Nineteen"), Some(19.0));
        for s in [
            "a",
            "a few",
            "dozens",
            "hundreds",
            "nineteen eighty",
            "one two",
            "and",
        ] {
            assert_eq!(en(s), None, "{s:?}");
        }
    }

    #[test]
    fn digits_by_language() {
        assert_eq!(nl("1.000"), Some(1000.0));
        assert_eq!(nl("2,5"), Some(2.5));
        assert_eq!(nl("1.000.000"), Some(1e6));
        assert_eq!(nl("1.234,5"), Some(1234.5));
        assert_eq!(nl("3.5"), Some(3.5));
        assert_eq!(en("1,000"), Some(1000.0));
        assert_eq!(en("3.5"), Some(3.5));
        assert_eq!(en("1,234.5"), Some(1234.5));
        assert_eq!(en("2,5"), Some(2.5));
        assert_eq!(en("1.000"), Some(1.0));
        assert_eq!(parse_number("1.000", "de"), Some(1000.0));
        assert_eq!(parse_number("2,5", "und"), Some(2.5));
        assert_eq!(nl("1.2.3"), None);
        assert_eq!(nl("12.06.2014"), None);
        assert_eq!(nl("2½"), Some(2.5));
        assert_eq!(nl("½"), Some(0.5));
    }

    #[test]
    fn digits_with_words() {
        assert_eq!(nl("2,5 miljoen"), Some(2.5e6));
        assert_eq!(en("1.5 million"), Some(1.5e6));
        assert_eq!(nl("3 duizend"), Some(3000.0));
        assert_eq!(nl("2 en een half"), Some(2.5));
        assert_eq!(nl("2 3"), None);
    }

    #[test]
    fn other_languages_try_all() {
        assert_eq!(parse_number("twintig", "und"), Some(20.0));
        assert_eq!(parse_number("twenty", "fr"), Some(20.0));
        assert_eq!(parse_number("twenty", "nl"), None);
    }

    #[test]
    fn number_at_takes_the_longest() {
        let toks = tokenize("Er vielen twee miljoen doden en een half jaar later drieduizend.");
        assert_eq!(number_at(&toks, 0, "nl"), None);
        assert_eq!(number_at(&toks, 2, "nl"), Some((2e6, 2)));
        assert_eq!(number_at(&toks, 5, "nl"), None, "“en” alone is no number");
        assert_eq!(number_at(&toks, 6, "nl"), Some((0.5, 2)));
        assert_eq!(number_at(&toks, 10, "nl"), Some((3000.0, 1)));
        assert_eq!(number_at(&toks, 11, "nl"), None);
        assert_eq!(number_at(&toks, 99, "nl"), None);
        let toks = tokenize("twenty one people and a dog");
        assert_eq!(number_at(&toks, 0, "en"), Some((21.0, 2)));
        assert_eq!(number_at(&toks, 3, "en"), None);
        let toks = tokenize("om 14:14 uur, 1.000 man");
        assert_eq!(number_at(&toks, 1, "nl"), None);
        assert_eq!(number_at(&toks, 4, "nl"), Some((1000.0, 1)));
    }
}
