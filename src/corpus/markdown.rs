//! Markdown articles and YAML front matter.
//!
//! Front matter is a YAML mapping between a first line `---` and the next
//! line `---` (or `...`). Keys read: `title`, `date`, `source`, `url`,
//! `locations`, `organizations` (a list, or one comma-separated string);
//! other keys are ignored. Key names match case-insensitively.
//!
//! The body is the Markdown after the front matter with light markup removed
//! so that the indexed text is what a reader sees:
//! - headings lose their `#` (or setext underline) and become paragraphs;
//! - emphasis markers `*`, `_` (not inside words, so `snake_case` stays),
//!   `~~` and code backticks are removed, their text kept;
//! - `[text](url)` and `[text][ref]` become `text`; images `![alt](url)` are
//!   dropped; `<https://...>` becomes the address; inline HTML tags are
//!   dropped; reference definitions `[ref]: url` and horizontal rules vanish;
//! - blockquote `>` and list markers are removed, each list item being a
//!   paragraph;
//! - fenced code is kept as text, one paragraph per fence, lines kept.
//!
//! Lines of one paragraph are joined with a space, as Markdown renders them.
//! The title is the front matter `title`, else the first `# Heading`, else
//! the first line; it is removed from the body (also when a `title` key
//! repeats the opening heading).

use yaml_rust2::{Yaml, YamlLoader};

use super::dates::parse_metadata_date;
use super::in_place::{InPlace, PIECE};
use super::{FileContents, ProblemKind, Source, collapse_whitespace, dateline};
use crate::article::Article;

/// Front matter larger than this is refused rather than parsed, which also
/// bounds how deeply its YAML can nest.
const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The metadata given by YAML front matter.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub locations: Vec<String>,
    pub organizations: Vec<String>,
}

impl FrontMatter {
    /// Copies everything but the title into the article.
    pub(crate) fn apply(self, article: &mut Article) {
        if let Some(date) = self.date {
            article.published = parse_metadata_date(&date);
            article.published_raw = Some(date);
        }
        article.source = self.source;
        article.url = self.url;
        article.given_locations = self.locations;
        article.given_organizations = self.organizations;
    }
}

/// Splits YAML front matter off the text.
///
/// Returns `Ok(None)` when the text has none, or the error's 1-based line
/// and message.
pub(crate) fn front_matter(text: &str) -> Result<Option<(FrontMatter, &str)>, (usize, String)> {
    let Some(first_end) = text.find('\n') else {
        return Ok(None);
    };
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    let mut close = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
        if offset - yaml_start > MAX_FRONT_MATTER {
            return Err((
                1,
                format!("front matter longer than {} KB", MAX_FRONT_MATTER / 1024),
            ));
        }
    }
    let Some((yaml_end, rest_start)) = close else {
        return Err((
            1,
            "front matter opened with `---` is never closed".to_string(),
        ));
    };
    let yaml = &text[yaml_start..yaml_end];
    let meta = match flat_front_matter(yaml) {
        Some(meta) => meta,
        None => yaml_front_matter(yaml)?,
    };
    Ok(Some((meta, &text[rest_start..])))
}

/// Parses front matter as YAML: a mapping of keys to values, or nothing.
fn yaml_front_matter(yaml: &str) -> Result<FrontMatter, (usize, String)> {
    let docs = YamlLoader::load_from_str(yaml).map_err(|err| {
        // The YAML starts on line 2 of the file.
        (
            err.marker().line() + 1,
            format!("invalid YAML front matter: {}", err.info()),
        )
    })?;
    let mut meta = FrontMatter::default();
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => {}
        Some(Yaml::Hash(hash)) => {
            for (key, value) in hash {
                let Some(key) = key.as_str() else { continue };
                match key.to_ascii_lowercase().as_str() {
                    "title" => meta.title = scalar(&value).and_then(|t| super::non_blank(&t)),
                    "date" => meta.date = scalar(&value).and_then(|t| super::non_blank(&t)),
                    "source" => meta.source = scalar(&value).and_then(|t| super::non_blank(&t)),
                    "url" => meta.url = scalar(&value).and_then(|t| super::non_blank(&t)),
                    "locations" => meta.locations = names(&value),
                    "organizations" => meta.organizations = names(&value),
                    _ => {}
                }
            }
        }
        Some(_) => {
            return Err((
                2,
                "front matter is not a mapping of keys to values".to_string(),
            ));
        }
    }
    Ok(meta)
}

