//! `broad-user-level`: a PAT owner's user levels broader than the minimal set.

use super::{Context, Finding};
use crate::catalog::AuthKind;
use crate::solver::levels::ORG_ADMIN;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        if c.auth != AuthKind::User || !c.levels_listed || c.levels.is_empty() {
            continue;
        }
        let lv = &cx.solver.levels;
        // Broadness only matters when the levels cover the calls (else missing-user-level).
        if !c.ops.iter().all(|&o| lv.allows(o, &c.levels)) {
            continue;
        }
        let granted = lv.unlocked(&c.levels);
        let minimal = &c.minimal.pat_levels;
        if granted.count() <= minimal.unlocked.count() {
            continue;
        }
        let min_names = if minimal.levels.is_empty() { "no elevated level (a plain USER)".to_string() } else { minimal.levels.join(", ") };
        let mut msg = format!(
            "the owner of `{}` holds {}; its calls need only {min_names}: {} reachable by the owner levels alone instead of {}",
            c.name,
            c.levels.join(", "),
            cx.radius(&minimal.unlocked),
            cx.radius(&granted)
        );
        if c.incomplete {
            msg.push_str(" (incomplete: some calls of this credential could not be settled)");
        }
        if !c.minimal.pat_levels.exact {
            msg.push_str(" (not proven minimal: the solver's effort budget ran out)");
        }
        // Point at ORG_ADMIN when held, else at the list.
        let widest = if c.levels.iter().any(|l| l == ORG_ADMIN) { ORG_ADMIN } else { c.levels[0].as_str() };
        let span = cx.cred_item_span(c, &["owner", "user_levels"], widest);
        out.push(
            Finding::new("broad-user-level", cx.manifest_loc(span), msg, c.levels.join(","))
                .credential(&c.name)
                .help(format!("owner user_levels: [{}]", minimal.levels.join(", "))),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn org_admin_owner_for_source_reads() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    owner:\n      user_levels: [ORG_ADMIN]\n      service_account: true\n    scopes: [idn:sources:read]\n  - name: exact\n    kind: pat\n    paths: [b/**]\n    owner: {user_levels: [SOURCE_SUBADMIN], service_account: true}\n"),
            &[("a.py", 2, "GET /v3/sources/{id}"), ("b/x.py", 1, "GET /v3/sources")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
