//! A byte trie over the lower-cased names of the place and organization
//! tables, matched only where a word can start.
//!
//! Both tables are matched on word boundaries, so a name never starts
//! inside a word: walking a trie from each word start finds every
//! occurrence an Aho-Corasick automaton would, without its failure
//! transitions. Those make the automaton slow to build (tens of
//! milliseconds for the gazetteer, paid by every process that extracts) and
//! slower to run over every byte of the text than a walk that usually
//! stops after two or three bytes of a word.
//!
//! A name whose every spelling starts with a capital letter can only match
//! where the text has one (the matchers check the spelling's capitals), so
//! such names sit in a trie walked only from capitalised word starts; the
//! few others also sit in a small trie walked from every word start.

/// The tries of one table; pattern ids are the indexes of the keys.
#[derive(Debug)]
pub(crate) struct Dictionary {
    /// Every key.
    all: Trie,
    /// The keys of patterns that may start with a small letter.
    uncapitalised: Trie,
    /// True if a key starts with ASCII white space.
    starts_with_space: bool,
}

impl Dictionary {
    /// Builds the tries over `keys` (key `i` is pattern `i`);
    /// `capitalised(i)` says that pattern `i` only matches text that starts
    /// with an upper-case letter.
    pub fn new<K: AsRef<[u8]>>(keys: &[K], capitalised: impl Fn(usize) -> bool) -> Dictionary {
        let uncapitalised: Vec<&[u8]> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| if capitalised(i) { &[][..] } else { k.as_ref() })
            .collect();
        Dictionary {
            all: Trie::new(keys),
            uncapitalised: Trie::new(&uncapitalised),
            starts_with_space: keys
                .iter()
                .any(|k| k.as_ref().first().is_some_and(u8::is_ascii_whitespace)),
        }
    }

    /// True if some key starts with ASCII white space (none of the shipped
    /// names does, so word starts leave spaces out).
    pub fn starts_with_space(&self) -> bool {
        self.starts_with_space
    }

    /// The patterns whose key is exactly `key`, in ascending order.
    pub fn exact(&self, key: &[u8]) -> &[u32] {
        self.all.exact(key)
    }

    /// Calls `found(end, pattern)` for every key that is a prefix of
    /// `haystack[start..]`, lower-cased, and may match there (`capital`: the text has an
    /// upper-case letter at `start`), shortest first, the patterns of one
    /// key in ascending order.
    #[inline]
    pub fn prefixes_at(
        &self,
        haystack: &[u8],
        start: usize,
        capital: bool,
        found: impl FnMut(usize, u32),
    ) {
        let trie = if capital {
            &self.all
        } else {
            &self.uncapitalised
        };
        trie.prefixes_at(haystack, start, found);
    }
}

/// A node of the trie, stored on the edge that leads to it so a walk
/// reads one record per byte besides the labels it scans.
#[derive(Clone, Copy, Debug, Default)]
struct Node {
    /// First edge in `labels`/`nodes`; edges are sorted by label.
    edges: u32,
    /// Number of edges.
    edge_count: u32,
    /// First pattern in `patterns`.
    matches: u32,
    /// Number of patterns whose key ends at this node.
    match_count: u32,
}

/// One trie; pattern ids are the indexes of the keys it was built from.
#[derive(Debug)]
struct Trie {
    /// The node each first byte leads to (an empty node for a byte no key
    /// starts with).
    root: Box<[Node; 256]>,
    /// Edge labels, the edges of one node together.
    labels: Vec<u8>,
    /// The node each edge leads to, parallel to `labels`.
    nodes: Vec<Node>,
    /// Pattern ids, per node in ascending order (the order the automaton
    /// reported them in, which ties between equal candidates depend on).
    patterns: Vec<u32>,
}

/// Where a node is stored: in the root table or on an edge.
#[derive(Clone, Copy)]
enum Slot {
    Root(u8),
    Edge(u32),
}

