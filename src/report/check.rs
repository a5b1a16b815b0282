//! `check` reports: a model built once from the rule context and the findings, rendered as
//! human diagnostics (miette), versioned JSON, SARIF 2.1.0, a Markdown PR comment, or GitHub
//! workflow commands.

use super::shared::{Diag, code_list, md_escape, md_findings, md_suppressed};
use crate::catalog::{AuthKind, OpId};
use crate::check::Run;
use crate::error::{Excerpt, LineIndex};
use crate::rules::engine::Outcome;
use crate::rules::{self, Context, CredView, Finding, Location, Severity};
use crate::solver::Requirements;
use crate::solver::scopes::enabling_scopes;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Version of the JSON report's shape (bumped on incompatible changes).
pub const JSON_VERSION: u32 = 2;

/// Report formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Markdown,
    Github,
    /// A self-contained HTML page for reviewers (`super::html`).
    Html,
    /// A GitLab Code Quality report.
    Gitlab,
}

/// A grant and its reach, each quantity named once (as in `scopes --format json`):
/// `unlocked_operations` by the scopes alone, `user_levels_unlocked` by the owner levels
/// alone, `blast_radius` by both (what the token can really do).
#[derive(Serialize, Debug, Clone)]
pub struct Grant {
    pub scopes: Vec<String>,
    pub user_levels: Vec<String>,
    /// Operations the scopes alone allow.
    pub unlocked_operations: usize,
    pub unlocked_write_operations: usize,
    /// Operations the owner levels alone allow (`null`: no owner levels, an OAuth client or
    /// a manifest without them).
    pub user_levels_unlocked: Option<super::scopes::Radius>,
    /// Operations both the scopes and the owner levels allow.
    pub blast_radius: super::scopes::Radius,
}

#[derive(Serialize, Debug, Clone)]
pub struct Need {
    pub operation: String,
    /// `file:line` of each call (or `manifest` for calls the manifest lists).
    pub calls: Vec<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct CredentialSummary {
    pub name: String,
    pub kind: crate::manifest::CredentialKind,
    /// The manifest's `id:` (the credential's id in the tenant), for `tenant --report`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The manifest's `owner.service_account: true`, for `tenant --report`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub service_account: bool,
    pub calls: usize,
    /// Some call could not be settled: the minimal grant may miss what it needs.
    pub incomplete: bool,
    /// The minimal grant is proven minimal (false: the solver's effort budget ran out and a
    /// greedy grant that lets every call through is shown).
    pub minimal_proven: bool,
    pub granted: Grant,
    pub minimal: Grant,
    /// Client credentials instead (PATs): possible, and with which scopes.
    pub client_credentials_possible: bool,
    pub scopes_needed_by: BTreeMap<String, Vec<Need>>,
    pub user_levels_needed_by: BTreeMap<String, Vec<Need>>,
    /// Under any-of: the writes the minimal grant authorises through read scopes only, in one
    /// line naming the rule and the all-of alternative (`null` when there are none).
    pub read_scope_writes: Option<String>,
    /// When the minimal grant holds `sp:scopes:all` or ORG_ADMIN: the calls that force it
    /// (no narrower alternative), then the other operations as a count.
    pub forced_by: BTreeMap<String, super::forced::Forced>,
}

/// The call sites (`file:line`, `manifest`) of each operation of a credential.
pub fn sites_of(
    cx: &Context,
    c_calls: &[usize],
    extra: &[(OpId, (usize, usize))],
) -> BTreeMap<OpId, Vec<String>> {
    let mut sites: BTreeMap<OpId, Vec<String>> = BTreeMap::new();
    for &i in c_calls {
        if let Some(op) = cx.calls[i].op {
            sites
                .entry(op)
                .or_default()
                .push(format!("{}:{}", cx.calls[i].file, cx.calls[i].line));
        }
    }
    for (op, _) in extra {
        sites.entry(*op).or_default().push("manifest".into());
    }
    sites
}

/// The legacy private API calls among `c_calls`, grouped by `METHOD /path`.
pub fn legacy_of(cx: &Context, c_calls: &[usize]) -> Vec<super::forced::LegacyCall> {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &i in c_calls {
        let c = &cx.calls[i];
        if rules::context::is_legacy_call(c) {
            by.entry(format!(
                "{} {}",
                c.method.map_or("?", |m| m.as_str()),
                c.path.as_deref().unwrap_or("")
            ))
            .or_default()
            .push(format!("{}:{}", c.file, c.line));
        }
    }
    by.into_iter().collect()
}

#[derive(Serialize, Debug, Clone)]
pub struct JsonLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize, Debug, Clone)]
pub struct JsonFinding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub credential: Option<String>,
    pub help: Option<String>,
    pub fingerprint: String,
    pub location: Option<JsonLocation>,
    /// For a finding at a candidate of a URL chosen in branches (placed at its literal):
    /// where the request itself is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<JsonLocation>,
}

