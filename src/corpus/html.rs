//! Scraped web pages.
//!
//! - Title: `og:title`, else `<title>`, else the first `<h1>`; a trailing
//!   ` - Site`, ` | Site` (also `—`, `–`, `·`) is removed when `Site` is the
//!   page's `og:site_name`.
//! - Date: the first of the meta tags `article:published_time`,
//!   `og:published_time`, `date`, `pubdate`, `publishdate`, `dc.date`,
//!   `dcterms.date`, `itemprop="datePublished"`; else the `datetime` of a
//!   `<time>` in the article (one marked `pubdate` first); else JSON-LD
//!   `datePublished`.
//! - Source: `og:site_name`. Address: `<link rel="canonical">`, else
//!   `og:url`.
//! - Body: the `<p>` paragraphs of the article, in order, separated by a
//!   blank line. The article is the `<article>` (or `itemprop="articleBody"`
//!   element) with the most paragraph text, else `<main>` (or
//!   `role="main"`), else the whole page. Paragraphs inside `nav`,
//!   `header`, `footer`, `aside`, `form`, `figure` and `noscript` are not
//!   article text, and neither are short paragraphs (under 40 words) that
//!   read like page furniture: cookie and privacy notices, newsletter and
//!   subscription prompts, sharing and sign-in links, copyright lines,
//!   `Advertisement`.
//!
//! A page with no article paragraphs is reported as empty.

use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use super::dates::parse_metadata_date;
use super::{FileContents, ProblemKind, Source, collapse_whitespace, dateline, non_blank};

mod stream;

/// Pages larger than this are read without a DOM ([`stream`]): the DOM of
/// a 200 MB page took 1.3 GB.
const STREAM_OVER: usize = 16 << 20;

const DATE_META: [&str; 10] = [
    "article:published_time",
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "datepublished",
    "article.published",
];

/// Elements whose paragraphs are not article text.
const NOT_TEXT: [&str; 9] = [
    "nav", "header", "footer", "aside", "form", "figure", "noscript", "script", "style",
];

/// Phrases of page furniture, matched in lowercase in short paragraphs.
const BOILERPLATE: [&str; 20] = [
    "cookie",
    "subscribe",
    "newsletter",
    "sign up",
    "sign in",
    "log in",
    "all rights reserved",
    "©",
    "copyright",
    "javascript",
    "advertisement",
    "share this",
    "follow us",
    "privacy policy",
    "terms of use",
    "terms of service",
    "click here",
    "read more",
    "your browser",
    "ad blocker",
];

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

/// Reads a web page from text it is given to keep: a huge one is read
/// without a DOM, its body written over its text.
pub(super) fn read_owned(source: &Source<'_>, text: String) -> FileContents {
    if text.len() > STREAM_OVER {
        stream::read(source, text)
    } else {
        read(source, &text)
    }
}

/// Reads a web page.
pub(super) fn read(source: &Source<'_>, text: &str) -> FileContents {
    let mut out = FileContents::default();
    let document = Html::parse_document(text);
    let meta = Meta::of(&document);
    let site = meta.get(&["og:site_name"]);
    let container = article_container(&document);
    let mut paragraphs = match container {
        Some(element) => paragraphs_in(element),
        None => Vec::new(),
    };
    if paragraphs.is_empty() {
        out.problems
            .push(source.problem(None, ProblemKind::Empty, "no article text"));
        return out;
    }
    let mut article = source.article(source.id.clone(), None);
    let title = meta
        .get(&["og:title"])
        .or_else(|| first_text(&document, "title"))
        .or_else(|| first_text(&document, "h1"));
    article.title = title.map(|title| strip_site_suffix(&title, site.as_deref()));
    article.source = site;
    article.url = selector("link[rel=canonical]")
        .and_then(|s| {
            document
                .select(&s)
                .find_map(|link| link.attr("href").and_then(non_blank))
        })
        .or_else(|| meta.get(&["og:url"]));
    let date = meta
        .get(&DATE_META)
        .or_else(|| container.and_then(time_in))
        .or_else(|| json_ld_date(&document));
    if let Some(raw) = date {
        article.published = parse_metadata_date(&raw);
        article.published_raw = Some(raw);
    }
    if paragraphs.len() > 1
        && let Some(place) = dateline::standalone(&paragraphs[0])
    {
        article.dateline = Some(place.to_string());
        paragraphs.remove(0);
    } else {
        article.dateline = dateline::leading(&paragraphs[0]).map(str::to_string);
    }
    article.body = paragraphs.join("\n\n");
    out.articles.push(article);
    out
}

/// The page's `<meta>` values by lowercased `property`, `name` or `itemprop`.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn of(document: &Html) -> Meta {
        let mut pairs = Vec::new();
        if let Some(meta) = selector("meta") {
            for element in document.select(&meta) {
                let Some(content) = element.attr("content").and_then(non_blank) else {
                    continue;
                };
                for attribute in ["property", "name", "itemprop"] {
                    if let Some(key) = element.attr(attribute) {
                        pairs.push((key.trim().to_ascii_lowercase(), content.clone()));
                    }
                }
            }
        }
        Meta(pairs)
    }

    /// The first value among the keys, in the keys' order of preference.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.0
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        })
    }
}

