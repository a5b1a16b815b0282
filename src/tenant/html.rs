//! `tenant --format html`: the tenant audit as one self-contained page for a security
//! reviewer, built from the pieces of `check`'s HTML report (`crate::report::html`): the same
//! style, Content-Security-Policy (nothing loaded, no script), escaping, severity filters,
//! findings layout and rule documentation.
//!
//! Sections: the inventory (PATs, OAuth clients, owners with their user levels and tokens,
//! declared credentials; SailPoint-managed ones counted apart); the findings, each with the
//! tenant credential and owner it is about and, where it has one, its blast-radius reduction
//! (held vs the union of its users' minimal grant, and the operations reachable before and
//! after, as a table and a chart); every judged credential; the join (which manifest or report
//! claims each credential, ambiguous and absent ones); the managed credentials; the rules.
//!
//! No secret can appear: the inventory never keeps one (`secret` fields are not read), and
//! every text that comes from the tenant or a manifest is redacted and escaped. The output
//! depends only on the audit (no clock: the date shown is `--as-of`'s).

use super::report::{CredentialJson, Reach, Report};
use super::{Audit, Join, TenantCred, auth_of, kind_key, kind_label};
use crate::catalog::{AuthKind, Catalog};
use crate::manifest::CredentialKind;
use crate::report::html::{self, Bar, Sources, esc, list_or_none};
use crate::report::redact::redact;
use crate::rules::Finding;
use crate::solver::Solver;
use crate::solver::levels::ORG_ADMIN;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Added to the check report's style: scope and level names wrap between names, not inside.
const STYLE: &str = "table.creds td.grant code,table.managed td.grant code{overflow-wrap:normal}\n";

/// A text from the tenant, a manifest or a report: redacted, then escaped.
fn t(s: &str) -> String {
    esc(&redact(s))
}

/// `name (levels)` of an owner, or `—`.
fn owner_cell(c: &CredentialJson) -> String {
    let Some(ow) = &c.owner else {
        return "<span class=\"muted\">—</span>".into();
    };
    let who = ow.name.as_deref().or(ow.id.as_deref()).unwrap_or("?");
    format!(
        "<code>{}</code><br>{}",
        t(who),
        match &ow.user_levels {
            Some(l) if l.is_empty() => "<span class=\"muted\">no user level</span>".to_string(),
            Some(l) => list_or_none(l),
            None => "<span class=\"muted\">levels unknown (auth user not read)</span>".to_string(),
        }
    )
}

fn reach_text(r: &Reach) -> String {
    format!("{} operations ({} writes)", r.operations, r.writes)
}

/// What acting on a finding takes off a credential's reach.
struct Reduction {
    /// `scopes` or `owner user levels`.
    what: &'static str,
    held: Vec<String>,
    after: Vec<String>,
    /// How the reach is counted.
    basis: &'static str,
    before: Reach,
    after_reach: Reach,
}

fn reach_of(solver: &Solver, auth: AuthKind, b: &crate::solver::Bitset) -> Reach {
    Reach {
        operations: b.count(),
        writes: b.count_and(solver.scope_index(auth).write_mask()),
    }
}

