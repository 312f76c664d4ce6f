//! Who says something: speech verbs ("zegt X", "X zei", "said X"),
//! "aldus X", "volgens X", "according to X", and the resolution of the
//! speaker to an entity mention of the document.

use kroniek_text::TokenKind;

use crate::lexicon::{Lang, Role};
use crate::prep::{entity_key, Prep};

/// A speaker or source: as written (or the name it resolves to for a
/// pronoun), with the entity it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct Who {
    pub text: String,
    pub entity: Option<String>,
}

/// The outcome of looking for an attribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// No attribution pattern.
    None,
    /// A pattern whose speaker cannot be resolved (an ambiguous pronoun).
    Unresolved,
    Found(Who),
}

fn is_quote_mark(t: &str) -> bool {
    matches!(
        t,
        "'" | "\"" | "‘" | "’" | "“" | "”" | "„" | "‚" | "«" | "»" | "`" | "``" | "''"
    )
}

/// The noun phrase starting at token `k` (ending before `end`): a
/// mention, a pronoun or a description.
pub fn np_at(prep: &Prep, lang: &Lang, k: usize, end: usize) -> Attr {
    let toks = &prep.toks;
    let mut j = k;
    while j < end && (lang.det.contains(&toks[j].lower) || is_quote_mark(&toks[j].lower)) {
        j += 1;
    }
    if j >= end || toks[j].kind != TokenKind::Word {
        return Attr::None;
    }
    if j == k && lang.pronoun.contains(&toks[j].lower) {
        return resolve_pronoun(prep, k);
    }
    // A mention right at the head.
    if let Some(m) = prep.mention_at(toks[j].start) {
        let em = &prep.entities[m];
        // The mention must end the phrase: "een Amerikaanse
        // defensiefunctionaris" is no mention of "Amerikaanse".
        let after = prep.tok_at_or_after(em.end);
        let continues = after < end && {
            let t = &toks[after];
            t.kind == TokenKind::Word
                && !t.cap
                && !lang.npstop.contains(&t.lower)
                && !lang.clause.contains(&t.lower)
                && lang
                    .attribution
                    .longest_at(&prep.toks, after, end)
                    .is_none()
                && t.lower != "van"
                && t.lower != "of"
        };
        // "Coast Guard Adm. Thad W. Allen", "CNN Executive Vice President
        // Tony Maddox": an organisation before a title and a person's name.
        if em.label != "PER" {
            let mut q = prep.tok_at_or_after(em.end);
            while q < end && q < j + 8 && toks[q].kind == TokenKind::Word && toks[q].cap {
                if let Some(pm) = prep.mention_at(toks[q].start) {
                    let pe = &prep.entities[pm];
                    if pe.label == "PER" && pe.start == toks[q].start {
                        return Attr::Found(Who {
                            text: pe.text.clone(),
                            entity: pe.entity.clone(),
                        });
                    }
                }
                q += 1;
            }
        }
        if (em.start == toks[j].start || em.start >= toks[k].start) && !continues {
            return Attr::Found(Who {
                text: em.text.clone(),
                entity: em.entity.clone(),
            });
        }
    }
    // A description: words up to punctuation or a stop word.
    let mut e = j;
    let mut of_at = None;
    while e < end && e < j + 8 {
        let t = &toks[e];
        let word = t.kind == TokenKind::Word || is_quote_mark(&t.lower);
        if !word
            || (e > j
                && (lang.npstop.contains(&t.lower)
                    || lang.clause.contains(&t.lower)
                    || lang.attribution.longest_at(&prep.toks, e, end).is_some()))
        {
            break;
        }
        if of_at.is_none() && (t.lower == "van" || t.lower == "of") {
            of_at = Some(e);
        }
        e += 1;
    }
    // A closing quote mark belongs to the phrase only when it closes one in it.
    let marks = toks[k..e]
        .iter()
        .filter(|t| is_quote_mark(&t.lower))
        .count();
    if marks % 2 == 1 && e > j && is_quote_mark(&toks[e - 1].lower) {
        e -= 1;
    }
    if e == j {
        return Attr::None;
    }
    // "the spokesman, Talal Silo": a person in apposition.
    if e + 1 < end && toks[e].lower == "," {
        if let Some(m) = prep.mention_at(toks[e + 1].start) {
            let em = &prep.entities[m];
            if em.label == "PER" && em.start == toks[e + 1].start {
                return Attr::Found(Who {
                    text: em.text.clone(),
                    entity: em.entity.clone(),
                });
            }
        }
    }
    // A person named inside the description before any "van"/"of"
    // ("defensieanalist Paul Nesbit").
    // Only right at the start, after at most two title words
    // ("woordvoerder William Barksdale", "BP spokesman Mark Salt"), not
    // "zijn keuze voor Boeing".
    let head_end = of_at.unwrap_or(e).min(j + 3);
    if let Some((s, t)) = prep.span(j, head_end) {
        if let Some(m) = prep
            .mentions_in(s, t)
            .find(|&m| prep.entities[m].label == "PER")
        {
            let em = &prep.entities[m];
            return Attr::Found(Who {
                text: em.text.clone(),
                entity: em.entity.clone(),
            });
        }
    }
    if prep.span(k, e).is_none() {
        return Attr::None;
    }
    let text = prep.text_of(k, e).to_string();
    // The head noun ("kalief" in "de zelfbenoemde 'kalief' van IS").
    let head = toks[j..head_end]
        .iter()
        .rev()
        .find(|t| t.kind == TokenKind::Word)
        .map(|t| t.lower.clone());
    let entity = head.and_then(|h| resolve_role(prep, lang, &h, toks[k].start));
    Attr::Found(Who { text, entity })
}

