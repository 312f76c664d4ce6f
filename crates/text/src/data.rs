//! Language knowledge read from the data files under `data/` (see
//! `data/README.md`), parsed once on first use.
//!
//! Every folder `data/<code>/` is a language; the build script embeds all of
//! its files, so adding a language needs no change here.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/data_files.rs"));

/// The role a number word plays in a number expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    /// A number that does not combine with a following unit (0–19, 1.5).
    Unit,
    /// 20, 30, ... 90.
    Ten,
    /// Multiplies the group before it (100, a dozen).
    Times,
    /// Closes a group and multiplies it (1000, a million).
    Scale,
    /// A fraction: multiplies a unit before it, adds after "and".
    Fraction,
    /// An indefinite article that means 1 only inside a number expression.
    Article,
    /// A connector ("en", "and").
    And,
}

/// A number word and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumWord {
    pub value: f64,
    pub kind: NumKind,
}

/// Abbreviations that end in a period.
#[derive(Debug, Default, Clone)]
pub(crate) struct Abbreviations {
    /// Entries written with capitals: matched as written. Value: may end a sentence.
    exact: HashMap<String, bool>,
    /// Entries written in lower case: matched in any case.
    any_case: HashMap<String, bool>,
    /// Length in bytes of the longest entry.
    longest: usize,
}

impl Abbreviations {
    /// `Some(may_end_sentence)` when `word` (with its final period) is a
    /// known abbreviation.
    pub fn lookup(&self, word: &str) -> Option<bool> {
        if word.len() > self.longest * 2 {
            return None;
        }
        if let Some(&f) = self.exact.get(word) {
            return Some(f);
        }
        if word.chars().any(char::is_uppercase) {
            self.any_case.get(&word.to_lowercase()).copied()
        } else {
            self.any_case.get(word).copied()
        }
    }

    fn insert(&mut self, entry: &str, may_end: bool) {
        self.longest = self.longest.max(entry.len());
        if entry.chars().any(char::is_uppercase) {
            self.exact.entry(entry.to_string()).or_insert(may_end);
        } else {
            self.any_case.entry(entry.to_string()).or_insert(may_end);
        }
    }

    fn merge(&mut self, other: &Abbreviations) {
        for (k, &v) in &other.exact {
            self.exact.entry(k.clone()).or_insert(v);
        }
        for (k, &v) in &other.any_case {
            self.any_case.entry(k.clone()).or_insert(v);
        }
        self.longest = self.longest.max(other.longest);
    }
}

/// What the data files say about one language.
#[derive(Debug, Default)]
pub(crate) struct LangData {
    pub abbreviations: Abbreviations,
    /// Number words, lower case.
    pub numbers: HashMap<String, NumWord>,
    /// Length in bytes of the longest number word.
    pub longest_number: usize,
    /// First characters of the number words.
    pub number_initials: HashSet<char>,
    /// Frequent function words, lower case.
    pub stopwords: HashSet<String>,
    /// Words that begin with an apostrophe, lower case, without it.
    pub clitics: HashSet<String>,
    /// Whether the language has its own `abbreviations.txt` / `numbers.tsv`
    /// (without, it uses those of all languages).
    has_abbreviations: bool,
    has_numbers: bool,
}

impl LangData {
    fn merge(&mut self, other: &LangData) {
        self.abbreviations.merge(&other.abbreviations);
        for (k, &v) in &other.numbers {
            self.add_number(k, v);
        }
        self.stopwords.extend(other.stopwords.iter().cloned());
        self.clitics.extend(other.clitics.iter().cloned());
    }

    fn add_number(&mut self, word: &str, w: NumWord) {
        if let Some(c) = word.chars().next() {
            self.number_initials.insert(c);
        }
        self.longest_number = self.longest_number.max(word.len());
        self.numbers.entry(word.to_string()).or_insert(w);
    }
}

