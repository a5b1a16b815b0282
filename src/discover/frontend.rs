//! What every code front-end shares: request sites (a request call with its URL value and
//! method), project helpers that wrap requests (their parameters substituted at each caller),
//! the experimental-header check, and the inline annotation `isc-scope-lint: call METHOD PATH`.

use super::call::{RawCall, Target, Via};
use super::code::Code;
use super::eval::Env;
use super::lex::{Lang, Tok};
pub use super::value::substitute;
use super::value::{Context, Piece, Value, raw_calls};
use crate::catalog::{Catalog, Method};

/// How a request site's method is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MethodSpec {
    Known(Method),
    /// From a parameter of the enclosing function (a wrapper's `method` argument).
    Param(String),
    /// From a parameter, or a property of an options parameter (`opts.method`), with the
    /// request's own default when a caller leaves it out (`fetch(url, opts)` is a GET unless
    /// `opts` says otherwise).
    ParamOr(String, Method),
    /// One of these (sorted, at least two): the method is chosen in branches. Each URL is
    /// paired with the methods the catalog has at its path.
    OneOf(Vec<Method>),
    /// Not known statically.
    Unknown,
}

impl MethodSpec {
    /// `GET`, `param:method`, `param:method|GET`, `?` (for tests and debugging).
    pub fn label(&self) -> String {
        match self {
            MethodSpec::Known(m) => m.as_str().to_string(),
            MethodSpec::Param(p) => format!("param:{p}"),
            MethodSpec::ParamOr(p, d) => format!("param:{p}|{d}"),
            MethodSpec::OneOf(ms) => {
                let names: Vec<&str> = ms.iter().map(|m| m.as_str()).collect();
                names.join("|")
            }
            MethodSpec::Unknown => "?".into(),
        }
    }
}

/// One request call in code.
#[derive(Clone, Debug)]
pub struct Site {
    /// Where the endpoint is named (the URL argument).
    pub offset: usize,
    /// Token index of the request call (for scopes).
    pub tok: usize,
    pub url: Value,
    pub method: MethodSpec,
    pub via: Via,
    pub experimental_header: Option<bool>,
}

/// A project function whose parameter flows into a request URL.
#[derive(Clone, Debug)]
pub struct Wrapper {
    pub lang: Lang,
    pub name: String,
    pub params: Vec<String>,
    /// The request's URL with `param:NAME` holes.
    pub url: Value,
    pub method: MethodSpec,
    pub via: Via,
    pub experimental_header: Option<bool>,
    /// Where the wrapper's own request is (reported when no caller passes an ISC path).
    pub file: usize,
    pub offset: usize,
    /// Default values of parameters (`path = '/v3/x'`), and of the properties of a default
    /// object (`opts = { method: 'GET' }` → `opts.method`), for callers that leave them out.
    pub defaults: Vec<(String, Value)>,
    /// For a name bound to another helper (`self.api = client.r`): that helper's index.
    pub alias_of: Option<usize>,
    /// For a name bound to a helper in a function's local (`get = c.send`): that file and
    /// function, the only place where the name calls the helper (`cfg.get(...)` elsewhere
    /// does not).
    pub scope: Option<(usize, usize)>,
    /// The condition on a parameter under which each URL candidate is built (aligned with
    /// `url.cands`; empty when none is): see [`super::guard`].
    pub guards: Vec<Option<super::guard::Guard>>,
    /// Declared in the manifest's `discovery.wrappers`, or passing its parameter on to a
    /// declared wrapper (see [`super::taught`]).
    pub taught: Option<Origin>,
}

/// A call of a function by name: its arguments.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub tok: usize,
    pub positional: Vec<(usize, usize)>,
    pub named: Vec<(String, (usize, usize))>,
    /// The call also passes arguments that cannot be listed (`f(*args, **kw)`, `f(...rest)`,
    /// a PowerShell splat of something other than a hashtable built in view): which
    /// parameters it binds is not known.
    pub opaque: bool,
}

/// Calls `name(...)` / `obj.name(...)` in Python and the brace languages.
pub fn c_invocations(code: &Code, name: &str) -> Vec<Invocation> {
    let at: Vec<usize> = (0..code.len())
        .filter(|&i| code.ident(i) == Some(name))
        .collect();
    c_invocations_at(code, name, &at)
}

