//! Tokenisation: words, numbers, punctuation and symbols with byte offsets.

use crate::data;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits, hyphens, apostrophes and inner periods:
    /// "IS-leider", "al-Baghdadi", "d'Ancona", "auto's", "'s", "o.a.",
    /// "U.S.", "21st", "F-16", "COVID-19", "nos.nl".
    Word,
    /// Digits with their separators: "2014", "1.000", "2,5", "1,000,000",
    /// a time "14:14", a date "12-06-2014", "2014-06-12", "12/06/2014",
    /// "12.06.2014" or "01-Mar-08", a fraction "1/2", "½".
    Number,
    /// Punctuation: `.` (a run such as "..." is one token), `,`, `;`, `:`,
    /// `!`/`?` (runs are one token), quotes, brackets, hyphens and dashes, `/`, `…`.
    Punct,
    /// Anything else: `%`, `€`, `$`, `+`, `=`, `&`, `#`, `@`, `°`, emoji, ...
    Symbol,
}

/// A token: a slice of the input and its byte offsets (`text ==
/// &input[start..end]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Splits a text into tokens, in order; whitespace is dropped.
///
/// Rules (language-independent):
/// * A word or number is a run of letters, digits and combining marks,
///   joined by inner characters that are followed by another letter or
///   digit: a hyphen always ("IS-leider", "twenty-one", "12-jarige"); an
///   apostrophe before a letter ("d'Ancona", "auto's", "don't"); `.`
///   between digits ("1.000", "3.5"), before a lower-case letter
///   ("nos.nl") or after/before a single letter ("U.S", "v.Chr"); `,`, `:`
///   and `/` between digits ("2,5", "14:14", "12/06/2014"); `&` between
///   capitals ("AT&T").
/// * A final period belongs to the word when the word with it is a known
///   abbreviation (any language's `abbreviations.txt`), a run of single
///   letters with periods ("U.S.", "m.b.t.") or a single capital (an initial
///   "A.").
/// * A leading apostrophe belongs to the word for the words listed in
///   `clitics.txt` ("'s avonds", "'t", "'s-Hertogenbosch").
/// * A run of only digits (and other numeric characters) with the number
///   separators above is a [`TokenKind::Number`]. Hyphenated digit groups
///   are one number only as a date of three groups ("12-06-2014",
///   "2014-06-12"); otherwise ("2014-2015", "1-0") they are separate
///   numbers with a hyphen between. "01-Mar-08" (1–2 digits, 3–4 letters, 2
///   or 4 digits) is a date number too. Anything with other letters is a
///   [`TokenKind::Word`] ("21st", "5km", "MH17").
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let data = data::all();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = char_at(text, i);
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        if is_word_char(c) {
            i = scan_word(text, i, i, data, &mut out);
            continue;
        }
        if is_apostrophe(c) && clitic_at(text, i + cl, data) {
            i = scan_word(text, i, i + cl, data, &mut out);
            continue;
        }
        let mut end = i + cl;
        match c {
            '.' => end += count_while(&bytes[end..], |b| b == b'.'),
            '!' | '?' => end += count_while(&bytes[end..], |b| b == b'!' || b == b'?'),
            '-' => end += count_while(&bytes[end..], |b| b == b'-'),
            _ => {}
        }
        let kind = if is_punct(c) {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        out.push(token(text, i, end, kind));
        i = end;
    }
    out
}

fn token(text: &str, start: usize, end: usize, kind: TokenKind) -> Token<'_> {
    Token {
        text: &text[start..end],
        start,
        end,
        kind,
    }
}

fn count_while(bytes: &[u8], f: impl Fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|&&b| f(b)).count()
}

/// The char starting at byte `i` (which must be a char boundary inside `text`).
#[inline]
pub(crate) fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().unwrap_or('\u{FFFD}')
    }
}

/// Letters, digits, other numeric characters and combining marks.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_mark(c)
    }
}

/// Combining marks and joiners that continue a word (not exhaustive: the
/// common blocks).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Punctuation (as opposed to symbols).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(c,
        '!' | '"' | '\'' | '(' | ')' | ',' | '-' | '.' | '/' | ':' | ';' | '?' | '[' | ']'
        | '{' | '}' | '_' | '\\'
        | '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{2043}'
        | '\u{2045}'..='\u{2051}'
        | '\u{2053}'..='\u{205E}'
        | '\u{2E00}'..='\u{2E4F}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF1F}')
}

/// Whether the letters at byte `i` (just after an apostrophe) form a clitic
/// that takes the apostrophe ("'s", "'t").
fn clitic_at(text: &str, i: usize, data: &data::LangData) -> bool {
    if i >= text.len() || data.clitics.is_empty() {
        return false;
    }
    let rest = &text[i..];
    let len = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(j, _)| j);
    if len == 0 || len > 12 {
        return false;
    }
    let word = &rest[..len];
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        data.clitics.contains(word)
    } else {
        data.clitics.contains(&word.to_lowercase())
    }
}

