//! The shared document model of Kroniek.
//!
//! Every pipeline stage reads and extends a [`Document`]. Its JSON form is a
//! contract (see `docs/FORMATS.md`): offsets are Unicode code-point offsets
//! into `text`, end exclusive, and the `text` of a span always equals
//! `text[start..end]`.

mod date;
mod document;
mod offsets;
mod timeline;

pub use date::{year_bc, year_label, year_str, DateError, PartialDate, Precision};
pub use document::*;
pub use offsets::CharIndex;
pub use timeline::{Timeline, TimelineEntry, TimelineQuery, TimelineSource};
