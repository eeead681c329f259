//! `fleksim merge DIR`: the parts of a sharded sweep → the final files, byte
//! for byte what the same sweep writes unsharded.
//!
//! Checks, each failing with exit code 2 and a message that names the part:
//! every `part-K-of-N/` is complete (manifest present, files match their
//! hashes); all manifests agree (program, version, sweep hash, seed,
//! base scenario, points, replications); each part holds exactly the points
//! of its shard; every point is in exactly one part. The merge then streams
//! the parts' rows in point order (point `u` is the next row of its part),
//! so memory stays flat in the number of points.

use super::manifest::{read_part, FinalTiming, PartManifest, ShardInfo, SweepInfo};
use super::output::{final_manifest_bytes, Hashing, Staging, DATA_FILES};
use super::shard;
use crate::model::error::InputError;
use crate::model::limits::{is_written_value, MAX_ABS_VALUE};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// A part found in the folder.
struct Part {
    name: String,
    dir: PathBuf,
    manifest: PartManifest,
}

/// What a merge did.
pub struct Merged {
    pub path: PathBuf,
    pub info: SweepInfo,
    pub parts: usize,
    pub person_months: u64,
}

/// The sweep file to name in a hint: the one the parts ran (their
/// manifests record it), else a placeholder.
fn sweep_file(parts: &[Part]) -> String {
    parts
        .iter()
        .find_map(|p| p.manifest.sweep_file.clone())
        .map(|f| super::slurm::shell_tail(&[f]).trim_start().to_string())
        .unwrap_or_else(|| "SWEEP.toml".into())
}

/// The sweep file any part's manifest records (read without checking the
/// part, for a message about a broken one), else a placeholder.
fn recorded_sweep_file(dir: &Path, found: &[(ShardInfo, String)]) -> String {
    found
        .iter()
        .find_map(|(_, name)| {
            let text = std::fs::read(dir.join(name).join("manifest.json")).ok()?;
            let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
            v.get("sweep_file")?.as_str().map(str::to_string)
        })
        .map(|f| super::slurm::shell_tail(&[f]).trim_start().to_string())
        .unwrap_or_else(|| "SWEEP.toml".into())
}

/// How to rerun shard `s` of the sweep in `file`, with the flags that
/// change the results (`--replications`, `--set`) that the sweep was run
/// with.
fn rerun_hint(file: &str, s: ShardInfo, dir: &Path, flags: &[String]) -> String {
    format!(
        "rerun it with `fleksim sweep {file}{} --shard-index {} --shard-count {} --out {}`",
        super::slurm::shell_tail(flags),
        s.index,
        s.count,
        dir.display()
    )
}

/// Finds and checks the parts of `dir`, in (count, index) order.
fn find_parts(dir: &Path) -> Result<Vec<Part>, InputError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| InputError(format!("cannot read sweep folder `{}`: {e}", dir.display())))?;
    let mut found: Vec<(ShardInfo, String)> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            shard::parse_part_name(&name).map(|s| (s, name))
        })
        .collect();
    found.sort_by_key(|(s, _)| (s.count, s.index));
    if found.is_empty() {
        return Err(InputError(format!(
            "`{}` holds no part-K-of-N folders: run `fleksim sweep SWEEP.toml --shard-index K \
             --shard-count N --out {}` for each shard first",
            dir.display(),
            dir.display()
        )));
    }
    let mut parts = Vec::new();
    for (s, name) in &found {
        let (s, name) = (*s, name.clone());
        let pdir = dir.join(&name);
        let manifest = read_part(&pdir).map_err(|why| {
            let file = recorded_sweep_file(dir, &found);
            InputError(format!(
                "`{}`: {why}; the shard did not finish or was changed: {} (with the same \
                 --replications and --set as the other shards)",
                pdir.display(),
                rerun_hint(&file, s, dir, &[])
            ))
        })?;
        if manifest.shard != s {
            return Err(InputError(format!(
                "`{}/manifest.json` says shard {} of {}, but the folder is named `{name}`; \
                 rename or remove it",
                pdir.display(),
                manifest.shard.index,
                manifest.shard.count
            )));
        }
        parts.push(Part {
            name,
            dir: pdir,
            manifest,
        });
    }
    let first = &parts[0];
    for p in &parts[1..] {
        if let Some((field, ours, theirs)) = first.manifest.sweep.difference(&p.manifest.sweep) {
            return Err(InputError(format!(
                "`{}/manifest.json` is foreign: its `{field}` is `{theirs}`, but `{}` has `{ours}`. \
                 Parts merge only when program, version, sweep file, base scenario, seed and \
                 the flags --replications and --set agree; remove the foreign part or rerun \
                 its shard with the same sweep file and flags",
                p.dir.display(),
                first.name
            )));
        }
    }
    Ok(parts)
}

