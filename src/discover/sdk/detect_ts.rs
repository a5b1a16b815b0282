//! TypeScript / JavaScript SDK calls (`sailpoint-api-client`) and Angular services
//! (`@sailpoint/angular-sdk`).
//!
//! * 1.x: `AccessProfilesV2025Api`, `AccessProfilesBetaApi`, v3 `AccessProfilesApi`;
//!   methods are bare operationIds (`listAccessProfiles`).
//! * 2.x: `AccessProfilesApi` (2.0.0–2.0.1 `AccessProfilesV1Api`), `SailPoint.AccessProfilesApi`;
//!   methods carry `V1`/`V2` (`listAccessProfilesV1`).
//! * Angular: `inject(AccessProfilesService)` or constructor injection, per-API methods.
//!
//! The top-level `AccessProfilesApi` is v3 in 1.x and per-API in 2.x: the project's
//! `sailpoint-api-client` major decides, else the method name (a `V1` name only exists
//! per-API). Objects come from `new X(cfg)`, `XFactory(cfg)`, `XFp(cfg)`, `inject(X)`, typed
//! parameters, constructor parameter properties and class fields; imports may be named,
//! namespaced (`import * as sp`), default or `require`d.
//!
//! Clients objects: a factory returning `{ accounts: new AccountsApi(cfg), ... }`, an
//! interface, type or class whose members are SDK objects, and what they make when called,
//! instantiated or used as a type ([`Obj::Record`]), also from another module of the project;
//! their properties are followed (`sdk.accounts.listAccountsV1()`, `const { accounts } =
//! makeClients(cfg)`, `this.clients.accounts`). An object literal cast to an API type (a test
//! stub) is no SDK object.

use super::detect_common::{
    Api, Bindings, Hints, Module, Obj, ParamOwners, Recv, SdkContext, assigned_objs, chain_at,
    chain_before, in_paginator, inspected_reference, is_dot, member_receiver_end, nothing,
    prev_sig, versioned_family,
};
use super::index::{Generation, SdkLang};
use crate::catalog::PER_API_FAMILY;
use crate::discover::call::RawCall;
use crate::discover::code::Code;
use crate::discover::eval::Env;
use crate::discover::lex::Tok;
use rustc_hash::FxHashMap;

const LANG: SdkLang = SdkLang::TypeScript;
const NPM: &str = "sailpoint-api-client";
const ANGULAR: &str = "@sailpoint/angular-sdk";
/// What a top-level `XApi` can be.
const PLAIN: &[&str] = &["v3", PER_API_FAMILY];

pub(super) fn calls(cx: &SdkContext, rel: &str, env: &Env) -> Vec<RawCall> {
    match analyse(cx, rel, env) {
        Some(ts) => ts.scan(),
        None => Vec::new(),
    }
}

/// What a module exports: the SDK API objects it defines at module level and its clients
/// objects and what makes them (see [`Obj::Record`]), for the modules importing them.
pub(super) type Exports = (Vec<(String, Api)>, Vec<(String, Obj)>);

/// The SDK API objects the module defines at module level (for the modules importing them).
pub(super) fn exports(cx: &SdkContext, rel: &str, env: &Env) -> Exports {
    match analyse(cx, rel, env) {
        Some(ts) => {
            let mut records = ts.bindings.module_records();
            for (name, fields) in &ts.types {
                records.push((name.clone(), Obj::RecordType(fields.clone())));
            }
            for (name, obj) in ts.module_returns() {
                if let Obj::Record(fields) = obj {
                    records.push((name, Obj::RecordType(fields)));
                }
            }
            records.sort_by(|a, b| a.0.cmp(&b.0));
            (ts.bindings.module_apis(), records)
        }
        None => (Vec::new(), Vec::new()),
    }
}

/// Imports and bindings of a file; `None` when neither the file nor the project uses the SDK.
fn analyse<'a, 'c>(cx: &'a SdkContext<'a>, rel: &str, env: &'a Env<'c>) -> Option<Ts<'a, 'c>> {
    let code = env.code;
    let mut ts = Ts {
        cx,
        code,
        imports: FxHashMap::default(),
        has_sdk: false,
        bindings: Bindings::default(),
        params: ParamOwners::new(code),
        returns: FxHashMap::default(),
        types: FxHashMap::default(),
        hints: Hints::default(),
        generation: cx.sdks.for_file(rel, LANG),
    };
    ts.parse_imports();
    if !ts.has_sdk && !cx.project_uses(LANG) {
        return None;
    }
    if ts.generation.is_none()
        && let Some(g) = ts.imported_generation()
    {
        // The file's other SDK classes settle what its top-level classes are.
        ts.generation = Some(g);
        ts.imports.clear();
        ts.hints = Hints::default();
        ts.parse_imports();
    }
    ts.hints.generation = ts.generation;
    for _ in 0..3 {
        let mut b = Bindings::default();
        ts.bind_assignments(env, &mut b);
        ts.bind_annotations(&mut b);
        ts.bind_destructuring(&mut b);
        ts.bindings = b;
        ts.returns = ts.function_returns();
        ts.types = ts.record_types();
    }
    Some(ts)
}

