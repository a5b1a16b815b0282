//! The `scopes` answer: every call with its operation, the minimal PAT grant and why each part
//! is needed, the blast radius, whether client credentials would do, and notes.

use crate::catalog::{ALL_SCOPES, AuthKind, Catalog, OpId, Operation};
use crate::query::ResolvedCall;
use crate::solver::levels::ORG_ADMIN;
use crate::solver::scopes::enabling_scopes;
use crate::solver::{Bitset, Requirements, Semantics, Solver};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Serialize, Debug)]
pub struct ScopesReport {
    pub tool: String,
    pub catalog: String,
    pub scope_semantics: Semantics,
    /// The grants below are proven minimal (false: the solver's effort budget ran out and a
    /// greedy grant that lets every call through is shown; see the note).
    pub minimal_proven: bool,
    pub operations: Vec<OperationEntry>,
    /// Legacy private API calls (`/cc/api`, `/v2`) as given: in no public spec, they force
    /// `sp:scopes:all`, and the owner level they need is unknown (only ORG_ADMIN is known to
    /// work).
    pub legacy_calls: Vec<String>,
    pub pat: PatGrant,
    pub baseline: Baseline,
    pub client_credentials: ClientGrant,
    pub notes: Vec<Note>,
}

#[derive(Serialize, Debug)]
pub struct OperationEntry {
    pub input: String,
    pub operation: String,
    pub operation_id: String,
    pub family: String,
    pub method: String,
    pub path: String,
    pub write: bool,
    pub public: bool,
    pub deprecated: bool,
    pub experimental: bool,
    /// `userAuth` requirement objects.
    pub user_auth: Vec<Vec<String>>,
    /// `applicationAuth` requirement objects.
    pub application_auth: Vec<Vec<String>>,
    /// The description says every listed scope is needed: each requirement object is read
    /// all-of, also under the any-of default.
    pub all_listed_scopes_needed: bool,
    pub user_levels: Vec<String>,
    pub user_levels_documented: bool,
}

/// Operations and write operations a grant unlocks.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Radius {
    pub operations: usize,
    pub write_operations: usize,
}

#[derive(Serialize, Debug)]
pub struct PatGrant {
    pub scopes: Vec<String>,
    /// Empty: no elevated level (USER suffices).
    pub user_levels: Vec<String>,
    /// Operations of the whole catalog the scopes unlock (`Unlocked(S)`).
    pub unlocked_operations: usize,
    pub unlocked_write_operations: usize,
    /// Operations the owner's user levels unlock (`Unlocked(U)`).
    pub user_levels_unlocked: Radius,
    /// What the PAT can really do: both its scopes and its owner's levels allow it.
    pub blast_radius: Radius,
    /// Per scope: the operations of the query that need it.
    pub scopes_needed_by: BTreeMap<String, Vec<String>>,
    /// Per user level: the operations of the query that need it.
    pub user_levels_needed_by: BTreeMap<String, Vec<String>>,
    /// When the grant holds `sp:scopes:all` or ORG_ADMIN: the calls that force it, then the
    /// other operations as a count.
    pub forced_by: BTreeMap<String, super::forced::Forced>,
}

#[derive(Serialize, Debug)]
pub struct Baseline {
    pub scopes: Vec<String>,
    pub user_levels: Vec<String>,
    pub unlocked_operations: usize,
    pub unlocked_write_operations: usize,
}

#[derive(Serialize, Debug)]
pub struct ClientGrant {
    pub possible: bool,
    pub scopes: Option<Vec<String>>,
    pub unlocked_operations: Option<usize>,
    pub unlocked_write_operations: Option<usize>,
    /// Operations of the query that accept only a user-context token.
    pub needs_user_context: Vec<String>,
    pub scopes_needed_by: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// A rule id: `deprecated-endpoint`, `experimental-endpoint`, `sunset-version`,
    /// `undocumented-user-level`, `read-scope-authorizes-write`, `public-endpoint`.
    pub kind: String,
    pub operation: String,
    pub message: String,
}

fn radius(b: &Bitset, write: &Bitset) -> Radius {
    Radius {
        operations: b.count(),
        write_operations: b.count_and(write),
    }
}

