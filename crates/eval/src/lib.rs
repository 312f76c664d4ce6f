//! Evaluation of Kroniek's time stage on the shared corpora: TempEval-3
//! (English news), WikiWars (English narratives), tweets, the Dutch
//! MEANTIME development gold (`nl-timex`, with the HeidelTime-nl output as
//! a baseline) and DCT estimation (`dating`).
//!
//! Corpora are read at run time from a `shared` directory (default
//! `../shared` next to the repository root); nothing here is needed to
//! build or test.

pub mod coref;
pub mod entities;
pub mod events;
pub mod score;
pub mod semeval2015;
pub mod timelines;
pub mod timeml;
pub mod xling;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use kroniek_model::{Dct, Document, PartialDate};
use serde::Deserialize;

use score::{Counts, Diff};
pub use timeml::to_timeml;
use timeml::{Span, TmlDoc};

/// `../shared` relative to the repository root.
pub fn default_shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The evaluations `run` knows.
pub const NAMES: &[&str] = &[
    "tempeval3",
    "wikiwars",
    "tweets",
    "nl-timex",
    "dating",
    "meantime-events",
    "conll2002",
    "conll2003",
    "ecbplus-entities",
    "frog-conll2002",
    "ecbplus",
    "stories-xling",
    "timeline17",
    "pipeline-speed",
    "semeval2015",
    "semeval2015-tune",
];

/// Scores the English TimeML files of `base/train` (mismatches listed in
/// `errors`) and `base/test` in one table.
fn train_test(
    title: &str,
    base: &Path,
    labels: [&str; 2],
    errors: Option<&mut String>,
) -> Result<String> {
    let tr = score_tml(&load_tml_dir(&base.join("train"))?, "en", errors);
    let te = score_tml(&load_tml_dir(&base.join("test"))?, "en", None);
    Ok(score::table(
        title,
        &[(labels[0].into(), tr), (labels[1].into(), te)],
    ))
}

/// Runs one evaluation and returns the printed table.
pub fn run(name: &str, shared: &Path) -> Result<String> {
    run_with(name, shared, None)
}

/// Like [`run`]; with `errors`, also writes every mismatch on the
/// development splits (never on test splits) to it.
pub fn run_with(name: &str, shared: &Path, mut errors: Option<&mut String>) -> Result<String> {
    match name {
        "tempeval3" => {
            let base = shared.join("corpora/tempeval3");
            let train = [
                load_tml_dir(&base.join("TBAQ-cleaned/AQUAINT"))?,
                load_tml_dir(&base.join("TBAQ-cleaned/TimeBank"))?,
            ]
            .concat();
            let test = load_tml_dir(&base.join("te3-platinum"))?;
            let tr = score_tml(&train, "en", errors.as_deref_mut());
            let te = score_tml(&test, "en", None);
            Ok(score::table(
                "TempEval-3 (English), TE3-style scoring",
                &[
                    ("kroniek  TBAQ-cleaned train".into(), tr),
                    ("kroniek  te3-platinum test".into(), te),
                ],
            ))
        }
        "wikiwars" => train_test(
            "WikiWars (English narratives, TIMEX3 conversion)",
            &shared.join("corpora/wikiwars/timex3_tml"),
            ["kroniek  train (16 docs)", "kroniek  test (6 docs)"],
            errors,
        ),
        "tweets" => train_test(
            "Tweets (English)",
            &shared.join("corpora/tweets"),
            ["kroniek  train", "kroniek  test"],
            errors,
        ),
        "nl-timex" => nl_timex(shared, errors),
        "dating" => dating(shared, errors),
        "meantime-events" => events::meantime(shared, errors),
        n if entities::NAMES.contains(&n) => entities::run(n, shared),
        "ecbplus" => timelines::ecbplus(shared),
        "stories-xling" => xling::stories_xling(shared),
        "timeline17" => timelines::timeline17(shared),
        "pipeline-speed" => timelines::pipeline_speed(shared),
        "semeval2015" => semeval2015::evaluate(shared),
        "semeval2015-tune" => semeval2015::tune(shared),
        other => bail!("unknown evaluation {other:?}; one of {}", NAMES.join(", ")),
    }
}

