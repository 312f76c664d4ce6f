//! The events stage on the examples of issue 5, after the real text, time
//! and entity stages.

use kroniek_model::{Certainty, Dct, Document, Event};
use proptest::prelude::*;

fn run(text: &str, lang: &str, dct: Option<&str>) -> Document {
    let dct = dct
        .map(|d| Dct::given(d.parse().unwrap(), "test"))
        .unwrap_or_default();
    let mut doc = Document::new("t.txt", None, text.to_string(), dct);
    doc.lang = lang.into();
    kroniek_text::annotate(&mut doc);
    kroniek_time::annotate(&mut doc);
    kroniek_entities::annotate(&mut doc);
    kroniek_events::annotate(&mut doc);
    doc.check_spans().unwrap();
    doc
}

fn event<'a>(doc: &'a Document, kind: &str) -> &'a Event {
    doc.events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} event in {:#?}", doc.events))
}

fn entity_text<'a>(doc: &'a Document, id: &str) -> Vec<&'a str> {
    doc.entities
        .iter()
        .filter(|m| m.entity.as_deref() == Some(id))
        .map(|m| m.text.as_str())
        .collect()
}

#[test]
fn dutch_separable_declaration_dated_by_its_clause() {
    let doc = run(
        "In 2014 riep IS een kalifaat uit in Syrië en Irak. De groep verloor in 2019 haar laatste gebied.",
        "nl",
        Some("2024-07-01"),
    );
    let e = event(&doc, "declaration");
    assert_eq!(e.text, "riep");
    assert_eq!(e.date.as_deref(), Some("2014"));
    assert_eq!(e.certainty, Certainty::Certain);
    assert_eq!(e.sentence, 0);
    let loss = event(&doc, "loss");
    assert_eq!(loss.text, "verloor");
    assert_eq!(loss.date.as_deref(), Some("2019"));
    assert_eq!(loss.sentence, 1);
}

#[test]
fn english_events_participants_and_place() {
    let doc = run(
        "Islamic State declared a caliphate in June 2014. On Saturday, Kurdish forces captured the town of Baghuz in Syria.",
        "en",
        Some("2019-03-23"),
    );
    let d = event(&doc, "declaration");
    assert_eq!(d.date.as_deref(), Some("2014-06"));
    let c = event(&doc, "capture");
    assert_eq!(c.text, "captured");
    assert_eq!(c.date.as_deref(), Some("2019-03-23"));
    assert_eq!(c.place.as_deref(), Some("Syria"), "{c:?}");
}

#[test]
fn undated_news_gets_the_dct_and_future_gets_none() {
    let doc = run(
        "De politie heeft twee verdachten gearresteerd. De regering zal de verkiezingen uitstellen.",
        "nl",
        Some("2021-03-04"),
    );
    let a = event(&doc, "arrest");
    assert_eq!(a.date.as_deref(), Some("2021-03-04"));
    assert_eq!(a.certainty, Certainty::Certain);
    let el = event(&doc, "election");
    assert_eq!(el.certainty, Certainty::Future);
    assert_eq!(el.date, None);
    let doc = run("The army arrested two men.", "en", None);
    assert_eq!(event(&doc, "arrest").date, None);
}

#[test]
fn hedged_and_negated_events() {
    let doc = run(
        "Bij de aanval zouden naar verluidt tien mensen zijn gedood. Er vielen geen gewonden.",
        "nl",
        Some("2020-01-01"),
    );
    assert_eq!(event(&doc, "death").certainty, Certainty::Probable);
    assert_eq!(event(&doc, "injury").certainty, Certainty::Negated);
    let doc = run(
        "The group reportedly attacked a checkpoint. The ministry denied that anyone was killed. The rebels will attack again.",
        "en",
        Some("2020-01-01"),
    );
    assert_eq!(doc.events[0].kind, "attack");
    assert_eq!(doc.events[0].certainty, Certainty::Probable);
    assert_eq!(event(&doc, "death").certainty, Certainty::Negated);
    let last = doc
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "attack")
        .unwrap();
    assert_eq!(last.certainty, Certainty::Future);
    let doc = run(
        "Het bericht over de aanslag is niet geverifieerd. IS dreigt met nieuwe aanslagen.",
        "nl",
        None,
    );
    // "niet geverifieerd" is a hedge, not a denial
    assert_eq!(doc.events[0].certainty, Certainty::Possible);
    assert_eq!(
        doc.events
            .iter()
            .rev()
            .find(|e| e.kind == "attack")
            .unwrap()
            .certainty,
        Certainty::Future
    );
}

