//! The structured-format front-ends (ISC workflow exports, Postman collections, `.http` /
//! `.rest` files) on realistic fixtures: the routed calls are snapshotted, and the cases that
//! must yield nothing (built-in workflow actions, saved Postman examples, non-ISC hosts,
//! commented-out requests, request bodies, bad JSON) are asserted directly.

use isc_scope_lint::catalog::Catalog;
use isc_scope_lint::discover::formats::{self, httpfile, postman, workflow};
use isc_scope_lint::discover::{FileKind, FoundCall, RawCall, SourceFile, Target, Via, resolve};
use serde_json::{Value, json};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/discover/formats/"
);

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).expect("fixture")
}

fn routed(name: &str, kind: FileKind, text: &str, raws: Vec<RawCall>) -> Vec<FoundCall> {
    let file = SourceFile {
        rel: name.to_string(),
        kind,
        text: text.to_string(),
    };
    resolve(Catalog::embedded(), &file, raws)
}

/// The routed calls as JSON, with the experimental header (which `FoundCall` does not
/// serialise) and the source line the call points at, so a wrong offset shows in review.
fn snapshot_value(text: &str, found: &[FoundCall]) -> Value {
    let lines: Vec<&str> = text.lines().collect();
    Value::Array(
        found
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).unwrap();
                let o = v.as_object_mut().unwrap();
                o.insert("experimental_header".into(), json!(f.experimental_header));
                let line = lines[f.line - 1];
                let at: String = line.chars().skip(f.column - 1).take(90).collect();
                o.insert("at".into(), json!(at));
                v
            })
            .collect(),
    )
}