/// The blast-radius reduction of a finding about tenant credential `i` (`what`: the rest of
/// its subject), as the rule's message counts it.
fn reduction(
    a: &Audit,
    cat: &Catalog,
    solver: &Solver,
    rule: &str,
    i: usize,
    what: &str,
) -> Option<Reduction> {
    let c = &a.creds[i];
    let u = a.unions[i].as_ref()?;
    let auth = auth_of(c.kind);
    let levels = a.owner_levels(c);
    let held = c.scope_names();
    let with_levels = if c.kind == CredentialKind::Pat {
        if levels.is_some() {
            "scopes with the owner's current user levels"
        } else {
            "scopes (owner's user levels unknown: every level)"
        }
    } else {
        "scopes"
    };
    match rule {
        "tenant-broad-scope" => {
            let min = match auth {
                AuthKind::User => &u.req.pat_scopes.scopes,
                AuthKind::App => &u.req.client.scopes,
            };
            let wide = a.reach(solver, c, &Audit::scope_ids(cat, &held), levels.as_deref());
            let narrow = a.reach(solver, c, min, levels.as_deref());
            Some(Reduction {
                what: "scopes",
                held,
                after: min.iter().map(|&s| cat.scope_name(s).to_string()).collect(),
                basis: with_levels,
                before: reach_of(solver, auth, &wide),
                after_reach: reach_of(solver, auth, &narrow),
            })
        }
        "tenant-unused-scope" => {
            let kept: Vec<String> = held.iter().filter(|s| s.trim() != what).cloned().collect();
            let before = a.reach(solver, c, &Audit::scope_ids(cat, &held), levels.as_deref());
            let after = a.reach(solver, c, &Audit::scope_ids(cat, &kept), levels.as_deref());
            Some(Reduction {
                what: "scopes",
                held,
                after: kept,
                basis: with_levels,
                before: reach_of(solver, auth, &before),
                after_reach: reach_of(solver, auth, &after),
            })
        }
        "tenant-broad-user-level" => {
            let min = &u.req.pat_levels;
            let all = solver.levels.unlocked(&[ORG_ADMIN.to_string()]);
            Some(Reduction {
                what: "owner user levels",
                held: levels.unwrap_or_default(),
                after: min.levels.clone(),
                basis: "owner user levels alone",
                before: reach_of(solver, AuthKind::User, &all),
                after_reach: reach_of(solver, AuthKind::User, &min.unlocked),
            })
        }
        _ => None,
    }
}

fn reduction_html(o: &mut String, c: &TenantCred, r: &Reduction) {
    let name = format!("{} {}", kind_label(c.kind), c.name);
    let _ = write!(
        o,
        "<table class=\"grant reduction\"><caption>Blast radius of {}: held in the tenant, and what its users need</caption><thead><tr><th scope=\"col\">grant</th><th scope=\"col\">held</th><th scope=\"col\">needed</th><th scope=\"col\">change</th></tr></thead><tbody>",
        t(&name)
    );
    html::diff_rows(o, r.what, &r.held, &r.after, true);
    let _ = write!(
        o,
        "<tr><th scope=\"row\">reach ({})</th><td>{}</td><td>{}</td><td>{} fewer operations, {} fewer writes</td></tr></tbody></table>",
        r.basis,
        reach_text(&r.before),
        reach_text(&r.after_reach),
        r.before.operations.saturating_sub(r.after_reach.operations),
        r.before.writes.saturating_sub(r.after_reach.writes)
    );
    let desc = format!(
        "Reach of {name} ({}): held {}, needed {}",
        r.basis,
        reach_text(&r.before),
        reach_text(&r.after_reach)
    );
    o.push_str(&html::bars(
        &redact(&desc),
        &Bar {
            label: "held",
            operations: r.before.operations,
            writes: r.before.writes,
        },
        &Bar {
            label: "needed",
            operations: r.after_reach.operations,
            writes: r.after_reach.writes,
        },
        true,
    ));
}

/// The tenant credential a finding is about, from its subject (`kind:id what`, see
/// [`TenantCred::subject`]), with the rest of the subject. The longest matching id wins.
fn subject_cred<'s>(
    by_id: &HashMap<(&str, &str), usize>,
    subject: &'s str,
) -> Option<(usize, &'s str)> {
    let (kind, rest) = subject.split_once(':')?;
    let mut best = None;
    for (at, _) in rest.match_indices(' ') {
        if let Some(&i) = by_id.get(&(kind, &rest[..at])) {
            best = Some((i, &rest[at + 1..]));
        }
    }
    best
}

fn join_word(j: &Join) -> &'static str {
    match j {
        Join::Joined(_) => "joined",
        Join::Absent { .. } => "absent",
        Join::Ambiguous(_) => "ambiguous",
        Join::NotAudited => "not audited",
    }
}

