//! Entity evaluations: CoNLL-2002 Dutch and CoNLL-2003 English recognition
//! (conlleval-style, through `kroniek_entities::run_eval`), the Frog
//! baseline on CoNLL-2002 testb (from a CoNLL file written by
//! `crates/eval/scripts/frog_conll2002.sh`), and cross-document entity
//! coreference on ECB+ (English; MUC, B³, CEAF-e and their mean, the CoNLL
//! F1).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use kroniek_entities::{annotate, read_conll, score_conll, Linker};
use kroniek_model::{Dct, Document, Sentence};

/// The entity evaluations [`crate::run`] dispatches here.
pub const NAMES: &[&str] = &[
    "conll2002",
    "conll2003",
    "ecbplus-entities",
    "frog-conll2002",
];

/// Runs one entity evaluation.
pub fn run(name: &str, shared: &Path) -> Result<String> {
    match name {
        "conll2002" | "conll2003" => {
            let mut out = kroniek_entities::run_eval(name, shared)?;
            if name == "conll2002" {
                if let Ok(frog) = frog(shared) {
                    out.push_str(&frog);
                }
            }
            Ok(out)
        }
        "frog-conll2002" => frog(shared),
        "ecbplus-entities" => ecbplus(shared),
        other => bail!("unknown entity evaluation {other:?}"),
    }
}

// ---------------------------------------------------------------- Frog ---

/// Where the Frog script leaves its output (outside the repository).
pub fn frog_dir() -> PathBuf {
    std::env::var_os("KRONIEK_FROG_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("kroniek-frog"))
}

/// Scores Frog's NER on CoNLL-2002 testb, from `ned.testb.frog.conll`
/// (token, gold, Frog's label mapped to CoNLL) and `ned.testb.frog.time`
/// (seconds) written by the script.
fn frog(shared: &Path) -> Result<String> {
    let dir = frog_dir();
    let path = dir.join("ned.testb.frog.conll");
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "{} missing: run crates/eval/scripts/frog_conll2002.sh {} first",
            path.display(),
            shared.display()
        )
    })?;
    let docs = read_conll(&text);
    // The file holds the gold column and Frog's column: score them.
    let gold_text = fs::read_to_string(shared.join("corpora/conll2002_nl/ned.testb"))
        .context("reading ned.testb")?;
    let gold = read_conll(&gold_text);
    let gold_tokens: usize = gold
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.words.len())
        .sum();
    let sys_tokens: usize = docs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.words.len())
        .sum();
    if gold_tokens != sys_tokens {
        bail!(
            "{}: {sys_tokens} tokens, ned.testb has {gold_tokens}",
            path.display()
        );
    }
    let gold_tags: Vec<Vec<String>> = gold
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.tags.clone())
        .collect();
    let frog_tags: Vec<Vec<String>> = docs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.tags.clone())
        .collect();
    let sc = score_conll(
        gold_tags
            .iter()
            .zip(&frog_tags)
            .map(|(g, p)| (g.as_slice(), p.as_slice())),
    );
    // "WALL STARTUP_WALL CPU STARTUP_CPU" seconds, as the script measured
    // them (start-up = a one-sentence run, i.e. loading the models).
    let t: Vec<f64> = fs::read_to_string(dir.join("ned.testb.frog.time"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    let n = sc.tokens as f64;
    let speed = match t[..] {
        [wall, wall0, cpu, cpu0] => format!(
            "{:.0} tokens/s wall overall; without start-up: {:.0} tokens/s wall, {:.0} tokens/s per CPU second",
            n / wall,
            n / (wall - wall0),
            n / (cpu - cpu0)
        ),
        _ => "no timing".to_string(),
    };
    Ok(format!(
        "frog 0.20 (separate process, 1 thread, POS+NER only, labels mapped to CoNLL) ned.testb \
         ({} tokens; {speed})\n{}\n",
        sc.tokens,
        sc.table()
    ))
}

// --------------------------------------------------------------- ECB+ ---

/// One ECB+ document: tokens, sentence numbers and entity mentions.
struct EcbDoc {
    name: String,
    topic: u32,
    tokens: Vec<(u32, String)>,
    /// Token ids (1-based, as in the XML) → index.
    tid: HashMap<u32, usize>,
    /// (first token index, last token index, gold cluster id).
    gold: Vec<(usize, usize, String)>,
}

fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let i = line.find(&key)? + key.len();
    let j = line[i..].find('"')? + i;
    Some(&line[i..j])
}

