//! `fleksim compare`: flags, the steering table on stdout, the summary line.

use super::kpis;
use super::progress::progress_bar;
use crate::analysis::budget::{period_mark, BudgetYearView, BUDGET_YEARS};
use crate::analysis::compare::{
    cheaper_text, compare_to_dir, point_label, CompareOptions, Comparison, DEFINITIONS,
};
use crate::input::uncertain::Model;
use crate::model::month::Month;
use crate::model::payer::{self, Payer};
use crate::stats::Summary;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  fleksim compare scenarios/aalborg-baseline.toml scenarios/aalborg-project.toml
  fleksim compare scenarios/aalborg-baseline.toml scenarios/aalborg-project.toml \\
      scenarios/aalborg-permanent.toml --replications 500 --at 2018-03 --at 2020-12")]
pub struct CompareArgs {
    /// Baseline scenario file (what we do today).
    pub baseline: PathBuf,
    /// One or more alternative scenario files.
    #[arg(required = true)]
    pub alternatives: Vec<PathBuf>,
    /// Replications (overrides every scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=crate::model::limits::MAX_REPLICATIONS as i64))]
    pub replications: Option<u32>,
    /// Random seed for every scenario [default: the baseline's seed].
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=crate::model::limits::MAX_SEED))]
    pub seed: Option<u64>,
    /// Output folder [default: results/compare-<baseline name>/].
    #[arg(long, value_parser = crate::cli::path_arg)]
    pub out: Option<PathBuf>,
    /// Months at which to report differences (`YYYY-MM`, repeatable)
    /// [default: the months of the baseline's KPIs measured in one month
    /// (without [[kpis]]: 2018-03, the seed's KPI month, if simulated), and
    /// the last month].
    #[arg(long = "at", value_name = "YYYY-MM", value_parser = Month::parse_arg)]
    pub at: Vec<Month>,
    /// Worker threads (0 = all cores); results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::model::limits::threads_arg)]
    pub threads: usize,
    /// Override a key in every scenario (dotted path, TOML value).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// The budget year (`YYYY`): writes budget_year.csv with it and the three
    /// overslagsår, each marked as in the grant period or the permanent
    /// period, and prints them.
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2200))]
    pub budget_year: Option<i32>,
    /// Also find the common multiplier on the alternatives' effects at which
    /// the cumulative net municipal cost over the horizon equals the
    /// baseline's (bisection from 0 to 10, tolerance 0.01, common random
    /// numbers); writes break_even.csv.
    #[arg(long)]
    pub break_even: bool,
    /// Language of budget.xlsx and of the KPIs' labels in the table: en
    /// (English) or da (Danish).
    #[arg(long, default_value = "en")]
    pub lang: String,
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
    let threads = crate::model::limits::threads(a.threads);
    let need = models
        .iter()
        .map(|m| crate::model::limits::estimate_bytes(&m.base, threads, 1));
    crate::model::limits::check_memory(need.sum())?;
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("compare-{}", base.base.name)));
    let opts = CompareOptions {
        at: a.at.clone(),
        threads: a.threads,
        budget_year: a.budget_year,
        break_even: a.break_even,
        lang: crate::output::workbook::Lang::parse(&a.lang)?,
    };
    let clock = Instant::now();
    let mut total = replications as u64 * models.len() as u64;
    if a.break_even {
        // An upper bound: the baseline once, then each alternative's search.
        let alts = models.len() as u64 - 1;
        total += replications as u64 * (1 + alts * crate::analysis::break_even::max_evaluations());
    }
    let bar = progress_bar(total, a.quiet, "compare");
    let report = super::had_report(&out);
    let cmp = compare_to_dir(&models, &opts, &out, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if report {
        super::report_removed(&out);
    }
    let danish = opts.lang == crate::output::workbook::Lang::Da;
    print!("{}", terminal_table(&cmp, !a.at.is_empty(), WIDTH, danish));
    if a.break_even {
        println!(
            "\nBreak-even: the multiplier on each alternative's effects at which its cumulative net\n\
             municipal cost over the horizon equals the baseline's (mean; 90 % interval):"
        );
        for b in &cmp.break_even {
            println!("  {}", crate::analysis::break_even::text(b));
        }
    }
    let grants = cmp.grant_lines();
    if !grants.is_empty() {
        println!("\nProject grant (money.grant_amount) against the grant-funded cost:");
        for g in grants {
            println!("  {g}");
        }
    }
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

/// The width the steering table fits in (three scenarios fit).
pub const WIDTH: usize = 100;

/// A space at which a cell does not wrap (printed as a space).
const GLUE: char = '\u{a0}';

/// A median with its 90 % interval: `14.6 (13.3 – 16.2)`; the interval
/// does not wrap.
fn cell(s: &Summary, f: &dyn Fn(f64) -> String) -> String {
    format!("{} ({}{GLUE}–{GLUE}{})", f(s.p50), f(s.p05), f(s.p95))
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn pp(x: f64) -> String {
    format!("{:+.1}", 100.0 * x)
}

fn people(x: f64) -> String {
    format!("{x:.0}")
}

fn signed_people(x: f64) -> String {
    format!("{x:+.0}")
}

fn mio(x: f64) -> String {
    format!("{:.1}", x / 1e6)
}

fn signed_mio(x: f64) -> String {
    format!("{:+.1}", x / 1e6)
}

/// Consultant positions: what the saving pays for, or what the extra cost
/// is worth.
fn positions(x: f64) -> String {
    if x < -0.05 {
        format!("costs{GLUE}{:.1}", -x)
    } else {
        format!("pays{GLUE}{:.1}", x.max(0.0))
    }
}

/// Positions with their interval, which may wrap after its dash:
/// `pays 0.1 (costs 3.3 – pays 5.4)`.
fn positions_cell(s: &Summary) -> String {
    format!(
        "{} ({}{GLUE}– {})",
        positions(s.p50),
        positions(s.p05),
        positions(s.p95)
    )
}

/// The steering group's table for the terminal, in at most `width` columns
/// for three scenarios (long cells wrap at spaces). Every row names the
/// month it shows: the KPI rows their month, each cumulative point its
/// month; with `--at` (`at_given`), the differences at those months follow.
/// The KPIs are the baseline's: its `[[kpis]]` with their labels (Danish
/// with `danish`) and whether each is met at the median, or the seed
/// project's two with the LY stock at their month.
pub fn terminal_table(c: &Comparison, at_given: bool, width: usize, danish: bool) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let level = |levels: &[(String, Summary)], key: &str, f: &dyn Fn(f64) -> String| {
        levels
            .iter()
            .find(|l| l.0 == key)
            .map_or(String::new(), |l| cell(&l.1, f))
    };
    if c.kpis.declared {
        for k in &c.kpis.list {
            let key = c.kpis.indicator(k);
            let dir = match k.goal {
                crate::model::kpi::Goal::AtMost => '≤',
                crate::model::kpi::Goal::AtLeast => '≥',
            };
            let unit = kpis::unit_words(&k.unit);
            let label = format!(
                "{} at {}, {unit} (target{GLUE}{dir}{GLUE}{}{})",
                k.label_in(danish),
                kpis::at_text(k),
                kpis::number(&k.unit, k.target),
                if unit == "%" {
                    format!("{GLUE}%")
                } else {
                    String::new()
                }
            );
            let verdict = |levels: &[(String, Summary)]| {
                levels
                    .iter()
                    .find(|l| l.0 == key)
                    .map_or(String::new(), |l| {
                        format!(
                            "{} {}",
                            cell(&l.1, &|x| kpis::number(&k.unit, x)),
                            kpis::met(k, &l.1)
                        )
                    })
            };
            let mut v = vec![verdict(&c.base_levels)];
            v.extend(c.alternatives.iter().map(|a| verdict(&a.levels)));
            rows.push((label, v));
        }
    }
    let mut line = |label: String, key: &str, f: &dyn Fn(f64) -> String| {
        let mut v = vec![level(&c.base_levels, key, f)];
        v.extend(c.alternatives.iter().map(|a| level(&a.levels, key, f)));
        rows.push((label, v));
    };
    let kpi = c.kpi;
    if !c.kpis.declared {
        // The seed project's KPIs (the scenario declares none), with their
        // targets, and the LY stock at their month.
        for k in &c.kpis.list {
            let label = crate::model::kpi::SEED_TERMINAL
                .iter()
                .find(|(n, _)| *n == k.name)
                .map_or(k.label.as_str(), |(_, l)| l);
            line(
                format!("{label} at {kpi}, % (target{GLUE}{}{GLUE}%)", pct(k.target)),
                &c.kpis.indicator(k),
                &pct,
            );
        }
        line(
            format!("LY stock at {kpi}, people"),
            "ly_stock_at_kpi",
            &people,
        );
    }
    line(
        "Net municipal cost per year, mio. DKK".into(),
        "net_cost_per_year",
        &mio,
    );
    let dash = || "–".to_string();
    let per_alt = |f: &dyn Fn(&crate::analysis::compare::AltResult) -> String| {
        let mut v = vec![dash()];
        v.extend(c.alternatives.iter().map(f));
        v
    };
    rows.push((
        "  difference per year vs baseline".into(),
        per_alt(&|a| {
            let s = a.saving_per_year;
            let cost = Summary {
                mean: -s.mean,
                p05: -s.p95,
                p50: -s.p50,
                p95: -s.p05,
            };
            cell(&cost, &signed_mio)
        }),
    ));
    let years = (c.start.months_until(c.end) + 1) as f64 / 12.0;
    // Who pays (issue 18): the municipal net by frame and the state's
    // part, per year over the horizon.
    for (label, line, payer) in [
        (
            "  of which service (serviceramme)",
            "service",
            Payer::Kommune,
        ),
        (
            "  of which transfers (overførsler)",
            "transfers",
            Payer::Kommune,
        ),
        (
            "State: refusion and project grant per year, mio. DKK",
            "total",
            Payer::Stat,
        ),
    ] {
        let Some(i) = payer::index(line, payer) else {
            continue;
        };
        let v = c
            .payer
            .iter()
            .map(|(_, t)| {
                let h = t.periods.len() - 1;
                let s = t.plain[h * payer::N + i];
                let per_year = |x: f64| x / years;
                cell(
                    &Summary {
                        mean: per_year(s.mean),
                        p05: per_year(s.p05),
                        p50: per_year(s.p50),
                        p95: per_year(s.p95),
                    },
                    &mio,
                )
            })
            .collect();
        rows.push((label.to_string(), v));
    }
    let key = "net_public_cost_per_year";
    let mut public = vec![level(&c.base_levels, key, &mio)];
    public.extend(c.alternatives.iter().map(|a| level(&a.levels, key, &mio)));
    rows.push((
        "Net public cost per year (municipality and state), mio. DKK".into(),
        public,
    ));
    // The public purse's difference: the horizon total's paired
    // difference, per year.
    rows.push((
        "  difference per year vs baseline".into(),
        per_alt(&|a| {
            a.summary
                .iter()
                .find(|r| r.metric == "net_public_cost_total" && r.period == "horizon")
                .map_or(String::new(), |r| {
                    let per_year = Summary {
                        mean: r.diff.mean / years,
                        p05: r.diff.p05 / years,
                        p50: r.diff.p50 / years,
                        p95: r.diff.p95 / years,
                    };
                    cell(&per_year, &signed_mio)
                })
        }),
    ));
    if at_given {
        for m in &c.at {
            let period = m.to_string();
            let diff = |metric: &str, f: &dyn Fn(f64) -> String| {
                per_alt(&|a| {
                    a.summary
                        .iter()
                        .find(|r| r.metric == metric && r.period == period)
                        .map_or(String::new(), |r| cell(&r.diff, f))
                })
            };
            rows.push((
                format!("LY share at {m} vs baseline, pp"),
                diff("ly_share", &pp),
            ));
            rows.push((
                format!("LY stock at {m} vs baseline, people"),
                diff("ly_stock", &signed_people),
            ));
        }
    }
    let mut points: Vec<&'static str> = Vec::new();
    for a in &c.alternatives {
        for p in &a.points {
            if !points.contains(&p.point) {
                points.push(p.point);
            }
        }
    }
    for point in points {
        let found: Vec<_> = c
            .alternatives
            .iter()
            .map(|a| a.points.iter().find(|p| p.point == point))
            .collect();
        let months: Vec<_> = found.iter().flatten().map(|p| p.month).collect();
        let same = months.windows(2).all(|w| w[0] == w[1]);
        let label = match (same, months.first()) {
            (true, Some(m)) => {
                format!("Cumulative difference, {} ({m})", point_label(point))
            }
            _ => format!("Cumulative difference, {}", point_label(point)),
        };
        let mut v = vec![dash()];
        v.extend(found.iter().map(|p| match p {
            Some(p) if same => cell(&p.diff, &signed_mio),
            Some(p) => format!("{}: {}", p.month, cell(&p.diff, &signed_mio)),
            None => String::new(),
        }));
        rows.push((label, v));
    }
    rows.push((
        "Probability cheaper over the horizon".into(),
        per_alt(&|a| {
            a.points
                .iter()
                .find(|p| p.point == "horizon")
                .map_or(String::new(), |p| format!("{} %", pct(p.prob_cheaper)))
        }),
    ));
    rows.push((
        "Cheaper than the baseline (mean)".into(),
        per_alt(&|a| cheaper_text(&a.cheaper, c.start, c.end)),
    ));
    rows.push((
        "Payback month (mean cumulative cost)".into(),
        per_alt(&|a| {
            let share = 100.0 * a.share_paid_back;
            match a.payback {
                Some(m) => format!("{m} ({share:.0} % of runs paid back)"),
                None => format!("never ({share:.0} % of runs paid back)"),
            }
        }),
    ));
    rows.push((
        format!("Consultant positions the saving pays for (or{GLUE}costs)"),
        per_alt(&|a| positions_cell(&a.positions)),
    ));
    let mut header = vec![String::new(), c.baseline.clone()];
    header.extend(c.alternatives.iter().map(|a| a.name.clone()));
    let kpis_at = if c.kpis.declared {
        "KPIs as the baseline declares them ([[kpis]]), met or not met at the median".to_string()
    } else {
        format!("KPIs at {kpi}")
    };
    let months = format!(
        "{kpis_at}{}.",
        if at_given {
            let at: Vec<String> = c.at.iter().map(|m| m.to_string()).collect();
            format!("; differences vs baseline also at {} (--at)", at.join(", "))
        } else {
            String::new()
        }
    );
    let mut out = String::from("Median (90 % interval) over replications; money in mio. DKK.\n");
    out.push_str(&wrap(&months, width).join("\n"));
    out.push_str("\n\n");
    out.push_str(&grid(&header, &rows, width).replace(GLUE, " "));
    out.push('\n');
    out.push_str(DEFINITIONS);
    if let Some((year, views)) = &c.budget_year {
        out.push('\n');
        out.push_str(&budget_year_table(*year, views, width));
    }
    out
}

/// The budget year and its three overslagsår (`--budget-year`): per
/// alternative, the change in the municipal net (mean, mio. DKK) and its
/// service and transfer parts; each year marked as in the grant or the
/// permanent period.
pub fn budget_year_table(year: i32, views: &[BudgetYearView], width: usize) -> String {
    let mut header = vec![String::new()];
    header.extend(views.iter().map(|v| v.scenario.clone()));
    let mut rows = Vec::new();
    for y in year..year + BUDGET_YEARS {
        let role = match y - year {
            0 => "budget year".to_string(),
            k => format!("overslagsår{GLUE}{k}"),
        };
        let marks: Vec<&str> = views
            .iter()
            .map(|v| period_mark(y, v.grant, v.permanent))
            .collect();
        let same = marks.windows(2).all(|w| w[0] == w[1]);
        let mark = |m: &str| match m {
            "" => String::new(),
            m => format!(" ({})", m.replace('+', " and ")),
        };
        let label = if same {
            format!("{y} {role}{}", mark(marks.first().copied().unwrap_or("")))
        } else {
            format!("{y} {role}")
        };
        let v = views
            .iter()
            .zip(&marks)
            .map(|(v, m)| {
                let get = |line: &str| {
                    let i = payer::index(line, Payer::Kommune)?;
                    v.rows
                        .iter()
                        .find(|r| r.period.year == Some(y) && r.cell == i)
                        .map(|r| signed_mio(r.diff.mean))
                };
                let text = format!(
                    "{} (service{GLUE}{}, transfers{GLUE}{})",
                    get("total").unwrap_or_default(),
                    get("service").unwrap_or_default(),
                    get("transfers").unwrap_or_default()
                );
                if same {
                    text
                } else {
                    format!("{text}{}", mark(m))
                }
            })
            .collect();
        rows.push((label, v));
    }
    let title = format!(
        "Budget year {year} and overslagsår {}–{}: municipal net cost vs baseline (mean, mio. DKK), \
         of which service (serviceramme) and transfers (overførsler).",
        year + 1,
        year + BUDGET_YEARS - 1
    );
    let mut out = wrap(&title, width).join("\n");
    out.push_str("\n\n");
    out.push_str(&grid(&header, &rows, width).replace(GLUE, " "));
    out
}

/// Words of `text` in lines of at most `width` characters (a longer word
/// stands alone on its line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = cur.chars().count();
        if n > 0 && n + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    // Keep a leading indent (sub-rows start with two spaces).
    if text.starts_with("  ") {
        for l in &mut lines {
            l.insert_str(0, "  ");
        }
    }
    lines
}

