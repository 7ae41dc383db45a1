//! Reading a huge page without a DOM.
//!
//! `scraper` builds the whole tree: for a 200 MB page its text nodes and
//! node table held the page several times (1.3 GB). A page over
//! [`super::STREAM_OVER`] bytes is read here instead, with html5ever's
//! tokenizer and a sink that keeps only what the article needs, in two
//! passes: the first finds the metadata and, for every element that can
//! hold the article, how much paragraph text it holds; the second writes
//! the chosen element's paragraphs over the text already read
//! ([`InPlace`]). The rules are the DOM path's (a test compares both on
//! every page in the repository); the tree builder's repairs are followed
//! as far as news pages need them: an open `<p>` is closed by a block
//! start tag or by the end of an element around it, a heading by the next
//! heading, void elements hold nothing, and script, style, title and the
//! like hold raw text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::super::in_place::{InPlace, PIECE};
use super::{DATE_META, NOT_TEXT, find_key, is_boilerplate, strip_site_suffix};
use crate::corpus::dates::parse_metadata_date;
use crate::corpus::{FileContents, ProblemKind, Source, collapse_whitespace, dateline, non_blank};

/// Start tags that close an open `<p>` (the HTML standard's list).
const CLOSES_P: [&str; 38] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "table",
    "hr",
    "xmp",
    "li",
];

/// Elements that never hold anything.
const VOID: [&str; 15] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen",
];

/// An element that can hold the article, as the DOM path ranks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rank {
    /// `<article>` or `itemprop="articleBody"`.
    Article,
    /// `<main>` or `role="main"`.
    Main,
}

/// What the first pass learns about one such element.
#[derive(Debug, Default)]
struct Candidate {
    rank: Option<Rank>,
    /// Bytes of its article paragraphs, and how many.
    text: usize,
    paragraphs: usize,
    /// The `datetime` of its first `<time pubdate>`, and of its first `<time>`.
    marked_time: Option<String>,
    any_time: Option<String>,
}

/// An open element.
struct Open {
    name: String,
    /// Its index among the candidates (the root is candidate 0).
    candidate: Option<usize>,
}

/// Which pass the sink serves.
enum Pass {
    /// Ranks the candidates and reads the metadata.
    Plan,
    /// Writes the paragraphs of one candidate.
    Write {
        chosen: usize,
        /// The page's text, read piece by piece and overwritten by the body.
        out: InPlace,
        /// Paragraphs of the chosen element seen, and whether one was
        /// written.
        seen: usize,
        wrote: bool,
        /// How many paragraphs the chosen element has (for the dateline).
        paragraphs: usize,
        dateline: Option<String>,
    },
}

