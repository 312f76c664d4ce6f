//! Event mentions and their factuality on the Dutch MEANTIME gold
//! (`corpora/meantime_nl_partial/conll_gold_events_factuality/nl`).
//!
//! The gold marks every TimeML-style event (any eventive verb or noun:
//! "is", "zei", "daling"); the events stage marks the happenings of its
//! ontology only, so recall is bounded by design; precision says how often
//! a trigger it finds is an event. A mention matches when a system trigger
//! and a gold event share a token. Over the matched events: certainty
//! (CERTAIN / PROBABLE / POSSIBLE), polarity (POS / NEG) and time (FUTURE /
//! NON_FUTURE) accuracy, gold UNDERSPECIFIED values left out. The cue words
//! are also scored on all gold events (the certainty `annotate` would give
//! an event triggered there), against the majority-class baseline.
//!
//! MEANTIME annotates events in the title and the first sentences of each
//! article only (about five); system triggers after the last sentence that
//! holds a gold event are not scored.
//!
//! Split: the 120 documents sorted by file name; even positions (0, 2,
//! ...) are the dev half used for tuning, odd positions the test half.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use kroniek_model::{Certainty, Dct, Document};
use serde::Deserialize;

/// A gold event mention: its tokens' code-point spans and factuality.
struct GoldEvent {
    spans: Vec<(usize, usize)>,
    certainty: String,
    polarity: String,
    time: String,
}

struct GoldDoc {
    name: String,
    lang: String,
    text: String,
    dct: Option<kroniek_model::PartialDate>,
    events: Vec<GoldEvent>,
    /// MEANTIME annotates the title and the first sentences only: the
    /// code-point offset where the last sentence holding a gold event ends.
    annotated_end: usize,
    /// Tokens that could not be found in the text.
    unaligned: usize,
}

#[derive(Deserialize)]
struct RawDoc {
    doc: String,
    dct: String,
    raw: String,
}

fn strip_num(tag: &str) -> (&str, &str) {
    // "B-CERTAIN-3" -> ("CERTAIN", "3"); "B-E-3" -> ("E", "3")
    let t = tag.get(2..).unwrap_or("");
    match t.rsplit_once('-') {
        Some((v, n)) => (v, n),
        None => (t, ""),
    }
}

/// Loads the gold of one language. Dutch tokens are aligned to the MEANTIME
/// raw text; for English, whose raw text is not in the corpus, the text is
/// rebuilt from the tokens (joined by spaces, a sentence per line).
fn load(shared: &Path, lang: &str) -> Result<Vec<GoldDoc>> {
    let base = shared.join("corpora/meantime_nl_partial");
    let p = base.join("nl_raw_dct_heideltime_nl_output.jsonl");
    let s = fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    let mut raws: HashMap<String, RawDoc> = HashMap::new();
    for l in s.lines().filter(|l| !l.trim().is_empty()) {
        let r: RawDoc = serde_json::from_str(l).context("MEANTIME line")?;
        raws.insert(r.doc.clone(), r);
    }
    let dir = base.join("conll_gold_events_factuality").join(lang);
    let files = crate::files_with_ext(&dir, "conll")?;
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let id = name.trim_end_matches(".conll");
        let raw = raws.get(id);
        if raw.is_none() && lang == "nl" {
            anyhow::bail!("{id}: no raw text in the MEANTIME jsonl");
        }
        let conll = fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        let text = match raw {
            Some(r) if lang == "nl" => r.raw.clone(),
            _ => rebuild_text(&conll),
        };
        let chars: Vec<char> = text.chars().collect();
        let mut cursor = 0usize;
        let mut unaligned = 0;
        let mut events: Vec<GoldEvent> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut annotated_end = 0;
        let mut sent_end = 0;
        let mut sent_has_event = false;
        for line in conll.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 6 {
                if line.trim().is_empty() && sent_has_event {
                    annotated_end = sent_end;
                    sent_has_event = false;
                }
                continue;
            }
            let tok: Vec<char> = cols[1].chars().collect();
            let span = find(&chars, &tok, cursor);
            if let Some((_, e)) = span {
                cursor = e;
                sent_end = e;
            } else {
                unaligned += 1;
            }
            if cols[2] == "_" {
                continue;
            }
            sent_has_event = true;
            let (_, num) = strip_num(cols[2]);
            let key = num.to_string();
            let idx = *by_id.entry(key).or_insert_with(|| {
                events.push(GoldEvent {
                    spans: Vec::new(),
                    certainty: strip_num(cols[3]).0.to_string(),
                    polarity: strip_num(cols[4]).0.to_string(),
                    time: strip_num(cols[5]).0.to_string(),
                });
                events.len() - 1
            });
            if let Some(sp) = span {
                events[idx].spans.push(sp);
            }
        }
        if sent_has_event {
            annotated_end = sent_end;
        }
        out.push(GoldDoc {
            annotated_end,
            name: id.to_string(),
            lang: lang.to_string(),
            text,
            dct: raw.and_then(|r| crate::parse_dct(&r.dct)),
            events,
            unaligned,
        });
    }
    Ok(out)
}

