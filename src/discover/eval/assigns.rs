//! Finding a file's assignments, per language: Python and the brace languages (declarations,
//! fields, loops over literal lists, factory configuration objects), PowerShell (hashtables
//! included), and shell with Makefiles and Dockerfiles.

use super::super::code::Code;
use super::super::lex::{Lang, Tok};
use super::super::value::Value;
use super::{Assign, normalise_name};

const DECL_KEYWORDS: &[&str] = &[
    "const",
    "let",
    "var",
    "val",
    "final",
    "static",
    "readonly",
    "public",
    "private",
    "protected",
    "internal",
    "export",
    "global",
    "nonlocal",
    "declare",
    "override",
    "volatile",
    "transient",
    "new",
    "my",
    "local",
    "set",
    "Set-Variable",
];

/// Assignments of Python and the brace languages.
pub(super) fn brace_assigns(code: &Code) -> Vec<Assign> {
    let mut out = Vec::new();
    let n = code.len();
    for i in 0..n {
        let op = match code.tok(i) {
            Some(Tok::Punct(p @ ("=" | ":=" | "+=" | "??=" | "||="))) => *p,
            _ => continue,
        };
        // The innermost bracket must not be a call's parentheses (keyword arguments) unless
        // it is a Go `const (`/`var (` group.
        let mut in_go_group = false;
        if let Some(open) = innermost_open(code, i) {
            let kind = &code.toks[open].tok;
            let go_group = code.lang == Lang::Go
                && matches!(kind, Tok::Punct("("))
                && open > 0
                && matches!(code.ident(open - 1), Some("const" | "var"));
            // C#/JS expression lambdas assign inside calls:
            // `AddHttpClient("isc", c => c.BaseAddress = new Uri(...))`.
            let lambda_body = matches!(code.lang, Lang::CSharp | Lang::Js)
                && lhs_chain(code, i)
                    .and_then(|(_, _, b)| b)
                    .is_some_and(|b| code.is_punct(b, "=>"));
            if matches!(kind, Tok::Punct("(" | "[")) && !go_group && !lambda_body {
                continue;
            }
            in_go_group = go_group;
            if code.lang == Lang::Python && matches!(kind, Tok::Punct("{")) {
                continue;
            }
        }
        // The left-hand side: an identifier chain ending right before `=`, possibly with a
        // `: Type` annotation (TS, Python) or a Go type (`var x string =`).
        let Some((mut name, mut name_tok, mut before)) = lhs_chain(code, i) else {
            continue;
        };
        // Go `u, err := url.JoinPath(...)`: the value goes to the first name.
        if code.lang == Lang::Go {
            while let Some(b) = before
                && code.is_punct(b, ",")
                && b > 0
                && let Some(first) = code.ident(b - 1)
            {
                name = first.to_string();
                name_tok = b - 1;
                before = (b - 1).checked_sub(1);
            }
            if name == "_" {
                continue;
            }
        }
        if !in_go_group && !statement_start(code, before) {
            continue;
        }
        // A line break right after `=` continues the statement (`const url =` / the value on
        // the next line).
        let rhs_start = code.skip_newlines(i + 1, code.len());
        let mut rhs_end = code.expr_end(rhs_start);
        if code.lang == Lang::Go {
            // Go groups have no newline tokens: end at the next `NAME =` of the group.
            let mut k = rhs_start + 1;
            while k + 1 < rhs_end {
                if code.ident(k).is_some()
                    && code.is_punct(k + 1, "=")
                    && code.depth[k] == code.depth[i]
                {
                    rhs_end = k;
                    break;
                }
                k += 1;
            }
        }
        let func = code.enclosing_fn(i);
        let nesting = code.nesting(name_tok);
        // Object literals: `NAME = { key: "v", ... }` also assigns `NAME.key`.
        if code.is_punct(rhs_start, "{")
            || code.is_punct(rhs_start, "@") && code.is_punct(rhs_start + 1, "{")
        {
            let open = if code.is_punct(rhs_start, "{") {
                rhs_start
            } else {
                rhs_start + 1
            };
            object_entries(code, open, &name, func, nesting, &mut out);
        }
        // A factory or constructor given a configuration object —
        // `axios.create({ baseURL })`, `new Client({ baseUrl })` — assigns its entries too
        // (`NAME.baseURL`), so clients made in one file are understood in another.
        if code.lang == Lang::Js
            && let Some(open) = config_arg(code, rhs_start, rhs_end)
        {
            object_entries(code, open, &name, func, nesting, &mut out);
        }
        // .NET `AddHttpClient<IscClient>(c => c.BaseAddress = ...)` /
        // `AddHttpClient("isc", ...)`: also `IscClient.BaseAddress` / `isc.BaseAddress`, so
        // the typed or named client finds its own base address.
        if code.lang == Lang::CSharp
            && name.ends_with("BaseAddress")
            && let Some(key) = http_client_registration(code, i)
        {
            out.push(Assign {
                name: format!("{key}.BaseAddress"),
                tok: name_tok,
                rhs: (rhs_start, rhs_end),
                append: false,
                func,
                nesting,
                fixed: None,
            });
        }
        // `dict(key=...)` / `Config(base=...)`: entries too.
        out.push(Assign {
            name,
            tok: name_tok,
            rhs: (rhs_start, rhs_end),
            append: op == "+=",
            func,
            nesting,
            fixed: None,
        });
        let _ = op;
    }
    // Python classes: `class C:` attributes are module-level names too (C.NAME and NAME).
    if code.lang == Lang::Js {
        iteration_assigns(code, &mut out);
    }
    out
}

