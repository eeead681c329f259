//! Results folders never cost a user a file (issue 9, cases 1–5, 13, 15):
//! each test builds a tree in a temporary folder, runs fleksim against it,
//! and checks the exit code, the message said once, and that every file
//! that was there before is still there, byte for byte.

mod common;

use assert_cmd::Command;
use common::snapshot;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MARKOV: &str = "scenarios/markov-check.toml";
const PROJECT: &str = "scenarios/aalborg-project.toml";

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn file(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn fleksim(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("fleksim")
            .unwrap()
            .current_dir(self.dir.path())
            .args(args)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap()
    }

    /// Runs `args`, expects exit 2 with every needle in stderr, each
    /// sentence said once, and the tree exactly as before.
    fn refused(&self, args: &[&str], needles: &[&str]) -> String {
        let before = snapshot(self.dir.path());
        let out = self.fleksim(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in:\n{err}");
        }
        said_once(&err);
        assert_eq!(
            snapshot(self.dir.path()),
            before,
            "{args:?} changed the tree"
        );
        err
    }

    fn ok(&self, args: &[&str]) {
        let out = self.fleksim(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// No line of an error repeats another's text.
fn said_once(err: &str) {
    let lines: Vec<&str> = err.lines().map(|l| l.trim()).collect();
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            let b = b.trim_start_matches("caused by: ");
            assert!(
                b.is_empty() || !a.contains(b),
                "a cause is printed twice:\n{err}"
            );
        }
        assert!(
            a.matches("error:").count() <= 1,
            "said twice on one line:\n{err}"
        );
    }
}

fn run_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["run", MARKOV_ABS.as_str(), "--out", out, "--quiet"];
    v.extend(["--replications", "2", "--set", "horizon_months=6"]);
    v.extend(extra);
    v
}

static MARKOV_ABS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| root(MARKOV));

// ---------------------------------------------------------------- case 1

#[test]
fn a_folder_with_a_foreign_manifest_is_not_replaced() {
    let c = Case::new();
    c.file("app/manifest.json", "{}");
    c.file("app/src/index.js", "x");
    c.refused(&run_args("app", &[]), &["`app`", "not written by fleksim"]);
    c.refused(
        &[
            "compare",
            &MARKOV_ABS,
            &MARKOV_ABS,
            "--out",
            "app",
            "--replications",
            "2",
            "--quiet",
        ],
        &["`app`"],
    );
    c.refused(
        &[
            "tornado",
            &root("scenarios/aalborg-project-psa.toml"),
            "--out",
            "app",
            "--replications",
            "2",
            "--quiet",
        ],
        &["`app`"],
    );
}

#[test]
fn a_fleksim_folder_with_a_users_file_in_it_is_not_replaced() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    c.file("r/notes.txt", "mine");
    c.refused(&run_args("r", &[]), &["notes.txt", "move it away"]);
    std::fs::remove_file(c.path("r/notes.txt")).unwrap();
    c.file("r/sub/x", "mine");
    c.refused(&run_args("r", &[]), &["sub"]);
}

#[test]
fn a_run_folder_is_replaced_whole_and_only_by_a_run() {
    let c = Case::new();
    c.ok(&run_args("r", &["--per-replication"]));
    assert!(c.path("r/replications.csv").exists());
    c.ok(&run_args("r", &[]));
    assert!(
        !c.path("r/replications.csv").exists(),
        "the old folder's files must go with it"
    );
    let names: Vec<String> = std::fs::read_dir(c.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["r"], "scratch or lock left behind: {names:?}");
}

// ---------------------------------------------------------------- case 2

#[test]
fn sweep_and_merge_do_not_claim_a_folder_for_a_name_in_it() {
    let c = Case::new();
    let sweep = grid(&c);
    for marker in ["slurm/x", "manifest.json", ".part-0-of-2", ".sweep.tmp-1"] {
        let dir = format!("d-{}", marker.replace(['/', '.'], "_"));
        if marker.contains('/') || marker == "manifest.json" {
            c.file(&format!("{dir}/{marker}"), "{}");
        } else {
            std::fs::create_dir_all(c.path(&format!("{dir}/{marker}"))).unwrap();
            c.file(&format!("{dir}/{marker}/mine.txt"), "mine");
        }
        c.file(&format!("{dir}/results.csv"), "mine");
        c.refused(&["sweep", s(&sweep), "--out", &dir, "--quiet"], &[&dir]);
    }
    // merge --out into a folder that is not a sweep's.
    c.ok(&[
        "sweep",
        s(&sweep),
        "--out",
        "sh",
        "--shard-index",
        "0",
        "--shard-count",
        "1",
        "--quiet",
    ]);
    c.file("mine/results.csv", "mine");
    c.refused(&["merge", "sh", "--out", "mine", "--quiet"], &["`mine`"]);
}

