//! `broad-scope`: `sp:scopes:all` (or no `scopes`) where the calls need narrower scopes.

use super::{Context, Finding};
use crate::catalog::{ALL_SCOPES, AuthKind};

pub fn check(cx: &Context) -> Vec<Finding> {
    let all = cx.catalog.all_scopes_id();
    let mut out = Vec::new();
    for c in &cx.creds {
        if !c.granted.contains(&all) || c.legacy {
            continue;
        }
        if c.auth == AuthKind::App && !c.minimal.client.possible {
            continue; // user-context-required says what is wrong
        }
        let min = c.minimal_scopes();
        if min.contains(&all) {
            continue;
        }
        let idx = cx.solver.scope_index(c.auth);
        let wide = idx.unlocked(&[all], cx.semantics);
        let names = cx.scope_names(min);
        let needs = if names.is_empty() { "no scope at all (every call is public)".to_string() } else { names.join(", ") };
        let how = if c.scopes_listed { "holds `sp:scopes:all`" } else { "lists no `scopes`, so it gets `sp:scopes:all`" };
        let mut msg = format!(
            "`{}` {how}; its calls need only {needs}: {} reachable by the scopes alone instead of {}",
            c.name,
            cx.radius(c.minimal_unlocked()),
            cx.radius(&wide)
        );
        if c.incomplete {
            msg.push_str(" (incomplete: some calls of this credential could not be settled)");
        }
        if !c.minimal.exact() {
            msg.push_str(" (not proven minimal: the solver's effort budget ran out)");
        }
        let span = if c.scopes_listed { cx.cred_item_span(c, &["scopes"], ALL_SCOPES) } else { cx.cred_span(c, &[]) };
        let quoted: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        out.push(
            Finding::new("broad-scope", cx.manifest_loc(span), msg, ALL_SCOPES)
                .credential(&c.name)
                .help(format!("scopes: [{}]", quoted.join(", "))),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn all_scopes_and_omitted_scopes_are_broad() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [SOURCE_ADMIN], service_account: true}\n    scopes: [sp:scopes:all]\n  - name: quiet\n    kind: oauth-client\n    paths: [b/**]\n  - name: needs-all\n    kind: pat\n    paths: [c/**]\n    scopes: [sp:scopes:all]\n"),
            &[("a.py", 3, "GET /v3/sources/{id}"), ("b/x.py", 5, "GET /v2025/accounts"), ("c/y.py", 1, "GET /beta/campaign-templates/x/schedule")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
