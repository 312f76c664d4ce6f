//! SemEval-2015 Task 4 "TimeLine: cross-document event ordering", track A:
//! from the raw documents, build the timeline of every target entity and
//! score it with temporal awareness as the task did (see [`scorer`]).
//!
//! `kroniek-eval semeval2015` runs the gold timelines against themselves
//! (a check of the scorer), a baseline (the pipeline's event mentions in
//! sentences naming the target, all anchored to the DCT) and the system on
//! the trial corpus (Apple, used for tuning) and the three test corpora
//! (Airbus, GM, stock markets); the system's timelines are written in the
//! task's format under `target/semeval2015/` so the official scorer can be
//! run on them too.

pub mod cat;
pub mod scorer;
pub mod system;

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use scorer::{Awareness, TimelineFile};
use system::{Prepared, Settings};

/// One evaluation corpus: documents, gold timelines (file name, timeline)
/// and target entities.
pub struct Corpus {
    pub name: String,
    pub docs: Vec<Prepared>,
    pub gold: Vec<(String, TimelineFile)>,
}

/// The task's file name of a target's timeline ("Airbus A380" → "airbus_a380.txt").
pub fn file_name(target: &str) -> String {
    format!(
        "{}.txt",
        target
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_")
            .to_lowercase()
    )
}

fn read_gold(dir: &Path) -> Result<Vec<(String, TimelineFile)>> {
    let paths = crate::files_with_ext(dir, "txt")?;
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).with_context(|| format!("{}", p.display()))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, TimelineFile::parse(&text)))
        })
        .collect()
}

/// Pads a short anchor to the test data's form: the trial timelines
/// (v1.2) write `2006-03` and `1968` where the test gold writes
/// `2006-03-XX` and `1968-XX-XX`.
pub fn pad_anchor(a: &str) -> String {
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match a.split('-').collect::<Vec<_>>().as_slice() {
        [y] if digits(y, 4) => format!("{y}-XX-XX"),
        [y, m] if digits(y, 4) && digits(m, 2) => format!("{y}-{m}-XX"),
        _ => a.to_string(),
    }
}

fn load(name: &str, docs: &Path, gold: &Path) -> Result<Corpus> {
    let cats = cat::read_dir(docs)?;
    let docs: Vec<Prepared> = cats.into_par_iter().map(system::prepare).collect();
    let mut gold = read_gold(gold)?;
    for (_, t) in &mut gold {
        for l in &mut t.lines {
            l.date = pad_anchor(&l.date);
        }
    }
    Ok(Corpus {
        name: name.into(),
        docs,
        gold,
    })
}

/// The trial corpus and the three test corpora under `shared`.
pub fn corpora(shared: &Path) -> Result<Vec<Corpus>> {
    let base = shared.join("corpora/semeval2015_task4_timeline");
    let mut out = vec![load(
        "trial (apple)",
        &base.join("Corpus-trial-data_task4"),
        &base.join("TimeLines_trial_data_task4_v1.2"),
    )?];
    for (n, label) in [(1, "airbus"), (2, "gm"), (3, "stock")] {
        let dir = base.join(format!("SemEval_Task4_data/corpus_{n}"));
        out.push(load(
            &format!("test {n} ({label})"),
            &dir.join("corpus_trackA_CAT"),
            &dir.join("TimeLines_Gold_Standard"),
        )?);
    }
    Ok(out)
}

/// Timelines of one run over a corpus: (file name, timeline) per gold file.
pub fn run_system(c: &Corpus, settings: &Settings) -> Vec<(String, TimelineFile)> {
    c.gold
        .par_iter()
        .map(|(file, g)| (file.clone(), system::timeline(&g.entity, &c.docs, settings)))
        .collect()
}

/// Scores timelines against the corpus gold (a missing timeline scores 0).
pub fn score(c: &Corpus, sys: &[(String, TimelineFile)]) -> Awareness {
    let mut total = Awareness::default();
    for (file, g) in &c.gold {
        let empty = TimelineFile::default();
        let s = sys
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, t)| t)
            .unwrap_or(&empty);
        total.add(&scorer::score(g, s));
    }
    total
}

