//! Training the tagger: a structured averaged perceptron (Collins 2002)
//! with Viterbi decoding, over CoNLL-2003 sentences.
//!
//! Training is deterministic: sentences are visited in an order shuffled
//! by a fixed-seed generator each epoch, and the final weights are the
//! average of the weights after every sentence.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use super::features::{features, is_shouted, token_infos};
use super::lexicon::Lexicon;
use super::tokens::Token;
use super::{Emissions, LABELS, Model, NameKind, Scratch, tag_sequence, viterbi};
use crate::error::{Error, Result};
use crate::eval::extract::{ConllDocument, Counts, EntityType};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the training sentences.
    pub epochs: usize,
    /// Log2 of the number of feature buckets.
    pub bits: u32,
    /// Seed of the sentence order.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            bits: 17,
            seed: 1,
        }
    }
}

/// Mention-level scores of the tagger alone on development sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DevScores {
    /// Locations.
    pub loc: Counts,
    /// Organizations.
    pub org: Counts,
    /// Persons.
    pub per: Counts,
    /// Other names.
    pub misc: Counts,
}

/// What training measured.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TrainReport {
    /// Training sentences.
    pub sentences: usize,
    /// Dev scores of the averaged weights after each epoch (floating point).
    pub epochs: Vec<DevScores>,
    /// Dev scores of the written, quantised weights.
    pub shipped: DevScores,
}

/// One sentence ready for training.
struct Sentence {
    text: String,
    tokens: Vec<Token>,
    gold: Vec<u8>,
}

fn sentences(documents: &[ConllDocument]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for doc in documents {
        let mut golds: Vec<Vec<u8>> = doc.sentences.iter().map(|s| vec![0; s.len()]).collect();
        for m in &doc.mentions {
            let kind = match m.kind {
                EntityType::Loc => NameKind::Location,
                EntityType::Org => NameKind::Organization,
                EntityType::Per => NameKind::Person,
                EntityType::Misc => NameKind::Misc,
            };
            for (k, tag) in golds[m.sentence][m.start..m.end].iter_mut().enumerate() {
                *tag = kind.begin() + u8::from(k > 0);
            }
        }
        for (words, gold) in doc.sentences.iter().zip(golds) {
            let mut text = String::new();
            let mut tokens = Vec::with_capacity(words.len());
            for w in words {
                if !text.is_empty() {
                    text.push(' ');
                }
                let start = text.len() as u32;
                text.push_str(w);
                tokens.push(Token {
                    start,
                    end: text.len() as u32,
                });
            }
            out.push(Sentence { text, tokens, gold });
        }
    }
    out
}

/// Names in a tag sequence as (kind, start, end) token ranges.
fn spans(labels: &[u8]) -> Vec<(NameKind, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(NameKind, usize)> = None;
    for (i, &label) in labels.iter().enumerate() {
        let kind = NameKind::of_label(label);
        let continues = super::is_inside(label) && open.is_some_and(|(k, _)| Some(k) == kind);
        if !continues {
            if let Some((k, s)) = open.take() {
                out.push((k, s, i));
            }
            open = kind.map(|k| (k, i));
        }
    }
    if let Some((k, s)) = open {
        out.push((k, s, labels.len()));
    }
    out
}

