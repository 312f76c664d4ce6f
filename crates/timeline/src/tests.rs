//! Unit tests over hand-built documents.

use kroniek_model::{
    Certainty, CharIndex, Dct, Document, EntityMention, Event, PartialDate, Sentence, Story, Timex,
    TimexType,
};

use super::*;

/// A document whose sentences are split at ". " and whose timexes are the
/// given (text, value) pairs, found by search.
fn doc(
    lang: &str,
    dct: &str,
    text: &str,
    timexes: &[(&str, &str)],
    ents: &[(&str, &str)],
) -> Document {
    let dct = (!dct.is_empty()).then(|| Dct::given(dct.parse().unwrap(), "test"));
    let mut d = Document::new(
        "t",
        Some(format!("title of {text}")),
        text.to_string(),
        dct.unwrap_or_default(),
    );
    d.lang = lang.into();
    let idx = CharIndex::new(text);
    let mut start = 0;
    for (i, _) in text.match_indices(". ") {
        d.sentences.push(Sentence {
            start: idx.to_char(start),
            end: idx.to_char(i + 1),
        });
        start = i + 2;
    }
    d.sentences.push(Sentence {
        start: idx.to_char(start),
        end: idx.to_char(text.len()),
    });
    for (t, v) in timexes {
        let b = text.find(t).expect("timex in text");
        d.timexes.push(Timex {
            start: idx.to_char(b),
            end: idx.to_char(b + t.len()),
            text: t.to_string(),
            kind: TimexType::Date,
            value: v.to_string(),
            modifier: None,
        });
    }
    for (t, id) in ents {
        for (b, _) in text.match_indices(t) {
            d.entities.push(EntityMention {
                start: idx.to_char(b),
                end: idx.to_char(b + t.len()),
                text: t.to_string(),
                label: "ORG".into(),
                entity: Some(id.to_string()),
            });
        }
    }
    d.check_spans().unwrap();
    d
}

fn caliphate_docs() -> Vec<Document> {
    vec![
        doc(
            "nl",
            "2024-07-18",
            "Centcom meldt 153 aanslagen. In 2014 riep IS een kalifaat uit in grote delen van Irak en Syrië. In maart 2019 verloor de groep in Baghuz haar laatste grondgebied.",
            &[("2014", "2014"), ("maart 2019", "2019-03")],
            &[("IS", "ent:1"), ("Irak", "ent:2"), ("Syrië", "ent:3"), ("Baghuz", "ent:4")],
        ),
        doc(
            "nl",
            "2014-07",
            "Baghdadi werd in 1971 geboren in Samarra. Op 29 juni riep IS een kalifaat uit. Daarmee claimt de IS-leider gezag over alle moslims.",
            &[("1971", "1971"), ("29 juni", "2014-06-29")],
            &[("IS", "ent:1"), ("Baghdadi", "ent:5")],
        ),
        doc(
            "nl",
            "2024-06",
            "Begin juni 2014 trokken de jihadisten Mosul binnen, eind die maand riep IS een ‘kalifaat’ uit over grote delen van Irak en Syrië, en begin juli liet Baghdadi zich huldigen. In 2017 vielen Mosul en Raqqa.",
            &[("Begin juni 2014", "2014-06"), ("begin juli", "2014-07"), ("2017", "2017")],
            &[("IS", "ent:1"), ("Irak", "ent:2"), ("Syrië", "ent:3"), ("Mosul", "ent:6"), ("Baghdadi", "ent:5")],
        ),
        doc(
            "nl",
            "2019-10-27",
            "Baghdadi is gedood. In 2014 riep hij zichzelf uit tot leider van alle moslims. In maart verloor IS in Baghuz het laatste stuk grondgebied.",
            &[("2014", "2014"), ("maart", "2019-03")],
            &[("IS", "ent:1"), ("Baghdadi", "ent:5"), ("Baghuz", "ent:4")],
        ),
    ]
}

fn find<'a>(
    t: &'a [kroniek_model::TimelineEntry],
    word: &str,
) -> Vec<&'a kroniek_model::TimelineEntry> {
    t.iter().filter(|e| e.title.contains(word)).collect()
}

