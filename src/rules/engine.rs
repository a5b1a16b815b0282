//! Runs every rule and applies what the user asked to leave out: inline
//! `isc-scope-lint: ignore[rule-id] reason` comments, the manifest's `ignore` entries, a
//! baseline, and `--min-severity`.

use super::{Context, Finding, Location, Severity, all};
use serde::{Deserialize, Serialize};

/// What to leave out.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Show findings even where an inline comment or the manifest ignores them.
    pub no_ignores: bool,
    /// Fingerprints of known findings.
    pub baseline: Option<Baseline>,
    pub min_severity: Option<Severity>,
}

/// The result of a check.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Findings to show, sorted.
    pub findings: Vec<Finding>,
    /// Every finding before ignores and baseline (what `--write-baseline` records).
    pub all: Vec<Finding>,
    pub suppressed: usize,
    pub baselined: usize,
    pub below_min_severity: usize,
    /// Findings of rules the manifest's `rules:` turns off (for their files).
    pub disabled: usize,
}

/// A baseline file: fingerprints of accepted findings.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub subject: String,
}

impl Baseline {
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut v: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint(),
                rule: f.rule.clone(),
                subject: f.subject.clone(),
            })
            .collect();
        v.sort_by(|a, b| {
            (&a.rule, &a.subject, &a.fingerprint).cmp(&(&b.rule, &b.subject, &b.fingerprint))
        });
        v.dedup();
        Baseline {
            version: 1,
            findings: v,
        }
    }
}

/// Sort key: manifest findings first, then by file, line, column, rule.
fn order(f: &Finding) -> (u8, String, usize, usize, String, String) {
    match &f.location {
        Location::Manifest { offset, .. } => (
            0,
            String::new(),
            *offset,
            0,
            f.rule.clone(),
            f.subject.clone(),
        ),
        Location::Code { file, line, column } => (
            1,
            file.clone(),
            *line,
            *column,
            f.rule.clone(),
            f.subject.clone(),
        ),
        Location::Project => (2, String::new(), 0, 0, f.rule.clone(), f.subject.clone()),
    }
}

/// Runs the rules.
///
/// Linear in the findings: fingerprints of the baseline are hashed, line indexes of the
/// sources and the manifest are built once, and the manifest's `ignore` globs compiled once.
pub fn run(cx: &Context, opts: &Options) -> Outcome {
    let mut all_findings: Vec<Finding> = Vec::new();
    for r in all() {
        all_findings.extend((r.check)(cx));
    }
    // The manifest's `rules:` settings: a rule off (there) reports nothing, a severity
    // replaces the rule's default; applied before ignores, baselines and --min-severity.
    let mut disabled = 0;
    if let Some(m) = cx.manifest
        && !m.manifest.rules.is_empty()
    {
        let name = m
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let settings = crate::manifest::settings::Compiled::new(&m.manifest.rules, &name);
        all_findings.retain_mut(|f| match settings.apply(f, |p| cx.manifest_rel(p)) {
            Some(s) => {
                f.severity = s;
                true
            }
            None => {
                disabled += 1;
                false
            }
        });
    }
    all_findings.sort_by_cached_key(order);
    all_findings.dedup();
    let mut out = Outcome {
        all: all_findings.clone(),
        disabled,
        ..Outcome::default()
    };
    let baseline: Option<std::collections::HashSet<&str>> = opts
        .baseline
        .as_ref()
        .map(|b| b.findings.iter().map(|e| e.fingerprint.as_str()).collect());
    let mut ignores = Ignores::new(cx);
    for f in all_findings {
        if !opts.no_ignores && ignores.covers(&f) {
            out.suppressed += 1;
            continue;
        }
        if baseline
            .as_ref()
            .is_some_and(|b| b.contains(f.fingerprint().as_str()))
        {
            out.baselined += 1;
            continue;
        }
        if opts.min_severity.is_some_and(|m| f.severity < m) {
            out.below_min_severity += 1;
            continue;
        }
        out.findings.push(f);
    }
    out
}