/// [`c_invocations`] at the identifier tokens `at` (those that spell `name`, ascending).
pub fn c_invocations_at(code: &Code, name: &str, at: &[usize]) -> Vec<Invocation> {
    let mut out = Vec::new();
    for &i in at {
        if code.ident(i) != Some(name) {
            continue;
        }
        // `name(`, `name<T>(` (TypeScript type arguments), `name?.(`.
        let Some(open) = code.call_paren(i) else {
            continue;
        };
        // Not the definition itself.
        if code.is_fn_name(i) {
            continue;
        }
        if i > 0 && matches!(code.ident(i - 1), Some("def" | "function" | "func")) {
            continue;
        }
        // `map.get(path)`, `headers.Get(k)`: a collection's method of the same name.
        if collection_receiver(code, i) {
            continue;
        }
        // `given().when().get(path)`, `future.get()`, `optional.get()` on a call's result:
        // a library's method, not a project helper with a verb's name.
        let prev = |k: usize| {
            k.checked_sub(1)
                .and_then(|p| super::syntax::prev_code(code, p))
        };
        if matches!(code.lang, Lang::Java | Lang::CSharp | Lang::Go)
            && prev(i).is_some_and(|d| {
                code.is_punct(d, ".") && prev(d).is_some_and(|p| code.is_punct(p, ")"))
            })
            && VERB_NAMES.contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let mut inv = Invocation {
            tok: i,
            positional: Vec::new(),
            named: Vec::new(),
            opaque: false,
        };
        for r in code.args(open) {
            let a = code.skip_newlines(r.0, r.1);
            if code.is_punct(a, "*") || code.is_punct(a, "**") || code.is_punct(a, "...") {
                inv.opaque = true;
            }
            match code.named_arg(r) {
                Some((n, v)) if code.is_punct(r.0 + 1, "=") && code.lang == Lang::Python => {
                    inv.named.push((n.to_string(), v))
                }
                // C# named arguments: `SendAsync(path: "x", api: "beta")`.
                Some((n, v)) if code.is_punct(r.0 + 1, ":") && code.lang == Lang::CSharp => {
                    inv.named.push((n.to_string(), v))
                }
                _ => inv.positional.push(r),
            }
        }
        out.push(inv);
    }
    out
}

/// Helper names that libraries use too (HTTP verbs, `execute`, `send`...).
const VERB_NAMES: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "send",
    "execute",
    "request",
    "call",
    "fetch",
    "exchange",
    "invoke",
    "getasync",
    "postasync",
    "putasync",
    "patchasync",
    "deleteasync",
    "sendasync",
];

/// Types whose `get`/`put`/`remove`... are never a project's HTTP helper.
const COLLECTIONS: &[&str] = &[
    "Map",
    "HashMap",
    "LinkedHashMap",
    "TreeMap",
    "ConcurrentHashMap",
    "MultiValueMap",
    "List",
    "ArrayList",
    "LinkedList",
    "Set",
    "HashSet",
    "Optional",
    "Properties",
    "JSONObject",
    "JsonObject",
    "JsonNode",
    "ObjectNode",
    "JSONArray",
    "JsonArray",
    "Dictionary",
    "IDictionary",
    "ConcurrentDictionary",
    "IReadOnlyDictionary",
    "NameValueCollection",
    "IConfiguration",
    "IMemoryCache",
    "IDistributedCache",
    "Values",
    "Header",
    "Headers",
    "HttpHeaders",
    "Context",
];

/// Whether the call named at `i` is made on a Java/C#/Go/Kotlin receiver declared or built as a
/// collection (`Map<String, String> m`, `var m = new HashMap<>()`, `q url.Values`).
fn collection_receiver(code: &Code, i: usize) -> bool {
    if !matches!(code.lang, Lang::Java | Lang::CSharp | Lang::Go)
        || i < 2
        || !code.is_punct(i - 1, ".")
    {
        return false;
    }
    let Some(recv) = code.ident(i - 2) else {
        return false;
    };
    // Memoised per file and name: helpers named `get` meet many `x.get(...)` calls.
    thread_local! {
        static MEMO: std::cell::RefCell<std::collections::HashMap<(usize, usize, String), bool>> =
            Default::default();
    }
    let key = (
        super::code::fingerprint(code.src),
        code.src.len(),
        recv.to_string(),
    );
    if code.src.len() < 4096 {
        return is_collection(code, recv);
    }
    if let Some(b) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return b;
    }
    let b = is_collection(code, recv);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, b);
    });
    b
}

