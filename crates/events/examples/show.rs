//! Prints the layers the events stage fills for a text, after the text,
//! time and entity stages: `cargo run -p kroniek-events --example show --
//! nl "tekst"` (or `@FILE` for a file's contents; DCT 2024-07-18 unless the
//! file starts with a ` date YYYY-MM-DD` line).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = args.get(1).cloned().unwrap_or_else(|| "nl".into());
    let mut text = args.get(2).cloned().unwrap_or_default();
    if let Some(path) = text.strip_prefix('@') {
        text = std::fs::read_to_string(path).unwrap_or_default();
    }
    let mut dct = "2024-07-18".to_string();
    if let Some(first) = text.lines().next() {
        if let Some(d) = first.trim().strip_prefix("date ") {
            dct = d.trim().to_string();
            text = text.lines().skip(1).collect::<Vec<_>>().join("\n");
        }
    }
    let dct = dct
        .parse()
        .map(|d| kroniek_model::Dct::given(d, "example"))
        .unwrap_or_default();
    let mut doc = kroniek_model::Document::new("example", None, text, dct);
    doc.lang = lang;
    kroniek_text::annotate(&mut doc);
    kroniek_time::annotate(&mut doc);
    kroniek_entities::annotate(&mut doc);
    kroniek_events::annotate(&mut doc);
    let out = serde_json::json!({
        "timexes": doc.timexes,
        "entities": doc.entities,
        "events": doc.events,
        "claims": doc.claims,
        "quotes": doc.quotes,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
