//! `fleksim report`: turns results folders into one self-contained HTML
//! page for a steering group — text, tables and inline SVG charts, no
//! scripts, fonts or anything else fetched from a network.
//!
//! The pipeline is one way: [`data`] reads each folder ([`data::Folder`]:
//! a run, a comparison or a tornado; through [`files`] and
//! [`scenario_info`]) → the views ([`run_view`],
//! [`comparison_view`], [`tornado_view`]) turn each into a section of
//! HTML, drawing charts through [`charts`] and printing numbers through
//! [`values`] in the [`i18n::Lang`] asked for → [`html::page`] wraps the
//! sections → [`write_atomic`] puts the file in place.
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
pub mod run_view;
pub mod scenario_info;
pub mod tornado_view;
pub mod values;

use crate::error::InputError;
use data::Folder;
use i18n::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Results folders: of `fleksim run`, `fleksim compare` or `fleksim tornado`
    /// (each gets its own section, in the order given).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The HTML file to write [default: report.html in the first DIR].
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
    check_out(&out)?;
    let page = render(&a.dirs, lang)?;
    write_atomic(&out, page.as_bytes())?;
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
        });
    }
    Ok(html::page(lang, &sections))
}

/// Refuses an `--out` that is a folder or whose folder does not exist,
/// before any work is done.
fn check_out(out: &Path) -> Result<(), InputError> {
    if out.is_dir() {
        return Err(InputError(format!(
            "--out `{}` is a folder: give a file name, e.g. `{}`",
            out.display(),
            out.join("report.html").display()
        )));
    }
    let parent = parent_of(out);
    if !parent.is_dir() {
        return Err(InputError(format!(
            "--out `{}`: the folder `{}` does not exist; create it or choose another --out",
            out.display(),
            parent.display()
        )));
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into
/// place, so a reader never sees half a page and a failure leaves the old
/// file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.html".into());
    let tmp = parent_of(path).join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!("cannot write `{}`: {e}", path.display());
    }
    Ok(())
}