/// Reads lines of one part's file, one point at a time.
struct Rows {
    path: PathBuf,
    reader: BufReader<File>,
    pending: Option<(u64, String)>,
    /// The header's columns, which every row must have.
    columns: Vec<String>,
    /// Lines read so far, the header included.
    line: u64,
}

impl Rows {
    fn open(path: PathBuf, header: &str) -> Result<Rows, InputError> {
        let bad = |m: String| InputError(format!("`{}`: {m}", path.display()));
        let f = File::open(&path).map_err(|e| bad(e.to_string()))?;
        let mut rows = Rows {
            path: path.clone(),
            reader: BufReader::with_capacity(1 << 16, f),
            pending: None,
            columns: fields(header.trim_end())
                .into_iter()
                .map(str::to_string)
                .collect(),
            line: 1,
        };
        let mut first = String::new();
        rows.reader
            .read_line(&mut first)
            .map_err(|e| bad(e.to_string()))?;
        if first != header {
            return Err(bad(format!(
                "its header `{}` differs from the first part's `{}`",
                first.trim_end(),
                header.trim_end()
            )));
        }
        rows.advance()?;
        Ok(rows)
    }

    fn advance(&mut self) -> Result<(), InputError> {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .map_err(|e| InputError(format!("`{}`: {e}", self.path.display())))?;
        self.line += 1;
        self.pending = if n == 0 {
            None
        } else {
            self.check(&line)?;
            let id = line
                .split(',')
                .next()
                .and_then(|f| f.parse::<u64>().ok())
                .ok_or_else(|| {
                    InputError(format!(
                        "`{}`: a row does not start with a point number: `{}`",
                        self.path.display(),
                        line.trim_end()
                    ))
                })?;
            Some((id, line))
        };
        Ok(())
    }

