//! Recognition plus aliasing within one article: repeated names, short
//! forms of person names ("Baghdadi" → "Abu Bakr al-Baghdadi"), acronyms
//! defined in the text ("Islamitische Staat (IS)") and role nouns bound by
//! an apposition ("De leider van Islamitische Staat, Abu Bakr al-Baghdadi"
//! makes a later "IS-leider" refer to him).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use kroniek_model::{CharIndex, Document, EntityMention};
use kroniek_text::{Token, TokenKind};

use crate::gazetteer::{fold, gazetteer};

const ROLES_NL: &str = include_str!("../data/roles-nl.txt");
const ROLES_EN: &str = include_str!("../data/roles-en.txt");

fn roles() -> &'static HashSet<String> {
    static R: OnceLock<HashSet<String>> = OnceLock::new();
    R.get_or_init(|| {
        ROLES_NL
            .lines()
            .chain(ROLES_EN.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// The comparison key of a name: folded (lowercase, no accents, hyphens as
/// spaces), without a possessive `'s` and a leading article.
pub fn name_key(name: &str) -> String {
    let mut n = name.trim();
    for suf in ["'s", "’s", "'", "’"] {
        if let Some(s) = n.strip_suffix(suf) {
            n = s;
            break;
        }
    }
    let f = fold(n);
    let mut words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 1 && crate::words::articles().contains(words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

/// The name's words without particles (`al baghdadi` → `baghdadi`).
pub fn core_words(key: &str) -> Vec<&str> {
    key.split(' ')
        .filter(|w| !w.is_empty() && !crate::words::name_particles().contains(w))
        .collect()
}

/// A mention while it is being resolved (byte offsets).
#[derive(Debug, Clone)]
struct M {
    start: usize,
    end: usize,
    label: String,
    cluster: usize,
}

/// Recognises the entities of a document and groups mentions of the same
/// entity within it: `doc.entities` is replaced, each mention with `entity
/// = Some("local:N")` (N numbered by first appearance).
pub fn annotate(doc: &mut Document) {
    let lang = {
        let l = kroniek_text::normalise_lang(&doc.lang);
        if l == "und" || l.is_empty() {
            kroniek_text::detect_language(&doc.text)
        } else {
            l
        }
    };
    let idx = CharIndex::new(&doc.text);
    let sents: Vec<Range<usize>> = doc
        .sentences
        .iter()
        .map(|s| idx.to_byte(s.start)..idx.to_byte(s.end))
        .collect();
    let spans = crate::recognize(&doc.text, &lang, Some(&sents));
    let spans: Vec<(usize, usize, String)> = spans
        .into_iter()
        .map(|s| (s.start, s.end, s.label.to_string()))
        .collect();
    let resolved = resolve_spans(&doc.text, &spans);
    doc.entities = resolved
        .into_iter()
        .map(|(s, e, label, c)| EntityMention {
            start: idx.to_char(s),
            end: idx.to_char(e),
            text: doc.text.get(s..e).unwrap_or("").to_string(),
            label,
            entity: Some(kroniek_model::local_entity_id(c)),
        })
        .collect();
}

/// Groups existing mentions of a document (code-point offsets, as in
/// `doc.entities`) into local clusters; returns the cluster index of each
/// mention, in order. Mentions are not added or removed.
pub fn cluster_mentions(text: &str, mentions: &[EntityMention]) -> Vec<usize> {
    let idx = CharIndex::new(text);
    let mut ms: Vec<M> = mentions
        .iter()
        .map(|m| M {
            start: idx.to_byte(m.start),
            end: idx.to_byte(m.end),
            label: m.label.clone(),
            cluster: 0,
        })
        .collect();
    let tokens = kroniek_text::tokenize(text);
    let acr = acronyms(text, &tokens, &ms);
    let links = alias_links(&tokens, &mut ms, false);
    assign_clusters(text, &mut ms, &acr, &links);
    ms.iter().map(|m| m.cluster).collect()
}

/// Acronym definitions: `Long Name (ACR)` → (ACR, index of the long-name
/// mention).
fn acronyms(text: &str, tokens: &[Token], ms: &[M]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (mi, m) in ms.iter().enumerate() {
        let Some(ti) = tokens.iter().position(|t| t.start >= m.end) else {
            continue;
        };
        if ti + 2 >= tokens.len() || tokens[ti].text != "(" || tokens[ti + 2].text != ")" {
            continue;
        }
        let a = tokens[ti + 1].text;
        let letters = a.chars().filter(|c| c.is_alphabetic()).count();
        let caps = a.chars().filter(|c| c.is_uppercase()).count();
        let long_words = text[m.start..m.end].split_whitespace().count();
        let initials: Vec<char> = text[m.start..m.end]
            .split([' ', '-'])
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_uppercase())
            .collect();
        let first_ok = a.chars().next().is_some_and(|c| initials.contains(&c));
        if (2..=8).contains(&letters) && caps * 2 > letters && long_words >= 2 && first_ok {
            out.push((a.to_string(), mi));
        }
    }
    out
}

fn is_per_like(ms: &[M], members: &[usize]) -> bool {
    let per = members.iter().filter(|&&i| ms[i].label == "PER").count();
    per * 2 > members.len()
}

/// Assigns `cluster` of every mention (numbered by first appearance).
#[allow(clippy::needless_range_loop)]
fn assign_clusters(text: &str, ms: &mut [M], acr: &[(String, usize)], links: &[(usize, usize)]) {
    let n = ms.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    fn union(p: &mut [usize], a: usize, b: usize) {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            // Keep the earlier mention as root.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            p[hi] = lo;
        }
    }
    // Well-known variants ("ISIS", "Daesh") compare as their canonical name.
    let keys: Vec<String> = ms
        .iter()
        .map(|m| crate::aliases::alias_key(&text[m.start..m.end]))
        .collect();
    // 1. Same name.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for i in 0..n {
        if keys[i].is_empty() {
            continue;
        }
        match by_key.get(keys[i].as_str()) {
            Some(&j) => union(&mut parent, i, j),
            None => {
                by_key.insert(&keys[i], i);
            }
        }
    }
    // 2. Acronyms defined in the text.
    for (a, long) in acr {
        let ak = name_key(a);
        for i in 0..n {
            if keys[i] == ak {
                union(&mut parent, i, *long);
            }
        }
    }
    // 2b. Aliases the text gives ("X, die zichzelf Y noemde").
    for &(a, b) in links {
        union(&mut parent, a, b);
    }
    // 3. Places with the same gazetteer entry ("VS", "Verenigde Staten").
    let gaz = gazetteer();
    let mut by_geo: HashMap<&str, usize> = HashMap::new();
    for i in 0..n {
        if ms[i].label != "LOC" {
            continue;
        }
        if let Some(g) = gaz.canonical(&text[ms[i].start..ms[i].end]) {
            match by_geo.get(g) {
                Some(&j) => union(&mut parent, i, j),
                None => {
                    by_geo.insert(g, i);
                }
            }
        }
    }
    // 4. Short forms of person names: a name whose words end a longer
    //    person name of exactly one cluster.
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let long_names: Vec<(usize, Vec<&str>)> = groups
        .iter()
        .filter(|(_, mem)| is_per_like(ms, mem))
        .flat_map(|(&r, mem)| {
            mem.iter()
                .map(|&i| core_words(&keys[i]))
                .filter(|w| w.len() >= 2)
                .map(move |w| (r, w))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut merges = Vec::new();
    for (&r, mem) in &groups {
        let names: Vec<Vec<&str>> = mem.iter().map(|&i| core_words(&keys[i])).collect();
        let longest = names.iter().map(Vec::len).max().unwrap_or(0);
        if longest == 0 || longest > 2 {
            continue;
        }
        let per = is_per_like(ms, mem);
        // A non-person short name joins a person only when it is one word.
        if !per && longest > 1 {
            continue;
        }
        let mut targets: HashSet<usize> = HashSet::new();
        for (lr, lw) in &long_names {
            if *lr == r {
                continue;
            }
            if names
                .iter()
                .any(|w| !w.is_empty() && w.len() < lw.len() && lw.ends_with(w))
            {
                targets.insert(*lr);
            }
        }
        if targets.len() == 1 {
            if let Some(&t) = targets.iter().next() {
                merges.push((r, t));
            }
        }
    }
    for (a, b) in merges {
        union(&mut parent, a, b);
        for i in groups.get(&a).map(Vec::as_slice).unwrap_or(&[]) {
            ms[*i].label = "PER".to_string();
        }
    }
    // Number clusters by first appearance.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| ms[i].start);
    let mut num: HashMap<usize, usize> = HashMap::new();
    for i in order {
        let r = find(&mut parent, i);
        let k = num.len();
        let c = *num.entry(r).or_insert(k);
        ms[i].cluster = c;
    }
}

/// Resolves recognised spans of a text: adds acronym uses and role-noun
/// mentions, and clusters everything. Returns `(start, end, label,
/// cluster)` in byte offsets, sorted.
fn resolve_spans(
    text: &str,
    spans: &[(usize, usize, String)],
) -> Vec<(usize, usize, String, usize)> {
    let tokens = kroniek_text::tokenize(text);
    let mut ms: Vec<M> = spans
        .iter()
        .filter(|(s, e, _)| s < e && *e <= text.len())
        .map(|(s, e, l)| M {
            start: *s,
            end: *e,
            label: l.clone(),
            cluster: 0,
        })
        .collect();
    // A well-known variant name has the kind the alias data gives it
    // ("Daesh" tagged PER is the organisation).
    for m in ms.iter_mut() {
        if let Some(a) = crate::aliases::known_alias(&text[m.start..m.end]) {
            m.label.clone_from(&a.kind);
        }
    }
    trim_leading_roles(&tokens, &mut ms);
    add_defined_long_forms(text, &tokens, &mut ms);
    propagate_names(text, &tokens, &mut ms);
    extend_person_names(text, &tokens, &mut ms);
    add_missed_surnames(text, &tokens, &mut ms);
    // Uses of defined acronyms that the recogniser missed.
    let acr = acronyms(text, &tokens, &ms);
    for (a, long) in &acr {
        let label = ms[*long].label.clone();
        let def_end = ms[*long].end;
        for t in &tokens {
            if t.text == a
                && t.start > def_end
                && !ms.iter().any(|m| m.start < t.end && t.start < m.end)
            {
                ms.push(M {
                    start: t.start,
                    end: t.end,
                    label: label.clone(),
                    cluster: 0,
                });
            }
        }
    }
    ms.sort_by_key(|m| (m.start, m.end));
    let links = alias_links(&tokens, &mut ms, true);
    assign_clusters(text, &mut ms, &acr, &links);
    add_role_mentions(text, &tokens, &mut ms);
    ms.sort_by_key(|m| (m.start, m.end));
    // Aliases given after a role noun bound only now ("de IS-leider, die
    // zich nu kalief Ibrahim noemt"): the alias's group joins the role's.
    let spans: Vec<(usize, usize)> = ms.iter().map(|m| (m.start, m.end)).collect();
    for (mi, a, b) in crate::aliases::alias_statements(&tokens, &spans) {
        let Some(ai) = ms.iter().position(|m| m.start < b && a < m.end) else {
            continue;
        };
        let (from, to) = (ms[ai].cluster, ms[mi].cluster);
        if from != to && ms[mi].label == "PER" {
            for m in ms.iter_mut().filter(|m| m.cluster == from) {
                m.cluster = to;
                m.label = "PER".to_string();
            }
        }
    }
    // Renumber by first appearance.
    let mut num: HashMap<usize, usize> = HashMap::new();
    ms.into_iter()
        .map(|m| {
            let k = num.len();
            let c = *num.entry(m.cluster).or_insert(k);
            (m.start, m.end, m.label, c)
        })
        .collect()
}

/// Aliases the text gives ("Al-Baghdadi, die zichzelf kalief Ibrahim
/// noemde"): pairs `(alias mention, named mention)` of indices into `ms`
/// (sorted by offsets). The alias mention is the recognised mention inside
/// the alias; when there is none and `add` is set, one is added with the
/// named mention's label (and `ms` re-sorted). An alias mention takes the
/// label of the mention it names.
fn alias_links(tokens: &[Token], ms: &mut Vec<M>, add: bool) -> Vec<(usize, usize)> {
    let spans = |ms: &[M]| ms.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>();
    // Statements after a role noun wait until roles are bound (see
    // `resolve_spans`).
    let named = |ms: &[M]| {
        let mut f = crate::aliases::alias_statements(tokens, &spans(ms));
        f.retain(|&(mi, _, _)| alias_label(tokens, &ms[mi]).is_some());
        f
    };
    let found = named(ms);
    if found.is_empty() {
        return Vec::new();
    }
    if add {
        let mut added = false;
        for &(mi, a, b) in &found {
            if !ms.iter().any(|m| m.start < b && a < m.end) {
                let label = ms[mi].label.clone();
                ms.push(M {
                    start: a,
                    end: b,
                    label,
                    cluster: 0,
                });
                added = true;
            }
        }
        if added {
            ms.sort_by_key(|m| (m.start, m.end));
        }
    }
    let mut links = Vec::new();
    for (mi, a, b) in named(ms) {
        let Some(ai) = ms.iter().position(|m| m.start < b && a < m.end) else {
            continue;
        };
        if ai != mi {
            ms[ai].label = ms[mi].label.clone();
            links.push((ai, mi));
        }
    }
    links
}

/// The label an alias of mention `m` takes: `m`'s own, or `None` when `m`
/// is a role noun ("de IS-leider, die zich nu kalief Ibrahim noemt"), which
/// names someone only once roles are bound.
fn alias_label<'a>(tokens: &[Token], m: &'a M) -> Option<&'a str> {
    let role = tokens
        .iter()
        .filter(|t| t.start >= m.start && t.end <= m.end)
        .any(|t| is_role_text(t.text));
    (!role).then_some(m.label.as_str())
}

/// The letters of an acronym-like token ("IS", "IS-K", "S.D.F."), upper
/// case, or `None` when it does not look like one (2 to 8 letters, mostly
/// capitals).
fn acronym_letters(w: &str) -> Option<String> {
    let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
    let n = letters.chars().count();
    let caps = letters.chars().filter(|c| c.is_uppercase()).count();
    let clean = w
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    ((2..=8).contains(&n) && caps * 2 > n && clean).then(|| letters.to_uppercase())
}

/// Long forms of acronyms defined in the text (`Islamitische Staat (IS)`)
/// that the recogniser missed or cut short: the capitalised words before
/// the parenthesis whose initials spell the acronym become one mention,
/// replacing shorter mentions inside it.
fn add_defined_long_forms(text: &str, tokens: &[Token], ms: &mut Vec<M>) {
    for i in 1..tokens.len().saturating_sub(2) {
        if tokens[i].text != "(" || tokens[i + 2].text != ")" {
            continue;
        }
        let Some(acr) = acronym_letters(tokens[i + 1].text) else {
            continue;
        };
        // Walk back over capitalised words and connectors.
        let mut first = None;
        let mut initials = String::new();
        let mut j = i;
        while j > 0 && i - j < acr.chars().count() + 4 {
            j -= 1;
            let w = tokens[j].text;
            let cap = w.chars().next().is_some_and(char::is_uppercase);
            if cap {
                initials.insert_str(
                    0,
                    &w.chars()
                        .next()
                        .map(|c| c.to_uppercase().to_string())
                        .unwrap_or_default(),
                );
                if initials == acr {
                    first = Some(j);
                    break;
                }
            } else if !crate::words::name_connectors().contains(w) {
                break;
            }
        }
        let Some(first) = first else { continue };
        if i - first < 2 {
            continue;
        }
        let (s, e) = (tokens[first].start, tokens[i - 1].end);
        if ms.iter().any(|m| m.start == s && m.end == e) {
            continue;
        }
        // A mention crossing the long form's edges: leave it alone.
        if ms
            .iter()
            .any(|m| m.start < e && s < m.end && (m.start < s || m.end > e))
        {
            continue;
        }
        let acr_tok = &tokens[i + 1];
        let label = ms
            .iter()
            .filter(|m| {
                (m.start >= s && m.end <= e) || (m.start == acr_tok.start && m.end == acr_tok.end)
            })
            .map(|m| m.label.clone())
            .find(|l| l != "MISC")
            .unwrap_or_else(|| "ORG".to_string());
        let _ = text;
        ms.retain(|m| !(m.start >= s && m.end <= e));
        ms.push(M {
            start: s,
            end: e,
            label,
            cluster: 0,
        });
    }
    ms.sort_by_key(|m| (m.start, m.end));
}

/// One label per name in an article: every other occurrence of a
/// recognised name gets a mention too (longest names first; shorter
/// mentions inside a longer occurrence are replaced). Single-word names are
/// not propagated to the start of a sentence, where capitals say nothing.
fn propagate_names(text: &str, tokens: &[Token], ms: &mut Vec<M>) {
    // Surface (as token texts) → label counts.
    let mut names: HashMap<Vec<&str>, HashMap<String, usize>> = HashMap::new();
    for m in ms.iter() {
        let toks: Vec<&str> = tokens
            .iter()
            .filter(|t| t.start >= m.start && t.end <= m.end)
            .map(|t| t.text)
            .collect();
        let upper = toks
            .first()
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_uppercase);
        if toks.is_empty() || !upper || is_role_text(&text[m.start..m.end]) {
            continue;
        }
        *names
            .entry(toks)
            .or_default()
            .entry(m.label.clone())
            .or_insert(0) += 1;
    }
    let mut names: Vec<(Vec<&str>, String)> = names
        .into_iter()
        .map(|(k, labels)| {
            let label = labels
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(l, _)| l)
                .unwrap_or_default();
            (k, label)
        })
        .collect();
    names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ni, (k, _)) in names.iter().enumerate() {
        by_first.entry(k[0]).or_default().push(ni);
    }
    let mut added = false;
    for ti in 0..tokens.len() {
        let Some(cands) = by_first.get(tokens[ti].text) else {
            continue;
        };
        for &ni in cands {
            let (k, label) = &names[ni];
            if ti + k.len() > tokens.len() || (0..k.len()).any(|o| tokens[ti + o].text != k[o]) {
                continue;
            }
            let sentence_start = ti == 0
                || matches!(
                    tokens[ti - 1].text,
                    "." | "!" | "?" | ":" | "\"" | "“" | "„" | "‘" | "'" | "-" | "–" | "—"
                )
                || text[tokens[ti - 1].end..tokens[ti].start].contains('\n');
            if k.len() == 1 && sentence_start {
                continue;
            }
            let (s, e) = (tokens[ti].start, tokens[ti + k.len() - 1].end);
            if ms.iter().any(|m| m.start <= s && e <= m.end) {
                // Already (part of) a mention.
                break;
            }
            if ms
                .iter()
                .any(|m| m.start < e && s < m.end && (m.start < s || m.end > e))
            {
                continue;
            }
            ms.retain(|m| !(m.start >= s && m.end <= e));
            ms.push(M {
                start: s,
                end: e,
                label: label.clone(),
                cluster: 0,
            });
            added = true;
            break;
        }
    }
    if added {
        ms.sort_by_key(|m| (m.start, m.end));
    }
}