impl Trie {
    /// Builds the trie over `keys`; key `i` is pattern `i`. Empty keys
    /// never match.
    fn new<K: AsRef<[u8]>>(keys: &[K]) -> Trie {
        let key = |i: u32| keys[i as usize].as_ref();
        // The first eight bytes, big-endian, order keys as their bytes do
        // but compare in one step: ties alone compare the whole keys.
        let prefix = |k: &[u8]| {
            let mut bytes = [0u8; 8];
            let n = k.len().min(8);
            bytes[..n].copy_from_slice(&k[..n]);
            u64::from_be_bytes(bytes)
        };
        let mut sorted: Vec<(u64, u32)> = (0..keys.len() as u32)
            .filter(|&i| !key(i).is_empty())
            .map(|i| (prefix(key(i)), i))
            .collect();
        // Sorting by key then id puts every node's keys in one run, its
        // patterns (keys ending there) first, in ascending id order. The
        // prefixes sort as plain numbers; the few runs of keys sharing
        // eight bytes are then sorted by their whole keys.
        sorted.sort_unstable();
        let mut lo = 0;
        while lo < sorted.len() {
            let hi = lo + sorted[lo..].partition_point(|&(p, _)| p == sorted[lo].0);
            if hi - lo > 1 {
                sorted[lo..hi].sort_unstable_by(|a, b| key(a.1).cmp(key(b.1)).then(a.1.cmp(&b.1)));
            }
            lo = hi;
        }
        let order: Vec<u32> = sorted.into_iter().map(|(_, i)| i).collect();

        let mut trie = Trie {
            root: Box::new([Node::default(); 256]),
            labels: Vec::with_capacity(keys.len() * 4),
            nodes: Vec::with_capacity(keys.len() * 4),
            patterns: Vec::with_capacity(keys.len()),
        };
        // Breadth first, so each node's edges are pushed together. A queue
        // entry is where a node goes, with its run of `order` and depth.
        let mut queue: std::collections::VecDeque<(Slot, usize, usize, usize)> =
            std::collections::VecDeque::new();
        let mut lo = 0;
        while lo < order.len() {
            let b = key(order[lo])[0];
            let hi = lo + order[lo..].partition_point(|&i| key(i)[0] == b);
            queue.push_back((Slot::Root(b), lo, hi, 1));
            lo = hi;
        }
        while let Some((slot, mut lo, hi, depth)) = queue.pop_front() {
            let matches = trie.patterns.len() as u32;
            while lo < hi && key(order[lo]).len() == depth {
                trie.patterns.push(order[lo]);
                lo += 1;
            }
            let edges = trie.labels.len() as u32;
            while lo < hi {
                let b = key(order[lo])[depth];
                let end = lo + order[lo..hi].partition_point(|&i| key(i)[depth] == b);
                queue.push_back((Slot::Edge(trie.labels.len() as u32), lo, end, depth + 1));
                trie.labels.push(b);
                trie.nodes.push(Node::default());
                lo = end;
            }
            let node = Node {
                edges,
                edge_count: trie.labels.len() as u32 - edges,
                matches,
                match_count: trie.patterns.len() as u32 - matches,
            };
            match slot {
                Slot::Root(b) => trie.root[usize::from(b)] = node,
                Slot::Edge(e) => trie.nodes[e as usize] = node,
            }
        }
        trie
    }

    /// The child of `node` along byte `b`.
    #[inline]
    fn child(&self, node: &Node, b: u8) -> Option<&Node> {
        let from = node.edges as usize;
        let labels = &self.labels[from..from + node.edge_count as usize];
        // Nodes near the root have a few dozen edges, deeper ones one or
        // two: a linear scan beats a binary search on most of them.
        let at = if labels.len() > 16 {
            labels.binary_search(&b).ok()?
        } else {
            labels.iter().position(|&l| l == b)?
        };
        Some(&self.nodes[from + at])
    }

    fn node_patterns(&self, node: &Node) -> &[u32] {
        let from = node.matches as usize;
        &self.patterns[from..from + node.match_count as usize]
    }

