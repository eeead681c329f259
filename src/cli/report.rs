//! `fleksim report`: flags, the page's path on stderr.

use crate::model::error::InputError;
use crate::report::i18n::Lang;
use crate::report::{output, render_observed, write_atomic};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim report results/aalborg-project
  fleksim report results/compare-aalborg-baseline results/tornado-aalborg-project-psa \\
      --out steering.html --lang da")]
pub struct ReportArgs {
    /// Results folders: of `fleksim run`, `fleksim compare`, `fleksim tornado`
    /// or `fleksim sweep` (merged or unsharded); each gets its own section,
    /// in the order given.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The HTML file to write [default: report.html in the first DIR]. An
    /// existing file is replaced only if it is a report fleksim wrote; an
    /// input, a folder or a link out of its folder is refused.
    #[arg(long, value_name = "FILE", value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// Language of labels and numbers: `en` (1,234.5) or `da` (1.234,5).
    #[arg(long, default_value = "en", value_name = "en|da")]
    pub lang: String,
    /// Observed monthly figures (CSV `month,metric,value[,lower,upper]`) to
    /// draw on the charts against each run's and comparison's 90 % bands;
    /// the months outside the band are listed. A month outside the
    /// simulated horizon, an unknown metric or a non-numeric value is refused.
    #[arg(long, value_name = "FILE")]
    pub observed: Option<PathBuf>,
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
    let observed = a
        .observed
        .as_deref()
        .map(crate::input::observed::Observed::read)
        .transpose()?;
    let page = render_observed(&a.dirs, lang, observed.as_ref())?;
    // Checked again: the folders may have changed while the page was made.
    let target = output::check_out(&out, &a.dirs)?;
    write_atomic(&target, page.as_bytes())?;
    eprintln!("report → {}", out.display());
    Ok(())
}
