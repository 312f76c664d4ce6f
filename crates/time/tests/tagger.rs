//! Behaviour of the time stage on Dutch and English examples.

use kroniek_model::{Dct, DctOrigin, Document, PartialDate, TimexType};
use kroniek_time::{annotate, infer_dct, tag};

fn d(s: &str) -> Option<PartialDate> {
    Some(s.parse().unwrap())
}

/// (text, type, value) of every timex.
fn tx(text: &str, lang: &str, dct: &str) -> Vec<(String, TimexType, String)> {
    let dct = if dct.is_empty() { None } else { d(dct) };
    tag(text, lang, dct)
        .into_iter()
        .map(|t| (t.text, t.kind, t.value))
        .collect()
}

/// (text, value) of every timex.
fn spans(text: &str, lang: &str, dct: &str) -> Vec<(String, String)> {
    tx(text, lang, dct)
        .into_iter()
        .map(|t| (t.0, t.2))
        .collect()
}

/// One expected (text, value) pair.
fn p(text: &str, value: &str) -> (String, String) {
    (text.to_string(), value.to_string())
}

fn value_of(text: &str, lang: &str, dct: &str, span: &str) -> String {
    tx(text, lang, dct)
        .into_iter()
        .find(|t| t.0 == span)
        .unwrap_or_else(|| panic!("{span:?} not tagged in {text:?}: {:?}", tx(text, lang, dct)))
        .2
}

#[test]
fn data_files_are_clean() {
    assert!(
        kroniek_time::grammar::check("nl").is_empty(),
        "{:?}",
        kroniek_time::grammar::check("nl")
    );
    assert!(
        kroniek_time::grammar::check("en").is_empty(),
        "{:?}",
        kroniek_time::grammar::check("en")
    );
}

#[test]
fn dutch_weekdays_follow_the_tense() {
    // 2018-08-23 is a Thursday.
    assert_eq!(
        value_of(
            "Hij zei woensdag dat het klaar was.",
            "nl",
            "2018-08-23",
            "woensdag"
        ),
        "2018-08-22"
    );
    assert_eq!(
        value_of(
            "De minister zal woensdag spreken.",
            "nl",
            "2018-08-23",
            "woensdag"
        ),
        "2018-08-29"
    );
    // The DCT itself is a Wednesday: a past-tense Wednesday is that day.
    assert_eq!(
        value_of(
            "Boeing kondigde woensdag aan",
            "nl",
            "2009-04-01",
            "woensdag"
        ),
        "2009-04-01"
    );
    assert_eq!(
        value_of(
            "Afgelopen zondag vertrok hij.",
            "nl",
            "2009-04-03",
            "Afgelopen zondag"
        ),
        "2009-03-29"
    );
}

#[test]
fn dutch_deictic_expressions() {
    let dct = "2018-08-22";
    assert_eq!(
        value_of("Vorig jaar groeide de economie.", "nl", dct, "Vorig jaar"),
        "2017"
    );
    assert_eq!(
        value_of(
            "Het afgelopen jaar was zwaar.",
            "nl",
            dct,
            "Het afgelopen jaar"
        ),
        "2017"
    );
    assert_eq!(
        value_of(
            "Volgend jaar komt er een nieuwe.",
            "nl",
            dct,
            "Volgend jaar"
        ),
        "2019"
    );
    assert_eq!(
        value_of("Deze week is het druk.", "nl", dct, "Deze week"),
        "2018-W34"
    );
    assert_eq!(
        value_of(
            "Dat gebeurde tien jaar geleden.",
            "nl",
            dct,
            "tien jaar geleden"
        ),
        "2008"
    );
    assert_eq!(
        value_of("Vorige maand daalde de koers.", "nl", dct, "Vorige maand"),
        "2018-07"
    );
    assert_eq!(
        value_of("Het is nu rustig.", "nl", dct, "nu"),
        "PRESENT_REF"
    );
    assert_eq!(
        value_of("januari vorig jaar", "nl", dct, "januari vorig jaar"),
        "2017-01"
    );
    assert_eq!(
        value_of("jaren geleden", "nl", dct, "jaren geleden"),
        "PAST_REF"
    );
}

