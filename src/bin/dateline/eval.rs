//! `dateline eval ranking`, `dateline eval extract` and `dateline eval places`.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::Extractor;
use dateline::NewsIndex;
use dateline::QuerySyntax;
use dateline::eval::tagger;
use dateline::eval::{self, Qrels, RunOptions};

use crate::args::{
    EvalCommand, EvalExtractArgs, EvalPlacesArgs, EvalRankingArgs, EvalTrainTaggerArgs, SyntaxArg,
};
use crate::render::CliError;

pub fn run(command: EvalCommand) -> Result<ExitCode, CliError> {
    match command {
        EvalCommand::Ranking(args) => ranking(*args),
        EvalCommand::Extract(args) => extract(args),
        EvalCommand::Places(args) => places(args),
        EvalCommand::TrainTagger(args) => train_tagger(args),
    }
}

fn read(path: &std::path::Path) -> Result<String, CliError> {
    fs::read_to_string(path)
        .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", path.display())))
}

fn ranking(args: EvalRankingArgs) -> Result<ExitCode, CliError> {
    let queries = eval::parse_queries(&read(&args.queries)?)?;
    let qrels = Qrels::parse(&read(&args.qrels)?)?;
    if let Some(path) = &args.run {
        let run = eval::parse_run(&read(path)?)?;
        return report(&args, &run, &queries, &qrels);
    }
    let index = NewsIndex::open_in_dir(args.location.path())?;
    let options = RunOptions {
        depth: args.depth,
        syntax: match args.syntax {
            SyntaxArg::Natural => QuerySyntax::Natural,
            SyntaxArg::Full => QuerySyntax::Full,
        },
        ranking: args.ranking.ranking(),
    };
    let run = eval::run_queries(&index, &queries, &options)?;
    if let Some(path) = &args.run_out {
        let file = fs::File::create(path)
            .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", path.display())))?;
        let mut out = BufWriter::new(file);
        eval::write_run(&run, "dateline", &mut out)?;
        out.flush()?;
    }
    report(&args, &run, &queries, &qrels)
}

