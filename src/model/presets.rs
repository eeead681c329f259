//! The five v1 policies of `[policy]` as interventions (docs/model.md,
//! "The v1 policies as interventions"). A v1 file keeps its keys; the plan
//! reads each enabled policy as the intervention this module writes for
//! it, beside the scenario's own `[[interventions]]`, so that one language
//! describes both and `fleksim validate` prints both in it.
//!
//! | v1 policy | intervention |
//! | --- | --- |
//! | `jobclub` | on LY, `entry = "in_force"`, spell months `0 ..= months - 1`, an active offer |
//! | `three_month_review` | on LY, `entry = "in_force"`, spell months `start_month ..= start_month + months - 1`, an active offer |
//! | `rehab_meeting` | on LY, `entry = "visitation"`, spell months `0 ..= months - 1`, `agreement_share` |
//! | `followup` | in flexjobs, `entry = "in_force"`, `contact_months = schedule` |
//! | `screening` | in flexjobs, `entry = "stock"`, with the follow-up's contact effects |
//!
//! Their prices are the v1 ones of `[money.measures]`: the jobclub's and
//! the review's per participant-month, `per_contact` per contact, and
//! `mentor_per_week` per protected week.

use crate::model::scenario::{Scenario, Window};
use crate::model::states::{Intervention, InterventionState, IvEntry};
use serde::Serialize;
use std::collections::BTreeMap;

/// At most this many interventions on LY with `entry = "in_force"`, the
/// jobclub and the review included (the engine keeps a bit each in a
/// byte).
pub const MAX_OFFERS: usize = 8;

/// An intervention named `name` in `state` over `window` with nothing
/// else set: every multiplier 1, no cost, no consultant time.
fn blank(name: &str, state: InterventionState, window: Window, entry: IvEntry) -> Intervention {
    Intervention {
        name: name.to_string(),
        state,
        programme: None,
        end_to: BTreeMap::new(),
        from: window.from,
        to: window.to,
        min_months: 0,
        max_months: None,
        max_start_hours: None,
        months: 0,
        places: None,
        find_job: 1.0,
        exit: 1.0,
        dismissal: 1.0,
        hours_up: 1.0,
        work_share: 1.0,
        consultant_hours_per_month: 0.0,
        cost_per_week: 0.0,
        cost_per_month: 0.0,
        contact_every_months: 1,
        consultant_hours_per_contact: 0.0,
        cost_per_contact: 0.0,
        entry,
        active_offer: false,
        agreement_share: 0.0,
        contact_months: Vec::new(),
        hours_up_contact: 0.0,
        protect_months: 3,
        beyond_places: Default::default(),
    }
}

/// The enabled v1 policies of `s`, as interventions, in the order jobclub,
/// three-month review, rehabilitation meeting, follow-up, screening. A
/// jobclub or review of 0 months acts in no month and is left out.
pub fn policy_interventions(s: &Scenario) -> Vec<Intervention> {
    let p = &s.policy;
    let me = &s.money.measures;
    let mut out = Vec::new();
    let ly = InterventionState::Ly;
    let offer = |name: &str, window, from: u32, months: u32, effect, price| {
        let mut v = blank(name, ly, window, IvEntry::InForce);
        v.min_months = from;
        v.max_months = Some(from.saturating_add(months - 1));
        v.find_job = effect;
        v.cost_per_month = price;
        v.active_offer = true;
        v
    };
    if p.jobclub.enabled && p.jobclub.months > 0 {
        let j = &p.jobclub;
        let price = me.jobclub_per_participant_month;
        out.push(offer("jobclub", j.window(), 0, j.months, j.effect, price));
    }
    let r = &p.three_month_review;
    if r.enabled && r.months > 0 {
        let price = me.review_per_participant_month;
        out.push(offer(
            "three_month_review",
            r.window(),
            r.start_month,
            r.months,
            r.effect,
            price,
        ));
    }
    let rm = &p.rehab_meeting;
    if rm.enabled {
        let mut v = blank("rehab_meeting", ly, rm.window(), IvEntry::Visitation);
        // A meeting whose effect lasts 0 months still gives agreements.
        v.max_months = Some(rm.months.max(1) - 1);
        v.find_job = if rm.months > 0 { rm.effect } else { 1.0 };
        v.agreement_share = rm.agreement_share;
        out.push(v);
    }
    let fu = &p.followup;
    let contact = |v: &mut Intervention| {
        v.cost_per_contact = me.per_contact;
        v.cost_per_week = me.mentor_per_week;
        v.hours_up_contact = fu.p_up_contact;
        v.dismissal = fu.dismissal_multiplier;
        v.protect_months = fu.protect_months;
    };
    let flex = InterventionState::Flex;
    if fu.enabled {
        let mut v = blank("followup", flex, fu.window(), IvEntry::InForce);
        v.max_start_hours = Some(fu.max_start_hours);
        v.contact_months = fu.schedule.clone();
        v.consultant_hours_per_contact = fu.hours_per_contact;
        contact(&mut v);
        out.push(v);
    }
    let sc = &p.screening;
    if sc.enabled {
        let mut v = blank("screening", flex, sc.window(), IvEntry::Stock);
        v.max_start_hours = Some(sc.max_start_hours);
        v.consultant_hours_per_contact = sc.hours_per_contact;
        contact(&mut v);
        out.push(v);
    }
    out
}

/// The interventions that need no places, which the plan compiles into
/// its tables: the v1 policies' ([`policy_interventions`]) first, then the
/// scenario's own whose `entry` is not `eligible`.
pub fn standing(s: &Scenario) -> Vec<Intervention> {
    let mut out = policy_interventions(s);
    out.extend(
        s.interventions
            .iter()
            .filter(|v| v.entry != IvEntry::Eligible)
            .cloned(),
    );
    out
}

/// Every intervention of `s` with the window in which it acts: each
/// enabled v1 policy's (a jobclub or review of 0 months included, as v1
/// counted them) and the scenario's own. A place taken on the window's
/// last month runs `months` more.
pub fn windows(s: &Scenario) -> Vec<Window> {
    let p = &s.policy;
    let v1 = [
        (p.jobclub.enabled, p.jobclub.window()),
        (p.three_month_review.enabled, p.three_month_review.window()),
        (p.rehab_meeting.enabled, p.rehab_meeting.window()),
        (p.followup.enabled, p.followup.window()),
        (p.screening.enabled, p.screening.window()),
    ];
    let own = s.interventions.iter().map(|v| {
        let to = match v.entry {
            IvEntry::Eligible => v.to.map(|t| t.plus(v.months as i32 - 1)),
            _ => v.to,
        };
        Window { from: v.from, to }
    });
    v1.into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| w)
        .chain(own)
        .collect()
}

/// The scenario's v1 policies as `[[interventions]]`, as TOML comment
/// lines that follow [`Scenario::v2_form`] in `fleksim validate` (empty
/// without policies). Pasted in place of `[policy]`, uncommented, they
/// give the same results.
pub fn v2_form(s: &Scenario) -> String {
    let v1 = policy_interventions(s);
    if v1.is_empty() {
        return String::new();
    }
    #[derive(Serialize)]
    struct List<'a> {
        interventions: &'a [Intervention],
    }
    let mut out = vec![
        "# The [policy] sections are these interventions (docs/model.md, \"The v1 \
         policies as interventions\"); in place of [policy] they give the same results:"
            .to_string(),
    ];
    let text = toml::to_string(&List { interventions: &v1 }).unwrap_or_default();
    out.extend(
        text.lines()
            .map(|l| format!("#   {l}").trim_end().to_string()),
    );
    out.join("\n") + "\n"
}
