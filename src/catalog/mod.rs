//! The operation catalog: the compact facts the rest of the pipeline needs about every ISC
//! operation (method, full path, operationId, family, scopes per auth kind, user levels, flags).
//!
//! The catalog is built from OpenAPI documents by [`crate::spec`] and stored as a small,
//! line-oriented text file (see [`format`]). The binary embeds the committed catalog
//! (`specs/catalog.tsv`) so no spec is parsed at start-up.

mod embedded;
pub mod format;
pub mod route;
pub mod tsv;

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A catalog string: borrowed from the embedded catalog text, owned for catalogs built at run
/// time.
pub type Str = Cow<'static, str>;

/// Security requirement objects, each its own alternative list of scopes. Interned: operations
/// with the same requirements share one allocation and one [`Operation::user_auth_set`] id.
pub type Alternatives = Arc<[Vec<ScopeId>]>;

/// A user-level list, interned like [`Alternatives`].
pub type Levels = Arc<[Str]>;

/// The scope that stands for "every right of the owner's user levels".
pub const ALL_SCOPES: &str = "sp:scopes:all";

/// The per-API spec (paths like `/access-profiles/v1/...`) has no version prefix; its
/// operations belong to this family.
pub const PER_API_FAMILY: &str = "per-api";

/// HTTP methods of an OpenAPI path item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Head,
    Options,
    Post,
    Put,
    Patch,
    Delete,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Trace,
    ];

    /// Case-insensitive parse of an HTTP method name.
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Trace => "TRACE",
        }
    }

    /// GET, HEAD and OPTIONS read; everything else writes.
    pub fn is_read(self) -> bool {
        matches!(self, Method::Get | Method::Head | Method::Options)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a scope name in [`Catalog::scopes`].
pub type ScopeId = u16;
/// Index of an operation in [`Catalog::ops`].
pub type OpId = usize;

/// Which kind of token a list of security requirements is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthKind {
    /// `userAuth` (and `UserContextAuth`): PATs and authorization-code tokens, with a user.
    User,
    /// `applicationAuth`: client credentials, no user context.
    App,
}

/// One operation of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub method: Method,
    /// Full path: server base path + spec path, e.g. `/v3/sources/{id}`.
    pub path: Str,
    pub operation_id: Str,
    /// `v3`, `beta`, `v2024`, `v2025`, `v2026` or [`PER_API_FAMILY`].
    pub family: Str,
    /// First tag (the SDK API class is derived from it).
    pub tag: Str,
    /// `security: []` or a `{}` requirement: no scope needed.
    pub public: bool,
    pub deprecated: bool,
    /// Takes the `X-SailPoint-Experimental` header.
    pub experimental: bool,
    /// The description says every listed scope is needed: each requirement object is read
    /// all-of even under the any-of default (see [`Operation::semantics`]).
    pub all_of: bool,
    /// `userAuth` requirement objects, each its own alternative list of scopes.
    pub user_auth: Alternatives,
    /// `applicationAuth` requirement objects.
    pub app_auth: Alternatives,
    /// `x-sailpoint-userLevels` as normalised (may hold `API`, `Any`, `USER`).
    pub user_levels: Levels,
    /// Interned ids of `user_auth`, `app_auth` (one id space) and `user_levels`: equal ids,
    /// equal lists.
    pub user_auth_set: u32,
    pub app_auth_set: u32,
    pub level_set: u32,
}

impl Operation {
    /// `METHOD /full/path`.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub fn is_write(&self) -> bool {
        !self.method.is_read()
    }

    /// How this operation's scope lists combine under the run's reading `sem`: all-of when
    /// its description says every listed scope is needed, else `sem`.
    pub fn semantics(&self, sem: crate::solver::Semantics) -> crate::solver::Semantics {
        if self.all_of {
            crate::solver::Semantics::AllOf
        } else {
            sem
        }
    }

    pub fn auth(&self, kind: AuthKind) -> &[Vec<ScopeId>] {
        match kind {
            AuthKind::User => &self.user_auth,
            AuthKind::App => &self.app_auth,
        }
    }

    /// The user levels that matter for the grant: the list minus the `API` pseudo-level.
    pub fn effective_levels(&self) -> impl Iterator<Item = &str> {
        self.user_levels
            .iter()
            .map(|l| l.as_ref())
            .filter(|l| !l.eq_ignore_ascii_case("API"))
    }

    /// `Any` or `USER`: every identity qualifies.
    pub fn any_identity(&self) -> bool {
        self.effective_levels()
            .any(|l| l.eq_ignore_ascii_case("Any") || l == "USER")
    }

    /// No documented user level: only ORG_ADMIN is known to work.
    pub fn levels_undocumented(&self) -> bool {
        self.effective_levels().next().is_none()
    }

    /// Whether v3/beta support ends (after Q1 2027).
    pub fn sunset(&self) -> bool {
        is_sunset_family(&self.family)
    }
}

