//! Cross-article entity linking over a store.
//!
//! The corpus-level [`Linker`] lives in the corpus table [`LINKER`]: its
//! state (`state`) and how many documents, in store order, it has seen
//! (`documents`). Ingest links each new document just before storing it
//! ([`Inline`]), in the order documents are stored, so each is written once
//! with its corpus entity ids; the state and the table
//! [`ENTITIES`](crate::query::ENTITIES) (one
//! [`EntityRecord`](kroniek_model::EntityRecord) per entity) are written in
//! the same commit as the documents the linker has seen, so a kill leaves
//! either the old or the new state, never documents linked but not counted.
//!
//! [`link`] catches up with documents stored without linking (an ingest
//! with `corpus: false`, older stores, other code paths): it reads the
//! documents stored since the last run, links them, writes the entity ids
//! back into each document (`entities[].entity`, through [`Store::update`])
//! and commits documents, state and records together. After an ingest it
//! finds nothing to do.

use std::collections::HashMap;

use kroniek_entities::Linker;
use kroniek_model::{Document, PartialDate};
use kroniek_store::{Store, StoreError};
use serde::Serialize;

use crate::query::ENTITIES;

/// Corpus table holding the linker's state.
pub const LINKER: &str = "linker";
/// Row of [`LINKER`] with the serialised [`Linker`].
const STATE: &str = "state";
/// Row of [`LINKER`] with the number of documents already linked.
const SEEN: &str = "documents";
/// Commit (documents, state and records) at least this often.
const COMMIT_EVERY: usize = 5000;

/// What a linking run did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LinkSummary {
    /// Documents linked in this run.
    pub documents: usize,
    /// Entity mentions in those documents.
    pub mentions: usize,
    /// Corpus entities after the run.
    pub entities: usize,
}

fn bad_state(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!(
        "corpus table {LINKER:?} row {what:?} is unreadable ({e}); \
         re-ingest into a fresh store to rebuild it"
    ))
}

/// Loads the persisted linker and the number of documents it has seen.
fn load(store: &dyn Store) -> Result<(Linker, usize), StoreError> {
    let linker = match store.table_row(LINKER, STATE)? {
        Some(json) => serde_json::from_str(&json).map_err(|e| bad_state(STATE, e))?,
        None => Linker::new(),
    };
    let seen = match store.table_row(LINKER, SEEN)? {
        Some(n) => n.trim().parse().map_err(|e| bad_state(SEEN, e))?,
        None => 0,
    };
    Ok((linker, seen))
}

