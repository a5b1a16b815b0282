//! Call discovery on hostile inputs: one regression test per family of crash, hang and
//! blow-up found in issue 8 (each input generated here at its failing size), containment of a
//! file whose analysis panics, and work linear in the input.
//!
//! Every run goes through `common::run_guarded` (a hang fails the test instead of blocking the
//! suite) under a 4 GiB address-space limit (a blow-up fails the run). Linear work is asserted
//! on the deterministic fuel counter (`ISC_SCOPE_LINT_DEBUG_FUEL=1` prints what each guarded
//! phase used), never on the clock.

use crate::common;
use std::path::Path;
use std::process::Command;

/// The fuel a file may use per byte in these tests: far below the budget (2,000 per byte),
/// far above what ordinary code uses (under 10 per byte on the fixtures), so a quadratic step
/// on these inputs, hundreds of kilobytes long, fails it.
const LINEAR_FUEL_PER_BYTE: f64 = 120.0;
/// Fuel any file may use whatever its size (values are capped at 8 KiB, so a few dozen
/// steps over capped values cost this much in a file of a few hundred bytes).
const FUEL_ALLOWANCE: f64 = 2_000_000.0;

struct Outcome {
    code: i32,
    json: serde_json::Value,
    stderr: String,
}

impl Outcome {
    /// The calls of one file.
    fn calls(&self, file: &str) -> Vec<&serde_json::Value> {
        common::calls_in(&self.json, file)
    }

    /// The highest fuel per byte any guarded phase of any file used, beyond a fixed
    /// allowance (small files spend a constant amount on anything).
    fn max_fuel_per_byte(&self) -> f64 {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("fuel: "))
            .filter_map(|l| {
                // `file #N: USED of FUEL units for LEN bytes (R per byte)`
                let w: Vec<&str> = l.split_whitespace().collect();
                let used: f64 = w.get(2)?.parse().ok()?;
                let len: f64 = w.get(7)?.parse().ok()?;
                Some((used - FUEL_ALLOWANCE).max(0.0) / len.max(1.0))
            })
            .fold(0.0, f64::max)
    }

    /// No panic escaped, nothing was cut short, and the work stayed linear.
    fn assert_clean(&self, what: &str) {
        assert_eq!(
            self.code,
            0,
            "{what}: exit code; stderr:\n{}",
            tail(&self.stderr)
        );
        for bad in [
            "panicked",
            "internal error",
            "work budget",
            "RUST_BACKTRACE",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "{what}: `{bad}` in stderr:\n{}",
                tail(&self.stderr)
            );
        }
        let per_byte = self.max_fuel_per_byte();
        assert!(
            per_byte <= LINEAR_FUEL_PER_BYTE,
            "{what}: {per_byte} fuel units per byte (linear work stays under {LINEAR_FUEL_PER_BYTE})"
        );
    }
}

