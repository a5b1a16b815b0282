//! Minimal scope sets for PATs (`userAuth`) and client credentials (`applicationAuth`).

use super::bitset::Bitset;
use super::search::{self, Model};
use crate::catalog::{AuthKind, Catalog, OpId, ScopeId};
use std::collections::HashMap;

/// How the scopes of one security requirement object combine.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Semantics {
    /// SailPoint's documented reading: any one listed scope suffices.
    #[default]
    AnyOf,
    /// The literal OpenAPI reading: every scope of one requirement object is needed.
    AllOf,
}

impl Semantics {
    pub fn as_str(self) -> &'static str {
        match self {
            Semantics::AnyOf => "any-of",
            Semantics::AllOf => "all-of",
        }
    }
}

/// Whether a token of `kind` holding `scopes` can call `op` — straight from the contract:
/// public, or `sp:scopes:all` (for client credentials only where the operation accepts
/// applicationAuth at all), or one acceptable scope (any-of) / every scope of one requirement
/// object (all-of, also under any-of for an operation whose description says so).
pub fn can_call(
    cat: &Catalog,
    op: OpId,
    scopes: &[ScopeId],
    kind: AuthKind,
    sem: Semantics,
) -> bool {
    let o = cat.op(op);
    if o.public {
        return true;
    }
    let alts = o.auth(kind);
    if scopes.contains(&cat.all_scopes_id()) && (kind == AuthKind::User || !alts.is_empty()) {
        return true;
    }
    match o.semantics(sem) {
        Semantics::AnyOf => alts.iter().flatten().any(|s| scopes.contains(s)),
        Semantics::AllOf => alts.iter().any(|r| r.iter().all(|s| scopes.contains(s))),
    }
}

/// The scopes of `held` through which `op` is callable (what makes each scope needed).
pub fn enabling_scopes(
    cat: &Catalog,
    op: OpId,
    held: &[ScopeId],
    kind: AuthKind,
    sem: Semantics,
) -> Vec<ScopeId> {
    let o = cat.op(op);
    let all = cat.all_scopes_id();
    let mut out: Vec<ScopeId> = Vec::new();
    match o.semantics(sem) {
        Semantics::AnyOf => {
            for s in o.auth(kind).iter().flatten() {
                if held.contains(s) && !out.contains(s) {
                    out.push(*s);
                }
            }
        }
        Semantics::AllOf => {
            for r in o.auth(kind) {
                if r.iter().all(|s| held.contains(s)) {
                    for s in r {
                        if !out.contains(s) {
                            out.push(*s);
                        }
                    }
                }
            }
        }
    }
    if out.is_empty() && held.contains(&all) && (kind == AuthKind::User || !o.auth(kind).is_empty())
    {
        out.push(all);
    }
    out
}

/// One distinct requirement object and the operations that list it.
#[derive(Debug)]
struct Req {
    scopes: Vec<ScopeId>,
    ops: Bitset,
    /// The operations of `ops` read all-of even under any-of ([`crate::catalog::Operation::all_of`]).
    strict: Bitset,
}

/// Precomputed bitsets of one auth kind over the whole catalog.
#[derive(Debug)]
pub struct ScopeIndex {
    kind: AuthKind,
    n_scopes: usize,
    write: Bitset,
    public: Bitset,
    reqs: Vec<Req>,
    reqs_by_scope: Vec<Vec<u32>>,
    /// Every operation with a requirement naming the scope (what it helps unlock).
    reach: Vec<Bitset>,
    /// Any-of: operations a single scope unlocks (all-of operations with a requirement of
    /// several scopes left out: see `strict_by_scope`).
    single: Vec<Bitset>,
    /// Any-of: requirements of several scopes listed by all-of operations, per scope.
    strict_by_scope: Vec<Vec<u32>>,
    names: Vec<String>,
    /// `sp:scopes:all`.
    all: u16,
}

