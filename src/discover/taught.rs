//! What the manifest's `discovery` section teaches the finder: the project's own request
//! wrappers (`Invoke-IscRequest`, `IscClient.send`, `client.Do`) and the names that hold the
//! tenant's API base (`ISC_BASE`, `config.tenantUrl`).
//!
//! A declared wrapper joins the helpers the finder found by itself (see
//! [`super::frontend::Wrapper`]): its callers are found by the same name search, also in files
//! the walk set aside, and their arguments are evaluated by the same value machinery. What
//! differs is said here: the definition, if the project has it, is the wrapper (its own
//! requests are not calls), the URL and method come from the arguments the declaration names
//! (by name, by position, or as keys of an options object), a qualified name
//! (`IscClient.send`) is called only on a receiver of that class, package or module, and
//! every caller goes to the tenant — a URL argument that cannot be evaluated is an unresolved
//! call, never dropped.
//!
//! A declared base name evaluates to a hole the classifier reads as the tenant's API base
//! (see [`TENANT_BASE`]): `ISC_BASE + "/v3/sources"` routes whatever the finder could see of
//! `ISC_BASE`.

use super::code::Code;
use super::eval::Env;
pub use super::frontend::Origin;
use super::frontend::{self, Invocation, MethodSpec, Wrapper};
use super::lex::{Lang, Tok};
use super::value::{Context, Value};
pub use super::value::{TENANT_BASE, as_tenant_base, base_decl};
use super::{RawCall, SourceFile, Target, Via};
use crate::catalog::Method;
use std::collections::HashMap;

/// Positions given to the arguments of a wrapper whose definition is not among the scanned
/// files (`#0`, `#1`, …): a positional argument never binds to a parameter known only by name.
const POSITIONS: usize = 16;

/// What the manifest teaches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Taught {
    pub wrappers: Vec<TaughtWrapper>,
    /// Names whose value is the tenant's API base, as written (`$`, `env:` and similar
    /// prefixes dropped).
    pub base_urls: Vec<String>,
}

impl Taught {
    pub fn is_empty(&self) -> bool {
        self.wrappers.is_empty() && self.base_urls.is_empty()
    }
}

/// One declared wrapper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaughtWrapper {
    /// As written: `Invoke-IscRequest`, `IscClient.send`, `client.Do`.
    pub name: String,
    /// The argument holding the URL or path.
    pub url: ArgRef,
    pub method: TaughtMethod,
    /// The method when the method argument is absent at a call.
    pub default_method: Option<Method>,
}

impl TaughtWrapper {
    /// The name called: the last segment (`send` of `IscClient.send`).
    pub fn callee(&self) -> &str {
        match self.name.rsplit_once('.') {
            Some((_, c)) => c,
            None => &self.name,
        }
    }

    /// The class, type, package or module the name is qualified with (its last segment:
    /// `Client` of `Acme.Isc.Client.Send`).
    pub fn qualifier(&self) -> Option<&str> {
        let (q, _) = self.name.rsplit_once('.')?;
        Some(q.rsplit('.').next().unwrap_or(q))
    }
}

/// An argument: by parameter name or 0-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgRef {
    Name(String),
    Position(usize),
}

impl ArgRef {
    fn describe(&self) -> String {
        match self {
            ArgRef::Name(n) => format!("`{n}`"),
            ArgRef::Position(k) => format!("argument {k}"),
        }
    }
}

/// How a declared wrapper's method is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaughtMethod {
    /// Not declared: the default method, else the wrapper's name (`isc_get`), else unknown.
    Unknown,
    Fixed(Method),
    Arg(ArgRef),
}

/// The state of one analysis: where the declared wrappers are defined, which were seen.
#[derive(Debug, Default)]
pub struct State {
    /// Per declaration: defined or called somewhere.
    pub seen: Vec<bool>,
    /// (declaration, file, byte range of the body) of each definition found.
    defs: Vec<(usize, usize, (usize, usize))>,
    memo: Memo,
}

/// What receivers' checks learn once per file (each in one pass over the file), so that a
/// file with many calls of a declared name costs time linear in its size.
#[derive(Debug, Default)]
struct Memo {
    /// file → the types of its names (assigned a constructor; declared with a type).
    files: HashMap<usize, FileTypes>,
    /// (file, enclosing function or `usize::MAX`) → the enclosing class and the types it
    /// extends.
    classes: HashMap<(usize, usize), Vec<String>>,
    /// file → its Go package.
    packages: HashMap<usize, Option<String>>,
}

