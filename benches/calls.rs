//! Throughput, scaling and real-tree figures of `isc-scope-lint calls`, measured in one run.
//!
//! `cargo bench --bench calls` runs three parts (`BENCH_ONLY=walk,scale,real` picks some):
//!
//! **walk**: builds a synthetic code base in a temporary folder (Python, TypeScript, Go,
//! PowerShell, Java, shell, YAML, Markdown, JSON and some assets, a `.github` folder, and a
//! `node_modules` folder that must be skipped; a few percent of the files make ISC calls, some
//! more make other HTTP calls), then prints:
//!
//! 1. `calls TREE --format json` vs `rg -F -l` given the same literals
//!    ([`prefilter::HINTS`]) on the same tree (`--hidden`, `node_modules` excluded as `calls`
//!    excludes it), and vs the same `rg` also told to skip the docs and assets that `calls`
//!    does not read: ratios of the medians of interleaved runs (A, B, C, A, B, C, ...), so
//!    that the noise of a shared machine hits every side;
//! 2. files/s and lines/s of `calls` (at its median);
//! 3. the peak resident memory of `calls` (and of `rg`), `VmHWM` of `/proc/<pid>/status`
//!    sampled every millisecond while the process runs (so a lower bound; Linux only).
//!
//! `BENCH_RUNS=N` sets the number of interleaved rounds (default 21; also those of the scaling
//! part), `BENCH_FILES=N` the number of files outside `node_modules` (default 6000),
//! `BENCH_TREE=DIR` writes the tree to `DIR` and keeps it (to profile `calls` on it). `rg` is
//! taken from `PATH` or `$CARGO_HOME/bin`, else installed with `cargo install ripgrep
//! --locked`; if that fails the comparisons with `rg` are skipped with a message.
//!
//! **scale**: the same generated project (modules importing each other's constants and
//! calling each other's request helpers, in eight languages) at 1×, 2×, 4×, 8×; see
//! `calls/scale.rs` (`BENCH_SCALE_FILES`, `BENCH_SCALE_TREE`).
//!
//! **real**: `calls` on the checkouts named by `BENCH_REAL_TREES` (separated by `:`) vs
//! `rg -c -F`; see `calls/real.rs` (`BENCH_REAL_RUNS`).

use isc_scope_lint::discover::walk::walk;
use isc_scope_lint::discover::{Options, prefilter};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MEMORY_RUNS: usize = 5;

mod common;
use common::*;

#[path = "calls/real.rs"]
mod real;
#[path = "calls/scale.rs"]
mod scale;

/// The parts `BENCH_ONLY` can pick (comma-separated; all by default).
const PARTS: [&str; 3] = ["walk", "scale", "real"];

fn main() {
    // `cargo test --all-targets` runs bench targets without `--bench`: do not benchmark there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("calls bench: run it with `cargo bench --bench calls`");
        return;
    }
    let only: Vec<String> = match std::env::var("BENCH_ONLY") {
        Ok(v) => v.split(',').map(|s| s.trim().to_string()).collect(),
        Err(_) => PARTS.iter().map(|s| s.to_string()).collect(),
    };
    if let Some(bad) = only.iter().find(|p| !PARTS.contains(&p.as_str())) {
        panic!(
            "BENCH_ONLY: unknown part `{bad}` (parts: {})",
            PARTS.join(", ")
        );
    }
    let part = |p: &str| only.iter().any(|o| o == p);
    let runs = env_usize("BENCH_RUNS", 21);
    let bin = binary();
    println!("binary: {}", bin.display());
    println!(
        "available parallelism: {}; interleaved rounds: {runs} (+{WARMUP} warm-up)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let rg = if part("walk") || part("real") {
        ripgrep()
    } else {
        None
    };
    if part("walk") {
        walk_bench(&bin, rg.as_deref(), runs);
    }
    if part("scale") {
        scale::run(&bin, runs);
    }
    if part("real") {
        real::run(&bin, rg.as_deref());
    }
}

