//! The families of idioms issue 9 measured on public code, each a small project of its own
//! under `tests/fixtures/discover/idioms/<family>/` with positive and negative cases side by
//! side: the calls are snapshotted, and the decisive cases asserted directly.

use crate::common;

fn dir(family: &str) -> String {
    format!("tests/fixtures/discover/idioms/{family}")
}

/// The one-line summaries of the calls of a family (`file:line:col what [via]`).
fn lines(v: &serde_json::Value) -> Vec<String> {
    common::summary(v).lines().map(str::to_string).collect()
}

#[test]
fn tenant_hosts_assembled_around_api_and_sailpoint_hosts_that_are_not_tenants() {
    let v = common::calls_json(&dir("tenant_hosts"));
    insta::assert_snapshot!(common::summary(&v));
    // `https://${u.tenant}.api.${u.domain}/...` in a project that names ISC: the tenant API.
    assert_eq!(
        common::ops_in(&v, "service.ts"),
        ["GET /v3/sources/{id}", "GET /v2025/roles"]
    );
    // The legacy call on the same host is reported with its path (no operation).
    assert!(
        lines(&v).iter().any(|l| l.contains("service.ts:17")
            && l.contains("/cc/api/source/getAggregationSchedules/{}"))
    );
    // status.sailpoint.com, developer.sailpoint.com, *.okta.com, *.api.example.org: nothing.
    common::assert_no_calls(&v, "negatives.ts");
    // The VA activation service is not the tenant API; the tenant API on the next line is.
    assert_eq!(common::lines_in(&v, "pairing.sh"), [5]);
}

#[test]
fn helper_callers_across_modules_through_bound_methods_and_aliases() {
    let v = common::calls_json(&dir("wrapper_modules"));
    insta::assert_snapshot!(common::summary(&v));
    // The helper's own file: a caller with the default version.
    assert_eq!(common::ops_in(&v, "client.py"), ["GET /v3/sources"]);
    // Another module: through an attribute holding the bound method (`self.api = Api(..).r`),
    // a local alias (`call = a.r`) and directly; the version from the caller or the default;
    // the branch taken for `api='cc'` is the legacy one, the others never are.
    assert_eq!(
        common::ops_in(&v, "tools.py"),
        [
            "DELETE /beta/workgroups/{id}",
            "GET /v3/accounts",
            "GET /v2025/identities",
            "POST /v3/roles"
        ]
    );
    let all = lines(&v);
    assert!(
        all.iter()
            .any(|l| l.contains("tools.py:16") && l.contains("/cc/api/source/list"))
    );
    assert!(
        !all.iter()
            .any(|l| l.contains("/cc/api/") && !l.contains("tools.py:16"))
    );
    // `settings.get("tenant")` is not a request.
    assert!(!all.iter().any(|l| l.contains("tools.py:27")));
    // A file with no API path, host or client: read because it calls the helper (through
    // `self.tools.api`); a bare `r(3)` is not a call of the method `r`.
    assert_eq!(common::ops_in(&v, "jobs.py"), ["POST /v3/transforms"]);
    assert_eq!(common::lines_in(&v, "jobs.py"), [8, 9]);
    // `api_config.get('tenant')`: a dictionary, not a request.
    assert_eq!(common::lines_in(&v, "opaque.py"), [9]);
    // A helper whose URL comes from where the finder cannot follow: unresolved, never dropped.
    assert!(all.iter().any(|l| l.contains("opaque.py:9")
        && l.contains("unresolved")
        && l.contains("base_url()")));
}

#[test]
fn go_requests_from_a_project_request_factory() {
    let v = common::calls_json(&dir("go_request_builders"));
    insta::assert_snapshot!(common::summary(&v));
    // resty builders after the project's factory (in another file), chained or held in a
    // variable; the paths from constants.
    assert_eq!(
        common::ops_in(&v, "roles.go"),
        ["GET /v2025/roles/{id}", "POST /v2025/roles"]
    );
    // A cache, a settings map, a builder that is not resty's: nothing.
    common::assert_no_calls(&v, "negatives.go");
    common::assert_no_calls(&v, "client.go");
}