/// Reads front matter made only of `key: value` lines with plain or
/// quoted one-line values, the common case, without a YAML parser; `None`
/// when anything else appears (comments, lists, escapes, indentation, a
/// value YAML would read as a number or null, a repeated key), and the
/// caller then parses it as YAML. What it returns equals what the YAML path
/// gives for the same text: a test compares them.
///
/// Parsing two keys through yaml-rust2 cost about 28,000 instructions a
/// file, a tenth of reading one.
fn flat_front_matter(yaml: &str) -> Option<FrontMatter> {
    let mut meta = FrontMatter::default();
    let mut keys: Vec<&str> = Vec::new();
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_matches(' ').is_empty() {
            continue;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        let mut key_chars = key.bytes();
        if !key_chars
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            || !key_chars.all(|b| b.is_ascii_alphanumeric() || b == b'_')
            || keys.contains(&key)
        {
            return None;
        }
        keys.push(key);
        let rest = &line[colon + 1..];
        let value = if rest.is_empty() {
            None
        } else {
            let raw = rest.strip_prefix(' ')?.trim_matches(' ');
            if raw.is_empty() {
                None
            } else {
                Some(flat_value(raw)?)
            }
        };
        let text = || value.as_deref().and_then(super::non_blank);
        match key.to_ascii_lowercase().as_str() {
            "title" => meta.title = text(),
            "date" => meta.date = text(),
            "source" => meta.source = text(),
            "url" => meta.url = text(),
            "locations" => meta.locations = value.as_deref().map(split_names).unwrap_or_default(),
            "organizations" => {
                meta.organizations = value.as_deref().map(split_names).unwrap_or_default()
            }
            _ => {}
        }
    }
    Some(meta)
}

/// One value of [`flat_front_matter`], trimmed: a quoted string without
/// escapes or inner quotes, or a plain scalar YAML keeps as written.
fn flat_value(raw: &str) -> Option<String> {
    // Characters YAML treats as line breaks, byte order marks or controls.
    if raw
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'))
    {
        return None;
    }
    for quote in ['"', '\''] {
        if raw.starts_with(quote) {
            let inner = raw[1..].strip_suffix(quote)?;
            if inner.contains(quote) || (quote == '"' && inner.contains('\\')) {
                return None;
            }
            return Some(inner.to_string());
        }
    }
    let first = raw.chars().next()?;
    if "-?:,[]{}#&*!|>%@`".contains(first)
        || raw.contains(": ")
        || raw.contains(" #")
        || raw.ends_with(':')
    {
        return None;
    }
    // yaml-rust2 reads these as null, booleans (rewritten) or integers
    // (rewritten: `007` is 7); floats keep their text, as strings do.
    if matches!(
        raw,
        "~" | "null" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) || raw.starts_with("0x")
        || raw.starts_with("0o")
        || raw.starts_with('+')
        || raw.parse::<i64>().is_ok()
    {
        return None;
    }
    Some(raw.to_string())
}

/// A comma-separated list of names, as [`names`] splits one string.
fn split_names(text: &str) -> Vec<String> {
    text.split(',').filter_map(super::non_blank).collect()
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Reads a list of names, or one comma-separated string of them.
fn names(value: &Yaml) -> Vec<String> {
    let items: Vec<String> = match value {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other)
            .map(|text| text.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
    };
    items
        .iter()
        .filter_map(|name| super::non_blank(name))
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Heading(usize),
    Paragraph,
    Code,
}

#[derive(Debug)]
struct Block<'a> {
    kind: Kind,
    /// Slices of the file's text: a huge file is not copied line by line.
    lines: Vec<&'a str>,
}

impl Block<'_> {
    fn render(&self) -> String {
        match self.kind {
            Kind::Code => self.lines.join("\n"),
            _ => collapse_whitespace(&strip_inline(&self.lines.join(" "))),
        }
    }
}

