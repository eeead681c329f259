//! The sampler: ABC with sequential Monte Carlo (ABC-SMC; Toni et al.
//! 2009, Beaumont et al. 2009, with the adaptive tolerances of Del Moral
//! et al. 2012). It knows nothing of files or scenarios: it proposes
//! parameter points, asks an evaluator for each point's distance (the
//! largest of the targets' distances, ≤ 1 when every simulated target is
//! inside its tolerance), and keeps a weighted population.
//!
//! - **Generation 0**: `initial_points` points of a Latin hypercube in the
//!   priors' quantiles (one point per stratum of each parameter), each run
//!   with `reps_start` replications. The `particles` nearest points are the
//!   population, with equal weights (they are prior draws); its tolerance
//!   is the largest of their distances.
//! - **Generation t ≥ 1**: the tolerance is the `quantile` of the previous
//!   population's distances, but not below 1 (the targets' own intervals)
//!   nor above the previous tolerance. Proposal `j` picks a particle by
//!   weight and moves it by a multivariate normal step with twice the
//!   population's weighted covariance (Beaumont et al.; correlated
//!   parameters move together), drawn again until it falls where the prior
//!   has density (its support). Replications per
//!   point double each generation, from `reps_start` to `reps_max`.
//!   Proposals run in batches of `particles`; they are accepted in the
//!   order of their numbers until `particles` are in. A new particle's
//!   weight is its prior density over the kernel's mixture density,
//!   Σ_j W_j K(θ | θ_j) (the truncation of the kernel at the support is
//!   not renormalised).
//! - **Stop** when a generation is complete at tolerance 1 with `reps_max`
//!   replications (converged), after `generations` generations, or when the
//!   next generation would pass `max_evaluations` (the last complete
//!   population is the result).
//!
//! Every random number comes from a stream keyed by the seed, the
//! generation and the proposal's number, and batches do not depend on the
//! thread count, so the population is the same to the bit with any number
//! of threads, and a run resumed from a [`State`] continues exactly as an
//! uninterrupted one. A state that stopped on `generations` or
//! `max_evaluations` continues when resumed with higher limits.

use crate::analysis::sweep::axes::latin_hypercube;
use crate::sim::rng;
use rand::rngs::Xoshiro256PlusPlus as Xoshiro;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

/// One point of the population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Particle {
    #[serde(with = "bits_vec")]
    pub theta: Vec<f64>,
    #[serde(with = "bits")]
    pub weight: f64,
    #[serde(with = "bits")]
    pub distance: f64,
}

/// One generation's record (`generations.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub generation: u32,
    #[serde(with = "bits")]
    pub tolerance: f64,
    pub replications: u32,
    /// Points run in this generation.
    pub evaluations: u64,
    /// Proposals that never reached the prior's support, or whose
    /// scenario was invalid.
    pub invalid: u64,
    /// Effective sample size of the weights, (Σw)² / Σw².
    #[serde(with = "bits")]
    pub ess: f64,
}

/// Where a calibration stands after its last complete generation: all a
/// resumed run needs (floats stored by their bits, so it resumes exactly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub population: Vec<Particle>,
    pub history: Vec<Generation>,
    /// Points run so far.
    pub evaluations: u64,
    /// Replications simulated so far.
    pub replications_run: u64,
    /// Why it stopped, once it has: `converged`, `generations`, `budget`.
    pub stopped: Option<String>,
}

impl State {
    pub fn tolerance(&self) -> f64 {
        self.history.last().map_or(f64::INFINITY, |g| g.tolerance)
    }
    pub fn replications(&self) -> u32 {
        self.history.last().map_or(0, |g| g.replications)
    }
}

/// The sampler's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub seed: u64,
    pub particles: usize,
    pub initial_points: usize,
    pub generations: u32,
    pub reps_start: u32,
    pub reps_max: u32,
    pub quantile: f64,
    pub max_evaluations: u64,
}

/// A prior as the sampler sees it.
pub trait PriorFn: Sync {
    fn quantile(&self, q: f64) -> f64;
    fn density(&self, x: f64) -> f64;
    fn integer(&self) -> bool;
}

/// Runs points: for each `theta`, its distance (∞ for an invalid point),
/// with `reps` replications; in the order given.
pub type Evaluate<'a, E> = dyn FnMut(&[Vec<f64>], u32) -> Result<Vec<f64>, E> + 'a;

/// Stream purposes of the sampler (distinct from the engine's).
const PURPOSE_PROPOSAL: u64 = 0xCA11_0001;

fn uniform(r: &mut Xoshiro) -> f64 {
    rng::uniform(r)
}