#[test]
fn version_picked_by_the_segment_a_caller_chooses_in_branches() {
    let v = common::calls_json(&dir("version_by_segment"));
    insta::assert_snapshot!(common::summary(&v));
    // Each segment the caller may pass takes only the version the service picks for it.
    let mut ops = common::ops_in(&v, "source.component.ts");
    ops.sort();
    assert_eq!(
        ops,
        [
            "GET /beta/sources/{id}/attribute-sync-config",
            "GET /beta/sources/{sourceId}/correlation-config",
            "GET /v3/sources/{sourceId}/provisioning-policies",
            "GET /v3/sources/{sourceId}/schemas",
        ]
    );
    // The URL on the line after `const url =`, with only the query from parameters: the
    // service's own call.
    assert_eq!(common::ops_in(&v, "idn.service.ts"), ["GET /v3/sources"]);
}

#[test]
fn request_options_objects_handed_to_any_function() {
    let v = common::calls_json(&dir("options_objects"));
    insta::assert_snapshot!(common::summary(&v));
    // Zapier's z.request with a literal object, one built above, a spread, a URL string.
    assert_eq!(
        common::ops_in(&v, "zapier.js"),
        [
            "GET /v3/sources",
            "POST /beta/roles",
            "DELETE /v2025/roles/{id}",
            "GET /v3/accounts"
        ]
    );
    // Options built above: reported where the URL is written, not where they are passed.
    assert_eq!(common::lines_in(&v, "zapier.js")[1], 10);
    // An in-house client's send({ method, path }), jQuery's type, a spread base.
    assert_eq!(
        common::ops_in(&v, "client.ts"),
        [
            "PATCH /v2025/roles/{id}",
            "POST /v3/search",
            "DELETE /v2025/identities/{id}"
        ]
    );
    // Loggers, stores, serialisers, test matchers, data without a method: nothing.
    common::assert_no_calls(&v, "negatives.ts");
}

#[test]
fn same_named_helpers_are_told_apart_by_receiver_class_and_package() {
    let v = common::calls_json(&dir("same_named_helpers"));
    insta::assert_snapshot!(common::summary(&v));
    // `IscClient.get(...)` is the tenant helper's; `weather.get(...)` (declared
    // `WeatherClient`) is the weather helper's, whose host is not the tenant: nothing. A
    // receiver of a type no helper belongs to keeps every `get` as a candidate (fail closed).
    assert_eq!(
        common::ops_in(&v, "java/Sync.java"),
        ["GET /v3/sources", "GET /v2025/identities"]
    );
    assert_eq!(common::lines_in(&v, "java/Sync.java"), [10, 13]);
    // C#: a static call on the other class is not a library `GetAsync` on an HttpClient either.
    assert_eq!(common::ops_in(&v, "csharp/Jobs.cs"), ["GET /v3/roles"]);
    // Go: the same type name in two packages; `c.do` reaches its own package's method.
    assert_eq!(
        common::ops_in(&v, "go/isc/client.go"),
        ["GET /v3/transforms"]
    );
    common::assert_no_calls(&v, "go/weather/client.go");
}

#[test]
fn branch_candidates_are_reported_at_their_own_literals_with_the_request_related() {
    let d = dir("branch_candidates");
    let v = common::calls_json(&d);
    insta::assert_snapshot!(common::summary(&v));
    // (line, request_line) of each call of a file.
    let at = |file: &str| -> Vec<(u64, Option<u64>)> {
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["file"] == file)
            .map(|c| (c["line"].as_u64().unwrap(), c["request_line"].as_u64()))
            .collect()
    };
    // if/else, a ternary: each candidate at its literal, the request related.
    assert_eq!(
        at("sync.py"),
        [
            (9, Some(12)),
            (11, Some(12)),
            (16, Some(17)),
            (16, Some(17)),
            (23, None),
            (23, None)
        ]
    );
    // let-then-override in TypeScript; one request per switch case needs no anchoring.
    assert_eq!(
        at("roles.ts"),
        [(3, Some(7)), (5, Some(7)), (13, None), (16, None)]
    );
    // A PowerShell switch feeding a splat.
    assert_eq!(at("Sync.ps1"), [(3, Some(7)), (4, Some(7))]);
    // Without a branch, no request position is written at all.
    assert!(
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| { c.get("request_line").is_some() == c.get("request_column").is_some() })
    );
    // The human listing shows both places.
    let human = common::run(&["calls", &d]);
    assert!(
        human
            .stdout
            .contains("sync.py:9:22  GET    /cc/api/source/list  [http]  (request at 12:25)"),
        "{}",
        human.stdout
    );
    // SARIF: the finding at the literal, the request as a related location.
    let sarif = common::run(&["check", &d, "--format", "sarif"]);
    let s: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    let legacy = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("sync.py"))
                && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
        })
        .expect("a finding at the legacy branch's literal");
    assert_eq!(
        legacy["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
    // JSON report of check: the same pairing.
    let json = common::run(&["check", &d, "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(j["findings"].as_array().unwrap().iter().any(|f| {
        f["location"]["line"] == 9 && f["request"]["line"] == 12 && f["request"]["column"] == 25
    }));
}

