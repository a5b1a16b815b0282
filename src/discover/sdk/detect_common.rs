//! What the SDK detectors of every language share (see [`super::detect`]): the project-wide
//! [`SdkContext`] they query (exports, project modules, defined names, the index lookup with
//! narrowing in `SdkContext::call`), what they know of an object ([`Api`], [`Obj`],
//! [`Module`], [`Hints`]), names bound to SDK objects ([`Bindings`]) and the token-walking
//! helpers for call chains. Depends on no detector.

use super::generation::ProjectSdks;
use super::index::{Generation, SdkIndex, SdkLang};
use crate::catalog::{Catalog, Method, OpId, PER_API_FAMILY};
use crate::discover::call::{RawCall, Target, Via};
use crate::discover::code::Code;
use crate::discover::eval::{Assign, Env};
use crate::discover::lex::{Lang, Tok};
use rustc_hash::{FxHashMap, FxHashSet};

/// The versioned (1.x) families, as they appear in SDK import paths and client fields
/// (lower-cased).
pub(crate) const VERSIONED: &[&str] = &["v3", "beta", "v2024", "v2025", "v2026"];

/// What is known about an SDK API object (instance, class, Go service).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Api {
    /// The catalog family (`v3`, `beta`, `v2025`, `per-api`, ...), when known.
    pub family: Option<String>,
    /// The catalog tag of its class, when known.
    pub tag: Option<String>,
    /// When the family is unknown: the families it can be (TypeScript `XApi` is v3 in 1.x
    /// and per-API in 2.x).
    pub allowed: Option<&'static [&'static str]>,
}

impl Api {
    pub fn new(family: Option<&str>, tag: Option<&str>) -> Api {
        Api {
            family: family.map(str::to_string),
            tag: tag.map(str::to_string),
            allowed: None,
        }
    }

    /// What two possible objects have in common.
    pub fn merge(&self, other: &Api) -> Api {
        Api {
            family: if self.family == other.family {
                self.family.clone()
            } else {
                None
            },
            tag: if self.tag == other.tag {
                self.tag.clone()
            } else {
                None
            },
            allowed: if self.allowed == other.allowed {
                self.allowed
            } else {
                None
            },
        }
    }
}

/// What a name or expression denotes, as far as the SDK is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Obj {
    /// An API object whose methods are operations.
    Api(Api),
    /// An API class (Python/TypeScript class, Angular service, Go service type): calling or
    /// instantiating it makes an [`Obj::Api`].
    Class(Api),
    /// A module, namespace or client whose attributes lead to classes or API objects.
    Module(Module),
    /// The SDK's `Paginator`.
    Paginator,
    /// Known not to be the SDK (another library, a literal).
    Foreign,
    /// Bound to something the finder cannot tell: hides what an outer scope binds.
    Unknown,
    /// An object whose properties are SDK objects (TypeScript: a clients object a factory
    /// returns, `{ accounts: new AccountsApi(cfg) }`): its fields are [`Obj::Api`] or
    /// [`Obj::Record`] (nesting bounded by the rounds that build them).
    Record(Vec<(String, Obj)>),
    /// What makes an [`Obj::Record`] when called, instantiated or used as a type: a function
    /// returning a clients object, an interface, type or class whose members are SDK objects.
    RecordType(Vec<(String, Obj)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Module {
    /// The package root (Python `sailpoint`, TypeScript `sailpoint-api-client`, Go root
    /// client).
    Root,
    /// One family: a Python version module or 2.x partition, a Go family client (`.V3`).
    Family(String),
    /// The 2.x `SailPoint` namespace.
    Namespace,
    /// The NERM clients (another product, not in the catalog).
    Nerm,
    /// A module of the project (by its stem): its attributes are the SDK objects it defines
    /// at module level ([`SdkContext::export`]) and its submodules.
    Project(String),
}

/// What a file tells about the SDK beyond one call (to narrow calls on objects of unknown
/// origin).
#[derive(Clone, Debug, Default)]
pub(crate) struct Hints {
    /// The generation, from the project's manifests or the file's imports.
    pub generation: Option<Generation>,
    /// (family, tag) of the SDK classes the file names with a known family.
    pub classes: Vec<(String, String)>,
    /// The families the file imports.
    pub families: Vec<String>,
}

impl Hints {
    pub fn add_family(&mut self, f: &str) {
        if !self.families.iter().any(|x| x == f) {
            self.families.push(f.to_string());
        }
    }

    pub fn add_class(&mut self, api: &Api) {
        if let (Some(f), Some(t)) = (&api.family, &api.tag) {
            self.add_family(f);
            if !self.classes.iter().any(|(a, b)| a == f && b == t) {
                self.classes.push((f.clone(), t.clone()));
            }
        }
    }

    /// The generation the file's own imports imply, when they all agree.
    pub fn generation_from_families(&self) -> Option<Generation> {
        let mut g = None;
        for f in &self.families {
            let this = if f == PER_API_FAMILY {
                Generation::PerApi
            } else {
                Generation::Versioned
            };
            match g {
                None => g = Some(this),
                Some(x) if x != this => return None,
                _ => {}
            }
        }
        g
    }
}

/// Project-wide knowledge for the SDK finder, built once per run.
pub struct SdkContext<'a> {
    pub(crate) cat: &'a Catalog,
    pub(crate) idx: std::sync::Arc<SdkIndex>,
    pub(crate) sdks: ProjectSdks,
    /// Function and method names defined in the project's code, per [`SdkLang`] (PowerShell
    /// lower-cased): a call of such a name on an object of unknown origin is project code.
    pub(crate) defined: [FxHashSet<String>; 4],
    /// Whether the project's code or manifests name the SDK of each [`SdkLang`].
    pub(crate) uses: [bool; 4],
    /// SDK API objects the project's Python and TypeScript modules define at module level:
    /// (language slot, module stem, name) → object.
    pub(crate) exports: FxHashMap<(usize, String, String), Api>,
    /// Clients objects and what makes them ([`Obj::Record`], [`Obj::RecordType`]) the
    /// project's TypeScript modules define at module level: (module stem, name) → object.
    pub(crate) records: FxHashMap<(String, String), Obj>,
    /// Module stems (file stems, and folder names for Python packages) of the project's
    /// files, per language slot.
    pub(crate) stems: [FxHashSet<String>; 4],
}