/// A table in at most `width` columns where the words allow: the label
/// column keeps up to 40 characters, the widest other column gives way
/// first, and cells wrap at spaces.
fn grid(header: &[String], rows: &[(String, Vec<String>)], width: usize) -> String {
    let n = header.len();
    let len = |s: &str| s.chars().count();
    let text_at = |r: &(String, Vec<String>), i: usize| -> String {
        if i == 0 {
            r.0.clone()
        } else {
            r.1.get(i - 1).cloned().unwrap_or_default()
        }
    };
    let mut natural = vec![0; n];
    let mut least = vec![0; n];
    for i in 0..n {
        let texts = std::iter::once(header[i].clone()).chain(rows.iter().map(|r| text_at(r, i)));
        for t in texts {
            natural[i] = natural[i].max(len(&t));
            let indent = if t.starts_with("  ") { 2 } else { 0 };
            let word = t.split(' ').map(len).max().unwrap_or(0) + indent;
            least[i] = least[i].max(word);
        }
    }
    let mut w = natural.clone();
    w[0] = w[0].min(40).max(least[0]);
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * (n.saturating_sub(1));
    while total(&w) > width {
        // The widest column that can still give way; the label last.
        let pick = (1..n)
            .filter(|&i| w[i] > least[i])
            .max_by_key(|&i| w[i])
            .or_else(|| (w[0] > least[0]).then_some(0));
        match pick {
            Some(i) => w[i] -= 1,
            None => break,
        }
    }
    let pad = |s: &str, width: usize| format!("{s}{}", " ".repeat(width.saturating_sub(len(s))));
    let mut out = String::new();
    let mut emit = |cells: Vec<Vec<String>>| {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let line: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| pad(c.get(k).map_or("", String::as_str), w[i]))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
    };
    emit(
        header
            .iter()
            .enumerate()
            .map(|(i, h)| wrap(h, w[i]))
            .collect(),
    );
    emit(w.iter().map(|&k| vec!["-".repeat(k)]).collect());
    for r in rows {
        emit((0..n).map(|i| wrap(&text_at(r, i), w[i])).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_positions_are_worded_as_a_cost() {
        assert_eq!(positions(-0.3), format!("costs{GLUE}0.3"));
        assert_eq!(positions(2.96), format!("pays{GLUE}3.0"));
        assert_eq!(positions(-0.01), format!("pays{GLUE}0.0"));
    }
}
