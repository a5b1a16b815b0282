//! PowerShell front-end: fixtures with calls in every form, and negatives beside them.

mod common;

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
