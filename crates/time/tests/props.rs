//! Property tests: never panic, spans are valid, output is ordered.

use kroniek_model::{Dct, Document};
use proptest::prelude::*;

fn words() -> impl Strategy<Value = String> {
    let vocab = prop::sample::select(vec![
        "vorig",
        "jaar",
        "de",
        "eerste",
        "helft",
        "van",
        "2024",
        "begin",
        "maart",
        "woensdag",
        "geleden",
        "tien",
        "een",
        "half",
        ",",
        ".",
        "14:14",
        "01-Mar-08",
        "12-06-2014",
        "jaren",
        "'90",
        "last",
        "week",
        "ago",
        "the",
        "1990s",
        "a.m.",
        "Syrië",
        "—",
        "per",
        "uur",
        "bijna",
        "sinds",
        "april",
        "\n",
        "12",
        "juni",
        "tweeëntwintig",
        "of",
        "-",
        "t",
        "ë",
    ]);
    prop::collection::vec(vocab, 0..60).prop_map(|v| v.join(" "))
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,300}", lang in prop::sample::select(vec!["nl", "en", "fr"])) {
        let t = kroniek_time::tag(&s, lang, Some("2018-08-22".parse().unwrap()));
        let n = s.chars().count();
        for x in &t {
            prop_assert!(x.start < x.end && x.end <= n);
        }
        let _ = kroniek_time::infer_dct(&s, lang);
    }

    #[test]
    fn spans_match_text_and_do_not_overlap(s in words(), dct in prop::option::of(prop::sample::select(vec!["2018-08-22", "2018-08", "2018"]))) {
        let mut doc = Document::new("p", None, s.clone(), match dct {
            Some(d) => Dct::given(d.parse().unwrap(), "t"),
            None => Dct::none(),
        });
        doc.lang = "nl".into();
        kroniek_time::annotate(&mut doc);
        prop_assert!(doc.check_spans().is_ok(), "{:?}", doc.check_spans());
        for w in doc.timexes.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
    }
}