impl ScopesReport {
    pub fn new(
        solver: &Solver<'_>,
        calls: &[ResolvedCall],
        legacy: &[String],
        reqs: &Requirements,
    ) -> ScopesReport {
        let cat = solver.catalog;
        let write = solver.user.write_mask();
        let operations = calls
            .iter()
            .map(|c| operation_entry(cat, solver, &c.input, c.op))
            .collect();
        let pat_scope_names: Vec<String> = reqs
            .pat_scopes
            .scopes
            .iter()
            .map(|&s| cat.scope_name(s).to_string())
            .collect();
        let mut scopes_needed_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut levels_needed_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for &op in &reqs.ops {
            for s in enabling_scopes(
                cat,
                op,
                &reqs.pat_scopes.scopes,
                AuthKind::User,
                reqs.semantics,
            ) {
                scopes_needed_by
                    .entry(cat.scope_name(s).to_string())
                    .or_default()
                    .push(cat.op(op).name());
            }
            for l in solver.levels.enabling_levels(op, &reqs.pat_levels.levels) {
                levels_needed_by
                    .entry(l)
                    .or_default()
                    .push(cat.op(op).name());
            }
        }
        for l in legacy {
            scopes_needed_by
                .entry(ALL_SCOPES.to_string())
                .or_default()
                .push(l.clone());
            levels_needed_by
                .entry(ORG_ADMIN.to_string())
                .or_default()
                .push(l.clone());
        }
        let legacy_calls: Vec<super::forced::LegacyCall> =
            legacy.iter().map(|l| (l.clone(), Vec::new())).collect();
        let forced_by = super::forced::forced_by(
            solver,
            reqs,
            AuthKind::User,
            &BTreeMap::new(),
            &legacy_calls,
        );
        let level_unlocked = &reqs.pat_levels.unlocked;
        let mut both = reqs.pat_scopes.unlocked.clone();
        both.intersect_with(level_unlocked);
        let all = Bitset::full(cat.ops.len());
        let pat = PatGrant {
            scopes: pat_scope_names,
            user_levels: reqs.pat_levels.levels.clone(),
            unlocked_operations: reqs.pat_scopes.unlocked.count(),
            unlocked_write_operations: reqs.pat_scopes.unlocked.count_and(write),
            user_levels_unlocked: radius(level_unlocked, write),
            blast_radius: radius(&both, write),
            scopes_needed_by,
            user_levels_needed_by: levels_needed_by,
            forced_by,
        };
        let baseline = Baseline {
            scopes: vec![ALL_SCOPES.to_string()],
            user_levels: vec![ORG_ADMIN.to_string()],
            unlocked_operations: all.count(),
            unlocked_write_operations: all.count_and(write),
        };
        let cc = &reqs.client;
        let mut cc_needed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if cc.possible {
            for &op in &reqs.ops {
                for s in enabling_scopes(cat, op, &cc.scopes, AuthKind::App, reqs.semantics) {
                    cc_needed
                        .entry(cat.scope_name(s).to_string())
                        .or_default()
                        .push(cat.op(op).name());
                }
            }
        }
        let client_credentials = ClientGrant {
            possible: cc.possible,
            scopes: cc.possible.then(|| {
                cc.scopes
                    .iter()
                    .map(|&s| cat.scope_name(s).to_string())
                    .collect()
            }),
            unlocked_operations: cc.possible.then(|| cc.unlocked.count()),
            unlocked_write_operations: cc
                .possible
                .then(|| cc.unlocked.count_and(solver.app.write_mask())),
            needs_user_context: {
                // In the order the calls were given.
                let mut first: std::collections::HashMap<OpId, usize> = Default::default();
                for (i, c) in calls.iter().enumerate() {
                    first.entry(c.op).or_insert(i);
                }
                let mut b = cc.blocked.clone();
                b.sort_by_key(|&o| (first.get(&o).copied().unwrap_or(usize::MAX), o));
                b.iter().map(|&o| cat.op(o).name()).collect()
            },
            scopes_needed_by: cc_needed,
        };
        let mut notes = Vec::new();
        for &op in &reqs.ops {
            notes.extend(operation_notes(cat, solver, op, &reqs.pat_scopes.scopes));
        }
        for l in legacy {
            notes.push(Note {
                kind: "legacy-endpoint".into(),
                operation: l.clone(),
                message: "in no public spec: only sp:scopes:all is known to work, and the owner level it needs is unknown (only ORG_ADMIN is known to work)".into(),
            });
        }
        if !reqs.exact() {
            notes.push(Note {
                kind: "not-proven-minimal".into(),
                operation: String::new(),
                message: crate::solver::NOT_PROVEN.into(),
            });
        }
        notes.sort();
        notes.dedup();
        ScopesReport {
            tool: format!("isc-scope-lint {}", env!("CARGO_PKG_VERSION")),
            catalog: cat.provenance.label.clone(),
            scope_semantics: reqs.semantics,
            minimal_proven: reqs.exact(),
            operations,
            legacy_calls: legacy.to_vec(),
            pat,
            baseline,
            client_credentials,
            notes,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serialises") + "\n"
    }

    pub fn to_human(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} · catalog: {} · scope semantics: {}",
            self.tool,
            self.catalog,
            self.scope_semantics.as_str()
        );
        let _ = writeln!(o, "\nCalls");
        // Operation → the numbers of the calls that route to it.
        let mut index: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for (i, e) in self.operations.iter().enumerate() {
            index.entry(e.operation.as_str()).or_default().push(i + 1);
        }
        let first_legacy = self.operations.len() + 1;
        for (i, l) in self.legacy_calls.iter().enumerate() {
            index.entry(l.as_str()).or_default().push(first_legacy + i);
        }
        let refs = |ops: &[String]| -> String {
            let mut nums: Vec<usize> = Vec::new();
            for op in ops {
                if let Some(v) = index.get(op.as_str()) {
                    nums.extend_from_slice(v);
                }
            }
            nums.sort_unstable();
            nums.dedup();
            let mut s = String::with_capacity(nums.len() * 6);
            for (i, n) in nums.iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                let _ = write!(s, "#{n}");
            }
            s
        };
        for (i, e) in self.operations.iter().enumerate() {
            let _ = writeln!(o, "  #{:<3} {}", i + 1, e.input);
            let mut flags = vec![
                e.family.clone(),
                if e.write {
                    "write".into()
                } else {
                    "read".into()
                },
            ];
            if e.deprecated {
                flags.push("deprecated".into());
            }
            if e.experimental {
                flags.push("experimental".into());
            }
            let _ = writeln!(
                o,
                "       → {} ({}; {})",
                e.operation,
                e.operation_id,
                flags.join(", ")
            );
            if e.public {
                let _ = writeln!(o, "       public: no scope needed");
            }
            let sem = if e.all_listed_scopes_needed {
                Semantics::AllOf
            } else {
                self.scope_semantics
            };
            let _ = writeln!(
                o,
                "       PAT scopes:        {}",
                show_alts(&e.user_auth, sem)
            );
            let _ = writeln!(
                o,
                "       client scopes:     {}",
                show_alts(&e.application_auth, sem)
            );
            if e.all_listed_scopes_needed {
                let _ = writeln!(o, "       {ALL_OF_NOTE}");
            }
            let levels = if e.user_levels_documented {
                e.user_levels.join(", ")
            } else {
                "none documented (only ORG_ADMIN is known to work)".into()
            };
            let _ = writeln!(o, "       owner user levels: {levels}");
        }

        for (i, l) in self.legacy_calls.iter().enumerate() {
            let _ = writeln!(o, "  #{:<3} {l}", first_legacy + i);
            let _ = writeln!(
                o,
                "       → legacy private API (no public spec): only sp:scopes:all is known to work"
            );
            let _ = writeln!(
                o,
                "       owner user levels: unknown (only ORG_ADMIN is known to work)"
            );
        }
        if self.minimal_proven {
            let _ = writeln!(o, "\nMinimal PAT grant");
        } else {
            let _ = writeln!(o, "\nPAT grant — {}", crate::solver::NOT_PROVEN);
        }
        let w = self
            .pat
            .scopes
            .iter()
            .chain(&self.pat.user_levels)
            .map(|s| s.len())
            .max()
            .unwrap_or(0)
            .max(12);
        let _ = writeln!(o, "  scopes:");
        if self.pat.scopes.is_empty() {
            let _ = writeln!(o, "    (none: every call is public)");
        }
        for s in &self.pat.scopes {
            let by = self
                .pat
                .scopes_needed_by
                .get(s)
                .cloned()
                .unwrap_or_default();
            match self.pat.forced_by.get(s) {
                Some(f) => {
                    let _ = writeln!(o, "    {s:<w$}  {}", force_refs(f, &refs));
                }
                None => {
                    let _ = writeln!(o, "    {s:<w$}  needed by {}", refs(&by));
                }
            }
        }
        let _ = writeln!(o, "  owner user levels:");
        if self.pat.user_levels.is_empty() {
            let _ = writeln!(o, "    (none: any identity, USER, qualifies)");
        }
        for l in &self.pat.user_levels {
            let by = self
                .pat
                .user_levels_needed_by
                .get(l)
                .cloned()
                .unwrap_or_default();
            match self.pat.forced_by.get(l) {
                Some(f) => {
                    let _ = writeln!(o, "    {l:<w$}  {}", force_refs(f, &refs));
                }
                None => {
                    let _ = writeln!(o, "    {l:<w$}  needed by {}", refs(&by));
                }
            }
        }
        if let Some((a, b)) = incompatible_hint(&self.pat.user_levels) {
            let _ = writeln!(o, "    note: {a} and {b} cannot be combined");
        }
        let _ = writeln!(
            o,
            "\nBlast radius                           operations  writes"
        );
        let _ = writeln!(
            o,
            "  minimal scopes                       {:>10}  {:>6}",
            self.pat.unlocked_operations, self.pat.unlocked_write_operations
        );
        let _ = writeln!(
            o,
            "  minimal owner user levels            {:>10}  {:>6}",
            self.pat.user_levels_unlocked.operations,
            self.pat.user_levels_unlocked.write_operations
        );
        let _ = writeln!(
            o,
            "  minimal PAT (scopes and levels)      {:>10}  {:>6}",
            self.pat.blast_radius.operations, self.pat.blast_radius.write_operations
        );
        let _ = writeln!(
            o,
            "  sp:scopes:all with ORG_ADMIN         {:>10}  {:>6}",
            self.baseline.unlocked_operations, self.baseline.unlocked_write_operations
        );

        let _ = writeln!(o, "\nClient credentials (no user context)");
        let cc = &self.client_credentials;
        match &cc.scopes {
            Some(_) if !self.legacy_calls.is_empty() => {
                let _ = writeln!(
                    o,
                    "  unknown: the legacy call(s) are in no public spec, so whether they accept client credentials is not documented"
                );
            }
            Some(scopes) => {
                let _ = writeln!(
                    o,
                    "  would do, with scopes: {} ({} operations, {} writes unlocked)",
                    if scopes.is_empty() {
                        "(none)".to_string()
                    } else {
                        scopes.join(", ")
                    },
                    cc.unlocked_operations.unwrap_or(0),
                    cc.unlocked_write_operations.unwrap_or(0)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "  not possible: these calls accept only a user-context token (PAT):"
                );
                for op in &cc.needs_user_context {
                    let _ = writeln!(o, "    {} {op}", refs(std::slice::from_ref(op)));
                }
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(o, "\nNotes");
            for n in &self.notes {
                if n.operation.is_empty() {
                    let _ = writeln!(o, "  [{}] {}", n.kind, n.message);
                    continue;
                }
                let _ = writeln!(
                    o,
                    "  [{}] {} {}: {}",
                    n.kind,
                    refs(std::slice::from_ref(&n.operation)),
                    n.operation,
                    n.message
                );
            }
        }
        o
    }
}

