//! Robustness outside call discovery: safe writes, bounded input reads, output errors and
//! broken pipes, `--threads`, diagnostics on very long lines, manifest bounds, deep nesting,
//! `--fix`/`init` refusals, and secrets kept out of every output.

use crate::common;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

/// A fresh, empty folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("isc-robust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small project: one Python file with two ISC calls and a manifest with a broad grant.
fn project(name: &str) -> PathBuf {
    let d = tmp(name);
    std::fs::create_dir_all(d.join("jobs")).unwrap();
    std::fs::write(
        d.join("jobs/sync.py"),
        "import requests\nBASE = \"https://acme.api.identitynow.com\"\nrequests.get(BASE + \"/v2025/sources\")\nrequests.get(BASE + \"/v2025/accounts\")\n",
    )
    .unwrap();
    std::fs::write(d.join("isc-scope-lint.yaml"), MANIFEST).unwrap();
    d
}

const MANIFEST: &str = "# the bots\ncredentials:\n  - name: bot\n    kind: pat\n    owner:\n      user_levels: [ORG_ADMIN]\n      service_account: true\n    scopes: [sp:scopes:all]\n";

fn run(args: &[&str]) -> common::Out {
    let mut c = bin();
    c.args(args);
    common::run_guarded(c)
}

/// No panic, no backtrace: a clean error.
fn clean(o: &common::Out) {
    assert!(
        !o.stderr.contains("panicked") && !o.stderr.contains("RUST_BACKTRACE"),
        "{}",
        o.stderr
    );
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success());
}

#[cfg(unix)]
fn is_fifo(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).unwrap().file_type().is_fifo()
}

// ---- 1. Safe writes ----

