//! `advocacy`: score, explain and check advocacy models on account files.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use advocacy_core::{
    fmt_num, printable, rank, ColumnMapping, ColumnRole, Date, MissingPolicy, Model, ModelSpec, Score, TargetList, Tier,
};
use advocacy_program::lang::{self, Lang};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

mod calibrate;
mod history;
mod input;
mod keep;
mod parquet_out;
mod program;
mod progress;
mod shell;
mod snapshot;
mod stream;

use input::{read_headers, read_mapping, read_text, Row};

/// Find your best customer advocates: explainable advocacy scores and tiers.
#[derive(Parser)]
#[command(name = "advocacy", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score every account of a file and rank them.
    Score {
        #[command(flatten)]
        model: ModelArgs,
        /// What to do with a row that has a bad value.
        #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
        on_error: OnErrorArg,
        /// Output format (`table` is for reading in a terminal).
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
        /// Show only the best N accounts.
        #[arg(long)]
        top: Option<usize>,
        /// `rank` (best first, a `rank` column) or `input` (file order, a `row` column, written
        /// as the file is read, in constant memory).
        #[arg(long, value_enum, default_value_t = OrderArg::Rank)]
        order: OrderArg,
        /// Write to this file instead of standard output (needed for --format parquet).
        #[arg(long, value_name = "FILE")]
        output: Option<String>,
        #[command(flatten)]
        keep: KeepArgs,
        #[command(flatten)]
        sources: SourceArgs,
        #[command(flatten)]
        lang: LangArgs,
        /// Accounts: .csv, .tsv, .jsonl, .parquet or .json (`-` reads stdin); or give --source instead.
        input: Option<String>,
    },
    /// Explain every account's score in full (or one account's, with --id). With --json, one
    /// explained score per line (JSON Lines), written as a .csv/.tsv/.jsonl file is read.
    Explain {
        #[command(flatten)]
        model: ModelArgs,
        /// The account id to explain (default: every account).
        #[arg(long)]
        id: Option<String>,
        /// Print the explanations as JSON (one object per line; one pretty object with --id).
        #[arg(long)]
        json: bool,
        /// What to do with rows that have bad values: fail the run, or flag them (a line with
        /// the row's `line`, `id` and `error`) and explain the rest.
        #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
        on_error: OnErrorArg,
        #[command(flatten)]
        keep: KeepArgs,
        /// A history folder (`advocacy snapshot`): the account's last scores from it (with --id;
        /// under `history` with --json).
        #[arg(long, value_name = "DIR", requires = "id")]
        history: Option<String>,
        #[command(flatten)]
        sources: SourceArgs,
        #[command(flatten)]
        lang: LangArgs,
        /// Accounts: .csv, .jsonl or .json (`-` reads stdin); or give --source instead.
        input: Option<String>,
    },
    /// Work with model files.
    #[command(subcommand)]
    Model(ModelCommand),
    /// The monthly program review: movement, due revisits, who to ask for what, thank-yous owed.
    Review(program::ReviewArgs),
    /// Program metrics from the ledger: active advocates by tier per quarter, recruitment,
    /// completion, time to first activity, assets per quarter, retention (with --renewals); each
    /// rate with the counts behind it.
    Metrics(program::MetricsArgs),
    /// Rank the advocates who fit a reference request and are not resting.
    Match(program::MatchArgs),
    /// Draft the recruitment invitation (or thank-you) for one account and activity, from the
    /// program guide's template, in the account's language (--lang).
    Draft(program::DraftArgs),
    /// The request log: open requests with their state, owner, age and best candidates (nobody
    /// on another open request or over the quarter's cap for the kind), counts by status and kind.
    Requests(program::RequestsArgs),
    /// Score a file and add it, dated, to a history folder: one Parquet file per as-of date
    /// (DIR/YYYY-MM-DD.parquet, the accounts in file order with an `as_of` column), which polars,
    /// DuckDB and Spark read as one long table. A date already in the history is an error.
    Snapshot {
        #[command(flatten)]
        model: ModelArgs,
        /// What to do with a row that has a bad value (flagged rows are kept with their error).
        #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
        on_error: OnErrorArg,
        /// The history folder (created if missing).
        #[arg(long, value_name = "DIR", default_value = "advocacy-history")]
        history: String,
        #[command(flatten)]
        keep: KeepArgs,
        /// Accounts: .csv, .tsv, .jsonl or .parquet (the as-of date is --as-of, default today).
        input: String,
    },
    /// Learn the model's points from the program's outcomes (a history and the ledger, or a file
    /// of examples), compared with the current points on later asks; writes nothing without --write.
    Calibrate(calibrate::CalibrateArgs),
    /// What the snapshots of a history folder say: trends over a window, not-yet-qualified
    /// accounts with the revisit dates carried from when each became so, each quarter's tiers.
    History(history::HistoryArgs),
    /// Show how every column of a file is read (which signal, or ignored and why), without scoring.
    Columns {
        #[command(flatten)]
        model: ModelArgs,
        /// Accounts: .csv, .jsonl or .json.
        input: String,
    },
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff: `advocacy man | man -l -`), or write one page per command.
    Man(shell::ManArgs),
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Check a model file (.json or .toml) and summarise it.
    Check {
        /// The model file.
        file: String,
    },
    /// Print the default model.
    Default {
        /// json or toml.
        #[arg(long, default_value = "json")]
        format: String,
        #[command(flatten)]
        lang: LangArgs,
    },
    /// Print the JSON Schema of model files.
    Schema,
}

