//! Hand-written HTTP in JavaScript and TypeScript: `fetch` (and node-fetch, cross-fetch,
//! undici, ofetch, Nuxt `$fetch`/`useFetch`, `new Request`), axios (the function, its verbs,
//! `request`, instances from `axios.create`), NestJS `HttpService`, Angular `HttpClient`,
//! AngularJS `$http`, got and ky (with `prefixUrl` instances), superagent, the `request`
//! library, node `http(s).request/get`, jQuery (`$.ajax`, `$.get`, `$.post`, `$.getJSON`),
//! request helpers taking an options object (`request({ url, method })`), Apollo's
//! `RESTDataSource`, and the TypeScript SDK's generic entry points
//! (`DefaultApi.genericGet({ path: 'v2025/accounts' })`).
//!
//! Not calls: server routes (`app.get('/v3/x', handler)`, routers), HTTP mocks (nock, msw,
//! axios-mock-adapter: they fake ISC for tests, the code under test makes the call),
//! `map.get`, `searchParams.get`, caches, storage, and anything in comments or strings.

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::{Piece, Value, join_path};
use super::VERBS;
use crate::catalog::Method;
use std::collections::HashMap;

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lib {
    /// `fetch` and its ponyfills (node-fetch, cross-fetch, undici): `fetch(url, init)`.
    Fetch,
    /// ofetch, Nuxt `$fetch` and `useFetch`: fetch with a `baseURL` option.
    Ofetch,
    /// axios, NestJS `HttpService`, AngularJS `$http`, Nuxt `$axios`.
    Axios,
    /// Angular `HttpClient`: like axios, but `request(method, url, options)`.
    Angular,
    Got,
    Ky,
    /// superagent: `request.get(url)`, `request(method, url)`.
    Superagent,
    /// The `request` library and its promise wrappers: `request(url | { uri, method })`.
    RequestPkg,
    /// Node `http`/`https`: `request(url | { hostname, path, method }, ...)`, `get(...)`.
    NodeHttp,
    Jquery,
    /// needle: `needle('get', url)`, `needle.get(url)`.
    Needle,
    /// Servers, routers and HTTP mocks: their `get('/v3/...')` is a route or a fake.
    NotClient,
    /// A module of the project (`./api`) or an instance of one of its classes: its methods are
    /// project helpers, followed by the wrapper machinery.
    Project,
    /// Known only by its name (`client`, `api`, `this.http`): used like axios.
    ByName,
}

/// The TypeScript SDK's generic entry points (§4 of the SDK conventions): a path against the
/// bare base URL.
const GENERIC: &[(&str, Method)] = &[
    ("genericGet", Method::Get),
    ("genericPost", Method::Post),
    ("genericPut", Method::Put),
    ("genericPatch", Method::Patch),
    ("genericDelete", Method::Delete),
];

/// Receivers that are never a project helper nor an HTTP client.
/// Function names that make a request when handed an options object (`{ url, method }`) in
/// frameworks and in-house clients: `pm.sendRequest`, `this.client.send`, `api.call`.
const REQUESTISH: &[&str] = &[
    "send",
    "sendRequest",
    "makeRequest",
    "doRequest",
    "apiRequest",
    "apiCall",
    "callApi",
    "callAPI",
    "invoke",
    "execute",
    "fetchJson",
    "req",
];

/// Functions that take objects holding a URL and a method without making a request: loggers,
/// serialisers, stores, event emitters, assertions.
const NOT_REQUEST_FNS: &[&str] = &[
    "log",
    "info",
    "debug",
    "warn",
    "warning",
    "error",
    "trace",
    "fatal",
    "print",
    "stringify",
    "parse",
    "assign",
    "freeze",
    "push",
    "unshift",
    "set",
    "setItem",
    "setState",
    "emit",
    "dispatch",
    "commit",
    "merge",
    "extend",
    "expect",
    "toEqual",
    "toMatchObject",
    "equal",
    "deepEqual",
    "resolve",
    "reject",
    "json",
    "render",
    "write",
    "describe",
    "it",
    "test",
    "nock",
    "intercept",
    "route",
    "mock",
    "mockResolvedValue",
    "mockReturnValue",
    "addRoute",
    "register",
];

/// Whether a function is known not to make requests: [`NOT_REQUEST_FNS`], test matchers
/// (`toHaveBeenCalledWith`, `toBe…`, `toMatch…`).
fn not_request_fn(name: &str) -> bool {
    NOT_REQUEST_FNS.contains(&name)
        || [
            "toHave",
            "toBe",
            "toMatch",
            "toEqual",
            "toStrictEqual",
            "calledWith",
            "Called",
        ]
        .iter()
        .any(|p| name.starts_with(p) || name.ends_with(p))
}

/// Receivers whose methods never make a request (loggers, the response of a server handler).
const NOT_REQUEST_RECEIVERS: &[&str] = &[
    "logger", "log", "res", "response", "reply", "router", "app", "server", "store", "cache", "db",
    "expect", "assert", "nock", "mock", "emitter", "events",
];

const NOT_PROJECT: &[&str] = &[
    "Object",
    "JSON",
    "Promise",
    "Math",
    "Array",
    "Reflect",
    "Number",
    "String",
    "Date",
    "console",
    "process",
    "Buffer",
    "document",
    "localStorage",
    "sessionStorage",
    "map",
    "params",
    "searchParams",
    "query",
    "headers",
    "cache",
    "store",
    "$store",
    "state",
    "storage",
    "config",
    "settings",
    "env",
    "req",
    "res",
    "response",
    "app",
    "router",
    "server",
    "route",
    "routes",
    "fastify",
    "expect",
    "jest",
    "vi",
    "sinon",
    "nock",
    "mock",
    "moxios",
    // Cypress and Playwright drive the application under test.
    "cy",
    "page",
    "_",
    "lodash",
];

/// The module a name is imported from, as a [`Lib`].
fn module_lib(m: &str) -> Lib {
    let m = m.strip_prefix("node:").unwrap_or(m);
    match m {
        "axios" | "@nestjs/axios" | "redaxios" => Lib::Axios,
        "@angular/common/http" => Lib::Angular,
        "got" => Lib::Got,
        "ky" | "ky-universal" => Lib::Ky,
        "superagent" => Lib::Superagent,
        "request" | "request-promise" | "request-promise-native" | "postman-request" => {
            Lib::RequestPkg
        }
        "node-fetch" | "cross-fetch" | "isomorphic-fetch" | "isomorphic-unfetch" | "unfetch"
        | "undici" | "make-fetch-happen" | "@whatwg-node/fetch" => Lib::Fetch,
        "ofetch" | "ohmyfetch" => Lib::Ofetch,
        "http" | "https" | "http2" | "follow-redirects" => Lib::NodeHttp,
        "jquery" => Lib::Jquery,
        "needle" => Lib::Needle,
        "express" | "fastify" | "koa" | "koa-router" | "@koa/router" | "hono" | "restify"
        | "@hapi/hapi" | "polka" | "supertest" | "nock" | "msw" | "fetch-mock"
        | "jest-fetch-mock" | "axios-mock-adapter" | "moxios" | "miragejs" | "json-server" => {
            Lib::NotClient
        }
        _ if m.starts_with("msw/") => Lib::NotClient,
        // Modules of the project (`./api`, `@/lib/api`, path aliases) and other packages:
        // their names are judged by use.
        _ => Lib::Project,
    }
}

