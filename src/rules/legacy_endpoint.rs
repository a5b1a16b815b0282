//! `legacy-endpoint`: a call to a legacy private API (`/cc/api`, `/v2`), which forces
//! `sp:scopes:all`.

use super::context::is_legacy_call;
use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    cx.calls
        .iter()
        .enumerate()
        .filter(|(_, c)| is_legacy_call(c))
        .map(|(i, c)| {
            let p = c.path.clone().unwrap_or_default();
            Finding::new(
                "legacy-endpoint",
                cx.call_loc(i),
                format!("{} {p} is a legacy private API: in no public spec, only `sp:scopes:all` works, so this credential cannot be narrowed", c.method.map_or("?", |m| m.as_str())),
                p,
            )
            .help("move to the documented v2025/v2026 or per-API operation that does the same")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn cc_api_and_v2() {
        let s = Scenario::new(None, &[("a.py", 2, "GET https://acme.identitynow.com/cc/api/source/list"), ("a.py", 4, "POST https://acme.api.identitynow.com/v2/workgroups"), ("a.py", 5, "GET /v3/sources")]);
        insta::assert_snapshot!(s.run(super::check));
    }
}
