//! A statistical sequence tagger for names: an averaged perceptron over
//! hashed features, decoded with Viterbi over BIO tags for locations,
//! organizations, persons and other names (the CoNLL-2003 types).
//!
//! The weights (`data/tagger.bin`) were trained on CoNLL-2003 English
//! `eng.train` and tuned on `eng.testa` by [`train`]; `dateline eval
//! train-tagger` reproduces them (see EXTRACTION.md). The file holds the
//! transition scores as `f32` and the emission weights quantised to `i8`
//! with one scale, read in place from the binary.
//!
//! Features (see `features.rs`) are hashes of templates over the token and
//! its neighbours: lower-cased words, shapes, prefixes and suffixes,
//! capitalisation, sentence start, a line written in capitals, and
//! membership in the shipped gazetteer, organization table, person titles
//! and organization words (`lexicon.rs`).
//!
//! Tagging a text runs the model only where a name can be: on runs of
//! capitalised tokens (with short lower-case joining words such as "of"
//! between them), each decoded as a sequence that starts after an outside
//! tag, with the real neighbours as features. Every CoNLL-2003 name has a
//! capital, so this loses almost nothing and skips most of the text.

mod features;
mod lexicon;
mod tokens;
mod train;

mod combine;

pub use combine::Mode;
pub(crate) use combine::UNPLACED;
pub use train::{DevScores, TrainOptions, TrainReport, train};

use std::borrow::Cow;

use features::{
    SequenceCache, TokenInfo, each_feature, is_shouted, token_infos, token_infos_cached,
};
use lexicon::Lexicon;
use tokens::{Token, tokenize};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::extract::gazetteer::Gazetteer;
use crate::extract::organizations::OrgTable;
use crate::extract::text::is_function_word;
use crate::extract::{Location, Organization, Part};
use combine::{OrgNames, TaggedText};

/// Number of tags: O, then B and I for each of LOC, ORG, PER, MISC.
pub(crate) const LABELS: usize = 9;

/// A name type the tagger knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    Location,
    Organization,
    Person,
    Misc,
}

impl NameKind {
    const ALL: [NameKind; 4] = [
        NameKind::Location,
        NameKind::Organization,
        NameKind::Person,
        NameKind::Misc,
    ];

    /// The B tag of the kind; its I tag is the next one.
    fn begin(self) -> u8 {
        1 + 2 * (self as u8)
    }

    fn of_label(label: u8) -> Option<NameKind> {
        (label > 0).then(|| NameKind::ALL[usize::from((label - 1) / 2)])
    }
}

fn is_inside(label: u8) -> bool {
    label > 0 && label.is_multiple_of(2)
}

/// A name the tagger found: a byte range of the text it was given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TaggedName {
    pub kind: NameKind,
    pub start: usize,
    pub end: usize,
    /// How sure the tagger is of the name's type: over its tokens, the
    /// smallest lead of the token's own tag over every tag of another kind
    /// or outside, in emission score.
    pub margin: f32,
}

/// The lead of tag `label` over outside and the B tags of the other kinds
/// (an I tag of another kind cannot take its place).
fn tag_margin(emission: &[f32; LABELS], label: u8) -> f32 {
    let own = NameKind::of_label(label);
    let rival = (0..LABELS as u8)
        .filter(|&l| l == 0 || (!is_inside(l) && NameKind::of_label(l) != own))
        .map(|l| emission[usize::from(l)])
        .fold(f32::NEG_INFINITY, f32::max);
    emission[usize::from(label)] - rival
}

const MAGIC: &[u8; 8] = b"DLTAG1\0\0";

/// The shipped weights.
static SHIPPED: &[u8] = include_bytes!("../data/tagger.bin");

/// Emission weights: quantised and borrowed (shipped) or floating (training).
#[derive(Debug)]
enum Emissions {
    Quantised {
        bytes: Cow<'static, [u8]>,
        at: usize,
        scale: f32,
    },
    Float(Vec<f32>),
}

