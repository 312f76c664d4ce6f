//! Language identification and language tags.

use std::sync::LazyLock;

use crate::{data, prefix};

/// How much of a text language detection looks at (bytes).
const SAMPLE: usize = 8 * 1024;
/// Fewer letters than this: the language is `und`.
const MIN_LETTERS: usize = 12;
/// At most this many words are counted for the stop-word vote.
const MAX_WORDS: usize = 400;

/// The language of a text as an ISO 639-1 code: "nl", "en", another code
/// the detector knows ("de", "fr", ...; a three-letter code for a language
/// missing from `data/iso639.tsv`), or "und" when the text is too short or
/// the evidence unreliable.
///
/// Combines the `whatlang` trigram detector with a vote of the frequent
/// function words in `data/<lang>/stopwords.txt` (only words that belong
/// to one language count), which is what decides short Dutch and English
/// texts that trigrams get wrong. Looks at the first 8 KiB only.
pub fn detect_language(text: &str) -> String {
    let sample = prefix(text, SAMPLE);
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return "und".into();
    }
    let k = data::knowledge();
    let (words, votes) = stopword_votes(sample);
    let mut ranked: Vec<(usize, usize)> = votes.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, hits) = ranked.first().copied().unwrap_or((0, 0));
    let second = ranked.get(1).map_or(0, |r| r.1);
    let stop_lang = (hits > 0 && hits > second).then(|| k.langs[best].0.as_str());

    let info = whatlang::detect(sample);
    let tri_lang = info.as_ref().map(|i| iso639_1(i.lang().code()));
    let confidence = info.as_ref().map_or(0.0, |i| i.confidence());
    let tri_has_data = tri_lang.as_deref().is_some_and(|l| {
        k.langs
            .iter()
            .any(|(c, d)| c == l && !d.stopwords.is_empty())
    });

    if let (Some(s), Some(t)) = (stop_lang, tri_lang.as_deref()) {
        if s == t {
            return s.to_string();
        }
    }
    if let Some(s) = stop_lang {
        let strong = hits >= 2 && hits >= 2 * second && hits * 10 >= words;
        let dominant = strong && hits * 4 >= words;
        // Function words win unless the detector is sure of a language whose
        // function words we do not know (German text has some Dutch ones).
        if dominant || (strong && (confidence <= 0.9 || tri_has_data)) {
            return s.to_string();
        }
        // One function word and a detector that is unsure: ask the detector
        // to choose among the languages with data only.
        let weak = second == 0 && hits * 10 >= words;
        if weak && confidence < 0.5 {
            let among_known = KNOWN_DETECTOR
                .detect(sample)
                .map(|i| iso639_1(i.lang().code()));
            if among_known.as_deref() == Some(s) {
                return s.to_string();
            }
        }
    }
    match tri_lang {
        // A long text in a language we know without any of its function
        // words is no text in that language (a list of names, a table).
        Some(_) if tri_has_data && hits == 0 && words >= 30 => "und".into(),
        Some(t) if confidence >= 0.5 => t,
        _ => "und".into(),
    }
}

/// A detector that only considers the languages with stop-word data.
static KNOWN_DETECTOR: LazyLock<whatlang::Detector> = LazyLock::new(|| {
    let k = data::knowledge();
    let langs: Vec<whatlang::Lang> = k
        .langs
        .iter()
        .filter(|(_, d)| !d.stopwords.is_empty())
        .filter_map(|(code, _)| {
            let three = k
                .iso639
                .iter()
                .find(|(_, two)| *two == code)
                .map(|(three, _)| three)?;
            whatlang::Lang::from_code(three.as_str())
        })
        .collect();
    whatlang::Detector::with_allowlist(langs)
});

/// Of the `candidates` (ISO 639-1 codes), the one whose function words
/// (this stage's data files) occur most often in `text`; `None` when none
/// of them occurs. For stages that support a few languages and must pick
/// one for a text whose language is unknown or another.
pub fn closest_of(text: &str, candidates: &[&str]) -> Option<String> {
    let k = data::knowledge();
    let (_, votes) = stopword_votes(prefix(text, SAMPLE));
    k.langs
        .iter()
        .zip(votes)
        .filter(|((code, _), v)| *v > 0 && candidates.contains(&code.as_str()))
        .max_by_key(|(_, v)| *v)
        .map(|((code, _), _)| code.clone())
}

/// The number of words, and per language (index in `langs`) how many of
/// them are function words of that language alone.
fn stopword_votes(text: &str) -> (usize, Vec<usize>) {
    let k = data::knowledge();
    let mut votes = vec![0; k.langs.len()];
    let mut words = 0;
    let mut buf = String::new();
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if words > MAX_WORDS {
            words = MAX_WORDS;
            break;
        }
        buf.clear();
        buf.extend(w.chars().flat_map(char::to_lowercase));
        if let Some(Some(i)) = k.stop_owner.get(buf.as_str()) {
            votes[*i] += 1;
        }
    }
    (words, votes)
}

