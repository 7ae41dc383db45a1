//! Facet counts: which child of a node each matched article falls under,
//! segment by segment.
//!
//! A facet dictionary is sorted and its steps are separated by NUL, the
//! smallest byte, so the terms below one child of a node are contiguous
//! ordinals: `child` itself, then `child\0…`, ending before `child\x01`.
//! A node with few children (the location root's continents, the years of
//! `date` and `mentioned`) is mapped with two dictionary seeks per child
//! met, whatever the number of ordinals below it; a flat node (the
//! organization root: one child per term) has its matched ordinals read in
//! one sorted pass instead.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::DocId;
use tantivy::columnar::{Dictionary, TermOrdHit};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;

use super::Counts;
use crate::error::{Error, Result};

/// No child: the ordinal is the node itself or lies outside it.
const NONE: u32 = u32::MAX;

/// Children sought one by one before a node whose children mostly hold a
/// single ordinal is taken for flat: seeking costs two block reads per
/// child, a sorted pass less than one (on ten copies of Reuters, 4 rather
/// than 16 took 7% off a one-shot search, mostly organization blocks).
const FLAT_AFTER: u32 = 4;

fn engine(error: std::io::Error) -> Error {
    Error::Engine(Box::new(error))
}

/// The ordinal of the first term at or after `key`.
fn first_from(dict: &Dictionary, key: &[u8]) -> Result<u64> {
    let ord = match dict.term_ord_or_next(key).map_err(engine)? {
        TermOrdHit::Exact(ord) | TermOrdHit::Next(ord) => ord,
    };
    // Past the last term the dictionary answers `u64::MAX`.
    Ok(ord.min(dict.num_terms() as u64))
}

/// The ordinals of one child of a node.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
    child: u32,
}

/// What one segment's facet ordinals count for under one node: kept per
/// index generation (see `SearchCache::facet_names`), and filled in by the
/// searches that meet the ordinals.
#[derive(Default)]
pub(crate) struct FacetNames {
    /// The encoded node followed by the step separator (empty at the root)
    /// and the ordinals below it, once sought.
    node: Option<(Vec<u8>, u64, u64)>,
    /// Children's ordinal spans found by seeking, sorted and disjoint.
    spans: Vec<Span>,
    /// Ordinals resolved one by one, once the node turned out flat.
    single: FxHashMap<u64, u32>,
    /// Children sought, and how many of them held a single ordinal.
    sought: u32,
    narrow: u32,
    /// Child paths, shared with the counts made from them so that adding
    /// a segment's counts copies no path.
    children: Vec<Arc<str>>,
    /// Child path → its index in `children`.
    index: FxHashMap<Arc<str>, u32>,
}

impl FacetNames {
    /// The child `ord` was found to count for, if it was.
    fn known(&self, ord: u64) -> Option<u32> {
        let after = self.spans.partition_point(|s| s.start <= ord);
        if after > 0 && self.spans[after - 1].end > ord {
            return Some(self.spans[after - 1].child);
        }
        self.single.get(&ord).copied()
    }

    fn is_flat(&self) -> bool {
        self.sought >= FLAT_AFTER && self.narrow * 4 >= self.sought * 3
    }

    /// The index of child `step` of `node`, interned (`path` is room for
    /// its path, so that only a new child allocates).
    fn child(&mut self, node: &str, step: &str, path: &mut String) -> u32 {
        // `/a//b` has an empty step, which counts for no child.
        if step.is_empty() {
            return NONE;
        }
        path.clear();
        path.push_str(node);
        super::filter::push_step(path, step);
        if let Some(&at) = self.index.get(path.as_str()) {
            return at;
        }
        let at = self.children.len() as u32;
        let shared: Arc<str> = Arc::from(path.as_str());
        self.index.insert(Arc::clone(&shared), at);
        self.children.push(shared);
        at
    }

