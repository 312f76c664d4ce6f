//! Quantitative claims: a figure, what it counts, when, and who says so.

use kroniek_model::{Claim, Document};
use kroniek_text::TokenKind;

use crate::attribution::{attribution_in_sentence, Attr};
use crate::lexicon::Lang;
use crate::mentions::date_near;
use crate::prep::Prep;

fn in_timex(doc: &Document, start: usize, end: usize) -> bool {
    doc.timexes.iter().any(|t| t.start < end && start < t.end)
}

fn is_currency(t: &str) -> bool {
    matches!(t, "$" | "€" | "£" | "us$" | "¥")
}

/// Finds the claims of a document.
pub fn claims(doc: &Document, prep: &Prep, lang: &Lang, code: &str) -> Vec<Claim> {
    let toks = &prep.toks;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (_, sb) = prep.sentence_of(i);
        let modn = lang.modifier.longest_at(toks, i, sb).map_or(0, |(n, _)| n);
        let q = i + modn;
        if q >= sb {
            i += 1;
            continue;
        }
        let (n, value) = if let Some((n, v)) = lang.vague.longest_at(toks, q, sb) {
            (n, Some(v))
        } else if matches!(toks[q].kind, TokenKind::Number | TokenKind::Word) {
            match kroniek_text::number_at(&prep.raw[..sb], q, code) {
                Some((v, n)) => (n, Some(v)),
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        let (Some((qs, qe)), Some(_)) = (prep.span(q, q + n), value) else {
            i += 1;
            continue;
        };
        let date_like = toks[q..q + n].iter().any(|t| {
            t.kind == TokenKind::Number
                && (t.lower.contains(':')
                    || t.lower.contains('/')
                    || t.lower.matches('-').count() >= 2)
        });
        // "10-15 ,000": a stray group of zeros is no figure.
        let zeros = n == 1
            && toks[q].kind == TokenKind::Number
            && toks[q].lower.len() > 1
            && toks[q].lower.chars().all(|c| c == '0');
        let after_label = modn == 0 && q > 0 && lang.notbefore.contains(&toks[q - 1].lower);
        if in_timex(doc, qs, qe)
            || date_like
            || zeros
            || after_label
            || prep.mention_at(qs).is_some()
        {
            i = q + n;
            continue;
        }
        let mut k = q + n;
        let currency = toks[i..q].iter().any(|t| is_currency(&t.lower));
        let mut percent = false;
        if k < sb && (toks[k].lower == "%") {
            percent = true;
            k += 1;
        }
        // What is counted.
        let mut c = k;
        while c < sb && c < k + 3 && lang.skip.contains(&toks[c].lower) {
            c += 1;
        }
        let mut counts = None;
        if !percent
            && c < sb
            && toks[c].kind == TokenKind::Word
            && !lang.nocount.contains(&toks[c].lower)
        {
            let mut ce = c + 1;
            // an inflected adjective before the noun ("nieuwe tankvliegtuigen"),
            // by the endings the language's data lists (`adjinfl`)
            if lang
                .adjinfl
                .iter()
                .any(|suf| toks[c].lower.ends_with(suf.as_str()))
                && ce < sb
                && toks[ce].kind == TokenKind::Word
                && !toks[ce].cap
                && !lang.nocount.contains(&toks[ce].lower)
                && !lang.skip.contains(&toks[ce].lower)
            {
                ce += 1;
            }
            // Adjectives before the noun ("captured IS fighters"), for the
            // languages whose data lists adjective endings (`adjsuffix`).
            if !lang.adjsuffix.is_empty() {
                while ce < sb
                    && ce < c + 3
                    && toks[ce].kind == TokenKind::Word
                    && (toks[ce].cap || !lang.nocount.contains(&toks[ce].lower))
                    && !lang.skip.contains(&toks[ce].lower)
                    && (toks[ce - 1].cap
                        || lang
                            .adjsuffix
                            .iter()
                            .any(|suf| toks[ce - 1].lower.ends_with(suf.as_str())))
                {
                    ce += 1;
                }
            }
            if ce > c {
                counts = Some(prep.text_of(c, ce).to_string());
            }
        }
        let (ca, cb) = prep.clause_of(q);
        if counts.is_none() && !percent {
            // "het aantal aanslagen is ... verdubbeld tot drieduizend"
            if let Some(m) = (ca..q).find(|&m| lang.measure.contains(&toks[m].lower)) {
                let mut e = m + 1;
                while e < q && e < m + 4 && lang.skip.contains(&toks[e].lower) {
                    e += 1;
                }
                if e < q && toks[e].kind == TokenKind::Word {
                    e += 1;
                }
                counts = Some(prep.text_of(m, e).to_string());
            }
        }
        if counts.is_none() && !percent && !currency {
            i = q + n;
            continue;
        }
        if percent {
            counts = Some("%".to_string());
        }
        // Trim the clause to words, numbers and symbols.
        let (mut a, mut b) = (ca, cb);
        while a < q && toks[a].kind == TokenKind::Punct {
            a += 1;
        }
        while b > k.max(a + 1) && toks[b - 1].kind == TokenKind::Punct {
            b -= 1;
        }
        let a = a.min(i);
        let b = b.max(k);
        let Some((start, end)) = prep.span(a, b) else {
            i += 1;
            continue;
        };
        let date = date_near(doc, prep, q, q + n, true);
        let (source, source_entity) = match attribution_in_sentence(prep, lang, i, k) {
            Attr::Found(w) => (Some(w.text), w.entity),
            _ => (None, None),
        };
        out.push(Claim {
            start,
            end,
            text: prep.text_of(a, b).to_string(),
            quantity: prep.text_of(i, k).to_string(),
            value,
            counts,
            date,
            source,
            source_entity,
        });
        i = k.max(i + 1);
    }
    out
}
