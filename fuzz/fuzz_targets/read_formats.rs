//! Every format reader, through the decoder, on arbitrary bytes. The first
//! byte picks the format.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = ["a.txt", "a.md", "a.json", "a.jsonl", "a.sgm", "a.html"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let path = Path::new(NAMES[usize::from(pick) % NAMES.len()]);
    let contents = dateline::read_bytes(path, rest.to_vec());
    assert!(!contents.articles.is_empty() || !contents.problems.is_empty() || rest.is_empty());
    for article in &contents.articles {
        assert!(!article.id.is_empty());
        assert!(!article.body.contains('\r'));
    }
});