    /// Calls `put` once for each of `ords` (ascending, distinct), in any
    /// order, with the child of `node` it counts for, or [`NONE`].
    fn resolve(
        &mut self,
        dict: &Dictionary,
        node: &str,
        ords: &[u64],
        mut put: impl FnMut(u64, u32),
    ) -> Result<()> {
        if self.node.is_none() {
            self.node = Some(if node.is_empty() {
                (Vec::new(), 0, dict.num_terms() as u64)
            } else {
                match Facet::from_text(node) {
                    Ok(facet) => {
                        let mut prefix = facet.encoded_str().as_bytes().to_vec();
                        prefix.push(0);
                        let lo = first_from(dict, &prefix)?;
                        *prefix.last_mut().expect("just pushed") = 1;
                        let hi = first_from(dict, &prefix)?;
                        *prefix.last_mut().expect("just set") = 0;
                        (prefix, lo, hi)
                    }
                    // Not a path: nothing lies below it.
                    Err(_) => (Vec::new(), 0, 0),
                }
            });
        }
        let (prefix, lo, hi) = self.node.clone().expect("set above");
        let mut missing = Vec::new();
        for &ord in ords {
            if ord < lo || ord >= hi {
                put(ord, NONE);
            } else if let Some(child) = self.known(ord) {
                put(ord, child);
            } else {
                missing.push(ord);
            }
        }
        let mut term = Vec::new();
        let mut path = String::new();
        let mut next = 0;
        while next < missing.len() && !self.is_flat() {
            let ord = missing[next];
            next += 1;
            // A child sought for an earlier ordinal may cover this one.
            if let Some(child) = self.known(ord) {
                put(ord, child);
                continue;
            }
            term.clear();
            if !dict.ord_to_term(ord, &mut term).map_err(engine)? {
                put(ord, NONE);
                continue;
            }
            let below = term.get(prefix.len()..).unwrap_or_default();
            let step_len = below.iter().position(|&b| b == 0).unwrap_or(below.len());
            let step =
                std::str::from_utf8(&below[..step_len]).map_err(|e| Error::Engine(Box::new(e)))?;
            // The child's span is known from `ord` on: its first ordinal
            // would cost one more seek, and a later search meeting an
            // earlier ordinal of it extends the span down.
            let mut key = term[..prefix.len() + step_len].to_vec();
            key.push(1);
            let end = first_from(dict, &key)?.min(hi);
            debug_assert!(ord < end, "{ord} < {end}");
            let child = self.child(node, step, &mut path);
            let at = self.spans.partition_point(|s| s.start < ord);
            match self.spans.get_mut(at) {
                Some(span) if span.end == end => span.start = ord,
                _ => self.spans.insert(
                    at,
                    Span {
                        start: ord,
                        end,
                        child,
                    },
                ),
            }
            self.sought += 1;
            if end - ord <= 1 {
                self.narrow += 1;
            }
            put(ord, child);
        }
        if next < missing.len() {
            let mut left = Vec::with_capacity(missing.len() - next);
            for &ord in &missing[next..] {
                match self.known(ord) {
                    Some(child) => put(ord, child),
                    None => left.push(ord),
                }
            }
            let mut children = Vec::with_capacity(left.len());
            let mut bad = None;
            dict.sorted_ords_to_term_cb(&left, |bytes| {
                let below = bytes.get(prefix.len()..).unwrap_or_default();
                let step = below.split(|&b| b == 0).next().unwrap_or_default();
                match std::str::from_utf8(step) {
                    Ok(step) => children.push(self.child(node, step, &mut path)),
                    Err(err) => {
                        bad = Some(err);
                        children.push(NONE);
                    }
                }
            })
            .map_err(engine)?;
            if let Some(err) = bad {
                return Err(Error::Engine(Box::new(err)));
            }
            for (&ord, &child) in left.iter().zip(&children) {
                self.single.insert(ord, child);
                put(ord, child);
            }
        }
        Ok(())
    }
}

/// The place of `ord` among the marked ordinals (see
/// [`FacetTally::ranks`]), if it is marked.
fn place(marked: &[u64], ranks: &[u32], ord: u64) -> Option<u32> {
    let at = usize::try_from(ord / 64).ok()?;
    let word = *marked.get(at)?;
    let bit = 1u64 << (ord % 64);
    (word & bit != 0).then(|| ranks[at] + (word & (bit - 1)).count_ones())
}

