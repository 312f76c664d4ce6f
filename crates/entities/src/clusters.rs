//! Word clusters and capitalisation priors from unlabeled text: spherical
//! k-means over PPMI-weighted left/right context vectors, at several
//! granularities (a cheap stand-in for Brown clusters).

use std::collections::HashMap;

use crate::features::{norm_lower, LexEntry, Lexicon};

/// Settings for [`build_lexicon`].
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Cluster counts, one per granularity (at most 3).
    pub ks: Vec<usize>,
    /// Words seen fewer times get no cluster.
    pub min_freq: u32,
    /// Number of context words (most frequent) that make the dimensions.
    pub contexts: usize,
    pub iterations: usize,
    pub seed: u64,
    /// At most this many (most frequent) words get clusters.
    pub max_vocab: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            ks: vec![64, 256, 1000],
            min_freq: 2,
            contexts: 2000,
            iterations: 12,
            seed: 11,
            max_vocab: 60_000,
        }
    }
}

fn is_opening(w: &str) -> bool {
    matches!(w, "\"" | "'" | "(" | ":" | "-" | "." | "!" | "?")
}

/// Builds a lexicon (clusters + capitalisation priors) from tokenised
/// sentences.
pub fn build_lexicon(sentences: &[Vec<String>], cfg: &ClusterConfig, verbose: bool) -> Lexicon {
    let mut freq: HashMap<String, u32> = HashMap::new();
    let mut caps: HashMap<String, (u32, u32)> = HashMap::new();
    for s in sentences {
        for (i, w) in s.iter().enumerate() {
            let l = norm_lower(w);
            *freq.entry(l.clone()).or_insert(0) += 1;
            let first = w.chars().next();
            if !first.is_some_and(char::is_alphabetic) {
                continue;
            }
            let initial = i == 0 || is_opening(&s[i - 1]);
            let e = caps.entry(l).or_insert((0, 0));
            if first.is_some_and(char::is_lowercase) {
                e.1 += 1;
            } else if !initial {
                e.0 += 1;
            }
        }
    }
    let mut by_freq: Vec<(&String, &u32)> = freq.iter().collect();
    by_freq.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let ctx_index: HashMap<&str, usize> = by_freq
        .iter()
        .take(cfg.contexts)
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    let vocab: Vec<&String> = by_freq
        .iter()
        .filter(|(_, &c)| c >= cfg.min_freq)
        .take(cfg.max_vocab)
        .map(|(w, _)| *w)
        .collect();
    let vindex: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i))
        .collect();
    let dims = 4 * cfg.contexts;
    let mut co: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocab.len()];
    for s in sentences {
        let lows: Vec<String> = s.iter().map(|w| norm_lower(w)).collect();
        for (i, w) in lows.iter().enumerate() {
            let Some(&vi) = vindex.get(w.as_str()) else {
                continue;
            };
            for (slot, d) in [(0usize, -2isize), (1, -1), (2, 1), (3, 2)] {
                let j = i as isize + d;
                let c = if j < 0 {
                    "<s>"
                } else if j as usize >= lows.len() {
                    "</s>"
                } else {
                    lows[j as usize].as_str()
                };
                if let Some(&ci) = ctx_index.get(c) {
                    let w = if slot == 1 || slot == 2 { 1.0 } else { 0.5 };
                    *co[vi]
                        .entry((slot * cfg.contexts + ci) as u32)
                        .or_insert(0.0) += w;
                }
            }
        }
    }
    // PPMI weighting and L2 normalisation.
    let mut col = vec![0f64; dims];
    let mut total = 0f64;
    for row in &co {
        for (&d, &c) in row {
            col[d as usize] += c as f64;
            total += c as f64;
        }
    }
    let vecs: Vec<Vec<(u32, f32)>> = co
        .iter()
        .map(|row| {
            let rs: f64 = row.values().map(|&c| c as f64).sum();
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .filter_map(|(&d, &c)| {
                    let pmi = ((c as f64 * total)
                        / (rs * col[d as usize].powf(0.75) * total.powf(0.25)))
                    .ln();
                    (pmi > 0.0).then_some((d, pmi as f32))
                })
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                for x in v.iter_mut() {
                    x.1 /= norm;
                }
            }
            v
        })
        .collect();
    let mut assign: Vec<[u16; 3]> = vec![[u16::MAX; 3]; vocab.len()];
    for (g, &k) in cfg.ks.iter().take(3).enumerate() {
        let a = kmeans(&vecs, dims, k, cfg.iterations, cfg.seed + g as u64, verbose);
        for (i, c) in a.into_iter().enumerate() {
            assign[i][g] = c;
        }
    }
    let mut lex = Lexicon::default();
    for (w, &(cap, low)) in &caps {
        let r = cap as f32 / (cap + low).max(1) as f32;
        let b = if cap + low == 0 {
            0
        } else if cap == 0 {
            1
        } else if r < 0.3 {
            2
        } else if r < 0.7 {
            3
        } else if low > 0 {
            4
        } else {
            5
        };
        lex.words.insert(
            w.clone(),
            LexEntry {
                cap: b,
                ..LexEntry::default()
            },
        );
    }
    for (i, w) in vocab.iter().enumerate() {
        let e = lex.words.entry((*w).clone()).or_default();
        e.clusters = assign[i];
    }
    lex
}