#[derive(Debug, Default)]
struct FileTypes {
    /// Assigned name (`self.client`, `$client`) → the types its right-hand sides construct.
    assigned: HashMap<String, Vec<String>>,
    /// Name → the type of its first declaration (`IscClient client`, `c *IscClient`,
    /// `isc: IscClient`), in the brace languages.
    declared: HashMap<String, String>,
}

impl Memo {
    fn classes(&mut self, fi: usize, c: &Code, i: usize) -> &[String] {
        let key = (fi, c.enclosing_fn(i).unwrap_or(usize::MAX));
        self.classes
            .entry(key)
            .or_insert_with(|| enclosing_types(c, i))
    }

    fn package(&mut self, fi: usize, c: &Code) -> Option<&str> {
        self.packages
            .entry(fi)
            .or_insert_with(|| go_package(c).map(str::to_string))
            .as_deref()
    }

    /// The types the receiver `full` is known to have in file `fi`.
    fn types(&mut self, fi: usize, c: &Code, env: &Env, full: &str) -> Vec<String> {
        let t = self.files.entry(fi).or_insert_with(|| file_types(c, env));
        let mut out: Vec<String> = Vec::new();
        for name in [full.to_string(), format!("${full}")] {
            if let Some(ts) = t.assigned.get(&name) {
                out.extend(ts.iter().cloned());
            }
        }
        if out.is_empty() && !matches!(c.lang, Lang::Python | Lang::PowerShell | Lang::Shell) {
            let bare = full.strip_prefix("this.").unwrap_or(full);
            let last = bare.rsplit('.').next().unwrap_or(bare);
            out.extend(t.declared.get(last).cloned());
        }
        out
    }
}

/// The types of a file's names, in one pass over its assignments and one over its tokens.
fn file_types(c: &Code, env: &Env) -> FileTypes {
    let mut t = FileTypes::default();
    for a in env.assigns {
        if let Some(ty) = constructed_type(c, a.rhs) {
            t.assigned.entry(a.name.clone()).or_default().push(ty);
        }
    }
    if !matches!(c.lang, Lang::Python | Lang::PowerShell | Lang::Shell) {
        for k in 1..c.len() {
            if let Some(name) = c.ident(k)
                && !t.declared.contains_key(name)
                && let Some(ty) = super::http::brace::declared_type_at(c, k)
            {
                t.declared.insert(name.to_string(), ty);
            }
        }
    }
    super::budget::spend((env.assigns.len() + c.len()) as u64);
    t
}

/// The languages a declared name may be called from: PowerShell and shell commands may
/// hold `-`, identifiers of the other languages cannot.
fn languages(name: &str) -> &'static [Lang] {
    if name.contains('-') {
        &[Lang::PowerShell, Lang::Shell]
    } else {
        &[
            Lang::Python,
            Lang::Js,
            Lang::Go,
            Lang::Java,
            Lang::CSharp,
            Lang::PowerShell,
            Lang::Shell,
        ]
    }
}

fn same_name(lang: Lang, a: &str, b: &str) -> bool {
    a == b || lang == Lang::PowerShell && a.eq_ignore_ascii_case(b)
}

/// The class (with the classes it extends) or Go receiver type around token `i`, and for
/// Python its enclosing `class` by indentation.
fn enclosing_types(c: &Code, i: usize) -> Vec<String> {
    match c.lang {
        Lang::Python => super::owners::python_class(c, i),
        Lang::Go => go_receiver(c, i).into_iter().collect(),
        _ => super::owners::enclosing_type_and_bases(c, i),
    }
}

/// The receiver type of the Go method holding token `i`: `func (c *Client) Do(…)` → `Client`.
fn go_receiver(c: &Code, i: usize) -> Option<String> {
    let fx = c.enclosing_fn(i)?;
    super::owners::go_receiver_type(c, fx)
}

/// The Go package a file declares.
fn go_package<'a>(c: &'a Code<'a>) -> Option<&'a str> {
    (0..c.len().min(4096))
        .find(|&k| c.is_ident_at(k, "package"))
        .and_then(|k| c.ident(k + 1))
}