/// v3 and beta lose support after Q1 2027.
pub fn is_sunset_family(family: &str) -> bool {
    family == "v3" || family == "beta"
}

/// Sort rank of a family: v3, beta, v2024, v2025, ..., then others, per-API last.
pub fn family_rank(family: &str) -> (u32, &str) {
    match family {
        "v3" => (0, family),
        "beta" => (1, family),
        PER_API_FAMILY => (u32::MAX, family),
        f => match f.strip_prefix('v').and_then(|y| y.parse::<u32>().ok()) {
            Some(year) => (year, family),
            None => (u32::MAX - 1, family),
        },
    }
}

/// One source document of a catalog build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceRecord {
    pub file: String,
    pub sha256: String,
    pub operations: usize,
}

/// Where a catalog came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub label: String,
    pub sources: Vec<SourceRecord>,
}

/// The operation catalog.
#[derive(Debug)]
pub struct Catalog {
    pub provenance: Provenance,
    /// Interned scope names; [`ScopeId`] indexes this.
    pub scopes: Vec<String>,
    scope_ids: HashMap<String, ScopeId>,
    pub ops: Vec<Operation>,
    /// Interned requirement lists and level lists (see [`Operation::user_auth_set`]).
    pub alt_sets: Vec<Alternatives>,
    pub level_sets: Vec<Levels>,
    router: OnceLock<route::Router>,
    by_name: OnceLock<HashMap<(Method, Str), OpId>>,
    newest: OnceLock<Vec<Option<OpId>>>,
    families: OnceLock<Vec<String>>,
}

/// An operation before interning (as produced by the spec stage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawOperation {
    pub method: Method,
    pub path: String,
    pub operation_id: String,
    pub family: String,
    pub tag: String,
    pub public: bool,
    pub deprecated: bool,
    pub experimental: bool,
    /// The description says all listed scopes are needed.
    pub all_of: bool,
    pub user_auth: Vec<Vec<String>>,
    pub app_auth: Vec<Vec<String>>,
    pub user_levels: Vec<String>,
}

