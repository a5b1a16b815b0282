//! One verdict for every command: `init`, `check`, `--fix` and `scopes` give the same grant
//! for the same project, and name the calls that force a broad grant.

use crate::common::run;

const MIXED: &str = "tests/fixtures/verdicts/mixed";

fn copy_project(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "isc-scope-lint-verdicts-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for e in std::fs::read_dir(MIXED).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
    }
    d
}

/// The `scopes` and `owner.user_levels` of the first credential of a manifest.
fn grant_of(manifest: &str) -> (Vec<String>, Vec<String>) {
    let v: serde_yaml::Value = serde_yaml::from_str(manifest).unwrap();
    let c = &v["credentials"][0];
    let list = |x: &serde_yaml::Value| -> Vec<String> {
        x.as_sequence()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    (list(&c["scopes"]), list(&c["owner"]["user_levels"]))
}

#[test]
fn a_legacy_call_and_a_documented_call_get_one_verdict_everywhere() {
    let want = (
        vec!["sp:scopes:all".to_string()],
        vec!["ORG_ADMIN".to_string()],
    );
    // init
    let o = run(&["init", MIXED, "-o", "-"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(grant_of(&o.stdout), want, "{}", o.stdout);
    insta::assert_snapshot!("init_mixed", o.stdout);
    assert!(
        !o.stdout.contains("would do"),
        "no client-credentials claim: {}",
        o.stdout
    );
    // scopes, on the same calls
    let o = run(&[
        "scopes",
        "--format",
        "json",
        "GET /v3/sources",
        "GET https://acme.api.identitynow.com/cc/api/source/list",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["pat"]["scopes"], serde_json::json!(want.0));
    assert_eq!(v["pat"]["user_levels"], serde_json::json!(want.1));
    assert_eq!(
        v["pat"]["forced_by"]["sp:scopes:all"]["by"][0]["operation"],
        "GET https://acme.api.identitynow.com/cc/api/source/list"
    );
    // Whether a legacy call takes client credentials is not documented: no claim.
    let o = run(&[
        "scopes",
        "GET /v3/sources",
        "GET https://acme.api.identitynow.com/cc/api/source/list",
    ]);
    assert!(
        o.stdout
            .contains("whether they accept client credentials is not documented")
    );
    assert!(!o.stdout.contains("would do, with scopes"), "{}", o.stdout);
    // check, with a manifest narrower than the verdict: missing-scope at the legacy call,
    // and the minimum is attributed to it, not to GET /v3/sources.
    let d = copy_project("check");
    std::fs::write(
        d.join("isc-scope-lint.yaml"),
        "credentials:\n  - name: integration\n    # every call accepts client credentials: `kind: oauth-client` with scopes [idn:sources:read] would do\n    kind: pat\n    owner:\n      user_levels:\n        - ROLE_SUBADMIN   # GET /v3/sources\n      service_account: true\n    scopes:\n      - idn:sources:read   # GET /v3/sources (sync.py:12)\n",
    )
    .unwrap();
    let s = d.to_str().unwrap();
    let o = run(&["check", s, "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let cred = &v["credentials"][0];
    assert_eq!(cred["minimal"]["scopes"], serde_json::json!(want.0));
    assert_eq!(cred["minimal"]["user_levels"], serde_json::json!(want.1));
    let forced = &cred["forced_by"]["sp:scopes:all"];
    assert_eq!(forced["by"][0]["operation"], "GET /cc/api/source/list");
    assert_eq!(forced["by"][0]["calls"], serde_json::json!(["sync.py:13"]));
    assert_eq!(forced["other_operations"], 1);
    assert_eq!(
        cred["forced_by"]["ORG_ADMIN"]["by"][0]["operation"],
        "GET /cc/api/source/list"
    );
    let missing: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing-scope")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["location"]["line"], 13);
    // --fix writes the same grant as init, replaces the stale client-credentials comment,
    // and a second run has nothing to change.
    let o = run(&["check", s, "--fix"]);
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    let fixed = std::fs::read_to_string(d.join("isc-scope-lint.yaml")).unwrap();
    assert_eq!(grant_of(&fixed), want, "{fixed}");
    assert!(!fixed.contains("would do"), "{fixed}");
    assert!(!fixed.contains("# GET /v3/sources (sync.py:12)"), "{fixed}");
    insta::assert_snapshot!("fixed_mixed", fixed);
    let o = run(&["check", s, "--fix"]);
    assert!(o.stderr.contains("nothing to fix"), "{}", o.stderr);
    // check's human summary names the legacy call as the reason.
    let o = run(&["check", s]);
    assert!(
        o.stdout.contains(
            "sp:scopes:all ← forced by GET /cc/api/source/list (sync.py:13: legacy private API"
        ),
        "{}",
        o.stdout
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn init_writes_the_token_kind_the_flow_shows_and_leaves_the_owner_unconfirmed() {
    let flows = "tests/fixtures/verdicts/flows";
    let o = run(&["init", flows, "--per-folder", "-o", "-"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    insta::assert_snapshot!("init_flows", o.stdout);
    let v: serde_yaml::Value = serde_yaml::from_str(&o.stdout).unwrap();
    let kind = |i: usize| v["credentials"][i]["kind"].as_str().unwrap().to_string();
    let names: Vec<&str> = (0..3)
        .map(|i| v["credentials"][i]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["client", "pat", "webapp"]);
    // client_credentials without a PAT's names: ambiguous, kept `pat` and said so.
    assert_eq!(kind(0), "pat");
    assert!(o.stdout.contains("serves PATs and API clients alike"));
    assert_eq!(kind(1), "pat");
    assert_eq!(kind(2), "user-token");
    // No owner is claimed to be a service account...
    for i in 0..3 {
        assert!(
            v["credentials"][i]["owner"]["service_account"].is_null(),
            "{i}"
        );
    }
    // ...unless the user says so.
    let o = run(&[
        "init",
        flows,
        "--per-folder",
        "--service-account",
        "-o",
        "-",
    ]);
    let v: serde_yaml::Value = serde_yaml::from_str(&o.stdout).unwrap();
    assert_eq!(v["credentials"][1]["owner"]["service_account"], true);
    // check on the generated manifest: unconfirmed owners are info, never personal-owner.
    let d = std::env::temp_dir().join(format!("isc-scope-lint-flows-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    for sub in ["pat", "client", "webapp"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
        for e in std::fs::read_dir(format!("{flows}/{sub}")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), d.join(sub).join(e.file_name())).unwrap();
        }
    }
    let s = d.to_str().unwrap();
    let o = run(&["init", s, "--per-folder"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(&["check", s, "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let rules: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unconfirmed-owner" || f["rule"] == "personal-owner")
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["credential"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("unconfirmed-owner", "client"),
            ("unconfirmed-owner", "pat")
        ]
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// The README's sample summary is the binary's output on the example, and each quantity is
/// the same number wherever it is printed.
#[test]
fn readme_sample_and_quantities_agree_with_the_binary() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("the summary ends")
        .expect("the README's sample");
    let block_start = readme[start..].find("```text\n").unwrap() + start + "```text\n".len();
    let block_end = readme[block_start..].find("```").unwrap() + block_start;
    let sample = &readme[block_start..block_end];
    let human = run(&["check", "examples/"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stdout.contains(sample),
        "README sample differs from the binary's output:\n--- README\n{sample}\n--- binary\n{}",
        human.stdout
    );
    // One counting rule: calls (token requests apart) in `calls`, `check` and `init`.
    let json = run(&["check", "examples/", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let calls: serde_json::Value =
        serde_json::from_str(&run(&["calls", "examples/", "--format", "json"]).stdout).unwrap();
    let sites = calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["via"] != "auth")
        .count() as u64;
    let tokens = calls["calls"].as_array().unwrap().len() as u64 - sites;
    assert_eq!(v["calls"], sites);
    assert_eq!(v["credentials"][0]["calls"], sites);
    assert!(
        run(&["calls", "examples/"])
            .stdout
            .contains(&format!("{sites} call(s) and {tokens} token request(s)"))
    );
    assert!(human.stdout.contains(&format!("{sites} call(s) in")));
    let o = run(&[
        "init",
        "examples/",
        "-o",
        "/tmp/isc-scope-lint-readme-init.yaml",
        "--force",
    ]);
    assert!(
        o.stderr
            .contains(&format!("({sites} call(s), {tokens} token request(s))")),
        "{}",
        o.stderr
    );
    let _ = std::fs::remove_file("/tmp/isc-scope-lint-readme-init.yaml");
    // Quantities: scopes alone / owner levels alone / both, the same in check JSON, scopes
    // JSON, the broad-* messages and the human summary.
    let min = &v["credentials"][0]["minimal"];
    let ops: Vec<String> = v["credentials"][0]["scopes_needed_by"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ns| ns.as_array().unwrap().iter())
        .map(|n| n["operation"].as_str().unwrap().to_string())
        .collect();
    let mut args = vec!["scopes", "--format", "json"];
    args.extend(ops.iter().map(String::as_str));
    let s: serde_json::Value = serde_json::from_str(&run(&args).stdout).unwrap();
    assert_eq!(min["unlocked_operations"], s["pat"]["unlocked_operations"]);
    assert_eq!(
        min["user_levels_unlocked"],
        s["pat"]["user_levels_unlocked"]
    );
    assert_eq!(min["blast_radius"], s["pat"]["blast_radius"]);
    let msg = |rule: &str| -> String {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(msg("broad-scope").contains(&format!(
        "{} operations ({} writes) reachable by the scopes alone",
        min["unlocked_operations"], min["unlocked_write_operations"]
    )));
    let l = &min["user_levels_unlocked"];
    assert!(msg("broad-user-level").contains(&format!(
        "{} operations ({} writes) reachable by the owner levels alone",
        l["operations"], l["write_operations"]
    )));
    assert!(human.stdout.contains(&format!(
        "scopes alone {} ({}) · owner levels alone {} ({}) · both {} ({})",
        min["unlocked_operations"],
        min["unlocked_write_operations"],
        l["operations"],
        l["write_operations"],
        min["blast_radius"]["operations"],
        min["blast_radius"]["write_operations"]
    )));
}
