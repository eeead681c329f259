//! Results folders that never cost a user a file.
//!
//! A folder is fleksim's only if its `manifest.json` says so (program
//! `fleksim`, and the [`FolderKind`] about to be written) and it holds nothing
//! but what that kind writes. Anything else is refused before any work is
//! done ([`OutputError::Refused`], exit code 2).
//!
//! Writing a folder ([`AtomicDir`]):
//! 1. [`Claim::new`] refuses a symbolic link, a file, or a folder that is
//!    not ours; takes a lock beside the target (`.<name>.lock`, an OS file
//!    lock, so a dead owner's lock is free again); and, holding it, removes
//!    what a killed writer of the same target left (`.<name>.tmp-*`,
//!    `.<name>.old-*`, each checked to hold only what the kind writes).
//! 2. Files go to `.<name>.tmp-<pid>-<nanos>` beside the target.
//! 3. [`AtomicDir::commit`] checks the target again, moves it aside to
//!    `.<name>.old-<pid>-<nanos>` (a name made for this run), renames the
//!    new folder into place and removes the old one.
//!
//! A failure before the commit leaves the tree as it was: the temporary
//! folder, the lock and any parent folders the claim created are removed.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a results folder holds; its `manifest.json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    /// `fleksim run`.
    Run,
    /// `fleksim compare`.
    Comparison,
    /// `fleksim tornado`.
    Tornado,
    /// The final files of `fleksim sweep` or `fleksim merge`, and the
    /// shards' `part-K-of-N/` folders beside them.
    Sweep,
    /// One shard's `part-K-of-N/` folder inside a sweep folder.
    SweepPart,
    /// `fleksim calibrate` (also while it runs: its checkpoint).
    Calibration,
}

/// The files of a run; also those of `runs/<scenario>/` in a comparison.
const RUN_FILES: &[&str] = &[
    "monthly.csv",
    "summary.csv",
    "budget.csv",
    "uncertainty.csv",
    "parameters.csv",
    "replications.csv",
    "cohorts.csv",
    "kpis.csv",
    "payer.csv",
    "budget.xlsx",
];
const COMPARISON_FILES: &[&str] = &[
    "comparison.csv",
    "comparison_summary.csv",
    "payback.csv",
    "steering.csv",
    "cumulative.csv",
    "cumulative_monthly.csv",
    "cheaper.csv",
    "budget_difference.csv",
    "budget_levels.csv",
    "budget_year.csv",
    "break_even.csv",
    "budget.xlsx",
];
const TORNADO_FILES: &[&str] = &["tornado.csv", "tornado.json"];
const SWEEP_FILES: &[&str] = &["points.csv", "results.csv", "timing.json"];
const PART_FILES: &[&str] = &["points.csv", "results.csv"];
const CALIBRATION_FILES: &[&str] = &[
    "posterior.csv",
    "fit.csv",
    "fit_monthly.csv",
    "generations.csv",
    "calibrated.toml",
    "checkpoint.json",
];
/// Files `fleksim sweep --emit-slurm` writes into `slurm/` (the jobs'
/// logs, `*.out`, go there too).
pub const SLURM_FILES: &[&str] = &["sweep.sbatch", "merge.sbatch", "submit.sh"];
/// The page `fleksim report` writes into the first folder by default.
pub const REPORT_FILE: &str = "report.html";
/// The prefix of the folder in which a sweep stages its final files.
pub const SWEEP_STAGING_PREFIX: &str = ".sweep.tmp-";
/// The second line of every script `--emit-slurm` writes: what tells a
/// fleksim script from a user's.
pub const SLURM_MARK: &str = "# Written by `fleksim sweep --emit-slurm`.";
/// What marks a page `fleksim report` wrote (in its head).
pub const REPORT_MARK: &str = "<meta name=\"generator\" content=\"fleksim";

