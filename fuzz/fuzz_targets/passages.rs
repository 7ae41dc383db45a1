//! The passage splitter: spans inside the body, in order, never overlapping.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let spec = dateline::Schema::default().passages;
    let spans = dateline::split_passages(body, &spec);
    let len = body.chars().count();
    let mut last_end = 0;
    for span in spans {
        assert!(span.start < span.end, "{span:?}");
        assert!(span.end <= len, "{span:?} past {len}");
        assert!(span.start >= last_end, "{span:?} overlaps");
        last_end = span.end;
    }
});