fn is_collection(code: &Code, recv: &str) -> bool {
    let ty = super::syntax::declared_type(code, recv);
    if ty.as_deref().is_some_and(|t| COLLECTIONS.contains(&t)) {
        return true;
    }
    // `m = new HashMap<>()` / `m := map[string]string{}` / `m = mutableMapOf()`.
    (1..code.len().saturating_sub(3)).any(|k| {
        code.ident(k) == Some(recv)
            && (code.is_punct(k + 1, "=") || code.is_punct(k + 1, ":="))
            && (code.is_ident_at(k + 2, "new")
                && code.ident(k + 3).is_some_and(|t| COLLECTIONS.contains(&t))
                || code.is_ident_at(k + 2, "map")
                || code
                    .ident(k + 2)
                    .is_some_and(|f| f.ends_with("MapOf") || f.ends_with("ListOf")))
    })
}

/// Whether a value depends on a parameter of the enclosing function: the names of those
/// parameters.
pub fn param_holes(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Parameters in the query string (`…/recommendations/?identity-id={id}`) choose no
    // operation: only those before it count.
    let before_query = |cand: &[Piece]| {
        let end = cand
            .iter()
            .position(|p| matches!(p, Piece::Lit(l) if l.contains('?')))
            .unwrap_or(cand.len());
        cand[..end].to_vec()
    };
    for p in v.cands.iter().flat_map(|c| before_query(c)) {
        if let Piece::Hole(h) = &p
            && let Some(n) = h.strip_prefix("param:")
        {
            let n = n.split(['.', '[']).next().unwrap_or(n).to_string();
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Whether the parameters of a request's URL only fill path-parameter segments of a path
/// that names its API root: every candidate has a family segment (`v3`, `beta`, `v2025`)
/// followed by a literal resource, and each parameter fills one whole segment right after a
/// literal one (`/v3/identity-profiles/{profileId}/refresh-identities`,
/// `/v3/identity-profiles/{ls.profileId}/lifecycle-states/{ls.id}`), or sits in the query
/// string. Such a request names its endpoint by itself — the call site is the request, also
/// when the catalog lacks the route (an endpoint in no spec) — while `/v3/{kind}` or
/// `/beta/sources/{id}/{action}` leave the endpoint to the caller.
pub fn params_fill_id_segments(cat: &Catalog, v: &Value) -> bool {
    /// One path segment: literal text only, exactly one parameter, or anything else.
    #[derive(PartialEq)]
    enum S {
        Lit(String),
        Param,
        Other,
    }
    let router = cat.router();
    !v.cands.is_empty()
        && v.cands.iter().all(|cand| {
            // The path's segments (before the query), each as its pieces.
            let mut segs: Vec<Vec<Piece>> = vec![Vec::new()];
            for p in cand {
                match p {
                    Piece::Lit(l) => {
                        let (path, query) = match l.find(['?', '#']) {
                            Some(i) => (&l[..i], true),
                            None => (l.as_str(), false),
                        };
                        for (k, part) in path.split('/').enumerate() {
                            if k > 0 {
                                segs.push(Vec::new());
                            }
                            if !part.is_empty() {
                                segs.last_mut()
                                    .expect("a segment")
                                    .push(Piece::Lit(part.into()));
                            }
                        }
                        if query {
                            break;
                        }
                    }
                    Piece::Hole(_) => segs.last_mut().expect("a segment").push(p.clone()),
                }
            }
            let kinds: Vec<S> = segs
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| match s.as_slice() {
                    [Piece::Hole(h)] if h.starts_with("param:") => S::Param,
                    [Piece::Lit(l)] => S::Lit(l.clone()),
                    _ if s
                        .iter()
                        .any(|p| matches!(p, Piece::Hole(h) if h.starts_with("param:"))) =>
                    {
                        S::Other
                    }
                    // A host or base made of other holes and literals.
                    _ => S::Lit(String::new()),
                })
                .collect();
            let Some(root) = kinds
                .iter()
                .position(|k| matches!(k, S::Lit(l) if router.is_family_prefix(cat, l)))
            else {
                return false;
            };
            // No parameter in the host or base, none but whole segments after a literal one.
            kinds[..root].iter().all(|k| matches!(k, S::Lit(_)))
                && matches!(kinds.get(root + 1), Some(S::Lit(_)))
                && kinds[root + 1..].iter().enumerate().all(|(k, s)| match s {
                    S::Lit(_) => true,
                    S::Param => matches!(kinds[root + k], S::Lit(_)),
                    S::Other => false,
                })
        })
}

/// The HTTP method a value names: a literal (`"GET"`, `"patch"`) or an enum member of an
/// HTTP library (`http.MethodGet`, `HttpMethod.Post`, `Method.DELETE`, `RequestMethod.PUT`),
/// when every candidate names the same one.
pub fn method_value(v: &Value) -> Option<Method> {
    match methods_of_value(v).as_slice() {
        [m] => Some(*m),
        _ => None,
    }
}

/// The methods a value may name, sorted, when every candidate names one (branches:
/// `$method = "POST"` in one, `"PATCH"` in another); empty otherwise.
pub fn methods_of_value(v: &Value) -> Vec<Method> {
    let mut found = Vec::new();
    for c in &v.cands {
        let m = match c.as_slice() {
            [Piece::Lit(l)] => Method::parse(l.trim()),
            [Piece::Hole(h)] => h.rsplit_once('.').and_then(|(head, last)| {
                let head = head.rsplit('.').next().unwrap_or(head);
                if matches!(
                    head,
                    "http" | "HttpMethod" | "HttpMethods" | "Method" | "RequestMethod" | "Http"
                ) {
                    Method::parse(last.strip_prefix("Method").unwrap_or(last))
                } else {
                    None
                }
            }),
            _ => None,
        };
        let Some(m) = m else { return Vec::new() };
        if !found.contains(&m) {
            found.push(m);
        }
    }
    found.sort();
    found
}

/// A value that is one literal method (`"POST"`, `" patch "`), or exactly a parameter of the
/// enclosing function (a helper's `method` argument).
pub fn literal_or_param_method(v: &Value) -> Option<MethodSpec> {
    if let Some(m) = v.as_literal().and_then(|s| Method::parse(s.trim())) {
        return Some(MethodSpec::Known(m));
    }
    v.param_hole().map(|p| MethodSpec::Param(p.to_string()))
}

/// The methods named by the fully literal candidates of a value, in candidate order (the
/// other candidates are skipped).
pub fn literal_methods(v: &Value) -> Vec<Method> {
    v.cands
        .iter()
        .filter_map(|c| {
            Value {
                cands: vec![c.clone()],
            }
            .as_literal()
        })
        .filter_map(|s| Method::parse(s.trim()))
        .collect()
}

/// [`MethodSpec::Known`] or [`MethodSpec::OneOf`] for a value whose candidates all name a
/// method.
pub fn method_spec_of_value(v: &Value) -> Option<MethodSpec> {
    let ms = methods_of_value(v);
    match ms.len() {
        0 => None,
        1 => Some(MethodSpec::Known(ms[0])),
        _ => Some(MethodSpec::OneOf(ms)),
    }
}

/// Method from a helper's name (`api_get`, `postJson`, `Invoke-IscPatch`), when its request's
/// method is not known.
pub fn method_from_name(name: &str) -> Option<Method> {
    let n = name.to_ascii_lowercase();
    let words: Vec<&str> = n
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let camel: Vec<String> = split_camel(name);
    for w in words.iter().map(|s| s.to_string()).chain(camel) {
        if let Some(m) = match w.as_str() {
            "get" | "fetch" | "list" | "read" | "load" => Some(Method::Get),
            "post" | "create" | "submit" => Some(Method::Post),
            "put" | "replace" => Some(Method::Put),
            "patch" | "update" => Some(Method::Patch),
            "delete" | "remove" | "del" => Some(Method::Delete),
            _ => None,
        } {
            return Some(m);
        }
    }
    None
}

fn split_camel(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        if ch.is_ascii_uppercase() && !cur.is_empty() {
            out.push(cur.to_ascii_lowercase());
            cur.clear();
        }
        if ch.is_ascii_alphanumeric() {
            cur.push(ch);
        } else if !cur.is_empty() {
            out.push(cur.to_ascii_lowercase());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.to_ascii_lowercase());
    }
    out
}

/// The experimental header, as far as the finder can see it: named in the request's own
/// tokens or the file → true; nowhere in the project → false; else unknown.
pub fn experimental_header(
    code: &Code,
    r: Option<(usize, usize)>,
    env: Option<&Env>,
    project_has: bool,
) -> Option<bool> {
    let has = |a: usize, b: usize| {
        (a..b).any(|k| match code.tok(k) {
            Some(Tok::Str(s)) => s.parts.iter().any(|p| matches!(p, super::lex::StrPart::Lit(l) if l.to_ascii_lowercase().contains("x-sailpoint-experimental"))),
            Some(Tok::Ident(w)) => w.to_ascii_lowercase().contains("xsailpointexperimental") || w.eq_ignore_ascii_case("X-SailPoint-Experimental"),
            _ => false,
        })
    };
    if let Some((a, b)) = r {
        if has(a, b) {
            return Some(true);
        }
        // Headers given by name: look at the name's assignments.
        if let (Some(env), Some(Tok::Ident(_) | Tok::Var(_))) = (env, code.tok(a)) {
            let name = match code.tok(a) {
                Some(Tok::Ident(n)) | Some(Tok::Var(n)) => n.to_string(),
                _ => String::new(),
            };
            if env
                .assigns
                .iter()
                .any(|x| x.name == name && has(x.rhs.0, x.rhs.1))
            {
                return Some(true);
            }
        }
    }
    if code
        .src
        .to_ascii_lowercase()
        .contains("x-sailpoint-experimental")
    {
        return Some(true);
    }
    if project_has { None } else { Some(false) }
}

/// Converts sites of one file into raw calls (wrappers excluded by the caller).
pub fn site_calls(cat: &Catalog, sites: &[Site], ctx: Context) -> Vec<RawCall> {
    let mut out = Vec::new();
    for s in sites {
        let method = match &s.method {
            MethodSpec::Known(m) => Some(*m),
            _ => None,
        };
        let mut raws = raw_calls(cat, &s.url, s.offset, method, s.via, ctx);
        drop_stray_candidates(cat, &mut raws);
        for mut r in raws {
            if r.via != Via::Auth {
                r.experimental_header = s.experimental_header;
            }
            if let MethodSpec::OneOf(ms) = &s.method
                && r.via != Via::Auth
            {
                pick_method(cat, &mut r, ms);
            }
            if method.is_none()
                && r.via != Via::Auth
                && r.reason.is_none()
                && let MethodSpec::Param(p) | MethodSpec::ParamOr(p, _) = &s.method
            {
                r.reason = Some(format!("the HTTP method comes from the parameter `{p}`"));
            }
            out.push(r);
        }
    }
    out
}

/// The URL candidates of one request site, when some name an operation of the catalog: the
/// others whose path holds two API versions (`/v2024/v3/access-requests`: a versioned base
/// joined to a versioned path, from evaluating a same-named constant of another file) are
/// artefacts, not calls — dropped. Other candidates that route nowhere stay: a typo or an
/// endpoint newer than the catalog is worth a finding.
fn drop_stray_candidates(cat: &Catalog, raws: &mut Vec<RawCall>) {
    use crate::catalog::route::{Seg, path_segments};
    if raws.len() < 2 {
        return;
    }
    let router = cat.router();
    let known = |r: &RawCall| match &r.target {
        Target::Url(u) => !router.matches(cat, &path_segments(u)).is_empty(),
        Target::Op(_) => true,
        Target::Ops(ops) => !ops.is_empty(),
        Target::Unknown => false,
    };
    if !raws.iter().any(|r| r.via != Via::Auth && known(r)) {
        return;
    }
    raws.retain(|r| match &r.target {
        Target::Url(u) if r.via != Via::Auth && r.reason.is_none() => {
            let segs = path_segments(u);
            let versions = segs
                .iter()
                .filter(|s| matches!(s, Seg::Lit(l) if router.is_family_prefix(cat, l)))
                .count();
            versions < 2 || !router.matches(cat, &segs).is_empty()
        }
        _ => true,
    });
}

/// A call whose method is one of `ms`: the method for which its path is an operation, the
/// operations when several are, else the method stays unknown and the reason names `ms`.
fn pick_method(cat: &Catalog, r: &mut RawCall, ms: &[Method]) {
    if r.reason.is_some() {
        return;
    }
    if let Target::Url(u) = &r.target {
        let segs = crate::catalog::route::path_segments(u);
        let routed: Vec<(Method, crate::catalog::OpId)> = ms
            .iter()
            .filter_map(|&m| match cat.router().route_quick(cat, m, &segs) {
                crate::catalog::route::Routed::Op(op) => Some((m, op)),
                _ => None,
            })
            .collect();
        match routed.as_slice() {
            [(m, _)] => {
                r.method = Some(*m);
                return;
            }
            [] => {}
            many => {
                r.target = Target::Ops(many.iter().map(|&(_, op)| op).collect());
                return;
            }
        }
    }
    let names: Vec<&str> = ms.iter().map(|m| m.as_str()).collect();
    r.reason = Some(format!(
        "the HTTP method is chosen at run time: one of {}",
        names.join(", ")
    ));
}

/// Inline annotations: `isc-scope-lint: call METHOD PATH` in a comment settles the call on
/// that line (or the next code line, for a comment on a line of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Byte offset of the annotated code position.
    pub offset: usize,
    /// The annotated line (1-based).
    pub line: usize,
    pub method: Method,
    pub path: String,
}

