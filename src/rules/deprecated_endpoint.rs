//! `deprecated-endpoint`: a call to a deprecated operation.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        let Some(op) = c.op else { continue };
        if !cx.catalog.op(op).deprecated {
            continue;
        }
        let mut f = Finding::new("deprecated-endpoint", cx.call_loc(i), format!("{} is deprecated", cx.op_name(op)), cx.op_name(op));
        if let Some(n) = cx.catalog.newest_equivalent(op) {
            f = f.help(format!("use {}", cx.op_name(n)));
        }
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn deprecated_operations() {
        let s = Scenario::new(None, &[("a.py", 2, "DELETE /beta/accounts/x"), ("a.py", 3, "GET /v2025/accounts")]);
        insta::assert_snapshot!(s.run(super::check));
    }
}