/// Facet counts of one facet in one segment, for its active node (level
/// 0) and that node's parent (level 1): each facet ordinal of the counted
/// articles is mapped to the child it counts for once, and counts are
/// kept per child, so counting an article touches no strings.
pub(super) struct FacetTally {
    reader: FacetReader,
    /// The ordinals of the counted articles, one bit per ordinal of the
    /// segment's dictionary.
    marked: Vec<u64>,
    /// Per word of `marked`, the marked ordinals before it: an ordinal's
    /// place in `pairs` is that plus the marked ones before it in its word.
    /// Far smaller than a place per ordinal of the dictionary, which each
    /// search had to allocate and zero.
    ranks: Vec<u32>,
    /// Per ordinal met, the dense index of its child at each level.
    pairs: Vec<[u32; 2]>,
    /// Per level, the children met by this search: their index in that
    /// level's `FacetNames`, by dense index.
    shared_of: [Vec<u32>; 2],
    /// Both levels are one node (the root), counted once.
    same: bool,
    names: [Arc<Mutex<FacetNames>>; 2],
    counts: [Vec<usize>; 2],
    /// An article's children at each level, counted once each.
    seen: [Vec<u32>; 2],
    /// The ordinals of the counted articles as read when marking them, one
    /// run per article, so that counting reads the column no second time.
    doc_ords: Vec<u64>,
    /// Per counted article, in order: its document and the end of its run.
    runs: Vec<(DocId, u32)>,
    /// Articles counted so far (`count` meets them in the same order).
    counted: usize,
}

impl FacetTally {
    /// Maps every facet ordinal of `docs` to its children under `nodes`.
    pub(super) fn new(
        reader: FacetReader,
        docs: &[DocId],
        nodes: &[String; 2],
        names: [Arc<Mutex<FacetNames>>; 2],
    ) -> Result<FacetTally> {
        let dict = reader.facet_dict();
        // Marking the ordinals in a bit set, then reading it in order,
        // gives them sorted and distinct without sorting; the set is 64
        // times smaller than the dictionary, so reading it is cheap even
        // when few ordinals are met.
        let terms = dict.num_terms();
        let mut marked = vec![0u64; terms.div_ceil(64)];
        let mut doc_ords = Vec::new();
        let mut runs = Vec::with_capacity(docs.len());
        for &doc in docs {
            for ord in reader.facet_ords(doc) {
                if let Some(word) = marked.get_mut(ord as usize / 64) {
                    *word |= 1 << (ord % 64);
                }
                doc_ords.push(ord);
            }
            runs.push((doc, doc_ords.len() as u32));
        }
        let met = marked.iter().map(|w| w.count_ones() as usize).sum();
        let mut ords = Vec::with_capacity(met);
        let mut ranks = Vec::with_capacity(marked.len());
        for (at, &word) in marked.iter().enumerate() {
            ranks.push(ords.len() as u32);
            let mut bits = word;
            while bits != 0 {
                let ord = at * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                ords.push(ord as u64);
            }
        }
        // `ords` is ascending, so an ordinal's place in it is its rank.
        let slot = |ord: u64| place(&marked, &ranks, ord);
        let same = nodes[0] == nodes[1];
        let mut pairs = vec![[NONE; 2]; ords.len()];
        let mut shared_of = [Vec::new(), Vec::new()];
        let mut counts = [Vec::new(), Vec::new()];
        for level in 0..if same { 1 } else { 2 } {
            // Dense index of each shared child met.
            let mut dense: FxHashMap<u32, u32> = FxHashMap::default();
            let mut shared = names[level].lock().unwrap_or_else(|e| e.into_inner());
            let (pairs, shared_of, counts) =
                (&mut pairs, &mut shared_of[level], &mut counts[level]);
            // Answers come in no particular order (those sought last).
            shared.resolve(dict, &nodes[level], &ords, |ord, child| {
                if child != NONE {
                    let next = shared_of.len() as u32;
                    let d = *dense.entry(child).or_insert(next);
                    if d == next {
                        shared_of.push(child);
                        counts.push(0);
                    }
                    if let Some(at) = slot(ord) {
                        pairs[at as usize][level] = d;
                    }
                }
            })?;
        }
        Ok(FacetTally {
            reader,
            marked,
            ranks,
            pairs,
            shared_of,
            same,
            names,
            counts,
            seen: [Vec::new(), Vec::new()],
            doc_ords,
            runs,
            counted: 0,
        })
    }

