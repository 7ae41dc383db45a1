//! The place table: continents, news regions, countries and cities, with
//! every name they go by, loaded from the data files shipped in
//! `src/extract/data/` (see `generate.py` there for how they are made).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Generated from GeoNames by `data/generate.py`.
const GAZETTEER: &str = include_str!("data/gazetteer.tsv");
/// Country aliases, historical names and demonyms, written by hand.
const COUNTRIES: &str = include_str!("data/countries.tsv");
/// Continents and news regions, written by hand.
const REGIONS: &str = include_str!("data/regions.tsv");

/// What level of the facet hierarchy a place sits at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A continent or a region news names ("West Africa", "the Sahel").
    Region,
    /// A country or territory with an ISO code.
    Country,
    /// A city.
    City,
}

/// One place of the gazetteer.
#[derive(Debug)]
pub(crate) struct Place {
    /// The English GeoNames name, or the region's name.
    pub name: String,
    /// `/Continent/Region/Country[/City]`.
    pub facet: String,
    /// Level in the hierarchy.
    pub kind: Kind,
    /// Index of the place's country (a country's own index); none for
    /// regions.
    pub country: Option<u32>,
    /// GeoNames population, 0 for regions.
    pub population: u64,
    /// True for a national capital.
    pub capital: bool,
    /// True if the name is also a common word or given name, so a text
    /// mention needs location context.
    pub ambiguous: bool,
}

/// What a matched name points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A place named by the alias.
    Place(u32),
    /// A demonym of the place ("Malian").
    Demonym(u32),
    /// A name matched only so that no shorter place inside it is
    /// ("Indian Ocean").
    Blocker,
    /// A US state: yields nothing, but tells "Georgia" the state from
    /// Georgia the country.
    State,
}

/// One spelling of a name and what it points at.
#[derive(Debug)]
pub(crate) struct Alias {
    /// The spelling, with the capitals the text must have.
    pub form: Box<str>,
    /// What it names.
    pub target: Target,
    /// True for the place's own name (not an alternate name).
    pub primary: bool,
    /// False if the alias is an ordinary word when shouted ("US").
    pub shout_ok: bool,
    /// True if the alias counts only after "the" ("the Gulf").
    pub needs_the: bool,
    /// True if a capitalised word right before or after means the alias is
    /// part of a longer name ("Paris Hilton", "Jordan Peterson").
    pub adjacency: bool,
}

/// The loaded gazetteer with its text matcher.
#[derive(Debug)]
pub(crate) struct Gazetteer {
    /// Every place; indexes are `u32` place ids.
    pub places: Vec<Place>,
    /// Aliases grouped by automaton pattern (ASCII-lower-cased spelling).
    pub patterns: Vec<Vec<Alias>>,
    /// Finds every pattern, ASCII case-insensitively, overlapping.
    pub automaton: AhoCorasick,
    /// Lower-cased name (any alias, metadata-only names) to the best place.
    lookup: HashMap<String, (u32, Rank)>,
}

/// Orders candidates for a name looked up without context: countries, then
/// regions, then own names before alternate names, capitals, population.
type Rank = (u8, bool, bool, u64);

/// Collects aliases before the automaton is built.
#[derive(Default)]
struct Builder {
    places: Vec<Place>,
    keys: HashMap<String, usize>,
    patterns: Vec<Vec<Alias>>,
    lookup: HashMap<String, (u32, Rank)>,
}

impl Builder {
    fn add_alias(&mut self, form: &str, target: Target, primary: bool, flags: AliasFlags) {
        let (form, shout_ok) = match form.strip_suffix('*') {
            Some(f) => (f, false),
            None => (form, true),
        };
        if form.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        let key = form.to_ascii_lowercase();
        let next = self.patterns.len();
        let index = *self.keys.entry(key).or_insert(next);
        if index == next {
            self.patterns.push(Vec::new());
        }
        let group = &mut self.patterns[index];
        if group.iter().any(|a| a.target == target && *a.form == *form) {
            return;
        }
        group.push(Alias {
            form: form.into(),
            target,
            primary,
            shout_ok,
            needs_the: flags.needs_the,
            adjacency: flags.adjacency,
        });
    }

