//! Hand-written HTTP in Java and Kotlin (both lexed as `Lang::Java`):
//!
//! - `java.net.http`: `HttpRequest.newBuilder([URI])...uri(URI)...GET()/POST(..)/PUT(..)/
//!   DELETE()/method("PATCH", ..)` (GET by default; a builder kept in a variable is
//!   followed);
//! - Spring `RestTemplate` (`getForObject`, `postForEntity`, `put`, `patchForObject`,
//!   `delete`, `exchange(url, HttpMethod.X, ...)`, `execute`), `RequestEntity.get(url)` /
//!   `.method(m, url)`, `WebClient`/`RestClient` (`client.get().uri(...)`,
//!   `.method(HttpMethod.PATCH).uri(...)`, `uri(b -> b.path("/v3/x").build())`), relative URIs
//!   joined to the file's single `baseUrl(...)`;
//! - OkHttp `Request.Builder().url(u).post(b)`; Apache HttpClient `new HttpGet(u)`...,
//!   `ClassicRequestBuilder.get(u)`, fluent `Request.Get(u)`; Unirest `Unirest.get(u)`;
//!   Ktor `client.get(u)` / `client.request(u) { method = HttpMethod.Patch }`;
//!   `HttpURLConnection` (`new URL(u).openConnection()` + `setRequestMethod("POST")`);
//! - declarative clients, whose annotated methods are the calls: Retrofit (`@GET("v3/x")`,
//!   `@HTTP(method = "PATCH", path = ...)`), Feign (`@RequestLine("GET /v3/x")`, and Spring
//!   `@GetMapping` inside a `@FeignClient` interface), Spring HTTP interfaces
//!   (`@GetExchange`, `@HttpExchange`), with a class-level path prefix.
//!
//! Not calls: Spring `@GetMapping`/`@RequestMapping` on controllers (server routes), JAX-RS
//! resources, `TestRestTemplate`/`WebTestClient`/`MockMvc` (tests of the project's own
//! server), WireMock stubs and MockWebServer, `map.get(...)`.

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::{Value, join_path};
use super::brace::{
    Link, after_generics, assigned_from, chain_after, chain_before, declared_type, family_path,
    is_bare_path, local_def, method_of, method_word, next_code, offset_of, plain_receiver,
    prev_code, receiver,
};
use crate::catalog::Method;

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// Receivers that are tests of the project's own server, never ISC.
const TEST_CLIENTS: &[&str] = &[
    "TestRestTemplate",
    "WebTestClient",
    "MockMvc",
    "MockMvcTester",
];

