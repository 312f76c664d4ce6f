//! The corpus step: after an ingest, rebuild the corpus-level tables
//! `timeline` and `stories` from every stored document.
//!
//! The documents are streamed from the store in batches; each batch's
//! dated mentions and story features are computed in parallel, then the
//! mentions of all articles are merged into timeline entries
//! ([`kroniek_timeline::timeline_of`]) and the new articles are clustered
//! into stories ([`kroniek_timeline::cluster_stories`]), keeping every
//! earlier story assignment so story ids never change.
//!
//! Article embeddings: when the multilingual sentence encoder is installed
//! ([`kroniek_encoder::shared`]), each article's title and lead is embedded
//! once (cached in the corpus table [`crate::embedding::EMBEDDINGS`]) and
//! stories use it to bring articles in different languages together;
//! without it stories are lexical only.
//!
//! Entity ids: timeline entries and stories use the corpus entity ids in
//! the documents (`entities[].entity`). The step first brings the
//! cross-article linking up to date ([`crate::linking::link`], a no-op when
//! every stored document is linked), so those ids are the ones of the
//! `entities` table.

use std::collections::HashMap;
use std::time::Instant;

use kroniek_model::{Document, Story};
use kroniek_store::{Result, Store};
use kroniek_timeline::{DocMeta, Mention, MergeOptions, StoryDoc, StoryOptions};
use rayon::prelude::*;
use serde::Serialize;

use crate::embedding::{self, StoredEmbedding, EMBEDDINGS};
use crate::query::{STORIES, TIMELINE};

/// What the corpus step did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct CorpusSummary {
    pub documents: usize,
    /// Dated mentions merged into the timeline.
    pub mentions: usize,
    pub timeline_entries: usize,
    /// Entries reported by more than one article.
    pub merged_entries: usize,
    pub stories: usize,
    /// Stories of more than one article.
    pub multi_article_stories: usize,
    /// Articles embedded by the sentence encoder in this run (0 without it).
    pub embedded: usize,
    pub seconds: f64,
}

/// Options of the corpus step.
#[derive(Debug, Clone, Default)]
pub struct CorpusOptions {
    pub merge: MergeOptions,
    pub stories: StoryOptions,
    /// Leave the sentence encoder out even when it is installed.
    pub no_encoder: bool,
}

/// Bookkeeping table of the corpus step.
pub const CORPUS_META: &str = "corpus_meta";
/// Row of [`CORPUS_META`]: how many documents the tables were built from.
const BUILT_FROM: &str = "documents";

/// Whether the timeline and story tables were built from every stored
/// document (false after a kill between storing documents and rebuilding).
pub fn is_current(store: &dyn Store) -> Result<bool> {
    let built = store.table_row(CORPUS_META, BUILT_FROM)?;
    Ok(built.and_then(|n| n.trim().parse::<u64>().ok()) == Some(store.stats()?.documents))
}

/// Documents handled together in one parallel batch.
const BATCH: usize = 512;

/// Rebuilds the `timeline` and `stories` tables (and `entities`, when empty
/// and the documents are not linked) from every stored document, then
/// commits.
pub fn rebuild_corpus(store: &dyn Store) -> Result<CorpusSummary> {
    rebuild_corpus_with(store, &CorpusOptions::default())
}

