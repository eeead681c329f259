//! `fleksim sweep` and `fleksim merge` end to end: sharded and merged output
//! equals the unsharded run byte for byte, whatever the thread count; an
//! interrupted shard leaves nothing half-written and a rerun completes it;
//! merge refuses what does not belong together; the Latin hypercube is
//! stratified; bad sweep files exit 2 naming the key.
//!
//! Every sweep here is small: the project scenario cut to a few months and
//! a few replications, written with its sweep file to a temporary folder.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Environment variables that choose a shard; removed from every command so
/// that the tests do not depend on where they run.
const SHARD_VARS: &[&str] = &[
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "JOB_COMPLETION_INDEX",
    "FLEKSIM_SHARD_COUNT",
];

/// The files a merged folder must share byte for byte with an unsharded one.
const FINAL: [&str; 3] = ["points.csv", "results.csv", "manifest.json"];

/// 14 points (7 × 2): not a multiple of 2 or 3, so shards differ in size.
const GRID: &str = r#"
replications = 3
seed = 11
set = { horizon_months = 6 }
[axes]
"staffing.consultants" = { from = 13, to = 19 }
"policy.followup.enabled" = [true, false]
"#;

/// A temporary folder with the project scenario and sweep files.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("project.toml"), text(PROJECT)).unwrap();
        Case { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a sweep file over the project scenario.
    fn sweep(&self, name: &str, body: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, format!("scenario = \"project.toml\"\n{body}")).unwrap();
        p
    }

    /// Runs `fleksim <args>` with no shard variables set (but `env`).
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = fleksim();
        for v in SHARD_VARS {
            c.env_remove(v);
        }
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(args).output().unwrap()
    }

    /// Runs and expects success.
    fn ok(&self, args: &[&str]) -> Output {
        self.ok_env(args, &[])
    }

    fn ok_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let out = self.run(args, env);
        assert!(
            out.status.success(),
            "fleksim {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs and expects exit 2 with every needle in stderr; returns stderr.
    fn refused(&self, args: &[&str], needles: &[&str]) -> String {
        let out = self.run(args, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "expected exit 2:\n{stderr}");
        assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
        for n in needles {
            assert!(stderr.contains(n), "stderr lacks `{n}`:\n{stderr}");
        }
        stderr
    }

    /// `fleksim sweep SWEEP --out OUT --quiet EXTRA…`.
    fn sweep_to(&self, sweep: &Path, out: &Path, extra: &[&str]) {
        let mut args = vec!["sweep", s(sweep), "--out", s(out), "--quiet"];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    /// Every shard of `n`, then `fleksim merge`.
    fn sharded(&self, sweep: &Path, out: &Path, n: usize) {
        for k in 0..n {
            let (k, n) = (k.to_string(), n.to_string());
            self.sweep_to(sweep, out, &["--shard-index", &k, "--shard-count", &n]);
        }
        self.ok(&["merge", s(out), "--quiet"]);
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Asserts that two sweep folders hold the same final files, byte for byte.
fn same_final(a: &Path, b: &Path) {
    for f in FINAL {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

// ------------------------------------------------------------ byte equality

#[test]
fn sharded_and_merged_equals_unsharded() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let single = c.path("single");
    c.sweep_to(&sweep, &single, &[]);
    let points = read_csv(&single.join("points.csv"));
    assert_eq!(
        points[0],
        ["point", "staffing.consultants", "policy.followup.enabled"]
    );
    assert_eq!(points.len(), 15);
    assert_eq!(points[3], ["2", "14", "true"]);
    for n in [2, 3] {
        let out = c.path(&format!("shards{n}"));
        c.sharded(&sweep, &out, n);
        same_final(&single, &out);
        for k in 0..n {
            assert!(out.join(format!("part-{k}-of-{n}/manifest.json")).is_file());
        }
    }
}

#[test]
fn thread_count_does_not_change_bytes() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let (one, two, three) = (c.path("t1"), c.path("t2"), c.path("t3"));
    c.sweep_to(&sweep, &one, &["--threads", "1"]);
    c.sweep_to(&sweep, &two, &["--threads", "2"]);
    c.sweep_to(&sweep, &three, &["--threads", "3"]);
    same_final(&one, &two);
    same_final(&one, &three);
    // A shard on one thread merged with one on three: still the same.
    let mixed = c.path("mixed");
    c.sweep_to(
        &sweep,
        &mixed,
        &["--shard-index", "0", "--shard-count", "2", "--threads", "1"],
    );
    c.sweep_to(
        &sweep,
        &mixed,
        &["--shard-index", "1", "--shard-count", "2", "--threads", "3"],
    );
    c.ok(&["merge", s(&mixed), "--quiet"]);
    same_final(&one, &mixed);
}

#[test]
fn results_hold_years_end_and_horizon_and_months_on_request() {
    let c = Case::new();
    let body = "replications = 2\nmetrics = [\"ly_stock\", \"hires\", \"net_municipal_cost\"]\n\
                set = { horizon_months = 6 }\n[axes]\n\"policy.jobclub.effect\" = [1.0, 1.25]\n";
    let sweep = c.sweep("y.toml", body);
    let out = c.path("y");
    c.sweep_to(&sweep, &out, &[]);
    let rows = read_csv(&out.join("results.csv"));
    assert_eq!(
        rows[0],
        ["point", "period", "metric", "mean", "p05", "p50", "p95"]
    );
    let keys: Vec<(String, String)> = rows[1..]
        .iter()
        .filter(|r| r[0] == "0")
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    let want: Vec<(String, String)> = [
        ("2016", "ly_stock"),
        ("2016", "hires"),
        ("2016", "net_municipal_cost"),
        ("2017", "ly_stock"),
        ("2017", "hires"),
        ("2017", "net_municipal_cost"),
        ("end", "ly_stock"),
        ("horizon", "ly_stock"),
        ("horizon", "hires"),
        ("horizon", "net_municipal_cost"),
        ("horizon", "net_municipal_cost_npv"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(keys, want);
    assert_eq!(rows.len(), 1 + 2 * want.len());
    assert_eq!(read_csv(&out.join("points.csv"))[2], ["1", "1.25"]);

    let sweep = c.sweep("m.toml", &format!("months = \"monthly\"\n{body}"));
    let out = c.path("m");
    c.sweep_to(&sweep, &out, &[]);
    let rows = read_csv(&out.join("results.csv"));
    let periods: Vec<&str> = rows[1..]
        .iter()
        .filter(|r| r[0] == "0" && r[2] == "ly_stock")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(
        periods,
        [
            "2016-09", "2016-10", "2016-11", "2016-12", "2017-01", "2017-02", "2016", "2017",
            "end", "horizon"
        ]
    );
}

// ---------------------------------------------------------- interruptions

#[test]
fn interrupted_shard_leaves_no_partial_part_and_rerun_completes_it() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let single = c.path("single");
    c.sweep_to(&sweep, &single, &[]);

    // What a killed shard leaves: its temporary folder (killed before the
    // rename into place).
    let out = c.path("out");
    let tmp = out.join(".part-0-of-2.tmp-4242424-1");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("results.csv"), "point,period\n0,2016").unwrap();

    // Merge refuses a folder without parts (and ignores the temporary
    // folder).
    c.refused(&["merge", s(&out)], &["no part-K-of-N", "--shard-index K"]);

    c.sharded(&sweep, &out, 2);
    assert!(
        !tmp.exists(),
        "the dead shard's temporary folder was not cleaned"
    );
    same_final(&single, &out);

    // A part whose file changed after it was written is not valid: merge
    // refuses it, and a rerun of its shard redoes it.
    let results = out.join("part-0-of-2/results.csv");
    let good = read(&results);
    std::fs::write(&results, &good[..good.len() / 2]).unwrap();
    c.refused(&["merge", s(&out)], &["part-0-of-2", "hash"]);
    c.sharded(&sweep, &out, 2);
    assert_eq!(read(&results), good);
    same_final(&single, &out);
}

#[test]
fn a_complete_part_is_skipped_on_rerun() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    let args = [
        "sweep",
        s(&sweep),
        "--out",
        s(&out),
        "--shard-index",
        "1",
        "--shard-count",
        "2",
    ];
    c.ok(&args);
    let manifest = read(&out.join("part-1-of-2/manifest.json"));
    let again = c.ok(&args);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already complete"));
    assert_eq!(
        read(&out.join("part-1-of-2/manifest.json")),
        manifest,
        "the part was redone"
    );
    // A different sweep (other seed) into the same folder redoes the part.
    let other = c.sweep("grid.toml", &GRID.replace("seed = 11", "seed = 12"));
    c.ok(&[
        "sweep",
        s(&other),
        "--out",
        s(&out),
        "--shard-index",
        "1",
        "--shard-count",
        "2",
        "--quiet",
    ]);
    assert_ne!(read(&out.join("part-1-of-2/manifest.json")), manifest);
}

#[test]
fn killed_shard_process_is_finished_by_a_rerun() {
    let c = Case::new();
    let body = GRID
        .replace("horizon_months = 6", "horizon_months = 48")
        .replace("replications = 3", "replications = 40");
    let sweep = c.sweep("big.toml", &body);
    let out = c.path("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fleksim"))
        .args([
            "sweep",
            s(&sweep),
            "--out",
            s(&out),
            "--quiet",
            "--shard-index",
            "0",
            "--shard-count",
            "1",
        ])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    // Whenever the kill landed, a part folder is either absent or complete.
    let part = out.join("part-0-of-1");
    assert!(!part.exists() || part.join("manifest.json").is_file());
    c.sweep_to(&sweep, &out, &["--shard-index", "0", "--shard-count", "1"]);
    c.ok(&["merge", s(&out), "--quiet"]);
    assert_eq!(read_csv(&out.join("points.csv")).len(), 15);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "leftovers: {names:?}"
    );
}

