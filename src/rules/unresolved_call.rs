//! `unresolved-call`: a call whose method or path the finder could not settle.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in cx.calls.iter().enumerate() {
        if c.resolved {
            continue;
        }
        let owners: Vec<&str> = cx.creds.iter().filter(|k| k.calls.contains(&i)).map(|k| k.name.as_str()).collect();
        let mut msg = format!(
            "call could not be settled statically: {}",
            c.reason.as_deref().unwrap_or("unknown method or path")
        );
        if !owners.is_empty() {
            msg.push_str(&format!("; the grant verdict for {} is incomplete", owners.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")));
        }
        let subject = format!("{} {}", c.method.map_or("?", |m| m.as_str()), c.path.as_deref().unwrap_or("?"));
        out.push(
            Finding::new("unresolved-call", cx.call_loc(i), msg, subject)
                .help("annotate it with a comment `isc-scope-lint: call METHOD /path` on or above the line, or list it under the credential's `calls`"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn calls_without_method_or_path() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n"),
            &[("a.py", 2, "? https://acme.api.identitynow.com/v3/sources"), ("a.py", 3, "GET /v3/sources")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
