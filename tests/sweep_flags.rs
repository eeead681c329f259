//! `fleksim sweep --replications N --set KEY=VALUE`: the flags act like the
//! sweep file's `replications` and `set` (same rows), are recorded in the
//! manifest (`sweep.flags`, and in `sweep_sha256`), and shards of one sweep
//! must agree on them: merge refuses parts run with other flags, and the
//! Slurm script passes them to every task.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

const SHARD_VARS: &[&str] = &[
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "JOB_COMPLETION_INDEX",
    "FLEKSIM_SHARD_COUNT",
];

/// The axes, 6 points; replications and horizon come from the test.
const AXES: &str = r#"
seed = 11
[axes]
"staffing.consultants" = { from = 13, to = 15 }
"policy.followup.enabled" = [true, false]
"#;

fn case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("project.toml"), text(PROJECT)).unwrap();
    dir
}

fn sweep_file(dir: &Path, name: &str, head: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!("name = \"s\"\nscenario = \"project.toml\"\n{head}\n{AXES}"),
    )
    .unwrap();
    p
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    let mut c = fleksim();
    for v in SHARD_VARS {
        c.env_remove(v);
    }
    c.args(args).output().unwrap()
}

fn ok(args: &[&std::ffi::OsStr]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "fleksim {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn flags_give_the_rows_of_the_same_sweep_file_and_are_recorded() {
    let dir = case();
    // The file says 50 replications and no horizon; the flags say 3 and 6.
    let flagged = sweep_file(dir.path(), "flagged.toml", "replications = 50");
    let written = sweep_file(
        dir.path(),
        "written.toml",
        "replications = 3\nset = { horizon_months = 6 }",
    );
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(&[
        os("sweep"),
        flagged.as_os_str(),
        os("--replications"),
        os("3"),
        os("--set"),
        os("horizon_months=6"),
        os("--out"),
        a.as_os_str(),
        os("--quiet"),
    ]);
    ok(&[
        os("sweep"),
        written.as_os_str(),
        os("--out"),
        b.as_os_str(),
        os("--quiet"),
    ]);
    for f in ["points.csv", "results.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between the flags and the same values in the sweep file"
        );
    }
    let m = manifest(&a);
    assert_eq!(m["sweep"]["replications"], 3);
    assert_eq!(
        m["sweep"]["flags"],
        serde_json::json!(["--replications", "3", "--set", "horizon_months=6"])
    );
    // A sweep without flags records none (its manifest is unchanged).
    assert!(manifest(&b)["sweep"].get("flags").is_none());
    // The results say 6 months: 2016-09 to 2017-02, two calendar years.
    let results = std::fs::read_to_string(a.join("results.csv")).unwrap();
    assert!(results.contains(",2017,") && !results.contains(",2018,"));
}

#[test]
fn a_set_wins_over_the_sweep_files_set() {
    let dir = case();
    let f = sweep_file(
        dir.path(),
        "s.toml",
        "replications = 2\nset = { horizon_months = 30 }",
    );
    let out = dir.path().join("out");
    ok(&[
        os("sweep"),
        f.as_os_str(),
        os("--set"),
        os("horizon_months=6"),
        os("--out"),
        out.as_os_str(),
        os("--quiet"),
    ]);
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert!(
        !results.contains(",2018,"),
        "the sweep file's 30 months won"
    );
}

#[test]
fn shards_must_agree_on_the_flags() {
    let dir = case();
    let f = sweep_file(dir.path(), "s.toml", "replications = 2");
    let parts = dir.path().join("parts");
    let shard = |k: &str, flags: &[&str]| {
        let mut args = vec![os("sweep"), f.as_os_str()];
        args.extend(flags.iter().map(|s| os(s)));
        args.extend([
            os("--shard-index"),
            os(k),
            os("--shard-count"),
            os("2"),
            os("--out"),
            parts.as_os_str(),
            os("--quiet"),
        ]);
        ok(&args);
    };
    let flags = ["--replications", "3", "--set", "horizon_months=6"];
    shard("0", &flags);
    shard("1", &["--replications", "3", "--set", "horizon_months=7"]);
    let out = run(&[os("merge"), parts.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`flags`") && err.contains("horizon_months=7"),
        "the merge does not name the differing flags:\n{err}"
    );
    // Rerun with the same flags: the merge equals the unsharded sweep.
    shard("1", &flags);
    ok(&[os("merge"), parts.as_os_str(), os("--quiet")]);
    let whole = dir.path().join("whole");
    let mut args = vec![os("sweep"), f.as_os_str()];
    args.extend(flags.iter().map(|s| os(s)));
    args.extend([os("--out"), whole.as_os_str(), os("--quiet")]);
    ok(&args);
    for name in ["points.csv", "results.csv", "manifest.json"] {
        assert_eq!(
            std::fs::read(parts.join(name)).unwrap(),
            std::fs::read(whole.join(name)).unwrap(),
            "{name}: merged differs from unsharded"
        );
    }
}

#[test]
fn the_slurm_script_passes_the_flags_to_every_task() {
    let dir = case();
    let f = sweep_file(dir.path(), "s.toml", "replications = 2");
    let out = dir.path().join("out");
    ok(&[
        os("sweep"),
        f.as_os_str(),
        os("--replications"),
        os("4"),
        os("--set"),
        os("ly.find_job[0].p=0.08"),
        os("--emit-slurm"),
        os("3"),
        os("--out"),
        out.as_os_str(),
        os("--quiet"),
    ]);
    let script = std::fs::read_to_string(out.join("slurm/sweep.sbatch")).unwrap();
    assert!(
        script.contains("--replications 4 --set 'ly.find_job[0].p=0.08' --shard-count 3"),
        "{script}"
    );
}

#[test]
fn bad_flags_exit_2_and_say_what_is_allowed() {
    let dir = case();
    let f = sweep_file(dir.path(), "s.toml", "replications = 2");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--set", "staffing.consultants=20"],
            &["axes.staffing.consultants", "is an axis"],
        ),
        (&["--set", "seed=3"], &["`seed`", "sweep file"]),
        (&["--set", "replications=3"], &["--replications N"]),
        (&["--set", "horizon_months"], &["KEY=VALUE"]),
        (
            &["--set", "staffing.consultantz=3"],
            &["staffing.consultantz", "consultants"],
        ),
        (&["--set", "horizon_months=0"], &["horizon_months"]),
        (&["--replications", "0"], &["--replications"]),
    ];
    for (flags, needles) in cases {
        let mut args = vec![os("sweep"), f.as_os_str()];
        args.extend(flags.iter().map(|s| os(s)));
        let out_dir = dir.path().join("never");
        args.extend([os("--out"), out_dir.as_os_str(), os("--quiet")]);
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {err}");
        for n in *needles {
            assert!(err.contains(n), "{flags:?}: `{n}` not in:\n{err}");
        }
        assert!(!out_dir.exists(), "{flags:?} wrote a folder");
    }
}
