//! Reading publication dates as sources write them.

use std::path::{Component, Path};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use kroniek_model::PartialDate;

/// Parses a date as found in metadata, keeping the precision it has and the
/// calendar date it names locally (a time zone offset never moves the day):
/// `2018`, `2018-08`, `2018-08-22`, RFC 3339 / ISO 8601 date-times,
/// `2018/08/22`, `20180822`, `22-08-2018` / `22.08.2018` (day first unless
/// only month-first makes sense), RFC 2822 (`Wed, 22 Aug 2018 10:00:00 +0200`)
/// and Unix timestamps.
pub fn parse_date_loose(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Ok(d) = s.parse::<PartialDate>() {
        return plausible(d);
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let boundary = |i: usize| b.get(i).is_none_or(|c| !c.is_ascii_digit());
    // YYYY-MM-DD / YYYY/MM/DD / YYYY.MM.DD followed by anything (a time).
    if b.len() >= 10 && matches!(b[4], b'-' | b'/' | b'.') && b[7] == b[4] && boundary(10) {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return PartialDate::day(y as i32, m, d).and_then(plausible);
        }
    }
    // YYYYMMDD, optionally followed by a time.
    if b.len() >= 8 && boundary(8) && (b.len() == 8 || b[8] == b'T') {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(4..6), digits(6..8)) {
            if let Some(p) = PartialDate::day(y as i32, m, d).and_then(plausible) {
                return Some(p);
            }
        }
    }
    // DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY (one-digit day / month allowed).
    if let Some(p) = day_month_year(s) {
        return Some(p);
    }
    // RFC 2822 and friends.
    if let Some(dt) = parse_timestamp_local(s) {
        return plausible(PartialDate::from_naive(dt.date()));
    }
    // Unix timestamps in seconds or milliseconds.
    if b.iter().all(u8::is_ascii_digit) && (b.len() == 10 || b.len() == 13) {
        let n: i64 = s.parse().ok()?;
        let secs = if b.len() == 13 { n / 1000 } else { n };
        let dt = DateTime::from_timestamp(secs, 0)?;
        return plausible(PartialDate::from_naive(dt.date_naive()));
    }
    None
}

/// Rejects years no news source means.
fn plausible(d: PartialDate) -> Option<PartialDate> {
    (1000..=2999).contains(&d.year_value()).then_some(d)
}

fn day_month_year(s: &str) -> Option<PartialDate> {
    let date_part = s.split([' ', 'T']).next()?;
    let sep = date_part.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (a, b) = (num(parts[0], 2)?, num(parts[1], 2)?);
    if parts[2].len() != 4 {
        return None;
    }
    let y = num(parts[2], 4)? as i32;
    let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
    PartialDate::day(y, m, d).and_then(plausible)
}

/// Parses a timestamp and returns its local wall-clock time (the offset is
/// dropped, not applied), so that the calendar day stays the one the source
/// wrote. Handles RFC 3339, RFC 2822 (also with full month / day names,
/// "Sept", missing weekday or missing zone) and plain dates.
pub fn parse_timestamp_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.naive_local());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.naive_local());
    }
    // Normalise common RFC 2822 deviations and try again.
    let mut cleaned: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(i) = cleaned.find(',') {
        // Drop the weekday, whatever language or length it has.
        if cleaned[..i].chars().all(char::is_alphabetic) {
            cleaned = cleaned[i + 1..].trim().to_string();
        }
    }
    let words: Vec<String> = cleaned
        .split(' ')
        .map(|w| {
            let lw = w.to_ascii_lowercase();
            match MONTHS
                .iter()
                .find(|(full, _)| lw.len() >= 3 && full.starts_with(&lw))
            {
                Some((_, abbr)) => (*abbr).to_string(),
                None => w.to_string(),
            }
        })
        .collect();
    let cleaned = words.join(" ");
    if let Ok(dt) = DateTime::parse_from_rfc2822(&cleaned) {
        return Some(dt.naive_local());
    }
    for fmt in ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y"] {
        // Without a (known) zone: drop a trailing zone word if there is one.
        let no_zone = match cleaned.rsplit_once(' ') {
            Some((head, tail)) if tail.chars().all(|c| c.is_ascii_alphabetic()) => head,
            _ => cleaned.as_str(),
        };
        for candidate in [cleaned.as_str(), no_zone] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(candidate, fmt) {
                return Some(dt);
            }
            if let Ok(d) = NaiveDate::parse_from_str(candidate, fmt) {
                return d.and_hms_opt(0, 0, 0);
            }
        }
    }
    let head10 = s.get(..10)?;
    let d = NaiveDate::parse_from_str(head10, "%Y-%m-%d").ok()?;
    d.and_hms_opt(0, 0, 0)
}

