//! `fleksim sweep SWEEP.toml --emit-slurm N`: ready Slurm scripts.
//!
//! Writes `<out>/slurm/` with
//! - `sweep.sbatch`: a job array `0..N-1`; each task runs one shard (the
//!   index comes from `SLURM_ARRAY_TASK_ID`, the count from the script);
//! - `merge.sbatch`: `fleksim merge` over the parts;
//! - `submit.sh`: submits the array with `sbatch --parsable`, then the merge
//!   with `--dependency=afterok:$ARRAY_JOB_ID`, so it runs only when every
//!   task succeeded.
//!
//! Paths are absolute so the scripts run from any folder; the program is
//! the one that wrote them unless `FLEKSIM` says otherwise.

use super::design::Sweep;
use crate::output::folder::{self, Claim, SLURM_MARK};
use crate::output::{FolderKind, OutputError};
use std::path::{Path, PathBuf};

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
    let array = format!(
        r#"#!/bin/bash
# Slurm job array for the sweep `{name}`: {points} points × {reps} replications,
# {n} shards (about {per_task} points each). Task K computes the points u with
# u mod {n} = K and writes {out}/part-K-of-{n}/. A task that is requeued or
# rerun skips a part that is already complete. Adjust the resources below.
#SBATCH --job-name=fleksim-{name}
#SBATCH --array=0-{last}
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output={logs}/%x-%A_%a.out
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
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output={logs}/%x-%j.out
set -euo pipefail
FLEKSIM="${{FLEKSIM:-{program}}}"
exec "$FLEKSIM" merge {out_s}
"#,
        out = out_abs.display(),
    );
    let submit = format!(
        r#"#!/bin/sh
# Submits the sweep `{name}` as a job array of {n} tasks and the merge as a
# job that starts only when every task has succeeded.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ARRAY_JOB_ID=$(sbatch --parsable "$here/sweep.sbatch")
ARRAY_JOB_ID=${{ARRAY_JOB_ID%%;*}}
MERGE_JOB_ID=$(sbatch --parsable --dependency=afterok:$ARRAY_JOB_ID "$here/merge.sbatch")
echo "sweep array: $ARRAY_JOB_ID, merge: ${{MERGE_JOB_ID%%;*}}"
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
pub fn emit(sweep: &Sweep, sweep_file: &Path, out: &Path, n: u64) -> anyhow::Result<Vec<PathBuf>> {
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
        for (name, text) in scripts(sweep, sweep_file, out, n, &program) {
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
