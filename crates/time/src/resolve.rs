//! The resolver: turns underspecified meanings into TIMEX3 values against an
//! anchor (the DCT, or the last mentioned date where the text narrates).

use std::cell::Cell;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use kroniek_model::{year_str, PartialDate, Precision};

use crate::sem::{Expr, Movable};

/// The duration value of an amount of a unit (`P5Y`, `PT55M`, `PXY`).
pub fn duration_value(n: Option<f64>, unit: &str) -> String {
    let (mut n, mut unit) = (n, unit.to_string());
    // Fractions into whole smaller units where that is how people say it.
    if let Some(v) = n {
        if v.fract() != 0.0 {
            let smaller = match unit.as_str() {
                "Y" => Some((12.0, "M")),
                "D" => Some((24.0, "TH")),
                "TH" => Some((60.0, "TM")),
                "TM" => Some((60.0, "TS")),
                "W" => Some((7.0, "D")),
                _ => None,
            };
            if let Some((f, u)) = smaller {
                let rest = v.fract() * f;
                if v >= 1.0 && rest.fract() == 0.0 && unit != "W" {
                    // 2.5 years → P2Y6M, 5.5 hours → PT5H30M
                    let whole = v.trunc() as i64;
                    let rest = rest as i64;
                    return match unit.as_str() {
                        "Y" => format!("P{whole}Y{rest}M"),
                        "D" => format!("P{whole}DT{rest}H"),
                        "TH" => format!("PT{whole}H{rest}M"),
                        _ => format!("PT{whole}M{rest}S"),
                    };
                }
                if (v * f).fract() == 0.0 {
                    n = Some(v * f);
                    unit = u.to_string();
                }
            }
        }
    }
    // Decades and centuries counted in years, as TimeML annotators do
    // ("two decades" → P20Y).
    if let (Some(v), Some(f)) = (
        n,
        match unit.as_str() {
            "DE" => Some(10.0),
            "CE" => Some(100.0),
            _ => None,
        },
    ) {
        n = Some(v * f);
        unit = "Y".to_string();
    }
    let amount = match n {
        Some(v) if v.fract() == 0.0 => format!("{}", v as i64),
        Some(v) => format!("{v}"),
        None => "X".to_string(),
    };
    match unit.as_str() {
        "TH" => format!("PT{amount}H"),
        "TM" => format!("PT{amount}M"),
        "TS" => format!("PT{amount}S"),
        "HY" => match n {
            Some(v) => format!("P{}M", v * 6.0),
            None => "PXM".into(),
        },
        "WE" => format!("P{amount}WE"),
        u => format!("P{amount}{u}"),
    }
}

/// The state of resolution through one document.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    /// The DCT (given or inferred).
    pub dct: Option<PartialDate>,
    /// The last resolved date mentioned, with its sentence index and
    /// whether its year was written out.
    pub last: Option<(PartialDate, usize, bool)>,
    /// The last date value produced, with its sentence index.
    pub last_value: Option<(String, usize)>,
    /// The last quarter value produced (`1989-Q3`), with its sentence index:
    /// a report about a quarter compares with "a year ago" in that quarter.
    pub last_quarter: Option<(String, usize)>,
    /// Whether the text narrates about other times than its DCT (most
    /// explicit years far from it): then dates without a year take the
    /// year of the last mentioned date, not the DCT's.
    pub narrative: bool,
    /// See [`Lang::tense_days`](crate::grammar::Lang::tense_days).
    pub tense_days: i64,
    /// See [`Lang::weekday_past`](crate::grammar::Lang::weekday_past).
    pub weekday_past: i64,
    /// See [`Lang::month_past`](crate::grammar::Lang::month_past).
    pub month_past: i64,
    /// Set while resolving when the date was read in the narrated time
    /// (the last mentioned date that carries a year from the text) rather
    /// than against the DCT; see [`Ctx::resolve_narrated`].
    pub(crate) narrated: Cell<bool>,
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn add_months(y: i32, m: u32, n: i64) -> (i32, u32) {
    let total = y as i64 * 12 + (m as i64 - 1) + n;
    (
        total.div_euclid(12) as i32,
        (total.rem_euclid(12) + 1) as u32,
    )
}

