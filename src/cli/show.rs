//! `collate show FILE`: the paragraphs of a file with their IDs.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{GlobalArgs, Output, TableOrJson, load_options};
use collate::{exit, render, text};

const EXAMPLES: &str = "\
Examples:
  collate show texts/compendium-1992-period6.en.txt
  collate show texts/joint-communique-1991.ja.txt --width 60
  collate show texts/irkutsk-statement-2001.ru.txt --format json | jq '.paragraphs[0]'";

/// Show the paragraphs of a file with their IDs, lines, sizes and first words.
///
/// A paragraph is a block of lines between blank lines. The N-th paragraph has the ID pN unless it
/// starts with a marker like {#art-9}, which gives it that ID instead.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ShowArgs {
    /// The text file to show (`-`: standard input).
    pub file: PathBuf,
    /// Output format: a table, or JSON with the full text and offsets of every paragraph.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
}

pub fn run(args: &ShowArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let doc = text::read_document(&args.file, &load_options(global)?)?;
    let rendered = match args.format {
        TableOrJson::Table => render::table::show(&doc, &out.render),
        TableOrJson::Json => render::json::to_string(&render::json::ShowReport::new(&doc)),
    };
    out.print(&rendered)?;
    Ok(exit::SUCCESS)
}