#[test]
fn dutch_parts_months_and_modifiers() {
    let dct = "2018-08-22";
    assert_eq!(
        value_of(
            "in de eerste helft van 2024",
            "nl",
            dct,
            "de eerste helft van 2024"
        ),
        "2024-H1"
    );
    assert_eq!(
        value_of(
            "in de eerste zes maanden van dit jaar",
            "nl",
            dct,
            "de eerste zes maanden van dit jaar"
        ),
        "2018-H1"
    );
    assert_eq!(
        value_of(
            "het eerste kwartaal van vorig jaar",
            "nl",
            dct,
            "het eerste kwartaal van vorig jaar"
        ),
        "2017-Q1"
    );
    let t = tag("Het bedrijf stopte begin maart.", "nl", d(dct));
    assert_eq!(
        (t[0].text.as_str(), t[0].value.as_str()),
        ("begin maart", "2018-03")
    );
    assert_eq!(t[0].modifier.as_deref(), Some("START"));
    let t = tag("eind 2012 en half maart", "nl", d(dct));
    assert_eq!(t[0].modifier.as_deref(), Some("END"));
    assert_eq!(
        (t[1].text.as_str(), t[1].modifier.as_deref()),
        ("half maart", Some("MID"))
    );
    // "sinds april" is a past April; "in maart" the March that fits tense and DCT.
    assert_eq!(
        value_of("Sinds april daalt de koers.", "nl", "2018-02-10", "april"),
        "2017-04"
    );
    assert_eq!(
        value_of("Sinds april daalt de koers.", "nl", dct, "april"),
        "2018-04"
    );
    assert_eq!(
        value_of(
            "Het bedrijf ging in maart failliet.",
            "nl",
            "2018-02-10",
            "maart"
        ),
        "2017-03"
    );
    assert_eq!(
        value_of(
            "Het bedrijf gaat in maart open.",
            "nl",
            "2018-02-10",
            "maart"
        ),
        "2018-03"
    );
    assert_eq!(
        value_of(
            "Het was in december uitgeput.",
            "nl",
            "2009-02-03",
            "december"
        ),
        "2008-12"
    );
    assert_eq!(
        value_of(
            "Hij trekt zich op 15 januari terug.",
            "nl",
            "2013-12-10",
            "15 januari"
        ),
        "2014-01-15"
    );
}

#[test]
fn dutch_formats_seasons_decades_times() {
    let dct = "2018-08-22";
    assert_eq!(value_of("01-Mar-08", "nl", dct, "01-Mar-08"), "2008-03-01");
    assert_eq!(
        value_of("op 12 juni 2014", "nl", dct, "12 juni 2014"),
        "2014-06-12"
    );
    assert_eq!(
        value_of("op 12-06-2014", "nl", dct, "12-06-2014"),
        "2014-06-12"
    );
    assert_eq!(
        value_of("Vandaag, 14:14", "nl", dct, "Vandaag, 14:14"),
        "2018-08-22T14:14"
    );
    assert_eq!(
        value_of("om 12.00 uur UTC", "nl", dct, "12.00 uur UTC"),
        "2018-08-22T12:00"
    );
    assert_eq!(value_of("deze zomer", "nl", dct, "deze zomer"), "2018-SU");
    assert_eq!(
        value_of("in de jaren negentig", "nl", dct, "de jaren negentig"),
        "199"
    );
    assert_eq!(
        value_of("in de jaren '80", "nl", dct, "de jaren '80"),
        "198"
    );
}

#[test]
fn dutch_durations_and_sets() {
    let dct = "2018-08-22";
    let t = tx(
        "Na 55 minuten, bijna een jaar, een half jaar en vijf of zes jaar; jaren; twintig dagen.",
        "nl",
        dct,
    );
    let vals: Vec<(&str, &str)> = t.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert!(vals.contains(&("55 minuten", "PT55M")), "{vals:?}");
    assert!(vals.contains(&("bijna een jaar", "P1Y")), "{vals:?}");
    assert!(vals.contains(&("een half jaar", "P6M")), "{vals:?}");
    assert!(vals.contains(&("vijf of zes jaar", "PXY")), "{vals:?}");
    assert!(vals.contains(&("jaren", "PXY")), "{vals:?}");
    assert!(vals.contains(&("twintig dagen", "P20D")), "{vals:?}");
    assert!(t.iter().all(|t| t.1 == TimexType::Duration));
    let t = tag("15 tankers per jaar, tweeëntwintig dagen", "nl", d(dct));
    assert_eq!(
        (t[0].text.as_str(), t[0].kind, t[0].value.as_str()),
        ("per jaar", TimexType::Set, "P1Y")
    );
    assert_eq!(t[1].value, "P22D");
}

#[test]
fn month_precision_dct_never_invents_days() {
    let dct = "2018-08";
    assert_eq!(
        value_of("Hij zei woensdag dat het klaar was.", "nl", dct, "woensdag"),
        "2018-08"
    );
    assert_eq!(
        value_of("Gisteren regende het.", "nl", dct, "Gisteren"),
        "2018-08"
    );
    assert_eq!(
        value_of("Vorige maand daalde de koers.", "nl", dct, "Vorige maand"),
        "2018-07"
    );
    assert_eq!(
        value_of("Vorig jaar groeide het.", "nl", "2018", "Vorig jaar"),
        "2017"
    );
    assert_eq!(
        value_of("Gisteren regende het.", "nl", "2018", "Gisteren"),
        "2018"
    );
}