fn score(lexicon: &Lexicon, model: &Model, dev: &[Sentence]) -> DevScores {
    let mut scores = DevScores::default();
    let mut scratch = Scratch::default();
    for (n, s) in dev.iter().enumerate() {
        let predicted = tag_sequence(lexicon, model, &s.text, &s.tokens, &mut scratch);
        let gold: HashSet<_> = spans(&s.gold).into_iter().map(|x| (n, x)).collect();
        let pred: HashSet<_> = spans(&predicted).into_iter().map(|x| (n, x)).collect();
        for (kind, counts) in [
            (NameKind::Location, &mut scores.loc),
            (NameKind::Organization, &mut scores.org),
            (NameKind::Person, &mut scores.per),
            (NameKind::Misc, &mut scores.misc),
        ] {
            let g: HashSet<_> = gold.iter().filter(|x| x.1.0 == kind).collect();
            let p: HashSet<_> = pred.iter().filter(|x| x.1.0 == kind).collect();
            let hit = g.intersection(&p).count();
            counts.true_positives += hit;
            counts.false_positives += p.len() - hit;
            counts.false_negatives += g.len() - hit;
        }
    }
    scores
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Trains the tagger on `train` and scores it on `dev` after each epoch;
/// returns the model file (quantised) and the report. `progress` hears a
/// line per epoch.
pub fn train(
    train: &[ConllDocument],
    dev: &[ConllDocument],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<(Vec<u8>, TrainReport)> {
    if !(10..=24).contains(&options.bits) {
        return Err(Error::Eval(format!(
            "bucket bits `{}` out of range (expected 10 to 24)",
            options.bits
        )));
    }
    let lexicon = Lexicon::load();
    let train_set = sentences(train);
    let dev_set = sentences(dev);
    let mut report = TrainReport {
        sentences: train_set.len(),
        ..TrainReport::default()
    };

    // Feature buckets of every training token, computed once.
    let shift = 64 - options.bits;
    let mut buckets: Vec<u32> = Vec::new();
    let mut offsets: Vec<Vec<u32>> = Vec::with_capacity(train_set.len());
    let mut infos = Vec::new();
    let mut hashes = Vec::new();
    for s in &train_set {
        let shouted = is_shouted(
            s.tokens
                .iter()
                .map(|t| &s.text[t.start as usize..t.end as usize]),
        );
        infos.clear();
        token_infos(
            &s.text,
            &s.tokens,
            0,
            s.tokens.len(),
            shouted,
            &lexicon,
            &mut infos,
        );
        let mut o = Vec::with_capacity(s.tokens.len() + 1);
        o.push(buckets.len() as u32);
        for i in 0..s.tokens.len() {
            hashes.clear();
            features(&infos, i, &mut hashes);
            buckets.extend(hashes.iter().map(|&h| (h >> shift) as u32));
            o.push(buckets.len() as u32);
        }
        offsets.push(o);
    }

    let size = (1usize << options.bits) * LABELS;
    let mut w = vec![0f32; size];
    let mut w_sum = vec![0f32; size];
    let mut t = [[0f32; LABELS]; LABELS + 1];
    let mut t_sum = [[0f32; LABELS]; LABELS + 1];
    let mut c = 1f32;
    let mut order: Vec<usize> = (0..train_set.len()).collect();
    let mut rng = Rng(options.seed.max(1));
    let mut emissions = Vec::new();
    let mut back = Vec::new();
    let mut predicted = Vec::new();
    let averaged = |w: &[f32],
                    w_sum: &[f32],
                    t: &[[f32; LABELS]; LABELS + 1],
                    t_sum: &[[f32; LABELS]; LABELS + 1],
                    c: f32| {
        let mut transitions = *t;
        for (row, sums) in transitions.iter_mut().zip(t_sum) {
            for (x, s) in row.iter_mut().zip(sums) {
                *x -= s / c;
            }
        }
        Model {
            bits: options.bits,
            transitions,
            emissions: Emissions::Float(w.iter().zip(w_sum).map(|(x, s)| x - s / c).collect()),
        }
    };

    for epoch in 0..options.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &n in &order {
            let s = &train_set[n];
            let o = &offsets[n];
            emissions.clear();
            for k in 0..s.tokens.len() {
                let mut e = [0f32; LABELS];
                for &b in &buckets[o[k] as usize..o[k + 1] as usize] {
                    let row = &w[b as usize * LABELS..][..LABELS];
                    for (x, &y) in e.iter_mut().zip(row) {
                        *x += y;
                    }
                }
                emissions.push(e);
            }
            viterbi(&emissions, &t, LABELS, None, &mut back, &mut predicted);
            if predicted != s.gold {
                for k in 0..s.tokens.len() {
                    let (g, p) = (usize::from(s.gold[k]), usize::from(predicted[k]));
                    if g != p {
                        for &b in &buckets[o[k] as usize..o[k + 1] as usize] {
                            let b = b as usize * LABELS;
                            w[b + g] += 1.0;
                            w_sum[b + g] += c;
                            w[b + p] -= 1.0;
                            w_sum[b + p] -= c;
                        }
                    }
                    let pg = if k == 0 {
                        LABELS
                    } else {
                        usize::from(s.gold[k - 1])
                    };
                    let pp = if k == 0 {
                        LABELS
                    } else {
                        usize::from(predicted[k - 1])
                    };
                    if (pg, g) != (pp, p) {
                        t[pg][g] += 1.0;
                        t_sum[pg][g] += c;
                        t[pp][p] -= 1.0;
                        t_sum[pp][p] -= c;
                    }
                }
            }
            c += 1.0;
        }
        let model = averaged(&w, &w_sum, &t, &t_sum, c);
        let scores = score(&lexicon, &model, &dev_set);
        progress(&format!(
            "epoch {}: dev LOC F1 {:.4}, ORG F1 {:.4}, PER F1 {:.4}, MISC F1 {:.4}",
            epoch + 1,
            scores.loc.f1(),
            scores.org.f1(),
            scores.per.f1(),
            scores.misc.f1()
        ));
        report.epochs.push(scores);
    }
    let bytes = averaged(&w, &w_sum, &t, &t_sum, c).to_bytes();
    let shipped = Model::parse(Cow::Owned(bytes.clone()))?;
    report.shipped = score(&lexicon, &shipped, &dev_set);
    progress(&format!(
        "quantised: dev LOC F1 {:.4}, ORG F1 {:.4}, PER F1 {:.4}, MISC F1 {:.4}",
        report.shipped.loc.f1(),
        report.shipped.org.f1(),
        report.shipped.per.f1(),
        report.shipped.misc.f1()
    ));
    Ok((bytes, report))
}