struct Ts<'a, 'c> {
    cx: &'a SdkContext<'a>,
    code: &'a Code<'c>,
    imports: FxHashMap<String, Obj>,
    has_sdk: bool,
    bindings: Bindings,
    params: ParamOwners,
    /// What project functions return: SDK objects ([`Obj::Api`]) or clients objects
    /// ([`Obj::Record`]).
    returns: FxHashMap<String, Obj>,
    /// Interfaces, types and classes of the file whose members are SDK objects.
    types: FxHashMap<String, Vec<(String, Obj)>>,
    hints: Hints,
    /// The project's `sailpoint-api-client` generation for this file.
    generation: Option<Generation>,
}

impl Ts<'_, '_> {
    /// An SDK class name as an [`Obj::Class`] (`AxiosParamCreator`s build requests without
    /// sending them: not calls).
    fn class(&self, name: &str, module_family: Option<&str>) -> Option<Obj> {
        if name.ends_with("AxiosParamCreator") {
            return self.cx.idx.class(LANG, name).map(|_| Obj::Foreign);
        }
        let info = self.cx.idx.class(LANG, name)?;
        let mut api = Api::new(info.family.as_deref().or(module_family), Some(&info.tag));
        if api.family.is_none() {
            match self.generation {
                Some(Generation::Versioned) => api.family = Some("v3".into()),
                Some(Generation::PerApi) => api.family = Some(PER_API_FAMILY.into()),
                None => api.allowed = Some(PLAIN),
            }
        }
        Some(Obj::Class(api))
    }

    /// The generation the file's imported classes imply: suffixed 1.x classes
    /// (`SourcesV2025Api`), or per-API ones (`SourcesV1Api`, Angular services, the
    /// `SailPoint` namespace); `None` when they disagree or say nothing.
    fn imported_generation(&self) -> Option<Generation> {
        let mut g = None;
        for obj in self.imports.values() {
            let this = match obj {
                Obj::Class(api) | Obj::Api(api) => match api.family.as_deref() {
                    Some(PER_API_FAMILY) => Generation::PerApi,
                    Some(_) => Generation::Versioned,
                    None => continue,
                },
                Obj::Module(Module::Namespace) => Generation::PerApi,
                Obj::Module(Module::Family(f)) if f == PER_API_FAMILY => Generation::PerApi,
                Obj::Module(Module::Family(_)) => Generation::Versioned,
                _ => continue,
            };
            match g {
                None => g = Some(this),
                Some(x) if x != this => return None,
                _ => {}
            }
        }
        g
    }

