//! Hand-written HTTP in Python: requests, httpx, aiohttp (`session.get(...)`), urllib
//! (`Request`, `urlopen`), urllib3 and http.client (`.request(method, url)`).

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::Value;
use super::VERBS;
use crate::catalog::Method;

/// Receivers whose `.get(...)` is never an HTTP request.
const NOT_HTTP: &[&str] = &[
    "os.environ",
    "environ",
    "dict",
    "headers",
    "params",
    "kwargs",
    "config",
    "settings",
    "data",
    "json",
    "response",
    "resp",
    "r",
    "body",
    "payload",
    "args",
    "item",
    "row",
    "record",
    "obj",
    "cache",
    "self.headers",
];

/// HTTP mocking libraries: their `get`/`add`/`register_uri` fake ISC for a test, the code
/// under test makes the call.
const MOCK_MODULES: &[&str] = &[
    "responses",
    "requests_mock",
    "respx",
    "httpretty",
    "aioresponses",
    "httpx_mock",
    "pook",
];

/// Names bound to a mock in this file: `with requests_mock.Mocker() as m`, `m =
/// aioresponses()`, `with respx.mock(...) as router`, and pytest fixtures named like the
/// libraries (`def test_x(requests_mock, httpx_mock)`).
fn mock_receivers(env: &Env) -> Vec<String> {
    let code = env.code;
    let is_mock_ctor = |a: usize, b: usize| {
        (a..b).any(|k| {
            code.ident(k).is_some_and(|w| {
                MOCK_MODULES.contains(&w)
                    || matches!(
                        w,
                        "Mocker" | "RequestsMock" | "MockRouter" | "MockTransport"
                    )
            })
        })
    };
    let mut out: Vec<String> = Vec::new();
    for k in 0..code.len() {
        if code.ident(k) == Some("as")
            && let Some(name) = code.ident(k + 1)
        {
            // Back to the `with` (or the `,` of a previous item) of this line.
            let start = (0..k)
                .rev()
                .find(|&j| {
                    matches!(code.tok(j), Some(Tok::Newline))
                        || code.ident(j) == Some("with")
                        || code.is_punct(j, ",") && code.depth[j] == code.depth[k]
                })
                .unwrap_or(0);
            if is_mock_ctor(start, k) {
                out.push(name.to_string());
            }
        }
    }
    for a in env.assigns {
        if is_mock_ctor(a.rhs.0, a.rhs.1) && !a.name.contains('.') {
            out.push(a.name.clone());
        }
    }
    out
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let mut out = Vec::new();
    let mocks = mock_receivers(env);
    for i in 0..code.len() {
        let Some(name) = code.ident(i) else { continue };
        if !code.is_punct(i + 1, "(") {
            continue;
        }
        let recv = receiver(code, i);
        // A method the file defines, called on `self`/`cls` (`self.request("GET", path)` in a
        // client class), and the definition itself, are the project's helper: followed to its
        // callers as a wrapper, not a request.
        if i > 0 && code.ident(i - 1) == Some("def")
            || matches!(recv.as_deref(), Some("self" | "cls"))
                && code.fns.iter().any(|f| f.name == name)
        {
            continue;
        }
        let args = code.args(i + 1);
        let (pos, named) = split(code, &args);
        let named_arg = |n: &str| named.iter().find(|(k, _)| *k == n).map(|(_, r)| *r);
        let headers = named_arg("headers");
        let has_data = named_arg("data").is_some() || named_arg("json").is_some();
        let (url_r, method) = if let Some(&(_, m)) = VERBS.iter().find(|(v, _)| *v == name) {
            // `<recv>.get(url)`: a receiver is required (a bare `get(...)` is a project
            // function, handled as a wrapper when it is one).
            match &recv {
                Some(r)
                    if !NOT_HTTP.contains(&r.as_str())
                        && !MOCK_MODULES.contains(&r.as_str())
                        && !mocks.contains(r) => {}
                _ => continue,
            }
            (
                named_arg("url").or(pos.first().copied()),
                MethodSpec::Known(m),
            )
        } else if name == "request" {
            // `requests.request("GET", url)`, `session.request(method=..., url=...)`,
            // `conn.request("GET", "/v3/...")`, `http.request("GET", url)` (urllib3).
            let m = named_arg("method").or(pos.first().copied());
            let u = named_arg("url").or(pos.get(1).copied());
            (u, method_of(env, m, i))
        } else if name == "Request" {
            // `urllib.request.Request(url, data=None, headers={}, method=None)`.
            let m = match named_arg("method") {
                Some(r) => method_of(env, Some(r), i),
                None if has_data || pos.len() > 1 => MethodSpec::Known(Method::Post),
                None => MethodSpec::Known(Method::Get),
            };
            (named_arg("url").or(pos.first().copied()), m)
        } else if name == "urlopen" {
            // `urlopen(url)` (a Request object is reported where it is built).
            let u = named_arg("url").or(pos.first().copied());
            if u.is_some_and(
                |r| matches!(code.tok(r.0), Some(Tok::Ident(n)) if is_request_var(env, n, i)),
            ) {
                continue;
            }
            let m = if has_data || pos.len() > 1 {
                Method::Post
            } else {
                Method::Get
            };
            (u, MethodSpec::Known(m))
        } else {
            continue;
        };
        let Some(ur) = url_r else { continue };
        let url = env.eval(ur, i);
        if url.is_empty() {
            continue;
        }
        // A bare path (no host, no base) is only a request on a client made for a base URL
        // (`httpx.Client(base_url=...)`, a session, an API client): `cfg.get("/v3/x")` is a
        // dictionary lookup.
        if is_bare_path(&url)
            && !recv.as_deref().is_some_and(|r| http_receiver(env, r, i))
            && name != "request"
            && name != "Request"
        {
            continue;
        }
        out.push(Site {
            offset: code.toks[code.skip_newlines(ur.0, ur.1)].start,
            tok: i,
            url,
            method,
            via: Via::Http,
            experimental_header: experimental_header(code, headers, Some(env), project_has_header),
        });
    }
    out
}

