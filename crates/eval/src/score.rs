//! TempEval-3 style timex scoring: strict and relaxed extent P/R/F1, type
//! and value accuracy over relaxed matches, attribute F1 = accuracy ×
//! relaxed F1.

use crate::timeml::Span;

/// Counts accumulated over documents.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub docs: usize,
    pub gold: usize,
    pub sys: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub type_ok: usize,
    pub value_ok: usize,
}

/// The scores of one row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub strict_p: f64,
    pub strict_r: f64,
    pub strict_f: f64,
    pub relaxed_p: f64,
    pub relaxed_r: f64,
    pub relaxed_f: f64,
    pub type_acc: f64,
    pub value_acc: f64,
    pub type_f: f64,
    pub value_f: f64,
}

/// Harmonic mean of precision and recall (0 when both are 0).
pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// `a / b`, 0 when `b` is 0.
pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Canonical form of a value for comparison: equivalent duration
/// spellings are equal (`P3M` = `P1Q`, `P10Y` = `P1DE`, `P100Y` = `P1CE`).
pub fn norm_value(v: &str) -> String {
    let v = v.trim().to_uppercase();
    if let Some(body) = v.strip_prefix('P') {
        if !body.starts_with('T') {
            for (suf, mult, unit) in [("DE", 10.0, "Y"), ("CE", 100.0, "Y"), ("Q", 3.0, "M")] {
                if let Some(n) = body.strip_suffix(suf) {
                    if let Ok(n) = n.parse::<f64>() {
                        let x = n * mult;
                        return if x.fract() == 0.0 {
                            format!("P{}{unit}", x as i64)
                        } else {
                            format!("P{x}{unit}")
                        };
                    }
                }
            }
        }
    }
    v
}

/// A mismatch, for error listings.
#[derive(Debug, Clone)]
pub enum Diff<'a> {
    Missed(&'a Span),
    Spurious(&'a Span),
    Wrong(&'a Span, &'a Span),
}

impl Counts {
    /// Adds one document; returns the differences.
    pub fn add<'a>(&mut self, gold: &'a [Span], sys: &'a [Span]) -> Vec<Diff<'a>> {
        self.docs += 1;
        self.gold += gold.len();
        self.sys += sys.len();
        let mut used = vec![false; sys.len()];
        let mut diffs = Vec::new();
        for g in gold {
            // Prefer an exact match, then the largest overlap.
            let mut best: Option<(usize, usize)> = None;
            for (j, s) in sys.iter().enumerate() {
                if used[j] || s.end <= g.start || s.start >= g.end {
                    continue;
                }
                let ov = s.end.min(g.end) - s.start.max(g.start)
                    + if s.start == g.start && s.end == g.end {
                        1_000_000
                    } else {
                        0
                    };
                if best.is_none_or(|(_, b)| ov > b) {
                    best = Some((j, ov));
                }
            }
            match best {
                Some((j, _)) => {
                    used[j] = true;
                    let s = &sys[j];
                    self.relaxed += 1;
                    if s.start == g.start && s.end == g.end {
                        self.strict += 1;
                    }
                    let t = s.kind.eq_ignore_ascii_case(&g.kind);
                    let v = norm_value(&s.value) == norm_value(&g.value);
                    self.type_ok += t as usize;
                    self.value_ok += v as usize;
                    if !t || !v || s.start != g.start || s.end != g.end {
                        diffs.push(Diff::Wrong(g, s));
                    }
                }
                None => diffs.push(Diff::Missed(g)),
            }
        }
        for (j, s) in sys.iter().enumerate() {
            if !used[j] {
                diffs.push(Diff::Spurious(s));
            }
        }
        diffs
    }

    pub fn scores(&self) -> Scores {
        let sp = ratio(self.strict, self.sys);
        let sr = ratio(self.strict, self.gold);
        let rp = ratio(self.relaxed, self.sys);
        let rr = ratio(self.relaxed, self.gold);
        let rf = f1(rp, rr);
        let ta = ratio(self.type_ok, self.relaxed);
        let va = ratio(self.value_ok, self.relaxed);
        Scores {
            strict_p: sp,
            strict_r: sr,
            strict_f: f1(sp, sr),
            relaxed_p: rp,
            relaxed_r: rr,
            relaxed_f: rf,
            type_acc: ta,
            value_acc: va,
            type_f: ta * rf,
            value_f: va * rf,
        }
    }
}

/// One table row per (label, counts).
pub fn table(title: &str, rows: &[(String, Counts)]) -> String {
    let mut out = format!("{title}\n");
    out.push_str(&format!(
        "{:<34} {:>4} {:>5} {:>5} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} | {:>6} {:>6}\n",
        "system / split", "docs", "gold", "sys", "str P", "str R", "str F1", "rel P", "rel R",
        "rel F1", "type%", "val%", "typeF1", "valF1"
    ));
    for (label, c) in rows {
        let s = c.scores();
        let pc = |x: f64| format!("{:.2}", 100.0 * x);
        out.push_str(&format!(
            "{:<34} {:>4} {:>5} {:>5} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} | {:>6} {:>6}\n",
            label,
            c.docs,
            c.gold,
            c.sys,
            pc(s.strict_p),
            pc(s.strict_r),
            pc(s.strict_f),
            pc(s.relaxed_p),
            pc(s.relaxed_r),
            pc(s.relaxed_f),
            pc(s.type_acc),
            pc(s.value_acc),
            pc(s.type_f),
            pc(s.value_f)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(s: usize, e: usize, k: &str, v: &str) -> Span {
        Span {
            start: s,
            end: e,
            kind: k.into(),
            value: v.into(),
        }
    }

    #[test]
    fn strict_relaxed_and_attributes() {
        let gold = vec![
            sp(0, 4, "DATE", "2014"),
            sp(10, 20, "DURATION", "P3M"),
            sp(30, 34, "DATE", "2015"),
        ];
        let sys = vec![
            sp(0, 4, "DATE", "2014"),
            sp(12, 20, "DURATION", "P1Q"),
            sp(40, 44, "DATE", "x"),
        ];
        let mut c = Counts::default();
        let d = c.add(&gold, &sys);
        assert_eq!((c.strict, c.relaxed, c.type_ok, c.value_ok), (1, 2, 2, 2));
        assert_eq!(d.len(), 3);
        let s = c.scores();
        assert!((s.relaxed_f - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value_f - s.relaxed_f).abs() < 1e-9);
        assert_eq!(norm_value("P1DE"), "P10Y");
    }
}
