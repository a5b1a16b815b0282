//! `check --diff-base REF`: only the findings a change introduced — on added or modified
//! lines, and grant findings whose cause changed — alone and with a baseline.

use crate::common;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const MANIFEST: &str = "credentials:
  - name: old-bot
    kind: pat
    owner: {user_levels: [ORG_ADMIN], service_account: true}
    scopes: [sp:scopes:all]
    paths: [\"legacy/**\"]
  - name: new-bot
    kind: pat
    owner: {user_levels: [ORG_ADMIN], service_account: true}
    scopes: [sp:scopes:all]
    paths: [\"app/**\"]
";

const LEGACY: &str = "import requests
B = \"https://acme.api.identitynow.com\"
requests.get(B + \"/v3/sources\")
requests.get(B + \"/v3/accounts\")
requests.get(B + \"/beta/workflows\")
";

const APP: &str = "import requests
B = \"https://acme.api.identitynow.com\"
requests.get(B + \"/v2025/sources\")
";

/// `rule credential-or-file:line` of each finding.
fn findings(dir: &Path, extra: &[&str]) -> (Vec<String>, String) {
    let mut args = vec![
        "check",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    args.extend_from_slice(extra);
    let o = common::run(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let list = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                match f["credential"].as_str() {
                    Some(c) => c.to_string(),
                    None => format!(
                        "{}:{}",
                        f["location"]["file"].as_str().unwrap(),
                        f["location"]["line"]
                    ),
                }
            )
        })
        .collect();
    (list, o.stderr)
}

#[test]
fn diff_base_reports_only_what_the_change_introduced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("legacy")).unwrap();
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(dir.join("isc-scope-lint.yaml"), MANIFEST).unwrap();
    std::fs::write(dir.join("legacy/old.py"), LEGACY).unwrap();
    std::fs::write(dir.join("app/app.py"), APP).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let base = dir.join("baseline.json");
    let o = common::run(&[
        "check",
        dir.to_str().unwrap(),
        "--write-baseline",
        base.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);

    // Nothing changed: nothing reported, and the run says how many were left out.
    let (all, _) = findings(dir, &[]);
    assert!(all.len() >= 7, "{all:?}");
    let (none, err) = findings(dir, &["--diff-base", "HEAD"]);
    assert!(none.is_empty(), "{none:?}");
    assert!(
        err.contains(&format!(
            "{} finding(s) outside the change since `HEAD`",
            all.len()
        )),
        "{err}"
    );

    // A change adds one v3 call to the app on a branch: its finding, and new-bot's grant
    // findings (their cause, new-bot's calls, changed); nothing of the legacy backlog.
    git(dir, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(
        dir.join("app/app.py"),
        format!("{APP}requests.get(B + \"/v3/accounts\")\n"),
    )
    .unwrap();
    git(dir, &["commit", "-q", "-am", "one more call"]);
    let (v, _) = findings(dir, &["--diff-base", "main"]);
    assert!(
        v.contains(&"sunset-version app/app.py:4".to_string()),
        "{v:?}"
    );
    assert!(v.contains(&"broad-scope new-bot".to_string()), "{v:?}");
    assert!(
        !v.iter()
            .any(|f| f.contains("old-bot") || f.contains("legacy/")),
        "{v:?}"
    );
    // Uncommitted changes count too, and a new untracked file in full.
    std::fs::write(dir.join("legacy/new.py"), LEGACY).unwrap();
    let (v, _) = findings(dir, &["--diff-base", "main"]);
    assert!(
        v.contains(&"sunset-version legacy/new.py:3".to_string()),
        "{v:?}"
    );
    assert!(v.contains(&"broad-scope old-bot".to_string()), "{v:?}");
    assert!(
        !v.iter()
            .any(|f| f.starts_with("sunset-version legacy/old.py")),
        "{v:?}"
    );
    std::fs::remove_file(dir.join("legacy/new.py")).unwrap();

    // With the baseline: new-bot's grant findings were known, the new call is not.
    let (v, _) = findings(
        dir,
        &["--diff-base", "main", "--baseline", base.to_str().unwrap()],
    );
    assert_eq!(v, vec!["sunset-version app/app.py:4".to_string()]);

    // Editing old-bot's manifest entry brings its grant findings back.
    std::fs::write(dir.join("isc-scope-lint.yaml"), MANIFEST.replace("  - name: old-bot\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: true}", "  - name: old-bot\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: false}")).unwrap();
    let (v, _) = findings(dir, &["--diff-base", "main"]);
    assert!(v.contains(&"broad-scope old-bot".to_string()), "{v:?}");
    assert!(v.contains(&"personal-owner old-bot".to_string()), "{v:?}");
    assert!(
        !v.iter().any(|f| f.starts_with("sunset-version legacy/")),
        "{v:?}"
    );

    // Bad revisions and folders outside git: exit 2 with a message.
    let o = common::run(&[
        "check",
        dir.to_str().unwrap(),
        "--diff-base",
        "no-such-branch",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("no commit `no-such-branch`"),
        "{}",
        o.stderr
    );
    let o = common::run(&["check", dir.to_str().unwrap(), "--diff-base", "--output=x"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("a.py"), APP).unwrap();
    let o = common::run(&[
        "check",
        outside.path().to_str().unwrap(),
        "--diff-base",
        "main",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--diff-base"), "{}", o.stderr);
}
