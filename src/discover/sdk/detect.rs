//! The SDK call finder: method calls on SDK API objects (Python, TypeScript/JavaScript,
//! Angular, Go) and SDK cmdlets (PowerShell), turned into [`RawCall`]s naming catalog
//! operations.
//!
//! Each language front-end ([`super::detect_python`], [`super::detect_ts`],
//! [`super::detect_go`], [`super::detect_ps`]) tells, for a method name, what it knows about
//! the object it is called on (an [`Api`]: family and tag when the import, class name, client
//! field or type says so); [`SdkContext::call`] looks the name up in the [`SdkIndex`] and
//! narrows the candidates by what is known. A name shared by several families with nothing to
//! tell which becomes [`Target::Ops`] (reported unresolved with the candidates), never a guess.
//!
//! What counts as evidence that an object is an SDK API object is per language (imports,
//! constructors, typed parameters, client fields); method names alone are only trusted in files
//! that import the SDK, for multi-word names, on receivers not known to be something else.

use super::generation::{ProjectSdks, detect as detect_generations, is_manifest};
use super::index::{Generation, SdkIndex, SdkLang};
use crate::catalog::{Catalog, Method, OpId, PER_API_FAMILY};
use crate::discover::code::Code;
use crate::discover::eval::{Env, Project};
use crate::discover::lex::Lang;
use crate::discover::{FileKind, RawCall, SourceFile, Target, Via};
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
    pub(crate) idx: SdkIndex,
    pub(crate) sdks: ProjectSdks,
    /// Function and method names defined in the project's code, per [`SdkLang`] (PowerShell
    /// lower-cased): a call of such a name on an object of unknown origin is project code.
    defined: [FxHashSet<String>; 4],
    /// Whether the project's code or manifests name the SDK of each [`SdkLang`].
    uses: [bool; 4],
    /// SDK API objects the project's Python and TypeScript modules define at module level:
    /// (language slot, module stem, name) → object.
    exports: FxHashMap<(usize, String, String), Api>,
    /// Module stems (file stems, and folder names for Python packages) of the project's
    /// files, per language slot.
    stems: [FxHashSet<String>; 4],
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

