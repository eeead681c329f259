//! `fleksim compare`: what an alternative changes against a baseline, and
//! how sure we are.
//!
//! Every scenario runs with the same seed, so the same people arrive at the
//! same times and draw the same personal random numbers wherever the
//! scenarios agree (common random numbers, MODEL.md "Randomness"). Each
//! alternative is then compared with the baseline replication by
//! replication: the paired difference has far less noise than the
//! difference of two independent runs, and is exactly zero where the
//! scenarios are identical.
//!
//! Alignment rule: all scenarios must have the same `start` and
//! `horizon_months` (differences are taken month by month); `--set`,
//! `--replications` and `--seed` apply to every scenario, and without
//! `--seed` all use the baseline's seed.

use crate::cli::progress_bar;
use crate::engine::Replication;
use crate::error::InputError;
use crate::export::{self, num, AtomicDir};
use crate::metrics::{self as mx, Kind, METRICS};
use crate::month::Month;
use crate::plan::Plan;
use crate::run::scenario_hash;
use crate::stats::{self, Summary};
use crate::uncertain::{Draw, Model};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Baseline scenario file (what we do today).
    pub baseline: PathBuf,
    /// One or more alternative scenario files.
    #[arg(required = true)]
    pub alternatives: Vec<PathBuf>,
    /// Replications (overrides every scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub replications: Option<u32>,
    /// Random seed for every scenario [default: the baseline's seed].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder [default: results/compare-<baseline name>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Months at which to report differences (`YYYY-MM`, repeatable)
    /// [default: 2018-03, the KPI month, if simulated, and the last month].
    #[arg(long = "at", value_name = "YYYY-MM", value_parser = parse_month)]
    pub at: Vec<Month>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Override a key in every scenario (dotted path, TOML value).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

fn parse_month(s: &str) -> Result<Month, String> {
    Month::parse(s).ok_or_else(|| format!("`{s}` is not a month: write YYYY-MM, e.g. 2018-03"))
}

/// The KPI month of the seed project (KPIs measured March 2018).
pub fn kpi_month() -> Month {
    Month::new(2018, 3).unwrap_or_else(|| unreachable!("2018-03 is a month"))
}

/// KPI targets of the seed project.
pub const TARGET_LY_SHARE: f64 = 0.13;
pub const TARGET_PROGRESSION: f64 = 0.35;

/// Which direction of a metric is better, where there is one.
pub fn better_lower(metric: &str) -> Option<bool> {
    match metric {
        "ly_stock" | "ly_stock_le6m" | "ly_share" | "dismissals" | "caseload" | "cost_ly"
        | "net_municipal_cost" | "exits_ly" => Some(true),
        "progression_share" | "hires" | "flex_stock" | "hours_up" => Some(false),
        _ => None,
    }
}

/// Per-replication figures of one scenario that comparisons need.
struct Figures {
    monthly: Vec<Replication>,
    yearly: Vec<Vec<f64>>,
    horizon: Vec<Vec<f64>>,
}

fn figures(plan: &Plan, reps: Vec<Replication>) -> Figures {
    Figures {
        yearly: reps.iter().map(|r| stats::yearly_values(plan, r)).collect(),
        horizon: reps
            .iter()
            .map(|r| stats::horizon_values(plan, r))
            .collect(),
        monthly: reps,
    }
}

/// The results of one alternative against the baseline.
pub struct AltResult {
    pub name: String,
    /// Paired differences per month and metric (`t * N + m`).
    pub monthly: Vec<Summary>,
    /// Rows of `comparison_summary.csv`.
    pub summary: Vec<(String, String, Summary, Option<f64>)>,
    pub payback: Option<Month>,
    pub payback_q: (Option<Month>, Option<Month>),
    pub share_paid_back: f64,
    pub saving_per_year: Summary,
    pub positions: Summary,
    /// Levels of the alternative and the baseline at the KPI month.
    pub levels: Vec<(String, Summary)>,
}