    /// A row has the header's columns, and every number in it is one a
    /// sweep writes: finite, and at most `MAX_ABS_VALUE` in size (a part
    /// whose hash was forged must not bring NaN into the merged files).
    fn check(&self, line: &str) -> Result<(), InputError> {
        let fields = fields(line.trim_end());
        let bad = |m: String| {
            InputError(format!(
                "`{}` line {}: {m}; the part is damaged: run its shard again",
                self.path.display(),
                self.line
            ))
        };
        if fields.len() != self.columns.len() {
            return Err(bad(format!(
                "{} fields where the header has {} columns",
                fields.len(),
                self.columns.len()
            )));
        }
        for (text, column) in fields.iter().zip(&self.columns) {
            if let Ok(x) = text.parse::<f64>() {
                if !is_written_value(x) {
                    return Err(bad(format!(
                        "column `{column}`: `{text}` is not a value fleksim writes (finite \
                         numbers of at most {MAX_ABS_VALUE:e} in size)"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The point number of the next row.
    fn next_point(&self) -> Option<u64> {
        self.pending.as_ref().map(|(u, _)| *u)
    }

    /// Copies every row of point `u` (there must be at least one).
    fn copy_point(&mut self, u: u64, w: &mut impl Write) -> anyhow::Result<()> {
        let mut copied = false;
        while self.next_point() == Some(u) {
            if let Some((_, line)) = &self.pending {
                w.write_all(line.as_bytes())?;
            }
            copied = true;
            self.advance()?;
        }
        if !copied {
            return Err(InputError(format!(
                "`{}`: expected rows of point {u} next, found {}",
                self.path.display(),
                self.next_point()
                    .map_or("the end of the file".into(), |p| format!("point {p}"))
            ))
            .into());
        }
        Ok(())
    }
}

/// The fields of a CSV line as a sweep writes it: split at the commas
/// outside double quotes (an axis value that is a TOML list or table is
/// quoted, commas and all).
fn fields(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
    out
}

/// Which part holds each point; refuses duplicates, gaps and points that
/// are not their part's.
fn owners(parts: &[Part], dir: &Path, points: u64) -> anyhow::Result<Vec<u32>> {
    const NONE: u32 = u32::MAX;
    let mut owner = vec![NONE; points as usize];
    for (i, p) in parts.iter().enumerate() {
        let s = p.manifest.shard;
        let header = first_line(&p.dir.join(DATA_FILES[0]))?;
        let mut rows = Rows::open(p.dir.join(DATA_FILES[0]), &header)?;
        let mut expected = shard::points(points, Some(s));
        while let Some(u) = rows.next_point() {
            if expected.next() != Some(u) {
                return Err(InputError(format!(
                    "`{}/points.csv` holds point {u}, which is not one of shard {} of {}'s \
                     points (u mod {} = {}) in order; {}",
                    p.dir.display(),
                    s.index,
                    s.count,
                    s.count,
                    s.index,
                    rerun_hint(&sweep_file(parts), s, dir, &p.manifest.sweep.flags)
                ))
                .into());
            }
            let slot = &mut owner[u as usize];
            if *slot != NONE {
                return Err(InputError(format!(
                    "point {u} is in both `{}` and `{}`: the folder holds parts of two runs with \
                     different shard counts; keep one set of part-K-of-N folders and remove the \
                     others",
                    parts[*slot as usize].name, p.name
                ))
                .into());
            }
            *slot = i as u32;
            rows.advance()?;
        }
        if let Some(u) = expected.next() {
            return Err(InputError(format!(
                "`{}/points.csv` ends before point {u}; {}",
                p.dir.display(),
                rerun_hint(&sweep_file(parts), s, dir, &p.manifest.sweep.flags)
            ))
            .into());
        }
    }
    let missing: Vec<u64> = (0..points).filter(|&u| owner[u as usize] == NONE).collect();
    if !missing.is_empty() {
        let counts: Vec<u64> = parts.iter().map(|p| p.manifest.shard.count).collect();
        let n = counts[0];
        let which = if counts.iter().all(|&c| c == n) {
            // Only the shards below the number of points hold any (shard
            // `k` holds the points `u` with `u mod n = k`).
            let absent: Vec<String> = (0..n.min(points))
                .filter(|k| !parts.iter().any(|p| p.manifest.shard.index == *k))
                .map(|k| format!("part-{k}-of-{n}"))
                .collect();
            let k = match absent.as_slice() {
                [one] => one
                    .trim_start_matches("part-")
                    .split('-')
                    .next()
                    .unwrap_or("K")
                    .to_string(),
                _ => "K".to_string(),
            };
            let named = match absent.len() {
                0..=10 => absent.join(", "),
                more => format!("{}, … ({more} parts)", absent[..10].join(", ")),
            };
            format!(
                "missing {named}: run `fleksim sweep {}{} --shard-index {k} --shard-count {n} --out {}`{}",
                sweep_file(parts),
                super::slurm::shell_tail(&parts[0].manifest.sweep.flags),
                dir.display(),
                if k == "K" { " for each missing K" } else { "" }
            )
        } else {
            "the parts come from runs with different shard counts".into()
        };
        let list: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
        return Err(InputError(format!(
            "`{}`: {} of {points} points are in no part (points {}{}); {which}",
            dir.display(),
            missing.len(),
            list.join(", "),
            if missing.len() > 10 { ", …" } else { "" }
        ))
        .into());
    }
    Ok(owner)
}

/// Cross-checks the manifests' `sweep.points` against the parts' files
/// before anything is allocated for it: a changed manifest must not make the
/// merge allocate without bound. The count is within
/// [`crate::model::limits::MAX_SWEEP_POINTS`], and each part's `points.csv` holds
/// exactly the rows that count gives its shard.
fn check_point_count(parts: &[Part], points: u64) -> Result<(), InputError> {
    let max = crate::model::limits::MAX_SWEEP_POINTS;
    if points == 0 || points > max {
        return Err(InputError(format!(
            "`{}/manifest.json`: `sweep.points` is {points}: allowed 1 to {max}; the manifest \
             was changed, rerun the shards",
            parts[0].dir.display()
        )));
    }
    for p in parts {
        let want = super::manifest::points_in(points, p.manifest.shard);
        let path = p.dir.join(DATA_FILES[0]);
        let f = File::open(&path).map_err(|e| InputError(format!("`{}`: {e}", path.display())))?;
        let mut rows: u64 = 0;
        for line in BufReader::new(f).split(b'\n') {
            line.map_err(|e| InputError(format!("`{}`: {e}", path.display())))?;
            rows += 1;
        }
        let rows = rows.saturating_sub(1); // the header
        if rows != want || p.manifest.points_in_part != want {
            return Err(InputError(format!(
                "`{}`: the manifests say the sweep has {points} points, so this part should \
                 hold {want}, but its manifest says {} and its points.csv has {rows} rows; \
                 a manifest was changed: rerun the shards",
                p.dir.display(),
                p.manifest.points_in_part
            )));
        }
    }
    Ok(())
}

fn first_line(path: &Path) -> Result<String, InputError> {
    let f = File::open(path).map_err(|e| InputError(format!("`{}`: {e}", path.display())))?;
    let mut line = String::new();
    BufReader::new(f)
        .read_line(&mut line)
        .map_err(|e| InputError(format!("`{}`: {e}", path.display())))?;
    Ok(line)
}

/// Merges the parts in `dir` into the final files in `out`.
pub fn merge(dir: &Path, out: &Path) -> anyhow::Result<Merged> {
    let parts = find_parts(dir)?;
    let info = parts[0].manifest.sweep.clone();
    check_point_count(&parts, info.points)?;
    let owner = owners(&parts, dir, info.points)?;
    let staging = Staging::new(out)?;
    let mut hashes = BTreeMap::new();
    for name in DATA_FILES {
        let header = first_line(&parts[0].dir.join(name))?;
        let mut readers = parts
            .iter()
            .map(|p| Rows::open(p.dir.join(name), &header))
            .collect::<Result<Vec<_>, _>>()?;
        let mut w = Hashing::new(staging.create(name)?);
        w.write_all(header.as_bytes())?;
        for (u, &o) in owner.iter().enumerate() {
            readers[o as usize].copy_point(u as u64, &mut w)?;
        }
        hashes.insert(name.to_string(), w.finish()?);
    }
    let person_months = parts.iter().map(|p| p.manifest.person_months).sum();
    staging.write(
        "manifest.json",
        &final_manifest_bytes(&info, person_months, hashes)?,
    )?;
    let timing = FinalTiming {
        elapsed_seconds: parts
            .iter()
            .map(|p| p.manifest.timing.elapsed_seconds)
            .sum(),
        how: format!("merged from {} shards", parts.len()),
        runs: parts.iter().map(|p| p.manifest.timing.clone()).collect(),
    };
    staging.write("timing.json", &serde_json::to_vec_pretty(&timing)?)?;
    let path = staging.publish(&["points.csv", "results.csv", "timing.json"])?;
    Ok(Merged {
        path,
        info,
        parts: parts.len(),
        person_months,
    })
}
