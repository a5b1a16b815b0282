//! ISC workflow exports: the JSON of a workflow as exported from ISC Workflows or returned by
//! the workflows API (`{"name", "definition": {"start", "steps": {...}}, "trigger"}`), a list
//! of them, or a bare definition (`{"start", "steps"}`).
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
    let defs: Vec<&Node> = match &root.value {
        Value::Array(items) => items.iter().filter_map(definition).collect(),
        Value::Object(_) => definition(root).into_iter().collect(),
        _ => Vec::new(),
    };
    if defs.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for d in defs {
        walk(d, &mut out);
    }
    Some(out)
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
    url_call(at, method, url, Via::Workflow, headers)
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
