//! `init`: a manifest for the calls found — one credential for everything, or one per
//! top-level folder — with the minimal grants and, per scope and level, the calls that need
//! them.

use crate::catalog::{AuthKind, Catalog, OpId};
use crate::discover::{FoundCall, Via};
use crate::report::forced::{LegacyCall, forced_by};
use crate::rules::context::is_legacy_call;
use crate::solver::{Requirements, Semantics, Solver};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How to group calls into credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// One credential for every call.
    One,
    /// One credential per top-level folder (files at the root form their own group).
    PerFolder,
}

fn group_of(file: &str, g: Grouping) -> String {
    match g {
        Grouping::One => String::new(),
        Grouping::PerFolder => match file.split_once('/') {
            Some((dir, _)) => dir.to_string(),
            None => String::new(),
        },
    }
}

fn yaml_str(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:{}".contains(c))
        && !s.starts_with(['{', '-', ':'])
    {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The manifest text.
pub fn manifest(
    cat: &Catalog,
    calls: &[FoundCall],
    semantics: Semantics,
    grouping: Grouping,
    project: &str,
) -> String {
    let solver = Solver::new(cat);
    let mut groups: BTreeMap<String, Vec<&FoundCall>> = BTreeMap::new();
    for c in calls.iter().filter(|c| c.via != Via::Auth) {
        groups
            .entry(group_of(&c.file, grouping))
            .or_default()
            .push(c);
    }
    if groups.is_empty() {
        groups.insert(String::new(), Vec::new());
    }
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# isc-scope-lint manifest for {project}, written by `isc-scope-lint init`."
    );
    let _ = writeln!(
        o,
        "# Minimal grants computed from the calls found (catalog: {}).",
        cat.provenance.label
    );
    let _ = writeln!(
        o,
        "# Review each credential, then keep `scopes` and `owner.user_levels` as granted in the tenant:"
    );
    let _ = writeln!(
        o,
        "# `isc-scope-lint check` compares them with what the code needs."
    );
    let _ = writeln!(o, "credentials:");
    let mut undocumented: BTreeMap<OpId, ()> = BTreeMap::new();
    for (group, gcalls) in &groups {
        let name = if group.is_empty() {
            if grouping == Grouping::One {
                "integration".to_string()
            } else {
                "root".to_string()
            }
        } else {
            group.clone()
        };
        let mut ops: Vec<OpId> = gcalls.iter().filter_map(|c| c.op).collect();
        ops.sort_unstable();
        ops.dedup();
        let mut legacy: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in gcalls.iter().filter(|c| is_legacy_call(c)) {
            legacy
                .entry(format!(
                    "{} {}",
                    c.method.map_or("?", |m| m.as_str()),
                    c.path.as_deref().unwrap_or("")
                ))
                .or_default()
                .push(format!("{}:{}", c.file, c.line));
        }
        let legacy: Vec<LegacyCall> = legacy.into_iter().collect();
        // The same rule as `check`: a legacy call forces sp:scopes:all and ORG_ADMIN.
        let r = solver.solve_calls(&ops, !legacy.is_empty(), semantics);
        let mut sites: BTreeMap<OpId, Vec<String>> = BTreeMap::new();
        for c in gcalls {
            if let Some(op) = c.op {
                sites
                    .entry(op)
                    .or_default()
                    .push(format!("{}:{}", c.file, c.line));
            }
        }
        let comments = item_comments(&solver, &r, AuthKind::User, &sites, &legacy);
        let comment = |item: &str| comments.get(item).cloned().unwrap_or_default();
        let _ = writeln!(o, "  - name: {}", yaml_str(&name));
        for n in credential_notes(&solver, &r, AuthKind::User, true) {
            let _ = writeln!(o, "    {n}");
        }
        let _ = writeln!(o, "    kind: pat");
        let _ = writeln!(o, "    owner:");
        if r.pat_levels.levels.is_empty() {
            let _ = writeln!(o, "      user_levels: []   # no elevated level needed");
        } else {
            let _ = writeln!(o, "      user_levels:");
            for l in &r.pat_levels.levels {
                let _ = writeln!(o, "        - {}   # {}", yaml_str(l), comment(l));
            }
        }
        let _ = writeln!(
            o,
            "      service_account: true   # a dedicated identity, not a person"
        );
        if r.pat_scopes.scopes.is_empty() {
            let _ = writeln!(o, "    scopes: []   # every call is public");
        } else {
            let _ = writeln!(o, "    scopes:");
            for &s in &r.pat_scopes.scopes {
                let n = cat.scope_name(s);
                let _ = writeln!(o, "      - {}   # {}", yaml_str(n), comment(n));
            }
        }
        if grouping == Grouping::PerFolder {
            let glob = if group.is_empty() {
                "*".to_string()
            } else {
                format!("{group}/**")
            };
            let _ = writeln!(o, "    paths: [{}]", yaml_str(&glob));
        }
        let unresolved: Vec<&&FoundCall> = gcalls.iter().filter(|c| !c.resolved).collect();
        if unresolved.is_empty() {
            let _ = writeln!(
                o,
                "    calls: []   # calls the finder cannot see, as `METHOD /path`"
            );
        } else {
            let _ = writeln!(
                o,
                "    calls: []   # calls the finder cannot see, as `METHOD /path`; these could not be settled:"
            );
            for c in unresolved {
                let _ = writeln!(
                    o,
                    "    #   {}:{} {}",
                    c.file,
                    c.line,
                    crate::report::redact::redact(c.reason.as_deref().unwrap_or(""))
                );
            }
        }
        for &op in &ops {
            if solver.levels.undocumented(op) {
                undocumented.insert(op, ());
            }
        }
    }
    if undocumented.is_empty() {
        let _ = writeln!(o, "assume: []");
    } else {
        let _ = writeln!(
            o,
            "# The spec names no user level for these operations (only ORG_ADMIN is known to work)."
        );
        let _ = writeln!(
            o,
            "# Verify in your tenant which levels can call them and record it, e.g.:"
        );
        let _ = writeln!(o, "#   - operation: GET /v3/certifications");
        let _ = writeln!(o, "#     user_levels: [CERT_ADMIN]");
        let _ = writeln!(o, "#     reason: \"checked in our tenant\"");
        for op in undocumented.keys() {
            let _ = writeln!(o, "#   {}", cat.op(*op).name());
        }
        let _ = writeln!(o, "assume: []");
    }
    let _ = writeln!(o, "ignore: []");
    let _ = writeln!(o, "scope_semantics: {}", semantics.as_str());
    o
}

/// The comment of each scope and owner level of a grant (by name): the calls that need it,
/// or for `sp:scopes:all`/ORG_ADMIN the calls that force it and a count of the rest. The same
/// comments for `init` and `--fix`.
pub fn item_comments(
    solver: &Solver<'_>,
    r: &Requirements,
    kind: AuthKind,
    sites: &BTreeMap<OpId, Vec<String>>,
    legacy: &[LegacyCall],
) -> BTreeMap<String, String> {
    let cat = solver.catalog;
    let forced = forced_by(solver, r, kind, sites, legacy);
    let at = |op: OpId| sites.get(&op).map(|v| v.join(", ")).unwrap_or_default();
    let mut out = BTreeMap::new();
    let scopes = match kind {
        AuthKind::User => &r.pat_scopes.scopes,
        AuthKind::App => &r.client.scopes,
    };
    for &s in scopes {
        let name = cat.scope_name(s);
        let text = match forced.get(name) {
            Some(f) => compact(f),
            None => r
                .ops
                .iter()
                .filter(|&&op| {
                    crate::solver::scopes::enabling_scopes(cat, op, scopes, kind, r.semantics)
                        .contains(&s)
                })
                .map(|&op| format!("{} ({})", cat.op(op).name(), at(op)))
                .collect::<Vec<_>>()
                .join("; "),
        };
        out.insert(name.to_string(), shorten(&text));
    }
    if kind == AuthKind::User {
        for l in &r.pat_levels.levels {
            let text = match forced.get(l) {
                Some(f) => compact(f),
                None => r
                    .ops
                    .iter()
                    .filter(|&&op| {
                        solver
                            .levels
                            .enabling_levels(op, std::slice::from_ref(l))
                            .contains(l)
                    })
                    .map(|&op| cat.op(op).name())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            out.insert(l.clone(), shorten(&text));
        }
    }
    out
}

/// `forced by GET /cc/api/x (a.py:3, legacy); GET /v3/y (b.py:2); +1 other operation`.
fn compact(f: &crate::report::forced::Forced) -> String {
    let mut parts: Vec<String> =
        f.by.iter()
            .take(2)
            .map(|b| {
                let legacy = if b.reason.starts_with("legacy") {
                    ", legacy"
                } else {
                    ""
                };
                format!("{} ({}{legacy})", b.operation, b.calls.join(", "))
            })
            .collect();
    if f.by.len() > 2 {
        parts.push(format!("{} more", f.by.len() - 2));
    }
    let mut s = if parts.is_empty() {
        "no single call forces it (levels that cannot be combined)".to_string()
    } else {
        format!("forced by {}", parts.join("; "))
    };
    if f.other_operations > 0 {
        s.push_str(&format!("; +{} other operation(s)", f.other_operations));
    }
    s
}

/// The prefix of every comment line `init` and `--fix` write on their own line inside a
/// credential; `--fix` replaces them, so they never go stale.
pub const NOTE: &str = "# isc-scope-lint note:";

/// The notes of a credential's verdict, one comment line each (with [`NOTE`]): the grant not
/// proven minimal, writes a read scope authorises under any-of, and (for a PAT, `pat` true)
/// that client credentials would do. The same lines for `init` and `--fix`.
pub fn credential_notes(
    solver: &Solver<'_>,
    r: &Requirements,
    kind: AuthKind,
    pat: bool,
) -> Vec<String> {
    let cat = solver.catalog;
    let mut out = Vec::new();
    if !r.exact() {
        out.push(format!("{NOTE} {}", crate::solver::NOT_PROVEN));
    }
    if r.legacy {
        out.push(format!(
            "{NOTE} a legacy private API call forces sp:scopes:all, and the owner level it needs is unknown (only ORG_ADMIN is known to work)"
        ));
    }
    let scopes = match kind {
        AuthKind::User => &r.pat_scopes.scopes,
        AuthKind::App => &r.client.scopes,
    };
    if let Some(n) =
        crate::solver::scopes::read_scope_write_note(cat, &r.ops, scopes, kind, r.semantics)
    {
        out.push(format!("{NOTE} {n}"));
    }
    if pat && r.client.possible && !r.legacy && !r.ops.is_empty() {
        let cc: Vec<&str> = r.client.scopes.iter().map(|&s| cat.scope_name(s)).collect();
        out.push(format!(
            "{NOTE} every call accepts client credentials: `kind: oauth-client` with scopes [{}] would do",
            cc.join(", ")
        ));
    }
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}
