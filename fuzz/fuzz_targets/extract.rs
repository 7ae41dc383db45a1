//! Extraction: entity spans inside their part of the article.

#![no_main]

use std::sync::OnceLock;

use dateline::Article;
use dateline::{Extractor, Part};
use libfuzzer_sys::fuzz_target;

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|text: &str| {
    // A first line is the title, the rest the body.
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let article = Article {
        id: "fuzz".to_string(),
        title: (!title.is_empty()).then(|| title.to_string()),
        body: body.to_string(),
        ..Article::default()
    };
    let entities = EXTRACTOR.get_or_init(Extractor::new).extract(&article);
    let spans = entities
        .locations
        .iter()
        .flat_map(|l| &l.spans)
        .chain(entities.organizations.iter().flat_map(|o| &o.spans));
    for span in spans {
        let len = match span.part {
            Part::Title => title.chars().count(),
            Part::Body => body.chars().count(),
        };
        assert!(
            span.start < span.end && span.end <= len,
            "{span:?} of {len}"
        );
    }
});
