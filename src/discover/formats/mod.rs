//! Structured request formats: ISC workflow exports, Postman collections, `.http` files.
//!
//! Each front-end reads the structure of its format (not regexes over the text) and reports one
//! [`RawCall`] per request, its offset on the first character of the URL value as written in
//! the file (inside the quotes for JSON). Requests to hosts that are not ISC are dropped here
//! ([`is_isc_url`]); requests to `/oauth/token` are [`Via::Auth`]; the rest is routed by
//! [`resolve`](super::resolve).

pub mod httpfile;
mod json;
pub mod markdown;
pub mod postman;
pub mod workflow;

use super::call::{RawCall, Target, Via};
use crate::catalog::Method;
use crate::catalog::route::{Seg, path_segments};

/// The calls of any `.json` file: a workflow export (or a list of them), a Postman collection,
/// or nothing. Invalid JSON yields nothing.
pub fn scan_json(text: &str) -> Vec<RawCall> {
    let Some(root) = json::parse(text) else {
        return Vec::new();
    };
    workflow::scan_node(&root)
        .or_else(|| postman::scan_node(&root))
        .unwrap_or_default()
}

/// Whether a host may be an ISC tenant, so a request to it is an ISC call: a tenant's API host
/// (`{tenant}.api.identitynow.com`, `.api.identitynow-demo.com`, `{tenant}.api.<SailPoint
/// domain>`, `{tenant}.identitynow.com`; see [`super::value::host_kind`]) or a host whose
/// domain is a template placeholder (`{{host}}`, `${TENANT}`, `{{tenant}}.{{domain}}`,
/// `{{tenant}}.api.{{domain}}`), since the value is not known and may be a tenant. A
/// placeholder only in front of a concrete domain (`{{org}}.okta.com`) does not make a host
/// ISC, and neither do SailPoint's other hosts (`status.sailpoint.com`). A port and user info
/// are ignored; comparison ignores case.
pub fn is_isc_host(host: &str) -> bool {
    let norm = mask_placeholders(host.trim());
    super::value::host_kind(&norm) != super::value::HostKind::Other
}

/// Stands for a placeholder in a masked host.
const MASK: char = '\u{1}';

