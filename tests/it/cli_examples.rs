//! The bundled example project: the README's main command (`check examples/`) shows the
//! findings and the minimal grants, and finds the calls of every language in it.

use crate::common;

#[test]
fn readme_main_command_on_the_example() {
    let o = common::run(&["check", "examples/"]);
    // Warnings (the broad grant) fail the default --fail-on warning.
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains("broad-scope") && o.stdout.contains("broad-user-level"),
        "{}",
        o.stdout
    );
    insta::assert_snapshot!(o.stdout);
}

#[test]
fn example_calls_in_every_language() {
    let v = common::calls_json("examples");
    insta::assert_snapshot!(common::summary(&v));
    let files: Vec<&str> = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap())
        .collect();
    for f in [
        "sync/sync_sources.py",
        "reports/access-report.ts",
        "ops/Export-Identities.ps1",
        "scripts/nightly.sh",
    ] {
        assert!(files.contains(&f), "no call found in {f}");
    }
    assert!(
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["resolved"] == true)
    );
}
