//! Go front-end: net/http, resty, the SDK's generic API and project helpers, with negatives
//! (server routes, test servers, messages, other hosts) beside them.

use crate::common;

#[test]
fn go_calls() {
    common::snapshot_calls!("tests/fixtures/discover/go");
}

#[test]
fn go_negative_forms_yield_nothing() {
    let v = common::calls_json("tests/fixtures/discover/go");
    common::assert_no_calls(&v, "negatives.go");
}

#[test]
fn go_helpers_are_followed_to_their_callers() {
    let v = common::calls_json("tests/fixtures/discover/go");
    let client = common::calls_in(&v, "client.go");
    let ops: Vec<&str> = client
        .iter()
        .filter_map(|c| c["operation"].as_str())
        .collect();
    // `c.do(ctx, http.MethodDelete, "/v3/roles/"+id, nil)`: the method is an enum member.
    assert!(ops.contains(&"DELETE /v3/roles/{id}"), "{ops:?}");
    // `get` wraps `do`; the version comes from a constant of another file.
    assert!(ops.contains(&"GET /v2024/accounts/{id}"), "{ops:?}");
    assert!(ops.contains(&"PATCH /v3/sources/{id}"), "{ops:?}");
    assert!(client.iter().all(|c| c["resolved"] == true), "{client:#?}");
    // The helper's own request line is not reported (it has no endpoint of its own).
    assert!(client.iter().all(|c| c["line"] != 29), "{client:#?}");
}

#[test]
fn go_request_is_reported_where_it_is_built_not_at_do() {
    let v = common::calls_json("tests/fixtures/discover/go");
    let calls = common::calls_in(&v, "calls.go");
    let src = std::fs::read_to_string("tests/fixtures/discover/go/calls.go").unwrap();
    for c in &calls {
        let line = src
            .lines()
            .nth(c["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        assert!(!line.contains(".Do("), "reported at Do: {line}");
    }
}