/// Spherical k-means with k-means++ seeding; returns a cluster per vector
/// (`u16::MAX` for empty vectors).
fn kmeans(
    vecs: &[Vec<(u32, f32)>],
    dims: usize,
    k: usize,
    iters: usize,
    seed: u64,
    verbose: bool,
) -> Vec<u16> {
    let live: Vec<usize> = (0..vecs.len()).filter(|&i| !vecs[i].is_empty()).collect();
    let k = k.min(live.len()).min(u16::MAX as usize - 1);
    let mut out = vec![u16::MAX; vecs.len()];
    if k == 0 {
        return out;
    }
    let mut rng = seed.max(1);
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let dot = |c: &[f32], v: &[(u32, f32)]| v.iter().map(|&(d, x)| c[d as usize] * x).sum::<f32>();
    // k-means++ on a sample.
    let sample: Vec<usize> = live
        .iter()
        .copied()
        .filter(|_| next() % 4 == 0)
        .chain(live.iter().copied().take(k))
        .collect();
    let mut cents: Vec<Vec<f32>> = Vec::with_capacity(k);
    let to_dense = |v: &[(u32, f32)]| {
        let mut c = vec![0f32; dims];
        for &(d, x) in v {
            c[d as usize] = x;
        }
        c
    };
    cents.push(to_dense(&vecs[sample[0]]));
    let mut best: Vec<f32> = sample
        .iter()
        .map(|&i| 1.0 - dot(&cents[0], &vecs[i]))
        .collect();
    while cents.len() < k {
        let total: f32 = best.iter().map(|d| d.max(0.0) * d.max(0.0)).sum();
        let mut r = (next() % 1_000_000) as f32 / 1_000_000.0 * total;
        let mut pick = sample.len() - 1;
        for (j, d) in best.iter().enumerate() {
            r -= d.max(0.0) * d.max(0.0);
            if r <= 0.0 {
                pick = j;
                break;
            }
        }
        let c = to_dense(&vecs[sample[pick]]);
        for (j, &i) in sample.iter().enumerate() {
            best[j] = best[j].min(1.0 - dot(&c, &vecs[i]));
        }
        cents.push(c);
    }
    for it in 0..iters {
        let mut changed = 0;
        for &i in &live {
            let mut bc = 0usize;
            let mut bs = f32::NEG_INFINITY;
            for (c, cent) in cents.iter().enumerate() {
                let s = dot(cent, &vecs[i]);
                if s > bs {
                    bs = s;
                    bc = c;
                }
            }
            if out[i] != bc as u16 {
                changed += 1;
                out[i] = bc as u16;
            }
        }
        for c in cents.iter_mut() {
            c.iter_mut().for_each(|x| *x = 0.0);
        }
        for &i in &live {
            let c = &mut cents[out[i] as usize];
            for &(d, x) in &vecs[i] {
                c[d as usize] += x;
            }
        }
        for c in cents.iter_mut() {
            let n = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n > 0.0 {
                c.iter_mut().for_each(|x| *x /= n);
            }
        }
        if verbose {
            eprintln!("[kmeans k={k}] iteration {} changed {changed}", it + 1);
        }
        if changed == 0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_contexts_share_clusters() {
        let mut sents = Vec::new();
        for city in ["Gent", "Brugge", "Leuven"] {
            for _ in 0..5 {
                sents.push(vec![
                    "hij".into(),
                    "woont".into(),
                    "in".into(),
                    city.to_string(),
                    ".".into(),
                ]);
            }
        }
        for verb in ["loopt", "rent", "fietst"] {
            for _ in 0..5 {
                sents.push(vec![
                    "de".into(),
                    "man".into(),
                    verb.to_string(),
                    "snel".into(),
                    ".".into(),
                ]);
            }
        }
        let cfg = ClusterConfig {
            ks: vec![8],
            contexts: 20,
            ..ClusterConfig::default()
        };
        let lex = build_lexicon(&sents, &cfg, false);
        let c = |w: &str| lex.words[w].clusters[0];
        assert_eq!(c("gent"), c("brugge"));
        assert_eq!(c("loopt"), c("rent"));
        assert_ne!(c("gent"), c("loopt"));
        assert_eq!(lex.words["gent"].cap, 5);
        assert_eq!(lex.words["woont"].cap, 1);
    }
}