struct Ctx<'e, 'c> {
    env: &'e Env<'c>,
    header: Option<bool>,
    /// The single base URL clients of this file are built with (`baseUrl(...)`).
    base: Option<Value>,
    out: Vec<Site>,
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let code = env.code;
    let mut cx = Ctx {
        env,
        header: experimental_header(code, None, Some(env), project_has_header),
        base: file_base(env),
        out: Vec::new(),
    };
    let src = code.src;
    let retrofit = src.contains("retrofit");
    let feign = src.contains("feign") || src.contains("Feign");
    let feign_client = src.contains("@FeignClient");
    let exchange = src.contains("Exchange");
    let ktor = src.contains("io.ktor");
    if src.contains("RegisterRestClient") {
        jaxrs_client(&mut cx);
    }
    for i in 0..code.len() {
        if code.is_punct(i, "@") {
            if let Some(name) = code.ident(i + 1) {
                annotation(&mut cx, i, name, retrofit, feign, feign_client, exchange);
            }
            continue;
        }
        let Some(name) = code.ident(i) else { continue };
        let open = after_generics(code, i);
        // Kotlin trailing lambda: `.uri { it.path("/v3/x").build() }`.
        if name == "uri"
            && code.is_punct(next_code(code, i + 1), "{")
            && let Some(close) = code.close_of(next_code(code, i + 1))
        {
            web_client(&mut cx, i, (next_code(code, i + 1) + 1, close), true);
            continue;
        }
        if !code.is_punct(open, "(") {
            continue;
        }
        let recv = plain_receiver(code, i);
        match name {
            "newBuilder" if recv.as_deref() == Some("HttpRequest") => builder(&mut cx, i, open),
            "Builder" if recv.as_deref() == Some("Request") => builder(&mut cx, i, open),
            "HttpGet" | "HttpPost" | "HttpPut" | "HttpPatch" | "HttpDelete" | "HttpHead"
            | "HttpOptions"
                if constructed(code, i) =>
            {
                let m = Method::parse(&name[4..]).unwrap_or(Method::Get);
                if let Some(&u) = code.args(open).first() {
                    cx.push(u, None, MethodSpec::Known(m), i);
                }
            }
            "HttpUriRequestBase" | "BasicClassicHttpRequest" | "BasicHttpRequest"
                if constructed(code, i) =>
            {
                let args = code.args(open);
                if let (Some(&m), Some(&u)) = (args.first(), args.get(1)) {
                    let m = method_of(env, m, i);
                    cx.push(u, None, m, i);
                }
            }
            "openConnection" => url_connection(&mut cx, i, open),
            "getForObject" | "getForEntity" | "postForObject" | "postForEntity"
            | "postForLocation" | "patchForObject" | "headForHeaders" | "optionsForAllow" => {
                if recv.as_deref().is_some_and(|r| test_client(env, r)) {
                    continue;
                }
                let m = method_word(
                    name.trim_end_matches("ForObject")
                        .trim_end_matches("ForEntity")
                        .trim_end_matches("ForLocation")
                        .trim_end_matches("ForHeaders")
                        .trim_end_matches("ForAllow"),
                )
                .unwrap_or(Method::Get);
                if let Some(&u) = code.args(open).first() {
                    cx.push(u, None, MethodSpec::Known(m), i);
                }
            }
            "put" | "delete" | "exchange" | "execute"
                if recv.as_deref().is_some_and(|r| rest_template(env, r)) =>
            {
                let args = code.args(open);
                let m = match name {
                    "put" => MethodSpec::Known(Method::Put),
                    "delete" => MethodSpec::Known(Method::Delete),
                    _ => match args.get(1) {
                        Some(&r) => method_of(env, r, i),
                        None => continue,
                    },
                };
                if let Some(&u) = args.first() {
                    cx.push(u, None, m, i);
                }
            }
            "uri" => {
                if let Some(&arg) = code.args(open).first() {
                    let lambda = (arg.0..arg.1).any(|k| code.is_punct(k, "->"));
                    web_client(&mut cx, i, arg, lambda);
                }
            }
            _ if VERBS.contains(&name.to_ascii_lowercase().as_str()) || name == "method" => {
                static_builder(&mut cx, i, open, name, recv.as_deref(), ktor);
            }
            "request" if ktor => ktor_call(&mut cx, i, open, None, recv.as_deref()),
            _ => {}
        }
    }
    cx.out
}

impl Ctx<'_, '_> {
    /// Reports the URL argument `ur` (or a value computed elsewhere) of the call at `tok`.
    fn push(&mut self, ur: (usize, usize), url: Option<Value>, method: MethodSpec, tok: usize) {
        let code = self.env.code;
        let mut url = url.unwrap_or_else(|| self.env.eval(ur, tok));
        if url.is_empty() {
            return;
        }
        if let Some(b) = &self.base
            && is_bare_path(&url)
            && !family_path(&url)
        {
            url = join_path(b, &url);
        }
        self.out.push(Site {
            offset: offset_of(code, ur),
            tok,
            url,
            method,
            via: Via::Http,
            experimental_header: self.header,
        });
    }
}

/// Whether the name at `i` is constructed (`new HttpGet(u)`, Kotlin `HttpGet(u)`), not
/// declared or called as a method.
fn constructed(code: &Code, i: usize) -> bool {
    let prev = i.checked_sub(1).and_then(|p| prev_code(code, p));
    match prev.map(|p| (p, code.tok(p))) {
        Some((_, Some(Tok::Ident(w)))) if w == "new" => true,
        Some((_, Some(Tok::Ident(w)))) => {
            !matches!(w.as_str(), "fun" | "class" | "void")
                && !code.fns.iter().any(|f| f.name_tok == i)
        }
        Some((_, Some(Tok::Punct(".")))) => false,
        _ => !code.fns.iter().any(|f| f.name_tok == i),
    }
}

