//! Java and Kotlin front-end: java.net.http, Spring (RestTemplate, WebClient, RestClient,
//! RequestEntity), OkHttp, Apache HttpClient, HttpURLConnection, Unirest, Ktor, and
//! declarative clients (Retrofit, Feign, Spring HTTP interfaces); negatives (controllers,
//! JAX-RS resources, test clients, stubs, messages, other hosts) beside them.

use crate::common;

const ROOT: &str = "tests/fixtures/discover/java";
const PKG: &str = "src/main/java/com/acme/isc/";

#[test]
fn java_calls() {
    common::snapshot_calls!(ROOT);
}

#[test]
fn java_negative_forms_yield_nothing() {
    let v = common::calls_json(ROOT);
    for f in [
        format!("{PKG}Negatives.java"),
        "src/test/java/com/acme/isc/NegativesTest.java".to_string(),
        format!("{PKG}IscConfig.java"),
    ] {
        common::assert_no_calls(&v, &f);
    }
}

#[test]
fn java_helpers_and_builders() {
    let v = common::calls_json(ROOT);
    let ops = common::ops_in(&v, &format!("{PKG}IscHttpClient.java"));
    // `send(method, path, body)` wraps `HttpRequest.newBuilder()...method(method, ...)`.
    for want in [
        "GET /v3/sources",
        "GET /v2025/accounts/{id}",
        "DELETE /v3/roles/{id}",
        "POST /v3/search",
        "POST /v3/search/count",
        "GET /beta/workflows",
    ] {
        assert!(ops.iter().any(|o| o == want), "{want} not in {ops:?}");
    }
    // OkHttp without a verb is GET; HttpURLConnection takes setRequestMethod.
    let other = common::ops_in(&v, &format!("{PKG}OtherClients.java"));
    for want in [
        "GET /v3/sources",
        "PATCH /v3/sources/{id}",
        "POST /v3/sources/{sourceId}/schemas",
        "GET /v3/sources/{id}",
    ] {
        assert!(other.iter().any(|o| o == want), "{want} not in {other:?}");
    }
}

#[test]
fn declarative_clients_are_calls_with_class_prefixes() {
    let v = common::calls_json(ROOT);
    let feign = common::ops_in(&v, &format!("{PKG}IdentityClient.java"));
    assert!(
        feign.contains(&"GET /v2025/identities/{id}".to_string()),
        "{feign:?}"
    );
    assert!(
        feign.contains(&"POST /v2025/work-items/{id}/forward".to_string()),
        "{feign:?}"
    );
    let exchange = common::ops_in(&v, &format!("{PKG}WorkflowExchange.java"));
    assert_eq!(
        exchange,
        [
            "GET /beta/workflows/{id}",
            "POST /beta/workflows/{id}/test",
            "PATCH /beta/workflows/{id}"
        ]
    );
    let retrofit = common::calls_in(&v, &format!("{PKG}SourcesService.java"));
    assert_eq!(retrofit.len(), 5);
    // MicroProfile: the interface's `@Path` joins the method's; JAX-RS resources (servers,
    // in Negatives.java) are not calls.
    let mp = common::ops_in(&v, &format!("{PKG}AccessProfilesRestClient.java"));
    assert_eq!(
        mp,
        [
            "GET /v3/access-profiles",
            "GET /v3/access-profiles/{id}",
            "POST /v3/access-profiles"
        ]
    );
}

#[test]
fn kotlin_templates_and_ktor() {
    let v = common::calls_json(ROOT);
    let kt = common::ops_in(&v, "src/main/kotlin/Sync.kt");
    assert_eq!(
        kt,
        [
            "GET /v3/sources",
            "POST /v3/search",
            "PATCH /v3/sources/{id}",
            "DELETE /beta/accounts/{id}",
            "GET /v2024/identities",
            // `conn.requestMethod = "POST"` on an HttpURLConnection.
            "POST /v3/search/count"
        ]
    );
}

#[test]
fn helper_named_like_a_collection_method_is_not_matched_on_collections() {
    let v = common::calls_json(ROOT);
    let file = format!("{PKG}IdnClient.java");
    let src = std::fs::read_to_string(format!("{ROOT}/{file}")).unwrap();
    let map_line = src
        .lines()
        .position(|l| l.contains("a map, not the helper"))
        .unwrap()
        + 1;
    let calls = common::calls_in(&v, &file);
    assert!(
        calls.iter().all(|c| c["line"] != map_line as u64),
        "{calls:#?}"
    );
    // The helper `get(String endpoint)` itself is followed to its real callers.
    assert!(
        calls
            .iter()
            .any(|c| c["operation"] == "GET /beta/identities")
    );
}
