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

/// Flags that change the operations a command calls (read in the CLI's source): `--wait` on
/// `spconfig export|import|template`, `--import`/`--export` on `download`, the connectors'
/// `--conn-endpoint`; `sail api` options that take a value, and an unknown one.
#[test]
fn flags_that_change_the_operations() {
    let v = common::calls_json("tests/fixtures/discover/cli_flags");
    insta::assert_snapshot!(common::summary(&v));
    let at = |line: u64| -> Vec<String> {
        common::calls_in(&v, "flags.sh")
            .into_iter()
            .filter(|c| c["line"] == line)
            .map(|c| {
                c["operation"]
                    .as_str()
                    .or(c["path"].as_str())
                    .unwrap_or("?")
                    .to_string()
            })
            .collect()
    };
    let start = ["POST /beta/sp-config/export"];
    let waited = [
        "GET /beta/sp-config/export/{id}",
        "GET /beta/sp-config/export/{id}/download",
        "POST /beta/sp-config/export",
    ];
    // Without --wait only the job is started; --wait, -w: polled and downloaded.
    assert_eq!(at(7), start);
    assert_eq!(at(8), waited);
    assert_eq!(at(9), waited);
    assert_eq!(at(10), start);
    assert_eq!(at(11).len(), 3);
    assert_eq!(at(12), ["POST /beta/sp-config/import"]);
    assert_eq!(at(13), waited);
    // Flags the finder cannot read: the possible operations too, each with a note.
    assert_eq!(at(14), waited);
    let notes: Vec<&serde_json::Value> = common::calls_in(&v, "flags.sh")
        .into_iter()
        .filter(|c| c["line"] == 14 && c["reason"].is_string())
        .collect();
    assert_eq!(notes.len(), 2);
    // `--export=ID`: the export side only; both flags: both sides.
    assert_eq!(
        at(17),
        [
            "GET /beta/sp-config/export/{id}",
            "GET /beta/sp-config/export/{id}/download"
        ]
    );
    assert_eq!(at(18).len(), 4);
    // --conn-endpoint: its path, or unknown when it is not a literal.
    assert_eq!(
        at(21),
        [
            "/beta/platform-connectors-v2",
            "/beta/platform-connectors-v2/{}/tags"
        ]
    );
    let dynamic = common::calls_in(&v, "flags.sh")
        .into_iter()
        .find(|c| c["line"] == 22)
        .unwrap();
    assert_eq!(dynamic["resolved"], false);
    assert!(
        dynamic["reason"]
            .as_str()
            .unwrap()
            .contains("--conn-endpoint")
    );
    // `-j '$.items[0]'` and `-c type` take values: the endpoint is the next word.
    assert_eq!(at(26), ["GET /v3/sources"]);
    assert_eq!(at(27), ["POST /v3/search"]);
    // An unknown option: unresolved with the reason, never `/v3/oops` nor `/v3/accounts`.
    let unknown = common::calls_in(&v, "flags.sh")
        .into_iter()
        .filter(|c| c["line"] == 28)
        .collect::<Vec<_>>();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["resolved"], false);
    assert!(
        unknown[0]["reason"]
            .as_str()
            .unwrap()
            .contains("--frobnicate")
    );
    // An unknown subcommand: unresolved with the reason.
    let sub = common::calls_in(&v, "flags.sh")
        .into_iter()
        .find(|c| c["line"] == 31)
        .unwrap();
    assert!(sub["reason"].as_str().unwrap().contains("not a subcommand"));
    // A flag the command's source does not define: its known operation, and an unresolved
    // site naming the flag; a global flag (`--debug`) is no such flag.
    let odd: Vec<_> = common::calls_in(&v, "flags.sh")
        .into_iter()
        .filter(|c| c["line"] == 34)
        .collect();
    assert_eq!(odd.len(), 2);
    assert!(
        odd.iter()
            .any(|c| c["operation"] == "POST /beta/sp-config/import")
    );
    assert!(
        odd.iter().any(
            |c| c["resolved"] == false && c["reason"].as_str().unwrap().contains("`--payload`")
        )
    );
    assert_eq!(at(35), waited);
    assert!(
        common::calls_in(&v, "flags.sh")
            .into_iter()
            .filter(|c| c["line"] == 35)
            .all(|c| c["resolved"] == true)
    );
}