/// Entity markables: participants and locations (not actions, negations
/// or times).
fn is_entity_tag(tag: &str) -> bool {
    tag.starts_with("HUMAN_PART") || tag.starts_with("NON_HUMAN_PART") || tag.starts_with("LOC_")
}

fn parse_ecb(name: &str, topic: u32, xml: &str) -> EcbDoc {
    let mut tokens = Vec::new();
    let mut tid = HashMap::new();
    // Markables with anchors: m_id → (tag, token ids).
    let mut marks: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
    // Markables without anchors (relation targets): m_id → instance id.
    let mut instances: HashMap<String, String> = HashMap::new();
    // Anchored m_id → cluster.
    let mut cluster: HashMap<String, String> = HashMap::new();
    let mut open: Option<String> = None;
    let mut relation: Option<(Option<String>, Vec<String>)> = None;
    let mut in_markables = false;
    for line in xml.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("<token ") {
            if let (Some(id), Some(sent)) = (attr(l, "t_id"), attr(l, "sentence")) {
                let text = rest
                    .split_once('>')
                    .and_then(|(_, r)| r.rsplit_once("</token>"))
                    .map(|(t, _)| crate::timeml::decode_entities(t))
                    .unwrap_or_default();
                if let (Ok(id), Ok(sent)) = (id.parse::<u32>(), sent.parse::<u32>()) {
                    tid.insert(id, tokens.len());
                    tokens.push((sent, text));
                }
            }
            continue;
        }
        if l.starts_with("<Markables") {
            in_markables = true;
            continue;
        }
        if l.starts_with("</Markables") {
            in_markables = false;
            continue;
        }
        if in_markables {
            if l.starts_with("<token_anchor") {
                if let (Some(m), Some(t)) = (&open, attr(l, "t_id").and_then(|t| t.parse().ok())) {
                    if let Some(e) = marks.get_mut(m) {
                        e.1.push(t);
                    }
                }
            } else if l.starts_with("</") {
                open = None;
            } else if let Some(rest) = l.strip_prefix('<') {
                let tag: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(m) = attr(l, "m_id") {
                    if l.ends_with("/>") {
                        if let Some(inst) = attr(l, "instance_id") {
                            instances.insert(m.to_string(), inst.to_string());
                        }
                    } else {
                        marks.insert(m.to_string(), (tag, Vec::new()));
                        open = Some(m.to_string());
                    }
                }
            }
            continue;
        }
        if l.starts_with("<CROSS_DOC_COREF") || l.starts_with("<INTRA_DOC_COREF") {
            relation = Some((attr(l, "note").map(str::to_string), Vec::new()));
        } else if l.starts_with("<source") {
            if let (Some(r), Some(m)) = (relation.as_mut(), attr(l, "m_id")) {
                r.1.push(m.to_string());
            }
        } else if l.starts_with("<target") {
            if let (Some((note, sources)), Some(t)) = (relation.as_ref(), attr(l, "m_id")) {
                let id = note
                    .clone()
                    .or_else(|| instances.get(t).cloned())
                    .unwrap_or_else(|| format!("{name}#{t}"));
                for s in sources {
                    cluster.insert(s.clone(), id.clone());
                }
            }
        } else if l.starts_with("</CROSS_DOC_COREF") || l.starts_with("</INTRA_DOC_COREF") {
            relation = None;
        }
    }
    let mut gold = Vec::new();
    for (m, (tag, toks)) in &marks {
        if !is_entity_tag(tag) || toks.is_empty() {
            continue;
        }
        let idx: Vec<usize> = toks.iter().filter_map(|t| tid.get(t).copied()).collect();
        let (Some(&a), Some(&b)) = (idx.iter().min(), idx.iter().max()) else {
            continue;
        };
        let c = cluster
            .get(m)
            .cloned()
            .unwrap_or_else(|| format!("{name}#singleton{m}"));
        gold.push((a, b, c));
    }
    EcbDoc {
        name: name.to_string(),
        topic,
        tokens,
        tid,
        gold,
    }
}