/// Whether definition `fx` of file `f` is the declared one: its name, and its class, Go
/// receiver type or package, or module, when the name is qualified.
fn defines(c: &Code, f: &SourceFile, fx: usize, w: &TaughtWrapper) -> bool {
    let def = &c.fns[fx];
    if !same_name(c.lang, &def.name, w.callee()) {
        return false;
    }
    let Some(q) = w.qualifier() else {
        return true;
    };
    if c.lang == Lang::Go {
        return match super::owners::go_receiver_type(c, fx) {
            Some(t) => t == q,
            None => go_package(c) == Some(q),
        };
    }
    let types = enclosing_types(c, def.name_tok);
    if let Some(t) = types.first() {
        return same_name(c.lang, t, q);
    }
    // A module-level function of module `q` (`isc.py`, `isc/index.ts`).
    super::eval::module_stem_of(&f.rel) == q
}

/// Finds the definitions of the declared wrappers and puts each declared wrapper among the
/// helpers: with the definition's parameters where the project defines it (one per language
/// it is defined in), else for every language its name can be called from. The definitions'
/// own requests — direct calls and the helpers found in them — are dropped: the wrapper's
/// request is not a call site, its callers are.
#[allow(clippy::too_many_arguments)]
pub(super) fn plant(
    taught: &Taught,
    files: &[SourceFile],
    codes: &[Option<Code>],
    envs: &[Option<Env>],
    wrappers: &mut Vec<Wrapper>,
    raws: &mut [Vec<RawCall>],
    failures: &super::budget::Failures,
) -> State {
    let mut state = State {
        seen: vec![false; taught.wrappers.len()],
        ..Default::default()
    };
    if taught.wrappers.is_empty() {
        return state;
    }
    for (d, w) in taught.wrappers.iter().enumerate() {
        let mut planted_langs: Vec<Lang> = Vec::new();
        for (fi, c) in codes.iter().enumerate() {
            let Some(c) = c else { continue };
            if !languages(&w.name).contains(&c.lang) {
                continue;
            }
            // The definitions in this file: body span, parameters, defaults (contained like
            // every per-file phase).
            let found = failures.guard(fi, files[fi].text.len(), || {
                let mut out = Vec::new();
                for fx in 0..c.fns.len() {
                    super::budget::spend(1);
                    if !defines(c, &files[fi], fx, w) {
                        continue;
                    }
                    let def = &c.fns[fx];
                    let start = c.toks.get(def.body.0).map_or(c.src.len(), |t| t.start);
                    let end = def
                        .body
                        .1
                        .checked_sub(1)
                        .and_then(|k| c.toks.get(k))
                        .map_or(c.src.len(), |t| t.end)
                        .max(start);
                    let defaults = match envs.get(fi) {
                        Some(Some(env)) => super::param_defaults(c, env, fx),
                        _ => Vec::new(),
                    };
                    out.push(((start, end), def.params.clone(), defaults));
                }
                out
            });
            for (span, params, defaults) in found.unwrap_or_default() {
                state.defs.push((d, fi, span));
                state.seen[d] = true;
                if planted_langs.contains(&c.lang) {
                    continue;
                }
                planted_langs.push(c.lang);
                wrappers.push(declared_wrapper(
                    d,
                    w,
                    c.lang,
                    Some(params),
                    fi,
                    span.0,
                    defaults,
                ));
            }
        }
        for &lang in languages(&w.name) {
            if !planted_langs.contains(&lang) {
                wrappers.push(declared_wrapper(
                    d,
                    w,
                    lang,
                    None,
                    usize::MAX,
                    0,
                    Vec::new(),
                ));
            }
        }
    }
    // The definitions' own requests.
    let inside = |fi: usize, off: usize| {
        state
            .defs
            .iter()
            .any(|&(_, f, (a, b))| f == fi && a <= off && off < b)
    };
    wrappers.retain(|x| x.taught.is_some() || !inside(x.file, x.offset));
    for (fi, r) in raws.iter_mut().enumerate() {
        if state.defs.iter().any(|&(_, f, _)| f == fi) {
            r.retain(|x| x.via == Via::Auth || !inside(fi, x.offset));
        }
    }
    state
}