/// What inline comments and the manifest's `ignore` entries leave out.
struct Ignores<'a> {
    cx: &'a Context<'a>,
    /// Per `ignore` entry: its path glob, compiled (`None`: no path, or an invalid glob,
    /// which matches nothing).
    globs: Vec<Option<globset::GlobMatcher>>,
    /// Line indexes of the sources, built on first use.
    lines: std::collections::HashMap<&'a str, crate::error::LineIndex>,
}

impl<'a> Ignores<'a> {
    fn new(cx: &'a Context<'a>) -> Ignores<'a> {
        let globs = cx.manifest.map_or_else(Vec::new, |m| {
            m.manifest
                .ignore
                .iter()
                .map(|ig| {
                    ig.path
                        .as_deref()
                        .and_then(|p| globset::Glob::new(p).ok())
                        .map(|g| g.compile_matcher())
                })
                .collect()
        });
        Ignores {
            cx,
            globs,
            lines: std::collections::HashMap::new(),
        }
    }

    /// Whether an inline comment or a manifest `ignore` entry covers a finding.
    fn covers(&mut self, f: &Finding) -> bool {
        let cx = self.cx;
        match &f.location {
            Location::Code { file, line, .. } => {
                if let Some((name, text)) = cx.sources.get_key_value(file) {
                    let lines = self
                        .lines
                        .entry(name.as_str())
                        .or_insert_with(|| crate::error::LineIndex::new(text));
                    if inline_ignore_indexed(text, lines, *line, &f.rule) {
                        return true;
                    }
                }
            }
            Location::Manifest { offset, .. } => {
                if let Some(m) = cx.manifest {
                    let (line, _) = m.line_col(*offset);
                    if inline_ignore_indexed(&m.text, &m.lines, line, &f.rule) {
                        return true;
                    }
                }
            }
            Location::Project => {}
        }
        let Some(m) = cx.manifest else { return false };
        m.manifest.ignore.iter().zip(&self.globs).any(|(ig, glob)| {
            let rule_ok = ig.rule.as_deref().is_none_or(|r| r == f.rule);
            let cred_ok = ig
                .credential
                .as_deref()
                .is_none_or(|c| f.credential.as_deref() == Some(c));
            let path_ok = match &ig.path {
                None => true,
                Some(_) => match &f.location {
                    Location::Code { file, .. } => glob
                        .as_ref()
                        .is_some_and(|g| g.is_match(cx.manifest_rel(file))),
                    _ => false,
                },
            };
            rule_ok && cred_ok && path_ok
        })
    }
}

/// [`inline_ignore`] with the text's line index: looks at two lines only.
fn inline_ignore_indexed(
    text: &str,
    lines: &crate::error::LineIndex,
    line: usize,
    rule: &str,
) -> bool {
    if line == 0 || line > lines.len() {
        return false;
    }
    let first = line.saturating_sub(2);
    (first..line).any(|l| {
        let t = &text[lines.start(l)..lines.end(text, l)];
        inline_ignore(t, 1, rule)
    })
}

/// `isc-scope-lint: ignore[rule-a, rule-b] reason` on line `line` or the line above (any
/// comment syntax). `ignore[*]` covers every rule.
pub fn inline_ignore(text: &str, line: usize, rule: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .skip(line.saturating_sub(2))
        .take(if line >= 2 { 2 } else { 1 })
        .collect();
    lines.iter().any(|l| {
        let mut rest = *l;
        while let Some(i) = rest.find("isc-scope-lint: ignore[") {
            let after = &rest[i + "isc-scope-lint: ignore[".len()..];
            if let Some(end) = after.find(']') {
                if after[..end]
                    .split(',')
                    .map(str::trim)
                    .any(|r| r == rule || r == "*")
                {
                    return true;
                }
                rest = &after[end..];
            } else {
                break;
            }
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_ignores_on_the_line_or_above() {
        let t = "a = 1\n# isc-scope-lint: ignore[sunset-version] migrating\nrequests.get(x)\ny()  // isc-scope-lint: ignore[broad-scope, missing-scope] known\n";
        assert!(inline_ignore(t, 3, "sunset-version"));
        assert!(inline_ignore(t, 2, "sunset-version"));
        assert!(!inline_ignore(t, 3, "deprecated-endpoint"));
        assert!(inline_ignore(t, 4, "missing-scope"));
        assert!(!inline_ignore(t, 1, "sunset-version"));
    }
}