// ---------------------------------------------------------------- case 3

#[test]
fn a_users_dot_old_folder_beside_the_target_survives() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    c.file(".r.old/precious.txt", "mine");
    c.file(".r.old-1-2/precious.txt", "mine");
    c.file(".r.tmp-3/precious.txt", "mine");
    let keep = [".r.old", ".r.old-1-2", ".r.tmp-3"].map(|d| snapshot(&c.path(d)));
    c.ok(&run_args("r", &[]));
    for (d, snap) in [".r.old", ".r.old-1-2", ".r.tmp-3"].iter().zip(keep) {
        assert_eq!(snapshot(&c.path(d)), snap, "{d} changed");
    }
}

// ---------------------------------------------------------------- case 4

#[test]
fn run_and_sweep_do_not_write_over_each_others_folders() {
    let c = Case::new();
    let sweep = grid(&c);
    for k in ["0", "1"] {
        c.ok(&[
            "sweep",
            s(&sweep),
            "--out",
            "sw",
            "--shard-index",
            k,
            "--shard-count",
            "2",
            "--quiet",
        ]);
    }
    c.ok(&["merge", "sw", "--quiet"]);
    c.refused(
        &run_args("sw", &[]),
        &["fleksim sweep", "not of `fleksim run`"],
    );
    c.ok(&run_args("r", &[]));
    c.refused(
        &["sweep", s(&sweep), "--out", "r", "--quiet"],
        &["fleksim run", "not of `fleksim sweep`"],
    );
    // compare and tornado folders are not runs either.
    c.ok(&[
        "compare",
        &MARKOV_ABS,
        &MARKOV_ABS,
        "--out",
        "cmp",
        "--replications",
        "2",
        "--set",
        "horizon_months=6",
        "--quiet",
    ]);
    c.refused(&run_args("cmp", &[]), &["fleksim compare"]);
}

// ------------------------------------------------------------ links, files

#[test]
fn links_and_files_as_out_are_refused_before_any_work() {
    let c = Case::new();
    c.file("f.txt", "mine");
    c.refused(&run_args("f.txt", &[]), &["is a file"]);
    std::fs::create_dir(c.path("real")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere", c.path("dangling")).unwrap();
        std::os::unix::fs::symlink(c.path("real"), c.path("link")).unwrap();
        // The project scenario at 1,000 replications takes seconds; a
        // refusal must come at once.
        let big = root(PROJECT);
        let start = std::time::Instant::now();
        c.refused(
            &["run", &big, "--out", "dangling", "--quiet"],
            &["symbolic link"],
        );
        c.refused(
            &["run", &big, "--out", "link", "--quiet"],
            &["symbolic link"],
        );
        assert!(start.elapsed() < Duration::from_secs(5), "refused late");
    }
}

// ---------------------------------------------------------------- case 13

#[test]
fn refusing_out_is_exit_2_said_once_in_every_command() {
    let c = Case::new();
    c.file("x/mine.txt", "mine");
    let psa = root("scenarios/aalborg-project-psa.toml");
    let sweep = c.file(
        "grid.toml",
        &format!(
            "name = \"g\"\nscenario = \"{}\"\nreplications = 2\n[axes]\n\"ly.frailty_shape\" = [0.0]\n",
            root(MARKOV)
        ),
    );
    for args in [
        run_args("x", &[]),
        vec![
            "compare",
            MARKOV_ABS.as_str(),
            MARKOV_ABS.as_str(),
            "--out",
            "x",
            "--quiet",
        ],
        vec!["tornado", psa.as_str(), "--out", "x", "--quiet"],
        vec!["sweep", s(&sweep), "--out", "x", "--quiet"],
    ] {
        let err = c.refused(&args, &["`x`"]);
        assert_eq!(err.matches("refusing").count(), 1, "{args:?}: {err}");
    }
}

// ---------------------------------------------------------------- case 15

#[test]
fn a_failed_run_leaves_the_tree_as_it_found_it() {
    let c = Case::new();
    // The folder is claimed (parents created), then --at fails.
    c.refused(
        &[
            "compare",
            &MARKOV_ABS,
            &MARKOV_ABS,
            "--out",
            "new/deeper/cmp",
            "--at",
            "1990-01",
            "--quiet",
        ],
        &["1990-01"],
    );
    assert!(!c.path("new").exists(), "parent folders left behind");
}