impl ScopeIndex {
    pub fn new(cat: &Catalog, kind: AuthKind) -> ScopeIndex {
        let n = cat.ops.len();
        let n_scopes = cat.scopes.len();
        let mut write = Bitset::new(n);
        let mut public = Bitset::new(n);
        let mut reqs: Vec<Req> = Vec::new();
        let mut by_key: HashMap<Vec<ScopeId>, usize> = HashMap::new();
        // `sp:scopes:all` as a requirement of its own.
        let all = cat.all_scopes_id();
        let mut all_ops = Bitset::new(n);
        // Requirement ids per interned requirement list, computed once per distinct list.
        let mut set_reqs: Vec<Option<Vec<usize>>> = vec![None; cat.alt_sets.len()];
        for (i, o) in cat.ops.iter().enumerate() {
            if o.is_write() {
                write.insert(i);
            }
            if o.public {
                public.insert(i);
            }
            if kind == AuthKind::User || !o.auth(kind).is_empty() {
                all_ops.insert(i);
            }
            let sid = match kind {
                AuthKind::User => o.user_auth_set,
                AuthKind::App => o.app_auth_set,
            } as usize;
            let ids = set_reqs[sid].get_or_insert_with(|| {
                o.auth(kind)
                    .iter()
                    .map(|r| {
                        let mut key = r.clone();
                        key.sort_unstable();
                        key.dedup();
                        *by_key.entry(key.clone()).or_insert_with(|| {
                            reqs.push(Req {
                                scopes: key,
                                ops: Bitset::new(n),
                                strict: Bitset::new(n),
                            });
                            reqs.len() - 1
                        })
                    })
                    .collect()
            });
            for &r in ids.iter() {
                reqs[r].ops.insert(i);
                if o.all_of {
                    reqs[r].strict.insert(i);
                }
            }
        }
        match by_key.get(&vec![all]) {
            Some(&id) => reqs[id].ops.union_with(&all_ops),
            None => reqs.push(Req {
                scopes: vec![all],
                ops: all_ops,
                strict: Bitset::new(n),
            }),
        }
        let mut reqs_by_scope = vec![Vec::new(); n_scopes];
        let mut strict_by_scope = vec![Vec::new(); n_scopes];
        let mut reach = vec![Bitset::new(n); n_scopes];
        let mut single = vec![Bitset::new(n); n_scopes];
        for (ri, r) in reqs.iter().enumerate() {
            // A requirement of one scope is the same under both readings.
            let strict = r.scopes.len() > 1 && !r.strict.is_empty();
            let mut loose = r.ops.clone();
            if strict {
                for i in r.strict.iter() {
                    loose.remove(i);
                }
            }
            for &s in &r.scopes {
                reqs_by_scope[s as usize].push(ri as u32);
                reach[s as usize].union_with(&r.ops);
                single[s as usize].union_with(&loose);
                if strict {
                    strict_by_scope[s as usize].push(ri as u32);
                }
            }
        }
        ScopeIndex {
            kind,
            n_scopes,
            write,
            public,
            reqs,
            reqs_by_scope,
            reach,
            single,
            strict_by_scope,
            names: cat.scopes.clone(),
            all,
        }
    }

    pub fn kind(&self) -> AuthKind {
        self.kind
    }

    pub fn write_mask(&self) -> &Bitset {
        &self.write
    }

    /// The operations (of the whole catalog) that `scopes` can call.
    pub fn unlocked(&self, scopes: &[ScopeId], sem: Semantics) -> Bitset {
        let model = ScopeModel { idx: self, sem };
        let mut set = Bitset::new(self.n_scopes);
        for &s in scopes {
            set.insert(s as usize);
        }
        model.extend(&model.base(), &set, scopes)
    }

    /// The minimal scope set for the operations `q` (see the contract in the README).
    pub fn minimal(&self, cat: &Catalog, q: &[OpId], sem: Semantics) -> ScopeGrant {
        let all = cat.all_scopes_id();
        let mut blocked = Vec::new();
        let mut constraints = Vec::new();
        // Operations with the same requirement list give the same constraint: build it once.
        let mut seen_sets = std::collections::HashSet::new();
        for &op in q {
            let o = cat.op(op);
            if o.public {
                continue;
            }
            let alts = o.auth(self.kind);
            if self.kind == AuthKind::App && alts.is_empty() {
                blocked.push(op);
                continue;
            }
            let set = match self.kind {
                AuthKind::User => o.user_auth_set,
                AuthKind::App => o.app_auth_set,
            };
            if !seen_sets.insert((set, o.all_of)) {
                continue;
            }
            let mut options: Vec<Vec<u16>> = match o.semantics(sem) {
                Semantics::AnyOf => alts.iter().flatten().map(|&s| vec![s]).collect(),
                Semantics::AllOf => alts.to_vec(),
            };
            options.push(vec![all]);
            constraints.push(options);
        }
        blocked.sort_unstable();
        blocked.dedup();
        if !blocked.is_empty() {
            return ScopeGrant {
                possible: false,
                scopes: Vec::new(),
                unlocked: Bitset::new(cat.ops.len()),
                blocked,
                exact: true,
            };
        }
        let model = ScopeModel { idx: self, sem };
        let sol =
            search::solve(&model, constraints).expect("`sp:scopes:all` satisfies every constraint");
        ScopeGrant {
            possible: true,
            scopes: sol.items,
            unlocked: sol.unlocked,
            blocked,
            exact: sol.exact,
        }
    }
}