/// Model weights.
#[derive(Debug)]
pub(crate) struct Model {
    bits: u32,
    /// Row `LABELS` is the start of a sequence.
    transitions: [[f32; LABELS]; LABELS + 1],
    emissions: Emissions,
}

impl Model {
    /// Reads a model file; the emission weights stay in `bytes`, read in place.
    fn parse(bytes: Cow<'static, [u8]>) -> Result<Model> {
        let bad = |what: &str| Error::Eval(format!("tagger weights: {what}"));
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad("not a dateline tagger file"));
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let bits = u32_at(8);
        let labels = u32_at(12) as usize;
        let scale = f32::from_bits(u32_at(16));
        if labels != LABELS || !(10..=24).contains(&bits) {
            return Err(bad("unexpected shape"));
        }
        let mut at = 20;
        let mut transitions = [[0f32; LABELS]; LABELS + 1];
        for row in &mut transitions {
            for cell in row.iter_mut() {
                if at + 4 > bytes.len() {
                    return Err(bad("truncated"));
                }
                *cell = f32::from_bits(u32_at(at));
                at += 4;
            }
        }
        if bytes.len() - at != (1usize << bits) * LABELS {
            return Err(bad("wrong weight count"));
        }
        Ok(Model {
            bits,
            transitions,
            emissions: Emissions::Quantised { bytes, at, scale },
        })
    }

    /// Writes the model with its emission weights quantised to `i8`.
    fn to_bytes(&self) -> Vec<u8> {
        let Emissions::Float(weights) = &self.emissions else {
            unreachable!("only a trained model is written")
        };
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let mut out = Vec::with_capacity(20 + weights.len() + 4 * LABELS * (LABELS + 1));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(LABELS as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_bits().to_le_bytes());
        for row in &self.transitions {
            for cell in row {
                out.extend_from_slice(&cell.to_bits().to_le_bytes());
            }
        }
        out.extend(
            weights
                .iter()
                .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8 as u8),
        );
        out
    }

    #[inline]
    fn bucket(&self, hash: u64) -> usize {
        (hash >> (64 - self.bits)) as usize
    }

    /// Decodes tokens `from..to` whose infos start at token `offset` of
    /// `scratch.infos`, after tag `start`; leaves the tags in `scratch.labels`.
    fn decode(
        &self,
        offset: usize,
        from: usize,
        to: usize,
        (start, then): (usize, Option<usize>),
        scratch: &mut Scratch,
    ) {
        scratch.emissions.clear();
        for i in from..to {
            let emission = self.emission(&scratch.infos, i - offset);
            scratch.emissions.push(emission);
        }
        viterbi(
            &scratch.emissions,
            &self.transitions,
            start,
            then,
            &mut scratch.back,
            &mut scratch.labels,
        );
    }

    /// The emission scores of token `i` of `infos`: the sums of its
    /// features' weights, added as the features are hashed.
    fn emission(&self, infos: &[TokenInfo], i: usize) -> [f32; LABELS] {
        let mut out = [0f32; LABELS];
        match &self.emissions {
            Emissions::Quantised { bytes, at, scale } => {
                let weights = &bytes[*at..];
                // Sums of `i8` weights in `i16` lanes, which the compiler
                // adds as one vector per feature: a token has fewer than
                // 90 features (22 plus two per lexicon class of its own and
                // one per class of each neighbour), so |sum| <= 90 * 127
                // fits, and the sums are the exact integers `i32` gave.
                let mut acc = [0i16; LABELS];
                each_feature(infos, i, |h| {
                    let row: &[u8; LABELS] = weights[self.bucket(h) * LABELS..][..LABELS]
                        .try_into()
                        .expect("a row of LABELS weights");
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += i16::from(w as i8);
                    }
                });
                for (o, a) in out.iter_mut().zip(acc) {
                    *o = f32::from(a) * scale;
                }
            }
            Emissions::Float(weights) => {
                each_feature(infos, i, |h| {
                    let row = &weights[self.bucket(h) * LABELS..][..LABELS];
                    for (o, &w) in out.iter_mut().zip(row) {
                        *o += w;
                    }
                });
            }
        }
        out
    }
}

