//! `tenant-absent-credential`: a declared credential the tenant does not have.

use super::{Context, Finding};
use crate::tenant::{Join, kind_label};

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (d, j) in a.declared.iter().zip(&a.joins) {
        let Join::Absent { other_kind } = j else { continue };
        let by = match &d.id {
            Some(id) => format!("with the id `{id}`"),
            None => format!("named `{}`", d.name),
        };
        let mut msg = format!("`{}` ({}) is declared in {} but the tenant has no {} {by}", d.name, kind_label(d.kind), d.source, kind_label(d.kind));
        if let Some(o) = other_kind {
            let o = &a.creds[*o];
            msg.push_str(&format!(" (that id is the {} `{}`: is `kind` right?)", kind_label(o.kind), o.name));
        }
        out.push(
            Finding::new("tenant-absent-credential", d.location.clone(), msg, format!("absent {}", d.id.as_deref().unwrap_or(&d.name)))
                .credential(&d.name)
                .help("set `id:` to the credential's id in the tenant (never its secret), correct the name, or remove the credential from the manifest"),
        );
    }
    out
}
