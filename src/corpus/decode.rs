//! Reading a file's bytes and decoding them into clean text.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::{Problem, ProblemKind};

/// How many leading bytes the binary check looks at.
const SNIFF_BYTES: usize = 8 * 1024;

/// Reads a whole file, refusing files over `max_size` bytes before reading
/// them (and again while reading, in case the file grows or lies about its
/// size, as files under `/proc` do).
pub(crate) fn read_limited(path: &Path, max_size: u64) -> Result<Vec<u8>, Problem> {
    let unreadable = |err: io::Error| Problem::new(path, ProblemKind::Unreadable, io_message(&err));
    let too_large = |size: String| {
        Problem::new(
            path,
            ProblemKind::TooLarge,
            format!("{size} bytes, more than the limit of {max_size} bytes"),
        )
    };
    let file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(Problem::new(
            path,
            ProblemKind::Unreadable,
            "is a directory",
        ));
    }
    if metadata.len() > max_size {
        return Err(too_large(metadata.len().to_string()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(format!("at least {}", bytes.len())));
    }
    Ok(bytes)
}

/// Returns a lowercase description of an I/O error, without the OS error code.
pub(crate) fn io_message(err: &io::Error) -> String {
    let message = match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = err.to_string();
            // Drop the " (os error N)" suffix: it helps nobody reading a report.
            let text = match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            lowercase_first(&text)
        }
    };
    format!("cannot read: {message}")
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text decoded from a file, with an optional warning about how.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub warning: Option<Warning>,
}

/// A warning that the text was not valid UTF-8 and was decoded otherwise.
#[derive(Debug)]
pub(crate) struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

/// Decodes bytes into text, or returns why the bytes are binary.
///
/// A byte order mark wins (UTF-8, UTF-16 LE or BE); otherwise the bytes are
/// UTF-8 if they are valid UTF-8, else Windows-1252 (a superset of Latin-1
/// for printable text), with a warning. Binary means more than 1% of the
/// first 8 KB are NUL or control characters other than tab, LF, CR and FF;
/// for UTF-16 the check runs on the decoded characters. Then CRLF and lone
/// CR become LF, and remaining control characters (FF included) become
/// spaces, so a page break on its own line reads as a blank line.
#[cfg(test)]
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    decode_owned(bytes.to_vec())
}

/// Decodes like [`decode`], taking the bytes: valid UTF-8 without control
/// characters (the usual case) becomes the text without a copy, which keeps
/// a file of hundreds of megabytes from being held two or three times.
pub(crate) fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, String> {
    let (raw, warning) = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        check_bytes(&bytes)?;
        decode_8bit(bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (check_chars(decode_16(rest, true))?, None)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (check_chars(decode_16(rest, false))?, None)
    } else {
        check_bytes(&bytes)?;
        decode_8bit(bytes)
    };
    let needs_cleaning = raw.starts_with('\u{FEFF}') || has_control(&raw);
    Ok(Decoded {
        text: if needs_cleaning { clean(&raw) } else { raw },
        warning,
    })
}

/// Says whether the text holds a control character other than `\n` and
/// `\t` (`\r` included), as `char::is_control` defines them: U+0000 to
/// U+001F, U+007F, and U+0080 to U+009F, which UTF-8 writes as `C2 80` to
/// `C2 9F`. Scans bytes rather than decoded characters: this runs on every
/// file read.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\n' && b != b'\t')
            || b == 0x7F
            || (b == 0xC2
                && bytes
                    .get(i + 1)
                    .is_some_and(|next| (0x80..=0x9F).contains(next)))
    })
}

fn decode_16(bytes: &[u8], little_endian: bool) -> String {
    let encoding = if little_endian { UTF_16LE } else { UTF_16BE };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

fn decode_8bit(bytes: Vec<u8>) -> (String, Option<Warning>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            let byte = bytes.get(at).copied().unwrap_or(0);
            let text = WINDOWS_1252
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned();
            let message = format!("not valid UTF-8 (byte `0x{byte:02X}`), decoded as Windows-1252");
            (
                text,
                Some(Warning {
                    line: Some(line),
                    message,
                }),
            )
        }
    }
}

fn is_binary_control(c: u32) -> bool {
    (c < 0x20 && !matches!(c, 0x09 | 0x0A | 0x0C | 0x0D)) || c == 0x7F
}

fn check_bytes(bytes: &[u8]) -> Result<(), String> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = head
        .iter()
        .filter(|&&b| is_binary_control(u32::from(b)))
        .count();
    binary_verdict(controls, head.len(), "bytes")
}

fn check_chars(text: String) -> Result<String, String> {
    // Two bytes per UTF-16 code unit: 4096 characters are about the first 8 KB.
    let head = text.chars().take(SNIFF_BYTES / 2);
    let (mut total, mut controls) = (0, 0);
    for c in head {
        total += 1;
        if is_binary_control(u32::from(c)) {
            controls += 1;
        }
    }
    binary_verdict(controls, total, "characters")?;
    Ok(text)
}