/// Names bound by `import` and `require`, with what they are.
fn imports(code: &Code) -> HashMap<String, Lib> {
    let mut out = HashMap::new();
    let n = code.len();
    for i in 0..n {
        // `import a, { b as c, type D } from 'm'`, `import * as x from 'm'`,
        // `import x = require('m')`.
        if code.ident(i) == Some("import")
            && (i == 0
                || matches!(code.tok(i - 1), Some(Tok::Newline | Tok::Punct(";" | "}")))
                || code.ident(i - 1) == Some("export"))
        {
            let mut k = i + 1;
            let mut names = Vec::new();
            let mut module = None;
            while k < n && k < i + 200 {
                match code.tok(k) {
                    Some(Tok::Ident(w)) if w == "from" => {
                        if let Some(Tok::Str(s)) = code.tok(k + 1) {
                            module = s.plain();
                        }
                        break;
                    }
                    Some(Tok::Ident(w)) if w == "require" => {
                        if let Some(Tok::Str(s)) = code.tok(k + 2) {
                            module = s.plain();
                        }
                        break;
                    }
                    Some(Tok::Ident(w)) if w == "as" || w == "type" || w == "typeof" => {}
                    Some(Tok::Ident(w)) => {
                        if code.ident(k + 1) == Some("as") {
                            // `b as c`: the local name is `c`.
                        } else {
                            names.push(w.clone());
                        }
                    }
                    Some(Tok::Str(_)) | Some(Tok::Punct(";")) => break,
                    Some(Tok::Newline) if code.depth[k] == code.depth[i] => break,
                    _ => {}
                }
                k += 1;
            }
            if let Some(m) = module {
                for name in names {
                    out.insert(name, module_lib(&m));
                }
            }
        }
        // `const x = require('m')`, `const { a, b: c } = require('m')`, `.default`.
        if code.ident(i) == Some("require")
            && code.is_punct(i + 1, "(")
            && let Some(Tok::Str(s)) = code.tok(i + 2)
            && let Some(m) = s.plain()
            && i >= 2
            && code.is_punct(i - 1, "=")
        {
            let lib = module_lib(&m);
            if let Some(name) = code.ident(i - 2) {
                out.insert(name.to_string(), lib);
            } else if code.is_punct(i - 2, "}")
                && let Some(open) = code.close_of(i - 2)
            {
                for (key, v) in code.object_props(open) {
                    let local = code.ident(v.0).map(str::to_string).or(key);
                    if let Some(l) = local {
                        out.insert(l, lib);
                    }
                }
            }
        }
    }
    out
}

/// A value read from an options object.
enum Prop {
    /// The value's token range.
    Range((usize, usize)),
    /// An assigned name to look up (`opts.method` assigned elsewhere).
    Name(String),
    /// A property of a parameter of the enclosing function (`opts.method`).
    Param(String),
    /// The object has no such property.
    Absent,
    /// The object is not known statically.
    Unknown,
}

/// One request as read from the code.
struct Req {
    url: Value,
    /// Token where the endpoint is named.
    url_tok: usize,
    method: MethodSpec,
    /// Token ranges that may hold the request's headers (options, the instance's defaults).
    headers: Vec<(usize, usize)>,
    via: Via,
}

struct Js<'e, 'c> {
    env: &'e Env<'c>,
    code: &'c Code<'c>,
    imports: HashMap<String, Lib>,
    /// `name: HttpClient` and other client types in parameter and field declarations.
    typed: HashMap<String, Lib>,
    /// The file declares a class extending Apollo's `RESTDataSource`.
    rest_data_source: bool,
    /// Names declared with a service-like type (`sources: SourcesService`,
    /// `private isc: IscGateway`): objects whose methods may be project helpers.
    services: std::collections::HashSet<String>,
}

pub fn sites(env: &Env, project_has_header: bool) -> Vec<Site> {
    let js = Js::new(env);
    let code = env.code;
    // The experimental header as `frontend::experimental_header` sees it: named in the
    // request's own options or anywhere in the file → sent; nowhere in the project → not.
    let file_level = experimental_header(code, None, Some(env), project_has_header);
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(req) = js.request_at(i) else {
            continue;
        };
        if req.url.is_empty() {
            continue;
        }
        let header = if req.headers.iter().any(|&r| names_header(code, r)) {
            Some(true)
        } else {
            file_level
        };
        out.push(Site {
            offset: code.toks[req.url_tok.min(code.len() - 1)].start,
            tok: i,
            url: req.url,
            method: req.method,
            via: req.via,
            experimental_header: header,
        });
    }
    out
}

/// Whether a token range names the `X-SailPoint-Experimental` header.
fn names_header(code: &Code, (a, b): (usize, usize)) -> bool {
    (a..b.min(code.len())).any(|k| match code.tok(k) {
        Some(Tok::Str(s)) => s.parts.iter().any(|p| {
            matches!(p, super::super::lex::StrPart::Lit(l)
                if l.to_ascii_lowercase().contains("x-sailpoint-experimental"))
        }),
        Some(Tok::Ident(w)) => w.to_ascii_lowercase().contains("xsailpointexperimental"),
        _ => false,
    })
}

/// Decides, for the wrapper machinery, which calls may be calls of a project helper.
pub struct Calls<'e, 'c>(Js<'e, 'c>);

impl<'e, 'c> Calls<'e, 'c> {
    pub fn new(env: &'e Env<'c>) -> Calls<'e, 'c> {
        Calls(Js::new(env))
    }

    /// Whether the call at token `tok` (a function or method name) may be a call of a
    /// project helper: not a call of an HTTP library, a server, a mock, or a built-in
    /// object.
    pub fn project_call(&self, tok: usize) -> bool {
        let js = &self.0;
        match js.receiver(tok) {
            // `nock(url).get('/v3/x')`, `request(app).get(...)`: on what a library call
            // returns.
            Some(r) if r.ends_with("()") => {
                // On the result of a method (`req.set(...).send(...)`, a builder chain): not
                // a project object.
                let c = js.code;
                let mut k = tok.saturating_sub(1);
                while k > 0 && c.toks[k - 1].tok == Tok::Newline {
                    k -= 1;
                }
                let callee = k
                    .checked_sub(1)
                    .and_then(|p| c.close_of(p))
                    .and_then(|open| open.checked_sub(1));
                if callee
                    .is_some_and(|f| f > 0 && (c.is_punct(f - 1, ".") || c.is_punct(f - 1, "?.")))
                {
                    return false;
                }
                let f = r.trim_end_matches("()");
                !NOT_PROJECT.contains(&f)
                    && !matches!(js.imports.get(f), Some(l) if *l != Lib::Project)
                    && !matches!(js.client(f, tok), Some(l) if l != Lib::Project && l != Lib::ByName)
            }
            Some(r) => {
                let last = last_segment(&r);
                if NOT_PROJECT.contains(&r.as_str()) || NOT_PROJECT.contains(&last) {
                    return false;
                }
                // Only receivers that may hold a project object: `this` (not of a
                // `RESTDataSource`), an instance of a project class, a module of the project,
                // a service, a client-like name. Not `this.form.get('email')`,
                // `model.get('title')`, `el.get(0)`.
                let bare = r.strip_prefix("this.").unwrap_or(&r);
                match js.client(&r, tok) {
                    Some(Lib::Project | Lib::ByName) => true,
                    Some(_) => false,
                    None => matches!(r.as_str(), "this" | "super") || js.services.contains(bare),
                }
            }
            None => {
                let name = js.code.ident(tok).unwrap_or("");
                !matches!(js.imports.get(name), Some(l) if *l != Lib::Project)
                    && !matches!(
                        name,
                        "fetch" | "$fetch" | "useFetch" | "axios" | "got" | "ky"
                    )
            }
        }
    }
}

fn last_segment(r: &str) -> &str {
    r.rsplit('.').next().unwrap_or(r)
}

impl<'e, 'c> Js<'e, 'c> {
    fn new(env: &'e Env<'c>) -> Js<'e, 'c> {
        let code = env.code;
        let mut typed = HashMap::new();
        let mut rest_data_source = false;
        let mut services = std::collections::HashSet::new();
        for i in 0..code.len() {
            // `http: HttpClient`, `private readonly httpService: HttpService`.
            if let Some(name) = code.ident(i)
                && code.is_punct(i + 1, ":")
                && let Some(ty) = code.ident(i + 2)
            {
                let lib = match ty {
                    "HttpClient" => Some(Lib::Angular),
                    "HttpService" | "AxiosInstance" | "AxiosStatic" | "Axios" => Some(Lib::Axios),
                    "Got" => Some(Lib::Got),
                    "KyInstance" => Some(Lib::Ky),
                    "SuperAgentStatic" | "SuperAgent" => Some(Lib::Superagent),
                    _ => None,
                };
                if let Some(l) = lib {
                    typed.insert(name.to_string(), l);
                } else if [
                    "Service",
                    "Client",
                    "Api",
                    "API",
                    "Gateway",
                    "Repository",
                    "Provider",
                    "Connector",
                    "Http",
                    "Sdk",
                ]
                .iter()
                .any(|k| ty.ends_with(k))
                {
                    services.insert(name.to_string());
                }
            }
            if code.ident(i) == Some("extends") && code.ident(i + 1) == Some("RESTDataSource") {
                rest_data_source = true;
            }
        }
        Js {
            env,
            code,
            imports: imports(code),
            typed,
            rest_data_source,
            services,
        }
    }

