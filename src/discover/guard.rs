//! Conditions on a name that guard a statement: `if api == 'cc':` … `else:`, `if (kind ===
//! "roles") { … }`, `if ($Type -eq 'roles') { … }`, `"cc".equals(api)`. A helper that builds its
//! URL in such branches (`url = base + '/cc/api/' + path` when `api == 'cc'`, else
//! `base + '/' + api + '/' + path`) is read per branch: a caller that passes `api='beta'` takes
//! only the branch that holds for `beta`.
//!
//! Only the innermost `if`/`elif`/`else` around the statement counts, and only a comparison
//! of one name with string literals (`==`, `!=`, `in (…)`, `not in […]`, `===`, `!==`, `-eq`,
//! `-ne`, `.equals`); anything else guards nothing (every branch stays possible).

use super::code::Code;
use super::lex::{Lang, Tok};

/// `name` (as written, without `$`) is one of `values` (or, `negated`, none of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    pub name: String,
    pub values: Vec<String>,
    pub negated: bool,
}

impl Guard {
    /// Whether the guarded statement may run when `name` holds `value`.
    pub fn allows(&self, value: &str) -> bool {
        let eq = |v: &String| {
            if self.case_insensitive() {
                v.eq_ignore_ascii_case(value)
            } else {
                v == value
            }
        };
        self.values.iter().any(eq) != self.negated
    }

    fn case_insensitive(&self) -> bool {
        // Marked by the reader of PowerShell conditions (`-eq` ignores case).
        self.name.starts_with('$')
    }

    /// The name without the PowerShell marker.
    pub fn var(&self) -> &str {
        self.name.trim_start_matches('$')
    }
}

/// The guard of the statement at token `at`, if its innermost branch tests a name against
/// string literals.
pub fn guard_of(code: &Code, at: usize) -> Option<Guard> {
    match code.lang {
        Lang::Python => python(code, at),
        Lang::Shell => None,
        _ => braces(code, at),
    }
}

/// Python: the header of the block holding `at` (`if`/`elif` → its condition; `else` → the
/// negation of the conditions of its chain, when they all test the same name).
fn python(code: &Code, at: usize) -> Option<Guard> {
    let d = code.indent_at(code.toks.get(at)?.start);
    // The logical line starts before `at` in its function, back to the first one indented
    // less.
    let from = code
        .enclosing_fn(at)
        .map_or(0, |f| code.fns[f].body.0.saturating_sub(1));
    super::budget::spend((at - from.min(at)) as u64);
    let starts: Vec<usize> = (from..at)
        .rev()
        .filter(|&k| k == 0 || code.toks[k - 1].tok == Tok::Newline && code.depth[k] == 0)
        .collect();
    let header = *starts
        .iter()
        .find(|&&k| code.indent_at(code.toks[k].start) < d)?;
    let hd = code.indent_at(code.toks[header].start);
    match code.ident(header)? {
        "if" | "elif" => python_condition(code, header + 1),
        "else" => {
            // The chain before it: headers at the same indentation, back to its `if`.
            let mut tests = Vec::new();
            for &k in starts.iter().skip_while(|&&k| k != header).skip(1) {
                let ind = code.indent_at(code.toks[k].start);
                if ind > hd {
                    continue;
                }
                if ind < hd {
                    break;
                }
                match code.ident(k) {
                    Some("elif") => tests.push(python_condition(code, k + 1)?),
                    Some("if") => {
                        tests.push(python_condition(code, k + 1)?);
                        break;
                    }
                    _ => return None,
                }
            }
            negate_all(tests)
        }
        _ => None,
    }
}

/// `NAME == 'x'`, `'x' == NAME`, `NAME != 'x'`, `NAME in ('a', 'b')`, `NAME not in [...]`,
/// up to the `:` that ends the header.
fn python_condition(code: &Code, start: usize) -> Option<Guard> {
    let end = (start..code.len())
        .find(|&k| code.is_punct(k, ":") && code.depth[k] == code.depth[start])?;
    comparison(code, start, end)
}