/// A link to a tenant credential's row.
fn cred_link(a: &Audit, i: usize) -> String {
    let c = &a.creds[i];
    format!(
        "<a href=\"#tc-{i}\">{} <code>{}</code></a> <span class=\"muted\">(<code>{}</code>)</span>",
        kind_label(c.kind),
        t(&c.name),
        t(&c.id)
    )
}

/// What links a finding to the rows of the page, each built once (linear in the audit).
struct Index<'a> {
    /// The report's row of each tenant credential.
    row: Vec<Option<&'a CredentialJson>>,
    /// Tenant credentials by (kind key, id).
    by_id: HashMap<(&'static str, &'a str), usize>,
    /// Declared credentials by (name, join word), for the absent and ambiguous ones.
    declared: HashMap<(&'a str, &'static str), Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(r: &'a Report, a: &'a Audit) -> Index<'a> {
        // The report lists the judged credentials then the managed ones, each in audit order.
        let (mut judged, mut managed) = (r.credentials.iter(), r.managed.iter());
        let row = a
            .creds
            .iter()
            .map(|c| {
                if c.managed {
                    managed.next()
                } else {
                    judged.next()
                }
            })
            .collect();
        let by_id = a
            .creds
            .iter()
            .enumerate()
            .map(|(i, c)| ((kind_key(c.kind), c.id.as_str()), i))
            .collect();
        let mut declared: HashMap<(&str, &'static str), Vec<usize>> = HashMap::new();
        for (d, (x, j)) in a.declared.iter().zip(&a.joins).enumerate() {
            if matches!(j, Join::Absent { .. } | Join::Ambiguous(_)) {
                declared
                    .entry((x.name.as_str(), join_word(j)))
                    .or_default()
                    .push(d);
            }
        }
        Index {
            row,
            by_id,
            declared,
        }
    }

    /// The declared credential a finding about a declaration is about (absent or ambiguous).
    fn declared_of(&self, a: &Audit, f: &Finding) -> Option<usize> {
        let want = match f.rule.as_str() {
            "tenant-absent-credential" => "absent",
            "tenant-ambiguous-join" => "ambiguous",
            _ => return None,
        };
        self.declared
            .get(&(f.credential.as_deref()?, want))?
            .iter()
            .copied()
            .find(|&d| a.declared[d].location == f.location)
    }
}

/// Renders the report.
pub fn render(
    r: &Report,
    a: &Audit,
    cat: &Catalog,
    solver: &Solver,
    outcome: &crate::rules::engine::Outcome,
    sources: &BTreeMap<String, String>,
) -> String {
    let mut src = Sources::of_map(sources);
    let mut o = String::with_capacity(64 * 1024 + 2048 * (a.creds.len() + r.findings.len()));
    let ix = Index::new(r, a);
    let title = format!("isc-scope-lint tenant audit as of {}", r.as_of);
    html::head(&mut o, &title, &r.tool, STYLE);
    let _ = write!(
        o,
        "<header class=\"top\"><h1>{}</h1><dl class=\"meta\"><dt>as of</dt><dd>{}</dd><dt>stale after</dt><dd>{} days</dd><dt>catalog</dt><dd>{}</dd><dt>scope semantics</dt><dd>{}</dd><dt>tool</dt><dd>{}</dd></dl>",
        esc(&title),
        esc(&r.as_of),
        r.stale_days,
        esc(&r.catalog),
        esc(r.scope_semantics.as_str()),
        esc(&r.tool)
    );
    let n =
        |v: Option<usize>| v.map_or("not read".to_string(), |n| format!("<strong>{n}</strong>"));
    html::counts(
        &mut o,
        &r.findings,
        &format!(
            "<li>PATs {} · OAuth clients {} · auth users {}</li><li>declared <strong>{}</strong></li><li>managed <strong>{}</strong> (listed apart)</li>",
            n(r.inventory.personal_access_tokens),
            n(r.inventory.oauth_clients),
            n(r.inventory.auth_users),
            r.declared.len(),
            r.managed.len()
        ),
        r.suppressed,
        r.baselined,
    );
    o.push_str("<nav class=\"toc\" aria-label=\"Contents\"><ul><li><a href=\"#inventory\">Inventory</a><ul><li><a href=\"#owners\">Owners</a></li></ul></li><li><a href=\"#findings\">Findings</a></li><li><a href=\"#credentials\">Tenant credentials</a></li><li><a href=\"#join\">Join</a></li><li><a href=\"#managed\">SailPoint-managed</a></li><li><a href=\"#rules\">Rules</a></li></ul></nav>");

    inventory(&mut o, r, a);

    // Findings (in the order of the outcome's), with the credential and reduction of each.
    let mut details = String::new();
    html::findings(&mut o, &r.findings, |o, k, f| {
        details.clear();
        if let Some(x) = outcome.findings.get(k) {
            finding_details(&mut details, a, cat, solver, &ix, x);
        }
        html::finding(o, &mut src, f, &details);
    });

    credentials(&mut o, r, a, &ix.row);
    join(&mut o, r, a);
    managed(&mut o, a, &ix.row);
    html::rules_and_footer(&mut o, &r.findings, &r.tool, &r.catalog);
    o
}

