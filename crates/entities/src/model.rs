//! The sequence tagger: a first-order linear-chain model over BILOU tags,
//! trained as an averaged structured perceptron, decoded with Viterbi under
//! BILOU constraints. Two stages: the second sees the first stage's
//! predictions for the same word forms elsewhere in the article.

use std::collections::HashMap;
use std::io::{Read, Write};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::conll::{score_conll, ConllDoc, ConllScores};
use crate::features::{add_first_pass_features, extract, DocContext, FastMap, Lexicon};
use crate::gazetteer::{gazetteer, Gazetteer};

/// Entity types, in tag order.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];
/// Number of BILOU tags: O plus B, I, L, U for each type.
pub const NT: usize = 1 + 4 * TYPES.len();
const START: usize = NT;

#[inline]
fn tag_type(t: usize) -> usize {
    if t == 0 {
        0
    } else {
        (t - 1) / 4 + 1
    }
}
#[inline]
fn tag_pos(t: usize) -> usize {
    // 0 = B, 1 = I, 2 = L, 3 = U
    (t - 1) % 4
}

/// Whether tag `b` may follow tag `a` (`a == START` at the sentence start).
fn allowed(a: usize, b: usize) -> bool {
    let a_open = a != START && a != 0 && tag_pos(a) <= 1;
    if a_open {
        b != 0 && tag_type(a) == tag_type(b) && (tag_pos(b) == 1 || tag_pos(b) == 2)
    } else {
        b == 0 || tag_pos(b) == 0 || tag_pos(b) == 3
    }
}

fn allowed_end(a: usize) -> bool {
    a == 0 || tag_pos(a) >= 2
}

/// IOB2 tag strings → BILOU indices.
pub fn iob_to_bilou(tags: &[String]) -> Vec<usize> {
    let ty = |t: &str| TYPES.iter().position(|x| t.get(2..) == Some(*x));
    let n = tags.len();
    let mut out = vec![0; n];
    for i in 0..n {
        let Some(k) = ty(&tags[i]) else { continue };
        let begins = tags[i].starts_with("B-") || i == 0 || ty(&tags[i - 1]) != Some(k);
        let continues = i + 1 < n && tags[i + 1].starts_with("I-") && ty(&tags[i + 1]) == Some(k);
        let pos = match (begins, continues) {
            (true, false) => 3,
            (true, true) => 0,
            (false, true) => 1,
            (false, false) => 2,
        };
        out[i] = 1 + 4 * k + pos;
    }
    out
}

/// BILOU indices → IOB2 tag strings.
pub fn bilou_to_iob(tags: &[usize]) -> Vec<String> {
    tags.iter()
        .map(|&t| {
            if t == 0 || t >= NT {
                "O".to_string()
            } else {
                let p = if tag_pos(t) == 0 || tag_pos(t) == 3 {
                    "B"
                } else {
                    "I"
                };
                format!("{p}-{}", TYPES[tag_type(t) - 1])
            }
        })
        .collect()
}

/// The entity type index (1-based, 0 = outside) of each token.
pub fn token_types(tags: &[usize]) -> Vec<u8> {
    tags.iter()
        .map(|&t| tag_type(t.min(NT - 1)) as u8)
        .collect()
}

/// Viterbi over emission scores `em` (n × NT) and transitions
/// (`(NT + 1) × NT`, last row = start).
fn viterbi(em: &[f32], n: usize, trans: &[f32]) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = vec![NEG; n * NT];
    let mut back = vec![0u8; n * NT];
    for b in 0..NT {
        if allowed(START, b) {
            score[b] = em[b] + trans[START * NT + b];
        }
    }
    for i in 1..n {
        for b in 0..NT {
            let mut best = NEG;
            let mut arg = 0;
            for a in 0..NT {
                let s = score[(i - 1) * NT + a];
                if s == NEG || !allowed(a, b) {
                    continue;
                }
                let v = s + trans[a * NT + b];
                if v > best {
                    best = v;
                    arg = a;
                }
            }
            if best > NEG {
                score[i * NT + b] = best + em[i * NT + b];
                back[i * NT + b] = arg as u8;
            }
        }
    }
    let mut last = 0;
    let mut best = NEG;
    for a in 0..NT {
        let s = score[(n - 1) * NT + a];
        if allowed_end(a) && s > best {
            best = s;
            last = a;
        }
    }
    let mut out = vec![0; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i * NT + out[i]] as usize;
    }
    out
}