#[cfg(unix)]
#[test]
fn writes_follow_symlinks_and_refuse_what_is_not_a_regular_file() {
    use std::os::unix::fs::PermissionsExt;
    let d = project("writes");
    // `-o` onto a symlink: its target is replaced, the link stays.
    let real = d.join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = d.join("report.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let o = run(&[
        "check",
        s(&d),
        "--format",
        "json",
        "-o",
        s(&link),
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // A symlinked manifest is fixed through its link.
    let manifests = tmp("writes-manifests");
    let target = manifests.join("shared.yaml");
    std::fs::rename(d.join("isc-scope-lint.yaml"), &target).unwrap();
    std::os::unix::fs::symlink(&target, d.join("isc-scope-lint.yaml")).unwrap();
    let o = run(&["check", s(&d), "--fix", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        std::fs::symlink_metadata(d.join("isc-scope-lint.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let fixed = std::fs::read_to_string(&target).unwrap();
    assert!(!fixed.contains("sp:scopes:all"), "{fixed}");
    // A FIFO, a device, a folder: refused, left as they are.
    let fifo = d.join("baseline.json");
    mkfifo(&fifo);
    let o = run(&["check", s(&d), "--write-baseline", s(&fifo)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("FIFO"), "{}", o.stderr);
    assert!(is_fifo(&fifo));
    let o = run(&["init", s(&d), "--force", "-o", "/dev/null"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("a device"), "{}", o.stderr);
    let o = run(&["check", s(&d), "-o", s(&d.join("jobs"))]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("a folder"), "{}", o.stderr);
    let o = run(&[
        "catalog",
        "build",
        "--spec",
        "tests/fixtures/specs/quirks.yaml",
        "-o",
        s(&fifo),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(is_fifo(&fifo));
    // No temporary file is left anywhere.
    for dir in [&d, &manifests] {
        for e in std::fs::read_dir(dir).unwrap() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!n.ends_with(".tmp"), "left behind: {n}");
        }
    }
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&manifests);
}

#[cfg(unix)]
#[test]
fn a_read_only_manifest_is_not_rewritten() {
    use std::os::unix::fs::PermissionsExt;
    let d = project("readonly");
    let m = d.join("isc-scope-lint.yaml");
    std::fs::set_permissions(&m, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&["check", s(&d), "--fix"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("read-only"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&m).unwrap(), MANIFEST);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 2. Input reads ----

#[cfg(unix)]
#[test]
fn inputs_must_be_regular_files_and_never_block() {
    let d = project("inputs");
    let fifo = d.join("in.fifo");
    mkfifo(&fifo);
    for args in [
        vec!["scopes", "--spec", "/dev/zero", "GET /v3/sources"],
        vec!["scopes", "--spec", s(&fifo), "GET /v3/sources"],
        vec!["check", s(&d), "--baseline", "/dev/zero"],
        vec!["check", s(&d), "--baseline", s(&fifo)],
        vec!["check", s(&d), "--config", s(&fifo)],
        vec!["check", s(&d), "--config", "/dev/zero"],
    ] {
        let o = run(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        clean(&o);
        assert!(
            o.stderr.contains("a device") || o.stderr.contains("a FIFO"),
            "{args:?}: {}",
            o.stderr
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn inputs_over_their_size_limit_are_refused_unread() {
    let d = project("sizes");
    // Sparse files: the size is checked before anything is read.
    let big = d.join("baseline.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(isc_scope_lint::fsutil::MAX_BASELINE_BYTES + 1)
        .unwrap();
    let o = run(&["check", s(&d), "--baseline", s(&big)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("too large"), "{}", o.stderr);
    let spec = d.join("spec.yaml");
    std::fs::File::create(&spec)
        .unwrap()
        .set_len(isc_scope_lint::fsutil::MAX_SPEC_BYTES + 1)
        .unwrap();
    let o = run(&["scopes", "--spec", s(&spec), "GET /v3/sources"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("too large"), "{}", o.stderr);
    let m = d.join("isc-scope-lint.yaml");
    std::fs::File::create(&m)
        .unwrap()
        .set_len(isc_scope_lint::fsutil::MAX_MANIFEST_BYTES + 1)
        .unwrap();
    let o = run(&["check", s(&d)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("too large"), "{}", o.stderr);
    // stdin of `scopes -`: read up to the limit, then refused.
    let mut c = bin();
    c.args(["scopes", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = b"GET /v3/sources\n".repeat(4096);
        let mut sent = 0u64;
        while sent <= isc_scope_lint::fsutil::MAX_STDIN_BYTES {
            if stdin.write_all(&line).is_err() {
                break;
            }
            sent += line.len() as u64;
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("more than the limit"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn undecodable_inputs_are_located_errors() {
    let d = project("decode");
    let b = d.join("baseline.json");
    std::fs::write(&b, b"{\"version\": 1,\n \"findings\": [\"\xff\"]}\n").unwrap();
    let o = run(&["check", s(&d), "--baseline", s(&b)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("not valid UTF-8"), "{}", o.stderr);
    assert!(o.stderr.contains("baseline.json:2:"), "{}", o.stderr);
    let mut c = bin();
    c.args(["scopes", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"GET /v3/sources\nGET /v3/\xfe\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<stdin>:2:"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 3. Broken pipes and write errors ----

/// A project whose `calls` listing is far larger than a pipe's buffer.
fn many_calls(name: &str) -> PathBuf {
    let d = tmp(name);
    let mut py = String::from("import requests\n");
    for i in 0..4000 {
        py.push_str(&format!(
            "requests.get(\"https://acme.api.identitynow.com/v3/sources/{i}\")\n"
        ));
    }
    std::fs::write(d.join("a.py"), py).unwrap();
    d
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let d = many_calls("pipe");
    let mut c = bin();
    c.args(["calls", s(&d)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut head = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(i32::from(isc_scope_lint::fsutil::BROKEN_PIPE_EXIT))
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.is_empty(), "{err}");
    // stdout on a full disk.
    let mut c = bin();
    c.args(["calls", s(&d)])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped());
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write to standard output"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // `-o /dev/full`: a device, refused.
    let o = run(&["check", s(&d), "-o", "/dev/full"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 4. --threads ----

#[test]
fn threads_are_capped_at_the_cores() {
    let d = many_calls("threads");
    let one = run(&["calls", s(&d), "--threads", "1", "--format", "json"]);
    let many = run(&["calls", s(&d), "--threads", "100000", "--format", "json"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(many.code, 0, "{}", many.stderr);
    assert_eq!(one.stdout, many.stdout);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 5. Diagnostics on very long lines ----

#[test]
fn errors_on_a_200_kb_line_render_a_window() {
    let d = project("longline");
    let mut m = String::from("credentials: [");
    for i in 0..9000 {
        m.push_str(&format!("{{name: bot{i}, kind: pat}}, "));
    }
    m.push_str("{name: last, kind: robot}]\n");
    assert!(m.len() > 200_000);
    std::fs::write(d.join("isc-scope-lint.yaml"), &m).unwrap();
    let o = run(&["check", s(&d)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    let col = m.find("robot").unwrap() + 1;
    assert!(
        o.stderr.contains(&format!("isc-scope-lint.yaml:1:{col}]")),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("kind: robot}]"), "{}", o.stderr);
    assert!(o.stderr.len() < 4000, "{}", o.stderr.len());
    // A spec on one line.
    let spec = d.join("one-line.json");
    let mut j = String::from("{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"");
    j.push_str(&"x".repeat(200_000));
    j.push_str("\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": 7}}}");
    std::fs::write(&spec, &j).unwrap();
    let o = run(&["scopes", "--spec", s(&spec), "GET /a"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    assert!(o.stderr.contains("one-line.json:1:"), "{}", o.stderr);
    // A baseline on one line.
    std::fs::write(d.join("isc-scope-lint.yaml"), MANIFEST).unwrap();
    let b = d.join("baseline.json");
    let mut j = String::from("{\"version\": 1, \"findings\": [");
    for i in 0..3000 {
        j.push_str(&format!(
            "{{\"fingerprint\": \"{i:064}\", \"rule\": \"r\", \"subject\": \"s\"}}, "
        ));
    }
    j.push_str("{\"fingerprint\": 1}]}");
    std::fs::write(&b, &j).unwrap();
    let o = run(&["check", s(&d), "--baseline", s(&b)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    assert!(o.stderr.contains("baseline.json:1:"), "{}", o.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn findings_in_a_200_kb_one_line_source_render() {
    let d = tmp("longsource");
    let mut js = String::from("var x=");
    js.push_str(&"1+".repeat(100_000));
    js.push_str("1;fetch(\"https://acme.api.identitynow.com/v3/sources\");\n");
    std::fs::write(d.join("app.js"), &js).unwrap();
    // sunset-version is `info`: fail on it to see the exit code of a finding.
    let o = run(&["check", s(&d), "--fail-on", "info"]);
    clean(&o);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let col = js.find("\"https").unwrap() + 1;
    assert!(
        o.stdout.contains(&format!("app.js:1:{col}]")),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("fetch(\"https://acme.api.identitynow.com/v3/sources\")"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.len() < 10_000, "{}", o.stdout.len());
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 6. Manifest strings and globs ----

#[test]
fn a_500_000_character_glob_is_a_located_error() {
    let d = project("longglob");
    let glob = format!("{}**", "a/".repeat(250_000));
    std::fs::write(
        d.join("isc-scope-lint.yaml"),
        format!("{MANIFEST}    paths: [\"{glob}\"]\n"),
    )
    .unwrap();
    let o = run(&["check", s(&d)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    assert!(o.stderr.contains("at most"), "{}", o.stderr);
    assert!(o.stderr.contains("isc-scope-lint.yaml:9:"), "{}", o.stderr);
    std::fs::write(d.join("isc-scope-lint.yaml"), MANIFEST).unwrap();
    // (An argument is at most 128 KiB.)
    let o = run(&["calls", s(&d), "--include", &glob[..100_000]]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    // Other strings are bounded too.
    std::fs::write(
        d.join("isc-scope-lint.yaml"),
        format!(
            "{MANIFEST}ignore:\n  - rule: broad-scope\n    reason: \"{}\"\n",
            "r".repeat(100_000)
        ),
    )
    .unwrap();
    let o = run(&["check", s(&d)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("at most 4096 bytes"), "{}", o.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 7. Thousands of credentials ----

#[test]
fn thousands_of_credentials_are_checked_and_located() {
    let d = project("manycreds");
    let mut m = String::from("credentials:\n");
    for i in 0..4000 {
        m.push_str(&format!(
            "  - name: bot{i}\n    kind: pat\n    owner: {{user_levels: [ORG_ADMIN]}}\n    scopes: [sp:scopes:all]\n"
        ));
    }
    std::fs::write(d.join("isc-scope-lint.yaml"), &m).unwrap();
    let o = run(&["check", s(&d), "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    // Each credential's broad-scope finding is at its own `scopes` line.
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "broad-scope")
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.len(), 4000);
    assert_eq!(lines[0], 5);
    assert_eq!(lines[3999], 1 + 3999 * 4 + 4);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 8. Nearest operations for a huge call ----

/// `scopes -` with `input` on stdin.
fn scopes_stdin(input: &str) -> common::Out {
    let mut c = bin();
    c.args(["scopes", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(data.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    common::Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_megabyte_call_line_gets_a_short_answer() {
    // Many segments, and one huge segment (1 MB lines; an argument is at most 128 KiB, so
    // through stdin).
    for call in [
        format!("GET /v3/{}\n", "sourcez/".repeat(125_000)),
        format!("GET /v3/{}\n", "s".repeat(1_000_000)),
    ] {
        let o = scopes_stdin(&call);
        assert_eq!(o.code, 2, "{}", o.stderr);
        clean(&o);
        assert!(o.stderr.contains("unknown operation"), "{}", o.stderr);
        assert!(o.stderr.contains("<stdin> line 1"), "{}", o.stderr);
        assert!(o.stderr.len() < 4000, "{}", o.stderr.len());
    }
    // Suggestions still come for an ordinary typo.
    let o = run(&["scopes", "GET /v3/sourcez/{id}"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("GET /v3/sources/{id}"), "{}", o.stderr);
}

// ---- 9. Deep nesting ----

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let d = project("deep");
    let spec = d.join("deep.yaml");
    std::fs::write(
        &spec,
        format!("openapi: 3.0.1\npaths: {}\n", "[".repeat(100_000)),
    )
    .unwrap();
    let o = run(&["scopes", "--spec", s(&spec), "GET /a"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    assert!(o.stderr.contains("nested deeper than 128"), "{}", o.stderr);
    assert!(o.stderr.contains("deep.yaml:2:"), "{}", o.stderr);
    let json = d.join("deep.json");
    std::fs::write(&json, format!("{{\"a\": {}", "{\"a\": ".repeat(100_000))).unwrap();
    let o = run(&["scopes", "--spec", s(&json), "GET /a"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("nested deeper than 128"), "{}", o.stderr);
    let mut m = String::from(MANIFEST);
    m.push_str("ignore:\n");
    for i in 0..200 {
        m.push_str(&format!("{}- ", "  ".repeat(i)));
        m.push('\n');
    }
    std::fs::write(d.join("isc-scope-lint.yaml"), &m).unwrap();
    let o = run(&["check", s(&d)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("nested deeper than 128"), "{}", o.stderr);
    std::fs::write(d.join("isc-scope-lint.yaml"), MANIFEST).unwrap();
    let b = d.join("b.json");
    std::fs::write(&b, "[".repeat(100_000)).unwrap();
    let o = run(&["check", s(&d), "--baseline", s(&b)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("nested deeper than 128"), "{}", o.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 11. --fix and init ----

#[test]
fn fix_and_init_refuse_to_narrow_after_a_skipped_file() {
    let d = project("skipped");
    // A second file with a call, over the size limit given.
    let mut big = String::from(
        "import requests\nrequests.delete(\"https://acme.api.identitynow.com/v2025/roles/1\")\n",
    );
    big.push_str(&"# padding\n".repeat(200));
    std::fs::write(d.join("jobs/big.py"), big).unwrap();
    let o = run(&["check", s(&d), "--fix", "--max-file-size", "1000"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--fix refused"), "{}", o.stderr);
    assert!(o.stderr.contains("jobs/big.py"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(d.join("isc-scope-lint.yaml")).unwrap(),
        MANIFEST
    );
    std::fs::remove_file(d.join("isc-scope-lint.yaml")).unwrap();
    let o = run(&["init", s(&d), "--max-file-size", "1000"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("init refused"), "{}", o.stderr);
    assert!(!d.join("isc-scope-lint.yaml").exists());
    // Without the limit both work.
    let o = run(&["init", s(&d)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fix_keeps_a_bom_and_refuses_aliases_at_their_place() {
    let d = project("bom");
    let m = d.join("isc-scope-lint.yaml");
    let with_bom = format!("\u{FEFF}# équipe\n{}", &MANIFEST["# the bots\n".len()..]);
    std::fs::write(&m, &with_bom).unwrap();
    let o = run(&["check", s(&d), "--fix", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let fixed = std::fs::read_to_string(&m).unwrap();
    assert!(
        fixed.starts_with("\u{FEFF}# équipe\ncredentials:"),
        "{fixed}"
    );
    assert!(!fixed.contains("sp:scopes:all"), "{fixed}");
    assert!(fixed.contains("service_account: true"), "{fixed}");
    // An anchor shared by an alias: refused with the place and what to change; nothing
    // written.
    let aliased = "credentials:\n  - name: bot\n    kind: pat\n    scopes: &all [sp:scopes:all]\n  - name: bot2\n    kind: pat\n    scopes: *all\n    paths: [\"jobs/**\"]\n";
    std::fs::write(&m, aliased).unwrap();
    let o = run(&["check", s(&d), "--fix"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    clean(&o);
    assert!(o.stderr.contains("YAML anchor"), "{}", o.stderr);
    assert!(
        o.stderr.contains("isc-scope-lint.yaml:4:13]"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("remove the anchor"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&m).unwrap(), aliased);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 12. Secrets ----

const SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2";
const BEARER: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz";

fn secret_project(name: &str) -> PathBuf {
    let d = project(name);
    std::fs::write(
        d.join("jobs/auth.py"),
        format!(
            "import requests\nCLIENT_SECRET = \"{SECRET}\"\nBASE = \"https://acme.api.identitynow.com\"\n\
             t = requests.post(BASE + \"/oauth/token?grant_type=client_credentials&client_id=x&client_secret={SECRET}\")\n\
             h = {{\"Authorization\": \"Bearer {BEARER}\"}}\n\
             requests.get(\"https://id:{SECRET}@acme.api.identitynow.com/v2025/identities\", headers=h)\n\
             requests.post(BASE + \"/oauth/token\", data={{\"client_secret\": \"{SECRET}\"}})\n\
             requests.get(BASE + \"/beta/unknown-thing/{BEARER}\")\n"
        ),
    )
    .unwrap();
    d
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} prints the secret:\n{text}");
    assert!(
        !text.contains(&SECRET[8..]),
        "{what} prints part of the secret:\n{text}"
    );
    assert!(!text.contains(BEARER), "{what} prints the token:\n{text}");
    assert!(
        !text.contains("c2lnbmF0dXJlMTIz"),
        "{what} prints part of the token:\n{text}"
    );
}

#[test]
fn no_check_format_prints_a_found_secret() {
    let d = secret_project("secret-formats");
    for format in ["human", "json", "sarif", "markdown", "github"] {
        let o = run(&["check", s(&d), "--format", format]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(
            o.stdout.contains("hardcoded-secret"),
            "{format}: {}",
            o.stdout
        );
        assert_no_secret(format, &o.stdout);
        assert_no_secret(format, &o.stderr);
    }
    // The human excerpt shows the line, masked.
    let o = run(&["check", s(&d)]);
    assert!(
        o.stdout.contains("CLIENT_SECRET = \"a1b2****"),
        "{}",
        o.stdout
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn calls_init_and_fix_never_print_a_secret() {
    let d = secret_project("secret-calls");
    for format in ["human", "json"] {
        let o = run(&["calls", s(&d), "--format", format]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(o.stdout.contains("/oauth/token"), "{}", o.stdout);
        assert_no_secret(format, &o.stdout);
    }
    let o = run(&["init", s(&d), "-o", "-"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_no_secret("init", &o.stdout);
    let o = run(&["check", s(&d), "--fix", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_no_secret(
        "--fix",
        &std::fs::read_to_string(d.join("isc-scope-lint.yaml")).unwrap(),
    );
    assert_no_secret("--fix (stderr)", &o.stderr);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- 10. The solver's effort budget ----

/// 60 scopes, 300 operations each accepting a different pseudo-random subset of 3 to 12 of
/// them (a set-cover instance the exact search cannot finish), and the subsets of the first
/// 150 (the ones queried).
fn adversarial_spec(path: &Path) -> Vec<Vec<String>> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut paths = serde_json::Map::new();
    let mut subsets = Vec::new();
    // 150 operations queried, 150 more that a broad grant would unlock as well.
    for i in 0..300 {
        let k = 3 + (next() % 10) as usize;
        let mut sub: Vec<String> = Vec::new();
        while sub.len() < k {
            let s = format!("s:{}:read", next() % 60);
            if !sub.contains(&s) {
                sub.push(s);
            }
        }
        let path = if i < 150 {
            format!("/op{i}")
        } else {
            format!("/other{i}")
        };
        paths.insert(
            path,
            serde_json::json!({"get": {
                "operationId": format!("op{i}"),
                "security": [{"userAuth": sub}],
                "x-sailpoint-userLevels": ["HELPDESK"],
                "responses": {"200": {"description": "ok"}}
            }}),
        );
        if i < 150 {
            subsets.push(sub);
        }
    }
    let doc = serde_json::json!({
        "openapi": "3.0.1",
        "info": {"title": "adversarial", "version": "1"},
        "servers": [{"url": "https://{tenant}.api.identitynow.com/v3"}],
        "paths": paths,
    });
    std::fs::write(path, serde_json::to_string(&doc).unwrap()).unwrap();
    subsets
}

#[test]
fn an_adversarial_spec_gets_a_working_grant_marked_not_proven() {
    let d = tmp("solver");
    let spec = d.join("adversarial.json");
    let subsets = adversarial_spec(&spec);
    let calls: String = (0..150).map(|i| format!("GET /v3/op{i}\n")).collect();
    let mut c = bin();
    c.args(["scopes", "--spec", s(&spec), "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(calls.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("not proven minimal"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["minimal_proven"], false);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "not-proven-minimal")
    );
    // The grant works: every operation accepts one of its scopes (any-of), and it is not the
    // catch-all.
    let granted: Vec<&str> = v["pat"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!granted.contains(&"sp:scopes:all"), "{granted:?}");
    for (i, sub) in subsets.iter().enumerate() {
        assert!(
            sub.iter().any(|s| granted.contains(&s.as_str())),
            "op{i} cannot be called with {granted:?}"
        );
    }
    // `check` marks it in every format that claims minimality.
    let proj = d.join("project");
    std::fs::create_dir_all(&proj).unwrap();
    let mut py = String::from("import requests\n");
    for i in 0..150 {
        py.push_str(&format!(
            "requests.get(\"https://acme.api.identitynow.com/v3/op{i}\")\n"
        ));
    }
    std::fs::write(proj.join("calls.py"), py).unwrap();
    let check = |format: &str| run(&["check", s(&proj), "--spec", s(&spec), "--format", format]);
    let o = check("json");
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["project"]["minimal_proven"], false, "{}", o.stdout);
    assert!(check("human").stdout.contains("not proven minimal"));
    assert!(check("markdown").stdout.contains("not proven minimal"));
    assert!(check("github").stdout.contains("not proven minimal"));
    let v: serde_json::Value = serde_json::from_str(&check("sarif").stdout).unwrap();
    assert_eq!(v["runs"][0]["properties"]["minimalProven"], false);
    let o = run(&["init", s(&proj), "--spec", s(&spec), "-o", "-"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("# isc-scope-lint note: not proven minimal"),
        "{}",
        o.stdout
    );
    // The embedded catalog solves exactly, every operation at once included.
    let o = run(&[
        "scopes",
        "--format",
        "json",
        "GET /v3/sources/{id}",
        "POST /v2025/search",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["minimal_proven"], true);
    let _ = std::fs::remove_dir_all(&d);
}