#[test]
fn english_core() {
    let dct = "1998-01-08"; // a Thursday
    assert_eq!(
        value_of("Sales fell last year.", "en", dct, "last year"),
        "1997"
    );
    assert_eq!(
        value_of("He said on Monday that", "en", dct, "Monday"),
        "1998-01-05"
    );
    assert_eq!(
        value_of("It happened two years ago.", "en", dct, "two years ago"),
        "1996"
    );
    assert_eq!(
        value_of("in the third quarter", "en", dct, "the third quarter"),
        "1998-Q3"
    );
    assert_eq!(
        value_of("at 10 a.m. EST", "en", dct, "10 a.m. EST"),
        "1998-01-08T10:00"
    );
    assert_eq!(
        value_of("on Jan. 14, 2000", "en", dct, "Jan. 14, 2000"),
        "2000-01-14"
    );
    assert_eq!(value_of("in the 1990s", "en", dct, "the 1990s"), "199");
    assert_eq!(value_of("for three years", "en", dct, "three years"), "P3Y");
    assert_eq!(value_of("yesterday", "en", dct, "yesterday"), "1998-01-07");
    assert!(tx("a 6-year-old boy", "en", dct).is_empty());
}

#[test]
fn offsets_are_code_points() {
    let text = "Syrië — sinds 2014.";
    let t = tag(text, "nl", None);
    assert_eq!(t.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[t[0].start..t[0].end].iter().collect::<String>(),
        "2014"
    );
    assert_eq!(t[0].text, "2014");
}

#[test]
fn no_dct_gives_x_values() {
    let t = tag("vorig jaar en gisteren", "nl", None);
    assert_eq!(t[0].value, "XXXX");
    assert_eq!(t[1].value, "XXXX-XX-XX");
}

#[test]
fn undated_article_gets_an_inferred_dct() {
    let text = "Het bedrijf maakte op 12 juni 2014 bekend dat het verlies vorig jaar groter was. \
                Woensdag zei de directeur dat er in 2016 een nieuwe fabriek komt.";
    let dct = infer_dct(text, "nl").expect("evidence enough");
    assert_eq!(dct.origin, DctOrigin::Inferred);
    assert_eq!(dct.value.unwrap().year_value(), 2014);
    assert!(!dct.evidence.is_empty());
    let (lo, hi) = dct.range.unwrap();
    assert!(lo <= hi);

    let mut doc = Document::new("x", None, text.to_string(), Dct::none());
    doc.lang = "nl".into();
    annotate(&mut doc);
    assert_eq!(doc.dct.origin, DctOrigin::Inferred);
    let vorig = doc.timexes.iter().find(|t| t.text == "vorig jaar").unwrap();
    assert_eq!(vorig.value, "2013");
    assert!(doc.check_spans().is_ok());
    // A given DCT is kept.
    let mut doc = Document::new(
        "y",
        None,
        "Vorig jaar.".into(),
        Dct::given("2018-08".parse().unwrap(), "feed"),
    );
    doc.lang = "nl".into();
    annotate(&mut doc);
    assert_eq!(doc.dct.origin, DctOrigin::Given);
    assert_eq!(doc.timexes[0].value, "2017");
}

#[test]
fn nothing_to_go_on_means_no_dct() {
    assert!(infer_dct("Er is niets gebeurd.", "nl").is_none());
    assert!(infer_dct("", "en").is_none());
}

#[test]
fn long_adversarial_inputs_are_fine() {
    for piece in [
        "begin ",
        "een ",
        "de eerste helft van ",
        "12-",
        "vijf, ",
        "'",
        "jaren geleden ",
        "-- ",
        // every day a range end: the range pass must stay linear
        "6-7 april en ",
        "1947-54 ",
        "8am ",
    ] {
        let text = piece.repeat(20_000);
        let t = tag(&text, "nl", d("2018-08-22"));
        let idx_ok = t.iter().all(|x| x.start <= x.end);
        assert!(idx_ok);
    }
}

#[test]
fn a_season_moves_the_narration_to_its_year() {
    // "sinds 2011" must not anchor "29 juni" once "deze zomer" (2014) is said.
    let text = "De VS loven sinds 2011 een beloning uit. Deze zomer veroverde de groep Mosul. Op 29 juni riep IS een kalifaat uit.";
    let tx = kroniek_time::tag(text, "nl", Some("2014-07".parse().unwrap()));
    let v: Vec<(&str, &str)> = tx
        .iter()
        .map(|t| (t.text.as_str(), t.value.as_str()))
        .collect();
    assert!(v.contains(&("29 juni", "2014-06-29")), "{v:?}");
}