/// The name a module is imported by: the file stem; `__init__.py` and `index.ts` go by their
/// folder.
pub(crate) fn module_stem(path: &str) -> &str {
    let path = path.trim_end_matches('/');
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = file.split('.').next().unwrap_or(file);
    if matches!(stem, "__init__" | "index") {
        return dir.rsplit('/').next().unwrap_or(dir);
    }
    stem
}

pub(crate) fn slot(lang: SdkLang) -> usize {
    match lang {
        SdkLang::Python => 0,
        SdkLang::TypeScript => 1,
        SdkLang::Go => 2,
        SdkLang::PowerShell => 3,
    }
}

/// The SDK language of a lexical language.
pub(crate) fn sdk_lang(lang: Lang) -> Option<SdkLang> {
    Some(match lang {
        Lang::Python => SdkLang::Python,
        Lang::Js => SdkLang::TypeScript,
        Lang::Go => SdkLang::Go,
        Lang::PowerShell => SdkLang::PowerShell,
        _ => return None,
    })
}

impl<'a> SdkContext<'a> {
    /// The SDK object module `stem` of the project defines as `name`.
    pub(crate) fn export(&self, lang: SdkLang, stem: &str, name: &str) -> Option<Api> {
        self.exports
            .get(&(slot(lang), stem.to_string(), name.to_string()))
            .cloned()
    }

    /// The clients object (or what makes one) module `stem` of the project defines as `name`.
    pub(crate) fn record(&self, stem: &str, name: &str) -> Option<Obj> {
        self.records
            .get(&(stem.to_string(), name.to_string()))
            .cloned()
    }

    /// Whether `stem` names a module (or Python package) of the project.
    pub(crate) fn is_project_module(&self, lang: SdkLang, stem: &str) -> bool {
        self.stems[slot(lang)].contains(stem)
    }

    /// Whether the project's code or manifests name the SDK of `lang`.
    pub(crate) fn project_uses(&self, lang: SdkLang) -> bool {
        self.uses[slot(lang)]
    }

    /// Whether the project defines a function or method `name` (PowerShell: any case).
    pub(crate) fn defines(&self, lang: SdkLang, name: &str) -> bool {
        if lang == SdkLang::PowerShell {
            return self.defined[slot(lang)].contains(&name.to_ascii_lowercase());
        }
        self.defined[slot(lang)].contains(name)
    }

    /// Whether `name` is an SDK method (or a variant of one) in `lang`.
    pub(crate) fn is_method(&self, lang: SdkLang, name: &str) -> bool {
        !self.idx.lookup(lang, name).is_empty()
    }