#[test]
fn sdk_method_references_count_only_when_called_or_handed_on() {
    let v = common::calls_json(&dir("sdk_method_references"));
    insta::assert_snapshot!(common::summary(&v));
    // Logged or inspected references (`console.log(api.listSourceSubtypes)`,
    // `expect(api.getSource)`, `print(api.list_sources)`, `logger.info(api.get_source)`) and a
    // project method named like the SDK's (`treeManager.aggregateEntitlements`): nothing.
    // Calls, a reference given to a paginator or to any other function: calls.
    assert_eq!(common::lines_in(&v, "sources.ts"), [11, 12, 13, 15]);
    assert_eq!(common::lines_in(&v, "sources.py"), [11, 12]);
    assert_eq!(
        common::ops_in(&v, "sources.ts"),
        [
            "GET /v3/sources",
            "GET /v3/sources/{sourceId}/schemas",
            "DELETE /v3/sources/{id}",
            "GET /beta/entitlements"
        ]
    );
}

#[test]
fn powershell_splats_filled_with_add() {
    let v = common::calls_json(&dir("powershell_splat_add"));
    insta::assert_snapshot!(common::summary(&v));
    // `$Splat.Add('Uri', …)` / `.Add('Method', …)` before `Invoke-RestMethod @Splat`: the call
    // at the URL's entry, its method from the hashtable literal or the `.Add`; a hashtable
    // filled the same way but never splatted into a request is not a call.
    assert_eq!(
        common::ops_in(&v, "IscTools.ps1"),
        ["GET /v3/sources", "DELETE /v3/roles/{id}"]
    );
    assert_eq!(common::lines_in(&v, "IscTools.ps1"), [3, 11]);
}

/// Issue 9, section 0: per language, a client helper in one file whose request method takes
/// the path (and the method, and an API version with a default), called from other files
/// directly, through a field or attribute holding the client or its bound method, through a
/// local alias, with the default version and overriding it; a helper whose base URL comes from
/// a secret store (resolved through its callers' versioned paths, and unresolved — never
/// dropped — where the path is not known); the same helper shape on a non-ISC host and
/// dictionary lookups: nothing. Expectations written from the fixtures.
///
/// Not followed (so absent from the table, each a line of its fixture): PowerShell's alias
/// `isc` made with `Set-Alias` (Sync.ps1:8) and a function held in a variable and called with
/// `&` (Sync.ps1:10); a C# local delegate bound to the method (Sync.cs:17; a delegate field
/// is followed).
/// (file, line, "METHOD /path" or "unresolved").
type Expected<'a> = (&'a str, u64, &'a str);

