//! What a string expression may evaluate to: a few candidate strings, each a sequence of
//! literal pieces and holes (parts not known statically, named after where they come from).
//! And the decision whether a candidate is an ISC call: host, path, family, token request.

use super::call::{RawCall, Target, Via};
use super::lex::Lang;
use crate::catalog::route::{Seg, is_legacy, path_segments};
use crate::catalog::{Catalog, Method};

/// At most this many candidates are tracked per expression (branches multiply).
pub const MAX_CANDIDATES: usize = 12;
/// A candidate holds at most this many bytes (literal text and hole names): a URL is far
/// shorter, and longer values (constants doubled through variables, thousands of
/// interpolations) are cut there, ending in a [`TRUNCATED`] hole.
pub const MAX_CANDIDATE_BYTES: usize = 8 * 1024;
/// A candidate holds at most this many pieces.
pub const MAX_PIECES: usize = 128;
/// A hole's name is cut to this many bytes (a hole may be named after a long expression).
pub const MAX_HOLE_NAME: usize = 160;
/// The hole that ends a candidate cut at [`MAX_CANDIDATE_BYTES`] or [`MAX_PIECES`]; nothing
/// is appended after it.
pub const TRUNCATED: &str = "…(value cut at the size limit)";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Piece {
    Lit(String),
    /// Not known statically; the name says where it comes from (`base_url`,
    /// `env:ISC_BASE_URL`, `param:path`).
    Hole(String),
}

/// One candidate string.
pub type Cand = Vec<Piece>;

/// The candidates of an expression. Empty = nothing known (not a string at all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    pub cands: Vec<Cand>,
}

impl Value {
    pub fn lit(s: impl Into<String>) -> Value {
        Value {
            cands: vec![vec![Piece::Lit(s.into())]],
        }
    }

    pub fn hole(name: impl Into<String>) -> Value {
        let mut name = name.into();
        if name.len() > MAX_HOLE_NAME {
            let mut cut = MAX_HOLE_NAME;
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            name.truncate(cut);
            name.push('…');
        }
        Value {
            cands: vec![vec![Piece::Hole(name)]],
        }
    }

    /// The candidates as text, holes as `{name}` (for tests).
    #[cfg(test)]
    pub fn texts(&self) -> Vec<String> {
        self.cands
            .iter()
            .map(|c| {
                c.iter()
                    .map(|p| match p {
                        Piece::Lit(l) => l.clone(),
                        Piece::Hole(h) => format!("{{{h}}}"),
                    })
                    .collect()
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.cands.is_empty()
    }

    /// `a + b`, candidate by candidate (capped).
    pub fn concat(&self, other: &Value) -> Value {
        let mut v = self.clone();
        v.append(other);
        v
    }

    /// `self = self + other`, in place: a value built piece by piece (a template with many
    /// interpolations, `a + b + c …`) is not copied at every step.
    pub fn append(&mut self, other: &Value) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() {
            *self = other.clone();
            return;
        }
        super::budget::spend(other.weight());
        if let [b] = other.cands.as_slice() {
            for a in &mut self.cands {
                for p in b {
                    push_piece(a, p.clone());
                }
            }
            return;
        }
        let mut out = Vec::new();
        'outer: for a in &self.cands {
            for b in &other.cands {
                if out.len() == MAX_CANDIDATES {
                    break 'outer;
                }
                let mut c = a.clone();
                for p in b {
                    push_piece(&mut c, p.clone());
                }
                out.push(c);
            }
        }
        super::budget::spend(out.iter().map(|c| cand_bytes(c) as u64).sum());
        self.cands = out;
    }

    /// A measure of the work of copying this value (bytes and pieces).
    fn weight(&self) -> u64 {
        self.cands
            .iter()
            .map(|c| (cand_bytes(c) + c.len()) as u64)
            .sum::<u64>()
            + 1
    }

    /// [`Value::union`] in place: `self` becomes either value (the same candidates in the
    /// same order), copying only the candidates it adds (project tables merge thousands of
    /// values under a common name; a full value takes nothing more).
    pub fn absorb(&mut self, other: &Value) {
        for c in &other.cands {
            if self.cands.len() == MAX_CANDIDATES {
                break;
            }
            if !self.cands.contains(c) {
                self.cands.push(c.clone());
            }
        }
    }

    /// Either value (branches, ternaries, `a || b`).
    pub fn union(&self, other: &Value) -> Value {
        let mut out = self.clone();
        out.absorb(other);
        out
    }

    /// The parameter this value is, when it is exactly one parameter of the enclosing function
    /// (`param:method` → `method`).
    pub fn param_hole(&self) -> Option<&str> {
        match self.cands.as_slice() {
            [c] => match c.as_slice() {
                [Piece::Hole(h)] => h.strip_prefix("param:"),
                _ => None,
            },
            _ => None,
        }
    }

