//! `annotate export` and `annotate import`: W3C Web Annotation (JSON-LD) and STAM JSON.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use super::{emit, now, text_of};
use crate::cli::{GlobalArgs, Output, load_options};
use collate::annotate::store;
use collate::annotate::w3c::{self, Offsets};
use collate::annotate::{model::sort_annotations, stam};
use collate::exit;

/// `--format` of export and import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Exchange {
    /// W3C Web Annotation, JSON-LD (an AnnotationCollection).
    W3c,
    /// STAM JSON (an AnnotationStore with the text inline).
    Stam,
}

/// `--offsets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OffsetsArg {
    /// Unicode code points (W3C, STAM, collate).
    Chars,
    /// UTF-16 code units (JavaScript tools: Hypothesis, Recogito, INCEpTION).
    Utf16,
}

impl From<OffsetsArg> for Offsets {
    fn from(o: OffsetsArg) -> Self {
        match o {
            OffsetsArg::Chars => Offsets::Chars,
            OffsetsArg::Utf16 => Offsets::Utf16,
        }
    }
}

const EXPORT_EXAMPLES: &str = "\
Examples:
  collate annotate export annotations/joint-communique-1991.en.json --format w3c
  collate annotate export annotations/joint-communique-1991.en.json --format w3c --offsets utf16
  collate annotate export annotations/joint-communique-1991.en.json --format stam -o communique.stam.json";

/// Export annotations as W3C Web Annotations (JSON-LD) or as a STAM JSON store.
#[derive(Debug, Args)]
#[command(after_help = EXPORT_EXAMPLES)]
pub struct ExportArgs {
    /// The annotation file.
    pub file: PathBuf,
    /// The format.
    #[arg(long, value_enum)]
    pub format: Exchange,
    /// How W3C TextPositionSelector offsets are counted.
    #[arg(long, value_enum, default_value_t = OffsetsArg::Chars)]
    pub offsets: OffsetsArg,
    /// The text (default: the one the file names); needed for STAM and UTF-16 offsets.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// Where to write (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn export(args: &ExportArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let file = store::read(&args.file)?;
    let needs_text = args.format == Exchange::Stam || args.offsets == OffsetsArg::Utf16;
    let text = if needs_text {
        Some(text_of(
            &args.file,
            &file.text,
            args.text.as_deref(),
            global,
        )?)
    } else {
        None
    };
    let rendered = match (args.format, &text) {
        (Exchange::W3c, _) => w3c::export(&file, text.as_ref(), args.offsets.into())?,
        (Exchange::Stam, Some(t)) => collate::render::json::to_string(&stam::export(&file, t)?),
        (Exchange::Stam, None) => bail!("STAM export needs the text"),
    };
    emit(args.output.as_deref(), &rendered, out)?;
    Ok(exit::SUCCESS)
}

const IMPORT_EXAMPLES: &str = "\
Examples:
  collate annotate import communique.w3c.json --format w3c -o annotations/communique.json
  collate annotate import hypothesis.json --format w3c --offsets utf16 \\
      --text texts/joint-communique-1991.en.txt -o annotations/from-hypothesis.json
  collate annotate import store.stam.json --format stam \\
      --text texts/joint-communique-1991.en.txt -o annotations/from-stam.json

A file exported by collate comes back unchanged (it names its text and offset unit). For
annotations made by other tools, pass --text: selectors on the whole text are mapped to
paragraphs. A STAM store must hold that very text inline; its annotations that cannot be placed
on one paragraph are listed on stderr and left out (exit status 1).";

/// Import W3C Web Annotations (a collection, a page, a list or one annotation) or a STAM JSON
/// annotation store.
#[derive(Debug, Args)]
#[command(after_help = IMPORT_EXAMPLES)]
pub struct ImportArgs {
    /// The W3C JSON-LD or STAM JSON file.
    pub file: PathBuf,
    /// The format.
    #[arg(long, value_enum)]
    pub format: Exchange,
    /// How offsets are counted in the input, when it does not say (W3C; STAM counts chars).
    #[arg(long, value_enum, default_value_t = OffsetsArg::Chars)]
    pub offsets: OffsetsArg,
    /// The text the annotations are on (default: the one the input names: W3C `collate:text`,
    /// or the STAM resource's `@id` as a path beside the output).
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// The annotation file to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

pub fn import(args: &ImportArgs, global: &GlobalArgs, _out: &mut Output) -> Result<u8> {
    let bytes = std::fs::read(&args.file).map_err(|e| collate::Error::io(&args.file, e))?;
    let input: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not JSON", args.file.display()))?;
    if args.format == Exchange::Stam {
        return import_stam(args, &input, global);
    }
    let declared: Option<collate::annotate::TextRef> = input
        .get("collate:text")
        .and_then(|t| serde_json::from_value(t.clone()).ok());
    let text = match (&args.text, &declared) {
        (Some(p), _) => Some(super::load_text(p, &load_options(global)?)?),
        (None, Some(r)) => text_of(&args.output, r, None, global).ok(),
        (None, None) => None,
    };
    let text_ref = match (&args.text, &text) {
        (Some(_), Some(t)) => Some(t.reference_from(&args.output)),
        _ => None,
    };
    let mut input = input;
    if text_ref.is_some()
        && let Some(o) = input.as_object_mut()
    {
        // --text names the text: it replaces the one the input declares.
        o.remove("collate:text");
    }
    let mut file = w3c::import(&input, text.as_ref(), text_ref, args.offsets.into(), &now())?;
    sort_annotations(&mut file.annotations, text.as_ref().map(|t| &t.doc));
    store::write_atomic(&args.output, file.to_json().as_bytes())?;
    eprintln!(
        "collate: imported {} annotations into {}",
        file.annotations.len(),
        args.output.display()
    );
    Ok(exit::SUCCESS)
}

/// `annotate import --format stam`.
fn import_stam(args: &ImportArgs, store: &serde_json::Value, global: &GlobalArgs) -> Result<u8> {
    if args.offsets != OffsetsArg::Chars {
        bail!("--offsets utf16 is for W3C input: STAM counts offsets in Unicode code points");
    }
    let text_path = match &args.text {
        Some(p) => p.clone(),
        None => {
            let resources = store.get("resources").and_then(serde_json::Value::as_array);
            let named: Vec<&str> = resources
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("@id").and_then(serde_json::Value::as_str))
                .collect();
            match named.as_slice() {
                [one] => store::resolve_text_path(&args.output, one),
                _ => bail!(
                    "{}: the store does not name one text resource; pass --text FILE",
                    args.file.display()
                ),
            }
        }
    };
    let text = super::load_text(&text_path, &load_options(global)?)
        .with_context(|| format!("the text of {} (pass --text FILE)", args.file.display()))?;
    let header = text.reference_from(&args.output);
    let mut imported = stam::import(store, &text, header, &now())
        .with_context(|| format!("{}", args.file.display()))?;
    sort_annotations(&mut imported.file.annotations, Some(&text.doc));
    store::write_atomic(&args.output, imported.file.to_json().as_bytes())?;
    for why in &imported.skipped {
        eprintln!("collate: warning: left out {why}");
    }
    eprintln!(
        "collate: imported {} annotations into {}{}",
        imported.file.annotations.len(),
        args.output.display(),
        match imported.skipped.len() {
            0 => String::new(),
            n => format!("; {n} left out (above)"),
        }
    );
    Ok(if imported.skipped.is_empty() {
        exit::SUCCESS
    } else {
        exit::DIFFERENT
    })
}
