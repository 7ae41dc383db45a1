//! Countries extracted from text against Reuters-21578's `PLACES` tags.
//!
//! Each Reuters article carries the countries its editors tagged (`<PLACES>`
//! codes such as `usa`, `west-germany`). The codes are mapped to country
//! facets by a hand-written table (`reuters-places.tsv`); codes the table
//! does not hold are counted and skipped. The article is then extracted
//! with its metadata places and organizations removed, so only the title,
//! the body and (unless turned off) the dateline speak. An extracted place
//! counts as its country: a city rolls up to its country (what a
//! `--location` filter on the country finds); news regions and continents
//! are not countries and are left out.
//!
//! Only articles with at least one mapped gold country are scored:
//! untagged articles say nothing about which countries they name.
//! - recall: gold (article, country) pairs whose country was extracted,
//!   over all gold pairs;
//! - not-gold share: extracted (article, country) pairs absent from the
//!   article's gold, over all extracted pairs. Editors tagged the countries
//!   a story is about, not every one it names, so this is an upper bound on
//!   the false-positive rate, not the rate itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::article::Article;
use crate::corpus::{self, ReadOptions};
use crate::error::{Error, Result};
use crate::extract::Extractor;

/// The code table, `code<TAB>facet<TAB>note`.
const MAPPING: &str = include_str!("reuters-places.tsv");

/// How many of the most missed and most extra countries the report lists.
const LISTED: usize = 15;

/// Options of [`evaluate_places`].
#[derive(Clone, Copy, Debug)]
pub struct PlacesOptions {
    /// Let the dateline (`SALVADOR, Feb 26 -`) count as text.
    pub dateline: bool,
}

impl Default for PlacesOptions {
    fn default() -> Self {
        PlacesOptions { dateline: true }
    }
}

/// The result of [`evaluate_places`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct PlacesEvaluation {
    /// The SGML files read.
    pub files: Vec<PathBuf>,
    /// Whether the dateline counted as text.
    pub dateline: bool,
    /// Articles read.
    pub articles: usize,
    /// Articles with at least one mapped gold country: the scored ones.
    pub scored_articles: usize,
    /// Gold (article, country) pairs.
    pub gold: usize,
    /// Gold pairs whose country was extracted.
    pub gold_found: usize,
    /// `gold_found / gold`.
    pub recall: f64,
    /// Extracted (article, country) pairs in scored articles.
    pub extracted: usize,
    /// Extracted pairs absent from the article's gold.
    pub extracted_not_gold: usize,
    /// `extracted_not_gold / extracted`.
    pub not_gold_share: f64,
    /// Codes met that the table does not map, with their counts.
    pub skipped_codes: BTreeMap<String, usize>,
    /// The countries most often missed, with counts, most first.
    pub most_missed: Vec<(String, usize)>,
    /// The countries most often extracted without being gold, most first.
    pub most_not_gold: Vec<(String, usize)>,
}

/// The code table: Reuters `PLACES` code → country facet.
pub fn code_facets() -> HashMap<&'static str, &'static str> {
    MAPPING
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut fields = l.split('\t');
            Some((fields.next()?, fields.next()?))
        })
        .collect()
}

/// The SGML files to read: `path` itself, or the `.sgm` files of a folder
/// in name order.
pub fn sgml_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::io(path, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Eval(format!(
            "no `.sgm` files in `{}`",
            path.display()
        )));
    }
    Ok(files)
}

/// The country part (`/Continent/Region/Country`) of a location facet, or
/// `None` for a continent or news region.
fn country_of(facet: &str) -> Option<&str> {
    let mut slashes = facet.match_indices('/').map(|(i, _)| i);
    let _continent = slashes.next()?;
    let _region = slashes.next()?;
    let _country = slashes.next()?;
    Some(match slashes.next() {
        Some(city) => &facet[..city],
        None => facet,
    })
}

/// The gold and extracted countries of one article.
#[derive(Debug, Default, PartialEq)]
struct ArticleCountries {
    gold: HashSet<String>,
    extracted: HashSet<String>,
    skipped: Vec<String>,
}

/// Extracts one article from its text alone and pairs the countries with
/// its gold.
fn score_article(
    extractor: &Extractor,
    codes: &HashMap<&str, &str>,
    article: &Article,
    options: PlacesOptions,
) -> ArticleCountries {
    let mut result = ArticleCountries::default();
    for given in &article.given_locations {
        // The reader turns the code's `-` into spaces.
        let code = given.trim().replace(' ', "-");
        match codes.get(code.as_str()) {
            Some(facet) => {
                result.gold.insert(facet.to_string());
            }
            None => result.skipped.push(code),
        }
    }
    if result.gold.is_empty() {
        return result;
    }
    let text_only = Article {
        given_locations: Vec::new(),
        given_organizations: Vec::new(),
        dateline: article.dateline.clone().filter(|_| options.dateline),
        dateline_line: article.dateline_line.clone().filter(|_| options.dateline),
        ..article.clone()
    };
    result.extracted = extractor
        .extract(&text_only)
        .locations
        .iter()
        .filter_map(|l| country_of(&l.facet).map(str::to_string))
        .collect();
    result
}