/// Whether every candidate is a literal path without a host or base (`"/v3/sources"`).
fn is_bare_path(v: &Value) -> bool {
    v.cands.iter().all(|c| matches!(c.first(), Some(super::super::value::Piece::Lit(l)) if l.starts_with('/') || !l.contains("://") && !l.contains('.')))
}

/// Whether a receiver is an HTTP client: its name says so, or it was built by an HTTP
/// client constructor.
fn http_receiver(env: &Env, recv: &str, at: usize) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    let by_name = [
        "session",
        "client",
        "http",
        "api",
        "requests",
        "httpx",
        "conn",
        "connection",
        "sess",
        "rest",
        "isc",
        "idn",
    ]
    .iter()
    .any(|k| last.contains(k));
    // `api_config.get('tenant')`, `client_settings.get(...)`: a dictionary named after the
    // client, not the client.
    let data = [
        "config", "conf", "cfg", "setting", "option", "param", "dict", "data", "cache", "env",
        "header", "json", "args", "result", "response", "resp", "payload", "body",
    ]
    .iter()
    .any(|k| last.contains(k));
    if (by_name && !data) || last == "s" {
        return true;
    }
    let _ = at;
    env.assigns.iter().any(|a| {
        a.name == recv
            && (a.rhs.0..a.rhs.1).any(|k| {
                matches!(
                    env.code.ident(k),
                    Some(
                        "Session"
                            | "Client"
                            | "AsyncClient"
                            | "ClientSession"
                            | "PoolManager"
                            | "HTTPSConnection"
                            | "HTTPConnection"
                    )
                )
            })
    })
}

/// Whether a name holds a `Request(...)` object (then `urlopen(req)` is not a new site).
fn is_request_var(env: &Env, name: &str, _at: usize) -> bool {
    env.assigns
        .iter()
        .any(|a| a.name == name && (a.rhs.0..a.rhs.1).any(|k| env.code.ident(k) == Some("Request")))
}

fn method_of(env: &Env, r: Option<(usize, usize)>, at: usize) -> MethodSpec {
    let Some(r) = r else {
        return MethodSpec::Unknown;
    };
    let v = env.eval(r, at);
    if let Some(m) = super::super::frontend::literal_or_param_method(&v) {
        return m;
    }
    // `method.upper()` of a literal and the like.
    let lits = super::super::frontend::literal_methods(&v);
    if lits.len() == 1 {
        return MethodSpec::Known(lits[0]);
    }
    super::super::frontend::method_spec_of_value(&v).unwrap_or(MethodSpec::Unknown)
}

/// The receiver chain of a method call at `name_tok` (`requests`, `self.session`).
pub fn receiver(code: &Code, name_tok: usize) -> Option<String> {
    if name_tok < 2 || !code.is_punct(name_tok - 1, ".") {
        return None;
    }
    let mut parts = Vec::new();
    let mut k = name_tok - 1;
    while k >= 1 && code.is_punct(k, ".") {
        match code.tok(k - 1) {
            Some(Tok::Ident(s)) => {
                parts.push(s.to_string());
                if k < 2 {
                    break;
                }
                k -= 2;
            }
            Some(Tok::Punct(")")) => {
                // `httpx.AsyncClient().get(...)`: the constructor's name.
                let open = code.close_of(k - 1)?;
                if let Some(n) = code.ident(open.wrapping_sub(1)) {
                    parts.push(format!("{n}()"));
                }
                break;
            }
            _ => break,
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

/// Positional and keyword arguments.
type SplitArgs<'a> = (Vec<(usize, usize)>, Vec<(&'a str, (usize, usize))>);

fn split<'a>(code: &'a Code, args: &[(usize, usize)]) -> SplitArgs<'a> {
    let mut pos = Vec::new();
    let mut named = Vec::new();
    for &r in args {
        match code.named_arg(r) {
            Some((n, v)) if code.is_punct(code.skip_newlines(r.0, r.1) + 1, "=") => {
                named.push((n, v))
            }
            _ => pos.push(r),
        }
    }
    (pos, named)
}
