//! Event mentions: triggers from the lexicon, certainty, date, participants
//! and place.

use kroniek_model::{Certainty, Document, Event, TimexType};
use kroniek_text::TokenKind;

use crate::lexicon::{Cue, Lang};
use crate::prep::{entity_key, Prep};

/// A trigger match: token range and trigger row.
struct Hit {
    a: usize,
    b: usize,
    row: usize,
}

/// Whether a particle at token `p` ends the verb group ("riep ... uit.",
/// "kondigde ... aan dat"), not a preposition ("uit Syrië", "aan de grens").
fn particle_ok(prep: &Prep, lang: &Lang, p: usize, clause_end: usize) -> bool {
    let next = p + 1;
    if next >= clause_end {
        return true;
    }
    let t = &prep.toks[next];
    if t.kind == TokenKind::Number || lang.notparticle.contains(&t.lower) {
        // "om 10 uur", "om te"
        return false;
    }
    if t.kind != TokenKind::Word {
        return true;
    }
    if lang.clause.contains(&t.lower) {
        return true;
    }
    !(t.cap || lang.det.contains(&t.lower))
}

/// Whether a word fits a context word of `triggers.tsv`: it starts with it,
/// or, for context words of four letters or more, contains it
/// ("grondgebied" for "gebied").
fn context_match(word: &str, ctx: &str) -> bool {
    word.starts_with(ctx) || (ctx.chars().count() >= 4 && word.contains(ctx))
}

fn find_hit(prep: &Prep, lang: &Lang, i: usize) -> Option<Hit> {
    let words = &prep.toks;
    let tok = &prep.toks[i];
    if tok.kind != TokenKind::Word {
        return None;
    }
    let (ca, cb) = prep.clause_of(i);
    let (_, sb) = prep.sentence_of(i);
    // A capitalised word inside a sentence is a name, not a trigger.
    if tok.cap && i > prep.sentence_of(i).0 {
        let prev = &prep.toks[i - 1];
        if prev.kind == TokenKind::Word || prev.lower == "," {
            return None;
        }
    }
    if prep.mention_at(tok.start).is_some() {
        return None;
    }
    let context_ok = |row: usize| {
        let ctx = &lang.triggers[row].context;
        ctx.is_empty()
            || words[ca..cb]
                .iter()
                .any(|w| ctx.iter().any(|c| context_match(&w.lower, c)))
    };
    let particle_found = |row: usize, from: usize| match &lang.triggers[row].particle {
        None => true,
        // With a context the sense is settled ("kwamen om het leven").
        Some(p) => (from..cb).any(|j| {
            words[j].lower == *p
                && (!lang.triggers[row].context.is_empty() || particle_ok(prep, lang, j, cb))
        }),
    };
    let mut cands: Vec<(usize, usize)> = Vec::new();
    if let Some(list) = lang.forms.get(&words[i].lower) {
        for (form, row) in list {
            let n = form.len();
            if i + n <= sb && form.iter().zip(&words[i..]).all(|(a, b)| *a == b.lower) {
                cands.push((n, *row));
            }
        }
    }
    for (end, row) in &lang.endings {
        let w = &words[i].lower;
        if w.len() >= end.len() + 3 && w.ends_with(end.as_str()) {
            cands.push((1, *row));
        }
    }
    // Longest first, then file order.
    cands.sort_by_key(|&(n, row)| (std::cmp::Reverse(n), row));
    cands
        .into_iter()
        .find(|&(n, row)| particle_found(row, i + n) && context_ok(row))
        .map(|(n, row)| Hit {
            a: i,
            b: i + n,
            row,
        })
}

/// The most tokens between a negation cue and the trigger it negates
/// ("er vielen geen gewonden", "is niet gedood").
const NEGATION_WINDOW: usize = 5;
/// The most tokens between another cue and its trigger ("zou naar
/// verluidt tien mensen hebben gedood").
const CUE_WINDOW: usize = 8;

/// The certainty of the events in a clause, from its cues (the trigger's
/// own tokens excluded).
pub fn certainty(prep: &Prep, lang: &Lang, a: usize, b: usize, skip: (usize, usize)) -> Certainty {
    let mut found = [false; 4];
    let mut j = a;
    while j < b {
        if j >= skip.0 && j < skip.1 {
            j += 1;
            continue;
        }
        match lang.cues.longest_at(&prep.toks, j, b) {
            Some((n, info)) => {
                let cue = info.kind;
                let before = j + n <= skip.0;
                // Distance in tokens between the cue and the trigger.
                let dist = if before {
                    skip.0 - (j + n)
                } else {
                    j.saturating_sub(skip.1)
                };
                let window = info
                    .window
                    .map(|w| w + 1)
                    .unwrap_or(if cue == Cue::Negation {
                        NEGATION_WINDOW
                    } else {
                        CUE_WINDOW
                    });
                // A cue set off by a comma ("Al-Baghdadi, vermoedelijk 48
                // jaar oud, riep ...") does not reach the trigger.
                let (lo, hi) = if before { (j + n, skip.0) } else { (skip.1, j) };
                let comma = prep
                    .toks
                    .get(lo..hi)
                    .is_some_and(|ts| ts.iter().any(|t| t.lower == ","));
                if dist < window && (before || !info.forward) && !comma {
                    found[cue as usize] = true;
                }
                j += n;
            }
            None => j += 1,
        }
    }
    if found[Cue::Negation as usize] {
        Certainty::Negated
    } else if found[Cue::Future as usize] {
        Certainty::Future
    } else if found[Cue::Possible as usize] {
        Certainty::Possible
    } else if found[Cue::Probable as usize] {
        Certainty::Probable
    } else {
        Certainty::Certain
    }
}

