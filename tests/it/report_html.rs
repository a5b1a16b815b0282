//! `check --format html`: the reviewer's report. Always: self-contained, deterministic,
//! escaped, secrets masked, every credential, finding and call site present. With
//! `ISC_SCOPE_LINT_CHROMIUM` pointing at a Chromium binary (`.ci/run` installs Debian's
//! `chromium` and sets it): rendered headless, the same assertions on the DOM Chromium
//! produced, no request leaving the page, no console message, and a 1280 px screenshot
//! under `target/report-html/`. The tenant audit's HTML report is checked the same way in
//! `tenant.rs`, with the helpers here.

use crate::common;
use std::path::{Path, PathBuf};

const MULTI: &str = "tests/fixtures/report/multi";
/// The hard-coded secret of the fixture: never in any report.
const SECRET: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

pub(crate) fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/report-html");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The HTML report of a project, written to `target/report-html/<name>.html`.
fn html_report(project: &str, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let path = out_dir().join(format!("{name}.html"));
    let mut args = vec!["check", project, "--format", "html", "-o"];
    let p = path.to_str().unwrap().to_string();
    args.push(&p);
    args.extend_from_slice(extra);
    let o = common::run(&args);
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Every credential, finding (by fingerprint and message) and call site of the project is in
/// the HTML text (the file, or the DOM Chromium serialised).
fn assert_complete(project: &str, html: &str) {
    let o = common::run(&["check", project, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let creds = v["credentials"].as_array().unwrap();
    for c in creds {
        let name = c["name"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-credential=\"{}\"", esc(name))),
            "credential {name} missing"
        );
    }
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let fp = f["fingerprint"].as_str().unwrap();
        assert!(
            html.contains(&format!("id=\"f-{fp}\"")),
            "finding {fp} missing"
        );
        let msg = f["message"].as_str().unwrap();
        assert!(html.contains(&esc(msg)), "message missing: {msg}");
    }
    let calls = common::calls_json(project);
    let calls = calls["calls"].as_array().unwrap();
    assert!(!calls.is_empty());
    for c in calls {
        let site = format!("{}:{}", c["file"].as_str().unwrap(), c["line"]);
        assert!(
            html.contains(&format!("data-site=\"{}\"", esc(&site))),
            "call site {site} missing"
        );
    }
    assert!(!html.contains(SECRET), "a secret is in the report");
}

