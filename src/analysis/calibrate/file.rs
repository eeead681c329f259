//! Reading a calibration file: TOML (unknown keys are errors) → a checked
//! [`Calibration`]: the base scenario with the file's `set`, each
//! parameter's prior tried on the scenario at both ends, each target's
//! metric and month resolved against the scenario's plan.

use super::target::{self, Target};
use crate::input::uncertain::{Dist, Model};
use crate::model::error::InputError;
use crate::sim::plan::Plan;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// Header of a targets CSV file.
pub const TARGETS_HEADER: &str = "month,metric,value,lower,upper";

/// The most parameters a calibration fits.
pub const MAX_PARAMETERS: usize = 64;
/// The most targets.
pub const MAX_TARGETS: usize = 10_000;
/// The most points in a generation, and replications per point.
pub const MAX_PARTICLES: usize = 100_000;
pub const MAX_REPLICATIONS: u32 = 10_000;
/// The most generations.
pub const MAX_GENERATIONS: u32 = 100;
/// The most model evaluations.
pub const MAX_EVALUATIONS: u64 = 10_000_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalibration {
    name: Option<String>,
    scenario: String,
    seed: Option<u64>,
    #[serde(default)]
    set: Table,
    #[serde(default = "default_particles")]
    particles: usize,
    initial_points: Option<usize>,
    #[serde(default = "default_generations")]
    generations: u32,
    #[serde(default)]
    replications: RawReplications,
    #[serde(default = "default_quantile")]
    quantile: f64,
    #[serde(default = "default_max_evaluations")]
    max_evaluations: u64,
    #[serde(default)]
    parameters: Table,
    #[serde(default)]
    targets: Vec<RawTarget>,
    targets_csv: Option<String>,
}

