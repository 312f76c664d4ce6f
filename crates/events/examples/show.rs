//! Prints the layers the events stage fills for a text: `cargo run -p
//! kroniek-events --example show -- nl "tekst"`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (lang, text) = (
        args.get(1).cloned().unwrap_or("nl".into()),
        args.get(2).cloned().unwrap_or_default(),
    );
    let mut doc = kroniek_model::Document::new(
        "x",
        None,
        text,
        kroniek_model::Dct::given("2024-07-18".parse().unwrap(), "x"),
    );
    doc.lang = lang;
    kroniek_text::annotate(&mut doc);
    kroniek_time::annotate(&mut doc);
    kroniek_entities::annotate(&mut doc);
    kroniek_events::annotate(&mut doc);
    println!("{}", serde_json::to_string_pretty(&serde_json::json!({"timexes": doc.timexes, "entities": doc.entities, "events": doc.events, "claims": doc.claims, "quotes": doc.quotes})).unwrap());
}