    /// The receiver of a method call whose name is token `i` (`axios`, `this.client`,
    /// `DefaultApi()` for `new DefaultApi(cfg).genericGet`), `None` for a plain call.
    fn receiver(&self, i: usize) -> Option<String> {
        let c = self.code;
        if i == 0 || !(c.is_punct(i - 1, ".") || c.is_punct(i - 1, "?.")) {
            return None;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut k = i - 1; // a dot
        loop {
            // Chains broken over lines: `superagent\n  .post(url)`.
            while k > 0 && c.toks[k - 1].tok == Tok::Newline {
                k -= 1;
            }
            if k == 0 {
                break;
            }
            let mut j = k - 1;
            // TS non-null assertion `this.http!.get`.
            if c.is_punct(j, "!") && j > 0 {
                j -= 1;
            }
            match c.tok(j) {
                Some(Tok::Ident(s)) => {
                    parts.push(s.clone());
                    if j >= 1 && (c.is_punct(j - 1, ".") || c.is_punct(j - 1, "?.")) {
                        k = j - 1;
                        continue;
                    }
                    break;
                }
                Some(Tok::Punct(")")) => {
                    let name = c
                        .close_of(j)
                        .and_then(|open| open.checked_sub(1))
                        .and_then(|p| c.ident(p))
                        .unwrap_or("");
                    parts.push(format!("{name}()"));
                    break;
                }
                _ => {
                    parts.push("?".into());
                    break;
                }
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }

    /// What a receiver (or a called name) is.
    fn client(&self, recv: &str, at: usize) -> Option<Lib> {
        self.client_depth(recv, at, 0)
    }

    fn client_depth(&self, recv: &str, at: usize, depth: usize) -> Option<Lib> {
        if depth > 4 {
            return None;
        }
        let recv = recv.strip_suffix(".default").unwrap_or(recv);
        let bare = recv
            .strip_prefix("this.")
            .or_else(|| recv.strip_prefix("self."))
            .unwrap_or(recv);
        // Instances: `const api = axios.create(...)`, `this.client = got.extend(...)`,
        // `private http = inject(HttpClient)`, `const app = express()`.
        for a in self.env.assigns {
            if a.name != recv && a.name != bare {
                continue;
            }
            if let Some(l) = self.made_by(a.rhs, at, depth) {
                return Some(l);
            }
        }
        let head = recv.split('.').next().unwrap_or(recv);
        match self.imports.get(head) {
            // Modules of the project: judged by name below.
            Some(Lib::Project) | None => {}
            Some(l) if head == recv || *l == Lib::NotClient => return Some(*l),
            // `http.Agent`, `axios.defaults`: properties of a library are not clients.
            Some(_) => return None,
        }
        if let Some(l) = self.typed.get(bare) {
            return Some(*l);
        }
        if recv == "this" && self.rest_data_source {
            return Some(Lib::Axios);
        }
        let last = last_segment(recv);
        let global = match last {
            "axios" | "$axios" | "$http" => Some(Lib::Axios),
            "got" => Some(Lib::Got),
            "ky" => Some(Lib::Ky),
            "superagent" => Some(Lib::Superagent),
            "$" | "jQuery" => Some(Lib::Jquery),
            "$fetch" | "ofetch" => Some(Lib::Ofetch),
            "needle" => Some(Lib::Needle),
            "https" | "http" if recv == last => Some(Lib::NodeHttp),
            _ => None,
        };
        if global.is_some() {
            return global;
        }
        if NOT_PROJECT.contains(&last) || NOT_PROJECT.contains(&recv) {
            return None;
        }
        if by_name(last) {
            return Some(Lib::ByName);
        }
        // `import svc from './svc'`: a module of the project.
        (self.imports.get(head) == Some(&Lib::Project)).then_some(Lib::Project)
    }

    /// What the right-hand side `r` of an assignment makes.
    fn made_by(&self, r: (usize, usize), at: usize, depth: usize) -> Option<Lib> {
        let c = self.code;
        let mut k = c.skip_newlines(r.0, r.1);
        // `const isc = { get(path) { ... } }`: an object of the project.
        if c.is_punct(k, "{") {
            return Some(Lib::Project);
        }
        while matches!(c.ident(k), Some("await")) {
            k += 1;
        }
        let is_new = c.ident(k) == Some("new");
        if is_new {
            k += 1;
        }
        // The callee chain.
        let mut chain = vec![c.ident(k)?.to_string()];
        let mut e = k;
        while c.is_punct(e + 1, ".") && c.ident(e + 2).is_some() {
            chain.push(c.ident(e + 2)?.to_string());
            e += 2;
        }
        let callee = chain.join(".");
        let Some(open) = c.call_paren(e) else {
            // `const http = axios` / `const client = this.http`: an alias.
            if e + 1 >= r.1 && callee != "this" {
                return self.client_depth(&callee, at, depth + 1);
            }
            return None;
        };
        let last = chain.last().map_or("", String::as_str);
        let head = chain[..chain.len() - 1].join(".");
        if callee == "inject" {
            if let Some((a, _)) = c.args(open).first() {
                return match c.ident(*a) {
                    Some("HttpClient") => Some(Lib::Angular),
                    Some("HttpService") => Some(Lib::Axios),
                    // `inject(SourcesService)`: a project service.
                    Some(_) => Some(Lib::Project),
                    None => None,
                };
            }
            return None;
        }
        if matches!(
            last,
            "create" | "extend" | "agent" | "defaults" | "Router" | "Server"
        ) && !head.is_empty()
        {
            return match self.client_depth(&head, at, depth + 1) {
                Some(Lib::ByName) => None,
                l => l,
            };
        }
        if is_new {
            return match last {
                "HttpClient" => Some(Lib::Angular),
                "Axios" => Some(Lib::Axios),
                "Map" | "Set" | "WeakMap" | "URLSearchParams" | "Headers" | "FormData"
                | "Router" | "Koa" | "Hono" | "Express" | "MockAdapter" | "XMLHttpRequest"
                | "WebSocket" | "EventSource" | "Worker" | "URL" | "Date" | "RegExp" | "Error"
                | "Promise" | "Array" | "Object" | "Blob" | "FileReader" | "AbortController"
                | "BroadcastChannel" => Some(Lib::NotClient),
                _ => match self.imports.get(chain[0].as_str()) {
                    Some(Lib::Axios) => Some(Lib::Axios),
                    Some(Lib::NotClient) => Some(Lib::NotClient),
                    // A project class (or another library's): its methods are not raw HTTP.
                    _ => Some(Lib::Project),
                },
            };
        }
        match self.imports.get(callee.as_str()) {
            // `express()`, `fastify()`, `setupServer()`, `nock(...)`.
            Some(Lib::NotClient) => Some(Lib::NotClient),
            _ if matches!(
                callee.as_str(),
                "express" | "fastify" | "Router" | "setupServer"
            ) =>
            {
                Some(Lib::NotClient)
            }
            // `const sp = makeClient(token)` with `function makeClient(t) { return
            // axios.create({...}) }` in this file.
            _ if chain.len() == 1 => self.factory_of(&callee, at, depth),
            _ => None,
        }
    }

    /// What a function of this file returns when its body makes a client
    /// (`return axios.create(...)`, `return got.extend(...)`).
    fn factory_of(&self, name: &str, at: usize, depth: usize) -> Option<Lib> {
        if depth > 4 {
            return None;
        }
        let c = self.code;
        let f = c.fns.iter().find(|f| f.name == name)?;
        (f.body.0..f.body.1)
            .find_map(|k| {
                if !(c.ident(k) == Some("return") || c.is_punct(k, "=>") && k + 1 == f.body.0) {
                    return None;
                }
                let end = c.expr_end(k + 1);
                match self.made_by((k + 1, end), at, depth + 1) {
                    Some(l) if l != Lib::Project && l != Lib::NotClient => Some(l),
                    _ => None,
                }
            })
            .or_else(|| {
                // An expression-bodied arrow: `const make = () => axios.create(...)`.
                match self.made_by(f.body, at, depth + 1) {
                    Some(l) if l != Lib::Project && l != Lib::NotClient => Some(l),
                    _ => None,
                }
            })
    }

    /// The request made by the call whose name is token `i`, if it is one.
    fn request_at(&self, i: usize) -> Option<Req> {
        let c = self.code;
        let name = c.ident(i)?;
        if c.is_punct(i + 1, "[") {
            return self.computed_verb(i);
        }
        let open = c.call_paren(i)?;
        if c.fns.iter().any(|f| f.name_tok == i) || i > 0 && c.ident(i - 1) == Some("function") {
            return None;
        }
        let args = c.args(open);
        let recv = self.receiver(i);
        if let Some(&(_, m)) = GENERIC.iter().find(|(g, _)| *g == name) {
            return self.generic(i, m, &args);
        }
        match recv {
            None => self.free_call(i, name, &args),
            Some(r) => self.method_call(i, &r, name, &args),
        }
    }

    /// `axios[method](url, ...)`, `this.client[verb.toLowerCase()](path)`: the verb in an
    /// expression (a parameter, for helpers).
    fn computed_verb(&self, i: usize) -> Option<Req> {
        let c = self.code;
        let close = c.close_of(i + 1)?;
        if !c.is_punct(close + 1, "(") {
            return None;
        }
        let mut recv = self.receiver(i).map_or(String::new(), |r| format!("{r}."));
        recv.push_str(c.ident(i)?);
        let lib = self.client(&recv, i)?;
        if !matches!(
            lib,
            Lib::Axios | Lib::ByName | Lib::Angular | Lib::Got | Lib::Ky | Lib::Superagent
        ) {
            return None;
        }
        let method = self.method_value(self.env.eval((i + 2, close), i));
        let args = c.args(close + 1);
        let u = *args.first()?;
        let base = self.base_of(&recv, i);
        Some(self.req(
            join_base(&base, &self.url_value(u, i)),
            u.0,
            method,
            args.clone(),
        ))
    }

    fn free_call(&self, i: usize, name: &str, args: &[(usize, usize)]) -> Option<Req> {
        let c = self.code;
        let is_new = i > 0 && c.ident(i - 1) == Some("new");
        if name == "Request" && is_new {
            return self.fetch_like(i, args, false);
        }
        // Angular `new HttpRequest('GET', url, body?, options?)`, sent by `http.request(req)`.
        if name == "HttpRequest" && is_new {
            let (m, u) = (*args.first()?, *args.get(1)?);
            let method = self.method_value(self.env.eval(m, i));
            return Some(self.req(self.url_value(u, i), u.0, method, args.to_vec()));
        }
        let lib = match name {
            "fetch" => Some(Lib::Fetch),
            "$fetch" | "ofetch" | "useFetch" | "useLazyFetch" => Some(Lib::Ofetch),
            _ => self
                .imports
                .get(name)
                .copied()
                .or_else(|| self.client(name, i).filter(|l| *l != Lib::ByName)),
        };
        match lib {
            Some(Lib::Fetch) => self.fetch_like(i, args, false),
            Some(Lib::Ofetch) => self.fetch_like(i, args, true),
            Some(Lib::Axios | Lib::Angular) => self.axios_call(i, name, args, Value::default()),
            Some(Lib::Got | Lib::Ky) => {
                let base = self.base_of(name, i);
                self.got_call(i, args, base, Method::Get)
            }
            Some(Lib::Superagent | Lib::Needle) => self.method_first(i, args),
            Some(Lib::RequestPkg) => self.request_lib(i, args, None),
            Some(Lib::NodeHttp) => self.node_http(i, args, name == "get"),
            Some(Lib::Project | Lib::NotClient | Lib::Jquery | Lib::ByName) => None,
            None => {
                // `request({ url, method })` of a framework, when the project does not define
                // `request` itself.
                if c.fns.iter().any(|f| f.name == name) {
                    return None;
                }
                if matches!(
                    name,
                    "request" | "$request" | "ajax" | "$http" | "http" | "httpRequest"
                ) || REQUESTISH.contains(&name)
                {
                    return self.options_call(i, args, Value::default(), false);
                }
                // Any other function handed `{ url, method }`: a request, unless it is known to
                // be something else (a logger, a store).
                if !not_request_fn(name) {
                    return self.options_call(i, args, Value::default(), true);
                }
                None
            }
        }
    }

    fn method_call(
        &self,
        i: usize,
        recv: &str,
        name: &str,
        args: &[(usize, usize)],
    ) -> Option<Req> {
        let c = self.code;
        let last = last_segment(recv);
        // Google Apps Script's `UrlFetchApp.fetch(url, { method, payload })`.
        if name == "fetch"
            && matches!(
                recv,
                "window" | "globalThis" | "self" | "global" | "UrlFetchApp"
            )
        {
            return self.fetch_like(i, args, false);
        }
        // `const xhr = new XMLHttpRequest(); xhr.open('GET', url)`.
        if name == "open"
            && self.env.assigns.iter().any(|a| {
                (a.name == recv || Some(a.name.as_str()) == recv.strip_prefix("this."))
                    && c.ident(a.rhs.0) == Some("new")
                    && c.ident(a.rhs.0 + 1) == Some("XMLHttpRequest")
            })
        {
            let (m, u) = (*args.first()?, *args.get(1)?);
            let method = self.method_value(self.env.eval(m, i));
            return Some(self.req(self.url_value(u, i), u.0, method, vec![]));
        }
        let lib = self.client(recv, i);
        if matches!(name, "raw" | "native") && lib == Some(Lib::Ofetch) {
            return self.fetch_like(i, args, true);
        }
        if name == "fetch" && lib == Some(Lib::Fetch) {
            return self.fetch_like(i, args, false);
        }
        let Some(lib) = lib else {
            // `uni.request({ url, method })`, n8n's `this.helpers.httpRequest(...)`,
            // `this.request({ method, path })` of a framework base class — not when this file
            // defines the method called on `this` (a project helper).
            let own = recv == "this" && c.fns.iter().any(|f| f.name == name);
            if own
                || last == "?"
                || NOT_PROJECT.contains(&last)
                || NOT_REQUEST_RECEIVERS.contains(&last)
            {
                return None;
            }
            if matches!(name, "request" | "httpRequest") || REQUESTISH.contains(&name) {
                // Zapier's `z.request(url, { method })` also takes the URL first.
                if name == "request" && args.first().is_some_and(|&f| !self.is_object(f)) {
                    return self.fetch_like(i, args, false);
                }
                return self.options_call(i, args, Value::default(), false);
            }
            if !not_request_fn(name) {
                return self.options_call(i, args, Value::default(), true);
            }
            return None;
        };
        if matches!(lib, Lib::NotClient | Lib::Project) {
            return None;
        }
        // A route or a mock handler: `router.get('/v3/x', (req, res) => ...)`.
        if lib == Lib::ByName && args.iter().skip(1).any(|&r| self.is_function(r)) {
            return None;
        }
        // Nuxt's axios module: `$get` returns the data.
        let verb_name = match lib {
            Lib::Axios | Lib::ByName => name.strip_prefix('$').unwrap_or(name),
            _ => name,
        };
        let verb = VERBS
            .iter()
            .find(|(v, _)| *v == verb_name)
            .map(|&(_, m)| m)
            .or(match (lib, name) {
                (Lib::Superagent, "del") => Some(Method::Delete),
                (Lib::Jquery, "getJSON" | "getScript") | (Lib::Angular, "jsonp") => {
                    Some(Method::Get)
                }
                (Lib::Axios | Lib::ByName, "postForm") => Some(Method::Post),
                (Lib::Axios | Lib::ByName, "putForm") => Some(Method::Put),
                (Lib::Axios | Lib::ByName, "patchForm") => Some(Method::Patch),
                (Lib::Got, "stream" | "paginate") => Some(Method::Get),
                _ => None,
            });
        let base = self.base_of(recv, i);
        match (lib, verb) {
            (Lib::Jquery, Some(m)) => self.jquery(i, args, Some(m)),
            (Lib::Jquery, None) if name == "ajax" => self.jquery(i, args, None),
            (Lib::Got | Lib::Ky, Some(m)) => self.got_call(i, args, base, m),
            (Lib::RequestPkg, Some(m)) => self.request_lib(i, args, Some(m)),
            (Lib::NodeHttp, Some(Method::Get)) => self.node_http(i, args, true),
            (Lib::NodeHttp, None) if name == "request" => self.node_http(i, args, false),
            (Lib::Superagent | Lib::Needle, Some(m)) => {
                let u = *args.first()?;
                Some(self.req(self.url_value(u, i), u.0, MethodSpec::Known(m), vec![]))
            }
            (Lib::Axios | Lib::Angular | Lib::ByName | Lib::Ofetch | Lib::Fetch, Some(m)) => {
                // get/delete/head/options(url, config); post/put/patch(url, data, config).
                let u = *args.first()?;
                let cfg_idx = match (lib, m) {
                    (_, Method::Post | Method::Put | Method::Patch) => 2,
                    _ => 1,
                };
                let cfg = args.get(cfg_idx).copied();
                let base = match cfg.map(|r| self.prop(r, &["baseURL"], i, 0)) {
                    Some(p) => self.prop_value(p, i).unwrap_or(base),
                    None => base,
                };
                let mut headers: Vec<(usize, usize)> = cfg.into_iter().collect();
                headers.extend(self.instance_config(recv));
                Some(self.req(
                    join_base(&base, &self.url_value(u, i)),
                    u.0,
                    MethodSpec::Known(m),
                    headers,
                ))
            }
            (Lib::Angular, None) if name == "request" => self.angular_request(i, args, base),
            (Lib::Axios | Lib::ByName, None) if name == "request" => {
                self.axios_call(i, recv, args, base)
            }
            // `undici.request(url, { method })`, `undici.fetch(url)`.
            (Lib::Fetch, None) if matches!(name, "request" | "fetch") => {
                self.fetch_like(i, args, false)
            }
            // An in-house client's `send({ method, path })`.
            (Lib::ByName, None) if REQUESTISH.contains(&name) => {
                self.options_call(i, args, base, false)
            }
            _ => None,
        }
    }

    /// `fetch(url, init)`, `new Request(url, init)`, `$fetch(url, { method, baseURL })`.
    fn fetch_like(&self, i: usize, args: &[(usize, usize)], base_option: bool) -> Option<Req> {
        let c = self.code;
        let u = *args.first()?;
        let a = c.skip_newlines(u.0, u.1);
        // A `Request` object is reported where it is made.
        if c.ident(a) == Some("new") && c.ident(a + 1) == Some("Request") {
            return None;
        }
        if a + 1 == u.1
            && let Some(n) = c.ident(a)
            && self.env.assigns.iter().any(|x| {
                x.name == n
                    && c.ident(x.rhs.0) == Some("new")
                    && c.ident(x.rhs.0 + 1) == Some("Request")
            })
        {
            return None;
        }
        let init = args.get(1).copied();
        let method = match init {
            Some(r) => {
                let p = self.prop(r, &["method"], i, 0);
                self.method_of(p, i, Method::Get)
            }
            None => MethodSpec::Known(Method::Get),
        };
        let mut url = self.url_value(u, i);
        if base_option && let Some(r) = init {
            let p = self.prop(r, &["baseURL", "baseUrl"], i, 0);
            if let Some(b) = self.prop_value(p, i) {
                url = join_base(&b, &url);
            }
        }
        Some(self.req(url, u.0, method, init.into_iter().collect()))
    }

    /// `axios(url, config)`, `axios(config)`, `axios.request(config)`, `instance(config)`,
    /// `client.request('GET', url)`.
    fn axios_call(
        &self,
        i: usize,
        recv: &str,
        args: &[(usize, usize)],
        base: Value,
    ) -> Option<Req> {
        let first = *args.first()?;
        // `request('GET', url, ...)`.
        if let Some(m) = self.literal_method(first, i)
            && let Some(&u) = args.get(1)
        {
            return Some(self.req(
                join_base(&base, &self.url_value(u, i)),
                u.0,
                MethodSpec::Known(m),
                args.get(2).copied().into_iter().collect(),
            ));
        }
        let base = if base.is_empty() {
            self.base_of(recv, i)
        } else {
            base
        };
        let mut headers: Vec<(usize, usize)> = args.iter().take(2).copied().collect();
        headers.extend(self.instance_config(recv));
        if self.is_object(first) {
            // The config form.
            return self.config_request(i, first, base, headers, &["url"]);
        }
        let cfg = args.get(1).copied();
        let method = match cfg {
            Some(r) => self.method_of(self.prop(r, &["method"], i, 0), i, Method::Get),
            None => MethodSpec::Known(Method::Get),
        };
        let url = self.url_value(first, i);
        Some(self.req(join_base(&base, &url), first.0, method, headers))
    }

    /// A request described by an options object: `{ url, method, baseURL }` (also `uri`,
    /// `path`, `prefixUrl`).
    fn config_request(
        &self,
        i: usize,
        cfg: (usize, usize),
        base: Value,
        headers: Vec<(usize, usize)>,
        url_keys: &[&str],
    ) -> Option<Req> {
        let up = self.prop(cfg, url_keys, i, 0);
        let url_tok = match &up {
            // `{ url: url }` / `{ url }` with `const url = base + '/v3/x'` above: the call
            // is where the URL is written.
            Prop::Range(r) => match self.simple_name(*r) {
                Some(n) if !n.contains('.') => match self.env.reaching_assigns(&n, i).as_slice() {
                    [a] => self
                        .code
                        .skip_newlines(self.env.assigns[*a].rhs.0, self.env.assigns[*a].rhs.1),
                    _ => r.0,
                },
                _ => r.0,
            },
            // `options.url`, an entry of an object literal assigned above.
            Prop::Name(n) => match self.env.reaching_assigns(n, i).last() {
                Some(&a) => {
                    let (x, y) = self.env.assigns[a].rhs;
                    if x < y {
                        self.code.skip_newlines(x, y)
                    } else {
                        self.env.assigns[a].tok
                    }
                }
                None => cfg.0,
            },
            _ => cfg.0,
        };
        let url = self.prop_value(up, i)?;
        let method = self.method_of(self.prop(cfg, &["method", "type"], i, 0), i, Method::Get);
        let b = self.prop(cfg, &["baseURL", "baseUrl", "prefixUrl"], i, 0);
        let base = self.prop_value(b, i).unwrap_or(base);
        Some(self.req(join_base(&base, &url), url_tok, method, headers))
    }

    /// `request({ url, method })`-style helpers of frameworks (only with an object literal
    /// that names a URL).
    ///
    /// The object may be a name assigned one earlier (`const opts = {...}; request(opts)`) and
    /// may spread another (`{ ...base, method: 'PUT' }`). With `need_method` (a callee not
    /// known to make requests), the object must also name a method: `{ url, method }` handed
    /// to any function is a request, `{ url }` alone is data.
    fn options_call(
        &self,
        i: usize,
        args: &[(usize, usize)],
        base: Value,
        need_method: bool,
    ) -> Option<Req> {
        let &first = args.first()?;
        if !self.is_object(first) {
            return None;
        }
        let keys = ["url", "uri", "path", "endpoint"];
        let named = |p: Prop| matches!(p, Prop::Range(_) | Prop::Name(_));
        if !named(self.prop(first, &keys, i, 0)) {
            return None;
        }
        if need_method && !named(self.prop(first, &["method", "type", "verb"], i, 0)) {
            return None;
        }
        self.config_request(i, first, base, vec![first], &keys)
    }

    /// got and ky: `got(url, { method, prefixUrl })`, `got.post(url)`, `got({ url })`.
    fn got_call(&self, i: usize, args: &[(usize, usize)], base: Value, m: Method) -> Option<Req> {
        let first = *args.first()?;
        if self.is_object(first) {
            return self.config_request(i, first, base, vec![first], &["url"]);
        }
        let opts = args.get(1).copied();
        let method = match opts {
            Some(r) => self.method_of(self.prop(r, &["method"], i, 0), i, m),
            None => MethodSpec::Known(m),
        };
        let base = match opts.map(|r| self.prop(r, &["prefixUrl"], i, 0)) {
            Some(p) => self.prop_value(p, i).unwrap_or(base),
            None => base,
        };
        let url = self.url_value(first, i);
        Some(self.req(
            join_base(&base, &url),
            first.0,
            method,
            opts.into_iter().collect(),
        ))
    }

    /// superagent and needle called directly: `request('GET', url)`, `superagent(url)`.
    fn method_first(&self, i: usize, args: &[(usize, usize)]) -> Option<Req> {
        let first = *args.first()?;
        if let Some(m) = self.literal_method(first, i)
            && let Some(&u) = args.get(1)
        {
            return Some(self.req(self.url_value(u, i), u.0, MethodSpec::Known(m), vec![]));
        }
        if args.len() >= 2 {
            // `needle(method, url)` with a method not known statically.
            let u = args[1];
            let method = self.method_value(self.env.eval(first, i));
            return Some(self.req(self.url_value(u, i), u.0, method, vec![]));
        }
        Some(self.req(
            self.url_value(first, i),
            first.0,
            MethodSpec::Known(Method::Get),
            vec![],
        ))
    }

    /// The `request` library: `request(url, opts, cb)`, `request({ uri, method })`,
    /// `request.post(url)`.
    fn request_lib(&self, i: usize, args: &[(usize, usize)], m: Option<Method>) -> Option<Req> {
        let first = *args.first()?;
        let dflt = m.unwrap_or(Method::Get);
        if self.is_object(first) {
            let mut r =
                self.config_request(i, first, Value::default(), vec![first], &["uri", "url"])?;
            if let Some(m) = m {
                r.method = MethodSpec::Known(m);
            }
            return Some(r);
        }
        let opts = args.get(1).copied().filter(|&r| self.is_object(r));
        let method = match (m, opts) {
            (Some(m), _) => MethodSpec::Known(m),
            (None, Some(r)) => self.method_of(self.prop(r, &["method"], i, 0), i, dflt),
            (None, None) => MethodSpec::Known(dflt),
        };
        Some(self.req(
            self.url_value(first, i),
            first.0,
            method,
            opts.into_iter().collect(),
        ))
    }

    /// Node `http(s).request(options | url, [options], cb)` and `get(...)`.
    fn node_http(&self, i: usize, args: &[(usize, usize)], get: bool) -> Option<Req> {
        let first = *args.first()?;
        let dflt = Method::Get;
        let path = self.prop(first, &["path"], i, 0);
        if matches!(path, Prop::Range(_) | Prop::Name(_)) {
            let url_tok = match &path {
                Prop::Range(r) => r.0,
                _ => first.0,
            };
            let path = self.prop_value(path, i)?;
            let host = self.prop(first, &["hostname", "host"], i, 0);
            let url = match self.prop_value(host, i) {
                Some(h) => Value::lit("https://").concat(&h).concat(&path),
                None => path,
            };
            let method = if get {
                MethodSpec::Known(Method::Get)
            } else {
                self.method_of(self.prop(first, &["method"], i, 0), i, dflt)
            };
            return Some(self.req(url, url_tok, method, vec![first]));
        }
        if self.is_object(first) {
            return None;
        }
        let opts = args.get(1).copied().filter(|&r| self.is_object(r));
        let method = match (get, opts) {
            (true, _) => MethodSpec::Known(Method::Get),
            (false, Some(r)) => self.method_of(self.prop(r, &["method"], i, 0), i, dflt),
            (false, None) => MethodSpec::Known(dflt),
        };
        Some(self.req(
            self.url_value(first, i),
            first.0,
            method,
            opts.into_iter().collect(),
        ))
    }

    /// `$.ajax(url, settings)`, `$.ajax({ url, type })`, `$.get(url)`, `$.post({ url })`.
    fn jquery(&self, i: usize, args: &[(usize, usize)], m: Option<Method>) -> Option<Req> {
        let first = *args.first()?;
        if self.is_object(first) {
            let mut r = self.config_request(i, first, Value::default(), vec![first], &["url"])?;
            if let Some(m) = m {
                r.method = MethodSpec::Known(m);
            }
            return Some(r);
        }
        let method = match (m, args.get(1).copied().filter(|&r| self.is_object(r))) {
            (Some(m), _) => MethodSpec::Known(m),
            (None, Some(s)) => {
                self.method_of(self.prop(s, &["method", "type"], i, 0), i, Method::Get)
            }
            (None, None) => MethodSpec::Known(Method::Get),
        };
        Some(self.req(
            self.url_value(first, i),
            first.0,
            method,
            args.get(1).copied().into_iter().collect(),
        ))
    }

    /// Angular `http.request('PATCH', url, options)`.
    fn angular_request(&self, i: usize, args: &[(usize, usize)], base: Value) -> Option<Req> {
        // `http.request(req)`: the `HttpRequest` is reported where it is made.
        let (m_r, u_r, opts) = (*args.first()?, *args.get(1)?, args.get(2).copied());
        let method = self.method_value(self.env.eval(m_r, i));
        Some(self.req(
            join_base(&base, &self.url_value(u_r, i)),
            u_r.0,
            method,
            opts.into_iter().collect(),
        ))
    }

    /// `DefaultApi.genericGet({ path: 'v2025/accounts' })` (and the positional factory form).
    fn generic(&self, i: usize, m: Method, args: &[(usize, usize)]) -> Option<Req> {
        let first = *args.first()?;
        let mut r = if self.is_object(first) {
            self.config_request(i, first, Value::default(), vec![], &["path"])?
        } else {
            self.req(
                self.url_value(first, i),
                first.0,
                MethodSpec::Known(m),
                vec![],
            )
        };
        r.method = MethodSpec::Known(m);
        r.via = Via::Sdk;
        Some(r)
    }

    fn req(
        &self,
        url: Value,
        url_tok: usize,
        method: MethodSpec,
        headers: Vec<(usize, usize)>,
    ) -> Req {
        let c = self.code;
        let end = headers.iter().map(|h| h.1).max().unwrap_or(c.len());
        Req {
            url,
            url_tok: c.skip_newlines(url_tok, end.max(url_tok + 1)),
            method,
            headers,
            via: Via::Http,
        }
    }

    /// The base URL of a client: `baseURL` of `axios.create`, `prefixUrl` of `got.extend` /
    /// `ky.create`, `defaults.baseURL` assigned later, a `RESTDataSource`'s `baseURL`.
    fn base_of(&self, recv: &str, at: usize) -> Value {
        let bare = recv
            .strip_prefix("this.")
            .or_else(|| recv.strip_prefix("self."))
            .unwrap_or(recv);
        let mut names = Vec::new();
        for r in [recv, bare] {
            if r == "this" {
                names.push("this.baseURL".to_string());
                names.push("baseURL".to_string());
                continue;
            }
            for k in [
                "baseURL",
                "defaults.baseURL",
                "prefixUrl",
                "prefixURL",
                "baseUrl",
                "defaults.prefixUrl",
                "defaults.options.prefixUrl",
            ] {
                names.push(format!("{r}.{k}"));
            }
        }
        for n in &names {
            if self.env.assigns.iter().any(|a| a.name == *n) {
                let v = self.env.lookup(n, at);
                if !v.is_empty() {
                    return v;
                }
            }
        }
        // A client made by a factory function of this file: the base URL of the
        // `create`/`extend` call in its body.
        if let Some(v) = self.factory_base(recv, bare) {
            return v;
        }
        // A client made in another file of the project (`import api from './api'`); not
        // when this file makes its own `api`.
        let head = bare.split('.').next().unwrap_or(bare);
        let local = self
            .env
            .assigns
            .iter()
            .any(|a| a.name == recv || a.name == bare)
            || self
                .code
                .enclosing_fn(at)
                .is_some_and(|f| self.code.fns[f].params.iter().any(|p| p == head));
        if !local && recv != "this" {
            for n in &names {
                if let Some(v) = self.env.project.consts.get(n) {
                    return v.clone();
                }
            }
        }
        Value::default()
    }

    /// `const sp = makeClient(t)` with `function makeClient(t) { return axios.create({
    /// baseURL }) }`: that `baseURL` (the factory's parameters are unknown values here).
    fn factory_base(&self, recv: &str, bare: &str) -> Option<Value> {
        let c = self.code;
        let a = self
            .env
            .assigns
            .iter()
            .find(|a| (a.name == recv || a.name == bare) && a.fixed.is_none())?;
        let mut k = c.skip_newlines(a.rhs.0, a.rhs.1);
        if c.ident(k) == Some("await") {
            k += 1;
        }
        let name = c.ident(k)?;
        c.call_paren(k)?;
        let f = c.fns.iter().find(|f| f.name == name)?;
        (f.body.0..f.body.1).find_map(|t| {
            if !(matches!(c.ident(t), Some("create" | "extend")) && c.is_punct(t - 1, ".")) {
                return None;
            }
            let first = *c.args(c.call_paren(t)?).first()?;
            let p = self.prop(first, &["baseURL", "prefixUrl", "baseUrl"], t, 0);
            let v = self.prop_value(p, t)?;
            let mut v = v;
            for piece in v.cands.iter_mut().flatten() {
                if let Piece::Hole(h) = piece
                    && let Some(n) = h.strip_prefix("param:")
                {
                    *h = n.to_string();
                }
            }
            Some(v)
        })
    }

    /// The configuration object a client instance was made with (for its default headers).
    fn instance_config(&self, recv: &str) -> Option<(usize, usize)> {
        let bare = recv.strip_prefix("this.").unwrap_or(recv);
        self.env
            .assigns
            .iter()
            .find(|a| (a.name == recv || a.name == bare) && a.fixed.is_none())
            .map(|a| a.rhs)
    }

    /// A property of an options object given as range `r`: an object literal (spreads
    /// followed), a name assigned an object literal, or a parameter.
    fn prop(&self, r: (usize, usize), keys: &[&str], at: usize, depth: usize) -> Prop {
        let c = self.code;
        if depth > 4 {
            return Prop::Unknown;
        }
        if let Some(open) = self.object_open(r) {
            let props = c.object_props(open);
            if let Some((_, v)) = props
                .iter()
                .rev()
                .find(|(k, _)| k.as_deref().is_some_and(|k| keys.contains(&k)))
            {
                return Prop::Range(*v);
            }
            let mut unknown = false;
            for (_, s) in props.iter().rev().filter(|(k, _)| k.is_none()) {
                match self.prop(*s, keys, at, depth + 1) {
                    Prop::Absent => {}
                    Prop::Unknown => unknown = true,
                    found => return found,
                }
            }
            return if unknown { Prop::Unknown } else { Prop::Absent };
        }
        let Some(name) = self.simple_name(r) else {
            return Prop::Unknown;
        };
        // A parameter of the enclosing function: its callers say.
        if !name.contains('.')
            && let Some(f) = c.enclosing_fn(at)
            && c.fns[f].params.contains(&name)
        {
            return Prop::Param(format!("{name}.{}", keys[0]));
        }
        for k in keys {
            let full = format!("{name}.{k}");
            if self.env.assigns.iter().any(|a| a.name == full) {
                return Prop::Name(full);
            }
        }
        // `const opts = { ... }` assigned earlier.
        let func = c.enclosing_fn(at);
        // Instance attributes (`this.options = { ... }` in a constructor) reach every method.
        let instance = name.starts_with("this.");
        let assigned = self
            .env
            .assigns
            .iter()
            .filter(|a| a.name == name && a.fixed.is_none())
            .filter(|a| a.func == func || a.func.is_none() || instance)
            .rfind(|a| a.tok < at || a.func.is_none() || instance);
        match assigned {
            Some(a) if self.object_open(a.rhs).is_some() => {
                self.prop(a.rhs, keys, a.tok, depth + 1)
            }
            _ => Prop::Unknown,
        }
    }

    fn prop_value(&self, p: Prop, at: usize) -> Option<Value> {
        let v = match p {
            Prop::Range(r) => self.url_value(r, at),
            Prop::Name(n) => self.env.lookup(&n, at),
            Prop::Param(p) => Value::hole(format!("param:{p}")),
            Prop::Absent | Prop::Unknown => return None,
        };
        (!v.is_empty()).then_some(v)
    }

    fn method_of(&self, p: Prop, at: usize, default: Method) -> MethodSpec {
        match p {
            Prop::Range(r) => self.method_value(self.env.eval(r, at)),
            Prop::Name(n) => self.method_value(self.env.lookup(&n, at)),
            Prop::Param(p) => MethodSpec::ParamOr(p, default),
            Prop::Absent => MethodSpec::Known(default),
            Prop::Unknown => MethodSpec::Unknown,
        }
    }

    /// A method from an evaluated value: `'POST'`, `m.toUpperCase()` of a literal, a
    /// parameter, `HttpMethod.DELETE`.
    fn method_value(&self, v: Value) -> MethodSpec {
        use super::super::frontend::{literal_methods, literal_or_param_method};
        if let Some(m) = literal_or_param_method(&v) {
            return m;
        }
        if let [cand] = v.cands.as_slice()
            && let [Piece::Hole(h)] = cand.as_slice()
            && h.contains('.')
            && let Some(m) = Method::parse(last_segment(h))
        {
            return MethodSpec::Known(m);
        }
        let lits = literal_methods(&v);
        // `opts?.method ?? 'GET'`, `method || 'POST'`: the caller's, or that default.
        if let ([m], [a, b]) = (lits.as_slice(), v.cands.as_slice()) {
            let param = [a, b].into_iter().find_map(|c| match c.as_slice() {
                [Piece::Hole(h)] => h.strip_prefix("param:"),
                _ => None,
            });
            if let Some(p) = param {
                return MethodSpec::ParamOr(p.to_string(), *m);
            }
        }
        super::super::frontend::method_spec_of_value(&v).unwrap_or(MethodSpec::Unknown)
    }

    /// The method when range `r` is a literal HTTP method (`'GET'`, `"patch"`).
    fn literal_method(&self, r: (usize, usize), at: usize) -> Option<Method> {
        let a = self.code.skip_newlines(r.0, r.1);
        if !matches!(self.code.tok(a), Some(Tok::Str(_))) {
            return None;
        }
        self.env
            .eval(r, at)
            .as_literal()
            .and_then(|s| Method::parse(s.trim()))
    }

    /// A URL argument's value (`url.toString()` and `url.href` are the URL itself).
    fn url_value(&self, r: (usize, usize), at: usize) -> Value {
        let c = self.code;
        let mut e = r.1;
        while e > r.0 && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        if e >= r.0 + 5
            && c.is_punct(e - 4, ".")
            && c.ident(e - 3) == Some("toString")
            && c.is_punct(e - 2, "(")
            && c.is_punct(e - 1, ")")
        {
            e -= 4;
        } else if e >= r.0 + 3 && c.is_punct(e - 2, ".") && c.ident(e - 1) == Some("href") {
            e -= 2;
        }
        self.env.eval((r.0, e), at)
    }

    /// The `{` of range `r` when it is exactly an object literal.
    fn object_open(&self, r: (usize, usize)) -> Option<usize> {
        let c = self.code;
        let a = c.skip_newlines(r.0, r.1);
        let mut e = r.1;
        while e > a && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        (c.is_punct(a, "{") && c.close_of(a) == Some(e.saturating_sub(1))).then_some(a)
    }

    /// Whether range `r` is an options object: a literal, or a name assigned one.
    fn is_object(&self, r: (usize, usize)) -> bool {
        if self.object_open(r).is_some() {
            return true;
        }
        let Some(name) = self.simple_name(r) else {
            return false;
        };
        self.env
            .assigns
            .iter()
            .any(|a| a.name == name && self.object_open(a.rhs).is_some())
    }

    /// `a`, `a.b`, `this.opts` spanning range `r`.
    fn simple_name(&self, r: (usize, usize)) -> Option<String> {
        let c = self.code;
        let a = c.skip_newlines(r.0, r.1);
        let mut e = r.1;
        while e > a && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        let mut parts = Vec::new();
        let mut k = a;
        loop {
            parts.push(c.ident(k)?.to_string());
            k += 1;
            if k == e {
                return Some(parts.join("."));
            }
            if !(c.is_punct(k, ".") || c.is_punct(k, "?.")) {
                return None;
            }
            k += 1;
        }
    }

    /// Whether range `r` is a function expression (a route or mock handler).
    fn is_function(&self, r: (usize, usize)) -> bool {
        let c = self.code;
        let mut a = c.skip_newlines(r.0, r.1);
        if c.ident(a) == Some("async") {
            a += 1;
        }
        if c.ident(a) == Some("function") {
            return true;
        }
        if c.is_punct(a, "(")
            && let Some(close) = c.close_of(a)
        {
            return c.is_punct(close + 1, "=>") || c.is_punct(close + 1, ":");
        }
        c.ident(a).is_some() && c.is_punct(a + 1, "=>")
    }
}

/// Names that say a receiver is an HTTP client: `client`, `apiClient`, `http`, `$http`,
/// `httpService`, `api`, `axiosInstance`, `iscApi`, `rest`.
fn by_name(last: &str) -> bool {
    let n = last
        .trim_start_matches(['$', '_', '#'])
        .to_ascii_lowercase();
    if n.ends_with("service") && !n.contains("http") && !n.contains("axios") {
        return false;
    }
    n.contains("http")
        || n.contains("client")
        || n.contains("axios")
        || n == "api"
        || n.starts_with("api")
        || n.ends_with("api")
        || n == "rest"
        || n.starts_with("isc")
        || n.starts_with("idn")
        || n.contains("sailpoint")
        || n.contains("identitynow")
}

/// Whether a hole's name says it holds a base URL (`ISC_BASE_URL`, `env:TENANT_URL`,
/// `this.host`), not a path.
fn base_like(hole: &str) -> bool {
    let n = hole.to_ascii_lowercase();
    ["url", "base", "host", "origin", "tenant", "domain"]
        .iter()
        .any(|k| n.contains(k))
        && !n.contains("path")
}

/// Joins a client's base URL and a request URL the way axios, got and ky do: an absolute URL
/// stands alone.
fn join_base(base: &Value, url: &Value) -> Value {
    if base.is_empty() {
        return url.clone();
    }
    let mut out = Value::default();
    for c in &url.cands {
        let one = Value {
            cands: vec![c.clone()],
        };
        let first = c
            .iter()
            .find(|p| !matches!(p, Piece::Lit(l) if l.is_empty()));
        let absolute = match first {
            Some(Piece::Lit(l)) => l.contains("://") || l.starts_with("//"),
            // `${ISC_BASE_URL}/v2025/search`: a base URL of its own.
            Some(Piece::Hole(h)) => !h.starts_with("param:") && base_like(h),
            None => false,
        };
        out = out.union(&if absolute { one } else { join_path(base, &one) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::eval::{Project, with_env};
    use crate::discover::lex::Lang;

    fn with_sites<R>(src: &str, f: impl FnOnce(&Code, Vec<Site>) -> R) -> R {
        with_env(src, Lang::Js, |env| f(env.code, sites(env, true)))
    }

    #[test]
    fn experimental_header_of_the_request_or_the_file() {
        // Named in the instance's defaults: the file says it, every request has it.
        let src = "import ky from 'ky'\nconst api = ky.create({ prefixUrl: 'https://a.api.identitynow.com/v2025', headers: { 'X-SailPoint-Experimental': 'true' } })\napi.get('accounts')\n";
        with_sites(src, |_, s| {
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].experimental_header, Some(true));
            assert_eq!(
                s[0].url.texts(),
                ["https://a.api.identitynow.com/v2025/accounts"]
            );
        });
        // Nowhere in this file, but somewhere in the project: unknown.
        with_sites(
            "fetch('https://a.api.identitynow.com/v2025/accounts')",
            |_, s| {
                assert_eq!(s[0].experimental_header, None);
            },
        );
    }

    #[test]
    fn methods_from_options_objects() {
        let src = "async function call(path, opts) {\n  return fetch(BASE + path, { ...opts, headers })\n}\nasync function post(path, o) {\n  return fetch(BASE + path, { method: o?.method ?? 'POST' })\n}\nconst m = 'patch'\nfetch('/v3/roles/1', { method: m.toUpperCase() })\nfetch(u, { method: HttpMethod.DELETE })\nfetch(u, { method: pick() })\n";
        with_sites(src, |_, s| {
            let methods: Vec<MethodSpec> = s.iter().map(|x| x.method.clone()).collect();
            assert_eq!(
                methods,
                [
                    MethodSpec::ParamOr("opts.method".into(), Method::Get),
                    MethodSpec::ParamOr("o.method".into(), Method::Post),
                    MethodSpec::Known(Method::Patch),
                    MethodSpec::Known(Method::Delete),
                    MethodSpec::Unknown,
                ]
            );
        });
    }

    #[test]
    fn node_options_and_framework_request_helpers() {
        let src = "const https = require('https')\nconst opts = { hostname: 'acme.api.identitynow.com', path: '/v3/accounts', method: 'POST' }\nhttps.request(opts, cb)\nuni.request({ url: 'https://acme.api.identitynow.com/v3/roles', method: 'DELETE' })\n";
        with_sites(src, |code, s| {
            assert_eq!(s.len(), 2);
            assert_eq!(
                s[0].url.texts(),
                ["https://acme.api.identitynow.com/v3/accounts"]
            );
            assert_eq!(s[0].method, MethodSpec::Known(Method::Post));
            // The endpoint is named by the options argument (as `fetch(url)` by `url`).
            assert_eq!(&code.src[s[0].offset..s[0].offset + 4], "opts");
            assert_eq!(s[1].method, MethodSpec::Known(Method::Delete));
        });
    }

    #[test]
    fn fetch_modules_called_through_their_namespace() {
        let src = "const undici = require('undici')\nundici.request('https://a.api.identitynow.com/v3/roles', { method: 'DELETE' })\nundici.fetch('https://a.api.identitynow.com/v3/roles')\nundici.setGlobalDispatcher(agent)\n";
        with_sites(src, |_, s| {
            let methods: Vec<MethodSpec> = s.iter().map(|x| x.method.clone()).collect();
            assert_eq!(
                methods,
                [
                    MethodSpec::Known(Method::Delete),
                    MethodSpec::Known(Method::Get)
                ]
            );
        });
    }

    #[test]
    fn helper_invocations_exclude_libraries_servers_and_unrelated_objects() {
        let src = "import axios from 'axios'\nimport nock from 'nock'\nimport { Isc } from './isc'\nconst isc = new Isc()\nconst app = express()\nclass C {\n  constructor(private sources: SourcesService) {}\n  run() {\n    axios.get(a); app.get(b); nock(u).get(c); this.form.get(d); isc.get(e); this.get(f); this.sources.get(g); iscGet(h); fetch(k)\n  }\n}\n";
        let code = Code::new(src, Lang::Js);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let calls = Calls::new(&env);
        let verdict: Vec<(String, bool)> = (0..code.len())
            .filter(|&i| {
                code.is_punct(i + 1, "(") && code.toks[i + 2].ident().is_some_and(|a| a.len() == 1)
            })
            .map(|i| {
                let arg = code.ident(i + 2).unwrap().to_string();
                (arg, calls.project_call(i))
            })
            .collect();
        let expected: Vec<(String, bool)> = [
            ("a", false),
            ("b", false),
            ("u", false),
            ("c", false),
            ("d", false),
            ("e", true),
            ("f", true),
            ("g", true),
            ("h", true),
            ("k", false),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), *b))
        .collect();
        assert_eq!(verdict, expected);
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::discover::eval::Project;
    use crate::discover::lex::Lang;

    /// Every fixture cut at many points (unterminated strings, templates, brackets,
    /// components without `</script>`) is read without a panic.
    #[test]
    fn truncated_sources_never_panic() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/discover/javascript"
        );
        let mut stack = vec![std::path::PathBuf::from(dir)];
        let mut files = 0;
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).expect("fixture dir") {
                let path = e.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).expect("utf-8 fixture");
                files += 1;
                let mut cut = 0;
                while cut < src.len() {
                    if src.is_char_boundary(cut) {
                        let part = &src[..cut];
                        let code = Code::new(part, Lang::Js);
                        let project = Project::default();
                        let env = Env::new(&code, &project);
                        let _ = sites(&env, false);
                        let calls = Calls::new(&env);
                        for t in 0..code.len() {
                            let _ = calls.project_call(t);
                        }
                    }
                    cut += 29;
                }
            }
        }
        assert!(files >= 20);
    }

    /// Token soup made of the pieces the front-end looks for.
    #[test]
    fn random_token_soup_never_panics() {
        let pieces = [
            "fetch",
            "axios",
            ".",
            "get",
            "(",
            ")",
            "{",
            "}",
            "[",
            "]",
            "`${",
            "'",
            "\"",
            "/v3/",
            "=>",
            ",",
            ":",
            "method",
            "url",
            "new ",
            "Request",
            "this",
            "\n",
            "=",
            "const x",
            "...",
            "?.",
            "<T>",
            "https.request",
            "$.ajax",
            "#p",
            "<script>",
            "</script>",
            "for",
            " of ",
            "forEach",
            "create",
            "return",
            "function f",
            "async ",
            "/",
            "*",
            "$",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            let mut src = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                src.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let code = Code::new(&src, Lang::Js);
            let project = Project::default();
            let env = Env::new(&code, &project);
            let _ = sites(&env, true);
            let calls = Calls::new(&env);
            for t in 0..code.len() {
                let _ = calls.project_call(t);
            }
        }
    }
}