/// Tags one sentence given as a text and its tokens, every token decoded;
/// returns one tag per token.
fn tag_sequence(
    lexicon: &Lexicon,
    model: &Model,
    text: &str,
    tokens: &[Token],
    scratch: &mut Scratch,
) -> Vec<u8> {
    let shouted = is_shouted(
        tokens
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize]),
    );
    scratch.infos.clear();
    token_infos(
        text,
        tokens,
        (0, tokens.len()),
        0..tokens.len(),
        shouted,
        lexicon,
        &mut scratch.infos,
    );
    model.decode(0, 0, tokens.len(), (LABELS, None), scratch);
    scratch.labels.clone()
}

/// Says whether tag `to` may follow tag `from` (`LABELS` = sequence start):
/// an I tag only continues a name of its kind.
const fn allowed(from: usize, to: usize) -> bool {
    if !(to > 0 && to.is_multiple_of(2)) {
        return true;
    }
    from < LABELS && from > 0 && from.div_ceil(2) == to.div_ceil(2)
}

/// [`allowed`] for every pair, looked up in Viterbi's inner loop.
const ALLOWED: [[bool; LABELS]; LABELS + 1] = {
    let mut table = [[false; LABELS]; LABELS + 1];
    let mut from = 0;
    while from <= LABELS {
        let mut to = 0;
        while to < LABELS {
            table[from][to] = allowed(from, to);
            to += 1;
        }
        from += 1;
    }
    table
};

/// Best tag sequence for the emission scores, starting after tag `start`
/// (`LABELS` for the start of a sentence) and, when `then` is a tag,
/// followed by it (a run decoded inside a sentence is followed by an
/// outside tag, and that transition counts too).
fn viterbi(
    emissions: &[[f32; LABELS]],
    transitions: &[[f32; LABELS]; LABELS + 1],
    start: usize,
    then: Option<usize>,
    back: &mut Vec<[u8; LABELS]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    back.clear();
    let Some(first) = emissions.first() else {
        return;
    };
    let mut score = [f32::NEG_INFINITY; LABELS];
    for (to, s) in score.iter_mut().enumerate() {
        if ALLOWED[start][to] {
            *s = first[to] + transitions[start][to];
        }
    }
    back.push([0; LABELS]);
    for e in &emissions[1..] {
        let mut next = [f32::NEG_INFINITY; LABELS];
        let mut from_best = [0u8; LABELS];
        for to in 0..LABELS {
            for from in 0..LABELS {
                if !ALLOWED[from][to] {
                    continue;
                }
                let s = score[from] + transitions[from][to];
                if s > next[to] {
                    next[to] = s;
                    from_best[to] = from as u8;
                }
            }
            next[to] += e[to];
        }
        score = next;
        back.push(from_best);
    }
    if let Some(next) = then {
        for (from, s) in score.iter_mut().enumerate() {
            *s += if ALLOWED[from][next] {
                transitions[from][next]
            } else {
                f32::NEG_INFINITY
            };
        }
    }
    let mut best = (0..LABELS)
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))
        .unwrap_or(0) as u8;
    out.resize(emissions.len(), 0);
    for i in (0..emissions.len()).rev() {
        out[i] = best;
        best = back[i][usize::from(best)];
    }
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub(crate) struct Scratch {
    tokens: Vec<Token>,
    infos: Vec<TokenInfo>,
    /// The token infos of the line being tagged.
    cache: SequenceCache,
    emissions: Vec<[f32; LABELS]>,
    back: Vec<[u8; LABELS]>,
    labels: Vec<u8>,
}

/// The tagger: the lexicon, the model and what combining needs.
#[derive(Debug)]
pub(crate) struct Tagger {
    lexicon: Lexicon,
    model: Model,
    org_names: OrgNames,
    mode: Mode,
    /// Decode every token rather than capitalised runs only.
    every_token: bool,
}

