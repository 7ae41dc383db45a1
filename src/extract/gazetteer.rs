//! The place table: continents, news regions, countries and cities, with
//! every name they go by, loaded from the data files shipped in
//! `src/extract/data/` (see `generate.py` there for how they are made).

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use super::dictionary::Dictionary;

/// Generated from GeoNames by `data/generate.py`.
pub(crate) const GAZETTEER: &str = include_str!("data/gazetteer.tsv");
/// Country aliases, historical names and demonyms, written by hand.
pub(crate) const COUNTRIES: &str = include_str!("data/countries.tsv");
/// Continents and news regions, written by hand.
pub(crate) const REGIONS: &str = include_str!("data/regions.tsv");
/// US states, Canadian provinces and Australian states with the
/// abbreviations datelines use, written by hand.
const SUBDIVISIONS: &str = include_str!("data/subdivisions.tsv");

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
    pub name: &'static str,
    /// `/Continent/Region` or `/Continent/Region/Country`; empty for a
    /// city, whose facet [`Gazetteer::facet`] builds from its country's
    /// (so loading allocates nothing per city).
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
    pub form: Cow<'static, str>,
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
    /// One alias per automaton pattern; a spelling several places share
    /// is several patterns that match together.
    pub patterns: Vec<Alias>,
    /// Finds every pattern in ASCII-lower-cased text, from word starts.
    pub automaton: Dictionary,
    /// Lower-cased metadata-only names (Reuters codes) to their place.
    metadata_names: HashMap<String, u32>,
    /// Country ids by ISO code.
    by_iso: HashMap<&'static str, u32>,
    /// Lower-cased subdivision names and abbreviations ("conn.") to their
    /// country.
    subdivisions: HashMap<String, u32>,
    /// Smaller cities, for datelines and metadata only; loaded on first use
    /// because most lookups never need them and start-up time matters.
    minor: std::sync::OnceLock<Minor>,
}

/// Cities too small to be matched in text, which a dateline or metadata
/// may still name ("COMMACK, N.Y.").
#[derive(Debug)]
struct Minor {
    /// The places; the id of `places[i]` is the number of main places + i.
    places: Vec<Place>,
    /// Lower-cased name to place id (names are unique).
    keys: HashMap<&'static str, u32>,
}

/// Collects aliases before the automaton is built.
///
/// Start-up time matters (every process builds this), and this code runs
/// unoptimised in debug builds, so loading avoids a hash map and an
/// allocation per name: spellings borrow the shipped text, and automaton
/// keys borrow an ASCII-lower-cased copy of it at the same byte offsets.
struct Builder {
    places: Vec<Place>,
    patterns: Vec<Alias>,
    keys: Vec<Cow<'static, str>>,
    metadata_names: HashMap<String, u32>,
}

impl Builder {
    fn add_alias(
        &mut self,
        form: Cow<'static, str>,
        target: Target,
        primary: bool,
        flags: AliasFlags,
    ) {
        let (form, shout_ok) = match form {
            Cow::Borrowed(f) => match f.strip_suffix('*') {
                Some(f) => (Cow::Borrowed(f), false),
                None => (Cow::Borrowed(f), true),
            },
            Cow::Owned(f) => (Cow::Owned(f), true),
        };
        if form.len() < 2 {
            return;
        }
        let key = match form {
            Cow::Borrowed(f) => lowered(f),
            Cow::Owned(ref f) => Cow::Owned(f.to_ascii_lowercase()),
        };
        self.keys.push(key);
        self.patterns.push(Alias {
            form,
            target,
            primary,
            shout_ok,
            needs_the: flags.needs_the,
            adjacency: flags.adjacency,
        });
    }
}

/// The data files, ASCII-lower-cased once, so an automaton key is a slice
/// of these at the same offsets as its spelling in the original.
static LOWERED: std::sync::OnceLock<[String; 3]> = std::sync::OnceLock::new();

