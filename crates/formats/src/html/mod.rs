//! HTML pages: the article text without boilerplate, and the title, date,
//! URL and language the page states.
//!
//! The page is parsed leniently (html5ever) into a flat tree. Boilerplate
//! elements are dropped: tags that never hold article text
//! (`data/drop_tags.txt`), hidden elements, navigation roles, and elements
//! whose class / id name boilerplate (`data/boilerplate_words.txt`). The
//! text then comes from `[itemprop=articleBody]`, `<article>` or `<main>`
//! when those hold most of the page's paragraph text, else from the
//! container with the densest paragraph text and its strong siblings.

mod meta;
mod page;

use kroniek_model::PartialDate;
use scraper::Html;

use crate::decode::{decode_with, html_declared_charset};
use crate::{check_text, dates, Format, RawDoc, Record, RecordError};
use meta::Meta;
use page::{collapse, is_block, Dom, Page};

/// What an HTML page yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: Option<String>,
    pub text: String,
    pub date: Option<PartialDate>,
    pub date_evidence: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

/// Reads an HTML file's bytes into its document.
pub fn parse_file(source: &str, name: &str, bytes: &[u8]) -> Record {
    let html = decode_html(bytes, None);
    let mut ex = extract(&html).map_err(|reason| RecordError::new(source, reason))?;
    check_text(source, &ex.text)?;
    if ex.date.is_none() {
        if let Some((d, ev)) = dates::path_date(name) {
            ex.date = Some(d);
            ex.date_evidence = Some(ev);
        }
    }
    Ok(to_raw(source, Format::Html, ex))
}

/// Builds the raw document.
pub fn to_raw(source: &str, format: Format, ex: Extracted) -> RawDoc {
    RawDoc {
        source: source.to_string(),
        format,
        title: ex.title,
        text: ex.text,
        date: ex.date,
        date_evidence: ex.date_evidence,
        url: ex.url,
        lang: ex.lang,
        external_id: None,
    }
}

/// Decodes HTML bytes: byte-order mark, then the charset given from outside
/// (HTTP), then the one the page declares, then UTF-8 / Windows-1252.
pub fn decode_html(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> String {
    decode_with(bytes, declared.or_else(|| html_declared_charset(bytes)))
}

/// Extracts the article from a page; `Err` says why there is none.
pub fn extract(html: &str) -> Result<Extracted, String> {
    if too_deep(html) {
        // The HTML parser is slow on absurdly deep nesting; such a page
        // only gets its text, tags stripped.
        let text = flat_text(html);
        if text.is_empty() {
            return Err("no article text found".into());
        }
        return Ok(Extracted {
            text,
            ..Extracted::default()
        });
    }
    let doc = Html::parse_document(html);
    let dom = Dom::from_html(&doc);
    drop(doc);
    let meta = Meta::collect(&dom);
    let page = Page::new(&dom);
    let roots = page.choose_roots();

    let mut text = String::new();
    for (roots, strict) in [
        (roots.clone(), true),
        (vec![page.body], true),
        (vec![page.body], false),
    ] {
        text = page.render(&roots, strict);
        if !text.is_empty() {
            break;
        }
    }
    if text.is_empty() {
        return Err("no article text found".into());
    }

    let title = meta.title(&dom, &page);
    if let Some(t) = &title {
        text = drop_title_paragraph(&text, t);
        if text.is_empty() {
            return Err("no article text found".into());
        }
    }
    let (date, date_evidence) = match meta.date(&dom, &page, &roots) {
        Some((d, ev)) => (Some(d), Some(ev)),
        None => (None, None),
    };
    Ok(Extracted {
        title,
        text,
        date,
        date_evidence,
        url: meta.url(),
        lang: meta.lang(),
    })
}

/// The text of an HTML fragment (a feed item's content), paragraphs kept.
/// Text without markup keeps its own line structure.
pub fn fragment_to_text(fragment: &str) -> String {
    if !fragment.contains('<') {
        let normalised = crate::text::normalise(fragment);
        let lines: Vec<String> = normalised
            .lines()
            .map(|l| {
                if l.contains('&') {
                    // Entities (&eacute; &nbsp; ...) decoded the HTML way.
                    let doc = Html::parse_fragment(l);
                    let dom = Dom::from_html(&doc);
                    collapse(&dom.text_of(0))
                } else {
                    collapse(l)
                }
            })
            .collect();
        return crate::text::join_paragraphs(&lines);
    }
    let doc = Html::parse_fragment(fragment);
    let dom = Dom::from_html(&doc);
    drop(doc);
    let page = Page::new(&dom);
    let text = page.render(&[0], true);
    if text.is_empty() {
        page.render(&[0], false)
    } else {
        text
    }
}

/// Deepest element nesting handed to the HTML parser.
const MAX_NESTING: usize = 3000;

/// Elements that never nest (void) or close themselves implicitly.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option",
];