    /// The call of an SDK method named one of `names` (usually one; the search paginators
    /// call `searchPost` or `searchPostV1`) at `offset`, narrowed by what is known of the
    /// object (`recv`) and the file (`hints`). `None` when no name is an SDK method, or when
    /// a per-API object is asked for a name it does not have (NERM methods of the combined
    /// 2.x classes, methods of other libraries).
    pub(crate) fn call(
        &self,
        lang: SdkLang,
        names: &[&str],
        offset: usize,
        recv: Option<&Api>,
        hints: &Hints,
    ) -> Option<RawCall> {
        let mut ops: Vec<OpId> = Vec::new();
        for n in names {
            for &o in self.idx.lookup(lang, n) {
                if !ops.contains(&o) {
                    ops.push(o);
                }
            }
        }
        if ops.is_empty() {
            return None;
        }
        ops.sort_unstable();
        let fam = |o: OpId| self.idx.family(o).unwrap_or("");
        let tag = |o: OpId| &*self.cat.op(o).tag;
        if let Some(api) = recv {
            if let Some(f) = &api.family {
                let in_fam: Vec<OpId> = ops.iter().copied().filter(|&o| fam(o) == f).collect();
                if in_fam.is_empty() {
                    if f == PER_API_FAMILY {
                        // NERM methods of the combined 2.x classes, other libraries.
                        return None;
                    }
                    let per_api = |o: OpId| fam(o) == PER_API_FAMILY;
                    if !ops.iter().all(|&o| per_api(o)) {
                        let names: Vec<String> =
                            ops.iter().map(|&o| self.cat.op(o).name()).collect();
                        return Some(
                            RawCall::new(offset, same_method(self.cat, &ops), Target::Unknown, Via::Sdk)
                                .with_reason(format!(
                                    "no operation of the {f} SDK (the object's family) has this name; it is one of {}",
                                    names.join(", ")
                                )),
                        );
                    }
                    // A `V1`/`V2` name exists only in the per-API SDKs: the name outranks what
                    // was inferred about the object.
                }
                if !in_fam.is_empty() {
                    ops = in_fam;
                }
            } else if let Some(allowed) = api.allowed {
                narrow(&mut ops, |o| allowed.contains(&fam(o)));
            }
            if let Some(t) = &api.tag {
                narrow(&mut ops, |o| tag(o) == t);
            }
        }
        if ops.len() > 1 {
            if let Some(g) = hints.generation {
                narrow(&mut ops, |o| self.idx.generation_of(o) == Some(g));
            }
            narrow(&mut ops, |o| {
                hints
                    .classes
                    .iter()
                    .any(|(f, t)| f == fam(o) && t == tag(o))
            });
            narrow(&mut ops, |o| hints.families.iter().any(|f| f == fam(o)));
        }
        let method = same_method(self.cat, &ops);
        let target = if ops.len() == 1 {
            Target::Op(ops[0])
        } else {
            Target::Ops(ops)
        };
        Some(RawCall::new(offset, method, target, Via::Sdk))
    }

    /// The call of SDK method `m` at token `i` on the receiver `recv` (Python, TypeScript):
    /// on an API object, narrowed by what is known of it; on an object of unknown origin only
    /// when `trusted` (given the receiver's first name) says the name alone counts.
    pub(crate) fn member_call(
        &self,
        lang: SdkLang,
        (code, i, m): (&Code, usize, &str),
        recv: Recv,
        hints: &Hints,
        trusted: impl FnOnce(Option<&str>) -> bool,
    ) -> Option<RawCall> {
        let offset = code.toks[i].start;
        match recv {
            Recv::Obj(Obj::Api(api)) => self.call(lang, &[m], offset, Some(&api), hints),
            Recv::Obj(_) => None,
            Recv::Unknown(head) if trusted(head.as_deref()) => {
                self.call(lang, &[m], offset, None, hints)
            }
            Recv::Unknown(_) => None,
        }
    }

    /// Whether the call of `m` at token `i` on an object of unknown origin is the project's
    /// own method: the project defines an `m`, and the call is outside it or on its own
    /// object (`on_self`); a wrapper around the SDK method of the same name calls the SDK.
    pub(crate) fn project_method(
        &self,
        lang: SdkLang,
        code: &Code,
        (i, m): (usize, &str),
        on_self: bool,
    ) -> bool {
        if !self.defines(lang, m) {
            return false;
        }
        let own = code.enclosing_fn(i).is_some_and(|f| code.fns[f].name == m);
        !own || on_self
    }

