//! The sheet of one alternative against the baseline: the difference per
//! year and budget line, the cumulative difference at each year's end, and
//! what a decision on permanent funding needs.

use super::text::{self, Words};
use super::{bug, number, xlsx, Formats, Table};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::collections::BTreeMap;
use std::io;

pub(super) struct DiffTables<'a> {
    pub diff: &'a Table,
    pub cum: &'a Table,
    pub monthly: &'a Table,
    pub steering: &'a Table,
}

/// A steering row's `(p50, p05, p95)` as text.
fn steering_row<'a>(
    t: &'a Table,
    alt: &'a str,
    indicator: &str,
) -> io::Result<Option<[&'a str; 3]>> {
    let ci = t.col("indicator")?;
    let [c50, c05, c95] = ["p50", "p05", "p95"].map(|c| t.col(c));
    let (c50, c05, c95) = (c50?, c05?, c95?);
    Ok(t.select("scenario", alt)?
        .find(|r| r[ci] == indicator)
        .map(|r| [r[c50].as_str(), r[c05].as_str(), r[c95].as_str()]))
}

/// The sheet of one alternative against the baseline.
pub(super) fn diff_sheet(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    alt: &str,
    t: &DiffTables,
    used: &mut Vec<String>,
) -> io::Result<()> {
    let d = t.diff;
    let [cy, cmo, cl, cmean, c50] = ["year", "months", "line", "mean", "p50"].map(|c| d.col(c));
    let (cy, cmo, cl, cmean, c50) = (cy?, cmo?, cl?, cmean?, c50?);
    let rows: Vec<&Vec<String>> = d.select("scenario", alt)?.collect();
    let mut years: Vec<(i32, u32)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    // (line, year) → (mean, p50)
    let mut cell: BTreeMap<(String, i32), (f64, f64)> = BTreeMap::new();
    for r in &rows {
        let y = number(d.name, &r[cy])? as i32;
        if !years.iter().any(|(yy, _)| *yy == y) {
            years.push((y, number(d.name, &r[cmo])? as u32));
        }
        if !lines.contains(&r[cl]) {
            lines.push(r[cl].clone());
        }
        cell.insert(
            (r[cl].clone(), y),
            (number(d.name, &r[cmean])?, number(d.name, &r[c50])?),
        );
    }
    let ws = book.add_worksheet();
    ws.set_name(super::sheet_name(alt, w.diff_suffix(), used))
        .map_err(xlsx)?;
    super::header(ws, f, w, w.diff_title(), &years, &[""]).map_err(xlsx)?;
    let mut row = 2u32;
    for line in &lines {
        ws.write_string(row, 0, text::line_label(line, w.lang))
            .map_err(xlsx)?;
        ws.write_string_with_format(row, 1, line, &f.key)
            .map_err(xlsx)?;
        for (k, (y, _)) in years.iter().enumerate() {
            if let Some((_, p50)) = cell.get(&(line.clone(), *y)) {
                ws.write_number_with_format(row, 2 + k as u16, *p50, &f.dkk)
                    .map_err(xlsx)?;
            }
        }
        row += 1;
    }
    // The cumulative net difference at each year's last simulated month.
    row += 1;
    let m = t.monthly;
    let [cm, cc05, cc50, cc95, cp] =
        ["month", "p05", "p50", "p95", "prob_cheaper"].map(|c| m.col(c));
    let (cm, cc05, cc50, cc95, cp) = (cm?, cc05?, cc50?, cc95?, cp?);
    let months: Vec<&Vec<String>> = m.select("scenario", alt)?.collect();
    let labels = [
        (w.cumulative(), "cum_diff_p50", cc50, &f.dkk),
        (w.cumulative_low(), "cum_diff_p05", cc05, &f.dkk),
        (w.cumulative_high(), "cum_diff_p95", cc95, &f.dkk),
        (w.cumulative_prob(), "prob_cheaper", cp, &f.share),
    ];
    for (label, key, c, fmt) in labels {
        ws.write_string_with_format(row, 0, label, &f.bold)
            .map_err(xlsx)?;
        ws.write_string_with_format(row, 1, key, &f.key)
            .map_err(xlsx)?;
        for (k, (y, _)) in years.iter().enumerate() {
            let prefix = format!("{y}-");
            if let Some(last) = months.iter().rev().find(|r| r[cm].starts_with(&prefix)) {
                ws.write_number_with_format(row, 2 + k as u16, number(m.name, &last[c])?, fmt)
                    .map_err(xlsx)?;
            }
        }
        row += 1;
    }
    // What a decision on permanent funding needs.
    row += 1;
    ws.write_string_with_format(row, 0, w.decision(), &f.header)
        .map_err(xlsx)?;
    for (j, h) in w.median_low_high().iter().enumerate() {
        ws.write_string_with_format(row, 2 + j as u16, *h, &f.header)
            .map_err(xlsx)?;
    }
    row += 1;
    let s = t.steering;
    let put3 = |ws: &mut Worksheet,
                row: u32,
                label: &str,
                key: &str,
                v: [&str; 3],
                fmt: &Format|
     -> io::Result<()> {
        ws.write_string(row, 0, label).map_err(xlsx)?;
        ws.write_string_with_format(row, 1, key, &f.key)
            .map_err(xlsx)?;
        for (j, x) in v.iter().enumerate() {
            if !x.is_empty() {
                ws.write_number_with_format(row, 2 + j as u16, number(s.name, x)?, fmt)
                    .map_err(xlsx)?;
            }
        }
        Ok(())
    };
    if let Some(p) = steering_row(s, alt, "prob_cheaper_horizon")? {
        put3(
            ws,
            row,
            w.prob_saving(),
            "prob_cheaper_horizon",
            [p[0], "", ""],
            &f.share,
        )?;
        row += 1;
    }
    if let Some(v) = steering_row(s, alt, "net_cost_diff_per_year")? {
        put3(ws, row, w.per_year(), "net_cost_diff_per_year", v, &f.dkk)?;
        row += 1;
    }
    if let Some(v) = steering_row(s, alt, "cum_diff_horizon")? {
        put3(ws, row, w.at_horizon(), "cum_diff_horizon", v, &f.dkk)?;
        row += 1;
    }
    if let Some(v) = steering_row(s, alt, "payback_month")? {
        ws.write_string(row, 0, w.payback()).map_err(xlsx)?;
        ws.write_string_with_format(row, 1, "payback_month", &f.key)
            .map_err(xlsx)?;
        let text = if v[0].is_empty() { w.never() } else { v[0] };
        ws.write_string(row, 2, text).map_err(xlsx)?;
        row += 1;
    }
    if let Some(v) = steering_row(s, alt, "cheaper_periods")? {
        ws.write_string(row, 0, w.cheaper_periods()).map_err(xlsx)?;
        ws.write_string_with_format(row, 1, "cheaper_periods", &f.key)
            .map_err(xlsx)?;
        let text = if v[0].is_empty() {
            w.never_cheaper()
        } else {
            v[0]
        };
        ws.write_string(row, 2, text).map_err(xlsx)?;
        row += 1;
    }
    // The grant ends with the project window; the years after it are what
    // permanent funding would be decided on.
    let c = t.cum;
    let [cpt, cmon] = ["point", "month"].map(|x| c.col(x));
    let (cpt, cmon) = (cpt?, cmon?);
    let end = c
        .select("scenario", alt)?
        .find(|r| r[cpt] == "project_end")
        .map(|r| r[cmon].clone());
    if let Some(end) = end {
        ws.write_string(row, 0, w.grant_end()).map_err(xlsx)?;
        ws.write_string_with_format(row, 1, "project_end", &f.key)
            .map_err(xlsx)?;
        ws.write_string(row, 2, &end).map_err(xlsx)?;
        row += 1;
        let end_year: i32 = end
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| bug(c.name, format!("`{end}` is not a month")))?;
        let after: Vec<(i32, f64)> = years
            .iter()
            .filter(|(y, months)| *y > end_year && *months == 12)
            .filter_map(|(y, _)| {
                cell.get(&("net_municipal_cost".to_string(), *y))
                    .map(|(mean, _)| (*y, *mean))
            })
            .collect();
        match (after.first(), after.last()) {
            (Some((first, _)), Some((last, _))) => {
                let saving = -after.iter().map(|(_, m)| m).sum::<f64>() / after.len() as f64;
                ws.write_string(row, 0, w.after_grant(*first, *last))
                    .map_err(xlsx)?;
                ws.write_string_with_format(row, 1, "net_saving_per_year_after_grant", &f.key)
                    .map_err(xlsx)?;
                ws.write_number_with_format(row, 2, saving.round(), &f.dkk)
                    .map_err(xlsx)?;
            }
            _ => {
                ws.write_string(row, 0, w.no_year_after()).map_err(xlsx)?;
            }
        }
        row += 1;
    }
    row += 1;
    for def in w.definitions() {
        ws.write_string(row, 0, def).map_err(xlsx)?;
        row += 1;
    }
    Ok(())
}
