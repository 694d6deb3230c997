//! `annotate merge`, `annotate migrate`, `annotate project`: the commands that carry
//! annotations between files, versions and translations. Results go to `-o FILE` (written
//! atomically) or standard output; what happened goes to standard error.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;

use super::{emit, text_of};
use crate::cli::{GlobalArgs, Output, load_options};
use collate::annotate::ident;
use collate::annotate::merge::{self, Side};
use collate::annotate::migrate::{self, Counts, MigrateConfig, Outcome};
use collate::annotate::model::{AnnotationFile, Status};
use collate::annotate::project::{self, ProjectConfig};
use collate::annotate::store;
use collate::exit;

const MERGE_EXAMPLES: &str = "\
Examples:
  collate annotate merge alice.json bob.json -o merged.json              # union
  collate annotate merge ours.json theirs.json --base base.json -o out.json # three-way

As a git merge driver for annotation files:
  # .gitattributes
  annotations/*.json merge=collate-annotations
  # git config (once per clone)
  git config merge.collate-annotations.name 'collate annotation merge'
  git config merge.collate-annotations.driver 'collate annotate merge %A %B --base %O --name ours --name theirs -o %A'

Exit status: 0 merged, 1 conflicts (kept in the output, marked, listed on stderr), 2 trouble.";

/// Merge annotators' files: a union, or three-way against a common base. Nothing is dropped.
///
/// Annotations are matched by ID. Changes on one side are taken; changes to different fields on
/// both sides are combined; the same field changed differently, or a deletion against a change,
/// is a conflict: every version is kept in the output with a `conflict` mark and listed on
/// stderr. Semantic duplicates (different IDs, same target and body) and label disagreements
/// (same target, different labels) are reported too.
#[derive(Debug, Args)]
#[command(after_help = MERGE_EXAMPLES)]
pub struct MergeArgs {
    /// The files to merge (two or more; or one with --base).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The common ancestor, for a three-way merge.
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
    /// Names for the files in conflict marks, in order (default: their paths).
    #[arg(long = "name", value_name = "NAME")]
    pub names: Vec<String>,
    /// Where to write the result (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn merge(args: &MergeArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    if args.files.len() < 2 && args.base.is_none() {
        bail!("merge needs two files or more (or --base for a three-way merge)");
    }
    let files: Vec<AnnotationFile> = args
        .files
        .iter()
        .map(|p| store::read(p))
        .collect::<collate::Result<_>>()?;
    let names: Vec<String> = args
        .files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            args.names
                .get(i)
                .cloned()
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect();
    let base = args.base.as_ref().map(|p| store::read(p)).transpose()?;
    let sides: Vec<Side> = names
        .iter()
        .zip(&files)
        .map(|(name, file)| Side { name, file })
        .collect();
    let base_side = base.as_ref().map(|file| Side { name: "base", file });
    let order = text_of(&args.files[0], &files[0].text, None, global).ok();
    let (merged, report) = merge::merge(&sides, base_side, order.as_ref().map(|t| &t.doc))?;
    emit(args.output.as_deref(), &merged.to_json(), out)?;
    let target = args.output.as_ref().map_or_else(
        || "standard output".to_string(),
        |p| p.display().to_string(),
    );
    let mut summary = format!(
        "collate: merged {} files into {target}: {} annotations",
        files.len() + usize::from(base.is_some()),
        report.annotations
    );
    if base.is_some() {
        summary.push_str(&format!(
            " ({} added, {} deleted, {} changed)",
            report.added, report.deleted, report.changed
        ));
    }
    eprintln!(
        "{summary}, {} conflict{}",
        report.conflicts.len(),
        if report.conflicts.len() == 1 { "" } else { "s" }
    );
    for c in &report.conflicts {
        let fields = if c.fields.is_empty() {
            String::new()
        } else {
            format!(" in {}", c.fields.join(", "))
        };
        let kept = if c.versions == 1 {
            "1 version kept, marked".to_string()
        } else {
            format!("{} versions kept, each marked", c.versions)
        };
        eprintln!(
            "collate: conflict ({}) on {}{fields}: {kept} with \"conflict\"",
            c.kind, c.id
        );
    }
    for [a, b] in &report.duplicates {
        eprintln!("collate: duplicate: {a} and {b} have the same target and body");
    }
    for d in &report.label_disagreements {
        eprintln!(
            "collate: label disagreement: {} says {}, {} says {} (same target)",
            d.ids[0], d.labels[0], d.ids[1], d.labels[1]
        );
    }
    Ok(if report.conflicts.is_empty() {
        exit::SUCCESS
    } else {
        exit::DIFFERENT
    })
}

const MIGRATE_EXAMPLES: &str = "\
Examples:
  collate annotate migrate annotations/irkutsk-statement-2001.ja.json \\
      --to texts/irkutsk-statement-2001.ja.v2.txt -o irkutsk-v2.json
  collate annotate migrate notes.json --from old.txt --to new.txt --no-fuzzy -o notes.new.json

Each annotation ends ok (paragraph unchanged), shifted (mapped through the edit), relocated
(quote found elsewhere in the aligned paragraphs), fuzzy (close match, clearly the best), or
orphaned (kept with its old anchor, never guessed); ambiguous when several places fit equally.
Exit status: 0 all carried, 1 some orphaned or ambiguous, 2 trouble.";

/// Carry annotations to a new version of their text.
#[derive(Debug, Args)]
#[command(after_help = MIGRATE_EXAMPLES)]
pub struct MigrateArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// The old version (default: the text the file names).
    #[arg(long, value_name = "OLD")]
    pub from: Option<PathBuf>,
    /// The new version.
    #[arg(long, value_name = "NEW")]
    pub to: PathBuf,
    /// Where to write the migrated file (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Never re-anchor on an approximate match.
    #[arg(long)]
    pub no_fuzzy: bool,
    /// Minimum score (0–1) of an approximate match.
    #[arg(long, value_name = "X", default_value_t = MigrateConfig::default().min_score)]
    pub min_score: f64,
    /// Also list every annotation's outcome on stderr (not only those that need a person).
    #[arg(short, long)]
    pub verbose: bool,
}

/// Where the output's header should point, relative to the output file (or the current
/// directory when the output is standard output).
fn output_anchor(output: Option<&Path>) -> PathBuf {
    output.map_or_else(|| PathBuf::from("annotations.json"), Path::to_path_buf)
}

pub fn migrate(args: &MigrateArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let file = store::read(&args.file)?;
    let old = text_of(&args.file, &file.text, args.from.as_deref(), global)?;
    let new = super::load_text(&args.to, &load_options(global)?)?;
    let anchor = output_anchor(args.output.as_deref());
    let config = MigrateConfig {
        fuzzy: !args.no_fuzzy,
        min_score: args.min_score,
        ..MigrateConfig::default()
    };
    let (migrated, report) = migrate::migrate(
        &file,
        &old,
        &old.reference_from(&anchor),
        &new,
        new.reference_from(&anchor),
        &config,
    );
    emit(args.output.as_deref(), &migrated.to_json(), out)?;
    for w in &report.warnings {
        eprintln!("collate: warning: {w}");
    }
    print_outcomes(&report.outcomes, args.verbose);
    eprintln!(
        "collate: migrated {} annotations to {}: {}",
        report.outcomes.len(),
        args.to.display(),
        counts_line(&report.counts)
    );
    Ok(if report.counts.orphaned + report.counts.ambiguous > 0 {
        exit::DIFFERENT
    } else {
        exit::SUCCESS
    })
}

/// `3 ok, 1 shifted, …` for the statuses that occurred (all, when none did).
pub fn counts_line(c: &Counts) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter(|&&s| c.get(s) > 0)
        .map(|&s| format!("{} {}", c.get(s), s.as_str()))
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn print_outcomes(outcomes: &[Outcome], verbose: bool) {
    for o in outcomes {
        let needs_person = !matches!(o.status, Status::Ok | Status::Shifted | Status::Relocated);
        if !(verbose || needs_person) {
            continue;
        }
        let to = o.to.as_ref().map_or(String::new(), |t| format!(" → {t}"));
        let why = o
            .detail
            .as_ref()
            .map_or(String::new(), |d| format!(": {d}"));
        eprintln!(
            "collate: {} {}: {}{to}{why}",
            o.status.as_str(),
            o.id,
            o.from
        );
    }
}

const PROJECT_EXAMPLES: &str = "\
Examples:
  collate annotate project annotations/joint-communique-1991.en.json \\
      --to texts/joint-communique-1991.ru.txt -o communique.ru.json
  collate annotate project annotations/joint-communique-1991.en.json \\
      --to texts/joint-communique-1991.ja.txt -o communique.ja.json

Whole-paragraph annotations go to the aligned paragraph(s); ranged ones to the paragraph(s)
covering their place, marked needs-review with the source quote in provenance.
Exit status: 0 all carried, 1 some orphaned (no counterpart), 2 trouble.";

/// Carry annotations onto a translation of their text, through the paragraph alignment.
#[derive(Debug, Args)]
#[command(after_help = PROJECT_EXAMPLES)]
pub struct ProjectArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// The translation.
    #[arg(long, value_name = "TRANSLATION")]
    pub to: PathBuf,
    /// The source text (default: the text the file names).
    #[arg(long, value_name = "SOURCE")]
    pub from: Option<PathBuf>,
    /// Where to write the projected file (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also list every annotation's outcome on stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn project(args: &ProjectArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let file = store::read(&args.file)?;
    let source = text_of(&args.file, &file.text, args.from.as_deref(), global)?;
    let target = super::load_text(&args.to, &load_options(global)?)?;
    let anchor = output_anchor(args.output.as_deref());
    let mut ids = ident::new_id;
    let (projected, report) = project::project(
        &file,
        &source,
        &source.reference_from(&anchor),
        &target,
        target.reference_from(&anchor),
        &ProjectConfig::default(),
        &mut ids,
    );
    emit(args.output.as_deref(), &projected.to_json(), out)?;
    for w in &report.warnings {
        eprintln!("collate: warning: {w}");
    }
    print_outcomes(&report.outcomes, args.verbose);
    eprintln!(
        "collate: projected {} annotations onto {}: {}",
        file.annotations.len(),
        args.to.display(),
        counts_line(&report.counts)
    );
    Ok(if report.counts.orphaned > 0 {
        exit::DIFFERENT
    } else {
        exit::SUCCESS
    })
}