    /// The single fully literal string, if that is all this value can be.
    pub fn as_literal(&self) -> Option<String> {
        match self.cands.as_slice() {
            [c] => {
                let mut s = String::new();
                for p in c {
                    match p {
                        Piece::Lit(l) => s.push_str(l),
                        Piece::Hole(_) => return None,
                    }
                }
                Some(s)
            }
            _ => None,
        }
    }

    /// Whether any candidate mentions a hole named `name`.
    pub fn has_hole(&self, name: &str) -> bool {
        self.cands
            .iter()
            .flatten()
            .any(|p| matches!(p, Piece::Hole(h) if h == name))
    }

    /// The value with `param:NAME` holes renamed `NAME` (seen from another function, a
    /// parameter is just an unknown).
    pub fn unparam(&self) -> Value {
        let mut v = self.clone();
        for p in v.cands.iter_mut().flatten() {
            if let Piece::Hole(h) = p
                && let Some(n) = h.strip_prefix("param:")
            {
                *h = n.to_string();
            }
        }
        v
    }

    /// Drops a trailing `/` of every candidate (`base.rstrip('/')`).
    pub fn trim_end_slash(&self) -> Value {
        let mut v = self.clone();
        for c in &mut v.cands {
            if let Some(Piece::Lit(l)) = c.last_mut() {
                while l.ends_with('/') {
                    l.pop();
                }
            }
        }
        v
    }
}

/// The bytes of a candidate: its literal text and hole names.
fn cand_bytes(c: &Cand) -> usize {
    c.iter()
        .map(|p| match p {
            Piece::Lit(l) => l.len(),
            Piece::Hole(h) => h.len(),
        })
        .sum()
}

/// Appends a piece, merging literals; an empty literal before a hole is dropped (`"" + $x`
/// is `$x`, so a lone parameter stays recognisable as one). A candidate past
/// [`MAX_CANDIDATE_BYTES`] or [`MAX_PIECES`] keeps what fits and ends in a [`TRUNCATED`]
/// hole; nothing is appended after it.
fn push_piece(c: &mut Cand, p: Piece) {
    if matches!(c.last(), Some(Piece::Hole(h)) if h == TRUNCATED) {
        return;
    }
    let len = match &p {
        Piece::Lit(l) => l.len(),
        Piece::Hole(h) => h.len(),
    };
    let size = cand_bytes(c);
    if size + len > MAX_CANDIDATE_BYTES || c.len() >= MAX_PIECES {
        if let Piece::Lit(l) = &p {
            let mut room = MAX_CANDIDATE_BYTES.saturating_sub(size).min(l.len());
            while !l.is_char_boundary(room) {
                room -= 1;
            }
            if room > 0 {
                match c.last_mut() {
                    Some(Piece::Lit(a)) => a.push_str(&l[..room]),
                    _ => c.push(Piece::Lit(l[..room].to_string())),
                }
            }
        }
        c.push(Piece::Hole(TRUNCATED.to_string()));
        return;
    }
    match (c.last_mut(), p) {
        (Some(Piece::Lit(a)), Piece::Lit(b)) => a.push_str(&b),
        (Some(last), p) if *last == Piece::Lit(String::new()) => *last = p,
        (_, p) => c.push(p),
    }
}

/// Joins a base and a path like `urljoin`/`path.join`: exactly one `/` between them.
pub fn join_path(base: &Value, path: &Value) -> Value {
    let base = base.trim_end_slash();
    let mut p = path.clone();
    for c in &mut p.cands {
        match c.first_mut() {
            Some(Piece::Lit(l)) if !l.starts_with('/') && !l.contains("://") => l.insert(0, '/'),
            Some(Piece::Lit(_)) => {}
            _ => c.insert(0, Piece::Lit("/".into())),
        }
    }
    base.concat(&p)
}

/// What a host says about a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// A tenant's API host: `{tenant}.api.identitynow.com`, `.api.identitynow-demo.com`, an
    /// `api` label before a SailPoint domain (`{tenant}.api.cloud.sailpoint.com`, FedRAMP and
    /// other documented tenant domains), or the tenant's own host `{tenant}.identitynow.com`
    /// (legacy `/cc/api` calls).
    Tenant,
    /// A tenant-shaped host whose domain is not known (`{tenant}.api.{domain}`,
    /// `{}.api.{}.com`): a tenant if the project is about ISC.
    OpenTenant,
    /// A host that is not known at all (`{}`, `{{host}}`, `{a}-{b}`): a tenant if the file is
    /// about ISC.
    Open,
    /// Anything else, SailPoint's other hosts included (`status.sailpoint.com`,
    /// `developer.sailpoint.com`, `*.infra.identitynow.com` services).
    Other,
}

