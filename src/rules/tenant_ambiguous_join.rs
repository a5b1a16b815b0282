//! `tenant-ambiguous-join`: a declared credential whose name matches several tenant
//! credentials (no `id:`); the join is not guessed.

use super::{Context, Finding};
use crate::tenant::{Join, kind_label};

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (d, j) in a.declared.iter().zip(&a.joins) {
        let Join::Ambiguous(cands) = j else { continue };
        let ids: Vec<String> = cands.iter().map(|&i| format!("`{}`", a.creds[i].id)).collect();
        out.push(
            Finding::new(
                "tenant-ambiguous-join",
                d.location.clone(),
                format!(
                    "`{}` ({}, declared in {}) matches {} {}s of that name in the tenant ({}); the join is not guessed, so none of them is judged against it",
                    d.name,
                    kind_label(d.kind),
                    d.source,
                    cands.len(),
                    kind_label(d.kind),
                    ids.join(", ")
                ),
                format!("ambiguous {}", d.name),
            )
            .credential(&d.name)
            .help("add `id:` with the right one's id to the credential in the manifest"),
        );
    }
    out
}
