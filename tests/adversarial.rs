//! Inputs found by adversarial testing of the command line (4 December
//! 2026) that panicked, hung, or let NaN through with exit 0, and the
//! neighbouring ones that gave a wrong or misleading answer: each is now
//! refused with exit 2, a message naming the key and what is allowed, in
//! time.

mod common;

use common::{fleksim, refused, succeeds, write_file};
use std::path::Path;
use std::time::Duration;

/// A plain scenario of one year (the tester's shared input).
const BASE: &str = r#"
name = "base"
start = "2016-09"
horizon_months = 12
replications = 5
seed = 1
[inflow]
visitations_per_month = 15.0
direct_per_month = 10.0
[initial]
ly = 334
flex = 1934
old_rules = 0
[ly]
find_job = [{ from = 0, p = 0.065 }]
exit = [{ from = 0, p = 0.013 }]
frailty_shape = 0.0
[flex]
dismissal = [{ from = 0, p = 0.0057 }]
exit = [{ from = 0, p = 0.009 }]
[staffing]
consultants = 13
elasticity = 0.0
"#;

fn cmd(dir: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut c = fleksim();
    c.current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(60));
    c
}

#[test]
fn keys_every_replication_shares_cannot_be_uncertain_or_fitted() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // A posterior column of the horizon, the replications, the seed, or
    // the months a cohort is followed (`start`, a month, cannot be a
    // number in the first place).
    let cohort = "[[cohorts]]\nname = \"c1\"\nstate = \"ly\"\nfrom = \"2016-10\"\n\
                  to = \"2016-12\"\nmonths = 6\n";
    for key in [
        "horizon_months",
        "replications",
        "seed",
        "cohorts[0].months",
    ] {
        write_file(dir.path(), "post.csv", &format!("weight,{key}\n1,6\n1,9\n"));
        write_file(
            dir.path(),
            "p.toml",
            &format!("{BASE}\n{cohort}\n[uncertainty.posterior]\nfile = \"post.csv\"\n"),
        );
        refused(
            cmd(dir.path(), &["validate", "p.toml"]),
            &[&format!("key `{key}`"), "cannot be uncertain"],
        );
    }
    // A calibration parameter: it panicked (an index past the shorter
    // horizon).
    write_file(
        dir.path(),
        "c.toml",
        r#"
name = "cal"
scenario = "base.toml"
seed = 1
particles = 4
initial_points = 8
generations = 2
replications = { start = 1, max = 2 }
quantile = 0.5
max_evaluations = 40
[parameters]
"horizon_months" = [6, 12]
[[targets]]
metric = "ly_stock"
month = "2017-01/2017-06"
value = 334
lower = 300
upper = 370
"#,
    );
    refused(
        cmd(
            dir.path(),
            &["calibrate", "c.toml", "--threads", "1", "--quiet"],
        ),
        &["parameters.horizon_months", "cannot be fitted"],
    );
    assert!(!dir.path().join("results").exists());
}

#[test]
fn distributions_too_narrow_to_compute_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // Each took minutes or never ended in the quantiles' search.
    for (set, needle) in [
        (
            r#"staffing.elasticity={dist="gamma",shape=1e16,scale=1e-16}"#,
            "allowed `shape` ≤ 1000000",
        ),
        (
            r#"ly.find_job[0].p={dist="beta",mean=0.999999999999,sd=1e-13}"#,
            "too concentrated to compute",
        ),
        (
            r#"staffing.elasticity={dist="beta",mean=0.5,sd=1e-150}"#,
            "allowed `sd` ≥ 3.536e-4",
        ),
    ] {
        let err = refused(
            cmd(dir.path(), &["validate", "base.toml", "--set", set]),
            &[needle],
        );
        assert!(err.len() < 600, "a short message: {err}");
    }
    // At the limit: computed, and at once.
    succeeds(cmd(
        dir.path(),
        &[
            "validate",
            "base.toml",
            "--set",
            r#"staffing.elasticity={dist="gamma",shape=1e6,scale=1e-6}"#,
        ],
    ));
}