fn level_rows(plan: &Plan, reps: &[Replication], kpi: usize) -> Vec<(String, Summary)> {
    let years = plan.months as f64 / 12.0;
    let pick = |m: usize| stats::summarize(reps.iter().map(|r| r.get(kpi, m)).collect());
    let net = stats::summarize(
        reps.iter()
            .map(|r| {
                (0..plan.months)
                    .map(|t| r.get(t, mx::NET_MUNICIPAL_COST))
                    .sum::<f64>()
                    / years
            })
            .collect(),
    );
    vec![
        ("ly_share_at_kpi".into(), pick(mx::LY_SHARE)),
        (
            "progression_share_at_kpi".into(),
            pick(mx::PROGRESSION_SHARE),
        ),
        ("ly_stock_at_kpi".into(), pick(mx::LY_STOCK)),
        ("net_cost_per_year".into(), net),
    ]
}

/// First month from which a cumulative series stays below zero.
fn payback_index(cum: &[f64]) -> Option<usize> {
    let mut idx = None;
    for (t, &v) in cum.iter().enumerate().rev() {
        if v < 0.0 {
            idx = Some(t);
        } else {
            break;
        }
    }
    idx
}

fn compare_one(
    plan: &Plan,
    base: &Figures,
    alt: &Figures,
    name: &str,
    at: &[usize],
    kpi: usize,
    consultant_cost: f64,
) -> AltResult {
    let months = plan.months;
    let n = base.monthly.len();
    let pairs: Vec<(&Replication, &Replication)> = base.monthly.iter().zip(&alt.monthly).collect();
    let monthly = stats::summarize_cells(&pairs, months * mx::N, |(b, a), c| {
        a.values[c] - b.values[c]
    });
    let better = |diffs: &[f64], metric: &str| -> Option<f64> {
        better_lower(metric).map(|lower| {
            let k = diffs
                .iter()
                .filter(|&&d| if lower { d < 0.0 } else { d > 0.0 })
                .count();
            k as f64 / n.max(1) as f64
        })
    };
    let mut summary = Vec::new();
    for &t in at {
        let period = plan.scenario.month(t).to_string();
        for (i, m) in METRICS.iter().enumerate() {
            let d: Vec<f64> = pairs
                .iter()
                .map(|(b, a)| a.get(t, i) - b.get(t, i))
                .collect();
            let p = better(&d, m.name);
            summary.push((m.name.to_string(), period.clone(), stats::summarize(d), p));
        }
    }
    let ynames = stats::yearly_names();
    for (k, (year, _, _)) in stats::years(plan).iter().enumerate() {
        for (i, m) in METRICS.iter().enumerate() {
            if m.kind != Kind::Flow {
                continue;
            }
            let c = k * ynames.len() + i;
            let d: Vec<f64> = base
                .yearly
                .iter()
                .zip(&alt.yearly)
                .map(|(b, a)| a[c] - b[c])
                .collect();
            let p = better(&d, m.name);
            summary.push((m.name.to_string(), year.to_string(), stats::summarize(d), p));
        }
    }
    for (c, hname) in stats::horizon_names().iter().enumerate() {
        let d: Vec<f64> = base
            .horizon
            .iter()
            .zip(&alt.horizon)
            .map(|(b, a)| a[c] - b[c])
            .collect();
        let root = hname
            .trim_end_matches("_total")
            .trim_end_matches("_npv")
            .trim_end_matches("_avg")
            .trim_end_matches("_end");
        let p = better(&d, root);
        summary.push((hname.clone(), "horizon".into(), stats::summarize(d), p));
    }
    // Break-even and payback from the cumulative net municipal cost.
    let years = months as f64 / 12.0;
    let mut savings = Vec::with_capacity(n);
    let mut paybacks = Vec::with_capacity(n);
    let mut paid = 0usize;
    for (b, a) in &pairs {
        let mut cum = Vec::with_capacity(months);
        let mut acc = 0.0;
        for t in 0..months {
            acc += a.get(t, mx::NET_MUNICIPAL_COST) - b.get(t, mx::NET_MUNICIPAL_COST);
            cum.push(acc);
        }
        savings.push(-acc / years);
        paid += (acc < 0.0) as usize;
        // A replication that never pays back sorts after every month.
        paybacks.push(payback_index(&cum).map_or(f64::INFINITY, |t| t as f64));
    }
    let positions: Vec<f64> = savings
        .iter()
        .map(|s| s / consultant_cost.max(1.0))
        .collect();
    let mean_cum: Vec<f64> = (0..months)
        .map(|t| {
            (0..=t)
                .map(|u| monthly[u * mx::N + mx::NET_MUNICIPAL_COST].mean)
                .sum()
        })
        .collect();
    let pb = stats::summarize(paybacks);
    let to_month = |x: f64| x.is_finite().then(|| plan.scenario.month(x as usize));
    let saving_per_year = stats::summarize(savings.clone());
    let pos = stats::summarize(positions.clone());
    summary.push((
        "net_saving_per_year".into(),
        "horizon".into(),
        saving_per_year,
        Some(savings.iter().filter(|&&s| s > 0.0).count() as f64 / n.max(1) as f64),
    ));
    summary.push(("positions_paid".into(), "horizon".into(), pos, None));
    AltResult {
        name: name.to_string(),
        monthly,
        summary,
        payback: payback_index(&mean_cum).map(|t| plan.scenario.month(t)),
        payback_q: (to_month(pb.p05), to_month(pb.p95)),
        share_paid_back: paid as f64 / n.max(1) as f64,
        saving_per_year,
        positions: pos,
        levels: level_rows(plan, &alt.monthly, kpi),
    }
}

