//! Real trees: `calls --format json` on checkouts named by `BENCH_REAL_TREES`.
//!
//! `BENCH_REAL_TREES=DIR:DIR:...` names the trees (for example the four official SailPoint
//! SDKs and a few large public repositories). `calls TREE... --format json` runs once on all of
//! them together (one invocation, several paths) and is compared with `rg -c -F` given the same
//! literal hints ([`prefilter::HINTS`]) on the same trees, walked the same way: hidden files
//! read, `.gitignore` honoured outside git repositories too (`--no-require-git`), the folders
//! `calls` skips ([`SKIP_DIRS`]) excluded, files over 4 MiB skipped. Printed: the exit code of
//! `calls` (must be 0: no panic, no contained internal error), the calls it found, the ratio of
//! the medians of interleaved runs (aim ≤ 2×), files/s over the files `calls` reads, and its
//! peak resident memory (aim under 1 GiB). Without the variable this part prints how to enable
//! it and is skipped.
//!
//! `BENCH_REAL_RUNS=N` sets the number of interleaved rounds (default 5).

use super::{Proc, env_usize, peak_memory};
use crate::common::*;
use isc_scope_lint::discover::walk::{SKIP_DIRS, walk};
use isc_scope_lint::discover::{Options, prefilter};
use std::path::{Path, PathBuf};
use std::time::Instant;

const MEMORY_AIM_MIB: f64 = 1024.0;
const MEMORY_RUNS: usize = 2;

pub fn run(bin: &Path, rg: Option<&Path>) {
    println!();
    println!("== real trees: calls on BENCH_REAL_TREES vs rg -c -F ==");
    let Some(list) = std::env::var_os("BENCH_REAL_TREES") else {
        println!(
            "skipped: set BENCH_REAL_TREES to checkouts separated by `:`, for example\n  \
             BENCH_REAL_TREES=/src/python-sdk:/src/golang-sdk:/src/typescript-sdk:/src/powershell-sdk \
             cargo bench --bench calls"
        );
        return;
    };
    let roots: Vec<PathBuf> = std::env::split_paths(&list)
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    if let Some(bad) = roots.iter().find(|p| !p.is_dir()) {
        println!(
            "skipped: BENCH_REAL_TREES names {} which is not a folder",
            bad.display()
        );
        return;
    }
    if roots.is_empty() {
        println!("skipped: BENCH_REAL_TREES names no folder");
        return;
    }
    let Some(rg) = rg else {
        println!("skipped: no rg to compare with (see above)");
        return;
    };
    let runs = env_usize("BENCH_REAL_RUNS", 5);
    let names: Vec<&str> = roots
        .iter()
        .map(|p| p.to_str().expect("UTF-8 path"))
        .collect();
    println!("trees: {}", names.join(" "));

    // In-process: what `calls` reads and keeps (and a warm page cache for both sides).
    let t = Instant::now();
    let (kept, warnings, scanned) = walk(&roots, &Options::default());
    println!(
        "calls reads {scanned} files and keeps {} (prefilter hint or manifest); {} walk warnings; \
         walked in {:.2} s",
        kept.len(),
        warnings.len(),
        t.elapsed().as_secs_f64()
    );
    drop(kept);

    let mut args: Vec<String> = vec!["calls".into()];
    args.extend(names.iter().map(|s| s.to_string()));
    args.extend(["--format".into(), "json".into()]);

    // One run to see that it succeeds: exit 0, JSON out.
    let probe = Proc {
        bin: bin.to_path_buf(),
        args: args.clone(),
        ok: vec![],
    };
    let t = Instant::now();
    let out = probe.command().output().expect("start calls");
    let first = t.elapsed();
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let verdict = match code {
        Some(0) => "OK".to_string(),
        Some(101) => "PANIC (must be 0)".to_string(),
        Some(c) => format!("FAILED (must be 0; {c})"),
        None => format!("KILLED ({}; must be 0)", out.status),
    };
    println!(
        "calls exit code: {} {verdict}; first run {}",
        code.map_or("none".to_string(), |c| c.to_string()),
        fmt_dur(first)
    );
    if code != Some(0) {
        for l in stderr.lines().take(20) {
            println!("  stderr: {l}");
        }
    }
    match serde_json::from_slice::<serde_json::Value>(&out.stdout) {
        Ok(v) => {
            let calls = v["calls"].as_array().map_or(0, Vec::len);
            let resolved = v["calls"].as_array().map_or(0, |a| {
                a.iter()
                    .filter(|c| c["resolved"].as_bool() == Some(true))
                    .count()
            });
            let warns = v["warnings"].as_array().map_or(0, Vec::len);
            println!("calls found {calls} calls ({resolved} resolved), {warns} warnings");
        }
        Err(e) => println!("calls printed no JSON report: {e}"),
    }
    let Some(code) = code.filter(|c| *c != 101) else {
        println!("timing skipped: calls did not exit normally");
        return;
    };
    let calls = Proc {
        bin: bin.to_path_buf(),
        args,
        ok: vec![code],
    };

    let mut rg_args: Vec<String> = [
        "-c",
        "-F",
        "--hidden",
        "--no-messages",
        "--no-require-git",
        "--max-filesize",
        "4M",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for d in SKIP_DIRS {
        rg_args.push("-g".into());
        rg_args.push(format!("!{d}/"));
    }
    for h in prefilter::HINTS {
        rg_args.push("-e".into());
        rg_args.push(h.to_string());
    }
    rg_args.extend(names.iter().map(|s| s.to_string()));
    let rgp = Proc::new(rg, rg_args, &[0, 1]);
    let (files, lines) = rgp.output().lines().fold((0usize, 0usize), |(f, n), l| {
        let c = l.rsplit(':').next().and_then(|c| c.parse::<usize>().ok());
        (f + 1, n + c.unwrap_or(0))
    });
    println!(
        "rg -c -F with the {} hints: {files} files, {lines} matching lines",
        prefilter::HINTS.len()
    );

    // The first run above and the walk warmed the page cache: one more round of warm-up.
    println!("interleaved rounds: {runs} (+1 warm-up)");
    let mut t = round_robin_warm(runs, 1, &mut [&mut || calls.time(), &mut || rgp.time()]);
    let (c, r) = (t.remove(0), t.remove(0));
    let row = Row::new("calls --format json vs rg -c -F (real trees)", c, r, 2.0);
    let median_calls = row.a;
    print_table(std::slice::from_ref(&row));
    println!();
    println!(
        "calls throughput at its median ({}): {:.0} files/s over the {scanned} files it reads",
        fmt_dur(median_calls),
        scanned as f64 / median_calls.as_secs_f64()
    );
    match peak_memory(&calls, MEMORY_RUNS) {
        Some(kb) => {
            let mib = kb as f64 / 1024.0;
            println!(
                "calls peak memory (VmHWM, max of {MEMORY_RUNS} sampled runs): {mib:.1} MiB \
                 (aim < {MEMORY_AIM_MIB:.0} MiB: {})",
                if mib < MEMORY_AIM_MIB { "OK" } else { "over" }
            );
        }
        None => println!("peak memory: not available (no /proc/<pid>/status VmHWM)"),
    }
}
