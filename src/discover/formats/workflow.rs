//! ISC workflow exports: the JSON of a workflow as exported from ISC Workflows or returned by
//! the workflows API (`{"name", "definition": {"start", "steps": {...}}, "trigger"}`), a list
//! of them, a bare definition (`{"start", "steps"}`), or workflows inside an envelope: an
//! sp-config export (`{"version", "objects": [{"self": {"type": "WORKFLOW"}, "object": ...}]}`,
//! as written by `sail spconfig export` and the VS Code extension) or a page of results
//! (`items`, `data`, `workflows`).
//!
//! Only HTTP Request steps (`"actionId": "sp:http"`) are calls made with the workflow's
//! credential; built-in actions (`sp:get-identity`, `sp:send-email`, ...) run as the workflow
//! service and are not reported. Steps are found at any depth of the definition (loops and
//! other containers hold their own `steps`), but never inside an HTTP step's attributes (a
//! request body may carry JSON that looks like a workflow).
//!
//! Per step: `attributes.method` (any case; missing means GET, the action's default) and
//! `attributes.url`. JSONPath templates (`{{$.trigger.tenant}}`, `{{$.getSource.id}}`) fill a
//! host or a path parameter. A URL that is only an expression (`{{$.getUrl.value}}`, or the
//! `url.$` form) is [`Target::Unknown`] with a reason; a method given by an expression leaves
//! the method unknown. Non-ISC hosts are dropped; `/oauth/token` is [`Via::Auth`].
//! `attributes.requestHeaders` tells whether `X-SailPoint-Experimental: true` is sent.

use super::json::{self, Node, Value};
use super::{MASK, is_experimental_header, is_true, mask_placeholders, url_call};
use crate::catalog::Method;
use crate::discover::call::{RawCall, Target, Via};

/// The HTTP calls of a workflow export; `None` if the text is not a workflow export (or not
/// JSON).
pub fn scan(text: &str) -> Option<Vec<RawCall>> {
    scan_node(&json::parse(text)?)
}

pub(super) fn scan_node(root: &Node) -> Option<Vec<RawCall>> {
    let mut defs: Vec<&Node> = Vec::new();
    definitions(root, 0, &mut defs);
    if defs.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for d in defs {
        walk(d, &mut out);
    }
    Some(out)
}

/// Envelopes that carry workflows, this many levels deep at most: a list, an sp-config export
/// (`{"objects": [{"self": {...}, "object": <workflow>}]}`), a page of results (`items`,
/// `data`, `workflows`) or a single `workflow`/`object`.
const MAX_ENVELOPE_DEPTH: usize = 4;

/// Members of an envelope object that may hold workflows.
const ENVELOPE_KEYS: &[&str] = &[
    "objects",
    "object",
    "workflows",
    "workflow",
    "items",
    "data",
];