fn declared_wrapper(
    d: usize,
    w: &TaughtWrapper,
    lang: Lang,
    params: Option<Vec<String>>,
    file: usize,
    offset: usize,
    mut defaults: Vec<(String, Value)>,
) -> Wrapper {
    let params = params.unwrap_or_else(|| {
        let mut p: Vec<String> = (0..POSITIONS).map(|k| format!("#{k}")).collect();
        for a in [Some(&w.url), method_arg(w)].into_iter().flatten() {
            if let ArgRef::Name(n) = a {
                p.push(n.clone());
            }
        }
        p
    });
    // The declared default wins over the definition's.
    if w.default_method.is_some()
        && let Some(ArgRef::Name(m)) = method_arg(w)
    {
        defaults.retain(|(n, _)| !same_name(lang, n, m));
    }
    Wrapper {
        lang,
        name: w.callee().to_string(),
        url: Value::default(),
        method: match (&w.method, w.default_method) {
            (TaughtMethod::Fixed(m), _) => MethodSpec::Known(*m),
            (TaughtMethod::Unknown, Some(m)) => MethodSpec::Known(m),
            _ => MethodSpec::Unknown,
        },
        params,
        via: Via::Http,
        experimental_header: None,
        file,
        offset,
        defaults,
        alias_of: None,
        scope: None,
        guards: Vec::new(),
        taught: Some(Origin {
            index: d,
            declared: true,
        }),
    }
}

fn method_arg(w: &TaughtWrapper) -> Option<&ArgRef> {
    match &w.method {
        TaughtMethod::Arg(a) => Some(a),
        _ => None,
    }
}

/// How a call of a helper's name relates to a declared wrapper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Not a declared wrapper: the finder's own rules apply.
    Helper,
    /// A call of the declared wrapper (`sure`: the receiver is known to fit, or the name is not
    /// qualified; else the receiver's type is not known, and only a call with an ISC path
    /// counts).
    Declared { sure: bool, qualified: bool },
    /// Not a call of it: another receiver's method of the same name, or the wrapper's own
    /// definition.
    Skip,
}

impl Fit {
    /// Whether the JavaScript front-end's filter of library calls applies (`axios.get` is no
    /// project helper `get`): not to a qualified declared name, whose receiver was checked.
    pub fn library_filter(self) -> bool {
        !matches!(
            self,
            Fit::Declared {
                qualified: true,
                ..
            }
        )
    }
}

/// Whether invocation `inv` in file `fi` is a call of helper `wr` (see [`Fit`]); records
/// the declared wrappers seen.
pub(super) fn fit(
    state: &mut State,
    taught: &Taught,
    fi: usize,
    c: &Code,
    env: &Env,
    inv: &Invocation,
    wr: &Wrapper,
) -> Fit {
    let Some(o) = wr.taught.filter(|o| o.declared) else {
        return Fit::Helper;
    };
    let Some(w) = taught.wrappers.get(o.index) else {
        return Fit::Helper;
    };
    let off = c.toks[inv.tok].start;
    // Inside the wrapper's own definition: recursion or its own request.
    if state
        .defs
        .iter()
        .any(|&(d, f, (a, b))| d == o.index && f == fi && a <= off && off < b)
    {
        return Fit::Skip;
    }
    let qualified = w.qualifier().is_some() && wr.alias_of.is_none();
    let sure = match (w.qualifier(), wr.alias_of) {
        (Some(q), None) => match receiver_fits(&mut state.memo, fi, c, env, inv.tok, q) {
            Some(true) => true,
            Some(false) => return Fit::Skip,
            None => false,
        },
        _ => true,
    };
    if let Some(s) = state.seen.get_mut(o.index) {
        *s = true;
    }
    Fit::Declared { sure, qualified }
}