#[test]
fn html_report_is_self_contained_deterministic_and_complete() {
    for (project, name) in [("examples", "example"), (MULTI, "multi")] {
        let (_, a) = html_report(project, name, &[]);
        let (_, b) = html_report(project, &format!("{name}-again"), &[]);
        assert_eq!(a, b, "{name}: two runs differ");
        assert!(a.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(a.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"));
        // Nothing to load: no script, stylesheet link, image, frame or remote reference.
        for bad in [
            "<script", "<link", "<img", "<iframe", "@import", "url(", " src=",
        ] {
            assert!(!a.contains(bad), "{name}: contains {bad}");
        }
        assert!(!a.contains("href=\"http"), "{name}: a remote link");
        assert!(!a.contains("<dt>date</dt>"), "no date unless asked");
        assert_complete(project, &a);
    }
    let (_, dated) = html_report(MULTI, "multi-dated", &["--report-date", "2026-12-03"]);
    assert!(dated.contains("<dt>date</dt><dd>2026-12-03</dd>"));
    // The multi-credential project: the unresolved call with its reason, the legacy call
    // that forces the broad grant named first, escaping of source text.
    let (_, m) = html_report(MULTI, "multi", &[]);
    assert!(m.contains("Verdict incomplete:"));
    assert!(m.contains("<h4>Unresolved calls</h4>"));
    let forced = m.find("<strong>forced by</strong> <code>DELETE /cc/api/source/delete/{}</code>");
    let first_need = m.find("data-credential=\"ops-legacy\"").unwrap();
    assert!(
        forced.is_some_and(|f| f > first_need),
        "legacy call not named as forcing"
    );
    assert!(m.contains("Values are &lt;escaped&gt; &amp; &quot;quoted&quot;"));
    assert!(
        m.contains("CLIENT_SECRET = &quot;***&quot;"),
        "the secret line is shown masked"
    );
}

/// `ISC_SCOPE_LINT_CHROMIUM`, or why the browser test does not run.
pub(crate) fn chromium() -> Option<PathBuf> {
    match std::env::var_os("ISC_SCOPE_LINT_CHROMIUM") {
        Some(p) if Path::new(&p).exists() => Some(PathBuf::from(p)),
        Some(p) => panic!("ISC_SCOPE_LINT_CHROMIUM={p:?} does not exist"),
        None => {
            eprintln!(
                "note: the headless Chromium test is skipped: set ISC_SCOPE_LINT_CHROMIUM to a Chromium binary (.ci/run does)"
            );
            None
        }
    }
}

pub(crate) struct Rendered {
    pub dom: String,
    /// Console messages Chromium logged (CSP violations, script errors).
    pub console: Vec<String>,
    /// URLs the page itself requested (not file: or data:), from the net log.
    pub requests: Vec<String>,
}

/// Renders a file headless: the DOM, the console log, the page's requests; optionally a
/// screenshot 1280 px wide.
pub(crate) fn render(chrome: &Path, html: &Path, screenshot: Option<&Path>) -> Rendered {
    let dir = out_dir();
    let stem = html.file_stem().unwrap().to_string_lossy().into_owned();
    let netlog = dir.join(format!("{stem}.netlog.json"));
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", html.display());
    let mut base: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        // Nothing resolves: a request that slipped through could not reach anything.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    base.push(format!("--user-data-dir={}", profile.path().display()));
    let mut cmd = std::process::Command::new(chrome);
    cmd.args(&base)
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(&url);
    let o = common::run_guarded(cmd);
    assert_eq!(o.code, 0, "chromium failed: {}", o.stderr);
    let console: Vec<String> = o
        .stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Content Security Policy"))
        .map(str::to_string)
        .collect();
    let requests = page_requests(&std::fs::read_to_string(&netlog).unwrap());
    if let Some(shot) = screenshot {
        let mut cmd = std::process::Command::new(chrome);
        cmd.args(&base)
            .arg("--window-size=1280,4000")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url);
        let o = common::run_guarded(cmd);
        assert_eq!(o.code, 0, "chromium screenshot failed: {}", o.stderr);
        assert!(std::fs::metadata(shot).unwrap().len() > 10_000);
    }
    Rendered {
        dom: o.stdout,
        console,
        requests,
    }
}

/// The URLs a `file://` page requested, from a Chromium net log: the request jobs whose
/// network isolation key is the file origin (Chromium's own background requests have
/// other keys), other than `file:` and `data:` URLs.
fn page_requests(netlog: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(netlog)
        .or_else(|_| {
            serde_json::from_str(&format!("{}]}}", netlog.trim_end().trim_end_matches(',')))
        })
        .expect("a net log");
    let start = v["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    let mut out = Vec::new();
    for e in v["events"].as_array().unwrap() {
        if e["type"] != start {
            continue;
        }
        let p = &e["params"];
        let url = p["url"].as_str().unwrap_or("");
        let key = format!(
            "{}{}",
            p["network_isolation_key"], p["network_anonymization_key"]
        );
        if key.contains("file://") && !url.starts_with("file:") && !url.starts_with("data:") {
            out.push(url.to_string());
        }
    }
    out
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(chrome) = chromium() else { return };
    let dir = out_dir();
    for (project, name) in [("examples", "example"), (MULTI, "multi")] {
        // Its own file: the other test writes `{name}.html` at the same time.
        let (path, _) = html_report(
            project,
            &format!("{name}-browser"),
            &["--report-date", "2026-12-03"],
        );
        let shot = dir.join(format!("{name}.png"));
        let r = render(&chrome, &path, Some(&shot));
        assert!(
            r.dom.contains("<h1>isc-scope-lint report: "),
            "{name}: no DOM:\n{}",
            r.dom
        );
        assert_complete(project, &r.dom);
        assert!(
            r.console.is_empty(),
            "{name}: console messages: {:#?}",
            r.console
        );
        assert!(r.requests.is_empty(), "{name}: requests: {:#?}", r.requests);
        eprintln!("screenshot: {}", shot.display());
    }
    // The checks can fail: a page that loads an image and runs a script is caught by the
    // console check (the report's policy blocks both), one without the policy by the net log.
    let html = std::fs::read_to_string(dir.join("multi-browser.html")).unwrap();
    let bad = dir.join("control-blocked.html");
    std::fs::write(
        &bad,
        html.replace(
            "<footer>",
            "<img src=\"https://example.invalid/x.png\" alt=\"\"><script>document.title='x'</script><footer>",
        ),
    )
    .unwrap();
    let r = render(&chrome, &bad, None);
    assert!(
        r.console.len() >= 2,
        "CSP violations not seen: {:#?}",
        r.console
    );
    let open = dir.join("control-open.html");
    std::fs::write(
        &open,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\" alt=\"x\"></body></html>",
    )
    .unwrap();
    let r = render(&chrome, &open, None);
    assert_eq!(r.requests, vec!["http://127.0.0.1:9/x.png".to_string()]);
}
