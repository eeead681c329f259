//! Writing a sweep's output: points streamed to disk in point order, a part
//! renamed into place whole, final files moved into place with the
//! manifest last.
//!
//! Memory stays flat in the number of points: points run a few at a time
//! (twice the thread count, in parallel, each with its replications in
//! parallel), and their rows go to disk in point order before the next
//! few start. The bytes do not depend on the thread count.

use super::design::Sweep;
use super::manifest::{
    read_part, FinalManifest, FinalTiming, PartManifest, ShardInfo, SweepInfo, Timing,
};
use super::point::{points_header, run_point, PointOutput, RESULTS_HEADER};
use super::shard;
use crate::analysis::runner::Runner;
use crate::output::folder::{self, Claim};
use crate::output::{AtomicDir, FolderKind, OutputError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// The data files of a sweep's output, in the order they are written.
pub const DATA_FILES: [&str; 2] = ["points.csv", "results.csv"];

/// A writer that hashes what passes through it.
pub struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Flushes and returns the SHA-256 of everything written.
    pub fn finish(mut self) -> io::Result<String> {
        self.inner.flush()?;
        Ok(crate::model::hash::hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Why writing failed (not the user's input: exit 1).
fn write_err(what: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot write `{}`: {e}", what.display())
}

fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Refuses an output folder that is not a fleksim sweep folder (see
/// [`crate::output::folder`]): a link, a file, or a folder holding anything
/// a sweep does not write. Called before any work is done.
pub fn claim(out: &Path) -> Result<(), OutputError> {
    folder::check_target(out, FolderKind::Sweep)
}

/// What computing a set of points gave.
pub struct Computed {
    pub points: u64,
    pub person_months: u64,
    pub files: BTreeMap<String, String>,
    pub timing: Timing,
}

/// Runs `points` in order on `runner` and streams their rows to the two
/// writers (headers first).
pub fn compute<W: Write>(
    sweep: &Sweep,
    points: impl Iterator<Item = u64>,
    runner: &Runner,
    files: [W; 2],
    dir: &Path,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Computed> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let [pw, rw] = files;
    let (mut pw, mut rw) = (Hashing::new(pw), Hashing::new(rw));
    let err = |i: usize| move |e| write_err(&dir.join(DATA_FILES[i]), e);
    pw.write_all(points_header(sweep).as_bytes())
        .map_err(err(0))?;
    rw.write_all(RESULTS_HEADER.as_bytes()).map_err(err(1))?;
    let threads = runner.threads();
    let chunk = 2 * threads.max(1);
    let mut points = points.peekable();
    let (mut n, mut person_months) = (0, 0);
    while points.peek().is_some() {
        let batch: Vec<u64> = points.by_ref().take(chunk).collect();
        let outs: Vec<anyhow::Result<PointOutput>> = runner.install(|| {
            batch
                .par_iter()
                .map(|&u| run_point(runner, sweep, u, progress))
                .collect()
        });
        for out in outs {
            let out = out?;
            pw.write_all(out.row.as_bytes()).map_err(err(0))?;
            rw.write_all(&out.results).map_err(err(1))?;
            person_months += out.person_months;
            n += 1;
        }
    }
    let mut hashes = BTreeMap::new();
    hashes.insert(DATA_FILES[0].to_string(), pw.finish().map_err(err(0))?);
    hashes.insert(DATA_FILES[1].to_string(), rw.finish().map_err(err(1))?);
    let elapsed = clock.elapsed().as_secs_f64();
    Ok(Computed {
        points: n,
        person_months,
        files: hashes,
        timing: Timing {
            threads,
            started: timestamp(started),
            finished: timestamp(SystemTime::now()),
            elapsed_seconds: elapsed,
            person_months_per_second: person_months as f64 / elapsed.max(1e-9),
        },
    })
}

/// What happened to a part.
pub enum PartOutcome {
    /// It was already there and valid.
    Skipped(PartManifest),
    Written(PartManifest),
}

/// Computes shard `s` into `out/part-K-of-N/`, unless a valid part of this
/// sweep is already there. An invalid part (an older sweep, a missing or
/// wrong manifest, a changed file) is redone.
pub fn write_part(
    sweep: &Sweep,
    out: &Path,
    s: ShardInfo,
    runner: &Runner,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<(PathBuf, PartOutcome)> {
    let info = SweepInfo::of(sweep);
    let target = out.join(shard::part_name(s));
    // The claim first: with the part's lock held, no other process of this
    // shard can write or judge the part meanwhile. An existing part that is
    // fleksim's but not valid for this sweep (an older sweep, a changed
    // file) is replaced at the commit.
    let dir = AtomicDir::new(&target, FolderKind::SweepPart)?;
    if let Ok(m) = read_part(&target) {
        if m.sweep == info && m.shard == s {
            return Ok((target, PartOutcome::Skipped(m)));
        }
    }
    let files = [dir.create(DATA_FILES[0])?, dir.create(DATA_FILES[1])?];
    let c = compute(
        sweep,
        shard::points(sweep.points, Some(s)),
        runner,
        files,
        &target,
        progress,
    )?;
    let manifest = PartManifest {
        kind: "sweep-part".into(),
        sweep: info,
        shard: s,
        points_in_part: c.points,
        person_months: c.person_months,
        complete: true,
        timing: c.timing,
        files: c.files,
        sweep_file: Some(
            std::path::absolute(&sweep.file)
                .unwrap_or_else(|_| PathBuf::from(&sweep.file))
                .display()
                .to_string(),
        ),
    };
    let json = serde_json::to_vec_pretty(&manifest)?;
    dir.write("manifest.json", &json)?;
    let path = dir.commit()?;
    Ok((path, PartOutcome::Written(manifest)))
}

/// The bytes of the final `manifest.json`: the same for an unsharded run
/// and a merge.
pub fn final_manifest_bytes(
    info: &SweepInfo,
    person_months: u64,
    files: BTreeMap<String, String>,
) -> anyhow::Result<Vec<u8>> {
    let m = FinalManifest {
        kind: "sweep".into(),
        sweep: info.clone(),
        person_months,
        files,
    };
    let mut json = serde_json::to_vec_pretty(&m)?;
    json.push(b'\n');
    Ok(json)
}

/// Final files being written: a temporary folder inside `out` whose files
/// are moved into `out` when complete, `manifest.json` last (and the old one
/// removed first), so a reader that finds a manifest finds its files. The
/// claim on `out` (its lock) is held throughout, so two merges or unsharded
/// sweeps never write the same folder at once.
pub struct Staging {
    claim: Claim,
    out: PathBuf,
    tmp: PathBuf,
    /// Whether `out` was created here (and is removed again on failure).
    created: bool,
    done: bool,
}

impl Staging {
    pub fn new(out: &Path) -> anyhow::Result<Staging> {
        let claim = Claim::new(out, FolderKind::Sweep)?;
        let created = !out.exists();
        if created {
            fs::create_dir(out).map_err(|e| OutputError::io("create the folder", out, e))?;
        }
        // Leftovers of killed runs: no live process owns them (we hold the
        // lock), and the claim checked they hold only a sweep's files.
        let entries = fs::read_dir(out).map_err(|e| OutputError::io("list", out, e))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if folder::is_staging(&name) {
                fs::remove_dir_all(e.path())
                    .map_err(|err| OutputError::io("remove the leftover folder", &e.path(), err))?;
            }
        }
        let tmp = out.join(format!(
            "{}{}",
            folder::SWEEP_STAGING_PREFIX,
            folder::unique_suffix()
        ));
        fs::create_dir(&tmp).map_err(|e| OutputError::io("create the folder", &tmp, e))?;
        Ok(Staging {
            claim,
            out: out.to_path_buf(),
            tmp,
            created,
            done: false,
        })
    }

    pub fn create(&self, name: &str) -> anyhow::Result<BufWriter<fs::File>> {
        let p = self.tmp.join(name);
        Ok(BufWriter::with_capacity(
            1 << 16,
            fs::File::create(&p).map_err(|e| OutputError::io("create", &p, e))?,
        ))
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let p = self.tmp.join(name);
        let mut f = self.create(name)?;
        f.write_all(bytes)
            .and_then(|_| f.flush())
            .map_err(|e| OutputError::io("write", &p, e))?;
        Ok(())
    }

    /// Moves `names` into place, then `manifest.json`.
    pub fn publish(mut self, names: &[&str]) -> anyhow::Result<PathBuf> {
        // Checked again: nothing foreign may have arrived meanwhile.
        folder::check_target(&self.out, FolderKind::Sweep)?;
        let manifest = self.out.join("manifest.json");
        if manifest.exists() {
            fs::remove_file(&manifest).map_err(|e| OutputError::io("remove", &manifest, e))?;
        }
        for name in names.iter().chain(&["manifest.json"]) {
            let to = self.out.join(name);
            fs::rename(self.tmp.join(name), &to)
                .map_err(|e| OutputError::io("move into place", &to, e))?;
        }
        fs::remove_dir(&self.tmp).map_err(|e| OutputError::io("remove", &self.tmp, e))?;
        self.done = true;
        self.claim.keep_parents();
        Ok(self.out.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
            if self.created {
                let _ = fs::remove_dir(&self.out);
            }
        }
    }
}

/// Computes every point into the final files in `out`.
pub fn write_final(
    sweep: &Sweep,
    out: &Path,
    runner: &Runner,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<(PathBuf, Computed)> {
    let staging = Staging::new(out)?;
    let files = [
        staging.create(DATA_FILES[0])?,
        staging.create(DATA_FILES[1])?,
    ];
    let c = compute(
        sweep,
        shard::points(sweep.points, None),
        runner,
        files,
        out,
        progress,
    )?;
    let info = SweepInfo::of(sweep);
    staging.write(
        "manifest.json",
        &final_manifest_bytes(&info, c.person_months, c.files.clone())?,
    )?;
    let timing = FinalTiming {
        elapsed_seconds: c.timing.elapsed_seconds,
        how: "unsharded".into(),
        runs: vec![c.timing.clone()],
    };
    staging.write("timing.json", &serde_json::to_vec_pretty(&timing)?)?;
    let path = staging.publish(&["points.csv", "results.csv", "timing.json"])?;
    Ok((path, c))
}
