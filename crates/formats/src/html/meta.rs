//! What a page says about itself: title, date, URL, language.

use kroniek_model::PartialDate;
use serde_json::Value;

use super::page::{collapse, Dom, Kind, Page};
use crate::data::{DateSource, DATE_SOURCES, TITLE_SEPARATORS};
use crate::{dates, normalize_lang};

/// Metadata gathered from a page in one pass.
pub(super) struct Meta {
    /// (lowercased key, content) of `<meta>` tags and itemprop elements.
    metas: Vec<(String, String)>,
    title_tag: Option<String>,
    canonical: Option<String>,
    html_lang: Option<String>,
    json_ld: Vec<Value>,
    h1s: Vec<usize>,
    times: Vec<usize>,
}

impl Meta {
    pub fn collect(dom: &Dom) -> Meta {
        let mut m = Meta {
            metas: Vec::new(),
            title_tag: None,
            canonical: None,
            html_lang: None,
            json_ld: Vec::new(),
            h1s: Vec::new(),
            times: Vec::new(),
        };
        for (i, name) in dom.elements() {
            match name {
                "html" if m.html_lang.is_none() => {
                    m.html_lang = dom
                        .attr(i, "lang")
                        .or_else(|| dom.attr(i, "xml:lang"))
                        .map(str::to_string);
                }
                "title" if m.title_tag.is_none() => {
                    let t = dom.text_of(i);
                    if !t.is_empty() {
                        m.title_tag = Some(t);
                    }
                }
                "meta" => {
                    if let Some(content) = dom.attr(i, "content") {
                        for key in ["property", "name", "itemprop", "http-equiv"] {
                            if let Some(k) = dom.attr(i, key) {
                                m.metas
                                    .push((k.trim().to_lowercase(), content.trim().to_string()));
                            }
                        }
                    }
                }
                "link" => {
                    let rel = dom.attr(i, "rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && m.canonical.is_none() {
                        m.canonical = dom.attr(i, "href").map(|h| h.trim().to_string());
                    }
                }
                "script" => {
                    let ty = dom
                        .attr(i, "type")
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase();
                    if ty == "application/ld+json" {
                        let mut raw = String::new();
                        for n in &dom.nodes[i..dom.nodes[i].end] {
                            if let Kind::Text(t) = &n.kind {
                                raw.push_str(t);
                            }
                        }
                        m.json_ld.extend(parse_json_ld(&raw));
                    }
                }
                "h1" => m.h1s.push(i),
                "time" => m.times.push(i),
                _ => {}
            }
            // Microdata on other elements: <time itemprop="datePublished" datetime="...">.
            if name != "meta" {
                if let Some(prop) = dom.attr(i, "itemprop") {
                    if let Some(v) = dom.attr(i, "datetime").or_else(|| dom.attr(i, "content")) {
                        m.metas
                            .push((prop.trim().to_lowercase(), v.trim().to_string()));
                    }
                }
            }
        }
        m
    }

    fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    pub fn title(&self, dom: &Dom, page: &Page) -> Option<String> {
        let site = self.meta("og:site_name").map(collapse);
        if let Some(t) = self.meta("og:title").or_else(|| self.meta("twitter:title")) {
            let t = clean_title(&collapse(t), site.as_deref(), false);
            if !t.is_empty() {
                return Some(t);
            }
        }
        for obj in json_ld_objects(&self.json_ld) {
            if is_article_type(obj) {
                if let Some(Value::String(h)) = obj.get("headline") {
                    let h = collapse(h);
                    if !h.is_empty() {
                        return Some(h);
                    }
                }
            }
        }
        let in_article = |h: usize| {
            page.main_article
                .iter()
                .chain(&page.mains)
                .chain(&page.article_bodies)
                .any(|&a| dom.within(h, a))
        };
        let in_chrome = |h: usize| {
            let mut cur = dom.nodes[h].parent;
            while let Some(p) = cur {
                if matches!(dom.name(p), Some("header" | "nav" | "footer" | "aside")) {
                    return true;
                }
                cur = dom.nodes[p].parent;
            }
            false
        };
        let h1 = self
            .h1s
            .iter()
            .find(|&&h| in_article(h))
            .or_else(|| self.h1s.iter().find(|&&h| !in_chrome(h)))
            .map(|&h| dom.text_of(h))
            .filter(|t| !t.is_empty());
        if h1.is_some() {
            return h1;
        }
        self.title_tag
            .as_deref()
            .map(|t| clean_title(t, site.as_deref(), true))
            .filter(|t| !t.is_empty())
    }