/// Whether tags nest deeper than [`MAX_NESTING`] somewhere (estimated by
/// counting opening and closing tags).
fn too_deep(html: &str) -> bool {
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_part = rest.strip_prefix('/').unwrap_or(rest);
        let len = name_part
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name_part.len());
        if len == 0 {
            continue;
        }
        let name = name_part[..len].to_ascii_lowercase();
        if NON_NESTING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
            if !self_closing {
                depth += 1;
                if depth > MAX_NESTING {
                    return true;
                }
            }
        }
    }
    false
}

/// Text of a page by stripping tags in one pass: scripts, styles and
/// comments dropped, block tags breaking paragraphs.
fn flat_text(html: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            cur.push_str(rest);
            break;
        };
        cur.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |e| {
                let after = &rest[e..];
                after.find('>').map_or("", |g| &after[g + 1..])
            });
            continue;
        }
        if is_block(&name) || name == "br" {
            lines.push(std::mem::take(&mut cur));
        }
    }
    lines.push(cur);
    let paragraphs: Vec<String> = lines
        .iter()
        .map(|l| collapse(&decode_entities(l)))
        .filter(|l| !l.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// Decodes the common named and all numeric character references.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = match end {
            Some(e) if rest[e..].starts_with(';') => {
                let name = &rest[1..e];
                let c = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => name.strip_prefix('#').and_then(|num| {
                        let code = match num.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => num.parse().ok(),
                        };
                        code.and_then(char::from_u32)
                    }),
                };
                c.map(|c| (c, e + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes a leading paragraph that repeats the title.
fn drop_title_paragraph(text: &str, title: &str) -> String {
    let key = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let title_key = key(title);
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let mut out: Vec<&str> = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.iter().enumerate() {
        if i < 3 && out.is_empty() && key(p) == title_key {
            continue;
        }
        out.push(p);
    }
    out.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_falls_back_to_flat_text() {
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(MAX_NESTING + 10));
        page.push_str("<p>Diep &amp; genest.<script>x()</script></p><p>Tweede&#233;</p>");
        page.push_str(&"</div>".repeat(MAX_NESTING + 10));
        assert!(too_deep(&page));
        let ex = extract(&page).unwrap();
        assert_eq!(ex.text, "Diep & genest.\n\nTweede\u{e9}");
        assert!(!too_deep(
            "<p>a<p>b<br><img src=x><div><span>x</span></div>"
        ));
    }

    #[test]
    fn fragments() {
        assert_eq!(
            fragment_to_text(
                "<p>Een <b>vette</b> zin.</p><p>Tweede&nbsp;alinea.</p><script>x()</script>"
            ),
            "Een vette zin.\n\nTweede alinea."
        );
        assert_eq!(
            fragment_to_text("Plain &amp; simple\n\nSecond"),
            "Plain & simple\n\nSecond"
        );
    }
}
