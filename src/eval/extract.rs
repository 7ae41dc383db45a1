//! Extraction evaluation on CoNLL-2003: location and organization
//! precision, recall and F1, at mention level and at article level.
//!
//! **Reading.** A CoNLL file holds one token per line (`WORD POS CHUNK NER`,
//! the tag last), blank lines between sentences and `-DOCSTART-` lines
//! between documents. Tags may be IOB1 (the CoNLL-2003 files: `I-X` opens a
//! mention unless the previous token is in an `X` mention, `B-X` opens one
//! inside a run) or IOB2 (`B-X` always opens one); both read the same way.
//!
//! **Documents as articles.** Each document is rebuilt as a plain text file
//! would be written: its first sentence is the headline line, every other
//! sentence a paragraph of its own, tokens joined by single spaces; the text
//! is then read by the plain text reader ([`crate::corpus::read_bytes`]), so
//! a second line such as `BRUSSELS 1996-08-22` becomes the dateline exactly
//! as it would in a file. A document the reader refuses (a results table
//! with no prose) is built directly with the same headline and paragraphs
//! and no dateline, so that every document is scored.
//!
//! **Mentions.** A predicted mention is an extracted span that is not
//! derived (demonyms such as "British" are tagged MISC in CoNLL, not LOC);
//! it counts as its type's mention at the tokens it covers. A span must
//! start and end on token boundaries to be comparable; one that does not is
//! a false positive (and counted in `misaligned`). The dateline's place,
//! when the extractor keeps it as a location, is a mention at the dateline
//! line's first tokens. Scoring is conlleval's: a predicted mention is
//! correct only when a gold mention has the same type and the same first
//! and last token.
//!
//! **Article level** is what a facet shows: per document, the distinct
//! entities of each type, gold against predicted. A mention's entity key is
//! the gazetteer facet (locations) or the organization table entry the
//! mention's string resolves to, else its lower-cased string; both sides go
//! through the same function, so "U.S." and "United States" are one entity
//! on either side.
//!
//! **Sports documents** are those whose headline opens with a sport's name
//! followed by a dash (`SOCCER -`, `RUGBY UNION -`, `Tennis -`), the way
//! Reuters labels its sports wire. Results are given for all documents and
//! for the others, whose entities (clubs named after cities, for one) are
//! closer to the general news Dateline indexes.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::article::{Article, Origin};
use crate::corpus;
use crate::error::{Error, Result};
use crate::extract::{Entities, Extractor, Part};

/// A named-entity type of CoNLL-2003.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum EntityType {
    /// Location.
    Loc,
    /// Organization.
    Org,
    /// Person.
    Per,
    /// Everything else named (nationalities, events, ...).
    Misc,
}

impl EntityType {
    fn parse(name: &str) -> Option<EntityType> {
        match name {
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "PER" => Some(EntityType::Per),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// A mention: a run of tokens in one sentence, with its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mention {
    /// Sentence index in the document.
    pub sentence: usize,
    /// First token, inclusive.
    pub start: usize,
    /// Last token, exclusive.
    pub end: usize,
    /// Entity type.
    pub kind: EntityType,
}

/// One CoNLL document: tokenised sentences with their gold mentions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConllDocument {
    /// Sentences, each a list of tokens.
    pub sentences: Vec<Vec<String>>,
    /// Gold mentions, in order.
    pub mentions: Vec<Mention>,
}

impl ConllDocument {
    /// The text of tokens `start..end` of a sentence, joined by spaces.
    pub fn text(&self, sentence: usize, start: usize, end: usize) -> String {
        self.sentences[sentence][start..end].join(" ")
    }

