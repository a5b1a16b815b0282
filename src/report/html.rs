//! `check --format html`: one self-contained file for a security reviewer — inline CSS and
//! SVG, nothing loaded (a Content-Security-Policy meta forbids it), no script (the filters
//! are checkboxes and CSS), printable, and deterministic (no date unless `--report-date`).
//!
//! Sections: a header (project, catalog, scope semantics, date, counts by severity); per
//! credential the granted and minimal grants side by side, the reach before and after as a
//! bar chart, whether client credentials would do, the verdict's completeness (unresolved
//! calls with their reasons), and *why each grant*: per minimal scope and user level the
//! operations and call sites (with a masked code excerpt) that need it, broad grants
//! (`sp:scopes:all`, ORG_ADMIN) first; then the findings grouped by severity and rule, and
//! the documentation of every rule that reported.

use super::check::{CredentialSummary, JsonFinding, Report};
use crate::check::Run;
use crate::rules::{self, Context, Severity};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// What the HTML report needs beyond the report model.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The project's name (the checked folder's).
    pub project: String,
    /// Shown in the header when given (`--report-date`); none keeps the file deterministic.
    pub date: Option<String>,
}

/// HTML text: `&`, `<`, `>`, `"`, `'` escaped.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// An id fragment: lowercase ASCII letters, digits and dashes.
pub(crate) fn slug(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            o.push(c.to_ascii_lowercase());
        } else if !o.ends_with('-') {
            o.push('-');
        }
    }
    o.trim_matches('-').to_string()
}

