//! Python SDK calls (`pip install sailpoint`).
//!
//! * 1.x: `import sailpoint.v2025` then `sailpoint.v2025.AccessProfilesApi(c)`;
//!   `from sailpoint.v2025 import AccessProfilesApi`;
//!   `from sailpoint.v2025.api.access_profiles_api import AccessProfilesApi`.
//! * 2.x: `from sailpoint import AccessProfilesApi`; `from sailpoint import SailPoint` then
//!   `SailPoint.AccessProfilesApi(c)`; `from sailpoint.access_profiles import AccessProfilesApi`.
//!
//! API objects are followed through assignments (`api = X(c)`, `self.api = X(c)`), type
//! annotations (`def f(api: X)`), `with X(c) as api`, functions and properties that return
//! one, and direct use (`X(c).list_sources()`). Methods are reported where they are called
//! or passed as values (`Paginator.paginate(api.list_accounts, 250)`); the search
//! paginators report `search_post` / `search_post_v1`.

use super::detect_common::{
    Api, Bindings, Hints, Module, Obj, ParamOwners, Recv, SdkContext, assigned_objs, chain_at,
    chain_before, in_paginator, is_dot, member_receiver_end, nothing, prev_sig, versioned_family,
};
use super::index::SdkLang;
use crate::catalog::PER_API_FAMILY;
use crate::discover::call::RawCall;
use crate::discover::code::Code;
use crate::discover::eval::Env;
use crate::discover::lex::Tok;
use rustc_hash::FxHashMap;

const LANG: SdkLang = SdkLang::Python;

/// The paginators that run a search (`search_post` in 1.x, `search_post_v1` in 2.x).
const SEARCH_PAGINATORS: &[&str] = &[
    "paginate_search",
    "paginate_search_with_http_info",
    "paginate_stream_search",
    "paginate_stream_search_with_http_info",
];

pub(super) fn calls(cx: &SdkContext, rel: &str, env: &Env) -> Vec<RawCall> {
    match analyse(cx, rel, env) {
        Some(py) => py.scan(),
        None => Vec::new(),
    }
}

/// The SDK API objects the module defines at module level (for the modules importing them).
pub(super) fn exports(cx: &SdkContext, rel: &str, env: &Env) -> Vec<(String, Api)> {
    match analyse(cx, rel, env) {
        Some(py) => py.bindings.module_apis(),
        None => Vec::new(),
    }
}

/// Imports and bindings of a file; `None` when neither the file nor the project uses the SDK.
fn analyse<'a, 'c>(cx: &'a SdkContext<'a>, rel: &str, env: &'a Env<'c>) -> Option<Py<'a, 'c>> {
    let code = env.code;
    let mut py = Py {
        cx,
        code,
        imports: FxHashMap::default(),
        star: Vec::new(),
        has_sdk: false,
        bindings: Bindings::default(),
        params: ParamOwners::new(code),
        returns: FxHashMap::default(),
        hints: Hints::default(),
    };
    py.parse_imports();
    if !py.has_sdk && !cx.project_uses(LANG) {
        return None;
    }
    py.hints.generation = cx
        .sdks
        .for_file(rel, LANG)
        .or_else(|| py.hints.generation_from_families());
    // Rounds: aliases and functions returning API objects see the previous round.
    for _ in 0..3 {
        let mut b = Bindings::default();
        py.bind_assignments(env, &mut b);
        py.bind_annotations(&mut b);
        py.bind_with(&mut b);
        py.bindings = b;
        py.returns = py.function_returns();
    }
    Some(py)
}

struct Py<'a, 'c> {
    cx: &'a SdkContext<'a>,
    code: &'a Code<'c>,
    /// Names bound by import statements.
    imports: FxHashMap<String, Obj>,
    /// Families of `from sailpoint.X import *`.
    star: Vec<String>,
    /// The file imports the ISC SDK (not only NERM).
    has_sdk: bool,
    bindings: Bindings,
    params: ParamOwners,
    /// Functions (and properties) that return an API object.
    returns: FxHashMap<String, Api>,
    hints: Hints,
}