    /// Says whether the headline opens with a sport's name and a dash.
    pub fn is_sports(&self) -> bool {
        let Some(headline) = self.sentences.first() else {
            return false;
        };
        let Some(dash) = headline.iter().take(4).position(|t| t == "-") else {
            return false;
        };
        let label = headline[..dash].join(" ").to_uppercase();
        SPORTS.contains(&label.as_str())
    }
}

/// Section labels of the Reuters sports wire as they open CoNLL-2003
/// headlines. A measurement split, documented in the module docs.
const SPORTS: [&str; 26] = [
    "SOCCER",
    "CRICKET",
    "BASEBALL",
    "TENNIS",
    "GOLF",
    "CYCLING",
    "ATHLETICS",
    "RUGBY UNION",
    "RUGBY LEAGUE",
    "BASKETBALL",
    "RALLYING",
    "SQUASH",
    "MOTOR RACING",
    "BOXING",
    "HORSE RACING",
    "MOTORCYCLING",
    "BADMINTON",
    "MOTOCROSS",
    "SWIMMING",
    "ROWING",
    "ICE HOCKEY",
    "NHL ICE HOCKEY",
    "AMERICAN FOOTBALL",
    "NFL AMERICAN FOOTBALL",
    "ALPINE SKIING",
    "SKIING",
];

/// Parses CoNLL text (IOB1 or IOB2 tags in the last column) into documents.
pub fn parse_conll(text: &str) -> Result<Vec<ConllDocument>> {
    let mut documents = Vec::new();
    let mut doc = ConllDocument::default();
    let mut sentence: Vec<String> = Vec::new();
    let mut open: Option<Mention> = None;
    let close_sentence =
        |doc: &mut ConllDocument, sentence: &mut Vec<String>, open: &mut Option<Mention>| {
            if let Some(m) = open.take() {
                doc.mentions.push(m);
            }
            if !sentence.is_empty() {
                doc.sentences.push(std::mem::take(sentence));
            }
        };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            close_sentence(&mut doc, &mut sentence, &mut open);
            if !doc.sentences.is_empty() {
                documents.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if line.trim().is_empty() {
            close_sentence(&mut doc, &mut sentence, &mut open);
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(&word), Some(&tag)) = (fields.first(), fields.last()) else {
            continue;
        };
        if fields.len() < 2 {
            return Err(Error::Eval(format!(
                "conll line {}: expected `WORD ... TAG`, found `{line}`",
                n + 1
            )));
        }
        let sentence_index = doc.sentences.len();
        let at = sentence.len();
        let (prefix, kind) = match tag.split_once('-') {
            Some((prefix, kind)) if tag != "O" => {
                let kind = EntityType::parse(kind).ok_or_else(|| {
                    Error::Eval(format!(
                        "conll line {}: unknown entity type in tag `{tag}` (expected LOC, ORG, PER or MISC)",
                        n + 1
                    ))
                })?;
                (prefix, Some(kind))
            }
            _ if tag == "O" => ("O", None),
            _ => {
                return Err(Error::Eval(format!(
                    "conll line {}: tag `{tag}` is not `O`, `I-TYPE` or `B-TYPE`",
                    n + 1
                )));
            }
        };
        match kind {
            None => {
                if let Some(m) = open.take() {
                    doc.mentions.push(m);
                }
            }
            Some(kind) => {
                let continues = prefix == "I" && open.is_some_and(|m| m.kind == kind);
                if continues {
                    if let Some(m) = open.as_mut() {
                        m.end = at + 1;
                    }
                } else {
                    if let Some(m) = open.take() {
                        doc.mentions.push(m);
                    }
                    open = Some(Mention {
                        sentence: sentence_index,
                        start: at,
                        end: at + 1,
                        kind,
                    });
                }
            }
        }
        sentence.push(word.to_string());
    }
    close_sentence(&mut doc, &mut sentence, &mut open);
    if !doc.sentences.is_empty() {
        documents.push(doc);
    }
    Ok(documents)
}

/// True, false and missed counts, with the measures derived from them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predicted and in gold.
    pub true_positives: usize,
    /// Predicted, not in gold.
    pub false_positives: usize,
    /// In gold, not predicted.
    pub false_negatives: usize,
}

impl Counts {
    /// Correct predictions over predictions (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Correct predictions over gold items (1 when gold is empty).
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add_sets<T: Eq + std::hash::Hash>(&mut self, gold: &HashSet<T>, predicted: &HashSet<T>) {
        let hit = gold.intersection(predicted).count();
        self.true_positives += hit;
        self.false_positives += predicted.len() - hit;
        self.false_negatives += gold.len() - hit;
    }

