//! Which segments tantivy merges in the background while an index grows.
//!
//! Tantivy's default (`LogMergePolicy`) merges eight segments of a size
//! into one, then eight of those, without a ceiling below ten million
//! documents. Merging reads every segment involved through the memory map
//! and builds per-document tables in the heap, so the peak memory of an
//! index run grew with the corpus: on ten copies of Reuters-21578 the last
//! merge put 900,000 documents together and the process held 385 MB, most
//! of it the mapped files of the whole index. Here no merge produces more
//! than [`MergeCeiling::max_docs`] documents, so the memory a merge needs is
//! bounded whatever the size of the archive; the price is a segment per
//! ceiling's worth of documents, which searches visit in turn.

use tantivy::index::SegmentMeta;
use tantivy::merge_policy::{MergeCandidate, MergePolicy};

/// Merges segments of similar size, never into more than `max_docs` documents.
#[derive(Debug, Clone)]
pub(crate) struct MergeCeiling {
    /// The largest segment a merge may produce, in documents (articles and
    /// passages both count).
    pub max_docs: u32,
    /// How many segments of one size class wait for each other before they
    /// are merged, unless together they already fill half the ceiling.
    pub min_segments: usize,
}

/// About 60,000 Reuters-sized articles with their passages (a commit of
/// 20,000 writes about 66,000 documents, so two commits' segments merge and
/// the result is left alone): a merge of this many documents maps about
/// 45 MB of index files. With
/// 400,000, ten copies of Reuters-21578 peaked at 203-215 MB (the last
/// merges mapping 60 MB) against 163-178 MB now, while one copy, which
/// never merges, peaks at about 125 MB either way (BENCHMARKS.md, "Indexing
/// memory, round 5").
pub(crate) const MAX_MERGED_DOCS: u32 = 200_000;

impl Default for MergeCeiling {
    fn default() -> Self {
        MergeCeiling {
            max_docs: MAX_MERGED_DOCS,
            min_segments: 8,
        }
    }
}

/// Segments whose sizes are within this factor (log2) share a size class, as
/// in tantivy's `LogMergePolicy`.
const LEVEL_LOG_SIZE: f64 = 0.75;

/// Segments smaller than this count as this size when classed, so that many
/// tiny segments (one per small incremental run) fall into one class.
const MIN_LEVEL_DOCS: u32 = 10_000;

impl MergePolicy for MergeCeiling {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        // A segment holding half the ceiling or more is finished: merging it
        // with anything of its size would pass the ceiling. Deleted documents
        // do not count, so a segment shrunk by deletions can merge again.
        let mut open: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|segment| segment.num_docs() < self.max_docs / 2)
            .collect();
        open.sort_by_key(|segment| std::cmp::Reverse(segment.num_docs()));

        let mut candidates = Vec::new();
        let mut class: Vec<&SegmentMeta> = Vec::new();
        let mut class_top = f64::MAX;
        for segment in open {
            let size = f64::from(segment.num_docs().max(MIN_LEVEL_DOCS)).log2();
            if size < class_top - LEVEL_LOG_SIZE {
                self.take_groups(&class, &mut candidates);
                class.clear();
                class_top = size;
            }
            class.push(segment);
        }
        self.take_groups(&class, &mut candidates);
        candidates
    }
}

impl MergeCeiling {
    /// Cuts one size class into runs of at most `max_docs` documents and
    /// keeps those worth a merge: enough segments, or enough documents.
    fn take_groups(&self, class: &[&SegmentMeta], candidates: &mut Vec<MergeCandidate>) {
        let mut group = Vec::new();
        let mut docs = 0u64;
        let mut flush = |group: &mut Vec<&SegmentMeta>, docs: u64| {
            let full = docs >= u64::from(self.max_docs / 2);
            if group.len() >= self.min_segments || (group.len() >= 2 && full) {
                candidates.push(MergeCandidate(group.iter().map(|s| s.id()).collect()));
            }
            group.clear();
        };
        for &segment in class {
            let size = u64::from(segment.num_docs());
            if !group.is_empty() && docs + size > u64::from(self.max_docs) {
                flush(&mut group, docs);
                docs = 0;
            }
            group.push(segment);
            docs += size;
        }
        flush(&mut group, docs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;

    /// Segment descriptions of these sizes (no deletions), as a merge policy sees them.
    fn segments(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        sizes
            .iter()
            .map(|&docs| index.new_segment_meta(SegmentId::generate_random(), docs))
            .collect()
    }

    /// The policy the tests were written for: a ceiling of 400,000
    /// documents, eight segments to a class.
    fn ceiling() -> MergeCeiling {
        MergeCeiling {
            max_docs: 400_000,
            min_segments: 8,
        }
    }

    fn merged_sizes(policy: &MergeCeiling, metas: &[SegmentMeta]) -> Vec<Vec<u32>> {
        let size_of = |id: &SegmentId| {
            metas
                .iter()
                .find(|m| m.id() == *id)
                .map(SegmentMeta::num_docs)
                .unwrap()
        };
        let mut out: Vec<Vec<u32>> = policy
            .compute_merge_candidates(metas)
            .iter()
            .map(|c| c.0.iter().map(size_of).collect())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn no_merge_produces_more_documents_than_the_ceiling() {
        let policy = ceiling();
        let metas = segments(&[130_000; 10]);
        let merges = merged_sizes(&policy, &metas);
        assert_eq!(merges.len(), 3, "{merges:?}");
        for merge in &merges {
            assert!(merge.iter().sum::<u32>() <= policy.max_docs, "{merge:?}");
            assert!(merge.len() >= 2, "{merge:?}");
        }
    }

    #[test]
    fn segments_of_half_the_ceiling_or_more_are_left_alone() {
        let policy = ceiling();
        let metas = segments(&[200_000, 390_000, 250_000, 300_000]);
        assert!(merged_sizes(&policy, &metas).is_empty());
    }

    #[test]
    fn small_segments_wait_until_eight_of_a_size_class_exist() {
        let policy = ceiling();
        let seven = segments(&[900, 1_200, 40, 3_000, 700, 5, 2_000]);
        assert!(merged_sizes(&policy, &seven).is_empty());
        let eight = segments(&[900, 1_200, 40, 3_000, 700, 5, 2_000, 60]);
        assert_eq!(merged_sizes(&policy, &eight).len(), 1);
    }

    #[test]
    fn different_size_classes_are_not_merged_together() {
        let policy = ceiling();
        let mut sizes = vec![150_000, 150_000];
        sizes.extend([1_000; 3]);
        let metas = segments(&sizes);
        assert_eq!(merged_sizes(&policy, &metas), vec![vec![150_000, 150_000]]);
    }
}
