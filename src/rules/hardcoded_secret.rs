//! `hardcoded-secret`: a client secret or token literal in code or configuration, reported
//! masked (the secret is never printed).

use super::{Context, Finding, Location};
use regex::Regex;
use std::sync::OnceLock;

fn patterns() -> &'static [Regex] {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        [
            // `client_secret = "…"`, `"ClientSecret": "…"`, `SAIL_CLIENT_SECRET=…`, `clientSecret: '…'`,
            // `client_secret=…` in a query string or form body, `pat.clientsecret: …`.
            r#"(?i)(?:client[_\-.]?secret|clientsecret|pat[_\-.]?secret|personal[_\-]?access[_\-]?token)["']?\s*(?:[:=]|=>|->)\s*[@$]?["'`]?([A-Za-z0-9_\-+/=.~]{16,})"#,
            // A bearer token literal (a JWT) in a header.
            r#"(?i)bearer\s+(eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})"#,
        ]
        .iter()
        .map(|p| Regex::new(p).expect("valid regex"))
        .collect()
    })
}

/// Values that are obviously not secrets: placeholders and references.
fn placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    ["your", "example", "changeme", "placeholder", "xxxx", "****", "redacted", "dummy", "secret_here", "replace", "insert", "getenv", "environ", "process.env"]
        .iter()
        .any(|k| l.contains(k))
        || v.chars().all(|c| c == v.chars().next().unwrap_or('x'))
        || !v.chars().any(|c| c.is_ascii_digit())
}

/// Byte ranges of the secrets this rule finds in a text (placeholders left out).
pub fn secret_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for re in patterns() {
        for cap in re.captures_iter(text) {
            let m = cap.get(1).expect("group 1");
            let v = m.as_str().trim_end_matches(['"', '\'', ',', ';']);
            if !placeholder(v) {
                out.push(m.start()..m.start() + v.len());
            }
        }
    }
    out
}

/// The text with every secret this rule finds masked in place: its first four characters
/// kept, the rest `*`. Secrets are ASCII, so the length, offsets and columns stay; any excerpt
/// of a source is drawn from this text.
///
/// Beyond what the rule reports, a password in a URL's user info and a JWT anywhere are masked
/// too: an excerpt shows whole lines.
pub fn mask_secrets(text: &str) -> std::borrow::Cow<'_, str> {
    static MORE: OnceLock<[Regex; 2]> = OnceLock::new();
    let more = MORE.get_or_init(|| {
        [
            Regex::new(r#"(?i)\b[a-z][a-z0-9+.\-]*://[^/@\s:"'`]+:([^/@\s"'`]+)@"#)
                .expect("valid regex"),
            Regex::new(r"\b(eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}(?:\.[A-Za-z0-9_\-]*)?)")
                .expect("valid regex"),
        ]
    });
    let mut ranges = secret_ranges(text);
    for re in more {
        ranges.extend(re.captures_iter(text).filter_map(|c| c.get(1).map(|m| m.range())));
    }
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        let keep = (r.start + 4).min(r.end);
        for b in &mut bytes[keep..r.end] {
            if b.is_ascii() {
                *b = b'*';
            }
        }
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
}

/// `abcd…(64 characters)`.
pub fn mask(v: &str) -> String {
    let head: String = v.chars().take(4).collect();
    format!("{head}…({} characters)", v.chars().count())
}

pub fn check(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (file, text) in cx.sources {
        let mut lines = None;
        for re in patterns() {
            for cap in re.captures_iter(text) {
                let m = cap.get(1).expect("group 1");
                let v = m.as_str().trim_end_matches(['"', '\'', ',', ';']);
                if placeholder(v) {
                    continue;
                }
                let (line, column) = lines
                    .get_or_insert_with(|| crate::error::LineIndex::new(text))
                    .line_col(text, m.start());
                let digest = format!("{:016x}", super::fnv1a(v.as_bytes()));
                out.push(
                    Finding::new(
                        "hardcoded-secret",
                        Location::Code { file: file.clone(), line, column },
                        format!("a secret is written in the code: {}", mask(v)),
                        format!("secret {digest}"),
                    )
                    .help("revoke and rotate it, remove it from the code and history, read it from the environment (SAIL_CLIENT_SECRET) or a secret store"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::Scenario;

    #[test]
    fn secrets_masked_and_placeholders_ignored() {
        let src = "CLIENT_ID = '2c9180835d2e5168015d32f890ca1581'\nCLIENT_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90'\nsecret = os.environ['SAIL_CLIENT_SECRET']\nclient_secret = 'your-client-secret-here'\nurl = f'{base}/oauth/token?grant_type=client_credentials&client_id={cid}&client_secret=9f8e7d6c5b4a39281706f5e4d3c2b1a0'\nh = {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop'}\n";
        let s = Scenario::new(None, &[]).source("config.py", src);
        let out = s.run(super::check);
        assert!(!out.contains("a1b2c3d4e5f6071829"), "secret printed: {out}");
        insta::assert_snapshot!(out);
    }
}