fn default_particles() -> usize {
    100
}
fn default_generations() -> u32 {
    8
}
fn default_quantile() -> f64 {
    0.5
}
fn default_max_evaluations() -> u64 {
    20_000
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplications {
    start: u32,
    max: u32,
}

impl Default for RawReplications {
    fn default() -> Self {
        RawReplications { start: 2, max: 16 }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Option<String>,
    metric: String,
    month: Option<String>,
    months_since_entry: Option<u32>,
    value: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    se: Option<f64>,
    #[serde(default = "yes")]
    fit: bool,
}

fn yes() -> bool {
    true
}

/// A parameter's prior.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// Uniform on `[low, high]`.
    Range(f64, f64),
    /// A distribution, as scenario files write them.
    Dist(Dist),
}

impl Prior {
    /// The `q`-quantile.
    pub fn quantile(&self, q: f64) -> f64 {
        match self {
            Prior::Range(lo, hi) => lo + (hi - lo) * q,
            Prior::Dist(d) => d.quantile(q).unwrap_or(f64::NAN),
        }
    }

    /// The density (up to a constant for a range).
    pub fn density(&self, x: f64) -> f64 {
        match self {
            Prior::Range(lo, hi) => {
                if (*lo..=*hi).contains(&x) {
                    1.0 / (hi - lo)
                } else {
                    0.0
                }
            }
            Prior::Dist(d) => d.density(x),
        }
    }

    /// As written in the manifest and the calibration's hash.
    pub fn describe(&self) -> serde_json::Value {
        match self {
            Prior::Range(lo, hi) => serde_json::json!([lo, hi]),
            Prior::Dist(d) => serde_json::to_value(d).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A parameter to fit: a dotted scenario key and its prior.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub path: String,
    pub prior: Prior,
    /// The key takes whole numbers: values are rounded.
    pub integer: bool,
}

/// A calibration file, checked.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The calibration file, for messages.
    pub file: String,
    pub name: String,
    /// The base scenario's path and text.
    pub scenario_path: PathBuf,
    pub scenario_text: String,
    /// `--set` strings of the file's `set` (and the seed).
    pub sets: Vec<String>,
    pub seed: u64,
    pub particles: usize,
    pub initial_points: usize,
    pub generations: u32,
    pub reps_start: u32,
    pub reps_max: u32,
    pub quantile: f64,
    pub max_evaluations: u64,
    pub parameters: Vec<Parameter>,
    pub targets: Vec<Target>,
    /// The base model with `set` applied (the calibration's scenario).
    pub model: Model,
}

fn input(file: &str, message: impl std::fmt::Display) -> InputError {
    InputError(format!("`{file}`: {message}"))
}

/// Flattens a table of dotted keys: a leaf is anything but a table, or a
/// table with `dist` (a distribution). TOML sorts keys, so the order is
/// by key.
fn flatten(t: &Table, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (k, v) in t {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Table(inner) if !inner.contains_key("dist") => flatten(inner, &key, out),
            _ => out.push((key, v.clone())),
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A parameter value as a `--set` string (whole numbers for an integer key).
pub fn set_arg(p: &Parameter, x: f64) -> String {
    if p.integer {
        format!("{}={}", p.path, x.round() as i64)
    } else {
        format!("{}={}", p.path, Value::Float(x))
    }
}

impl Calibration {
    /// Reads and checks a calibration file.
    pub fn load(path: &Path) -> anyhow::Result<Calibration> {
        let file = path.display().to_string();
        let text = crate::model::limits::read_text(path)
            .map_err(|e| input(&file, format!("cannot read it: {e}")))?;
        let raw: RawCalibration = toml::from_str(&text)
            .map_err(|e| input(&file, e.to_string().trim().replace('\n', " ")))?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = raw.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map_or("calibration".into(), |s| s.to_string_lossy().into_owned())
        });
        if let Some(why) = crate::model::limits::name_problem(&name) {
            return Err(input(&file, format!("key `name`: `{name}` is not allowed: {why}")).into());
        }
        let scenario_path = dir.join(&raw.scenario);
        let scenario_text = crate::model::limits::read_text(&scenario_path).map_err(|e| {
            input(
                &file,
                format!(
                    "key `scenario`: cannot read `{}`: {e}",
                    scenario_path.display()
                ),
            )
        })?;
        let mut sets = Vec::new();
        let mut fixed = Vec::new();
        flatten(&raw.set, "", &mut fixed);
        for (k, v) in &fixed {
            if k == "seed" {
                return Err(input(
                    &file,
                    "key `set.seed`: give the seed as the calibration's own `seed`",
                )
                .into());
            }
            sets.push(format!("{k}={v}"));
        }
        let scenario_file = scenario_path.display().to_string();
        let base = Model::from_str(&scenario_text, &scenario_file, &sets)?;
        let seed = raw.seed.unwrap_or(base.base.seed);
        if seed > crate::model::limits::MAX_SEED {
            return Err(input(
                &file,
                format!(
                    "key `seed`: {seed} is not allowed: 0 to {}",
                    crate::model::limits::MAX_SEED
                ),
            )
            .into());
        }
        sets.push(format!("seed={seed}"));
        let model = Model::from_str(&scenario_text, &scenario_file, &sets)?;
        check_settings(&raw, &file)?;
        let parameters = parameters(&raw.parameters, &file, &model, &scenario_text, &sets)?;
        let plan = Plan::new(&model.base);
        let mut targets = Vec::new();
        for (i, t) in raw.targets.iter().enumerate() {
            targets.push(resolve_target(t, &plan).map_err(|m| {
                input(
                    &file,
                    format!(
                        "target {} (`targets[{i}]`, metric `{}`): {m}",
                        i + 1,
                        t.metric
                    ),
                )
            })?);
        }
        if let Some(csv) = &raw.targets_csv {
            let csv_path = dir.join(csv);
            let csv_file = csv_path.display().to_string();
            let text = crate::model::limits::read_text(&csv_path).map_err(|e| {
                input(
                    &file,
                    format!("key `targets_csv`: cannot read `{csv_file}`: {e}"),
                )
            })?;
            targets.extend(targets_csv(&text, &csv_file, &plan)?);
        }
        // Each target once: fit.csv and the report name them.
        for (i, t) in targets.iter().enumerate() {
            if targets[..i].iter().any(|o| o.name == t.name) {
                return Err(input(
                    &file,
                    format!(
                        "the target `{}` is given twice (in `[[targets]]` or `targets_csv`): give \
                         each once, or name them apart with `name`",
                        t.name
                    ),
                )
                .into());
            }
        }
        if targets.is_empty() {
            return Err(input(
                &file,
                "no targets: give `[[targets]]` or `targets_csv` (docs/calibration.md)",
            )
            .into());
        }
        if !targets.iter().any(|t| t.fitted) {
            return Err(input(&file, "every target has `fit = false`: fit at least one").into());
        }
        if targets.len() > MAX_TARGETS {
            return Err(input(&file, format!("more than {MAX_TARGETS} targets")).into());
        }
        Ok(Calibration {
            file,
            name,
            scenario_path,
            scenario_text,
            sets,
            seed,
            particles: raw.particles,
            initial_points: raw.initial_points.unwrap_or(raw.particles * 5),
            generations: raw.generations,
            reps_start: raw.replications.start,
            reps_max: raw.replications.max,
            quantile: raw.quantile,
            max_evaluations: raw.max_evaluations,
            parameters,
            targets,
            model,
        })
    }

    /// The model of one point: the base scenario with the file's `set`
    /// and the parameters at `theta`.
    pub fn point_model(&self, theta: &[f64]) -> Result<Model, crate::model::error::ScenarioError> {
        let mut sets = self.sets.clone();
        for (p, &x) in self.parameters.iter().zip(theta) {
            sets.push(set_arg(p, x));
        }
        Model::from_str(
            &self.scenario_text,
            &self.scenario_path.display().to_string(),
            &sets,
        )
    }

    /// What the sampler's path depends on, for the hash that decides
    /// whether a folder's checkpoint can be resumed. The limits
    /// `generations` and `max_evaluations` are not part of it: raising
    /// them and running again continues a calibration that stopped on them.
    pub fn identity(&self) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::json!({
            "scenario_sha256": self.model.sha256()?,
            "seed": self.seed,
            "particles": self.particles,
            "initial_points": self.initial_points,
            "replications": { "start": self.reps_start, "max": self.reps_max },
            "quantile": self.quantile,
            "parameters": self.parameters.iter().map(|p| serde_json::json!({
                "path": p.path, "prior": p.prior.describe(), "integer": p.integer,
            })).collect::<Vec<_>>(),
            "targets": self.targets.iter().map(|t| serde_json::json!({
                "name": t.name, "metric": t.metric, "month": t.month,
                "value": t.value, "lower": t.lower, "upper": t.upper, "fit": t.fitted,
            })).collect::<Vec<_>>(),
        }))
    }
}