#[test]
fn dutch_claim_with_period_and_source() {
    let doc = run(
        "Er waren 153 aanslagen in de eerste helft van 2024, meldt Centcom.",
        "nl",
        Some("2024-07-18"),
    );
    let c = &doc.claims[0];
    assert_eq!(c.quantity, "153");
    assert_eq!(c.value, Some(153.0));
    assert_eq!(c.counts.as_deref(), Some("aanslagen"));
    assert_eq!(c.date.as_deref(), Some("2024-H1"), "{:?}", doc.timexes);
    assert_eq!(c.source.as_deref(), Some("Centcom"));
    let id = c.source_entity.as_deref().expect("Centcom is an entity");
    assert_eq!(entity_text(&doc, id), ["Centcom"]);
    assert!(c.text.contains("153 aanslagen"), "{}", c.text);
}

#[test]
fn claims_with_words_vague_amounts_fractions_and_comparisons() {
    let doc = run(
        "Volgens de VN zijn duizenden mensen gevlucht. Meer dan 80 strijders kwamen om het leven. \
         De aanslag kostte 25 miljoen dollar, aldus de woordvoerder. De helft van de inwoners is vertrokken. \
         Het aantal aanslagen is sinds vorig jaar verdubbeld tot drieduizend.",
        "nl",
        Some("2024-07-18"),
    );
    let find = |q: &str| {
        doc.claims
            .iter()
            .find(|c| c.quantity == q)
            .unwrap_or_else(|| panic!("no claim {q:?} in {:#?}", doc.claims))
    };
    let c = find("duizenden");
    assert_eq!(c.counts.as_deref(), Some("mensen"));
    assert_eq!(c.source.as_deref(), Some("VN"));
    let c = find("Meer dan 80");
    assert_eq!(c.value, Some(80.0));
    assert_eq!(c.counts.as_deref(), Some("strijders"));
    assert_eq!(c.source, None);
    let c = find("25 miljoen");
    assert_eq!(c.value, Some(25e6));
    assert_eq!(c.counts.as_deref(), Some("dollar"));
    assert_eq!(c.source.as_deref(), Some("de woordvoerder"));
    assert_eq!(c.source_entity, None);
    let c = find("De helft");
    assert_eq!(c.value, Some(0.5));
    assert_eq!(c.counts.as_deref(), Some("inwoners"));
    let c = find("tot drieduizend");
    assert_eq!(c.value, Some(3000.0));
    assert!(c.text.contains("verdubbeld"), "{}", c.text);
}

#[test]
fn english_claim_according_to() {
    let doc = run(
        "More than 200 people were killed in 2023, according to the United Nations.",
        "en",
        Some("2024-01-10"),
    );
    let c = &doc.claims[0];
    assert_eq!(c.quantity, "More than 200");
    assert_eq!(c.counts.as_deref(), Some("people"));
    assert_eq!(c.date.as_deref(), Some("2023"));
    assert_eq!(c.source.as_deref(), Some("United Nations"));
    assert!(c.source_entity.is_some());
}

#[test]
fn quotes_in_every_style_with_speakers() {
    let doc = run(
        "Mark Rutte sprak over de aanslag. “Dit is een zwarte dag voor ons land,” zei Rutte. \
         Volgens Sigrid Kaag: „We moeten nu samen verder gaan.” \
         ‘We hebben alles gedaan wat we konden’, aldus Kaag. \
         Hugo de Jonge zei: \"Niemand had dit kunnen voorzien.\" \
         «Het is een trieste dag voor iedereen», zei De Jonge.",
        "nl",
        Some("2020-01-01"),
    );
    let speakers: Vec<(&str, Option<&str>)> = doc
        .quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_deref()))
        .collect();
    assert_eq!(
        speakers,
        [
            ("Dit is een zwarte dag voor ons land,", Some("Rutte")),
            ("We moeten nu samen verder gaan.", Some("Sigrid Kaag")),
            ("We hebben alles gedaan wat we konden", Some("Kaag")),
            ("Niemand had dit kunnen voorzien.", Some("Hugo de Jonge")),
            ("Het is een trieste dag voor iedereen", Some("De Jonge")),
        ]
    );
    // "Rutte" and "Mark Rutte" are the same entity.
    let rutte = doc.quotes[0].speaker_entity.as_deref().unwrap();
    assert!(entity_text(&doc, rutte).contains(&"Mark Rutte"));
}

#[test]
fn a_continued_quote_keeps_its_speaker() {
    let doc = run(
        "\"Hij stierf als een hond, hij stierf als een lafaard\", zei Trump. \"De wereld is nu een veel veiligere plek.\"\n\n\"Dit zegt niemand hier.\"",
        "nl",
        Some("2019-10-27"),
    );
    let speakers: Vec<Option<&str>> = doc.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Trump"), Some("Trump"), None]);
}

