//! `fleksim sweep SWEEP.toml --emit-slurm N`: ready Slurm scripts.
//!
//! Writes `<out>/slurm/` with
//! - `sweep.sbatch`: a job array `0..N-1`; each task runs one shard (the
//!   index comes from `SLURM_ARRAY_TASK_ID`, the count from the script);
//! - `merge.sbatch`: `fleksim merge` over the parts;
//! - `submit.sh`: asks Slurm with `sbatch --test-only` whether it would run
//!   the jobs (and stops with the scheduler's reason if not: a request no
//!   node can meet would otherwise stay pending for good), then submits the
//!   shards whose part is not complete as an array, and the merge with
//!   `--dependency=afterok:$ARRAY_JOB_ID --kill-on-invalid-dep=yes`, so it
//!   runs only when every task succeeded and is cancelled, not left
//!   pending, when one fails. Run again, it submits only the missing shards
//!   and a new merge: the recovery after a failed shard.
//!
//! The resources ([`Resources`]) come from flags with defaults that fit a
//! small node (one CPU, 1 GB, one hour). Paths are absolute so the scripts
//! run from any folder; the program is the one that wrote them unless
//! `FLEKSIM` says otherwise.

use super::design::Sweep;
use crate::output::folder::{self, Claim, SLURM_MARK};
use crate::output::{FolderKind, OutputError};
use std::path::{Path, PathBuf};

/// What each job asks of Slurm (`--emit-slurm`'s `--cpus-per-task`,
/// `--mem`, `--time`, `--partition`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    /// CPUs per shard; also the shard's worker threads.
    pub cpus: u32,
    /// Memory per job, in Slurm's form (`1G`, `500M`).
    pub mem: String,
    /// Time limit per job, in Slurm's form (`01:00:00`, `2-00:00:00`).
    pub time: String,
    /// The partition; `None` for the cluster's default.
    pub partition: Option<String>,
}

impl Default for Resources {
    /// What fits a small node: one CPU, 1 GB and an hour per job.
    fn default() -> Resources {
        Resources {
            cpus: 1,
            mem: "1G".into(),
            time: "01:00:00".into(),
            partition: None,
        }
    }
}

/// Checks `--mem`: a whole number with an optional unit K, M, G or T.
pub fn parse_mem(v: &str) -> Result<String, String> {
    let digits = v.trim_end_matches(['K', 'M', 'G', 'T']);
    let ok = v.len() <= 12
        && v.len() - digits.len() <= 1
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.bytes().any(|b| b != b'0');
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{v}` is not a memory size Slurm takes: a whole number above 0 with an optional \
             unit K, M, G or T (e.g. 1G, 500M)"
        ))
    }
}

/// Checks `--time`: minutes, `MM:SS`, `HH:MM:SS`, or with days `D-HH`,
/// `D-HH:MM`, `D-HH:MM:SS`, as sbatch takes it.
pub fn parse_time(v: &str) -> Result<String, String> {
    let num = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let (days, rest) = match v.split_once('-') {
        Some((d, r)) => (Some(d), r),
        None => (None, v),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let value = |p: &str| p.parse::<u32>().unwrap_or(u32::MAX);
    // Minutes and seconds after the first field below 60, hours after
    // days below 24.
    let in_range =
        parts.iter().skip(1).all(|p| value(p) < 60) && (days.is_none() || value(parts[0]) < 24);
    let ok = days.is_none_or(num)
        && parts.len() <= 3
        && parts.iter().all(|p| num(p))
        && in_range
        && v.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{v}` is not a time limit Slurm takes: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or \
             D-HH:MM:SS, above zero, with minutes and seconds below 60 and hours after days \
             below 24 (e.g. 01:00:00)"
        ))
    }
}

/// Checks `--partition`: one or more partition names separated by commas
/// (letters, digits, `_`, `-`, `.`).
pub fn parse_partition(v: &str) -> Result<String, String> {
    let ok = !v.is_empty()
        && v.len() <= 200
        && v.split(',').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        });
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!(
            "`{v}` is not a partition name: letters, digits, `_`, `-` and `.`, several \
             separated by commas"
        ))
    }
}

/// Words as one POSIX sh line: each quoted where needed, a space before
/// each (empty for no words), e.g. ` --set 'ly.find_job[0].p=0.08'`.
pub fn shell_tail(words: &[String]) -> String {
    words.iter().map(|w| format!(" {}", sh(w))).collect()
}

