//! The encoder against the Python reference (`tests/data/reference.py`):
//! the same pieces and embeddings with cosine ≥ 0.999 (measured: 1.000000).
//! Needs the installed weights (`scripts/install-encoder.sh`): skipped
//! with a message when they are absent, failing instead when
//! `KRONIEK_REQUIRE_ENCODER=1` (as in CI).

use kroniek_encoder::{cosine, default_dir, is_installed, Encoder, DIM};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    sentences: Vec<Sentence>,
}

#[derive(Deserialize)]
struct Sentence {
    text: String,
    pieces: Vec<u32>,
    embedding: Vec<f32>,
}

fn encoder() -> Option<Encoder> {
    let dir = default_dir();
    let required = std::env::var("KRONIEK_REQUIRE_ENCODER").is_ok_and(|v| v == "1");
    match dir.filter(|d| is_installed(d)) {
        Some(d) => Some(Encoder::load(&d).expect("installed encoder loads")),
        None if required => panic!(
            "KRONIEK_REQUIRE_ENCODER=1 but no encoder in {:?} (run scripts/install-encoder.sh)",
            default_dir()
        ),
        None => {
            eprintln!("skipped: no sentence encoder installed (scripts/install-encoder.sh)");
            None
        }
    }
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("data/reference.json")).expect("reference.json parses")
}

#[test]
fn matches_the_python_reference() {
    let Some(enc) = encoder() else { return };
    let r = reference();
    assert!(r.sentences.len() >= 3);
    for s in &r.sentences {
        assert_eq!(enc.pieces(&s.text), s.pieces, "pieces of {:?}", s.text);
        let v = enc.embed(&s.text);
        assert_eq!(v.len(), DIM);
        let c = cosine(&v, &s.embedding);
        eprintln!("cosine with the reference: {c:.6} ({:?})", s.text);
        assert!(c >= 0.999, "cosine {c} for {:?}", s.text);
    }
    // A batch gives the same vectors as one text at a time.
    let texts: Vec<&str> = r.sentences.iter().map(|s| s.text.as_str()).collect();
    for (v, s) in enc.embed_batch(&texts).iter().zip(&r.sentences) {
        assert!(cosine(v, &enc.embed(&s.text)) > 0.9999);
    }
}

#[test]
fn translations_are_closer_than_other_sentences() {
    let Some(enc) = encoder() else { return };
    let r = reference();
    let v: Vec<Vec<f32>> = r.sentences.iter().map(|s| enc.embed(&s.text)).collect();
    // Sentences 0 (Dutch) and 1 (English) say the same thing.
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.2);
    assert!(cosine(&v[0], &v[1]) > cosine(&v[1], &v[3]) + 0.2);
    // Odd input never panics.
    for t in ["", "   ", "\u{0}\u{fffd}", &"ж".repeat(5000)] {
        assert_eq!(enc.embed(t).len(), DIM);
    }
}
