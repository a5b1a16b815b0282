//! Go SDK calls (`github.com/sailpoint-oss/golang-sdk`).
//!
//! * v2 module (1.x): `apiClient.V2025.AccessProfilesAPI.ListAccessProfiles(ctx)...Execute()`;
//!   client fields `V3`, `Beta`, `V2024`, `V2025`, `V2026` tell the family; sub-packages
//!   `api_v3`, `api_beta`, ... have clients of their own.
//! * v3 module (2.x): `apiClient.AccessProfilesAPI.ListAccessProfilesV1(ctx).Execute()`, and
//!   per-partition clients (`access_profiles.NewAPIClient(...)`).
//! * v1 module (`github.com/sailpoint-oss/golang-sdk`, 2023): services named `…Api`.
//!
//! A call is reported where the operation's builder is made (`ListAccounts(ctx)`), also inside
//! `sailpoint.PaginateWithDefaults[T](...)`; `<Op>Execute(req)` counts unless `req` is a
//! builder of the same operation (that call was reported where it was made). Services are
//! followed through variables (`svc := apiClient.V3.AccountsAPI`), typed parameters and struct
//! fields (`svc *api_v3.AccountsAPIService`); clients through `NewAPIClient` and
//! `*sailpoint.APIClient`. `NERM`/`NERMV2025`, the v1 module's `V2`/`CC` and `Generic` are not
//! catalog APIs (the generic client takes paths: the raw-HTTP front-end's business).

use super::detect_common::{
    Api, Bindings, Hints, Module, Obj, ParamOwners, SdkContext, assigned_objs, chain_at,
    chain_before, member_receiver_end, nothing,
};
use super::index::{Generation, SdkLang};
use crate::catalog::PER_API_FAMILY;
use crate::discover::call::RawCall;
use crate::discover::code::Code;
use crate::discover::eval::Env;
use crate::discover::lex::Tok;
use rustc_hash::FxHashMap;

const LANG: SdkLang = SdkLang::Go;
const MODULE: &str = "github.com/sailpoint-oss/golang-sdk";

/// Client fields of the v1/v2 modules that lead to catalog families.
fn family_field(name: &str) -> Option<&'static str> {
    Some(match name {
        "V3" => "v3",
        "Beta" => "beta",
        "V2024" => "v2024",
        "V2025" => "v2025",
        "V2026" => "v2026",
        _ => return None,
    })
}

/// Client fields that lead to no catalog API.
fn other_field(name: &str) -> bool {
    matches!(name, "NERM" | "NERMV2025" | "V2" | "CC" | "Generic")
}

pub(super) fn calls(cx: &SdkContext, rel: &str, env: &Env) -> Vec<RawCall> {
    let code = env.code;
    let mut go = Go {
        cx,
        code,
        imports: FxHashMap::default(),
        has_sdk: false,
        bindings: Bindings::default(),
        params: ParamOwners::new(code),
        hints: Hints::default(),
        generation: cx.sdks.for_file(rel, LANG),
    };
    go.parse_imports();
    let evidence = go.has_sdk || cx.project_uses(LANG);
    if go.generation.is_none() {
        go.generation = go.hints.generation_from_families();
    }
    go.hints.generation = go.generation;
    for _ in 0..3 {
        let mut b = Bindings::default();
        go.bind_assignments(env, &mut b);
        go.bind_types(&mut b);
        go.bindings = b;
    }
    go.scan(evidence)
}

struct Go<'a, 'c> {
    cx: &'a SdkContext<'a>,
    code: &'a Code<'c>,
    /// Import name → SDK package ([`Obj::Module`]) or [`Obj::Foreign`].
    imports: FxHashMap<String, Obj>,
    has_sdk: bool,
    bindings: Bindings,
    params: ParamOwners,
    hints: Hints,
    generation: Option<Generation>,
}

