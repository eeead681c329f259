//! Reading a sweep file: TOML text → [`RawSweep`] (checked for unknown
//! keys) → flat lists of dotted scenario keys with their values, in the
//! order the file gives them.
//!
//! TOML tables are sorted by key once parsed, but the order of axes decides
//! the point numbering and the columns of `points.csv`, so the tables that
//! hold scenario keys (`set`, `axes`, `lhs.ranges`) are read as [`Node`]s
//! that remember where each key stood in the file.
//!
//! A scenario key may be written quoted (`"staffing.consultants" = …`) or as
//! a TOML dotted key (`staffing.consultants = …`, which TOML reads as nested
//! tables); both give the same dotted path.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use toml::{Spanned, Table, Value};

/// Whether results are kept per calendar year or also per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Months {
    /// Calendar years plus whole-horizon figures.
    #[default]
    Yearly,
    /// Every month as well.
    Monthly,
}

impl Months {
    pub fn as_str(self) -> &'static str {
        match self {
            Months::Yearly => "yearly",
            Months::Monthly => "monthly",
        }
    }
}

/// A sweep file as written, before its keys are tried on the scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Short name; results go to `results/<name>/` by default.
    pub name: Option<String>,
    /// The base scenario, relative to the sweep file.
    pub scenario: String,
    /// Replications per point.
    pub replications: u32,
    /// Seed shared by every point (default: the scenario's).
    pub seed: Option<u64>,
    /// Metrics to keep (default: [`super::design::DEFAULT_METRICS`]).
    pub metrics: Option<Vec<String>>,
    #[serde(default)]
    pub months: Months,
    /// Fixed overrides applied to every point, like `--set`.
    #[serde(default)]
    pub set: Node,
    /// Grid axes: key → list of values or `{ from, to, step }`.
    #[serde(default)]
    pub axes: Node,
    /// A Latin hypercube over ranges, crossed with the grid.
    pub lhs: Option<RawLhs>,
}

/// The `[lhs]` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLhs {
    pub points: u32,
    pub seed: Option<u64>,
    pub ranges: Node,
}

/// A TOML value that remembers the file position of its table keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Leaf(Value),
    /// Entries of a table: key, byte offset of the key in the file, value.
    Map(Vec<(String, usize, Node)>),
}

impl Default for Node {
    fn default() -> Node {
        Node::Map(Vec::new())
    }
}

impl Node {
    /// The plain TOML value.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Leaf(v) => v.clone(),
            Node::Map(entries) => Value::Table(
                entries
                    .iter()
                    .map(|(k, _, n)| (k.clone(), n.to_value()))
                    .collect::<Table>(),
            ),
        }
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            Node::Map(e) => e.iter().map(|(k, _, _)| k.as_str()).collect(),
            Node::Leaf(_) => Vec::new(),
        }
    }
}

