//! `stories-xling`: do Dutch and English articles about the same subject
//! meet? MEANTIME's Dutch documents are translations of the English
//! Wikinews articles of SemEval-2015 Task 4, which gives 120 translation
//! pairs (matched by article name). Reported with and without the
//! sentence encoder:
//!
//! - cross-lingual retrieval: for each Dutch article, is its English
//!   original the most similar English article of the split (accuracy@1)?
//! - stories over the mixed Dutch + English set: the fraction of
//!   translation pairs placed in one story, and pairwise P/R/F1 against
//!   the translation pairs as gold clusters (so any other merge counts as
//!   an error, a strict precision), with the merged same-language pairs
//!   counted separately.
//!
//! Split: the trial corpus (Apple, 30 pairs) tunes the cross-language
//! embedding threshold; the three test corpora (Airbus, GM, stock market,
//! 90 pairs) are reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use kroniek_formats::{Format, RawDoc};
use kroniek_model::{Document, Story};
use kroniek_pipeline::{to_documents, AnnotateOptions};
use kroniek_timeline::{StoryDoc, StoryOptions};

use crate::coref::{pairwise, Prf};

/// One article of a translation pair.
struct Article {
    /// Pair key (normalised article name).
    pair: String,
    split: &'static str,
    doc: Document,
}

