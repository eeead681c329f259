//! `fleksim report` never destroys a user's file and never hangs (issue 9,
//! cases 5 and 6): `--out` is refused when it is one of the report's
//! inputs, a folder, a dangling or outside symbolic link, or an existing
//! file fleksim did not write; values a results file cannot hold (±1e308,
//! NaN, inf, over 1e15) and inputs that never end are refused with exit 2,
//! naming the file, line and column.
//!
//! Each case runs in a temporary folder holding copies of the fixtures in
//! tests/fixtures/report/ and asserts the exit code, the message, and that
//! every file that was there before is still there, byte for byte.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const RUN: &str = "tests/fixtures/report/run";
const COMPARISON: &str = "tests/fixtures/report/comparison";

/// Long enough for a report on a loaded machine, short enough that a hang
/// fails the test instead of stalling the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A temporary folder with copies of the run and comparison fixtures and
/// of a scenario file.
struct Place {
    tmp: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&root(RUN), &tmp.path().join("run"));
        copy_dir(&root(COMPARISON), &tmp.path().join("comparison"));
        std::fs::copy(
            root("scenarios/markov-check.toml"),
            tmp.path().join("markov-check.toml"),
        )
        .unwrap();
        Place { tmp }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every entry under `dir`: a file's bytes, a link's target (not followed),
/// a folder as `dir`.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(rel, format!("link → {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                out.insert(rel, b"dir".to_vec());
                walk(base, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `fleksim report <args>` (paths as given) with a time limit.
fn report(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (Option<i32>, String) {
    let output = fleksim()
        .arg("report")
        .args(args.iter().map(|a| -> &std::ffi::OsStr { (*a).as_ref() }))
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code(), stderr)
}

/// Runs `fleksim report <args>` in `place` and checks that it exited 2
/// (not killed by the time limit), said every `needle`, and left every file
/// as it was.
fn refused(place: &Place, args: &[&dyn AsRef<std::ffi::OsStr>], needles: &[&str]) {
    let before = tree(place.tmp.path());
    let (code, stderr) = report(args);
    assert_eq!(code, Some(2), "stderr:\n{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "`{n}` not in:\n{stderr}");
    }
    assert_eq!(
        tree(place.tmp.path()),
        before,
        "files changed; stderr:\n{stderr}"
    );
}

#[test]
fn out_that_is_an_input_is_refused() {
    let p = Place::new();
    let run = p.path("run");
    let comparison = p.path("comparison");
    let inputs = [
        run.join("monthly.csv"),
        run.join("manifest.json"),
        // The same file by another way.
        run.join("..").join("run").join("budget.csv"),
        comparison.join("steering.csv"),
        comparison.join("runs/aalborg-project/summary.csv"),
    ];
    for out in &inputs {
        refused(
            &p,
            &[&run, &comparison, &"--out", out],
            &["is one of the report's inputs", "choose a new file"],
        );
    }
    // An input that does not exist yet is an input too (it is read), and so
    // is the folder itself.
    std::fs::remove_file(run.join("summary.csv")).unwrap();
    refused(
        &p,
        &[&run, &"--out", &run.join("summary.csv")],
        &["summary.csv", "is one of the report's inputs"],
    );
    refused(
        &p,
        &[&run, &"--out", &run],
        &["is one of the report's inputs"],
    );
    // A link in the folder that leads to an input.
    std::os::unix::fs::symlink("monthly.csv", run.join("view.html")).unwrap();
    refused(
        &p,
        &[&run, &"--out", &run.join("view.html")],
        &["view.html", "is one of the report's inputs"],
    );
}

#[test]
fn out_that_is_a_scenario_file_is_refused() {
    let p = Place::new();
    refused(
        &p,
        &[&p.path("run"), &"--out", &p.path("markov-check.toml")],
        &[
            "markov-check.toml",
            "is not a report written by fleksim",
            "choose another --out",
        ],
    );
}

#[test]
fn out_that_is_a_folder_is_refused() {
    let p = Place::new();
    let folder = p.path("pages");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("index.html"), "<p>mine</p>").unwrap();
    refused(
        &p,
        &[&p.path("run"), &"--out", &folder],
        &["pages", "is a folder", "give a file name"],
    );
}

#[test]
fn out_that_is_a_dangling_symlink_is_refused() {
    let p = Place::new();
    let link = p.path("report.html");
    std::os::unix::fs::symlink(p.path("gone/report.html"), &link).unwrap();
    refused(
        &p,
        &[&p.path("run"), &"--out", &link],
        &["report.html", "symbolic link", "leads to no file"],
    );
}

