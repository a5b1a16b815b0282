//! The manifest's `discovery` section: wrappers the finder is taught (each caller a call site,
//! the wrapper's own request none), base URL names, its validation, `calls --config` and the
//! warning for a declared wrapper nobody defines or calls. One fixture project per language,
//! each with an in-house wrapper the finder cannot follow by itself (its request goes through
//! a transport it does not know), negatives beside the callers.

use crate::common;
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/taught";

/// `calls DIR --format json`, with the fixture's own manifest when `taught`.
fn calls(lang: &str, taught: bool) -> serde_json::Value {
    let dir = format!("{DIR}/{lang}");
    let config = format!("{dir}/isc-scope-lint.yaml");
    let mut args = vec!["calls", dir.as_str(), "--format", "json"];
    if taught {
        args.extend(["--config", config.as_str()]);
    }
    let o = common::run(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.is_empty(), "{lang}: {}", o.stderr);
    serde_json::from_str(&o.stdout).expect("JSON output")
}

/// `(line, method, operation or "?", resolved)` of a file's calls.
fn rows(v: &serde_json::Value, file: &str) -> Vec<(u64, String, String, bool)> {
    common::calls_in(v, file)
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["method"].as_str().unwrap_or("?").to_string(),
                c["operation"].as_str().unwrap_or("?").to_string(),
                c["resolved"] == true,
            )
        })
        .collect()
}

fn row(line: u64, method: &str, op: &str, resolved: bool) -> (u64, String, String, bool) {
    (line, method.into(), op.into(), resolved)
}

/// The reason of the call on `line` of `file`.
fn reason(v: &serde_json::Value, file: &str, line: u64) -> String {
    common::calls_in(v, file)
        .iter()
        .find(|c| c["line"] == line)
        .and_then(|c| c["reason"].as_str())
        .unwrap_or_else(|| panic!("no reason at {file}:{line}"))
        .to_string()
}

#[test]
fn python_client_method_callers_across_modules() {
    // Without the declarations the transport is unknown: no call of `IscClient.send`. The
    // finder follows `isc_call` (requests) by itself, and reports `admin_call`'s own request
    // unresolved for want of a caller.
    let plain = calls("python", false);
    assert_eq!(rows(&plain, "isc/admin.py"), [row(6, "POST", "?", false)]);
    assert_eq!(
        rows(&plain, "jobs/legacy_job.py"),
        [row(6, "DELETE", "DELETE /beta/accounts/{id}", true)]
    );
    assert_eq!(plain["calls"].as_array().unwrap().len(), 2, "{plain:#}");
    let v = calls("python", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "jobs/sync.py"),
        [
            // `self.client.send(...)`: keyword method, positional method.
            row(12, "POST", "POST /v3/sources/{sourceId}/schemas", true),
            row(13, "DELETE", "DELETE /beta/roles/{id}", true),
            // `/healthz` is not an ISC path: no call. A URL the finder cannot evaluate: an
            // unresolved call, never dropped.
            row(15, "GET", "?", false),
            // `call = client.send` then `call(...)`; `self.outbox.send("/v3/sources")` (an
            // `Outbox`, line 16) is not the wrapper.
            row(21, "DELETE", "DELETE /v2025/identities/{id}", true),
            // A helper passing its parameter on to the wrapper: its caller is the call site.
            row(29, "GET", "GET /v3/transforms", true),
        ]
    );
    assert!(
        reason(&v, "jobs/sync.py", 15).contains("`settings.path_for()`"),
        "{v:#}"
    );
    // A caller with no ISC hint at all (set aside by the walk, read again for the wrapper).
    assert_eq!(
        rows(&v, "jobs/report.py"),
        [row(6, "GET", "GET /v3/sources", true)]
    );
    // A declared wrapper the finder also follows by itself: each caller once.
    assert_eq!(
        rows(&v, "jobs/legacy_job.py"),
        [row(6, "DELETE", "DELETE /beta/accounts/{id}", true)]
    );
    // The wrappers' own requests are no calls, resolved or not.
    for f in ["isc/transport.py", "isc/legacy.py", "isc/admin.py"] {
        common::assert_no_calls(&v, f);
    }
}

