//! Combining the tagger's names with the entities the rules found.
//!
//! The tagger decides which capitalised runs are names and of which type;
//! the gazetteer and the organization table decide what a name is called
//! and where it sits in the facet hierarchy:
//! - a tagger location is resolved through the gazetteer (a country before
//!   a region before a city, as for a dateline); one the gazetteer does not
//!   know (a province, a district, a stadium: "Chechnya", "Wall Street")
//!   is kept under its own node, `/Unplaced/Chechnya`, so that it can still
//!   be filtered on by name;
//! - a tagger organization is the table's organization when the table knows
//!   the name, the organization the rules named with that same string (the
//!   acronym rule's long forms), else its own facet `/Name` (words of a name
//!   written in capitals are title-cased, so `LEICESTERSHIRE` and
//!   `Leicestershire` are one value);
//! - a rule span inside a name the tagger reads as a person or another type
//!   is vetoed ("Jordan" the person, "Paris Hilton"); one inside a longer
//!   name of its own type gives way to it; one that covers or crosses the
//!   tagger's names stays and they give way (see [`keep_rule_span`]); in
//!   [`Mode::Both`] a rule span the tagger left untagged stays, in
//!   [`Mode::Model`] only the tagger's spans count.
//!
//! - a location named like the last word of a person the tagger found in the
//!   article ("Michael Jordan" ... "Jordan leads Bulls") is that person;
//! - a one-word organization with no evidence of its own (not in the table,
//!   no acronym for it, read as an organization once) that the tagger is
//!   unsure of is the place the article names with that string, or nothing
//!   ("the port of Odesa", "across the Nile", "the CFA franc");
//! - a one-word name capitalised only by its position (headline, start of a
//!   sentence) whose lower-case form the article uses is no name ("Cocoa
//!   deliveries fell"); in a Title Case headline a name the tables do not
//!   know needs the body to name it too;
//! - a location opening or ending an event's name ("U.S. Open", "Berlin
//!   Marathon") is no place.
//!
//! Derived mentions (demonyms), datelines and metadata are the rules' and
//! are kept as they are.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{NameKind, TaggedName};
use crate::article::Origin;
use crate::extract::gazetteer::Gazetteer;
use crate::extract::locations::{ends_with_event_word, names_an_event};
use crate::extract::organizations::{OrgTable, rows_with_facets};
use crate::extract::text::Text;
use crate::extract::{Location, Organization, Part, Span};

/// Which of the rules and the tagger find names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Gazetteer, organization table and rules only.
    Rules,
    /// The tagger's names only, normalised through the tables.
    Model,
    /// The tagger's names, and the rules' where the tagger saw no name.
    #[default]
    Both,
}

/// The facet node of places the tagger found that the gazetteer cannot
/// place in the hierarchy (`/Unplaced/Chechnya`).
pub(crate) const UNPLACED: &str = "/Unplaced";

/// Names and facets of the organization table, by table index.
#[derive(Debug)]
pub(crate) struct OrgNames {
    rows: Vec<(String, String)>,
}

impl OrgNames {
    pub fn load() -> OrgNames {
        OrgNames {
            rows: rows_with_facets()
                .into_iter()
                .map(|(row, facet)| (row[0].to_string(), facet))
                .collect(),
        }
    }
}

/// The tables names are resolved through.
#[derive(Clone, Copy)]
pub(crate) struct Tables<'a> {
    pub gazetteer: &'a Gazetteer,
    pub table: &'a OrgTable,
    pub org_names: &'a OrgNames,
}

/// One text the tagger read.
pub(crate) struct TaggedText<'a> {
    pub part: Part,
    pub text: &'a str,
    /// True if the text is ASCII: code point offsets are byte offsets.
    pub ascii: bool,
    pub names: Vec<TaggedName>,
}

