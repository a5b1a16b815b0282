//! PowerShell front-end: fixtures with calls in every form, and negatives beside them.

use crate::common;

const DIR: &str = "tests/fixtures/discover/powershell";

#[test]
fn powershell_calls() {
    common::snapshot_calls!(DIR);
}

#[test]
fn powershell_negative_forms_yield_nothing() {
    let v = common::calls_json(DIR);
    common::assert_no_calls(&v, "negatives.ps1");
    // Only the module's token request and its path-filling helper are reported in it: the
    // generic helper itself is followed to its callers.
    let module = common::calls_in(&v, "IscApi.psm1");
    assert_eq!(module.len(), 2, "{module:#?}");
}

#[test]
fn helper_arguments_bind_by_name_position_and_splat() {
    let v = common::calls_json(DIR);
    let calls = common::calls_in(&v, "Sync-Identities.ps1");
    let ops: Vec<&str> = calls
        .iter()
        .filter_map(|c| c["operation"].as_str())
        .collect();
    for want in [
        // `-Method` not passed: the parameter's default `'Get'`.
        "GET /v3/identity-profiles",
        // Named `-Method Post` and a switch between.
        "POST /beta/workflows",
        // Positional path and method.
        "DELETE /v2025/accounts/{id}",
        // Splatted hashtable.
        "POST /v3/campaigns",
        // Splatted request with `Method = 'Patch'`.
        "PATCH /v3/sources/{id}",
    ] {
        assert!(ops.contains(&want), "{want} missing from {ops:?}");
    }
}

#[test]
fn bare_word_methods_and_methods_chosen_in_branches() {
    let v = common::calls_json(DIR);
    let calls = common::calls_in(&v, "Legacy-Module.psm1");
    let got: Vec<(u64, String)> = calls
        .iter()
        .map(|c| {
            let what = c["operation"]
                .as_str()
                .or(c["path"].as_str())
                .unwrap_or("?")
                .to_string();
            (c["line"].as_u64().unwrap_or(0), what)
        })
        .collect();
    assert_eq!(
        got,
        [
            // The switch sets `$uri` and `$method` (POST or PATCH): each URL at its own
            // branch (the request on line 12 is related); only PATCH exists at the v3 path;
            // the legacy path is reported with its path.
            (9, "/cc/api/source/update/{}".to_string()),
            (10, "PATCH /v3/sources/{id}".to_string()),
            // `-method Get` is the string `Get`, bound to the helper's `$method`.
            (21, "GET /v3/identity-profiles".to_string()),
            (22, "DELETE /beta/workflows/{id}".to_string()),
            // `$m` is PATCH or POST, passed on to the helper: only PATCH exists at the path.
            (27, "PATCH /v3/access-profiles/{id}".to_string()),
            // A one-line function: the command right after `param(...)`.
            (30, "DELETE /v3/roles/{id}".to_string()),
        ]
    );
}
