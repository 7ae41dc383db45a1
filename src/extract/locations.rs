//! Locations: matching place names and demonyms in text, deciding which
//! place a name means, and merging text, dateline and metadata places.
//!
//! Rules, in the order they apply:
//! - a name matches on word boundaries only, and only when every capital
//!   of its spelling is a capital in the text ("turkey dinner" and "china
//!   plates" are not places; "ACCRA" in a shouted dateline is);
//! - month and weekday names are never places;
//! - a name right after a person's title is a person ("President Lincoln");
//! - a place name right before a capitalised event word opens the event's
//!   name ("U.S. Open", "Berlin Marathon", "Davis Cup"), whatever the
//!   place and the capitalisation, and a demonym there points at no
//!   country ("Australian Open");
//! - a city name, or a country name that is also a given name (Chad,
//!   Jordan, Georgia), next to another capitalised word is part of a longer
//!   name ("Paris Hilton", "Jordan Peterson"), except in a headline written
//!   in Title Case or capitals, where capitals say nothing;
//! - a US state that is no other place ("Texas") is a mention of the
//!   United States, as England is of the United Kingdom;
//! - a city or state followed by a small number is a sports team in a
//!   score line or results table ("Leeds 2 Chelsea 1"), not the place;
//! - a country beats a city of the same name ("Mali" is the country, not the
//!   town in China); among cities of one name, a city in a country the
//!   article names unambiguously wins, then a city's own name over another
//!   city's alternate name, then capitals, then population;
//! - a name that is also a common word or given name (flagged in the data)
//!   needs location context: a preposition before it ("in Chad"), a
//!   neighbour of its own country ("Amman, Jordan"), or, for a country, one
//!   of its cities named elsewhere ("Tbilisi"), or, for a city, its country
//!   named elsewhere; an article before it ("the Reading room") rules it
//!   out; in a US context a name that is also a US state (Georgia) is the
//!   state, so the United States;
//! - a demonym inside an organization's name ("European Union") is not a
//!   derived mention, and a place whose match is exactly an organization's
//!   name ("Toyota") is the organization.
//!
//! Only the city is emitted for a city mention, not its country as well: the
//! city's facet starts with its country's path, so filtering on the country
//! finds it.

use std::collections::{HashMap, HashSet};

use super::gazetteer::{Alias, Gazetteer, Kind, Target};
use super::text::{Text, case_compatible, longest_matches};
use super::{Location, Part, Span};
use crate::article::Origin;
use crate::corpus::dates::is_month_or_weekday_name;

/// Words that, right before an ambiguous name, make it a place.
const LOCATION_PREPOSITIONS: &[&str] = &[
    "in",
    "from",
    "to",
    "near",
    "at",
    "outside",
    "into",
    "across",
    "toward",
    "towards",
    "via",
    "around",
    "throughout",
    "of",
    "visit",
    "visited",
    "visiting",
    "visits",
    "leave",
    "left",
    "leaving",
    "reach",
    "reached",
    "within",
    "inside",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
];

/// A place name or demonym found in a text.
#[derive(Debug)]
struct Hit {
    part: Part,
    /// Byte range in the part.
    start: usize,
    end: usize,
    /// Places the name may mean, with whether it is the place's own name.
    candidates: Vec<(u32, bool)>,
    /// True for a demonym.
    derived: bool,
    /// True if the name is also a US state.
    state: bool,
    /// True if every alias of the name is subject to the longer-name rules
    /// (cities, names that are also given names).
    adjacent: bool,
    /// True if the name opens a sentence, where a capital says nothing.
    sentence_start: bool,
}

/// A span of an organization name, which place matching defers to.
pub(crate) type OrgSpan = (Part, usize, usize);