/// A text from CoNLL tokens: tokens joined by spaces, one sentence a line.
fn rebuild_text(conll: &str) -> String {
    let mut out = String::new();
    let mut line_start = true;
    for line in conll.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 6 {
            if line.trim().is_empty() && !line_start {
                out.push('\n');
                line_start = true;
            }
            continue;
        }
        if !line_start {
            out.push(' ');
        }
        out.push_str(cols[1]);
        line_start = false;
    }
    out
}

/// The span of `tok` in `chars` at or after `from` (within 300 code points).
fn find(chars: &[char], tok: &[char], from: usize) -> Option<(usize, usize)> {
    if tok.is_empty() {
        return None;
    }
    let last = chars.len().checked_sub(tok.len())?;
    (from..=last.min(from + 300))
        .find(|&i| chars[i..i + tok.len()] == *tok)
        .map(|i| (i, i + tok.len()))
}

fn annotate(g: &GoldDoc) -> Document {
    let dct = g.dct.map(|d| Dct::given(d, "MEANTIME")).unwrap_or_default();
    let mut doc = Document::new(g.name.clone(), None, g.text.clone(), dct);
    doc.lang = g.lang.clone();
    kroniek_text::annotate(&mut doc);
    kroniek_time::annotate(&mut doc);
    kroniek_entities::annotate(&mut doc);
    kroniek_events::annotate(&mut doc);
    doc
}

fn certainty_label(c: Certainty) -> &'static str {
    match c {
        Certainty::Probable => "PROBABLE",
        Certainty::Possible => "POSSIBLE",
        _ => "CERTAIN",
    }
}

fn polarity_label(c: Certainty) -> &'static str {
    if c == Certainty::Negated {
        "NEG"
    } else {
        "POS"
    }
}

fn time_label(c: Certainty) -> &'static str {
    if c == Certainty::Future {
        "FUTURE"
    } else {
        "NON_FUTURE"
    }
}

#[derive(Default)]
struct Acc {
    ok: usize,
    n: usize,
    base_ok: usize,
}

impl Acc {
    fn add(&mut self, gold: &str, sys: &str, majority: &str) {
        if gold == "UNDERSPECIFIED" || gold.is_empty() {
            return;
        }
        self.n += 1;
        self.ok += usize::from(gold == sys);
        self.base_ok += usize::from(gold == majority);
    }

    fn pc(a: usize, n: usize) -> String {
        if n == 0 {
            "-".into()
        } else {
            format!("{:.1}", 100.0 * a as f64 / n as f64)
        }
    }

    fn cell(&self) -> String {
        format!("{:>6} {:>5}", Self::pc(self.ok, self.n), self.n)
    }

    fn base(&self) -> String {
        Self::pc(self.base_ok, self.n)
    }
}