/// Lines (1-based) whose text contains `needle`.
fn lines_with(text: &str, needle: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Every offset of a JSON front-end is inside a string literal (right after its quote), and
/// no two calls share one.
fn assert_offsets_on_strings(text: &str, raws: &[RawCall]) {
    let mut seen = std::collections::HashSet::new();
    for r in raws {
        assert!(seen.insert(r.offset), "two calls at offset {}", r.offset);
        assert_eq!(
            &text[r.offset - 1..r.offset],
            "\"",
            "offset {} is not the start of a string: {:?}",
            r.offset,
            &text[r.offset..(r.offset + 40).min(text.len())]
        );
    }
}

// ---- workflows -------------------------------------------------------------------------

#[test]
fn workflow_export() {
    let text = fixture("workflow-export.json");
    let raws = workflow::scan(&text).expect("a workflow export");
    assert_offsets_on_strings(&text, &raws);
    assert_eq!(formats::scan_json(&text), raws);
    let found = routed("workflow-export.json", FileKind::Json, &text, raws);
    insta::assert_json_snapshot!("workflow_export", snapshot_value(&text, &found));
}

#[test]
fn workflow_reports_only_isc_http_steps() {
    let text = fixture("workflow-export.json");
    let raws = workflow::scan(&text).unwrap();
    let found = routed("w.json", FileKind::Json, &text, raws.clone());
    let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
    // The Slack step, built-in actions (their attributes even hold an ISC URL), and the
    // workflow carried in a request body are not calls.
    for needle in [
        "hooks.slack.com",
        "sp:send-email",
        "are disabled: https://acme.api.identitynow.com",
        "/v3/sources/{{$.trigger.sourceId}}",
        "oAuthTokenUrl",
    ] {
        for l in lines_with(&text, needle) {
            assert!(!lines.contains(&l), "a call on line {l} ({needle})");
        }
    }
    // Seven sp:http steps, one to Slack, one inside another step's body.
    let http_steps = text.matches("\"sp:http\"").count();
    assert_eq!(http_steps, 8);
    assert_eq!(raws.len(), 6);
    // The token step, the loop's step, the default method, the header, the dynamic url.
    assert_eq!(raws.iter().filter(|r| r.via == Via::Auth).count(), 1);
    assert!(found.iter().any(|f| {
        f.operation.as_deref() == Some("POST /v3/accounts/{id}/disable") && f.resolved
    }));
    let status = found
        .iter()
        .find(|f| f.operation.as_deref() == Some("GET /v2025/task-status/{id}"))
        .expect("missing method means GET");
    assert_eq!(status.experimental_header, Some(true));
    let dynamic: Vec<&RawCall> = raws
        .iter()
        .filter(|r| r.target == Target::Unknown)
        .collect();
    assert_eq!(dynamic.len(), 1);
    assert!(dynamic[0].reason.as_deref().unwrap().contains("JSONPath"));
}

#[test]
fn workflow_list_with_duplicated_urls() {
    let text = fixture("workflows-list.json");
    let raws = workflow::scan(&text).expect("a list of workflows");
    assert_offsets_on_strings(&text, &raws);
    let url = "https://acme.api.identitynow.com/v3/sources?limit=250";
    let occurrences: Vec<usize> = text.match_indices(url).map(|(i, _)| i).collect();
    assert_eq!(occurrences.len(), 2);
    let mut at: Vec<usize> = raws
        .iter()
        .filter(|r| r.target == Target::Url(url.into()))
        .map(|r| r.offset)
        .collect();
    at.sort();
    assert_eq!(at, occurrences, "each step maps to its own occurrence");
    let found = routed("workflows-list.json", FileKind::Json, &text, raws);
    insta::assert_json_snapshot!("workflows_list", snapshot_value(&text, &found));
}

#[test]
fn workflow_negatives() {
    let builtins = r#"{"name": "w", "definition": {"start": "a", "steps": {
        "a": {"actionId": "sp:get-identity", "attributes": {"id.$": "$.trigger.id"}, "nextStep": "b", "type": "action"},
        "b": {"actionId": "sp:create-campaign", "attributes": {"url": "https://acme.api.identitynow.com/v3/campaigns"}, "nextStep": "c", "type": "action"},
        "c": {"actionId": "sp:http", "attributes": {"method": "get", "url": "https://example.com/v3/sources"}, "nextStep": "d", "type": "action"},
        "d": {"actionId": "sp:http", "attributes": {"url": "http://localhost:8080/v3/sources"}, "type": "action"}
    }}}"#;
    assert_eq!(workflow::scan(builtins), Some(vec![]));
    assert_eq!(formats::scan_json(builtins), vec![]);
    // Not a workflow: None (and scan_json finds nothing).
    for text in [
        "{}",
        "[]",
        "[1, 2]",
        r#"{"definition": {"steps": []}}"#,
        r#"{"steps": {"a": {"actionId": "sp:http", "attributes": {"url": "/v3/sources"}}}}"#,
        "not json",
        r#"{"name": "w", "definition": {"start": "a", "steps": {"#,
        "",
    ] {
        assert_eq!(workflow::scan(text), None, "{text}");
        assert!(formats::scan_json(text).is_empty(), "{text}");
    }
    // A bare definition is a workflow; an uppercase method; an unknown method.
    let bare = r#"{"start": "a", "steps": {"a": {"actionId": "sp:http", "attributes": {"method": "DELETE", "url": "{{$.trigger.base}}/v3/roles/{{$.trigger.id}}"}}, "b": {"actionId": "sp:http", "attributes": {"method": "FETCH", "url": "/v3/roles"}}}}"#;
    let raws = workflow::scan(bare).unwrap();
    assert_eq!(raws.len(), 2);
    assert_eq!(
        raws[0].method,
        Some(isc_scope_lint::catalog::Method::Delete)
    );
    assert_eq!(raws[1].method, None);
}

// ---- Postman ---------------------------------------------------------------------------

#[test]
fn postman_v21_collection() {
    let text = fixture("isc.postman_collection.json");
    let raws = postman::scan(&text).expect("a collection");
    assert_eq!(formats::scan_json(&text), raws);
    // Offsets are on strings, except the url object without `raw`.
    let is_object = |r: &&RawCall| {
        &text[r.offset - 1..r.offset + 1] != "\"{" && text[r.offset..].starts_with('{')
    };
    assert_eq!(raws.iter().filter(is_object).count(), 1);
    let strings: Vec<RawCall> = raws.iter().filter(|r| !is_object(r)).cloned().collect();
    assert_offsets_on_strings(&text, &strings);
    let found = routed(
        "isc.postman_collection.json",
        FileKind::Json,
        &text,
        raws.clone(),
    );
    insta::assert_json_snapshot!("postman_v21", snapshot_value(&text, &found));
}