impl FolderKind {
    /// The `kind` its manifest records.
    pub fn manifest_kind(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Comparison => "comparison",
            FolderKind::Tornado => "tornado",
            FolderKind::Sweep => "sweep",
            FolderKind::SweepPart => "sweep-part",
            FolderKind::Calibration => "calibration",
        }
    }

    /// What the command that writes this kind is called, for messages.
    fn command(self) -> &'static str {
        match self {
            FolderKind::Run => "fleksim run",
            FolderKind::Comparison => "fleksim compare",
            FolderKind::Tornado => "fleksim tornado",
            FolderKind::Sweep | FolderKind::SweepPart => "fleksim sweep",
            FolderKind::Calibration => "fleksim calibrate",
        }
    }

    fn of_manifest(kind: &str) -> Option<FolderKind> {
        [
            FolderKind::Run,
            FolderKind::Comparison,
            FolderKind::Tornado,
            FolderKind::Sweep,
            FolderKind::SweepPart,
            FolderKind::Calibration,
        ]
        .into_iter()
        .find(|k| k.manifest_kind() == kind)
    }

    /// Whether `rel` (a path inside the folder, `/`-separated) is something
    /// this kind writes. `dir` says whether it is a folder.
    pub fn allows(self, rel: &str, dir: bool) -> bool {
        let parts: Vec<&str> = rel.split('/').collect();
        if let [name] = parts[..] {
            if name == "manifest.json" && !dir {
                return true;
            }
            if self != FolderKind::SweepPart && name == REPORT_FILE && !dir {
                return true;
            }
            if let Some(base) = scratch_base(name) {
                // `.<entry>.tmp-*` of an atomic file write inside the folder.
                if !dir && self.allows(base, false) {
                    return true;
                }
            }
        }
        match self {
            FolderKind::Run => matches!(parts[..], [f] if !dir && RUN_FILES.contains(&f)),
            FolderKind::Tornado => matches!(parts[..], [f] if !dir && TORNADO_FILES.contains(&f)),
            FolderKind::SweepPart => matches!(parts[..], [f] if !dir && PART_FILES.contains(&f)),
            FolderKind::Calibration => {
                matches!(parts[..], [f] if !dir && CALIBRATION_FILES.contains(&f))
            }
            FolderKind::Comparison => match parts[..] {
                [f] => (dir && f == "runs") || (!dir && COMPARISON_FILES.contains(&f)),
                ["runs", _] => dir,
                ["runs", _, f] => !dir && RUN_FILES.contains(&f),
                _ => false,
            },
            FolderKind::Sweep => match parts[..] {
                [f] if dir => f == "slurm" || is_part_name(f) || is_part_scratch(f),
                [f] => SWEEP_FILES.contains(&f) || is_part_lock(f),
                ["slurm", f] => !dir && (SLURM_FILES.contains(&f) || f.ends_with(".out")),
                [s, f] if is_staging(s) => {
                    !dir && (SWEEP_FILES.contains(&f) || f == "manifest.json")
                }
                [p, f] if is_part_name(p) || is_part_scratch(p) => {
                    !dir && (PART_FILES.contains(&f) || f == "manifest.json")
                }
                _ => false,
            },
        }
    }
}

/// `x` of `.x.tmp-…`: the scratch file of an atomic write of `x`.
fn scratch_base(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('.')?;
    // `.x.tmp-…` (folders) and `.x.fleksim-tmp-…` (the report's page).
    let (base, _) = rest
        .split_once(".fleksim-tmp-")
        .or_else(|| rest.split_once(".tmp-"))?;
    (!base.is_empty()).then_some(base)
}

/// `part-K-of-N`.
fn is_part_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("part-") else {
        return false;
    };
    let Some((k, n)) = rest.split_once("-of-") else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(k) && digits(n)
}

/// Whether `name` is a sweep's staging folder `.sweep.tmp-<pid>-<nanos>`.
pub fn is_staging(name: &str) -> bool {
    name.strip_prefix(SWEEP_STAGING_PREFIX)
        .is_some_and(is_unique_suffix)
}