fn check_settings(raw: &RawCalibration, file: &str) -> Result<(), InputError> {
    let bad = |key: &str, v: String, allowed: String| {
        Err(input(
            file,
            format!("key `{key}`: {v} is not allowed: {allowed}"),
        ))
    };
    if raw.particles < 2 || raw.particles > MAX_PARTICLES {
        return bad(
            "particles",
            raw.particles.to_string(),
            format!("2 to {MAX_PARTICLES}"),
        );
    }
    if let Some(n) = raw.initial_points {
        if n < raw.particles || n > MAX_PARTICLES * 10 {
            return bad(
                "initial_points",
                n.to_string(),
                format!("`particles` ({}) to {}", raw.particles, MAX_PARTICLES * 10),
            );
        }
    }
    if raw.generations < 1 || raw.generations > MAX_GENERATIONS {
        return bad(
            "generations",
            raw.generations.to_string(),
            format!("1 to {MAX_GENERATIONS}"),
        );
    }
    let r = &raw.replications;
    if r.start < 1 || r.max < r.start || r.max > MAX_REPLICATIONS {
        return bad(
            "replications",
            format!("{{ start = {}, max = {} }}", r.start, r.max),
            format!("1 ≤ start ≤ max ≤ {MAX_REPLICATIONS}"),
        );
    }
    if !(raw.quantile > 0.0 && raw.quantile < 1.0) {
        return bad(
            "quantile",
            raw.quantile.to_string(),
            "above 0 and below 1".into(),
        );
    }
    let initial = raw.initial_points.unwrap_or(raw.particles * 5) as u64;
    if raw.max_evaluations < initial || raw.max_evaluations > MAX_EVALUATIONS {
        return bad(
            "max_evaluations",
            raw.max_evaluations.to_string(),
            format!("`initial_points` ({initial}) to {MAX_EVALUATIONS}"),
        );
    }
    Ok(())
}

