//! Word lists the tagger sees as features: the shipped gazetteer and
//! organization table, with a few word classes of its own.
//!
//! A name is stored as the hash of its lower-cased tokens joined by single
//! spaces (the tokens of [`super::tokens::tokenize`]), with a bit per class
//! it belongs to, so looking up a run of tokens allocates nothing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{feed, feed_lower, seed};
use super::tokens::{Token, tokenize};
use crate::extract::gazetteer::{COUNTRIES, REGIONS, names, records, records_of};

/// The organization table, read here for its names only.
const ORGANIZATIONS: &str = include_str!("../data/organizations.tsv");

/// Lexicon classes, one bit each.
pub(crate) const COUNTRY: u8 = 0;
pub(crate) const CITY: u8 = 1;
pub(crate) const REGION: u8 = 2;
pub(crate) const DEMONYM: u8 = 3;
pub(crate) const ORGANIZATION: u8 = 4;
pub(crate) const PERSON_TITLE: u8 = 5;
pub(crate) const ORGANIZATION_WORD: u8 = 6;
pub(crate) const SMALL_CITY: u8 = 7;

/// Words that head or end an organization's name.
const ORGANIZATION_WORDS: &[&str] = &[
    "agency",
    "airlines",
    "airways",
    "alliance",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "bancorp",
    "board",
    "bureau",
    "church",
    "club",
    "co",
    "co.",
    "commission",
    "committee",
    "company",
    "congress",
    "corp",
    "corp.",
    "corporation",
    "council",
    "court",
    "department",
    "exchange",
    "federation",
    "forces",
    "foundation",
    "front",
    "fund",
    "group",
    "holdings",
    "inc",
    "inc.",
    "industries",
    "institute",
    "league",
    "ltd",
    "ltd.",
    "ministry",
    "movement",
    "news",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "plc",
    "police",
    "press",
    "securities",
    "service",
    "society",
    "trust",
    "union",
    "united",
    "university",
];

/// Words that stand before a person's name.
const PERSON_TITLES: &[&str] = &[
    "ambassador",
    "archbishop",
    "bishop",
    "captain",
    "chairman",
    "chancellor",
    "chief",
    "coach",
    "col",
    "col.",
    "colonel",
    "commissioner",
    "dr",
    "dr.",
    "envoy",
    "gen",
    "gen.",
    "general",
    "gov",
    "gov.",
    "governor",
    "judge",
    "king",
    "leader",
    "lt",
    "mayor",
    "minister",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "pope",
    "president",
    "prince",
    "princess",
    "prof",
    "queen",
    "rep",
    "rep.",
    "secretary",
    "sen",
    "sen.",
    "senator",
    "sheikh",
    "spokesman",
    "spokeswoman",
    "striker",
    "premier",
];

/// Hashes a key that is already a hash: one multiply to spread its bits.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        (self.0 ^ (self.0 >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Set on a hash that begins a longer name, so a lookup knows to go on.
const PREFIX: u16 = 1 << 15;

/// The lexicon: name hashes with their class bits.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    names: HashMap<u64, u16, BuildHasherDefault<PreHashed>>,
    /// The single words of the person title and organization word classes,
    /// a table small enough to stay in cache: lower-case tokens are looked
    /// up only here.
    words: HashMap<u64, u16, BuildHasherDefault<PreHashed>>,
    longest: usize,
    /// One bit per name hash (a Bloom filter with one hash function): the
    /// table is megabytes, and most runs of tokens looked up name nothing,
    /// so a clear bit in this cache-sized map spares a cache miss.
    filter: Vec<u64>,
}

/// Bits of [`Lexicon::filter`], a power of two: 256 KiB, some twenty bits
/// per name.
const FILTER_BITS: usize = 1 << 21;

/// The filter bit of a name hash.
#[inline]
fn filter_bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

