//! The corpus-level timeline: merged events with every source that reports
//! them. Its JSON form is a contract (see `docs/FORMATS.md`).

use serde::{Deserialize, Serialize};

use crate::{Certainty, PartialDate};

/// A timeline: entries sorted by date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub events: Vec<TimelineEntry>,
}

/// One happening as reported by one or more articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Stable id of the merged event.
    #[serde(default)]
    pub id: String,
    /// TIMEX3 value of the most precise date the sources agree on
    /// (`2014`, `2014-06`, `2014-06-29`).
    pub date: String,
    /// Event type from the events ontology (`attack`, `declaration`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short headline for the entry.
    pub title: String,
    /// The representative sentence.
    pub text: String,
    /// Ids of the entities taking part.
    pub entities: Vec<String>,
    pub certainty: Certainty,
    /// Dates other sources give that contradict `date`: shown, not averaged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    pub sources: Vec<TimelineSource>,
}

/// One article reporting a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineSource {
    /// Document id.
    pub doc: String,
    pub title: Option<String>,
    pub dct: Option<PartialDate>,
    /// The sentence that reports it.
    pub sentence: String,
}

/// Which part of the timeline to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineQuery {
    /// An entity id or any of its aliases.
    pub entity: Option<String>,
    /// A story id.
    pub story: Option<String>,
    /// A full-text query selecting the articles.
    pub query: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    pub limit: Option<usize>,
}
