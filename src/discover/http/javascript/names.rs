//! What the names of a file stand for: the HTTP libraries a module provides and a file
//! imports, and the names that are (or are never) requests.

use crate::catalog::Method;
use crate::discover::code::Code;
use crate::discover::lex::Tok;
use std::collections::HashMap;

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lib {
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
pub(super) const GENERIC: &[(&str, Method)] = &[
    ("genericGet", Method::Get),
    ("genericPost", Method::Post),
    ("genericPut", Method::Put),
    ("genericPatch", Method::Patch),
    ("genericDelete", Method::Delete),
];

/// Receivers that are never a project helper nor an HTTP client.
/// Function names that make a request when handed an options object (`{ url, method }`) in
/// frameworks and in-house clients: `pm.sendRequest`, `this.client.send`, `api.call`.
pub(super) const REQUESTISH: &[&str] = &[
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
pub(super) const NOT_REQUEST_FNS: &[&str] = &[
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
pub(super) fn not_request_fn(name: &str) -> bool {
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
pub(super) const NOT_REQUEST_RECEIVERS: &[&str] = &[
    "logger", "log", "res", "response", "reply", "router", "app", "server", "store", "cache", "db",
    "expect", "assert", "nock", "mock", "emitter", "events",
];

pub(super) const NOT_PROJECT: &[&str] = &[
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
pub(super) fn module_lib(m: &str) -> Lib {
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
pub(super) fn imports(code: &Code) -> HashMap<String, Lib> {
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
                            names.push(w.to_string());
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
