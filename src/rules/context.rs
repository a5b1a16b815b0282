//! What rules read: the calls, each credential with the calls that run with it and its
//! minimal grant, the catalog and the solver.

use crate::catalog::route::{is_legacy, path_segments};
use crate::catalog::{ALL_SCOPES, AuthKind, Catalog, OpId, ScopeId};
use crate::discover::{FoundCall, Via};
use crate::manifest::{CredentialKind, Loaded, Resolved};
use crate::solver::{Bitset, Requirements, Semantics, Solver};
use std::collections::BTreeMap;

/// One credential of the manifest, with what the code needs of it.
#[derive(Clone, Debug)]
pub struct CredView {
    /// Index in the manifest's `credentials`.
    pub index: usize,
    pub name: String,
    pub kind: CredentialKind,
    /// `userAuth` for PATs, `applicationAuth` for OAuth clients.
    pub auth: AuthKind,
    /// Granted scopes (`sp:scopes:all` when the manifest omits them).
    pub granted: Vec<ScopeId>,
    /// The manifest lists `scopes` (else SailPoint's default, `sp:scopes:all`, applies).
    pub scopes_listed: bool,
    /// The owner's user levels (PATs).
    pub levels: Vec<String>,
    /// The manifest gives the owner's levels.
    pub levels_listed: bool,
    /// `owner.service_account`: `None` when the manifest does not say.
    pub service_account: Option<bool>,
    /// Calls (indices into [`Context::calls`]) that run with this credential.
    pub calls: Vec<usize>,
    /// Calls listed in the manifest: operation and the entry's span.
    pub extra: Vec<(OpId, (usize, usize))>,
    /// Every operation the credential needs (sorted, distinct).
    pub ops: Vec<OpId>,
    /// The minimal grant for `ops` (for a legacy call: `sp:scopes:all` and ORG_ADMIN).
    pub minimal: Requirements,
    /// Some call could not be settled or is in no spec: the minimal grant may be short.
    pub incomplete: bool,
    /// Some call uses a legacy private API: only `sp:scopes:all` works.
    pub legacy: bool,
}

impl CredView {
    /// Scope names of the minimal grant for this credential's kind.
    pub fn minimal_scopes(&self) -> &[ScopeId] {
        match self.auth {
            AuthKind::User => &self.minimal.pat_scopes.scopes,
            AuthKind::App => &self.minimal.client.scopes,
        }
    }

    pub fn minimal_unlocked(&self) -> &Bitset {
        match self.auth {
            AuthKind::User => &self.minimal.pat_scopes.unlocked,
            AuthKind::App => &self.minimal.client.unlocked,
        }
    }
}

/// Everything a rule may read.
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub solver: &'a Solver<'a>,
    pub semantics: Semantics,
    pub calls: &'a [FoundCall],
    pub manifest: Option<&'a Loaded>,
    pub creds: Vec<CredView>,
    /// Calls under no credential's `paths` (only when the manifest has credentials).
    pub unattributed: Vec<usize>,
    /// Source texts of the scanned files by path (as in [`FoundCall::file`]).
    pub sources: &'a BTreeMap<String, String>,
    /// Operations assumed verified (`assume`).
    pub assumed: Vec<OpId>,
    /// The minimal grant for every call of the project (the summary without a manifest).
    pub project: Requirements,
    /// Prefix that turns a call's file path into a path relative to the manifest's folder.
    pub manifest_prefix: String,
    /// The tenant audit (`isc-scope-lint tenant`); `None` for `check`. The `tenant-*` rules
    /// read only this.
    pub tenant: Option<&'a crate::tenant::Audit>,
}

impl<'a> Context<'a> {
    /// A call's file relative to the manifest's folder (what `paths` globs match).
    pub fn manifest_rel(&self, file: &str) -> String {
        format!("{}{file}", self.manifest_prefix)
    }

    pub fn scope_names(&self, ids: &[ScopeId]) -> Vec<&'a str> {
        ids.iter().map(|&s| self.catalog.scope_name(s)).collect()
    }

    /// Where a call is.
    pub fn call_loc(&self, i: usize) -> super::Location {
        let c = &self.calls[i];
        super::Location::Code {
            file: c.file.clone(),
            line: c.line,
            column: c.column,
        }
    }

    /// A manifest span as a location.
    pub fn manifest_loc(&self, (offset, length): (usize, usize)) -> super::Location {
        super::Location::Manifest { offset, length }
    }

    /// `METHOD /path` of an operation.
    pub fn op_name(&self, op: OpId) -> String {
        self.catalog.op(op).name()
    }

    /// `N operations (W writes)` of a set.
    pub fn radius(&self, b: &Bitset) -> String {
        format!(
            "{} operations ({} writes)",
            b.count(),
            b.count_and(self.solver.user.write_mask())
        )
    }

    /// The calls of a credential with their operations.
    pub fn cred_calls<'c>(&'c self, c: &'c CredView) -> impl Iterator<Item = (usize, OpId)> + 'c {
        c.calls
            .iter()
            .filter_map(|&i| self.calls[i].op.map(|o| (i, o)))
    }

    /// The manifest span of a credential's key (or the credential itself).
    pub fn cred_span(&self, c: &CredView, path: &[&str]) -> (usize, usize) {
        let Some(m) = self.manifest else {
            return (0, 0);
        };
        let Some(mut node) = m.credential_node(c.index) else {
            return (0, m.text.len().min(1));
        };
        let base = node.get("name").map_or(node.span(), |n| n.span());
        if path.is_empty() {
            return base;
        }
        for p in path {
            match node.get(p) {
                Some(n) => node = n,
                None => return base,
            }
        }
        node.span()
    }

    /// The span of a list item of a credential (`scopes`, `owner.user_levels`).
    pub fn cred_item_span(&self, c: &CredView, path: &[&str], item: &str) -> (usize, usize) {
        let Some(m) = self.manifest else {
            return (0, 0);
        };
        let mut node = m.credential_node(c.index);
        for p in path {
            node = node.and_then(|n| n.get(p));
        }
        match node.and_then(|n| {
            n.items()
                .iter()
                .find(|i| i.scalar().map(str::trim) == Some(item))
        }) {
            Some(i) => i.span(),
            None => self.cred_span(c, path),
        }
    }
}

