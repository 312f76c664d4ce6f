//! Evaluations of the corpus-level stage: ECB+ cross-document event
//! coreference and story clustering, Timeline17 date selection, and the
//! speed of the whole pipeline.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use kroniek_model::{CharIndex, Dct, Document, Event, PartialDate, Sentence, Story};
use kroniek_timeline::{MergeOptions, StoryDoc, StoryOptions};
use quick_xml::events::Event as Xml;
use rayon::prelude::*;

use crate::coref::{coref, pairwise, CorefScores, Prf};

// ---------------------------------------------------------------- ECB+

/// One ECB+ document with its gold event mentions.
pub struct EcbDoc {
    /// File name without extension ("36_1ecbplus").
    pub name: String,
    pub topic: u32,
    /// Sub-topic: topic and half ("36ecb", "36ecbplus").
    pub subtopic: String,
    pub doc: Document,
    /// Gold cluster of each event in `doc.events`.
    pub gold: Vec<String>,
}

/// A coreference relation: tag, note (instance id), source and target markables.
type Relation = (String, Option<String>, Vec<String>, Option<String>);

/// Attribute value of an XML start tag.
pub(crate) fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.as_ref() == key.as_bytes()).then(|| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

/// Reads one ECB+ XML file; only mentions in `annotated` sentences count.
fn read_ecb(path: &Path, annotated: &HashSet<u32>) -> Result<EcbDoc> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let topic: u32 = name.split('_').next().unwrap_or("0").parse().unwrap_or(0);
    let half = if name.ends_with("ecbplus") {
        "ecbplus"
    } else {
        "ecb"
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    // Tokens: t_id → (sentence, text).
    let mut tokens: Vec<(u32, u32, String)> = Vec::new();
    let mut cur_token: Option<(u32, u32)> = None;
    let mut cur_text = String::new();
    // Markables: m_id → (is event, token ids).
    let mut markables: Vec<(String, bool, Vec<u32>)> = Vec::new();
    let mut cur_markable: Option<usize> = None;
    let mut in_markables = false;
    // Relations: (note, sources, target).
    let mut relations: Vec<Relation> = Vec::new();
    let mut cur_rel: Option<usize> = None;
    loop {
        match reader.read_event() {
            Err(e) => bail!("{}: {e}", path.display()),
            Ok(Xml::Eof) => break,
            Ok(Xml::Start(e)) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match tag.as_str() {
                    "token" => {
                        let t = attr(&e, "t_id").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let s = attr(&e, "sentence")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        cur_token = Some((t, s));
                        cur_text.clear();
                    }
                    "Markables" => in_markables = true,
                    "CROSS_DOC_COREF" | "INTRA_DOC_COREF" => {
                        relations.push((tag.clone(), attr(&e, "note"), Vec::new(), None));
                        cur_rel = Some(relations.len() - 1);
                    }
                    _ if in_markables => {
                        let id = attr(&e, "m_id").unwrap_or_default();
                        let event = tag.starts_with("ACTION") || tag.starts_with("NEG_ACTION");
                        markables.push((id, event, Vec::new()));
                        cur_markable = Some(markables.len() - 1);
                    }
                    _ => {}
                }
            }
            Ok(Xml::Empty(e)) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match tag.as_str() {
                    "token_anchor" => {
                        if let (Some(m), Some(t)) =
                            (cur_markable, attr(&e, "t_id").and_then(|v| v.parse().ok()))
                        {
                            markables[m].2.push(t);
                        }
                    }
                    "source" => {
                        if let (Some(r), Some(m)) = (cur_rel, attr(&e, "m_id")) {
                            relations[r].2.push(m);
                        }
                    }
                    "target" => {
                        if let (Some(r), Some(m)) = (cur_rel, attr(&e, "m_id")) {
                            relations[r].3 = Some(m);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Xml::Text(t)) => {
                if cur_token.is_some() {
                    cur_text.push_str(&t.decode().unwrap_or_default());
                }
            }
            Ok(Xml::GeneralRef(r)) => {
                if cur_token.is_some() {
                    let n = String::from_utf8_lossy(&r).into_owned();
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => cur_text.push(c),
                        _ => cur_text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&n).unwrap_or(""),
                        ),
                    }
                }
            }
            Ok(Xml::End(e)) => {
                let tag = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match tag.as_str() {
                    "token" => {
                        if let Some((t, s)) = cur_token.take() {
                            tokens.push((t, s, cur_text.trim().to_string()));
                        }
                    }
                    "Markables" => in_markables = false,
                    "CROSS_DOC_COREF" | "INTRA_DOC_COREF" => cur_rel = None,
                    _ => cur_markable = None,
                }
            }
            Ok(_) => {}
        }
    }
    // Text: tokens joined by spaces; char offsets per token.
    let mut text = String::new();
    let mut offsets: HashMap<u32, (usize, usize, u32)> = HashMap::new();
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut sentence_of_number: HashMap<u32, usize> = HashMap::new();
    let mut chars = 0usize;
    for (t, s, w) in &tokens {
        if w.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(if sentence_of_number.contains_key(s) {
                ' '
            } else {
                '\n'
            });
            chars += 1;
        }
        let start = chars;
        text.push_str(w);
        chars += w.chars().count();
        offsets.insert(*t, (start, chars, *s));
        match sentence_of_number.get(s) {
            Some(&i) => sentences[i].end = chars,
            None => {
                sentence_of_number.insert(*s, sentences.len());
                sentences.push(Sentence { start, end: chars });
            }
        }
    }
    // Gold clusters.
    let mut cluster_of: HashMap<String, String> = HashMap::new();
    for (kind, note, sources, target) in &relations {
        let id = match (kind.as_str(), note) {
            ("CROSS_DOC_COREF", Some(n)) => n.clone(),
            _ => format!("intra:{name}:{}", target.clone().unwrap_or_default()),
        };
        for s in sources {
            cluster_of.insert(s.clone(), id.clone());
        }
    }
    let mut doc = Document::new(path.to_string_lossy(), None, text, Dct::none());
    doc.lang = "en".into();
    doc.sentences = sentences;
    let idx = CharIndex::new(&doc.text);
    let mut gold = Vec::new();
    for (m, event, toks) in &markables {
        if !event || toks.is_empty() {
            continue;
        }
        let spans: Vec<(usize, usize, u32)> = toks
            .iter()
            .filter_map(|t| offsets.get(t).copied())
            .collect();
        if spans.is_empty() || !spans.iter().all(|s| annotated.contains(&s.2)) {
            continue;
        }
        let start = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let end = spans.iter().map(|s| s.1).max().unwrap_or(0);
        let text = doc.text[idx.to_byte(start)..idx.to_byte(end)].to_string();
        let sentence = sentence_of_number.get(&spans[0].2).copied().unwrap_or(0);
        doc.events.push(Event {
            start,
            end,
            text,
            kind: "event".into(),
            sentence,
            date: None,
            certainty: kroniek_model::Certainty::Certain,
            participants: vec![],
            place: None,
        });
        gold.push(
            cluster_of
                .get(m)
                .cloned()
                .unwrap_or_else(|| format!("single:{name}:{m}")),
        );
    }
    Ok(EcbDoc {
        subtopic: format!("{topic}{half}"),
        name,
        topic,
        doc,
        gold,
    })
}

