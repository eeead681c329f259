//! Shards: which points a process computes, and where its part goes.
//!
//! Point `u` belongs to shard `u mod N`. Shard `K` of `N` writes
//! `part-K-of-N/` under the output folder. The shard comes from flags or,
//! when a flag is absent, from the environment a scheduler sets:
//!
//! | what  | flag            | environment (first set wins)                                  |
//! |-------|-----------------|---------------------------------------------------------------|
//! | index | `--shard-index` | `SLURM_ARRAY_TASK_ID`, `JOB_COMPLETION_INDEX` (Kubernetes)     |
//! | count | `--shard-count` | `SLURM_ARRAY_TASK_COUNT`, `FLEKSIM_SHARD_COUNT`               |
//!
//! Flags win over the environment. Without any of them the sweep is
//! unsharded and writes the final files directly.

use super::manifest::ShardInfo;
use crate::model::error::InputError;

/// Environment variables that give the shard index, in order of precedence.
pub const INDEX_VARS: &[&str] = &["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];
/// Environment variables that give the shard count, in order of precedence.
pub const COUNT_VARS: &[&str] = &["SLURM_ARRAY_TASK_COUNT", "FLEKSIM_SHARD_COUNT"];

/// Refuses more shards than points: every shard runs at least one point
/// (a shard without one would be an empty part that `merge` must wait
/// for). `what` names what gave the count.
pub fn at_most_one_a_point(shards: u64, points: u64, what: &str) -> Result<(), InputError> {
    if shards > points {
        return Err(InputError(format!(
            "{what} {shards} is more shards than the sweep has points ({points}): allowed 1 to \
             {points}"
        )));
    }
    Ok(())
}

/// The shard to compute of a sweep of `points` points: `None` for an
/// unsharded sweep. `env` reads an environment variable (a parameter so
/// tests need not touch the process).
pub fn resolve(
    index: Option<u64>,
    count: Option<u64>,
    env: &dyn Fn(&str) -> Option<String>,
    points: u64,
) -> Result<Option<ShardInfo>, InputError> {
    let from_env = |vars: &[&str]| -> Result<Option<(u64, String)>, InputError> {
        for v in vars {
            if let Some(text) = env(v).filter(|t| !t.trim().is_empty()) {
                let n = text.trim().parse::<u64>().map_err(|_| {
                    InputError(format!(
                        "environment variable {v}=`{text}`: expected a whole number ≥ 0"
                    ))
                })?;
                return Ok(Some((n, format!("{v}={n}"))));
            }
        }
        Ok(None)
    };
    let index = match index {
        Some(i) => Some((i, format!("--shard-index {i}"))),
        None => from_env(INDEX_VARS)?,
    };
    let count = match count {
        Some(c) => Some((c, format!("--shard-count {c}"))),
        None => from_env(COUNT_VARS)?,
    };
    match (index, count) {
        (None, None) => Ok(None),
        (Some((_, why)), None) => Err(InputError(format!(
            "{why} gives the shard index but nothing gives the shard count: pass \
             --shard-count N (or set FLEKSIM_SHARD_COUNT)"
        ))),
        (None, Some((_, why))) => Err(InputError(format!(
            "{why} gives the shard count but nothing gives the shard index: pass \
             --shard-index K (or run as a Slurm array task or a Kubernetes Indexed Job)"
        ))),
        (Some((i, wi)), Some((c, wc))) => {
            if c == 0 {
                Err(InputError(format!(
                    "{wc}: the shard count must be at least 1"
                )))
            } else if i >= c {
                Err(InputError(format!(
                    "{wi} with {wc}: the index must be below the count (shards are numbered \
                     0..N-1; a Slurm array must be `--array=0-{}`)",
                    c - 1
                )))
            } else {
                // Named by what gave it: the flag, or the job's environment.
                let what = match wc.split_once('=') {
                    Some((var, _)) => format!("the shard count ({var})"),
                    None => "--shard-count".to_string(),
                };
                at_most_one_a_point(c, points, &what)?;
                Ok(Some(ShardInfo { index: i, count: c }))
            }
        }
    }
}

/// `part-K-of-N`.
pub fn part_name(s: ShardInfo) -> String {
    format!("part-{}-of-{}", s.index, s.count)
}

/// The shard of a folder named `part-K-of-N`.
pub fn parse_part_name(name: &str) -> Option<ShardInfo> {
    let rest = name.strip_prefix("part-")?;
    let (k, n) = rest.split_once("-of-")?;
    let s = ShardInfo {
        index: k.parse().ok()?,
        count: n.parse().ok()?,
    };
    (s.count > 0 && s.index < s.count && part_name(s) == name).then_some(s)
}

/// The points of a shard, in order.
pub fn points(total: u64, s: Option<ShardInfo>) -> impl Iterator<Item = u64> {
    let s = s.unwrap_or(ShardInfo { index: 0, count: 1 });
    (s.index..total).step_by(s.count.max(1) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flags_win_over_environment() {
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            resolve(None, None, &e, 100).unwrap(),
            Some(ShardInfo { index: 2, count: 4 })
        );
        assert_eq!(
            resolve(Some(1), None, &e, 100).unwrap(),
            Some(ShardInfo { index: 1, count: 4 })
        );
        let k = env(&[("JOB_COMPLETION_INDEX", "0"), ("FLEKSIM_SHARD_COUNT", "3")]);
        assert_eq!(
            resolve(None, None, &k, 100).unwrap(),
            Some(ShardInfo { index: 0, count: 3 })
        );
        assert_eq!(
            resolve(None, Some(5), &k, 100).unwrap(),
            Some(ShardInfo { index: 0, count: 5 })
        );
        assert_eq!(resolve(None, None, &env(&[]), 100).unwrap(), None);
    }

    #[test]
    fn bad_shards_are_refused() {
        let none = env(&[]);
        assert!(resolve(Some(3), Some(3), &none, 100).is_err());
        assert!(resolve(Some(0), None, &none, 100).is_err());
        assert!(resolve(None, Some(2), &none, 100).is_err());
        assert!(resolve(Some(0), Some(0), &none, 100).is_err());
        let more = resolve(Some(0), Some(7), &none, 6).unwrap_err().0;
        assert!(more.starts_with("--shard-count 7 is more shards"), "{more}");
        let bad = env(&[("JOB_COMPLETION_INDEX", "x"), ("FLEKSIM_SHARD_COUNT", "3")]);
        assert!(resolve(None, None, &bad, 100)
            .unwrap_err()
            .0
            .contains("JOB_COMPLETION_INDEX"));
    }

    #[test]
    fn part_names_round_trip() {
        let s = ShardInfo { index: 2, count: 3 };
        assert_eq!(parse_part_name(&part_name(s)), Some(s));
        assert_eq!(parse_part_name("part-3-of-3"), None);
        assert_eq!(parse_part_name("part-01-of-3"), None);
        assert_eq!(points(7, Some(s)).collect::<Vec<_>>(), [2, 5]);
    }
}