/// Hosts under `identitynow.com` that are SailPoint's own sites, not a tenant.
const NOT_TENANTS: &[&str] = &[
    "www",
    "developer",
    "documentation",
    "community",
    "status",
    "login",
    "api",
];

/// Classifies a host (user info, a port and a trailing dot are ignored; case too). A label
/// that is a placeholder (`{}`, or any label holding `{`, `$` or `<`) stands for anything.
pub fn host_kind(host: &str) -> HostKind {
    let h = host.to_ascii_lowercase();
    let h = h.rsplit_once('@').map_or(h.as_str(), |(_, x)| x);
    let h = match h.rsplit_once(':') {
        Some((a, port)) if port.bytes().all(|b| b.is_ascii_digit()) => a,
        _ => h,
    };
    let h = h.trim().trim_end_matches('.');
    if h.is_empty() {
        return HostKind::Other;
    }
    let labels: Vec<&str> = h.split('.').collect();
    let open = |l: &str| l.is_empty() || l.contains(['{', '$', '<', '%', '\u{1}']);
    let n = labels.len();
    // `{tenant}.api.identitynow.com`, `{tenant}.identitynow.com` (and -demo).
    if n >= 2
        && matches!(labels[n - 2], "identitynow" | "identitynow-demo")
        && labels[n - 1] == "com"
    {
        return match &labels[..n - 2] {
            [_, "api"] | [_, _, "api"] => HostKind::Tenant,
            [t] if !NOT_TENANTS.contains(t) => HostKind::Tenant,
            _ => HostKind::Other,
        };
    }
    // An `api` label after the tenant, before a domain of SailPoint's.
    if let Some(k) = labels.iter().position(|l| *l == "api")
        && k >= 1
        && k + 1 < n
    {
        let domain = &labels[k + 1..];
        if domain.iter().any(|l| l.contains("sailpoint")) {
            return HostKind::Tenant;
        }
        // `{tenant}.api.{domain}`, `{tenant}.api.{domain}.com`: the domain is not known.
        if domain.iter().any(|l| open(l))
            && domain
                .iter()
                .all(|l| open(l) || matches!(*l, "com" | "gov" | "net"))
        {
            return HostKind::OpenTenant;
        }
        return HostKind::Other;
    }
    // A placeholder in the last label, or only placeholders and punctuation: not known.
    let literal: String = labels.iter().filter(|l| !open(l)).copied().collect();
    if open(labels[n - 1])
        || literal
            .trim_matches(|ch: char| ch == '-' || ch.is_ascii_digit())
            .is_empty()
    {
        return HostKind::Open;
    }
    HostKind::Other
}

/// Whether a host is a tenant's API host (see [`HostKind::Tenant`]).
pub fn is_isc_host(host: &str) -> bool {
    host_kind(host) == HostKind::Tenant
}

/// Names that suggest an ISC base URL or tenant (for holes that stand for a host).
pub fn isc_like_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "isc",
        "idn",
        "identitynow",
        "sailpoint",
        "sail_",
        "tenant",
        "idnow",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// How sure the finder must be that a file talks to ISC before it reports a call whose host
/// it cannot see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    /// The file names an ISC host, the SDK, the CLI or ISC-named variables.
    pub isc: bool,
    /// Some file of the project does: enough for a base whose name is ISC-like.
    pub project: bool,
}

/// The rendered candidate: text with `{}` for holes, and where the first hole sits.
struct Rendered {
    text: String,
    /// Name of a leading hole (the base URL) if the candidate starts with one.
    lead_hole: Option<String>,
    /// Every hole with the byte offset of its `{}` in `text`.
    holes: Vec<(usize, String)>,
}

fn render(c: &Cand) -> Rendered {
    let mut text = String::new();
    let mut lead_hole = None;
    let mut holes = Vec::new();
    for (i, p) in c.iter().enumerate() {
        match p {
            Piece::Lit(l) => text.push_str(l),
            Piece::Hole(h) => {
                if i == 0 {
                    lead_hole = Some(h.clone());
                }
                holes.push((text.len(), h.clone()));
                text.push_str("{}");
            }
        }
    }
    Rendered {
        text,
        lead_hole,
        holes,
    }
}

/// What a candidate URL is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Classified {
    /// Not an ISC call.
    NotIsc,
    /// An ISC URL or path (`Target::Url` text).
    Url(String),
    /// `POST /oauth/token`.
    Auth(String),
    /// The API version is in a part not known statically; the families whose operation fits.
    VersionUnknown {
        hole: String,
        url: String,
        families: Vec<String>,
    },
    /// The tenant's API (its host, or a base named like an API base in a file that names
    /// ISC) with a path wholly unknown (`"https://" + apiHost + endpoint`, a path typed or
    /// picked in a UI): `hole` is where the path comes from.
    PathUnknown { hole: String, url: String },
}

