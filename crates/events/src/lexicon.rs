//! The language data of the events stage, parsed once from the files under
//! `data/` (see `data/ONTOLOGY.md` and the headers of the files).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A certainty cue kind (`data/<lang>/cues.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Negation,
    Probable,
    Possible,
    Future,
}

/// A certainty cue with its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueInfo {
    pub kind: Cue,
    /// The most words between cue and trigger, when the row gives it.
    pub window: Option<usize>,
    /// The cue only marks triggers after it ("geen gewonden").
    pub forward: bool,
}

/// An attribution cue role (`data/<lang>/attribution.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A speech verb: the speaker is its subject.
    Verb,
    /// The speaker follows ("aldus X", "according to X").
    After,
    /// A speech verb whose speaker only precedes it; what follows is the
    /// hearer ("X told Reuters").
    Subject,
}

/// One row of `triggers.tsv`.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub kind: String,
    pub particle: Option<String>,
    pub context: Vec<String>,
}

/// Multi-word phrases keyed by their first word (lower case).
#[derive(Debug)]
pub struct Phrases<V> {
    by_first: HashMap<String, Vec<(Vec<String>, V)>>,
    /// Single words that match as a word ending ("n't", "'ll").
    suffixes: Vec<(String, V)>,
}

impl<V> Default for Phrases<V> {
    fn default() -> Self {
        Self {
            by_first: HashMap::new(),
            suffixes: Vec::new(),
        }
    }
}

