//! The text stage on the example corpus (`examples/articles/`).

use std::path::PathBuf;

use kroniek_text::{detect_language, minhash, sentences};

/// `(file name, body)` of the plain-text example articles: the text after
/// the `date` line, headline included.
fn articles() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no example corpus at {}; skipped", dir.display());
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let raw = std::fs::read_to_string(&p).unwrap();
            let body = match raw.split_once('\n') {
                Some((first, rest)) if first.trim_start().starts_with("date") => rest.to_string(),
                _ => raw,
            };
            (p.file_name().unwrap().to_string_lossy().into_owned(), body)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn languages_of_the_examples() {
    for (name, body) in articles() {
        let want = if name.contains("-en.") { "en" } else { "nl" };
        assert_eq!(detect_language(&body), want, "{name}");
        let headline = body.lines().find(|l| !l.trim().is_empty()).unwrap();
        // A headline alone may be too short to tell, but is never wrong.
        let got = detect_language(headline);
        assert!(
            got == want || got == "und",
            "headline of {name}: {headline:?} → {got}"
        );
    }
}

#[test]
fn sentences_of_the_examples() {
    for (name, body) in articles() {
        let lang = detect_language(&body);
        let spans = sentences(&body, &lang);
        assert!(spans.len() >= 10, "{name}: {} sentences", spans.len());
        for r in &spans {
            let s = &body[r.clone()];
            // No sentence runs on past a period followed by a capitalised
            // word, unless the period belongs to an abbreviation or initial.
            assert!(
                !s.contains('\n'),
                "{name}: sentence over a line break: {s:?}"
            );
            assert!(s.len() < 400, "{name}: suspiciously long sentence: {s:?}");
            let first = s.chars().next().unwrap();
            assert!(
                !first.is_lowercase(),
                "{name}: sentence starts in lower case: {s:?}"
            );
        }
    }
}

#[test]
fn near_duplicates_among_the_examples() {
    let arts = articles();
    if arts.is_empty() {
        return;
    }
    let sigs: Vec<(String, minhash::Signature)> = arts
        .iter()
        .map(|(n, b)| (n.clone(), minhash::signature(b)))
        .collect();
    let pair = |a: &str, b: &str| {
        let find = |n: &str| &sigs.iter().find(|(name, _)| name == n).unwrap().1;
        (find(a), find(b))
    };
    // Re-published with a new headline and one sentence changed.
    let (a, b) = pair(
        "2024-07-18-centcom-is-aanslagen.txt",
        "2024-07-18-is-terug-153-aanslagen-herplaatst.txt",
    );
    let s = minhash::similarity(a, b);
    assert!(s >= 0.8, "re-published copy: {s}");
    assert!(minhash::bands(a)
        .iter()
        .any(|k| minhash::bands(b).contains(k)));
    // Everything else (bar the exact copy) is unrelated.
    for (i, (na, sa)) in sigs.iter().enumerate() {
        for (nb, sb) in &sigs[i + 1..] {
            let related = na.starts_with("2019-10-27") && nb.starts_with("2019-10-27")
                || na.starts_with("2024-07-18") && nb.starts_with("2024-07-18");
            if !related {
                let s = minhash::similarity(sa, sb);
                assert!(s < 0.1, "{na} ~ {nb}: {s}");
            }
        }
    }
}
