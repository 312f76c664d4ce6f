//! Stories: articles about one developing subject, clustered
//! incrementally.
//!
//! Each article becomes a tf-idf vector of its content-word stems (title
//! counted twice) and its entity keys (linked ids or folded names, which
//! is where Dutch and English articles meet: "Raqqa", "Baghdadi" and linked
//! entities are the same features in both languages). Articles are taken
//! in publication order; each joins the story whose centroid is most
//! similar, discounted by the time since the story was last reported, when
//! that clears a threshold, and otherwise founds a new story. A story's id
//! is derived from its founding article and never changes: articles already
//! assigned in an earlier run keep their story, and only new articles are
//! clustered, so ingesting more articles never renames a story.
//!
//! When a multilingual sentence encoder is installed (crate
//! `kroniek-encoder`), an article may also carry an embedding of its title
//! and lead ([`story_text`]); a story then keeps the sum of its articles'
//! embeddings, and an article joins a story when the time-discounted
//! cosine with it clears [`StoryOptions::cross_embedding_threshold`] (story
//! without an article in the article's language) or
//! [`StoryOptions::embedding_threshold`] (otherwise), whichever of the
//! lexical and embedding scores is relatively higher. This is how a Dutch
//! and an English article about the same subject meet when they share few
//! names. Without embeddings the clustering is lexical only, as before.

use std::collections::{BTreeMap, HashMap, HashSet};

use kroniek_model::{CharIndex, Document, PartialDate, Story};

use crate::lexicon::content_stems;
use crate::mention::is_corpus_id;

/// What story clustering needs from an article.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryDoc {
    pub id: String,
    pub title: Option<String>,
    pub dct: Option<PartialDate>,
    pub lang: String,
    /// Feature → term frequency (stems `w:`, entities `e:`).
    pub terms: Vec<(String, f32)>,
    /// Unit-length sentence embedding of [`story_text`], when an encoder
    /// is installed; `None`: lexical features only.
    pub embedding: Option<Vec<f32>>,
}

/// Sentences of the text after the title used for an article's embedding.
const LEAD_SENTENCES: usize = 2;
/// Most characters of the lead.
const LEAD_CHARS: usize = 400;

/// The text an article's embedding is computed from: its title and the
/// first sentences of its text (a sentence repeating the title is skipped),
/// whitespace collapsed, at most about 400 characters of lead.
pub fn story_text(doc: &Document) -> String {
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = doc.title.as_deref().map(squash).unwrap_or_default();
    let mut out = title.clone();
    let idx = CharIndex::new(&doc.text);
    let mut lead = String::new();
    let mut taken = 0;
    let sentences: Vec<&str> = if doc.sentences.is_empty() {
        vec![doc.text.as_str()]
    } else {
        doc.sentences
            .iter()
            .filter(|s| s.start < s.end)
            .map(|s| &doc.text[idx.to_byte(s.start)..idx.to_byte(s.end)])
            .collect()
    };
    for s in sentences {
        let s = squash(s);
        if s.is_empty() || (!title.is_empty() && s.starts_with(&title)) {
            continue;
        }
        if !lead.is_empty() {
            lead.push(' ');
        }
        lead.push_str(&s);
        taken += 1;
        if taken >= LEAD_SENTENCES || lead.chars().count() >= LEAD_CHARS {
            break;
        }
    }
    if lead.chars().count() > LEAD_CHARS {
        lead = lead.chars().take(LEAD_CHARS).collect();
    }
    if !out.is_empty() && !lead.is_empty() {
        out.push_str(if out.ends_with(['.', '!', '?', ':']) {
            " "
        } else {
            ". "
        });
    }
    out.push_str(&lead);
    out
}

/// Weighted features.
type Weighted = Vec<(u32, f64)>;

/// Most candidate stories compared with one article.
const MAX_CANDIDATES: usize = 48;

/// Most distinct terms kept per article.
const MAX_TERMS: usize = 200;