/// Writes the linker state and the entity records (not yet committed).
fn save(store: &dyn Store, linker: &Linker, seen: usize) -> Result<(), StoreError> {
    store.put_table(
        LINKER,
        &[
            (SEEN.to_string(), seen.to_string()),
            (STATE.to_string(), serde_json::to_string(linker)?),
        ],
    )?;
    let rows: Vec<(String, String)> = linker
        .records()
        .iter()
        .map(|r| Ok((r.id.clone(), serde_json::to_string(r)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    store.put_table(ENTITIES, &rows)
}

/// Links the documents stored since the last run and commits.
pub fn link(store: &dyn Store) -> Result<LinkSummary, StoreError> {
    // Nothing stored since the last run: skip loading the state.
    if up_to_date(store)? {
        return Ok(LinkSummary {
            entities: store.table(ENTITIES)?.len(),
            ..LinkSummary::default()
        });
    }
    let started = std::time::Instant::now();
    let (mut linker, mut seen) = load(store)?;
    let summary = catch_up(store, &mut linker, &mut seen)?;
    tracing::info!(
        documents = summary.documents,
        mentions = summary.mentions,
        entities = summary.entities,
        seconds = started.elapsed().as_secs_f64(),
        "entity linking"
    );
    Ok(summary)
}

/// Whether the linker has seen every (committed) stored document (`false`
/// for a store never linked).
fn up_to_date(store: &dyn Store) -> Result<bool, StoreError> {
    Ok(match store.table_row(LINKER, SEEN)? {
        Some(n) => n.trim().parse::<u64>().ok() == Some(store.stats()?.documents),
        None => false,
    })
}

/// Links the stored documents `linker` has not seen, writes them back and
/// commits them with the state (when there were any).
fn catch_up(
    store: &dyn Store,
    linker: &mut Linker,
    seen: &mut usize,
) -> Result<LinkSummary, StoreError> {
    let mut summary = LinkSummary::default();
    // Documents are read in batches and written back after each, so that
    // memory stays flat over a large ingest.
    let mut changed = false;
    let mut batch = Vec::new();
    for doc in store.documents()?.skip(*seen) {
        batch.push(doc?);
        if batch.len() >= COMMIT_EVERY {
            *seen += link_batch(store, linker, &mut batch, &mut summary)?;
            save(store, linker, *seen)?;
            store.commit()?;
        }
    }
    if !batch.is_empty() {
        *seen += link_batch(store, linker, &mut batch, &mut summary)?;
        changed = true;
    }
    if changed {
        save(store, linker, *seen)?;
        store.commit()?;
    }
    summary.entities = linker.records().len();
    Ok(summary)
}

/// Links one document's mentions to corpus entities, then points its
/// events, claims and quotes at the new ids. Returns its mention count.
fn link_doc(linker: &mut Linker, doc: &mut Document) -> usize {
    if doc.entities.is_empty() {
        return 0;
    }
    let before: Vec<Option<String>> = doc.entities.iter().map(|m| m.entity.clone()).collect();
    linker.add(doc);
    // Events, claims and quotes name their participants and speakers
    // by the ids the mentions had before linking.
    kroniek_events::remap_entities(doc, &before);
    doc.entities.len()
}

/// Linking during an ingest: each new document is linked just before it
/// is stored, in store order, and the state is saved (not committed) with
/// [`Inline::save`] before every commit of the ingest.
///
/// The ingest must be the store's only writer while this is alive. If it
/// is dropped with documents stored since the last save (an error or panic
/// ended the ingest, and the store may still commit what was put when it
/// is closed), it saves the state for exactly the documents stored, so
/// they are never linked a second time.
pub(crate) struct Inline<'s> {
    store: &'s dyn Store,
    /// Loaded when the first document is linked (an ingest that adds
    /// nothing does not read the state).
    linker: Option<Linker>,
    /// Documents in the store the linker has seen (committed or not).
    seen: usize,
    /// `seen` at the last save.
    saved: usize,
    summary: LinkSummary,
    /// Time spent linking and saving (the ingest runs in between).
    busy: std::time::Duration,
}

impl<'s> Inline<'s> {
    /// Loads the state and first links any stored documents it has not
    /// seen (committing them), so that the next document stored is the
    /// next the linker sees.
    pub(crate) fn start(store: &'s dyn Store) -> Result<Self, StoreError> {
        let started = std::time::Instant::now();
        let (linker, seen, summary) = if up_to_date(store)? {
            let seen = store.stats()?.documents as usize;
            (None, seen, LinkSummary::default())
        } else {
            let (mut linker, mut seen) = load(store)?;
            let summary = catch_up(store, &mut linker, &mut seen)?;
            (Some(linker), seen, summary)
        };
        Ok(Self {
            store,
            linker,
            seen,
            saved: seen,
            summary,
            busy: started.elapsed(),
        })
    }

    /// Links a document that is about to be stored as a new document (the
    /// store does not [contain](Store::contains) it). Call
    /// [`Inline::stored`] once it is.
    pub(crate) fn link(&mut self, doc: &mut Document) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let linker = match self.linker.take() {
            Some(linker) => linker,
            None => load(self.store)?.0,
        };
        let linker = self.linker.insert(linker);
        self.summary.mentions += link_doc(linker, doc);
        self.busy += started.elapsed();
        Ok(())
    }

    /// Counts a document added to the store (linked or without mentions).
    pub(crate) fn stored(&mut self) {
        self.seen += 1;
        self.summary.documents += 1;
    }

    /// Writes the state and entity records into the store's open batch, to
    /// be committed with the documents linked so far.
    pub(crate) fn save(&mut self) -> Result<(), StoreError> {
        if let (Some(linker), true) = (&self.linker, self.seen != self.saved) {
            let started = std::time::Instant::now();
            save(self.store, linker, self.seen)?;
            self.saved = self.seen;
            self.busy += started.elapsed();
        }
        Ok(())
    }

    /// Logs what the linking did (as [`link`] does).
    pub(crate) fn finish(mut self) -> Result<LinkSummary, StoreError> {
        self.save()?;
        let mut summary = std::mem::take(&mut self.summary);
        summary.entities = match &self.linker {
            Some(linker) => linker.records().len(),
            None => self.store.table(ENTITIES)?.len(),
        };
        tracing::info!(
            documents = summary.documents,
            mentions = summary.mentions,
            entities = summary.entities,
            seconds = self.busy.as_secs_f64(),
            "entity linking (during ingest)"
        );
        Ok(summary)
    }
}

impl Drop for Inline<'_> {
    fn drop(&mut self) {
        if let (Some(linker), true) = (&self.linker, self.seen != self.saved) {
            if let Err(e) = save(self.store, linker, self.seen) {
                tracing::error!(error = %e, "saving the linker state after a failed ingest");
            }
        }
    }
}