/// A pronoun resolves to the one person mentioned in its sentence before
/// it and the two sentences before; with none or several, it is
/// unresolved.
fn resolve_pronoun(prep: &Prep, k: usize) -> Attr {
    let sent = prep.toks[k].sent;
    let first_sent = sent.saturating_sub(2);
    let Some(&(a, _)) = prep.sent_toks.get(first_sent) else {
        return Attr::Unresolved;
    };
    let Some(lo) = prep.toks.get(a).map(|t| t.start) else {
        return Attr::Unresolved;
    };
    let hi = prep.toks[k].start;
    let mut found: Option<(String, &kroniek_model::EntityMention)> = None;
    for m in prep.mentions_in(lo, hi) {
        let em = &prep.entities[m];
        if em.label != "PER" || prep.in_quote(em.start) {
            continue;
        }
        // A possessive ("Mubarak 's promises") names whose something is
        // meant, not who is speaking.
        let next = prep.tok_at_or_after(em.end);
        let possessive = em.text.ends_with("'s")
            || em.text.ends_with("’s")
            || prep
                .toks
                .get(next)
                .is_some_and(|t| matches!(t.lower.as_str(), "'s" | "’s" | "'" | "’"));
        if possessive {
            continue;
        }
        let key = entity_key(em);
        match &found {
            Some((k2, _)) if *k2 != key => return Attr::Unresolved,
            _ => found = Some((key, em)),
        }
    }
    match found {
        Some((_, em)) => Attr::Found(Who {
            text: em.text.clone(),
            entity: em.entity.clone(),
        }),
        None => Attr::Unresolved,
    }
}

