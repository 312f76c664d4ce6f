//! Kroniek's SemEval-2015 Task 4 track A system: run the pipeline on the
//! raw documents, find the mentions of each target entity (name, derived
//! aliases, within-document clusters, referring words), take the event
//! mentions (the pipeline's, and words a lexicon learnt from the trial
//! annotations finds likely events) close to a mention, anchor each to a
//! nearby calendar timex of its sentence, else the date of the lead, else
//! the DCT, and order them by anchor.

use std::collections::{BTreeMap, HashMap, HashSet};

use kroniek_model::{Certainty, Dct, Document, PartialDate, TimexType};

use super::cat::CatDoc;
use super::scorer::{Line, TimelineFile};

/// A CAT document with the pipeline's annotations and the character span of
/// every CAT token in the text built from them.
pub struct Prepared {
    pub cat: CatDoc,
    pub doc: Document,
    pub spans: Vec<(usize, usize)>,
}

/// Builds the text (a CAT sentence per line, tokens separated by spaces)
/// and runs every pipeline stage on it.
pub fn prepare(cat: CatDoc) -> Prepared {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(cat.tokens.len());
    let mut chars = 0usize;
    let mut prev: Option<u32> = None;
    for t in &cat.tokens {
        if let Some(p) = prev {
            let sep = if p == t.sentence { " " } else { "\n" };
            text.push_str(sep);
            chars += 1;
        }
        let n = t.text.chars().count();
        spans.push((chars, chars + n));
        text.push_str(&t.text);
        chars += n;
        prev = Some(t.sentence);
    }
    let dct = cat
        .dct
        .as_deref()
        .and_then(|d| d.parse::<PartialDate>().ok())
        .map(|d| Dct::given(d, "CAT CREATION_TIME"))
        .unwrap_or_default();
    let mut doc = Document::new(cat.id.clone(), None, text, dct);
    doc.lang = "en".into();
    kroniek_pipeline::annotate(&mut doc);
    Prepared { cat, doc, spans }
}

/// Event-word probabilities learnt from annotated documents (the trial
/// corpus): P(event | word), backed off to the word's last three letters.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashMap<String, (u32, u32)>,
    suffixes: HashMap<String, (u32, u32)>,
    /// The documents learnt from, by id (for leave-one-out estimates).
    docs: HashMap<String, CatDoc>,
}

fn suffix(w: &str) -> Option<String> {
    let c: Vec<char> = w.chars().collect();
    (c.len() >= 5 && c.iter().all(|c| c.is_alphabetic())).then(|| c[c.len() - 3..].iter().collect())
}

impl Lexicon {
    /// Counts, over documents with event annotations, how often each word
    /// is (the first token of) an event mention.
    pub fn learn<'a>(docs: impl IntoIterator<Item = &'a CatDoc>) -> Lexicon {
        let mut lex = Lexicon::default();
        for d in docs {
            lex.count(d, 1);
            lex.docs.insert(d.id.clone(), d.clone());
        }
        lex
    }

    /// Adds (`sign` 1) or removes (-1) the counts of one document.
    fn count(&mut self, d: &CatDoc, sign: i64) {
        let starts: HashSet<usize> = d.events.iter().filter_map(|e| e.first().copied()).collect();
        for (i, t) in d.tokens.iter().enumerate() {
            let w = t.text.to_lowercase();
            let ev = i64::from(starts.contains(&i));
            let bump = |e: &mut (u32, u32)| {
                e.0 = (i64::from(e.0) + sign * ev).max(0) as u32;
                e.1 = (i64::from(e.1) + sign).max(0) as u32;
            };
            if let Some(s) = suffix(&w) {
                bump(self.suffixes.entry(s).or_default());
            }
            bump(self.words.entry(w).or_default());
        }
    }

    /// The lexicon without the counts of document `id` (leave-one-document-out
    /// estimates on the corpus it was learnt from); unchanged for a document
    /// it did not learn from.
    pub fn without(&self, id: &str) -> Lexicon {
        let mut l = self.clone();
        if let Some(d) = self.docs.get(id) {
            l.count(d, -1);
        }
        l
    }

    /// P(event | word), smoothed towards the suffix estimate.
    pub fn p(&self, word: &str) -> f64 {
        let w = word.to_lowercase();
        let prior = suffix(&w)
            .and_then(|s| self.suffixes.get(&s))
            .map(|&(e, n)| f64::from(e) / (f64::from(n) + 2.0))
            .unwrap_or(0.0);
        match self.words.get(&w) {
            Some(&(e, n)) if n > 0 => (f64::from(e) + prior) / (f64::from(n) + 1.0),
            _ => prior,
        }
    }
}

