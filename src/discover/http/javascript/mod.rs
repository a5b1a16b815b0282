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

mod names;
mod options;
mod receivers;
mod requests;

use super::super::call::Via;
use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::{MethodSpec, Site, experimental_header};
use super::super::lex::Tok;
use super::super::value::Value;
use names::{Lib, NOT_PROJECT, imports};
use std::collections::HashMap;

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
    /// The `method` of each `pm.request.method = …` (a Postman script setting its request's
    /// method).
    pm_methods: Vec<usize>,
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
        let mut pm_methods = Vec::new();
        for i in 0..code.len() {
            if code.ident(i) == Some("method")
                && code.is_punct(i + 1, "=")
                && i >= 4
                && code.is_punct(i - 1, ".")
                && code.ident(i - 2) == Some("request")
                && code.is_punct(i - 3, ".")
                && code.ident(i - 4) == Some("pm")
            {
                pm_methods.push(i);
            }
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
            pm_methods,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Method;
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
