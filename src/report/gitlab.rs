//! `check --format gitlab`: a GitLab Code Quality report (the Code Climate subset GitLab
//! reads from `artifacts: reports: codequality:`): an array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`, `critical`,
//! `blocker`) and `location` (`path`, `lines.begin`).

use super::check::Report;
use crate::rules::Severity;
use std::collections::HashMap;

/// GitLab's severity for ours: an error (a call that fails, a leaked secret) is `critical`,
/// a warning (more privilege than needed, a verdict that cannot be trusted) `major`.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// Renders the report. Fingerprints are the findings' content fingerprints (stable when
/// lines move) with the occurrence number appended when one repeats, since GitLab shows only
/// one issue per fingerprint.
pub fn render(r: &Report) -> String {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = r
        .findings
        .iter()
        .map(|f| {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 {
                f.fingerprint.clone()
            } else {
                format!("{}-{}", f.fingerprint, n)
            };
            let (path, line) = match &f.location {
                Some(l) => (l.file.clone(), l.line.max(1)),
                None => (r.manifest.clone().unwrap_or_else(|| ".".into()), 1),
            };
            let mut description = f.message.clone();
            if let Some(c) = &f.credential
                && !description.contains(&format!("`{c}`"))
            {
                description = format!("`{c}`: {description}");
            }
            let mut issue = serde_json::json!({
                "type": "issue",
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": severity(f.severity),
                "categories": ["Security"],
                "location": {"path": path, "lines": {"begin": line}},
            });
            if let Some(h) = &f.help {
                issue["content"] = serde_json::json!({"body": format!("Fix: {h}")});
            }
            issue
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("serialises") + "\n"
}