/// Which tokens of a multi-word event mention name it in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// All, joined by `_` (the task's form for multi-word events).
    Full,
    First,
    Last,
}

/// Settings of the system (tuned on the trial data).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Learnt event words; `None` keeps the pipeline's event mentions only.
    pub lexicon: Option<Lexicon>,
    /// Least P(event | word) for a lexicon candidate.
    pub min_p: f64,
    /// Keep the pipeline's own event mentions as candidates.
    pub pipeline_events: bool,
    /// Only events within this many tokens of a target mention (same sentence).
    pub window: Option<usize>,
    /// Anchor every event to the DCT (the baseline) instead of the nearest timex.
    pub dct_only: bool,
    /// Least known parts (1 year, 2 month, 3 day) of a sentence timex used as anchor.
    pub min_parts: usize,
    /// Fall back on the lead's date instead of the DCT.
    pub lead: bool,
    /// A sentence without a timex takes the last timex of up to this many
    /// sentences before it (0: none).
    pub inherit: u32,
    /// Only a timex within this many tokens of the event anchors it.
    pub timex_window: Option<usize>,
    /// Prefer the lead date when it lies within a less precise sentence timex.
    pub refine: bool,
    /// For statements ("said", "announced"): only a timex this close anchors them.
    pub statement_window: Option<usize>,
    /// Output extent of multi-word mentions.
    pub extent: Extent,
    /// Lexicon candidates exclude capitalised words inside a sentence.
    pub skip_names: bool,
    /// Take events from the title (sentence 0) too.
    pub title: bool,
    /// How many sentences after a mention a referring word ("he", "the
    /// company") still means the target; 0 turns this off.
    pub pronoun_reach: u32,
    /// Match the target's full name only (no derived aliases).
    pub full_name_only: bool,
    /// Drop negated and future events.
    pub drop_uncertain: bool,
}

impl Settings {
    pub fn system(lexicon: Lexicon) -> Settings {
        Settings {
            lexicon: Some(lexicon),
            min_p: 0.5,
            pipeline_events: true,
            window: Some(8),
            dct_only: false,
            min_parts: 1,
            lead: true,
            inherit: 0,
            timex_window: Some(15),
            refine: true,
            statement_window: Some(4),
            extent: Extent::Full,
            skip_names: true,
            title: true,
            pronoun_reach: 2,
            full_name_only: false,
            drop_uncertain: true,
        }
    }
    pub fn baseline() -> Settings {
        Settings {
            lexicon: None,
            min_p: 1.0,
            pipeline_events: true,
            window: None,
            dct_only: true,
            min_parts: 1,
            lead: false,
            inherit: 0,
            timex_window: None,
            refine: false,
            statement_window: None,
            extent: Extent::Full,
            skip_names: false,
            title: true,
            pronoun_reach: 0,
            full_name_only: true,
            drop_uncertain: false,
        }
    }
}

const NAME_PREFIXES_EN: &str = include_str!("../../data/semeval2015/name-prefixes-en.txt");

