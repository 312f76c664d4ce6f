//! Plain-text renderings of command results.

use std::io::{self, Write};

use kroniek_pipeline::IngestSummary;
use kroniek_store::{DocInfo, SearchQuery, SearchResult, Stats};

pub fn ingest_summary(out: &mut dyn Write, s: &IngestSummary) -> io::Result<()> {
    let rate = if s.seconds > 0.0 {
        s.records as f64 / s.seconds
    } else {
        0.0
    };
    writeln!(
        out,
        "Read {} files ({} unchanged since the last ingest), {} documents in {:.1} s ({:.0} documents/s).",
        s.files, s.files_unchanged, s.records, s.seconds, rate
    )?;
    writeln!(
        out,
        "Added {} documents: {} exact duplicates stored once, {} near-duplicates linked, {} already stored.",
        s.added, s.duplicates, s.near_duplicates, s.already_stored
    )?;
    if !s.skipped.is_empty() {
        writeln!(out, "Skipped {}:", s.skipped.len())?;
        for skip in &s.skipped {
            if skip.source.is_empty() {
                writeln!(out, "  {}", skip.reason)?;
            } else {
                writeln!(out, "  {}: {}", skip.source, skip.reason)?;
            }
        }
    }
    Ok(())
}

pub fn search_hits(
    out: &mut dyn Write,
    q: &SearchQuery,
    r: &SearchResult,
    ansi: bool,
) -> io::Result<()> {
    if r.hits.is_empty() {
        return writeln!(out, "No documents match {:?}.", q.text);
    }
    writeln!(
        out,
        "{} documents match {:?}; showing {}-{}:",
        r.total,
        q.text,
        q.offset + 1,
        q.offset + r.hits.len()
    )?;
    for (i, h) in r.hits.iter().enumerate() {
        let date = h
            .dct
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        writeln!(
            out,
            "\n{:>3}. {}  [{}, {}]  {}",
            q.offset + i + 1,
            h.title.as_deref().unwrap_or("(untitled)"),
            date,
            h.lang,
            h.id
        )?;
        writeln!(out, "     {}", highlight(&h.snippet, &h.highlights, ansi))?;
    }
    Ok(())
}

/// Marks highlighted char ranges: bold on a terminal, `*word*` otherwise.
fn highlight(snippet: &str, ranges: &[(usize, usize)], ansi: bool) -> String {
    let (open, close) = if ansi {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    let mut out = String::with_capacity(snippet.len() + ranges.len() * 8);
    let mut ranges = ranges.iter().peekable();
    for (i, c) in snippet.chars().enumerate() {
        if let Some(&&(s, _)) = ranges.peek() {
            if s == i {
                out.push_str(open);
            }
        }
        out.push(if c == '\n' { ' ' } else { c });
        if let Some(&&(_, e)) = ranges.peek() {
            if e == i + 1 {
                out.push_str(close);
                ranges.next();
            }
        }
    }
    out
}

pub fn document(out: &mut dyn Write, info: &DocInfo) -> io::Result<()> {
    let d = &info.doc;
    writeln!(out, "{}", d.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(out, "id:        {}", d.id)?;
    writeln!(out, "language:  {}", d.lang)?;
    match &d.dct.value {
        Some(v) => writeln!(
            out,
            "date:      {v} ({:?}: {})",
            d.dct.origin,
            d.dct.evidence.join("; ")
        )?,
        None => writeln!(out, "date:      unknown")?,
    }
    if let Some(url) = &d.url {
        writeln!(out, "url:       {url}")?;
    }
    for s in &info.sources {
        writeln!(out, "source:    {s}")?;
    }
    if let Some(orig) = &info.near_duplicate_of {
        writeln!(out, "near-duplicate of {orig}")?;
    }
    for nd in &info.near_duplicates {
        writeln!(out, "near-duplicate:   {nd}")?;
    }
    writeln!(
        out,
        "layers:    {} sentences, {} time expressions, {} entity mentions, {} events, {} claims, {} quotes",
        d.sentences.len(),
        d.timexes.len(),
        d.entities.len(),
        d.events.len(),
        d.claims.len(),
        d.quotes.len()
    )?;
    writeln!(out, "\n{}", d.text)?;
    if !d.timexes.is_empty() {
        writeln!(out, "\nTime expressions:")?;
        for t in &d.timexes {
            writeln!(out, "  {:<30} {:?} {}", t.text, t.kind, t.value)?;
        }
    }
    Ok(())
}

pub fn stats(out: &mut dyn Write, s: &Stats) -> io::Result<()> {
    writeln!(
        out,
        "{} documents from {} sources ({} exact duplicates, {} near-duplicates), {} undated.",
        s.documents, s.sources, s.duplicates, s.near_duplicates, s.undated
    )?;
    if let (Some(a), Some(b)) = (s.earliest, s.latest) {
        writeln!(out, "Dated from {a} to {b}.")?;
    }
    let langs: Vec<String> = s.by_lang.iter().map(|(l, n)| format!("{l} {n}")).collect();
    writeln!(out, "Languages: {}", langs.join(", "))?;
    let years: Vec<String> = s.by_year.iter().map(|(y, n)| format!("{y}: {n}")).collect();
    if !years.is_empty() {
        writeln!(out, "By year:   {}", years.join(", "))?;
    }
    writeln!(out, "Store size: {:.1} MB", s.db_bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn marks_highlights_by_char_offsets() {
        let s = "In Syrië riep IS een kalifaat uit";
        assert_eq!(
            highlight(s, &[(3, 8), (21, 29)], false),
            "In *Syrië* riep IS een *kalifaat* uit"
        );
    }
}