#[cfg(target_os = "linux")]
#[test]
fn an_io_error_names_its_path_and_exits_1() {
    let c = Case::new();
    let out = c.fleksim(&run_args("/proc/fleksim-test/r", &[]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/proc/fleksim-test"), "{err}");
    said_once(&err);
}

// ------------------------------------------------------------ concurrency

#[test]
fn a_second_writer_of_the_same_folder_is_refused_clearly() {
    let c = Case::new();
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("fleksim"))
        .current_dir(c.dir.path())
        .args(["run", &root(PROJECT), "--out", "r", "--quiet"])
        .args(["--replications", "2000", "--threads", "1"])
        .spawn()
        .unwrap();
    // Wait until the first holds the lock.
    let lock = c.path(".r.lock");
    let t = std::time::Instant::now();
    while !lock.exists() && t.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = c.fleksim(&run_args("r", &[]));
    let err = String::from_utf8_lossy(&out.stderr);
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("another fleksim process"), "{err}");
    assert!(!err.contains("Directory not empty"), "{err}");
}

// ------------------------------------------------------------------ kill

#[test]
fn a_killed_run_leaves_earlier_results_and_the_next_run_cleans_up() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    let before = snapshot(&c.path("r"));
    let mut victim = std::process::Command::new(assert_cmd::cargo::cargo_bin("fleksim"))
        .current_dir(c.dir.path())
        .args(["run", &root(PROJECT), "--out", "r", "--quiet"])
        .args(["--replications", "2000", "--threads", "1"])
        .spawn()
        .unwrap();
    // Kill it once its scratch folder exists (mid-run).
    let t = std::time::Instant::now();
    let scratch = || {
        std::fs::read_dir(c.dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".r.tmp-"))
    };
    while !scratch() && t.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    victim.kill().unwrap();
    victim.wait().unwrap();
    assert!(
        scratch(),
        "the killed run should have left its scratch folder"
    );
    assert_eq!(snapshot(&c.path("r")), before, "earlier results changed");
    c.ok(&run_args("r", &[]));
    let left: Vec<String> = std::fs::read_dir(c.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "r")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ------------------------------------------------------- said once, always

#[test]
fn every_error_class_says_each_cause_once() {
    let c = Case::new();
    c.file("broken.toml", "name = \n");
    c.file("unknown.toml", "nmae = \"x\"\n");
    c.file("notes.txt", "mine");
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["validate", "missing.toml"], 2),
        (vec!["validate", "broken.toml"], 2),
        (vec!["validate", "unknown.toml"], 2),
        (vec!["validate", "/dev/zero"], 2),
        (vec!["validate", &MARKOV_ABS, "--set", "ly.nope=1"], 2),
        (
            vec!["validate", &MARKOV_ABS, "--set", "horizon_months=-3"],
            2,
        ),
        (vec!["sweep", "missing-sweep.toml"], 2),
        (vec!["merge", "notes.txt"], 2),
        (vec!["report", "no-such-folder"], 2),
        (run_args("notes.txt", &[]), 2),
    ];
    for (args, code) in cases {
        let out = c.fleksim(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        said_once(&err);
    }
}

#[test]
fn a_rerun_over_a_folder_with_a_report_says_the_report_went() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    c.ok(&["report", "r"]);
    assert!(c.path("r/report.html").exists());
    let out = c.fleksim(&run_args("r", &[]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!c.path("r/report.html").exists());
    assert!(
        err.contains("report.html") && err.contains("fleksim report r"),
        "{err}"
    );
}

// ------------------------------------------- found in review (issue 9)

fn grid(c: &Case) -> PathBuf {
    c.file(
        "grid.toml",
        &format!(
            "name = \"g\"\nscenario = \"{}\"\nreplications = 2\nmetrics = [\"ly_stock\"]\n\
             [set]\nhorizon_months = 4\n[axes]\n\"ly.frailty_shape\" = [0.0, 2.0]\n",
            root(MARKOV)
        ),
    )
}

