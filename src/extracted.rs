//! The record `dateline extract` prints: an article with its entities, no index needed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::article::{Article, Date, Origin};
use crate::corpus::{self, Problem, ReadOptions};
use crate::extract::{Entities, Extractor, Focus};

/// A place in an [`ExtractedArticle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedLocation {
    /// English GeoNames name.
    pub name: String,
    /// `/Continent/Region/Country[/City]`.
    pub facet: String,
    /// Distinct exact substrings of title and body naming the place.
    pub mentions: Vec<String>,
    /// Distinct demonyms pointing at the place.
    pub derived: Vec<String>,
    /// Where it was found: text, title, dateline, metadata, demonym.
    pub sources: Vec<Origin>,
}

/// An organization in an [`ExtractedArticle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedOrganization {
    /// Curated name.
    pub name: String,
    /// `/Name` or `/Parent/Name`.
    pub facet: String,
    /// Distinct exact substrings naming it.
    pub mentions: Vec<String>,
    /// Where it was found.
    pub sources: Vec<Origin>,
}

/// One article with what extraction found in it: the `dateline extract --json` contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedArticle {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Headline.
    pub title: Option<String>,
    /// Web address.
    pub url: Option<String>,
    /// Outlet or agency.
    pub source: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<Date>,
    /// Where the date came from: metadata, text or filename.
    pub published_source: Option<Origin>,
    /// The dateline as written.
    pub dateline: Option<String>,
    /// Places.
    pub locations: Vec<ExtractedLocation>,
    /// Organizations.
    pub organizations: Vec<ExtractedOrganization>,
    /// The 1-3 places the article is about, best first.
    #[serde(default)]
    pub focus: Vec<Focus>,
    /// The distinct dates the title and body mention, in order of first
    /// appearance.
    #[serde(default)]
    pub dates: Vec<ExtractedDate>,
}

/// A mentioned date in an [`ExtractedArticle`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedDate {
    /// The words as written.
    pub text: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub value: String,
}

impl ExtractedArticle {
    /// Builds the record from an article and its entities.
    pub fn new(article: &Article, entities: &Entities) -> ExtractedArticle {
        ExtractedArticle {
            id: article.id.clone(),
            path: article.path.to_string_lossy().into_owned(),
            title: article.title.clone(),
            url: article.url.clone(),
            source: article.source.clone(),
            published: entities.published,
            published_source: entities.published_source,
            dateline: article.dateline.clone(),
            locations: entities
                .locations
                .iter()
                .map(|l| ExtractedLocation {
                    name: l.name.clone(),
                    facet: l.facet.clone(),
                    mentions: l.mentions.clone(),
                    derived: l.derived.clone(),
                    sources: l.sources.clone(),
                })
                .collect(),
            organizations: entities
                .organizations
                .iter()
                .map(|o| ExtractedOrganization {
                    name: o.name.clone(),
                    facet: o.facet.clone(),
                    mentions: o.mentions.clone(),
                    sources: o.sources.clone(),
                })
                .collect(),
            focus: entities.focus.clone(),
            dates: distinct_dates(entities),
        }
    }
}

/// The mentioned dates, each text and value once.
fn distinct_dates(entities: &Entities) -> Vec<ExtractedDate> {
    let mut out: Vec<ExtractedDate> = Vec::new();
    for date in &entities.dates {
        if !out
            .iter()
            .any(|d| d.text == date.text && d.value == date.value)
        {
            out.push(ExtractedDate {
                text: date.text.clone(),
                value: date.value.clone(),
            });
        }
    }
    out
}

/// Reads one file and extracts every article in it.
pub fn extract_file(
    path: &Path,
    extractor: &Extractor,
    options: &ReadOptions,
) -> (Vec<ExtractedArticle>, Vec<Problem>) {
    let contents = corpus::read_file(path, options);
    let records = contents
        .articles
        .iter()
        .map(|article| ExtractedArticle::new(article, &extractor.extract(article)))
        .collect();
    (records, contents.problems)
}
