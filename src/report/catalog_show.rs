//! `catalog show`: one catalog entry.

use super::scopes::{operation_entry, operation_notes};
use crate::catalog::OpId;
use crate::solver::Solver;
use std::fmt::Write as _;

/// Renders entries for people.
pub fn human(solver: &Solver<'_>, ops: &[OpId]) -> String {
    let cat = solver.catalog;
    let mut o = String::new();
    for (i, &op) in ops.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        let e = operation_entry(cat, solver, "", op);
        let alts = |a: &[Vec<String>]| -> String {
            if a.is_empty() {
                return "-".into();
            }
            a.iter()
                .map(|r| r.join(", "))
                .collect::<Vec<_>>()
                .join("  |  ")
        };
        let _ = writeln!(o, "{}", e.operation);
        let _ = writeln!(o, "  operationId        {}", e.operation_id);
        let _ = writeln!(o, "  family             {}", e.family);
        let _ = writeln!(o, "  tag                {}", cat.op(op).tag);
        let _ = writeln!(
            o,
            "  access             {}",
            if e.write { "write" } else { "read" }
        );
        let _ = writeln!(
            o,
            "  public             {}",
            if e.public { "yes" } else { "no" }
        );
        let _ = writeln!(o, "  userAuth           {}", alts(&e.user_auth));
        let _ = writeln!(o, "  applicationAuth    {}", alts(&e.application_auth));
        let _ = writeln!(
            o,
            "  scopes combine     {}",
            if e.all_listed_scopes_needed {
                super::scopes::ALL_OF_NOTE
            } else {
                "any one listed scope suffices (SailPoint's documented rule; all-of with --scope-semantics all-of)"
            }
        );
        let _ = writeln!(
            o,
            "  user levels        {}",
            if e.user_levels.is_empty() {
                "- (undocumented: only ORG_ADMIN is known to work)".to_string()
            } else {
                e.user_levels.join(", ")
            }
        );
        let _ = writeln!(
            o,
            "  deprecated         {}",
            if e.deprecated { "yes" } else { "no" }
        );
        let _ = writeln!(
            o,
            "  experimental       {}",
            if e.experimental {
                "yes (X-SailPoint-Experimental: true)"
            } else {
                "no"
            }
        );
        for n in operation_notes(cat, solver, op, &[]) {
            let _ = writeln!(o, "  note               [{}] {}", n.kind, n.message);
        }
    }
    o
}

/// Renders entries as JSON.
pub fn json(solver: &Solver<'_>, ops: &[OpId]) -> String {
    let entries: Vec<_> = ops
        .iter()
        .map(|&op| {
            let mut v = serde_json::to_value(operation_entry(solver.catalog, solver, "", op))
                .expect("serialises");
            if let Some(m) = v.as_object_mut() {
                m.remove("input");
                m.insert("tag".into(), solver.catalog.op(op).tag.clone().into());
                m.insert(
                    "notes".into(),
                    serde_json::to_value(operation_notes(solver.catalog, solver, op, &[]))
                        .expect("serialises"),
                );
            }
            v
        })
        .collect();
    serde_json::to_string_pretty(
        &serde_json::json!({ "catalog": solver.catalog.provenance.label, "operations": entries }),
    )
    .expect("serialises")
        + "\n"
}