#[test]
fn emit_slurm_takes_the_resources_as_flags() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    c.ok(&[
        "sweep",
        s(&sweep),
        "--out",
        s(&out),
        "--emit-slurm",
        "2",
        "--cpus-per-task",
        "8",
        "--mem",
        "16G",
        "--time",
        "2-00:00:00",
        "--partition",
        "long",
        "--quiet",
    ]);
    let array = String::from_utf8(read(&out.join("slurm/sweep.sbatch"))).unwrap();
    let merge = String::from_utf8(read(&out.join("slurm/merge.sbatch"))).unwrap();
    for line in [
        "--cpus-per-task=8",
        "--mem=16G",
        "--time=2-00:00:00",
        "--partition=long",
    ] {
        assert!(array.contains(&format!("#SBATCH {line}\n")), "{array}");
    }
    assert!(merge.contains("#SBATCH --partition=long\n"), "{merge}");
    assert!(merge.contains("#SBATCH --cpus-per-task=1\n"), "{merge}");
    // Bad values exit 2 naming the flag and what is allowed, and write
    // nothing; the flags need --emit-slurm.
    let other = c.path("other");
    for (flag, value, says) in [
        ("--mem", "2GB", "K, M, G or T"),
        ("--time", "2h", "HH:MM:SS"),
        ("--partition", "a b", "partition name"),
        ("--cpus-per-task", "0", "--cpus-per-task"),
    ] {
        c.refused(
            &[
                "sweep",
                s(&sweep),
                "--out",
                s(&other),
                "--emit-slurm",
                "2",
                flag,
                value,
            ],
            &[flag, says],
        );
    }
    c.refused(
        &["sweep", s(&sweep), "--out", s(&other), "--mem", "2G"],
        &["--emit-slurm"],
    );
    assert!(!other.exists());
}