/// A minimal scope grant.
#[derive(Clone, Debug)]
pub struct ScopeGrant {
    /// False when some operation cannot be called with this kind of token at all.
    pub possible: bool,
    /// Sorted by name.
    pub scopes: Vec<ScopeId>,
    /// Operations of the whole catalog the grant unlocks.
    pub unlocked: Bitset,
    /// Operations that no scope of this kind can call (client credentials without
    /// applicationAuth).
    pub blocked: Vec<OpId>,
    /// Proven minimal. False when the solver's effort budget ran out: `scopes` then still
    /// let every call through, but a narrower set may exist (see `solver::search`).
    pub exact: bool,
}

struct ScopeModel<'a> {
    idx: &'a ScopeIndex,
    sem: Semantics,
}

impl Model for ScopeModel<'_> {
    fn items(&self) -> usize {
        self.idx.n_scopes
    }

    fn write_mask(&self) -> &Bitset {
        &self.idx.write
    }

    fn base(&self) -> Bitset {
        self.idx.public.clone()
    }

    fn extend(&self, unlocked: &Bitset, set: &Bitset, added: &[u16]) -> Bitset {
        let mut u = unlocked.clone();
        match self.sem {
            Semantics::AnyOf => {
                for &s in added {
                    u.union_with(&self.idx.single[s as usize]);
                    // All-of operations: only once every scope of a requirement is held.
                    for &r in &self.idx.strict_by_scope[s as usize] {
                        let req = &self.idx.reqs[r as usize];
                        if req.scopes.iter().all(|&x| set.contains(x as usize)) {
                            u.union_with(&req.strict);
                        }
                    }
                }
            }
            Semantics::AllOf => {
                for &s in added {
                    for &r in &self.idx.reqs_by_scope[s as usize] {
                        let req = &self.idx.reqs[r as usize];
                        if req.scopes.iter().all(|&x| set.contains(x as usize)) {
                            u.union_with(&req.ops);
                        }
                    }
                }
            }
        }
        u
    }

    fn extend_counts(&self, unlocked: &Bitset, set: &Bitset, added: &[u16]) -> (usize, usize) {
        if let (Semantics::AnyOf, [s]) = (self.sem, added)
            && self.idx.strict_by_scope[*s as usize].is_empty()
        {
            return unlocked.union_counts(&self.idx.single[*s as usize], &self.idx.write);
        }
        let u = self.extend(unlocked, set, added);
        (u.count_and(&self.idx.write), u.count())
    }

    fn name(&self, item: u16) -> &str {
        &self.idx.names[item as usize]
    }

    fn reach(&self, item: u16) -> &Bitset {
        // Every operation with a requirement naming the scope: what it unlocks alone (any-of)
        // or together with others (all-of).
        &self.idx.reach[item as usize]
    }

    fn universal(&self) -> u16 {
        self.idx.all
    }
}

/// The writes among `ops` that `held` authorises through read scopes only (every scope of
/// `held` that lets the write through ends in `:read`) and only thanks to the any-of reading
/// (all-of would refuse them): each with those read scopes. Empty under all-of and for
/// operations read all-of by their description; a write whose only listed scope is a read
/// scope (`POST /v3/search`) is no exception to anything and is not listed.
pub fn writes_through_read_scopes(
    cat: &Catalog,
    ops: &[OpId],
    held: &[ScopeId],
    kind: AuthKind,
    sem: Semantics,
) -> Vec<(OpId, Vec<ScopeId>)> {
    let mut out = Vec::new();
    for &op in ops {
        let o = cat.op(op);
        if !o.is_write() || o.public || o.semantics(sem) != Semantics::AnyOf {
            continue;
        }
        let by = enabling_scopes(cat, op, held, kind, sem);
        if !by.is_empty()
            && by.iter().all(|&s| cat.scope_name(s).ends_with(":read"))
            && !can_call(cat, op, held, kind, Semantics::AllOf)
        {
            out.push((op, by));
        }
    }
    out
}

/// The one line every output prints when [`writes_through_read_scopes`] finds writes: it
/// names SailPoint's documented any-of rule and the `--scope-semantics all-of` alternative,
/// so a reviewer sees the grant is deliberate. `None` when there are none.
pub fn read_scope_write_note(
    cat: &Catalog,
    ops: &[OpId],
    held: &[ScopeId],
    kind: AuthKind,
    sem: Semantics,
) -> Option<String> {
    let found = writes_through_read_scopes(cat, ops, held, kind, sem);
    if found.is_empty() {
        return None;
    }
    let mut scopes: Vec<&str> = found
        .iter()
        .flat_map(|(_, s)| s.iter().map(|&x| cat.scope_name(x)))
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    let writes: Vec<String> = found.iter().map(|(o, _)| cat.op(*o).name()).collect();
    Some(format!(
        "{} authorised through the read scope{} {} only: SailPoint documents that a token needs any one of an operation's listed scopes (any-of); `--scope-semantics all-of` would require every listed scope",
        writes.join(", "),
        if scopes.len() == 1 { "" } else { "s" },
        scopes.join(", "),
    ))
}