/// A standard normal draw (Box–Muller, both uniforms from `r`).
fn normal(r: &mut Xoshiro) -> f64 {
    let u1 = 1.0 - uniform(r); // (0, 1]
    let u2 = uniform(r);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn stream(seed: u64, generation: u32, j: u64) -> Xoshiro {
    let k = rng::splitmix64(
        rng::splitmix64(seed ^ PURPOSE_PROPOSAL) ^ rng::splitmix64(generation as u64) ^ j,
    );
    Xoshiro::seed_from_u64(rng::splitmix64(k ^ j.rotate_left(17)))
}

fn replications(s: &Settings, generation: u32) -> u32 {
    let r = (s.reps_start as u64) << generation.min(32);
    r.min(s.reps_max as u64) as u32
}

fn ess(pop: &[Particle]) -> f64 {
    let s: f64 = pop.iter().map(|p| p.weight).sum();
    let s2: f64 = pop.iter().map(|p| p.weight * p.weight).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// The weighted `q`-quantile of `values` (the smallest value whose
/// cumulative weight reaches `q`).
pub fn weighted_quantile(values: &[(f64, f64)], q: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = values.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for &(x, w) in &v {
        acc += w;
        if acc >= q * total {
            return x;
        }
    }
    v.last().map_or(f64::NAN, |x| x.0)
}

fn round_if(p: &dyn PriorFn, x: f64) -> f64 {
    if p.integer() {
        x.round()
    } else {
        x
    }
}

/// Generation 0: the Latin hypercube and its nearest points.
fn first<E>(s: &Settings, priors: &[&dyn PriorFn], eval: &mut Evaluate<E>) -> Result<State, E> {
    let keys: Vec<String> = (0..priors.len()).map(|k| format!("p{k}")).collect();
    let unit = latin_hypercube(
        s.seed,
        &keys,
        &vec![(0.0, 1.0); priors.len()],
        s.initial_points,
    );
    let points: Vec<Vec<f64>> = unit
        .iter()
        .map(|u| {
            u.iter()
                .zip(priors)
                .map(|(&q, p)| round_if(*p, p.quantile(q.clamp(1e-9, 1.0 - 1e-9))))
                .collect()
        })
        .collect();
    let reps = replications(s, 0);
    let d = eval(&points, reps)?;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| d[a].total_cmp(&d[b]).then(a.cmp(&b)));
    order.truncate(s.particles);
    let population: Vec<Particle> = order
        .iter()
        .map(|&i| Particle {
            theta: points[i].clone(),
            weight: 1.0 / s.particles as f64,
            distance: d[i],
        })
        .collect();
    let tolerance = population.last().map_or(f64::INFINITY, |p| p.distance);
    let invalid = d.iter().filter(|x| x.is_infinite()).count() as u64;
    Ok(State {
        history: vec![Generation {
            generation: 0,
            tolerance,
            replications: reps,
            evaluations: points.len() as u64,
            invalid,
            ess: ess(&population),
        }],
        evaluations: points.len() as u64,
        replications_run: points.len() as u64 * reps as u64,
        population,
        stopped: None,
    })
}

/// The kernel: a multivariate normal with twice the population's weighted
/// covariance (Beaumont et al. 2009), as its lower Cholesky factor `l`
/// (row-major, `d × d`). Where the population agrees on a parameter, its
/// variance is raised to a millionth of the square of the prior's 90 %
/// range (an integer key's to 0.25), so the factor exists.
#[derive(Debug, Clone)]
struct Kernel {
    d: usize,
    l: Vec<f64>,
}

impl Kernel {
    fn new(pop: &[Particle], priors: &[&dyn PriorFn]) -> Kernel {
        let d = priors.len();
        let total: f64 = pop.iter().map(|p| p.weight).sum();
        let mean: Vec<f64> = (0..d)
            .map(|k| pop.iter().map(|p| p.weight * p.theta[k]).sum::<f64>() / total)
            .collect();
        let mut c = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..=i {
                let v = pop
                    .iter()
                    .map(|p| p.weight * (p.theta[i] - mean[i]) * (p.theta[j] - mean[j]))
                    .sum::<f64>()
                    / total;
                c[i * d + j] = 2.0 * v;
                c[j * d + i] = 2.0 * v;
            }
        }
        for (k, prior) in priors.iter().enumerate() {
            let span = (prior.quantile(0.95) - prior.quantile(0.05)).abs();
            let floor = if prior.integer() {
                0.25
            } else {
                (span / 1000.0).powi(2).max(f64::MIN_POSITIVE)
            };
            c[k * d + k] = c[k * d + k].max(floor);
        }
        // Cholesky; a pivot that is not positive (rounding) gets the floor.
        let mut l = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..=i {
                let s: f64 = (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum();
                if i == j {
                    let v = c[i * d + i] - s;
                    l[i * d + i] = if v > 0.0 {
                        v.sqrt()
                    } else {
                        c[i * d + i].sqrt().max(f64::MIN_POSITIVE)
                    };
                } else {
                    l[i * d + j] = (c[i * d + j] - s) / l[j * d + j];
                }
            }
        }
        Kernel { d, l }
    }

    /// `x + L z` for standard normal `z` drawn from `r`.
    fn step(&self, x: &[f64], r: &mut Xoshiro) -> Vec<f64> {
        let z: Vec<f64> = (0..self.d).map(|_| normal(r)).collect();
        (0..self.d)
            .map(|i| x[i] + (0..=i).map(|k| self.l[i * self.d + k] * z[k]).sum::<f64>())
            .collect()
    }

    /// The squared Mahalanobis distance of `x − y` (solves `L v = x − y`).
    fn distance2(&self, x: &[f64], y: &[f64]) -> f64 {
        let mut v = vec![0.0; self.d];
        for i in 0..self.d {
            let s: f64 = (0..i).map(|k| self.l[i * self.d + k] * v[k]).sum();
            v[i] = (x[i] - y[i] - s) / self.l[i * self.d + i];
        }
        v.iter().map(|a| a * a).sum()
    }
}

