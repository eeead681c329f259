//! Uncertain parameters (probabilistic sensitivity analysis, PSA).
//!
//! Any numeric scenario value may be a distribution instead of a number:
//!
//! ```toml
//! [policy.jobclub]
//! effect = { dist = "lognormal", median = 1.25, p95 = 1.6 }
//! ```
//!
//! A [`Model`] is a scenario with its uncertain parameters. Each replication
//! draws every parameter once, by inversion of one uniform number from a
//! stream keyed by the parameter's dotted path (docs/model.md "Randomness and reproducibility"), so
//! adding or changing one parameter's distribution never changes another's
//! draws. [`Draw::Median`] (`--fixed`) sets every parameter to its median,
//! which separates parameter uncertainty from chance.

use crate::input::load;
use crate::input::posterior::{self, Joint, Shared};
use crate::model::error::{code_list, Problem, ScenarioError, SerializeError};
use crate::model::scenario::Scenario;
use crate::model::validate;
use crate::sim::rng::{self, Purpose};
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, Gamma, LogNormal, Normal, Triangular, Uniform};
use std::path::Path;
use toml::{Table, Value};

/// The largest uniform number a parameter stream gives
/// ([`rng::nth_uniform`]: 53 random bits in [0, 1)).
const Q_MAX: f64 = 1.0 - 1.0 / (1u64 << 53) as f64;

/// z of the 95th percentile of the standard normal.
const Z95: f64 = 1.644_853_626_951_472_2;

/// Keys that every replication of a run shares, so that no distribution,
/// posterior column or calibration parameter may vary them: the run's
/// months and the number and streams of its replications (and, by
/// [`is_shared_key`], the months each cohort is followed: the size of the
/// cohort results).
pub const SHARED_KEYS: &[&str] = &["seed", "replications", "horizon_months", "start"];

