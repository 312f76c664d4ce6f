//! Tagging speed over the MEANTIME Dutch texts (from `../shared` when
//! present; skipped otherwise).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn texts() -> Option<Vec<(String, Option<kroniek_model::PartialDate>)>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/meantime_nl_partial/nl_raw_dct_heideltime_nl_output.jsonl");
    let s = std::fs::read_to_string(p).ok()?;
    let mut out = Vec::new();
    for line in s.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let raw = v.get("raw")?.as_str()?.to_string();
        let dct = v
            .get("dct")
            .and_then(|d| d.as_str())
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse().ok());
        out.push((raw, dct));
    }
    Some(out)
}

fn bench(c: &mut Criterion) {
    let Some(docs) = texts() else {
        eprintln!("MEANTIME Dutch texts not found under ../shared; skipping the tagger bench");
        return;
    };
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum();
    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("meantime_nl_tag", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, dct) in &docs {
                n += kroniek_time::tag(t, "nl", *dct).len();
            }
            n
        })
    });
    g.bench_function("meantime_nl_infer_dct", |b| {
        b.iter(|| {
            docs.iter()
                .filter(|(t, _)| kroniek_time::infer_dct(t, "nl").is_some())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