/// Decides whether one candidate string is an ISC call and normalises it.
pub fn classify(cat: &Catalog, c: &Cand, ctx: Context) -> Classified {
    let r = render(c);
    // A name the manifest declares as the tenant's API base.
    let tenant_base = r.holes.iter().any(|(_, h)| h.starts_with(TENANT_BASE));
    let ctx = Context {
        isc: ctx.isc
            || tenant_base
            || (ctx.project && r.lead_hole.as_deref().is_some_and(isc_like_name)),
        project: ctx.project || tenant_base,
    };
    let t = r.text.trim();
    if t.is_empty() {
        return Classified::NotIsc;
    }
    // Where `t` starts in the rendered text (the holes' offsets are in the rendered text).
    let lead = r.text.len() - r.text.trim_start().len();
    // Explicit scheme and host. `path_at`: where the path starts in `t` (a relative path
    // starts at 0 although `rest` gains a leading `/`).
    let (host, rest, host_known, path_at) = if let Some(i) = t.find("://") {
        let scheme = &t[..i];
        if !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "{}"
        ) {
            return Classified::NotIsc;
        }
        let after = &t[i + 3..];
        let (h, p) = match after.find(['/', '?', '#']) {
            Some(j) => (&after[..j], &after[j..]),
            None => (after, ""),
        };
        (h.to_string(), p.to_string(), true, t.len() - p.len())
    } else if let Some(stripped) = t.strip_prefix("{}") {
        // A leading hole: the base URL (host, maybe with a version).
        (String::from("{}"), stripped.to_string(), false, 2)
    } else if t.starts_with('/') {
        (String::new(), t.to_string(), false, 0)
    } else {
        // `v3/sources` or `sources/v1`: a relative path (generic SDK entry points, base-URL
        // clients). `acme.api.identitynow.com/v3/...` without a scheme: a host.
        let first = t.split('/').next().unwrap_or("");
        if first.contains('.') && !first.contains('{') {
            let j = t.find('/').unwrap_or(t.len());
            (t[..j].to_string(), t[j..].to_string(), true, j)
        } else {
            (String::new(), format!("/{t}"), false, 0)
        }
    };
    if let Some(found) = path_unknown(&r, t, lead, &host, &rest, host_known, ctx) {
        return found;
    }
    if host_known {
        match host_kind(&host) {
            HostKind::Tenant => {}
            HostKind::Open if ctx.isc => {}
            HostKind::OpenTenant if ctx.isc || ctx.project => {}
            HostKind::Open | HostKind::OpenTenant | HostKind::Other => {
                return Classified::NotIsc;
            }
        }
    }
    let segs = path_segments(&rest);
    let path_only: String = rest.split(['?', '#']).next().unwrap_or("").to_string();
    if path_only.trim_end_matches('/').ends_with("/oauth/token") || path_only == "/oauth/token" {
        let isc = host_known || ctx.isc || r.lead_hole.as_deref().is_some_and(isc_like_name);
        return if isc {
            Classified::Auth("/oauth/token".into())
        } else {
            Classified::NotIsc
        };
    }
    let url = if host_known {
        format!("https://{host}{rest}")
    } else {
        rest.clone()
    };
    if segs.is_empty() {
        return Classified::NotIsc;
    }
    let router = cat.router();
    // The version segment itself is a hole (`{base}/{version}/sources`): the families whose
    // operation fits.
    if segs[0] == Seg::Param && segs.len() > 1 {
        let families: Vec<String> = cat
            .families()
            .into_iter()
            .filter(|f| *f != crate::catalog::PER_API_FAMILY)
            .filter(|f| {
                let mut s = segs.clone();
                s[0] = Seg::Lit((*f).to_string());
                !router.matches(cat, &s).is_empty()
            })
            .map(str::to_string)
            .collect();
        if !families.is_empty() && (host_known || ctx.isc) {
            let path_start = lead + path_at;
            let hole = r
                .holes
                .iter()
                .find(|(o, _)| *o >= path_start)
                .map_or_else(|| "the version".to_string(), |(_, h)| h.clone());
            return Classified::VersionUnknown {
                hole,
                url,
                families,
            };
        }
    }
    let family_first = matches!(&segs[0], Seg::Lit(f) if router.is_family_prefix(cat, f));
    if is_legacy(&segs) {
        // A host that reached this point was accepted above.
        let isc = host_known || ctx.isc;
        return if isc {
            Classified::Url(url)
        } else {
            Classified::NotIsc
        };
    }
    let matches_any = !router.matches(cat, &segs).is_empty();
    if family_first || matches_any {
        // A family prefix or a catalog template: an ISC path. Without a visible ISC host,
        // the file must have ISC context unless the template match is exact.
        if host_known || matches_any || ctx.isc {
            return Classified::Url(url);
        }
        return Classified::NotIsc;
    }
    // No family: the version may be in the unknown base (`{base}/sources` with base ending
    // in /v3). Report the families that have a matching operation, or nothing.
    let families: Vec<String> = cat
        .families()
        .into_iter()
        .filter(|f| *f != crate::catalog::PER_API_FAMILY)
        .filter(|f| {
            let mut s = vec![Seg::Lit((*f).to_string())];
            s.extend(segs.iter().cloned());
            !router.matches(cat, &s).is_empty()
        })
        .map(str::to_string)
        .collect();
    let base_unknown = host == "{}" || (!host_known && host.is_empty());
    if base_unknown && !families.is_empty() && (ctx.isc || host_known) {
        return Classified::VersionUnknown {
            hole: r.lead_hole.unwrap_or_else(|| "the base URL".into()),
            url,
            families,
        };
    }
    if (host_known && is_isc_host(&host)) || (ctx.isc && family_like(&segs)) {
        // An ISC host but no operation: an endpoint in no spec (unknown-endpoint).
        return Classified::Url(url);
    }
    Classified::NotIsc
}

