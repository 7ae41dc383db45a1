//! Rebuilding a file's text into its own buffer.
//!
//! A reader whose body is never much longer than the text it comes from
//! can write the body over the text it has already read, so that a huge
//! file is held once rather than once as text and again as body. The
//! reader copies a piece of the text it is about to read into a small
//! scratch string ([`InPlace::piece`]), which frees that part of the
//! buffer, and writes what it makes of it with [`InPlace::push`].
//!
//! Output that would run past the part already freed waits in a queue until
//! more is freed, so the rebuild is correct whatever the output's length;
//! it is only in place while the output keeps behind the reading.

use std::collections::VecDeque;
use std::ops::Range;

/// Pieces of the text are copied out this large (or up to the next place a
/// reader can cut at): small beside a huge file, large enough that the
/// copy costs nothing beside parsing it.
pub(crate) const PIECE: usize = 1 << 20;

/// A body being written over the text it is read from.
pub(crate) struct InPlace {
    buf: Vec<u8>,
    /// Bytes of output at the front of `buf`.
    written: usize,
    /// Everything before this offset has been read and may be overwritten.
    free_until: usize,
    /// Output that did not fit yet, in order after `buf[..written]`.
    pending: VecDeque<u8>,
}

impl InPlace {
    /// Takes the text to rebuild; nothing of it is free yet.
    pub(crate) fn new(text: String) -> InPlace {
        InPlace {
            buf: text.into_bytes(),
            written: 0,
            free_until: 0,
            pending: VecDeque::new(),
        }
    }

    /// Copies `range` of the original text into `scratch` (cleared first)
    /// and frees the buffer up to the range's end. The range must start at
    /// or after what was freed before and lie on character boundaries.
    pub(crate) fn piece(&mut self, range: Range<usize>, scratch: &mut String) {
        scratch.clear();
        let start = range.start.max(self.free_until).min(self.buf.len());
        let end = range.end.clamp(start, self.buf.len());
        // The bytes past `free_until` are still the text's: valid UTF-8,
        // cut where the caller says lines start.
        scratch.push_str(&String::from_utf8_lossy(&self.buf[start..end]));
        self.free(end);
    }

    /// Where a piece of the text from `from` up to `to` ends: on a
    /// character boundary, at least one character in (for readers that
    /// may cut anywhere).
    pub(crate) fn boundary(&self, from: usize, to: usize) -> usize {
        let is_start = |at: usize| self.buf.get(at).is_none_or(|b| (b & 0xC0) != 0x80);
        let mut end = to.min(self.buf.len());
        while end > from && !is_start(end) {
            end -= 1;
        }
        if end > from {
            return end;
        }
        let mut end = from + 1;
        while end < self.buf.len() && !is_start(end) {
            end += 1;
        }
        end.min(self.buf.len())
    }

    /// Frees the buffer up to `until` (already read), and moves waiting
    /// output into the freed room.
    pub(crate) fn free(&mut self, until: usize) {
        self.free_until = self.free_until.max(until.min(self.buf.len()));
        while self.written < self.free_until {
            let Some(byte) = self.pending.pop_front() else {
                break;
            };
            self.buf[self.written] = byte;
            self.written += 1;
        }
    }

    /// Appends output.
    pub(crate) fn push(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        if !self.pending.is_empty() {
            self.pending.extend(bytes);
            return;
        }
        let room = self.free_until - self.written;
        let now = room.min(bytes.len());
        self.buf[self.written..self.written + now].copy_from_slice(&bytes[..now]);
        self.written += now;
        self.pending.extend(&bytes[now..]);
    }

    /// Returns the output, in the text's buffer.
    pub(crate) fn finish(self) -> String {
        let InPlace {
            mut buf,
            written,
            pending,
            ..
        } = self;
        buf.truncate(written);
        buf.extend(pending);
        // Whole `&str` pieces were written in order, so this is UTF-8.
        String::from_utf8(buf)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
    }
}

/// The ends of pieces of `text[range]` of at least [`PIECE`] bytes, each
/// cut right after the next `"\n\n"` (so at the start of the line after an
/// empty one); the last piece ends at `range.end`. Text without empty lines
/// is one piece.
pub(crate) fn cuts_at_empty_lines(text: &str, range: Range<usize>) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut from = range.start;
    while range.end - from > PIECE {
        let search = from + PIECE;
        match first_empty_line(&bytes[search..range.end]) {
            Some(at) => {
                let cut = search + at + 2;
                if cut >= range.end {
                    break;
                }
                cuts.push(cut);
                from = cut;
            }
            None => break,
        }
    }
    cuts.push(range.end);
    cuts
}

/// The offset of the first `"\n\n"`.
fn first_empty_line(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|pair| pair == b"\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_that_keeps_behind_the_reading_is_written_in_place() {
        let mut out = InPlace::new("abcdef".to_string());
        let mut scratch = String::new();
        out.piece(0..3, &mut scratch);
        assert_eq!(scratch, "abc");
        out.push("X");
        out.piece(3..6, &mut scratch);
        assert_eq!(scratch, "def");
        out.push("YZ");
        assert_eq!(out.finish(), "XYZ");
    }

    #[test]
    fn output_running_ahead_of_the_reading_waits_and_stays_in_order() {
        let mut out = InPlace::new("ab\ncd".to_string());
        let mut scratch = String::new();
        out.piece(0..3, &mut scratch);
        out.push("ab\n\n");
        out.push("é");
        out.piece(3..5, &mut scratch);
        assert_eq!(scratch, "cd");
        out.push("cd");
        assert_eq!(out.finish(), "ab\n\nécd");
    }

    #[test]
    fn pieces_end_after_empty_lines_and_cover_the_range() {
        let para = "x".repeat(PIECE / 2);
        let text = format!("{para}\n\n{para}\n\n{para}\n\n{para}");
        let cuts = cuts_at_empty_lines(&text, 0..text.len());
        assert_eq!(cuts.last(), Some(&text.len()));
        assert!(cuts.len() >= 2, "{cuts:?}");
        for cut in &cuts[..cuts.len() - 1] {
            assert_eq!(&text[cut - 2..*cut], "\n\n");
        }
        assert_eq!(cuts_at_empty_lines("no empty line", 0..13), [13]);
    }
}
