//! Which of several same-named project helpers a call reaches, in the languages where the
//! code says so: Go (a method's receiver type, a function's package), Java and C# (the class
//! a method is declared in, the declared type of the receiver, a static call on the class).
//!
//! Without this, each helper named `do`, `get` or `GetAsync` is followed to every call of
//! that name in the project: the work grows with helpers × calls (quadratic in a project
//! made of many similar clients), and a call is credited to every client's base URL. The
//! narrowing only ever picks among the helpers of the name; when the code does not tell
//! (a receiver of unknown type, a type no helper belongs to), every helper of the name stays
//! a candidate, as before — so it never drops a call the finder used to report.

use super::code::Code;
use super::frontend::{Invocation, Wrapper};
use super::lex::Lang;
use std::collections::HashMap;

/// Whether helpers of this language are narrowed by owner.
pub fn narrows(lang: Lang) -> bool {
    matches!(lang, Lang::Go | Lang::Java | Lang::CSharp)
}

/// HTTP client types of Java and C# libraries: a call on a receiver declared with one is the
/// library's method, never a project helper of the same name.
const LIBRARY_CLIENTS: &[&str] = &[
    "HttpClient",
    "RestClient",
    "IRestClient",
    "FlurlClient",
    "IFlurlClient",
    "WebClient",
    "RestTemplate",
    "OkHttpClient",
    "CloseableHttpClient",
    "HttpURLConnection",
    "RestClientBuilder",
];

/// The type a function belongs to: a Go method's receiver type (`func (c *Client) do(`), or
/// the innermost class, struct or record around a Java/C# method.
pub fn fn_owner(code: &Code, f: usize) -> Option<String> {
    let def = code.fns.get(f)?;
    if code.lang == Lang::Go {
        return go_receiver_type(code, f);
    }
    enclosing_type(code, def.name_tok)
}

/// The receiver type of a Go method (`func (c *Client[T]) do(` → `Client`).
pub fn go_receiver_type(code: &Code, f: usize) -> Option<String> {
    let close = code.fns.get(f)?.name_tok.checked_sub(1)?;
    if !code.is_punct(close, ")") {
        return None;
    }
    let open = code.close_of(close)?;
    if !open
        .checked_sub(1)
        .is_some_and(|k| code.is_ident_at(k, "func"))
    {
        return None;
    }
    (open + 1..close)
        .take_while(|&k| !code.is_punct(k, "["))
        .filter_map(|k| code.ident(k))
        .last()
        .map(str::to_string)
}

/// The innermost class, struct or record body around token `i` (Java, C#, Kotlin).
pub fn enclosing_type(code: &Code, i: usize) -> Option<String> {
    enclosing_type_and_bases(code, i).into_iter().next()
}

/// The class, struct or record whose body holds token `i`, then the identifiers after its
/// name in the header (`extends Base`, `: Base`); empty outside one.
pub fn enclosing_type_and_bases(code: &Code, i: usize) -> Vec<String> {
    let mut p = code.parent.get(i).copied().unwrap_or(u32::MAX);
    let mut steps = 0;
    while p != u32::MAX && steps < 64 {
        steps += 1;
        let o = p as usize;
        if code.is_punct(o, "{") {
            // The header before the body: `public static class Client<T> : Base {`.
            let mut k = o;
            let mut seen = 0;
            while k > 0 && seen < 40 {
                k -= 1;
                seen += 1;
                if code.is_punct(k, ";") || code.is_punct(k, "}") || code.is_punct(k, "{") {
                    break;
                }
                if matches!(
                    code.ident(k),
                    Some("class" | "struct" | "record" | "interface" | "object")
                ) && let Some(name) = code.ident(k + 1)
                {
                    let mut out = vec![name.to_string()];
                    out.extend((k + 2..o).filter_map(|j| code.ident(j).map(str::to_string)));
                    return out;
                }
            }
        }
        p = code.parent.get(o).copied().unwrap_or(u32::MAX);
    }
    Vec::new()
}

/// The function a helper is: the function named like it around its own request.
fn wrapper_fn(code: &Code, w: &Wrapper) -> Option<usize> {
    let tok = code.toks.partition_point(|t| t.start < w.offset);
    let mut f = code.enclosing_fn(tok.min(code.len().saturating_sub(1)))?;
    for _ in 0..64 {
        if code.fns[f].name == w.name {
            return Some(f);
        }
        // One function out: the innermost function around this one's name.
        let up = code.enclosing_fn(code.fns[f].name_tok)?;
        if up == f {
            return None;
        }
        f = up;
    }
    None
}

