//! The `sail` CLI: subcommands mapped to their operations, `sail api`, connectors (no spec),
//! and negatives beside them.

use crate::common;

const DIR: &str = "tests/fixtures/discover/cli";

#[test]
fn cli_calls() {
    common::snapshot_calls!(DIR);
}

#[test]
fn cli_negative_forms_yield_nothing() {
    let v = common::calls_json(DIR);
    common::assert_no_calls(&v, "negatives.sh");
    let lines = |file: &str| common::lines_in(&v, file);
    // `sail environment`, `set`, `sdk`, `jsonpath`: local commands.
    let deploy = lines("deploy.sh");
    for l in [5, 9, 44, 45, 46] {
        assert!(!deploy.contains(&l), "line {l}: {deploy:?}");
    }
    // Prose in a string, a YAML comment and a description.
    assert!(!lines("sail.ps1").contains(&5));
    let yml = lines(".github/workflows/release.yml");
    assert!(yml.iter().all(|l| *l == 14 || *l == 15), "{yml:?}");
}

#[test]
fn every_call_is_cli_and_connectors_have_no_operation() {
    let v = common::calls_json(DIR);
    let calls = v["calls"].as_array().unwrap();
    assert!(calls.iter().all(|c| c["via"] == "cli"));
    let conn: Vec<_> = common::calls_in(&v, "deploy.sh")
        .into_iter()
        .filter(|c| c["line"] == 33)
        .collect();
    assert_eq!(conn.len(), 2);
    for c in conn {
        assert!(c["operation"].is_null());
        assert_eq!(c["resolved"], false);
        assert!(
            c["reason"]
                .as_str()
                .unwrap()
                .contains("endpoint not in spec")
        );
        assert!(
            c["path"]
                .as_str()
                .unwrap()
                .starts_with("/beta/platform-connectors")
        );
    }
}