/// `{sep}owner NAME (levels)` of a PAT; nothing for an OAuth client.
fn owner_inline(c: &CredentialJson, sep: &str) -> String {
    let Some(ow) = &c.owner else {
        return String::new();
    };
    let who = ow.name.as_deref().or(ow.id.as_deref()).unwrap_or("?");
    format!(
        "{sep}owner <code>{}</code> ({})",
        t(who),
        match &ow.user_levels {
            Some(l) if l.is_empty() => "no user level".to_string(),
            Some(l) => list_or_none(l),
            None => "user levels unknown".to_string(),
        }
    )
}

fn finding_details(
    o: &mut String,
    a: &Audit,
    cat: &Catalog,
    solver: &Solver,
    ix: &Index,
    f: &Finding,
) {
    if let Some((i, what)) = subject_cred(&ix.by_id, &f.subject) {
        let _ = write!(
            o,
            "<p class=\"about\">tenant credential {}{}</p>",
            cred_link(a, i),
            ix.row[i].map_or(String::new(), |c| owner_inline(c, " · "))
        );
        if let Some(red) = reduction(a, cat, solver, &f.rule, i, what) {
            reduction_html(o, &a.creds[i], &red);
        }
    } else if let Some(d) = ix.declared_of(a, f) {
        let x = &a.declared[d];
        let _ = write!(
            o,
            "<p class=\"about\">declared credential <a href=\"#decl-{d}\"><code>{}</code></a> ({}) in <code>{}</code>",
            t(&x.name),
            kind_label(x.kind),
            t(&x.source)
        );
        if let Join::Ambiguous(v) = &a.joins[d] {
            let _ = write!(
                o,
                " · candidates in the tenant: {}",
                v.iter()
                    .map(|&i| cred_link(a, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        o.push_str("</p>");
    }
}

/// PAT owners by (name, id): their user levels (`None`: not read) and their PATs.
type Owners = BTreeMap<(String, String), (Option<Vec<String>>, Vec<usize>)>;

fn inventory(o: &mut String, r: &Report, a: &Audit) {
    o.push_str("<section aria-labelledby=\"inventory\"><h2 id=\"inventory\">Inventory</h2>");
    o.push_str("<table><caption>What the tenant holds, as read</caption><thead><tr><th scope=\"col\">kind</th><th scope=\"col\">in the tenant</th><th scope=\"col\">judged</th><th scope=\"col\">SailPoint-managed (listed apart, never flagged)</th></tr></thead><tbody>");
    for (kind, total, word) in [
        (
            CredentialKind::Pat,
            r.inventory.personal_access_tokens,
            "PATs",
        ),
        (
            CredentialKind::OauthClient,
            r.inventory.oauth_clients,
            "OAuth clients",
        ),
    ] {
        let of = |managed: bool| {
            a.creds
                .iter()
                .filter(|c| c.kind == kind && c.managed == managed)
                .count()
        };
        match total {
            Some(n) => {
                let _ = write!(
                    o,
                    "<tr data-kind=\"{}\"><th scope=\"row\">{word}</th><td>{n}</td><td>{}</td><td>{}</td></tr>",
                    kind_key(kind),
                    of(false),
                    of(true)
                );
            }
            None => {
                let _ = write!(
                    o,
                    "<tr data-kind=\"{}\"><th scope=\"row\">{word}</th><td colspan=\"3\"><span class=\"muted\">not read: none of them is judged, shadow or absent</span></td></tr>",
                    kind_key(kind)
                );
            }
        }
    }
    // Owners: the PATs' owners, by name (then id), with their user levels and tokens.
    let mut owners: Owners = BTreeMap::new();
    for (i, c) in a.creds.iter().enumerate() {
        if c.kind != CredentialKind::Pat {
            continue;
        }
        let id = c.owner_id.clone().unwrap_or_default();
        let name = c.owner_name.clone().unwrap_or_else(|| id.clone());
        owners
            .entry((name, id))
            .or_insert_with(|| (a.owner_levels(c), Vec::new()))
            .1
            .push(i);
    }
    let _ = write!(
        o,
        "<tr><th scope=\"row\">owners</th><td colspan=\"3\">{} distinct PAT owner(s); {}</td></tr>",
        owners.len(),
        match r.inventory.auth_users {
            Some(n) => format!("{n} auth user(s) read (their <code>capabilities</code> are the owners' user levels)"),
            None => "auth users not read: the owners' user levels are unknown and ORG_ADMIN owners are not judged".to_string(),
        }
    );
    let mut joins: BTreeMap<&str, usize> = BTreeMap::new();
    for j in &a.joins {
        *joins.entry(join_word(j)).or_default() += 1;
    }
    let sources: std::collections::BTreeSet<&str> =
        a.declared.iter().map(|d| d.source.as_str()).collect();
    let _ = write!(
        o,
        "<tr><th scope=\"row\">declared</th><td colspan=\"3\">{} credential(s) in {} manifest(s) or report(s){}{}</td></tr></tbody></table>",
        a.declared.len(),
        sources.len(),
        if joins.is_empty() { "" } else { ": " },
        joins
            .iter()
            .map(|(w, n)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    o.push_str("<h3 id=\"owners\">Owners</h3>");
    if owners.is_empty() {
        o.push_str("<p class=\"muted\">No PAT.</p>");
    } else {
        let _ = write!(
            o,
            "<table><caption>{} PAT owner(s), by name</caption><thead><tr><th scope=\"col\">owner</th><th scope=\"col\">id</th><th scope=\"col\">user levels</th><th scope=\"col\">PATs</th></tr></thead><tbody>",
            owners.len()
        );
        for ((name, id), (levels, pats)) in &owners {
            let _ = write!(
                o,
                "<tr data-owner=\"{}\"><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                t(id),
                t(if name.is_empty() { "?" } else { name }),
                t(id),
                match levels {
                    Some(l) if l.is_empty() =>
                        "<span class=\"muted\">no user level</span>".to_string(),
                    Some(l) => list_or_none(l),
                    None => "<span class=\"muted\">unknown (auth user not read)</span>".to_string(),
                },
                pats.iter()
                    .map(|&i| {
                        let c = &a.creds[i];
                        format!(
                            "<a href=\"#tc-{i}\"><code>{}</code></a>{}",
                            t(&c.name),
                            if c.managed {
                                " <span class=\"muted\">(managed)</span>"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");
}

/// `expires …`, `never expires`, `no expiry`, and whether it is disabled.
fn expiry(c: &CredentialJson) -> String {
    let mut s = match (&c.expires, c.kind) {
        (Some(e), _) => format!("expires {}", esc(e)),
        (None, CredentialKind::Pat) => "never expires".to_string(),
        (None, _) => "no expiry".to_string(),
    };
    if !c.enabled {
        s.push_str(" · disabled");
    }
    s
}

fn credentials(o: &mut String, r: &Report, a: &Audit, row: &[Option<&CredentialJson>]) {
    o.push_str("<section aria-labelledby=\"credentials\"><h2 id=\"credentials\">Tenant credentials</h2><p class=\"muted\">Every PAT and OAuth client of the tenant but the SailPoint-managed ones: what it holds and reaches, what its users need together (the union of their minimal grants) and would reach, who uses it, its last use and expiry. A PAT's reach counts its owner's user levels.</p>");
    if r.credentials.is_empty() {
        o.push_str("<p class=\"muted\">No credential to judge.</p></section>");
        return;
    }
    let _ = write!(
        o,
        "<table class=\"creds\"><caption>{} credential(s), OAuth clients then PATs, by name</caption><thead><tr><th scope=\"col\">credential and owner</th><th scope=\"col\">holds</th><th scope=\"col\">needed by its users</th><th scope=\"col\">reach: held → needed</th><th scope=\"col\">used by</th><th scope=\"col\">last used</th></tr></thead><tbody>",
        r.credentials.len()
    );
    for (i, c) in a.creds.iter().enumerate() {
        let Some(cj) = row[i].filter(|_| !c.managed) else {
            continue;
        };
        let (needs, to) = match &cj.needed {
            Some(n) => {
                let mut s = list_or_none(&n.scopes);
                if cj.kind == CredentialKind::Pat {
                    let _ = write!(
                        s,
                        "<br>owner levels: {}",
                        if n.user_levels.is_empty() {
                            "<span class=\"muted\">none elevated</span>".to_string()
                        } else {
                            list_or_none(&n.user_levels)
                        }
                    );
                }
                if n.incomplete {
                    s.push_str("<br><strong>incomplete</strong>: some calls of its users could not be settled");
                }
                if !n.minimal_proven {
                    s.push_str("<br><strong>not proven minimal</strong>");
                }
                (s, reach_text(&n.reach))
            }
            None => (
                "<span class=\"muted\">—</span>".to_string(),
                "<span class=\"muted\">—</span>".to_string(),
            ),
        };
        let users = if !cj.users.is_empty() {
            cj.users
                .iter()
                .map(|u| t(u))
                .collect::<Vec<_>>()
                .join("<br>")
        } else if cj.contested {
            "<strong>?</strong> an ambiguous join (see the findings)".to_string()
        } else {
            "<strong>no manifest or report</strong>".to_string()
        };
        let _ = write!(
            o,
            "<tr id=\"tc-{i}\" data-credential-id=\"{}\"><td>{} <code>{}</code><br><code class=\"muted\">{}</code>{}</td><td class=\"grant\">{}</td><td class=\"grant\">{needs}</td><td>{} → {to}</td><td>{users}</td><td>{}<br>{}</td></tr>",
            t(&cj.id),
            kind_label(cj.kind),
            t(&cj.name),
            t(&cj.id),
            owner_inline(cj, "<br>"),
            list_or_none(&cj.scopes),
            reach_text(&cj.reach),
            cj.last_used.as_deref().map_or("never".to_string(), esc),
            expiry(cj)
        );
    }
    o.push_str("</tbody></table></section>");
}

fn join(o: &mut String, r: &Report, a: &Audit) {
    o.push_str("<section aria-labelledby=\"join\"><h2 id=\"join\">Join</h2><p class=\"muted\">Each credential a manifest or report declares, and the tenant credential it is: by its <code>id:</code>, else by name; a name several tenant credentials share is not guessed.</p>");
    if r.declared.is_empty() {
        o.push_str("<p class=\"muted\">No manifest or report was given: every credential but the SailPoint-managed ones is a shadow credential.</p></section>");
        return;
    }
    let _ = write!(
        o,
        "<table class=\"join\"><caption>{} declared credential(s)</caption><thead><tr><th scope=\"col\">declared</th><th scope=\"col\">declared in</th><th scope=\"col\">joined by</th><th scope=\"col\">join</th><th scope=\"col\">tenant credential</th></tr></thead><tbody>",
        r.declared.len()
    );
    for (d, (dj, j)) in r.declared.iter().zip(&a.joins).enumerate() {
        let (word, tenant) = match j {
            Join::Joined(i) => ("joined".to_string(), cred_link(a, *i)),
            Join::Absent { other_kind } => (
                "<strong>absent</strong>".to_string(),
                match other_kind {
                    Some(i) => format!("none of that kind; the id is {}", cred_link(a, *i)),
                    None => "<span class=\"muted\">none</span>".to_string(),
                },
            ),
            Join::Ambiguous(v) => (
                "<strong>ambiguous</strong>: not guessed".to_string(),
                v.iter()
                    .map(|&i| cred_link(a, i))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
            Join::NotAudited => (
                "not audited".to_string(),
                format!(
                    "<span class=\"muted\">the tenant's {}s were not read</span>",
                    kind_label(dj.kind)
                ),
            ),
        };
        let _ = write!(
            o,
            "<tr id=\"decl-{d}\" data-declared=\"{}\" data-join=\"{}\"><td><code>{}</code> <span class=\"muted\">({})</span></td><td><code>{}</code></td><td>{}</td><td>{word}</td><td>{tenant}</td></tr>",
            t(&dj.name),
            dj.join,
            t(&dj.name),
            kind_label(dj.kind),
            t(&dj.source),
            match dj.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(id) => format!("id <code>{}</code>", t(id)),
                None => "name".to_string(),
            }
        );
    }
    o.push_str("</tbody></table></section>");
}

fn managed(o: &mut String, a: &Audit, row: &[Option<&CredentialJson>]) {
    o.push_str("<section aria-labelledby=\"managed\"><h2 id=\"managed\">SailPoint-managed</h2><p class=\"muted\">PATs with <code>managed: true</code> (created by workflows and the platform) and internal OAuth clients: listed apart, never flagged.</p>");
    let rows: Vec<(usize, &CredentialJson)> = a
        .creds
        .iter()
        .enumerate()
        .filter(|(_, c)| c.managed)
        .filter_map(|(i, _)| row[i].map(|cj| (i, cj)))
        .collect();
    if rows.is_empty() {
        o.push_str("<p class=\"muted\">None.</p></section>");
        return;
    }
    let _ = write!(
        o,
        "<table class=\"managed\"><caption>{} managed credential(s)</caption><thead><tr><th scope=\"col\">credential</th><th scope=\"col\">owner</th><th scope=\"col\">holds</th><th scope=\"col\">created</th><th scope=\"col\">last used</th></tr></thead><tbody>",
        rows.len()
    );
    for (i, cj) in rows {
        let _ = write!(
            o,
            "<tr id=\"tc-{i}\" data-credential-id=\"{}\"><td>{} <code>{}</code><br><code class=\"muted\">{}</code></td><td>{}</td><td class=\"grant\">{}</td><td>{}</td><td>{}<br>{}</td></tr>",
            t(&cj.id),
            kind_label(cj.kind),
            t(&cj.name),
            t(&cj.id),
            owner_cell(cj),
            list_or_none(&cj.scopes),
            esc(&cj.created),
            cj.last_used.as_deref().map_or("never".to_string(), esc),
            expiry(cj)
        );
    }
    o.push_str("</tbody></table></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_names_its_credential_by_the_longest_id() {
        let mut by_id = HashMap::new();
        by_id.insert(("pat", "a1"), 0);
        by_id.insert(("pat", "a1 b"), 1);
        by_id.insert(("oauth-client", "c1"), 2);
        assert_eq!(
            subject_cred(&by_id, "pat:a1 idn:sources:read"),
            Some((0, "idn:sources:read"))
        );
        assert_eq!(
            subject_cred(&by_id, "pat:a1 b sp:scopes:all"),
            Some((1, "sp:scopes:all"))
        );
        assert_eq!(
            subject_cred(&by_id, "oauth-client:c1 shadow"),
            Some((2, "shadow"))
        );
        assert_eq!(subject_cred(&by_id, "pat:c1 shadow"), None);
        assert_eq!(subject_cred(&by_id, "absent c1"), None);
    }
}
