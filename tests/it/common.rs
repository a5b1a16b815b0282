//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in the crate root.
pub fn run(args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// `calls --format json` on a fixture path, as JSON.
pub fn calls_json(path: &str) -> serde_json::Value {
    let o = run(&["calls", path, "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    serde_json::from_str(&o.stdout).expect("JSON output")
}

/// The calls of one file of a `calls` result.
pub fn calls_in<'a>(v: &'a serde_json::Value, file: &str) -> Vec<&'a serde_json::Value> {
    v["calls"]
        .as_array()
        .expect("calls array")
        .iter()
        .filter(|c| c["file"] == file)
        .collect()
}

/// The operations of one file's calls (the resolved ones).
pub fn ops_in(v: &serde_json::Value, file: &str) -> Vec<String> {
    calls_in(v, file)
        .iter()
        .filter_map(|c| c["operation"].as_str().map(str::to_string))
        .collect()
}

/// The operations reported at one line of a file (`GET /v3/roles`, or `GET /v2/x (no
/// operation)` for a path in no spec).
pub fn ops_at(v: &serde_json::Value, file: &str, line: u64) -> Vec<String> {
    calls_in(v, file)
        .into_iter()
        .filter(|c| c["line"] == line)
        .map(|c| {
            c["operation"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "{} {} (no operation)",
                        c["method"].as_str().unwrap_or("?"),
                        c["path"].as_str().unwrap_or("?")
                    )
                })
        })
        .collect()
}

/// The lines of one file's calls.
pub fn lines_in(v: &serde_json::Value, file: &str) -> Vec<u64> {
    calls_in(v, file)
        .iter()
        .map(|c| c["line"].as_u64().expect("line number"))
        .collect()
}

/// Asserts that nothing is reported in `file` (a fixture of negative forms).
pub fn assert_no_calls(v: &serde_json::Value, file: &str) {
    let neg = calls_in(v, file);
    assert!(neg.is_empty(), "{file}: negatives reported: {neg:#?}");
}

/// Snapshots the `calls` of a fixture folder as the summary and as JSON (a macro, so that the
/// snapshots are named after the calling test). Not every test crate uses it.
#[allow(unused_macros)]
macro_rules! snapshot_calls {
    ($dir:expr) => {
        let v = common::calls_json($dir);
        insta::assert_snapshot!(common::summary(&v));
        insta::assert_json_snapshot!(v["calls"]);
    };
}
#[allow(unused_imports)]
pub(crate) use snapshot_calls;

/// One line per call: `line:col METHOD operation-or-path via [unresolved: reason]` — compact
/// for snapshots that are read by people.
pub fn summary(v: &serde_json::Value) -> String {
    let mut s = String::new();
    for c in v["calls"].as_array().expect("calls array") {
        let what = c["operation"]
            .as_str()
            .map(str::to_string)
            .or_else(|| {
                c["path"]
                    .as_str()
                    .map(|p| format!("{} {p} (no operation)", c["method"].as_str().unwrap_or("?")))
            })
            .unwrap_or_else(|| "?".into());
        s.push_str(&format!(
            "{}:{}:{} {} [{}]",
            c["file"].as_str().unwrap_or(""),
            c["line"],
            c["column"],
            what,
            c["via"].as_str().unwrap_or("")
        ));
        if c["resolved"] == false {
            s.push_str(&format!(
                " unresolved: {}",
                c["reason"].as_str().unwrap_or("")
            ));
        } else if let Some(r) = c["reason"].as_str() {
            s.push_str(&format!(" note: {r}"));
        }
        s.push('\n');
    }
    s
}

/// Runs the binary, killing it if it has not ended after a minute (a hang fails the test
/// instead of blocking the suite; this is a guard, not a speed target).
pub fn run_guarded(mut cmd: Command) -> Out {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    let (mut so, mut se) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("hung: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Out {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
    }
}