/// Whether the receiver of the call named at token `i` is of type, package or module `q`:
/// `Some(true)`, `Some(false)` when it is known to be something else, `None` when the finder
/// cannot tell.
fn receiver_fits(
    memo: &mut Memo,
    fi: usize,
    c: &Code,
    env: &Env,
    i: usize,
    q: &str,
) -> Option<bool> {
    let same = |t: &str| same_name(c.lang, t, q);
    let dot = i
        .checked_sub(1)
        .is_some_and(|k| c.is_punct(k, ".") || c.is_punct(k, "?."));
    if !dot {
        // A bare call: a method of the enclosing class (Java, C#, Kotlin), a function of the
        // file's package (Go), a function imported from module `q` (Python, JS/TS).
        if c.lang == Lang::Go {
            return Some(memo.package(fi, c).is_some_and(same));
        }
        if let Some(callee) = c.ident(i)
            && let Some((module, _)) = c.imports().get(callee)
        {
            return Some(same(module));
        }
        if matches!(c.lang, Lang::Java | Lang::CSharp) {
            let types = memo.classes(fi, c, i);
            if !types.is_empty() {
                return Some(types.iter().any(|t| same(t)));
            }
        }
        return None;
    }
    // The receiver: `a.b.c` before `.name`, or a call's result.
    let mut k = i - 1;
    let mut chain: Vec<String> = Vec::new();
    while k > 0 && chain.len() < 32 {
        let Some(id) = c.ident(k - 1).or(match c.tok(k - 1) {
            Some(Tok::Var(v)) => Some(v.as_str()),
            _ => None,
        }) else {
            break;
        };
        chain.push(id.trim_start_matches('$').to_string());
        k -= 1;
        if k > 0 && (c.is_punct(k - 1, ".") || c.is_punct(k - 1, "?.")) {
            k -= 1;
        } else {
            break;
        }
    }
    if chain.is_empty() {
        // `get_client().send(...)`, `[IscClient]::Send(...)`.
        if c.lang == Lang::PowerShell && k >= 2 && c.is_punct(k - 1, "::") {
            return c.ident(k - 2).map(same).or(Some(false));
        }
        return None;
    }
    chain.reverse();
    let full = chain.join(".");
    let last = chain.last().map_or("", String::as_str);
    // `self`/`this`: the enclosing class (or one it extends).
    if matches!(full.as_str(), "self" | "this" | "cls") {
        let types = memo.classes(fi, c, i);
        return Some(types.iter().any(|t| same(t)));
    }
    // A name with a known type: assigned a constructor, or declared with the type.
    let mut types: Vec<String> = memo.types(fi, c, env, &full);
    if c.lang == Lang::Go
        && types.is_empty()
        && let Some(t) = go_receiver(c, i).filter(|_| chain.len() == 1)
        && go_receiver_var(c, i).as_deref() == Some(last)
    {
        types.push(t);
    }
    if !types.is_empty() {
        return Some(types.iter().any(|t| same(t)));
    }
    // Named as the qualifier: a class (static call), a package or an imported module, or a
    // variable named after its class (`iscClient`, `isc_client` for `IscClient`).
    if same(last) || squash(last) == squash(q) {
        return Some(true);
    }
    None
}

/// The receiver variable of the Go method holding token `i` (`c` of `func (c *Client)`).
fn go_receiver_var(c: &Code, i: usize) -> Option<String> {
    let fx = c.enclosing_fn(i)?;
    let n = c.fns[fx].name_tok;
    let close = n.checked_sub(1).filter(|&k| c.is_punct(k, ")"))?;
    let open = c.close_of(close)?;
    c.ident(open + 1).map(str::to_string)
}

/// Lower case without `_`: `isc_client`, `iscClient` and `IscClient` are one name.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|ch| *ch != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The type an assignment's right-hand side constructs: `IscClient(…)`, `new IscClient(…)`,
/// `&IscClient{…}`, `NewIscClient(…)` (Go), `[IscClient]::new(…)`, `New-Object IscClient`.
fn constructed_type(c: &Code, (a, b): (usize, usize)) -> Option<String> {
    let mut k = c.skip_newlines(a, b);
    while k < b
        && (matches!(c.ident(k), Some("await" | "new")) || c.is_punct(k, "&") || c.is_punct(k, "*"))
    {
        k += 1;
    }
    if c.lang == Lang::PowerShell {
        if c.is_punct(k, "[") && c.is_punct(k + 2, "]") {
            return c
                .ident(k + 1)
                .map(|t| t.rsplit('.').next().unwrap_or(t).to_string());
        }
        if c.ident(k)
            .is_some_and(|w| w.eq_ignore_ascii_case("New-Object"))
        {
            return c.ident(k + 1).map(str::to_string);
        }
        return None;
    }
    let mut last = c.ident(k)?;
    while c.is_punct(k + 1, ".") && c.ident(k + 2).is_some() {
        k += 2;
        last = c.ident(k)?;
    }
    if !(c.is_punct(k + 1, "(") || c.is_punct(k + 1, "{") || c.is_punct(k + 1, "<")) {
        return None;
    }
    if c.lang == Lang::Go
        && let Some(t) = last.strip_prefix("New").filter(|t| !t.is_empty())
    {
        return Some(t.to_string());
    }
    last.chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then(|| last.to_string())
}

