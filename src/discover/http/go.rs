//! Hand-written HTTP in Go: `net/http` (`http.NewRequest[WithContext]`, `http.Get/Head/Post/
//! PostForm`, the same methods on `*http.Client` values; `Do(req)` is not reported again),
//! `hashicorp/go-retryablehttp` (same shapes), resty (`client.R()...Get(url)`,
//! `.Execute(method, url)`), and the SDK's generic entry point
//! (`apiClient.Generic.DefaultAPI.GenericGet(ctx, "v2025/accounts")`).
//!
//! Server routes (`http.HandleFunc("/v3/...")`, `mux.Handle`, gin/echo/chi `r.GET(...)`) and
//! test servers (`httptest`) are not requests: they are never matched, because only request
//! constructors and client methods are.

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::{Piece, Value};
use super::brace::{
    Link, assigned_from, chain_before, declared_type, is_bare_path, method_of, offset_of,
    plain_receiver, prev_code,
};
use crate::catalog::Method;

/// Packages whose request constructors take `(method, url, body)`.
const REQUEST_PKGS: &[&str] = &["http", "retryablehttp"];

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let uses_resty = code.src.contains("resty");
    let header = experimental_header(code, None, Some(env), project_has_header);
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(name) = code.ident(i) else { continue };
        if !code.is_punct(i + 1, "(")
            || !prev_code(code, i.wrapping_sub(1)).is_some_and(|d| code.is_punct(d, "."))
        {
            continue;
        }
        let args = code.args(i + 1);
        let recv = plain_receiver(code, i);
        let pkg = recv.as_deref().filter(|r| REQUEST_PKGS.contains(r));
        let found: Option<((usize, usize), MethodSpec, Via)> = match name {
            "NewRequest" | "NewRequestWithContext" if pkg.is_some() => {
                let k = usize::from(name == "NewRequestWithContext");
                match (args.get(k), args.get(k + 1)) {
                    (Some(&m), Some(&u)) => Some((u, method_of(env, m, i), Via::Http)),
                    _ => None,
                }
            }
            "Get" | "Head" | "Post" | "PostForm" | "Put" | "Patch" | "Delete" | "Options" => {
                let verb = match name {
                    "PostForm" => Method::Post,
                    n => Method::parse(n).unwrap_or(Method::Get),
                };
                let std_arity = match name {
                    "Get" | "Head" => 1,
                    "Post" => 3,
                    "PostForm" => 2,
                    _ => usize::MAX,
                };
                let std_client = std_arity == args.len()
                    && (pkg.is_some() || recv.as_deref().is_some_and(|r| std_client(env, r)));
                let resty = args.len() == 1
                    && (r_link(code, i)
                        || (uses_resty || set_builders(code, i) || builder_var(env, i))
                            && resty_request(env, i));
                match (std_client || resty, args.first()) {
                    (true, Some(&u)) => Some((u, MethodSpec::Known(verb), Via::Http)),
                    _ => None,
                }
            }
            // resty `R().Execute("PATCH", url)`.
            "Execute"
                if args.len() == 2
                    && (r_link(code, i)
                        || (uses_resty || set_builders(code, i) || builder_var(env, i))
                            && resty_request(env, i)) =>
            {
                Some((args[1], method_of(env, args[0], i), Via::Http))
            }
            // The SDK's generic API: `GenericGet(ctx, "v2025/accounts")`.
            _ if name.starts_with("Generic") && !args.is_empty() => {
                let m = Method::parse(&name["Generic".len()..]);
                let path = if args.len() >= 2 { args[1] } else { args[0] };
                m.map(|m| (path, MethodSpec::Known(m), Via::Sdk))
            }
            _ => None,
        };
        let Some((ur, method, via)) = found else {
            continue;
        };
        let url = env.eval(ur, i);
        if url.is_empty() {
            continue;
        }
        if test_server_url(env, &url) {
            continue;
        }
        // A bare path is only a request on a client with a base URL (resty's `SetBaseURL`,
        // the SDK), never on net/http, which needs an absolute URL.
        if is_bare_path(&url) && pkg.is_some() && !name.starts_with("NewRequest") {
            continue;
        }
        out.push(Site {
            offset: offset_of(code, ur),
            tok: i,
            url,
            method,
            via,
            experimental_header: header,
        });
    }
    out
}

/// Whether every candidate starts with the URL of an `httptest` server (`srv.URL + "/v3/x"`):
/// a test talking to a fake, not to ISC.
fn test_server_url(env: &Env, url: &Value) -> bool {
    url.cands.iter().all(|c| match c.first() {
        Some(Piece::Hole(h)) => h.strip_suffix(".URL").is_some_and(|srv| {
            assigned_from(
                env,
                srv,
                &["NewServer", "NewTLSServer", "NewUnstartedServer"],
            )
        }),
        _ => false,
    })
}

/// Whether a receiver is a `*http.Client` (or retryablehttp's): its type, how it was made, or
/// a name that says so.
fn std_client(env: &Env, recv: &str) -> bool {
    if recv == "http.DefaultClient" {
        return true;
    }
    let last = recv.rsplit('.').next().unwrap_or(recv);
    let lower = last.to_ascii_lowercase();
    if lower.contains("client") || lower.contains("http") || lower == "hc" {
        return true;
    }
    if declared_type(env.code, recv).is_some_and(|t| t == "Client") {
        return true;
    }
    assigned_from(
        env,
        recv,
        &["Client", "DefaultClient", "NewClient", "StandardClient"],
    )
}