/// "IS-leider Baghdadi" → "Baghdadi": a person span that starts with a
/// role noun loses it (the role then binds to the person).
fn trim_leading_roles(tokens: &[Token], ms: &mut [M]) {
    for m in ms.iter_mut().filter(|m| m.label == "PER") {
        let inside: Vec<&Token> = tokens
            .iter()
            .filter(|t| t.start >= m.start && t.end <= m.end)
            .collect();
        if inside.len() >= 2 && is_role_text(inside[0].text) {
            m.start = inside[1].start;
        }
    }
}

/// A role noun or role compound ("leider", "IS-leider", "president").
pub(crate) fn is_role_text(w: &str) -> bool {
    role_compound(w).is_some() || roles().contains(&w.to_lowercase())
}

/// "al-Baghdadi", "el-Sisi", "bin-Laden": an Arabic name particle joined to
/// a capitalised name.
pub(crate) fn is_particle_name(w: &str) -> bool {
    let Some((pre, rest)) = w.split_once('-') else {
        return false;
    };
    crate::words::hyphen_particles().contains(pre.to_lowercase().as_str())
        && rest.chars().next().is_some_and(char::is_uppercase)
}

/// Extends a person span over a following "al-Xxx" token ("Abu Bakr" +
/// "al-Baghdadi").
fn extend_person_names(text: &str, tokens: &[Token], ms: &mut [M]) {
    let _ = text;
    for k in 0..ms.len() {
        if ms[k].label != "PER" {
            continue;
        }
        let Some(ti) = tokens.iter().position(|t| t.start >= ms[k].end) else {
            continue;
        };
        let t = &tokens[ti];
        let gap_is_space = text
            .get(ms[k].end..t.start)
            .is_some_and(|g| g.chars().all(|c| c == ' '));
        let free = !ms.iter().any(|m| m.start < t.end && t.start < m.end);
        if gap_is_space && free && is_particle_name(t.text) {
            ms[k].end = t.end;
        }
    }
}