/// [`rebuild_corpus`] with explicit options.
pub fn rebuild_corpus_with(store: &dyn Store, opts: &CorpusOptions) -> Result<CorpusSummary> {
    let started = Instant::now();
    crate::linking::link(store)?;
    let previous: Vec<Story> = store
        .table(STORIES)?
        .into_iter()
        .filter_map(|(_, json)| serde_json::from_str(&json).ok())
        .collect();
    let encoder = if opts.no_encoder {
        None
    } else {
        kroniek_encoder::shared()
    };
    let mut vectors: HashMap<String, Vec<f32>> = match encoder {
        Some(_) => embedding::load(store.table(EMBEDDINGS)?),
        None => HashMap::new(),
    };
    let mut embedded = 0usize;
    let mut metas: Vec<DocMeta> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut story_docs: Vec<StoryDoc> = Vec::new();
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<Document>,
                     metas: &mut Vec<DocMeta>,
                     mentions: &mut Vec<Mention>,
                     story_docs: &mut Vec<StoryDoc>| {
        if let Some(enc) = encoder {
            let missing: Vec<&Document> = batch
                .iter()
                .filter(|d| !vectors.contains_key(&d.id))
                .collect();
            let new = embedding::embed_documents(enc, &missing);
            embedded += new.len();
            for (d, v) in missing.iter().zip(new) {
                vectors.insert(d.id.clone(), v);
            }
        }
        let base = metas.len();
        let done: Vec<(DocMeta, Vec<Mention>, StoryDoc)> = batch
            .par_iter()
            .enumerate()
            .map(|(i, d)| {
                (
                    DocMeta::of(d),
                    kroniek_timeline::mentions(d, base + i),
                    StoryDoc::of(d),
                )
            })
            .collect();
        for (m, ms, s) in done {
            metas.push(m);
            mentions.extend(ms);
            let e = vectors.get(&s.id).cloned();
            story_docs.push(s.with_embedding(e));
        }
        batch.clear();
    };
    for doc in store.documents()? {
        batch.push(doc?);
        if batch.len() >= BATCH {
            flush(&mut batch, &mut metas, &mut mentions, &mut story_docs);
        }
    }
    flush(&mut batch, &mut metas, &mut mentions, &mut story_docs);

    let (entries, stories) = rayon::join(
        || kroniek_timeline::timeline_of(&metas, &mentions, &opts.merge),
        || kroniek_timeline::cluster_stories(&previous, &story_docs, &opts.stories),
    );
    let summary = CorpusSummary {
        documents: metas.len(),
        mentions: mentions.len(),
        timeline_entries: entries.len(),
        merged_entries: entries.iter().filter(|e| e.sources.len() > 1).count(),
        stories: stories.len(),
        multi_article_stories: stories.iter().filter(|s| s.docs.len() > 1).count(),
        embedded,
        seconds: 0.0,
    };
    if embedded > 0 {
        // Every current article's vector, so articles that left the corpus
        // leave the table too.
        let rows: Vec<(String, String)> = story_docs
            .iter()
            .filter_map(|d| {
                let e = StoredEmbedding::encode(d.embedding.as_ref()?);
                Some((d.id.clone(), serde_json::to_string(&e).ok()?))
            })
            .collect();
        store.put_table(EMBEDDINGS, &rows)?;
    }
    store.put_table(
        TIMELINE,
        &entries
            .iter()
            .map(|e| Ok((e.id.clone(), serde_json::to_string(e)?)))
            .collect::<std::result::Result<Vec<_>, serde_json::Error>>()?,
    )?;
    store.put_table(
        STORIES,
        &stories
            .iter()
            .map(|s| Ok((s.id.clone(), serde_json::to_string(s)?)))
            .collect::<std::result::Result<Vec<_>, serde_json::Error>>()?,
    )?;
    store.put_table(
        CORPUS_META,
        &[(BUILT_FROM.to_string(), metas.len().to_string())],
    )?;
    store.commit()?;
    Ok(CorpusSummary {
        seconds: started.elapsed().as_secs_f64(),
        ..summary
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{to_document, AnnotateOptions};
    use kroniek_formats::{Format, RawDoc};
    use kroniek_model::TimelineEntry;
    use kroniek_store::{EmbeddedStore, NewDoc};

    fn put(store: &EmbeddedStore, date: &str, title: &str, text: &str) -> String {
        let raw = RawDoc {
            source: format!("{title}.txt"),
            format: Format::Text,
            title: Some(title.into()),
            text: text.into(),
            date: Some(date.parse().unwrap()),
            date_evidence: None,
            url: None,
            lang: None,
            external_id: None,
        };
        let doc = to_document(raw, &AnnotateOptions::default());
        store
            .put(&NewDoc {
                doc: &doc,
                source: &doc.source,
                signature: None,
                bands: &[],
            })
            .unwrap();
        doc.id
    }

    fn stories(store: &EmbeddedStore) -> Vec<Story> {
        crate::query::stories(store).unwrap()
    }

    #[test]
    fn rebuild_writes_tables_and_keeps_story_ids() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let a = put(&store, "2024-07-18", "Centcom", "Islamitische Staat heeft 153 aanslagen opgeëist in Irak en Syrië. In 2014 riep IS een kalifaat uit in grote delen van Irak en Syrië.");
        let b = put(&store, "2014-07", "Profiel", "Abu Bakr al-Baghdadi werd in 1971 geboren. Op 29 juni riep IS een kalifaat uit in Irak en Syrië.");
        store.commit().unwrap();
        let s1 = rebuild_corpus(&store).unwrap();
        assert_eq!(s1.documents, 2);
        assert!(s1.timeline_entries >= 2, "{s1:?}");
        let t: Vec<TimelineEntry> = crate::query::timeline(&store, &Default::default())
            .unwrap()
            .events;
        let kal = t
            .iter()
            .find(|e| e.sources.len() == 2)
            .unwrap_or_else(|| panic!("caliphate merged: {t:#?}"));
        assert_eq!(kal.date, "2014-06-29");
        let before = stories(&store);
        assert!(!before.is_empty());

        // More articles: earlier stories keep their ids and members.
        let c = put(&store, "2019-10-27", "Baghdadi dood", "Abu Bakr al-Baghdadi is gedood bij een Amerikaanse actie in Idlib. In 2014 riep hij een kalifaat uit in Irak en Syrië.");
        store.commit().unwrap();
        rebuild_corpus(&store).unwrap();
        let after = stories(&store);
        for s in &before {
            let t = after.iter().find(|t| t.id == s.id).expect("story kept");
            assert!(
                s.docs.iter().all(|d| t.docs.contains(d)),
                "{before:#?} {after:#?}"
            );
        }
        let all: Vec<&String> = after.iter().flat_map(|s| &s.docs).collect();
        for id in [&a, &b, &c] {
            assert_eq!(all.iter().filter(|d| **d == id).count(), 1);
        }
    }

    #[test]
    fn every_entry_gets_its_own_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        // The same clause twice in one article, and one clause with two dates.
        put(&store, "2020-01-10", "Herhaling", "In 2014 riep IS een kalifaat uit. Later meer. In 2014 riep IS een kalifaat uit. In 2015 en in 2016 vielen er aanslagen in Parijs en Brussel.");
        put(
            &store,
            "2021-05-01",
            "Anders",
            "In maart 2019 verloor IS zijn laatste gebied in Syrië. In 2017 viel Raqqa.",
        );
        store.commit().unwrap();
        let s = rebuild_corpus(&store).unwrap();
        let rows = store.table(TIMELINE).unwrap();
        assert_eq!(
            rows.len(),
            s.timeline_entries,
            "no entry overwrites another"
        );
        assert!(is_current(&store).unwrap());
    }

    #[test]
    fn encoder_brings_languages_together_when_installed() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let nl = put(&store, "2008-03-01", "Europese concurrent wint contract voor tankvliegtuigen", "De Amerikaanse luchtmacht heeft het contract voor nieuwe tankvliegtuigen gegund aan een Europese concurrent. Het gaat om 179 toestellen.");
        let en = put(&store, "2008-03-01", "European rival wins aerial refuelling tanker contract", "The US Air Force awarded the contract for new refuelling tankers to a European rival. The deal covers 179 aircraft.");
        let other = put(
            &store,
            "2008-03-01",
            "Aandelen dalen",
            "De beurzen in Azië sloten vrijdag fors lager na slechte cijfers.",
        );
        store.commit().unwrap();
        let together = |store: &EmbeddedStore| {
            stories(store)
                .iter()
                .any(|s| s.docs.contains(&nl) && s.docs.contains(&en))
        };
        let lexical = rebuild_corpus_with(
            &store,
            &CorpusOptions {
                no_encoder: true,
                ..CorpusOptions::default()
            },
        )
        .unwrap();
        assert_eq!(lexical.embedded, 0);
        assert!(
            !together(&store),
            "no shared names: apart without the encoder"
        );
        assert!(store.table(EMBEDDINGS).unwrap().is_empty());
        if kroniek_encoder::shared().is_none() {
            eprintln!("skipped the encoder part: no sentence encoder installed");
            return;
        }
        // A fresh corpus (the lexical run fixed the stories above).
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        for (date, title, text) in [
            ("2008-03-01", "Europese concurrent wint contract voor tankvliegtuigen", "De Amerikaanse luchtmacht heeft het contract voor nieuwe tankvliegtuigen gegund aan een Europese concurrent. Het gaat om 179 toestellen."),
            ("2008-03-01", "European rival wins aerial refuelling tanker contract", "The US Air Force awarded the contract for new refuelling tankers to a European rival. The deal covers 179 aircraft."),
            ("2008-03-01", "Aandelen dalen", "De beurzen in Azië sloten vrijdag fors lager na slechte cijfers."),
        ] {
            put(&store, date, title, text);
        }
        store.commit().unwrap();
        let s = rebuild_corpus(&store).unwrap();
        assert_eq!(s.embedded, 3);
        assert!(together(&store), "{:#?}", stories(&store));
        assert!(!stories(&store)
            .iter()
            .any(|s| s.docs.contains(&other) && s.docs.len() > 1));
        assert_eq!(store.table(EMBEDDINGS).unwrap().len(), 3);
        // Embedded once: a rebuild reuses the stored vectors.
        assert_eq!(rebuild_corpus(&store).unwrap().embedded, 0);
    }
}