#[derive(Args)]
struct ModelArgs {
    /// A model file (.json or .toml); default: the built-in 100-point model.
    #[arg(long)]
    model: Option<String>,
    /// Target industries, comma-separated.
    #[arg(long, value_delimiter = ',')]
    target_industries: Option<Vec<String>>,
    /// Target segments (smb, mid_market, enterprise), comma-separated.
    #[arg(long, value_delimiter = ',')]
    target_segments: Option<Vec<String>>,
    /// Target regions, comma-separated.
    #[arg(long, value_delimiter = ',')]
    target_regions: Option<Vec<String>>,
    /// How missing signals count.
    #[arg(long, value_enum)]
    missing: Option<MissingArg>,
    /// The as-of date (YYYY-MM-DD): revisit dates, and values older than the model's maximum age
    /// (by the observation date column or a source's date) count as missing.
    #[arg(long)]
    as_of: Option<String>,
    /// The column holding the account id (default: found by name: id, Account ID, ...).
    #[arg(long)]
    id_column: Option<String>,
    /// How columns are read (.json or .toml): which column holds which signal, value maps.
    #[arg(long, value_name = "FILE")]
    columns: Option<String>,
    /// Numbers in the file use a decimal comma (85,5).
    #[arg(long)]
    decimal_comma: bool,
}

impl ModelArgs {
    /// The column mapping of `--columns`, `--id-column` and `--decimal-comma`.
    fn mapping(&self) -> Result<ColumnMapping, String> {
        let mut mapping = match &self.columns {
            Some(path) => read_mapping(path)?,
            None => ColumnMapping::default(),
        };
        if let Some(id) = &self.id_column {
            mapping.id = Some(id.clone());
        }
        mapping.decimal_comma |= self.decimal_comma;
        Ok(mapping)
    }
}

/// `--lang`: the language of human text.
#[derive(Args)]
pub(crate) struct LangArgs {
    /// The language of the text output (headings, tier and segment names) and of the default
    /// model's and program's labels and outreach texts: en, id, ms, de or es (a region such as
    /// de-DE is accepted; default en). Labels of your own stay as written; JSON keys, ids, scores
    /// and tiers never change.
    #[arg(long, env = "ADVOCACY_LANG", value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
}

impl LangArgs {
    /// The language asked for (English if none).
    pub(crate) fn get(&self) -> Lang {
        self.lang.unwrap_or_default()
    }
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse::<Lang>().map_err(|e| e.to_string())
}

/// A tier as the score table and explanations write it: its code in English (as always), its
/// name in another language.
pub(crate) fn tier_text(lang: Lang, tier: Tier) -> &'static str {
    if lang == Lang::En {
        tier.as_str()
    } else {
        lang::tier_name(lang, tier)
    }
}

/// `--keep`: input columns carried into the output.
#[derive(Args)]
struct KeepArgs {
    /// Input columns to carry into the output, comma-separated headers (matched as columns are:
    /// case, spaces and punctuation aside), written right after `id` as text. Default: the
    /// account name column, written as `name`; `--keep ""` keeps none. With --source, a column
    /// comes from the first source that has it and a value for the account. `explain --json`
    /// writes them as a `kept` object.
    #[arg(long, value_name = "COLUMNS")]
    keep: Option<String>,
}

impl KeepArgs {
    fn keep(&self) -> keep::Keep {
        keep::Keep::parse(self.keep.as_deref())
    }
}

