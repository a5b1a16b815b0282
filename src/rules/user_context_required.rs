//! `user-context-required`: an OAuth client (client credentials) used for operations that
//! accept only `userAuth`.

use super::{Context, Finding};
use crate::catalog::AuthKind;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        if c.auth != AuthKind::App {
            continue;
        }
        let ops = cx.cred_calls(c).map(|(i, o)| (cx.call_loc(i), o)).chain(c.extra.iter().map(|&(o, s)| (cx.manifest_loc(s), o)));
        for (loc, op) in ops {
            let o = cx.catalog.op(op);
            if o.public || !o.app_auth.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    "user-context-required",
                    loc,
                    format!("{} accepts only a user-context token: `{}` (client credentials) gets 403 whatever its scopes", o.name(), c.name),
                    o.name(),
                )
                .credential(&c.name)
                .help("make this call with a PAT, or use an operation that accepts applicationAuth"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn client_credentials_on_user_only_operations() {
        let s = Scenario::new(
            Some("credentials:\n  - name: svc\n    kind: oauth-client\n    scopes: [sp:scopes:all]\n"),
            &[("a.py", 2, "GET /v3/sources/{id}"), ("a.py", 3, "POST /v3/access-profiles")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
