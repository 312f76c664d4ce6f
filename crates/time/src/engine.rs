//! The rule engine: matches the language's rules over tokens (and over
//! already recognised expressions, so small rules compose), then resolves
//! every expression in document order.

use kroniek_model::{year_bc, PartialDate, Precision, TimexType};

use std::cell::RefCell;
use std::rc::Rc;

use crate::grammar::{listed, Lang, Matcher, Out, Rule};
use crate::resolve::Ctx;
use crate::sem::{build, expand_year, Cap, Expr};
use crate::token::{second_year, tokenize, Kind, Token};

/// A recognised expression: token span `[first, end)` and meaning.
#[derive(Debug, Clone)]
struct Chunk {
    first: usize,
    end: usize,
    kind: Option<TimexType>,
    expr: Expr,
    modifier: Option<String>,
    dir: Option<i32>,
}

/// A tagged expression with byte offsets and its resolved value.
#[derive(Debug, Clone)]
pub struct Tagged {
    pub start: usize,
    pub end: usize,
    pub kind: TimexType,
    pub value: String,
    pub modifier: Option<String>,
    /// The expression as understood before resolution.
    pub expr: Expr,
    /// Sentence index.
    pub sent: usize,
    /// Tense used: -1 past, 0 unknown or present, 1 future.
    pub dir: i32,
    /// Its clause has one of the language's `not_past_aux` words ("in 2010
    /// kan worden getest"): planned or possible, not reported.
    pub modal: bool,
}

struct Parser<'a> {
    l: &'a Lang,
    toks: &'a [Token],
    /// Expressions found at each token (growing from the shortest).
    memo: RefCell<Vec<Option<Rc<Vec<Chunk>>>>>,
}

/// How deep slots may nest (`begin` `eind` ... `<DATE>`); bounds recursion
/// on adversarial input.
const MAX_DEPTH: usize = 6;
/// How many times an expression may grow by rules that start with a slot.
const MAX_GROWTH: usize = 4;

/// Where a rule is matched: its origin token, and the expression bound to
/// a slot at the origin (when growing one).
#[derive(Clone, Copy)]
struct At<'c> {
    origin: usize,
    seed: Option<&'c Chunk>,
    depth: usize,
}