#[test]
fn caller_shapes_across_modules_per_language() {
    // (language, every call of the project).
    let table: &[(&str, &[Expected])] = &[
        (
            "python",
            &[
                ("callers.py", 10, "GET /v3/sources"),
                ("callers.py", 11, "DELETE /beta/roles/{id}"),
                ("callers.py", 12, "POST /v3/transforms"),
                ("callers.py", 17, "GET /v2025/identities"),
                ("callers.py", 18, "GET /v3/accounts"),
                ("vault_callers.py", 5, "GET /v2025/identities/{id}"),
                ("vault_callers.py", 6, "POST /beta/workgroups"),
                ("vault_callers.py", 7, "unresolved"),
            ],
        ),
        (
            "javascript",
            &[
                ("callers.ts", 11, "GET /v3/sources"),
                ("callers.ts", 12, "DELETE /beta/roles/{id}"),
                ("callers.ts", 13, "POST /v3/transforms"),
                ("callers.ts", 19, "GET /v2025/identities"),
                ("callers.ts", 20, "GET /v3/accounts"),
                ("offboard.js", 4, "GET /v2025/identities/{id}"),
                ("offboard.js", 5, "POST /beta/workgroups"),
                ("offboard.js", 6, "unresolved"),
            ],
        ),
        (
            "powershell",
            &[
                ("Offboard.ps1", 5, "GET /v2025/identities/{id}"),
                ("Offboard.ps1", 6, "POST /beta/workgroups"),
                ("Offboard.ps1", 7, "unresolved"),
                ("Sync.ps1", 5, "GET /v3/sources"),
                ("Sync.ps1", 6, "DELETE /beta/roles/{id}"),
                ("Sync.ps1", 7, "POST /v3/transforms"),
            ],
        ),
        (
            "go",
            &[
                ("app/offboard.go", 6, "GET /v2025/identities/{id}"),
                ("app/offboard.go", 7, "POST /beta/workgroups"),
                ("app/offboard.go", 8, "unresolved"),
                ("app/sync.go", 10, "GET /v3/sources"),
                ("app/sync.go", 11, "DELETE /beta/roles/{id}"),
                ("app/sync.go", 12, "POST /v3/transforms"),
                ("app/sync.go", 17, "GET /v3/accounts"),
                ("app/sync.go", 19, "GET /v2025/identities"),
            ],
        ),
        (
            "csharp",
            &[
                ("Offboard.cs", 11, "GET /v2025/identities/{id}"),
                ("Offboard.cs", 12, "POST /beta/workgroups"),
                ("Offboard.cs", 13, "unresolved"),
                ("Sync.cs", 13, "GET /v3/sources"),
                ("Sync.cs", 14, "DELETE /beta/roles/{id}"),
                ("Sync.cs", 15, "POST /v3/transforms"),
                ("Sync.cs", 18, "GET /v3/accounts"),
            ],
        ),
        (
            "java",
            &[
                (
                    "src/main/java/com/acme/app/Offboard.java",
                    11,
                    "GET /v2025/identities/{id}",
                ),
                (
                    "src/main/java/com/acme/app/Offboard.java",
                    12,
                    "GET /beta/workgroups",
                ),
                ("src/main/java/com/acme/app/Offboard.java", 13, "unresolved"),
                (
                    "src/main/java/com/acme/app/Sync.java",
                    12,
                    "GET /v3/sources",
                ),
                (
                    "src/main/java/com/acme/app/Sync.java",
                    13,
                    "DELETE /beta/roles/{id}",
                ),
                (
                    "src/main/java/com/acme/app/Sync.java",
                    14,
                    "POST /v3/transforms",
                ),
                (
                    "src/main/java/com/acme/app/Sync.java",
                    16,
                    "GET /v2025/identities",
                ),
            ],
        ),
    ];
    let mut all = String::new();
    for (lang, want) in table {
        let v = common::calls_json(&dir(&format!("caller_shapes/{lang}")));
        all.push_str(&format!("== {lang}\n{}", common::summary(&v)));
        let got: Vec<(String, u64, String)> = v["calls"]
            .as_array()
            .expect("calls")
            .iter()
            .map(|c| {
                let what = if c["resolved"] == false {
                    // An unresolved call says why.
                    assert!(c["reason"].as_str().is_some_and(|r| !r.is_empty()), "{c}");
                    "unresolved".to_string()
                } else {
                    c["operation"].as_str().unwrap_or("?").to_string()
                };
                (
                    c["file"].as_str().unwrap_or("").to_string(),
                    c["line"].as_u64().unwrap_or(0),
                    what,
                )
            })
            .collect();
        let want: Vec<(String, u64, String)> = want
            .iter()
            .map(|(f, l, w)| (f.to_string(), *l, w.to_string()))
            .collect();
        assert_eq!(got, want, "{lang}");
    }
    insta::assert_snapshot!(all);
}