fn write_run(out: &Path, corpus: &str, sys: &[(String, TimelineFile)]) -> Result<()> {
    let dir = out.join(corpus.split_whitespace().collect::<Vec<_>>().join("_"));
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    for (file, t) in sys {
        std::fs::write(dir.join(file), t.render())?;
    }
    Ok(())
}

fn row(out: &mut String, label: &str, a: &Awareness) {
    let _ = writeln!(
        out,
        "{:<34} {:>6} {:>6} {:>6} {:>6} | {:>7} {:>7} {:>7}",
        label,
        a.system,
        a.prec_matched,
        a.gold,
        a.rec_matched,
        format!("{:.2}", 100.0 * a.precision()),
        format!("{:.2}", 100.0 * a.recall()),
        format!("{:.2}", 100.0 * a.f1()),
    );
}

/// Runs the evaluation and returns the printed table.
pub fn evaluate(shared: &Path) -> Result<String> {
    let corpora = corpora(shared)?;
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/semeval2015");
    let mut out = String::from(
        "SemEval-2015 Task 4 track A (TimeLine), temporal awareness, micro-averaged over timelines\n\
         (sys / gold: reduced relations; ok: those the other side's graph verifies)\n",
    );
    let _ = writeln!(
        out,
        "{:<34} {:>6} {:>6} {:>6} {:>6} | {:>7} {:>7} {:>7}",
        "run / corpus", "sys", "sys ok", "gold", "gold ok", "P", "R", "F1"
    );
    let lexicon = system::Lexicon::learn(corpora[0].docs.iter().map(|p| &p.cat));
    let runs: [(&str, Option<Settings>); 3] = [
        ("gold", None),
        ("baseline", Some(Settings::baseline())),
        ("kroniek", Some(Settings::system(lexicon))),
    ];
    for (run, settings) in runs {
        let mut test = Awareness::default();
        for c in &corpora {
            let sys = match &settings {
                Some(s) => run_system(c, s),
                None => c.gold.clone(),
            };
            if settings.is_some() {
                write_run(&out_dir.join(run), &c.name, &sys)?;
            }
            let a = score(c, &sys);
            if c.name.starts_with("test") {
                test.add(&a);
            }
            row(&mut out, &format!("{run}  {}", c.name), &a);
        }
        row(&mut out, &format!("{run}  test total"), &test);
    }
    Ok(out)
}

/// A lexicon learnt from the trial documents annotated with only the event
/// mentions that belong in a timeline (an alternative the tuning compares).
pub fn timeline_event_lexicon(shared: &Path) -> Result<system::Lexicon> {
    let dir =
        shared.join("corpora/semeval2015_task4_timeline/Corpus-trial-data_task4_events_timelines");
    Ok(system::Lexicon::learn(&cat::read_dir(&dir)?))
}