/// The synthetic tree with a `node_modules`: `calls` vs `rg -F -l`, throughput, memory.
fn walk_bench(bin: &Path, rg: Option<&Path>, runs: usize) {
    println!();
    println!("== walk: a synthetic tree of BENCH_FILES files vs rg -F -l ==");
    let n_files = env_usize("BENCH_FILES", 6000);

    // `BENCH_TREE=DIR` writes the tree there and keeps it (to profile `calls` on it).
    let tree = match std::env::var_os("BENCH_TREE") {
        Some(d) => {
            let p = PathBuf::from(d);
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).expect("create BENCH_TREE");
            TempDir(p, true)
        }
        None => TempDir::new("isc-calls-bench"),
    };
    let t = Instant::now();
    let stats = generate(&tree.0, n_files);
    println!(
        "tree: {} files outside node_modules ({:.1} MB, {} lines; {} ISC-call files, {} other \
         HTTP-client files), {} under node_modules; written in {:.1} s",
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.lines,
        stats.isc_files,
        stats.http_files,
        stats.node_modules_files,
        t.elapsed().as_secs_f64()
    );

    // In-process check of what `calls` reads and keeps (and a warm page cache).
    let (kept, warnings, scanned) = walk(std::slice::from_ref(&tree.0), &Options::default());
    assert!(warnings.is_empty(), "walk warnings: {warnings:?}");
    assert!(
        !kept.iter().any(|f| f.rel.contains("node_modules")),
        "node_modules was not skipped"
    );
    assert_eq!(scanned, stats.read_files, "files read by the walk");
    let kept_isc = kept.iter().filter(|f| f.rel.contains("isc_")).count();
    assert_eq!(kept_isc, stats.isc_scanned, "every ISC-call file is kept");
    println!(
        "calls reads {} files ({} lines) and keeps {} ({} ISC-call, the rest HTTP clients and \
         manifests)",
        scanned,
        stats.read_lines,
        kept.len(),
        kept_isc
    );
    drop(kept);

    let tree_arg = tree.0.to_str().expect("UTF-8 temp path").to_string();
    let calls_args = vec![
        "calls".to_string(),
        tree_arg.clone(),
        "--format".into(),
        "json".into(),
    ];
    let calls = Proc::new(bin, calls_args, &[0]);

    // rg on the same tree, and rg on exactly the files `calls` reads (docs and assets
    // excluded by globs too).
    let rgs = rg.map(|rg| {
        let mut all = vec![
            "-F",
            "-l",
            "--hidden",
            "--no-messages",
            "-g",
            "!node_modules/",
        ];
        let same = ["-g", "!*.md", "-g", "!*.css", "-g", "!*.svg"];
        let with_hints = |flags: &[&str]| -> Vec<String> {
            let mut args: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
            for h in prefilter::HINTS {
                args.push("-e".into());
                args.push(h.to_string());
            }
            args.push(tree_arg.clone());
            args
        };
        let whole = Proc::new(rg, with_hints(&all), &[0, 1]);
        all.extend(same);
        let narrow = Proc::new(rg, with_hints(&all), &[0, 1]);
        println!(
            "rg -F -l with the {} hints lists {} files ({} when given only the files calls reads)",
            prefilter::HINTS.len(),
            whole.output().lines().count(),
            narrow.output().lines().count(),
        );
        (whole, narrow)
    });

    let mut rows = Vec::new();
    let calls_median = match &rgs {
        Some((whole, narrow)) => {
            let mut t = round_robin(
                runs,
                &mut [&mut || calls.time(), &mut || whole.time(), &mut || {
                    narrow.time()
                }],
            );
            let (c, n, w) = (t.remove(0), t.pop().unwrap(), t.pop().unwrap());
            rows.push(Row::new(
                "calls --format json vs rg -F -l (same tree)",
                c.clone(),
                w,
                1.5,
            ));
            rows.push(Row::new(
                "calls --format json vs rg -F -l (same files)",
                c,
                n,
                1.5,
            ));
            rows[0].a
        }
        None => {
            let mut t = round_robin(runs, &mut [&mut || calls.time()]);
            median(t.remove(0))
        }
    };

    let secs = calls_median.as_secs_f64();
    let mem_calls = peak_memory(&calls, MEMORY_RUNS);
    let mem_rg = rgs
        .as_ref()
        .map(|(whole, _)| peak_memory(whole, MEMORY_RUNS));

    print_table(&rows);
    if rgs.is_none() {
        println!("calls vs rg: skipped (no rg; see above)");
    }
    println!();
    println!(
        "calls throughput at its median ({}): {:.0} files/s, {:.0} lines/s over the {} files \
         ({} lines) it reads; {:.0} files/s over all {} files outside node_modules",
        fmt_dur(calls_median),
        stats.read_files as f64 / secs,
        stats.read_lines as f64 / secs,
        stats.read_files,
        stats.read_lines,
        stats.files as f64 / secs,
        stats.files
    );
    match mem_calls {
        Some(kb) => print!(
            "peak memory (VmHWM, max of {MEMORY_RUNS} sampled runs): calls {:.1} MiB",
            kb as f64 / 1024.0
        ),
        None => print!("peak memory: not available (no /proc/<pid>/status VmHWM)"),
    }
    match mem_rg.flatten() {
        Some(kb) => println!(", rg {:.1} MiB", kb as f64 / 1024.0),
        None => println!(),
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => panic!("{name} must be a positive integer, got `{v}`"),
        },
        Err(_) => default,
    }
}

