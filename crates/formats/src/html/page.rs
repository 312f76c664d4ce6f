//! The parsed page as a flat tree, what of it is boilerplate, where the
//! article is, and its text.

use std::collections::HashMap;

use scraper::{Html, Node};

use crate::data::{BOILERPLATE_WORDS, DROP_TAGS, KEEP_WORDS};

/// Paragraphs shorter than this (characters) do not count for density.
const MIN_UNIT_CHARS: usize = 25;
/// Shortest paragraph kept from an article's header (a lead).
const MIN_LEAD_CHARS: usize = 60;
/// Blocks with more link text than this share are link lists, not text.
const MAX_LINK_SHARE: f64 = 0.6;

/// A node of the flat tree.
pub(super) enum Kind {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    Other,
}

/// A node and where its subtree ends.
pub(super) struct DNode {
    pub parent: Option<usize>,
    /// One past the last node of this node's subtree.
    pub end: usize,
    pub kind: Kind,
}

/// A flat copy of the parsed tree: nodes in document order, each knowing
/// its parent and where its subtree ends.
pub(super) struct Dom {
    pub nodes: Vec<DNode>,
}

impl Dom {
    pub fn from_html(doc: &Html) -> Dom {
        let mut nodes: Vec<DNode> = Vec::new();
        let mut index = HashMap::new();
        for node in doc.tree.root().descendants() {
            let i = nodes.len();
            index.insert(node.id(), i);
            let parent = node.parent().and_then(|p| index.get(&p.id()).copied());
            let kind = match node.value() {
                Node::Element(e) => Kind::Element {
                    name: e.name().to_ascii_lowercase(),
                    attrs: e
                        .attrs()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                        .collect(),
                },
                Node::Text(t) => {
                    let s: &str = &t.text;
                    Kind::Text(s.to_string())
                }
                _ => Kind::Other,
            };
            nodes.push(DNode {
                parent,
                end: i + 1,
                kind,
            });
        }
        for i in (1..nodes.len()).rev() {
            if let Some(p) = nodes[i].parent {
                if nodes[i].end > nodes[p].end {
                    nodes[p].end = nodes[i].end;
                }
            }
        }
        Dom { nodes }
    }

    pub fn name(&self, i: usize) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn attr(&self, i: usize, key: &str) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// All text under node `i`, whitespace collapsed.
    pub fn text_of(&self, i: usize) -> String {
        let mut out = String::new();
        for n in &self.nodes[i..self.nodes[i].end] {
            if let Kind::Text(t) = &n.kind {
                out.push_str(t);
                out.push(' ');
            }
        }
        collapse(&out)
    }

    /// Whether `i` lies inside (or is) `ancestor`.
    pub fn within(&self, i: usize, ancestor: usize) -> bool {
        ancestor <= i && i < self.nodes[ancestor].end
    }

    pub fn elements(&self) -> impl Iterator<Item = (usize, &str)> {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.kind {
                Kind::Element { name, .. } => Some((i, name.as_str())),
                _ => None,
            })
    }
}

/// Whitespace runs made single spaces.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "caption",
    "header",
    "footer",
    "nav",
    "aside",
];
/// Blocks whose text counts for their parent container.
const PARAGRAPH_TAGS: &[&str] = &["p", "pre", "blockquote", "li", "dd", "dt"];
const HEADING_TAGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
const HIDDEN_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
];

pub(super) fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name)
}

/// Lowercase tokens of a class or id value: split on non-letters and on
/// camelCase boundaries.
fn tokens(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if !c.is_alphabetic() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// How a class / id value reads.
#[derive(PartialEq)]
enum ValueKind {
    Boilerplate,
    Keep,
    Neutral,
}

fn value_kind(value: &str) -> ValueKind {
    let toks = tokens(value);
    let last_bad = toks.iter().rposition(|t| BOILERPLATE_WORDS.contains(t));
    let last_keep = toks.iter().rposition(|t| KEEP_WORDS.contains(t));
    match (last_bad, last_keep) {
        (Some(b), Some(k)) if k > b => ValueKind::Keep,
        (Some(_), _) => ValueKind::Boilerplate,
        (None, Some(_)) => ValueKind::Keep,
        (None, None) => ValueKind::Neutral,
    }
}

/// The page: its tree with the decisions about what is boilerplate.
pub(super) struct Page<'a> {
    pub dom: &'a Dom,
    /// Dropped whatever the class says (tags, hidden, roles).
    pub hard: Vec<bool>,
    /// Dropped for a boilerplate class / id.
    pub soft: Vec<bool>,
    /// An article's own `<header>`: only long paragraphs (a lead) count.
    pub lead: Vec<bool>,
    /// `<body>` (or the root of a fragment).
    pub body: usize,
    /// `[itemprop=articleBody]`, `<article>`, `<main>` / `[role=main]`.
    pub article_bodies: Vec<usize>,
    pub articles: Vec<usize>,
    /// The outermost `<article>` with the most text.
    pub main_article: Option<usize>,
    /// `<article>`s inside other articles (teasers, comments).
    pub nested_articles: Vec<usize>,
    pub mains: Vec<usize>,
}