/// Reads every ECB+ document, annotated with the time and entity stages.
pub fn load_ecbplus(shared: &Path) -> Result<Vec<EcbDoc>> {
    let base = shared.join("corpora/ecbplus");
    let csv = std::fs::read_to_string(base.join("ECBplus_coreference_sentences.csv"))
        .context("ECBplus_coreference_sentences.csv")?;
    let mut annotated: HashMap<String, HashSet<u32>> = HashMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() == 3 {
            if let Ok(s) = f[2].parse() {
                annotated
                    .entry(format!("{}_{}", f[0], f[1]))
                    .or_default()
                    .insert(s);
            }
        }
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for topic in std::fs::read_dir(base.join("ECBplus"))? {
        let topic = topic?.path();
        if topic.is_dir() {
            for f in std::fs::read_dir(&topic)? {
                let f = f?.path();
                if f.extension().is_some_and(|e| e == "xml") {
                    paths.push(f);
                }
            }
        }
    }
    paths.sort();
    let empty = HashSet::new();
    let mut docs: Vec<EcbDoc> = paths
        .par_iter()
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            read_ecb(p, annotated.get(&stem).unwrap_or(&empty))
        })
        .collect::<Result<_>>()?;
    docs.par_iter_mut().for_each(|d| {
        kroniek_time::annotate(&mut d.doc);
        kroniek_entities::annotate(&mut d.doc);
    });
    // Link entities across the corpus (storage order), as the pipeline does.
    let mut linker = kroniek_entities::Linker::new();
    for d in &mut docs {
        linker.add(&mut d.doc);
    }
    Ok(docs)
}