/// Lower-case words and signs that may join capitalised words inside a
/// name ("Bank of England", "Trinidad and Tobago", "Mladost ( BJ )",
/// "Bond Traders ' Association").
fn is_joiner(word: &str) -> bool {
    matches!(
        word,
        "of" | "and"
            | "for"
            | "the"
            | "in"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "del"
            | "van"
            | "von"
            | "der"
            | "den"
            | "al"
            | "el"
            | "y"
            | "on"
            | "&"
            | "'s"
            | "'"
            | "-"
            | "("
            | ")"
            | "da"
            | "do"
            | "di"
    )
}

/// Signs that may end a name after its last capitalised word ("Lord 's",
/// "Mladost ( BJ )").
fn is_closer(word: &str) -> bool {
    matches!(word, "'s" | "'" | ")")
}

/// A word that may be part of a name: capitalised, or capitalised after a
/// hyphen ("al-Aqsa").
fn starts_upper(word: &str) -> bool {
    // Most words start with an ASCII byte, whose case needs no decoding;
    // this runs for every token of a line.
    match word.as_bytes().first() {
        None => return false,
        Some(b) if b.is_ascii_uppercase() => return true,
        Some(b) if b.is_ascii() && !b.is_ascii_lowercase() => return false,
        _ => {}
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        Some(c) if c.is_lowercase() => word
            .as_bytes()
            .iter()
            .position(|&b| b == b'-')
            .and_then(|at| word[at + 1..].chars().next())
            .is_some_and(char::is_uppercase),
        _ => false,
    }
}

impl Tagger {
    /// Loads the shipped tagger, to combine with the rules as `mode` says.
    pub fn load(mode: Mode, every_token: bool) -> Tagger {
        Tagger {
            lexicon: Lexicon::load(),
            model: Model::parse(Cow::Borrowed(SHIPPED))
                .expect("the shipped tagger weights are valid"),
            org_names: OrgNames::load(),
            mode,
            every_token,
        }
    }