impl StoryDoc {
    pub fn of(doc: &Document) -> Self {
        let mut tf: HashMap<String, f32> = HashMap::new();
        let mut add = |k: String, w: f32| *tf.entry(k).or_insert(0.0) += w;
        if let Some(t) = &doc.title {
            for s in content_stems(t, &doc.lang, &[]) {
                add(format!("w:{s}"), 2.0);
            }
        }
        for s in content_stems(&doc.text, &doc.lang, &[]) {
            add(format!("w:{s}"), 1.0);
        }
        for m in &doc.entities {
            let key = match m.entity.as_deref() {
                Some(id) if is_corpus_id(id) => id.to_string(),
                _ => m
                    .text
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            add(format!("e:{key}"), 1.0);
        }
        let mut terms: Vec<(String, f32)> = tf.into_iter().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(MAX_TERMS);
        Self {
            id: doc.id.clone(),
            title: doc.title.clone(),
            dct: doc.dct.value,
            lang: doc.lang.clone(),
            terms,
            embedding: None,
        }
    }

    /// The same article with an embedding (see [`story_text`]).
    pub fn with_embedding(mut self, embedding: Option<Vec<f32>>) -> Self {
        self.embedding = embedding.filter(|v| !v.is_empty());
        self
    }
}

/// Parameters of story clustering (tuned on ECB+ training topics).
#[derive(Debug, Clone, PartialEq)]
pub struct StoryOptions {
    /// Least (time-discounted) cosine to join a story.
    pub threshold: f64,
    /// Weight of entity features relative to words.
    pub entity_weight: f64,
    /// Days without a new article after which a story's attraction halves.
    pub half_life_days: f64,
    /// Terms of an article used to look up candidate stories.
    pub lookup_terms: usize,
    /// Terms in more than this fraction of articles are not used for lookup.
    pub max_df: f64,
    /// Least (time-discounted) embedding cosine to join a story that has no
    /// article in the article's language (used when articles carry
    /// embeddings).
    pub cross_embedding_threshold: f64,
    /// Least embedding cosine to join a story that has one (infinite: the
    /// embedding is used across languages only).
    pub embedding_threshold: f64,
}

impl Default for StoryOptions {
    fn default() -> Self {
        Self {
            threshold: 0.15,
            entity_weight: 0.5,
            half_life_days: 60.0,
            lookup_terms: 12,
            max_df: 0.2,
            // Tuned on the SemEval-2015 trial pairs (kroniek-eval stories-xling).
            cross_embedding_threshold: 0.6,
            embedding_threshold: f64::INFINITY,
        }
    }
}

/// A story's id for the article that founded it.
pub fn story_id(founder: &str) -> String {
    format!("s-{founder}")
}

/// An article's tf-idf vector (L2-normalised) and its entity part.
struct DocVec {
    all: Vec<(u32, f64)>,
    /// The entity features of `all` (same weights).
    ents: Vec<(u32, f64)>,
    /// Norm of `ents` (≤ 1).
    ent_norm: f64,
    /// Smallest entity feature id marker: entity features are listed in `ents`.
    ent_set: HashSet<u32>,
}

impl DocVec {
    fn is_entity(&self, f: u32) -> bool {
        self.ent_set.contains(&f)
    }
}

struct Cluster {
    id: String,
    founder: usize,
    docs: Vec<usize>,
    centroid: HashMap<u32, f64>,
    norm: f64,
    /// Norm of the entity part of the centroid.
    ent_norm: f64,
    langs: Vec<String>,
    first: Option<PartialDate>,
    last: Option<PartialDate>,
    /// Sum of the members' embeddings (empty: none has one) and its norm.
    emb: Vec<f32>,
    emb_norm: f32,
}

impl Cluster {
    fn new(id: String, founder: usize) -> Self {
        Self {
            id,
            founder,
            docs: Vec::new(),
            centroid: HashMap::new(),
            norm: 0.0,
            ent_norm: 0.0,
            langs: Vec::new(),
            first: None,
            last: None,
            emb: Vec::new(),
            emb_norm: 0.0,
        }
    }

