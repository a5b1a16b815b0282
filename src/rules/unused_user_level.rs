//! `unused-user-level`: an owner user level needed by no call of the PAT.

use super::{Context, Finding};
use crate::catalog::AuthKind;
use crate::solver::levels::ORG_ADMIN;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        if c.auth != AuthKind::User || !c.levels_listed {
            continue;
        }
        let lv = &cx.solver.levels;
        for l in &c.levels {
            if l == ORG_ADMIN {
                continue; // broad-user-level speaks about ORG_ADMIN
            }
            let needed = c.ops.iter().any(|&o| lv.enabling_levels(o, std::slice::from_ref(l)).contains(l));
            if needed {
                continue;
            }
            out.push(
                Finding::new(
                    "unused-user-level",
                    cx.manifest_loc(cx.cred_item_span(c, &["owner", "user_levels"], l)),
                    format!("the owner of `{}` holds {l}, which no call of it needs", c.name),
                    l.as_str(),
                )
                .credential(&c.name)
                .help(format!("remove {l} from the owner's user levels")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn levels_no_call_needs() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [SOURCE_SUBADMIN, HELPDESK, CERT_ADMIN], service_account: true}\n    scopes: [idn:sources:read]\n"),
            &[("a.py", 2, "GET /v3/sources/{id}")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