fn slot(lang: SdkLang) -> usize {
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

/// Whether a text names an SDK of `lang` (an import, a module path, a dependency).
fn names_sdk(lang: SdkLang, text: &str) -> bool {
    match lang {
        SdkLang::Python => text.contains("import sailpoint") || text.contains("from sailpoint"),
        SdkLang::TypeScript => {
            text.contains("sailpoint-api-client") || text.contains("@sailpoint/angular-sdk")
        }
        SdkLang::Go => text.contains("sailpoint-oss/golang-sdk"),
        SdkLang::PowerShell => crate::discover::code::contains_ignore_case(text, "pssailpoint"),
    }
}

impl<'a> SdkContext<'a> {
    /// Reads what the SDK finder needs from the whole project: the SDK index, the generation
    /// of each folder from its manifests, the functions the project defines, which SDKs the
    /// project names.
    pub fn new(cat: &'a Catalog, files: &[SourceFile], codes: &[Option<Code>]) -> SdkContext<'a> {
        let manifests: Vec<(&str, &str)> = files
            .iter()
            .filter(|f| f.kind == FileKind::Manifest || is_manifest(&f.rel))
            .map(|f| (f.rel.as_str(), f.text.as_str()))
            .collect();
        let sdks = detect_generations(&manifests);
        let mut defined: [FxHashSet<String>; 4] = Default::default();
        let mut stems: [FxHashSet<String>; 4] = Default::default();
        let mut uses = [false; 4];
        for lang in SdkLang::ALL {
            uses[slot(lang)] = sdks.uses(lang);
        }
        for (f, c) in files.iter().zip(codes) {
            let lang = c.as_ref().and_then(|c| sdk_lang(c.lang));
            let (Some(lang), Some(c)) = (lang, c) else {
                continue;
            };
            let s = slot(lang);
            if !uses[s] && names_sdk(lang, &f.text) {
                uses[s] = true;
            }
            for def in &c.fns {
                let name = if lang == SdkLang::PowerShell {
                    def.name.to_ascii_lowercase()
                } else {
                    def.name.clone()
                };
                defined[s].insert(name);
            }
            stems[s].insert(module_stem(&f.rel).to_string());
            if lang == SdkLang::Python {
                // Package folders are modules too.
                for dir in f.rel.split('/').rev().skip(1) {
                    stems[s].insert(dir.to_string());
                }
            }
        }
        let mut cx = SdkContext {
            cat,
            idx: SdkIndex::new(cat),
            sdks,
            defined,
            uses,
            exports: FxHashMap::default(),
            stems,
        };
        // What each module defines at module level, for the modules that import it.
        let project = Project::default();
        let mut exports = FxHashMap::default();
        for (f, c) in files.iter().zip(codes) {
            let Some(c) = c else { continue };
            let Some(lang @ (SdkLang::Python | SdkLang::TypeScript)) = sdk_lang(c.lang) else {
                continue;
            };
            if !names_sdk(lang, &f.text) || generated_sdk_source(&f.text) {
                continue;
            }
            let env = Env::new(c, &project);
            let list = match lang {
                SdkLang::Python => super::detect_python::exports(&cx, &f.rel, &env),
                _ => super::detect_ts::exports(&cx, &f.rel, &env),
            };
            let stem = module_stem(&f.rel).to_string();
            for (name, api) in list {
                exports
                    .entry((slot(lang), stem.clone(), name))
                    .and_modify(|a: &mut Api| *a = a.merge(&api))
                    .or_insert(api);
            }
        }
        cx.exports = exports;
        cx
    }

    /// The SDK object module `stem` of the project defines as `name`.
    pub(crate) fn export(&self, lang: SdkLang, stem: &str, name: &str) -> Option<Api> {
        self.exports
            .get(&(slot(lang), stem.to_string(), name.to_string()))
            .cloned()
    }

    /// Whether `stem` names a module (or Python package) of the project.
    pub(crate) fn is_project_module(&self, lang: SdkLang, stem: &str) -> bool {
        self.stems[slot(lang)].contains(stem)
    }

    /// The SDK calls of one code file (none in the SDKs' own generated sources, vendored or
    /// copied into a project: their methods call each other).
    pub fn calls(&self, file: &SourceFile, env: &Env) -> Vec<RawCall> {
        if generated_sdk_source(&file.text) {
            return Vec::new();
        }
        let mut out = match env.code.lang {
            Lang::Python => super::detect_python::calls(self, &file.rel, env),
            Lang::Js => super::detect_ts::calls(self, &file.rel, env),
            Lang::Go => super::detect_go::calls(self, &file.rel, env),
            Lang::PowerShell => super::detect_ps::calls(self, &file.rel, env),
            _ => Vec::new(),
        };
        out.sort_by_key(|r| r.offset);
        out.dedup_by(|a, b| a.offset == b.offset && a.target == b.target);
        out
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
}

/// Whether a file is generated by openapi-generator (as every SDK source is): its header
/// says so.
fn generated_sdk_source(text: &str) -> bool {
    let mut end = text.len().min(8192);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    head.contains("OpenAPI Generator") || head.contains("openapi-generator.tech")
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
                        .max_by_key(|b| b.tok)
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
                        .max_by_key(|b| b.tok)
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
fn merge<'o>(mut objs: impl Iterator<Item = &'o Obj>) -> Option<Obj> {
    let first = objs.next()?.clone();
    objs.try_fold(first, |acc, o| match (&acc, o) {
        (Obj::Api(a), Obj::Api(b)) => Some(Obj::Api(a.merge(b))),
        (Obj::Class(a), Obj::Class(b)) => Some(Obj::Class(a.merge(b))),
        (a, b) if a == b => Some(acc),
        _ => None,
    })
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

/// Reads a dotted identifier chain starting at token `a` (`self.api.x`; `?.` counts as `.`
/// in JavaScript): the parts and the index after the chain.
pub(crate) fn chain_at(code: &Code, a: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    let mut k = a;
    while let Some(id) = code.ident(k) {
        parts.push(id.to_string());
        if (code.is_punct(k + 1, ".") || code.is_punct(k + 1, "?.")) && code.ident(k + 2).is_some()
        {
            k += 2;
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
        if k >= 2
            && (code.is_punct(k - 1, ".") || code.is_punct(k - 1, "?."))
            && code.ident(k - 2).is_some()
        {
            k -= 2;
        } else {
            break;
        }
    }
    parts.reverse();
    (parts, k)
}

/// Whether a family name is a versioned (1.x) one.
pub(crate) fn versioned_family(name: &str) -> Option<&'static str> {
    VERSIONED
        .iter()
        .copied()
        .find(|f| f.eq_ignore_ascii_case(name))
}