#[test]
fn same_event_from_several_articles_is_one_entry_with_the_precise_date() {
    let t = build_timeline(&caliphate_docs(), &MergeOptions::default());
    let kal = find(&t, "kalifaat");
    assert_eq!(kal.len(), 1, "{t:#?}");
    let e = kal[0];
    assert!(e.sources.len() >= 3, "{e:#?}");
    assert_eq!(e.date, "2014-06-29", "{e:#?}");
    assert!(e.conflicts.is_empty(), "{e:#?}");
    assert_eq!(e.kind, DATED);
    assert!(e.entities.contains(&"ent:1".to_string()));
    // Baghuz, March 2019: reported twice, one entry.
    let baghuz = find(&t, "Baghuz");
    assert_eq!(baghuz.len(), 1, "{baghuz:#?}");
    assert_eq!(baghuz[0].date, "2019-03");
    assert_eq!(baghuz[0].sources.len(), 2);
    // Unrelated facts stay apart.
    assert!(t.iter().any(|e| e.date == "1971"));
    assert!(t.iter().any(|e| e.date == "2017"));
}

#[test]
fn contradicting_dates_are_conflicts_not_averages() {
    let docs = vec![
        doc(
            "nl",
            "2024-07-18",
            "Op 29 juni 2014 riep IS in Mosul een kalifaat uit.",
            &[("29 juni 2014", "2014-06-29")],
            &[("IS", "ent:1")],
        ),
        doc(
            "nl",
            "2024-07-19",
            "Op 29 juni 2013 riep IS in Mosul een kalifaat uit.",
            &[("29 juni 2013", "2013-06-29")],
            &[("IS", "ent:1")],
        ),
        doc(
            "nl",
            "2024-07-20",
            "In juni 2014 riep IS in Mosul een kalifaat uit.",
            &[("juni 2014", "2014-06")],
            &[("IS", "ent:1")],
        ),
    ];
    let t = build_timeline(&docs, &MergeOptions::default());
    assert_eq!(t.len(), 1, "{t:#?}");
    assert_eq!(t[0].date, "2014-06-29");
    assert_eq!(t[0].conflicts, ["2013-06-29"]);
    assert_eq!(t[0].sources.len(), 3);
}

#[test]
fn creation_date_itself_is_not_a_timeline_date() {
    let d = doc(
        "nl",
        "2019-10-27",
        "Vandaag is Baghdadi gedood. In 2014 riep hij een kalifaat uit.",
        &[("Vandaag", "2019-10-27"), ("2014", "2014")],
        &[],
    );
    let m = mentions(&d, 0);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].date, Some("2014".parse().unwrap()));
}

#[test]
fn events_layer_is_used_when_present_and_types_do_not_mix() {
    let mut a = doc(
        "en",
        "2019-10-28",
        "Baghdadi was killed in a raid in Idlib on Saturday.",
        &[("Saturday", "2019-10-26")],
        &[("Baghdadi", "ent:5"), ("Idlib", "ent:7")],
    );
    let mut b = doc(
        "en",
        "2019-10-29",
        "US forces killed Baghdadi in Idlib on 26 October.",
        &[("26 October", "2019-10-26")],
        &[("Baghdadi", "ent:5"), ("Idlib", "ent:7")],
    );
    let ev = |d: &Document, trig: &str, kind: &str| {
        let s = d.text.find(trig).unwrap();
        Event {
            start: s,
            end: s + trig.len(),
            text: trig.into(),
            kind: kind.into(),
            sentence: 0,
            date: Some("2019-10-26".into()),
            certainty: Certainty::Certain,
            participants: vec!["ent:5".into()],
            place: None,
        }
    };
    let e = ev(&a, "killed", "death");
    a.events.push(e);
    let e = ev(&b, "killed", "death");
    b.events.push(e);
    let e = ev(&b, "forces", "attack");
    b.events.push(e);
    let t = build_timeline(&[a, b], &MergeOptions::default());
    let deaths: Vec<_> = t.iter().filter(|e| e.kind == "death").collect();
    assert_eq!(deaths.len(), 1, "{t:#?}");
    assert_eq!(deaths[0].sources.len(), 2);
    assert_eq!(deaths[0].date, "2019-10-26");
    assert!(t.iter().any(|e| e.kind == "attack"));
}

#[test]
fn entry_ids_are_stable_and_content_derived() {
    let docs = caliphate_docs();
    let a = build_timeline(&docs, &MergeOptions::default());
    let b = build_timeline(&docs, &MergeOptions::default());
    assert_eq!(a, b);
    let ids: std::collections::HashSet<_> = a.iter().map(|e| &e.id).collect();
    assert_eq!(ids.len(), a.len());
}

#[test]
fn group_date_prefers_supported_precise_dates() {
    let p = |s: &str| s.parse::<PartialDate>().unwrap();
    let (d, c) = group_date(&[p("2014"), p("2014-06"), p("2014-06-29"), p("2011-06-29")]).unwrap();
    assert_eq!(d, p("2014-06-29"));
    assert_eq!(c, [p("2011-06-29")]);
    // A tie goes to the date stated nearest its article's date.
    let (d, c) = group_date_near(&[
        (p("2006-01"), Some(p("2021-03-18"))),
        (p("2021-01"), Some(p("2022-01-10"))),
    ])
    .unwrap();
    assert_eq!(d, p("2021-01"));
    assert_eq!(c, [p("2006-01")]);
    assert_eq!(
        relate(Some(p("2014")), Some(p("2014-06"))),
        DateRelation::Compatible
    );
    assert_eq!(
        relate(Some(p("2014-05")), Some(p("2014-06"))),
        DateRelation::Conflict
    );
}

