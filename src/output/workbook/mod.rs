//! `budget.xlsx`: the budget office's workbook, written by `run` and
//! `compare` beside the CSV files (through [`crate::output::AtomicDir`]
//! like every result file).
//!
//! Invariants:
//! - every figure is read from the CSV bytes the same command writes
//!   (`budget.csv`, `payer.csv`, and for a comparison
//!   `budget_difference.csv`, `cumulative.csv`, `cumulative_monthly.csv`,
//!   `steering.csv`, `budget_levels.csv`, and when written
//!   `budget_year.csv` and `break_even.csv`), so the workbook and the CSV files cannot disagree (`tests/workbook.rs` reads
//!   the workbook back with calamine and checks every number);
//! - numbers are numbers (DKK with thousands separators, shares as
//!   percentages), never text; header rows and the label columns are
//!   frozen; column widths are set;
//! - the bytes depend only on the inputs (the document's date is fixed), so
//!   the folder stays byte-identical across thread counts.
//!
//! Sheets: per scenario its budget lines (rows) by calendar year (columns)
//! at the median, the 90 % interval on the sheet beside it, and who pays
//! by payer and budget frame ([`practice`]); per alternative of a
//! comparison its difference against the baseline per year and
//! cumulative, with what a decision on permanent funding needs
//! (probability of saving money, payback month, net saving per year after
//! the grant ends), its levels undiscounted and discounted, and with
//! `--budget-year` its budget year and three overslagsår; with
//! `--break-even` the break-even multipliers; and a notes sheet (scenario texts, seed,
//! replications, fleksim version). `--lang da` gives Danish sheet names
//! and labels ([`text`]).

mod difference;
mod practice;
pub mod text;

use crate::model::scenario::Scenario;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io;
use text::Words;
pub use text::{Lang, LINES};

/// A result CSV file as rows of named fields.
struct Table {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(name: &'static str, bytes: &[u8]) -> io::Result<Table> {
        let mut r = csv::ReaderBuilder::new().from_reader(bytes);
        let header = r
            .headers()
            .map_err(|e| bug(name, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let rows = r
            .records()
            .map(|rec| rec.map(|r| r.iter().map(str::to_string).collect()))
            .collect::<Result<_, _>>()
            .map_err(|e| bug(name, e))?;
        Ok(Table { name, header, rows })
    }

    fn col(&self, field: &str) -> io::Result<usize> {
        self.header
            .iter()
            .position(|h| h == field)
            .ok_or_else(|| bug(self.name, format!("no column `{field}`")))
    }

    /// The rows with `field` equal to `value`.
    fn select<'a>(
        &'a self,
        field: &str,
        value: &'a str,
    ) -> io::Result<impl Iterator<Item = &'a Vec<String>> + 'a> {
        let c = self.col(field)?;
        Ok(self.rows.iter().filter(move |r| r[c] == value))
    }
}

/// A number of a result file (written by fleksim, so never malformed).
fn number(file: &str, v: &str) -> io::Result<f64> {
    v.parse::<f64>()
        .map_err(|e| bug(file, format!("`{v}` is not a number: {e}")))
}

fn bug(file: &str, why: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!(
        "bug: budget.xlsx cannot read the {file} it is made from: {why}"
    ))
}

fn xlsx(e: XlsxError) -> io::Error {
    io::Error::other(format!("budget.xlsx: {e}"))
}