/// Whether a call is a legacy private API.
pub fn is_legacy_call(c: &FoundCall) -> bool {
    c.path
        .as_deref()
        .is_some_and(|p| is_legacy(&path_segments(p)))
}

/// Whether a call names a path in no spec (resolved, not legacy, not auth, no operation).
pub fn is_unknown_endpoint(c: &FoundCall) -> bool {
    c.resolved && c.op.is_none() && c.via != Via::Auth && c.path.is_some() && !is_legacy_call(c)
}

/// Builds the context: attributes calls to credentials by their `paths` globs (explicit
/// globs claim their files; credentials without `paths` take the rest) and solves each
/// credential's minimal grant.
#[allow(clippy::too_many_arguments)]
pub fn build<'a>(
    catalog: &'a Catalog,
    solver: &'a Solver<'a>,
    semantics: Semantics,
    calls: &'a [FoundCall],
    manifest: Option<&'a Loaded>,
    resolved: &Resolved,
    sources: &'a BTreeMap<String, String>,
    manifest_prefix: &str,
) -> Context<'a> {
    let all = catalog.all_scopes_id();
    let mut creds = Vec::new();
    let mut unattributed = Vec::new();
    if let Some(m) = manifest {
        let globs: Vec<Option<globset::GlobSet>> = m
            .manifest
            .credentials
            .iter()
            .map(|c| {
                c.paths.as_ref().map(|ps| {
                    let mut b = globset::GlobSetBuilder::new();
                    for p in ps {
                        if let Ok(g) = globset::Glob::new(p) {
                            b.add(g);
                        }
                    }
                    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
                })
            })
            .collect();
        let mut owned: Vec<Vec<usize>> = vec![Vec::new(); globs.len()];
        for (ci, call) in calls.iter().enumerate() {
            if call.via == Via::Auth {
                continue;
            }
            let rel = format!("{manifest_prefix}{}", call.file);
            let explicit: Vec<usize> = globs
                .iter()
                .enumerate()
                .filter(|(_, g)| g.as_ref().is_some_and(|g| g.is_match(&rel)))
                .map(|(k, _)| k)
                .collect();
            let owners: Vec<usize> = if explicit.is_empty() {
                globs
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.is_none())
                    .map(|(k, _)| k)
                    .collect()
            } else {
                explicit
            };
            if owners.is_empty() && !globs.is_empty() {
                unattributed.push(ci);
            }
            for k in owners {
                owned[k].push(ci);
            }
        }
        for (i, c) in m.manifest.credentials.iter().enumerate() {
            let auth = match c.kind {
                CredentialKind::Pat | CredentialKind::UserToken => AuthKind::User,
                CredentialKind::OauthClient => AuthKind::App,
            };
            let granted: Vec<ScopeId> = match &c.scopes {
                Some(s) => s
                    .iter()
                    .filter_map(|x| catalog.scope_id(x.trim()))
                    .collect(),
                None => vec![all],
            };
            let extra = resolved.calls.get(i).cloned().unwrap_or_default();
            let mut ops: Vec<OpId> = owned[i].iter().filter_map(|&k| calls[k].op).collect();
            ops.extend(extra.iter().map(|(o, _)| *o));
            ops.sort_unstable();
            ops.dedup();
            let incomplete = owned[i]
                .iter()
                .any(|&k| !calls[k].resolved || is_unknown_endpoint(&calls[k]));
            let legacy = owned[i].iter().any(|&k| is_legacy_call(&calls[k]));
            let minimal = solver.solve_calls(&ops, legacy, semantics);
            let (levels, levels_listed, service_account) = match &c.owner {
                Some(o) => (o.user_levels.clone(), true, o.service_account),
                None => (Vec::new(), false, None),
            };
            creds.push(CredView {
                index: i,
                name: c.name.clone(),
                kind: c.kind,
                auth,
                granted,
                scopes_listed: c.scopes.is_some(),
                levels,
                levels_listed,
                service_account,
                calls: owned[i].clone(),
                extra,
                ops,
                minimal,
                incomplete,
                legacy,
            });
        }
    }
    let mut ops: Vec<OpId> = calls.iter().filter_map(|c| c.op).collect();
    ops.sort_unstable();
    ops.dedup();
    let project = solver.solve_calls(&ops, calls.iter().any(is_legacy_call), semantics);
    Context {
        catalog,
        solver,
        semantics,
        calls,
        manifest,
        creds,
        unattributed,
        sources,
        assumed: resolved.assume.iter().map(|(o, _)| *o).collect(),
        project,
        manifest_prefix: manifest_prefix.to_string(),
        tenant: None,
    }
}

/// `sp:scopes:all` by name.
pub fn is_all(name: &str) -> bool {
    name == ALL_SCOPES
}
