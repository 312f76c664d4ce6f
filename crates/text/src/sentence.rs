//! Sentence splitting.

use std::ops::Range;

use crate::data::{self, Abbreviations};
use crate::token::char_at;

/// Splits a text into sentences: byte ranges in order, trimmed of
/// whitespace, together covering every non-space character.
///
/// A sentence ends
/// * after `.`, `!`, `?`, `…` or "..." (with any closing quotes and brackets
///   right after them, as in `zei hij.” Daarna`) followed by whitespace,
///   unless the next word starts with a lower-case letter; after a period
///   also not when the word before it is an abbreviation of the language
///   (`data/<lang>/abbreviations.txt`; those marked `final` end a sentence
///   before a capitalised word), an initial ("A. B. Jansen", "J.F.
///   Kennedy") or a list number at the start of a line ("1. Inleiding");
///   an ellipsis in brackets ("[...]") never ends one;
/// * after `。`, `！`, `？` even without whitespace;
/// * at a blank line (a paragraph break), whatever precedes it;
/// * at a line break before a line that does not start with a lower-case
///   letter (so headlines and lines without final punctuation are
///   sentences of their own). In a hard-wrapped text (many lines end in
///   the middle of a sentence) a line break ends a sentence only after a
///   short line without final punctuation.
///
/// A period inside a token ("3.5", "1.000", "nos.nl") never ends a sentence.
/// `lang` chooses the abbreviations; a language without data files uses
/// those of all languages.
pub fn sentences(text: &str, lang: &str) -> Vec<Range<usize>> {
    let abbreviations = &data::lang(lang).abbreviations;
    let layout = Layout::of(text);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            if let Some(s) = start {
                if layout.line_break_ends_sentence(text, line_start, i) {
                    out.push(s..last_end);
                    start = None;
                }
            }
            i += 1;
            line_start = i;
            continue;
        }
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
            continue;
        }
        let c = char_at(text, i);
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        let s = *start.get_or_insert(i);
        if is_terminator(c) {
            let (end, kind) = terminator_run(text, i);
            last_end = end;
            if ends_sentence(text, abbreviations, s, line_start, i, end, kind) {
                out.push(s..end);
                start = None;
            }
            i = end;
            continue;
        }
        i += cl;
        last_end = i;
    }
    if let Some(s) = start {
        out.push(s..last_end);
    }
    out
}

#[inline]
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽' | '。' | '！' | '？')
}

/// Closing quotes and brackets that stay with the sentence before them.
#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」' | '』' | '）'
    )
}

/// Opening quotes and brackets.
#[inline]
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '„' | '‚' | '«' | '‹' | '「' | '『' | '（'
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// A single period.
    Period,
    /// "..." or "…".
    Ellipsis,
    /// Contains `!` or `?`.
    Strong,
    /// A CJK full stop, which needs no space after it.
    Cjk,
}

/// The end of the run of terminators and closers starting at `i`, and what
/// kind of terminator it is.
fn terminator_run(text: &str, i: usize) -> (usize, Term) {
    let mut end = i;
    let (mut dots, mut strong, mut cjk) = (0, false, false);
    while end < text.len() {
        let c = char_at(text, end);
        match c {
            '.' => dots += 1,
            '…' => dots += 3,
            '!' | '?' | '‽' => strong = true,
            '。' | '！' | '？' => cjk = true,
            c if is_closer(c) => {}
            _ => break,
        }
        end += c.len_utf8();
    }
    let kind = if cjk {
        Term::Cjk
    } else if strong {
        Term::Strong
    } else if dots >= 2 {
        Term::Ellipsis
    } else {
        Term::Period
    };
    (end, kind)
}

