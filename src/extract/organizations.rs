//! Organizations: the curated table in `data/organizations.tsv`, matching in
//! text, the acronym rule ("Long Name (LN)") and metadata names.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::gazetteer::{build_automaton, names, records, starts_upper, take};
use super::text::{
    Text, case_compatible, is_capitalised, is_function_word, is_person_title, longest_matches,
};
use super::{Organization, Part, Span};
use crate::article::Origin;

/// The curated organizations, written by hand.
const ORGANIZATIONS: &str = include_str!("data/organizations.tsv");

/// The name of the United Nations, whose bodies also match with a "UN "
/// prefix.
const UNITED_NATIONS: &str = "United Nations";

/// Words after an ambiguous company name that make it the company
/// ("Apple Inc", "Ford Motor").
const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "ltd",
    "limited",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "group",
    "motor",
    "motors",
    "holdings",
    "computer",
    "platforms",
    "shares",
    "stock",
    "stores",
];

/// Words near an ambiguous company name, in the same sentence, that make it
/// the company ("Apple shares", "Shell's chief executive").
const COMPANY_CONTEXT: &[&str] = &[
    "shares",
    "stock",
    "company",
    "firm",
    "ceo",
    "chief executive",
    "retailer",
    "carmaker",
    "automaker",
    "giant",
    "investors",
    "earnings",
    "revenue",
    "profit",
    "nasdaq",
    "nyse",
    "subsidiary",
    "oil major",
    "iphone",
    "e-commerce",
    "listed",
    "quarterly",
];

/// Last words that make a long form an organization's name, for the acronym
/// rule (so "Gross Domestic Product (GDP)" is not one).
const ORGANIZATION_WORDS: &[&str] = &[
    "organization",
    "organisation",
    "agency",
    "association",
    "bank",
    "fund",
    "council",
    "commission",
    "committee",
    "mission",
    "union",
    "party",
    "front",
    "movement",
    "group",
    "army",
    "force",
    "forces",
    "authority",
    "institute",
    "foundation",
    "federation",
    "corporation",
    "company",
    "ministry",
    "department",
    "office",
    "board",
    "court",
    "service",
    "society",
    "league",
    "alliance",
    "community",
    "programme",
    "program",
    "secretariat",
    "assembly",
    "parliament",
    "congress",
    "bureau",
    "centre",
    "center",
    "university",
    "network",
    "coalition",
    "conference",
    "forum",
    "exchange",
    "trust",
    "initiative",
    "administration",
    "brigade",
    "brigades",
    "guard",
    "militia",
    "council",
    "cooperation",
    "co-operation",
    "observatory",
];

/// Words an acronym's long form may skip ("Organization of American States").
const SMALL_WORDS: &[&str] = &[
    "of", "for", "in", "and", "the", "on", "to", "de", "du", "des", "la", "le", "et", "&",
];

#[derive(Debug)]
struct Org {
    name: String,
    facet: String,
}

#[derive(Debug)]
struct OrgAlias {
    form: Box<str>,
    org: u32,
    /// True for a name of other things too ("Apple"), which needs the
    /// organization named plainly or a company word near it.
    context: bool,
    /// True for an alias that is an ordinary word when shouted ("WHO").
    shout_sensitive: bool,
}

/// The loaded organization table with its matcher.
#[derive(Debug)]
pub(crate) struct OrgTable {
    orgs: Vec<Org>,
    patterns: Vec<Vec<OrgAlias>>,
    automaton: super::dictionary::Dictionary,
    lookup: HashMap<String, u32>,
}

/// One organization occurrence found in the text.
#[derive(Clone, Debug)]
pub(crate) struct OrgHit {
    /// Which organization: a table index, or a name found by the acronym
    /// rule.
    pub key: OrgKey,
    pub part: Part,
    /// Byte range in the part.
    pub start: usize,
    pub end: usize,
    /// True for the long form found by the acronym rule.
    pub long_form: bool,
}

/// Identifies an organization within one article.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum OrgKey {
    Table(u32),
    /// A metadata name that is not in the table.
    Named(String),
    /// An acronym defined in the text, with the parent its long form names
    /// (`United Nations`), if any.
    Acronym(String, Option<&'static str>),
}