/// JS loops over a literal list of strings bind their variable to each element:
/// `for (const p of ['/v3/sources', '/v3/roles'])`, `for (const p of PATHS)`,
/// `PATHS.forEach((p) => ...)`, `PATHS.map(async p => ...)`.
fn iteration_assigns(code: &Code, out: &mut Vec<Assign>) {
    // The elements of an array literal at `open` when they are all plain strings.
    let strings = |open: usize| -> Option<Value> {
        let mut v = Value::default();
        for (a, b) in code.args(open) {
            let a = code.skip_newlines(a, b);
            match code.tok(a) {
                Some(Tok::Str(s)) if a + 1 == b || code.toks[a + 1].tok == Tok::Newline => {
                    v = v.union(&Value::lit(s.plain()?));
                }
                _ => return None,
            }
        }
        (!v.is_empty()).then_some(v)
    };
    // The list named by the expression at `a` (an array literal or a name assigned one).
    let list = |a: usize, out: &Vec<Assign>| -> Option<Value> {
        if code.is_punct(a, "[") {
            return strings(a);
        }
        let name = code.ident(a)?;
        let assigned = out
            .iter()
            .rfind(|x| x.name == name && x.fixed.is_none() && code.is_punct(x.rhs.0, "["))?;
        strings(assigned.rhs.0)
    };
    let n = code.len();
    let mut found = Vec::new();
    for i in 0..n {
        // `for ( [const|let|var] NAME of EXPR )`
        if code.ident(i) == Some("for") && code.is_punct(i + 1, "(") {
            let mut k = i + 2;
            if matches!(code.ident(k), Some("const" | "let" | "var")) {
                k += 1;
            }
            if let Some(var) = code.ident(k)
                && code.ident(k + 1) == Some("of")
                && let Some(v) = list(k + 2, out)
            {
                found.push((var.to_string(), k, v));
            }
        }
        // `EXPR.forEach((NAME) =>`, `EXPR.map(async NAME =>`
        if matches!(code.ident(i), Some("forEach" | "map" | "flatMap"))
            && i >= 2
            && code.is_punct(i - 1, ".")
            && code.is_punct(i + 1, "(")
        {
            let mut k = i + 2;
            if code.ident(k) == Some("async") {
                k += 1;
            }
            let var = if code.is_punct(k, "(") {
                code.ident(k + 1)
            } else {
                code.ident(k)
            };
            let start = if code.is_punct(i - 2, "]") {
                code.close_of(i - 2)
            } else if code.ident(i - 2).is_some() && !code.is_punct(i.saturating_sub(3), ".") {
                Some(i - 2)
            } else {
                None
            };
            if let (Some(var), Some(start)) = (var, start)
                && let Some(v) = list(start, out)
            {
                found.push((var.to_string(), k, v));
            }
        }
    }
    for (name, tok, v) in found {
        out.push(Assign {
            name,
            tok,
            rhs: (tok, tok + 1),
            append: false,
            func: code.enclosing_fn(tok),
            nesting: code.nesting(tok),
            fixed: Some(v),
        });
    }
}

