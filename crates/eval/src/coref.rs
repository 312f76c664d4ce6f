//! Coreference and clustering scores: MUC, B³, CEAF-e (and their mean,
//! the CoNLL F1) as in the reference CoNLL scorer, and pairwise P/R/F1.
//!
//! A clustering is a label per item; key and response label the same
//! items (gold mentions).

use std::collections::HashMap;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f: f64,
}

impl Prf {
    pub fn new(p: f64, r: f64) -> Self {
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Self { p, r, f }
    }
}

fn clusters<L: std::hash::Hash + Eq + Clone>(labels: &[L]) -> Vec<Vec<usize>> {
    let mut by: HashMap<L, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let c = *by.entry(l.clone()).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[c].push(i);
    }
    out
}

/// MUC (Vilain et al. 1995).
pub fn muc<K, R>(key: &[K], resp: &[R]) -> Prf
where
    K: std::hash::Hash + Eq + Clone,
    R: std::hash::Hash + Eq + Clone,
{
    let side = |a: &[Vec<usize>], other: &[usize]| -> f64 {
        let (mut num, mut den) = (0usize, 0usize);
        for c in a {
            let mut parts: Vec<usize> = c.iter().map(|&i| other[i]).collect();
            parts.sort_unstable();
            parts.dedup();
            num += c.len() - parts.len();
            den += c.len() - 1;
        }
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let kc = clusters(key);
    let rc = clusters(resp);
    let kid = index_of(&kc, key.len());
    let rid = index_of(&rc, resp.len());
    Prf::new(side(&rc, &kid), side(&kc, &rid))
}

fn index_of(c: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut out = vec![0; n];
    for (ci, members) in c.iter().enumerate() {
        for &i in members {
            out[i] = ci;
        }
    }
    out
}

/// B³ (Bagga and Baldwin 1998), over all mentions.
pub fn b_cubed<K, R>(key: &[K], resp: &[R]) -> Prf
where
    K: std::hash::Hash + Eq + Clone,
    R: std::hash::Hash + Eq + Clone,
{
    let n = key.len();
    if n == 0 {
        return Prf::default();
    }
    let kc = clusters(key);
    let rc = clusters(resp);
    let kid = index_of(&kc, n);
    let rid = index_of(&rc, n);
    let mut overlap: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..n {
        *overlap.entry((kid[i], rid[i])).or_insert(0) += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let o = overlap[&(kid[i], rid[i])] as f64;
        p += o / rc[rid[i]].len() as f64;
        r += o / kc[kid[i]].len() as f64;
    }
    Prf::new(p / n as f64, r / n as f64)
}

/// CEAF-e (Luo 2005) with φ4 similarity and an optimal one-to-one
/// alignment of key and response clusters.
pub fn ceaf_e<K, R>(key: &[K], resp: &[R]) -> Prf
where
    K: std::hash::Hash + Eq + Clone,
    R: std::hash::Hash + Eq + Clone,
{
    let n = key.len();
    let kc = clusters(key);
    let rc = clusters(resp);
    if kc.is_empty() || rc.is_empty() {
        return Prf::default();
    }
    let kid = index_of(&kc, n);
    let rid = index_of(&rc, n);
    let mut overlap: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..n {
        *overlap.entry((kid[i], rid[i])).or_insert(0) += 1;
    }
    // Connected components of the overlap graph are aligned separately.
    let mut parent: Vec<usize> = (0..kc.len() + rc.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut x = x;
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(k, r) in overlap.keys() {
        let (a, b) = (find(&mut parent, k), find(&mut parent, kc.len() + r));
        parent[a] = b;
    }
    let mut comps: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for k in 0..kc.len() {
        let root = find(&mut parent, k);
        comps.entry(root).or_default().0.push(k);
    }
    for r in 0..rc.len() {
        let root = find(&mut parent, kc.len() + r);
        comps.entry(root).or_default().1.push(r);
    }
    let mut total = 0.0;
    for (ks, rs) in comps.values() {
        if ks.is_empty() || rs.is_empty() {
            continue;
        }
        let sim: Vec<Vec<f64>> = ks
            .iter()
            .map(|&k| {
                rs.iter()
                    .map(|&r| {
                        let o = overlap.get(&(k, r)).copied().unwrap_or(0) as f64;
                        2.0 * o / (kc[k].len() + rc[r].len()) as f64
                    })
                    .collect()
            })
            .collect();
        total += max_assignment(&sim);
    }
    Prf::new(total / rc.len() as f64, total / kc.len() as f64)
}

/// The largest total weight of a one-to-one assignment of rows to columns
/// (Hungarian algorithm, O(n³)).
pub fn max_assignment(w: &[Vec<f64>]) -> f64 {
    let rows = w.len();
    let cols = w.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return 0.0;
    }
    let n = rows.max(cols);
    let max = w.iter().flatten().copied().fold(0.0, f64::max);
    // Square cost matrix (1-based inside the algorithm).
    let cost = |i: usize, j: usize| -> f64 {
        if i < rows && j < cols {
            max - w[i][j]
        } else {
            max
        }
    };
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut total = 0.0;
    for j in 1..=n {
        let i = p[j];
        if i >= 1 && i <= rows && j <= cols {
            total += w[i - 1][j - 1];
        }
    }
    total
}

/// MUC, B³, CEAF-e and the CoNLL F1 (their mean F1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CorefScores {
    pub muc: Prf,
    pub b3: Prf,
    pub ceaf_e: Prf,
    pub conll: f64,
}

