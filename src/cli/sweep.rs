//! `fleksim sweep` and `fleksim merge`: flags and what they say on stderr.

use super::progress::progress_bar;
use crate::analysis::runner::Runner;
use crate::analysis::sweep::{merge, output, shard, slurm, Overrides, Sweep};
use crate::model::error::InputError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Point u belongs to shard u mod N. Without --shard-index, the index is read \
from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (Kubernetes Indexed Job); without --shard-count, \
the count from SLURM_ARRAY_TASK_COUNT or FLEKSIM_SHARD_COUNT. Flags win over the environment. \
A shard writes <out>/part-K-of-N/ and skips a part that is already complete; `fleksim merge <out>` \
then writes the same files an unsharded sweep writes. --replications and --set are part of the \
sweep's identity (its manifest's `flags` and `sweep_sha256`): give every shard the same, or the \
merge refuses the parts; --emit-slurm writes them into the job script. The job's resources \
default to what fits a small node (--cpus-per-task 1, --mem 1G, --time 01:00:00); submit.sh checks \
them with `sbatch --test-only` before it submits, and run again after a failed shard it submits \
only the missing shards and a new merge.\n\nExamples:\n  \
fleksim sweep scenarios/sweep-staffing.toml --replications 20 --shard-index 0 --shard-count 4 --threads 1\n  \
fleksim sweep scenarios/sweep-effects.toml --emit-slurm 20 --cpus-per-task 4 --mem 2G --time 02:00:00"
)]
pub struct SweepArgs {
    /// Sweep file (TOML).
    pub sweep: PathBuf,
    /// Replications per point (overrides the sweep file's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::model::limits::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Override a key of the base scenario by its dotted path, after the
    /// sweep file's `set` (so it wins over it); the value is TOML. Not an
    /// axis key, `seed` or `replications`. E.g. `--set horizon_months=36`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Compute only shard K (points u with u mod N = K) [env: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX].
    #[arg(long, value_name = "K")]
    pub shard_index: Option<u64>,
    /// Number of shards N [env: SLURM_ARRAY_TASK_COUNT, FLEKSIM_SHARD_COUNT].
    #[arg(long, value_name = "N")]
    pub shard_count: Option<u64>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// Output folder [default: results/<sweep name>/].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Write a Slurm job array of N shards and a dependent merge job to
    /// <out>/slurm/ (submit with `sh <out>/slurm/submit.sh`), and run nothing.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..),
          conflicts_with_all = ["shard_index", "shard_count"])]
    pub emit_slurm: Option<u64>,
    /// With --emit-slurm: CPUs per shard, also its worker threads [default: 1].
    #[arg(long, value_name = "N", requires = "emit_slurm",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub cpus_per_task: Option<u32>,
    /// With --emit-slurm: memory per job, e.g. 500M, 4G [default: 1G].
    #[arg(long, value_name = "SIZE", requires = "emit_slurm", value_parser = slurm::parse_mem)]
    pub mem: Option<String>,
    /// With --emit-slurm: time limit per job: minutes, HH:MM:SS or
    /// D-HH:MM:SS [default: 01:00:00].
    #[arg(long, value_name = "TIME", requires = "emit_slurm", value_parser = slurm::parse_time)]
    pub time: Option<String>,
    /// With --emit-slurm: the partition [default: the cluster's default].
    #[arg(long, value_name = "NAME", requires = "emit_slurm", value_parser = slurm::parse_partition)]
    pub partition: Option<String>,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim merge results/sweep-effects
  fleksim merge results/sweep-effects --out results/sweep-effects-merged")]
pub struct MergeArgs {
    /// Folder holding the shards (part-K-of-N/).
    pub dir: PathBuf,
    /// Where to write the merged files [default: DIR].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// No summary on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// The output folder of a sweep.
fn out_dir(sweep: &Sweep, out: &Option<PathBuf>) -> PathBuf {
    out.clone()
        .unwrap_or_else(|| PathBuf::from("results").join(&sweep.name))
}

/// A count of person-months for people.
fn person_months(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} million", n as f64 / 1e6)
    } else {
        n.to_string()
    }
}

