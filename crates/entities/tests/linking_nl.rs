//! Dutch cross-article linking cases (`tests/data/linking-nl.json`):
//! recognition, within-article grouping and the corpus [`Linker`] over
//! eleven short articles. Distinct people who share a surname (Lilian and
//! Jan Marijnissen, Hugo de Jonge and Frenkie de Jong, two Van der Laans,
//! Geert and Marieke Wilders) must never be merged; variants of one
//! entity (bare surnames, VS/Verenigde Staten, Syrië/Syria) should link.

use std::collections::{BTreeMap, BTreeSet};

use kroniek_entities::{annotate, Linker};
use kroniek_model::{Dct, Document};

const CASES: &str = include_str!("data/linking-nl.json");

#[test]
fn dutch_linking_cases() {
    let v: serde_json::Value = serde_json::from_str(CASES).unwrap();
    let mut linker = Linker::new();
    // (article, surface) → (gold key, system entity ids).
    let mut found: Vec<(String, String, BTreeSet<String>)> = Vec::new();
    let mut missed = Vec::new();
    for (ai, a) in v["articles"].as_array().unwrap().iter().enumerate() {
        let text = a["text"].as_str().unwrap().to_string();
        let date = a["date"].as_str().unwrap().parse().unwrap();
        let mut doc = Document::new(format!("case{ai}"), None, text, Dct::given(date, "test"));
        annotate(&mut doc);
        linker.add(&mut doc);
        for (surface, key) in a["gold"].as_object().unwrap() {
            let ids: BTreeSet<String> = doc
                .entities
                .iter()
                .filter(|m| &m.text == surface)
                .filter_map(|m| m.entity.clone())
                .collect();
            if ids.is_empty() {
                missed.push(format!("{ai}:{surface}"));
            } else {
                found.push((format!("{ai}:{surface}"), key.as_str().unwrap().into(), ids));
            }
        }
    }
    // Pairwise over the recognised gold mentions.
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    let mut wrong = Vec::new();
    for (i, (sa, ka, ia)) in found.iter().enumerate() {
        assert_eq!(ia.len(), 1, "{sa} has several entity ids: {ia:?}");
        for (sb, kb, ib) in &found[i + 1..] {
            let same_sys = ia == ib;
            match (ka == kb, same_sys) {
                (true, true) => tp += 1,
                (true, false) => fneg += 1,
                (false, true) => {
                    fp += 1;
                    wrong.push(format!("{sa} ({ka}) ~ {sb} ({kb})"));
                }
                (false, false) => {}
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    eprintln!(
        "Dutch linking cases: {} gold mentions recognised, {} missed {missed:?}; \
         pairwise P {:.3} R {:.3} ({tp} links right, {fp} wrong, {fneg} missing)",
        found.len(),
        missed.len(),
        p,
        r
    );
    assert!(wrong.is_empty(), "distinct entities merged: {wrong:?}");
    assert!(r >= 0.8, "too few links found: recall {r:.3}");
    assert!(
        missed.len() * 5 <= found.len(),
        "recognition missed {missed:?}"
    );
    // The bare "Marijnissen" in the first article names neither person.
    let recs: BTreeMap<String, String> = linker
        .records()
        .into_iter()
        .map(|r| (r.name.clone(), r.id))
        .collect();
    let lilian = recs.get("Lilian Marijnissen").expect("Lilian Marijnissen");
    let jan = recs.get("Jan Marijnissen").expect("Jan Marijnissen");
    assert_ne!(lilian, jan);
    let bare = linker.resolve("Marijnissen");
    assert!(bare.as_ref() != Some(jan), "bare surname resolved to Jan");
}
