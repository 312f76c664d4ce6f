//! Temporal-awareness scoring of SemEval-2015 Task 4 timelines.
//!
//! Each timeline becomes a graph of interval relations the way the task's
//! evaluation did: every time anchor is a node, every event (order > 0) is
//! SIMULTANEOUS with its anchor, and the events, sorted as the lines sort
//! ("natural" order: numbers compared as numbers), are linked pairwise in
//! sequence, BEFORE where the order number grows and SIMULTANEOUS where it
//! does not. Events are matched between gold and system by their
//! `docid-sentence-extent` string (the k-th system copy of a string takes
//! the next gold copy), anchors by their value.
//!
//! Temporal awareness (UzZaman & Allen 2011, as in TempEval-3): relations
//! are added to a point graph (interval start < end; SIMULTANEOUS equates
//! starts and ends; BEFORE puts the end of one below the start of the
//! other) in order; a relation the graph already entails is redundant and
//! leaves the reduced set, one the graph contradicts is kept (as a
//! violation) but not added. Precision = reduced system relations that the
//! gold graph entails (or that gold states explicitly) / reduced system
//! relations; recall likewise the other way round. Counts add up over all
//! timelines (micro average).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::score::{f1, ratio};

/// One line of a timeline file: order number, anchor, events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub order: u64,
    pub date: String,
    pub events: Vec<String>,
}

/// A timeline file: the target entity (first line) and its lines, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFile {
    pub entity: String,
    pub lines: Vec<Line>,
}

impl TimelineFile {
    /// Parses the task's tab format. Lines with fewer than three fields or
    /// an order that is not a number are skipped, as the task's scorer did.
    pub fn parse(text: &str) -> TimelineFile {
        let mut it = text.lines();
        let entity = it.next().unwrap_or_default().trim().to_string();
        let mut raw: Vec<&str> = it
            .map(|l| l.trim_end())
            .filter(|l| !l.trim().is_empty())
            .collect();
        raw.sort_by(|a, b| natural_cmp(a, b));
        let lines = raw
            .into_iter()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                if f.len() < 3 {
                    return None;
                }
                let order = f[0].trim().parse().ok()?;
                Some(Line {
                    order,
                    date: f[1].to_string(),
                    events: f[2..].iter().map(|e| e.to_string()).collect(),
                })
            })
            .collect();
        TimelineFile { entity, lines }
    }

    /// The task's file form: entity, then `order<TAB>date<TAB>events...`.
    pub fn render(&self) -> String {
        let mut s = format!("{}\n", self.entity);
        for l in &self.lines {
            s.push_str(&format!(
                "{}\t{}\t{}\n",
                l.order,
                l.date,
                l.events.join("\t")
            ));
        }
        s
    }
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Piece<'a> {
    // Numbers sort before text, as mixed lists did in the task's Python 2.
    Num(&'a str),
    Text(&'a str),
}

fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let digit = b[i].is_ascii_digit();
        let j = (i..b.len())
            .find(|&j| b[j].is_ascii_digit() != digit)
            .unwrap_or(b.len());
        out.push(if digit {
            Piece::Num(s[i..j].trim_start_matches('0'))
        } else {
            Piece::Text(&s[i..j])
        });
        i = j;
    }
    out
}