/// Annotations in the comments of a file. Malformed ones are returned as errors (offset,
/// message) so the user learns about them.
/// The word that starts an annotation comment.
pub const ANNOTATION: &str = "isc-scope-lint: call";

pub fn annotations(
    src: &str,
    comments: &[super::lex::Comment],
) -> (Vec<Annotation>, Vec<(usize, String)>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    // One search of the whole text first: most files have no annotation.
    if !src.contains(ANNOTATION) {
        return (out, bad);
    }
    for c in comments {
        let text = &src[c.start..c.end];
        let Some(i) = text.find(ANNOTATION) else {
            continue;
        };
        let rest = text[i + ANNOTATION.len()..].trim();
        let mut words = rest.split_whitespace();
        let (Some(m), Some(p)) = (words.next(), words.next()) else {
            bad.push((
                c.start + i,
                "annotation needs `isc-scope-lint: call METHOD PATH`".to_string(),
            ));
            continue;
        };
        let Some(method) = Method::parse(m) else {
            bad.push((c.start + i, format!("`{m}` is not an HTTP method")));
            continue;
        };
        // The comment's own line when code precedes it, else the next line with code.
        let line_start = src[..c.start].rfind('\n').map_or(0, |k| k + 1);
        let before = src[line_start..c.start].trim();
        let code_before = !before.is_empty()
            && !matches!(
                before,
                "#" | "//" | "/*" | "<#" | "--" | "'" | "REM" | "rem"
            );
        let offset = if code_before {
            line_start + (src[line_start..].len() - src[line_start..].trim_start().len())
        } else {
            let next = src[c.end..].find('\n').map_or(src.len(), |k| c.end + k + 1);
            let mut k = next;
            // Skip blank lines.
            while k < src.len() {
                let end = src[k..].find('\n').map_or(src.len(), |e| k + e);
                if !src[k..end].trim().is_empty() {
                    break;
                }
                k = end + 1;
            }
            let k = k.min(src.len());
            k + (src[k..].len() - src[k..].trim_start().len())
        };
        let (line, _) = super::text::line_col(src, offset);
        out.push(Annotation {
            offset: offset.min(src.len()),
            line,
            method,
            path: p.to_string(),
        });
    }
    (out, bad)
}