struct State {
    pass: Pass,
    stack: Vec<Open>,
    candidates: Vec<Candidate>,
    /// The stack depth of the open `<p>` and its text so far.
    paragraph: Option<(usize, String)>,
    /// Inside a raw text element: its name, and its text when it is kept.
    raw: Option<(String, Option<String>)>,
    metas: Vec<(String, String)>,
    title: Option<String>,
    /// The open `<h1>`'s depth and text, and the first with text.
    h1_open: Option<(usize, String)>,
    h1: Option<String>,
    canonical: Option<String>,
    ld_date: Option<String>,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start(tag),
                TagKind::EndTag => state.end(&tag.name),
            },
            Token::CharacterTokens(text) => state.text(&text),
            Token::EOFToken => {
                state.end_raw();
                if let Some((_, text)) = &state.h1_open {
                    state.h1 = non_blank(text);
                }
                state.close_paragraph();
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn start(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if self.paragraph.is_some() && CLOSES_P.contains(&name) {
            // Closes the `<p>` and what is open inside it.
            self.end("p");
        }
        // A heading does not nest in a heading: the open one ends.
        let heading = |name: &str| matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if heading(name)
            && let Some(open) = self.stack.last()
            && heading(&open.name)
        {
            let open = open.name.clone();
            self.end(&open);
        }
        match name {
            "meta" => {
                if let Some(content) = attr(&tag, "content").and_then(non_blank) {
                    for key in ["property", "name", "itemprop"] {
                        if let Some(key) = attr(&tag, key) {
                            self.metas
                                .push((key.trim().to_ascii_lowercase(), content.clone()));
                        }
                    }
                }
            }
            "link" if self.canonical.is_none() && attr(&tag, "rel") == Some("canonical") => {
                self.canonical = attr(&tag, "href").and_then(non_blank);
            }
            "time" => {
                if let Some(datetime) = attr(&tag, "datetime").and_then(non_blank) {
                    let marked = attr(&tag, "pubdate").is_some();
                    // The open candidates, and the root around everything.
                    let around = self.stack.iter().filter_map(|open| open.candidate);
                    for c in std::iter::once(0).chain(around) {
                        let candidate = &mut self.candidates[c];
                        if marked && candidate.marked_time.is_none() {
                            candidate.marked_time = Some(datetime.clone());
                        }
                        if candidate.any_time.is_none() {
                            candidate.any_time = Some(datetime.clone());
                        }
                    }
                }
            }
            "br" => {
                if let Some((_, text)) = &mut self.paragraph
                    && self.raw.is_none()
                {
                    text.push(' ');
                }
            }
            _ => {}
        }
        // `<p/>` opens a paragraph as `<p>` does: HTML ignores the slash.
        if VOID.contains(&name) {
            return TokenSinkResult::Continue;
        }
        let rank = if name == "article" || attr(&tag, "itemprop") == Some("articleBody") {
            Some(Rank::Article)
        } else if name == "main" || attr(&tag, "role") == Some("main") {
            Some(Rank::Main)
        } else {
            None
        };
        let candidate = rank.map(|rank| {
            self.candidates.push(Candidate {
                rank: Some(rank),
                ..Candidate::default()
            });
            self.candidates.len() - 1
        });
        self.stack.push(Open {
            name: name.to_string(),
            candidate,
        });
        match name {
            "p" => self.paragraph = Some((self.stack.len(), String::new())),
            "h1" if self.h1.is_none() && self.h1_open.is_none() => {
                self.h1_open = Some((self.stack.len(), String::new()))
            }
            _ => {}
        }
        let kept = match name {
            "title" => self.title.is_none(),
            "script" => attr(&tag, "type") == Some("application/ld+json") && self.ld_date.is_none(),
            _ => false,
        };
        let kind = match name {
            "title" | "textarea" => RawKind::Rcdata,
            "script" => RawKind::ScriptData,
            "style" | "noscript" | "xmp" | "iframe" | "noembed" | "noframes" => RawKind::Rawtext,
            "plaintext" => return TokenSinkResult::Plaintext,
            _ => return TokenSinkResult::Continue,
        };
        self.raw = Some((name.to_string(), kept.then(String::new)));
        TokenSinkResult::RawData(kind)
    }

    /// Ends a raw text element (at its end tag, or at the end of the
    /// page), keeping a title's or a JSON-LD script's text.
    fn end_raw(&mut self) {
        if let Some((name, Some(text))) = self.raw.take() {
            if name == "title" {
                self.title = non_blank(&text);
            } else if let Ok(value) = serde_json::from_str(&text) {
                self.ld_date = find_key(&value, "datePublished");
            }
        }
    }

    fn end(&mut self, name: &str) {
        self.end_raw();
        if name == "br" {
            if let Some((_, text)) = &mut self.paragraph {
                text.push(' ');
            }
            return;
        }
        let Some(at) = self.stack.iter().rposition(|open| open.name == name) else {
            return;
        };
        if self
            .paragraph
            .as_ref()
            .is_some_and(|(depth, _)| *depth > at)
        {
            self.close_paragraph();
        }
        if let Some((depth, text)) = &self.h1_open
            && *depth > at
        {
            self.h1 = non_blank(text);
            self.h1_open = None;
        }
        self.stack.truncate(at);
    }

    fn text(&mut self, text: &str) {
        if let Some((_, Some(kept))) = &mut self.raw {
            kept.push_str(text);
        }
        if let Some((_, h1)) = &mut self.h1_open {
            h1.push_str(text);
        }
        // A paragraph's text leaves out only scripts and styles, as the DOM
        // path's does.
        let hidden = self
            .raw
            .as_ref()
            .is_some_and(|(name, _)| matches!(name.as_str(), "script" | "style" | "noscript"));
        if !hidden && let Some((_, paragraph)) = &mut self.paragraph {
            paragraph.push_str(text);
        }
    }

    /// Ends the open paragraph: counted for the elements around it (first
    /// pass), or written when it is the chosen element's (second pass).
    fn close_paragraph(&mut self) {
        let Some((depth, text)) = self.paragraph.take() else {
            return;
        };
        let text = collapse_whitespace(&text);
        if text.is_empty() || is_boilerplate(&text) {
            return;
        }
        // The candidates around the paragraph with no page furniture
        // between them and it (the root holds everything).
        let mut around = vec![0];
        let mut blocked = false;
        for open in self.stack[..depth.saturating_sub(1)].iter().rev() {
            if let Some(c) = open.candidate
                && !blocked
            {
                around.push(c);
            }
            if NOT_TEXT.contains(&open.name.as_str()) {
                blocked = true;
            }
        }
        if blocked {
            around.retain(|&c| c != 0);
        }
        match &mut self.pass {
            Pass::Plan => {
                for c in around {
                    self.candidates[c].text += text.len();
                    self.candidates[c].paragraphs += 1;
                }
            }
            Pass::Write {
                chosen,
                out,
                seen,
                wrote,
                paragraphs,
                dateline,
            } => {
                if !around.contains(chosen) {
                    return;
                }
                *seen += 1;
                if *seen == 1 {
                    if *paragraphs > 1
                        && let Some(place) = dateline::standalone(&text)
                    {
                        *dateline = Some(place.to_string());
                        return;
                    }
                    *dateline = dateline::leading(&text).map(str::to_string);
                }
                if *wrote {
                    out.push("\n\n");
                }
                *wrote = true;
                out.push(&text);
            }
        }
    }
}