/// Entries of an object/dict literal at `open` as `prefix.key` assignments (nested too).
fn object_entries(
    code: &Code,
    open: usize,
    prefix: &str,
    func: Option<usize>,
    nesting: usize,
    out: &mut Vec<Assign>,
) {
    for (a, b) in code.args(open) {
        let a = code.skip_newlines(a, b);
        let key = match code.tok(a) {
            Some(Tok::Ident(k)) => k.to_string(),
            Some(Tok::Str(s)) => match s.plain() {
                Some(k) => k,
                None => continue,
            },
            _ => continue,
        };
        let mut e = b;
        while e > a && code.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        // Shorthand `{ baseURL, headers }`: the value is the name itself (JS).
        if code.lang == Lang::Js && e == a + 1 && matches!(code.tok(a), Some(Tok::Ident(_))) {
            out.push(Assign {
                name: format!("{prefix}.{key}"),
                tok: a,
                rhs: (a, a + 1),
                append: false,
                func,
                nesting,
                fixed: None,
            });
            continue;
        }
        if !(code.is_punct(a + 1, ":") || code.is_punct(a + 1, "=")) {
            continue;
        }
        let name = format!("{prefix}.{key}");
        if code.is_punct(a + 2, "{") {
            object_entries(code, a + 2, &name, func, nesting, out);
            continue;
        }
        out.push(Assign {
            name,
            tok: a,
            rhs: (a + 2, b),
            append: false,
            func,
            nesting,
            fixed: None,
        });
    }
}

/// `[await] [new] a.b(` `{` … — the `{` of a call's first argument when the call is the whole
/// right-hand side `[a, b)`.
fn config_arg(code: &Code, a: usize, b: usize) -> Option<usize> {
    let mut k = a;
    while matches!(code.ident(k), Some("await" | "new")) {
        k += 1;
    }
    code.ident(k)?;
    while code.is_punct(k + 1, ".") && code.ident(k + 2).is_some() {
        k += 2;
    }
    let open = code.call_paren(k)?;
    let close = code.close_of(open)?;
    let first = code.skip_newlines(open + 1, close);
    (close + 1 == b && code.is_punct(first, "{")).then_some(first)
}

/// The client an `AddHttpClient<T>(...)` / `AddHttpClient("name", ...)` call around token `i`
/// registers: `T` or `name`.
fn http_client_registration(code: &Code, i: usize) -> Option<String> {
    let mut at = i;
    for _ in 0..4 {
        let open = innermost_open(code, at)?;
        if code.is_punct(open, "(") {
            // `AddHttpClient<T>(` or `AddHttpClient(`.
            let mut k = open.checked_sub(1)?;
            let mut generic = None;
            if code.is_punct(k, ">") {
                let lt = (k.saturating_sub(8)..k)
                    .rev()
                    .find(|&j| code.is_punct(j, "<"))?;
                generic = code.ident(lt + 1).map(str::to_string);
                k = lt.checked_sub(1)?;
            }
            if code.ident(k) == Some("AddHttpClient") {
                if let Some(g) = generic {
                    return Some(g);
                }
                let (a, _) = *code.args(open).first()?;
                return match code.tok(a) {
                    Some(Tok::Str(s)) => s.plain(),
                    _ => None,
                };
            }
        }
        at = open;
    }
    None
}

fn innermost_open(code: &Code, i: usize) -> Option<usize> {
    match code.parent[i] {
        u32::MAX => None,
        p => Some(p as usize),
    }
}