/// English month names with their RFC 2822 abbreviations ("Sept" and
/// "September" both become "Sep").
const MONTHS: &[(&str, &str)] = &[
    ("january", "Jan"),
    ("february", "Feb"),
    ("march", "Mar"),
    ("april", "Apr"),
    ("may", "May"),
    ("june", "Jun"),
    ("july", "Jul"),
    ("august", "Aug"),
    ("september", "Sep"),
    ("october", "Oct"),
    ("november", "Nov"),
    ("december", "Dec"),
];

/// Timestamp parser for feed-rs: the local wall-clock time of the source,
/// stored as if it were UTC so that `date_naive()` gives the day written.
pub fn feed_timestamp(s: &str) -> Option<DateTime<Utc>> {
    parse_timestamp_local(s).map(|n| Utc.from_utc_datetime(&n))
}

/// A date given by the path: a component `YYYY-MM-DD` (folder, or a file
/// name starting with one) or three folders `YYYY/MM/DD`. The innermost
/// match wins. Returns the date and evidence.
pub fn path_date(path: &str) -> Option<(PartialDate, String)> {
    let comps: Vec<String> = Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let n = comps.len();
    for i in (0..n).rev() {
        let comp = &comps[i];
        let is_file = i + 1 == n;
        if let Some(d) = iso_prefix(comp, is_file) {
            let what = if is_file { "file name" } else { "folder" };
            return Some((d, format!("path {what} {d}")));
        }
        if i >= 2 && !is_file {
            let (y, m, d) = (&comps[i - 2], &comps[i - 1], comp);
            let all = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
            if all(y, 4) && all(m, 2) && all(d, 2) {
                let date = PartialDate::day(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
                    .and_then(plausible);
                if let Some(date) = date {
                    return Some((date, format!("path folders {y}/{m}/{d}")));
                }
            }
        }
    }
    None
}

/// `YYYY-MM-DD` as a whole component, or (for a file name) at its start
/// followed by a non-digit.
fn iso_prefix(comp: &str, is_file: bool) -> Option<PartialDate> {
    let head = comp.get(..10)?;
    let rest = &comp[10..];
    let ok_rest = rest.is_empty() || (is_file && !rest.starts_with(|c: char| c.is_ascii_digit()));
    if !ok_rest {
        return None;
    }
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    head.parse::<PartialDate>().ok().and_then(plausible)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_date_loose(s).map(|d| d.to_string())
    }

    #[test]
    fn loose_dates_keep_precision_and_local_day() {
        assert_eq!(p("2018").as_deref(), Some("2018"));
        assert_eq!(p("2018-08").as_deref(), Some("2018-08"));
        assert_eq!(
            p("2018-08-22T01:30:00+02:00").as_deref(),
            Some("2018-08-22")
        );
        assert_eq!(p("2018-08-22 10:00:00").as_deref(), Some("2018-08-22"));
        assert_eq!(p("2018/08/22").as_deref(), Some("2018-08-22"));
        assert_eq!(p("20180822").as_deref(), Some("2018-08-22"));
        assert_eq!(p("22-08-2018").as_deref(), Some("2018-08-22"));
        assert_eq!(p("08/22/2018").as_deref(), Some("2018-08-22"));
        assert_eq!(
            p("Wed, 22 Aug 2018 00:30:00 +0200").as_deref(),
            Some("2018-08-22")
        );
        assert_eq!(
            p("22 September 2018 10:00 GMT").as_deref(),
            Some("2018-09-22")
        );
        assert_eq!(p("1534924800").as_deref(), Some("2018-08-22"));
        assert_eq!(p("yesterday"), None);
        assert_eq!(p("2018-13-01"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn path_dates() {
        let (d, ev) = path_date("corpus/haiti_bbc/InputDocs/2010-01-21/1538.htm.txt").unwrap();
        assert_eq!(d.to_string(), "2010-01-21");
        assert_eq!(ev, "path folder 2010-01-21");
        let (d, ev) = path_date("news/2019/03/05/story.html").unwrap();
        assert_eq!(d.to_string(), "2019-03-05");
        assert_eq!(ev, "path folders 2019/03/05");
        let (d, ev) = path_date("a/2020-02-29_storm.txt").unwrap();
        assert_eq!(d.to_string(), "2020-02-29");
        assert_eq!(ev, "path file name 2020-02-29");
        assert!(path_date("a/b/1538.txt").is_none());
        assert!(path_date("a/2010-01-210/x.txt").is_none());
    }
}