    fn exact(&self, key: &[u8]) -> &[u32] {
        let Some((&first, rest)) = key.split_first() else {
            return &[];
        };
        // Keys are lower-cased; the text is lower-cased byte by byte here
        // rather than copied whole (a huge body would be held twice).
        let mut node = &self.root[usize::from(first.to_ascii_lowercase())];
        for &b in rest {
            match self.child(node, b.to_ascii_lowercase()) {
                Some(c) => node = c,
                None => return &[],
            }
        }
        self.node_patterns(node)
    }

    #[inline]
    fn prefixes_at(&self, haystack: &[u8], start: usize, mut found: impl FnMut(usize, u32)) {
        let Some(&first) = haystack.get(start) else {
            return;
        };
        // Keys are lower-cased; the text is lower-cased byte by byte here
        // rather than copied whole (a huge body would be held twice).
        let mut node = &self.root[usize::from(first.to_ascii_lowercase())];
        let mut end = start + 1;
        loop {
            if node.match_count > 0 {
                for &p in self.node_patterns(node) {
                    found(end, p);
                }
            }
            if node.edge_count == 0 {
                return;
            }
            let Some(&b) = haystack.get(end) else { return };
            match self.child(node, b.to_ascii_lowercase()) {
                Some(c) => node = c,
                None => return,
            }
            end += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (start, end, pattern) occurrence, by brute force.
    fn occurrences(keys: &[&str], hay: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for start in 0..hay.len() {
            for (i, k) in keys.iter().enumerate() {
                if !k.is_empty() && hay.as_bytes()[start..].starts_with(k.as_bytes()) {
                    out.push((start, start + k.len(), i as u32));
                }
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn prefix_walks_find_every_occurrence_a_brute_force_scan_finds() {
        let keys = [
            "new york",
            "new",
            "york",
            "new york city",
            "ne",
            "",
            "yo",
            "new",
            "é",
            "éa",
        ];
        let dict = Dictionary::new(&keys, |_| false);
        let hay = "in new york city, new yorkers ate éa; ne";
        let mut found = Vec::new();
        for start in 0..hay.len() {
            dict.prefixes_at(hay.as_bytes(), start, false, |end, p| {
                found.push((start, end, p))
            });
        }
        found.sort_unstable();
        assert_eq!(found, occurrences(&keys, hay));
    }

    #[test]
    fn exact_lookup_returns_every_pattern_of_a_key_in_order() {
        let dict = Dictionary::new(&["mali", "malinas", "mali", "ma"], |_| true);
        assert_eq!(dict.exact(b"mali"), &[0, 2]);
        assert_eq!(dict.exact(b"ma"), &[3]);
        assert!(dict.exact(b"mal").is_empty());
        assert!(dict.exact(b"").is_empty());
        assert!(dict.exact(b"malinasx").is_empty());
    }

    #[test]
    fn capitalised_patterns_are_walked_only_from_a_capital() {
        let dict = Dictionary::new(&["paris", "de gaulle"], |i| i == 0);
        let walk = |capital: bool, hay: &str| {
            let mut found = Vec::new();
            dict.prefixes_at(hay.as_bytes(), 0, capital, |end, p| found.push((end, p)));
            found
        };
        assert_eq!(walk(true, "paris"), vec![(5, 0)]);
        assert!(walk(false, "paris").is_empty());
        assert_eq!(walk(false, "de gaulle"), vec![(9, 1)]);
        assert_eq!(walk(true, "de gaulle"), vec![(9, 1)]);
    }

    #[test]
    fn a_node_with_many_edges_is_searched_correctly() {
        let keys: Vec<String> = (b'a'..=b'z').map(|c| format!("x{}", c as char)).collect();
        let dict = Dictionary::new(&keys, |_| true);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(dict.exact(k.as_bytes()), &[i as u32]);
        }
        assert!(dict.exact(b"x{").is_empty());
    }
}
