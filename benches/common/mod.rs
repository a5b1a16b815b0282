//! What the benchmarks share: the release binary, interleaved timing, medians, the table.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Unmeasured rounds before the measured ones.
pub const WARMUP: usize = 3;

pub fn target_dir() -> PathBuf {
    let t = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    if t.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(t)
    } else {
        t
    }
}

pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// `<target>/release/isc-scope-lint`, built first when missing (`cargo bench` builds it).
pub fn binary() -> PathBuf {
    let target = target_dir();
    let bin = target
        .join("release")
        .join(format!("isc-scope-lint{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        println!("{} is missing; building it", bin.display());
        let status = Command::new(cargo())
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

/// Runs A, B, C, A, B, C, ... (after unmeasured warm-up rounds) and returns the samples of
/// each.
pub fn round_robin(n: usize, sides: &mut [&mut dyn FnMut() -> Duration]) -> Vec<Vec<Duration>> {
    round_robin_warm(n, WARMUP, sides)
}

/// [`round_robin`] with `warmup` unmeasured rounds (for sides that take seconds).
pub fn round_robin_warm(
    n: usize,
    warmup: usize,
    sides: &mut [&mut dyn FnMut() -> Duration],
) -> Vec<Vec<Duration>> {
    for _ in 0..warmup {
        for f in sides.iter_mut() {
            f();
        }
    }
    let mut out = vec![Vec::with_capacity(n); sides.len()];
    for _ in 0..n {
        for (f, o) in sides.iter_mut().zip(&mut out) {
            o.push(f());
        }
    }
    out
}

pub struct Row {
    pub name: String,
    pub a: Duration,
    pub b: Duration,
    /// Median of the per-pair ratios (a second view of the same samples).
    pub pair_ratio: f64,
    pub aim: f64,
}

impl Row {
    pub fn new(name: &str, a: Vec<Duration>, b: Vec<Duration>, aim: f64) -> Row {
        let mut ratios: Vec<f64> = a
            .iter()
            .zip(&b)
            .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64())
            .collect();
        ratios.sort_by(|x, y| x.total_cmp(y));
        let n = ratios.len();
        let pair_ratio = if n % 2 == 1 {
            ratios[n / 2]
        } else {
            (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0
        };
        Row {
            name: name.to_string(),
            a: median(a),
            b: median(b),
            pair_ratio,
            aim,
        }
    }

    pub fn ratio(&self) -> f64 {
        self.a.as_secs_f64() / self.b.as_secs_f64()
    }
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

pub fn fmt_dur(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1e3)
    }
}

/// An aim with as many decimals as it has (up to two): `1.5`, `2.25`, `9.0`.
fn fmt_aim(a: f64) -> String {
    if ((a * 10.0).round() - a * 10.0).abs() < 1e-9 {
        format!("{a:.1}")
    } else {
        format!("{a:.2}")
    }
}

pub fn print_table(rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    let w = rows
        .iter()
        .map(|r| r.name.len())
        .chain(["measurement (A vs B)".len()])
        .max()
        .unwrap_or(0);
    println!();
    println!(
        "{:<w$}  {:>10}  {:>10}  {:>6}  {:>10}  {:>5}  verdict",
        "measurement (A vs B)", "median A", "median B", "ratio", "pair ratio", "aim"
    );
    for r in rows {
        let ratio = r.ratio();
        println!(
            "{:<w$}  {:>10}  {:>10}  {:>5.2}x  {:>9.2}x  {:>4}x  {}",
            r.name,
            fmt_dur(r.a),
            fmt_dur(r.b),
            ratio,
            r.pair_ratio,
            fmt_aim(r.aim),
            if ratio <= r.aim { "OK" } else { "over" }
        );
    }
}
