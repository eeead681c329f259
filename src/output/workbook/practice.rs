//! The budget-practice sheets (issue 18): who pays from which budget frame
//! (`payer.csv`), levels beside differences (`budget_levels.csv`), the
//! budget year and its overslagsår (`budget_year.csv`) and break-even
//! (`break_even.csv`).

use super::text::{self, Words};
use super::{number, xlsx, Formats, Table};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::io;

/// A money cell's key: `ly/kommune/transfers`, `ly/gross`.
fn cell_key(line: &str, payer: &str, frame: &str) -> String {
    if frame.is_empty() {
        format!("{line}/{payer}")
    } else {
        format!("{line}/{payer}/{frame}")
    }
}

/// Writes a number field of a row if it is not empty.
fn put(ws: &mut Worksheet, t: &Table, row: u32, col: u16, v: &str, fmt: &Format) -> io::Result<()> {
    if !v.is_empty() {
        ws.write_number_with_format(row, col, number(t.name, v)?, fmt)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// A scenario's money by payer and frame: a row per cell of `payer.csv`,
/// a column per calendar year and one for the whole horizon (means).
pub(super) fn payer_sheet(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    name: &str,
    t: &Table,
    used: &mut Vec<String>,
) -> io::Result<()> {
    let [cp, cmo, cl, cpa, cf, cmean] =
        ["period", "months", "line", "payer", "frame", "mean"].map(|c| t.col(c));
    let (cp, cmo, cl, cpa, cf, cmean) = (cp?, cmo?, cl?, cpa?, cf?, cmean?);
    let mut years: Vec<(i32, u32)> = Vec::new();
    let mut horizon = None;
    let mut cells: Vec<(String, String, String)> = Vec::new();
    for r in &t.rows {
        let months = number(t.name, &r[cmo])? as u32;
        if r[cp] == "horizon" {
            horizon = Some(months);
        } else {
            let y = number(t.name, &r[cp])? as i32;
            if !years.iter().any(|(yy, _)| *yy == y) {
                years.push((y, months));
            }
        }
        let cell = (r[cl].clone(), r[cpa].clone(), r[cf].clone());
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    let ws = book.add_worksheet();
    ws.set_name(super::sheet_name(name, w.payer_suffix(), used))
        .map_err(xlsx)?;
    super::header(ws, f, w, w.payer_title(), &years, &[""]).map_err(xlsx)?;
    let hcol = 2 + years.len() as u16;
    if let Some(months) = horizon {
        ws.write_string_with_format(0, hcol, w.horizon(months), &f.header)
            .map_err(xlsx)?;
        ws.write_number_with_format(1, hcol, months as f64, &f.bold)
            .map_err(xlsx)?;
        ws.set_column_width(hcol, 18).map_err(xlsx)?;
    }
    for (i, (line, payer, frame)) in cells.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string(row, 0, text::cell_label(line, payer, frame, w.lang))
            .map_err(xlsx)?;
        ws.write_string_with_format(row, 1, cell_key(line, payer, frame), &f.key)
            .map_err(xlsx)?;
        for r in t
            .rows
            .iter()
            .filter(|r| r[cl] == *line && r[cpa] == *payer && r[cf] == *frame)
        {
            let col = if r[cp] == "horizon" {
                hcol
            } else {
                let y = number(t.name, &r[cp])? as i32;
                2 + years.iter().position(|(yy, _)| *yy == y).unwrap_or(0) as u16
            };
            put(ws, t, row, col, &r[cmean], &f.dkk)?;
        }
    }
    let row = 3 + cells.len() as u32;
    ws.write_string(row, 0, w.payer_aid()).map_err(xlsx)?;
    Ok(())
}

/// Which of the two level files a sheet shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Levels {
    /// `budget_levels.csv`: every year and the horizon, discounted beside.
    All,
    /// `budget_year.csv`: the budget year and its overslagsår.
    BudgetYear,
}

/// One alternative's levels: a row per period and money cell, the
/// baseline, the alternative, the difference and the change side by side.
pub(super) fn levels_sheet(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    alt: &str,
    t: &Table,
    kind: Levels,
    used: &mut Vec<String>,
) -> io::Result<()> {
    let rows: Vec<&Vec<String>> = t.select("scenario", alt)?.collect();
    let [cl, cpa, cf, cmo] = ["line", "payer", "frame", "months"].map(|c| t.col(c));
    let (cl, cpa, cf, cmo) = (cl?, cpa?, cf?, cmo?);
    let diff = w.difference();
    let mut numbers: Vec<(String, &str, &Format)> = vec![
        (w.baseline().into(), "baseline", &f.dkk),
        (w.alternative().into(), "alternative", &f.dkk),
        (diff[0].into(), "diff_mean", &f.dkk),
        (diff[1].into(), "diff_p05", &f.dkk),
        (diff[2].into(), "diff_p50", &f.dkk),
        (diff[3].into(), "diff_p95", &f.dkk),
        (w.change().into(), "change", &f.share),
    ];
    let ws = book.add_worksheet();
    let (title, texts) = match kind {
        Levels::All => {
            ws.set_name(super::sheet_name(alt, w.levels_suffix(), used))
                .map_err(xlsx)?;
            (w.levels_title(), 1u16)
        }
        Levels::BudgetYear => {
            ws.set_name(super::sheet_name(alt, w.budget_year_suffix(), used))
                .map_err(xlsx)?;
            (w.budget_year_title(), 2u16)
        }
    };
    ws.write_string_with_format(0, 0, title, &f.header)
        .map_err(xlsx)?;
    if kind == Levels::All {
        let cr = t.col("discount_rate")?;
        let rate = rows.first().map(|r| r[cr].as_str()).unwrap_or_default();
        let shown = match rate.parse::<f64>() {
            Ok(r) => format!("{:.1} %", r * 100.0),
            Err(_) => rate.to_string(),
        };
        for (head, field) in [
            (w.baseline(), "baseline_pv"),
            (w.alternative(), "alternative_pv"),
            (diff[0], "diff_pv_mean"),
            (diff[1], "diff_pv_p05"),
            (diff[2], "diff_pv_p50"),
            (diff[3], "diff_pv_p95"),
        ] {
            numbers.push((w.discounted(head, &shown), field, &f.dkk));
        }
        ws.write_string_with_format(0, 2, w.rate(), &f.bold)
            .map_err(xlsx)?;
        put(ws, t, 0, 3, rate, &f.share)?;
    }
    let heads: Vec<&str> = match kind {
        Levels::All => vec![w.period()],
        Levels::BudgetYear => vec![w.period(), w.mark_head()],
    };
    ws.write_string_with_format(1, 0, w.line(), &f.header)
        .map_err(xlsx)?;
    ws.write_string_with_format(1, 1, w.key(), &f.header)
        .map_err(xlsx)?;
    for (j, h) in heads.iter().enumerate() {
        ws.write_string_with_format(1, 2 + j as u16, *h, &f.header)
            .map_err(xlsx)?;
        ws.set_column_width(2 + j as u16, 26).map_err(xlsx)?;
    }
    let first = 2 + texts;
    let cols: Vec<usize> = numbers
        .iter()
        .map(|(_, field, _)| t.col(field))
        .collect::<io::Result<_>>()?;
    for (j, (head, _, _)) in numbers.iter().enumerate() {
        let col = first + j as u16;
        ws.write_string_with_format(1, col, head, &f.header)
            .map_err(xlsx)?;
        ws.set_column_width(col, 18).map_err(xlsx)?;
    }
    ws.set_row_height(1, 60).map_err(xlsx)?;
    ws.set_column_width(0, 48).map_err(xlsx)?;
    ws.set_column_width(1, 24).map_err(xlsx)?;
    ws.set_freeze_panes(2, 2).map_err(xlsx)?;
    for (i, r) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string(row, 0, text::cell_label(&r[cl], &r[cpa], &r[cf], w.lang))
            .map_err(xlsx)?;
        ws.write_string_with_format(row, 1, cell_key(&r[cl], &r[cpa], &r[cf]), &f.key)
            .map_err(xlsx)?;
        let months = number(t.name, &r[cmo])? as u32;
        match kind {
            Levels::All => {
                let cp = t.col("period")?;
                let period = if r[cp] == "horizon" {
                    w.horizon(months)
                } else {
                    w.year(number(t.name, &r[cp])? as i32, months)
                };
                ws.write_string(row, 2, &period).map_err(xlsx)?;
            }
            Levels::BudgetYear => {
                let [cy, cr, cpe] = ["year", "role", "period"].map(|c| t.col(c));
                let (cy, cr, cpe) = (cy?, cr?, cpe?);
                let year = w.year(number(t.name, &r[cy])? as i32, months);
                ws.write_string(row, 2, w.role(&year, &r[cr]))
                    .map_err(xlsx)?;
                ws.write_string(row, 3, w.mark(&r[cpe])).map_err(xlsx)?;
            }
        }
        for (j, ((_, _, fmt), c)) in numbers.iter().zip(&cols).enumerate() {
            put(ws, t, row, first + j as u16, &r[*c], fmt)?;
        }
    }
    Ok(())
}

