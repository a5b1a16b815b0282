//! `unattributed-call`: a call under no credential's `paths`.

use super::{Context, Finding};

pub fn check(cx: &Context) -> Vec<Finding> {
    cx.unattributed
        .iter()
        .map(|&i| {
            let c = &cx.calls[i];
            let what = c.operation.clone().unwrap_or_else(|| c.path.clone().unwrap_or_default());
            Finding::new(
                "unattributed-call",
                cx.call_loc(i),
                format!("{what} runs under no credential: `{}` is in no credential's `paths`", cx.manifest_rel(&c.file)),
                what,
            )
            .help("add this file to the `paths` of the credential it runs with")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn calls_outside_every_credential() {
        let s = Scenario::new(
            Some("credentials:\n  - name: bot\n    kind: pat\n    paths: [\"sync/**\"]\n"),
            &[("sync/a.py", 2, "GET /v3/sources"), ("tools/b.py", 3, "GET /v3/accounts")],
        );
        insta::assert_snapshot!(s.run(super::check));
    }
}