/// How every output says an operation is all-of by its own description.
pub const ALL_OF_NOTE: &str =
    "all listed scopes needed: the operation's description says so (an exception to any-of)";

/// `forced by #3 #7 (…why); 4 other operation(s) would do with less`, with call numbers.
fn force_refs(f: &super::forced::Forced, refs: &dyn Fn(&[String]) -> String) -> String {
    let mut head = if f.by.is_empty() {
        "no single call forces it: the user levels the calls need cannot be combined".to_string()
    } else {
        let mut reasons: Vec<&str> = f.by.iter().map(|b| b.reason.as_str()).collect();
        reasons.dedup();
        let ops: Vec<String> = f.by.iter().map(|b| b.operation.clone()).collect();
        format!("forced by {} ({})", refs(&ops), reasons.join("; "))
    };
    if f.other_operations > 0 {
        head.push_str(&format!(
            "; {} other operation(s) would do with less",
            f.other_operations
        ));
    }
    head
}

fn incompatible_hint(levels: &[String]) -> Option<(&str, &str)> {
    crate::solver::levels::conflict(levels)
}

fn show_alts(alts: &[Vec<String>], sem: Semantics) -> String {
    if alts.is_empty() {
        return "not accepted".into();
    }
    match sem {
        Semantics::AnyOf => {
            let mut all: Vec<&str> = Vec::new();
            for s in alts.iter().flatten() {
                if !all.contains(&s.as_str()) {
                    all.push(s);
                }
            }
            if all.len() == 1 {
                all[0].to_string()
            } else {
                format!("any one of {}", all.join(", "))
            }
        }
        Semantics::AllOf => {
            let parts: Vec<String> = alts
                .iter()
                .map(|a| {
                    if a.len() == 1 {
                        a[0].clone()
                    } else {
                        format!("all of ({})", a.join(", "))
                    }
                })
                .collect();
            parts.join(" or ")
        }
    }
}