/// A lone word that the gazetteer knows as a country name, tagged as an
/// organisation or a person, becomes a place: in the CoNLL training data a
/// single-word country name is a place 589 times out of 592 (Dutch) and
/// 3,261 out of 3,281 (English), but word clusters that group countries
/// with armies or governments can outvote the gazetteer feature.
fn countries_as_places(words: &[&str], tags: &mut [usize], gaz: &Gazetteer) {
    let unit = |ty: &str| TYPES.iter().position(|t| *t == ty).map(|k| 1 + 4 * k + 3);
    let (Some(u_per), Some(u_org), Some(u_loc)) = (unit("PER"), unit("ORG"), unit("LOC")) else {
        return;
    };
    if !tags.iter().any(|&t| t == u_per || t == u_org) {
        return;
    }
    let single_country = 1u16 << (crate::gazetteer::G_COUNTRY as u16 * 4);
    for (t, g) in tags.iter_mut().zip(gaz.tag(words)) {
        if (*t == u_per || *t == u_org) && g & single_country != 0 {
            *t = u_loc;
        }
    }
}

/// One trained stage, quantised.
#[derive(Debug, Clone, Default)]
pub struct Tagger {
    index: FastMap<u32, u32>,
    weights: Vec<i16>,
    trans: Vec<f32>,
    scale: f32,
}

impl Tagger {
    fn emissions(&self, feats: &[Vec<u32>]) -> Vec<f32> {
        let mut em = vec![0f32; feats.len() * NT];
        for (i, fs) in feats.iter().enumerate() {
            let row = &mut em[i * NT..(i + 1) * NT];
            let mut acc = [0i32; NT];
            for f in fs {
                if let Some(&k) = self.index.get(f) {
                    let w = &self.weights[k as usize * NT..(k as usize + 1) * NT];
                    for t in 0..NT {
                        acc[t] += w[t] as i32;
                    }
                }
            }
            for t in 0..NT {
                row[t] = acc[t] as f32 * self.scale;
            }
        }
        em
    }

    fn decode(&self, feats: &[Vec<u32>]) -> Vec<usize> {
        viterbi(&self.emissions(feats), feats.len(), &self.trans)
    }

    pub fn n_features(&self) -> usize {
        self.index.len()
    }
}

/// A trained recogniser: lexicon (clusters, capitalisation priors) and one
/// or two tagging stages.
#[derive(Debug, Clone, Default)]
pub struct NerModel {
    pub lang: String,
    pub lexicon: Lexicon,
    pub stages: Vec<Tagger>,
    /// Retag lone country names tagged ORG or PER as LOC (see
    /// `countries_as_places`); chosen at training time, on the dev set.
    pub countries_as_places: bool,
}

#[derive(Serialize, Deserialize)]
struct Header {
    lang: String,
    types: Vec<String>,
    stages: Vec<(usize, f32)>,
    lexicon_bytes: usize,
    licence: String,
    #[serde(default)]
    countries_as_places: bool,
}

const MAGIC: &[u8; 6] = b"KRNER1";

impl NerModel {
    /// Tags one article's sentences; returns BILOU tag indices.
    pub fn tag_doc(&self, sentences: &[Vec<&str>]) -> Vec<Vec<usize>> {
        self.tag_doc_with(sentences, gazetteer())
    }

    fn tag_doc_with(&self, sentences: &[Vec<&str>], gaz: &Gazetteer) -> Vec<Vec<usize>> {
        let ctx = DocContext::from_sentences(sentences.iter().map(Vec::as_slice));
        let base: Vec<Vec<Vec<u32>>> = sentences
            .iter()
            .map(|s| {
                let mut f = Vec::new();
                extract(s, &self.lexicon, gaz, &ctx, &mut f);
                f
            })
            .collect();
        let mut out: Vec<Vec<usize>> = Vec::with_capacity(sentences.len());
        for (k, stage) in self.stages.iter().enumerate() {
            if k == 0 {
                out = base.iter().map(|f| stage.decode(f)).collect();
            } else {
                let mut c2 = ctx.clone();
                for (s, t) in sentences.iter().zip(&out) {
                    c2.add_first_pass(s, &token_types(t));
                }
                out = sentences
                    .iter()
                    .zip(&base)
                    .map(|(s, f)| {
                        let mut f = f.clone();
                        add_first_pass_features(s, &c2, &mut f);
                        stage.decode(&f)
                    })
                    .collect();
            }
        }
        if self.countries_as_places {
            for (s, tags) in sentences.iter().zip(out.iter_mut()) {
                countries_as_places(s, tags, gaz);
            }
        }
        out
    }