#[test]
fn english_quotes_and_pronoun_speakers() {
    let doc = run(
        "Joe Biden visited Kyiv on Monday. \"We stand with Ukraine today,\" he said. \
         Later, Biden met Emmanuel Macron. 'This is a turning point for us,' he said.",
        "en",
        Some("2023-02-20"),
    );
    assert_eq!(doc.quotes.len(), 2, "{:#?}", doc.quotes);
    assert_eq!(doc.quotes[0].speaker.as_deref(), Some("Joe Biden"));
    assert!(doc.quotes[0].speaker_entity.is_some());
    // Two men mentioned: "he" cannot be resolved; no guess.
    assert_eq!(doc.quotes[1].text, "This is a turning point for us,");
    assert_eq!(doc.quotes[1].speaker, None);
    assert_eq!(doc.quotes[1].speaker_entity, None);
}

#[test]
fn speaker_description_with_a_name_in_apposition() {
    let doc = run(
        "The SDF said its forces had taken the city. \"Everything is finished in Raqqa, our forces have taken full control,\" said the spokesman, Talal Silo.",
        "en",
        Some("2017-10-17"),
    );
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].speaker.as_deref(), Some("Talal Silo"));
    assert!(doc.quotes[0].speaker_entity.is_some());
}

#[test]
fn role_speaker_resolved_through_an_apposition() {
    let doc = run(
        "Abu Bakr al-Baghdadi, de zelfbenoemde 'kalief' van IS, sprak in Mosul. \
         “Wij zullen nooit opgeven, wat er ook gebeurt,” aldus de 'kalief'. \
         “De troepen trekken zich niet terug,” zegt een Amerikaanse defensiefunctionaris.",
        "nl",
        Some("2014-07-05"),
    );
    assert_eq!(doc.quotes.len(), 2, "{:#?}", doc.quotes);
    let q = &doc.quotes[0];
    assert_eq!(q.speaker.as_deref(), Some("de 'kalief'"));
    let id = q.speaker_entity.as_deref().expect("kalief resolves");
    assert!(entity_text(&doc, id).contains(&"Abu Bakr al-Baghdadi"));
    let q = &doc.quotes[1];
    assert_eq!(
        q.speaker.as_deref(),
        Some("een Amerikaanse defensiefunctionaris")
    );
    assert_eq!(q.speaker_entity, None);
    // scare quotes are no quotes
    assert!(doc.quotes.iter().all(|q| q.text != "kalief"));
}

#[test]
fn tokenised_ptb_quotes() {
    let doc = run(
        "Barack Obama spoke on Saturday . `` We will not stand idly by , '' Obama said .",
        "en",
        Some("2011-03-19"),
    );
    assert_eq!(doc.quotes.len(), 1, "{:#?}", doc.quotes);
    assert_eq!(doc.quotes[0].text, "We will not stand idly by ,");
    assert_eq!(doc.quotes[0].speaker.as_deref(), Some("Obama"));
}

#[test]
fn names_inside_quotes_are_no_antecedents() {
    let doc = run(
        "Refugees left the city on Friday . `` Gaddafi forces are preventing people from leaving , '' she said .",
        "en",
        Some("2011-06-03"),
    );
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].speaker, None, "{:?}", doc.entities);
    let doc = run(
        "A protester dismissed Mubarak 's promises of reform . `` We do not want him or the government , '' he said .",
        "en",
        Some("2011-02-02"),
    );
    assert_eq!(doc.quotes[0].speaker, None, "{:?}", doc.entities);
    let doc = run(
        "\"We deployed troops at the border to Libya,\" Khalid Musa, spokesman for the Sudanese foreign ministry, said.",
        "en",
        Some("2011-06-03"),
    );
    assert_eq!(doc.quotes[0].speaker.as_deref(), Some("Khalid Musa"));
}

#[test]
fn the_hearer_and_the_next_sentence_are_no_speakers() {
    let doc = run(
        "\"I doubt that it will be days,\" Admiral Edouard Guillaud, the head of French armed forces, told France Info radio.",
        "en",
        Some("2011-03-22"),
    );
    assert_eq!(
        doc.quotes[0].speaker.as_deref(),
        Some("Edouard Guillaud"),
        "{:?}",
        doc.entities
    );
    let doc = run(
        "\"Their morale is very high,\" said Salam Awad. \"They are prepared to fight to the death.\" NTC chairman Mustafa Abdel Jalil said his men had reached the centre.",
        "en",
        Some("2011-10-01"),
    );
    let speakers: Vec<Option<&str>> = doc.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Salam Awad"), Some("Salam Awad")]);
}

