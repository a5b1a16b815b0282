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
const WARMUP: usize = 3;

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

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// `<target>/release/isc-scope-lint`, built first when missing.
fn binary() -> PathBuf {
    let target = target_dir();
    let target = if target.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    let bin = target
        .join("release")
        .join(format!("isc-scope-lint{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        println!("{} is missing; building it", bin.display());
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "isc-scope-lint"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cannot run cargo");
        assert!(status.success(), "cargo build --release failed");
        assert!(bin.exists(), "{} still missing after build", bin.display());
    }
    bin
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

/// Runs A, B, A, B, ... (after unmeasured warm-up pairs) and returns both samples.
fn interleave(
    n: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Vec<Duration>, Vec<Duration>) {
    for _ in 0..WARMUP.min(n) {
        a();
        b();
    }
    let (mut xa, mut xb) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        xa.push(a());
        xb.push(b());
    }
    (xa, xb)
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

struct Row {
    name: String,
    a: Duration,
    b: Duration,
    aim: f64,
}

impl Row {
    fn new(name: &str, a: Vec<Duration>, b: Vec<Duration>, aim: f64) -> Row {
        Row {
            name: name.to_string(),
            a: median(a),
            b: median(b),
            aim,
        }
    }

    fn ratio(&self) -> f64 {
        self.a.as_secs_f64() / self.b.as_secs_f64()
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

fn fmt_dur(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1e3)
    }
}

fn print_table(rows: &[Row]) {
    let w = rows
        .iter()
        .map(|r| r.name.len())
        .chain(["measurement (A vs B)".len()])
        .max()
        .unwrap_or(0);
    println!();
    println!(
        "{:<w$}  {:>10}  {:>10}  {:>6}  {:>5}  verdict",
        "measurement (A vs B)", "median A", "median B", "ratio", "aim"
    );
    for r in rows {
        let ratio = r.ratio();
        println!(
            "{:<w$}  {:>10}  {:>10}  {:>5.2}x  {:>4.1}x  {}",
            r.name,
            fmt_dur(r.a),
            fmt_dur(r.b),
            ratio,
            r.aim,
            if ratio <= r.aim { "OK" } else { "over" }
        );
    }
}