/// What a segment (a run of word characters) is made of.
#[derive(Debug, Clone, Copy, Default)]
struct Seg {
    end: usize,
    chars: usize,
    /// Only ASCII digits.
    digits: bool,
    /// Only numeric characters (digits, "½", ...).
    numeric: bool,
    /// Only letters (and marks).
    letters: bool,
    first_upper: bool,
    last: char,
}

fn scan_seg(text: &str, start: usize) -> Seg {
    let mut s = Seg {
        end: start,
        digits: true,
        numeric: true,
        letters: true,
        ..Seg::default()
    };
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        let c = if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            b as char
        } else {
            let c = char_at(text, i);
            if !is_word_char(c) {
                break;
            }
            c
        };
        if s.chars == 0 {
            s.first_upper = c.is_uppercase();
        }
        s.chars += 1;
        if !c.is_ascii_digit() {
            s.digits = false;
        }
        if !c.is_numeric() {
            s.numeric = false;
        }
        if c.is_numeric() {
            s.letters = false;
        }
        s.last = c;
        i += c.len_utf8();
    }
    s.end = i;
    s
}

/// Whether joiner `j` joins the segment `left` to a segment starting with
/// `r`; `after_r` is the char after `r`.
fn joins(j: char, left: &Seg, r: char, after_r: Option<char>) -> bool {
    match j {
        '-' | '\u{2011}' => true,
        '\'' | '\u{2019}' => r.is_alphabetic(),
        '.' => {
            if left.digits {
                r.is_ascii_digit()
            } else if left.letters && r.is_alphabetic() {
                r.is_lowercase() || left.chars == 1 || after_r == Some('.')
            } else {
                false
            }
        }
        ',' | ':' | '/' => left.digits && r.is_ascii_digit(),
        '&' => left.last.is_uppercase() && r.is_uppercase(),
        _ => false,
    }
}

/// Scans a word or number starting at `start` (its first segment starts at
/// `run`: after a clitic's apostrophe) and pushes its token(s). Returns the
/// end.
fn scan_word<'a>(
    text: &'a str,
    start: usize,
    run: usize,
    data: &data::LangData,
    out: &mut Vec<Token<'a>>,
) -> usize {
    const KEEP: usize = 4;
    let mut segs = [Seg::default(); KEEP];
    let mut nsegs = 0usize;
    let mut all_numeric = true;
    let mut all_single_letters = true;
    let mut hyphens = 0usize;
    let mut other_joiners = false;
    let mut pos = run;
    loop {
        let seg = scan_seg(text, pos);
        if nsegs < KEEP {
            segs[nsegs] = seg;
        }
        nsegs += 1;
        all_numeric &= seg.numeric;
        all_single_letters &= seg.letters && seg.chars == 1;
        pos = seg.end;
        if pos >= text.len() {
            break;
        }
        let j = char_at(text, pos);
        if !matches!(
            j,
            '-' | '\u{2011}' | '\'' | '\u{2019}' | '.' | ',' | ':' | '/' | '&'
        ) {
            break;
        }
        let after = pos + j.len_utf8();
        if after >= text.len() {
            break;
        }
        let r = char_at(text, after);
        if !is_word_char(r) {
            break;
        }
        let after_r = text[after + r.len_utf8()..].chars().next();
        if !joins(j, &seg, r, after_r) {
            break;
        }
        if j == '-' || j == '\u{2011}' {
            hyphens += 1;
        } else if j != '.' {
            other_joiners = true;
        }
        if j != '.' {
            all_single_letters = false;
        }
        pos = after;
    }
    let mut end = pos;

    if all_numeric {
        if hyphens > 0 && hyphens != 2 {
            split_at_hyphens(text, start, end, out);
            return end;
        }
        out.push(token(text, start, end, TokenKind::Number));
        return end;
    }
    if nsegs == 3 && hyphens == 2 && !other_joiners && is_word_date(&segs) {
        out.push(token(text, start, end, TokenKind::Number));
        return end;
    }

    // A final period that belongs to the word.
    let bytes = text.as_bytes();
    if end < bytes.len() && bytes[end] == b'.' && bytes.get(end + 1) != Some(&b'.') && start == run
    {
        let initial = nsegs == 1 && segs[0].chars == 1 && segs[0].letters && segs[0].first_upper;
        let dotted = nsegs >= 2 && all_single_letters;
        if initial || dotted || data.abbreviations.lookup(&text[start..end + 1]).is_some() {
            end += 1;
        }
    }
    out.push(token(text, start, end, TokenKind::Word));
    end
}

