//! Cross-article entity linking over a store, run after every ingest.
//!
//! The corpus-level [`Linker`] lives in the corpus table [`LINKER`]: its
//! state (`state`) and how many documents, in store order, it has seen
//! (`documents`). A run reads only the documents stored since then, links
//! their mentions to corpus entities, writes the entity ids back into each
//! document (`entities[].entity`, through [`Store::update`]) and rewrites
//! the table [`ENTITIES`](crate::query::ENTITIES) with one
//! [`EntityRecord`](kroniek_model::EntityRecord) per entity. State, updated
//! documents and records are committed together, so a kill leaves either
//! the old or the new state.

use kroniek_entities::Linker;
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
    if let Some(n) = store.table_row(LINKER, SEEN)? {
        if n.trim().parse::<u64>().ok() == Some(store.stats()?.documents) {
            return Ok(LinkSummary {
                entities: store.table(ENTITIES)?.len(),
                ..LinkSummary::default()
            });
        }
    }
    let started = std::time::Instant::now();
    let (mut linker, mut seen) = load(store)?;
    let mut summary = LinkSummary::default();
    // Documents are read in batches and written back after each, so that
    // memory stays flat over a large ingest.
    let mut changed = false;
    let mut batch = Vec::new();
    for doc in store.documents()?.skip(seen) {
        batch.push(doc?);
        if batch.len() >= COMMIT_EVERY {
            seen += link_batch(store, &mut linker, &mut batch, &mut summary)?;
            save(store, &linker, seen)?;
            store.commit()?;
        }
    }
    if !batch.is_empty() {
        seen += link_batch(store, &mut linker, &mut batch, &mut summary)?;
        changed = true;
    }
    if changed {
        save(store, &linker, seen)?;
        store.commit()?;
    }
    summary.entities = linker.records().len();
    tracing::info!(
        documents = summary.documents,
        mentions = summary.mentions,
        entities = summary.entities,
        seconds = started.elapsed().as_secs_f64(),
        "entity linking"
    );
    Ok(summary)
}

/// Links and writes back one batch of documents; returns how many.
fn link_batch(
    store: &dyn Store,
    linker: &mut Linker,
    batch: &mut Vec<kroniek_model::Document>,
    summary: &mut LinkSummary,
) -> Result<usize, StoreError> {
    let n = batch.len();
    for mut doc in batch.drain(..) {
        summary.documents += 1;
        if doc.entities.is_empty() {
            continue;
        }
        summary.mentions += doc.entities.len();
        let before: Vec<Option<String>> = doc.entities.iter().map(|m| m.entity.clone()).collect();
        linker.add(&mut doc);
        // Events, claims and quotes name their participants and speakers
        // by the ids the mentions had before linking.
        kroniek_events::remap_entities(&mut doc, &before);
        store.update(&doc)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::{Dct, Document, EntityMention};
    use kroniek_store::{EmbeddedStore, NewDoc};

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
