//! Feature extraction for the sequence tagger: hashed string features per
//! token (word forms, shapes, affixes, context words, gazetteer matches,
//! word clusters, capitalisation priors and document-level evidence).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::gazetteer::{Gazetteer, N_CLASSES};

/// FNV-1a, a fast hasher for the short strings and integer keys of the
/// tagger's tables (not exposed to untrusted keys in a way that matters:
/// a collision attack only slows tagging down).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0, bytes);
    }
    fn write_u32(&mut self, n: u32) {
        // Keys that are already hashes: one multiply spreads them.
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A `HashMap` with [`Fnv`] hashing.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// What unlabeled text tells about a lowercased word form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexEntry {
    /// Word clusters at three granularities (`u16::MAX` = none).
    pub clusters: [u16; 3],
    /// Capitalisation prior bucket: 1 = always lower case, ..., 5 = always
    /// capitalised (outside sentence-initial position); 0 = unknown.
    pub cap: u8,
    /// Clusters of the word's vector in a pre-trained embedding table, at
    /// two granularities (`u16::MAX` = none); see
    /// `scripts/embedding_clusters.py`.
    pub emb: [u16; 2],
}

impl Default for LexEntry {
    fn default() -> Self {
        Self {
            clusters: [u16::MAX; 3],
            cap: 0,
            emb: [u16::MAX; 2],
        }
    }
}

/// Word clusters and capitalisation priors derived from unlabeled text,
/// and optionally clusters from a pre-trained embedding table.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub words: FastMap<String, LexEntry>,
    /// Whether any word has embedding clusters (only then do the tagger's
    /// embedding-cluster features fire, so models trained without them are
    /// unchanged).
    pub has_emb: bool,
}

impl Lexicon {
    /// Parses `word \t c1 \t c2 \t c3 \t cap [\t e1 \t e2]` lines.
    pub fn parse(text: &str) -> Self {
        let mut words = FastMap::default();
        let mut has_emb = false;
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            let c = |i: usize| {
                f.get(i)
                    .and_then(|s| s.parse::<u16>().ok())
                    .unwrap_or(u16::MAX)
            };
            let e = LexEntry {
                clusters: [c(1), c(2), c(3)],
                cap: f[4].parse().unwrap_or(0),
                emb: [c(5), c(6)],
            };
            has_emb |= e.emb != [u16::MAX; 2];
            words.insert(f[0].to_string(), e);
        }
        Self { words, has_emb }
    }

    /// Adds embedding clusters from `word \t e1 [\t e2]` lines (words are
    /// looked up as [`norm_lower`] forms; words new to the lexicon get an
    /// entry with no other clusters).
    pub fn add_embedding_clusters(&mut self, text: &str) {
        for line in text.lines() {
            let mut f = line.split('\t');
            let Some(w) = f.next().filter(|w| !w.is_empty()) else {
                continue;
            };
            let mut c = [u16::MAX; 2];
            for (slot, v) in c.iter_mut().zip(f) {
                *slot = v.trim().parse().unwrap_or(u16::MAX);
            }
            if c == [u16::MAX; 2] {
                continue;
            }
            self.words.entry(norm_lower(w)).or_default().emb = c;
            self.has_emb = true;
        }
    }

    pub fn to_text(&self) -> String {
        let mut keys: Vec<&String> = self.words.keys().collect();
        keys.sort();
        let mut s = String::new();
        for k in keys {
            let e = &self.words[k];
            s.push_str(&format!(
                "{k}\t{}\t{}\t{}\t{}",
                e.clusters[0], e.clusters[1], e.clusters[2], e.cap
            ));
            if self.has_emb {
                s.push_str(&format!("\t{}\t{}", e.emb[0], e.emb[1]));
            }
            s.push('\n');
        }
        s
    }
}

/// Document-level evidence shared by all sentences of one article.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    /// Forms seen capitalised outside sentence-initial position.
    pub cap_forms: HashSet<String>,
    /// Lowercased forms seen in lower case.
    pub lower_forms: HashSet<String>,
    /// First-pass predictions: form → counts of the type of the entity
    /// that contains it (index 0 = outside, 1.. = entity types).
    pub first_pass: Option<HashMap<String, [u16; 5]>>,
    /// Context aggregation (Ratinov & Roth 2009): for each capitalised
    /// form, feature hashes of the words around all its occurrences in the
    /// document (deduplicated, at most [`MAX_AGG`]).
    pub contexts: HashMap<String, Vec<u32>>,
}

/// At most this many aggregated context features per word form.
pub const MAX_AGG: usize = 24;