// ------------------------------------------------------------ merge refuses

#[test]
fn merge_refuses_a_missing_part() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    c.sweep_to(&sweep, &out, &["--shard-index", "0", "--shard-count", "3"]);
    c.sweep_to(&sweep, &out, &["--shard-index", "2", "--shard-count", "3"]);
    // Issue 19: the hint names the sweep file the shards ran, not a
    // placeholder, so it can be pasted as it is.
    let file = std::path::absolute(&sweep).unwrap();
    let hint = format!(
        "run `fleksim sweep {} --shard-index 1 --shard-count 3 --out {}`",
        file.display(),
        out.display()
    );
    c.refused(&["merge", s(&out)], &["missing part-1-of-3", &hint]);
    assert!(!out.join("manifest.json").exists());
    // A changed part: the hint still names the sweep file (from the other
    // part's manifest).
    std::fs::write(out.join("part-0-of-3/points.csv"), "changed\n").unwrap();
    let hint0 = format!(
        "`fleksim sweep {} --shard-index 0 --shard-count 3",
        file.display()
    );
    c.refused(&["merge", s(&out)], &["part-0-of-3", &hint0]);
    c.refused(&["merge", s(&c.path("nowhere"))], &["nowhere"]);
    c.refused(&["merge", s(c.dir.path())], &["no part-K-of-N"]);
}

#[test]
fn merge_refuses_a_duplicate_point() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    c.sharded(&sweep, &out, 2);
    // A stale part of another shard count in the same folder.
    c.sweep_to(&sweep, &out, &["--shard-index", "0", "--shard-count", "3"]);
    c.refused(
        &["merge", s(&out)],
        &["point 0 is in both", "part-0-of-2", "part-0-of-3"],
    );
}