/// `rg` from `PATH` or `$CARGO_HOME/bin`, else `cargo install ripgrep --locked`.
fn ripgrep() -> Option<PathBuf> {
    let works = |p: &Path| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin").join("rg"));
    let candidates: Vec<PathBuf> = std::iter::once(PathBuf::from("rg"))
        .chain(cargo_bin.clone())
        .collect();
    if let Some(rg) = candidates.iter().find(|p| works(p)) {
        return Some(rg.clone());
    }
    println!("rg not found: installing it with `cargo install ripgrep --locked`");
    let status = Command::new(cargo())
        .args(["install", "ripgrep", "--locked"])
        .env("CARGO_TARGET_DIR", target_dir().join("ripgrep-install"))
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            println!("cargo install ripgrep failed ({s}): skipping the rg comparison");
            return None;
        }
        Err(e) => {
            println!("cannot run cargo install ({e}): skipping the rg comparison");
            return None;
        }
    }
    match candidates.into_iter().find(|p| works(p)) {
        Some(rg) => Some(rg),
        None => {
            println!("rg still not found after cargo install: skipping the rg comparison");
            None
        }
    }
}

/// A child process run the same way each time; checked once when made.
struct Proc {
    bin: PathBuf,
    args: Vec<String>,
    ok: Vec<i32>,
}

impl Proc {
    fn new(bin: &Path, args: Vec<String>, ok: &[i32]) -> Proc {
        let p = Proc {
            bin: bin.to_path_buf(),
            args,
            ok: ok.to_vec(),
        };
        let _ = p.output();
        p
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(&self.args).stdin(Stdio::null());
        c
    }

    fn check(&self, status: std::process::ExitStatus, stderr: &str) {
        assert!(
            status.code().is_some_and(|c| self.ok.contains(&c)),
            "`{} {}` failed ({status}): {stderr}",
            self.bin.display(),
            self.args.join(" ")
        );
    }

