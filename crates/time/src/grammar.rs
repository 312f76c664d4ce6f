//! The language data (lexicon, rules, tense cues) and the rule matcher.
//!
//! The data format is described in `data/README.md`. Each language is
//! parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use kroniek_model::TimexType;

use crate::token::{Kind, Token};

/// What kind of timex a rule produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    Type(TimexType),
    /// The type of the first timex slot in the pattern.
    Same,
    /// Consume the words but produce nothing (blocks other readings).
    None,
}

/// One pattern element's matcher.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Words(Vec<String>),
    Class(String),
    Num,
    Int,
    Year,
    Day,
    Clock,
    ClockAny,
    NumDate,
    Ordinal,
    Decade,
    Cap,
    Slot(Option<TimexType>),
    /// Alternatives mixing words, classes and builtins (`<unit>|<units>`).
    Alt(Vec<Matcher>),
}

#[derive(Debug, Clone)]
pub struct Elem {
    pub m: Matcher,
    pub optional: bool,
    pub context: bool,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub out: Out,
    pub elems: Vec<Elem>,
    pub action: String,
    pub args: Vec<(String, String)>,
    pub line: usize,
}

/// Tense cue lists, each sorted (look words up with [`listed`]).
#[derive(Debug, Default)]
pub struct TenseCues {
    pub past: Vec<String>,
    pub future: Vec<String>,
    pub present: Vec<String>,
    /// `(prefix, suffix)` shapes of past verbs (`ge*d`, `*ed`).
    pub past_shapes: Vec<(String, String)>,
    pub not_past: Vec<String>,
    /// Clause boundaries: the search for a cue stops there.
    pub boundary: Vec<String>,
    /// Words after a duration that count it from a date ("five years
    /// after", "vijf jaar na", "drie jaar later"): for dating a text from
    /// its own anchored relative dates.
    pub after: Vec<String>,
    /// Words before a date that a duration then measures up to now
    /// ("sinds oktober 2010, bijna dertien jaar").
    pub since: Vec<String>,
    /// Words before a date that make it background rather than the time
    /// the text now narrates: a modifier ("the 1992 protests", "the Dec.
    /// 21, 1988, bombing"). Such a date, like one after a `since` word,
    /// does not anchor the dates without a year that follow.
    pub background: Vec<String>,
    /// Auxiliaries that make a participle in their clause present or
    /// future, not past ("wordt geleverd", "kan worden getest").
    pub not_past_aux: Vec<String>,
    /// Infinitive markers: the verb right after one is no tense cue
    /// ("expected to hit", "plans to cut": not the past "hit", "cut").
    pub infinitive: Vec<String>,
}

/// Everything the tagger knows about one language.
#[derive(Debug)]
pub struct Lang {
    pub code: String,
    /// word → (class, value) entries.
    pub lex: HashMap<String, Vec<(String, String, bool)>>,
    pub rules: Vec<Rule>,
    pub tense: TenseCues,
    /// `dmy` or `mdy`: how `03/04/2014` is read.
    pub day_first: bool,
    /// How many days of distance a date on the side the tense rules out
    /// costs, when choosing the year of "maart" or "15 januari".
    pub tense_days: i64,
    /// Days of extra distance a future weekday costs when the sentence
    /// shows no tense (`setting weekdaypast N`): news mostly reports
    /// weekdays just gone.
    pub weekday_past: i64,
    /// Days of extra distance a future month or day-of-month ("in
    /// December", "Oct. 23") costs when the sentence shows no tense
    /// (`setting monthpast N`).
    pub month_past: i64,
    index_word: HashMap<String, Vec<usize>>,
    index_num: Vec<usize>,
    index_slot: Vec<usize>,
    index_cap: Vec<usize>,
    /// Number words by value, for compound number words.
    units: Vec<(String, f64)>,
    tens: Vec<(String, f64)>,
    num_joiner: Vec<String>,
}

static NL: LazyLock<Lang> = LazyLock::new(|| {
    Lang::parse(
        "nl",
        include_str!("../data/nl/lexicon.txt"),
        include_str!("../data/nl/rules.txt"),
        include_str!("../data/nl/tense.txt"),
    )
});
static EN: LazyLock<Lang> = LazyLock::new(|| {
    Lang::parse(
        "en",
        include_str!("../data/en/lexicon.txt"),
        include_str!("../data/en/rules.txt"),
        include_str!("../data/en/tense.txt"),
    )
});

/// The data for a language code (`nl`, `en`; anything else falls back to English).
pub fn lang(code: &str) -> &'static Lang {
    match code.get(..2).unwrap_or(code) {
        "nl" => &NL,
        _ => &EN,
    }
}

