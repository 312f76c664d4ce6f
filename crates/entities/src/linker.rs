//! Corpus-level entity linking: one record per real-world entity, merged
//! across articles by name variants (case, diacritics, particles such as
//! al-/el-/van der, transliteration variants, Dutch/English exonyms from the
//! gazetteer) and, for bare surnames, only when exactly one known person
//! fits.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kroniek_model::{Document, EntityRecord, PartialDate};
use serde::{Deserialize, Serialize};

use crate::gazetteer::gazetteer;
use crate::within::{core_words, name_key};

/// One corpus entity while the linker is running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entity {
    id: String,
    /// Surface form → (mention count, order of first use).
    aliases: BTreeMap<String, (u64, u64)>,
    /// Label → mention count.
    labels: BTreeMap<String, u64>,
    mentions: u64,
    first_seen: Option<PartialDate>,
    last_seen: Option<PartialDate>,
}

impl Entity {
    fn kind(&self) -> &str {
        self.labels
            .iter()
            .max_by_key(|(l, c)| (**c, std::cmp::Reverse((*l).clone())))
            .map(|(l, _)| l.as_str())
            .unwrap_or("MISC")
    }

    /// The canonical name: for people the longest name (by words), else
    /// the most frequent alias that is not an acronym; ties → the earliest
    /// in sort order.
    fn name(&self) -> String {
        let per = self.kind() == "PER";
        self.aliases
            .iter()
            .max_by_key(|(a, (c, seq))| {
                let words = a.split_whitespace().count();
                let acronym = a.chars().all(|c| !c.is_lowercase());
                let possessive = a.ends_with("'s") || a.ends_with("’s");
                (
                    !possessive,
                    if per { words as u64 } else { 0 },
                    !acronym,
                    *c,
                    std::cmp::Reverse(*seq),
                )
            })
            .map(|(a, _)| a.clone())
            .unwrap_or_default()
    }
}

/// Corpus-level, incremental entity linker. Serialisable so that a store
/// can persist it between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Linker {
    entities: Vec<Entity>,
    /// Name key → entity indices.
    index: BTreeMap<String, BTreeSet<usize>>,
    /// Surname key (last core word of a person name of two or more words) →
    /// entity indices.
    surnames: BTreeMap<String, BTreeSet<usize>>,
}

/// Transliteration-insensitive form of a folded name: "oe"/"ou" → "u",
/// "dj" → "j", "sj"/"sch" → "sh", "q" → "k", "ph" → "f", h after a
/// consonant dropped, "y" → "i", doubled letters collapsed, particles dropped.
pub fn translit_key(key: &str) -> String {
    let words = core_words(key);
    let mut out = String::new();
    for (wi, w) in words.iter().enumerate() {
        if wi > 0 {
            out.push(' ');
        }
        let w = w
            .replace("sch", "sh")
            .replace("oe", "u")
            .replace("ou", "u")
            .replace("dj", "j")
            .replace("sj", "sh")
            .replace("ph", "f")
            .replace('q', "k")
            .replace("ck", "k")
            .replace('y', "i")
            .replace('w', "v");
        let mut prev: Option<char> = None;
        for c in w.chars() {
            let after_consonant = prev.is_some_and(|p| p.is_alphabetic() && !"aeiou".contains(p));
            if c == 'h' && after_consonant {
                continue;
            }
            if Some(c) == prev {
                continue;
            }
            out.push(c);
            prev = Some(c);
        }
    }
    out
}

/// The lookup keys of a surface name.
fn keys_of(name: &str, label: &str) -> Vec<String> {
    let k = name_key(name);
    if k.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("n:{k}")];
    if let Some(a) = crate::aliases::known_alias(name) {
        out.push(format!("a:{}", name_key(&a.canonical)));
    }
    let t = translit_key(&k);
    if !t.is_empty() {
        out.push(format!("t:{t}"));
    }
    if label == "LOC" || label == "MISC" || label == "ORG" {
        if let Some(g) = gazetteer().canonical(name.trim_end_matches("'s")) {
            out.push(format!("g:{g}"));
        }
        if let Some(i) = initials_key(name) {
            out.push(format!("i:{i}"));
        }
    }
    out
}