/// A mention: (document index, first token, last token).
type Mention = (usize, usize, usize);
/// A clustering: mention → cluster key.
type Clustering = BTreeMap<Mention, String>;

/// MUC, B³ and CEAF-e (precision, recall) of `resp` against `key`
/// (mentions may differ; a mention missing on one side counts as a
/// singleton there, as in the reference scorer).
#[derive(Debug, Clone, Copy, Default)]
pub struct CorefScores {
    pub muc: (f64, f64),
    pub b3: (f64, f64),
    pub ceafe: (f64, f64),
}

fn f1((p, r): (f64, f64)) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl CorefScores {
    pub fn conll(&self) -> f64 {
        (f1(self.muc) + f1(self.b3) + f1(self.ceafe)) / 3.0
    }
}

fn clusters(c: &Clustering) -> BTreeMap<&str, BTreeSet<Mention>> {
    let mut out: BTreeMap<&str, BTreeSet<Mention>> = BTreeMap::new();
    for (m, k) in c {
        out.entry(k.as_str()).or_default().insert(*m);
    }
    out
}

fn muc_recall(key: &Clustering, resp: &Clustering) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (_, ms) in clusters(key) {
        let parts: BTreeSet<String> = ms
            .iter()
            .map(|m| {
                resp.get(m)
                    .cloned()
                    .unwrap_or_else(|| format!("\u{0}{m:?}"))
            })
            .collect();
        num += (ms.len() - parts.len()) as f64;
        den += (ms.len() - 1) as f64;
    }
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

fn b3_recall(key: &Clustering, resp: &Clustering) -> f64 {
    let rc = clusters(resp);
    let (mut num, mut den) = (0.0, 0.0);
    for (_, ms) in clusters(key) {
        let mut overlap: HashMap<&str, usize> = HashMap::new();
        for m in &ms {
            if let Some(r) = resp.get(m) {
                *overlap.entry(r.as_str()).or_insert(0) += 1;
            }
        }
        for (r, n) in overlap {
            debug_assert!(rc.contains_key(r));
            num += (n * n) as f64 / ms.len() as f64;
        }
        den += ms.len() as f64;
    }
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

/// CEAF-e similarity total; clusters are aligned separately per `group`
/// (topics: no cluster spans two topics, so the optimum decomposes).
fn ceafe(key: &Clustering, resp: &Clustering, group: &dyn Fn(&Mention) -> u32) -> (f64, f64, f64) {
    let kc = clusters(key);
    let rc = clusters(resp);
    type Sides<'a> = (Vec<&'a BTreeSet<Mention>>, Vec<&'a BTreeSet<Mention>>);
    let mut by_group: BTreeMap<u32, Sides> = BTreeMap::new();
    for ms in kc.values() {
        if let Some(m) = ms.iter().next() {
            by_group.entry(group(m)).or_default().0.push(ms);
        }
    }
    for ms in rc.values() {
        if let Some(m) = ms.iter().next() {
            by_group.entry(group(m)).or_default().1.push(ms);
        }
    }
    let mut total = 0.0;
    for (ks, rs) in by_group.values() {
        let w: Vec<Vec<f64>> = ks
            .iter()
            .map(|k| {
                rs.iter()
                    .map(|r| {
                        let common = k.intersection(r).count();
                        2.0 * common as f64 / (k.len() + r.len()) as f64
                    })
                    .collect()
            })
            .collect();
        total += crate::coref::max_assignment(&w);
    }
    (total, kc.len() as f64, rc.len() as f64)
}

/// Scores a response clustering against a key.
pub fn coref_scores(
    key: &Clustering,
    resp: &Clustering,
    group: &dyn Fn(&Mention) -> u32,
) -> CorefScores {
    let (sim, nk, nr) = ceafe(key, resp, group);
    CorefScores {
        muc: (muc_recall(resp, key), muc_recall(key, resp)),
        b3: (b3_recall(resp, key), b3_recall(key, resp)),
        ceafe: (
            if nr > 0.0 { sim / nr } else { 0.0 },
            if nk > 0.0 { sim / nk } else { 0.0 },
        ),
    }
}

fn ecb_docs(shared: &Path, topics: std::ops::RangeInclusive<u32>) -> Result<Vec<EcbDoc>> {
    let base = shared.join("corpora/ecbplus");
    let mut docs = Vec::new();
    for topic in topics {
        let dir = base.join("ECBplus").join(topic.to_string());
        let Ok(paths) = crate::files_with_ext(&dir, "xml") else {
            continue;
        };
        for p in paths {
            let xml = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            docs.push(parse_ecb(&name, topic, &xml));
        }
    }
    if docs.is_empty() {
        bail!("no ECB+ documents under {}", base.display());
    }
    Ok(docs)
}

/// Annotated sentences: (topic, "1ecb") → sentence numbers.
fn ecb_sentences(shared: &Path) -> Result<HashMap<String, BTreeSet<u32>>> {
    let p = shared.join("corpora/ecbplus/ECBplus_coreference_sentences.csv");
    let text = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    let mut out: HashMap<String, BTreeSet<u32>> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if let [topic, file, sent] = f[..] {
            if let Ok(s) = sent.parse() {
                out.entry(format!("{topic}_{file}")).or_default().insert(s);
            }
        }
    }
    Ok(out)
}

