//! The design of a sweep: which points there are and what each sets.
//!
//! A [`Sweep`] is a sweep file resolved against its base scenario: the grid
//! axes with their values expanded, the Latin hypercube drawn, every axis
//! value tried on the base scenario, and the hash that identifies the whole
//! design (`sweep_sha256`).
//!
//! Points are numbered `0..points`: the grid axes vary like nested loops in
//! file order (the last axis fastest) and the Latin hypercube, if any, is one
//! more axis after them whose values are its points. Point `u` is a pure
//! function of the sweep, so any machine computes the same point the same way.

use super::axes::{axis_values, latin_hypercube, lhs_value, Axis, Lhs};
use super::file::{self, Entry, Months, Node};
use crate::input::uncertain::Model;
use crate::model::error::{InputError, SerializeError};
use crate::model::hash::sha256_hex;
use crate::model::metrics::{self, METRICS};
use serde::Serialize;
use std::path::{Path, PathBuf};
use toml::Value;

/// Metrics kept when the sweep file does not name any.
pub const DEFAULT_METRICS: &[&str] = &[
    "ly_stock",
    "flex_stock",
    "flex_le10h",
    "ly_share",
    "progression_share",
    "hires",
    "dismissals",
    "cost_ly",
    "cost_flex_subsidy",
    "cost_old_scheme",
    "refusion_ly",
    "refusion_flex",
    "cost_staff_municipal",
    "cost_staff_grant",
    "cost_measures",
    "net_municipal_cost",
];

/// Keys that every point shares by definition.
const FIXED_KEYS: &[&str] = &["seed", "replications"];

/// Command-line flags that change a sweep's results. `--replications`
/// replaces the sweep file's `replications`; each `--set KEY=VALUE` is
/// applied to the base scenario after the sweep file's `set` (so it wins
/// over it). A `--set` may not name an axis, `seed` or `replications`.
/// Every shard of one sweep must be given the same flags: they are part of
/// the sweep's identity ([`Sweep::flags`], `sweep_sha256`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub replications: Option<u32>,
    pub sets: Vec<String>,
}

impl Overrides {
    /// The overrides as command-line words, in a fixed order:
    /// `--replications N` first, then each `--set KEY=VALUE` as given.
    pub fn flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = self.replications {
            out.push("--replications".to_string());
            out.push(r.to_string());
        }
        for s in &self.sets {
            out.push("--set".to_string());
            out.push(s.clone());
        }
        out
    }
}

/// A resolved sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The sweep file, as given.
    pub file: String,
    pub name: String,
    /// The base scenario as written in the sweep file, and its path.
    pub scenario: String,
    pub scenario_path: PathBuf,
    scenario_text: String,
    pub replications: u32,
    pub seed: u64,
    /// Indices into [`METRICS`].
    pub metrics: Vec<usize>,
    pub months: Months,
    /// `--set` strings every point starts from.
    base_sets: Vec<String>,
    set: Vec<(String, Value)>,
    /// The `--set` flags of the command line, as given.
    cli_sets: Vec<String>,
    /// Their keys (the text before `=`, trimmed).
    cli_keys: Vec<String>,
    /// The command-line flags that change the results, as words
    /// ([`Overrides::flags`]); recorded in every manifest, and needed by
    /// every shard.
    pub flags: Vec<String>,
    pub grid: Vec<Axis>,
    pub lhs: Option<Lhs>,
    pub points: u64,
    /// SHA-256 of the resolved design (see [`Sweep::sha256`]).
    pub sha256: String,
    /// The base scenario's identity ([`Model::sha256`]), as in every
    /// manifest.
    pub scenario_sha256: String,
}

fn input(file: &str, message: impl std::fmt::Display) -> InputError {
    InputError(format!("`{file}`: {message}"))
}

/// A value as `--set` takes it (TOML).
pub fn toml_text(v: &Value) -> String {
    v.to_string()
}

