//! Other names for facet values, for resolving what a user types in a
//! filter (`--location UK`, `--org UN`) without building the extractor:
//! only the small hand-written tables are read, no matcher is built.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::gazetteer::{COUNTRIES, REGIONS, names, records, records_of};
use super::organizations::rows_with_facets;

/// Returns the facet paths that `name` is another name for, in the facet
/// `facet` (`location` or `organization`); empty when it is no known alias.
///
/// Matching ignores case. Country aliases and historical names (`UK`,
/// `Burma`, `West Germany`), news-region names (`West Africa`) and
/// organization acronyms (`UN`, `WFP`) are covered; demonyms are not.
pub fn alias_facets(facet: &str, name: &str) -> Vec<String> {
    static TABLES: OnceLock<[HashMap<String, Vec<String>>; 2]> = OnceLock::new();
    let [locations, organizations] =
        TABLES.get_or_init(|| [location_aliases(), organization_aliases()]);
    let table = match facet {
        "location" => locations,
        "organization" => organizations,
        _ => return Vec::new(),
    };
    table
        .get(&name.trim().to_lowercase())
        .cloned()
        .unwrap_or_default()
}

fn insert(table: &mut HashMap<String, Vec<String>>, alias: &str, facet: &str) {
    let alias = alias.trim_end_matches('^').to_lowercase();
    let facets = table.entry(alias).or_default();
    if !facets.iter().any(|f| f == facet) {
        facets.push(facet.to_string());
    }
}

fn location_aliases() -> HashMap<String, Vec<String>> {
    let mut table = HashMap::new();
    // Country lines of the gazetteer: `C iso2 name facet ...`.
    let facets: HashMap<&str, &str> = records_of("C").map(|f| (f[1], f[3])).collect();
    for fields in records(COUNTRIES) {
        if let Some(facet) = facets.get(fields[0]) {
            for alias in names(fields[1]).chain(names(fields[3])) {
                insert(&mut table, alias, facet);
            }
        }
    }
    for fields in records(REGIONS) {
        if fields[0].starts_with('/') {
            for alias in names(fields[1]) {
                insert(&mut table, alias, fields[0]);
            }
        }
    }
    table
}

fn organization_aliases() -> HashMap<String, Vec<String>> {
    let mut table = HashMap::new();
    for (row, facet) in rows_with_facets() {
        // name, parent, aliases, context aliases, metadata-only names
        for alias in std::iter::once(row[0])
            .chain(names(row[2]))
            .chain(names(row[3]))
            .chain(names(row[4]))
        {
            insert(&mut table, alias, &facet);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_aliases_and_historical_names_resolve_to_paths() {
        assert_eq!(
            alias_facets("location", "uk"),
            ["/Europe/Northern Europe/United Kingdom"]
        );
        assert_eq!(
            alias_facets("location", "Burma"),
            ["/Asia/South-eastern Asia/Myanmar"]
        );
        assert_eq!(
            alias_facets("location", "West Africa"),
            ["/Africa/Western Africa"]
        );
        assert!(alias_facets("location", "Narnia").is_empty());
    }

    #[test]
    fn organization_acronyms_resolve_to_paths() {
        assert_eq!(alias_facets("organization", "UN"), ["/United Nations"]);
        assert_eq!(
            alias_facets("organization", "wfp"),
            ["/United Nations/World Food Programme"]
        );
        assert!(alias_facets("source", "UN").is_empty());
    }
}
