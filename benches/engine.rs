//! Engine throughput in person-months per second.
//!
//! `cargo bench --bench engine` runs one replication of each scenario per
//! iteration and reports throughput as elements (person-months) per second,
//! single-threaded. `project/no-pricing` measures the engine with the money
//! side switched off, so the ratio to `project` is what pricing costs;
//! `project/monthly` and `markov-check/monthly` keep every job in the
//! monthly loops (`sampling = "monthly"`, the same results as the default
//! next-event sampling), so the ratio is what letting jobs sleep gains.
//! `project-0.1.0` runs 0.1.0's own `aalborg-project.toml` (a v1 file, kept
//! in `benches/fixtures/`), so that this engine and 0.1.0's can be compared
//! on the same workload: 0.1.0's `engine/project` runs that file.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fleksim::{engine, Plan};
use std::hint::black_box;

fn plan(path: &str) -> Plan {
    let s = fleksim::input::load_file(path.as_ref(), &[]).unwrap_or_else(|e| panic!("{e}"));
    Plan::new(&s)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(20);
    let project = plan("scenarios/aalborg-project.toml");
    let mut unpriced = project.clone();
    unpriced.pricing = false;
    // Every job met every month (`sampling = "monthly"`), to measure what
    // letting jobs sleep (the default) gains.
    let mut monthly = project.clone();
    monthly.next_event = false;
    let mut markov_monthly = plan("scenarios/markov-check.toml");
    markov_monthly.next_event = false;
    // The project without model v2's cohorts and priced exits (as in v1).
    let mut v1 = fleksim::input::load_file("scenarios/aalborg-project.toml".as_ref(), &[])
        .unwrap_or_else(|e| panic!("{e}"));
    v1.cohorts.clear();
    v1.states.clear();
    v1.ly.exit_to.clear();
    v1.flex.exit_to.clear();
    let cases = [
        ("project", project),
        ("project/no-pricing", unpriced),
        ("project/monthly", monthly),
        ("project/v1-exits-no-cohorts", Plan::new(&v1)),
        (
            "project-0.1.0",
            plan("benches/fixtures/aalborg-project-0.1.0.toml"),
        ),
        ("markov-check", plan("scenarios/markov-check.toml")),
        ("markov-check/monthly", markov_monthly),
        ("baseline", plan("scenarios/aalborg-baseline.toml")),
    ];
    for (name, p) in &cases {
        // Person-months of one replication (the same for every replication
        // up to chance; measured on replication 0).
        let pm = engine::simulate(p, 0).person_months;
        g.throughput(Throughput::Elements(pm));
        let mut pop = engine::Population::default();
        let mut rep = 0u64;
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                rep += 1;
                black_box(engine::simulate_with(p, rep, &mut pop))
            })
        });
    }
    g.finish();
}

fn summary(c: &mut Criterion) {
    let p = plan("scenarios/aalborg-project.toml");
    let runner = fleksim::runner::Runner::new(1).unwrap_or_else(|e| panic!("{e}"));
    let reps = runner.collect_plan(&p, 0..200, &|| ());
    let mut g = c.benchmark_group("stats");
    g.sample_size(10);
    g.throughput(Throughput::Elements(reps.len() as u64));
    g.bench_function("monthly-quantiles-200-replications", |b| {
        b.iter(|| {
            let mut acc = fleksim::stats::Accumulator::new(p.months * fleksim::metrics::N);
            for r in &reps {
                acc.push(r.values.iter().copied());
            }
            black_box(acc.finish())
        })
    });
    g.finish();
}

criterion_group!(benches, bench, summary);
criterion_main!(benches);