/// A value as a `points.csv` cell (before CSV quoting): numbers in the
/// shortest form that reads back the same, strings bare, lists as TOML.
pub fn cell_text(v: &Value) -> std::io::Result<String> {
    Ok(match v {
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => crate::output::export::num(*f)?,
        Value::Boolean(b) => b.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

impl Sweep {
    /// Reads a sweep file and resolves it against its base scenario. The
    /// error is an [`InputError`] (the user's input) or a
    /// [`SerializeError`] (a failure).
    pub fn load(path: &Path) -> anyhow::Result<Sweep> {
        Sweep::load_with(path, &Overrides::default())
    }

    /// As [`Sweep::load`], with the command line's `--replications` and
    /// `--set` ([`Overrides`]).
    pub fn load_with(path: &Path, overrides: &Overrides) -> anyhow::Result<Sweep> {
        let file = path.display().to_string();
        let text = crate::model::limits::read_text(path)
            .map_err(|e| InputError(format!("cannot read sweep file `{file}`: {e}")))?;
        let raw = file::parse(&text).map_err(|m| input(&file, m))?;
        let name = match &raw.name {
            Some(n) => n.clone(),
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "sweep".into()),
        };
        if let Some(why) = crate::model::limits::name_problem(&name) {
            return Err(input(&file, format!("key `name`: {why}")).into());
        }
        let max_reps = crate::model::limits::MAX_REPLICATIONS;
        if raw.replications == 0 || raw.replications > max_reps {
            return Err(input(
                &file,
                format!(
                    "key `replications`: {} is not allowed: 1 to {max_reps}",
                    raw.replications
                ),
            )
            .into());
        }
        if let Some(r) = overrides.replications.filter(|&r| r == 0 || r > max_reps) {
            return Err(InputError(format!(
                "--replications {r} is not allowed: 1 to {max_reps}"
            ))
            .into());
        }
        let replications = overrides.replications.unwrap_or(raw.replications);
        let mut cli_keys = Vec::new();
        for arg in &overrides.sets {
            let Some((key, _)) = arg.split_once('=') else {
                return Err(InputError(format!(
                    "--set `{arg}`: expected KEY=VALUE, e.g. `--set staffing.consultants=15`"
                ))
                .into());
            };
            let key = key.trim().to_string();
            if FIXED_KEYS.contains(&key.as_str()) {
                let instead = if key == "seed" {
                    "set `seed` at the top of the sweep file"
                } else {
                    "use `--replications N`"
                };
                return Err(InputError(format!(
                    "--set `{arg}`: every point of a sweep uses the sweep's own `{key}` (common \
                     random numbers); {instead}"
                ))
                .into());
            }
            cli_keys.push(key);
        }
        let max_seed = crate::model::limits::MAX_SEED;
        for (key, seed) in [
            ("seed", raw.seed),
            ("lhs.seed", raw.lhs.as_ref().and_then(|l| l.seed)),
        ] {
            if let Some(s) = seed.filter(|&s| s > max_seed) {
                return Err(input(
                    &file,
                    format!("key `{key}`: {s} is not allowed: 0 to {max_seed}"),
                )
                .into());
            }
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        let scenario_path = dir.join(&raw.scenario);
        let scenario_text = crate::model::limits::read_text(&scenario_path).map_err(|e| {
            input(
                &file,
                format!(
                    "key `scenario`: cannot read `{}` (paths are relative to the sweep file): {e}",
                    scenario_path.display()
                ),
            )
        })?;
        let metrics = resolve_metrics(raw.metrics.as_deref()).map_err(|m| input(&file, m))?;

        let mut sweep = Sweep {
            file: file.clone(),
            name,
            scenario: raw.scenario.clone(),
            scenario_path,
            scenario_text,
            replications,
            seed: 0,
            metrics,
            months: raw.months,
            base_sets: Vec::new(),
            set: Vec::new(),
            cli_sets: overrides.sets.clone(),
            cli_keys,
            flags: overrides.flags(),
            grid: Vec::new(),
            lhs: None,
            points: 0,
            sha256: String::new(),
            scenario_sha256: String::new(),
        };
        let mut seen: Vec<String> = Vec::new();
        for Entry { key, node } in file::flatten(&raw.set, &file::is_distribution) {
            sweep.check_key("set", &key, &mut seen)?;
            sweep.set.push((key, node.to_value()));
        }
        sweep.base_sets = sweep
            .set
            .iter()
            .map(|(k, v)| format!("{k}={}", toml_text(v)))
            .collect();
        sweep.base_sets.extend(overrides.sets.iter().cloned());
        sweep.base_sets.push(format!("replications={replications}"));
        if let Some(s) = raw.seed {
            sweep.base_sets.push(format!("seed={s}"));
        }
        let base = sweep.load_model(&[]).map_err(|e| {
            input(
                &file,
                if overrides.sets.is_empty() {
                    format!("the base scenario with the sweep's `set` is refused: {e}")
                } else {
                    format!(
                        "the base scenario with the sweep's `set` and the --set flags is \
                         refused: {e}"
                    )
                },
            )
        })?;
        sweep.seed = base.base.seed;
        sweep.scenario_sha256 = base.sha256()?;

        for Entry { key, node } in file::flatten(&raw.axes, &file::is_range) {
            sweep.check_key("axes", &key, &mut seen)?;
            let values =
                axis_values(&node).map_err(|m| input(&file, format!("axis `{key}`: {m}")))?;
            for v in &values {
                sweep.try_value(&key, v)?;
            }
            sweep.grid.push(Axis { key, values });
        }
        if let Some(l) = &raw.lhs {
            sweep.lhs = Some(sweep.resolve_lhs(l, &mut seen)?);
        }
        if sweep.grid.is_empty() && sweep.lhs.is_none() {
            return Err(input(
                &file,
                "no axes: give `[axes]` (lists of values or `{ from, to, step }`) or `[lhs]`",
            )
            .into());
        }
        let max_points = crate::model::limits::MAX_SWEEP_POINTS;
        let mut points: u64 = sweep.lhs.as_ref().map_or(1, |l| l.values.len() as u64);
        for a in &sweep.grid {
            points = points
                .checked_mul(a.values.len() as u64)
                .filter(|&p| p <= max_points)
                .ok_or_else(|| {
                    input(
                        &file,
                        format!(
                            "the sweep has more than {max_points} points (the product of the \
                             axes' value counts and `lhs.points`): allowed at most {max_points}"
                        ),
                    )
                })?;
        }
        if points == 0 {
            return Err(input(&file, "the sweep has no points: every axis needs a value").into());
        }
        sweep.points = points;
        sweep.sha256 = sweep.design_hash()?;
        Ok(sweep)
    }

    /// Refuses keys that every point must share and keys given twice.
    fn check_key(&self, table: &str, key: &str, seen: &mut Vec<String>) -> Result<(), InputError> {
        if let Some(m) = crate::input::load::path_problem(key) {
            return Err(input(&self.file, format!("key `{table}.{key}`: {m}")));
        }
        if table != "set" && self.cli_keys.iter().any(|k| k == key) {
            return Err(input(
                &self.file,
                format!(
                    "key `{table}.{key}` is an axis of the sweep, so `--set {key}=…` cannot fix \
                     it; leave out that --set, or change the axis in the sweep file"
                ),
            ));
        }
        if FIXED_KEYS.contains(&key) {
            return Err(input(
                &self.file,
                format!(
                    "key `{table}.{key}`: every point uses the sweep's own `{key}` (common random \
                     numbers); set `{key}` at the top of the sweep file instead"
                ),
            ));
        }
        // One key inside another (`ly.find_job` and `ly.find_job[0].p`):
        // the later would silently override part of the earlier.
        let inside = |outer: &str, inner: &str| {
            inner.len() > outer.len()
                && inner.starts_with(outer)
                && matches!(inner.as_bytes()[outer.len()], b'.' | b'[')
        };
        if let Some(k) = seen.iter().find(|k| inside(k, key) || inside(key, k)) {
            return Err(input(
                &self.file,
                format!(
                    "scenario keys `{k}` and `{key}` overlap (one is inside the other, in `set`, \
                     `axes` or `lhs.ranges`): give the part within the whole, or the whole alone"
                ),
            ));
        }
        if seen.iter().any(|k| k == key) {
            return Err(input(
                &self.file,
                format!("scenario key `{key}` is given twice (in `set`, `axes` or `lhs.ranges`); give it once"),
            ));
        }
        seen.push(key.to_string());
        Ok(())
    }

    /// The model of the base scenario with extra `--set` strings.
    fn load_model(&self, extra: &[String]) -> Result<Model, crate::model::error::ScenarioError> {
        let mut sets = self.base_sets.clone();
        sets.extend_from_slice(extra);
        let file = self.scenario_path.display().to_string();
        Model::from_str(&self.scenario_text, &file, &sets)
    }

    /// Tries one axis value on the base scenario.
    fn try_value(&self, key: &str, v: &Value) -> Result<(), InputError> {
        self.load_model(&[format!("{key}={}", toml_text(v))])
            .map(|_| ())
            .map_err(|e| input(&self.file, format!("axis `{key}` = {}: {e}", toml_text(v))))
    }

    fn resolve_lhs(&self, l: &file::RawLhs, seen: &mut Vec<String>) -> Result<Lhs, InputError> {
        let max = crate::model::limits::MAX_LHS_POINTS;
        if l.points == 0 || l.points > max {
            return Err(input(
                &self.file,
                format!("key `lhs.points`: {} is not allowed: 1 to {max}", l.points),
            ));
        }
        let mut out = Lhs {
            keys: Vec::new(),
            ranges: Vec::new(),
            integer: Vec::new(),
            seed: l.seed.unwrap_or(self.seed),
            values: Vec::new(),
        };
        for Entry { key, node } in file::flatten(&l.ranges, &|_| true) {
            self.check_key("lhs.ranges", &key, seen)?;
            let bad = || {
                input(
                    &self.file,
                    format!(
                        "key `lhs.ranges.\"{key}\"`: expected `[low, high]`, two numbers with low < high"
                    ),
                )
            };
            let Node::Leaf(Value::Array(a)) = &node else {
                return Err(bad());
            };
            let nums: Vec<f64> = a
                .iter()
                .filter_map(|v| match v {
                    Value::Integer(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    _ => None,
                })
                .collect();
            let [lo, hi] = nums[..] else {
                return Err(bad());
            };
            if a.len() != 2 || !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(bad());
            }
            // A key that refuses a fraction but takes a whole number is an
            // integer key: its draws are rounded.
            let mid = (lo + hi) / 2.0;
            let frac = if mid.fract() == 0.0 { mid + 0.5 } else { mid };
            let integer = self.try_value(&key, &Value::Float(frac)).is_err()
                && self
                    .try_value(&key, &Value::Integer(mid.round() as i64))
                    .is_ok();
            for x in [lo, hi] {
                self.try_value(&key, &lhs_value(x, integer))?;
            }
            out.keys.push(key);
            out.ranges.push((lo, hi));
            out.integer.push(integer);
        }
        if out.keys.is_empty() {
            return Err(input(
                &self.file,
                "key `lhs.ranges`: give at least one `\"scenario.key\" = [low, high]`",
            ));
        }
        out.values = latin_hypercube(out.seed, &out.keys, &out.ranges, l.points as usize);
        Ok(out)
    }

    /// The column names of `points.csv` after `point`: grid keys, then the
    /// Latin hypercube's keys.
    pub fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.grid.iter().map(|a| a.key.as_str()).collect();
        if let Some(l) = &self.lhs {
            k.extend(l.keys.iter().map(String::as_str));
        }
        k
    }

    /// The values point `u` gives its keys, in [`Sweep::keys`] order.
    pub fn point(&self, u: u64) -> Vec<Value> {
        let lhs_n = self.lhs.as_ref().map_or(1, |l| l.values.len() as u64);
        let mut rest = u / lhs_n;
        let mut out = vec![Value::Boolean(false); self.grid.len()];
        for (i, a) in self.grid.iter().enumerate().rev() {
            let n = a.values.len() as u64;
            out[i] = a.values[(rest % n) as usize].clone();
            rest /= n;
        }
        if let Some(l) = &self.lhs {
            let row = &l.values[(u % lhs_n) as usize];
            out.extend(row.iter().zip(&l.integer).map(|(&x, &i)| lhs_value(x, i)));
        }
        out
    }

    /// The model of point `u`.
    pub fn model(&self, u: u64) -> Result<Model, InputError> {
        let values = self.point(u);
        let sets: Vec<String> = self
            .keys()
            .iter()
            .zip(&values)
            .map(|(k, v)| format!("{k}={}", toml_text(v)))
            .collect();
        self.load_model(&sets).map_err(|e| {
            input(
                &self.file,
                format!("point {u} ({}) is refused: {e}", sets.join(", ")),
            )
        })
    }

    /// SHA-256 of the resolved design as JSON: everything that decides the
    /// results (the base scenario by its hash, the fixed overrides, every
    /// axis value, the Latin hypercube's points, seed, replications,
    /// metrics), nothing of how the file was written.
    fn design_hash(&self) -> Result<String, SerializeError> {
        #[derive(Serialize)]
        struct Resolved<'a> {
            name: &'a str,
            scenario_sha256: &'a str,
            set: &'a [(String, Value)],
            /// The command line's `--set`s, left out when there are none
            /// so that a sweep without them keeps its hash.
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            cli_set: &'a [String],
            replications: u32,
            seed: u64,
            metrics: Vec<&'static str>,
            months: Months,
            grid: &'a [Axis],
            lhs: &'a Option<Lhs>,
        }
        let r = Resolved {
            name: &self.name,
            scenario_sha256: &self.scenario_sha256,
            set: &self.set,
            cli_set: &self.cli_sets,
            replications: self.replications,
            seed: self.seed,
            metrics: self.metric_names(),
            months: self.months,
            grid: &self.grid,
            lhs: &self.lhs,
        };
        let json = serde_json::to_vec(&r).map_err(|e| SerializeError {
            scenario: self.name.clone(),
            format: "JSON (the sweep's design)",
            message: e.to_string(),
        })?;
        Ok(sha256_hex(&json))
    }

    pub fn metric_names(&self) -> Vec<&'static str> {
        self.metrics.iter().map(|&i| METRICS[i].name).collect()
    }
}

fn resolve_metrics(names: Option<&[String]>) -> Result<Vec<usize>, String> {
    let names: Vec<&str> = match names {
        Some(n) => n.iter().map(String::as_str).collect(),
        None => DEFAULT_METRICS.to_vec(),
    };
    if names.is_empty() {
        return Err("key `metrics`: give at least one metric (or leave the key out)".into());
    }
    let mut out = Vec::new();
    for n in names {
        let i = metrics::index(n).ok_or_else(|| {
            let hint = METRICS
                .iter()
                .map(|m| (strsim::jaro_winkler(n, m.name), m.name))
                .filter(|(s, _)| *s > 0.7)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| format!(" Did you mean `{c}`?"))
                .unwrap_or_default();
            let all: Vec<String> = METRICS.iter().map(|m| format!("`{}`", m.name)).collect();
            format!(
                "key `metrics`: unknown metric `{n}`.{hint} Allowed: {}.",
                all.join(", ")
            )
        })?;
        if out.contains(&i) {
            return Err(format!("key `metrics`: `{n}` is listed twice"));
        }
        out.push(i);
    }
    Ok(out)
}