/// Proposal `j` of generation `g`, or `None` if 1,000 moves all left the
/// prior's support.
fn propose(
    s: &Settings,
    g: u32,
    j: u64,
    pop: &[Particle],
    cum: &[f64],
    kernel: &Kernel,
    priors: &[&dyn PriorFn],
) -> Option<Vec<f64>> {
    let mut r = stream(s.seed, g, j);
    let u = uniform(&mut r);
    let i = cum.partition_point(|&c| c <= u).min(pop.len() - 1);
    for _ in 0..1000 {
        let theta: Vec<f64> = kernel
            .step(&pop[i].theta, &mut r)
            .into_iter()
            .zip(priors)
            .map(|(x, p)| round_if(*p, x))
            .collect();
        if theta.iter().zip(priors).all(|(&x, p)| p.density(x) > 0.0) {
            return Some(theta);
        }
    }
    None
}

/// One generation after the first; `None` when the budget runs out first.
fn next<E>(
    s: &Settings,
    priors: &[&dyn PriorFn],
    state: &State,
    eval: &mut Evaluate<E>,
    progress_total: &mut dyn FnMut(u64),
) -> Result<Option<State>, E> {
    let prev = &state.population;
    let g = state.history.len() as u32;
    let dists: Vec<(f64, f64)> = prev.iter().map(|p| (p.distance, p.weight)).collect();
    let tolerance = weighted_quantile(&dists, s.quantile)
        .max(1.0)
        .min(state.tolerance());
    let reps = replications(s, g);
    let total: f64 = prev.iter().map(|p| p.weight).sum();
    let mut acc = 0.0;
    let cum: Vec<f64> = prev
        .iter()
        .map(|p| {
            acc += p.weight;
            acc / total
        })
        .collect();
    let kernel = Kernel::new(prev, priors);
    let mut accepted: Vec<Particle> = Vec::with_capacity(s.particles);
    let mut evaluations = 0u64;
    let mut invalid = 0u64;
    let mut j = 0u64;
    while accepted.len() < s.particles {
        let batch = s.particles as u64;
        if state.evaluations + evaluations + batch > s.max_evaluations {
            return Ok(None);
        }
        progress_total(batch);
        let proposals: Vec<Option<Vec<f64>>> = (j..j + batch)
            .map(|k| propose(s, g, k, prev, &cum, &kernel, priors))
            .collect();
        let run: Vec<Vec<f64>> = proposals.iter().flatten().cloned().collect();
        let d = eval(&run, reps)?;
        evaluations += batch;
        let mut di = d.into_iter();
        for p in proposals {
            let dist = match p {
                Some(_) => di.next().unwrap_or(f64::INFINITY),
                None => f64::INFINITY,
            };
            if dist.is_infinite() {
                invalid += 1;
            }
            if let Some(theta) = p {
                if dist <= tolerance && accepted.len() < s.particles {
                    accepted.push(Particle {
                        theta,
                        weight: 0.0,
                        distance: dist,
                    });
                }
            }
        }
        j += batch;
    }
    // Importance weights: prior over the kernel mixture.
    for a in &mut accepted {
        let prior: f64 = a
            .theta
            .iter()
            .zip(priors)
            .map(|(&x, p)| p.density(x))
            .product();
        let mix: f64 = prev
            .iter()
            .map(|q| q.weight / total * (-0.5 * kernel.distance2(&a.theta, &q.theta)).exp())
            .sum();
        a.weight = if mix > 0.0 { prior / mix } else { 0.0 };
    }
    let wsum: f64 = accepted.iter().map(|p| p.weight).sum();
    if !(wsum > 0.0 && wsum.is_finite()) {
        // Every kernel density underflowed: fall back to equal weights.
        accepted.iter_mut().for_each(|p| p.weight = 1.0);
    }
    let wsum: f64 = accepted.iter().map(|p| p.weight).sum();
    accepted.iter_mut().for_each(|p| p.weight /= wsum);
    let mut history = state.history.clone();
    history.push(Generation {
        generation: g,
        tolerance,
        replications: reps,
        evaluations,
        invalid,
        ess: ess(&accepted),
    });
    Ok(Some(State {
        population: accepted,
        history,
        evaluations: state.evaluations + evaluations,
        replications_run: state.replications_run + evaluations * reps as u64,
        stopped: None,
    }))
}

