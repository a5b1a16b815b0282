//! Hand-written HTTP in C#:
//!
//! - `HttpClient` verbs (`GetAsync`, `GetStringAsync`, `GetFromJsonAsync<T>`, `PostAsync`,
//!   `PostAsJsonAsync`, `PutAsync`, `PatchAsync`, `DeleteAsync`, ...);
//! - `HttpRequestMessage` where it is built (`new HttpRequestMessage(HttpMethod.Post, url)`,
//!   target-typed `new(HttpMethod.Get, url)`, `new HttpMethod("PATCH")`, object initialisers
//!   `{ Method = ..., RequestUri = ... }`, or properties set later on the variable); the
//!   `SendAsync` that sends it is not reported again;
//! - RestSharp: `new RestRequest(resource, Method.Post)` with the method from the
//!   constructor, an initialiser, `request.Method = ...`, or the call that executes it
//!   (`client.PostAsync(request)`, `ExecuteAsync(request, Method.Delete)`), GET by default;
//!   `client.GetJsonAsync<T>(resource)` and friends;
//! - Flurl: `"https://...".AppendPathSegment("v3")...GetJsonAsync<T>()`;
//! - legacy `WebClient.DownloadString/UploadString` and `WebRequest.Create(url)`.
//!
//! Relative URLs are joined to the file's single base address (`BaseAddress = new Uri(..)`,
//! `new RestClient(base)`). Not calls: ASP.NET routes (`[HttpGet("v3/x")]`,
//! `app.MapGet(...)`), dictionaries, mock handlers and WireMock.

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::{Value, join_path};
use super::brace::{
    after_generics, assigned_from, chain_before, declared_type, family_path, is_bare_path,
    local_def, method_of, next_code, offset_of, plain_receiver, prev_code, receiver,
};
use crate::catalog::Method;

/// Methods of `HttpClient` (and its JSON extensions) that take the URL first.
const HTTP_CLIENT: &[&str] = &[
    "GetAsync",
    "GetStringAsync",
    "GetFromJsonAsync",
    "GetStreamAsync",
    "GetByteArrayAsync",
    "PostAsync",
    "PostAsJsonAsync",
    "PutAsync",
    "PutAsJsonAsync",
    "PatchAsync",
    "PatchAsJsonAsync",
    "DeleteAsync",
    "DeleteFromJsonAsync",
];

/// Flurl's request verbs (on a URL chain).
const FLURL_VERBS: &[&str] = &[
    "GetAsync",
    "GetJsonAsync",
    "GetStringAsync",
    "GetStreamAsync",
    "GetBytesAsync",
    "PostAsync",
    "PostJsonAsync",
    "PostStringAsync",
    "PostUrlEncodedAsync",
    "PostMultipartAsync",
    "PutAsync",
    "PutJsonAsync",
    "PutStringAsync",
    "PatchAsync",
    "PatchJsonAsync",
    "PatchStringAsync",
    "DeleteAsync",
    "HeadAsync",
    "OptionsAsync",
    "SendAsync",
    "SendJsonAsync",
];

/// Flurl's URL and request builders.
const FLURL_LINKS: &[&str] = &[
    "AppendPathSegment",
    "AppendPathSegments",
    "SetQueryParam",
    "SetQueryParams",
    "WithHeader",
    "WithHeaders",
    "WithOAuthBearerToken",
    "WithBasicAuth",
    "AllowHttpStatus",
    "AllowAnyHttpStatus",
    "WithTimeout",
    "WithAutoRedirect",
    "WithCookie",
    "WithCookies",
    "WithSettings",
    "ToUri",
];

struct Ctx<'e, 'c> {
    env: &'e Env<'c>,
    header: Option<bool>,
    base: Option<Value>,
    out: Vec<Site>,
}