/// The file's single base URL for declarative and fluent clients: `baseUrl(...)`,
/// `rootUri(...)`, `setBaseUrl(...)`; none when the file has several different ones.
fn file_base(env: &Env) -> Option<Value> {
    let code = env.code;
    let mut base: Option<Value> = None;
    for i in 0..code.len() {
        let factory = code.ident(i) == Some("create")
            && matches!(
                plain_receiver(code, i).as_deref(),
                Some("WebClient" | "RestClient")
            );
        if !(factory
            || matches!(
                code.ident(i),
                Some("baseUrl" | "rootUri" | "setBaseUrl" | "setBaseURL")
            ))
            || !code.is_punct(i + 1, "(")
            || i == 0
            || !code.is_punct(i - 1, ".")
        {
            continue;
        }
        let Some(&r) = code.args(i + 1).first() else {
            continue;
        };
        let v = env.eval(r, i);
        match &base {
            None => base = Some(v),
            Some(b) if *b == v => {}
            Some(_) => return None,
        }
    }
    base
}

fn test_client(env: &Env, recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv);
    last.to_ascii_lowercase().contains("test")
        || last.to_ascii_lowercase().contains("mock")
        || declared_type(env.code, recv).is_some_and(|t| TEST_CLIENTS.contains(&t.as_str()))
}

/// Whether a receiver is a Spring `RestTemplate` (or `RestOperations`).
fn rest_template(env: &Env, recv: &str) -> bool {
    if test_client(env, recv) {
        return false;
    }
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    if last.contains("resttemplate") || last == "rest" || last == "template" {
        return true;
    }
    declared_type(env.code, recv).is_some_and(|t| {
        matches!(
            t.as_str(),
            "RestTemplate" | "RestOperations" | "OAuth2RestTemplate" | "OAuth2RestOperations"
        )
    }) || assigned_from(env, recv, &["RestTemplate"])
}

/// `HttpRequest.newBuilder(...)` and OkHttp `Request.Builder()`: the URL and the method from
/// the chain (or from later calls on the variable holding the builder).
fn builder(cx: &mut Ctx, i: usize, open: usize) {
    let env = cx.env;
    let code = env.code;
    let close = code.close_of(open).unwrap_or(open);
    let mut links: Vec<Link> = chain_after(code, close);
    // A builder kept in a variable: `HttpRequest.Builder b = HttpRequest.newBuilder(); ...
    // b.uri(..).POST(..)`.
    if let Some(var) = assigned_name(env, i) {
        let end = env
            .code
            .enclosing_fn(i)
            .map_or(code.len(), |f| code.fns[f].body.1);
        let stmt_end = code.expr_end(i);
        for k in stmt_end..end {
            if code.ident(k) == Some(var.as_str())
                && code.is_punct(k + 1, ".")
                && code.ident(k + 2).is_some()
                && code.is_punct(k + 3, "(")
            {
                links.push(Link {
                    name: k + 2,
                    open: k + 3,
                });
                links.extend(chain_after(code, code.close_of(k + 3).unwrap_or(k + 3)));
            }
        }
    }
    let mut url = code.args(open).first().copied();
    let mut method = MethodSpec::Known(Method::Get);
    for l in &links {
        let n = code.ident(l.name).unwrap_or("");
        let args = code.args(l.open);
        match n {
            "uri" | "url" => url = args.first().copied().or(url),
            "GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "get" | "post" | "put" | "patch"
            | "delete" | "head" => {
                method = MethodSpec::Known(Method::parse(n).unwrap_or(Method::Get));
            }
            "method" => {
                if let Some(&m) = args.first() {
                    method = method_of(env, m, l.name);
                }
            }
            "build" => {}
            _ => {}
        }
    }
    if let Some(u) = url {
        cx.push(u, None, method, i);
    }
}

/// The variable an expression at `i` is assigned to (`Type name = <expr>`).
fn assigned_name(env: &Env, i: usize) -> Option<String> {
    env.assigns
        .iter()
        .find(|a| a.rhs.0 <= i && i < a.rhs.1)
        .map(|a| a.name.clone())
}

