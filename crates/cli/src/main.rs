//! `kroniek`: turn piles of news articles into a chronicle.

mod entities;
mod eval;
mod output;
mod serve;
mod timeline;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kroniek_model::PartialDate;
use kroniek_pipeline::{AnnotateOptions, IngestOptions, Progress};
use kroniek_store::{EmbeddedStore, SearchQuery, Store};

/// Kroniek reads news articles (Dutch and English) and gives back a chronicle:
/// what happened, when, to whom, who said so and how sure we are.
///
/// Start with `kroniek demo`, which ingests the example articles and runs a
/// search. Every command that uses a store takes `--db DIR` (default
/// `./kroniek-db`, or `$KRONIEK_DB`).
#[derive(Parser, Debug)]
#[command(name = "kroniek", version, about, long_about)]
struct Cli {
    /// Store directory (created if missing).
    #[arg(long, global = true, env = "KRONIEK_DB", default_value = "kroniek-db")]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Ingest files and directories (recursively) into the store.
    ///
    /// Formats are detected by content and extension: plain text (UTF-8 or
    /// Windows-1252, optional first line ` date YYYY-MM[-DD]`), JSON Lines
    /// (fields text, title, date, url, id, lang), HTML pages, WARC/WARC.gz,
    /// RSS/Atom feeds and TimeML; any of them may be gzipped. Exact
    /// duplicates are stored once, near-duplicates are linked to their
    /// original. Files unchanged since an earlier ingest are skipped, so a
    /// re-run is cheap and an interrupted ingest resumes where it stopped.
    /// Problems are reported per file and never stop the rest.
    Ingest {
        /// Files or directories to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Re-read files even if they are unchanged since the last ingest.
        #[arg(long)]
        rescan: bool,
        /// Summary format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Full-text search, ranked, with highlighted snippets.
    ///
    /// QUERY accepts words (stemmed per language, so "aanslag" finds
    /// "aanslagen"), "quoted phrases", +required and -excluded terms, AND/OR.
    Search {
        query: String,
        /// Only documents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        from: Option<PartialDate>,
        /// Only documents dated on or before this date.
        #[arg(long)]
        to: Option<PartialDate>,
        /// Only documents in this language (nl, en, ...).
        #[arg(long)]
        lang: Option<String>,
        /// Maximum number of hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Skip this many hits (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one stored document with its annotations (id or unique id prefix).
    Show {
        doc_id: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Annotate files or standard input without a store, writing one JSON
    /// document per input document (JSON Lines, input order) to stdout.
    ///
    /// Reads every ingest format; `-` (or no FILE) reads standard input. A
    /// JSON Lines record may carry `date` (its document creation time) and
    /// `lang`; --dct and --lang override both. Bad records are reported on
    /// stderr, the others are still written, and the exit code is 2.
    Annotate {
        files: Vec<PathBuf>,
        /// Language: auto-detect, or force one.
        #[arg(long, default_value = "auto")]
        lang: String,
        /// Document creation time to resolve relative dates against.
        #[arg(long)]
        dct: Option<PartialDate>,
        /// `json`: one document JSON per line; `timeml`: TempEval-3 style
        /// TimeML (inline TIMEX3), for the official TempEval-3 scorer.
        #[arg(long, value_enum, default_value_t = AnnotateFormat::Json)]
        format: AnnotateFormat,
        /// With `--format timeml`: write one `.tml` file per document into
        /// this directory (named after the source file) instead of stdout.
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
    /// Score the time stage on the shared corpora and print a table.
    ///
    /// NAME is one of tempeval3, wikiwars, tweets, nl-timex, dating (an
    /// unknown name lists the known ones). The corpora are read from
    /// --shared DIR (default `$KRONIEK_SHARED`, else `../shared`).
    Eval {
        name: String,
        /// Directory holding `corpora/` and `nl_timex_dev/`.
        #[arg(long)]
        shared: Option<PathBuf>,
        /// Also write every mismatch on the development splits to this file.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// Counts of what the store holds.
    Stats {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Serve the JSON API and the web page (search, timeline, entities,
    /// stories, documents) over HTTP.
    ///
    /// Binds to 127.0.0.1 only by default. When another process (an
    /// ingest) holds the store, it is served read-only and follows that
    /// process's commits. See docs/API.md for the endpoints.
    Serve {
        /// Address to listen on (use port 0 for any free port).
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// Allow POST /api/ingest (JSON Lines bodies, kept under DB/uploads).
        #[arg(long)]
        allow_ingest: bool,
    },
    /// The entities linked across the stored articles (people,
    /// organisations, places, other names), most mentioned first, with
    /// their aliases and the dates of the first and last article.
    Entities {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The chronicle: dated events merged across articles, with their sources.
    ///
    /// Sorted by date. Filters combine: --entity (id or any alias), --story,
    /// --query (full text over the reporting articles), --from/--to.
    /// Formats: text, json ({"events": [...]}, see docs/FORMATS.md), csv, and
    /// timelinejs (Knight Lab TimelineJS JSON, ready to publish).
    Timeline(timeline::TimelineArgs),
    /// Stories: articles clustered by subject, latest first.
    Stories(timeline::StoriesArgs),
    /// Ingest the example articles that ship with Kroniek and run a search.
    Demo {
        /// Directory of articles to use instead of the bundled examples.
        #[arg(long)]
        examples: Option<PathBuf>,
        /// The search to run afterwards.
        #[arg(long, default_value = "kalifaat")]
        query: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum AnnotateFormat {
    Json,
    Timeml,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KRONIEK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("kroniek: error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest {
            paths,
            rescan,
            format,
        } => {
            let store = open_store(&cli.db)?;
            let opts = IngestOptions {
                rescan,
                ..Default::default()
            };
            let summary = ingest_with_progress(&store, &paths, &opts)?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&summary)?)?,
                Format::Text => output::ingest_summary(&mut out, &summary)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            from,
            to,
            lang,
            limit,
            offset,
            format,
        } => {
            let store = open_store(&cli.db)?;
            let q = SearchQuery {
                text: query,
                from,
                to,
                lang,
                limit,
                offset,
            };
            let result = store.search(&q)?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?,
                Format::Text => {
                    output::search_hits(&mut out, &q, &result, std::io::stdout().is_terminal())?
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { doc_id, format } => {
            let store = open_store(&cli.db)?;
            let Some(info) = store.get(&doc_id)? else {
                bail!("no document with id {doc_id:?} in {}", cli.db.display());
            };
            let mut out = std::io::stdout().lock();
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&info.doc)?)?,
                Format::Text => output::document(&mut out, &info)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate {
            files,
            lang,
            dct,
            format,
            out_dir,
        } => annotate(&files, &lang, dct, format, out_dir),
        Command::Eval {
            name,
            shared,
            errors,
        } => eval::eval(&name, shared, errors),
        Command::Stats { format } => {
            let store = open_store(&cli.db)?;
            let stats = store.stats()?;
            let mut out = std::io::stdout().lock();
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
                Format::Text => output::stats(&mut out, &stats)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, allow_ingest } => serve::run(&cli.db, &addr, allow_ingest),
        Command::Entities { format } => {
            entities::run(
                &open_store(&cli.db)?,
                format == Format::Json,
                &mut std::io::stdout().lock(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline(a) => timeline::timeline(&cli.db, a),
        Command::Stories(a) => timeline::stories(&cli.db, a),
        Command::Demo { examples, query } => {
            let dir = examples.unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../examples/articles"
                ))
            });
            if !dir.is_dir() {
                bail!(
                    "example articles not found at {} (pass --examples DIR)",
                    dir.display()
                );
            }
            let store = open_store(&cli.db)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "Ingesting {} into {}", dir.display(), cli.db.display())?;
            let summary = ingest_with_progress(&store, &[dir], &IngestOptions::default())?;
            output::ingest_summary(&mut out, &summary)?;
            writeln!(out)?;
            output::stats(&mut out, &store.stats()?)?;
            writeln!(out)?;
            let q = SearchQuery {
                text: query,
                from: None,
                to: None,
                lang: None,
                limit: 5,
                offset: 0,
            };
            let result = store.search(&q)?;
            output::search_hits(&mut out, &q, &result, std::io::stdout().is_terminal())?;
            writeln!(
                out,
                "\nTry: kroniek search 'aanslag' --from 2015 --to 2016, kroniek show ID, kroniek --help"
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_store(db: &std::path::Path) -> Result<EmbeddedStore> {
    EmbeddedStore::open(db).with_context(|| format!("cannot open store {}", db.display()))
}

fn ingest_with_progress(
    store: &dyn Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<kroniek_pipeline::IngestSummary> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = kroniek_pipeline::ingest(store, paths, opts, &mut |p| match p {
        Progress::Files(n) => bar.set_length(n as u64),
        Progress::File(_) => bar.inc(1),
    })?;
    bar.finish_and_clear();
    Ok(summary)
}

fn annotate(
    files: &[PathBuf],
    lang: &str,
    dct: Option<PartialDate>,
    format: AnnotateFormat,
    out_dir: Option<PathBuf>,
) -> Result<ExitCode> {
    let mut timeml = match format {
        AnnotateFormat::Json if out_dir.is_some() => bail!("--out-dir needs --format timeml"),
        AnnotateFormat::Json => None,
        AnnotateFormat::Timeml => Some(eval::TimemlWriter::new(out_dir)?),
    };
    let opts = AnnotateOptions {
        lang: (lang != "auto").then(|| lang.to_string()),
        dct,
    };
    let inputs: Vec<Option<&PathBuf>> = if files.is_empty() {
        vec![None]
    } else {
        files
            .iter()
            .map(|f| (f.as_os_str() != "-").then_some(f))
            .collect()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    const BATCH: usize = 512;
    for input in inputs {
        let records = match input {
            Some(path) => kroniek_formats::read_path(path),
            None => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .context("cannot read standard input")?;
                kroniek_formats::read_bytes("stdin", bytes)
            }
        };
        let name = input.map_or("stdin".into(), |p| p.display().to_string());
        let records = match records {
            Ok(r) => r,
            Err(e) => {
                eprintln!("kroniek: {name}: {e}");
                failed = true;
                continue;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        let mut records = records.peekable();
        while records.peek().is_some() {
            batch.clear();
            for record in records.by_ref().take(BATCH) {
                match record {
                    Ok(raw) => batch.push(raw),
                    Err(e) => {
                        eprintln!("kroniek: {e}");
                        failed = true;
                    }
                }
            }
            for doc in kroniek_pipeline::to_documents(std::mem::take(&mut batch), &opts) {
                if let Some(w) = timeml.as_mut() {
                    w.write(&mut out, &doc)?;
                    continue;
                }
                serde_json::to_writer(&mut out, &doc)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace('\n', " ")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