#[test]
fn javascript_options_objects_and_positional_class_methods() {
    assert_eq!(calls("javascript", false)["calls"], serde_json::json!([]));
    let v = calls("javascript", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "jobs/access.ts"),
        [
            // `iscRequest({ resource, action })`, literal and built above (reported where its
            // URL is written); `{ resource: '/status' }` is not ISC.
            row(11, "GET", "GET /v3/access-profiles", true),
            row(12, "PATCH", "PATCH /beta/roles/{id}", true),
            // `this.gateway.call(verb, route)` (a `Gateway` field); `jobs.call(...)` on a
            // `JobQueue` (line 17) is not the wrapper.
            row(15, "DELETE", "DELETE /v2025/workflows/{id}", true),
        ]
    );
    assert_eq!(
        rows(&v, "jobs/audit.js"),
        [row(6, "POST", "?", false), row(7, "GET", "?", false)]
    );
    assert!(reason(&v, "jobs/audit.js", 6).contains("`routes[]`"));
    assert!(reason(&v, "jobs/audit.js", 7).contains("passes no URL argument (`resource`)"));
    common::assert_no_calls(&v, "lib/isc.ts");
}

#[test]
fn powershell_named_positional_and_splatted_arguments() {
    assert_eq!(calls("powershell", false)["calls"], serde_json::json!([]));
    let v = calls("powershell", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "Sync-Sources.ps1"),
        [
            row(3, "GET", "GET /v3/sources", true),
            row(5, "POST", "POST /v2025/sources/{id}/load-accounts", true),
            // `Invoke-IscRequest @params`: at the splat's `Uri` entry.
            row(8, "DELETE", "DELETE /v2025/identities/{id}", true),
            row(12, "PATCH", "?", false),
            // `Invoke-CacheRequest -Uri '/v3/sources'` (line 13) is another function;
            // `status.example.com` (line 14) is not the tenant.
        ]
    );
    assert_eq!(
        rows(&v, "Get-Roles.ps1"),
        [
            row(3, "GET", "GET /beta/roles/{id}", true),
            row(5, "GET", "?", false)
        ]
    );
    common::assert_no_calls(&v, "IscTools.psm1");
}

#[test]
fn go_package_function_and_a_same_named_method_of_net_http() {
    assert_eq!(calls("go", false)["calls"], serde_json::json!([]));
    let v = calls("go", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "cmd/sync/main.go"),
        [
            row(12, "GET", "GET /v3/sources", true),
            row(15, "POST", "POST /v3/sources/{sourceId}/schemas", true),
            // `remove(ctx, "transforms", id)` → `client.Do(ctx, "DELETE", "/v3/"+kind+…)`.
            row(24, "DELETE", "DELETE /v3/transforms/{id}", true),
            // `https://status.example.com/v3/ping` through the wrapper (line 29): not ISC.
        ]
    );
    // `client := &http.Client{}; client.Do(req)`: a variable of another type, not the package.
    common::assert_no_calls(&v, "cmd/sync/probe.go");
    // Positions (`url: 2`, `method: 1`); a constant of another package; a caller with no hint.
    assert_eq!(
        rows(&v, "cmd/report/main.go"),
        [
            row(12, "GET", "GET /v2025/workflows", true),
            row(13, "GET", "?", false)
        ]
    );
    assert!(reason(&v, "cmd/report/main.go", 13).contains("argument 2"));
    common::assert_no_calls(&v, "internal/client/client.go");
}