impl Parser<'_> {
    fn tok(&self, p: usize) -> Option<&Token> {
        self.toks.get(p)
    }

    fn num(&self, p: usize) -> Option<(f64, usize)> {
        let t = self.tok(p)?;
        if t.kind == Kind::Number {
            let v = parse_digits(&t.lower)?;
            // "5 1/2": a whole number and a fraction
            let frac = self
                .tok(p + 1)
                .filter(|n| n.kind == Kind::Number && n.lower.contains('/') && v.fract() == 0.0)
                .and_then(|n| parse_digits(&n.lower));
            return Some(match frac {
                Some(f) => (v + f, 2),
                None => (v, 1),
            });
        }
        if t.kind != Kind::Word {
            return None;
        }
        let mut v = self.l.number_word(&t.lower)?;
        let mut len = 1;
        // twenty-five / twenty five
        if (20.0..100.0).contains(&v) && v % 10.0 == 0.0 {
            let (skip, unit) = match self.tok(p + 1) {
                Some(h) if h.lower == "-" => (2, self.tok(p + 2)),
                h => (1, h),
            };
            if let Some(u) = unit.and_then(|u| self.l.number_word(&u.lower)) {
                if (1.0..10.0).contains(&u) {
                    v += u;
                    len += skip;
                }
            }
        }
        // hundred / thousand multipliers
        if let Some(m) = self
            .tok(p + len)
            .and_then(|t| self.l.class_value(t, "nummult"))
            .and_then(|m| m.parse::<f64>().ok())
        {
            v *= m;
            len += 1;
        }
        // een half → 0.5; twee en een half → 2.5
        if let Some(f) = self
            .tok(p + len)
            .and_then(|t| self.l.class_value(t, "fraction"))
            .and_then(|m| m.parse::<f64>().ok())
        {
            if v == 1.0 {
                return Some((f, len + 1));
            }
        }
        if let (Some(a), Some(b), Some(c)) = (
            self.tok(p + len),
            self.tok(p + len + 1),
            self.tok(p + len + 2),
        ) {
            if self.l.has_class(&a.lower, "numand") && self.l.number_word(&b.lower) == Some(1.0) {
                if let Some(f) = self
                    .l
                    .class_value(c, "fraction")
                    .and_then(|m| m.parse::<f64>().ok())
                {
                    return Some((v + f, len + 3));
                }
            }
        }
        Some((v, len))
    }

    fn elem(&self, m: &Matcher, p: usize, at: At) -> Option<(usize, Cap)> {
        let word_cap = |t: &Token| Cap {
            text: t.lower.clone(),
            ..Cap::default()
        };
        match m {
            Matcher::Slot(want) => {
                let pick = |c: &Chunk| {
                    let k = c.kind?;
                    if c.first != p || c.end <= p || want.is_some_and(|w| w != k) {
                        return None;
                    }
                    Some((
                        c.end - p,
                        Cap {
                            expr: Some(c.expr.clone()),
                            kind: Some(k),
                            modifier: c.modifier.clone(),
                            dir: c.dir,
                            ..Cap::default()
                        },
                    ))
                };
                if p == at.origin {
                    return at.seed.and_then(pick);
                }
                let chain = self.chain(p, at.depth + 1);
                chain.iter().rev().find_map(pick)
            }
            Matcher::Alt(ms) => ms.iter().find_map(|m| self.elem(m, p, at)),
            Matcher::Words(ws) => {
                let t = self.tok(p)?;
                ws.contains(&t.lower).then(|| (1, word_cap(t)))
            }
            Matcher::Class(c) => {
                let t = self.tok(p)?;
                let v = self.l.class_value(t, c)?;
                Some((
                    1,
                    Cap {
                        text: t.lower.clone(),
                        val: v.to_string(),
                        ..Cap::default()
                    },
                ))
            }
            Matcher::Cap => {
                let t = self.tok(p)?;
                (t.upper && t.kind == Kind::Word).then(|| (1, word_cap(t)))
            }
            Matcher::Num => {
                let (v, len) = self.num(p)?;
                Some((
                    len,
                    Cap {
                        num: Some(v),
                        ..Cap::default()
                    },
                ))
            }
            Matcher::Int => {
                let t = self.tok(p)?;
                let digits = t.lower.trim_start_matches('\'');
                if t.kind != Kind::Number || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                Some((
                    1,
                    Cap {
                        num: None,
                        val: digits.to_string(),
                        text: t.lower.clone(),
                        ..Cap::default()
                    },
                ))
            }
            Matcher::Year => {
                let t = self.tok(p)?;
                let y: i32 = (t.lower.len() == 4 && t.lower.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| t.lower.parse().ok())??;
                (1000..=2199).contains(&y).then(|| {
                    (
                        1,
                        Cap {
                            num: Some(y as f64),
                            ..Cap::default()
                        },
                    )
                })
            }
            Matcher::Day | Matcher::Ordinal => {
                let t = self.tok(p)?;
                let v = if t.kind == Kind::Number {
                    let digits: String =
                        t.lower.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let suffix = &t.lower[digits.len()..];
                    let ok_suffix = suffix.is_empty() || self.l.has_class(suffix, "ordsuffix");
                    if !ok_suffix || (suffix.is_empty() && *m == Matcher::Ordinal) {
                        return None;
                    }
                    digits.parse::<u32>().ok()?
                } else {
                    self.l.class_value(t, "ordinal")?.parse().ok()?
                };
                if *m == Matcher::Day && !(1..=31).contains(&v) {
                    return None;
                }
                Some((
                    1,
                    Cap {
                        num: Some(v as f64),
                        ..Cap::default()
                    },
                ))
            }
            Matcher::Clock | Matcher::ClockAny => {
                let t = self.tok(p)?;
                let seps: &[char] = if *m == Matcher::Clock {
                    &[':']
                } else {
                    &[':', '.']
                };
                let (h, mm) = t.lower.split_once(seps)?;
                let (h, mm): (u32, u32) = (h.parse().ok()?, mm.parse().ok()?);
                if t.lower.len() > 5 || mm >= 60 || h > 24 || mm_len(&t.lower) != 2 {
                    return None;
                }
                Some((
                    1,
                    Cap {
                        val: format!("{h}:{mm}"),
                        ..Cap::default()
                    },
                ))
            }
            Matcher::NumDate => {
                let t = self.tok(p)?;
                let e = numdate(self.l, &t.lower)?;
                Some((
                    1,
                    Cap {
                        expr: Some(e),
                        kind: None,
                        ..Cap::default()
                    },
                ))
            }
            Matcher::Decade => {
                let t = self.tok(p)?;
                let s = t.lower.trim_start_matches('\'');
                let (digits, len) = if let Some(d) = s.strip_suffix('s') {
                    (d.to_string(), 1)
                } else if self.tok(p + 1).is_some_and(|a| a.lower == "'")
                    && self.tok(p + 2).is_some_and(|a| a.lower == "s")
                {
                    (s.to_string(), 3)
                } else {
                    return None;
                };
                if !(digits.len() == 4 || digits.len() == 2)
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                    || !digits.ends_with('0')
                {
                    return None;
                }
                Some((
                    len,
                    Cap {
                        val: digits,
                        ..Cap::default()
                    },
                ))
            }
        }
    }

    /// Matches `rule` from token `p`. Returns one capture (with its token
    /// span) per element.
    fn rule(&self, rule: &Rule, p: usize, at: At) -> Option<Vec<Option<(usize, usize, Cap)>>> {
        let mut caps = Vec::with_capacity(rule.elems.len());
        self.rule_from(rule, 0, p, at, &mut caps).map(|_| caps)
    }

    fn rule_from(
        &self,
        rule: &Rule,
        ei: usize,
        p: usize,
        at: At,
        caps: &mut Vec<Option<(usize, usize, Cap)>>,
    ) -> Option<usize> {
        let Some(e) = rule.elems.get(ei) else {
            return Some(p);
        };
        if let Some((len, cap)) = self.elem(&e.m, p, at) {
            caps.push(Some((p, p + len, cap)));
            if let Some(end) = self.rule_from(rule, ei + 1, p + len, at, caps) {
                return Some(end);
            }
            caps.truncate(ei);
        }
        if e.optional {
            caps.push(None);
            if let Some(end) = self.rule_from(rule, ei + 1, p, at, caps) {
                return Some(end);
            }
            caps.truncate(ei);
        }
        None
    }

    /// The best expression produced by `rules` at `p`: longest extent,
    /// ties to the earlier rule.
    fn best(&self, rules: &[usize], p: usize, at: At) -> Option<Chunk> {
        let mut best: Option<Chunk> = None;
        for &ri in rules {
            let Some(rule) = self.l.rules.get(ri) else {
                continue;
            };
            let Some(caps) = self.rule(rule, p, at) else {
                continue;
            };
            let mut ext: Option<(usize, usize)> = None;
            for (e, c) in rule.elems.iter().zip(&caps) {
                if let (false, Some((s, t, _))) = (e.context, c) {
                    ext = Some(match ext {
                        Some((a, _)) => (a, *t),
                        None => (*s, *t),
                    });
                }
            }
            let Some((s, e)) = ext else { continue };
            if e <= s || (s != p && !rule.elems.first().is_some_and(|e| e.context)) {
                continue;
            }
            if best.as_ref().is_some_and(|b| e <= b.end) {
                continue;
            }
            let plain: Vec<Option<Cap>> = caps.into_iter().map(|c| c.map(|c| c.2)).collect();
            let Some(b) = build(rule, &plain) else {
                continue;
            };
            best = Some(Chunk {
                first: s,
                end: e,
                kind: if rule.out == Out::None { None } else { b.kind },
                expr: b.expr,
                modifier: b.modifier,
                dir: b.dir,
            });
        }
        best
    }

    /// The expressions found at token `p`, shortest first; each grows the
    /// previous one by a rule that starts with a slot.
    fn chain(&self, p: usize, depth: usize) -> Rc<Vec<Chunk>> {
        if let Some(Some(c)) = self.memo.borrow().get(p) {
            return c.clone();
        }
        if depth > MAX_DEPTH || p >= self.toks.len() {
            return Rc::new(Vec::new());
        }
        let mut cands = Vec::new();
        self.l.candidates(self.tok(p), &mut cands);
        let mut out = Vec::new();
        let base = At {
            origin: p,
            seed: None,
            depth,
        };
        if let Some(c) = self.best(&cands, p, base) {
            out.push(c);
            for _ in 0..MAX_GROWTH {
                let Some(seed) = out.last().filter(|c| c.first == p && c.kind.is_some()) else {
                    break;
                };
                let at = At {
                    origin: p,
                    seed: Some(seed),
                    depth,
                };
                match self.best(self.l.slot_rules(), p, at) {
                    Some(g) if g.end > seed.end => out.push(g),
                    _ => break,
                }
            }
        }
        let rc = Rc::new(out);
        if let Some(slot) = self.memo.borrow_mut().get_mut(p) {
            *slot = Some(rc.clone());
        }
        rc
    }
}