/// Adds person mentions for capitalised words the recogniser missed that
/// are the surname of a person named in full in the same article
/// ("Al-Baghdadi" after "Abu Bakr al-Baghdadi").
fn add_missed_surnames(text: &str, tokens: &[Token], ms: &mut Vec<M>) {
    let surnames: HashSet<String> = ms
        .iter()
        .filter(|m| m.label == "PER")
        .filter_map(|m| {
            let k = name_key(&text[m.start..m.end]);
            let core = core_words(&k);
            (core.len() >= 2)
                .then(|| core.last().map(|s| s.to_string()))
                .flatten()
        })
        .collect();
    if surnames.is_empty() {
        return;
    }
    let mut added = Vec::new();
    for t in tokens {
        if t.kind != TokenKind::Word || !t.text.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        if ms.iter().any(|m| m.start < t.end && t.start < m.end) {
            continue;
        }
        let k = name_key(t.text);
        let core = core_words(&k);
        if core.len() == 1 && surnames.contains(core[0]) {
            added.push(M {
                start: t.start,
                end: t.end,
                label: "PER".to_string(),
                cluster: 0,
            });
        }
    }
    ms.extend(added);
}

/// A role bound to a person: (role noun, organisation/place cluster or
/// None, person cluster, byte offset where the binding ends).
type Binding = (String, Option<usize>, usize, usize);