/// Sets the first and last dates of every corpus entity anew from the
/// creation times of the linked documents that mention it (`seen`: entity
/// id → earliest and latest), after documents were re-dated
/// ([`crate::dating`]); writes state and records without committing. Does
/// nothing when nothing was ever linked.
pub(crate) fn redate(
    store: &dyn Store,
    seen: &HashMap<String, (PartialDate, PartialDate)>,
) -> Result<(), StoreError> {
    if store.table_row(LINKER, STATE)?.is_none() {
        return Ok(());
    }
    let (mut linker, count) = load(store)?;
    linker.set_dates(seen);
    save(store, &linker, count)
}

/// Links and writes back one batch of documents; returns how many.
fn link_batch(
    store: &dyn Store,
    linker: &mut Linker,
    batch: &mut Vec<Document>,
    summary: &mut LinkSummary,
) -> Result<usize, StoreError> {
    let n = batch.len();
    for mut doc in batch.drain(..) {
        summary.documents += 1;
        if doc.entities.is_empty() {
            continue;
        }
        summary.mentions += link_doc(linker, &mut doc);
        store.update(&doc)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::{Dct, Document, EntityMention};
    use kroniek_store::{EmbeddedStore, NewDoc};
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn put(store: &dyn Store, text: &str, date: &str, mentions: &[(&str, &str)]) -> String {
        let mut d = Document::new(
            "t",
            None,
            text.to_string(),
            Dct::given(date.parse().unwrap(), "test"),
        );
        for (i, (s, l)) in mentions.iter().enumerate() {
            let b = text.find(s).unwrap();
            let start = text[..b].chars().count();
            d.entities.push(EntityMention {
                start,
                end: start + s.chars().count(),
                text: s.to_string(),
                label: l.to_string(),
                entity: Some(format!("local:{i}")),
            });
        }
        store
            .put(&NewDoc {
                doc: &d,
                source: "t",
                signature: None,
                bands: &[],
            })
            .unwrap();
        store.commit().unwrap();
        d.id
    }

    fn ids(store: &dyn Store, id: &str) -> Vec<String> {
        store
            .get(id)
            .unwrap()
            .unwrap()
            .doc
            .entities
            .iter()
            .map(|m| m.entity.clone().unwrap())
            .collect()
    }

    #[test]
    fn links_incrementally_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let a;
        {
            let store = EmbeddedStore::open(dir.path()).unwrap();
            a = put(
                &store,
                "Rutte in Syrië.",
                "2020-01-01",
                &[("Rutte", "PER"), ("Syrië", "LOC")],
            );
            let s = link(&store).unwrap();
            assert_eq!((s.documents, s.mentions, s.entities), (1, 2, 2));
            // Nothing new: nothing done.
            assert_eq!(link(&store).unwrap().documents, 0);
        }
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let b = put(
            &store,
            "Syria and Rutte.",
            "2021-05-02",
            &[("Syria", "LOC"), ("Rutte", "PER")],
        );
        let s = link(&store).unwrap();
        assert_eq!((s.documents, s.entities), (1, 2));
        let (ia, ib) = (ids(&store, &a), ids(&store, &b));
        assert_eq!(ia[0], ib[1], "Rutte");
        assert_eq!(ia[1], ib[0], "Syrië = Syria");
        let recs = crate::query::entities(&store).unwrap();
        assert_eq!(recs.len(), 2);
        let syria = crate::query::entity(&store, "Syria").unwrap().unwrap();
        assert_eq!(syria.id, ia[1]);
        assert_eq!(syria.mentions, 2);
        assert_eq!(syria.first_seen.unwrap().to_string(), "2020-01-01");
        assert_eq!(syria.last_seen.unwrap().to_string(), "2021-05-02");
    }

    /// An [`EmbeddedStore`] that counts puts and updates.
    struct Counting {
        inner: EmbeddedStore,
        puts: AtomicUsize,
        updates: AtomicUsize,
    }

    impl Store for Counting {
        fn put(&self, new: &NewDoc) -> kroniek_store::Result<kroniek_store::PutOutcome> {
            self.puts.fetch_add(1, Ordering::Relaxed);
            self.inner.put(new)
        }
        fn commit(&self) -> kroniek_store::Result<()> {
            self.inner.commit()
        }
        fn get(&self, id: &str) -> kroniek_store::Result<Option<kroniek_store::DocInfo>> {
            self.inner.get(id)
        }
        fn search(
            &self,
            q: &kroniek_store::SearchQuery,
        ) -> kroniek_store::Result<kroniek_store::SearchResult> {
            self.inner.search(q)
        }
        fn stats(&self) -> kroniek_store::Result<kroniek_store::Stats> {
            self.inner.stats()
        }
        fn file_done(&self, path: &str, fingerprint: &str) -> kroniek_store::Result<bool> {
            self.inner.file_done(path, fingerprint)
        }
        fn contains(&self, id: &str) -> kroniek_store::Result<bool> {
            self.inner.contains(id)
        }
        fn mark_file_done(&self, path: &str, fp: &str, summary: &str) -> kroniek_store::Result<()> {
            self.inner.mark_file_done(path, fp, summary)
        }
        fn documents(
            &self,
        ) -> kroniek_store::Result<Box<dyn Iterator<Item = kroniek_store::Result<Document>> + '_>>
        {
            self.inner.documents()
        }
        fn update(&self, doc: &Document) -> kroniek_store::Result<bool> {
            self.updates.fetch_add(1, Ordering::Relaxed);
            self.inner.update(doc)
        }
        fn put_table(&self, table: &str, rows: &[(String, String)]) -> kroniek_store::Result<()> {
            self.inner.put_table(table, rows)
        }
        fn table(&self, table: &str) -> kroniek_store::Result<Vec<(String, String)>> {
            self.inner.table(table)
        }
        fn table_row(&self, table: &str, key: &str) -> kroniek_store::Result<Option<String>> {
            self.inner.table_row(table, key)
        }
    }

    /// Four articles sharing entities; the third is undated and is dated
    /// from the first by the corpus step.
    fn corpus(dir: &std::path::Path) -> std::path::PathBuf {
        let corpus = dir.join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let w = |name: &str, body: &str| std::fs::write(corpus.join(name), body).unwrap();
        w(
            "a.txt",
            " date 2019-10-02\nIS verslagen\n\nIn 2019 verloor Islamitische Staat zijn laatste gebied in Syrië bij Baghuz. Koerdische strijders vierden feest. Mark Rutte reageerde verheugd.\n",
        );
        w(
            "b.txt",
            " date 2016-09-20\nBegroting\n\nHet kabinet van Mark Rutte presenteerde de begroting. De oppositie was kritisch over de plannen voor de zorg.\n",
        );
        w(
            "c.txt",
            "Terugkeer gevreesd\n\nIn maart verloor Islamitische Staat zijn laatste gebied in Syrië bij Baghuz. Nu vreest men een terugkeer van de strijders. Premier Rutte zei dat hij zich zorgen maakt.\n",
        );
        w(
            "d.txt",
            " date 2020-03-01\nRutte over Syria\n\nPrime minister Mark Rutte said in The Hague that Islamic State could return to Syria. He warned Kurdish fighters.\n",
        );
        corpus
    }

    /// What linking leaves in a store: each document's layers that carry
    /// entity ids, in store order, and the linker's tables.
    type Linked = (
        Vec<serde_json::Value>,
        Vec<(String, String)>,
        serde_json::Value,
    );

    fn linked(store: &dyn Store) -> Linked {
        let docs = store
            .documents()
            .unwrap()
            .map(|d| {
                let d = d.unwrap();
                serde_json::json!({
                    "id": d.id, "dct": d.dct, "entities": d.entities, "events": d.events,
                    "claims": d.claims, "quotes": d.quotes,
                })
            })
            .collect();
        let state: serde_json::Value =
            serde_json::from_str(&store.table_row(LINKER, STATE).unwrap().unwrap()).unwrap();
        let seen = store.table_row(LINKER, SEEN).unwrap().unwrap();
        assert_eq!(seen, store.stats().unwrap().documents.to_string());
        (docs, store.table(ENTITIES).unwrap(), state)
    }

    /// An ingest of `corpus` with the default options (corpus steps on).
    fn ingest_all(store: &dyn Store, corpus: &std::path::Path) -> crate::IngestSummary {
        crate::ingest(
            store,
            &[corpus.to_path_buf()],
            &Default::default(),
            &mut |_| {},
        )
        .unwrap()
    }

    /// The data flow before linking moved into the ingest: store unlinked,
    /// re-date, then link every new document and write it again.
    fn two_pass(store: &dyn Store, corpus: &std::path::Path) {
        let opts = crate::IngestOptions {
            corpus: false,
            ..Default::default()
        };
        crate::ingest(store, &[corpus.to_path_buf()], &opts, &mut |_| {}).unwrap();
        crate::refine_dates(store).unwrap();
        link(store).unwrap();
    }

    #[test]
    fn ingest_links_before_storing_as_the_two_pass_path_did() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = corpus(tmp.path());
        let store = Counting {
            inner: EmbeddedStore::open(&tmp.path().join("once")).unwrap(),
            puts: AtomicUsize::new(0),
            updates: AtomicUsize::new(0),
        };
        let s = ingest_all(&store, &corpus);
        assert_eq!(s.added, 4);
        assert_eq!(s.dating.refined, 1, "{:?}", s.dating);
        // Each document is put once; only the re-dated one is updated, by
        // the dating step.
        assert_eq!(store.puts.load(Ordering::Relaxed), 4);
        assert_eq!(store.updates.load(Ordering::Relaxed), 1);
        // Linking has nothing left to do.
        assert_eq!(link(&store).unwrap().documents, 0);
        let once = linked(&store);

        let old = EmbeddedStore::open(&tmp.path().join("two-pass")).unwrap();
        two_pass(&old, &corpus);
        let old = linked(&old);
        assert_eq!(once.0, old.0, "documents");
        assert_eq!(once.1, old.1, "entity records");
        assert_eq!(once.2, old.2, "linker state");
        // Entities were linked across the articles, with dates from the
        // re-dated article too.
        let rutte = once
            .1
            .iter()
            .find(|(_, r)| r.contains("Mark Rutte"))
            .unwrap();
        let rutte: kroniek_model::EntityRecord = serde_json::from_str(&rutte.1).unwrap();
        assert!(rutte.mentions >= 4, "{rutte:?}");
        assert_eq!(rutte.first_seen.unwrap().to_string(), "2016-09-20");
    }

    #[test]
    fn redated_events_name_the_linked_entities() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = corpus(tmp.path());
        let store = EmbeddedStore::open(&tmp.path().join("db")).unwrap();
        ingest_all(&store, &corpus);
        let mut participants = 0;
        for d in store.documents().unwrap() {
            let d = d.unwrap();
            let ids: Vec<&str> = d
                .entities
                .iter()
                .filter_map(|m| m.entity.as_deref())
                .collect();
            let names: Vec<&str> = d.entities.iter().map(|m| m.text.as_str()).collect();
            assert!(
                ids.iter().all(|id| kroniek_model::is_corpus_entity_id(id)),
                "{ids:?}"
            );
            let named = d
                .events
                .iter()
                .flat_map(|e| e.participants.iter())
                .chain(d.claims.iter().filter_map(|c| c.source_entity.as_ref()))
                .chain(d.quotes.iter().filter_map(|q| q.speaker_entity.as_ref()));
            for p in named {
                participants += 1;
                assert!(
                    ids.contains(&p.as_str()) || names.contains(&p.as_str()),
                    "{p} in {}: {ids:?}",
                    d.text
                );
            }
        }
        assert!(participants > 0);
    }

    #[test]
    fn an_interrupted_ingest_resumes_linking_each_document_once() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let people = [
            "Mark Rutte",
            "Sigrid Kaag",
            "Wopke Hoekstra",
            "Rutte",
            "Kaag",
        ];
        let places = ["Syrië", "Irak", "Den Haag", "Baghdad"];
        for i in 0..12 {
            let body = format!(
                " date 2020-01-{:02}\nBericht {i}\n\n{} reisde naar {}. Daar sprak {} met {} over Islamitische Staat.\n",
                i + 1,
                people[i % 5],
                places[i % 4],
                people[(i + 2) % 5],
                people[(i + 3) % 5],
            );
            std::fs::write(corpus.join(format!("{i:02}.txt")), body).unwrap();
        }
        let clean = EmbeddedStore::open(&tmp.path().join("clean")).unwrap();
        ingest_all(&clean, &corpus);
        let clean = linked(&clean);
        assert_eq!(clean.0.len(), 12);

        // A kill mid-batch (the open batch is lost), and a failure whose
        // open batch the store commits when it is dropped.
        for commit_pending in [false, true] {
            let db = tmp.path().join(format!("db-{commit_pending}"));
            let store = EmbeddedStore::open(&db).unwrap();
            let opts = crate::IngestOptions {
                batch: 1,
                commit_every: 3,
                ..Default::default()
            };
            let mut files = 0;
            let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                crate::ingest(&store, std::slice::from_ref(&corpus), &opts, &mut |p| {
                    if let crate::Progress::File(_) = p {
                        files += 1;
                        assert!(files < 8, "interrupted");
                    }
                })
            }));
            assert!(failed.is_err());
            store.simulate_crash(commit_pending).unwrap();
            let store = EmbeddedStore::open(&db).unwrap();
            let stored = store.stats().unwrap().documents;
            assert!(stored > 0 && stored < 12, "{stored}");
            // Whatever was committed, its linker state was committed with it.
            assert_eq!(
                store.table_row(LINKER, SEEN).unwrap().unwrap(),
                stored.to_string()
            );
            let s = ingest_all(&store, &corpus);
            assert_eq!(s.added as u64, 12 - stored);
            assert_eq!(link(&store).unwrap().documents, 0);
            let resumed = linked(&store);
            assert_eq!(resumed.0, clean.0, "documents ({commit_pending})");
            assert_eq!(resumed.1, clean.1, "entity records ({commit_pending})");
            assert_eq!(resumed.2, clean.2, "linker state ({commit_pending})");
        }
    }

    #[test]
    fn ingest_first_links_documents_stored_without_linking() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = corpus(tmp.path());
        let stores: Vec<EmbeddedStore> = ["once", "two-pass"]
            .iter()
            .map(|n| EmbeddedStore::open(&tmp.path().join(n)).unwrap())
            .collect();
        for store in &stores {
            // Stored by other code, unlinked.
            put(
                store,
                "Rutte in Syrië.",
                "2020-01-01",
                &[("Rutte", "PER"), ("Syrië", "LOC")],
            );
        }
        ingest_all(&stores[0], &corpus);
        two_pass(&stores[1], &corpus);
        assert_eq!(linked(&stores[0]), linked(&stores[1]));
    }

    #[test]
    fn unreadable_state_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        store
            .put_table(LINKER, &[(STATE.into(), "{not json".into())])
            .unwrap();
        store.commit().unwrap();
        let err = link(&store).unwrap_err().to_string();
        assert!(err.contains("linker"), "{err}");
    }
}
