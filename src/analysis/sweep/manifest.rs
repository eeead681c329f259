//! The manifests of a sweep's output.
//!
//! - [`SweepInfo`] identifies a sweep: program, version, the design's hash,
//!   the base scenario's hash, seed, points, replications per point, axes,
//!   metrics. Every part carries it; parts merge only when theirs agree.
//! - [`PartManifest`] (`part-K-of-N/manifest.json`) adds the shard, how the
//!   part was computed (threads, times) and the SHA-256 of its files. A
//!   part is valid when its manifest reads back, matches the sweep and the
//!   shard, says `complete` and its files have those hashes.
//! - [`FinalManifest`] (`manifest.json` of the merged or unsharded output)
//!   holds only what the results depend on, so that a merged folder and an
//!   unsharded one are byte for byte the same. How long it took, and on how
//!   many shards, is in `timing.json` next to it.

use super::design::Sweep;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What identifies a sweep's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepInfo {
    pub program: String,
    pub version: String,
    pub name: String,
    /// SHA-256 of the resolved design (axes expanded, hypercube drawn, base
    /// scenario by its hash): independent of comments and layout.
    pub sweep_sha256: String,
    /// The base scenario as the sweep file names it.
    pub scenario: String,
    /// SHA-256 of the resolved base scenario, distributions included.
    pub scenario_sha256: String,
    pub seed: u64,
    pub points: u64,
    pub replications: u32,
    pub axes: Vec<String>,
    pub metrics: Vec<String>,
    pub months: String,
    /// The command-line flags that changed the results (`--replications N`,
    /// `--set KEY=VALUE`), as words; absent when there were none. Every
    /// shard of a sweep must be run with the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

impl SweepInfo {
    pub fn of(s: &Sweep) -> SweepInfo {
        SweepInfo {
            program: "fleksim".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            name: s.name.clone(),
            sweep_sha256: s.sha256.clone(),
            scenario: s.scenario.clone(),
            scenario_sha256: s.scenario_sha256.clone(),
            seed: s.seed,
            points: s.points,
            replications: s.replications,
            axes: s.keys().iter().map(|k| k.to_string()).collect(),
            metrics: s.metric_names().iter().map(|m| m.to_string()).collect(),
            months: s.months.as_str().into(),
            flags: s.flags.clone(),
        }
    }

    /// The first field in which `other` differs, as `(field, ours, theirs)`.
    pub fn difference(&self, other: &SweepInfo) -> Option<(&'static str, String, String)> {
        // The specific fields first; the design hash last, as a catch-all.
        let pairs: [(&'static str, String, String); 13] = [
            ("program", self.program.clone(), other.program.clone()),
            ("version", self.version.clone(), other.version.clone()),
            ("seed", self.seed.to_string(), other.seed.to_string()),
            ("flags", self.flags.join(" "), other.flags.join(" ")),
            ("name", self.name.clone(), other.name.clone()),
            ("scenario", self.scenario.clone(), other.scenario.clone()),
            (
                "scenario_sha256",
                self.scenario_sha256.clone(),
                other.scenario_sha256.clone(),
            ),
            ("points", self.points.to_string(), other.points.to_string()),
            (
                "replications",
                self.replications.to_string(),
                other.replications.to_string(),
            ),
            ("axes", self.axes.join(","), other.axes.join(",")),
            ("metrics", self.metrics.join(","), other.metrics.join(",")),
            ("months", self.months.clone(), other.months.clone()),
            (
                "sweep_sha256",
                self.sweep_sha256.clone(),
                other.sweep_sha256.clone(),
            ),
        ];
        pairs.into_iter().find(|(_, a, b)| a != b)
    }
}

/// Which shard a part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub index: u64,
    pub count: u64,
}

/// How a part or a whole run was computed (not part of the results).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub threads: usize,
    pub started: String,
    pub finished: String,
    pub elapsed_seconds: f64,
    pub person_months_per_second: f64,
}

/// `part-K-of-N/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartManifest {
    /// Always `sweep-part`.
    pub kind: String,
    pub sweep: SweepInfo,
    pub shard: ShardInfo,
    /// Points in this part: those `u` with `u mod count == index`.
    pub points_in_part: u64,
    pub person_months: u64,
    /// Written last, after every file: a part without it is not done.
    pub complete: bool,
    pub timing: Timing,
    /// SHA-256 of each data file.
    pub files: BTreeMap<String, String>,
    /// The sweep file the shard ran, as an absolute path: what `merge`
    /// names when it says how to rerun a missing shard. Not part of the
    /// sweep's identity (the same file may sit elsewhere on another
    /// machine); absent in parts of fleksim before 0.1.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep_file: Option<String>,
}

/// `manifest.json` of the final output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalManifest {
    /// Always `sweep`.
    pub kind: String,
    pub sweep: SweepInfo,
    pub person_months: u64,
    /// SHA-256 of each data file.
    pub files: BTreeMap<String, String>,
}

/// `timing.json` of the final output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalTiming {
    /// Compute time summed over the shards (or the one run).
    pub elapsed_seconds: f64,
    /// `unsharded`, or `merged from N shards`.
    pub how: String,
    /// One entry per shard (one for an unsharded run).
    pub runs: Vec<Timing>,
}

/// Number of points of shard `index` of `count` among `points`.
pub fn points_in(points: u64, s: ShardInfo) -> u64 {
    if s.index >= points {
        0
    } else {
        (points - 1 - s.index) / s.count + 1
    }
}

/// The SHA-256 of a file.
pub fn file_hash(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads and checks a part: its manifest parses, is complete, and its
/// files have the recorded hashes. `Err` says what is wrong.
pub fn read_part(dir: &Path) -> Result<PartManifest, String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read(&path).map_err(|e| format!("no readable manifest.json ({e})"))?;
    let m: PartManifest = serde_json::from_slice(&text)
        .map_err(|e| format!("manifest.json is not a sweep part's: {e}"))?;
    if m.kind != "sweep-part" || !m.complete {
        return Err("manifest.json does not mark a complete sweep part".into());
    }
    for name in ["points.csv", "results.csv"] {
        let want = m
            .files
            .get(name)
            .ok_or_else(|| format!("manifest.json lists no hash for {name}"))?;
        let got = file_hash(&dir.join(name)).map_err(|e| format!("cannot read {name}: {e}"))?;
        if &got != want {
            return Err(format!(
                "{name} does not match the hash in manifest.json (changed or truncated)"
            ));
        }
    }
    Ok(m)
}