/// "01-Mar-08": 1–2 digits, 3–4 letters, 2 or 4 digits.
fn is_word_date(segs: &[Seg]) -> bool {
    let [d, m, y] = [segs[0], segs[1], segs[2]];
    d.digits
        && (1..=2).contains(&d.chars)
        && m.letters
        && (3..=4).contains(&m.chars)
        && y.digits
        && (y.chars == 2 || y.chars == 4)
}

/// Pushes numbers separated by hyphens ("2014-2015") as separate tokens.
fn split_at_hyphens<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<Token<'a>>) {
    let mut s = start;
    for (i, c) in text[start..end].char_indices() {
        if c == '-' || c == '\u{2011}' {
            let i = start + i;
            out.push(token(text, s, i, TokenKind::Number));
            out.push(token(text, i, i + c.len_utf8(), TokenKind::Punct));
            s = i + c.len_utf8();
        }
    }
    out.push(token(text, s, end, TokenKind::Number));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    fn kinds(s: &str) -> Vec<(&str, TokenKind)> {
        tokenize(s).into_iter().map(|t| (t.text, t.kind)).collect()
    }

    use TokenKind::*;

    #[test]
    fn dutch_words() {
        assert_eq!(
            texts("IS-leider al-Baghdadi is 's avonds in 's-Hertogenbosch gezien."),
            [
                "IS-leider",
                "al-Baghdadi",
                "is",
                "'s",
                "avonds",
                "in",
                "'s-Hertogenbosch",
                "gezien",
                "."
            ]
        );
        assert_eq!(
            texts("de auto's van d'Ancona"),
            ["de", "auto's", "van", "d'Ancona"]
        );
        assert_eq!(texts("’t huis"), ["’t", "huis"]);
        assert_eq!(
            texts("Oost- en West-Duitsland"),
            ["Oost", "-", "en", "West-Duitsland"]
        );
    }

    #[test]
    fn english_words() {
        assert_eq!(
            texts("Mr. Smith didn't go to the U.S. on Jan. 5."),
            ["Mr.", "Smith", "didn't", "go", "to", "the", "U.S.", "on", "Jan.", "5", "."]
        );
        assert_eq!(texts("AT&T and R&D"), ["AT&T", "and", "R&D"]);
        assert_eq!(texts("twenty-one"), ["twenty-one"]);
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            texts("o.a. bijv. m.b.t. dhr. A. B. Jansen v.Chr. huis."),
            ["o.a.", "bijv.", "m.b.t.", "dhr.", "A.", "B.", "Jansen", "v.Chr.", "huis", "."]
        );
        assert_eq!(texts("zei hij..."), ["zei", "hij", "..."]);
    }

    #[test]
    fn numbers_dates_and_times() {
        assert_eq!(
            kinds("1.000 2,5 1,000,000 3.5 14:14 12-06-2014 2014-06-12 12/06/2014 01-Mar-08"),
            [
                ("1.000", Number),
                ("2,5", Number),
                ("1,000,000", Number),
                ("3.5", Number),
                ("14:14", Number),
                ("12-06-2014", Number),
                ("2014-06-12", Number),
                ("12/06/2014", Number),
                ("01-Mar-08", Number),
            ]
        );
        assert_eq!(
            kinds("2014-2015"),
            [("2014", Number), ("-", Punct), ("2015", Number)]
        );
        assert_eq!(
            kinds("in 2014. De"),
            [("in", Word), ("2014", Number), (".", Punct), ("De", Word)]
        );
        assert_eq!(
            kinds("21st 12-jarige F-16"),
            [("21st", Word), ("12-jarige", Word), ("F-16", Word)]
        );
        assert_eq!(kinds("1-op-1"), [("1-op-1", Word)]);
    }

    #[test]
    fn punctuation_and_symbols() {
        assert_eq!(
            kinds("“Nee!?” – 10% (€5)"),
            [
                ("“", Punct),
                ("Nee", Word),
                ("!?", Punct),
                ("”", Punct),
                ("–", Punct),
                ("10", Number),
                ("%", Symbol),
                ("(", Punct),
                ("€", Symbol),
                ("5", Number),
                (")", Punct),
            ]
        );
    }

    #[test]
    fn offsets_are_bytes() {
        let s = "Syrië: 1.000 doden";
        for t in tokenize(s) {
            assert_eq!(&s[t.start..t.end], t.text);
        }
        assert_eq!(tokenize(s)[0].end, "Syrië".len());
        let decomposed = "Syrie\u{0308} x";
        assert_eq!(texts(decomposed), ["Syrie\u{0308}", "x"]);
    }

    #[test]
    fn no_joining_across_sentences() {
        assert_eq!(texts("zei hij.Daarna"), ["zei", "hij", ".", "Daarna"]);
        assert_eq!(texts("nos.nl"), ["nos.nl"]);
        assert_eq!(texts("'Hallo' zei ze"), ["'", "Hallo", "'", "zei", "ze"]);
    }
}
