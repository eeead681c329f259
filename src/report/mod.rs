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

use data::Folder;
use i18n::Lang;
pub use output::write_atomic;
use std::path::PathBuf;

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
