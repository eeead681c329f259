//! Sweep overhead and throughput.
//!
//! - `tiny_points`: 48 points of the project scenario cut to 2 months with 1
//!   replication each, written unsharded to a temporary folder. Nearly all
//!   of the time is per-point overhead (loading the point's scenario,
//!   summarising, writing rows); reported as points per second.
//! - `project_point`: one point of the project scenario (120 months) with
//!   10 replications; reported as person-months per second.
//!
//! `cargo bench --bench sweep`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fleksim::sweep::{output, Sweep};
use std::path::{Path, PathBuf};

/// Writes a sweep over the project scenario into `dir`.
fn sweep_file(dir: &Path, body: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("scenarios/aalborg-project.toml"),
        dir.join("project.toml"),
    )
    .expect("copy the project scenario");
    let path = dir.join("bench.toml");
    std::fs::write(&path, format!("scenario = \"project.toml\"\n{body}")).expect("write sweep");
    path
}

fn run(c: &mut Criterion, name: &str, body: &str, per_pm: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let sweep = Sweep::load(&sweep_file(dir.path(), body)).expect("sweep");
    let runner = fleksim::runner::Runner::new(0).expect("thread pool");
    let out = dir.path().join("out");
    let once = || output::write_final(&sweep, &out, &runner, &|| ()).expect("sweep runs");
    let (_, first) = once();
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.throughput(Throughput::Elements(if per_pm {
        first.person_months
    } else {
        sweep.points
    }));
    g.bench_function(name, |b| b.iter(once));
    g.finish();
}

fn tiny_points(c: &mut Criterion) {
    run(
        c,
        "tiny_points",
        "replications = 1\nset = { horizon_months = 2 }\n[axes]\n\
         \"staffing.consultants\" = { from = 13, to = 24 }\n\
         \"policy.jobclub.effect\" = [1.0, 1.1, 1.2, 1.3]\n",
        false,
    );
}

fn project_point(c: &mut Criterion) {
    run(
        c,
        "project_point",
        "replications = 10\n[axes]\n\"staffing.consultants\" = [13]\n",
        true,
    );
}

criterion_group!(benches, tiny_points, project_point);
criterion_main!(benches);