#[test]
fn postman_skips_examples_and_other_hosts() {
    let text = fixture("isc.postman_collection.json");
    let raws = postman::scan(&text).unwrap();
    // Each call is the url of a `request`, never of a saved example's `originalRequest`.
    for r in &raws {
        let before = &text[..r.offset];
        let req = before.rfind("\"request\"").expect("inside a request");
        let example = before.rfind("\"originalRequest\"");
        assert!(
            example.is_none_or(|e| e < req),
            "offset {} in an example",
            r.offset
        );
    }
    // The example's DELETE is not reported; GitHub and Slack (a defined variable) neither.
    assert!(
        raws.iter()
            .all(|r| r.method != Some(isc_scope_lint::catalog::Method::Delete))
    );
    let found = routed("c.json", FileKind::Json, &text, raws.clone());
    let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
    for needle in [
        "api.github.com",
        "\"raw\": \"{{slackHook}}\"",
        "originalRequest",
    ] {
        for l in lines_with(&text, needle) {
            assert!(!lines.contains(&l), "a call on line {l} ({needle})");
        }
    }
    // Twelve requests in the collection, two of them not ISC.
    assert_eq!(raws.len(), 10);
    assert_eq!(raws.iter().filter(|r| r.via == Via::Auth).count(), 1);
    // `{{baseUrl}}` was completed from the collection variables.
    assert!(raws.iter().any(|r| matches!(&r.target,
        Target::Url(u) if u == "https://{{tenant}}.api.identitynow.com/v3/sources?limit=250&offset=0")));
    // The same raw URL in the example and the request: the request's occurrence.
    let raw = "{{baseUrl}}/sources?limit=250&offset=0";
    let first = text.find(raw).unwrap();
    assert!(raws.iter().any(|r| r.offset == first));
    assert!(!raws.iter().any(|r| r.offset == text.rfind(raw).unwrap()));
}

#[test]
fn postman_v20_collection() {
    let text = fixture("legacy-v2.0.postman_collection.json");
    let raws = postman::scan(&text).expect("a v2.0 collection");
    assert_offsets_on_strings(&text, &raws);
    assert_eq!(raws.len(), 3, "postman-echo is not ISC");
    let found = routed(
        "legacy-v2.0.postman_collection.json",
        FileKind::Json,
        &text,
        raws,
    );
    insta::assert_json_snapshot!("postman_v20", snapshot_value(&text, &found));
}

#[test]
fn postman_negatives() {
    let text = fixture("broken.postman_collection.json");
    assert_eq!(postman::scan(&text), None);
    assert!(formats::scan_json(&text).is_empty());
    let text = fixture("not-a-collection.json");
    assert_eq!(postman::scan(&text), None);
    assert_eq!(workflow::scan(&text), None);
    assert!(formats::scan_json(&text).is_empty());
    // Examples only, and a request without a url: nothing.
    let only_examples = r#"{"info": {"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "x", "request": {"method": "GET", "header": []},
                  "response": [{"originalRequest": {"method": "GET", "url": "https://acme.api.identitynow.com/v3/sources"}}]}]}"#;
    assert_eq!(postman::scan(only_examples), Some(vec![]));
    // The Postman API wrapper.
    let wrapped = r#"{"collection": {"info": {"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"request": {"url": "{{baseUrl}}/v3/sources"}}]}}"#;
    let raws = postman::scan(wrapped).unwrap();
    assert_eq!(raws.len(), 1);
    assert_eq!(raws[0].method, Some(isc_scope_lint::catalog::Method::Get));
    assert_eq!(&wrapped[raws[0].offset..raws[0].offset + 11], "{{baseUrl}}");
}

// ---- .http / .rest ---------------------------------------------------------------------

/// Every call is on a request line: the line starts with a method or the URL itself.
fn assert_on_request_lines(text: &str, raws: &[RawCall]) {
    for r in raws {
        let line_start = text[..r.offset].rfind('\n').map_or(0, |i| i + 1);
        let head = text[line_start..r.offset].trim();
        assert!(
            head.is_empty() || isc_scope_lint::catalog::Method::parse(head).is_some(),
            "not a request line: {:?}",
            &text[line_start..r.offset + 20]
        );
        let line_end = text[r.offset..]
            .find('\n')
            .map_or(text.len(), |i| r.offset + i);
        assert!(!text[r.offset..line_end].starts_with(char::is_whitespace));
    }
}

#[test]
fn http_file() {
    let text = fixture("isc.http");
    let raws = httpfile::scan(&text);
    assert_on_request_lines(&text, &raws);
    let found = routed("isc.http", FileKind::HttpFile, &text, raws.clone());
    // Commented-out requests and body lines are not calls; GitHub is not ISC.
    let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
    for needle in [
        "# DELETE",
        "// PATCH",
        "GET https://acme.api.identitynow.com/v3/identities",
        "DELETE {{baseUrl}}/v3/transforms/1",
        "api.github.com",
    ] {
        for l in lines_with(&text, needle) {
            assert!(!lines.contains(&l), "a call on line {l} ({needle})");
        }
    }
    assert_eq!(raws.len(), 5);
    // File variables are substituted; the continuation lines join the URL.
    assert_eq!(
        raws[1].target,
        Target::Url(
            "https://{{tenant}}.api.identitynow.com/v3/sources?limit=50&filters=name sw \"AD\""
                .into()
        )
    );
    insta::assert_json_snapshot!("http_file", snapshot_value(&text, &found));
}