impl<V: Copy> Phrases<V> {
    fn insert(&mut self, phrase: &str, v: V) {
        let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
        let Some(first) = words.first().cloned() else {
            return;
        };
        if words.len() == 1 && (first.starts_with('\'') || first.starts_with("n'")) {
            self.suffixes.push((first.clone(), v));
        }
        let list = self.by_first.entry(first).or_default();
        list.push((words, v));
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    /// The longest phrase starting at `words[i]` (ending before `end`):
    /// its length in words and its value.
    pub fn longest_at<S: AsRef<str>>(
        &self,
        words: &[S],
        i: usize,
        end: usize,
    ) -> Option<(usize, V)> {
        let w = words.get(i)?.as_ref();
        if let Some(list) = self.by_first.get(w) {
            for (p, v) in list {
                if i + p.len() <= end && p.iter().zip(&words[i..]).all(|(a, b)| a == b.as_ref()) {
                    return Some((p.len(), *v));
                }
            }
        }
        self.suffixes
            .iter()
            .find(|(s, _)| w.len() > s.len() && w.ends_with(s.as_str()))
            .map(|(_, v)| (1, *v))
    }
}

/// The data of one language.
#[derive(Debug, Default)]
pub struct Lang {
    pub triggers: Vec<Trigger>,
    /// Trigger forms by first word: (form words, row).
    pub forms: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Compound endings ("aanslag" for "*aanslag"): (ending, row).
    pub endings: Vec<(String, usize)>,
    pub cues: Phrases<CueInfo>,
    pub attribution: Phrases<Role>,
    pub clause: HashSet<String>,
    pub det: HashSet<String>,
    pub pronoun: HashSet<String>,
    pub skip: HashSet<String>,
    pub nocount: HashSet<String>,
    pub locprep: HashSet<String>,
    pub npstop: HashSet<String>,
    pub measure: HashSet<String>,
    pub subord: HashSet<String>,
    pub compl: HashSet<String>,
    pub notparticle: HashSet<String>,
    pub notbefore: HashSet<String>,
    /// Endings of adjectives that may stand between a number and the noun
    /// it counts ("captured IS fighters"); empty for languages that do not
    /// need it.
    pub adjsuffix: Vec<String>,
    /// Endings of an inflected adjective directly before the counted noun
    /// ("nieuwe tankvliegtuigen"): one such word is stepped over.
    pub adjinfl: Vec<String>,
    /// Verb-second word order: a speaker may follow its verb anywhere
    /// ("Dat meldt het Pentagon"), not only after a quote.
    pub verb_second: bool,
    /// Vague quantities and fractions with their value.
    pub vague: Phrases<f64>,
    pub modifier: Phrases<()>,
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn dash(s: Option<&&str>) -> Option<String> {
    match s {
        Some(s) if !s.is_empty() && *s != "-" => Some(s.to_lowercase()),
        _ => None,
    }
}

impl Lang {
    fn parse(triggers: &str, cues: &str, attribution: &str, words: &str) -> Self {
        let mut l = Lang::default();
        for r in rows(triggers) {
            if r.len() < 3 {
                continue;
            }
            let row = l.triggers.len();
            l.triggers.push(Trigger {
                kind: r[0].to_string(),
                particle: dash(r.get(3)),
                context: dash(r.get(4))
                    .map(|c| {
                        c.split(',')
                            .map(|w| w.trim().to_string())
                            .filter(|w| !w.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
            for form in r[2].split('|').map(str::trim).filter(|f| !f.is_empty()) {
                let form = form.to_lowercase();
                if let Some(end) = form.strip_prefix('*') {
                    l.endings.push((end.to_string(), row));
                }
                let form = form.trim_start_matches('*');
                let ws: Vec<String> = form.split_whitespace().map(str::to_string).collect();
                if let Some(first) = ws.first().cloned() {
                    l.forms.entry(first).or_default().push((ws, row));
                }
            }
        }
        for list in l.forms.values_mut() {
            // Longest forms first; for equal lengths, file order.
            list.sort_by_key(|(w, row)| (std::cmp::Reverse(w.len()), *row));
        }
        for r in rows(cues) {
            let kind = match r.get(1).copied() {
                Some("negation") => Cue::Negation,
                Some("probable") => Cue::Probable,
                Some("possible") => Cue::Possible,
                Some("future") => Cue::Future,
                _ => continue,
            };
            let window = r.get(2).and_then(|w| w.parse().ok());
            let forward = r.get(3) == Some(&"after");
            l.cues.insert(
                r[0],
                CueInfo {
                    kind,
                    window,
                    forward,
                },
            );
        }
        for r in rows(attribution) {
            let role = match r.get(1).copied() {
                Some("verb") => Role::Verb,
                Some("after") => Role::After,
                Some("subject") => Role::Subject,
                _ => continue,
            };
            l.attribution.insert(r[0], role);
        }
        for r in rows(words) {
            let (Some(cat), Some(w)) = (r.first(), r.get(1)) else {
                continue;
            };
            let w = w.to_lowercase();
            let set = match *cat {
                "clause" => &mut l.clause,
                "det" => &mut l.det,
                "pronoun" => &mut l.pronoun,
                "skip" => &mut l.skip,
                "nocount" => &mut l.nocount,
                "locprep" => &mut l.locprep,
                "npstop" => &mut l.npstop,
                "measure" => &mut l.measure,
                "subord" => &mut l.subord,
                "compl" => &mut l.compl,
                "notparticle" => &mut l.notparticle,
                "notbefore" => &mut l.notbefore,
                "adjsuffix" => {
                    l.adjsuffix.push(w);
                    continue;
                }
                "adjinfl" => {
                    l.adjinfl.push(w);
                    continue;
                }
                "vague" | "fraction" => {
                    if let Some(v) = r.get(2).and_then(|v| v.parse::<f64>().ok()) {
                        l.vague.insert(&w, v);
                    }
                    continue;
                }
                "setting" => {
                    if w == "verb-second" {
                        l.verb_second = true;
                    }
                    continue;
                }
                "modifier" => {
                    l.modifier.insert(&w, ());
                    continue;
                }
                _ => continue,
            };
            set.insert(w);
        }
        l
    }
}

/// The data for a language code: Dutch for `nl`, English for `en`, `None`
/// for any other language.
pub fn lang(code: &str) -> Option<&'static Lang> {
    static NL: OnceLock<Lang> = OnceLock::new();
    static EN: OnceLock<Lang> = OnceLock::new();
    match code {
        "nl" => Some(NL.get_or_init(|| {
            Lang::parse(
                include_str!("../data/nl/triggers.tsv"),
                include_str!("../data/nl/cues.tsv"),
                include_str!("../data/nl/attribution.tsv"),
                include_str!("../data/nl/words.tsv"),
            )
        })),
        "en" => Some(EN.get_or_init(|| {
            Lang::parse(
                include_str!("../data/en/triggers.tsv"),
                include_str!("../data/en/cues.tsv"),
                include_str!("../data/en/attribution.tsv"),
                include_str!("../data/en/words.tsv"),
            )
        })),
        _ => None,
    }
}

/// Quotation mark pairs (`data/quotes.tsv`): opening mark → closing marks.
pub fn quote_pairs() -> &'static [(String, Vec<String>)] {
    static Q: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    Q.get_or_init(|| {
        rows(include_str!("../data/quotes.tsv"))
            .filter(|r| r.len() >= 2 && !r[0].is_empty())
            .map(|r| {
                (
                    r[0].to_string(),
                    r[1].split('|')
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        for code in ["nl", "en"] {
            let l = lang(code).unwrap();
            assert!(l.triggers.len() > 25, "{code}");
            assert!(!l.clause.is_empty() && !l.det.is_empty() && !l.pronoun.is_empty());
            let kinds: HashSet<&str> = l.triggers.iter().map(|t| t.kind.as_str()).collect();
            assert!(kinds.len() >= 15, "{code}: {kinds:?}");
        }
        let nl = lang("nl").unwrap();
        let words = ["naar", "verluidt", "x"];
        assert_eq!(
            nl.cues.longest_at(&words, 0, 3),
            Some((
                2,
                CueInfo {
                    kind: Cue::Probable,
                    window: None,
                    forward: false
                }
            ))
        );
        let en = lang("en").unwrap();
        assert_eq!(
            en.cues.longest_at(&["didn't"], 0, 1),
            Some((
                1,
                CueInfo {
                    kind: Cue::Negation,
                    window: None,
                    forward: true
                }
            ))
        );
        assert!(lang("de").is_none());
        assert!(quote_pairs()
            .iter()
            .any(|(o, c)| o == "„" && c.contains(&"”".into())));
    }

    #[test]
    fn ontology_documents_every_type() {
        let doc = include_str!("../data/ONTOLOGY.md");
        for code in ["nl", "en"] {
            for t in &lang(code).unwrap().triggers {
                assert!(
                    doc.contains(&format!("`{}`", t.kind)),
                    "{} undocumented",
                    t.kind
                );
            }
        }
    }
}
