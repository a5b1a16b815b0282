//! `tenant-unused-scope`: a scope a tenant credential holds that no call of its users needs.

use super::{Context, Finding};
use crate::catalog::ALL_SCOPES;
use crate::solver::scopes::enabling_scopes;
use crate::tenant::{Audit, auth_of};

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        let (Some(u), Some(names)) = (&a.unions[i], &c.scopes) else { continue };
        if c.managed || u.needs_all {
            continue;
        }
        let held = Audit::scope_ids(cx.catalog, names);
        let mut used = Vec::new();
        for &op in &u.ops {
            used.extend(enabling_scopes(cx.catalog, op, &held, auth_of(c.kind), a.semantics));
        }
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            let name = name.trim();
            if name == ALL_SCOPES || !seen.insert(name) {
                continue;
            }
            if cx.catalog.scope_id(name).is_some_and(|s| used.contains(&s)) {
                continue;
            }
            let mut msg = format!("{} holds `{name}`, which no call of its {} user(s) {} needs", c.label(), a.users_of[i].len(), a.user_list(i));
            if cx.catalog.scope_id(name).is_none() {
                msg.push_str(" (a scope in no spec of the catalog)");
            }
            if u.incomplete {
                msg.push_str(" (incomplete: some calls of its users could not be settled)");
            }
            out.push(
                Finding::new("tenant-unused-scope", a.location(i), msg, c.subject(name))
                    .credential(&c.name)
                    .help(format!("remove `{name}` from the token's scopes in the tenant")),
            );
        }
    }
    out
}