/// `<pid>-<nanos>`: the suffix of every scratch name fleksim makes.
fn is_unique_suffix(s: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    s.split_once('-')
        .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// `.x.tmp-<pid>-<nanos>` or `.x.old-<pid>-<nanos>` for `x` = `base`:
/// `Some(true)` for an old folder, `Some(false)` for a scratch folder.
fn scratch_of(name: &str, base: &str) -> Option<bool> {
    let rest = name.strip_prefix('.')?.strip_prefix(base)?;
    if let Some(s) = rest.strip_prefix(".tmp-") {
        return is_unique_suffix(s).then_some(false);
    }
    rest.strip_prefix(".old-")
        .filter(|s| is_unique_suffix(s))
        .map(|_| true)
}

/// `.part-K-of-N.tmp-<pid>-<nanos>`, `.part-K-of-N.old-<pid>-<nanos>` or
/// the sweep's staging folder `.sweep.tmp-<pid>-<nanos>`.
fn is_part_scratch(name: &str) -> bool {
    if let Some(s) = name.strip_prefix(SWEEP_STAGING_PREFIX) {
        return is_unique_suffix(s);
    }
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    [".tmp-", ".old-"].iter().any(|sep| {
        rest.split_once(sep)
            .is_some_and(|(base, s)| is_part_name(base) && is_unique_suffix(s))
    })
}

/// `.part-K-of-N.lock`.
fn is_part_lock(name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|r| r.strip_suffix(".lock"))
        .is_some_and(is_part_name)
}

/// Why a folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The location is not ours to write (exit code 2).
    #[error("{0}")]
    Refused(String),
    /// The file system failed (exit code 1). The message names the path
    /// and includes the cause, so the cause is not also a `source`.
    #[error("cannot {action} `{path}`: {cause}")]
    Io {
        action: &'static str,
        path: String,
        cause: io::Error,
    },
}

impl OutputError {
    pub fn io(action: &'static str, path: &Path, cause: io::Error) -> OutputError {
        OutputError::Io {
            action,
            path: path.display().to_string(),
            cause,
        }
    }
}

fn refused(target: &Path, why: impl std::fmt::Display) -> OutputError {
    OutputError::Refused(format!(
        "refusing to write results to `{}`: {why}",
        target.display()
    ))
}

/// The folder that holds `path` (`.` for a bare name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(target: &Path) -> Result<String, OutputError> {
    match target.file_name() {
        Some(n) => Ok(n.to_string_lossy().into_owned()),
        None => Err(refused(
            target,
            "it does not end in a folder name; give a path such as results/my-run",
        )),
    }
}

/// A name unique to this process and moment, for scratch folders.
pub fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// Checks that an existing folder is a fleksim results folder of `kind`:
/// its manifest says so and every entry is one that kind writes. `Err`
/// says why not, in words for the user.
pub fn check_ours(dir: &Path, kind: FolderKind) -> Result<(), String> {
    let manifest = dir.join("manifest.json");
    match read_manifest_kind(&manifest)? {
        Some(k) if k == kind.manifest_kind() => {}
        Some(k) => {
            return Err(match FolderKind::of_manifest(&k) {
                Some(FolderKind::SweepPart) => {
                    "it is one shard's part of a sweep \
                     (manifest kind `sweep-part`); give the sweep's folder, or choose another --out"
                        .to_string()
                }
                Some(other) => format!(
                    "it holds the results of `{}` (manifest kind `{k}`), not of `{}`; \
                     choose another --out",
                    other.command(),
                    kind.command()
                ),
                None => format!(
                    "its manifest.json is not fleksim's kind `{}` (it says `{k}`); choose \
                     another --out",
                    kind.manifest_kind()
                ),
            })
        }
        None if kind == FolderKind::Sweep => {
            // A sharded sweep before its merge has no manifest of its own:
            // it may hold only shards' parts (each with fleksim's manifest),
            // fleksim's Slurm scripts and their logs, and scratch.
            return check_pending_sweep(dir);
        }
        None => {
            return Err(
                "it is not empty and has no manifest.json written by fleksim; choose another \
                 --out or an empty folder"
                    .into(),
            )
        }
    }
    check_entries(dir, "", kind)
}