/// The article name without its numeric id and extension, lower case,
/// letters and digits only.
fn name_key(file: &str) -> String {
    let base = file.rsplit('/').next().unwrap_or(file);
    let base = base
        .trim_end_matches(".xml")
        .trim_end_matches(".tml")
        .trim_end_matches(".txt");
    let rest = base.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
    rest.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn raw(
    source: String,
    title: Option<String>,
    text: String,
    date: Option<&str>,
    lang: &str,
) -> RawDoc {
    RawDoc {
        source,
        format: Format::Text,
        title,
        text,
        date: date.and_then(|d| d.get(..10)).and_then(|d| d.parse().ok()),
        date_evidence: None,
        url: None,
        lang: Some(lang.to_string()),
        external_id: None,
    }
}

/// The English articles: SemEval-2015 Task 4 TimeML (title from EXTRAINFO,
/// one line per `<s>`), with their split.
fn english(shared: &Path) -> Result<Vec<(String, &'static str, RawDoc)>> {
    let base = shared.join("corpora/semeval2015_task4_timeline");
    let mut dirs = vec![(base.join("Corpus-trial-data_task4_TimeML"), "trial")];
    for c in 1..=3 {
        dirs.push((
            base.join(format!(
                "SemEval_Task4_data/corpus_{c}/corpus_trackA_TimeML"
            )),
            "test",
        ));
    }
    let mut out = Vec::new();
    for (dir, split) in dirs {
        let files = crate::files_with_ext(&dir, "tml")?;
        for f in files {
            let xml = std::fs::read_to_string(&f)?;
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let title =
                between(&xml, "<EXTRAINFO>", "</EXTRAINFO>").map(crate::timeml::decode_entities);
            let tml = crate::timeml::parse(&name, &xml.replace("</s>", "</s>\n"));
            out.push((
                name_key(&name),
                split,
                raw(name, title, tml.text, tml.dct.as_deref(), "en"),
            ));
        }
    }
    Ok(out)
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

/// The Dutch translations: MEANTIME-nl raw texts with their DCT.
fn dutch(shared: &Path) -> Result<Vec<(String, RawDoc)>> {
    #[derive(serde::Deserialize)]
    struct Line {
        doc: String,
        title: Option<String>,
        dct: Option<String>,
        raw: Option<String>,
    }
    let path = shared.join("corpora/meantime_nl_partial/nl_raw_dct_heideltime_nl_output.jsonl");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let l: Line = serde_json::from_str(l)?;
        let Some(body) = l.raw else { continue };
        out.push((
            name_key(&l.doc),
            raw(l.doc, l.title, body, l.dct.as_deref(), "nl"),
        ));
    }
    Ok(out)
}

/// Both sides, paired: every Dutch article whose English original is
/// found (same name key, or one key a prefix of the other when unique);
/// (pair key, split, raw document), Dutch before English.
fn pairs(shared: &Path) -> Result<Vec<(String, &'static str, RawDoc)>> {
    let en = english(shared)?;
    let nl = dutch(shared)?;
    let mut out = Vec::new();
    let mut used = HashSet::new();
    for (k, r) in nl {
        let exact: Vec<usize> = (0..en.len()).filter(|&i| en[i].0 == k).collect();
        let m = if exact.len() == 1 {
            exact
        } else {
            (0..en.len())
                .filter(|&i| k.starts_with(&en[i].0) || en[i].0.starts_with(&k))
                .collect()
        };
        let [i] = m[..] else { continue };
        if !used.insert(i) {
            continue;
        }
        // Two DCTs are written otherwise ("14-Feb-07" in Dutch, "03-02-2009"
        // in English): a translation has its original's date.
        let (mut r, mut e) = (r, en[i].2.clone());
        r.date = r.date.or(e.date);
        e.date = e.date.or(r.date);
        out.push((k.clone(), en[i].1, r));
        out.push((k, en[i].1, e));
    }
    if out.is_empty() {
        bail!("no translation pairs found under {}", shared.display());
    }
    Ok(out)
}

/// The paired articles, annotated by the pipeline.
fn load(shared: &Path) -> Result<Vec<Article>> {
    let (meta, raws): (Vec<(String, &'static str)>, Vec<RawDoc>) = pairs(shared)?
        .into_iter()
        .map(|(k, split, r)| ((k, split), r))
        .unzip();
    let docs = to_documents(raws, &AnnotateOptions::default());
    Ok(docs
        .into_iter()
        .zip(meta)
        .map(|(doc, (pair, split))| Article { pair, split, doc })
        .collect())
}

/// Accuracy@1 of finding each Dutch article's English original among the
/// split's English articles, by a similarity function.
fn retrieval(arts: &[&Article], sim: &dyn Fn(usize, usize) -> f64) -> (usize, usize) {
    let en: Vec<usize> = (0..arts.len())
        .filter(|&i| arts[i].doc.lang == "en")
        .collect();
    let mut right = 0;
    let mut total = 0;
    for i in (0..arts.len()).filter(|&i| arts[i].doc.lang == "nl") {
        total += 1;
        let best = en
            .iter()
            .copied()
            .max_by(|&a, &b| sim(i, a).total_cmp(&sim(i, b)).then(b.cmp(&a)));
        if best.is_some_and(|b| arts[b].pair == arts[i].pair) {
            right += 1;
        }
    }
    (right, total)
}

/// Story clustering of the split; returns (pairs together, pairs,
/// pairwise P/R/F1 vs translation pairs, same-language pairs merged).
struct Clustering {
    together: usize,
    pairs: usize,
    prf: Prf,
    same_lang_merged: usize,
    stories: usize,
}

fn clustering(arts: &[&Article], sd: &[StoryDoc], opts: &StoryOptions) -> Clustering {
    let stories: Vec<Story> = kroniek_timeline::cluster_stories(&[], sd, opts);
    let mut of: HashMap<&str, usize> = HashMap::new();
    for (i, s) in stories.iter().enumerate() {
        for d in &s.docs {
            of.insert(d.as_str(), i);
        }
    }
    let story = |a: &Article| of.get(a.doc.id.as_str()).copied().unwrap_or(usize::MAX);
    let mut by_pair: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in arts {
        by_pair.entry(a.pair.as_str()).or_default().push(a);
    }
    let pairs: Vec<&Vec<&Article>> = by_pair.values().filter(|v| v.len() == 2).collect();
    let together = pairs.iter().filter(|v| story(v[0]) == story(v[1])).count();
    let mut same_lang_merged = 0;
    for (i, a) in arts.iter().enumerate() {
        for b in &arts[i + 1..] {
            if a.doc.lang == b.doc.lang && story(a) == story(b) {
                same_lang_merged += 1;
            }
        }
    }
    let key: Vec<String> = arts.iter().map(|a| a.pair.clone()).collect();
    let resp: Vec<String> = arts.iter().map(|a| story(a).to_string()).collect();
    Clustering {
        together,
        pairs: pairs.len(),
        prf: pairwise(&key, &resp),
        same_lang_merged,
        stories: stories.len(),
    }
}

/// The `stories-xling` table.
pub fn stories_xling(shared: &Path) -> Result<String> {
    let started = Instant::now();
    let arts = load(shared)?;
    let loaded = started.elapsed().as_secs_f64();
    let encoder = kroniek_encoder::shared();
    let t = Instant::now();
    let vectors: Option<Vec<Vec<f32>>> = encoder.map(|enc| {
        let docs: Vec<&Document> = arts.iter().map(|a| &a.doc).collect();
        kroniek_pipeline::embedding::embed_documents(enc, &docs)
    });
    let embed_secs = t.elapsed().as_secs_f64();
    let mut out = String::new();
    let n_pairs = arts.len() / 2;
    let _ = writeln!(
        out,
        "Cross-lingual stories: {n_pairs} Dutch–English translation pairs (MEANTIME-nl × SemEval-2015 Task 4 Wikinews), \
         trial (Apple) for tuning, test = Airbus + GM + stock\nannotated in {loaded:.1} s; encoder: {}\n",
        match &vectors {
            Some(v) => format!("multilingual USE v3, {} articles embedded in {embed_secs:.1} s", v.len()),
            None => "not installed (scripts/install-encoder.sh): lexical rows only".into(),
        }
    );
    let split_of =
        |name: &str| -> Vec<usize> { (0..arts.len()).filter(|&i| arts[i].split == name).collect() };
    // `names: false` is the ablation without entity features: articles
    // that share no recognised name, where lexical features cannot bridge
    // the languages.
    let story_docs = |idx: &[usize], with_emb: bool, names: bool| -> Vec<StoryDoc> {
        idx.iter()
            .map(|&i| {
                let e = vectors.as_ref().filter(|_| with_emb).map(|v| v[i].clone());
                let mut d = StoryDoc::of(&arts[i].doc).with_embedding(e);
                if !names {
                    d.terms.retain(|(t, _)| !t.starts_with("e:"));
                }
                d
            })
            .collect()
    };

    // Tune the cross-language threshold on trial.
    let trial = split_of("trial");
    let trial_arts: Vec<&Article> = trial.iter().map(|&i| &arts[i]).collect();
    let mut tuned = StoryOptions::default();
    if vectors.is_some() {
        let sd = story_docs(&trial, true, false);
        let mut best: Option<(f64, f64)> = None;
        let mut grid = String::new();
        for t in [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9] {
            let o = StoryOptions {
                cross_embedding_threshold: t,
                ..StoryOptions::default()
            };
            let f = clustering(&trial_arts, &sd, &o).prf.f;
            let _ = write!(grid, " {t:.2}→{:.1}", 100.0 * f);
            // Ties go to the higher (more cautious) threshold.
            if best.is_none_or(|(b, _)| f >= b) {
                best = Some((f, t));
            }
        }
        if let Some((_, t)) = best {
            tuned.cross_embedding_threshold = t;
        }
        let _ = writeln!(
            out,
            "trial grid (without entity features), cross-language embedding threshold → pairwise F1:{grid}\nchosen: {:.2} (default {:.2})\n",
            tuned.cross_embedding_threshold,
            StoryOptions::default().cross_embedding_threshold
        );
    }

    let _ = writeln!(
        out,
        "Cross-lingual retrieval: each Dutch article → the most similar English article of its split (accuracy@1)\n"
    );
    let _ = writeln!(out, "{:<44} {:>9} {:>9}", "similarity", "trial", "test");
    let mut retr_rows: Vec<(String, Vec<String>)> = Vec::new();
    for name in ["trial", "test"] {
        let idx = split_of(name);
        let sub: Vec<&Article> = idx.iter().map(|&i| &arts[i]).collect();
        let plain = story_docs(&idx, false, true);
        let refs: Vec<&StoryDoc> = plain.iter().collect();
        let lex = kroniek_timeline::tfidf_vectors(&refs, 1.0);
        let mut cells = vec![(
            "lexical: tf-idf cosine of the story features".to_string(),
            retrieval(&sub, &|a, b| kroniek_timeline::sparse_dot(&lex[a], &lex[b])),
        )];
        if let Some(v) = &vectors {
            let cos =
                |a: usize, b: usize| f64::from(kroniek_encoder::cosine(&v[idx[a]], &v[idx[b]]));
            cells.push((
                "encoder: embedding cosine (title + lead)".into(),
                retrieval(&sub, &cos),
            ));
            cells.push((
                "lexical + encoder (sum of the cosines)".into(),
                retrieval(&sub, &|a, b| {
                    cos(a, b) + kroniek_timeline::sparse_dot(&lex[a], &lex[b])
                }),
            ));
        }
        for (k, (label, (r, n))) in cells.into_iter().enumerate() {
            if retr_rows.len() <= k {
                retr_rows.push((label, Vec::new()));
            }
            retr_rows[k]
                .1
                .push(format!("{r}/{n} {:.1}", 100.0 * r as f64 / n.max(1) as f64));
        }
    }
    for (label, cells) in &retr_rows {
        let _ = writeln!(out, "{label:<44} {}", cells.join("  "));
    }
    let _ = writeln!(
        out,
        "\nStories over the mixed Dutch + English articles of each split (cluster_stories, DCTs as given)\n"
    );
    let _ = writeln!(
        out,
        "{:<44} {:>5} | {:>14} | {:>5} {:>5} {:>5} | {:>9} | {:>7}",
        "features / split", "pairs", "pairs together", "P", "R", "F1", "same-lang", "stories"
    );
    for names in [true, false] {
        if !names {
            let _ = writeln!(
                out,
                "ablation: entity features removed (articles sharing no recognised name)"
            );
        }
        for name in ["trial", "test"] {
            let idx = split_of(name);
            let sub: Vec<&Article> = idx.iter().map(|&i| &arts[i]).collect();
            let plain = story_docs(&idx, false, names);
            let c = clustering(&sub, &plain, &StoryOptions::default());
            row(
                &mut out,
                &format!("without encoder                  {name}"),
                &c,
            );
            if let Some(v) = &vectors {
                let emb = story_docs(&idx, true, names);
                let c = clustering(&sub, &emb, &tuned);
                row(
                    &mut out,
                    &format!(
                        "with encoder (threshold {:.2})    {name}",
                        tuned.cross_embedding_threshold
                    ),
                    &c,
                );
                if name == "test" && names {
                    let cos = |a: usize, b: usize| {
                        f64::from(kroniek_encoder::cosine(&v[idx[a]], &v[idx[b]]))
                    };
                    let (mut pair, mut other) = (Vec::new(), Vec::new());
                    for a in (0..sub.len()).filter(|&a| sub[a].doc.lang == "nl") {
                        for b in (0..sub.len()).filter(|&b| sub[b].doc.lang == "en") {
                            if sub[a].pair == sub[b].pair {
                                pair.push(cos(a, b));
                            } else {
                                other.push(cos(a, b));
                            }
                        }
                    }
                    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
                    let _ = writeln!(
                        out,
                        "  (test embedding cosine nl–en: translation pairs mean {:.3}, min {:.3}; other pairs mean {:.3}, max {:.3})",
                        mean(&pair),
                        pair.iter().copied().fold(f64::INFINITY, f64::min),
                        mean(&other),
                        other.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\npairs together: translation pairs in one story; P/R/F1: pairwise against the \
         translation pairs; same-lang: same-language article pairs merged (all counted as errors in P)\ntotal {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(out)
}

fn row(out: &mut String, label: &str, c: &Clustering) {
    let _ = writeln!(
        out,
        "{label:<44} {:>5} | {:>4}/{:<3} {:>5.1}% | {:>5.1} {:>5.1} {:>5.1} | {:>9} | {:>7}",
        c.pairs,
        c.together,
        c.pairs,
        100.0 * c.together as f64 / c.pairs.max(1) as f64,
        100.0 * c.prf.p,
        100.0 * c.prf.r,
        100.0 * c.prf.f,
        c.same_lang_merged,
        c.stories
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_names_match_across_the_corpora() {
        assert_eq!(
            name_key("100911_Northrop_Grumman_and_Airbus_parent_EADS_defeat_Boeing.xml"),
            name_key("100911_Northrop_Grumman_and_Airbus_parent_EADS_defeat_Boeing.tml")
        );
        assert_eq!(
            name_key("11778-Apples_iTunes_replaces.tml"),
            name_key("103623_Apples_iTunes_replaces.xml")
        );
        assert_eq!(
            name_key("4980_Apple_releases_Macbook.txt.xml"),
            "applereleasesmacbook"
        );
    }

    #[test]
    fn runs_on_the_corpora_when_present() {
        let shared = crate::default_shared();
        if !shared.join("corpora/meantime_nl_partial").is_dir() {
            eprintln!("skipped: no ../shared corpora");
            return;
        }
        let p = pairs(&shared).unwrap();
        assert_eq!(p.len(), 240, "120 translation pairs");
        assert_eq!(p.iter().filter(|(_, s, _)| *s == "trial").count(), 60);
        let bad: Vec<&str> = p
            .iter()
            .filter(|(_, _, r)| r.text.is_empty() || r.date.is_none())
            .map(|(_, _, r)| r.source.as_str())
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
    }
}
