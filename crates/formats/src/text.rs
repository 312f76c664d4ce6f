//! Plain-text files: one document each, with an optional `date` header
//! line and a title line.

use kroniek_model::PartialDate;

use crate::data::{Attach, PTB_ESCAPES};
use crate::decode::decode_text;
use crate::{check_text, dates, Format, RawDoc, Record};

/// Longest first line taken as a title, in characters.
const MAX_TITLE_CHARS: usize = 150;
/// Longest title that may end in a full stop, in characters.
const MAX_PERIOD_TITLE_CHARS: usize = 60;

/// Reads a text file's bytes into its document.
pub fn parse(source: &str, name: &str, bytes: &[u8]) -> Record {
    let decoded = decode_text(bytes);
    let normalised = normalise(&decoded);
    let mut lines: Vec<&str> = normalised.lines().collect();

    let mut date = None;
    let mut evidence = None;
    if let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) {
        if let Some(d) = header_date(lines[first]) {
            date = Some(d);
            evidence = Some(format!("header line '{}'", lines[first].trim()));
            lines.drain(..=first);
        }
    }
    let lines: Vec<String> = lines.iter().map(|l| unescape_ptb(l)).collect();
    let mut body_start = 0;
    let mut title = None;
    if let Some(t) = title_line(&lines) {
        title = Some(lines[t].trim().to_string());
        body_start = t + 1;
    }
    let text = join_paragraphs(&lines[body_start..]);
    check_text(source, &text)?;
    if date.is_none() {
        if let Some((d, ev)) = dates::path_date(name) {
            date = Some(d);
            evidence = Some(ev);
        }
    }
    Ok(RawDoc {
        source: source.to_string(),
        format: Format::Text,
        title,
        text,
        date,
        date_evidence: evidence,
        url: None,
        lang: None,
        external_id: None,
    })
}

/// Line endings to `\n`, control characters out, trailing spaces off.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{FEFF}' if out.is_empty() => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{0C}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines to text: trailing spaces cut, runs of blank lines made one blank
/// line, blank lines at the start and end dropped.
pub fn join_paragraphs<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.as_ref().trim_end();
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

/// The date of a header line `date YYYY-MM[-DD]` / `date: ...` (any case,
/// leading space allowed).
pub fn header_date(line: &str) -> Option<PartialDate> {
    let t = line.trim();
    let head = t.get(..4)?;
    if !head.eq_ignore_ascii_case("date") {
        return None;
    }
    let rest = &t[4..];
    let value = match rest.strip_prefix(':') {
        Some(v) => v,
        None if rest.starts_with(char::is_whitespace) => rest,
        None => return None,
    };
    value.trim().parse::<PartialDate>().ok()
}

/// Index of the line that is the title, if the first non-empty line looks
/// like one: short, not a sentence cut by a line wrap, not ending like a
/// sentence unless short and set apart, and followed by more text.
fn title_line(lines: &[String]) -> Option<usize> {
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let line = lines[first].trim();
    let more_text = lines[first + 1..].iter().any(|l| !l.trim().is_empty());
    if !more_text {
        return None;
    }
    let chars = line.chars().count();
    if chars > MAX_TITLE_CHARS || !line.chars().any(char::is_alphabetic) {
        return None;
    }
    let last = line
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '”' | '’' | ')' | '»')
        })
        .chars()
        .last()?;
    if matches!(last, ',' | ';' | ':' | '-' | '–') {
        return None;
    }
    let next = lines.get(first + 1).map(|l| l.trim()).unwrap_or("");
    let set_apart = next.is_empty();
    if matches!(last, '.' | '!' | '?' | '…') {
        let limit = if last == '.' {
            MAX_PERIOD_TITLE_CHARS
        } else {
            MAX_TITLE_CHARS
        };
        if !(set_apart && chars <= limit) {
            return None;
        }
    }
    // A hard-wrapped sentence goes on in lowercase on the next line.
    if !set_apart && next.starts_with(|c: char| c.is_lowercase()) {
        return None;
    }
    Some(first)
}