impl DocContext {
    /// Collects the capitalisation evidence and the aggregated contexts
    /// of a document's sentences.
    pub fn from_sentences<'a, I, S>(sentences: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[&'a str]>,
    {
        let mut d = DocContext::default();
        for s in sentences {
            let s = s.as_ref();
            for (i, w) in s.iter().enumerate() {
                let first = w.chars().next();
                if first.is_some_and(char::is_uppercase) {
                    if i > 0 && !is_opening(s[i - 1]) {
                        d.cap_forms.insert((*w).to_string());
                    }
                } else if first.is_some_and(char::is_lowercase) {
                    d.lower_forms.insert((*w).to_string());
                }
                if first.is_some_and(char::is_uppercase) {
                    let ctx = d.contexts.entry((*w).to_string()).or_default();
                    if ctx.len() >= MAX_AGG {
                        continue;
                    }
                    let at = |j: Option<usize>| j.and_then(|j| s.get(j)).map(|w| norm_lower(w));
                    let mut push = |h: u32| {
                        if !ctx.contains(&h) {
                            ctx.push(h);
                        }
                    };
                    for (tpl, j) in [
                        ("a-1", i.checked_sub(1)),
                        ("a+1", Some(i + 1)),
                        ("a-2", i.checked_sub(2)),
                        ("a+2", Some(i + 2)),
                    ] {
                        if let Some(c) = at(j) {
                            push(feat(tpl, &[&c]));
                        }
                    }
                }
            }
        }
        d
    }

    /// Adds first-pass predictions (`types[i]` = type index of the entity
    /// containing token `i`, 0 = none).
    pub fn add_first_pass(&mut self, words: &[&str], types: &[u8]) {
        let map = self.first_pass.get_or_insert_with(HashMap::new);
        for (w, &t) in words.iter().zip(types) {
            if w.chars().next().is_some_and(char::is_alphabetic) {
                map.entry((*w).to_string()).or_insert([0; 5])[t.min(4) as usize] += 1;
            }
        }
    }
}