fn mm_len(s: &str) -> usize {
    s.split_once([':', '.']).map(|(_, m)| m.len()).unwrap_or(0)
}

fn parse_digits(s: &str) -> Option<f64> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    // 1/2, 3/4: the fraction of "5 1/2 hours"
    if let Some((a, b)) = s.split_once('/') {
        let (a, b): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
        return ((2..=4).contains(&b) && a < b).then(|| f64::from(a) / f64::from(b));
    }
    // 2,5 / 2.5 decimals; 1,000 / 1.000 thousands
    let (a, b) = s.split_once([',', '.'])?;
    if !a.bytes().all(|c| c.is_ascii_digit()) || !b.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if b.len() == 3 {
        format!("{a}{b}").parse().ok()
    } else {
        format!("{a}.{b}").parse().ok()
    }
}

/// Numeric date shapes: `2018-08-22`, `12-06-2014`, `12/6/2014`, `01-Mar-08`, `20080301`.
fn numdate(l: &Lang, s: &str) -> Option<Expr> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        );
        return PartialDate::day(y, m, d)
            .filter(|_| (1900..2100).contains(&y))
            .map(|_| Expr::Abs {
                y: Some(y),
                m: Some(m),
                d: Some(d),
            });
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let sep_ok = {
        let seps: Vec<char> = s.chars().filter(|c| matches!(c, '-' | '/' | '.')).collect();
        seps.len() == 2 && seps[0] == seps[1]
    };
    if !sep_ok {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = if parts[0].len() == 4 {
        (
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        )
    } else {
        let y = if parts[2].len() == 4 || parts[2].len() == 2 {
            expand_year(parts[2])?
        } else {
            return None;
        };
        let mon = if parts[1].bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            Some(l.lex.get(parts[1]).and_then(|es| {
                es.iter()
                    .find(|(c, _, _)| c == "month" || c == "mon")
                    .and_then(|(_, v, _)| v.parse::<u32>().ok())
            })?)
        };
        let a: u32 = parts[0].parse().ok()?;
        match mon {
            Some(m) => (y, m, a),
            None => {
                let b: u32 = parts[1].parse().ok()?;
                if l.day_first {
                    (y, b, a)
                } else {
                    (y, a, b)
                }
            }
        }
    };
    if !(1000..2200).contains(&y) {
        return None;
    }
    PartialDate::day(y, m, d)?;
    Some(Expr::Abs {
        y: Some(y),
        m: Some(m),
        d: Some(d),
    })
}