/// Whether the terminator run `t0..end` ends the sentence that starts at
/// `s`.
fn ends_sentence(
    text: &str,
    abbreviations: &Abbreviations,
    s: usize,
    line_start: usize,
    t0: usize,
    end: usize,
    kind: Term,
) -> bool {
    if end >= text.len() {
        return true;
    }
    if !char_at(text, end).is_whitespace() {
        return kind == Term::Cjk;
    }
    let rest = &text[end..];
    let mut next = rest.chars().filter(|c| !c.is_whitespace());
    let Some(n1) = next.next() else {
        return true;
    };
    if n1.is_lowercase() {
        return false;
    }
    let upper_next =
        n1.is_uppercase() || (is_opener(n1) && next.next().is_some_and(char::is_uppercase));
    match kind {
        Term::Strong | Term::Cjk => true,
        Term::Ellipsis => !matches!(char_before(text, t0), Some('[' | '(')),
        Term::Period => period_ends(text, abbreviations, s, line_start, t0, upper_next),
    }
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Whether the single period at `t0` ends a sentence (the next word does
/// not start in lower case).
fn period_ends(
    text: &str,
    abbreviations: &Abbreviations,
    s: usize,
    line_start: usize,
    t0: usize,
    upper_next: bool,
) -> bool {
    const LOOK_BACK: usize = 48;
    // The word before the period, back to whitespace, without opening quotes.
    let floor = s.max(t0.saturating_sub(LOOK_BACK));
    let mut w0 = t0;
    for (j, c) in text[..t0].char_indices().rev() {
        if c.is_whitespace() {
            break;
        }
        if j < floor {
            return true; // a long word: no abbreviation
        }
        w0 = j;
    }
    let at_line_start = text[line_start.min(w0)..w0].trim().is_empty();
    let word = text[w0..t0].trim_start_matches(is_opener);
    if word.is_empty() {
        return true;
    }
    if let Some(may_end) = abbreviations.lookup(&text[t0 - word.len()..=t0]) {
        return may_end && upper_next;
    }
    // Initials: "A." and "J.F.".
    let mut parts = word.split('.');
    if parts.all(|p| {
        let mut cs = p.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    }) {
        return false;
    }
    // A list number at the start of a line: "1. Inleiding".
    if at_line_start && word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    true
}

/// How the lines of a text are laid out.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Lines often end in the middle of a sentence.
    wrapped: bool,
    /// Length in bytes of the longest line.
    longest: usize,
}

impl Layout {
    fn of(text: &str) -> Self {
        let mut longest = 0;
        let (mut breaks, mut soft) = (0usize, 0usize);
        // Last char of the previous non-blank line, if it was directly above.
        let mut prev_last: Option<char> = None;
        for line in text.split('\n') {
            let t = line.trim();
            longest = longest.max(t.len());
            let Some(first) = t.chars().next() else {
                prev_last = None;
                continue;
            };
            if let Some(last) = prev_last {
                breaks += 1;
                if !is_terminator(last) && !is_closer(last) && first.is_lowercase() {
                    soft += 1;
                }
            }
            prev_last = t.chars().next_back();
        }
        Layout {
            wrapped: soft > 0 && soft * 4 >= breaks,
            longest,
        }
    }

    /// Whether the line break at `nl` (the line started at `line_start`)
    /// ends the current sentence.
    fn line_break_ends_sentence(&self, text: &str, line_start: usize, nl: usize) -> bool {
        let rest = text[nl + 1..].trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
        match rest.chars().next() {
            None | Some('\n') => return true, // a blank line or the end
            Some(c) if c.is_lowercase() => return false,
            Some(_) => {}
        }
        if !self.wrapped {
            return true;
        }
        let line = text[line_start..nl].trim();
        let ends_clause = line
            .chars()
            .next_back()
            .is_some_and(|c| is_terminator(c) || is_closer(c));
        !ends_clause && line.len() * 10 < self.longest * 7
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
        sentences(text, lang)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn dutch_basics() {
        assert_eq!(
            split("Islamitische Staat riep in 2014 een kalifaat uit. De groep verloor in 2019 haar laatste gebied in Syrië.", "nl"),
            [
                "Islamitische Staat riep in 2014 een kalifaat uit.",
                "De groep verloor in 2019 haar laatste gebied in Syrië."
            ]
        );
        assert_eq!(
            split("Waarom? Niemand weet het! Toch gaat het door.", "nl"),
            ["Waarom?", "Niemand weet het!", "Toch gaat het door."]
        );
    }

    #[test]
    fn dutch_abbreviations_and_numbers() {
        assert_eq!(
            split("Volgens dhr. Jansen kostte het ca. 1.000 euro, o.a. voor hout. Dat is 3.5 keer zo veel. Prof. A. B. de Vries zwijgt.", "nl"),
            [
                "Volgens dhr. Jansen kostte het ca. 1.000 euro, o.a. voor hout.",
                "Dat is 3.5 keer zo veel.",
                "Prof. A. B. de Vries zwijgt."
            ]
        );
        assert_eq!(
            split("Het gebeurde op 3 jan. 2014 in Mosul. Er vielen doden, gewonden enz. Daarna werd het stil.", "nl"),
            [
                "Het gebeurde op 3 jan. 2014 in Mosul.",
                "Er vielen doden, gewonden enz.",
                "Daarna werd het stil."
            ]
        );
    }

    #[test]
    fn quotes_after_the_period() {
        assert_eq!(
            split(
                "“Wij gaan door,” zei hij. “Niemand houdt ons tegen.” Daarna vertrok hij.",
                "nl"
            ),
            [
                "“Wij gaan door,” zei hij.",
                "“Niemand houdt ons tegen.”",
                "Daarna vertrok hij."
            ]
        );
        assert_eq!(
            split("'Kom je?' vroeg ze. \"Ja.\" Hij kwam.", "nl"),
            ["'Kom je?' vroeg ze.", "\"Ja.\"", "Hij kwam."]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            split("Hij wachtte... en wachtte. Toen kwam ze… Eindelijk.", "nl"),
            ["Hij wachtte... en wachtte.", "Toen kwam ze…", "Eindelijk."]
        );
        assert_eq!(
            split("Hij zei: „Ik [...] Ja.”", "nl"),
            ["Hij zei: „Ik [...] Ja.”"]
        );
    }

    #[test]
    fn headlines_and_paragraphs() {
        assert_eq!(
            split("IS-leider gedood\nDe leider van IS is dood, meldt de VS\n\nHet leger bevestigt dat", "nl"),
            ["IS-leider gedood", "De leider van IS is dood, meldt de VS", "Het leger bevestigt dat"]
        );
        assert_eq!(split("\n\n  Eén zin  \n\n", "nl"), ["Eén zin"]);
    }

    #[test]
    fn hard_wrapped_text_joins_lines() {
        let text = "De leider van Islamitische Staat is volgens de Verenigde Staten\n\
                    gedood bij een aanval in het noorden van Syrië, meldden\n\
                    functionarissen gisteren. Het Pentagon wilde niet reageren\n\
                    op de berichten.\n\n\
                    Tweede alinea\n\
                    De groep riep in 2014 een kalifaat uit in grote delen van Irak.";
        assert_eq!(
            split(text, "nl"),
            [
                "De leider van Islamitische Staat is volgens de Verenigde Staten\ngedood bij een aanval in het noorden van Syrië, meldden\nfunctionarissen gisteren.",
                "Het Pentagon wilde niet reageren\nop de berichten.",
                "Tweede alinea",
                "De groep riep in 2014 een kalifaat uit in grote delen van Irak."
            ]
        );
    }

    #[test]
    fn english() {
        assert_eq!(
            split("Mr. Smith met Gen. Jones in the U.S. on Jan. 5. They talked. Apple Inc. The company declined.", "en"),
            ["Mr. Smith met Gen. Jones in the U.S. on Jan. 5.", "They talked.", "Apple Inc.", "The company declined."]
        );
        assert_eq!(
            split(
                "J.F. Kennedy was shot at 12:30 p.m. in Dallas. It was 1963.",
                "en"
            ),
            [
                "J.F. Kennedy was shot at 12:30 p.m. in Dallas.",
                "It was 1963."
            ]
        );
    }

    #[test]
    fn list_numbers_and_odd_input() {
        assert_eq!(
            split("1. Inleiding\n2. Methode", "nl"),
            ["1. Inleiding", "2. Methode"]
        );
        assert_eq!(split("", "nl"), Vec::<&str>::new());
        assert_eq!(split(" . ! ", "nl"), [".", "!"]);
        assert_eq!(split("geen punt", "xx"), ["geen punt"]);
        assert_eq!(split("他来了。她走了。", "zh"), ["他来了。", "她走了。"]);
    }
}