/// Quotes a word for POSIX sh.
fn sh(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The three scripts as `(file name, text)`.
pub fn scripts(
    sweep: &Sweep,
    sweep_file: &Path,
    out: &Path,
    n: u64,
    program: &Path,
    res: &Resources,
) -> Vec<(String, String)> {
    let sweep_file = sh(&absolute(sweep_file).display().to_string());
    let out_abs = absolute(out);
    let out_s = sh(&out_abs.display().to_string());
    let logs = sh(&out_abs.join("slurm").display().to_string());
    let program = sh(&absolute(program).display().to_string());
    let name = &sweep.name;
    let per_task = sweep.points.div_ceil(n.max(1));
    // The flags that change the results (--replications, --set): every
    // shard must get the same, or the merge refuses the parts.
    let flags = shell_tail(&sweep.flags);
    let (cpus, mem, time) = (res.cpus, &res.mem, &res.time);
    let partition = res
        .partition
        .as_ref()
        .map(|p| format!("#SBATCH --partition={p}\n"))
        .unwrap_or_default();
    let array = format!(
        r#"#!/bin/bash
# Slurm job array for the sweep `{name}`: {points} points × {reps} replications,
# {n} shards (about {per_task} points each). Task K computes the points u with
# u mod {n} = K and writes {out}/part-K-of-{n}/. A task that is requeued or
# rerun skips a part that is already complete. The resources come from
# `--emit-slurm`'s --cpus-per-task, --mem, --time and --partition.
#SBATCH --job-name=fleksim-{name}
#SBATCH --array=0-{last}
#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem}
#SBATCH --time={time}
{partition}#SBATCH --output={logs}/%x-%A_%a.out
set -euo pipefail
FLEKSIM="${{FLEKSIM:-{program}}}"
exec "$FLEKSIM" sweep {sweep_file}{flags} --shard-count {n} \
    --threads "${{SLURM_CPUS_PER_TASK:-0}}" --out {out_s} --quiet
"#,
        points = sweep.points,
        reps = sweep.replications,
        last = n.saturating_sub(1),
        out = out_abs.display(),
    );
    let merge = format!(
        r#"#!/bin/bash
# Merges the parts of the sweep `{name}` into {out}/points.csv, results.csv
# and manifest.json. Refuses (exit 2) if a part is missing or foreign.
#SBATCH --job-name=fleksim-{name}-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem={mem}
#SBATCH --time={time}
{partition}#SBATCH --output={logs}/%x-%j.out
set -euo pipefail
FLEKSIM="${{FLEKSIM:-{program}}}"
exec "$FLEKSIM" merge {out_s}
"#,
        out = out_abs.display(),
    );
    let submit = format!(
        r#"#!/bin/sh
# Submits the sweep `{name}`: the shards whose part is not complete yet, as a
# job array, and the merge as a job that starts only when all of them have
# succeeded. Slurm is asked first (sbatch --test-only) whether it would run
# the jobs; if not, this stops with the scheduler's reason. If a shard
# fails, the merge is cancelled (--kill-on-invalid-dep=yes); once no job of
# the sweep is queued, run this script again: it submits only the missing
# shards and a new merge.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out={out_s}
n={n}
jobs=fleksim-{name},fleksim-{name}-merge
queued=$(squeue --noheader --name="$jobs" --format=%i 2>/dev/null || true)
if [ -n "$queued" ]; then
    echo "submit.sh: jobs of the sweep {name} are still queued or running:" $queued >&2
    echo "submit.sh: wait for them to end (squeue --name=$jobs) or scancel them, then run this again" >&2
    exit 1
fi
missing=
k=0
while [ "$k" -lt "$n" ]; do
    if [ ! -f "$out/part-$k-of-$n/manifest.json" ]; then
        missing="$missing${{missing:+,}}$k"
    fi
    k=$((k + 1))
done
refused() {{
    echo "submit.sh: Slurm would not run $1:" >&2
    echo "$2" | sed 's/^/    /' >&2
    echo "submit.sh: nothing was submitted; change the request with fleksim sweep ... --emit-slurm {n} --cpus-per-task/--mem/--time/--partition" >&2
    exit 1
}}
if [ -n "$missing" ]; then
    why=$(sbatch --test-only --array="$missing" "$here/sweep.sbatch" 2>&1) || refused "the shards ($here/sweep.sbatch)" "$why"
fi
why=$(sbatch --test-only "$here/merge.sbatch" 2>&1) || refused "the merge ($here/merge.sbatch)" "$why"
if [ -n "$missing" ]; then
    ARRAY_JOB_ID=$(sbatch --parsable --array="$missing" "$here/sweep.sbatch")
    ARRAY_JOB_ID=${{ARRAY_JOB_ID%%;*}}
    MERGE_JOB_ID=$(sbatch --parsable --kill-on-invalid-dep=yes --dependency=afterok:$ARRAY_JOB_ID "$here/merge.sbatch")
    echo "sweep array: $ARRAY_JOB_ID (shards $missing of $n), merge: ${{MERGE_JOB_ID%%;*}}"
else
    MERGE_JOB_ID=$(sbatch --parsable "$here/merge.sbatch")
    echo "every shard is complete; merge: ${{MERGE_JOB_ID%%;*}}"
fi
"#
    );
    vec![
        ("sweep.sbatch".into(), array),
        ("merge.sbatch".into(), merge),
        ("submit.sh".into(), submit),
    ]
}

/// Writes the scripts to `<out>/slurm/` and returns their paths. The
/// folder is claimed like every results folder (a sweep's, locked); each
/// script is written beside its place and renamed into it, so a script
/// that exists is whole; on failure, folders created here are removed.
pub fn emit(
    sweep: &Sweep,
    sweep_file: &Path,
    out: &Path,
    n: u64,
    res: &Resources,
) -> anyhow::Result<Vec<PathBuf>> {
    super::shard::at_most_one_a_point(n, sweep.points, "--emit-slurm")?;
    let mut claim = Claim::new(out, FolderKind::Sweep)?;
    let program = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("fleksim"));
    let dir = out.join("slurm");
    let made: Vec<PathBuf> = [out.to_path_buf(), dir.clone()]
        .into_iter()
        .filter(|d| !d.exists())
        .collect();
    let result = (|| -> Result<Vec<PathBuf>, OutputError> {
        for d in &made {
            std::fs::create_dir(d).map_err(|e| OutputError::io("create the folder", d, e))?;
        }
        let mut paths = Vec::new();
        for (name, text) in scripts(sweep, sweep_file, out, n, &program, res) {
            let p = dir.join(&name);
            let tmp = dir.join(format!(".{name}.tmp-{}", folder::unique_suffix()));
            let written = std::fs::write(&tmp, marked(&text)).and_then(|_| {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
                }
                std::fs::rename(&tmp, &p)
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(OutputError::io("write", &p, e));
            }
            paths.push(p);
        }
        Ok(paths)
    })();
    match result {
        Ok(paths) => {
            claim.keep_parents();
            Ok(paths)
        }
        Err(e) => {
            for d in made.iter().rev() {
                let _ = std::fs::remove_dir_all(d);
            }
            Err(e.into())
        }
    }
}