/// The brace languages and PowerShell: the `{` around `at`, after `if (…)` / `else if (…)` /
/// `else` (the negation of the `if` before it).
fn braces(code: &Code, at: usize) -> Option<Guard> {
    let mut p = code.parent.get(at).copied()?;
    while p != u32::MAX && !code.is_punct(p as usize, "{") {
        p = code.parent[p as usize];
    }
    if p == u32::MAX {
        return None;
    }
    let open = p as usize;
    let prev = open.checked_sub(1)?;
    if code.is_punct(prev, ")") {
        let po = code.close_of(prev)?;
        if po >= 1
            && code
                .ident(po - 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("if"))
        {
            return comparison(code, po + 1, prev);
        }
        return None;
    }
    if code
        .ident(prev)
        .is_some_and(|w| w.eq_ignore_ascii_case("else"))
    {
        // `} else {`: the negation of the `if (…)` whose block ends before `else`.
        let close = prev.checked_sub(1)?;
        if !code.is_punct(close, "}") {
            return None;
        }
        let block = code.close_of(close)?;
        let cond_close = block.checked_sub(1)?;
        if !code.is_punct(cond_close, ")") {
            return None;
        }
        let co = code.close_of(cond_close)?;
        if co >= 1
            && code
                .ident(co - 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("if"))
        {
            let g = comparison(code, co + 1, cond_close)?;
            return negate_all(vec![g]);
        }
    }
    None
}

/// A comparison of one name with string literals in `[a, b)`, or a disjunction of such
/// equalities of the same name (`t == 'a' || t == 'b'`, `t == 'a' or t == 'b'`, `-or`).
fn comparison(code: &Code, a: usize, b: usize) -> Option<Guard> {
    let depth = code.depth.get(a).copied()?;
    let ors: Vec<usize> = (a..b)
        .filter(|&k| {
            code.depth[k] == depth
                && (code.is_punct(k, "||")
                    || code
                        .ident(k)
                        .is_some_and(|w| w == "or" || w.eq_ignore_ascii_case("-or")))
        })
        .collect();
    if !ors.is_empty() {
        let mut parts = Vec::new();
        let mut s = a;
        for k in ors.into_iter().chain(std::iter::once(b)) {
            let g = comparison_one(code, s, k)?;
            if g.negated {
                return None;
            }
            parts.push(g);
            s = k + 1;
        }
        let first = parts.first()?.name.clone();
        if parts.iter().any(|g| g.name != first) {
            return None;
        }
        return Some(Guard {
            name: first,
            values: parts.into_iter().flat_map(|g| g.values).collect(),
            negated: false,
        });
    }
    comparison_one(code, a, b)
}

/// One comparison of a name with string literals in `[a, b)` (parentheses around it allowed).
fn comparison_one(code: &Code, mut a: usize, mut b: usize) -> Option<Guard> {
    while a + 1 < b && code.is_punct(a, "(") && code.close_of(a) == Some(b - 1) {
        a += 1;
        b -= 1;
    }
    let toks: Vec<usize> = (a..b)
        .filter(|&k| code.toks[k].tok != Tok::Newline)
        .collect();
    let name_at = |k: usize| -> Option<String> {
        match code.tok(k)? {
            Tok::Ident(s) if !s.starts_with('-') => Some(s.to_string()),
            // PowerShell variables: marked so that the comparison ignores case.
            Tok::Var(v) => Some(format!("${v}")),
            _ => None,
        }
    };
    let lit_at = |k: usize| -> Option<String> {
        match code.tok(k)? {
            Tok::Str(s) => s.plain(),
            _ => None,
        }
    };
    let op_at = |k: usize| -> Option<bool> {
        match code.tok(k)? {
            Tok::Punct("==" | "===") => Some(false),
            Tok::Punct("!=" | "!==") => Some(true),
            Tok::Ident(w) if w.eq_ignore_ascii_case("-eq") || w.eq_ignore_ascii_case("-ieq") => {
                Some(false)
            }
            Tok::Ident(w) if w.eq_ignore_ascii_case("-ne") => Some(true),
            _ => None,
        }
    };
    let guard = |name: String, values: Vec<String>, negated: bool| Guard {
        name,
        values,
        negated,
    };
    match toks.as_slice() {
        // NAME op 'x' / 'x' op NAME
        [x, op, y] => {
            let neg = op_at(*op)?;
            match (name_at(*x), lit_at(*y), lit_at(*x), name_at(*y)) {
                (Some(n), Some(l), _, _) | (_, _, Some(l), Some(n)) => Some(guard(n, vec![l], neg)),
                _ => None,
            }
        }
        // NAME.equals("x") / "x".equals(NAME)
        [x, dot, m, open, y, close]
            if code.is_punct(*dot, ".")
                && code
                    .ident(*m)
                    .is_some_and(|w| w == "equals" || w == "equalsIgnoreCase")
                && code.is_punct(*open, "(")
                && code.is_punct(*close, ")") =>
        {
            match (name_at(*x), lit_at(*y), lit_at(*x), name_at(*y)) {
                (Some(n), Some(l), _, _) | (_, _, Some(l), Some(n)) => {
                    Some(guard(n, vec![l], false))
                }
                _ => None,
            }
        }
        // Python NAME in (...) / NAME not in [...]
        [x, rest @ ..] if code.lang == Lang::Python => {
            let n = name_at(*x)?;
            let (neg, list) = match rest {
                [i, l, ..] if code.ident(*i) == Some("in") => (false, *l),
                [no, i, l, ..]
                    if code.ident(*no) == Some("not") && code.ident(*i) == Some("in") =>
                {
                    (true, *l)
                }
                _ => return None,
            };
            let close = code.close_of(list)?;
            if toks.last() != Some(&close) {
                return None;
            }
            let values: Option<Vec<String>> = code
                .args(list)
                .into_iter()
                .map(|(p, q)| if q == p + 1 { lit_at(p) } else { None })
                .collect();
            Some(guard(n, values?, neg))
        }
        _ => None,
    }
}