#[test]
fn holidays_that_move_with_the_year() {
    // Easter 2024 is on 31 March, Pinksteren on 19 May; Prinsjesdag is the
    // third Tuesday of September (17 September 2024).
    assert_eq!(
        value_of(
            "Met Pasen gaat de winkel dicht.",
            "nl",
            "2024-02-01",
            "Pasen"
        ),
        "2024-03-31"
    );
    assert_eq!(
        value_of(
            "Na Pinksteren was het stil.",
            "nl",
            "2024-07-01",
            "Pinksteren"
        ),
        "2024-05-19"
    );
    assert_eq!(
        value_of(
            "Op Prinsjesdag presenteert het kabinet de begroting.",
            "nl",
            "2024-06-01",
            "Prinsjesdag"
        ),
        "2024-09-17"
    );
    assert_eq!(
        value_of(
            "Tweede Pinksterdag viel op maandag.",
            "nl",
            "2019-07-01",
            "Tweede Pinksterdag"
        ),
        "2019-06-10"
    );
    // Thanksgiving: the fourth Thursday of November; Memorial Day: the last
    // Monday of May; Good Friday: two days before Easter (2000-04-23).
    assert_eq!(
        value_of(
            "The family gathered on Thanksgiving Day.",
            "en",
            "1999-12-02",
            "Thanksgiving Day"
        ),
        "1999-11-25"
    );
    assert_eq!(
        value_of(
            "Parades are planned for Memorial Day.",
            "en",
            "2024-05-01",
            "Memorial Day"
        ),
        "2024-05-27"
    );
    assert_eq!(
        value_of(
            "Markets were closed on Good Friday.",
            "en",
            "2000-05-02",
            "Good Friday"
        ),
        "2000-04-21"
    );
    // Without a DCT the month is all that is known.
    assert_eq!(
        value_of("Met Pasen gaat de winkel dicht.", "nl", "", "Pasen"),
        "XXXX-04"
    );
}

#[test]
fn last_weekday_on_that_weekday_and_months_without_tense() {
    // 1989-11-01 is a Wednesday: "last Wednesday" is a week before, a bare
    // past-tense "Wednesday" may be the day itself.
    assert_eq!(
        value_of(
            "They said last Wednesday that talks continue.",
            "en",
            "1989-11-01",
            "last Wednesday"
        ),
        "1989-10-25"
    );
    assert_eq!(
        value_of(
            "Vorige woensdag zei hij dat het klaar was.",
            "nl",
            "2018-08-22",
            "Vorige woensdag"
        ),
        "2018-08-15"
    );
    // No tense cue: "Oct. 23" five months before the DCT is more likely
    // than five months after (news reports what has happened).
    assert_eq!(
        value_of(
            "Kopp has been sought since shortly after the Oct. 23 slaying.",
            "en",
            "1999-05-06",
            "Oct. 23"
        ),
        "1998-10-23"
    );
}

#[test]
fn dutch_participle_with_a_present_auxiliary_is_not_past() {
    // "worden ... geleverd" is a present passive (here: what will happen);
    // "werden ... geleverd" is past.
    assert_eq!(
        value_of(
            "De eerste toestellen worden in oktober geleverd.",
            "nl",
            "2018-08-23",
            "oktober"
        ),
        "2018-10"
    );
    assert_eq!(
        value_of(
            "De eerste toestellen werden in oktober geleverd.",
            "nl",
            "2018-08-23",
            "oktober"
        ),
        "2017-10"
    );
}

#[test]
fn background_dates_do_not_anchor_later_months() {
    // "since 1990" and "the Dec. 21, 1988, bombing" are background: a later
    // "in December" / "in April" is read against the DCT, not in their year.
    let since = "Kopp had been arrested in several states since 1990 for protesting. \
                 His car was found at the airport in December, investigators said. \
                 NATO was founded in 1949 and grew in 1952 and 1955.";
    assert_eq!(value_of(since, "en", "1999-05-06", "December"), "1998-12");
    let modifier = "Two agents were charged in the Dec. 21, 1988, bombing of Pan Am Flight 103. \
                    They were removed after Gadhafi agreed in April to hand them over. \
                    NATO was founded in 1949 and grew in 1952 and 1955.";
    assert_eq!(value_of(modifier, "en", "1999-06-07", "April"), "1999-04");
    // A plain narrated date still anchors the next sentence.
    let narrated = "The war began on June 3, 1950. The front had stabilised by August. \
                    NATO was founded in 1949 and grew in 1952 and 1955.";
    assert_eq!(value_of(narrated, "en", "2008-01-01", "August"), "1950-08");
}

#[test]
fn a_future_date_in_news_is_not_read_in_a_past_one() {
    let t = "Poland, who were invited to join NATO in Madrid in July 1997, \
             will officially join NATO on March 12 in a ceremony.";
    assert_eq!(value_of(t, "en", "1999-02-27", "March 12"), "1999-03-12");
    // A past one of the same sentence still anchors ("on June 3, 2014 ... on June 29").
    let t = "The talks began on June 3, 2014 and ended on June 29.";
    assert_eq!(value_of(t, "en", "2016-01-10", "June 29"), "2014-06-29");
}

