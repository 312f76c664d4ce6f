//! Runs all stages over every `*.txt` file under a folder (English unless
//! `--lang`), checks the span invariant and prints counts and the rate:
//! `cargo run --release -p kroniek-events --example sweep -- DIR [LANG]`.

use std::path::Path;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).cloned().unwrap_or_else(|| ".".into());
    let lang = args.get(2).cloned().unwrap_or_else(|| "en".into());
    // Optional third argument: a file to write every quote (with 200
    // characters of context either side) and every claim to, one JSON line each.
    let mut dump = String::new();
    let mut files = Vec::new();
    walk(Path::new(&dir), &mut files);
    files.sort();
    let (mut ev, mut cl, mut qu, mut qs, mut bad) = (0, 0, 0, 0, 0);
    let start = std::time::Instant::now();
    let mut events_time = std::time::Duration::ZERO;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let mut doc = kroniek_model::Document::new(
            f.display().to_string(),
            None,
            text,
            kroniek_model::Dct::none(),
        );
        doc.lang = lang.clone();
        kroniek_text::annotate(&mut doc);
        kroniek_time::annotate(&mut doc);
        kroniek_entities::annotate(&mut doc);
        let t = std::time::Instant::now();
        kroniek_events::annotate(&mut doc);
        events_time += t.elapsed();
        if let Err(e) = doc.check_spans() {
            bad += 1;
            eprintln!("{}: {e}", f.display());
        }
        ev += doc.events.len();
        cl += doc.claims.len();
        qu += doc.quotes.len();
        qs += doc.quotes.iter().filter(|q| q.speaker.is_some()).count();
        if args.get(3).is_some() {
            let chars: Vec<char> = doc.text.chars().collect();
            for q in &doc.quotes {
                let a = q.start.saturating_sub(200);
                let b = (q.end + 200).min(chars.len());
                let ctx: String = chars[a..b].iter().collect();
                dump.push_str(&serde_json::json!({"kind": "quote", "file": f.display().to_string(), "speaker": q.speaker, "quote": q.text, "context": ctx}).to_string());
                dump.push('\n');
            }
            for c in &doc.claims {
                dump.push_str(&serde_json::json!({"kind": "claim", "file": f.display().to_string(), "claim": c}).to_string());
                dump.push('\n');
            }
        }
    }
    if let Some(p) = args.get(3) {
        if let Err(e) = std::fs::write(p, &dump) {
            eprintln!("{p}: {e}");
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {ev} events, {cl} claims, {qu} quotes ({qs} with a speaker), {bad} with bad spans; \
         all stages {:.1} files/s, events stage {:.0} files/s",
        files.len(),
        files.len() as f64 / secs,
        files.len() as f64 / events_time.as_secs_f64().max(1e-9)
    );
}