const ECB_DEV: [u32; 8] = [2, 5, 12, 18, 21, 23, 34, 35];

fn ecb_split(topic: u32) -> &'static str {
    if topic >= 36 {
        "test"
    } else if ECB_DEV.contains(&topic) {
        "dev"
    } else {
        "train"
    }
}

/// Event coreference within each gold topic: (gold labels, predicted labels).
fn event_coref(docs: &[&EcbDoc], opts: &MergeOptions) -> (Vec<String>, Vec<String>) {
    let mut by_topic: BTreeMap<u32, Vec<&EcbDoc>> = BTreeMap::new();
    for d in docs {
        by_topic.entry(d.topic).or_default().push(d);
    }
    let mut key = Vec::new();
    let mut resp = Vec::new();
    for (topic, tdocs) in by_topic {
        let metas: Vec<kroniek_timeline::DocMeta> = tdocs
            .iter()
            .map(|d| kroniek_timeline::DocMeta::of(&d.doc))
            .collect();
        let mut mentions = Vec::new();
        for (i, d) in tdocs.iter().enumerate() {
            let ms = kroniek_timeline::event_mentions(&d.doc, i, false);
            debug_assert_eq!(ms.len(), d.gold.len());
            key.extend(d.gold.iter().cloned());
            mentions.extend(ms);
        }
        let order = kroniek_timeline::publication_order(&metas, &mentions);
        let groups = kroniek_timeline::cluster(&mentions, &order, opts);
        resp.extend(groups.into_iter().map(|g| format!("{topic}:{g}")));
    }
    (key, resp)
}

/// Event coreference within predicted stories: the documents of each gold
/// topic are first clustered into stories, then mentions are merged within
/// each story.
fn event_coref_in_stories(
    docs: &[&EcbDoc],
    opts: &MergeOptions,
    story_opts: &StoryOptions,
) -> (Vec<String>, Vec<String>) {
    let mut by_topic: BTreeMap<u32, Vec<&EcbDoc>> = BTreeMap::new();
    for d in docs {
        by_topic.entry(d.topic).or_default().push(d);
    }
    let mut key = Vec::new();
    let mut resp = Vec::new();
    for (topic, tdocs) in by_topic {
        let (_, story_of) = story_clusters(&tdocs, story_opts);
        let mut groups: BTreeMap<String, Vec<&EcbDoc>> = BTreeMap::new();
        for (d, s) in tdocs.iter().zip(story_of) {
            groups.entry(s).or_default().push(d);
        }
        for (story, sdocs) in groups {
            let (k, r) = event_coref(&sdocs, opts);
            key.extend(k);
            resp.extend(r.into_iter().map(|g| format!("{topic}:{story}:{g}")));
        }
    }
    (key, resp)
}

/// The same-lemma baseline: mentions with the same stemmed trigger within a
/// topic corefer.
fn lemma_baseline(docs: &[&EcbDoc]) -> (Vec<String>, Vec<String>) {
    let mut key = Vec::new();
    let mut resp = Vec::new();
    for d in docs {
        for (ev, g) in d.doc.events.iter().zip(&d.gold) {
            key.push(g.clone());
            let lemma = kroniek_timeline::content_stems(&ev.text, "en", &[])
                .into_iter()
                .next()
                .unwrap_or_else(|| ev.text.to_lowercase());
            resp.push(format!("{}:{lemma}", d.topic));
        }
    }
    (key, resp)
}

/// Embeddings of the documents' title and lead by document id, when the
/// sentence encoder is installed.
type Embeddings = HashMap<String, Vec<f32>>;

