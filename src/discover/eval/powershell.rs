//! PowerShell expressions: expandable strings (`"$base/v3/$($x.Id)"`), `+`, the `-f` format
//! operator, `[string]::Format`, `Join-Path`, variables with properties, parentheses.

use super::super::lex::Tok;
use super::super::value::{Value, join_path};
use super::{Env, Resolver, concat_on_plus};

pub fn eval(env: &Env, r: (usize, usize), at: usize) -> Value {
    eval_with(env, r, at, &|n| {
        env.builtin_name(n).unwrap_or_else(|| env.lookup(n, at))
    })
}

pub fn eval_with(env: &Env, (a, b): (usize, usize), at: usize, names: Resolver) -> Value {
    let Some(_level) = super::super::budget::deeper() else {
        return Value::hole(super::TOO_DEEP);
    };
    super::super::budget::spend(1);
    let c = env.code;
    let a = c.skip_newlines(a, b);
    if a >= b {
        return Value::default();
    }
    // `fmt -f a, b`
    let top = c.top_level(a, b);
    if let Some(f) = top
        .iter()
        .copied()
        .find(|&k| c.ident(k).is_some_and(|s| s.eq_ignore_ascii_case("-f")))
    {
        let fmt = eval_with(env, (a, f), at, names);
        let mut args = Vec::new();
        let mut s = f + 1;
        for k in top
            .iter()
            .copied()
            .filter(|&k| k > f && c.is_punct(k, ","))
            .chain(std::iter::once(b))
        {
            args.push(eval_with(env, (s, k), at, names));
            s = k + 1;
        }
        return format_braces(&fmt, &args);
    }
    concat_on_plus(c, &top, (a, b), |s, e| eval_with(env, (s, e), at, names))
        .unwrap_or_else(|| operand(env, a, b, at, names))
}

fn operand(env: &Env, a: usize, b: usize, at: usize, names: Resolver) -> Value {
    let c = env.code;
    match c.tok(a) {
        Some(Tok::Str(s)) => env.string(s, at),
        Some(Tok::Var(v)) => {
            let mut name = v.clone();
            let mut k = a + 1;
            while k + 1 < b && c.is_punct(k, ".") && c.ident(k + 1).is_some() {
                name.push('.');
                name.push_str(c.ident(k + 1).unwrap_or_default());
                k += 2;
            }
            if let Some(var) = name.strip_prefix("env:") {
                return env.env_value(var);
            }
            names(&name)
        }
        Some(Tok::Punct("(")) => {
            let close = c.close_of(a).unwrap_or(b);
            eval_with(env, (a + 1, close), at, names)
        }
        Some(Tok::Punct("$")) if c.is_punct(a + 1, "(") => {
            let close = c.close_of(a + 1).unwrap_or(b);
            eval_with(env, (a + 2, close), at, names)
        }
        Some(Tok::Punct("[")) => {
            // `[string]::Format("…", $a)` / `[System.String]::Concat(...)` / casts `[uri]$x`.
            let close = c.close_of(a).unwrap_or(b);
            let ty = c.src[c.toks[a].end..c.toks[close].start].to_ascii_lowercase();
            if c.is_punct(close + 1, "::") {
                let m = c.ident(close + 2).unwrap_or("").to_ascii_lowercase();
                if c.is_punct(close + 3, "(") {
                    let args: Vec<Value> = c
                        .args(close + 3)
                        .into_iter()
                        .map(|r| eval_with(env, r, at, names))
                        .collect();
                    return match m.as_str() {
                        "format" => format_braces(
                            args.first().unwrap_or(&Value::default()),
                            &args[1.min(args.len())..],
                        ),
                        "concat" => args.iter().fold(Value::lit(""), |v, x| v.concat(x)),
                        // `[System.Uri]::new("$base/v3/x")`, `[uri]::new($base, "v3/x")`.
                        "new" if ty.trim().trim_start_matches("system.") == "uri" => {
                            match args.as_slice() {
                                [one] => one.clone(),
                                [base, rel, ..] => join_path(base, rel),
                                [] => Value::default(),
                            }
                        }
                        "getenvironmentvariable" => {
                            match args.first().and_then(Value::as_literal) {
                                Some(var) => env.env_value(&var),
                                None => Value::hole("env"),
                            }
                        }
                        _ => Value::hole(m),
                    };
                }
            }
            // `[WebRequestMethod]::Post`, `[System.Net.Http.HttpMethod]::Delete`: the name.
            if c.is_punct(close + 1, "::")
                && ty.ends_with("method")
                && let Some(m) = c.ident(close + 2)
            {
                return Value::lit(m);
            }
            eval_with(env, (close + 1, b), at, names)
        }
        Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("Join-Path") => {
            // `Join-Path $base "v3/sources"` / `-Path x -ChildPath y`.
            let mut vals = Vec::new();
            let mut k = a + 1;
            while k < b {
                if c.ident(k).is_some_and(|s| s.starts_with('-')) {
                    k += 1;
                    continue;
                }
                let end = word_end(env, k, b);
                vals.push(eval_with(env, (k, end), at, names));
                k = end;
            }
            let mut v = vals.first().cloned().unwrap_or_default();
            for x in vals.iter().skip(1) {
                v = join_path(&v, x);
            }
            v
        }
        Some(Tok::Num) => Value::lit(&c.src[c.toks[a].start..c.toks[a].end]),
        // `Get-IscBaseUrl`: what a function of the module returns (project constant
        // `psfn:<name>`, filled by the PowerShell front-end).
        Some(Tok::Ident(w)) => env
            .project
            .get_exact(&format!("psfn:{}", w.to_ascii_lowercase()))
            .cloned()
            .unwrap_or_default(),
        _ => Value::default(),
    }
}