/// `new URL(u).openConnection()` / `url.openConnection()`; the method from
/// `conn.setRequestMethod(..)` (or `setDoOutput(true)`: POST), else GET.
fn url_connection(cx: &mut Ctx, i: usize, open: usize) {
    let env = cx.env;
    let code = env.code;
    let _ = open;
    let Some((links, (start, dot))) = receiver(code, i) else {
        return;
    };
    if start >= dot {
        return;
    }
    let mut range = (start, dot);
    // `url.openConnection()` with `URL url = new URL(x)` in the same function: name the
    // endpoint where the URL is made.
    if links.is_empty()
        && let Some(Tok::Ident(n)) = code.tok(start)
        && dot == start + 1
        && let Some(def) = local_def(env, n, i)
    {
        range = def;
    }
    let url = env.eval((start, dot), i);
    let mut method = MethodSpec::Known(Method::Get);
    if let Some(conn) = assigned_name(env, i) {
        let end = code
            .enclosing_fn(i)
            .map_or(code.len(), |f| code.fns[f].body.1);
        for k in i..end {
            if code.ident(k) != Some(conn.as_str()) || !code.is_punct(k + 1, ".") {
                continue;
            }
            match code.ident(k + 2) {
                // Kotlin property syntax: `conn.requestMethod = "POST"`.
                Some("requestMethod") if code.is_punct(k + 3, "=") => {
                    let end = code.expr_end(k + 4);
                    method = method_of(env, (k + 4, end), k);
                    break;
                }
                Some("setRequestMethod") => {
                    if let Some(&m) = code.args(k + 3).first() {
                        method = method_of(env, m, k);
                    }
                    break;
                }
                Some("setDoOutput")
                    if code
                        .args(k + 3)
                        .first()
                        .is_some_and(|&(a, _)| code.is_ident_at(a, "true")) =>
                {
                    method = MethodSpec::Known(Method::Post);
                }
                _ => {}
            }
        }
    }
    cx.push(range, Some(url), method, i);
}

/// Spring `WebClient`/`RestClient`: `.get().uri(...)`, `.method(HttpMethod.X).uri(...)`.
fn web_client(cx: &mut Ctx, i: usize, arg: (usize, usize), lambda: bool) {
    let env = cx.env;
    let code = env.code;
    let (links, root) = chain_before(code, i);
    let Some(first) = links.first() else { return };
    let verb = code.ident(first.name).unwrap_or("");
    let method = if VERBS.contains(&verb) && code.close_of(first.open) == Some(first.open + 1) {
        MethodSpec::Known(Method::parse(verb).unwrap_or(Method::Get))
    } else if verb == "method" {
        match code.args(first.open).first() {
            Some(&m) => method_of(env, m, i),
            None => return,
        }
    } else {
        return;
    };
    if let Some(r) = code.ident(root)
        && test_client(env, r)
    {
        return;
    }
    // `uri(b -> b.path("/v3/x").queryParam(..).build())`: the path steps of the lambda.
    if lambda {
        let mut v = Value::lit("");
        let mut at = None;
        for k in arg.0..arg.1 {
            if matches!(code.ident(k), Some("path" | "pathSegment" | "replacePath"))
                && code.is_punct(k + 1, "(")
            {
                for a in code.args(k + 1) {
                    at.get_or_insert(a);
                    v = join_path(&v, &env.eval(a, k));
                }
            }
        }
        if let Some(a) = at {
            cx.push(a, Some(v), method, i);
        }
        return;
    }
    cx.push(arg, None, method, i);
}

/// Verb-named factory methods: Apache `ClassicRequestBuilder.get(u)`, `RequestBuilder.post()
/// .setUri(u)`, fluent `Request.Get(u)`, Unirest, Spring `RequestEntity.get(u)` /
/// `.method(m, u)`, Ktor `client.get(u)`.
fn static_builder(cx: &mut Ctx, i: usize, open: usize, name: &str, recv: Option<&str>, ktor: bool) {
    let env = cx.env;
    let code = env.code;
    let args = code.args(open);
    match recv {
        Some(
            "ClassicRequestBuilder"
            | "SimpleRequestBuilder"
            | "RequestBuilder"
            | "Request"
            | "AsyncRequestBuilder"
            | "Unirest",
        ) => {
            if recv == Some("Request")
                && name.chars().next().is_some_and(|c| c.is_lowercase())
                && !code.src.contains("client5.http.fluent")
            {
                return;
            }
            let m = MethodSpec::Known(Method::parse(name).unwrap_or(Method::Get));
            let url = args.first().copied().or_else(|| {
                let close = code.close_of(open)?;
                chain_after(code, close)
                    .into_iter()
                    .find(|l| matches!(code.ident(l.name), Some("setUri" | "setUrl")))
                    .and_then(|l| code.args(l.open).first().copied())
            });
            if let Some(u) = url {
                cx.push(u, None, m, i);
            }
        }
        Some("RequestEntity") => {
            if name == "method" {
                if let (Some(&m), Some(&u)) = (args.first(), args.get(1)) {
                    let m = method_of(env, m, i);
                    cx.push(u, None, m, i);
                }
            } else if let Some(&u) = args.first() {
                let m = MethodSpec::Known(Method::parse(name).unwrap_or(Method::Get));
                cx.push(u, None, m, i);
            }
        }
        Some(r) if ktor && VERBS.contains(&name) => {
            let m = Method::parse(name).unwrap_or(Method::Get);
            ktor_call(cx, i, open, Some(m), Some(r));
        }
        None if VERBS.contains(&name) && rest_assured(code, i) => {
            if let Some(&u) = args.first() {
                let m = MethodSpec::Known(Method::parse(name).unwrap_or(Method::Get));
                cx.push(u, None, m, i);
            }
        }
        None if VERBS.contains(&name) || name == "method" => jaxrs_invocation(cx, i, open, name),
        _ => {}
    }
}