/// The calls of a declared wrapper at tokens `at`, when they need a reading of their own
/// (`None`: the finder's own reading). A qualified name's calls are read here in every
/// language but PowerShell commands and shell: their receivers are checked against the
/// qualifier (see [`fit`]), which a collection (`map.get(…)`) never passes, so the finder's
/// filter of collection receivers — a look at the receiver's declaration per call — is not
/// needed. PowerShell methods (`$client.Send("/v3/x")`) ignore case. C# named arguments
/// (`SendAsync(path: "/v3/x")`) and Kotlin ones (`send(path = "/v3/x")`) are read by name.
pub(super) fn invocations(
    c: &Code,
    wr: &Wrapper,
    qualified: bool,
    at: &[usize],
) -> Option<Vec<Invocation>> {
    wr.taught.filter(|o| o.declared)?;
    let mut invs = match c.lang {
        Lang::Shell => return None,
        Lang::PowerShell if !qualified => return None,
        _ if qualified => calls_at(c, &wr.name, at),
        Lang::CSharp | Lang::Java => frontend::c_invocations_at(c, &wr.name, at),
        _ => return None,
    };
    if matches!(c.lang, Lang::CSharp | Lang::Java) {
        let sep = if c.lang == Lang::CSharp { ":" } else { "=" };
        for inv in &mut invs {
            let mut positional = Vec::new();
            for r in std::mem::take(&mut inv.positional) {
                let a = c.skip_newlines(r.0, r.1);
                match c.ident(a) {
                    Some(n) if a + 1 < r.1 && c.is_punct(a + 1, sep) => {
                        inv.named.push((n.to_string(), (a + 2, r.1)))
                    }
                    _ => positional.push(r),
                }
            }
            inv.positional = positional;
        }
    }
    Some(invs)
}

/// Calls `name(…)` / `x.name(…)` at tokens `at` (not definitions), with Python's keyword
/// arguments by name; PowerShell method names ignore case.
fn calls_at(c: &Code, name: &str, at: &[usize]) -> Vec<Invocation> {
    let mut out = Vec::new();
    for &i in at {
        if !c.ident(i).is_some_and(|id| same_name(c.lang, id, name)) {
            continue;
        }
        let Some(open) = c.call_paren(i) else {
            continue;
        };
        if c.is_fn_name(i) || i > 0 && matches!(c.ident(i - 1), Some("def" | "function" | "func")) {
            continue;
        }
        let mut inv = Invocation {
            tok: i,
            positional: Vec::new(),
            named: Vec::new(),
            opaque: false,
        };
        for r in c.args(open) {
            match c.named_arg(r) {
                Some((n, v)) if c.lang == Lang::Python && c.is_punct(r.0 + 1, "=") => {
                    inv.named.push((n.to_string(), v))
                }
                _ => inv.positional.push(r),
            }
        }
        out.push(inv);
    }
    out
}

/// The range of the argument `r` refers to at a call, and its value.
fn argument(
    c: &Code,
    env: &Env,
    inv: &Invocation,
    wr: &Wrapper,
    r: &ArgRef,
) -> Option<((usize, usize), Value)> {
    let eval = |x: (usize, usize)| match c.lang {
        Lang::PowerShell => super::eval::powershell::eval_word(env, x, inv.tok),
        Lang::Shell => super::http::shell::word_value(env, x, inv.tok),
        _ => env.eval(x, inv.tok),
    };
    let by_name = |n: &str| {
        inv.named
            .iter()
            .find(|(m, _)| same_name(c.lang, m, n))
            .map(|(_, x)| *x)
    };
    let range = match r {
        ArgRef::Name(n) => by_name(n).or_else(|| {
            let idx = wr.params.iter().position(|p| same_name(c.lang, p, n))?;
            inv.positional.get(idx).copied()
        }),
        ArgRef::Position(k) => {
            let p = wr
                .params
                .get(*k)
                .cloned()
                .unwrap_or_else(|| format!("#{k}"));
            by_name(&p).or_else(|| inv.positional.get(*k).copied())
        }
    };
    if let Some(x) = range {
        return Some((x, eval(x)));
    }
    // An options object whose key is the name: `request({ url: '/v3/x', method: 'POST' })`,
    // or a name bound to one.
    let ArgRef::Name(key) = r else { return None };
    for &(a, b) in inv
        .positional
        .iter()
        .chain(inv.named.iter().map(|(_, x)| x))
    {
        let s = c.skip_newlines(a, b);
        if c.is_punct(s, "{") {
            if let Some((_, v)) = c
                .object_props(s)
                .into_iter()
                .rev()
                .find(|(k, _)| k.as_deref() == Some(key.as_str()))
            {
                return Some((v, env.eval(v, inv.tok)));
            }
            continue;
        }
        if s + 1 == b
            && let Some(name) = c.ident(s).or(match c.tok(s) {
                Some(Tok::Var(v)) => Some(v.as_str()),
                _ => None,
            })
        {
            let full = format!("{name}.{key}");
            if env
                .assigns
                .iter()
                .any(|x| same_name(c.lang, &x.name, &full))
            {
                // Reported where the URL is written (the object's entry), when one entry
                // reaches the call.
                let at = match env.reaching_assigns(&full, inv.tok).as_slice() {
                    [one] => env.assigns[*one].rhs,
                    _ => (s, b),
                };
                return Some((at, env.lookup(&full, inv.tok)));
            }
        }
    }
    None
}