    /// Tags the article's headline and body and merges the names into the
    /// rules' entities (see `combine.rs`).
    pub fn apply(
        &self,
        gazetteer: &Gazetteer,
        table: &OrgTable,
        article: &Article,
        locations: &mut Vec<Location>,
        organizations: &mut Vec<Organization>,
    ) {
        // Buffers live per thread, so tagging allocates little per article.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            self.apply_with(
                gazetteer,
                table,
                article,
                locations,
                organizations,
                &mut scratch,
            )
        });
    }

    fn apply_with(
        &self,
        gazetteer: &Gazetteer,
        table: &OrgTable,
        article: &Article,
        locations: &mut Vec<Location>,
        organizations: &mut Vec<Organization>,
        scratch: &mut Scratch,
    ) {
        let mut texts = Vec::with_capacity(2);
        let mut shouted = Vec::new();
        if let Some(title) = article.title.as_deref() {
            if !title.chars().any(char::is_lowercase) {
                shouted.push(Part::Title);
            }
            texts.push(TaggedText {
                part: Part::Title,
                text: title,
                ascii: title.is_ascii(),
                names: self.names(title, self.every_token, scratch),
            });
        }
        texts.push(TaggedText {
            part: Part::Body,
            text: &article.body,
            ascii: article.body.is_ascii(),
            names: self.names(&article.body, self.every_token, scratch),
        });
        let tables = combine::Tables {
            gazetteer,
            table,
            org_names: &self.org_names,
        };
        combine::combine(
            &tables,
            &texts,
            &shouted,
            self.mode,
            locations,
            organizations,
        );
    }

    /// Finds the names in a text. Each line is a sequence; with `full`
    /// every token is decoded, otherwise only runs of capitalised tokens.
    pub fn names(&self, text: &str, full: bool, scratch: &mut Scratch) -> Vec<TaggedName> {
        let mut names = Vec::new();
        let mut line_start = 0;
        for line in text.split('\n') {
            let base = line_start;
            line_start += line.len() + 1;
            // A line with no capital has no name to find. ASCII capitals
            // are seen without decoding; a non-ASCII line is decoded.
            let capital = line.bytes().any(|b| b.is_ascii_uppercase())
                || (!line.is_ascii() && line.chars().any(char::is_uppercase));
            if !capital {
                continue;
            }
            scratch.tokens.clear();
            tokenize(line, &mut scratch.tokens);
            let tokens = std::mem::take(&mut scratch.tokens);
            scratch.cache.reset(tokens.len());
            let word = |i: usize| &line[tokens[i].start as usize..tokens[i].end as usize];
            let shouted = is_shouted((0..tokens.len()).map(word));
            let mut emit = |from: usize, labels: &[u8], emissions: &[[f32; LABELS]]| {
                let mut open: Option<(NameKind, usize, usize, f32)> = None;
                for (k, &label) in labels.iter().enumerate() {
                    let i = from + k;
                    let kind = NameKind::of_label(label);
                    let margin = || tag_margin(&emissions[k], label);
                    match (open, kind) {
                        (Some((o, s, _, m)), Some(kind)) if is_inside(label) && o == kind => {
                            open = Some((o, s, i + 1, m.min(margin())));
                        }
                        _ => {
                            if let Some((kind, s, e, margin)) = open.take() {
                                names.push(TaggedName {
                                    kind,
                                    start: base + tokens[s].start as usize,
                                    end: base + tokens[e - 1].end as usize,
                                    margin,
                                });
                            }
                            open = kind.map(|k| (k, i, i + 1, margin()));
                        }
                    }
                }
                if let Some((kind, s, e, margin)) = open {
                    names.push(TaggedName {
                        kind,
                        start: base + tokens[s].start as usize,
                        end: base + tokens[e - 1].end as usize,
                        margin,
                    });
                }
            };
            if full || shouted {
                scratch.infos.clear();
                token_infos_cached(
                    line,
                    &tokens,
                    (0, tokens.len()),
                    0..tokens.len(),
                    shouted,
                    &self.lexicon,
                    &mut scratch.cache,
                    &mut scratch.infos,
                );
                self.model
                    .decode(0, 0, tokens.len(), (LABELS, None), scratch);
                emit(0, &scratch.labels, &scratch.emissions);
            } else {
                let mut i = 0;
                while i < tokens.len() {
                    if !starts_upper(word(i)) {
                        i += 1;
                        continue;
                    }
                    // A run of capitalised words, with at most two joiners
                    // between two of them.
                    let start = i;
                    let mut end = i + 1;
                    loop {
                        let mut j = end;
                        while j < tokens.len() && j - end < 3 && is_joiner(word(j)) {
                            j += 1;
                        }
                        if j < tokens.len() && starts_upper(word(j)) {
                            end = j + 1;
                        } else {
                            break;
                        }
                    }
                    if end < tokens.len() && is_closer(word(end)) {
                        end += 1;
                    }
                    // A capitalised function word alone at a sentence's
                    // start ("Since 2012, ...") names nothing.
                    let opens_sentence = start == 0
                        || matches!(word(start - 1), "." | "!" | "?" | "\"" | "(" | "“" | ":");
                    if end == start + 1 && opens_sentence && is_function_word(word(start)) {
                        i = end;
                        continue;
                    }
                    let lo = start.saturating_sub(2);
                    let hi = (end + 2).min(tokens.len());
                    scratch.infos.clear();
                    token_infos_cached(
                        line,
                        &tokens,
                        (lo, hi),
                        start..end,
                        shouted,
                        &self.lexicon,
                        &mut scratch.cache,
                        &mut scratch.infos,
                    );
                    let before = if start == 0 { LABELS } else { 0 };
                    let after = (end < tokens.len()).then_some(0);
                    self.model.decode(lo, start, end, (before, after), scratch);
                    emit(start, &scratch.labels, &scratch.emissions);
                    i = end;
                }
            }
            scratch.tokens = tokens;
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_load_and_tag_a_sentence() {
        let tagger = Tagger::load(Mode::Both, false);
        let text = "The European Commission said on Thursday it disagreed with German advice to consumers in Britain .";
        let names = tagger.names(text, true, &mut Scratch::default());
        let found: Vec<(NameKind, &str)> = names
            .iter()
            .map(|n| (n.kind, &text[n.start..n.end]))
            .collect();
        assert!(
            found.contains(&(NameKind::Organization, "European Commission")),
            "{found:?}"
        );
        assert!(
            found.contains(&(NameKind::Location, "Britain")),
            "{found:?}"
        );
        assert_eq!(tagger.names(text, false, &mut Scratch::default()), names);
    }

    fn extract(title: &str, body: &str) -> crate::extract::Entities {
        static EXTRACTOR: std::sync::OnceLock<crate::extract::Extractor> =
            std::sync::OnceLock::new();
        let article = Article {
            title: Some(title.to_string()),
            body: body.to_string(),
            ..Article::default()
        };
        EXTRACTOR
            .get_or_init(crate::extract::Extractor::new)
            .extract(&article)
    }

    #[test]
    fn a_person_named_like_a_place_is_not_a_location() {
        let e = extract(
            "Jordan leads Bulls past Knicks",
            "Michael Jordan scored 32 points as the Chicago Bulls beat the New York \
             Knicks 104-98 on Sunday.\n\nParis Hilton watched the game from the stands \
             in Chicago.",
        );
        let places: Vec<&str> = e.locations.iter().map(|l| l.name.as_str()).collect();
        assert!(!places.contains(&"Jordan"), "{places:?}");
        assert!(!places.contains(&"Paris"), "{places:?}");
        assert!(places.contains(&"Chicago"), "{places:?}");
    }

    #[test]
    fn organizations_unknown_to_the_table_get_their_own_facet() {
        let e = extract(
            "Dutch league results",
            "Vitesse Arnhem beat Roda JC 2-1 on Saturday, and shares of Hollandsche \
             Beton Groep rose after the company won a contract in Rotterdam.",
        );
        let orgs: Vec<(&str, &str)> = e
            .organizations
            .iter()
            .map(|o| (o.name.as_str(), o.facet.as_str()))
            .collect();
        assert!(
            orgs.contains(&("Vitesse Arnhem", "/Vitesse Arnhem")),
            "{orgs:?}"
        );
        assert!(
            orgs.contains(&("Hollandsche Beton Groep", "/Hollandsche Beton Groep")),
            "{orgs:?}"
        );
        let places: Vec<&str> = e.locations.iter().map(|l| l.name.as_str()).collect();
        assert!(places.contains(&"Rotterdam"), "{places:?}");
    }

    #[test]
    fn every_span_points_at_its_mention_after_combining() {
        let title = "Côte d'Ivoire and São Paulo trade TALKS";
        let body = "ABIDJAN officials met executives of Petrobras and the World Bank in \
                    São Paulo, said Kofi Annan of the United Nations.";
        let e = extract(title, body);
        let text = |span: &crate::extract::Span| -> String {
            let s = if span.part == Part::Title {
                title
            } else {
                body
            };
            s.chars()
                .skip(span.start)
                .take(span.end - span.start)
                .collect()
        };
        for l in &e.locations {
            for span in l.spans.iter().filter(|s| !s.derived) {
                assert!(l.mentions.contains(&text(span)), "{l:?}");
            }
        }
        for o in &e.organizations {
            for span in &o.spans {
                assert!(o.mentions.contains(&text(span)), "{o:?}");
            }
        }
    }

    #[test]
    fn rules_mode_loads_no_tagger() {
        let rules = crate::extract::Extractor::with_options(crate::extract::ExtractorOptions {
            mode: Mode::Rules,
            tag_every_token: false,
        });
        assert!(format!("{rules:?}").contains("tagger: None"));
    }

    #[test]
    fn the_transition_table_agrees_with_the_rule() {
        for (from, row) in ALLOWED.iter().enumerate() {
            for (to, &allowed) in row.iter().enumerate() {
                let rule = !is_inside(to as u8)
                    || (from < LABELS && from > 0 && from.div_ceil(2) == to.div_ceil(2));
                assert_eq!(allowed, rule, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn an_inside_tag_never_starts_a_name() {
        for from in 0..=LABELS {
            assert_eq!(allowed(from, 2), from == 1 || from == 2);
        }
    }
}
