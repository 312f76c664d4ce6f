//! A document prepared for the events stage: tokens in code-point offsets,
//! each with its sentence and clause.

use kroniek_model::{CharIndex, Document, EntityMention};
use kroniek_text::{Token, TokenKind};

use crate::lexicon::Lang;

/// A token of the document.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Code-point offsets.
    pub start: usize,
    pub end: usize,
    pub lower: String,
    pub kind: TokenKind,
    pub sent: usize,
    /// Clause number, unique in the document.
    pub clause: usize,
    /// Starts with an upper-case letter.
    pub cap: bool,
}

impl AsRef<str> for Tok {
    fn as_ref(&self) -> &str {
        &self.lower
    }
}

/// The prepared document.
pub struct Prep<'a> {
    pub text: &'a str,
    pub raw: Vec<Token<'a>>,
    pub toks: Vec<Tok>,
    /// Token range of each sentence.
    pub sent_toks: Vec<(usize, usize)>,
    /// Token range of each clause.
    pub clause_toks: Vec<(usize, usize)>,
    /// Entity mention indexes sorted by start (the mentions are as in the document).
    pub entities: &'a [EntityMention],
    /// Code-point spans of the quotes (marks included), once found.
    pub quoted: std::cell::OnceCell<Vec<(usize, usize)>>,
}

/// Marks that end a clause: `;`, `:`, dashes, brackets and quotation marks.
fn clause_mark(t: &str) -> bool {
    matches!(
        t,
        ";" | ":"
            | "—"
            | "–"
            | "("
            | ")"
            | "“"
            | "”"
            | "„"
            | "\""
            | "«"
            | "»"
            | "‘"
            | "’"
            | "‚"
    )
}

impl<'a> Prep<'a> {
    pub fn new(doc: &'a Document, lang: Option<&Lang>) -> Self {
        let text = doc.text.as_str();
        let raw = kroniek_text::tokenize(text);
        let idx = CharIndex::new(text);
        let mut toks = Vec::with_capacity(raw.len());
        let mut s = 0usize;
        let nsent = doc.sentences.len();
        for t in &raw {
            let start = idx.to_char(t.start);
            while s + 1 < nsent && doc.sentences[s].end <= start {
                s += 1;
            }
            toks.push(Tok {
                start,
                end: idx.to_char(t.end),
                lower: t.text.to_lowercase(),
                kind: t.kind,
                sent: s,
                clause: 0,
                cap: t.text.chars().next().is_some_and(char::is_uppercase),
            });
        }
        let mut sent_toks = vec![(0usize, 0usize); nsent];
        let mut i = 0;
        for (k, st) in sent_toks.iter_mut().enumerate() {
            while i < toks.len() && toks[i].sent < k {
                i += 1;
            }
            let a = i;
            while i < toks.len() && toks[i].sent == k {
                i += 1;
            }
            *st = (a, i);
        }
        // Clauses.
        let mut clause_toks = Vec::new();
        for &(a, b) in &sent_toks {
            let mut start = a;
            for j in a..b {
                let opens = |l: &Lang| {
                    let w = &toks[j].lower;
                    (toks[j - 1].lower == "," && l.clause.contains(w))
                        || l.subord.contains(w)
                        || (l.compl.contains(w)
                            && toks.get(j + 1).is_some_and(|n| {
                                n.sent == toks[j].sent
                                    && (n.cap
                                        || l.det.contains(&n.lower)
                                        || l.pronoun.contains(&n.lower)
                                        || n.lower == "er"
                                        || n.lower == "there"
                                        || n.lower == "we"
                                        || n.lower == "ik"
                                        || n.lower == "i")
                            }))
                };
                let boundary_before =
                    j > a && (clause_mark(&toks[j - 1].lower) || lang.is_some_and(opens));
                if boundary_before && j > start {
                    clause_toks.push((start, j));
                    start = j;
                }
            }
            if b > start {
                clause_toks.push((start, b));
            }
        }
        for (c, &(a, b)) in clause_toks.iter().enumerate() {
            for t in &mut toks[a..b] {
                t.clause = c;
            }
        }
        Prep {
            text,
            raw,
            toks,
            sent_toks,
            clause_toks,
            entities: &doc.entities,
            quoted: std::cell::OnceCell::new(),
        }
    }

    /// The token range of the clause of token `i`.
    pub fn clause_of(&self, i: usize) -> (usize, usize) {
        self.clause_toks
            .get(self.toks[i].clause)
            .copied()
            .unwrap_or((i, i + 1))
    }

    /// The token range of the sentence of token `i`.
    pub fn sentence_of(&self, i: usize) -> (usize, usize) {
        self.sent_toks
            .get(self.toks[i].sent)
            .copied()
            .unwrap_or((i, i + 1))
    }

    /// Code-point span of a token range (empty ranges give `None`).
    pub fn span(&self, a: usize, b: usize) -> Option<(usize, usize)> {
        (a < b && b <= self.toks.len()).then(|| (self.toks[a].start, self.toks[b - 1].end))
    }

    /// Whether code-point offset `pos` lies inside a quote.
    pub fn in_quote(&self, pos: usize) -> bool {
        self.quoted
            .get()
            .is_some_and(|q| q.iter().any(|&(a, b)| a <= pos && pos < b))
    }

    /// The text of a token range (empty for an empty or bad range).
    pub fn text_of(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.raw.len() {
            return "";
        }
        self.text
            .get(self.raw[a].start..self.raw[b - 1].end)
            .unwrap_or("")
    }

    /// The index of the entity mention covering code-point offset `pos`.
    pub fn mention_at(&self, pos: usize) -> Option<usize> {
        self.entities
            .iter()
            .position(|m| m.start <= pos && pos < m.end)
    }

    /// Entity mentions inside a code-point span, in order.
    pub fn mentions_in(&self, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        self.entities
            .iter()
            .enumerate()
            .filter(move |(_, m)| m.start >= start && m.end <= end)
            .map(|(i, _)| i)
    }

    /// The first token index at or after code-point offset `pos`.
    pub fn tok_at_or_after(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start < pos)
    }

    /// The token index ending at or before code-point offset `pos` (exclusive bound).
    pub fn tok_before(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.end <= pos)
    }
}

/// An entity's id, or its text when it has none.
pub fn entity_key(m: &EntityMention) -> String {
    m.entity.clone().unwrap_or_else(|| m.text.clone())
}
