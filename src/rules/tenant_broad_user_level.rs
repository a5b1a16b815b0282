//! `tenant-broad-user-level`: a PAT whose owner holds ORG_ADMIN (its `capabilities`) where
//! the minimal level set over all its users' calls is narrower.

use super::{Context, Finding};
use crate::manifest::CredentialKind;
use crate::solver::levels::{INCOMPATIBLE, ORG_ADMIN};

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        let Some(u) = &a.unions[i] else { continue };
        if c.managed || c.kind != CredentialKind::Pat {
            continue;
        }
        let Some(levels) = a.owner_levels(c) else { continue };
        let min = &u.req.pat_levels;
        if !levels.iter().any(|l| l == ORG_ADMIN) || min.levels.iter().any(|l| l == ORG_ADMIN) {
            continue;
        }
        let all = cx.solver.levels.unlocked(&[ORG_ADMIN.to_string()]);
        let min_names = if min.levels.is_empty() { "no elevated level (a plain USER)".to_string() } else { min.levels.join(", ") };
        let owner = c.owner_name.as_deref().or(c.owner_id.as_deref()).unwrap_or("?");
        let mut msg = format!(
            "the owner of {}, {owner}, holds ORG_ADMIN; the calls of its {} user(s) need only {min_names}: {} reachable instead of {}",
            c.label(),
            a.users_of[i].len(),
            cx.radius(&min.unlocked),
            cx.radius(&all)
        );
        if u.incomplete {
            msg.push_str(" (incomplete: some calls of its users could not be settled)");
        }
        if !min.exact {
            msg.push_str(" (not proven minimal: the solver's effort budget ran out)");
        }
        let pairs: Vec<String> = INCOMPATIBLE
            .iter()
            .filter(|(x, y)| min.levels.iter().any(|l| l == x || l == y))
            .map(|(x, y)| format!("{x} + {y}"))
            .collect();
        let mut help = format!("give the owner [{}] instead of ORG_ADMIN (ORG_ADMIN goes alone)", min.levels.join(", "));
        if !pairs.is_empty() {
            help.push_str(&format!("; levels one identity cannot hold together: {}", pairs.join(", ")));
        }
        out.push(
            Finding::new("tenant-broad-user-level", a.location(i), msg, c.subject(ORG_ADMIN))
                .credential(&c.name)
                .help(help),
        );
    }
    out
}