fn story_docs() -> Vec<Document> {
    vec![
        doc("nl", "2019-10-27", "Abu Bakr al-Baghdadi is gedood bij een Amerikaanse actie in Idlib. De IS-leider blies zichzelf op.", &[], &[("Abu Bakr al-Baghdadi", "ent:5"), ("Idlib", "ent:7")]),
        doc("en", "2019-10-28", "Islamic State leader Abu Bakr al-Baghdadi died in a US raid in Idlib, Trump said.", &[], &[("Abu Bakr al-Baghdadi", "ent:5"), ("Idlib", "ent:7"), ("Trump", "ent:8")]),
        doc("nl", "2021-03-18", "De VVD is de grootste partij geworden bij de Tweede Kamerverkiezingen. Rutte wil een vierde kabinet.", &[], &[("VVD", "ent:10"), ("Rutte", "ent:11")]),
        doc("nl", "2021-03-19", "Na de Tweede Kamerverkiezingen begint Rutte aan de formatie van een vierde kabinet; de VVD zoekt partners.", &[], &[("VVD", "ent:10"), ("Rutte", "ent:11")]),
    ]
}

#[test]
fn stories_group_articles_across_languages_with_stable_ids() {
    let docs = story_docs();
    let sd: Vec<StoryDoc> = docs.iter().map(StoryDoc::of).collect();
    let stories = cluster_stories(&[], &sd, &StoryOptions::default());
    assert_eq!(stories.len(), 2, "{stories:#?}");
    let baghdadi = stories
        .iter()
        .find(|s| s.docs.contains(&docs[0].id))
        .unwrap();
    assert!(
        baghdadi.docs.contains(&docs[1].id),
        "nl and en meet: {stories:#?}"
    );
    assert_eq!(baghdadi.id, story_id(&docs[0].id));
    assert_eq!(baghdadi.first, Some("2019-10-27".parse().unwrap()));
    assert_eq!(baghdadi.last, Some("2019-10-28".parse().unwrap()));

    // Adding an article (even an earlier one) keeps every id and assignment.
    let mut more = docs.clone();
    more.push(doc(
        "en",
        "2019-10-26",
        "Reports say a US raid in Idlib targeted Abu Bakr al-Baghdadi.",
        &[],
        &[("Abu Bakr al-Baghdadi", "ent:5"), ("Idlib", "ent:7")],
    ));
    let sd2: Vec<StoryDoc> = more.iter().map(StoryDoc::of).collect();
    let again = cluster_stories(&stories, &sd2, &StoryOptions::default());
    for s in &stories {
        let t = again.iter().find(|t| t.id == s.id).expect("story kept");
        assert!(s.docs.iter().all(|d| t.docs.contains(d)));
    }
    let b2 = again.iter().find(|t| t.id == baghdadi.id).unwrap();
    assert!(b2.docs.contains(&more[4].id), "{again:#?}");
    assert_eq!(b2.first, Some("2019-10-26".parse().unwrap()));

    // Articles that left the corpus leave their story.
    let fewer: Vec<StoryDoc> = sd.into_iter().skip(2).collect();
    let rest = cluster_stories(&stories, &fewer, &StoryOptions::default());
    assert_eq!(rest.len(), 1);
    let _: &Story = &rest[0];
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    assert!(build_timeline(&[], &MergeOptions::default()).is_empty());
    let mut d = Document::new("x", None, String::new(), Dct::none());
    d.timexes.push(Timex {
        start: 0,
        end: 0,
        text: String::new(),
        kind: TimexType::Date,
        value: "XXXX".into(),
        modifier: None,
    });
    d.sentences.push(Sentence { start: 0, end: 0 });
    d.events.push(Event {
        start: 0,
        end: 0,
        text: String::new(),
        kind: "x".into(),
        sentence: 9,
        date: Some("2014".into()),
        certainty: Certainty::Certain,
        participants: vec![],
        place: None,
    });
    assert!(build_timeline(&[d.clone()], &MergeOptions::default()).is_empty());
    assert_eq!(
        cluster_stories(&[], &[StoryDoc::of(&d)], &StoryOptions::default()).len(),
        1
    );
}

