//! What an article document stores, packed into one zstd frame per
//! article, compressed with a dictionary trained on the index's own first
//! articles.
//!
//! Tantivy's doc store compresses documents in blocks, so reading one
//! article decompressed its whole block (four of Reuters' articles, most
//! of what a search spends on the articles it shows). A frame per article
//! is decompressed alone, and a dictionary holds what articles of one
//! archive share (the metadata's shape, agency boilerplate, common words),
//! so the frames are smaller than the blocks were in total.
//!
//! A packed record is one header byte then a zstd frame. The header's top
//! two bits are the format (0: zstd), its low six bits the dictionary
//! (0: none, `n`: the index's file `.dateline-dictionary-n`). Decompressed,
//! a record is the title's length plus one (0: no title) and the body's
//! length as LEB128 numbers, then the title, the body and the metadata.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::directory::Directory;
use zstd::zstd_safe::{CCtx, CDict, DCtx, DDict};

use crate::error::{Error, Result};

/// zstd level of the frames: level 3 with the dictionary packed
/// Reuters-21578's articles into 9.3 MB where tantivy's level 4 in 5.5 KiB
/// blocks took 11.0 MB; higher levels cost indexing time for little.
const LEVEL: i32 = 3;

/// Largest dictionary trained, in bytes (zstd's default size).
const DICTIONARY_BYTES: usize = 64 * 1024;

/// Bytes of records a run gathers from its first articles before it trains
/// the index's dictionary (see BENCHMARKS.md, "Articles compressed one by
/// one, round 6", for the sizes measured). Until then the writer holds
/// those articles back, so this bounds what it holds.
pub(crate) const TRAINING_BYTES: usize = 512 * 1024;

/// Fewer samples than this and zstd's trainer fails or learns nothing.
const TRAINING_MIN_SAMPLES: usize = 64;

/// Dictionaries are numbered 1 to 63 (six bits of the header).
const MAX_DICTIONARIES: u8 = 63;

/// A decompressed record larger than this is taken for damage, not
/// allocated: a body stored whole is at most 8 MiB and its metadata of the
/// same order.
const MAX_RECORD_BYTES: u64 = 256 << 20;

/// The name of dictionary `number` in the index directory.
///
/// Tantivy's garbage collection deletes only the files it manages, and it
/// never manages a name that starts with a dot.
pub(crate) fn dictionary_file(number: u8) -> PathBuf {
    PathBuf::from(format!(".dateline-dictionary-{number}"))
}

/// Lays out the stored parts of an article (see the module docs).
pub(crate) fn record(title: Option<&str>, body: &str, meta: &str) -> Vec<u8> {
    let title_len = title.map_or(0, str::len);
    let mut out = Vec::with_capacity(20 + title_len + body.len() + meta.len());
    write_number(&mut out, title.map_or(0, |t| t.len() as u64 + 1));
    write_number(&mut out, body.len() as u64);
    out.extend_from_slice(title.unwrap_or_default().as_bytes());
    out.extend_from_slice(body.as_bytes());
    out.extend_from_slice(meta.as_bytes());
    out
}

