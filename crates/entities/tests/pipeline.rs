//! End-to-end checks with the shipped models: recognition, within-article
//! aliasing and cross-article linking on small inline articles.

use kroniek_entities::{annotate, Linker};
use kroniek_model::{Dct, Document};

fn doc(text: &str, date: &str, lang: &str) -> Document {
    let mut d = Document::new(
        "t.txt",
        None,
        text.to_string(),
        Dct::given(date.parse().unwrap(), "test"),
    );
    d.lang = lang.to_string();
    d
}

fn entity_of<'a>(d: &'a Document, text: &str) -> Option<&'a str> {
    d.entities
        .iter()
        .find(|m| m.text == text)
        .and_then(|m| m.entity.as_deref())
}

const NL: &str = "De leider van Islamitische Staat (IS), Abu Bakr al-Baghdadi, is bij een Amerikaanse operatie in het noordwesten van Syrië om het leven gekomen. Dat heeft president Donald Trump zondag in Washington bekendgemaakt.\n\nAl-Baghdadi riep in 2014 in Mosul een kalifaat uit. IS verloor daarna grote delen van Irak en Syrië. De IS-leider werd jarenlang gezocht.";

const EN: &str = "Islamic State leader Abu Bakr al-Baghdadi was killed in a U.S. raid in northwestern Syria, President Donald Trump said on Sunday.\n\nBaghdadi had declared a caliphate in Mosul in 2014. Trump thanked Russia, Turkey and Iraq.";

#[test]
fn dutch_article_is_recognised_and_aliased() {
    let mut d = doc(NL, "2019-10-27", "nl");
    annotate(&mut d);
    d.check_spans().unwrap();
    let labels: Vec<(&str, &str)> = d
        .entities
        .iter()
        .map(|m| (m.text.as_str(), m.label.as_str()))
        .collect();
    for (t, l) in [
        ("Abu Bakr al-Baghdadi", "PER"),
        ("Donald Trump", "PER"),
        ("Syrië", "LOC"),
        ("Washington", "LOC"),
        ("Mosul", "LOC"),
        ("Irak", "LOC"),
    ] {
        assert!(labels.contains(&(t, l)), "{t} {l} missing in {labels:?}");
    }
    let bag = entity_of(&d, "Abu Bakr al-Baghdadi").unwrap();
    assert_eq!(entity_of(&d, "Al-Baghdadi"), Some(bag), "{labels:?}");
    assert_eq!(entity_of(&d, "IS-leider"), Some(bag), "{:?}", d.entities);
    let syr: Vec<_> = d
        .entities
        .iter()
        .filter(|m| m.text == "Syrië")
        .map(|m| m.entity.clone())
        .collect();
    assert_eq!(syr.len(), 2);
    assert_eq!(syr[0], syr[1]);
    assert!(d
        .entities
        .iter()
        .all(|m| m.entity.as_deref().is_some_and(|e| e.starts_with("local:"))));
}

#[test]
fn articles_link_across_languages() {
    let mut a = doc(NL, "2019-10-27", "nl");
    let mut b = doc(EN, "2019-10-28", "en");
    annotate(&mut a);
    annotate(&mut b);
    let mut l = Linker::new();
    l.add(&mut a);
    l.add(&mut b);
    let id = |d: &Document, t: &str| entity_of(d, t).map(str::to_string);
    assert!(id(&a, "Abu Bakr al-Baghdadi").is_some());
    assert_eq!(
        id(&a, "Abu Bakr al-Baghdadi"),
        id(&b, "Abu Bakr al-Baghdadi")
    );
    assert_eq!(
        id(&a, "Syrië"),
        id(&b, "Syria"),
        "{:?}\n{:?}",
        a.entities,
        b.entities
    );
    assert_eq!(id(&a, "Irak"), id(&b, "Iraq"));
    assert_eq!(id(&a, "Donald Trump"), id(&b, "Trump"));
    assert_eq!(l.resolve("Syria"), id(&a, "Syrië"));
    let recs = l.records();
    let bag = recs
        .iter()
        .find(|r| Some(&r.id) == id(&a, "Abu Bakr al-Baghdadi").as_ref())
        .unwrap();
    assert_eq!(bag.name, "Abu Bakr al-Baghdadi");
    assert_eq!(bag.kind, "PER");
    assert_eq!(bag.first_seen.unwrap().to_string(), "2019-10-27");
    assert_eq!(bag.last_seen.unwrap().to_string(), "2019-10-28");
    println!("{}", serde_json::to_string_pretty(&recs).unwrap());
}

#[test]
fn odd_input_never_panics() {
    for t in [
        "",
        "   ",
        "\n\n",
        "((((",
        "ÄÖÜ ß 🙂 – “IS” (IS) IS-leider,",
        &"Jan ".repeat(3000),
    ] {
        for lang in ["nl", "en", "und", "de"] {
            let mut d = doc(t, "2020-01-01", lang);
            annotate(&mut d);
            d.check_spans().unwrap();
            let mut l = Linker::new();
            l.add(&mut d);
        }
    }
}