impl<'a> Page<'a> {
    pub fn new(dom: &'a Dom) -> Page<'a> {
        let n = dom.nodes.len();
        let mut article_bodies = Vec::new();
        let mut articles = Vec::new();
        let mut mains = Vec::new();
        let mut body = None;
        for (i, name) in dom.elements() {
            if name == "body" && body.is_none() {
                body = Some(i);
            }
            if dom.attr(i, "itemprop").is_some_and(|v| {
                v.split_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("articlebody"))
            }) {
                article_bodies.push(i);
            }
            if name == "article" {
                articles.push(i);
            }
            if name == "main"
                || dom
                    .attr(i, "role")
                    .is_some_and(|r| r.eq_ignore_ascii_case("main"))
            {
                mains.push(i);
            }
        }
        // Nested articles (teasers, comments) are not the article.
        // `articles` is in document order: one starting before the end of
        // the last outermost one lies inside it.
        let mut outermost = Vec::new();
        let mut nested_articles = Vec::new();
        let mut outer_end = 0;
        for &a in &articles {
            if a < outer_end {
                nested_articles.push(a);
            } else {
                outermost.push(a);
                outer_end = dom.nodes[a].end;
            }
        }
        let articles = outermost;
        let main_article = articles
            .iter()
            .copied()
            .max_by_key(|&a| (dom.text_of(a).len(), std::cmp::Reverse(a)));
        // Elements holding the article are never dropped.
        let mut protected = vec![false; n];
        for &c in article_bodies
            .iter()
            .chain(&mains)
            .chain(main_article.iter())
        {
            let mut cur = Some(c);
            while let Some(i) = cur {
                if protected[i] {
                    break;
                }
                protected[i] = true;
                cur = dom.nodes[i].parent;
            }
        }
        let semantic: Vec<usize> = article_bodies
            .iter()
            .chain(&mains)
            .chain(main_article.iter())
            .copied()
            .collect();
        let mut hard = vec![false; n];
        let mut soft = vec![false; n];
        let mut lead = vec![false; n];
        for (i, name) in dom.elements() {
            if protected[i]
                && !matches!(name, "script" | "style" | "head" | "template" | "noscript")
            {
                continue;
            }
            let hidden = dom.attr(i, "hidden").is_some()
                || dom
                    .attr(i, "aria-hidden")
                    .is_some_and(|v| v.trim() == "true")
                || dom.attr(i, "style").is_some_and(|s| {
                    let s: String = s
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_lowercase();
                    s.contains("display:none") || s.contains("visibility:hidden")
                })
                || dom.attr(i, "role").is_some_and(|r| {
                    HIDDEN_ROLES.contains(&r.trim().to_ascii_lowercase().as_str())
                });
            // An article's own header may hold the lead paragraph.
            if name == "header" && !hidden && semantic.iter().any(|&c| dom.within(i, c)) {
                lead[i] = true;
                continue;
            }
            hard[i] = DROP_TAGS.contains(name) || hidden;
            if !hard[i] && !matches!(name, "html" | "body" | "article" | "main") {
                let mut values: Vec<&str> = dom
                    .attr(i, "class")
                    .map(|c| c.split_whitespace().collect())
                    .unwrap_or_default();
                if let Some(id) = dom.attr(i, "id") {
                    values.push(id);
                }
                let kinds: Vec<ValueKind> = values.iter().map(|v| value_kind(v)).collect();
                soft[i] =
                    kinds.contains(&ValueKind::Boilerplate) && !kinds.contains(&ValueKind::Keep);
            }
        }
        Page {
            dom,
            hard,
            soft,
            lead,
            body: body.unwrap_or(0),
            article_bodies,
            articles,
            main_article,
            nested_articles,
            mains,
        }
    }

    fn dropped(&self, i: usize, strict: bool) -> bool {
        self.hard[i] || (strict && self.soft[i])
    }

