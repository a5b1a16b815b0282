//! The calls that force a broad grant: when the minimal grant still holds `sp:scopes:all` or
//! ORG_ADMIN, the few calls with no narrower alternative are named first (by operation and
//! call site, with why), then the rest as a count. One model for every output: the `check`
//! reports (human, JSON `forced_by`, Markdown, SARIF), `init`'s and `--fix`'s comments and
//! `scopes`.

use crate::catalog::{ALL_SCOPES, AuthKind, OpId};
use crate::solver::levels::ORG_ADMIN;
use crate::solver::{Requirements, Solver};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a legacy private API forces `sp:scopes:all`.
pub const LEGACY_SCOPES: &str =
    "legacy private API: in no public spec, only sp:scopes:all is known to work";
/// Why a legacy private API forces ORG_ADMIN.
pub const LEGACY_LEVEL: &str =
    "legacy private API: the owner level it needs is unknown; only ORG_ADMIN is known to work";

/// One call (or operation) that forces a broad grant.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Forcing {
    /// `METHOD /path` of the operation, or of the legacy call as found.
    pub operation: String,
    /// `file:line` of each call (`manifest` for calls the manifest lists; empty for `scopes`).
    pub calls: Vec<String>,
    pub reason: String,
}

/// What forces one broad item of a minimal grant.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Forced {
    /// The calls with no narrower alternative; empty when only their combination forces it
    /// (user levels that cannot be combined).
    pub by: Vec<Forcing>,
    /// The other operations of the grant (they would do with less), counted.
    pub other_operations: usize,
}

/// A legacy call: `METHOD /path` as found, with its call sites.
pub type LegacyCall = (String, Vec<String>);

/// What forces `sp:scopes:all` and ORG_ADMIN in the minimal grant `r` (only the items the
/// grant holds). `sites`: the call sites of each operation; `legacy`: the legacy calls.
pub fn forced_by(
    solver: &Solver<'_>,
    r: &Requirements,
    kind: AuthKind,
    sites: &BTreeMap<OpId, Vec<String>>,
    legacy: &[LegacyCall],
) -> BTreeMap<String, Forced> {
    let cat = solver.catalog;
    let mut out = BTreeMap::new();
    let scopes = match kind {
        AuthKind::User => &r.pat_scopes.scopes,
        AuthKind::App => &r.client.scopes,
    };
    let site = |op: OpId| sites.get(&op).cloned().unwrap_or_default();
    if scopes.contains(&cat.all_scopes_id()) {
        let ops = solver.forcing_all_scopes(r, kind);
        let mut by: Vec<Forcing> = legacy
            .iter()
            .map(|(c, at)| Forcing {
                operation: c.clone(),
                calls: at.clone(),
                reason: LEGACY_SCOPES.into(),
            })
            .collect();
        by.extend(ops.iter().map(|&op| Forcing {
            operation: cat.op(op).name(),
            calls: site(op),
            reason: "accepts only sp:scopes:all".into(),
        }));
        out.insert(
            ALL_SCOPES.to_string(),
            Forced {
                by,
                other_operations: r.ops.len() - ops.len(),
            },
        );
    }
    if kind == AuthKind::User && r.pat_levels.levels.iter().any(|l| l == ORG_ADMIN) {
        let ops = solver.forcing_org_admin(r);
        let mut by: Vec<Forcing> = legacy
            .iter()
            .map(|(c, at)| Forcing {
                operation: c.clone(),
                calls: at.clone(),
                reason: LEGACY_LEVEL.into(),
            })
            .collect();
        by.extend(ops.iter().map(|&op| Forcing {
            operation: cat.op(op).name(),
            calls: site(op),
            reason: if solver.levels.undocumented(op) {
                "its spec names no user level: only ORG_ADMIN is known to work".into()
            } else {
                "its spec names ORG_ADMIN alone".into()
            },
        }));
        out.insert(
            ORG_ADMIN.to_string(),
            Forced {
                by,
                other_operations: r.ops.len() - ops.len(),
            },
        );
    }
    out
}

/// One line: `forced by GET /cc/api/x (a.py:3; legacy private API: ...); GET /v3/y (...);
/// and 12 other operation(s)`. At most `limit` forcing calls are named; the rest are counted.
pub fn line(item: &str, f: &Forced, limit: usize) -> String {
    let mut parts: Vec<String> =
        f.by.iter()
            .take(limit)
            .map(|b| {
                if b.calls.is_empty() {
                    format!("{} ({})", b.operation, b.reason)
                } else {
                    format!("{} ({}: {})", b.operation, b.calls.join(", "), b.reason)
                }
            })
            .collect();
    let more = f.by.len().saturating_sub(limit);
    if more > 0 {
        parts.push(format!("{more} more forcing call(s)"));
    }
    let head = if f.by.is_empty() {
        if item == ORG_ADMIN {
            "no single call forces it: the user levels the calls need cannot be combined"
                .to_string()
        } else {
            "no single call forces it".to_string()
        }
    } else {
        format!("forced by {}", parts.join("; "))
    };
    if f.other_operations > 0 {
        format!(
            "{head}; and {} other operation(s) that would do with less",
            f.other_operations
        )
    } else {
        head
    }
}
