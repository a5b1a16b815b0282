//! `personal-owner`: a PAT whose owner is not a dedicated service account.

use super::{Context, Finding};
use crate::catalog::AuthKind;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        // Only an owner said not to be a service account; an unconfirmed one is
        // `unconfirmed-owner` (info), a user token's owner is whoever signs in.
        if c.auth != AuthKind::User || c.kind == crate::manifest::CredentialKind::UserToken || c.service_account != Some(false) {
            continue;
        }
        let span = if c.levels_listed { cx.cred_span(c, &["owner"]) } else { cx.cred_span(c, &["kind"]) };
        out.push(
            Finding::new(
                "personal-owner",
                cx.manifest_loc(span),
                format!("`{}` is not owned by a dedicated service account: it breaks when its owner leaves or changes role", c.name),
                "owner",
            )
            .credential(&c.name)
            .help("recreate the token under a service identity and set `owner.service_account: true`"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn personal_and_service_owners() {
        let s = Scenario::new(
            Some("credentials:\n  - name: mine\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: false}\n  - name: unsaid\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN]}\n  - name: bot\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: true}\n  - name: app\n    kind: oauth-client\n"),
            &[],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