/// `a.b.c` / `a["k"]` / `self.x` ending right before token `eq` (skipping a type annotation).
/// Returns the name, the token of its first part, and the index of the token before it.
fn lhs_chain(code: &Code, eq: usize) -> Option<(String, usize, Option<usize>)> {
    let mut end = eq; // exclusive
    // Skip `: Type` (TS/Python) — a colon between the name and `=`.
    if let Some(colon) = (eq.saturating_sub(8)..eq)
        .rev()
        .find(|&k| code.is_punct(k, ":"))
        && code.ident(colon.wrapping_sub(1)).is_some()
        && (colon + 1..eq).all(|k| {
            matches!(
                code.tok(k),
                Some(Tok::Ident(_))
                    | Some(Tok::Punct("." | "|" | "<" | ">" | "[" | "]" | "?" | ","))
            )
        })
    {
        end = colon;
    }
    // Go `var x string =` / `var x *T =`: the name is right after `var`.
    if code.lang == Lang::Go
        && end >= 2
        && code.ident(end - 1).is_some()
        && code.ident(end - 2).is_some()
        && matches!(code.ident(end.saturating_sub(3)), Some("var" | "const"))
    {
        end -= 1;
    }
    let mut k = end;
    let mut parts: Vec<String> = Vec::new();
    loop {
        if k == 0 {
            break;
        }
        match code.tok(k - 1) {
            Some(Tok::Ident(id)) => {
                parts.push(id.to_string());
                k -= 1;
                if k > 0 && (code.is_punct(k - 1, ".") || code.is_punct(k - 1, "?.")) {
                    k -= 1;
                    continue;
                }
                break;
            }
            Some(Tok::Punct("]")) => {
                let open = code.close_of(k - 1)?;
                match code.tok(open + 1) {
                    Some(Tok::Str(s)) if open + 2 == k - 1 => parts.push(s.plain()?),
                    _ => return None,
                }
                k = open;
            }
            _ => break,
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    let before = k.checked_sub(1);
    Some((parts.join("."), k, before))
}

/// Whether the token before an assignment's left-hand side starts a statement (or is a
/// declaration keyword or a type name).
fn statement_start(code: &Code, before: Option<usize>) -> bool {
    let Some(b) = before else { return true };
    match code.tok(b) {
        Some(Tok::Newline) | Some(Tok::Punct(";" | "{" | "}" | ")" | "(" | "=>")) => true,
        Some(Tok::Ident(w)) => {
            DECL_KEYWORDS.contains(&w.as_str())
                || matches!(code.lang, Lang::Java | Lang::CSharp | Lang::Go)
                    && !matches!(
                        w.as_str(),
                        "return" | "if" | "while" | "and" | "or" | "not" | "in"
                    )
        }
        Some(Tok::Punct(">" | "]" | "?")) => matches!(code.lang, Lang::Java | Lang::CSharp),
        _ => false,
    }
}

/// PowerShell: `$name = expr`, `[type]$name = expr`, `$name += expr`, `Set-Variable`.
pub(super) fn powershell_assigns(code: &Code) -> Vec<Assign> {
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(Tok::Var(v)) = code.tok(i) else {
            continue;
        };
        let mut j = i + 1;
        let mut name = normalise_name(v);
        // `$cfg.BaseUrl = ...`
        while code.is_punct(j, ".") && code.ident(j + 1).is_some() {
            name.push('.');
            name.push_str(code.ident(j + 1).unwrap_or_default());
            j += 2;
        }
        let append = code.is_punct(j, "+=");
        if !(code.is_punct(j, "=") || append) {
            continue;
        }
        let start = j + 1;
        let end = code.expr_end(start);
        let func = code.enclosing_fn(i);
        let nesting = code.nesting(i);
        if code.is_punct(start, "@") && code.is_punct(start + 1, "{") {
            ps_hashtable(code, start + 1, &name, func, nesting, &mut out);
        }
        out.push(Assign {
            name,
            tok: i,
            rhs: (start, end),
            append,
            func,
            nesting,
            fixed: None,
        });
    }
    out
}

/// `@{ Key = value; Other = value }` entries as `name.Key`.
fn ps_hashtable(
    code: &Code,
    open: usize,
    prefix: &str,
    func: Option<usize>,
    nesting: usize,
    out: &mut Vec<Assign>,
) {
    for (key, k, rhs) in ps_hashtable_entries(code, open) {
        out.push(Assign {
            name: format!("{prefix}.{key}"),
            tok: k,
            rhs,
            append: false,
            func,
            nesting,
            fixed: None,
        });
    }
}

/// The entries of the PowerShell hashtable whose `{` is at `open` (`@{ Key = value; 'K2' =
/// value }`): key, the key's token, the value's token range.
pub fn ps_hashtable_entries(code: &Code, open: usize) -> Vec<(String, usize, (usize, usize))> {
    let mut out = Vec::new();
    let Some(close) = code.close_of(open) else {
        return out;
    };
    let mut k = open + 1;
    while k < close {
        let key = match code.tok(k) {
            Some(Tok::Ident(s)) => Some(s.to_string()),
            Some(Tok::Str(s)) => s.plain(),
            _ => None,
        };
        if let Some(key) = key
            && code.is_punct(k + 1, "=")
        {
            let start = k + 2;
            let mut end = start;
            while end < close && !code.is_punct(end, ";") && code.tok(end) != Some(&Tok::Newline) {
                end = code
                    .close_of(end)
                    .filter(|&c| c > end)
                    .map_or(end + 1, |c| c + 1);
            }
            out.push((key, k, (start, end)));
            k = end;
            continue;
        }
        k += 1;
    }
    out
}

/// Shell: `NAME=value`, `export NAME=value`, `readonly NAME=value` (no spaces around `=`).
pub(super) fn shell_assigns(code: &Code) -> Vec<Assign> {
    let mut out = Vec::new();
    for i in 0..code.len() {
        let Some(name) = code.ident(i) else { continue };
        if let Some(a) = make_or_docker_assign(code, i, name) {
            out.push(a);
            continue;
        }
        if !code.is_punct(i + 1, "=") {
            continue;
        }
        // No space between NAME and `=` and `=` and the value.
        let t = &code.toks;
        if t[i].end != t[i + 1].start {
            continue;
        }
        let before_ok = i == 0
            || matches!(
                code.tok(i - 1),
                Some(Tok::Newline) | Some(Tok::Punct(";" | "&&" | "||" | "{"))
            )
            || matches!(
                code.ident(i - 1),
                Some("export" | "readonly" | "local" | "declare" | "ENV" | "ARG")
            );
        if !before_ok {
            continue;
        }
        let start = i + 2;
        // The value: adjacent tokens (no whitespace gap) after `=`.
        let mut end = start;
        while end < code.len()
            && (end == start || t[end].start == t[end - 1].end)
            && code.tok(end) != Some(&Tok::Newline)
        {
            end += 1;
        }
        if end == start || t.get(start).is_some_and(|s| s.start != t[i + 1].end) {
            continue;
        }
        out.push(Assign {
            name: name.to_string(),
            tok: i,
            rhs: (start, end),
            append: false,
            func: code.enclosing_fn(i),
            nesting: code.nesting(i),
            fixed: None,
        });
    }
    out
}

/// Makefile `NAME = value` / `NAME := value` / `NAME ?= value` / `NAME += value` (spaces
/// allowed, the value is the rest of the line) and Dockerfile `ENV NAME value`. In a shell
/// script `NAME = value` would run a command `NAME`, so the forms do not collide.
fn make_or_docker_assign(code: &Code, i: usize, name: &str) -> Option<Assign> {
    let t = &code.toks;
    let line_start = i == 0 || matches!(code.tok(i - 1), Some(Tok::Newline));
    let after_env = i >= 1
        && code.ident(i - 1) == Some("ENV")
        && (i == 1 || matches!(code.tok(i - 2), Some(Tok::Newline)));
    let (start, append) = if after_env {
        // `ENV NAME value` (not `ENV NAME=value`, the shell form).
        if code.is_punct(i + 1, "=") || i + 1 >= code.len() || t[i].end == t[i + 1].start {
            return None;
        }
        (i + 1, false)
    } else if line_start && !name.starts_with('-') {
        let (op_end, append) = if code.is_punct(i + 1, ":=") || code.is_punct(i + 1, "=") {
            (i + 2, false)
        } else if code.is_punct(i + 1, "+=") {
            (i + 2, true)
        } else if (code.is_punct(i + 1, "?") || code.is_punct(i + 1, ":"))
            && code.is_punct(i + 2, "=")
            && t[i + 1].end == t[i + 2].start
        {
            (i + 3, false)
        } else {
            return None;
        };
        // Spaces around the operator: the Makefile form (`NAME=value` is the shell one).
        if t[i].end == t[i + 1].start && code.is_punct(i + 1, "=") {
            return None;
        }
        (op_end, append)
    } else {
        return None;
    };
    let mut end = start;
    while end < code.len() && code.tok(end) != Some(&Tok::Newline) {
        end += 1;
    }
    if end == start {
        return None;
    }
    Some(Assign {
        name: name.to_string(),
        tok: i,
        rhs: (start, end),
        append,
        func: code.enclosing_fn(i),
        nesting: code.nesting(i),
        fixed: None,
    })
}