/// Replaces Penn Treebank escapes standing as whole tokens (`-LRB-`,
/// `` `` ``, `''` ...) with the characters they stand for, joining opening
/// ones to the next token and closing ones to the previous.
pub fn unescape_ptb(line: &str) -> String {
    let line = unescape_inline(line);
    if !(line.contains("-L") || line.contains("-R") || line.contains("``") || line.contains("''")) {
        return line;
    }
    let tokens: Vec<&str> = line.split(' ').collect();
    let mut mapped: Vec<(&str, Attach)> = Vec::with_capacity(tokens.len());
    let mut changed = false;
    for tok in &tokens {
        match PTB_ESCAPES.iter().find(|(esc, _, _)| esc == tok) {
            Some((_, repl, attach)) => {
                mapped.push((repl.as_str(), *attach));
                changed = true;
            }
            None => mapped.push((tok, Attach::None)),
        }
    }
    if !changed {
        return line;
    }
    let mut out = String::with_capacity(line.len());
    for (i, (tok, attach)) in mapped.iter().enumerate() {
        if i > 0 {
            let prev_open = mapped[i - 1].1 == Attach::Open && !mapped[i - 1].0.is_empty();
            let glue = prev_open || (*attach == Attach::Close && !mapped[i - 1].0.is_empty());
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(tok);
    }
    out
}

/// Replaces PTB escapes that stand inside tokens (`LONDON\\/DUBAI`).
fn unescape_inline(line: &str) -> String {
    let mut out = line.to_string();
    for (esc, repl, attach) in PTB_ESCAPES.iter() {
        if *attach == Attach::Inline && out.contains(esc.as_str()) {
            out = out.replace(esc.as_str(), repl);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, content: &[u8]) -> RawDoc {
        parse(name, name, content).unwrap()
    }

    #[test]
    fn header_month_precision_and_title() {
        let d = doc(
            "a.txt",
            b" date 2018-08\nStorm in Utrecht\n\nDe storm raasde dinsdag over de stad.\nEr vielen bomen om.\n\n\n\nTweede alinea.\n",
        );
        assert_eq!(d.date.unwrap().to_string(), "2018-08");
        assert_eq!(
            d.date_evidence.as_deref(),
            Some("header line 'date 2018-08'")
        );
        assert_eq!(d.title.as_deref(), Some("Storm in Utrecht"));
        assert_eq!(
            d.text,
            "De storm raasde dinsdag over de stad.\nEr vielen bomen om.\n\nTweede alinea."
        );
    }

    #[test]
    fn header_day_precision_with_colon_and_crlf() {
        let d = doc(
            "a.txt",
            b"Date: 2018-08-22\r\nHet kabinet viel op woensdag.\r\nDat was onverwacht.\r\n",
        );
        assert_eq!(d.date.unwrap().to_string(), "2018-08-22");
        assert_eq!(
            d.title, None,
            "a sentence set against more text is not a title"
        );
        assert_eq!(d.text, "Het kabinet viel op woensdag.\nDat was onverwacht.");
    }

    #[test]
    fn headers() {
        assert_eq!(header_date("DATE 2020").unwrap().to_string(), "2020");
        assert_eq!(
            header_date("date:2020-02-29").unwrap().to_string(),
            "2020-02-29"
        );
        assert!(header_date("dated 2020").is_none());
        assert!(header_date("date of birth").is_none());
        assert!(header_date("date 2020-13").is_none());
    }

    #[test]
    fn titles() {
        let l = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            title_line(&l("Kabinet valt\nHet kabinet is gevallen.")),
            Some(0)
        );
        assert_eq!(
            title_line(&l("Wat nu?\n\nHet kabinet is gevallen.")),
            Some(0)
        );
        assert_eq!(title_line(&l("Alleen een regel")), None);
        assert_eq!(
            title_line(&l("The quick brown fox jumped over\nthe lazy dog.")),
            None
        );
        assert_eq!(title_line(&l("Dit is een zin.\nEn nog een zin.")), None);
        let long = "x".repeat(200);
        assert_eq!(title_line(&l(&format!("{long}\nmore"))), None);
    }

    #[test]
    fn ptb_escapes() {
        assert_eq!(
            unescape_ptb("raised $ 57m -LRB- # 35m -RRB- for victims ."),
            "raised $ 57m (# 35m) for victims ."
        );
        assert_eq!(
            unescape_ptb("it was a `` reasonable assumption '' that"),
            "it was a \"reasonable assumption\" that"
        );
        assert_eq!(unescape_ptb("Florida 's coast"), "Florida 's coast");
        assert_eq!(unescape_ptb("a-LRB-b"), "a-LRB-b");
        assert_eq!(unescape_ptb("LONDON\\/DUBAI 5 \\* 3"), "LONDON/DUBAI 5 * 3");
    }

    #[test]
    fn timeline17_style_path_date() {
        let d = doc(
            "t17/haiti_bbc/InputDocs/2010-01-21/1538.htm.txt",
            b"Hundreds orphaned by Haiti earthquake Despite miraculous stories of survival and the gradual increase in aid as the dust settles after the Haiti earthquake hundreds of children find themselves orphaned . \nThe toll -LRB- estimated -RRB- rose . \n",
        );
        assert_eq!(d.date.unwrap().to_string(), "2010-01-21");
        assert_eq!(d.date_evidence.as_deref(), Some("path folder 2010-01-21"));
        assert_eq!(d.title, None);
        assert!(d.text.ends_with("The toll (estimated) rose ."));
    }

    #[test]
    fn blank_text_is_an_error() {
        let e = parse("w.txt", "w.txt", b"  \n\t\n ").unwrap_err();
        assert_eq!(e.reason, "no text");
        let e = parse("w.txt", "w.txt", b"date 2018-08\n\n").unwrap_err();
        assert_eq!(e.reason, "no text");
    }
}
