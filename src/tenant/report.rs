//! Reports of `tenant`: a model built once from the audit and the findings, rendered as human
//! diagnostics (miette, over the manifest a finding points at), versioned JSON, Markdown,
//! SARIF 2.1.0 or HTML (`super::html`). No output holds a secret: the inventory never keeps
//! one, and messages, credential and owner names are redacted as `check`'s messages are.

use super::{Audit, Join, kind_label, time};
use crate::catalog::{AuthKind, Catalog};
use crate::error::{Excerpt, LineIndex};
use crate::report::check::{JsonFinding, JsonLocation};
use crate::report::redact::redact;
use crate::report::shared::{self, Diag, code_list, md_escape, md_findings, md_suppressed};
use crate::rules::engine::Outcome;
use crate::rules::{self, Finding, Location, Severity};
use crate::solver::Solver;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Version of the JSON report's shape (bumped on incompatible changes).
pub const JSON_VERSION: u32 = 1;

/// Formats of `tenant`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Sarif,
    /// A self-contained HTML page for reviewers (`super::html`).
    Html,
}

#[derive(Serialize, Debug, Clone)]
pub struct Reach {
    pub operations: usize,
    pub writes: usize,
}

#[derive(Serialize, Debug, Clone)]
pub struct Owner {
    pub id: Option<String>,
    pub name: Option<String>,
    /// The auth user's `capabilities` (`None`: its auth user was not read).
    pub user_levels: Option<Vec<String>>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Needed {
    pub scopes: Vec<String>,
    pub user_levels: Vec<String>,
    pub client_credentials_possible: bool,
    pub incomplete: bool,
    pub minimal_proven: bool,
    pub reach: Reach,
}

#[derive(Serialize, Debug, Clone)]
pub struct CredentialJson {
    pub kind: crate::manifest::CredentialKind,
    pub id: String,
    pub name: String,
    pub owner: Option<Owner>,
    pub scopes: Vec<String>,
    pub enabled: bool,
    pub created: String,
    pub last_used: Option<String>,
    pub expires: Option<String>,
    /// The declared credentials joined to it: `name (manifest or report)`.
    pub users: Vec<String>,
    /// Claimed by an ambiguous join.
    pub contested: bool,
    pub reach: Reach,
    /// The union of its users' minimal grants (`None`: no user).
    pub needed: Option<Needed>,
}

#[derive(Serialize, Debug, Clone)]
pub struct DeclaredJson {
    pub name: String,
    pub kind: crate::manifest::CredentialKind,
    pub id: Option<String>,
    pub source: String,
    /// `joined`, `absent`, `ambiguous` or `not-audited` (that kind was not read).
    pub join: &'static str,
    pub tenant_ids: Vec<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Inventory {
    pub personal_access_tokens: Option<usize>,
    pub oauth_clients: Option<usize>,
    pub auth_users: Option<usize>,
}

/// The report model.
#[derive(Serialize, Debug, Clone)]
pub struct Report {
    pub version: u32,
    pub tool: String,
    pub catalog: String,
    pub scope_semantics: crate::solver::Semantics,
    pub as_of: String,
    pub stale_days: i64,
    pub inventory: Inventory,
    pub findings: Vec<JsonFinding>,
    pub credentials: Vec<CredentialJson>,
    /// SailPoint-managed PATs and internal OAuth clients: listed, not judged.
    pub managed: Vec<CredentialJson>,
    pub declared: Vec<DeclaredJson>,
    pub suppressed: usize,
    pub baselined: usize,
}

fn loc_json(f: &Finding) -> Option<JsonLocation> {
    match &f.location {
        Location::Code { file, line, column } => Some(JsonLocation {
            file: file.clone(),
            line: *line,
            column: *column,
        }),
        _ => None,
    }
}

fn reach(solver: &Solver, auth: AuthKind, b: &crate::solver::Bitset) -> Reach {
    Reach {
        operations: b.count(),
        writes: b.count_and(solver.scope_index(auth).write_mask()),
    }
}

fn cred_json(a: &Audit, cat: &Catalog, solver: &Solver, i: usize) -> CredentialJson {
    let c = &a.creds[i];
    let auth = super::auth_of(c.kind);
    let levels = a.owner_levels(c);
    let held = a.reach(
        solver,
        c,
        &Audit::scope_ids(cat, &c.scope_names()),
        levels.as_deref(),
    );
    let needed = a.unions[i].as_ref().map(|u| {
        let (scopes, lv) = match auth {
            AuthKind::User => (&u.req.pat_scopes.scopes, u.req.pat_levels.levels.clone()),
            AuthKind::App => (&u.req.client.scopes, Vec::new()),
        };
        let r = a.reach(
            solver,
            c,
            scopes,
            (auth == AuthKind::User).then_some(lv.as_slice()),
        );
        Needed {
            scopes: scopes
                .iter()
                .map(|&s| cat.scope_name(s).to_string())
                .collect(),
            user_levels: lv,
            client_credentials_possible: u.req.client.possible,
            incomplete: u.incomplete,
            minimal_proven: u.req.exact(),
            reach: reach(solver, auth, &r),
        }
    });
    CredentialJson {
        kind: c.kind,
        id: c.id.clone(),
        name: redact(&c.name).into_owned(),
        owner: (c.kind == crate::manifest::CredentialKind::Pat).then(|| Owner {
            id: c.owner_id.clone(),
            name: c.owner_name.as_deref().map(|n| redact(n).into_owned()),
            user_levels: levels.clone(),
        }),
        scopes: c.scope_names(),
        enabled: c.enabled,
        created: time::date(c.created),
        last_used: c.last_used.map(time::date),
        expires: c.expiration.map(time::date),
        users: a.users_of[i]
            .iter()
            .map(|&d| {
                redact(&format!(
                    "{} ({})",
                    a.declared[d].name, a.declared[d].source
                ))
                .into_owned()
            })
            .collect(),
        contested: a.contested[i],
        reach: reach(solver, auth, &held),
        needed,
    }
}

impl Report {
    pub fn new(a: &Audit, cat: &Catalog, solver: &Solver, outcome: &Outcome) -> Report {
        let (managed, judged): (Vec<usize>, Vec<usize>) =
            (0..a.creds.len()).partition(|&i| a.creds[i].managed);
        Report {
            version: JSON_VERSION,
            tool: format!("isc-scope-lint {}", env!("CARGO_PKG_VERSION")),
            catalog: cat.provenance.label.clone(),
            scope_semantics: a.semantics,
            as_of: time::date(a.as_of),
            stale_days: a.stale_days,
            inventory: Inventory {
                personal_access_tokens: a.have_pats.then(|| {
                    a.creds
                        .iter()
                        .filter(|c| c.kind == crate::manifest::CredentialKind::Pat)
                        .count()
                }),
                oauth_clients: a.have_clients.then(|| {
                    a.creds
                        .iter()
                        .filter(|c| c.kind == crate::manifest::CredentialKind::OauthClient)
                        .count()
                }),
                auth_users: a.users.as_ref().map(BTreeMap::len),
            },
            findings: outcome
                .findings
                .iter()
                .map(|f| JsonFinding::new(f, loc_json(f)))
                .collect(),
            credentials: judged
                .iter()
                .map(|&i| cred_json(a, cat, solver, i))
                .collect(),
            managed: managed
                .iter()
                .map(|&i| cred_json(a, cat, solver, i))
                .collect(),
            declared: a
                .declared
                .iter()
                .zip(&a.joins)
                .map(|(d, j)| {
                    let (join, ids) = match j {
                        Join::Joined(i) => ("joined", vec![a.creds[*i].id.clone()]),
                        Join::Absent { .. } => ("absent", Vec::new()),
                        Join::Ambiguous(v) => (
                            "ambiguous",
                            v.iter().map(|&i| a.creds[i].id.clone()).collect(),
                        ),
                        Join::NotAudited => ("not-audited", Vec::new()),
                    };
                    DeclaredJson {
                        name: redact(&d.name).into_owned(),
                        kind: d.kind,
                        id: d.id.clone(),
                        source: d.source.clone(),
                        join,
                        tenant_ids: ids,
                    }
                })
                .collect(),
            suppressed: outcome.suppressed,
            baselined: outcome.baselined,
        }
    }
}

/// Renders a report.
pub fn render(
    format: Format,
    a: &Audit,
    cat: &Catalog,
    solver: &Solver,
    outcome: &Outcome,
    sources: &BTreeMap<String, String>,
) -> String {
    let r = Report::new(a, cat, solver, outcome);
    match format {
        Format::Json => json(&r),
        Format::Human => human(&r, outcome, sources),
        Format::Markdown => markdown(&r),
        Format::Sarif => sarif(&r),
        Format::Html => super::html::render(&r, a, cat, solver, outcome, sources),
    }
}

/// The JSON report, written into a buffer sized for it once: grown by doubling, each step of
/// a buffer of megabytes was a fresh block, copied (on the benchmark's 10,000 PATs, 13% of
/// the audit's page faults).
fn json(r: &Report) -> String {
    let items = r.findings.len() + r.credentials.len() + r.managed.len() + r.declared.len();
    let mut out = Vec::with_capacity(4096 + 1024 * items);
    serde_json::to_writer_pretty(&mut out, r).expect("serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("JSON is UTF-8")
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

fn human(r: &Report, outcome: &Outcome, sources: &BTreeMap<String, String>) -> String {
    let mut o = String::new();
    let handler = shared::handler();
    let mut texts: std::collections::HashMap<&str, (std::borrow::Cow<str>, LineIndex)> =
        std::collections::HashMap::new();
    for f in &outcome.findings {
        let excerpt = match &f.location {
            Location::Code { file, line, column } => sources.get(file).map(|text| {
                let (text, lines) = texts.entry(file.as_str()).or_insert_with(|| {
                    let t = crate::rules::hardcoded_secret::mask_secrets(text);
                    let l = LineIndex::new(&t);
                    (t, l)
                });
                let off = lines.offset_of(text, *line, *column);
                let end = text[off..].find('\n').map_or(text.len(), |i| off + i);
                Excerpt::new(file, text, lines, (off, (end - off).max(1)))
            }),
            _ => None,
        };
        let (src, span) = match excerpt {
            Some((e, s)) => (Some(e), Some(s)),
            None => (None, None),
        };
        let _ = handler.render_report(
            &mut o,
            &Diag {
                f: f.clone(),
                src,
                span,
            },
        );
        o.push('\n');
    }
    let _ = writeln!(o, "{}", "─".repeat(80));
    let _ = writeln!(
        o,
        "{} · catalog: {} · scope semantics: {}",
        r.tool,
        r.catalog,
        serde_json::to_value(r.scope_semantics)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    let count = |n: Option<usize>| n.map_or("not read".to_string(), |n| n.to_string());
    let _ = writeln!(
        o,
        "tenant audit as of {} (stale after {} days): {} PAT(s), {} OAuth client(s), {} auth user(s); {} declared credential(s)",
        r.as_of,
        r.stale_days,
        count(r.inventory.personal_access_tokens),
        count(r.inventory.oauth_clients),
        count(r.inventory.auth_users),
        r.declared.len()
    );
    for c in &r.credentials {
        let _ = writeln!(o, "\n{} `{}` ({})", kind_label(c.kind), c.name, c.id);
        if let Some(ow) = &c.owner {
            let lv = ow
                .user_levels
                .as_ref()
                .map_or("levels unknown".to_string(), |l| list(l));
            let _ = writeln!(
                o,
                "  owner    {} ({})",
                ow.name.as_deref().or(ow.id.as_deref()).unwrap_or("?"),
                lv
            );
        }
        let _ = writeln!(o, "  holds    {}", list(&c.scopes));
        let _ = writeln!(
            o,
            "           reach: {} operations ({} writes)",
            c.reach.operations, c.reach.writes
        );
        match &c.needed {
            Some(n) => {
                let mut tags = String::new();
                if n.incomplete {
                    tags.push_str(" ⚠ incomplete");
                }
                if !n.minimal_proven {
                    tags.push_str(" ⚠ not proven minimal");
                }
                let _ = writeln!(o, "  needs    {}{tags}", list(&n.scopes));
                if c.kind == crate::manifest::CredentialKind::Pat {
                    let _ = writeln!(
                        o,
                        "           owner user levels: {}",
                        if n.user_levels.is_empty() {
                            "none elevated".to_string()
                        } else {
                            n.user_levels.join(", ")
                        }
                    );
                }
                let _ = writeln!(
                    o,
                    "           reach: {} operations ({} writes)",
                    n.reach.operations, n.reach.writes
                );
                let _ = writeln!(o, "  used by  {}", c.users.join(", "));
            }
            None if c.contested => {
                let _ = writeln!(o, "  used by  ? (an ambiguous join: see the finding)");
            }
            None => {
                let _ = writeln!(o, "  used by  no manifest or report");
            }
        }
        let _ = writeln!(
            o,
            "  created  {} · last used {} · {}{}",
            c.created,
            c.last_used.as_deref().unwrap_or("never"),
            match (&c.expires, c.kind) {
                (Some(e), _) => format!("expires {e}"),
                (None, crate::manifest::CredentialKind::Pat) => "never expires".to_string(),
                (None, _) => "no expiry".to_string(),
            },
            if c.enabled { "" } else { " · disabled" }
        );
    }
    if !r.managed.is_empty() {
        let _ = writeln!(o, "\nSailPoint-managed (listed apart, not judged):");
        for c in &r.managed {
            let _ = writeln!(
                o,
                "  {} `{}` ({}) · last used {}",
                kind_label(c.kind),
                c.name,
                c.id,
                c.last_used.as_deref().unwrap_or("never")
            );
        }
    }
    let sev = |s: Severity| shared::count(&r.findings, s);
    let _ = writeln!(
        o,
        "\n{} error(s), {} warning(s), {} info",
        sev(Severity::Error),
        sev(Severity::Warning),
        sev(Severity::Info)
    );
    if r.suppressed > 0 || r.baselined > 0 {
        let _ = writeln!(o, "{} suppressed, {} baselined", r.suppressed, r.baselined);
    }
    o
}

fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## isc-scope-lint tenant audit ({})\n", r.as_of);
    let _ = writeln!(
        o,
        "| credential | owner levels | holds | needs | reach: held → needed | used by | last used |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for c in &r.credentials {
        let levels = c
            .owner
            .as_ref()
            .and_then(|ow| ow.user_levels.as_ref())
            .map_or("—".to_string(), |l| code_list(l));
        let (needs, to) = match &c.needed {
            Some(n) => (
                code_list(&n.scopes),
                format!("{} ops ({} writes)", n.reach.operations, n.reach.writes),
            ),
            None => ("—".to_string(), "—".to_string()),
        };
        let _ = writeln!(
            o,
            "| {} `{}` ({}) | {} | {} | {} | {} ops ({} writes) → {} | {} | {} |",
            kind_label(c.kind),
            md_escape(&c.name),
            md_escape(&c.id),
            levels,
            code_list(&c.scopes),
            needs,
            c.reach.operations,
            c.reach.writes,
            to,
            if c.users.is_empty() {
                "—".to_string()
            } else {
                md_escape(&c.users.join(", "))
            },
            c.last_used.as_deref().unwrap_or("never")
        );
    }
    let sev = |s: Severity| shared::count(&r.findings, s);
    let _ = writeln!(
        o,
        "\n**{} error(s), {} warning(s), {} info** · {} managed credential(s) listed apart · catalog {}\n",
        sev(Severity::Error),
        sev(Severity::Warning),
        sev(Severity::Info),
        r.managed.len(),
        r.catalog
    );
    md_findings(&mut o, &r.findings, "tenant");
    md_suppressed(&mut o, r.suppressed, r.baselined);
    o
}

/// SARIF 2.1.0 with the `tenant-*` rules; findings on a manifest point at it.
fn sarif(r: &Report) -> String {
    let rules: Vec<&rules::Rule> = rules::all()
        .iter()
        .filter(|x| x.meta.id.starts_with("tenant-"))
        .collect();
    shared::sarif(
        &rules,
        &["security", "least-privilege", "tenant"],
        &r.findings,
        serde_json::json!({"catalog": r.catalog, "asOf": r.as_of}),
        serde_json::json!({"executionSuccessful": true}),
    )
}
