use fleksim::{engine, load, stats, Plan};
use std::time::Instant;
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or("scenarios/aalborg-project.toml".into());
    let s = load::load_file(path.as_ref(), &[]).unwrap();
    let plan = Plan::new(&s);
    let t = Instant::now();
    let n: u64 = std::env::args().nth(2).map_or(1000, |v| v.parse().unwrap());
    let reps = engine::run(&plan, n, 1, &|| ()).unwrap();
    let e = t.elapsed().as_secs_f64();
    let pm: u64 = reps.iter().map(|r| r.person_months).sum();
    println!(
        "engine 1 thread: {:.3}s {:.1} M pm/s",
        e,
        pm as f64 / e / 1e6
    );
    let t = Instant::now();
    let m = stats::monthly(&reps, plan.months);
    println!("stats: {:.3}s {}", t.elapsed().as_secs_f64(), m.len());
}