impl Py<'_, '_> {
    fn class(&self, name: &str, family: Option<&str>) -> Option<Obj> {
        let info = self.cx.idx.class(LANG, name)?;
        Some(Obj::Class(Api::new(family, Some(&info.tag))))
    }

    /// An attribute of a module or namespace.
    fn attr(&self, obj: &Obj, a: &str) -> Option<Obj> {
        match obj {
            Obj::Module(Module::Root) => {
                if let Some(f) = versioned_family(a).filter(|f| *f == a) {
                    return Some(Obj::Module(Module::Family(f.to_string())));
                }
                match a {
                    "nerm" => Some(Obj::Module(Module::Nerm)),
                    "Paginator" => Some(Obj::Paginator),
                    "SailPoint" => Some(Obj::Module(Module::Namespace)),
                    "paginator" => Some(Obj::Module(Module::Root)),
                    "api_client" | "api_response" | "configuration" | "exceptions" | "rest"
                    | "models" => Some(Obj::Foreign),
                    _ if a
                        .bytes()
                        .all(|c| c.is_ascii_lowercase() || c == b'_' || c.is_ascii_digit()) =>
                    {
                        Some(Obj::Module(Module::Family(PER_API_FAMILY.to_string())))
                    }
                    _ => self.class(a, Some(PER_API_FAMILY)),
                }
            }
            Obj::Module(Module::Family(f)) => {
                if a == "api" || a.ends_with("_api") {
                    return Some(obj.clone());
                }
                if a == "Paginator" {
                    return Some(Obj::Paginator);
                }
                self.class(a, Some(f))
            }
            Obj::Module(Module::Namespace) => self.class(a, Some(PER_API_FAMILY)),
            Obj::Module(Module::Nerm) => Some(if a.starts_with(|c: char| c.is_ascii_uppercase()) {
                Obj::Foreign
            } else {
                obj.clone()
            }),
            Obj::Module(Module::Project(stem)) => {
                if let Some(api) = self.cx.export(LANG, stem, a) {
                    return Some(Obj::Api(api));
                }
                self.cx
                    .is_project_module(LANG, a)
                    .then(|| Obj::Module(Module::Project(a.to_string())))
            }
            // Attributes of other libraries' objects are theirs.
            Obj::Foreign => Some(Obj::Foreign),
            _ => None,
        }
    }

    fn walk(&self, mut obj: Obj, rest: &[String]) -> Option<Obj> {
        for a in rest {
            obj = self.attr(&obj, a)?;
        }
        Some(obj)
    }

    /// `sailpoint.v2025.api.access_profiles_api` → the module it designates.
    fn module_path(&self, parts: &[&str]) -> Obj {
        let mut obj = Obj::Module(Module::Root);
        for p in &parts[1..] {
            match self.attr(&obj, p) {
                Some(o) => obj = o,
                None => return Obj::Foreign,
            }
        }
        obj
    }

    fn note_import(&mut self, name: &str, obj: Obj) {
        match &obj {
            Obj::Class(api) => self.hints.add_class(api),
            Obj::Module(Module::Family(f)) => self.hints.add_family(f),
            _ => {}
        }
        self.imports.insert(name.to_string(), obj);
    }