/// Sentence index of each token: a new sentence after `.`, `!`, `?` before
/// an uppercase word or a number, and at blank lines.
fn sentence_ids(text: &str, toks: &[Token]) -> Vec<usize> {
    let mut ids = Vec::with_capacity(toks.len());
    let mut s = 0;
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            let prev = &toks[i - 1];
            let gap = text.get(prev.end..t.start).unwrap_or("");
            let end_punct =
                matches!(prev.lower.as_str(), "." | "!" | "?") && (t.upper || t.kind != Kind::Word);
            if end_punct || gap.contains('\n') {
                s += 1;
            }
        }
        ids.push(s);
    }
    ids
}

fn word_dir(l: &Lang, w: &str) -> Option<i32> {
    let t = &l.tense;
    if listed(&t.future, w) {
        return Some(1);
    }
    if listed(&t.past, w) {
        return Some(-1);
    }
    if listed(&t.present, w) {
        return Some(0);
    }
    if w.len() >= 5
        && w.chars().all(|c| c.is_alphabetic())
        && !listed(&t.not_past, w)
        && t.past_shapes.iter().any(|(p, s)| {
            w.len() > p.len() + s.len() + 1 && w.starts_with(p.as_str()) && w.ends_with(s.as_str())
        })
    {
        return Some(-1);
    }
    None
}

