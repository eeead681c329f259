//! The README's Slurm recipe on a real single-node Slurm cluster.
//!
//! Opt-in: it installs Debian packages and starts daemons, so it runs only
//! with `FLEKSIM_SLURM_TEST=1` and `--ignored` (`.ci/run` does both); run
//! without the variable it fails, so it never passes without having run.
//!
//! What it does, in one temporary folder:
//! 1. Installs `slurmctld`, `slurmd`, `slurm-client` and `munge` with
//!    apt-get where a program is missing (needs root; fails with apt's
//!    output if they cannot be installed).
//! 2. Writes a single-node `slurm.conf` (the node as `slurmd -C` sees this
//!    machine; `proctrack/linuxproc`, `task/none`, no accounting, no
//!    cgroups; free ports), starts `munged` as the `munge` user with its own
//!    socket, then `slurmctld` and `slurmd` in the foreground, and waits
//!    for the node to be idle. The daemons are stopped by their process
//!    ids when the test ends, pass or fail.
//! 3. Runs the commands of the README's Slurm block as written (`fleksim`
//!    first on `PATH`), waits for the array and the merge job, and checks
//!    the merged files byte for byte against the same sweep run unsharded.
//! 4. Emits the scripts again, submits with `FLEKSIM` set to a wrapper
//!    whose shard 1 fails, checks that the merge job is cancelled (not left
//!    pending) and nothing is merged, then runs the README's recovery
//!    command (`submit.sh` again) and checks that it submitted only shard 1
//!    and a new merge, and that the merge is byte for byte the unsharded
//!    sweep.
//! 5. Checks that a request no node can meet (`--cpus-per-task` above the
//!    node's CPUs) makes `submit.sh` fail with the scheduler's reason and
//!    submit nothing.
//!
//! It prints how long it took (`slurm test: … s`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A path inside the crate.
fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The binary under test.
fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fleksim"))
}

const OPT_IN: &str = "FLEKSIM_SLURM_TEST";
const PACKAGES: [&str; 4] = ["slurmctld", "slurmd", "slurm-client", "munge"];
/// The programs the packages give, by package.
const PROGRAMS: [&str; 5] = [
    "/usr/sbin/slurmctld",
    "/usr/sbin/slurmd",
    "/usr/bin/sbatch",
    "/usr/sbin/munged",
    "/usr/bin/setpriv",
];
/// The longest a job of the test may take to finish.
const JOB_WAIT: Duration = Duration::from_secs(300);