    /// Counts, once per article, the children of each level's node among
    /// the facets of `doc` (one of the `docs` the tally was made for).
    pub(super) fn count(&mut self, doc: DocId) {
        let levels = if self.same { 1 } else { 2 };
        let FacetTally {
            reader,
            marked,
            ranks,
            pairs,
            seen,
            doc_ords,
            runs,
            counted,
            ..
        } = self;
        seen[0].clear();
        seen[1].clear();
        let mut add = |ord: u64| {
            let Some(pair) = place(marked, ranks, ord).and_then(|s| pairs.get(s as usize)) else {
                return;
            };
            for (&child, seen) in pair.iter().zip(seen.iter_mut()).take(levels) {
                if child != NONE && !seen.contains(&child) {
                    seen.push(child);
                }
            }
        };
        // The next article marked is this one when counted in the same
        // order; otherwise its ordinals are read again.
        match runs.get(*counted) {
            Some(&(next, end)) if next == doc => {
                let start = counted.checked_sub(1).map_or(0, |i| runs[i].1);
                *counted += 1;
                doc_ords[start as usize..end as usize]
                    .iter()
                    .for_each(|&ord| add(ord));
            }
            _ => reader.facet_ords(doc).for_each(add),
        }
        for level in 0..levels {
            for &child in &self.seen[level] {
                self.counts[level][child as usize] += 1;
            }
        }
    }