/// Applies annotations: each replaces the unresolved calls of its line and adds its call.
pub fn apply_annotations(calls: &mut Vec<RawCall>, src: &str, anns: &[Annotation]) {
    for a in anns {
        let mut via = Via::Http;
        let mut offset = a.offset;
        calls.retain(|c| {
            let (line, _) = super::text::line_col(src, c.offset);
            let unsettled = c.reason.is_some()
                || c.method.is_none()
                || matches!(c.target, Target::Unknown | Target::Ops(_));
            if line == a.line && unsettled {
                via = c.via;
                offset = c.offset;
                return false;
            }
            true
        });
        calls.push(RawCall::new(
            offset,
            Some(a.method),
            Target::Url(a.path.clone()),
            via,
        ));
    }
}

/// Where a helper comes from in the taught set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index of the declaration in [`super::taught::Taught::wrappers`].
    pub index: usize,
    /// The declared wrapper itself (or a name bound to it); `false` for a project helper that
    /// passes its own parameter on to one.
    pub declared: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        assert_eq!(method_from_name("api_get"), Some(Method::Get));
        assert_eq!(method_from_name("postJson"), Some(Method::Post));
        assert_eq!(method_from_name("Invoke-IscPatch"), Some(Method::Patch));
        assert_eq!(method_from_name("call_api"), None);
    }

    #[test]
    fn generic_invocations() {
        let code = Code::new(
            "var a = await api.GetAsync<List<Source>>(\"v3/sources\", ct); GetAsync(x);",
            Lang::CSharp,
        );
        let inv = c_invocations(&code, "GetAsync");
        assert_eq!(inv.len(), 2);
        assert_eq!(inv[0].positional.len(), 2);
    }

    #[test]
    fn verb_named_helpers_are_not_library_calls_on_results() {
        let code = Code::new(
            "get(\"/v3/a\"); client.get(\"/v3/b\"); given().when()\n  .get(\"/v3/c\"); f.get();",
            Lang::Java,
        );
        let inv = c_invocations(&code, "get");
        assert_eq!(inv.len(), 3);
    }

    #[test]
    fn parameters_filling_path_parameter_segments_only() {
        let cat = Catalog::embedded();
        let v = |parts: &[&str]| Value {
            cands: vec![
                parts
                    .iter()
                    .map(|p| match p.strip_prefix('$') {
                        Some(h) => Piece::Hole(h.to_string()),
                        None => Piece::Lit(p.to_string()),
                    })
                    .collect(),
            ],
        };
        let fills = |parts: &[&str]| params_fill_id_segments(cat, &v(parts));
        assert!(fills(&[
            "https://",
            "$u.tenant",
            ".api.identitynow.com/v3/identity-profiles/",
            "$param:profileId",
            "/refresh-identities"
        ]));
        assert!(fills(&[
            "$base",
            "/beta/managed-clusters/",
            "$param:id",
            "/status?type=",
            "$param:kind"
        ]));
        // The resource, a segment after a parameter, part of a segment, the host: callers'.
        assert!(!fills(&["$base", "/v3/", "$param:kind", "/", "$param:id"]));
        assert!(!fills(&[
            "$base",
            "/beta/sources/",
            "$param:id",
            "/",
            "$param:action"
        ]));
        assert!(!fills(&["$base", "/v3/sources/x-", "$param:id"]));
        assert!(!fills(&[
            "https://",
            "$param:org",
            ".api.identitynow.com/v3/sources/",
            "$param:id"
        ]));
        // No API root named.
        assert!(!fills(&["$base", "/sources/", "$param:id"]));
    }

    #[test]
    fn method_values() {
        assert_eq!(method_value(&Value::lit("patch")), Some(Method::Patch));
        assert_eq!(
            method_value(&Value::hole("http.MethodDelete")),
            Some(Method::Delete)
        );
        assert_eq!(
            method_value(&Value::hole("System.Net.Http.HttpMethod.Post")),
            Some(Method::Post)
        );
        assert_eq!(method_value(&Value::hole("cfg.Get")), None);
        assert_eq!(
            method_value(&Value::lit("GET").union(&Value::lit("POST"))),
            None
        );
    }

    #[test]
    fn annotation_lines() {
        let src = "x = 1\n# isc-scope-lint: call GET /v3/sources/{id}\nrequests.get(url)\ny = f(u)  # isc-scope-lint: call post /v3/search\n# isc-scope-lint: call FETCH /x\n";
        let code = Code::new(src, Lang::Python);
        let (anns, bad) = annotations(src, &code.comments);
        assert_eq!(anns.len(), 2);
        assert_eq!(anns[0].line, 3);
        assert_eq!(anns[0].method, Method::Get);
        assert_eq!(anns[1].line, 4);
        assert_eq!(anns[1].method, Method::Post);
        assert_eq!(bad.len(), 1);
    }
}