static EMBEDDED: OnceLock<Catalog> = OnceLock::new();

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> &'static Catalog {
        EMBEDDED.get_or_init(embedded::build)
    }

    /// The label of the embedded catalog, without building the catalog.
    pub fn embedded_label() -> &'static str {
        embedded::label()
    }

    /// Builds a catalog from operations; operations are sorted by family, path and method.
    pub fn from_raw(provenance: Provenance, mut raw: Vec<RawOperation>) -> Catalog {
        raw.sort_by(|a, b| {
            family_rank(&a.family)
                .cmp(&family_rank(&b.family))
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| a.method.cmp(&b.method))
        });
        let mut cat = Catalog::empty(provenance);
        let mut sets = Interner::default();
        for r in raw {
            let user: Vec<Vec<ScopeId>> = r
                .user_auth
                .iter()
                .map(|alt| alt.iter().map(|s| cat.intern(s)).collect())
                .collect();
            let app: Vec<Vec<ScopeId>> = r
                .app_auth
                .iter()
                .map(|alt| alt.iter().map(|s| cat.intern(s)).collect())
                .collect();
            let (user_auth_set, user_auth) = sets.alts(&mut cat, user);
            let (app_auth_set, app_auth) = sets.alts(&mut cat, app);
            let levels: Vec<Str> = r.user_levels.into_iter().map(Cow::Owned).collect();
            let (level_set, user_levels) = sets.levels(&mut cat, levels);
            cat.ops.push(Operation {
                method: r.method,
                path: r.path.into(),
                operation_id: r.operation_id.into(),
                family: r.family.into(),
                tag: r.tag.into(),
                public: r.public,
                deprecated: r.deprecated,
                experimental: r.experimental,
                all_of: r.all_of,
                user_auth,
                app_auth,
                user_levels,
                user_auth_set,
                app_auth_set,
                level_set,
            });
        }
        cat
    }

    pub(crate) fn empty(provenance: Provenance) -> Catalog {
        let mut cat = Catalog {
            provenance,
            scopes: Vec::new(),
            scope_ids: HashMap::new(),
            ops: Vec::new(),
            alt_sets: Vec::new(),
            level_sets: Vec::new(),
            router: OnceLock::new(),
            by_name: OnceLock::new(),
            newest: OnceLock::new(),
            families: OnceLock::new(),
        };
        // sp:scopes:all always has id 0 so every catalog can express "everything".
        cat.intern(ALL_SCOPES);
        cat
    }

    pub(crate) fn intern(&mut self, scope: &str) -> ScopeId {
        if let Some(&id) = self.scope_ids.get(scope) {
            return id;
        }
        let id = ScopeId::try_from(self.scopes.len()).expect("fewer than 65536 scopes");
        self.scopes.push(scope.to_string());
        self.scope_ids.insert(scope.to_string(), id);
        id
    }

    /// The id of `sp:scopes:all` (always present).
    pub fn all_scopes_id(&self) -> ScopeId {
        0
    }

    pub fn scope_id(&self, name: &str) -> Option<ScopeId> {
        self.scope_ids.get(name).copied()
    }

    pub fn scope_name(&self, id: ScopeId) -> &str {
        &self.scopes[id as usize]
    }

    pub fn op(&self, id: OpId) -> &Operation {
        &self.ops[id]
    }

    /// Looks an operation up by `METHOD /full/path` (exact template).
    pub fn by_name(&self, method: Method, path: &str) -> Option<OpId> {
        self.by_name
            .get_or_init(|| {
                self.ops
                    .iter()
                    .enumerate()
                    .map(|(i, o)| ((o.method, o.path.clone()), i))
                    .collect()
            })
            .get(&(method, Cow::Owned(path.to_string())))
            .copied()
    }

    /// Every operation whose operationId is `id` (operationIds repeat across families).
    pub fn by_operation_id(&self, id: &str) -> Vec<OpId> {
        let mut v: Vec<OpId> = (0..self.ops.len())
            .filter(|&i| self.ops[i].operation_id == id)
            .collect();
        if v.is_empty() {
            v = (0..self.ops.len())
                .filter(|&i| self.ops[i].operation_id.eq_ignore_ascii_case(id))
                .collect();
        }
        v
    }

    /// The router that maps concrete calls to operations.
    pub fn router(&self) -> &route::Router {
        self.router.get_or_init(|| route::Router::new(self))
    }

    /// All families present, in [`family_rank`] order.
    pub fn families(&self) -> Vec<&str> {
        self.families
            .get_or_init(|| {
                let mut f: Vec<&str> = self.ops.iter().map(|o| o.family.as_ref()).collect();
                f.sort_by_key(|x| family_rank(x));
                f.dedup();
                f.into_iter().map(str::to_string).collect()
            })
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Scope names of a requirement list, for display.
    pub fn alternatives(&self, alts: &[Vec<ScopeId>]) -> Vec<Vec<&str>> {
        alts.iter()
            .map(|a| a.iter().map(|&s| self.scope_name(s)).collect())
            .collect()
    }

    /// All distinct scopes acceptable for `op` with `kind`, in first-seen order.
    pub fn acceptable_scopes(&self, op: OpId, kind: AuthKind) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for alt in self.ops[op].auth(kind) {
            for &s in alt {
                let n = self.scope_name(s);
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// The same operation in the newest family that has it (by operationId, or by the path
    /// after the family prefix), when that family is newer. Used to suggest a migration target.
    /// Computed for the whole catalog once.
    pub fn newest_equivalent(&self, op: OpId) -> Option<OpId> {
        self.newest.get_or_init(|| {
            // Best (newest, not deprecated) versioned operation per key.
            let mut best: HashMap<(Method, &str), OpId> = HashMap::new();
            let mut by_id: HashMap<(Method, &str), OpId> = HashMap::new();
            fn consider<'a>(
                ops: &[Operation],
                map: &mut HashMap<(Method, &'a str), OpId>,
                key: (Method, &'a str),
                i: OpId,
            ) {
                let better = map
                    .get(&key)
                    .is_none_or(|&b| family_rank(&ops[b].family) < family_rank(&ops[i].family));
                if better {
                    map.insert(key, i);
                }
            }
            for (i, c) in self.ops.iter().enumerate() {
                if c.family == PER_API_FAMILY || c.deprecated {
                    continue;
                }
                let rest = strip_family_prefix(&c.path, &c.family);
                consider(&self.ops, &mut best, (c.method, rest), i);
                consider(
                    &self.ops,
                    &mut by_id,
                    (c.method, c.operation_id.as_ref()),
                    i,
                );
            }
            self.ops
                .iter()
                .map(|o| {
                    let a = best.get(&(o.method, strip_family_prefix(&o.path, &o.family)));
                    let b = by_id.get(&(o.method, o.operation_id.as_ref()));
                    let cand = match (a, b) {
                        (Some(&x), Some(&y)) => Some(
                            if family_rank(&self.ops[x].family) >= family_rank(&self.ops[y].family)
                            {
                                x
                            } else {
                                y
                            },
                        ),
                        (Some(&x), None) | (None, Some(&x)) => Some(x),
                        (None, None) => None,
                    };
                    cand.filter(|&c| {
                        o.family != PER_API_FAMILY
                            && family_rank(&self.ops[c].family) > family_rank(&o.family)
                    })
                })
                .collect()
        })[op]
    }
}

/// Interns requirement and level lists while a catalog is built.
#[derive(Default)]
pub(crate) struct Interner {
    alts: HashMap<Vec<Vec<ScopeId>>, u32>,
    levels: HashMap<Vec<Str>, u32>,
}

impl Interner {
    pub(crate) fn alts(
        &mut self,
        cat: &mut Catalog,
        alts: Vec<Vec<ScopeId>>,
    ) -> (u32, Alternatives) {
        if let Some(&id) = self.alts.get(&alts) {
            return (id, cat.alt_sets[id as usize].clone());
        }
        let id = cat.alt_sets.len() as u32;
        let arc: Alternatives = alts.clone().into();
        cat.alt_sets.push(arc.clone());
        self.alts.insert(alts, id);
        (id, arc)
    }

    pub(crate) fn levels(&mut self, cat: &mut Catalog, levels: Vec<Str>) -> (u32, Levels) {
        if let Some(&id) = self.levels.get(&levels) {
            return (id, cat.level_sets[id as usize].clone());
        }
        let id = cat.level_sets.len() as u32;
        let arc: Levels = levels.clone().into();
        cat.level_sets.push(arc.clone());
        self.levels.insert(levels, id);
        (id, arc)
    }
}

/// `/v3/sources/{id}` with family `v3` → `/sources/{id}`.
pub fn strip_family_prefix<'a>(path: &'a str, family: &str) -> &'a str {
    if family == PER_API_FAMILY {
        return path;
    }
    path.strip_prefix('/')
        .and_then(|p| p.strip_prefix(family))
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_parses_and_has_every_family() {
        let c = Catalog::embedded();
        assert_eq!(
            c.families(),
            vec!["v3", "beta", "v2024", "v2025", "v2026", PER_API_FAMILY]
        );
        let counted: usize = c.provenance.sources.iter().map(|s| s.operations).sum();
        assert_eq!(counted, c.ops.len());
        assert_eq!(c.scope_name(c.all_scopes_id()), ALL_SCOPES);
    }

    #[test]
    fn embedded_tables_equal_the_committed_catalog_text() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/catalog.tsv"))
                .unwrap();
        let parsed = format::parse(&text).unwrap();
        let emb = Catalog::embedded();
        assert_eq!(parsed.provenance, emb.provenance);
        assert_eq!(parsed.scopes, emb.scopes);
        assert_eq!(parsed.ops, emb.ops);
        assert_eq!(format::write(emb), text);
    }

    #[test]
    fn method_parse_is_case_insensitive() {
        assert_eq!(Method::parse("get"), Some(Method::Get));
        assert_eq!(Method::parse("PaTcH"), Some(Method::Patch));
        assert_eq!(Method::parse("FETCH"), None);
        assert!(Method::Options.is_read() && !Method::Delete.is_read());
    }

    #[test]
    fn newest_equivalent_of_v3_source_is_v2026() {
        let c = Catalog::embedded();
        let v3 = c.by_name(Method::Get, "/v3/sources/{id}").unwrap();
        let n = c.newest_equivalent(v3).unwrap();
        assert_eq!(c.op(n).name(), "GET /v2026/sources/{id}");
    }
}
