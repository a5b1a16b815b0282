//! `sunset-version`: a call to v3 or beta, whose support ends after Q1 2027.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        let Some(op) = c.op else { continue };
        let o = cx.catalog.op(op);
        if !o.sunset() {
            continue;
        }
        let mut f = Finding::new("sunset-version", cx.call_loc(i), format!("{} uses the {} API, whose support ends after Q1 2027", o.name(), o.family), o.name());
        f = match cx.catalog.newest_equivalent(op) {
            Some(n) => f.help(format!("move to {}", cx.op_name(n))),
            None => f.help("no newer family has this operation: look for its replacement in the v2025/v2026 or per-API docs"),
        };
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn v3_and_beta_calls() {
        let s = Scenario::new(None, &[("a.py", 2, "GET /v3/sources/x"), ("a.py", 3, "GET /beta/workflows"), ("a.py", 4, "GET /v2025/accounts")]);
        insta::assert_snapshot!(s.run(super::check));
    }
}
