//! `missing-scope`: a call the credential's scopes cannot make (403).

use super::{Context, CredView, Finding};
use crate::catalog::{AuthKind, OpId};
use crate::solver::scopes::can_call;

fn narrowest(cx: &Context, c: &CredView, op: OpId) -> String {
    // The scope the minimal grant uses for it, else the first acceptable one.
    let min = c.minimal_scopes();
    let acc = cx.catalog.acceptable_scopes(op, c.auth);
    acc.iter()
        .find(|s| cx.catalog.scope_id(s).is_some_and(|id| min.contains(&id)))
        .or(acc.first())
        .map_or_else(|| "sp:scopes:all".to_string(), |s| s.to_string())
}

fn finding(cx: &Context, c: &CredView, op: OpId, loc: super::Location) -> Option<Finding> {
    if can_call(cx.catalog, op, &c.granted, c.auth, cx.semantics) {
        return None;
    }
    if c.auth == AuthKind::App && cx.catalog.op(op).app_auth.is_empty() {
        return None; // user-context-required
    }
    let acc = cx.catalog.acceptable_scopes(op, c.auth);
    let held = cx.scope_names(&c.granted);
    let add = narrowest(cx, c, op);
    Some(
        Finding::new(
            "missing-scope",
            loc,
            format!(
                "`{}` cannot call {}: it accepts {} and the credential holds {}",
                c.name,
                cx.op_name(op),
                if acc.len() == 1 { format!("only `{}`", acc[0]) } else { format!("any one of {}", acc.join(", ")) },
                if held.is_empty() { "no scope".to_string() } else { held.join(", ") }
            ),
            cx.op_name(op),
        )
        .credential(&c.name)
        .help(format!("add `{add}` to the token's scopes")),
    )
}

/// A legacy private API call (no public spec): only `sp:scopes:all` is known to let it
/// through, so a narrower grant gets a 403.
fn legacy_finding(cx: &Context, c: &CredView, i: usize) -> Option<Finding> {
    let call = &cx.calls[i];
    if !super::context::is_legacy_call(call) || c.granted.contains(&cx.catalog.all_scopes_id()) {
        return None;
    }
    let held = cx.scope_names(&c.granted);
    let name = format!("{} {}", call.method.map_or("?", |m| m.as_str()), call.path.as_deref().unwrap_or(""));
    Some(
        Finding::new(
            "missing-scope",
            cx.call_loc(i),
            format!(
                "`{}` cannot call {name}: a legacy private API, in no public spec, so only `sp:scopes:all` is known to work, and the credential holds {}",
                c.name,
                if held.is_empty() { "no scope".to_string() } else { held.join(", ") }
            ),
            name,
        )
        .credential(&c.name)
        .help("move the call to a documented v2025/v2026 or per-API operation, or grant `sp:scopes:all`"),
    )
}

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        for (i, op) in cx.cred_calls(c) {
            out.extend(finding(cx, c, op, cx.call_loc(i)));
        }
        for &i in &c.calls {
            out.extend(legacy_finding(cx, c, i));
        }
        for &(op, span) in &c.extra {
            out.extend(finding(cx, c, op, cx.manifest_loc(span)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn calls_the_scopes_do_not_cover() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: true}\n    scopes: [idn:sources:read]\n    calls:\n      - POST /v3/search\n"),
            &[("a.py", 2, "GET /v3/sources/{id}"), ("a.py", 7, "DELETE /v3/sources/{id}"), ("a.py", 9, "GET https://acme.identitynow.com/cc/api/source/list")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