/// The report model.
#[derive(Serialize, Debug, Clone)]
pub struct Report {
    pub version: u32,
    pub tool: String,
    pub catalog: String,
    pub scope_semantics: crate::solver::Semantics,
    pub manifest: Option<String>,
    pub files_scanned: usize,
    pub calls: usize,
    pub unresolved_calls: usize,
    pub findings: Vec<JsonFinding>,
    pub credentials: Vec<CredentialSummary>,
    /// The minimal grant for all calls of the project (a PAT), when there is no manifest.
    pub project: Option<CredentialSummary>,
    pub suppressed: usize,
    pub baselined: usize,
}

fn loc_of(run: &Run, f: &Finding) -> Option<JsonLocation> {
    match &f.location {
        Location::Code { file, line, column } => Some(JsonLocation {
            file: file.clone(),
            line: *line,
            column: *column,
        }),
        Location::Manifest { offset, .. } => run.manifest.as_ref().map(|m| {
            let (line, column) = m.line_col(*offset);
            JsonLocation {
                file: m.display.clone(),
                line,
                column,
            }
        }),
        Location::Project => None,
    }
}

/// The request of the call a finding points at, when that call is a branch candidate placed
/// at its own literal.
fn request_of(cx: &Context, f: &Finding) -> Option<JsonLocation> {
    let Location::Code { file, line, column } = &f.location else {
        return None;
    };
    cx.calls.iter().find_map(|c| {
        (c.file == *file && c.line == *line && c.column == *column)
            .then(|| {
                Some(JsonLocation {
                    file: c.file.clone(),
                    line: c.request_line?,
                    column: c.request_column?,
                })
            })
            .flatten()
    })
}

fn grant(cx: &Context, auth: AuthKind, scopes: &[u16], levels: &[String]) -> Grant {
    let idx = cx.solver.scope_index(auth);
    let u = idx.unlocked(scopes, cx.semantics);
    let radius = |b: &crate::solver::Bitset| super::scopes::Radius {
        operations: b.count(),
        write_operations: b.count_and(idx.write_mask()),
    };
    let by_levels =
        (auth == AuthKind::User && !levels.is_empty()).then(|| cx.solver.levels.unlocked(levels));
    let mut both = u.clone();
    if let Some(l) = &by_levels {
        both.intersect_with(l);
    }
    Grant {
        scopes: cx
            .scope_names(scopes)
            .into_iter()
            .map(str::to_string)
            .collect(),
        user_levels: levels.to_vec(),
        unlocked_operations: u.count(),
        unlocked_write_operations: u.count_and(idx.write_mask()),
        user_levels_unlocked: by_levels.as_ref().map(radius),
        blast_radius: radius(&both),
    }
}

fn needs(
    cx: &Context,
    c_calls: &[usize],
    extra: &[(OpId, (usize, usize))],
    auth: AuthKind,
    req: &Requirements,
) -> (BTreeMap<String, Vec<Need>>, BTreeMap<String, Vec<Need>>) {
    let scopes = match auth {
        AuthKind::User => &req.pat_scopes.scopes,
        AuthKind::App => &req.client.scopes,
    };
    let sites = sites_of(cx, c_calls, extra);
    let mut by_scope: BTreeMap<String, Vec<Need>> = BTreeMap::new();
    let mut by_level: BTreeMap<String, Vec<Need>> = BTreeMap::new();
    // Legacy calls need sp:scopes:all (and, as far as is known, ORG_ADMIN).
    for (call, at) in legacy_of(cx, c_calls) {
        let need = Need {
            operation: call,
            calls: at,
        };
        by_scope
            .entry(crate::catalog::ALL_SCOPES.to_string())
            .or_default()
            .push(need.clone());
        if auth == AuthKind::User {
            by_level
                .entry(crate::solver::levels::ORG_ADMIN.to_string())
                .or_default()
                .push(need);
        }
    }
    for (&op, calls) in &sites {
        let need = Need {
            operation: cx.op_name(op),
            calls: calls.clone(),
        };
        for s in enabling_scopes(cx.catalog, op, scopes, auth, cx.semantics) {
            by_scope
                .entry(cx.catalog.scope_name(s).to_string())
                .or_default()
                .push(need.clone());
        }
        if auth == AuthKind::User {
            for l in cx.solver.levels.enabling_levels(op, &req.pat_levels.levels) {
                by_level.entry(l).or_default().push(need.clone());
            }
        }
    }
    (by_scope, by_level)
}