#[test]
fn a_sweep_has_at_most_one_shard_a_point() {
    let dir = with_sweep(
        r#"["ly_share", "net_municipal_cost"]"#,
        r#""staffing.consultants" = { from = 13, to = 15, step = 1 }
"policy.jobclub.enabled" = [true, false]"#,
    );
    // `merge` then hung listing 2^64 missing parts.
    refused(
        cmd(
            dir.path(),
            &[
                "sweep",
                "s.toml",
                "--shard-index",
                "0",
                "--shard-count",
                "18446744073709551615",
                "--quiet",
                "--out",
                "sh",
            ],
        ),
        &["--shard-count 18446744073709551615 is more shards than the sweep has points (6): allowed 1 to 6"],
    );
    refused(
        cmd(
            dir.path(),
            &[
                "sweep",
                "s.toml",
                "--emit-slurm",
                "7",
                "--quiet",
                "--out",
                "sl",
            ],
        ),
        &["--emit-slurm 7", "allowed 1 to 6"],
    );
    assert!(!dir.path().join("sh").exists() && !dir.path().join("sl").exists());
    // Missing parts are named, the shards that hold points only.
    run_shards(dir.path(), "s.toml", &["0", "2"], "6", "m");
    refused(
        cmd(dir.path(), &["merge", "m"]),
        &[
            "4 of 6 points",
            "missing part-1-of-6, part-3-of-6, part-4-of-6, part-5-of-6",
        ],
    );
    // Many missing parts: ten named, and how many.
    let twelve = std::fs::read_to_string(dir.path().join("s.toml"))
        .unwrap()
        .replace("to = 15", "to = 18");
    write_file(dir.path(), "s12.toml", &twelve);
    run_shards(dir.path(), "s12.toml", &["0"], "12", "m12");
    refused(
        cmd(dir.path(), &["merge", "m12"]),
        &["11 of 12 points", "part-10-of-12, … (11 parts)"],
    );
}

#[test]
fn merge_takes_axis_values_that_are_lists() {
    // Quoted fields with commas in `points.csv`: a plain split miscounted
    // them as damage.
    let dir = with_sweep(
        r#"["ly_share"]"#,
        r#""ly.find_job" = [[{ from = 0, p = 0.06 }], [{ from = 0, p = 0.08 }]]"#,
    );
    run_shards(dir.path(), "s.toml", &["0", "1"], "2", "m");
    let points = std::fs::read_to_string(dir.path().join("m/part-0-of-2/points.csv")).unwrap();
    assert!(points.contains('"'), "a quoted axis value: {points}");
    succeeds(cmd(dir.path(), &["merge", "m"]));
    assert!(dir.path().join("m/results.csv").exists());
}

/// A small calibration of the base scenario (`c.toml`): the LY stock of
/// its first months, with these `[parameters]` lines.
fn calibration(parameters: &str, generations: u32) -> String {
    format!(
        "name = \"cal\"\nscenario = \"base.toml\"\nseed = 1\nparticles = 4\n\
         initial_points = 8\ngenerations = {generations}\n\
         replications = {{ start = 1, max = 1 }}\nquantile = 0.5\nmax_evaluations = 40\n\
         [parameters]\n{parameters}\n[[targets]]\nmetric = \"ly_stock\"\n\
         month = \"2017-01/2017-06\"\nvalue = 334\nlower = 300\nupper = 370\n"
    )
}

/// `calibrate c.toml` into `o`.
fn calibrate(dir: &Path) -> assert_cmd::Command {
    cmd(
        dir,
        &[
            "calibrate",
            "c.toml",
            "--threads",
            "1",
            "--quiet",
            "--out",
            "o",
        ],
    )
}

/// `run base.toml` with these flags.
fn run_base(dir: &Path, flags: &[&str]) -> assert_cmd::Command {
    let mut args = vec!["run", "base.toml"];
    args.extend(flags);
    cmd(dir, &args)
}

/// `validate base.toml` with these `--set`s, refused with every needle.
fn refused_validate(dir: &Path, sets: &[&str], needles: &[&str]) -> String {
    let mut args = vec!["validate", "base.toml"];
    for set in sets {
        args.extend(["--set", set]);
    }
    refused(cmd(dir, &args), needles)
}

/// A folder with the base scenario and a sweep file `s.toml` over it
/// (two replications a point) with these metrics and axes.
fn with_sweep(metrics: &str, axes: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    write_file(
        dir.path(),
        "s.toml",
        &format!(
            "name = \"sw\"\nscenario = \"base.toml\"\nreplications = 2\nseed = 1\n\
             metrics = {metrics}\n[axes]\n{axes}\n"
        ),
    );
    dir
}

/// Runs the shards `shards` of `count` of the sweep file `file` into `out`.
fn run_shards(dir: &Path, file: &str, shards: &[&str], count: &str, out: &str) {
    for k in shards {
        succeeds(cmd(
            dir,
            &[
                "sweep",
                file,
                "--shard-index",
                k,
                "--shard-count",
                count,
                "--threads",
                "1",
                "--quiet",
                "--out",
                out,
            ],
        ));
    }
}

