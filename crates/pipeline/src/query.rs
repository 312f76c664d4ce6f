//! Reading the corpus-level tables: entities, stories and the timeline.
//!
//! The corpus stages write these tables into the store (one JSON row per
//! entity, story or timeline entry); the CLI and the server read them
//! through the functions here, so both answer the same way.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use kroniek_model::{EntityRecord, PartialDate, Story, Timeline, TimelineEntry, TimelineQuery};
use kroniek_store::{SearchQuery, Store, StoreError};

/// Table of [`EntityRecord`]s, keyed by entity id.
pub const ENTITIES: &str = "entities";
/// Table of [`Story`]s, keyed by story id.
pub const STORIES: &str = "stories";
/// Table of [`TimelineEntry`]s, keyed by entry id.
pub const TIMELINE: &str = "timeline";

/// Most articles a `query` may select for a timeline.
const MAX_QUERY_DOCS: usize = 10_000;

/// Why a corpus query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no entity is called {0:?} (try `kroniek entities`)")]
    UnknownEntity(String),
    #[error("no story has id {0:?} (try `kroniek stories`)")]
    UnknownStory(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("corpus table {table} holds an unreadable row {key:?}: {error}")]
    BadRow {
        table: &'static str,
        key: String,
        error: serde_json::Error,
    },
}

fn rows<T: serde::de::DeserializeOwned>(
    store: &dyn Store,
    table: &'static str,
) -> Result<Vec<T>, QueryError> {
    store
        .table(table)?
        .into_iter()
        .map(|(key, json)| {
            serde_json::from_str(&json).map_err(|error| QueryError::BadRow { table, key, error })
        })
        .collect()
}

fn row<T: serde::de::DeserializeOwned>(
    store: &dyn Store,
    table: &'static str,
    key: &str,
) -> Result<Option<T>, QueryError> {
    match store.table_row(table, key)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|error| QueryError::BadRow {
                table,
                key: key.to_string(),
                error,
            }),
    }
}

/// Every entity, most mentioned first.
pub fn entities(store: &dyn Store) -> Result<Vec<EntityRecord>, QueryError> {
    let mut all: Vec<EntityRecord> = rows(store, ENTITIES)?;
    all.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(all)
}

/// The key names are compared by, here as in the linker that made the
/// entities: case, diacritics, possessives and a leading article ignored,
/// so that "syrie" finds "Syrië" and "de VS" finds "VS".
pub use kroniek_entities::name_key;

/// The entity with this id, or else the one with this name or alias
/// (ignoring case and diacritics; the most mentioned one when several
/// share it).
pub fn entity(store: &dyn Store, id_or_name: &str) -> Result<Option<EntityRecord>, QueryError> {
    if let Some(e) = row(store, ENTITIES, id_or_name)? {
        return Ok(Some(e));
    }
    let key = name_key(id_or_name);
    if key.is_empty() {
        return Ok(None);
    }
    Ok(entities(store)?
        .into_iter()
        .find(|e| name_key(&e.name) == key || e.aliases.iter().any(|a| name_key(a) == key)))
}

/// Every story, latest first.
pub fn stories(store: &dyn Store) -> Result<Vec<Story>, QueryError> {
    let mut all: Vec<Story> = rows(store, STORIES)?;
    all.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.id.cmp(&b.id)));
    Ok(all)
}

/// One story by id.
pub fn story(store: &dyn Store, id: &str) -> Result<Option<Story>, QueryError> {
    row(store, STORIES, id)
}

/// The parsed `timeline` table, cached per table generation: a server
/// answering many timeline requests parses the table once per write.
fn timeline_rows(store: &dyn Store) -> Result<Arc<Vec<TimelineEntry>>, QueryError> {
    static CACHE: Mutex<Option<(String, Arc<Vec<TimelineEntry>>)>> = Mutex::new(None);
    let Some(generation) = store.table_generation(TIMELINE)? else {
        return Ok(Arc::new(sorted(rows(store, TIMELINE)?)));
    };
    if let Some((g, rows)) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
        if *g == generation {
            return Ok(rows.clone());
        }
    }
    let parsed = Arc::new(sorted(rows::<TimelineEntry>(store, TIMELINE)?));
    *CACHE.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, parsed.clone()));
    Ok(parsed)
}