    fn parse_imports(&mut self) {
        let code = self.code;
        let n = code.len();
        for i in 0..n {
            let kw = match code.ident(i) {
                Some(k @ ("import" | "from")) => k,
                _ => continue,
            };
            if i > 0 && !matches!(code.tok(i - 1), Some(Tok::Newline | Tok::Punct(";" | ":"))) {
                continue;
            }
            if kw == "import" {
                let mut k = i + 1;
                loop {
                    let (parts, next) = dotted(code, k);
                    if parts.is_empty() {
                        break;
                    }
                    k = next;
                    let alias = if code.ident(k) == Some("as") {
                        k += 2;
                        code.ident(k - 1)
                    } else {
                        None
                    };
                    if parts[0] == "sailpoint" {
                        self.has_sdk |= parts.get(1) != Some(&"nerm");
                        let obj = self.module_path(&parts);
                        match alias {
                            Some(a) => self.note_import(a, obj),
                            None => {
                                if let Obj::Module(Module::Family(f)) = &obj {
                                    self.hints.add_family(f);
                                }
                                self.note_import("sailpoint", Obj::Module(Module::Root));
                            }
                        }
                    } else if self.cx.is_project_module(LANG, parts[0]) {
                        // A project module: `import app.clients as c` then `c.sources_api`.
                        let stem = if alias.is_some() {
                            parts[parts.len() - 1]
                        } else {
                            parts[0]
                        };
                        self.note_import(
                            alias.unwrap_or(parts[0]),
                            Obj::Module(Module::Project(stem.to_string())),
                        );
                    } else {
                        self.note_import(alias.unwrap_or(parts[0]), Obj::Foreign);
                    }
                    if code.is_punct(k, ",") {
                        k += 1;
                        continue;
                    }
                    break;
                }
                continue;
            }
            // from PATH import NAMES
            let mut k = i + 1;
            let mut relative = false;
            while code.is_punct(k, ".") || code.is_punct(k, "...") {
                relative = true;
                k += 1;
            }
            let (parts, next) = dotted(code, k);
            k = next;
            if code.ident(k) != Some("import") {
                continue;
            }
            k += 1;
            let end = if code.is_punct(k, "(") {
                let c = code.close_of(k).unwrap_or(n);
                k += 1;
                c
            } else {
                (k..n)
                    .find(|&j| matches!(code.tok(j), Some(Tok::Newline | Tok::Punct(";"))))
                    .unwrap_or(n)
            };
            let sdk = !relative && parts.first() == Some(&"sailpoint");
            if sdk {
                self.has_sdk |= parts.get(1) != Some(&"nerm");
            }
            let base = sdk.then(|| self.module_path(&parts));
            if sdk
                && let Some(f) = parts
                    .get(1)
                    .and_then(|p| versioned_family(p))
                    .filter(|f| Some(f) == parts.get(1))
            {
                self.hints.add_family(f);
            }
            while k < end {
                if code.is_punct(k, "*") {
                    match &base {
                        Some(Obj::Module(Module::Family(f))) => {
                            self.hints.add_family(f);
                            self.star.push(f.clone());
                        }
                        Some(Obj::Module(Module::Root)) => self.star.push(PER_API_FAMILY.into()),
                        _ => {}
                    }
                    k += 1;
                    continue;
                }
                let Some(name) = code.ident(k) else {
                    k += 1;
                    continue;
                };
                let mut local = name;
                let mut step = 1;
                if code.ident(k + 1) == Some("as")
                    && let Some(a) = code.ident(k + 2)
                {
                    local = a;
                    step = 3;
                }
                let obj = match &base {
                    Some(b) => Some(self.attr(b, name).unwrap_or(Obj::Foreign)),
                    None => self.other_import(&parts, relative, name),
                };
                if let Some(obj) = obj {
                    self.note_import(local, obj);
                }
                k += step;
            }
        }
    }

    /// `from M import name` of a module that is not the SDK: an SDK object a project module
    /// defines, a project submodule, an SDK class re-exported by the project; `None` (not
    /// known) for other names of project modules; other libraries' names are foreign.
    fn other_import(&self, parts: &[&str], relative: bool, name: &str) -> Option<Obj> {
        let stem = parts.last().copied().unwrap_or("");
        if let Some(api) = self.cx.export(LANG, stem, name) {
            return Some(Obj::Api(api));
        }
        if self.cx.is_project_module(LANG, name) {
            return Some(Obj::Module(Module::Project(name.to_string())));
        }
        if let Some(c) = self.class(name, None) {
            return Some(c);
        }
        let project = relative
            || parts
                .first()
                .is_some_and(|p| self.cx.is_project_module(LANG, p));
        (!project).then_some(Obj::Foreign)
    }