/// The class a Python or JavaScript/TypeScript helper method belongs to (see [`fn_owner`]).
pub fn script_wrapper_class(codes: &[Option<Code>], w: &Wrapper) -> Option<String> {
    if !matches!(w.lang, Lang::Python | Lang::Js) || w.alias_of.is_some() {
        return None;
    }
    let code = codes.get(w.file)?.as_ref()?;
    script_fn_class(code, wrapper_fn(code, w)?)
}

/// The class a Python or JavaScript/TypeScript function is a method of.
pub fn script_fn_class(code: &Code, f: usize) -> Option<String> {
    match code.lang {
        Lang::Python => python_class(code, code.fns.get(f)?.name_tok)
            .into_iter()
            .next(),
        _ => fn_owner(code, f),
    }
}

/// Go: the package that qualifies the declared type of `name` (`w *weather.Client` →
/// `weather`).
fn go_type_package(code: &Code, name: &str) -> Option<String> {
    (1..code.len())
        .filter(|&k| code.ident(k) == Some(name))
        .find_map(|k| {
            let mut j = k + 1;
            if code.is_punct(j, "*") {
                j += 1;
            }
            let pkg = code.ident(j)?;
            (code.is_punct(j + 1, ".") && code.ident(j + 2).is_some()).then(|| pkg.to_string())
        })
}

/// Go: whether `name` is declared in the file as a variable or parameter (`name :=`,
/// `var name`, `name *T`), so not a package name.
fn declared_local(code: &Code, name: &str) -> bool {
    (1..code.len()).any(|k| {
        code.ident(k) == Some(name)
            && (code.is_punct(k + 1, ":=")
                || code.ident(k - 1) == Some("var")
                || code.is_punct(k + 1, "*")
                || (code.ident(k + 1).is_some() && code.is_punct(k - 1, "(")))
    })
}

/// Go: the names of the packages a file imports (the last segment of each import path, or
/// its alias).
fn go_imports(code: &Code) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |k: usize| {
        if let Some(super::lex::Tok::Str(lit)) = code.tok(k)
            && let Some(path) = lit.plain()
        {
            match code.ident(k.wrapping_sub(1)) {
                Some(alias) if alias != "import" => out.push(alias.to_string()),
                _ => out.push(path.rsplit('/').next().unwrap_or(&path).to_string()),
            }
        }
    };
    for k in 0..code.len() {
        if code.ident(k) != Some("import") {
            continue;
        }
        match code.close_of(k + 1).filter(|_| code.is_punct(k + 1, "(")) {
            Some(close) => (k + 2..close).for_each(&mut push),
            None => push(k + 1 + usize::from(code.ident(k + 1).is_some())),
        }
    }
    out
}

/// The type a helper belongs to (see [`fn_owner`]); `None` for a free function, a name
/// bound to a helper, or a language that is not narrowed.
pub fn wrapper_owner(codes: &[Option<Code>], w: &Wrapper) -> Option<String> {
    if !narrows(w.lang) || w.alias_of.is_some() {
        return None;
    }
    let code = codes.get(w.file)?.as_ref()?;
    fn_owner(code, wrapper_fn(code, w)?)
}

/// What a group of same-named helpers needs to pick among them.
pub struct Group<'a> {
    /// Indices of the helpers (all rounds so far).
    pub members: &'a [usize],
    /// The owner of each helper, by index into `members`.
    pub owners: &'a [Option<String>],
    /// The file and folder of each helper, by index into `members`.
    pub files: &'a [(usize, &'a str)],
}