/// The manifest's `kind` if it is fleksim's, `None` if there is none.
fn read_manifest_kind(path: &Path) -> Result<Option<String>, String> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("its manifest.json cannot be read ({e})")),
    };
    if !meta.is_file() {
        return Err("its manifest.json is not a regular file".into());
    }
    // A manifest is small; a huge file is not one of ours.
    if meta.len() > 64 << 20 {
        return Err("its manifest.json is too large to be fleksim's".into());
    }
    let text = fs::read(path).map_err(|e| format!("its manifest.json cannot be read ({e})"))?;
    let json: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|_| "its manifest.json is not fleksim's (not valid JSON)".to_string())?;
    let program = json
        .get("program")
        .or_else(|| json.get("sweep").and_then(|s| s.get("program")))
        .and_then(|p| p.as_str());
    if program != Some("fleksim") {
        return Err(
            "its manifest.json was not written by fleksim (no `program: fleksim`); choose \
             another --out"
                .into(),
        );
    }
    match json.get("kind").and_then(|k| k.as_str()) {
        Some(k) => Ok(Some(k.to_string())),
        None => Err("its manifest.json names no `kind`; choose another --out".into()),
    }
}

/// Checks a sweep folder that has no manifest yet (shards written, not
/// merged): every entry must be fleksim's own, proven, not only named so.
fn check_pending_sweep(dir: &Path) -> Result<(), String> {
    let foreign = |rel: &str| {
        format!(
            "it has no manifest.json written by fleksim and holds `{rel}`, which fleksim did not \
             write there; choose another --out or an empty folder"
        )
    };
    let entries = fs::read_dir(dir).map_err(|e| format!("it cannot be listed ({e})"))?;
    for e in entries {
        let e = e.map_err(|e| format!("it cannot be listed ({e})"))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let ft = e
            .file_type()
            .map_err(|e| format!("`{name}` cannot be read ({e})"))?;
        let ok = if ft.is_symlink() {
            false
        } else if ft.is_dir() && is_part_name(&name) {
            check_ours(&e.path(), FolderKind::SweepPart).is_ok()
        } else if ft.is_dir() && is_staging(&name) {
            check_entries(&e.path(), &format!("{name}/"), FolderKind::Sweep).is_ok()
        } else if ft.is_dir() && is_part_scratch(&name) {
            check_entries(&e.path(), "", FolderKind::SweepPart).is_ok()
        } else if ft.is_dir() && name == "slurm" {
            slurm_is_ours(&e.path())
        } else {
            !ft.is_dir() && is_part_lock(&name) && lock_is_ours(&e.path())
        };
        if !ok {
            return Err(foreign(&name));
        }
    }
    Ok(())
}

/// Whether `slurm/` holds only scripts fleksim wrote and their logs.
fn slurm_is_ours(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let regular = e.file_type().is_ok_and(|t| t.is_file());
        regular
            && (name.ends_with(".out")
                || (SLURM_FILES.contains(&name.as_str()) && starts_with_mark(&e.path())))
    })
}

/// Whether a Slurm script carries [`SLURM_MARK`] on its second line.
fn starts_with_mark(path: &Path) -> bool {
    let head = read_head(path, 4096);
    head.lines().nth(1) == Some(SLURM_MARK)
}

