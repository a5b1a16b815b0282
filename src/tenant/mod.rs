//! `isc-scope-lint tenant`: the credentials that really exist in a tenant (PATs, OAuth
//! clients, their owners' user levels), joined with the credentials manifests declare and the
//! grants their code needs. The findings are rules (`rules/tenant-*.yaml`) run by the same
//! engine as `check`; they read the [`Audit`] built here.
//!
//! Stages: the inventory ([`inventory`], from exports or [`live`]) and the declarations
//! ([`declared`]: projects or saved reports) → the join ([`Audit::build`]) → the rules →
//! the report ([`report`]; [`html`] for `--format html`).

pub mod declared;
pub mod html;
pub mod inventory;
pub mod live;
pub mod report;
pub mod time;

use crate::catalog::{Catalog, OpId, ScopeId};
use crate::manifest::CredentialKind;
use crate::rules::{self, Finding, Location, engine};
use crate::solver::{Bitset, Requirements, Semantics, Solver};
use declared::{Declarations, Declared};
use inventory::{AuthUser, Inventory, Origin};
use std::collections::{BTreeMap, HashMap};

/// A PAT or an OAuth client of the tenant.
#[derive(Clone, Debug)]
pub struct TenantCred {
    pub kind: CredentialKind,
    pub id: String,
    pub name: String,
    /// `None`: null or empty in the tenant, which means `sp:scopes:all`.
    pub scopes: Option<Vec<String>>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub created: i64,
    pub last_used: Option<i64>,
    /// PATs: the expiration date (`None`: never expires). OAuth clients have none.
    pub expiration: Option<i64>,
    /// SailPoint-managed (`managed: true` PATs, `internal: true` clients): listed apart, never
    /// flagged.
    pub managed: bool,
    pub enabled: bool,
    pub origin: Origin,
}

impl TenantCred {
    /// `PAT `name` (id)`.
    pub fn label(&self) -> String {
        format!("{} `{}` ({})", kind_label(self.kind), self.name, self.id)
    }

    /// Scope names held, `sp:scopes:all` for a null or empty list.
    pub fn scope_names(&self) -> Vec<String> {
        match &self.scopes {
            Some(s) => s.clone(),
            None => vec![crate::catalog::ALL_SCOPES.to_string()],
        }
    }

    /// The subject of a finding about this credential (stable across runs and sources).
    pub fn subject(&self, what: &str) -> String {
        format!("{}:{} {what}", kind_key(self.kind), self.id)
    }
}

pub fn kind_label(k: CredentialKind) -> &'static str {
    match k {
        CredentialKind::Pat => "PAT",
        CredentialKind::OauthClient => "OAuth client",
        // Users' own tokens come from an OAuth client (authorization code).
        CredentialKind::UserToken => "OAuth client (user tokens)",
    }
}

pub fn kind_key(k: CredentialKind) -> &'static str {
    match k {
        CredentialKind::Pat => "pat",
        CredentialKind::OauthClient | CredentialKind::UserToken => "oauth-client",
    }
}

/// How a declared credential met the tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Join {
    /// One tenant credential (index into [`Audit::creds`]).
    Joined(usize),
    /// None; `other_kind`: a credential of the other kind has the id.
    Absent { other_kind: Option<usize> },
    /// Several by name: not guessed.
    Ambiguous(Vec<usize>),
    /// The tenant's list of this kind was not read.
    NotAudited,
}

/// What the users of one tenant credential need together.
#[derive(Clone, Debug)]
pub struct Union {
    pub ops: Vec<OpId>,
    pub req: Requirements,
    pub incomplete: bool,
    pub needs_all: bool,
}

/// The audit: the tenant's credentials, the declared ones, and the join.
pub struct Audit {
    /// PATs then OAuth clients, each by name then id.
    pub creds: Vec<TenantCred>,
    pub have_pats: bool,
    pub have_clients: bool,
    /// Auth users by id (`None`: not read).
    pub users: Option<BTreeMap<String, AuthUser>>,
    pub declared: Vec<Declared>,
    /// Per declared credential.
    pub joins: Vec<Join>,
    /// Per tenant credential: the declared credentials joined to it.
    pub users_of: Vec<Vec<usize>>,
    /// Per tenant credential: a candidate of an ambiguous join (neither shadow nor used).
    pub contested: Vec<bool>,
    /// Per tenant credential with users: their union.
    pub unions: Vec<Option<Union>>,
    /// The day the audit is as of (seconds since the epoch).
    pub as_of: i64,
    pub stale_days: i64,
    pub semantics: Semantics,
}