/// Problems found in a language's data files (empty when clean).
pub fn check(code: &str) -> Vec<String> {
    let l = lang(code);
    let mut out = Vec::new();
    for r in &l.rules {
        if !crate::sem::known_action(&r.action) {
            out.push(format!(
                "rules.txt:{}: unknown action {:?}",
                r.line, r.action
            ));
        }
        if r.elems.iter().all(|e| e.context || e.optional) {
            out.push(format!("rules.txt:{}: no required extent element", r.line));
        }
        // `of=$k` and the like need an expression at slot k.
        for (name, v) in &r.args {
            let Some(k) = ["of", "a", "b", "t"]
                .contains(&name.as_str())
                .then(|| v.strip_prefix('$')?.parse::<usize>().ok())
                .flatten()
            else {
                continue;
            };
            let e = k.checked_sub(1).and_then(|i| r.elems.get(i));
            if !e.is_some_and(|e| carries_expr(&e.m)) {
                out.push(format!(
                    "rules.txt:{}: {name}=${k} is not a timex slot",
                    r.line
                ));
            }
        }
    }
    out
}

/// Whether a pattern element carries an expression: a whole timex or a
/// numeric date.
fn carries_expr(m: &Matcher) -> bool {
    match m {
        Matcher::Slot(_) | Matcher::NumDate => true,
        Matcher::Alt(ms) => ms.iter().any(carries_expr),
        _ => false,
    }
}

fn data_lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    src.lines().enumerate().filter_map(|(i, l)| {
        let l = l.split(" #").next().unwrap_or("").trim();
        (!l.is_empty() && !l.starts_with('#')).then_some((i + 1, l))
    })
}

impl Lang {
    fn parse(code: &str, lexicon: &str, rules: &str, tense: &str) -> Lang {
        let mut lex: HashMap<String, Vec<(String, String, bool)>> = HashMap::new();
        let mut day_first = true;
        let mut tense_days = 120;
        let mut weekday_past = 0;
        let mut month_past = 0;
        let mut num_joiner = Vec::new();
        for (_, line) in data_lines(lexicon) {
            let mut parts = line.split_whitespace();
            let (Some(class), Some(value)) = (parts.next(), parts.next()) else {
                continue;
            };
            if class == "setting" {
                let rest: Vec<&str> = parts.collect();
                match value {
                    "dateorder" => day_first = rest.first().is_none_or(|v| *v != "mdy"),
                    "numjoiner" => num_joiner = rest.iter().map(|s| s.to_string()).collect(),
                    "tensedays" => {
                        tense_days = rest.first().and_then(|v| v.parse().ok()).unwrap_or(120)
                    }
                    "weekdaypast" => {
                        weekday_past = rest.first().and_then(|v| v.parse().ok()).unwrap_or(0)
                    }
                    "monthpast" => {
                        month_past = rest.first().and_then(|v| v.parse().ok()).unwrap_or(0)
                    }
                    _ => {}
                }
                continue;
            }
            for w in parts {
                let (w, cap) = match w.strip_suffix('!') {
                    Some(w) => (w, true),
                    None => (w, false),
                };
                lex.entry(w.to_lowercase()).or_default().push((
                    class.to_string(),
                    value.to_string(),
                    cap,
                ));
            }
        }
        let mut units = Vec::new();
        let mut tens = Vec::new();
        for (w, es) in &lex {
            for (c, v, _) in es {
                if c == "num" {
                    if let Ok(n) = v.parse::<f64>() {
                        if (1.0..10.0).contains(&n) && n.fract() == 0.0 {
                            units.push((w.clone(), n));
                        } else if (20.0..100.0).contains(&n) && n % 10.0 == 0.0 {
                            tens.push((w.clone(), n));
                        }
                    }
                }
            }
        }
        units.sort_by(|a, b| a.0.cmp(&b.0));
        tens.sort_by(|a, b| a.0.cmp(&b.0));

        let mut defines: HashMap<String, Vec<String>> = HashMap::new();
        let mut parsed = Vec::new();
        for (no, line) in data_lines(rules) {
            if let Some(rest) = line.strip_prefix("define ") {
                if let Some((name, words)) = rest.split_once('=') {
                    let mut ws = Vec::new();
                    for w in words.split_whitespace() {
                        if let Some(other) = w.strip_prefix('@').and_then(|n| defines.get(n)) {
                            ws.extend(other.iter().cloned());
                        } else {
                            ws.push(w.to_lowercase());
                        }
                    }
                    defines.insert(name.trim().trim_start_matches('@').to_string(), ws);
                }
                continue;
            }
            if let Some(r) = parse_rule(no, line, &defines) {
                parsed.push(r);
            }
        }

        let mut l = Lang {
            code: code.to_string(),
            lex,
            rules: parsed,
            tense: parse_tense(tense),
            day_first,
            tense_days,
            weekday_past,
            month_past,
            index_word: HashMap::new(),
            index_num: Vec::new(),
            index_slot: Vec::new(),
            index_cap: Vec::new(),
            units,
            tens,
            num_joiner,
        };
        l.build_index();
        l
    }