/// Break-even per alternative: the multiplier and its interval, or that
/// no multiplier in the searched range breaks even (an empty multiplier)
/// or that an interval end lies outside it (an empty end).
pub(super) fn break_even_sheet(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    t: &Table,
    used: &mut Vec<String>,
) -> io::Result<()> {
    let [cs, cm, clo, chi] = ["scenario", "multiplier", "lower", "upper"].map(|c| t.col(c));
    let (cs, cm, clo, chi) = (cs?, cm?, clo?, chi?);
    let ws = book.add_worksheet();
    ws.set_name(super::sheet_name(w.break_even_sheet(), "", used))
        .map_err(xlsx)?;
    ws.write_string_with_format(0, 0, w.break_even_title(), &f.header)
        .map_err(xlsx)?;
    ws.write_string_with_format(0, 1, w.key(), &f.header)
        .map_err(xlsx)?;
    for (j, h) in w.break_even_heads().iter().enumerate() {
        ws.write_string_with_format(0, 2 + j as u16, *h, &f.header)
            .map_err(xlsx)?;
        ws.set_column_width(2 + j as u16, 22).map_err(xlsx)?;
    }
    ws.set_row_height(0, 45).map_err(xlsx)?;
    ws.set_column_width(0, 48).map_err(xlsx)?;
    ws.set_column_width(1, 22).map_err(xlsx)?;
    ws.set_freeze_panes(1, 2).map_err(xlsx)?;
    let mut row = 1;
    for r in &t.rows {
        ws.write_string(row, 0, &r[cs]).map_err(xlsx)?;
        ws.write_string_with_format(row, 1, "break_even", &f.key)
            .map_err(xlsx)?;
        for (j, c) in [cm, clo, chi].into_iter().enumerate() {
            let col = 2 + j as u16;
            if r[c].is_empty() {
                let why = if j == 0 {
                    w.no_break_even()
                } else {
                    w.bound_outside()
                };
                ws.write_string(row, col, why).map_err(xlsx)?;
            } else {
                put(ws, t, row, col, &r[c], &f.factor)?;
            }
        }
        row += 1;
    }
    ws.write_string(row + 1, 0, w.break_even_aid())
        .map_err(xlsx)?;
    Ok(())
}
