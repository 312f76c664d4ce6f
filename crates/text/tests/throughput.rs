//! Throughput of tokenisation and sentence splitting. Ignored by default;
//! run with `cargo test --release -p kroniek-text --test throughput --
//! --ignored --nocapture`.

use std::time::Instant;

use kroniek_text::{minhash, sentences, tokenize};

const PARAGRAPH: &str = "De leider van Islamitische Staat, Abu Bakr al-Baghdadi, is om het leven \
gekomen bij een operatie van Amerikaanse speciale eenheden in het noordwesten van Syrië. Dat heeft \
de Amerikaanse president zondag om 14:14 uur bekendgemaakt. “Hij stierf als een hond,” zei dhr. \
Trump. Volgens o.a. het Pentagon kwamen ca. 1.000 strijders om; 2,5 miljoen mensen ontvluchtten \
het gebied tussen 12-06-2014 en 2019... The U.S. Department of Defense said on Jan. 5 that Mr. \
Smith's unit killed twenty-one fighters! Is het waar? Niemand weet het.\n\n";

#[test]
#[ignore]
fn tokenize_and_sentences_throughput() {
    let text = PARAGRAPH.repeat(32 * 1024 * 1024 / PARAGRAPH.len());
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    let n = tokenize(&text).len();
    let tok = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let s = sentences(&text, "nl").len();
    let sen = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let sig = minhash::signature(&text[..1_000_000]);
    let mh = t.elapsed().as_secs_f64();
    println!(
        "{mb:.1} MB: tokenize {:.0} MB/s ({n} tokens), sentences {:.0} MB/s ({s} sentences), \
         both {:.0} MB/s; minhash {:.0} MB/s",
        mb / tok,
        mb / sen,
        mb / (tok + sen),
        1.0 / mh,
    );
    assert!(!sig.is_empty_text());
}