/// The parameters, each tried on the scenario at both ends of its prior.
fn parameters(
    table: &Table,
    file: &str,
    model: &Model,
    text: &str,
    sets: &[String],
) -> Result<Vec<Parameter>, InputError> {
    let mut entries = Vec::new();
    flatten(table, "", &mut entries);
    if entries.is_empty() {
        return Err(input(
            file,
            "no `[parameters]`: give at least one, e.g. `\"ly.find_job[0].p\" = [0.03, 0.12]`",
        ));
    }
    if entries.len() > MAX_PARAMETERS {
        return Err(input(
            file,
            format!("more than {MAX_PARAMETERS} parameters"),
        ));
    }
    let scenario_file = model.file.clone();
    let try_value = |key: &str, v: String| -> Result<(), String> {
        let mut s = sets.to_vec();
        s.push(format!("{key}={v}"));
        Model::from_str(text, &scenario_file, &s)
            .map(|_| ())
            .map_err(|e| {
                let mut m = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(c) = src {
                    m.push_str(&format!(": {c}"));
                    src = c.source();
                }
                m
            })
    };
    let mut out = Vec::new();
    for (key, v) in entries {
        if let Some(m) = crate::input::load::path_problem(&key) {
            return Err(input(file, format!("key `parameters.\"{key}\"`: {m}")));
        }
        if ["seed", "replications"].contains(&key.as_str()) {
            return Err(input(
                file,
                format!("key `parameters.{key}` cannot be fitted: it is the calibration's own"),
            ));
        }
        if crate::input::uncertain::is_shared_key(&key) {
            return Err(input(
                file,
                format!(
                    "key `parameters.{key}` cannot be fitted: every evaluation simulates the same \
                     months and follows cohorts as long (set it in `set` or the base scenario \
                     instead)"
                ),
            ));
        }
        if model.params.iter().any(|p| p.path == key) {
            return Err(input(
                file,
                format!(
                    "key `parameters.\"{key}\"` is uncertain in the base scenario already; fix it \
                     there or in `set` before fitting it"
                ),
            ));
        }
        let prior = match &v {
            Value::Array(a) => {
                let nums: Vec<f64> = a.iter().filter_map(number).collect();
                match nums[..] {
                    [lo, hi] if a.len() == 2 && lo.is_finite() && hi.is_finite() && lo < hi => {
                        Prior::Range(lo, hi)
                    }
                    _ => {
                        return Err(input(
                            file,
                            format!(
                                "key `parameters.\"{key}\"`: expected `[low, high]`, two numbers \
                                 with low < high, or a distribution `{{ dist = \"beta\", mean = …, \
                                 sd = … }}`"
                            ),
                        ))
                    }
                }
            }
            Value::Table(_) => {
                // Parse the distribution as a scenario file would.
                let m = Model::from_str(
                    text,
                    &scenario_file,
                    &[sets.to_vec(), vec![format!("{key}={v}")]].concat(),
                )
                .map_err(|e| {
                    input(
                        file,
                        format!("key `parameters.\"{key}\"`: {}", error_chain(&e)),
                    )
                })?;
                match m.params.iter().find(|p| p.path == key) {
                    Some(p) => Prior::Dist(p.dist.clone()),
                    None => {
                        return Err(input(
                            file,
                            format!("key `parameters.\"{key}\"`: not a distribution"),
                        ))
                    }
                }
            }
            _ => {
                return Err(input(
                    file,
                    format!(
                        "key `parameters.\"{key}\"`: expected `[low, high]` or a distribution \
                         `{{ dist = …, … }}`, not `{v}`"
                    ),
                ))
            }
        };
        // Whole-number keys refuse a fraction (by their type: a prior whose
        // values a probability refuses is not made whole by rounding).
        let (lo, hi) = (prior.quantile(0.001), prior.quantile(0.999));
        let integer = model.takes_whole_numbers(&key, (lo + hi) / 2.0);
        let p = Parameter {
            path: key.clone(),
            prior,
            integer,
        };
        for x in [lo, hi] {
            let arg = set_arg(&p, x);
            let v = arg.split_once('=').map_or("", |(_, v)| v).to_string();
            try_value(&key, v).map_err(|m| {
                input(
                    file,
                    format!(
                        "key `parameters.\"{key}\"`: the prior reaches {x}, which the scenario \
                         refuses: {m}"
                    ),
                )
            })?;
        }
        out.push(p);
    }
    Ok(out)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut m = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let s = c.to_string();
        if !m.contains(&s) {
            m.push_str(&format!(": {s}"));
        }
        src = c.source();
    }
    m
}

