//! `collate annotate …`: standoff annotations keyed by paragraph ID.
//!
//! This file holds the subcommand tree and the everyday commands (`add`, `list`, `validate`);
//! `annotate/carry.rs` holds the ones that carry annotations (`merge`, `migrate`, `project`)
//! and `annotate/interop.rs` the W3C and STAM exchange (`export`, `import`).

mod carry;
mod interop;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use unicode_normalization::UnicodeNormalization;

use super::{GlobalArgs, Output, load_options};
use collate::annotate::anchor::{self, NewAnnotation, Selection};
use collate::annotate::model::{AnnotationFile, Body, BodyChange, Status, sort_annotations};
use collate::annotate::store::{self, LoadedText};
use collate::annotate::validate::{IdRegistry, validate_file};
use collate::annotate::{ident, model::TextRef};
use collate::{exit, render};

const EXAMPLES: &str = "\
Examples:
  collate annotate add texts/compendium-1992-period6.en.txt --para p10 --quote Habomai --label LOC
  collate annotate list annotations/compendium-1992-period6.en.json --format text
  collate annotate validate annotations/*.json
  collate annotate merge alice.json bob.json --base base.json -o merged.json
  collate annotate migrate annotations/irkutsk-statement-2001.ja.json \\
      --to texts/irkutsk-statement-2001.ja.v2.txt -o irkutsk-v2.json
  collate annotate project annotations/joint-communique-1991.en.json \\
      --to texts/joint-communique-1991.ru.txt -o communique.ru.json
  collate annotate export annotations/joint-communique-1991.en.json --format w3c

Offsets are counted in Unicode scalar values (chars) inside the paragraph; the end is exclusive.";

/// Standoff annotations by paragraph ID: add, edit, remove, list, validate, merge, migrate,
/// project.
///
/// Annotations live beside the text, keyed by paragraph ID; they can be merged between
/// annotators and carried to a new version of the text or to a translation.
///
/// An annotation file names the text it annotates (path relative to the file, and a hash of its
/// content). Each annotation points at a paragraph ID and optionally a char range with the
/// quoted text and 32 chars of context on each side, and holds a note, tags, a label and a link.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AnnotateArgs {
    // Boxed: the argument structs of the subcommands are large, the other commands' small.
    #[command(subcommand)]
    command: Box<AnnotateCommand>,
}

#[derive(Debug, Subcommand)]
enum AnnotateCommand {
    Add(AddArgs),
    Remove(RemoveArgs),
    Edit(EditArgs),
    List(ListArgs),
    Validate(ValidateArgs),
    Merge(carry::MergeArgs),
    Migrate(carry::MigrateArgs),
    Project(carry::ProjectArgs),
    Export(interop::ExportArgs),
    Import(interop::ImportArgs),
}

pub fn run(args: &AnnotateArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    match args.command.as_ref() {
        AnnotateCommand::Add(a) => add(a, global, out),
        AnnotateCommand::Remove(a) => remove(a, out),
        AnnotateCommand::Edit(a) => edit(a, out),
        AnnotateCommand::List(a) => list(a, global, out),
        AnnotateCommand::Validate(a) => validate(a, global, out),
        AnnotateCommand::Merge(a) => carry::merge(a, global, out),
        AnnotateCommand::Migrate(a) => carry::migrate(a, global, out),
        AnnotateCommand::Project(a) => carry::project(a, global, out),
        AnnotateCommand::Export(a) => interop::export(a, global, out),
        AnnotateCommand::Import(a) => interop::import(a, global, out),
    }
}

/// Now as RFC 3339, or the time `SOURCE_DATE_EPOCH` names (reproducible output).
pub fn now() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or_else(ident::now, ident::timestamp)
}

/// Loads the text an annotation file names (or `explicit`), relative to the file.
pub fn text_of(
    file_path: &Path,
    header: &TextRef,
    explicit: Option<&Path>,
    global: &GlobalArgs,
) -> Result<LoadedText> {
    let path = explicit.map_or_else(
        || store::resolve_text_path(file_path, &header.path),
        Path::to_path_buf,
    );
    load_text(&path, &load_options(global)?)
        .with_context(|| format!("the text of {}", file_path.display()))
}

/// Writes `content` atomically to `path`, or to standard output.
pub fn emit(path: Option<&Path>, content: &str, out: &mut Output) -> Result<()> {
    match path {
        Some(p) => store::write_atomic(p, content.as_bytes())?,
        None => out.print(content)?,
    }
    Ok(())
}

const ADD_EXAMPLES: &str = "\
Examples:
  collate annotate add texts/compendium-1992-period6.en.txt --para p10 --quote Habomai --label LOC
  collate annotate add texts/compendium-1992-period6.en.txt --para p7 --quote Gorbachev --nth 1 --label PER
  collate annotate add texts/compendium-1992-period6.en.txt --para p10 --range 442..449 --label LOC
  collate annotate add texts/joint-declaration-1956.ja.txt --para p2 --quote 千九百五十六年十月十三日 --label DATE
  collate annotate add texts/irkutsk-statement-2001.ja.txt --para p2 --note 'Mori and Putin meet' --by yuki

Prints the new annotation's ID. Two `add` on one file at once both land (the file is locked and
rewritten atomically). Timestamps are now, in UTC, or SOURCE_DATE_EPOCH when it is set.";

/// Add an annotation: on a whole paragraph, a quote in it, or a char range.
#[derive(Debug, Args)]
#[command(after_help = ADD_EXAMPLES)]
pub struct AddArgs {
    /// The text to annotate.
    pub text: PathBuf,
    /// Paragraph ID (see `collate show TEXT`).
    #[arg(long, value_name = "ID")]
    pub para: String,
    /// Annotate this quote (it must occur in the paragraph; once, or pick one with --nth).
    #[arg(long, conflicts_with = "range")]
    pub quote: Option<String>,
    /// Which occurrence of the quote (1 = first).
    #[arg(long, value_name = "K", requires = "quote")]
    pub nth: Option<usize>,
    /// Annotate chars START..END of the paragraph (end exclusive).
    #[arg(long, value_name = "START..END", value_parser = parse_range)]
    pub range: Option<std::ops::Range<usize>>,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// An entity label such as PER, LOC, DATE, ORG.
    #[arg(long)]
    pub label: Option<String>,
    /// A link (an IRI such as https://…).
    #[arg(long, value_name = "IRI")]
    pub link: Option<String>,
    /// Who makes the annotation (default: $COLLATE_ANNOTATOR, else $USER).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The annotation file (default: annotations/STEM.json, STEM the text's name without .txt).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// What to print: the new ID, or the annotation as JSON.
    #[arg(long, value_enum, default_value_t = AddFormat::Id)]
    pub format: AddFormat,
}

/// `--format` of `annotate add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AddFormat {
    /// The new annotation's ID.
    Id,
    /// The annotation as JSON.
    Json,
}

fn parse_range(s: &str) -> Result<std::ops::Range<usize>, String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("{s:?} is not START..END"))?;
    let n = |x: &str| {
        x.trim()
            .parse::<usize>()
            .map_err(|_| format!("{x:?} is not a char offset"))
    };
    Ok(n(a)?..n(b)?)
}

/// Loads a text to annotate: a file, never standard input (an annotation file names its text by
/// path, to be read again).
pub(super) fn load_text(path: &Path, options: &collate::text::LoadOptions) -> Result<LoadedText> {
    if path.as_os_str() == "-" {
        bail!(
            "-: annotations are kept for a text file, which they name to read it again; save the \
             text to a file and annotate that"
        );
    }
    Ok(LoadedText::load(path, options)?)
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

fn add(args: &AddArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let text = load_text(&args.text, &load_options(global)?)?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| store::default_file_for(&args.text));
    if let Some(link) = &args.link
        && !ident::is_iri(link)
    {
        bail!("--link {link:?} is not an IRI (it needs a scheme, such as https://…)");
    }
    let selection = match (&args.quote, &args.range) {
        (Some(q), _) => Selection::Quote {
            text: q.clone(),
            nth: args.nth,
        },
        (None, Some(r)) => Selection::Range(r.clone()),
        (None, None) => Selection::Paragraph,
    };
    let spec = NewAnnotation {
        paragraph: args.para.clone(),
        selection,
        body: Body {
            note: args.note.as_deref().map(nfc),
            tags: args.tags.iter().map(|t| nfc(t)).collect(),
            label: args.label.as_deref().map(nfc),
            link: args.link.clone(),
        },
        creator: args
            .by
            .clone()
            .or_else(|| std::env::var("COLLATE_ANNOTATOR").ok())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_else(|| "anonymous".into()),
        now: now(),
        id: ident::new_id(),
    };
    let annotation = anchor::make(&text.doc, spec)?;
    let added = annotation.clone();
    store::update(
        &path,
        || Ok(AnnotationFile::new(text.reference_from(&path))),
        |file| {
            if !ident::hash_matches(&file.text.hash, &text.hash) {
                return Err(collate::Error::Invalid(format!(
                    "{} annotates another version of {} (hash {}, the text is now {}); carry it over with `collate annotate migrate` first",
                    path.display(),
                    args.text.display(),
                    file.text.hash,
                    text.hash
                )));
            }
            file.annotations.push(annotation);
            sort_annotations(&mut file.annotations, Some(&text.doc));
            Ok(())
        },
    )?;
    let at = match added.target.range() {
        Some(r) => format!("{} {}..{}", added.target.paragraph, r.start, r.end),
        None => added.target.paragraph.clone(),
    };
    eprintln!("collate: {}: added {} on {at}", path.display(), added.id);
    match args.format {
        AddFormat::Id => out.print(&format!("{}\n", added.id))?,
        AddFormat::Json => out.print(&render::json::to_string(&added))?,
    }
    Ok(exit::SUCCESS)
}

const REMOVE_EXAMPLES: &str = "\
Examples:
  collate annotate remove annotations/joint-communique-1991.en.json 01a21bbe-0771-73e5-b623-10dd6b73de47
  collate annotate remove annotations/joint-communique-1991.en.json …6b73de47 …a4a622fd

An ID may be given by its end (the short ID that `annotate list` shows). All or nothing: an ID
that matches no annotation, or several, is an error and the file is left as it was.";

/// Remove annotations by ID (the file is rewritten atomically, under its lock).
#[derive(Debug, Args)]
#[command(after_help = REMOVE_EXAMPLES)]
pub struct RemoveArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// The IDs of the annotations to remove (whole, or their ends).
    #[arg(required = true, num_args = 1.., value_name = "ID")]
    pub ids: Vec<String>,
}

fn remove(args: &RemoveArgs, out: &mut Output) -> Result<u8> {
    let removed = store::update_existing(&args.file, |file| file.remove(&args.ids))
        .with_context(|| format!("{}", args.file.display()))?;
    for a in &removed {
        out.print(&format!("{}\n", a.id))?;
    }
    eprintln!(
        "collate: {}: removed {} annotation{}",
        args.file.display(),
        removed.len(),
        if removed.len() == 1 { "" } else { "s" }
    );
    Ok(exit::SUCCESS)
}

const EDIT_EXAMPLES: &str = "\
Examples:
  collate annotate edit notes.json …6b73de47 --note \"Iturup in Russian; Etorofu in Japanese\"
  collate annotate edit notes.json …6b73de47 --tag islands --untag draft --label LOC
  collate annotate edit notes.json …6b73de47 --no-note --no-link

The anchor (paragraph, range, quote) stays as it is; `modified` becomes now (or
SOURCE_DATE_EPOCH). An ID may be given by its end, as `annotate list` shows it.";

/// Change what an annotation says (note, tags, label, link), keeping its ID and anchor.
#[derive(Debug, Args)]
#[command(after_help = EDIT_EXAMPLES)]
pub struct EditArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// The annotation's ID (whole, or its end).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The new note.
    #[arg(long, conflicts_with = "no_note")]
    pub note: Option<String>,
    /// Remove the note.
    #[arg(long)]
    pub no_note: bool,
    /// A tag to add (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A tag to remove (repeatable).
    #[arg(long = "untag", value_name = "TAG")]
    pub untags: Vec<String>,
    /// The new label.
    #[arg(long, conflicts_with = "no_label")]
    pub label: Option<String>,
    /// Remove the label.
    #[arg(long)]
    pub no_label: bool,
    /// The new link (an IRI).
    #[arg(long, value_name = "IRI", conflicts_with = "no_link")]
    pub link: Option<String>,
    /// Remove the link.
    #[arg(long)]
    pub no_link: bool,
}

fn edit(args: &EditArgs, out: &mut Output) -> Result<u8> {
    if let Some(link) = &args.link
        && !ident::is_iri(link)
    {
        bail!("--link {link:?} is not an IRI (it needs a scheme, such as https://…)");
    }
    let part = |value: &Option<String>, none: bool, norm: fn(&str) -> String| match value {
        Some(v) => Some(Some(norm(v))),
        None if none => Some(None),
        None => None,
    };
    let change = BodyChange {
        note: part(&args.note, args.no_note, nfc),
        label: part(&args.label, args.no_label, nfc),
        link: part(&args.link, args.no_link, str::to_string),
        add_tags: args.tags.iter().map(|t| nfc(t)).collect(),
        remove_tags: args.untags.iter().map(|t| nfc(t)).collect(),
    };
    let stamp = now();
    let edited = store::update_existing(&args.file, |file| {
        let i = file.find(&args.id)?;
        let a = &mut file.annotations[i];
        if a.body.apply(&change) {
            a.modified = stamp.clone();
        }
        Ok(a.clone())
    })
    .with_context(|| format!("{}", args.file.display()))?;
    eprintln!("collate: {}: edited {}", args.file.display(), edited.id);
    out.print(&render::json::to_string(&edited))?;
    Ok(exit::SUCCESS)
}

const LIST_EXAMPLES: &str = "\
Examples:
  collate annotate list annotations/compendium-1992-period6.en.json
  collate annotate list annotations/compendium-1992-period6.en.json --format text --para p10
  collate annotate list communique.ru.json --status needs-review --format json";

/// List annotations: a table, the paragraphs with the annotated ranges marked, or JSON.
#[derive(Debug, Args)]
#[command(after_help = LIST_EXAMPLES)]
pub struct ListArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// Only the annotations on this paragraph.
    #[arg(long, value_name = "ID")]
    pub para: Option<String>,
    /// Only the annotations with this status (ok, shifted, relocated, fuzzy, ambiguous, orphaned, needs-review).
    #[arg(long, value_name = "S", value_parser = parse_status)]
    pub status: Option<Status>,
    /// Output: a table, the annotated paragraphs with their ranges marked, or JSON.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// The text (default: the one the file names); only `--format text` reads it.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
}

/// `--format` of `annotate list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One row per annotation.
    Table,
    /// Each annotated paragraph with the ranges marked ⟦…⟧ⁿ.
    Text,
    /// CSV (RFC 4180), every field in full, for spreadsheets.
    Csv,
    /// JSON.
    Json,
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        format!("{s:?} is not a status ({})", all.join(", "))
    })
}

fn list(args: &ListArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let file = store::read(&args.file)?;
    let shown: Vec<_> = file
        .annotations
        .iter()
        .filter(|a| args.para.as_ref().is_none_or(|p| &a.target.paragraph == p))
        .filter(|a| args.status.is_none_or(|s| a.status == s))
        .collect();
    let rendered = match args.format {
        ListFormat::Table => render::annotations::table(&shown, &out.render),
        ListFormat::Csv => render::annotations::csv(&shown),
        ListFormat::Json => render::json::to_string(&render::annotations::ListReport::new(
            &args.file.display().to_string(),
            &file,
            shown,
        )),
        ListFormat::Text => {
            let text = text_of(&args.file, &file.text, args.text.as_deref(), global)?;
            render::annotations::text(&shown, &text.doc, &out.render)
        }
    };
    out.print(&rendered)?;
    Ok(exit::SUCCESS)
}

const VALIDATE_EXAMPLES: &str = "\
Examples:
  collate annotate validate annotations/*.json
  collate annotate validate draft.json --text texts/joint-communique-1991.en.txt
  collate annotate validate annotations/*.json --format json | jq '.diagnostics[].code'

Exit status: 0 valid (warnings allowed), 1 errors found, 2 a file could not be read.";

/// Validate annotation files: syntax, schema, IDs, anchors against the text, Unicode.
///
/// Every problem of every file is reported in one run, like a compiler does. IDs must be unique
/// across all the files given together.
#[derive(Debug, Args)]
#[command(after_help = VALIDATE_EXAMPLES)]
pub struct ValidateArgs {
    /// The annotation files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Check the anchors against this text instead of the one each file names.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

/// `--format` of `annotate validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Like a compiler: file:line:column: error[A005]: …, with the line shown.
    Human,
    /// JSON (version 1).
    Json,
}

fn validate(args: &ValidateArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let options = load_options(global)?;
    let mut registry = IdRegistry::default();
    let mut sources = BTreeMap::new();
    let mut results = Vec::new();
    let mut unread = Vec::new();
    let mut trouble = false;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let error = collate::Error::io(path, e);
                eprintln!("collate: {error}");
                unread.push(render::diagnostic::Unread {
                    path: name,
                    error: error.to_string(),
                });
                trouble = true;
                continue;
            }
        };
        let mut load = |r: &TextRef| {
            let p = args
                .text
                .clone()
                .unwrap_or_else(|| store::resolve_text_path(path, &r.path));
            load_text(&p, &options).map_err(|e| format!("{e:#}"))
        };
        let result = validate_file(&name, &bytes, &mut load, &mut registry);
        trouble |= result.text_unavailable;
        sources.insert(name, bytes);
        results.push(result);
    }
    let rendered = match args.format {
        DiagnosticFormat::Human => {
            render::diagnostic::human(&results, &unread, &sources, &out.render)
        }
        DiagnosticFormat::Json => render::diagnostic::json(&results, &unread),
    };
    out.print(&rendered)?;
    Ok(if trouble {
        exit::TROUBLE
    } else if results.iter().any(|r| r.errors > 0) {
        exit::DIFFERENT
    } else {
        exit::SUCCESS
    })
}