    /// The search a search paginator at `offset` runs (Python, TypeScript): `names` are the
    /// 1.x and the per-API operation; the family of the search API object passed (`api`),
    /// else the file's generation, tells which, else both are candidates.
    pub(crate) fn search_call(
        &self,
        lang: SdkLang,
        [versioned, per_api]: [&str; 2],
        offset: usize,
        api: Option<&Api>,
        hints: &Hints,
    ) -> Option<RawCall> {
        let is_per_api = match api.and_then(|a| a.family.as_deref()) {
            Some(f) => Some(f == PER_API_FAMILY),
            None => hints.generation.map(|g| g == Generation::PerApi),
        };
        let names: &[&str] = match is_per_api {
            Some(true) => &[per_api],
            Some(false) => &[versioned],
            None => &[versioned, per_api],
        };
        self.call(lang, names, offset, api, hints)
    }
}

/// What a Python or TypeScript method call is made on, as far as the front-end knows.
pub(crate) enum Recv {
    Obj(Obj),
    /// Nothing is known; the first name of the receiver chain, if it is one.
    Unknown(Option<String>),
}

/// Whether token `i` is an argument of a `paginate*(...)` call (an SDK method passed to a
/// paginator counts as called).
pub(crate) fn in_paginator(code: &Code, i: usize) -> bool {
    match code.parent[i] {
        u32::MAX => false,
        p => {
            let p = p as usize;
            code.is_punct(p, "(")
                && code
                    .ident(p.wrapping_sub(1))
                    .is_some_and(|f| f.starts_with("paginate"))
        }
    }
}

