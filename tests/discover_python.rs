//! Python front-end: fixtures with calls in every form, and negatives beside them.

mod common;

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
