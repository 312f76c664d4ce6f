//! The time stage's tokenizer: words, numbers (with date and clock shapes
//! such as `12-06-2014`, `01-Mar-08`, `14:14`, `12.00` kept whole) and single
//! punctuation characters, with byte offsets.
//!
//! It is deliberately small and self-contained so that the tagger's extents
//! do not depend on another stage's tokenisation choices.

/// What a token looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters (may contain digits after the first letter).
    Word,
    /// Starts with a digit, or an apostrophe and a digit (`'90s`).
    Number,
    /// One character that is neither letter nor digit.
    Punct,
}

/// One token: byte offsets into the text and the lowercased form.
#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub kind: Kind,
    /// Whether the token starts with an uppercase letter.
    pub upper: bool,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | ':' | ',')
}

/// Whether `a-b` (digits) is a range of days ("6-7") or years ("1861-1863",
/// "1947-54", "499-493" BC): two ends that are not far apart. "555-1234"
/// and "2014-06" stay one token.
fn is_range(a: &str, b: &str) -> bool {
    if !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
        return false;
    }
    if (1..=2).contains(&a.len()) && (1..=2).contains(&b.len()) {
        return true;
    }
    let (Ok(x), Ok(y)) = (a.parse::<i32>(), b.parse::<i32>()) else {
        return false;
    };
    match (a.len(), b.len()) {
        (4, 2 | 4) => second_year(x, b).is_some(),
        // years before Christ count down ("499-493 BC")
        (3, 3) => (1..=100).contains(&(x - y).abs()),
        _ => false,
    }
}

/// The year the second end of a year range names ("54" in "1947-54" is
/// 1954, "1863" in "1861-1863"), when it lies 1 to 100 years after
/// `first`; two digits are in `first`'s century.
pub(crate) fn second_year(first: i32, b: &str) -> Option<i32> {
    let n: i32 = b.parse().ok()?;
    let y = match b.len() {
        2 => first - first.rem_euclid(100) + n,
        4 => n,
        _ => return None,
    };
    (1..=100).contains(&(y - first)).then_some(y)
}

/// Splits `text` into tokens. Linear in the input.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut it = text.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
            continue;
        }
        let apostrophe_year = (c == '\'' || c == '\u{2019}')
            && text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_digit())
            && out.last().is_none_or(|t: &Token| t.end < i);
        if c.is_alphanumeric() || apostrophe_year {
            let start = i;
            it.next();
            let mut end = i + c.len_utf8();
            // The alphanumeric run.
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphanumeric() {
                    it.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            let first_digit = c.is_ascii_digit() || apostrophe_year;
            if first_digit {
                // Extend over joiner + run while the shape stays numeric.
                loop {
                    let rest = &text[end..];
                    let mut chars = rest.chars();
                    let Some(j) = chars.next() else { break };
                    if !is_joiner(j) {
                        break;
                    }
                    let after = &rest[j.len_utf8()..];
                    let run_len: usize = after
                        .char_indices()
                        .find(|(_, ch)| !ch.is_alphanumeric())
                        .map(|(k, _)| k)
                        .unwrap_or(after.len());
                    if run_len == 0 {
                        break;
                    }
                    let run = &after[..run_len];
                    let all_digits = run.bytes().all(|b| b.is_ascii_digit());
                    // `01-Mar-08`: a short alphabetic month between two joiners.
                    let month_mid = run.len() == 3
                        && run.chars().all(|ch| ch.is_ascii_alphabetic())
                        && after[run_len..].starts_with(j)
                        && after[run_len + 1..]
                            .bytes()
                            .next()
                            .is_some_and(|b| b.is_ascii_digit());
                    // A comma joins only digit groups right after digits (1,5 / 1,000).
                    if j == ',' && !(all_digits && bytes[end - 1].is_ascii_digit()) {
                        break;
                    }
                    // Letters glued on after the last group (`03:00hrs`,
                    // `1.5hrs`, `7.30am`): the number only.
                    let digit_prefix = run.bytes().take_while(u8::is_ascii_digit).count();
                    if !all_digits
                        && digit_prefix > 0
                        && run[digit_prefix..].chars().all(char::is_alphabetic)
                    {
                        end += 1 + digit_prefix;
                        break;
                    }
                    // `a.m.`-like trailing dots are not joined.
                    if all_digits || month_mid {
                        end += j.len_utf8() + run_len;
                    } else {
                        break;
                    }
                }
                // Resync the char iterator.
                while let Some(&(j, _)) = it.peek() {
                    if j < end {
                        it.next();
                    } else {
                        break;
                    }
                }
            }
            let s = &text[start..end];
            // A day range ("6-7 april", "10-12 October") is two numbers and
            // a dash, so each end can be a date of its own.
            if let Some((a, b)) = s.split_once('-').filter(|(a, b)| is_range(a, b)) {
                let dash = start + a.len();
                for (st, en, form, kind) in [
                    (start, dash, a, Kind::Number),
                    (dash, dash + 1, "-", Kind::Punct),
                    (dash + 1, end, b, Kind::Number),
                ] {
                    out.push(Token {
                        start: st,
                        end: en,
                        lower: form.to_string(),
                        kind,
                        upper: false,
                    });
                }
                continue;
            }
            out.push(Token {
                start,
                end,
                lower: s.to_lowercase(),
                kind: if first_digit {
                    Kind::Number
                } else {
                    Kind::Word
                },
                upper: c.is_uppercase(),
            });
        } else {
            it.next();
            let end = i + c.len_utf8();
            let lower = match c {
                '\u{2019}' | '\u{2018}' | '`' => "'".to_string(),
                '\u{2013}' | '\u{2014}' => "-".to_string(),
                _ => c.to_string(),
            };
            out.push(Token {
                start: i,
                end,
                lower,
                kind: Kind::Punct,
                upper: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(t: &str) -> Vec<String> {
        tokenize(t).into_iter().map(|t| t.lower).collect()
    }

    #[test]
    fn keeps_date_and_clock_shapes_whole() {
        assert_eq!(
            forms("01-Mar-08 om 14:14."),
            ["01-mar-08", "om", "14:14", "."]
        );
        assert_eq!(
            forms("op 12-06-2014, 12.00 uur"),
            ["op", "12-06-2014", ",", "12.00", "uur"]
        );
        assert_eq!(forms("a 10-day trip"), ["a", "10", "-", "day", "trip"]);
        assert_eq!(forms("mid-1990s"), ["mid", "-", "1990s"]);
        assert_eq!(forms("the '90s"), ["the", "'90s"]);
        assert_eq!(forms("Syrië’s"), ["syrië", "'", "s"]);
        assert_eq!(forms("6-7 april"), ["6", "-", "7", "april"]);
        assert_eq!(forms("1939-1945"), ["1939", "-", "1945"]);
        assert_eq!(forms("1947-54"), ["1947", "-", "54"]);
        assert_eq!(forms("555-1234 2014-06"), ["555-1234", "2014-06"]);
        assert_eq!(forms("03:00hrs"), ["03:00", "hrs"]);
        assert_eq!(forms("1.5hrs"), ["1.5", "hrs"]);
    }

    #[test]
    fn offsets_are_bytes() {
        let t = tokenize("ë 2014");
        assert_eq!((t[1].start, t[1].end), (3, 7));
    }
}