fn is_opening(w: &str) -> bool {
    matches!(
        w,
        "\"" | "'" | "(" | "[" | ":" | "“" | "‘" | "„" | "-" | "–" | "—" | "." | "!" | "?" | "..."
    )
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
fn fold32(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// The hash of a feature: a template name and one or more values.
#[inline]
pub fn feat(tpl: &str, parts: &[&str]) -> u32 {
    let mut h = fnv(FNV_OFFSET, tpl.as_bytes());
    for p in parts {
        h = fnv(h, &[0x1f]);
        h = fnv(h, p.as_bytes());
    }
    fold32(h)
}

#[inline]
fn feat_n(tpl: &str, n: u64) -> u32 {
    fold32(fnv(fnv(FNV_OFFSET, tpl.as_bytes()), &n.to_le_bytes()))
}

/// Per-token facts computed once per sentence.
struct TokInfo {
    lower: String,
    shape: String,
    short: String,
    cap: bool,
    lex: LexEntry,
    gaz: u16,
}

/// Lowercase with digits mapped to `0`.
pub fn norm_lower(w: &str) -> String {
    w.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

fn shapes(w: &str) -> (String, String) {
    let mut long = String::new();
    let mut short = String::new();
    let mut last = ' ';
    for (n, c) in w.chars().enumerate() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if n < 8 {
            long.push(k);
        }
        if k != last {
            short.push(k);
            last = k;
        }
    }
    (long, short)
}

fn cap_bucket(lex: &LexEntry) -> &'static str {
    match lex.cap {
        1 => "1",
        2 => "2",
        3 => "3",
        4 => "4",
        5 => "5",
        _ => "0",
    }
}

const TYPE_NAMES: [&str; 5] = ["O", "PER", "ORG", "LOC", "MISC"];

/// Extracts the features of every token of a sentence; `out[i]` receives
/// the feature hashes of token `i`.
pub fn extract(
    words: &[&str],
    lex: &Lexicon,
    gaz: &Gazetteer,
    doc: &DocContext,
    out: &mut Vec<Vec<u32>>,
) {
    let gtags = gaz.tag(words);
    let info: Vec<TokInfo> = words
        .iter()
        .zip(&gtags)
        .map(|(w, &g)| {
            let lower = norm_lower(w);
            let (shape, short) = shapes(w);
            let lex = lex.words.get(&lower).copied().unwrap_or_default();
            TokInfo {
                cap: w.chars().next().is_some_and(char::is_uppercase),
                lower,
                shape,
                short,
                lex,
                gaz: g,
            }
        })
        .collect();
    out.clear();
    let n = words.len();
    // Runs of consecutive capitalised tokens: (start, end) per token.
    let mut runs = vec![(0usize, 0usize); n];
    let mut k = 0;
    while k < n {
        let mut e = k + 1;
        if info[k].cap {
            while e < n && info[e].cap {
                e += 1;
            }
        }
        for r in runs.iter_mut().take(e).skip(k) {
            *r = (k, e);
        }
        k = e;
    }
    let get = |i: isize| -> Option<&TokInfo> {
        if i < 0 {
            None
        } else {
            info.get(i as usize)
        }
    };
    for i in 0..n {
        let t = &info[i];
        let w = words[i];
        let mut f: Vec<u32> = Vec::with_capacity(64);
        let ii = i as isize;
        let word_at = |d: isize| {
            get(ii + d)
                .map(|t| t.lower.as_str())
                .unwrap_or(if d < 0 { "<s>" } else { "</s>" })
        };
        let short_at = |d: isize| get(ii + d).map(|t| t.short.as_str()).unwrap_or("_");
        f.push(feat("b", &[]));
        f.push(feat("w", &[w]));
        f.push(feat("l", &[&t.lower]));
        f.push(feat("l-1", &[word_at(-1)]));
        f.push(feat("l+1", &[word_at(1)]));
        f.push(feat("l-2", &[word_at(-2)]));
        f.push(feat("l+2", &[word_at(2)]));
        f.push(feat("l-1l", &[word_at(-1), &t.lower]));
        f.push(feat("ll+1", &[&t.lower, word_at(1)]));
        f.push(feat("l-2l-1", &[word_at(-2), word_at(-1)]));
        f.push(feat("l+1l+2", &[word_at(1), word_at(2)]));
        f.push(feat("s", &[&t.shape]));
        f.push(feat("ss", &[&t.short]));
        f.push(feat("s-1", &[short_at(-1)]));
        f.push(feat("s+1", &[short_at(1)]));
        f.push(feat("s-1ss+1", &[short_at(-1), &t.short, short_at(1)]));
        f.push(feat("l-1ss", &[word_at(-1), &t.short]));
        f.push(feat("ssl+1", &[&t.short, word_at(1)]));
        let chars: Vec<(usize, char)> = t.lower.char_indices().collect();
        let nc = chars.len();
        for k in 1..=4usize.min(nc) {
            let end = chars.get(k).map(|c| c.0).unwrap_or(t.lower.len());
            f.push(feat_n("p", k as u64) ^ feat("", &[&t.lower[..end]]));
            let start = chars[nc - k].0;
            f.push(feat_n("x", k as u64) ^ feat("", &[&t.lower[start..]]));
        }
        let initial = i == 0 || is_opening(words[i - 1]);
        let capb = cap_bucket(&t.lex);
        f.push(feat(
            "ic",
            &[
                if initial { "i" } else { "n" },
                if t.cap { "C" } else { "c" },
            ],
        ));
        f.push(feat(
            "capb",
            &[
                capb,
                if initial { "i" } else { "n" },
                if t.cap { "C" } else { "c" },
            ],
        ));
        if initial {
            f.push(feat("il", &[&t.lower]));
        }
        if t.cap {
            let elsewhere_cap = doc.cap_forms.contains(w);
            let elsewhere_low = doc.lower_forms.contains(t.lower.as_str());
            f.push(feat(
                "dcap",
                &[
                    if initial { "i" } else { "n" },
                    if elsewhere_cap { "C" } else { "c" },
                    if elsewhere_low { "L" } else { "l" },
                ],
            ));
        }
        if t.cap {
            if let Some(ctx) = doc.contexts.get(w) {
                f.extend_from_slice(ctx);
            }
        }
        if w.chars().all(|c| c.is_uppercase()) && nc > 1 {
            f.push(feat("allcap", &[]));
        }
        for class in 0..N_CLASSES {
            for pos in 0..4u8 {
                if t.gaz & (1 << (class * 4 + pos)) != 0 {
                    f.push(feat_n("g", (class * 4 + pos) as u64));
                    f.push(feat_n("gl", (class * 4 + pos) as u64) ^ feat("", &[&t.lower]));
                }
            }
            for (d, tpl) in [(-1isize, "g-1"), (1, "g+1")] {
                if let Some(o) = get(ii + d) {
                    if o.gaz & (0xF << (class * 4)) != 0 {
                        f.push(feat_n(tpl, class as u64));
                    }
                }
            }
        }
        let cl = |t: Option<&TokInfo>, k: usize| -> u64 {
            t.map(|t| t.lex.clusters[k] as u64).unwrap_or(70_000)
        };
        for k in 0..3 {
            f.push(feat_n(["c0a", "c0b", "c0c"][k], cl(Some(t), k)));
        }
        f.push(feat_n("c-1a", cl(get(ii - 1), 0)));
        f.push(feat_n("c+1a", cl(get(ii + 1), 0)));
        f.push(feat_n("c-1b", cl(get(ii - 1), 1)));
        f.push(feat_n("c+1b", cl(get(ii + 1), 1)));
        f.push(feat_n("c-1c", cl(get(ii - 1), 2)) ^ feat_n("c0c'", cl(Some(t), 2)));
        f.push(feat_n("c0b'", cl(Some(t), 1)) ^ feat("ss", &[&t.short]));
        if lex.has_emb {
            let em = |t: Option<&TokInfo>, k: usize| -> u64 {
                t.map(|t| t.lex.emb[k] as u64).unwrap_or(70_000)
            };
            f.push(feat_n("e0a", em(Some(t), 0)));
            f.push(feat_n("e0b", em(Some(t), 1)));
            f.push(feat_n("e-1a", em(get(ii - 1), 0)));
            f.push(feat_n("e+1a", em(get(ii + 1), 0)));
            f.push(feat_n("e0a'", em(Some(t), 0)) ^ feat("ss", &[&t.short]));
        }
        if w.contains('-') && nc > 2 {
            let parts: Vec<&str> = t.lower.split('-').filter(|p| !p.is_empty()).collect();
            for p in &parts {
                f.push(feat("hy", &[p]));
            }
            if let Some(last) = parts.last() {
                f.push(feat("hylast", &[last]));
                if let Some(e) = lex.words.get(*last) {
                    f.push(feat_n("hyc", e.clusters[1] as u64));
                }
            }
        }
        if nc <= 3 {
            f.push(feat_n("len", nc as u64) ^ feat("", &[&t.short]));
        }
        if nc >= 6 {
            let start = chars[nc - 5].0;
            f.push(feat("x5", &[&t.lower[start..]]));
        }
        // The run of capitalised tokens this one belongs to: its length,
        // the position in it, its last word (often the head: "Partij",
        // "Bank") and the word before it ("de", "minister").
        if t.cap {
            let (a, b) = (runs[i].0, runs[i].1);
            let len = (b - a).min(4) as u64;
            let pos = (i - a).min(3) as u64;
            f.push(feat_n("cr", len * 10 + pos) ^ feat("", &[if initial { "i" } else { "n" }]));
            if b - a >= 2 {
                f.push(feat("crlast", &[&info[b - 1].lower]));
                f.push(feat("crfirst", &[&info[a].lower]));
            }
            f.push(feat(
                "crprev",
                &[if a == 0 {
                    "<s>"
                } else {
                    info[a - 1].lower.as_str()
                }],
            ));
        }
        out.push(f);
    }
    add_first_pass_features(words, doc, out);
}

/// Appends the document-level first-pass features (if `doc` has a first
/// pass) to features computed without them.
pub fn add_first_pass_features(words: &[&str], doc: &DocContext, out: &mut [Vec<u32>]) {
    let Some(fp) = &doc.first_pass else { return };
    for (i, (w, f)) in words.iter().zip(out.iter_mut()).enumerate() {
        let initial = i == 0 || is_opening(words[i - 1]);
        if let Some(counts) = fp.get(*w) {
            let total: u32 = counts.iter().map(|&c| c as u32).sum();
            let (best, &bc) = counts[1..]
                .iter()
                .enumerate()
                .max_by_key(|(_, &c)| c)
                .unwrap_or((0, &0));
            if bc > 0 {
                let frac = if bc as u32 * 2 >= total { "maj" } else { "min" };
                f.push(feat("d1", &[TYPE_NAMES[best + 1], frac]));
                f.push(feat(
                    "d1i",
                    &[TYPE_NAMES[best + 1], if initial { "i" } else { "n" }],
                ));
            } else {
                f.push(feat("d1", &["O", if total > 1 { "many" } else { "one" }]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_compress_runs() {
        assert_eq!(
            shapes("Baghdadi"),
            ("Xxxxxxxx".to_string(), "Xx".to_string())
        );
        assert_eq!(shapes("IS-2014").1, "X-d");
        assert_eq!(norm_lower("Mosul2017"), "mosul0000");
    }

    #[test]
    fn extraction_is_deterministic_and_sized() {
        let lex = Lexicon::parse("de\t1\t2\t3\t1\n");
        let gaz = crate::gazetteer::gazetteer();
        let words = ["De", "leider", "van", "Syrië"];
        let doc = DocContext::from_sentences([&words[..]]);
        let mut a = Vec::new();
        let mut b = Vec::new();
        extract(&words, &lex, gaz, &doc, &mut a);
        extract(&words, &lex, gaz, &doc, &mut b);
        assert_eq!(a.len(), 4);
        assert_eq!(a, b);
        assert!(a[3].len() > 20);
        assert!(doc.cap_forms.contains("Syrië"));
        assert!(Lexicon::parse(&lex.to_text()).words.contains_key("de"));
    }
}
