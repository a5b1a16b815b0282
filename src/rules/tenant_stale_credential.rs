//! `tenant-stale-credential`: a tenant credential unused for `--stale-days` days (counted back
//! from `--as-of`), or never used.

use super::{Context, Finding};
use crate::tenant::time;

pub fn check(cx: &Context) -> Vec<Finding> {
    let Some(a) = cx.tenant else { return Vec::new() };
    let mut out = Vec::new();
    for (i, c) in a.creds.iter().enumerate() {
        if c.managed {
            continue;
        }
        let msg = match c.last_used {
            Some(t) => {
                let days = time::days_between(t, a.as_of);
                if days <= a.stale_days {
                    continue;
                }
                format!("{} has not been used for {days} days (last used {}; stale after {} days as of {})", c.label(), time::date(t), a.stale_days, time::date(a.as_of))
            }
            None => format!("{} has never been used (created {})", c.label(), time::date(c.created)),
        };
        let msg = if c.enabled { msg } else { format!("{msg}; it is disabled") };
        out.push(
            Finding::new("tenant-stale-credential", a.location(i), msg, c.subject(if c.last_used.is_some() { "stale" } else { "never used" }))
                .credential(&c.name)
                .help(format!("delete {} from the tenant if nothing needs it", c.label())),
        );
    }
    out
}
