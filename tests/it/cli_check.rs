//! `check`, `init`, `rules`, `rule`, `schema`: every report format, `--fix` round trips,
//! baselines, suppression, exit codes, and bad manifests.

use crate::common;

use std::path::{Path, PathBuf};

const PROJECT: &str = "tests/fixtures/check/project";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the fixture project in a fresh temp dir (tests that write files use it).
fn copy_project(name: &str) -> PathBuf {
    let dst = std::env::temp_dir().join(format!("isc-scope-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(&root().join(PROJECT), &dst);
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

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn human_report() {
    let o = common::run(&["check", PROJECT]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn json_report() {
    let o = common::run(&["check", PROJECT, "--format", "json"]);
    assert_eq!(o.code, 1);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["credentials"][0]["name"], "jobs-bot");
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn markdown_and_github_reports() {
    let md = common::run(&["check", PROJECT, "--format", "markdown"]);
    assert_eq!(md.code, 1);
    // The summary table comes first, findings after.
    let table = md.stdout.find("| credential |").unwrap();
    let findings = md.stdout.find("| | rule |").unwrap();
    assert!(table < findings);
    insta::assert_snapshot!("markdown", md.stdout);
    let gh = common::run(&["check", PROJECT, "--format", "github"]);
    assert_eq!(gh.code, 1);
    assert!(gh.stdout.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    insta::assert_snapshot!("github", gh.stdout);
}

#[test]
fn sarif_report_is_valid_sarif_2_1_0() {
    let out = std::env::temp_dir().join(format!("isc-scope-lint-{}.sarif", std::process::id()));
    let o = common::run(&["check", PROJECT, "--format", "sarif", "-o", s(&out)]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|r| r["partialFingerprints"]["iscScopeLint/v1"].is_string())
    );
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["help"]["text"].is_string()));
    insta::assert_snapshot!("sarif", text);
    // Microsoft's SARIF multitool (npm @microsoft/sarif-multitool), installed by .ci/run.
    let tool = std::env::var("SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target/sarif-tool/node_modules/.bin/sarif-multitool"));
    if !tool.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the SARIF multitool is missing at {} (.ci/run installs it)",
            tool.display()
        );
        eprintln!(
            "note: SARIF multitool not installed ({}); run `bash .ci/run` or set SARIF_MULTITOOL",
            tool.display()
        );
        return;
    }
    let r = std::process::Command::new(&tool)
        .args(["validate", s(&out)])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run the SARIF multitool");
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert!(
        r.status.success(),
        "multitool failed: {stdout}\n{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(!stdout.contains(": error "), "SARIF errors:\n{stdout}");
    assert!(!stdout.contains(": warning "), "SARIF warnings:\n{stdout}");
    let _ = std::fs::remove_file(&out);
}

#[test]
fn exit_codes_follow_fail_on_and_min_severity_filters() {
    assert_eq!(
        common::run(&["check", PROJECT, "--fail-on", "never"]).code,
        0
    );
    assert_eq!(
        common::run(&["check", PROJECT, "--fail-on", "error"]).code,
        1
    );
    let o = common::run(&[
        "check",
        PROJECT,
        "--min-severity",
        "error",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == "error")
    );
    // No manifest: call-level rules and the minimal grant for all calls.
    let o = common::run(&[
        "check",
        "tests/fixtures/discover/python",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(v["manifest"].is_null());
    assert!(v["project"]["minimal"]["scopes"].is_array());
}

#[test]
fn suppression_inline_and_manifest_and_no_ignores() {
    let with = common::run(&["check", PROJECT, "--format", "json"]);
    let without = common::run(&["check", PROJECT, "--format", "json", "--no-ignores"]);
    let a: serde_json::Value = serde_json::from_str(&with.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&without.stdout).unwrap();
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(a["suppressed"], 2, "{}", with.stdout);
    assert!(!rules(&a).contains(&"experimental-endpoint".to_string()));
    assert!(rules(&b).contains(&"experimental-endpoint".to_string()));
    assert!(rules(&b).contains(&"sunset-version".to_string()));
    assert_eq!(b["suppressed"], 0);
}

#[test]
fn baseline_reports_only_new_findings_and_survives_moved_lines() {
    let dir = copy_project("baseline");
    let base = dir.join("baseline.json");
    let o = common::run(&[
        "check",
        s(&dir),
        "--write-baseline",
        s(&base),
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Nothing new: exit 0, everything baselined.
    let o = common::run(&["check", s(&dir), "--baseline", s(&base), "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stderr.contains("baselined"), "{}", o.stderr);
    // Move every line down and add a new problem: only the new one is reported.
    let sync = dir.join("tools/report.py");
    let text = std::fs::read_to_string(&sync).unwrap();
    std::fs::write(
        &sync,
        format!("# moved\n\n{text}requests.delete(BASE + \"/v2025/roles/y\")\n"),
    )
    .unwrap();
    let o = common::run(&["check", s(&dir), "--baseline", s(&base), "--format", "json"]);
    assert_eq!(o.code, 1);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let new: Vec<&serde_json::Value> = v["findings"].as_array().unwrap().iter().collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["rule"], "user-context-required");
    assert!(
        new[0]["message"]
            .as_str()
            .unwrap()
            .contains("DELETE /v2025/roles/{id}")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_rewrites_grants_in_place_and_round_trips() {
    let dir = copy_project("fix");
    let o = common::run(&["check", s(&dir), "--fix", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The OAuth client cannot be fixed: some of its calls need a user.
    assert!(o.stderr.contains("`reporting` not fixed"), "{}", o.stderr);
    let fixed = std::fs::read_to_string(dir.join("isc-scope-lint.yaml")).unwrap();
    insta::assert_snapshot!("fixed_manifest", fixed);
    // Comments and the rest of the file are kept.
    assert!(fixed.contains("# Fixture project for the check tests."));
    assert!(fixed.contains("reason: retired in Q1"));
    // Fixing again changes nothing, and the grant findings are gone.
    let o = common::run(&[
        "check",
        s(&dir),
        "--fix",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.join("isc-scope-lint.yaml")).unwrap(),
        fixed
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let jobs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["credential"] == "jobs-bot")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !jobs.contains(&"broad-scope")
            && !jobs.contains(&"broad-user-level")
            && !jobs.contains(&"unused-scope"),
        "{jobs:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn init_writes_a_manifest_and_refuses_to_overwrite() {
    let dir = copy_project("init");
    std::fs::remove_file(dir.join("isc-scope-lint.yaml")).unwrap();
    let o = common::run(&["init", s(&dir), "--per-folder"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = std::fs::read_to_string(dir.join("isc-scope-lint.yaml")).unwrap();
    let project_name = dir.file_name().unwrap().to_str().unwrap().to_string();
    insta::assert_snapshot!("init_per_folder", text.replace(&project_name, "PROJECT"));
    // The written manifest is valid and check runs with it.
    let o = common::run(&["check", s(&dir), "--format", "json", "--fail-on", "never"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Nothing is overwritten without --force.
    let o = common::run(&["init", s(&dir)]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("exists"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("isc-scope-lint.yaml")).unwrap(),
        text
    );
    let o = common::run(&["init", s(&dir), "-o", "-"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("name: integration"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_rule_and_schema() {
    let o = common::run(&["rules"]);
    assert_eq!(o.code, 0);
    insta::assert_snapshot!("rules", o.stdout);
    let o = common::run(&["rule", "broad-scope"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("broad-scope (warning)"));
    let o = common::run(&["rule", "broad-scopes"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("did you mean `broad-scope`"),
        "{}",
        o.stderr
    );
    let o = common::run(&["schema"]);
    assert_eq!(o.code, 0);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(v["properties"]["credentials"].is_object());
}

/// Bad manifests: a clear message at the place, exit 2, nothing written.
#[test]
fn bad_manifests_exit_2_with_spans() {
    let cases: &[(&str, &str)] = &[
        (
            "invalid_yaml",
            "credentials:\n  - name: a\n    kind: pat\n    scopes: [sp:scopes:all\n",
        ),
        (
            "unknown_key",
            "credentials:\n  - name: a\n    kind: pat\n    scope: [sp:scopes:all]\n",
        ),
        ("wrong_type", "credentials:\n  - name: a\n    kind: robot\n"),
        (
            "unknown_scope",
            "credentials:\n  - name: a\n    kind: pat\n    scopes: [idn:source:read]\n",
        ),
        (
            "unknown_level",
            "credentials:\n  - name: a\n    kind: pat\n    owner: {user_levels: [SOURCE_ADMINS]}\n",
        ),
        (
            "incompatible_levels",
            "credentials:\n  - name: a\n    kind: pat\n    owner: {user_levels: [ROLE_ADMIN, SOURCE_SUBADMIN]}\n",
        ),
        (
            "glob_matches_nothing",
            "credentials:\n  - name: a\n    kind: pat\n    paths: [\"nowhere/**\"]\n",
        ),
        (
            "bad_call",
            "credentials:\n  - name: a\n    kind: pat\n    calls: [GET /v3/sourcez]\n",
        ),
        (
            "unknown_rule",
            "ignore:\n  - rule: broad-scopes\n    reason: x\n",
        ),
        (
            "owner_on_client",
            "credentials:\n  - name: a\n    kind: oauth-client\n    owner: {user_levels: [ORG_ADMIN]}\n",
        ),
    ];
    for (name, text) in cases {
        let dir = copy_project(&format!("bad-{name}"));
        let path = dir.join("isc-scope-lint.yaml");
        std::fs::write(&path, text).unwrap();
        let o = common::run(&["check", s(&dir), "--fix"]);
        assert_eq!(o.code, 2, "{name}: {}{}", o.stdout, o.stderr);
        assert!(o.stdout.is_empty(), "{name}");
        assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            *text,
            "{name}: the manifest was modified"
        );
        insta::assert_snapshot!(format!("bad_manifest_{name}"), o.stderr);
        let _ = std::fs::remove_dir_all(&dir);
    }
    // A missing --config and an unreadable (non-UTF-8) manifest.
    let o = common::run(&[
        "check",
        PROJECT,
        "--config",
        "tests/fixtures/check/nope.yaml",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no manifest at"), "{}", o.stderr);
    let dir = copy_project("bad-bytes");
    std::fs::write(
        dir.join("isc-scope-lint.yaml"),
        b"credentials: []\n# \xff\n",
    )
    .unwrap();
    let o = common::run(&["check", s(&dir)]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("not valid UTF-8"), "{}", o.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The findings of a JSON report as `rule severity file` lines.
fn finding_lines(stdout: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["location"]["file"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// `rules:` in the manifest: severity overrides, off/on, `per_path` by glob (later entries
/// win, the manifest's own file included), applied before `--fail-on`.
#[test]
fn rule_settings_override_severity_disable_and_per_path() {
    let dir = copy_project("rule-settings");
    let manifest = dir.join("isc-scope-lint.yaml");
    let base = std::fs::read_to_string(&manifest).unwrap();
    let check = |rules: &str| {
        std::fs::write(&manifest, format!("{base}{rules}")).unwrap();
        let o = common::run(&["check", s(&dir), "--format", "json", "--no-ignores"]);
        assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
        (o.code, finding_lines(&o.stdout))
    };
    let (_, plain) = check("");
    assert!(
        plain.contains(&"sunset-version info jobs/sync.py".to_string()),
        "{plain:?}"
    );
    assert!(plain.contains(&"unknown-endpoint warning tools/report.py".to_string()));
    assert!(
        plain
            .iter()
            .any(|l| l.starts_with("undocumented-user-level "))
    );

    let (_, v) = check(
        "rules:\n  sunset-version: error\n  broad-scope: info\n  undocumented-user-level: off\n",
    );
    assert!(
        v.contains(&"sunset-version error jobs/sync.py".to_string()),
        "{v:?}"
    );
    assert!(
        v.contains(&"broad-scope info isc-scope-lint.yaml".to_string()),
        "{v:?}"
    );
    assert!(
        !v.iter().any(|l| l.starts_with("undocumented-user-level ")),
        "{v:?}"
    );
    // Everything else as before.
    assert_eq!(
        v.len(),
        plain.len()
            - plain
                .iter()
                .filter(|l| l.starts_with("undocumented-user-level "))
                .count()
    );

    // per_path: a rule off for one folder, on again for a narrower glob given later; the
    // manifest's own findings by its file name.
    let (_, v) = check(
        "rules:\n  unknown-endpoint: off\n  per_path:\n    \"jobs/**\": {sunset-version: off}\n    \"tools/**\": {unknown-endpoint: on}\n    \"isc-scope-lint.yaml\": {broad-scope: false}\n",
    );
    assert!(!v.iter().any(|l| l.starts_with("sunset-version ")), "{v:?}");
    assert!(
        v.contains(&"unknown-endpoint warning tools/report.py".to_string()),
        "{v:?}"
    );
    assert!(!v.iter().any(|l| l.starts_with("broad-scope ")), "{v:?}");
    let (_, v) = check(
        "rules:\n  per_path:\n    \"jobs/**\": {sunset-version: error}\n    \"jobs/sync.py\": {sunset-version: off}\n",
    );
    assert!(
        !v.contains(&"sunset-version error jobs/sync.py".to_string()),
        "later wins: {v:?}"
    );
    assert!(
        v.contains(&"sunset-version error jobs/legacy_cleanup.py".to_string()),
        "{v:?}"
    );

    // Every warning and error turned to info: the default --fail-on warning passes.
    let mut all = String::from("rules:\n");
    for id in [
        "broad-scope",
        "unused-scope",
        "unknown-endpoint",
        "user-context-required",
        "unused-user-level",
        "broad-user-level",
        "missing-scope",
        "missing-user-level",
        "ineffective-scope",
        "experimental-endpoint",
    ] {
        all.push_str(&format!("  {id}: info\n"));
    }
    let (code, v) = check(&all);
    assert_eq!(code, 0, "{v:?}");
    assert!(
        v.iter().all(|l| l.split(' ').nth(1) == Some("info")),
        "{v:?}"
    );
    let (code, _) = check("rules:\n  user-context-required: warning\n");
    assert_eq!(code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad `rules:` entries: unknown ids (with the nearest id), bad values, globs matching no
/// file — each at its line, exit 2, the manifest untouched.
#[test]
fn bad_rule_settings_exit_2_at_their_place() {
    let cases: &[(&str, &str)] = &[
        ("unknown_rule_id", "rules:\n  sunset-versions: info\n"),
        ("bad_setting", "rules:\n  sunset-version: loud\n"),
        (
            "per_path_unknown_rule",
            "rules:\n  per_path:\n    \"jobs/**\": {hardcoded-secrets: off}\n",
        ),
        (
            "per_path_glob_matches_nothing",
            "rules:\n  per_path:\n    \"nowhere/**\": {hardcoded-secret: off}\n",
        ),
        ("not_a_map", "rules: [sunset-version]\n"),
    ];
    for (name, text) in cases {
        let dir = copy_project(&format!("bad-rules-{name}"));
        let path = dir.join("isc-scope-lint.yaml");
        std::fs::write(&path, text).unwrap();
        let o = common::run(&["check", s(&dir)]);
        assert_eq!(o.code, 2, "{name}: {}{}", o.stdout, o.stderr);
        assert!(o.stdout.is_empty(), "{name}");
        assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), *text);
        insta::assert_snapshot!(format!("bad_rule_settings_{name}"), o.stderr);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `isc-scope-lint schema` describes `rules:`: every rule id with its default, `per_path`.
#[test]
fn schema_lists_rule_settings() {
    let o = common::run(&["schema"]);
    assert_eq!(o.code, 0);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let text = o.stdout.clone();
    assert!(v["properties"]["rules"].is_object(), "{text}");
    // The rules' definition, wherever schemars put it.
    let def = v["$defs"]["RuleSettings"].clone();
    let props = def["properties"].as_object().expect("rule properties");
    let rules = common::run(&["rules"]);
    for line in rules.stdout.lines() {
        let id = line.split_whitespace().next().unwrap();
        assert!(props.contains_key(id), "{id} missing from the schema");
    }
    assert_eq!(def["additionalProperties"], false);
    assert_eq!(
        props["per_path"]["additionalProperties"]["additionalProperties"],
        false
    );
    assert!(
        props["sunset-version"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"off".into())
    );
}
