//! Direct quotes in any of the quotation styles of `data/quotes.tsv`, with
//! their speakers.

use kroniek_model::{Document, Quote};
use kroniek_text::TokenKind;

use crate::attribution::{speaker_of_cue, Attr};
use crate::lexicon::{quote_pairs, Lang};
use crate::prep::Prep;

/// The most code points a quote may span.
const MAX_QUOTE: usize = 3000;
/// The fewest words a quote has (fewer: a scare quote, "de 'kalief'").
const MIN_WORDS: usize = 3;

fn starts_with(chars: &[char], i: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// Marks that are also apostrophes or inch marks.
fn ambiguous(mark: &str) -> bool {
    matches!(mark, "'" | "\"" | "‘" | "’" | "``" | "''")
}

fn opener_ok(chars: &[char], i: usize, mark: &str) -> bool {
    let len = mark.chars().count();
    let Some(&next) = chars.get(i + len) else {
        return false;
    };
    // PTB-style marks of tokenised text stand apart: "`` restoring order ''".
    if next.is_whitespace() && mark != "``" {
        return false;
    }
    if !ambiguous(mark) {
        return true;
    }
    let prev_ok = i == 0
        || chars
            .get(i - 1)
            .is_some_and(|&p| p.is_whitespace() || "([{:;,—–-/".contains(p));
    if !prev_ok {
        return false;
    }
    // "'s avonds", "'t": a clitic, not a quote.
    if matches!(mark, "'" | "‘" | "’")
        && matches!(next, 's' | 't' | 'n')
        && chars.get(i + len + 1).is_none_or(|c| !c.is_alphanumeric())
    {
        return false;
    }
    true
}

fn closer_ok(chars: &[char], j: usize, mark: &str) -> bool {
    let len = mark.chars().count();
    if j == 0 || (chars[j - 1].is_whitespace() && mark != "''") {
        return false;
    }
    if !ambiguous(mark) {
        return true;
    }
    chars.get(j + len).is_none_or(|&c| !c.is_alphanumeric())
}

/// A quote found by its marks.
struct Found {
    open: usize,
    start: usize,
    end: usize,
    text: String,
    after: usize,
}

/// Finds the quotes of a document (spans of the quoted text, without the
/// marks), then their speakers. The spans of all quotes are recorded in
/// `prep.quoted` first, so that a name inside a quote is never taken for
/// the person a pronoun outside it refers to.
pub fn quotes(doc: &Document, prep: &Prep, lang: Option<&Lang>) -> Vec<Quote> {
    let chars: Vec<char> = doc.text.chars().collect();
    let found = find_quotes(&chars);
    let _ = prep
        .quoted
        .set(found.iter().map(|f| (f.open, f.after)).collect());
    let mut out: Vec<Quote> = Vec::with_capacity(found.len());
    for (k, f) in found.iter().enumerate() {
        let (mut speaker, mut speaker_entity) = match lang {
            Some(l) => match speaker(prep, l, f.open, f.after, f.text.ends_with('.')) {
                Attr::Found(w) => (Some(w.text), w.entity),
                _ => (None, None),
            },
            None => (None, None),
        };
        // A quote that directly continues the previous one in the same
        // paragraph, with only that quote's attribution between them, has
        // the same speaker.
        if speaker.is_none()
            && lang.is_some()
            && k > 0
            && continues(&chars, found[k - 1].after, f.open)
        {
            speaker = out[k - 1].speaker.clone();
            speaker_entity = out[k - 1].speaker_entity.clone();
        }
        out.push(Quote {
            start: f.start,
            end: f.end,
            text: f.text.clone(),
            speaker,
            speaker_entity,
        });
    }
    out
}

fn find_quotes(chars: &[char]) -> Vec<Found> {
    let pairs = quote_pairs();
    let firsts: Vec<char> = pairs.iter().filter_map(|(o, _)| o.chars().next()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < chars.len() {
        if !firsts.contains(&chars[i]) {
            i += 1;
            continue;
        }
        for (open, closes) in pairs {
            if !starts_with(chars, i, open) || !opener_ok(chars, i, open) {
                continue;
            }
            let inner = i + open.chars().count();
            let mut j = inner;
            while j < chars.len() && j < inner + MAX_QUOTE {
                if chars[j] == '\n' && chars.get(j + 1) == Some(&'\n') {
                    break;
                }
                if let Some(close) = closes
                    .iter()
                    .find(|c| starts_with(chars, j, c) && closer_ok(chars, j, c))
                {
                    let (mut s, mut e) = (inner, j);
                    while s < e && chars[s].is_whitespace() {
                        s += 1;
                    }
                    while e > s && chars[e - 1].is_whitespace() {
                        e -= 1;
                    }
                    let text: String = chars[s..e].iter().collect();
                    if text.split_whitespace().count() < MIN_WORDS {
                        break;
                    }
                    let after = j + close.chars().count();
                    out.push(Found {
                        open: i,
                        start: s,
                        end: e,
                        text,
                        after,
                    });
                    i = after;
                    continue 'outer;
                }
                j += 1;
            }
        }
        i += 1;
    }
    out
}

/// The most tokens between a quote's end and its attribution verb
/// ("'' NTC fighter Abu Aziz Selem told Reuters").
const AFTER_WINDOW: usize = 12;

/// The most words between two quotes for the second to continue the first.
const MAX_GAP_WORDS: usize = 6;

/// Whether the text between the end of one quote (`from`) and the opening
/// of the next (`to`) is a short attribution in the same paragraph (", zei
/// Trump."), ending a sentence.
fn continues(chars: &[char], from: usize, to: usize) -> bool {
    if from > to || to > chars.len() {
        return false;
    }
    let gap: String = chars[from..to].iter().collect();
    !gap.contains("\n\n")
        && gap.split_whitespace().count() <= MAX_GAP_WORDS
        && gap.trim_end().ends_with(['.', '!', '?'])
}

/// The speaker of a quote opening at code point `open` and closing before
/// `after`: an attribution right after it (", zei hij", "aldus X", "X
/// said") or right before it ("X zei:", "Volgens X:", "X: ").
fn speaker(prep: &Prep, lang: &Lang, open: usize, after: usize, ends_sentence: bool) -> Attr {
    let toks = &prep.toks;
    // After the quote. A quote that ends a sentence ("... plek.") is
    // followed by a new sentence, not by its attribution, unless that goes
    // on in lower case ("... plek.” zei hij").
    let mut t = prep.tok_at_or_after(after);
    if t < toks.len() && toks[t].lower == "," {
        t += 1;
    }
    let first_word = (t..toks.len().min(t + 3)).find(|&w| toks[w].kind == TokenKind::Word);
    let new_sentence = ends_sentence && first_word.is_some_and(|w| toks[w].cap);
    if t < toks.len() && !new_sentence {
        let (_, sb) = prep.sentence_of(t);
        for c in t..(t + AFTER_WINDOW).min(sb) {
            if let Some((n, role)) = lang.attribution.longest_at(toks, c, sb) {
                if c > t
                    && toks[t..c].iter().any(|x| {
                        matches!(x.lower.as_str(), "." | ":" | "!" | "?") || prep.in_quote(x.start)
                    })
                {
                    break;
                }
                let r = speaker_of_cue(prep, lang, c, c + n, role, sb);
                if r != Attr::None {
                    return r;
                }
                // "'' Khalid Musa, spokesman for the ministry, said": the
                // person right after the quote is the subject.
                // (or one title word after it: "Admiral Edouard Guillaud").
                for p in [t, t + 1] {
                    if c <= p || (p > t && !toks[t].cap) {
                        break;
                    }
                    if let Some(m) = prep.mention_at(toks[p].start) {
                        let em = &prep.entities[m];
                        if em.label == "PER" && em.start == toks[p].start {
                            return Attr::Found(crate::attribution::Who {
                                text: em.text.clone(),
                                entity: em.entity.clone(),
                            });
                        }
                    }
                }
                break;
            }
        }
    }
    // Before the quote.
    let ob = prep.tok_before(open);
    if ob == 0 {
        return Attr::None;
    }
    let p = ob - 1;
    // "X zei:", "X said,", and "X zei dat “...”" (a reported quote)
    if toks[p].lower != ":" && toks[p].lower != "," && !lang.compl.contains(&toks[p].lower) {
        return Attr::None;
    }
    let (sa, _) = prep.sentence_of(p);
    let lo = sa.max(p.saturating_sub(12));
    let mut best = Attr::None;
    let mut c = lo;
    while c < p {
        match lang.attribution.longest_at(toks, c, p) {
            Some((n, role)) => {
                let r = speaker_of_cue(prep, lang, c, c + n, role, p);
                if r != Attr::None {
                    best = r;
                }
                c += n;
            }
            None => c += 1,
        }
    }
    // "Trump: “...”": a person or organisation right before the colon.
    if best == Attr::None && toks[p].lower == ":" && p > 0 {
        if let Some(m) = prep.mention_at(toks[p - 1].start) {
            let em = &prep.entities[m];
            let b = prep.tok_at_or_after(em.start);
            let heads_sentence = b == prep.sentence_of(p).0 || b == prep.clause_of(p - 1).0;
            if em.end == toks[p - 1].end
                && (em.label == "PER" || em.label == "ORG")
                && heads_sentence
            {
                return Attr::Found(crate::attribution::Who {
                    text: em.text.clone(),
                    entity: em.entity.clone(),
                });
            }
        }
    }
    best
}
