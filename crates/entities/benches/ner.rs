//! Recognition speed: tokens per second on Dutch and English news text.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const NL: &str = "De leider van Islamitische Staat, Abu Bakr al-Baghdadi, is bij een Amerikaanse militaire operatie in het noordwesten van Syrië om het leven gekomen. Dat heeft president Donald Trump zondag in Washington bekendgemaakt. Al-Baghdadi riep in 2014 in Mosul het kalifaat uit. De Verenigde Staten hadden een beloning van 25 miljoen dollar op zijn hoofd gezet. Volgens het Pentagon vonden de speciale eenheden hem in het dorp Barisha, vlak bij de Turkse grens. Rusland en Turkije waren vooraf ingelicht, zei Trump. De Koerdische SDF speelde volgens de Amerikanen een belangrijke rol bij het vinden van de IS-leider.";
const EN: &str = "The leader of Islamic State, Abu Bakr al-Baghdadi, was killed in a U.S. military raid in northwestern Syria, President Donald Trump said on Sunday in Washington. Baghdadi declared a caliphate from Mosul in 2014. The United States had offered a reward of $25 million for information leading to his capture. According to the Pentagon, special forces found him in the village of Barisha near the Turkish border. Russia and Turkey had been informed in advance, Trump said. The Kurdish-led SDF played an important role in locating the IS leader.";

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ner");
    for (lang, text) in [("nl", NL), ("en", EN)] {
        let text = text.repeat(20);
        let ntok = kroniek_text::tokenize(&text).len() as u64;
        // Load the model outside the measurement.
        let _ = kroniek_entities::model_for(lang);
        g.throughput(Throughput::Elements(ntok));
        g.bench_function(format!("recognize_{lang}"), |b| {
            b.iter(|| kroniek_entities::recognize(std::hint::black_box(&text), lang, None))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