/// A caller's URL, method, and the token range of its URL argument (if it passes one).
pub(super) type Bound = (Value, MethodSpec, Option<(usize, usize)>);

/// The URL, method and URL argument of a call of a declared wrapper (`None` for other
/// helpers: the finder's own binding applies).
pub(super) fn bind(
    taught: &Taught,
    c: &Code,
    env: &Env,
    inv: &Invocation,
    wr: &Wrapper,
) -> Option<Bound> {
    let o = wr.taught.filter(|o| o.declared)?;
    let w = taught.wrappers.get(o.index)?;
    let (url_arg, url) = match argument(c, env, inv, wr, &w.url) {
        Some((r, v)) => (Some(r), v),
        None => (None, Value::default()),
    };
    let by_name = || match frontend::method_from_name(&w.name) {
        Some(m) => MethodSpec::Known(m),
        None => MethodSpec::Unknown,
    };
    let method = match &w.method {
        TaughtMethod::Fixed(m) => MethodSpec::Known(*m),
        TaughtMethod::Unknown => w.default_method.map_or_else(by_name, MethodSpec::Known),
        TaughtMethod::Arg(r) => match argument(c, env, inv, wr, r) {
            Some((_, v)) => match frontend::method_spec_of_value(&v) {
                Some(m) => m,
                // The caller passes its own parameter on.
                None => match v.param_hole() {
                    Some(h) => match w.default_method {
                        Some(d) => MethodSpec::ParamOr(h.to_string(), d),
                        None => MethodSpec::Param(h.to_string()),
                    },
                    None => MethodSpec::Unknown,
                },
            },
            None => {
                let name = match r {
                    ArgRef::Name(n) => Some(n.as_str()),
                    ArgRef::Position(k) => wr.params.get(*k).map(String::as_str),
                };
                let default = name.and_then(|n| {
                    wr.defaults
                        .iter()
                        .find(|(p, _)| same_name(c.lang, p, n))
                        .and_then(|(_, v)| frontend::method_spec_of_value(v))
                });
                match (w.default_method, default) {
                    (Some(d), _) => MethodSpec::Known(d),
                    (None, Some(m)) => m,
                    (None, None) => by_name(),
                }
            }
        },
    };
    Some((url, method, url_arg))
}

/// The classification context of a helper's callers: a declared wrapper (and a helper that
/// passes its parameter on to one) goes to the tenant.
pub fn context(wr: &Wrapper, ctx: Context) -> Context {
    match wr.taught {
        Some(_) => Context {
            isc: true,
            project: true,
        },
        None => ctx,
    }
}

/// Whether a wrapper is declared (its own request is never reported).
pub fn declared(wr: &Wrapper) -> bool {
    wr.taught.is_some_and(|o| o.declared)
}

