//! What the report reads of a scenario: the resolved scenario's JSON as a
//! manifest holds it ([`ScenarioInfo`]: name, description and assumptions in
//! English and Danish, and the windows of the enabled policies, which make
//! the project period).
//!
//! A page is in one language: a text the scenario does not have in it is
//! left out, never shown in the other language; [`ScenarioInfo::missing`]
//! says which, for the page's single note about them.

use super::i18n::Lang;
use crate::model::error::InputError;
use crate::model::month::Month;
use serde_json::Value;
use std::path::Path;

/// What the report shows of a scenario: from a manifest's scenario JSON.
#[derive(Debug, Clone, Default)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub assumptions: Vec<String>,
    pub description_da: String,
    pub assumptions_da: Vec<String>,
    /// Windows `[from, to]` (inclusive months) of the enabled policies and
    /// of the interventions (their entry window and the months after it in
    /// which its last entrants take part).
    pub policy_windows: Vec<(Month, Month)>,
    /// The first simulated month, if the scenario says.
    pub start: Option<Month>,
    /// The `[money]` keys the report states: the price basis and the grant.
    pub money: MoneyInfo,
    /// The scenario's declared KPIs (`[[kpis]]`; empty: the seed's apply).
    pub kpis: Vec<crate::model::kpi::Kpi>,
    /// The labels (English, Danish) of the scheme's states when the
    /// scenario declares them (`[states.ly]`, `[states.flex]`): what the
    /// figures' LY and flexjob stand for.
    pub benefit: Option<(String, String)>,
    pub job: Option<(String, String)>,
}

/// What the report says about a scenario's money (defaults where the
/// scenario JSON lacks a key, as fleksim fills them in).
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyInfo {
    /// 0: nominal DKK; else fixed prices of this year.
    pub price_year: i64,
    pub indexation: f64,
    pub discount_rate: f64,
    /// 0: no grant stated.
    pub grant_amount: f64,
}

impl Default for MoneyInfo {
    fn default() -> Self {
        let m = crate::model::money::Money::default();
        MoneyInfo {
            price_year: i64::from(m.price_year),
            indexation: m.indexation,
            discount_rate: m.discount_rate,
            grant_amount: m.grant_amount,
        }
    }
}

/// A scenario text the report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioText {
    Description,
    Assumptions,
}

impl ScenarioInfo {
    /// The description in `lang`, if the scenario has it in that language.
    pub fn description_in(&self, lang: Lang) -> Option<&str> {
        let d = match lang {
            Lang::En => &self.description,
            Lang::Da => &self.description_da,
        };
        Some(d.as_str()).filter(|d| !d.trim().is_empty())
    }

    /// The assumptions in `lang`, if the scenario has them in that language.
    pub fn assumptions_in(&self, lang: Lang) -> Option<&[String]> {
        let a = match lang {
            Lang::En => &self.assumptions,
            Lang::Da => &self.assumptions_da,
        };
        Some(a.as_slice()).filter(|a| !a.is_empty())
    }

    /// A sentence saying what the figures' LY and flexjob stand for, when
    /// the scenario declares the scheme's states as another programme's.
    pub fn scheme_note(&self, lang: Lang) -> Option<String> {
        if self.benefit.is_none() && self.job.is_none() {
            return None;
        }
        let pick = |(en, da): &(String, String)| match lang {
            Lang::Da if !da.is_empty() => da.clone(),
            _ => en.clone(),
        };
        let w = lang.words();
        let benefit = self.benefit.as_ref().map_or_else(|| "LY".to_string(), pick);
        let job = self
            .job
            .as_ref()
            .map_or_else(|| "flexjob".to_string(), pick);
        Some(format!(
            "{} {benefit}; {} {job}.",
            w.scheme_benefit, w.scheme_job
        ))
    }

    /// The texts the scenario has in the other language but not in `lang`
    /// (a text it has in neither is not missing: there is none).
    pub fn missing(&self, lang: Lang) -> Vec<ScenarioText> {
        let other = match lang {
            Lang::En => Lang::Da,
            Lang::Da => Lang::En,
        };
        let mut out = Vec::new();
        if self.description_in(lang).is_none() && self.description_in(other).is_some() {
            out.push(ScenarioText::Description);
        }
        if self.assumptions_in(lang).is_none() && self.assumptions_in(other).is_some() {
            out.push(ScenarioText::Assumptions);
        }
        out
    }
}

