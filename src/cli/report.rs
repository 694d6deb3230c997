//! `collate report A B [C …] -o report.html`: the comparison as one self-contained HTML file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::compare::{Loaded, WitnessArgs};
use super::{GlobalArgs, Output};
use collate::exit;
use collate::render::html::{ReportOptions, report};

const EXAMPLES: &str = "\
Examples:
  collate report texts/joint-communique-1991.en.txt texts/joint-communique-1991.ru.txt texts/joint-communique-1991.ja.txt -o communique.html
  collate report texts/irkutsk-statement-2001.ja.txt texts/irkutsk-statement-2001.ja.v2.txt -o irkutsk.html
  collate report a.en.txt a.ru.txt --annotations annotations/a.en.json -o a.html --title \"Article 9\"
  collate report old.txt new.txt -o - | gzip > report.html.gz

The file needs no network and no fonts of its own: open it in any browser, print it, e-mail it.
Exit status: 0 the report was written, 2 trouble.";

/// Write a self-contained HTML report of the witnesses side by side.
///
/// The witnesses are in synchronized columns, with changes and annotations highlighted, a
/// summary, and a strip of every row coloured by similarity or confidence. Versions show their changes inline; translations are shaded by the aligner's confidence.
/// Annotations are highlighted ranges with their notes on hover and in a side list. The file
/// has no external resources and runs no script but its own.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ReportArgs {
    /// The witnesses: the first is the base (old version, or source text), then the others; `-`
    /// for one read from standard input.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: WitnessArgs,
    /// Where to write the report (`-` for standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The page title (default: the witnesses' file names).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

pub fn run(args: &ReportArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let loaded = Loaded::read(&args.files, &args.common, global)?;
    let comparison = loaded.compare()?;
    let html = report(
        &comparison,
        &ReportOptions {
            title: args.title.clone(),
        },
    );
    if args.output.as_os_str() == "-" {
        out.print(&html)?;
    } else {
        write_file(&args.output, html.as_bytes())
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!(
            "collate: wrote {} ({} rows, {} KiB)",
            args.output.display(),
            comparison.rows.len(),
            html.len().div_ceil(1024)
        );
    }
    Ok(exit::SUCCESS)
}

/// Writes to a temporary file beside the target and renames it over the target, so that a
/// reader never sees half a report.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir
        .map_or_else(PathBuf::new, PathBuf::from)
        .join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match result.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
