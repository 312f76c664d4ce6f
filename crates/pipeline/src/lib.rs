//! The Kroniek pipeline: turns raw input documents into annotated
//! [`Document`]s by running every stage in order, and drives an ingest of
//! files into a [`Store`](kroniek_store::Store).
//!
//! Data flows one way: `formats` (bytes → raw documents) → `text`
//! (language, sentences) → later stages → `store`.

mod annotate;
pub mod corpus;
pub mod dating;
pub mod embedding;
mod ingest;
pub mod linking;
pub mod query;

pub use annotate::{annotate, to_document, to_documents, AnnotateOptions};
pub use corpus::{rebuild_corpus, CorpusSummary};
pub use dating::{refine_dates, DatingSummary};
pub use ingest::{ingest, IngestOptions, IngestSummary, Progress, Skip};
pub use linking::{link, LinkSummary};
