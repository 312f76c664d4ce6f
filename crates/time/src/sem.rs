//! Underspecified temporal meanings built by the rules' actions, before
//! resolution against an anchor.

use kroniek_model::{year_bc, TimexType};

use crate::grammar::{Out, Rule};

/// What a matched expression means, before resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A calendar date with any of its parts known (`12 juni`, `maart 2014`).
    Abs {
        y: Option<i32>,
        m: Option<u32>,
        d: Option<u32>,
    },
    /// A weekday, 1 = Monday.
    Weekday(u32),
    /// The unit containing the anchor, moved by `n` units (`vorig jaar`).
    /// The anchor is the DCT; with `narrated` (`anchor=narrated` in a
    /// rule: "by the end of the month"), in a narrative, the date the text
    /// narrates.
    Shift {
        unit: String,
        n: i64,
        narrated: bool,
    },
    /// A duration before (-1) or after (+1) the DCT, or the last
    /// mentioned date when `last` (`twee jaar geleden`, `drie jaar later`).
    Offset {
        n: Option<f64>,
        unit: String,
        sign: i32,
        last: bool,
    },
    /// A part of a period (`H1`, `Q2`, `SU`, `WE`, `TMO`); the base is the
    /// anchor's year when absent.
    Part {
        base: Option<Box<Expr>>,
        part: String,
    },
    /// Decade (`199`) or century (`19`) digits.
    Digits(String),
    /// A time of day on a date (the anchor's day when absent).
    Time {
        base: Option<Box<Expr>>,
        clock: Option<(u32, u32)>,
        pod: Option<String>,
    },
    /// An amount of a unit; `None` is an unspecified amount (`jaren`).
    Dur { n: Option<f64>, unit: String },
    /// A fixed value (`PRESENT_REF`, `P1Y` for a SET, ...).
    Lit(String),
    /// A holiday whose date moves from year to year (Thanksgiving,
    /// Pinksteren); the year is chosen like that of a month without year.
    Movable { y: Option<i32>, rule: Movable },
}

/// How a movable holiday falls in a given year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Movable {
    /// The `n`-th weekday `wd` (1 = Monday) of month `m`; `n = -1` is the
    /// last one (Memorial Day: the last Monday of May).
    Nth { m: u32, wd: u32, n: i32 },
    /// Easter Sunday (Gregorian) plus this many days (Pinksteren: 49).
    Easter(i64),
}

/// A captured pattern element.
#[derive(Debug, Clone, Default)]
pub struct Cap {
    pub text: String,
    pub val: String,
    pub num: Option<f64>,
    pub expr: Option<Expr>,
    pub kind: Option<TimexType>,
    pub modifier: Option<String>,
    /// The direction a slot's own rule stated ("this Saturday").
    pub dir: Option<i32>,
}

/// What a rule's action produced.
#[derive(Debug, Clone)]
pub struct Built {
    pub kind: Option<TimexType>,
    pub expr: Expr,
    pub modifier: Option<String>,
    /// `Some(-1)` past, `Some(1)` future: overrides the sentence tense.
    pub dir: Option<i32>,
}

const ACTIONS: &[&str] = &[
    "date", "weekday", "shift", "ago", "after", "later", "earlier", "dur", "set", "ref", "value",
    "decade", "century", "part", "mod", "time", "same", "none", "merge",
];

pub fn known_action(a: &str) -> bool {
    ACTIONS.contains(&a)
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Cap {
    fn as_str(&self) -> String {
        if let Some(n) = self.num {
            fmt_num(n)
        } else if !self.val.is_empty() {
            self.val.clone()
        } else {
            self.text.clone()
        }
    }
}

/// Substitutes `$k` references in an argument value.
fn subst(v: &str, caps: &[Option<Cap>]) -> Option<String> {
    let mut out = String::new();
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            let mut k = 0usize;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                k = k * 10 + d as usize;
                chars.next();
            }
            let cap = caps.get(k.checked_sub(1)?)?.as_ref()?;
            let whole = cap.as_str();
            // `$1.2`: the second `/`-separated part of the value.
            let mut part = None;
            let mut look = chars.clone();
            if look.next() == Some('.') {
                if let Some(d) = look.next().and_then(|c| c.to_digit(10)) {
                    part = Some(d as usize);
                    chars.next();
                    chars.next();
                }
            }
            match part {
                Some(i) => out.push_str(whole.split('/').nth(i.checked_sub(1)?)?),
                None => out.push_str(&whole),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn cap_ref<'a>(v: &str, caps: &'a [Option<Cap>]) -> Option<&'a Cap> {
    let k: usize = v.strip_prefix('$')?.parse().ok()?;
    caps.get(k.checked_sub(1)?)?.as_ref()
}