/// Runs the rules over a text: recognition only, no resolution. Returns
/// the chosen expressions in text order, without overlaps.
fn recognise(l: &Lang, toks: &[Token]) -> Vec<Chunk> {
    let parser = Parser {
        l,
        toks,
        memo: RefCell::new(vec![None; toks.len() + 1]),
    };
    let mut out = Vec::new();
    let mut p = 0;
    while p < toks.len() {
        let chain = parser.chain(p, 0);
        match chain.last() {
            Some(c) if c.end > p => {
                p = c.end;
                out.push(c.clone());
            }
            _ => p += 1,
        }
    }
    out
}

/// Splits letters glued to a number (`8am`, `7days`, `12hrs`, and the
/// Dutch clock `14u30`) off as a word of their own when they are a time
/// unit of the language or one of its `glued` words; `21st`, `1990s` and
/// `3G` stay whole.
fn split_glued(l: &Lang, text: &str, toks: Vec<Token>) -> Vec<Token> {
    let glued = |w: &str| ["unit", "units", "glued"].iter().any(|c| l.has_class(w, c));
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        let cut = t.lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        let (digits, rest) = t.lower.split_at(cut);
        // `14u30`: minutes after the letters
        let cut2 = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (letters, minutes) = rest.split_at(cut2);
        if t.kind != Kind::Number
            || digits.is_empty()
            || letters.is_empty()
            || !letters.chars().all(char::is_alphabetic)
            || !minutes.bytes().all(|b| b.is_ascii_digit())
            || !(minutes.is_empty() || minutes.len() == 2)
            || !glued(letters)
        {
            out.push(t);
            continue;
        }
        let letters_end = t.start + cut + letters.len();
        out.push(Token {
            start: t.start,
            end: t.start + cut,
            lower: digits.to_string(),
            kind: Kind::Number,
            upper: false,
        });
        out.push(Token {
            start: t.start + cut,
            end: letters_end,
            lower: letters.to_string(),
            kind: Kind::Word,
            upper: text
                .get(t.start + cut..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_uppercase),
        });
        if !minutes.is_empty() {
            out.push(Token {
                start: letters_end,
                end: t.end,
                lower: minutes.to_string(),
                kind: Kind::Number,
                upper: false,
            });
        }
    }
    out
}

