//! `missing-user-level`: a call the PAT owner's user levels do not allow (403).

use super::{Context, Finding};
use crate::catalog::AuthKind;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let lv = &cx.solver.levels;
    for c in &cx.creds {
        if c.auth != AuthKind::User || !c.levels_listed {
            continue;
        }
        let ops = cx.cred_calls(c).map(|(i, o)| (cx.call_loc(i), o)).chain(c.extra.iter().map(|&(o, s)| (cx.manifest_loc(s), o)));
        for (loc, op) in ops {
            if lv.allows(op, &c.levels) {
                continue;
            }
            let o = cx.catalog.op(op);
            let needed: Vec<&str> = if lv.undocumented(op) { vec!["ORG_ADMIN (no level documented)"] } else { o.effective_levels().collect() };
            out.push(
                Finding::new(
                    "missing-user-level",
                    loc,
                    format!(
                        "the owner of `{}` ({}) cannot call {}: it needs one of {}",
                        c.name,
                        if c.levels.is_empty() { "no user level".to_string() } else { c.levels.join(", ") },
                        o.name(),
                        needed.join(", ")
                    ),
                    o.name(),
                )
                .credential(&c.name)
                .help("give the owner one of these levels (compatible with its others), or use another credential for this call"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn owner_levels_that_do_not_allow_the_call() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner: {user_levels: [HELPDESK], service_account: true}\n    scopes: [sp:scopes:all]\n"),
            &[("a.py", 2, "GET /v3/sources/{id}"), ("a.py", 4, "GET /v3/certifications")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