#[test]
fn organisations_places_and_objects_are_no_speakers() {
    let doc = run(
        "\"Now it is time to get better information,\" said Coast Guard Adm. Thad W. Allen, who leads the response.          Syrian activist Ammar Qurabi told Reuters in Cairo: \"There have been at least two killed today in Latakia.\"          The revolution is something \"all Egyptians are very proud of,\" the diplomat said Egypt and Israel signed a treaty.",
        "en",
        Some("2011-04-10"),
    );
    let speakers: Vec<Option<&str>> = doc.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    assert_eq!(
        speakers,
        [
            Some("Thad W. Allen"),
            Some("Ammar Qurabi"),
            Some("the diplomat")
        ],
        "{:?}",
        doc.entities
    );
}

#[test]
fn dutch_speakers_with_appositions_and_reported_quotes() {
    let doc = run(
        "Ron Sugar, CEO van Northrop Grumman, zei: “Iedereen zei dat we gek waren en geen kans maakten.” \
         Topman Louis Gallois van EADS zei dat “deze selectie positief is voor onze klanten”. \
         Een onderhandelaar van de United Auto Workers zei: “Ik denk niet dat de bond iets zal doen.”",
        "nl",
        Some("2008-03-01"),
    );
    let speakers: Vec<Option<&str>> = doc.quotes.iter().map(|q| q.speaker.as_deref()).collect();
    assert_eq!(doc.quotes[2].speaker_entity, None);
    assert_eq!(
        speakers,
        [
            Some("Ron Sugar"),
            Some("Louis Gallois"),
            Some("Een onderhandelaar van de United Auto Workers")
        ],
        "{:?}",
        doc.entities
    );
}

#[test]
fn unresolvable_speaker_is_none() {
    let doc = run(
        "“Er is niets meer over van de stad,” zei hij tegen verslaggevers.",
        "nl",
        None,
    );
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].speaker, None);
    let doc = run("“Dit was geen ongeluk, dit was opzet.”", "nl", None);
    assert_eq!(doc.quotes[0].speaker, None);
    // a quote after an unattributed one does not inherit a guess either
    let doc = run(
        "“Dit was geen ongeluk, dit was opzet.” “Wij zoeken de daders nog steeds.”",
        "nl",
        None,
    );
    assert!(
        doc.quotes.iter().all(|q| q.speaker.is_none()),
        "{:?}",
        doc.quotes
    );
}

#[test]
fn other_languages_get_quotes_without_speakers() {
    let doc = run(
        "Der Minister sagte: „Wir werden das schaffen.“ Die Regierung schweigt.",
        "de",
        None,
    );
    assert!(doc.events.is_empty() && doc.claims.is_empty());
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.quotes[0].speaker, None);
}

#[test]
fn remap_entities_follows_linking() {
    let mut doc = run(
        "Centcom meldt dat er 153 aanslagen waren. Centcom zei dat IS in Syrië aanvallen pleegt.",
        "nl",
        Some("2024-07-18"),
    );
    let before: Vec<Option<String>> = doc.entities.iter().map(|m| m.entity.clone()).collect();
    let mut linker = kroniek_entities::Linker::new();
    linker.add(&mut doc);
    kroniek_events::remap_entities(&mut doc, &before);
    let ids: Vec<&String> = doc
        .entities
        .iter()
        .filter_map(|m| m.entity.as_ref())
        .collect();
    for e in &doc.events {
        for p in &e.participants {
            assert!(ids.contains(&p), "{p} not a linked id");
        }
    }
    assert!(doc.claims[0]
        .source_entity
        .as_ref()
        .is_some_and(|s| ids.contains(&s)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_and_spans_stay_valid(
        text in "[a-zA-Zëé0-9 ,.:;'\"“”„‘’‚«»()\\n-]{0,160}",
        lang in prop::sample::select(vec!["nl", "en", "de"]),
    ) {
        let mut doc = Document::new("p", None, text, Dct::given("2020-01-01".parse().unwrap(), "p"));
        doc.lang = lang.into();
        kroniek_text::annotate(&mut doc);
        kroniek_time::annotate(&mut doc);
        kroniek_entities::annotate(&mut doc);
        kroniek_events::annotate(&mut doc);
        prop_assert!(doc.check_spans().is_ok(), "{:?}", doc.check_spans());
    }

    #[test]
    fn never_panics_on_made_up_layers(
        text in "[a-z0-9 “”'\\.]{0,60}",
        cuts in prop::collection::vec((0usize..80, 0usize..80), 0..6),
    ) {
        // sentences, timexes and entities that do not fit the text must not panic
        let mut doc = Document::new("p", None, text, Dct::none());
        doc.lang = "nl".into();
        for &(a, b) in &cuts {
            doc.sentences.push(kroniek_model::Sentence { start: a, end: b });
        }
        kroniek_events::annotate(&mut doc);
        let _ = doc.check_spans();
    }
}
