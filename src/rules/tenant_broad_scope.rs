//! `tenant-broad-scope`: a tenant credential holding `sp:scopes:all` (or a null/empty scope
//! list) where the union of its users' minimal grants is narrower.

use super::{Context, Finding};
use crate::catalog::{ALL_SCOPES, AuthKind};
use crate::tenant::{Audit, auth_of};

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let all = cx.catalog.all_scopes_id();
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        let Some(u) = &a.unions[i] else { continue };
        let held = c.scope_names();
        if c.managed || u.needs_all || !held.iter().any(|s| s == ALL_SCOPES) {
            continue;
        }
        let auth = auth_of(c.kind);
        if auth == AuthKind::App && !u.req.client.possible {
            continue; // its users need user context: no client grant to show
        }
        let min = match auth {
            AuthKind::User => &u.req.pat_scopes.scopes,
            AuthKind::App => &u.req.client.scopes,
        };
        if min.contains(&all) {
            continue;
        }
        let levels = a.owner_levels(c);
        let wide = a.reach(cx.solver, c, &Audit::scope_ids(cx.catalog, &held), levels.as_deref());
        let narrow = a.reach(cx.solver, c, min, levels.as_deref());
        let names = cx.scope_names(min);
        let needs = if names.is_empty() { "no scope at all (every call is public)".to_string() } else { names.join(", ") };
        let how = if c.scopes.is_some() { "holds `sp:scopes:all`" } else { "has a null or empty scope list, which the tenant treats as `sp:scopes:all`" };
        let (wc, ww) = (wide.count(), wide.count_and(cx.solver.scope_index(auth).write_mask()));
        let (nc, nw) = (narrow.count(), narrow.count_and(cx.solver.scope_index(auth).write_mask()));
        let with = if levels.is_some() { "with its owner's current user levels, " } else { "" };
        let mut msg = format!(
            "{} {how}; its {} user(s) {} need only {needs}: {with}{nc} operations ({nw} writes) reachable instead of {wc} ({ww} writes), {} fewer",
            c.label(),
            a.users_of[i].len(),
            a.user_list(i),
            wc.saturating_sub(nc)
        );
        if levels.is_none() && c.kind == crate::manifest::CredentialKind::Pat {
            msg.push_str(" (owner's user levels unknown: reach counted over every level)");
        }
        if u.incomplete {
            msg.push_str(" (incomplete: some calls of its users could not be settled)");
        }
        if !u.req.exact() {
            msg.push_str(" (not proven minimal: the solver's effort budget ran out)");
        }
        out.push(
            Finding::new("tenant-broad-scope", a.location(i), msg, c.subject(ALL_SCOPES))
                .credential(&c.name)
                .help(format!("scope: [{}]", names.join(", "))),
        );
    }
    out
}