#[test]
fn quarters_of_a_named_year_and_the_week_of_a_date() {
    for (text, lang, dct, span, want) in [
        (
            "It took a $415 million charge in the 1988 second quarter.",
            "en",
            "1989-11-02",
            "the 1988 second quarter",
            "1988-Q2",
        ),
        (
            "The case will be heard the week of March 6.",
            "en",
            "2000-02-24",
            "the week of March 6",
            "2000-W10",
        ),
        (
            "De zaak dient in de week van 6 maart.",
            "nl",
            "2000-02-24",
            "de week van 6 maart",
            "2000-W10",
        ),
        (
            "Het gebeurde in de laatste week van juni.",
            "nl",
            "2014-07-20",
            "de laatste week van juni",
            "2014-06",
        ),
    ] {
        assert_eq!(value_of(text, lang, dct, span), want, "{text}");
    }
}

#[test]
fn more_than_and_less_than_keep_their_direction() {
    let m = |text: &str, lang: &str| -> Vec<Option<String>> {
        tag(text, lang, d("2014-06-20"))
            .into_iter()
            .map(|t| t.modifier)
            .collect()
    };
    let want = |v: [&str; 3]| v.map(|s| Some(s.to_string())).to_vec();
    assert_eq!(
        m(
            "more than five years, less than three weeks, no more than two days",
            "en"
        ),
        want(["MORE_THAN", "LESS_THAN", "EQUAL_OR_LESS"])
    );
    assert_eq!(
        m(
            "meer dan vijf jaar, minder dan drie weken, niet meer dan twee dagen",
            "nl"
        ),
        want(["MORE_THAN", "LESS_THAN", "EQUAL_OR_LESS"])
    );
    assert_eq!(
        m("minstens vijf jaar en ten minste drie weken", "nl")[..2],
        [
            Some("EQUAL_OR_MORE".to_string()),
            Some("EQUAL_OR_MORE".to_string())
        ]
    );
}

#[test]
fn a_narrative_carries_its_year_through_dates_without_one() {
    // Months read in the narrated year carry it on, and so does "the end of
    // the month" (the narrated month, not the DCT's).
    let t = "The war in the east began in June 1941. In July, the UK and the Soviet Union \
             formed an alliance. Troops were evacuated by the end of the month. In August, \
             they invaded Iran. By October, the offensive had stalled. \
             The army had fought in 1939 and 1940.";
    assert_eq!(value_of(t, "en", "2009-01-01", "July"), "1941-07");
    assert_eq!(value_of(t, "en", "2009-01-01", "August"), "1941-08");
    assert_eq!(value_of(t, "en", "2009-01-01", "October"), "1941-10");
    assert_eq!(
        value_of(t, "en", "2009-01-01", "the end of the month"),
        "1941-07"
    );
    // Outside narratives it is the DCT's month.
    let t = "Sales fell in January. The deal should close by the end of the month.";
    assert_eq!(
        value_of(t, "en", "2013-03-22", "the end of the month"),
        "2013-03"
    );
    // In a past narrative the tense says nothing about before or after the
    // narrated date: the nearest December after "the following year" (1996).
    let t = "On May 22, 1995, Farkas was made a general. The following year he was \
             appointed attache. He was cited in December for driving drunk. \
             He flew in 1980 and 1984 and 1985.";
    assert_eq!(value_of(t, "en", "1998-04-18", "December"), "1996-12");
}

#[test]
fn decades_said_as_words() {
    let t = tx(
        "Numbers dropped through the nineties, and in the early sixties. In her forties she moved.",
        "en",
        "1998-03-03",
    );
    let v: Vec<(&str, &str)> = t.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(v, [("the nineties", "199"), ("the early sixties", "196")]);
}

#[test]
fn decades_next_and_past() {
    // "The next decade" is a decade of its own (202), not the year ten
    // years on; "the past decade" the ten years up to now, like "the past
    // two decades"; "the last decade" the decade before this one.
    let t = tx(
        "The next decade looks bright. Over the past decade the city grew. \
         In the last decade it shrank.",
        "en",
        "2013-03-22",
    );
    let v: Vec<(&str, &str)> = t.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(
        v,
        [
            ("The next decade", "202"),
            ("the past decade", "P10Y"),
            ("the last decade", "200"),
        ]
    );
    // Counted from the date the text narrates.
    let t = "The war began in 1985. The previous decade had been calm.";
    assert_eq!(
        value_of(t, "en", "2013-03-22", "The previous decade"),
        "197"
    );
}