/// A name span in code points.
#[derive(Clone, Copy, Debug)]
struct CharName {
    kind: NameKind,
    part: Part,
    start: usize,
    end: usize,
    /// Byte range, for the string.
    byte_start: usize,
    byte_end: usize,
    /// The tagger's margin ([`TaggedName::margin`]).
    margin: f32,
}

fn char_names(texts: &[TaggedText<'_>]) -> Vec<CharName> {
    let mut out = Vec::new();
    for t in texts {
        let mut names = t.names.clone();
        names.sort_by_key(|n| n.start);
        let (mut byte, mut chars) = (0usize, 0usize);
        let mut advance = |to: usize| {
            chars += t.text[byte..to].chars().count();
            byte = to;
            chars
        };
        for n in names {
            let (start, end) = if t.ascii {
                (n.start, n.end)
            } else {
                (advance(n.start), advance(n.end))
            };
            out.push(CharName {
                kind: n.kind,
                part: t.part,
                start,
                end,
                byte_start: n.start,
                byte_end: n.end,
                margin: n.margin,
            });
        }
    }
    out
}

fn overlaps(span: &Span, name: &CharName) -> bool {
    span.part == name.part && span.start < name.end && name.start < span.end
}

/// What the tagger says about a rule span (of type `kind`): kept, or
/// dropped. A name of another type that covers the span vetoes it ("Paris
/// Hilton", "Jordan" the person); a longer name of the same type replaces
/// it. A rule span that covers the tagger's names, or crosses them, stays:
/// the table and the acronym rule know long names ("Office for the
/// Coordination of Humanitarian Affairs", "Côte d'Ivoire") that the
/// tagger may cut. A span the tagger left untagged stays in
/// [`Mode::Both`] only.
fn keep_rule_span(span: &Span, kind: NameKind, names: &[CharName], mode: Mode) -> bool {
    if span.derived {
        return true;
    }
    if mode == Mode::Model {
        return false;
    }
    let covers = |n: &CharName| n.start <= span.start && span.end <= n.end;
    !names.iter().any(|n| {
        overlaps(span, n)
            && covers(n)
            && (n.kind != kind || n.start < span.start || span.end < n.end)
    })
}

/// Title-cases the words of a name written in capitals, longer than four
/// letters (acronyms such as `NATO` stay).
fn display_name(text: &str, shouted: bool) -> String {
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    if !shouted {
        return collapsed.join(" ");
    }
    collapsed
        .iter()
        .map(|w| {
            if w.chars().filter(|c| c.is_alphabetic()).count() > 4
                && !w.chars().any(char::is_lowercase)
            {
                let mut c = w.chars();
                c.next()
                    .map(|f| {
                        f.to_uppercase()
                            .chain(c.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                (*w).to_string()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn source_of(part: Part) -> Origin {
    match part {
        Part::Title => Origin::Title,
        Part::Body => Origin::Text,
    }
}

/// Rebuilds `mentions` and text sources from the spans left, drops entries
/// left with nothing, and sorts most mentioned first (stable).
fn tidy_locations(locations: &mut Vec<Location>, texts: &[TaggedText<'_>]) {
    for loc in locations.iter_mut() {
        loc.mentions.clear();
        loc.sources
            .retain(|s| !matches!(s, Origin::Text | Origin::Title));
        for span in loc.spans.iter().filter(|s| !s.derived) {
            let m = span_text(texts, span);
            if !loc.mentions.contains(&m) {
                loc.mentions.push(m);
            }
            let source = source_of(span.part);
            if !loc.sources.contains(&source) {
                loc.sources.push(source);
            }
        }
        loc.sources.sort();
    }
    locations.retain(|l| !l.spans.is_empty() || !l.sources.is_empty());
    locations.sort_by_key(|l| std::cmp::Reverse(l.spans.len()));
}

fn tidy_organizations(orgs: &mut Vec<Organization>, texts: &[TaggedText<'_>]) {
    for org in orgs.iter_mut() {
        org.mentions.clear();
        org.sources
            .retain(|s| !matches!(s, Origin::Text | Origin::Title));
        for span in &org.spans {
            let m = span_text(texts, span);
            if !org.mentions.contains(&m) {
                org.mentions.push(m);
            }
            let source = source_of(span.part);
            if !org.sources.contains(&source) {
                org.sources.push(source);
            }
        }
        org.sources.sort();
    }
    orgs.retain(|o| !o.spans.is_empty() || !o.sources.is_empty());
    orgs.sort_by_key(|o| std::cmp::Reverse(o.spans.len()));
}

fn span_text(texts: &[TaggedText<'_>], span: &Span) -> String {
    texts
        .iter()
        .find(|t| t.part == span.part)
        .map(|t| {
            if t.ascii {
                t.text[span.start..span.end].to_string()
            } else {
                t.text
                    .chars()
                    .skip(span.start)
                    .take(span.end - span.start)
                    .collect()
            }
        })
        .unwrap_or_default()
}

/// Below this margin a one-word organization without other evidence is not
/// kept (see [`combine`]): the tagger's own emission scores prefer another
/// reading, and only the neighbouring tags made it an organization. Tuned
/// on eng.testa: on its non-sports documents ORG mention precision rises
/// from 0.79 to 0.82 and F1 from 0.768 to 0.778; on all documents F1 moves
/// by less than 0.001 (see EXTRACTION.md).
const WEAK_MARGIN: f32 = 0.0;

/// True if a name's capital may come from its position alone: it stands
/// in the headline (Title Case or capitals capitalise every word), or opens
/// a line, a sentence, a quote or the lead after a dateline's dash.
fn capitalised_by_position(text: &str, start: usize, part: Part) -> bool {
    if part == Part::Title {
        return true;
    }
    let before = &text[..start];
    let head = before.trim_end_matches([' ', '\t', '\u{a0}']);
    match head.chars().next_back() {
        None => true,
        Some('\n' | '\r' | '.' | '!' | '?' | ':' | ';' | '"' | '\'' | '“' | '‘' | '(' | '[') => {
            true
        }
        // A dash after a space ("ACCRA, March 5 - Cocoa ..."), not inside
        // a compound ("Coca-Cola").
        Some('-' | '–' | '—') => head.len() < before.len(),
        Some(_) => false,
    }
}

/// True if the word written in lower case stands as a word in the title or
/// body: a common word capitalised by its position. Acronyms ("US" and
/// "us") are never such words; in a text written in capitals only words
/// of four letters or more count.
fn plain_word_elsewhere(texts: &[TaggedText<'_>], word: &str, shouted: bool) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    if letters < 3 || (shouted && letters < 4) || (!shouted && capitals > 1) {
        return false;
    }
    let lower = word.to_lowercase();
    let is_word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    texts.iter().any(|t| {
        t.text.match_indices(lower.as_str()).any(|(at, m)| {
            !is_word_char(t.text[..at].chars().next_back())
                && !is_word_char(t.text[at + m.len()..].chars().next())
        })
    })
}

/// Merges the tagger's names into the rules' locations and organizations.
pub(crate) fn combine(
    tables: &Tables<'_>,
    texts: &[TaggedText<'_>],
    shouted: &[Part],
    mode: Mode,
    locations: &mut Vec<Location>,
    organizations: &mut Vec<Organization>,
) {
    let Tables {
        gazetteer,
        table,
        org_names,
    } = *tables;
    let names = char_names(texts);
    // The last word of a person's name ("Michael Jordan") is that person
    // when it comes back alone, in the headline too ("Jordan leads Bulls").
    let surnames: Vec<(&str, usize)> = names
        .iter()
        .filter(|n| n.kind == NameKind::Person)
        .filter_map(|n| {
            let text = texts.iter().find(|t| t.part == n.part)?.text;
            let name = &text[n.byte_start..n.byte_end];
            let (_, last) = name.rsplit_once(' ')?;
            Some((last, last.chars().count()))
        })
        .collect();
    let is_surname = |span: &Span| {
        !span.derived
            && surnames.iter().any(|&(last, chars)| {
                chars == span.end - span.start && span_text(texts, span) == last
            })
    };
    for loc in locations.iter_mut() {
        loc.spans
            .retain(|s| keep_rule_span(s, NameKind::Location, &names, mode) && !is_surname(s));
    }
    for org in organizations.iter_mut() {
        org.spans
            .retain(|s| keep_rule_span(s, NameKind::Organization, &names, mode));
    }
    let mut loc_index: HashMap<String, usize> = locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.facet.clone(), i))
        .collect();
    let mut org_index: HashMap<String, usize> = organizations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.facet.clone(), i))
        .collect();
    let kept: Vec<Span> = locations
        .iter()
        .flat_map(|l| l.spans.iter())
        .chain(organizations.iter().flat_map(|o| o.spans.iter()))
        .filter(|s| !s.derived)
        .cloned()
        .collect();
    let mut resolved: Vec<(&str, Option<u32>)> = Vec::new();
    let surface_of = |n: &CharName| {
        let text = texts
            .iter()
            .find(|t| t.part == n.part)
            .expect("name from a text");
        &text.text[n.byte_start..n.byte_end]
    };
    // How often the tagger read each string as an organization, and the
    // strings it or the rules read as places.
    let mut org_counts: HashMap<&str, usize> = HashMap::default();
    for n in names.iter().filter(|n| n.kind == NameKind::Organization) {
        *org_counts.entry(surface_of(n)).or_default() += 1;
    }
    let place_strings: HashSet<String> = locations
        .iter()
        .filter(|l| !l.spans.is_empty())
        .flat_map(|l| l.mentions.iter().cloned())
        .chain(
            names
                .iter()
                .filter(|n| n.kind == NameKind::Location)
                .map(|n| surface_of(n).to_string()),
        )
        .collect();
    // A headline written in capitals is left to the tagger, which learnt
    // CoNLL's shouted headlines.
    let title_case = texts
        .iter()
        .any(|t| t.part == Part::Title && Text::new(t.text, Part::Title, true).title_case);
    let body = texts
        .iter()
        .find(|t| t.part == Part::Body)
        .map_or("", |t| t.text);
    let body_lower = std::cell::OnceCell::new();
    let known_name = |kind: NameKind, surface: &str, orgs: &[Organization]| match kind {
        NameKind::Location => gazetteer.lookup(surface).is_some(),
        _ => {
            table.lookup(surface).is_some()
                || orgs.iter().any(|o| o.mentions.iter().any(|m| m == surface))
        }
    };
    for n in &names {
        if kept.iter().any(|s| overlaps(s, n)) {
            // The rules' span stands (the same name, or one the tagger cut).
            continue;
        }
        let text = texts
            .iter()
            .find(|t| t.part == n.part)
            .expect("name from a text");
        let surface = &text.text[n.byte_start..n.byte_end];
        let one_word = !surface.contains(char::is_whitespace);
        if one_word
            && matches!(n.kind, NameKind::Location | NameKind::Organization)
            && capitalised_by_position(text.text, n.byte_start, n.part)
            && plain_word_elsewhere(texts, surface, shouted.contains(&n.part))
        {
            // "Cocoa deliveries fell" where the article says "cocoa"
            // elsewhere: the capital comes from the position only.
            continue;
        }
        if n.part == Part::Title
            && title_case
            && matches!(n.kind, NameKind::Location | NameKind::Organization)
            && !known_name(n.kind, surface, organizations)
            && !body_lower
                .get_or_init(|| body.to_lowercase())
                .contains(&surface.to_lowercase())
        {
            // A headline in Title Case capitalises every word, so its
            // capitals make no name ("Cocoa Farmers Count Losses"): a name
            // there that the tables do not know stands only if the body
            // names it too.
            continue;
        }
        let span = Span {
            part: n.part,
            start: n.start,
            end: n.end,
            derived: false,
        };
        let mut kind = n.kind;
        if kind == NameKind::Organization
            && one_word
            && table.lookup(surface).is_none()
            && !organizations
                .iter()
                .any(|o| o.mentions.iter().any(|m| m == surface))
            && org_counts.get(surface).copied().unwrap_or(0) < 2
        {
            // A one-word organization with no evidence of its own (not in
            // the table, no acronym defined for it, read as an organization
            // once only) that the tagger is unsure of: the place the
            // article names elsewhere with the same string, if any ("the
            // port of Odesa" after "Odesa, Ukraine"), else nothing
            // ("across the Nile", "on Earth", "the CFA franc"). Clubs named
            // after their towns in sports reports are sure organizations.
            if n.margin < WEAK_MARGIN {
                if !place_strings.contains(surface) {
                    continue;
                }
                kind = NameKind::Location;
            }
        }
        match kind {
            NameKind::Location if surnames.iter().any(|&(last, _)| last == surface) => {}
            // "U.S. Open": the first word of an event's name; "Berlin
            // Marathon": an event, not a place.
            NameKind::Location
                if names_an_event(text.text, n.byte_end) || ends_with_event_word(surface) => {}
            NameKind::Location => {
                // A name comes back many times in an article: resolve once.
                let place = match resolved.iter().find(|(s, _)| *s == surface) {
                    Some(&(_, place)) => place,
                    None => {
                        let place = gazetteer.lookup(surface);
                        resolved.push((surface, place));
                        place
                    }
                };
                let (name, facet) = match place {
                    Some(place) => (
                        gazetteer.place(place).name.to_string(),
                        gazetteer.facet(place),
                    ),
                    None => {
                        let name =
                            display_name(surface, shouted.contains(&n.part)).replace('/', "-");
                        let facet = format!("{UNPLACED}/{name}");
                        (name, facet)
                    }
                };
                let i = *loc_index.entry(facet.clone()).or_insert_with(|| {
                    locations.push(Location {
                        name,
                        facet,
                        mentions: Vec::new(),
                        derived: Vec::new(),
                        sources: Vec::new(),
                        spans: Vec::new(),
                    });
                    locations.len() - 1
                });
                locations[i].spans.push(span);
            }
            NameKind::Organization => {
                let (name, facet) = match table.lookup(surface) {
                    Some(id) => org_names.rows[id as usize].clone(),
                    None => {
                        // A name the rules already gave a facet to (an
                        // acronym's long form) keeps it.
                        let known = organizations
                            .iter()
                            .find(|o| o.mentions.iter().any(|m| m == surface));
                        match known {
                            Some(o) => (o.name.clone(), o.facet.clone()),
                            None => {
                                let name = display_name(surface, shouted.contains(&n.part))
                                    .replace('/', "-");
                                let facet = format!("/{name}");
                                (name, facet)
                            }
                        }
                    }
                };
                let i = *org_index.entry(facet.clone()).or_insert_with(|| {
                    organizations.push(Organization {
                        name,
                        facet,
                        mentions: Vec::new(),
                        sources: Vec::new(),
                        spans: Vec::new(),
                    });
                    organizations.len() - 1
                });
                organizations[i].spans.push(span);
            }
            NameKind::Person | NameKind::Misc => {}
        }
    }
    for loc in locations.iter_mut() {
        loc.spans.sort_by_key(|s| (s.part, s.start));
    }
    for org in organizations.iter_mut() {
        org.spans.sort_by_key(|s| (s.part, s.start));
    }
    tidy_locations(locations, texts);
    tidy_organizations(organizations, texts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouted_names_are_title_cased_but_acronyms_stay() {
        assert_eq!(display_name("LEICESTERSHIRE", true), "Leicestershire");
        assert_eq!(display_name("NATO", true), "NATO");
        assert_eq!(display_name("McDonald  Corp", false), "McDonald Corp");
    }
}