/// Reads a Markdown article.
// Borrowed: the tests' oracle for the owned reader.
#[cfg(test)]
pub(super) fn read(source: &Source<'_>, text: &str) -> FileContents {
    read_in(source, text)
}

/// Reads a Markdown article from text it is given to keep: the body is
/// rendered into the text's own buffer (a Markdown body is never much
/// longer than its text), so a huge file is not held as text and body at
/// once.
pub(super) fn read_owned(source: &Source<'_>, text: String) -> FileContents {
    let Plan {
        mut article,
        meta,
        mut render,
        body,
        cuts,
    } = match plan(source, &text) {
        Ok(plan) => plan,
        Err(out) => return out,
    };
    // The second walk renders the body piece by piece (between the first
    // walk's cuts, each copied out first) over the text already read; the
    // front matter is read already.
    let mut out = InPlace::new(text);
    out.free(body.start);
    let mut scratch = String::new();
    let mut from = body.start;
    for cut in cuts {
        out.piece(from..cut, &mut scratch);
        for_each_block(
            &scratch,
            &mut |block| render.block(block, &mut article, &mut out),
            &mut |_| {},
        );
        from = cut;
    }
    article.body = out.finish();
    finish(source, article, meta)
}

/// The title decisions the first walk makes, and the state of the second.
struct Render {
    title_at: Option<usize>,
    title_line_of_first: bool,
    title_from_blocks: bool,
    remaining: usize,
    index: usize,
    seen: usize,
    first_paragraph: bool,
}

impl Render {
    /// Renders one block of the second walk into the body, or into the
    /// article's title or dateline.
    fn block(&mut self, mut block: Block<'_>, article: &mut Article, out: &mut dyn Sink) {
        let at = self.index;
        self.index += 1;
        if Some(at) == self.title_at {
            // A heading repeating a given title only goes.
            if self.title_from_blocks {
                article.title = super::non_blank(&block.render());
            }
            return;
        }
        if at == 0 && self.title_line_of_first {
            let line = block.lines.remove(0);
            article.title = super::non_blank(&strip_inline(line));
        }
        let is_first = self.seen == 0;
        self.seen += 1;
        // A dateline line opening the first paragraph is not body text.
        if is_first && block.kind == Kind::Paragraph {
            if block.lines.len() > 1
                && let Some(place) = dateline::standalone(block.lines[0])
            {
                article.dateline = Some(place.to_string());
                block.lines.remove(0);
            } else if self.remaining > 1
                && block.lines.len() == 1
                && let Some(place) = dateline::standalone(block.lines[0])
            {
                article.dateline = Some(place.to_string());
                return;
            }
        }
        let paragraph = block.render();
        if paragraph.trim().is_empty() {
            return;
        }
        if self.first_paragraph {
            self.first_paragraph = false;
            if article.dateline.is_none() {
                article.dateline = dateline::leading(&paragraph).map(str::to_string);
            }
        } else {
            out.push("\n\n");
        }
        out.push(&paragraph);
    }
}

/// Where rendered text goes: a string, or the file's own buffer.
trait Sink {
    fn push(&mut self, piece: &str);
}

impl Sink for String {
    fn push(&mut self, piece: &str) {
        self.push_str(piece);
    }
}

impl Sink for InPlace {
    fn push(&mut self, piece: &str) {
        InPlace::push(self, piece);
    }
}

/// What the first walk learns: the article so far, how to render, and
/// where the body (`body`, offsets in the text) can be cut into pieces
/// that render alone.
struct Plan {
    article: Article,
    meta: FrontMatter,
    render: Render,
    body: std::ops::Range<usize>,
    cuts: Vec<usize>,
}