/// Whether a TIMEX3 value names a calendar date or period ("2014",
/// "2014-06", "2024-H1", "2019-10-27T03:00").
fn is_calendar_value(v: &str) -> bool {
    // `BC0480`: a year before Christ
    let v = v.strip_prefix("BC").unwrap_or(v);
    v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

/// The date of something at token range `a..b`: the nearest DATE (or
/// TIME) timex in its clause, else in its sentence; `PRESENT_REF` means
/// the DCT.
pub fn date_near(
    doc: &Document,
    prep: &Prep,
    a: usize,
    b: usize,
    clause_first: bool,
) -> Option<String> {
    let (pos_s, pos_e) = prep.span(a, b)?;
    let dct = doc.dct.value.map(|d| d.to_string());
    let pick = |lo: usize, hi: usize| -> Option<String> {
        let (lo, hi) = prep.span(lo, hi)?;
        doc.timexes
            .iter()
            .filter(|t| t.start >= lo && t.end <= hi)
            .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
            .filter_map(|t| {
                let v = if t.value == "PRESENT_REF" {
                    dct.clone()?
                } else if is_calendar_value(&t.value) {
                    // the day of a time ("2015-11-13TEV" → "2015-11-13")
                    t.value.split('T').next().unwrap_or(&t.value).to_string()
                } else {
                    return None;
                };
                let dist = if t.end <= pos_s {
                    pos_s - t.end
                } else {
                    t.start.saturating_sub(pos_e)
                };
                Some((dist, v))
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, v)| v)
    };
    let (ca, cb) = prep.clause_of(a);
    let (sa, sb) = prep.sentence_of(a);
    if clause_first {
        pick(ca, cb).or_else(|| pick(sa, sb))
    } else {
        pick(sa, sb)
    }
}

/// Finds the event mentions of a document.
pub fn events(doc: &Document, prep: &Prep, lang: &Lang) -> Vec<Event> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < prep.toks.len() {
        let Some(hit) = find_hit(prep, lang, i) else {
            i += 1;
            continue;
        };
        i = hit.b;
        let Some((start, end)) = prep.span(hit.a, hit.b) else {
            continue;
        };
        let (ca, cb) = prep.clause_of(hit.a);
        let certainty = certainty(prep, lang, ca, cb, (hit.a, hit.b));
        let date = date_near(doc, prep, hit.a, hit.b, true).or_else(|| {
            (certainty != Certainty::Future)
                .then(|| doc.dct.value.map(|d| d.to_string()))
                .flatten()
        });
        let (participants, place) = participants(prep, lang, hit.a);
        out.push(Event {
            start,
            end,
            text: prep.text_of(hit.a, hit.b).to_string(),
            kind: lang.triggers[hit.row].kind.clone(),
            sentence: prep.toks[hit.a].sent,
            date,
            certainty,
            participants,
            place,
        });
    }
    out
}

/// The participants (entity ids) and the place (LOC mention text after a
/// locative preposition) of the event whose trigger is token `i`: from its
/// clause, else from its sentence.
fn participants(prep: &Prep, lang: &Lang, i: usize) -> (Vec<String>, Option<String>) {
    let scopes = [prep.clause_of(i), prep.sentence_of(i)];
    let mut place = None;
    let mut place_idx = None;
    for &(a, b) in &scopes {
        let Some((s, e)) = prep.span(a, b) else {
            continue;
        };
        for m in prep.mentions_in(s, e) {
            let em = &prep.entities[m];
            if em.label != "LOC" {
                continue;
            }
            let t = prep.tok_at_or_after(em.start);
            if t > 0 && lang.locprep.contains(&prep.toks[t - 1].lower) {
                place = Some(em.text.clone());
                place_idx = Some(m);
                break;
            }
        }
        if place.is_some() {
            break;
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for &(a, b) in &scopes {
        let Some((s, e)) = prep.span(a, b) else {
            continue;
        };
        for m in prep.mentions_in(s, e) {
            if Some(m) == place_idx {
                continue;
            }
            let k = entity_key(&prep.entities[m]);
            if !parts.contains(&k) {
                parts.push(k);
            }
        }
        if !parts.is_empty() {
            break;
        }
    }
    (parts, place)
}