    /// Serialises the model (gzip-compressed binary).
    pub fn to_bytes(&self, licence: &str) -> anyhow::Result<Vec<u8>> {
        let lex = self.lexicon.to_text();
        let header = Header {
            lang: self.lang.clone(),
            types: TYPES.iter().map(|s| s.to_string()).collect(),
            stages: self
                .stages
                .iter()
                .map(|s| (s.index.len(), s.scale))
                .collect(),
            lexicon_bytes: lex.len(),
            countries_as_places: self.countries_as_places,
            licence: licence.to_string(),
        };
        let hj = serde_json::to_vec(&header)?;
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&(hj.len() as u32).to_le_bytes());
        raw.extend_from_slice(&hj);
        for st in &self.stages {
            let mut keys: Vec<(u32, u32)> = st.index.iter().map(|(&h, &k)| (h, k)).collect();
            keys.sort_unstable();
            for (h, _) in &keys {
                raw.extend_from_slice(&h.to_le_bytes());
            }
            // Weights column by column (all features' weight for tag 0,
            // then tag 1, ...): zeros cluster and compress well.
            for t in 0..NT {
                for (_, k) in &keys {
                    raw.extend_from_slice(&st.weights[*k as usize * NT + t].to_le_bytes());
                }
            }
            for v in &st.trans {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        }
        raw.extend_from_slice(lex.as_bytes());
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw)?;
        Ok(enc.finish()?)
    }

    /// Loads a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Self> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .context("model is not gzip data")?;
        let mut r = Reader { b: &raw, p: 0 };
        if r.take(6)? != MAGIC {
            bail!("not a kroniek NER model");
        }
        let hl = r.u32()? as usize;
        let header: Header = serde_json::from_slice(r.take(hl)?)?;
        if header.types != TYPES {
            bail!("model types {:?} differ from {:?}", header.types, TYPES);
        }
        let mut stages = Vec::new();
        for &(n, scale) in &header.stages {
            let mut index = FastMap::default();
            index.reserve(n);
            for k in 0..n {
                index.insert(r.u32()?, k as u32);
            }
            let mut weights = vec![0i16; n * NT];
            for t in 0..NT {
                for k in 0..n {
                    weights[k * NT + t] = r.i16()?;
                }
            }
            let mut trans = vec![0f32; (NT + 1) * NT];
            for v in trans.iter_mut() {
                *v = r.f32()?;
            }
            stages.push(Tagger {
                index,
                weights,
                trans,
                scale,
            });
        }
        let lex = std::str::from_utf8(r.take(header.lexicon_bytes)?)?;
        Ok(Self {
            lang: header.lang,
            lexicon: Lexicon::parse(lex),
            stages,
            countries_as_places: header.countries_as_places,
        })
    }
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> anyhow::Result<&'a [u8]> {
        let end = self.p.checked_add(n).context("overflow")?;
        let s = self.b.get(self.p..end).context("model file truncated")?;
        self.p = end;
        Ok(s)
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn i16(&mut self) -> anyhow::Result<i16> {
        Ok(i16::from_le_bytes(self.take(2)?.try_into()?))
    }
    fn f32(&mut self) -> anyhow::Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
}

// ---------------------------------------------------------------- training

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub epochs: usize,
    /// Folds for the jackknifed first-pass predictions that train the second
    /// stage; 0 trains one stage only.
    pub folds: usize,
    /// Drop features whose largest absolute averaged weight is below this
    /// fraction of the largest weight in the model.
    pub prune: f32,
    /// Drop features seen fewer times than this in training.
    pub min_count: u32,
    pub seed: u64,
    /// Perceptrons per stage (seeds `seed`, `seed + 1`, ...), averaged.
    pub seeds: usize,
    pub verbose: bool,
    /// Sets [`NerModel::countries_as_places`].
    pub countries_as_places: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 12,
            folds: 5,
            prune: 0.002,
            min_count: 1,
            seed: 7,
            seeds: 1,
            verbose: true,
            countries_as_places: false,
        }
    }
}

struct Example {
    feats: Vec<Vec<u32>>,
    gold: Vec<usize>,
}