    fn add(&mut self, other: &Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Mention-level and article-level counts for one entity type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TypeScores {
    /// Exact spans and type, as conlleval.
    pub mention: Counts,
    /// Distinct entities per document.
    pub article: Counts,
}

/// Location and organization scores over a set of documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Documents scored.
    pub documents: usize,
    /// Locations.
    pub loc: TypeScores,
    /// Organizations.
    pub org: TypeScores,
}

impl Scores {
    fn add(&mut self, other: &Scores) {
        self.documents += other.documents;
        self.loc.mention.add(&other.loc.mention);
        self.loc.article.add(&other.loc.article);
        self.org.mention.add(&other.org.mention);
        self.org.article.add(&other.org.article);
    }
}

/// The evaluation of an extractor on CoNLL documents.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExtractEvaluation {
    /// The files read.
    pub files: Vec<PathBuf>,
    /// Every document.
    pub all: Scores,
    /// Documents that are not sports reports.
    pub non_sports: Scores,
    /// Documents the plain text reader refused, built directly.
    pub built_directly: usize,
    /// Predicted spans that do not fall on token boundaries (false positives).
    pub misaligned: usize,
}

/// A document rebuilt as an article, with where each sentence landed.
struct Rebuilt {
    article: Article,
    /// Per sentence: where its text is and the code point offset of each
    /// token's start and end there.
    places: Vec<SentencePlace>,
    /// Read by the plain text reader (false: built directly).
    read_as_text: bool,
}

#[derive(Clone, Debug)]
enum SentencePlace {
    /// In the title or the body, tokens at these code point ranges.
    Text(Part, Vec<(usize, usize)>),
    /// The dateline line, outside the text.
    Dateline,
    /// Not found (the reader changed it).
    Lost,
}

fn rebuild(doc: &ConllDocument, n: usize) -> Rebuilt {
    let lines: Vec<String> = doc.sentences.iter().map(|s| s.join(" ")).collect();
    let mut file = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            file.push_str(if i == 1 { "\n" } else { "\n\n" });
        }
        file.push_str(line);
    }
    file.push('\n');
    let path = PathBuf::from(format!("conll/doc-{n}.txt"));
    let read = corpus::read_bytes(&path, file.into_bytes());
    let (article, read_as_text) = match read.articles.into_iter().next() {
        Some(article) => (article, true),
        None => {
            let article = Article {
                id: path.to_string_lossy().into_owned(),
                path,
                title: lines.first().cloned(),
                body: lines.get(1..).unwrap_or_default().join("\n\n"),
                ..Article::default()
            };
            (article, false)
        }
    };

    let mut places = Vec::with_capacity(lines.len());
    let title = article.title.as_deref().unwrap_or("");
    let mut body_cursor = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if i == 0 && title == line {
            places.push(SentencePlace::Text(Part::Title, token_offsets(doc, i, 0)));
            continue;
        }
        if i == 1 && article.dateline_line.as_deref() == Some(line.as_str()) {
            places.push(SentencePlace::Dateline);
            continue;
        }
        match article.body[body_cursor..].find(line.as_str()) {
            Some(at) => {
                let byte = body_cursor + at;
                let start = article.body[..byte].chars().count();
                places.push(SentencePlace::Text(
                    Part::Body,
                    token_offsets(doc, i, start),
                ));
                body_cursor = byte + line.len();
            }
            None => places.push(SentencePlace::Lost),
        }
    }
    Rebuilt {
        article,
        places,
        read_as_text,
    }
}

/// Code point ranges of a sentence's tokens when the sentence starts at `start`.
fn token_offsets(doc: &ConllDocument, sentence: usize, start: usize) -> Vec<(usize, usize)> {
    let mut at = start;
    doc.sentences[sentence]
        .iter()
        .map(|token| {
            let len = token.chars().count();
            let range = (at, at + len);
            at += len + 1;
            range
        })
        .collect()
}

/// Maps an extracted span to the tokens it covers exactly.
fn span_to_tokens(
    places: &[SentencePlace],
    part: Part,
    start: usize,
    end: usize,
) -> Option<(usize, usize, usize)> {
    places.iter().enumerate().find_map(|(s, place)| {
        let SentencePlace::Text(p, tokens) = place else {
            return None;
        };
        if *p != part {
            return None;
        }
        let first = tokens.iter().position(|&(a, _)| a == start)?;
        let last = tokens[first..].iter().position(|&(_, b)| b == end)?;
        Some((s, first, first + last + 1))
    })
}

