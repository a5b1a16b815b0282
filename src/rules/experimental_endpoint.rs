//! `experimental-endpoint`: raw HTTP to an experimental operation without the
//! `X-SailPoint-Experimental` header (where the finder can see the headers).

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        let Some(op) = c.op else { continue };
        if !cx.catalog.op(op).experimental || c.experimental_header != Some(false) {
            continue;
        }
        out.push(
            Finding::new(
                "experimental-endpoint",
                cx.call_loc(i),
                format!("{} is experimental and this request does not send `X-SailPoint-Experimental: true`: it will be rejected", cx.op_name(op)),
                cx.op_name(op),
            )
            .help("add the header `X-SailPoint-Experimental: true` to this request"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn experimental_without_header() {
        let mut s = Scenario::new(None, &[("a.py", 2, "GET /v2025/access-request-administration"), ("a.py", 3, "GET /v2025/accounts"), ("a.py", 4, "POST /v2025/accounts/x/classify")]);
        // No header on the first; the finder cannot see the second's headers (not experimental
        // anyway); the third sends it.
        s.calls[0].experimental_header = Some(false);
        s.calls[1].experimental_header = Some(false);
        s.calls[2].experimental_header = Some(true);
        insta::assert_snapshot!(s.run(super::check));
    }
}