/// The last lines of a long stderr (the fuel lines make it long).
fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().filter(|l| !l.starts_with("fuel: ")).collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Writes `files` into a fresh folder and runs `calls --format json` on it.
fn calls_on(name: &str, files: &[(&str, String)], env: &[(&str, &str)]) -> Outcome {
    let dir = std::env::temp_dir().join(format!("isc-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let out = run_limited(&dir, env);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn run_limited(dir: &Path, env: &[(&str, &str)]) -> Outcome {
    // `ulimit -v`: a memory blow-up makes the run fail instead of the machine swap.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 4194304; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_isc-scope-lint"))
        .args([
            "calls",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--threads",
            "2",
        ])
        .env("NO_COLOR", "1")
        .env("ISC_SCOPE_LINT_DEBUG_FUEL", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = common::run_guarded(cmd);
    let json = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}); stderr:\n{}", tail(&o.stderr)));
    Outcome {
        code: o.code,
        json,
        stderr: o.stderr,
    }
}

const HOST: &str = "https://acme.api.identitynow.com";

fn one(name: &str, file: &str, text: String) -> Outcome {
    calls_on(name, &[(file, text)], &[])
}

// ---- Panics (each was exit 101, the whole run lost) ----

#[test]
fn a_call_before_an_index_does_not_make_a_backwards_function_body() {
    // code.rs:108: the look-ahead for a body's `{` stopped on `]`.
    for (file, text) in [
        (
            "a.js",
            "// {HOST}/v3/sources\na = f(1) + b + c + d + e + g[h]\n",
        ),
        (
            "a.go",
            "// {HOST}/v3/sources\nfunc x() { a = f(1) + b + c + d + e + g[h] }\n",
        ),
        (
            "A.java",
            "// {HOST}/v3/sources\nclass A { void x() { a = f(1) + b + c + d + e + g[h]; } }\n",
        ),
        (
            "a.cs",
            "// {HOST}/v3/sources\nvar a = f(1) + b + c + d + e + g[h];\n",
        ),
    ] {
        one("body", file, text.replace("{HOST}", HOST)).assert_clean(file);
    }
}

#[test]
fn a_backslash_before_a_non_ascii_character_keeps_the_character_whole() {
    // lex.rs:677: a byte index inside `é`.
    let o = calls_on(
        "escape",
        &[
            (
                "a.sh",
                format!("# identitynow\ncurl \"{HOST}/v3/sources\" -H \"X: \\é\\\"\"\n"),
            ),
            (
                "b.py",
                format!("# identitynow\nx = r\"\\é\"\nrequests.get(\"{HOST}/v3/sources\")\n"),
            ),
            (
                ".github/workflows/ci.yml",
                format!(
                    "on: push\njobs:\n  a:\n    steps:\n      - run: curl \"{HOST}/v3/roles\\é\"\n"
                ),
            ),
        ],
        &[],
    );
    o.assert_clean("backslash + é");
    assert_eq!(o.calls("b.py").len(), 1, "{:#?}", o.json);
    assert_eq!(o.calls("a.sh")[0]["operation"], "GET /v3/sources");
}

#[test]
fn unclosed_brackets_at_the_end_of_a_file_are_closed_there() {
    // shell_eval.rs:32 (`$(` at the end of a line), powershell_eval.rs:72 (`[` at the end).
    for (file, text) in [
        (
            "a.sh",
            format!("# identitynow\ncurl {HOST}/v3/sources $(\n"),
        ),
        ("Makefile", format!("all:\n\tcurl {HOST}/v3/sources $(\n")),
        (
            "Dockerfile",
            format!("FROM x\nRUN curl {HOST}/v3/sources $("),
        ),
        (
            "a.ps1",
            format!("Invoke-RestMethod {HOST}/v3/sources\n$x = ["),
        ),
        ("b.ps1", format!("Invoke-RestMethod \"{HOST}/v3/$(\"")),
        (
            "a.py",
            format!("import requests\nrequests.get(\"{HOST}/v3/sources\", ((("),
        ),
        ("a.js", format!("fetch(`{HOST}/v3/sources`, {{a: [(")),
    ] {
        let o = one("unclosed", file, text);
        o.assert_clean(file);
        assert!(
            !o.calls(file).is_empty(),
            "{file}: the call before it: {:#?}",
            o.json
        );
    }
}

#[test]
fn thousands_of_nested_parentheses_do_not_overflow_the_stack() {
    // Exit 134 (stack overflow) with 8,000 nested parentheses in a Python file.
    let n = 20_000;
    let nested = format!("{}1{}", "(".repeat(n), ")".repeat(n));
    for (file, text) in [
        (
            "a.py",
            format!("# identitynow\nx = {nested}\nrequests.get(\"{HOST}/v3/sources\")\n"),
        ),
        (
            "b.py",
            format!("# identitynow\nrequests.get({nested} + \"{HOST}/v3/x\")\n"),
        ),
        (
            "a.js",
            format!("// identitynow\nconst x = {nested};\nfetch(x + '/v3/x');\n"),
        ),
        (
            "a.ps1",
            format!("$x = {nested}\nInvoke-RestMethod \"{HOST}/v3/sources\"\n"),
        ),
        (
            "a.sh",
            format!("# identitynow\ncurl \"{HOST}/v3/{}\"\n", "$(a ".repeat(n)),
        ),
        (
            "c.ps1",
            format!(
                "Invoke-RestMethod \"{HOST}/v3/{}x{}\"\n",
                "$(\"".repeat(n),
                "\")".repeat(n)
            ),
        ),
    ] {
        one("nested", file, text).assert_clean(file);
    }
}

// ---- Hangs and superlinear time ----

#[test]
fn chains_of_alternatives_and_concatenations_are_linear() {
    let k = 20_000;
    for (file, text) in [
        (
            "a.js",
            format!("// {HOST}\nconst u = {}b;\nfetch(u);\n", "a || ".repeat(k)),
        ),
        (
            "b.js",
            format!(
                "// {HOST}\nconst u = {}c;\nfetch(u);\n",
                "a ? b : ".repeat(k)
            ),
        ),
        (
            "c.js",
            format!("// {HOST}\nx = {};\n", "{a: b ? c : d, ".repeat(4_000)),
        ),
        (
            "a.py",
            format!(
                "# identitynow\nu = {}'{HOST}/v3/sources'\nrequests.get(u)\n",
                "a + ".repeat(k)
            ),
        ),
        (
            "d.js",
            format!("fetch(`{HOST}/v3/{}`)\n", "${a}".repeat(16_000)),
        ),
        (
            "Makefile",
            format!("all:\n\tcurl {HOST}/v3/{}\n", "$(A)".repeat(37_000)),
        ),
    ] {
        one("chains", file, text).assert_clean(file);
    }
}

#[test]
fn powershell_member_chains_and_argument_lists_are_not_commands() {
    let irm = format!("Invoke-RestMethod {HOST}/v3/sources\n");
    for (file, text) in [
        ("a.ps1", format!("{irm}$x = $a{}\n", ".b".repeat(20_000))),
        ("b.ps1", format!("{irm}$x = {}1\n", "a = ".repeat(20_000))),
        (
            "c.ps1",
            format!("{irm}Write-Host {}1\n", "a, ".repeat(20_000)),
        ),
        ("d.ps1", format!("{irm}$x = \"{}\"\n", "$(".repeat(16_000))),
    ] {
        let o = one("ps", file, text);
        o.assert_clean(file);
        assert_eq!(o.calls(file).len(), 1, "{file}");
    }
}

#[test]
fn helpers_called_across_many_files_are_followed_in_linear_time() {
    // c_invocations scanned every file for every helper: O(helpers × tokens).
    let n = 300;
    let mut files = vec![(
        "client.py".to_string(),
        format!("import requests\nBASE = '{HOST}'\n"),
    )];
    for i in 0..n {
        files[0].1.push_str(&format!(
            "def get{i}(path):\n    return requests.get(BASE + path)\n"
        ));
        files.push((
            format!("jobs/job{i}.py"),
            format!(
                "from client import get{i}\n\ndef run():\n    get{i}('/v3/sources')\n    get{i}('/v3/roles')\n"
            ),
        ));
    }
    let refs: Vec<(&str, String)> = files.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let o = calls_on("helpers", &refs, &[]);
    o.assert_clean("helpers");
    let calls = o.json["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2 * n, "every caller of every helper is a call");
    assert!(calls.iter().all(|c| c["resolved"] == true));
}

#[test]
fn here_documents_and_unclosed_variables_are_indexed_once() {
    let k = 30_000;
    for (file, text) in [
        (
            "a.sh",
            format!(
                "# identitynow\ncurl {HOST}/v3/sources\n{}",
                "cat <<EOF\n".repeat(k)
            ),
        ),
        (
            "b.sh",
            format!(
                "# identitynow\ncurl {HOST}/v3/sources\n{}",
                "echo ${a ".repeat(k)
            ),
        ),
        (
            "c.sh",
            format!(
                "# identitynow\ncurl {HOST}/v3/sources\necho {}\n",
                "<<'x ".repeat(k)
            ),
        ),
    ] {
        let o = one("heredoc", file, text);
        o.assert_clean(file);
        assert_eq!(o.calls(file).len(), 1, "{file}");
    }
}

// ---- Memory ----

#[test]
fn constants_doubled_through_variables_stay_small() {
    // `v1 = v0 + v0 … v40 = v39 + v39`: 2^40 bytes if expanded (7.6 GB at 28).
    let mut py = format!("v0 = '{HOST}/v3/'\n");
    let mut js = format!("const v0 = '{HOST}/v3/';\n");
    for i in 1..=40 {
        py.push_str(&format!("v{i} = v{} + v{}\n", i - 1, i - 1));
        js.push_str(&format!("const v{i} = v{} + v{};\n", i - 1, i - 1));
    }
    py.push_str("requests.get(v40)\n");
    js.push_str("fetch(v40);\n");
    let o = calls_on("double", &[("a.py", py), ("a.js", js)], &[]);
    o.assert_clean("doubling");
}

#[test]
fn self_referencing_template_variables_stay_small() {
    // A Postman or `.http` variable defined as ten copies of itself (1.2 GB, 20 s).
    let http = format!(
        "@x = {}\nGET {HOST}/v3/sources/{{{{x}}}}\n",
        "{{x}}".repeat(10)
    );
    let postman = serde_json::json!({
        "info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "x", "value": "{{x}}".repeat(10)}, {"key": "y", "value": "{{x}}{{y}}"}],
        "item": [{"name": "a", "request": {"method": "GET", "url": format!("{HOST}/v3/sources/{{{{x}}}}{{{{y}}}}")}}]
    })
    .to_string();
    let o = calls_on(
        "templates",
        &[("a.http", http), ("c.postman_collection.json", postman)],
        &[],
    );
    o.assert_clean("templates");
    for f in ["a.http", "c.postman_collection.json"] {
        assert_eq!(o.calls(f)[0]["operation"], "GET /v3/sources/{id}", "{f}");
    }
}

// ---- Containment ----

#[test]
fn a_file_whose_analysis_panics_is_skipped_and_the_rest_is_reported() {
    let files = [
        (
            "good.py",
            format!("import requests\nrequests.get('{HOST}/v3/sources')\n"),
        ),
        (
            "bad.py",
            format!(
                "# ISC_SCOPE_LINT_TEST_PANIC\nimport requests\nrequests.get('{HOST}/v3/roles')\n"
            ),
        ),
    ];
    let o = calls_on("panic", &files, &[("ISC_SCOPE_LINT_FAULT_INJECTION", "1")]);
    assert_eq!(
        o.code,
        3,
        "exit code 3: the scan is incomplete\n{}",
        tail(&o.stderr)
    );
    assert!(
        !o.stderr.contains("panicked at"),
        "the panic is captured, not printed"
    );
    assert!(
        o.stderr.contains(
            "bad.py: internal error while analysing this file (fault injected for testing"
        ),
        "{}",
        tail(&o.stderr)
    );
    // The other file's call is there; the failed file is one unresolved site.
    assert_eq!(o.calls("good.py")[0]["operation"], "GET /v3/sources");
    let bad = o.calls("bad.py");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["resolved"], false);
    assert_eq!(bad[0]["line"], 1);
    let warning = o.json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["path"] == "bad.py")
        .expect("a warning for bad.py");
    assert_eq!(warning["kind"], "internal-error");
    // Without the injection the same files are clean.
    let o = calls_on("nopanic", &files, &[]);
    o.assert_clean("no injection");
    assert_eq!(o.calls("bad.py")[0]["operation"], "GET /v3/roles");
}