fn summary(cx: &Context, c: &CredView) -> CredentialSummary {
    let (scopes_needed_by, user_levels_needed_by) =
        needs(cx, &c.calls, &c.extra, c.auth, &c.minimal);
    let min_levels = if c.auth == AuthKind::User {
        c.minimal.pat_levels.levels.clone()
    } else {
        Vec::new()
    };
    CredentialSummary {
        name: c.name.clone(),
        kind: c.kind,
        id: cx
            .manifest
            .and_then(|m| m.manifest.credentials.get(c.index))
            .and_then(|m| m.id.clone()),
        service_account: c.service_account == Some(true),
        calls: c.calls.len() + c.extra.len(),
        incomplete: c.incomplete,
        minimal_proven: c.minimal.exact(),
        granted: grant(
            cx,
            c.auth,
            &c.granted,
            if c.auth == AuthKind::User && c.levels_listed {
                &c.levels
            } else {
                &[]
            },
        ),
        minimal: grant(cx, c.auth, c.minimal_scopes(), &min_levels),
        client_credentials_possible: c.minimal.client.possible,
        scopes_needed_by,
        user_levels_needed_by,
        read_scope_writes: crate::solver::scopes::read_scope_write_note(
            cx.catalog,
            &c.ops,
            c.minimal_scopes(),
            c.auth,
            cx.semantics,
        ),
        forced_by: super::forced::forced_by(
            cx.solver,
            &c.minimal,
            c.auth,
            &sites_of(cx, &c.calls, &c.extra),
            &legacy_of(cx, &c.calls),
        ),
    }
}

impl Report {
    pub fn new(run: &Run, cx: &Context, outcome: &Outcome) -> Report {
        let credentials: Vec<CredentialSummary> = cx.creds.iter().map(|c| summary(cx, c)).collect();
        let project = if run.manifest.is_none() {
            let all: Vec<usize> = (0..cx.calls.len()).collect();
            let (s, l) = needs(cx, &all, &[], AuthKind::User, &cx.project);
            Some(CredentialSummary {
                name: "(all calls)".into(),
                kind: crate::manifest::CredentialKind::Pat,
                id: None,
                service_account: false,
                calls: cx
                    .calls
                    .iter()
                    .filter(|c| c.via != crate::discover::Via::Auth)
                    .count(),
                incomplete: cx.calls.iter().any(|c| !c.resolved),
                minimal_proven: cx.project.exact(),
                granted: grant(
                    cx,
                    AuthKind::User,
                    &[cx.catalog.all_scopes_id()],
                    &["ORG_ADMIN".to_string()],
                ),
                minimal: grant(
                    cx,
                    AuthKind::User,
                    &cx.project.pat_scopes.scopes,
                    &cx.project.pat_levels.levels,
                ),
                client_credentials_possible: cx.project.client.possible,
                scopes_needed_by: s,
                user_levels_needed_by: l,
                read_scope_writes: crate::solver::scopes::read_scope_write_note(
                    cx.catalog,
                    &cx.project.ops,
                    &cx.project.pat_scopes.scopes,
                    AuthKind::User,
                    cx.semantics,
                ),
                forced_by: super::forced::forced_by(
                    cx.solver,
                    &cx.project,
                    AuthKind::User,
                    &sites_of(cx, &all, &[]),
                    &legacy_of(cx, &all),
                ),
            })
        } else {
            None
        };
        Report {
            version: JSON_VERSION,
            tool: format!("isc-scope-lint {}", env!("CARGO_PKG_VERSION")),
            catalog: cx.catalog.provenance.label.clone(),
            scope_semantics: cx.semantics,
            manifest: run.manifest.as_ref().map(|m| m.display.clone()),
            files_scanned: run.discovery.files_scanned,
            calls: cx
                .calls
                .iter()
                .filter(|c| c.via != crate::discover::Via::Auth)
                .count(),
            unresolved_calls: cx.calls.iter().filter(|c| !c.resolved).count(),
            findings: outcome
                .findings
                .iter()
                .map(|f| JsonFinding {
                    request: request_of(cx, f),
                    ..JsonFinding::new(f, loc_of(run, f))
                })
                .collect(),
            credentials,
            project,
            suppressed: outcome.suppressed,
            baselined: outcome.baselined,
        }
    }
}

