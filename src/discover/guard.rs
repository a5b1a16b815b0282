//! Conditions on a name that guard a statement: `if api == 'cc':` … `else:`, `if (kind ===
//! "roles") { … }`, `if ($Type -eq 'roles') { … }`, `"cc".equals(api)`. A helper that builds its
//! URL in such branches (`url = base + '/cc/api/' + path` when `api == 'cc'`, else
//! `base + '/' + api + '/' + path`) is read per branch: a caller that passes `api='beta'` takes
//! only the branch that holds for `beta`.
//!
//! Only the innermost `if`/`elif`/`else` (or PowerShell `switch` case) around the statement
//! counts, and only a comparison of one name with string literals (`==`, `!=`, `in (…)`,
//! `not in […]`, `===`, `!==`, `-eq`, `-ne`, `.equals`), or a test of what the caller passes:
//! a parameter's truthiness (`if ($Id)`, `if idn_id:`, `if (!id)`, `$null -eq $Id`), whether
//! it is bound (`$PSBoundParameters.ContainsKey('Id')`) or the PowerShell parameter set
//! (`$PSCmdlet.ParameterSetName -eq 'ById'`, `switch ($PSCmdlet.ParameterSetName)`, read with
//! the `[Parameter(ParameterSetName = …)]` attributes of the function's `param` block);
//! anything else guards nothing (every branch stays possible).

use super::code::Code;
use super::lex::{Lang, Tok};

/// `name` (as written, without `$`) is one of `values` (or, `negated`, none of them); or,
/// by its `test`, what the caller passes makes the branch run (or, `negated`, not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    pub name: String,
    pub values: Vec<String>,
    pub negated: bool,
    pub test: Test,
}

/// What a guard tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    /// `name` equals one of `values`.
    Equals,
    /// The caller passes the parameter `name` (`$PSBoundParameters.ContainsKey('Id')`).
    Passed,
    /// The parameter `name` holds a value (`if ($Id)`, `if idn_id:`, `if (id)`).
    Truthy,
    /// The function runs in one of the parameter sets `values` (`name` is
    /// `$PSCmdlet.ParameterSetName`): the sets the function declares, and its default set.
    ParameterSet(Vec<ParamSet>, Option<String>),
}

/// A PowerShell parameter set: its name and its parameters (and whether each is mandatory).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamSet {
    pub name: String,
    pub params: Vec<(String, bool)>,
}

/// What one caller gives a parameter, as far as a guard needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Given {
    /// The caller names it (by name or position): bound, not left to its default.
    pub passed: bool,
    /// Whether the value it holds (the caller's, else its default, else none) is truthy, when
    /// known.
    pub truth: Option<bool>,
}

impl Guard {
    /// Whether the guarded statement may run for a caller that gives each parameter what
    /// `given` says (`None` from `given`: the caller's arguments cannot be listed, a splat of
    /// something unknown). `None` when the guard cannot tell (an [`Test::Equals`] test, read
    /// with [`Guard::allows`], or arguments that decide nothing): every branch stays possible.
    pub fn holds(&self, given: &dyn Fn(&str) -> Option<Given>) -> Option<bool> {
        match &self.test {
            Test::Equals => None,
            Test::Passed => Some(given(self.var())?.passed != self.negated),
            Test::Truthy => Some(given(self.var())?.truth? != self.negated),
            Test::ParameterSet(sets, default) => {
                // The parameters the caller binds, among those the sets declare.
                let mut names: Vec<&str> = sets
                    .iter()
                    .flat_map(|s| s.params.iter().map(|(p, _)| p.as_str()))
                    .collect();
                names.sort_unstable_by_key(|n| n.to_ascii_lowercase());
                names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
                let mut bound: Vec<&str> = Vec::new();
                for n in names {
                    if given(n)?.passed {
                        bound.push(n);
                    }
                }
                let has =
                    |s: &ParamSet, p: &str| s.params.iter().any(|(q, _)| q.eq_ignore_ascii_case(p));
                let fits = |s: &&ParamSet, mandatory: bool| {
                    bound.iter().all(|p| has(s, p))
                        && (!mandatory
                            || s.params
                                .iter()
                                .filter(|(_, m)| *m)
                                .all(|(q, _)| bound.iter().any(|p| p.eq_ignore_ascii_case(q))))
                };
                let mut sets_in: Vec<&ParamSet> = sets.iter().filter(|s| fits(s, true)).collect();
                if sets_in.is_empty() {
                    sets_in = sets.iter().filter(|s| fits(s, false)).collect();
                }
                if sets_in.is_empty() {
                    return None;
                }
                if sets_in.len() > 1
                    && let Some(d) = default
                    && sets_in.iter().any(|s| s.name.eq_ignore_ascii_case(d))
                {
                    sets_in.retain(|s| s.name.eq_ignore_ascii_case(d));
                }
                Some(sets_in.iter().any(|s| {
                    self.values.iter().any(|v| v.eq_ignore_ascii_case(&s.name)) != self.negated
                }))
            }
        }
    }