/// The helpers of `group` that the call `inv` in file `fi` (in folder `dir`) may reach, and
/// whether the code says the call is one of them (the receiver's type or class, or a bare
/// call in the helper's own class) rather than every helper of the name being kept for lack
/// of knowledge. `types` memoises declared types of receivers in this file.
pub fn pick(
    code: &Code,
    fi: usize,
    dir: &str,
    inv: &Invocation,
    group: &Group,
    types: &mut HashMap<String, Option<String>>,
) -> (Vec<usize>, bool) {
    let all = || (group.members.to_vec(), false);
    let by_owner = |t: &str| -> Vec<usize> {
        // Positions in the group: the helpers of that owner, and those without one.
        let fits: Vec<usize> = (0..group.members.len())
            .filter(|&k| group.owners[k].as_deref().is_none_or(|o| o == t))
            .collect();
        if !fits.iter().any(|&k| group.owners[k].is_some()) {
            return Vec::new();
        }
        // Go: a type name is per package; the caller's own package first.
        let own: Vec<usize> = fits
            .iter()
            .copied()
            .filter(|&k| code.lang == Lang::Go && group.files[k].1 == dir)
            .collect();
        let chosen = if own.is_empty() { fits } else { own };
        chosen.into_iter().map(|k| group.members[k]).collect()
    };
    let recv = inv
        .tok
        .checked_sub(1)
        .filter(|&d| code.is_punct(d, "."))
        .and_then(|d| d.checked_sub(1))
        .and_then(|r| code.ident(r));
    // Go: `w *weather.Client`: the helpers of that package only; `viper.Get(...)` on an
    // imported package that holds no helper of the name: none.
    if code.lang == Lang::Go
        && let Some(q) = recv
    {
        let last = |d: &str| d.rsplit('/').next().unwrap_or(d).to_string();
        let pkg = go_type_package(code, q).or_else(|| {
            go_imports(code)
                .into_iter()
                .find(|p| p == q)
                .filter(|_| !declared_local(code, q))
        });
        if let Some(pkg) = pkg {
            let fits: Vec<usize> = (0..group.members.len())
                .filter(|&k| last(group.files[k].1) == pkg)
                .map(|k| group.members[k])
                .collect();
            if fits.is_empty() && go_imports(code).contains(&pkg) {
                return (Vec::new(), false);
            }
            if !fits.is_empty() {
                return (fits, true);
            }
        }
    }
    match recv {
        Some(q) => {
            // `this.get(...)` / `base.get(...)`: the class the call is written in.
            let ty = if matches!(q, "this" | "base" | "self") {
                enclosing_type(code, inv.tok)
            } else if group.owners.iter().any(|o| o.as_deref() == Some(q)) {
                // `Client14.GetAsync(...)`: a static call on the helper's class.
                Some(q.to_string())
            } else {
                types
                    .entry(q.to_string())
                    .or_insert_with(|| super::http::brace::declared_type(code, q))
                    .clone()
            };
            // A library's client (`HttpClient _client`): its own method, no project helper.
            if code.lang != Lang::Go && ty.as_deref().is_some_and(|t| LIBRARY_CLIENTS.contains(&t))
            {
                return (Vec::new(), false);
            }
            match ty.map(|t| by_owner(&t)) {
                Some(v) if !v.is_empty() => (v, true),
                _ => all(),
            }
        }
        None => {
            // A bare call: a method of the class it is written in (Java, C#), a function of
            // the package (Go: the folder).
            let own = match code.lang {
                Lang::Go => None,
                _ => enclosing_type(code, inv.tok),
            };
            if let Some(t) = own {
                let v = by_owner(&t);
                if !v.is_empty() {
                    return (v, true);
                }
            }
            let near: Vec<usize> = group
                .members
                .iter()
                .zip(group.files)
                .filter(|(_, (f, d))| {
                    if code.lang == Lang::Go {
                        *d == dir
                    } else {
                        *f == fi
                    }
                })
                .map(|(&m, _)| m)
                .collect();
            if near.is_empty() {
                all()
            } else {
                (near, code.lang == Lang::Go)
            }
        }
    }
}