/// "Natural" comparison: digit runs compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (pa, pb) = (pieces(a), pieces(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            (Piece::Num(x), Piece::Num(y)) => x.len().cmp(&y.len()).then(x.cmp(y)),
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// A node of the relation graph: an event id or a time id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Event(usize),
    Time(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rel {
    Before,
    Simultaneous,
}

/// A relation between two nodes, in the direction it was stated.
pub type Relation = (Node, Node, Rel);

/// The relations of a gold and a system timeline, with shared ids.
#[derive(Debug, Default)]
pub struct Graphs {
    pub gold: Vec<Relation>,
    pub system: Vec<Relation>,
}

/// Converts a gold and a system timeline to relations over shared ids.
pub fn to_relations(gold: &TimelineFile, system: &TimelineFile) -> Graphs {
    let mut times: Vec<String> = Vec::new();
    let mut gold_events: Vec<(String, u64, usize)> = Vec::new(); // (string, order, time)
    for l in gold.lines.iter().filter(|l| l.order != 0) {
        let t = match times.iter().position(|x| *x == l.date) {
            Some(t) => t,
            None => {
                times.push(l.date.clone());
                times.len() - 1
            }
        };
        for e in &l.events {
            gold_events.push((e.clone(), l.order, t));
        }
    }
    let mut g = Graphs::default();
    for (i, (_, _, t)) in gold_events.iter().enumerate() {
        g.gold
            .push((Node::Event(i + 1), Node::Time(*t), Rel::Simultaneous));
    }
    for i in 1..gold_events.len() {
        let rel = if gold_events[i - 1].1 < gold_events[i].1 {
            Rel::Before
        } else {
            Rel::Simultaneous
        };
        g.gold.push((Node::Event(i), Node::Event(i + 1), rel));
    }

    // System: anchors and events take the gold id when they match.
    let mut next_time = times.len() + 1;
    let mut sys_times: HashMap<&str, usize> = HashMap::new();
    let mut next_event = gold_events.len() + 1;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut ids: Vec<usize> = Vec::new();
    let mut info: HashMap<usize, (u64, usize)> = HashMap::new();
    for l in system.lines.iter().filter(|l| l.order != 0) {
        let t = *sys_times.entry(l.date.as_str()).or_insert_with(|| {
            times.iter().position(|x| *x == l.date).unwrap_or_else(|| {
                next_time += 1;
                next_time - 1
            })
        });
        for e in &l.events {
            let count = seen.entry(e.as_str()).or_insert(0);
            let first = gold_events.iter().position(|(s, _, _)| s == e);
            let in_gold = gold_events.iter().filter(|(s, _, _)| s == e).count();
            let id = match first {
                Some(first) if *count < in_gold => gold_events
                    .iter()
                    .enumerate()
                    .skip(first + *count)
                    .find(|(_, (s, _, _))| s == e)
                    .map(|(i, _)| i + 1)
                    .unwrap_or_else(|| {
                        next_event += 1;
                        next_event - 1
                    }),
                _ => {
                    next_event += 1;
                    next_event - 1
                }
            };
            *count += 1;
            info.insert(id, (l.order, t));
            ids.push(id);
        }
    }
    for id in &ids {
        g.system
            .push((Node::Event(*id), Node::Time(info[id].1), Rel::Simultaneous));
    }
    for w in ids.windows(2) {
        let rel = if info[&w[0]].0 < info[&w[1]].0 {
            Rel::Before
        } else {
            Rel::Simultaneous
        };
        g.system.push((Node::Event(w[0]), Node::Event(w[1]), rel));
    }
    g
}

/// Point graph: interval endpoints, equalities merged (union-find),
/// strict order as edges between merged classes.
#[derive(Debug, Default)]
pub struct PointGraph {
    index: HashMap<Node, usize>,
    parent: Vec<usize>,
    less: Vec<HashSet<usize>>,
}

impl PointGraph {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn new_point(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.less.push(HashSet::new());
        self.parent.len() - 1
    }

    fn contains(&self, n: Node) -> bool {
        self.index.contains_key(&n)
    }

    /// Start and end point of `n`, creating them (start < end) when new.
    fn points(&mut self, n: Node) -> (usize, usize) {
        if let Some(&s) = self.index.get(&n) {
            return (s, s + 1);
        }
        let s = self.new_point();
        let e = self.new_point();
        self.less[s].insert(e);
        self.index.insert(n, s);
        (s, e)
    }

    /// Is `a < b` entailed (a path of strict edges between classes)?
    fn lt(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        let mut stack = vec![a];
        let mut seen = HashSet::new();
        while let Some(x) = stack.pop() {
            if !seen.insert(x) {
                continue;
            }
            let next: Vec<usize> = self.less[x].iter().copied().collect();
            for y in next {
                let y = self.find(y);
                if y == b {
                    return true;
                }
                stack.push(y);
            }
        }
        false
    }

    fn point_rel(&mut self, a: usize, b: usize) -> Option<Ordering> {
        if self.find(a) == self.find(b) {
            Some(Ordering::Equal)
        } else if self.lt(a, b) {
            Some(Ordering::Less)
        } else if self.lt(b, a) {
            Some(Ordering::Greater)
        } else {
            None
        }
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[b] = a;
            let moved: Vec<usize> = self.less[b].drain().collect();
            self.less[a].extend(moved);
        }
    }

    /// Does the graph entail `x rel y`? Nodes it lacks entail nothing.
    pub fn entails(&mut self, x: Node, y: Node, rel: Rel) -> bool {
        if !self.contains(x) || !self.contains(y) {
            return false;
        }
        let (xs, xe) = self.points(x);
        let (ys, ye) = self.points(y);
        match rel {
            Rel::Before => self.point_rel(xe, ys) == Some(Ordering::Less),
            Rel::Simultaneous => {
                self.point_rel(xs, ys) == Some(Ordering::Equal)
                    && self.point_rel(xe, ye) == Some(Ordering::Equal)
            }
        }
    }

    /// Would `x rel y` contradict the graph (both nodes known)?
    fn contradicts(&mut self, x: Node, y: Node, rel: Rel) -> bool {
        let (xs, xe) = self.points(x);
        let (ys, ye) = self.points(y);
        match rel {
            Rel::Before => {
                x == y
                    || matches!(
                        self.point_rel(xe, ys),
                        Some(Ordering::Equal | Ordering::Greater)
                    )
            }
            Rel::Simultaneous => {
                matches!(
                    self.point_rel(xs, ys),
                    Some(Ordering::Less | Ordering::Greater)
                ) || matches!(
                    self.point_rel(xe, ye),
                    Some(Ordering::Less | Ordering::Greater)
                )
            }
        }
    }

    fn add(&mut self, x: Node, y: Node, rel: Rel) {
        let (xs, xe) = self.points(x);
        let (ys, ye) = self.points(y);
        match rel {
            Rel::Before => {
                let (a, b) = (self.find(xe), self.find(ys));
                self.less[a].insert(b);
            }
            Rel::Simultaneous => {
                self.union(xs, ys);
                self.union(xe, ye);
            }
        }
    }
}

