//! Where the page goes: `--out` is checked before any work is done
//! ([`check_out`]), and the page is written to a temporary file beside it
//! and renamed into place ([`write_atomic`]).
//!
//! A user's files are never overwritten. `--out` may not be one of the
//! report's inputs (compared as canonical paths, so that a symbolic link or
//! `..` does not hide one), a folder, a device or pipe, a symbolic link that
//! leads nowhere or out of its folder, or an existing file that is not a
//! fleksim report: one whose first [`MARKER_WINDOW`] bytes hold
//! [`GENERATOR_MARKER`], which every page fleksim writes has in its head.

use super::files;
use super::html::{GENERATOR_MARKER, MARKER_WINDOW};
use crate::model::error::InputError;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

fn refuse(out: &Path, why: String) -> InputError {
    InputError(format!("--out `{}` {why}", out.display()))
}

/// The folder a path is in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks `out` against the results folders `dirs` the page is made from
/// and returns the file to write: `out` in canonical form, or the file a
/// symbolic link `out` leads to (so the link stays). Reads nothing but
/// directory entries and the first [`MARKER_WINDOW`] bytes of an existing
/// `out`.
pub fn check_out(out: &Path, dirs: &[PathBuf]) -> Result<PathBuf, InputError> {
    let given = out.as_os_str().as_encoded_bytes();
    let Some(name) = out.file_name().filter(|_| !given.ends_with(b"/")) else {
        return Err(refuse(
            out,
            "names a folder: give a file name, e.g. `report.html`".into(),
        ));
    };
    let parent = parent_of(out);
    let folder = match parent.canonicalize() {
        Ok(f) if f.is_dir() => f,
        _ => {
            return Err(refuse(
                out,
                format!(
                "is in the folder `{}`, which does not exist; create it or choose another --out",
                parent.display()
            ),
            ))
        }
    };
    let target = match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => linked(out, &folder)?,
        Ok(_) => folder.join(name),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => folder.join(name),
        Err(e) => return Err(refuse(out, format!("cannot be checked: {e}"))),
    };
    for dir in dirs {
        refuse_input(out, &target, dir)?;
    }
    let meta = match std::fs::metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(target),
        Err(e) => return Err(refuse(out, format!("cannot be checked: {e}"))),
        Ok(m) => m,
    };
    if meta.is_dir() {
        return Err(refuse(
            out,
            format!(
                "is a folder: give a file name, e.g. `{}`",
                out.join("report.html").display()
            ),
        ));
    }
    if !meta.is_file() {
        return Err(refuse(
            out,
            "is not a regular file (a device, pipe or socket): give the name of a new file or of a report fleksim wrote".into(),
        ));
    }
    let ours = is_report(&target).map_err(|e| {
        refuse(
            out,
            format!("cannot be read to check that it is a report fleksim wrote: {e}"),
        )
    })?;
    if !ours {
        return Err(refuse(
            out,
            format!(
                "exists and is not a report written by fleksim (its head has no `{GENERATOR_MARKER}…\">`): fleksim overwrites only its own reports; move the file away or choose another --out"
            ),
        ));
    }
    Ok(target)
}

/// The file a symbolic link `out` in the canonical folder `folder` leads
/// to, if it exists and is in the same folder.
fn linked(out: &Path, folder: &Path) -> Result<PathBuf, InputError> {
    let shown = std::fs::read_link(out)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    let target = out.canonicalize().map_err(|_| {
        refuse(
            out,
            format!(
                "is a symbolic link to `{shown}`, which leads to no file: fleksim does not write through a dangling link; remove the link or choose another --out"
            ),
        )
    })?;
    if target.parent() != Some(folder) {
        return Err(refuse(
            out,
            format!(
                "is a symbolic link to `{}`, outside the link's folder: fleksim writes only where --out says; give that file's own path or choose another --out",
                target.display()
            ),
        ));
    }
    Ok(target)
}

/// Refuses `target` (canonical) when it is one of the files the report
/// reads from the results folder `dir`, or the folder itself.
fn refuse_input(out: &Path, target: &Path, dir: &Path) -> Result<(), InputError> {
    let inputs = files::existing_inputs(dir);
    let Some(canonical_dir) = inputs.first() else {
        return Ok(());
    };
    let inside = target
        .strip_prefix(canonical_dir)
        .is_ok_and(files::is_input);
    if inside || inputs.iter().any(|p| p == target) {
        return Err(refuse(
            out,
            format!(
                "is one of the report's inputs (from the results folder `{}`): writing the page there would destroy it; choose a new file, e.g. `{}`",
                dir.display(),
                dir.join("report.html").display()
            ),
        ));
    }
    Ok(())
}

/// Whether the file at `path` is a page fleksim wrote: its first
/// [`MARKER_WINDOW`] bytes hold [`GENERATOR_MARKER`].
pub fn is_report(path: &Path) -> std::io::Result<bool> {
    let mut head = Vec::with_capacity(MARKER_WINDOW);
    std::fs::File::open(path)?
        .take(MARKER_WINDOW as u64)
        .read_to_end(&mut head)?;
    let marker = GENERATOR_MARKER.as_bytes();
    Ok(head.windows(marker.len()).any(|w| w == marker))
}

/// Tells apart the temporary files of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Creates a new temporary file beside `path`, named for this process and
/// call (pid, nanoseconds, counter) and created only if no such file
/// exists, so that fleksim never writes into a file it did not make.
fn create_temp(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name: String = path
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(64).collect())
        .unwrap_or_else(|| "report.html".into());
    let folder = parent_of(path);
    let mut last = None;
    for _ in 0..16 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(
            ".{name}.fleksim-tmp-{}-{nanos}-{n}",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("cannot create `{}`: {e}", tmp.display()),
                ))
            }
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Writes `bytes` to a new temporary file beside `path` and renames it
/// into place, so a reader never sees half a page and a failure leaves the
/// old file as it was (and no temporary file behind). Errors name `path`
/// and the temporary file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let (tmp, mut file) =
        create_temp(path).map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", path.display()))?;
    let result = (|| -> std::io::Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        anyhow::bail!(
            "cannot write `{}` (through the temporary file `{}`, now removed): {e}",
            path.display(),
            tmp.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_new_and_distinct() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.html");
        let (a, _fa) = create_temp(&out).unwrap();
        let (b, _fb) = create_temp(&out).unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!(".report.html.fleksim-tmp-{}-", std::process::id())),
            "{name}"
        );
    }

    #[test]
    fn a_failed_write_names_the_path_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file onto a non-empty folder fails.
        let out = dir.path().join("busy");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep"), "x").unwrap();
        let e = write_atomic(&out, b"page").unwrap_err().to_string();
        assert!(e.contains(&out.display().to_string()), "{e}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("busy")]);
        assert_eq!(std::fs::read(out.join("keep")).unwrap(), b"x");
    }

    #[test]
    fn inputs_are_known_by_their_place() {
        for rel in [
            "",
            "manifest.json",
            "monthly.csv",
            "steering.csv",
            "tornado.csv",
            "runs",
            "runs/a",
            "runs/a/budget.csv",
        ] {
            assert!(files::is_input(Path::new(rel)), "{rel}");
        }
        for rel in [
            "report.html",
            "tornado.json",
            "runs/a/report.html",
            "x/monthly.csv",
        ] {
            assert!(!files::is_input(Path::new(rel)), "{rel}");
        }
    }
}