/// `sha256sum`'s hex digest of `bytes`, as a part's manifest holds it.
fn sha256(bytes: &[u8]) -> String {
    fleksim::model::hash::sha256_hex(bytes)
}

#[test]
fn merge_refuses_a_part_with_numbers_a_sweep_never_writes() {
    let dir = with_sweep(
        r#"["ly_share", "net_municipal_cost"]"#,
        r#""staffing.consultants" = [13, 14]"#,
    );
    run_shards(dir.path(), "s.toml", &["0", "1"], "2", "m");
    let part = dir.path().join("m/part-0-of-2");
    let results = std::fs::read_to_string(part.join("results.csv")).unwrap();
    let manifest = std::fs::read_to_string(part.join("manifest.json")).unwrap();
    let good = sha256(results.as_bytes());
    assert!(
        manifest.contains(&good),
        "the manifest holds the file's hash"
    );
    // Each forged with a matching hash, as a hand edit would be.
    for (forged, needle) in [
        ("NaN", "`NaN` is not a value fleksim writes"),
        ("inf", "`inf` is not a value fleksim writes"),
        ("1e300", "`1e300` is not a value fleksim writes"),
        ("1,2", "8 fields where the header has 7 columns"),
    ] {
        let mut lines: Vec<String> = results.lines().map(str::to_string).collect();
        let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
        fields[3] = forged.to_string();
        lines[2] = fields.join(",");
        let text = lines.join("\n") + "\n";
        std::fs::write(part.join("results.csv"), &text).unwrap();
        std::fs::write(
            part.join("manifest.json"),
            manifest.replace(&good, &sha256(text.as_bytes())),
        )
        .unwrap();
        refused(
            cmd(dir.path(), &["merge", "m"]),
            &["part-0-of-2/results.csv` line 3", needle],
        );
        assert!(!dir.path().join("m/results.csv").exists(), "nothing merged");
    }
}

#[test]
fn money_and_months_that_gave_nan_or_a_wrong_answer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // A law year with no maximum benefit: NaN in the results, exit 1.
    refused(
        run_base(
            dir.path(),
            &[
                "--set",
                "money.law=[{year=2016,dp_max=0,subsidy_max=0,threshold=0}]",
                "--quiet",
                "--out",
                "rr",
            ],
        ),
        &["money.law[0].dp_max", "a number > 0"],
    );
    assert!(!dir.path().join("rr").exists());
    // A start that `validate` took and `run` refused, naming `kpis`.
    refused(
        cmd(
            dir.path(),
            &["validate", "base.toml", "--set", "start=9999-12"],
        ),
        &["key `start`", "allowed 1990-01 to 2200-12"],
    );
    // A cohort share never observed was reported as 0 % and "met".
    let cohort = |month: &str| {
        format!(
            "{}\n[[cohorts]]\nname = \"c1\"\nstate = \"ly\"\nfrom = \"{month}\"\nto = \"{month}\"\n\
             months = 12\n[[kpis]]\nname = \"k1\"\nlabel = \"in a job 12 months after\"\n\
             value = \"cohort:c1:flex\"\nat = \"12\"\ntarget = 0.13\ngoal = \"at_most\"\n",
            BASE.replace("horizon_months = 12", "horizon_months = 24")
        )
    };
    write_file(dir.path(), "k.toml", &cohort("2018-08"));
    refused(
        cmd(dir.path(), &["validate", "k.toml"]),
        &[
            "kpis[0].at",
            "`12` months after entry is not simulated",
            "allowed 0 to 0",
        ],
    );
    write_file(dir.path(), "k.toml", &cohort("2017-08"));
    succeeds(cmd(dir.path(), &["validate", "k.toml"]));
}

