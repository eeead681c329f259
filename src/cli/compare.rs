//! `fleksim compare`: flags, the steering table on stdout, the summary line.

use super::progress::progress_bar;
use crate::analysis::compare::{compare_to_dir, steering_table, CompareOptions};
use crate::input::uncertain::Model;
use crate::model::month::Month;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim compare scenarios/aalborg-baseline.toml scenarios/aalborg-project.toml
  fleksim compare scenarios/aalborg-baseline.toml scenarios/aalborg-project.toml \\
      scenarios/aalborg-permanent.toml --replications 500 --at 2018-03 --at 2020-12")]
pub struct CompareArgs {
    /// Baseline scenario file (what we do today).
    pub baseline: PathBuf,
    /// One or more alternative scenario files.
    #[arg(required = true)]
    pub alternatives: Vec<PathBuf>,
    /// Replications (overrides every scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::model::limits::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Random seed for every scenario [default: the baseline's seed].
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::model::limits::MAX_SEED))]
    pub seed: Option<u64>,
    /// Output folder [default: results/compare-<baseline name>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Months at which to report differences (`YYYY-MM`, repeatable)
    /// [default: 2018-03, the KPI month, if simulated, and the last month].
    #[arg(long = "at", value_name = "YYYY-MM", value_parser = Month::parse_arg)]
    pub at: Vec<Month>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// Override a key in every scenario (dotted path, TOML value).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

pub fn command(a: CompareArgs) -> anyhow::Result<()> {
    let mut sets = a.sets.clone();
    if let Some(r) = a.replications {
        sets.push(format!("replications={r}"));
    }
    let base = Model::load(&a.baseline, &sets)?;
    let seed = a.seed.unwrap_or(base.base.seed);
    let replications = a.replications.unwrap_or(base.base.replications);
    let common = |mut s: Vec<String>| {
        s.push(format!("seed={seed}"));
        s.push(format!("replications={replications}"));
        s
    };
    let mut models = vec![Model::load(&a.baseline, &common(a.sets.clone()))?];
    for alt in &a.alternatives {
        models.push(Model::load(alt, &common(a.sets.clone()))?);
    }
    let threads = crate::model::limits::threads(a.threads);
    let need = models
        .iter()
        .map(|m| crate::model::limits::estimate_bytes(&m.base, threads, 1));
    crate::model::limits::check_memory(need.sum())?;
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("compare-{}", base.base.name)));
    let opts = CompareOptions {
        at: a.at.clone(),
        threads: a.threads,
    };
    let clock = Instant::now();
    let total = replications as u64 * models.len() as u64;
    let bar = progress_bar(total, a.quiet, "compare");
    let report = super::had_report(&out);
    let cmp = compare_to_dir(&models, &opts, &out, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if report {
        super::report_removed(&out);
    }
    print!("{}", steering_table(&cmp));
    let grants = cmp.grant_lines();
    if !grants.is_empty() {
        println!("\nProject grant (money.grant_amount) against the grant-funded cost:");
        for g in grants {
            println!("  {g}");
        }
    }
    if !a.quiet {
        eprintln!(
            "\n{} scenarios × {replications} replications in {:.2} s → {}",
            models.len(),
            clock.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(())
}