/// Renders a report.
pub fn render(
    format: Format,
    run: &Run,
    cx: &Context,
    outcome: &Outcome,
    html: &super::html::Options,
) -> String {
    let report = Report::new(run, cx, outcome);
    match format {
        Format::Html => super::html::render(run, cx, &report, html),
        Format::Gitlab => super::gitlab::render(&report),
        Format::Json => serde_json::to_string_pretty(&report).expect("serialises") + "\n",
        Format::Human => human(run, outcome, &report),
        Format::Markdown => markdown(&report),
        Format::Github => github(&report),
        Format::Sarif => sarif(&report),
    }
}

/// The span of the token at a line/column of a source: a quoted string to its closing quote,
/// else the word (at most a line's worth of bytes are looked at).
fn code_span(text: &str, lines: &LineIndex, line: usize, column: usize) -> (usize, usize) {
    let l = line.saturating_sub(1).min(lines.len() - 1);
    let (start_line, end_line) = (lines.start(l), lines.end(text, l));
    let line_text = &text[start_line..end_line];
    let off_in_line: usize = line_text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let rest = &line_text[off_in_line.min(line_text.len())..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'' | '`')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        Some(_) => rest
            .find(|c: char| c.is_whitespace() || "(),;".contains(c))
            .unwrap_or(rest.len()),
        None => 0,
    };
    (start_line + off_in_line, len.max(1))
}

