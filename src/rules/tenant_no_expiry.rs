//! `tenant-no-expiry`: a PAT without an expiration date.

use super::{Context, Finding};
use crate::manifest::CredentialKind;
use crate::tenant::time;

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        if c.managed || c.kind != CredentialKind::Pat || c.expiration.is_some() {
            continue;
        }
        out.push(
            Finding::new(
                "tenant-no-expiry",
                a.location(i),
                format!("{} never expires (created {})", c.label(), time::date(c.created)),
                c.subject("no expiry"),
            )
            .credential(&c.name)
            .help("recreate the token with an expiration date and rotate it before then"),
        );
    }
    out
}