impl Ctx<'_, '_> {
    fn push(&mut self, ur: (usize, usize), url: Option<Value>, method: MethodSpec, tok: usize) {
        let mut url = url.unwrap_or_else(|| self.env.eval(ur, tok));
        if url.is_empty() {
            return;
        }
        // A base address applies to relative paths that do not name an API version
        // themselves.
        if is_bare_path(&url) && !family_path(&url) {
            let base = self.base.clone().or_else(|| project_base(self.env, tok));
            if let Some(b) = base {
                url = join_path(&b, &url);
            }
        }
        self.out.push(Site {
            offset: offset_of(self.env.code, ur),
            tok,
            url,
            method,
            via: Via::Http,
            experimental_header: self.header,
        });
    }
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let mut cx = Ctx {
        env,
        header: experimental_header(code, None, Some(env), project_has_header),
        base: file_base(env),
        out: Vec::new(),
    };
    for i in 0..code.len() {
        // Target-typed `new(HttpMethod.Get, url)` / `new("v3/x", Method.Post)`.
        if code.is_ident_at(i, "new") && code.is_punct(i + 1, "(") {
            target_typed_new(&mut cx, i);
            continue;
        }
        let Some(name) = code.ident(i) else { continue };
        let open = after_generics(code, i);
        // `new HttpRequestMessage { Method = ..., RequestUri = ... }`.
        if name == "HttpRequestMessage"
            && code.is_ident_at(i.wrapping_sub(1), "new")
            && code.is_punct(next_code(code, i + 1), "{")
        {
            request_message(&mut cx, i, None);
            continue;
        }
        if !code.is_punct(open, "(") {
            continue;
        }
        let is_new = i
            .checked_sub(1)
            .and_then(|p| prev_code(code, p))
            .is_some_and(|p| code.is_ident_at(p, "new"));
        let dot = i
            .checked_sub(1)
            .and_then(|p| prev_code(code, p))
            .is_some_and(|p| code.is_punct(p, ".") || code.is_punct(p, "?."));
        match name {
            "HttpRequestMessage" if is_new => request_message(&mut cx, i, Some(open)),
            "RestRequest" if is_new => rest_request(&mut cx, i, open),
            "Create" | "CreateHttp" if dot && receiver_is(code, i, "WebRequest") => {
                web_request(&mut cx, i, open)
            }
            "DownloadString"
            | "DownloadStringTaskAsync"
            | "DownloadData"
            | "DownloadDataTaskAsync"
            | "OpenRead"
            | "OpenReadTaskAsync"
                if dot =>
            {
                if let Some(&u) = cargs(code, open).first() {
                    cx.push(u, None, MethodSpec::Known(Method::Get), i);
                }
            }
            "UploadString" | "UploadStringTaskAsync" | "UploadData" | "UploadDataTaskAsync"
                if dot =>
            {
                let args = cargs(code, open);
                let m = if args.len() >= 3 {
                    method_of(env, args[1], i)
                } else {
                    MethodSpec::Known(Method::Post)
                };
                if let Some(&u) = args.first() {
                    cx.push(u, None, m, i);
                }
            }
            "GetJsonAsync" | "PostJsonAsync" | "PutJsonAsync" | "PatchJsonAsync"
            | "DeleteJsonAsync"
                if dot && !flurl_chain(code, i) =>
            {
                // RestSharp `client.GetJsonAsync<T>(resource)`.
                let m = Method::parse(name.trim_end_matches("JsonAsync")).unwrap_or(Method::Get);
                if let Some(&u) = cargs(code, open).first() {
                    cx.push(u, None, MethodSpec::Known(m), i);
                }
            }
            _ if dot && FLURL_VERBS.contains(&name) && flurl_chain(code, i) => {
                flurl(&mut cx, i, open, name)
            }
            _ if dot && HTTP_CLIENT.contains(&name) => {
                let Some(&u) = cargs(code, open).first() else {
                    continue;
                };
                // RestSharp's `client.GetAsync(request)`: reported at the RestRequest.
                if request_var(env, u, i) {
                    continue;
                }
                let verb = name
                    .trim_end_matches("Async")
                    .trim_end_matches("AsJson")
                    .trim_end_matches("FromJson")
                    .trim_end_matches("String")
                    .trim_end_matches("Stream")
                    .trim_end_matches("ByteArray");
                let m = Method::parse(verb).unwrap_or(Method::Get);
                // `_cache.GetAsync("key")`, `repo.DeleteAsync(id)`: on something that is not
                // known to be an HttpClient, a bare path must at least name an API version.
                let url = env.eval(u, i);
                let recv = plain_receiver(code, i);
                if recv
                    .as_deref()
                    .is_some_and(|r| test_server_client(env, r, i))
                {
                    continue;
                }
                let client = recv.is_some_and(|r| http_client(env, &r));
                if !client && is_bare_path(&url) && !family_path(&url) {
                    continue;
                }
                cx.push(u, Some(url), MethodSpec::Known(m), i);
            }
            _ => {}
        }
    }
    cx.out
}