fn write_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_number(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

/// The stored parts of an article document, decompressed.
#[derive(Debug)]
pub(crate) struct StoredParts {
    text: String,
    title: Option<Range<usize>>,
    body: Range<usize>,
}

impl StoredParts {
    /// Reads a decompressed record; `None` when it is not one.
    pub(crate) fn parse(mut bytes: Vec<u8>) -> Option<StoredParts> {
        let mut at = 0;
        let title_len = read_number(&bytes, &mut at)?;
        let body_len = read_number(&bytes, &mut at)?;
        bytes.drain(..at);
        let text = String::from_utf8(bytes).ok()?;
        let title_end = usize::try_from(title_len.saturating_sub(1)).ok()?;
        let body_end = title_end.checked_add(usize::try_from(body_len).ok()?)?;
        if body_end > text.len()
            || !text.is_char_boundary(title_end)
            || !text.is_char_boundary(body_end)
        {
            return None;
        }
        Some(StoredParts {
            title: (title_len > 0).then_some(0..title_end),
            body: title_end..body_end,
            text,
        })
    }

    /// The headline, if the article has one.
    pub(crate) fn title(&self) -> Option<&str> {
        self.title.clone().map(|r| &self.text[r])
    }

    /// The body; empty when it is stored in pieces on the passages.
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// The metadata as stored (see `document::Meta`).
    pub(crate) fn meta(&self) -> &str {
        &self.text[self.body.end..]
    }
}

/// The dictionaries of an index, as loaded.
#[derive(Default)]
pub(crate) struct Dictionaries {
    /// Decoders by number - 1; `None` for one not loaded (yet).
    decoders: Vec<Option<DDict<'static>>>,
    /// The newest dictionary, the one new articles are compressed with.
    encoder: Option<Encoder>,
}

/// The newest dictionary, prepared for compression on first use: a search
/// never compresses, and preparing it (hash tables for level 3) costs a
/// one-shot `dateline search` more than loading the decoders.
struct Encoder {
    number: u8,
    bytes: Vec<u8>,
    /// `None` when zstd cannot prepare it: articles are then compressed
    /// without (the same dictionary decodes, or reports, what reads them).
    cdict: std::sync::OnceLock<Option<CDict<'static>>>,
}

impl Dictionaries {
    /// True when articles are compressed with a dictionary.
    pub(crate) fn has_encoder(&self) -> bool {
        self.encoder.is_some()
    }

    /// Compresses a record (from [`record`]) into its stored form, with the
    /// newest dictionary if there is one.
    pub(crate) fn pack(&self, cctx: &mut CCtx<'static>, record: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; 1 + zstd::zstd_safe::compress_bound(record.len())];
        let prepared = self.encoder.as_ref().and_then(|encoder| {
            let cdict = encoder
                .cdict
                .get_or_init(|| CDict::try_create(&encoder.bytes, LEVEL));
            cdict.as_ref().map(|cdict| (encoder.number, cdict))
        });
        let written = match prepared {
            Some((number, cdict)) => {
                out[0] = number;
                cctx.compress_using_cdict(&mut out[1..], record, cdict)
            }
            None => cctx.compress(&mut out[1..], record, LEVEL),
        };
        // The buffer holds zstd's bound for the input, so compressing
        // cannot run out of room.
        let written = written.expect("zstd compresses into a buffer of its bound");
        out.truncate(1 + written);
        out
    }
}

/// An index's dictionaries and a pool of decompression contexts.
pub(crate) struct Packs {
    /// The index directory, for messages (`<memory>` for an index in RAM).
    place: PathBuf,
    dictionaries: RwLock<Arc<Dictionaries>>,
    /// Contexts reused by searches: one costs about 100 KB to set up.
    contexts: Mutex<Vec<DCtx<'static>>>,
}

impl Packs {
    /// Loads every dictionary the index directory holds.
    pub(crate) fn open(directory: &dyn Directory, place: Option<&Path>) -> Result<Packs> {
        let place = place.map_or_else(|| PathBuf::from("<memory>"), Path::to_path_buf);
        let dictionaries = load_all(directory, &place)?;
        Ok(Packs {
            place,
            dictionaries: RwLock::new(Arc::new(dictionaries)),
            contexts: Mutex::new(Vec::new()),
        })
    }

    /// The dictionaries as loaded now.
    pub(crate) fn current(&self) -> Arc<Dictionaries> {
        Arc::clone(&self.dictionaries.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Trains a dictionary on `samples` (records laid end to end, of
    /// `sizes` bytes each), writes it into the index directory as the next
    /// number and makes it the one new articles are compressed with.
    ///
    /// `Ok(false)` when zstd could not train one from these samples or the
    /// numbers are used up: articles are then compressed without.
    pub(crate) fn train(
        &self,
        directory: &dyn Directory,
        samples: &[u8],
        sizes: &[usize],
    ) -> Result<bool> {
        let current = self.current();
        let number = current.decoders.len() as u8 + 1;
        if sizes.len() < TRAINING_MIN_SAMPLES || number > MAX_DICTIONARIES {
            return Ok(false);
        }
        let Ok(dictionary) = zstd::dict::from_continuous(samples, sizes, DICTIONARY_BYTES) else {
            return Ok(false);
        };
        let path = dictionary_file(number);
        let mut file = dictionary.clone();
        file.extend_from_slice(&checksum(&dictionary).to_le_bytes());
        directory
            .atomic_write(&path, &file)
            .map_err(|e| Error::io(self.place.join(&path), e))?;
        let next = load_all(directory, &self.place)?;
        *self.dictionaries.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        Ok(true)
    }

    /// Decompresses a packed record read from the article document
    /// `what` (for messages).
    pub(crate) fn unpack(
        &self,
        directory: &dyn Directory,
        packed: &[u8],
        what: &dyn Fn() -> String,
    ) -> Result<StoredParts> {
        let damaged = |message: String| Error::Damaged {
            path: self.place.clone(),
            message: format!("{}: {message}", what()),
        };
        let (&header, frame) = packed
            .split_first()
            .ok_or_else(|| damaged("the stored record is empty".to_string()))?;
        if header >> 6 != 0 {
            return Err(damaged(format!("unknown record format {}", header >> 6)));
        }
        let number = header & 0x3f;
        let size = match zstd::zstd_safe::get_frame_content_size(frame) {
            Ok(Some(size)) if size <= MAX_RECORD_BYTES => size as usize,
            _ => return Err(damaged("the stored record is not a zstd frame".to_string())),
        };
        let mut dictionaries = self.current();
        if number != 0
            && dictionaries
                .decoders
                .get(usize::from(number) - 1)
                .is_none_or(Option::is_none)
        {
            // Trained by a run of another process since this one opened.
            self.reload(directory, number)?;
            dictionaries = self.current();
        }
        let mut context = self
            .contexts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_else(DCtx::create);
        let mut out = Vec::with_capacity(size);
        let result = match number {
            0 => context.decompress(&mut out, frame),
            n => match dictionaries.decoders.get(usize::from(n) - 1) {
                Some(Some(ddict)) => context.decompress_using_ddict(&mut out, frame, ddict),
                // Its file is there but an older one is not.
                _ => {
                    return Err(Error::Damaged {
                        path: self.place.join(dictionary_file(n - 1)),
                        message: "a dictionary before the one stored articles name is missing"
                            .to_string(),
                    });
                }
            },
        };
        self.contexts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(context);
        match result {
            Ok(n) if n == size => {}
            Ok(_) => {
                return Err(damaged(
                    "the stored record has the wrong length".to_string(),
                ));
            }
            Err(code) => {
                return Err(damaged(format!(
                    "the stored record does not decompress ({})",
                    zstd::zstd_safe::get_error_name(code)
                )));
            }
        }
        StoredParts::parse(out).ok_or_else(|| damaged("the stored record is malformed".to_string()))
    }

    /// Loads dictionary `number`, which a record names but this index has
    /// not loaded; an error naming its file when it is not there.
    fn reload(&self, directory: &dyn Directory, number: u8) -> Result<()> {
        if read_dictionary(directory, &self.place, number)?.is_none() {
            return Err(Error::Damaged {
                path: self.place.join(dictionary_file(number)),
                message: "the dictionary that stored articles name is missing".to_string(),
            });
        }
        let next = load_all(directory, &self.place)?;
        *self.dictionaries.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        Ok(())
    }
}

impl Dictionaries {
    /// Prepares dictionary `number` for decompression, and for compression
    /// when it is the newest.
    fn set(&mut self, number: u8, bytes: &[u8], place: &Path) -> Result<()> {
        let unusable = || Error::Damaged {
            path: place.join(dictionary_file(number)),
            message: "the dictionary cannot be loaded".to_string(),
        };
        let index = usize::from(number) - 1;
        if self.decoders.len() <= index {
            self.decoders.resize_with(index + 1, || None);
        }
        self.decoders[index] = Some(DDict::try_create(bytes).ok_or_else(unusable)?);
        if self.encoder.as_ref().is_none_or(|e| e.number < number) {
            self.encoder = Some(Encoder {
                number,
                bytes: bytes.to_vec(),
                cdict: std::sync::OnceLock::new(),
            });
        }
        Ok(())
    }
}

/// Loads every dictionary of the index: files 1, 2, ... up to the first
/// number with none.
fn load_all(directory: &dyn Directory, place: &Path) -> Result<Dictionaries> {
    let mut dictionaries = Dictionaries::default();
    for number in 1..=MAX_DICTIONARIES {
        let Some(bytes) = read_dictionary(directory, place, number)? else {
            break;
        };
        dictionaries.set(number, &bytes, place)?;
    }
    Ok(dictionaries)
}

/// Reads dictionary `number` and checks it; `None` when there is no such file.
fn read_dictionary(directory: &dyn Directory, place: &Path, number: u8) -> Result<Option<Vec<u8>>> {
    let path = dictionary_file(number);
    let full = place.join(&path);
    if !directory.exists(&path).unwrap_or(false) {
        return Ok(None);
    }
    let mut bytes = directory.atomic_read(&path).map_err(|e| Error::Damaged {
        path: full.clone(),
        message: format!("the dictionary cannot be read ({e})"),
    })?;
    let damaged = || Error::Damaged {
        path: full.clone(),
        message: "the dictionary is damaged (its checksum does not match)".to_string(),
    };
    if bytes.len() < 8 {
        return Err(damaged());
    }
    let sum = bytes.split_off(bytes.len() - 8);
    if sum != checksum(&bytes).to_le_bytes() {
        return Err(damaged());
    }
    Ok(Some(bytes))
}

/// 64-bit FNV-1a: a damaged dictionary would otherwise load (zstd takes
/// any bytes as a raw-content dictionary) and decode every article wrong.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_every_part_including_empty_and_non_ascii_ones() {
        for (title, body, meta) in [
            (
                Some("Côte d'Ivoire: ΣΊΣΥΦΟΣ"),
                "Abidjan — 日本語 body.",
                "[1,\"x\"]",
            ),
            (Some(""), "", ""),
            (None, "body only", "[]"),
            (None, "", ""),
        ] {
            let bytes = record(title, body, meta);
            let parts = StoredParts::parse(bytes).expect("parses");
            assert_eq!(parts.title(), title);
            assert_eq!(parts.body(), body);
            assert_eq!(parts.meta(), meta);
        }
    }

    #[test]
    fn a_record_cut_inside_a_character_or_too_short_is_not_read() {
        let bytes = record(Some("é"), "b", "m");
        // Title length 1 cuts "é" in half.
        let mut cut = bytes.clone();
        cut[0] = 2;
        assert!(StoredParts::parse(cut).is_none());
        let mut long = bytes.clone();
        long[1] = 100;
        assert!(StoredParts::parse(long).is_none());
        assert!(StoredParts::parse(vec![0x80; 12]).is_none());
        assert!(StoredParts::parse(Vec::new()).is_none());
    }

    fn samples(n: usize) -> (Vec<u8>, Vec<usize>) {
        let mut all = Vec::new();
        let mut sizes = Vec::new();
        for i in 0..n {
            let r = record(
                Some(&format!("Grain exports rise {i}")),
                &format!(
                    "WASHINGTON, March {} - Wheat exports rose {} pct in the week, the \
                     Agriculture Department said. Corn shipments fell to {} tonnes.",
                    i % 28 + 1,
                    i % 17,
                    i * 1000 % 7919
                ),
                &format!(
                    "[null,null,\"Reuters\",\"1987-03-{:02}\",\"m\",[]]",
                    i % 28 + 1
                ),
            );
            sizes.push(r.len());
            all.extend(r);
        }
        (all, sizes)
    }

    #[test]
    fn records_packed_before_and_after_training_both_read_back() {
        let directory = tantivy::directory::RamDirectory::create();
        let packs = Packs::open(&directory, None).unwrap();
        let mut cctx = CCtx::create();
        let before = record(Some("Before"), "Written before any dictionary.", "[]");
        let packed_before = packs.current().pack(&mut cctx, &before);
        assert_eq!(packed_before[0], 0);
        let (all, sizes) = samples(400);
        assert!(packs.train(&directory, &all, &sizes).unwrap());
        let after = record(
            Some("Grain exports rise 9999"),
            "WASHINGTON, March 3 - Wheat.",
            "[]",
        );
        let packed_after = packs.current().pack(&mut cctx, &after);
        assert_eq!(packed_after[0], 1);
        let none = || "test".to_string();
        for (packed, title) in [
            (&packed_before, "Before"),
            (&packed_after, "Grain exports rise 9999"),
        ] {
            let parts = packs.unpack(&directory, packed, &none).unwrap();
            assert_eq!(parts.title(), Some(title));
        }
        // A second opening loads the dictionary from the directory.
        let again = Packs::open(&directory, None).unwrap();
        assert!(again.current().has_encoder());
        assert_eq!(
            again
                .unpack(&directory, &packed_after, &none)
                .unwrap()
                .body(),
            "WASHINGTON, March 3 - Wheat."
        );
    }

    #[test]
    fn too_few_samples_train_nothing() {
        let directory = tantivy::directory::RamDirectory::create();
        let packs = Packs::open(&directory, None).unwrap();
        let (all, sizes) = samples(10);
        assert!(!packs.train(&directory, &all, &sizes).unwrap());
        assert!(!packs.current().has_encoder());
    }

    #[test]
    fn a_damaged_record_or_unknown_dictionary_is_an_error_naming_the_index() {
        let directory = tantivy::directory::RamDirectory::create();
        let packs = Packs::open(&directory, Some(Path::new("/news/ix"))).unwrap();
        let mut cctx = CCtx::create();
        let what = || "article `a.txt`".to_string();
        let good = packs.current().pack(&mut cctx, &record(None, "text", "[]"));
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0xff;
        let mut unknown = good.clone();
        unknown[0] = 5;
        let mut format = good.clone();
        format[0] = 0x40;
        for (bad, expect) in [
            (Vec::new(), "empty"),
            (vec![0, 1, 2, 3], "not a zstd frame"),
            (format, "unknown record format"),
            (unknown, "missing"),
        ] {
            let error = packs
                .unpack(&directory, &bad, &what)
                .unwrap_err()
                .to_string();
            assert!(error.contains("/news/ix"), "{error}");
            assert!(error.contains(expect), "{error}");
        }
        // A flipped byte inside the frame fails to decompress or reads
        // back as something else, never panics.
        let _ = packs.unpack(&directory, &flipped, &what);
    }

    #[test]
    fn a_damaged_dictionary_file_is_an_error_naming_it() {
        let directory = tantivy::directory::RamDirectory::create();
        let packs = Packs::open(&directory, None).unwrap();
        let (all, sizes) = samples(400);
        assert!(packs.train(&directory, &all, &sizes).unwrap());
        let mut bytes = directory.atomic_read(&dictionary_file(1)).unwrap();
        bytes[100] ^= 1;
        directory.atomic_write(&dictionary_file(1), &bytes).unwrap();
        let error = Packs::open(&directory, None).err().unwrap().to_string();
        assert!(error.contains(".dateline-dictionary-1"), "{error}");
        assert!(error.contains("damaged"), "{error}");
    }
}