/// Whether the chain before the call named at `i` sets request parts the way resty's builders
/// do (`.SetBody(b).SetPathParam("id", id)`): a resty request made by a project helper, in a
/// file that need not name resty.
fn set_builders(code: &Code, i: usize) -> bool {
    chain_before(code, i)
        .0
        .iter()
        .any(|l| code.ident(l.name).is_some_and(resty_builder))
}

/// Whether the call named at `i` is made on a variable assigned a chain of resty's builders
/// (`req := c.prepareRequest(ctx).SetBody(b)`, then `req.Post(path)`).
fn builder_var(env: &Env, i: usize) -> bool {
    let code = env.code;
    let Some(var) = plain_receiver(code, i) else {
        return false;
    };
    env.assigns.iter().any(|a| {
        a.name == var && (a.rhs.0..a.rhs.1).any(|k| code.ident(k).is_some_and(resty_builder))
    })
}

/// resty's request builders.
fn resty_builder(n: &str) -> bool {
    matches!(
        n,
        "SetBody"
            | "SetResult"
            | "SetError"
            | "SetPathParam"
            | "SetPathParams"
            | "SetQueryParam"
            | "SetQueryParams"
            | "SetQueryString"
            | "SetHeader"
            | "SetHeaders"
            | "SetContext"
            | "SetAuthToken"
            | "SetFormData"
    )
}

/// Whether the call named at `i` ends a chain through resty's `R()` (files that use a resty
/// client made elsewhere need not import resty).
fn r_link(code: &Code, i: usize) -> bool {
    chain_before(code, i)
        .0
        .iter()
        .any(|l| code.ident(l.name) == Some("R") && code.close_of(l.open) == Some(l.open + 1))
}

/// Whether the call named at `i` is made on a resty request: `client.R()...`, a chain of
/// `SetXxx(...)` builders, or a variable holding `client.R()`.
fn resty_request(env: &Env, i: usize) -> bool {
    let code: &Code = env.code;
    let (links, root) = chain_before(code, i);
    let is_req = |l: &Link| {
        let n = code.ident(l.name).unwrap_or("");
        (n == "R" || n == "NewRequest") && code.close_of(l.open) == Some(l.open + 1)
    };
    if links.iter().any(is_req) {
        return true;
    }
    // Builders: `SetBody(...)`, `SetPathParam(...)`, `SetResult(...)` — all of them, or after
    // the project's own request factory (`c.prepareRequest(ctx).SetResult(&r).Get(path)`).
    let is_set = |l: &Link| {
        code.ident(l.name).is_some_and(|n| {
            n.len() > 3 && n.starts_with("Set") && n.as_bytes()[3].is_ascii_uppercase()
        })
    };
    // (Links are nearest first: the factory is the last.)
    let n = links.len();
    if n > 0 && (links.iter().all(is_set) || n >= 2 && links[..n - 1].iter().all(is_set)) {
        return true;
    }
    // `req := client.R()` then `req.SetBody(b).Post(url)`.
    let root_name = match code.tok(root) {
        Some(Tok::Ident(n)) => n.to_string(),
        _ => return false,
    };
    let var = plain_receiver(code, links.last().map_or(i, |l| l.name)).unwrap_or(root_name);
    assigned_from(env, &var, &["R"])
        || declared_type(code, &var).is_some_and(|t| t == "Request")
        || builder_var(env, i)
}

#[cfg(test)]
mod tests {
    use super::super::super::eval::with_env;
    use super::super::super::lex::Lang;
    use super::*;

    fn found(src: &str) -> Vec<(String, String)> {
        with_env(src, Lang::Go, |env| sites(env, false))
            .into_iter()
            .map(|s| {
                let m = s.method.label();
                (m, format!("{:?}", s.url.cands))
            })
            .collect()
    }

    #[test]
    fn net_http_and_resty_forms() {
        let src = r#"package x
import "github.com/go-resty/resty/v2"
func f(c *http.Client, r *resty.Client) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodDelete, base+"/v3/sources/"+id, nil)
	c.Do(req)
	http.Post(base+"/v3/search", "application/json", body)
	r.R().SetBody(b).Patch("/v3/roles/x")
	r.R().Execute("PUT", "/v3/transforms/x")
	m.Get("/v3/sources")
	http.HandleFunc("/v3/sources", h)
}"#;
        let f = found(src);
        let methods: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(methods, vec!["DELETE", "POST", "PATCH", "PUT"]);
    }

    #[test]
    fn resty_requests_from_a_project_factory() {
        // The factory (`c.prepareRequest(ctx)` returning `c.HTTPClient.R()...`) is in another
        // file; the builders say it is resty.
        let src = r#"package client
func (c *Client) GetRole(ctx context.Context, id string) (*RoleAPI, error) {
	resp, err := c.prepareRequest(ctx).
		SetResult(&role).
		SetPathParam("id", id).
		Get(roleEndpointGet)
	c.newReq(ctx).SetBody(b).Post("/v2025/roles")
	cache.Get(key)
	m.Set("a", b).Get("/v3/x")
	req := c.prepareRequest(ctx).
		SetBody(source)
	resp, err := req.Put("/v2025/sources/x")
	v := cfg.Load()
	v.Get("/v3/y")
}"#;
        let f = found(src);
        let methods: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(methods, vec!["GET", "POST", "PUT"]);
    }
}