/// Arguments with C# names dropped (`requestUri: url` → `url`).
fn cargs(code: &Code, open: usize) -> Vec<(usize, usize)> {
    code.args(open)
        .into_iter()
        .map(|r| {
            let a = next_code(code, r.0);
            match code.named_arg(r) {
                Some((_, v)) if code.is_punct(a + 1, ":") => v,
                _ => r,
            }
        })
        .collect()
}

/// Whether a receiver is the client of an ASP.NET test server (`WebApplicationFactory`,
/// `TestServer`): integration tests of the project's own routes.
fn test_server_client(env: &Env, recv: &str, at: usize) -> bool {
    let code = env.code;
    if !(code.src.contains("WebApplicationFactory") || code.src.contains("TestServer")) {
        return false;
    }
    let bare = recv.strip_prefix("this.").unwrap_or(recv);
    let def = local_def(env, bare, at).or_else(|| {
        env.assigns
            .iter()
            .find(|a| a.name == bare || a.name == format!("this.{bare}"))
            .map(|a| a.rhs)
    });
    def.is_some_and(|(a, b)| {
        (a..b).any(|k| {
            code.is_ident_at(k, "CreateClient") || code.is_ident_at(k, "CreateDefaultClient")
        })
    })
}

/// Whether a receiver is an `HttpClient`: its name, its declared type, or how it was made.
fn http_client(env: &Env, recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    last.contains("http")
        || last.contains("client")
        || declared_type(env.code, recv).is_some_and(|t| t == "HttpClient")
        || assigned_from(env, recv, &["HttpClient", "CreateClient"])
}

/// Whether the call named at `i` is made on `Type.` (`WebRequest.Create`).
fn receiver_is(code: &Code, i: usize, ty: &str) -> bool {
    i >= 2 && code.is_punct(i - 1, ".") && code.ident(i - 2) == Some(ty)
}

/// The file's single base address: `BaseAddress = ...`, `new RestClient(base)`,
/// `new RestClientOptions(base)`, `new FlurlClient(base)`; none when it has several.
fn file_base(env: &Env) -> Option<Value> {
    let code = env.code;
    let mut vals: Vec<Value> = Vec::new();
    for a in env.assigns {
        if a.name == "BaseAddress" || a.name.ends_with(".BaseAddress") || a.name == "BaseUrl" {
            vals.push(env.eval(a.rhs, a.tok));
        }
    }
    for i in 1..code.len() {
        if matches!(
            code.ident(i),
            Some("RestClient" | "RestClientOptions" | "FlurlClient")
        ) && code.is_ident_at(i - 1, "new")
            && code.is_punct(i + 1, "(")
            && let Some(&(a, b)) = code.args(i + 1).first()
            && code.named_arg((a, b)).is_none()
        {
            vals.push(env.eval((a, b), i));
        }
    }
    let mut base: Option<Value> = None;
    for v in vals.into_iter().filter(|v| !v.is_empty()) {
        match &base {
            None => base = Some(v),
            Some(b) if *b == v => {}
            Some(_) => return None,
        }
    }
    base
}

/// The base address configured elsewhere in the project for the client a call at `i` uses:
/// the typed client its class is (`AddHttpClient<TypedClient>(c => c.BaseAddress = ...)`),
/// the named client it was created as (`factory.CreateClient("isc")`), or the project's only
/// base address.
fn project_base(env: &Env, i: usize) -> Option<Value> {
    let code = env.code;
    let consts = &env.project.consts;
    // The enclosing class.
    let class = (0..i).rev().find_map(|k| {
        (code.is_ident_at(k, "class") && code.ident(k + 1).is_some()).then_some(k + 1)
    });
    if let Some(c) = class
        && let Some(v) = consts.get(&format!("{}.BaseAddress", code.ident(c).unwrap_or("")))
    {
        return Some(v.clone());
    }
    // `var client = _factory.CreateClient("isc")` in this function.
    if let Some(recv) = plain_receiver(code, i)
        && let Some((a, b)) = local_def(env, &recv, i)
        && let Some(k) = (a..b).find(|&k| code.is_ident_at(k, "CreateClient"))
        && let Some(&(x, _)) = code.args(k + 1).first()
        && let Some(Tok::Str(s)) = code.tok(x)
        && let Some(name) = s.plain()
        && let Some(v) = consts.get(&format!("{name}.BaseAddress"))
    {
        return Some(v.clone());
    }
    consts
        .get("BaseAddress")
        .filter(|v| v.cands.len() == 1)
        .cloned()
}

