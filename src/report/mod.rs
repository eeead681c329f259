//! `fleksim report`: turns results folders into one self-contained HTML
//! page for a steering group — text, tables and inline SVG charts, no
//! scripts, fonts or anything else fetched from a network.
//!
//! The pipeline is one way: [`data`] reads each folder ([`data::Folder`]:
//! a run, a comparison, a tornado or a sweep; through [`files`],
//! [`scenario_info`] and [`sweep_data`]) → the views ([`run_view`],
//! [`comparison_view`], [`tornado_view`], [`sweep_view`]) turn each into a section of
//! HTML, drawing charts through [`charts`] and printing numbers through
//! [`values`] in the [`i18n::Lang`] asked for → [`html::page`] wraps the
//! sections → [`write_atomic`] puts the file in place, after
//! [`output::check_out`] made sure, before any work, that `--out` is no
//! input, folder or file of the user's.
//!
//! Invariants: the page depends only on the folders and the language (no
//! clock, no paths of the machine beyond what the folders name); bad input
//! is an [`InputError`] naming the file and what is allowed, never a panic.

pub mod charts;
pub mod comparison_view;
pub mod data;
pub mod files;
pub mod html;
pub mod i18n;
pub mod output;
pub mod run_view;
pub mod scenario_info;
pub mod sweep_data;
pub mod sweep_view;
pub mod tornado_view;
pub mod values;

use crate::error::InputError;
use data::Folder;
use i18n::Lang;
pub use output::write_atomic;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Results folders: of `fleksim run`, `fleksim compare`, `fleksim tornado`
    /// or `fleksim sweep` (merged or unsharded); each gets its own section,
    /// in the order given.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The HTML file to write [default: report.html in the first DIR]. An
    /// existing file is replaced only if it is a report fleksim wrote; an
    /// input, a folder or a link out of its folder is refused.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Language of labels and numbers: `en` (1,234.5) or `da` (1.234,5).
    #[arg(long, default_value = "en", value_name = "en|da")]
    pub lang: String,
}

/// Runs `fleksim report`.
pub fn command(a: ReportArgs) -> anyhow::Result<()> {
    let lang = Lang::parse(&a.lang)?;
    let Some(first) = a.dirs.first() else {
        return Err(InputError(
            "give at least one results folder: `fleksim report DIR [DIR ...]`".into(),
        )
        .into());
    };
    let out = a.out.clone().unwrap_or_else(|| first.join("report.html"));
    output::check_out(&out, &a.dirs)?;
    let page = render(&a.dirs, lang)?;
    // Checked again: the folders may have changed while the page was made.
    let target = output::check_out(&out, &a.dirs)?;
    write_atomic(&target, page.as_bytes())?;
    eprintln!("report → {}", out.display());
    Ok(())
}

/// The page for `dirs` in `lang`.
pub fn render(dirs: &[PathBuf], lang: Lang) -> anyhow::Result<String> {
    let folders = dirs
        .iter()
        .map(|d| data::read_folder(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut sections = Vec::new();
    for f in &folders {
        sections.push(match f {
            Folder::Run(r) => run_view::section(r, lang)?,
            Folder::Comparison(c) => comparison_view::section(c, lang)?,
            Folder::Tornado(t) => tornado_view::section(t, lang)?,
            Folder::Sweep(s) => sweep_view::section(s, lang)?,
        });
    }
    Ok(html::page(lang, &sections))
}
