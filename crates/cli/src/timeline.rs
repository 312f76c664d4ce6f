//! `kroniek timeline` and `kroniek stories`: the corpus-level views.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use kroniek_model::{year_label, PartialDate, Story, Timeline, TimelineEntry, TimelineQuery};
use serde_json::{json, Value};

/// Output formats of `kroniek timeline`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineFormat {
    Text,
    Json,
    Csv,
    /// Knight Lab TimelineJS JSON, ready to publish.
    Timelinejs,
}

/// Output formats of `kroniek stories`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoriesFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// Only entries involving this entity (its id or any of its names).
    #[arg(long)]
    entity: Option<String>,
    /// Only entries reported by articles of this story (see `kroniek stories`).
    #[arg(long)]
    story: Option<String>,
    /// Only entries reported by articles matching this full-text query.
    #[arg(long)]
    query: Option<String>,
    /// Only entries dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<PartialDate>,
    /// Only entries dated on or before this date.
    #[arg(long)]
    to: Option<PartialDate>,
    /// At most this many entries (the earliest).
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    format: TimelineFormat,
}

#[derive(Args, Debug)]
pub struct StoriesArgs {
    /// Only stories of at least this many articles.
    #[arg(long, default_value_t = 1)]
    min_articles: usize,
    #[arg(long, value_enum, default_value_t = StoriesFormat::Text)]
    format: StoriesFormat,
}

pub fn timeline(db: &Path, a: TimelineArgs) -> Result<ExitCode> {
    let store = crate::open_store(db)?;
    let q = TimelineQuery {
        entity: a.entity,
        story: a.story,
        query: a.query,
        from: a.from,
        to: a.to,
        limit: a.limit,
    };
    let t = kroniek_pipeline::query::timeline(&store, &q)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        TimelineFormat::Text => text(&mut out, &t)?,
        TimelineFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&t)?)?,
        TimelineFormat::Csv => csv(&mut out, &t)?,
        TimelineFormat::Timelinejs => {
            writeln!(out, "{}", serde_json::to_string_pretty(&timelinejs(&t))?)?
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn stories(db: &Path, a: StoriesArgs) -> Result<ExitCode> {
    let store = crate::open_store(db)?;
    let all: Vec<Story> = kroniek_pipeline::query::stories(&store)?
        .into_iter()
        .filter(|s| s.docs.len() >= a.min_articles)
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        StoriesFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "stories": all }))?
        )?,
        StoriesFormat::Text => {
            if all.is_empty() {
                writeln!(out, "No stories yet (ingest some articles first).")?;
            }
            for s in &all {
                let span = match (s.first, s.last) {
                    (Some(f), Some(l)) if f == l => f.to_string(),
                    (Some(f), Some(l)) => format!("{f} – {l}"),
                    _ => "undated".to_string(),
                };
                let n = s.docs.len();
                writeln!(
                    out,
                    "{}  {}  {} article{}  {}",
                    s.id,
                    span,
                    n,
                    if n == 1 { "" } else { "s" },
                    s.title.replace('\n', " ")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn text(out: &mut dyn Write, t: &Timeline) -> std::io::Result<()> {
    if t.events.is_empty() {
        writeln!(out, "No timeline entries match.")?;
    }
    for e in &t.events {
        let n = e.sources.len();
        write!(
            out,
            "{:<10}  {}  [{}, {} source{}",
            e.date,
            e.title,
            e.kind,
            n,
            if n == 1 { "" } else { "s" }
        )?;
        if e.certainty != kroniek_model::Certainty::Certain {
            write!(out, ", {}", json!(e.certainty).as_str().unwrap_or(""))?;
        }
        if !e.conflicts.is_empty() {
            write!(out, ", also dated {}", e.conflicts.join(", "))?;
        }
        writeln!(out, "]  {}", e.id)?;
        for s in &e.sources {
            writeln!(
                out,
                "            {} {}  {}",
                s.dct
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "undated".into()),
                s.doc,
                s.title.as_deref().unwrap_or("").replace('\n', " ")
            )?;
        }
    }
    Ok(())
}

/// A CSV field, quoted when needed (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(out: &mut dyn Write, t: &Timeline) -> std::io::Result<()> {
    writeln!(
        out,
        "id,date,type,title,text,certainty,entities,conflicts,sources,source_docs"
    )?;
    for e in &t.events {
        let row = [
            e.id.clone(),
            e.date.clone(),
            e.kind.clone(),
            e.title.clone(),
            e.text.clone(),
            json!(e.certainty).as_str().unwrap_or("").to_string(),
            e.entities.join(" "),
            e.conflicts.join(" "),
            e.sources.len().to_string(),
            e.sources
                .iter()
                .map(|s| s.doc.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ];
        let row: Vec<String> = row.iter().map(|f| field(f)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// Escapes text for HTML (TimelineJS renders `text` fields as HTML).
pub fn html_escape(s: &str) -> String {
    html_escape::encode_safe(s).into_owned()
}

fn timelinejs_event(e: &TimelineEntry) -> Option<Value> {
    let d: PartialDate = e.date.parse().ok()?;
    // TimelineJS sets the year with setFullYear: astronomical (480 BC is
    // -479), so years before Christ also get their own label.
    let mut date = json!({ "year": d.year_value() });
    if let Some(m) = d.month_value() {
        date["month"] = json!(m);
    }
    if let Some(day) = d.day_value() {
        date["day"] = json!(day);
    }
    if d.year_value() < 1 {
        date["display_date"] = json!(year_label(d.year_value()));
    }
    let mut body = format!("<p>{}</p>", html_escape(&e.text));
    if !e.conflicts.is_empty() {
        body.push_str(&format!(
            "<p>Other sources give: {}</p>",
            html_escape(&e.conflicts.join(", "))
        ));
    }
    body.push_str("<ul>");
    for s in &e.sources {
        body.push_str(&format!(
            "<li>{}{}</li>",
            html_escape(s.title.as_deref().unwrap_or(&s.doc)),
            s.dct
                .map(|d| format!(" ({})", html_escape(&d.to_string())))
                .unwrap_or_default()
        ));
    }
    body.push_str("</ul>");
    Some(json!({
        "start_date": date,
        "text": { "headline": html_escape(&e.title), "text": body },
        "group": html_escape(&e.kind),
        "unique_id": e.id,
    }))
}

/// The timeline as Knight Lab TimelineJS JSON.
pub fn timelinejs(t: &Timeline) -> Value {
    json!({
        "title": { "text": { "headline": "Kroniek", "text": format!("{} events", t.events.len()) } },
        "events": t.events.iter().filter_map(timelinejs_event).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_before_christ_keeps_its_label() {
        let e: TimelineEntry = serde_json::from_value(json!({
            "date": "BC0480",
            "type": "battle",
            "title": "Thermopylae",
            "text": "In 480 BC the Persians invaded.",
            "entities": [],
            "certainty": "certain",
            "sources": []
        }))
        .unwrap();
        let v = timelinejs_event(&e).unwrap();
        assert_eq!(v["start_date"]["year"], json!(-479));
        assert_eq!(v["start_date"]["display_date"], json!("480 BC"));
    }
}