#[test]
fn quarters_and_seasons_follow_the_tense() {
    // Reported in March 2013: the past fourth quarter is 2012's; the results
    // of a quarter just ended are still to come, so the coming report does
    // not move it a year on.
    let t = "Profit rose in the fourth quarter. The company will report \
             first-quarter results in April. The summer was hot. This summer will be hot.";
    assert_eq!(
        value_of(t, "en", "2013-03-22", "the fourth quarter"),
        "2012-Q4"
    );
    assert_eq!(value_of(t, "en", "2013-03-22", "first-quarter"), "2013-Q1");
    assert_eq!(value_of(t, "en", "2013-03-22", "The summer"), "2012-SU");
    assert_eq!(value_of(t, "en", "2013-03-22", "This summer"), "2013-SU");
    // In November a deal expected in the first quarter closes next year;
    // third-quarter results to be reported are this year's.
    let t = "The deal is expected to close in the first quarter. \
             It will report third-quarter results next week.";
    assert_eq!(
        value_of(t, "en", "1989-11-02", "the first quarter"),
        "1990-Q1"
    );
    assert_eq!(value_of(t, "en", "1989-11-02", "third-quarter"), "1989-Q3");
    // A fiscal quarter does not follow the calendar: the DCT's year.
    let t = "The company's fiscal second quarter ended Feb. 28.";
    assert_eq!(
        value_of(t, "en", "2013-03-18", "fiscal second quarter"),
        "2013-Q2"
    );
    let t = "In het vierde kwartaal daalde de winst. De zomer was heet. Deze zomer wordt het warm.";
    assert_eq!(
        value_of(t, "nl", "2013-03-22", "het vierde kwartaal"),
        "2012-Q4"
    );
    assert_eq!(value_of(t, "nl", "2013-03-22", "De zomer"), "2012-SU");
    assert_eq!(value_of(t, "nl", "2013-03-22", "Deze zomer"), "2013-SU");
}

#[test]
fn news_cues_plan_must_and_gmt() {
    // "the plan" is a noun, not a future cue; "must ... by Monday" is a
    // deadline to come; the GMT time beside a local one is not a year.
    let t =
        "Lawmakers rejected the plan on Tuesday. Cyprus must raise 5.8 billion euros by Monday. \
             At 6 p.m. local time (1600 GMT), the bank closed.";
    assert_eq!(value_of(t, "en", "2013-03-22", "Tuesday"), "2013-03-19");
    assert_eq!(value_of(t, "en", "2013-03-22", "Monday"), "2013-03-25");
    // "hit" after "to" is an infinitive, not a past tense.
    let t = "The storm is expected to hit the coast on Sunday.";
    assert_eq!(value_of(t, "en", "2013-03-21", "Sunday"), "2013-03-24");
    let v = tx(t, "en", "2013-03-22");
    assert!(v.iter().all(|t| t.2 != "1600"), "{v:?}");
}

#[test]
fn british_weekday_day_month() {
    // "Monday 25 March" is one date, not last Monday and 25 March.
    assert_eq!(
        spans(
            "The deadline expires on Monday 25 March.",
            "en",
            "2013-03-22"
        ),
        [p("Monday 25 March", "2013-03-25")]
    );
}

#[test]
fn dutch_article_makes_next_and_previous_anaphoric() {
    // "het volgende jaar" counts from the date the text narrates, "volgend
    // jaar" from the DCT; "het afgelopen decennium" is the last ten years.
    let t = "In 2019 begon de bouw. Het volgende jaar kwam de omslag. Op 3 mei 2020 vertrok hij, \
             de volgende dag kwam hij aan. Volgend jaar komt er meer. In het afgelopen decennium \
             groeide de stad.";
    assert_eq!(value_of(t, "nl", "2024-07-10", "Het volgende jaar"), "2020");
    assert_eq!(
        value_of(t, "nl", "2024-07-10", "de volgende dag"),
        "2020-05-04"
    );
    assert_eq!(value_of(t, "nl", "2024-07-10", "Volgend jaar"), "2025");
    assert_eq!(
        value_of(t, "nl", "2024-07-10", "het afgelopen decennium"),
        "P10Y"
    );
}

#[test]
fn the_previous_month_name() {
    // "the previous April" is one expression, an April before the anchor.
    let t = "In June 1918 the army attacked, holding the salient seized the previous April.";
    assert_eq!(
        value_of(t, "en", "2013-03-21", "the previous April"),
        "1918-04"
    );
}

#[test]
fn a_season_without_a_year_is_read_in_the_narrated_year() {
    // A narrative (most years it states are far from the DCT).
    let t = "The army had fought in 1939 and 1940. The war in the east began in June 1941. \
             During the summer, the Axis made gains.";
    assert_eq!(value_of(t, "en", "2009-01-01", "the summer"), "1941-SU");
    // Outside one, the DCT's year as the tense allows.
    let t = "During the summer, sales fell.";
    assert_eq!(value_of(t, "en", "2009-01-01", "the summer"), "2008-SU");
}

