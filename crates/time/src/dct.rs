//! Estimating the document creation time of an undated article.

use kroniek_model::{Dct, DctOrigin, PartialDate, Precision};

use kroniek_model::TimexType;

use crate::engine::{run, Tagged};
use crate::grammar::Lang;
use crate::resolve::Ctx;
use crate::sem::Expr;

/// A date the text states with its year, as evidence for the DCT.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub date: PartialDate,
    /// Tense of the sentence: -1 past, 0 unknown or present, 1 future.
    pub dir: i32,
    /// Byte offsets of the expression.
    pub start: usize,
    pub end: usize,
    /// Whether it stands alone on one of the first lines (a date line).
    pub date_line: bool,
    /// Not written with a year but counted from a date the text states
    /// ("in juni 2014 … bijna vijf jaar later" → 2019, "five years after
    /// … March 2019" → 2024): the text's own anchored relative evidence,
    /// which says when its narrator speaks.
    pub anchored: bool,
}

impl DateMention {
    /// The expression as written in `text` (the text it was found in).
    pub fn quote<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Every date with an explicit year the text mentions, in text order: the
/// evidence [`infer_dct`](crate::infer_dct) weighs, exposed so that a
/// corpus-level step can refine the estimate (e.g. with neighbouring
/// articles of the same feed or story).
pub fn date_mentions(text: &str, l: &Lang) -> Vec<DateMention> {
    mentions_in(text, &run(text, l, None), l)
}

/// The mentions among expressions already tagged without a DCT.
pub(crate) fn mentions_in(text: &str, tagged: &[Tagged], l: &Lang) -> Vec<DateMention> {
    (0..tagged.len())
        .filter_map(|i| mention(text, &tagged[i]).or_else(|| anchored(text, tagged, i, l)))
        .collect()
}

/// A date the text counts from one it states: "drie jaar later" resolved
/// against the last stated date, or a duration followed by one of the
/// language's `after` words ("five years after") counted from the nearest
/// date with a year in the same sentence (the one before it first).
fn anchored(text: &str, tagged: &[Tagged], i: usize, l: &Lang) -> Option<DateMention> {
    let t = tagged.get(i)?;
    let stated = |p: &Tagged| matches!(p.expr, Expr::Abs { y: Some(_), .. });
    // Counted from a date the text announces, or in a clause that plans
    // ("hoopt men dat het in 2010 kan worden getest en drie jaar later in
    // gebruik kan worden genomen"), it is a projection, not when the
    // narrator speaks.
    let projected = |p: &Tagged| p.dir > 0 || p.modal;
    if projected(t) {
        return None;
    }
    let date: PartialDate = match &t.expr {
        Expr::Offset {
            n: Some(_),
            last: true,
            ..
        } if tagged[..i]
            .iter()
            .rev()
            .find(|p| stated(p))
            .is_some_and(|p| !projected(p)) =>
        {
            t.value.parse().ok()?
        }
        Expr::Dur { n: Some(n), unit } if t.kind == TimexType::Duration => {
            let rest = text.get(t.end..)?.trim_start();
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect::<String>()
                .to_lowercase();
            let same = |p: &&Tagged| p.sent == t.sent && stated(p);
            let anchor = if crate::grammar::listed(&l.tense.after, &word) {
                tagged[..i]
                    .iter()
                    .rev()
                    .find(same)
                    .or_else(|| tagged[i + 1..].iter().find(same))?
            } else {
                // "sinds oktober 2010, bijna dertien jaar"
                let p = tagged[..i].last().filter(same)?;
                let between = text.get(p.end..t.start)?;
                let before = word_before(text.get(..p.start)?);
                if !between.chars().all(|c| c == ',' || c.is_whitespace())
                    || !crate::grammar::listed(&l.tense.since, &before)
                {
                    return None;
                }
                p
            };
            if projected(anchor) {
                return None;
            }
            let a: PartialDate = anchor.value.parse().ok()?;
            let ctx = Ctx {
                last: Some((a, t.sent, true)),
                ..Ctx::default()
            };
            let e = Expr::Offset {
                n: Some(*n),
                unit: unit.clone(),
                sign: 1,
                last: true,
            };
            ctx.resolve(&e, 0, t.sent).0.parse().ok()?
        }
        _ => return None,
    };
    if !(1900..=2100).contains(&date.year_value()) {
        return None;
    }
    Some(DateMention {
        date,
        dir: t.dir,
        start: t.start,
        end: t.end,
        date_line: false,
        anchored: true,
    })
}

fn mention(text: &str, t: &Tagged) -> Option<DateMention> {
    let Expr::Abs { y: Some(_), .. } = t.expr else {
        return None;
    };
    let date: PartialDate = t.value.parse().ok()?;
    if !(1900..=2100).contains(&date.year_value()) {
        return None;
    }
    let line_start = text[..t.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[t.end..]
        .find('\n')
        .map(|i| t.end + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim();
    let lines_before = text[..line_start]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    let date_line = date.precision() == Precision::Day
        && lines_before <= 3
        && line.len() <= (t.end - t.start) + 25;
    Some(DateMention {
        date,
        dir: t.dir,
        start: t.start,
        end: t.end,
        date_line,
        anchored: false,
    })
}

/// Without an announced later date, the range ends this many years after
/// the estimated year: articles often mention only earlier years (on the
/// development sets the gold DCT then falls inside for about half of the
/// answered documents, against a fifth with the estimated year alone).
const RANGE_YEARS_AFTER: i32 = 2;

/// Weighs the mentions into an estimate.
pub fn estimate(text: &str, mentions: &[DateMention]) -> Option<Dct> {
    let quote = |m: &DateMention| m.quote(text);
    if let Some(m) = mentions.iter().find(|m| m.date_line) {
        return Some(Dct {
            value: Some(m.date),
            origin: DctOrigin::Inferred,
            evidence: vec![format!("date line {:?} at the top of the text", quote(m))],
            range: Some((m.date, m.date)),
        });
    }
    // Score every mentioned year (and the one before it) as the DCT year:
    // reported dates lie before the DCT, announced ones after it, and the
    // article's own year is usually mentioned.
    let mut cands: Vec<i32> = mentions
        .iter()
        .flat_map(|m| [m.date.year_value(), m.date.year_value() - 1])
        .collect();
    cands.sort_unstable();
    cands.dedup();
    let score = |y: i32| -> i32 {
        let mut s = 0;
        for m in mentions {
            let my = m.date.year_value();
            let specific = m.date.precision() != Precision::Year;
            // An anchored relative date tells when the text speaks: twice
            // the weight of a stated one.
            let w = 1 + m.anchored as i32;
            s += w * match m.dir {
                d if d < 0 => match my.cmp(&y) {
                    std::cmp::Ordering::Greater => -3,
                    std::cmp::Ordering::Equal => 2 + specific as i32,
                    std::cmp::Ordering::Less => (my == y - 1) as i32,
                },
                d if d > 0 => match my.cmp(&y) {
                    std::cmp::Ordering::Less => -3,
                    std::cmp::Ordering::Equal => 1,
                    std::cmp::Ordering::Greater => (my == y + 1) as i32,
                },
                _ => match my.cmp(&y) {
                    std::cmp::Ordering::Equal => 2 + specific as i32,
                    std::cmp::Ordering::Greater => -(specific as i32),
                    std::cmp::Ordering::Less => 0,
                },
            };
        }
        s
    };
    let (year, best) = cands
        .iter()
        .map(|&y| (y, score(y)))
        .max_by_key(|&(y, s)| (s, -y))?;
    if best <= 0 {
        return None;
    }
    // The latest mention in that year gives the month, when it has one.
    let latest = mentions
        .iter()
        .filter(|m| m.date.year_value() == year && m.dir <= 0)
        .max_by_key(|m| (m.date.last_day(), m.date.precision()));
    let mut evidence = vec![format!(
        "{year} fits the tense of the {} dated mentions best (score {best})",
        mentions.len()
    )];
    let lo = match latest {
        Some(m) => {
            evidence.push(format!(
                "latest mention in {year}: {:?} ({})",
                quote(m),
                m.date
            ));
            m.date
        }
        None => PartialDate::year(year),
    };
    let next_future = future_after(mentions, lo);
    let hi = match next_future {
        Some(f) => {
            evidence.push(format!(
                "announces a later date: {:?} ({})",
                quote(f),
                f.date
            ));
            f.date
        }
        None => {
            PartialDate::day(year + RANGE_YEARS_AFTER, 12, 31).unwrap_or(PartialDate::year(year))
        }
    };
    let hi = if hi < lo { lo } else { hi };
    let value = if lo.year_value() == year {
        lo.truncate(Precision::Month)
    } else {
        PartialDate::year(year)
    };
    Some(Dct {
        value: Some(value),
        origin: DctOrigin::Inferred,
        evidence,
        range: Some((lo, hi)),
    })
}

fn future_after(mentions: &[DateMention], lo: PartialDate) -> Option<&DateMention> {
    mentions
        .iter()
        .filter(|m| m.dir > 0 && m.date.first_day() > lo.last_day())
        .min_by_key(|m| m.date.first_day())
}

/// The word (letters only, lowercased) that `head` ends with, spaces
/// after it ignored: "sinds " → "sinds"; empty when `head` ends otherwise.
pub(crate) fn word_before(head: &str) -> String {
    let head = head.trim_end();
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(head.len(), |(i, _)| i);
    head[start..].to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_before_a_date() {
        assert_eq!(word_before("Dit is de beste sinds "), "sinds");
        assert_eq!(word_before("Since"), "since");
        assert_eq!(word_before("in 1990, "), "");
        assert_eq!(word_before(""), "");
        assert_eq!(word_before("Zoë "), "zoë");
    }

    fn anchored_dates(text: &str, lang: &str) -> Vec<String> {
        date_mentions(text, crate::grammar::lang(lang))
            .into_iter()
            .filter(|m| m.anchored)
            .map(|m| m.date.to_string())
            .collect()
    }

    #[test]
    fn dates_counted_from_stated_ones() {
        assert_eq!(
            anchored_dates(
                "Het kalifaat dat IS in juni 2014 uitriep, is bijna vijf jaar later verdwenen.",
                "nl"
            ),
            ["2019"]
        );
        assert_eq!(
            anchored_dates(
                "More than five years after the group lost Baghuz in March 2019, the camp remains.",
                "en"
            ),
            ["2024"]
        );
        assert_eq!(
            anchored_dates(
                "Hij leidt het land sinds oktober 2010, bijna dertien jaar.",
                "nl"
            ),
            ["2023"]
        );
        // Counted from a planned date, or in a planning clause: a projection.
        assert!(anchored_dates(
            "Men hoopt dat het toestel in 2010 kan worden getest en drie jaar later in gebruik kan worden genomen.",
            "nl"
        )
        .is_empty());
        assert!(anchored_dates(
            "De toestellen worden vanaf 2011 opgeleverd, waarbij de laatste machine twee jaar later wordt geleverd.",
            "nl"
        )
        .is_empty());
        // A duration that is not counted from the date says nothing.
        assert!(anchored_dates("In 2010 he spent five years in prison.", "en").is_empty());
        assert!(anchored_dates("Five years later he returned.", "en").is_empty());
    }
}
