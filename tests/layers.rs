//! The library's layers, checked from the source: every `crate::` path
//! names a layer folder, arrows point only down (or within a layer), no two
//! modules import each other in a circle, and only `cli` prints.
//! ARCHITECTURE.md describes the layers; this test keeps it true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may use its own layer and those
/// below it.
const LAYERS: &[&str] = &[
    "model", "sim", "input", "stats", "output", "analysis", "report", "cli",
];

fn layer_of(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == name)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's code lines, comments dropped.
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string is rare in this code base; a string
            // holding `crate::` is rarer still.
            Some(i) if !l[..i].contains('"') => l[..i].to_string(),
            _ => l.to_string(),
        })
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// `(layer, module)` of each `crate::layer::module` path in `line`.
fn crate_paths(line: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                .collect()
        };
        let first = ident(after);
        let module = after[first.len()..]
            .strip_prefix("::")
            .map(ident)
            .filter(|m| !m.is_empty() && !m.starts_with('{'));
        out.push((first, module));
        rest = after;
    }
    out
}

struct Source {
    rel: String,
    layer: usize,
    module: String,
    lines: Vec<String>,
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let layer = layer_of(parts[0]).unwrap_or_else(|| {
            panic!("src/{rel} is not in a layer folder ({})", LAYERS.join(", "))
        });
        let module = match parts.get(1) {
            Some(m) => format!("{}::{}", parts[0], m.trim_end_matches(".rs")),
            None => parts[0].trim_end_matches(".rs").to_string(),
        };
        let module = module.trim_end_matches("::mod").to_string();
        let lines = code_lines(&std::fs::read_to_string(&f).unwrap());
        out.push(Source {
            rel,
            layer,
            module,
            lines,
        });
    }
    out
}

#[test]
fn crate_paths_name_a_layer_and_point_down() {
    let mut wrong = Vec::new();
    for s in sources() {
        for line in &s.lines {
            for (first, _) in crate_paths(line) {
                match layer_of(&first) {
                    None => wrong.push(format!(
                        "src/{}: `crate::{first}` is not a layer path: {}",
                        s.rel,
                        line.trim()
                    )),
                    Some(l) if l > s.layer => wrong.push(format!(
                        "src/{} ({}) uses the higher layer `{first}`: {}",
                        s.rel,
                        LAYERS[s.layer],
                        line.trim()
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_import_circles_between_modules() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources() {
        let from = edges.entry(s.module.clone()).or_default();
        for line in &s.lines {
            for (first, module) in crate_paths(line) {
                let to = match module {
                    Some(m) if layer_of(&first).is_some() => format!("{first}::{m}"),
                    _ => first,
                };
                // A layer's root module only re-exports its children.
                if to != s.module && to.contains("::") {
                    from.insert(to);
                }
            }
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut cycle = path[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, &edges, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", c.join(" → "));
        }
    }
}

#[test]
fn only_cli_prints() {
    let mut wrong = Vec::new();
    for s in sources() {
        if LAYERS[s.layer] == "cli" {
            continue;
        }
        for line in &s.lines {
            for mac in ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("] {
                if line.contains(mac) {
                    wrong.push(format!("src/{}: {}", s.rel, line.trim()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "printing outside cli:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_paths() {
    assert_eq!(
        crate_paths("use crate::sim::engine::{self, X};"),
        [("sim".to_string(), Some("engine".to_string()))]
    );
    assert_eq!(
        crate_paths("crate::model::month::Month"),
        [("model".to_string(), Some("month".to_string()))]
    );
    assert_eq!(crate_paths("x").len(), 0);
}