impl Go<'_, '_> {
    /// The package an import path designates, and its default name.
    fn package(&self, path: &str) -> Option<(Obj, String)> {
        let rest = path.strip_prefix(MODULE)?;
        let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let root = (Obj::Module(Module::Root), "sailpoint".to_string());
        Some(match segs.as_slice() {
            [] => root,
            ["v2"] => root,
            // The v3 module's root, or the v1 module's `v3` models package.
            ["v3"] => {
                if self.generation == Some(Generation::Versioned) {
                    (Obj::Module(Module::Family("v3".into())), "v3".into())
                } else {
                    root
                }
            }
            ["beta"] => (Obj::Module(Module::Family("beta".into())), "beta".into()),
            ["v2", sub, ..] => {
                let fam = sub
                    .strip_prefix("api_")
                    .and_then(|f| super::detect_common::versioned_family(f).filter(|x| *x == f));
                let obj = match fam {
                    Some(f) => Obj::Module(Module::Family(f.into())),
                    None if sub.starts_with("api_nerm") => Obj::Module(Module::Nerm),
                    None => Obj::Foreign,
                };
                (obj, sub.to_string())
            }
            ["v3", sub, ..] => {
                let obj = if sub.contains("nerm") {
                    Obj::Module(Module::Nerm)
                } else {
                    Obj::Module(Module::Family(PER_API_FAMILY.into()))
                };
                (obj, sub.to_string())
            }
            [.., last] => (Obj::Foreign, last.to_string()),
        })
    }

    fn parse_imports(&mut self) {
        let code = self.code;
        let n = code.len();
        let mut i = 0;
        while i < n {
            if code.ident(i) != Some("import") {
                i += 1;
                continue;
            }
            let (a, b) = if code.is_punct(i + 1, "(") {
                (i + 2, code.close_of(i + 1).unwrap_or(n))
            } else {
                (i + 1, (i + 4).min(n))
            };
            let mut k = a;
            while k < b {
                let (alias, s) = match (code.tok(k), code.tok(k + 1)) {
                    (Some(Tok::Ident(al)), Some(Tok::Str(s))) => (Some(al.to_string()), s),
                    (Some(Tok::Punct("." | "_")), Some(Tok::Str(s))) => (None, s),
                    (Some(Tok::Str(s)), _) => (None, s),
                    _ => {
                        k += 1;
                        continue;
                    }
                };
                let step = if alias.is_some() || !matches!(code.tok(k), Some(Tok::Str(_))) {
                    2
                } else {
                    1
                };
                if let Some(path) = s.plain() {
                    match self.package(&path) {
                        Some((obj, default)) => {
                            self.has_sdk = true;
                            match &obj {
                                Obj::Module(Module::Family(f)) => self.hints.add_family(f),
                                // The root package tells the module: `/v3` is per-API.
                                Obj::Module(Module::Root) if self.generation.is_none() => {
                                    self.generation = Some(if path.ends_with("/v3") {
                                        Generation::PerApi
                                    } else {
                                        Generation::Versioned
                                    });
                                }
                                _ => {}
                            }
                            self.imports.insert(alias.unwrap_or(default), obj);
                        }
                        None => {
                            let default = path.rsplit('/').next().unwrap_or("").to_string();
                            self.imports.insert(alias.unwrap_or(default), Obj::Foreign);
                        }
                    }
                }
                k += step;
            }
            i = b.max(i + 1);
        }
    }

    /// A member of a client, package or service.
    fn member(&self, obj: &Obj, name: &str) -> Option<Obj> {
        match obj {
            Obj::Module(Module::Root) => {
                if let Some(f) = family_field(name) {
                    return Some(Obj::Module(Module::Family(f.into())));
                }
                if other_field(name) {
                    return Some(Obj::Foreign);
                }
                let fam = match self.generation {
                    Some(Generation::PerApi) => Some(PER_API_FAMILY),
                    _ => None,
                };
                self.service(name, fam)
            }
            Obj::Module(Module::Family(f)) => self.service(name, Some(f)),
            Obj::Module(Module::Nerm) | Obj::Foreign => Some(Obj::Foreign),
            _ => None,
        }
    }