/// A request to the tenant's API whose path is wholly unknown: only holes and separators
/// after a tenant host (`https://acme.api.identitynow.com{path}`, `https://{host}/{path}`),
/// or after a leading base (`{base}/{path}`). The host must be a tenant's, or a hole in a file
/// that names ISC (not the page's own `window.location.host`); a leading base must be named
/// like an API base (`apiUrl`, `baseUrl`, `tenant`) in a file that names ISC. A trailing
/// hole named like a part of a host (`domain`) is not a path.
fn path_unknown(
    r: &Rendered,
    t: &str,
    lead: usize,
    host: &str,
    rest: &str,
    host_known: bool,
    ctx: Context,
) -> Option<Classified> {
    let only_holes = |p: &str| {
        let p = p.split(['?', '#']).next().unwrap_or("");
        p.contains("{}") && p.replace("{}", "").chars().all(|ch| ch == '/')
    };
    // The hole at byte `at` of `t`.
    let hole_at = |at: usize| {
        r.holes
            .iter()
            .find(|(o, _)| *o == lead + at)
            .map(|(_, h)| h.clone())
    };
    let (host, path, path_at) = if host_known {
        let scheme_end = t.find("://")? + 3;
        if rest.split(['?', '#']).next().unwrap_or("").is_empty() {
            // `https://acme.api.identitynow.com{path}`: a hole glued after the host.
            let trimmed = host.strip_suffix("{}").unwrap_or(host);
            let glued = &host[trimmed.len()..];
            if glued.is_empty() || trimmed.is_empty() || trimmed.ends_with(['.', '-', ':']) {
                return None;
            }
            (
                trimmed.to_string(),
                format!("{glued}{rest}"),
                scheme_end + trimmed.len(),
            )
        } else if only_holes(rest) {
            (host.to_string(), rest.to_string(), scheme_end + host.len())
        } else {
            return None;
        }
    } else if let Some(after) = t.strip_prefix("{}") {
        // `{base}/{path}`: a base glued to another hole (`{a}{b}`) says nothing of a path.
        if !only_holes(after) || !after.starts_with('/') {
            return None;
        }
        (String::from("{}"), after.to_string(), 2)
    } else {
        return None;
    };
    let path_hole = {
        let first = path.find("{}")?;
        hole_at(path_at + first)?
    };
    // A parameter of the request's function: a helper, whose callers say the path. A
    // function's result (`urlEqualTo()` of a test stub, a builder the front-end does not
    // read): not known to be a path at all.
    if path_hole.starts_with("param:") || path_hole.ends_with(')') {
        return None;
    }
    let last_words = |h: &str| words(h.rsplit('.').next().unwrap_or(h));
    if last_words(&path_hole).iter().any(|w| {
        matches!(
            w.as_str(),
            "domain" | "host" | "hostname" | "suffix" | "tld" | "port"
        )
    }) {
        return None;
    }
    let api_base_name = |h: &str| {
        let h = h
            .trim_start_matches("param:")
            .trim_start_matches("env:")
            .trim_start_matches(TENANT_BASE);
        let w = last_words(h);
        isc_like_name(h)
            || w.iter().any(|x| x == "api")
            || w.windows(2)
                .any(|p| p[0] == "base" && matches!(p[1].as_str(), "url" | "uri"))
    };
    let tenant = match host_kind(&host) {
        HostKind::Tenant => true,
        HostKind::OpenTenant => ctx.isc || ctx.project,
        HostKind::Open => {
            // The hole that makes the host (a host of its own, in a file that names ISC: not
            // the page's own `window.location.host`) or the base (named like an API base).
            let page = |h: &str| {
                words(h).iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "window" | "location" | "document" | "origin" | "self"
                    )
                })
            };
            let base = |h: &str| h.starts_with(TENANT_BASE) || api_base_name(h);
            if host_known {
                ctx.isc && hole_at(t.find("://")? + 3).is_some_and(|h| base(&h) || !page(&h))
            } else {
                // A base named like the API's, in a file that names ISC.
                ctx.isc && hole_at(0).is_some_and(|h| base(&h))
            }
        }
        HostKind::Other => false,
    };
    if !tenant {
        return None;
    }
    let url = if host_known {
        format!("https://{host}/{{}}")
    } else {
        "/{}".to_string()
    };
    Some(Classified::PathUnknown {
        hole: path_hole,
        url,
    })
}