fn first_text(document: &Html, css: &str) -> Option<String> {
    let selector = selector(css)?;
    document
        .select(&selector)
        .find_map(|element| non_blank(&element.text().collect::<String>()))
}

fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = collapse_whitespace(title);
    let Some(site) = site else { return title };
    let lower = title.to_lowercase();
    let site = site.to_lowercase();
    for separator in [" - ", " | ", " — ", " – ", " · ", " :: "] {
        let suffix = format!("{separator}{site}");
        if lower.ends_with(&suffix)
            && lower.len() == title.len()
            && let Some(kept) = title.get(..title.len() - suffix.len())
            && !kept.trim_end().is_empty()
        {
            return kept.trim_end().to_string();
        }
    }
    title
}

/// Chooses the element holding the article text.
fn article_container(document: &Html) -> Option<ElementRef<'_>> {
    let articles = selector("article, [itemprop=articleBody]")?;
    let best = document
        .select(&articles)
        .map(|element| {
            (
                paragraphs_in(element)
                    .iter()
                    .map(String::len)
                    .sum::<usize>(),
                element,
            )
        })
        .filter(|(length, _)| *length > 0)
        .max_by_key(|(length, _)| *length)
        .map(|(_, element)| element);
    if best.is_some() {
        return best;
    }
    let main = selector("main, [role=main]")?;
    if let Some(element) = document
        .select(&main)
        .find(|element| !paragraphs_in(*element).is_empty())
    {
        return Some(element);
    }
    Some(document.root_element())
}

/// The article paragraphs inside a container, boilerplate dropped.
fn paragraphs_in(container: ElementRef<'_>) -> Vec<String> {
    let Some(p) = selector("p") else {
        return Vec::new();
    };
    container
        .select(&p)
        .filter(|paragraph| !inside_non_text(*paragraph, container))
        .map(paragraph_text)
        .filter(|text| !text.is_empty() && !is_boilerplate(text))
        .collect()
}

/// Says whether the element sits in navigation, header, footer and the like
/// (between it and the container).
fn inside_non_text(element: ElementRef<'_>, container: ElementRef<'_>) -> bool {
    for ancestor in element.ancestors() {
        if ancestor.id() == container.id() {
            return false;
        }
        if let Some(parent) = ElementRef::wrap(ancestor)
            && NOT_TEXT.contains(&parent.value().name())
        {
            return true;
        }
    }
    false
}