fn embeddings(docs: &[&EcbDoc]) -> Option<Embeddings> {
    let enc = kroniek_encoder::shared()?;
    let d: Vec<&Document> = docs.iter().map(|d| &d.doc).collect();
    let v = kroniek_pipeline::embedding::embed_documents(enc, &d);
    Some(d.iter().map(|d| d.id.clone()).zip(v).collect())
}

fn story_clusters(docs: &[&EcbDoc], opts: &StoryOptions) -> (Vec<String>, Vec<String>) {
    story_clusters_with(docs, opts, None)
}

fn story_clusters_with(
    docs: &[&EcbDoc],
    opts: &StoryOptions,
    emb: Option<&Embeddings>,
) -> (Vec<String>, Vec<String>) {
    let sd: Vec<StoryDoc> = docs
        .iter()
        .map(|d| StoryDoc::of(&d.doc).with_embedding(emb.and_then(|e| e.get(&d.doc.id).cloned())))
        .collect();
    let stories: Vec<Story> = kroniek_timeline::cluster_stories(&[], &sd, opts);
    let mut of: HashMap<&str, &str> = HashMap::new();
    for s in &stories {
        for d in &s.docs {
            of.insert(d.as_str(), s.id.as_str());
        }
    }
    let key = docs.iter().map(|d| d.subtopic.clone()).collect();
    let resp = docs
        .iter()
        .map(|d| {
            of.get(d.doc.id.as_str())
                .map_or(String::new(), |s| s.to_string())
        })
        .collect();
    (key, resp)
}

fn coref_line(out: &mut String, label: &str, n: usize, s: &CorefScores) {
    let _ = writeln!(
        out,
        "{label:<38} {n:>6} | {:>5.1} {:>5.1} {:>5.1} | {:>5.1} {:>5.1} {:>5.1} | {:>5.1} {:>5.1} {:>5.1} | {:>6.1}",
        100.0 * s.muc.p,
        100.0 * s.muc.r,
        100.0 * s.muc.f,
        100.0 * s.b3.p,
        100.0 * s.b3.r,
        100.0 * s.b3.f,
        100.0 * s.ceaf_e.p,
        100.0 * s.ceaf_e.r,
        100.0 * s.ceaf_e.f,
        100.0 * s.conll
    );
}

fn prf_line(out: &mut String, label: &str, n: usize, s: &Prf) {
    let _ = writeln!(
        out,
        "{label:<38} {n:>6} | P {:>5.1}  R {:>5.1}  F1 {:>5.1}",
        100.0 * s.p,
        100.0 * s.r,
        100.0 * s.f
    );
}

