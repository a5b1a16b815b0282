//! Helpers the Go, Java/Kotlin and C# front-ends share: call chains (`a.b(x).c(y)`),
//! receivers and their declared types, HTTP methods written as enum members or strings, and
//! where a URL argument names its endpoint.

use super::super::code::Code;
use super::super::eval::Env;
use super::super::frontend::MethodSpec;
use super::super::lex::Tok;
use super::super::value::{Piece, Value};
use crate::catalog::Method;

pub use super::super::syntax::{declared_type, declared_type_at, prev_code};

/// One link of a call chain: the method name's token and its `(`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub name: usize,
    pub open: usize,
}

impl Link {
    pub fn close(&self, code: &Code) -> usize {
        code.close_of(self.open).unwrap_or(self.open)
    }
}

/// Skips newlines forward from `i`.
pub fn next_code(code: &Code, mut i: usize) -> usize {
    while i < code.len() && code.toks[i].tok == Tok::Newline {
        i += 1;
    }
    i
}

/// Generic arguments after a method name (`GetFromJsonAsync<List<T>>(`): the index of the
/// `(` that follows them, or of the token after the name when there are none.
pub fn after_generics(code: &Code, name: usize) -> usize {
    let j = name + 1;
    if !code.is_punct(j, "<") {
        return j;
    }
    let mut d = 0i32;
    let mut k = j;
    while k < code.len() && k < j + 40 {
        match code.tok(k) {
            Some(Tok::Punct("<")) => d += 1,
            Some(Tok::Punct(">")) => d -= 1,
            Some(Tok::Punct(">>")) => d -= 2,
            Some(Tok::Ident(_) | Tok::Punct("," | "." | "?" | "[" | "]" | "::")) => {}
            _ => return j,
        }
        k += 1;
        if d <= 0 {
            return k;
        }
    }
    j
}

/// The links following the call whose `)` is at `close`: `.b(x).c(y)` (newlines between
/// links are fine, Kotlin `?.` too; property accesses without parentheses end the chain).
pub fn chain_after(code: &Code, close: usize) -> Vec<Link> {
    let mut out = Vec::new();
    let mut i = close + 1;
    loop {
        let d = next_code(code, i);
        if !(code.is_punct(d, ".") || code.is_punct(d, "?.")) {
            break;
        }
        let n = d + 1;
        if code.ident(n).is_none() {
            break;
        }
        let open = after_generics(code, n);
        if !code.is_punct(open, "(") {
            break;
        }
        let Some(c) = code.close_of(open) else { break };
        out.push(Link { name: n, open });
        i = c + 1;
    }
    out
}

/// The receiver of the call named at `name`: the links before it (nearest first) and the
/// token range of the receiver expression, from the chain's root (or a `new` before it) up to
/// the dot before `name`; `None` when nothing stands before `name`.
pub fn receiver(code: &Code, name: usize) -> Option<(Vec<Link>, (usize, usize))> {
    let (links, root) = chain_before(code, name);
    let mut start = root;
    if let Some(p) = root.checked_sub(1).and_then(|p| prev_code(code, p))
        && code.is_ident_at(p, "new")
    {
        start = p;
    }
    let dot = name.checked_sub(1).and_then(|p| prev_code(code, p))?;
    Some((links, (start, dot)))
}

/// The links before the call named at `name` (nearest first), and the token where the chain
/// starts (its root: an identifier, `new`, a constructor name...).
pub fn chain_before(code: &Code, name: usize) -> (Vec<Link>, usize) {
    let mut out = Vec::new();
    let mut k = name;
    while let Some(dot) = k.checked_sub(1).and_then(|x| prev_code(code, x)) {
        if !(code.is_punct(dot, ".") || code.is_punct(dot, "?.")) {
            break;
        }
        let Some(p) = dot.checked_sub(1).and_then(|x| prev_code(code, x)) else {
            break;
        };
        match code.tok(p) {
            Some(Tok::Punct(")")) => {
                let Some(open) = code.close_of(p) else { break };
                // Skip generic arguments before `(`.
                let mut n = open.wrapping_sub(1);
                if code.is_punct(n, ">") || code.is_punct(n, ">>") {
                    let mut d = 0i32;
                    while n > 0 {
                        match code.tok(n) {
                            Some(Tok::Punct(">")) => d += 1,
                            Some(Tok::Punct(">>")) => d += 2,
                            Some(Tok::Punct("<")) => d -= 1,
                            _ => {}
                        }
                        if d == 0 {
                            break;
                        }
                        n -= 1;
                    }
                    n = n.wrapping_sub(1);
                }
                if code.ident(n).is_none() {
                    k = open;
                    break;
                }
                out.push(Link { name: n, open });
                k = n;
            }
            Some(Tok::Ident(_)) => {
                k = p;
                // Keep walking through `a.b.c` property paths.
                continue;
            }
            // A literal receiver: `"https://...".AppendPathSegment(..)`.
            Some(Tok::Str(_)) => {
                k = p;
                break;
            }
            _ => break,
        }
    }
    (out, k)
}