fn num_arg(v: &str) -> Option<f64> {
    let v = v.trim();
    // `$1+0.5` ("two and a half"): a sum of numbers.
    if let Some((x, y)) = v.split_once('+') {
        return Some(num_arg(x)? + num_arg(y)?);
    }
    if let Some(r) = v.strip_prefix("--") {
        return r.parse().ok();
    }
    v.parse().ok()
}

/// Two-digit years: `08` → 2008, `97` → 1997.
pub fn expand_year(s: &str) -> Option<i32> {
    let s = s.trim_start_matches(['\'', '\u{2019}']);
    let y: i32 = s.parse().ok()?;
    Some(match s.len() {
        2 if y < 50 => 2000 + y,
        2 => 1900 + y,
        _ => y,
    })
}

/// Runs a rule's action on its captures.
pub fn build(rule: &Rule, caps: &[Option<Cap>]) -> Option<Built> {
    let arg = |k: &str| -> Option<String> {
        rule.args
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| subst(v, caps))
    };
    let slot = |k: &str| -> Option<&Cap> {
        rule.args
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| cap_ref(v, caps))
    };
    let first_slot = caps.iter().flatten().find(|c| c.kind.is_some());
    let mut kind = match rule.out {
        Out::Type(t) => Some(t),
        Out::Same => first_slot.and_then(|c| c.kind),
        Out::None => None,
    };
    let mut modifier = arg("mod");
    let dir = arg("dir")
        .and_then(|d| match d.as_str() {
            "past" => Some(-1),
            "future" => Some(1),
            // The period around the DCT, whatever the tense ("this summer").
            "now" => Some(0),
            _ => None,
        })
        // A direction stated inside a slot ("this Saturday" in "this
        // Saturday at 7pm") holds for the whole expression.
        .or_else(|| first_slot.and_then(|c| c.dir));
    let unit = || arg("unit").unwrap_or_else(|| "D".into());
    let expr = match rule.action.as_str() {
        "date" if rule.args.iter().any(|(n, _)| n == "easter" || n == "wd") => {
            let y = arg("y").and_then(|y| expand_year(&y));
            let rule = match arg("easter") {
                Some(o) => Movable::Easter(num_arg(&o)? as i64),
                None => Movable::Nth {
                    m: arg("m")?.parse().ok().filter(|m| (1..=12).contains(m))?,
                    wd: arg("wd")?.parse().ok().filter(|d| (1..=7).contains(d))?,
                    n: arg("n")?.parse().ok().filter(|n| matches!(n, -1 | 1..=5))?,
                },
            };
            Expr::Movable { y, rule }
        }
        "date" => {
            // `era=bc`: the year counted back from Christ (`480 BC` is the
            // astronomical year -479); `era=ad`: written as is (`AD 79`).
            let y = match arg("era").as_deref() {
                Some(era) => arg("y")
                    .and_then(|y| y.parse::<i32>().ok())
                    .filter(|y| (1..10000).contains(y))
                    .map(|y| if era == "bc" { year_bc(y) } else { y }),
                None => arg("y").and_then(|y| expand_year(&y)),
            };
            let m = arg("m")
                .and_then(|m| m.parse().ok())
                .filter(|m| (1..=12).contains(m));
            let d = arg("d")
                .and_then(|d| d.parse().ok())
                .filter(|d| (1..=31).contains(d));
            if y.is_none() && m.is_none() {
                return None;
            }
            Expr::Abs { y, m, d }
        }
        "weekday" => Expr::Weekday(arg("d")?.parse().ok().filter(|d| (1..=7).contains(d))?),
        "shift" => Expr::Shift {
            unit: unit(),
            n: num_arg(&arg("n").unwrap_or_else(|| "0".into()))? as i64,
            narrated: arg("anchor").as_deref() == Some("narrated"),
        },
        "ago" | "after" | "later" | "earlier" => {
            let (n, u) = match slot("of").and_then(|c| c.expr.clone()) {
                Some(Expr::Dur { n, unit }) => (n, unit),
                _ => (arg("n").and_then(|n| num_arg(&n)), unit()),
            };
            if let Some(m) = slot("of").and_then(|c| c.modifier.clone()) {
                modifier.get_or_insert(m);
            }
            Expr::Offset {
                n,
                unit: u,
                sign: if matches!(rule.action.as_str(), "ago" | "earlier") {
                    -1
                } else {
                    1
                },
                last: matches!(rule.action.as_str(), "later" | "earlier"),
            }
        }
        "dur" => Expr::Dur {
            n: arg("n").and_then(|n| num_arg(&n)),
            unit: unit(),
        },
        "set" => match arg("v") {
            Some(v) => Expr::Lit(v),
            None => Expr::Lit(crate::resolve::duration_value(
                Some(arg("n").and_then(|n| num_arg(&n)).unwrap_or(1.0)),
                &unit(),
            )),
        },
        "ref" | "value" => Expr::Lit(arg("v")?),
        "decade" => {
            let y = arg("y")?;
            let y = y
                .trim_start_matches(['\'', '\u{2019}'])
                .trim_end_matches('s');
            let digits = match y.len() {
                4 => y[..3].to_string(),
                3 => y[..3].to_string(),
                2 => {
                    let full = expand_year(y)?;
                    // `de jaren '90` → 199; `de jaren '20` → ambiguous, take 19xx
                    let full = if y.parse::<i32>().ok()? >= 30 || full > 2030 {
                        full
                    } else {
                        1900 + y.parse::<i32>().ok()?
                    };
                    format!("{:03}", full / 10)
                }
                1 => format!("19{y}"),
                _ => return None,
            };
            Expr::Digits(digits)
        }
        "century" => {
            let c: i32 = arg("c")?.parse().ok()?;
            Expr::Digits(format!("{:02}", c - 1))
        }
        "part" => {
            // The period is an expression (`of=$k`) or a year (`y=`: "the
            // 1988 second quarter", where "1988 second" is no duration).
            let year = || {
                arg("y")?.parse().ok().map(|y| Expr::Abs {
                    y: Some(y),
                    m: None,
                    d: None,
                })
            };
            Expr::Part {
                base: slot("of")
                    .and_then(|c| c.expr.clone())
                    .or_else(year)
                    .map(Box::new),
                part: arg("p")?,
            }
        }
        "mod" | "same" => {
            let c = slot("of").or(first_slot)?;
            if kind.is_none() || rule.out == Out::Same {
                kind = c.kind;
            }
            if modifier.is_none() {
                modifier = c.modifier.clone();
            }
            if let Some(m) = arg("m") {
                modifier = Some(m);
            }
            c.expr.clone()?
        }
        "merge" => {
            // `januari` + `vorig jaar`: a month (and day) placed in a year.
            let Some(Expr::Abs {
                y: None,
                m: Some(m),
                d,
            }) = slot("a").and_then(|c| c.expr.clone())
            else {
                return None;
            };
            let b = slot("b").and_then(|c| c.expr.clone())?;
            if !matches!(b, Expr::Shift { ref unit, .. } if unit == "Y") {
                return None;
            }
            Expr::Part {
                base: Some(Box::new(b)),
                part: match d {
                    Some(d) => format!("{m:02}-{d:02}"),
                    None => format!("{m:02}"),
                },
            }
        }
        "time" => {
            let mut base = slot("of").and_then(|c| c.expr.clone()).map(Box::new);
            if let Some(wd) = arg("wd").and_then(|w| w.parse().ok()) {
                base = Some(Box::new(Expr::Weekday(wd)));
            }
            if let Some(n) = arg("day").and_then(|n| num_arg(&n)) {
                base = Some(Box::new(Expr::Shift {
                    unit: "D".into(),
                    n: n as i64,
                    narrated: false,
                }));
            }
            let day_like = |e: &Expr| {
                matches!(e, Expr::Abs { d: Some(_), .. } | Expr::Weekday(_))
                    || matches!(e, Expr::Shift { unit, .. } if unit == "D")
            };
            if base.as_deref().is_some_and(|b| !day_like(b)) {
                return None;
            }
            if let Some(Expr::Time { clock, pod, .. }) = slot("t").and_then(|c| c.expr.clone()) {
                return Some(Built {
                    kind: Some(TimexType::Time),
                    expr: Expr::Time { base, clock, pod },
                    modifier,
                    dir,
                });
            }
            let clock = match arg("at") {
                Some(at) => {
                    let (h, m) = at.split_once(':').unwrap_or((&at, "0"));
                    let mut h: u32 = h.parse().ok()?;
                    let m: u32 = m.parse().ok()?;
                    match arg("ampm").as_deref() {
                        Some("pm") if h < 12 => h += 12,
                        Some("am") if h == 12 => h = 0,
                        _ => {}
                    }
                    (h <= 24 && m < 60).then_some((h, m))
                }
                None => None,
            };
            let pod = arg("pod");
            if clock.is_none() && pod.is_none() {
                return None;
            }
            Expr::Time { base, clock, pod }
        }
        "none" => Expr::Lit(String::new()),
        _ => return None,
    };
    Some(Built {
        kind,
        expr,
        modifier,
        dir,
    })
}