/// The other end of a range ("April 6-7", "10-12 October", "between 12
/// and 18 months", "van 6 tot 8 maart", "1947-54", "499-493 BC"): a bare
/// number joined by one of the language's `range` words to a recognised
/// day, year or duration is a timex of its own, with the month and year
/// (the century, the era, the unit) of that neighbour. The number must
/// lie on the right side of the neighbour's (the earlier day comes first). After a range word that is a word
/// ("and", "en"), a trailing number must not be followed by a word, so
/// "on March 5 and 6 people died" keeps its six people.
fn complete_ranges(l: &Lang, toks: &[Token], chunks: Vec<Chunk>) -> Vec<Chunk> {
    // Tokens inside a recognised expression (linear, whatever the count).
    let mut inside = vec![false; toks.len() + 2];
    for c in &chunks {
        for x in inside.iter_mut().take(c.end).skip(c.first) {
            *x = true;
        }
    }
    let covered = |i: usize| inside.get(i).copied().unwrap_or(true);
    let bare = |i: usize| -> Option<f64> {
        let t = toks.get(i)?;
        match t.kind {
            Kind::Number if t.lower.len() <= 4 => t.lower.parse().ok(),
            Kind::Word => l.number_word(&t.lower),
            _ => None,
        }
    };
    let connector = |i: usize| {
        toks.get(i)
            .and_then(|t| l.class_value(t, "range"))
            .is_some()
    };
    let mut extra = Vec::new();
    for c in &chunks {
        let Some(kind) = c.kind else { continue };
        let made = |first: usize, n: f64, left: bool| -> Option<Chunk> {
            let expr = match &c.expr {
                Expr::Abs {
                    y,
                    m: Some(m),
                    d: Some(d),
                } if n.fract() == 0.0
                    && toks.get(first).is_some_and(|t| t.kind == Kind::Number)
                    && (1.0..=31.0).contains(&n)
                    && ((left && n < f64::from(*d)) || (!left && n > f64::from(*d))) =>
                {
                    Expr::Abs {
                        y: *y,
                        m: Some(*m),
                        d: Some(n as u32),
                    }
                }
                // Years: "1947-54", "499-493 BC".
                Expr::Abs {
                    y: Some(yc),
                    m: None,
                    d: None,
                } if n.fract() == 0.0
                    && toks.get(first).is_some_and(|t| t.kind == Kind::Number) =>
                {
                    let yc = *yc;
                    let y = match (left, yc > 0) {
                        // "1947-54": after an AD year, in its century
                        (false, true) => second_year(yc, &toks.get(first)?.lower)?,
                        // "499-493 BC": before a BC year, in its era
                        (true, false) => {
                            Some(year_bc(n as i32)).filter(|y| (1..=100).contains(&(yc - y)))?
                        }
                        _ => return None,
                    };
                    Expr::Abs {
                        y: Some(y),
                        m: None,
                        d: None,
                    }
                }
                Expr::Dur { n: Some(k), unit } if left && n > 0.0 && n < *k => Expr::Dur {
                    n: Some(n),
                    unit: unit.clone(),
                },
                _ => return None,
            };
            Some(Chunk {
                first,
                end: first + 1,
                kind: Some(kind),
                expr,
                modifier: None,
                dir: c.dir,
            })
        };
        // The number after: "April 6 - 7", "April 24 and 25".
        let r = c.end + 1;
        if connector(c.end) && !covered(r) {
            let word_joined = toks.get(c.end).is_some_and(|t| t.kind == Kind::Word);
            let free = !word_joined || toks.get(r + 1).is_none_or(|t| t.kind != Kind::Word);
            if let Some(ch) = bare(r).filter(|_| free).and_then(|n| made(r, n, false)) {
                extra.push(ch);
            }
        }
        // The number before: "10 - 12 October", "between 12 and 18 months".
        if c.first >= 2 && connector(c.first - 1) && !covered(c.first - 2) {
            let q = c.first - 2;
            if let Some(ch) = bare(q).and_then(|n| made(q, n, true)) {
                extra.push(ch);
            }
        }
    }
    let mut all = chunks;
    if !extra.is_empty() {
        all.extend(extra);
        all.sort_by_key(|c| c.first);
        all.dedup_by_key(|c| c.first);
    }
    // The first end without a year takes the second's: "April and June
    // 1955", "maart tot mei 2010", "December and January 1942" (December
    // of the year before).
    for i in 1..all.len() {
        let (head, tail) = all.split_at_mut(i);
        let (a, b) = (&mut head[i - 1], &tail[0]);
        if b.first != a.end + 1 || !connector(a.end) {
            continue;
        }
        if let (
            Expr::Abs {
                y: ya @ None,
                m: Some(ma),
                ..
            },
            Expr::Abs {
                y: Some(yb),
                m: Some(mb),
                ..
            },
        ) = (&mut a.expr, &b.expr)
        {
            *ya = Some(if *ma <= *mb { *yb } else { *yb - 1 });
        }
    }
    all
}

/// Whether an expression writes its year out ("1915", "the spring of
/// 1915", "June 3, 1916 at noon"): such a date moves a narration.
fn states_year(e: &Expr) -> bool {
    match e {
        Expr::Abs { y: Some(_), .. } => true,
        Expr::Part { base: Some(b), .. } | Expr::Time { base: Some(b), .. } => states_year(b),
        _ => false,
    }
}