/// Whether an argument is a variable holding a `RestRequest` or `HttpRequestMessage`.
fn request_var(env: &Env, r: (usize, usize), at: usize) -> bool {
    let code = env.code;
    let a = next_code(code, r.0);
    let Some(name) = code.ident(a) else {
        return false;
    };
    if a + 1 != r.1 {
        return false;
    }
    let func = code.enclosing_fn(at);
    env.assigns.iter().any(|x| {
        x.name == name
            && x.func == func
            && (x.rhs.0..x.rhs.1).any(|k| {
                matches!(code.ident(k), Some("RestRequest" | "HttpRequestMessage"))
                    || code.is_ident_at(k, "new") && code.is_punct(k + 1, "(")
            })
    })
}

/// The object initialiser after `new T(...)`: `Name = value` entries.
fn initializer(code: &Code, after: usize) -> Vec<(String, (usize, usize))> {
    let b = next_code(code, after);
    if !code.is_punct(b, "{") {
        return Vec::new();
    }
    code.args(b)
        .into_iter()
        .filter_map(|r| {
            let (n, v) = code.named_arg(r)?;
            Some((n.to_string(), v))
        })
        .collect()
}

/// The variable the expression at `i` is assigned to, and the properties set on it later in
/// the same function (`req.Method = ...`).
fn later_props(env: &Env, i: usize, prop: &str) -> Option<(usize, usize)> {
    let var = env
        .assigns
        .iter()
        .find(|a| a.rhs.0 <= i && i < a.rhs.1)
        .map(|a| a.name.clone())?;
    let func = env.code.enclosing_fn(i);
    let want = format!("{var}.{prop}");
    env.assigns
        .iter()
        .filter(|a| a.name == want && a.func == func && a.tok > i)
        .map(|a| a.rhs)
        .next()
}

/// `new HttpRequestMessage(method, url)`, `new HttpRequestMessage { Method = .., RequestUri
/// = .. }`, or properties set on the variable afterwards.
fn request_message(cx: &mut Ctx, i: usize, open: Option<usize>) {
    let env = cx.env;
    let code = env.code;
    let args = open.map(|o| cargs(code, o)).unwrap_or_default();
    let after = open.map_or(i + 1, |o| code.close_of(o).unwrap_or(o) + 1);
    let init = initializer(code, after);
    let get = |key: &str| init.iter().find(|(n, _)| n == key).map(|(_, r)| *r);
    let method_r = args
        .first()
        .copied()
        .or_else(|| get("Method"))
        .or_else(|| later_props(env, i, "Method"));
    let url_r = args
        .get(1)
        .copied()
        .or_else(|| get("RequestUri"))
        .or_else(|| later_props(env, i, "RequestUri"));
    let method = method_r.map_or(MethodSpec::Known(Method::Get), |r| method_of(env, r, i));
    if let Some(u) = url_r {
        cx.push(u, None, method, i);
    }
}

/// `new(HttpMethod.Get, url)` (an `HttpRequestMessage`) and `new("v3/x", Method.Post)` (a
/// `RestRequest`) where the type is given by the declaration.
fn target_typed_new(cx: &mut Ctx, i: usize) {
    let code = cx.env.code;
    let args = cargs(code, i + 1);
    let mentions = |r: (usize, usize), w: &str| (r.0..r.1).any(|k| code.ident(k) == Some(w));
    let declared = |ty: &str| {
        // `HttpRequestMessage req = new(...)`.
        let Some(eq) = i.checked_sub(1).and_then(|p| prev_code(code, p)) else {
            return false;
        };
        code.is_punct(eq, "=") && eq >= 2 && code.ident(eq - 2) == Some(ty)
    };
    match args.as_slice() {
        [m, _] if mentions(*m, "HttpMethod") || declared("HttpRequestMessage") => {
            request_message(cx, i, Some(i + 1))
        }
        [_, m] if mentions(*m, "Method") || declared("RestRequest") => rest_request(cx, i, i + 1),
        [_] if declared("RestRequest") => rest_request(cx, i, i + 1),
        _ => {}
    }
}