/// The first walk: front matter, how many blocks, where the first
/// `# Heading` is, and where the block state is fresh (after an empty line
/// outside a fence) at least [`PIECE`] bytes apart.
fn plan(source: &Source<'_>, text: &str) -> Result<Plan, FileContents> {
    let (meta, body) = match front_matter(text) {
        Ok(Some((meta, rest))) => (meta, rest),
        Ok(None) => (FrontMatter::default(), text),
        Err((line, message)) => {
            let mut out = FileContents::default();
            out.problems
                .push(source.problem(Some(line), ProblemKind::Malformed, message));
            return Err(out);
        }
    };
    let body_start = text.len() - body.len();
    let mut count = 0;
    let mut first_h1 = None;
    let mut first_block = None;
    let mut cuts = Vec::new();
    let mut last_cut = 0;
    for_each_block(
        body,
        &mut |block| {
            if first_h1.is_none() && block.kind == Kind::Heading(1) {
                first_h1 = Some(count);
            }
            if count == 0 {
                first_block = Some((block.kind, block.lines.len(), block.render()));
            }
            count += 1;
        },
        &mut |rest| {
            if rest - last_cut >= PIECE && rest < body.len() {
                cuts.push(body_start + rest);
                last_cut = rest;
            }
        },
    );
    cuts.push(text.len());
    let mut article = source.article(source.id.clone(), None);
    article.title = meta.title.clone();
    // Which block the title takes out, and whether it takes only its first
    // line (see `take_title`).
    let mut title_line_of_first = false;
    let title_at = match (&article.title, &first_block) {
        (Some(given), Some((kind, _, rendered))) => (matches!(kind, Kind::Heading(_))
            && rendered.to_lowercase() == given.to_lowercase())
        .then_some(0),
        (Some(_), None) => None,
        (None, _) if first_h1.is_some() => first_h1,
        (None, Some((kind, lines, _))) => {
            if matches!(kind, Kind::Heading(_)) || *lines <= 1 {
                Some(0)
            } else {
                title_line_of_first = true;
                None
            }
        }
        (None, None) => None,
    };
    let title_from_blocks = article.title.is_none();
    let remaining = count - usize::from(title_at.is_some());
    Ok(Plan {
        article,
        meta,
        render: Render {
            title_at,
            title_line_of_first,
            title_from_blocks,
            remaining,
            index: 0,
            seen: 0,
            first_paragraph: true,
        },
        body: body_start..text.len(),
        cuts,
    })
}

/// The end of reading: the article, or why there is none.
fn finish(source: &Source<'_>, mut article: Article, meta: FrontMatter) -> FileContents {
    let mut out = FileContents::default();
    meta.apply(&mut article);
    if article.title.is_none() && article.body.is_empty() {
        out.problems
            .push(source.problem(None, ProblemKind::Empty, "no article text"));
        return out;
    }
    out.articles.push(article);
    out
}

/// Reads a Markdown article from borrowed text: the blocks are walked
/// twice rather than collected, and each is rendered straight into the
/// body.
// Borrowed: the tests' oracle for the owned reader.
#[cfg(test)]
fn read_in(source: &Source<'_>, text: &str) -> FileContents {
    let Plan {
        mut article,
        meta,
        mut render,
        body,
        ..
    } = match plan(source, text) {
        Ok(plan) => plan,
        Err(out) => return out,
    };
    // Room for the whole body up front: it is never longer than the text.
    let mut text_out = String::with_capacity(body.len());
    for_each_block(
        &text[body],
        &mut |block| render.block(block, &mut article, &mut text_out),
        &mut |_| {},
    );
    article.body = text_out;
    finish(source, article, meta)
}