fn new_state(pass: Pass) -> State {
    State {
        pass,
        stack: Vec::new(),
        // The root, holding every paragraph outside page furniture.
        candidates: vec![Candidate::default()],
        paragraph: None,
        raw: None,
        metas: Vec::new(),
        title: None,
        h1_open: None,
        h1: None,
        canonical: None,
        ld_date: None,
    }
}

/// Runs the tokenizer over a text of `len` bytes, each piece given by
/// `piece` (from the sink's state, or not) as a range to read and a
/// tendril of what it read.
fn run(
    pass: Pass,
    len: usize,
    size: usize,
    mut piece: impl FnMut(&mut State, std::ops::Range<usize>) -> StrTendril,
) -> State {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(new_state(pass))),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    let mut from = 0;
    while from < len {
        let tendril = piece(
            &mut tokenizer.sink.0.borrow_mut(),
            from..len.min(from + size),
        );
        from += tendril.len().max(1);
        queue.push_back(tendril);
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Where a piece of `text` from `from` up to `to` ends: on a character
/// boundary, at least one character in.
fn boundary(text: &str, from: usize, to: usize) -> usize {
    let mut end = to.min(text.len());
    while end > from && !text.is_char_boundary(end) {
        end -= 1;
    }
    if end > from {
        return end;
    }
    let mut end = from + 1;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.min(text.len())
}

/// Reads a page from text it is given to keep.
pub(super) fn read(source: &Source<'_>, text: String) -> FileContents {
    read_in_pieces(source, text, PIECE)
}

/// Reads a page fed to the tokenizer `size` bytes at a time.
fn read_in_pieces(source: &Source<'_>, text: String, size: usize) -> FileContents {
    let mut out = FileContents::default();
    let len = text.len();
    let plan = run(Pass::Plan, len, size, |_, range| {
        let end = boundary(&text, range.start, range.end);
        StrTendril::from_slice(&text[range.start..end])
    });
    // The DOM path's choice: the article element with the most paragraph
    // text (the last of equals), else the first main element with a
    // paragraph, else the root.
    let best_article = plan
        .candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.rank == Some(Rank::Article) && c.text > 0)
        .max_by_key(|(_, c)| c.text)
        .map(|(i, _)| i);
    let chosen = best_article
        .or_else(|| {
            plan.candidates
                .iter()
                .position(|c| c.rank == Some(Rank::Main) && c.paragraphs > 0)
        })
        .unwrap_or(0);
    let candidate = &plan.candidates[chosen];
    if candidate.paragraphs == 0 {
        out.problems
            .push(source.problem(None, ProblemKind::Empty, "no article text"));
        return out;
    }
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            plan.metas
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        })
    };
    let mut article = source.article(source.id.clone(), None);
    let site = meta(&["og:site_name"]);
    let title = meta(&["og:title"])
        .or_else(|| plan.title.clone())
        .or_else(|| plan.h1.clone());
    article.title = title.map(|title| strip_site_suffix(&title, site.as_deref()));
    article.source = site;
    article.url = plan.canonical.clone().or_else(|| meta(&["og:url"]));
    let date = meta(&DATE_META)
        .or_else(|| candidate.marked_time.clone())
        .or_else(|| candidate.any_time.clone())
        .or_else(|| plan.ld_date.clone());
    if let Some(raw) = date {
        article.published = parse_metadata_date(&raw);
        article.published_raw = Some(raw);
    }
    let pass = Pass::Write {
        chosen,
        out: InPlace::new(text),
        seen: 0,
        wrote: false,
        paragraphs: candidate.paragraphs,
        dateline: None,
    };
    let mut scratch = String::new();
    let written = run(pass, len, size, |state, range| match &mut state.pass {
        Pass::Write { out, .. } => {
            let end = out.boundary(range.start, range.end);
            out.piece(range.start..end, &mut scratch);
            StrTendril::from_slice(&scratch)
        }
        Pass::Plan => StrTendril::new(),
    });
    if let Pass::Write {
        out: body,
        dateline,
        ..
    } = written.pass
    {
        article.dateline = dateline;
        article.body = body.finish();
    }
    out.articles.push(article);
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    proptest::proptest! {
        /// Any tag soup, fed in pieces of any size, gives an article or a
        /// problem, never a panic, and what the DOM path gives.
        #[test]
        fn any_tag_soup_gives_what_the_dom_gives(
            parts in proptest::collection::vec(
                "(<p>|</p>|<p/>|<article>|</article>|<main>|<div role=main>|</div>|<nav>|</nav>|\
                  <br>|</br>|<script>|</script>|<title>|</title>|<h1>|</h1>|<time datetime=2024-01-02>|\
                  <noscript>|</noscript>|<meta property=og:title content=T>|&amp;|&nGt;|é|NAIROBI|\
                  words and more words|\n|<|>|<!--|-->)",
                0..40,
            ),
            size in 1usize..64,
        ) {
            let text: String = parts.concat();
            let source = Source {
                path: Path::new("soup.html"),
                id: "soup.html".to_string(),
            };
            let out = read_in_pieces(&source, text.clone(), size);
            proptest::prop_assert!(out.articles.len() + out.problems.len() == 1);
            proptest::prop_assert_eq!(out, super::super::read(&source, &text), "{}", text);
        }
    }

    #[test]
    fn a_page_read_without_a_dom_gives_what_the_dom_gives() {
        let source = Source {
            path: Path::new("web/p.html"),
            id: "web/p.html".to_string(),
        };
        let mut pages: Vec<String> = super::super::tests::PAGES
            .iter()
            .map(|p| p.to_string())
            .collect();
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for folder in [
            "sample-corpus/html",
            "tests/fixtures/formats",
            "tests/fixtures/awkward",
        ] {
            for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "html")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    pages.push(text);
                }
            }
        }
        assert!(pages.len() > 10);
        for page in &pages {
            let dom = super::super::read(&source, page);
            for size in [PIECE, 7, 1] {
                assert_eq!(
                    read_in_pieces(&source, page.clone(), size),
                    dom,
                    "pieces of {size}: {page:.300}"
                );
            }
        }
    }
}