/// The folder of a relative path (the Go package).
pub fn folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `class Name(Base, …):` holding token `i` (by indentation): the class of the function
/// whose name or body `i` is.
pub(super) fn python_class(c: &Code, i: usize) -> Vec<String> {
    let def_tok = if c.is_fn_name(i) {
        i.saturating_sub(1)
    } else {
        match c.enclosing_fn(i) {
            Some(fx) => c.fns[fx].name_tok.saturating_sub(1),
            None => return Vec::new(),
        }
    };
    let mut indent = c.indent_at(c.toks[def_tok].start);
    let mut k = def_tok;
    while k > 0 {
        k -= 1;
        super::budget::spend(1);
        let line_first = k == 0 || c.toks[k - 1].tok == super::lex::Tok::Newline;
        if !line_first || c.toks[k].tok == super::lex::Tok::Newline {
            continue;
        }
        let ind = c.indent_at(c.toks[k].start);
        if ind >= indent {
            continue;
        }
        if c.toks[k].is_ident("class")
            && let Some(name) = c.ident(k + 1)
        {
            let mut out = vec![name.to_string()];
            if c.is_punct(k + 2, "(")
                && let Some(close) = c.close_of(k + 2)
            {
                out.extend((k + 3..close).filter_map(|j| c.ident(j).map(str::to_string)));
            }
            return out;
        }
        // A decorator line belongs to what follows it.
        if c.is_punct(k, "@") {
            continue;
        }
        indent = ind;
        if ind == 0 {
            break;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner_at(src: &str, lang: Lang, name: &str) -> Option<String> {
        let c = Code::new(src, lang);
        let f = c.fns.iter().position(|f| f.name == name)?;
        fn_owner(&c, f)
    }

    #[test]
    fn owners_by_language() {
        let go = "package a\nfunc (c *Client27) do(ctx context.Context, url string) error {\n\treturn nil\n}\nfunc free(u string) {}\nfunc (s Store[T]) get(k string) {}\n";
        assert_eq!(owner_at(go, Lang::Go, "do").as_deref(), Some("Client27"));
        assert_eq!(owner_at(go, Lang::Go, "free"), None);
        assert_eq!(owner_at(go, Lang::Go, "get").as_deref(), Some("Store"));
        let java = "package a;\npublic final class Client14 {\n  static String get(String p) { return p; }\n  static class Inner { void put(String p) {} }\n}\n";
        assert_eq!(
            owner_at(java, Lang::Java, "get").as_deref(),
            Some("Client14")
        );
        assert_eq!(owner_at(java, Lang::Java, "put").as_deref(), Some("Inner"));
        let cs = "namespace A;\npublic static class Client6 : Base\n{\n    public static Task<string> GetAsync(string path) => Http.GetStringAsync(path);\n}\n";
        assert_eq!(
            owner_at(cs, Lang::CSharp, "GetAsync").as_deref(),
            Some("Client6")
        );
    }

    fn inv_of(c: &Code, name: &str, nth: usize) -> Invocation {
        super::super::frontend::c_invocations(c, name)
            .into_iter()
            .nth(nth)
            .unwrap()
    }

    #[test]
    fn picks_by_receiver_type_class_and_package() {
        let src = "class Svc {\n  Client14 c;\n  HttpClient http;\n  void run() {\n    Client14.get(\"/v3/a\");\n    c.get(\"/v3/b\");\n    other.get(\"/v3/c\");\n    get(\"/v3/d\");\n    http.get(\"/v3/e\");\n  }\n  static String get(String p) { return p; }\n}\n";
        let code = Code::new(src, Lang::Java);
        let members = [10, 11, 12];
        let owners = [
            Some("Client14".to_string()),
            Some("Client6".to_string()),
            Some("Svc".to_string()),
        ];
        let files = [(1, "a"), (2, "a"), (0, "a")];
        let g = Group {
            members: &members,
            owners: &owners,
            files: &files,
        };
        let mut types = HashMap::new();
        let p = |n: usize, types: &mut HashMap<String, Option<String>>| {
            pick(&code, 0, "a", &inv_of(&code, "get", n), &g, types)
        };
        assert_eq!(
            p(0, &mut types),
            (vec![10], true),
            "static call on the class"
        );
        assert_eq!(
            p(1, &mut types),
            (vec![10], true),
            "declared type of the receiver"
        );
        assert_eq!(
            p(2, &mut types),
            (vec![10, 11, 12], false),
            "unknown receiver: all"
        );
        assert_eq!(p(3, &mut types), (vec![12], true), "bare call: own class");
        assert_eq!(p(4, &mut types), (vec![], false), "a library's client");
    }

    #[test]
    fn go_bare_calls_stay_in_their_package() {
        let src = "package a\nfunc run() {\n\tfetch(\"/v3/a\")\n}\n";
        let code = Code::new(src, Lang::Go);
        let members = [0, 1];
        let owners = [None, None];
        let files = [(3, "pkg/a"), (4, "pkg/b")];
        let g = Group {
            members: &members,
            owners: &owners,
            files: &files,
        };
        let inv = inv_of(&code, "fetch", 0);
        let mut types = HashMap::new();
        assert_eq!(
            pick(&code, 9, "pkg/b", &inv, &g, &mut types),
            (vec![1], true)
        );
        assert_eq!(
            pick(&code, 9, "pkg/c", &inv, &g, &mut types),
            (vec![0, 1], false)
        );
    }
}