/// ECB+: event coreference with gold mentions (CoNLL F1 on test topics
/// 36–45, thresholds chosen on the training topics) and sub-topics as
/// story clusters (pairwise F1).
pub fn ecbplus(shared: &Path) -> Result<String> {
    let started = Instant::now();
    let docs = load_ecbplus(shared)?;
    let part = |name: &str| -> Vec<&EcbDoc> {
        docs.iter().filter(|d| ecb_split(d.topic) == name).collect()
    };
    let (train, dev, test) = (part("train"), part("dev"), part("test"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ECB+ ({} docs: train {} / dev {} / test {}; loaded and annotated in {:.1} s)\n",
        docs.len(),
        train.len(),
        dev.len(),
        test.len(),
        started.elapsed().as_secs_f64()
    );
    // Stories: tune the threshold on train, report test.
    let mut best_story: Option<(f64, StoryOptions)> = None;
    for threshold in [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] {
        for entity_weight in [0.5, 1.0, 2.0] {
            let o = StoryOptions {
                threshold,
                entity_weight,
                ..StoryOptions::default()
            };
            let (k, r) = story_clusters(&train, &o);
            let s = pairwise(&k, &r).f;
            if best_story.as_ref().is_none_or(|(b, _)| s > *b) {
                best_story = Some((s, o));
            }
        }
    }
    let (_, st) = best_story.unwrap_or((0.0, StoryOptions::default()));
    // Tune the merger on train.
    let mut best: Option<(f64, MergeOptions)> = None;
    for same_trigger_threshold in [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4] {
        for different_trigger_threshold in [0.5, 0.7, 0.9, 2.0] {
            for overlap_weight in [0.0, 0.8] {
                let o = MergeOptions {
                    same_trigger_threshold,
                    different_trigger_threshold,
                    overlap_weight,
                    ..MergeOptions::default()
                };
                let (k, r) = event_coref(&train, &o);
                let s = coref(&k, &r).conll;
                if best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, o));
                }
            }
        }
    }
    let (_, tuned) = best.unwrap_or((0.0, MergeOptions::default()));
    let _ = writeln!(
        out,
        "Cross-document event coreference, gold mentions, within gold topics (singletons included)\n\
         tuned on train: same-trigger threshold {:.2}, different-trigger threshold {:.2}, overlap weight {:.2}\n",
        tuned.same_trigger_threshold, tuned.different_trigger_threshold, tuned.overlap_weight
    );
    let _ = writeln!(
        out,
        "{:<38} {:>6} |   MUC P/R/F1      |   B3 P/R/F1       |  CEAF-e P/R/F1    | CoNLL F1",
        "system / split", "ments"
    );
    for (name, split) in [("train", &train), ("dev", &dev), ("test", &test)] {
        let (k, r) = lemma_baseline(split);
        coref_line(
            &mut out,
            &format!("same-lemma baseline  {name}"),
            k.len(),
            &coref(&k, &r),
        );
        let (k, r) = event_coref(split, &MergeOptions::default());
        coref_line(
            &mut out,
            &format!("kroniek defaults     {name}"),
            k.len(),
            &coref(&k, &r),
        );
        let (k, r) = event_coref(split, &tuned);
        coref_line(
            &mut out,
            &format!("kroniek tuned        {name}"),
            k.len(),
            &coref(&k, &r),
        );
        let (k, r) = event_coref_in_stories(split, &tuned, &st);
        coref_line(
            &mut out,
            &format!("kroniek tuned, within stories {name}"),
            k.len(),
            &coref(&k, &r),
        );
    }
    let _ = writeln!(
        out,
        "\nStory clustering: ECB+ sub-topics as stories, all documents of a split clustered together\n\
         tuned on train: threshold {:.2}, entity weight {:.1}\n",
        st.threshold, st.entity_weight
    );
    // The encoder within one language: threshold tuned on train.
    let mut same_lang = StoryOptions::default();
    if let Some(e) = embeddings(&train) {
        let mut best: Option<(f64, f64)> = None;
        let mut grid = String::new();
        for t in [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, f64::INFINITY] {
            let o = StoryOptions {
                embedding_threshold: t,
                ..StoryOptions::default()
            };
            let (k, r) = story_clusters_with(&train, &o, Some(&e));
            let f = pairwise(&k, &r).f;
            let _ = write!(grid, " {t:.2}→{:.1}", 100.0 * f);
            if best.is_none_or(|(b, _)| f > b) {
                best = Some((f, t));
            }
        }
        same_lang.embedding_threshold = best.map_or(f64::INFINITY, |(_, t)| t);
        let _ = writeln!(
            out,
            "encoder within one language, train grid (embedding threshold → F1):{grid}; chosen {:.2}\n",
            same_lang.embedding_threshold
        );
    }
    for (name, split) in [("train", &train), ("dev", &dev), ("test", &test)] {
        let (k, r) = story_clusters(split, &StoryOptions::default());
        prf_line(
            &mut out,
            &format!("kroniek defaults     {name}"),
            k.len(),
            &pairwise(&k, &r),
        );
        let (k, r) = story_clusters(split, &st);
        prf_line(
            &mut out,
            &format!("kroniek tuned        {name}"),
            k.len(),
            &pairwise(&k, &r),
        );
        if let Some(e) = embeddings(split) {
            let (k, r) = story_clusters_with(split, &StoryOptions::default(), Some(&e));
            prf_line(
                &mut out,
                &format!("kroniek defaults + encoder {name}"),
                k.len(),
                &pairwise(&k, &r),
            );
            let (k, r) = story_clusters_with(split, &same_lang, Some(&e));
            prf_line(
                &mut out,
                &format!("+ encoder within English, tuned {name}"),
                k.len(),
                &pairwise(&k, &r),
            );
        }
    }
    Ok(out)
}

// ---------------------------------------------------------- Timeline17

/// The folder of each Timeline17 topic.
fn t17_topics(shared: &Path) -> Result<Vec<PathBuf>> {
    let base = shared.join("corpora/timeline17");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&base)
        .with_context(|| format!("{}", base.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("InputDocs").is_dir())
        .collect();
    out.sort();
    Ok(out)
}