/// Below this many units the 1% rule counts as if the text were this long:
/// a short article with one stray NUL or escape (2 in 160 bytes) is text
/// with a glitch, not a binary file.
const BINARY_MIN_SPAN: usize = 512;

fn binary_verdict(controls: usize, total: usize, unit: &str) -> Result<(), String> {
    if controls * 100 > total.max(BINARY_MIN_SPAN) {
        Err(format!(
            "binary file: {controls} of the first {total} {unit} are NUL or control characters"
        ))
    } else {
        Ok(())
    }
}

/// Normalises line endings and turns control characters into spaces.
fn clean(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            // C0 and C1 controls (and DEL): a few stray ones are noise, not text.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        decode(bytes).expect("text").text
    }

    #[test]
    fn utf8_is_decoded_without_warning() {
        let decoded = decode("Zürich – café".as_bytes()).unwrap();
        assert_eq!(decoded.text, "Zürich – café");
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(text(b"\xEF\xBB\xBFhello"), "hello");
    }

    #[test]
    fn utf16_le_and_be_with_bom_are_decoded() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Día\r\nx".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Día\r\nx".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(text(&le), "Día\nx");
        assert_eq!(text(&be), "Día\nx");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_with_a_warning_and_line() {
        let decoded = decode(b"first\nMot\xE9 na \x93rua\x94").unwrap();
        assert_eq!(decoded.text, "first\nMoté na \u{201C}rua\u{201D}");
        let warning = decoded.warning.unwrap();
        assert_eq!(warning.line, Some(2));
        assert!(warning.message.contains("`0xE9`"), "{}", warning.message);
    }

    #[test]
    fn more_than_one_percent_control_bytes_is_binary() {
        let mut bytes = vec![b'a'; 1000];
        for b in bytes.iter_mut().take(11) {
            *b = 0;
        }
        assert_eq!(
            decode(&bytes).unwrap_err(),
            "binary file: 11 of the first 1000 bytes are NUL or control characters"
        );
        // Exactly 1% is still text; the NULs become spaces.
        let mut bytes = vec![b'a'; 1000];
        bytes[5] = 0;
        bytes[500] = 0x07;
        bytes[900] = 0x1B;
        let decoded = text(&bytes[..]);
        assert_eq!(decoded.chars().filter(|&c| c == ' ').count(), 3);
    }

    #[test]
    fn a_short_text_with_a_few_stray_control_bytes_is_text() {
        let bytes = b"Ships wait\x00 outside port\n\nThe crews were\x1b told to wait.\n";
        assert!(decode(bytes).is_ok());
        assert!(decode(&[0u8; 40]).is_err(), "all NULs stays binary");
    }

    #[test]
    fn binary_check_only_looks_at_the_first_8_kb() {
        let mut bytes = vec![b'a'; 20_000];
        for b in bytes.iter_mut().skip(10_000).take(500) {
            *b = 0;
        }
        assert!(decode(&bytes).is_ok());
    }

    #[test]
    fn tab_form_feed_and_line_breaks_do_not_count_as_binary() {
        let bytes = b"a\tb\x0Cc\r\nd\re\n".repeat(50);
        let decoded = text(&bytes);
        assert!(decoded.starts_with("a\tb c\nd\ne\n"));
    }

    #[test]
    fn utf16_is_checked_for_binary_after_decoding() {
        // In UTF-16 every ASCII character has a NUL byte; that is not binary.
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "plain words "
                    .repeat(200)
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert!(decode(&le).is_ok());
        let junk: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "\u{1}\u{2}ab"
                    .repeat(200)
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert!(decode(&junk).is_err());
    }

    #[test]
    fn files_over_the_size_limit_are_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        let problem = read_limited(&path, 99).unwrap_err();
        assert_eq!(problem.kind, ProblemKind::TooLarge);
        assert_eq!(
            problem.message,
            "100 bytes, more than the limit of 99 bytes"
        );
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
    }

    #[test]
    fn a_missing_file_is_unreadable() {
        let problem = read_limited(Path::new("/definitely/not/here.txt"), 10).unwrap_err();
        assert_eq!(problem.kind, ProblemKind::Unreadable);
        assert_eq!(problem.message, "cannot read: no such file or directory");
    }

    #[test]
    fn control_scan_over_bytes_agrees_with_char_is_control() {
        let samples = [
            "plain text\nwith\ttabs",
            "carriage\r\nreturn",
            "bell\u{7}",
            "delete\u{7f}",
            "c1 \u{85} next line",
            "c1 \u{9f} last",
            "not c1: \u{a0} \u{c0} é \u{2028}",
            "",
        ];
        for text in samples {
            let by_chars = text
                .chars()
                .any(|c| c == '\r' || (c.is_control() && c != '\n' && c != '\t'));
            assert_eq!(has_control(text), by_chars, "{text:?}");
        }
    }
}