pub fn sweep_command(a: SweepArgs) -> anyhow::Result<()> {
    let overrides = Overrides {
        replications: a.replications,
        sets: a.sets.clone(),
    };
    let sweep = Sweep::load_with(&a.sweep, &overrides)?;
    let out = out_dir(&sweep, &a.out);
    output::claim(&out)?;
    if let Some(n) = a.emit_slurm {
        let d = slurm::Resources::default();
        let res = slurm::Resources {
            cpus: a.cpus_per_task.unwrap_or(d.cpus),
            mem: a.mem.clone().unwrap_or(d.mem),
            time: a.time.clone().unwrap_or(d.time),
            partition: a.partition.clone(),
        };
        let paths = slurm::emit(&sweep, &a.sweep, &out, n, &res)?;
        if !a.quiet {
            for p in &paths {
                eprintln!("wrote {}", p.display());
            }
            eprintln!(
                "submit with: sh {}",
                out.join("slurm").join("submit.sh").display()
            );
        }
        return Ok(());
    }
    let shard = shard::resolve(
        a.shard_index,
        a.shard_count,
        &|v| std::env::var(v).ok(),
        sweep.points,
    )?;
    // Every point of this shard is tried before any is run: a bad value
    // fails in a second, not after hours. The memory check takes the
    // heaviest point, with two points per thread in flight.
    let threads = crate::model::limits::threads(a.threads);
    let mut need = 0;
    for u in shard::points(sweep.points, shard) {
        let m = sweep.model(u)?;
        need = need.max(crate::model::limits::estimate_bytes(
            &m.base,
            threads,
            2 * threads as u64,
        ));
    }
    crate::model::limits::check_memory(need)?;
    let runner = Runner::new(a.threads)?;
    let n_points = shard::points(sweep.points, shard).count() as u64;
    let bar = progress_bar(n_points * sweep.replications as u64, a.quiet, &sweep.name);
    let progress = || bar.inc(1);
    let what = format!(
        "{}: {} points × {} replications",
        sweep.name, sweep.points, sweep.replications
    );
    match shard {
        None => {
            let (path, c) = output::write_final(&sweep, &out, &runner, &progress)?;
            bar.finish_and_clear();
            if !a.quiet {
                eprintln!(
                    "{what}, {} person-months in {:.2} s ({:.1} M person-months/s) → {}",
                    person_months(c.person_months),
                    c.timing.elapsed_seconds,
                    c.timing.person_months_per_second / 1e6,
                    path.display()
                );
            }
        }
        Some(s) => {
            let (path, outcome) = output::write_part(&sweep, &out, s, &runner, &progress)?;
            bar.finish_and_clear();
            if !a.quiet {
                match outcome {
                    output::PartOutcome::Skipped(_) => eprintln!(
                        "{what}: {} is already complete; nothing to do",
                        path.display()
                    ),
                    output::PartOutcome::Written(m) => eprintln!(
                        "{what}, shard {} of {} ({} of the points), {} person-months in {:.2} s → {}",
                        s.index,
                        s.count,
                        m.points_in_part,
                        person_months(m.person_months),
                        m.timing.elapsed_seconds,
                        path.display()
                    ),
                }
            }
        }
    }
    Ok(())
}

pub fn merge_command(a: MergeArgs) -> anyhow::Result<()> {
    if !a.dir.is_dir() {
        return Err(InputError(format!(
            "`{}` is not a folder: give the --out folder of the sharded sweep",
            a.dir.display()
        ))
        .into());
    }
    let out = a.out.clone().unwrap_or_else(|| a.dir.clone());
    if out != a.dir {
        output::claim(&out)?;
    }
    let m = merge::merge(&a.dir, &out)?;
    if !a.quiet {
        eprintln!(
            "{}: merged {} parts, {} points × {} replications → {}",
            m.info.name,
            m.parts,
            m.info.points,
            m.info.replications,
            m.path.display()
        );
    }
    Ok(())
}
