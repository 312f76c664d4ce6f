//! Speed of the events stage over the 120 MEANTIME Dutch texts (from
//! `../shared` when present; skipped otherwise): `events_only` runs
//! `kroniek_events::annotate` on documents already through the text, time
//! and entity stages; `all_stages` runs all four stages from raw text.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kroniek_model::{Dct, Document};

fn raw_docs() -> Option<Vec<Document>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/meantime_nl_partial/nl_raw_dct_heideltime_nl_output.jsonl");
    let s = std::fs::read_to_string(p).ok()?;
    let mut out = Vec::new();
    for line in s.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let raw = v.get("raw")?.as_str()?.to_string();
        let dct = v
            .get("dct")
            .and_then(|d| d.as_str())
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse().ok())
            .map(|d| Dct::given(d, "MEANTIME"))
            .unwrap_or_default();
        let mut doc = Document::new("meantime", None, raw, dct);
        doc.lang = "nl".into();
        out.push(doc);
    }
    Some(out)
}

fn earlier_stages(doc: &mut Document) {
    kroniek_text::annotate(doc);
    kroniek_time::annotate(doc);
    kroniek_entities::annotate(doc);
}

fn bench(c: &mut Criterion) {
    let Some(raw) = raw_docs() else {
        eprintln!("MEANTIME Dutch texts not found under ../shared; skipping the events bench");
        return;
    };
    let mut ready = raw.clone();
    ready.iter_mut().for_each(earlier_stages);
    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Elements(raw.len() as u64));
    g.sample_size(20);
    g.bench_function("meantime_nl_events_only", |b| {
        b.iter_batched(
            || ready.clone(),
            |mut docs| {
                let mut n = 0;
                for d in &mut docs {
                    kroniek_events::annotate(d);
                    n += d.events.len() + d.claims.len() + d.quotes.len();
                }
                n
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("meantime_nl_all_stages", |b| {
        b.iter_batched(
            || raw.clone(),
            |mut docs| {
                let mut n = 0;
                for d in &mut docs {
                    earlier_stages(d);
                    kroniek_events::annotate(d);
                    n += d.events.len();
                }
                n
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