/// The initials a name shares with its acronym: the letters of an acronym
/// ("IS", "IS-K" → "ISK"), or the initials of a name of two or more
/// capitalised words ("Islamic State" → "IS", "Syrian Democratic Forces" →
/// "SDF"), so that an acronym links to its long form in either language.
pub fn initials_key(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches("'s").trim_end_matches("’s");
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() == 1 {
        let w = words[0];
        let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
        let n = letters.chars().count();
        let ok = (2..=6).contains(&n)
            && letters.chars().all(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        return ok.then_some(letters);
    }
    let mut out = String::new();
    for w in &words {
        match w.chars().next() {
            Some(c) if c.is_uppercase() => out.push(c),
            _ if crate::words::name_connectors().contains(w) => {}
            _ => return None,
        }
    }
    (out.chars().count() >= 2).then_some(out)
}

/// Whether a group labelled `b` may join an entity of kind `a`: the same
/// kind, or two kinds that are not people (the recogniser often calls an
/// organisation a place and back: "Islamic State", "Washington").
fn compatible(a: &str, b: &str) -> bool {
    a == b || (a != "PER" && b != "PER")
}

impl Linker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document. Mentions are grouped by their `entity` key (the
    /// local clusters of [`crate::annotate`]; mentions without one are
    /// grouped by name); each group is linked to an existing entity or makes
    /// a new one, and every mention's `entity` is set to the corpus id.
    pub fn add(&mut self, doc: &mut Document) {
        let date = doc.dct.value;
        // Group mentions.
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        let mut gi: HashMap<String, usize> = HashMap::new();
        for (i, m) in doc.entities.iter().enumerate() {
            let key = match &m.entity {
                Some(k) if !kroniek_model::is_corpus_entity_id(k) => k.clone(),
                _ => format!("name:{}:{}", m.label, name_key(&m.text)),
            };
            let g = *gi.entry(key.clone()).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(i);
        }
        let mut assigned: Vec<usize> = Vec::with_capacity(groups.len());
        for (_, members) in &groups {
            let mut labels: BTreeMap<&str, u64> = BTreeMap::new();
            for &i in members {
                *labels.entry(doc.entities[i].label.as_str()).or_insert(0) += 1;
            }
            let label = labels
                .iter()
                .max_by_key(|(_, c)| **c)
                .map(|(l, _)| *l)
                .unwrap_or("MISC")
                .to_string();
            let names: BTreeSet<&str> = members
                .iter()
                .map(|&i| doc.entities[i].text.as_str())
                .filter(|t| !crate::within::is_role_text(t))
                .filter(|t| t.chars().next().is_some_and(|c| !c.is_lowercase()))
                .collect();
            if names.is_empty() {
                // Only role nouns ("de IS-leider") bound to nobody named:
                // nothing to name an entity by.
                assigned.push(usize::MAX);
                continue;
            }
            // A single-word "person" that the gazetteer knows as a place is
            // a recognition error ("Kabul"): link it as the place.
            let label = if label == "PER"
                && names.iter().all(|n| {
                    !n.contains(' ') && gazetteer().canonical(n.trim_end_matches("'s")).is_some()
                }) {
                "LOC".to_string()
            } else {
                label
            };
            // Likewise a single-word "person" whose exact name the corpus
            // knows only as something else ("IS" tagged PER once).
            let label = if label == "PER" && names.iter().all(|n| !n.contains(' ')) {
                self.known_kind_of(&names).unwrap_or(label)
            } else {
                label
            };
            let e = match self.find(&names, &label, &assigned) {
                Some(e) => e,
                None => {
                    self.entities.push(Entity {
                        id: format!("ent:{}", self.entities.len() + 1),
                        aliases: BTreeMap::new(),
                        labels: BTreeMap::new(),
                        mentions: 0,
                        first_seen: None,
                        last_seen: None,
                    });
                    self.entities.len() - 1
                }
            };
            for &i in members {
                let m = &doc.entities[i];
                let l = if m.label == "PER" && label != "PER" {
                    label.clone()
                } else {
                    m.label.clone()
                };
                self.observe(e, &m.text.clone(), &l, date);
            }
            assigned.push(e);
        }
        for ((_, members), e) in groups.iter().zip(&assigned) {
            let id = self.entities.get(*e).map(|ent| ent.id.clone());
            for &i in members {
                doc.entities[i].entity = id.clone();
            }
        }
    }

    /// The one kind other than PER that entities with exactly these names
    /// have, when no person has any of them.
    fn known_kind_of(&self, names: &BTreeSet<&str>) -> Option<String> {
        let mut kinds: BTreeSet<&str> = BTreeSet::new();
        for n in names {
            let k = format!("n:{}", name_key(n));
            for &e in self.index.get(&k).into_iter().flatten() {
                kinds.insert(self.entities[e].kind());
            }
        }
        match kinds.len() {
            1 if !kinds.contains("PER") => kinds.into_iter().next().map(str::to_string),
            _ => None,
        }
    }

    /// The entity a group of names from one article belongs to, if any.
    fn find(&self, names: &BTreeSet<&str>, label: &str, same_doc: &[usize]) -> Option<usize> {
        let mut votes: BTreeMap<usize, u32> = BTreeMap::new();
        // For people, full names (two or more words) decide when there are
        // any: a bare surname shared by two people must not bridge them.
        let full: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| core_words(&name_key(n)).len() >= 2)
            .collect();
        let voters: Vec<&str> = if label == "PER" && !full.is_empty() {
            full
        } else {
            names.iter().copied().collect()
        };
        if label == "PER" && voters.iter().all(|n| core_words(&name_key(n)).len() < 2) {
            // Bare surnames: link only to the one person who has it.
            let mut cands: BTreeSet<usize> = BTreeSet::new();
            for n in &voters {
                let k = name_key(n);
                for k in keys_of(n, label) {
                    cands.extend(self.index.get(&k).into_iter().flatten().copied());
                }
                if let Some(core) = core_words(&k).first() {
                    cands.extend(
                        self.surnames
                            .get(&translit_key(core))
                            .into_iter()
                            .flatten()
                            .copied(),
                    );
                }
            }
            cands.retain(|e| self.entities[*e].kind() == "PER" && !same_doc.contains(e));
            return if cands.len() == 1 {
                cands.into_iter().next()
            } else {
                None
            };
        }
        for n in &voters {
            for k in keys_of(n, label) {
                let weight = match &k[..2] {
                    "n:" | "a:" => 3,
                    "i:" => 1,
                    _ => 2,
                };
                for &e in self.index.get(&k).into_iter().flatten() {
                    if compatible(self.entities[e].kind(), label) {
                        *votes.entry(e).or_insert(0) += weight;
                    }
                }
            }
        }
        votes
            .into_iter()
            .filter(|(e, _)| !same_doc.contains(e))
            .max_by_key(|&(e, v)| (v, self.entities[e].mentions, std::cmp::Reverse(e)))
            .map(|(e, _)| e)
    }

    fn observe(&mut self, e: usize, text: &str, label: &str, date: Option<PartialDate>) {
        // Role nouns ("de IS-leider", "president") count as mentions but are
        // not names of the entity.
        let is_name = !crate::within::is_role_text(text)
            && text.chars().next().is_some_and(|c| !c.is_lowercase());
        if !is_name {
            let ent = &mut self.entities[e];
            ent.mentions += 1;
            if let Some(d) = date {
                ent.first_seen = Some(ent.first_seen.map_or(d, |f| f.min(d)));
                ent.last_seen = Some(ent.last_seen.map_or(d, |l| l.max(d)));
            }
            return;
        }
        for k in keys_of(text, label) {
            self.index.entry(k).or_default().insert(e);
        }
        if label == "PER" {
            let k = name_key(text);
            let core = core_words(&k);
            if core.len() >= 2 {
                if let Some(last) = core.last() {
                    self.surnames
                        .entry(translit_key(last))
                        .or_default()
                        .insert(e);
                }
            }
        }
        let ent = &mut self.entities[e];
        let seq = ent.aliases.len() as u64;
        ent.aliases.entry(text.to_string()).or_insert((0, seq)).0 += 1;
        *ent.labels.entry(label.to_string()).or_insert(0) += 1;
        ent.mentions += 1;
        if let Some(d) = date {
            ent.first_seen = Some(ent.first_seen.map_or(d, |f| f.min(d)));
            ent.last_seen = Some(ent.last_seen.map_or(d, |l| l.max(d)));
        }
    }

    /// All entities, in order of creation.
    pub fn records(&self) -> Vec<EntityRecord> {
        self.entities
            .iter()
            .map(|e| {
                let name = e.name();
                let mut aliases: Vec<(&String, &(u64, u64))> =
                    e.aliases.iter().filter(|(a, _)| **a != name).collect();
                aliases.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
                EntityRecord {
                    id: e.id.clone(),
                    kind: e.kind().to_string(),
                    aliases: aliases.into_iter().map(|(a, _)| a.clone()).collect(),
                    name,
                    mentions: e.mentions,
                    first_seen: e.first_seen,
                    last_seen: e.last_seen,
                }
            })
            .collect()
    }

    /// Sets every entity's first and last date anew from `seen` (the
    /// earliest and latest creation time of the documents that mention it,
    /// by entity id; an entity not in it has no dates). For when documents
    /// were re-dated after they were linked ([`Linker::add`] records the
    /// creation time a document had then).
    pub fn set_dates(&mut self, seen: &HashMap<String, (PartialDate, PartialDate)>) {
        for e in &mut self.entities {
            let range = seen.get(&e.id);
            e.first_seen = range.map(|r| r.0);
            e.last_seen = range.map(|r| r.1);
        }
    }

    /// The id of the entity a name refers to (any alias, in any spelling
    /// variant the linker knows; exonyms through the gazetteer).
    pub fn resolve(&self, name: &str) -> Option<String> {
        let mut votes: BTreeMap<usize, u32> = BTreeMap::new();
        for label in ["PER", "LOC"] {
            for k in keys_of(name, label) {
                let w = if k.starts_with("n:") || k.starts_with("a:") {
                    3
                } else {
                    2
                };
                for &e in self.index.get(&k).into_iter().flatten() {
                    *votes.entry(e).or_insert(0) += w;
                }
            }
        }
        if votes.is_empty() {
            let k = name_key(name);
            let core = core_words(&k);
            if core.len() == 1 {
                let c = self.surnames.get(&translit_key(core[0]))?;
                if c.len() == 1 {
                    return c.iter().next().map(|&e| self.entities[e].id.clone());
                }
            }
            return None;
        }
        votes
            .into_iter()
            .max_by_key(|&(e, v)| (v, self.entities[e].mentions, std::cmp::Reverse(e)))
            .map(|(e, _)| self.entities[e].id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::{Dct, EntityMention};

    fn doc(text: &str, date: &str, mentions: &[(&str, &str, usize)]) -> Document {
        let mut d = Document::new(
            "t",
            None,
            text.to_string(),
            Dct::given(date.parse().unwrap(), "test"),
        );
        for (s, l, c) in mentions {
            let b = text.find(s).unwrap();
            let start = text[..b].chars().count();
            d.entities.push(EntityMention {
                start,
                end: start + s.chars().count(),
                text: s.to_string(),
                label: l.to_string(),
                entity: Some(kroniek_model::local_entity_id(*c)),
            });
        }
        d
    }

    #[test]
    fn merges_variants_and_exonyms() {
        let mut l = Linker::new();
        let mut a = doc(
            "Abu Bakr al-Baghdadi in Syrië. Baghdadi en Islamitische Staat (IS).",
            "2014-07-05",
            &[
                ("Abu Bakr al-Baghdadi", "PER", 0),
                ("Syrië", "LOC", 1),
                ("Baghdadi", "PER", 0),
                ("Islamitische Staat", "ORG", 2),
                ("IS", "ORG", 2),
            ],
        );
        let mut b = doc(
            "Abu Bakr al-Bagdadi died in Syria. IS lost.",
            "2019-10-27",
            &[
                ("Abu Bakr al-Bagdadi", "PER", 0),
                ("Syria", "LOC", 1),
                ("IS", "ORG", 2),
            ],
        );
        l.add(&mut a);
        l.add(&mut b);
        let id = |d: &Document, i: usize| d.entities[i].entity.clone().unwrap();
        assert_eq!(id(&a, 0), id(&b, 0));
        assert_eq!(id(&a, 2), id(&a, 0));
        assert_eq!(id(&a, 1), id(&b, 1));
        assert_eq!(id(&a, 3), id(&b, 2));
        let recs = l.records();
        let bag = recs.iter().find(|r| r.id == id(&a, 0)).unwrap();
        assert_eq!(bag.name, "Abu Bakr al-Baghdadi");
        assert_eq!(bag.kind, "PER");
        assert_eq!(bag.mentions, 3);
        assert_eq!(bag.first_seen.unwrap().to_string(), "2014-07-05");
        assert_eq!(bag.last_seen.unwrap().to_string(), "2019-10-27");
        assert_eq!(l.resolve("Irak"), None);
        assert_eq!(l.resolve("Syria"), Some(id(&a, 1)));
        assert_eq!(l.resolve("al-Baghdadi"), Some(id(&a, 0)));
        // The English long form shares the acronym's initials.
        assert_eq!(l.resolve("Islamic State"), Some(id(&a, 3)));
        assert_eq!(l.resolve("Islamic Jihad"), None);
        // Serde round trip.
        let json = serde_json::to_string(&l).unwrap();
        let back: Linker = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
    }

    #[test]
    fn well_known_variants_link_across_articles() {
        let mut l = Linker::new();
        let mut a = doc(
            "Daesh claimed the attack.",
            "2015-11-14",
            &[("Daesh", "ORG", 0)],
        );
        let mut b = doc(
            "De Islamitische Staat eiste de aanslag op.",
            "2015-11-14",
            &[("Islamitische Staat", "ORG", 0)],
        );
        let mut c = doc("ISIL verloor Mosul.", "2017-07-10", &[("ISIL", "MISC", 0)]);
        let mut d = doc("Al-Nusra vocht.", "2017-07-10", &[("Al-Nusra", "ORG", 0)]);
        for x in [&mut a, &mut b, &mut c, &mut d] {
            l.add(x);
        }
        let id = |d: &Document| d.entities[0].entity.clone().unwrap();
        assert_eq!(id(&a), id(&b));
        assert_eq!(id(&c), id(&b));
        assert_ne!(id(&d), id(&b));
        assert_eq!(l.resolve("ISIS"), Some(id(&a)));
        assert_eq!(l.resolve("Islamic State"), Some(id(&a)));
    }

    #[test]
    fn people_sharing_a_surname_stay_apart() {
        let mut l = Linker::new();
        let mut a = doc(
            "Lilian Marijnissen won.",
            "2021-03-18",
            &[("Lilian Marijnissen", "PER", 0)],
        );
        let mut b = doc(
            "Jan Marijnissen keek toe.",
            "2021-03-19",
            &[("Jan Marijnissen", "PER", 0)],
        );
        let mut c = doc(
            "Marijnissen sprak.",
            "2021-03-20",
            &[("Marijnissen", "PER", 0)],
        );
        l.add(&mut a);
        l.add(&mut b);
        l.add(&mut c);
        let ids: BTreeSet<String> = [&a, &b, &c]
            .iter()
            .map(|d| d.entities[0].entity.clone().unwrap())
            .collect();
        assert_eq!(ids.len(), 3, "a bare shared surname must not be merged");
        // "Marijnissen" names the third, unresolved entity, not either person.
        assert_eq!(l.resolve("Marijnissen"), c.entities[0].entity.clone());
        assert!(l.resolve("Lilian Marijnissen").is_some());
    }

    #[test]
    fn transliteration_keys() {
        assert_eq!(
            translit_key("abu bakr al baghdadi"),
            translit_key("aboe bakr al bagdadi")
        );
        assert_eq!(translit_key("kadhafi"), translit_key("kadafi"));
        assert_eq!(translit_key("sjiieten"), translit_key("shiieten"));
        assert_ne!(
            translit_key("lilian marijnissen"),
            translit_key("jan marijnissen")
        );
    }
}