/// The end of one command argument starting at `k`.
pub fn word_end(env: &Env, k: usize, b: usize) -> usize {
    let c = env.code;
    let mut e = k;
    if matches!(c.tok(e), Some(Tok::Punct("(" | "[" | "{"))) {
        return c.close_of(e).map_or(b, |p| (p + 1).min(b));
    }
    e += 1;
    // `$x.Prop` chains.
    while e + 1 < b
        && c.is_punct(e, ".")
        && c.ident(e + 1).is_some()
        && c.toks[e].start == c.toks[e - 1].end
    {
        e += 2;
    }
    e.min(b)
}

fn format_braces(fmt: &Value, args: &[Value]) -> Value {
    super::formatting::each_literal(fmt, |l, v, _| {
        let mut rest = l;
        while let Some(i) = rest.find('{') {
            let Some(j) = rest[i..].find('}') else { break };
            let key = rest[i + 1..i + j].split(':').next().unwrap_or("").trim();
            match key.parse::<usize>() {
                Ok(n) => {
                    v.append(&Value::lit(&rest[..i]));
                    *v = v.concat(
                        &args
                            .get(n)
                            .cloned()
                            .filter(|x| !x.is_empty())
                            .unwrap_or_else(|| Value::hole(key.to_string())),
                    );
                }
                Err(_) => v.append(&Value::lit(&rest[..i + j + 1])),
            }
            rest = &rest[i + j + 1..];
        }
        v.append(&Value::lit(rest));
    })
}

/// Evaluates a command argument (argument mode): a bareword (`Get`, `/v3/sources`), adjacent
/// pieces that concatenate (`$base/v3/sources`, `"$base"/v3`), or an expression in
/// parentheses. Ranges whose tokens do not touch are expressions (hashtable entries).
pub fn eval_word(env: &Env, (a, b): (usize, usize), at: usize) -> Value {
    let c = env.code;
    let a = c.skip_newlines(a, b);
    if a >= b {
        return Value::default();
    }
    let adjacent = (a + 1..b).all(|k| c.toks[k - 1].end == c.toks[k].start);
    let group_end = |k: usize| -> Option<usize> {
        match c.tok(k) {
            Some(Tok::Punct("(" | "[" | "{")) => c.close_of(k).map(|x| x + 1),
            Some(Tok::Punct("$" | "@")) if matches!(c.tok(k + 1), Some(Tok::Punct("(" | "{"))) => {
                c.close_of(k + 1).map(|x| x + 1)
            }
            _ => None,
        }
    };
    if !adjacent && group_end(a) != Some(b) {
        return eval(env, (a, b), at);
    }
    // `[Type]::Member` and casts: an expression.
    if c.is_punct(a, "[") {
        return eval(env, (a, b), at);
    }
    let mut v = Value::lit("");
    let mut k = a;
    while k < b {
        let piece_end = match group_end(k) {
            Some(e) => e.min(b),
            None => match c.tok(k) {
                Some(Tok::Var(_)) => {
                    let mut e = k + 1;
                    while e + 1 < b && c.is_punct(e, ".") && c.ident(e + 1).is_some() {
                        e += 2;
                    }
                    e
                }
                _ => k + 1,
            },
        };
        let piece = match c.tok(k) {
            Some(Tok::Str(s)) => env.string(s, at),
            Some(Tok::Var(_) | Tok::Punct("(" | "$" | "@")) => eval(env, (k, piece_end), at),
            _ => Value::lit(&c.src[c.toks[k].start..c.toks[piece_end - 1].end]),
        };
        v.append(&piece);
        k = piece_end;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::code::Code;
    use crate::discover::eval::{Project, eval_source};
    use crate::discover::lex::Lang;

    fn lit(src: &str) -> Option<String> {
        eval_source(src, Lang::PowerShell, &Project::default()).as_literal()
    }

    #[test]
    fn static_members_and_formats() {
        assert_eq!(
            lit("$b = 'https://a'\n[System.Uri]::new(\"$b/v3/x\")").as_deref(),
            Some("https://a/v3/x")
        );
        assert_eq!(
            lit("[uri]::new('https://a/', 'v3/y')").as_deref(),
            Some("https://a/v3/y")
        );
        assert_eq!(
            lit("[Microsoft.PowerShell.Commands.WebRequestMethod]::Patch").as_deref(),
            Some("Patch")
        );
        assert_eq!(
            lit("'{0}/beta/{1}' -f 'https://a', 'roles'").as_deref(),
            Some("https://a/beta/roles")
        );
    }

    #[test]
    fn argument_words() {
        let src = "$b = 'https://a'\ncmd $b/v3/sources Get \"$b\"/beta ($b + '/v2024')";
        let code = Code::new(src, Lang::PowerShell);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let cmd = code.toks.iter().position(|t| t.is_ident("cmd")).unwrap();
        let words = [(cmd + 1, cmd + 6), (cmd + 6, cmd + 7), (cmd + 7, cmd + 10)];
        let got: Vec<Option<String>> = words
            .iter()
            .map(|&w| eval_word(&env, w, cmd).as_literal())
            .collect();
        assert_eq!(
            got,
            [
                Some("https://a/v3/sources".to_string()),
                Some("Get".to_string()),
                Some("https://a/beta".to_string())
            ]
        );
        let close = code.close_of(cmd + 10).unwrap();
        assert_eq!(
            eval_word(&env, (cmd + 10, close + 1), cmd)
                .as_literal()
                .as_deref(),
            Some("https://a/v2024")
        );
    }
}
