//! `unconfirmed-owner`: a PAT whose manifest does not say whether its owner is a service
//! account (what `init` writes unless told with `--service-account`).

use super::{Context, Finding};
use crate::manifest::CredentialKind;

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &cx.creds {
        if c.kind != CredentialKind::Pat || c.service_account.is_some() {
            continue;
        }
        let span = if c.levels_listed { cx.cred_span(c, &["owner"]) } else { cx.cred_span(c, &["kind"]) };
        out.push(
            Finding::new(
                "unconfirmed-owner",
                cx.manifest_loc(span),
                format!("the owner of `{}` is not confirmed to be a dedicated service account (`owner.service_account` is not set)", c.name),
                "owner",
            )
            .credential(&c.name)
            .help("set `owner.service_account: true` for a dedicated identity, `false` for a person's account"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn owners_not_said_to_be_service_accounts() {
        let s = Scenario::new(
            Some("credentials:\n  - name: unsaid\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN]}\n  - name: bot\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: true}\n  - name: mine\n    kind: pat\n    owner: {user_levels: [ORG_ADMIN], service_account: false}\n  - name: web\n    kind: user-token\n  - name: app\n    kind: oauth-client\n"),
            &[],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