#[test]
fn a_folder_without_a_manifest_is_no_sweeps_for_a_name_in_it() {
    let c = Case::new();
    let sweep = grid(&c);
    std::fs::create_dir_all(c.path("p1/slurm")).unwrap();
    c.file("p1/results.csv", "mine");
    c.refused(
        &["sweep", s(&sweep), "--out", "p1", "--quiet"],
        &["results.csv"],
    );
    c.file("p2/slurm/submit.sh", "#!/bin/sh\nmy own\n");
    c.refused(
        &[
            "sweep",
            s(&sweep),
            "--out",
            "p2",
            "--emit-slurm",
            "2",
            "--quiet",
        ],
        &["slurm"],
    );
    std::fs::create_dir_all(c.path("p3/part-0-of-9")).unwrap();
    c.file("p3/points.csv", "mine");
    c.refused(&["sweep", s(&sweep), "--out", "p3", "--quiet"], &["`p3`"]);
    // fleksim's own pending sweep is still its own: emit, shard, merge.
    c.ok(&[
        "sweep",
        s(&sweep),
        "--out",
        "sw",
        "--emit-slurm",
        "2",
        "--quiet",
    ]);
    for k in ["0", "1"] {
        c.ok(&[
            "sweep",
            s(&sweep),
            "--out",
            "sw",
            "--shard-index",
            k,
            "--shard-count",
            "2",
            "--quiet",
        ]);
    }
    c.ok(&["merge", "sw", "--quiet"]);
    c.ok(&["sweep", s(&sweep), "--out", "sw", "--quiet"]);
}

#[test]
fn a_users_file_where_the_lock_goes_is_never_touched() {
    let c = Case::new();
    c.file(".r1.lock", "precious");
    c.refused(&run_args("r1", &[]), &[".r1.lock", "in the way"]);
    #[cfg(unix)]
    {
        c.file("secret.txt", "precious");
        std::os::unix::fs::symlink("secret.txt", c.path(".r2.lock")).unwrap();
        c.refused(&run_args("r2", &[]), &[".r2.lock"]);
    }
}

#[test]
fn only_scratch_names_fleksim_made_are_cleaned() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    // A user's copy of fleksim's results under a name like a scratch one.
    std::fs::create_dir(c.path(".r.old-backup")).unwrap();
    for f in ["monthly.csv", "summary.csv", "manifest.json"] {
        std::fs::copy(c.path("r").join(f), c.path(".r.old-backup").join(f)).unwrap();
    }
    c.file(".r.old-7-8/summary.csv", "mine, no manifest");
    let keep = [".r.old-backup", ".r.old-7-8"].map(|d| snapshot(&c.path(d)));
    c.ok(&run_args("r", &[]));
    for (d, snap) in [".r.old-backup", ".r.old-7-8"].iter().zip(keep) {
        assert_eq!(snapshot(&c.path(d)), snap, "{d} changed");
    }
}

#[test]
fn a_report_html_fleksim_did_not_write_stops_a_rerun() {
    let c = Case::new();
    c.ok(&run_args("r", &[]));
    c.file("r/report.html", "<html>my notes</html>");
    c.refused(&run_args("r", &[]), &["report.html"]);
}

#[test]
fn parallel_writers_into_a_new_parent_all_succeed() {
    let c = Case::new();
    let kids: Vec<_> = ["a", "b", "c", "d"]
        .iter()
        .map(|k| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("fleksim"))
                .current_dir(c.dir.path())
                .args(run_args(&format!("new/deeper/{k}"), &[]))
                .output()
        })
        .collect();
    // Sequential spawns still race on the parents only by chance; run them
    // at once with threads.
    drop(kids);
    let handles: Vec<_> = ["e", "f", "g", "h"]
        .iter()
        .map(|k| {
            let dir = c.dir.path().to_path_buf();
            let args: Vec<String> = run_args(&format!("new2/deeper/{k}"), &[])
                .into_iter()
                .map(String::from)
                .collect();
            std::thread::spawn(move || {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("fleksim"))
                    .current_dir(dir)
                    .args(args)
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_link_with_a_trailing_slash_is_still_a_link() {
    let c = Case::new();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere", c.path("dang")).unwrap();
        std::fs::create_dir(c.path("e")).unwrap();
        std::os::unix::fs::symlink("e", c.path("lnk")).unwrap();
        c.refused(&run_args("dang/", &[]), &["symbolic link"]);
        c.refused(&run_args("lnk/", &[]), &["symbolic link"]);
        let sweep = grid(&c);
        c.refused(
            &["sweep", s(&sweep), "--out", "lnk/", "--quiet"],
            &["symbolic link"],
        );
    }
    c.refused(&run_args("r/.", &[]), &["folder name"]);
    c.file("afile", "mine");
    c.refused(&run_args("afile/sub", &[]), &["is a file"]);
}
