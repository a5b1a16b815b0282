//! `unused-scope`: a granted scope needed by no call of the credential.

use super::{Context, Finding};
use crate::solver::scopes::enabling_scopes;

pub fn check(cx: &Context) -> Vec<Finding> {
    let all = cx.catalog.all_scopes_id();
    let mut out = Vec::new();
    for c in &cx.creds {
        if !c.scopes_listed {
            continue;
        }
        let mut used = Vec::new();
        for &op in &c.ops {
            used.extend(enabling_scopes(cx.catalog, op, &c.granted, c.auth, cx.semantics));
        }
        for &s in &c.granted {
            if s == all || used.contains(&s) {
                continue;
            }
            let name = cx.catalog.scope_name(s);
            let mut msg = format!("`{}` holds `{name}`, which no call of it needs", c.name);
            if c.incomplete {
                msg.push_str(" (incomplete: some calls of this credential could not be settled)");
            }
            out.push(
                Finding::new("unused-scope", cx.manifest_loc(cx.cred_item_span(c, &["scopes"], name)), msg, name)
                    .credential(&c.name)
                    .help(format!("remove `{name}` from the token's scopes")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn scopes_no_call_needs() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [SOURCE_ADMIN], service_account: true}\n    scopes: [idn:sources:read, idn:accounts:manage, sp:scopes:all]\n"),
            &[("a.py", 2, "GET /v3/sources/{id}")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
