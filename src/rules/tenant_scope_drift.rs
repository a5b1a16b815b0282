//! `tenant-scope-drift`: the scopes a tenant credential holds (or its owner's levels) differ
//! from what a manifest joined to it declares.

use super::{Context, Finding};
use crate::catalog::ALL_SCOPES;
use crate::tenant::Join;
use std::collections::BTreeSet;

fn diff(held: &BTreeSet<String>, declared: &BTreeSet<String>) -> String {
    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    let t = only(held, declared);
    if !t.is_empty() {
        parts.push(format!("only in the tenant: {t}"));
    }
    let m = only(declared, held);
    if !m.is_empty() {
        parts.push(format!("only in the manifest: {m}"));
    }
    parts.join("; ")
}

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (d, j) in a.declared.iter().zip(&a.joins) {
        let Join::Joined(i) = j else { continue };
        let c = &a.creds[*i];
        if c.managed {
            continue;
        }
        let held: BTreeSet<String> = c.scope_names().into_iter().collect();
        let declared: BTreeSet<String> = match &d.scopes {
            Some(s) if !s.is_empty() => s.iter().map(|x| x.trim().to_string()).collect(),
            _ => [ALL_SCOPES.to_string()].into(),
        };
        if held != declared {
            out.push(
                Finding::new(
                    "tenant-scope-drift",
                    d.location.clone(),
                    format!("`{}` (declared in {}) is {} in the tenant, whose scopes differ from the manifest's: {}", d.name, d.source, c.label(), diff(&held, &declared)),
                    c.subject("scopes"),
                )
                .credential(&d.name)
                .help(format!("scopes: [{}] (what the tenant holds), or change the token in the tenant", held.iter().cloned().collect::<Vec<_>>().join(", "))),
            );
        }
        if let (Some(dl), Some(tl)) = (&d.levels, a.owner_levels(c)) {
            let dl: BTreeSet<String> = dl.iter().cloned().collect();
            let tl: BTreeSet<String> = tl.into_iter().collect();
            if dl != tl {
                out.push(
                    Finding::new(
                        "tenant-scope-drift",
                        d.location.clone(),
                        format!("the owner of `{}` (declared in {}) holds other user levels in the tenant than the manifest says: {}", d.name, d.source, diff(&tl, &dl)),
                        c.subject("user_levels"),
                    )
                    .credential(&d.name)
                    .help(format!("owner user_levels: [{}] (what the tenant holds)", tl.iter().cloned().collect::<Vec<_>>().join(", "))),
                );
            }
        }
    }
    out
}
