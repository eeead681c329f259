//! Interventions without places compiled (docs/model.md, "How people
//! enter"): the v1 policies and the scenario's own interventions with
//! `entry = "in_force"`, `"visitation"` or `"stock"`
//! ([`crate::model::presets::standing`]). They need no record on the
//! person beyond the rehab flag and the screening month, so the plan folds
//! them into its tables: the offers on LY into the job-finding table and a
//! mask of spell months per month; the visitation intervention into the
//! table of its group; follow-up and screening into the contact rules the
//! engine reads.

use crate::model::presets;
use crate::model::scenario::{Followup, Scenario, Screening, Window};
use crate::model::states::{InterventionState, IvEntry};

pub use crate::model::presets::MAX_OFFERS;

/// An intervention on LY with `entry = "in_force"` (the jobclub, the
/// three-month review): in the months of its window, people in spell
/// months `min ..= max` have job finding multiplied by `find_job`; each
/// such month is a participant-month at `cost_per_month` (plus
/// `cost_per_week` a week), and an active offer if `active`.
#[derive(Debug, Clone)]
pub struct Offer {
    pub window: Window,
    pub min: u32,
    pub max: u32,
    pub find_job: f64,
    pub active: bool,
    pub cost_per_month: f64,
    pub cost_per_week: f64,
}

impl Offer {
    /// Whether spell month `d` is in it.
    pub fn covers(&self, d: u32) -> bool {
        d >= self.min && d <= self.max
    }
}

/// An intervention on LY with `entry = "visitation"` (the consultant at
/// the rehabilitation team meeting): people who enter the scheme in its
/// window have job finding multiplied by `find_job` in spell months
/// `min ..= max` of their first spell, and `agreement_share` of their
/// first jobs carry a progression agreement.
#[derive(Debug, Clone)]
pub struct Visitation {
    pub window: Window,
    pub min: u32,
    pub max: u32,
    pub find_job: f64,
    pub agreement_share: f64,
}

/// What the contacts in flexjobs cost: per contact, and per protected
/// month (DKK in the scenario's first year).
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactPrices {
    pub per_contact: f64,
    pub per_protected_month: f64,
    pub per_protected_week: f64,
}

/// The standing interventions of a scenario, compiled.
#[derive(Debug, Clone)]
pub struct Standing {
    pub offers: Vec<Offer>,
    pub visitation: Option<Visitation>,
    /// Follow-up (`enabled` false without one); its `p_up_contact`,
    /// `dismissal_multiplier` and `protect_months` are the effects of
    /// every contact, screening's too.
    pub followup: Followup,
    pub screening: Screening,
    pub contact_prices: ContactPrices,
}

impl Standing {
    /// Compiles the standing interventions of a validated scenario (the
    /// validation allows at most one visitation, one follow-up and one
    /// screening intervention, with the same contact effects).
    pub fn new(s: &Scenario) -> Standing {
        // Without a follow-up or screening intervention, the rules keep
        // the v1 section's values (which then change nothing).
        let mut out = Standing {
            offers: Vec::new(),
            visitation: None,
            followup: Followup {
                enabled: false,
                ..s.policy.followup.clone()
            },
            screening: Screening {
                enabled: false,
                ..s.policy.screening.clone()
            },
            contact_prices: ContactPrices::default(),
        };
        for v in presets::standing(s) {
            let window = Window {
                from: v.from,
                to: v.to,
            };
            let max = v.max_months.unwrap_or(u32::MAX);
            match (v.state, v.entry) {
                (InterventionState::Ly, IvEntry::InForce) => out.offers.push(Offer {
                    window,
                    min: v.min_months,
                    max,
                    find_job: v.find_job,
                    active: v.active_offer,
                    cost_per_month: v.cost_per_month,
                    cost_per_week: v.cost_per_week,
                }),
                (InterventionState::Ly, IvEntry::Visitation) => {
                    out.visitation = Some(Visitation {
                        window,
                        min: v.min_months,
                        max,
                        find_job: v.find_job,
                        agreement_share: v.agreement_share,
                    })
                }
                (InterventionState::Flex, IvEntry::InForce | IvEntry::Stock) => {
                    let f = &mut out.followup;
                    f.p_up_contact = v.hours_up_contact;
                    f.dismissal_multiplier = v.dismissal;
                    f.protect_months = v.protect_months;
                    out.contact_prices = ContactPrices {
                        per_contact: v.cost_per_contact,
                        per_protected_month: v.cost_per_month,
                        per_protected_week: v.cost_per_week,
                    };
                    let hours = v.max_start_hours.unwrap_or(u8::MAX);
                    if v.entry == IvEntry::InForce {
                        f.enabled = true;
                        f.from = v.from;
                        f.to = v.to;
                        f.schedule = v.contact_months.clone();
                        f.max_start_hours = hours;
                        f.hours_per_contact = v.consultant_hours_per_contact;
                    } else {
                        out.screening = Screening {
                            enabled: true,
                            from: v.from,
                            to: v.to,
                            max_start_hours: hours,
                            hours_per_contact: v.consultant_hours_per_contact,
                        };
                    }
                }
                // The validation refuses the other combinations.
                _ => {}
            }
        }
        out
    }

    /// The bits of the offers that are active offers.
    pub fn active_bits(&self) -> u8 {
        self.offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.active)
            .fold(0, |b, (i, _)| b | (1 << i))
    }
}