    /// Whether the guarded statement may run when `name` holds `value`.
    pub fn allows(&self, value: &str) -> bool {
        if self.test != Test::Equals {
            return true;
        }
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
        // (PowerShell `elseif (…)`: its own condition, a superset of when it runs.)
        if po >= 1
            && code.ident(po - 1).is_some_and(|w| {
                w.eq_ignore_ascii_case("if")
                    || code.lang == Lang::PowerShell && w.eq_ignore_ascii_case("elseif")
            })
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
    if code.lang == Lang::PowerShell {
        return switch_case(code, open);
    }
    None
}

/// PowerShell `switch (X) { 'a' { … } b { … } default { … } }`: the case whose block opens at
/// `open` tests `X` against its label (`default`: against none of the others).
fn switch_case(code: &Code, open: usize) -> Option<Guard> {
    let label = |k: usize| -> Option<String> {
        match code.tok(k)? {
            Tok::Str(s) => s.plain(),
            Tok::Ident(w) if !w.starts_with('-') => Some(w.to_string()),
            _ => None,
        }
    };
    let own = label(open.checked_sub(1)?)?;
    let body = code.parent.get(open).copied().filter(|&p| p != u32::MAX)? as usize;
    let subject_close = body.checked_sub(1)?;
    if !code.is_punct(body, "{") || !code.is_punct(subject_close, ")") {
        return None;
    }
    let subject_open = code.close_of(subject_close)?;
    if !subject_open
        .checked_sub(1)
        .and_then(|k| code.ident(k))
        .is_some_and(|w| w.eq_ignore_ascii_case("switch"))
    {
        return None;
    }
    let (values, negated) = if own.eq_ignore_ascii_case("default") {
        let end = code.close_of(body)?;
        let d = code.depth[body] + 1;
        super::budget::spend((end - body) as u64);
        let labels: Vec<String> = (body + 1..end)
            .filter(|&k| code.depth[k] == d && code.is_punct(k, "{"))
            .filter_map(|k| label(k - 1))
            .filter(|l| !l.eq_ignore_ascii_case("default"))
            .collect();
        (labels, true)
    } else {
        (vec![own], false)
    };
    let toks: Vec<usize> = (subject_open + 1..subject_close)
        .filter(|&k| code.toks[k].tok != Tok::Newline)
        .collect();
    let (name, test) = subject(code, &toks)?;
    if test == Test::Truthy {
        return None;
    }
    Some(Guard {
        name,
        values,
        negated,
        test,
    })
}

/// The subject of a comparison: a name (`api`, `$Type`), or PowerShell's parameter set
/// (`$PSCmdlet.ParameterSetName`, with the sets of the function around it).
fn subject(code: &Code, toks: &[usize]) -> Option<(String, Test)> {
    match toks {
        [k] => match code.tok(*k)? {
            Tok::Ident(s) if !s.starts_with('-') => Some((s.to_string(), Test::Equals)),
            // PowerShell variables: marked so that the comparison ignores case.
            Tok::Var(v) if !is_null(code, *k) => Some((format!("${v}"), Test::Equals)),
            _ => None,
        },
        [v, dot, m]
            if matches!(code.tok(*v), Some(Tok::Var(x)) if x.eq_ignore_ascii_case("PSCmdlet"))
                && code.is_punct(*dot, ".")
                && code
                    .ident(*m)
                    .is_some_and(|w| w.eq_ignore_ascii_case("ParameterSetName")) =>
        {
            let (sets, default) = parameter_sets(code, *v);
            Some((
                "$PSCmdlet.ParameterSetName".to_string(),
                Test::ParameterSet(sets, default),
            ))
        }
        _ => None,
    }
}

/// `$null`, `None`, `null`, `undefined`, `nil`.
fn is_null(code: &Code, k: usize) -> bool {
    match code.tok(k) {
        Some(Tok::Var(v)) => v.eq_ignore_ascii_case("null"),
        Some(Tok::Ident(w)) => matches!(w.as_str(), "None" | "null" | "undefined" | "nil"),
        _ => false,
    }
}

/// The parameter sets of the PowerShell function around token `at`: each
/// `[Parameter(ParameterSetName = 'X', Mandatory)]` of its `param(…)` block (a parameter in
/// no named set is in all of them, and tells none apart), and the default set of its
/// `[CmdletBinding(DefaultParameterSetName = 'X')]`.
pub fn parameter_sets(code: &Code, at: usize) -> (Vec<ParamSet>, Option<String>) {
    let mut sets: Vec<ParamSet> = Vec::new();
    let Some(f) = code.enclosing_fn(at) else {
        return (sets, None);
    };
    let (a, b) = code.fns[f].body;
    let b = b.min(code.len());
    let Some(d) = code.depth.get(a).copied() else {
        return (sets, None);
    };
    let Some(kw) = (a..b).find(|&k| {
        code.depth[k] == d
            && code
                .ident(k)
                .is_some_and(|w| w.eq_ignore_ascii_case("param"))
            && code.is_punct(k + 1, "(")
    }) else {
        return (sets, None);
    };
    let str_after_eq = |k: usize| -> Option<String> {
        if !code.is_punct(k + 1, "=") {
            return None;
        }
        match code.tok(k + 2)? {
            Tok::Str(s) => s.plain(),
            _ => None,
        }
    };
    let default = (a..kw).find_map(|k| {
        code.ident(k)
            .filter(|w| w.eq_ignore_ascii_case("DefaultParameterSetName"))
            .and_then(|_| str_after_eq(k))
    });
    let open = kw + 1;
    let Some(close) = code.close_of(open) else {
        return (sets, default);
    };
    super::budget::spend((close - open) as u64);
    let inner = code.depth[open] + 1;
    // The (set, mandatory) pairs of the attributes read since the last parameter.
    let mut pending: Vec<(String, bool)> = Vec::new();
    let mut k = open + 1;
    while k < close {
        if code.depth[k] != inner {
            k += 1;
            continue;
        }
        if code.is_punct(k, "[") {
            let end = code.close_of(k).unwrap_or(close);
            if code
                .ident(k + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("Parameter"))
                && code.is_punct(k + 2, "(")
            {
                let ae = code.close_of(k + 2).unwrap_or(end);
                let mut set = None;
                let mut mandatory = false;
                for t in k + 3..ae {
                    match code.ident(t) {
                        Some(w) if w.eq_ignore_ascii_case("ParameterSetName") => {
                            set = str_after_eq(t);
                        }
                        Some(w) if w.eq_ignore_ascii_case("Mandatory") => {
                            mandatory = !(code.is_punct(t + 1, "=")
                                && matches!(code.tok(t + 2), Some(Tok::Var(v)) if v.eq_ignore_ascii_case("false")));
                        }
                        _ => {}
                    }
                }
                if let Some(s) = set {
                    pending.push((s, mandatory));
                }
            }
            k = end + 1;
            continue;
        }
        if let Some(Tok::Var(v)) = code.tok(k) {
            for (s, m) in pending.drain(..) {
                let at = match sets.iter().position(|x| x.name.eq_ignore_ascii_case(&s)) {
                    Some(i) => i,
                    None => {
                        sets.push(ParamSet {
                            name: s,
                            params: Vec::new(),
                        });
                        sets.len() - 1
                    }
                };
                sets[at].params.push((v.to_string(), m));
            }
            // To the `,` that ends the parameter (its default is no parameter).
            while k < close && !(code.depth[k] == inner && code.is_punct(k, ",")) {
                k += 1;
            }
        }
        k += 1;
    }
    (sets, default)
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
            if g.negated || g.test != Test::Equals {
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
            test: Test::Equals,
        });
    }
    comparison_one(code, a, b)
}

