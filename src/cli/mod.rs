//! The command line: clap-derive arguments turned into library configuration, one file per
//! subcommand. Errors meet exit codes here and only here: a library error is printed on one line
//! with its chain (`collate: texts/x.txt: no such file`) and exits 2; a broken pipe exits 0.

mod align;
mod annotate;
mod compare;
mod diff;
mod output;
mod report;
mod show;

use std::io::Write;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use collate::exit;
pub use output::Output;

const EXAMPLES: &str = "\
Examples:
  collate show texts/compendium-1992-period6.en.txt
  collate show texts/joint-communique-1991.ja.txt --format json
  collate show legacy.txt --encoding Shift_JIS
  collate align texts/joint-communique-1991.en.txt texts/joint-communique-1991.ja.txt

Exit status: 0 success or same, 1 differences or findings, 2 trouble.
Colour is used only on a terminal, never when NO_COLOR is set.";

/// Compare versions and translations of documents, paragraph by paragraph.
#[derive(Debug, Parser)]
#[command(name = "collate", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Output width in terminal columns (default: the terminal's width, or $COLUMNS, or 80).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    /// Encoding of input files without a BOM: UTF-8 (default), Shift_JIS, EUC-JP, windows-1251,
    /// KOI8-R, UTF-16LE, … (any WHATWG label).
    #[arg(long, global = true, value_name = "NAME")]
    pub encoding: Option<String>,
}

/// The heading of [`NormalizeArgs`] in `--help`.
const CHANGE_HEADING: &str = "What counts as a change";

/// What to disregard when comparing versions (the text shown is always the original).
#[derive(Debug, Clone, Args)]
pub struct NormalizeArgs {
    /// Compare letters without regard to case.
    #[arg(long, help_heading = CHANGE_HEADING)]
    pub ignore_case: bool,
    /// Disregard punctuation and symbols.
    #[arg(long, help_heading = CHANGE_HEADING)]
    pub ignore_punctuation: bool,
    /// Runs of whitespace and line breaks compare as one space (the default: re-wrapped lines
    /// are not a change).
    #[arg(long, overrides_with = "no_ignore_whitespace", help_heading = CHANGE_HEADING)]
    pub ignore_whitespace: bool,
    /// Compare whitespace exactly: re-wrapped lines and changed spacing are changes.
    #[arg(long, overrides_with = "ignore_whitespace", help_heading = CHANGE_HEADING)]
    pub no_ignore_whitespace: bool,
    /// Compare in Unicode NFKC form (full-width digits and letters, half-width katakana).
    #[arg(long, help_heading = CHANGE_HEADING)]
    pub nfkc: bool,
    /// Compare all quotation marks (“ ” « » 「 」 ' ") as one.
    #[arg(long, help_heading = CHANGE_HEADING)]
    pub fold_quotes: bool,
    /// Compare the old forms of kanji (kyūjitai) as their new forms (shinjitai), and the variant
    /// forms of names as the standard ones: 國 = 国, 會 = 会, 髙 = 高, 﨑 = 崎.
    #[arg(long, help_heading = CHANGE_HEADING)]
    pub fold_kanji: bool,
}

impl NormalizeArgs {
    /// The library's options.
    pub fn options(&self) -> collate::text::normalize::NormalizeOptions {
        collate::text::normalize::NormalizeOptions {
            ignore_case: self.ignore_case,
            ignore_punctuation: self.ignore_punctuation,
            ignore_whitespace: !self.no_ignore_whitespace,
            nfkc: self.nfkc,
            fold_quotes: self.fold_quotes,
            fold_kanji: self.fold_kanji,
        }
    }
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always (still never when NO_COLOR is set).
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    Diff(diff::DiffArgs),
    Align(align::AlignArgs),
    Compare(compare::CompareArgs),
    Report(report::ReportArgs),
    Annotate(annotate::AnnotateArgs),
    Show(show::ShowArgs),
}

/// Runs the command line and returns the exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::TROUBLE
            } else {
                exit::SUCCESS
            };
            // Printing help to a closed pipe is not an error worth reporting.
            let _ = e.print();
            return code;
        }
    };
    one_thread_for_small_input(&cli.command);
    let mut out = Output::new(&cli.global);
    let result = match &cli.command {
        Command::Show(args) => show::run(args, &cli.global, &mut out),
        Command::Align(args) => align::run(args, &cli.global, &mut out),
        Command::Compare(args) => compare::run(args, &cli.global, &mut out),
        Command::Report(args) => report::run(args, &cli.global, &mut out),
        Command::Annotate(args) => annotate::run(args, &cli.global, &mut out),
        Command::Diff(args) => diff::run(args, &cli.global, &mut out),
    };
    let result = result.and_then(|code| out.flush().map(|()| code).map_err(Into::into));
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => exit::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "collate: {}", one_line(&e));
            exit::TROUBLE
        }
    }
}

/// Input below this many bytes in all is worked on by the main thread alone.
///
/// Starting the worker threads and handing work between them costs more than it saves on small
/// texts: measured on this project's pairs, one thread is faster up to about 30 KB of Japanese
/// (a character diff of every paragraph) and 200 KB of English, and the texts in `texts/` (2–4
/// KB a pair) take a third less time.
const SMALL_INPUT: u64 = 32 * 1024;

/// Makes the main thread the only worker when the input files of a diff, align, compare or
/// report come to less than [`SMALL_INPUT`] bytes, unless `RAYON_NUM_THREADS` says how many
/// threads to use. Larger input, or input whose size cannot be read (a missing file reports
/// its own error later), keeps the default pool: one thread per core.
fn one_thread_for_small_input(command: &Command) {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return;
    }
    let files: Vec<&std::path::PathBuf> = match command {
        Command::Diff(args) => vec![&args.old, &args.new],
        Command::Align(args) => args.files.iter().collect(),
        Command::Compare(args) => args.files.iter().collect(),
        Command::Report(args) => args.files.iter().collect(),
        Command::Annotate(_) | Command::Show(_) => return,
    };
    let mut total = 0u64;
    for file in files {
        match std::fs::metadata(file) {
            Ok(meta) if meta.is_file() => total += meta.len(),
            _ => return,
        }
    }
    if total < SMALL_INPUT {
        // Fails only if the pool already exists, which leaves things as they were.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global();
    }
}

/// An error chain on one line: `outer: inner: innermost`, without repeating a message that a
/// wrapper already includes.
fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let msg = cause.to_string();
        if parts.last().is_none_or(|last| !last.contains(&msg)) {
            parts.push(msg);
        }
    }
    parts.join(": ")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(
                c.downcast_ref::<collate::Error>(),
                Some(collate::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe
            )
    })
}

/// The load options that `--encoding` asks for.
pub fn load_options(global: &GlobalArgs) -> Result<collate::text::LoadOptions> {
    Ok(match &global.encoding {
        Some(label) => collate::text::LoadOptions::with_encoding(label)?,
        None => collate::text::LoadOptions::default(),
    })
}

/// Output format shared by commands that print a table or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableOrJson {
    /// A table for people.
    Table,
    /// JSON for programs (a versioned schema).
    Json,
}