    /// What a dotted name denotes at token `at`.
    fn chain_obj(&self, parts: &[String], at: usize) -> Option<Obj> {
        if parts.is_empty() {
            return None;
        }
        for k in (1..=parts.len()).rev() {
            let name = parts[..k].join(".");
            if let Some(o) = self.bindings.get(self.code, &name, at) {
                if o == Obj::Unknown {
                    return None;
                }
                return self.walk(o, &parts[k..]);
            }
        }
        if let Some(o) = self.imports.get(&parts[0]) {
            return self.walk(o.clone(), &parts[1..]);
        }
        if parts.len() == 1 {
            // A bare class name: from a star import, or re-exported by the project.
            let fam = (self.star.len() == 1).then(|| self.star[0].as_str());
            if fam.is_some() || self.has_sdk || self.cx.project_uses(LANG) {
                return self.class(&parts[0], fam);
            }
        }
        // A property or method returning an API object (`self.sources_api`).
        if parts.len() == 2 && matches!(parts[0].as_str(), "self" | "cls") {
            return self.returns.get(&parts[1]).cloned().map(Obj::Api);
        }
        None
    }

    /// The object a call `callee(...)` makes.
    fn call_obj(&self, parts: &[String], at: usize) -> Option<Obj> {
        match self.chain_obj(parts, at) {
            Some(Obj::Class(api)) => Some(Obj::Api(api)),
            Some(Obj::Foreign | Obj::Module(Module::Nerm)) => Some(Obj::Foreign),
            Some(_) => None,
            None => {
                let last = parts.last()?;
                if parts.len() > 2
                    || parts.len() == 2 && !matches!(parts[0].as_str(), "self" | "cls")
                {
                    return None;
                }
                self.returns.get(last).cloned().map(Obj::Api)
            }
        }
    }

    /// What the expression in token range `[a, b)` makes.
    fn expr_obj(&self, a: usize, b: usize, at: usize) -> Option<Obj> {
        let code = self.code;
        let mut a = code.skip_newlines(a, b);
        if code.ident(a) == Some("await") {
            a += 1;
        }
        match code.tok(a)? {
            Tok::Str(_) | Tok::Num => return Some(Obj::Foreign),
            Tok::Punct("[" | "{") => return Some(Obj::Foreign),
            _ => {}
        }
        let (parts, j) = chain_at(code, a);
        if parts.is_empty() || matches!(parts[0].as_str(), "None" | "lambda" | "not") {
            return None;
        }
        let j_end = code.skip_newlines(j, b);
        if j_end >= b {
            return self.chain_obj(&parts, at);
        }
        if code.is_punct(j, "(")
            && let Some(close) = code.close_of(j)
            && code.skip_newlines(close + 1, b) >= b
        {
            return self.call_obj(&parts, at);
        }
        None
    }

    fn bind_assignments(&self, env: &Env, b: &mut Bindings) {
        let objs = assigned_objs(
            env,
            |a, b, at| self.expr_obj(a, b, at),
            |rhs| nothing(self.code, rhs),
        );
        for (a, obj) in objs {
            // A class attribute is read through `self.` / `cls.` too.
            if a.func.is_none()
                && !a.name.contains('.')
                && self.code.indent_at(self.code.toks[a.tok].start) > 0
            {
                b.add(format!("self.{}", a.name), None, a.tok, obj.clone());
                b.add(format!("cls.{}", a.name), None, a.tok, obj.clone());
            }
            b.add(a.name.clone(), a.func, a.tok, obj);
        }
    }

    /// `name: Type` in parameter lists, annotated assignments and class bodies.
    fn bind_annotations(&self, b: &mut Bindings) {
        let code = self.code;
        for i in 0..code.len() {
            let Some(name) = code.ident(i) else { continue };
            if !code.is_punct(i + 1, ":") {
                continue;
            }
            // In a parameter list, or a statement of its own (not a dict, slice or lambda).
            let owner = match code.parent[i] {
                u32::MAX => None,
                p => {
                    let p = p as usize;
                    if !code.is_punct(p, "(") {
                        continue;
                    }
                    match self.params.get(i) {
                        Some(f) => Some(f),
                        None => continue,
                    }
                }
            };
            let end = (i + 2..code.len())
                .find(|&k| {
                    code.depth[k] <= code.depth[i]
                        && matches!(
                            code.tok(k),
                            Some(Tok::Newline | Tok::Punct("," | ")" | "="))
                        )
                })
                .unwrap_or(code.len());
            let Some(obj) = self.annotation_obj(i + 2, end, i) else {
                continue;
            };
            if let Some(f) = owner {
                b.add(name, Some(f), i, obj);
                continue;
            }
            let attr = i >= 2 && code.is_punct(i - 1, ".") && code.ident(i - 2) == Some("self");
            let func = code.enclosing_fn(i);
            if attr {
                b.add(format!("self.{name}"), func, i, obj);
            } else if i > 0 && code.is_punct(i - 1, ".") {
                continue;
            } else if func.is_none() && code.indent_at(code.toks[i].start) > 0 {
                // A class-body annotation: an instance attribute.
                b.add(format!("self.{name}"), None, i, obj);
            } else {
                b.add(name, func, i, obj);
            }
        }
    }