/// The first `n` bytes of a file as text (empty if unreadable).
fn read_head(path: &Path, n: u64) -> String {
    use std::io::Read;
    let mut buf = Vec::new();
    if let Ok(f) = File::open(path) {
        let _ = f.take(n).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Whether a `report.html` is a page fleksim wrote.
fn report_is_ours(path: &Path) -> bool {
    read_head(path, 4096).contains(REPORT_MARK)
}

/// Whether a lock file is one fleksim made: empty, or `pid N`.
fn lock_is_ours(path: &Path) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() <= 64 => {}
        _ => return false,
    }
    let text = fs::read_to_string(path).unwrap_or_else(|_| "x".into());
    let t = text.trim_end();
    t.is_empty()
        || t.strip_prefix("pid ")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn check_entries(dir: &Path, prefix: &str, kind: FolderKind) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("it cannot be listed ({e})"))?;
    for e in entries {
        let e = e.map_err(|e| format!("it cannot be listed ({e})"))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let ft = e
            .file_type()
            .map_err(|e| format!("`{rel}` cannot be read ({e})"))?;
        let foreign_report = rel == REPORT_FILE && !report_is_ours(&e.path());
        let foreign_script = rel
            .strip_prefix("slurm/")
            .is_some_and(|f| SLURM_FILES.contains(&f) && !starts_with_mark(&e.path()));
        if ft.is_symlink() || !kind.allows(&rel, ft.is_dir()) || foreign_report || foreign_script {
            return Err(format!(
                "it holds `{rel}`, which `{}` does not write; move it away or choose another --out",
                kind.command()
            ));
        }
        if ft.is_dir() {
            check_entries(&e.path(), &format!("{rel}/"), kind)?;
        }
    }
    Ok(())
}

