//! The last guard before output: credentials that could reach a report through a path, a
//! reason or a message (a bearer token, a `client_secret=` parameter, a password in a URL's
//! user info, a JWT) are replaced by `***`. The `hardcoded-secret` rule reports what it finds
//! masked already, and source excerpts are drawn from masked text; this catches the rest.

use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

fn patterns() -> &'static [(Regex, &'static str)] {
    static RE: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RE.get_or_init(|| {
        [
            // `client_secret=…`, `"password": "…"`, `access_token=…`, `Authorization: …`.
            (
                r#"(?i)\b((?:client[_\-.]?secret|clientsecret|pat[_\-.]?secret|secret|password|passwd|access[_\-]?token|refresh[_\-]?token|api[_\-]?key|apikey|x-api-key|authorization|personal[_\-]?access[_\-]?token)["']?\s*(?:[:=]|=>)\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"'&,;{}()\[\]]{4,}"#,
                "${1}***",
            ),
            // A JWT anywhere.
            (
                r"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}(?:\.[A-Za-z0-9_\-]*)?",
                "***",
            ),
            // User info in a URL: `https://user:password@host`.
            (r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/@\s]+@", "${1}***@"),
        ]
        .into_iter()
        .map(|(p, r)| (Regex::new(p).expect("valid regex"), r))
        .collect()
    })
}

/// `Bearer x`, `Basic x`: replaced when `x` looks like a credential (it holds a digit or a
/// base64 sign), so that prose ("basic authentication") stays.
fn scheme() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=\-]{8,})").expect("valid regex")
    })
}

/// `s` with anything that looks like a credential replaced by `***`.
pub fn redact(s: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(s);
    for (re, with) in patterns() {
        if re.is_match(&out) {
            out = Cow::Owned(re.replace_all(&out, *with).into_owned());
        }
    }
    if scheme().is_match(&out) {
        out = Cow::Owned(
            scheme()
                .replace_all(&out, |c: &regex::Captures| {
                    let v = &c[3];
                    if v.contains(|x: char| x.is_ascii_digit() || "+/=".contains(x)) {
                        format!("{}{}***", &c[1], &c[2])
                    } else {
                        c[0].to_string()
                    }
                })
                .into_owned(),
        );
    }
    out
}

/// [`redact`] of an optional string.
pub fn redact_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|x| redact(x).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_replaced() {
        for (input, want) in [
            (
                "Authorization: Bearer abcdefghijkl0123",
                "Authorization: ***",
            ),
            ("-H 'Bearer abcdefghijkl0123'", "-H 'Bearer ***'"),
            (
                "/oauth/token?grant_type=client_credentials&client_secret=S3cr3tValue0123",
                "/oauth/token?grant_type=client_credentials&client_secret=***",
            ),
            (
                "https://id:P4ssword99@acme.api.identitynow.com/v3/sources",
                "https://***@acme.api.identitynow.com/v3/sources",
            ),
            ("token eyJhbGciOi.eyJzdWIiOi.sig", "token ***"),
            ("x eyJhbGciOi.eyJzdWIiOi.sig y", "x *** y"),
            (
                "{\"password\": \"hunter2hunter2\"}",
                "{\"password\": \"***\"}",
            ),
        ] {
            assert_eq!(redact(input), want, "{input}");
        }
        // Ordinary text is left alone.
        for plain in [
            "GET /v3/sources/{id}: the HTTP method is not known statically",
            "token requests use basic authentication",
            "a secret is written in the code: a1b2…(32 characters)",
        ] {
            assert_eq!(redact(plain), plain);
        }
    }
}