#[test]
fn month_of_a_year_and_holiday_years() {
    let t = "The pact came in February of 1940. In 1918 the war ended. In October of that year \
             Austria surrendered. On July 25 of that year a resolution passed. He predicted \
             victory by Christmas 1963. Plans were replaced early in 1914.";
    let v = tx(t, "en", "2009-12-19");
    let v: Vec<(&str, &str)> = v.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(
        v,
        [
            ("February of 1940", "1940-02"),
            ("1918", "1918"),
            ("October of that year", "1918-10"),
            ("July 25 of that year", "1918-07-25"),
            ("Christmas 1963", "1963-12-25"),
            ("early in 1914", "1914"),
        ]
    );
    let v = tx(
        "During the last week of August the pressure grew.",
        "en",
        "2009-12-19",
    );
    assert_eq!(v[0].0, "the last week of August");
    assert_eq!(v[0].2, "2009-08");
}

#[test]
fn the_same_year_is_anaphoric() {
    let t = "The war began in 1955. On January 24 of the same year, Congress voted. \
             The same day, troops moved.";
    assert_eq!(
        value_of(t, "en", "2009-12-19", "January 24 of the same year"),
        "1955-01-24"
    );
    assert_eq!(
        value_of(t, "en", "2009-12-19", "The same day"),
        "1955-01-24"
    );
}

#[test]
fn dutch_datelines_and_the_end_of_the_month() {
    // MEANTIME-nl datelines use English month abbreviations ("24-May-08");
    // "May" alone in Dutch text stays a name.
    assert_eq!(
        spans(
            "Boeing stelt uit 24-May-08. Theresa May sprak.",
            "nl",
            "2009-05-20"
        ),
        [p("24-May-08", "2008-05-24")]
    );
    // The whole phrase, article included, as the Dutch guidelines say.
    let t = "Airbus vroeg voor het eind van de maand een beslissing. Aan het begin van de dag \
             stegen de aandelen.";
    assert_eq!(
        spans(t, "nl", "2010-01-20"),
        [
            p("het eind van de maand", "2010-01"),
            p("het begin van de dag", "2010-01-20")
        ]
    );
}

#[test]
fn both_ends_of_a_range_are_dates() {
    let pairs = |text: &str, lang: &str| spans(text, lang, "2024-05-10");
    assert_eq!(
        pairs("The summit was held April 6-7 in Paris.", "en"),
        [p("April 6", "2024-04-06"), p("7", "2024-04-07")]
    );
    assert_eq!(
        pairs("They met between 12 and 14 June 2023.", "en"),
        [p("12", "2023-06-12"), p("14 June 2023", "2023-06-14")]
    );
    assert_eq!(
        pairs("It takes between 12 and 18 months.", "en"),
        [p("12", "P12M"), p("18 months", "P18M")]
    );
    // A word-joined number followed by a word is no day.
    assert_eq!(
        pairs("On March 5 and 6 people died.", "en"),
        [p("March 5", "2024-03-05")]
    );
    assert_eq!(
        pairs("Zij staakten op 6-7 april en van 12 tot 14 juni.", "nl"),
        [
            p("6", "2024-04-06"),
            p("7 april", "2024-04-07"),
            // past tense in May: last year's June
            p("12", "2023-06-12"),
            p("14 juni", "2023-06-14")
        ]
    );
    // Years: the second end in the first one's century; before Christ the
    // first end takes the era of the second.
    assert_eq!(
        pairs(
            "The Indochina War (1947-54) and the Ionian Revolt (499-493 BC).",
            "en"
        ),
        [
            p("1947", "1947"),
            p("54", "1954"),
            p("499", "BC0499"),
            p("493 BC", "BC0493")
        ]
    );
    assert_eq!(pairs("Bel 555-1234.", "nl"), []);
    // The first end takes the year of the second.
    assert_eq!(
        pairs(
            "In April and June 1955 Diem moved; between December and January 1942 it snowed.",
            "en"
        ),
        [
            p("April", "1955-04"),
            p("June 1955", "1955-06"),
            p("December", "1941-12"),
            p("January 1942", "1942-01")
        ]
    );
    assert_eq!(
        pairs("Van maart tot mei 2010 werd gestaakt.", "nl"),
        [p("maart", "2010-03"), p("mei 2010", "2010-05")]
    );
    // The earlier day comes first: the score "7-6" is no range.
    assert_eq!(
        pairs("Het werd 7-6 op 6 april.", "nl"),
        [p("6 april", "2024-04-06")]
    );
}