/// An exclusive lock on writing one target, held by an OS file lock on
/// `.<name>.lock` beside it. The OS frees the lock of a process that dies,
/// so a killed run never blocks the next.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    /// Takes the lock of `target`, or refuses if a live process holds it.
    pub fn take(target: &Path) -> Result<Lock, OutputError> {
        let name = file_name(target)?;
        let path = parent_of(target).join(format!(".{name}.lock"));
        if fs::symlink_metadata(&path).is_ok() && !lock_is_ours(&path) {
            return Err(refused(
                target,
                format!(
                    "`{}` is in the way: fleksim keeps its lock there, and that file is not \
                     fleksim's; move it away",
                    path.display()
                ),
            ));
        }
        // Another process may remove the file between our open and our
        // lock; then we hold a lock on a file nobody else sees: try again.
        for _ in 0..8 {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| OutputError::io("create the lock file", &path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let owner = fs::read_to_string(&path).unwrap_or_default();
                    let owner = owner.trim();
                    return Err(refused(
                        target,
                        format!(
                            "another fleksim process{} is writing it (lock `{}`); wait for it \
                             to finish or choose another --out",
                            if owner.is_empty() {
                                String::new()
                            } else {
                                format!(" ({owner})")
                            },
                            path.display()
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(OutputError::io("lock", &path, e));
                }
            }
            if same_file(&file, &path) {
                let mut file = file;
                let _ = file.set_len(0);
                let _ = writeln!(file, "pid {}", std::process::id());
                return Ok(Lock {
                    path,
                    file: Some(file),
                });
            }
        }
        Err(refused(
            target,
            format!(
                "its lock `{}` keeps changing under other processes; try again",
                path.display()
            ),
        ))
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock (if it is still the
        // file we lock), then release it.
        if let Some(f) = &self.file {
            if same_file(f, &self.path) {
                let _ = fs::remove_file(&self.path);
            }
        }
        self.file.take();
    }
}

/// The right to write one results folder: the target checked, the lock
/// held, leftovers of killed writers removed.
#[derive(Debug)]
pub struct Claim {
    target: PathBuf,
    kind: FolderKind,
    lock: Option<Lock>,
    /// Parent folders this claim created, deepest last.
    created: Vec<PathBuf>,
    keep_parents: bool,
}

impl Claim {
    /// Checks `target` for writing a folder of `kind`; see the module
    /// documentation. Refusals are [`OutputError::Refused`].
    pub fn new(target: &Path, kind: FolderKind) -> Result<Claim, OutputError> {
        let target = &normalize(target)?;
        let name = file_name(target)?;
        if name == "." || name == ".." {
            return Err(refused(target, "give a folder name, not `.` or `..`"));
        }
        check_target(target, kind)?;
        let parent = parent_of(target);
        let created = create_parents(&parent)?;
        let mut claim = Claim {
            target: target.to_path_buf(),
            kind,
            lock: None,
            created,
            keep_parents: false,
        };
        claim.lock = Some(Lock::take(target)?);
        // Checked again under the lock: another process may have written
        // it meanwhile.
        check_target(target, kind)?;
        claim.clean_leftovers(&parent, &name)?;
        Ok(claim)
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Keeps the parent folders the claim created (the results are there).
    pub fn keep_parents(&mut self) {
        self.keep_parents = true;
    }

    /// Removes `.<name>.tmp-*` and `.<name>.old-*` folders that a killed
    /// writer of this target left; with the lock held, no live process
    /// owns them. A moved-aside old folder whose target is gone (a kill
    /// between the two renames of a commit) is put back first.
    fn clean_leftovers(&self, parent: &Path, name: &str) -> Result<(), OutputError> {
        let Ok(entries) = fs::read_dir(parent) else {
            return Ok(());
        };
        let mut found: Vec<(bool, PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                scratch_of(&n, name).map(|is_old| (is_old, e.path()))
            })
            .collect();
        found.sort();
        for (is_old, path) in found {
            let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
            // Only what a writer of this kind could have left: a scratch
            // folder with only its files, an old folder that is ours.
            let ours = if is_old {
                check_ours(&path, self.kind).is_ok()
            } else {
                check_entries(&path, "", self.kind).is_ok()
            };
            if !is_dir || !ours {
                continue;
            }
            if is_old && !exists(&self.target) {
                fs::rename(&path, &self.target)
                    .map_err(|e| OutputError::io("restore the previous results", &path, e))?;
                continue;
            }
            fs::remove_dir_all(&path)
                .map_err(|e| OutputError::io("remove the leftover folder", &path, e))?;
        }
        Ok(())
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.lock.take();
        if !self.keep_parents {
            for dir in self.created.iter().rev() {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
            }
        }
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// `target` as the name of a folder: trailing separators dropped (so that
/// `link/` is checked as the link `link`); `.`, `..` and a path ending in
/// them refused.
pub fn normalize(target: &Path) -> Result<PathBuf, OutputError> {
    let Some(text) = target.to_str() else {
        return Err(refused(
            target,
            "the path is not valid UTF-8; give a folder name in UTF-8 (fleksim would otherwise \
             write under a different name)",
        ));
    };
    let trimmed = text.trim_end_matches(std::path::MAIN_SEPARATOR);
    let sep = std::path::MAIN_SEPARATOR;
    if [".", ".."].contains(&trimmed)
        || trimmed.ends_with(&format!("{sep}."))
        || trimmed.ends_with(&format!("{sep}.."))
    {
        return Err(refused(
            target,
            "it does not end in a folder name (`.` or `..`); give a path such as results/my-run",
        ));
    }
    let path = if trimmed.is_empty() {
        target.to_path_buf()
    } else {
        PathBuf::from(trimmed)
    };
    match path.components().next_back() {
        Some(std::path::Component::Normal(_)) => Ok(path),
        _ => Err(refused(
            target,
            "it does not end in a folder name (`.`, `..` or `/`); give a path such as \
             results/my-run",
        )),
    }
}

/// Refuses a target that is a link, a file, or a folder not ours; a
/// missing target or an empty folder is fine.
pub fn check_target(target: &Path, kind: FolderKind) -> Result<(), OutputError> {
    let target = &normalize(target)?;
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(refused(
                target,
                "a part of its path is a file, not a folder; choose another --out",
            ))
        }
        Err(e) => return Err(OutputError::io("inspect", target, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refused(
            target,
            "it is a symbolic link; give the folder it points to, or another --out",
        ));
    }
    if !meta.is_dir() {
        return Err(refused(
            target,
            "it is a file, not a folder; choose another --out",
        ));
    }
    let empty = fs::read_dir(target)
        .map_err(|e| OutputError::io("list", target, e))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    check_ours(target, kind).map_err(|why| refused(target, why))
}

/// Creates `dir` and its missing ancestors; returns those it created,
/// outermost first.
fn create_parents(dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let mut missing = Vec::new();
    let mut d = Some(dir);
    while let Some(p) = d {
        if p.as_os_str().is_empty() || exists(p) {
            break;
        }
        missing.push(p.to_path_buf());
        d = p.parent();
    }
    missing.reverse();
    let mut created = Vec::new();
    for (i, p) in missing.iter().enumerate() {
        match fs::create_dir(p) {
            Ok(()) => created.push(p.clone()),
            // Another process made it meanwhile: it is not ours to remove.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && p.is_dir() => {}
            Err(e) => {
                for q in created.iter().rev() {
                    let _ = fs::remove_dir(q);
                }
                let _ = i;
                return Err(OutputError::io("create the folder", p, e));
            }
        }
    }
    Ok(created)
}

/// A results folder being written: a scratch folder beside the target,
/// renamed into place by [`AtomicDir::commit`] when every file is complete.
#[derive(Debug)]
pub struct AtomicDir {
    claim: Claim,
    tmp: PathBuf,
    committed: bool,
}

impl AtomicDir {
    /// Claims `target` for `kind` and starts its scratch folder.
    pub fn new(target: &Path, kind: FolderKind) -> Result<AtomicDir, OutputError> {
        let claim = Claim::new(target, kind)?;
        let target = claim.target().to_path_buf();
        let name = file_name(&target)?;
        let tmp = parent_of(&target).join(format!(".{name}.tmp-{}", unique_suffix()));
        fs::create_dir(&tmp).map_err(|e| OutputError::io("create the folder", &tmp, e))?;
        Ok(AtomicDir {
            claim,
            tmp,
            committed: false,
        })
    }

    /// The folder it will become.
    pub fn target(&self) -> &Path {
        self.claim.target()
    }

    fn check_name(&self, name: &str, dir: bool) -> Result<(), OutputError> {
        if self.claim.kind.allows(name, dir) {
            Ok(())
        } else {
            // A programming error: the kind's list must name every file.
            Err(OutputError::io(
                "write",
                &self.claim.target.join(name),
                io::Error::other(format!(
                    "`{name}` is not a file that a `{}` folder holds",
                    self.claim.kind.manifest_kind()
                )),
            ))
        }
    }

    /// Creates a file in the folder.
    pub fn create(&self, name: &str) -> Result<BufWriter<File>, OutputError> {
        self.check_name(name, false)?;
        let path = self.tmp.join(name);
        let file =
            File::create(&path).map_err(|e| OutputError::io("create", &self.display(name), e))?;
        Ok(BufWriter::with_capacity(1 << 16, file))
    }

    /// Creates a subfolder (e.g. `runs/baseline`).
    pub fn create_dir(&self, name: &str) -> Result<(), OutputError> {
        let mut rel = String::new();
        for part in name.split('/') {
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(part);
            self.check_name(&rel, true)?;
        }
        fs::create_dir_all(self.tmp.join(name))
            .map_err(|e| OutputError::io("create the folder", &self.display(name), e))
    }

    /// Writes a whole file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut f = self.create(name)?;
        f.write_all(bytes)
            .and_then(|_| f.flush())
            .map_err(|e| OutputError::io("write", &self.display(name), e))
    }

    /// Finishes a file made with [`AtomicDir::create`].
    pub fn finish(&self, name: &str, mut w: BufWriter<File>) -> Result<(), OutputError> {
        w.flush()
            .map_err(|e| OutputError::io("write", &self.display(name), e))
    }

    /// Where a file will be, for messages.
    pub fn display(&self, name: &str) -> PathBuf {
        self.claim.target.join(name)
    }

    /// Moves the folder into place, replacing the earlier one.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let target = self.claim.target.clone();
        check_target(&target, self.claim.kind)?;
        if exists(&target) {
            let name = file_name(&target)?;
            let old = parent_of(&target).join(format!(".{name}.old-{}", unique_suffix()));
            if exists(&old) {
                return Err(refused(
                    &target,
                    format!("`{}` is in the way; remove it", old.display()),
                ));
            }
            fs::rename(&target, &old)
                .map_err(|e| OutputError::io("move aside the previous results", &target, e))?;
            if let Err(e) = fs::rename(&self.tmp, &target) {
                let _ = fs::rename(&old, &target);
                return Err(OutputError::io("move the results into", &target, e));
            }
            self.committed = true;
            self.claim.keep_parents = true;
            fs::remove_dir_all(&old)
                .map_err(|e| OutputError::io("remove the previous results", &old, e))?;
        } else {
            fs::rename(&self.tmp, &target)
                .map_err(|e| OutputError::io("move the results into", &target, e))?;
            self.committed = true;
            self.claim.keep_parents = true;
        }
        Ok(target)
    }
}

impl Drop for AtomicDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_allow_what_they_write_and_nothing_else() {
        assert!(FolderKind::Run.allows("monthly.csv", false));
        assert!(FolderKind::Run.allows("report.html", false));
        assert!(FolderKind::Run.allows(".report.html.tmp-12-34", false));
        assert!(!FolderKind::Run.allows("monthly.csv", true));
        assert!(!FolderKind::Run.allows("src", true));
        assert!(!FolderKind::Run.allows("index.js", false));
        assert!(!FolderKind::Run.allows("results.csv", false));
        assert!(FolderKind::Comparison.allows("runs", true));
        assert!(FolderKind::Comparison.allows("runs/base", true));
        assert!(FolderKind::Comparison.allows("runs/base/monthly.csv", false));
        assert!(!FolderKind::Comparison.allows("runs/base/x.txt", false));
        assert!(!FolderKind::Comparison.allows("runs/base/deeper", true));
        assert!(FolderKind::Sweep.allows("part-0-of-2", true));
        assert!(FolderKind::Sweep.allows("part-0-of-2/results.csv", false));
        assert!(FolderKind::Sweep.allows(".part-0-of-2.tmp-4242-17", true));
        assert!(!FolderKind::Sweep.allows(".part-0-of-2.tmp-backup", true));
        assert!(FolderKind::Sweep.allows(".part-0-of-2.lock", false));
        assert!(FolderKind::Sweep.allows("slurm/sweep-12_3.out", false));
        assert!(!FolderKind::Sweep.allows("slurm/notes.txt", false));
        assert!(!FolderKind::Sweep.allows("part-x-of-2", true));
        assert!(!FolderKind::Sweep.allows("monthly.csv", false));
        assert!(!FolderKind::SweepPart.allows("report.html", false));
        assert!(FolderKind::Sweep.allows(".sweep.tmp-7-8/timing.json", false));
        assert!(!FolderKind::Sweep.allows(".sweep.tmp-7-8/x.txt", false));
    }

    #[test]
    fn scratch_names_derive_from_allowed_names() {
        assert_eq!(scratch_base(".monthly.csv.tmp-1"), Some("monthly.csv"));
        assert_eq!(scratch_base(".tmp-1"), None);
        assert_eq!(
            scratch_base(".report.html.fleksim-tmp-1-2-3"),
            Some("report.html")
        );
        assert!(is_part_scratch(".part-1-of-3.old-5-6"));
        assert!(!is_part_scratch(".part-1-of-3.old-5"));
        assert_eq!(scratch_of(".r.old-1-2", "r"), Some(true));
        assert_eq!(scratch_of(".r.tmp-1-2", "r"), Some(false));
        assert_eq!(scratch_of(".r.old-backup", "r"), None);
        assert_eq!(scratch_of(".rr.tmp-1-2", "r"), None);
        assert!(!is_part_scratch(".parts.old-5"));
    }
}
