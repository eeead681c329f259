//! `fleksim calibrate`: flags, the progress bar and the summary on stderr.

use crate::analysis::calibrate::{self, Calibration, Progress};
use crate::analysis::runner::Runner;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The folder holds a checkpoint after every complete generation: run \
the same command again after a stop and it resumes after the last complete generation (a \
changed calibration file, base scenario or program version starts afresh). Results do not \
depend on --threads.\n\nExamples:\n  \
fleksim calibrate scenarios/calibration/aalborg.toml\n  \
fleksim calibrate my-jobcenter.toml --out results/my-fit --threads 2"
)]
pub struct CalibrateArgs {
    /// Calibration file (TOML; docs/calibration.md).
    pub calibration: PathBuf,
    /// Output folder [default: results/<calibration name>/].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// No progress bar and no summary on stderr.
    #[arg(long)]
    pub quiet: bool,
}

fn bar(quiet: bool, name: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} points ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_string());
    bar
}

pub fn command(a: CalibrateArgs) -> anyhow::Result<()> {
    let cal = Calibration::load(&a.calibration)?;
    let threads = crate::model::limits::threads(a.threads);
    crate::model::limits::check_memory(crate::model::limits::estimate_bytes(
        &cal.model.base,
        threads,
        1,
    ))?;
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&cal.name));
    let runner = Runner::new(a.threads)?;
    let pb = bar(a.quiet, &cal.name);
    let quiet = a.quiet;
    let mut total = |n: u64| pb.inc_length(n);
    let mut generation = |g: &calibrate::smc::Generation| {
        let msg = format!(
            "generation {}: tolerance {:.3}, {} replications a point, {} points run, ESS {:.0}",
            g.generation, g.tolerance, g.replications, g.evaluations, g.ess
        );
        if !quiet {
            pb.println(&msg);
        }
    };
    let outcome = calibrate::calibrate(
        &cal,
        &runner,
        &out,
        Progress {
            point: &|| pb.inc(1),
            total: &mut total,
            generation: &mut generation,
        },
    )?;
    pb.finish_and_clear();
    if quiet {
        return Ok(());
    }
    if let Some(g) = outcome.resumed_after {
        eprintln!("resumed after generation {g} from {}", out.display());
    }
    let st = &outcome.state;
    let inside = outcome.fit.iter().filter(|r| r.inside).count();
    eprintln!(
        "{}: {} ({} generations, tolerance {:.3}); {} points run ({} replications) in {:.1} s; \
         {inside} of {} targets inside their tolerance at the posterior median → {}",
        cal.name,
        match st.stopped.as_deref() {
            Some("converged") => "converged",
            Some("budget") => "stopped at max_evaluations",
            _ => "stopped at the last generation",
        },
        st.history.len(),
        st.tolerance(),
        st.evaluations,
        st.replications_run,
        outcome.elapsed_seconds,
        outcome.fit.len(),
        outcome.path.display()
    );
    for r in outcome.fit.iter().filter(|r| !r.inside) {
        eprintln!(
            "  outside: {} observed {} [{} – {}], simulated {:.4} ({:.4} – {:.4})",
            r.name, r.observed, r.lower, r.upper, r.p50, r.p05, r.p95
        );
    }
    Ok(())
}
