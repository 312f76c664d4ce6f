//! Property tests: no input makes the text stage panic or break its span
//! invariants.

use kroniek_model::{Dct, Document};
use kroniek_text::{annotate, minhash, number_at, parse_number, sentences, tokenize};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    ".",
    "...",
    "…",
    "!",
    "?",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\u{a0}",
    "\r\n",
    "\"",
    "'",
    "“",
    "”",
    "’",
    "(",
    ")",
    "[",
    "-",
    ",",
    ":",
    "/",
    "&",
    "'s",
    "Hij",
    "zei",
    "dhr.",
    "o.a.",
    "A.",
    "U.S.",
    "Mr.",
    "1.000",
    "2,5",
    "14:14",
    "12-06-2014",
    "01-Mar-08",
    "twee",
    "miljoen",
    "een",
    "half",
    "en",
    "twenty-one",
    "Syrië",
    "e\u{0308}",
    "。",
    "½",
    "€",
    "🙂",
];

/// Text with many of the characters the splitter and tokenizer look at.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(PIECES).prop_map(String::from),
        "[a-zA-Z0-9]{1,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![texty(), any::<String>()]
}

fn check_sentences(text: &str, lang: &str) -> Result<(), TestCaseError> {
    let spans = sentences(text, lang);
    let mut prev_end = 0;
    for r in &spans {
        prop_assert!(r.start < r.end, "empty sentence {r:?}");
        prop_assert!(
            r.start >= prev_end,
            "out of order or overlapping: {spans:?}"
        );
        prop_assert!(r.end <= text.len());
        prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let s = &text[r.clone()];
        prop_assert_eq!(s.trim(), s, "not trimmed");
        prop_assert!(
            text[prev_end..r.start].trim().is_empty(),
            "non-space text outside sentences"
        );
        prev_end = r.end;
    }
    prop_assert!(
        text[prev_end..].trim().is_empty(),
        "non-space text after the last sentence"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn sentences_cover_the_text_in_order(text in any_text(), lang in prop_oneof![Just("nl"), Just("en"), Just("und")]) {
        check_sentences(&text, lang)?;
    }

    #[test]
    fn tokens_are_slices_in_order(text in any_text()) {
        let toks = tokenize(&text);
        let mut prev_end = 0;
        for t in &toks {
            prop_assert!(t.start < t.end);
            prop_assert!(t.start >= prev_end);
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert_eq!(&text[t.start..t.end], t.text);
            prop_assert!(!t.text.contains(char::is_whitespace));
            prop_assert!(text[prev_end..t.start].chars().all(char::is_whitespace), "dropped non-space text");
            prev_end = t.end;
        }
        prop_assert!(text[prev_end..].chars().all(char::is_whitespace));
    }

    #[test]
    fn numbers_never_panic(text in any_text()) {
        let toks = tokenize(&text);
        for i in 0..=toks.len() {
            if let Some((v, n)) = number_at(&toks, i, "nl") {
                prop_assert!(n >= 1 && i + n <= toks.len());
                prop_assert!(v.is_finite() && v >= 0.0);
            }
            let _ = number_at(&toks, i, "en");
            let _ = number_at(&toks, i, "xx");
        }
        let _ = parse_number(&text, "nl");
        let _ = parse_number(&text, "en");
    }

    #[test]
    fn annotate_keeps_spans_valid(text in any_text(), title in proptest::option::of(any_text())) {
        let mut doc = Document::new("p", title, text, Dct::none());
        annotate(&mut doc);
        prop_assert!(doc.check_spans().is_ok(), "{:?}", doc.check_spans());
        prop_assert!(!doc.lang.is_empty());
        for w in doc.sentences.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
    }

    #[test]
    fn signatures_are_well_formed(a in any_text(), b in any_text()) {
        let (sa, sb) = (minhash::signature(&a), minhash::signature(&b));
        prop_assert_eq!(sa.0.len(), minhash::PERMUTATIONS);
        let s = minhash::similarity(&sa, &sb);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert_eq!(minhash::from_bytes(&minhash::to_bytes(&sa)), Some(sa.clone()));
        let keys = minhash::bands(&sa);
        prop_assert!(keys.is_empty() || keys.len() == minhash::BANDS);
        if !sa.is_empty_text() {
            prop_assert_eq!(minhash::similarity(&sa, &sa), 1.0);
        }
    }
}

#[test]
fn pathological_inputs_are_fast() {
    let cases = [
        "a.".repeat(200_000),
        ".".repeat(400_000),
        "A. ".repeat(100_000),
        "x".repeat(400_000),
        format!("{}.", "a".repeat(400_000)),
        "\n".repeat(400_000),
        " \n".repeat(200_000),
        "1.".repeat(200_000),
        "een".repeat(100_000),
        "'s-".repeat(100_000),
        "-1".repeat(200_000),
    ];
    for text in &cases {
        let t = std::time::Instant::now();
        let _ = sentences(text, "nl");
        let toks = tokenize(text);
        for i in 0..toks.len().min(2000) {
            let _ = number_at(&toks, i, "nl");
        }
        let _ = minhash::signature(text);
        assert!(
            t.elapsed().as_secs_f64() < 5.0,
            "{:?}... took {:?}",
            &text[..10],
            t.elapsed()
        );
    }
}