/// Returns the lower-cased key of a spelling borrowed from a data file.
fn lowered(form: &'static str) -> Cow<'static, str> {
    let lowered =
        LOWERED.get_or_init(|| [GAZETTEER, COUNTRIES, REGIONS].map(str::to_ascii_lowercase));
    let address = form.as_ptr() as usize;
    for (source, lower) in [GAZETTEER, COUNTRIES, REGIONS].iter().zip(lowered) {
        let start = source.as_ptr() as usize;
        if (start..start + source.len()).contains(&address) {
            let offset = address - start;
            return Cow::Borrowed(&lower[offset..offset + form.len()]);
        }
    }
    Cow::Owned(form.to_ascii_lowercase())
}

/// Orders candidates for a name looked up without context: countries, then
/// regions, then own names before alternate names, capitals, population.
fn rank(place: &Place, primary: bool) -> (u8, bool, bool, u64) {
    let kind = match place.kind {
        Kind::Country => 3,
        Kind::Region => 2,
        Kind::City => 1,
    };
    (kind, primary, place.capital, place.population)
}

#[derive(Clone, Copy, Default)]
struct AliasFlags {
    needs_the: bool,
    adjacency: bool,
}

impl Gazetteer {
    /// Loads the shipped data files and builds the matcher.
    pub fn load() -> Gazetteer {
        let mut b = Builder {
            places: Vec::with_capacity(7000),
            patterns: Vec::with_capacity(30_000),
            keys: Vec::with_capacity(30_000),
            metadata_names: HashMap::default(),
        };
        let mut by_iso: HashMap<&str, u32> = HashMap::default();

        // Countries first, so a city can point at its country.
        for fields in records_of("C") {
            let [_, iso, name, facet, population, _capital] = take::<6>(&fields);
            let id = b.places.len() as u32;
            by_iso.insert(iso, id);
            b.places.push(Place {
                name,
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
            let flags = AliasFlags {
                adjacency: place.ambiguous,
                ..AliasFlags::default()
            };
            b.add_alias(Cow::Borrowed(place.name), Target::Place(id), true, flags);
        }
        for fields in records(COUNTRIES) {
            let [iso, aliases, demonyms, metadata, _] = take::<5>(&fields);
            let Some(&id) = by_iso.get(iso) else { continue };
            let flags = AliasFlags {
                adjacency: b.places[id as usize].ambiguous,
                ..AliasFlags::default()
            };
            for alias in names(aliases) {
                b.add_alias(Cow::Borrowed(alias), Target::Place(id), true, flags);
            }
            for demonym in names(demonyms) {
                add_demonym(&mut b, demonym, id);
            }
            for name in names(metadata) {
                b.metadata_names.insert(name.to_lowercase(), id);
            }
        }

        // News regions and continents; a facet may span several rows.
        let mut region_ids: HashMap<&str, u32> = HashMap::default();
        for fields in records(REGIONS) {
            let [facet, aliases, derived, flags] = take::<4>(&fields);
            let flags = AliasFlags {
                needs_the: flags.split(' ').any(|f| f == "the"),
                adjacency: flags.split(' ').any(|f| f == "adj"),
            };
            if facet == "-" {
                for alias in names(aliases).chain(names(derived)) {
                    b.add_alias(Cow::Borrowed(alias), Target::Blocker, true, flags);
                }
                continue;
            }
            let id = *region_ids.entry(facet).or_insert_with(|| {
                let id = b.places.len() as u32;
                b.places.push(Place {
                    name: facet.rsplit('/').next().unwrap_or(facet),
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
                b.add_alias(Cow::Borrowed(alias), Target::Place(id), true, flags);
            }
            for demonym in names(derived) {
                add_demonym(&mut b, demonym, id);
            }
        }

        let city_flags = AliasFlags {
            adjacency: true,
            ..AliasFlags::default()
        };
        for fields in records_of("T") {
            let [_, _id, iso, name, population, flags, alternates] = take::<7>(&fields);
            let Some(&country) = by_iso.get(iso) else {
                continue;
            };
            let id = b.places.len() as u32;
            b.places.push(Place {
                name,
                facet: String::new(),
                kind: Kind::City,
                country: Some(country),
                population: population.parse().unwrap_or(0),
                capital: flags.contains('c'),
                ambiguous: flags.contains('a'),
            });
            b.add_alias(Cow::Borrowed(name), Target::Place(id), true, city_flags);
            for (i, alt) in names(alternates).enumerate() {
                // The first extra name is the ASCII folding of the own name
                // when there is one; treat it as the own name.
                let primary = i == 0 && alt.is_ascii() && !name.is_ascii();
                b.add_alias(Cow::Borrowed(alt), Target::Place(id), primary, city_flags);
            }
        }
        for fields in records_of("S") {
            b.add_alias(
                Cow::Borrowed(fields[1]),
                Target::State,
                true,
                AliasFlags::default(),
            );
        }

        let mut subdivisions = HashMap::default();
        for fields in records(SUBDIVISIONS) {
            if let Some(&country) = by_iso.get(fields[0]) {
                for name in names(fields[1]) {
                    subdivisions.insert(name.to_lowercase(), country);
                }
            }
        }

        let keys: Vec<&str> = b.keys.iter().map(|k| k.as_ref()).collect();
        let automaton = build_automaton(&keys, |i| starts_upper(&b.patterns[i].form));
        Gazetteer {
            places: b.places,
            patterns: b.patterns,
            automaton,
            metadata_names: b.metadata_names,
            by_iso,
            subdivisions,
            minor: std::sync::OnceLock::new(),
        }
    }

    /// Returns the smaller cities, loading them on first use.
    fn minor(&self) -> &Minor {
        self.minor.get_or_init(|| {
            let first_id = self.places.len() as u32;
            let mut minor = Minor {
                places: Vec::with_capacity(32_000),
                keys: HashMap::with_capacity_and_hasher(32_000, Default::default()),
            };
            for fields in records_of("D") {
                let [_, key, name, iso, population, ..] = fields;
                let Some(&country) = self.by_iso.get(iso) else {
                    continue;
                };
                let known = minor.keys.insert(key, first_id + minor.places.len() as u32);
                debug_assert!(known.is_none(), "D lines name each key once");
                minor.places.push(Place {
                    name,
                    facet: String::new(),
                    kind: Kind::City,
                    country: Some(country),
                    population: population.parse().unwrap_or(0),
                    capital: false,
                    ambiguous: false,
                });
            }
            minor
        })
    }

    /// Returns the facet of a place: `/Continent/Region[/Country[/City]]`.
    pub fn facet(&self, id: u32) -> String {
        let place = self.place(id);
        match (place.kind, place.country) {
            (Kind::City, Some(country)) => {
                format!("{}/{}", self.place(country).facet, place.name)
            }
            _ => place.facet.clone(),
        }
    }

    /// Returns the place a name stands for without context (metadata, a
    /// dateline): a country, else a region, else the capital or largest
    /// city; any spelling, case-insensitively.
    pub fn lookup(&self, name: &str) -> Option<u32> {
        let name = name.trim();
        // One lower-casing serves the metadata names, the automaton keys
        // (ASCII-lower-cased, the same for an ASCII name) and the minor
        // cities: organization candidates ask about many names.
        let key = name.to_lowercase();
        if let Some(&id) = self.metadata_names.get(&key) {
            return Some(id);
        }
        let lower = if name.is_ascii() {
            Cow::Borrowed(key.as_str())
        } else {
            Cow::Owned(name.to_ascii_lowercase())
        };
        let known = self
            .automaton
            .exact(lower.as_bytes())
            .iter()
            .filter_map(|&pattern| {
                let alias = &self.patterns[pattern as usize];
                match alias.target {
                    Target::Place(p) => Some((p, alias.primary)),
                    _ => None,
                }
            })
            .max_by_key(|&(p, primary)| rank(self.place(p), primary))
            .map(|(p, _)| p);
        known.or_else(|| self.minor().keys.get(key.as_str()).copied())
    }

    /// Returns the country of a state or province name or abbreviation
    /// ("Conn.", "Alberta"), any case.
    pub fn subdivision_country(&self, name: &str) -> Option<u32> {
        self.subdivisions.get(&name.trim().to_lowercase()).copied()
    }

    /// Returns the city of `country` that `name` stands for (any
    /// spelling, any case; its own name first, then capitals, then
    /// population), or `None` when the country has no city of that name.
    pub fn lookup_in_country(&self, name: &str, country: u32) -> Option<u32> {
        let name = name.trim();
        let lower = name.to_ascii_lowercase();
        let known = self
            .automaton
            .exact(lower.as_bytes())
            .iter()
            .filter_map(|&pattern| {
                let alias = &self.patterns[pattern as usize];
                match alias.target {
                    Target::Place(p)
                        if self.place(p).kind == Kind::City
                            && self.place(p).country == Some(country) =>
                    {
                        Some((p, alias.primary))
                    }
                    _ => None,
                }
            })
            .max_by_key(|&(p, primary)| rank(self.place(p), primary))
            .map(|(p, _)| p);
        known.or_else(|| {
            let id = *self.minor().keys.get(name.to_lowercase().as_str())?;
            (self.place(id).country == Some(country)).then_some(id)
        })
    }

    /// Returns the place with this id.
    pub fn place(&self, id: u32) -> &Place {
        match self.places.get(id as usize) {
            Some(place) => place,
            None => &self.minor().places[id as usize - self.places.len()],
        }
    }
}

/// Adds a demonym and, for those ending in -an or -i, its plural.
fn add_demonym(b: &mut Builder, demonym: &'static str, place: u32) {
    b.add_alias(
        Cow::Borrowed(demonym),
        Target::Demonym(place),
        true,
        AliasFlags::default(),
    );
    if demonym.ends_with("an") || demonym.ends_with('i') {
        let plural = format!("{demonym}s");
        b.add_alias(
            Cow::Owned(plural),
            Target::Demonym(place),
            true,
            AliasFlags::default(),
        );
    }
}

/// Builds the matcher over ASCII-lower-case keys; it is run over
/// ASCII-lower-cased text. Lower-casing the text once is cheaper than
/// folding case at every step of every walk. `capitalised(i)` says that
/// every spelling of pattern `i` starts with a capital letter, which the
/// text must then have too (see [`super::text::case_compatible`]).
pub(crate) fn build_automaton<K: AsRef<[u8]>>(
    keys: &[K],
    capitalised: impl Fn(usize) -> bool,
) -> Dictionary {
    Dictionary::new(keys, capitalised)
}

/// True if the spelling starts with an upper-case letter.
pub(crate) fn starts_upper(form: &str) -> bool {
    form.chars().next().is_some_and(char::is_uppercase)
}

/// Yields the tab-separated fields of each data line (comments skipped).
pub(crate) fn records(data: &str) -> impl Iterator<Item = [&str; 8]> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(split_fields)
}

/// Yields the fields of the gazetteer lines of one record kind (`C`,
/// `T`...), splitting only those lines.
pub(crate) fn records_of(kind: &str) -> impl Iterator<Item = [&'static str; 8]> {
    gazetteer_lines(kind).iter().map(|l| split_fields(l))
}

/// The lines of `GAZETTEER` of one record kind (the text before the first
/// tab). The file is split into lines once per process: loading reads
/// every kind, some twice (places, then the tagger's lexicon), and the
/// small cities later.
fn gazetteer_lines(kind: &str) -> &'static [&'static str] {
    type Index = Vec<(&'static str, Vec<&'static str>)>;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: Index = Vec::new();
        for line in GAZETTEER.lines() {
            let Some(tab) = line.find('\t') else {
                continue;
            };
            let kind = &line[..tab];
            if kind.is_empty() || kind.starts_with('#') {
                continue;
            }
            match index.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, lines)) => lines.push(line),
                None => index.push((kind, vec![line])),
            }
        }
        index
    });
    index
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, lines)| lines.as_slice())
}