fn words_of(doc: &ConllDoc) -> Vec<Vec<&str>> {
    doc.sentences
        .iter()
        .map(|s| s.words.iter().map(String::as_str).collect())
        .collect()
}

fn examples(
    docs: &[ConllDoc],
    lex: &Lexicon,
    first_pass: Option<&[Vec<Vec<usize>>]>,
) -> Vec<Example> {
    let gaz = gazetteer();
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let words = words_of(doc);
        let mut ctx = DocContext::from_sentences(words.iter().map(Vec::as_slice));
        if let Some(fp) = first_pass {
            for (s, t) in words.iter().zip(&fp[d]) {
                ctx.add_first_pass(s, &token_types(t));
            }
        }
        for (s, sent) in words.iter().zip(&doc.sentences) {
            let mut feats = Vec::new();
            extract(s, lex, gaz, &ctx, &mut feats);
            out.push(Example {
                feats,
                gold: iob_to_bilou(&sent.tags),
            });
        }
    }
    out
}

struct Perceptron {
    index: HashMap<u32, u32>,
    counts: Vec<u32>,
    w: Vec<f32>,
    u: Vec<f32>,
    trans: Vec<f32>,
    trans_u: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(exs: &[Example]) -> Self {
        let mut index = HashMap::new();
        let mut counts = Vec::new();
        for e in exs {
            for fs in &e.feats {
                for &f in fs {
                    let k = *index.entry(f).or_insert_with(|| {
                        counts.push(0);
                        counts.len() as u32 - 1
                    });
                    counts[k as usize] += 1;
                }
            }
        }
        let n = index.len();
        Self {
            index,
            counts,
            w: vec![0.0; n * NT],
            u: vec![0.0; n * NT],
            trans: vec![0.0; (NT + 1) * NT],
            trans_u: vec![0.0; (NT + 1) * NT],
            c: 1.0,
        }
    }

    fn decode(&self, feats: &[Vec<u32>]) -> Vec<usize> {
        let mut em = vec![0f32; feats.len() * NT];
        for (i, fs) in feats.iter().enumerate() {
            for f in fs {
                if let Some(&k) = self.index.get(f) {
                    let w = &self.w[k as usize * NT..(k as usize + 1) * NT];
                    for t in 0..NT {
                        em[i * NT + t] += w[t];
                    }
                }
            }
        }
        viterbi(&em, feats.len(), &self.trans)
    }

    fn update(&mut self, e: &Example, pred: &[usize]) {
        let c = self.c;
        for (i, fs) in e.feats.iter().enumerate() {
            let (g, p) = (e.gold[i], pred[i]);
            if g != p {
                for f in fs {
                    if let Some(&k) = self.index.get(f) {
                        let k = k as usize * NT;
                        self.w[k + g] += 1.0;
                        self.u[k + g] += c;
                        self.w[k + p] -= 1.0;
                        self.u[k + p] -= c;
                    }
                }
            }
            let (gp, pp) = if i == 0 {
                (START, START)
            } else {
                (e.gold[i - 1], pred[i - 1])
            };
            if (gp, g) != (pp, p) {
                self.trans[gp * NT + g] += 1.0;
                self.trans_u[gp * NT + g] += c;
                self.trans[pp * NT + p] -= 1.0;
                self.trans_u[pp * NT + p] -= c;
            }
        }
    }

