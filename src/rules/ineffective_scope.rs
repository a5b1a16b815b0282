//! `ineffective-scope`: a granted scope none of the owner's user levels allows — SailPoint
//! accepts it at creation and silently drops it.

use super::{Context, Finding};
use crate::catalog::AuthKind;

pub fn check(cx: &Context) -> Vec<Finding> {
    let all = cx.catalog.all_scopes_id();
    let mut out = Vec::new();
    let public = cx.solver.user.unlocked(&[], cx.semantics);
    for c in &cx.creds {
        if c.auth != AuthKind::User || !c.levels_listed || !c.scopes_listed {
            continue;
        }
        let reach = cx.solver.levels.unlocked(&c.levels);
        for &s in &c.granted {
            if s == all {
                continue;
            }
            let mut u = cx.solver.user.unlocked(&[s], cx.semantics);
            // Public operations need no scope: they say nothing about this one.
            let before = u.count();
            u.intersect_with(&reach);
            let mut pub_reach = public.clone();
            pub_reach.intersect_with(&reach);
            if before > public.count() && u.count() == pub_reach.count() {
                let name = cx.catalog.scope_name(s);
                out.push(
                    Finding::new(
                        "ineffective-scope",
                        cx.manifest_loc(cx.cred_item_span(c, &["scopes"], name)),
                        format!(
                            "`{name}` is ineffective for `{}`: no operation it grants is allowed to the owner's user levels ({})",
                            c.name,
                            if c.levels.is_empty() { "none".to_string() } else { c.levels.join(", ") }
                        ),
                        name,
                    )
                    .credential(&c.name)
                    .help(format!("remove `{name}`, or give the owner a user level that allows its operations")),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn scopes_outside_the_owner_levels() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [HELPDESK], service_account: true}\n    scopes: [idn:accounts:read, idn:campaign:manage]\n"),
            &[("a.py", 2, "GET /v3/accounts")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