    /// A service field (`AccountsAPI`) or type (`AccountsAPIService`): an API object.
    fn service(&self, name: &str, family: Option<&str>) -> Option<Obj> {
        let info = self.cx.idx.class(LANG, name)?;
        Some(Obj::Api(Api::new(family, Some(&info.tag))))
    }

    fn chain_obj(&self, parts: &[String], at: usize) -> Option<Obj> {
        if parts.is_empty() {
            return None;
        }
        for k in (1..=parts.len()).rev() {
            let name = parts[..k].join(".");
            let found = self.bindings.get(self.code, &name, at).or_else(|| {
                // Struct fields: `s.accounts` by its field name.
                (k >= 2)
                    .then(|| {
                        self.bindings
                            .get(self.code, &format!(".{}", parts[k - 1]), at)
                    })
                    .flatten()
            });
            if let Some(o) = found {
                if o == Obj::Unknown {
                    return None;
                }
                return self.walk(o, &parts[k..]);
            }
        }
        let o = self.imports.get(&parts[0])?;
        self.walk(o.clone(), &parts[1..])
    }

    fn walk(&self, mut obj: Obj, rest: &[String]) -> Option<Obj> {
        for a in rest {
            obj = self.member(&obj, a)?;
        }
        Some(obj)
    }

    /// What the expression `[a, b)` makes: a client (`sailpoint.NewAPIClient(cfg)`,
    /// `apiClient.V3`), a service (`apiClient.V3.AccountsAPI`).
    fn expr_obj(&self, a: usize, b: usize, at: usize) -> Option<Obj> {
        let code = self.code;
        let mut a = code.skip_newlines(a, b);
        if code.is_punct(a, "&") || code.is_punct(a, "*") {
            a += 1;
        }
        let (parts, j) = chain_at(code, a);
        if parts.is_empty() {
            return None;
        }
        if code.skip_newlines(j, b) >= b {
            return self.chain_obj(&parts, at);
        }
        if code.is_punct(j, "(")
            && let Some(close) = code.close_of(j)
            && code.skip_newlines(close + 1, b) >= b
            && parts.len() == 2
            && matches!(parts[1].as_str(), "NewAPIClient" | "NewAPIClientFromConfig")
        {
            return match self.imports.get(&parts[0]) {
                Some(o @ Obj::Module(_)) => Some(o.clone()),
                _ => None,
            };
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
            b.add(a.name.clone(), a.func, a.tok, obj);
        }
    }

    /// `name *pkg.Type` in parameters, struct fields and `var` declarations, where `Type` is
    /// a service type or a client of an SDK package.
    fn bind_types(&self, b: &mut Bindings) {
        let code = self.code;
        for i in 0..code.len() {
            let Some(name) = code.ident(i) else { continue };
            let mut k = i + 1;
            if code.is_punct(k, "*") {
                k += 1;
            }
            let Some(pkg) = code.ident(k) else { continue };
            if !code.is_punct(k + 1, ".") {
                continue;
            }
            let Some(ty) = code.ident(k + 2) else {
                continue;
            };
            let Some(module @ Obj::Module(_)) = self.imports.get(pkg) else {
                continue;
            };
            let obj = if matches!(ty, "APIClient" | "Client") {
                module.clone()
            } else {
                match module {
                    Obj::Module(Module::Family(f)) => match self.service(ty, Some(f)) {
                        Some(o) => o,
                        None => continue,
                    },
                    Obj::Module(Module::Root) => match self.member(module, ty) {
                        Some(o @ Obj::Api(_)) => o,
                        _ => continue,
                    },
                    _ => continue,
                }
            };
            let parent = match code.parent[i] {
                u32::MAX => None,
                p => Some(p as usize),
            };
            match parent {
                Some(p) if code.is_punct(p, "(") => {
                    if let Some(f) = self.params.get(i) {
                        b.add(name, Some(f), i, obj);
                    }
                }
                Some(p)
                    if code.is_punct(p, "{") && code.ident(p.wrapping_sub(1)) == Some("struct") =>
                {
                    b.add(format!(".{name}"), None, i, obj);
                }
                _ if i > 0 && code.ident(i - 1) == Some("var") => {
                    b.add(name, code.enclosing_fn(i), i, obj);
                }
                _ => {}
            }
        }
    }

