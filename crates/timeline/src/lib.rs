//! The corpus-level stage of Kroniek: cross-article merging of dated event
//! mentions into timeline entries, and story clustering.
//!
//! Pure functions over annotated [`Document`]s; the pipeline reads the
//! documents from the store, calls [`build_timeline`] and
//! [`cluster_stories`], and writes the results to the corpus tables.
//!
//! * [`mentions`] picks the dated mentions of one document: its events
//!   layer when the events stage filled it, else the **dated-sentence
//!   fallback** (clauses around `DATE` timexes other than the creation
//!   date, type [`DATED`]).
//! * [`cluster`] / [`entries`] merge mentions across articles into
//!   [`TimelineEntry`]s: one entry per happening with all its sources, the
//!   most precise date the sources agree on, contradicting dates as
//!   `conflicts`.
//! * [`cluster_stories`] groups articles into stories, incrementally and
//!   with stable ids.
//!
//! Word lists live in `data/<lang>/` (see `data/README.md`).

mod lexicon;
mod mention;
mod merge;
mod stories;

pub use lexicon::{content_stems, hedged};
pub use mention::{
    event_mentions, fallback_mentions, is_corpus_id, mentions, DocMeta, Mention, DATED,
};
pub use merge::{
    cluster, entries, group_date, group_date_near, publication_order, relate, DateRelation,
    MergeOptions,
};
pub use stories::{
    cluster_stories, sparse_dot, story_id, story_text, tfidf_vectors, StoryDoc, StoryOptions,
};

use kroniek_model::{Document, TimelineEntry};

/// The merged timeline of a set of documents, in no particular order (the
/// query layer sorts).
pub fn build_timeline(docs: &[Document], opts: &MergeOptions) -> Vec<TimelineEntry> {
    let metas: Vec<DocMeta> = docs.iter().map(DocMeta::of).collect();
    let all: Vec<Mention> = docs
        .iter()
        .enumerate()
        .flat_map(|(i, d)| mentions(d, i))
        .collect();
    timeline_of(&metas, &all, opts)
}

/// The merged timeline of mentions already extracted (see [`mentions`];
/// each mention's `doc` indexes `docs`).
pub fn timeline_of(docs: &[DocMeta], all: &[Mention], opts: &MergeOptions) -> Vec<TimelineEntry> {
    let order = publication_order(docs, all);
    let groups = cluster(all, &order, opts);
    entries(docs, all, &order, &groups)
}

#[cfg(test)]
mod tests;
