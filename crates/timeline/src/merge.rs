//! Cross-article merging: dated mentions of the same happening, from any
//! number of articles, become one [`TimelineEntry`] with every source.
//!
//! Mentions are taken in publication order; each joins the most similar
//! earlier group when the similarity clears a threshold, or starts a new
//! group. Similarity is the cosine of idf-weighted content-word stems and
//! entity keys (or their overlap coefficient, when a short clause is
//! contained in a longer one); event mentions with the same trigger need
//! less of it than those with different triggers; mentions of different
//! event types never merge. Dates must be compatible (one contains the
//! other: `2014` ⊇ `2014-06` ⊇ `2014-06-29`); mentions whose dates
//! contradict merge only when they are near-identical, and the
//! contradicting date is then recorded as a conflict. Groups become
//! entries dated by the most precise date most sources agree with.

use std::collections::{BTreeMap, HashMap, HashSet};

use kroniek_model::{Certainty, PartialDate, TimelineEntry, TimelineSource};

use crate::mention::{DocMeta, Mention, DATED};

/// Thresholds of the merger. The trigger thresholds were tuned on the
/// ECB+ training topics (event coreference with gold mentions), the
/// others on the example articles; see docs/QUALITY.md.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOptions {
    /// Least similarity to join a group whose dates agree, for mentions
    /// without triggers (the dated-sentence fallback).
    pub threshold: f64,
    /// Least similarity for two event mentions with the same (stemmed)
    /// trigger.
    pub same_trigger_threshold: f64,
    /// Least similarity for two event mentions with different triggers.
    pub different_trigger_threshold: f64,
    /// Least similarity to join a group whose dates contradict.
    pub conflict_threshold: f64,
    /// Weight of entity keys relative to words.
    pub entity_weight: f64,
    /// Features in more than this fraction of documents are not used to
    /// find candidate groups (they still count in the similarity).
    pub max_df: f64,
    /// Members of a group compared with a new mention (the latest ones).
    pub compare_members: usize,
    /// Weight of the overlap coefficient (shared weight over the weight of
    /// the smaller mention), which lets a short clause match a longer one
    /// that contains it; used when at least `min_shared` features are shared.
    pub overlap_weight: f64,
    pub min_shared: usize,
}

impl Default for MergeOptions {
    fn default() -> Self {
        Self {
            threshold: 0.45,
            same_trigger_threshold: 0.1,
            different_trigger_threshold: 0.9,
            conflict_threshold: 0.75,
            entity_weight: 1.5,
            max_df: 0.25,
            compare_members: 12,
            overlap_weight: 0.8,
            min_shared: 3,
        }
    }
}

/// Groups of a lookup feature considered: the latest ones (a feature
/// shared by thousands of groups says little on its own).
const MAX_POSTINGS: usize = 256;

fn recent(list: &[usize]) -> &[usize] {
    &list[list.len().saturating_sub(MAX_POSTINGS)..]
}

/// Most candidate groups compared with one mention.
const MAX_CANDIDATES: usize = 64;

/// How two dates relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRelation {
    /// Equal, or one contains the other.
    Compatible,
    Conflict,
    /// At least one is unknown.
    Unknown,
}

/// Whether `a` and `b` can be the same date at different precisions.
pub fn relate(a: Option<PartialDate>, b: Option<PartialDate>) -> DateRelation {
    match (a, b) {
        (Some(a), Some(b)) => {
            let p = a.precision().min(b.precision());
            if a.truncate(p) == b.truncate(p) {
                DateRelation::Compatible
            } else {
                DateRelation::Conflict
            }
        }
        _ => DateRelation::Unknown,
    }
}

/// A sparse feature vector (idf weights), sorted by feature.
type Vector = Vec<(u32, f32)>;