    /// Visits the subtree of `root` in document order, skipping dropped
    /// elements (and what `walker` skips) below the root: `open` on entering
    /// an element, `close` after its subtree, `text` for each text node.
    fn walk(&self, root: usize, strict: bool, walker: &mut impl Walker) {
        let dom = self.dom;
        let mut open: Vec<usize> = Vec::new();
        let mut i = root;
        let end = dom.nodes[root].end;
        while i < end {
            while let Some(&node) = open.last() {
                if dom.nodes[node].end > i {
                    break;
                }
                open.pop();
                walker.close(self, node);
            }
            match &dom.nodes[i].kind {
                Kind::Element { name, .. } => {
                    if i != root && (self.dropped(i, strict) || walker.skips(name, strict)) {
                        i = dom.nodes[i].end;
                        continue;
                    }
                    walker.open(self, i, name);
                    open.push(i);
                }
                Kind::Text(t) => walker.text(t),
                Kind::Other => {}
            }
            i += 1;
        }
        while let Some(node) = open.pop() {
            walker.close(self, node);
        }
    }

    /// Paragraph units: (node, link-discounted text length), in document
    /// order of the unit's block.
    fn units(&self, root: usize, strict: bool) -> Vec<(usize, f64)> {
        let mut counter = UnitCounter::default();
        self.walk(root, strict, &mut counter);
        let mut units = counter.units;
        units.sort_by_key(|u| u.0);
        units
    }

    /// Where the article text is: one or more roots in document order.
    pub fn choose_roots(&self) -> Vec<usize> {
        for strict in [true, false] {
            let units = self.units(self.body, strict);
            if units.is_empty() {
                continue;
            }
            let total: f64 = units.iter().map(|u| u.1).sum();
            // Prefix sums over units in document order: the score inside
            // a subtree is one difference.
            let mut prefix = Vec::with_capacity(units.len() + 1);
            prefix.push(0.0);
            for u in &units {
                prefix.push(prefix[prefix.len() - 1] + u.1);
            }
            let cum = |c: usize| -> f64 {
                let from = units.partition_point(|u| u.0 < c);
                let to = units.partition_point(|u| u.0 < self.dom.nodes[c].end);
                prefix[to] - prefix[from]
            };
            let best_of = |cands: &[usize]| -> Option<(usize, f64)> {
                cands
                    .iter()
                    .filter(|&&c| !self.dropped(c, strict))
                    .map(|&c| (c, cum(c)))
                    .fold(None, |best: Option<(usize, f64)>, (c, s)| match best {
                        Some((_, bs)) if bs >= s => best,
                        _ => Some((c, s)),
                    })
            };
            if let Some((c, s)) = best_of(&self.article_bodies) {
                if s >= 50.0 && s >= 0.3 * total {
                    return vec![c];
                }
            }
            for cands in [&self.articles, &self.mains] {
                if let Some((c, s)) = best_of(cands) {
                    if s >= 50.0 && s >= 0.5 * total {
                        return vec![c];
                    }
                }
            }
            // Density: each unit scores for its container (the block itself,
            // or a paragraph's parent) and half for the container's parent.
            let mut score: HashMap<usize, f64> = HashMap::new();
            for &(u, s) in &units {
                let is_para = self
                    .dom
                    .name(u)
                    .is_some_and(|n| PARAGRAPH_TAGS.contains(&n));
                let container = if is_para {
                    self.dom.nodes[u].parent.unwrap_or(u)
                } else {
                    u
                };
                *score.entry(container).or_default() += s;
                if let Some(p) = self.dom.nodes[container].parent {
                    *score.entry(p).or_default() += s / 2.0;
                }
            }
            let Some((&best, &best_score)) = score
                .iter()
                .filter(|(&c, _)| self.dom.within(c, self.body))
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            else {
                continue;
            };
            let mut roots = vec![best];
            if let Some(parent) = self.dom.nodes[best].parent {
                if best != self.body {
                    let mut child = parent + 1;
                    let end = self.dom.nodes[parent].end;
                    while child < end {
                        if child != best
                            && score.get(&child).copied().unwrap_or(0.0) >= 0.3 * best_score
                        {
                            roots.push(child);
                        }
                        child = self.dom.nodes[child].end;
                    }
                }
            }
            roots.sort_unstable();
            return roots;
        }
        vec![self.body]
    }

    /// The text under the roots, one paragraph per block, blank lines
    /// between paragraphs.
    pub fn render(&self, roots: &[usize], strict: bool) -> String {
        let mut r = Renderer::default();
        for &root in roots {
            self.render_one(root, strict, &mut r);
            r.flush();
        }
        r.paragraphs.dedup();
        r.paragraphs.join("\n\n")
    }