const STYLE: &str = r#"
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--err:#b3261e;--warn:#8a5a00;--info:#0b57a4;--ok:#1a7f37;--add:#1a7f37;--del:#b3261e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:0 24px 48px}
a{color:var(--info)}
a:focus,input:focus-visible,summary:focus-visible{outline:3px solid var(--info);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px}
header.top{border-bottom:1px solid var(--line);padding:20px 0 12px;margin-bottom:8px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:17px;margin:20px 0 6px}h4{font-size:15px;margin:14px 0 4px}
.meta{color:var(--muted);margin:0}.meta dt{display:inline;font-weight:600}.meta dd{display:inline;margin:0 16px 0 4px}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin:12px 0 0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:6px;padding:4px 10px;background:var(--soft)}
.sev{display:inline-block;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.03em;border-radius:4px;padding:0 6px;border:1px solid currentColor}
.sev.sev-error{color:var(--err)}.sev.sev-warning{color:var(--warn)}.sev.sev-info{color:var(--info)}
.finding.sev-error{border-left:4px solid var(--err)}.finding.sev-warning{border-left:4px solid var(--warn)}.finding.sev-info{border-left:4px solid var(--info)}
nav.toc ul{margin:4px 0;padding-left:20px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
caption{text-align:left;font-weight:600;padding:4px 0}
table.grant th[scope=row]{width:17%}table.grant td{width:27%}table.grant td.chg{width:29%}
ul.chg{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 12px}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.tag{font-size:12px;font-weight:700;margin-right:4px}
.added{color:var(--add)}.removed{color:var(--del);text-decoration:line-through}.kept{color:var(--muted)}
.banner{border-left:4px solid var(--warn);background:#fff8e6;padding:6px 10px;margin:8px 0}
.banner.good{border-color:var(--ok);background:#eefbf1}
.card{border:1px solid var(--line);border-radius:8px;padding:4px 16px 12px;margin:16px 0}
.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}
.bar-granted{fill:#b3261e}.bar-minimal{fill:#1a7f37}
pre.excerpt{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 0;margin:4px 0 8px;overflow-x:auto}
pre.excerpt span.l{display:block;padding:0 10px;white-space:pre}
pre.excerpt span.hit{background:#fff1c2;font-weight:600}
pre.excerpt span.n{color:var(--muted);display:inline-block;min-width:3.5em;user-select:none}
.need{margin:4px 0 10px 0;padding-left:0;list-style:none}
.need>li{margin:6px 0}
.forced{border-left:4px solid var(--err);padding-left:8px}
.finding{border:1px solid var(--line);border-radius:6px;padding:6px 12px;margin:8px 0}
.finding p{margin:4px 0}
fieldset.filters{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 12px}
fieldset.filters label{margin-right:14px}
body:has(#show-error:not(:checked)) .finding.sev-error,
body:has(#show-warning:not(:checked)) .finding.sev-warning,
body:has(#show-info:not(:checked)) .finding.sev-info{display:none}
body:has(#show-error:not(:checked)) .group.sev-error,
body:has(#show-warning:not(:checked)) .group.sev-warning,
body:has(#show-info:not(:checked)) .group.sev-info{display:none}
.muted{color:var(--muted)}
footer{margin-top:32px;color:var(--muted);font-size:13px;border-top:1px solid var(--line);padding-top:8px}
@media print{
  body{font-size:11pt}main{max-width:none;padding:0}
  fieldset.filters,.skip,nav.toc{display:none}
  .finding,.card,pre.excerpt,table{break-inside:avoid}
  h2,h3{break-after:avoid}
  .finding.sev-error,.finding.sev-warning,.finding.sev-info,.group{display:block!important}
  a{color:inherit;text-decoration:none}
}
"#;

/// The Content-Security-Policy: nothing may be loaded or run; only this report's own style
/// block (by its hash) applies.
pub(crate) fn csp(style: &str) -> String {
    let hash = Sha256::digest(style.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'",
        base64(&hash)
    )
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for ch in bytes.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= ch.len() {
                o.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

/// The text of a source file by its displayed path.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<&'a str> + 'a>;

/// Source texts with secrets masked, and their line indexes, each built once.
pub(crate) struct Sources<'a> {
    lookup: Lookup<'a>,
    cache: HashMap<String, Option<(String, Vec<usize>)>>,
}

impl<'a> Sources<'a> {
    /// The sources of a `check` run: its files and its manifest.
    fn new(run: &'a Run) -> Sources<'a> {
        Sources {
            lookup: Box::new(move |file| match run.sources.get(file) {
                Some(t) => Some(t.as_str()),
                None => run
                    .manifest
                    .as_ref()
                    .filter(|m| m.display == file)
                    .map(|m| m.text.as_str()),
            }),
            cache: HashMap::new(),
        }
    }

    /// Texts by displayed path (the manifests of a `tenant` run).
    pub(crate) fn of_map(texts: &'a BTreeMap<String, String>) -> Sources<'a> {
        Sources {
            lookup: Box::new(move |file| texts.get(file).map(String::as_str)),
            cache: HashMap::new(),
        }
    }

    /// Lines `line-1 ..= line+1` of `file` (1-based), masked, as an excerpt block.
    pub(crate) fn excerpt(&mut self, file: &str, line: usize) -> String {
        let lookup = &self.lookup;
        let entry = self.cache.entry(file.to_string()).or_insert_with(|| {
            let text = lookup(file)?;
            let masked = rules::hardcoded_secret::mask_secrets(text).into_owned();
            let mut starts = vec![0];
            starts.extend(masked.match_indices('\n').map(|(i, _)| i + 1));
            Some((masked, starts))
        });
        let Some((text, starts)) = entry else {
            return String::new();
        };
        if line == 0 || line > starts.len() {
            return String::new();
        }
        let mut o = String::from("<pre class=\"excerpt\"><code>");
        for l in line.saturating_sub(1).max(1)..=(line + 1).min(starts.len()) {
            let s = starts[l - 1];
            let e = starts.get(l).map_or(text.len(), |&e| e - 1);
            let raw = text[s..e].trim_end_matches('\r');
            // Long lines are cut (a minified line must not make the report huge).
            let cut: String = raw.chars().take(240).collect();
            let more = if cut.len() < raw.len() { " …" } else { "" };
            let body = super::redact::redact(&cut);
            let _ = write!(
                o,
                "<span class=\"l{}\"><span class=\"n\">{l}{}</span>{}{more}</span>",
                if l == line { " hit" } else { "" },
                if l == line { " ›" } else { "" },
                esc(&body)
            );
        }
        o.push_str("</code></pre>");
        o
    }
}

pub(crate) fn sev_badge(s: Severity) -> String {
    format!("<span class=\"sev sev-{0}\">{0}</span>", s.as_str())
}

pub(crate) fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "<span class=\"muted\">(none)</span>".into()
    } else {
        v.iter()
            .map(|s| format!("<code>{}</code>", esc(s)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Granted vs minimal: each name with whether it is kept, removed or added.
pub(crate) fn diff_rows(
    o: &mut String,
    what: &str,
    granted: &[String],
    minimal: &[String],
    show_granted: bool,
) {
    let g: BTreeSet<&String> = granted.iter().collect();
    let m: BTreeSet<&String> = minimal.iter().collect();
    let mut cells = Vec::new();
    for s in g.union(&m) {
        let (class, word) = match (g.contains(s), m.contains(s)) {
            (true, true) => ("kept", "kept"),
            (true, false) => ("removed", "remove"),
            _ => ("added", "add"),
        };
        if !show_granted && class != "added" {
            continue;
        }
        cells.push(format!(
            "<li><span class=\"tag {class}\">{word}</span><code class=\"{class}\">{}</code></li>",
            esc(s)
        ));
    }
    let _ = write!(
        o,
        "<tr><th scope=\"row\">{what}</th><td>{}</td><td>{}</td><td class=\"chg\"><ul class=\"chg\">{}</ul></td></tr>",
        if show_granted {
            list_or_none(granted)
        } else {
            "<span class=\"muted\">—</span>".into()
        },
        list_or_none(minimal),
        cells.join("")
    );
}

/// A reach in a bar chart: its label (`granted`, `minimal`), operations and writes.
pub(crate) struct Bar<'a> {
    pub label: &'a str,
    pub operations: usize,
    pub writes: usize,
}

/// Reach before and after as horizontal bars (operations and write operations), on one
/// scale; `show_before: false` leaves the `before` bars out (still counted in the scale).
/// `desc` is the chart's accessible name.
pub(crate) fn bars(desc: &str, before: &Bar, after: &Bar, show_before: bool) -> String {
    let rows: Vec<(&str, usize, usize)> = vec![
        ("operations", before.operations, after.operations),
        ("write operations", before.writes, after.writes),
    ];
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(1).max(1);
    let (label_w, bar_w, row_h) = (200.0, 560.0, 22.0);
    let h = rows.len() as f64 * (row_h * 2.0 + 14.0) + 6.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{h}\" viewBox=\"0 0 {} {h}\"><title>{}</title>",
        esc(desc),
        label_w + bar_w + 120.0,
        label_w + bar_w + 120.0,
        esc(desc)
    );
    let mut y = 4.0;
    for (name, g, m) in rows {
        for (which, v, class, shown) in [
            (before.label, g, "bar-granted", show_before),
            (after.label, m, "bar-minimal", true),
        ] {
            if !shown {
                continue;
            }
            let w = (v as f64 / max as f64 * bar_w).max(if v > 0 { 2.0 } else { 0.0 });
            let _ = write!(
                o,
                "<text x=\"0\" y=\"{:.1}\">{which} · {name}</text><rect class=\"{class}\" x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\">{v}</text>",
                y + 15.0,
                row_h - 6.0,
                label_w + w + 6.0,
                y + 15.0
            );
            y += row_h;
        }
        y += 14.0;
    }
    o.push_str("</svg>");
    o
}

/// Reach granted and minimal of a credential of `check`.
fn chart(c: &CredentialSummary, granted_known: bool) -> String {
    let desc = format!(
        "Reach of `{}`: granted {} operations ({} writes), minimal {} operations ({} writes)",
        c.name,
        c.granted.blast_radius.operations,
        c.granted.blast_radius.write_operations,
        c.minimal.blast_radius.operations,
        c.minimal.blast_radius.write_operations
    );
    let granted = Bar {
        label: "granted",
        operations: c.granted.blast_radius.operations,
        writes: c.granted.blast_radius.write_operations,
    };
    let minimal = Bar {
        label: "minimal",
        operations: c.minimal.blast_radius.operations,
        writes: c.minimal.blast_radius.write_operations,
    };
    bars(&desc, &granted, &minimal, granted_known)
}

/// Broad grants: they are listed first, by name, with the calls that force them.
fn is_broad(name: &str) -> bool {
    name == crate::catalog::ALL_SCOPES || name == crate::solver::levels::ORG_ADMIN
}

fn site_id(file: &str, line: &str) -> String {
    format!("{file}:{line}")
}

/// Why each grant: per minimal scope and level the operations and call sites that need it;
/// broad grants first, each with the calls that force it (`forcing`: legacy calls, which
/// only `sp:scopes:all` and ORG_ADMIN allow) named before the rest.
fn why(
    o: &mut String,
    src: &mut Sources,
    cx: &Context,
    c: &CredentialSummary,
    anchor: &str,
    forcing: &[usize],
) {
    let _ = write!(o, "<h4 id=\"{anchor}-why\">Why each grant</h4>");
    let empty = Vec::new();
    let mut entries: Vec<(&str, &str, &Vec<super::check::Need>)> = c
        .scopes_needed_by
        .iter()
        .map(|(k, v)| ("scope", k.as_str(), v))
        .chain(
            c.user_levels_needed_by
                .iter()
                .map(|(k, v)| ("user level", k.as_str(), v)),
        )
        .collect();
    if !forcing.is_empty() {
        for (kind, name, list) in [
            ("scope", crate::catalog::ALL_SCOPES, &c.minimal.scopes),
            (
                "user level",
                crate::solver::levels::ORG_ADMIN,
                &c.minimal.user_levels,
            ),
        ] {
            if list.iter().any(|x| x == name) && !entries.iter().any(|e| e.1 == name) {
                entries.push((kind, name, &empty));
            }
        }
    }
    if entries.is_empty() {
        o.push_str("<p class=\"muted\">No call needs a scope or user level.</p>");
        return;
    }
    // Broad grants first (stable otherwise: scopes, then levels, each by name).
    entries.sort_by_key(|(_, k, _)| !is_broad(k));
    o.push_str("<ul class=\"need\">");
    for (kind, name, needs) in entries {
        let forced = is_broad(name);
        let _ = write!(
            o,
            "<li{}><p><strong>{kind} <code>{}</code></strong>{}</p><ul>",
            if forced { " class=\"forced\"" } else { "" },
            esc(name),
            if forced {
                " — <strong>a broad grant</strong>"
            } else {
                ""
            }
        );
        if forced {
            for &i in forcing {
                let call = &cx.calls[i];
                let site = format!("{}:{}", call.file, call.line);
                let _ = write!(
                    o,
                    "<li><strong>forced by</strong> <code>{} {}</code> (a legacy private API: only <code>sp:scopes:all</code> with ORG_ADMIN works)<div class=\"site\" data-site=\"{}\"><a href=\"#call-{}\"><code>{}</code></a>{}</div></li>",
                    esc(call.method.map_or("?", |m| m.as_str())),
                    esc(&super::redact::redact(call.path.as_deref().unwrap_or(""))),
                    esc(&site),
                    slug(&site),
                    esc(&site),
                    src.excerpt(&call.file, call.line)
                );
            }
        }
        for n in needs {
            let _ = write!(o, "<li><code>{}</code>", esc(&n.operation));
            for site in &n.calls {
                match site.rsplit_once(':') {
                    Some((file, line)) if line.parse::<usize>().is_ok() => {
                        let _ = write!(
                            o,
                            "<div class=\"site\" data-site=\"{}\"><a href=\"#{}\"><code>{}</code></a>{}</div>",
                            esc(&site_id(file, line)),
                            esc(&format!("call-{}", slug(site))),
                            esc(site),
                            src.excerpt(file, line.parse().unwrap_or(0))
                        );
                    }
                    _ => {
                        let _ = write!(
                            o,
                            "<div class=\"site\" data-site=\"{0}\"><code>{0}</code> <span class=\"muted\">(listed in the manifest's <code>calls</code>)</span></div>",
                            esc(site)
                        );
                    }
                }
            }
            o.push_str("</li>");
        }
        o.push_str("</ul></li>");
    }
    o.push_str("</ul>");
}

fn credential(
    o: &mut String,
    src: &mut Sources,
    cx: &Context,
    c: &CredentialSummary,
    calls: &[usize],
    project_view: bool,
) {
    let unresolved: Vec<usize> = calls
        .iter()
        .copied()
        .filter(|&j| {
            let k = &cx.calls[j];
            !k.resolved
                || (k.op.is_none()
                    && k.via != crate::discover::Via::Auth
                    && !rules::context::is_legacy_call(k))
        })
        .collect();
    let forcing: Vec<usize> = calls
        .iter()
        .copied()
        .filter(|&j| rules::context::is_legacy_call(&cx.calls[j]))
        .collect();
    let anchor = format!("cred-{}", slug(&c.name));
    let kind = match c.kind {
        crate::manifest::CredentialKind::Pat => "PAT",
        crate::manifest::CredentialKind::OauthClient => "OAuth client (client credentials)",
        crate::manifest::CredentialKind::UserToken => "user token (authorization code)",
    };
    let _ = write!(
        o,
        "<section class=\"card credential\" aria-labelledby=\"{anchor}\" data-credential=\"{}\">",
        esc(&c.name)
    );
    if project_view {
        let _ = write!(
            o,
            "<h3 id=\"{anchor}\">Minimal grant for all calls <span class=\"muted\">(no manifest: a PAT, {} call(s))</span></h3>",
            c.calls
        );
    } else {
        let _ = write!(
            o,
            "<h3 id=\"{anchor}\">Credential <code>{}</code> <span class=\"muted\">({kind}, {} call(s))</span></h3>",
            esc(&c.name),
            c.calls
        );
    }
    if c.incomplete {
        let _ = write!(
            o,
            "<p class=\"banner\"><strong>Verdict incomplete:</strong> {} call(s) could not be settled; the minimal grant may miss what they need.</p>",
            unresolved.len()
        );
    } else {
        o.push_str("<p class=\"banner good\"><strong>Verdict complete:</strong> every call was settled.</p>");
    }
    if !c.minimal_proven {
        let _ = write!(
            o,
            "<p class=\"banner\"><strong>Not proven minimal:</strong> {}</p>",
            esc(crate::solver::NOT_PROVEN)
        );
    }
    let pat = c.kind == crate::manifest::CredentialKind::Pat;
    let no_minimal = !pat && !c.client_credentials_possible;
    let _ = write!(
        o,
        "<table class=\"grant\"><caption>Granted and minimal grant of {}</caption><thead><tr><th scope=\"col\">grant</th><th scope=\"col\">granted</th><th scope=\"col\">minimal</th><th scope=\"col\">change</th></tr></thead><tbody>",
        esc(&c.name)
    );
    if no_minimal {
        let _ = write!(
            o,
            "<tr><th scope=\"row\">scopes</th><td>{}</td><td colspan=\"2\">none: some calls accept only a user-context token (a PAT)</td></tr>",
            list_or_none(&c.granted.scopes)
        );
    } else {
        diff_rows(
            o,
            "scopes",
            &c.granted.scopes,
            &c.minimal.scopes,
            !project_view,
        );
    }
    if pat {
        diff_rows(
            o,
            "owner user levels",
            &c.granted.user_levels,
            &c.minimal.user_levels,
            !project_view,
        );
    }
    let _ = write!(
        o,
        "<tr><th scope=\"row\">reach (operations the {} allows)</th><td>{}</td><td>{}</td><td></td></tr>",
        if pat {
            "scopes and owner levels together"
        } else {
            "scopes"
        },
        if project_view {
            "<span class=\"muted\">—</span>".to_string()
        } else {
            format!(
                "{} operations ({} writes)",
                c.granted.blast_radius.operations, c.granted.blast_radius.write_operations
            )
        },
        if no_minimal {
            "<span class=\"muted\">—</span>".to_string()
        } else {
            format!(
                "{} operations ({} writes)",
                c.minimal.blast_radius.operations, c.minimal.blast_radius.write_operations
            )
        }
    );
    let _ = write!(
        o,
        "<tr><th scope=\"row\">client credentials would do</th><td colspan=\"3\">{}</td></tr>",
        if c.client_credentials_possible {
            "yes: every call accepts a client-credentials token (no user context)"
        } else {
            "no: some calls need a user context"
        }
    );
    o.push_str("</tbody></table>");
    if !no_minimal {
        o.push_str(&chart(c, !project_view));
    }
    if !unresolved.is_empty() {
        let _ = write!(
            o,
            "<h4>Unresolved calls</h4><table><caption>Calls of {} that could not be settled</caption><thead><tr><th scope=\"col\">call site</th><th scope=\"col\">reason</th></tr></thead><tbody>",
            esc(&c.name)
        );
        for &i in &unresolved {
            let call = &cx.calls[i];
            let site = format!("{}:{}", call.file, call.line);
            let _ = write!(
                o,
                "<tr data-site=\"{}\"><td><code>{}</code>{}</td><td>{}</td></tr>",
                esc(&site),
                esc(&site),
                src.excerpt(&call.file, call.line),
                esc(&super::redact::redact(
                    call.reason
                        .as_deref()
                        .unwrap_or("in no spec of the catalog")
                ))
            );
        }
        o.push_str("</tbody></table>");
    }
    why(o, src, cx, c, &anchor, &forcing);
    o.push_str("</section>");
}

/// One finding: severity, rule, place, credential, message, then `details` (HTML, the
/// caller's), the masked excerpt at its place and its fix.
pub(crate) fn finding(o: &mut String, src: &mut Sources, f: &JsonFinding, details: &str) {
    let _ = write!(
        o,
        "<article class=\"finding sev-{}\" id=\"f-{}\" data-rule=\"{}\">",
        f.severity.as_str(),
        esc(&f.fingerprint),
        esc(&f.rule)
    );
    let place = f
        .location
        .as_ref()
        .map(|l| format!("{}:{}", l.file, l.line));
    let _ = write!(
        o,
        "<p>{} <a href=\"#rule-{}\"><code>{}</code></a>{}{}</p><p class=\"message\">{}</p>",
        sev_badge(f.severity),
        esc(&f.rule),
        esc(&f.rule),
        match &place {
            Some(p) => format!(" at <code class=\"where\">{}</code>", esc(p)),
            None => String::new(),
        },
        match &f.credential {
            Some(c) => format!(
                " · credential <code>{}</code>",
                esc(&super::redact::redact(c))
            ),
            None => String::new(),
        },
        esc(&f.message)
    );
    o.push_str(details);
    if let Some(l) = &f.location {
        o.push_str(&src.excerpt(&l.file, l.line));
    }
    if let Some(h) = &f.help {
        let _ = write!(o, "<p><strong>Fix:</strong> {}</p>", esc(h));
    }
    o.push_str("</article>");
}

/// Renders the report.
pub fn render(run: &Run, cx: &Context, r: &Report, opts: &Options) -> String {
    let mut src = Sources::new(run);
    let mut o = String::with_capacity(64 * 1024);
    let title = format!("isc-scope-lint report: {}", opts.project);
    head(&mut o, &title, &r.tool, "");
    let _ = write!(
        o,
        "<header class=\"top\"><h1>{}</h1><dl class=\"meta\"><dt>project</dt><dd>{}</dd><dt>manifest</dt><dd>{}</dd><dt>catalog</dt><dd>{}</dd><dt>scope semantics</dt><dd>{}</dd>{}<dt>tool</dt><dd>{}</dd></dl>",
        esc(&title),
        esc(&opts.project),
        r.manifest
            .as_deref()
            .map_or("none (call-level rules only)".to_string(), |m| format!(
                "<code>{}</code>",
                esc(m)
            )),
        esc(&r.catalog),
        esc(r.scope_semantics.as_str()),
        opts.date.as_deref().map_or(String::new(), |d| format!(
            "<dt>date</dt><dd>{}</dd>",
            esc(d)
        )),
        esc(&r.tool)
    );
    counts(
        &mut o,
        &r.findings,
        &format!(
            "<li>calls <strong>{}</strong> in {} file(s), <strong>{}</strong> unresolved</li>",
            r.calls, r.files_scanned, r.unresolved_calls
        ),
        r.suppressed,
        r.baselined,
    );
    // Contents.
    let creds: Vec<&CredentialSummary> = r.credentials.iter().chain(r.project.iter()).collect();
    o.push_str("<nav class=\"toc\" aria-label=\"Contents\"><ul><li><a href=\"#credentials\">Credentials</a><ul>");
    for c in &creds {
        let _ = write!(
            o,
            "<li><a href=\"#cred-{}\">{}</a></li>",
            slug(&c.name),
            esc(&c.name)
        );
    }
    o.push_str("</ul></li><li><a href=\"#findings\">Findings</a></li><li><a href=\"#calls\">Call sites</a></li><li><a href=\"#rules\">Rules</a></li></ul></nav>");

    // Credentials.
    o.push_str("<section aria-labelledby=\"credentials\"><h2 id=\"credentials\">Credentials</h2>");
    if creds.is_empty() {
        o.push_str("<p class=\"muted\">The manifest lists no credential.</p>");
    }
    for (i, c) in r.credentials.iter().enumerate() {
        let calls = cx.creds.get(i).map_or(&[][..], |v| &v.calls[..]);
        credential(&mut o, &mut src, cx, c, calls, false);
    }
    if let Some(p) = &r.project {
        let all: Vec<usize> = (0..cx.calls.len()).collect();
        credential(&mut o, &mut src, cx, p, &all, true);
    }
    o.push_str("</section>");

    // Findings, by severity then rule.
    findings(&mut o, &r.findings, |o, _, f| finding(o, &mut src, f, ""));

    // Every call site.
    o.push_str("<section aria-labelledby=\"calls\"><h2 id=\"calls\">Call sites</h2>");
    let _ = write!(
        o,
        "<table><caption>{} call site(s), in file order</caption><thead><tr><th scope=\"col\">site</th><th scope=\"col\">operation</th><th scope=\"col\">credential</th><th scope=\"col\">how</th></tr></thead><tbody>",
        cx.calls.len()
    );
    let mut owner: HashMap<usize, &str> = HashMap::new();
    for c in &cx.creds {
        for &i in &c.calls {
            owner.insert(i, c.name.as_str());
        }
    }
    for (i, c) in cx.calls.iter().enumerate() {
        let site = format!("{}:{}", c.file, c.line);
        let what = match (&c.operation, c.resolved) {
            (Some(op), _) => format!("<code>{}</code>", esc(op)),
            (None, _) if c.via == crate::discover::Via::Auth => {
                "token request (no operation)".to_string()
            }
            (None, _) => format!(
                "<strong>unresolved</strong>: {}",
                esc(&super::redact::redact(c.reason.as_deref().unwrap_or("")))
            ),
        };
        let _ = write!(
            o,
            "<tr id=\"call-{}\" data-site=\"{}\"><td><code>{}:{}:{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            slug(&site),
            esc(&site),
            esc(&c.file),
            c.line,
            c.column,
            what,
            owner
                .get(&i)
                .map_or("<span class=\"muted\">—</span>".to_string(), |n| format!(
                    "<code>{}</code>",
                    esc(n)
                )),
            esc(&format!("{:?}", c.via).to_lowercase())
        );
    }
    o.push_str("</tbody></table></section>");

    rules_and_footer(&mut o, &r.findings, &r.tool, &r.catalog);
    o
}

/// The document up to `<main>`: the policy, the style (this report's, then `extra_style`:
/// the one block the policy allows), the title, a skip link to the findings.
pub(crate) fn head(o: &mut String, title: &str, tool: &str, extra_style: &str) {
    let style = format!("{STYLE}{extra_style}");
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{style}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n<main>\n",
        csp(&style),
        esc(tool),
        esc(title)
    );
}

/// The header's counts, closing the header: findings by severity, `extra` items (HTML), then
/// the suppressed and baselined findings when there are some.
pub(crate) fn counts(
    o: &mut String,
    findings: &[JsonFinding],
    extra: &str,
    suppressed: usize,
    baselined: usize,
) {
    let count = |s: Severity| super::shared::count(findings, s);
    let _ = write!(
        o,
        "<ul class=\"counts\" aria-label=\"Findings by severity\"><li>{} <strong>{}</strong></li><li>{} <strong>{}</strong></li><li>{} <strong>{}</strong></li>{extra}{}</ul></header>",
        sev_badge(Severity::Error),
        count(Severity::Error),
        sev_badge(Severity::Warning),
        count(Severity::Warning),
        sev_badge(Severity::Info),
        count(Severity::Info),
        if suppressed + baselined > 0 {
            format!("<li>{suppressed} suppressed, {baselined} baselined</li>")
        } else {
            String::new()
        }
    );
}

/// The findings section: severity filters, then the findings grouped by severity and rule,
/// each drawn by `one` (given its index in `all`).
pub(crate) fn findings(
    o: &mut String,
    all: &[JsonFinding],
    mut one: impl FnMut(&mut String, usize, &JsonFinding),
) {
    let count = |s: Severity| super::shared::count(all, s);
    o.push_str("<section aria-labelledby=\"findings\"><h2 id=\"findings\">Findings</h2>");
    o.push_str("<fieldset class=\"filters\"><legend>Show severities</legend>");
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let _ = write!(
            o,
            "<label><input type=\"checkbox\" id=\"show-{0}\" checked> {0} ({1})</label>",
            s.as_str(),
            count(s)
        );
    }
    o.push_str("</fieldset>");
    if all.is_empty() {
        o.push_str("<p>No findings.</p>");
    }
    let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, &str), Vec<usize>> = BTreeMap::new();
    for (k, f) in all.iter().enumerate() {
        groups
            .entry((std::cmp::Reverse(f.severity), f.rule.as_str()))
            .or_default()
            .push(k);
    }
    let mut last_sev = None;
    for ((std::cmp::Reverse(sev), rule), fs) in &groups {
        if last_sev != Some(*sev) {
            if last_sev.is_some() {
                o.push_str("</div>");
            }
            let _ = write!(
                o,
                "<div class=\"group sev-{0}\"><h3>{1} findings</h3>",
                sev.as_str(),
                sev_badge(*sev)
            );
            last_sev = Some(*sev);
        }
        let title = rules::get(rule).map_or(String::new(), |r| r.meta.title.clone());
        let _ = write!(
            o,
            "<h4><code>{}</code> — {} <span class=\"muted\">({} finding(s))</span></h4>",
            esc(rule),
            esc(&title),
            fs.len()
        );
        for &k in fs {
            one(o, k, &all[k]);
        }
    }
    if last_sev.is_some() {
        o.push_str("</div>");
    }
    o.push_str("</section>");
}

/// The documentation of each rule that reported, the footer, and the end of the document.
pub(crate) fn rules_and_footer(
    o: &mut String,
    findings: &[JsonFinding],
    tool: &str,
    catalog: &str,
) {
    o.push_str("<section aria-labelledby=\"rules\"><h2 id=\"rules\">Rules</h2><p class=\"muted\">The text of <code>isc-scope-lint rule ID</code> for each rule with a finding above.</p>");
    let reported: BTreeSet<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    if reported.is_empty() {
        o.push_str("<p class=\"muted\">No rule reported.</p>");
    }
    for id in reported {
        if let Some(rule) = rules::get(id) {
            let m = &rule.meta;
            let _ = write!(
                o,
                "<article id=\"rule-{0}\"><h3><code>{0}</code> ({1})</h3><p>{2}</p><p><strong>Why:</strong> {3}</p><p><strong>Fix:</strong> {4}</p></article>",
                esc(&m.id),
                esc(m.severity.as_str()),
                esc(&m.title),
                esc(&m.rationale),
                esc(&m.fix)
            );
        }
    }
    o.push_str("</section>");
    let _ = write!(
        o,
        "<footer>{} · catalog {} · this file loads nothing and runs no script.</footer>\n</main>\n</body>\n</html>\n",
        esc(tool),
        esc(catalog)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_slugs() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(slug("jobs/sync.py:12"), "jobs-sync-py-12");
    }

    #[test]
    fn base64_matches_the_reference() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_policy_allows_only_the_style_block() {
        let p = csp(STYLE);
        assert!(p.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(p.contains("script-src 'none'"));
    }
}
