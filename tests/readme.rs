//! Every shell example of README.md runs: each ```sh, ```bash and
//! ```console block is read in order, and each command in it is run with
//! the built binary in one temporary folder holding a copy of `scenarios/`,
//! so a later block sees what an earlier one wrote (the report example
//! reads the folders that the compare and tornado examples wrote). A
//! command that fails fails the test, with its README line.
//!
//! The rules, applied to each command (after joining `\` continuations and
//! dropping `#` comments); a command that matches none fails the test, so
//! no example is left out silently:
//!
//! - `fleksim ARGS` runs as written, with `fleksim` the binary under test
//!   (first on `PATH`), through `sh -c`.
//! - `cargo run --release -- ARGS` is the same binary: it runs as
//!   `fleksim ARGS`.
//! - Fewer replications, so the test takes seconds: `run`, `compare`,
//!   `tornado` and `sweep` get `--replications` [`REPLICATIONS`] (sweeps
//!   [`SWEEP_REPLICATIONS`] per point): a `--replications N` in the
//!   example is lowered to that, otherwise the flag is appended. Nothing
//!   else of an example is changed.
//! - `fleksim calibrate FILE` runs as written, on a smaller calibration:
//!   the scratch folder's copy of FILE gets `particles = 10`,
//!   `initial_points = 30`, `generations = 2` and
//!   `replications = { start = 1, max = 2 }` in place of its own
//!   ([`smaller_calibration`]).
//! - `parallel CMD ::: WORDS` (GNU parallel) runs CMD once per word, with
//!   `{}` replaced by it, one after the other.
//! - Skipped, each with its reason printed: `cargo test`/`cargo bench`/any
//!   other cargo command (the toolchain, not fleksim; `.ci/run` runs the
//!   tests), and `sh .../slurm/submit.sh` (needs Slurm's `sbatch`; the test
//!   checks that the script it names was written by the example before it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Replications per run, comparison and tornado.
const REPLICATIONS: u32 = 10;
/// Replications per sweep point.
const SWEEP_REPLICATIONS: u32 = 3;

/// A command of the README: its first line number and text (continuations
/// joined, comments dropped).
struct Example {
    line: usize,
    text: String,
}

/// Where the reader is in the README.
#[derive(Clone, Copy, PartialEq)]
enum Fence {
    Outside,
    /// In a shell block; `true` for ```console (commands start with `$ `).
    Shell(bool),
    /// In a block of another language.
    Other,
}

/// The commands of every shell block, in order.
fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut fence = Fence::Outside;
    let mut pending: Option<Example> = None;
    for (i, raw) in readme.lines().enumerate() {
        let n = i + 1;
        if let Some(info) = raw.trim_start().strip_prefix("```") {
            fence = match (fence, info.trim()) {
                (Fence::Outside, "sh" | "bash" | "shell") => Fence::Shell(false),
                (Fence::Outside, "console") => Fence::Shell(true),
                (Fence::Outside, _) => Fence::Other,
                _ => Fence::Outside,
            };
            continue;
        }
        let Fence::Shell(console) = fence else {
            continue;
        };
        let mut line = raw.to_string();
        if console && pending.is_none() {
            match line.trim_start().strip_prefix("$ ") {
                Some(cmd) => line = cmd.to_string(),
                None => continue, // the output of the command above
            }
        }
        let line = strip_comment(&line);
        let (body, more) = match line.trim_end().strip_suffix('\\') {
            Some(b) => (b.to_string(), true),
            None => (line.trim_end().to_string(), false),
        };
        let e = pending.get_or_insert(Example {
            line: n,
            text: String::new(),
        });
        if !e.text.is_empty() && !body.trim().is_empty() {
            e.text.push(' ');
        }
        e.text.push_str(body.trim());
        if !more {
            if let Some(e) = pending.take().filter(|e| !e.text.is_empty()) {
                out.push(e);
            }
        }
    }
    out
}

/// The line without a `#` comment (a `#` at the start or after a space,
/// outside quotes).
fn strip_comment(line: &str) -> String {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return line[..i].to_string(),
            None => {}
        }
        prev = c;
    }
    line.to_string()
}