/// One comparison of a name with string literals in `[a, b)` (parentheses around it allowed),
/// or a test of a parameter's value or binding: `id`, `$Id`, `not x`, `!x`, `-not $Id`,
/// `x is None`, `$null -eq $Id`, `[string]::IsNullOrEmpty($Id)`,
/// `$PSBoundParameters.ContainsKey('Id')`.
fn comparison_one(code: &Code, mut a: usize, mut b: usize) -> Option<Guard> {
    while a + 1 < b && code.is_punct(a, "(") && code.close_of(a) == Some(b - 1) {
        a += 1;
        b -= 1;
    }
    let toks: Vec<usize> = (a..b)
        .filter(|&k| code.toks[k].tok != Tok::Newline)
        .collect();
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
    let guard = |name: String, values: Vec<String>, negated: bool, test: Test| Guard {
        name,
        values,
        negated,
        test,
    };
    let truthy = |k: usize, negated: bool| -> Option<Guard> {
        match subject(code, &[k])? {
            (n, Test::Equals) => Some(guard(n, Vec::new(), negated, Test::Truthy)),
            _ => None,
        }
    };
    // `not x`, `!x`, `-not $x`, `!(…)`: the negation of the test after it.
    if let [first, rest @ ..] = toks.as_slice()
        && !rest.is_empty()
        && (code.is_punct(*first, "!")
            || code.ident(*first).is_some_and(|w| {
                w.eq_ignore_ascii_case("-not") || w == "not" && code.lang == Lang::Python
            }))
    {
        let g = comparison_one(code, rest[0], b)?;
        if g.test == Test::Equals && g.values.len() != 1 {
            return None;
        }
        return Some(Guard {
            negated: !g.negated,
            ..g
        });
    }
    match toks.as_slice() {
        // `if (id)`, `if idn_id:`, `if ($Id)`: the parameter holds a value.
        [x] => truthy(*x, false),
        // `x is None` / `x is not None`
        [x, is, none] if code.ident(*is) == Some("is") && is_null(code, *none) => truthy(*x, true),
        [x, is, not, none]
            if code.ident(*is) == Some("is")
                && code.ident(*not) == Some("not")
                && is_null(code, *none) =>
        {
            truthy(*x, false)
        }
        // `$PSBoundParameters.ContainsKey('Id')`
        [v, dot, m, open, key, close]
            if matches!(code.tok(*v), Some(Tok::Var(x)) if x.eq_ignore_ascii_case("PSBoundParameters"))
                && code.is_punct(*dot, ".")
                && code
                    .ident(*m)
                    .is_some_and(|w| w.eq_ignore_ascii_case("ContainsKey"))
                && code.is_punct(*open, "(")
                && code.is_punct(*close, ")") =>
        {
            Some(guard(lit_at(*key)?, Vec::new(), false, Test::Passed))
        }
        // `$PSBoundParameters.Keys -contains 'Id'`
        [v, dot, keys, op, key]
            if matches!(code.tok(*v), Some(Tok::Var(x)) if x.eq_ignore_ascii_case("PSBoundParameters"))
                && code.is_punct(*dot, ".")
                && code
                    .ident(*keys)
                    .is_some_and(|w| w.eq_ignore_ascii_case("Keys"))
                && code
                    .ident(*op)
                    .is_some_and(|w| w.eq_ignore_ascii_case("-contains")) =>
        {
            Some(guard(lit_at(*key)?, Vec::new(), false, Test::Passed))
        }
        // `[string]::IsNullOrEmpty($Id)` / `IsNullOrWhiteSpace`
        [.., m, open, x, close]
            if code.ident(*m).is_some_and(|w| {
                w.eq_ignore_ascii_case("IsNullOrEmpty")
                    || w.eq_ignore_ascii_case("IsNullOrWhiteSpace")
            }) && code.is_punct(*open, "(")
                && code.is_punct(*close, ")") =>
        {
            truthy(*x, true)
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
            match (
                subject(code, &[*x]),
                lit_at(*y),
                lit_at(*x),
                subject(code, &[*y]),
            ) {
                (Some((n, Test::Equals)), Some(l), _, _)
                | (_, _, Some(l), Some((n, Test::Equals))) => {
                    Some(guard(n, vec![l], false, Test::Equals))
                }
                _ => None,
            }
        }
        // Python NAME in (...) / NAME not in [...]
        [x, rest @ ..]
            if code.lang == Lang::Python && !rest.is_empty() && op_at(rest[0]).is_none() =>
        {
            let (n, _) = subject(code, &[*x]).filter(|(_, t)| *t == Test::Equals)?;
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
            Some(guard(n, values?, neg, Test::Equals))
        }
        // SUBJECT op 'x' / 'x' op SUBJECT / NAME op $null
        _ => {
            let i = toks.iter().position(|&k| op_at(k).is_some())?;
            let neg = op_at(toks[i])?;
            let (lhs, rhs) = (&toks[..i], &toks[i + 1..]);
            match (lhs, rhs) {
                ([n], [x]) | ([x], [n]) if is_null(code, *n) && !is_null(code, *x) => {
                    truthy(*x, !neg)
                }
                ([l], side) | (side, [l]) if lit_at(*l).is_some() => {
                    let (name, test) = subject(code, side)?;
                    Some(guard(name, vec![lit_at(*l)?], neg, test))
                }
                _ => None,
            }
        }
    }
}