/// A unit vector pointing mostly along axis `k` (4 dimensions).
fn axis(k: usize, noise: f32) -> Vec<f32> {
    let mut v = vec![noise; 4];
    v[k] = 1.0;
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

#[test]
fn embeddings_join_languages_without_shared_names() {
    // A Dutch and an English article on one subject sharing no name or
    // word, and an unrelated English article of the same day.
    let docs = [
        doc(
            "nl",
            "2008-03-01",
            "Het contract voor de tankvliegtuigen gaat naar de Europese concurrent.",
            &[],
            &[],
        ),
        doc(
            "en",
            "2008-03-01",
            "The aerial refuelling deal went to the European rival.",
            &[],
            &[],
        ),
        doc(
            "en",
            "2008-03-01",
            "Shares fell sharply on Wall Street on Friday.",
            &[],
            &[],
        ),
    ];
    let plain: Vec<StoryDoc> = docs.iter().map(StoryDoc::of).collect();
    let opts = StoryOptions::default();
    // Lexical only: three stories.
    assert_eq!(cluster_stories(&[], &plain, &opts).len(), 3);
    let embedded: Vec<StoryDoc> = plain
        .iter()
        .cloned()
        .zip([axis(0, 0.1), axis(0, 0.15), axis(1, 0.1)])
        .map(|(d, e)| d.with_embedding(Some(e)))
        .collect();
    let stories = cluster_stories(&[], &embedded, &opts);
    assert_eq!(stories.len(), 2, "{stories:#?}");
    let tanker = stories
        .iter()
        .find(|s| s.docs.contains(&docs[0].id))
        .unwrap();
    assert!(tanker.docs.contains(&docs[1].id), "{stories:#?}");
    // Within one language the embedding is not used by default...
    let mut en: Vec<StoryDoc> = embedded.clone();
    en[0].lang = "en".into();
    assert_eq!(cluster_stories(&[], &en, &opts).len(), 3);
    // ...unless asked for.
    let same = StoryOptions {
        embedding_threshold: 0.9,
        ..StoryOptions::default()
    };
    assert_eq!(cluster_stories(&[], &en, &same).len(), 2);
    // Far apart in time, the same vectors do not join.
    let mut late = embedded.clone();
    late[1].dct = Some("2012-03-01".parse().unwrap());
    assert_eq!(cluster_stories(&[], &late, &opts).len(), 3);
    // An article with an embedding of another size is compared lexically.
    let mut odd = embedded;
    odd[1].embedding = Some(vec![1.0; 7]);
    assert_eq!(cluster_stories(&[], &odd, &opts).len(), 3);
}

#[test]
fn story_text_is_title_and_lead() {
    let mut d = doc(
        "nl",
        "2019-10-27",
        "Eerste  zin over Idlib. Tweede zin. Derde zin die niet meedoet.",
        &[],
        &[],
    );
    d.title = Some("Titel".into());
    assert_eq!(story_text(&d), "Titel. Eerste zin over Idlib. Tweede zin.");
    // A first sentence that repeats the title is skipped.
    d.title = Some("Eerste zin over Idlib.".into());
    assert_eq!(
        story_text(&d),
        "Eerste zin over Idlib. Tweede zin. Derde zin die niet meedoet."
    );
    d.title = None;
    assert_eq!(story_text(&d), "Eerste zin over Idlib. Tweede zin.");
    let empty = Document::new("x", None, String::new(), Dct::none());
    assert_eq!(story_text(&empty), "");
}

#[test]
fn tfidf_vectors_are_unit_length_and_compare_by_shared_features() {
    let sd = |id: &str, terms: &[(&str, f32)]| StoryDoc {
        id: id.into(),
        title: None,
        dct: None,
        lang: "nl".into(),
        terms: terms.iter().map(|(t, w)| (t.to_string(), *w)).collect(),
        embedding: None,
    };
    let a = sd("a", &[("w:kalifaat", 2.0), ("e:is", 1.0)]);
    let b = sd("b", &[("w:kalifaat", 1.0), ("w:raqqa", 1.0)]);
    let c = sd("c", &[("w:voetbal", 3.0)]);
    let v = tfidf_vectors(&[&a, &b, &c], 2.0);
    assert!((sparse_dot(&v[0], &v[0]) - 1.0).abs() < 1e-9);
    assert!(sparse_dot(&v[0], &v[1]) > 0.1);
    assert_eq!(sparse_dot(&v[0], &v[2]), 0.0);
    // Entity features weigh more with a larger entity weight.
    let plain = tfidf_vectors(&[&a, &b, &c], 1.0);
    assert!(sparse_dot(&v[0], &v[1]) < sparse_dot(&plain[0], &plain[1]));
}