    fn scan(&self, evidence: bool) -> Vec<RawCall> {
        let code = self.code;
        let mut out = Vec::new();
        for i in 2..code.len() {
            let Some(m) = code.ident(i) else { continue };
            let Some(recv_end) = member_receiver_end(code, i) else {
                continue;
            };
            if !code.is_punct(i + 1, "(") {
                continue;
            }
            if m == "PaginateSearchApi" {
                out.extend(self.search_paginator(i));
                continue;
            }
            if !self.cx.is_method(LANG, m) {
                continue;
            }
            // `f().V3.AccountsAPI.M(...)`: the chain after the call still tells.
            let (parts, _) = chain_before(code, recv_end);
            if parts.is_empty() {
                continue;
            }
            let Some(api) = self.receiver(&parts, i, evidence) else {
                continue;
            };
            if let Some(base) = m.strip_suffix("Execute")
                && self.is_builder_of(i, base)
            {
                continue;
            }
            out.extend(
                self.cx
                    .call(LANG, &[m], code.toks[i].start, Some(&api), &self.hints),
            );
        }
        out
    }

    /// The service a method is called on.
    fn receiver(&self, parts: &[String], at: usize, evidence: bool) -> Option<Api> {
        match self.chain_obj(parts, at) {
            Some(Obj::Api(api)) => return Some(api),
            Some(_) => return None,
            None => {}
        }
        // `<anything>.V2025.AccessProfilesAPI`, `<anything>.AccessProfilesAPI`.
        let last = parts.last()?;
        let info = self.cx.idx.class(LANG, last)?;
        let before = parts.len().checked_sub(2).map(|k| parts[k].as_str());
        if before.is_some_and(other_field) {
            return None;
        }
        match before.and_then(family_field) {
            Some(f) => Some(Api::new(Some(f), Some(&info.tag))),
            None if evidence => {
                let fam = match self.generation {
                    Some(Generation::PerApi) => Some(PER_API_FAMILY),
                    _ => None,
                };
                Some(Api::new(fam, Some(&info.tag)))
            }
            None => None,
        }
    }

    /// Whether the first argument of the `<base>Execute(req)` call at `i` is a builder made
    /// by `<base>(...)` (already reported where it was made).
    fn is_builder_of(&self, i: usize, base: &str) -> bool {
        let code = self.code;
        let Some(&(a, _)) = code.args(i + 1).first() else {
            return false;
        };
        let Some(name) = code.ident(a) else {
            return false;
        };
        let env_name = name.to_string();
        (0..i).any(|k| {
            code.ident(k) == Some(env_name.as_str())
                && (code.is_punct(k + 1, ":=") || code.is_punct(k + 1, "="))
                && (k + 2..code.expr_end(k + 2)).any(|j| code.ident(j) == Some(base))
        })
    }

    /// `sailpoint.PaginateSearchApi(ctx, apiClient, search, ...)`: the v3 search (v2 module).
    fn search_paginator(&self, i: usize) -> Option<RawCall> {
        let code = self.code;
        let (parts, _) = chain_before(code, member_receiver_end(code, i)?);
        if parts.len() != 1
            || !matches!(self.imports.get(&parts[0]), Some(Obj::Module(Module::Root)))
        {
            return None;
        }
        let (name, fam) = match self.generation {
            Some(Generation::PerApi) => ("SearchPostV1", PER_API_FAMILY),
            _ => ("SearchPost", "v3"),
        };
        let api = Api::new(Some(fam), None);
        self.cx
            .call(LANG, &[name], code.toks[i].start, Some(&api), &self.hints)
    }
}