impl Lexicon {
    /// Builds the lexicon from the shipped data.
    pub fn load() -> Lexicon {
        let mut lexicon = Lexicon {
            names: HashMap::with_capacity_and_hasher(120_000, BuildHasherDefault::default()),
            words: HashMap::default(),
            longest: 1,
            filter: Vec::new(),
        };
        let mut tokens = Vec::new();
        for f in records_of("C") {
            lexicon.add(f[2], COUNTRY, &mut tokens);
        }
        for f in records_of("T") {
            lexicon.add(f[3], CITY, &mut tokens);
            for name in names(f[6]) {
                if name.is_ascii() {
                    lexicon.add(name, CITY, &mut tokens);
                }
            }
        }
        for f in records_of("S") {
            lexicon.add(f[1], REGION, &mut tokens);
        }
        for f in records_of("D") {
            lexicon.add(f[2], SMALL_CITY, &mut tokens);
        }
        for f in records(COUNTRIES) {
            for name in names(f[1]) {
                lexicon.add(name, COUNTRY, &mut tokens);
            }
            for name in names(f[2]) {
                lexicon.add(name, DEMONYM, &mut tokens);
            }
        }
        for f in records(REGIONS) {
            if let Some(last) = f[0].rsplit('/').next() {
                lexicon.add(last, REGION, &mut tokens);
            }
            for name in names(f[1]) {
                lexicon.add(name, REGION, &mut tokens);
            }
            for name in names(f[2]) {
                lexicon.add(name, DEMONYM, &mut tokens);
            }
        }
        for f in records(ORGANIZATIONS) {
            for name in std::iter::once(f[0]).chain(names(f[2])).chain(names(f[3])) {
                lexicon.add(name.trim_end_matches('^'), ORGANIZATION, &mut tokens);
            }
        }
        for (list, class) in [
            (ORGANIZATION_WORDS, ORGANIZATION_WORD),
            (PERSON_TITLES, PERSON_TITLE),
        ] {
            for word in list {
                lexicon.add(word, class, &mut tokens);
                let h = feed_lower(seed(), word);
                *lexicon.words.entry(h).or_insert(0) |= 1 << class;
            }
        }
        lexicon.filter = vec![0; FILTER_BITS / 64];
        for &hash in lexicon.names.keys() {
            let bit = filter_bit(hash);
            lexicon.filter[bit / 64] |= 1 << (bit % 64);
        }
        lexicon
    }

    fn add(&mut self, name: &str, class: u8, tokens: &mut Vec<Token>) {
        tokens.clear();
        if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
            // Most names: words of ASCII letters and digits, which the
            // tokenizer keeps whole, between spaces.
            let mut at = 0;
            for word in name.split(' ') {
                if !word.is_empty() {
                    tokens.push(Token {
                        start: at as u32,
                        end: (at + word.len()) as u32,
                    });
                }
                at += word.len() + 1;
            }
        } else {
            tokenize(name, tokens);
        }
        if tokens.is_empty() || tokens.len() > 5 {
            return;
        }
        let mut h = seed();
        for (n, t) in tokens.iter().enumerate() {
            if n > 0 {
                *self.names.entry(h).or_insert(0) |= PREFIX;
                h = feed(h, b' ');
            }
            h = feed_lower(h, &name[t.start as usize..t.end as usize]);
        }
        *self.names.entry(h).or_insert(0) |= 1 << class;
        self.longest = self.longest.max(tokens.len());
    }

    /// The class bits of the name with this hash (0 for none), and
    /// whether a longer name starts with it.
    #[inline]
    pub fn classes(&self, hash: u64) -> (u8, bool) {
        let bit = filter_bit(hash);
        if let Some(word) = self.filter.get(bit / 64)
            && word & (1 << (bit % 64)) == 0
        {
            return (0, false);
        }
        match self.names.get(&hash) {
            Some(&v) => (v as u8, v & PREFIX != 0),
            None => (0, false),
        }
    }

    /// The class bits of a lower-case word (person titles and organization
    /// words only).
    #[inline]
    pub fn word_classes(&self, hash: u64) -> u8 {
        self.words.get(&hash).map_or(0, |&v| v as u8)
    }

    /// The most tokens a name has.
    pub fn longest(&self) -> usize {
        self.longest
    }
}