/// Timeline order: by date (values that are not plain dates last), then
/// by number of sources, most first, then by id.
fn sorted(mut events: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    let mut keyed: Vec<(Option<PartialDate>, TimelineEntry)> = events
        .drain(..)
        .map(|e| (e.date.parse::<PartialDate>().ok(), e))
        .collect();
    keyed.sort_by(|(da, a), (db, b)| {
        match (da, db) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.date.cmp(&b.date),
        }
        .then_with(|| b.sources.len().cmp(&a.sources.len()))
        .then_with(|| a.id.cmp(&b.id))
    });
    keyed.into_iter().map(|(_, e)| e).collect()
}

/// Whether a TIMEX3 date value overlaps the `from`..=`to` range. Values that
/// are not plain dates (`2019-SU`, `PAST_REF`) only pass when no range is
/// set.
fn in_range(value: &str, from: Option<PartialDate>, to: Option<PartialDate>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Ok(d) = value.parse::<PartialDate>() else {
        return false;
    };
    from.is_none_or(|f| d.last_day() >= f.first_day())
        && to.is_none_or(|t| d.first_day() <= t.last_day())
}

/// The timeline entries that match `q`, sorted by date (undatable values
/// last), then by number of sources, most first.
pub fn timeline(store: &dyn Store, q: &TimelineQuery) -> Result<Timeline, QueryError> {
    let entity = match q.entity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => {
            Some(entity(store, name)?.ok_or_else(|| QueryError::UnknownEntity(name.to_string()))?)
        }
    };
    let story_docs: Option<HashSet<String>> =
        match q.story.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(id) => Some(
                story(store, id)?
                    .ok_or_else(|| QueryError::UnknownStory(id.to_string()))?
                    .docs
                    .into_iter()
                    .collect(),
            ),
        };
    let query_docs: Option<HashSet<String>> =
        match q.query.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let mut sq = SearchQuery::new(text);
                sq.limit = MAX_QUERY_DOCS;
                Some(store.search_ids(&sq)?.into_iter().collect())
            }
        };
    let reported_in = |e: &TimelineEntry, docs: &Option<HashSet<String>>| match docs {
        None => true,
        Some(docs) => e.sources.iter().any(|s| docs.contains(&s.doc)),
    };
    let all = timeline_rows(store)?;
    let events: Vec<TimelineEntry> = all
        .iter()
        .filter(|e| {
            entity
                .as_ref()
                .is_none_or(|ent| e.entities.contains(&ent.id))
        })
        .filter(|e| reported_in(e, &story_docs) && reported_in(e, &query_docs))
        .filter(|e| in_range(&e.date, q.from, q.to))
        .take(q.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    Ok(Timeline { events })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::{Certainty, Dct, Document, TimelineSource};
    use kroniek_store::{EmbeddedStore, NewDoc};

    fn entry(id: &str, date: &str, entities: &[&str], docs: &[&str]) -> (String, String) {
        let e = TimelineEntry {
            id: id.into(),
            date: date.into(),
            kind: "declaration".into(),
            title: id.into(),
            text: format!("sentence of {id}"),
            entities: entities.iter().map(|s| s.to_string()).collect(),
            certainty: Certainty::Certain,
            conflicts: vec![],
            sources: docs
                .iter()
                .map(|d| TimelineSource {
                    doc: d.to_string(),
                    title: None,
                    dct: None,
                    sentence: String::new(),
                })
                .collect(),
        };
        (id.to_string(), serde_json::to_string(&e).unwrap())
    }

    fn fixture() -> (tempfile::TempDir, EmbeddedStore, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let mut ids = vec![];
        for text in [
            "Islamitische Staat riep een kalifaat uit in Mosul.",
            "De verkiezingen in Nederland werden gewonnen door de PVV.",
        ] {
            let d = Document::new("t", None, text.to_string(), Dct::none());
            store
                .put(&NewDoc {
                    doc: &d,
                    source: "t",
                    signature: None,
                    bands: &[],
                })
                .unwrap();
            ids.push(d.id);
        }
        let is = EntityRecord {
            id: "e-is".into(),
            name: "Islamitische Staat".into(),
            kind: "ORG".into(),
            aliases: vec!["IS".into(), "Islamic State".into()],
            mentions: 9,
            first_seen: None,
            last_seen: None,
        };
        let syria = EntityRecord {
            id: "e-syria".into(),
            name: "Syrië".into(),
            kind: "LOC".into(),
            aliases: vec!["Syria".into()],
            mentions: 3,
            first_seen: None,
            last_seen: None,
        };
        store
            .put_table(
                ENTITIES,
                &[
                    ("e-is".into(), serde_json::to_string(&is).unwrap()),
                    ("e-syria".into(), serde_json::to_string(&syria).unwrap()),
                ],
            )
            .unwrap();
        let story = Story {
            id: "s1".into(),
            title: "IS".into(),
            docs: vec![ids[0].clone()],
            first: None,
            last: None,
        };
        store
            .put_table(
                STORIES,
                &[("s1".into(), serde_json::to_string(&story).unwrap())],
            )
            .unwrap();
        store
            .put_table(
                TIMELINE,
                &[
                    entry("t1", "2019-03", &["e-is", "e-syria"], &[&ids[0]]),
                    entry("t2", "2014-06", &["e-is"], &[&ids[0], "x"]),
                    entry("t3", "2023-11-22", &[], &[&ids[1]]),
                    entry("t4", "PAST_REF", &["e-is"], &[&ids[0]]),
                ],
            )
            .unwrap();
        store.commit().unwrap();
        let (a, b) = (ids[0].clone(), ids[1].clone());
        (dir, store, a, b)
    }

    fn ids(t: &Timeline) -> Vec<&str> {
        t.events.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn entity_by_id_name_or_alias() {
        let (_d, store, _, _) = fixture();
        assert_eq!(entity(&store, "e-is").unwrap().unwrap().id, "e-is");
        assert_eq!(
            entity(&store, "islamic  state").unwrap().unwrap().id,
            "e-is"
        );
        assert_eq!(entity(&store, "SYRIE").unwrap().unwrap().id, "e-syria");
        assert!(entity(&store, "Irak").unwrap().is_none());
        assert_eq!(
            entities(&store).unwrap()[0].id,
            "e-is",
            "most mentioned first"
        );
    }

    #[test]
    fn timeline_filters_and_sorts() {
        let (_d, store, _, _) = fixture();
        let all = timeline(&store, &TimelineQuery::default()).unwrap();
        assert_eq!(ids(&all), ["t2", "t1", "t3", "t4"]);

        let q = TimelineQuery {
            entity: Some("Syria".into()),
            ..Default::default()
        };
        assert_eq!(ids(&timeline(&store, &q).unwrap()), ["t1"]);

        let q = TimelineQuery {
            from: Some("2015".parse().unwrap()),
            to: Some("2023-11".parse().unwrap()),
            ..Default::default()
        };
        assert_eq!(ids(&timeline(&store, &q).unwrap()), ["t1", "t3"]);

        let q = TimelineQuery {
            story: Some("s1".into()),
            limit: Some(2),
            ..Default::default()
        };
        assert_eq!(ids(&timeline(&store, &q).unwrap()), ["t2", "t1"]);

        let q = TimelineQuery {
            query: Some("verkiezingen".into()),
            ..Default::default()
        };
        assert_eq!(ids(&timeline(&store, &q).unwrap()), ["t3"]);
    }

    #[test]
    fn unknown_names_are_clear_errors() {
        let (_d, store, _, _) = fixture();
        let q = TimelineQuery {
            entity: Some("Nobody".into()),
            ..Default::default()
        };
        let err = timeline(&store, &q).unwrap_err();
        assert!(err.to_string().contains("Nobody"), "{err}");
        let q = TimelineQuery {
            story: Some("nope".into()),
            ..Default::default()
        };
        assert!(matches!(
            timeline(&store, &q),
            Err(QueryError::UnknownStory(_))
        ));
    }

    #[test]
    fn a_rewritten_timeline_is_seen_at_once() {
        let (_d, store, a, _) = fixture();
        assert_eq!(
            timeline(&store, &TimelineQuery::default())
                .unwrap()
                .events
                .len(),
            4
        );
        store
            .put_table(TIMELINE, &[entry("t9", "2020", &[], &[&a])])
            .unwrap();
        store.commit().unwrap();
        let t = timeline(&store, &TimelineQuery::default()).unwrap();
        assert_eq!(ids(&t), ["t9"], "the cache follows the table's generation");
    }
}