    /// A member of an SDK module or namespace, or of a project module.
    fn member(&self, module: &Obj, name: &str) -> Option<Obj> {
        match module {
            Obj::Record(fields) => fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, o)| o.clone()),
            Obj::Module(Module::Project(stem)) => self
                .cx
                .export(LANG, stem, name)
                .map(Obj::Api)
                .or_else(|| self.cx.record(stem, name)),
            Obj::Module(m) => {
                if name == "Paginator" {
                    return Some(Obj::Paginator);
                }
                if name == "SailPoint" {
                    return Some(Obj::Module(Module::Namespace));
                }
                let fam = match m {
                    Module::Family(f) => Some(f.as_str()),
                    Module::Namespace => Some(PER_API_FAMILY),
                    _ => None,
                };
                self.class(name, fam)
            }
            Obj::Foreign => Some(Obj::Foreign),
            _ => None,
        }
    }

    fn module_of(path: &str) -> Option<Obj> {
        if path == ANGULAR || path.starts_with("@sailpoint/angular-sdk/") {
            return Some(Obj::Module(Module::Family(PER_API_FAMILY.into())));
        }
        let rest = path.strip_prefix(NPM)?;
        if rest.is_empty() {
            return Some(Obj::Module(Module::Root));
        }
        let rest = rest.strip_prefix('/')?;
        let rest = rest.strip_prefix("dist/").unwrap_or(rest);
        let seg = rest.split('/').next().unwrap_or("");
        Some(Obj::Module(
            match versioned_family(seg).filter(|f| *f == seg) {
                Some(f) => Module::Family(f.to_string()),
                None => Module::Root,
            },
        ))
    }

    fn note_import(&mut self, name: &str, obj: Obj) {
        if let Obj::Class(api) = &obj {
            if let (None, Some(allowed)) = (&api.family, api.allowed) {
                // A top-level class: v3 or per-API.
                for f in allowed {
                    self.hints.add_class(&Api::new(Some(f), api.tag.as_deref()));
                }
            }
            self.hints.add_class(api);
        }
        self.imports.insert(name.to_string(), obj);
    }

    /// Imports of another module: SDK objects a project module defines; SDK class names
    /// re-exported by the project when the project uses the SDK (Angular `…Service` names
    /// only from the SDK: projects name their own services so); other names of project
    /// modules are not known, other packages' are foreign.
    fn other_import(&mut self, path: &str, name: &str, local: &str) {
        let stem = super::detect_common::module_stem(path);
        let obj = if let Some(api) = self.cx.export(LANG, stem, name) {
            Obj::Api(api)
        } else if let Some(rec) = self.cx.record(stem, name) {
            rec
        } else {
            match self.cx.idx.class(LANG, name) {
                Some(_) if name.ends_with("Service") => Obj::Foreign,
                Some(_) if self.cx.project_uses(LANG) => {
                    self.class(name, None).unwrap_or(Obj::Foreign)
                }
                _ if project_path(path) || self.cx.is_project_module(LANG, stem) => return,
                _ => Obj::Foreign,
            }
        };
        self.imports.insert(local.to_string(), obj);
    }

    fn parse_imports(&mut self) {
        let code = self.code;
        let n = code.len();
        for i in 0..n {
            match code.ident(i) {
                Some("import") => {
                    if code.is_punct(i + 1, "(") || code.is_punct(i.wrapping_sub(1), ".") {
                        continue;
                    }
                    // The `from 'path'` of this statement.
                    let mut k = i + 1;
                    let mut from = None;
                    while k < n && k < i + 400 {
                        if code.ident(k) == Some("from")
                            && let Some(Tok::Str(s)) = code.tok(k + 1)
                        {
                            from = s.plain().map(|p| (p, k));
                            break;
                        }
                        if matches!(code.tok(k), Some(Tok::Punct(";")))
                            || matches!(code.tok(k), Some(Tok::Str(_)))
                        {
                            break;
                        }
                        k += 1;
                    }
                    let Some((path, from_tok)) = from else {
                        continue;
                    };
                    let module = Self::module_of(&path);
                    if module.is_some() {
                        self.has_sdk = true;
                    }
                    let mut k = i + 1;
                    if code.ident(k) == Some("type") && !code.is_punct(k + 1, ",") {
                        k += 1;
                    }
                    while k < from_tok {
                        if code.is_punct(k, "*") && code.ident(k + 1) == Some("as") {
                            if let Some(local) = code.ident(k + 2) {
                                self.import_whole(&path, local, module.as_ref());
                            }
                            k += 3;
                        } else if code.is_punct(k, "{") {
                            let close = code.close_of(k).unwrap_or(from_tok);
                            for (a, b) in code.args(k) {
                                let a = code.skip_newlines(a, b);
                                let a = if code.ident(a) == Some("type") && a + 1 < b {
                                    a + 1
                                } else {
                                    a
                                };
                                let Some(name) = code.ident(a) else { continue };
                                let local = if code.ident(a + 1) == Some("as") {
                                    code.ident(a + 2).unwrap_or(name)
                                } else {
                                    name
                                };
                                self.import_name(&path, name, local, module.as_ref());
                            }
                            k = close + 1;
                        } else if let Some(local) = code.ident(k) {
                            // Default import.
                            self.import_whole(&path, local, module.as_ref());
                            k += 1;
                        } else {
                            k += 1;
                        }
                    }
                }
                Some("require") => {
                    if !code.is_punct(i + 1, "(") {
                        continue;
                    }
                    let Some(Tok::Str(s)) = code.tok(i + 2) else {
                        continue;
                    };
                    let Some(path) = s.plain() else { continue };
                    let module = Self::module_of(&path);
                    if module.is_some() {
                        self.has_sdk = true;
                    }
                    let Some(close) = code.close_of(i + 1) else {
                        continue;
                    };
                    // `require('x').Name`
                    if code.is_punct(close + 1, ".") {
                        continue;
                    }
                    let mut eq = i;
                    if eq >= 1 && code.ident(eq - 1) == Some("await") {
                        eq -= 1;
                    }
                    if eq < 2 || !code.is_punct(eq - 1, "=") {
                        continue;
                    }
                    match code.tok(eq - 2) {
                        Some(Tok::Ident(local)) => {
                            let local = local.clone();
                            self.import_whole(&path, &local, module.as_ref());
                        }
                        Some(Tok::Punct("}")) => {
                            let Some(open) = code.close_of(eq - 2) else {
                                continue;
                            };
                            for (a, b) in code.args(open) {
                                let a = code.skip_newlines(a, b);
                                let Some(name) = code.ident(a) else { continue };
                                let local = if code.is_punct(a + 1, ":") {
                                    code.ident(a + 2).unwrap_or(name)
                                } else {
                                    name
                                };
                                self.import_name(&path, name, local, module.as_ref());
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    fn import_whole(&mut self, path: &str, local: &str, module: Option<&Obj>) {
        match module {
            Some(m) => self.note_import(local, m.clone()),
            None => {
                let stem = super::detect_common::module_stem(path);
                let obj = if project_path(path) || self.cx.is_project_module(LANG, stem) {
                    Obj::Module(Module::Project(stem.to_string()))
                } else {
                    Obj::Foreign
                };
                self.imports.insert(local.to_string(), obj);
            }
        }
    }

    fn import_name(&mut self, path: &str, name: &str, local: &str, module: Option<&Obj>) {
        match module {
            Some(m) => {
                let obj = self.member(m, name).unwrap_or(Obj::Foreign);
                self.note_import(local, obj);
            }
            None => self.other_import(path, name, local),
        }
    }

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
            let name = &parts[0];
            if let Some(fields) = self.types.get(name) {
                return Some(Obj::RecordType(fields.clone()));
            }
            // Not imported here: suffixed names are the SDK's; plain ones when the file or
            // project uses the SDK.
            let info = self.cx.idx.class(LANG, name)?;
            if name.ends_with("Service") {
                return None;
            }
            if info.family.is_some() || self.has_sdk || self.cx.project_uses(LANG) {
                return self.class(name, None);
            }
            return None;
        }
        if parts.len() == 2 && parts[0] == "this" {
            return self.returns.get(&parts[1]).cloned();
        }
        None
    }

    fn walk(&self, mut obj: Obj, rest: &[String]) -> Option<Obj> {
        for a in rest {
            obj = self.member(&obj, a)?;
        }
        Some(obj)
    }

    /// The object `new callee(...)`, `callee(...)` (factories) or `inject(callee)` makes.
    fn call_obj(&self, parts: &[String], at: usize) -> Option<Obj> {
        match self.chain_obj(parts, at) {
            Some(Obj::Class(api)) => Some(Obj::Api(api)),
            Some(Obj::RecordType(fields)) => Some(Obj::Record(fields)),
            Some(Obj::Foreign) => Some(Obj::Foreign),
            Some(_) => None,
            None => {
                if parts.len() > 2 || parts.len() == 2 && parts[0] != "this" {
                    return None;
                }
                self.returns.get(parts.last()?).cloned()
            }
        }
    }

    /// What the expression `[a, b)` makes.
    fn expr_obj(&self, a: usize, b: usize, at: usize) -> Option<Obj> {
        let _level = crate::discover::budget::deeper()?;
        let code = self.code;
        let mut a = code.skip_newlines(a, b);
        // Alternatives (`a ?? b`, `a || b`, `c ? a : b`): what the known ones make.
        if let Some(alts) = self.alternatives(a, b) {
            let mut out: Option<Obj> = None;
            for (x, y) in alts {
                let Some(o) = self.expr_obj(x, y, at) else {
                    continue;
                };
                out = Some(match out {
                    None => o,
                    Some(prev) => super::detect_common::merge_two(&prev, &o)?,
                });
            }
            return out;
        }
        // `(expr)`.
        if code.is_punct(a, "(")
            && let Some(close) = code.close_of(a)
            && code.skip_newlines(close + 1, b) >= b
        {
            return self.expr_obj(a + 1, close, at);
        }
        while matches!(code.ident(a), Some("await" | "new")) {
            a += 1;
        }
        if code.is_punct(a, "{") {
            return Some(self.object_literal(a, b, at));
        }
        match code.tok(a)? {
            Tok::Str(_) | Tok::Num | Tok::Punct("[" | "`") => return Some(Obj::Foreign),
            _ => {}
        }
        let (parts, j) = chain_at(code, a);
        if parts.is_empty() {
            return None;
        }
        // `inject(X)` (Angular).
        if parts == ["inject"] && code.is_punct(j, "(") {
            let (inner, _) = chain_at(code, j + 1);
            return self.call_obj(&inner, at);
        }
        let mut j2 = j;
        // Generic arguments: `XFactory<T>(...)` is rare; `as X` casts end the expression.
        if code.ident(j2) == Some("as") {
            j2 = b;
        }
        if code.skip_newlines(j2, b) >= b || code.is_punct(j2, ";") {
            return self.chain_obj(&parts, at);
        }
        if code.is_punct(j, "(")
            && let Some(close) = code.close_of(j)
        {
            let rest = code.skip_newlines(close + 1, b);
            if rest >= b || code.is_punct(rest, ";") || code.ident(rest) == Some("as") {
                return self.call_obj(&parts, at);
            }
        }
        None
    }

    /// The alternatives of `[a, b)` when it is `x ?? y`, `x || y` or `c ? x : y` at its top
    /// level (a chain of them: every branch).
    fn alternatives(&self, a: usize, b: usize) -> Option<Vec<(usize, usize)>> {
        let code = self.code;
        let top = code.top_level(a, b);
        let mut out = Vec::new();
        let mut start = a;
        let mut ternary = 0usize;
        let mut found = false;
        for &k in &top {
            match code.tok(k) {
                Some(Tok::Punct("??" | "||")) if ternary == 0 => {
                    out.push((start, k));
                    start = k + 1;
                    found = true;
                }
                Some(Tok::Punct("?")) => {
                    if ternary == 0 {
                        // The condition is no alternative.
                        if !found {
                            out.clear();
                        }
                        start = k + 1;
                    }
                    ternary += 1;
                    found = true;
                }
                Some(Tok::Punct(":")) if ternary > 0 => {
                    ternary -= 1;
                    if ternary == 0 {
                        out.push((start, k));
                        start = k + 1;
                    }
                }
                _ => {}
            }
        }
        if !found {
            return None;
        }
        out.push((start, b));
        Some(out)
    }

    /// An object literal `{ key: expr, short, ...spread }` at `open`: a clients object when
    /// some entry is an SDK object; literals cast to an API type (`{ listX: stub } as unknown
    /// as XApi`, a test stub) and other objects are foreign.
    fn object_literal(&self, open: usize, b: usize, at: usize) -> Obj {
        let code = self.code;
        let Some(close) = code.close_of(open) else {
            return Obj::Foreign;
        };
        if code.skip_newlines(close + 1, b) < b {
            return Obj::Foreign;
        }
        let mut fields: Vec<(String, Obj)> = Vec::new();
        for (x, y) in code.args(open) {
            let x = code.skip_newlines(x, y);
            let obj = if code.is_punct(x, "...") {
                if let Some(Obj::Record(fs)) = self.expr_obj(x + 1, y, at) {
                    for (k, o) in fs {
                        fields.retain(|(k2, _)| *k2 != k);
                        fields.push((k, o));
                    }
                }
                continue;
            } else if let Some(key) =
                code.ident(x)
                    .map(str::to_string)
                    .or_else(|| match code.tok(x) {
                        Some(Tok::Str(s)) => s.plain(),
                        _ => None,
                    })
            {
                let v = code.skip_newlines(x + 1, y);
                if v >= y {
                    // `{ accounts }`
                    let o = self.chain_obj(std::slice::from_ref(&key), at);
                    (key, o)
                } else if code.is_punct(v, ":") {
                    (key, self.expr_obj(v + 1, y, at))
                } else {
                    continue;
                }
            } else {
                continue;
            };
            let (key, obj) = obj;
            fields.retain(|(k2, _)| *k2 != key);
            if let Some(o @ (Obj::Api(_) | Obj::Record(_))) = obj {
                fields.push((key, o));
            }
        }
        if fields.is_empty() {
            Obj::Foreign
        } else {
            Obj::Record(fields)
        }
    }

    /// `const { accounts, sources: src } = makeClients(cfg)`: each name bound to the field of
    /// the clients object it takes.
    fn bind_destructuring(&self, b: &mut Bindings) {
        let code = self.code;
        for i in 0..code.len() {
            if !matches!(code.ident(i), Some("const" | "let" | "var")) || !code.is_punct(i + 1, "{")
            {
                continue;
            }
            let Some(close) = code.close_of(i + 1) else {
                continue;
            };
            let mut eq = close + 1;
            if code.is_punct(eq, ":") {
                // `const { a }: T = …`
                while eq < code.len() && !code.is_punct(eq, "=") && eq < close + 16 {
                    eq += 1;
                }
            }
            if !code.is_punct(eq, "=") {
                continue;
            }
            let rhs = code.skip_newlines(eq + 1, code.len());
            let end = code.expr_end(rhs);
            let Some(Obj::Record(fields)) = self.expr_obj(rhs, end, i) else {
                continue;
            };
            let func = code.enclosing_fn(i);
            for (x, y) in code.args(i + 1) {
                let x = code.skip_newlines(x, y);
                let Some(key) = code.ident(x) else { continue };
                let local = if code.is_punct(x + 1, ":") {
                    code.ident(x + 2).unwrap_or(key)
                } else {
                    key
                };
                if let Some((_, o)) = fields.iter().find(|(k, _)| k == key) {
                    b.add(local, func, x, o.clone());
                }
            }
        }
    }

    /// Interfaces, type aliases and classes whose members are SDK objects or clients objects
    /// (`interface Clients { accounts: AccountsApi }`, `class C { accounts = new
    /// AccountsApi(cfg) }`): their name → the members.
    fn record_types(&self) -> FxHashMap<String, Vec<(String, Obj)>> {
        let code = self.code;
        let mut out = FxHashMap::default();
        for i in 0..code.len() {
            let kind = match code.ident(i) {
                Some(k @ ("interface" | "class" | "type")) => k,
                _ => continue,
            };
            if i > 0 && is_dot(code, i - 1) {
                continue;
            }
            let Some(name) = code.ident(i + 1) else {
                continue;
            };
            // The body: the first `{` of the declaration (after `extends`, generics, `=`).
            let Some(open) = (i + 2..(i + 40).min(code.len())).find(|&k| {
                code.is_punct(k, "{")
                    || matches!(code.tok(k), Some(Tok::Punct(";" | "(")))
                    || kind == "type" && code.is_punct(k, "=") && !code.is_punct(k + 1, "{")
            }) else {
                continue;
            };
            if !code.is_punct(open, "{") {
                continue;
            }
            let Some(close) = code.close_of(open) else {
                continue;
            };
            let mut fields: Vec<(String, Obj)> = Vec::new();
            for k in code.top_level(open + 1, close) {
                let Some(member) = code.ident(k) else {
                    continue;
                };
                let starts = k == open + 1
                    || matches!(code.tok(k - 1), Some(Tok::Newline | Tok::Punct(";" | ",")))
                    || matches!(
                        code.ident(k - 1),
                        Some("private" | "public" | "protected" | "readonly")
                    );
                if !starts {
                    continue;
                }
                let mut j = k + 1;
                if code.is_punct(j, "?") || code.is_punct(j, "!") {
                    j += 1;
                }
                let obj = if code.is_punct(j, ":") {
                    // A member's type is short: looked for within a bounded window, so a body
                    // with no separators costs linear time.
                    let end = (j + 1..close.min(j + 64))
                        .find(|&e| {
                            code.depth[e] <= code.depth[k]
                                && matches!(
                                    code.tok(e),
                                    Some(Tok::Newline | Tok::Punct(";" | "," | "=" | "}"))
                                )
                        })
                        .unwrap_or(close.min(j + 64));
                    let ann = self.annotation_obj(j + 1, end, k);
                    if ann.is_none() && kind == "class" && code.is_punct(end, "=") {
                        self.expr_obj(end + 1, code.expr_end(end + 1).min(close), k)
                    } else {
                        ann
                    }
                } else if kind == "class" && code.is_punct(j, "=") {
                    self.expr_obj(j + 1, code.expr_end(j + 1).min(close), k)
                } else {
                    None
                };
                if let Some(o @ (Obj::Api(_) | Obj::Record(_))) = obj {
                    fields.push((member.to_string(), o));
                }
            }
            if !fields.is_empty() {
                out.insert(name.to_string(), fields);
            }
        }
        out
    }

    /// What the module-level functions of the file return.
    fn module_returns(&self) -> Vec<(String, Obj)> {
        let code = self.code;
        let mut out = Vec::new();
        for f in &code.fns {
            if code.enclosing_fn(f.name_tok).is_some() || self.in_class_body(f.name_tok) {
                continue;
            }
            if let Some(o) = self.returns.get(&f.name) {
                out.push((f.name.clone(), o.clone()));
            }
        }
        out
    }

    fn bind_assignments(&self, env: &Env, b: &mut Bindings) {
        // `require(...)` is an import (see `parse_imports`).
        let objs = assigned_objs(
            env,
            |a, b, at| self.expr_obj(a, b, at),
            |rhs| nothing(self.code, rhs) || self.is_require(rhs),
        );
        for (a, obj) in objs {
            let name = if !a.name.contains('.') && self.in_class_body(a.tok) {
                format!("this.{}", a.name)
            } else {
                a.name.clone()
            };
            b.add(name, a.func, a.tok, obj);
        }
    }

    /// Whether the expression `[a, b)` is `require(...)` or a dynamic `import(...)`.
    fn is_require(&self, (a, b): (usize, usize)) -> bool {
        let code = self.code;
        let mut a = code.skip_newlines(a, b);
        if code.ident(a) == Some("await") {
            a += 1;
        }
        matches!(code.ident(a), Some("require" | "import")) && code.is_punct(a + 1, "(")
    }

    /// Whether token `i` is a member of a class body.
    fn in_class_body(&self, i: usize) -> bool {
        let code = self.code;
        let p = match code.parent.get(i) {
            Some(&p) if p != u32::MAX => p as usize,
            _ => return false,
        };
        if !code.is_punct(p, "{") {
            return false;
        }
        let mut k = p;
        let mut steps = 0;
        while k > 0 && steps < 24 {
            k -= 1;
            steps += 1;
            match code.tok(k) {
                Some(Tok::Ident(w)) if w == "class" => return true,
                Some(Tok::Punct("{" | "}" | ";" | "(" | ")" | "=" | "=>")) => return false,
                _ => {}
            }
        }
        false
    }

    /// `name: Type` in parameter lists (constructor parameter properties also bind
    /// `this.name`), class fields and declarations.
    fn bind_annotations(&self, b: &mut Bindings) {
        let code = self.code;
        for i in 0..code.len() {
            let Some(name) = code.ident(i) else { continue };
            let mut colon = i + 1;
            if code.is_punct(colon, "?") || code.is_punct(colon, "!") {
                colon += 1;
            }
            if !code.is_punct(colon, ":") {
                continue;
            }
            let end = (colon + 1..code.len())
                .find(|&k| {
                    code.depth[k] <= code.depth[i]
                        && matches!(
                            code.tok(k),
                            Some(Tok::Newline | Tok::Punct("," | ")" | "=" | ";" | "{" | "}"))
                        )
                })
                .unwrap_or(code.len());
            let Some(obj) = self.annotation_obj(colon + 1, end, i) else {
                continue;
            };
            let parent = match code.parent[i] {
                u32::MAX => None,
                p => Some(p as usize),
            };
            if parent.is_some_and(|p| code.is_punct(p, "(")) {
                let Some(f) = self.params.get(i) else {
                    continue;
                };
                b.add(name, Some(f), i, obj.clone());
                let property = i > 0
                    && matches!(
                        code.ident(i - 1),
                        Some("private" | "public" | "protected" | "readonly")
                    );
                if property {
                    b.add(format!("this.{name}"), None, i, obj);
                }
            } else if self.in_class_body(i) {
                b.add(format!("this.{name}"), None, i, obj);
            } else if i > 0 && matches!(code.ident(i - 1), Some("let" | "var" | "const")) {
                b.add(name, code.enclosing_fn(i), i, obj);
            }
        }
    }

    /// What a type annotation `[a, b)` says: an API object when it names an SDK class
    /// (also inside `Promise<…>`, `X | undefined`), a foreign object when it is exactly a
    /// class of another module.
    fn annotation_obj(&self, a: usize, b: usize, at: usize) -> Option<Obj> {
        let code = self.code;
        let mut k = a;
        let mut first = None;
        while k < b {
            if code.ident(k).is_some() {
                let (parts, next) = chain_at(code, k);
                let obj = self.chain_obj(&parts, at);
                match obj {
                    Some(Obj::Class(api)) => return Some(Obj::Api(api)),
                    Some(Obj::RecordType(fields)) => return Some(Obj::Record(fields)),
                    _ => {}
                }
                if first.is_none() {
                    let generic = code.is_punct(next, "<") || code.is_punct(next, "[");
                    first = Some((obj, generic));
                }
                k = next.max(k + 1);
            } else {
                k += 1;
            }
        }
        match first {
            Some((Some(Obj::Foreign), false)) => Some(Obj::Foreign),
            _ => None,
        }
    }

    fn function_returns(&self) -> FxHashMap<String, Obj> {
        let code = self.code;
        let mut out: FxHashMap<String, Obj> = FxHashMap::default();
        for (fi, f) in code.fns.iter().enumerate() {
            // Arrow functions with an expression body.
            let (a, b) = f.body;
            if a > 0 && !code.is_punct(a - 1, "{") {
                if let Some(o @ (Obj::Api(_) | Obj::Record(_))) = self.expr_obj(a, b, a) {
                    out.insert(f.name.clone(), o);
                }
                continue;
            }
            for i in a..b {
                if code.ident(i) != Some("return") || code.enclosing_fn(i) != Some(fi) {
                    continue;
                }
                let end = code.expr_end(i + 1);
                if let Some(o @ (Obj::Api(_) | Obj::Record(_))) = self.expr_obj(i + 1, end, i) {
                    let merged = match out.get(&f.name) {
                        Some(prev) => super::detect_common::merge_two(prev, &o),
                        None => Some(o),
                    };
                    match merged {
                        Some(m) => out.insert(f.name.clone(), m),
                        None => out.remove(&f.name),
                    };
                }
            }
        }
        out
    }

    /// What the method at token `i` (after `.` or `?.`) is called on.
    fn receiver(&self, i: usize) -> Recv {
        let code = self.code;
        let Some(mut k) = member_receiver_end(code, i) else {
            return Recv::Unknown(None);
        };
        // Non-null assertions: `this.api!.listX()`.
        if code.is_punct(k, "!") && k > 0 {
            k -= 1;
        }
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
                // `(await x).m()` / `(new X(c)).m()`: the parenthesised expression.
                if !code
                    .ident(open.wrapping_sub(1))
                    .is_some_and(|w| w != "await" && w != "return")
                {
                    return match self.expr_obj(open + 1, k, i) {
                        Some(o) => Recv::Obj(o),
                        None => Recv::Unknown(None),
                    };
                }
                let (parts, start) = chain_before(code, open - 1);
                if prev_sig(code, start).is_some_and(|p| is_dot(code, p)) {
                    return Recv::Unknown(None);
                }
                if parts == ["inject"] {
                    let (inner, _) = chain_at(code, open + 1);
                    return match self.call_obj(&inner, i) {
                        Some(o) => Recv::Obj(o),
                        None => Recv::Unknown(None),
                    };
                }
                match self.call_obj(&parts, i) {
                    Some(o) => Recv::Obj(o),
                    None => Recv::Unknown(parts.into_iter().next()),
                }
            }
            _ => Recv::Unknown(None),
        }
    }

    fn fallback(&self, i: usize, m: &str, head: Option<&str>, is_call: bool) -> bool {
        if !self.has_sdk || !m[1..].bytes().any(|c| c.is_ascii_uppercase()) {
            return false;
        }
        if let Some(h) = head
            && (self.imports.contains_key(h) || h == "super" || h == "console" || h == "Promise")
        {
            return false;
        }
        if self
            .cx
            .project_method(LANG, self.code, (i, m), head == Some("this"))
        {
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
            if m == "paginateSearchApi" {
                out.extend(self.search_paginator(i));
                continue;
            }
            if !self.cx.is_method(LANG, m) {
                continue;
            }
            // `?.(` optional calls.
            let is_call = code.is_punct(i + 1, "(")
                || code.is_punct(i + 1, "?.") && code.is_punct(i + 2, "(");
            // `console.log(api.listSources)`, `expect(api.listSources).toBeDefined()`: a
            // method reference logged or inspected is not a call (one passed anywhere else,
            // or to a paginator, still is).
            if !is_call && inspected_reference(code, i) {
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

    /// `Paginator.paginateSearchApi(searchApi, search, increment, limit)`.
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
        let api = code
            .args(i + 1)
            .first()
            .and_then(|&(a, b)| match self.expr_obj(a, b, i) {
                Some(Obj::Api(api)) => Some(api),
                _ => None,
            });
        // `hints.generation` is the file's `generation` (see `analyse`).
        self.cx.search_call(
            LANG,
            ["searchPost", "searchPostV1"],
            code.toks[i].start,
            api.as_ref(),
            &self.hints,
        )
    }
}

/// Whether an import path is the project's own (relative, or a usual source alias).
fn project_path(path: &str) -> bool {
    path.starts_with('.')
        || path.starts_with("@/")
        || path.starts_with("~/")
        || path.starts_with("src/")
}