/// Finds and resolves the locations of an article.
pub(crate) fn locations(
    g: &Gazetteer,
    texts: &[Text<'_>],
    org_spans: &[OrgSpan],
    dateline: Option<u32>,
    metadata: &[u32],
) -> Vec<Location> {
    let mut hits = Vec::new();
    let mut surnames = Vec::new();
    let us = g.lookup("United States");
    for text in texts {
        find_hits(g, us, text, org_spans, &mut hits, &mut surnames);
    }
    // A name seen as the end of a person's name ("Lindsay Davenport") is
    // that person when it comes back alone ("Davenport won").
    hits.retain(|h| {
        let text = texts
            .iter()
            .find(|t| t.part == h.part)
            .expect("hit comes from a text");
        !(h.adjacent && surnames.contains(&&text.s[h.start..h.end]))
    });
    let resolved = resolve(g, texts, &hits, dateline, metadata);

    let mut entries: Vec<Location> = Vec::new();
    let mut index: HashMap<u32, usize> = HashMap::new();
    let mut entry = |place: u32, entries: &mut Vec<Location>| -> usize {
        *index.entry(place).or_insert_with(|| {
            let p = g.place(place);
            entries.push(Location {
                name: p.name.to_string(),
                facet: g.facet(place),
                mentions: Vec::new(),
                derived: Vec::new(),
                sources: Vec::new(),
                spans: Vec::new(),
            });
            entries.len() - 1
        })
    };
    for (hit, place) in hits.iter().zip(&resolved) {
        let Some(place) = *place else { continue };
        let text = texts
            .iter()
            .find(|t| t.part == hit.part)
            .expect("hit comes from a text");
        let i = entry(place, &mut entries);
        let loc = &mut entries[i];
        let mention = &text.s[hit.start..hit.end];
        let (list, source) = if hit.derived {
            (&mut loc.derived, Origin::Demonym)
        } else if hit.part == Part::Title {
            (&mut loc.mentions, Origin::Title)
        } else {
            (&mut loc.mentions, Origin::Text)
        };
        if !list.iter().any(|m| m == mention) {
            list.push(mention.to_string());
        }
        if !loc.sources.contains(&source) {
            loc.sources.push(source);
        }
        loc.spans.push(Span {
            part: hit.part,
            start: text.char_offset(hit.start),
            end: text.char_offset(hit.end),
            derived: hit.derived,
        });
    }
    for (place, source) in dateline
        .map(|d| (d, Origin::Dateline))
        .into_iter()
        .chain(metadata.iter().map(|&m| (m, Origin::Metadata)))
    {
        let i = entry(place, &mut entries);
        if !entries[i].sources.contains(&source) {
            entries[i].sources.push(source);
        }
    }
    for loc in &mut entries {
        loc.sources.sort();
    }
    // Most mentioned first; ties (and places with no span, from the
    // dateline or metadata) keep the order of first appearance.
    let mut order: Vec<(usize, Location)> = entries.into_iter().enumerate().collect();
    order.sort_by_key(|(i, loc)| (std::cmp::Reverse(loc.spans.len()), *i));
    order.into_iter().map(|(_, loc)| loc).collect()
}

/// Weight of a headline occurrence against a body one: the headline says
/// what the story is about.
const TITLE_WEIGHT: f64 = 3.0;
/// Weight of a demonym ("Malian government"): it points at the country
/// nearly as well as its name.
const DEMONYM_WEIGHT: f64 = 0.75;
/// Weight of the dateline: where the reporter filed from, often but not
/// always the subject (a Mali story filed from Ankara).
const DATELINE_WEIGHT: f64 = 1.0;
/// Share of a city's score that counts for its country too.
const CITY_TO_COUNTRY: f64 = 0.5;
/// At most this many focus places.
const MAX_FOCUS: usize = 3;

/// The places the article is about: at most [`MAX_FOCUS`] of `locations`,
/// best first.
///
/// Each occurrence scores 1, a demonym [`DEMONYM_WEIGHT`], and any of them
/// in the headline [`TITLE_WEIGHT`] times as much; the dateline adds
/// [`DATELINE_WEIGHT`]. A country also gets [`CITY_TO_COUNTRY`] of the
/// scores of its cities. Continents are never a focus (too broad to say
/// what a story is about). The best place is kept; another only when it
/// scores at least half the best's score and 2 or more, so a passing
/// mention does not become a focus.
pub(crate) fn focus(locations: &[Location]) -> Vec<usize> {
    let own: Vec<f64> = locations
        .iter()
        .map(|loc| {
            let spans: f64 = loc
                .spans
                .iter()
                .map(|span| {
                    let base = if span.derived { DEMONYM_WEIGHT } else { 1.0 };
                    match span.part {
                        Part::Title => base * TITLE_WEIGHT,
                        Part::Body => base,
                    }
                })
                .sum();
            let dateline = if loc.sources.contains(&Origin::Dateline) {
                DATELINE_WEIGHT
            } else {
                0.0
            };
            spans + dateline
        })
        .collect();
    let depth = |loc: &Location| loc.facet.matches('/').count();
    let mut scored: Vec<(usize, f64)> = locations
        .iter()
        .enumerate()
        .filter(|(_, loc)| depth(loc) >= 2)
        .map(|(i, loc)| {
            // Only countries (depth 3) gather their cities' scores; a
            // region gathering its countries would outrank them.
            let cities: f64 = if depth(loc) == 3 {
                let prefix = format!("{}/", loc.facet);
                locations
                    .iter()
                    .zip(&own)
                    .filter(|(other, _)| other.facet.starts_with(&prefix))
                    .map(|(_, score)| score * CITY_TO_COUNTRY)
                    .sum()
            } else {
                0.0
            };
            (i, own[i] + cities)
        })
        .filter(|&(_, score)| score > 0.0)
        .collect();
    // Stable: ties keep the order of `locations` (most mentioned first).
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some(&(_, best)) = scored.first() else {
        return Vec::new();
    };
    scored
        .iter()
        .enumerate()
        .filter(|&(rank, &(_, score))| rank == 0 || (score * 2.0 >= best && score >= 2.0))
        .take(MAX_FOCUS)
        .map(|(_, &(i, _))| i)
        .collect()
}

/// Resolves a dateline as written ("ANKARA", "BRUSSELS 1996-08-22",
/// "SALVADOR, Feb 26 -") to a place. `line`, the whole dateline line when
/// the reader kept it ("STAMFORD, Conn., March 3 -"), may name the city's
/// state, province or country after the first comma: then the city is
/// looked for in that country ("CAMBRIDGE, Mass." is not the English
/// Cambridge), and a city the gazetteer does not know gives the country
/// itself ("ZEEBRUGGE, Belgium").
pub(crate) fn dateline_place(g: &Gazetteer, dateline: &str, line: Option<&str>) -> Option<u32> {
    // Wire debris before the place ("****LONDON") is not part of it.
    let head = dateline
        .split([',', '(', '/'])
        .next()?
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<&str> = head
        .split_whitespace()
        .take_while(|w| {
            !w.chars().any(|c| c.is_ascii_digit())
                && !is_month_or_weekday_name(w)
                && !matches!(*w, "-" | "–" | "—")
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    let name = words.join(" ");
    // Datelines abbreviate Saint as "ST" or "ST." where GeoNames writes
    // "St." or "Saint".
    let spellings = |name: &str| -> Vec<String> {
        let mut all = vec![name.to_string()];
        if let Some(rest) = name
            .strip_prefix("ST ")
            .or_else(|| name.strip_prefix("ST. "))
            .or_else(|| name.strip_prefix("St "))
        {
            all.push(format!("St. {rest}"));
            all.push(format!("Saint {rest}"));
        }
        all
    };
    if let Some(country) = line.and_then(|l| qualifier_country(g, l)) {
        let anywhere = g
            .lookup(&name)
            .filter(|&p| g.place(p).country == Some(country));
        return anywhere
            .or_else(|| {
                spellings(&name)
                    .iter()
                    .find_map(|n| g.lookup_in_country(n, country))
            })
            .or(Some(country));
    }
    spellings(&name).iter().find_map(|n| g.lookup(n))
}

/// The country a dateline line names after its first comma: a state or
/// province ("Conn.", "Alberta") or a country ("Belgium"); not a date.
fn qualifier_country(g: &Gazetteer, line: &str) -> Option<u32> {
    let qualifier = line.split(',').nth(1)?.trim();
    let first = qualifier.split_whitespace().next()?;
    if qualifier.contains(|c: char| c.is_ascii_digit())
        || qualifier.starts_with('(')
        || crate::corpus::dates::month_number(first).is_some()
        || crate::corpus::dates::is_weekday(first)
    {
        return None;
    }
    g.subdivision_country(qualifier).or_else(|| {
        g.lookup(qualifier)
            .filter(|&p| g.place(p).kind == Kind::Country)
    })
}

/// True if the text at `start..end` may be `alias`.
fn accepted(alias: &Alias, text: &Text<'_>, start: usize, end: usize) -> bool {
    case_compatible(&text.s[start..end], &alias.form)
        && (alias.shout_ok || !text.shouted(start, end))
        && (!alias.needs_the
            || text
                .adjacent_word_before(start)
                .is_some_and(|w| w.eq_ignore_ascii_case("the")))
}

/// Finds the place names and demonyms of one text.
fn find_hits<'t>(
    g: &Gazetteer,
    us: Option<u32>,
    text: &Text<'t>,
    org_spans: &[OrgSpan],
    hits: &mut Vec<Hit>,
    surnames: &mut Vec<&'t str>,
) {
    let in_org = |start: usize, end: usize| {
        org_spans
            .iter()
            .any(|&(p, s, e)| p == text.part && s <= start && end <= e)
    };
    let is_org = |start: usize, end: usize| {
        org_spans
            .iter()
            .any(|&(p, s, e)| p == text.part && s == start && end == e)
    };
    let matches = longest_matches(&g.automaton, text, |start, end, pattern| {
        accepted(&g.patterns[pattern], text, start, end)
    });
    for m in matches {
        let matched: &'t str = &text.s[m.start..m.end];
        if is_month_or_weekday_name(matched) || is_org(m.start, m.end) {
            continue;
        }
        let mut places = Vec::new();
        let mut demonyms = Vec::new();
        let mut state = false;
        let mut all_adjacent = true;
        for alias in m.patterns.iter().map(|&p| &g.patterns[p]) {
            match alias.target {
                Target::Place(p) => {
                    places.push((p, alias.primary));
                    all_adjacent &= alias.adjacency;
                }
                Target::Demonym(p) => demonyms.push(p),
                Target::State => state = true,
                Target::Blocker => {}
            }
        }
        // A US state that is no other place ("Texas", "Ohio") is a mention
        // of the United States, as England is of the United Kingdom: the
        // facet has no level between country and city. Like a city it may
        // open a longer name ("Texas Instruments").
        if places.is_empty()
            && demonyms.is_empty()
            && state
            && let Some(us) = us
        {
            places.push((us, false));
            all_adjacent = true;
        }
        // A city or state followed by a small number is a team in a
        // results table or score line ("NEW YORK 72 53 .576", "Leeds 2
        // Chelsea 1"), not the place; national teams stay their country.
        let city_like = places
            .iter()
            .all(|&(p, _)| g.place(p).kind == Kind::City || Some(p) == us && state);
        if city_like && followed_by_score(text.s, m.end) {
            continue;
        }
        // A demonym beats a town of the same spelling ("Brits").
        let demonym_first =
            !demonyms.is_empty() && places.iter().all(|&(p, _)| g.place(p).kind == Kind::City);
        if places.is_empty() || demonym_first {
            // A demonym of several countries ("Dominican") means the
            // larger one.
            let best = demonyms.iter().max_by_key(|&&p| g.place(p).population);
            if let Some(&p) = best
                && !in_org(m.start, m.end)
                && !names_an_event(text.s, m.end)
            {
                hits.push(Hit {
                    part: text.part,
                    start: m.start,
                    end: m.end,
                    candidates: vec![(p, true)],
                    derived: true,
                    state: false,
                    adjacent: false,
                    sentence_start: false,
                });
            }
            continue;
        }
        if text.person_title_before(m.start) || names_an_event(text.s, m.end) {
            continue;
        }
        if all_adjacent && !text.caps_uninformative() {
            if text.capitalised_word_before(m.start) {
                surnames.push(matched);
                continue;
            }
            if text.capitalised_word_after(m.end) || compound_tail(text.s, m.start) {
                continue;
            }
        }
        hits.push(Hit {
            part: text.part,
            start: m.start,
            end: m.end,
            candidates: places,
            derived: false,
            state,
            adjacent: all_adjacent,
            sentence_start: text.starts_sentence(m.start),
        });
    }
}

/// True if a whole number of one to three digits follows `end` after one
/// space, and is itself followed by a space, the end or punctuation other
/// than `%` ("CHICAGO 72 65", "Leeds 2 Chelsea"); not a year or a date
/// ("LONDON 1996-08-22"), a decimal or a share ("Paris 3%").
fn followed_by_score(s: &str, end: usize) -> bool {
    let Some(rest) = s[end..].strip_prefix(' ') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return false;
    }
    match rest[digits..].chars().next() {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || (c.is_ascii_punctuation() && !matches!(c, '%' | '.' | ',' | '-' | ':' | '/'))
        }
    }
}