/// Everything the data files hold.
#[derive(Debug, Default)]
pub(crate) struct Knowledge {
    /// Per language, in the order of their codes.
    pub langs: Vec<(String, LangData)>,
    /// The union of all languages, for a language without data of its own.
    pub all: LangData,
    /// ISO 639-3 → ISO 639-1.
    pub iso639: HashMap<String, String>,
    /// For each stop word: the index in `langs` of the only language that
    /// has it, or `None` when several have it.
    pub stop_owner: HashMap<String, Option<usize>>,
    /// Problems found while reading the files (`file:line: message`).
    pub errors: Vec<String>,
}

static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(|| load(DATA_FILES));

/// The parsed data files.
pub(crate) fn knowledge() -> &'static Knowledge {
    &KNOWLEDGE
}

/// The data of a language, or the union of all languages when it has none.
pub(crate) fn lang(code: &str) -> &'static LangData {
    let k = knowledge();
    k.langs
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, d)| d)
        .unwrap_or(&k.all)
}

/// The union of all languages.
pub(crate) fn all() -> &'static LangData {
    &knowledge().all
}

/// The content lines of a data file: `#` comments and blank lines dropped,
/// with their 1-based line numbers.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

pub(crate) fn load(files: &[(&str, &str, &str)]) -> Knowledge {
    let mut k = Knowledge::default();
    for &(code, name, text) in files {
        let mut err = |line: usize, msg: String| {
            let dir = if code.is_empty() {
                String::new()
            } else {
                format!("{code}/")
            };
            k.errors.push(format!("data/{dir}{name}:{line}: {msg}"));
        };
        if code.is_empty() {
            match name {
                "iso639.tsv" => {
                    for (n, l) in lines(text) {
                        let f: Vec<&str> = l.split('\t').map(str::trim).collect();
                        match f.as_slice() {
                            [three, two] if !three.is_empty() && !two.is_empty() => {
                                k.iso639.insert(three.to_lowercase(), two.to_lowercase());
                            }
                            _ => err(n, format!("expected `code3<TAB>code2`, got {l:?}")),
                        }
                    }
                }
                _ => err(0, "unknown data file".into()),
            }
            continue;
        }
        let idx = match k.langs.iter().position(|(c, _)| c == code) {
            Some(i) => i,
            None => {
                k.langs.push((code.to_string(), LangData::default()));
                k.langs.len() - 1
            }
        };
        let data = &mut k.langs[idx].1;
        match name {
            "abbreviations.txt" => {
                data.has_abbreviations = true;
                for (n, l) in lines(text) {
                    let mut f = l.split_whitespace();
                    let entry = f.next().unwrap_or_default();
                    let flag = f.next();
                    if !entry.ends_with('.') || entry.len() < 2 {
                        err(
                            n,
                            format!("abbreviation {entry:?} does not end in a period"),
                        );
                        continue;
                    }
                    match (flag, f.next()) {
                        (None, _) => data.abbreviations.insert(entry, false),
                        (Some("final"), None) => data.abbreviations.insert(entry, true),
                        _ => err(n, format!("expected `abbreviation [final]`, got {l:?}")),
                    }
                }
            }
            "numbers.tsv" => {
                data.has_numbers = true;
                for (n, l) in lines(text) {
                    let f: Vec<&str> = l.split('\t').map(str::trim).collect();
                    let [word, value, kind] = f.as_slice() else {
                        err(n, format!("expected `word<TAB>value<TAB>kind`, got {l:?}"));
                        continue;
                    };
                    let kind = match *kind {
                        "unit" => NumKind::Unit,
                        "ten" => NumKind::Ten,
                        "times" => NumKind::Times,
                        "scale" => NumKind::Scale,
                        "fraction" => NumKind::Fraction,
                        "article" => NumKind::Article,
                        "and" => NumKind::And,
                        other => {
                            err(n, format!("unknown kind {other:?}"));
                            continue;
                        }
                    };
                    let value = match (kind, value.parse::<f64>()) {
                        (_, Ok(v)) if v.is_finite() && v >= 0.0 => v,
                        (NumKind::And, _) => 0.0,
                        _ => {
                            err(n, format!("bad value {value:?}"));
                            continue;
                        }
                    };
                    if word.is_empty() || word.contains(char::is_whitespace) {
                        err(n, format!("bad word {word:?}"));
                        continue;
                    }
                    data.add_number(&word.to_lowercase(), NumWord { value, kind });
                }
            }
            "stopwords.txt" => {
                for (_, l) in lines(text) {
                    data.stopwords.insert(l.to_lowercase());
                }
            }
            "clitics.txt" => {
                for (n, l) in lines(text) {
                    let mut chars = l.chars();
                    match chars.next() {
                        Some(c)
                            if is_apostrophe(c)
                                && chars.as_str().chars().all(char::is_alphabetic)
                                && !chars.as_str().is_empty() =>
                        {
                            data.clitics.insert(chars.as_str().to_lowercase());
                        }
                        _ => err(n, format!("expected an apostrophe and letters, got {l:?}")),
                    }
                }
            }
            _ => err(0, "unknown data file".into()),
        }
    }
    k.langs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut all = LangData::default();
    for (_, d) in &k.langs {
        all.merge(d);
    }
    // A language without its own abbreviations or number words uses those
    // of all languages.
    for (_, d) in &mut k.langs {
        if !d.has_abbreviations {
            d.abbreviations = all.abbreviations.clone();
        }
        if !d.has_numbers {
            d.numbers = all.numbers.clone();
            d.longest_number = all.longest_number;
            d.number_initials = all.number_initials.clone();
        }
    }
    k.all = all;
    for (i, (_, d)) in k.langs.iter().enumerate() {
        for w in &d.stopwords {
            k.stop_owner
                .entry(w.clone())
                .and_modify(|o| {
                    if *o != Some(i) {
                        *o = None
                    }
                })
                .or_insert(Some(i));
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_well_formed() {
        let k = knowledge();
        assert!(k.errors.is_empty(), "{:#?}", k.errors);
        let codes: Vec<&str> = k.langs.iter().map(|(c, _)| c.as_str()).collect();
        assert!(codes.contains(&"nl") && codes.contains(&"en"), "{codes:?}");
        assert_eq!(k.iso639.get("nld").map(String::as_str), Some("nl"));
    }

    #[test]
    fn abbreviation_case_rules() {
        let nl = &lang("nl").abbreviations;
        assert_eq!(nl.lookup("dhr."), Some(false));
        assert_eq!(nl.lookup("Dhr."), Some(false));
        assert_eq!(nl.lookup("enz."), Some(true));
        assert_eq!(nl.lookup("huis."), None);
        let en = &lang("en").abbreviations;
        assert_eq!(en.lookup("Mr."), Some(false));
        assert_eq!(en.lookup("Sun."), Some(false));
        assert_eq!(
            en.lookup("sun."),
            None,
            "capitalised entries match as written"
        );
        assert_eq!(en.lookup("E.G."), Some(false));
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let k = load(&[
            (
                "xx",
                "numbers.tsv",
                "een\t1\tunit\ntwee\ttwo\tunit\ndrie 3 unit\n",
            ),
            ("xx", "abbreviations.txt", "bv.\nbv\nenz.\tfinal\tx\n"),
            ("xx", "whatever.txt", "x\n"),
        ]);
        assert_eq!(k.errors.len(), 5, "{:#?}", k.errors);
        let d = &k.langs[0].1;
        assert_eq!(d.numbers.len(), 1);
        assert_eq!(d.abbreviations.lookup("bv."), Some(false));
    }

    #[test]
    fn shared_stopwords_have_no_owner() {
        let k = knowledge();
        assert_eq!(k.stop_owner.get("in"), Some(&None));
        let nl = k.langs.iter().position(|(c, _)| c == "nl");
        assert_eq!(k.stop_owner.get("het"), Some(&nl));
    }

    #[test]
    fn a_language_without_a_file_uses_all_languages() {
        // German has function words only.
        assert_eq!(lang("de").abbreviations.lookup("dhr."), Some(false));
        assert_eq!(lang("de").abbreviations.lookup("Mr."), Some(false));
        assert!(lang("de").numbers.contains_key("twintig"));
        assert!(!lang("en").numbers.contains_key("twintig"));
    }
}
