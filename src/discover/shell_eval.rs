//! Shell words: adjacent pieces (`"$BASE"/v3/sources/${ID}`) concatenate; `$VAR`, `${VAR}`,
//! `${VAR:-default}` and `$(cmd)` are looked up or become holes; Makefile `$(VAR)` too.

use super::eval::Env;
use super::lex::Tok;
use super::value::Value;

pub fn eval(env: &Env, r: (usize, usize), at: usize) -> Value {
    eval_with(env, r, at, &|n| env.lookup(n, at))
}

/// Evaluates the tokens of one shell word (`[a, b)` must be adjacent tokens).
pub fn eval_with(
    env: &Env,
    (a, b): (usize, usize),
    at: usize,
    names: &dyn Fn(&str) -> Value,
) -> Value {
    let c = env.code;
    let mut v = Value::lit("");
    let mut k = a;
    while k < b {
        let t = &c.toks[k];
        match &t.tok {
            Tok::Str(s) => v = v.concat(&env.string(s, at)),
            Tok::Var(name) => v = v.concat(&var(env, name, names)),
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
                v = v.concat(&piece);
                k = close + 1;
                continue;
            }
            Tok::Newline => break,
            _ => v = v.concat(&Value::lit(&c.src[t.start..t.end])),
        }
        k += 1;
    }
    v
}

fn var(env: &Env, name: &str, names: &dyn Fn(&str) -> Value) -> Value {
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
        .all(|c| matches!(c.as_slice(), [super::value::Piece::Hole(h)] if h == name))
    {
        return env.env_value(name);
    }
    v
}