/// `not (a or b or …)` for tests of one name: the values none of them holds.
pub fn negate_all(tests: Vec<Guard>) -> Option<Guard> {
    let first = tests.first()?;
    // One test of what the caller passes: its negation.
    if let [only] = tests.as_slice()
        && only.test != Test::Equals
    {
        return Some(Guard {
            negated: !only.negated,
            ..only.clone()
        });
    }
    if tests
        .iter()
        .any(|t| t.name != first.name || t.negated || t.test != first.test)
    {
        return None;
    }
    let test = first.test.clone();
    Some(Guard {
        name: first.name.clone(),
        values: tests.into_iter().flat_map(|t| t.values).collect(),
        negated: true,
        test,
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

    #[test]
    fn what_the_caller_passes() {
        let given = |passed: &[&str]| {
            let passed: Vec<String> = passed.iter().map(|s| s.to_string()).collect();
            move |p: &str| {
                let on = passed.iter().any(|q| q.eq_ignore_ascii_case(p));
                Some(Given {
                    passed: on,
                    truth: Some(on),
                })
            }
        };
        let ps = "function G {\n  [CmdletBinding(DefaultParameterSetName = 'List')]\n  param(\n    [Parameter(Mandatory, ParameterSetName = 'ById')]\n    [Parameter(ParameterSetName = 'List')]\n    $Type,\n    [Parameter(Mandatory, ParameterSetName = 'ById')] $Id,\n    [Parameter(ParameterSetName = 'List')] $Filter\n  )\n  switch ($PSCmdlet.ParameterSetName) {\n    'ById' { $u = 'a' }\n    default { $u = 'b' }\n  }\n  if ($PSBoundParameters.ContainsKey('Id')) { $v = 'c' }\n  if (-not $Id) { $w = 'd' }\n}\n";
        let g = guard_at(ps, Lang::PowerShell, "$u = 'a'").unwrap();
        assert_eq!(g.holds(&given(&["Type", "Id"])), Some(true));
        assert_eq!(g.holds(&given(&["Type"])), Some(false));
        let g = guard_at(ps, Lang::PowerShell, "$u = 'b'").unwrap();
        assert_eq!(g.holds(&given(&["Type", "Filter"])), Some(true));
        assert_eq!(g.holds(&given(&["Id"])), Some(false));
        // Arguments that cannot be listed decide nothing.
        assert_eq!(g.holds(&|_: &str| None), None);
        let g = guard_at(ps, Lang::PowerShell, "$v = 'c'").unwrap();
        assert_eq!(g.holds(&given(&["Id"])), Some(true));
        let g = guard_at(ps, Lang::PowerShell, "$w = 'd'").unwrap();
        assert_eq!(g.holds(&given(&["Id"])), Some(false));
        assert_eq!(g.holds(&given(&[])), Some(true));
        let py = "def get(kind, idn_id=None):\n    if idn_id is not None:\n        e = A\n    else:\n        e = B\n";
        let g = guard_at(py, Lang::Python, "e = A").unwrap();
        assert_eq!(g.holds(&given(&["idn_id"])), Some(true));
        let g = guard_at(py, Lang::Python, "e = B").unwrap();
        assert_eq!(g.holds(&given(&["idn_id"])), Some(false));
    }
}