/// Reads the Reuters SGML `files` and scores the countries extracted from
/// each tagged article's text against its `PLACES`.
pub fn evaluate_places(
    extractor: &Extractor,
    files: &[PathBuf],
    options: PlacesOptions,
) -> PlacesEvaluation {
    let codes = code_facets();
    let mut evaluation = PlacesEvaluation {
        files: files.to_vec(),
        dateline: options.dateline,
        ..PlacesEvaluation::default()
    };
    let mut missed: HashMap<String, usize> = HashMap::new();
    let mut not_gold: HashMap<String, usize> = HashMap::new();
    for file in files {
        let contents = corpus::read_file(file, &ReadOptions::default());
        for article in &contents.articles {
            evaluation.articles += 1;
            let scored = score_article(extractor, &codes, article, options);
            for code in scored.skipped {
                *evaluation.skipped_codes.entry(code).or_default() += 1;
            }
            if scored.gold.is_empty() {
                continue;
            }
            evaluation.scored_articles += 1;
            evaluation.gold += scored.gold.len();
            evaluation.extracted += scored.extracted.len();
            for country in &scored.gold {
                if scored.extracted.contains(country) {
                    evaluation.gold_found += 1;
                } else {
                    *missed.entry(country.clone()).or_default() += 1;
                }
            }
            for country in scored.extracted.difference(&scored.gold) {
                evaluation.extracted_not_gold += 1;
                *not_gold.entry(country.clone()).or_default() += 1;
            }
        }
    }
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    evaluation.recall = share(evaluation.gold_found, evaluation.gold);
    evaluation.not_gold_share = share(evaluation.extracted_not_gold, evaluation.extracted);
    evaluation.most_missed = most(missed);
    evaluation.most_not_gold = most(not_gold);
    evaluation
}

/// The [`LISTED`] largest counts, ties by name.
fn most(counts: HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(LISTED);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules alone: these tests are about the scoring, not about
    /// which names a model finds.
    fn extractor() -> &'static Extractor {
        static E: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        E.get_or_init(|| {
            Extractor::with_options(crate::extract::ExtractorOptions {
                mode: crate::extract::ExtractionMode::Rules,
                ..Default::default()
            })
        })
    }

    #[test]
    fn every_reuters_code_maps_to_a_country_facet_of_the_gazetteer() {
        let codes = code_facets();
        assert_eq!(codes.len(), 175);
        for (code, facet) in &codes {
            assert_eq!(country_of(facet), Some(*facet), "{code}: {facet}");
            // The country's own name, given as metadata, resolves to it.
            let name = facet.rsplit('/').next().unwrap();
            let article = Article {
                given_locations: vec![name.to_string()],
                ..Article::default()
            };
            let found = extractor().extract(&article).locations;
            assert!(
                found.iter().any(|l| l.facet == *facet),
                "{code}: {facet} is not a gazetteer country: {found:?}"
            );
        }
        assert_eq!(codes["ussr"], "/Europe/Eastern Europe/Russia");
        assert_eq!(codes["west-germany"], "/Europe/Western Europe/Germany");
        assert_eq!(codes["uk"], "/Europe/Northern Europe/United Kingdom");
    }

    #[test]
    fn country_of_rolls_cities_up_and_leaves_regions_out() {
        assert_eq!(
            country_of("/Africa/Western Africa/Ghana/Accra"),
            Some("/Africa/Western Africa/Ghana")
        );
        assert_eq!(
            country_of("/Africa/Western Africa/Ghana"),
            Some("/Africa/Western Africa/Ghana")
        );
        assert_eq!(country_of("/Africa/Sahel"), None);
        assert_eq!(country_of("/Africa"), None);
    }

    #[test]
    fn an_article_is_scored_on_its_text_not_its_places_tags() {
        let article = Article {
            title: Some("Cocoa output falls".into()),
            body: "Growers in Ghana said the crop would be smaller.".into(),
            given_locations: vec!["ghana".into(), "ivory coast".into(), "atlantis".into()],
            ..Article::default()
        };
        let scored = score_article(
            extractor(),
            &code_facets(),
            &article,
            PlacesOptions::default(),
        );
        let gold: HashSet<String> = [
            "/Africa/Western Africa/Ghana",
            "/Africa/Western Africa/Ivory Coast",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(scored.gold, gold);
        assert_eq!(
            scored.extracted,
            HashSet::from(["/Africa/Western Africa/Ghana".to_string()])
        );
        assert_eq!(scored.skipped, ["atlantis"]);
    }

    #[test]
    fn the_dateline_counts_only_when_asked() {
        let article = Article {
            dateline: Some("ACCRA".into()),
            body: "Cocoa arrivals rose.".into(),
            given_locations: vec!["ghana".into()],
            ..Article::default()
        };
        let with = score_article(
            extractor(),
            &code_facets(),
            &article,
            PlacesOptions { dateline: true },
        );
        assert_eq!(with.extracted.len(), 1);
        let without = score_article(
            extractor(),
            &code_facets(),
            &article,
            PlacesOptions { dateline: false },
        );
        assert!(without.extracted.is_empty());
    }
}