    fn render_one(&self, root: usize, strict: bool, r: &mut Renderer) {
        self.walk(root, strict, r);
    }
}

/// What a walk over the page does at each node.
trait Walker {
    /// Whether to leave out an element's subtree beyond the dropped ones.
    fn skips(&self, _name: &str, _strict: bool) -> bool {
        false
    }
    fn open(&mut self, page: &Page, node: usize, name: &str);
    fn close(&mut self, page: &Page, node: usize);
    fn text(&mut self, t: &str);
}

/// Counts text per block, and link text, for the density units.
#[derive(Default)]
struct UnitCounter {
    units: Vec<(usize, f64)>,
    /// Open blocks: (node, text chars, link chars).
    blocks: Vec<(usize, usize, usize)>,
    links: usize,
}

impl Walker for UnitCounter {
    fn open(&mut self, _page: &Page, node: usize, name: &str) {
        if name == "a" {
            self.links += 1;
        }
        if is_block(name) {
            self.blocks.push((node, 0, 0));
        }
    }

    fn close(&mut self, page: &Page, node: usize) {
        let name = page.dom.name(node).unwrap_or_default();
        if name == "a" {
            self.links -= 1;
        }
        if self.blocks.last().is_some_and(|b| b.0 == node) {
            let (_, chars, link_chars) = self.blocks.pop().unwrap_or_default();
            if chars >= MIN_UNIT_CHARS && !HEADING_TAGS.contains(&name) {
                let share = link_chars as f64 / chars as f64;
                self.units.push((node, chars as f64 * (1.0 - share)));
            }
        }
    }

    fn text(&mut self, t: &str) {
        let chars = t.chars().filter(|c| !c.is_whitespace()).count();
        let links = self.links;
        if let Some(block) = self.blocks.last_mut() {
            block.1 += chars;
            if links > 0 {
                block.2 += chars;
            }
        }
    }
}

impl Walker for Renderer {
    fn skips(&self, name: &str, strict: bool) -> bool {
        strict && name == "form"
    }

    fn open(&mut self, page: &Page, node: usize, name: &str) {
        if name == "br" || is_block(name) {
            self.flush();
        }
        if name == "a" {
            self.links += 1;
        }
        if page.lead[node] {
            self.lead += 1;
        }
    }

    fn close(&mut self, page: &Page, node: usize) {
        let name = page.dom.name(node).unwrap_or_default();
        if is_block(name) {
            self.flush();
        }
        if name == "a" {
            self.links -= 1;
        }
        if page.lead[node] {
            self.lead -= 1;
        }
    }

    fn text(&mut self, t: &str) {
        Renderer::text(self, t);
    }
}

#[derive(Default)]
struct Renderer {
    paragraphs: Vec<String>,
    cur: String,
    chars: usize,
    link_chars: usize,
    links: usize,
    /// Depth inside article headers, where only a lead counts.
    lead: usize,
    space: bool,
}

impl Renderer {
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.space = !self.cur.is_empty();
                continue;
            }
            if c.is_control() || c == '\u{200B}' || c == '\u{FEFF}' {
                continue;
            }
            if self.space {
                self.cur.push(' ');
                self.space = false;
            }
            self.cur.push(c);
            self.chars += 1;
            if self.links > 0 {
                self.link_chars += 1;
            }
        }
    }

    fn flush(&mut self) {
        if self.chars > 0 {
            let link_list = self.link_chars as f64 > MAX_LINK_SHARE * self.chars as f64;
            let header_bits = self.lead > 0 && self.chars < MIN_LEAD_CHARS;
            if !link_list && !header_bits {
                self.paragraphs.push(std::mem::take(&mut self.cur));
            }
        }
        self.cur.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_tokens() {
        assert_eq!(
            tokens("shareButtons article-body_x"),
            ["share", "buttons", "article", "body", "x"]
        );
        assert!(value_kind("comments") == ValueKind::Boilerplate);
        assert!(value_kind("comment-body") == ValueKind::Keep);
        assert!(value_kind("entry-meta") == ValueKind::Boilerplate);
        assert!(value_kind("article-body") == ValueKind::Keep);
        assert!(value_kind("headline") == ValueKind::Neutral);
        assert!(value_kind("ad-slot") == ValueKind::Boilerplate);
        assert!(value_kind("shadow") == ValueKind::Neutral);
    }
}
