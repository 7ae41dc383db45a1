//! Facet filters and date bounds: resolving what the user typed into facet
//! paths that exist in the index.

use std::collections::BTreeSet;

use tantivy::Searcher;
use tantivy::schema::Field;

use crate::article::Date;
use crate::error::{Error, Result};

/// Every facet path (with all its ancestors) in the index for `field`.
pub(crate) fn facet_paths(searcher: &Searcher, field: Field) -> Result<BTreeSet<String>> {
    let mut paths = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(|e| Error::Engine(Box::new(e)))?;
        while stream.advance() {
            if let Ok(encoded) = std::str::from_utf8(stream.key()) {
                paths.insert(facet_text(encoded));
            }
        }
    }
    Ok(paths)
}

/// Writes an encoded facet (steps separated by NUL bytes) as its path text,
/// exactly as tantivy's `Facet` displays it, without the regular expression
/// `Display` runs per step: that was a third of the instructions of a
/// filtered search, which reads every facet term of the index.
pub(crate) fn facet_text(encoded: &str) -> String {
    let mut text = String::with_capacity(encoded.len() + 1);
    for step in encoded.split('\0') {
        push_step(&mut text, step);
    }
    text
}

/// Appends `/` and one facet step to a path text, escaped as tantivy's
/// `Facet` displays it.
pub(crate) fn push_step(text: &mut String, step: &str) {
    text.push('/');
    if !step.contains(['/', '\\']) {
        text.push_str(step);
        return;
    }
    for c in step.chars() {
        if c == '/' || c == '\\' {
            text.push_str("\\/");
        } else {
            text.push(c);
        }
    }
}

/// Resolves a filter value to facet paths.
///
/// A value starting with `/` is a path: used as is when it exists (any
/// letter case). Otherwise the value is a name matched, ignoring case and
/// accents, against every component of every path: `Mali` finds
/// `/Africa/Western Africa/Mali`, `Africa` finds `/Africa`. Several matches
/// are all returned (the caller ORs them). `aliases` are paths the value is
/// another name for (`UK` for the United Kingdom); those in the index count
/// as matches too.
pub(crate) fn resolve(value: &str, paths: &BTreeSet<String>, aliases: &[String]) -> Vec<String> {
    let value = value.trim();
    if value.starts_with('/') {
        let wanted = fold(value.trim_end_matches('/'));
        if let Some(exact) = paths.get(value.trim_end_matches('/')) {
            return vec![exact.clone()];
        }
        return paths
            .iter()
            .filter(|p| fold(p) == wanted)
            .cloned()
            .collect();
    }
    let wanted = fold(value);
    let mut found: BTreeSet<String> = aliases
        .iter()
        .filter(|a| paths.contains(*a))
        .cloned()
        .collect();
    for path in paths {
        let components: Vec<&str> = path.split('/').skip(1).collect();
        if components.last().is_some_and(|last| fold(last) == wanted) {
            found.insert(path.clone());
        }
    }
    // Keep only the shortest of nested matches (`/Asia/Gulf` and not a city
    // called Gulf below it would both be kept; a node and its own child of
    // the same name keep the node).
    let found: Vec<String> = found.into_iter().collect();
    found
        .iter()
        .filter(|p| {
            !found
                .iter()
                .any(|q| q != *p && p.starts_with(&format!("{q}/")))
        })
        .cloned()
        .collect()
}