/// Splits a line on tabs into at most 8 fields, empty past the end,
/// without allocating. A byte loop: the fields are short, and start-up
/// time splits some 70,000 lines.
fn split_fields(line: &str) -> [&str; 8] {
    let mut fields = [""; 8];
    let mut rest = Some(line);
    for field in &mut fields {
        let Some(r) = rest else { break };
        match r.bytes().position(|b| b == b'\t') {
            Some(tab) => {
                *field = &r[..tab];
                rest = Some(&r[tab + 1..]);
            }
            None => {
                *field = r;
                rest = None;
            }
        }
    }
    fields
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
            assert!(c.facet.ends_with(&format!("/{}", c.name)));
        }
    }

    #[test]
    fn shipped_gazetteer_holds_the_large_cities() {
        let g = gazetteer();
        let cities = g.places.iter().filter(|p| p.kind == Kind::City).count();
        assert!((6000..7000).contains(&cities), "{cities} cities");
        let smaller = g.minor().places.len();
        assert!(smaller > 25_000, "{smaller} smaller cities");
        assert!(
            (0..g.places.len())
                .any(|id| g.facet(id as u32) == "/Africa/Western Africa/Ghana/Accra")
        );
    }

    #[test]
    fn continents_come_from_geonames_and_regions_from_m49() {
        let g = gazetteer();
        let facet = |name: &str| g.facet(g.lookup(name).unwrap());
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
        let name = |alias: &str| g.place(g.lookup(alias).unwrap()).name;
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
        let facet = |name: &str| g.facet(g.lookup(name).unwrap());
        assert_eq!(
            facet("SALVADOR"),
            "/South America/South America/Brazil/Salvador"
        );
        assert!(facet("LONDON").ends_with("/United Kingdom/London"));
        assert_eq!(
            facet("NEW YORK"),
            "/North America/Northern America/United States/New York City"
        );
        // A town too small to be matched in text still resolves a dateline.
        assert_eq!(
            facet("COMMACK"),
            "/North America/Northern America/United States/Commack"
        );
    }
}