/// Calls `visit` with each block of the Markdown, block-level markup
/// removed, and `rest` with the offset of each line that follows an empty
/// line outside a fence: there no block is open, so the text from there on
/// gives the same blocks when walked alone.
fn for_each_block<'a>(
    text: &'a str,
    visit: &mut dyn FnMut(Block<'a>),
    rest: &mut dyn FnMut(usize),
) {
    let mut current: Option<Block<'a>> = None;
    let mut fence: Option<(char, usize)> = None;
    let flush = |current: &mut Option<Block<'a>>, visit: &mut dyn FnMut(Block<'a>)| {
        if let Some(block) = current.take()
            && !block.lines.is_empty()
        {
            visit(block);
        }
    };
    for line in text.lines() {
        if let Some((mark, count)) = fence {
            let bare = line.trim();
            if bare.chars().take_while(|&c| c == mark).count() >= count
                && bare.trim_start_matches(mark).is_empty()
            {
                fence = None;
                flush(&mut current, visit);
            } else if !bare.is_empty()
                && let Some(block) = current.as_mut()
            {
                block.lines.push(line.trim_end());
            }
            continue;
        }
        let content = strip_quote(line.trim());
        if content.is_empty() {
            flush(&mut current, visit);
            let end = line.as_ptr() as usize - text.as_ptr() as usize + line.len();
            let next = text[end..].find('\n').map_or(text.len(), |at| end + at + 1);
            rest(next);
            continue;
        }
        let first = content.chars().next().unwrap_or(' ');
        let run = content.chars().take_while(|&c| c == first).count();
        if matches!(first, '`' | '~') && run >= 3 {
            flush(&mut current, visit);
            fence = Some((first, run));
            current = Some(Block {
                kind: Kind::Code,
                lines: Vec::new(),
            });
            continue;
        }
        if first == '#'
            && run <= 6
            && content[run..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        {
            flush(&mut current, visit);
            let heading = content[run..].trim().trim_end_matches('#').trim_end();
            visit(Block {
                kind: Kind::Heading(run),
                lines: vec![heading],
            });
            continue;
        }
        let in_paragraph = current
            .as_ref()
            .is_some_and(|b| b.kind == Kind::Paragraph && !b.lines.is_empty());
        if first == '=' && run == content.len() && in_paragraph {
            if let Some(block) = current.as_mut() {
                block.kind = Kind::Heading(1);
            }
            flush(&mut current, visit);
            continue;
        }
        if is_rule(content) {
            if first == '-'
                && in_paragraph
                && let Some(block) = current.as_mut()
            {
                block.kind = Kind::Heading(2);
            }
            flush(&mut current, visit);
            continue;
        }
        if is_reference_definition(content)
            || (content.starts_with("<!--") && content.ends_with("-->"))
        {
            continue;
        }
        if let Some(item) = list_item(content) {
            flush(&mut current, visit);
            current = Some(Block {
                kind: Kind::Paragraph,
                lines: vec![item],
            });
            continue;
        }
        match current.as_mut() {
            Some(block) if block.kind == Kind::Paragraph => block.lines.push(content),
            _ => {
                flush(&mut current, visit);
                current = Some(Block {
                    kind: Kind::Paragraph,
                    lines: vec![content],
                });
            }
        }
    }
    flush(&mut current, visit);
}

fn strip_quote(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix('>') {
        line = rest.trim_start();
    }
    line
}

/// A thematic break: three or more `-`, `*` or `_`, spaces allowed.
fn is_rule(line: &str) -> bool {
    let mut marks = line.chars().filter(|c| !c.is_whitespace());
    let Some(first) = marks.next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_') && marks.clone().all(|c| c == first) && marks.count() >= 2
}

fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .find("]:")
            .is_some_and(|at| at > 1 && !line[..at].contains(' '))
}

fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(rest.trim_start());
        }
    }
    None
}

/// For each opening bracket, the index of its matching closing bracket.
fn matching(chars: &[char], open: char, close: char) -> Vec<Option<usize>> {
    let mut matches = vec![None; chars.len()];
    let mut stack = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == open {
            stack.push(i);
        } else if c == close
            && let Some(start) = stack.pop()
        {
            matches[start] = Some(i);
        }
    }
    matches
}

