//! `tenant-shadow-credential`: a tenant credential that no manifest or report declares.

use super::{Context, Finding, Location};
use crate::tenant::time;

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        if c.managed || a.contested[i] || !a.users_of[i].is_empty() {
            continue;
        }
        let owner = match (&c.owner_name, &c.owner_id) {
            (Some(n), _) => format!(", owned by {n}"),
            (None, Some(id)) => format!(", owned by {id}"),
            _ => String::new(),
        };
        let used = match c.last_used {
            Some(t) => format!("last used {}", time::date(t)),
            None => "never used".to_string(),
        };
        out.push(
            Finding::new(
                "tenant-shadow-credential",
                Location::Project,
                format!("{} (created {}{owner}, {used}) is declared by no manifest or report", c.label(), time::date(c.created)),
                c.subject("shadow"),
            )
            .credential(&c.name)
            .help(format!("declare it in the manifest of the code that uses it (`id: {}`), or delete it from the tenant", c.id)),
        );
    }
    out
}