/// Runs recognition, within-document grouping and one linker per topic;
/// returns the system clustering (mentions in annotated sentences only),
/// an exact-name baseline on the same mentions, and the gold clustering.
fn ecb_system(
    docs: &[EcbDoc],
    sentences: &HashMap<String, BTreeSet<u32>>,
) -> (Clustering, Clustering, Clustering, usize) {
    let mut sys = Clustering::new();
    let mut base = Clustering::new();
    let mut gold = Clustering::new();
    let mut linkers: BTreeMap<u32, Linker> = BTreeMap::new();
    let mut ntok = 0;
    for (di, d) in docs.iter().enumerate() {
        let annotated = sentences.get(&d.name).cloned().unwrap_or_default();
        let in_scope = |a: usize, b: usize| (a..=b).all(|t| annotated.contains(&d.tokens[t].0));
        for (a, b, c) in &d.gold {
            if in_scope(*a, *b) {
                gold.insert((di, *a, *b), format!("{}:{c}", d.topic));
            }
        }
        // Text: tokens joined by spaces, one sentence per line.
        let mut text = String::new();
        let mut starts = Vec::with_capacity(d.tokens.len());
        let mut sents: Vec<Sentence> = Vec::new();
        let mut cur: Option<(u32, usize)> = None;
        let mut chars = 0usize;
        for (s, t) in &d.tokens {
            match cur {
                Some((cs, _)) if cs == *s => {
                    text.push(' ');
                    chars += 1;
                }
                Some((_, st)) => {
                    sents.push(Sentence {
                        start: st,
                        end: chars,
                    });
                    text.push('\n');
                    chars += 1;
                    cur = Some((*s, chars));
                }
                None => cur = Some((*s, chars)),
            }
            starts.push(chars);
            text.push_str(t);
            chars += t.chars().count();
        }
        if let Some((_, st)) = cur {
            sents.push(Sentence {
                start: st,
                end: chars,
            });
        }
        ntok += d.tokens.len();
        let mut doc = Document::new(d.name.clone(), None, text, Dct::none());
        doc.lang = "en".into();
        doc.sentences = sents;
        annotate(&mut doc);
        linkers.entry(d.topic).or_default().add(&mut doc);
        let _ = &d.tid;
        for m in &doc.entities {
            // Token span of the mention.
            let a = starts.partition_point(|&s| s <= m.start).saturating_sub(1);
            let b = starts.partition_point(|&s| s < m.end).saturating_sub(1);
            if !in_scope(a, b) {
                continue;
            }
            let Some(id) = &m.entity else { continue };
            sys.insert((di, a, b), format!("{}:{id}", d.topic));
            base.insert(
                (di, a, b),
                format!("{}:{}", d.topic, kroniek_entities::name_key(&m.text)),
            );
        }
    }
    (sys, base, gold, ntok)
}

