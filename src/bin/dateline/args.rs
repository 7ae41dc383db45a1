//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dateline::SearchRequest;

/// Dateline: search a folder of news articles by words, places, organizations and dates.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  dateline index sample-corpus
  dateline search oil prices --location Asia --from 2023
  dateline search '+drought -football' --organization UN --json
  dateline show sample-corpus/text/kenya-drought-aid.txt
  dateline extract sample-corpus --json

The index lives in --index DIR, else $DATELINE_INDEX, else ./dateline-index.";

/// Where the index is.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index directory [default: $DATELINE_INDEX, else ./dateline-index]
    #[arg(long = "index", value_name = "DIR", env = "DATELINE_INDEX")]
    pub dir: Option<PathBuf>,
}

impl IndexLocation {
    pub fn path(&self) -> PathBuf {
        self.dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("dateline-index"))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index the articles under PATH... (files or directories)
    #[command(after_help = "\
Running it again reads only new and changed files (by size and modification
time, then content); articles of files deleted from under PATH are removed.

Exit codes: 0 done (also when some files were skipped), 2 fatal error (or any skip with --strict),
including another `dateline index` writing to the same index.

Examples:
  dateline index ~/news
  dateline index reuters/ bbc/ --index /tmp/news-index --json")]
    Index(IndexArgs),
    /// Search the index
    #[command(after_help = "\
Query syntax: words are ORed and ranked (more matched words rank higher);
+word or AND makes a word required, -word or NOT excludes it; \"a phrase\",
\"a phrase\"~5 (words may move); sanction* (prefix); wagnr~1 (fuzzy);
title:word and body:word search one field; location:Mali, org:\"United Nations\",
source:X and date:2022-11 filter like the options. An empty query lists
everything that matches the filters, newest first.

Exit codes: 0 hits, 1 no hits, 2 error.

Examples:
  dateline search oil prices --location /Asia --from 1987-03 --to 1987-03
  dateline search '\"peacekeeping mission\" +mali' --org 'United Nations'
  dateline search --location Ghana --sort date --limit 20
  dateline search 'sanction* location:Russia' --histogram month --explain")]
    Search(SearchArgs),
    /// Print the articles and entities found in PATH... (no index needed)
    #[command(after_help = "\
Output: one line per article (JSON with --json); problems go to stderr as PATH[:LINE]: reason.
Exit codes: 0 done, 2 error.")]
    Extract(ExtractArgs),
    /// Show one indexed article in full: text, metadata, entities with offsets
    #[command(after_help = "Exit codes: 0 found, 1 no such article, 2 error.")]
    Show(ShowArgs),
    /// Show what the index holds: articles, passages, dates, sources, size, roots
    #[command(after_help = "Exit codes: 0 done, 2 error.")]
    Stats(StatsArgs),
    /// Remove articles (by id) or files and folders (by path) from the index
    #[command(after_help = "\
A path need not exist any more: files indexed from under it are removed.
A removed article whose file is unchanged stays out on later runs of
`dateline index`; `--rebuild` brings it back.

Exit codes: 0 all removed, 1 some target matched nothing, 2 error.")]
    Remove(RemoveArgs),
    /// Articles most like a given one
    #[command(after_help = "\
ID is an article id as search prints it (a file path for one-article files).
Articles are ranked by the given article's most typical words, then boosted
by the places and organizations they share with it.

Exit codes: 0 found some, 1 none, 2 error (1 also when ID is unknown).

Examples:
  dateline related sample-corpus/text/kenya-drought-aid.txt
  dateline related 'sample-corpus/reuters/reut2-000.sgm#2' --before --json")]
    Related(RelatedArgs),
    /// Drill down a facet: the children of a node with article counts
    #[command(after_help = "\
Shows, for the articles matching QUERY and the filters, the values one level
below each facet's selected node (the root when none is selected).

Exit codes: 0 some article matched, 1 none, 2 error.

Examples:
  dateline facets --location /Africa
  dateline facets drought --location '/Africa/Eastern Africa' --facet location
  dateline facets --organization '/United Nations' --from 2023 --json")]
    Facets(FacetsArgs),
    /// Measure ranking against relevance judgments
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print a shell completion script
    #[command(
        after_help = "Example: dateline completions bash > ~/.local/share/bash-completion/completions/dateline"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or directories to index
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Schema file for a new index [default: the built-in schema]
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Threads that read and extract [default: number of cores]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Tantivy indexing threads
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub writer_threads: usize,
    /// Skip files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Exit with code 2 if any file or article was skipped
    #[arg(long)]
    pub strict: bool,
    /// Start over: replace everything in the index with this run's files
    #[arg(long)]
    pub rebuild: bool,
    /// Keep the articles of files deleted from under PATH since the last run
    #[arg(long)]
    pub keep_deleted: bool,
    /// Commit after this many articles (and at the end); what a commit
    /// holds survives a crash
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub commit_every: usize,
    /// Print the summary as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// No progress display
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HistogramArg {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
}

/// The filters `search` and `facets` share. Repeated values of one facet
/// are ORed; different facets and the dates are ANDed.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Place: a path (/Africa/Western Africa) or a name (Mali); repeatable
    #[arg(long, alias = "loc", value_name = "PLACE")]
    pub location: Vec<String>,
    /// Organization: a path or a name; repeatable
    #[arg(long, alias = "org", value_name = "ORG")]
    pub organization: Vec<String>,
    /// Outlet or agency; repeatable
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Earliest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Latest date, inclusive: YYYY, YYYY-MM (whole month) or YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Articles that mention a date in this year, month or day (YYYY,
    /// YYYY-MM or YYYY-MM-DD); repeatable
    #[arg(long, alias = "mentions", value_name = "DATE")]
    pub mentioned: Vec<String>,
}

impl FilterArgs {
    /// The request for QUERY words with these filters.
    pub fn request(self, query: &[String]) -> SearchRequest {
        let mut request = SearchRequest::new(query.join(" "));
        for (facet, values) in [
            ("location", self.location),
            ("organization", self.organization),
            ("source", self.source),
            ("mentioned", self.mentioned),
        ] {
            for value in values {
                request = request.filter(facet, value);
            }
        }
        request.from = self.from;
        request.to = self.to;
        request
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query words (joined with spaces); empty lists everything
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location_arg: IndexLocation,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Articles to show
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Articles to skip, for paging
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Passages per article
    #[arg(long, default_value_t = 2, value_name = "K")]
    pub passages: usize,
    /// Order of results
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Print results as JSON
    #[arg(long)]
    pub json: bool,
    /// Read the query as plain words: AND, OR, NOT, +, -, quotes and `field:` are text
    #[arg(long)]
    pub natural: bool,
    /// Show how each article's score was made
    #[arg(long)]
    pub explain: bool,
    /// Count matching articles per year, month or day
    #[arg(long, value_enum, value_name = "SIZE")]
    pub histogram: Option<HistogramArg>,
    /// Tolerate typos in every word of 5 letters or more (as if typed word~1; 9 or more: word~2)
    #[arg(long)]
    pub typos: bool,
    #[command(flatten)]
    pub ranking: RankingArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or directories
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// One JSON object per article per line
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (as printed by search)
    pub id: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print the article as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print the statistics as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Article ids, or paths of files or folders that were indexed
    #[arg(required = true, value_name = "PATH|ID")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Run TREC-style queries and print MAP, nDCG@10, P@10 and R@100
    #[command(after_help = "\
Queries: one per line, `qid<TAB>text`. Judgments: TREC qrels, `qid 0 docid grade`.
Documents are named by file name without extension (docs/cisi-28.txt → cisi-28).
Averages cover every judged query in the queries file (a query that finds nothing scores 0).

Exit codes: 0 done, 2 error.

Example:
  dateline index ../shared/data/ir-dev/cisi/docs --index /tmp/cisi
  dateline eval ranking --index /tmp/cisi --queries ../shared/data/ir-dev/cisi/queries.tsv \\
      --qrels ../shared/data/ir-dev/cisi/qrels.trec --run-out cisi.run")]
    Ranking(Box<EvalRankingArgs>),
    /// Score location and organization extraction on CoNLL-2003 files
    #[command(after_help = "\
Each document is rebuilt as a plain text article (first sentence = headline, a
dateline line such as `BRUSSELS 1996-08-22` = dateline, every other sentence a
paragraph) and extracted. Mention level: exact token span and type, as conlleval;
demonyms are not location mentions. Article level: distinct entities per
document. Non-sports: documents whose headline does not open with a sport label
(`SOCCER -`).

Exit codes: 0 done, 2 error.

Examples:
  dateline eval extract ../shared/data/conll2003/eng.testa --mode rules
  dateline eval extract --speed /tmp/bench-reuters")]
    Extract(EvalExtractArgs),
    /// Score extracted countries against Reuters-21578 `PLACES` tags
    #[command(after_help = "\
Each Reuters article with at least one `PLACES` code is extracted from its title,
body and dateline alone (its PLACES and ORGS tags removed). Codes map to country
facets through src/eval/reuters-places.tsv; a city counts as its country. Recall:
gold countries extracted, over gold countries. Not-gold share: extracted
countries absent from the article's PLACES, over extracted countries.

Exit codes: 0 done, 2 error.

Example:
  dateline eval places ../shared/data/reuters21578 --mode rules")]
    Places(EvalPlacesArgs),
    /// Train the name tagger's weights on CoNLL-2003 (deterministic)
    #[command(after_help = "\
Trains the averaged perceptron on TRAIN, prints dev F1 per epoch, and writes the
quantised weights. The shipped weights were made with the defaults:

  dateline eval train-tagger ../shared/data/conll2003/eng.train \\
      --dev ../shared/data/conll2003/eng.testa --out src/extract/data/tagger.bin

Exit codes: 0 done, 2 error.")]
    TrainTagger(EvalTrainTaggerArgs),
}

#[derive(Debug, Args)]
pub struct EvalPlacesArgs {
    /// A Reuters-21578 `.sgm` file, or a folder of them
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Leave the dateline out: title and body only
    #[arg(long)]
    pub no_dateline: bool,
    /// Which extractor: the rules, the statistical tagger, or both
    #[arg(long, value_enum, default_value = "both")]
    pub mode: ModeArg,
    /// Print the evaluation as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalTrainTaggerArgs {
    /// CoNLL training file
    #[arg(value_name = "TRAIN")]
    pub train: PathBuf,
    /// CoNLL development file, scored after each epoch
    #[arg(long, value_name = "FILE")]
    pub dev: PathBuf,
    /// Where to write the weights
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Passes over the training data
    #[arg(long, default_value_t = 12, value_name = "N")]
    pub epochs: usize,
    /// Log2 of the number of hashed feature buckets
    #[arg(long, default_value_t = 17, value_name = "N")]
    pub bits: u32,
}

#[derive(Debug, Args)]
pub struct EvalExtractArgs {
    /// CoNLL files (`WORD POS CHUNK TAG` per line, IOB1 or IOB2 tags)
    #[arg(required_unless_present = "speed", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Instead of scoring, time extraction of every article under DIR on one thread
    #[arg(long, value_name = "DIR", conflicts_with = "files")]
    pub speed: Option<PathBuf>,
    /// Which extractor: the rules, the statistical tagger, or both
    #[arg(long, value_enum, default_value = "both")]
    pub mode: ModeArg,
    /// Run the tagger over every token, not only capitalised runs
    #[arg(long)]
    pub tag_every_token: bool,
    /// Print the evaluation as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// Gazetteer, organization table and rules
    Rules,
    /// The statistical tagger, normalised through the tables
    Model,
    /// The tagger, and the rules where it saw no name (the default extractor)
    Both,
}

impl ModeArg {
    pub fn options(self, tag_every_token: bool) -> dateline::ExtractorOptions {
        use dateline::ExtractionMode;
        dateline::ExtractorOptions {
            mode: match self {
                ModeArg::Rules => ExtractionMode::Rules,
                ModeArg::Model => ExtractionMode::Model,
                ModeArg::Both => ExtractionMode::Both,
            },
            tag_every_token,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SyntaxArg {
    /// Every word is a search word; no operators
    Natural,
    /// The search query syntax (+, -, AND, quotes, scopes)
    Full,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AggregationArg {
    Words,
    Best,
    TopK,
    Article,
    Mix,
}

/// Ranking knobs shared by `search` and `eval`, for measuring alternatives.
#[derive(Debug, Args)]
pub struct RankingArgs {
    /// BM25 k1 [default: 2.5]
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub k1: Option<f32>,
    /// BM25 b [default: 0.75]
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub b: Option<f32>,
    /// How passage scores make the article's score
    #[arg(long, value_enum, value_name = "HOW", help_heading = "Ranking")]
    pub aggregation: Option<AggregationArg>,
    /// Passages summed by --aggregation top-k
    #[arg(long, value_name = "K", help_heading = "Ranking")]
    pub top_k: Option<usize>,
    /// Weight of the whole-article score in --aggregation mix (0 to 1)
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub mix: Option<f32>,
    /// Weight of headline matches scored on their own [default: 0]
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub title_boost: Option<f32>,
    /// Weight of the headline inside the whole-article score (BM25F) [default: the schema's title boost]
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub title_weight: Option<f32>,
    /// Weight of query words found together in one passage
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub proximity: Option<f32>,
    /// Pseudo-relevance feedback from this many top articles (0: off) [default: 5]
    #[arg(long, value_name = "N", help_heading = "Ranking")]
    pub feedback_docs: Option<usize>,
    /// Words added by feedback
    #[arg(long, value_name = "N", help_heading = "Ranking")]
    pub feedback_terms: Option<usize>,
    /// Total weight of the feedback words per query word [default: 0.2]
    #[arg(long, value_name = "X", help_heading = "Ranking")]
    pub feedback_weight: Option<f32>,
}

impl RankingArgs {
    pub fn ranking(&self) -> dateline::Ranking {
        use dateline::{Aggregation, Ranking};
        let mut ranking = Ranking::default();
        if let Some(k1) = self.k1 {
            ranking.k1 = k1;
        }
        if let Some(b) = self.b {
            ranking.b = b;
        }
        if let Some(a) = self.aggregation {
            ranking.aggregation = match a {
                AggregationArg::Words => Aggregation::Words,
                AggregationArg::Best => Aggregation::Best,
                AggregationArg::TopK => Aggregation::TopK,
                AggregationArg::Article => Aggregation::Article,
                AggregationArg::Mix => Aggregation::Mix,
            };
        }
        if let Some(k) = self.top_k {
            ranking.top_k = k;
        }
        if let Some(mix) = self.mix {
            ranking.mix = mix;
        }
        if let Some(b) = self.title_boost {
            ranking.title_boost = b;
        }
        if let Some(n) = self.feedback_docs {
            ranking.feedback_docs = n;
        }
        if let Some(n) = self.feedback_terms {
            ranking.feedback_terms = n;
        }
        if let Some(w) = self.feedback_weight {
            ranking.feedback_weight = w;
        }
        if let Some(p) = self.proximity {
            ranking.proximity = p;
        }
        ranking.title_weight = self.title_weight.or(ranking.title_weight);
        ranking
    }
}

#[derive(Debug, Args)]
pub struct EvalRankingArgs {
    /// Queries file: `qid<TAB>text` per line
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// Relevance judgments in TREC qrels format
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// Also write the run in TREC format to FILE
    #[arg(long, value_name = "FILE", conflicts_with = "run")]
    pub run_out: Option<PathBuf>,
    /// Evaluate this TREC run instead of searching (no index needed)
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// How query text is read
    #[arg(long, value_enum, default_value = "natural")]
    pub syntax: SyntaxArg,
    /// Documents retrieved per query
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub depth: usize,
    /// Also print each query's measures
    #[arg(long)]
    pub per_query: bool,
    /// Print the evaluation as JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub ranking: RankingArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FacetArg {
    Location,
    Organization,
    Source,
    Date,
    Mentioned,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Query words; empty counts every article
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location_arg: IndexLocation,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only this facet [default: all five]
    #[arg(long, value_enum)]
    pub facet: Option<FacetArg>,
    /// Values per facet
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// Article id (as printed by search)
    pub id: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Only articles published before this one
    #[arg(long)]
    pub before: bool,
    /// Articles to show
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Passages per article
    #[arg(long, default_value_t = 1, value_name = "K")]
    pub passages: usize,
    /// Weight of shared places and organizations
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub entity_boost: f32,
    /// Print results as JSON
    #[arg(long)]
    pub json: bool,
}