/// REST Assured against ISC (`given().auth().oauth2(t).when().get("/v3/sources")`): API tests
/// that call the tenant. Only in files that name ISC: elsewhere REST Assured tests the
/// project's own server.
fn rest_assured(code: &Code, i: usize) -> bool {
    let (links, root) = chain_before(code, i);
    let chain = links
        .iter()
        .any(|l| matches!(code.ident(l.name), Some("given" | "when" | "with")))
        || matches!(code.ident(root), Some("given" | "when" | "RestAssured"));
    if !chain {
        return false;
    }
    let lower = code.src.to_ascii_lowercase();
    lower.contains("identitynow") || lower.contains("sailpoint")
}

/// The JAX-RS client API (Jersey, RESTEasy): `client.target(base).path("v3/sources")
/// .request(..).get()` / `.post(entity)` / `.method("PATCH", entity)`; the target may be
/// held in a variable.
fn jaxrs_invocation(cx: &mut Ctx, i: usize, open: usize, name: &str) {
    let env = cx.env;
    let code = env.code;
    let (links, root) = chain_before(code, i);
    let Some(req) = links.iter().find(|l| code.ident(l.name) == Some("request")) else {
        return;
    };
    let method = if name == "method" {
        match code.args(open).first() {
            Some(&m) => method_of(env, m, i),
            None => return,
        }
    } else {
        MethodSpec::Known(Method::parse(name).unwrap_or(Method::Get))
    };
    let mut start = root;
    if let Some(p) = root.checked_sub(1).and_then(|p| prev_code(code, p))
        && code.is_ident_at(p, "new")
    {
        start = p;
    }
    let Some(dot) = req.name.checked_sub(1).and_then(|p| prev_code(code, p)) else {
        return;
    };
    if start >= dot {
        return;
    }
    // Named at the target's argument when the chain has one.
    let at = links
        .iter()
        .find(|l| code.ident(l.name) == Some("target"))
        .and_then(|l| code.args(l.open).first().copied())
        .unwrap_or((start, dot));
    let url = env.eval((start, dot), i);
    cx.push(at, Some(url), method, i);
}

/// Ktor: `client.get("url")`, `client.post(url) { setBody(x) }`,
/// `client.request(url) { method = HttpMethod.Patch }`.
fn ktor_call(cx: &mut Ctx, i: usize, open: usize, verb: Option<Method>, recv: Option<&str>) {
    let env = cx.env;
    let code = env.code;
    let Some(r) = recv else { return };
    let last = r.rsplit('.').next().unwrap_or(r);
    let is_client = last.to_ascii_lowercase().contains("client")
        || declared_type(code, r).is_some_and(|t| t == "HttpClient")
        || assigned_from(env, r, &["HttpClient"]);
    if !is_client || test_client(env, r) {
        return;
    }
    let args = code.args(open);
    let url = args
        .iter()
        .copied()
        .find(|&a| code.named_arg(a).is_some_and(|(n, _)| n == "urlString"))
        .map(|a| code.named_arg(a).map_or(a, |(_, v)| v))
        .or_else(|| args.first().copied());
    let Some(u) = url else { return };
    let mut method = verb.map_or(MethodSpec::Known(Method::Get), MethodSpec::Known);
    let close = code.close_of(open).unwrap_or(open);
    let lb = next_code(code, close + 1);
    if verb.is_none()
        && code.is_punct(lb, "{")
        && let Some(rb) = code.close_of(lb)
    {
        for k in lb..rb {
            if code.is_ident_at(k, "method") && code.is_punct(k + 1, "=") {
                let end = code.expr_end(k + 2).min(rb);
                method = method_of(env, (k + 2, end), k);
            }
        }
    }
    // Only URLs: `client.get(key)` on something else yields no ISC candidate anyway.
    let v = env.eval(u, i);
    if is_bare_path(&v) && cx.base.is_none() {
        return;
    }
    cx.push(u, Some(v), method, i);
}