#[derive(Default)]
struct Scores {
    docs: usize,
    gold: usize,
    sys: usize,
    gold_found: usize,
    sys_ok: usize,
    unaligned: usize,
    cert: Acc,
    pol: Acc,
    time: Acc,
    cue_cert: Acc,
    cue_pol: Acc,
    cue_time: Acc,
    /// Per type: (system events, correct).
    types: std::collections::BTreeMap<String, (usize, usize)>,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn score(docs: &[&GoldDoc], mut errors: Option<&mut String>) -> Scores {
    let mut s = Scores::default();
    for g in docs {
        let doc = annotate(g);
        s.docs += 1;
        s.unaligned += g.unaligned;
        let gold: Vec<&GoldEvent> = g.events.iter().filter(|e| !e.spans.is_empty()).collect();
        s.gold += gold.len();
        let events: Vec<&kroniek_model::Event> = doc
            .events
            .iter()
            .filter(|e| e.start < g.annotated_end)
            .collect();
        s.sys += events.len();
        let mut found = vec![false; gold.len()];
        if let Some(e) = errors.as_deref_mut() {
            let _ = writeln!(e, "## {}", g.name);
        }
        for ev in events {
            let hit = gold
                .iter()
                .position(|ge| ge.spans.iter().any(|&sp| overlaps(sp, (ev.start, ev.end))));
            let t = s.types.entry(ev.kind.clone()).or_default();
            t.0 += 1;
            match hit {
                Some(k) => {
                    found[k] = true;
                    s.sys_ok += 1;
                    t.1 += 1;
                    let ge = gold[k];
                    s.cert
                        .add(&ge.certainty, certainty_label(ev.certainty), "CERTAIN");
                    s.pol.add(&ge.polarity, polarity_label(ev.certainty), "POS");
                    s.time.add(&ge.time, time_label(ev.certainty), "NON_FUTURE");
                }
                None => {
                    if let Some(e) = errors.as_deref_mut() {
                        let _ = writeln!(
                            e,
                            "SPUR\t{}\t{}\t{}",
                            ev.kind,
                            ev.text,
                            context(&g.text, ev.start, ev.end)
                        );
                    }
                }
            }
        }
        let spans: Vec<(usize, usize)> = gold.iter().map(|ge| ge.spans[0]).collect();
        let cues = kroniek_events::certainties(&doc, &spans);
        for (k, ge) in gold.iter().enumerate() {
            s.cue_cert
                .add(&ge.certainty, certainty_label(cues[k]), "CERTAIN");
            s.cue_pol.add(&ge.polarity, polarity_label(cues[k]), "POS");
            s.cue_time.add(&ge.time, time_label(cues[k]), "NON_FUTURE");
            if let Some(e) = errors.as_deref_mut() {
                let (a, b) = ge.spans[0];
                let f = |x: &str, y: &str| {
                    if x == y || x == "UNDERSPECIFIED" {
                        ""
                    } else {
                        "!"
                    }
                };
                let cl = certainty_label(cues[k]);
                let pl = polarity_label(cues[k]);
                let tl = time_label(cues[k]);
                let fact = format!(
                    "gold {}/{}/{} cue {cl}{}/{pl}{}/{tl}{}",
                    ge.certainty,
                    ge.polarity,
                    ge.time,
                    f(&ge.certainty, cl),
                    f(&ge.polarity, pl),
                    f(&ge.time, tl)
                );
                let tag = if found[k] { "HIT " } else { "MISS" };
                let _ = writeln!(e, "{tag}\t{fact}\t{}", context(&g.text, a, b));
            }
        }
        s.gold_found += found.iter().filter(|f| **f).count();
    }
    s
}

fn context(text: &str, a: usize, b: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let sl = |x: usize, y: usize| -> String {
        chars[x.min(chars.len())..y.min(chars.len())]
            .iter()
            .collect::<String>()
            .replace('\n', " ")
    };
    format!(
        "{}[{}]{}",
        sl(a.saturating_sub(40), a),
        sl(a, b),
        sl(b, b + 40)
    )
}

fn prf(ok_p: usize, sys: usize, ok_r: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys == 0 {
        0.0
    } else {
        ok_p as f64 / sys as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        ok_r as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

/// Runs the evaluation; with `errors`, lists the dev half's misses,
/// spurious triggers and factuality mismatches.
pub fn meantime(shared: &Path, mut errors: Option<&mut String>) -> Result<String> {
    let mut out = String::from(
        "MEANTIME gold events (token-overlap trigger match; dev = even, test = odd positions of the sorted file list)\n",
    );
    let _ = writeln!(
        out,
        "{:<9} {:>4} {:>5} {:>5} | {:>6} {:>6} {:>6} | matched: {:>12} {:>12} {:>12} | cues on all gold: {:>12} {:>12} {:>12} | majority cert/pol/time",
        "split", "docs", "gold", "sys", "P", "R", "F1", "cert% n", "pol% n", "time% n", "cert% n", "pol% n", "time% n"
    );
    let mut tests = Vec::new();
    for lang in ["nl", "en"] {
        let docs = load(shared, lang)?;
        let dev: Vec<&GoldDoc> = docs.iter().step_by(2).collect();
        let test: Vec<&GoldDoc> = docs.iter().skip(1).step_by(2).collect();
        let d = score(&dev, errors.as_deref_mut());
        let t = score(&test, None);
        for (name, s) in [(format!("{lang} dev"), &d), (format!("{lang} test"), &t)] {
            let (p, r, f) = prf(s.sys_ok, s.sys, s.gold_found, s.gold);
            let _ = writeln!(
                out,
                "{:<9} {:>4} {:>5} {:>5} | {:>6.2} {:>6.2} {:>6.2} | matched: {} {} {} | cues on all gold: {} {} {} | {}/{}/{}",
                name,
                s.docs,
                s.gold,
                s.sys,
                p,
                r,
                f,
                s.cert.cell(),
                s.pol.cell(),
                s.time.cell(),
                s.cue_cert.cell(),
                s.cue_pol.cell(),
                s.cue_time.cell(),
                s.cue_cert.base(),
                s.cue_pol.base(),
                s.cue_time.base(),
            );
        }
        tests.push((lang, t));
    }
    let t = &tests[0].1;
    let _ = writeln!(
        out,
        "Dutch test precision by type (system events, of which gold events):"
    );
    for (k, (n, ok)) in &t.types {
        let _ = writeln!(
            out,
            "  {k:<12} {n:>4} {ok:>4}  {:>5.1}%",
            100.0 * *ok as f64 / (*n).max(1) as f64
        );
    }
    let _ = writeln!(
        out,
        "(Dutch test gold tokens not aligned to the raw text: {})",
        t.unaligned
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONLL: &str = "1\tMary\t_\t_\t_\t_\n2\tBarra\t_\t_\t_\t_\n3\tbenoemd\tB-E-1\tB-CERTAIN-1\tB-POS-1\tB-NON_FUTURE-1\n\n4\tZe\t_\t_\t_\t_\n5\tzal\t_\t_\t_\t_\n6\tvertrekken\tB-E-2\tB-PROBABLE-2\tB-NEG-2\tB-FUTURE-2\n7\t.\t_\t_\t_\t_\n";

    #[test]
    fn tags_and_text_from_conll() {
        assert_eq!(strip_num("B-E-12"), ("E", "12"));
        assert_eq!(strip_num("B-NON_FUTURE-3"), ("NON_FUTURE", "3"));
        assert_eq!(strip_num("I-PROBABLE-2").0, "PROBABLE");
        let text = rebuild_text(CONLL);
        assert_eq!(text, "Mary Barra benoemd\nZe zal vertrekken .");
        let chars: Vec<char> = text.chars().collect();
        let tok: Vec<char> = "vertrekken".chars().collect();
        assert_eq!(find(&chars, &tok, 0), Some((26, 36)));
        assert_eq!(find(&chars, &tok, 30), None);
    }

    #[test]
    fn scores_count_matches_once_and_skip_underspecified() {
        let mut a = Acc::default();
        a.add("CERTAIN", "CERTAIN", "CERTAIN");
        a.add("PROBABLE", "CERTAIN", "CERTAIN");
        a.add("UNDERSPECIFIED", "CERTAIN", "CERTAIN");
        assert_eq!((a.ok, a.n, a.base_ok), (1, 2, 1));
        let (p, r, f) = prf(3, 4, 3, 6);
        assert!((p - 75.0).abs() < 1e-9 && (r - 50.0).abs() < 1e-9 && (f - 60.0).abs() < 1e-9);
        assert!(overlaps((0, 5), (4, 9)) && !overlaps((0, 5), (5, 9)));
    }

    #[test]
    fn meantime_when_present() {
        let shared = crate::default_shared();
        if !shared.join("corpora/meantime_nl_partial").exists() {
            eprintln!("../shared absent; skipping");
            return;
        }
        let nl = load(&shared, "nl").unwrap();
        assert_eq!(nl.len(), 120);
        assert!(nl
            .iter()
            .all(|d| d.annotated_end > 0 && !d.events.is_empty()));
    }
}