    fn build_index(&mut self) {
        let mut class_words: HashMap<&str, Vec<String>> = HashMap::new();
        for (w, es) in &self.lex {
            for (c, _, _) in es {
                class_words.entry(c.as_str()).or_default().push(w.clone());
            }
        }
        let mut iw: HashMap<String, Vec<usize>> = HashMap::new();
        let (mut inum, mut islot, mut icap) = (Vec::new(), Vec::new(), Vec::new());
        fn add(
            m: &Matcher,
            ri: usize,
            class_words: &HashMap<&str, Vec<String>>,
            iw: &mut HashMap<String, Vec<usize>>,
            idx: &mut [&mut Vec<usize>; 3],
        ) {
            match m {
                Matcher::Words(ws) => {
                    for w in ws {
                        iw.entry(w.clone()).or_default().push(ri);
                    }
                }
                Matcher::Class(c) => {
                    for w in class_words.get(c.as_str()).into_iter().flatten() {
                        iw.entry(w.clone()).or_default().push(ri);
                    }
                }
                Matcher::Num | Matcher::Ordinal | Matcher::Day => {
                    idx[0].push(ri);
                    let cls = if *m == Matcher::Num { "num" } else { "ordinal" };
                    for w in class_words.get(cls).into_iter().flatten() {
                        iw.entry(w.clone()).or_default().push(ri);
                    }
                }
                Matcher::Int
                | Matcher::Year
                | Matcher::Clock
                | Matcher::ClockAny
                | Matcher::NumDate
                | Matcher::Decade => idx[0].push(ri),
                Matcher::Cap => idx[2].push(ri),
                Matcher::Slot(_) => idx[1].push(ri),
                Matcher::Alt(ms) => {
                    for m in ms {
                        add(m, ri, class_words, iw, idx);
                    }
                }
            }
        }
        for (ri, r) in self.rules.iter().enumerate() {
            for e in &r.elems {
                add(
                    &e.m,
                    ri,
                    &class_words,
                    &mut iw,
                    &mut [&mut inum, &mut islot, &mut icap],
                );
                if !e.optional {
                    break;
                }
            }
        }
        for v in iw.values_mut() {
            v.dedup();
        }
        inum.dedup();
        islot.dedup();
        self.index_word = iw;
        self.index_num = inum;
        self.index_slot = islot;
        self.index_cap = icap;
    }

    /// Lexicon value of `word` in `class`, honouring capitalisation marks.
    pub fn class_value(&self, tok: &Token, class: &str) -> Option<&str> {
        self.lex
            .get(&tok.lower)?
            .iter()
            .find_map(|(c, v, cap)| (c == class && (!cap || tok.upper)).then_some(v.as_str()))
    }

    pub fn has_class(&self, word: &str, class: &str) -> bool {
        self.lex
            .get(word)
            .is_some_and(|es| es.iter().any(|(c, _, _)| c == class))
    }

    /// Value of a single number word, including Dutch-style compounds
    /// (`vijfentwintig`, `tweeëntwintig`).
    pub fn number_word(&self, w: &str) -> Option<f64> {
        if let Some(v) = self
            .lex
            .get(w)
            .and_then(|es| es.iter().find(|(c, _, _)| c == "num"))
            .and_then(|(_, v, _)| v.parse().ok())
        {
            return Some(v);
        }
        for (t, tv) in &self.tens {
            if let Some(prefix) = w.strip_suffix(t.as_str()) {
                for j in &self.num_joiner {
                    if let Some(u) = prefix.strip_suffix(j.as_str()) {
                        if let Some((_, uv)) = self.units.iter().find(|(n, _)| n == u) {
                            return Some(tv + uv);
                        }
                    }
                }
            }
        }
        None
    }

