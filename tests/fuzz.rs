//! A seeded fuzz test of the command line (issue 9). A few hundred random
//! mutations of the shipped scenarios and sweep files (deleted keys, wrong
//! types, extreme and non-finite numbers, empty lists, unsorted steps, long
//! strings, binary garbage, truncation) each go through `fleksim validate`
//! and a 2-replication `fleksim run` (sweep files through a tiny `fleksim
//! sweep`), under a memory limit and a timeout. Every one must end in time
//! with exit code 0 or 2 and no panic, and a run that succeeds must have
//! written only finite numbers.
//!
//! The seed is fixed, so a failure reproduces; the failing case prints the
//! seed, its number and the mutated file. `FLEKSIM_FUZZ_SEED` and
//! `FLEKSIM_FUZZ_CASES` change the seed and the number of cases.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

const SEED: u64 = 0x5EED_F1E5_2026_0009;
const CASES: u64 = 400;
/// Each process: at most this long, and at most this much address space.
const TIMEOUT: Duration = Duration::from_secs(30);
const MEMORY_KB: u64 = 2_000_000;

/// SplitMix64: a tiny portable generator, so the cases never change with a
/// dependency's version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values that replace a key's value: wrong types, extreme and non-finite
/// numbers, empty lists, unsorted steps, long strings, distributions.
fn replacement(rng: &mut Rng) -> String {
    let fixed = [
        "\"x\"",
        "true",
        "[]",
        "{}",
        "[[]]",
        "1e308",
        "-1e308",
        "1e20",
        "-1",
        "0",
        "0.0",
        "1",
        "1e-300",
        "nan",
        "inf",
        "-inf",
        "9223372036854775807",
        "-9223372036854775808",
        "4294967296",
        "255",
        "1200",
        "\"2016-13\"",
        "\"9999-01\"",
        "1979-05-27",
        "[{ from = 12, p = 0.1 }, { from = 0, p = 0.2 }]",
        "[{ from = 0, p = 1e308 }]",
        "[{ from = 0, to = 4294967295, share = 1.0 }]",
        "{ dist = \"normal\", mean = 1e9, sd = 1e9 }",
        "{ dist = \"lognormal\", median = 1.0, p95 = 1e300 }",
        "{ dist = \"gamma\", shape = 1e-300, scale = 1e300 }",
        "{ dist = \"uniform\", min = 0, max = 0 }",
        "{ dist = \"beta\", mean = 0.5, sd = 0.1 }",
        "{ from = 0, to = 1, step = 1e-300 }",
        "{ from = 0, to = 1e9 }",
    ];
    match rng.below(4) {
        0 => format!("\"{}\"", "ab/.\\".repeat(60 + rng.below(200))),
        1 => format!("{}", rng.next() as i64),
        _ => rng.pick(&fixed).to_string(),
    }
}