fn report(
    args: &EvalRankingArgs,
    run: &eval::Run,
    queries: &[(String, String)],
    qrels: &Qrels,
) -> Result<ExitCode, CliError> {
    let evaluation = eval::evaluate(run, qrels, queries.iter().map(|(q, _)| q.as_str()));
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &evaluation)?;
        writeln!(out)?;
    } else {
        if args.per_query {
            for (qid, m) in &evaluation.per_query {
                writeln!(
                    out,
                    "{qid}\tMAP {:.4}\tnDCG@10 {:.4}\tP@10 {:.4}\tR@100 {:.4}",
                    m.map, m.ndcg_10, m.p_10, m.recall_100
                )?;
            }
        }
        let m = evaluation.mean;
        writeln!(
            out,
            "queries {}\tMAP {:.4}\tnDCG@10 {:.4}\tP@10 {:.4}\tR@100 {:.4}",
            evaluation.queries, m.map, m.ndcg_10, m.p_10, m.recall_100
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn extract(args: EvalExtractArgs) -> Result<ExitCode, CliError> {
    let options = args.mode.options(args.tag_every_token);
    if let Some(dir) = &args.speed {
        let report = eval::extract::measure_speed(std::slice::from_ref(dir), options)?;
        let mut out = io::stdout().lock();
        if args.json {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{} articles, {:.1} MB of text: {:.2} s, {:.1} MB/s on one thread; CPU {}, {} MB/s per CPU second (extractor built in {:.1} ms, {} on a CPU; {} entities)",
                report.articles,
                report.bytes as f64 / 1e6,
                report.seconds,
                report.mb_per_second,
                report
                    .cpu_seconds
                    .map_or("unknown".into(), |c| format!("{c:.2} s")),
                report
                    .mb_per_cpu_second
                    .map_or("unknown".into(), |m| format!("{m:.1}")),
                report.load_ms,
                report
                    .load_cpu_ms
                    .map_or("unknown".into(), |m| format!("{m:.1} ms")),
                report.entities
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut documents = Vec::new();
    for path in &args.files {
        let parsed = eval::extract::parse_conll(&read(path)?)
            .map_err(|e| CliError::new(format!("`{}`: {e}", path.display())))?;
        documents.extend(parsed);
    }
    let extractor = Extractor::with_options(options);
    let mut evaluation = eval::extract::evaluate_extractor(&extractor, &documents);
    evaluation.files = args.files.clone();
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &evaluation)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    for (name, scores) in [
        ("all", &evaluation.all),
        ("non-sports", &evaluation.non_sports),
    ] {
        writeln!(out, "{name} ({} documents)", scores.documents)?;
        writeln!(
            out,
            "  type  level      precision  recall  F1      tp     fp     fn"
        )?;
        for (kind, s) in [("LOC", &scores.loc), ("ORG", &scores.org)] {
            for (level, c) in [("mention", &s.mention), ("article", &s.article)] {
                writeln!(
                    out,
                    "  {kind}   {level:<9}  {:.4}     {:.4}  {:.4}  {:<6} {:<6} {}",
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.true_positives,
                    c.false_positives,
                    c.false_negatives
                )?;
            }
        }
    }
    writeln!(
        out,
        "documents built directly (no prose for the text reader): {}; spans off token boundaries: {}",
        evaluation.built_directly, evaluation.misaligned
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn places(args: EvalPlacesArgs) -> Result<ExitCode, CliError> {
    let files = eval::places::sgml_files(&args.path)?;
    let options = eval::places::PlacesOptions {
        dateline: !args.no_dateline,
    };
    let extractor = Extractor::with_options(args.mode.options(false));
    let evaluation = eval::places::evaluate_places(&extractor, &files, options);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &evaluation)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let e = &evaluation;
    writeln!(
        out,
        "articles {}\tscored {}\tdateline {}",
        e.articles,
        e.scored_articles,
        if e.dateline { "used" } else { "left out" }
    )?;
    writeln!(
        out,
        "recall {:.4}\t({} of {} gold countries extracted)",
        e.recall, e.gold_found, e.gold
    )?;
    writeln!(
        out,
        "not-gold share {:.4}\t({} of {} extracted countries not in PLACES)",
        e.not_gold_share, e.extracted_not_gold, e.extracted
    )?;
    let list = |items: &[(String, usize)]| {
        items
            .iter()
            .map(|(facet, n)| format!("{} {n}", facet.rsplit('/').next().unwrap_or(facet)))
            .collect::<Vec<String>>()
            .join(", ")
    };
    writeln!(out, "most missed: {}", list(&e.most_missed))?;
    writeln!(out, "most not in gold: {}", list(&e.most_not_gold))?;
    if !e.skipped_codes.is_empty() {
        let skipped: Vec<String> = e
            .skipped_codes
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        writeln!(out, "codes not mapped (skipped): {}", skipped.join(", "))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn read_conll(path: &std::path::Path) -> Result<Vec<eval::extract::ConllDocument>, CliError> {
    eval::extract::parse_conll(&read(path)?)
        .map_err(|e| CliError::new(format!("`{}`: {e}", path.display())))
}

fn train_tagger(args: EvalTrainTaggerArgs) -> Result<ExitCode, CliError> {
    let train = read_conll(&args.train)?;
    let dev = read_conll(&args.dev)?;
    let options = tagger::TrainOptions {
        epochs: args.epochs,
        bits: args.bits,
        ..tagger::TrainOptions::default()
    };
    let mut err = io::stderr();
    let (bytes, report) = tagger::train(&train, &dev, &options, &mut |line| {
        let _ = writeln!(err, "{line}");
    })?;
    fs::write(&args.out, &bytes)
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", args.out.display())))?;
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