/// Workflow exports: workflows inside an sp-config envelope (only its WORKFLOW objects) or a
/// page of results; `sp:http` steps nested in a loop, URLs mixing JSONPath templates with a
/// placeholder base (`{{$.defineVariable.baseAPIURL}}`, `%%API_URL%%`, `<tenant>`,
/// `https://TENANT.api...`) routed from their API root (per-API `/xxx/v1` roots too), a legacy
/// `/cc/api` step with a literal id, and a connector-invoke endpoint in no spec reported with
/// its path. Not calls: URL-like keys of forms, sources and built-in actions, prose, other
/// hosts, objects that are not workflows.
#[test]
fn workflow_exports_in_envelopes_with_nested_steps_and_placeholder_bases() {
    let v = common::calls_json(&dir("workflow_exports"));
    insta::assert_snapshot!(common::summary(&v));
    let f = "offboarding.sp-config.json";
    assert_eq!(
        common::ops_in(&v, f),
        [
            "POST /identities/v1/{identity-id}/set-lifecycle-state",
            "POST /search/v1",
            "DELETE /beta/roles/{id}",
            "POST /accounts/v1",
        ]
    );
    let rows: Vec<(u64, String)> = common::calls_in(&v, f)
        .iter()
        .map(|c| {
            (
                c["line"].as_u64().unwrap(),
                c["path"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect();
    // Each call at its step's `url` line; the legacy and connector paths without operation.
    let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, [57, 67, 82, 98, 111, 122]);
    assert!(rows[4].1.starts_with("/cc/api/user/get"), "{rows:?}");
    // The connector-invoke endpoint is in no spec: reported as an unknown endpoint.
    assert_eq!(rows[5].1, "/beta/platform-connectors/{}/invoke");
    let invoke = common::calls_in(&v, f)[5];
    assert!(invoke["operation"].is_null());
    assert!(
        invoke["reason"]
            .as_str()
            .unwrap()
            .contains("not an operation of the catalog")
    );
    // A page of workflows; a `<tenant>` base.
    assert_eq!(
        common::ops_in(&v, "page-of-workflows.json"),
        ["GET /v3/roles"]
    );
    // Transforms and bare `data` without a workflow definition: nothing.
    common::assert_no_calls(&v, "not-a-workflow.json");
}

/// A function whose URL takes its parameters only in the query string
/// (`…/access-request-recommendations?identity-id={id}`) is no request helper: its request is
/// the call site, reported with its path even when the path is in no spec. A function whose
/// path is a parameter (before the query) stays a helper, followed to its callers; and a
/// library call named like a project function (`requests.get(u)` beside `def get(path)`) is
/// not a call of that function.
#[test]
fn query_string_parameters_make_no_helper() {
    let v = common::calls_json(&dir("query_parameters"));
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(common::lines_in(&v, "reports.py"), [8, 12, 20]);
    assert_eq!(common::lines_in(&v, "reports.ts"), [6, 14]);
    let calls = v["calls"].as_array().unwrap();
    assert!(calls.iter().all(|c| c["resolved"] == true), "{calls:?}");
    assert!(
        calls
            .iter()
            .filter(|c| c["line"] == 8 || c["line"] == 6)
            .all(|c| c["path"] == "/beta/access-request-recommendations"),
        "{calls:?}"
    );
    assert_eq!(common::ops_in(&v, "reports.ts"), ["GET /v3/roles"]);
}

/// Issue 9, PowerShell: the tenant and API version held in script scope. A `$script:`
/// hashtable filled by a connect function whose `-Version` defaults to `v3` and that one
/// caller sets to `beta` (both candidates at each caller of the request helper); a getter
/// function returning the base (`$(Get-TenantBase)`); two functions assigning two versions
/// (both candidates). Negatives beside them: a non-ISC base in script scope (no call), a
/// version from a parameter no caller gives a value (unresolved, with its reason).
#[test]
fn powershell_script_scoped_configuration() {
    let v = common::calls_json(&dir("powershell_script_scope"));
    insta::assert_snapshot!(common::summary(&v));
    assert_eq!(
        common::ops_in(&v, "Sync.ps1"),
        [
            "GET /beta/sources",
            "GET /v3/sources",
            "DELETE /beta/access-profiles/{id}",
            "DELETE /v3/access-profiles/{id}"
        ]
    );
    let session = common::ops_in(&v, "Session.ps1");
    assert_eq!(
        session[..3],
        [
            "GET /v2025/roles",
            "GET /beta/workflows",
            "GET /v3/workflows"
        ]
    );
    assert_eq!(common::lines_in(&v, "Session.ps1"), [29, 36, 36, 51]);
    // The non-ISC base (line 42) gives nothing; the unknown version stays unresolved.
    let last = common::calls_in(&v, "Session.ps1")[3];
    assert!(
        last["reason"]
            .as_str()
            .is_some_and(|r| r.contains("`ApiVersion`, which is not known statically")),
        "{last}"
    );
}

#[test]
fn sdk_objects_reached_through_a_clients_object() {
    let v = common::calls_json(&dir("sdk_clients_objects"));
    insta::assert_snapshot!(common::summary(&v));
    // A factory's result (in a local, destructured, in an attribute), a parameter or local
    // typed with an interface of SDK members (a value chosen with `??` and a ternary), the
    // members of a class instance: the per-API 2.x operations.
    assert_eq!(
        common::ops_in(&v, "src/jobs.ts"),
        [
            "GET /accounts/v1",
            "GET /sources/v1/{id}",
            "DELETE /accounts/v1/{id}",
            "DELETE /sources/v1/{id}",
            "POST /accounts/v1",
            "GET /sources/v1",
            "GET /accounts/v1/{id}",
            "GET /accounts/v1"
        ]
    );
    assert_eq!(
        common::lines_in(&v, "src/jobs.ts"),
        [7, 8, 14, 15, 25, 32, 37, 43]
    );
    // A stub cast to the API types (its keys), a project object inside a clients object: none.
    common::assert_no_calls(&v, "src/negatives.ts");
    common::assert_no_calls(&v, "src/factory.ts");
}

#[test]
fn postman_scripts_send_requests_and_rewrite_their_own() {
    let v = common::calls_json(&dir("postman_scripts"));
    insta::assert_snapshot!(common::summary(&v));
    // `pm.sendRequest` with an options object or a URL string (a GET), a host built from
    // `pm.environment` around `.api.` in a file that names ISC; `pm.request.url = …` and
    // `pm.request.url.update(…)` rewrite the collection's request: its method is unknown
    // (the operations the path has), except where the CLI's source shows the only one of
    // an endpoint in no spec (connector invoke: POST).
    let all = lines(&v);
    assert!(
        all.iter()
            .any(|l| l.starts_with("pre-request.js:8:") && l.contains("GET /v2025/sources"))
    );
    assert!(
        all.iter().any(
            |l| l.starts_with("pre-request.js:15:") && l.contains("GET /v2025/identities/{id}")
        )
    );
    assert!(all.iter().any(|l| l.starts_with("pre-request.js:20:")
        && l.contains("POST /beta/platform-connectors/{}/invoke")
        && l.contains("[postman]")));
    assert!(all.iter().any(|l| l.starts_with("pre-request.js:25:")
        && l.contains("unresolved")
        && l.contains("GET /v2025/roles, POST /v2025/roles")));
    assert!(all.iter().any(|l| l.starts_with("unknown-method.js:3:")
        && l.contains("unresolved")
        && l.contains("DELETE /v3/accounts/{id}")));
    // `pm.request.method = "PATCH"` in the script settles it.
    assert_eq!(
        common::ops_in(&v, "set-method.js"),
        ["PATCH /v3/sources/{id}"]
    );
    // Another service's requests, the status page, reading `pm.request.url`: nothing.
    common::assert_no_calls(&v, "negatives.js");
}

#[test]
fn api_consoles_with_a_path_typed_or_picked_in_the_ui_are_unresolved() {
    let v = common::calls_json(&dir("ui_consoles"));
    insta::assert_snapshot!(common::summary(&v));
    // `"https://" + apiUrl + endpoint` and the tenant host glued to a path from a form field,
    // `${data.session.baseUrl}/${chosenPath}` in a Svelte page: unresolved, with where the
    // path comes from.
    let all = lines(&v);
    for at in ["console.js:9:", "console.js:15:", "Courier.svelte:12:"] {
        assert!(
            all.iter().any(|l| l.starts_with(at)
                && l.contains("unresolved")
                && l.contains("whose path comes from")),
            "{at}: {all:#?}"
        );
    }
    // The tenant's UI session and UI page, the page's own host, a webhook, a host whose
    // last part is a domain; a file with no tenant and no API base: nothing.
    assert_eq!(common::lines_in(&v, "console.js"), [9, 15]);
    common::assert_no_calls(&v, "other.js");
}

#[test]
fn helpers_naming_endpoints_in_no_spec_are_the_call_sites() {
    let v = common::calls_json(&dir("unknown_endpoints"));
    insta::assert_snapshot!(common::summary(&v));
    // Parameters filling only segments after a literal one of a path under its API root: the
    // helper's request is the call site (reported with its path, no operation), not its
    // callers, also when the catalog lacks the route or the method.
    let svc = lines(&v);
    for (at, what) in [
        ("isc.service.ts:16:", "GET /beta/managed-clusters/{}/status"),
        (
            "isc.service.ts:21:",
            "POST /v3/identity-profiles/{}/refresh-identities",
        ),
        (
            "isc.service.ts:27:",
            "POST /v3/identity-profiles/{}/lifecycle-states/{}",
        ),
    ] {
        assert!(
            svc.iter()
                .any(|l| l.starts_with(at) && l.contains(what) && !l.contains("unresolved")),
            "{at}: {svc:#?}"
        );
    }
    // The resource (`/v3/${kind}/…`) or the last segment after a parameter
    // (`/beta/sources/${id}/${action}`) from the caller: the callers are the call sites.
    assert_eq!(
        common::ops_in(&v, "callers.ts"),
        [
            "GET /v3/sources/{id}",
            "POST /beta/sources/{sourceId}/load-accounts"
        ]
    );
}

#[test]
fn powershell_helpers_choosing_their_path_by_parameter_set_or_bound_parameters() {
    let v = common::calls_json(&dir("powershell_parameter_sets"));
    insta::assert_snapshot!(common::summary(&v));
    let at = |line| common::ops_at(&v, "Sync.ps1", line);
    // A switch on `$PSCmdlet.ParameterSetName`, the path handed on in a splat: the caller
    // passing `-Id` is in the set that declares it, the others in the default or `-Filter` set.
    assert_eq!(at(2), ["GET /v3/segments/{id}"]);
    assert_eq!(at(3), ["GET /v3/roles"]);
    assert_eq!(at(4), ["GET /v3/roles"]);
    // A splat of a hashtable built in view names its parameters (reported where it does).
    assert_eq!(at(5), ["GET /v3/segments/{id}"]);
    // `if ($PSCmdlet.ParameterSetName -eq 'One') … else …`; a switch declared in another file
    // (`-All`) selects its set.
    assert_eq!(at(7), ["GET /v3/roles/{id}"]);
    assert_eq!(at(8), ["GET /v3/segments"]);
    // `$PSBoundParameters.ContainsKey('Id')`, `if ($ThingId)`, `IsNullOrEmpty` / `elseif
    // ($null -ne …)`: `-ThingId $null` holds no value.
    assert_eq!(at(10), ["GET /v3/access-profiles/{id}"]);
    assert_eq!(at(11), ["GET /v3/access-profiles"]);
    assert_eq!(at(12), ["GET /v3/sources/{id}"]);
    assert_eq!(at(13), ["GET /v3/sources"]);
    assert_eq!(at(14), ["GET /v3/sources"]);
    assert_eq!(at(15), ["GET /v3/campaigns/{id}"]);
    assert_eq!(at(16), ["GET /v3/campaigns"]);
    // Arguments that cannot be listed (`@args`): every candidate, never one picked.
    assert_eq!(at(20), ["GET /v3/roles", "GET /v3/roles/{id}"]);
    // Help examples and comments: nothing; the helpers' own requests are their callers'.
    assert_eq!(common::lines_in(&v, "Sync.ps1").last(), Some(&20));
    common::assert_no_calls(&v, "Get-IscItem.ps1");
    common::assert_no_calls(&v, "Invoke-IscRest.ps1");
    // A request made in the function itself, on a URL chosen by its parameter: both are its
    // calls, reported there.
    assert_eq!(
        common::ops_at(&v, "Get-IscAccess.ps1", 38),
        ["GET /v3/sources", "GET /v3/sources/{id}"]
    );
}

#[test]
fn statements_after_a_bracket_nothing_closes_are_still_read() {
    let v = common::calls_json(&dir("unclosed_brackets"));
    insta::assert_snapshot!(common::summary(&v));
    // Notes with half a `param (` block: the legacy URLs held in variables, each sent on the
    // next line, are found with their paths.
    assert_eq!(
        common::ops_at(&v, "notes.ps1", 13),
        ["GET /v2/accounts/{} (no operation)"]
    );
    assert_eq!(
        common::ops_at(&v, "notes.ps1", 17),
        ["GET /cc/api/source/list (no operation)"]
    );
    // GitHub and the status page have `/v2/` paths too: not ISC.
    assert_eq!(common::lines_in(&v, "notes.ps1"), [13, 17]);
    // A Python call left open: the functions after it are still read.
    assert_eq!(
        common::ops_in(&v, "truncated.py"),
        ["GET /v3/sources", "GET /v3/roles"]
    );
}

#[test]
fn a_helper_request_whose_resource_is_a_parameter_nobody_fills_is_unresolved() {
    let v = common::calls_json(&dir("helper_parameter_holes"));
    insta::assert_snapshot!(common::summary(&v));
    let unresolved: Vec<u64> = common::calls_in(&v, "util.py")
        .into_iter()
        .filter(|c| c["resolved"] == false)
        .map(|c| c["line"].as_u64().unwrap_or(0))
        .collect();
    // Both branches of `get_obj` (by id, and the list with its query string), and the second
    // request of `copy_obj` (its function is a helper already, followed at its first request):
    // a hole where the resource goes is no `/beta/{}` path routed to whatever matches.
    assert_eq!(unresolved, [11, 14, 22]);
    // Positives: the first request of `copy_obj` at its caller, a parameter only in the query
    // string, a literal path.
    assert_eq!(
        common::ops_in(&v, "util.py"),
        [
            "GET /v3/accounts",
            "GET /beta/tenant",
            "GET /beta/roles/{id}"
        ]
    );
}

#[test]
fn powershell_helpers_called_through_an_alias_or_a_command_variable() {
    let v = common::calls_json(&dir("powershell_renamed_commands"));
    insta::assert_snapshot!(common::summary(&v));
    // `Set-Alias -Name isc -Value …`, `New-Alias iscp …`, `& $send` after `Get-Command …`,
    // `& Invoke-MyRest`.
    assert_eq!(
        common::ops_in(&v, "Rest.ps1"),
        [
            "GET /v3/sources",
            "POST /v3/roles",
            "GET /v3/accounts",
            "GET /v3/segments"
        ]
    );
    // Text naming the alias, an alias or variable of another command: nothing.
    assert_eq!(common::lines_in(&v, "Rest.ps1"), [11, 12, 13, 14]);
}

#[test]
fn a_declared_field_no_code_of_its_class_assigns_is_not_another_class_field() {
    let v = common::calls_json(&dir("class_fields"));
    insta::assert_snapshot!(common::summary(&v));
    let all = lines(&v);
    // The drop-down's field: unresolved, with where the path comes from — not the filter
    // label another component assigns to its own field of the same name.
    assert!(
        all.iter()
            .any(|l| l.starts_with("raw-object.component.ts:10:")
                && l.contains("unresolved")
                && l.contains("this.selectedType")),
        "{all:#?}"
    );
    assert!(!all.iter().any(|l| l.contains("Equal")), "{all:#?}");
    // A declared field its own constructor sets keeps that value.
    assert!(
        all.iter()
            .any(|l| l.starts_with("roles.component.ts:10:") && l.contains("GET /v3/roles")),
        "{all:#?}"
    );
    // A field the subclass does not declare is its base class's.
    assert!(
        all.iter()
            .any(|l| l.starts_with("sources.component.ts:3:") && l.contains("GET /v3/sources")),
        "{all:#?}"
    );
}