impl Audit {
    /// Joins the inventory with the declarations and solves each used credential's union.
    pub fn build(
        inv: Inventory,
        decl: Vec<Declared>,
        solver: &Solver,
        settings: &Settings,
    ) -> Audit {
        let Settings {
            semantics,
            as_of,
            stale_days,
        } = *settings;
        let mut creds: Vec<TenantCred> = Vec::new();
        for p in inv.pats.iter().flatten() {
            creds.push(TenantCred {
                kind: CredentialKind::Pat,
                id: p.id.clone(),
                name: p.name.clone(),
                scopes: p.scope.clone(),
                owner_id: p.owner_id.clone(),
                owner_name: p.owner_name.clone(),
                created: p.created,
                last_used: p.last_used,
                expiration: p.expiration,
                managed: p.managed,
                enabled: true,
                origin: p.origin.clone(),
            });
        }
        for c in inv.clients.iter().flatten() {
            creds.push(TenantCred {
                kind: CredentialKind::OauthClient,
                id: c.id.clone(),
                name: c.name.clone(),
                scopes: c.scope.clone(),
                owner_id: None,
                owner_name: None,
                created: c.created,
                last_used: c.last_used,
                expiration: None,
                managed: c.internal,
                enabled: c.enabled,
                origin: c.origin.clone(),
            });
        }
        creds.sort_by(|a, b| {
            (kind_key(a.kind), &a.name, &a.id).cmp(&(kind_key(b.kind), &b.name, &b.id))
        });
        // Indexes: by id, and by (kind, name) over credentials that are not managed.
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, c) in creds.iter().enumerate() {
            by_id.entry(c.id.as_str()).or_default().push(i);
            if !c.managed {
                by_name
                    .entry((kind_key(c.kind), c.name.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        let have = |k: CredentialKind| match k {
            CredentialKind::Pat => inv.pats.is_some(),
            CredentialKind::OauthClient | CredentialKind::UserToken => inv.clients.is_some(),
        };
        let mut joins = Vec::with_capacity(decl.len());
        let mut users_of = vec![Vec::new(); creds.len()];
        let mut contested = vec![false; creds.len()];
        for (di, d) in decl.iter().enumerate() {
            let j = if !have(d.kind) {
                Join::NotAudited
            } else if let Some(id) = d.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                let hits = by_id.get(id).map(Vec::as_slice).unwrap_or(&[]);
                match hits.iter().find(|&&i| creds[i].kind == d.kind) {
                    Some(&i) => Join::Joined(i),
                    None => Join::Absent {
                        other_kind: hits.first().copied(),
                    },
                }
            } else {
                match by_name
                    .get(&(kind_key(d.kind), d.name.as_str()))
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                {
                    [] => Join::Absent { other_kind: None },
                    [i] => Join::Joined(*i),
                    many => Join::Ambiguous(many.to_vec()),
                }
            };
            match &j {
                Join::Joined(i) => users_of[*i].push(di),
                Join::Ambiguous(v) => v.iter().for_each(|&i| contested[i] = true),
                _ => {}
            }
            joins.push(j);
        }
        let unions = users_of
            .iter()
            .map(|u| {
                if u.is_empty() {
                    return None;
                }
                let mut ops: Vec<OpId> = u
                    .iter()
                    .flat_map(|&d| decl[d].ops.iter().copied())
                    .collect();
                ops.sort_unstable();
                ops.dedup();
                let needs_all = u.iter().any(|&d| decl[d].needs_all);
                let req = solver.solve_calls(&ops, needs_all, semantics);
                Some(Union {
                    ops,
                    req,
                    incomplete: u.iter().any(|&d| decl[d].incomplete),
                    needs_all,
                })
            })
            .collect();
        Audit {
            creds,
            have_pats: inv.pats.is_some(),
            have_clients: inv.clients.is_some(),
            users: inv.users,
            declared: decl,
            joins,
            users_of,
            contested,
            unions,
            as_of,
            stale_days,
            semantics,
        }
    }

    /// The owner's auth user of a PAT, when read.
    pub fn owner(&self, c: &TenantCred) -> Option<&AuthUser> {
        self.users.as_ref()?.get(c.owner_id.as_deref()?)
    }

    /// The owner's user levels (`capabilities`), when known.
    pub fn owner_levels(&self, c: &TenantCred) -> Option<Vec<String>> {
        self.owner(c)
            .map(|u| u.capabilities.clone().unwrap_or_default())
    }

    /// Where a finding about a tenant credential points: the manifest of its only user, else
    /// nowhere in particular (the tenant).
    pub fn location(&self, i: usize) -> Location {
        match self.users_of[i].as_slice() {
            [d] => self.declared[*d].location.clone(),
            _ => Location::Project,
        }
    }

    /// `name (source)` of the users of a tenant credential.
    pub fn user_list(&self, i: usize) -> String {
        self.users_of[i]
            .iter()
            .map(|&d| format!("`{}` ({})", self.declared[d].name, self.declared[d].source))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Scope ids of names (names not in the catalog are left out).
    pub fn scope_ids(cat: &Catalog, names: &[String]) -> Vec<ScopeId> {
        names
            .iter()
            .filter_map(|s| cat.scope_id(s.trim()))
            .collect()
    }

    /// Operations a tenant credential can reach: its scopes, and for a PAT its owner's levels
    /// (all levels when unknown).
    pub fn reach(
        &self,
        solver: &Solver,
        c: &TenantCred,
        scopes: &[ScopeId],
        levels: Option<&[String]>,
    ) -> Bitset {
        let auth = auth_of(c.kind);
        let mut u = solver.scope_index(auth).unlocked(scopes, self.semantics);
        if c.kind == CredentialKind::Pat
            && let Some(l) = levels
        {
            u.intersect_with(&solver.levels.unlocked(l));
        }
        u
    }
}

pub fn auth_of(k: CredentialKind) -> crate::catalog::AuthKind {
    match k {
        // A user's own token (authorization code) has user context, as a PAT does.
        CredentialKind::Pat | CredentialKind::UserToken => crate::catalog::AuthKind::User,
        CredentialKind::OauthClient => crate::catalog::AuthKind::App,
    }
}

/// What the audit is asked: the scope semantics, the day it is as of (seconds since the
/// epoch) and the days after which an unused token is stale.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub semantics: Semantics,
    pub as_of: i64,
    pub stale_days: i64,
}

/// The rules' findings for an audit, with each project manifest's path-less `ignore`
/// entries applied (the engine applies inline comments, the baseline and `--min-severity`).
pub fn run_rules(
    audit: &Audit,
    catalog: &Catalog,
    solver: &Solver,
    sources: &BTreeMap<String, String>,
    opts: &engine::Options,
) -> engine::Outcome {
    let calls: Vec<crate::discover::FoundCall> = Vec::new();
    let mut cx = rules::context::build(
        catalog,
        solver,
        audit.semantics,
        &calls,
        None,
        &Default::default(),
        sources,
        "",
    );
    cx.tenant = Some(audit);
    let mut out = engine::run(&cx, opts);
    let tenant_rule = |f: &Finding| f.rule.starts_with("tenant-");
    out.all.retain(tenant_rule);
    out.findings.retain(tenant_rule);
    if !opts.no_ignores {
        let before = out.findings.len();
        let mut ignores: HashMap<&str, &[declared::IgnoreEntry]> = HashMap::new();
        for d in &audit.declared {
            if let Location::Code { file, .. } = &d.location {
                ignores.entry(file.as_str()).or_insert(d.ignores.as_slice());
            }
        }
        out.findings.retain(|f| !manifest_ignores(&ignores, f));
        out.suppressed += before - out.findings.len();
    }
    out
}

/// Whether the manifest a finding points at ignores it (`ignore` entries without `path`).
/// `ignores` maps a manifest's path to its entries (built once: linear in the findings).
fn manifest_ignores(ignores: &HashMap<&str, &[declared::IgnoreEntry]>, f: &Finding) -> bool {
    let Location::Code { file, .. } = &f.location else {
        return false;
    };
    ignores.get(file.as_str()).is_some_and(|entries| {
        entries.iter().any(|(rule, cred)| {
            rule.as_deref().is_none_or(|r| r == f.rule)
                && cred
                    .as_deref()
                    .is_none_or(|c| f.credential.as_deref() == Some(c))
        })
    })
}

/// Everything a tenant run produced.
pub struct Result {
    pub audit: Audit,
    pub outcome: engine::Outcome,
    pub sources: BTreeMap<String, String>,
}

/// Builds the audit from an inventory and declarations and runs the rules.
pub fn audit(
    inv: Inventory,
    decl: Declarations,
    catalog: &Catalog,
    solver: &Solver,
    settings: &Settings,
    opts: &engine::Options,
) -> Result {
    let audit = Audit::build(inv, decl.creds, solver, settings);
    let outcome = run_rules(&audit, catalog, solver, &decl.sources, opts);
    Result {
        audit,
        outcome,
        sources: decl.sources,
    }
}

/// The operations the audit itself calls live (for `--required-grant`).
pub const LIVE_OPERATIONS: [&str; 3] = [
    "GET /v2025/personal-access-tokens",
    "GET /v2025/oauth-clients",
    "GET /v2025/auth-users/{id}",
];