/// Lowercase, accents and punctuation folded, for name comparison.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                'a'
            }
            'ç' | 'Ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            '\u{2019}' => '\'',
            other => other,
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// An inclusive date bound as typed: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
/// `upper` picks the last day of a year or month instead of the first.
pub(crate) fn parse_bound(text: &str, upper: bool) -> Result<Date> {
    let bad = || {
        Error::Filter(format!(
            "invalid date `{text}` (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        ))
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str, len: usize| -> Result<i64> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let year = number(parts[0], 4)? as i16;
    let (month, day) = match parts.len() {
        1 => (if upper { 12 } else { 1 }, None),
        2 => (number(parts[1], 2)? as i8, None),
        3 => (number(parts[1], 2)? as i8, Some(number(parts[2], 2)? as i8)),
        _ => return Err(bad()),
    };
    let day = match day {
        Some(day) => day,
        None if upper => jiff::civil::Date::new(year, month, 1)
            .map_err(|_| bad())?
            .days_in_month(),
        None => 1,
    };
    Date::new(year, month, day).ok_or_else(bad)
}

/// The date facet's path for a date as typed (`2022-11` gives
/// `/2022/11`), checked as [`parse_bound`] checks it.
pub(crate) fn date_path(text: &str) -> Result<String> {
    parse_bound(text, false)?;
    Ok(text
        .trim()
        .split('-')
        .fold(String::new(), |path, part| path + "/" + part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Facet;

    #[test]
    fn facet_text_matches_tantivys_display() {
        let facets = [
            Facet::root(),
            Facet::from_path(["Africa"]),
            Facet::from_path(["Africa", "Western Africa", "Côte d'Ivoire"]),
            Facet::from_path(["a/b", "c\\d", ""]),
        ];
        for facet in facets {
            assert_eq!(facet_text(facet.encoded_str()), facet.to_string());
        }
    }

    fn paths() -> BTreeSet<String> {
        [
            "/Africa",
            "/Africa/Western Africa",
            "/Africa/Western Africa/Mali",
            "/Africa/Western Africa/Ghana",
            "/Africa/Western Africa/Ghana/Accra",
            "/Asia",
            "/Asia/Eastern Asia",
            "/Asia/Eastern Asia/China",
            "/Asia/Eastern Asia/China/Mali",
        ]
        .map(String::from)
        .into()
    }

    #[test]
    fn a_name_resolves_to_the_shallowest_matching_nodes() {
        assert_eq!(
            resolve("mali", &paths(), &[]),
            [
                "/Africa/Western Africa/Mali",
                "/Asia/Eastern Asia/China/Mali"
            ]
        );
        assert_eq!(
            resolve("Accra", &paths(), &[]),
            ["/Africa/Western Africa/Ghana/Accra"]
        );
        assert_eq!(resolve("africa", &paths(), &[]), ["/Africa"]);
    }

    #[test]
    fn aliases_count_only_when_the_index_has_their_path() {
        let aliases = [
            "/Africa/Western Africa/Ghana".to_string(),
            "/Europe/Northern Europe/United Kingdom".to_string(),
        ];
        assert_eq!(
            resolve("gold coast", &paths(), &aliases),
            ["/Africa/Western Africa/Ghana"]
        );
    }

    #[test]
    fn an_exact_path_wins_and_paths_ignore_case() {
        assert_eq!(
            resolve("/Africa/Western Africa/Mali", &paths(), &[]),
            ["/Africa/Western Africa/Mali"]
        );
        assert_eq!(
            resolve("/africa/western africa", &paths(), &[]),
            ["/Africa/Western Africa"]
        );
        assert!(resolve("/Europe", &paths(), &[]).is_empty());
    }

    #[test]
    fn typed_dates_become_the_date_facets_paths() {
        assert_eq!(date_path("2022").unwrap(), "/2022");
        assert_eq!(date_path(" 2022-11 ").unwrap(), "/2022/11");
        assert_eq!(date_path("2022-11-03").unwrap(), "/2022/11/03");
        assert!(date_path("2022-13").is_err());
        assert!(date_path("22-11").is_err());
    }

    #[test]
    fn date_bounds_cover_whole_years_and_months() {
        assert_eq!(
            parse_bound("1987", false).unwrap().to_string(),
            "1987-01-01"
        );
        assert_eq!(parse_bound("1987", true).unwrap().to_string(), "1987-12-31");
        assert_eq!(
            parse_bound("2024-02", true).unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            parse_bound("2024-02-10", true).unwrap().to_string(),
            "2024-02-10"
        );
        assert!(parse_bound("2024-2", false).is_err());
        assert!(parse_bound("2024-13", false).is_err());
        assert!(parse_bound("yesterday", false).is_err());
    }
}