    fn add(&mut self, i: usize, d: &DocVec, doc: &StoryDoc) {
        let (dct, lang) = (doc.dct, doc.lang.as_str());
        if let Some(e) = &doc.embedding {
            if self.emb.is_empty() {
                self.emb = vec![0.0; e.len()];
            }
            if self.emb.len() == e.len() {
                for (s, x) in self.emb.iter_mut().zip(e) {
                    *s += x;
                }
                self.emb_norm = self.emb.iter().map(|x| x * x).sum::<f32>().sqrt();
            }
        }
        self.docs.push(i);
        if !self.langs.iter().any(|l| l == lang) {
            self.langs.push(lang.to_string());
        }
        let mut sq = self.norm * self.norm;
        let mut esq = self.ent_norm * self.ent_norm;
        for &(f, x) in &d.all {
            let c = self.centroid.entry(f).or_insert(0.0);
            let delta = (*c + x) * (*c + x) - *c * *c;
            sq += delta;
            if d.is_entity(f) {
                esq += delta;
            }
            *c += x;
        }
        self.norm = sq.max(0.0).sqrt();
        self.ent_norm = esq.max(0.0).sqrt();
        if let Some(d) = dct {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
    }

    /// Whether the story has an article in `lang`.
    fn has_lang(&self, lang: &str) -> bool {
        self.langs.iter().any(|l| l == lang)
    }

    /// The embedding cosine an article in `lang` needs to join: the
    /// cross-language threshold while the story has no article in `lang`.
    fn embedding_threshold(&self, lang: &str, opts: &StoryOptions) -> f64 {
        if self.has_lang(lang) {
            opts.embedding_threshold
        } else {
            opts.cross_embedding_threshold
        }
    }

    /// Cosine of the story's embedding with an article's (0 without).
    fn embedding_similarity(&self, e: Option<&Vec<f32>>) -> f64 {
        match e {
            Some(e) if e.len() == self.emb.len() && self.emb_norm > 0.0 => {
                let dot: f32 = e.iter().zip(&self.emb).map(|(a, b)| a * b).sum();
                f64::from(dot / self.emb_norm)
            }
            _ => 0.0,
        }
    }

    /// How far an article clears the joining thresholds (≥ 1: it may
    /// join), before the time discount: the larger of the lexical cosine
    /// over its threshold and the embedding cosine over its threshold.
    fn score(&self, d: &DocVec, doc: &StoryDoc, opts: &StoryOptions) -> f64 {
        let lexical = self.similarity(d, &doc.lang) / opts.threshold.max(1e-9);
        let emb_threshold = self.embedding_threshold(&doc.lang, opts);
        if doc.embedding.is_none() || !emb_threshold.is_finite() || self.emb.is_empty() {
            return lexical;
        }
        let emb = self.embedding_similarity(doc.embedding.as_ref()) / emb_threshold.max(1e-9);
        lexical.max(emb)
    }

    /// Cosine with an article; across languages only the entity features
    /// (names are the same in every language) are compared.
    fn similarity(&self, d: &DocVec, lang: &str) -> f64 {
        let same_lang = self.has_lang(lang);
        let (v, norm, vnorm) = if same_lang {
            (&d.all, self.norm, 1.0)
        } else {
            (&d.ents, self.ent_norm, d.ent_norm)
        };
        if norm <= 0.0 || vnorm <= 0.0 {
            return 0.0;
        }
        v.iter()
            .map(|(f, x)| x * self.centroid.get(f).copied().unwrap_or(0.0))
            .sum::<f64>()
            / (norm * vnorm)
    }
}

/// Days between a date and a story's reporting span (0 inside it).
fn gap_days(d: Option<PartialDate>, first: Option<PartialDate>, last: Option<PartialDate>) -> f64 {
    match (d, first, last) {
        (Some(d), Some(f), Some(l)) => {
            if d.last_day() < f.first_day() {
                (f.first_day() - d.last_day()).num_days() as f64
            } else if d.first_day() > l.last_day() {
                (d.first_day() - l.last_day()).num_days() as f64
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

/// The story documents as L2-normalised tf-idf vectors over interned
/// feature ids: (1 + ln tf) × (ln((n + 1) / (df + 1)) + 1), entity
/// features (`e:`) weighted by `entity_weight`.
struct TfIdf<'a> {
    ids: HashMap<&'a str, u32>,
    df: Vec<u32>,
    entity_ids: HashSet<u32>,
    /// Per document: (feature id, weight), positive weights only.
    vectors: Vec<Vec<(u32, f64)>>,
}

impl<'a> TfIdf<'a> {
    fn new(docs: impl Iterator<Item = &'a StoryDoc>, entity_weight: f64) -> Self {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut interned: Vec<Vec<(u32, f32)>> = Vec::new();
        for d in docs {
            let mut v = Vec::with_capacity(d.terms.len());
            for (t, w) in &d.terms {
                let n = ids.len() as u32;
                let id = *ids.entry(t.as_str()).or_insert(n);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
                v.push((id, *w));
            }
            interned.push(v);
        }
        let n = interned.len().max(1) as f64;
        let entity_ids: HashSet<u32> = ids
            .iter()
            .filter(|(k, _)| k.starts_with("e:"))
            .map(|(_, v)| *v)
            .collect();
        let vectors = interned
            .iter()
            .map(|v| {
                let mut out: Vec<(u32, f64)> = v
                    .iter()
                    .map(|&(f, tf)| {
                        let idf = ((n + 1.0) / (f64::from(df[f as usize]) + 1.0)).ln() + 1.0;
                        let w = if entity_ids.contains(&f) {
                            entity_weight
                        } else {
                            1.0
                        };
                        (f, (1.0 + f64::from(tf).ln()) * idf * w)
                    })
                    .filter(|(_, x)| *x > 0.0)
                    .collect();
                let norm = out.iter().map(|(_, x)| x * x).sum::<f64>().sqrt().max(1e-9);
                for x in &mut out {
                    x.1 /= norm;
                }
                out
            })
            .collect();
        TfIdf {
            ids,
            df,
            entity_ids,
            vectors,
        }
    }
}

/// The lexical vectors story clustering compares (see [`cluster_stories`]):
/// per document its L2-normalised tf-idf weights by feature, sorted, with
/// entity features weighted by `entity_weight`. Compare two with
/// [`sparse_dot`].
pub fn tfidf_vectors(docs: &[&StoryDoc], entity_weight: f64) -> Vec<Vec<(u32, f64)>> {
    let mut v = TfIdf::new(docs.iter().copied(), entity_weight).vectors;
    for d in &mut v {
        d.sort_unstable_by_key(|x| x.0);
    }
    v
}

/// Dot product of two sparse vectors sorted by feature (the cosine of two
/// [`tfidf_vectors`]).
pub fn sparse_dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Clusters `docs` into stories, keeping every assignment of `previous`
/// (stories from an earlier run): articles already in a story stay there,
/// stories keep their ids, and new articles join them or found new ones.
/// Articles of `previous` that are not in `docs` are dropped; a story left
/// without articles disappears. Singletons are stories too.
pub fn cluster_stories(previous: &[Story], docs: &[StoryDoc], opts: &StoryOptions) -> Vec<Story> {
    let TfIdf {
        ids,
        df,
        entity_ids,
        vectors,
    } = TfIdf::new(docs.iter(), opts.entity_weight);
    let n = docs.len().max(1) as f64;
    let max_df = if n < 100.0 { n } else { opts.max_df * n };
    let vectors: Vec<DocVec> = vectors
        .into_iter()
        .map(|out| {
            let ents: Vec<(u32, f64)> = out
                .iter()
                .filter(|(f, _)| entity_ids.contains(f))
                .copied()
                .collect();
            let ent_norm = ents.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            let ent_set = ents.iter().map(|(f, _)| *f).collect();
            DocVec {
                all: out,
                ents,
                ent_norm,
                ent_set,
            }
        })
        .collect();
    let by_id: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();

    let mut clusters: Vec<Cluster> = Vec::new();
    // Stories with an embedding.
    let mut with_embedding: Vec<usize> = Vec::new();
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut assigned = vec![false; docs.len()];
    let lookup_keys = |v: &[(u32, f64)]| -> Vec<u32> {
        let mut k: Vec<(u32, f64)> = v
            .iter()
            .filter(|(f, _)| f64::from(df[*f as usize]) <= max_df)
            .copied()
            .collect();
        k.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // The heaviest words and, separately, the heaviest entities (which
        // are what articles in other languages share).
        let (ents, words): (Weighted, Weighted) =
            k.into_iter().partition(|(f, _)| entity_ids.contains(f));
        words
            .into_iter()
            .take(opts.lookup_terms)
            .chain(ents.into_iter().take(opts.lookup_terms * 3))
            .map(|(f, _)| f)
            .collect()
    };
    let register = |index: &mut HashMap<u32, Vec<usize>>, c: usize, v: &[(u32, f64)]| {
        for k in lookup_keys(v) {
            let l = index.entry(k).or_default();
            if l.last() != Some(&c) {
                l.push(c);
            }
        }
    };
    // Earlier assignments first, in their stories' order.
    for s in previous {
        let members: Vec<usize> = s
            .docs
            .iter()
            .filter_map(|d| by_id.get(d.as_str()).copied())
            .filter(|&i| !assigned[i])
            .collect();
        if members.is_empty() {
            continue;
        }
        let c = clusters.len();
        clusters.push(Cluster::new(s.id.clone(), members[0]));
        for i in members {
            assigned[i] = true;
            if docs[i].embedding.is_some() && clusters[c].emb.is_empty() {
                with_embedding.push(c);
            }
            clusters[c].add(i, &vectors[i], &docs[i]);
            register(&mut index, c, &vectors[i].all);
        }
    }
    // New articles in publication order.
    let mut order: Vec<usize> = (0..docs.len()).filter(|&i| !assigned[i]).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| (docs[i].dct.is_none(), docs[i].dct);
        key(a).cmp(&key(b)).then(a.cmp(&b))
    });
    for i in order {
        let v = &vectors[i].all;
        // Candidate stories: those sharing the most lookup terms.
        let mut hits: HashMap<usize, u32> = HashMap::new();
        for k in lookup_keys(v) {
            for &c in index.get(&k).into_iter().flatten() {
                *hits.entry(c).or_insert(0) += 1;
            }
        }
        let mut cands: Vec<(u32, usize)> = hits.into_iter().map(|(c, h)| (h, c)).collect();
        cands.sort_unstable_by(|a, b| b.cmp(a));
        cands.truncate(MAX_CANDIDATES);
        let discount = |cl: &Cluster| {
            0.5f64.powf(gap_days(docs[i].dct, cl.first, cl.last) / opts.half_life_days.max(1e-9))
        };
        let mut best: Option<(f64, usize)> = None;
        let mut consider = |s: f64, c: usize| {
            if s >= 1.0 && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, c));
            }
        };
        let mut seen: HashSet<usize> = HashSet::with_capacity(cands.len());
        for &(_, c) in &cands {
            seen.insert(c);
            let cl = &clusters[c];
            consider(cl.score(&vectors[i], &docs[i], opts) * discount(cl), c);
        }
        // With an embedding, the stories that share no lookup term are
        // compared by embedding alone (those recent enough to reach 1).
        if let Some(e) = docs[i].embedding.as_ref() {
            for &c in &with_embedding {
                let cl = &clusters[c];
                let t = cl.embedding_threshold(&docs[i].lang, opts);
                if !t.is_finite() || seen.contains(&c) {
                    continue;
                }
                let d = discount(cl);
                if d < t {
                    continue;
                }
                consider(cl.embedding_similarity(Some(e)) / t.max(1e-9) * d, c);
            }
        }
        let c = match best {
            Some((_, c)) => c,
            None => {
                clusters.push(Cluster::new(story_id(&docs[i].id), i));
                clusters.len() - 1
            }
        };
        if docs[i].embedding.is_some() && clusters[c].emb.is_empty() {
            with_embedding.push(c);
        }
        clusters[c].add(i, &vectors[i], &docs[i]);
        register(&mut index, c, v);
    }
    clusters
        .into_iter()
        .map(|c| {
            let founder = &docs[c.founder];
            let title = founder
                .title
                .clone()
                .unwrap_or_else(|| top_terms(&c.centroid, &ids));
            Story {
                id: c.id,
                title,
                docs: c.docs.iter().map(|&i| docs[i].id.clone()).collect(),
                first: c.first,
                last: c.last,
            }
        })
        .collect()
}

/// A title for a story without titled articles: its heaviest words.
fn top_terms(centroid: &HashMap<u32, f64>, ids: &HashMap<&str, u32>) -> String {
    let names: BTreeMap<u32, &str> = ids.iter().map(|(k, v)| (*v, *k)).collect();
    let mut v: Vec<(&u32, &f64)> = centroid.iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .filter_map(|(f, _)| names.get(f))
        .filter_map(|t| t.strip_prefix("w:"))
        .take(5)
        .collect::<Vec<_>>()
        .join(" ")
}