/// `not (a or b or …)` for tests of one name: the values none of them holds.
pub fn negate_all(tests: Vec<Guard>) -> Option<Guard> {
    let first = tests.first()?;
    if tests.iter().any(|t| t.name != first.name || t.negated) {
        return None;
    }
    Some(Guard {
        name: first.name.clone(),
        values: tests.into_iter().flat_map(|t| t.values).collect(),
        negated: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard_at(src: &str, lang: Lang, needle: &str) -> Option<Guard> {
        let code = Code::new(src, lang);
        let off = src.find(needle).expect("needle");
        let at = code
            .toks
            .iter()
            .position(|t| t.start == off)
            .expect("token");
        guard_of(&code, at)
    }

    #[test]
    fn python_if_elif_else() {
        let src = "def r(endpoint, api='v3'):\n    if api == 'cc':\n        url = A\n    elif api in ('v2', 'x'):\n        url = B\n    else:\n        url = C\n    send(url)\n";
        let g = guard_at(src, Lang::Python, "url = A").unwrap();
        assert!(g.allows("cc") && !g.allows("beta"));
        let g = guard_at(src, Lang::Python, "url = B").unwrap();
        assert!(g.allows("v2") && g.allows("x") && !g.allows("cc"));
        let g = guard_at(src, Lang::Python, "url = C").unwrap();
        assert!(g.allows("beta") && !g.allows("cc") && !g.allows("v2"));
        assert_eq!(guard_at(src, Lang::Python, "send(url)"), None);
    }

    #[test]
    fn braces_and_powershell() {
        let js = "function r(kind, p) {\n  if (kind === 'cc') { url = A; } else { url = B; }\n}\n";
        assert!(guard_at(js, Lang::Js, "url = A").unwrap().allows("cc"));
        let g = guard_at(js, Lang::Js, "url = B").unwrap();
        assert!(!g.allows("cc") && g.allows("v3"));
        let java = "void r(String api) { if (\"cc\".equals(api)) { u = A; } }";
        assert!(guard_at(java, Lang::Java, "u = A").unwrap().allows("cc"));
        let ps = "function R($Api) {\n  if ($Api -eq 'CC') { $u = 'a' } else { $u = 'b' }\n}\n";
        let g = guard_at(ps, Lang::PowerShell, "$u = 'a'").unwrap();
        assert_eq!(g.var(), "Api");
        assert!(g.allows("cc"), "-eq ignores case");
        // A disjunction of equalities of one name.
        let or = "function r(t) {\n  if (t == 'a' || t =='b') { v = 'beta'; }\n}\n";
        let g = guard_at(or, Lang::Js, "v = 'beta'").unwrap();
        assert!(g.allows("a") && g.allows("b") && !g.allows("c"));
        let mixed = "function r(t, u) {\n  if (t == 'a' || u == 'b') { v = 'beta'; }\n}\n";
        assert_eq!(guard_at(mixed, Lang::Js, "v = 'beta'"), None);
        // Conditions on anything but one name and literals guard nothing.
        let other = "if (a.b() && c) { u = A; }";
        assert_eq!(guard_at(other, Lang::Js, "u = A"), None);
    }
}