    /// What an annotation `[a, b)` says: an API object when it names an SDK class (also in
    /// `Optional[X]`, `"X"`, `X | None`), a foreign object when it is exactly a class imported
    /// from another module.
    fn annotation_obj(&self, a: usize, b: usize, at: usize) -> Option<Obj> {
        let code = self.code;
        let mut k = a;
        let mut first = None;
        while k < b {
            match code.tok(k) {
                Some(Tok::Ident(_)) => {
                    let (parts, next) = chain_at(code, k);
                    let obj = self.chain_obj(&parts, at);
                    if let Some(Obj::Class(api)) = obj {
                        return Some(Obj::Api(api));
                    }
                    if first.is_none() {
                        first = Some((obj, code.is_punct(next, "[")));
                    }
                    k = next.max(k + 1);
                }
                Some(Tok::Str(s)) => {
                    if let Some(t) = s.plain() {
                        let parts: Vec<String> = t.trim().split('.').map(str::to_string).collect();
                        if let Some(Obj::Class(api)) = self.chain_obj(&parts, at) {
                            return Some(Obj::Api(api));
                        }
                    }
                    k += 1;
                }
                _ => k += 1,
            }
        }
        match first {
            Some((Some(Obj::Foreign), false)) => Some(Obj::Foreign),
            _ => None,
        }
    }

    /// `with X(c) as api:`.
    fn bind_with(&self, b: &mut Bindings) {
        let code = self.code;
        for i in 1..code.len() {
            if code.ident(i) != Some("as") || !code.is_punct(i - 1, ")") {
                continue;
            }
            let Some(name) = code.ident(i + 1) else {
                continue;
            };
            let Some(open) = code.close_of(i - 1) else {
                continue;
            };
            let (parts, _) = chain_before(code, open.wrapping_sub(1));
            if let Some(obj @ Obj::Api(_)) = self.call_obj(&parts, i) {
                b.add(name, code.enclosing_fn(i), i + 1, obj);
            }
        }
    }

    /// Functions whose `return` gives an API object.
    fn function_returns(&self) -> FxHashMap<String, Api> {
        let code = self.code;
        let mut out: FxHashMap<String, Api> = FxHashMap::default();
        for i in 0..code.len() {
            if code.ident(i) != Some("return") {
                continue;
            }
            let Some(f) = code.enclosing_fn(i) else {
                continue;
            };
            let end = code.expr_end(i + 1);
            if let Some(Obj::Api(api)) = self.expr_obj(i + 1, end, i) {
                let name = &code.fns[f].name;
                let merged = match out.get(name) {
                    Some(prev) => prev.merge(&api),
                    None => api,
                };
                out.insert(name.clone(), merged);
            }
        }
        out
    }