/// The mentions an extractor predicts, plus how many spans fell between tokens.
fn predicted_mentions(
    doc: &ConllDocument,
    rebuilt: &Rebuilt,
    entities: &Entities,
) -> (Vec<Mention>, usize) {
    let mut mentions = Vec::new();
    let mut misaligned = 0;
    let spans = entities
        .locations
        .iter()
        .flat_map(|l| l.spans.iter().map(|s| (EntityType::Loc, s)))
        .chain(
            entities
                .organizations
                .iter()
                .flat_map(|o| o.spans.iter().map(|s| (EntityType::Org, s))),
        );
    for (kind, span) in spans {
        if span.derived {
            continue;
        }
        match span_to_tokens(&rebuilt.places, span.part, span.start, span.end) {
            Some((sentence, start, end)) => mentions.push(Mention {
                sentence,
                start,
                end,
                kind,
            }),
            None => misaligned += 1,
        }
    }
    let dateline_kept = entities
        .locations
        .iter()
        .any(|l| l.sources.contains(&Origin::Dateline));
    if dateline_kept
        && let (Some(place), Some(i)) = (
            rebuilt.article.dateline.as_deref(),
            rebuilt
                .places
                .iter()
                .position(|p| matches!(p, SentencePlace::Dateline)),
        )
    {
        let words = place.split_whitespace().count();
        let tokens = &doc.sentences[i];
        if words <= tokens.len() && tokens[..words].join(" ") == place {
            mentions.push(Mention {
                sentence: i,
                start: 0,
                end: words,
                kind: EntityType::Loc,
            });
        }
    }
    mentions.sort_by_key(|m| (m.sentence, m.start, m.end));
    mentions.dedup();
    (mentions, misaligned)
}

/// Scores predicted against gold mentions of one document.
pub fn score_document(
    doc: &ConllDocument,
    predicted: &[Mention],
    key: &dyn Fn(EntityType, &str) -> String,
) -> Scores {
    let mut scores = Scores {
        documents: 1,
        ..Scores::default()
    };
    for (kind, out) in [
        (EntityType::Loc, &mut scores.loc),
        (EntityType::Org, &mut scores.org),
    ] {
        let gold: HashSet<Mention> = doc
            .mentions
            .iter()
            .copied()
            .filter(|m| m.kind == kind)
            .collect();
        let pred: HashSet<Mention> = predicted
            .iter()
            .copied()
            .filter(|m| m.kind == kind)
            .collect();
        out.mention.add_sets(&gold, &pred);
        let entities = |set: &HashSet<Mention>| -> HashSet<String> {
            set.iter()
                .map(|m| key(kind, &doc.text(m.sentence, m.start, m.end)))
                .collect()
        };
        out.article.add_sets(&entities(&gold), &entities(&pred));
    }
    scores
}

/// Runs the extractor over CoNLL documents and scores it.
pub fn evaluate_extractor(extractor: &Extractor, documents: &[ConllDocument]) -> ExtractEvaluation {
    let key = |kind: EntityType, text: &str| -> String {
        let found = match kind {
            EntityType::Loc => extractor.location_key(text),
            _ => extractor.organization_key(text),
        };
        found.unwrap_or_else(|| text.to_lowercase())
    };
    let mut evaluation = ExtractEvaluation::default();
    for (n, doc) in documents.iter().enumerate() {
        let rebuilt = rebuild(doc, n);
        if !rebuilt.read_as_text {
            evaluation.built_directly += 1;
        }
        let entities = extractor.extract(&rebuilt.article);
        let (predicted, misaligned) = predicted_mentions(doc, &rebuilt, &entities);
        evaluation.misaligned += misaligned;
        let scores = score_document(doc, &predicted, &key);
        evaluation.all.add(&scores);
        if !doc.is_sports() {
            evaluation.non_sports.add(&scores);
        }
    }
    evaluation
}