/// Whether `path` is a key every replication shares ([`SHARED_KEYS`], or a
/// cohort's `months`).
pub fn is_shared_key(path: &str) -> bool {
    SHARED_KEYS.contains(&path)
        || path
            .strip_prefix("cohorts[")
            .and_then(|rest| rest.split_once("].months"))
            .is_some_and(|(n, tail)| tail.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The largest shape of a `gamma`, and of each of a `beta`'s two shapes: a
/// distribution more concentrated than this (a gamma's 90 % interval within
/// 0.2 % of its mean) would take unbounded time to compute its quantiles.
const MAX_SHAPE: f64 = 1e6;

/// A parameter distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Dist {
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Log-normal by its median and 95th percentile.
    Lognormal {
        median: f64,
        p95: f64,
    },
    /// Beta by its mean and standard deviation.
    Beta {
        mean: f64,
        sd: f64,
    },
    /// Gamma by shape and scale (mean = shape · scale).
    Gamma {
        shape: f64,
        scale: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// A column of a joint posterior (`[uncertainty.posterior]`): drawn as
    /// part of a whole row, its quantiles those of its weighted marginal.
    Posterior {
        file: String,
        sha256: String,
        column: String,
        #[serde(skip)]
        index: usize,
        #[serde(skip)]
        joint: Shared,
    },
}

impl Dist {
    /// Parses `{ dist = "...", ... }`; `Err` says what is allowed.
    fn parse(t: &Table) -> Result<Dist, String> {
        let kind = t.get("dist").and_then(Value::as_str).unwrap_or("");
        let keys: &[&str] = match kind {
            "normal" => &["mean", "sd"],
            "lognormal" => &["median", "p95"],
            "beta" => &["mean", "sd"],
            "gamma" => &["shape", "scale"],
            "uniform" => &["min", "max"],
            "triangular" => &["min", "mode", "max"],
            _ => {
                return Err(format!(
                    "unknown distribution `{kind}`: allowed `normal`, `lognormal`, `beta`, \
                     `gamma`, `uniform`, `triangular`"
                ))
            }
        };
        for k in t.keys() {
            if k != "dist" && !keys.contains(&k.as_str()) {
                return Err(format!(
                    "unknown key `{k}` for a {kind} distribution: allowed {}",
                    code_list(keys)
                ));
            }
        }
        let mut v = Vec::new();
        for k in keys {
            let x = match t.get(*k) {
                Some(Value::Float(f)) => *f,
                Some(Value::Integer(i)) => *i as f64,
                _ => return Err(format!("a {kind} distribution needs a number `{k}`")),
            };
            if !x.is_finite() {
                return Err(format!("`{k}` must be a finite number"));
            }
            v.push(x);
        }
        let d = match kind {
            "normal" => Dist::Normal {
                mean: v[0],
                sd: v[1],
            },
            "lognormal" => Dist::Lognormal {
                median: v[0],
                p95: v[1],
            },
            "beta" => Dist::Beta {
                mean: v[0],
                sd: v[1],
            },
            "gamma" => Dist::Gamma {
                shape: v[0],
                scale: v[1],
            },
            "uniform" => Dist::Uniform {
                min: v[0],
                max: v[1],
            },
            _ => Dist::Triangular {
                min: v[0],
                mode: v[1],
                max: v[2],
            },
        };
        d.quantile(0.5).map(|_| d)
    }

    /// The `q`-quantile (inverse CDF); `Err` when the parameters are invalid.
    pub fn quantile(&self, q: f64) -> Result<f64, String> {
        let bad = |m: &str| Err(m.to_string());
        let x = match *self {
            Dist::Posterior {
                index, ref joint, ..
            } => joint.quantile(index, q),
            Dist::Normal { mean, sd } => {
                if sd <= 0.0 {
                    return bad("`sd` must be > 0");
                }
                Normal::new(mean, sd)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
            Dist::Lognormal { median, p95 } => {
                if median <= 0.0 || p95 <= median {
                    return bad("allowed 0 < `median` < `p95`");
                }
                let sigma = (p95 / median).ln() / Z95;
                LogNormal::new(median.ln(), sigma)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
            Dist::Beta { mean, sd } => {
                let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
                if !(0.0 < mean && mean < 1.0) || sd <= 0.0 || k <= 0.0 {
                    return bad("allowed 0 < `mean` < 1 and 0 < `sd`² < mean·(1 − mean)");
                }
                if mean * k > MAX_SHAPE || (1.0 - mean) * k > MAX_SHAPE {
                    let least = 1.0001
                        * (mean * (1.0 - mean) / (MAX_SHAPE / mean.max(1.0 - mean) + 1.0)).sqrt();
                    return Err(format!(
                        "`sd` {} makes the distribution too concentrated to compute (both \
                         beta shapes at most 1000000): allowed `sd` ≥ {least:.3e} for this \
                         mean, or give the number itself",
                        crate::model::limits::show(sd)
                    ));
                }
                Beta::new(mean * k, (1.0 - mean) * k)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
            Dist::Gamma { shape, scale } => {
                if shape <= 0.0 || scale <= 0.0 {
                    return bad("allowed `shape` > 0 and `scale` > 0");
                }
                if shape > MAX_SHAPE {
                    return bad(
                        "allowed `shape` ≤ 1000000: a larger shape is a fixed number (give the \
                         number itself)",
                    );
                }
                Gamma::new(shape, 1.0 / scale)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
            Dist::Uniform { min, max } => {
                if max <= min {
                    return bad("allowed `min` < `max`");
                }
                Uniform::new(min, max)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
            Dist::Triangular { min, mode, max } => {
                if !(min <= mode && mode <= max && min < max) {
                    return bad("allowed `min` ≤ `mode` ≤ `max`, `min` < `max`");
                }
                Triangular::new(min, max, mode)
                    .map_err(|e| e.to_string())?
                    .inverse_cdf(q)
            }
        };
        Ok(x)
    }

    /// The probability density at `x` (0 outside the support). A posterior
    /// column has no density of its own: 1 within its range, 0 outside.
    pub fn density(&self, x: f64) -> f64 {
        use statrs::distribution::Continuous;
        let (lo, hi) = self.support();
        if !(lo..=hi).contains(&x) {
            return 0.0;
        }
        match *self {
            Dist::Normal { mean, sd } => Normal::new(mean, sd).map_or(0.0, |d| d.pdf(x)),
            Dist::Lognormal { median, p95 } => {
                LogNormal::new(median.ln(), (p95 / median).ln() / Z95).map_or(0.0, |d| d.pdf(x))
            }
            Dist::Beta { mean, sd } => {
                let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
                Beta::new(mean * k, (1.0 - mean) * k).map_or(0.0, |d| d.pdf(x))
            }
            Dist::Gamma { shape, scale } => {
                Gamma::new(shape, 1.0 / scale).map_or(0.0, |d| d.pdf(x))
            }
            Dist::Uniform { min, max } => Uniform::new(min, max).map_or(0.0, |d| d.pdf(x)),
            Dist::Triangular { min, mode, max } => {
                Triangular::new(min, max, mode).map_or(0.0, |d| d.pdf(x))
            }
            Dist::Posterior { .. } => 1.0,
        }
    }

    /// The support: the values a draw can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Lognormal { .. } | Dist::Gamma { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
            Dist::Uniform { min, max } | Dist::Triangular { min, max, .. } => (min, max),
            Dist::Posterior {
                index, ref joint, ..
            } => joint.range(index),
        }
    }
}

/// An uncertain parameter: a dotted scenario key and its distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub path: String,
    pub dist: Dist,
    pub median: f64,
    /// The key is a whole number: draws are rounded.
    pub integer: bool,
    /// Stream key derived from the path (FNV-1a, portable).
    #[serde(skip)]
    pub key: u64,
}

/// How parameters are set in a replication.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// Each parameter drawn from its distribution (PSA).
    Random,
    /// Every parameter at its median (`--fixed`).
    Median,
    /// Every parameter at its median except one at quantile `q` (tornado).
    OneAt { param: usize, q: f64 },
}

/// A scenario with its uncertain parameters.
#[derive(Debug, Clone)]
pub struct Model {
    pub file: String,
    /// Resolved scenario table with medians in place of distributions.
    template: Table,
    pub params: Vec<Param>,
    /// The scenario with every parameter at its median.
    pub base: Scenario,
}

/// Replaces every `{ dist = ... }` table in `v` by its median, collecting
/// the parameters with their dotted paths.
fn extract(v: &mut Value, path: &str, out: &mut Vec<(String, Dist)>) -> Result<(), Problem> {
    match v {
        Value::Table(t) if t.contains_key("dist") => {
            let d = Dist::parse(t).map_err(|message| Problem {
                key: path.to_string(),
                message,
            })?;
            let m = d.quantile(0.5).map_err(|message| Problem {
                key: path.to_string(),
                message,
            })?;
            *v = Value::Float(m);
            out.push((path.to_string(), d));
        }
        Value::Table(t) => {
            for (k, child) in t.iter_mut() {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                extract(child, &p, out)?;
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter_mut().enumerate() {
                extract(child, &format!("{path}[{i}]"), out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Deserializes `root`, whose uncertain keys hold their medians
/// (`medians`): a key that takes whole numbers only and refuses its median
/// as a fraction takes it rounded, as its draws are ([`Param::integer`]).
/// Returns the scenario and the tree it came from.
fn from_medians(
    mut root: Value,
    medians: &[(String, f64)],
    file: &str,
) -> Result<(Scenario, Table), ScenarioError> {
    let mut rounded: Vec<&str> = Vec::new();
    loop {
        let Value::Table(t) = &root else {
            unreachable!("the root of a TOML document is a table")
        };
        let problem = match load::from_table(t.clone(), file) {
            Ok(s) => {
                let Value::Table(t) = root else {
                    unreachable!("the root of a TOML document is a table")
                };
                return Ok((s, t));
            }
            Err(ScenarioError::Key { problem, .. })
                if problem.message.contains("floating point") =>
            {
                problem
            }
            Err(e) => return Err(e),
        };
        // Each key once: a whole number that still fails is the error.
        let found = medians
            .iter()
            .find(|(p, _)| *p == problem.key && !rounded.contains(&p.as_str()));
        let Some((path, m)) = found else {
            return Err(ScenarioError::Key {
                file: file.to_string(),
                problem,
            });
        };
        load::set_path(&mut root, path, Value::Integer(m.round() as i64)).map_err(|message| {
            ScenarioError::Key {
                file: file.to_string(),
                problem: Problem {
                    key: path.clone(),
                    message,
                },
            }
        })?;
        rounded.push(path);
    }
}

fn number(x: f64, integer: bool) -> Value {
    if integer {
        Value::Integer(x.round().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
    } else {
        Value::Float(x)
    }
}

/// What a valid scenario's KPIs (`[[kpis]]`) measure and when, against its
/// compiled plan (its metrics, cohorts, states and months): each problem
/// names `kpis[i].value` or `kpis[i].at` and says what is allowed.
fn check_kpis(s: &Scenario) -> Vec<Problem> {
    if s.kpis.is_empty() {
        return Vec::new();
    }
    let plan = crate::sim::plan::Plan::new(s);
    s.kpis
        .iter()
        .enumerate()
        .filter_map(|(k, kpi)| {
            let (field, message) = crate::sim::quantity::parse(&kpi.value, &kpi.at, &plan).err()?;
            Some(Problem {
                key: format!("kpis[{k}].{field}"),
                message,
            })
        })
        .collect()
}

impl Model {
    /// Reads a scenario file whose values may be distributions.
    pub fn load(path: &Path, sets: &[String]) -> Result<Model, ScenarioError> {
        let file = path.display().to_string();
        let text = crate::model::limits::read_text(path).map_err(|source| ScenarioError::Read {
            file: file.clone(),
            source,
        })?;
        Model::from_str(&text, &file, sets)
    }

    /// As [`Model::load`], from text; `file` names it in messages.
    pub fn from_str(text: &str, file: &str, sets: &[String]) -> Result<Model, ScenarioError> {
        let key_err = |problem: Problem| ScenarioError::Key {
            file: file.to_string(),
            problem,
        };
        let mut table: Table = toml::from_str(text).map_err(|e| ScenarioError::Syntax {
            file: file.to_string(),
            message: e.to_string().trim().to_string(),
        })?;
        let joint = match table.remove("uncertainty") {
            Some(u) => Some(read_joint(&u, file)?),
            None => None,
        };
        // 1. Distributions in the file, replaced by medians.
        let mut root = Value::Table(table);
        let mut found = Vec::new();
        extract(&mut root, "", &mut found).map_err(key_err)?;
        // A posterior column holds its marginal median in the tree.
        if let Some(j) = &joint {
            for (k, path) in j.paths.iter().enumerate() {
                if found.iter().any(|(p, _)| p == path) {
                    return Err(key_err(Problem {
                        key: path.clone(),
                        message: format!(
                            "it is a distribution here and a column of the posterior `{}`; \
                             give it once",
                            j.file
                        ),
                    }));
                }
                let m = j.quantile(k, 0.5);
                load::set_path(&mut root, path, number(m, m.fract() == 0.0)).map_err(
                    |message| {
                        key_err(Problem {
                            key: format!("uncertainty.posterior.file (column `{path}`)"),
                            message,
                        })
                    },
                )?;
            }
        }
        // 2. Resolve defaults, then put the distributions back so that
        //    `--set` may replace one by a number or add another.
        let mut medians: Vec<(String, f64)> = found
            .iter()
            .map(|(p, d)| (p.clone(), d.quantile(0.5).unwrap_or(f64::NAN)))
            .collect();
        if let Some(j) = &joint {
            medians.extend(
                j.paths
                    .iter()
                    .enumerate()
                    .map(|(k, p)| (p.clone(), j.quantile(k, 0.5))),
            );
        }
        let (scenario, _) = from_medians(root, &medians, file)?;
        let mut resolved = Value::Table(load::to_table(&scenario)?);
        for (path, d) in &found {
            let v = Value::try_from(d).map_err(|e| {
                key_err(Problem {
                    key: path.clone(),
                    message: e.to_string(),
                })
            })?;
            load::set_path(&mut resolved, path, v).map_err(|message| {
                key_err(Problem {
                    key: path.clone(),
                    message,
                })
            })?;
        }
        for arg in sets {
            load::apply_set(&mut resolved, arg, file)?;
        }
        // A `--set` of a posterior column fixes it: the column is dropped.
        let joint: Option<Shared> = joint.map(|mut j| {
            for arg in sets {
                let key = arg.split_once('=').map_or("", |(k, _)| k.trim());
                if let Some(k) = j.paths.iter().position(|p| p == key) {
                    j = j.without(k);
                }
            }
            Shared::new(j)
        });
        // 3. The final set of parameters.
        let mut found = Vec::new();
        extract(&mut resolved, "", &mut found).map_err(key_err)?;
        let medians: Vec<(String, f64)> = found
            .iter()
            .map(|(p, d)| (p.clone(), d.quantile(0.5).unwrap_or(f64::NAN)))
            .collect();
        let (base, template) = from_medians(resolved, &medians, file)?;
        let mut params = Vec::new();
        if let Some(j) = joint.as_ref().filter(|j| !j.paths.is_empty()) {
            // Whole rows: set each column's median where it is integer.
            for (index, path) in j.paths.iter().enumerate() {
                let median = j.quantile(index, 0.5);
                params.push(Param {
                    key: posterior::joint_key(),
                    integer: is_integer_key(&template, path, median, file),
                    path: path.clone(),
                    median,
                    dist: Dist::Posterior {
                        file: j.file.clone(),
                        sha256: j.sha256.clone(),
                        column: path.clone(),
                        index,
                        joint: j.clone(),
                    },
                });
            }
        }
        for (path, dist) in found {
            let median = dist.quantile(0.5).unwrap_or(f64::NAN);
            let integer = is_integer_key(&template, &path, median, file);
            params.push(Param {
                key: crate::model::hash::fnv1a(&path),
                path,
                dist,
                median,
                integer,
            });
        }
        let model = Model {
            file: file.to_string(),
            template,
            params,
            base,
        };
        model.check()?;
        Ok(model)
    }

    /// Whether the key at `path` takes whole numbers only (a fraction near
    /// `near` there does not deserialize): by the key's type, not by the
    /// range of values it allows.
    pub fn takes_whole_numbers(&self, path: &str, near: f64) -> bool {
        is_integer_key(&self.template, path, near, &self.file)
    }

    /// Whether any value is uncertain.
    pub fn is_uncertain(&self) -> bool {
        !self.params.is_empty()
    }

    /// Validates the median scenario, and each parameter at both ends of
    /// its support: a distribution that allows values a key does not (a
    /// probability above 1) is an error here, not a silent clamp later.
    fn check(&self) -> Result<(), ScenarioError> {
        let invalid = |problems| ScenarioError::Invalid {
            file: self.file.clone(),
            problems,
        };
        let problems = validate::check(&self.base);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let problems = check_kpis(&self.base);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let mut problems = Vec::new();
        for p in self.params.iter().filter(|p| is_shared_key(&p.path)) {
            problems.push(Problem {
                key: p.path.clone(),
                message: "it cannot be uncertain (a distribution or a posterior column): every \
                          replication of a run shares it; give one value"
                    .into(),
            });
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        for (i, p) in self.params.iter().enumerate() {
            // The limits (counts, rates, money) against the smallest and
            // largest value a draw can actually take: the quantiles of the
            // smallest and largest uniform number the stream gives. A tail
            // beyond them is never drawn; anything within them may be.
            for q in [0.0, Q_MAX] {
                let x = p.dist.quantile(q).unwrap_or(f64::NAN);
                let s = self.with_values(&[(i, x.clamp(-1e300, 1e300))])?;
                for prob in validate::check_limits(&s) {
                    problems.push(Problem {
                        key: p.path.clone(),
                        message: format!(
                            "the distribution can draw {}, and with that key `{}` is refused \
                             ({}); choose a distribution whose draws all stay within the limit",
                            crate::model::limits::show(x),
                            prob.key,
                            prob.message
                        ),
                    });
                }
            }
            let (lo, hi) = p.dist.support();
            for end in [lo, hi] {
                let x = end.clamp(-1e300, 1e300);
                let s = self.with_values(&[(i, x)])?;
                for prob in validate::check_rules(&s) {
                    let related = prob.key == p.path
                        || prob.key.starts_with(&format!("{}.", p.path))
                        || p.path.starts_with(&prob.key);
                    if related {
                        let allowed = prob
                            .message
                            .rsplit(": ")
                            .next()
                            .unwrap_or("")
                            .trim_start_matches("allowed ");
                        problems.push(Problem {
                            key: p.path.clone(),
                            message: format!(
                                "the distribution can draw {end}, but this key takes values {allowed}; \
                                 choose a distribution whose values all fit (e.g. `beta` for a \
                                 probability, `lognormal` or `gamma` for a positive number)"
                            ),
                        });
                    }
                }
            }
        }
        problems.dedup_by(|a, b| a.key == b.key);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(invalid(problems))
        }
    }

    /// The scenario with the given parameters set to values, the others at
    /// their medians.
    fn with_values(&self, values: &[(usize, f64)]) -> Result<Scenario, ScenarioError> {
        if values.is_empty() {
            return Ok(self.base.clone());
        }
        let mut root = Value::Table(self.template.clone());
        for &(i, x) in values {
            let p = &self.params[i];
            load::set_path(&mut root, &p.path, number(x, p.integer)).map_err(|message| {
                ScenarioError::Key {
                    file: self.file.clone(),
                    problem: Problem {
                        key: p.path.clone(),
                        message,
                    },
                }
            })?;
        }
        let Value::Table(t) = root else {
            unreachable!("the template is a table")
        };
        load::from_table(t, &self.file)
    }

    /// The values of every parameter in replication `rep`.
    pub fn values(&self, rep: u64, draw: &Draw) -> Vec<f64> {
        let seed = self.base.seed;
        // The posterior's row of this replication: one draw for all columns.
        let row = || {
            let b = rng::base(seed, rep, posterior::joint_key());
            rng::nth_uniform(b, Purpose::Parameters, 0)
        };
        self.params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if let (Draw::Random, Dist::Posterior { index, joint, .. }) = (draw, &p.dist) {
                    return joint.rows[joint.row(row())][*index];
                }
                let q = match *draw {
                    Draw::Random => {
                        let b = rng::base(seed, rep, p.key);
                        rng::nth_uniform(b, Purpose::Parameters, 0)
                    }
                    Draw::Median => 0.5,
                    Draw::OneAt { param, q } if param == i => q,
                    Draw::OneAt { .. } => 0.5,
                };
                let x = p.dist.quantile(q).unwrap_or(p.median);
                if p.integer {
                    x.round()
                } else {
                    x
                }
            })
            .collect()
    }

    /// The scenario of replication `rep`.
    pub fn scenario(&self, rep: u64, draw: &Draw) -> Result<Scenario, ScenarioError> {
        if !self.is_uncertain() {
            return Ok(self.base.clone());
        }
        let values: Vec<(usize, f64)> = self.values(rep, draw).into_iter().enumerate().collect();
        let s = self.with_values(&values)?;
        let problems = validate::check(&s);
        if problems.is_empty() {
            Ok(s)
        } else {
            Err(ScenarioError::Invalid {
                file: format!("{} (replication {rep}: drawn values)", self.file),
                problems,
            })
        }
    }

    /// The resolved scenario as TOML, every default filled in and the
    /// distributions shown where they are: what `fleksim validate` prints,
    /// and the text [`Model::sha256`] hashes.
    pub fn resolved_toml(&self) -> Result<String, SerializeError> {
        let err = |message: String| SerializeError {
            scenario: self.base.name.clone(),
            format: "TOML",
            message,
        };
        let mut root = Value::Table(load::to_table(&self.base)?);
        for p in &self.params {
            if let Dist::Posterior { file, sha256, .. } = &p.dist {
                // The columns stay at their medians; the table names the
                // file by its hash, so a changed file changes the hash.
                let mut t = Table::new();
                t.insert("file".into(), Value::String(file.clone()));
                t.insert("sha256".into(), Value::String(sha256.clone()));
                let mut u = Table::new();
                u.insert("posterior".into(), Value::Table(t));
                if let Value::Table(r) = &mut root {
                    r.insert("uncertainty".into(), Value::Table(u));
                }
                continue;
            }
            let v = Value::try_from(&p.dist).map_err(|e| err(format!("`{}`: {e}", p.path)))?;
            load::set_path(&mut root, &p.path, v).map_err(|e| err(format!("`{}`: {e}", p.path)))?;
        }
        match root {
            Value::Table(t) => toml::to_string(&t).map_err(|e| err(e.to_string())),
            _ => Err(err("the scenario is not a table".into())),
        }
    }

    /// The scenario's identity in every manifest (`scenario_sha256`): the
    /// SHA-256 of [`Model::resolved_toml`], so any change of any key,
    /// a distribution's parameter included, changes it.
    pub fn sha256(&self) -> Result<String, SerializeError> {
        Ok(crate::model::hash::sha256_hex(
            self.resolved_toml()?.as_bytes(),
        ))
    }
}

/// The folder of the scenario file `file` (`.` for a bare name).
fn scenario_dir(file: &str) -> std::path::PathBuf {
    match Path::new(file).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Reads `[uncertainty.posterior]` and its file (relative to the scenario
/// file `file`).
fn read_joint(u: &Value, file: &str) -> Result<Joint, ScenarioError> {
    let err = |key: &str, message: String| ScenarioError::Key {
        file: file.to_string(),
        problem: Problem {
            key: key.to_string(),
            message,
        },
    };
    let Some(post) = u.as_table().and_then(|t| {
        (t.len() == 1)
            .then(|| t.get("posterior"))
            .flatten()
            .and_then(Value::as_table)
    }) else {
        return Err(err(
            "uncertainty",
            "expected one table `[uncertainty.posterior]` with `file` (and optionally `sha256`)"
                .into(),
        ));
    };
    for k in post.keys() {
        if k != "file" && k != "sha256" {
            return Err(err(
                &format!("uncertainty.posterior.{k}"),
                "unknown key: allowed `file`, `sha256`".into(),
            ));
        }
    }
    let Some(name) = post.get("file").and_then(Value::as_str) else {
        return Err(err(
            "uncertainty.posterior.file",
            "expected the posterior CSV file, relative to this scenario (a string)".into(),
        ));
    };
    let path = scenario_dir(file).join(name);
    let text = crate::model::limits::read_text(&path).map_err(|e| {
        err(
            "uncertainty.posterior.file",
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    let joint = Joint::parse(name, &text).map_err(|m| {
        err(
            "uncertainty.posterior.file",
            format!("`{}`: {m}", path.display()),
        )
    })?;
    if let Some(want) = post.get("sha256") {
        if want.as_str() != Some(joint.sha256.as_str()) {
            return Err(err(
                "uncertainty.posterior.sha256",
                format!(
                    "`{}` has SHA-256 {}, not the one given; the file changed since the \
                     scenario was written (remove `sha256` to accept it)",
                    path.display(),
                    joint.sha256
                ),
            ));
        }
    }
    Ok(joint)
}

/// Whether the key at `path` takes whole numbers: a fractional value there
/// does not deserialize.
fn is_integer_key(template: &Table, path: &str, median: f64, file: &str) -> bool {
    let mut root = Value::Table(template.clone());
    let x = if median.fract() == 0.0 {
        median + 0.5
    } else {
        median
    };
    if load::set_path(&mut root, path, Value::Float(x)).is_err() {
        return false;
    }
    match root {
        Value::Table(t) => load::from_table(t, file).is_err(),
        _ => false,
    }
}
