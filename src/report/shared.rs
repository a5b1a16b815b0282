//! Rendering shared by the reports of `check` (`super::check`, `super::html`) and of `tenant`
//! (`crate::tenant::report`, `crate::tenant::html`): a finding as a miette diagnostic, the
//! severity words of each format, the Markdown findings table, and the SARIF 2.1.0 run
//! skeleton. Each piece exists once, so the two commands' reports say things the same way.

use super::check::{JsonFinding, JsonLocation};
use super::redact::{redact, redact_opt};
use crate::error::Excerpt;
use crate::rules::{Finding, Rule, Severity};
use miette::{Diagnostic, LabeledSpan, SourceCode};
use std::fmt::Write as _;

impl JsonFinding {
    /// A finding as reports show it: message, help and credential name redacted, its
    /// fingerprint, `location` in the report's coordinates.
    pub fn new(f: &Finding, location: Option<JsonLocation>) -> JsonFinding {
        JsonFinding {
            rule: f.rule.clone(),
            severity: f.severity,
            message: redact(&f.message).into_owned(),
            credential: f.credential.as_deref().map(|c| redact(c).into_owned()),
            help: redact_opt(&f.help),
            fingerprint: f.fingerprint(),
            location,
            request: None,
        }
    }
}

/// The number of findings of a severity.
pub fn count(findings: &[JsonFinding], s: Severity) -> usize {
    findings.iter().filter(|f| f.severity == s).count()
}

/// A finding as a miette diagnostic over its source (message and help redacted).
#[derive(Debug)]
pub struct Diag {
    pub f: Finding,
    pub src: Option<Excerpt>,
    /// In the excerpt's coordinates.
    pub span: Option<(usize, usize)>,
}

impl std::fmt::Display for Diag {
    fn fmt(&self, fm: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(fm, "{}", redact(&self.f.message))
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.f.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.f.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.f
            .help
            .as_ref()
            .map(|h| Box::new(redact(h)) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (o, l) = self.span?;
        let label = match &self.f.credential {
            Some(c) => format!("{} ({})", self.f.rule, redact(c)),
            None => self.f.rule.clone(),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            o,
            l,
        ))))
    }
}

/// The handler that draws the human reports' diagnostics: 100 columns, no links, colour only
/// on a terminal without `NO_COLOR`.
pub fn handler() -> miette::GraphicalReportHandler {
    use std::io::IsTerminal;
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

/// Markdown: names in code spans, comma-separated; `—` for none.
pub fn code_list(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Markdown table cell text: `|` escaped, one line.
pub fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The icon of a severity in Markdown.
pub fn md_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "🔴",
        Severity::Warning => "🟡",
        Severity::Info => "🔵",
    }
}

/// The Markdown findings table (nothing when there is no finding); `nowhere` fills the
/// `where` cell of a finding without a location.
pub fn md_findings(o: &mut String, findings: &[JsonFinding], nowhere: &str) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(o, "| | rule | where | finding |");
    let _ = writeln!(o, "|---|---|---|---|");
    for f in findings {
        let place = f
            .location
            .as_ref()
            .map_or(nowhere.to_string(), |l| format!("`{}:{}`", l.file, l.line));
        let mut msg = md_escape(&f.message);
        if let Some(h) = &f.help {
            msg.push_str(&format!("<br>*fix:* {}", md_escape(h)));
        }
        let _ = writeln!(
            o,
            "| {} | `{}` | {place} | {msg} |",
            md_icon(f.severity),
            f.rule
        );
    }
}

/// The Markdown line counting suppressed and baselined findings (nothing when both are 0).
pub fn md_suppressed(o: &mut String, suppressed: usize, baselined: usize) {
    if suppressed > 0 || baselined > 0 {
        let _ = writeln!(o, "\n{suppressed} suppressed, {baselined} baselined.");
    }
}

/// SARIF's level of a severity.
pub fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a SARIF URI: each segment percent-encoded but for unreserved bytes.
pub fn uri(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            seg.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `broad-scope` → `BroadScope` (SARIF's rule name).
pub fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A SARIF run of `rules` (each with `tags`) and the findings, as a whole document:
/// `properties` and `invocation` are the run's own.
pub fn sarif(
    rules: &[&Rule],
    tags: &[&str],
    findings: &[JsonFinding],
    properties: serde_json::Value,
    invocation: serde_json::Value,
) -> String {
    let rules_json: Vec<serde_json::Value> = rules
        .iter()
        .map(|rule| {
            serde_json::json!({
                "id": rule.meta.id,
                "name": camel(&rule.meta.id),
                "shortDescription": {"text": rule.meta.title},
                "fullDescription": {"text": rule.meta.rationale},
                "help": {"text": rule.meta.fix, "markdown": format!("**{}**\n\n{}\n\n**Fix:** {}", rule.meta.title, rule.meta.rationale, rule.meta.fix)},
                "helpUri": format!("https://github.com/isc-scope-lint/isc-scope-lint#rule-{}", rule.meta.id),
                "defaultConfiguration": {"level": sarif_level(rule.meta.severity)},
                "properties": {"tags": tags},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let idx = rules.iter().position(|x| x.meta.id == f.rule).unwrap_or(0);
            let mut msg = f.message.clone();
            if let Some(h) = &f.help {
                msg.push_str(&format!(" Fix: {h}"));
            }
            let mut res = serde_json::json!({
                "ruleId": f.rule,
                "ruleIndex": idx,
                "level": sarif_level(f.severity),
                "message": {"text": msg},
                "partialFingerprints": {"iscScopeLint/v1": f.fingerprint},
            });
            if let Some(l) = &f.location {
                res["locations"] = serde_json::json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&l.file), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": l.line, "startColumn": l.column}
                    }
                }]);
            }
            // A branch candidate at its literal: the request that sends it.
            if let Some(q) = &f.request {
                res["relatedLocations"] = serde_json::json!([{
                    "id": 1,
                    "message": {"text": "the request that sends this URL"},
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&q.file), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": q.line, "startColumn": q.column}
                    }
                }]);
            }
            res
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "isc-scope-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/isc-scope-lint/isc-scope-lint",
                "rules": rules_json,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///"}},
            "properties": properties,
            "invocations": [invocation],
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&doc).expect("serialises") + "\n"
}