pub fn operation_entry(
    cat: &Catalog,
    solver: &Solver<'_>,
    input: &str,
    op: OpId,
) -> OperationEntry {
    let o = cat.op(op);
    let names = |alts: &[Vec<u16>]| -> Vec<Vec<String>> {
        cat.alternatives(alts)
            .into_iter()
            .map(|a| a.into_iter().map(str::to_string).collect())
            .collect()
    };
    OperationEntry {
        input: input.to_string(),
        operation: o.name(),
        operation_id: o.operation_id.to_string(),
        family: o.family.to_string(),
        method: o.method.to_string(),
        path: o.path.to_string(),
        write: o.is_write(),
        public: o.public,
        deprecated: o.deprecated,
        experimental: o.experimental,
        user_auth: names(&o.user_auth),
        application_auth: names(&o.app_auth),
        all_listed_scopes_needed: o.all_of,
        user_levels: o.user_levels.iter().map(|l| l.to_string()).collect(),
        user_levels_documented: !solver.levels.undocumented(op),
    }
}

/// Notes about one operation (rule ids as `kind`); `held` is the grant the answer proposes.
pub fn operation_notes(
    cat: &Catalog,
    solver: &Solver<'_>,
    op: OpId,
    held: &[crate::catalog::ScopeId],
) -> Vec<Note> {
    let o = cat.op(op);
    let name = o.name();
    let mut notes = Vec::new();
    let mut note = |kind: &str, message: String| {
        notes.push(Note {
            kind: kind.into(),
            operation: name.clone(),
            message,
        })
    };
    if o.deprecated {
        let hint = cat
            .newest_equivalent(op)
            .map(|n| format!("; use {}", cat.op(n).name()))
            .unwrap_or_default();
        note("deprecated-endpoint", format!("deprecated{hint}"));
    }
    if o.experimental {
        note(
            "experimental-endpoint",
            "experimental: send the header `X-SailPoint-Experimental: true` (SDKs: enable experimental in the configuration)".into(),
        );
    }
    if o.sunset() {
        let hint = cat
            .newest_equivalent(op)
            .map(|n| format!("; the same operation is {}", cat.op(n).name()))
            .unwrap_or_default();
        note(
            "sunset-version",
            format!("{} support ends after Q1 2027{hint}", o.family),
        );
    }
    if solver.levels.undocumented(op) {
        note(
            "undocumented-user-level",
            "the spec names no user level: only ORG_ADMIN is known to work; verify in your tenant and record it (manifest `assume`)".into(),
        );
    }
    if let Some(msg) = read_scope_authorizes_write(cat, o, held) {
        note("read-scope-authorizes-write", msg);
    }
    if o.public {
        note("public-endpoint", "needs no scope".into());
    }
    notes
}

