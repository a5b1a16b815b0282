//! Python front-end: fixtures with calls in every form, and negatives beside them.

use crate::common;

#[test]
fn python_calls() {
    common::snapshot_calls!("tests/fixtures/discover/python");
}

#[test]
fn python_negative_forms_yield_nothing() {
    let v = common::calls_json("tests/fixtures/discover/python");
    common::assert_no_calls(&v, "negatives.py");
}

#[test]
fn config_module_constants_and_helpers_resolve() {
    let v = common::calls_json("tests/fixtures/discover/python");
    let client = common::calls_in(&v, "client.py");
    let ops: Vec<&str> = client
        .iter()
        .filter_map(|c| c["operation"].as_str())
        .collect();
    assert!(ops.contains(&"GET /v2024/accounts/{id}"), "{ops:?}");
    assert!(ops.contains(&"POST /beta/workflows/{id}/test"), "{ops:?}");
    assert!(client.iter().all(|c| c["resolved"] == true));
}

#[test]
fn a_client_class_own_request_method_is_a_helper_not_a_call() {
    let v = common::calls_json("tests/fixtures/discover/python");
    // `self.request(...)` inside the class and the session call inside `request` are the
    // helper; each caller is a call, joined to the class's `base_url` (v3).
    assert_eq!(
        common::ops_in(&v, "class_client.py"),
        [
            "GET /v3/sources",
            "PATCH /v3/identity-profiles/{identity-profile-id}",
            "GET /v3/accounts",
            "DELETE /v3/accounts/{id}",
        ]
    );
    assert_eq!(common::lines_in(&v, "class_client.py"), [34, 36, 37, 38]);
    // class_client.py's `API_VERSION = "v3"` and `request` helper do not leak into
    // client.py, which imports `API_VERSION` from config.py (v2024) and calls library
    // `request` methods of its own.
    let client = common::ops_in(&v, "client.py");
    assert!(
        client.contains(&"GET /v2024/accounts/{id}".to_string()),
        "{client:?}"
    );
    assert!(
        !client.iter().any(|o| o.contains("/v3/accounts")),
        "{client:?}"
    );
    // calls.py's own `api(method, path)` helper is not a caller of class_client's `request`.
    let stray: Vec<_> = common::calls_in(&v, "calls.py")
        .into_iter()
        .filter(|c| c["path"] == "/v3/{}")
        .collect();
    assert!(stray.is_empty(), "{stray:#?}");
}

#[test]
fn branches_keep_unknown_paths_and_pair_methods_with_the_path() {
    let v = common::calls_json("tests/fixtures/discover/python");
    let got: Vec<(u64, String, String)> = common::calls_in(&v, "branches.py")
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["path"].as_str().unwrap_or("-").to_string(),
                c["operation"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        [
            // Both candidates of the ternary on line 8, each at its literal (the request on
            // line 9 is related).
            (8, s("/v3/sources"), s("GET /v3/sources")),
            (8, s("/v3/sourcez"), s("-")),
            (15, s("/v3/transforms/{}"), s("-")),
        ]
    );
    let reason = common::calls_in(&v, "branches.py")[2]["reason"].to_string();
    assert!(
        reason.contains("PUT /v3/transforms/{id}") && reason.contains("DELETE /v3/transforms/{id}"),
        "{reason}"
    );
}