/// The rows of the organization table, each with its facet path
/// (`/Parent/Name`).
pub(crate) fn rows_with_facets() -> Vec<([&'static str; 5], String)> {
    let rows: Vec<[&str; 5]> = records(ORGANIZATIONS).map(|f| take::<5>(&f)).collect();
    let ids: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r[0], i)).collect();
    let facet_of = |mut i: usize| {
        let mut parts = vec![rows[i][0]];
        // Parents are few levels deep; the bound guards against a cycle
        // in a hand-edited file.
        for _ in 0..4 {
            match ids.get(rows[i][1]) {
                Some(&p) if !rows[i][1].is_empty() => {
                    parts.push(rows[p][0]);
                    i = p;
                }
                _ => break,
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    };
    (0..rows.len()).map(|i| (rows[i], facet_of(i))).collect()
}

impl OrgTable {
    /// Loads the shipped table and builds the matcher.
    pub fn load() -> OrgTable {
        let rows = rows_with_facets();
        let orgs: Vec<Org> = rows
            .iter()
            .map(|(row, facet)| Org {
                name: row[0].to_string(),
                facet: facet.clone(),
            })
            .collect();
        let rows: Vec<[&str; 5]> = rows.into_iter().map(|(row, _)| row).collect();

        let mut keys: HashMap<String, usize> = HashMap::default();
        let mut patterns: Vec<Vec<OrgAlias>> = Vec::new();
        let mut lookup = HashMap::default();
        let mut add = |form: &str, org: u32, context: bool| {
            let (form, shout_sensitive) = match form.strip_suffix('^') {
                Some(f) => (f, true),
                None => (form, false),
            };
            let next = patterns.len();
            let index = *keys.entry(form.to_ascii_lowercase()).or_insert(next);
            if index == next {
                patterns.push(Vec::new());
            }
            if !patterns[index]
                .iter()
                .any(|a| a.org == org && *a.form == *form)
            {
                patterns[index].push(OrgAlias {
                    form: form.into(),
                    org,
                    context,
                    shout_sensitive,
                });
            }
        };
        for (i, [name, parent, aliases, context, metadata]) in rows.iter().enumerate() {
            let org = i as u32;
            let under_un = *parent == UNITED_NATIONS;
            let mut plain: Vec<&str> = names(aliases).collect();
            if !names(context).any(|c| c == *name) {
                plain.push(name);
            }
            for alias in &plain {
                add(alias, org, false);
                lookup
                    .entry(alias.trim_end_matches('^').to_lowercase())
                    .or_insert(org);
                let bare = alias.trim_end_matches('^');
                if under_un && !bare.starts_with("UN") && !bare.starts_with("U.N.") {
                    for prefix in ["UN ", "U.N. ", "United Nations "] {
                        add(&format!("{prefix}{bare}"), org, false);
                    }
                }
            }
            for alias in names(context) {
                add(alias, org, true);
            }
            for code in names(metadata) {
                lookup.insert(code.to_lowercase(), org);
            }
        }
        let key_list: Vec<&str> = {
            let mut k = vec![""; patterns.len()];
            for (key, &i) in &keys {
                k[i] = key.as_str();
            }
            k
        };
        let automaton = build_automaton(&key_list, |i| {
            patterns[i].iter().all(|a| starts_upper(&a.form))
        });
        OrgTable {
            orgs,
            patterns,
            automaton,
            lookup,
        }
    }

    /// Returns the table organization a name stands for (any alias or
    /// metadata code, case-insensitively).
    pub fn lookup(&self, name: &str) -> Option<u32> {
        self.lookup.get(&name.trim().to_lowercase()).copied()
    }

    /// Finds the organizations named in the texts; `metadata` holds the
    /// table organizations the metadata names (they count as plain mentions
    /// for the context rule).
    ///
    /// `is_place` tells a place's name ("West Bank", "Soviet Union"), which
    /// the organization-word rule leaves to the places.
    pub fn find(
        &self,
        texts: &[Text<'_>],
        metadata: &HashSet<u32>,
        is_place: &dyn Fn(&str) -> bool,
    ) -> Vec<OrgHit> {
        let mut plain_hits = Vec::new();
        let mut context_hits = Vec::new();
        for text in texts {
            let matches = longest_matches(&self.automaton, text, |start, end, pattern| {
                self.best_alias(text, start, end, &[pattern]).is_some()
            });
            for m in matches {
                let Some(alias) = self.best_alias(text, m.start, m.end, &m.patterns) else {
                    continue;
                };
                let hit = OrgHit {
                    key: OrgKey::Table(alias.org),
                    part: text.part,
                    start: m.start,
                    end: m.end,
                    long_form: false,
                };
                if alias.context {
                    context_hits.push(hit);
                } else {
                    plain_hits.push(hit);
                }
            }
        }
        let named: HashSet<u32> = plain_hits
            .iter()
            .filter_map(|h| match h.key {
                OrgKey::Table(o) => Some(o),
                OrgKey::Named(_) | OrgKey::Acronym(..) => None,
            })
            .chain(metadata.iter().copied())
            .collect();
        for hit in context_hits {
            let OrgKey::Table(org) = hit.key else {
                continue;
            };
            let text = texts
                .iter()
                .find(|t| t.part == hit.part)
                .expect("hit comes from a text");
            if named.contains(&org) || company_context(text, hit.start, hit.end) {
                plain_hits.push(hit);
            }
        }
        for text in texts {
            let found = self.acronyms(text, &plain_hits);
            // A long form wins over a table name inside it ("Security
            // Council" in "Sahel Regional Security Council (SRSC)").
            for long in found.iter().filter(|h| h.long_form) {
                plain_hits.retain(|h| {
                    !(h.part == long.part && long.start <= h.start && h.end <= long.end)
                });
            }
            plain_hits.extend(found);
        }
        for text in texts {
            let found = organization_word_runs(text, &plain_hits, is_place);
            plain_hits.extend(found);
        }
        plain_hits.sort_by_key(|h| (h.part, h.start));
        plain_hits
    }

    /// Returns the alias of the patterns that the text at `start..end` may
    /// be, preferring plain aliases.
    fn best_alias(
        &self,
        text: &Text<'_>,
        start: usize,
        end: usize,
        patterns: &[usize],
    ) -> Option<&OrgAlias> {
        let matched = &text.s[start..end];
        let mut best: Option<&OrgAlias> = None;
        for alias in patterns.iter().flat_map(|&p| &self.patterns[p]) {
            if !case_compatible(matched, &alias.form) {
                continue;
            }
            if alias.shout_sensitive && (text.shouted(start, end) || text.in_question(end)) {
                continue;
            }
            if alias.context
                && (text.person_title_before(start)
                    || (!text.caps_uninformative() && text.capitalised_word_before(start)))
            {
                continue;
            }
            if best.is_none_or(|b| b.context && !alias.context) {
                best = Some(alias);
            }
        }
        best
    }

    /// Applies the acronym rule: "Capitalised Long Name (CLN)". The long
    /// form is found by [`long_form_start`] (initials, else a looser
    /// alignment for acronyms of another language's name) and must hold an
    /// organization word. An acronym not in the table becomes an
    /// organization named by the acronym, the form that stays the same from
    /// one article to the next while long forms vary ("UN Multidimensional
    /// ... Mission" and "Multidimensional ... Mission"); the long form, the
    /// acronym in parentheses and every later bare use of the acronym in the
    /// same text are its mentions. It sits under the United Nations when the
    /// long form opens with a UN prefix or the text calls its head a UN body
    /// ("the UN mission in Mali" for "... Mission in Mali").
    fn acronyms(&self, text: &Text<'_>, known: &[OrgHit]) -> Vec<OrgHit> {
        let mut hits = Vec::new();
        let s = text.s;
        let mut search = 0;
        while let Some(open) = s[search..].find('(').map(|i| i + search) {
            search = open + 1;
            let Some(close) = s[open..].find(')').map(|i| i + open) else {
                break;
            };
            let acronym = &s[open + 1..close];
            if !is_acronym(acronym) || self.lookup(acronym).is_some() {
                continue;
            }
            let Some(found) = long_form_start(&s[..open], acronym) else {
                continue;
            };
            let long_start = found.start;
            let long = s[long_start..open].trim_end();
            let long_end = long_start + long.len();
            // A table name that is the long form, or crosses its edges,
            // means the long form is known or is not one name.
            let overlaps_known = known.iter().any(|h| {
                h.part == text.part
                    && h.start < long_end
                    && long_start < h.end
                    && !(long_start <= h.start
                        && h.end <= long_end
                        && h.end - h.start < long_end - long_start)
            });
            let words: Vec<String> = long
                .split(' ')
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect();
            // The head runs from the first organization word to the end
            // ("Mission in Mali"). Initials need it last, as in "Sahel
            // Regional Security Council"; a loose alignment only somewhere.
            let head = words
                .iter()
                .position(|w| ORGANIZATION_WORDS.contains(&w.as_str()));
            let last_is_head = words
                .last()
                .is_some_and(|w| ORGANIZATION_WORDS.contains(&w.as_str()));
            let Some(head) = head else { continue };
            if overlaps_known || !(found.loose || last_is_head) {
                continue;
            }
            let under_un = found.un_prefix || un_names(s, &words[head..].join(" "));
            let key = OrgKey::Acronym(
                acronym.replace('/', "-"),
                under_un.then_some(UNITED_NATIONS),
            );
            hits.push(OrgHit {
                key: key.clone(),
                part: text.part,
                start: long_start,
                end: long_end,
                long_form: true,
            });
            // The acronym in parentheses and every later bare use.
            let mut from = open + 1;
            while let Some(i) = s[from..].find(acronym).map(|i| i + from) {
                let end = i + acronym.len();
                if text.is_word_boundary(i, end) {
                    hits.push(OrgHit {
                        key: key.clone(),
                        part: text.part,
                        start: i,
                        end,
                        long_form: false,
                    });
                }
                from = end;
            }
        }
        hits
    }

    /// Builds the output entries: `hits` from the text, `metadata` names
    /// given by the article's metadata.
    pub fn organizations(
        &self,
        texts: &[Text<'_>],
        hits: &[OrgHit],
        metadata: &[String],
    ) -> Vec<Organization> {
        let mut entries: Vec<(OrgKey, Organization, usize)> = Vec::new();
        let mut index: HashMap<OrgKey, usize> = HashMap::default();
        let mut entry = |key: &OrgKey,
                         order: usize,
                         entries: &mut Vec<(OrgKey, Organization, usize)>|
         -> usize {
            if let Some(&i) = index.get(key) {
                return i;
            }
            let (name, facet) = match key {
                OrgKey::Table(o) => {
                    let org = &self.orgs[*o as usize];
                    (org.name.clone(), org.facet.clone())
                }
                OrgKey::Named(n) | OrgKey::Acronym(n, None) => (n.clone(), format!("/{n}")),
                OrgKey::Acronym(n, Some(parent)) => (n.clone(), format!("/{parent}/{n}")),
            };
            entries.push((
                key.clone(),
                Organization {
                    name,
                    facet,
                    mentions: Vec::new(),
                    sources: Vec::new(),
                    spans: Vec::new(),
                },
                order,
            ));
            index.insert(key.clone(), entries.len() - 1);
            entries.len() - 1
        };
        for (order, hit) in hits.iter().enumerate() {
            let text = texts
                .iter()
                .find(|t| t.part == hit.part)
                .expect("hit comes from a text");
            let i = entry(&hit.key, order, &mut entries);
            let org = &mut entries[i].1;
            let mention = &text.s[hit.start..hit.end];
            if !org.mentions.iter().any(|m| m == mention) {
                org.mentions.push(mention.to_string());
            }
            let source = match hit.part {
                Part::Title => Origin::Title,
                Part::Body => Origin::Text,
            };
            if !org.sources.contains(&source) {
                org.sources.push(source);
            }
            org.spans.push(Span {
                part: hit.part,
                start: text.char_offset(hit.start),
                end: text.char_offset(hit.end),
                derived: false,
            });
        }
        for name in metadata {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let key = match self.lookup(name) {
                Some(o) => OrgKey::Table(o),
                None => OrgKey::Named(metadata_name(name)),
            };
            let i = entry(&key, usize::MAX, &mut entries);
            let org = &mut entries[i].1;
            if !org.sources.contains(&Origin::Metadata) {
                org.sources.push(Origin::Metadata);
            }
        }
        let mut out: Vec<(Organization, usize)> = entries
            .into_iter()
            .map(|(_, o, order)| (o, order))
            .collect();
        for (org, _) in &mut out {
            org.sources.sort();
        }
        // Most mentioned first; ties in order of first appearance.
        out.sort_by_key(|(o, order)| (std::cmp::Reverse(o.spans.len()), *order));
        out.into_iter().map(|(o, _)| o).collect()
    }
}

/// A metadata organization name not in the table, kept as given; an
/// all-lower-case name (a code) is title-cased ("acme corp" -> "Acme Corp").
fn metadata_name(name: &str) -> String {
    let name = name.replace('/', "-");
    if name.chars().any(char::is_uppercase) {
        return name;
    }
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// True if a company word stands right after the match or near it in the
/// same sentence.
fn company_context(text: &Text<'_>, start: usize, end: usize) -> bool {
    if let Some(next) = text.adjacent_word_after(end)
        && COMPANY_SUFFIXES.contains(&next.to_lowercase().as_str())
    {
        return true;
    }
    let from = text.s[..start]
        .rfind(['.', '!', '?', '\n'])
        .map_or(0, |i| i + 1);
    let to = text.s[end..]
        .find(['.', '!', '?', '\n'])
        .map_or(text.s.len(), |i| i + end);
    let sentence = text.s[from..to].to_lowercase();
    COMPANY_CONTEXT.iter().any(|w| {
        sentence.match_indices(w).any(|(i, _)| {
            let before = sentence[..i].chars().next_back();
            let after = sentence[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// True for a plausible acronym: 2 to 10 letters, mostly capitals.
fn is_acronym(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = s.chars().filter(|c| c.is_uppercase()).count();
    (2..=10).contains(&s.chars().count())
        && s.chars().all(|c| c.is_alphabetic() || c == '-' || c == '&')
        && capitals >= 2
        && capitals * 2 > letters
}

/// Last words that make a capitalised run a company's name ("Acme Corp",
/// "Siemens AG"), beyond [`ORGANIZATION_WORDS`].
const COMPANY_HEADS: &[&str] = &[
    "inc",
    "corp",
    "co",
    "ltd",
    "limited",
    "plc",
    "llc",
    "ag",
    "nv",
    "gmbh",
    "spa",
    "bancorp",
    "holdings",
    "industries",
    "airlines",
    "airways",
    "motors",
    "securities",
    "partners",
    "systems",
    "technologies",
    "petroleum",
    "ministry",
    "police",
    "club",
];

/// First words that make "Head of Capitalised Words" an organization's
/// name ("Ministry of Defence", "Bank of Japan", "University of Ghana").
const OF_HEADS: &[&str] = &[
    "ministry",
    "bank",
    "university",
    "department",
    "council",
    "federation",
    "union",
    "association",
    "office",
    "board",
    "institute",
    "chamber",
    "church",
    "court",
    "commission",
    "league",
    "party",
    "organisation",
    "organization",
    "society",
    "house",
    "college",
    "confederation",
    "bureau",
    "agency",
];

/// Words that may join the capitalised words of one name.
const CONNECTORS: &[&str] = &["of", "for", "and", "&", "de", "du", "des", "on", "in"];

/// One word of a text with its byte range, punctuation around it removed.
#[derive(Clone, Copy, Debug)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// True if punctuation after the word ends the run (",", "." after a
    /// non-abbreviation, ";", ")").
    breaks_after: bool,
    /// True if punctuation before the word starts a new run ("(", a quote).
    breaks_before: bool,
}

/// What one whitespace-free piece of text is to the organization-word rule.
enum Piece<'a> {
    /// A word, punctuation around it removed.
    Word(Word<'a>),
    /// Punctuation standing alone (" , ", " : "), which ends a run.
    Punctuation,
}

/// Reads the piece `raw` found at byte `start_raw`; `None` for an empty one.
fn piece<'a>(start_raw: usize, raw: &'a str) -> Option<Piece<'a>> {
    if raw.is_empty() {
        return None;
    }
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // Most words: nothing to trim, no dot, no punctuation around.
        return Some(Piece::Word(Word {
            text: raw,
            start: start_raw,
            end: start_raw + raw.len(),
            breaks_after: false,
            breaks_before: false,
        }));
    }
    let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let body = &raw[lead..];
    let core = body.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
    // A final dot is the word's own in an abbreviation ("Corp.",
    // "U.S."), else it ends the sentence.
    let abbreviation = core.ends_with('.')
        && (COMPANY_HEADS.contains(&core.trim_end_matches('.').to_lowercase().as_str())
            || core.matches('.').count() >= 2);
    let core = if abbreviation {
        core
    } else {
        core.trim_end_matches('.')
    };
    if core.is_empty() {
        return Some(Piece::Punctuation);
    }
    let start = start_raw + lead;
    let tail = &raw[lead + core.len()..];
    Some(Piece::Word(Word {
        text: core,
        start,
        end: start + core.len(),
        breaks_after: !tail.is_empty() && !tail.starts_with('\''),
        breaks_before: lead > 0,
    }))
}

/// The words of `s[range]` (which starts and ends at white space or at an
/// end of `s`), with byte offsets into `s`.
fn words_of(s: &str, range: std::ops::Range<usize>) -> Vec<Word<'_>> {
    let from = range.start;
    // About one word per six bytes of news text; reserving up front saves
    // most of the regrowing, capped so a huge body reserves no more than
    // it needs.
    let mut out: Vec<Word<'_>> = Vec::with_capacity((range.len() / 6).min(1 << 16));
    for (start_raw, raw) in whitespace_separated(&s[range]) {
        match piece(from + start_raw, raw) {
            Some(Piece::Word(word)) => out.push(word),
            Some(Piece::Punctuation) => {
                // Punctuation standing alone ends the run too.
                if let Some(previous) = out.last_mut() {
                    previous.breaks_after = true;
                }
            }
            None => {}
        }
    }
    out
}

/// True if the piece is a word that no run of the organization-word rule
/// holds or steps over: it is not capitalised, so it neither starts nor
/// continues a run, and is no connector nor "the" in any case (nor
/// anything non-ASCII, to be safe), so no run joins across it. The rule's
/// scan passes such a word on its own, so what it finds between two of
/// them depends only on the words between them.
fn ends_runs(piece: &Option<Piece<'_>>) -> bool {
    let Some(Piece::Word(word)) = piece else {
        return false;
    };
    let w = word.text;
    !is_capitalised(w)
        && w.is_ascii()
        && !w.eq_ignore_ascii_case("the")
        && !CONNECTORS.iter().any(|c| c.eq_ignore_ascii_case(w))
}

/// The byte range of the words around the piece holding byte `at` that
/// the organization-word rule reads together: from the word after the
/// last word before it that [`ends_runs`] to the first one after it that
/// does. `None` when the piece at `at` is such a word.
fn segment_around(s: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let piece_start = |end: usize| {
        s[..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    let piece_end = |start: usize| {
        s[start..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(s.len(), |(i, _)| start + i)
    };
    let (start, end) = (piece_start(at), piece_end(at));
    if ends_runs(&piece(start, &s[start..end])) {
        return None;
    }
    let mut from = start;
    loop {
        let before = s[..from].trim_end_matches(char::is_whitespace);
        if before.is_empty() {
            from = 0;
            break;
        }
        let (a, b) = (piece_start(before.len()), before.len());
        if ends_runs(&piece(a, &s[a..b])) {
            from = b;
            break;
        }
        from = a;
    }
    let mut to = end;
    loop {
        let after = s[to..].trim_start_matches(char::is_whitespace);
        if after.is_empty() {
            to = s.len();
            break;
        }
        let a = s.len() - after.len();
        let b = piece_end(a);
        if ends_runs(&piece(a, &s[a..b])) {
            to = a;
            break;
        }
        to = b;
    }
    Some(from..to)
}

/// The pieces of `s` between whitespace characters (`char::is_whitespace`),
/// each with its byte offset, empty ones included: what splitting after
/// each whitespace character and trimming it gives, found with a byte scan
/// that decodes only non-ASCII characters.
fn whitespace_separated(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            let (space, width) = if b.is_ascii() {
                // `char::is_whitespace` on ASCII; unlike
                // `u8::is_ascii_whitespace` it includes the vertical tab.
                (matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1)
            } else {
                let c = s[i..]
                    .chars()
                    .next()
                    .expect("`i` is on a character boundary");
                (c.is_whitespace(), c.len_utf8())
            };
            i += width;
            if space {
                let piece = (start, &s[start..i - width]);
                start = i;
                return Some(piece);
            }
        }
        // The text after the last whitespace character, if any.
        (start < bytes.len()).then(|| {
            let piece = (start, &s[start..]);
            start = bytes.len();
            piece
        })
    })
}

/// The organization-word rule: a run of capitalised words (connectors
/// such as "of" and "and" allowed inside) that ends in an organization
/// word or a company form ("Sahel Peace Council", "Acme Corp"), or that
/// opens with one followed by "of" ("Ministry of Defence"), is an
/// organization's name. A person's title ends the run ("British Armed
/// Forces | Minister | James Heappey"), and so does punctuation; function
/// words and month or weekday names at its start are left out. A name
/// needs two words or more, and the rule stays out of headlines whose
/// capitals say nothing of text that `taken` already covers and of places' names.
fn organization_word_runs(
    text: &Text<'_>,
    taken: &[OrgHit],
    is_place: &dyn Fn(&str) -> bool,
) -> Vec<OrgHit> {
    if text.caps_uninformative() {
        return Vec::new();
    }
    // Only the words around a head word can make a name: each stretch of
    // text between two words that end runs (see `ends_runs`) is read on
    // its own, and only those holding a head are read at all.
    let mut hits = Vec::new();
    let mut read_to = 0;
    for at in head_starts(text) {
        if at < read_to {
            continue;
        }
        let Some(segment) = segment_around(text.s, at) else {
            continue;
        };
        read_to = segment.end;
        let words = words_of(text.s, segment);
        runs_in(text, &words, taken, is_place, &mut hits);
    }
    hits
}

/// The organization-word rule over `words`, pushing what it finds to `hits`.
fn runs_in(
    text: &Text<'_>,
    words: &[Word<'_>],
    taken: &[OrgHit],
    is_place: &dyn Fn(&str) -> bool,
    hits: &mut Vec<OrgHit>,
) {
    let mut lower = String::new();
    let mut i = 0;
    while i < words.len() {
        if !is_capitalised(words[i].text) {
            i += 1;
            continue;
        }
        // Most capitalised stretches name no organization; the checks
        // below are costly, so a stretch with no head word in it (a
        // superset of any run found in it) is skipped whole.
        let stretch_end = stretch_end(words, i);
        let has_head = words[i..stretch_end].iter().any(|w| {
            lower.clear();
            lower.push_str(w.text.trim_end_matches('.'));
            lower.make_ascii_lowercase();
            head_words().contains(lower.as_str())
        });
        if !has_head {
            i = stretch_end;
            continue;
        }
        let starts_run = |w: &Word<'_>| {
            is_capitalised(w.text)
                && !is_function_word(w.text)
                && !is_person_title(w.text)
                && !crate::corpus::dates::is_month_or_weekday_name(w.text)
                // A shouted word opens no name, a short acronym may ("MFS
                // Communications Co").
                && (w.text.chars().any(char::is_lowercase) || w.text.len() <= 4)
        };
        if !starts_run(&words[i]) {
            i += 1;
            continue;
        }
        // Extend the run.
        let mut j = i;
        while !words[j].breaks_after && j + 1 < words.len() {
            let next = &words[j + 1];
            if next.breaks_before || is_person_title(next.text) {
                break;
            }
            let connector = CONNECTORS.contains(&lower_into(&mut lower, next.text))
                || next.text.eq_ignore_ascii_case("the")
                    && words[j].text.eq_ignore_ascii_case("of");
            if connector {
                let previous = lower_into(&mut lower, words[j].text.trim_end_matches('.'));
                // "and" after a company form joins two companies ("WorldCom
                // Inc and MFS Communications Co").
                let and = matches!(next.text, "and" | "&");
                if and && COMPANY_HEADS.contains(&previous) {
                    break;
                }
                // "of", "for", "in"... join only after a head ("Ministry of
                // Defence", "Cooperation in Europe"), not after a person's
                // name ("Ross Perot of the Reform Party").
                let head = OF_HEADS.contains(&previous) || ORGANIZATION_WORDS.contains(&previous);
                if !and && !head && !(next.text.eq_ignore_ascii_case("the")) {
                    break;
                }
                // A connector must lead to another capitalised word.
                let after = words.get(j + 2);
                let joined = !next.breaks_after
                    && after.is_some_and(|a| {
                        !a.breaks_before
                            && (is_capitalised(a.text) || a.text.eq_ignore_ascii_case("the"))
                    });
                if !joined {
                    break;
                }
                j += 1;
                continue;
            }
            if !is_capitalised(next.text) || is_function_word(next.text) {
                break;
            }
            j += 1;
        }
        if let Some(hit) = organization_in_run(text, &words[i..=j], taken, is_place) {
            hits.push(hit);
        }
        i = j + 1;
    }
}

/// True if `word` lower-cased is in `list` (a list written in lower case):
/// an ASCII word is compared case-insensitively in place, anything else is
/// lower-cased first, since a non-ASCII character may lower-case to ASCII.
fn in_list(list: &[&str], word: &str) -> bool {
    if word.is_ascii() {
        list.iter().any(|entry| entry.eq_ignore_ascii_case(word))
    } else {
        list.contains(&word.to_lowercase().as_str())
    }
}

/// `word` lower-cased into `buffer`, which is reused from word to word: an
/// ASCII word is lower-cased in place of a new string, anything else takes
/// `str::to_lowercase` (the same result either way).
fn lower_into<'b>(buffer: &'b mut String, word: &str) -> &'b str {
    buffer.clear();
    if word.is_ascii() {
        buffer.push_str(word);
        buffer.make_ascii_lowercase();
    } else {
        buffer.push_str(&word.to_lowercase());
    }
    buffer.as_str()
}

/// Every organization word, company form and "of" head, lower case.
fn head_words() -> &'static HashSet<&'static str> {
    static HEADS: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    HEADS.get_or_init(|| {
        ORGANIZATION_WORDS
            .iter()
            .chain(COMPANY_HEADS)
            .chain(OF_HEADS)
            .copied()
            .collect()
    })
}

/// Where a head word ("Corp", "Ministry") may stand in the text as a
/// capitalised whole word, in order: every place the rule may build a name
/// around, and a few more (a word such as "Bankü" whose ASCII letters make
/// a head). Read from the word starts the name tables walk, without
/// splitting the text into words: a start qualifies when its ASCII letters
/// and digits, lower-cased, open a head word the way "co" opens
/// "co-operation".
fn head_starts(text: &Text<'_>) -> Vec<usize> {
    /// Head words are ASCII and at most this long (a test checks), so a
    /// word's lower-case bytes, one per byte of a `u128`, are its key.
    const LONGEST: usize = 16;
    let key = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(0u128, |k, b| (k << 8) | u128::from(b.to_ascii_lowercase()))
    };
    static OPENINGS: std::sync::OnceLock<HashSet<u128>> = std::sync::OnceLock::new();
    let openings = OPENINGS.get_or_init(|| {
        head_words()
            .iter()
            .map(|h| {
                let opening = h.split(|c: char| !c.is_ascii_alphanumeric()).next();
                key(opening.unwrap_or(h).as_bytes())
            })
            .collect()
    });
    let bytes = text.s.as_bytes();
    let mut starts = Vec::new();
    text.each_match_start(|at| {
        if !bytes[at].is_ascii_uppercase() {
            return;
        }
        let len = bytes[at..]
            .iter()
            .take(LONGEST + 1)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len <= LONGEST && openings.contains(&key(&bytes[at..at + len])) {
            starts.push(at);
        }
    });
    starts
}

/// The end (exclusive) of the stretch of words from `i` that a run could
/// span: capitalised words and lower-case connectors, with no punctuation
/// between them.
fn stretch_end(words: &[Word<'_>], i: usize) -> usize {
    let mut j = i;
    while j + 1 < words.len() && !words[j].breaks_after {
        let next = &words[j + 1];
        let joins =
            is_capitalised(next.text) || CONNECTORS.contains(&next.text) || next.text == "the";
        if next.breaks_before || !joins {
            break;
        }
        j += 1;
    }
    j + 1
}

/// The organization a run of capitalised words names, if any: the whole
/// run when it opens with a head followed by "of" or "for" ("Ministry of
/// Defence", "Organisation for Security and Cooperation in Europe"), else
/// its longest part from the start that ends in an organization word or a
/// company form ("Acme Corp" in "Acme Corp in London").
fn organization_in_run(
    text: &Text<'_>,
    mut run: &[Word<'_>],
    taken: &[OrgHit],
    is_place: &dyn Fn(&str) -> bool,
) -> Option<OrgHit> {
    fn word<'w>(w: &Word<'w>) -> &'w str {
        w.text.trim_end_matches('.')
    }
    let is_connector =
        |w: &Word<'_>| in_list(CONNECTORS, word(w)) || w.text.eq_ignore_ascii_case("the");
    // "Results of European Super League": a sentence-opening word before
    // "of" that is no head is not part of the name.
    if run.len() >= 3
        && text.starts_sentence(run[0].start)
        && matches!(run[1].text, "of" | "for")
        && !in_list(OF_HEADS, word(&run[0]))
    {
        run = &run[2..];
        while run.first().is_some_and(is_connector) {
            run = &run[1..];
        }
    }
    let is_head =
        |w: &Word<'_>| in_list(ORGANIZATION_WORDS, word(w)) || in_list(COMPANY_HEADS, word(w));
    let of_head =
        run.len() >= 3 && in_list(OF_HEADS, word(&run[0])) && matches!(run[1].text, "of" | "for");
    let end = if of_head {
        run.len()
    } else {
        run.iter().rposition(is_head)? + 1
    };
    let mut run = &run[..end];
    while run.last().is_some_and(is_connector) {
        run = &run[..run.len() - 1];
    }
    if run.iter().filter(|w| is_capitalised(w.text)).count() < 2 {
        return None;
    }
    let (start, end) = (run[0].start, run[run.len() - 1].end);
    let free = !taken
        .iter()
        .any(|h| h.part == text.part && h.start < end && start < h.end);
    let name = text.s[start..end].trim_end_matches('.').replace('/', "-");
    if !free || is_place(&name) {
        return None;
    }
    Some(OrgHit {
        key: OrgKey::Named(name),
        part: text.part,
        start,
        end,
        long_form: false,
    })
}

/// Where an acronym's long form starts, and how it was found.
#[derive(Debug, PartialEq)]
struct LongForm {
    /// Byte offset of the long form's first word.
    start: usize,
    /// True if found by the loose alignment.
    loose: bool,
    /// True if "UN", "U.N." or "United Nations" stands right before the
    /// long form and is not part of the acronym ("UN Multidimensional ...
    /// (MINUSCA)").
    un_prefix: bool,
}

/// The words of `head` on its last line, with their byte offsets.
fn line_words(head: &str) -> Vec<(usize, &str)> {
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let mut words = Vec::new();
    let mut offset = line_start;
    for w in head[line_start..].split(' ') {
        if !w.is_empty() {
            words.push((offset, w));
        }
        offset += w.len() + 1;
    }
    words
}

/// Finds the long form of `acronym` in `head` (the text before the
/// parenthesis).
///
/// First by initials: the acronym's capitals are the initials of the
/// capitalised words before it, from the end, small words skipped
/// ("Organization of American States (OAS)"). Failing that, by a looser
/// alignment for acronyms made from another language's name or from
/// inner letters ("Multidimensional Integrated Stabilization Mission in
/// Mali (MINUSMA)" comes from the French name): the capitalised run before
/// the parenthesis (small words allowed inside, a UN prefix left out) is
/// the long form when its first word's initial is the acronym's first
/// letter and at least 60% of its capitalised words' initials appear, in
/// order, among the acronym's letters. The loose form needs an acronym
/// of 3 letters or more and a run of 2 capitalised words or more.
fn long_form_start(head: &str, acronym: &str) -> Option<LongForm> {
    let words = line_words(head);
    if let Some(start) = initials_start(&words, acronym) {
        return Some(LongForm {
            start,
            loose: false,
            un_prefix: un_prefix_before(&words, start),
        });
    }
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    if letters.len() < 3 {
        return None;
    }
    // The capitalised run, last word first.
    let mut run: Vec<(usize, &str)> = Vec::new();
    for &(at, raw) in words.iter().rev() {
        if raw.ends_with([',', ';', ':', '.']) && !is_dotted_abbreviation(raw) {
            break;
        }
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        if word.is_empty() || is_person_title(word) {
            break;
        }
        let small = SMALL_WORDS.contains(&word.to_lowercase().as_str());
        if !small && !is_capitalised(word) {
            break;
        }
        run.push((at, word));
    }
    run.reverse();
    // Small words cannot open the long form, nor can a capitalised
    // sentence opener ("A", "The").
    while run.first().is_some_and(|(_, w)| {
        SMALL_WORDS.contains(&w.to_lowercase().as_str()) || is_function_word(w)
    }) {
        run.remove(0);
    }
    // A UN prefix is the parent's name, not the long form's.
    if run.first().is_some_and(|(_, w)| matches!(*w, "UN" | "U.N")) {
        run.remove(0);
    } else if run.len() > 2 && run[0].1 == "United" && run[1].1 == "Nations" {
        run.drain(..2);
    }
    let initial_of = |w: &str| w.chars().next().map(|c| c.to_ascii_uppercase());
    let &(at, first) = run.first()?;
    if initial_of(first) != Some(letters[0]) {
        return None;
    }
    let initials: Vec<char> = run
        .iter()
        .filter(|(_, w)| is_capitalised(w))
        .filter_map(|(_, w)| initial_of(w))
        .collect();
    if initials.len() < 2 || common_subsequence(&initials, &letters) * 5 < initials.len() * 3 {
        return None;
    }
    Some(LongForm {
        start: at,
        loose: true,
        un_prefix: un_prefix_before(&words, at),
    })
}

/// The strict initials alignment of [`long_form_start`].
fn initials_start(words: &[(usize, &str)], acronym: &str) -> Option<usize> {
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_uppercase()).collect();
    let mut words = words.to_vec();
    let mut need = letters.len();
    let mut start = None;
    while need > 0 {
        let (at, raw) = words.pop()?;
        if raw.ends_with([',', ';', ':', '.']) {
            // A clause or sentence ends before the acronym's letters do.
            return None;
        }
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        if word.is_empty() {
            return None;
        }
        if SMALL_WORDS.contains(&word.to_lowercase().as_str()) && start.is_some() {
            continue;
        }
        if !is_capitalised(word) || is_person_title(word) {
            return None;
        }
        let initial = word.chars().next()?;
        if initial != letters[need - 1] {
            return None;
        }
        need -= 1;
        start = Some(at);
    }
    start
}

/// True for "U.N." and the like, whose final dot ends no clause.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.len() >= 4
        && word
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.len() == 1)
}