/// The calls of one caller of a taught helper, made to fail closed: a caller whose URL
/// argument cannot be evaluated is unresolved, with why; a call through a receiver whose type
/// is not known counts only when its URL is an ISC one.
#[allow(clippy::too_many_arguments)]
pub(super) fn settle(
    taught: &Taught,
    fit: Fit,
    wr: &Wrapper,
    url: &Value,
    url_arg: Option<(usize, usize)>,
    method: &MethodSpec,
    offset: usize,
    found: Vec<RawCall>,
) -> Vec<RawCall> {
    let Some(o) = wr.taught else { return found };
    if let Fit::Declared { sure: false, .. } = fit
        && !found
            .iter()
            .any(|r| r.via != Via::Auth && !matches!(r.target, Target::Unknown))
    {
        return Vec::new();
    }
    if !found.is_empty() {
        return found;
    }
    let decl = taught.wrappers.get(o.index);
    let which = decl.map_or_else(|| "URL".to_string(), |w| w.url.describe());
    let name = decl.map_or(wr.name.as_str(), |w| w.name.as_str());
    let via_helper = if o.declared {
        String::new()
    } else {
        format!(" (through `{}`)", wr.name)
    };
    let by_name_only = o.declared
        && wr.file == usize::MAX
        && decl.is_some_and(|w| matches!(w.url, ArgRef::Name(_)));
    let reason = if url_arg.is_none() && by_name_only {
        format!(
            "a call of the declared wrapper `{name}` that does not name its URL argument ({which}), and no scanned file defines `{name}` to tell its position (declare `url` by position)"
        )
    } else if url_arg.is_none() {
        format!(
            "a call of the declared wrapper `{name}`{via_helper} that passes no URL argument ({which})"
        )
    } else if url.is_empty() {
        format!(
            "the URL argument ({which}) of the declared wrapper `{name}`{via_helper} cannot be evaluated statically"
        )
    } else if let Some(from) = super::value::opaque_sources(url) {
        format!(
            "the URL argument ({which}) of the declared wrapper `{name}`{via_helper} is built from {from}, not known statically"
        )
    } else {
        // A path that is not an ISC one (`/health`, another host): not a call.
        return Vec::new();
    };
    let m = match method {
        MethodSpec::Known(m) => Some(*m),
        _ => None,
    };
    vec![RawCall::new(offset, m, Target::Unknown, Via::Http).with_reason(reason)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_match_whole_dotted_suffixes() {
        let bases = vec!["ISC_BASE".to_string(), "config.tenantUrl".to_string()];
        assert_eq!(
            base_decl(&bases, "ISC_BASE", Lang::Python),
            Some("ISC_BASE")
        );
        assert_eq!(
            base_decl(&bases, "self.ISC_BASE", Lang::Python),
            Some("ISC_BASE")
        );
        assert_eq!(base_decl(&bases, "MY_ISC_BASE", Lang::Python), None);
        assert_eq!(
            base_decl(&bases, "this.config.tenantUrl", Lang::Js),
            Some("config.tenantUrl")
        );
        assert_eq!(base_decl(&bases, "tenantUrl", Lang::Js), None);
        assert_eq!(base_decl(&bases, "config.tenanturl", Lang::Js), None);
        assert_eq!(
            base_decl(&bases, "$Config.TenantUrl", Lang::PowerShell),
            Some("config.tenantUrl")
        );
    }

    #[test]
    fn a_base_keeps_the_path_after_its_host() {
        let text = |v: &Value| v.texts();
        let v = Value::lit("https://iam.example.com/v3");
        assert_eq!(text(&as_tenant_base(&v, "B")), ["{tenant-base:B}/v3"]);
        let v = Value::lit("https://")
            .concat(&Value::hole("tenant"))
            .concat(&Value::lit(".api.identitynow.com"));
        assert_eq!(text(&as_tenant_base(&v, "B")), ["{tenant-base:B}"]);
        let v = Value::hole("env:X");
        assert_eq!(text(&as_tenant_base(&v, "B")), ["{tenant-base:B}"]);
        assert_eq!(
            text(&as_tenant_base(&Value::default(), "B")),
            ["{tenant-base:B}"]
        );
    }

    #[test]
    fn constructed_types() {
        let ty = |src: &str, lang: Lang| {
            let c = Code::new(src, lang);
            constructed_type(&c, (0, c.len()))
        };
        assert_eq!(
            ty("IscClient(url, tok)", Lang::Python).as_deref(),
            Some("IscClient")
        );
        assert_eq!(ty("new isc.Client()", Lang::Js).as_deref(), Some("Client"));
        assert_eq!(
            ty("&IscClient{base: b}", Lang::Go).as_deref(),
            Some("IscClient")
        );
        assert_eq!(
            ty("NewIscClient(b)", Lang::Go).as_deref(),
            Some("IscClient")
        );
        assert_eq!(ty("make_client()", Lang::Python), None);
        assert_eq!(
            ty("[IscClient]::new()", Lang::PowerShell).as_deref(),
            Some("IscClient")
        );
    }
}
