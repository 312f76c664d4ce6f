//! A short-lived cache of computed timelines, keyed by their filters.
//!
//! `pipeline::query::timeline` reads and filters the whole `timeline`
//! table; on a large corpus that is the dominant cost of `/api/timeline`.
//! Paging through one timeline and many readers of one view ask for the
//! same filters again and again, so the result is kept for a few seconds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kroniek_model::{TimelineEntry, TimelineQuery};

/// Most different filter sets kept at once.
const MAX_ENTRIES: usize = 256;

type Events = Arc<Vec<TimelineEntry>>;

pub(crate) struct TimelineCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Events)>>,
}

fn key(q: &TimelineQuery) -> String {
    // TimelineQuery is plain data; its JSON form is a stable key.
    serde_json::to_string(q).unwrap_or_default()
}

impl TimelineCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Events)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The timeline for `q`, if computed less than the TTL ago.
    pub(crate) fn get(&self, q: &TimelineQuery) -> Option<Events> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.lock();
        let (at, events) = entries.get(&key(q))?;
        (at.elapsed() < self.ttl).then(|| events.clone())
    }

    pub(crate) fn put(&self, q: TimelineQuery, events: Events) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key(&q), (Instant::now(), events));
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(entity: &str) -> TimelineQuery {
        TimelineQuery {
            entity: Some(entity.into()),
            ..Default::default()
        }
    }

    #[test]
    fn keeps_results_for_the_ttl_and_per_filter() {
        let c = TimelineCache::new(Duration::from_millis(200));
        assert!(c.get(&q("a")).is_none());
        c.put(q("a"), Arc::new(vec![]));
        assert!(c.get(&q("a")).is_some());
        assert!(c.get(&q("b")).is_none(), "other filters are not shared");
        std::thread::sleep(Duration::from_millis(250));
        assert!(c.get(&q("a")).is_none(), "expired");
        c.put(q("a"), Arc::new(vec![]));
        c.clear();
        assert!(c.get(&q("a")).is_none(), "cleared");
        let off = TimelineCache::new(Duration::ZERO);
        off.put(q("a"), Arc::new(vec![]));
        assert!(off.get(&q("a")).is_none(), "a zero TTL caches nothing");
    }

    #[test]
    fn stays_bounded() {
        let c = TimelineCache::new(Duration::from_secs(60));
        for i in 0..(MAX_ENTRIES * 3) {
            c.put(q(&i.to_string()), Arc::new(vec![]));
        }
        assert!(c.lock().len() <= MAX_ENTRIES);
    }
}
