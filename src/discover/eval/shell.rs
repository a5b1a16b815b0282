//! Shell words: adjacent pieces (`"$BASE"/v3/sources/${ID}`) concatenate; `$VAR`, `${VAR}`,
//! `${VAR:-default}` and `$(cmd)` are looked up or become holes; Makefile `$(VAR)` too.

use super::super::lex::Tok;
use super::super::value::Value;
use super::{Env, Resolver};

pub fn eval(env: &Env, r: (usize, usize), at: usize) -> Value {
    eval_with(env, r, at, &|n| env.lookup(n, at))
}

/// Evaluates the tokens of one shell word (`[a, b)` must be adjacent tokens).
pub fn eval_with(env: &Env, (a, b): (usize, usize), at: usize, names: Resolver) -> Value {
    let Some(_level) = super::super::budget::deeper() else {
        return Value::hole(super::TOO_DEEP);
    };
    super::super::budget::spend(1);
    let c = env.code;
    let mut v = Value::lit("");
    let mut k = a;
    while k < b {
        let t = &c.toks[k];
        match &t.tok {
            Tok::Str(s) => v.append(&string_with(env, s, at, names)),
            Tok::Var(name) => v.append(&var(env, name, names)),
            // Makefile `$$VAR`: the shell's `$VAR`.
            Tok::Punct("$")
                if matches!(c.tok(k + 1), Some(Tok::Var(_))) && c.toks[k + 1].start == t.end =>
            {
                k += 1;
                continue;
            }
            Tok::Punct("$") if c.is_punct(k + 1, "(") => {
                // `$(VAR)` (Makefile) or `$(cmd)`.
                let close = c.close_of(k + 1).unwrap_or(b.saturating_sub(1));
                let inner = c.src[c.toks[k + 1].end..c.toks[close].start].trim();
                let piece = if inner
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                {
                    var(env, inner, names)
                } else {
                    Value::hole(format!("$({inner})"))
                };
                v.append(&piece);
                k = close + 1;
                continue;
            }
            Tok::Newline => break,
            _ => v.append(&Value::lit(&c.src[t.start..t.end])),
        }
        k += 1;
    }
    v
}

/// A double-quoted string whose `$VAR` parts resolve through `names`.
fn string_with(env: &Env, s: &super::super::lex::StrLit, at: usize, names: Resolver) -> Value {
    use super::super::lex::StrPart;
    let mut v = Value::lit("");
    for p in &s.parts {
        let piece = match p {
            StrPart::Lit(l) => Value::lit(l.clone()),
            StrPart::Expr(e, _) => match e.strip_prefix('$') {
                Some(inner) if inner.starts_with('(') => {
                    let x = inner.trim_start_matches('(').trim_end_matches(')').trim();
                    if !x.is_empty() && x.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    {
                        var(env, x, names)
                    } else {
                        Value::hole(format!("$({x})"))
                    }
                }
                Some(name) => var(env, name, names),
                None => env.sub_expr(e, at),
            },
        };
        v.append(&piece);
    }
    v
}

/// GitHub Actions / CI expressions `${{ secrets.ISC_URL }}`, `${{ vars.X }}`, `${{ env.X }}`:
/// the value of the last name when the project defines it, else a hole named after it.
fn ci_expression(env: &Env, name: &str, names: Resolver) -> Option<Value> {
    let (scope, rest) = name.split_once('.')?;
    if !matches!(
        scope,
        "secrets" | "vars" | "env" | "inputs" | "github" | "steps" | "needs" | "matrix" | "jobs"
    ) || name.contains(' ')
    {
        return None;
    }
    let last = rest.rsplit('.').next().unwrap_or(rest);
    if scope == "env" {
        let v = env.env_value(last);
        return Some(if v.has_hole(&format!("env:{last}")) {
            Value::hole(last.to_string())
        } else {
            v
        });
    }
    let v = names(last);
    let unknown = v
        .cands
        .iter()
        .all(|c| matches!(c.as_slice(), [super::super::value::Piece::Hole(_)]));
    Some(if unknown {
        Value::hole(last.to_string())
    } else {
        v
    })
}

fn var(env: &Env, name: &str, names: Resolver) -> Value {
    if let Some(v) = ci_expression(env, name, names) {
        return v;
    }
    // `${VAR:-default}` / `${VAR-default}` / `${VAR:=default}`.
    if let Some(i) = name.find([':', '-', '=']) {
        let (n, rest) = name.split_at(i);
        let d = rest.trim_start_matches([':', '-', '=', '+', '?']);
        let base = names(n);
        return if d.is_empty() {
            base
        } else {
            base.union(&Value::lit(d))
        };
    }
    let v = names(name);
    if v.cands
        .iter()
        .all(|c| matches!(c.as_slice(), [super::super::value::Piece::Hole(h)] if h == name))
    {
        return env.env_value(name);
    }
    v
}
