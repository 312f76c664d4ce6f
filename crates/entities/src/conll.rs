//! CoNLL NER files (2002 Dutch, 2003 English) and the conlleval scorer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One sentence: words and IOB2 tags (same length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// One article (`-DOCSTART-` to `-DOCSTART-`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConllDoc {
    pub sentences: Vec<ConllSentence>,
}

/// Reads a CoNLL NER file: one token per line, the word first and the NE tag
/// last, blank lines between sentences, `-DOCSTART-` lines between articles.
/// IOB1 tags (CoNLL-2003) are converted to IOB2. Malformed lines are skipped.
pub fn read_conll(text: &str) -> Vec<ConllDoc> {
    let mut docs = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent = ConllSentence::default();
    let flush_sent = |sent: &mut ConllSentence, doc: &mut ConllDoc| {
        if !sent.words.is_empty() {
            sent.tags = iob1_to_iob2(&sent.tags);
            doc.sentences.push(std::mem::take(sent));
        }
    };
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush_sent(&mut sent, &mut doc);
            continue;
        }
        let mut fields = line.split_whitespace();
        let Some(word) = fields.next() else { continue };
        if word == "-DOCSTART-" {
            flush_sent(&mut sent, &mut doc);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let tag = fields.last().unwrap_or("O");
        let tag = if tag == "O" || tag.starts_with("B-") || tag.starts_with("I-") {
            tag
        } else {
            "O"
        };
        sent.words.push(word.to_string());
        sent.tags.push(tag.to_string());
    }
    flush_sent(&mut sent, &mut doc);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    docs
}

/// IOB1 → IOB2: an `I-X` that does not continue an `X` becomes `B-X`.
pub fn iob1_to_iob2(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for (i, t) in tags.iter().enumerate() {
        if let Some(ty) = t.strip_prefix("I-") {
            let prev_ty = if i == 0 { None } else { tag_type(&out[i - 1]) };
            if prev_ty != Some(ty) {
                out.push(format!("B-{ty}"));
                continue;
            }
        }
        out.push(t.clone());
    }
    out
}

fn tag_type(t: &str) -> Option<&str> {
    t.get(2..)
        .filter(|_| t.len() > 2 && t.as_bytes()[1] == b'-')
}

/// Entity chunks of a tag sequence as `(start, end_exclusive, type)`, with
/// conlleval's rules: a chunk starts at `B-X`, or at `I-X` after `O` or a
/// different type; it ends before `O`, `B-*` or a different type.
pub fn chunks(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (prefix, ty) = match tag_type(t) {
            Some(ty) => (t.as_bytes()[0], Some(ty)),
            None => (b'O', None),
        };
        let continues =
            matches!((cur, prefix, ty), (Some((_, c)), b'I' | b'E' | b'L', Some(ty)) if c == ty);
        if !continues {
            if let Some((s, c)) = cur.take() {
                out.push((s, i, c.to_string()));
            }
            if let Some(ty) = ty {
                cur = Some((i, ty));
            }
        }
    }
    if let Some((s, c)) = cur {
        out.push((s, tags.len(), c.to_string()));
    }
    out
}

/// Counts for one type (or all, for the micro average).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub pred: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.pred)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// conlleval-style scores: exact span and type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllScores {
    pub per_type: BTreeMap<String, Counts>,
    pub micro: Counts,
    pub tokens: usize,
    pub tokens_correct: usize,
}

impl ConllScores {
    /// A printed table: one row per type and the micro average.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<6} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8}",
            "type", "gold", "pred", "correct", "P", "R", "F1"
        );
        let row = |s: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{:<6} {:>7} {:>7} {:>7} {:>8.2} {:>8.2} {:>8.2}",
                name,
                c.gold,
                c.pred,
                c.correct,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for (ty, c) in &self.per_type {
            row(&mut s, ty, c);
        }
        row(&mut s, "micro", &self.micro);
        let _ = writeln!(
            s,
            "token accuracy {:.2}% ({} tokens)",
            ratio(self.tokens_correct, self.tokens),
            self.tokens
        );
        s
    }
}

/// Scores predicted against gold tag sequences, sentence by sentence
/// (`(gold, pred)` pairs of equal length; a length mismatch counts the
/// shorter overlap only). IOB1 and IOB2 (and BIOES/BILOU) tags are accepted.
pub fn score_conll<'a, I>(gold_and_pred: I) -> ConllScores
where
    I: IntoIterator<Item = (&'a [String], &'a [String])>,
{
    let mut sc = ConllScores::default();
    for (gold, pred) in gold_and_pred {
        let n = gold.len().min(pred.len());
        let (gold, pred) = (&gold[..n], &pred[..n]);
        sc.tokens += n;
        sc.tokens_correct += gold.iter().zip(pred).filter(|(a, b)| a == b).count();
        let g = chunks(gold);
        let p = chunks(pred);
        for (_, _, ty) in &g {
            sc.per_type.entry(ty.clone()).or_default().gold += 1;
        }
        for c in &p {
            let e = sc.per_type.entry(c.2.clone()).or_default();
            e.pred += 1;
            if g.contains(c) {
                e.correct += 1;
            }
        }
    }
    for c in sc.per_type.values() {
        sc.micro.gold += c.gold;
        sc.micro.pred += c.pred;
        sc.micro.correct += c.correct;
    }
    sc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_docs_and_converts_iob1() {
        let text = "-DOCSTART- -X- O O\nEU I-ORG\nrejects O\nGerman I-MISC\ncall O\n\nPeter I-PER\nBlackburn I-PER\nI-X I-PER\n\n-DOCSTART- -X- O O\nX O\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tags, v("B-ORG O B-MISC O"));
        assert_eq!(docs[0].sentences[1].tags, v("B-PER I-PER I-PER"));
    }

    #[test]
    fn dutch_docstart_without_blank_line() {
        let text = "-DOCSTART- -DOCSTART- O\nDe Art O\nFloralux N B-ORG\n. Punc O\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].sentences[0].words, v("De Floralux ."));
    }

    #[test]
    fn chunks_follow_conlleval() {
        let t = v("B-PER I-PER O I-LOC I-LOC B-LOC I-ORG B-ORG");
        assert_eq!(
            chunks(&t),
            vec![
                (0, 2, "PER".to_string()),
                (3, 5, "LOC".to_string()),
                (5, 6, "LOC".to_string()),
                (6, 7, "ORG".to_string()),
                (7, 8, "ORG".to_string()),
            ]
        );
    }

    #[test]
    fn scores_exact_spans() {
        let gold = v("B-PER I-PER O B-LOC O B-ORG");
        let pred = v("B-PER I-PER O B-LOC I-LOC B-ORG");
        let sc = score_conll([(&gold[..], &pred[..])]);
        assert_eq!(
            sc.micro,
            Counts {
                gold: 3,
                pred: 3,
                correct: 2
            }
        );
        assert!((sc.micro.f1() - 66.666).abs() < 0.01);
        assert_eq!(sc.per_type["LOC"].correct, 0);
        assert!(sc.table().contains("micro"));
    }
}