/// The dotted receiver text of the call named at `name` when it is a plain path
/// (`http`, `c.client`, `this.restTemplate`), else `None`.
pub fn plain_receiver(code: &Code, name: usize) -> Option<String> {
    let mut parts = Vec::new();
    let mut k = name;
    loop {
        let dot = k.checked_sub(1)?;
        if !(code.is_punct(dot, ".") || code.is_punct(dot, "?.")) {
            break;
        }
        let p = dot.checked_sub(1)?;
        let id = code.ident(p)?;
        parts.push(id.to_string());
        k = p;
    }
    if parts.is_empty() {
        return None;
    }
    // `(HttpURLConnection) x.y` is plain (a cast); `f(a).x.y` is not.
    if k > 0
        && code.is_punct(k - 1, ")")
        && let Some(o) = code.close_of(k - 1)
        && o > 0
        && code.ident(o - 1).is_some()
    {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// Whether the value assigned to `name` anywhere in the file is built with one of `ctors`
/// (identifiers appearing in the right-hand side, `new HttpClient(...)`, `&http.Client{}`).
pub fn assigned_from(env: &Env, name: &str, ctors: &[&str]) -> bool {
    let bare = name.strip_prefix("this.").unwrap_or(name);
    env.assigns.iter().any(|a| {
        let an = a.name.strip_prefix("this.").unwrap_or(&a.name);
        (an == bare || an.rsplit('.').next() == Some(bare) && bare.contains('.'))
            && (a.rhs.0..a.rhs.1).any(|k| env.code.ident(k).is_some_and(|w| ctors.contains(&w)))
    })
}

/// An HTTP method from a name: `GET`, `Get`, `MethodGet`, `HttpMethod.Get`, `Method.POST`.
pub fn method_word(w: &str) -> Option<Method> {
    let last = w.rsplit(['.', ':']).next().unwrap_or(w);
    let last = last.strip_prefix("Method").unwrap_or(last);
    Method::parse(last)
}

/// Enum-like holders of HTTP methods across the libraries.
const METHOD_TYPES: &[&str] = &[
    "http",
    "HttpMethod",
    "HttpMethods",
    "Method",
    "RequestMethod",
    "Http",
    "HttpVerb",
    "WebRequestMethods.Http",
    "HttpMethodName",
];

/// The HTTP method of an argument: a literal, an enum member (`http.MethodPost`,
/// `HttpMethod.Patch`, `new HttpMethod("PATCH")`, `HttpMethod.valueOf("PUT")`), a variable
/// holding one, or a parameter of the enclosing function.
pub fn method_of(env: &Env, r: (usize, usize), at: usize) -> MethodSpec {
    let code = env.code;
    let a = next_code(code, r.0);
    // `new HttpMethod("PATCH")`, `HttpMethod.valueOf("PATCH")`, `HttpMethod.resolve(..)`,
    // `HttpMethod("PATCH")`.
    let inner = (a..r.1).find(|&k| code.is_punct(k, "("));
    if let Some(o) = inner
        && (a..o).any(|k| code.ident(k) == Some("HttpMethod") || code.ident(k) == Some("Method"))
        && let Some(&(x, y)) = code.args(o).first()
    {
        return method_of(env, (x, y), at);
    }
    let v = env.eval((a, r.1), at);
    let mut found: Vec<Method> = Vec::new();
    let mut param = None;
    for c in &v.cands {
        let m = match c.as_slice() {
            [Piece::Lit(l)] => Method::parse(l.trim()),
            [Piece::Hole(h)] => {
                if let Some(p) = h.strip_prefix("param:") {
                    // `param:method` or `param:opts.Method`.
                    param = Some(p.to_string());
                    None
                } else {
                    let (head, last) = h.rsplit_once('.').unwrap_or(("", h));
                    if METHOD_TYPES.contains(&head) || head.ends_with("HttpMethod") {
                        method_word(last)
                    } else {
                        None
                    }
                }
            }
            _ => None,
        };
        match m {
            Some(m) if !found.contains(&m) => found.push(m),
            Some(_) => {}
            None if param.is_none() => return MethodSpec::Unknown,
            None => {}
        }
    }
    match (found.as_slice(), param) {
        ([m], None) => MethodSpec::Known(*m),
        ([_, _, ..], None) => {
            found.sort();
            MethodSpec::OneOf(found)
        }
        ([], Some(p)) if v.cands.len() == 1 => MethodSpec::Param(p),
        _ => MethodSpec::Unknown,
    }
}

/// Calls that only wrap a URL string (`URI.create(u)`, `new Uri(u)`, `HttpUrl.parse(u)`):
/// the range of the wrapped argument, so positions point at the URL itself.
pub fn unwrap_url_arg(code: &Code, r: (usize, usize)) -> (usize, usize) {
    let a = next_code(code, r.0);
    let mut k = a;
    if code.is_ident_at(k, "new") {
        k += 1;
    }
    let mut m = k;
    while code.ident(m).is_some() && code.is_punct(m + 1, ".") {
        m += 2;
    }
    let Some(last) = code.ident(m) else { return r };
    if !matches!(
        last,
        "create"
            | "parse"
            | "URI"
            | "Uri"
            | "URL"
            | "toUri"
            | "get"
            | "fromHttpUrl"
            | "fromUriString"
    ) || !code.is_punct(m + 1, "(")
    {
        return r;
    }
    let head_ok = k == m
        || matches!(
            code.ident(m.saturating_sub(2)),
            Some("URI" | "Uri" | "HttpUrl" | "URL" | "UriComponentsBuilder")
        );
    if !head_ok {
        return r;
    }
    let Some(close) = code.close_of(m + 1) else {
        return r;
    };
    // Only when the wrapper is the whole argument (a chain after it is fine for builders).
    let args = code.args(m + 1);
    let end = (close + 1..r.1).all(|k| code.toks[k].tok == Tok::Newline);
    match args.first() {
        Some(&(x, y)) if end => (x, y),
        _ => r,
    }
}

/// The byte offset where an argument names its endpoint.
pub fn offset_of(code: &Code, r: (usize, usize)) -> usize {
    let (a, b) = unwrap_url_arg(code, r);
    let a = next_code(code, a)
        .min(b.max(a))
        .min(code.len().saturating_sub(1));
    code.toks[a].start
}

/// Whether a value is only a literal path without a host or a base (`"/v3/sources"`,
/// `"v3/sources"`): then only a client known to have a base URL makes it a request.
pub fn is_bare_path(v: &Value) -> bool {
    v.cands.iter().all(|c| {
        matches!(c.first(), Some(Piece::Lit(l)) if !l.contains("://") && (l.starts_with('/') || !l.split('/').next().unwrap_or("").contains('.')))
    })
}

/// Whether every candidate is a path whose first segment is an API version (`v3/x`,
/// `/beta/x`).
pub fn family_path(v: &Value) -> bool {
    v.cands.iter().all(|c| match c.first() {
        Some(Piece::Lit(l)) => {
            let first = l.trim_start_matches('/').split('/').next().unwrap_or("");
            first == "beta"
                || first.len() >= 2
                    && first.starts_with('v')
                    && first[1..].chars().all(|ch| ch.is_ascii_digit())
        }
        _ => false,
    })
}

/// The single assignment of a local variable reaching `at` inside the same function: its
/// right-hand side.
pub fn local_def(env: &Env, name: &str, at: usize) -> Option<(usize, usize)> {
    let func = env.code.enclosing_fn(at);
    env.assigns
        .iter()
        .filter(|a| a.name == name && a.func == func && a.tok < at)
        .max_by_key(|a| a.tok)
        .map(|a| a.rhs)
}

#[cfg(test)]
mod tests {
    use super::super::super::eval::Project;
    use super::super::super::lex::Lang;
    use super::*;

    fn idx(code: &Code, name: &str) -> usize {
        code.toks.iter().position(|t| t.is_ident(name)).unwrap()
    }

    #[test]
    fn chains_across_lines_and_from_literals() {
        let code = Code::new(
            "var x = \"https://h\"\n  .AppendPathSegment(\"v3\")\n  .WithHeader(\"a\", \"b\")\n  .GetAsync();",
            Lang::CSharp,
        );
        let (links, root) = chain_before(&code, idx(&code, "GetAsync"));
        let names: Vec<&str> = links.iter().filter_map(|l| code.ident(l.name)).collect();
        assert_eq!(names, ["WithHeader", "AppendPathSegment"]);
        assert!(matches!(code.tok(root), Some(Tok::Str(_))));
        let code = Code::new(
            "HttpRequest.newBuilder()\n .uri(u)\n .POST(b)\n .build();",
            Lang::Java,
        );
        let open = idx(&code, "newBuilder") + 1;
        let after: Vec<&str> = chain_after(&code, code.close_of(open).unwrap())
            .iter()
            .filter_map(|l| code.ident(l.name))
            .collect();
        assert_eq!(after, ["uri", "POST", "build"]);
    }

    #[test]
    fn declared_types() {
        let java = Code::new(
            "private final RestTemplate rest; Map<String, String> m = x; void f(TestRestTemplate t) {}",
            Lang::Java,
        );
        assert_eq!(
            declared_type(&java, "this.rest").as_deref(),
            Some("RestTemplate")
        );
        assert_eq!(declared_type(&java, "m").as_deref(), Some("Map"));
        assert_eq!(
            declared_type(&java, "t").as_deref(),
            Some("TestRestTemplate")
        );
        let go = Code::new(
            "type C struct {\n\tclient *http.Client\n\tq url.Values\n}",
            Lang::Go,
        );
        assert_eq!(declared_type(&go, "c.client").as_deref(), Some("Client"));
        assert_eq!(declared_type(&go, "q").as_deref(), Some("Values"));
        let kt = Code::new(
            "private val client: HttpClient = HttpClient(CIO)",
            Lang::Java,
        );
        assert_eq!(declared_type(&kt, "client").as_deref(), Some("HttpClient"));
    }

    #[test]
    fn methods_written_every_way() {
        let p = Project::default();
        let src = "f(\"patch\", http.MethodPost, HttpMethod.Delete, new HttpMethod(\"PUT\"), Method.GET, RequestMethod.HEAD, m, other)";
        let code = Code::new(src, Lang::Java);
        let env = Env::new(&code, &p);
        let args = code.args(1);
        let got: Vec<MethodSpec> = args.iter().map(|&r| method_of(&env, r, 0)).collect();
        assert_eq!(
            got[..6],
            [
                MethodSpec::Known(Method::Patch),
                MethodSpec::Known(Method::Post),
                MethodSpec::Known(Method::Delete),
                MethodSpec::Known(Method::Put),
                MethodSpec::Known(Method::Get),
                MethodSpec::Known(Method::Head),
            ]
        );
        assert_eq!(got[6], MethodSpec::Unknown);
    }

    #[test]
    fn url_wrappers_are_unwrapped_for_positions() {
        let code = Code::new(
            "f(URI.create(base + \"/v3/x\"), new Uri(u), URI.create(a).resolve(b))",
            Lang::Java,
        );
        let args = code.args(1);
        let a0 = unwrap_url_arg(&code, args[0]);
        assert!(code.is_ident_at(a0.0, "base"));
        let a1 = unwrap_url_arg(&code, args[1]);
        assert!(code.is_ident_at(a1.0, "u"));
        // A chain after the wrapper: the whole argument.
        assert_eq!(unwrap_url_arg(&code, args[2]), args[2]);
    }
}