/// How fast extraction runs over a set of articles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SpeedReport {
    /// Articles extracted.
    pub articles: usize,
    /// Bytes of headline and body text.
    pub bytes: usize,
    /// Milliseconds to build the extractor.
    pub load_ms: f64,
    /// Milliseconds the building thread spent on a CPU (Linux; `None`
    /// elsewhere): wall time on a busy machine is mostly waiting.
    pub load_cpu_ms: Option<f64>,
    /// Seconds spent extracting (one thread), loading excluded.
    pub seconds: f64,
    /// Megabytes (10^6 bytes) of article text per second of wall time.
    pub mb_per_second: f64,
    /// CPU seconds the extracting thread used (Linux; `None` elsewhere):
    /// unlike wall time, not inflated by other processes on a busy machine.
    pub cpu_seconds: Option<f64>,
    /// Megabytes of article text per CPU second.
    pub mb_per_cpu_second: Option<f64>,
    /// Locations and organizations found, as a check that work was done.
    pub entities: usize,
}

/// User and system CPU time of the calling thread, from
/// `/proc/thread-self/stat` (clock ticks of 1/100 s, Linux's `USER_HZ`).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Nanoseconds the calling thread has run on a CPU, from
/// `/proc/thread-self/schedstat` (its first field): precise enough to time
/// a build of some milliseconds, unlike the clock ticks of `stat`.
fn thread_run_nanos() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split(' ').next()?.parse().ok()
}