/// Words that, capitalised right after a place name, make it the first
/// word of an event's name.
const EVENT_WORDS: &[&str] = &[
    "open",
    "cup",
    "championship",
    "championships",
    "games",
    "marathon",
    "masters",
    "classic",
    "trophy",
    "invitational",
    "derby",
    "rally",
    "grand prix",
];

/// True if a capitalised event word follows `end` after one space ("U.S.
/// Open", "Davis Cup", "Berlin Marathon"): the place name is then the first
/// word of the event's name, whatever kind of place it is and however the
/// text is capitalised.
pub(crate) fn names_an_event(s: &str, end: usize) -> bool {
    let Some(rest) = s[end..].strip_prefix(' ') else {
        return false;
    };
    if !rest.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    EVENT_WORDS.iter().any(|w| {
        rest.len() >= w.len()
            && rest.is_char_boundary(w.len())
            && rest[..w.len()].eq_ignore_ascii_case(w)
            && !rest[w.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    })
}

/// True if a name's last word is an event word ("Berlin Marathon",
/// "Paris Grand Prix"): the name is an event's, not a place's.
pub(crate) fn ends_with_event_word(name: &str) -> bool {
    EVENT_WORDS.iter().any(|w| {
        name.len() > w.len()
            && name.is_char_boundary(name.len() - w.len())
            && name[name.len() - w.len()..].eq_ignore_ascii_case(w)
            && name[..name.len() - w.len()].ends_with(' ')
    })
}

/// True if the match ends a hyphenated proper name ("T-Mobile"), not a
/// lower-case prefix ("pro-Russia").
fn compound_tail(s: &str, start: usize) -> bool {
    let mut before = s[..start].chars().rev();
    before.next() == Some('-')
        && before
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Chooses a place for every hit, or none when an ambiguous name lacks
/// location context.
fn resolve(
    g: &Gazetteer,
    texts: &[Text<'_>],
    hits: &[Hit],
    dateline: Option<u32>,
    metadata: &[u32],
) -> Vec<Option<u32>> {
    // Countries the article names without doubt: by name, demonym, a city
    // only one place has, the dateline or the metadata.
    let mut countries: HashSet<u32> = HashSet::new();
    let country_of = |p: u32| g.place(p).country;
    for hit in hits {
        let unambiguous: Vec<u32> = hit
            .candidates
            .iter()
            .map(|&(p, _)| p)
            .filter(|&p| !g.place(p).ambiguous)
            .collect();
        let country = unambiguous
            .iter()
            .find(|&&p| g.place(p).kind == Kind::Country);
        if let Some(&c) = country {
            countries.insert(c);
        } else if hit.candidates.len() == 1 && unambiguous.len() == 1 {
            countries.extend(country_of(unambiguous[0]));
        }
    }
    countries.extend(
        dateline
            .into_iter()
            .chain(metadata.iter().copied())
            .filter_map(country_of),
    );

    let choose = |hit: &Hit| -> u32 {
        let best_non_city = hit
            .candidates
            .iter()
            .filter(|&&(p, _)| g.place(p).kind != Kind::City)
            .max_by_key(|&&(p, _)| g.place(p).kind == Kind::Country);
        if let Some(&(p, _)) = best_non_city {
            return p;
        }
        hit.candidates
            .iter()
            .max_by_key(|&&(p, primary)| {
                let place = g.place(p);
                let named = place.country.is_some_and(|c| countries.contains(&c));
                (named, primary, place.capital, place.population)
            })
            .map(|&(p, _)| p)
            .expect("a hit has candidates")
    };
    let mut resolved: Vec<Option<u32>> = hits.iter().map(|h| Some(choose(h))).collect();

    // Countries with a city named unambiguously, for "Tbilisi ... Georgia".
    let cities_in: HashSet<u32> = hits
        .iter()
        .zip(&resolved)
        .filter_map(|(_, p)| *p)
        .filter(|&p| g.place(p).kind == Kind::City && !g.place(p).ambiguous)
        .filter_map(country_of)
        .chain(
            dateline
                .into_iter()
                .filter(|&d| g.place(d).kind == Kind::City)
                .filter_map(country_of),
        )
        .collect();
    let us = g.lookup("United States");
    let us_context = us.is_some_and(|us| countries.contains(&us) || cities_in.contains(&us));

    let clear: Vec<Option<u32>> = resolved
        .iter()
        .map(|p| p.filter(|&p| !g.place(p).ambiguous))
        .collect();
    for (i, hit) in hits.iter().enumerate() {
        let Some(place) = resolved[i] else { continue };
        let p = g.place(place);
        if hit.derived || !p.ambiguous {
            continue;
        }
        let text = texts
            .iter()
            .find(|t| t.part == hit.part)
            .expect("hit comes from a text");
        let previous = text.adjacent_word_before(hit.start).map(str::to_lowercase);
        let previous = previous.as_deref();
        // A name that is also a US state in a US story is the state; an
        // article before the name rules it out ("the Reading room").
        if hit.state && p.kind == Kind::Country && us_context && !cities_in.contains(&place) {
            // The state, so a mention of the United States.
            resolved[i] = us;
            continue;
        }
        let ruled_out = matches!(previous, Some("the" | "a" | "an"));
        let ok = !ruled_out
            && (previous.is_some_and(|w| LOCATION_PREPOSITIONS.contains(&w))
                || neighbour_in_country(g, text, hits, &clear, i, p.country)
                || match p.kind {
                    Kind::Country => cities_in.contains(&place),
                    // A common word opening a sentence ("Mobile phones
                    // ...") needs more than its country named elsewhere.
                    Kind::City => {
                        !hit.sentence_start && p.country.is_some_and(|c| countries.contains(&c))
                    }
                    Kind::Region => true,
                });
        if !ok {
            resolved[i] = None;
        }
    }
    resolved
}

/// True if the hit is written next to a clear place of its own country,
/// separated by a comma: "Amman, Jordan" or "Reading, England".
fn neighbour_in_country(
    g: &Gazetteer,
    text: &Text<'_>,
    hits: &[Hit],
    clear: &[Option<u32>],
    i: usize,
    country: Option<u32>,
) -> bool {
    let Some(country) = country else { return false };
    let hit = &hits[i];
    let head = text.s[..hit.start].trim_end();
    let tail = text.s[hit.end..].trim_start();
    let before = head.strip_suffix(',').map(|h| h.trim_end().len());
    let after = tail
        .strip_prefix(',')
        .map(|t| text.s.len() - t.trim_start().len());
    hits.iter().zip(clear).any(|(other, place)| {
        let Some(place) = place else { return false };
        other.part == hit.part
            && !other.derived
            && g.place(*place).country == Some(country)
            && (Some(other.end) == before || Some(other.start) == after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> &'static Gazetteer {
        static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        G.get_or_init(Gazetteer::load)
    }

    fn locs(body: &str) -> Vec<Location> {
        let texts = [Text::new(body, Part::Body, false)];
        locations(gazetteer(), &texts, &[], None, &[])
    }

    fn names(body: &str) -> Vec<String> {
        locs(body).into_iter().map(|l| l.name).collect()
    }

    #[test]
    fn names_that_are_words_or_people_are_not_places_without_context() {
        for body in [
            "Chad Smith said the deal was done.",
            "Jordan Peterson spoke on Tuesday.",
            "They met in the Reading room of the library.",
            "The talks ended in May.",
            "Paris Hilton arrived late.",
            "President Lincoln signed it.",
            "Mr. Jordan declined to comment.",
            "We had a turkey dinner.",
            "She collects china plates.",
        ] {
            assert!(names(body).is_empty(), "{body}: {:?}", names(body));
        }
    }

    #[test]
    fn ambiguous_names_with_location_context_are_places() {
        assert_eq!(names("Troops arrived in Chad on Monday."), ["Chad"]);
        let amman = names("The meeting was held in Amman, Jordan.");
        assert!(amman.contains(&"Jordan".to_string()) && amman.contains(&"Amman".to_string()));
        let tbilisi = names("Protests grew in Georgia's capital Tbilisi.");
        assert!(tbilisi.contains(&"Georgia".to_string()), "{tbilisi:?}");
        assert!(tbilisi.contains(&"Tbilisi".to_string()), "{tbilisi:?}");
    }

    #[test]
    fn a_surname_stays_a_person_when_it_comes_back_alone() {
        let n = names("Lindsay Davenport beat Venus Williams in the US. Davenport said little.");
        assert_eq!(n, ["United States"]);
        let london = names("Fans in West London cheered. London was quiet.");
        assert_eq!(london, ["London"]);
    }

    #[test]
    fn common_words_and_compounds_are_not_cities() {
        assert!(names("T-Mobile cut prices.").is_empty());
        assert_eq!(
            names("Mobile phone sales rose in the US."),
            ["United States"]
        );
        let brits = locs("Brits abroad spent more.");
        assert_eq!(brits[0].name, "United Kingdom");
        assert_eq!(brits[0].derived, ["Brits"]);
    }

    #[test]
    fn georgia_in_a_us_story_is_the_state() {
        let n = names("Voters in Atlanta, Georgia lined up as the United States voted.");
        assert!(!n.contains(&"Georgia".to_string()), "{n:?}");
        let us = locs("Voters in Atlanta, Georgia lined up as the United States voted.")
            .into_iter()
            .find(|l| l.name == "United States")
            .unwrap();
        assert_eq!(us.mentions, ["Georgia", "United States"]);
    }

    #[test]
    fn a_us_state_is_a_mention_of_the_united_states() {
        let l = locs("Wildfires spread across California and Oregon.");
        assert_eq!(l.len(), 1, "{l:?}");
        assert_eq!(l[0].name, "United States");
        assert_eq!(l[0].mentions, ["California", "Oregon"]);
        // Inside a longer name it is not ("Texas Instruments").
        assert!(names("Texas Instruments said sales rose.").is_empty());
    }

    #[test]
    fn a_city_or_state_before_a_score_is_a_team_not_a_place() {
        assert!(names("NEW YORK 72 53 .576 -").is_empty());
        assert!(names("Leeds 2 Chelsea 1").is_empty());
        assert!(names("California 7 NEW YORK 1").is_empty());
        // National teams are their country; dates, shares and sizes are no
        // scores.
        assert_eq!(names("Mali 2 Ghana 1"), ["Mali", "Ghana"]);
        assert_eq!(names("LONDON 1996-08-22"), ["London"]);
        assert_eq!(
            names("Prices in Paris rose 3% and in Lyon 2.5 pct."),
            ["Paris", "Lyon"]
        );
    }

    #[test]
    fn country_beats_a_city_of_the_same_name() {
        assert_eq!(
            locs("Fighting spread in Mali.")[0].facet,
            "/Africa/Western Africa/Mali"
        );
    }

    #[test]
    fn cities_roll_up_under_their_country() {
        let l = locs("Ministers met in Accra.");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].facet, "/Africa/Western Africa/Ghana/Accra");
    }

    #[test]
    fn demonyms_are_derived_mentions_not_mentions() {
        let l = locs("The Malian army and Malian officials met. Mali said no.");
        assert_eq!(l[0].name, "Mali");
        assert_eq!(l[0].mentions, ["Mali"]);
        assert_eq!(l[0].derived, ["Malian"]);
        assert_eq!(l[0].sources, [Origin::Text, Origin::Demonym]);
        let only = locs("Kenyan runners won.");
        assert_eq!(only[0].name, "Kenya");
        assert!(only[0].mentions.is_empty());
        assert_eq!(only[0].sources, [Origin::Demonym]);
    }

    #[test]
    fn latin_america_is_not_the_united_states() {
        let n = names("Latin American leaders met in Latin America and South America.");
        assert!(!n.contains(&"United States".to_string()), "{n:?}");
        assert!(n.contains(&"Latin America".to_string()), "{n:?}");
    }

    #[test]
    fn news_regions_sit_under_their_continent() {
        let facets: Vec<String> = locs("Drought hit East Africa, the Sahel and the Middle East.")
            .into_iter()
            .map(|l| l.facet)
            .collect();
        assert_eq!(
            facets,
            [
                "/Africa/Eastern Africa",
                "/Africa/Sahel",
                "/Asia/Middle East"
            ]
        );
        let gulf: Vec<String> = locs("Tankers left the Gulf. Gulf War veterans met.")
            .into_iter()
            .map(|l| l.facet)
            .collect();
        assert_eq!(gulf, ["/Asia/Gulf"]);
    }

    #[test]
    fn mentions_are_distinct_and_in_order_of_first_appearance() {
        let l = locs("Britain and the UK; the U.K. and Britain again, and UK.");
        assert_eq!(l[0].mentions, ["Britain", "UK", "U.K."]);
        assert_eq!(l[0].spans.len(), 5);
    }

    #[test]
    fn spans_count_code_points_after_non_ascii_text() {
        let body = "Côte d'Ivoire exports cocoa via São Paulo and Abidjan.";
        let texts = [Text::new(body, Part::Body, false)];
        let l = locations(gazetteer(), &texts, &[], None, &[]);
        let chars: Vec<char> = body.chars().collect();
        for loc in &l {
            for span in &loc.spans {
                let text: String = chars[span.start..span.end].iter().collect();
                assert!(
                    loc.mentions.contains(&text),
                    "{text} not in {:?}",
                    loc.mentions
                );
            }
        }
        let names: Vec<&str> = l.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Ivory Coast", "São Paulo", "Abidjan"]);
    }

    #[test]
    fn capitals_in_a_shouted_headline_still_match() {
        let texts = [Text::new(
            "GHANA COCOA ARRIVALS RISE IN ACCRA",
            Part::Title,
            true,
        )];
        let l = locations(gazetteer(), &texts, &[], None, &[]);
        let names: Vec<&str> = l.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Ghana", "Accra"]);
        assert_eq!(l[0].sources, [Origin::Title]);
    }

    #[test]
    fn title_case_headlines_keep_places_next_to_capitalised_words() {
        let texts = [Text::new(
            "Mali Sanctions Bite As Accra Summit Opens",
            Part::Title,
            true,
        )];
        let l = locations(gazetteer(), &texts, &[], None, &[]);
        let names: Vec<&str> = l.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Mali", "Accra"]);
    }

    #[test]
    fn datelines_resolve_to_capitals_and_large_cities() {
        let g = gazetteer();
        let facet = |d: &str| dateline_place(g, d, None).map(|p| g.facet(p));
        assert_eq!(
            facet("ANKARA").as_deref(),
            Some("/Asia/Western Asia/Turkey/Ankara")
        );
        assert_eq!(
            facet("SALVADOR, Feb 26 -").as_deref(),
            Some("/South America/South America/Brazil/Salvador")
        );
        assert!(
            facet("BRUSSELS 1996-08-22")
                .unwrap()
                .ends_with("/Belgium/Brussels")
        );
        assert_eq!(
            facet("GHANA").as_deref(),
            Some("/Africa/Western Africa/Ghana")
        );
        assert_eq!(facet("NOWHERE-VILLE"), None);
        assert!(facet("WINSTON-SALEM").unwrap().ends_with("/Winston-Salem"));
        assert!(
            facet("ST LOUIS")
                .unwrap()
                .ends_with("/United States/St. Louis")
        );
        assert!(facet("ANKARA - ").unwrap().ends_with("/Ankara"));
        assert!(facet("****LONDON").unwrap().ends_with("/London"));
    }

    fn focus_names(title: &str, body: &str, dateline: Option<&str>) -> Vec<String> {
        let g = gazetteer();
        let texts = [
            Text::new(title, Part::Title, true),
            Text::new(body, Part::Body, false),
        ];
        let dateline = dateline.and_then(|d| dateline_place(g, d, None));
        let l = locations(g, &texts, &[], dateline, &[]);
        focus(&l).into_iter().map(|i| l[i].name.clone()).collect()
    }

    #[test]
    fn focus_weighs_the_headline_and_demonyms_over_the_dateline() {
        let f = focus_names(
            "Malian junta expels envoy",
            "The junta in Mali said the envoy must leave. Officials in Paris and Berlin \
             objected. Mali's neighbours stayed silent.",
            Some("ANKARA"),
        );
        assert_eq!(f, ["Mali"]);
    }

    #[test]
    fn focus_keeps_up_to_three_places_of_similar_weight() {
        let f = focus_names(
            "Kenya and Ethiopia sign border deal",
            "Kenya and Ethiopia agreed on the border. Kenya will open two posts and Ethiopia \
             one. Kenyan and Ethiopian traders welcomed it. Somalia sent an observer.",
            None,
        );
        assert_eq!(f, ["Kenya", "Ethiopia"]);
    }

    #[test]
    fn focus_counts_a_countrys_cities_and_never_picks_a_continent() {
        let f = focus_names(
            "Floods in Africa",
            "Rain flooded Accra. In Kumasi roads closed. Accra's mayor asked Ghana for help.",
            None,
        );
        assert_eq!(f[0], "Ghana", "{f:?}");
        assert!(!f.contains(&"Africa".to_string()), "{f:?}");
        assert!(focus(&[]).is_empty());
    }

    #[test]
    fn a_dateline_state_province_or_country_picks_the_city_of_that_country() {
        let g = gazetteer();
        let facet =
            |place: &str, line: &str| dateline_place(g, place, Some(line)).map(|p| g.facet(p));
        let cambridge = facet("CAMBRIDGE", "CAMBRIDGE, Mass., March 3 -").unwrap();
        assert!(cambridge.contains("/United States/"), "{cambridge}");
        let english = facet("CAMBRIDGE", "CAMBRIDGE, England, March 3 -").unwrap();
        assert!(english.contains("/United Kingdom/"), "{english}");
        let calgary = facet("CALGARY", "CALGARY, Alberta, March 3 -").unwrap();
        assert!(calgary.ends_with("/Canada/Calgary"), "{calgary}");
        // A city the gazetteer lacks still gives its country.
        assert_eq!(
            facet("NOWHERE-VILLE", "NOWHERE-VILLE, Belgium, March 3 -").as_deref(),
            Some("/Europe/Western Europe/Belgium")
        );
        // A date after the comma says nothing about the country.
        assert_eq!(
            facet("SALVADOR", "SALVADOR, Feb 26 -").as_deref(),
            Some("/South America/South America/Brazil/Salvador")
        );
        assert_eq!(
            facet("LONDON", "LONDON, Nov 14 (Reuters) -"),
            dateline_place(g, "LONDON", None).map(|p| g.facet(p))
        );
    }

    #[test]
    fn a_place_opening_an_events_name_is_not_the_place() {
        assert_eq!(
            names("Graf won the U.S. Open and the Davis Cup went to Spain."),
            ["Spain"]
        );
        assert_eq!(
            names("He ran the Berlin Marathon. It was open in Berlin."),
            ["Berlin"]
        );
        assert!(names("Thousands marched in Paris on Sunday.").contains(&"Paris".to_string()));
        // A demonym opening an event's name points at no country.
        assert!(locs("She lost the Australian Open final.").is_empty());
        assert!(ends_with_event_word("Berlin Marathon"));
        assert!(!ends_with_event_word("Marathon"));
    }

    #[test]
    fn a_place_that_is_exactly_an_organization_name_is_dropped() {
        let body = "Toyota said sales rose.";
        let texts = [Text::new(body, Part::Body, false)];
        let l = locations(gazetteer(), &texts, &[(Part::Body, 0, 6)], None, &[]);
        assert!(l.is_empty());
    }
}