#[test]
fn results_a_report_would_call_damaged_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // 30 % a year for a hundred years: amounts past what a results file holds.
    refused_validate(
        dir.path(),
        &["money.indexation=0.3", "horizon_months=1200"],
        &["money.indexation", "allowed at most a hundredfold"],
    );
    succeeds(cmd(
        dir.path(),
        &["validate", "base.toml", "--set", "money.indexation=0.3"],
    ));
    // Law amounts indexed from the table to a start far from it.
    refused_validate(
        dir.path(),
        &["start=2200-01", "money.indexation=0.1"],
        &["money.indexation", "a hundredfold the table's latest year"],
    );
    // KPI targets a results file cannot hold, or no share can reach.
    let kpi = |target: &str, unit: &str| {
        format!(
            "{BASE}\n[[kpis]]\nname = \"k\"\nlabel = \"LY share\"\nvalue = \"ly_share\"\n\
             at = \"2017-06\"\ntarget = {target}\ngoal = \"at_most\"\nunit = \"{unit}\"\n"
        )
    };
    for (value, target, unit, needle) in [
        ("ly_share", "-1", "share", "`ly_share` is a share, 0 to 1"),
        ("ly_share", "1.5", "share", "`ly_share` is a share, 0 to 1"),
        ("flex_stock/ly_stock", "-1", "share", "0 or more"),
        ("ly_stock", "1e300", "people", "at most 1e15 in size"),
    ] {
        let text = kpi(target, unit).replace("\"ly_share\"", &format!("\"{value}\""));
        write_file(dir.path(), "k.toml", &text);
        refused(
            cmd(dir.path(), &["validate", "k.toml"]),
            &["kpis[0].target", needle],
        );
    }
    // A ratio of sums may exceed 1.
    let ratio = kpi("2.5", "share").replace("\"ly_share\"", "\"flex_stock/ly_stock\"");
    write_file(dir.path(), "k.toml", &ratio);
    succeeds(cmd(dir.path(), &["validate", "k.toml"]));
    write_file(dir.path(), "k.toml", &kpi("0.13", "share"));
    succeeds(cmd(dir.path(), &["validate", "k.toml"]));
}

#[test]
fn a_calibration_prior_beyond_its_keys_range_is_refused_not_rounded() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    let cal = |prior: &str| calibration(prior, 1);
    // A probability from 1.2 to 1.5 was taken for a whole number (1).
    for prior in [
        r#""ly.find_job[0].p" = [1.2, 1.5]"#,
        r#""ly.find_job[0].p" = [0.5, 1.5]"#,
    ] {
        write_file(dir.path(), "c.toml", &cal(prior));
        refused(
            calibrate(dir.path()),
            &[
                "parameters.\"ly.find_job[0].p\"",
                "which the scenario refuses",
            ],
        );
        assert!(!dir.path().join("o").exists());
    }
    // A whole-number key stays one (people).
    write_file(dir.path(), "c.toml", &cal(r#""initial.ly" = [300, 360]"#));
    succeeds(calibrate(dir.path()));
    let posterior = std::fs::read_to_string(dir.path().join("o/posterior.csv")).unwrap();
    for row in posterior.lines().skip(1) {
        let v: f64 = row.rsplit(',').next().unwrap().parse().unwrap();
        assert_eq!(v.fract(), 0.0, "people are whole: {row}");
    }
}

#[cfg(unix)]
#[test]
fn an_out_path_that_is_not_utf8_is_refused_not_renamed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    let mut c = run_base(dir.path(), &["--quiet", "--out"]);
    c.arg(OsStr::from_bytes(b"out\xffdir"));
    refused(c, &["UTF-8"]);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only base.toml"
    );
}

#[test]
fn an_edited_checkpoint_is_not_resumed() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    let cal = |generations| calibration(r#""ly.find_job[0].p" = [0.03, 0.1]"#, generations);
    write_file(dir.path(), "c.toml", &cal(1));
    let run = || calibrate(dir.path());
    succeeds(run());
    let checkpoint = dir.path().join("o/checkpoint.json");
    let text = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(text.contains("\"weight\":"), "{text}");
    // Every weight NaN (its bits), as the tester wrote it: this ended in
    // "bug: a result is NaN" (exit 1).
    let nan = f64::NAN.to_bits().to_string();
    let mut edited = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("\"weight\":") {
        let start = i + "\"weight\":".len();
        edited.push_str(&rest[..start]);
        let digits = rest[start..].bytes().take_while(u8::is_ascii_digit).count();
        edited.push_str(&nan);
        rest = &rest[start + digits..];
    }
    edited.push_str(rest);
    assert_ne!(edited, text);
    std::fs::write(&checkpoint, edited).unwrap();
    write_file(dir.path(), "c.toml", &cal(2));
    succeeds(run());
    let posterior = std::fs::read_to_string(dir.path().join("o/posterior.csv")).unwrap();
    assert!(!posterior.contains("NaN"), "{posterior}");
}

