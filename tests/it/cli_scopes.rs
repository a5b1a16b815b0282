//! End-to-end tests of `scopes`, `catalog build` and `catalog show`: output snapshots, exit
//! codes, and every bad input ending in a clear message with exit code 2.

use std::io::Write;
use std::process::{Command, Stdio};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_isc-scope-lint"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            si.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

const ISSUE_CALLS: [&str; 5] = [
    "GET https://acme.api.identitynow.com/v3/sources/2c9180835d2e5168015d32f890ca1581?limit=10",
    "get /v3/sources/{sourceId}",
    "DELETE /beta/accounts/:id",
    "PATCH {{baseUrl}}/v2025/roles/{{roleId}}",
    "GET sources/v1",
];

#[test]
fn scopes_human_output() {
    let mut args = vec!["scopes"];
    args.extend(ISSUE_CALLS);
    args.push("POST /v3/access-profiles");
    let o = run(&args, None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn scopes_json_output() {
    let mut args = vec!["scopes", "--format", "json"];
    args.extend(ISSUE_CALLS);
    let o = run(&args, None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    // The contract's fields.
    assert_eq!(v["operations"][0]["operation"], "GET /v3/sources/{id}");
    assert_eq!(v["operations"][0]["operation_id"], "getSource");
    assert!(v["pat"]["scopes"].is_array());
    assert!(v["pat"]["unlocked_operations"].as_u64().unwrap() > 0);
    // PATCH /v2025/roles/{id} accepts no applicationAuth: client credentials impossible.
    assert_eq!(v["client_credentials"]["possible"], false);
    assert!(v["client_credentials"]["scopes"].is_null());
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn client_credentials_when_every_call_accepts_them() {
    let o = run(
        &[
            "scopes",
            "--format",
            "json",
            "GET /v3/sources/{id}",
            "GET /v2025/accounts",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["client_credentials"]["possible"], true);
    assert_eq!(
        v["client_credentials"]["scopes"],
        serde_json::json!(["idn:accounts:read", "idn:sources:read"])
    );
    assert_eq!(v["pat"]["scopes"], v["client_credentials"]["scopes"]);
}

#[test]
fn stdin_reads_one_call_a_line_and_skips_comments() {
    let from_args = run(
        &[
            "scopes",
            "--format",
            "json",
            "GET /v3/sources/{id}",
            "DELETE /beta/accounts/:id",
        ],
        None,
    );
    let from_stdin = run(
        &["scopes", "--format", "json", "-"],
        Some("# calls of the sync job\n\nGET /v3/sources/{id}\n   \nDELETE /beta/accounts/:id\n"),
    );
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    assert_eq!(from_args.stdout, from_stdin.stdout);
}

#[test]
fn all_of_semantics_is_more_conservative() {
    let scopes = |sem: &str, call: &str| -> serde_json::Value {
        let o = run(
            &["scopes", "--format", "json", "--scope-semantics", sem, call],
            None,
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        serde_json::from_str(&o.stdout).unwrap()
    };
    // Any-of: one read scope authorises the write (and the note says so).
    let any = scopes("any-of", "PATCH /v3/campaigns/x");
    assert_eq!(
        any["pat"]["scopes"],
        serde_json::json!(["idn:campaign:read"])
    );
    assert!(
        any["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "read-scope-authorizes-write")
    );
    // All-of: every scope of the requirement object.
    let all = scopes("all-of", "PATCH /v3/campaigns/x");
    assert_eq!(
        all["pat"]["scopes"],
        serde_json::json!(["idn:campaign:manage", "idn:campaign:read"])
    );
}

#[test]
fn an_operation_that_says_all_scopes_are_needed_gets_all_of_them_under_any_of() {
    // "To use this endpoint, you need all the listed scopes." in every family.
    for call in [
        "POST /v3/access-profiles",
        "POST /v2025/access-profiles",
        "POST /access-profiles/v1",
    ] {
        for sem in ["any-of", "all-of"] {
            let o = run(
                &["scopes", "--format", "json", "--scope-semantics", sem, call],
                None,
            );
            let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
            assert_eq!(
                v["pat"]["scopes"],
                serde_json::json!([
                    "idn:access-profile:manage",
                    "idn:entitlement:read",
                    "idn:identity:read",
                    "idn:sources:read"
                ]),
                "{call} {sem}"
            );
            assert_eq!(v["operations"][0]["all_listed_scopes_needed"], true);
            // No note says a read scope authorises it: it does not.
            assert!(
                !v["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|n| n["kind"] == "read-scope-authorizes-write"),
                "{call}"
            );
        }
    }
    let shown = run(&["catalog", "show", "createAccessProfile"], None);
    assert_eq!(
        shown
            .stdout
            .matches("all listed scopes needed: the operation's description says so")
            .count(),
        5, // v3, beta, v2024, v2025, v2026 (the per-API one is createAccessProfileV1)
        "{}",
        shown.stdout
    );
}

#[test]
fn forced_all_scopes_and_org_admin() {
    // An operation whose only scope is sp:scopes:all and that documents no user level.
    let o = run(
        &[
            "scopes",
            "--format",
            "json",
            "GET /beta/campaign-templates/1/schedule",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["pat"]["scopes"], serde_json::json!(["sp:scopes:all"]));
    assert_eq!(v["pat"]["user_levels"], serde_json::json!(["ORG_ADMIN"]));
    assert_eq!(
        v["pat"]["unlocked_operations"],
        v["baseline"]["unlocked_operations"]
    );
}

#[test]
fn catalog_show_by_path_and_by_operation_id() {
    let o = run(&["catalog", "show", "GET /v3/sources/{id}"], None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    insta::assert_snapshot!("show_get_source", o.stdout);
    let o = run(
        &["catalog", "show", "listAccessProfiles", "--format", "json"],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let families: Vec<&str> = v["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["v3", "beta", "v2024", "v2025", "v2026"]);
    let o = run(&["catalog", "show", "noSuchOperation"], None);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("no operation `noSuchOperation`"),
        "{}",
        o.stderr
    );
    let o = run(&["catalog", "show", "/v3/sources"], None);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("give its method too"), "{}", o.stderr);
}

#[test]
fn catalog_build_reports_every_normalisation() {
    let o = run(
        &[
            "catalog",
            "build",
            "--spec",
            "tests/fixtures/specs",
            "--label",
            "fixture specs",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The sha256 of the fixture files is stable (they are committed), so the whole catalog
    // text is snapshotted.
    insta::assert_snapshot!("quirks_catalog", o.stdout);
    insta::assert_snapshot!("quirks_warnings", o.stderr);
    for kind in [
        "trimmed-scope",
        "misspelled-user-levels",
        "scope-in-user-levels",
        "invalid-user-level",
        "inherited-security",
        "public",
        "empty-scope-list",
        "user-context-auth",
        "other-scheme",
        "synthesised-operation-id",
        "skipped-reference",
        "all-of-scopes",
    ] {
        assert!(
            o.stderr.contains(&format!("warning[{kind}]")),
            "{kind} missing:\n{}",
            o.stderr
        );
    }
}

#[test]
fn duplicate_operations_across_files_keep_the_first() {
    let o = run(
        &[
            "catalog",
            "build",
            "--spec",
            "tests/fixtures/specs/quirks.yaml",
            "tests/fixtures/specs/quirks.yaml",
            "--quiet",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout.lines().filter(|l| l.starts_with("op\t")).count(),
        8
    );
}

#[test]
fn scopes_on_user_specs() {
    let o = run(
        &[
            "scopes",
            "--spec",
            "tests/fixtures/specs",
            "--format",
            "json",
            "GET /v2099/widgets",
            "PUT /v2099/widgets/1",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["catalog"], "user specs: extra.json, quirks.yaml");
    // Trimmed scope; UserContextAuth read as userAuth.
    assert_eq!(v["pat"]["scopes"], serde_json::json!(["idn:widget:manage"]));
    // WIDGET_ADMIN is not in ORG_ADMIN's way: the putWidget list names ROLE_ADMIN, listWidgets
    // WIDGET_ADMIN; no single level covers both but two compatible ones do.
    assert_eq!(
        v["pat"]["user_levels"],
        serde_json::json!(["ROLE_ADMIN", "WIDGET_ADMIN"])
    );
    assert_eq!(v["client_credentials"]["possible"], false);
    assert!(
        o.stderr.contains("normalisation(s) applied"),
        "{}",
        o.stderr
    );
}

#[test]
fn version_prints_the_catalog_label() {
    let o = run(&["--version"], None);
    assert_eq!(o.code, 0);
    assert_eq!(
        o.stdout.trim(),
        format!(
            "isc-scope-lint {} (catalog: api-specs 81ef79d0 (2026-08-22))",
            env!("CARGO_PKG_VERSION")
        )
    );
}

/// Every bad input: a clear message, exit 2, no panic.
#[test]
fn bad_inputs_exit_2_with_a_message() {
    let cases: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
        ("no_calls", vec!["scopes"], None),
        ("empty_stdin", vec!["scopes", "-"], Some("# nothing\n\n")),
        (
            "garbage_stdin",
            vec!["scopes", "-"],
            Some("GET /v3/sources\nhello world\nFETCH /v3/sources\nGET\n"),
        ),
        ("unknown_call", vec!["scopes", "GET /v3/sourcez/1"], None),
        (
            "legacy_call",
            // `scopes` answers a legacy call (sp:scopes:all); `catalog show` has no entry for it.
            vec![
                "catalog",
                "show",
                "GET https://acme.identitynow.com/cc/api/source/list",
            ],
            None,
        ),
        ("wrong_method", vec!["scopes", "TRACE /v3/sources"], None),
        (
            "missing_spec",
            vec![
                "scopes",
                "--spec",
                "tests/fixtures/nope.yaml",
                "GET /v3/sources",
            ],
            None,
        ),
        (
            "malformed_spec",
            vec![
                "scopes",
                "--spec",
                "tests/fixtures/bad/malformed.yaml",
                "GET /x",
            ],
            None,
        ),
        (
            "not_openapi",
            vec![
                "catalog",
                "build",
                "--spec",
                "tests/fixtures/bad/not-openapi.yaml",
            ],
            None,
        ),
        (
            "swagger",
            vec![
                "catalog",
                "build",
                "--spec",
                "tests/fixtures/bad/swagger.yaml",
            ],
            None,
        ),
        (
            "wrong_shape",
            vec![
                "catalog",
                "build",
                "--spec",
                "tests/fixtures/bad/wrong-shape.yaml",
            ],
            None,
        ),
        (
            "not_utf8",
            vec![
                "catalog",
                "build",
                "--spec",
                "tests/fixtures/bad/not-utf8.yaml",
            ],
            None,
        ),
        (
            "empty_folder",
            vec!["catalog", "build", "--spec", "tests/fixtures/empty-dir"],
            None,
        ),
        (
            "bad_flag",
            vec!["scopes", "--scope-semantics", "some-of", "GET /v3/sources"],
            None,
        ),
    ];
    std::fs::create_dir_all(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/empty-dir"
    ))
    .unwrap();
    for (name, args, stdin) in cases {
        let o = run(&args, stdin);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{name}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{name}: {}", o.stdout);
        insta::assert_snapshot!(format!("bad_{name}"), o.stderr);
    }
}