    /// Adds this segment's counts to `counts`.
    pub(super) fn add_to(self, facet: &'static str, counts: &mut Counts) {
        for level in 0..2 {
            // With one node for both levels, level 1's counts are level 0's.
            let from = if self.same { 0 } else { level };
            let tallies = &self.counts[from];
            if tallies.iter().all(|&n| n == 0) {
                continue;
            }
            let names = self.names[from].lock().unwrap_or_else(|e| e.into_inner());
            let counts = counts.entry((facet, level == 1)).or_default();
            counts.reserve(tallies.iter().filter(|&&n| n > 0).count());
            for (&child, &n) in self.shared_of[from].iter().zip(tallies) {
                if n > 0 {
                    let child = &names.children[child as usize];
                    *counts.entry(Arc::clone(child)).or_default() += n;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::{Arc, Mutex};

    use tantivy::indexer::NoMergePolicy;
    use tantivy::schema::{FAST, Facet, FacetOptions, Schema};
    use tantivy::{DocId, Index, IndexWriter, TantivyDocument};

    use super::{FacetNames, FacetTally};

    /// The child of `node` a facet counts for, from its steps: the plain
    /// way the tally must agree with.
    fn child_of(node: &str, facet: &Facet) -> Option<String> {
        let node: Vec<String> = if node.is_empty() {
            Vec::new()
        } else {
            let node = Facet::from_text(node).unwrap();
            node.to_path().into_iter().map(String::from).collect()
        };
        let path = facet.to_path();
        if path.len() <= node.len() || path[..node.len()] != node[..] || path[node.len()].is_empty()
        {
            return None;
        }
        Some(Facet::from_path(&path[..=node.len()]).to_string())
    }

    /// Articles' facets: a few continents over many places (a node with
    /// few children) and many organizations at the root (a flat node, some
    /// with a step below them, one with a slash in its name).
    fn article_facets(i: usize) -> Vec<Facet> {
        let continents = ["Africa", "Asia", "Europe"];
        let continent = continents[i % 3];
        let mut facets = vec![
            Facet::from_path([continent, &format!("Region {}", i % 5)]),
            Facet::from_path([
                continent,
                &format!("Region {}", i % 5),
                &format!("Town {}", i % 37),
            ]),
            Facet::from_path([format!("Org {}", i % 41)]),
        ];
        // A few organizations have a unit below them; most hold one
        // ordinal, so the node turns flat.
        if i % 41 < 3 {
            facets.push(Facet::from_path([
                format!("Org {}", i % 41),
                "Unit".to_string(),
            ]));
        }
        if i.is_multiple_of(9) {
            facets.push(Facet::from_path(["A/B Corp"]));
        }
        facets
    }

    proptest::proptest! {
        #[test]
        fn a_marked_ordinals_place_is_its_index_among_the_marked(
            marked_ords in proptest::collection::btree_set(0u64..400, 0..60),
            probe in 0u64..450,
        ) {
            let mut marked = vec![0u64; 400usize.div_ceil(64)];
            for &ord in &marked_ords {
                marked[ord as usize / 64] |= 1 << (ord % 64);
            }
            let mut ranks = Vec::new();
            let mut before = 0;
            for word in &marked {
                ranks.push(before);
                before += word.count_ones();
            }
            let sorted: Vec<u64> = marked_ords.iter().copied().collect();
            let expected = sorted.iter().position(|&o| o == probe).map(|i| i as u32);
            proptest::prop_assert_eq!(super::place(&marked, &ranks, probe), expected);
        }
    }

    #[test]
    fn tallies_on_several_segments_match_a_plain_count_of_the_paths() {
        let mut builder = Schema::builder();
        let field = builder.add_facet_field("place", FacetOptions::default());
        // Which article a document is (segments need not be listed in
        // the order they were committed).
        let number = builder.add_u64_field("n", FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut all = Vec::new();
        // Each commit a segment, each with its own dictionary.
        for (commit, size) in [120, 7, 300, 55].into_iter().enumerate() {
            for j in 0..size {
                let facets = article_facets(commit * 1_000 + j * 7);
                let mut doc = TantivyDocument::new();
                doc.add_u64(number, all.len() as u64);
                for facet in &facets {
                    doc.add_facet(field, facet.clone());
                }
                writer.add_document(doc).unwrap();
                all.push(facets);
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 4);

        let nodes = ["", "/Asia", "/Asia/Region 2", "/Org 3", "/Nowhere"];
        for node in nodes {
            let parent = node
                .rsplit_once('/')
                .map(|(p, _)| p)
                .unwrap_or("")
                .to_string();
            let pair = [node.to_string(), parent];
            // One `FacetNames` per segment and node, reused by the two
            // passes as by successive searches of one generation.
            let mut shared: BTreeMap<(usize, String), Arc<Mutex<FacetNames>>> = BTreeMap::new();
            // The articles of the later regions first, then all: the second
            // pass meets ordinals below the spans the first one sought.
            for first in [true, false] {
                let mut got = super::super::Counts::new();
                let mut want: [BTreeMap<String, usize>; 2] = Default::default();
                for (s, segment) in searcher.segment_readers().iter().enumerate() {
                    let numbers = segment.fast_fields().u64("n").unwrap();
                    let article = |doc: DocId| numbers.first(doc).unwrap() as usize;
                    let docs: Vec<DocId> = (0..segment.max_doc())
                        .filter(|&doc| {
                            let region = all[article(doc)][0].to_string();
                            !first || region.ends_with('3') || region.ends_with('4')
                        })
                        .collect();
                    let names = pair
                        .clone()
                        .map(|n| Arc::clone(shared.entry((s, n)).or_default()));
                    let reader = segment.facet_reader("place").unwrap();
                    let mut tally = FacetTally::new(reader, &docs, &pair, names).unwrap();
                    // Counted in the marking order (the ordinals read then
                    // are reused), or backwards (they are read again).
                    let order: Vec<DocId> = if first {
                        docs.clone()
                    } else {
                        docs.iter().rev().copied().collect()
                    };
                    for &doc in &order {
                        tally.count(doc);
                        let n = article(doc);
                        for (level, want) in want.iter_mut().enumerate() {
                            let children: BTreeSet<String> = all[n]
                                .iter()
                                .filter_map(|f| child_of(&pair[level], f))
                                .collect();
                            for child in children {
                                *want.entry(child).or_default() += 1;
                            }
                        }
                    }
                    tally.add_to("place", &mut got);
                }
                for (level, want) in want.iter().enumerate() {
                    let got: BTreeMap<String, usize> = got
                        .get(&("place", level == 1))
                        .map(|m| m.iter().map(|(k, v)| (k.to_string(), *v)).collect())
                        .unwrap_or_default();
                    assert_eq!(&got, want, "node `{}`, first pass {first}", pair[level]);
                }
            }
        }
    }
}