/// True if the words just before byte `start` are a UN prefix.
fn un_prefix_before(words: &[(usize, &str)], start: usize) -> bool {
    let before: Vec<&str> = words
        .iter()
        .take_while(|(at, _)| *at < start)
        .map(|(_, w)| *w)
        .collect();
    match before.as_slice() {
        [.., "United", "Nations"] => true,
        [.., last] => matches!(*last, "UN" | "U.N."),
        [] => false,
    }
}

/// True if `s` names `head` (lower case, "mission in mali") as a UN body:
/// "UN mission in Mali", "U.N. Mission in Mali", "United Nations mission in
/// Mali".
fn un_names(s: &str, head: &str) -> bool {
    if head.is_empty() {
        return false;
    }
    let lower = s.to_lowercase();
    ["un ", "u.n. ", "united nations "].iter().any(|prefix| {
        let phrase = format!("{prefix}{head}");
        lower.match_indices(&phrase).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + phrase.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// The length of the longest common subsequence of two short letter lists.
fn common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static OrgTable {
        static T: std::sync::OnceLock<OrgTable> = std::sync::OnceLock::new();
        T.get_or_init(OrgTable::load)
    }

    fn orgs(body: &str) -> Vec<Organization> {
        let texts = [Text::new(body, Part::Body, false)];
        let hits = table().find(&texts, &HashSet::default(), &|name| {
            ["West Bank", "Soviet Union"].contains(&name)
        });
        table().organizations(&texts, &hits, &[])
    }

    fn facets(body: &str) -> Vec<String> {
        orgs(body).into_iter().map(|o| o.facet).collect()
    }

    #[test]
    fn all_reuters_org_codes_resolve() {
        let codes = "adb-africa adb-asia aibd aid anrpc asean atpc bis cipec comecon ec eca ecafe \
            ece ecla ecsc ecwa efta eib emcf escap euratom fao gatt gcc geplacea iaea iata icco \
            ico-coffee ico-islam ida iea iisi ilo ilzsg imco imf inro irsg isa itc iwc-whale \
            iwc-wheat iwcc iws iwto lafta mfa oapec oecd opec un unctad who worldbank";
        let codes: Vec<String> = codes.split(' ').map(|c| c.replace('-', " ")).collect();
        assert_eq!(codes.len(), 56);
        let missing: Vec<&String> = codes
            .iter()
            .filter(|c| table().lookup(c).is_none())
            .collect();
        assert!(missing.is_empty(), "unresolved: {missing:?}");
        let facet = |code: &str| {
            table().orgs[table().lookup(code).unwrap() as usize]
                .facet
                .clone()
        };
        assert_eq!(facet("ec"), "/European Union");
        assert_eq!(facet("worldbank"), "/World Bank");
    }

    #[test]
    fn bodies_of_the_un_sit_under_it_and_match_with_a_un_prefix() {
        let f = facets("The UN Security Council met. Later the U.N. World Food Programme spoke.");
        assert!(
            f.contains(&"/United Nations/Security Council".to_string()),
            "{f:?}"
        );
        assert!(
            f.contains(&"/United Nations/World Food Programme".to_string()),
            "{f:?}"
        );
        assert!(!f.contains(&"/United Nations".to_string()), "{f:?}");
    }

    #[test]
    fn who_is_the_health_agency_only_when_written_in_capitals_outside_questions() {
        assert_eq!(
            facets("The WHO said cases fell."),
            ["/United Nations/World Health Organization"]
        );
        assert!(facets("Officials who spoke said cases fell.").is_empty());
        assert!(facets("WHO is to blame?").is_empty());
    }

    #[test]
    fn ambiguous_company_names_need_company_context() {
        assert!(facets("She ate an apple and an Apple pie.").is_empty());
        assert!(facets("Harrison Ford starred.").is_empty());
        assert_eq!(facets("Apple shares rose 3%."), ["/Apple"]);
        assert_eq!(
            facets("Ford Motor Co said sales rose. Ford also said..."),
            ["/Ford"]
        );
        assert!(facets("The Amazon rainforest burned.").is_empty());
    }

    #[test]
    fn acronym_rule_makes_an_organization_of_an_unknown_long_form() {
        let o = orgs(
            "The Sahel Regional Security Council (SRSC) met in Niamey. SRSC said later \
             that it would meet again.",
        );
        assert_eq!(o[0].name, "SRSC");
        assert_eq!(o[0].facet, "/SRSC");
        assert_eq!(o[0].mentions, ["Sahel Regional Security Council", "SRSC"]);
        assert_eq!(o[0].spans.len(), 3);
    }

    #[test]
    fn acronym_rule_aligns_acronyms_of_another_languages_name_loosely() {
        let o = orgs(
            "The council voted to establish a Multidimensional Integrated Stabilization \
             Mission in Mali (MINUSMA) in 2013. MINUSMA left in 2023.",
        );
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].facet, "/MINUSMA");
        assert_eq!(
            o[0].mentions,
            [
                "Multidimensional Integrated Stabilization Mission in Mali",
                "MINUSMA"
            ]
        );
        assert_eq!(o[0].spans.len(), 3);
    }

    #[test]
    fn an_acronym_sits_under_the_un_when_the_text_makes_it_a_un_body() {
        let prefixed = orgs(
            "The 12,000-strong UN Multidimensional Integrated Stabilization Mission in the \
             Central African Republic (MINUSCA) began deployment.",
        );
        let minusca = prefixed.iter().find(|o| o.name == "MINUSCA").unwrap();
        assert_eq!(minusca.facet, "/United Nations/MINUSCA");
        assert_eq!(
            minusca.mentions[0],
            "Multidimensional Integrated Stabilization Mission in the Central African Republic"
        );
        let named_elsewhere = facets(
            "Troops left the UN mission in Mali. A Multidimensional Integrated Stabilization \
             Mission in Mali (MINUSMA) had been set up in 2013.",
        );
        assert!(
            named_elsewhere.contains(&"/United Nations/MINUSMA".to_string()),
            "{named_elsewhere:?}"
        );
    }

    #[test]
    fn loose_acronym_alignment_needs_the_first_letter_and_most_initials() {
        // The organization-word rule may still find the long form; the
        // acronym must not name it.
        // No initial matches the acronym's first letter.
        let farc = facets("The Revolutionary Armed Forces of Colombia (FARC) met.");
        assert!(!farc.iter().any(|f| f.contains("FARC")), "{farc:?}");
        // Too few of the run's initials are in the acronym.
        assert!(
            !facets("Talks at the Paris Climate Action Group Summit Office (PX) ended.")
                .iter()
                .any(|f| f.contains("PX"))
        );
        // A person's title ends the run.
        assert!(
            !facets("Minister Jones Mission Group (MJMX) spoke.")
                .iter()
                .any(|f| f.contains("MJMX"))
        );
    }

    #[test]
    fn the_word_lists_are_written_in_lower_case() {
        // `in_list` and `head_words` compare against the lists as written.
        for list in [ORGANIZATION_WORDS, COMPANY_HEADS, OF_HEADS, CONNECTORS] {
            for entry in list {
                assert_eq!(*entry, entry.to_lowercase(), "{entry}");
            }
        }
        assert!(in_list(OF_HEADS, "MINISTRY") && !in_list(CONNECTORS, "Ministry"));
    }

    #[test]
    fn head_words_are_ascii_and_fit_the_stack_lower_casing() {
        assert!(head_words().iter().all(|h| h.is_ascii() && h.len() <= 16));
    }

    #[test]
    fn head_starts_include_every_capitalised_whole_word_head() {
        let s = "The Co-operation Council, ACME CORP. and Bankü met; bank Ministry-of (Trust)";
        let text = Text::new(s, Part::Body, false);
        let starts = head_starts(&text);
        for word in [
            "Co-operation",
            "Council",
            "CORP",
            "Bankü",
            "Ministry",
            "Trust",
        ] {
            assert!(
                starts.contains(&s.find(word).unwrap()),
                "{word}: {starts:?}"
            );
        }
        assert!(!starts.contains(&s.find("bank").unwrap()));
    }

    #[test]
    fn whitespace_separated_pieces_are_those_of_splitting_after_each_whitespace() {
        let texts = [
            "",
            " ",
            "Acme Corp said",
            "  two\t\tspaces \u{0B}vertical\u{85}next\u{a0}nbsp\u{3000}ideographic ",
            "caf\u{e9} d\u{e9}j\u{e0}\nvu\r\n",
        ];
        for text in texts {
            let mut offset = 0;
            let expected: Vec<(usize, &str)> = text
                .split_inclusive(char::is_whitespace)
                .map(|raw| {
                    let start = offset;
                    offset += raw.len();
                    (start, raw.trim_end())
                })
                .collect();
            let found: Vec<(usize, &str)> = whitespace_separated(text).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn a_capitalised_run_ending_in_an_organization_word_is_an_organization() {
        assert_eq!(
            facets("Shares in Acme Widgets Corp rose after the Sahel Peace Council met."),
            ["/Acme Widgets Corp", "/Sahel Peace Council"]
        );
        // Only the part that ends in the head ("Acme Corp in London").
        assert_eq!(
            facets("Acme Holdings in London said so."),
            ["/Acme Holdings"]
        );
    }

    #[test]
    fn a_head_followed_by_of_opens_an_organization_name() {
        assert_eq!(
            facets(
                "The Ministry of Defence and the Organisation for Security and Cooperation in Europe spoke."
            ),
            [
                "/Ministry of Defence",
                "/Organisation for Security and Cooperation in Europe"
            ]
        );
        // A person's name before "of" is not part of it.
        assert_eq!(
            facets("said Ross Perot of the Reform Party."),
            ["/Reform Party"]
        );
    }

    #[test]
    fn person_titles_and_punctuation_end_an_organization_name() {
        assert_eq!(
            facets("British Armed Forces Minister James Heappey spoke."),
            ["/British Armed Forces"]
        );
        assert_eq!(
            facets("Tarmac Plc , Costain Group Plc and WorldCom Inc and MFS Communications Co Inc"),
            [
                "/Tarmac Plc",
                "/Costain Group Plc",
                "/WorldCom Inc",
                "/MFS Communications Co Inc"
            ]
        );
    }

    #[test]
    fn the_organization_word_rule_leaves_single_words_places_and_headlines_alone() {
        assert!(facets("The Group said the Council met.").is_empty());
        assert!(facets("Troops left the West Bank and the Soviet Union.").is_empty());
        let texts = [Text::new(
            "Acme Widgets Corp Profits Rise",
            Part::Title,
            true,
        )];
        assert!(
            table()
                .find(&texts, &HashSet::default(), &|_| false)
                .is_empty()
        );
    }

    #[test]
    fn common_subsequence_counts_letters_in_order() {
        let c = |a: &str, b: &str| {
            common_subsequence(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(c("MISMM", "MINUSMA"), 4);
        assert_eq!(c("ABC", "CBA"), 1);
        assert_eq!(c("", "ABC"), 0);
    }

    #[test]
    fn acronym_rule_ignores_long_forms_that_are_not_organizations() {
        assert!(facets("Gross Domestic Product (GDP) rose.").is_empty());
        assert!(facets("He said (OK) nothing.").is_empty());
    }

    #[test]
    fn known_acronyms_in_parentheses_stay_with_the_table_entry() {
        let o = orgs("The Economic Community of West African States (ECOWAS) met.");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].facet, "/ECOWAS");
        assert_eq!(
            o[0].mentions,
            ["Economic Community of West African States", "ECOWAS"]
        );
    }

    #[test]
    fn unknown_metadata_names_are_kept_and_lower_case_ones_title_cased() {
        let texts = [Text::new("", Part::Body, false)];
        let o = table().organizations(&texts, &[], &["acme corp".to_string(), "opec".to_string()]);
        let facets: Vec<&str> = o.iter().map(|o| o.facet.as_str()).collect();
        assert_eq!(facets, ["/Acme Corp", "/OPEC"]);
        assert_eq!(o[1].sources, [Origin::Metadata]);
    }
}
