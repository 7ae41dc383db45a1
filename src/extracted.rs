//! The record `dateline extract` prints: an article with its entities, no index needed.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::article::{Article, Date, Origin};
use crate::corpus::{self, FileContents, Problem, ReadOptions};
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

/// Walks files and folders the way [`NewsIndex::ingest_paths`] does and
/// extracts every article found, in walk order, without indexing anything:
/// what `dateline extract` prints.
///
/// Each item is an extracted article or a [`Problem`] (a file skipped, a bad
/// line, a decoding warning), including [`ProblemKind::NotArticle`] for files
/// passed over by name, so a caller can count or ignore them. Files are read
/// one at a time, so memory stays bounded by the largest file.
///
/// [`NewsIndex::ingest_paths`]: crate::NewsIndex::ingest_paths
/// [`ProblemKind::NotArticle`]: crate::ProblemKind::NotArticle
pub fn extract_paths<'a>(
    paths: &[PathBuf],
    extractor: &'a Extractor,
    options: &'a ReadOptions,
) -> impl Iterator<Item = Result<ExtractedArticle, Problem>> + 'a {
    corpus::walk(paths, &[]).flat_map(move |item| {
        let contents = match item {
            Ok(path) => corpus::read_file(&path, options),
            Err(problem) => FileContents {
                articles: Vec::new(),
                problems: vec![problem],
            },
        };
        let records: Vec<_> = contents
            .articles
            .iter()
            .map(|article| Ok(ExtractedArticle::new(article, &extractor.extract(article))))
            .collect();
        contents.problems.into_iter().map(Err).chain(records)
    })
}
