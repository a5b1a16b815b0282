//! `undocumented-user-level`: an operation whose spec names no user level.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        let Some(op) = c.op else { continue };
        if !cx.solver.levels.undocumented(op) || cx.assumed.contains(&op) {
            continue;
        }
        // Once per operation and file is enough.
        if seen.contains(&(op, c.file.clone())) {
            continue;
        }
        seen.push((op, c.file.clone()));
        out.push(
            Finding::new(
                "undocumented-user-level",
                cx.call_loc(i),
                format!("the spec names no user level for {}: only ORG_ADMIN is known to work", cx.op_name(op)),
                cx.op_name(op),
            )
            .help(format!("verify in your tenant and record it: assume: [{{operation: \"{}\", user_levels: [...], reason: \"...\"}}]", cx.op_name(op))),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn operations_without_levels() {
        let s = Scenario::new(
            Some("credentials: []\nassume:\n  - operation: GET /v3/transforms\n    user_levels: [SOURCE_ADMIN]\n    reason: checked in our tenant\n"),
            &[("a.py", 2, "GET /v3/certifications"), ("a.py", 3, "GET /v3/certifications"), ("a.py", 4, "GET /v3/transforms"), ("a.py", 5, "GET /v3/sources")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