/// Resolves a role noun ("kalief", "woordvoerder") through an apposition
/// earlier in the article that binds it to exactly one person: "Abu Bakr
/// al-Baghdadi, de zelfbenoemde 'kalief'", "'kalief' Abu Bakr
/// al-Baghdadi". `None` when no or several people fit.
fn resolve_role(prep: &Prep, lang: &Lang, head: &str, before: usize) -> Option<String> {
    let toks = &prep.toks;
    let mut found: Option<String> = None;
    let mut add = |key: String| -> bool {
        match &found {
            Some(k) if *k != key => false,
            _ => {
                found = Some(key);
                true
            }
        }
    };
    for (p, t) in toks.iter().enumerate() {
        if t.start >= before {
            break;
        }
        if t.lower != head {
            continue;
        }
        let (sa, sb) = prep.sentence_of(p);
        // "NAME, (det) (up to 3 words) head"
        let mut q = p;
        let mut steps = 0;
        while q > sa && steps < 5 {
            q -= 1;
            steps += 1;
            let tq = &toks[q];
            if tq.lower == "," {
                if q > sa {
                    if let Some(m) = prep.mention_at(toks[q - 1].start) {
                        let em = &prep.entities[m];
                        if em.label == "PER" && em.end == toks[q - 1].end && !add(entity_key(em)) {
                            return None;
                        }
                    }
                }
                break;
            }
            if !(tq.kind == TokenKind::Word || is_quote_mark(&tq.lower))
                || tq.cap && !lang.det.contains(&tq.lower) && q + 1 != p
            {
                if tq.cap {
                    // a name in between: not an apposition
                }
                break;
            }
        }
        // "head NAME"
        let mut r = p + 1;
        while r < sb && is_quote_mark(&toks[r].lower) {
            r += 1;
        }
        if r < sb {
            if let Some(m) = prep.mention_at(toks[r].start) {
                let em = &prep.entities[m];
                if em.label == "PER" && em.start == toks[r].start && !add(entity_key(em)) {
                    return None;
                }
            }
        }
    }
    found
}

/// The attribution of something in the token range `a..b` of one
/// sentence: the nearest cue in that sentence (outside `a..b`) whose
/// speaker can be found.
pub fn attribution_in_sentence(prep: &Prep, lang: &Lang, a: usize, b: usize) -> Attr {
    let (sa, sb) = prep.sentence_of(a);
    let mut cues: Vec<(usize, usize, Role)> = Vec::new();
    let mut j = sa;
    while j < sb {
        if j >= a && j < b {
            j += 1;
            continue;
        }
        match lang.attribution.longest_at(&prep.toks, j, sb) {
            Some((n, role)) => {
                cues.push((j, j + n, role));
                j += n;
            }
            None => j += 1,
        }
    }
    cues.sort_by_key(|&(s, _, _)| if s >= b { s - b } else { a - s.min(a) + 1 });
    for (s, e, role) in cues {
        let r = speaker_of_cue(prep, lang, s, e, role, sb);
        if r != Attr::None {
            return r;
        }
    }
    Attr::None
}