#[test]
fn report_refuses_a_results_file_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    succeeds(run_base(
        dir.path(),
        &["--quiet", "--threads", "1", "--out", "r"],
    ));
    let monthly = dir.path().join("r/monthly.csv");
    let bytes = std::fs::read(&monthly).unwrap();
    // Cut inside the last value of a line, as the tester did: the rows
    // still parse, and the page showed two months and a wrong last value.
    let long_number_ends = |n: usize| {
        bytes[n] == b'\n'
            && bytes[n - 5..n]
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b'.')
    };
    let cut = (bytes.len() / 4..bytes.len())
        .find(|&n| long_number_ends(n))
        .expect("a line ending in a number of five characters or more")
        - 2;
    std::fs::write(&monthly, &bytes[..cut]).unwrap();
    refused(
        cmd(dir.path(), &["report", "r", "--out", "page.html"]),
        &["monthly.csv` ends in the middle of a line: the file was cut short"],
    );
    assert!(!dir.path().join("page.html").exists());
}

#[test]
fn whole_number_keys_take_distributions_with_their_draws_rounded() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // Refused as "invalid type: floating point `300.0`", against the docs.
    succeeds(run_base(
        dir.path(),
        &[
            "--set",
            r#"initial.ly={dist="uniform",min=5,max=10}"#,
            "--replications",
            "6",
            "--per-replication",
            "--quiet",
            "--out",
            "r",
        ],
    ));
    let drawn = std::fs::read_to_string(dir.path().join("r/parameters.csv")).unwrap();
    let values: Vec<f64> = drawn
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(values.len(), 6, "{drawn}");
    assert!(
        values
            .iter()
            .all(|v| v.fract() == 0.0 && (5.0..=10.0).contains(v)),
        "{drawn}"
    );
    refused_validate(
        dir.path(),
        &[r#"replications={dist="uniform",min=5,max=10}"#],
        &["key `replications`", "cannot be uncertain"],
    );
}

#[test]
fn a_key_has_one_spelling_in_calibrations_posteriors_and_sweeps() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // A stray space ran the whole calibration, then failed with exit 1;
    // `[00]` fitted one key twice.
    for (key, needle) in [
        (" ly.find_job[0].p", "is not a dotted key path"),
        ("ly.find_job[00].p", "write the key as `ly.find_job[0].p`"),
    ] {
        write_file(
            dir.path(),
            "c.toml",
            &calibration(&format!("\"{key}\" = [0.02, 0.15]"), 1),
        );
        refused(calibrate(dir.path()), &["c.toml", needle]);
        assert!(!dir.path().join("o").exists());
    }
    write_file(
        dir.path(),
        "post.csv",
        "weight,ly.find_job[00].p\n1,0.05\n1,0.09\n",
    );
    write_file(
        dir.path(),
        "p.toml",
        &format!("{BASE}\n[uncertainty.posterior]\nfile = \"post.csv\"\n"),
    );
    refused(
        cmd(dir.path(), &["validate", "p.toml"]),
        &["column 2: write the key as `ly.find_job[0].p`"],
    );
    let dir = with_sweep(r#"["ly_share"]"#, r#""ly.find_job[00].p" = [0.05, 0.07]"#);
    refused(
        cmd(dir.path(), &["sweep", "s.toml", "--quiet", "--out", "o"]),
        &["axes.ly.find_job[00].p", "write the key as"],
    );
}