/// The TOML crate's private marker for a datetime value.
const DATETIME: &str = "$__toml_private_datetime";

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Boolean(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Integer(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v)
            .map(|i| Node::Leaf(Value::Integer(i)))
            .map_err(|_| E::custom("integer out of range"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Leaf(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Leaf(Value::String(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Node::Leaf(Value::Array(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            if key.get_ref() == DATETIME {
                let text: String = map.next_value()?;
                let dt = text.parse().map_err(de::Error::custom)?;
                return Ok(Node::Leaf(Value::Datetime(dt)));
            }
            let at = key.span().start;
            let value: Node = map.next_value()?;
            entries.push((key.into_inner(), at, value));
        }
        entries.sort_by_key(|e| e.1);
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Parses a sweep file's text; `Err` is a message naming the key and what
/// is allowed (the caller adds the file name).
pub fn parse(text: &str) -> Result<RawSweep, String> {
    let de = toml::Deserializer::parse(text).map_err(|e| e.to_string().trim().to_string())?;
    serde_path_to_error::deserialize::<_, RawSweep>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.message().trim().to_string();
        let line = inner
            .span()
            .map(|s| format!(" (line {})", line_of(text, s.start)))
            .unwrap_or_default();
        if let Some(name) = missing_key(&message) {
            let key = join(&parent(&path, ""), name);
            return format!("key `{key}` is required but missing");
        }
        let key = unknown_key(&message).map_or(path.clone(), |k| join(&parent(&path, k), k));
        if key.is_empty() || key == "." {
            format!("{message}{line}")
        } else {
            format!("key `{key}`{line}: {}", allowed(&message))
        }
    })
}

/// The name in "unknown field `x`, …".
fn unknown_key(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

/// The name in "missing field `x`".
fn missing_key(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// serde's messages in the words of this file.
fn allowed(message: &str) -> String {
    match message.split_once(", expected") {
        Some((head, list)) if head.starts_with("unknown field") => {
            format!("unknown key. Allowed here:{list}")
        }
        Some((head, list)) if head.starts_with("unknown variant") => {
            format!("{head}. Allowed:{list}")
        }
        _ => message
            .replace("expected u32", "expected a whole number ≥ 0")
            .replace("expected u64", "expected a whole number ≥ 0"),
    }
}

fn parent(path: &str, name: &str) -> String {
    match path.strip_suffix(name) {
        Some(p) => p.trim_end_matches('.').to_string(),
        None if path == "." => String::new(),
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

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// One scenario key of a sweep file with what the file gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Dotted scenario path, e.g. `policy.jobclub.effect`.
    pub key: String,
    pub node: Node,
}

/// Flattens a table of scenario keys into dotted paths, in file order.
/// `leaf` says whether a table is a value of its own (a distribution, a
/// range) rather than a group of keys.
pub fn flatten(node: &Node, leaf: &dyn Fn(&Node) -> bool) -> Vec<Entry> {
    let mut out = Vec::new();
    walk(node, "", leaf, &mut out);
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, e)| e).collect()
}

fn walk(node: &Node, prefix: &str, leaf: &dyn Fn(&Node) -> bool, out: &mut Vec<(usize, Entry)>) {
    let Node::Map(entries) = node else { return };
    for (k, at, child) in entries {
        let key = join(prefix, k);
        if matches!(child, Node::Map(_)) && !leaf(child) {
            walk(child, &key, leaf, out);
        } else {
            out.push((
                *at,
                Entry {
                    key,
                    node: child.clone(),
                },
            ));
        }
    }
}

/// A table that is a distribution (`{ dist = … }`): a value under `set`.
pub fn is_distribution(n: &Node) -> bool {
    n.keys().contains(&"dist")
}

/// A table that is a range (`{ from, to, step }` of numbers): one axis.
pub fn is_range(n: &Node) -> bool {
    let Node::Map(entries) = n else { return false };
    let keys = n.keys();
    keys.contains(&"from")
        && keys.contains(&"to")
        && entries.iter().all(|(k, _, v)| {
            matches!(k.as_str(), "from" | "to" | "step")
                && matches!(v, Node::Leaf(Value::Integer(_) | Value::Float(_)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_file_order() {
        let raw = parse(
            "scenario = \"s.toml\"\nreplications = 2\n[axes]\n\"z.b\" = [1]\na.c = [2]\n\
             [axes.m]\nq = { from = 1, to = 3 }\n",
        )
        .unwrap();
        let keys: Vec<String> = flatten(&raw.axes, &is_range)
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, ["z.b", "a.c", "m.q"]);
    }

    #[test]
    fn unknown_key_is_named_with_its_path() {
        let e = parse("scenario = \"s.toml\"\nreplications = 2\n[lhs]\npointz = 3\n").unwrap_err();
        assert!(e.contains("`lhs.pointz`"), "{e}");
        assert!(e.contains("points"), "{e}");
        let e = parse("scenario = \"s.toml\"\nreplication = 2\n").unwrap_err();
        assert!(e.contains("`replication`"), "{e}");
    }
}
