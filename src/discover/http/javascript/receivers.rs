//! Receivers and clients: which library a receiver is (imports, typed names, instances made
//! by factories such as `axios.create`, names that say so), and a client's base URL.

use super::names::{Lib, NOT_PROJECT};
use super::{Js, last_segment};
use crate::discover::lex::Tok;
use crate::discover::value::{Piece, Value, join_path};

impl<'e, 'c> Js<'e, 'c> {
    /// The receiver of a method call whose name is token `i` (`axios`, `this.client`,
    /// `DefaultApi()` for `new DefaultApi(cfg).genericGet`), `None` for a plain call.
    pub(super) fn receiver(&self, i: usize) -> Option<String> {
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
                    parts.push(s.to_string());
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
    pub(super) fn client(&self, recv: &str, at: usize) -> Option<Lib> {
        self.client_depth(recv, at, 0)
    }

    pub(super) fn client_depth(&self, recv: &str, at: usize, depth: usize) -> Option<Lib> {
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
    pub(super) fn made_by(&self, r: (usize, usize), at: usize, depth: usize) -> Option<Lib> {
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
    pub(super) fn factory_of(&self, name: &str, at: usize, depth: usize) -> Option<Lib> {
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

    /// The base URL of a client: `baseURL` of `axios.create`, `prefixUrl` of `got.extend` /
    /// `ky.create`, `defaults.baseURL` assigned later, a `RESTDataSource`'s `baseURL`.
    pub(super) fn base_of(&self, recv: &str, at: usize) -> Value {
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
    pub(super) fn factory_base(&self, recv: &str, bare: &str) -> Option<Value> {
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
    pub(super) fn instance_config(&self, recv: &str) -> Option<(usize, usize)> {
        let bare = recv.strip_prefix("this.").unwrap_or(recv);
        self.env
            .assigns
            .iter()
            .find(|a| (a.name == recv || a.name == bare) && a.fixed.is_none())
            .map(|a| a.rhs)
    }
}

/// Names that say a receiver is an HTTP client: `client`, `apiClient`, `http`, `$http`,
/// `httpService`, `api`, `axiosInstance`, `iscApi`, `rest`.
pub(super) fn by_name(last: &str) -> bool {
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
pub(super) fn base_like(hole: &str) -> bool {
    let n = hole.to_ascii_lowercase();
    ["url", "base", "host", "origin", "tenant", "domain"]
        .iter()
        .any(|k| n.contains(k))
        && !n.contains("path")
}

/// Joins a client's base URL and a request URL the way axios, got and ky do: an absolute URL
/// stands alone.
pub(super) fn join_base(base: &Value, url: &Value) -> Value {
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