/// The lower-cased words of a name (`data.session.baseUrl` → `data`, `session`, `base`, `url`;
/// `API_HOST` → `api`, `host`).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `/beta/...`-like: the first segment looks like an API family even if the catalog lacks it.
fn family_like(segs: &[Seg]) -> bool {
    matches!(&segs[0], Seg::Lit(f) if f == "beta" || (f.len() >= 2 && f.starts_with('v') && f[1..].chars().all(|c| c.is_ascii_digit())))
}

/// A candidate as text, holes written `{}`.
pub fn cand_text(c: &Cand) -> String {
    let mut t = String::new();
    for p in c {
        match p {
            Piece::Lit(l) => t.push_str(l),
            Piece::Hole(_) => t.push_str("{}"),
        }
    }
    t
}

/// When no candidate of a URL says anything about where it goes (only holes and separators:
/// `{base_url()}/{path}`, `{url}`), the holes it is built from, named for a reason
/// (`` `base_url()`, `path` ``); `None` when some candidate holds a host or a word of a path.
pub fn opaque_sources(v: &Value) -> Option<String> {
    if v.cands.is_empty() {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for c in &v.cands {
        for p in c {
            match p {
                Piece::Lit(l) if l.chars().any(|ch| ch.is_ascii_alphanumeric()) => return None,
                Piece::Lit(_) => {}
                Piece::Hole(h) => {
                    let n = h
                        .trim_start_matches("param:")
                        .trim_start_matches("env:")
                        .to_string();
                    if names.len() < 4 && !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// Turns a value at a request site into raw calls: one per distinct ISC candidate.
pub fn raw_calls(
    cat: &Catalog,
    value: &Value,
    offset: usize,
    method: Option<Method>,
    via: Via,
    ctx: Context,
) -> Vec<RawCall> {
    let mut out: Vec<RawCall> = Vec::new();
    // Which of `out` have a wholly unknown path.
    let mut unknown_paths: Vec<usize> = Vec::new();
    for c in &value.cands {
        let mut unknown = false;
        let call = match classify(cat, c, ctx) {
            Classified::NotIsc => continue,
            Classified::Url(u) => RawCall::new(offset, method, Target::Url(u), via),
            Classified::Auth(u) => RawCall::new(
                offset,
                method.or(Some(Method::Post)),
                Target::Url(u),
                Via::Auth,
            ),
            Classified::VersionUnknown {
                hole,
                url,
                families,
            } => RawCall::new(offset, method, Target::Url(url), via).with_reason(format!(
                "the API version is in `{}`, which is not known statically; the path exists in {}",
                hole.trim_start_matches("param:")
                    .trim_start_matches("env:")
                    .trim_start_matches(TENANT_BASE),
                families.join(", ")
            )),
            Classified::PathUnknown { hole, url } => {
                unknown = true;
                RawCall::new(offset, method, Target::Url(url), via).with_reason(format!(
                    "a request to the tenant's API whose path comes from `{}`, which is not known statically (chosen at run time)",
                    hole.trim_start_matches("param:").trim_start_matches("env:")
                ))
            }
        };
        if !out.contains(&call) {
            if unknown {
                unknown_paths.push(out.len());
            }
            out.push(call);
        }
    }
    // A candidate with a wholly unknown path beside candidates that name ISC paths is an
    // artefact of the evaluation (a builder chain read in part), not another call.
    if unknown_paths.len() < out.len() {
        let mut k = 0;
        out.retain(|_| {
            k += 1;
            !unknown_paths.contains(&(k - 1))
        });
    }
    out
}

/// The hole a declared base name evaluates to: `tenant-base:NAME`.
pub const TENANT_BASE: &str = "tenant-base:";

/// Which declared base `name` (as the evaluator spells it: `config.tenantUrl`,
/// `self.base`, `ISC_BASE`) is: the name itself or a dotted suffix of it
/// (`this.config.tenantUrl` for `config.tenantUrl`).
pub fn base_decl<'a>(bases: &'a [String], name: &str, lang: Lang) -> Option<&'a str> {
    let name = name.trim_start_matches('$');
    bases
        .iter()
        .find(|b| {
            let b = b.as_str();
            if name.len() < b.len() {
                return false;
            }
            let tail = &name[name.len() - b.len()..];
            let same = if lang == Lang::PowerShell {
                tail.eq_ignore_ascii_case(b)
            } else {
                tail == b
            };
            same && (name.len() == b.len() || name[..name.len() - b.len()].ends_with('.'))
        })
        .map(String::as_str)
}

/// A declared base's value: the tenant's API base, with whatever path the value visibly
/// adds after its host (`https://iam.example.com/v3` → `{tenant base}/v3`).
pub fn as_tenant_base(v: &Value, decl: &str) -> Value {
    let hole = Piece::Hole(format!("{TENANT_BASE}{decl}"));
    let mut out = Value::default();
    for cand in &v.cands {
        let mut one = vec![hole.clone()];
        // A literal scheme and host: keep what follows the host.
        if let Some(Piece::Lit(first)) = cand.first()
            && let Some(i) = first.find("://")
        {
            let mut rest: Vec<Piece> = Vec::new();
            let mut in_host = true;
            let mut text = first[i + 3..].to_string();
            let mut pieces = cand[1..].iter();
            loop {
                if in_host {
                    if let Some(j) = text.find('/') {
                        in_host = false;
                        rest.push(Piece::Lit(text[j..].to_string()));
                    }
                } else if !text.is_empty() {
                    rest.push(Piece::Lit(text.clone()));
                }
                match pieces.next() {
                    Some(Piece::Lit(l)) => text = l.clone(),
                    Some(h @ Piece::Hole(_)) => {
                        text.clear();
                        if !in_host {
                            rest.push(h.clone());
                        }
                    }
                    None => break,
                }
            }
            one.extend(rest);
        } else if let Some(Piece::Lit(first)) = cand.first()
            && first.starts_with('/')
        {
            one.extend(cand.iter().cloned());
        }
        let v1 = Value { cands: vec![one] };
        out = out.union(&v1);
    }
    if out.is_empty() {
        out = Value {
            cands: vec![vec![hole]],
        };
    }
    out
}

/// Replaces `param:NAME` holes by values. `args` gets the parameter's name, with the
/// property path when the hole is a property of a parameter (`opts.url`).
pub fn substitute(v: &Value, args: &dyn Fn(&str) -> Option<Value>) -> Value {
    let mut out = Value::default();
    for cand in &v.cands {
        let mut acc = Value::lit("");
        for p in cand {
            let part = match p {
                Piece::Hole(h) if h.starts_with("param:") => {
                    let n = &h["param:".len()..];
                    let head = n.split('[').next().unwrap_or(n);
                    args(head)
                        .filter(|x| !x.is_empty())
                        .unwrap_or_else(|| Value::hole(h.clone()))
                }
                other => Value {
                    cands: vec![vec![other.clone()]],
                },
            };
            acc.append(&part);
        }
        out = out.union(&acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cls(parts: &[Piece], isc: bool) -> Classified {
        classify(
            Catalog::embedded(),
            &parts.to_vec(),
            Context { isc, project: isc },
        )
    }
    fn l(s: &str) -> Piece {
        Piece::Lit(s.into())
    }
    fn h(s: &str) -> Piece {
        Piece::Hole(s.into())
    }

    /// `absorb` and `union` keep the first value's candidates and add the other's it lacks,
    /// in order, up to `MAX_CANDIDATES`, whatever the values (duplicates, overlaps, a full
    /// value, more than `MAX_CANDIDATES` in all).
    #[test]
    fn absorb_and_union_add_what_the_first_value_lacks() {
        use proptest::prelude::*;
        let cand = prop::collection::vec(0u8..4, 0..3).prop_map(|v| {
            v.into_iter()
                .map(|k| {
                    if k < 2 {
                        l(&k.to_string())
                    } else {
                        h(&k.to_string())
                    }
                })
                .collect::<Vec<Piece>>()
        });
        let value = prop::collection::vec(cand, 0..15).prop_map(|cands| Value { cands });
        // The reference: `a`'s candidates, then those of `b` it lacks while fewer than
        // `MAX_CANDIDATES` are held.
        let reference = |a: &Value, b: &Value| {
            let mut out = a.cands.clone();
            for c in &b.cands {
                if out.len() == MAX_CANDIDATES {
                    break;
                }
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
            out
        };
        proptest!(|(a in value.clone(), b in value)| {
            let mut c = a.clone();
            c.absorb(&b);
            prop_assert_eq!(&c.cands, &reference(&a, &b));
            prop_assert_eq!(a.union(&b).cands, reference(&a, &b));
        });
    }

    #[test]
    fn hosts_decide() {
        assert_eq!(
            cls(
                &[
                    l("https://"),
                    h("tenant"),
                    l(".api.identitynow.com/v3/sources")
                ],
                false
            ),
            Classified::Url("https://{}.api.identitynow.com/v3/sources".into())
        );
        assert_eq!(
            cls(&[l("https://api.github.com/v3/repos")], true),
            Classified::NotIsc
        );
        assert_eq!(
            cls(&[l("https://example.com/v3/sources")], true),
            Classified::NotIsc
        );
        assert_eq!(
            cls(&[l("acme.api.identitynow-demo.com/beta/accounts")], false),
            Classified::Url("https://acme.api.identitynow-demo.com/beta/accounts".into())
        );
    }

    #[test]
    fn unknown_bases() {
        // Family in the path: an ISC call even without context when a template matches.
        assert_eq!(
            cls(&[h("base"), l("/v3/sources")], false),
            Classified::Url("/v3/sources".into())
        );
        // Version in the base.
        match cls(&[h("base_url"), l("/sources/"), h("id")], true) {
            Classified::VersionUnknown { hole, families, .. } => {
                assert_eq!(hole, "base_url");
                assert!(
                    families.contains(&"v3".to_string()) && families.contains(&"v2026".to_string())
                );
            }
            other => panic!("{other:?}"),
        }
        // Without ISC context an unknown base with a generic path is not a call.
        assert_eq!(cls(&[h("base"), l("/users")], false), Classified::NotIsc);
        assert_eq!(cls(&[h("base"), l("/sources")], false), Classified::NotIsc);
    }

    #[test]
    fn auth_and_legacy() {
        assert_eq!(
            cls(
                &[l(
                    "https://acme.api.identitynow.com/oauth/token?grant_type=client_credentials"
                )],
                false
            ),
            Classified::Auth("/oauth/token".into())
        );
        assert_eq!(
            cls(&[l("https://login.example.com/oauth/token")], true),
            Classified::NotIsc
        );
        assert_eq!(
            cls(
                &[l("https://acme.identitynow.com/cc/api/source/list")],
                false
            ),
            Classified::Url("https://acme.identitynow.com/cc/api/source/list".into())
        );
        assert_eq!(
            cls(&[h("base"), l("/v2/workgroups")], false),
            Classified::NotIsc
        );
    }

    #[test]
    fn wholly_unknown_paths_of_the_tenant_api() {
        let unknown =
            |parts: &[Piece], isc: bool| matches!(cls(parts, isc), Classified::PathUnknown { .. });
        // A tenant host glued to a path from a form field; a host hole in an ISC file.
        assert!(unknown(
            &[l("https://acme.api.identitynow.com"), h("endpoint")],
            false
        ));
        assert!(unknown(&[l("https://"), h("apiHost"), h("endpoint")], true));
        assert!(unknown(
            &[h("session.baseUrl"), l("/"), h("chosenPath")],
            true
        ));
        // Not in an ISC file, the page's own host, a domain, a parameter (a helper), a
        // function's result, a base not named like an API's or glued to the path: nothing.
        assert!(!unknown(
            &[l("https://"), h("apiHost"), h("endpoint")],
            false
        ));
        assert!(!unknown(
            &[l("https://"), h("window.location.host"), h("value")],
            true
        ));
        assert!(!unknown(
            &[l("https://"), h("tenant"), h("suffixDomain")],
            true
        ));
        assert!(!unknown(
            &[l("https://acme.api.identitynow.com"), h("param:path")],
            true
        ));
        assert!(!unknown(
            &[l("https://acme.api.identitynow.com"), h("urlEqualTo()")],
            true
        ));
        assert!(!unknown(&[h("webhookUrl"), l("/"), h("path")], true));
        assert!(!unknown(&[h("baseUrl"), h("path")], true));
        assert_eq!(
            words("data.session.baseUrl"),
            ["data", "session", "base", "url"]
        );
        assert_eq!(words("API_HOST"), ["api", "host"]);
    }

    #[test]
    fn values_concat_and_union() {
        let a = Value::hole("base")
            .concat(&Value::lit("/v3/"))
            .concat(&Value::hole("id"));
        assert_eq!(a.cands[0].len(), 3);
        let b = a.union(&Value::lit("/beta/x"));
        assert_eq!(b.cands.len(), 2);
        assert_eq!(
            join_path(&Value::lit("https://x/"), &Value::lit("v3/a"))
                .as_literal()
                .unwrap(),
            "https://x/v3/a"
        );
    }
}
