//! The simulation: random streams, the compiled plan, people and the
//! month-by-month engine. Pure functions of (plan, replication); no IO.

pub mod asleep;
pub mod engine;
pub mod intervene;
pub mod participation;
pub mod plan;
pub mod population;
pub mod quantity;
pub mod rng;
pub mod standing;