/// RestSharp `new RestRequest(resource[, method])`, `new RestRequest(Method.GET)` (v106: the
/// URL is the client's), resources relative to the executing client's base URL.
fn rest_request(cx: &mut Ctx, i: usize, open: usize) {
    let env = cx.env;
    let code = env.code;
    let args = code.args(open);
    let close = code.close_of(open).unwrap_or(open);
    let init = initializer(code, close + 1);
    let get = |key: &str| init.iter().find(|(n, _)| n == key).map(|(_, r)| *r);
    let mentions = |r: (usize, usize), w: &str| (r.0..r.1).any(|k| code.ident(k) == Some(w));
    let named = |key: &str| {
        args.iter()
            .find_map(|&r| code.named_arg(r).filter(|(n, _)| *n == key).map(|(_, v)| v))
    };
    let positional: Vec<(usize, usize)> = args
        .iter()
        .copied()
        .filter(|&r| {
            code.named_arg(r)
                .is_none_or(|_| !code.is_punct(next_code(code, r.0) + 1, ":"))
        })
        .collect();
    let url_r = named("resource")
        .or_else(|| {
            positional
                .iter()
                .copied()
                .find(|&r| !mentions(r, "Method") && !mentions(r, "DataFormat"))
        })
        .or_else(|| get("Resource"))
        .or_else(|| later_props(env, i, "Resource"));
    let method_r = named("method")
        .or_else(|| positional.iter().copied().find(|&r| mentions(r, "Method")))
        .or_else(|| get("Method"))
        .or_else(|| later_props(env, i, "Method"));
    let (exec_method, client) = execution(env, i);
    let method = match method_r {
        Some(r) => method_of(env, r, i),
        None => exec_method.unwrap_or(MethodSpec::Known(Method::Get)),
    };
    let base = client.and_then(|c| client_base(env, &c, i));
    match (url_r, base) {
        (Some(u), Some((b, _))) => {
            let v = env.eval(u, i);
            let url = if is_bare_path(&v) && !family_path(&v) {
                join_path(&b, &v)
            } else {
                v
            };
            cx.push(u, Some(url), method, i);
        }
        (Some(u), None) => cx.push(u, None, method, i),
        // The whole URL is the client's (`new RestClient("https://.../v3/sources")`).
        (None, Some((b, r))) => cx.push(r, Some(b), method, i),
        (None, None) => {}
    }
}

/// Where a RestRequest held in a variable is executed: the method the call gives
/// (`client.PostAsync(req)`, `client.ExecuteAsync(req, Method.Delete)`, `ExecuteGetAsync(req)`)
/// and the client's name.
fn execution(env: &Env, i: usize) -> (Option<MethodSpec>, Option<String>) {
    let code = env.code;
    let Some(var) = env
        .assigns
        .iter()
        .find(|a| a.rhs.0 <= i && i < a.rhs.1)
        .map(|a| a.name.clone())
    else {
        return (None, None);
    };
    let end = code
        .enclosing_fn(i)
        .map_or(code.len(), |f| code.fns[f].body.1);
    for k in i..end {
        let Some(n) = code.ident(k) else { continue };
        let open = after_generics(code, k);
        if !code.is_punct(open, "(") {
            continue;
        }
        let args = code.args(open);
        let Some(&(a, b)) = args.first() else {
            continue;
        };
        if !(b == a + 1 && code.ident(a) == Some(var.as_str())) {
            continue;
        }
        let client = plain_receiver(code, k);
        let verb = n
            .trim_end_matches("Async")
            .trim_end_matches("Task")
            .trim_start_matches("Execute")
            .trim_end_matches("Json");
        if let Some(m) = Method::parse(verb) {
            return (Some(MethodSpec::Known(m)), client);
        }
        if n.starts_with("Execute") || n.starts_with("Download") {
            return (args.get(1).map(|&r| method_of(env, r, k)), client);
        }
    }
    (None, None)
}

