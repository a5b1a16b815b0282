//! `init`: a manifest for the calls found — one credential for everything, or one per
//! top-level folder — with the minimal grants and, per scope and level, the calls that need
//! them.

use crate::catalog::{AuthKind, Catalog, OpId};
use crate::discover::{FoundCall, Via};
use crate::report::forced::{LegacyCall, forced_by};
use crate::rules::context::is_legacy_call;
use crate::solver::{Requirements, Semantics, Solver};
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

/// The token flow a group of code uses, as far as its token requests tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// `pat`, `oauth-client` or `user-token`.
    pub kind: &'static str,
    /// From what it was inferred (the comment on `kind`).
    pub because: String,
    /// Set when the kind is a guess: what to confirm.
    pub unsure: Option<String>,
}

/// The token flow of the token requests `auth` (calls `via: auth`), read from the text of
/// their files (`sources`): `grant_type` `authorization_code` or `refresh_token` is a user's
/// own token (`user-token`); `client_credentials` with a PAT's id/secret (names with `PAT` or
/// `personal access token`) is a `pat`, with API-client names (`CLIENT_ID`, `client_id`) and
/// no PAT name it is ambiguous (PATs use the same grant) and stays `pat`, noted unsure.
pub fn token_flow(auth: &[&FoundCall], sources: &BTreeMap<String, String>) -> Flow {
    use std::sync::OnceLock;
    static PAT: OnceLock<regex::Regex> = OnceLock::new();
    let pat_re = PAT.get_or_init(|| {
        regex::Regex::new(
            r"(?i)(?:\bpat\b|\bpat_|_pat\b|_pat_|[a-z]Pat[A-Z_]|personal[ _-]?access[ _-]?token)",
        )
        .expect("valid regex")
    });
    let mut files: Vec<&str> = auth.iter().map(|c| c.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let at = |files: &[&str]| files.join(", ");
    if files.is_empty() {
        return Flow {
            kind: "pat",
            because: "assumed: no token request (/oauth/token) was found".into(),
            unsure: Some("no token request was found, so the token kind is unknown: confirm `kind` (pat, oauth-client, or user-token for a user's own login)".into()),
        };
    }
    let texts: Vec<&str> = files
        .iter()
        .filter_map(|f| sources.get(*f).map(String::as_str))
        .collect();
    let has = |needle: &str| texts.iter().any(|t| t.contains(needle));
    if has("authorization_code") || has("refresh_token") {
        let grant = if has("authorization_code") {
            "authorization_code"
        } else {
            "refresh_token"
        };
        return Flow {
            kind: "user-token",
            because: format!("grant_type {grant} in {}", at(&files)),
            unsure: None,
        };
    }
    let pat_named = texts.iter().any(|t| pat_re.is_match(t));
    if has("client_credentials") || pat_named {
        if pat_named {
            return Flow {
                kind: "pat",
                because: format!(
                    "client_credentials with a PAT's id and secret in {}",
                    at(&files)
                ),
                unsure: None,
            };
        }
        return Flow {
            kind: "pat",
            because: format!("client_credentials in {}", at(&files)),
            unsure: Some("the client_credentials grant serves PATs and API clients alike: keep `kind: pat` for a personal access token, write `kind: oauth-client` for an API client".into()),
        };
    }
    Flow {
        kind: "pat",
        because: format!(
            "assumed: the token request in {} names no grant type",
            at(&files)
        ),
        unsure: Some("the token request's grant type could not be read: confirm `kind`".into()),
    }
}

/// The manifest text. `sources`: the scanned files' texts (the token requests are read in
/// them); `service_account`: the user says the owners are dedicated identities
/// (`--service-account`), else that is left unconfirmed.
pub fn manifest(
    cat: &Catalog,
    calls: &[FoundCall],
    sources: &BTreeMap<String, String>,
    semantics: Semantics,
    grouping: Grouping,
    project: &str,
    service_account: bool,
) -> String {
    let solver = Solver::new(cat);
    let mut groups: BTreeMap<String, Vec<&FoundCall>> = BTreeMap::new();
    let mut auth: BTreeMap<String, Vec<&FoundCall>> = BTreeMap::new();
    for c in calls {
        let g = group_of(&c.file, grouping);
        if c.via == Via::Auth {
            auth.entry(g.clone()).or_default().push(c);
            groups.entry(g).or_default();
        } else {
            groups.entry(g).or_default().push(c);
        }
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
        let mut legacy: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in gcalls.iter().filter(|c| is_legacy_call(c)) {
            legacy
                .entry(format!(
                    "{} {}",
                    c.method.map_or("?", |m| m.as_str()),
                    c.path.as_deref().unwrap_or("")
                ))
                .or_default()
                .push(format!("{}:{}", c.file, c.line));
        }
        let legacy: Vec<LegacyCall> = legacy.into_iter().collect();
        // The same rule as `check`: a legacy call forces sp:scopes:all and ORG_ADMIN.
        let r = solver.solve_calls(&ops, !legacy.is_empty(), semantics);
        let mut sites: BTreeMap<OpId, Vec<String>> = BTreeMap::new();
        for c in gcalls {
            if let Some(op) = c.op {
                sites
                    .entry(op)
                    .or_default()
                    .push(format!("{}:{}", c.file, c.line));
            }
        }
        let comments = item_comments(&solver, &r, AuthKind::User, &sites, &legacy);
        let comment = |item: &str| comments.get(item).cloned().unwrap_or_default();
        // The token requests of this group, else of the whole project (a shared auth module).
        let all_auth: Vec<&FoundCall> = calls.iter().filter(|c| c.via == Via::Auth).collect();
        let flow = match auth.get(group) {
            Some(a) if !a.is_empty() => token_flow(a, sources),
            _ => token_flow(&all_auth, sources),
        };
        let _ = writeln!(o, "  - name: {}", yaml_str(&name));
        let pat_notes = flow.kind == "pat";
        for n in credential_notes(&solver, &r, AuthKind::User, pat_notes) {
            let _ = writeln!(o, "    {n}");
        }
        if let Some(u) = &flow.unsure {
            let _ = writeln!(o, "    {NOTE} {u}");
        }
        let _ = writeln!(o, "    kind: {}   # {}", flow.kind, flow.because);
        let _ = writeln!(o, "    owner:");
        if r.pat_levels.levels.is_empty() {
            let _ = writeln!(o, "      user_levels: []   # no elevated level needed");
        } else {
            let _ = writeln!(o, "      user_levels:");
            for l in &r.pat_levels.levels {
                let _ = writeln!(o, "        - {}   # {}", yaml_str(l), comment(l));
            }
        }
        if flow.kind == "user-token" {
            // Each user's own login: the owner is whoever signs in.
        } else if service_account {
            let _ = writeln!(
                o,
                "      service_account: true   # said with --service-account: a dedicated identity, not a person"
            );
        } else {
            let _ = writeln!(
                o,
                "      # service_account: true   # unconfirmed: uncomment when the token's owner is a dedicated identity, not a person"
            );
        }
        if r.pat_scopes.scopes.is_empty() {
            let _ = writeln!(o, "    scopes: []   # every call is public");
        } else {
            let _ = writeln!(o, "    scopes:");
            for &s in &r.pat_scopes.scopes {
                let n = cat.scope_name(s);
                let _ = writeln!(o, "      - {}   # {}", yaml_str(n), comment(n));
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
    let _ = writeln!(
        o,
        "scope_semantics: {}   # {}",
        semantics.as_str(),
        match semantics {
            Semantics::AnyOf => "SailPoint's documented reading: any one listed scope suffices",
            Semantics::AllOf => "as asked with --scope-semantics all-of",
        }
    );
    o
}

/// The comment of each scope and owner level of a grant (by name): the calls that need it,
/// or for `sp:scopes:all`/ORG_ADMIN the calls that force it and a count of the rest. The same
/// comments for `init` and `--fix`.
pub fn item_comments(
    solver: &Solver<'_>,
    r: &Requirements,
    kind: AuthKind,
    sites: &BTreeMap<OpId, Vec<String>>,
    legacy: &[LegacyCall],
) -> BTreeMap<String, String> {
    let cat = solver.catalog;
    let forced = forced_by(solver, r, kind, sites, legacy);
    let at = |op: OpId| sites.get(&op).map(|v| v.join(", ")).unwrap_or_default();
    let mut out = BTreeMap::new();
    let scopes = match kind {
        AuthKind::User => &r.pat_scopes.scopes,
        AuthKind::App => &r.client.scopes,
    };
    for &s in scopes {
        let name = cat.scope_name(s);
        let text = match forced.get(name) {
            Some(f) => compact(f),
            None => r
                .ops
                .iter()
                .filter(|&&op| {
                    crate::solver::scopes::enabling_scopes(cat, op, scopes, kind, r.semantics)
                        .contains(&s)
                })
                .map(|&op| format!("{} ({})", cat.op(op).name(), at(op)))
                .collect::<Vec<_>>()
                .join("; "),
        };
        out.insert(name.to_string(), shorten(&text));
    }
    if kind == AuthKind::User {
        for l in &r.pat_levels.levels {
            let text = match forced.get(l) {
                Some(f) => compact(f),
                None => r
                    .ops
                    .iter()
                    .filter(|&&op| {
                        solver
                            .levels
                            .enabling_levels(op, std::slice::from_ref(l))
                            .contains(l)
                    })
                    .map(|&op| cat.op(op).name())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            out.insert(l.clone(), shorten(&text));
        }
    }
    out
}

/// `forced by GET /cc/api/x (a.py:3, legacy); GET /v3/y (b.py:2); +1 other operation`.
fn compact(f: &crate::report::forced::Forced) -> String {
    let mut parts: Vec<String> =
        f.by.iter()
            .take(2)
            .map(|b| {
                let legacy = if b.reason.starts_with("legacy") {
                    ", legacy"
                } else {
                    ""
                };
                format!("{} ({}{legacy})", b.operation, b.calls.join(", "))
            })
            .collect();
    if f.by.len() > 2 {
        parts.push(format!("{} more", f.by.len() - 2));
    }
    let mut s = if parts.is_empty() {
        "no single call forces it (levels that cannot be combined)".to_string()
    } else {
        format!("forced by {}", parts.join("; "))
    };
    if f.other_operations > 0 {
        s.push_str(&format!("; +{} other operation(s)", f.other_operations));
    }
    s
}

/// The prefix of every comment line `init` and `--fix` write on their own line inside a
/// credential; `--fix` replaces them, so they never go stale.
pub const NOTE: &str = "# isc-scope-lint note:";

/// The notes of a credential's verdict, one comment line each (with [`NOTE`]): the grant not
/// proven minimal, writes a read scope authorises under any-of, and (for a PAT, `pat` true)
/// that client credentials would do. The same lines for `init` and `--fix`.
pub fn credential_notes(
    solver: &Solver<'_>,
    r: &Requirements,
    kind: AuthKind,
    pat: bool,
) -> Vec<String> {
    let cat = solver.catalog;
    let mut out = Vec::new();
    if !r.exact() {
        out.push(format!("{NOTE} {}", crate::solver::NOT_PROVEN));
    }
    if r.legacy {
        out.push(format!(
            "{NOTE} a legacy private API call forces sp:scopes:all, and the owner level it needs is unknown (only ORG_ADMIN is known to work)"
        ));
    }
    let scopes = match kind {
        AuthKind::User => &r.pat_scopes.scopes,
        AuthKind::App => &r.client.scopes,
    };
    if let Some(n) =
        crate::solver::scopes::read_scope_write_note(cat, &r.ops, scopes, kind, r.semantics)
    {
        out.push(format!("{NOTE} {n}"));
    }
    if pat && r.client.possible && !r.legacy && !r.ops.is_empty() {
        let cc: Vec<&str> = r.client.scopes.iter().map(|&s| cat.scope_name(s)).collect();
        out.push(format!(
            "{NOTE} every call accepts client credentials: `kind: oauth-client` with scopes [{}] would do",
            cc.join(", ")
        ));
    }
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// The `discovery:` section of an existing manifest, so `init --force` carries it into the
/// manifest it writes: as the user wrote it (the key's line to the end of its value, comments
/// inside included) when it is a block at the start of its line, else rewritten from its
/// values. `None` when the manifest has no such section or it declares nothing.
pub fn kept_discovery(l: &super::Loaded) -> Option<String> {
    let d = &l.manifest.discovery;
    if d.wrappers.is_empty() && d.base_urls.is_empty() {
        return None;
    }
    let section = l
        .tree
        .as_ref()
        .and_then(|tree| verbatim_section(&l.text, tree.key("discovery")?, tree.get("discovery")?))
        .unwrap_or_else(|| render_discovery(d));
    Some(format!(
        "# Kept from the manifest this one replaced (and used to find the calls above):\n{section}\n"
    ))
}

/// The lines from `key` to the end of `value`, dedented to column 0; `None` when the key does
/// not start its line (a flow mapping).
fn verbatim_section(text: &str, key: &super::YNode, value: &super::YNode) -> Option<String> {
    let key_at = key.start.min(text.len());
    let start = text[..key_at].rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(start..key_at)?;
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let end = value.end.max(key.end).min(text.len());
    let end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let mut out = String::new();
    for line in text.get(start..end)?.trim_end().lines() {
        let line = line.strip_prefix(indent).unwrap_or(line.trim_start());
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Some(out.trim_end().to_string())
}

/// The section written from its values.
fn render_discovery(d: &super::discovery::Discovery) -> String {
    use super::discovery::ArgSpec;
    let arg = |a: &ArgSpec| match a {
        ArgSpec::Name(n) => yaml_str(n),
        ArgSpec::Position(p) => p.to_string(),
    };
    let mut o = String::from("discovery:");
    if !d.wrappers.is_empty() {
        o.push_str("\n  wrappers:");
        for w in &d.wrappers {
            let _ = write!(
                o,
                "\n    - name: {}\n      url: {}",
                yaml_str(&w.name),
                arg(&w.url)
            );
            if let Some(m) = &w.method {
                let _ = write!(o, "\n      method: {}", arg(m));
            }
            if let Some(m) = &w.default_method {
                let _ = write!(o, "\n      default_method: {}", yaml_str(m));
            }
        }
    }
    if !d.base_urls.is_empty() {
        let names: Vec<String> = d.base_urls.iter().map(|b| yaml_str(b)).collect();
        let _ = write!(o, "\n  base_urls: [{}]", names.join(", "));
    }
    o
}