/// Replaces template placeholders (`{{x}}`, `${x}`, `{x}`, `<x>`, `%s`) by [`MASK`], so dots
/// inside `{{$.trigger.tenant}}` do not look like labels.
fn mask_placeholders(s: &str) -> String {
    use crate::discover::text::NextFind;
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let (mut braces, mut brace, mut angle) =
        (NextFind::new("}}"), NextFind::new("}"), NextFind::new(">"));
    while let Some(c) = rest.chars().next() {
        let at = s.len() - rest.len();
        let close = match c {
            '{' if rest.starts_with("{{") => braces.find(s, at).map(|i| i - at + 2),
            '$' if rest.starts_with("${") => brace.find(s, at).map(|i| i - at + 1),
            '{' => brace.find(s, at).map(|i| i - at + 1),
            '<' => angle.find(s, at).map(|i| i - at + 1),
            '%' if rest[1..].starts_with(['s', 'd', 'v']) => Some(2),
            _ => None,
        };
        match close {
            Some(n) => {
                out.push(MASK);
                rest = &rest[n..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The host of a URL as written, if it names one: `https://h/x` → `h`, `h.example.com/x` →
/// `h.example.com`. `None` for a path (`/v3/sources`), a placeholder base
/// (`{{baseUrl}}/v3/sources`) or a bare placeholder.
pub fn url_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let (rest, explicit) = match find_outside_placeholders(url, "://") {
        Some(i) => (&url[i + 3..], true),
        None if url.starts_with("//") => (&url[2..], true),
        None => (url, false),
    };
    let end = find_any_outside_placeholders(rest, &['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    if explicit {
        return Some(host);
    }
    if url.starts_with('/') || end == rest.len() {
        return None;
    }
    // Without a scheme, a first segment is a host only if it looks like one (`a.b`,
    // `localhost:8080`) and is not itself a placeholder base.
    let masked = mask_placeholders(host);
    if masked.chars().all(|c| c == MASK) {
        return None;
    }
    let hostlike = masked.contains('.') || masked.contains(':') || masked == "localhost";
    hostlike.then_some(host)
}

/// Whether a request URL may reach ISC: its host is an ISC host ([`is_isc_host`]), or it names
/// no host (a path, or a placeholder base such as `{{baseUrl}}/v3/sources`).
pub fn is_isc_url(url: &str) -> bool {
    url_host(url).is_none_or(is_isc_host)
}

/// Whether the URL is the token endpoint (`/oauth/token`).
pub fn is_token_url(url: &str) -> bool {
    let segs = path_segments(&normalize_templates(url));
    matches!(segs.as_slice(), [Seg::Lit(a), Seg::Lit(b)] if a == "oauth" && b == "token")
}

/// Rewrites `{{...}}` templates whose contents hold `/`, `?` or `#` (JSONPath filters such as
/// `{{$.items[?(@.id)].id}}`) to `{{}}`, so they stay one path segment when the URL is split.
pub fn normalize_templates(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match after.find("}}") {
            Some(j) => {
                let inner = &after[2..j];
                if inner.contains(['/', '?', '#']) {
                    out.push_str("{{}}");
                } else {
                    out.push_str(&after[..j + 2]);
                }
                rest = &after[j + 2..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_outside_placeholders(s: &str, needle: &str) -> Option<usize> {
    let mut depth = 0usize;
    let b = s.as_bytes();
    for i in 0..b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && b[i..].starts_with(needle.as_bytes()) => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_any_outside_placeholders(s: &str, set: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && set.contains(&c) => return Some(i),
            _ => {}
        }
    }
    None
}

/// Whether a header value turns experimental endpoints on (`true`, any case).
fn is_true(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

/// Whether a header name is `X-SailPoint-Experimental` (any case).
fn is_experimental_header(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case("x-sailpoint-experimental")
}

/// The call for one request whose URL is known (after variable substitution): `None` when the
/// host is not ISC; `Via::Auth` for the token endpoint, `via` otherwise.
fn url_call(
    offset: usize,
    method: Option<Method>,
    url: &str,
    via: Via,
    experimental_header: Option<bool>,
) -> Option<RawCall> {
    let url = normalize_templates(url.trim());
    if !is_isc_url(&url) {
        return None;
    }
    let via = if is_token_url(&url) { Via::Auth } else { via };
    let mut call = RawCall::new(offset, method, Target::Url(url), via);
    call.experimental_header = experimental_header;
    Some(call)
}

/// Replaces `{{name}}` placeholders by the values `lookup` knows (recursively, so a value may
/// use other variables); unknown names stay as they are.
fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    /// The result is cut at this many bytes (URLs and header values are far shorter).
    const MAX_OUT: usize = 8 * 1024;
    /// Variables expanded inside variables, at most this deep.
    const MAX_DEPTH: usize = 8;
    /// `stack`: the variables being expanded (a variable met inside its own value, directly
    /// or through others, stays as written). Returns false once the output is full.
    fn go<'t>(
        text: &'t str,
        lookup: &dyn Fn(&str) -> Option<String>,
        stack: &mut Vec<String>,
        out: &mut String,
    ) -> bool {
        let mut rest = text;
        while let Some(i) = rest.find("{{") {
            if !push_capped(out, &rest[..i], MAX_OUT) {
                return false;
            }
            let after = &rest[i..];
            let Some(j) = after.find("}}") else {
                return push_capped(out, after, MAX_OUT);
            };
            let whole = &after[..j + 2];
            let name = after[2..j].trim();
            crate::discover::budget::spend(whole.len() as u64);
            let value = match lookup(name) {
                Some(v)
                    if stack.len() < MAX_DEPTH
                        && !v.is_empty()
                        && !stack.iter().any(|s| s == name) =>
                {
                    Some(v)
                }
                _ => None,
            };
            match value {
                Some(v) => {
                    stack.push(name.to_string());
                    let more = go(&v, lookup, stack, out);
                    stack.pop();
                    if !more {
                        return false;
                    }
                }
                None => {
                    if !push_capped(out, whole, MAX_OUT) {
                        return false;
                    }
                }
            }
            rest = &after[j + 2..];
        }
        push_capped(out, rest, MAX_OUT)
    }
    let mut out = String::with_capacity(text.len().min(MAX_OUT));
    go(text, lookup, &mut Vec::new(), &mut out);
    out
}

/// Appends `s` to `out` up to `max` bytes in all (at a character boundary); false when it did
/// not all fit.
fn push_capped(out: &mut String, s: &str, max: usize) -> bool {
    let room = max.saturating_sub(out.len());
    if s.len() <= room {
        out.push_str(s);
        return true;
    }
    let mut cut = room;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    out.push_str(&s[..cut]);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isc_hosts() {
        for h in [
            "acme.api.identitynow.com",
            "ACME.API.IDENTITYNOW.COM:443",
            "acme.identitynow.com",
            "acme.api.identitynow-demo.com",
            "acme.api.sailpoint.com",
            "{{tenant}}.api.identitynow.com",
            "{{$.trigger.tenant}}.api.identitynow.com",
            "{{host}}",
            "${ISC_HOST}",
            "{{tenant}}.{{domain}}",
            "{{tenant}}.api.{{domain}}",
            "user@acme.api.identitynow.com",
            "acme.api.cloud.sailpoint.com",
            "tenant.example.api.cloud.sailpoint.com",
        ] {
            assert!(is_isc_host(h), "{h}");
        }
        for h in [
            "hooks.slack.com",
            "api.github.com",
            "{{org}}.okta.com",
            "localhost:8080",
            "identitynow.com.evil.example",
            "notidentitynow.com",
            "",
            "status.sailpoint.com",
            "developer.sailpoint.com",
            "va-activation-global.secure-api.infra.identitynow.com",
            "acme.login.sailpoint.com",
        ] {
            assert!(!is_isc_host(h), "{h}");
        }
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(url_host("https://a.b/x"), Some("a.b"));
        assert_eq!(
            url_host("https://{{$.trigger.tenant}}.api.identitynow.com/v3"),
            Some("{{$.trigger.tenant}}.api.identitynow.com")
        );
        assert_eq!(url_host("a.b.com/v3/sources"), Some("a.b.com"));
        assert_eq!(url_host("{{baseUrl}}/v3/sources"), None);
        assert_eq!(url_host("/v3/sources"), None);
        assert_eq!(url_host("{{url}}"), None);
        assert!(is_isc_url("{{baseUrl}}/v3/sources"));
        assert!(!is_isc_url("https://hooks.slack.com/services/T0/B0"));
        assert!(is_token_url(
            "https://x.api.identitynow.com/oauth/token?grant_type=x"
        ));
        assert!(is_token_url("{{baseUrl}}/oauth/token"));
        assert!(!is_token_url("/v3/oauth/token"));
    }

    #[test]
    fn templates_stay_one_segment() {
        assert_eq!(
            normalize_templates("/v3/x/{{$.a[?(@.b == 'c/d')].id}}?q"),
            "/v3/x/{{}}?q"
        );
        let s = substitute("{{a}}/{{b}}/{{c}}", &|n| match n {
            "a" => Some("{{b}}x".into()),
            "b" => Some("B".into()),
            "c" => Some(String::new()),
            _ => None,
        });
        assert_eq!(s, "Bx/B/{{c}}");
    }
}
