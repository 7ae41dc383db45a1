//! Extraction of locations, organizations and the publication date.
//!
//! An [`Extractor`] is built once from data shipped in the crate and shared
//! by every indexing thread (`Send + Sync`).
//!
//! The data lives in `src/extract/data/`: `gazetteer.tsv` is generated from
//! GeoNames by `data/generate.py` (run by hand, never by the build); the
//! other tables are written by hand. Matching is dictionary-based (one
//! trie for places, one for organizations, walked from word starts: the
//! private module `dictionary`) with rules on capitalisation and context,
//! documented in the private modules `locations` and `organizations` (see
//! their source).
//!
//! Metadata names are resolved through the same tables. A metadata place
//! name that resolves to nothing is skipped (a facet value needs a place in
//! the hierarchy); a metadata organization that is not in the table is kept
//! as `/Name`, title-cased when it was all lower case.

use rustc_hash::FxHashSet as HashSet;

use serde::{Deserialize, Serialize};

use crate::article::{Article, Date, Origin};

mod aliases;
mod dates;
mod dictionary;
mod gazetteer;
mod locations;
mod organizations;
pub mod tagger;
mod text;

pub use aliases::alias_facets;
pub use dates::parse_date;
pub use tagger::Mode as ExtractionMode;

use gazetteer::Gazetteer;
use organizations::OrgTable;
use text::Text;

/// Which part of the article a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The headline.
    Title,
    /// The body; offsets are code points into [`Article::body`].
    Body,
}

/// One occurrence of an entity in the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Title or body.
    pub part: Part,
    /// Start, in code points, inclusive.
    pub start: usize,
    /// End, in code points, exclusive.
    pub end: usize,
    /// True for a derived mention (a demonym such as "Malian").
    pub derived: bool,
}

/// A place the article names, on the location facet hierarchy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The English GeoNames name (`Mali`, `Accra`, `Western Africa`).
    pub name: String,
    /// Facet path, `/Continent/Region/Country[/City]`.
    pub facet: String,
    /// Distinct exact substrings of title and body that name the place, in
    /// order of first appearance.
    pub mentions: Vec<String>,
    /// Distinct demonyms that point at the place ("Malian").
    pub derived: Vec<String>,
    /// Where the place was found.
    pub sources: Vec<Origin>,
    /// Every occurrence, in title then body order.
    pub spans: Vec<Span>,
}

/// An organization the article names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// The curated name (`United Nations`, `Wagner Group`).
    pub name: String,
    /// Facet path, `/Name` or `/Parent/Name`.
    pub facet: String,
    /// Distinct exact substrings that name the organization.
    pub mentions: Vec<String>,
    /// Where the organization was found.
    pub sources: Vec<Origin>,
    /// Every occurrence.
    pub spans: Vec<Span>,
}

/// A place the article is about (see [`Entities::focus`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Focus {
    /// The place's name, as in [`Location::name`].
    pub name: String,
    /// Its facet path, as in [`Location::facet`].
    pub facet: String,
}

/// A date the article mentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionedDate {
    /// The words as written ("since 2012" gives `2012`, "Monday" `Monday`).
    pub text: String,
    /// The date at the precision written: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub value: String,
    /// Title or body.
    pub part: Part,
    /// Start, in code points, inclusive.
    pub start: usize,
    /// End, in code points, exclusive.
    pub end: usize,
}

/// Everything extraction finds in one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    /// Places, most mentioned first.
    pub locations: Vec<Location>,
    /// Organizations, most mentioned first.
    pub organizations: Vec<Organization>,
    /// The 1-3 places the article is about, best first: mentions and
    /// demonyms, the headline weighted, the dateline considered; empty when
    /// it names no place.
    pub focus: Vec<Focus>,
    /// Publication date from metadata, else text, else file name.
    pub published: Option<Date>,
    /// Where `published` came from: metadata, text or filename.
    pub published_source: Option<Origin>,
    /// Every date the title and body mention, in order; relative ones
    /// ("Monday", "in February") only when `published` is known.
    pub dates: Vec<MentionedDate>,
}

/// How an [`Extractor`] finds names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtractorOptions {
    /// Rules, the statistical tagger, or both (the default).
    pub mode: ExtractionMode,
    /// Run the tagger over every token instead of only capitalised runs
    /// (slower; for measurement).
    pub tag_every_token: bool,
}