    fn add_lookup(&mut self, name: &str, place: u32, primary: bool) {
        let p = &self.places[place as usize];
        let kind = match p.kind {
            Kind::Country => 3,
            Kind::Region => 2,
            Kind::City => 1,
        };
        let rank = (kind, primary, p.capital, p.population);
        let key = name.trim_end_matches('*').to_lowercase();
        match self.lookup.get(&key) {
            Some((_, best)) if *best >= rank => {}
            _ => {
                self.lookup.insert(key, (place, rank));
            }
        }
    }
}

#[derive(Clone, Copy, Default)]
struct AliasFlags {
    needs_the: bool,
    adjacency: bool,
}

impl Gazetteer {
    /// Loads the shipped data files and builds the matcher.
    pub fn load() -> Gazetteer {
        let mut b = Builder::default();
        let mut by_iso: HashMap<&str, u32> = HashMap::new();

        // Countries first, so a city can point at its country.
        for fields in records(GAZETTEER).filter(|f| f[0] == "C") {
            let [_, iso, name, facet, population, _capital] = take::<6>(&fields);
            let id = b.places.len() as u32;
            by_iso.insert(iso, id);
            b.places.push(Place {
                name: name.to_string(),
                facet: facet.to_string(),
                kind: Kind::Country,
                country: Some(id),
                population: population.parse().unwrap_or(0),
                capital: false,
                ambiguous: false,
            });
        }
        for fields in records(COUNTRIES) {
            let [iso, _, _, _, flags] = take::<5>(&fields);
            if flags.split(' ').any(|f| f == "ctx")
                && let Some(&id) = by_iso.get(iso)
            {
                b.places[id as usize].ambiguous = true;
            }
        }
        let country_count = b.places.len() as u32;
        for id in 0..country_count {
            let place = &b.places[id as usize];
            let name = place.name.clone();
            let flags = AliasFlags {
                adjacency: place.ambiguous,
                ..AliasFlags::default()
            };
            b.add_alias(&name, Target::Place(id), true, flags);
            b.add_lookup(&name, id, true);
        }
        for fields in records(COUNTRIES) {
            let [iso, aliases, demonyms, metadata, _] = take::<5>(&fields);
            let Some(&id) = by_iso.get(iso) else { continue };
            let flags = AliasFlags {
                adjacency: b.places[id as usize].ambiguous,
                ..AliasFlags::default()
            };
            for alias in names(aliases) {
                b.add_alias(alias, Target::Place(id), true, flags);
                b.add_lookup(alias, id, true);
            }
            for demonym in names(demonyms) {
                add_demonym(&mut b, demonym, id);
            }
            for name in names(metadata) {
                b.add_lookup(name, id, true);
            }
        }

        // News regions and continents; a facet may span several rows.
        let mut region_ids: HashMap<String, u32> = HashMap::new();
        for fields in records(REGIONS) {
            let [facet, aliases, derived, flags] = take::<4>(&fields);
            let flags = AliasFlags {
                needs_the: flags.split(' ').any(|f| f == "the"),
                adjacency: flags.split(' ').any(|f| f == "adj"),
            };
            if facet == "-" {
                for alias in names(aliases).chain(names(derived)) {
                    b.add_alias(alias, Target::Blocker, true, flags);
                }
                continue;
            }
            let id = *region_ids.entry(facet.to_string()).or_insert_with(|| {
                let id = b.places.len() as u32;
                b.places.push(Place {
                    name: facet.rsplit('/').next().unwrap_or(facet).to_string(),
                    facet: facet.to_string(),
                    kind: Kind::Region,
                    country: None,
                    population: 0,
                    capital: false,
                    ambiguous: false,
                });
                id
            });
            for alias in names(aliases) {
                b.add_alias(alias, Target::Place(id), true, flags);
                b.add_lookup(alias, id, true);
            }
            for demonym in names(derived) {
                add_demonym(&mut b, demonym, id);
            }
        }

        for fields in records(GAZETTEER).filter(|f| f[0] == "T") {
            let [_, _id, iso, name, population, flags, alternates] = take::<7>(&fields);
            let Some(&country) = by_iso.get(iso) else {
                continue;
            };
            let id = b.places.len() as u32;
            let country_facet = &b.places[country as usize].facet;
            b.places.push(Place {
                name: name.to_string(),
                facet: format!("{country_facet}/{name}"),
                kind: Kind::City,
                country: Some(country),
                population: population.parse().unwrap_or(0),
                capital: flags.contains('c'),
                ambiguous: flags.contains('a'),
            });
            let flags = AliasFlags {
                adjacency: true,
                ..AliasFlags::default()
            };
            b.add_alias(name, Target::Place(id), true, flags);
            b.add_lookup(name, id, true);
            for (i, alt) in names(alternates).enumerate() {
                // The first extra name is the ASCII folding of the own name
                // when there is one; treat it as the own name.
                let primary = i == 0 && alt.is_ascii() && !name.is_ascii();
                b.add_alias(alt, Target::Place(id), primary, flags);
                b.add_lookup(alt, id, primary);
            }
        }
        for fields in records(GAZETTEER).filter(|f| f[0] == "S") {
            b.add_alias(fields[1], Target::State, true, AliasFlags::default());
        }

        let keys: Vec<&str> = {
            let mut keys = vec![""; b.patterns.len()];
            for (key, &i) in &b.keys {
                keys[i] = key.as_str();
            }
            keys
        };
        let automaton = build_automaton(&keys);
        Gazetteer {
            places: b.places,
            patterns: b.patterns,
            automaton,
            lookup: b.lookup,
        }
    }

