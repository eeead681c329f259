//! The command line: parses arguments, runs the pipeline, maps errors to
//! exit codes (0 success, 2 invalid input, 1 other failures).

use crate::model::error::ScenarioError;
pub mod calibrate;
pub mod compare;
pub mod kpis;
pub mod progress;
pub mod report;
pub mod sweep;
pub mod tornado;

use crate::analysis::run::{self, RunOptions};
use crate::input::uncertain::Model;
use clap::{Parser, Subcommand};
use progress::progress_bar;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "fleksim",
    version,
    about = "Simulates a Danish municipality's flexjob caseload month by month and prices it",
    long_about = "Simulates a Danish municipality's flexjob scheme (people on ledighedsydelse and in \
flexjobs) month by month, many replications at once, from a TOML scenario file, and writes \
monthly, yearly and whole-horizon results with means and 90 % intervals.",
    after_help = "`fleksim <command> --help` describes every flag of a command. Exit status: 0 \
success, 2 invalid input, 1 other failures.\n\nExamples:\n  \
fleksim run scenarios/aalborg-project.toml\n  \
fleksim compare scenarios/aalborg-baseline.toml scenarios/aalborg-project.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write results (monthly.csv, summary.csv, budget.csv, manifest.json).
    Run(RunArgs),
    /// Check a scenario and print it resolved, every default filled in.
    Validate(ValidateArgs),
    /// Compare alternatives with a baseline: paired differences with common random numbers.
    Compare(compare::CompareArgs),
    /// Run a parameter sweep (optionally one shard of it) from a sweep file.
    Sweep(sweep::SweepArgs),
    /// Merge the shards of a sweep into the files an unsharded run writes.
    Merge(sweep::MergeArgs),
    /// One-way sensitivity of a metric to each uncertain parameter.
    Tornado(tornado::TornadoArgs),
    /// Turn results folders into one self-contained HTML page with charts.
    Report(report::ReportArgs),
    /// Fit a scenario's parameters to observed figures (ABC-SMC): posterior, fit, calibrated.toml.
    Calibrate(calibrate::CalibrateArgs),
}

#[derive(Debug, clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Override a scenario key by its dotted path; the value is TOML.
    /// E.g. `--set staffing.consultants=15` or `--set 'ly.find_job=[{from=0,p=0.07}]'`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim run scenarios/aalborg-project.toml
  fleksim run scenarios/aalborg-project.toml --replications 200 --set staffing.consultants=15 \\
      --out results/fifteen")]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Number of replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::model::limits::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Random seed (overrides the scenario's `seed`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::model::limits::MAX_SEED))]
    pub seed: Option<u64>,
    /// Output folder [default: results/<scenario name>/].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// Also write replications.csv with every replication's monthly values.
    #[arg(long)]
    pub per_replication: bool,
    /// Hold every uncertain parameter at its median (chance alone).
    #[arg(long)]
    pub fixed: bool,
    /// No progress bar and no summary on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Language of budget.xlsx and of the printed KPIs' labels: en
    /// (English) or da (Danish).
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim validate scenarios/aalborg-project.toml
  fleksim validate scenarios/aalborg-project.toml --set 'ly.find_job[0].p=0.08'")]
pub struct ValidateArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// Exit code for invalid input.
pub const EXIT_INPUT: u8 = 2;
/// Exit code for other failures.
pub const EXIT_FAILURE: u8 = 1;

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { 0 });
        }
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", error_text(&e));
            if is_input_error(&e) {
                ExitCode::from(EXIT_INPUT)
            } else {
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}

/// Whether `out` holds a page of `fleksim report`, which replacing the
/// folder removes.
pub fn had_report(out: &std::path::Path) -> bool {
    out.join(crate::output::folder::REPORT_FILE).is_file()
}

/// Tells the user that the folder's old report went with its old results.
pub fn report_removed(out: &std::path::Path) {
    eprintln!(
        "note: the old {} in `{}` showed the previous results and was removed with them; \
         make a new one with: fleksim report {}",
        crate::output::folder::REPORT_FILE,
        out.display(),
        out.display()
    );
}