/// What to do with one command.
enum Plan {
    /// Run these `fleksim ...` command lines through `sh -c`.
    Run(Vec<String>),
    /// Do not run, for this reason; `Some(path)` must exist.
    Skip(&'static str, Option<String>),
}

fn plan(text: &str) -> Plan {
    if let Some(rest) = text.strip_prefix("cargo run --release -- ") {
        return plan(&format!("fleksim {rest}"));
    }
    if text.starts_with("cargo ") {
        return Plan::Skip(
            "a cargo command runs the toolchain, not fleksim (.ci/run runs the tests)",
            None,
        );
    }
    if let Some(script) = text.strip_prefix("sh ") {
        if script.trim().ends_with("slurm/submit.sh") {
            return Plan::Skip(
                "submits to Slurm with sbatch; checked only that the script exists",
                Some(script.trim().to_string()),
            );
        }
    }
    if let Some(rest) = text.strip_prefix("parallel ") {
        let (cmd, words) = rest
            .split_once(":::")
            .unwrap_or_else(|| panic!("`{text}`: parallel without `:::`"));
        let words = Command::new("sh")
            .arg("-c")
            .arg(format!("echo {words}"))
            .output()
            .unwrap();
        let words = String::from_utf8(words.stdout).unwrap();
        let lines = words
            .split_whitespace()
            .map(|w| fewer(&cmd.trim().replace("{}", w)))
            .collect();
        return Plan::Run(lines);
    }
    if text.starts_with("fleksim ") {
        return Plan::Run(vec![fewer(text)]);
    }
    panic!("README command `{text}` matches no rule of tests/readme.rs: add one");
}

/// The command with fewer replications (see the module's rules).
fn fewer(cmd: &str) -> String {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let n = match words.get(1) {
        Some(&"run" | &"compare" | &"tornado") => REPLICATIONS,
        Some(&"sweep") => SWEEP_REPLICATIONS,
        _ => return cmd.to_string(),
    };
    if let Some(i) = words.iter().position(|w| *w == "--replications") {
        let given: u32 = words
            .get(i + 1)
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("`{cmd}`: --replications without a number"));
        let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        w[i + 1] = given.min(n).to_string();
        return w.join(" ");
    }
    format!("{cmd} --replications {n}")
}

/// Rewrites the scratch copy of the calibration file a `fleksim calibrate`
/// command names, so that the example takes seconds.
fn smaller_calibration(work: &Path, cmd: &str) {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    if words.get(1) != Some(&"calibrate") {
        return;
    }
    let file = work.join(words[2]);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("`{cmd}`: cannot read {}: {e}", file.display()));
    let small: Vec<String> = text
        .lines()
        .map(|l| {
            let key = l.split('=').next().unwrap_or("").trim();
            match key {
                "particles" => "particles = 10".to_string(),
                "initial_points" => "initial_points = 30".to_string(),
                "generations" => "generations = 2".to_string(),
                "replications" => "replications = { start = 1, max = 2 }".to_string(),
                _ => l.to_string(),
            }
        })
        .collect();
    std::fs::write(&file, small.join("\n")).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_shell_example_of_the_readme_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    copy_dir(&root.join("scenarios"), &work.join("scenarios"));
    let bin: PathBuf = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_fleksim"), bin.join("fleksim")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let list = examples(&readme);
    let (mut ran, mut skipped) = (0, 0);
    for e in &list {
        match plan(&e.text) {
            Plan::Skip(why, must_exist) => {
                eprintln!("README.md:{}: skipped `{}`: {why}", e.line, e.text);
                if let Some(p) = must_exist {
                    assert!(
                        work.join(&p).is_file(),
                        "README.md:{}: `{}` names {p}, which no earlier example wrote",
                        e.line,
                        e.text
                    );
                }
                skipped += 1;
            }
            Plan::Run(lines) => {
                for cmd in lines {
                    smaller_calibration(&work, &cmd);
                    let out = Command::new("sh")
                        .arg("-c")
                        .arg(&cmd)
                        .current_dir(&work)
                        .env("PATH", &path)
                        .env_remove("SLURM_ARRAY_TASK_ID")
                        .env_remove("SLURM_ARRAY_TASK_COUNT")
                        .env_remove("JOB_COMPLETION_INDEX")
                        .env_remove("FLEKSIM_SHARD_COUNT")
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "README.md:{}: `{}` failed (ran `{cmd}`, {}):\n{}",
                        e.line,
                        e.text,
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    );
                    eprintln!("README.md:{}: ran `{cmd}`", e.line);
                    ran += 1;
                }
            }
        }
    }
    eprintln!("{ran} commands run, {skipped} skipped");
    assert!(
        ran >= 10,
        "only {ran} README commands ran: is the parser broken?"
    );
}

#[test]
fn the_parser_finds_commands_and_continuations() {
    let md =
        "text\n```sh\nfleksim a \\\n    b   # note\n# only a comment\nfleksim c 'x # y'\n```\n\
              ```toml\nx = 1 # c\n```\n```console\n$ fleksim d\noutput\n```\n";
    let got: Vec<(usize, String)> = examples(md).into_iter().map(|e| (e.line, e.text)).collect();
    assert_eq!(
        got,
        vec![
            (3, "fleksim a b".to_string()),
            (6, "fleksim c 'x # y'".to_string()),
            (12, "fleksim d".to_string()),
        ]
    );
    assert_eq!(
        fewer("fleksim run s.toml --replications 200"),
        "fleksim run s.toml --replications 10"
    );
    assert_eq!(fewer("fleksim merge d"), "fleksim merge d");
    assert_eq!(
        fewer("fleksim sweep s.toml"),
        "fleksim sweep s.toml --replications 3"
    );
}
