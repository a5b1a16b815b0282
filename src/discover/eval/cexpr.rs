//! Evaluating expressions of Python and the brace languages: concatenation, f-strings and
//! template literals, `format`/`%`/`Sprintf`/`String.format`, URL joins, string methods,
//! environment lookups, ternaries and defaults, and small URL helpers inlined.

use super::super::code::Code;
use super::super::lex::{Lang, StrLit, StrPart, Tok};
use super::super::value::{Value, join_path};
use super::formatting::{brace_format, printf, replace_lit};
use super::{Bindings, Env};
use std::collections::HashMap;

/// The hole for a part of an expression nested deeper than [`super::super::budget::MAX_DEPTH`].
pub const TOO_DEEP: &str = "…(nested too deep)";

/// The expression evaluator for Python and the brace languages.
pub(super) struct CExpr<'a, 'c> {
    pub(super) env: &'a Env<'c>,
    pub(super) at: usize,
}

/// How an evaluator resolves a name (a variable, `x.y` chain) to its value.
pub type Resolver<'r> = &'r dyn Fn(&str) -> Value;

/// `x + y + …`: the pieces of `[a, b)` between the `+` tokens among `top` (its top-level
/// tokens), each evaluated by `piece`, concatenated; `None` when there is no `+`.
pub fn concat_on_plus(
    c: &Code,
    top: &[usize],
    (a, b): (usize, usize),
    mut piece: impl FnMut(usize, usize) -> Value,
) -> Option<Value> {
    let mut plus = top
        .iter()
        .copied()
        .filter(|&k| c.is_punct(k, "+"))
        .peekable();
    plus.peek()?;
    let mut v = Value::default();
    let mut s = a;
    for p in plus.chain(std::iter::once(b)) {
        v.append(&piece(s, p));
        s = p + 1;
    }
    Some(v)
}

impl CExpr<'_, '_> {
    pub(super) fn expr(&self, a: usize, b: usize) -> Value {
        let env = self.env;
        let at = self.at;
        self.expr_with(a, b, &|name| {
            env.builtin_name(name)
                .unwrap_or_else(|| env.lookup(name, at))
        })
    }