#[test]
fn csharp_named_arguments_and_typed_fields() {
    assert_eq!(calls("csharp", false)["calls"], serde_json::json!([]));
    let v = calls("csharp", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "Jobs/SourceJob.cs"),
        [
            row(18, "GET", "GET /v3/sources", true),
            // `SendAsync(path: …, method: "PATCH")`: named arguments.
            row(19, "PATCH", "PATCH /v3/sources/{id}", true),
            // The route is the method's parameter and nobody calls the method: unresolved.
            row(20, "DELETE", "?", false),
            // `_mailer.SendAsync("POST", "/v3/sources")` (a `Mailer`, line 21): not the wrapper.
        ]
    );
    // A wrapper of a package (no definition in the project): a URL argument declared by name
    // is read where the call names it; a positional one cannot be told, so it is unresolved.
    assert_eq!(
        rows(&v, "Jobs/AuditJob.cs"),
        [
            row(13, "POST", "POST /v3/search", true),
            row(14, "POST", "?", false)
        ]
    );
    assert!(
        reason(&v, "Jobs/AuditJob.cs", 14).contains("declare `url` by position"),
        "{v:#}"
    );
    common::assert_no_calls(&v, "Isc/IscClient.cs");
}

#[test]
fn java_positions_and_another_class_with_the_same_method() {
    assert_eq!(calls("java", false)["calls"], serde_json::json!([]));
    let v = calls("java", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "src/main/java/com/corp/jobs/RoleSync.java"),
        [
            row(14, "GET", "GET /v3/roles", true),
            row(15, "DELETE", "DELETE /beta/roles/{id}", true),
            // `/internal/health` (line 16) is not ISC; `audit.call(…)` on an `AuditLog`
            // (line 17) is not the wrapper.
            row(18, "GET", "?", false),
        ]
    );
    // Kotlin named arguments (`path = …`, `method = …`) on an `IscApi` property.
    assert_eq!(
        rows(&v, "src/main/kotlin/com/corp/jobs/Cleanup.kt"),
        [row(7, "DELETE", "DELETE /v3/roles/{id}", true)]
    );
    assert!(
        reason(&v, "src/main/java/com/corp/jobs/RoleSync.java", 18).contains(
            "(argument 1) of the declared wrapper `IscApi.call` is built from `RouteTable.of()`"
        )
    );
}

#[test]
fn base_url_names_route_vanity_hosts_and_keep_unknown_versions_unresolved() {
    let plain = calls("bases", false);
    let v = calls("bases", true);
    insta::assert_snapshot!(common::summary(&v));
    // `BASE = "https://iam.acme-corp.example"`: another domain to the finder, the tenant to
    // the manifest.
    common::assert_no_calls(&plain, "accounts.py");
    assert_eq!(
        rows(&v, "accounts.py"),
        [row(7, "GET", "GET /v3/accounts", true)]
    );
    // `${config.apiRoot}/roles`: the version is in the base, so one of several operations.
    assert_eq!(
        rows(&plain, "roles.js"),
        [row(9, "GET", "GET /v3/access-profiles", true)]
    );
    assert_eq!(
        rows(&v, "roles.js"),
        [
            row(5, "GET", "?", false),
            row(9, "GET", "GET /v3/access-profiles", true)
        ]
    );
    assert!(reason(&v, "roles.js", 5).contains("`config.apiRoot`"));
    // An environment variable whose value holds the version (`os.environ[…]`, `$env:…`): the
    // path alone names no family; the tenant's base makes it a call of one of several.
    for f in ["env_sources.py", "Get-Sources.ps1"] {
        common::assert_no_calls(&plain, f);
        let r = rows(&v, f);
        assert_eq!(r.len(), 1, "{f}");
        assert!(!r[0].3, "{f}");
        assert!(reason(&v, f, r[0].0).contains("`IAM_API`"), "{f}");
    }
    // With the version in the path, the same with or without.
    for f in ["Export-Accounts.ps1", "sources.go"] {
        assert_eq!(rows(&plain, f), rows(&v, f), "{f}");
        assert_eq!(rows(&v, f).len(), 1, "{f}");
    }
}