#[test]
fn informal_english_spellings() {
    let dct = "2013-04-10"; // a Wednesday
    let text = "Judging this Sat, 7pm, then 8am tmr and 12hrs of work; the Sun said so on xmas.";
    assert_eq!(
        spans(text, "en", dct),
        [
            // the stated direction of "this Sat" holds for the whole time
            p("this Sat, 7pm", "2013-04-13T19:00"),
            p("8am tmr", "2013-04-11T08:00"),
            p("12hrs", "PT12H"),
            // "said": the Christmas before the DCT
            p("xmas", "2012-12-25"),
        ]
    );
    assert_eq!(value_of("It takes 1.5hrs.", "en", dct, "1.5hrs"), "PT1H30M");
}

#[test]
fn years_before_christ() {
    let dct = "2009-12-19";
    assert_eq!(
        spans(
            "In 492 BC Mardonius invaded. The following year, Darius sent envoys. \
             Carthage fell in 146 B.C.; Pompeii was buried in AD 79. The ad ran twice.",
            "en",
            dct
        ),
        [
            p("492 BC", "BC0492"),
            // counting on from 492 BC
            p("The following year", "BC0491"),
            p("146 B.C.", "BC0146"),
            p("AD 79", "0079"),
        ]
    );
    assert_eq!(
        value_of(
            "In 480 v.Chr. vielen de Perzen binnen.",
            "nl",
            dct,
            "480 v.Chr."
        ),
        "BC0480"
    );
    assert_eq!(
        value_of(
            "Pompeii werd in 79 n.Chr. bedolven.",
            "nl",
            dct,
            "79 n.Chr."
        ),
        "0079"
    );
}

#[test]
fn earlier_in_the_year_and_the_early_summer() {
    let dct = "1989-10-27";
    assert_eq!(
        value_of(
            "Planting was delayed earlier in the year.",
            "en",
            dct,
            "earlier in the year"
        ),
        "1989"
    );
    assert_eq!(
        value_of(
            "Later in het jaar daalde de verkoop.",
            "nl",
            dct,
            "Later in het jaar"
        ),
        "1989"
    );
    let t = tag(
        "Sales rose from the low levels of the early summer.",
        "en",
        d(dct),
    );
    assert_eq!(
        t.iter()
            .map(|t| (t.text.as_str(), t.value.as_str(), t.modifier.as_deref()))
            .collect::<Vec<_>>(),
        [("the early summer", "1989-SU", Some("START"))]
    );
}

#[test]
fn dutch_clock_times_written_with_u() {
    let dct = "2024-05-10";
    assert_eq!(
        value_of("Om 8u vertrok hij.", "nl", dct, "8u"),
        "2024-05-10T08:00"
    );
    assert_eq!(
        value_of("Om 14u30 was hij terug.", "nl", dct, "14u30"),
        "2024-05-10T14:30"
    );
    // "u" as a pronoun after a number is no time
    assert!(tx("Wij danken u 3 keer.", "nl", dct).is_empty());
}

#[test]
fn a_restated_year_or_a_look_back_does_not_move_the_narration() {
    let dct = "2009-12-19";
    let war = "In 1939 the war began. In 1940 France fell. ";
    // "1941" restates the narrated year: the narration stays at December.
    let text = format!(
        "{war}Japan attacked on December 7, 1941. The losses of 1941 were heavy. \
         In January, the Allies signed a declaration."
    );
    assert_eq!(value_of(&text, "en", dct, "January"), "1942-01");
    // "the previous year" looks back from March 1942; the January after
    // it is 1942's, not 1941's.
    let text = format!(
        "{war}In March 1942 Java fell. Germany kept the gains it made during the previous \
         year. In January, the Germans had attacked in Libya."
    );
    assert_eq!(value_of(&text, "en", dct, "January"), "1942-01");
}

#[test]
fn a_narrative_clock_time_is_on_the_narrated_day() {
    let text = "In 1914 the war began. In 1916 Verdun bled. The armistice was signed on \
                11 November 1918. At 10:57 the guns still fired; this day ended the war.";
    let dct = "2009-12-19";
    assert_eq!(value_of(text, "en", dct, "10:57"), "1918-11-11T10:57");
    assert_eq!(value_of(text, "en", dct, "this day"), "1918-11-11");
    // Outside a narrative the DCT's day, as before.
    assert_eq!(
        value_of("The plane landed at 10:57.", "en", dct, "10:57"),
        "2009-12-19T10:57"
    );
}

#[test]
fn a_season_of_a_written_year_moves_the_narration() {
    let text = "In 1914 the war began. In 1916 Verdun bled. Russia lost in August and \
                September 1914. By the spring of 1915, the Russians had retreated, and in May \
                the Central Powers broke through. On 5 August they captured Warsaw.";
    let dct = "2009-12-19";
    assert_eq!(value_of(text, "en", dct, "May"), "1915-05");
    assert_eq!(value_of(text, "en", dct, "5 August"), "1915-08-05");
}