    /// Runs once, returns stdout.
    fn output(&self) -> String {
        let out = self.command().output().expect("start a child process");
        self.check(out.status, &String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wall time from spawn to exit; output goes to /dev/null.
    fn time(&self) -> Duration {
        let mut c = self.command();
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let t = Instant::now();
        let status = c.status().expect("spawn");
        let d = t.elapsed();
        self.check(status, "(stderr not kept while timing)");
        d
    }
}

/// The largest `VmHWM` seen while sampling `/proc/<pid>/status` every millisecond, over
/// `runs` runs, in KiB.
fn peak_memory(p: &Proc, runs: usize) -> Option<u64> {
    let mut best = None;
    for _ in 0..runs {
        let mut c = p.command();
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = c.spawn().expect("spawn");
        let status_file = format!("/proc/{}/status", child.id());
        let mut peak = None;
        loop {
            // Read before reaping: once waited for, the pid is gone.
            if let Ok(s) = std::fs::read_to_string(&status_file)
                && let Some(kb) = s
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(Some(kb));
            }
            if let Some(status) = child.try_wait().expect("wait") {
                p.check(status, "(memory run)");
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        best = best.max(peak);
    }
    best
}

/// A temporary folder, removed on drop.
struct TempDir(PathBuf, bool);

impl TempDir {
    fn new(prefix: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let p = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).expect("create the bench tree folder");
        TempDir(p, false)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.1 {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// The synthetic tree.

/// xorshift64*: deterministic, so every run benchmarks the same tree.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    /// A file length in lines: mostly small, a long tail (roughly what code bases have).
    fn lines(&mut self) -> usize {
        match self.below(100) {
            0..=59 => 15 + self.below(120),
            60..=89 => 120 + self.below(400),
            90..=98 => 500 + self.below(1000),
            _ => 1500 + self.below(2500),
        }
    }
}

// Words chosen so that no combination spells a hint (checked at generation).
const NOUNS: &[&str] = &[
    "order",
    "item",
    "ledger",
    "invoice",
    "cart",
    "report",
    "record",
    "batch",
    "queue",
    "widget",
    "account_row",
    "entry",
    "token_cache",
    "profile",
    "schedule",
    "metric",
    "bucket",
    "window",
];
const VERBS: &[&str] = &[
    "load", "save", "compute", "merge", "render", "parse", "build", "check", "update", "find",
    "apply", "format", "split", "reduce",
];

#[derive(Default)]
struct Stats {
    files: usize,
    bytes: usize,
    lines: usize,
    read_files: usize,
    read_lines: usize,
    isc_files: usize,
    isc_scanned: usize,
    http_files: usize,
    node_modules_files: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Lang {
    Python,
    TypeScript,
    Go,
    PowerShell,
    Java,
    Shell,
    Yaml,
    Markdown,
    Json,
    Css,
    Svg,
}

impl Lang {
    fn ext(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::TypeScript => "ts",
            Lang::Go => "go",
            Lang::PowerShell => "ps1",
            Lang::Java => "java",
            Lang::Shell => "sh",
            Lang::Yaml => "yml",
            Lang::Markdown => "md",
            Lang::Json => "json",
            Lang::Css => "css",
            Lang::Svg => "svg",
        }
    }

    /// Whether `calls` reads files of this kind by default.
    fn read_by_calls(self) -> bool {
        !matches!(self, Lang::Markdown | Lang::Css | Lang::Svg)
    }

    fn top(self) -> &'static str {
        match self {
            Lang::Python => "services/py",
            Lang::TypeScript => "web/src",
            Lang::Go => "cmd",
            Lang::PowerShell => "ops/powershell",
            Lang::Java => "jvm/src/main/java/com/acme",
            Lang::Shell => "scripts",
            Lang::Yaml => "deploy",
            Lang::Markdown => "docs",
            Lang::Json => "config",
            Lang::Css => "web/styles",
            Lang::Svg => "web/assets",
        }
    }
}

/// Shares of the languages, in percent (they add up to 100).
const MIX: &[(Lang, usize)] = &[
    (Lang::Python, 20),
    (Lang::TypeScript, 22),
    (Lang::Go, 9),
    (Lang::PowerShell, 6),
    (Lang::Java, 10),
    (Lang::Shell, 6),
    (Lang::Yaml, 8),
    (Lang::Markdown, 8),
    (Lang::Json, 5),
    (Lang::Css, 4),
    (Lang::Svg, 2),
];

fn generate(root: &Path, n: usize) -> Stats {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut st = Stats::default();
    let mut dirs = std::collections::HashSet::new();
    let write = |rel: &str, text: &str, dirs: &mut std::collections::HashSet<PathBuf>| {
        let p = root.join(rel);
        let parent = p.parent().expect("parent").to_path_buf();
        if dirs.insert(parent.clone()) {
            std::fs::create_dir_all(&parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
    };
    for i in 0..n {
        let mut roll = rng.below(100);
        let lang = MIX
            .iter()
            .find(|(_, share)| {
                if roll < *share {
                    true
                } else {
                    roll -= share;
                    false
                }
            })
            .map_or(Lang::Python, |(l, _)| *l);
        // ~3% make ISC calls, ~8% other HTTP calls (code files and YAML only).
        let code = !matches!(lang, Lang::Markdown | Lang::Json | Lang::Css | Lang::Svg);
        let r = rng.below(100);
        let (isc, http) = (code && r < 3, code && (3..11).contains(&r));
        let lines = rng.lines();
        let text = body(&mut rng, lang, lines, isc, http);
        if !isc && !http {
            assert!(
                !prefilter::matches(text.as_bytes()),
                "generated {lang:?} filler spells a hint"
            );
        }
        let pkg = i % 40;
        let sub = (i / 40) % 5;
        let tag = if isc { "isc_" } else { "" };
        let rel = format!(
            "{}/pkg{pkg}/part{sub}/{tag}{}_{i}.{}",
            lang.top(),
            rng.pick(NOUNS),
            lang.ext()
        );
        let n_lines = text.lines().count();
        write(&rel, &text, &mut dirs);
        st.files += 1;
        st.bytes += text.len();
        st.lines += n_lines;
        if lang.read_by_calls() {
            st.read_files += 1;
            st.read_lines += n_lines;
        }
        st.isc_files += usize::from(isc);
        st.isc_scanned += usize::from(isc && lang.read_by_calls());
        st.http_files += usize::from(http);
    }
    // A CI folder (hidden) with an ISC call in one workflow.
    for (k, isc) in [(0, true), (1, false), (2, false)] {
        let mut t = String::from("name: ci\non: [push]\njobs:\n  build:\n    steps:\n");
        t.push_str("      - run: make test\n");
        if isc {
            t.push_str(
                "      - run: curl -X POST https://acme.api.identitynow.com/beta/workflows\n",
            );
        }
        let tag = if isc { "isc_" } else { "" };
        write(&format!(".github/workflows/{tag}ci{k}.yml"), &t, &mut dirs);
        st.files += 1;
        st.bytes += t.len();
        st.lines += t.lines().count();
        st.read_files += 1;
        st.read_lines += t.lines().count();
        st.isc_files += usize::from(isc);
        st.isc_scanned += usize::from(isc);
    }
    // A package manifest (kept without a hint: it tells the SDK generation).
    let manifest = "{\n  \"name\": \"acme\",\n  \"dependencies\": {\"left-pad\": \"1.3.0\"}\n}\n";
    write("web/package.json", manifest, &mut dirs);
    st.files += 1;
    st.bytes += manifest.len();
    st.lines += 4;
    st.read_files += 1;
    st.read_lines += 4;
    // node_modules: skipped by `calls` (and excluded for rg), HTTP-heavy as libraries are.
    let nm = (n / 6).max(10);
    for k in 0..nm {
        let lines = rng.lines();
        let text = body(&mut rng, Lang::TypeScript, lines, false, k % 3 == 0);
        write(
            &format!("web/node_modules/lib{}/dist/index{k}.js", k % 60),
            &text,
            &mut dirs,
        );
        st.node_modules_files += 1;
    }
    st
}

/// A file of `lines` lines (about) in `lang`, with an ISC call or another HTTP call inside.
fn body(rng: &mut Rng, lang: Lang, lines: usize, isc: bool, http: bool) -> String {
    let mut out = String::with_capacity(lines * 40);
    out.push_str(header(lang));
    let mut count = out.matches('\n').count();
    // The call goes after a block picked among the first ones (files are ~8-10 lines a block).
    let special_at = rng.below((lines / 10).max(1));
    let mut i = 0;
    while count < lines || i <= special_at {
        let noun = rng.pick(NOUNS);
        let verb = rng.pick(VERBS);
        let a = rng.below(1000);
        let b = rng.below(100);
        let blk = block(lang, verb, noun, a, b);
        count += blk.matches('\n').count();
        out.push_str(&blk);
        if i == special_at {
            if isc {
                out.push_str(isc_call(lang, rng));
            } else if http {
                out.push_str(http_call(lang));
            }
        }
        i += 1;
    }
    out.push_str(footer(lang));
    out
}

fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::Java => "}\n",
        Lang::Json => "    {}\n  ]\n}\n",
        Lang::Svg => "</svg>\n",
        _ => "",
    }
}

fn header(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => {
            "\"\"\"Domain helpers.\"\"\"\nimport os\nimport json\nfrom typing import Any\n\n"
        }
        Lang::TypeScript => {
            "import { readFile } from 'node:fs/promises';\nimport type { Config } from './types';\n\n"
        }
        Lang::Go => "package acme\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"os\"\n)\n\n",
        Lang::PowerShell => {
            "#Requires -Version 7\nSet-StrictMode -Version Latest\n$ErrorActionPreference = 'Stop'\n\n"
        }
        Lang::Java => {
            "package com.acme;\n\nimport java.util.List;\nimport java.util.Map;\n\npublic final class Helpers {\n"
        }
        Lang::Shell => "#!/usr/bin/env bash\nset -euo pipefail\n\n",
        Lang::Yaml => {
            "# deployment values\nreplicas: 3\nimage:\n  repository: registry.local/acme/app\n  tag: latest\n"
        }
        Lang::Markdown => "# Guide\n\nThis page explains the batch jobs.\n\n",
        Lang::Json => "{\n  \"settings\": [\n",
        Lang::Css => ":root {\n  --accent: #3366ff;\n}\n",
        Lang::Svg => "<svg xmlns=\"urn:acme:svg\" viewBox=\"0 0 24 24\">\n",
    }
}

fn block(lang: Lang, verb: &str, noun: &str, a: usize, b: usize) -> String {
    match lang {
        Lang::Python => format!(
            "def {verb}_{noun}(values: list[int], limit: int = {a}) -> dict[str, Any]:\n    \
             \"\"\"{verb} the {noun} values.\"\"\"\n    total = 0\n    for v in values:\n        \
             if v > limit:\n            total += v * {b}\n        else:\n            total -= 1\n    \
             return {{\"{noun}\": total, \"count\": len(values)}}\n\n\n"
        ),
        Lang::TypeScript => format!(
            "export function {verb}_{noun}(values: number[], limit = {a}): Record<string, number> {{\n  \
             let total = 0;\n  for (const v of values) {{\n    total += v > limit ? v * {b} : -1;\n  }}\n  \
             return {{ {noun}: total, count: values.length }};\n}}\n\n"
        ),
        Lang::Go => format!(
            "// {verb}_{noun} folds the {noun} values.\nfunc {verb}_{noun}(values []int) (map[string]int, error) {{\n\
             \ttotal := 0\n\tfor _, v := range values {{\n\t\tif v > {a} {{\n\t\t\ttotal += v * {b}\n\t\t}}\n\t}}\n\
             \tif total < 0 {{\n\t\treturn nil, fmt.Errorf(\"{noun}: negative total %d\", total)\n\t}}\n\
             \treturn map[string]int{{\"{noun}\": total}}, nil\n}}\n\n"
        ),
        Lang::PowerShell => format!(
            "function Invoke-{verb}{noun} {{\n    param([int[]]$Values, [int]$Limit = {a})\n    \
             $total = 0\n    foreach ($v in $Values) {{\n        if ($v -gt $Limit) {{ $total += $v * {b} }}\n    }}\n    \
             Write-Verbose \"{noun}: $total\"\n    return @{{ {noun} = $total }}\n}}\n\n"
        ),
        Lang::Java => format!(
            "    /** {verb} the {noun} values. */\n    public static Map<String, Integer> {verb}_{noun}(List<Integer> values) {{\n        \
             int total = 0;\n        for (int v : values) {{\n            if (v > {a}) {{\n                total += v * {b};\n            }}\n        }}\n        \
             return Map.of(\"{noun}\", total);\n    }}\n\n"
        ),
        Lang::Shell => format!(
            "{verb}_{noun}() {{\n  local total=0\n  for v in \"$@\"; do\n    if [ \"$v\" -gt {a} ]; then\n      \
             total=$((total + v * {b}))\n    fi\n  done\n  echo \"{noun}: $total\"\n}}\n\n"
        ),
        Lang::Yaml => format!(
            "{verb}_{noun}:\n  enabled: true\n  limit: {a}\n  factor: {b}\n  labels:\n    team: platform\n    tier: backend\n"
        ),
        Lang::Markdown => format!(
            "## {verb} the {noun}\n\nRun the `{verb}_{noun}` job with a limit of {a} and a factor of {b}.\n\
             It reads the {noun} table and writes a summary.\n\n"
        ),
        Lang::Json => format!(
            "    {{\"name\": \"{verb}_{noun}\", \"limit\": {a}, \"factor\": {b}, \"enabled\": true}},\n"
        ),
        Lang::Css => format!(
            ".{noun}-{verb} {{\n  margin: {b}px;\n  width: {a}px;\n  color: var(--accent);\n}}\n"
        ),
        Lang::Svg => format!("  <rect x=\"{b}\" y=\"{a}\" width=\"{b}\" height=\"{a}\" />\n"),
    }
}

fn isc_call(lang: Lang, rng: &mut Rng) -> &'static str {
    match lang {
        Lang::Python => rng.pick(&[
            "r = requests.get(f\"{base}/v3/sources/{id}\", headers=h)\n",
            "r = requests.post(f\"{base}/beta/workflows/{wid}/test\", json=body, headers=h)\n",
        ]),
        Lang::TypeScript => rng.pick(&[
            "const res = await fetch(`${base}/v2025/accounts?limit=250`, { headers });\n",
            "await axios.patch(`${base}/v3/identities/${id}`, ops, { headers });\n",
        ]),
        Lang::Go => "req, _ := http.NewRequest(\"GET\", base+\"/v3/access-profiles\", nil)\n",
        Lang::PowerShell => "$r = Invoke-RestMethod -Uri \"$base/v2025/accounts\" -Headers $h\n",
        Lang::Java => {
            "        var req = HttpRequest.newBuilder(URI.create(base + \"/v3/roles\")).GET().build();\n"
        }
        Lang::Shell => "curl -X POST https://acme.api.identitynow.com/beta/workflows -d @wf.json\n",
        Lang::Yaml => {
            "  script: curl -H \"Authorization: Bearer $T\" https://acme.api.identitynow.com/v3/sources\n"
        }
        _ => "",
    }
}

fn http_call(lang: Lang) -> &'static str {
    match lang {
        Lang::Python => "resp = requests.get(\"https://status.example.org/health\", timeout=5)\n",
        Lang::TypeScript => "const res = await fetch(statusUrl, { method: 'GET' });\n",
        Lang::Go => "resp, err := http.Get(statusURL)\n",
        Lang::PowerShell => "$s = Invoke-WebRequest -Uri $StatusUrl -UseBasicParsing\n",
        Lang::Java => "        HttpClient client = HttpClient.newHttpClient();\n",
        Lang::Shell => "curl -fsS \"$STATUS_URL\" > /dev/null\n",
        Lang::Yaml => "  healthcheck: curl -f localhost:8080/health\n",
        _ => "",
    }
}