/// The two-letter code of a three-letter one, or the code itself.
fn iso639_1(code3: &str) -> String {
    data::knowledge()
        .iso639
        .get(code3)
        .cloned()
        .unwrap_or_else(|| code3.to_string())
}

/// A language tag as documents carry it: lower case, the primary subtag
/// only ("nl-NL", "NL_be" → "nl"), three-letter codes from `data/iso639.tsv`
/// made two-letter ("nld" → "nl"); empty or "und" → "und".
pub fn normalise_lang(tag: &str) -> String {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    if primary.is_empty() || primary == "und" {
        return "und".into();
    }
    if primary.len() == 3 {
        if let Some(two) = data::knowledge().iso639.get(&primary) {
            return two.clone();
        }
        if primary == "dut" {
            return "nl".into();
        }
    }
    primary
}

#[cfg(test)]
mod tests {

    #[test]
    fn closest_of_picks_among_candidates() {
        let nl = "Het kabinet is gevallen en de premier heeft zijn ontslag ingediend.";
        assert_eq!(closest_of(nl, &["nl", "en"]).as_deref(), Some("nl"));
        assert_eq!(
            closest_of(
                "The cabinet fell and the prime minister resigned.",
                &["nl", "en"]
            )
            .as_deref(),
            Some("en")
        );
        assert_eq!(closest_of(nl, &["en"]), None);
        assert_eq!(closest_of("12345 ---", &["nl", "en"]), None);
    }

    use super::*;

    #[test]
    fn dutch_and_english_articles() {
        assert_eq!(
            detect_language("Islamitische Staat riep in 2014 een kalifaat uit. De groep verloor in 2019 haar laatste gebied in Syrië."),
            "nl"
        );
        assert_eq!(
            detect_language("The dike held on Thursday, officials said. Volunteers and soldiers watched it for three days."),
            "en"
        );
    }

    #[test]
    fn short_headlines() {
        assert_eq!(
            detect_language("Islamitische Staat riep in 2014 een kalifaat uit."),
            "nl"
        );
        assert_eq!(detect_language("De leider van IS is dood"), "nl");
        assert_eq!(detect_language("Het weer: morgen zon en regen"), "nl");
        assert_eq!(
            detect_language("The dike held on Thursday, officials said."),
            "en"
        );
        assert_eq!(detect_language("Dike holds after days of high water"), "en");
        assert_eq!(
            detect_language("De regering heeft maandag de nieuwe regels gepresenteerd."),
            "nl"
        );
        assert_eq!(detect_language("Het kabinet is gevallen."), "nl");
        assert_eq!(
            detect_language("The government presented the new rules on Monday."),
            "en"
        );
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            detect_language("Der Deich hielt am Donnerstag, sagten die Beamten. Freiwillige und Soldaten beobachteten ihn drei Tage lang."),
            "de"
        );
        assert_eq!(
            detect_language("La digue a tenu jeudi, selon les autorités. Des volontaires et des soldats l'ont surveillée pendant trois jours."),
            "fr"
        );
    }

    #[test]
    fn short_foreign_sentences_are_not_dutch_or_english() {
        for (text, want) in [
            (
                "Die Regierung hat am Montag die neuen Regeln vorgestellt.",
                "de",
            ),
            ("Als die Sonne aufging, war er schon weg.", "de"),
            ("Il governo ha presentato lunedì le nuove regole.", "it"),
            (
                "Die regering het Maandag die nuwe reëls bekend gemaak.",
                "af",
            ),
        ] {
            assert_eq!(detect_language(text), want, "{text}");
        }
        for text in [
            "Wie geht es dir? Er sagt, es geht ihm gut.",
            "Regeringen presenterade de nya reglerna på måndagen.",
            "Regeringen præsenterede mandag de nye regler.",
        ] {
            let got = detect_language(text);
            assert!(got != "nl" && got != "en", "{text} → {got}");
        }
    }

    #[test]
    fn too_short_or_no_text() {
        assert_eq!(detect_language(""), "und");
        assert_eq!(detect_language("2014"), "und");
        assert_eq!(detect_language("Ajax"), "und");
        assert_eq!(detect_language("!!! ??? 123 456"), "und");
    }

    #[test]
    fn tags() {
        assert_eq!(normalise_lang("nl-NL"), "nl");
        assert_eq!(normalise_lang("NL_be"), "nl");
        assert_eq!(normalise_lang("nld"), "nl");
        assert_eq!(normalise_lang("dut"), "nl");
        assert_eq!(normalise_lang("eng"), "en");
        assert_eq!(normalise_lang(""), "und");
        assert_eq!(normalise_lang("UND"), "und");
        assert_eq!(normalise_lang("de"), "de");
    }
}
