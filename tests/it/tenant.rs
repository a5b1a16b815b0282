//! `isc-scope-lint tenant`: the tenant's credentials joined with what the code needs — from
//! exports (fixtures written from the v2025 schemas), saved reports, and a live tenant served
//! by a small HTTP server on 127.0.0.1.

use crate::common::{Out, run};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const EXPORT: &str = "tests/fixtures/tenant/export";
const PROJ_A: &str = "tests/fixtures/tenant/proj-a";
const PROJ_B: &str = "tests/fixtures/tenant/proj-b";
const AS_OF: &str = "2026-12-01";

fn tenant(extra: &[&str]) -> Out {
    let mut args = vec![
        "tenant",
        "--project",
        PROJ_A,
        "--project",
        PROJ_B,
        "--as-of",
        AS_OF,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(o: &Out) -> serde_json::Value {
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", o.stdout, o.stderr))
}

/// rule → credential names of its findings.
fn by_rule(v: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in v["findings"].as_array().expect("findings") {
        m.entry(f["rule"].as_str().unwrap().to_string())
            .or_default()
            .insert(f["credential"].as_str().unwrap_or("-").to_string());
    }
    m
}

/// Diagnostics as one line: miette wraps long messages.
fn flat(s: &str) -> String {
    s.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn expected() -> BTreeMap<String, BTreeSet<String>> {
    let e = |r: &str, c: &[&str]| {
        (
            r.to_string(),
            c.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        )
    };
    [
        // sp:scopes:all, and a null scope list, where idn:sources:read does; twin: `reader`.
        e("tenant-broad-scope", &["nulls", "sync-bot"]),
        // ORG_ADMIN owners where SOURCE_SUBADMIN does; twin: `reader` (SOURCE_SUBADMIN, HELPDESK).
        e("tenant-broad-user-level", &["nulls", "sync-bot"]),
        // idn:accounts:manage nobody needs; twin: `reader`.
        e("tenant-unused-scope", &["extra"]),
        // last used 214 days ago, never used; twins: every token used days ago.
        e("tenant-stale-credential", &["never", "old"]),
        // no expiration date; twins: every token with one.
        e("tenant-no-expiry", &["forever"]),
        // service_account: true, owner Jane Doe; twin: `sync-bot` (owner svc-sync).
        e("tenant-personal-owner", &["jane-token"]),
        // the tenant's null scope list vs the manifest's idn:sources:read; twin: `reader`.
        e("tenant-scope-drift", &["nulls"]),
        // two OAuth clients `etl`, no id; twin: `report-client` (one of that name).
        e("tenant-ambiguous-join", &["etl"]),
        // an id the tenant does not have; twins: `sync-bot` (joined by id), the rest by name.
        e("tenant-absent-credential", &["ghost"]),
        // declared by nobody; twins: all the others. The managed ones are never flagged.
        e("tenant-shadow-credential", &["forgotten"]),
    ]
    .into_iter()
    .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_stays_silent_on_its_twin() {
    let o = tenant(&["--export", EXPORT, "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v = json(&o);
    assert_eq!(by_rule(&v), expected());
    // Managed tokens and internal clients are listed apart and never judged.
    let managed: Vec<&str> = v["managed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(managed, ["platform", "Workflow: nightly"]);
    // The union of the users' minimal grants.
    let sync = v["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "sync-bot")
        .unwrap();
    assert_eq!(
        sync["needed"]["scopes"],
        serde_json::json!(["idn:sources:read"])
    );
    assert_eq!(
        sync["needed"]["user_levels"],
        serde_json::json!(["SOURCE_SUBADMIN"])
    );
    assert_eq!(
        sync["owner"]["user_levels"],
        serde_json::json!(["ORG_ADMIN"])
    );
    // Findings on a manifest credential point at its `name:`.
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tenant-absent-credential")
        .unwrap();
    assert_eq!(
        f["location"]["file"],
        "tests/fixtures/tenant/proj-b/isc-scope-lint.yaml"
    );
    assert_eq!(f["location"]["line"], 32);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tenant-shadow-credential")
        .unwrap();
    assert!(f["location"].is_null());
}

#[test]
fn human_and_json_reports() {
    let o = tenant(&["--export", EXPORT]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    insta::assert_snapshot!("tenant_human", o.stdout);
    let o = tenant(&["--export", EXPORT, "--format", "json"]);
    insta::assert_snapshot!("tenant_json", o.stdout);
}

#[test]
fn markdown_and_sarif() {
    let o = tenant(&["--export", EXPORT, "--format", "markdown"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout
            .starts_with("## isc-scope-lint tenant audit (2026-12-01)\n"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("| PAT `sync-bot` (a0000000000000000000000000000001) | `ORG_ADMIN` | `sp:scopes:all` | `idn:sources:read` | 4221 ops (2257 writes) → 65 ops (0 writes) |"), "{}", o.stdout);
    assert!(
        o.stdout
            .contains("**0 error(s), 13 warning(s), 0 info** · 2 managed credential(s)"),
        "{}",
        o.stdout
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tenant.sarif");
    let o = tenant(&[
        "--export",
        EXPORT,
        "--format",
        "sarif",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run0 = &v["runs"][0];
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 10);
    assert!(rules.iter().all(|r| r.starts_with("tenant-")));
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 13);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], id);
        // Every finding but the shadow credential belongs to a manifest and points at it.
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
        if id == "tenant-shadow-credential" {
            assert!(uri.is_none());
        } else {
            assert!(uri.unwrap().ends_with("/isc-scope-lint.yaml"), "{r}");
        }
    }
    // Microsoft's SARIF multitool, as for `check` (installed by .ci/run).
    let tool = std::env::var("SARIF_MULTITOOL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/sarif-tool/node_modules/.bin/sarif-multitool")
        });
    if !tool.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the SARIF multitool is missing at {}",
            tool.display()
        );
        eprintln!("note: SARIF multitool not installed ({})", tool.display());
        return;
    }
    let r = std::process::Command::new(&tool)
        .args(["validate", &out.display().to_string()])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run the SARIF multitool");
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(
        r.status.success(),
        "multitool failed: {stdout}\n{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(
        !stdout.contains(": error ") && !stdout.contains(": warning "),
        "SARIF:\n{stdout}"
    );
}

#[test]
fn never_prints_a_secret() {
    // The OAuth clients' export carries `secret` fields.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(EXPORT)
            .join("oauth-clients.json"),
    )
    .unwrap();
    assert!(text.contains("s3cr3t-"));
    for f in ["human", "json", "markdown", "sarif", "html"] {
        let o = tenant(&["--export", EXPORT, "--format", f]);
        assert!(
            !o.stdout.contains("s3cr3t") && !o.stderr.contains("s3cr3t"),
            "{f}"
        );
    }
}

/// HTML text as the report escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Text as Chromium serialises a text node (quotes as they are).
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The part of the page from `<section aria-labelledby="{id}">` to its end.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section aria-labelledby=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let len = html[start..].find("</section>").expect("section ends");
    &html[start..start + len]
}

/// Every finding (its id and message), tenant credential and declared credential of the
/// JSON report is in the HTML (the file, or the DOM Chromium serialised), each where it
/// belongs; the managed ones only in their own section.
fn assert_tenant_html_complete(html: &str) {
    let v = json(&tenant(&["--export", EXPORT, "--format", "json"]));
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 13);
    for f in findings {
        let fp = f["fingerprint"].as_str().unwrap();
        assert!(
            html.contains(&format!("id=\"f-{fp}\"")),
            "finding {fp} missing"
        );
        let msg = f["message"].as_str().unwrap();
        assert!(
            html.contains(&esc(msg)) || html.contains(&dom_text(msg)),
            "message missing: {msg}"
        );
    }
    let creds = section(html, "credentials");
    for c in v["credentials"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert!(
            creds.contains(&format!("data-credential-id=\"{id}\"")),
            "credential {id} missing"
        );
    }
    let managed = section(html, "managed");
    for c in v["managed"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert!(managed.contains(&format!("data-credential-id=\"{id}\"")));
        assert!(
            !creds.contains(id),
            "managed {id} listed with the judged ones"
        );
    }
    let join = section(html, "join");
    for d in v["declared"].as_array().unwrap() {
        let row = format!(
            "data-declared=\"{}\" data-join=\"{}\"",
            d["name"].as_str().unwrap(),
            d["join"].as_str().unwrap()
        );
        assert!(join.contains(&row), "declared {row} missing");
    }
}

#[test]
fn html_report() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("tenant.html");
    let o = tenant(&[
        "--export",
        EXPORT,
        "--format",
        "html",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(&path).unwrap();
    // Deterministic: the same bytes again, on stdout.
    assert_eq!(
        tenant(&["--export", EXPORT, "--format", "html"]).stdout,
        html
    );
    // Self-contained as `check`'s: the same policy, nothing to load, no script.
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"));
    for bad in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", " src=",
    ] {
        assert!(!html.contains(bad), "contains {bad}");
    }
    assert!(!html.contains("href=\"http"), "a remote link");
    assert_tenant_html_complete(&html);
    // Blast-radius reductions, as the findings' messages count them: sp:scopes:all with the
    // owner's ORG_ADMIN → the users' idn:sources:read; ORG_ADMIN → SOURCE_SUBADMIN;
    // without the unused idn:accounts:manage.
    let reach = |before: &str, after: &str, fewer: &str| {
        format!("<td>{before}</td><td>{after}</td><td>{fewer}</td></tr></tbody></table>")
    };
    for (rule, n, row) in [
        (
            "tenant-broad-scope",
            2,
            reach(
                "4221 operations (2257 writes)",
                "118 operations (0 writes)",
                "4103 fewer operations, 2257 fewer writes",
            ),
        ),
        (
            "tenant-broad-user-level",
            2,
            reach(
                "4221 operations (2257 writes)",
                "734 operations (388 writes)",
                "3487 fewer operations, 1869 fewer writes",
            ),
        ),
        (
            "tenant-unused-scope",
            1,
            reach(
                "107 operations (24 writes)",
                "65 operations (0 writes)",
                "42 fewer operations, 24 fewer writes",
            ),
        ),
    ] {
        let articles: Vec<&str> = html
            .split("<article class=\"finding")
            .filter(|a| a.contains(&format!("data-rule=\"{rule}\"")))
            .collect();
        assert_eq!(articles.len(), n, "{rule}");
        for a in articles {
            assert!(a.contains(&row), "{rule}: no reduction {row}");
            assert!(a.contains("<svg class=\"chart\""), "{rule}: no chart");
        }
    }
    // The other findings have none.
    assert_eq!(html.matches("<table class=\"grant reduction\">").count(), 5);
    // The reduction of sync-bot: sp:scopes:all removed, idn:sources:read added.
    assert!(html.contains("<tr><th scope=\"row\">scopes</th><td><code>sp:scopes:all</code></td><td><code>idn:sources:read</code></td><td class=\"chg\"><ul class=\"chg\"><li><span class=\"tag added\">add</span><code class=\"added\">idn:sources:read</code></li><li><span class=\"tag removed\">remove</span><code class=\"removed\">sp:scopes:all</code></li></ul></td></tr>"));
    // The ambiguous join names both candidates; the absent one none.
    let join = section(&html, "join");
    let etl = &join[join.find("data-declared=\"etl\"").unwrap()..];
    let etl = &etl[..etl.find("</tr>").unwrap()];
    assert!(
        etl.contains("c0000000000000000000000000000001")
            && etl.contains("c0000000000000000000000000000002")
    );
    // The inventory: kinds with their managed counts, owners with their levels and tokens.
    let inv = section(&html, "inventory");
    assert!(inv.contains(
        "<tr data-kind=\"pat\"><th scope=\"row\">PATs</th><td>10</td><td>9</td><td>1</td></tr>"
    ));
    assert!(inv.contains("<tr data-kind=\"oauth-client\"><th scope=\"row\">OAuth clients</th><td>4</td><td>3</td><td>1</td></tr>"));
    assert_eq!(inv.matches("<tr data-owner=").count(), 3);
    // Read in tests/it/snapshots/it__tenant__tenant_html.snap: one tag a line.
    insta::assert_snapshot!("tenant_html", html.replace("><", ">\n<"));
}

#[test]
fn html_report_renders_in_headless_chromium() {
    use crate::report_html::{chromium, out_dir, render};
    let Some(chrome) = chromium() else { return };
    let path = out_dir().join("tenant-browser.html");
    let o = tenant(&[
        "--export",
        EXPORT,
        "--format",
        "html",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let shot = out_dir().join("tenant.png");
    let r = render(&chrome, &path, Some(&shot));
    assert!(
        r.dom
            .contains("<h1>isc-scope-lint tenant audit as of 2026-12-01</h1>"),
        "no DOM:\n{}",
        r.dom
    );
    assert_tenant_html_complete(&r.dom);
    assert!(r.console.is_empty(), "console messages: {:#?}", r.console);
    assert!(r.requests.is_empty(), "requests: {:#?}", r.requests);
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn no_format_shows_a_secret_the_export_holds() {
    // The fixture export, with secrets where exports may carry them: the OAuth clients'
    // `secret` (already there), a PAT's own `secret`, tokens and an `Authorization` header
    // saved with a page, an auth user's secret, and a PAT named with a bearer token.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir_all(dir.join("auth-users")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPORT);
    std::fs::copy(
        src.join("oauth-clients.json"),
        dir.join("oauth-clients.json"),
    )
    .unwrap();
    let mut pats = export_json("personal-access-tokens.json");
    for p in &mut pats {
        let id = p["id"].as_str().unwrap().to_string();
        p["secret"] = serde_json::json!(format!("s3cr3t-pat-{id}"));
        p["token"] = serde_json::json!(format!("s3cr3t-token-{id}"));
        p["accessToken"] = serde_json::json!("eyJhbGciOiJIUzI1NiJ9.eyJzM2NyM3QiOjF9.s3cr3tsig");
        p["headers"] = serde_json::json!({"Authorization": "Bearer s3cr3tHeaderValue0123456789"});
        if p["name"] == "forgotten" {
            p["name"] = serde_json::json!("forgotten Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d");
        }
    }
    std::fs::write(
        dir.join("personal-access-tokens.json"),
        serde_json::to_string_pretty(&pats).unwrap(),
    )
    .unwrap();
    for e in std::fs::read_dir(src.join("auth-users")).unwrap() {
        let e = e.unwrap();
        let mut u: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
        u["secret"] = serde_json::json!("s3cr3t-user");
        u["password"] = serde_json::json!("s3cr3t-password");
        std::fs::write(dir.join("auth-users").join(e.file_name()), u.to_string()).unwrap();
    }
    let export = dir.display().to_string();
    for f in ["human", "json", "markdown", "sarif", "html"] {
        let o = tenant(&["--export", &export, "--format", f]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        for secret in ["s3cr3t", "eyJhbGci", "0a1b2c3d4e5f6a7b8c9d"] {
            assert!(!o.stdout.contains(secret), "{secret} in the {f} report");
            assert!(!o.stderr.contains(secret), "{secret} on stderr ({f})");
        }
    }
    let o = tenant(&["--export", &export, "--format", "html"]);
    // The token named with a bearer value is there, the value masked.
    assert!(
        o.stdout
            .contains("<code>forgotten Authorization: ***</code>")
    );
    // The findings are those of the plain export.
    let plain = tenant(&["--export", EXPORT, "--format", "html"]);
    assert_eq!(
        o.stdout.matches("<article class=\"finding").count(),
        plain.stdout.matches("<article class=\"finding").count()
    );
}

#[test]
fn separate_files_load_as_the_export_folder() {
    let dir = Path::new(EXPORT);
    let a = tenant(&["--export", EXPORT, "--format", "json"]);
    let b = tenant(&[
        "--pats",
        &dir.join("personal-access-tokens.json")
            .display()
            .to_string(),
        "--oauth-clients",
        &dir.join("oauth-clients.json").display().to_string(),
        "--auth-users",
        &dir.join("auth-users").display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(json(&a)["findings"], json(&b)["findings"]);
    // Without the OAuth clients, no client is shadow or absent; without the auth users, the
    // owners' levels are unknown.
    let c = tenant(&[
        "--pats",
        &dir.join("personal-access-tokens.json")
            .display()
            .to_string(),
        "--format",
        "json",
    ]);
    let m = by_rule(&json(&c));
    assert!(
        !m.contains_key("tenant-absent-credential") && !m.contains_key("tenant-ambiguous-join"),
        "{m:?}"
    );
    assert!(
        !m.contains_key("tenant-broad-user-level") && !m.contains_key("tenant-personal-owner"),
        "{m:?}"
    );
    assert_eq!(m["tenant-broad-scope"], expected()["tenant-broad-scope"]);
}

#[test]
fn stale_days_and_as_of() {
    let m = by_rule(&json(&tenant(&[
        "--export",
        EXPORT,
        "--format",
        "json",
        "--stale-days",
        "300",
    ])));
    assert_eq!(m["tenant-stale-credential"], ["never".to_string()].into());
    let o = run(&[
        "tenant",
        "--export",
        EXPORT,
        "--project",
        PROJ_A,
        "--project",
        PROJ_B,
        "--as-of",
        "2026-05-20",
        "--format",
        "json",
    ]);
    let m = by_rule(&json(&o));
    assert_eq!(m["tenant-stale-credential"], ["never".to_string()].into());
}

#[test]
fn reports_join_as_projects_do() {
    let tmp = tempfile::tempdir().unwrap();
    for (p, name) in [(PROJ_A, "a.json"), (PROJ_B, "b.json")] {
        let out = tmp.path().join("reports").join(name);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let o = run(&[
            "check",
            p,
            "--format",
            "json",
            "-o",
            &out.display().to_string(),
        ]);
        assert!(o.code <= 1, "{}", o.stderr);
    }
    let dir = tmp.path().join("reports").display().to_string();
    let o = run(&[
        "tenant", "--export", EXPORT, "--report", &dir, "--as-of", AS_OF, "--format", "json",
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v = json(&o);
    assert_eq!(by_rule(&v), expected());
    // The same unions, from the reports' operations.
    let p = json(&tenant(&["--export", EXPORT, "--format", "json"]));
    let needed = |v: &serde_json::Value| {
        v["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].clone(), c["needed"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(needed(&v), needed(&p));
}

#[test]
fn bad_inputs_are_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let pat = r#"{"id":"p1","name":"n","scope":["idn:sources:read"],"owner":{"type":"IDENTITY","id":"o1","name":"Bot"},"created":"2026-01-01T00:00:00Z"}"#;
    let missing = w(
        "missing.json",
        &format!("[\n  {pat},\n  {}\n]\n", pat.replace(r#""name":"n","#, "")),
    );
    let o = run(&["tenant", "--pats", &missing]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        flat(&o.stderr).contains(
            "missing.json`: $[1]: a personal access token lacks the required field `name`"
        ),
        "{}",
        o.stderr
    );
    assert!(flat(&o.stderr).contains("missing.json:3:3"), "{}", o.stderr);
    let wrong = w(
        "wrong.json",
        &format!(
            "[{}]",
            pat.replace(r#"["idn:sources:read"]"#, r#""idn:sources:read""#)
        ),
    );
    let o = run(&["tenant", "--pats", &wrong]);
    assert_eq!(o.code, 2);
    assert!(
        flat(&o.stderr)
            .contains("$[0].scope: `scope` must be an array of strings or null, found a string"),
        "{}",
        o.stderr
    );
    let broken = w("broken.json", "[\n  {\"id\": \"p1\",\n  oops\n]");
    let o = run(&["tenant", "--pats", &broken]);
    assert_eq!(o.code, 2);
    assert!(
        flat(&o.stderr).contains("is not valid JSON") && flat(&o.stderr).contains("broken.json:3:"),
        "{}",
        o.stderr
    );
    let o = run(&[
        "tenant",
        "--pats",
        &w("ok.json", &format!("[{pat}]")),
        "--as-of",
        "tomorrow",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        flat(&o.stderr).contains("--as-of `tomorrow` is not a date"),
        "{}",
        o.stderr
    );
    let o = run(&[
        "tenant",
        "--export",
        &tmp.path().join("nothing").display().to_string(),
    ]);
    assert_eq!(o.code, 2);
    let o = run(&["tenant"]);
    assert_eq!(o.code, 2);
    assert!(
        flat(&o.stderr).contains("no tenant inventory to audit"),
        "{}",
        o.stderr
    );
    let report = w("report.json", r#"{"version": 9, "credentials": []}"#);
    let o = run(&["tenant", "--export", EXPORT, "--report", &report]);
    assert_eq!(o.code, 2);
    assert!(flat(&o.stderr).contains("report version 9"), "{}", o.stderr);
    let o = run(&[
        "tenant",
        "--export",
        EXPORT,
        "--project",
        &tmp.path().display().to_string(),
    ]);
    assert_eq!(o.code, 2);
    assert!(flat(&o.stderr).contains("has no manifest"), "{}", o.stderr);
}

#[test]
fn suppression_baseline_and_exit_codes() {
    let o = tenant(&["--export", EXPORT, "--fail-on", "never"]);
    assert_eq!(o.code, 0);
    let o = tenant(&["--export", EXPORT, "--fail-on", "error"]);
    assert_eq!(o.code, 0);
    // A manifest's inline comment and its `ignore` entries.
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj-b");
    std::fs::create_dir_all(&proj).unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(PROJ_B)
            .join("isc-scope-lint.yaml"),
    )
    .unwrap();
    let text = text.replace(
        "  - name: forever\n",
        "  # isc-scope-lint: ignore[tenant-no-expiry] rotated by hand\n  - name: forever\n",
    ) + "ignore:\n  - rule: tenant-stale-credential\n    credential: old\n    reason: retired next week\n";
    std::fs::write(proj.join("isc-scope-lint.yaml"), text).unwrap();
    std::fs::write(proj.join("README.txt"), "jobs\n").unwrap();
    let p = proj.display().to_string();
    let args = [
        "tenant",
        "--export",
        EXPORT,
        "--project",
        PROJ_A,
        "--project",
        &p,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    let v = json(&run(&args));
    let m = by_rule(&v);
    assert!(!m.contains_key("tenant-no-expiry"), "{m:?}");
    assert_eq!(m["tenant-stale-credential"], ["never".to_string()].into());
    assert_eq!(v["suppressed"], 2);
    let mut all = args.to_vec();
    all.push("--no-ignores");
    assert_eq!(by_rule(&json(&run(&all))), expected());
    // A baseline takes every finding known.
    let base = tmp.path().join("baseline.json").display().to_string();
    let o = tenant(&["--export", EXPORT, "--write-baseline", &base]);
    assert_eq!(o.code, 1);
    let o = tenant(&["--export", EXPORT, "--baseline", &base, "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(json(&o)["baselined"], 13);
    assert!(o.stderr.contains("13 finding(s) baselined"), "{}", o.stderr);
}

// ---------------------------------------------------------------------------------------------
// The live path, against a small HTTP/1.1 server on 127.0.0.1 serving the fixture export as the
// API does (pages by `limit`/`offset`, `X-Total-Count`).

mod server {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// One request as the server saw it.
    #[derive(Clone, Debug)]
    pub struct Seen {
        pub method: String,
        /// Path and query.
        pub target: String,
        pub authorization: Option<String>,
        pub body: String,
        pub at: Instant,
    }

    pub struct Reply {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: String,
        /// Wait this long before answering.
        pub delay: Duration,
    }

    impl Reply {
        pub fn json(status: u16, body: impl Into<String>) -> Reply {
            Reply {
                status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: body.into(),
                delay: Duration::ZERO,
            }
        }
        pub fn header(mut self, k: &str, v: &str) -> Reply {
            self.headers.push((k.into(), v.into()));
            self
        }
        pub fn delay(mut self, d: Duration) -> Reply {
            self.delay = d;
            self
        }
    }

    pub type Handler = dyn Fn(&Seen, &[Seen]) -> Reply + Send + Sync;

    pub struct Server {
        pub base: String,
        pub seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Server {
        /// Serves `handler(request, earlier requests)` until the test process ends.
        pub fn start(handler: Box<Handler>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
            let base = format!("http://{}", listener.local_addr().unwrap());
            let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
            let handler: Arc<Handler> = Arc::from(handler);
            let s2 = seen.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let (seen, handler) = (s2.clone(), handler.clone());
                    std::thread::spawn(move || serve(stream, &seen, &*handler));
                }
            });
            Server { base, seen }
        }

        pub fn requests(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, handler: &Handler) {
        let mut r = BufReader::new(stream.try_clone().unwrap());
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let mut parts = line.split_whitespace();
            let (method, target) = (
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").to_string(),
            );
            let (mut len, mut authorization) = (0usize, None);
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).unwrap_or(0) == 0 {
                    return;
                }
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    match k.trim().to_ascii_lowercase().as_str() {
                        "content-length" => len = v.trim().parse().unwrap_or(0),
                        "authorization" => authorization = Some(v.trim().to_string()),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; len];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            let req = Seen {
                method,
                target,
                authorization,
                body: String::from_utf8_lossy(&body).into_owned(),
                at: Instant::now(),
            };
            let earlier = {
                let mut s = seen.lock().unwrap();
                let e = s.clone();
                s.push(req.clone());
                e
            };
            let reply = handler(&req, &earlier);
            std::thread::sleep(reply.delay);
            let mut out = format!(
                "HTTP/1.1 {} X\r\nContent-Length: {}\r\n",
                reply.status,
                reply.body.len()
            );
            for (k, v) in &reply.headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&reply.body);
            let mut w = &stream;
            if w.write_all(out.as_bytes()).is_err() {
                return;
            }
        }
    }
}

use server::{Reply, Seen, Server};

const SECRET: &str = "hunter2-client-secret";

fn export_json(name: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(EXPORT)
            .join(name),
    )
    .unwrap();
    serde_json::Deserializer::from_str(&text)
        .into_iter::<serde_json::Value>()
        .flat_map(|v| v.unwrap().as_array().cloned().unwrap_or_default())
        .collect()
}

fn users_json() -> Vec<serde_json::Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(EXPORT)
        .join("auth-users");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}

fn query(target: &str, key: &str) -> Option<usize> {
    target
        .split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}="))?.parse().ok())
}

/// The API over the fixture export: a token for the right secret, pages, auth users by id.
fn api(req: &Seen) -> Reply {
    let path = req.target.split('?').next().unwrap_or("");
    if path == "/oauth/token" {
        if req.method == "POST"
            && req.body.contains("grant_type=client_credentials")
            && req.body.contains(&format!("client_secret={SECRET}"))
        {
            return Reply::json(
                200,
                r#"{"access_token":"tok-live-123","token_type":"bearer","expires_in":749}"#,
            );
        }
        return Reply::json(401, r#"{"error":"invalid_client","echo":"BODY-MARKER"}"#);
    }
    if req.authorization.as_deref() != Some("Bearer tok-live-123") {
        return Reply::json(401, "{}");
    }
    let page = |all: Vec<serde_json::Value>| {
        let (limit, offset) = (
            query(&req.target, "limit").unwrap_or(250),
            query(&req.target, "offset").unwrap_or(0),
        );
        let slice: Vec<_> = all.iter().skip(offset).take(limit).cloned().collect();
        Reply::json(200, serde_json::to_string(&slice).unwrap())
            .header("X-Total-Count", &all.len().to_string())
    };
    match path {
        "/v2025/personal-access-tokens" => page(export_json("personal-access-tokens.json")),
        "/v2025/oauth-clients" => page(export_json("oauth-clients.json")),
        p if p.starts_with("/v2025/auth-users/") => {
            let id = &p["/v2025/auth-users/".len()..];
            match users_json().into_iter().find(|u| u["id"] == id) {
                Some(u) => Reply::json(200, u.to_string()),
                None => Reply::json(404, "{}"),
            }
        }
        _ => Reply::json(404, "{}"),
    }
}

fn run_live(base: &str, extra: &[&str], secret: &str) -> Out {
    let mut args = vec![
        "tenant",
        "--base-url",
        base,
        "--project",
        PROJ_A,
        "--project",
        PROJ_B,
        "--as-of",
        AS_OF,
    ];
    // Short waits keep the tests fast, unless the test sets its own.
    for (flag, v) in [("--timeout", "2"), ("--max-retry-wait", "2")] {
        if !extra.contains(&flag) {
            args.extend([flag, v]);
        }
    }
    args.extend_from_slice(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("SAIL_CLIENT_ID", "client-id-1")
        .env("SAIL_CLIENT_SECRET", secret)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn live_and_export_give_the_same_findings() {
    let srv = Server::start(Box::new(|r, _| api(r)));
    let tmp = tempfile::tempdir().unwrap();
    let saved = tmp.path().join("saved");
    let live = run_live(
        &srv.base,
        &[
            "--format",
            "json",
            "--page-size",
            "3",
            "--save-export",
            &saved.display().to_string(),
        ],
        SECRET,
    );
    assert_eq!(live.code, 1, "{}", live.stderr);
    let offline = tenant(&["--export", EXPORT, "--format", "json"]);
    let (l, o) = (json(&live), json(&offline));
    assert_eq!(l["findings"], o["findings"]);
    assert_eq!(l["credentials"], o["credentials"]);
    assert_eq!(l["managed"], o["managed"]);
    // Pages of 3: 10 PATs in 4 requests, 4 clients in 2; one auth user per owner.
    let seen = srv.requests();
    let targets: Vec<&str> = seen.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(
        targets
            .iter()
            .filter(|t| t.starts_with("/v2025/personal-access-tokens?"))
            .count(),
        4,
        "{targets:?}"
    );
    assert!(
        targets.contains(&"/v2025/personal-access-tokens?limit=3&offset=9&count=true"),
        "{targets:?}"
    );
    assert_eq!(
        targets
            .iter()
            .filter(|t| t.starts_with("/v2025/oauth-clients?"))
            .count(),
        2,
        "{targets:?}"
    );
    assert_eq!(
        targets
            .iter()
            .filter(|t| t.starts_with("/v2025/auth-users/"))
            .count(),
        3,
        "{targets:?}"
    );
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" || s.target == "/oauth/token"),
        "read only"
    );
    // The saved export replays offline to the same findings, without a secret.
    for f in [
        "personal-access-tokens.json",
        "oauth-clients.json",
        "auth-users.json",
    ] {
        let text = std::fs::read_to_string(saved.join(f)).unwrap();
        assert!(
            !text.contains("s3cr3t") && !text.contains("\"secret\""),
            "{f}"
        );
    }
    let replay = tenant(&["--export", &saved.display().to_string(), "--format", "json"]);
    assert_eq!(json(&replay)["findings"], o["findings"]);
    for out in [&live, &replay] {
        assert!(
            !out.stdout.contains("s3cr3t")
                && !out.stderr.contains("s3cr3t")
                && !out.stdout.contains("tok-live-123")
                && !out.stderr.contains("tok-live-123")
        );
    }
}

#[test]
fn live_retries_429_with_retry_after_and_500_then_succeeds() {
    let srv = Server::start(Box::new(|r, earlier| {
        let tries = earlier.iter().filter(|e| e.target == r.target).count();
        if r.target.starts_with("/v2025/personal-access-tokens") && tries == 0 {
            return Reply::json(429, "{}").header("Retry-After", "1");
        }
        if r.target.starts_with("/v2025/oauth-clients") && tries == 0 {
            return Reply::json(500, "oops");
        }
        api(r)
    }));
    let o = run_live(&srv.base, &["--format", "json"], SECRET);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(by_rule(&json(&o)), expected());
    let seen = srv.requests();
    let pats: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.target.starts_with("/v2025/personal-access-tokens"))
        .collect();
    assert_eq!(pats.len(), 2);
    // Retry-After honoured: the retry came at least a second later.
    assert!(pats[1].at.duration_since(pats[0].at) >= std::time::Duration::from_millis(950));
    assert_eq!(
        seen.iter()
            .filter(|s| s.target.starts_with("/v2025/oauth-clients"))
            .count(),
        2
    );
}

#[test]
fn live_retries_are_bounded() {
    let srv = Server::start(Box::new(|r, _| {
        if r.target == "/oauth/token" {
            api(r)
        } else {
            Reply::json(503, "down").header("Retry-After", "0")
        }
    }));
    let o = run_live(&srv.base, &["--max-retries", "2"], SECRET);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        flat(&o.stderr).contains("GET /v2025/personal-access-tokens: HTTP 503 after 3 attempt(s)"),
        "{}",
        o.stderr
    );
    assert_eq!(srv.requests().len(), 4);
}

#[test]
fn live_token_refused_is_a_clear_error_without_secrets() {
    let srv = Server::start(Box::new(|r, _| api(r)));
    let o = run_live(&srv.base, &[], "wrong-secret-value");
    assert_eq!(o.code, 2, "{}", o.stderr);
    let e = flat(&o.stderr);
    assert!(
        e.contains("POST /oauth/token: HTTP 401: the tenant refused the client credentials"),
        "{e}"
    );
    assert!(e.contains("SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"), "{e}");
    for leak in [
        "wrong-secret-value",
        "BODY-MARKER",
        "invalid_client",
        "client_secret=",
    ] {
        assert!(
            !o.stderr.contains(leak) && !o.stdout.contains(leak),
            "{leak}: {e}"
        );
    }
    // The token request carried the secret in its body, not in the URL.
    let seen = srv.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "/oauth/token");
    assert!(seen[0].body.contains("client_secret=wrong-secret-value"));
}

#[test]
fn live_malformed_json_and_denied_lists() {
    let srv = Server::start(Box::new(|r, _| {
        if r.target.starts_with("/v2025/oauth-clients") {
            Reply::json(200, r#"[{"id": "c1", SECRET-IN-BODY"#)
        } else {
            api(r)
        }
    }));
    let o = run_live(&srv.base, &[], SECRET);
    assert_eq!(o.code, 2, "{}", o.stderr);
    let e = flat(&o.stderr);
    assert!(e.contains("GET /v2025/oauth-clients?limit=250&offset=0&count=true: the response is not valid JSON (line 1"), "{e}");
    assert!(!e.contains("SECRET-IN-BODY"), "{e}");
    let srv = Server::start(Box::new(|r, _| {
        if r.target.starts_with("/v2025/personal-access-tokens") {
            Reply::json(403, "{}")
        } else {
            api(r)
        }
    }));
    let o = run_live(&srv.base, &[], SECRET);
    assert_eq!(o.code, 2);
    let e = flat(&o.stderr);
    assert!(
        e.contains("GET /v2025/personal-access-tokens: HTTP 403") && e.contains("--required-grant"),
        "{e}"
    );
}

#[test]
fn live_slow_response_times_out() {
    let srv = Server::start(Box::new(|r, _| {
        if r.target.starts_with("/v2025/personal-access-tokens") {
            api(r).delay(std::time::Duration::from_secs(3))
        } else {
            api(r)
        }
    }));
    let o = run_live(
        &srv.base,
        &[
            "--timeout",
            "0.3",
            "--max-retries",
            "1",
            "--max-retry-wait",
            "0.1",
        ],
        SECRET,
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    let e = flat(&o.stderr);
    assert!(e.contains("GET /v2025/personal-access-tokens: timed out (no answer within 0.3s) after 2 attempt(s)"), "{e}");
}

#[test]
fn live_inputs_are_checked_before_any_request() {
    let o = run(&["tenant", "--base-url", "http://acme.api.identitynow.com"]);
    assert_eq!(o.code, 2);
    assert!(
        flat(&o.stderr).contains("plain http is accepted only for a loopback host"),
        "{}",
        o.stderr
    );
    let o = run(&[
        "tenant",
        "--base-url",
        "https://user:pw@acme.api.identitynow.com",
    ]);
    assert_eq!(o.code, 2);
    assert!(!o.stderr.contains("pw@"), "{}", o.stderr);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"))
        .args(["tenant", "--tenant", "acme"])
        .env_remove("SAIL_CLIENT_ID")
        .env_remove("SAIL_CLIENT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"));
    let o = run(&["tenant", "--tenant", "acme", "--export", EXPORT]);
    assert_eq!(o.code, 2);
    let o = run(&["tenant", "--export", EXPORT, "--save-export", "/tmp/x"]);
    assert_eq!(o.code, 2);
}

#[test]
fn required_grant_is_the_solvers() {
    let o = run(&["tenant", "--required-grant", "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v = json(&o);
    let s = v.to_string();
    for scope in [
        "sp:all-personal-access-tokens:read",
        "sp:oauth-client:read",
        "sp:auth-user:read",
    ] {
        assert!(s.contains(scope), "{scope}: {s}");
    }
    let h = run(&["tenant", "--required-grant"]);
    assert!(
        h.stdout.contains("Minimal PAT grant") && h.stdout.contains("GET /v2025/auth-users/{id}"),
        "{}",
        h.stdout
    );
}

#[test]
fn joins_by_id_across_kinds_and_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("p");
    std::fs::create_dir_all(&proj).unwrap();
    // An id of an OAuth client under `kind: pat`; a name two OAuth clients share, pinned by id.
    std::fs::write(
        proj.join("isc-scope-lint.yaml"),
        "credentials:\n  - name: mixed\n    kind: pat\n    id: c0000000000000000000000000000003\n    calls: [\"GET /v3/sources/{id}\"]\n  - name: etl\n    kind: oauth-client\n    id: c0000000000000000000000000000002\n    scopes: [idn:accounts:read]\n    calls: [\"GET /v2025/accounts\"]\n",
    )
    .unwrap();
    std::fs::write(proj.join("README.txt"), "x\n").unwrap();
    let p = proj.display().to_string();
    let o = run(&[
        "tenant",
        "--export",
        EXPORT,
        "--project",
        &p,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let v = json(&o);
    let absent = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "tenant-absent-credential")
        .expect("absent");
    assert!(
        absent["message"]
            .as_str()
            .unwrap()
            .contains("that id is the OAuth client `report-client`: is `kind` right?"),
        "{absent}"
    );
    let joins: Vec<(String, String, Vec<String>)> = v["declared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().into(),
                d["join"].as_str().unwrap().into(),
                d["tenant_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        joins,
        [
            ("mixed".to_string(), "absent".to_string(), vec![]),
            (
                "etl".to_string(),
                "joined".to_string(),
                vec!["c0000000000000000000000000000002".to_string()]
            )
        ]
    );
    // The other `etl` is now a shadow credential; the pinned one is not.
    let shadows: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "tenant-shadow-credential")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        shadows
            .iter()
            .any(|m| m.contains("c0000000000000000000000000000001")),
        "{shadows:?}"
    );
    assert!(
        !shadows
            .iter()
            .any(|m| m.contains("c0000000000000000000000000000002")),
        "{shadows:?}"
    );
}