/// The text of a paragraph, without scripts and with `<br>` as a space.
fn paragraph_text(paragraph: ElementRef<'_>) -> String {
    let mut text = String::new();
    for node in paragraph.descendants() {
        match node.value() {
            Node::Text(part) => {
                let hidden = node
                    .ancestors()
                    .take_while(|a| a.id() != paragraph.id())
                    .any(|a| {
                        ElementRef::wrap(a).is_some_and(|e| {
                            matches!(e.value().name(), "script" | "style" | "noscript")
                        })
                    });
                if !hidden {
                    text.push_str(part);
                }
            }
            Node::Element(element) if element.name() == "br" => text.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

fn is_boilerplate(text: &str) -> bool {
    if text.split_whitespace().nth(40).is_some() {
        return false;
    }
    let lower = text.to_lowercase();
    BOILERPLATE.iter().any(|phrase| lower.contains(phrase))
}

/// The `datetime` of a `<time>` in the article, preferring one marked
/// `pubdate`.
fn time_in(container: ElementRef<'_>) -> Option<String> {
    let marked = selector("time[pubdate][datetime]")?;
    let any = selector("time[datetime]")?;
    container
        .select(&marked)
        .chain(container.select(&any))
        .find_map(|time| time.attr("datetime").and_then(non_blank))
}

fn json_ld_date(document: &Html) -> Option<String> {
    let scripts = selector("script[type=\"application/ld+json\"]")?;
    document.select(&scripts).find_map(|script| {
        let value: Value = serde_json::from_str(&script.text().collect::<String>()).ok()?;
        find_key(&value, "datePublished")
    })
}

/// Finds a string under the key anywhere in the JSON (serde_json's
/// recursion limit already bounds the depth).
fn find_key(value: &Value, key: &str) -> Option<String> {
    match value {
        Value::Object(object) => object
            .get(key)
            .and_then(Value::as_str)
            .and_then(non_blank)
            .or_else(|| object.values().find_map(|inner| find_key(inner, key))),
        Value::Array(items) => items.iter().find_map(|inner| find_key(inner, key)),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::Path;

    use super::*;

    fn read_html(text: &str) -> FileContents {
        read(
            &Source {
                path: Path::new("web/p.html"),
                id: "web/p.html".to_string(),
            },
            text,
        )
    }

    /// Every page these tests read, for the reader without a DOM to match.
    pub(super) const PAGES: [&str; 11] = [
        PAGE,
        OG_TITLE,
        H1_TITLE,
        NO_CONTAINER,
        TWO_ARTICLES,
        TIME_DATE,
        LD_DATE,
        NO_PARAGRAPHS,
        r#"<html><body><div><time datetime="2024-01-02">x</time><time pubdate datetime="2024-01-03">y</time><p>Root text.</p></div></body></html>"#,
        "<html><body><main><p>Main one.</p></main><main><p>Main two.</p></main><p>Outside.</p></body></html>",
        "<html><body><div itemprop=\"articleBody\"><p/>NAIROBI</p><p>Rain fell &amp; fell.<p>Unclosed <i>second</i><div>breaks</div><p>Third &#x1F600; <noscript><p>hidden</p></noscript>end.</p></div></body></html>",
    ];
    const OG_TITLE: &str = r#"<html><head><meta property="og:title" content="From OG"><title>From title</title></head><body><p>Text.</p></body></html>"#;
    const H1_TITLE: &str = "<html><body><h1>Only heading</h1><p>Text.</p></body></html>";
    const NO_CONTAINER: &str = "<html><body><nav><p>Menu item one two</p></nav><div><p>First.</p><p>Second.</p></div></body></html>";
    const TWO_ARTICLES: &str = "<html><body><article><p>Teaser.</p></article><article><p>The real story is longer.</p></article></body></html>";
    const TIME_DATE: &str = r#"<html><body><article><time datetime="2024-03-05T10:00:00Z">today</time><p>Text.</p></article></body></html>"#;
    const LD_DATE: &str = r#"<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2024-03-06"}]}</script></head><body><p>Text.</p></body></html>"#;
    const NO_PARAGRAPHS: &str = "<html><head><title>Gallery</title></head><body><img src=a.jpg><p>Subscribe now</p></body></html>";

    const PAGE: &str = r#"<!doctype html><html><head>
<title>Bridge reopens after repairs | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2023-11-02T23:30:00-05:00">
<link rel="canonical" href="https://harbour.example/bridge">
</head><body>
<header><p>Subscribe to our newsletter today</p></header>
<nav><p>Home News Sport Weather and more links here</p></nav>
<article>
  <h1>Bridge reopens</h1>
  <p>OSLO, May 2 (Reuters) - The old bridge reopened on <b>Tuesday</b><br>after repairs.</p>
  <p>Drivers cheered.<script>var x = 1;</script></p>
  <p>Advertisement</p>
  <aside><p>Related: other bridges in the region</p></aside>
</article>
<footer><p>© 2023 Harbour Times. All rights reserved.</p></footer>
<p>We use cookies to improve your experience.</p>
</body></html>"#;

    #[test]
    fn a_page_gives_title_date_source_url_and_paragraphs() {
        let out = read_html(PAGE);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Bridge reopens after repairs"));
        assert_eq!(a.source.as_deref(), Some("Harbour Times"));
        assert_eq!(a.url.as_deref(), Some("https://harbour.example/bridge"));
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(a.dateline.as_deref(), Some("OSLO"));
        assert_eq!(
            a.body,
            "OSLO, May 2 (Reuters) - The old bridge reopened on Tuesday after repairs.\n\nDrivers cheered."
        );
    }

    #[test]
    fn og_title_wins_and_h1_is_the_last_resort() {
        let out = read_html(OG_TITLE);
        assert_eq!(out.articles[0].title.as_deref(), Some("From OG"));
        let out = read_html(H1_TITLE);
        assert_eq!(out.articles[0].title.as_deref(), Some("Only heading"));
    }

    #[test]
    fn without_article_or_main_all_paragraphs_outside_furniture_are_the_body() {
        let out = read_html(NO_CONTAINER);
        assert_eq!(out.articles[0].body, "First.\n\nSecond.");
    }

    #[test]
    fn the_largest_article_element_is_the_article() {
        let out = read_html(TWO_ARTICLES);
        assert_eq!(out.articles[0].body, "The real story is longer.");
    }

    #[test]
    fn dates_come_from_time_elements_or_json_ld() {
        let out = read_html(TIME_DATE);
        assert_eq!(
            out.articles[0].published_raw.as_deref(),
            Some("2024-03-05T10:00:00Z")
        );
        let out = read_html(LD_DATE);
        assert_eq!(
            out.articles[0].published.map(|d| d.to_string()).as_deref(),
            Some("2024-03-06")
        );
    }

    #[test]
    fn a_page_without_paragraphs_is_empty() {
        let out = read_html(NO_PARAGRAPHS);
        assert_eq!(out.problems[0].kind, ProblemKind::Empty);
        assert_eq!(out.problems[0].message, "no article text");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let text = format!(
            "{}<p>Deep text.</p>{}",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let out = read_html(&text);
        assert_eq!(out.articles.len() + out.problems.len(), 1);
    }
}
