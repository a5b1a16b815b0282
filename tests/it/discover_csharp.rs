//! C# front-end: HttpClient verbs, HttpRequestMessage, RestSharp, Flurl, base addresses and
//! project helpers; negatives (ASP.NET routes, caches, dictionaries, mock handlers, messages,
//! other hosts) beside them.

use crate::common;

const ROOT: &str = "tests/fixtures/discover/csharp";

#[test]
fn csharp_calls() {
    common::snapshot_calls!(ROOT);
}

#[test]
fn csharp_negative_forms_yield_nothing() {
    let v = common::calls_json(ROOT);
    for f in [
        "Isc.Sync/Negatives.cs",
        "Isc.Sync.Tests/ClientTests.cs",
        "Isc.Sync.Tests/RoutesTests.cs",
        "Isc.Sync/IscSettings.cs",
    ] {
        common::assert_no_calls(&v, f);
    }
}

#[test]
fn request_messages_and_helpers() {
    let v = common::calls_json(ROOT);
    let ops = common::ops_in(&v, "Isc.Sync/Clients/IscApiClient.cs");
    for want in [
        // `SendAsync(HttpMethod method, string path)` wraps `new HttpRequestMessage(method, ..)`.
        "GET /v3/sources",
        "GET /v2025/accounts/{id}",
        "DELETE /v3/roles/{id}",
        // `new HttpMethod("PATCH")`, initialisers, target-typed `new(...)`, properties.
        "PATCH /v3/access-profiles/{id}",
        "POST /beta/workflows/{id}/test",
        "GET /v2024/work-items/{id}",
        "POST /v3/search/count",
    ] {
        assert!(ops.iter().any(|o| o == want), "{want} not in {ops:?}");
    }
}

#[test]
fn restsharp_methods_come_from_where_the_request_is_executed() {
    let v = common::calls_json(ROOT);
    let ops = common::ops_in(&v, "Isc.Sync/Clients/RestSharpClient.cs");
    assert_eq!(
        ops,
        [
            "GET /v3/sources",
            "POST /beta/workflows",
            "PATCH /v3/sources/{id}",
            "DELETE /v3/roles/{id}",
            "POST /v3/search",
            "GET /v2025/identities"
        ]
    );
}

#[test]
fn base_address_with_version_joins_relative_paths() {
    let v = common::calls_json(ROOT);
    let ops = common::ops_in(&v, "Isc.Sync/Clients/RelativeClient.cs");
    assert_eq!(
        ops,
        [
            "GET /v3/sources",
            "GET /v3/sources/{sourceId}/schemas",
            "POST /v3/search"
        ]
    );
}

#[test]
fn postman_restsharp_snippets_take_the_url_from_the_client() {
    let v = common::calls_json(ROOT);
    let calls = common::calls_in(&v, "Isc.Sync/PostmanSnippets.cs");
    let got: Vec<(u64, &str)> = calls
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["operation"].as_str().unwrap(),
            )
        })
        .collect();
    // RestSharp 106: `new RestClient(url)` + `new RestRequest(Method.GET)`: reported where
    // the URL is; 107+: the resource joins the options' base URL.
    assert_eq!(
        got,
        [
            (7, "GET /v3/sources"),
            (21, "POST /beta/workflows"),
            (24, "POST /v3/search")
        ]
    );
}

#[test]
fn typed_client_paths_join_the_base_address_configured_in_program_cs() {
    let v = common::calls_json(ROOT);
    let ops = common::ops_in(&v, "Isc.Sync/Clients/TypedClient.cs");
    assert_eq!(ops, ["GET /v2025/identities", "POST /v2025/search"]);
    // A named client's relative paths join its own base address; the other named
    // client's (GitHub) are not ISC.
    let named = common::ops_in(&v, "Isc.Sync/Clients/NamedClientUser.cs");
    assert_eq!(named, ["GET /beta/workflows"]);
    // `app.MapGet("/v3/sources", ...)` is a route of the app itself.
    assert!(common::calls_in(&v, "Isc.Sync/Program.cs").is_empty());
}
