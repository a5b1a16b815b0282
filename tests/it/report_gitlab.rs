//! `check --format gitlab`: a GitLab Code Quality report, checked against the fields of
//! GitLab's published report format (the Code Climate subset GitLab reads): written out by
//! hand here, since no JSON Schema validator is a dependency.

use crate::common;

const SEVERITIES: [&str; 5] = ["info", "minor", "major", "critical", "blocker"];

/// Every violation of GitLab's Code Quality format in a report (empty: valid).
fn violations(v: &serde_json::Value, root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Some(issues) = v.as_array() else {
        return vec!["the report is not a JSON array".into()];
    };
    let mut fingerprints = std::collections::HashSet::new();
    for (i, it) in issues.iter().enumerate() {
        let mut bad = |m: String| out.push(format!("issue {i}: {m}"));
        let Some(o) = it.as_object() else {
            bad("not an object".into());
            continue;
        };
        for k in ["description", "check_name", "fingerprint", "severity"] {
            match o.get(k).and_then(|x| x.as_str()) {
                Some(s) if !s.is_empty() => {}
                _ => bad(format!("`{k}` must be a non-empty string")),
            }
        }
        if let Some(s) = o.get("severity").and_then(|x| x.as_str())
            && !SEVERITIES.contains(&s)
        {
            bad(format!("severity `{s}` is not one of {SEVERITIES:?}"));
        }
        if let Some(f) = o.get("fingerprint").and_then(|x| x.as_str())
            && !fingerprints.insert(f.to_string())
        {
            bad(format!(
                "fingerprint `{f}` repeats (GitLab shows one issue per fingerprint)"
            ));
        }
        if let Some(t) = o.get("type")
            && t != "issue"
        {
            bad(format!("type {t} is not \"issue\""));
        }
        if let Some(c) = o.get("categories")
            && !c
                .as_array()
                .is_some_and(|a| a.iter().all(|x| x.is_string()))
        {
            bad("categories must be an array of strings".into());
        }
        if let Some(c) = o.get("content")
            && !c["body"].is_string()
        {
            bad("content.body must be a string".into());
        }
        let loc = &it["location"];
        match loc["path"].as_str() {
            Some(p) if !p.is_empty() && !p.starts_with('/') && !p.starts_with("./") => {
                if !root.join(p).exists() {
                    bad(format!("location.path `{p}` is not a file of the project"));
                }
            }
            _ => bad("location.path must be a relative path".into()),
        }
        let begin = loc["lines"]["begin"]
            .as_u64()
            .or_else(|| loc["positions"]["begin"]["line"].as_u64());
        if begin.is_none_or(|b| b < 1) {
            bad("location.lines.begin (or positions.begin.line) must be an integer >= 1".into());
        }
    }
    out
}

#[test]
fn gitlab_code_quality_report_follows_the_format() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for project in [
        "tests/fixtures/check/project",
        "tests/fixtures/report/multi",
        "examples",
    ] {
        let o = common::run(&["check", project, "--format", "gitlab", "--no-ignores"]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let errs = violations(&v, &root.join(project));
        assert!(errs.is_empty(), "{project}: {errs:#?}");
        // One issue per finding, in the same order, with the same rule and place.
        let j = common::run(&["check", project, "--format", "json", "--no-ignores"]);
        let j: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        let findings = j["findings"].as_array().unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(findings.len(), issues.len(), "{project}");
        for (f, i) in findings.iter().zip(issues) {
            assert_eq!(f["rule"], i["check_name"]);
            assert_eq!(f["location"]["file"], i["location"]["path"]);
            assert_eq!(f["location"]["line"], i["location"]["lines"]["begin"]);
            let want = match f["severity"].as_str().unwrap() {
                "error" => "critical",
                "warning" => "major",
                _ => "info",
            };
            assert_eq!(i["severity"], want);
        }
    }
    // The same call twice in one file: two findings with one content fingerprint (it
    // ignores lines), two GitLab issues with distinct fingerprints.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.py"),
        "import requests\nB = \"https://acme.api.identitynow.com\"\nrequests.get(B + \"/v3/sources\")\nrequests.get(B + \"/v3/sources\")\n",
    )
    .unwrap();
    let o = common::run(&["check", dir.path().to_str().unwrap(), "--format", "gitlab"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(violations(&v, dir.path()).is_empty(), "{v:#}");
    let fps: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["check_name"] == "sunset-version")
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 2, "{v:#}");
    assert_eq!(fps[1], format!("{}-2", fps[0]));
    let o = common::run(&[
        "check",
        "tests/fixtures/check/project",
        "--format",
        "gitlab",
    ]);
    insta::assert_snapshot!(o.stdout);
}

/// The checker itself finds what is wrong.
#[test]
fn the_gitlab_format_check_rejects_bad_reports() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bad = serde_json::json!([
        {"description": "x", "check_name": "r", "fingerprint": "a", "severity": "warning",
         "location": {"path": "/abs", "lines": {"begin": 0}}},
        {"description": "", "check_name": "r", "fingerprint": "a", "severity": "info",
         "location": {"path": "README.md", "lines": {"begin": 1}}},
    ]);
    let errs = violations(&bad, root);
    assert_eq!(errs.len(), 5, "{errs:#?}");
    assert!(!violations(&serde_json::json!({}), root).is_empty());
}