/// Tags a text: recognises every temporal expression and resolves it
/// against `dct` (and, where the text narrates, the last mentioned date).
pub fn run(text: &str, l: &Lang, dct: Option<PartialDate>) -> Vec<Tagged> {
    let toks = split_glued(l, text, tokenize(text));
    let sents = sentence_ids(text, &toks);
    let chunks = complete_ranges(l, &toks, recognise(l, &toks));
    // Tense cue per token.
    let boundary: Vec<bool> = toks
        .iter()
        .map(|t| listed(&l.tense.boundary, &t.lower))
        .collect();
    let mut dirs: Vec<Option<i32>> = toks
        .iter()
        .map(|t| {
            if t.kind == Kind::Word {
                word_dir(l, &t.lower)
            } else {
                None
            }
        })
        .collect();
    // The verb after an infinitive marker is no past ("expected to hit").
    for i in 1..toks.len() {
        if dirs[i] == Some(-1) && listed(&l.tense.infinitive, &toks[i - 1].lower) {
            dirs[i] = None;
        }
    }
    // A participle in a clause with a present or future auxiliary ("wordt
    // in 2016 geleverd", "kan drie jaar later worden genomen") is no past.
    let mut modal = vec![false; toks.len()];
    if !l.tense.not_past_aux.is_empty() {
        let mut start = 0;
        for i in 0..=toks.len() {
            let ends = i == toks.len() || boundary[i] || sents.get(i) != sents.get(start);
            if !ends {
                continue;
            }
            let aux = toks[start..i]
                .iter()
                .any(|t| listed(&l.tense.not_past_aux, &t.lower));
            if aux {
                modal[start..i].fill(true);
                // Only the cues read off a word's shape; listed past forms stay.
                for j in start..i {
                    if dirs[j] == Some(-1) && !listed(&l.tense.past, &toks[j].lower) {
                        dirs[j] = None;
                    }
                }
            }
            start = i;
        }
    }
    let years: Vec<i32> = chunks
        .iter()
        .filter_map(|c| match c.expr {
            Expr::Abs { y: Some(y), .. } if c.kind.is_some() => Some(y),
            _ => None,
        })
        .collect();
    let narrative = match dct {
        Some(d) => {
            let far = years
                .iter()
                .filter(|y| (*y - d.year_value()).abs() >= 2)
                .count();
            years.len() >= 3 && far * 2 > years.len()
        }
        None => true,
    };
    let mut ctx = Ctx {
        dct,
        narrative,
        tense_days: l.tense_days,
        weekday_past: l.weekday_past,
        month_past: l.month_past,
        ..Ctx::default()
    };
    let mut out = Vec::new();
    for c in &chunks {
        let Some(kind) = c.kind else { continue };
        let last = c.end.saturating_sub(1);
        let (Some(ft), Some(lt)) = (toks.get(c.first), toks.get(last)) else {
            continue;
        };
        let sent = sents.get(c.first).copied().unwrap_or(0);
        // A direction the rule states ("last May") is a hard constraint
        // (±2); one read from the sentence's tense a preference (±1).
        let dir = c.dir.map(|d| d.signum() * 2).unwrap_or_else(|| {
            // Nearest tense cue in the sentence, outside the expression.
            let mut best: Option<(usize, i32)> = None;
            let mut i = c.first;
            let mut dist = 0;
            while i > 0 && dist < 40 {
                i -= 1;
                dist += 1;
                if sents.get(i) != Some(&sent) || boundary[i] {
                    break;
                }
                if let Some(d) = dirs[i] {
                    best = Some((dist, d));
                    break;
                }
            }
            let mut j = c.end;
            let mut dist = 0;
            while j < toks.len() && dist < 40 {
                dist += 1;
                if sents.get(j) != Some(&sent) || boundary[j] {
                    break;
                }
                if let Some(d) = dirs[j] {
                    if best.is_none_or(|(bd, _)| dist < bd) {
                        best = Some((dist, d));
                    }
                    break;
                }
                j += 1;
            }
            best.map(|b| b.1).unwrap_or(0)
        });
        // `narrated`: read in the narrated time, it carries the narration
        // on like a written-out date.
        let (value, date, narrated) = ctx.resolve_narrated(&c.expr, dir, sent);
        if value.is_empty() {
            continue;
        }
        if value.as_bytes().first().is_some_and(|b| b.is_ascii_digit()) {
            ctx.last_value = Some((value.clone(), sent));
            // Only a quarter the text names: "a year earlier" → 1988-Q3 must
            // not become the quarter the next "a year ago" counts from.
            if value.len() == 7
                && value.get(4..6) == Some("-Q")
                && !matches!(c.expr, Expr::Offset { .. })
            {
                ctx.last_quarter = Some((value.clone(), sent));
            }
        }
        // A written-out date after "since" or used as a modifier ("the
        // 1992 protests", "the Dec. 21, 1988, bombing") is background: the
        // narration does not move to it.
        let explicit = states_year(&c.expr);
        let background = matches!(c.expr, Expr::Abs { y: Some(_), .. })
            && c.first
                .checked_sub(1)
                .into_iter()
                .chain([c.first])
                .filter_map(|i| toks.get(i))
                .any(|t| listed(&l.tense.since, &t.lower) || listed(&l.tense.background, &t.lower));
        // In a narrative, a date read against the DCT ("by the end of the
        // month") does not replace a narrated date either: the narration
        // resumes after it.
        // Nor does a look back from the narrated date ("keeping the gains
        // of the previous year"): the narration stays where it was.
        let look_back = matches!(
            c.expr,
            Expr::Offset {
                sign: -1,
                last: true,
                ..
            }
        );
        let aside =
            ctx.narrative && !explicit && (!narrated || look_back) && ctx.last.is_some_and(|l| l.2);
        if !background && !aside {
            if let Some(d) = date {
                // A bare year restating the narrated one ("On December 7,
                // 1941, ...": "1941") keeps the finer date the narration is at.
                ctx.last = match ctx.last {
                    Some((l, _, true))
                        if d.precision() == Precision::Year
                            && l.precision() != Precision::Year
                            && l.year_value() == d.year_value() =>
                    {
                        Some((l, sent, true))
                    }
                    _ => Some((d, sent, explicit || narrated)),
                };
            } else if let Some(y) = year_of(&value) {
                // A season, half, quarter or week ("deze zomer" → 2014-SU)
                // moves the narration to its year too, so a later "29 juni"
                // is not anchored on an older year mentioned before it.
                ctx.last = Some((PartialDate::year(y), sent, explicit || narrated));
            }
        }
        out.push(Tagged {
            start: ft.start,
            end: lt.end,
            kind,
            value,
            modifier: c.modifier.clone(),
            expr: c.expr.clone(),
            sent,
            dir: dir.signum(),
            modal: modal.get(c.first).copied().unwrap_or(false),
        });
    }
    day_of_times(&mut out);
    out
}