/// The speaker of an attribution cue at tokens `s..e`.
pub fn speaker_of_cue(
    prep: &Prep,
    lang: &Lang,
    s: usize,
    e: usize,
    role: Role,
    end: usize,
) -> Attr {
    match role {
        Role::After => np_at(prep, lang, e, end),
        Role::Verb | Role::Subject => {
            // Subject before the verb: a mention or pronoun ending right before it.
            if s > 0 && prep.toks[s - 1].sent == prep.toks[s].sent {
                let prev = &prep.toks[s - 1];
                if let Some(m) = prep.mention_at(prev.start) {
                    let mut em = &prep.entities[m];
                    // "Topman Louis Gallois van EADS zei": the person, not
                    // the organisation.
                    if em.label != "PER" {
                        let mut b = prep.tok_at_or_after(em.start);
                        if b >= 1 && lang.det.contains(&prep.toks[b - 1].lower) {
                            b -= 1;
                        }
                        let of = b >= 2
                            && matches!(
                                prep.toks[b - 1].lower.as_str(),
                                "van" | "of" | "bij" | "at"
                            );
                        if of {
                            if let Some(pm) = prep.mention_at(prep.toks[b - 2].start) {
                                if prep.entities[pm].label == "PER"
                                    && prep.entities[pm].end == prep.toks[b - 2].end
                                {
                                    em = &prep.entities[pm];
                                }
                            } else {
                                // "Een onderhandelaar van de United Auto
                                // Workers zei": the description, not the
                                // organisation.
                                let mut a = b - 1;
                                while a > 0
                                    && b - a < 5
                                    && prep.toks[a - 1].kind == TokenKind::Word
                                    && !lang.npstop.contains(&prep.toks[a - 1].lower)
                                    && (!prep.toks[a - 1].cap
                                        || lang.det.contains(&prep.toks[a - 1].lower))
                                {
                                    a -= 1;
                                    if lang.det.contains(&prep.toks[a].lower) {
                                        break;
                                    }
                                }
                                if a < b - 1 {
                                    return np_at(prep, lang, a, s);
                                }
                            }
                        }
                    }
                    if em.end == prev.end || em.label == "PER" {
                        return Attr::Found(Who {
                            text: em.text.clone(),
                            entity: em.entity.clone(),
                        });
                    }
                }
                if lang.pronoun.contains(&prev.lower) {
                    return resolve_pronoun(prep, s - 1);
                }
                // "Ron Sugar, CEO van Northrop Grumman, zei": a person or
                // organisation before an apposition between commas.
                if prev.lower == "," {
                    let sa = prep.sentence_of(s).0;
                    let lo = sa.max(s.saturating_sub(16));
                    if let Some(k) = (lo + 1..s - 1).rev().find(|&k| prep.toks[k].lower == ",") {
                        let before = &prep.toks[k - 1];
                        if let Some(m) = prep.mention_at(before.start) {
                            let em = &prep.entities[m];
                            let starts_clause = prep
                                .tok_at_or_after(em.start)
                                .checked_sub(1)
                                .is_none_or(|b| {
                                    b < sa
                                        || !matches!(prep.toks[b].kind, TokenKind::Word)
                                        || prep.toks[b].cap
                                        || lang.det.contains(&prep.toks[b].lower)
                                });
                            if em.end == before.end
                                && (em.label == "PER" || em.label == "ORG")
                                && starts_clause
                            {
                                return Attr::Found(Who {
                                    text: em.text.clone(),
                                    entity: em.entity.clone(),
                                });
                            }
                        }
                    }
                }
            }
            // Inverted: "meldt Centcom", "zei hij", ", said the spokesman".
            // Without verb-second order (English) only right after a quote
            // or a comma: "..., said the spokesman", not "the diplomat said
            // Egypt and Israel ...".
            let inverted_ok = lang.verb_second
                || s == 0
                || matches!(
                    prep.toks[s - 1].lower.as_str(),
                    "," | "'" | "\"" | "”" | "’" | "''" | "«" | "»"
                );
            if e < end && role == Role::Verb && inverted_ok {
                let next = &prep.toks[e];
                let starts_np = next.kind == TokenKind::Word
                    && !lang.compl.contains(&next.lower)
                    && (next.cap
                        || lang.det.contains(&next.lower)
                        || lang.pronoun.contains(&next.lower));
                if starts_np {
                    let r = np_at(prep, lang, e, end);
                    if r != Attr::None {
                        return r;
                    }
                }
            }
            // A description right before the verb: "de woordvoerder zei",
            // "Kurdish officials said".
            let sa = prep.sentence_of(s).0;
            let mut j = s;
            while j > sa && s - j < 6 {
                let t = &prep.toks[j - 1];
                if t.kind != TokenKind::Word
                    || lang.clause.contains(&t.lower)
                    || lang.npstop.contains(&t.lower)
                    || lang.compl.contains(&t.lower)
                    || lang.pronoun.contains(&t.lower)
                    || lang.cues.longest_at(&prep.toks, j - 1, s).is_some()
                {
                    break;
                }
                j -= 1;
                if lang.det.contains(&t.lower) {
                    break;
                }
            }
            if j < s {
                // The phrase must start the clause or follow a determiner
                // ("the official"), so that "Earlier this month Turkey" is
                // not taken for a speaker.
                let starts_clause = j == prep.clause_of(j).0
                    || lang.det.contains(&prep.toks[j].lower)
                    || lang.npstop.contains(&prep.toks[j - 1].lower);
                let head = &prep.toks[s - 1].lower;
                let head_is_noun = !prep.toks[s - 1].cap
                    && !lang.nocount.contains(head)
                    && !lang.npstop.contains(head);
                if starts_clause && head_is_noun {
                    return np_at(prep, lang, j, s);
                }
            }
            Attr::None
        }
    }
}