/// The files of `dir` whose extension is `ext`, sorted by path.
pub(crate) fn files_with_ext(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    Ok(paths)
}

fn load_tml_dir(dir: &Path) -> Result<Vec<TmlDoc>> {
    let paths = files_with_ext(dir, "tml")?;
    let mut out = Vec::new();
    for p in paths {
        let xml = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        out.push(timeml::parse(&name, &xml));
    }
    Ok(out)
}

fn parse_dct(s: &str) -> Option<PartialDate> {
    s.parse()
        .ok()
        .or_else(|| s.get(..10).and_then(|d| d.parse().ok()))
}

fn system_spans(text: &str, lang: &str, dct: Option<PartialDate>) -> Vec<Span> {
    kroniek_time::tag(text, lang, dct)
        .into_iter()
        .map(|t| Span {
            start: t.start,
            end: t.end,
            kind: format!("{:?}", t.kind).to_uppercase(),
            value: t.value,
        })
        .collect()
}

fn write_diffs(out: &mut String, name: &str, text: &str, diffs: &[Diff]) {
    let chars: Vec<char> = text.chars().collect();
    let s = |a: usize, b: usize| -> String {
        chars
            .get(a..b.min(chars.len()))
            .map(|c| c.iter().collect())
            .unwrap_or_default()
    };
    let ctx = |sp: &Span| -> String {
        s(sp.start.saturating_sub(30), sp.start).replace('\n', " ")
            + "["
            + &s(sp.start, sp.end)
            + "]"
            + &s(sp.end, sp.end + 30).replace('\n', " ")
    };
    for d in diffs {
        let line = match d {
            Diff::Missed(g) => format!("MISS  {name}\t{} {}\t{}", g.kind, g.value, ctx(g)),
            Diff::Spurious(sy) => format!("SPUR  {name}\t{} {}\t{}", sy.kind, sy.value, ctx(sy)),
            Diff::Wrong(g, sy) => format!(
                "DIFF  {name}\tgold {} {} {:?} | sys {} {} {:?}\t{}",
                g.kind,
                g.value,
                s(g.start, g.end),
                sy.kind,
                sy.value,
                s(sy.start, sy.end),
                ctx(g)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
}

fn score_tml(docs: &[TmlDoc], lang: &str, mut errors: Option<&mut String>) -> Counts {
    let mut c = Counts::default();
    for d in docs {
        let dct = d.dct.as_deref().and_then(parse_dct);
        let sys = system_spans(&d.text, lang, dct);
        let diffs = c.add(&d.timexes, &sys);
        if let Some(e) = errors.as_deref_mut() {
            let _ = writeln!(e, "## {} dct={:?}", d.name, d.dct);
            write_diffs(e, &d.name, &d.text, &diffs);
        }
    }
    c
}

#[derive(Deserialize)]
struct MeantimeDoc {
    doc: String,
    dct: String,
    raw: String,
    #[serde(default)]
    system_timex3: Vec<HeidelTimex>,
}

#[derive(Deserialize)]
struct HeidelTimex {
    #[serde(rename = "type")]
    kind: String,
    value: String,
    begin: Option<usize>,
    end: Option<usize>,
}

#[derive(Deserialize)]
struct GoldDoc {
    doc: String,
    dct: String,
    timexes: Vec<GoldTimex>,
}

#[derive(Deserialize)]
struct GoldTimex {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

fn load_meantime(shared: &Path) -> Result<Vec<MeantimeDoc>> {
    let p = shared.join("corpora/meantime_nl_partial/nl_raw_dct_heideltime_nl_output.jsonl");
    let s = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).context("MEANTIME line"))
        .collect()
}

fn nl_timex(shared: &Path, mut errors: Option<&mut String>) -> Result<String> {
    let meantime = load_meantime(shared)?;
    let p = shared.join("nl_timex_dev/gold.jsonl");
    let s = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    let mut ours = Counts::default();
    let mut heidel = Counts::default();
    for line in s.lines().filter(|l| !l.trim().is_empty()) {
        let g: GoldDoc = serde_json::from_str(line).context("gold line")?;
        let Some(m) = meantime.iter().find(|m| m.doc == g.doc) else {
            bail!("gold document {} not in MEANTIME file", g.doc);
        };
        let gold: Vec<Span> = g
            .timexes
            .iter()
            .map(|t| Span {
                start: t.start,
                end: t.end,
                kind: t.kind.clone(),
                value: t.value.clone(),
            })
            .collect();
        let sys = system_spans(&m.raw, "nl", parse_dct(&g.dct));
        let diffs = ours.add(&gold, &sys);
        if let Some(e) = errors.as_deref_mut() {
            let _ = writeln!(e, "## {} dct={}", g.doc, g.dct);
            write_diffs(e, &g.doc, &m.raw, &diffs);
        }
        let ht: Vec<Span> = m
            .system_timex3
            .iter()
            .filter_map(|t| {
                Some(Span {
                    start: t.begin?,
                    end: t.end?,
                    kind: t.kind.clone(),
                    value: t.value.clone(),
                })
            })
            .collect();
        heidel.add(&gold, &ht);
    }
    Ok(score::table(
        "Dutch TIMEX3 (nl_timex_dev gold: 30 MEANTIME-nl docs)",
        &[
            ("kroniek".into(), ours),
            ("HeidelTime-nl (NewsReader 2016)".into(), heidel),
        ],
    ))
}

/// Removes lines near the top that are only a date (the date line), so
/// that dating cannot read the answer.
pub fn strip_date_lines(text: &str, lang: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() {
            seen += 1;
        }
        if seen <= 5 && !t.is_empty() && t.len() < 40 {
            let tx = kroniek_time::tag(t, lang, None);
            let covered: usize = tx
                .iter()
                .filter(|x| x.kind == kroniek_model::TimexType::Date)
                .map(|x| x.end - x.start)
                .sum();
            if covered * 10 >= t.chars().count() * 6 {
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

#[derive(Default)]
struct DatingCounts {
    docs: usize,
    answered: usize,
    year_ok: usize,
    month_known: usize,
    month_ok: usize,
    in_range: usize,
    /// Documents whose text (date lines stripped) names their own year:
    /// the most the text alone can state rather than bound.
    own_year: usize,
}

impl DatingCounts {
    fn add(&mut self, gold: PartialDate, est: Option<&Dct>) {
        self.docs += 1;
        let Some(v) = est.and_then(|d| d.value) else {
            return;
        };
        self.answered += 1;
        if v.year_value() == gold.year_value() {
            self.year_ok += 1;
            if v.month_value().is_some() {
                self.month_known += 1;
                if v.month_value() == gold.month_value() {
                    self.month_ok += 1;
                }
            }
        } else if v.month_value().is_some() {
            self.month_known += 1;
        }
        if let Some((lo, hi)) = est.and_then(|d| d.range) {
            if lo.first_day() <= gold.first_day() && gold.first_day() <= hi.last_day() {
                self.in_range += 1;
            }
        }
    }

    /// The counts of two sets of documents together.
    fn plus(&self, o: &Self) -> Self {
        Self {
            docs: self.docs + o.docs,
            answered: self.answered + o.answered,
            year_ok: self.year_ok + o.year_ok,
            month_known: self.month_known + o.month_known,
            month_ok: self.month_ok + o.month_ok,
            in_range: self.in_range + o.in_range,
            own_year: self.own_year + o.own_year,
        }
    }

    fn row(&self, label: &str) -> String {
        let pc = |a: usize, b: usize| {
            if b == 0 {
                "-".to_string()
            } else {
                format!("{:.1}", 100.0 * a as f64 / b as f64)
            }
        };
        format!(
            "{:<36} {:>5} {:>8} {:>8} {:>9} {:>9} {:>10} {:>9}\n",
            label,
            self.docs,
            pc(self.docs - self.answered, self.docs),
            pc(self.year_ok, self.docs),
            pc(self.year_ok, self.answered),
            pc(self.month_ok, self.docs),
            pc(self.month_ok, self.month_known),
            pc(self.in_range, self.answered),
        )
    }
}

/// One hidden-DCT document: name, text with its date lines stripped, gold DCT.
struct Hidden {
    name: String,
    text: String,
    gold: PartialDate,
}

/// Scores the document-level estimator and the corpus-level dater
/// (leave-one-out: the other documents of the corpus keep their DCT).
fn date_corpus(
    docs: &[Hidden],
    lang: &str,
    mut errors: Option<&mut String>,
) -> (DatingCounts, DatingCounts, DatingCounts) {
    let mut doc_level = DatingCounts::default();
    let mut baseline = DatingCounts::default();
    let mut years: std::collections::BTreeMap<i32, usize> = Default::default();
    for d in docs {
        *years.entry(d.gold.year_value()).or_insert(0) += 1;
    }
    let mut corpus_level = DatingCounts::default();
    let mut dater = kroniek_time::Dater::new();
    for d in docs {
        let tx = kroniek_time::tag(&d.text, lang, Some(d.gold));
        dater.add(&kroniek_time::DatedDoc {
            text: &d.text,
            lang,
            dct: d.gold,
            timexes: &tx,
        });
    }
    dater.finish();
    for (i, d) in docs.iter().enumerate() {
        let own = kroniek_time::infer_dct(&d.text, lang);
        let refined = dater.estimate_with(&d.text, lang, Some(i));
        if let Some(e) = errors.as_deref_mut() {
            let v = |x: &Option<Dct>| {
                x.as_ref()
                    .and_then(|d| d.value)
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "-".into())
            };
            let _ = writeln!(
                e,
                "{}\tgold {}\tdoc {}\tcorpus {} {:?}\t{:?}",
                d.name,
                d.gold,
                v(&own),
                v(&refined),
                refined.as_ref().and_then(|d| d.range),
                refined.as_ref().map(|d| &d.evidence)
            );
        }
        doc_level.add(d.gold, own.as_ref());
        let year = d.gold.year_value().to_string();
        if d.text
            .split(|c: char| !c.is_ascii_digit())
            .any(|w| w == year)
        {
            doc_level.own_year += 1;
        }
        corpus_level.add(d.gold, refined.as_ref());
        // Baseline: the most common year of the other documents.
        let gy = d.gold.year_value();
        let majority = years
            .iter()
            .map(|(&y, &n)| (y, n - usize::from(y == gy)))
            .max_by_key(|&(y, n)| (n, -y))
            .filter(|&(_, n)| n > 0)
            .map(|(y, _)| Dct {
                value: Some(PartialDate::year(y)),
                ..Dct::none()
            });
        baseline.add(d.gold, majority.as_ref());
    }
    (doc_level, corpus_level, baseline)
}

/// Timeline17 articles: `<topic>/InputDocs/<YYYY-MM-DD>/<n>.htm.txt`, the
/// folder name being the publication date. Empty files are left out.
fn load_timeline17(base: &Path) -> Result<Vec<Hidden>> {
    let mut out = Vec::new();
    let mut topics: Vec<PathBuf> = fs::read_dir(base)
        .with_context(|| format!("reading {}", base.display()))?
        .filter_map(|e| e.ok().map(|e| e.path().join("InputDocs")))
        .filter(|p| p.is_dir())
        .collect();
    topics.sort();
    for t in topics {
        let mut days: Vec<PathBuf> = fs::read_dir(&t)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        days.sort();
        for day in days {
            let Some(gold) = day
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.parse::<PartialDate>().ok())
            else {
                continue;
            };
            let mut files: Vec<PathBuf> = fs::read_dir(&day)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            for f in files {
                let bytes = fs::read(&f).with_context(|| format!("reading {}", f.display()))?;
                let text = String::from_utf8_lossy(&bytes);
                if text.trim().is_empty() {
                    continue;
                }
                out.push(Hidden {
                    name: f.strip_prefix(base).unwrap_or(&f).display().to_string(),
                    text: strip_date_lines(&text, "en"),
                    gold,
                });
            }
        }
    }
    Ok(out)
}

fn dating(shared: &Path, mut errors: Option<&mut String>) -> Result<String> {
    let mut rows = Vec::new();
    let nl: Vec<Hidden> = load_meantime(shared)?
        .into_iter()
        .filter_map(|m| {
            Some(Hidden {
                gold: parse_dct(&m.dct)?,
                text: strip_date_lines(&m.raw, "nl"),
                name: m.doc,
            })
        })
        .collect();
    // MEANTIME-nl serves as the Dutch development set; the error listing
    // covers it and TBAQ train, never te3-platinum.
    let (a, b, c) = date_corpus(&nl, "nl", errors.as_deref_mut());
    rows.push(("MEANTIME-nl (120 docs)", a, b, c));
    let base = shared.join("corpora/tempeval3");
    for (label, dirs, dev) in [
        (
            "TempEval-3 TBAQ train",
            vec!["TBAQ-cleaned/AQUAINT", "TBAQ-cleaned/TimeBank"],
            true,
        ),
        ("TempEval-3 te3-platinum", vec!["te3-platinum"], false),
    ] {
        let mut docs = Vec::new();
        for d in dirs {
            for doc in load_tml_dir(&base.join(d))? {
                let Some(gold) = doc.dct.as_deref().and_then(parse_dct) else {
                    continue;
                };
                docs.push(Hidden {
                    text: strip_date_lines(&doc.text, "en"),
                    name: doc.name,
                    gold,
                });
            }
        }
        let e = if dev { errors.as_deref_mut() } else { None };
        let (a, b, c) = date_corpus(&docs, "en", e);
        rows.push((label, a, b, c));
    }
    let t17 = load_timeline17(&shared.join("corpora/timeline17"))?;
    let (a, b, c) = date_corpus(&t17, "en", None);
    rows.push(("Timeline17 (news)", a, b, c));
    let mut out = String::from(
        "DCT estimation with the DCT hidden (date lines stripped)\n\
         document = from the text alone; corpus = leave-one-out with the other documents of the\n\
         same corpus dated (similar articles, shared facts, and the text's own dates);\n\
         majority = baseline: the most common year of the other documents (no range).\n\
         abst% = abstained; year%/month% over all docs; |ans = over answered docs;\n\
         month|ans over answered docs whose estimate has a month; range% = gold DCT inside the returned range\n",
    );
    out.push_str(&format!(
        "{:<36} {:>5} {:>8} {:>8} {:>9} {:>9} {:>10} {:>9}\n",
        "corpus / level", "docs", "abst%", "year%", "year|ans", "month%", "month|ans", "range%"
    ));
    for (l, a, b, c) in &rows {
        out.push_str(&a.row(&format!("{l}, document")));
        out.push_str(&b.row(&format!("{l}, corpus")));
        out.push_str(&c.row(&format!("{l}, majority")));
    }
    // The hidden-DCT set: MEANTIME Dutch and TempEval-3 together.
    let pooled = rows
        .iter()
        .filter(|r| !r.0.starts_with("Timeline17"))
        .fold(DatingCounts::default(), |acc, r| acc.plus(&r.2));
    out.push_str(&pooled.row("MEANTIME-nl + TempEval-3, corpus"));
    out.push_str("texts that contain their own year (as a number, date lines stripped):\n");
    for (l, a, _, _) in &rows {
        out.push_str(&format!(
            "  {l:<34} {:>5} of {:>5}  {:>5.1}%\n",
            a.own_year,
            a.docs,
            100.0 * a.own_year as f64 / a.docs.max(1) as f64
        ));
    }
    Ok(out)
}

/// Annotates a document with the time stage and returns TimeML (for the
/// official TempEval-3 scorer).
pub fn annotate_to_timeml(text: &str, lang: &str, dct: Option<PartialDate>) -> String {
    let mut doc = Document::new(
        "eval",
        None,
        text.to_string(),
        dct.map(|d| Dct::given(d, "eval")).unwrap_or_default(),
    );
    doc.lang = lang.to_string();
    kroniek_time::annotate(&mut doc);
    to_timeml(&doc)
}