/// A named figure at the KPI month (or per year).
pub type Level = (String, Summary);

/// Options of a comparison.
pub struct CompareOptions {
    pub at: Vec<Month>,
    pub threads: usize,
    pub quiet: bool,
}

/// A finished comparison.
pub struct Comparison {
    pub baseline: String,
    pub base_levels: Vec<(String, Summary)>,
    pub alternatives: Vec<AltResult>,
    pub kpi: Month,
    pub at: Vec<Month>,
}

/// Scenario names made unique (a scenario compared with itself gets `-2`).
fn unique_names(models: &[Model]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in models {
        let mut name = m.base.name.clone();
        let mut k = 2;
        while out.contains(&name) {
            name = format!("{}-{k}", m.base.name);
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Checks the alignment rule.
pub fn check_aligned(models: &[Model]) -> Result<(), InputError> {
    let b = &models[0].base;
    for m in &models[1..] {
        let s = &m.base;
        if s.start != b.start || s.horizon_months != b.horizon_months {
            return Err(InputError(format!(
                "`{}` runs from {} for {} months but the baseline `{}` from {} for {} months: \
                 compared scenarios must share `start` and `horizon_months` \
                 (use --set start=... --set horizon_months=... to align them)",
                m.file, s.start, s.horizon_months, models[0].file, b.start, b.horizon_months
            )));
        }
    }
    Ok(())
}

/// Runs and compares; writes the folder `out`. Returns the comparison.
pub fn compare_to_dir(
    models: &[Model],
    opts: &CompareOptions,
    out: &Path,
) -> anyhow::Result<Comparison> {
    check_aligned(models)?;
    let started = SystemTime::now();
    let clock = Instant::now();
    let dir = AtomicDir::new(out)?;
    let names = unique_names(models);
    let plan = Plan::new(&models[0].base);
    let months = plan.months;
    let end = plan.scenario.end();
    let kpi = if kpi_month() >= plan.scenario.start && kpi_month() <= end {
        kpi_month()
    } else {
        end
    };
    let mut at = if opts.at.is_empty() {
        vec![kpi, end]
    } else {
        opts.at.clone()
    };
    at.sort();
    at.dedup();
    for m in &at {
        if *m < plan.scenario.start || *m > end {
            return Err(InputError(format!(
                "--at {m} is outside the simulated months {} to {end}",
                plan.scenario.start
            ))
            .into());
        }
    }
    let at_idx: Vec<usize> = at
        .iter()
        .map(|m| plan.scenario.start.months_until(*m) as usize)
        .collect();
    let kpi_idx = plan.scenario.start.months_until(kpi) as usize;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let reps = models[0].base.replications as u64;
    let total = reps * models.len() as u64;
    let bar = progress_bar(total, opts.quiet, "compare");
    let mut person_months = 0u64;
    let mut run_one = |i: usize| -> anyhow::Result<Figures> {
        let m = &models[i];
        let r = pool.install(|| m.run(0, reps, &Draw::Random, &|| bar.inc(1)))?;
        person_months += r.iter().map(|x| x.person_months).sum::<u64>();
        let p = Plan::new(&m.base);
        write_run(&dir, &names[i], &p, &r)?;
        Ok(figures(&p, r))
    };
    let base = run_one(0)?;
    let base_levels = level_rows(&plan, &base.monthly, kpi_idx);
    let mut alternatives = Vec::new();
    for i in 1..models.len() {
        let alt = run_one(i)?;
        let cost = models[i].base.money.consultant_annual_cost;
        alternatives.push(compare_one(
            &plan, &base, &alt, &names[i], &at_idx, kpi_idx, cost,
        ));
    }
    bar.finish_and_clear();
    let cmp = Comparison {
        baseline: names[0].clone(),
        base_levels,
        alternatives,
        kpi,
        at,
    };
    dir.write("comparison.csv", &comparison_csv(&plan, &cmp)?)?;
    dir.write("comparison_summary.csv", &summary_csv(&cmp)?)?;
    dir.write("payback.csv", &payback_csv(&cmp)?)?;
    dir.write("steering.csv", &steering_csv(&cmp)?)?;
    let manifest = Manifest {
        kind: "comparison",
        program: "fleksim",
        version: env!("CARGO_PKG_VERSION"),
        baseline: cmp.baseline.clone(),
        alternatives: cmp.alternatives.iter().map(|a| a.name.clone()).collect(),
        seed: models[0].base.seed,
        replications: reps,
        months,
        at: cmp.at.iter().map(Month::to_string).collect(),
        kpi_month: kpi.to_string(),
        threads: pool.current_num_threads(),
        person_months,
        started: humantime::format_rfc3339_seconds(started).to_string(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        scenario_sha256: models
            .iter()
            .zip(&names)
            .map(|(m, n)| (n.clone(), scenario_hash(&m.base)))
            .collect(),
        scenarios: models
            .iter()
            .zip(&names)
            .map(|(m, n)| (n.clone(), serde_json::to_value(&m.base).unwrap_or_default()))
            .collect(),
    };
    dir.write("manifest.json", &serde_json::to_vec_pretty(&manifest)?)?;
    dir.commit()?;
    Ok(cmp)
}

#[derive(Serialize)]
struct Manifest {
    kind: &'static str,
    program: &'static str,
    version: &'static str,
    baseline: String,
    alternatives: Vec<String>,
    seed: u64,
    replications: u64,
    months: usize,
    at: Vec<String>,
    kpi_month: String,
    threads: usize,
    person_months: u64,
    started: String,
    elapsed_seconds: f64,
    scenario_sha256: std::collections::BTreeMap<String, String>,
    scenarios: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Writes a scenario's run files under `runs/<name>/`.
fn write_run(dir: &AtomicDir, name: &str, plan: &Plan, reps: &[Replication]) -> anyhow::Result<()> {
    let monthly = stats::monthly(reps, plan.months);
    let horizon: Vec<Vec<f64>> = reps
        .iter()
        .map(|r| stats::horizon_values(plan, r))
        .collect();
    let names = stats::horizon_names();
    let summary = stats::summarize_cells(&horizon, names.len(), |v, c| v[c]);
    let yearly: Vec<Vec<f64>> = reps.iter().map(|r| stats::yearly_values(plan, r)).collect();
    let ycells = yearly.first().map_or(0, Vec::len);
    let budget = stats::summarize_cells(&yearly, ycells, |v, c| v[c]);
    dir.create_dir(&format!("runs/{name}"))?;
    dir.write(
        &format!("runs/{name}/monthly.csv"),
        &export::monthly_csv(plan, &monthly)?,
    )?;
    dir.write(
        &format!("runs/{name}/summary.csv"),
        &export::summary_csv(&names, &summary)?,
    )?;
    dir.write(
        &format!("runs/{name}/budget.csv"),
        &export::budget_csv(plan, &budget)?,
    )?;
    Ok(())
}

fn row(w: &mut Vec<u8>, lead: &str, s: &Summary, tail: Option<f64>) -> std::io::Result<()> {
    write!(
        w,
        "{lead},{},{},{},{}",
        num(s.mean),
        num(s.p05),
        num(s.p50),
        num(s.p95)
    )?;
    match tail {
        Some(p) => writeln!(w, ",{}", num(p)),
        None => writeln!(w),
    }
}

fn comparison_csv(plan: &Plan, c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,month,metric,mean_diff,p05,p50,p95")?;
    for a in &c.alternatives {
        for t in 0..plan.months {
            let month = plan.scenario.month(t);
            for (i, m) in METRICS.iter().enumerate() {
                row(
                    &mut w,
                    &format!("{},{month},{}", a.name, m.name),
                    &a.monthly[t * mx::N + i],
                    None,
                )?;
            }
        }
    }
    Ok(w)
}

fn summary_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "scenario,metric,period,mean_diff,p05,p50,p95,prob_better"
    )?;
    for a in &c.alternatives {
        for (metric, period, s, p) in &a.summary {
            write!(
                w,
                "{},{metric},{period},{},{},{},{},",
                a.name,
                num(s.mean),
                num(s.p05),
                num(s.p50),
                num(s.p95)
            )?;
            match p {
                Some(p) => writeln!(w, "{}", num(*p))?,
                None => writeln!(w)?,
            }
        }
    }
    Ok(w)
}

fn payback_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,payback_month,share_paid_back")?;
    for a in &c.alternatives {
        let m = a.payback.map(|m| m.to_string()).unwrap_or_default();
        writeln!(w, "{},{m},{}", a.name, num(a.share_paid_back))?;
    }
    Ok(w)
}

fn opt_month(m: Option<Month>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

fn steering_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,indicator,unit,target,p50,p05,p95")?;
    let level =
        |w: &mut Vec<u8>, name: &str, levels: &[(String, Summary)]| -> std::io::Result<()> {
            for (ind, s) in levels {
                let (unit, target) = match ind.as_str() {
                    "ly_share_at_kpi" => ("share", num(TARGET_LY_SHARE)),
                    "progression_share_at_kpi" => ("share", num(TARGET_PROGRESSION)),
                    "ly_stock_at_kpi" => ("people", String::new()),
                    _ => ("DKK/year", String::new()),
                };
                writeln!(
                    w,
                    "{name},{ind},{unit},{target},{},{},{}",
                    num(s.p50),
                    num(s.p05),
                    num(s.p95)
                )?;
            }
            Ok(())
        };
    level(&mut w, &c.baseline, &c.base_levels)?;
    for a in &c.alternatives {
        level(&mut w, &a.name, &a.levels)?;
        let net = a
            .summary
            .iter()
            .find(|(m, p, _, _)| m == "net_municipal_cost_total" && p == "horizon")
            .map(|x| x.2);
        if let Some(s) = net {
            let _ = s;
        }
        let s = &a.saving_per_year;
        writeln!(
            w,
            "{},net_cost_diff_per_year,DKK/year,,{},{},{}",
            a.name,
            num(-s.p50),
            num(-s.p95),
            num(-s.p05)
        )?;
        let p = &a.positions;
        writeln!(
            w,
            "{},positions_paid,consultants,,{},{},{}",
            a.name,
            num(p.p50),
            num(p.p05),
            num(p.p95)
        )?;
        writeln!(
            w,
            "{},payback_month,month,,{},{},{}",
            a.name,
            opt_month(a.payback),
            opt_month(a.payback_q.0),
            opt_month(a.payback_q.1)
        )?;
    }
    Ok(w)
}

/// The steering group's table, for the terminal.
pub fn steering_table(c: &Comparison) -> String {
    let pct = |x: f64| format!("{:.1} %", 100.0 * x);
    let int = |x: f64| format!("{:.0}", x);
    let mdkk = |x: f64| format!("{:+.1} mio.", x / 1e6);
    let cell = |s: &Summary, f: &dyn Fn(f64) -> String| {
        format!("{} ({} – {})", f(s.p50), f(s.p05), f(s.p95))
    };
    let mut out = String::new();
    out.push_str(&format!(
        "Median (90 % interval) over replications; KPIs at {}.\n\n",
        c.kpi
    ));
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let get = |levels: &[(String, Summary)], k: &str| levels.iter().find(|l| l.0 == k).map(|l| l.1);
    let mut header = vec!["".to_string(), c.baseline.clone()];
    header.extend(c.alternatives.iter().map(|a| a.name.clone()));
    let mut line = |label: &str, f: &dyn Fn(&[Level]) -> String| {
        let mut v = vec![f(&c.base_levels)];
        v.extend(c.alternatives.iter().map(|a| f(&a.levels)));
        rows.push((label.to_string(), v));
    };
    line(
        &format!("LY share (target {})", pct(TARGET_LY_SHARE)),
        &|l| get(l, "ly_share_at_kpi").map_or(String::new(), |s| cell(&s, &pct)),
    );
    line(
        &format!("Progression share (target {})", pct(TARGET_PROGRESSION)),
        &|l| get(l, "progression_share_at_kpi").map_or(String::new(), |s| cell(&s, &pct)),
    );
    line("LY stock", &|l| {
        get(l, "ly_stock_at_kpi").map_or(String::new(), |s| cell(&s, &int))
    });
    line("Net municipal cost per year, DKK", &|l| {
        get(l, "net_cost_per_year").map_or(String::new(), |s| {
            cell(&s, &|x| format!("{:.1} mio.", x / 1e6))
        })
    });
    let mut diff = vec!["–".to_string()];
    diff.extend(c.alternatives.iter().map(|a| {
        let s = a.saving_per_year;
        let neg = Summary {
            mean: -s.mean,
            p05: -s.p95,
            p50: -s.p50,
            p95: -s.p05,
        };
        cell(&neg, &mdkk)
    }));
    rows.push(("  difference per year vs baseline".into(), diff));
    let mut pb = vec!["–".to_string()];
    pb.extend(c.alternatives.iter().map(|a| match a.payback {
        Some(m) => format!("{m} ({:.0} % of runs paid back)", 100.0 * a.share_paid_back),
        None => format!(
            "never ({:.0} % of runs paid back)",
            100.0 * a.share_paid_back
        ),
    }));
    rows.push(("Payback month (mean cumulative cost)".into(), pb));
    let mut be = vec!["–".to_string()];
    be.extend(
        c.alternatives
            .iter()
            .map(|a| cell(&a.positions, &|x| format!("{x:.1}"))),
    );
    rows.push(("Consultants the saving pays for".into(), be));
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            let first = if i == 0 {
                rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0)
            } else {
                0
            };
            let cells = if i == 0 {
                0
            } else {
                rows.iter()
                    .map(|r| r.1[i - 1].chars().count())
                    .max()
                    .unwrap_or(0)
            };
            first.max(cells).max(header[i].chars().count())
        })
        .collect();
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    out.push_str(
        &header
            .iter()
            .enumerate()
            .map(|(i, h)| pad(h, widths[i]))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for (label, cells) in &rows {
        let mut parts = vec![pad(label, widths[0])];
        parts.extend(cells.iter().enumerate().map(|(i, s)| pad(s, widths[i + 1])));
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub fn command(a: CompareArgs) -> anyhow::Result<()> {
    let mut sets = a.sets.clone();
    if let Some(r) = a.replications {
        sets.push(format!("replications={r}"));
    }
    let base = Model::load(&a.baseline, &sets)?;
    let seed = a.seed.unwrap_or(base.base.seed);
    let replications = a.replications.unwrap_or(base.base.replications);
    let common = |mut s: Vec<String>| {
        s.push(format!("seed={seed}"));
        s.push(format!("replications={replications}"));
        s
    };
    let mut models = vec![Model::load(&a.baseline, &common(a.sets.clone()))?];
    for alt in &a.alternatives {
        models.push(Model::load(alt, &common(a.sets.clone()))?);
    }
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("compare-{}", base.base.name)));
    let opts = CompareOptions {
        at: a.at.clone(),
        threads: a.threads,
        quiet: a.quiet,
    };
    let clock = Instant::now();
    let cmp = compare_to_dir(&models, &opts, &out)?;
    print!("{}", steering_table(&cmp));
    if !a.quiet {
        eprintln!(
            "\n{} scenarios × {replications} replications in {:.2} s → {}",
            models.len(),
            clock.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(())
}