fn err(msg: String) -> InputError {
    InputError(msg)
}

/// Reads what the report needs from a scenario as JSON. Lenient: keys the
/// report does not need may be missing or of any shape.
pub fn scenario_info(file: &Path, key: &str, json: &Value) -> Result<ScenarioInfo, InputError> {
    let text = |k: &str| {
        json.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let texts = |k: &str| -> Vec<String> {
        json.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let month = |v: Option<&Value>, what: &str| -> Result<Option<Month>, InputError> {
        match v.and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => Month::parse(s).map(Some).ok_or_else(|| {
                err(format!(
                    "`{}`: key `{key}.{what}` is `{s}`: write a month as YYYY-MM",
                    file.display()
                ))
            }),
        }
    };
    let start = month(json.get("start"), "start")?;
    let horizon = json.get("horizon_months").and_then(Value::as_u64);
    let end = match (start, horizon) {
        (Some(s), Some(h)) if h > 0 => Some(s.plus(h.min(12_000) as i32 - 1)),
        _ => None,
    };
    let mut policy_windows = Vec::new();
    if let Some(policies) = json.get("policy").and_then(Value::as_object) {
        for (name, p) in policies {
            if p.get("enabled").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let from = month(p.get("from"), &format!("policy.{name}.from"))?.or(start);
            let to = month(p.get("to"), &format!("policy.{name}.to"))?.or(end);
            if let (Some(f), Some(t)) = (from, to) {
                if f <= t {
                    policy_windows.push((f, t));
                }
            }
        }
    }
    // Model v2's interventions: people enter in the window and the last
    // of them stay `months` beyond it (as compare's project end counts).
    if let Some(list) = json.get("interventions").and_then(Value::as_array) {
        for (k, v) in list.iter().enumerate() {
            let from = month(v.get("from"), &format!("interventions[{k}].from"))?.or(start);
            let months = v
                .get("months")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .clamp(1, 12_000);
            let to = month(v.get("to"), &format!("interventions[{k}].to"))?
                .map(|t| t.plus(months as i32 - 1))
                .or(end);
            if let (Some(f), Some(t)) = (from, to) {
                let t = end.map_or(t, |e| t.min(e));
                if f <= t {
                    policy_windows.push((f, t));
                }
            }
        }
    }
    let mut money = MoneyInfo::default();
    if let Some(m) = json.get("money") {
        let f = |k: &str| m.get(k).and_then(Value::as_f64).filter(|v| v.is_finite());
        money.price_year = m
            .get("price_year")
            .and_then(Value::as_i64)
            .unwrap_or(money.price_year);
        money.indexation = f("indexation").unwrap_or(money.indexation);
        money.discount_rate = f("discount_rate").unwrap_or(money.discount_rate);
        money.grant_amount = f("grant_amount").unwrap_or(money.grant_amount);
    }
    let kpis = match json.get("kpis") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
            err(format!(
                "`{}`: key `{key}.kpis` is not a list of KPIs as fleksim writes them ({e}): \
                 write the folder again with the command that made it",
                file.display()
            ))
        })?,
    };
    // The scheme's states as the scenario declares them (model v2).
    let declared = |state: &str, kind: &str| -> Option<(String, String)> {
        let d = json.get("states")?.get(state)?;
        if d.get("kind").and_then(Value::as_str) != Some(kind) {
            return None;
        }
        let label = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let en = label("label");
        (!en.is_empty()).then(|| (en, label("label_da")))
    };
    let benefit = declared("ly", "benefit");
    let job = declared("flex", "job");
    Ok(ScenarioInfo {
        start,
        money,
        kpis,
        benefit,
        job,
        name: text("name"),
        description: text("description"),
        assumptions: texts("assumptions"),
        description_da: text("description_da"),
        assumptions_da: texts("assumptions_da"),
        policy_windows,
    })
}

