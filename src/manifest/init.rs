//! `init`: a manifest for the calls found — one credential for everything, or one per
//! top-level folder — with the minimal grants and, per scope and level, the calls that need
//! them.

use crate::catalog::{Catalog, OpId};
use crate::discover::{FoundCall, Via};
use crate::solver::{Semantics, Solver};
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
        let r = solver.solve(&ops, semantics);
        let mut sites: BTreeMap<OpId, Vec<String>> = BTreeMap::new();
        for c in gcalls {
            if let Some(op) = c.op {
                sites
                    .entry(op)
                    .or_default()
                    .push(format!("{}:{}", c.file, c.line));
            }
        }
        let why = |op: OpId| {
            format!(
                "{} ({})",
                cat.op(op).name(),
                sites.get(&op).map(|v| v.join(", ")).unwrap_or_default()
            )
        };
        let _ = writeln!(o, "  - name: {}", yaml_str(&name));
        if !r.exact() {
            let _ = writeln!(o, "    # {}", crate::solver::NOT_PROVEN);
        }
        if r.client.possible && !ops.is_empty() {
            let cc: Vec<&str> = r.client.scopes.iter().map(|&s| cat.scope_name(s)).collect();
            let _ = writeln!(
                o,
                "    # every call accepts client credentials: `kind: oauth-client` with scopes [{}] would do",
                cc.join(", ")
            );
        }
        let _ = writeln!(o, "    kind: pat");
        let _ = writeln!(o, "    owner:");
        if r.pat_levels.levels.is_empty() {
            let _ = writeln!(o, "      user_levels: []   # no elevated level needed");
        } else {
            let _ = writeln!(o, "      user_levels:");
            for l in &r.pat_levels.levels {
                let need: Vec<String> = ops
                    .iter()
                    .filter(|&&op| {
                        solver
                            .levels
                            .enabling_levels(op, std::slice::from_ref(l))
                            .contains(l)
                    })
                    .map(|&op| cat.op(op).name())
                    .collect();
                let _ = writeln!(
                    o,
                    "        - {}   # {}",
                    yaml_str(l),
                    shorten(&need.join(", "))
                );
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
                let need: Vec<String> = ops
                    .iter()
                    .filter(|&&op| {
                        crate::solver::scopes::enabling_scopes(
                            cat,
                            op,
                            &r.pat_scopes.scopes,
                            crate::catalog::AuthKind::User,
                            semantics,
                        )
                        .contains(&s)
                    })
                    .map(|&op| why(op))
                    .collect();
                let _ = writeln!(
                    o,
                    "      - {}   # {}",
                    yaml_str(cat.scope_name(s)),
                    shorten(&need.join("; "))
                );
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

fn shorten(s: &str) -> String {
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}
