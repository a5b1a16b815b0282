//! `read-scope-authorizes-write`: under the documented any-of reading, a read scope
//! authorises this write; the literal all-of reading would need more.

use super::{Context, Finding};
use crate::solver::Semantics;

pub fn check(cx: &Context) -> Vec<Finding> {
    if cx.semantics != Semantics::AnyOf {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        let Some(op) = c.op else { continue };
        let held: Vec<u16> = cx.creds.iter().filter(|k| k.calls.contains(&i)).flat_map(|k| k.granted.clone()).collect();
        let Some(msg) = crate::report::scopes::read_scope_authorizes_write(cx.catalog, cx.catalog.op(op), &held) else { continue };
        out.push(Finding::new("read-scope-authorizes-write", cx.call_loc(i), format!("{}: {msg}", cx.op_name(op)), cx.op_name(op)));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn writes_a_read_scope_authorises() {
        // Creating an access profile needs all its listed scopes (its description says so).
        let s = Scenario::new(None, &[("a.py", 2, "POST /v3/access-profiles"), ("a.py", 3, "DELETE /v3/sources/x"), ("a.py", 4, "PATCH /v3/campaigns/x")]);
        insta::assert_snapshot!(s.run(super::check));
    }
}
