//! `.http` / `.rest` request files (JetBrains HTTP Client, VS Code REST Client).
//!
//! A file is a list of blocks separated by `###` lines; each block holds at most one request:
//! comments (`#`, `//`), file variables (`@name = value`) and JetBrains pre-request scripts
//! (`< {% ... %}`) may come first, then the request line `METHOD URL [HTTP/x]` (a bare URL
//! means GET), query continuation lines (`?a=1`, `&b=2`, or indented `/more/path`), headers up
//! to a blank line, and the body up to the next `###`. Lines after the request line are never
//! read as requests, so a body that holds URLs or `GET ...` text adds nothing; neither does a
//! commented-out request.
//!
//! File variables are visible in the whole file (as in both clients) and are substituted into
//! URLs and headers, recursively; other `{{...}}` placeholders (environment files, `$dotenv`,
//! request variables) stay placeholders. Non-ISC hosts are dropped; `/oauth/token` is
//! [`Via::Auth`]; the `X-SailPoint-Experimental` header is read.

use super::{is_experimental_header, is_true, substitute, url_call};
use crate::catalog::Method;
use crate::discover::call::{RawCall, Via};

struct Request {
    offset: usize,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Before the request line of a block.
    Pre,
    /// Inside a `< {% ... %}` pre-request script.
    Script,
    /// Right after the request line: continuation lines may follow.
    Url,
    Headers,
    Body,
}

/// The requests of a `.http` / `.rest` file.
pub fn scan(text: &str) -> Vec<RawCall> {
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut reqs: Vec<Request> = Vec::new();
    let mut state = State::Pre;
    let mut pos = 0;
    for raw_line in text.split_inclusive('\n') {
        let line_start = pos;
        pos += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.starts_with("###") {
            state = State::Pre;
            continue;
        }
        let comment = trimmed.starts_with('#') || trimmed.starts_with("//");
        if state == State::Url {
            let indented = line.starts_with([' ', '\t']);
            if trimmed.starts_with(['?', '&']) || (indented && trimmed.starts_with('/')) {
                if let Some(r) = reqs.last_mut() {
                    r.url.push_str(trimmed);
                }
                continue;
            }
            state = State::Headers;
        }
        match state {
            State::Script => {
                if trimmed.contains("%}") {
                    state = State::Pre;
                }
            }
            State::Pre => {
                if trimmed.is_empty() || comment {
                    continue;
                }
                if let Some(def) = trimmed.strip_prefix('@') {
                    if let Some((name, value)) = def.split_once('=') {
                        vars.push((name.trim().to_string(), value.trim().to_string()));
                    }
                    continue;
                }
                if trimmed.starts_with('<') {
                    if trimmed.contains("{%") && !trimmed.contains("%}") {
                        state = State::Script;
                    }
                    continue;
                }
                if let Some((method, url_at, url)) = request_line(line) {
                    reqs.push(Request {
                        offset: line_start + url_at,
                        method,
                        url: url.to_string(),
                        headers: Vec::new(),
                    });
                    state = State::Url;
                }
            }
            State::Headers => {
                if trimmed.is_empty() {
                    state = State::Body;
                } else if comment {
                    // A comment among the headers.
                } else if let Some((k, v)) = trimmed.split_once(':') {
                    if let Some(r) = reqs.last_mut() {
                        r.headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                } else {
                    // Not a header: a body without the blank line. Stop reading headers.
                    state = State::Body;
                }
            }
            State::Url | State::Body => {}
        }
    }
    let lookup = |name: &str| {
        vars.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    reqs.into_iter()
        .filter_map(|r| {
            let url = substitute(&r.url, &lookup);
            let exp = r
                .headers
                .iter()
                .find(|(k, _)| is_experimental_header(k))
                .map_or(Some(false), |(_, v)| {
                    let v = substitute(v, &lookup);
                    (!v.contains("{{")).then(|| is_true(&v))
                });
            url_call(r.offset, Some(r.method), &url, Via::HttpFile, exp)
        })
        .collect()
}

/// `METHOD URL [HTTP/x]` or a bare URL: the method, the byte offset of the URL in the line,
/// and the URL.
fn request_line(line: &str) -> Option<(Method, usize, &str)> {
    let lead = line.len() - line.trim_start().len();
    let body = &line[lead..];
    let (method, url_at) = match body.find(char::is_whitespace) {
        Some(i) if Method::parse(&body[..i]).is_some() => {
            let after = &body[i..];
            let ws = after.len() - after.trim_start().len();
            (Method::parse(&body[..i]), lead + i + ws)
        }
        _ => (None, lead),
    };
    let rest = &line[url_at..];
    // Drop a trailing ` HTTP/1.1`.
    let url = match rest.trim_end().rsplit_once(char::is_whitespace) {
        Some((u, v)) if v.starts_with("HTTP/") => u.trim_end(),
        _ => rest.trim_end(),
    };
    if url.is_empty() {
        return None;
    }
    match method {
        Some(m) => Some((m, url_at, url)),
        None if looks_like_url(url) => Some((Method::Get, url_at, url)),
        None => None,
    }
}

/// A bare request line: an absolute URL, a rooted path, or a placeholder base.
fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    (l.starts_with("http://")
        || l.starts_with("https://")
        || s.starts_with("{{")
        || s.starts_with('/'))
        && !s.contains(char::is_whitespace)
}