/// A script with [`SLURM_MARK`] as its second line (after the `#!` line).
fn marked(text: &str) -> String {
    match text.split_once('\n') {
        Some((shebang, rest)) => format!("{shebang}\n{SLURM_MARK}\n{rest}"),
        None => format!("{text}\n{SLURM_MARK}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_checked_as_sbatch_takes_them() {
        for ok in ["1G", "500M", "2048", "16T"] {
            assert_eq!(parse_mem(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "0", "1.5G", "G", "1GB", "-1G", "1g"] {
            assert!(parse_mem(bad).is_err(), "{bad}");
        }
        for ok in ["30", "30:00", "01:00:00", "2-00", "2-12:00", "1-00:00:00"] {
            assert_eq!(parse_time(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "0",
            "00:00:00",
            "1:2:3:4",
            "x",
            "1-",
            "-1",
            "1h",
            "99:99:99",
            "10:60",
            "1-24",
            "1-12:60:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        for ok in ["debug", "short,long", "gpu_a100", "p.1-x"] {
            assert_eq!(parse_partition(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "a b", "a,,b", "x;rm", "$(id)"] {
            assert!(parse_partition(bad).is_err(), "{bad}");
        }
        let e = parse_mem("1GB").unwrap_err();
        assert!(e.contains("K, M, G or T"), "{e}");
    }
}
