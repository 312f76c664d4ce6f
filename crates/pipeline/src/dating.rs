//! Corpus-level dating: after an ingest, every document whose creation time
//! was not given by its source is dated again with the help of the dated
//! documents of the store ([`kroniek_time::Dater`]: similar articles, shared
//! facts, the text's own dates), and its timexes are resolved against the
//! new estimate.
//!
//! Documents are linked to corpus entities before they are stored, with the
//! creation time they had then; when documents are re-dated, the first and
//! last dates of the corpus entities are set anew from the documents'
//! current creation times, in the same commit. Re-dated documents' events,
//! claims and quotes are found again from their mentions, which carry the
//! corpus entity ids, so participants stay the mentions' ids.

use std::collections::HashMap;

use kroniek_model::{DctOrigin, Document, PartialDate};
use kroniek_store::{Store, StoreError};
use kroniek_time::{DatedDoc, Dater};
use rayon::prelude::*;
use serde::Serialize;

/// What [`refine_dates`] did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DatingSummary {
    /// Documents with a creation time given by their source (the evidence).
    pub dated: usize,
    /// Documents without one (inferred or unknown).
    pub undated: usize,
    /// Undated documents whose estimate changed and was written back.
    pub refined: usize,
    /// Time the step took.
    pub seconds: f64,
}

/// Re-dates every document of `store` whose DCT is not [`DctOrigin::Given`]
/// using the dated documents, writes back the changed ones (origin
/// `inferred`, range, evidence, re-resolved timexes) and commits.
///
/// One pass over the store to find the undated documents (nothing more is
/// done when there are none), one to build the dater (bounded profiles, no
/// texts kept), then one lookup per undated document.
pub fn refine_dates(store: &dyn Store) -> Result<DatingSummary, StoreError> {
    let started = std::time::Instant::now();
    // First pass: which documents need dating (cheap; nothing is kept).
    let mut undated: Vec<String> = Vec::new();
    let mut dated = 0;
    // Dates of the corpus entities, for when documents are re-dated.
    let mut seen = EntityDates::default();
    for doc in store.documents()? {
        let doc = doc?;
        match (doc.dct.origin, doc.dct.value) {
            (DctOrigin::Given, Some(_)) => {
                dated += 1;
                seen.add(&doc);
            }
            _ => undated.push(doc.id),
        }
    }
    if undated.is_empty() || dated == 0 {
        return Ok(DatingSummary {
            dated,
            undated: undated.len(),
            refined: 0,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    // Second pass: profiles of the dated documents.
    let mut dater = Dater::new();
    for doc in store.documents()? {
        let doc = doc?;
        if let (DctOrigin::Given, Some(dct)) = (doc.dct.origin, doc.dct.value) {
            dater.add(&DatedDoc {
                text: &doc.text,
                lang: &doc.lang,
                dct,
                timexes: &doc.timexes,
            });
        }
    }
    let mut summary = DatingSummary {
        dated: dater.len(),
        undated: undated.len(),
        refined: 0,
        seconds: 0.0,
    };
    dater.finish();
    // In chunks: read, date in parallel, write back in order.
    for chunk in undated.chunks(256) {
        let mut docs = Vec::with_capacity(chunk.len());
        for id in chunk {
            if let Some(info) = store.get(id)? {
                docs.push(info.doc);
            }
        }
        let changed: Vec<bool> = docs.par_iter_mut().map(|doc| refine(&dater, doc)).collect();
        for (doc, changed) in docs.iter().zip(changed) {
            seen.add(doc);
            if changed {
                store.update(doc)?;
                summary.refined += 1;
            }
        }
    }
    if summary.refined > 0 {
        crate::linking::redate(store, &seen.0)?;
    }
    store.commit()?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Earliest and latest creation time of the documents mentioning each
/// corpus entity.
#[derive(Default)]
struct EntityDates(HashMap<String, (PartialDate, PartialDate)>);

impl EntityDates {
    fn add(&mut self, doc: &Document) {
        let Some(d) = doc.dct.value else {
            return;
        };
        for m in doc.entities.iter().filter(|m| m.is_linked()) {
            let Some(id) = &m.entity else { continue };
            self.0
                .entry(id.clone())
                .and_modify(|(first, last)| {
                    *first = (*first).min(d);
                    *last = (*last).max(d);
                })
                .or_insert((d, d));
        }
    }
}

/// Dates one undated document with `dater`; `true` when its DCT changed.
pub fn refine(dater: &Dater, doc: &mut Document) -> bool {
    let lang = match doc.lang.as_str() {
        "nl" | "en" => doc.lang.clone(),
        _ => kroniek_time::guess_lang(&doc.text).to_string(),
    };
    let Some(est) = dater.estimate_with(&doc.text, &lang, None) else {
        return false;
    };
    if est == doc.dct {
        return false;
    }
    doc.dct = est;
    doc.timexes = kroniek_time::tag(&doc.text, &lang, doc.dct.value);
    // Event dates fall back on the DCT and follow the timexes: redo them.
    kroniek_events::annotate(doc);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ingest, IngestOptions};
    use kroniek_store::EmbeddedStore;

    #[test]
    fn ingest_dates_an_undated_article_from_a_shared_fact() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let w = |name: &str, body: &str| std::fs::write(corpus.join(name), body).unwrap();
        w(
            "a.txt",
            " date 2019-10-02\nIS verslagen\n\nIn 2019 verloor Islamitische Staat zijn laatste gebied in Syrië bij Baghuz. Koerdische strijders vierden feest.\n",
        );
        w(
            "b.txt",
            " date 2016-09-20\nBegroting\n\nHet kabinet presenteerde de begroting. De oppositie was kritisch over de plannen voor de zorg.\n",
        );
        w(
            "c.txt",
            "Terugkeer gevreesd\n\nIn maart verloor Islamitische Staat zijn laatste gebied in Syrië bij Baghuz. Nu vreest men een terugkeer van de strijders.\n",
        );
        let store = EmbeddedStore::open(&tmp.path().join("db")).unwrap();
        let summary = ingest(
            &store,
            std::slice::from_ref(&corpus),
            &IngestOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.added, 3);
        let d = &summary.dating;
        assert_eq!((d.dated, d.undated, d.refined), (2, 1, 1), "{d:?}");
        let undated = store
            .documents()
            .unwrap()
            .map(|d| d.unwrap())
            .find(|d| d.text.contains("In maart"))
            .unwrap();
        assert_eq!(undated.dct.origin, DctOrigin::Inferred);
        assert_eq!(undated.dct.value.unwrap().year_value(), 2019);
        assert!(undated.dct.range.is_some());
        assert!(
            undated.dct.evidence.iter().any(|e| e.contains("same fact")),
            "{:?}",
            undated.dct.evidence
        );
        let maart = undated.timexes.iter().find(|t| t.text == "maart").unwrap();
        assert_eq!(maart.value, "2019-03");

        // A second run over unchanged files adds nothing and dates nothing.
        let again = ingest(&store, &[corpus], &IngestOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(again.added, 0);
        assert_eq!(again.dating, DatingSummary::default());
    }
}