/// Dot product and number of shared features.
fn dot(a: &Vector, b: &Vector) -> (f64, usize) {
    let (mut i, mut j, mut s, mut n) = (0, 0, 0.0f64, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += f64::from(a[i].1) * f64::from(b[j].1);
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (s, n)
}

/// Lexical similarity of two mentions: the cosine, or the weighted overlap
/// coefficient when enough features are shared and it is higher.
fn similarity(f: &Features, a: usize, b: usize, opts: &MergeOptions) -> f64 {
    let (d, shared) = dot(&f.vectors[a], &f.vectors[b]);
    let (na, nb) = (f.norms[a], f.norms[b]);
    if na <= 0.0 || nb <= 0.0 {
        return 0.0;
    }
    let cos = d / (na * nb).sqrt();
    if shared >= opts.min_shared {
        cos.max(opts.overlap_weight * d / na.min(nb))
    } else {
        cos
    }
}

/// Features of mentions: interned stems and entity keys with their
/// document frequencies.
struct Features {
    vectors: Vec<Vector>,
    /// Squared norms of the vectors.
    norms: Vec<f64>,
    /// Per mention: its features usable to look up candidate groups,
    /// heaviest first.
    keys: Vec<Vec<u32>>,
    triggers: Vec<Option<u32>>,
}

fn features(mentions: &[Mention], opts: &MergeOptions) -> Features {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |s: String| -> u32 {
        let n = ids.len() as u32;
        *ids.entry(s).or_insert(n)
    };
    let raw: Vec<(Vec<u32>, Vec<u32>, Option<u32>)> = mentions
        .iter()
        .map(|m| {
            let words: Vec<u32> = m.stems.iter().map(|s| intern(format!("w:{s}"))).collect();
            let ents: Vec<u32> = m
                .entity_keys
                .iter()
                .map(|s| intern(format!("e:{s}")))
                .collect();
            let trig = m.trigger.as_ref().map(|t| intern(format!("t:{t}")));
            (words, ents, trig)
        })
        .collect();
    // Document frequencies.
    let mut df: HashMap<u32, u32> = HashMap::new();
    let mut seen: HashSet<(usize, u32)> = HashSet::new();
    let mut docs: HashSet<usize> = HashSet::new();
    for (m, (w, e, _)) in mentions.iter().zip(&raw) {
        docs.insert(m.doc);
        for &f in w.iter().chain(e) {
            if seen.insert((m.doc, f)) {
                *df.entry(f).or_insert(0) += 1;
            }
        }
    }
    let n = docs.len().max(1) as f64;
    let idf = |f: u32| ((n + 1.0) / (f64::from(df.get(&f).copied().unwrap_or(0)) + 1.0)).ln() + 1.0;
    let max_df = if n < 100.0 { n } else { opts.max_df * n };
    let mut vectors = Vec::with_capacity(mentions.len());
    let mut norms = Vec::with_capacity(mentions.len());
    let mut keys = Vec::with_capacity(mentions.len());
    let mut triggers = Vec::with_capacity(mentions.len());
    for (w, e, t) in raw {
        let mut v: BTreeMap<u32, f64> = BTreeMap::new();
        for f in w {
            v.insert(f, idf(f));
        }
        for f in e {
            v.insert(f, idf(f) * opts.entity_weight);
        }
        norms.push(v.values().map(|x| x * x).sum::<f64>());
        let mut k: Vec<(u32, f64)> = v
            .iter()
            .filter(|(f, _)| f64::from(df.get(f).copied().unwrap_or(0)) <= max_df)
            .map(|(f, x)| (*f, *x))
            .collect();
        k.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        keys.push(k.into_iter().take(24).map(|(f, _)| f).collect());
        vectors.push(v.into_iter().map(|(f, x)| (f, x as f32)).collect());
        triggers.push(t);
    }
    Features {
        vectors,
        norms,
        keys,
        triggers,
    }
}

/// Groups mentions that report the same happening. Returns, for each
/// mention, the index of its group (groups numbered in order of their
/// first mention in `order`). `order` is the processing order (indices
/// into `mentions`); see [`publication_order`].
pub fn cluster(mentions: &[Mention], order: &[usize], opts: &MergeOptions) -> Vec<usize> {
    let f = features(mentions, opts);
    let mut group_of = vec![usize::MAX; mentions.len()];
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    for &m in order {
        // Candidate groups: those sharing the most lookup features.
        let mut hits: HashMap<usize, u32> = HashMap::new();
        for k in &f.keys[m] {
            for &g in index.get(k).into_iter().flat_map(|l| recent(l)) {
                *hits.entry(g).or_insert(0) += 1;
            }
        }
        // The same trigger alone makes a candidate, however common it is.
        if let Some(t) = f.triggers[m] {
            for &g in index.get(&t).into_iter().flat_map(|l| recent(l)) {
                *hits.entry(g).or_insert(0) += 2;
            }
        }
        let need_hits = if f.keys[m].len() >= 4 { 2 } else { 1 };
        let mut cands: Vec<(u32, usize)> = hits
            .into_iter()
            .filter(|&(_, h)| h >= need_hits)
            .map(|(g, h)| (h, g))
            .collect();
        cands.sort_unstable_by(|a, b| b.cmp(a));
        cands.truncate(MAX_CANDIDATES);
        let mut best: Option<(f64, usize)> = None;
        for (_, g) in cands {
            let mut s_best = f64::NEG_INFINITY;
            for &x in members[g].iter().rev().take(opts.compare_members) {
                let (a, b) = (&mentions[m], &mentions[x]);
                if a.doc == b.doc && a.sentence_index == b.sentence_index {
                    continue;
                }
                if a.kind != b.kind && a.kind != DATED && b.kind != DATED {
                    continue;
                }
                let s = similarity(&f, m, x, opts);
                let base = match (f.triggers[m], f.triggers[x]) {
                    (Some(p), Some(q)) if p == q => opts.same_trigger_threshold,
                    (Some(_), Some(_)) => opts.different_trigger_threshold,
                    _ => opts.threshold,
                };
                let need = match relate(a.date, b.date) {
                    DateRelation::Compatible | DateRelation::Unknown => base,
                    DateRelation::Conflict => base.max(opts.conflict_threshold),
                };
                // Groups compete by their margin over what they need; a
                // group with the same trigger comes first.
                let same = f.triggers[m].is_some() && f.triggers[m] == f.triggers[x];
                let rank = s - need + if same { 1.0 } else { 0.0 };
                if s >= need && rank > s_best {
                    s_best = rank;
                }
            }
            if s_best > f64::NEG_INFINITY && best.is_none_or(|(b, _)| s_best > b) {
                best = Some((s_best, g));
            }
        }
        let g = match best {
            Some((_, g)) => g,
            None => {
                members.push(Vec::new());
                members.len() - 1
            }
        };
        members[g].push(m);
        group_of[m] = g;
        for &k in f.keys[m].iter().chain(f.triggers[m].iter()) {
            let list = index.entry(k).or_default();
            if list.last() != Some(&g) {
                list.push(g);
            }
        }
    }
    group_of
}

/// Mentions in publication order: by their document's date (undated
/// documents last), then document, then position.
pub fn publication_order(docs: &[DocMeta], mentions: &[Mention]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by(|&a, &b| {
        let (ma, mb) = (&mentions[a], &mentions[b]);
        let da = docs.get(ma.doc).and_then(|d| d.dct);
        let db = docs.get(mb.doc).and_then(|d| d.dct);
        let key = |d: Option<PartialDate>| (d.is_none(), d);
        key(da)
            .cmp(&key(db))
            .then(ma.doc.cmp(&mb.doc))
            .then(ma.sentence_index.cmp(&mb.sentence_index))
            .then(a.cmp(&b))
    });
    order
}

/// The date of a group: the most precise date that the most members agree
/// with (are compatible with), ties going to the date most members state
/// exactly, then the earlier one; and the dates that contradict it.
pub fn group_date(dates: &[PartialDate]) -> Option<(PartialDate, Vec<PartialDate>)> {
    let with: Vec<(PartialDate, Option<PartialDate>)> = dates.iter().map(|d| (*d, None)).collect();
    group_date_near(&with)
}

/// Like [`group_date`], for dates paired with the creation date of the
/// article stating them: between equally supported dates, the one stated
/// closest to its article's creation date wins (a relative expression
/// resolved far from its article is the likelier error), then the earlier.
pub fn group_date_near(
    dates: &[(PartialDate, Option<PartialDate>)],
) -> Option<(PartialDate, Vec<PartialDate>)> {
    let mut distinct: Vec<PartialDate> = dates.iter().map(|d| d.0).collect();
    distinct.sort();
    distinct.dedup();
    let support = |d: &PartialDate| {
        dates
            .iter()
            .filter(|x| relate(Some(x.0), Some(*d)) == DateRelation::Compatible)
            .count()
    };
    let exact = |d: &PartialDate| dates.iter().filter(|x| x.0 == *d).count();
    // Negated distance in days to the nearest stating article's date.
    let near = |d: &PartialDate| -> i64 {
        dates
            .iter()
            .filter(|x| x.0 == *d)
            .filter_map(|x| x.1)
            .map(|dct| {
                if d.last_day() < dct.first_day() {
                    (dct.first_day() - d.last_day()).num_days()
                } else if d.first_day() > dct.last_day() {
                    (d.first_day() - dct.last_day()).num_days()
                } else {
                    0
                }
            })
            .min()
            .map_or(i64::MIN, |x| -x)
    };
    let best = distinct.iter().copied().max_by(|a, b| {
        (support(a), a.precision(), exact(a), near(a))
            .cmp(&(support(b), b.precision(), exact(b), near(b)))
            .then(b.cmp(a))
    })?;
    let conflicts = distinct
        .into_iter()
        .filter(|d| relate(Some(*d), Some(best)) == DateRelation::Conflict)
        .collect();
    Some((best, conflicts))
}

/// A clause shorter than this is no title on its own; the sentence is used.
const MIN_CLAUSE_WORDS: usize = 5;

/// Most words in a title.
const TITLE_WORDS: usize = 14;

fn title_of(clause: &str) -> String {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let mut t = words[..words.len().min(TITLE_WORDS)].join(" ");
    if words.len() > TITLE_WORDS {
        t.push('…');
    }
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}

fn entry_id(doc: &str, m: &Mention) -> String {
    let mut h = blake3::Hasher::new();
    h.update(doc.as_bytes());
    h.update(b"\0");
    h.update(m.kind.as_bytes());
    h.update(b"\0");
    h.update(m.clause.as_bytes());
    h.update(b"\0");
    h.update(m.sentence_index.to_string().as_bytes());
    h.update(b"\0");
    h.update(m.trigger.as_deref().unwrap_or("").as_bytes());
    h.update(b"\0");
    h.update(m.date.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    format!("t{}", &h.finalize().to_hex()[..15])
}

/// The timeline entries of grouped mentions: one per group with a date,
/// sources one per document in publication order.
pub fn entries(
    docs: &[DocMeta],
    mentions: &[Mention],
    order: &[usize],
    group_of: &[usize],
) -> Vec<TimelineEntry> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &m in order {
        let g = group_of[m];
        if g >= groups.len() {
            groups.resize(g + 1, Vec::new());
        }
        groups[g].push(m);
    }
    let mut out = Vec::with_capacity(groups.len());
    for g in groups.into_iter().filter(|g| !g.is_empty()) {
        let dates: Vec<(PartialDate, Option<PartialDate>)> = g
            .iter()
            .filter_map(|&m| {
                let dct = docs.get(mentions[m].doc).and_then(|d| d.dct);
                mentions[m].date.map(|d| (d, dct))
            })
            .collect();
        let Some((date, conflicts)) = group_date_near(&dates) else {
            continue;
        };
        // Representative: the first mention stating the chosen date
        // exactly, else the first one.
        let rep = g
            .iter()
            .copied()
            .find(|&m| mentions[m].date == Some(date))
            .unwrap_or(g[0]);
        let first = &mentions[g[0]];
        let first_doc = docs.get(first.doc).map(|d| d.id.as_str()).unwrap_or("");
        let count = |f: &dyn Fn(&Mention) -> String| {
            let mut c: BTreeMap<String, usize> = BTreeMap::new();
            for &m in &g {
                *c.entry(f(&mentions[m])).or_insert(0) += 1;
            }
            c
        };
        let kinds = count(&|m| m.kind.clone());
        let kind = kinds
            .iter()
            .max_by_key(|(k, c)| (**c, k.as_str() != DATED))
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| DATED.to_string());
        let certainty = most_common_certainty(g.iter().map(|&m| mentions[m].certainty))
            .unwrap_or(mentions[rep].certainty);
        let mut ent: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in &g {
            for e in &mentions[m].entities {
                *ent.entry(e.as_str()).or_insert(0) += 1;
            }
        }
        let mut entities: Vec<(&str, usize)> = ent.into_iter().collect();
        entities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut seen = HashSet::new();
        let sources: Vec<TimelineSource> = g
            .iter()
            .filter(|&&m| seen.insert(mentions[m].doc))
            .filter_map(|&m| {
                let d = docs.get(mentions[m].doc)?;
                Some(TimelineSource {
                    doc: d.id.clone(),
                    title: d.title.clone(),
                    dct: d.dct,
                    sentence: mentions[m].sentence.clone(),
                })
            })
            .collect();
        out.push(TimelineEntry {
            id: entry_id(first_doc, first),
            date: date.to_string(),
            kind,
            title: title_of(
                if mentions[rep].clause.split_whitespace().count() >= MIN_CLAUSE_WORDS {
                    &mentions[rep].clause
                } else {
                    &mentions[rep].sentence
                },
            ),
            text: mentions[rep].sentence.clone(),
            entities: entities
                .into_iter()
                .take(20)
                .map(|(e, _)| e.to_string())
                .collect(),
            certainty,
            conflicts: conflicts.into_iter().map(|d| d.to_string()).collect(),
            sources,
        });
    }
    // Ids are table keys: a clause repeated word for word in one article
    // (same trigger, same date) must not overwrite another entry.
    let mut taken: HashSet<String> = HashSet::with_capacity(out.len());
    for e in &mut out {
        if !taken.insert(e.id.clone()) {
            let mut n = 2;
            while !taken.insert(format!("{}-{n}", e.id)) {
                n += 1;
            }
            e.id = format!("{}-{n}", e.id);
        }
    }
    out
}

fn most_common_certainty(it: impl Iterator<Item = Certainty>) -> Option<Certainty> {
    let all = [
        Certainty::Certain,
        Certainty::Probable,
        Certainty::Possible,
        Certainty::Negated,
        Certainty::Future,
    ];
    let mut counts = [0usize; 5];
    for c in it {
        if let Some(i) = all.iter().position(|x| *x == c) {
            counts[i] += 1;
        }
    }
    let max = *counts.iter().max()?;
    (max > 0).then(|| all[counts.iter().position(|&c| c == max).unwrap_or(0)])
}
