//! JavaScript/TypeScript front-end: realistic fixtures (a TS service with an axios instance,
//! React, Vue and Svelte components, Node scripts with got/https/undici/superagent, an
//! Angular service, a NestJS service, an Express proxy, jQuery, the SDK's generic entry
//! points, project helpers) and negatives beside them.

use crate::common;

const DIR: &str = "tests/fixtures/discover/javascript";

/// Known gap, visible in the snapshot: `services/reports.ts` calls the helper
/// `IscClient.raw('GET', '/identity-profiles')` with version-less paths (the version is in
/// the client's base URL). The file contains none of the prefilter's hints, so the walk never
/// reads it, and `raw` is reported as a helper whose callers are unknown.
#[test]
fn javascript_calls() {
    common::snapshot_calls!(DIR);
}

#[test]
fn javascript_negative_forms_yield_nothing() {
    let v = common::calls_json(DIR);
    common::assert_no_calls(&v, "negatives.js");
    // Mocks (nock, msw, axios-mock-adapter) and recorded responses are not calls.
    let test = common::calls_in(&v, "test/isc-client.test.ts");
    assert!(test.is_empty(), "mocks reported: {test:#?}");
}

#[test]
fn server_routes_are_not_calls_but_their_handlers_requests_are() {
    let v = common::calls_json(DIR);
    let lines: Vec<u64> = common::calls_in(&v, "server/server.js")
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    // `axios.get` on line 11 and `axios({ url })` on line 20; not the routes on lines 10,
    // 17 and 32.
    assert_eq!(lines, [11, 20]);
    assert_eq!(
        common::ops_in(&v, "server/server.js"),
        ["GET /v3/sources", "POST /v3/search"]
    );
}

#[test]
fn instance_base_urls_are_joined() {
    let v = common::calls_json(DIR);
    let client = common::ops_in(&v, "services/isc-client.ts");
    for op in [
        "GET /v3/sources",
        "GET /v3/sources/{id}",
        "POST /v3/transforms",
        "DELETE /v3/transforms/{id}",
        // An absolute URL is not joined to the instance's base.
        "POST /v2025/search",
        "PATCH /v3/roles/{id}",
    ] {
        assert!(client.contains(&op.to_string()), "{op} not in {client:?}");
    }
    assert_eq!(
        common::ops_in(&v, "lib/ky-client.ts"),
        [
            "GET /v2026/identities",
            "GET /v2026/identities/{id}",
            "POST /v2026/identities/{id}/reset"
        ]
    );
    assert_eq!(
        common::ops_in(&v, "scripts/roles.cjs"),
        [
            "GET /v3/roles",
            "GET /v3/accounts/{id}",
            "POST /v3/search",
            "GET /v3/certifications",
            "GET /v3/segments"
        ]
    );
}

#[test]
fn project_helpers_are_followed_to_their_callers() {
    let v = common::calls_json(DIR);
    assert_eq!(
        common::ops_in(&v, "use-helpers.js"),
        [
            "GET /v3/sources",
            "GET /v3/identity-profiles",
            // `listAll()` with its default parameter.
            "GET /v3/sources",
            "POST /v3/search",
            "DELETE /v3/transforms/{id}",
            // Options passed through: GET by default, the caller's method otherwise.
            "GET /v3/access-profiles",
            "PATCH /v3/roles/{id}",
            // Class methods calling a private `#send` helper.
            "GET /beta/entitlements",
            "PUT /v3/transforms/{id}",
        ]
    );
    // The helpers' own requests are not reported as calls of their own.
    assert!(common::calls_in(&v, "lib/isc.js").is_empty());
    // A helper taking the method and the path: each call settles both.
    assert_eq!(
        common::ops_in(&v, "patterns.ts")[..2],
        ["GET /v3/sources", "DELETE /v3/access-profiles/{id}"]
    );
}

#[test]
fn service_helpers_are_followed_but_unrelated_get_methods_are_not() {
    let v = common::calls_json(DIR);
    // `this.isc.get('/v3/sources')` goes through `ApiService.get`; `this.form.get(...)` (a
    // FormGroup) on lines 20 and 21 is no call.
    let lines: Vec<u64> = common::calls_in(&v, "app/sources.component.ts")
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [15, 22]);
    assert_eq!(
        common::ops_in(&v, "app/sources.component.ts"),
        ["GET /v3/sources", "POST /v3/search"]
    );
    assert!(common::calls_in(&v, "app/api.service.ts").is_empty());
}

