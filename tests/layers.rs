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
        let lines = code_lines(&std::fs::read_to_string(&f).unwrap());
        out.push(Source { rel, layer, lines });
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

/// The module of a source file, as a path: `report/data` for
/// `src/report/data.rs`, `report/charts` for `src/report/charts/mod.rs`.
fn module_path(rel: &str) -> String {
    rel.trim_end_matches(".rs")
        .trim_end_matches("/mod")
        .to_string()
}

/// The modules `super::x` and `crate::a::b::c` paths in `line` name, as
/// module paths (the longest prefix that is a module).
fn referenced(line: &str, own: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        let path: String = s
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        path.split("::")
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut push = |base: Vec<String>, parts: Vec<String>| {
        let mut best = None;
        for n in 1..=parts.len() {
            let mut cand = base.clone();
            cand.extend(parts[..n].iter().cloned());
            let cand = cand.join("/");
            if modules.contains(&cand) {
                best = Some(cand);
            }
        }
        if let Some(b) = best {
            out.push(b);
        }
    };
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        push(Vec::new(), ident(after));
        rest = after;
    }
    let mut rest = line;
    while let Some(i) = rest.find("super::") {
        let after = &rest[i + "super::".len()..];
        // `super::x` from `a/b/c` names `a/b/x`.
        let mut base: Vec<String> = own.split('/').map(str::to_string).collect();
        base.pop();
        push(base, ident(after));
        rest = after;
    }
    out
}

#[test]
fn no_import_circles_between_modules() {
    let srcs = sources();
    let modules: BTreeSet<String> = srcs.iter().map(|s| module_path(&s.rel)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in &srcs {
        let own = module_path(&s.rel);
        let from = edges.entry(own.clone()).or_default();
        // A unit-test module (`mod tests`, last in a file) may use its
        // parent; only the code above it counts.
        for line in s.lines.iter().take_while(|l| !l.contains("#[cfg(test)]")) {
            for to in referenced(line, &own, &modules) {
                // A module's own ancestors only re-export their children.
                if to != own && !own.starts_with(&format!("{to}/")) {
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
    let modules: BTreeSet<String> = ["report", "report/data", "report/charts", "sim/engine"]
        .map(String::from)
        .into();
    assert_eq!(
        referenced("use super::data::{Quantiles};", "report/values", &modules),
        ["report/data"]
    );
    assert_eq!(
        referenced(
            "use super::super::x; crate::sim::engine::run(",
            "report/charts/bars",
            &modules
        ),
        ["sim/engine"]
    );
    assert_eq!(
        referenced("use super::data::Q;", "report/charts", &modules),
        ["report/data"]
    );
}