#[test]
fn inputs_that_silently_did_nothing_or_misled_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "base.toml", BASE);
    // A step from spell month 300: the tables end at 255, so it never applied.
    refused_validate(
        dir.path(),
        &["ly.exit=[{from=0,p=0.01},{from=300,p=0.5}]"],
        &["ly.exit[1].from", "allowed 0 to 255 months"],
    );
    // An exit to the scheme's own state was told to declare it as an exit.
    let to_ly = BASE.replace(
        "frailty_shape = 0.0",
        "frailty_shape = 0.0\nexit_to = [{ from = 0, shares = { ly = 1.0 } }]",
    );
    write_file(dir.path(), "e.toml", &to_ly);
    refused(
        cmd(dir.path(), &["validate", "e.toml"]),
        &[
            "ly.exit_to[0].shares.ly",
            "is a state of the scheme, not an exit",
        ],
    );
    // `gone` as a programme sent people back into the scheme.
    write_file(
        dir.path(),
        "g.toml",
        &format!(
            "{BASE}\n[states.gone]\nkind = \"programme\"\nmonthly_cost = 5.0\n\
             course = [{{ from = 1, to = 1, share = 1.0 }}]\nend_to = {{ ly = 1.0 }}\n"
        ),
    );
    refused(
        cmd(dir.path(), &["validate", "g.toml"]),
        &["states.gone.kind", "must be `exit`"],
    );
    // A budget year of four months was printed as a budget year.
    let compare = |year: &str| {
        cmd(
            dir.path(),
            &[
                "compare",
                "base.toml",
                "base.toml",
                "--set",
                "horizon_months=52",
                "--replications",
                "2",
                "--budget-year",
                year,
                "--quiet",
                "--out",
                &format!("c{year}"),
            ],
        )
    };
    refused(
        compare("2016"),
        &[
            "--budget-year 2016",
            "simulated whole",
            "whole years 2017 to 2020",
        ],
    );
    succeeds(compare("2017"));
    // An observed figure of 1e308 flattened the chart; a spreadsheet's
    // byte-order mark hid a correct header.
    succeeds(run_base(
        dir.path(),
        &["--replications", "3", "--quiet", "--out", "r"],
    ));
    write_file(
        dir.path(),
        "obs.csv",
        "month,metric,value\n2017-01,ly_stock,1e308\n",
    );
    refused(
        cmd(
            dir.path(),
            &["report", "r", "--observed", "obs.csv", "--out", "p.html"],
        ),
        &["obs.csv` line 2", "at most 1e15 in size"],
    );
    write_file(
        dir.path(),
        "obs.csv",
        "\u{feff}month,metric,value\n2017-01,ly_stock,330\n",
    );
    succeeds(cmd(
        dir.path(),
        &["report", "r", "--observed", "obs.csv", "--out", "p.html"],
    ));
}

#[test]
fn compare_refuses_a_kpi_cohort_defined_differently_in_an_alternative() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = |state: &str| {
        format!(
            "{BASE}\n[[cohorts]]\nname = \"c\"\nstate = \"{state}\"\nfrom = \"2016-10\"\n\
             to = \"2016-12\"\nmonths = 3\n"
        )
    };
    write_file(
        dir.path(),
        "b.toml",
        &format!(
            "{}[[kpis]]\nname = \"k\"\nlabel = \"in a job\"\nvalue = \"cohort:c:flex\"\n\
             at = \"3\"\ntarget = 0.1\ngoal = \"at_least\"\n",
            cohort("ly")
        ),
    );
    write_file(dir.path(), "a.toml", &cohort("flex"));
    refused(
        cmd(
            dir.path(),
            &[
                "compare",
                "b.toml",
                "a.toml",
                "--replications",
                "2",
                "--quiet",
            ],
        ),
        &["declares the cohort `c` differently", "KPI `k`"],
    );
}

#[test]
fn overlapping_sweep_keys_duplicate_targets_and_a_slurm_count_are_named() {
    // An axis inside another was accepted and silently overrode part of it.
    let dir = with_sweep(
        r#"["ly_share"]"#,
        "\"ly.find_job\" = [[{ from = 0, p = 0.06 }], [{ from = 0, p = 0.08 }]]\n\
         \"ly.find_job[0].p\" = [0.05, 0.07]",
    );
    refused(
        cmd(dir.path(), &["sweep", "s.toml", "--quiet", "--out", "o"]),
        &["`ly.find_job` and `ly.find_job[0].p` overlap"],
    );
    // The shard count from a Slurm array's environment is named as such.
    let mut c = cmd(
        dir.path(),
        &[
            "sweep",
            "s.toml",
            "--shard-index",
            "0",
            "--quiet",
            "--out",
            "o",
        ],
    );
    c.env("SLURM_ARRAY_TASK_COUNT", "9");
    write_file(
        dir.path(),
        "s.toml",
        "name = \"sw\"\nscenario = \"base.toml\"\nreplications = 2\nseed = 1\n\
         metrics = [\"ly_share\"]\n[axes]\n\"ly.find_job[0].p\" = [0.05, 0.07]\n",
    );
    refused(
        c,
        &["the shard count (SLURM_ARRAY_TASK_COUNT) 9 is more shards"],
    );
    // The same target twice gave two rows of one name in fit.csv.
    let twice = calibration(r#""ly.find_job[0].p" = [0.02, 0.15]"#, 1)
        + "[[targets]]\nmetric = \"ly_stock\"\nmonth = \"2017-01/2017-06\"\nvalue = 334\n\
           lower = 300\nupper = 370\n";
    write_file(dir.path(), "c.toml", &twice);
    refused(
        calibrate(dir.path()),
        &["the target `ly_stock@2017-01/2017-06` is given twice"],
    );
}