    pub fn date(&self, dom: &Dom, page: &Page, roots: &[usize]) -> Option<(PartialDate, String)> {
        for src in DATE_SOURCES.iter() {
            match src {
                DateSource::Meta(key) => {
                    for (k, v) in &self.metas {
                        if k == key {
                            if let Some(d) = dates::parse_date_loose(v) {
                                return Some((d, format!("meta {key}")));
                            }
                        }
                    }
                }
                DateSource::JsonLd => {
                    if let Some(found) = self.json_ld_date() {
                        return Some(found);
                    }
                }
                DateSource::Time => {
                    let scopes: Vec<usize> = page
                        .article_bodies
                        .iter()
                        .chain(page.main_article.iter())
                        .chain(roots)
                        .copied()
                        .filter(|&s| s != page.body)
                        .collect();
                    // In the article, but not in a teaser article inside it.
                    let in_scope = |t: usize| {
                        scopes.iter().any(|&s| {
                            dom.within(t, s)
                                && !page
                                    .nested_articles
                                    .iter()
                                    .any(|&a| a != s && dom.within(a, s) && dom.within(t, a))
                        })
                    };
                    let mut times: Vec<usize> = self
                        .times
                        .iter()
                        .copied()
                        .filter(|&t| in_scope(t))
                        .collect();
                    // `pubdate` ones first.
                    times.sort_by_key(|&t| dom.attr(t, "pubdate").is_none());
                    for t in times {
                        if let Some(d) = dom.attr(t, "datetime").and_then(dates::parse_date_loose) {
                            return Some((d, "time datetime in the article".into()));
                        }
                    }
                }
            }
        }
        None
    }

    fn json_ld_date(&self) -> Option<(PartialDate, String)> {
        let objects: Vec<&serde_json::Map<String, Value>> = json_ld_objects(&self.json_ld);
        let ordered = objects
            .iter()
            .filter(|o| is_article_type(o))
            .chain(objects.iter().filter(|o| !is_article_type(o)));
        for key in ["datePublished", "dateCreated"] {
            for obj in ordered.clone() {
                let value = match obj.get(key) {
                    Some(Value::String(s)) => Some(s.as_str()),
                    Some(Value::Array(a)) => a.iter().find_map(Value::as_str),
                    _ => None,
                };
                if let Some(d) = value.and_then(dates::parse_date_loose) {
                    return Some((d, format!("JSON-LD {key}")));
                }
            }
        }
        None
    }

    pub fn url(&self) -> Option<String> {
        let ok = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        self.canonical
            .as_deref()
            .filter(|u| ok(u))
            .or_else(|| self.meta("og:url").filter(|u| ok(u)))
            .map(str::to_string)
    }