/// A clock time that names no day ("at 10:35 a.m.") is on the day a
/// date of the same sentence names ("... Friday"), not the DCT's.
fn day_of_times(out: &mut [Tagged]) {
    let is_day = |v: &str| v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    for i in 0..out.len() {
        let t = &out[i];
        if t.kind != TimexType::Time
            || !matches!(
                t.expr,
                Expr::Time {
                    base: None,
                    clock: Some(_),
                    ..
                }
            )
            || !t.value.get(..10).is_some_and(is_day)
        {
            continue;
        }
        let day = out
            .iter()
            .enumerate()
            // (or right after it: "10:35 a.m. (0735 GMT) Friday", where the
            // abbreviation's full stop looked like a sentence end)
            .filter(|(j, o)| {
                *j != i
                    && o.kind == TimexType::Date
                    && (o.sent == t.sent || (o.sent == t.sent + 1 && o.start <= t.end + 20))
            })
            .filter(|(_, o)| is_day(&o.value))
            .min_by_key(|(j, _)| j.abs_diff(i))
            .map(|(_, o)| o.value.clone());
        if let Some(d) = day {
            let rest = out[i].value[10..].to_string();
            out[i].value = format!("{d}{rest}");
        }
    }
}

/// The year of a TIMEX3 date value that is not a plain date (`2014-SU`,
/// `2024-H1`, `2018-W34`), if it has one.
fn year_of(value: &str) -> Option<i32> {
    let (y, rest) = value.split_at_checked(4)?;
    if !rest.starts_with('-') || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    y.parse().ok()
}

#[cfg(test)]
mod day_tests {
    #[test]
    fn a_clock_time_takes_the_day_its_sentence_names() {
        let dct = "1998-08-08".parse().ok();
        let t = crate::tag(
            "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building. At 9 a.m. they met.",
            "en",
            dct,
        );
        let v: Vec<(&str, &str)> = t
            .iter()
            .map(|t| (t.text.as_str(), t.value.as_str()))
            .collect();
        assert!(v.contains(&("10:35 a.m.", "1998-08-07T10:35")), "{v:?}");
        assert!(v.contains(&("9 a.m.", "1998-08-08T09:00")), "{v:?}");
    }
}