fn run(cmd: &mut Command) -> Output {
    let text = format!("{cmd:?}");
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {text}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Installs the packages where a program is missing.
fn install() {
    if PROGRAMS.iter().all(|p| Path::new(p).exists()) {
        return;
    }
    eprintln!("installing {} with apt-get", PACKAGES.join(" "));
    let update = run(Command::new("apt-get").arg("update").arg("-qq"));
    let install = run(Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive"));
    let missing: Vec<&str> = PROGRAMS
        .iter()
        .copied()
        .filter(|p| !Path::new(p).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "{OPT_IN}=1 but Slurm cannot be installed: {} still missing after \
         `apt-get install {}` (this test needs root and Debian's package \
         archive):\n{}\n{}",
        missing.join(", "),
        PACKAGES.join(" "),
        text(&update),
        text(&install)
    );
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The daemons of a one-node cluster, stopped by pid on drop.
struct Cluster {
    dir: PathBuf,
    conf: PathBuf,
    daemons: Vec<(&'static str, Child)>,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let dir = dir.join("slurm-cluster");
        let munge = dir.join("munge");
        for d in ["state", "spool", "log"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        std::fs::create_dir_all(&munge).unwrap();
        // munged runs as `munge` and wants its socket folder its own, and
        // every folder above it searchable.
        let mut p = dir.clone();
        while let Some(parent) = p.parent() {
            let _ = run(Command::new("chmod").arg("a+x").arg(&p));
            p = parent.to_path_buf();
        }
        let chown = run(Command::new("chown").arg("munge:munge").arg(&munge));
        assert!(chown.status.success(), "chown munge: {}", text(&chown));
        let node = run(Command::new("/usr/sbin/slurmd").arg("-C"));
        let node_line = String::from_utf8_lossy(&node.stdout)
            .lines()
            .find(|l| l.starts_with("NodeName="))
            .unwrap_or_else(|| panic!("`slurmd -C` printed no node line: {}", text(&node)))
            .to_string();
        let host = node_line
            .split_whitespace()
            .next()
            .and_then(|w| w.strip_prefix("NodeName="))
            .unwrap()
            .to_string();
        let d = dir.display();
        let conf = dir.join("slurm.conf");
        std::fs::write(
            &conf,
            format!(
                "ClusterName=fleksimtest
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket={d}/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldPort={}
SlurmdPort={}
SlurmctldLogFile={d}/log/slurmctld.log
SlurmdLogFile={d}/log/slurmd.log
ReturnToService=2
MpiDefault=none
{node_line} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
",
                free_port(),
                free_port()
            ),
        )
        .unwrap();
        let mut c = Cluster {
            dir: dir.clone(),
            conf: conf.clone(),
            daemons: Vec::new(),
        };
        let log = |name: &str| std::fs::File::create(dir.join("log").join(name)).unwrap();
        let munged = Command::new("/usr/bin/setpriv")
            .args(["--reuid=munge", "--regid=munge", "--init-groups"])
            .arg("/usr/sbin/munged")
            .arg("--foreground")
            .arg(format!("--socket={d}/munge/munge.socket"))
            .arg(format!("--pid-file={d}/munge/munged.pid"))
            .arg(format!("--log-file={d}/munge/munged.log"))
            .arg(format!("--seed-file={d}/munge/munged.seed"))
            .stdout(log("munged.out"))
            .stderr(log("munged.err"))
            .spawn()
            .expect("start munged");
        c.daemons.push(("munged", munged));
        c.wait_for("munged's socket", |_| munge.join("munge.socket").exists());
        let ctld = Command::new("/usr/sbin/slurmctld")
            .args(["-D", "-i", "-f"])
            .arg(&conf)
            .stdout(log("slurmctld.out"))
            .stderr(log("slurmctld.err"))
            .spawn()
            .expect("start slurmctld");
        c.daemons.push(("slurmctld", ctld));
        let slurmd = Command::new("/usr/sbin/slurmd")
            .args(["-D", "-f"])
            .arg(&conf)
            .stdout(log("slurmd.out"))
            .stderr(log("slurmd.err"))
            .spawn()
            .expect("start slurmd");
        c.daemons.push(("slurmd", slurmd));
        c.wait_for("the node to be idle", |c| {
            let o = c.cmd("sinfo").args(["-h", "-o", "%t"]).output();
            o.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "idle")
        });
        c
    }

    /// A Slurm client command for this cluster.
    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("SLURM_CONF", &self.conf);
        c
    }

    fn logs(&self) -> String {
        let mut out = String::new();
        for f in ["slurmctld.log", "slurmd.log", "munged.err", "slurmd.err"] {
            let t = std::fs::read_to_string(self.dir.join("log").join(f)).unwrap_or_default();
            let tail: Vec<&str> = t.lines().rev().take(15).collect();
            out.push_str(&format!("--- {f} (last lines)\n"));
            for l in tail.into_iter().rev() {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    /// A daemon that has ended, if any.
    fn ended(&mut self) -> Option<String> {
        self.daemons
            .iter_mut()
            .find_map(|(name, child)| match child.try_wait() {
                Ok(Some(st)) => Some(format!("{name} ended ({st})")),
                _ => None,
            })
    }

    fn wait_for(&mut self, what: &str, ready: impl Fn(&Cluster) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            if let Some(why) = self.ended() {
                panic!("{why} while waiting for {what}:\n{}", self.logs());
            }
            assert!(
                start.elapsed() < JOB_WAIT,
                "gave up waiting for {what}:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Waits until no job of the sweep `name` is in the queue.
    fn wait_idle(&mut self, name: &str) {
        let names = format!("--name=fleksim-{name},fleksim-{name}-merge");
        let q = |c: &Cluster| {
            let o = c
                .cmd("squeue")
                .args(["--noheader", &names, "--format=%i %T %r"])
                .output()
                .expect("squeue");
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        };
        self.wait_for("the sweep's jobs to end", |c| q(c).is_empty());
    }

    /// `JobState=… Reason=…` of a job, from `scontrol show job`.
    fn job_state(&self, id: &str) -> String {
        let o = run(self.cmd("scontrol").args(["show", "job", id]));
        let t = text(&o);
        t.split_whitespace()
            .filter(|w| w.starts_with("JobState=") || w.starts_with("Reason="))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // In reverse order of starting; each by its process id.
        for (name, child) in self.daemons.iter_mut().rev() {
            let pid = child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if let Ok(None) = child.try_wait() {
                eprintln!("{name} (pid {pid}) did not stop on SIGTERM; killing it");
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// The shell commands of the README's Slurm blocks: the ```sh blocks
/// between `**Slurm.**` and `**Kubernetes**`, comments dropped.
fn readme_slurm_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(root("README.md")).unwrap();
    let start = readme
        .find("**Slurm.**")
        .expect("README: the **Slurm.** section");
    let end = start
        + readme[start..]
            .find("**Kubernetes**")
            .expect("README: the section after Slurm");
    let mut out = Vec::new();
    let mut inside = false;
    for line in readme[start..end].lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside && line.trim() == "```sh";
            continue;
        }
        if inside {
            let cmd = line.split(" #").next().unwrap_or("").trim();
            if !cmd.is_empty() {
                out.push(cmd.to_string());
            }
        }
    }
    out
}

/// Runs a README command with `fleksim` first on `PATH`.
fn shell(c: &Cluster, work: &Path, cmd: &str, env: &[(&str, &Path)]) -> Output {
    let bin = bin();
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut sh = c.cmd("sh");
    sh.arg("-c").arg(cmd).current_dir(work).env("PATH", path);
    sh.env_remove("FLEKSIM");
    for (k, v) in env {
        sh.env(k, v);
    }
    let o = run(sh.stdin(Stdio::null()));
    eprintln!("$ {cmd}\n{}", text(&o));
    o
}

fn same_files(a: &Path, b: &Path) {
    for f in ["points.csv", "results.csv", "manifest.json"] {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}: {e}", a.join(f).display()));
        let y = std::fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}: {e}", b.join(f).display()));
        assert!(
            x == y,
            "{f} of {} differs from {}",
            a.display(),
            b.display()
        );
    }
}

/// The job ids `submit.sh` printed: `sweep array: A (shards …), merge: M`.
fn submitted(out: &Output) -> (String, String, String) {
    let t = String::from_utf8_lossy(&out.stdout).to_string();
    let line = t
        .lines()
        .find(|l| l.starts_with("sweep array: "))
        .unwrap_or_else(|| panic!("submit.sh printed no job ids: {t}"));
    let array = line["sweep array: ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let shards = line
        .split("(shards ")
        .nth(1)
        .and_then(|r| r.split(" of").next())
        .unwrap_or_default()
        .to_string();
    let merge = line.rsplit("merge: ").next().unwrap().trim().to_string();
    (array, shards, merge)
}

#[test]
#[ignore = "installs and starts a real Slurm (root, apt-get): .ci/run runs it with FLEKSIM_SLURM_TEST=1"]
fn the_readme_slurm_recipe_runs_on_a_real_cluster() {
    assert_eq!(
        std::env::var(OPT_IN).as_deref(),
        Ok("1"),
        "this test installs Debian's Slurm and starts its daemons: run it with \
         {OPT_IN}=1 cargo test --release --test slurm -- --ignored (as .ci/run does)"
    );
    let clock = Instant::now();
    install();
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let copy = run(Command::new("cp")
        .arg("-r")
        .arg(root("scenarios"))
        .arg(&work));
    assert!(copy.status.success(), "{}", text(&copy));
    let mut c = Cluster::start(tmp.path());

    // 1. The README's commands, as written.
    let cmds = readme_slurm_commands();
    assert!(
        cmds.len() >= 3
            && cmds[0].starts_with("fleksim sweep ")
            && cmds[0].contains("--emit-slurm 3")
            && cmds[1..]
                .iter()
                .all(|c| c.starts_with("sh ") && c.ends_with("slurm/submit.sh")),
        "README's Slurm blocks should be `fleksim sweep … --emit-slurm 3`, `sh …/submit.sh` and \
         the rerun `sh …/submit.sh`: {cmds:?}"
    );
    let (emit, submit, rerun) = (&cmds[0], &cmds[1], &cmds[2]);
    let words: Vec<&str> = emit.split_whitespace().collect();
    let sweep_file = words[2];
    let name = Path::new(sweep_file)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let out = work.join("results").join(&name);
    assert!(shell(&c, &work, emit, &[]).status.success());
    let first = shell(&c, &work, submit, &[]);
    assert!(first.status.success(), "submit.sh failed");
    let (_, shards, _) = submitted(&first);
    assert_eq!(shards, "0,1,2");
    c.wait_idle(&name);
    assert!(
        out.join("points.csv").exists(),
        "no merged points.csv after the jobs ended:\n{}",
        c.logs()
    );
    // The same sweep unsharded, from the same flags.
    let unsharded = work.join("unsharded");
    let single = format!(
        "{} --out {}",
        emit.replace(" --emit-slurm 3", ""),
        unsharded.display()
    );
    assert!(shell(&c, &work, &single, &[]).status.success());
    same_files(&out, &unsharded);
    let core = clock.elapsed();

    // 2. A failed shard, and the README's recovery.
    std::fs::remove_dir_all(&out).unwrap();
    assert!(shell(&c, &work, emit, &[]).status.success());
    let wrapper = work.join("failing-fleksim.sh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nif [ \"${{SLURM_ARRAY_TASK_ID:-}}\" = 1 ]; then\n    echo 'shard 1 fails on purpose' >&2\n    exit 3\nfi\nexec {} \"$@\"\n",
            bin().display()
        ),
    )
    .unwrap();
    let chmod = run(Command::new("chmod").arg("755").arg(&wrapper));
    assert!(chmod.status.success());
    let failing = shell(&c, &work, submit, &[("FLEKSIM", &wrapper)]);
    assert!(failing.status.success());
    let (_, _, merge) = submitted(&failing);
    c.wait_idle(&name);
    let state = c.job_state(&merge);
    assert!(
        state.contains("JobState=CANCELLED") && state.contains("DependencyNeverSatisfied"),
        "the merge job after a failed shard: {state}"
    );
    assert!(
        !out.join("points.csv").exists(),
        "merged despite a failed shard"
    );
    assert!(!out.join("part-1-of-3").exists());
    let again = shell(&c, &work, rerun, &[]);
    assert!(again.status.success(), "the rerun of submit.sh failed");
    let (_, shards, _) = submitted(&again);
    assert_eq!(shards, "1", "the rerun should submit only the failed shard");
    c.wait_idle(&name);
    same_files(&out, &unsharded);

    // 3. A request no node can meet is refused before anything is queued.
    let cpus = run(&mut Command::new("nproc"));
    let too_many: u32 = String::from_utf8_lossy(&cpus.stdout)
        .trim()
        .parse::<u32>()
        .unwrap()
        + 1;
    let big = work.join("too-big");
    let emit_big = format!("{emit} --cpus-per-task {too_many} --out {}", big.display());
    assert!(shell(&c, &work, &emit_big, &[]).status.success());
    let refused = shell(
        &c,
        &work,
        &format!("sh {}/slurm/submit.sh", big.display()),
        &[],
    );
    let why = text(&refused);
    assert!(
        !refused.status.success()
            && why.contains("Slurm would not run the shards")
            && why.contains("Requested node configuration is not available"),
        "submit.sh with --cpus-per-task {too_many}: {why}"
    );
    let q = run(c.cmd("squeue").args(["--noheader"]));
    assert!(text(&q).trim().is_empty(), "jobs were queued: {}", text(&q));

    eprintln!(
        "slurm test: {:.0} s in all (core path: install, cluster, sweep and merge {:.0} s)",
        clock.elapsed().as_secs_f64(),
        core.as_secs_f64()
    );
}
