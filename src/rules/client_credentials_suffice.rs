//! `client-credentials-suffice`: a PAT whose calls all accept client credentials.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        if c.kind != crate::manifest::CredentialKind::Pat || c.ops.is_empty() || c.incomplete || c.legacy {
            continue;
        }
        let cc = &c.minimal.client;
        if !cc.possible {
            continue;
        }
        let names = cx.scope_names(&cc.scopes);
        out.push(
            Finding::new(
                "client-credentials-suffice",
                cx.manifest_loc(cx.cred_span(c, &["kind"])),
                format!(
                    "every call of `{}` accepts client credentials: an OAuth client with {} would do, without a person behind it",
                    c.name,
                    if names.is_empty() { "no scope".to_string() } else { names.join(", ") }
                ),
                "kind",
            )
            .credential(&c.name)
            .help(format!("kind: oauth-client, scopes: [{}]", names.join(", "))),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn pat_whose_calls_accept_client_credentials() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    paths: [a.py]\n  - name: user\n    kind: pat\n    paths: [b.py]\n"),
            &[("a.py", 2, "GET /v3/sources/{id}"), ("b.py", 1, "PATCH /v2025/roles/x")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