/// Leading words a name may drop ("US Dollar" → "dollar").
fn name_prefixes() -> Vec<&'static str> {
    NAME_PREFIXES_EN
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Lower-cased token sequences that name the target: the name; without a
/// leading country word ("US Dollar" → "dollar"); the acronym of an
/// all-capitalised name ("General Motors" → "gm"); the two words written
/// as one ("Daimler Chrysler"); an all-capitals first word of three or more
/// letters ("NASDAQ Composite" → "nasdaq"); and, after a brand, a model
/// written with letters and digits ("Airbus A380" → "a380").
pub fn aliases(target: &str, settings: &Settings) -> Vec<Vec<String>> {
    let words: Vec<&str> = target.split_whitespace().collect();
    let low = |ws: &[&str]| ws.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>();
    let mut out = vec![low(&words)];
    if settings.full_name_only || words.is_empty() {
        return out;
    }
    if words.len() > 1 && name_prefixes().contains(&words[0]) {
        out.push(low(&words[1..]));
    }
    let alpha = |w: &&str| w.chars().all(char::is_alphabetic);
    if words.len() > 1 && words.iter().all(|w| capitalised(w) && alpha(w)) {
        let acr: String = words.iter().filter_map(|w| w.chars().next()).collect();
        out.push(vec![acr.to_lowercase()]);
        if words.len() == 2 {
            out.push(vec![words.concat().to_lowercase()]);
        }
    }
    let first = words[0];
    if words.len() > 1
        && first.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && first.chars().all(|c| !c.is_lowercase())
    {
        out.push(vec![first.to_lowercase()]);
    }
    // Trailing parts of two or more capitalised words ("Beatles Apple
    // Corps" → "apple corps").
    for k in 1..words.len().saturating_sub(1) {
        if words[k..].iter().all(|w| capitalised(w) && alpha(w)) {
            out.push(low(&words[k..]));
        }
    }
    for w in &words[1..] {
        if w.len() >= 2
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().any(char::is_alphabetic)
        {
            out.push(vec![w.to_lowercase()]);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn matches_at(tokens: &[String], i: usize, alias: &[String]) -> bool {
    i + alias.len() <= tokens.len() && alias.iter().enumerate().all(|(k, a)| tokens[i + k] == *a)
}

/// Converts a TIMEX3 date value to the task's anchor form
/// (`YYYY-MM-DD` with `XX` for unknown parts); `None` if it is no calendar date.
pub fn anchor(value: &str) -> Option<String> {
    let v = value.split('T').next().unwrap_or(value);
    let parts: Vec<&str> = v.split('-').collect();
    let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if ok(y, 4) => Some(format!("{y}-XX-XX")),
        [y, m] if ok(y, 4) && ok(m, 2) => Some(format!("{y}-{m}-XX")),
        [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => Some(format!("{y}-{m}-{d}")),
        _ => None,
    }
}

/// Sort key of an anchor: unknown parts sort before known ones.
fn anchor_key(a: &str) -> String {
    a.replace("XX", "00")
}

/// An event of a document, located at CAT tokens `first..=last`.
struct Mention {
    first: usize,
    last: usize,
    certainty: Certainty,
    /// The pipeline's event type, for its own mentions.
    kind: Option<String>,
}

fn token_of(p: &Prepared, char_pos: usize) -> Option<usize> {
    let k = p.spans.partition_point(|&(_, e)| e <= char_pos);
    (k < p.spans.len() && p.spans[k].0 <= char_pos).then_some(k)
}

/// Event candidates: the pipeline's event mentions and the words the
/// lexicon finds likely events.
fn mentions(p: &Prepared, settings: &Settings) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut taken: HashSet<usize> = HashSet::new();
    if settings.pipeline_events {
        for e in &p.doc.events {
            let Some(first) = token_of(p, e.start) else {
                continue;
            };
            let last = token_of(p, e.end.saturating_sub(1)).unwrap_or(first);
            taken.extend(first..=last);
            out.push(Mention {
                first,
                last,
                certainty: e.certainty,
                kind: Some(e.kind.clone()),
            });
        }
    }
    if let Some(lex) = &settings.lexicon {
        let lex = lex.without(&p.cat.id);
        let spans: Vec<(usize, usize)> = p
            .cat
            .tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken.contains(i))
            .filter(|(_, t)| t.text.chars().any(char::is_alphabetic))
            .filter(|&(i, t)| {
                // A capitalised word inside a sentence is a name, not an event.
                !settings.skip_names
                    || !capitalised(&t.text)
                    || i == 0
                    || p.cat.tokens[i - 1].sentence != t.sentence
                    || t.sentence == 0
            })
            .filter(|(_, t)| lex.p(&t.text) >= settings.min_p)
            .map(|(i, _)| (i, i))
            .collect();
        let certs = {
            let char_spans: Vec<(usize, usize)> = spans.iter().map(|&(a, _)| p.spans[a]).collect();
            kroniek_events::certainties(&p.doc, &char_spans)
        };
        for ((first, last), certainty) in spans.into_iter().zip(certs) {
            out.push(Mention {
                first,
                last,
                certainty,
                kind: None,
            });
        }
    }
    out
}

const PRONOUNS_EN: &str = include_str!("../../data/semeval2015/pronouns-en.tsv");

/// Referring words (lower-cased token sequences) for persons and for other entities.
fn pronouns(person: bool) -> Vec<Vec<String>> {
    PRONOUNS_EN
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, kind)| (kind.trim() == "PER") == person)
        .map(|(w, _)| w.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// Adds, for sentences without a target mention, the referring words of
/// the target's kind when the target was named in one of the
/// `settings.pronoun_reach` sentences before and no other entity of its
/// kind was named since.
fn pronoun_tokens(p: &Prepared, hits: &mut Vec<usize>, person: bool, reach: u32) {
    if reach == 0 || hits.is_empty() {
        return;
    }
    let words = pronouns(person);
    let lower: Vec<String> = p.cat.tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let hit_set: HashSet<usize> = hits.iter().copied().collect();
    let kind = if person { "PER" } else { "ORG" };
    // Tokens where another entity of the target's kind is named.
    let mut others: HashSet<usize> = HashSet::new();
    for m in p.doc.entities.iter().filter(|m| m.label == kind) {
        if let Some(a) = token_of(p, m.start) {
            if !hit_set.contains(&a) {
                others.insert(a);
            }
        }
    }
    let mut last_hit: Option<u32> = None;
    let mut added = Vec::new();
    let mut hit_sents: HashSet<u32> = hits.iter().map(|&h| p.cat.tokens[h].sentence).collect();
    for i in 0..lower.len() {
        let sent = p.cat.tokens[i].sentence;
        if hit_set.contains(&i) {
            last_hit = Some(sent);
            continue;
        }
        if others.contains(&i) {
            last_hit = None;
            continue;
        }
        let Some(last) = last_hit else { continue };
        if hit_sents.contains(&sent) || sent <= last || sent - last > reach {
            continue;
        }
        if let Some(w) = words.iter().find(|w| matches_at(&lower, i, w)) {
            added.extend(i..i + w.len());
            hit_sents.insert(sent);
            last_hit = Some(sent);
        }
    }
    hits.extend(added);
    hits.sort_unstable();
    hits.dedup();
}

/// Is the target a person: named in full somewhere as a PER mention?
pub fn is_person(target: &str, docs: &[Prepared]) -> bool {
    let key = kroniek_entities::name_key(target);
    docs.iter().any(|p| {
        p.doc
            .entities
            .iter()
            .any(|m| m.label == "PER" && kroniek_entities::name_key(&m.text) == key)
    })
}

/// Tokens that mention the target: alias matches, and every mention of a
/// pipeline entity cluster one of whose mentions is an alias.
fn target_tokens(p: &Prepared, als: &[Vec<String>]) -> Vec<usize> {
    let lower: Vec<String> = p.cat.tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let mut hits: Vec<usize> = Vec::new();
    for i in 0..lower.len() {
        if let Some(a) = als.iter().find(|a| matches_at(&lower, i, a)) {
            hits.extend(i..i + a.len());
        }
    }
    let keys: HashSet<String> = als.iter().map(|a| a.join(" ")).collect();
    let clusters: HashSet<&str> = p
        .doc
        .entities
        .iter()
        .filter(|m| keys.contains(&kroniek_entities::name_key(&m.text)))
        .filter_map(|m| m.entity.as_deref())
        .collect();
    for m in &p.doc.entities {
        if m.entity.as_deref().is_some_and(|c| clusters.contains(c)) {
            if let (Some(a), Some(b)) = (token_of(p, m.start), token_of(p, m.end.saturating_sub(1)))
            {
                hits.extend(a..=b);
            }
        }
    }
    hits.sort_unstable();
    hits.dedup();
    hits
}

/// Number of known parts of an anchor (`2008-XX-XX` → 1, `2008-03-01` → 3).
fn known_parts(a: &str) -> usize {
    a.split('-').filter(|p| !p.contains('X')).count()
}

/// The date of the lead: a day-precision timex of the title or first body
/// sentence at most a week before the DCT (Wikinews articles report what
/// happened "on Monday" and date the article later); else the DCT.
fn lead_date(p: &Prepared) -> Option<String> {
    let dct = p.cat.dct.as_deref()?;
    let dct_day = dct.parse::<PartialDate>().ok()?.first_day();
    let first_body = p.cat.tokens.iter().map(|t| t.sentence).find(|&s| s > 1);
    p.doc
        .timexes
        .iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter_map(|t| {
            let s = p.cat.tokens[token_of(p, t.start)?].sentence;
            (s == 0 || Some(s) == first_body).then_some(())?;
            let v = anchor(&t.value)?;
            (known_parts(&v) == 3).then_some(())?;
            let d = t.value.get(..10)?.parse::<PartialDate>().ok()?.first_day();
            let lag = (dct_day - d).num_days();
            (0..=7).contains(&lag).then_some(v)
        })
        .next()
        .or_else(|| anchor(dct))
}

/// Anchor of token `i`: the nearest calendar timex of its CAT sentence
/// known at least to `settings.min_parts`, else the lead date (or the DCT).
fn date_of(
    p: &Prepared,
    i: usize,
    statement: bool,
    lead: &Option<String>,
    settings: &Settings,
) -> Option<String> {
    let reach = if statement {
        settings.statement_window.or(settings.timex_window)
    } else {
        settings.timex_window
    };
    let dct = p.cat.dct.as_deref().and_then(anchor);
    if settings.dct_only {
        return dct;
    }
    let sent = p.cat.tokens[i].sentence;
    // Calendar timexes: (token, sentence, anchor).
    let timexes: Vec<(usize, u32, String)> = p
        .doc
        .timexes
        .iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter_map(|t| {
            let a = token_of(p, t.start)?;
            let s = p.cat.tokens[a].sentence;
            if s == 1 {
                return None;
            }
            let v = if t.value == "PRESENT_REF" {
                dct.clone()?
            } else {
                anchor(&t.value)?
            };
            (known_parts(&v) >= settings.min_parts).then_some((a, s, v))
        })
        .collect();
    let own = timexes
        .iter()
        .filter(|(a, s, _)| *s == sent && reach.is_none_or(|w| a.abs_diff(i) <= w))
        .min_by_key(|(a, _, _)| a.abs_diff(i))
        .map(|(_, _, v)| v.clone());
    // Else the last timex of one of the `inherit` sentences before (body only).
    let inherited = || {
        (1..=settings.inherit).find_map(|k| {
            let s = sent.checked_sub(k).filter(|&s| s >= 2)?;
            timexes
                .iter()
                .filter(|(_, ts, _)| *ts == s)
                .max_by_key(|(a, _, _)| *a)
                .map(|(_, _, v)| v.clone())
        })
    };
    let fallback = if settings.lead { lead.clone() } else { dct };
    match (own.or_else(inherited), fallback) {
        // A year or month that holds the lead date: the lead date is the
        // more precise reading ("the 2010 conference", "in June").
        (Some(o), Some(f)) if settings.refine && within(&f, &o) => Some(f),
        (o, f) => o.or(f),
    }
}

/// Does anchor `a` lie within the less precise anchor `b` (`2010-06-07` within `2010-XX-XX`)?
fn within(a: &str, b: &str) -> bool {
    known_parts(b) < known_parts(a)
        && a.split('-')
            .zip(b.split('-'))
            .all(|(x, y)| y.contains('X') || x == y)
}

/// The timeline of one target over prepared documents.
pub fn timeline(target: &str, docs: &[Prepared], settings: &Settings) -> TimelineFile {
    let als = aliases(target, settings);
    let person = is_person(target, docs);
    let mut by_date: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for p in docs {
        let mut hits = target_tokens(p, &als);
        pronoun_tokens(p, &mut hits, person, settings.pronoun_reach);
        if hits.is_empty() {
            continue;
        }
        let mut seen: HashSet<usize> = HashSet::new();
        let lead = lead_date(p);
        for m in mentions(p, settings) {
            let sent = p.cat.tokens[m.first].sentence;
            if sent == 0 && !settings.title {
                continue;
            }
            let near = hits.iter().any(|&h| {
                p.cat.tokens[h].sentence == sent
                    && settings.window.is_none_or(|w| h.abs_diff(m.first) <= w)
            });
            if !near || hits.contains(&m.first) || !seen.insert(m.first) {
                continue;
            }
            if settings.drop_uncertain
                && matches!(m.certainty, Certainty::Negated | Certainty::Future)
            {
                continue;
            }
            let statement = m.kind.as_deref() == Some("statement");
            let Some(date) = date_of(p, m.first, statement, &lead, settings) else {
                continue;
            };
            let (a, b) = match settings.extent {
                Extent::Full => (m.first, m.last),
                Extent::First => (m.first, m.first),
                Extent::Last => (m.last, m.last),
            };
            let extent: Vec<&str> = (a..=b).map(|k| p.cat.tokens[k].text.as_str()).collect();
            let id = format!("{}-{}-{}", p.cat.id, sent, extent.join("_"));
            by_date
                .entry(anchor_key(&date))
                .or_insert_with(|| (date.clone(), Vec::new()))
                .1
                .push(id);
        }
    }
    let lines = by_date
        .into_values()
        .enumerate()
        .map(|(k, (date, events))| Line {
            order: k as u64 + 1,
            date,
            events,
        })
        .collect();
    TimelineFile {
        entity: target.to_string(),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        assert_eq!(anchor("2008-03-01").as_deref(), Some("2008-03-01"));
        assert_eq!(anchor("2008-03").as_deref(), Some("2008-03-XX"));
        assert_eq!(anchor("2008").as_deref(), Some("2008-XX-XX"));
        assert_eq!(anchor("2008-03-01TEV").as_deref(), Some("2008-03-01"));
        assert_eq!(anchor("2008-W10"), None);
        assert_eq!(anchor("PAST_REF"), None);
        assert!(anchor_key("2007-XX-XX") < anchor_key("2007-02-28"));
        assert!(within("2010-06-07", "2010-XX-XX"));
        assert!(within("2010-06-07", "2010-06-XX"));
        assert!(!within("2010-06-07", "2009-XX-XX"));
        assert!(!within("2010-06-07", "2010-06-07"));
    }

    #[test]
    fn derived_aliases() {
        let s = Settings::system(Lexicon::default());
        let a = |t: &str| {
            aliases(t, &s)
                .into_iter()
                .map(|a| a.join(" "))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            a("General Motors"),
            ["general motors", "generalmotors", "gm"]
        );
        assert_eq!(a("US Dollar"), ["dollar", "ud", "us dollar", "usdollar"]);
        assert_eq!(a("Airbus A380"), ["a380", "airbus a380"]);
        assert_eq!(
            a("NASDAQ Composite"),
            ["nasdaq", "nasdaq composite", "nasdaqcomposite", "nc"]
        );
        assert_eq!(a("Ryanair"), ["ryanair"]);
    }

    #[test]
    fn lexicon_learns_event_words() {
        let doc = CatDoc {
            id: "1".into(),
            tokens: [
                "Apple", "launched", "the", "phone", "and", "launched", "ads",
            ]
            .iter()
            .map(|w| super::super::cat::CatToken {
                id: 0,
                sentence: 0,
                text: w.to_string(),
            })
            .collect(),
            dct: None,
            events: vec![vec![1], vec![5]],
        };
        let lex = Lexicon::learn([&doc]);
        assert!(lex.p("launched") > 0.6);
        assert!(lex.p("Launched") > 0.6);
        assert_eq!(lex.p("phone"), 0.0);
        assert_eq!(lex.p("unseen"), 0.0);
        assert_eq!(lex.without("1").p("launched"), 0.0);
        assert!(lex.without("2").p("launched") > 0.6);
    }
}