/// Several teams' files of the same accounts, joined by account id.
#[derive(Args)]
struct SourceArgs {
    /// A source of the accounts: NAME=FILE[,columns=MAPPING][,date=YYYY-MM-DD] (the date of
    /// the whole file; a column `observed` gives one per row). Repeat for every source.
    #[arg(long = "source", value_name = "NAME=FILE")]
    sources: Vec<String>,
    /// A sources file (.toml or .json) listing the sources (`[[source]]` with `name`, `file`,
    /// and optionally `columns` and `date`; paths relative to the file) and `conflicts`.
    #[arg(long = "sources", value_name = "FILE", conflicts_with = "sources")]
    sources_file: Option<String>,
    /// How a signal given by several sources is settled (a sources file may say instead).
    #[arg(long, value_enum)]
    conflicts: Option<ConflictArg>,
}

impl SourceArgs {
    fn given(&self) -> bool {
        !self.sources.is_empty() || self.sources_file.is_some()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OrderArg {
    Rank,
    Input,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConflictArg {
    /// The latest observation wins.
    Latest,
    /// The source given first wins.
    SourceOrder,
}

/// The accounts of `input`, or of the sources joined.
fn load_rows(
    m: &Model,
    a: &ModelArgs,
    sources: &SourceArgs,
    input: Option<&str>,
    flag: bool,
    (keep, reserved): (&keep::Keep, &[String]),
) -> Result<(Vec<Row>, Vec<String>, String, keep::Kept), String> {
    match (input, !sources.given()) {
        (Some(input), true) => {
            let table = input::read_rows_keeping(input, m, &a.mapping()?, flag, keep, reserved)?;
            let warnings = table.warnings();
            Ok((table.rows, warnings, input.to_string(), table.kept))
        }
        (None, false) => {
            let (parsed, file_rule) = match &sources.sources_file {
                Some(path) => input::read_sources_file(path)?,
                None => {
                    (sources.sources.iter().map(|s| input::SourceArg::parse(s)).collect::<Result<Vec<_>, _>>()?, None)
                }
            };
            let rule = match sources.conflicts {
                Some(ConflictArg::Latest) => advocacy_core::ConflictRule::Latest,
                Some(ConflictArg::SourceOrder) => advocacy_core::ConflictRule::SourceOrder,
                None => file_rule.unwrap_or_default(),
            };
            let (rows, warnings, kept) = input::read_sources(&parsed, m, &a.mapping()?, rule, keep, reserved)?;
            Ok((rows, warnings, "sources".to_string(), kept))
        }
        (Some(_), false) => Err("give either an input file or --source files, not both".into()),
        (None, true) => Err("no accounts: give an input file (or - for stdin), or --source NAME=FILE".into()),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum MissingArg {
    Zero,
    Rescale,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnErrorArg {
    Fail,
    Flag,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutFormat {
    Table,
    Csv,
    Jsonl,
    Json,
    /// A Parquet file (needs --output).
    Parquet,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {}", printable(&msg, 4000));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Score { model, on_error, format, top, order, output, keep, sources, lang, input } => {
            let keep = keep.keep();
            let lang = lang.get();
            let output = Sink::open(format, output.as_deref())?;
            let streamable = !sources.given()
                && format != OutFormat::Json
                && input.as_deref().is_some_and(|p| {
                    let p = p.to_ascii_lowercase();
                    [".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"].iter().any(|e| p.ends_with(e))
                });
            match input.as_deref() {
                Some(path) if streamable => {
                    score_stream(&model, on_error, (format, top), (order, false), (&keep, lang), path, output)
                }
                _ if order == OrderArg::Input => Err(
                    "--order input needs a .csv, .tsv, .jsonl, .ndjson or .parquet file and --format table, csv, jsonl or parquet"
                        .into(),
                ),
                _ => score(&model, on_error, (format, top), (&keep, lang), &sources, input.as_deref(), output),
            }
        }
        Command::Explain { model, id, json, on_error, keep, history, sources, lang, input } => {
            let keep = keep.keep();
            let lang = lang.get();
            let streamable = json
                && id.is_none()
                && !sources.given()
                && input.as_deref().is_some_and(|p| {
                    let p = p.to_ascii_lowercase();
                    [".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"].iter().any(|e| p.ends_with(e))
                });
            match input.as_deref() {
                Some(path) if streamable => explain_stream(&model, on_error, (&keep, lang), path),
                _ => explain(
                    &model,
                    (id.as_deref(), history.as_deref()),
                    json,
                    on_error,
                    (&keep, lang),
                    &sources,
                    input.as_deref(),
                ),
            }
        }
        Command::Snapshot { mut model, on_error, history, keep, input } => {
            let as_of = match model.as_of.as_deref() {
                Some(d) => d.trim().parse::<Date>().map_err(|e| format!("--as-of {d:?}: {e}"))?,
                None => program::today(),
            };
            model.as_of = Some(as_of.to_string());
            let lower = input.to_ascii_lowercase();
            if ![".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"].iter().any(|e| lower.ends_with(e)) {
                return Err(format!("{input}: a snapshot reads a .csv, .tsv, .jsonl, .ndjson or .parquet file"));
            }
            let target = snapshot::target(&history, as_of)?;
            let partial = snapshot::partial(&target);
            let shown = partial.display().to_string();
            let (m, _) = build_model(&model)?;
            let sink = parquet_out::ParquetSink::create(&shown)?
                .with_column("as_of", &as_of.to_string())
                .with_signals(&stream::signal_columns(&m));
            let earlier = snapshot::dates(&history).len();
            match score_stream(
                &model,
                on_error,
                (OutFormat::Parquet, None),
                (OrderArg::Input, true),
                (&keep.keep(), Lang::En),
                &input,
                Sink::Parquet(Box::new(sink)),
            ) {
                Ok(code) => {
                    std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
                    eprintln!("{}: the snapshot of {as_of} ({earlier} earlier in {history})", target.display());
                    Ok(code)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    Err(e)
                }
            }
        }
        Command::History(a) => history::history(&a),
        Command::Calibrate(a) => calibrate::calibrate(&a),
        Command::Columns { model, input } => columns(&model, &input),
        Command::Completions(a) => shell::completions(&a, &mut Cli::command()),
        Command::Man(a) => shell::man(&a, Cli::command()),
        Command::Review(a) => program::review(&a),
        Command::Match(a) => program::match_request(&a),
        Command::Draft(a) => program::draft(&a),
        Command::Requests(a) => program::requests(&a),
        Command::Metrics(a) => program::metrics(&a),
        Command::Model(ModelCommand::Check { file }) => {
            let spec = load_spec(&file)?;
            let problems = Model::check(spec.clone());
            if !problems.is_empty() {
                for p in &problems {
                    eprintln!("{file}: {}", printable(&p.to_string(), 2000));
                }
                return Err(format!("{file}: {} problem(s) found", problems.len()));
            }
            let m = Model::new(spec).map_err(|e| format!("{file}: {e}"))?;
            println!(
                "{file}: ok: {:?}, {} categories, {} criteria, {} points; tiers platinum >= {}, gold >= {}, silver >= {}; missing = {}",
                m.name(),
                m.categories().len(),
                m.categories().iter().map(|c| c.criteria.len()).sum::<usize>(),
                fmt_num(m.max_points()),
                fmt_num(m.tiers().platinum),
                fmt_num(m.tiers().gold),
                fmt_num(m.tiers().silver),
                if m.missing() == MissingPolicy::Zero { "zero" } else { "rescale" },
            );
            for w in m.warnings() {
                println!("warning: {}", w.message);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Model(ModelCommand::Default { format, lang }) => {
            let m = advocacy_program::localize_model(&Model::default(), lang.get());
            match format.as_str() {
                "json" => println!("{}", m.to_json()),
                "toml" => print!("{}", m.to_toml()),
                other => return Err(format!("--format {other:?}: allowed: json, toml")),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Model(ModelCommand::Schema) => {
            println!("{}", Model::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_spec(path: &str) -> Result<ModelSpec, String> {
    let text = read_text(path)?;
    let res = if path.to_ascii_lowercase().ends_with(".toml") {
        ModelSpec::from_toml(&text)
    } else {
        ModelSpec::from_json(&text)
    };
    res.map_err(|e| format!("{path}: {e}"))
}

fn load_model(path: &str) -> Result<Model, String> {
    Model::new(load_spec(path)?).map_err(|e| format!("{path}: {e}"))
}

fn build_model(a: &ModelArgs) -> Result<(Model, Option<Date>), String> {
    let mut m = match &a.model {
        Some(p) => load_model(p)?,
        None => Model::default(),
    };
    let clean = |v: &Vec<String>| v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let edited = |e: advocacy_core::ModelError| format!("model after command-line options: {e}");
    for (list, values) in [
        (TargetList::Industries, &a.target_industries),
        (TargetList::Segments, &a.target_segments),
        (TargetList::Regions, &a.target_regions),
    ] {
        if let Some(v) = values {
            m = m.with_target_list(list, clean(v)).map_err(edited)?;
        }
    }
    if let Some(p) = a.missing {
        let policy = match p {
            MissingArg::Zero => MissingPolicy::Zero,
            MissingArg::Rescale => MissingPolicy::Rescale,
        };
        m = m.with_missing(policy).map_err(edited)?;
    }
    let as_of = a.as_of.as_deref().map(|s| s.parse::<Date>().map_err(|e| format!("--as-of: {e}"))).transpose()?;
    Ok((m, as_of))
}

/// Each row scored, or its error text with the file line.
fn score_rows(m: &Model, rows: &[Row], as_of: Option<Date>, input: &str) -> Vec<Result<Score, String>> {
    let results = m.score_records(&rows.iter().map(|r| r.record.clone()).collect::<Vec<_>>(), as_of);
    let shown = if input == "-" { "<stdin>" } else { input };
    results
        .into_iter()
        .zip(rows)
        .map(|(r, row)| match &row.broken {
            Some(why) => Err(why.clone()),
            // Rows joined from sources have no one file line.
            None if row.line == 0 => r.map_err(|e| e.to_string()),
            None => r.map_err(|e| format!("{shown}:{}: {e}", row.line)),
        })
        .collect()
}

/// Where `score` writes: standard output, a file, or a Parquet file.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File(std::io::BufWriter<std::fs::File>),
    Parquet(Box<parquet_out::ParquetSink>),
}

impl Sink {
    fn open(format: OutFormat, path: Option<&str>) -> Result<Sink, String> {
        Ok(match (format, path) {
            (OutFormat::Parquet, Some(p)) => Sink::Parquet(Box::new(parquet_out::ParquetSink::create(p)?)),
            (OutFormat::Parquet, None) => {
                return Err("--format parquet needs --output FILE (Parquet is not written to a terminal)".into())
            }
            (_, Some(p)) => Sink::File(std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(p).map_err(|e| format!("{p}: {e}"))?,
            )),
            (_, None) => Sink::Stdout(std::io::BufWriter::with_capacity(1 << 20, std::io::stdout())),
        })
    }
    fn writer(&mut self) -> &mut dyn std::io::Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File(w) => w,
            Sink::Parquet(w) => w.as_mut(),
        }
    }
    fn finish(self) -> Result<(), String> {
        match self {
            Sink::Stdout(mut w) => std::io::Write::flush(&mut w).map_err(|e| e.to_string()),
            Sink::File(mut w) => std::io::Write::flush(&mut w).map_err(|e| e.to_string()),
            Sink::Parquet(w) => w.finish(),
        }
    }
}

/// `score` on a CSV, JSON Lines or Parquet file, streamed in chunks through the batch scorer.
fn score_stream(
    a: &ModelArgs,
    on_error: OnErrorArg,
    (format, top): (OutFormat, Option<usize>),
    (order, signals): (OrderArg, bool),
    (keep, lang): (&keep::Keep, Lang),
    path: &str,
    mut sink: Sink,
) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(a)?;
    let mapping = a.mapping()?;
    let output = match format {
        OutFormat::Table => stream::Output::Table,
        // Parquet is written from the CSV form (see parquet_out).
        OutFormat::Csv | OutFormat::Parquet => stream::Output::Csv,
        _ => stream::Output::Jsonl,
    };
    let opts = stream::Options {
        mapping: &mapping,
        flag: on_error == OnErrorArg::Flag,
        output,
        top,
        input_order: order == OrderArg::Input,
        as_of,
        rows_not_lines: stream::is_parquet(path),
        keep,
        signals,
        lang,
    };
    for w in m.warnings() {
        eprintln!("warning: {}", w.message);
    }
    let flagged = stream::score(path, &m, &opts, sink.writer())?;
    sink.finish()?;
    if flagged > 0 {
        eprintln!("{flagged} row(s) flagged; the others were scored");
    }
    Ok(ExitCode::SUCCESS)
}

fn score(
    a: &ModelArgs,
    on_error: OnErrorArg,
    (format, top): (OutFormat, Option<usize>),
    (keep, lang): (&keep::Keep, Lang),
    sources: &SourceArgs,
    input: Option<&str>,
    mut sink: Sink,
) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(a)?;
    let cat_ids: Vec<&str> = m.categories().iter().map(|c| c.id.as_str()).collect();
    let reserved = keep::result_columns(&cat_ids);
    let (rows, warnings, input, kept) =
        load_rows(&m, a, sources, input, on_error == OnErrorArg::Flag, (keep, &reserved))?;
    for w in warnings {
        eprintln!("warning: {}", printable(&w, 400));
    }
    let results = score_rows(&m, &rows, as_of, &input);
    let mut flagged = 0;
    for r in &results {
        if let Err(e) = r {
            if on_error == OnErrorArg::Fail {
                return Err(e.clone());
            }
            eprintln!("flagged: {}", printable(e, 4000));
            flagged += 1;
        }
    }
    // The core's ranking: total descending, ties in input order, flagged rows (NaN) last.
    let totals: Vec<f64> = results.iter().map(|r| r.as_ref().map_or(f64::NAN, |s| s.total)).collect();
    let mut order = rank(&totals);
    if let Some(n) = top {
        order.truncate(n);
    }
    for w in m.warnings() {
        eprintln!("warning: {}", w.message);
    }
    let cats: Vec<&str> = m.categories().iter().map(|c| c.id.as_str()).collect();
    let mut out = String::new();
    match format {
        OutFormat::Table => table(&mut out, (&m, lang), &rows, &kept, &results, &order),
        OutFormat::Csv | OutFormat::Parquet => {
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
            let mut header = vec!["rank", "id"];
            header.extend(kept.names.iter().map(String::as_str));
            header.extend(["score", "tier"]);
            header.extend(&cats);
            header.extend(["completeness", "max_possible", "error"]);
            w.write_record(&header).map_err(|e| e.to_string())?;
            for (rank, &i) in order.iter().enumerate() {
                let mut rec = vec![(rank + 1).to_string(), rows[i].record.id.clone().unwrap_or_default()];
                rec.extend((0..kept.len()).map(|k| rows[i].kept.get(k).cloned().flatten().unwrap_or_default()));
                match &results[i] {
                    Ok(s) => {
                        rec.push(fmt_num(s.total));
                        rec.push(s.tier.to_string());
                        rec.extend(s.categories.iter().map(|c| fmt_num(c.points)));
                        rec.push(fmt_num(s.completeness));
                        rec.push(fmt_num(s.bounds.max));
                        rec.push(String::new());
                    }
                    Err(e) => {
                        rec.extend(std::iter::repeat_n(String::new(), 2 + cats.len() + 2));
                        rec.push(e.clone());
                    }
                }
                w.write_record(&rec).map_err(|e| e.to_string())?;
            }
            out = String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        }
        OutFormat::Jsonl | OutFormat::Json => {
            let objs: Vec<serde_json::Value> = order
                .iter()
                .enumerate()
                .map(|(rank, &i)| {
                    let mut o = serde_json::Map::new();
                    o.insert("rank".into(), (rank + 1).into());
                    o.insert("id".into(), rows[i].record.id.clone().into());
                    for (k, key) in kept.names.iter().enumerate() {
                        o.insert(key.clone(), rows[i].kept.get(k).cloned().flatten().into());
                    }
                    match &results[i] {
                        Ok(s) => {
                            o.insert("score".into(), s.total.into());
                            o.insert("tier".into(), s.tier.as_str().into());
                            for c in &s.categories {
                                o.insert(c.id.clone(), c.points.into());
                            }
                            o.insert("completeness".into(), s.completeness.into());
                            o.insert("max_possible".into(), s.bounds.max.into());
                            o.insert("error".into(), serde_json::Value::Null);
                        }
                        Err(e) => {
                            for k in ["score", "tier"].iter().chain(&cats).chain(&["completeness", "max_possible"]) {
                                o.insert(k.to_string(), serde_json::Value::Null);
                            }
                            o.insert("error".into(), e.clone().into());
                        }
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            if format == OutFormat::Json {
                out = serde_json::to_string_pretty(&objs).map_err(|e| e.to_string())? + "\n";
            } else {
                for o in objs {
                    out.push_str(&o.to_string());
                    out.push('\n');
                }
            }
        }
    }
    sink.writer().write_all(out.as_bytes()).map_err(|e| e.to_string())?;
    sink.finish()?;
    if flagged > 0 {
        eprintln!("{flagged} row(s) flagged; the others were scored");
    }
    Ok(ExitCode::SUCCESS)
}

fn table(
    out: &mut String,
    (m, lang): (&Model, Lang),
    rows: &[Row],
    kept: &keep::Kept,
    results: &[Result<Score, String>],
    order: &[usize],
) {
    // Kept columns other than the name (which has its own column) end each line.
    let extras: Vec<usize> = (0..kept.len()).filter(|k| Some(*k) != kept.name_slot).collect();
    let end_line = |out: &mut String, row: Option<&Row>| {
        for &k in &extras {
            let cell = match row {
                Some(r) => r.kept.get(k).cloned().flatten().unwrap_or_default(),
                None => kept.names[k].clone(),
            };
            let _ = write!(out, "  {:<22}", short(&cell, 22));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    };
    let cats: Vec<String> = m.categories().iter().map(|c| short(&c.id, 12)).collect();
    let t = |key| lang::text(lang, key);
    let _ = write!(
        out,
        "{:>4}  {:<12} {:<22} {:>6}  {:<21}",
        t("table.rank"),
        t("table.id"),
        t("table.name"),
        t("table.score"),
        t("table.tier")
    );
    for c in &cats {
        let _ = write!(out, " {c:>12}");
    }
    let _ = write!(out, " {:>8}", t("table.complete"));
    end_line(out, None);
    let mut counts = [0usize; 5];
    for (rank, &i) in order.iter().enumerate() {
        let id = rows[i].record.id.clone().unwrap_or_default();
        let name = rows[i].name.clone().unwrap_or_default();
        let _ = write!(out, "{:>4}  {:<12} {:<22} ", rank + 1, short(&id, 12), short(&name, 22));
        match &results[i] {
            Ok(s) => {
                counts[s.tier.code() as usize] += 1;
                let _ = write!(out, "{:>6}  {:<21}", fmt_num(s.total), tier_text(lang, s.tier));
                for c in &s.categories {
                    let _ = write!(out, " {:>12}", format!("{}/{}", fmt_num(c.points), fmt_num(c.max)));
                }
                let _ = write!(out, " {:>7}%", fmt_num((s.completeness * 100.0).round()));
            }
            Err(e) => {
                let _ = write!(out, "{:>6}  error: {e}", "-");
            }
        }
        end_line(out, Some(&rows[i]));
    }
    let _ = writeln!(out);
    let summary: Vec<String> = Tier::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(&tier, n)| format!("{} {n}", tier_text(lang, tier)))
        .collect();
    let count = order.len().to_string();
    let _ =
        writeln!(out, "{}", lang::message(lang, "table.shown", &[("count", &count), ("tiers", &summary.join(", "))]));
}

/// Text for a terminal cell: control characters escaped, at most `n` characters.
fn short(s: &str, n: usize) -> String {
    let s = &printable(s, n + 1);
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// `explain --json` of a whole CSV or JSON Lines file, streamed.
fn explain_stream(
    a: &ModelArgs,
    on_error: OnErrorArg,
    (keep, lang): (&keep::Keep, Lang),
    path: &str,
) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(a)?;
    let m = advocacy_program::localize_model(&m, lang);
    let mapping = a.mapping()?;
    let opts = stream::Options {
        mapping: &mapping,
        flag: on_error == OnErrorArg::Flag,
        output: stream::Output::Jsonl,
        top: None,
        input_order: true,
        as_of,
        rows_not_lines: stream::is_parquet(path),
        keep,
        signals: false,
        lang,
    };
    for w in m.warnings() {
        eprintln!("warning: {}", w.message);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let flagged = stream::explain(path, &m, &opts, &mut out)?;
    out.flush().map_err(|e| e.to_string())?;
    if flagged > 0 {
        eprintln!("{flagged} row(s) flagged; the others were explained");
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(
    a: &ModelArgs,
    (id, history): (Option<&str>, Option<&str>),
    json: bool,
    on_error: OnErrorArg,
    (keep, lang): (&keep::Keep, Lang),
    sources: &SourceArgs,
    input: Option<&str>,
) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(a)?;
    let m = advocacy_program::localize_model(&m, lang);
    let flag = on_error == OnErrorArg::Flag;
    let (rows, warnings, input, kept) = load_rows(&m, a, sources, input, flag && id.is_none(), (keep, &[]))?;
    for w in warnings {
        eprintln!("warning: {}", printable(&w, 400));
    }
    let input = input.as_str();
    let chosen: Vec<&Row> = match id {
        Some(id) => vec![rows
            .iter()
            .find(|r| r.record.id.as_deref() == Some(id))
            .ok_or_else(|| format!("{input}: no account with id {id:?}"))?],
        None => rows.iter().collect(),
    };
    let records: Vec<_> = chosen.iter().map(|r| r.record.clone()).collect();
    let results = m.score_records(&records, as_of);
    let shown = if input == "-" { "<stdin>" } else { input };
    // The account's entry in the history's report (with --id): its timeline, trend, revisit.
    let past = match (history, id) {
        (Some(dir), Some(id)) => {
            let mut options = serde_json::Map::new();
            if let Some(d) = as_of {
                options.insert("as_of".into(), d.to_string().into());
            }
            let (report, _) = history::report(dir, options)?;
            let found = report["accounts"].as_array().and_then(|a| a.iter().find(|x| x["account"] == id)).cloned();
            Some((dir, found.unwrap_or(serde_json::Value::Null)))
        }
        _ => None,
    };
    let mut out = String::new();
    let mut flagged = 0;
    for (row, scored) in chosen.iter().zip(results) {
        let kept_json = (!kept.is_empty()).then(|| keep::json_object(&kept.names, &row.kept));
        let scored = match &row.broken {
            Some(why) => Err(why.clone()),
            None => scored.map_err(|mut e| {
                e.row = None;
                if row.line > 0 {
                    format!("{shown}:{}: {e}", row.line)
                } else {
                    format!("{shown}: {e}")
                }
            }),
        };
        match scored {
            Ok(s) if json && id.is_some() => {
                let mut v = serde_json::to_value(&s).map_err(|e| e.to_string())?;
                if let (Some(o), Some(k)) = (v.as_object_mut(), kept_json) {
                    o.insert("kept".into(), k);
                }
                if let (Some(o), Some((_, h))) = (v.as_object_mut(), &past) {
                    o.insert("history".into(), h.clone());
                }
                out += &(serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n")
            }
            Ok(s) if json => {
                let mut text = serde_json::to_string(&s).map_err(|e| e.to_string())?;
                if let Some(k) = kept_json {
                    keep::append_kept(&mut text, &k);
                }
                out += &(text + "\n");
            }
            Ok(s) => {
                if !out.is_empty() {
                    out.push('\n');
                }
                let day = as_of.unwrap_or_else(program::today);
                let file = Some(input).filter(|_| !sources.given());
                let asks = program::asks_now(&m, &row.record, &s, (file, &a.mapping()?), (day, lang))?;
                out += &lang::explain_text_with(&s, row.name.as_deref(), lang, Some(&asks));
                if let Some((dir, h)) = &past {
                    out += &history::last_scores(dir, h);
                }
            }
            Err(why) if !flag || id.is_some() => return Err(why),
            Err(why) => {
                eprintln!("flagged: {}", printable(&why, 4000));
                flagged += 1;
                if json {
                    let mut v = serde_json::json!({"line": row.line, "id": row.record.id, "error": why});
                    if let (Some(o), Some(k)) = (v.as_object_mut(), kept_json) {
                        o.insert("kept".into(), k);
                    }
                    out += &(v.to_string() + "\n");
                }
            }
        }
    }
    print!("{out}");
    if flagged > 0 {
        eprintln!("{flagged} row(s) flagged; the others were explained");
    }
    Ok(ExitCode::SUCCESS)
}

/// `advocacy columns`: how each header is read.
fn columns(a: &ModelArgs, input: &str) -> Result<ExitCode, String> {
    let (m, _) = build_model(a)?;
    let headers = read_headers(input)?;
    let plan = m.read_columns(&headers, &a.mapping()?).map_err(|e| format!("{input}: {e}"))?;
    let width = plan.columns.iter().map(|c| printable(&c.header, 40).chars().count()).max().unwrap_or(6).max(6);
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$}  {:<22}  why", "column", "read as");
    for c in &plan.columns {
        let role = match &c.role {
            ColumnRole::Id => "account id".to_string(),
            ColumnRole::Name => "account name".to_string(),
            ColumnRole::Observed => "observation date".to_string(),
            ColumnRole::Signal(s) => s.clone(),
            ColumnRole::Ignored => "(ignored)".to_string(),
        };
        let _ = writeln!(out, "{:<width$}  {:<22}  {}", printable(&c.header, 40), role, c.reason);
    }
    let read: Vec<&str> = plan
        .columns
        .iter()
        .filter_map(|c| match &c.role {
            ColumnRole::Signal(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let missing: Vec<&str> = m.read_signals().into_iter().filter(|s| !read.contains(s)).collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "\nsignals the model reads that no column holds: {}", missing.join(", "));
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    if let Err(e) = plan.check_reads_something(&m) {
        return Err(format!("{input}: {e}"));
    }
    Ok(ExitCode::SUCCESS)
}