/// Finds places, organizations and dates in articles.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
    organizations: OrgTable,
    tagger: Option<tagger::Tagger>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// Builds the extractor from the data shipped in the crate.
    pub fn new() -> Extractor {
        Extractor::with_options(ExtractorOptions::default())
    }

    /// Builds the extractor with the given options.
    pub fn with_options(options: ExtractorOptions) -> Extractor {
        Extractor {
            gazetteer: Gazetteer::load(),
            organizations: OrgTable::load(),
            tagger: (options.mode != ExtractionMode::Rules)
                .then(|| tagger::Tagger::load(options.mode, options.tag_every_token)),
        }
    }

    /// Returns the facet a place name resolves to without context, as a
    /// key that is the same for every spelling of the place (evaluation
    /// compares entities through it).
    pub(crate) fn location_key(&self, name: &str) -> Option<String> {
        self.gazetteer
            .lookup(name)
            .map(|id| self.gazetteer.facet(id))
    }

    /// Returns a key naming the table organization a name stands for, the
    /// same for every alias.
    pub(crate) fn organization_key(&self, name: &str) -> Option<String> {
        self.organizations
            .lookup(name)
            .map(|id| format!("org#{id}"))
    }

    /// Extracts the entities and the publication date of one article.
    pub fn extract(&self, article: &Article) -> Entities {
        let mut texts = Vec::with_capacity(2);
        if let Some(title) = article.title.as_deref() {
            texts.push(Text::new(title, Part::Title, true));
        }
        texts.push(Text::new(&article.body, Part::Body, false));

        let given_orgs: HashSet<u32> = article
            .given_organizations
            .iter()
            .filter_map(|n| self.organizations.lookup(n))
            .collect();
        let is_place = |name: &str| self.gazetteer.lookup(name).is_some();
        let org_hits = self.organizations.find(&texts, &given_orgs, &is_place);
        let organizations =
            self.organizations
                .organizations(&texts, &org_hits, &article.given_organizations);
        let org_spans: Vec<locations::OrgSpan> =
            // Names found by the organization-word rule are not curated:
            // a demonym in one ("British Armed Forces") still points at
            // its country.
            org_hits
                .iter()
                .filter(|h| !matches!(h.key, organizations::OrgKey::Named(_)))
                .map(|h| (h.part, h.start, h.end))
                .collect();

        let dateline = article.dateline.as_deref().and_then(|d| {
            locations::dateline_place(&self.gazetteer, d, article.dateline_line.as_deref())
        });
        let mut given_places: Vec<u32> = Vec::new();
        for name in &article.given_locations {
            if let Some(p) = self.gazetteer.lookup(name)
                && !given_places.contains(&p)
            {
                given_places.push(p);
            }
        }
        let mut locations =
            locations::locations(&self.gazetteer, &texts, &org_spans, dateline, &given_places);
        let mut organizations = organizations;
        if let Some(tagger) = &self.tagger {
            tagger.apply(
                &self.gazetteer,
                &self.organizations,
                article,
                &mut locations,
                &mut organizations,
            );
        }

        let focus = locations::focus(&locations)
            .into_iter()
            .map(|i| Focus {
                name: locations[i].name.clone(),
                facet: locations[i].facet.clone(),
            })
            .collect();
        let (published, published_source) = publication_date(article, &texts);
        let dates = dates::mentioned_dates(&texts, published);
        Entities {
            locations,
            organizations,
            focus,
            published,
            published_source,
            dates,
        }
    }
}

/// The part of the body where a publication date may stand: a short first
/// line (`Published 3 March 2024`, `BRUSSELS 1996-08-22`), or the dateline
/// before the dash that opens the first paragraph (`LIMA, June 4, 2023 -`).
/// A date later in the lead sentence is a date the story mentions ("since
/// 11 September 2001"), not the day it was published.
fn body_lead(body: &str) -> Option<&str> {
    let first = body.trim_start().lines().next()?.trim();
    if first.chars().count() <= 120 {
        return Some(first);
    }
    let head_end = first.char_indices().nth(80).map_or(first.len(), |(i, _)| i);
    [" - ", " -- ", " \u{2014} ", " \u{2013} ", "\u{2014}"]
        .iter()
        .filter_map(|dash| first[..head_end].find(dash))
        .min()
        .map(|at| &first[..at])
}

/// The publication date and where it came from: metadata (parsed, or the
/// raw metadata string), else a date with a year in the dateline or the
/// first lines of the body, else the file name's (or its folders') date,
/// else a yearless day in the dateline or lead ("Nov 14 (Reuters)") with
/// the year of the file path or, failing that, the year the text suggests
/// (`dates::year_from_context`).
fn publication_date(article: &Article, texts: &[Text<'_>]) -> (Option<Date>, Option<Origin>) {
    if let Some(date) = article.published {
        return (Some(date), Some(Origin::Metadata));
    }
    if let Some(date) = article.published_raw.as_deref().and_then(parse_date) {
        return (Some(date), Some(Origin::Metadata));
    }
    let text_date = article
        .dateline_line
        .as_deref()
        .or(article.dateline.as_deref())
        .and_then(dates::find_date)
        .or_else(|| body_lead(&article.body).and_then(dates::find_date));
    if let Some(date) = text_date {
        return (Some(date), Some(Origin::Text));
    }
    if let Some(date) = dates::date_from_path(&article.path) {
        return (Some(date), Some(Origin::Filename));
    }
    let month_day = article
        .dateline_line
        .as_deref()
        .or(article.dateline.as_deref())
        .and_then(dates::find_month_day)
        .or_else(|| body_lead(&article.body).and_then(dates::find_month_day));
    let date = month_day.and_then(|(month, day)| {
        let year =
            dates::year_from_path(&article.path).or_else(|| dates::year_from_context(texts))?;
        Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
    });
    match date {
        Some(date) => (Some(date), Some(Origin::Text)),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests;