    /// Returns the place a name stands for without context (metadata, a
    /// dateline): a country, else a region, else the largest city.
    pub fn lookup(&self, name: &str) -> Option<u32> {
        let key = name.trim().to_lowercase();
        self.lookup.get(&key).map(|&(id, _)| id)
    }

    /// Returns the place with this id.
    pub fn place(&self, id: u32) -> &Place {
        &self.places[id as usize]
    }
}

/// Adds a demonym and, for those ending in -an or -i, its plural.
fn add_demonym(b: &mut Builder, demonym: &str, place: u32) {
    b.add_alias(demonym, Target::Demonym(place), true, AliasFlags::default());
    if demonym.ends_with("an") || demonym.ends_with('i') {
        let plural = format!("{demonym}s");
        b.add_alias(&plural, Target::Demonym(place), true, AliasFlags::default());
    }
}

/// Builds the matcher over lower-case keys.
pub(crate) fn build_automaton(keys: &[&str]) -> AhoCorasick {
    // A contiguous NFA builds fast and scans fast enough for tens of
    // thousands of names; a DFA would take far longer to build.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(keys)
        .expect("the shipped names build an automaton")
}

/// Yields the tab-separated fields of each data line (comments skipped).
pub(crate) fn records(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// Returns the first `N` fields, empty where the line is shorter.
pub(crate) fn take<'a, const N: usize>(fields: &[&'a str]) -> [&'a str; N] {
    std::array::from_fn(|i| fields.get(i).copied().unwrap_or(""))
}