    fn code(&self) -> &Code<'_> {
        self.env.code
    }

    pub(super) fn expr_with(&self, a: usize, b: usize, names: Resolver) -> Value {
        // Parentheses inside parentheses, thousands deep: past the limit, unknown.
        let Some(_level) = super::super::budget::deeper() else {
            return Value::hole(TOO_DEEP);
        };
        let c = self.code();
        let top = c.top_level(a, b);
        // Python `x if cond else y`; JS/C `cond ? x : y`; `a or b`, `a || b`, `a ?? b`: the
        // union of the alternatives. A chain of them (`a || b || c …`, `c1 ? x : c2 ? y : z`)
        // is read left to right in one pass over the top-level tokens, each alternative
        // evaluated once.
        let at = |pred: &dyn Fn(usize) -> bool| -> Vec<usize> {
            top.iter().copied().filter(|&k| pred(k)).collect()
        };
        let ifs = if c.lang == Lang::Python {
            at(&|k| c.toks[k].is_ident("if"))
        } else {
            Vec::new()
        };
        let elses = if c.lang == Lang::Python {
            at(&|k| c.toks[k].is_ident("else"))
        } else {
            Vec::new()
        };
        let questions = at(&|k| c.is_punct(k, "?"));
        let colons = at(&|k| c.is_punct(k, ":"));
        let ors = at(&|k| c.is_punct(k, "||") || c.is_punct(k, "??") || c.toks[k].is_ident("or"));
        let first = |list: &[usize], from: usize| -> Option<usize> {
            list.get(list.partition_point(|&k| k < from)).copied()
        };
        let mut alternatives = Value::default();
        let mut a = a;
        loop {
            a = c.skip_newlines(a, b);
            // Strip `await`, `new` on the whole, `return`.
            while a < b && matches!(c.ident(a), Some("await" | "return" | "yield")) {
                a = c.skip_newlines(a + 1, b);
            }
            if a >= b {
                return alternatives;
            }
            super::super::budget::spend(1);
            if let (Some(i), Some(e)) = (first(&ifs, a), first(&elses, a))
                && i < e
            {
                alternatives = alternatives.union(&self.expr_with(a, i, names));
                a = e + 1;
                continue;
            }
            if let Some(q) = first(&questions, a)
                && let Some(col) = first(&colons, q + 1)
            {
                alternatives = alternatives.union(&self.expr_with(q + 1, col, names));
                a = col + 1;
                continue;
            }
            if let Some(o) = first(&ors, a) {
                alternatives = alternatives.union(&self.expr_with(a, o, names));
                a = o + 1;
                continue;
            }
            let rest = &top[top.partition_point(|&k| k < a)..];
            return alternatives.union(&self.operation(a, b, rest, names));
        }
    }

    /// `[a, b)` without alternatives: concatenation, Python's `%`, or a primary.
    fn operation(&self, a: usize, b: usize, top: &[usize], names: Resolver) -> Value {
        let c = self.code();
        // Concatenation.
        if let Some(v) = concat_on_plus(c, top, (a, b), |s, e| self.expr_with(s, e, names)) {
            return v;
        }
        // Python `"fmt" % args`.
        if c.lang == Lang::Python
            && let Some(pc) = top.iter().copied().find(|&k| c.is_punct(k, "%"))
        {
            let fmt = self.expr_with(a, pc, names);
            let args = if c.is_punct(pc + 1, "(") && c.close_of(pc + 1) == Some(b - 1) {
                c.args(pc + 1)
                    .into_iter()
                    .map(|r| self.expr_with(r.0, r.1, names))
                    .collect()
            } else {
                vec![self.expr_with(pc + 1, b, names)]
            };
            return printf(&fmt, &args);
        }
        self.postfix(a, b, names)
    }

    /// A primary with its postfix chain: names, calls, attribute access, indexing.
    fn postfix(&self, a: usize, b: usize, names: Resolver) -> Value {
        let c = self.code();
        let mut i = a;
        // `new X(...)`
        let is_new = c.toks[i].is_ident("new");
        if is_new {
            i += 1;
        }
        let mut chain: Vec<String> = Vec::new();
        let mut value: Option<Value> = None;
        match c.tok(i) {
            Some(Tok::Str(s)) => {
                value = Some(self.string_with(s, names));
                i += 1;
            }
            Some(Tok::Num) => {
                value = Some(Value::lit(&c.src[c.toks[i].start..c.toks[i].end]));
                i += 1;
            }
            Some(Tok::Punct("(")) => {
                let close = c.close_of(i).unwrap_or(b);
                value = Some(self.expr_with(i + 1, close, names));
                i = close + 1;
            }
            Some(Tok::Ident(id)) => {
                chain.push(id.to_string());
                i += 1;
            }
            Some(Tok::Punct("@" | "$")) if c.lang == Lang::CSharp => {
                return self.postfix(a + 1, b, names);
            }
            _ => return Value::default(),
        }
        // Postfix loop.
        while i < b {
            // Chains continue on the next line (`.path(..)\n.build()`).
            if c.toks[i].tok == Tok::Newline {
                let j = c.skip_newlines(i, b);
                if j < b && (c.is_punct(j, ".") || c.is_punct(j, "?.")) {
                    i = j;
                    continue;
                }
                break;
            }
            if c.is_punct(i, ".") || c.is_punct(i, "?.") || c.is_punct(i, "::") {
                if let Some(id) = c.ident(i + 1) {
                    if value.is_some() {
                        // A method on a value: `.format(...)`, `.rstrip('/')`.
                        let m = id.to_string();
                        if c.is_punct(i + 2, "(") {
                            let close = c.close_of(i + 2).unwrap_or(b);
                            let args: Vec<(usize, usize)> = c.args(i + 2);
                            value = Some(self.method_call(
                                value.take().unwrap_or_default(),
                                &m,
                                &args,
                                names,
                            ));
                            i = close + 1;
                            continue;
                        }
                        value = Some(Value::hole(m));
                        i += 2;
                        continue;
                    }
                    chain.push(id.to_string());
                    i += 2;
                    continue;
                }
                break;
            }
            if c.is_punct(i, "[") {
                let close = c.close_of(i).unwrap_or(b);
                // `os.environ["X"]`, `config["base_url"]`.
                let key = match c.tok(i + 1) {
                    Some(Tok::Str(s)) if i + 2 == close => s.plain(),
                    _ => None,
                };
                match key {
                    Some(k) if value.is_none() => {
                        let base = chain.join(".");
                        if matches!(
                            base.as_str(),
                            "os.environ" | "environ" | "process.env" | "ENV"
                        ) {
                            value = Some(self.env.env_value(&k));
                        } else {
                            chain.push(k);
                        }
                    }
                    _ => {
                        value = Some(Value::hole(format!("{}[]", chain.join("."))));
                    }
                }
                i = close + 1;
                continue;
            }
            if c.is_punct(i, "(") {
                let close = c.close_of(i).unwrap_or(b);
                let args = c.args(i);
                let name = chain.join(".");
                value = Some(match value.take() {
                    Some(v) => v,
                    None => match self.string_method_on_name(&chain, &args, is_new, names) {
                        Some(v) => v,
                        None => self.call(&name, &args, is_new, names),
                    },
                });
                chain.clear();
                i = close + 1;
                continue;
            }
            if c.is_punct(i, "!") || c.is_punct(i, "<") && c.lang != Lang::Python {
                // TS non-null `x!`, generics `f<T>(...)`: skip.
                if c.is_punct(i, "<") {
                    let mut k = i;
                    while k < b && !c.is_punct(k, ">") {
                        k += 1;
                    }
                    i = k + 1;
                } else {
                    i += 1;
                }
                continue;
            }
            break;
        }
        if i < b && !c.toks[i].is_ident("as") {
            // Something we do not understand follows (an operator we do not model).
            if value.is_none() && chain.is_empty() {
                return Value::default();
            }
        }
        if let Some(v) = value {
            return v;
        }
        if chain.is_empty() {
            return Value::default();
        }
        let name = chain.join(".");
        match name.as_str() {
            "None" | "null" | "undefined" | "nil" | "True" | "False" | "true" | "false" => {
                Value::default()
            }
            _ => names(&name),
        }
    }

    fn string_with(&self, s: &StrLit, names: Resolver) -> Value {
        let mut v = Value::lit("");
        for p in &s.parts {
            match p {
                StrPart::Lit(l) => v.append(&Value::lit(l.clone())),
                StrPart::Expr(e, _) => {
                    let t = e.trim();
                    let part = if !t.is_empty()
                        && t.chars()
                            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
                    {
                        names(t)
                    } else if let Some(_level) =
                        super::super::budget::deeper_by(super::super::budget::TEXT_LEVEL)
                    {
                        let sub = Code::new(t, self.code().lang);
                        let inner = Env::with_bindings(&sub, Bindings::none(), self.env.project);
                        let v = CExpr { env: &inner, at: 0 }.expr_with(0, sub.len(), names);
                        if v.is_empty() {
                            Value::hole(t.to_string())
                        } else {
                            v
                        }
                    } else {
                        Value::hole(TOO_DEEP)
                    };
                    v.append(&if part.is_empty() {
                        Value::hole(t.to_string())
                    } else {
                        part
                    });
                }
            }
        }
        v
    }

    /// `verb.toUpperCase()`, `base.replace(/\/$/, '')`, `tpl.format(id=x)`: a string method
    /// called on a name. Case and trim methods keep whatever the name holds (a parameter
    /// stays a parameter); the others apply only to a name with a known string value
    /// (`path.join(...)` and `util.format(...)` are functions of modules).
    fn string_method_on_name(
        &self,
        chain: &[String],
        args: &[(usize, usize)],
        is_new: bool,
        names: Resolver,
    ) -> Option<Value> {
        let [recv @ .., m] = chain else { return None };
        if recv.is_empty() || is_new {
            return None;
        }
        let identity = matches!(
            m.as_str(),
            "toUpperCase"
                | "toLowerCase"
                | "toLocaleUpperCase"
                | "toLocaleLowerCase"
                | "trim"
                | "trimStart"
                | "trimEnd"
                | "upper"
                | "lower"
                | "strip"
                | "ToUpper"
                | "ToLower"
                | "ToUpperInvariant"
                | "ToLowerInvariant"
        );
        let on_literal = matches!(
            m.as_str(),
            "replace" | "replaceAll" | "concat" | "format" | "rstrip" | "removesuffix"
        );
        if !identity && !on_literal {
            return None;
        }
        let v = names(&recv.join("."));
        let literal = v
            .cands
            .iter()
            .flatten()
            .any(|p| matches!(p, super::super::value::Piece::Lit(l) if !l.is_empty()));
        if v.is_empty() || on_literal && !literal {
            return None;
        }
        Some(self.method_call(v, m, args, names))
    }

    /// Methods on string values.
    fn method_call(&self, recv: Value, m: &str, args: &[(usize, usize)], names: Resolver) -> Value {
        let arg = |k: usize| {
            args.get(k)
                .map(|r| self.expr_with(r.0, r.1, names))
                .unwrap_or_default()
        };
        match m {
            "format" => {
                // Python `"{}/v3/{id}".format(base, id=x)` and `{0}` indexes.
                let mut pos = Vec::new();
                let mut named = HashMap::new();
                for r in args {
                    match self.code().named_arg(*r) {
                        Some((n, vr)) if self.code().is_punct(r.0 + 1, "=") => {
                            named.insert(n.to_string(), self.expr_with(vr.0, vr.1, names));
                        }
                        _ => pos.push(self.expr_with(r.0, r.1, names)),
                    }
                }
                // Kotlin `"%s/v3/sources".format(base)` is printf-style.
                let printf_style = !matches!(self.code().lang, Lang::Python)
                    && recv.cands.iter().flatten().any(|p| {
                        matches!(p, super::super::value::Piece::Lit(l) if l.contains("%s") || l.contains("%d"))
                    });
                if printf_style {
                    printf(&recv, &pos)
                } else {
                    brace_format(&recv, &pos, &named)
                }
            }
            // JAX-RS `client.target(url)`: a new target.
            "target" if args.len() == 1 => arg(0),
            // `new StringBuilder(base).append("/v3/").append(id)`.
            "append" | "Append" => {
                let mut v = recv;
                for k in 0..args.len() {
                    v.append(&arg(k));
                }
                v
            }
            "rstrip" | "TrimEnd" | "trimEnd" | "trimRight" | "removesuffix" => {
                recv.trim_end_slash()
            }
            "strip" | "lstrip" | "trim" | "Trim" | "trimStart" | "TrimStart" | "toString"
            | "ToString" | "lower" | "upper" | "toLowerCase" | "toUpperCase" | "ToLower"
            | "ToUpper" | "ToLowerInvariant" | "encode" | "decode" | "String" | "string"
            | "str" | "valueOf" | "intern" => recv,
            "concat" | "Concat" => {
                let mut v = recv;
                for k in 0..args.len() {
                    v.append(&arg(k));
                }
                v
            }
            "replace" | "Replace" | "replaceAll" => {
                // Replacing a placeholder with an argument: `url.replace("{id}", id)`.
                match (arg(0).as_literal(), arg(1)) {
                    (Some(from), to) => replace_lit(&recv, &from, &to),
                    _ => recv,
                }
            }
            // URL builders (Java `UriComponentsBuilder`, OkHttp `HttpUrl.Builder`, Go
            // `url.URL`, .NET `UriBuilder`): path steps join, the rest keeps the URL.
            "path" | "pathSegment" | "addPathSegment" | "addPathSegments" | "appendPath"
            | "AppendPathSegment" | "AppendPathSegments" | "ResolveReference" | "setPath"
            | "appendPathSegments" => {
                let mut v = recv;
                for k in 0..args.len() {
                    v = join_path(&v, &arg(k));
                }
                v
            }
            "build"
            | "buildAndExpand"
            | "toUri"
            | "toUriString"
            | "toURI"
            | "toURL"
            | "toExternalForm"
            | "newBuilder"
            | "queryParam"
            | "queryParams"
            | "addQueryParameter"
            | "addEncodedQueryParameter"
            | "setQueryParameter"
            | "expand"
            | "toHttpUrl"
            | "toHttpUrlOrNull"
            | "normalize"
            | "AbsoluteUri"
            | "SetQueryParam"
            | "SetQueryParams"
            | "WithHeader"
            | "WithHeaders"
            | "WithOAuthBearerToken"
            | "WithBasicAuth"
            | "AllowHttpStatus"
            | "AllowAnyHttpStatus"
            | "WithTimeout"
            | "WithAutoRedirect"
            | "WithCookie"
            | "WithCookies"
            | "WithSettings"
            | "ToUri"
            | "setParameter"
            | "addParameter"
            | "setParameters"
            | "addParameters"
            | "setCustomQuery" => recv,
            "join" | "joinpath" | "resolve" | "JoinPath" => {
                let mut v = recv;
                for k in 0..args.len() {
                    v = join_path(&v, &arg(k));
                }
                v
            }
            "get" | "getenv" | "Get" | "GetValue" | "getProperty" | "getOrDefault" => {
                // `os.environ.get("X", "default")` handled by `call`; `dict.get` on a value is
                // unknown.
                Value::hole(m.to_string())
            }
            _ => Value::hole(m.to_string()),
        }
    }

    /// Free or qualified function calls.
    fn call(&self, name: &str, args: &[(usize, usize)], is_new: bool, names: Resolver) -> Value {
        let arg = |k: usize| {
            args.get(k)
                .map(|r| self.expr_with(r.0, r.1, names))
                .unwrap_or_default()
        };
        let lit_arg = |k: usize| arg(k).as_literal();
        let last = name.rsplit('.').next().unwrap_or(name);
        match name {
            // Environment.
            "os.getenv"
            | "os.environ.get"
            | "environ.get"
            | "getenv"
            | "os.Getenv"
            | "System.getenv"
            | "Environment.GetEnvironmentVariable"
            | "os.LookupEnv"
            | "env"
            | "config"
            | "Deno.env.get" => {
                let Some(var) = lit_arg(0) else {
                    return Value::hole(name.to_string());
                };
                let v = self.env.env_value(&var);
                let d = arg(1);
                if d.is_empty() { v } else { v.union(&d) }
            }
            // URL joins.
            "urljoin"
            | "urllib.parse.urljoin"
            | "parse.urljoin"
            | "os.path.join"
            | "posixpath.join"
            | "path.join"
            | "path.posix.join"
            | "url.resolve"
            | "filepath.Join"
            | "path.Join"
            | "url.JoinPath"
            | "Url.Combine"
            | "Path.Combine"
            | "Paths.get"
            | "urlJoin"
            | "urljoin.urljoin"
            | "join"
            | "posixpath" => {
                let mut v = arg(0);
                for k in 1..args.len() {
                    v = join_path(&v, &arg(k));
                }
                v
            }
            // Formatting.
            "fmt.Sprintf"
            | "String.format"
            | "util.format"
            | "format"
            | "sprintf"
            | "String.Format"
            | "string.Format"
            | "MessageFormat.format"
            | "formatted" => {
                let fmt = arg(0);
                let rest: Vec<Value> = (1..args.len()).map(arg).collect();
                if fmt
                    .cands
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, super::super::value::Piece::Lit(l) if l.contains("{0}")))
                {
                    brace_format(&fmt, &rest, &HashMap::new())
                } else {
                    printf(&fmt, &rest)
                }
            }
            "fmt.Sprint" | "String.Concat" | "string.Concat" | "concat" => {
                let mut v = Value::lit("");
                for k in 0..args.len() {
                    v.append(&arg(k));
                }
                v
            }
            "str" | "String" | "string" | "f" | "strings.TrimSuffix" | "strings.TrimRight"
            | "strings.TrimSpace" | "strings.ToLower" => arg(0),
            // URL objects made from strings (Go, Java, Kotlin, C#, OkHttp, Spring).
            "url.Parse"
            | "url.ParseRequestURI"
            | "URI.create"
            | "Uri.parse"
            | "HttpUrl.parse"
            | "HttpUrl.get"
            | "UriComponentsBuilder.fromHttpUrl"
            | "UriComponentsBuilder.fromUriString"
            | "UriComponentsBuilder.fromPath"
            | "UriComponentsBuilder.fromUri"
            | "UriBuilder.fromUri"
            | "UriBuilder.fromPath" => arg(0),
            // Go `strings.Join([]string{base, "v3", "sources"}, "/")`.
            "strings.Join" => {
                let Some(&(a, b)) = args.first() else {
                    return Value::hole(name.to_string());
                };
                let c = self.code();
                let Some(open) = (a..b).find(|&k| c.is_punct(k, "{")) else {
                    return Value::hole(name.to_string());
                };
                let sep = arg(1);
                let mut v = Value::default();
                for (k, r) in c.args(open).into_iter().enumerate() {
                    let part = self.expr_with(r.0, r.1, names);
                    v = if k == 0 {
                        part
                    } else {
                        v.concat(&sep).concat(&part)
                    };
                }
                v
            }
            // Configuration lookups: `env.getProperty("isc.base-url")`,
            // `config.GetValue<string>("Isc:BaseUrl")`, `viper.GetString("isc.url")`.
            _ if matches!(
                last,
                "getProperty"
                    | "getRequiredProperty"
                    | "GetValue"
                    | "GetString"
                    | "getString"
                    | "GetConnectionString"
            ) && lit_arg(0).is_some() =>
            {
                let key = lit_arg(0).unwrap_or_default();
                let v = self
                    .env
                    .project
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| Value::hole(key.clone()));
                let d = arg(1);
                if d.is_empty() { v } else { v.union(&d) }
            }
            _ if is_new && matches!(last, "StringBuilder" | "StringBuffer") => {
                let a = arg(0);
                if a.is_empty() || a.as_literal().is_some_and(|l| l.parse::<usize>().is_ok()) {
                    Value::lit("")
                } else {
                    a
                }
            }
            // `String.join("/", base, "v3", "sources")`, `string.Join("/", ...)`.
            // JAX-RS `client.target(url)` on a client held in a name.
            _ if last == "target" && args.len() == 1 && name.contains('.') => arg(0),
            "String.join" | "string.Join" | "String.Join" if args.len() >= 3 => {
                let sep = arg(0);
                let mut v = arg(1);
                for k in 2..args.len() {
                    v.append(&sep);
                    v.append(&arg(k));
                }
                v
            }
            // Apache `new URIBuilder(base)`, .NET `new UriBuilder(base)`.
            _ if is_new && matches!(last, "URIBuilder" | "UriBuilder") => arg(0),
            _ if (is_new
                || self.code().lang == Lang::Java
                    && (name == last || name.starts_with("java.net.")))
                && matches!(last, "URL" | "Uri" | "URI") =>
            {
                // `new URL(path, base)`, `new Uri(baseUri, path)`, `new Uri(string)`.
                match (args.len(), last) {
                    (1, _) => arg(0),
                    (_, "URL") => join_path(&arg(1), &arg(0)),
                    _ => join_path(&arg(0), &arg(1)),
                }
            }
            _ if matches!(
                last,
                "encodeURIComponent"
                    | "encodeURI"
                    | "quote"
                    | "quote_plus"
                    | "escape"
                    | "QueryEscape"
                    | "PathEscape"
                    | "EscapeDataString"
                    | "encode"
            ) =>
            {
                Value::hole(format!("{last}()"))
            }
            // `u.String()`, `uri.toString()`, `builder.build()` on a URL held in a name.
            _ if args.is_empty()
                && name.contains('.')
                && matches!(
                    last,
                    "String"
                        | "toString"
                        | "ToString"
                        | "toURI"
                        | "toUri"
                        | "toURL"
                        | "build"
                        | "toUriString"
                        | "toExternalForm"
                        | "Redacted"
                ) =>
            {
                let head = &name[..name.len() - last.len() - 1];
                // Go `u.Path = path.Join(u.Path, p)` before `u.String()`: the path joins the
                // URL (the URL's own path, already in it, counts as empty).
                let want = format!("{head}.Path");
                let func = self.code().enclosing_fn(self.at);
                let set_path = self
                    .env
                    .assigns
                    .iter()
                    .filter(|a| a.name == want && a.func == func && a.tok < self.at)
                    .max_by_key(|a| a.tok);
                if self.code().lang == Lang::Go
                    && let Some(a) = set_path
                {
                    let own = |n: &str| {
                        if n == want { Value::lit("") } else { names(n) }
                    };
                    let p = self.expr_with(a.rhs.0, a.rhs.1, &own);
                    return join_path(&names(head), &p);
                }
                names(head)
            }
            // String and URL methods on a name (`base.AppendPathSegment("v3")`,
            // `url.replace("{id}", id)`, `base.rstrip("/")`): as on its value.
            _ if name.contains('.')
                && matches!(
                    last,
                    "AppendPathSegment"
                        | "AppendPathSegments"
                        | "ResolveReference"
                        | "SetQueryParam"
                        | "SetQueryParams"
                        | "path"
                        | "pathSegment"
                        | "addPathSegment"
                        | "addPathSegments"
                        | "JoinPath"
                        | "joinpath"
                        | "rstrip"
                        | "TrimEnd"
                        | "trimEnd"
                        | "replace"
                        | "Replace"
                        | "replaceAll"
                        | "concat"
                        | "Concat"
                        | "format"
                        | "formatted"
                ) =>
            {
                let head = &name[..name.len() - last.len() - 1];
                self.method_call(names(head), last, args, names)
            }
            _ => self
                .inline_call(name, args, names)
                .unwrap_or_else(|| Value::hole(format!("{name}()"))),
        }
    }
}

