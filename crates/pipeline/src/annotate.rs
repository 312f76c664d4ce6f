//! Running the annotation stages over one document.

use kroniek_formats::RawDoc;
use kroniek_model::{Dct, Document, PartialDate};

/// Overrides for [`to_document`], as given on the command line or in an API call.
#[derive(Debug, Clone, Default)]
pub struct AnnotateOptions {
    /// Force the language (`nl`, `en`, ...) instead of detecting it.
    pub lang: Option<String>,
    /// Force the document creation time instead of the one the source gives.
    pub dct: Option<PartialDate>,
}

/// Builds the document for a raw input record and runs every stage on it.
pub fn to_document(raw: RawDoc, opts: &AnnotateOptions) -> Document {
    let dct = match (opts.dct, raw.date) {
        (Some(d), _) => Dct::given(d, "given by the caller (--dct)"),
        (None, Some(d)) => Dct::given(
            d,
            raw.date_evidence
                .unwrap_or_else(|| format!("{} metadata", raw.format)),
        ),
        (None, None) => Dct::none(),
    };
    let mut doc = Document::new(raw.source, raw.title, raw.text, dct);
    doc.url = raw.url;
    if let Some(lang) = opts.lang.clone().or(raw.lang) {
        doc.lang = lang;
    }
    annotate(&mut doc);
    doc
}

/// Annotates many records in parallel, keeping their order.
pub fn to_documents(raws: Vec<RawDoc>, opts: &AnnotateOptions) -> Vec<Document> {
    use rayon::prelude::*;
    raws.into_par_iter()
        .map(|raw| to_document(raw, opts))
        .collect()
}

/// Runs every stage on a document, in pipeline order. Layers already
/// present are recomputed.
pub fn annotate(doc: &mut Document) {
    kroniek_text::annotate(doc);
    kroniek_time::annotate(doc);
    kroniek_entities::annotate(doc);
    kroniek_events::annotate(doc);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_formats::Format;

    fn raw(text: &str, date: Option<&str>) -> RawDoc {
        RawDoc {
            source: "t.txt".into(),
            format: Format::Text,
            title: Some("Titel".into()),
            text: text.into(),
            date: date.map(|d| d.parse().unwrap()),
            date_evidence: None,
            url: None,
            lang: None,
            external_id: None,
        }
    }

    #[test]
    fn fills_language_sentences_and_dct() {
        let doc = to_document(
            raw(
                "Islamitische Staat riep in 2014 een kalifaat uit. De groep verloor in 2019 haar laatste gebied in Syrië.",
                Some("2024-07"),
            ),
            &AnnotateOptions::default(),
        );
        assert_eq!(doc.lang, "nl");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.dct.value.unwrap().to_string(), "2024-07");
        assert_eq!(doc.dct.origin, kroniek_model::DctOrigin::Given);
        doc.check_spans().unwrap();
    }

    #[test]
    fn options_override_source() {
        let opts = AnnotateOptions {
            lang: Some("en".into()),
            dct: Some("2020-01-02".parse().unwrap()),
        };
        let doc = to_document(raw("Dit is Nederlands.", Some("2019")), &opts);
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.dct.value.unwrap().to_string(), "2020-01-02");
    }

    #[test]
    fn every_stage_fills_its_layer() {
        let doc = to_document(
            raw(
                "Abu Bakr al-Baghdadi riep in juni 2014 in Mosul een kalifaat uit. Vorig jaar verloor Islamitische Staat zijn laatste gebied.",
                Some("2020-03-02"),
            ),
            &AnnotateOptions::default(),
        );
        doc.check_spans().unwrap();
        let values: Vec<&str> = doc.timexes.iter().map(|t| t.value.as_str()).collect();
        assert!(values.contains(&"2014-06"), "{values:?}");
        assert!(values.contains(&"2019"), "{values:?}");
        let names: Vec<&str> = doc.entities.iter().map(|e| e.text.as_str()).collect();
        assert!(names.contains(&"Abu Bakr al-Baghdadi"), "{names:?}");
        assert!(names.contains(&"Mosul"), "{names:?}");
        let declaration = doc.events.iter().find(|e| e.kind == "declaration");
        assert_eq!(
            declaration.and_then(|e| e.date.as_deref()),
            Some("2014-06"),
            "{:?}",
            doc.events
        );
    }

    #[test]
    fn undated_document_gets_an_inferred_dct() {
        let doc = to_document(
            raw(
                "Op 3 maart 2021 werd de aanslag gepleegd. Gisteren meldde de politie dat er twee verdachten zijn opgepakt.",
                None,
            ),
            &AnnotateOptions::default(),
        );
        assert_eq!(doc.dct.origin, kroniek_model::DctOrigin::Inferred);
        assert!(
            doc.dct.value.unwrap().to_string().starts_with("2021"),
            "{:?}",
            doc.dct
        );
        assert!(!doc.dct.evidence.is_empty());
    }
}