/// A declared wrapper no scanned file defines or calls (or called only on receivers of
/// another class): a warning at its name in the manifest, also in the JSON of `calls`.
#[test]
fn unused_declared_wrappers_are_warned_at_their_place() {
    let o = common::run(&[
        "calls",
        "tests/fixtures/taught/powershell",
        "--config",
        "tests/fixtures/taught/unused.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    insta::assert_snapshot!("unused_wrapper_warning", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let w: Vec<(String, String)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["path"].as_str().unwrap().to_string(),
                w["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        w,
        [
            (
                "tests/fixtures/taught/unused.yaml:8:13".to_string(),
                "note".to_string()
            ),
            (
                "tests/fixtures/taught/unused.yaml:10:13".to_string(),
                "note".to_string()
            ),
        ]
    );
    // The wrapper that is called still works beside them.
    assert_eq!(common::calls_in(&v, "Sync-Sources.ps1").len(), 4);
}

fn temp_copy(lang: &str, name: &str) -> PathBuf {
    let dst = std::env::temp_dir().join(format!(
        "isc-scope-lint-taught-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(lang),
        &dst,
    );
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// `check` reads the discovery section of its manifest by itself: the credential's calls are
/// the wrapper's callers, its verdict incomplete while two stay unresolved; without the
/// section the same code has no call.
#[test]
fn check_uses_the_discovery_section() {
    let o = common::run(&[
        "check",
        "tests/fixtures/taught/powershell",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["calls"], 6);
    assert_eq!(v["unresolved_calls"], 2);
    let c = &v["credentials"][0];
    assert_eq!(c["calls"], 6);
    assert_eq!(c["incomplete"], true);
    assert_eq!(
        c["minimal"]["scopes"],
        serde_json::json!([
            "idn:identity:manage",
            "idn:role-checked:read",
            "idn:sources:manage"
        ])
    );
    // The same manifest without its discovery section.
    let dir = temp_copy("powershell", "no-discovery");
    let m = dir.join("isc-scope-lint.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    let cut = text.find("discovery:").unwrap();
    std::fs::write(&m, &text[..cut]).unwrap();
    let o = common::run(&[
        "check",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["calls"], 0);
    // An unused declaration: `check` warns at its place too.
    std::fs::write(
        &m,
        format!(
            "{}discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: Uri\n    - name: Invoke-IscRequestV2\n      url: Path\n",
            &text[..cut]
        ),
    )
    .unwrap();
    let o = common::run(&["check", dir.to_str().unwrap(), "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("declared wrapper `Invoke-IscRequestV2` is neither defined nor called"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("╭─[isc-scope-lint.yaml:10:13]"),
        "{}",
        o.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A bad `discovery` section: a located error, exit code 2, in `check` (nothing written by
/// `--fix`) and in `calls --config`.
#[test]
fn bad_discovery_sections_exit_2_at_their_place() {
    let cases: &[(&str, &str)] = &[
        ("unknown_key", "discovery:\n  wrapper: []\n"),
        (
            "wrapper_without_url",
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      method: Method\n",
        ),
        (
            "wrapper_without_name",
            "discovery:\n  wrappers:\n    - url: Uri\n",
        ),
        (
            "bad_methods",
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: Uri\n      method: Get It\n      default_method: FETCH\n",
        ),
        (
            "default_with_fixed_method",
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: Uri\n      method: GET\n      default_method: POST\n",
        ),
        (
            "negative_position",
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: -1\n",
        ),
        (
            "wrong_types",
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: [Uri]\n  base_urls: ISC_BASE\n",
        ),
        (
            "bad_names",
            "discovery:\n  wrappers:\n    - name: Invoke IscRequest\n      url: the uri\n    - name: send\n      url: 0\n    - name: send\n      url: 1\n  base_urls: [\"ISC BASE\"]\n",
        ),
    ];
    for (name, text) in cases {
        let dir = temp_copy("powershell", &format!("bad-{name}"));
        let path = dir.join("isc-scope-lint.yaml");
        std::fs::write(&path, text).unwrap();
        let o = common::run(&["check", dir.to_str().unwrap(), "--fix"]);
        assert_eq!(o.code, 2, "{name}: {}{}", o.stdout, o.stderr);
        assert!(o.stdout.is_empty(), "{name}");
        assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), *text, "{name}");
        insta::assert_snapshot!(format!("bad_discovery_{name}"), o.stderr);
        // `calls --config` refuses it the same way.
        let o = common::run(&[
            "calls",
            dir.to_str().unwrap(),
            "--config",
            path.to_str().unwrap(),
        ]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{name}");
        let _ = std::fs::remove_dir_all(&dir);
    }
    let o = common::run(&[
        "calls",
        "tests/fixtures/taught/go",
        "--config",
        "tests/fixtures/taught/nope.yaml",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no manifest at"), "{}", o.stderr);
}

/// `isc-scope-lint schema` describes `discovery`.
#[test]
fn schema_describes_the_discovery_section() {
    let o = common::run(&["schema"]);
    assert_eq!(o.code, 0);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(v["properties"]["discovery"].is_object(), "{}", o.stdout);
    let d = &v["$defs"]["Discovery"];
    assert_eq!(d["additionalProperties"], false);
    assert_eq!(d["properties"]["base_urls"]["type"], "array");
    let w = &v["$defs"]["WrapperDecl"];
    assert_eq!(w["additionalProperties"], false);
    let mut required: Vec<&str> = w["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(required, ["name", "url"]);
    for k in ["name", "url", "method", "default_method"] {
        assert!(w["properties"][k].is_object(), "{k}: {w:#}");
    }
    let arg = &v["$defs"]["ArgSpec"]["oneOf"];
    assert_eq!(arg[0]["type"], "string");
    assert_eq!(arg[1]["type"], "integer");
}

/// Thousands of calls of a qualified wrapper, each on a receiver of its own: every receiver's
/// type is learnt in one pass per file, so the work stays linear (on the deterministic fuel
/// counter; a check per call over the whole file used the file's whole budget).
#[test]
fn many_receivers_of_a_qualified_wrapper_cost_linear_work() {
    let n = 20_000;
    let dir = std::env::temp_dir().join(format!(
        "isc-scope-lint-taught-receivers-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut java = String::from("class Jobs {\n  void run() {\n");
    let mut py = String::from("import requests\n\n\ndef run():\n");
    for i in 0..n {
        java.push_str(&format!("    a{i}.call(\"GET\", \"/v3/sources\");\n"));
        py.push_str(&format!("    c{i}.send(\"/v3/roles\")\n"));
    }
    java.push_str("  }\n}\n");
    std::fs::write(dir.join("Jobs.java"), java).unwrap();
    std::fs::write(dir.join("jobs.py"), py).unwrap();
    let m = dir.join("m.yaml");
    std::fs::write(
        &m,
        "discovery:\n  wrappers:\n    - {name: IscApi.call, url: 1, method: 0}\n    - {name: IscClient.send, url: 0, method: GET}\n",
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"));
    cmd.args([
        "calls",
        dir.to_str().unwrap(),
        "--config",
        m.to_str().unwrap(),
        "--format",
        "json",
    ])
    .env("NO_COLOR", "1")
    .env("ISC_SCOPE_LINT_DEBUG_FUEL", "1");
    let o = common::run_guarded(cmd);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.code, 0);
    assert!(!o.stderr.contains("work budget"), "budget exceeded");
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    // Receivers of unknown type: each call counts, its path being an ISC one.
    for (f, op) in [
        ("Jobs.java", "GET /v3/sources"),
        ("jobs.py", "GET /v3/roles"),
    ] {
        let calls = common::calls_in(&v, f);
        assert_eq!(calls.len(), n, "{f}");
        assert!(calls.iter().all(|c| c["operation"] == op), "{f}");
    }
    let per_byte = o
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("fuel: "))
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let used: f64 = w.get(2)?.parse().ok()?;
            let len: f64 = w.get(7)?.parse().ok()?;
            Some((used - 2_000_000.0).max(0.0) / len.max(1.0))
        })
        .fold(0.0, f64::max);
    assert!(per_byte <= 120.0, "{per_byte} fuel units per byte");
}

#[test]
fn shell_functions_by_position() {
    assert_eq!(calls("shell", false)["calls"], serde_json::json!([]));
    let v = calls("shell", true);
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        rows(&v, "job.sh"),
        [
            row(2, "GET", "GET /v3/sources", true),
            row(3, "DELETE", "DELETE /beta/roles/{id}", true),
            row(4, "GET", "?", false),
        ]
    );
    common::assert_no_calls(&v, "lib.sh");
}

/// `init --force` over a manifest keeps its `discovery` section as written (comments included)
/// and uses it for the discovery it runs, as `check` does; a manifest it cannot read is
/// overwritten only when it has no such section.
#[test]
fn init_force_keeps_and_uses_the_discovery_section() {
    let dir = temp_copy("powershell", "init-force");
    let d = dir.to_str().unwrap();
    let m = dir.join("isc-scope-lint.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    let head = &text[..text.find("discovery:").unwrap()];
    let section = "discovery:\n  # the in-house client of IscTools.psm1\n  wrappers:\n    - name: Invoke-IscRequest\n      url: Uri      # the path\n      method: Method\n      default_method: GET\n  base_urls: [ISC_BASE]\n";
    std::fs::write(&m, format!("{head}{section}")).unwrap();
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let written = std::fs::read_to_string(&m).unwrap();
    assert!(written.ends_with(section), "{written}");
    assert_eq!(written.matches("discovery:").count(), 1, "{written}");
    // The grants are those of the wrapper's callers (without the section: no call at all).
    for scope in [
        "idn:identity:manage",
        "idn:role-checked:read",
        "idn:sources:manage",
    ] {
        assert!(written.contains(scope), "{scope}: {written}");
    }
    assert!(!written.contains("scopes: []"), "{written}");
    // `check` with the written manifest finds the same calls.
    let o = common::run(&["check", d, "--format", "json", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["calls"], 6);
    // Again over the manifest it wrote: the section is carried once, unchanged.
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&m).unwrap(), written);

    // A section written in flow style is rewritten from its values.
    std::fs::write(
        &m,
        "{credentials: [], discovery: {wrappers: [{name: Invoke-IscRequest, url: Uri, method: Method}]}}\n",
    )
    .unwrap();
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let flow = std::fs::read_to_string(&m).unwrap();
    assert!(
        flow.ends_with(
            "discovery:\n  wrappers:\n    - name: Invoke-IscRequest\n      url: Uri\n      method: Method\n"
        ),
        "{flow}"
    );
    assert!(flow.contains("idn:sources:manage"), "{flow}");

    // A manifest without the section: none is written, and the wrapper's callers stay unseen.
    std::fs::write(&m, head).unwrap();
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let plain = std::fs::read_to_string(&m).unwrap();
    assert!(!plain.contains("discovery:"), "{plain}");
    assert!(!plain.contains("idn:sources:manage"), "{plain}");

    // A broken manifest with a discovery section: exit 2 at its place, nothing overwritten.
    let broken = format!("{head}{section}  wrappers: [\n");
    std::fs::write(&m, &broken).unwrap();
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("would lose"), "{}", o.stderr);
    assert!(o.stderr.contains("isc-scope-lint.yaml"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&m).unwrap(), broken);
    // A broken manifest without one is simply replaced.
    std::fs::write(&m, "credentials: [\n").unwrap();
    let o = common::run(&["init", d, "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        std::fs::read_to_string(&m)
            .unwrap()
            .contains("credentials:")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