#[test]
fn merge_refuses_a_foreign_manifest() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    c.sweep_to(&sweep, &out, &["--shard-index", "0", "--shard-count", "2"]);
    let other = c.sweep(
        "other.toml",
        &GRID
            .replace("seed = 11", "seed = 99")
            .replace("[axes]", "name = \"grid\"\n[axes]"),
    );
    c.sweep_to(&other, &out, &["--shard-index", "1", "--shard-count", "2"]);
    c.refused(
        &["merge", s(&out)],
        &["part-1-of-2/manifest.json", "foreign", "`seed`", "99", "11"],
    );

    // Same sweep, another program version.
    c.sweep_to(&sweep, &out, &["--shard-index", "1", "--shard-count", "2"]);
    let m = out.join("part-1-of-2/manifest.json");
    let text = String::from_utf8(read(&m)).unwrap();
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    std::fs::write(&m, text.replace(&version, "\"version\": \"0.0.1\"")).unwrap();
    c.refused(&["merge", s(&out)], &["foreign", "`version`", "0.0.1"]);
}

// ---------------------------------------------------------- the design

#[test]
fn latin_hypercube_is_stratified() {
    let c = Case::new();
    let n = 40;
    let body = format!(
        "replications = 1\nset = {{ horizon_months = 2 }}\n[lhs]\npoints = {n}\nseed = 5\n\
         ranges = {{ \"policy.jobclub.effect\" = [1.0, 1.5], \"policy.followup.p_up_contact\" = [0.04, 0.2], \
         \"initial.ly\" = [300, 340] }}\n"
    );
    let sweep = c.sweep("lhs.toml", &body);
    let out = c.path("lhs");
    c.sweep_to(&sweep, &out, &[]);
    let rows = read_csv(&out.join("points.csv"));
    assert_eq!(
        rows[0],
        [
            "point",
            "policy.jobclub.effect",
            "policy.followup.p_up_contact",
            "initial.ly"
        ]
    );
    assert_eq!(rows.len(), n + 1);
    for (col, (lo, hi)) in [(1, (1.0, 1.5)), (2, (0.04, 0.2))] {
        let mut v: Vec<f64> = rows[1..].iter().map(|r| r[col].parse().unwrap()).collect();
        v.sort_by(f64::total_cmp);
        let w = (hi - lo) / n as f64;
        for (k, x) in v.iter().enumerate() {
            let (a, b) = (lo + k as f64 * w, lo + (k + 1) as f64 * w);
            assert!(
                a - 1e-12 <= *x && *x <= b + 1e-12,
                "column {col}: value {x} not in stratum {k} [{a}, {b}]"
            );
        }
    }
    // `initial.ly` takes whole numbers: the draws are rounded, one per stratum of width 1.
    let mut v: Vec<i64> = rows[1..].iter().map(|r| r[3].parse().unwrap()).collect();
    v.sort();
    for (k, x) in v.iter().enumerate() {
        assert!(
            (300 + k as i64..=301 + k as i64).contains(x),
            "initial.ly {x} not in stratum {k}"
        );
    }
}

#[test]
fn a_bad_sweep_file_exits_2_naming_the_key() {
    let c = Case::new();
    let out = c.path("out");
    let bad = c.sweep(
        "bad.toml",
        &format!("{GRID}\n[lhs]\npointz = 3\nranges = {{}}\n"),
    );
    c.refused(
        &["sweep", s(&bad), "--out", s(&out)],
        &["bad.toml", "`lhs.pointz`", "points"],
    );
    let bad = c.sweep("bad.toml", &format!("replicatons = 3\n{GRID}"));
    c.refused(
        &["sweep", s(&bad), "--out", s(&out)],
        &["bad.toml", "`replicatons`", "replications"],
    );
    let bad = c.sweep(
        "bad.toml",
        &GRID.replace("staffing.consultants", "staffing.consultantz"),
    );
    c.refused(
        &["sweep", s(&bad), "--out", s(&out)],
        &["bad.toml", "staffing.consultantz", "consultants"],
    );
    let bad = c.sweep("bad.toml", &GRID.replace("[true, false]", "[true, 3]"));
    c.refused(
        &["sweep", s(&bad), "--out", s(&out)],
        &["bad.toml", "policy.followup.enabled", "= 3"],
    );
    let bad = c.sweep(
        "bad.toml",
        &GRID.replace(
            "replications = 3",
            "replications = 3\nmetrics = [\"ly_shares\"]",
        ),
    );
    c.refused(
        &["sweep", s(&bad), "--out", s(&out)],
        &["bad.toml", "`metrics`", "ly_share"],
    );
    assert!(!out.exists(), "a refused sweep wrote output");
    // A bad shard is input too.
    let good = c.sweep("good.toml", GRID);
    c.refused(
        &[
            "sweep",
            s(&good),
            "--out",
            s(&out),
            "--shard-index",
            "2",
            "--shard-count",
            "2",
        ],
        &["below the count"],
    );
    c.refused(
        &["sweep", s(&good), "--out", s(&out), "--shard-index", "0"],
        &["--shard-count"],
    );
    // An --out that is someone else's folder.
    std::fs::create_dir_all(c.path("src")).unwrap();
    std::fs::write(c.path("src/lib.rs"), "").unwrap();
    c.refused(
        &["sweep", s(&good), "--out", s(&c.path("src"))],
        &["no manifest.json written by fleksim"],
    );
}

