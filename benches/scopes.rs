//! Start-up and throughput ratios of `isc-scope-lint`, measured in one run.
//!
//! `cargo bench --bench scopes` prints three comparisons, each as the ratio of two medians of
//! interleaved runs (A, B, A, B, ...), so that the noise of a shared machine hits both sides:
//!
//! 1. `scopes 'GET /v3/sources/{id}'` vs `--version` (child processes of the release binary);
//! 2. `scopes -` fed every operation of the embedded catalog vs `scopes` of one operation;
//! 3. in-process `spec::load` of the six ISC specs vs a bare `serde_yaml::Value` parse of the
//!    same files on the same number of threads (skipped when the specs are not found).
//!
//! `BENCH_RUNS=N` sets the number of interleaved pairs of the process comparisons (default 40);
//! `BENCH_RUNS=N,M` also sets that of the parse comparison (default 5). `ISC_SPECS` points at
//! the folder of the `deref-sailpoint-api*.yaml` files.

use isc_scope_lint::catalog::Catalog;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ONE_CALL: &str = "GET /v3/sources/{id}";

mod common;
use common::*;

/// Runs A, B, A, B, ... (after unmeasured warm-up pairs) and returns both samples.
fn interleave(
    n: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut s = round_robin(n, &mut [&mut a, &mut b]).into_iter();
    (s.next().unwrap_or_default(), s.next().unwrap_or_default())
}

fn main() {
    // `cargo test --all-targets` runs bench targets without `--bench`: do not benchmark there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("scopes bench: run it with `cargo bench --bench scopes`");
        return;
    }
    let (proc_runs, parse_runs) = runs();
    let parallelism = std::thread::available_parallelism().map_or(1, |n| n.get());
    let bin = binary();
    println!("binary: {}", bin.display());
    println!(
        "available parallelism: {parallelism}; interleaved pairs: {proc_runs} (processes), \
         {parse_runs} (parse); up to {WARMUP} uncounted warm-up pair(s) each"
    );

    let mut rows = Vec::new();

    // 1. Start-up with the embedded catalog vs `--version`.
    let one = ProcRun::new(&bin, &["scopes", ONE_CALL], None);
    let version = ProcRun::new(&bin, &["--version"], None);
    let (a, b) = interleave(proc_runs, || one.time(), || version.time());
    rows.push(Row::new("scopes 1 op vs --version", a, b, 2.0));

    // 2. Every operation of the catalog on stdin vs one operation.
    let all: String = Catalog::embedded()
        .ops
        .iter()
        .map(|o| format!("{} {}\n", o.method, o.path))
        .collect();
    let n_ops = Catalog::embedded().ops.len();
    let every = ProcRun::new(&bin, &["scopes", "-"], Some(all.into_bytes()));
    let (a, b) = interleave(proc_runs, || every.time(), || one.time());
    rows.push(Row::new(
        &format!("scopes all {n_ops} ops vs 1 op"),
        a,
        b,
        3.0,
    ));

    // 3. `--spec` over the six files vs a bare YAML parse of them.
    let skipped = match spec_files() {
        Ok(files) => {
            let workers = parallelism.min(files.len());
            // Check both sides once (and warm the page cache) before timing.
            let set = isc_scope_lint::spec::load(&files)
                .unwrap_or_else(|e| panic!("spec::load failed: {e:?}"));
            println!(
                "specs: {} file(s), {} operation(s), {workers} thread(s) on both sides; \
                 file reads are inside the timed part on both sides",
                files.len(),
                set.ops.len()
            );
            drop(set);
            yaml_values(&files, workers);
            let (a, b) = interleave(
                parse_runs,
                || {
                    let t = Instant::now();
                    let set = isc_scope_lint::spec::load(&files).expect("spec::load");
                    let d = t.elapsed();
                    drop(std::hint::black_box(set));
                    d
                },
                || {
                    let t = Instant::now();
                    yaml_values(&files, workers);
                    t.elapsed()
                },
            );
            rows.push(Row::new("spec::load vs serde_yaml::Value", a, b, 2.0));
            None
        }
        Err(why) => Some(why),
    };

    print_table(&rows);
    if let Some(why) = skipped {
        println!("spec::load vs serde_yaml::Value: skipped ({why})");
    }
}

/// `BENCH_RUNS=N` or `BENCH_RUNS=N,M`.
fn runs() -> (usize, usize) {
    let (mut p, mut s) = (40, 5);
    if let Ok(v) = std::env::var("BENCH_RUNS") {
        let mut it = v.split(',').map(|x| x.trim().parse::<usize>());
        match (it.next(), it.next()) {
            (Some(Ok(a)), None) if a > 0 => p = a,
            (Some(Ok(a)), Some(Ok(b))) if a > 0 && b > 0 => (p, s) = (a, b),
            _ => panic!("BENCH_RUNS must be `N` or `N,M` with positive integers, got `{v}`"),
        }
    }
    (p, s)
}

/// One child-process invocation, checked once when made.
struct ProcRun<'a> {
    bin: &'a Path,
    args: &'a [&'a str],
    stdin: Option<Vec<u8>>,
}

impl<'a> ProcRun<'a> {
    fn new(bin: &'a Path, args: &'a [&'a str], stdin: Option<Vec<u8>>) -> Self {
        let r = ProcRun { bin, args, stdin };
        let mut c = r.command();
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().expect("cannot start the binary");
        r.feed(&mut child);
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "`isc-scope-lint {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty(),
            "`{}` printed nothing",
            args.join(" ")
        );
        r
    }

    fn command(&self) -> Command {
        let mut c = Command::new(self.bin);
        c.args(self.args).stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        c
    }

    fn feed(&self, child: &mut std::process::Child) {
        if let Some(input) = &self.stdin {
            // The child reads all of stdin before writing anything, so no deadlock.
            let mut pipe = child.stdin.take().expect("stdin pipe");
            pipe.write_all(input).expect("write stdin");
        }
    }

    /// Wall time from spawn to exit; output goes to /dev/null.
    fn time(&self) -> Duration {
        let mut c = self.command();
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let t = Instant::now();
        let mut child = c.spawn().expect("spawn");
        self.feed(&mut child);
        let status = child.wait().expect("wait");
        let d = t.elapsed();
        assert!(
            status.success(),
            "`{}` failed: {status}",
            self.args.join(" ")
        );
        d
    }
}

/// The six `deref-sailpoint-api*.yaml` files: `$ISC_SPECS`, `/work/shared/specs/isc`, or
/// `../shared/specs/isc` next to the crate.
fn spec_files() -> Result<Vec<PathBuf>, String> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("ISC_SPECS") {
        dirs.push(d.into());
    }
    dirs.push("/work/shared/specs/isc".into());
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/isc"));
    let Some(dir) = dirs.iter().find(|d| d.is_dir()) else {
        let tried: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(format!("no spec folder; tried {}", tried.join(", ")));
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("deref-sailpoint-api") && n.ends_with(".yaml"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no deref-sailpoint-api*.yaml in {}", dir.display()));
    }
    Ok(files)
}

/// Reads and parses each file into a `serde_yaml::Value`, files split over `workers` threads
/// the way `spec::load` splits them (round robin); each value is dropped in its thread, as
/// `spec::load` drops its parsed documents.
fn yaml_values(files: &[PathBuf], workers: usize) {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    for f in files.iter().skip(w).step_by(workers) {
                        let text = std::fs::read_to_string(f).expect("read spec");
                        let v: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
                        std::hint::black_box(&v);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("yaml thread panicked");
        }
    });
}