#[test]
fn rest_file() {
    let text = fixture("accounts.rest");
    let raws = httpfile::scan(&text);
    assert_on_request_lines(&text, &raws);
    assert_eq!(raws.len(), 5, "graph.microsoft.com is not ISC");
    let found = routed("accounts.rest", FileKind::HttpFile, &text, raws);
    let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
    for needle in [
        "\"value\": \"GET {{host}}",
        "// GET {{host}}",
        "graph.microsoft",
    ] {
        for l in lines_with(&text, needle) {
            assert!(!lines.contains(&l), "a call on line {l} ({needle})");
        }
    }
    insta::assert_json_snapshot!("rest_file", snapshot_value(&text, &found));
}

#[test]
fn http_file_edge_cases() {
    // Nothing but comments, variables and separators.
    assert!(httpfile::scan("").is_empty());
    assert!(httpfile::scan("# GET /v3/sources\n@a = b\n###\n// POST /v3/search\n###\n").is_empty());
    // A body without a `###` before the next request line is still body.
    let t = "POST /v3/search\nContent-Type: application/json\n\n{}\nGET /v3/sources\n";
    assert_eq!(httpfile::scan(t).len(), 1);
    // CRLF line ends, lowercase method, `HTTP/2`, an offset on the URL.
    let t = "###\r\nget  https://acme.api.identitynow.com/v3/sources HTTP/2\r\naccept: */*\r\n";
    let raws = httpfile::scan(t);
    assert_eq!(raws.len(), 1);
    assert_eq!(raws[0].method, Some(isc_scope_lint::catalog::Method::Get));
    assert_eq!(&t[raws[0].offset..raws[0].offset + 8], "https://");
    assert_eq!(
        raws[0].target,
        Target::Url("https://acme.api.identitynow.com/v3/sources".into())
    );
    assert_eq!(raws[0].experimental_header, Some(false));
    // An experimental header given by an undefined variable is not known.
    let t = "GET /v2025/identities\nX-SailPoint-Experimental: {{exp}}\n";
    assert_eq!(httpfile::scan(t)[0].experimental_header, None);
    // Not a request line: prose without a method, a method without a URL.
    assert!(httpfile::scan("Sources of the tenant\nGET\n").is_empty());
}

// ---- robustness ------------------------------------------------------------------------

#[test]
fn truncated_and_mismatched_inputs_do_not_panic() {
    for name in [
        "workflow-export.json",
        "workflows-list.json",
        "isc.postman_collection.json",
        "legacy-v2.0.postman_collection.json",
        "isc.http",
        "accounts.rest",
    ] {
        let text = fixture(name);
        // Every cut of the file (on char boundaries, every 7th byte): no panic; JSON cut
        // short is not JSON.
        for n in (0..text.len()).step_by(7) {
            let Some(cut) = text.get(..n) else { continue };
            let json = formats::scan_json(cut);
            if name.ends_with(".json") && cut.trim_end() != text.trim_end() {
                assert!(json.is_empty(), "{name} cut at {n}");
            }
            let _ = httpfile::scan(cut);
        }
    }
    // A `.http` file read as JSON, and the reverse.
    assert!(formats::scan_json(&fixture("isc.http")).is_empty());
    let _ = httpfile::scan(&fixture("isc.postman_collection.json"));
}

#[test]
fn large_collection_maps_duplicates_to_their_own_items() {
    let n = 5000;
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name": "r{i}", "request": {{"method": "GET", "url": "{{{{baseUrl}}}}/v3/sources"}}, "response": [{{"originalRequest": {{"url": "{{{{baseUrl}}}}/v3/sources"}}}}]}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"info": {{"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}}, "item": [{}]}}"#,
        items.join(",\n")
    );
    let raws = postman::scan(&text).unwrap();
    assert_eq!(raws.len(), n);
    assert_offsets_on_strings(&text, &raws);
    // The i-th call is on the i-th line, first of the two occurrences there.
    let found = routed("big.json", FileKind::Json, &text, raws);
    for (i, f) in found.iter().enumerate() {
        assert_eq!(f.line, i + 1);
        assert_eq!(f.operation.as_deref(), Some("GET /v3/sources"));
    }
}