fn needs(unit: &str) -> Precision {
    match unit {
        "Y" | "DE" | "CE" => Precision::Year,
        "M" | "Q" | "HY" => Precision::Month,
        _ => Precision::Day,
    }
}

/// The value of the period `unit` containing `a`, moved by `n` units,
/// truncated to what the anchor's precision supports.
fn shift(a: PartialDate, unit: &str, n: i64) -> (String, Option<PartialDate>) {
    let prec = a.precision();
    let y = a.year_value();
    if needs(unit) > prec {
        // Not enough evidence for the unit: stay at the anchor's precision,
        // moving whole years when the unit allows.
        let moved = match unit {
            "M" if prec == Precision::Year && n.abs() >= 12 => {
                PartialDate::year(y + (n / 12) as i32)
            }
            "Q" | "HY" if prec == Precision::Year => a,
            _ => a,
        };
        return (moved.to_string(), Some(moved));
    }
    let day = a.first_day();
    match unit {
        "Y" => {
            let p = PartialDate::year(y.saturating_add(n as i32));
            (p.to_string(), Some(p))
        }
        "DE" => (format!("{:03}", (y as i64 / 10 + n)), None),
        "CE" => (format!("{:02}", (y as i64 / 100 + n)), None),
        "M" => {
            let (yy, mm) = add_months(y, a.month_value().unwrap_or(1), n);
            let p = PartialDate::month(yy, mm);
            (p.map(|p| p.to_string()).unwrap_or_default(), p)
        }
        "Q" => {
            let q = (a.month_value().unwrap_or(1) as i64 - 1) / 3;
            let t = y as i64 * 4 + q + n;
            (
                format!(
                    "{}-Q{}",
                    year_str(t.div_euclid(4) as i32),
                    t.rem_euclid(4) + 1
                ),
                PartialDate::month(t.div_euclid(4) as i32, (t.rem_euclid(4) * 3 + 1) as u32),
            )
        }
        "HY" => {
            let h = (a.month_value().unwrap_or(1) as i64 - 1) / 6;
            let t = y as i64 * 2 + h + n;
            (
                format!(
                    "{}-H{}",
                    year_str(t.div_euclid(2) as i32),
                    t.rem_euclid(2) + 1
                ),
                None,
            )
        }
        "W" | "WE" => {
            let d = day.checked_add_signed(Duration::days(7 * n)).unwrap_or(day);
            let w = d.iso_week();
            let v = format!("{:04}-W{:02}", w.year(), w.week());
            if unit == "WE" {
                (format!("{v}-WE"), None)
            } else {
                (v, None)
            }
        }
        "TH" | "TM" | "TS" => (ymd(day), Some(a)),
        _ => {
            let d = day.checked_add_signed(Duration::days(n)).unwrap_or(day);
            (ymd(d), Some(PartialDate::from_naive(d)))
        }
    }
}

/// A candidate on the side a rule rules out ("last May" after the DCT).
const HARD: i64 = 100_000;

/// The year of a season, quarter or half named without one: the DCT's,
/// unless the direction rules it out. A stated one (`dir` ±2: "last
/// summer", "next spring") is the season before / after whenever the
/// DCT's has not ended yet / has already begun. A tense (±1) only asks
/// that a past period has begun by the DCT ("profit rose in the fourth
/// quarter" in March is last year's) and a future one has not ended;
/// a quarter's results come out after it, so a future quarter moves a
/// year on only when it ended more than three months ago ("will report
/// third-quarter results" in November is this year's).
fn season_year(a: PartialDate, part: &str, dir: i32) -> i32 {
    let y = a.year_value();
    let (first, last, grace) = match part {
        "SP" => (3, 5, 0),
        "SU" => (6, 8, 0),
        "FA" => (9, 11, 0),
        "WI" => (12, 14, 0),
        "Q1" => (1, 3, 3),
        "Q2" => (4, 6, 3),
        "Q3" => (7, 9, 3),
        "Q4" => (10, 12, 3),
        "H1" => (1, 6, 3),
        "H2" => (7, 12, 3),
        _ => return y,
    };
    let Some(m) = a.month_value() else { return y };
    match dir {
        -2 if m <= last => y - 1,
        2 if m >= first => y + 1,
        -1 if first > m => y - 1,
        1 if last + grace < m => y + 1,
        _ => y,
    }
}