/// Whether a state is finished, and why.
fn stop_reason(s: &Settings, state: &State) -> Option<&'static str> {
    let last = state.history.last()?;
    if last.generation > 0 && last.tolerance <= 1.0 && last.replications >= s.reps_max {
        return Some("converged");
    }
    if state.history.len() as u32 >= s.generations {
        return Some("generations");
    }
    None
}

/// Runs (or resumes from `state`) until it stops; `checkpoint` is called
/// after each complete generation, `progress_total` with the points each
/// batch adds before it runs.
pub fn run<E>(
    s: &Settings,
    priors: &[&dyn PriorFn],
    state: Option<State>,
    eval: &mut Evaluate<E>,
    checkpoint: &mut dyn FnMut(&State) -> Result<(), E>,
    progress_total: &mut dyn FnMut(u64),
) -> Result<State, E> {
    let mut state = match state {
        // A stop on a limit is reconsidered: the limits may have been raised.
        Some(mut st) if st.stopped.as_deref() != Some("converged") => {
            st.stopped = None;
            st
        }
        Some(st) => st,
        None => {
            progress_total(s.initial_points as u64);
            let st = first(s, priors, eval)?;
            checkpoint(&st)?;
            st
        }
    };
    loop {
        if state.stopped.is_some() {
            return Ok(state);
        }
        if let Some(why) = stop_reason(s, &state) {
            state.stopped = Some(why.to_string());
            checkpoint(&state)?;
            return Ok(state);
        }
        match next(s, priors, &state, eval, progress_total)? {
            Some(st) => {
                state = st;
                checkpoint(&state)?;
            }
            None => {
                state.stopped = Some("budget".to_string());
                checkpoint(&state)?;
                return Ok(state);
            }
        }
    }
}

/// Serde of an `f64` by its bits, so a checkpoint reads back exactly.
mod bits {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(x.to_bits())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

mod bits_vec {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(x: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(x.iter().map(|v| v.to_bits()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<u64>::deserialize(d).map(|v| v.into_iter().map(f64::from_bits).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct U(f64, f64);
    impl PriorFn for U {
        fn quantile(&self, q: f64) -> f64 {
            self.0 + (self.1 - self.0) * q
        }
        fn density(&self, x: f64) -> f64 {
            if (self.0..=self.1).contains(&x) {
                1.0
            } else {
                0.0
            }
        }
        fn integer(&self) -> bool {
            false
        }
    }

    /// A model without noise: the distance is |θ − 0.3| / 0.05. The
    /// sampler must end with every particle inside the tolerance.
    #[test]
    fn a_deterministic_target_is_found() {
        let s = Settings {
            seed: 1,
            particles: 50,
            initial_points: 200,
            generations: 10,
            reps_start: 1,
            reps_max: 2,
            quantile: 0.5,
            max_evaluations: 100_000,
        };
        let p = U(0.0, 1.0);
        let priors: Vec<&dyn PriorFn> = vec![&p];
        let mut eval = |pts: &[Vec<f64>], _r: u32| -> Result<Vec<f64>, ()> {
            Ok(pts.iter().map(|t| (t[0] - 0.3).abs() / 0.05).collect())
        };
        let st = run(&s, &priors, None, &mut eval, &mut |_| Ok(()), &mut |_| {}).unwrap();
        assert_eq!(st.stopped.as_deref(), Some("converged"));
        assert!(st
            .population
            .iter()
            .all(|p| (p.theta[0] - 0.3).abs() <= 0.05));
        let w: f64 = st.population.iter().map(|p| p.weight).sum();
        assert!((w - 1.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_quantiles_take_the_smallest_value_reaching_the_share() {
        let v = [(3.0, 1.0), (1.0, 1.0), (2.0, 2.0)];
        assert_eq!(weighted_quantile(&v, 0.25), 1.0);
        assert_eq!(weighted_quantile(&v, 0.5), 2.0);
        assert_eq!(weighted_quantile(&v, 0.76), 3.0);
    }
}