/// The assignments of a file (those not fixed elsewhere) with what their right-hand side
/// makes (`expr_obj(a, b, at)`), an unknown value as [`Obj::Unknown`] (it hides outer
/// bindings), except those whose unknown value `says_nothing` (`x = None`).
pub(crate) fn assigned_objs<'e>(
    env: &'e Env,
    expr_obj: impl Fn(usize, usize, usize) -> Option<Obj> + 'e,
    says_nothing: impl Fn((usize, usize)) -> bool + 'e,
) -> impl Iterator<Item = (&'e Assign, Obj)> + 'e {
    env.assigns
        .iter()
        .filter(|a| a.fixed.is_none())
        .filter_map(move |a| match expr_obj(a.rhs.0, a.rhs.1, a.tok) {
            Some(o) => Some((a, o)),
            None if says_nothing(a.rhs) => None,
            None => Some((a, Obj::Unknown)),
        })
}

/// The HTTP method all of `ops` share.
fn same_method(cat: &Catalog, ops: &[OpId]) -> Option<Method> {
    let m = cat.op(*ops.first()?).method;
    ops.iter().all(|&o| cat.op(o).method == m).then_some(m)
}

/// Keeps the operations that pass, unless none does.
fn narrow(ops: &mut Vec<OpId>, keep: impl Fn(OpId) -> bool) {
    if ops.iter().any(|&o| keep(o)) {
        ops.retain(|&o| keep(o));
    }
}

/// Names bound to SDK objects in one file, with function scopes.
#[derive(Debug, Default)]
pub(crate) struct Bindings {
    map: FxHashMap<String, Vec<Bound>>,
}

#[derive(Clone, Debug)]
struct Bound {
    /// The function the binding belongs to (for parameters: the function they are
    /// parameters of).
    func: Option<usize>,
    tok: usize,
    obj: Obj,
}

impl Bindings {
    /// The API objects bound at module level to plain names (what other modules can import).
    pub fn module_apis(&self) -> Vec<(String, Api)> {
        let mut out = Vec::new();
        for (name, list) in &self.map {
            if name.contains('.') || list.iter().any(|b| b.func.is_some()) {
                continue;
            }
            if let Some(Obj::Api(api)) = merge(list.iter().map(|b| &b.obj)) {
                out.push((name.clone(), api));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The clients objects ([`Obj::Record`]) bound at module level to plain names.
    pub fn module_records(&self) -> Vec<(String, Obj)> {
        let mut out = Vec::new();
        for (name, list) in &self.map {
            if name.contains('.') || list.iter().any(|b| b.func.is_some()) {
                continue;
            }
            if let Some(o @ Obj::Record(_)) = merge(list.iter().map(|b| &b.obj)) {
                out.push((name.clone(), o));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    pub fn add(&mut self, name: impl Into<String>, func: Option<usize>, tok: usize, obj: Obj) {
        self.map
            .entry(name.into())
            .or_default()
            .push(Bound { func, tok, obj });
    }

    /// What `name` denotes at token `at`: the last binding before it in the innermost
    /// function that binds it (walking out to the module); module-level bindings from
    /// anywhere when `at` is in a function (it runs after the module is loaded); instance
    /// attributes (`self.x`, `this.x`) and fields (`.x`) from anywhere in the file. Several
    /// reaching bindings are merged.
    pub fn get(&self, code: &Code, name: &str, at: usize) -> Option<Obj> {
        let list = self.map.get(name)?;
        let mut f = code.enclosing_fn(at);
        loop {
            match f {
                Some(k) => {
                    if let Some(b) = list
                        .iter()
                        .filter(|b| b.func == Some(k) && b.tok < at)
                        .max_by_key(|b| (b.tok, b.obj != Obj::Unknown))
                    {
                        return Some(b.obj.clone());
                    }
                    f = code.enclosing_fn(code.fns[k].name_tok);
                    if f == Some(k) {
                        f = None;
                    }
                    if f.is_none() {
                        let module: Vec<&Bound> =
                            list.iter().filter(|b| b.func.is_none()).collect();
                        if !module.is_empty() {
                            return merge(module.into_iter().map(|b| &b.obj));
                        }
                        break;
                    }
                }
                None => {
                    if let Some(b) = list
                        .iter()
                        .filter(|b| b.func.is_none() && b.tok < at)
                        .max_by_key(|b| (b.tok, b.obj != Obj::Unknown))
                    {
                        return Some(b.obj.clone());
                    }
                    break;
                }
            }
        }
        let instance = name.starts_with("self.")
            || name.starts_with("this.")
            || name.starts_with("cls.")
            || name.starts_with('.');
        if instance {
            return merge(list.iter().map(|b| &b.obj));
        }
        None
    }
}

/// Several possible objects: API objects merge into what they share; anything else must
/// agree.
fn merge<'o>(objs: impl Iterator<Item = &'o Obj>) -> Option<Obj> {
    let all: Vec<&Obj> = objs.collect();
    // What is known outranks what is not (`self.api = api` beside `self.api = X(c)`).
    let known: Vec<&Obj> = all
        .iter()
        .copied()
        .filter(|o| **o != Obj::Unknown)
        .collect();
    let mut objs = if known.is_empty() { all } else { known }.into_iter();
    let first = objs.next()?.clone();
    objs.try_fold(first, |acc, o| merge_two(&acc, o))
}

/// What two possible objects have in common: API objects merge into what they share, clients
/// objects field by field (a field only one of them has is kept: where it is present, it is
/// that object); anything else must agree.
pub(crate) fn merge_two(a: &Obj, b: &Obj) -> Option<Obj> {
    match (a, b) {
        (Obj::Unknown, o) | (o, Obj::Unknown) => Some(o.clone()),
        (Obj::Api(a), Obj::Api(b)) => Some(Obj::Api(a.merge(b))),
        (Obj::Class(a), Obj::Class(b)) => Some(Obj::Class(a.merge(b))),
        (Obj::Record(a), Obj::Record(b)) => Some(Obj::Record(merge_fields(a, b))),
        (Obj::RecordType(a), Obj::RecordType(b)) => Some(Obj::RecordType(merge_fields(a, b))),
        (a, b) if a == b => Some(a.clone()),
        _ => None,
    }
}

fn merge_fields(a: &[(String, Obj)], b: &[(String, Obj)]) -> Vec<(String, Obj)> {
    let mut out: Vec<(String, Obj)> = Vec::with_capacity(a.len() + b.len());
    for (k, o) in a {
        match b.iter().find(|(k2, _)| k2 == k) {
            Some((_, o2)) => {
                if let Some(m) = merge_two(o, o2) {
                    out.push((k.clone(), m));
                }
            }
            None => out.push((k.clone(), o.clone())),
        }
    }
    for (k, o) in b {
        if !a.iter().any(|(k2, _)| k2 == k) {
            out.push((k.clone(), o.clone()));
        }
    }
    out
}

/// For each token of a function's parameter list (between its name and its body), that
/// function: computed once per file.
pub(crate) struct ParamOwners(Vec<u32>);

impl ParamOwners {
    pub fn new(code: &Code) -> ParamOwners {
        let n = code.len();
        let mut v = vec![u32::MAX; n];
        let mut order: Vec<usize> = (0..code.fns.len()).collect();
        order.sort_by_key(|&k| code.fns[k].name_tok);
        for k in order {
            let f = &code.fns[k];
            let (a, b) = ((f.name_tok + 1).min(n), f.body.0.min(n));
            if a < b {
                v[a..b].fill(k as u32);
            }
        }
        ParamOwners(v)
    }

    /// The function whose parameter list holds token `i`.
    pub fn get(&self, i: usize) -> Option<usize> {
        match self.0.get(i) {
            Some(&k) if k != u32::MAX => Some(k as usize),
            _ => None,
        }
    }
}

/// The token before `i` that is not a line break.
pub(crate) fn prev_sig(code: &Code, i: usize) -> Option<usize> {
    let mut k = i.checked_sub(1)?;
    while code.toks[k].tok == Tok::Newline {
        k = k.checked_sub(1)?;
    }
    Some(k)
}

/// The first token from `i` on that is not a line break.
pub(crate) fn next_sig(code: &Code, mut i: usize) -> usize {
    while i < code.len() && code.toks[i].tok == Tok::Newline {
        i += 1;
    }
    i
}

/// Whether token `i` is a member access dot (`.`, `?.`).
pub(crate) fn is_dot(code: &Code, i: usize) -> bool {
    code.is_punct(i, ".") || code.is_punct(i, "?.")
}

/// The receiver end of the member named at token `i`: the token before its dot (line breaks
/// around the dot do not matter: `api\n  .listAccounts()`, Go `apiClient.V3.\n\tX`).
pub(crate) fn member_receiver_end(code: &Code, i: usize) -> Option<usize> {
    let d = prev_sig(code, i)?;
    if !is_dot(code, d) {
        return None;
    }
    prev_sig(code, d)
}

/// Reads a dotted identifier chain starting at token `a` (`self.api.x`; `?.` counts as `.`
/// in JavaScript; line breaks around dots are skipped): the parts and the index after the
/// chain.
pub(crate) fn chain_at(code: &Code, a: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    let mut k = a;
    while let Some(id) = code.ident(k) {
        parts.push(id.to_string());
        let d = next_sig(code, k + 1);
        let n = next_sig(code, d + 1);
        if is_dot(code, d) && code.ident(n).is_some() {
            k = n;
        } else {
            k += 1;
            break;
        }
    }
    (parts, k)
}

/// Reads a dotted identifier chain ending at token `end` (inclusive), backwards: the parts
/// and the index of its first token.
pub(crate) fn chain_before(code: &Code, end: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    let mut k = end;
    while let Some(id) = code.ident(k) {
        parts.push(id.to_string());
        match member_receiver_end(code, k) {
            Some(p) if code.ident(p).is_some() => k = p,
            _ => break,
        }
    }
    parts.reverse();
    (parts, k)
}

/// Whether the expression `[a, b)` is an empty value (`None`, `null`, `undefined`, `nil`,
/// `$null`) or nothing at all.
pub(crate) fn nothing(code: &Code, (a, b): (usize, usize)) -> bool {
    let a = code.skip_newlines(a, b);
    if a >= b {
        return true;
    }
    let one = next_sig(code, a + 1) >= b;
    one && matches!(code.ident(a), Some("None" | "null" | "undefined" | "nil"))
}

/// Whether a family name is a versioned (1.x) one.
pub(crate) fn versioned_family(name: &str) -> Option<&'static str> {
    VERSIONED
        .iter()
        .copied()
        .find(|f| f.eq_ignore_ascii_case(name))
}

/// Functions that only print or inspect their argument.
const INSPECTORS: &[&str] = &[
    "log",
    "info",
    "debug",
    "warn",
    "error",
    "trace",
    "dir",
    "table",
    "expect",
    "stringify",
    "print",
];

/// Whether the member named at `i` (not called) is a whole argument of a logging or
/// inspecting call: `console.log(api.listSources)`, `expect(api.listSources)`, `print(api.list_sources)`,
/// `logger.info(api.get_source)`.
pub(crate) fn inspected_reference(code: &Code, i: usize) -> bool {
    if !(code.is_punct(i + 1, ")") || code.is_punct(i + 1, ",")) {
        return false;
    }
    let p = code.parent[i];
    if p == u32::MAX {
        return false;
    }
    let p = p as usize;
    code.is_punct(p, "(") && p > 0 && code.ident(p - 1).is_some_and(|f| INSPECTORS.contains(&f))
}
