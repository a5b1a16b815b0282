//! Python front-end: fixtures with calls in every form, and negatives beside them.

mod common;

#[test]
fn python_calls() {
    let v = common::calls_json("tests/fixtures/discover/python");
    insta::assert_snapshot!(common::summary(&v));
    insta::assert_json_snapshot!(v["calls"]);
}

#[test]
fn python_negative_forms_yield_nothing() {
    let v = common::calls_json("tests/fixtures/discover/python");
    let neg = common::calls_in(&v, "negatives.py");
    assert!(neg.is_empty(), "negatives reported: {neg:#?}");
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