    pub fn lang(&self) -> Option<String> {
        let json_ld_lang = || {
            json_ld_objects(&self.json_ld).into_iter().find_map(|o| {
                o.get("inLanguage")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
        };
        self.html_lang
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| self.meta("content-language").map(str::to_string))
            .or_else(|| self.meta("og:locale").map(str::to_string))
            .or_else(json_ld_lang)
            .and_then(|l| normalize_lang(&l))
    }
}

/// Parses the content of a JSON-LD script: one value, or several in a row;
/// HTML comment and CDATA wrappers are ignored.
fn parse_json_ld(raw: &str) -> Vec<Value> {
    let mut s = raw.trim();
    for prefix in ["<!--", "//<![CDATA[", "<![CDATA["] {
        s = s.strip_prefix(prefix).unwrap_or(s).trim();
    }
    for suffix in ["-->", "//]]>", "]]>"] {
        s = s.strip_suffix(suffix).unwrap_or(s).trim();
    }
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(s).into_iter::<Value>() {
        match v {
            Ok(v) => out.push(v),
            Err(_) => break,
        }
    }
    out
}

/// Every object in JSON-LD values, through arrays and `@graph` (and any
/// other nesting), in document order.
fn json_ld_objects(values: &[Value]) -> Vec<&serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                out.push(o);
                for child in o.values().rev() {
                    if child.is_object() || child.is_array() {
                        stack.push(child);
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
    out
}

/// Whether a JSON-LD object is an article of some kind.
fn is_article_type(obj: &serde_json::Map<String, Value>) -> bool {
    let is_article = |t: &str| {
        let t = t.rsplit(['/', ':']).next().unwrap_or(t);
        t.ends_with("Article")
            || matches!(
                t,
                "BlogPosting" | "LiveBlogPosting" | "Report" | "SocialMediaPosting"
            )
    };
    match obj.get("@type") {
        Some(Value::String(t)) => is_article(t),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is_article),
        _ => false,
    }
}

/// A page title without the site name: the known site name is cut from
/// either end; otherwise (`generic`) a short last part after a separator
/// (`Storm raast over Nederland | NOS`) goes.
fn clean_title(title: &str, site: Option<&str>, generic: bool) -> String {
    let title = collapse(title);
    if let Some(site) = site.filter(|s| !s.is_empty()) {
        for sep in TITLE_SEPARATORS.iter() {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                return rest.trim().to_string();
            }
            if let Some(rest) = title.strip_prefix(&format!("{site}{sep}")) {
                return rest.trim().to_string();
            }
        }
    }
    let seps: Vec<&String> = if generic {
        TITLE_SEPARATORS.iter().collect()
    } else {
        TITLE_SEPARATORS
            .iter()
            .filter(|s| s.trim() == "|")
            .collect()
    };
    let last = seps
        .iter()
        .filter_map(|sep| title.rfind(sep.as_str()).map(|at| (at, sep.len())))
        .max_by_key(|&(at, _)| at);
    if let Some((at, len)) = last {
        let (head, tail) = (&title[..at], &title[at + len..]);
        let words = |s: &str| s.split_whitespace().count();
        if words(tail) <= 4 && words(head) >= 2 && tail.len() < head.len() {
            return head.trim().to_string();
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            clean_title("Storm raast over Nederland | NOS", None, true),
            "Storm raast over Nederland"
        );
        assert_eq!(
            clean_title("Storm raast - Het Parool", Some("Het Parool"), false),
            "Storm raast"
        );
        assert_eq!(clean_title("NOS: Storm", Some("NOS"), false), "NOS: Storm");
        assert_eq!(clean_title("Trump - Kim", None, true), "Trump - Kim");
        assert_eq!(
            clean_title("Kabinet valt - Politiek | NU.nl", None, false),
            "Kabinet valt - Politiek"
        );
    }

    #[test]
    fn json_ld_graph_and_lists() {
        let v = parse_json_ld(
            r#"<!-- [{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":["NewsArticle"],"datePublished":"2019-03-05T08:00:00+01:00","headline":"Kop"}]}] -->"#,
        );
        let m = Meta {
            metas: vec![],
            title_tag: None,
            canonical: None,
            html_lang: None,
            json_ld: v,
            h1s: vec![],
            times: vec![],
        };
        let (d, ev) = m.json_ld_date().unwrap();
        assert_eq!(d.to_string(), "2019-03-05");
        assert_eq!(ev, "JSON-LD datePublished");
    }
}
