//! Reading a scenario: TOML text → `--set` overrides → typed [`Scenario`]
//! with every default filled in → validation.
//!
//! `--set KEY=VALUE` works on the resolved scenario (defaults filled in), so
//! any key a scenario can have may be set, whether the file names it or not.
//! The value is TOML (`15`, `true`, `[1, 3]`, `[{from=0,p=0.07}]`); a value
//! that is not TOML is taken as a string, so `--set start=2017-01` works.

use crate::model::error::{code_list, Problem, ScenarioError, SerializeError};
use crate::model::scenario::Scenario;
use toml::{Table, Value};

/// The scenario as a TOML table, every default filled in.
pub fn to_table(s: &Scenario) -> Result<Table, SerializeError> {
    let err = |message: String| SerializeError {
        scenario: s.name.clone(),
        format: "TOML",
        message,
    };
    match Value::try_from(s) {
        Ok(Value::Table(t)) => Ok(t),
        Ok(_) => Err(err("the scenario is not a table".into())),
        Err(e) => Err(err(e.to_string())),
    }
}

/// Deserializes a table with the dotted path of the first bad key.
pub fn from_table(table: Table, file: &str) -> Result<Scenario, ScenarioError> {
    let value = Value::Table(table);
    match serde_path_to_error::deserialize::<_, Scenario>(value) {
        Ok(mut s) => {
            s.resolve();
            Ok(s)
        }
        Err(e) => {
            let path = e.path().to_string();
            // toml appends "in `key`" lines of its own; the path says it.
            let message = e.inner().to_string();
            let message = message
                .lines()
                .filter(|l| !l.trim_start().starts_with("in `"))
                .collect::<Vec<_>>()
                .join(" ");
            Err(ScenarioError::Key {
                file: file.to_string(),
                problem: describe(&path, &message),
            })
        }
    }
}

/// Turns a serde message into one that says what is allowed, with the
/// nearest valid key for an unknown one.
fn describe(path: &str, message: &str) -> Problem {
    let key = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        // "…`, expected one of `a`, `b`" or "…`, expected `a` or `b`".
        let list = rest.split_once("expected").map_or("", |(_, l)| l);
        let expected: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
        let nearest = expected
            .iter()
            .map(|c| (strsim::jaro_winkler(name, c), *c))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let full = join(&parent(&key, name), name);
        let hint = match nearest {
            Some((score, c)) if score > 0.7 => format!(" Did you mean `{c}`?"),
            _ => String::new(),
        };
        return Problem {
            key: full,
            message: format!("unknown key.{hint} Allowed here: {}.", code_list(&expected)),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        return Problem {
            key: join(&key, name),
            message: "is required but missing".to_string(),
        };
    }
    let message = message
        .replace("expected u32", "expected a whole number ≥ 0")
        .replace("expected u64", "expected a whole number ≥ 0")
        .replace("expected u8", "expected a whole number 0–255")
        .replace("expected f64", "expected a number")
        .replace("expected i32", "expected a whole number");
    Problem { key, message }
}

/// serde_path_to_error reports an unknown key at the path of its parent or
/// of the key itself depending on the format; strip the key if present.
fn parent(path: &str, name: &str) -> String {
    match path.strip_suffix(name) {
        Some(p) => p.trim_end_matches('.').to_string(),
        None => path.to_string(),
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// One element of a dotted key path: a key or a list index (`steps[0]`).
enum Seg {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Seg>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return None;
        }
        out.push(Seg::Key(name.to_string()));
        while let Some(r) = rest.strip_prefix('[') {
            let (num, after) = r.split_once(']')?;
            out.push(Seg::Index(num.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// A dotted key path in its one spelling (`ly.find_job[0].p`: names without
/// spaces, indices without leading zeros), or `None` if `path` is not a
/// path. Two spellings of one key compare equal only through this.
pub fn canonical_path(path: &str) -> Option<String> {
    let mut out = String::new();
    for seg in parse_path(path)? {
        match seg {
            Seg::Key(k) => {
                if k.is_empty() || k.chars().any(char::is_whitespace) {
                    return None;
                }
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&k);
            }
            Seg::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    Some(out)
}

/// A message for a key path not written in its one spelling.
pub fn path_problem(path: &str) -> Option<String> {
    match canonical_path(path) {
        Some(c) if c == path => None,
        Some(c) => Some(format!(
            "write the key as `{c}` (no spaces, no leading zeros)"
        )),
        None => Some(format!(
            "`{path}` is not a dotted key path like `ly.find_job[0].p`"
        )),
    }
}

/// Applies one `KEY=VALUE` override to a resolved table. `KEY` is a dotted
/// path and may index lists: `ly.find_job[0].p=0.08`.
pub fn apply_set(root: &mut Value, arg: &str, file: &str) -> Result<(), ScenarioError> {
    let err = |message: String| ScenarioError::Set {
        file: file.to_string(),
        arg: arg.to_string(),
        message,
    };
    let (path, raw) = arg
        .split_once('=')
        .ok_or_else(|| err("expected KEY=VALUE, e.g. `staffing.consultants=15`".into()))?;
    set_path(root, path.trim(), parse_value(raw.trim())).map_err(err)
}

/// Sets the value at a dotted path (which must exist, or be an optional key
/// such as a window's `from`); `Err` says what is there instead.
pub fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let err = |m: String| m;
    let segs = parse_path(path)
        .ok_or_else(|| format!("`{path}` is not a dotted key path like `ly.find_job[0].p`"))?;
    let mut here = String::new();
    let mut node: &mut Value = root;
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match seg {
            Seg::Key(k) => {
                if !here.is_empty() {
                    here.push('.');
                }
                here.push_str(k);
                let Value::Table(t) = node else {
                    return Err(err(format!("`{here}`: its parent is a value, not a table")));
                };
                if !t.contains_key(k) {
                    if last && settable_absent(&here) {
                        t.insert(k.clone(), value);
                        return Ok(());
                    }
                    let hint = nearest(k, t.keys().map(String::as_str));
                    return Err(err(format!(
                        "no key `{here}` in the scenario.{hint} Keys here: {}.",
                        code_list(t.keys())
                    )));
                }
                node = match t.get_mut(k) {
                    Some(v) => v,
                    None => return Err(err(format!("no key `{here}` in the scenario"))),
                };
            }
            Seg::Index(n) => {
                here.push_str(&format!("[{n}]"));
                let Value::Array(a) = node else {
                    return Err(err(format!("`{here}`: not a list")));
                };
                let len = a.len();
                node = a.get_mut(*n).ok_or_else(|| {
                    err(format!(
                        "`{here}`: the list has {len} element(s), index from 0"
                    ))
                })?;
            }
        }
    }
    *node = value;
    Ok(())
}

/// Optional keys that a resolved scenario may leave out but `--set` may set.
fn settable_absent(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or("");
    matches!(last, "from" | "to" | "p" | "p_year") || path == "sampling"
}

fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, _)| *s > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" Did you mean `{c}`?"))
        .unwrap_or_default()
}

fn parse_value(raw: &str) -> Value {
    match toml::from_str::<Table>(&format!("v = {raw}")) {
        Ok(mut t) => t.remove("v").unwrap_or(Value::String(raw.to_string())),
        Err(_) => Value::String(raw.trim_matches('"').to_string()),
    }
}