fn unknown(unit: &str) -> String {
    match unit {
        "Y" => "XXXX".into(),
        "M" => "XXXX-XX".into(),
        "W" => "XXXX-WXX".into(),
        "Q" => "XXXX-QX".into(),
        "HY" => "XXXX-HX".into(),
        "DE" => "XXX".into(),
        "CE" => "XX".into(),
        _ => "XXXX-XX-XX".into(),
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian
/// algorithm, "Meeus/Jones/Butcher").
pub(crate) fn easter(y: i32) -> Option<NaiveDate> {
    let a = y.rem_euclid(19);
    let (b, c) = (y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(y, (n / 31) as u32, (n % 31 + 1) as u32)
}

impl Movable {
    /// The month to give when the year is unknown: the month of the date in
    /// the middle of its range (Easter falls between 22 March and 25 April).
    fn usual_month(self) -> u32 {
        match self {
            Movable::Nth { m, .. } => m,
            Movable::Easter(o) => NaiveDate::from_ymd_opt(2001, 4, 8)
                .and_then(|d| d.checked_add_signed(Duration::days(o)))
                .map_or(4, |d| d.month()),
        }
    }

    /// The holiday's date in year `y`.
    pub(crate) fn date(self, y: i32) -> Option<NaiveDate> {
        match self {
            Movable::Easter(o) => easter(y)?.checked_add_signed(Duration::days(o)),
            Movable::Nth { m, wd, n } => {
                let wd = *WEEKDAYS.get((wd as usize).checked_sub(1)?)?;
                let nth = |n: u8| NaiveDate::from_weekday_of_month_opt(y, m, wd, n);
                match u8::try_from(n) {
                    Ok(n) => nth(n),
                    // The last one: the fifth when the month has one.
                    Err(_) => nth(5).or_else(|| nth(4)),
                }
            }
        }
    }
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl Ctx {
    /// The anchor for a date that does not say its year: the last
    /// mentioned date when the text narrates about another time nearby,
    /// otherwise the DCT.
    fn narrative_anchor(&self, sent: usize, dir: i32) -> Option<PartialDate> {
        if let (Some((last, s, explicit)), dct) = (self.last, self.dct) {
            let far = dct.is_none_or(|d| d.year_value() != last.year_value());
            // Outside narratives only a month or day of the same sentence
            // anchors ("on June 3, 2014 ... on June 29"); a bare year there
            // is background ("a program approved in 1987 ... through Sept. 29"),
            // and a date the sentence puts in the future is not read in a
            // past one ("invited in July 1997, will join on March 12").
            let near = if self.narrative {
                sent <= s + 2
            } else {
                let past = dct.is_some_and(|d| last.last_day() < d.first_day());
                sent == s && last.precision() != Precision::Year && !(dir > 0 && past)
            };
            let historic =
                self.narrative && dct.is_none_or(|d| last.year_value() < d.year_value() - 1);
            if explicit && far && (near || historic) {
                return Some(last);
            }
        }
        self.dct.or(self.last.map(|l| l.0))
    }

    /// The day a clock time without one is on: in a narrative the narrated
    /// day ("at 10:57" after "11 November 1918"), elsewhere the DCT's.
    fn clock_day(&self, sent: usize, dir: i32) -> Option<PartialDate> {
        if self.narrative {
            self.narrative_anchor(sent, dir)
        } else {
            self.dct
        }
    }

    /// The date a yearless expression denotes: `in_year(y)` in the year
    /// nearest to the anchor (the DCT, or the narrated date), with a
    /// penalty for lying on the side the tense rules out. `Err(Some(year))`
    /// when no candidate exists around the anchor's year, `Err(None)`
    /// without an anchor.
    fn year_for(
        &self,
        in_year: &dyn Fn(i32) -> Option<PartialDate>,
        dir: i32,
        sent: usize,
    ) -> Result<PartialDate, Option<i32>> {
        let a = self.narrative_anchor(sent, dir).ok_or(None)?;
        let ay = a.year_value();
        if a.month_value().is_none() {
            return in_year(ay).ok_or(Some(ay));
        }
        let (lo, hi) = (a.first_day(), a.last_day());
        // Read in a narrated time, the tense of a past narrative says
        // nothing about before or after it; only a stated direction does.
        let narrated = Some(a) != self.dct;
        if narrated {
            self.narrated.set(true);
        }
        let mut best: Option<(i64, PartialDate)> = None;
        for y in [ay - 1, ay, ay + 1] {
            let Some(c) = in_year(y) else {
                continue;
            };
            let (cf, cl) = (c.first_day(), c.last_day());
            let (dist, side) = if cl < lo {
                ((lo - cl).num_days(), -1)
            } else if cf > hi {
                ((cf - hi).num_days(), 1)
            } else {
                (0, 0)
            };
            let penalty = if side != 0 && dir != 0 && side != dir.signum() {
                if dir.abs() > 1 {
                    HARD
                } else if narrated {
                    0
                } else {
                    self.tense_days
                }
            } else if side > 0 && dir == 0 && !narrated {
                self.month_past
            } else {
                0
            };
            let score = dist + penalty;
            if best.is_none_or(|(b, _)| score < b) {
                best = Some((score, c));
            }
        }
        best.map(|b| b.1).ok_or(Some(ay))
    }

    /// [`Ctx::resolve`], and whether the date was read in the narrated time
    /// rather than against the DCT (such a date carries the narration on).
    pub fn resolve_narrated(
        &self,
        e: &Expr,
        dir: i32,
        sent: usize,
    ) -> (String, Option<PartialDate>, bool) {
        self.narrated.set(false);
        let (value, date) = self.resolve(e, dir, sent);
        (value, date, self.narrated.get())
    }

    /// Resolves a meaning to a TIMEX3 value. `dir` is the tense (-1 past,
    /// 0 unknown/present, 1 future). Returns the value and the date it
    /// denotes (for narrative anchoring), if any.
    pub fn resolve(&self, e: &Expr, dir: i32, sent: usize) -> (String, Option<PartialDate>) {
        match e {
            Expr::Lit(v) => (v.clone(), None),
            Expr::Digits(v) => (v.clone(), None),
            Expr::Dur { n, unit } => (duration_value(*n, unit), None),
            Expr::Abs { y: Some(y), m, d } => {
                let p = match (m, d) {
                    (Some(m), Some(d)) => PartialDate::day(*y, *m, *d),
                    (Some(m), None) => PartialDate::month(*y, *m),
                    _ => Some(PartialDate::year(*y)),
                };
                match p {
                    Some(p) => (p.to_string(), Some(p)),
                    None => (year_str(*y), Some(PartialDate::year(*y))),
                }
            }
            Expr::Abs { y: None, m, d } => {
                let Some(m) = *m else {
                    return ("XXXX-XX-XX".into(), None);
                };
                let in_year = |y: i32| match d {
                    Some(d) => PartialDate::day(y, m, *d),
                    None => PartialDate::month(y, m),
                };
                match self.year_for(&in_year, dir, sent) {
                    Ok(p) => (p.to_string(), Some(p)),
                    Err(Some(ay)) => match PartialDate::month(ay, m) {
                        Some(p) => (p.to_string(), Some(p)),
                        None => (year_str(ay), None),
                    },
                    Err(None) => match d {
                        Some(d) => (format!("XXXX-{m:02}-{d:02}"), None),
                        None => (format!("XXXX-{m:02}"), None),
                    },
                }
            }
            Expr::Movable { y, rule } => {
                let in_year = |y: i32| rule.date(y).map(PartialDate::from_naive);
                let date = match y {
                    Some(y) => in_year(*y),
                    None => self.year_for(&in_year, dir, sent).ok(),
                };
                match date {
                    Some(p) => (p.to_string(), Some(p)),
                    None => (format!("XXXX-{:02}", rule.usual_month()), None),
                }
            }
            Expr::Weekday(wd) => {
                let Some(a) = self.dct.or(self.last.map(|l| l.0)) else {
                    return ("XXXX-XX-XX".into(), None);
                };
                if a.precision() != Precision::Day {
                    return (a.to_string(), None);
                }
                let day = a.first_day();
                let target = WEEKDAYS[(*wd as usize).clamp(1, 7) - 1];
                let cur = day.weekday().num_days_from_monday() as i64;
                let tgt = target.num_days_from_monday() as i64;
                // The nearest such weekday, the past or future one as the
                // tense prefers (a past-tense weekday may be the DCT itself).
                // "last Wednesday" said on a Wednesday is a week before.
                let back = match -((cur - tgt).rem_euclid(7)) {
                    0 if dir <= -2 => -7,
                    d => d,
                };
                let fwd = match (tgt - cur).rem_euclid(7) {
                    0 => 7,
                    d => d,
                };
                let cost = |delta: i64| {
                    delta.abs()
                        + match dir.signum() {
                            1 if delta <= 0 => 7,
                            -1 if delta > 0 => 7,
                            0 if delta > 0 => self.weekday_past,
                            _ => 0,
                        }
                };
                let delta = if cost(fwd) < cost(back) { fwd } else { back };
                let d = day.checked_add_signed(Duration::days(delta)).unwrap_or(day);
                (ymd(d), Some(PartialDate::from_naive(d)))
            }
            Expr::Shift {
                unit,
                n,
                narrated: true,
            } if self.narrative && self.last.is_some_and(|l| l.2) => {
                self.narrated.set(true);
                match self.last {
                    Some((a, _, _)) => shift(a, unit, *n),
                    None => (unknown(unit), None),
                }
            }
            Expr::Shift { unit, n, .. } => match self.dct {
                Some(a) => {
                    // A past-tense "this weekend" on a weekday is the one just gone.
                    let n = if unit == "WE"
                        && *n == 0
                        && dir < 0
                        && a.precision() == Precision::Day
                        && a.first_day().weekday().num_days_from_monday() < 5
                    {
                        -1
                    } else {
                        *n
                    };
                    shift(a, unit, n)
                }
                None => (unknown(unit), None),
            },
            Expr::Offset {
                n,
                unit,
                sign,
                last,
            } => {
                let anchor = if *last {
                    if self.last.is_some_and(|l| l.2) {
                        self.narrated.set(true);
                    }
                    self.last.map(|l| l.0).or(self.dct)
                } else {
                    self.dct
                };
                let Some(n) = n else {
                    return (
                        if *sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into(),
                        None,
                    );
                };
                // "a year earlier" in a report about a quarter (named in the
                // last few sentences): the same quarter, a year before.
                if unit == "Y" && n.fract() == 0.0 {
                    let q = self
                        .last_quarter
                        .as_ref()
                        .filter(|(_, s)| sent <= s + 3)
                        .or(self.last_value.as_ref().filter(|(_, s)| sent <= s + 1));
                    if let Some((v, _)) = q {
                        if v.len() == 7 && &v[4..6] == "-Q" {
                            if let Ok(y) = v[..4].parse::<i64>() {
                                return (
                                    format!("{:04}-{}", y + (*sign as i64) * (*n as i64), &v[5..]),
                                    None,
                                );
                            }
                        }
                    }
                }
                let Some(a) = anchor else {
                    return (unknown(unit), None);
                };
                // "the next decade", "the century before": a decade or
                // century of its own, not a year ten years on.
                if *last && n.fract() == 0.0 && matches!(unit.as_str(), "DE" | "CE") {
                    return shift(a, unit, *n as i64 * *sign as i64);
                }
                let (units, unit) = match unit.as_str() {
                    "Y" if n.fract() != 0.0 => ((n * 12.0).round() as i64, "M"),
                    "HY" => ((n * 6.0).round() as i64, "M"),
                    "Q" => ((n * 3.0).round() as i64, "M"),
                    "W" if n.fract() != 0.0 => ((n * 7.0).round() as i64, "D"),
                    "WE" => (n.round() as i64, "W"),
                    "DE" => ((n * 10.0).round() as i64, "Y"),
                    "CE" => ((n * 100.0).round() as i64, "Y"),
                    u => (n.round() as i64, u),
                };
                // A year-precision anchor moved by months stays a year.
                shift(a, unit, units * *sign as i64)
            }
            Expr::Part { base, part } => {
                let bv = match base {
                    Some(b) => self.resolve(b, dir, sent),
                    // A season or quarter without a year: in the year the
                    // text narrates ("In June 1941 ... during the summer"),
                    // else the DCT's, as the tense allows.
                    None => match self.narrative_anchor(sent, dir) {
                        Some(a) if Some(a) != self.dct => {
                            self.narrated.set(true);
                            let hard = if dir.abs() > 1 { dir } else { 0 };
                            (season_year(a, part, hard).to_string(), None)
                        }
                        Some(a) => (season_year(a, part, dir).to_string(), None),
                        None => ("XXXX".into(), None),
                    },
                };
                let v = bv.0;
                if part.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    // A month (and day) placed in a resolved year ("2" or
                    // "02", "7-25" or "07-25").
                    let md: Vec<String> = part.split('-').map(|x| format!("{:0>2}", x)).collect();
                    let p = format!("{}-{}", &v[..v.len().min(4)], md.join("-"));
                    let d = p.parse::<PartialDate>().ok();
                    return (p, d);
                }
                // The week of a day ("the week of March 6").
                if part == "W" {
                    return match bv.1.filter(|d| d.precision() == Precision::Day) {
                        Some(d) => {
                            let w = d.first_day().iso_week();
                            (format!("{:04}-W{:02}", w.year(), w.week()), None)
                        }
                        None => (v, bv.1),
                    };
                }
                // Parts of a year need a year value; of a day a day value;
                // weekend a week value.
                let ok = if part.starts_with('T') {
                    v.len() == 10
                } else if part == "WE" {
                    v.contains("-W")
                } else {
                    v.len() == 4
                };
                if ok {
                    (format!("{v}-{part}").replace("-T", "T"), bv.1)
                } else if part.starts_with('T') && v.len() == 7 {
                    (v, bv.1)
                } else {
                    (format!("{}-{part}", &v[..v.len().min(4)]), bv.1)
                }
            }
            Expr::Time { base, clock, pod } => {
                let day = match base {
                    Some(b) => self.resolve(b, dir, sent).0,
                    None => match self.clock_day(sent, dir) {
                        Some(a) if a.precision() == Precision::Day => a.to_string(),
                        _ => "XXXX-XX-XX".into(),
                    },
                };
                let t = match (clock, pod) {
                    (Some((h, m)), _) => format!("T{h:02}:{m:02}"),
                    (None, Some(p)) => format!("T{p}"),
                    _ => String::new(),
                };
                (format!("{day}{t}"), None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_value(Some(5.0), "Y"), "P5Y");
        assert_eq!(duration_value(Some(55.0), "TM"), "PT55M");
        assert_eq!(duration_value(Some(0.5), "Y"), "P6M");
        assert_eq!(duration_value(None, "Y"), "PXY");
        assert_eq!(duration_value(Some(2.5), "M"), "P2.5M");
        assert_eq!(duration_value(Some(2.0), "DE"), "P20Y");
        assert_eq!(duration_value(Some(2.5), "Y"), "P2Y6M");
        assert_eq!(duration_value(Some(5.5), "TH"), "PT5H30M");
        assert_eq!(duration_value(Some(1.5), "TM"), "PT1M30S");
        assert_eq!(duration_value(None, "DE"), "PXDE");
    }

    #[test]
    fn last_and_next_seasons() {
        let d: PartialDate = "1999-04-10".parse().unwrap();
        assert_eq!(season_year(d, "FA", -2), 1998);
        assert_eq!(season_year(d, "WI", -2), 1998);
        assert_eq!(season_year(d, "SU", 2), 1999);
        assert_eq!(season_year(d, "SP", 2), 2000);
        assert_eq!(season_year(d, "SU", 0), 1999);
        let ctx = Ctx {
            dct: Some(d),
            tense_days: 120,
            ..Ctx::default()
        };
        let may = Expr::Abs {
            y: None,
            m: Some(5),
            d: None,
        };
        // "last May" must lie before the DCT; "in May" (future tense) after it.
        assert_eq!(ctx.resolve(&may, -2, 0).0, "1998-05");
        assert_eq!(ctx.resolve(&may, 1, 0).0, "1999-05");
    }

    #[test]
    fn shifts_respect_precision() {
        let d: PartialDate = "2018-08-22".parse().unwrap();
        assert_eq!(shift(d, "Y", -1).0, "2017");
        assert_eq!(shift(d, "M", -8).0, "2017-12");
        assert_eq!(shift(d, "W", 0).0, "2018-W34");
        assert_eq!(shift(d, "Q", 1).0, "2018-Q4");
        let m: PartialDate = "2018-08".parse().unwrap();
        assert_eq!(shift(m, "D", -1).0, "2018-08");
        assert_eq!(shift(m, "M", -1).0, "2018-07");
    }
}
