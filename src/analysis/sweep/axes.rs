//! Axes: the values of a grid axis (`[…]` or `{ from, to, step }`) and the
//! points of a Latin hypercube.

use super::file::Node;
use crate::model::hash;
use crate::sim::rng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;
use serde::Serialize;
use toml::Value;

/// A grid axis: a scenario key and its values.
#[derive(Debug, Clone, Serialize)]
pub struct Axis {
    pub key: String,
    pub values: Vec<Value>,
}

/// A Latin hypercube: `points` rows, one value per key, each key's range
/// cut into `points` equal strata with exactly one point in each.
#[derive(Debug, Clone, Serialize)]
pub struct Lhs {
    pub keys: Vec<String>,
    pub ranges: Vec<(f64, f64)>,
    /// Keys that take whole numbers: values are rounded.
    pub integer: Vec<bool>,
    pub seed: u64,
    /// `values[point][key]`.
    pub values: Vec<Vec<f64>>,
}

/// A hypercube draw as a scenario value: rounded for a whole-number key.
pub fn lhs_value(x: f64, integer: bool) -> Value {
    if integer {
        Value::Integer(x.round() as i64)
    } else {
        Value::Float(x)
    }
}

/// The values of a grid axis: a non-empty list, or `{ from, to, step }`.
pub fn axis_values(node: &Node) -> Result<Vec<Value>, String> {
    let allowed = "expected a non-empty list of values or `{ from, to, step }`";
    match node {
        Node::Leaf(Value::Array(a)) if a.len() > crate::model::limits::MAX_AXIS_VALUES => {
            Err(format!(
                "{} values: allowed at most {} per axis",
                a.len(),
                crate::model::limits::MAX_AXIS_VALUES
            ))
        }
        Node::Leaf(Value::Array(a)) if !a.is_empty() => Ok(a.clone()),
        Node::Map(_) => range_values(&node.to_value()),
        _ => Err(allowed.into()),
    }
}

/// `{ from, to, step }`, both ends included when the steps land on `to`;
/// `step` defaults to 1. Whole numbers stay whole.
fn range_values(v: &Value) -> Result<Vec<Value>, String> {
    let get = |k: &str| v.get(k).cloned();
    let (from, to) = (get("from"), get("to"));
    let step = get("step").unwrap_or(Value::Integer(1));
    let all_int = [&from, &to, &Some(step.clone())]
        .iter()
        .all(|x| matches!(x, Some(Value::Integer(_))));
    let f = |x: &Option<Value>| match x {
        Some(Value::Integer(i)) => Some(*i as f64),
        Some(Value::Float(f)) => Some(*f),
        _ => None,
    };
    let (Some(a), Some(b), Some(s)) = (f(&from), f(&to), f(&Some(step))) else {
        return Err("a range needs numbers `from` and `to` (and optionally `step`)".into());
    };
    if !(a.is_finite() && b.is_finite() && s.is_finite()) || s == 0.0 || (b - a) * s < 0.0 {
        return Err(format!(
            "range from {a} to {b} by {s}: `step` must be non-zero and lead from `from` to `to`"
        ));
    }
    // In floating point: a tiny step gives a count beyond any integer, which
    // a cast would saturate (and `+ 1` wrap to 0 points).
    let steps = ((b - a) / s + 1e-9).floor();
    let max = crate::model::limits::MAX_AXIS_VALUES;
    if !steps.is_finite() || steps + 1.0 > max as f64 {
        return Err(format!(
            "range from {a} to {b} by {s} has {} values: allowed at most {max} per axis",
            steps + 1.0
        ));
    }
    let n = steps as u64 + 1;
    Ok((0..n)
        .map(|i| {
            let x = a + i as f64 * s;
            if all_int {
                Value::Integer(x.round() as i64)
            } else {
                // 0.1 + 2 · 0.1 is 0.30000000000000004: keep 12 digits.
                Value::Float(format!("{x:.12e}").parse().unwrap_or(x))
            }
        })
        .collect())
}

/// `n` points of a Latin hypercube over `ranges`: for each key a random
/// permutation of the `n` strata, and a uniform position within each. Each
/// key has its own stream (keyed by [`hash::fnv1a`] of the key), so adding
/// a key never changes another key's values.
pub fn latin_hypercube(
    seed: u64,
    keys: &[String],
    ranges: &[(f64, f64)],
    n: usize,
) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::with_capacity(keys.len()); n];
    for (key, &(lo, hi)) in keys.iter().zip(ranges) {
        let mut r = Xoshiro256PlusPlus::seed_from_u64(rng::splitmix64(
            rng::splitmix64(seed) ^ hash::fnv1a(key),
        ));
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let k = ((rng::uniform(&mut r) * (i + 1) as f64) as usize).min(i);
            strata.swap(i, k);
        }
        for (row, &s) in out.iter_mut().zip(&strata) {
            let u = rng::uniform(&mut r);
            let x = lo + (hi - lo) * (s as f64 + u) / n as f64;
            row.push(x.clamp(lo, hi));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends() {
        let t: Value = toml::from_str::<toml::Table>("r = { from = 0.1, to = 0.5, step = 0.1 }")
            .unwrap()["r"]
            .clone();
        let v = range_values(&t).unwrap();
        assert_eq!(v.len(), 5);
        assert_eq!(v[2], Value::Float(0.3));
        let t: Value =
            toml::from_str::<toml::Table>("r = { from = 13, to = 19 }").unwrap()["r"].clone();
        assert_eq!(range_values(&t).unwrap().len(), 7);
    }

    #[test]
    fn hypercube_is_stratified() {
        let keys = vec!["a".to_string(), "b".to_string()];
        let v = latin_hypercube(3, &keys, &[(0.0, 1.0), (10.0, 20.0)], 50);
        for (j, (lo, hi)) in [(0.0, 1.0), (10.0, 20.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = v
                .iter()
                .map(|row| ((row[j] - lo) / (hi - lo) * 50.0) as usize)
                .collect();
            strata.sort();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
    }
}