#[test]
fn out_that_is_a_symlink_out_of_its_folder_is_refused() {
    let p = Place::new();
    let elsewhere = p.path("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("notes.txt"), "my notes").unwrap();
    let link = p.path("run/report.html");
    std::os::unix::fs::symlink(elsewhere.join("notes.txt"), &link).unwrap();
    refused(
        &p,
        &[&p.path("run"), &"--out", &link],
        &["symbolic link", "notes.txt", "outside the link's folder"],
    );
}

#[test]
fn out_that_is_a_foreign_html_file_is_refused() {
    let p = Place::new();
    let page = p.path("steering.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html><head><meta name=\"generator\" content=\"other\"/><title>Our notes</title></head><body>fleksim</body></html>\n",
    )
    .unwrap();
    refused(
        &p,
        &[&p.path("run"), &"--out", &page],
        &[
            "steering.html",
            "is not a report written by fleksim",
            "<meta name=\"generator\" content=\"fleksim",
        ],
    );
    // The marker after the first few KB does not count.
    let mut late = "<!-- padding -->\n".repeat(400);
    late.push_str("<meta name=\"generator\" content=\"fleksim 0.1.0\"/>\n");
    std::fs::write(&page, late).unwrap();
    refused(
        &p,
        &[&p.path("run"), &"--out", &page],
        &["is not a report written by fleksim"],
    );
}

#[test]
fn out_that_is_a_fleksim_report_is_overwritten() {
    let p = Place::new();
    let run = p.path("run");
    let out = p.path("steering.html");
    let (code, stderr) = report(&[&run, &"--out", &out]);
    assert_eq!(code, Some(0), "{stderr}");
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(first.contains("<meta name=\"generator\" content=\"fleksim "));

    // A link in the same folder is written through and stays a link.
    let link = p.path("latest.html");
    std::os::unix::fs::symlink("steering.html", &link).unwrap();
    let mut before = tree(p.tmp.path());
    let (code, stderr) = report(&[&run, &"--out", &link, &"--lang", &"da"]);
    assert_eq!(code, Some(0), "{stderr}");
    let second = std::fs::read_to_string(&out).unwrap();
    assert!(second.contains("<html lang=\"da\">"), "not rewritten");
    assert_ne!(first, second);
    // Nothing else changed, and no temporary file is left.
    before.insert(PathBuf::from("steering.html"), second.into_bytes());
    assert_eq!(tree(p.tmp.path()), before);
}

/// `text` with field `column` of line `line` (1-based) replaced by `value`.
fn with_value(text: &str, line: usize, column: usize, value: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                let mut f: Vec<&str> = l.split(',').collect();
                f[column] = value;
                f.join(",") + "\n"
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn absurd_values_are_refused_with_file_line_and_column() {
    let p = Place::new();
    let run = p.path("run");
    let monthly = run.join("monthly.csv");
    let original = std::fs::read_to_string(&monthly).unwrap();
    // A line well inside the file: the first `ly_share` row of 2017.
    let line = original
        .lines()
        .position(|l| l.starts_with("2017-01,ly_share,"))
        .expect("no ly_share row for 2017-01")
        + 1;
    let out = p.path("report.html");
    for (value, column, name) in [
        ("1e308", 4, "p50"),
        ("-1e308", 3, "p05"),
        ("NaN", 4, "p50"),
        ("inf", 5, "p95"),
        ("-inf", 2, "mean"),
        ("1e16", 4, "p50"),
    ] {
        std::fs::write(&monthly, with_value(&original, line, column, value)).unwrap();
        refused(
            &p,
            &[&run, &"--out", &out],
            &[
                "monthly.csv",
                &format!("line {line}, column `{name}`"),
                &format!("`{value}`"),
                "finite",
            ],
        );
    }
    // In a comparison's own file and in one of its runs too.
    std::fs::write(&monthly, &original).unwrap();
    let comparison = p.path("comparison");
    let csv = comparison.join("comparison_summary.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, with_value(&text, 3, 7, "1e308")).unwrap();
    refused(
        &p,
        &[&comparison, &"--out", &out],
        &[
            "comparison_summary.csv",
            "line 3, column `prob_better`",
            "`1e308`",
        ],
    );
    std::fs::write(&csv, &text).unwrap();
    let budget = comparison.join("runs/aalborg-baseline/budget.csv");
    let text = std::fs::read_to_string(&budget).unwrap();
    std::fs::write(&budget, with_value(&text, 5, 2, "-1e308")).unwrap();
    refused(
        &p,
        &[&comparison, &"--out", &out],
        &["aalborg-baseline", "budget.csv", "line 5, column `mean`"],
    );
    // The largest values that are allowed still make a report.
    std::fs::write(&budget, &text).unwrap();
    std::fs::write(&monthly, with_value(&original, line, 4, "1e15")).unwrap();
    let (code, stderr) = report(&[&run, &"--out", &out]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn endless_and_huge_inputs_are_refused() {
    let p = Place::new();
    let run = p.path("run");
    let out = p.path("report.html");
    let monthly = run.join("monthly.csv");
    std::fs::remove_file(&monthly).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &monthly).unwrap();
    refused(
        &p,
        &[&run, &"--out", &out],
        &["monthly.csv", "not a regular file"],
    );
    std::fs::remove_file(&monthly).unwrap();
    // A sparse file: takes no room on disk.
    let f = std::fs::File::create(&monthly).unwrap();
    f.set_len(257 * 1024 * 1024).unwrap();
    drop(f);
    refused(
        &p,
        &[&run, &"--out", &out],
        &["monthly.csv", "larger than the 256 MB"],
    );
}

#[test]
fn scenario_names_that_leave_the_comparison_are_refused() {
    let p = Place::new();
    let comparison = p.path("comparison");
    let manifest = comparison.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let bad = text.replacen(
        "\"alternatives\": [\n    \"aalborg-project\"",
        "\"alternatives\": [\n    \"../../run\"",
        1,
    );
    assert_ne!(bad, text, "the fixture's manifest changed shape");
    std::fs::write(&manifest, bad).unwrap();
    refused(
        &p,
        &[&comparison, &"--out", &p.path("report.html")],
        &[
            "manifest.json",
            "key `alternatives`",
            "`../../run`",
            "not a plain folder name",
        ],
    );
}