/// One random mutation of a file's bytes.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let keyed: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let l = lines[i].trim_start();
            !l.starts_with('#') && l.contains('=')
        })
        .collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match rng.below(16) {
        // Scale a number: mild changes keep many files valid, so runs and
        // sweeps get exercised too, not only the parser.
        10..=15 if !keyed.is_empty() => {
            let i = *rng.pick(&keyed);
            let (key, value) = out[i].split_once('=').unwrap_or(("", ""));
            let mut factor: f64 = *rng.pick(&[0.0, 0.5, 2.0, 10.0, 1000.0, -1.0]);
            if key.contains("replications") || key.contains("points") {
                // Work, not robustness: a valid sweep of 2,000 replications
                // a point is slow, not wrong.
                factor = factor.min(10.0);
            }
            let scaled = match value.trim().parse::<f64>() {
                Ok(v) if value.contains('.') || value.contains('e') => format!("{:?}", v * factor),
                Ok(v) => format!("{}", (v * factor) as i64),
                Err(_) => value.trim().to_string(),
            };
            out[i] = format!("{key}= {scaled}");
        }
        // Delete a key.
        0 | 1 if !keyed.is_empty() => {
            out.remove(*rng.pick(&keyed));
        }
        // Replace a value.
        2..=5 if !keyed.is_empty() => {
            let i = *rng.pick(&keyed);
            let key = out[i].split('=').next().unwrap_or("").to_string();
            out[i] = format!("{key}= {}", replacement(rng));
        }
        // Empty a list or a table line.
        6 if !keyed.is_empty() => {
            let i = *rng.pick(&keyed);
            let key = out[i].split('=').next().unwrap_or("").to_string();
            out[i] = format!("{key}= {}", if rng.below(2) == 0 { "[]" } else { "{}" });
        }
        // Binary garbage somewhere.
        7 => {
            let at = rng.below(bytes.len() + 1);
            let garbage: Vec<u8> = (0..1 + rng.below(40)).map(|_| rng.next() as u8).collect();
            bytes.splice(at..at, garbage);
            return;
        }
        // Truncate.
        8 => {
            bytes.truncate(rng.below(bytes.len() + 1));
            return;
        }
        // Duplicate a line (a key given twice).
        _ if !lines.is_empty() => {
            let i = rng.below(out.len());
            let l = out[i].clone();
            out.insert(i, l);
        }
        _ => {}
    }
    *bytes = (out.join("\n") + "\n").into_bytes();
}

/// Runs fleksim in `dir` under the memory limit and the timeout.
fn fleksim(dir: &Path, args: &[&str]) -> Result<Output, String> {
    let script = format!("ulimit -v {MEMORY_KB}; exec \"$0\" \"$@\"");
    let clock = Instant::now();
    let out = assert_cmd::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_fleksim"))
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .map_err(|e| format!("{args:?}: {e}"))?;
    if clock.elapsed() >= TIMEOUT {
        return Err(format!("{args:?} did not end within {TIMEOUT:?}"));
    }
    Ok(out)
}

/// Exit 0 or 2, no panic; returns whether it succeeded.
fn check(out: &Output, args: &[&str]) -> Result<bool, String> {
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("panicked") {
        return Err(format!("{args:?} panicked:\n{err}"));
    }
    match out.status.code() {
        Some(0) => Ok(true),
        Some(2) => Ok(false),
        other => Err(format!("{args:?} exited with {other:?}:\n{err}")),
    }
}