/// The base URL a RestSharp client was made with: `new RestClient(url)`,
/// `new RestClient(new RestClientOptions(url))`, or an options variable; and where it is
/// named.
fn client_base(env: &Env, client: &str, at: usize) -> Option<(Value, (usize, usize))> {
    let code = env.code;
    let bare = client.strip_prefix("this.").unwrap_or(client);
    let def = local_def(env, bare, at).or_else(|| {
        env.assigns
            .iter()
            .find(|a| a.name == bare || a.name == format!("this.{bare}"))
            .map(|a| a.rhs)
    })?;
    let ctor = (def.0..def.1).find(|&k| {
        code.is_ident_at(k, "RestClient") && code.is_ident_at(k.wrapping_sub(1), "new")
    })?;
    let mut arg = *code.args(ctor + 1).first()?;
    // `new RestClient(options)` / `new RestClient(new RestClientOptions(url) { ... })`.
    for _ in 0..2 {
        let a = next_code(code, arg.0);
        let inner = if code.is_ident_at(a, "new") && code.is_ident_at(a + 1, "RestClientOptions") {
            Some(a + 2)
        } else if let Some(name) = code.ident(a).filter(|_| a + 1 == arg.1)
            && let Some(d) = local_def(env, name, at)
                .or_else(|| env.assigns.iter().find(|x| x.name == name).map(|x| x.rhs))
            && let Some(k) = (d.0..d.1).find(|&k| code.is_ident_at(k, "RestClientOptions"))
        {
            Some(k + 1)
        } else {
            None
        };
        match inner {
            Some(o) if code.is_punct(o, "(") => match code.args(o).first() {
                Some(&r) => arg = r,
                None => {
                    // `new RestClientOptions { BaseUrl = new Uri(..) }`.
                    let init = initializer(code, code.close_of(o)? + 1);
                    arg = init.into_iter().find(|(n, _)| n == "BaseUrl")?.1;
                }
            },
            _ => break,
        }
    }
    let v = env.eval(arg, at);
    if v.is_empty() { None } else { Some((v, arg)) }
}

/// `WebRequest.Create(url)` with `req.Method = "POST"` later (GET by default).
fn web_request(cx: &mut Ctx, i: usize, open: usize) {
    let env = cx.env;
    let Some(&u) = cargs(env.code, open).first() else {
        return;
    };
    let method = later_props(env, i, "Method")
        .map_or(MethodSpec::Known(Method::Get), |r| method_of(env, r, i));
    cx.push(u, None, method, i);
}

/// Whether the call at `i` ends a Flurl chain: a string or URL receiver with Flurl builders.
fn flurl_chain(code: &Code, i: usize) -> bool {
    let (links, root) = chain_before(code, i);
    links
        .iter()
        .any(|l| code.ident(l.name).is_some_and(|n| FLURL_LINKS.contains(&n)))
        || links.is_empty() && matches!(code.tok(root), Some(Tok::Str(_)))
}

/// Flurl: the URL is the receiver chain (URL builders evaluate, request settings keep it).
fn flurl(cx: &mut Ctx, i: usize, open: usize, name: &str) {
    let env = cx.env;
    let code = env.code;
    let Some((_, (start, dot))) = receiver(code, i) else {
        return;
    };
    let url = env.eval((start, dot), i);
    let method = match name {
        "SendAsync" | "SendJsonAsync" => match cargs(code, open).first() {
            Some(&r) => method_of(env, r, i),
            None => MethodSpec::Unknown,
        },
        _ => {
            let verb = name
                .trim_end_matches("Async")
                .trim_end_matches("Json")
                .trim_end_matches("String")
                .trim_end_matches("Stream")
                .trim_end_matches("Bytes")
                .trim_end_matches("UrlEncoded")
                .trim_end_matches("Multipart");
            MethodSpec::Known(Method::parse(verb).unwrap_or(Method::Get))
        }
    };
    cx.push((start, dot), Some(url), method, i);
}