    /// The averaged weights and transitions.
    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(w, u)| w - u / self.c).collect()
        };
        (avg(&self.w, &self.u), avg(&self.trans, &self.trans_u))
    }

    /// Averaged weights, pruned and quantised.
    fn finish(&self, cfg: &TrainConfig) -> Tagger {
        let avg: Vec<f32> = self
            .w
            .iter()
            .zip(&self.u)
            .map(|(w, u)| w - u / self.c)
            .collect();
        let trans: Vec<f32> = self
            .trans
            .iter()
            .zip(&self.trans_u)
            .map(|(w, u)| w - u / self.c)
            .collect();
        let maxw = avg.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
        let scale = maxw / 32767.0;
        let thr = maxw * cfg.prune;
        let mut index = FastMap::default();
        let mut weights = Vec::new();
        for (&h, &k) in &self.index {
            let row = &avg[k as usize * NT..(k as usize + 1) * NT];
            if self.counts[k as usize] < cfg.min_count || row.iter().all(|w| w.abs() < thr) {
                continue;
            }
            index.insert(h, index.len() as u32);
            weights.extend(
                row.iter()
                    .map(|w| (w / scale).round().clamp(-32767.0, 32767.0) as i16),
            );
        }
        Tagger {
            index,
            weights,
            trans,
            scale,
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Trains one stage: `cfg.seeds` perceptrons on differently shuffled data
/// whose averaged weights are averaged again (less variance than one run).
fn train_stage(exs: &[Example], cfg: &TrainConfig, dev: Option<&[Example]>, label: &str) -> Tagger {
    let n = cfg.seeds.max(1);
    let mut acc: Option<Perceptron> = None;
    for k in 0..n {
        let c = TrainConfig {
            seed: cfg.seed + k as u64,
            ..cfg.clone()
        };
        let p = train_perceptron(exs, &c, dev, label);
        let (w, t) = p.averaged();
        match acc.as_mut() {
            None => {
                let mut q = p;
                q.w = w;
                q.trans = t;
                q.u.iter_mut().for_each(|x| *x = 0.0);
                q.trans_u.iter_mut().for_each(|x| *x = 0.0);
                q.c = 1.0;
                acc = Some(q);
            }
            Some(q) => {
                q.w.iter_mut().zip(&w).for_each(|(a, b)| *a += b);
                q.trans.iter_mut().zip(&t).for_each(|(a, b)| *a += b);
            }
        }
    }
    let Some(mut q) = acc else {
        return Tagger::default();
    };
    let inv = 1.0 / n as f32;
    q.w.iter_mut().for_each(|x| *x *= inv);
    q.trans.iter_mut().for_each(|x| *x *= inv);
    let t = q.finish(cfg);
    if cfg.verbose && n > 1 {
        if let Some(dev) = dev {
            let f1 = score_examples(&t, dev).micro.f1();
            eprintln!("[{label}] {n} runs averaged: dev F1 {f1:.2}");
        }
    }
    t
}

fn train_perceptron(
    exs: &[Example],
    cfg: &TrainConfig,
    dev: Option<&[Example]>,
    label: &str,
) -> Perceptron {
    let mut p = Perceptron::new(exs);
    let mut order: Vec<usize> = (0..exs.len()).collect();
    let mut rng = Rng(cfg.seed.max(1));
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &k in &order {
            let e = &exs[k];
            let pred = p.decode(&e.feats);
            if pred != e.gold {
                errors += 1;
                p.update(e, &pred);
            }
            p.c += 1.0;
        }
        if cfg.verbose {
            let devs = match dev {
                Some(dev) if epoch + 1 == cfg.epochs || epoch % 3 == 2 => {
                    let t = p.finish(&TrainConfig {
                        prune: 0.0,
                        ..cfg.clone()
                    });
                    format!(" dev F1 {:.2}", score_examples(&t, dev).micro.f1())
                }
                _ => String::new(),
            };
            eprintln!(
                "[{label}] epoch {} sentences wrong {errors}/{}{devs}",
                epoch + 1,
                exs.len()
            );
        }
    }
    p
}

fn score_examples(t: &Tagger, exs: &[Example]) -> ConllScores {
    let pairs: Vec<(Vec<String>, Vec<String>)> = exs
        .iter()
        .map(|e| (bilou_to_iob(&e.gold), bilou_to_iob(&t.decode(&e.feats))))
        .collect();
    score_conll(pairs.iter().map(|(g, p)| (g.as_slice(), p.as_slice())))
}

/// Trains a model on CoNLL documents (`dev` only prints progress).
pub fn train(
    lang: &str,
    train_docs: &[ConllDoc],
    dev_docs: Option<&[ConllDoc]>,
    lexicon: Lexicon,
    cfg: &TrainConfig,
) -> NerModel {
    let exs = examples(train_docs, &lexicon, None);
    let dev1 = dev_docs.map(|d| examples(d, &lexicon, None));
    let s1 = train_stage(&exs, cfg, dev1.as_deref(), "stage 1");
    let mut model = NerModel {
        lang: lang.to_string(),
        lexicon,
        stages: vec![s1],
        countries_as_places: cfg.countries_as_places,
    };
    if cfg.folds >= 2 {
        // Jackknifed first-pass predictions for the training documents.
        let mut fp: Vec<Vec<Vec<usize>>> = vec![Vec::new(); train_docs.len()];
        for fold in 0..cfg.folds {
            let held: Vec<usize> = (0..train_docs.len())
                .filter(|d| d % cfg.folds == fold)
                .collect();
            let rest: Vec<ConllDoc> = (0..train_docs.len())
                .filter(|d| d % cfg.folds != fold)
                .map(|d| train_docs[d].clone())
                .collect();
            let ex_rest = examples(&rest, &model.lexicon, None);
            let quiet = TrainConfig {
                verbose: false,
                ..cfg.clone()
            };
            let t = train_stage(&ex_rest, &quiet, None, "fold");
            let m = NerModel {
                lang: lang.to_string(),
                lexicon: model.lexicon.clone(),
                stages: vec![t],
                countries_as_places: cfg.countries_as_places,
            };
            for &d in &held {
                fp[d] = m.tag_doc(&words_of(&train_docs[d]));
            }
            if cfg.verbose {
                eprintln!("[jackknife] fold {} of {} done", fold + 1, cfg.folds);
            }
        }
        let exs2 = examples(train_docs, &model.lexicon, Some(&fp));
        let dev2 = dev_docs.map(|docs| {
            let fp: Vec<Vec<Vec<usize>>> =
                docs.iter().map(|d| model.tag_doc(&words_of(d))).collect();
            examples(docs, &model.lexicon, Some(&fp))
        });
        let s2 = train_stage(&exs2, cfg, dev2.as_deref(), "stage 2");
        model.stages.push(s2);
    }
    model
}

/// Tags CoNLL documents and scores them against their gold tags.
pub fn evaluate(model: &NerModel, docs: &[ConllDoc]) -> (ConllScores, Vec<Vec<Vec<String>>>) {
    let mut pairs = Vec::new();
    let mut preds = Vec::new();
    for doc in docs {
        let tagged = model.tag_doc(&words_of(doc));
        let mut dp = Vec::new();
        for (s, t) in doc.sentences.iter().zip(tagged) {
            let p = bilou_to_iob(&t);
            pairs.push((s.tags.clone(), p.clone()));
            dp.push(p);
        }
        preds.push(dp);
    }
    let sc = score_conll(pairs.iter().map(|(g, p)| (g.as_slice(), p.as_slice())));
    (sc, preds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll::ConllSentence;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn bilou_round_trip() {
        let t = v("B-PER I-PER I-PER O B-LOC B-LOC O B-ORG I-ORG");
        let b = iob_to_bilou(&t);
        assert_eq!(bilou_to_iob(&b), t);
        assert!(b.windows(2).all(|w| allowed(w[0], w[1])));
    }

    #[test]
    fn viterbi_respects_constraints() {
        // Emissions that prefer an I- tag at the start: not allowed.
        let mut em = vec![0f32; 2 * NT];
        em[2] = 5.0; // I-PER at token 0
        em[NT + 3] = 5.0; // L-PER at token 1
        let trans = vec![0f32; (NT + 1) * NT];
        let out = viterbi(&em, 2, &trans);
        assert!(allowed(START, out[0]) && allowed(out[0], out[1]) && allowed_end(out[1]));
        assert_eq!(out, vec![1, 3]);
    }

    #[test]
    fn learns_a_toy_task_and_round_trips() {
        let sent = |w: &str, t: &str| ConllSentence {
            words: v(w),
            tags: v(t),
        };
        let doc = ConllDoc {
            sentences: vec![
                sent("Jan Peeters woont in Gent .", "B-PER I-PER O O B-LOC O"),
                sent("Marie Claes werkt in Brugge .", "B-PER I-PER O O B-LOC O"),
                sent("Hij woont in Antwerpen .", "O O O B-LOC O"),
            ],
        };
        let cfg = TrainConfig {
            epochs: 8,
            folds: 0,
            verbose: false,
            ..TrainConfig::default()
        };
        let docs = vec![doc.clone(); 3];
        let m = train("nl", &docs, None, Lexicon::default(), &cfg);
        let (sc, _) = evaluate(&m, &docs);
        assert!(sc.micro.f1() > 99.0, "{}", sc.table());
        let bytes = m.to_bytes("test").unwrap();
        let m2 = NerModel::from_bytes(&bytes).unwrap();
        assert_eq!(evaluate(&m2, &docs).0.micro, sc.micro);
        assert!(NerModel::from_bytes(b"garbage").is_err());
        assert!(NerModel::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }
}