/// Scores a grid of settings on the trial corpus only (the tuning behind
/// [`Settings::system`]).
pub fn tune(shared: &Path) -> Result<String> {
    let base = shared.join("corpora/semeval2015_task4_timeline");
    let trial = load(
        "trial (apple)",
        &base.join("Corpus-trial-data_task4"),
        &base.join("TimeLines_trial_data_task4_v1.2"),
    )?;
    let lexicon = system::Lexicon::learn(trial.docs.iter().map(|p| &p.cat));
    let lexicon_tl = timeline_event_lexicon(shared)?;
    let mut out = String::from("SemEval-2015 Task 4 tuning on the trial corpus (apple)\n");
    let _ = writeln!(
        out,
        "{:<34} {:>6} {:>6} {:>6} {:>6} | {:>7} {:>7} {:>7}",
        "settings", "sys", "sys ok", "gold", "gold ok", "P", "R", "F1"
    );
    let base_settings = Settings::system(lexicon);
    let mut grid: Vec<(String, Settings)> = vec![("chosen".into(), base_settings.clone())];
    for min_p in [0.3, 0.4, 0.5, 0.6, 0.7] {
        for window in [Some(4), Some(6), Some(8), Some(10), None] {
            let mut s = base_settings.clone();
            s.min_p = min_p;
            s.window = window;
            grid.push((format!("min_p {min_p} window {window:?}"), s));
        }
    }
    for (min_parts, lead) in [(1, false), (2, true), (3, true), (3, false)] {
        let mut s = base_settings.clone();
        s.min_parts = min_parts;
        s.lead = lead;
        grid.push((format!("min_parts {min_parts} lead {lead}"), s));
    }
    for inherit in [1, 2] {
        let mut s = base_settings.clone();
        s.inherit = inherit;
        grid.push((format!("inherit {inherit}"), s));
    }
    for w in [5, 10, 15, 20] {
        let mut s = base_settings.clone();
        s.timex_window = Some(w);
        grid.push((format!("timex_window {w}"), s));
    }
    for w in [0, 2, 4, 8] {
        let mut s = base_settings.clone();
        s.statement_window = Some(w);
        grid.push((format!("statement_window {w}"), s));
    }
    for extent in [system::Extent::First, system::Extent::Last] {
        let mut s = base_settings.clone();
        s.extent = extent;
        grid.push((format!("extent {extent:?}"), s));
    }
    let mut s = base_settings.clone();
    s.skip_names = !s.skip_names;
    grid.push((format!("skip_names {}", s.skip_names), s));
    let mut s = base_settings.clone();
    s.title = false;
    grid.push(("no events from the title".into(), s));
    let mut s = base_settings.clone();
    s.refine = !s.refine;
    grid.push((format!("refine {}", s.refine), s));
    let mut s = base_settings.clone();
    s.drop_uncertain = false;
    grid.push(("keep negated and future events".into(), s));
    let mut s = base_settings.clone();
    s.full_name_only = true;
    grid.push(("full name only (no derived aliases)".into(), s));
    for reach in [0, 1, 2, 3] {
        let mut s = base_settings.clone();
        s.pronoun_reach = reach;
        grid.push((format!("pronoun_reach {reach}"), s));
    }
    let mut s = base_settings.clone();
    s.pipeline_events = false;
    grid.push(("pipeline_events false".into(), s));
    for min_p in [0.2, 0.3, 0.4, 0.5] {
        for window in [Some(6), Some(10)] {
            let mut s = base_settings.clone();
            s.lexicon = Some(lexicon_tl.clone());
            s.min_p = min_p;
            s.window = window;
            grid.push((
                format!("timeline-event lexicon {min_p} window {window:?}"),
                s,
            ));
        }
    }
    for (label, s) in grid {
        let a = score(&trial, &run_system(&trial, &s));
        row(&mut out, &label, &a);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_trial_anchors() {
        assert_eq!(pad_anchor("2006-03"), "2006-03-XX");
        assert_eq!(pad_anchor("1968"), "1968-XX-XX");
        assert_eq!(pad_anchor("2006-03-28"), "2006-03-28");
        assert_eq!(pad_anchor("XXXX-XX-XX"), "XXXX-XX-XX");
    }

    /// The gold timelines of the task score 100 against themselves
    /// (skipped without `../shared`).
    #[test]
    fn task_gold_scores_itself() {
        let base = crate::default_shared().join("corpora/semeval2015_task4_timeline");
        if !base.exists() {
            return;
        }
        for dir in [
            base.join("TimeLines_trial_data_task4_v1.2"),
            base.join("SemEval_Task4_data/corpus_1/TimeLines_Gold_Standard"),
            base.join("SemEval_Task4_data/corpus_2/TimeLines_Gold_Standard"),
            base.join("SemEval_Task4_data/corpus_3/TimeLines_Gold_Standard"),
        ] {
            let gold = read_gold(&dir).unwrap();
            assert!(!gold.is_empty());
            for (_, t) in &gold {
                let a = scorer::score(t, t);
                assert_eq!((a.prec_matched, a.rec_matched), (a.system, a.gold));
            }
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("Airbus A380"), "airbus_a380.txt");
        assert_eq!(file_name("S&P 500"), "s&p_500.txt");
    }
}