/// Declarative clients: the annotated interface methods are the calls.
fn annotation(
    cx: &mut Ctx,
    at: usize,
    name: &str,
    retrofit: bool,
    feign: bool,
    feign_client: bool,
    exchange: bool,
) {
    let env = cx.env;
    let code = env.code;
    let open = at + 2;
    if !code.is_punct(open, "(") {
        return;
    }
    let args = code.args(open);
    let named = |keys: &[&str]| -> Option<(usize, usize)> {
        args.iter().find_map(|&a| {
            code.named_arg(a)
                .filter(|(n, _)| keys.contains(n) && code.is_punct(next_code(code, a.0) + 1, "="))
                .map(|(_, v)| v)
        })
    };
    let positional = args
        .iter()
        .copied()
        .find(|&a| !code.is_punct(next_code(code, a.0) + 1, "="));
    let (url, method): (Option<(usize, usize)>, MethodSpec) = match name {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" if retrofit => (
            named(&["value"]).or(positional),
            MethodSpec::Known(Method::parse(name).unwrap_or(Method::Get)),
        ),
        "HTTP" if retrofit => {
            let m = named(&["method"]).map_or(MethodSpec::Unknown, |r| method_of(env, r, at));
            (named(&["path"]), m)
        }
        "RequestLine" if feign => {
            // `@RequestLine("GET /v3/sources/{id}")`.
            let Some(r) = positional.or(named(&["value"])) else {
                return;
            };
            let v = env.eval(r, at);
            let Some(text) = v.as_literal() else { return };
            let Some((m, path)) = text.trim().split_once(' ') else {
                return;
            };
            let Some(m) = Method::parse(m) else { return };
            let path = path.trim().split(' ').next().unwrap_or("");
            // Feign's own contract has no class-level path.
            cx.push(r, Some(Value::lit(path)), MethodSpec::Known(m), at);
            return;
        }
        "GetMapping" | "PostMapping" | "PutMapping" | "PatchMapping" | "DeleteMapping"
            if feign_client =>
        {
            let m = Method::parse(name.trim_end_matches("Mapping")).unwrap_or(Method::Get);
            (
                named(&["value", "path"]).or(positional),
                MethodSpec::Known(m),
            )
        }
        "RequestMapping" if feign_client && !class_level(code, open) => {
            let m = named(&["method"]).map_or(MethodSpec::Unknown, |r| method_of(env, r, at));
            (named(&["value", "path"]).or(positional), m)
        }
        "GetExchange" | "PostExchange" | "PutExchange" | "PatchExchange" | "DeleteExchange"
            if exchange =>
        {
            let m = Method::parse(name.trim_end_matches("Exchange")).unwrap_or(Method::Get);
            (
                named(&["value", "url"]).or(positional),
                MethodSpec::Known(m),
            )
        }
        "HttpExchange" if exchange && !class_level(code, open) => {
            let m = named(&["method"]).map_or(MethodSpec::Unknown, |r| method_of(env, r, at));
            (named(&["value", "url"]).or(positional), m)
        }
        _ => return,
    };
    let Some(mut u) = url else { return };
    // Arrays of paths: `{"/a"}` / `["/a"]`: the first.
    let a = next_code(code, u.0);
    if (code.is_punct(a, "{") || code.is_punct(a, "["))
        && let Some(&first) = code.args(a).first()
    {
        u = first;
    }
    let mut v = env.eval(u, at);
    if v.is_empty() {
        return;
    }
    if let Some(p) = prefix(cx, at) {
        v = join_path(&p, &v);
    }
    cx.push(u, Some(v), method, at);
}

