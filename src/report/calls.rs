//! The `calls` listing: every call the finder saw, for people and as JSON.

use super::redact::redact_opt;
use crate::discover::{Discovery, FoundCall};
use std::fmt::Write as _;

/// The calls as shown: paths and reasons with anything like a credential redacted.
fn shown(d: &Discovery) -> Vec<FoundCall> {
    d.calls
        .iter()
        .map(|c| FoundCall {
            path: redact_opt(&c.path),
            reason: redact_opt(&c.reason),
            ..c.clone()
        })
        .collect()
}

/// `{"calls":[...]}` (plus the warnings of the walk).
pub fn json(d: &Discovery) -> String {
    let v = serde_json::json!({
        "calls": shown(d),
        "warnings": d.warnings,
    });
    serde_json::to_string_pretty(&v).expect("serialises") + "\n"
}

/// One line per call: `file:line:col  METHOD  operation-or-path  via  [reason]`.
/// The one counting rule of every command: a call is a request site to the ISC API; token
/// requests (`via: auth`, `POST /oauth/token`) are counted apart.
pub fn token_requests(calls: &[crate::discover::FoundCall]) -> usize {
    calls
        .iter()
        .filter(|c| c.via == crate::discover::Via::Auth)
        .count()
}

pub fn human(d: &Discovery, catalog_label: &str) -> String {
    let mut o = String::new();
    for c in &shown(d) {
        let method = c.method.map_or("?", |m| m.as_str());
        let what = c
            .operation
            .as_deref()
            .map(|op| op.split_once(' ').map_or(op, |(_, p)| p).to_string())
            .or_else(|| c.path.clone())
            .unwrap_or_else(|| "?".into());
        let _ = write!(
            o,
            "{}:{}:{}  {method:<6} {what}  [{}]",
            c.file,
            c.line,
            c.column,
            c.via.as_str()
        );
        if let (Some(l), Some(col)) = (c.request_line, c.request_column) {
            let _ = write!(o, "  (request at {l}:{col})");
        }
        if c.resolved
            && c.operation.is_none()
            && c.path.is_some()
            && c.via != crate::discover::Via::Auth
            && c.reason.is_none()
        {
            o.push_str("  (not in the catalog)");
        }
        if let Some(r) = &c.reason {
            let _ = write!(
                o,
                "  {}: {r}",
                if c.resolved { "note" } else { "unresolved" }
            );
        }
        o.push('\n');
    }
    let unresolved = d.calls.iter().filter(|c| !c.resolved).count();
    let tokens = token_requests(&d.calls);
    let _ = writeln!(
        o,
        "{} call(s){} in {} file(s) scanned, {} unresolved · catalog: {catalog_label}",
        d.calls.len() - tokens,
        if tokens > 0 {
            format!(" and {tokens} token request(s)")
        } else {
            String::new()
        },
        d.files_scanned,
        unresolved
    );
    o
}