fn mention_ending_at(ms: &[M], end: usize) -> Option<usize> {
    ms.iter().position(|m| m.end == end)
}

fn mention_starting_at(ms: &[M], start: usize) -> Option<usize> {
    ms.iter().position(|m| m.start == start)
}

/// Splits "IS-leider" into ("IS", "leider") when the last part is a role.
fn role_compound(w: &str) -> Option<(&str, String)> {
    let (pre, role) = w.rsplit_once('-')?;
    let role = role.to_lowercase();
    (!pre.is_empty() && roles().contains(&role)).then_some((pre, role))
}

fn is_det(w: &str) -> bool {
    static DET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    DET.get_or_init(|| crate::words::apposition("det"))
        .contains(w.to_lowercase().as_str())
}

fn is_of(w: &str) -> bool {
    static OF: OnceLock<HashSet<&'static str>> = OnceLock::new();
    OF.get_or_init(|| crate::words::apposition("of"))
        .contains(w)
}

/// Finds appositions binding roles to people and adds a person mention for
/// each later use of a bound role ("de IS-leider", "de leider van IS").
fn add_role_mentions(text: &str, tokens: &[Token], ms: &mut Vec<M>) {
    let roles = roles();
    // Clusters of names, for resolving the "IS" of "IS-leider".
    let mut name_cluster: HashMap<String, usize> = HashMap::new();
    for m in ms.iter() {
        name_cluster
            .entry(name_key(&text[m.start..m.end]))
            .or_insert(m.cluster);
    }
    let tok_at_start: HashMap<usize, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.start, i))
        .collect();
    let tok_at_end: HashMap<usize, usize> =
        tokens.iter().enumerate().map(|(i, t)| (t.end, i)).collect();
    let mut bindings: Vec<Binding> = Vec::new();
    let lower = |i: usize| tokens[i].text.to_lowercase();
    for m in ms.iter().filter(|m| m.label == "PER") {
        let Some(&ti) = tok_at_start.get(&m.start) else {
            continue;
        };
        let Some(&te) = tok_at_end.get(&m.end) else {
            continue;
        };
        // (b) "IS-leider Abu Bakr ..." / "president Trump" / "Islamic State leader Abu ..."
        let mut k = ti;
        if k > 0 && tokens[k - 1].text == "," {
            k -= 1;
        }
        if k > 0 {
            let prev = &tokens[k - 1];
            if let Some((pre, role)) = role_compound(prev.text) {
                let org = name_cluster.get(&name_key(pre)).copied();
                bindings.push((role.clone(), org, m.cluster, m.end));
                bindings.push((role, None, m.cluster, m.end));
            } else if roles.contains(&lower(k - 1)) {
                let role = lower(k - 1);
                if let Some(o) = mention_ending_at(ms, prev.start.saturating_sub(1))
                    .or_else(|| mention_ending_at(ms, prev.start))
                {
                    if ms[o].label != "PER" {
                        bindings.push((role.clone(), Some(ms[o].cluster), m.cluster, m.end));
                    }
                }
                bindings.push((role, None, m.cluster, m.end));
            }
        }
        // (a) "De leider van Islamitische Staat, Abu Bakr al-Baghdadi"
        if ti >= 4 && tokens[ti - 1].text == "," {
            // Skip an acronym in brackets: "Islamitische Staat (IS), ..."
            let mut last = ti - 2;
            if tokens[last].text == ")" && last >= 3 && tokens[last - 2].text == "(" {
                last -= 3;
            }
            if let Some(o) = mention_ending_at(ms, tokens[last].end) {
                if let Some(&os) = tok_at_start.get(&ms[o].start) {
                    let mut j = os;
                    if j > 0 && is_det(tokens[j - 1].text) {
                        j -= 1;
                    }
                    if j >= 2 && is_of(tokens[j - 1].text) && roles.contains(&lower(j - 2)) {
                        bindings.push((lower(j - 2), Some(ms[o].cluster), m.cluster, m.end));
                    }
                }
            }
        }
        // (c) "Abu Bakr al-Baghdadi, de leider van IS,"
        if te + 4 < tokens.len() && tokens[te + 1].text == "," {
            let mut j = te + 2;
            if is_det(tokens[j].text) {
                j += 1;
            }
            if j + 2 < tokens.len() && roles.contains(&lower(j)) && is_of(tokens[j + 1].text) {
                let mut o = j + 2;
                if o < tokens.len() && is_det(tokens[o].text) {
                    o += 1;
                }
                if let Some(oi) = tokens.get(o).and_then(|t| mention_starting_at(ms, t.start)) {
                    bindings.push((lower(j), Some(ms[oi].cluster), m.cluster, ms[oi].end));
                }
            }
        }
    }
    if bindings.is_empty() {
        return;
    }
    let find_binding = |role: &str, org: Option<usize>, pos: usize| -> Option<usize> {
        let people: HashSet<usize> = bindings
            .iter()
            .filter(|b| b.0 == role && b.1 == org && b.3 <= pos)
            .map(|b| b.2)
            .collect();
        (people.len() == 1)
            .then(|| people.into_iter().next())
            .flatten()
    };
    let mut added: Vec<M> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        let next_is_person = tokens
            .get(i + 1)
            .map(|n| {
                if n.text == "," {
                    tokens.get(i + 2)
                } else {
                    Some(n)
                }
            })
            .and_then(|n| n.and_then(|n| mention_starting_at(ms, n.start)))
            .is_some_and(|k| ms[k].label == "PER");
        if next_is_person {
            continue; // an apposition, not an anaphor
        }
        let preceded_by_det = i > 0 && is_det(tokens[i - 1].text);
        let mut person = None;
        if let Some((pre, role)) = role_compound(t.text) {
            if let Some(&org) = name_cluster.get(&name_key(pre)) {
                person = find_binding(&role, Some(org), t.start);
            }
        } else if roles.contains(&t.text.to_lowercase()) {
            let role = t.text.to_lowercase();
            // "de leider van IS"
            if i + 2 < tokens.len() && is_of(tokens[i + 1].text) {
                let mut o = i + 2;
                if o + 1 < tokens.len() && is_det(tokens[o].text) {
                    o += 1;
                }
                if let Some(k) = mention_starting_at(ms, tokens[o].start) {
                    person = find_binding(&role, Some(ms[k].cluster), t.start);
                }
            }
            // "the IS leader"
            if person.is_none() && i > 0 {
                if let Some(k) = mention_ending_at(ms, tokens[i - 1].end) {
                    if ms[k].label != "PER" {
                        person = find_binding(&role, Some(ms[k].cluster), t.start);
                    }
                }
            }
            // "de president" (a bare role bound once)
            if person.is_none() && preceded_by_det {
                person = find_binding(&role, None, t.start);
            }
        }
        if let Some(p) = person {
            added.push(M {
                start: t.start,
                end: t.end,
                label: "PER".to_string(),
                cluster: p,
            });
        }
    }
    for a in added {
        ms.retain(|m| !(m.start < a.end && a.start < m.end));
        ms.push(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str, items: &[(&str, &str, usize)]) -> Vec<(usize, usize, String)> {
        // (surface, label, occurrence)
        items
            .iter()
            .map(|(s, l, occ)| {
                let start = text.match_indices(s).nth(*occ).map(|x| x.0).unwrap();
                (start, start + s.len(), l.to_string())
            })
            .collect()
    }

    fn clusters(text: &str, res: &[(usize, usize, String, usize)]) -> Vec<(String, String, usize)> {
        res.iter()
            .map(|(s, e, l, c)| (text[*s..*e].to_string(), l.clone(), *c))
            .collect()
    }

    #[test]
    fn keys_fold_names() {
        assert_eq!(name_key("Al-Baghdadi's"), "al baghdadi");
        assert_eq!(name_key("de Verenigde Staten"), "verenigde staten");
        assert_eq!(
            core_words("abu bakr al baghdadi"),
            vec!["abu", "bakr", "baghdadi"]
        );
    }

    #[test]
    fn short_forms_acronyms_and_roles() {
        let text = "De leider van Islamitische Staat (IS), Abu Bakr al-Baghdadi, is dood. \
                    Al-Baghdadi leidde de groep sinds 2010. IS riep in 2014 een kalifaat uit. \
                    De IS-leider werd gezocht. Baghdadi's dood is een klap.";
        let spans = spans_of(
            text,
            &[
                ("Islamitische Staat", "ORG", 0),
                ("Abu Bakr al-Baghdadi", "PER", 0),
                ("Al-Baghdadi", "PER", 0),
                ("IS-leider", "MISC", 0),
                ("Baghdadi's", "PER", 0),
            ],
        );
        let res = resolve_spans(text, &spans);
        let c = clusters(text, &res);
        let get = |s: &str| {
            c.iter()
                .find(|x| x.0 == s)
                .cloned()
                .unwrap_or_else(|| panic!("{s} in {c:?}"))
        };
        let baghdadi = get("Abu Bakr al-Baghdadi").2;
        assert_eq!(get("Al-Baghdadi").2, baghdadi);
        assert_eq!(get("Baghdadi's").2, baghdadi);
        assert_eq!(
            get("IS-leider"),
            ("IS-leider".to_string(), "PER".to_string(), baghdadi)
        );
        let is = get("Islamitische Staat").2;
        assert_ne!(is, baghdadi);
        // Both uses of "IS" (in the definition and later) join the group.
        assert_eq!(
            c.iter().filter(|x| x.0 == "IS" && x.2 == is).count(),
            2,
            "{c:?}"
        );
    }

    #[test]
    fn aliases_from_data_and_from_the_text() {
        let text = "Islamitische Staat verloor Mosul. ISIS trok zich terug en Daesj \
                    verloor steun. Al-Baghdadi, die zichzelf kalief Ibrahim noemde, \
                    vluchtte. Kalief Ibrahim werd niet meer gezien.";
        let spans = spans_of(
            text,
            &[
                ("Islamitische Staat", "ORG", 0),
                ("Mosul", "LOC", 0),
                ("ISIS", "ORG", 0),
                ("Daesj", "PER", 0),
                ("Al-Baghdadi", "PER", 0),
                ("Ibrahim", "PER", 1),
            ],
        );
        let c = clusters(text, &resolve_spans(text, &spans));
        let of = |s: &str| {
            c.iter()
                .filter(|x| x.0 == s)
                .map(|x| x.2)
                .collect::<Vec<_>>()
        };
        let is = of("Islamitische Staat")[0];
        assert_eq!(of("ISIS"), vec![is]);
        assert_eq!(of("Daesj"), vec![is]);
        assert!(c.iter().all(|x| x.0 != "Daesj" || x.1 == "ORG"), "{c:?}");
        assert_ne!(of("Mosul")[0], is);
        // The alias the text gives was not recognised: it is added, with the
        // label of the name it stands for, and the later use joins it.
        let bag = of("Al-Baghdadi")[0];
        assert_eq!(of("Ibrahim"), vec![bag, bag], "{c:?}");
        assert!(c.iter().all(|x| x.0 != "Ibrahim" || x.1 == "PER"));
    }

    #[test]
    fn alias_given_after_a_role_noun() {
        let text = "De leider van IS, Abu Bakr al-Baghdadi, vluchtte. Daarmee claimt de \
                    IS-leider, die zich nu kalief Ibrahim noemt, gezag. Kalief Ibrahim sprak.";
        let spans = spans_of(
            text,
            &[
                ("IS", "ORG", 0),
                ("Abu Bakr al-Baghdadi", "PER", 0),
                ("Ibrahim", "PER", 0),
                ("Ibrahim", "PER", 1),
            ],
        );
        let c = clusters(text, &resolve_spans(text, &spans));
        let bag = c.iter().find(|x| x.0 == "Abu Bakr al-Baghdadi").unwrap().2;
        let ibrahim: Vec<_> = c.iter().filter(|x| x.0 == "Ibrahim").collect();
        assert_eq!(ibrahim.len(), 2);
        assert!(ibrahim.iter().all(|x| x.2 == bag), "{c:?}");
    }

    #[test]
    fn shared_surnames_stay_apart() {
        let text = "Lilian Marijnissen van de SP en haar vader Jan Marijnissen. Marijnissen sprak.";
        let spans = spans_of(
            text,
            &[
                ("Lilian Marijnissen", "PER", 0),
                ("SP", "ORG", 0),
                ("Jan Marijnissen", "PER", 0),
                ("Marijnissen", "PER", 2),
            ],
        );
        let c = clusters(text, &resolve_spans(text, &spans));
        assert_ne!(c[0].2, c[2].2);
        // The bare surname is ambiguous: it joins neither.
        assert_ne!(c[3].2, c[0].2);
        assert_ne!(c[3].2, c[2].2);
    }

    #[test]
    fn english_apposition_after_name() {
        let text = "Abu Bakr al-Baghdadi, the leader of Islamic State, died. The leader of Islamic State was 48.";
        let spans = spans_of(
            text,
            &[
                ("Abu Bakr al-Baghdadi", "PER", 0),
                ("Islamic State", "ORG", 0),
                ("Islamic State", "ORG", 1),
            ],
        );
        let c = clusters(text, &resolve_spans(text, &spans));
        let leader = c.iter().find(|x| x.0 == "leader").expect("role mention");
        assert_eq!(leader.2, c[0].2);
    }

    #[test]
    fn cluster_mentions_keeps_mentions() {
        let text = "Donald Trump sprak. Trump zei niets.";
        let ms = vec![
            EntityMention {
                start: 0,
                end: 12,
                text: "Donald Trump".into(),
                label: "PER".into(),
                entity: None,
            },
            EntityMention {
                start: 20,
                end: 25,
                text: "Trump".into(),
                label: "PER".into(),
                entity: None,
            },
        ];
        assert_eq!(cluster_mentions(text, &ms), vec![0, 0]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            " ",
            "(",
            "A (B)",
            "Ω-leider (ΩΩ) ,,, de",
            "IS-",
            "-leider",
        ] {
            let n = t.len();
            let _ = resolve_spans(t, &[(0, n, "PER".into()), (n, n + 5, "ORG".into())]);
        }
    }
}