/// Whether the annotation whose arguments open at `open` sits on a type (interface/class).
fn class_level(code: &Code, open: usize) -> bool {
    let mut k = code.close_of(open).map_or(open, |c| c + 1);
    for _ in 0..40 {
        k = next_code(code, k);
        match code.tok(k) {
            Some(Tok::Punct("@")) => {
                k += 2;
                if code.is_punct(k, "(") {
                    k = code.close_of(k).map_or(k + 1, |c| c + 1);
                }
            }
            Some(Tok::Ident(w)) => match w.as_str() {
                "interface" | "class" => return true,
                "public" | "private" | "protected" | "abstract" | "static" | "final" | "sealed"
                | "internal" | "open" | "fun" => k += 1,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The class-level path prefix of the declarative client around `at`: `@RequestMapping("/v3")`
/// or `@HttpExchange("/v3")` on the interface, `@FeignClient(path = "/v3")`.
fn prefix(cx: &Ctx, at: usize) -> Option<Value> {
    let env = cx.env;
    let code = env.code;
    let mut found = None;
    for k in 0..at {
        if !code.is_punct(k, "@") || !code.is_punct(k + 2, "(") {
            continue;
        }
        let keys: &[&str] = match code.ident(k + 1) {
            Some("RequestMapping" | "HttpExchange") if class_level(code, k + 2) => {
                &["value", "path", "url"]
            }
            Some("FeignClient") => &["path"],
            _ => continue,
        };
        let args = code.args(k + 2);
        let r = args.iter().find_map(|&a| {
            let n = code.named_arg(a);
            match n {
                Some((name, v))
                    if keys.contains(&name) && code.is_punct(next_code(code, a.0) + 1, "=") =>
                {
                    Some(v)
                }
                Some(_) if code.is_punct(next_code(code, a.0) + 1, "=") => None,
                _ if code.ident(k + 1) != Some("FeignClient") => Some(a),
                _ => None,
            }
        });
        if let Some(r) = r {
            found = Some(env.eval(r, k));
        }
    }
    found
}

/// MicroProfile REST clients (`@RegisterRestClient` interfaces): JAX-RS `@GET` / `@POST`...
/// with `@Path` on the method and the interface. (JAX-RS resources elsewhere are servers.)
fn jaxrs_client(cx: &mut Ctx) {
    let env = cx.env;
    let code = env.code;
    let path_arg = |at: usize| -> Option<(usize, usize)> {
        (code.ident(at + 1) == Some("Path") && code.is_punct(at + 2, "("))
            .then(|| code.args(at + 2).first().copied())
            .flatten()
    };
    // The interface's own `@Path`.
    let class_path = (0..code.len())
        .find(|&k| code.is_punct(k, "@") && path_arg(k).is_some() && class_level(code, k + 2))
        .and_then(path_arg);
    let mut k = 0;
    while k < code.len() {
        // A run of annotations before a method.
        if !code.is_punct(k, "@") || code.ident(k + 1).is_none() {
            k += 1;
            continue;
        }
        let mut verb = None;
        let mut method_path = None;
        let mut j = k;
        while code.is_punct(j, "@") && code.ident(j + 1).is_some() {
            let name = code.ident(j + 1).unwrap_or("");
            let mut next = j + 2;
            if code.is_punct(next, "(") {
                if name == "Path" && !class_level(code, next) {
                    method_path = code.args(next).first().copied();
                }
                next = code.close_of(next).map_or(next + 1, |c| c + 1);
            } else if let Some(m) =
                Method::parse(name).filter(|_| name.chars().all(|c| c.is_ascii_uppercase()))
            {
                verb = Some((m, j));
            }
            j = next_code(code, next);
        }
        if let Some((m, at)) = verb {
            // Named at the method's `@Path`, else at the verb (the interface's path applies).
            let url = match (class_path, method_path) {
                (Some(c), Some(p)) => Some((p, join_path(&env.eval(c, c.0), &env.eval(p, p.0)))),
                (None, Some(p)) => Some((p, env.eval(p, p.0))),
                (Some(c), None) => Some(((at, at + 2), env.eval(c, c.0))),
                (None, None) => None,
            };
            if let Some((r, v)) = url {
                cx.push(r, Some(v), MethodSpec::Known(m), k);
            }
        }
        k = j.max(k + 1);
    }
}