/// The workflow definitions of `n`: its own, or those of the envelopes it is (a list, an
/// sp-config export, ...). Objects of other types in an sp-config export (forms, sources,
/// transforms) have no definition with steps and are skipped.
fn definitions<'n>(n: &'n Node, depth: usize, out: &mut Vec<&'n Node>) {
    if depth > MAX_ENVELOPE_DEPTH {
        return;
    }
    match &n.value {
        Value::Array(items) => items.iter().for_each(|i| definitions(i, depth + 1, out)),
        Value::Object(members) => {
            if let Some(d) = definition(n) {
                out.push(d);
                return;
            }
            // An sp-config entry names its type: only WORKFLOW objects are read.
            let typed = n
                .get("self")
                .and_then(|s| s.str_at("type"))
                .is_some_and(|t| !t.trim().eq_ignore_ascii_case("workflow"));
            if typed {
                return;
            }
            for (k, v) in members {
                if ENVELOPE_KEYS.iter().any(|e| k.eq_ignore_ascii_case(e)) {
                    definitions(v, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// The definition of a workflow object, or the object itself if it is a bare definition.
fn definition(n: &Node) -> Option<&Node> {
    let has_steps = |d: &Node| d.get("steps").and_then(Node::as_object).is_some();
    match n.get("definition") {
        Some(d) if has_steps(d) => Some(d),
        Some(_) => None,
        None => (has_steps(n) && n.str_at("start").is_some()).then_some(n),
    }
}

fn walk(n: &Node, out: &mut Vec<RawCall>) {
    match &n.value {
        Value::Object(members) => {
            let action = n.str_at("actionId");
            if action.is_some_and(|a| a.trim().eq_ignore_ascii_case("sp:http")) {
                out.extend(http_step(n));
                return;
            }
            for (_, v) in members {
                walk(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

/// Whether a workflow value is an expression rather than a literal: `$.x.y`, or only
/// `{{...}}` templates.
fn is_expression(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("$.")
        || s == "$"
        || (!s.is_empty() && mask_placeholders(s).chars().all(|c| c == MASK))
}

/// The call of an HTTP Request step; `None` when it targets a host that is not ISC.
fn http_step(step: &Node) -> Option<RawCall> {
    let step_at = step.get("actionId").map_or(step.start, |a| a.start);
    let Some(attrs) = step.get("attributes").filter(|a| a.as_object().is_some()) else {
        return Some(
            RawCall::new(step_at, None, Target::Unknown, Via::Workflow)
                .with_reason("HTTP Request step without attributes"),
        );
    };
    let headers = experimental(attrs);
    let method = match (attrs.get("method"), attrs.get("method.$")) {
        (Some(m), _) => m.as_str().and_then(|m| {
            if is_expression(m) {
                None
            } else {
                Method::parse(m.trim())
            }
        }),
        (None, Some(_)) => None,
        (None, None) => Some(Method::Get),
    };
    let (url, at) = match (attrs.get("url"), attrs.get("url.$")) {
        (Some(u), _) => (u.as_str(), u.start),
        (None, Some(u)) => {
            let expr = u.as_str().unwrap_or("");
            let mut c = RawCall::new(u.start, method, Target::Unknown, Via::Workflow).with_reason(
                format!("the url is given by the JSONPath expression `{expr}`"),
            );
            c.experimental_header = headers;
            return Some(c);
        }
        (None, None) => (None, step_at),
    };
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        return Some(
            RawCall::new(at, method, Target::Unknown, Via::Workflow)
                .with_reason("HTTP Request step without a url"),
        );
    };
    if is_expression(url) {
        let mut c = RawCall::new(at, method, Target::Unknown, Via::Workflow).with_reason(format!(
            "the url is given by the JSONPath expression `{}`",
            url.trim()
        ));
        c.experimental_header = headers;
        return Some(c);
    }
    url_call(at, method, &from_api_root(url), Via::Workflow, headers)
}

/// A URL without a host whose base is not a path (`%%API_URL%%/beta/roles/x`,
/// `TENANT_URL/v3/search`, `{{$.defineVariable.base}}/identities/v1`), cut to start at its
/// first API root: a version root (`v3`, `beta`, `v2`, `v2024`, ...), `cc/api`, or a per-API
/// root (`identities/v1`). Whatever stands before is the tenant's base, never part of the
/// path. Other URLs are returned as they are.
fn from_api_root(url: &str) -> String {
    let url = super::normalize_templates(url.trim());
    if url.starts_with('/') || super::url_host(&url).is_some() {
        return url;
    }
    let segs: Vec<&str> = url.split('/').collect();
    let is_root = |k: usize| {
        let s = segs[k].to_ascii_lowercase();
        let next = segs.get(k + 1).map(|n| n.to_ascii_lowercase());
        let version = s == "v3"
            || s == "beta"
            || s == "v2"
            || (s.len() == 5 && s.starts_with("v20") && s[1..].bytes().all(|b| b.is_ascii_digit()));
        let per_api = next.as_deref() == Some("v1")
            && !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        version || per_api || (s == "cc" && next.as_deref() == Some("api"))
    };
    match (1..segs.len()).find(|&k| is_root(k)) {
        Some(k) => format!("/{}", segs[k..].join("/")),
        None => url,
    }
}

/// `X-SailPoint-Experimental` in `requestHeaders`: `None` when the headers are an expression
/// or the value is one.
fn experimental(attrs: &Node) -> Option<bool> {
    let Some(h) = attrs.get("requestHeaders") else {
        return if attrs.get("requestHeaders.$").is_some() {
            None
        } else {
            Some(false)
        };
    };
    let members = match &h.value {
        Value::Object(m) => m,
        Value::Null => return Some(false),
        _ => return None,
    };
    for (k, v) in members {
        if is_experimental_header(k.trim_end_matches(".$")) {
            return match &v.value {
                Value::Bool(b) => Some(*b),
                Value::Str(s) if k.ends_with(".$") || is_expression(s) => None,
                Value::Str(s) => Some(is_true(s)),
                _ => Some(false),
            };
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::from_api_root;

    #[test]
    fn bases_before_the_api_root_are_cut() {
        for (url, want) in [
            (
                "%%API_URL%%/beta/roles/{{$.x.id}}",
                "/beta/roles/{{$.x.id}}",
            ),
            ("TENANT_URL/v3/search", "/v3/search"),
            ("<tenant>/v2025/identities", "/v2025/identities"),
            (
                "{{$.d.base}}/identities/v1/{{$.i}}/x",
                "/identities/v1/{{$.i}}/x",
            ),
            ("%%ORG%%/cc/api/user/get", "/cc/api/user/get"),
            // Unchanged: a path, a host, nothing that is a root.
            ("/v3/sources", "/v3/sources"),
            (
                "https://a.api.identitynow.com/v3/x",
                "https://a.api.identitynow.com/v3/x",
            ),
            ("sources/v1", "sources/v1"),
            ("%%API_URL%%/hooks/x", "%%API_URL%%/hooks/x"),
        ] {
            assert_eq!(from_api_root(url), want, "{url}");
        }
    }
}