/// Merges windows `[from, to]` into disjoint, sorted windows (touching
/// windows join).
pub fn union_windows(mut windows: Vec<(Month, Month)>) -> Vec<(Month, Month)> {
    windows.sort();
    let mut out: Vec<(Month, Month)> = Vec::new();
    for (f, t) in windows {
        match out.last_mut() {
            Some(last) if f <= last.1.plus(1) => last.1 = last.1.max(t),
            _ => out.push((f, t)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn windows_merge() {
        let w = union_windows(vec![
            (m("2017-01"), m("2018-06")),
            (m("2017-01"), m("2017-06")),
            (m("2018-07"), m("2018-09")),
            (m("2020-01"), m("2020-02")),
        ]);
        assert_eq!(
            w,
            vec![(m("2017-01"), m("2018-09")), (m("2020-01"), m("2020-02"))]
        );
        assert!(union_windows(vec![]).is_empty());
    }

    #[test]
    fn a_declared_scheme_says_what_ly_and_flexjob_stand_for() {
        let json = serde_json::json!({
            "name": "x",
            "states": {
                "ly": { "kind": "benefit", "label": "On kontanthjælp", "label_da": "På kontanthjælp" },
                "flex": { "kind": "job", "label": "In an ordinary job" },
                "other": { "kind": "exit", "label": "Other" },
            },
        });
        let info = scenario_info(Path::new("m.json"), "scenario", &json).unwrap();
        let en = info.scheme_note(Lang::En).unwrap();
        assert!(
            en.contains("On kontanthjælp") && en.contains("In an ordinary job"),
            "{en}"
        );
        let da = info.scheme_note(Lang::Da).unwrap();
        assert!(
            da.contains("På kontanthjælp") && da.contains("„fleksjob“"),
            "{da}"
        );
        let plain = serde_json::json!({ "name": "x", "states": { "other": { "kind": "exit" } } });
        let info = scenario_info(Path::new("m.json"), "scenario", &plain).unwrap();
        assert_eq!(
            info.scheme_note(Lang::En),
            None,
            "a flexjob scenario needs no note"
        );
    }

    #[test]
    fn texts_come_in_the_language_asked_or_are_missing() {
        let json = serde_json::json!({
            "name": "x",
            "description": "English",
            "assumptions": ["a"],
            "description_da": "Dansk",
        });
        let info = scenario_info(Path::new("m.json"), "scenario", &json).unwrap();
        assert_eq!(info.description_in(Lang::Da), Some("Dansk"));
        assert_eq!(info.description_in(Lang::En), Some("English"));
        assert_eq!(info.assumptions_in(Lang::Da), None);
        assert_eq!(info.missing(Lang::Da), vec![ScenarioText::Assumptions]);
        assert!(info.missing(Lang::En).is_empty());
        let bare = scenario_info(Path::new("m.json"), "scenario", &serde_json::json!({})).unwrap();
        assert!(bare.missing(Lang::Da).is_empty() && bare.missing(Lang::En).is_empty());
    }

    #[test]
    fn enabled_policies_give_windows() {
        let json: Value = serde_json::json!({
            "name": "x", "start": "2016-09", "horizon_months": 24,
            "policy": {
                "jobclub": {"enabled": true, "from": "2017-01", "to": "2017-06"},
                "followup": {"enabled": false, "from": "2016-09", "to": "2018-08"},
                "screening": {"enabled": true}
            }
        });
        let info = scenario_info(Path::new("m.json"), "scenario", &json).unwrap();
        let mut w = info.policy_windows;
        w.sort();
        assert_eq!(
            w,
            vec![(m("2016-09"), m("2018-08")), (m("2017-01"), m("2017-06"))]
        );
        // An intervention's window runs on by its months, to the horizon.
        let iv = serde_json::json!({
            "name": "x", "start": "2016-09", "horizon_months": 24,
            "interventions": [
                {"name": "a", "from": "2017-01", "to": "2017-03", "months": 4},
                {"name": "b", "from": "2018-01", "months": 15}
            ]
        });
        let mut w = scenario_info(Path::new("m.json"), "scenario", &iv)
            .unwrap()
            .policy_windows;
        w.sort();
        assert_eq!(
            w,
            vec![(m("2017-01"), m("2017-06")), (m("2018-01"), m("2018-08"))]
        );
        let bad = serde_json::json!({"policy": {"jobclub": {"enabled": true, "from": "2017"}}});
        let e = scenario_info(Path::new("m.json"), "scenario", &bad)
            .unwrap_err()
            .0;
        assert!(
            e.contains("policy.jobclub.from") && e.contains("YYYY-MM"),
            "{e}"
        );
    }
}