/// A write whose requirement object lists a `:read` scope among others: the documented any-of
/// reading lets that read scope alone authorise the write; all-of would need every scope.
/// Names the read scope of `held` that does so when there is one.
pub fn read_scope_authorizes_write(
    cat: &Catalog,
    o: &Operation,
    held: &[crate::catalog::ScopeId],
) -> Option<String> {
    if !o.is_write() || o.all_of {
        return None;
    }
    let mut found: Option<(bool, &str, Vec<&str>)> = None;
    for r in o.user_auth.iter().chain(o.app_auth.iter()) {
        if r.len() < 2 {
            continue;
        }
        for &s in r {
            let name = cat.scope_name(s);
            if !name.ends_with(":read") {
                continue;
            }
            let in_grant = held.contains(&s);
            if found.as_ref().is_none_or(|f| in_grant && !f.0) {
                found = Some((
                    in_grant,
                    name,
                    r.iter().map(|&x| cat.scope_name(x)).collect(),
                ));
            }
        }
    }
    let (in_grant, read, all) = found?;
    let who = if in_grant {
        "this grant's read scope"
    } else {
        "the read scope"
    };
    Some(format!(
        "a write that {who} `{read}` authorises under the documented any-of reading; `--scope-semantics all-of` needs all of {}",
        all.join(", ")
    ))
}
