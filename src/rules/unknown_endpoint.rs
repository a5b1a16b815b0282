//! `unknown-endpoint`: a call to an ISC path in no spec, with the nearest operations.

use super::context::is_unknown_endpoint;
use super::{Context, Finding};
use crate::catalog::Method;
use crate::catalog::route::path_segments;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let router = cx.catalog.router();
    for (i, c) in cx.calls.iter().enumerate() {
        if !is_unknown_endpoint(c) {
            continue;
        }
        let path = c.path.clone().unwrap_or_default();
        let m = c.method.unwrap_or(Method::Get);
        let near: Vec<String> = router.nearest(cx.catalog, m, &path_segments(&path), 3).iter().map(|&o| cx.op_name(o)).collect();
        let mut f = Finding::new("unknown-endpoint", cx.call_loc(i), format!("{m} {path} is in no spec of the catalog: its scopes are unknown"), format!("{m} {path}"));
        if !near.is_empty() {
            f = f.help(format!("nearest operations: {}", near.join(", ")));
        }
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn paths_in_no_spec() {
        let s = Scenario::new(None, &[("a.py", 2, "GET https://acme.api.identitynow.com/v3/sourcez/1"), ("a.py", 3, "GET /v3/sources")]);
        insta::assert_snapshot!(s.run(super::check));
    }
}
