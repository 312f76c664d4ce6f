//! `kroniek entities`: the corpus entities that linking found, most
//! mentioned first.

use std::io::Write;

use anyhow::Result;
use kroniek_model::EntityRecord;
use kroniek_store::Store;

/// Prints every entity as text (one per line) or as
/// `{"entities": [...]}` JSON.
pub fn run(store: &dyn Store, json: bool, out: &mut dyn Write) -> Result<()> {
    let all = kroniek_pipeline::query::entities(store)?;
    if json {
        let v = serde_json::json!({ "entities": all });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    if all.is_empty() {
        writeln!(out, "No entities yet (ingest some articles first).")?;
        return Ok(());
    }
    for e in &all {
        text_line(out, e)?;
    }
    writeln!(out, "{} entities", all.len())?;
    Ok(())
}

fn text_line(out: &mut dyn Write, e: &EntityRecord) -> Result<()> {
    let seen = match (e.first_seen, e.last_seen) {
        (Some(f), Some(l)) if f == l => format!("  {f}"),
        (Some(f), Some(l)) => format!("  {f}..{l}"),
        _ => String::new(),
    };
    write!(
        out,
        "{:<8} {:<4} {:>5}  {}{seen}",
        e.id, e.kind, e.mentions, e.name
    )?;
    if !e.aliases.is_empty() {
        write!(out, "  (also: {})", e.aliases.join(", "))?;
    }
    writeln!(out)?;
    Ok(())
}