/// What an error prints: its message, then each cause that the text so
/// far does not already say, so that every cause is said once.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = format!("error: {e}\n");
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(&format!("  caused by: {c}\n"));
        }
    }
    text
}

/// Whether an error is the user's input (exit 2) rather than a failure:
/// a scenario, a flag, a file or a results location that is refused.
fn is_input_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<ScenarioError>()
            .is_some_and(ScenarioError::is_input)
            || c.is::<crate::model::error::InputError>()
            || matches!(
                c.downcast_ref::<crate::output::OutputError>(),
                Some(crate::output::OutputError::Refused(_))
            )
            || matches!(
                c.downcast_ref::<run::RunError>(),
                Some(run::RunError::Output(crate::output::OutputError::Refused(
                    _
                )))
            )
            || matches!(
                c.downcast_ref::<run::RunError>(),
                Some(run::RunError::Scenario(s)) if s.is_input()
            )
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => run_command(a),
        Command::Compare(a) => compare::command(a),
        Command::Sweep(a) => sweep::sweep_command(a),
        Command::Merge(a) => sweep::merge_command(a),
        Command::Tornado(a) => tornado::command(a),
        Command::Report(a) => report::command(a),
        Command::Calibrate(a) => calibrate::command(a),
        Command::Validate(a) => {
            let m = Model::load(&a.scenario.scenario, &a.scenario.sets)?;
            print!("{}", m.resolved_toml()?);
            print!("\n{}", m.base.v2_form());
            print!("{}", crate::model::presets::v2_form(&m.base));
            if m.is_uncertain() {
                eprintln!("{} uncertain parameter(s):", m.params.len());
                for p in &m.params {
                    eprintln!("  {} (median {})", p.path, p.median);
                }
            }
            Ok(())
        }
    }
}

/// Whether `--lang` asks for Danish (checked before the run).
fn opts_danish(lang: &str) -> bool {
    crate::output::workbook::Lang::parse(lang).is_ok_and(|l| l == crate::output::workbook::Lang::Da)
}

fn run_command(a: RunArgs) -> anyhow::Result<()> {
    let mut sets = a.scenario.sets.clone();
    if let Some(r) = a.replications {
        sets.push(format!("replications={r}"));
    }
    if let Some(s) = a.seed {
        sets.push(format!("seed={s}"));
    }
    let model = Model::load(&a.scenario.scenario, &sets)?;
    let scenario = &model.base;
    let threads = crate::model::limits::threads(a.threads);
    crate::model::limits::check_memory(crate::model::limits::estimate_bytes(scenario, threads, 1))?;
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&scenario.name));
    let opts = RunOptions {
        threads: a.threads,
        per_replication: a.per_replication,
        fixed: a.fixed,
        lang: crate::output::workbook::Lang::parse(&a.lang)?,
    };
    let bar = progress_bar(run::work(&model, &opts), a.quiet, &scenario.name);
    let report = had_report(&out);
    let (path, manifest) = run::run_to_dir(&model, &opts, &out, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if report {
        report_removed(&out);
    }
    // An overrun of the grant is said even with --quiet.
    if let Some(g) = &manifest.grant {
        if g.overrun() {
            eprintln!("warning: {}", g.text(&scenario.name));
        } else if !a.quiet {
            eprintln!("{}", g.text(&scenario.name));
        }
    }
    if let Some((kpis, summaries)) = &manifest.kpis {
        print!("{}", kpis::run_lines(kpis, summaries, opts_danish(&a.lang)));
    }
    if !a.quiet {
        eprintln!(
            "{}: {} replications × {} months, {:.0} million person-months in {:.2} s ({:.0} M person-months/s) → {}",
            scenario.name,
            manifest.replications,
            manifest.months,
            manifest.person_months as f64 / 1e6,
            manifest.elapsed_seconds,
            manifest.person_months_per_second / 1e6,
            path.display()
        );
    }
    Ok(())
}

/// Parses an `--out` path: clap refuses one that is not valid UTF-8 before
/// this is called (exit 2), so a folder is never written under a name other
/// than the one given (with a replacement character in it).
pub fn path_arg(text: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(text))
}