/// A graph built from relations in order, with its reduced relation set
/// (non-redundant relations plus the violations).
#[derive(Debug, Default)]
pub struct Reduced {
    pub graph: PointGraph,
    pub relations: Vec<Relation>,
    pub violations: usize,
}

/// Adds `rels` in order: duplicates are dropped, entailed relations leave
/// the reduced set, contradicting ones stay in it without being added.
pub fn reduce(rels: &[Relation]) -> Reduced {
    let mut r = Reduced::default();
    let mut seen = HashSet::new();
    for &(x, y, rel) in rels {
        if !seen.insert((x, y, rel)) {
            continue;
        }
        if r.graph.contains(x) && r.graph.contains(y) {
            if r.graph.entails(x, y, rel) {
                continue;
            }
            if r.graph.contradicts(x, y, rel) {
                r.violations += 1;
                r.relations.push((x, y, rel));
                continue;
            }
        } else if x == y && rel == Rel::Before {
            r.violations += 1;
            r.relations.push((x, y, rel));
            continue;
        }
        r.graph.add(x, y, rel);
        r.relations.push((x, y, rel));
    }
    r
}

/// Matched and total relation counts of one or more timelines.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Awareness {
    /// Reduced system relations verified by gold.
    pub prec_matched: usize,
    pub system: usize,
    /// Reduced gold relations verified by the system.
    pub rec_matched: usize,
    pub gold: usize,
}