/// The yearly figures of one scenario from its `budget.csv`:
/// `(year, months)` and per line the `(p05, p50, p95)` per year.
struct Budget {
    years: Vec<(i32, u32)>,
    lines: Vec<(&'static str, Vec<[f64; 3]>)>,
}

impl Budget {
    fn parse(bytes: &[u8]) -> io::Result<Budget> {
        let t = Table::parse("budget.csv", bytes)?;
        let [cy, cm, c05, c50, c95, cmo] =
            ["year", "metric", "p05", "p50", "p95", "months"].map(|f| t.col(f));
        let (cy, cm, c05, c50, c95, cmo) = (cy?, cm?, c05?, c50?, c95?, cmo?);
        let mut years: Vec<(i32, u32)> = Vec::new();
        for r in &t.rows {
            let y = number(t.name, &r[cy])? as i32;
            if years.last().map(|l| l.0) != Some(y) {
                years.push((y, number(t.name, &r[cmo])? as u32));
            }
        }
        let mut lines = Vec::new();
        for line in LINES {
            let mut per_year = Vec::new();
            for (y, _) in &years {
                let ys = y.to_string();
                if let Some(r) = t.rows.iter().find(|r| r[cy] == ys && r[cm] == line) {
                    per_year.push([
                        number(t.name, &r[c05])?,
                        number(t.name, &r[c50])?,
                        number(t.name, &r[c95])?,
                    ]);
                }
            }
            if per_year.len() == years.len() {
                lines.push((line, per_year));
            }
        }
        Ok(Budget { years, lines })
    }
}

/// Cell formats.
struct Formats {
    header: Format,
    dkk: Format,
    share: Format,
    bold: Format,
    wrap: Format,
    key: Format,
    factor: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let dkk = match lang {
            Lang::En => "#,##0 \"DKK\";-#,##0 \"DKK\"",
            Lang::Da => "#,##0 \"kr.\";-#,##0 \"kr.\"",
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0xDDEBF7),
            dkk: Format::new().set_num_format(dkk),
            share: Format::new().set_num_format("0.0%"),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap(),
            key: Format::new().set_font_color(0x808080),
            factor: Format::new().set_num_format("0.00"),
        }
    }
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`),
/// not yet used in this workbook.
fn sheet_name(base: &str, suffix: &str, used: &mut Vec<String>) -> String {
    let clean: String = base
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let room = 31 - suffix.chars().count().min(31);
    let mut n = 1;
    loop {
        let tag = if n == 1 {
            String::new()
        } else {
            format!("~{n}")
        };
        let keep = room.saturating_sub(tag.chars().count());
        let name: String = clean.chars().take(keep).collect::<String>() + &tag + suffix;
        if !used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            used.push(name.clone());
            return name;
        }
        n += 1;
    }
}

/// Writes the header rows (titles, then months per year) and freezes them
/// with the label columns. `per_year` columns per year, titled by `sub`.
fn header(
    ws: &mut Worksheet,
    f: &Formats,
    w: &Words,
    title: &str,
    years: &[(i32, u32)],
    sub: &[&str],
) -> Result<(), XlsxError> {
    let per = sub.len().max(1) as u16;
    ws.write_string_with_format(0, 0, title, &f.header)?;
    ws.write_string_with_format(0, 1, w.key(), &f.header)?;
    ws.write_string_with_format(1, 0, w.months(), &f.bold)?;
    for (k, (y, months)) in years.iter().enumerate() {
        for (j, s) in sub.iter().enumerate() {
            let col = 2 + k as u16 * per + j as u16;
            let head = if s.is_empty() {
                w.year(*y, *months)
            } else {
                format!("{} {s}", w.year(*y, *months))
            };
            ws.write_string_with_format(0, col, &head, &f.header)?;
            ws.write_number_with_format(1, col, *months as f64, &f.bold)?;
            ws.set_column_width(col, 18)?;
        }
    }
    ws.set_row_height(0, 45)?;
    ws.set_column_width(0, 48)?;
    ws.set_column_width(1, 22)?;
    ws.set_freeze_panes(2, 2)?;
    Ok(())
}

/// The two sheets of one scenario: medians, and the 90 % interval.
fn scenario_sheets(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    name: &str,
    b: &Budget,
    used: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(name, "", used))?;
    header(ws, f, w, w.median_title(), &b.years, &[""])?;
    for (i, (line, values)) in b.lines.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string(row, 0, text::line_label(line, w.lang))?;
        ws.write_string_with_format(row, 1, *line, &f.key)?;
        for (k, v) in values.iter().enumerate() {
            ws.write_number_with_format(row, 2 + k as u16, v[1], &f.dkk)?;
        }
    }
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(name, w.interval_suffix(), used))?;
    header(ws, f, w, w.interval_title(), &b.years, &[w.low(), w.high()])?;
    for (i, (line, values)) in b.lines.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string(row, 0, text::line_label(line, w.lang))?;
        ws.write_string_with_format(row, 1, *line, &f.key)?;
        for (k, v) in values.iter().enumerate() {
            let col = 2 + 2 * k as u16;
            ws.write_number_with_format(row, col, v[0], &f.dkk)?;
            ws.write_number_with_format(row, col + 1, v[2], &f.dkk)?;
        }
    }
    Ok(())
}

/// A scenario's texts in the workbook's language, falling back (and
/// saying so) to the other.
fn scenario_texts(s: &Scenario, lang: Lang) -> (String, Vec<String>, bool) {
    let (desc, ass, other_desc, other_ass) = match lang {
        Lang::En => (
            &s.description,
            &s.assumptions,
            &s.description_da,
            &s.assumptions_da,
        ),
        Lang::Da => (
            &s.description_da,
            &s.assumptions_da,
            &s.description,
            &s.assumptions,
        ),
    };
    if desc.is_empty() && ass.is_empty() && !(other_desc.is_empty() && other_ass.is_empty()) {
        (other_desc.clone(), other_ass.clone(), true)
    } else {
        (desc.clone(), ass.clone(), false)
    }
}

/// One scenario as the notes sheet lists it.
pub struct Noted<'a> {
    /// Its name in the results (a comparison makes names unique).
    pub name: String,
    pub scenario: &'a Scenario,
    /// The manifest's `scenario_sha256`.
    pub sha256: String,
}

fn notes_sheet(
    book: &mut Workbook,
    f: &Formats,
    w: &Words,
    scenarios: &[Noted],
    used: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let n = w.notes();
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(w.notes_sheet(), "", used))?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 110)?;
    ws.write_string_with_format(0, 0, n.title(), &f.header)?;
    ws.write_string_with_format(0, 1, "", &f.header)?;
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1;
    let mut put = |ws: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_string_with_format(row, 1, value, &f.wrap)?;
        row += 1;
        Ok(())
    };
    put(
        ws,
        n.program(),
        &format!("fleksim {}", env!("CARGO_PKG_VERSION")),
    )?;
    put(ws, "", n.source())?;
    put(ws, "", n.partial())?;
    for (i, s) in scenarios.iter().enumerate() {
        let sc = s.scenario;
        put(ws, "", "")?;
        let role = if i == 0 && scenarios.len() > 1 {
            n.baseline()
        } else {
            n.scenario()
        };
        put(ws, role, &s.name)?;
        let (desc, assumptions, fallback) = scenario_texts(sc, w.lang);
        if fallback {
            put(ws, "", n.missing())?;
        }
        if !desc.is_empty() {
            put(ws, n.description(), &desc)?;
        }
        for a in &assumptions {
            put(ws, n.assumption(), a)?;
        }
        put(ws, n.seed(), &sc.seed.to_string())?;
        put(ws, n.replications(), &sc.replications.to_string())?;
        put(
            ws,
            n.period(),
            &format!(
                "{} – {} ({})",
                sc.start,
                sc.start.plus(sc.horizon_months.saturating_sub(1) as i32),
                sc.horizon_months
            ),
        )?;
        put(ws, n.sha(), &s.sha256)?;
    }
    Ok(())
}

/// A workbook with a fixed document date, so its bytes depend only on
/// its contents.
fn new_book() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_author("fleksim"),
    );
    Ok(book)
}

/// `budget.xlsx` of `fleksim run`: the scenario's sheets (from
/// `budget.csv` and `payer.csv`) and the notes.
pub fn run_book(
    noted: &Noted,
    budget_csv: &[u8],
    payer_csv: &[u8],
    lang: Lang,
) -> io::Result<Vec<u8>> {
    let budget = Budget::parse(budget_csv)?;
    let payer = Table::parse("payer.csv", payer_csv)?;
    let w = Words { lang };
    let f = Formats::new(lang);
    let mut used = Vec::new();
    let mut book = new_book().map_err(xlsx)?;
    scenario_sheets(&mut book, &f, &w, &noted.name, &budget, &mut used).map_err(xlsx)?;
    practice::payer_sheet(&mut book, &f, &w, &noted.name, &payer, &mut used)?;
    notes_sheet(&mut book, &f, &w, std::slice::from_ref(noted), &mut used).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

/// The files of a comparison the workbook is made from.
pub struct ComparisonFiles<'a> {
    /// Baseline first, then the alternatives, each with its `budget.csv`
    /// and its `payer.csv`.
    pub scenarios: Vec<(Noted<'a>, Vec<u8>, Vec<u8>)>,
    pub budget_difference: Vec<u8>,
    pub cumulative: Vec<u8>,
    pub cumulative_monthly: Vec<u8>,
    pub steering: Vec<u8>,
    pub budget_levels: Vec<u8>,
    /// `budget_year.csv`, with `--budget-year`.
    pub budget_year: Option<Vec<u8>>,
    /// `break_even.csv`, with `--break-even`.
    pub break_even: Option<Vec<u8>>,
}

/// `budget.xlsx` of `fleksim compare`: per alternative its difference
/// against the baseline, its levels and (with `--budget-year`) its budget
/// year first, then break-even (with `--break-even`), then every
/// scenario's sheets, then notes.
pub fn comparison_book(files: &ComparisonFiles, lang: Lang) -> io::Result<Vec<u8>> {
    let w = Words { lang };
    let f = Formats::new(lang);
    let diff = Table::parse("budget_difference.csv", &files.budget_difference)?;
    let cum = Table::parse("cumulative.csv", &files.cumulative)?;
    let monthly = Table::parse("cumulative_monthly.csv", &files.cumulative_monthly)?;
    let steering = Table::parse("steering.csv", &files.steering)?;
    let levels = Table::parse("budget_levels.csv", &files.budget_levels)?;
    let budget_year = files
        .budget_year
        .as_ref()
        .map(|b| Table::parse("budget_year.csv", b))
        .transpose()?;
    let break_even = files
        .break_even
        .as_ref()
        .map(|b| Table::parse("break_even.csv", b))
        .transpose()?;
    let mut used = Vec::new();
    let mut book = new_book().map_err(xlsx)?;
    for (noted, _, _) in files.scenarios.iter().skip(1) {
        let name = &noted.name;
        let tables = difference::DiffTables {
            diff: &diff,
            cum: &cum,
            monthly: &monthly,
            steering: &steering,
        };
        difference::diff_sheet(&mut book, &f, &w, name, &tables, &mut used)?;
        let all = practice::Levels::All;
        practice::levels_sheet(&mut book, &f, &w, name, &levels, all, &mut used)?;
        if let Some(t) = &budget_year {
            let by = practice::Levels::BudgetYear;
            practice::levels_sheet(&mut book, &f, &w, name, t, by, &mut used)?;
        }
    }
    if let Some(t) = &break_even {
        practice::break_even_sheet(&mut book, &f, &w, t, &mut used)?;
    }
    for (noted, budget, payer) in &files.scenarios {
        let b = Budget::parse(budget)?;
        scenario_sheets(&mut book, &f, &w, &noted.name, &b, &mut used).map_err(xlsx)?;
        let p = Table::parse("payer.csv", payer)?;
        practice::payer_sheet(&mut book, &f, &w, &noted.name, &p, &mut used)?;
    }
    let noted: Vec<Noted> = files
        .scenarios
        .iter()
        .map(|(n, _, _)| Noted {
            name: n.name.clone(),
            scenario: n.scenario,
            sha256: n.sha256.clone(),
        })
        .collect();
    notes_sheet(&mut book, &f, &w, &noted, &mut used).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_excel_and_stay_unique() {
        let mut used = Vec::new();
        let long = "a-very-long-scenario-name-that-goes-on";
        let a = sheet_name(long, " 90%", &mut used);
        let b = sheet_name(long, " 90%", &mut used);
        assert!(a.chars().count() <= 31 && b.chars().count() <= 31);
        assert!(a.ends_with(" 90%") && b.ends_with(" 90%"));
        assert_ne!(a, b);
        assert_eq!(sheet_name("x[1]:y", "", &mut used), "x_1__y");
    }
}
