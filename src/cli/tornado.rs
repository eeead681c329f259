//! `fleksim tornado`: flags, the text chart on stdout.

use super::progress::progress_bar;
use crate::analysis::runner::Runner;
use crate::analysis::tornado::{resolve_baseline, text_chart, tornado, tornado_csv, Measure};
use crate::input::uncertain::Model;
use crate::model::error::SerializeError;
use crate::model::month::Month;
use crate::output::{AtomicDir, FolderKind};
use crate::sim::plan::Plan;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim tornado scenarios/aalborg-project-psa.toml --replications 200
  fleksim tornado scenarios/aalborg-project-psa.toml --metric ly_share --at 2018-03")]
pub struct TornadoArgs {
    /// Scenario file with uncertain parameters (distributions).
    pub scenario: PathBuf,
    /// Metric: a monthly metric (e.g. `ly_share`, `net_municipal_cost`) or a
    /// horizon figure (e.g. `ly_share_end`, `net_municipal_cost_total`)
    /// [default: cumulative net municipal cost, minus the baseline's if the
    /// scenario declares one].
    #[arg(long)]
    pub metric: Option<String>,
    /// Month at which a monthly metric is read [default: the last month;
    /// flows are summed over the horizon].
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse_arg)]
    pub at: Option<Month>,
    /// Replications per parameter end [default: the scenario's].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::model::limits::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Random seed (overrides the scenario's `seed`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::model::limits::MAX_SEED))]
    pub seed: Option<u64>,
    /// Output folder [default: results/tornado-<scenario name>/].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// Override a scenario key by its dotted path; the value is TOML.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress bar and no message on stderr.
    #[arg(long)]
    pub quiet: bool,
}

pub fn command(a: TornadoArgs) -> anyhow::Result<()> {
    let mut sets = a.sets.clone();
    if let Some(r) = a.replications {
        sets.push(format!("replications={r}"));
    }
    if let Some(s) = a.seed {
        sets.push(format!("seed={s}"));
    }
    let model = Model::load(&a.scenario, &sets)?;
    let threads = crate::model::limits::threads(a.threads);
    crate::model::limits::check_memory(crate::model::limits::estimate_bytes(
        &model.base,
        threads,
        2,
    ))?;
    let mut bsets = a.sets.clone();
    bsets.push(format!("seed={}", model.base.seed));
    bsets.push(format!("replications={}", model.base.replications));
    let baseline = if a.metric.is_none() {
        resolve_baseline(&model, &a.scenario, &bsets)?
    } else {
        None
    };
    if let Some(b) = &baseline {
        crate::analysis::compare::check_aligned(&[b.clone(), model.clone()])?;
    }
    let plan = Plan::new(&model.base);
    let metric = a
        .metric
        .clone()
        .unwrap_or_else(|| "net_municipal_cost".into());
    let measure = Measure::parse(&metric, a.at, &plan)?;
    let label = match (&a.metric, &baseline) {
        (None, Some(b)) => format!("cumulative net municipal cost minus {}", b.base.name),
        (None, None) => "cumulative net municipal cost".to_string(),
        (Some(m), _) => m.clone(),
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("tornado-{}", model.base.name)));
    let dir = AtomicDir::new(&out, FolderKind::Tornado)?;
    let runs = (2 * model.params.len() as u64 + 1 + baseline.is_some() as u64)
        * model.base.replications as u64;
    let bar = progress_bar(runs, a.quiet, "tornado");
    let runner = Runner::new(a.threads)?;
    let (centre, bars) = tornado(&runner, &model, baseline.as_ref(), &measure, &|| bar.inc(1))?;
    bar.finish_and_clear();
    dir.write("tornado.csv", &tornado_csv(centre, &bars)?)?;
    let manifest = serde_json::json!({
        "kind": "tornado",
        "program": "fleksim",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario_name": model.base.name,
        "scenario_sha256": model.sha256()?,
        "baseline": baseline.as_ref().map(|b| b.base.name.clone()),
        "metric": label,
        "at": a.at.map_or_else(|| "horizon".to_string(), |m| m.to_string()),
        "seed": model.base.seed,
        "replications": model.base.replications,
        "parameters": serde_json::to_value(&model.params)?,
        "scenario": SerializeError::json(&model.base)?,
    });
    dir.write("tornado.json", &serde_json::to_vec_pretty(&bars)?)?;
    dir.write("manifest.json", &serde_json::to_vec_pretty(&manifest)?)?;
    let report = super::had_report(&out);
    dir.commit()?;
    if report {
        super::report_removed(&out);
    }
    print!("{}", text_chart(&label, centre, &bars));
    if !a.quiet {
        eprintln!("→ {}", out.display());
    }
    Ok(())
}