impl Awareness {
    pub fn add(&mut self, o: &Awareness) {
        self.prec_matched += o.prec_matched;
        self.system += o.system;
        self.rec_matched += o.rec_matched;
        self.gold += o.gold;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.prec_matched, self.system)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.rec_matched, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

fn explicit(rels: &[Relation]) -> HashSet<Relation> {
    let mut s = HashSet::new();
    for &(x, y, r) in rels {
        s.insert((x, y, r));
        if r == Rel::Simultaneous {
            s.insert((y, x, r));
        }
    }
    s
}

fn verified(a: &Reduced, b_rels: &[Relation], b: &mut Reduced) -> usize {
    let stated = explicit(b_rels);
    a.relations
        .iter()
        .filter(|&&(x, y, r)| stated.contains(&(x, y, r)) || b.graph.entails(x, y, r))
        .count()
}

/// Scores one system timeline against its gold timeline.
pub fn score(gold: &TimelineFile, system: &TimelineFile) -> Awareness {
    let g = to_relations(gold, system);
    let mut rg = reduce(&g.gold);
    let mut rs = reduce(&g.system);
    Awareness {
        prec_matched: verified(&rs, &g.gold, &mut rg),
        system: rs.relations.len(),
        rec_matched: verified(&rg, &g.system, &mut rs),
        gold: rg.relations.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tl(s: &str) -> TimelineFile {
        TimelineFile::parse(&format!("X\n{}", s.replace("  ", "\t")))
    }

    #[test]
    fn natural_order_compares_numbers() {
        assert_eq!(natural_cmp("2\ta", "10\ta"), Ordering::Less);
        assert_eq!(natural_cmp("10\t2007", "10\t2007-10"), Ordering::Less);
        assert_eq!(natural_cmp("1\tX", "1\t2"), Ordering::Greater);
        let t = tl("10  2009-01-01  1-2-b\n2  2008-01-01  1-1-a\n0  XXXX-XX-XX  1-3-c");
        let orders: Vec<u64> = t.lines.iter().map(|l| l.order).collect();
        assert_eq!(orders, vec![0, 2, 10]);
    }

    #[test]
    fn render_round_trips() {
        let t = tl("1  2008-01-01  1-1-a  1-2-a\n2  2008-02-XX  1-3-b");
        assert_eq!(TimelineFile::parse(&t.render()), t);
    }

    #[test]
    fn identity_scores_one() {
        let g = tl("0  XXXX-XX-XX  9-1-x\n1  2008-01-01  1-1-a  2-1-a\n1  2008-01-01  1-2-b\n2  2008-02-XX  1-3-c\n3  2009  2-4-d");
        let s = score(&g, &g);
        assert_eq!(s.prec_matched, s.system);
        assert_eq!(s.rec_matched, s.gold);
        assert!((s.f1() - 1.0).abs() < 1e-12);
        // 5 event-time links; a=a, a=b SIMULTANEOUS entailed via the anchor;
        // b<c, c<d kept: 7 reduced relations.
        assert_eq!(s.gold, 7);
    }

    #[test]
    fn empty_system_scores_zero() {
        let g = tl("1  2008-01-01  1-1-a\n2  2008-02-01  1-2-b");
        let s = score(&g, &tl(""));
        assert_eq!((s.system, s.gold, s.rec_matched), (0, 3, 0));
        assert_eq!(s.f1(), 0.0);
    }

    #[test]
    fn partial_timeline() {
        // Gold: a (d1) < b (d2) < c (d3). System finds a and c with the
        // right anchors and order, misses b, adds a spurious z.
        let g = tl("1  2008-01-01  1-1-a\n2  2008-02-01  1-2-b\n3  2008-03-01  1-3-c");
        let s = tl("1  2008-01-01  1-1-a\n2  2008-03-01  1-3-c  1-4-z");
        let r = score(&g, &s);
        // System reduced: a~t1, c~t3, z~t3, a<c (c=z entailed): 4, of which
        // a~t1, c~t3, a<c hold in gold.
        assert_eq!((r.prec_matched, r.system), (3, 4));
        // Gold reduced: a~t1, b~t2, c~t3, a<b, b<c: the system verifies
        // a~t1 and c~t3 only (b unknown to it).
        assert_eq!((r.rec_matched, r.gold), (2, 5));
        assert!((r.f1() - 2.0 * 0.75 * 0.4 / 1.15).abs() < 1e-12);
    }

    #[test]
    fn wrong_anchor_and_order() {
        let g = tl("1  2008-01-01  1-1-a\n2  2008-02-01  1-2-b");
        let s = tl("1  2008-02-01  1-2-b\n2  2008-05-01  1-1-a");
        let r = score(&g, &s);
        // System: b~t(2008-02-01) right, a~t(2008-05-01) wrong, b<a wrong.
        assert_eq!((r.prec_matched, r.system), (1, 3));
        assert_eq!((r.rec_matched, r.gold), (1, 3));
    }

    #[test]
    fn contradictions_stay_in_the_reduced_set() {
        // Same anchor, different order: a = t = b and a < b contradict.
        let g = tl("1  XXXX-XX-XX  1-1-a\n2  XXXX-XX-XX  1-2-b");
        let r = reduce(&to_relations(&g, &g).gold);
        assert_eq!(r.violations, 1);
        assert_eq!(r.relations.len(), 3);
        // Identity still scores 1: the violation is stated in the gold.
        assert!((score(&g, &g).f1() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn repeated_strings_take_the_next_gold_copy() {
        let g = tl("1  2008-01-01  1-1-a\n2  2008-02-01  1-1-a");
        let s = tl("1  2008-01-01  1-1-a\n2  2008-02-01  1-1-a\n3  2008-03-01  1-1-a");
        let gr = to_relations(&g, &s);
        let evs: Vec<Node> = gr.system.iter().take(3).map(|r| r.0).collect();
        assert_eq!(evs, vec![Node::Event(1), Node::Event(2), Node::Event(3)]);
    }

    #[test]
    fn order_zero_is_ignored() {
        let g = tl("1  2008-01-01  1-1-a");
        let s = tl("0  XXXX-XX-XX  1-5-q\n1  2008-01-01  1-1-a");
        assert!((score(&g, &s).f1() - 1.0).abs() < 1e-12);
    }
}