fn ecbplus(shared: &Path) -> Result<String> {
    let sentences = ecb_sentences(shared)?;
    let docs = ecb_docs(shared, 36..=45)?;
    let start = std::time::Instant::now();
    let (sys, base, gold, ntok) = ecb_system(&docs, &sentences);
    let secs = start.elapsed().as_secs_f64();
    let topic_of = |m: &Mention| docs[m.0].topic;
    // Mentions found by both (exact token span): linking quality given the
    // mentions.
    let both: BTreeSet<Mention> = sys
        .keys()
        .filter(|m| gold.contains_key(m))
        .copied()
        .collect();
    let restrict = |c: &Clustering| -> Clustering {
        c.iter()
            .filter(|(m, _)| both.contains(m))
            .map(|(m, k)| (*m, k.clone()))
            .collect()
    };
    if std::env::var_os("KRONIEK_ECB_DEBUG").is_some() {
        // System clusters that join several gold clusters (matched mentions).
        let mut by_sys: BTreeMap<&str, BTreeMap<&str, Vec<String>>> = BTreeMap::new();
        for m in &both {
            let d = &docs[m.0];
            let text: Vec<&str> = (m.1..=m.2).map(|t| d.tokens[t].1.as_str()).collect();
            by_sys
                .entry(sys[m].as_str())
                .or_default()
                .entry(gold[m].as_str())
                .or_default()
                .push(text.join(" "));
        }
        for (k, g) in by_sys.iter().filter(|(_, g)| g.len() > 1) {
            eprintln!("{k}: {:?}", g.values().collect::<Vec<_>>());
        }
    }
    let singletons =
        |c: &Clustering| -> Clustering { c.keys().map(|m| (*m, format!("{m:?}"))).collect() };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ECB+ entity coreference across documents (English), test topics 36-45, annotated sentences only\n\
         {} docs, {} tokens ({:.0} tokens/s incl. recognition and linking); gold entity mentions \
         (HUMAN, NON_HUMAN, LOC markables; singletons included): {}; system mentions: {}; exact span matches: {}\n\
         mention detection: P {:.2} R {:.2} F1 {:.2} (names only: gold also holds pronouns and common nouns)\n",
        docs.len(),
        ntok,
        ntok as f64 / secs.max(1e-9),
        gold.len(),
        sys.len(),
        both.len(),
        100.0 * both.len() as f64 / sys.len().max(1) as f64,
        100.0 * both.len() as f64 / gold.len().max(1) as f64,
        100.0 * f1((
            both.len() as f64 / sys.len().max(1) as f64,
            both.len() as f64 / gold.len().max(1) as f64
        )),
    );
    let _ = writeln!(
        out,
        "{:<52} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>7}",
        "setting / system",
        "MUC P",
        "MUC R",
        "MUC F",
        "B3 P",
        "B3 R",
        "B3 F",
        "CEAFe P",
        "CEAFe R",
        "CEAFe F",
        "CoNLL F"
    );
    let gold_both = restrict(&gold);
    let rows: Vec<(&str, Clustering, &Clustering)> = vec![
        (
            "end to end: kroniek (NER + within-doc + Linker)",
            sys.clone(),
            &gold,
        ),
        (
            "end to end: same name string (baseline)",
            base.clone(),
            &gold,
        ),
        ("matched mentions: kroniek", restrict(&sys), &gold_both),
        (
            "matched mentions: same name string (baseline)",
            restrict(&base),
            &gold_both,
        ),
        (
            "matched mentions: all singletons (baseline)",
            singletons(&gold_both),
            &gold_both,
        ),
    ];
    for (label, resp, key) in rows {
        let s = coref_scores(key, &resp, &topic_of);
        let pc = |x: f64| format!("{:.2}", 100.0 * x);
        let _ = writeln!(
            out,
            "{:<52} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>7}",
            label,
            pc(s.muc.0),
            pc(s.muc.1),
            pc(f1(s.muc)),
            pc(s.b3.0),
            pc(s.b3.1),
            pc(f1(s.b3)),
            pc(s.ceafe.0),
            pc(s.ceafe.1),
            pc(f1(s.ceafe)),
            pc(s.conll())
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(items: &[(usize, &str)]) -> Clustering {
        items
            .iter()
            .map(|(m, k)| ((0, *m, *m), k.to_string()))
            .collect()
    }

    #[test]
    fn perfect_and_split_scores() {
        let key = c(&[(1, "a"), (2, "a"), (3, "a"), (4, "b"), (5, "b")]);
        let s = coref_scores(&key, &key, &|_| 0);
        assert!((s.conll() - 1.0).abs() < 1e-9);
        // Response splits cluster a into {1,2} and {3}.
        let resp = c(&[(1, "x"), (2, "x"), (3, "y"), (4, "z"), (5, "z")]);
        let s = coref_scores(&key, &resp, &|_| 0);
        assert!((s.muc.0 - 1.0).abs() < 1e-9);
        assert!((s.muc.1 - 2.0 / 3.0).abs() < 1e-9);
        // B3 recall: (2*2/3 + 1/3 + 2) / 5 = (4/3+1/3+2)/5 = 11/15.
        assert!((s.b3.1 - 11.0 / 15.0).abs() < 1e-9);
        assert!((s.b3.0 - 1.0).abs() < 1e-9);
        // CEAF-e: a~x: 2*2/5 = 0.8, b~z: 1 → 1.8; recall 1.8/2, precision 1.8/3.
        assert!((s.ceafe.1 - 0.9).abs() < 1e-9);
        assert!((s.ceafe.0 - 0.6).abs() < 1e-9);
    }

    #[test]
    fn assignment_finds_the_optimum() {
        let w = vec![vec![1.0, 0.9], vec![0.9, 0.0]];
        assert!((crate::coref::max_assignment(&w) - 1.8).abs() < 1e-9);
        let w = vec![vec![0.5, 0.2, 0.1]];
        assert!((crate::coref::max_assignment(&w) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn parses_markables_and_relations() {
        let xml = r#"<Document doc_name="36_1ecb.xml">
<token t_id="1" sentence="0" number="0">Warren</token>
<token t_id="2" sentence="0" number="1">Jeffs</token>
<token t_id="3" sentence="1" number="0">He</token>
<token t_id="4" sentence="1" number="1">left</token>
<Markables>
<HUMAN_PART_PER m_id="1"  >
  <token_anchor t_id="1"/>
  <token_anchor t_id="2"/>
</HUMAN_PART_PER>
<HUMAN_PART_PER m_id="2"  >
  <token_anchor t_id="3"/>
</HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="3"  >
  <token_anchor t_id="4"/>
</ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="9" RELATED_TO="" TAG_DESCRIPTOR="jeffs" instance_id="HUM1" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="HUM1" >
<source m_id="1" />
<source m_id="2" />
<target m_id="9" />
</CROSS_DOC_COREF>
</Relations>
</Document>"#;
        let d = parse_ecb("36_1ecb", 36, xml);
        assert_eq!(d.tokens.len(), 4);
        assert_eq!(d.gold, vec![(0, 1, "HUM1".into()), (2, 2, "HUM1".into())]);
    }
}