pub fn coref<K, R>(key: &[K], resp: &[R]) -> CorefScores
where
    K: std::hash::Hash + Eq + Clone,
    R: std::hash::Hash + Eq + Clone,
{
    let muc = muc(key, resp);
    let b3 = b_cubed(key, resp);
    let ceaf_e = ceaf_e(key, resp);
    CorefScores {
        muc,
        b3,
        ceaf_e,
        conll: (muc.f + b3.f + ceaf_e.f) / 3.0,
    }
}

/// Pairwise precision/recall/F1: over pairs of items placed together.
pub fn pairwise<K, R>(key: &[K], resp: &[R]) -> Prf
where
    K: std::hash::Hash + Eq + Clone,
    R: std::hash::Hash + Eq + Clone,
{
    let pairs = |c: &[Vec<usize>]| {
        c.iter()
            .map(|x| x.len() * (x.len().saturating_sub(1)) / 2)
            .sum::<usize>()
    };
    let kc = clusters(key);
    let rc = clusters(resp);
    let kid = index_of(&kc, key.len());
    let mut both = 0usize;
    for c in &rc {
        let mut by: HashMap<usize, usize> = HashMap::new();
        for &i in c {
            *by.entry(kid[i]).or_insert(0) += 1;
        }
        both += by.values().map(|n| n * (n - 1) / 2).sum::<usize>();
    }
    let (kp, rp) = (pairs(&kc), pairs(&rc));
    Prf::new(
        if rp == 0 {
            0.0
        } else {
            both as f64 / rp as f64
        },
        if kp == 0 {
            0.0
        } else {
            both as f64 / kp as f64
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_known_values() {
        let key = [1, 1, 1, 2, 2, 3];
        let s = coref(&key, &key);
        assert!((s.conll - 1.0).abs() < 1e-9);
        // Classic example: key {a b c} {d e}, response {a b} {c d e}.
        let key = [1, 1, 1, 2, 2];
        let resp = [1, 1, 2, 2, 2];
        let m = muc(&key, &resp);
        assert!((m.r - 2.0 / 3.0).abs() < 1e-9 && (m.p - 2.0 / 3.0).abs() < 1e-9);
        let b = b_cubed(&key, &resp);
        // P: a,b: 2/2; c: 1/3; d,e: 2/3 → (1+1+1/3+2/3+2/3)/5
        assert!((b.p - (1.0 + 1.0 + 1.0 / 3.0 + 2.0 / 3.0 + 2.0 / 3.0) / 5.0).abs() < 1e-9);
        let c = ceaf_e(&key, &resp);
        // Best alignment: {abc}-{ab} (φ4 = 4/5) + {de}-{cde} (4/5) = 1.6.
        assert!((c.p - 0.8).abs() < 1e-9 && (c.r - 0.8).abs() < 1e-9);
        let pw = pairwise(&key, &resp);
        // key pairs: ab ac bc de (4); resp pairs: ab cd ce de (4); shared ab de.
        assert!((pw.p - 0.5).abs() < 1e-9 && (pw.r - 0.5).abs() < 1e-9);
    }

    #[test]
    fn assignment_is_optimal() {
        let w = vec![vec![1.0, 0.9], vec![0.9, 0.0]];
        assert!((max_assignment(&w) - 1.8).abs() < 1e-9);
        let w = vec![vec![0.5, 0.2, 0.1]];
        assert!((max_assignment(&w) - 0.5).abs() < 1e-9);
    }
}
