//! Every command's `--help` (and `fleksim --help`) documents every flag and
//! argument, and ends with one or two examples that call that command.

mod common;

use common::*;

const COMMANDS: &[&str] = &[
    "", "run", "validate", "compare", "tornado", "sweep", "merge", "report",
];

fn help(command: &str) -> String {
    let mut c = fleksim();
    if !command.is_empty() {
        c.arg(command);
    }
    let out = c.arg("--help").output().unwrap();
    assert!(out.status.success(), "`fleksim {command} --help` failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The entries of the `Arguments:` and `Options:` sections: (the flag or
/// argument as written, its description). Clap writes a description on the
/// same line after two or more spaces, or indented on the lines below.
fn entries(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_list = false;
    for line in text.lines() {
        if line == "Arguments:" || line == "Options:" {
            in_list = true;
            continue;
        }
        if !line.starts_with(' ') && !line.is_empty() {
            in_list = false;
            continue;
        }
        if !in_list || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if indent == 2 && (body.starts_with('-') || body.starts_with('<') || body.starts_with('['))
        {
            let (name, desc) = match body.split_once("  ") {
                Some((n, d)) => (n.trim().to_string(), d.trim().to_string()),
                None => (body.to_string(), String::new()),
            };
            out.push((name, desc));
        } else if let Some(last) = out.last_mut() {
            last.1.push(' ');
            last.1.push_str(body);
        }
    }
    out
}

#[test]
fn every_flag_has_a_description() {
    for c in COMMANDS {
        let text = help(c);
        let list = entries(&text);
        assert!(
            !list.is_empty(),
            "`fleksim {c} --help` lists no options:\n{text}"
        );
        for (name, desc) in &list {
            assert!(
                desc.trim().len() >= 10,
                "`fleksim {c} --help`: `{name}` has no description:\n{text}"
            );
        }
    }
}

#[test]
fn every_flag_of_the_tornado_and_the_sweep_is_listed() {
    let tornado = help("tornado");
    for flag in [
        "--seed",
        "--threads",
        "--set",
        "--quiet",
        "--replications",
        "--metric",
    ] {
        assert!(tornado.contains(flag), "tornado --help lacks {flag}");
    }
    let sweep = help("sweep");
    for flag in ["--replications", "--set", "--shard-index", "--emit-slurm"] {
        assert!(sweep.contains(flag), "sweep --help lacks {flag}");
    }
}

#[test]
fn every_help_ends_with_one_or_two_examples() {
    for c in COMMANDS {
        let text = help(c);
        let (_, tail) = text
            .rsplit_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("`fleksim {c} --help` has no Examples:\n{text}"));
        let lines: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
        let starts: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with("  fleksim "))
            .collect();
        assert!(
            (1..=2).contains(&starts.len()),
            "`fleksim {c} --help` ends with {} examples, not one or two:\n{tail}",
            starts.len()
        );
        for l in &lines {
            assert!(
                l.starts_with("  fleksim ") || l.starts_with("      "),
                "`fleksim {c} --help`: `{l}` after Examples: is neither an example nor its \
                 continuation"
            );
        }
        if !c.is_empty() {
            for s in starts {
                assert!(
                    s.starts_with(&format!("  fleksim {c} ")),
                    "`fleksim {c} --help`: the example `{s}` is of another command"
                );
            }
        }
    }
}