/// Removes inline Markdown markup from one paragraph's text.
///
/// Works in one pass over the characters with brackets matched up front, so
/// nesting depth costs neither stack nor quadratic time.
fn strip_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let brackets = matching(&chars, '[', ']');
    let parens = matching(&chars, '(', ')');
    // Where a link's text ends, the index to resume at (after its target).
    let mut resume: Vec<Option<usize>> = vec![None; chars.len()];
    // For each position, the next `>` at or after it.
    let mut next_gt = vec![None; chars.len() + 1];
    for i in (0..chars.len()).rev() {
        next_gt[i] = if chars[i] == '>' {
            Some(i)
        } else {
            next_gt[i + 1]
        };
    }
    let mut out = String::with_capacity(text.len());
    let at = |i: usize| chars.get(i).copied();
    // The end of a link target starting right after `close`, if any.
    let target_end = |close: usize| match at(close + 1) {
        Some('(') => parens[close + 1],
        Some('[') => brackets[close + 1],
        _ => None,
    };
    let mut i = 0;
    while i < chars.len() {
        if let Some(next) = resume[i].take() {
            i = next;
            continue;
        }
        let c = chars[i];
        match c {
            '\\' if at(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '!' if at(i + 1) == Some('[') => {
                if let Some(close) = brackets[i + 1]
                    && let Some(end) = target_end(close)
                {
                    i = end + 1;
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            '[' => {
                if let Some(close) = brackets[i]
                    && let Some(end) = target_end(close)
                {
                    resume[close] = Some(end + 1);
                } else {
                    out.push(c);
                }
                i += 1;
            }
            '<' => {
                let end = next_gt[i].filter(|&end| end - i <= 2048);
                let inner: String = end
                    .map(|end| chars[i + 1..end].iter().collect())
                    .unwrap_or_default();
                let is_autolink = inner.starts_with("http://")
                    || inner.starts_with("https://")
                    || inner.starts_with("mailto:");
                let is_tag =
                    inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
                match end {
                    Some(end) if is_autolink && !inner.contains(' ') => {
                        out.push_str(&inner);
                        i = end + 1;
                    }
                    Some(end) if is_tag => {
                        // A tag between words still separates them.
                        out.push(' ');
                        i = end + 1;
                    }
                    _ => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '`' => i += 1,
            '*' | '_' | '~' => {
                let run = chars[i..].iter().take_while(|&&r| r == c).count();
                let before = i.checked_sub(1).and_then(at);
                let after = at(i + run);
                let keep = match c {
                    '*' => {
                        before.is_none_or(char::is_whitespace)
                            && after.is_none_or(char::is_whitespace)
                    }
                    '_' => {
                        before.is_some_and(char::is_alphanumeric)
                            && after.is_some_and(char::is_alphanumeric)
                    }
                    _ => run < 2,
                };
                if keep {
                    out.extend(&chars[i..i + run]);
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    #[test]
    fn flat_front_matter_reads_the_common_keys_without_yaml() {
        let yaml = "title: \"N.Z. BANK: DEPOSITS RISE\"\ndate: 1987-02-26\nsource: Reuters\n\
                    url: https://example.com/a?b=c\nlocations: Mali, Niger\nother: 'x # y'\n";
        let meta = flat_front_matter(yaml).expect("flat");
        assert_eq!(meta.title.as_deref(), Some("N.Z. BANK: DEPOSITS RISE"));
        assert_eq!(meta.date.as_deref(), Some("1987-02-26"));
        assert_eq!(meta.url.as_deref(), Some("https://example.com/a?b=c"));
        assert_eq!(meta.locations, ["Mali", "Niger"]);
        assert_eq!(Ok(meta), yaml_front_matter(yaml));
    }

    #[test]
    fn flat_front_matter_leaves_anything_else_to_the_yaml_parser() {
        for yaml in [
            "title: a\n  continued\n",
            "locations:\n  - Mali\n",
            "# a comment\ntitle: a\n",
            "title: a # comment\n",
            "title: \"escaped \\\" quote\"\n",
            "date: 2024\n",
            "title: 007\n",
            "title: true\n",
            "title: ~\n",
            "title: a\ntitle: b\n",
            "title:b\n",
            "title: [a, b]\n",
            "title: a\tb\n",
            "just text\n",
        ] {
            assert_eq!(flat_front_matter(yaml), None, "{yaml:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn flat_front_matter_equals_the_yaml_parser_whenever_it_answers(
            lines in proptest::collection::vec(
                (
                    "(title|Title|date|source|url|locations|organizations|other|a b|-x)",
                    "(: |:|:  | : )",
                    "[a-zA-Z0-9 ,.:#'\"~+\\-é\t\\[\\]]{0,12}",
                ),
                0..5,
            ),
            crlf in proptest::bool::ANY,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let yaml: String = lines
                .iter()
                .map(|(key, sep, value)| format!("{key}{sep}{value}{end}"))
                .collect();
            if let Some(flat) = flat_front_matter(&yaml) {
                proptest::prop_assert_eq!(Ok(flat), yaml_front_matter(&yaml), "{:?}", yaml);
            }
        }
    }

    fn read_md(text: &str) -> FileContents {
        read(
            &Source {
                path: Path::new("notes/story.md"),
                id: "notes/story.md".to_string(),
            },
            text,
        )
    }

    fn article(text: &str) -> Article {
        let contents = read_md(text);
        assert!(contents.problems.is_empty(), "{:?}", contents.problems);
        contents.articles.into_iter().next().expect("one article")
    }

    #[test]
    fn front_matter_keys_fill_the_article() {
        let a = article(
            "---\ntitle: Harbour reopens\ndate: 2024-03-05T08:00:00+01:00\nsource: Coast Gazette\n\
             url: https://example.com/h\nlocations: [Valletta, Malta]\norganizations: Port Authority, EU\n\
             author: ignored\n---\nShips returned to the harbour on Tuesday.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Harbour reopens"));
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            a.published_raw.as_deref(),
            Some("2024-03-05T08:00:00+01:00")
        );
        assert_eq!(a.source.as_deref(), Some("Coast Gazette"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/h"));
        assert_eq!(a.given_locations, ["Valletta", "Malta"]);
        assert_eq!(a.given_organizations, ["Port Authority", "EU"]);
        assert_eq!(a.body, "Ships returned to the harbour on Tuesday.");
    }

    #[test]
    fn an_unparseable_date_is_kept_raw() {
        let a = article("---\ntitle: T\ndate: sometime in spring\n---\nText here.\n");
        assert_eq!(a.published, None);
        assert_eq!(a.published_raw.as_deref(), Some("sometime in spring"));
    }

    #[test]
    fn bad_yaml_is_malformed_with_the_file_line() {
        let contents = read_md("---\ntitle: ok\nlocations: [unclosed\n---\nBody.\n");
        let problem = &contents.problems[0];
        assert_eq!(problem.kind, ProblemKind::Malformed);
        assert!(
            problem.message.starts_with("invalid YAML front matter"),
            "{}",
            problem.message
        );
        assert!(
            problem.line.is_some_and(|line| (2..=5).contains(&line)),
            "{:?}",
            problem.line
        );
        assert!(contents.articles.is_empty());
    }

    #[test]
    fn unclosed_or_non_mapping_front_matter_is_malformed() {
        assert_eq!(read_md("---\ntitle: x\nBody.\n").problems[0].line, Some(1));
        assert_eq!(
            read_md("---\n- a\n- b\n---\nBody.\n").problems[0].kind,
            ProblemKind::Malformed
        );
    }

    #[test]
    fn without_a_title_key_the_first_heading_is_the_title() {
        let a = article("Intro line that is not the title.\n\n# Real title\n\nBody text.\n");
        assert_eq!(a.title.as_deref(), Some("Real title"));
        assert_eq!(a.body, "Intro line that is not the title.\n\nBody text.");
    }

    #[test]
    fn without_title_or_heading_the_first_line_is_the_title() {
        let a = article("Plain first line\nsecond line of the paragraph.\n\nMore.\n");
        assert_eq!(a.title.as_deref(), Some("Plain first line"));
        assert_eq!(a.body, "second line of the paragraph.\n\nMore.");
    }

    #[test]
    fn a_title_key_drops_a_heading_that_repeats_it() {
        let a = article("---\ntitle: Same Title\n---\n# Same title\n\nBody.\n");
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn light_markup_is_removed_from_the_body() {
        let a = article(
            "# T\n\n## Sub *heading* ##\n\nSome **bold** and _italic_ text with a [link](https://x.org/a_(b)) \
             and ![a photo](p.jpg) an image, `code`, snake_case_name and 2 * 3.\n\n\
             > quoted\n> line\n\n- item one\n- item [two][ref]\n\n[ref]: https://example.com\n\n---\n\n\
             Setext heading\n==============\n\n```\nlet x = 1;\n```\n",
        );
        assert_eq!(
            a.body,
            "Sub heading\n\nSome bold and italic text with a link and an image, code, snake_case_name and 2 * 3.\n\n\
             quoted line\n\nitem one\n\nitem two\n\nSetext heading\n\nlet x = 1;"
        );
    }

    #[test]
    fn inline_html_and_autolinks_are_reduced_to_text() {
        assert_eq!(
            strip_inline("a<br/>b <https://x.org> 1 < 2"),
            "a b https://x.org 1 < 2"
        );
        assert_eq!(strip_inline("~~gone~~ stays"), "gone stays");
        assert_eq!(strip_inline(r"\*literal\*"), "*literal*");
    }

    #[test]
    fn deeply_nested_brackets_do_not_overflow() {
        let text = format!("{}x{}", "[".repeat(100_000), "](u)".repeat(100_000));
        let out = strip_inline(&text);
        assert!(out.contains('x'));
    }

    #[test]
    fn a_markdown_dateline_line_is_taken_out_of_the_body() {
        let a = article("# Floods\n\nDHAKA\nRivers burst their banks after days of rain.\n");
        assert_eq!(a.dateline.as_deref(), Some("DHAKA"));
        assert_eq!(a.body, "Rivers burst their banks after days of rain.");
    }

    #[test]
    fn deeply_nested_or_huge_front_matter_is_malformed_not_a_crash() {
        let flow = format!("---\nx: {}\n---\nBody.\n", "[".repeat(10_000));
        assert_eq!(read_md(&flow).problems[0].kind, ProblemKind::Malformed);
        let block: String = (0..400)
            .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
            .collect();
        let out = read_md(&format!("---\n{block}---\nBody.\n"));
        assert_eq!(out.articles.len() + out.problems.len(), 1);
        let huge = format!("---\n{}---\nBody.\n", "k: v\n".repeat(20_000));
        assert_eq!(
            read_md(&huge).problems[0].message,
            "front matter longer than 64 KB"
        );
    }

    fn read_md_owned(text: &str) -> FileContents {
        read_owned(
            &Source {
                path: Path::new("notes/story.md"),
                id: "notes/story.md".to_string(),
            },
            text.to_string(),
        )
    }

    /// A text of several pieces: fences holding empty lines across the
    /// piece boundaries, headings, lists, quotes, setext underlines right
    /// after empty lines, and a dateline.
    fn long_markdown() -> String {
        let mut text = String::from("---\ntitle: Long one\n---\n\nDHAKA\nFirst paragraph.\n\n");
        let mut n = 0;
        while text.len() < 3 * PIECE + 1000 {
            text.push_str(&format!(
                "## Part {n}\n\nSome *text* with a [link](u) and\nmore words.\n\n```\ncode {n}\n\n\nstill code\n```\n\n\
                 - item a\n- item b\n> quoted\n\n===\n\n"
            ));
            n += 1;
        }
        text.push_str("Last words.\n");
        text
    }

    #[test]
    fn a_body_rendered_in_the_files_buffer_equals_the_one_rendered_apart() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![long_markdown()];
        for folder in [
            "sample-corpus/markdown",
            "tests/fixtures/formats",
            "tests/fixtures/awkward",
        ] {
            for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "md")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push(text);
                }
            }
        }
        texts.push("# Only a title\n".to_string());
        texts.push("x\n\n".repeat(PIECE / 2));
        for text in &texts {
            assert_eq!(read_md_owned(text), read_md(text), "{:.200}", text);
        }
        let long = read_md_owned(&texts[0]);
        assert_eq!(long.articles[0].dateline.as_deref(), Some("DHAKA"));
        assert!(long.articles[0].body.ends_with("Last words."));
    }

    #[test]
    fn front_matter_is_detected_only_on_the_first_line() {
        assert_eq!(front_matter("text\n---\na: b\n---\n").unwrap(), None);
        assert_eq!(front_matter("---").unwrap(), None);
    }
}
