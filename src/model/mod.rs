//! The bottom layer: plain data and rules with no IO beyond reading a
//! file whole — months, errors, the metric list, the law tables and money
//! rules, the typed scenario and its validation, the KPI, hashing and the
//! documented limits.

pub mod error;
pub mod hash;
pub mod kpi;
pub mod limits;
pub mod metrics;
pub mod money;
pub mod month;
pub mod payer;
pub mod presets;
pub mod scenario;
pub mod states;
pub mod validate;