#[test]
fn clients_from_factories_computed_verbs_and_xhr() {
    let v = common::calls_json(DIR);
    assert_eq!(
        common::ops_in(&v, "lib/factory.js"),
        [
            // `makeClient()`'s `axios.create({ baseURL })`.
            "GET /v3/sources",
            // `sp[method.toLowerCase()](path)` in a helper.
            "POST /v3/search",
            "DELETE /v3/transforms/{id}",
            "PATCH /v3/roles/{id}",
        ]
    );
    // `xhr.send('[]')` is not a call of the helper `send`.
    assert_eq!(common::calls_in(&v, "lib/factory.js").len(), 4);
}

#[test]
fn apollo_rest_data_sources_join_their_base_url() {
    let v = common::calls_json(DIR);
    assert_eq!(
        common::ops_in(&v, "graphql/isc-api.ts"),
        ["GET /v3/sources", "GET /v3/sources/{id}", "POST /v3/search"]
    );
}

#[test]
fn branches_give_every_candidate_and_unknown_versions_are_not_guessed() {
    let v = common::calls_json(DIR);
    let f = "components/SourceList.tsx";
    // Each candidate at its own literal (the request, lines 38, 51, 58 and 6, is related).
    assert_eq!(common::ops_at(&v, f, 33), ["DELETE /v3/transforms/{id}"]);
    assert_eq!(
        common::ops_at(&v, f, 35),
        ["DELETE /v3/access-profiles/{id}"]
    );
    assert_eq!(common::ops_at(&v, f, 45), ["POST /v3/search/count"]);
    assert_eq!(common::ops_at(&v, f, 48), ["POST /v3/search"]);
    assert_eq!(common::ops_at(&v, f, 56), ["GET /beta/entitlements"]);
    assert_eq!(common::ops_at(&v, f, 57), ["GET /v3/access-profiles"]);
    let requests: Vec<u64> = common::calls_in(&v, f)
        .iter()
        .filter(|c| [33, 35, 45, 48, 56, 57].contains(&c["line"].as_u64().unwrap()))
        .map(|c| c["request_line"].as_u64().unwrap())
        .collect();
    assert_eq!(requests, [38, 38, 51, 51, 58, 58]);
    assert_eq!(
        common::ops_at(&v, "lib/versions.js", 5),
        ["GET /beta/workflows", "GET /v2025/workflows"]
    );
    let unknown = common::calls_in(&v, "lib/versions.js")
        .into_iter()
        .find(|c| c["line"] == 11)
        .expect("the call with an unknown version is reported");
    assert_eq!(unknown["resolved"], false);
    assert!(
        unknown["reason"]
            .as_str()
            .unwrap()
            .contains("ISC_API_VERSION")
    );
}

#[test]
fn loops_over_literal_lists_give_every_endpoint() {
    let v = common::calls_json(DIR);
    assert_eq!(
        common::ops_at(&v, "scripts/backup.js", 11),
        [
            "GET /beta/workflows",
            "GET /v3/identity-profiles",
            "GET /v3/sources",
            "GET /v3/transforms"
        ]
    );
    // Each element of the literal list at its own column.
    assert_eq!(
        common::ops_at(&v, "scripts/backup.js", 15),
        ["GET /v3/roles", "GET /v3/access-profiles"]
    );
}

#[test]
fn component_markup_is_not_code() {
    let v = common::calls_json(DIR);
    // The templates mention `/v3/access-requests` and `/v3/roles` in text; only the scripts'
    // requests are calls.
    let vue: Vec<u64> = common::calls_in(&v, "components/AccessRequests.vue")
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    assert_eq!(vue, [18, 28]);
    let svelte: Vec<u64> = common::calls_in(&v, "components/Roles.svelte")
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    assert_eq!(svelte, [8]);
}

#[test]
fn token_requests_are_auth_and_generic_sdk_calls_resolve() {
    let v = common::calls_json(DIR);
    let sync = common::calls_in(&v, "scripts/sync.mjs");
    assert_eq!(sync[0]["via"], "auth");
    assert_eq!(sync[0]["path"], "/oauth/token");
    let generic = common::calls_in(&v, "sdk-generic.ts");
    assert!(
        generic
            .iter()
            .all(|c| c["via"] == "sdk" && c["resolved"] == true)
    );
    assert_eq!(
        common::ops_in(&v, "sdk-generic.ts"),
        [
            "GET /v2025/accounts",
            "POST /beta/tagged-objects",
            "PATCH /v3/roles/{id}",
            "DELETE /v2025/non-employee-records/{id}"
        ]
    );
}