fn human(run: &Run, outcome: &Outcome, r: &Report) -> String {
    let mut o = String::new();
    let handler = super::shared::handler();
    // Each source once: its line index, and its text with found secrets masked (an excerpt
    // may show a secret's line, or a neighbouring one).
    let mut sources: std::collections::HashMap<&str, (std::borrow::Cow<str>, LineIndex)> =
        std::collections::HashMap::new();
    let manifest = run.manifest.as_ref().map(|m| {
        let text = crate::rules::hardcoded_secret::mask_secrets(&m.text);
        let lines = LineIndex::new(&text);
        (m, text, lines)
    });
    for (n, f) in outcome.findings.iter().enumerate() {
        let excerpt = match &f.location {
            Location::Code { file, line, column } => match run.sources.get(file) {
                Some(text) => {
                    let (text, lines) = sources.entry(file.as_str()).or_insert_with(|| {
                        let t = crate::rules::hardcoded_secret::mask_secrets(text);
                        let l = LineIndex::new(&t);
                        (t, l)
                    });
                    let span = code_span(text, lines, *line, *column);
                    Some(Excerpt::new(file, text, lines, span))
                }
                None => None,
            },
            Location::Manifest { offset, length } => manifest.as_ref().map(|(m, text, lines)| {
                Excerpt::new(&m.display, text, lines, (*offset, (*length).max(1)))
            }),
            Location::Project => None,
        };
        let (src, span) = match excerpt {
            Some((e, span)) => (Some(e), Some(span)),
            None => (None, None),
        };
        let mut f = f.clone();
        // A branch candidate shown at its literal: where its request is.
        if let Some(q) = r.findings.get(n).and_then(|j| j.request.as_ref()) {
            let at = format!("the request is at {}:{}:{}", q.file, q.line, q.column);
            f.help = Some(match f.help.take() {
                Some(h) => format!("{h}\n{at}"),
                None => at,
            });
        }
        let d = Diag { f, src, span };
        let _ = handler.render_report(&mut o, &d);
        o.push('\n');
    }
    let _ = writeln!(o, "{}", "─".repeat(80));
    let _ = writeln!(
        o,
        "{} · catalog: {} · scope semantics: {}",
        r.tool,
        r.catalog,
        r.scope_semantics.as_str()
    );
    match &r.manifest {
        Some(m) => {
            let _ = writeln!(o, "manifest: {m}");
        }
        None => {
            let _ = writeln!(
                o,
                "no manifest (isc-scope-lint.yaml): call-level rules only; `isc-scope-lint init` writes one"
            );
        }
    }
    let _ = writeln!(
        o,
        "{} call(s) in {} file(s), {} unresolved",
        r.calls, r.files_scanned, r.unresolved_calls
    );
    let creds: Vec<&CredentialSummary> = r.credentials.iter().chain(r.project.iter()).collect();
    for c in creds {
        let _ = writeln!(o);
        let kind = match c.kind {
            crate::manifest::CredentialKind::Pat => "PAT",
            crate::manifest::CredentialKind::OauthClient => "OAuth client",
            crate::manifest::CredentialKind::UserToken => "user token",
        };
        let title = if r.project.is_some() {
            "Minimal grant for all calls".to_string()
        } else {
            format!("Credential `{}` ({kind}, {} call(s))", c.name, c.calls)
        };
        let _ = writeln!(
            o,
            "{title}{}",
            if c.incomplete {
                " — INCOMPLETE: some calls could not be settled"
            } else {
                ""
            }
        );
        if !c.minimal_proven {
            let _ = writeln!(o, "  {}", crate::solver::NOT_PROVEN);
        }
        let show = |v: &[String]| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.join(", ")
            }
        };
        if r.project.is_none() {
            let _ = writeln!(o, "  granted  scopes: {}", show(&c.granted.scopes));
            if !c.granted.user_levels.is_empty() {
                let _ = writeln!(
                    o,
                    "           owner user levels: {}",
                    show(&c.granted.user_levels)
                );
            }
            let _ = writeln!(o, "           {}", reach(&c.granted));
        }
        if c.kind == crate::manifest::CredentialKind::OauthClient && !c.client_credentials_possible
        {
            let _ = writeln!(
                o,
                "  minimal  none: some calls accept only a user-context token (a PAT)"
            );
            continue;
        }
        let _ = writeln!(
            o,
            "  {}  scopes: {}",
            if c.minimal_proven {
                "minimal"
            } else {
                "greedy "
            },
            show(&c.minimal.scopes)
        );
        if c.kind != crate::manifest::CredentialKind::OauthClient {
            let _ = writeln!(
                o,
                "           owner user levels: {}",
                if c.minimal.user_levels.is_empty() {
                    "(none: USER suffices)".into()
                } else {
                    c.minimal.user_levels.join(", ")
                }
            );
        }
        let _ = writeln!(o, "           {}", reach(&c.minimal));
        for (scope, ns) in &c.scopes_needed_by {
            if let Some(f) = c.forced_by.get(scope) {
                let _ = writeln!(o, "    {scope} ← {}", super::forced::line(scope, f, 10));
                continue;
            }
            let _ = writeln!(
                o,
                "    {scope} ← {}",
                ns.iter()
                    .map(|n| format!("{} ({})", n.operation, n.calls.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        for (lvl, ns) in &c.user_levels_needed_by {
            if let Some(f) = c.forced_by.get(lvl) {
                let _ = writeln!(o, "    {lvl} ← {}", super::forced::line(lvl, f, 10));
                continue;
            }
            let _ = writeln!(
                o,
                "    {lvl} ← {}",
                ns.iter()
                    .map(|n| n.operation.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        if let Some(n) = &c.read_scope_writes {
            let _ = writeln!(o, "  note: {n}");
        }
    }
    let _ = writeln!(o);
    let count = |s: Severity| super::shared::count(&r.findings, s);
    let _ = write!(
        o,
        "{} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    if outcome.suppressed > 0 || outcome.baselined > 0 || outcome.below_min_severity > 0 {
        let _ = write!(
            o,
            " · {} suppressed, {} baselined, {} below --min-severity",
            outcome.suppressed, outcome.baselined, outcome.below_min_severity
        );
    }
    o.push('\n');
    o
}

/// `reach (operations, writes): scopes alone N (W) · owner levels alone … · both …`.
fn reach(g: &Grant) -> String {
    let mut s = format!(
        "reach (operations, writes): scopes alone {} ({})",
        g.unlocked_operations, g.unlocked_write_operations
    );
    if let Some(l) = &g.user_levels_unlocked {
        let _ = write!(
            s,
            " · owner levels alone {} ({}) · both {} ({})",
            l.operations,
            l.write_operations,
            g.blast_radius.operations,
            g.blast_radius.write_operations
        );
    }
    s
}

fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## isc-scope-lint\n");
    let _ = writeln!(
        o,
        "| credential | granted scopes | minimal scopes | minimal owner levels | reach by scopes and levels: granted → minimal |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for c in r.credentials.iter().chain(r.project.iter()) {
        let _ = writeln!(
            o,
            "| `{}`{}{} | {} | {} | {} | {} → {} ops ({} → {} writes) |",
            c.name,
            if c.incomplete { " ⚠ incomplete" } else { "" },
            if c.minimal_proven {
                ""
            } else {
                " ⚠ not proven minimal"
            },
            code_list(&c.granted.scopes),
            code_list(&c.minimal.scopes),
            if c.kind != crate::manifest::CredentialKind::OauthClient {
                code_list(&c.minimal.user_levels)
            } else {
                "—".into()
            },
            c.granted.blast_radius.operations,
            c.minimal.blast_radius.operations,
            c.granted.blast_radius.write_operations,
            c.minimal.blast_radius.write_operations
        );
    }
    let _ = writeln!(o);
    for c in r.credentials.iter().chain(r.project.iter()) {
        for (item, f) in &c.forced_by {
            let _ = writeln!(
                o,
                "- `{}`: `{item}` ← {}",
                c.name,
                md_escape(&super::forced::line(item, f, 10))
            );
        }
        if let Some(n) = &c.read_scope_writes {
            let _ = writeln!(o, "- `{}`: {}", c.name, md_escape(n));
        }
    }
    if r.credentials
        .iter()
        .chain(r.project.iter())
        .any(|c| !c.forced_by.is_empty() || c.read_scope_writes.is_some())
    {
        let _ = writeln!(o);
    }
    let count = |s: Severity| super::shared::count(&r.findings, s);
    let _ = writeln!(
        o,
        "**{} error(s), {} warning(s), {} info** · {} call(s), {} unresolved · catalog {}\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        r.calls,
        r.unresolved_calls,
        r.catalog
    );
    md_findings(&mut o, &r.findings, "—");
    md_suppressed(&mut o, r.suppressed, r.baselined);
    for c in unproven(r) {
        let _ = writeln!(o, "\n⚠ `{}`: {}", c.name, crate::solver::NOT_PROVEN);
    }
    o
}

/// Credentials whose minimal grant is not proven minimal.
fn unproven(r: &Report) -> impl Iterator<Item = &CredentialSummary> {
    r.credentials
        .iter()
        .chain(r.project.iter())
        .filter(|c| !c.minimal_proven)
}

/// GitHub Actions workflow commands: `::warning file=…,line=…,col=…,title=…::message`.
fn github(r: &Report) -> String {
    let esc_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let esc_prop = |s: &str| esc_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut o = String::new();
    for f in &r.findings {
        let cmd = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &f.location {
            props.push(format!("file={}", esc_prop(&l.file)));
            props.push(format!("line={}", l.line));
            props.push(format!("col={}", l.column));
        }
        props.push(format!(
            "title={}",
            esc_prop(&format!("isc-scope-lint {}", f.rule))
        ));
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push_str(&format!("\nfix: {h}"));
        }
        let _ = writeln!(o, "::{cmd} {}::{}", props.join(","), esc_data(&msg));
    }
    for c in unproven(r) {
        let _ = writeln!(
            o,
            "::warning title={}::{}",
            esc_prop("isc-scope-lint solver"),
            esc_data(&format!("`{}`: {}", c.name, crate::solver::NOT_PROVEN))
        );
    }
    o
}

/// SARIF 2.1.0.
fn sarif(r: &Report) -> String {
    // The `tenant-*` rules judge a tenant, never a project (`tenant` has its own SARIF).
    let all: Vec<&rules::Rule> = rules::all()
        .iter()
        .filter(|x| !x.meta.id.starts_with("tenant-"))
        .collect();
    let properties = serde_json::json!({
        "catalog": r.catalog,
        "minimalProven": unproven(r).next().is_none(),
        // Per credential: the calls that force sp:scopes:all / ORG_ADMIN.
        "forcedBy": r
            .credentials
            .iter()
            .chain(r.project.iter())
            .filter(|c| !c.forced_by.is_empty())
            .map(|c| (c.name.clone(), serde_json::to_value(&c.forced_by).expect("serialises")))
            .collect::<serde_json::Map<_, _>>(),
    });
    let invocation = serde_json::json!({
        "executionSuccessful": true,
        "toolExecutionNotifications": unproven(r)
            .map(|c| serde_json::json!({
                "level": "warning",
                "message": {"text": format!("`{}`: {}", c.name, crate::solver::NOT_PROVEN)},
            }))
            .collect::<Vec<_>>(),
    });
    super::shared::sarif(
        &all,
        &["security", "least-privilege"],
        &r.findings,
        properties,
        invocation,
    )
}