    /// What the method at token `i` (after a `.`) is called on.
    fn receiver(&self, i: usize) -> Recv {
        let code = self.code;
        let Some(k) = member_receiver_end(code, i) else {
            return Recv::Unknown(None);
        };
        match code.tok(k) {
            Some(Tok::Ident(_)) => {
                let (parts, start) = chain_before(code, k);
                if prev_sig(code, start).is_some_and(|p| is_dot(code, p)) {
                    return Recv::Unknown(None);
                }
                match self.chain_obj(&parts, i) {
                    Some(o) => Recv::Obj(o),
                    None => Recv::Unknown(parts.into_iter().next()),
                }
            }
            Some(Tok::Punct(")")) => {
                let Some(open) = code.close_of(k) else {
                    return Recv::Unknown(None);
                };
                let (parts, start) = chain_before(code, open.wrapping_sub(1));
                if parts.is_empty() || prev_sig(code, start).is_some_and(|p| is_dot(code, p)) {
                    return Recv::Unknown(None);
                }
                match self.call_obj(&parts, i) {
                    Some(o) => Recv::Obj(o),
                    None => Recv::Unknown(parts.into_iter().next()),
                }
            }
            _ => Recv::Unknown(None),
        }
    }

    /// Whether a method of an object of unknown origin counts: the file imports the SDK, the
    /// name is a multi-word SDK name the project does not define itself (a wrapper around the
    /// SDK method of the same name still counts inside itself), and it is called (or passed
    /// to a paginator).
    fn fallback(&self, i: usize, m: &str, head: Option<&str>, is_call: bool) -> bool {
        if !self.has_sdk || !m.contains('_') {
            return false;
        }
        if let Some(h) = head
            && (self.imports.contains_key(h) || h == "super")
        {
            return false;
        }
        let on_self = matches!(head, Some("self" | "cls"));
        if self.cx.project_method(LANG, self.code, (i, m), on_self) {
            return false;
        }
        is_call || in_paginator(self.code, i)
    }

    fn scan(&self) -> Vec<RawCall> {
        let code = self.code;
        let mut out = Vec::new();
        for i in 2..code.len() {
            let Some(m) = code.ident(i) else { continue };
            if member_receiver_end(code, i).is_none() {
                continue;
            }
            if SEARCH_PAGINATORS.contains(&m) {
                out.extend(self.search_paginator(i));
                continue;
            }
            if !self.cx.is_method(LANG, m) {
                continue;
            }
            let is_call = code.is_punct(i + 1, "(");
            // `print(api.list_sources)`: a method reference printed is not a call.
            if !is_call && super::detect_common::inspected_reference(code, i) {
                continue;
            }
            out.extend(self.cx.member_call(
                LANG,
                (code, i, m),
                self.receiver(i),
                &self.hints,
                |head| self.fallback(i, m, head, is_call),
            ));
        }
        out
    }

    /// `Paginator.paginate_search(search_api, search, ...)`: the search it runs.
    fn search_paginator(&self, i: usize) -> Option<RawCall> {
        let code = self.code;
        if !code.is_punct(i + 1, "(") {
            return None;
        }
        let (parts, _) = chain_before(code, member_receiver_end(code, i)?);
        match self.chain_obj(&parts, i) {
            Some(Obj::Paginator) => {}
            None if parts == ["Paginator"] && self.has_sdk => {}
            _ => return None,
        }
        let args = code.args(i + 1);
        let kw = |r: (usize, usize)| {
            let a = code.skip_newlines(r.0, r.1);
            code.ident(a).is_some() && code.is_punct(a + 1, "=")
        };
        let first = args
            .iter()
            .find_map(|&r| {
                code.named_arg(r)
                    .filter(|(n, _)| *n == "search_api" && kw(r))
                    .map(|(_, v)| v)
            })
            .or_else(|| args.first().copied().filter(|&r| !kw(r)));
        let api = match first.and_then(|(a, b)| self.expr_obj(a, b, i)) {
            Some(Obj::Api(api)) => Some(api),
            _ => None,
        };
        self.cx.search_call(
            LANG,
            ["search_post", "search_post_v1"],
            code.toks[i].start,
            api.as_ref(),
            &self.hints,
        )
    }
}

/// A dotted module name starting at token `k`: its parts and the index after it.
fn dotted<'c>(code: &'c Code, mut k: usize) -> (Vec<&'c str>, usize) {
    let mut parts = Vec::new();
    while let Some(id) = code.ident(k) {
        if id == "import" || id == "as" {
            break;
        }
        parts.push(id);
        if code.is_punct(k + 1, ".") {
            k += 2;
        } else {
            k += 1;
            break;
        }
    }
    (parts, k)
}