    /// Candidate rules that might start at a token.
    pub fn candidates(&self, tok: Option<&Token>, out: &mut Vec<usize>) {
        out.clear();
        if let Some(t) = tok {
            if let Some(v) = self.index_word.get(&t.lower) {
                out.extend_from_slice(v);
            }
            if t.kind == Kind::Number
                || (t.kind == Kind::Word && self.number_word(&t.lower).is_some())
            {
                out.extend_from_slice(&self.index_num);
            }
            if t.upper {
                out.extend_from_slice(&self.index_cap);
            }
            if !out.is_empty() {
                out.extend_from_slice(&self.index_slot);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Rules that may start with a timex slot (they grow an expression
    /// found at the same position).
    pub fn slot_rules(&self) -> &[usize] {
        &self.index_slot
    }
}

fn parse_tense(src: &str) -> TenseCues {
    let mut t = TenseCues::default();
    for (_, line) in data_lines(src) {
        let Some((key, words)) = line.split_once(':') else {
            continue;
        };
        let ws = words.split_whitespace().map(|w| w.to_lowercase());
        match key.trim() {
            "past" => t.past.extend(ws),
            "future" => t.future.extend(ws),
            "present" => t.present.extend(ws),
            "not_past" => t.not_past.extend(ws),
            "boundary" => t.boundary.extend(ws),
            "after" => t.after.extend(ws),
            "since" => t.since.extend(ws),
            "background" => t.background.extend(ws),
            "not_past_aux" => t.not_past_aux.extend(ws),
            "infinitive" => t.infinitive.extend(ws),
            "past_shape" => {
                for w in ws {
                    if let Some((p, s)) = w.split_once('*') {
                        t.past_shapes.push((p.to_string(), s.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    for list in [
        &mut t.past,
        &mut t.future,
        &mut t.present,
        &mut t.not_past,
        &mut t.boundary,
        &mut t.after,
        &mut t.since,
        &mut t.background,
        &mut t.not_past_aux,
        &mut t.infinitive,
    ] {
        list.sort();
    }
    t
}

/// Whether `w` is in a tense word list (the lists are sorted when parsed).
pub(crate) fn listed(list: &[String], w: &str) -> bool {
    list.binary_search_by(|x| x.as_str().cmp(w)).is_ok()
}

fn parse_one(raw: &str, defines: &HashMap<String, Vec<String>>) -> Matcher {
    if let Some(name) = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        match name {
            "num" => Matcher::Num,
            "int" => Matcher::Int,
            "year" => Matcher::Year,
            "day" => Matcher::Day,
            "clock" => Matcher::Clock,
            "time" => Matcher::ClockAny,
            "numdate" => Matcher::NumDate,
            "ordinal" => Matcher::Ordinal,
            "decade" => Matcher::Decade,
            "Cap" => Matcher::Cap,
            "DATE" => Matcher::Slot(Some(TimexType::Date)),
            "TIME" => Matcher::Slot(Some(TimexType::Time)),
            "DURATION" => Matcher::Slot(Some(TimexType::Duration)),
            "SET" => Matcher::Slot(Some(TimexType::Set)),
            "TIMEX" => Matcher::Slot(None),
            c => Matcher::Class(c.to_string()),
        }
    } else if let Some(d) = raw.strip_prefix('@') {
        Matcher::Words(defines.get(d).cloned().unwrap_or_default())
    } else {
        Matcher::Words(vec![raw.to_lowercase()])
    }
}

fn parse_matcher(raw: &str, defines: &HashMap<String, Vec<String>>) -> Matcher {
    let mut words = Vec::new();
    let mut others = Vec::new();
    for part in raw.split('|').filter(|p| !p.is_empty()) {
        match parse_one(part, defines) {
            Matcher::Words(ws) => words.extend(ws),
            m => others.push(m),
        }
    }
    if others.is_empty() {
        Matcher::Words(words)
    } else {
        if !words.is_empty() {
            others.push(Matcher::Words(words));
        }
        if others.len() == 1 {
            others.pop().unwrap_or(Matcher::Words(Vec::new()))
        } else {
            Matcher::Alt(others)
        }
    }
}

fn parse_rule(line_no: usize, line: &str, defines: &HashMap<String, Vec<String>>) -> Option<Rule> {
    let (head, rest) = line.split_once(':')?;
    let out = match head.trim() {
        "DATE" => Out::Type(TimexType::Date),
        "TIME" => Out::Type(TimexType::Time),
        "DURATION" => Out::Type(TimexType::Duration),
        "SET" => Out::Type(TimexType::Set),
        "SAME" => Out::Same,
        "NONE" => Out::None,
        _ => return None,
    };
    let (pat, act) = rest.split_once("=>")?;
    let mut elems = Vec::new();
    for raw in pat.split_whitespace() {
        let (raw, context) = match raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            Some(r) => (r, true),
            None => (raw, false),
        };
        let (raw, optional) = match raw.strip_suffix('?') {
            Some(r) if !r.is_empty() => (r, true),
            _ => (raw, false),
        };
        let m = parse_matcher(raw, defines);
        elems.push(Elem {
            m,
            optional,
            context,
        });
    }
    let mut parts = act.split_whitespace();
    let action = parts.next()?.to_string();
    let args = parts
        .filter_map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    Some(Rule {
        out,
        elems,
        action,
        args,
        line: line_no,
    })
}