/// Reads every article under `dirs` (not timed), then times building the
/// extractor and extracting every article once, on the calling thread.
pub fn measure_speed(
    dirs: &[PathBuf],
    options: crate::extract::ExtractorOptions,
) -> Result<SpeedReport> {
    let mut articles = Vec::new();
    let read_options = corpus::ReadOptions::default();
    for path in corpus::walk(dirs, &[]) {
        let Ok(path) = path else { continue };
        articles.extend(corpus::read_file(&path, &read_options).articles);
    }
    if articles.is_empty() {
        return Err(Error::Eval(format!(
            "no articles under {}",
            dirs.iter()
                .map(|d| format!("`{}`", d.display()))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let run_start = thread_run_nanos();
    let started = std::time::Instant::now();
    let extractor = Extractor::with_options(options);
    let load = started.elapsed();
    let load_cpu_ms = run_start
        .zip(thread_run_nanos())
        .map(|(a, b)| b.saturating_sub(a) as f64 / 1e6);
    let bytes: usize = articles
        .iter()
        .map(|a| a.body.len() + a.title.as_ref().map_or(0, String::len))
        .sum();
    let cpu_start = thread_cpu_seconds();
    let started = std::time::Instant::now();
    let mut entities = 0;
    for article in &articles {
        let found = extractor.extract(article);
        entities += found.locations.len() + found.organizations.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = cpu_start.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    Ok(SpeedReport {
        articles: articles.len(),
        bytes,
        load_ms: load.as_secs_f64() * 1000.0,
        load_cpu_ms,
        seconds,
        mb_per_second: bytes as f64 / 1e6 / seconds.max(1e-9),
        cpu_seconds,
        mb_per_cpu_second: cpu_seconds.map(|c| bytes as f64 / 1e6 / c.max(1e-9)),
        entities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNIPPET: &str = "\
-DOCSTART- -X- O O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O

BRUSSELS NNP I-NP I-LOC
1996-08-22 CD I-NP O

The DT I-NP O
European NNP I-NP I-ORG
Commission NNP I-NP I-ORG
met VBD I-VP O
in IN I-PP O
New NNP I-NP I-LOC
York NNP I-NP I-LOC
and CC O O
Paris NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O

SOCCER NN I-NP O
- : O O
Ajax NNP I-NP I-ORG
win VB I-VP O
";

    fn exact(_: EntityType, text: &str) -> String {
        text.to_lowercase()
    }

    #[test]
    fn iob1_tags_open_a_mention_after_another_type_or_outside() {
        let docs = parse_conll(SNIPPET).unwrap();
        assert_eq!(docs.len(), 2);
        let found: Vec<(EntityType, String)> = docs[0]
            .mentions
            .iter()
            .map(|m| (m.kind, docs[0].text(m.sentence, m.start, m.end)))
            .collect();
        assert_eq!(
            found,
            [
                (EntityType::Org, "EU".to_string()),
                (EntityType::Misc, "German".to_string()),
                (EntityType::Loc, "BRUSSELS".to_string()),
                (EntityType::Org, "European Commission".to_string()),
                (EntityType::Loc, "New York".to_string()),
                (EntityType::Loc, "Paris".to_string()),
            ]
        );
    }

    #[test]
    fn iob2_tags_read_like_iob1() {
        let iob2 = "A NNP I-NP B-LOC\nB NNP I-NP I-LOC\nC NNP I-NP B-LOC\nd x x O\n";
        let docs = parse_conll(iob2).unwrap();
        let spans: Vec<(usize, usize)> =
            docs[0].mentions.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(spans, [(0, 2), (2, 3)]);
    }

    #[test]
    fn an_unknown_tag_is_an_error_naming_the_line() {
        let err = parse_conll("Mali NNP I-NP I-GPE\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1") && err.contains("`I-GPE`"), "{err}");
    }

    #[test]
    fn a_mention_counts_only_with_exact_boundaries_and_type() {
        let docs = parse_conll(SNIPPET).unwrap();
        let doc = &docs[0];
        let m = |sentence, start, end, kind| Mention {
            sentence,
            start,
            end,
            kind,
        };
        let predicted = [
            // Exact: counts.
            m(1, 0, 1, EntityType::Loc),
            // "Commission" alone: boundaries differ, a false positive and a miss.
            m(2, 2, 3, EntityType::Org),
            // "New York and Paris" as one: neither gold mention is matched.
            m(2, 5, 9, EntityType::Loc),
            // "EU" as a location: wrong type.
            m(0, 0, 1, EntityType::Loc),
        ];
        let scores = score_document(doc, &predicted, &exact);
        assert_eq!(
            scores.loc.mention,
            Counts {
                true_positives: 1,
                false_positives: 2,
                false_negatives: 2
            }
        );
        assert_eq!(
            scores.org.mention,
            Counts {
                true_positives: 0,
                false_positives: 1,
                false_negatives: 2
            }
        );
        assert!((scores.loc.mention.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((scores.loc.mention.recall() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn article_level_counts_each_entity_once_per_document() {
        let text = "Mali x x I-LOC\nand x x O\nMali x x I-LOC\nGhana x x B-LOC\n";
        let docs = parse_conll(text).unwrap();
        let predicted = [Mention {
            sentence: 0,
            start: 2,
            end: 3,
            kind: EntityType::Loc,
        }];
        let scores = score_document(&docs[0], &predicted, &exact);
        assert_eq!(scores.loc.mention.true_positives, 1);
        assert_eq!(scores.loc.mention.false_negatives, 2);
        assert_eq!(
            scores.loc.article,
            Counts {
                true_positives: 1,
                false_positives: 0,
                false_negatives: 1
            }
        );
    }

    #[test]
    fn sports_documents_are_named_by_their_headline_label() {
        let docs = parse_conll(SNIPPET).unwrap();
        assert!(!docs[0].is_sports());
        assert!(docs[1].is_sports());
    }

    #[test]
    fn the_extractor_is_scored_on_rebuilt_documents_with_their_dateline() {
        let docs = parse_conll(SNIPPET).unwrap();
        let rebuilt = rebuild(&docs[0], 0);
        assert_eq!(
            rebuilt.article.title.as_deref(),
            Some("EU rejects German call")
        );
        assert_eq!(rebuilt.article.dateline.as_deref(), Some("BRUSSELS"));
        assert!(matches!(rebuilt.places[1], SentencePlace::Dateline));
        let SentencePlace::Text(Part::Body, tokens) = &rebuilt.places[2] else {
            panic!("third sentence not in the body: {:?}", rebuilt.places[2]);
        };
        let (a, b) = tokens[6];
        let word: String = rebuilt.article.body.chars().skip(a).take(b - a).collect();
        assert_eq!(word, "York");
        let evaluation = evaluate_extractor(&Extractor::new(), &docs);
        assert_eq!(evaluation.all.documents, 2);
        assert_eq!(evaluation.non_sports.documents, 1);
        // BRUSSELS (dateline), New York and Paris are found.
        assert!(evaluation.non_sports.loc.mention.true_positives >= 2);
    }
}