/// Every article of a topic, annotated by the whole pipeline.
fn t17_docs(topic: &Path) -> Vec<Document> {
    let files = kroniek_formats::walk(&[topic.join("InputDocs")]);
    let raws: Vec<kroniek_formats::RawDoc> = files
        .into_iter()
        .flatten()
        .filter_map(|p| kroniek_formats::read_path(&p).ok())
        .flatten()
        .flatten()
        .collect();
    kroniek_pipeline::to_documents(raws, &kroniek_pipeline::AnnotateOptions::default())
}

/// The gold timelines of a topic: dates with their sentences.
fn t17_gold(topic: &Path) -> Result<Vec<BTreeMap<PartialDate, Vec<String>>>> {
    let text = std::fs::read_to_string(topic.join("timelines.jsonl"))?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let tl: Vec<(String, Vec<String>)> = serde_json::from_str(line)?;
        let mut m = BTreeMap::new();
        for (d, sents) in tl {
            if let Ok(d) = d.get(..10).unwrap_or(&d).parse::<PartialDate>() {
                m.entry(d).or_insert_with(Vec::new).extend(sents);
            }
        }
        out.push(m);
    }
    Ok(out)
}

/// Ranks the day-precision dates of a topic's timeline entries in
/// `[from, to]`: by the number of distinct articles reporting them
/// (merged entries' sources, summed per date), ties by the number of
/// articles published that day, then earlier first.
fn rank_dates(
    entries: &[kroniek_model::TimelineEntry],
    docs: &[Document],
    from: PartialDate,
    to: PartialDate,
    use_mentions: bool,
    use_pub: bool,
) -> Vec<PartialDate> {
    let mut mentioned: HashMap<PartialDate, usize> = HashMap::new();
    for e in entries {
        if let Ok(d) = e.date.parse::<PartialDate>() {
            if d.day_value().is_some() {
                *mentioned.entry(d).or_insert(0) += e.sources.len();
            }
        }
    }
    let mut published: HashMap<PartialDate, usize> = HashMap::new();
    for d in docs {
        if let Some(v) = d.dct.value.filter(|v| v.day_value().is_some()) {
            *published.entry(v).or_insert(0) += 1;
        }
    }
    let mut dates: BTreeSet<PartialDate> = BTreeSet::new();
    dates.extend(mentioned.keys().copied());
    dates.extend(published.keys().copied());
    let mut v: Vec<(usize, usize, PartialDate)> = dates
        .into_iter()
        .filter(|d| *d >= from && *d <= to)
        .map(|d| {
            let m = mentioned.get(&d).copied().unwrap_or(0);
            let p = published.get(&d).copied().unwrap_or(0);
            match (use_mentions, use_pub) {
                (true, true) => (m + p, m, d),
                (true, false) => (m, p, d),
                _ => (p, m, d),
            }
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    v.into_iter().map(|x| x.2).collect()
}

/// Timeline17: date selection F1 as in news-tls (Ghalandari & Ifrim 2020):
/// for each gold timeline, the system picks as many dates as the gold
/// has, within the gold's first and last date, from the articles published
/// in that span; P and R are averaged over timelines and F1 computed from
/// the averages.
pub fn timeline17(shared: &Path) -> Result<String> {
    let topics = t17_topics(shared)?;
    if topics.is_empty() {
        bail!("no Timeline17 topics under {}", shared.display());
    }
    let variants: [(&str, bool, bool); 3] = [
        ("kroniek: merged mentions (system)", true, false),
        ("kroniek: mentions + publications", true, true),
        ("baseline: publication count", false, true),
    ];
    let mut sums = vec![(0.0f64, 0.0f64); variants.len()];
    let mut n_tl = 0usize;
    let mut out = String::new();
    let mut per_topic = String::new();
    let started = Instant::now();
    let mut n_docs = 0usize;
    for topic in &topics {
        let name = topic
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let docs = t17_docs(topic);
        n_docs += docs.len();
        for gold in t17_gold(topic)? {
            let (Some(&from), Some(&to)) = (gold.keys().next(), gold.keys().last()) else {
                continue;
            };
            let in_span: Vec<Document> = docs
                .iter()
                .filter(|d| d.dct.value.is_some_and(|v| v >= from && v <= to))
                .cloned()
                .collect();
            let entries = kroniek_timeline::build_timeline(&in_span, &MergeOptions::default());
            let gold_dates: HashSet<PartialDate> = gold.keys().copied().collect();
            let l = gold_dates.len();
            let _ = write!(
                per_topic,
                "{name:<28} {l:>4} dates {:>5} articles |",
                in_span.len()
            );
            for (vi, (_, m, p)) in variants.iter().enumerate() {
                let ranked = rank_dates(&entries, &in_span, from, to, *m, *p);
                let picked: HashSet<PartialDate> = ranked.into_iter().take(l).collect();
                let hit = picked.intersection(&gold_dates).count() as f64;
                let prec = if picked.is_empty() {
                    0.0
                } else {
                    hit / picked.len() as f64
                };
                let rec = hit / l.max(1) as f64;
                sums[vi].0 += prec;
                sums[vi].1 += rec;
                let _ = write!(per_topic, " {:>5.3}", Prf::new(prec, rec).f);
            }
            let _ = writeln!(per_topic);
            n_tl += 1;
        }
    }
    let _ = writeln!(
        out,
        "Timeline17 date selection ({} timelines, {} articles; {:.0} s)\n\
         Date-F1 as in news-tls: l = gold dates, span = gold first..last date; P, R averaged over timelines\n",
        n_tl,
        n_docs,
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(out, "{:<38} |    P      R   Date-F1", "ranking");
    for (vi, (label, _, _)) in variants.iter().enumerate() {
        let (p, r) = (sums[vi].0 / n_tl as f64, sums[vi].1 / n_tl as f64);
        let f = Prf::new(p, r).f;
        let _ = writeln!(out, "{label:<38} | {p:.3}  {r:.3}  {f:.3}");
    }
    let _ = writeln!(
        out,
        "\nper timeline: Date-F1 of the rankings above, in order\n{per_topic}"
    );
    Ok(out)
}

// --------------------------------------------------------------- speed

/// CPU time (user + system) of this process so far, in seconds, from
/// `/proc/self/stat` (Linux; clock ticks of 1/100 s). `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The whole pipeline (read, all annotation stages, store, corpus step)
/// over Timeline17's articles into a fresh store.
pub fn pipeline_speed(shared: &Path) -> Result<String> {
    let base = shared.join("corpora/timeline17");
    if !base.is_dir() {
        bail!("{} not found", base.display());
    }
    let tmp = tempfile::tempdir()?;
    let store = kroniek_store::EmbeddedStore::open(tmp.path())?;
    let threads = rayon::current_num_threads();
    let opts = kroniek_pipeline::IngestOptions::default();
    let cpu0 = cpu_seconds();
    let summary =
        kroniek_pipeline::ingest(&store, std::slice::from_ref(&base), &opts, &mut |_| {})?;
    let ingest_cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let corpus = summary.corpus.clone().unwrap_or_default();
    // Annotation alone, for the breakdown.
    let files: Vec<PathBuf> = kroniek_formats::walk(&[base])
        .into_iter()
        .flatten()
        .collect();
    let t = Instant::now();
    let raws: Vec<kroniek_formats::RawDoc> = files
        .iter()
        .filter_map(|p| kroniek_formats::read_path(p).ok())
        .flatten()
        .flatten()
        .collect();
    let read_s = t.elapsed().as_secs_f64();
    let n = raws.len();
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let docs = kroniek_pipeline::to_documents(raws, &kroniek_pipeline::AnnotateOptions::default());
    let annotate_s = t.elapsed().as_secs_f64();
    let annotate_cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let t = Instant::now();
    let entries = kroniek_timeline::build_timeline(&docs, &MergeOptions::default());
    let timeline_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let sd: Vec<StoryDoc> = docs.iter().map(StoryDoc::of).collect();
    let features_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let stories = kroniek_timeline::cluster_stories(&[], &sd, &StoryOptions::default());
    let stories_s = t.elapsed().as_secs_f64();
    // The sentence encoder, when installed: embedding every article's title
    // and lead, and clustering with the embeddings.
    let encoder = kroniek_encoder::shared().map(|enc| {
        let refs: Vec<&Document> = docs.iter().collect();
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        let v = kroniek_pipeline::embedding::embed_documents(enc, &refs);
        let embed_s = t.elapsed().as_secs_f64();
        let embed_cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
        let sd: Vec<StoryDoc> = sd
            .iter()
            .cloned()
            .zip(v)
            .map(|(d, e)| d.with_embedding(Some(e)))
            .collect();
        let t = Instant::now();
        let st = kroniek_timeline::cluster_stories(&[], &sd, &StoryOptions::default());
        (embed_s, embed_cpu, t.elapsed().as_secs_f64(), st.len())
    });
    let t = Instant::now();
    let mut linker = kroniek_entities::Linker::new();
    let mut linked = docs.clone();
    for d in &mut linked {
        linker.add(d);
    }
    let linker_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let stored = kroniek_store::Store::documents(&store)?.count();
    let load_s = t.elapsed().as_secs_f64();
    let mut out = String::new();
    let rate = summary.records as f64 / summary.seconds.max(1e-9);
    let _ = writeln!(
        out,
        "Whole pipeline over Timeline17 ({} files, {} documents stored, {} threads)\n",
        summary.files, summary.added, threads
    );
    let _ = writeln!(
        out,
        "ingest (read, annotate, store, corpus step)  {:>8.1} s  {:>8.1} articles/s  {:>8.1} articles/s/core",
        summary.seconds,
        rate,
        rate / threads as f64
    );
    let _ = writeln!(
        out,
        "  of which corpus step                       {:>8.1} s  ({} mentions → {} entries, {} merged; {} stories, {} with >1 article; {} articles embedded)",
        corpus.seconds,
        corpus.mentions,
        corpus.timeline_entries,
        corpus.merged_entries,
        corpus.stories,
        corpus.multi_article_stories,
        corpus.embedded
    );
    let _ = writeln!(
        out,
        "read files only                              {read_s:>8.1} s  {:>8.1} articles/s",
        n as f64 / read_s.max(1e-9)
    );
    let _ = writeln!(
        out,
        "annotate only (text, time, entities)         {annotate_s:>8.1} s  {:>8.1} articles/s  {:>8.1} articles/s/core",
        n as f64 / annotate_s.max(1e-9),
        n as f64 / annotate_s.max(1e-9) / threads as f64
    );
    let _ = writeln!(
        out,
        "timeline merge only (in memory)              {timeline_s:>8.2} s  ({} entries)",
        entries.len()
    );
    if let (Some(ic), Some(ac)) = (ingest_cpu, annotate_cpu) {
        let _ = writeln!(
            out,
            "CPU time (user+system; per-core rate independent of other load on the machine):\n\
             ingest                                       {ic:>8.1} s CPU  {:>8.1} articles per CPU-second\n\
             annotate only                                {ac:>8.1} s CPU  {:>8.1} articles per CPU-second",
            summary.records as f64 / ic.max(1e-9),
            n as f64 / ac.max(1e-9)
        );
    }
    let _ = writeln!(
        out,
        "story features only                          {features_s:>8.2} s\n\
         story clustering only                        {stories_s:>8.2} s  ({} stories)\n\
         in-memory entity linking only                {linker_s:>8.2} s\n\
         reading all documents back from the store    {load_s:>8.2} s  ({stored} documents)",
        stories.len()
    );
    match encoder {
        Some((embed_s, embed_cpu, cluster_s, n_stories)) => {
            let _ = writeln!(
                out,
                "story embeddings only (encoder)              {embed_s:>8.2} s  {:>8.1} articles/s  ({} CPU s, {:.1} articles per CPU-second)\n\
                 story clustering with embeddings only        {cluster_s:>8.2} s  ({n_stories} stories)",
                n as f64 / embed_s.max(1e-9),
                embed_cpu.map_or("?".into(), |c| format!("{c:.1}")),
                embed_cpu.map_or(0.0, |c| n as f64 / c.max(1e-9)),
            );
        }
        None => {
            let _ = writeln!(
                out,
                "sentence encoder not installed: stories are lexical only"
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn cpu_time_is_read_on_linux() {
        let a = super::cpu_seconds().expect("cpu time");
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(super::cpu_seconds().unwrap() >= a);
    }
}
