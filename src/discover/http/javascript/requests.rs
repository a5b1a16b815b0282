//! Request sites: the call at a token read as a request of fetch, axios, got, ky, superagent,
//! the `request` library, node `http(s)`, jQuery, Angular, an options-object helper or the
//! SDK's generic entry points.

use super::super::VERBS;
use super::names::{GENERIC, Lib, NOT_PROJECT, NOT_REQUEST_RECEIVERS, REQUESTISH, not_request_fn};
use super::options::Prop;
use super::receivers::join_base;
use super::{Js, Req, last_segment};
use crate::catalog::Method;
use crate::discover::call::Via;
use crate::discover::frontend::MethodSpec;
use crate::discover::value::Value;

impl<'e, 'c> Js<'e, 'c> {
    /// The request made by the call whose name is token `i`, if it is one.
    pub(super) fn request_at(&self, i: usize) -> Option<Req> {
        let c = self.code;
        let name = c.ident(i)?;
        if c.is_punct(i + 1, "[") {
            return self.computed_verb(i);
        }
        if name == "url" {
            return self.postman_rewrite(i);
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

    /// A Postman script rewriting the URL of the request it runs before: `pm.request.url =
    /// url` or `pm.request.url.update(url)` (a call of the collection's request). Its method
    /// is what the script sets (`pm.request.method = 'POST'`), else the one method the `sail`
    /// CLI uses at that path when it is in no spec (connector invoke), else unknown (the
    /// operations the path has).
    fn postman_rewrite(&self, i: usize) -> Option<Req> {
        let c = self.code;
        if self.receiver(i).as_deref() != Some("pm.request") {
            return None;
        }
        let rhs = if c.is_punct(i + 1, "=") {
            let a = c.skip_newlines(i + 2, c.len());
            (a, c.expr_end(a))
        } else if c.is_punct(i + 1, ".")
            && c.ident(i + 2) == Some("update")
            && let Some(open) = c.call_paren(i + 2)
        {
            *c.args(open).first()?
        } else {
            return None;
        };
        let url = self.url_value(rhs, i);
        let mut method = MethodSpec::Unknown;
        if self.pm_methods.len() > 8 {
            return self.rewrite_req(url, rhs.0, MethodSpec::Unknown);
        }
        for &k in &self.pm_methods {
            let a = c.skip_newlines(k + 2, c.len());
            let m = self.method_value(self.env.eval((a, c.expr_end(a)), k));
            method = match (&method, m) {
                (MethodSpec::Unknown, m @ MethodSpec::Known(_)) => m,
                (MethodSpec::Known(x), MethodSpec::Known(y)) if *x == y => method,
                _ => return self.rewrite_req(url, rhs.0, MethodSpec::Unknown),
            };
        }
        if method == MethodSpec::Unknown {
            let known: Vec<Option<Method>> = url
                .cands
                .iter()
                .map(|cand| {
                    crate::discover::cli::raw_endpoint_method(&crate::discover::value::cand_text(
                        cand,
                    ))
                })
                .collect();
            if let Some(Some(m)) = known.first()
                && known.iter().all(|k| *k == Some(*m))
            {
                method = MethodSpec::Known(*m);
            }
        }
        self.rewrite_req(url, rhs.0, method)
    }

    fn rewrite_req(&self, url: Value, url_tok: usize, method: MethodSpec) -> Option<Req> {
        let mut r = self.req(url, url_tok, method, Vec::new());
        r.via = Via::Postman;
        Some(r)
    }

    /// `axios[method](url, ...)`, `this.client[verb.toLowerCase()](path)`: the verb in an
    /// expression (a parameter, for helpers).
    pub(super) fn computed_verb(&self, i: usize) -> Option<Req> {
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

    pub(super) fn free_call(&self, i: usize, name: &str, args: &[(usize, usize)]) -> Option<Req> {
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

    pub(super) fn method_call(
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
                // Zapier's `z.request(url, { method })` also takes the URL first, Postman's
                // `pm.sendRequest(url, callback)` too (a GET).
                let url_first = name == "request" || name == "sendRequest" && recv == "pm";
                if url_first && args.first().is_some_and(|&f| !self.is_object(f)) {
                    let args = if name == "sendRequest" {
                        &args[..1]
                    } else {
                        args
                    };
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
    pub(super) fn fetch_like(
        &self,
        i: usize,
        args: &[(usize, usize)],
        base_option: bool,
    ) -> Option<Req> {
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
    pub(super) fn axios_call(
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
    pub(super) fn config_request(
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
    pub(super) fn options_call(
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
    pub(super) fn got_call(
        &self,
        i: usize,
        args: &[(usize, usize)],
        base: Value,
        m: Method,
    ) -> Option<Req> {
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
    pub(super) fn method_first(&self, i: usize, args: &[(usize, usize)]) -> Option<Req> {
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
    pub(super) fn request_lib(
        &self,
        i: usize,
        args: &[(usize, usize)],
        m: Option<Method>,
    ) -> Option<Req> {
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
        Some(self.url_then_options(i, first, args, m, dflt))
    }

    /// A request written `(url, [options])`: the method is `fixed` when the call names it,
    /// else the options' `method`, else `dflt`.
    fn url_then_options(
        &self,
        i: usize,
        first: (usize, usize),
        args: &[(usize, usize)],
        fixed: Option<Method>,
        dflt: Method,
    ) -> Req {
        let opts = args.get(1).copied().filter(|&r| self.is_object(r));
        let method = match (fixed, opts) {
            (Some(m), _) => MethodSpec::Known(m),
            (None, Some(r)) => self.method_of(self.prop(r, &["method"], i, 0), i, dflt),
            (None, None) => MethodSpec::Known(dflt),
        };
        self.req(
            self.url_value(first, i),
            first.0,
            method,
            opts.into_iter().collect(),
        )
    }

    /// Node `http(s).request(options | url, [options], cb)` and `get(...)`.
    pub(super) fn node_http(&self, i: usize, args: &[(usize, usize)], get: bool) -> Option<Req> {
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
        Some(self.url_then_options(i, first, args, get.then_some(Method::Get), dflt))
    }

    /// `$.ajax(url, settings)`, `$.ajax({ url, type })`, `$.get(url)`, `$.post({ url })`.
    pub(super) fn jquery(
        &self,
        i: usize,
        args: &[(usize, usize)],
        m: Option<Method>,
    ) -> Option<Req> {
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
    pub(super) fn angular_request(
        &self,
        i: usize,
        args: &[(usize, usize)],
        base: Value,
    ) -> Option<Req> {
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
    pub(super) fn generic(&self, i: usize, m: Method, args: &[(usize, usize)]) -> Option<Req> {
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

    pub(super) fn req(
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
}