/// Every CSV field under `dir` that is a number must be finite.
fn finite_csvs(dir: &Path) -> Result<(), String> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| e.to_string())?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "csv") {
                continue;
            }
            let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
            for (n, line) in text.lines().enumerate() {
                for field in line.split(',') {
                    let f = field.trim().to_ascii_lowercase();
                    let bad = matches!(
                        f.as_str(),
                        "nan" | "inf" | "-inf" | "+inf" | "infinity" | "-infinity"
                    ) || f.parse::<f64>().is_ok_and(|v| !v.is_finite());
                    if bad {
                        return Err(format!(
                            "{} line {}: non-finite `{field}` in `{line}`",
                            p.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// One case: a mutated file through the commands it belongs to. Returns
/// whether the last command succeeded (so that the test can tell it
/// exercised runs, not only refusals).
fn case(dir: &Path, k: u64, sweep: bool, bytes: &[u8]) -> Result<bool, String> {
    let name = format!("fuzz-{k}.toml");
    std::fs::write(dir.join(&name), bytes).map_err(|e| e.to_string())?;
    let out_dir = format!("out-{k}");
    if sweep {
        let args = [
            "sweep",
            &name,
            "--out",
            &out_dir,
            "--threads",
            "1",
            "--quiet",
        ];
        let ok = check(&fleksim(dir, &args)?, &args)?;
        if ok {
            finite_csvs(&dir.join(&out_dir))?;
        }
        return Ok(ok);
    }
    let args = ["validate", name.as_str()];
    if !check(&fleksim(dir, &args)?, &args)? {
        return Ok(false);
    }
    let args = [
        "run",
        &name,
        "--replications",
        "2",
        "--set",
        "horizon_months=3",
        "--threads",
        "2",
        "--out",
        &out_dir,
        "--quiet",
    ];
    let ok = check(&fleksim(dir, &args)?, &args)?;
    if ok {
        finite_csvs(&dir.join(&out_dir))?;
    }
    Ok(ok)
}

#[test]
fn mutated_scenarios_and_sweeps_never_panic_hang_or_write_non_finite_numbers() {
    let seed = std::env::var("FLEKSIM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let cases = std::env::var("FLEKSIM_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut scenarios = Vec::new();
    let mut sweeps = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read_to_string(&p).unwrap();
        let file = p.file_name().unwrap().to_owned();
        // The base scenarios stay as shipped beside the mutants, for the
        // sweeps and `baseline` keys that name them.
        std::fs::write(dir.join(&file), &text).unwrap();
        if text.contains("\nscenario = ") {
            // A tiny sweep: 2 replications, 3 months, a few points.
            let tiny = text
                .replace("replications = 100", "replications = 2")
                .replace("replications = 50", "replications = 2")
                .replace("points = 200", "points = 3")
                .replace("\n[", "\nset = { horizon_months = 3 }\n\n[");
            let tiny = match tiny.find("set = { horizon_months = 3 }") {
                // Only the first table gets it.
                Some(i) => {
                    let (a, b) = tiny.split_at(i + 1);
                    format!("{a}{}", b.replace("set = { horizon_months = 3 }\n", ""))
                }
                None => tiny,
            };
            sweeps.push((p, tiny.into_bytes()));
        } else {
            scenarios.push((p, text.into_bytes()));
        }
    }
    assert!(scenarios.len() >= 4 && !sweeps.is_empty());
    let clock = Instant::now();
    // [scenario, sweep] × [refused, succeeded]
    let mut outcomes = [[0u64; 2]; 2];
    for k in 0..cases {
        let mut rng = Rng(seed ^ k.wrapping_mul(0xA24B_AED4_963E_E407));
        // One case in four is a sweep file.
        let sweep = k % 4 == 3;
        let (path, base) = if sweep {
            rng.pick(&sweeps)
        } else {
            rng.pick(&scenarios)
        };
        let mut bytes = base.clone();
        for _ in 0..1 + rng.below(2) {
            mutate(&mut rng, &mut bytes);
        }
        let result = case(dir, k, sweep, &bytes);
        if let Err(why) = result.clone() {
            panic!(
                "fuzz case {k} (seed {seed:#x}, FLEKSIM_FUZZ_SEED={seed}) from {}: {why}\n\
                 --- mutated file ---\n{}\n--- end ---",
                path.display(),
                String::from_utf8_lossy(&bytes)
            );
        }
        outcomes[sweep as usize][(result == Ok(true)) as usize] += 1;
        let _ = std::fs::remove_dir_all(dir.join(format!("out-{k}")));
    }
    let [[s_no, s_ok], [w_no, w_ok]] = outcomes;
    eprintln!(
        "{cases} fuzz cases in {:.1} s, seed {seed:#x}: scenarios {s_ok} ran, {s_no} refused; \
         sweeps {w_ok} ran, {w_no} refused",
        clock.elapsed().as_secs_f64()
    );
    // The mutations are mild enough that many files still run: the test
    // exercises runs and sweeps, not only the parser.
    if cases >= 100 {
        assert!(
            s_ok * 5 >= s_ok + s_no,
            "too few scenario runs: {s_ok} of {}",
            s_ok + s_no
        );
        assert!(
            w_ok * 10 >= w_ok + w_no,
            "too few sweeps: {w_ok} of {}",
            w_ok + w_no
        );
    }
}