// ------------------------------------------------------------ schedulers

#[test]
fn shards_come_from_the_scheduler_environment_and_flags_win() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    let args = ["sweep", s(&sweep), "--out", s(&out), "--quiet"];
    c.ok_env(
        &args,
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ],
    );
    assert!(out.join("part-1-of-2/manifest.json").is_file());
    c.ok_env(
        &args,
        &[("JOB_COMPLETION_INDEX", "0"), ("FLEKSIM_SHARD_COUNT", "2")],
    );
    assert!(out.join("part-0-of-2/manifest.json").is_file());
    let mut flagged = args.to_vec();
    flagged.extend(["--shard-index", "2", "--shard-count", "3"]);
    c.ok_env(
        &flagged,
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ],
    );
    assert!(out.join("part-2-of-3/manifest.json").is_file());
    std::fs::remove_dir_all(out.join("part-2-of-3")).unwrap();
    c.ok(&["merge", s(&out), "--quiet"]);
    let single = c.path("single");
    c.sweep_to(&sweep, &single, &[]);
    same_final(&single, &out);
}

#[test]
fn emit_slurm_writes_an_array_and_a_dependent_merge() {
    let c = Case::new();
    let sweep = c.sweep("grid.toml", GRID);
    let out = c.path("out");
    c.ok(&[
        "sweep",
        s(&sweep),
        "--out",
        s(&out),
        "--emit-slurm",
        "4",
        "--quiet",
    ]);
    let dir = out.join("slurm");
    let array = String::from_utf8(read(&dir.join("sweep.sbatch"))).unwrap();
    let merge = String::from_utf8(read(&dir.join("merge.sbatch"))).unwrap();
    let submit = String::from_utf8(read(&dir.join("submit.sh"))).unwrap();
    assert!(array.contains("#SBATCH --array=0-3"), "{array}");
    assert!(array.contains("--shard-count 4"), "{array}");
    // Issue 19: defaults that fit a small node, and no partition unless
    // asked for.
    for line in ["--cpus-per-task=1\n", "--mem=1G\n", "--time=01:00:00\n"] {
        assert!(array.contains(&format!("#SBATCH {line}")), "{array}");
    }
    assert!(!array.contains("#SBATCH --partition"), "{array}");
    assert!(merge.contains(" merge "), "{merge}");
    assert!(submit.contains("sbatch --parsable"), "{submit}");
    assert!(
        submit.contains("--dependency=afterok:$ARRAY_JOB_ID"),
        "{submit}"
    );
    // Checked before submitting; a failed shard cancels the merge; only
    // missing parts are submitted.
    let test_only = submit
        .find("sbatch --test-only")
        .expect("sbatch --test-only");
    assert!(
        test_only < submit.find("sbatch --parsable").unwrap(),
        "{submit}"
    );
    assert!(submit.contains("--kill-on-invalid-dep=yes"), "{submit}");
    assert!(submit.contains("part-$k-of-$n/manifest.json"), "{submit}");
    assert!(
        !out.join("points.csv").exists(),
        "--emit-slurm ran the sweep"
    );
    for f in ["sweep.sbatch", "merge.sbatch", "submit.sh"] {
        if let Ok(st) = std::process::Command::new("bash")
            .arg("-n")
            .arg(dir.join(f))
            .status()
        {
            assert!(st.success(), "{f} is not valid shell");
        }
    }
}