/// Splits a `|`-separated list, skipping empty names.
pub(crate) fn names(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> &'static Gazetteer {
        static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        G.get_or_init(Gazetteer::load)
    }

    #[test]
    fn shipped_gazetteer_holds_all_252_countries_with_region_paths() {
        let g = gazetteer();
        let countries: Vec<&Place> = g
            .places
            .iter()
            .filter(|p| p.kind == Kind::Country)
            .collect();
        assert_eq!(countries.len(), 252);
        for c in countries {
            let parts: Vec<&str> = c.facet.split('/').collect();
            assert_eq!(parts.len(), 4, "{} has facet {}", c.name, c.facet);
            assert!(parts.iter().skip(1).all(|p| !p.is_empty()), "{}", c.facet);
        }
    }

    #[test]
    fn shipped_gazetteer_holds_the_large_cities() {
        let g = gazetteer();
        let cities = g.places.iter().filter(|p| p.kind == Kind::City).count();
        assert!((6000..7000).contains(&cities), "{cities} cities");
        assert!(
            g.places
                .iter()
                .any(|p| p.facet == "/Africa/Western Africa/Ghana/Accra")
        );
    }

    #[test]
    fn continents_come_from_geonames_and_regions_from_m49() {
        let g = gazetteer();
        let facet = |name: &str| g.place(g.lookup(name).unwrap()).facet.clone();
        assert_eq!(facet("Mexico"), "/North America/Central America/Mexico");
        assert_eq!(facet("Russia"), "/Europe/Eastern Europe/Russia");
        assert_eq!(facet("Turkey"), "/Asia/Western Asia/Turkey");
        assert_eq!(facet("Egypt"), "/Africa/Northern Africa/Egypt");
        assert_eq!(facet("Mali"), "/Africa/Western Africa/Mali");
        assert_eq!(facet("West Africa"), "/Africa/Western Africa");
        assert_eq!(facet("Ankara"), "/Asia/Western Asia/Turkey/Ankara");
    }

    #[test]
    fn country_aliases_and_historical_names_resolve() {
        let g = gazetteer();
        let name = |alias: &str| g.place(g.lookup(alias).unwrap()).name.clone();
        assert_eq!(name("U.S."), "United States");
        assert_eq!(name("Britain"), "United Kingdom");
        assert_eq!(name("Burma"), "Myanmar");
        assert_eq!(name("Zaire"), "Democratic Republic of the Congo");
        assert_eq!(name("west germany"), "Germany");
        assert_eq!(name("ussr"), "Russia");
        assert_eq!(name("Côte d'Ivoire"), "Ivory Coast");
        assert_eq!(name("Holland"), "The Netherlands");
    }

    #[test]
    fn reuters_place_codes_resolve() {
        // The 175 PLACES codes of Reuters-21578, `-` turned into spaces.
        let codes = "afghanistan albania algeria american-samoa andorra angola anguilla antigua \
            argentina aruba australia austria bahamas bahrain bangladesh barbados belgium belize \
            benin bermuda bhutan bolivia botswana brazil british-virgin-islands brunei bulgaria \
            burkina-faso burma burundi cameroon canada cape-verde cayman-islands \
            central-african-republic chad chile china colombia congo costa-rica cuba cyprus \
            czechoslovakia denmark djibouti dominica dominican-republic east-germany ecuador egypt \
            el-salvador equatorial-guinea ethiopia fiji finland france french-guiana gabon gambia \
            ghana gibraltar greece grenada guadeloupe guam guatemala guinea guinea-bissau guyana \
            haiti honduras hong-kong hungary iceland india indonesia iran iraq ireland israel italy \
            ivory-coast jamaica japan jordan kampuchea kenya kuwait laos lebanon lesotho liberia \
            libya liechtenstein luxembourg macao madagascar malawi malaysia mali malta martinique \
            mauritania mauritius mexico monaco morocco mozambique namibia nepal netherlands \
            netherlands-antilles new-caledonia new-zealand nicaragua niger nigeria north-korea \
            norway oman pakistan panama papua-new-guinea paraguay peru philippines poland portugal \
            qatar romania rwanda saudi-arabia senegal seychelles sierra-leone singapore somalia \
            south-africa south-korea spain sri-lanka sudan suriname swaziland sweden switzerland \
            syria taiwan tanzania thailand togo tonga trinidad-tobago tunisia turkey uae uganda uk \
            uruguay us-virgin-islands usa ussr vanuatu vatican venezuela vietnam west-germany \
            western-samoa yemen-arab-republic yemen-demo-republic yugoslavia zaire zambia zimbabwe";
        let codes: Vec<String> = codes
            .split_whitespace()
            .map(|c| c.replace('-', " "))
            .collect();
        assert_eq!(codes.len(), 175);
        let missing: Vec<&String> = codes.iter().filter(|c| g_lookup(c).is_none()).collect();
        assert!(missing.len() * 20 <= codes.len(), "unresolved: {missing:?}");
        assert!(missing.is_empty(), "unresolved: {missing:?}");
    }

    fn g_lookup(name: &str) -> Option<u32> {
        gazetteer().lookup(name)
    }

    #[test]
    fn lookup_prefers_the_capital_or_largest_city() {
        let g = gazetteer();
        let facet = |name: &str| g.place(g.lookup(name).unwrap()).facet.clone();
        assert_eq!(
            facet("SALVADOR"),
            "/South America/South America/Brazil/Salvador"
        );
        assert!(facet("LONDON").ends_with("/United Kingdom/London"));
    }
}
