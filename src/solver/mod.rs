//! The requirements stage: from a set of operations to the minimal grant — scopes and owner
//! user levels for a PAT, scopes for client credentials — exactly, by branch and bound over
//! precomputed bitsets.

pub mod bitset;
pub mod levels;
pub mod scopes;
mod search;

pub use bitset::Bitset;
pub use levels::{LevelGrant, LevelIndex};
pub use scopes::{ScopeGrant, ScopeIndex, Semantics};

use crate::catalog::{AuthKind, Catalog, OpId};
use std::collections::HashMap;

/// Everything the solver says about one set of operations.
#[derive(Clone, Debug)]
pub struct Requirements {
    pub semantics: Semantics,
    /// Operations of the query (deduplicated, sorted).
    pub ops: Vec<OpId>,
    pub pat_scopes: ScopeGrant,
    pub pat_levels: LevelGrant,
    pub client: ScopeGrant,
    /// Some call of the query is a legacy private API (in no public spec): the grant is
    /// forced to `sp:scopes:all`, and the owner level it needs is unknown (only ORG_ADMIN is
    /// known to work). See [`Solver::solve_calls`].
    pub legacy: bool,
}

impl Requirements {
    /// Every grant is proven minimal (false when the search's effort budget ran out and a
    /// greedy grant that works was taken instead).
    pub fn exact(&self) -> bool {
        self.pat_scopes.exact && self.pat_levels.exact && self.client.exact
    }
}

/// What every output says of a grant the solver could not prove minimal.
pub const NOT_PROVEN: &str = "not proven minimal: the solver's effort budget ran out on this query, so this is a greedy grant that lets every call through; a narrower one may exist";

/// The indexes the solver needs for one catalog; build once, solve many times.
#[derive(Debug)]
pub struct Solver<'c> {
    pub catalog: &'c Catalog,
    pub user: ScopeIndex,
    pub app: ScopeIndex,
    pub levels: LevelIndex,
}

impl<'c> Solver<'c> {
    pub fn new(catalog: &'c Catalog) -> Solver<'c> {
        Solver::with_overrides(catalog, &HashMap::new())
    }

    /// `level_overrides`: verified user levels for operations (the manifest's `assume`).
    pub fn with_overrides(
        catalog: &'c Catalog,
        level_overrides: &HashMap<OpId, Vec<String>>,
    ) -> Solver<'c> {
        Solver {
            catalog,
            user: ScopeIndex::new(catalog, AuthKind::User),
            app: ScopeIndex::new(catalog, AuthKind::App),
            levels: LevelIndex::new(catalog, level_overrides),
        }
    }

    pub fn scope_index(&self, kind: AuthKind) -> &ScopeIndex {
        match kind {
            AuthKind::User => &self.user,
            AuthKind::App => &self.app,
        }
    }

    pub fn solve(&self, ops: &[OpId], semantics: Semantics) -> Requirements {
        let mut q = ops.to_vec();
        q.sort_unstable();
        q.dedup();
        Requirements {
            semantics,
            pat_scopes: self.user.minimal(self.catalog, &q, semantics),
            pat_levels: self.levels.minimal(&q),
            client: self.app.minimal(self.catalog, &q, semantics),
            ops: q,
            legacy: false,
        }
    }

    /// The one rule every command applies to a set of calls: the minimal grant of their
    /// operations, forced to `sp:scopes:all` with ORG_ADMIN when `legacy` (some call is a
    /// legacy private API, `/cc/api` or `/v2`: in no public spec, so only `sp:scopes:all` is
    /// known to work, and the owner level it needs is unknown — only ORG_ADMIN is known to
    /// work). Client credentials stay possible only as far as the documented calls allow,
    /// with `sp:scopes:all` too.
    pub fn solve_calls(&self, ops: &[OpId], legacy: bool, semantics: Semantics) -> Requirements {
        let mut r = self.solve(ops, semantics);
        if legacy {
            let all = self.catalog.all_scopes_id();
            r.pat_scopes.scopes = vec![all];
            r.pat_scopes.unlocked = self.user.unlocked(&[all], semantics);
            r.pat_levels.levels = vec![levels::ORG_ADMIN.to_string()];
            r.pat_levels.unlocked = self.levels.unlocked(&r.pat_levels.levels);
            if r.client.possible {
                r.client.scopes = vec![all];
                r.client.unlocked = self.app.unlocked(&[all], semantics);
            }
            r.legacy = true;
        }
        r
    }

    /// The operations of `r` that have no narrower alternative to `sp:scopes:all` for a token
    /// of `kind`: every requirement object they list holds it (under their reading). These
    /// force it; the others would do with narrower scopes.
    pub fn forcing_all_scopes(&self, r: &Requirements, kind: AuthKind) -> Vec<OpId> {
        let all = self.catalog.all_scopes_id();
        r.ops
            .iter()
            .copied()
            .filter(|&op| {
                let o = self.catalog.op(op);
                let alts = o.auth(kind);
                !o.public
                    && !alts.is_empty()
                    && match o.semantics(r.semantics) {
                        Semantics::AnyOf => alts.iter().flatten().all(|&s| s == all),
                        Semantics::AllOf => alts.iter().all(|a| a.contains(&all)),
                    }
            })
            .collect()
    }

    /// The operations of `r` that only ORG_ADMIN is known to let through (their spec names
    /// no other level, or none at all): they force ORG_ADMIN.
    pub fn forcing_org_admin(&self, r: &Requirements) -> Vec<OpId> {
        r.ops
            .iter()
            .copied()
            .filter(|&op| self.levels.forces_org_admin(op))
            .collect()
    }

    /// Blast radius of a PAT: operations both its scopes and its owner's levels allow.
    pub fn pat_blast_radius(&self, scopes: &Bitset, levels: &Bitset) -> (usize, usize) {
        let mut both = scopes.clone();
        both.intersect_with(levels);
        (both.count_and(self.user.write_mask()), both.count())
    }
}
