//! `fleksim report`: turns results folders into one self-contained HTML
//! page for a steering group — text, tables and inline SVG charts, no
//! scripts, fonts or anything else fetched from a network.
//!
//! The pipeline is one way: [`data`] reads each folder ([`data::Folder`]:
//! a run, a comparison, a tornado or a sweep; through [`files`],
//! [`scenario_info`] and [`sweep_data`]) → the views ([`run_view`],
//! [`comparison_view`], [`tornado_view`], [`sweep_view`]) turn each into a section of
//! HTML, drawing charts through [`charts`] and printing numbers through
//! [`values`] in the [`i18n::Lang`] asked for → [`html::page`] wraps the
//! sections → [`write_atomic`] puts the file in place, after
//! [`output::check_out`] made sure, before any work, that `--out` is no
//! input, folder or file of the user's.
//!
//! Invariants: the page depends only on the folders and the language (no
//! clock, no paths of the machine beyond what the folders name); bad input
//! is an [`InputError`] naming the file and what is allowed, never a panic.

pub mod budget_view;
pub mod calibration_view;
pub mod charts;
pub mod comparison_view;
pub mod data;
pub mod files;
pub mod html;
pub mod i18n;
pub mod kpi_view;
pub mod labels;
pub mod output;
pub mod run_view;
pub mod scenario_info;
pub mod summary;
pub mod sweep_data;
pub mod sweep_view;
pub mod tornado_view;
pub mod values;

use data::Folder;
use i18n::Lang;
pub use output::write_atomic;
use std::path::PathBuf;

/// The page for `dirs` in `lang`.
pub fn render(dirs: &[PathBuf], lang: Lang) -> anyhow::Result<String> {
    render_observed(dirs, lang, None)
}

/// The page for `dirs` in `lang`, with `observed` figures (`--observed`)
/// drawn against each run's and comparison's scenarios.
pub fn render_observed(
    dirs: &[PathBuf],
    lang: Lang,
    observed: Option<&crate::input::observed::Observed>,
) -> anyhow::Result<String> {
    let folders = dirs
        .iter()
        .map(|d| data::read_folder(d))
        .collect::<Result<Vec<_>, _>>()?;
    // The answer on page one, then the note on missing texts.
    let mut sections: Vec<String> = summary::section(&folders, lang).into_iter().collect();
    sections.extend(missing_texts_note(&folders, lang));
    for f in &folders {
        sections.push(match f {
            Folder::Run(r) => run_view::section(r, lang)?,
            Folder::Comparison(c) => comparison_view::section(c, lang)?,
            Folder::Tornado(t) => tornado_view::section(t, lang)?,
            Folder::Sweep(s) => sweep_view::section(s, lang)?,
            Folder::Calibration(c) => calibration_view::section(c, lang)?,
        });
        if let Some(obs) = observed {
            let what = |dir: &std::path::Path| format!("`{}`", dir.display());
            let part = match f {
                Folder::Run(r) => Some(budget_view::observed_part(
                    &[(r.scenario.name.as_str(), &r.data)],
                    obs,
                    &what(&r.dir),
                    lang,
                )?),
                Folder::Comparison(c) => {
                    let runs: Vec<(&str, &data::RunData)> = std::iter::once(&c.baseline)
                        .chain(&c.alternatives)
                        .filter_map(|n| c.runs.get(n).map(|d| (n.as_str(), d)))
                        .collect();
                    Some(budget_view::observed_part(&runs, obs, &what(&c.dir), lang)?)
                }
                Folder::Tornado(_) | Folder::Sweep(_) | Folder::Calibration(_) => None,
            };
            if let Some(part) = part {
                sections.push(format!(
                    "<section class=\"kind observed\">\n{part}</section>\n"
                ));
            }
        }
    }
    Ok(html::page(lang, &sections))
}

/// The page's one note on scenario texts not written in `lang` (which the
/// page leaves out rather than show in the other language), or none.
fn missing_texts_note(folders: &[Folder], lang: Lang) -> Option<String> {
    let w = lang.words();
    let mut infos: Vec<&data::ScenarioInfo> = Vec::new();
    for f in folders {
        match f {
            Folder::Run(r) => infos.push(&r.scenario),
            Folder::Comparison(c) => infos.extend(c.scenarios.values()),
            Folder::Tornado(_) | Folder::Sweep(_) | Folder::Calibration(_) => {}
        }
    }
    // By scenario name, in order of appearance; a name in several folders
    // once, with what any of them misses.
    let mut missing: Vec<(&str, Vec<scenario_info::ScenarioText>)> = Vec::new();
    for info in infos {
        let texts = info.missing(lang);
        if texts.is_empty() {
            continue;
        }
        let at = match missing.iter().position(|(n, _)| *n == info.name) {
            Some(i) => i,
            None => {
                missing.push((&info.name, Vec::new()));
                missing.len() - 1
            }
        };
        for t in texts {
            if !missing[at].1.contains(&t) {
                missing[at].1.push(t);
            }
        }
    }
    let seen: Vec<String> = missing
        .iter_mut()
        .map(|(name, texts)| {
            texts.sort_by_key(|t| *t as u8);
            let what: Vec<&str> = texts
                .iter()
                .map(|t| match t {
                    scenario_info::ScenarioText::Description => w.description_word,
                    scenario_info::ScenarioText::Assumptions => w.assumptions_word,
                })
                .collect();
            format!("{name} ({})", what.join(", "))
        })
        .collect();
    if seen.is_empty() {
        return None;
    }
    Some(html::para(
        "note",
        &format!(
            "{} {}. {}",
            w.missing_text,
            seen.join("; "),
            w.missing_text_hint
        ),
    ))
}

/// Every English text of the report with its Danish counterpart: the
/// fixed texts and month names ([`i18n::text_pairs`]) and the labels of
/// metrics and parameters ([`labels::text_pairs`]). A test renders Danish
/// pages and checks that none of the English texts appears in them.
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    let mut all = i18n::text_pairs();
    all.extend(labels::text_pairs());
    all.extend(budget_view::text_pairs());
    all.extend(calibration_view::text_pairs());
    all.extend(summary::text_pairs());
    all.extend(kpi_view::text_pairs());
    all
}
