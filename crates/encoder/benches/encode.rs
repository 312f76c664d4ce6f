//! Encoder throughput: one article text (title and lead, ~70 words) at a
//! time, and 32 such texts as one batch. Needs the installed weights
//! (`scripts/install-encoder.sh`); without them it measures nothing and
//! says so.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kroniek_encoder::Encoder;

const TITLE: &str = "Northrop Grumman en Airbus-eigenaar EADS verslaan Boeing in contract voor Amerikaans tankvliegtuig";
const LEAD: &str = "Northrop Grumman en European Aeronautic Defence and Space Company EADS N.V., het moederbedrijf van Airbus, hebben onverwacht Boeing verslagen in een contract ter waarde van 40 miljard dollar om 179 nieuwe tankvliegtuigen te leveren aan de United States Air Force, waarbij 15 tankers per jaar zullen worden opgeleverd. Het is het grootste contract in zijn soort sinds het Joint Strike Fighter-programma.";

fn bench(c: &mut Criterion) {
    let enc = match Encoder::load_default() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("encode bench skipped: {e}");
            return;
        }
    };
    let text = format!("{TITLE}. {LEAD}");
    eprintln!("pieces per text: {}", enc.pieces(&text).len());
    let mut g = c.benchmark_group("encoder");
    g.throughput(Throughput::Elements(1));
    g.bench_function("embed_article", |b| b.iter(|| enc.embed(&text)));
    let texts: Vec<String> = (0..32).map(|i| format!("{i}. {text}")).collect();
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("embed_batch_32", |b| b.iter(|| enc.embed_batch(&texts)));
    g.bench_function("load", |b| {
        b.iter(|| Encoder::load_default().map(|e| e.pieces("x").len()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