impl CExpr<'_, '_> {
    /// A call of a small function of this file that returns a string built from its
    /// parameters (`c.url(path)`, `buildUrl("/v3/x")`, `def endpoint(p): return BASE + p`):
    /// its return expressions, parameters replaced by the arguments.
    fn inline_call(&self, name: &str, args: &[(usize, usize)], names: Resolver) -> Option<Value> {
        let code = self.code();
        let last = name.rsplit('.').next().unwrap_or(name);
        let mut defs = code.fns.iter().enumerate().filter(|(_, f)| f.name == last);
        let (fx, def) = defs.next()?;
        if defs.next().is_some() {
            return None; // overloads: which one is not known
        }
        let (a, b) = def.body;
        let mut rets: Vec<(usize, usize)> = Vec::new();
        let block = a > 0 && code.is_punct(a - 1, "{") || code.lang == Lang::Python;
        if block {
            for k in a..b {
                if code.toks[k].is_ident("return") && code.enclosing_fn(k) == Some(fx) {
                    let end = code.expr_end(k + 1).min(b);
                    if end > k + 1 {
                        rets.push((k + 1, end));
                    }
                }
            }
        } else {
            rets.push((a, b));
        }
        if rets.is_empty() || rets.len() > 4 {
            return None;
        }
        let key = (1usize << 40) + fx;
        if self.env.active.borrow().contains(&key) || self.env.active.borrow().len() > 24 {
            return None;
        }
        self.env.active.borrow_mut().push(key);
        let mut v = Value::default();
        for r in rets {
            v = v.union(&self.env.eval(r, r.0));
        }
        self.env.active.borrow_mut().pop();
        if v.is_empty() {
            return None;
        }
        let arg_of = |p: &str| -> Option<Value> {
            let idx = def.params.iter().position(|q| q == p)?;
            let r = args.get(idx)?;
            Some(self.expr_with(r.0, r.1, names))
        };
        Some(super::super::value::substitute(&v, &arg_of))
    }
}