/// The tolerance interval of a target: `[lower, upper]`, or value ± 2 se.
fn tolerance(
    value: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    se: Option<f64>,
) -> Result<(f64, f64), String> {
    let (lo, hi) =
        match (lower, upper, se) {
            (Some(l), Some(u), None) => (l, u),
            (None, None, Some(se)) if se > 0.0 && se.is_finite() => {
                (value - 2.0 * se, value + 2.0 * se)
            }
            (None, None, Some(se)) => return Err(format!("`se` = {se} is not allowed: above 0")),
            _ => return Err(
                "give a tolerance: both `lower` and `upper`, or `se` (the interval value ± 2·se)"
                    .into(),
            ),
        };
    if !(value.is_finite() && lo.is_finite() && hi.is_finite() && lo < value && value < hi) {
        return Err(format!(
            "the tolerance must hold the value strictly inside it: lower < value < upper, not \
             {lo} < {value} < {hi}"
        ));
    }
    Ok((lo, hi))
}

fn resolve_target(t: &RawTarget, plan: &Plan) -> Result<Target, String> {
    let quantity = target::parse_quantity(&t.metric, plan)?;
    let month = match (&t.month, t.months_since_entry, &quantity) {
        (None, Some(k), target::Quantity::Cohort { .. }) => k.to_string(),
        (Some(m), None, target::Quantity::Metrics { .. }) => m.clone(),
        (_, _, target::Quantity::Cohort { .. }) => {
            return Err("a cohort target takes `months_since_entry`, not `month`".into())
        }
        _ => {
            return Err(
                "give `month`: a month `YYYY-MM`, a period `YYYY-MM/YYYY-MM` or a year `YYYY`"
                    .into(),
            )
        }
    };
    let when = target::parse_when(&month, &quantity, plan)?;
    let (lower, upper) = tolerance(t.value, t.lower, t.upper, t.se)?;
    Ok(Target {
        name: t
            .name
            .clone()
            .unwrap_or_else(|| format!("{}@{month}", t.metric)),
        metric: t.metric.clone(),
        month,
        quantity,
        when,
        value: t.value,
        lower,
        upper,
        fitted: t.fit,
    })
}

/// Targets from a CSV file `month,metric,value,lower,upper`.
pub fn targets_csv(text: &str, file: &str, plan: &Plan) -> Result<Vec<Target>, InputError> {
    // A spreadsheet's byte-order mark is not part of the header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim() == TARGETS_HEADER => {}
        other => {
            return Err(input(
                file,
                format!(
                    "line 1 is `{}`: expected the header `{TARGETS_HEADER}`",
                    other.map_or("", |(_, h)| h)
                ),
            ))
        }
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        let c: Vec<&str> = line.split(',').map(str::trim).collect();
        let at = |m: String| input(file, format!("line {}: {m}", n + 1));
        if c.len() != 5 {
            return Err(at(format!(
                "{} fields, expected 5 ({TARGETS_HEADER})",
                c.len()
            )));
        }
        let num = |i: usize, name: &str| -> Result<f64, InputError> {
            c[i].parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| at(format!("`{name}` = `{}` is not a finite number", c[i])))
        };
        let raw = RawTarget {
            name: None,
            metric: c[1].to_string(),
            month: None,
            months_since_entry: None,
            value: num(2, "value")?,
            lower: Some(num(3, "lower")?),
            upper: Some(num(4, "upper")?),
            se: None,
            fit: true,
        };
        let quantity = target::parse_quantity(&raw.metric, plan).map_err(&at)?;
        let raw = match quantity {
            target::Quantity::Cohort { .. } => RawTarget {
                months_since_entry: Some(c[0].parse().map_err(|_| {
                    at(format!(
                        "a cohort target's month is the months since entry, a whole number, not `{}`",
                        c[0]
                    ))
                })?),
                ..raw
            },
            _ => RawTarget {
                month: Some(c[0].to_string()),
                ..raw
            },
        };
        out.push(resolve_target(&raw, plan).map_err(&at)?);
    }
    if out.len() > MAX_TARGETS {
        return Err(input(file, format!("more than {MAX_TARGETS} targets")));
    }
    Ok(out)
}
