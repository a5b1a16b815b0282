//! A lexed file with the structure front-ends need: matching brackets, argument lists,
//! statement extents, nesting depth, and function definitions (for scopes and for project
//! helpers that wrap HTTP calls).

use super::lex::{self, Comment, Lang, Tok, Token};
use std::collections::HashMap;

/// A function (or method) definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDef {
    pub name: String,
    pub params: Vec<String>,
    /// Token range of the body (exclusive end).
    pub body: (usize, usize),
    /// Token index of the name.
    pub name_tok: usize,
}

/// Makes every opening bracket have a partner: a bracket left open inside another pair (`( [ )`)
/// is closed right before the bracket that closes the outer one, and brackets still open at
/// the end of the text (a truncated or broken file) are closed there, innermost first — by
/// zero-width tokens. A closing bracket that closes nothing stays unmatched. Linear: each
/// opener is pushed and popped once, and a closer whose opener kind is not open at all is
/// recognised without a search.
fn balance(toks: Vec<lex::Token>, end: usize) -> Vec<lex::Token> {
    // Most files need no bracket added: they are returned as they are (not copied).
    let mut kinds: Vec<usize> = Vec::new();
    let mut open = [0usize; 3];
    let mut adds = false;
    for t in &toks {
        match &t.tok {
            Tok::Punct(p @ ("(" | "[" | "{")) => {
                open[kind(p)] += 1;
                kinds.push(kind(p));
            }
            Tok::Punct(c @ (")" | "]" | "}")) if open[kind(c)] > 0 => {
                if kinds.last() != Some(&kind(c)) {
                    adds = true;
                    break;
                }
                kinds.pop();
                open[kind(c)] -= 1;
            }
            _ => {}
        }
    }
    if !adds && kinds.is_empty() {
        return toks;
    }
    rebalance(toks, end)
}

/// The closing bracket of an opening one.
fn closer(t: &Tok) -> &'static str {
    match t {
        Tok::Punct("(") => ")",
        Tok::Punct("[") => "]",
        _ => "}",
    }
}

/// A bracket's kind: 0 `()`, 1 `[]`, 2 `{}`.
fn kind(p: &str) -> usize {
    match p {
        "(" | ")" => 0,
        "[" | "]" => 1,
        _ => 2,
    }
}

/// [`balance`], copying the tokens with the brackets it adds.
fn rebalance(toks: Vec<lex::Token>, end: usize) -> Vec<lex::Token> {
    let mut out: Vec<lex::Token> = Vec::with_capacity(toks.len());
    // Open brackets: (index in `out`, kind); how many of each kind are open.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut open = [0usize; 3];
    for t in toks {
        match &t.tok {
            Tok::Punct("(" | "[" | "{") => {
                let k = kind(match &t.tok {
                    Tok::Punct(p) => p,
                    _ => "{",
                });
                open[k] += 1;
                stack.push((out.len(), k));
            }
            Tok::Punct(c @ (")" | "]" | "}")) => {
                let k = kind(c);
                if open[k] > 0 {
                    // Close the brackets left open inside this pair.
                    while let Some(&(o, ok)) = stack.last() {
                        stack.pop();
                        open[ok] -= 1;
                        if ok == k {
                            break;
                        }
                        let c = closer(&out[o].tok);
                        out.push(lex::Token {
                            tok: Tok::Punct(c),
                            start: t.start,
                            end: t.start,
                        });
                    }
                }
            }
            _ => {}
        }
        out.push(t);
    }
    while let Some((o, _)) = stack.pop() {
        let c = closer(&out[o].tok);
        out.push(lex::Token {
            tok: Tok::Punct(c),
            start: end,
            end,
        });
    }
    out
}

/// The opening bracket of a closing one.
fn opener_of(close: &str) -> &'static str {
    match close {
        ")" => "(",
        "]" => "[",
        _ => "{",
    }
}

#[derive(Debug)]
pub struct Code<'a> {
    pub src: &'a str,
    pub lang: Lang,
    pub toks: Vec<Token>,
    pub comments: Vec<Comment>,
    /// For each bracket token, the index of its partner (`usize::MAX` if unmatched).
    pub partner: Vec<usize>,
    /// Nesting depth (all bracket kinds) before each token.
    pub depth: Vec<u32>,
    /// Innermost open bracket around each token (`u32::MAX` at the top level).
    pub parent: Vec<u32>,
    pub fns: Vec<FnDef>,
    /// Innermost function around each token (`u32::MAX` outside functions).
    fn_at: Vec<u32>,
    /// Byte offsets where lines start.
    line_starts: Vec<usize>,
    mentions_header: std::sync::OnceLock<bool>,
    fn_name_toks: std::sync::OnceLock<Vec<usize>>,
    /// A per-file result of a later layer, computed on first use and shared by every reader
    /// of the file (the file's assignments, `eval::Bindings`). Kept here without its type:
    /// the code layer sits below the values it holds.
    derived: std::sync::OnceLock<Box<dyn std::any::Any + Send + Sync>>,
    imports: std::sync::OnceLock<std::collections::HashMap<String, (String, String)>>,
}

impl<'a> Code<'a> {
    pub fn new(src: &'a str, lang: Lang) -> Code<'a> {
        super::budget::spend(src.len() as u64);
        let lexed = lex::lex(src, lang);
        let toks = balance(lexed.tokens, src.len());
        let mut partner = vec![usize::MAX; toks.len()];
        let mut depth = vec![0u32; toks.len()];
        let mut parent = vec![u32::MAX; toks.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            depth[i] = stack.len() as u32;
            parent[i] = stack.last().map_or(u32::MAX, |&o| o as u32);
            match &t.tok {
                Tok::Punct("(" | "[" | "{") => stack.push(i),
                Tok::Punct(c @ (")" | "]" | "}")) => {
                    let want = opener_of(c);
                    // After `balance`, a closer either closes the innermost open bracket
                    // or closes nothing (a stray one, left unmatched).
                    if let Some(&o) = stack.last()
                        && toks[o].is_punct(want)
                    {
                        stack.pop();
                        partner[o] = i;
                        partner[i] = o;
                        depth[i] = stack.len() as u32;
                        parent[i] = stack.last().map_or(u32::MAX, |&p| p as u32);
                    }
                }
                _ => {}
            }
        }
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1))
            .collect();
        let mut code = Code {
            src,
            lang,
            toks,
            comments: lexed.comments,
            partner,
            depth,
            parent,
            fns: Vec::new(),
            fn_at: Vec::new(),
            line_starts,
            mentions_header: std::sync::OnceLock::new(),
            fn_name_toks: std::sync::OnceLock::new(),
            derived: std::sync::OnceLock::new(),
            imports: std::sync::OnceLock::new(),
        };
        code.fns = code.find_functions();
        code.fn_at = code.function_map();
        code
    }

    /// The structure without the text, kept between discovery rounds (lexing a file again
    /// gives the same structure): [`Detached::attach`] gives it back for the same text.
    pub fn detach(self) -> Detached {
        Detached {
            len: self.src.len(),
            lang: self.lang,
            toks: self.toks,
            comments: self.comments,
            partner: self.partner,
            depth: self.depth,
            parent: self.parent,
            fns: self.fns,
            fn_at: self.fn_at,
            line_starts: self.line_starts,
            mentions_header: self.mentions_header,
            fn_name_toks: self.fn_name_toks,
            derived: self.derived,
            imports: self.imports,
        }
    }

    /// For each token, the innermost function whose body holds it (one sweep).
    fn function_map(&self) -> Vec<u32> {
        let n = self.toks.len();
        let mut at = vec![u32::MAX; n];
        let mut order: Vec<usize> = (0..self.fns.len())
            .filter(|&k| self.fns[k].body.0 < self.fns[k].body.1.min(n))
            .collect();
        // Outer bodies first; one sweep with a stack of the bodies open at each token (the
        // innermost on top), so nested functions cost O(tokens + functions), not the sum of
        // their bodies.
        order.sort_by_key(|&k| (self.fns[k].body.0, std::cmp::Reverse(self.fns[k].body.1)));
        let mut next = order.into_iter().peekable();
        let mut open: Vec<usize> = Vec::new();
        for (i, slot) in at.iter_mut().enumerate() {
            while let Some(&k) = next.peek()
                && self.fns[k].body.0 <= i
            {
                open.push(k);
                next.next();
            }
            while let Some(&k) = open.last()
                && self.fns[k].body.1 <= i
            {
                open.pop();
            }
            if let Some(&k) = open.last() {
                *slot = k as u32;
            }
        }
        at
    }

    /// Whether token `i` is the name of a function definition.
    pub fn is_fn_name(&self, i: usize) -> bool {
        self.fn_name_toks
            .get_or_init(|| {
                let mut v: Vec<usize> = self.fns.iter().map(|f| f.name_tok).collect();
                v.sort_unstable();
                v
            })
            .binary_search(&i)
            .is_ok()
    }

    /// The per-file result `init` computes, on first use (see the `derived` field; `None`
    /// when the file already holds a result of another type: one type per file).
    pub fn derived<T: std::any::Any + Send + Sync>(
        &self,
        init: impl FnOnce(&Self) -> T,
    ) -> Option<&T> {
        self.derived
            .get_or_init(|| Box::new(init(self)))
            .downcast_ref()
    }

    /// What the file imports from other modules (see [`imports`]).
    pub fn imports(&self) -> &std::collections::HashMap<String, (String, String)> {
        self.imports.get_or_init(|| imports(self))
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    pub fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|t| &t.tok)
    }

    pub fn ident(&self, i: usize) -> Option<&str> {
        self.toks.get(i).and_then(|t| t.ident())
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(p))
    }

    /// The partner of a bracket token.
    pub fn close_of(&self, i: usize) -> Option<usize> {
        self.partner.get(i).copied().filter(|&p| p != usize::MAX)
    }

    /// Splits the inside of the bracket at `open` on top-level commas: token ranges.
    pub fn args(&self, open: usize) -> Vec<(usize, usize)> {
        let Some(close) = self.close_of(open) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut start = open + 1;
        let mut i = open + 1;
        while i < close {
            if let Some(p) = self.close_of(i).filter(|&p| p > i) {
                i = p + 1;
                continue;
            }
            if self.is_punct(i, ",") {
                out.push((start, i));
                start = i + 1;
            }
            i += 1;
        }
        if start < close {
            out.push((start, close));
        }
        super::budget::spend((close - open) as u64);
        // Drop empty trailing pieces (`f(a,)`) and newlines at the edges.
        out.retain(|&(a, b)| (a..b).any(|k| self.toks[k].tok != Tok::Newline));
        out
    }

    /// Token indices at the top level of `[a, b)` (not inside brackets).
    pub fn top_level(&self, a: usize, b: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = a;
        while i < b {
            out.push(i);
            if matches!(self.tok(i), Some(Tok::Punct("(" | "[" | "{")))
                && let Some(p) = self.close_of(i)
            {
                i = p;
            }
            i += 1;
        }
        super::budget::spend(out.len() as u64 + 1);
        out
    }

    /// For a keyword/named argument range `name = value` / `name: value`, the name and the
    /// value range.
    pub fn named_arg(&self, (a, b): (usize, usize)) -> Option<(&str, (usize, usize))> {
        let a = self.skip_newlines(a, b);
        let name = self.ident(a)?;
        if a + 1 < b && (self.is_punct(a + 1, "=") || self.is_punct(a + 1, ":")) {
            return Some((name, (a + 2, b)));
        }
        None
    }

    pub fn skip_newlines(&self, mut a: usize, b: usize) -> usize {
        while a < b && self.toks[a].tok == Tok::Newline {
            a += 1;
        }
        a
    }

    /// The end (exclusive) of the expression or statement starting at `start`: stops at a
    /// top-level `;`, `,`, an unmatched closing bracket, or a newline that does not continue
    /// the expression (no operator before or after it) — also a newline the lexer kept no
    /// token for because a bracket is open around the block (`it("x", () => {` … `})`).
    pub fn expr_end(&self, start: usize) -> usize {
        let end = self.expr_end_unmetered(start);
        super::budget::spend(end.saturating_sub(start) as u64 + 1);
        end
    }

    fn expr_end_unmetered(&self, start: usize) -> usize {
        let mut i = start;
        while i < self.toks.len() {
            let t = &self.toks[i].tok;
            if i > start && *t != Tok::Newline && self.hidden_newline_before(i) {
                let prev_op =
                    matches!(&self.toks[i - 1].tok, Tok::Punct(p) if CONTINUES.contains(p));
                let next_op = matches!(t, Tok::Punct(p) if CONTINUES.contains(p) && *p != "-");
                if !(prev_op || next_op) {
                    return i;
                }
            }
            match t {
                Tok::Punct(";" | ",") => return i,
                Tok::Punct(")" | "]" | "}") => return i,
                Tok::Punct("(" | "[" | "{") => {
                    i = self.close_of(i).map_or(self.toks.len(), |c| c + 1);
                    continue;
                }
                Tok::Newline => {
                    let prev_op = i > start
                        && matches!(&self.toks[i - 1].tok, Tok::Punct(p) if CONTINUES.contains(p));
                    let next_op = matches!(self.tok(i + 1), Some(Tok::Punct(p)) if CONTINUES.contains(p) && *p != "-");
                    if !(prev_op || next_op) {
                        return i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.toks.len()
    }

    /// Whether a line break precedes token `i` inside a `{` block or object that sits in
    /// parentheses or brackets (where the lexer emits no [`Tok::Newline`]). Not in Python,
    /// where a line break inside any bracket continues the expression.
    fn hidden_newline_before(&self, i: usize) -> bool {
        if self.lang == Lang::Python || i == 0 {
            return false;
        }
        let p = self.parent[i];
        if p == u32::MAX || !self.is_punct(p as usize, "{") {
            return false;
        }
        let (a, b) = (self.toks[i - 1].end, self.toks[i].start);
        a < b && self.src.as_bytes()[a..b].contains(&b'\n')
    }

    /// Whether the block that holds token `def` (a statement) also holds the later token
    /// `at`: in Python, no logical line between them is indented less than `def`'s line; in
    /// the brace languages and PowerShell, `at` is inside `def`'s innermost `{ }` (or both are
    /// outside any).
    pub fn block_holds(&self, def: usize, at: usize) -> bool {
        if def >= at || at >= self.toks.len() {
            return def == at;
        }
        if self.lang == Lang::Python {
            let d = self.indent_at(self.toks[def].start);
            super::budget::spend((at - def) as u64);
            return (def + 1..=at).all(|k| {
                !(self.toks[k - 1].tok == Tok::Newline && self.depth[k] == 0)
                    || self.indent_at(self.toks[k].start) >= d
            });
        }
        let mut p = self.parent[def];
        while p != u32::MAX && !self.is_punct(p as usize, "{") {
            p = self.parent[p as usize];
        }
        p == u32::MAX || self.partner[p as usize] > at
    }

    /// Index of the innermost function whose body contains token `i`.
    pub fn enclosing_fn(&self, i: usize) -> Option<usize> {
        match self.fn_at.get(i) {
            Some(&k) if k != u32::MAX => Some(k as usize),
            Some(_) => None,
            // While functions are being found.
            None => self
                .fns
                .iter()
                .enumerate()
                .filter(|(_, f)| f.body.0 <= i && i < f.body.1)
                .min_by_key(|(_, f)| f.body.1 - f.body.0)
                .map(|(k, _)| k),
        }
    }

    /// Whether the file names the `X-SailPoint-Experimental` header anywhere (computed once).
    pub fn mentions_experimental_header(&self) -> bool {
        *self
            .mentions_header
            .get_or_init(|| contains_ignore_case(self.src, "x-sailpoint-experimental"))
    }

    /// Start of the line holding byte `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        let k = self.line_starts.partition_point(|&s| s <= offset);
        self.line_starts[k.saturating_sub(1)]
    }

    /// Indentation (in columns) of the line holding byte `offset`.
    pub fn indent_at(&self, offset: usize) -> usize {
        let line_start = self.line_start(offset.min(self.src.len()));
        self.src[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum()
    }

    /// Nesting of token `i` for scope decisions: bracket depth, or indentation in Python.
    pub fn nesting(&self, i: usize) -> usize {
        match self.lang {
            Lang::Python => self.indent_at(self.toks[i].start),
            _ => self.depth[i] as usize,
        }
    }

    fn find_functions(&self) -> Vec<FnDef> {
        match self.lang {
            Lang::Python => self.python_functions(),
            Lang::PowerShell => self.powershell_functions(),
            Lang::Shell => self.shell_functions(),
            Lang::Js | Lang::Go | Lang::Java | Lang::CSharp => self.brace_functions(),
        }
    }

    fn python_functions(&self) -> Vec<FnDef> {
        let mut out: Vec<FnDef> = Vec::new();
        // Open definitions: (index in `out`, indentation of the `def` line).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let n = self.toks.len();
        for i in 0..n {
            if self.toks[i].tok == Tok::Newline && i + 1 < n {
                // The next line closes every definition indented at least as deep as it.
                let ind = self.indent_at(self.toks[i + 1].start);
                while let Some(&(k, d)) = open.last() {
                    if ind <= d {
                        out[k].body.1 = i.max(out[k].body.0);
                        open.pop();
                    } else {
                        break;
                    }
                }
                continue;
            }
            if !self.toks[i].is_ident("def") {
                continue;
            }
            let Some(name) = self.ident(i + 1) else {
                continue;
            };
            if !self.is_punct(i + 2, "(") {
                continue;
            }
            let Some(close) = self.close_of(i + 2) else {
                continue;
            };
            let params = self.param_names(i + 2, true);
            let mut j = close + 1;
            while j < n && !self.is_punct(j, ":") && self.toks[j].tok != Tok::Newline {
                j += 1;
            }
            let body_start = (j + 1).min(n);
            open.push((out.len(), self.indent_at(self.toks[i].start)));
            out.push(FnDef {
                name: name.to_string(),
                params,
                body: (body_start, n),
                name_tok: i + 1,
            });
        }
        out
    }

    /// Parameter names inside the bracket at `open`: the first identifier of each argument
    /// (Python/JS/TS defaults and annotations follow it), or the last one before a default
    /// (`Type name`, Go `name Type` is handled by the caller).
    fn param_names(&self, open: usize, first_ident: bool) -> Vec<String> {
        self.param_ranges(open)
            .into_iter()
            .filter_map(|(a, b)| {
                let end = (a..b)
                    .find(|&k| self.is_punct(k, "=") || self.is_punct(k, ":"))
                    .unwrap_or(b);
                let idents: Vec<&str> = (a..end)
                    .filter_map(|k| match &self.toks[k].tok {
                        Tok::Ident(s) => Some(s.as_str()),
                        Tok::Var(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .filter(|s| {
                        !matches!(
                            *s,
                            "self"
                                | "cls"
                                | "this"
                                | "final"
                                | "const"
                                | "readonly"
                                | "public"
                                | "private"
                                | "protected"
                                | "ref"
                                | "out"
                                | "in"
                        )
                    })
                    .collect();
                let pick = if first_ident {
                    idents.first()
                } else {
                    idents.last()
                };
                pick.map(|s| s.trim_start_matches('*').to_string())
            })
            .collect()
    }

    /// The parameters of a definition at `open`: its arguments, with Java/C# generic types
    /// (`Map<String, String> headers`) kept whole.
    pub fn param_ranges(&self, open: usize) -> Vec<(usize, usize)> {
        let args = self.args(open);
        if !matches!(self.lang, Lang::Java | Lang::CSharp) {
            return args;
        }
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut depth = 0i32;
        for (a, b) in args {
            match out.last_mut() {
                Some(last) if depth > 0 => last.1 = b,
                _ => out.push((a, b)),
            }
            for k in a..b {
                match self.tok(k) {
                    Some(Tok::Punct("<")) => depth += 1,
                    Some(Tok::Punct(">")) => depth -= 1,
                    Some(Tok::Punct(">>")) => depth -= 2,
                    _ => {}
                }
            }
            depth = depth.max(0);
        }
        out
    }

    /// JS/TS, Go, Java, C#: `function f(a) {`, `f(a) {` (methods), `f = (a) => {`,
    /// `func (r T) F(a T) R {`, `Type F(Type a) {`.
    fn brace_functions(&self) -> Vec<FnDef> {
        let mut out = Vec::new();
        let n = self.toks.len();
        for i in 0..n {
            if !self.is_punct(i, "(") {
                continue;
            }
            let Some(close) = self.close_of(i) else {
                continue;
            };
            // Find the body brace: after `)`, skipping a return type / `=>` / `throws`.
            let mut j = close + 1;
            let mut arrow = false;
            let mut steps = 0;
            let java_cs = matches!(self.lang, Lang::Java | Lang::CSharp);
            // `f(x).g(...)`: a call chain, never a definition (Kotlin `.use {`, `.let {`).
            if self.is_punct(j, ".") || self.is_punct(j, "?.") {
                continue;
            }
            let mut throws = false;
            while j < n && steps < 12 {
                match &self.toks[j].tok {
                    Tok::Punct("{") => break,
                    Tok::Punct("=>") => {
                        arrow = true;
                        j += 1;
                        break;
                    }
                    // Java/C# braces on the next line (Allman style).
                    Tok::Newline if java_cs => {}
                    // Java `throws A, B {`.
                    Tok::Ident(w) if java_cs && w == "throws" => throws = true,
                    Tok::Punct(",") if throws => {}
                    // Kotlin expression bodies: `fun f(x: T) = expr`.
                    Tok::Punct("=")
                        if self.lang == Lang::Java
                            && i >= 2
                            && (i.saturating_sub(4)..i).any(|k| self.is_ident_at(k, "fun")) =>
                    {
                        arrow = true;
                        j += 1;
                        break;
                    }
                    Tok::Punct(";" | "," | ")" | "=" | "}") | Tok::Newline
                        if self.lang != Lang::Go || !self.is_punct(j, ")") =>
                    {
                        j = n;
                        break;
                    }
                    // C# constructor initialisers `: base(x)` / `: this(x)`.
                    Tok::Punct("(")
                        if self.lang == Lang::CSharp
                            && matches!(self.ident(j - 1), Some("base" | "this"))
                            && self.is_punct(j - 2, ":") =>
                    {
                        j = self.close_of(j).map_or(n, |c| c + 1);
                        steps += 1;
                        continue;
                    }
                    Tok::Punct("(") if self.lang == Lang::Go => {
                        // Go multiple results `(int, error)`.
                        j = self.close_of(j).map_or(n, |c| c + 1);
                        steps += 1;
                        continue;
                    }
                    // Elsewhere `f(x) g(y) {` is an annotation before a definition, not one.
                    Tok::Punct("(") => {
                        j = n;
                        break;
                    }
                    _ => {}
                }
                j += 1;
                steps += 1;
            }
            // The look-ahead ends on the body's `{` (or after `=>`); anything else (it ran
            // out of steps, or stopped on a closing bracket) is not a definition.
            if j >= n || !arrow && !self.is_punct(j, "{") {
                continue;
            }
            if arrow {
                // `=> \n  expr`: the body starts on the next line.
                j = self.skip_newlines(j, n);
            }
            let body = if arrow {
                if self.is_punct(j, "{") {
                    match self.close_of(j) {
                        Some(c) => (j + 1, c),
                        None => continue,
                    }
                } else {
                    // The expression may start on the next line (`=>\n    expr`).
                    let j = self.skip_newlines(j, n);
                    (j, self.expr_end(j))
                }
            } else {
                match self.close_of(j) {
                    Some(c) => (j + 1, c),
                    None => continue,
                }
            };
            // The name: the identifier before `(`, or for arrows `name = (...) =>` /
            // `name: (...) =>` / `name = async (...) =>`.
            let mut k = i;
            // Type parameters between the name and `(`: `get<T>(path)`, `Get<T>(string p)`.
            if k > 0
                && (self.is_punct(k - 1, ">") || self.is_punct(k - 1, ">>"))
                && let Some(lt) = self.type_params_open(k - 1)
            {
                k = lt;
            }
            let mut name = None;
            // C# generic methods `Name<T>(...)`: the name is before the type parameters.
            let mut name_end = k;
            if self.lang == Lang::CSharp && k > 0 && self.is_punct(k - 1, ">") {
                let mut d = 0i32;
                let mut m = k;
                while m > 0 {
                    m -= 1;
                    match self.tok(m) {
                        Some(Tok::Punct(">")) => d += 1,
                        Some(Tok::Punct(">>")) => d += 2,
                        Some(Tok::Punct("<")) => d -= 1,
                        Some(Tok::Ident(_) | Tok::Punct("," | "." | "?" | "[" | "]")) => {}
                        _ => break,
                    }
                    if d == 0 {
                        name_end = m;
                        break;
                    }
                }
            }
            // Annotations `@Retry(3)` and constructor calls `new T(x) { Init = 1 }` are not
            // definitions.
            if name_end > 1 && self.is_punct(name_end - 2, "@") {
                continue;
            }
            if self.ident(name_end.wrapping_sub(1)).is_some() {
                let mut m = name_end - 1;
                while m >= 2 && self.is_punct(m - 1, ".") && self.ident(m - 2).is_some() {
                    m -= 2;
                }
                if m >= 1 && self.is_ident_at(m - 1, "new") {
                    continue;
                }
            }
            // Kotlin/C#/Java primary constructors and records: `class A(val x: T) {`.
            if name_end >= 2
                && matches!(
                    self.ident(name_end - 2),
                    Some("class" | "record" | "struct" | "interface" | "object")
                )
            {
                continue;
            }
            k = name_end;
            if k > 0
                && let Some(id) = self.ident(k - 1)
            {
                if !matches!(
                    id,
                    "if" | "for"
                        | "while"
                        | "switch"
                        | "catch"
                        | "return"
                        | "function"
                        | "async"
                        | "foreach"
                        | "using"
                        | "lock"
                        | "fixed"
                        | "await"
                        | "new"
                        | "typeof"
                        | "sizeof"
                        | "func"
                        | "super"
                        | "base"
                        | "else"
                        | "when"
                        | "synchronized"
                        | "try"
                        | "nameof"
                        | "throw"
                ) {
                    name = Some((id.to_string(), k - 1));
                } else if id == "async" || id == "function" {
                    k -= 1;
                }
            }
            if arrow || name.is_none() {
                // `const f = (…) =>`, `f: function (…)`, `f = async function (…)`.
                let mut m = k;
                // Go `get := func(p string) ... {`.
                while m > 0 && matches!(self.ident(m - 1), Some("async" | "function" | "func")) {
                    m -= 1;
                }
                if m >= 2
                    && (self.is_punct(m - 1, "=")
                        || self.is_punct(m - 1, ":")
                        || self.is_punct(m - 1, ":=") && self.lang == Lang::Go)
                    && let Some(id) = self.ident(m - 2)
                {
                    name = Some((id.to_string(), m - 2));
                }
            }
            let Some((name, name_tok)) = name else {
                continue;
            };
            // Calls are not definitions: `foo(x) {` only follows a definition; in C-like
            // languages a call is followed by `;`, `)` or an operator, which we excluded.
            let go_style = self.lang == Lang::Go;
            let params = if go_style {
                self.go_params(i)
            } else {
                self.param_names(i, self.lang == Lang::Js)
            };
            out.push(FnDef {
                name,
                params,
                body,
                name_tok,
            });
        }
        if self.lang == Lang::Js {
            out.extend(self.bare_arrows());
        }
        out
    }

    /// JS arrows with one bare parameter: `const get = path => fetch(BASE + path)`,
    /// `get: async (path) =>` is handled with the parenthesised forms.
    fn bare_arrows(&self) -> Vec<FnDef> {
        let n = self.toks.len();
        let mut out = Vec::new();
        for i in 1..n {
            let Some(param) = self.ident(i) else { continue };
            if !self.is_punct(i + 1, "=>") {
                continue;
            }
            let mut m = i;
            if self.ident(m - 1) == Some("async") {
                m -= 1;
            }
            if m < 2 || !(self.is_punct(m - 1, "=") || self.is_punct(m - 1, ":")) {
                continue;
            }
            let Some(name) = self.ident(m - 2) else {
                continue;
            };
            let j = self.skip_newlines(i + 2, n);
            let body = if self.is_punct(j, "{") {
                match self.close_of(j) {
                    Some(c) => (j + 1, c),
                    None => continue,
                }
            } else {
                (j, self.expr_end(j))
            };
            out.push(FnDef {
                name: name.to_string(),
                params: vec![param.to_string()],
                body,
                name_tok: m - 2,
            });
        }
        out
    }

    /// For a `>` closing type parameters or arguments (`get<T>`, `request<Array<Source>>`),
    /// the index of its `<`; `None` when the tokens between are not a type.
    pub fn type_params_open(&self, gt: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut k = gt;
        loop {
            match self.tok(k)? {
                Tok::Punct(">") => depth += 1,
                Tok::Punct(">>") => depth += 2,
                Tok::Punct("<") => {
                    depth -= 1;
                    if depth == 0 {
                        return (k > 0 && self.ident(k - 1).is_some()).then_some(k);
                    }
                }
                Tok::Punct("," | "." | "[" | "]" | "|" | "&" | "?" | "{" | "}" | ":" | ";")
                | Tok::Ident(_)
                | Tok::Str(_) => {}
                _ => return None,
            }
            if k == 0 || gt - k > 40 {
                return None;
            }
            k -= 1;
        }
    }

    /// The `(` of a call whose callee name is token `i`: `f(`, `f<T>(` (type arguments),
    /// `f?.(`.
    pub fn call_paren(&self, i: usize) -> Option<usize> {
        if self.is_punct(i + 1, "(") {
            return Some(i + 1);
        }
        if self.is_punct(i + 1, "?.") && self.is_punct(i + 2, "(") {
            return Some(i + 2);
        }
        if matches!(self.lang, Lang::Js | Lang::Java | Lang::CSharp) && self.is_punct(i + 1, "<") {
            let mut depth = 0usize;
            let mut k = i + 1;
            while k < self.toks.len() && k < i + 40 {
                match &self.toks[k].tok {
                    Tok::Punct("<") => depth += 1,
                    Tok::Punct(">") => depth -= 1,
                    Tok::Punct(">>") => depth = depth.saturating_sub(2),
                    Tok::Punct("," | "." | "[" | "]" | "|" | "&" | "?" | "{" | "}" | ":" | ";")
                    | Tok::Ident(_)
                    | Tok::Str(_) => {}
                    _ => return None,
                }
                if depth == 0 {
                    return self.is_punct(k + 1, "(").then_some(k + 1);
                }
                k += 1;
            }
        }
        None
    }

    /// The properties of an object literal at `open` (`{`): `(Some(key), value)` for
    /// `key: value`, `'key': value` and shorthand `key` (the value is the name itself);
    /// `(None, expr)` for a spread `...expr`. Methods and computed keys are skipped.
    pub fn object_props(&self, open: usize) -> Vec<(Option<String>, (usize, usize))> {
        let mut out = Vec::new();
        for (a, b) in self.args(open) {
            let a = self.skip_newlines(a, b);
            if self.is_punct(a, "...") {
                out.push((None, (a + 1, b)));
                continue;
            }
            let key = match self.tok(a) {
                Some(Tok::Ident(k)) => k.to_string(),
                Some(Tok::Str(s)) => match s.plain() {
                    Some(k) => k,
                    None => continue,
                },
                _ => continue,
            };
            if self.is_punct(a + 1, ":") {
                out.push((Some(key), (a + 2, b)));
            } else if a + 1 == b || self.toks[a + 1].tok == Tok::Newline {
                out.push((Some(key), (a, a + 1)));
            }
        }
        out
    }

    /// The default value of parameter `name` of function `f` (`path = '/v3/x'`,
    /// `opts: Options = {}`), as a token range.
    pub fn param_default(&self, f: usize, name: &str) -> Option<(usize, usize)> {
        let def = self.fns.get(f)?;
        // The parameter list after the name, and a PowerShell `param(` block in the body.
        let mut lists: Vec<usize> = (def.name_tok + 1..def.body.0)
            .find(|&k| self.is_punct(k, "("))
            .into_iter()
            .collect();
        if let Some(j) = (def.body.0..def.body.1.min(def.body.0 + 64)).find(|&j| {
            self.ident(j)
                .is_some_and(|s| s.eq_ignore_ascii_case("param"))
                && self.is_punct(j + 1, "(")
        }) {
            lists.push(j + 1);
        }
        let same =
            |s: &str| s == name || self.lang == Lang::PowerShell && s.eq_ignore_ascii_case(name);
        for open in lists {
            for (a, b) in self.args(open) {
                // Skip attributes and casts (`[Parameter()] [string] $Path`).
                let mut a = self.skip_newlines(a, b);
                while self.is_punct(a, "[") {
                    a = self.close_of(a).map_or(b, |c| c + 1);
                }
                let first = (a..b).find_map(|k| match &self.toks[k].tok {
                    Tok::Ident(s)
                        if !matches!(
                            s.as_str(),
                            "public" | "private" | "protected" | "readonly" | "self" | "this"
                        ) =>
                    {
                        Some(s.as_str())
                    }
                    Tok::Var(s) => Some(s.as_str()),
                    _ => None,
                });
                let eq = (a..b).find(|&k| self.is_punct(k, "=") && self.depth[k] == self.depth[a]);
                // C#: the type comes first (`string api = "v3"`): the name is before the `=`.
                let typed = self.lang == Lang::CSharp
                    && eq.is_some_and(|e| e > a && self.ident(e - 1).is_some_and(same));
                if !first.is_some_and(same) && !typed {
                    continue;
                }
                return Some((eq? + 1, b));
            }
        }
        None
    }

    /// Go parameters: `a, b string, c int` → a, b, c.
    fn go_params(&self, open: usize) -> Vec<String> {
        self.args(open)
            .into_iter()
            .filter_map(|(a, _)| self.ident(a).map(str::to_string))
            .collect()
    }

    /// `function Name { param($a, [string]$b) ... }` and `function Name($a, $b) { ... }`.
    fn powershell_functions(&self) -> Vec<FnDef> {
        let mut out = Vec::new();
        for i in 0..self.toks.len() {
            let kw = self.ident(i).map(|s| s.to_ascii_lowercase());
            if !matches!(kw.as_deref(), Some("function" | "filter")) {
                continue;
            }
            let Some(name) = self.ident(i + 1) else {
                continue;
            };
            let mut j = i + 2;
            let mut params = Vec::new();
            if self.is_punct(j, "(") {
                params = self.vars_in(j, self.close_of(j).unwrap_or(j));
                j = self.close_of(j).map_or(j + 1, |c| c + 1);
            }
            while j < self.toks.len() && self.toks[j].tok == Tok::Newline {
                j += 1;
            }
            if !self.is_punct(j, "{") {
                continue;
            }
            let Some(close) = self.close_of(j) else {
                continue;
            };
            // A `param(...)` block.
            let mut k = j + 1;
            while k < close {
                if self.toks[k].tok == Tok::Newline
                    || self.is_punct(k, "[")
                        && self
                            .ident(k + 1)
                            .is_some_and(|s| s.eq_ignore_ascii_case("CmdletBinding"))
                {
                    if self.is_punct(k, "[") {
                        k = self.close_of(k).map_or(k + 1, |c| c + 1);
                        if self.is_punct(k, "(") {
                            k = self.close_of(k).map_or(k + 1, |c| c + 1);
                        }
                        continue;
                    }
                    k += 1;
                    continue;
                }
                break;
            }
            if self
                .ident(k)
                .is_some_and(|s| s.eq_ignore_ascii_case("param"))
                && self.is_punct(k + 1, "(")
            {
                let pc = self.close_of(k + 1).unwrap_or(k + 1);
                params = self.vars_in(k + 1, pc);
            }
            out.push(FnDef {
                name: name.to_string(),
                params,
                body: (j + 1, close),
                name_tok: i + 1,
            });
        }
        out
    }

    /// Top-level `$variables` of a parameter list (attributes and defaults skipped).
    fn vars_in(&self, open: usize, close: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = open + 1;
        let mut expect = true;
        while i < close {
            if self.is_punct(i, "[") {
                i = self.close_of(i).map_or(i + 1, |c| c + 1);
                continue;
            }
            match &self.toks[i].tok {
                Tok::Var(v) if expect => {
                    out.push(v.to_string());
                    expect = false;
                }
                Tok::Punct(",") if self.depth[i] == self.depth[open] + 1 => expect = true,
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// `name() { ... }` and `function name { ... }`; parameters are positional (`$1`...).
    fn shell_functions(&self) -> Vec<FnDef> {
        let mut out = Vec::new();
        for i in 0..self.toks.len() {
            let (name, brace) = if self.is_ident_at(i, "function") {
                let Some(n) = self.ident(i + 1) else { continue };
                let mut b = i + 2;
                if self.is_punct(b, "(") && self.is_punct(b + 1, ")") {
                    b += 2;
                }
                (n, b)
            } else if let Some(n) = self.ident(i) {
                if self.is_punct(i + 1, "(") && self.is_punct(i + 2, ")") {
                    (n, i + 3)
                } else {
                    continue;
                }
            } else {
                continue;
            };
            let mut b = brace;
            while b < self.toks.len() && self.toks[b].tok == Tok::Newline {
                b += 1;
            }
            if !self.is_punct(b, "{") {
                continue;
            }
            let Some(close) = self.close_of(b) else {
                continue;
            };
            out.push(FnDef {
                name: name.to_string(),
                params: (1..=9).map(|n| n.to_string()).collect(),
                body: (b + 1, close),
                name_tok: i,
            });
        }
        out
    }

    pub fn is_ident_at(&self, i: usize, s: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_ident(s))
    }
}

/// ASCII case-insensitive substring search without allocating.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (n, h) = (needle.as_bytes(), hay.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    // Candidates start with the needle's first byte in either case (a vectorised search),
    // then the window is compared.
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let last_start = match h.len().checked_sub(n.len()) {
        Some(l) => l,
        None => return false,
    };
    memchr::memchr2_iter(lo, up, &h[..last_start + 1])
        .any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// A cheap identity of a source text for per-file memos: its address and a hash of its
/// edges (an address reused by another text of the same length is told apart).
pub fn fingerprint(src: &str) -> usize {
    use std::hash::{Hash, Hasher};
    let b = src.as_bytes();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    b[..b.len().min(256)].hash(&mut h);
    b[b.len().saturating_sub(256)..].hash(&mut h);
    (src.as_ptr() as usize) ^ (h.finish() as usize)
}

/// Tokens that, at the end or start of a line, continue an expression onto the next line.
const CONTINUES: &[&str] = &[
    "+", "-", "?", ":", "||", "&&", "??", ".", "?.", "=", "(", ",", "%",
];

/// A [`Code`] without its text (see [`Code::detach`]).
#[derive(Debug)]
pub struct Detached {
    len: usize,
    lang: Lang,
    toks: Vec<Token>,
    comments: Vec<Comment>,
    partner: Vec<usize>,
    depth: Vec<u32>,
    parent: Vec<u32>,
    fns: Vec<FnDef>,
    fn_at: Vec<u32>,
    line_starts: Vec<usize>,
    mentions_header: std::sync::OnceLock<bool>,
    fn_name_toks: std::sync::OnceLock<Vec<usize>>,
    derived: std::sync::OnceLock<Box<dyn std::any::Any + Send + Sync>>,
    imports: std::sync::OnceLock<std::collections::HashMap<String, (String, String)>>,
}

impl Detached {
    /// The structure again, over `src` — the text it was made from (`None` for a text of
    /// another length: the caller lexes it afresh).
    pub fn attach(self, src: &str) -> Option<Code<'_>> {
        (src.len() == self.len).then(|| Code {
            src,
            lang: self.lang,
            toks: self.toks,
            comments: self.comments,
            partner: self.partner,
            depth: self.depth,
            parent: self.parent,
            fns: self.fns,
            fn_at: self.fn_at,
            line_starts: self.line_starts,
            mentions_header: self.mentions_header,
            fn_name_toks: self.fn_name_toks,
            derived: self.derived,
            imports: self.imports,
        })
    }
}

/// Names a Python or JavaScript/TypeScript file imports: local name → (module stem, the name
/// in that module; empty when the local name is the module itself). Other languages: none.
pub fn imports(code: &Code) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    match code.lang {
        Lang::Python => python_imports(code, &mut out),
        Lang::Js => js_imports(code, &mut out),
        _ => {}
    }
    out
}

/// The stem of a module path: `app.settings` → `settings`, `./lib/config.js` → `config`,
/// `./config/index` → `config`.
pub fn module_stem_of(path: &str) -> String {
    let path = path.trim_end_matches('/');
    let last = path.rsplit(['/', '.']).find(|p| {
        !p.is_empty() && !matches!(*p, "js" | "ts" | "mjs" | "cjs" | "jsx" | "tsx" | "py")
    });
    let last = last.unwrap_or(path);
    if matches!(last, "index" | "__init__") {
        let parent = path.rsplit_once('/').map_or("", |(d, _)| d);
        return parent.rsplit('/').next().unwrap_or(parent).to_string();
    }
    last.to_string()
}

fn python_imports(code: &Code, out: &mut HashMap<String, (String, String)>) {
    let n = code.len();
    let dotted = |mut k: usize| -> (Vec<&str>, usize) {
        let mut parts = Vec::new();
        while let Some(id) = code.ident(k) {
            parts.push(id);
            if code.is_punct(k + 1, ".") {
                k += 2;
            } else {
                return (parts, k + 1);
            }
        }
        (parts, k)
    };
    for i in 0..n {
        let kw = code.ident(i);
        if !matches!(kw, Some("import" | "from"))
            || i > 0 && !matches!(code.tok(i - 1), Some(Tok::Newline | Tok::Punct(";" | ":")))
        {
            continue;
        }
        if kw == Some("import") {
            // import a.b.config [as c], other
            let mut k = i + 1;
            loop {
                let (parts, next) = dotted(k);
                let Some(&last) = parts.last() else { break };
                k = next;
                let local = if code.ident(k) == Some("as") {
                    k += 2;
                    code.ident(k - 1).unwrap_or(last)
                } else {
                    parts[0]
                };
                if parts.len() == 1 || local != parts[0] {
                    out.insert(local.to_string(), (last.to_string(), String::new()));
                }
                if !code.is_punct(k, ",") {
                    break;
                }
                k += 1;
            }
            continue;
        }
        // from [.]a.b import X [as Y], ... | from . import config
        let mut k = i + 1;
        while code.is_punct(k, ".") || code.is_punct(k, "...") {
            k += 1;
        }
        let (parts, next) = if code.ident(k) == Some("import") {
            (Vec::new(), k)
        } else {
            dotted(k)
        };
        k = next;
        if code.ident(k) != Some("import") {
            continue;
        }
        k += 1;
        let paren = code.is_punct(k, "(");
        let end = if paren {
            code.close_of(k).unwrap_or(n)
        } else {
            (k..n)
                .find(|&j| matches!(code.tok(j), Some(Tok::Newline | Tok::Punct(";"))))
                .unwrap_or(n)
        };
        if paren {
            k += 1;
        }
        while k < end {
            let Some(name) = code.ident(k) else {
                k += 1;
                continue;
            };
            let local = if code.ident(k + 1) == Some("as") {
                code.ident(k + 2).unwrap_or(name)
            } else {
                name
            };
            let entry = match parts.last() {
                Some(m) => (m.to_string(), name.to_string()),
                // `from . import config`: the module itself.
                None => (name.to_string(), String::new()),
            };
            out.insert(local.to_string(), entry);
            k += if local == name { 1 } else { 3 };
        }
    }
}

fn js_imports(code: &Code, out: &mut HashMap<String, (String, String)>) {
    let n = code.len();
    let string_at = |k: usize| match code.tok(k) {
        Some(Tok::Str(s)) => s.plain(),
        _ => None,
    };
    // Only relative paths are project modules.
    let project_path = |p: &str| p.starts_with('.') || p.starts_with('/');
    let names_in = |open: usize, module: &str, out: &mut HashMap<String, (String, String)>| {
        for (a, b) in code.args(open) {
            let a = code.skip_newlines(a, b);
            let Some(name) = code.ident(a) else { continue };
            let local = if code.ident(a + 1) == Some("as") || code.is_punct(a + 1, ":") {
                code.ident(a + 2).unwrap_or(name)
            } else {
                name
            };
            out.insert(local.to_string(), (module.to_string(), name.to_string()));
        }
    };
    for i in 0..n {
        match code.ident(i) {
            Some("import") if !code.is_punct(i + 1, "(") => {
                // import X, { a, b as c } from './config'; import * as cfg from './config'
                let Some(from) = (i + 1..n.min(i + 400))
                    .find(|&k| code.ident(k) == Some("from") && string_at(k + 1).is_some())
                else {
                    continue;
                };
                let Some(path) = string_at(from + 1) else {
                    continue;
                };
                if !project_path(&path) {
                    continue;
                }
                let module = module_stem_of(&path);
                let mut k = i + 1;
                while k < from {
                    if code.is_punct(k, "{") {
                        names_in(k, &module, out);
                        k = code.close_of(k).unwrap_or(from) + 1;
                    } else if code.is_punct(k, "*") && code.ident(k + 1) == Some("as") {
                        if let Some(local) = code.ident(k + 2) {
                            out.insert(local.to_string(), (module.clone(), String::new()));
                        }
                        k += 3;
                    } else if let Some(local) = code.ident(k).filter(|w| *w != "type") {
                        // A default import: the module's `default` export is not tracked;
                        // `cfg.BASE` of a CommonJS-style object still resolves.
                        out.insert(local.to_string(), (module.clone(), String::new()));
                        k += 1;
                    } else {
                        k += 1;
                    }
                }
            }
            Some("require") if code.is_punct(i + 1, "(") => {
                // const { a, b: c } = require('./config'); const cfg = require('./config')
                let Some(path) = string_at(i + 2) else {
                    continue;
                };
                if !project_path(&path) || !code.is_punct(i.wrapping_sub(1), "=") {
                    continue;
                }
                let module = module_stem_of(&path);
                let lhs = i.wrapping_sub(2);
                if code.is_punct(lhs, "}") {
                    if let Some(open) = code.close_of(lhs) {
                        names_in(open, &module, out);
                    }
                } else if let Some(local) = code.ident(lhs) {
                    out.insert(local.to_string(), (module, String::new()));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `balance` returns the tokens as they are exactly when copying them would add
    /// nothing: its answer is always that of the copying pass.
    #[test]
    fn balance_is_the_copying_pass() {
        use crate::discover::lex::{Tok, Token};
        use proptest::prelude::*;
        let puncts = prop::collection::vec(
            prop::sample::select(vec!["(", ")", "[", "]", "{", "}", ","]),
            0..16,
        );
        proptest!(|(ps in puncts)| {
            let toks: Vec<Token> = ps
                .iter()
                .enumerate()
                .map(|(i, p)| Token { tok: Tok::Punct(p), start: i, end: i + 1 })
                .collect();
            prop_assert_eq!(
                super::balance(toks.clone(), ps.len()),
                super::rebalance(toks, ps.len())
            );
        });
    }

    /// `contains_ignore_case` is the naive comparison of every window (any bytes, any case,
    /// needles longer than the text, the needle at either end).
    #[test]
    fn contains_ignore_case_is_every_window() {
        use proptest::prelude::*;
        let text = prop::collection::vec(prop::sample::select(b"aAbB\xc3\xa9x".to_vec()), 0..24);
        let needle = prop::collection::vec(prop::sample::select(b"aAbBx".to_vec()), 1..5);
        proptest!(|(t in text, n in needle)| {
            let t = String::from_utf8_lossy(&t).into_owned();
            let n = String::from_utf8(n).expect("ascii");
            let naive = t
                .as_bytes()
                .windows(n.len())
                .any(|w| w.eq_ignore_ascii_case(n.as_bytes()));
            prop_assert_eq!(super::contains_ignore_case(&t, &n), naive);
        });
    }

    #[test]
    fn python_functions_and_args() {
        let src = "import requests\n\ndef api_get(path, params=None):\n    url = BASE + path\n    return requests.get(url, params=params)\n\nx = api_get('/v3/sources')\n";
        let c = Code::new(src, Lang::Python);
        assert_eq!(c.fns.len(), 1);
        assert_eq!(c.fns[0].name, "api_get");
        assert_eq!(c.fns[0].params, vec!["path", "params"]);
        let body = c.fns[0].body;
        let last_call = c.toks.iter().rposition(|t| t.is_ident("api_get")).unwrap();
        assert!(last_call >= body.1);
        let get = c.toks.iter().position(|t| t.is_ident("get")).unwrap();
        assert!(body.0 <= get && get < body.1);
        let args = c.args(get + 1);
        assert_eq!(args.len(), 2);
        assert_eq!(c.named_arg(args[1]).map(|x| x.0), Some("params"));
    }

    #[test]
    fn js_functions() {
        let src = "async function getJson(path) { return fetch(BASE + path) }\nconst post = async (p, body) => { await axios.post(p, body) }\nclass A { list(id) { return this.http.get(`/v3/x/${id}`) } }";
        let c = Code::new(src, Lang::Js);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["getJson", "post", "list"]);
        assert_eq!(c.fns[1].params, vec!["p", "body"]);
    }

    #[test]
    fn js_generic_methods_bare_arrows_props_and_defaults() {
        let src = "class C {\n  async get<T>(path: string): Promise<T> { return this.http.get<T>(path) }\n}\nconst iscGet = path =>\n  fetch(BASE + path)\nexport const del = async (p, opts = { method: 'DELETE' }) => {\n  return fetch(p, { ...opts, method, 'x-y': 1 })\n}\n";
        let c = Code::new(src, Lang::Js);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["get", "del", "iscGet"]);
        assert_eq!(c.fns[2].params, vec!["path"]);
        let fetch = c.toks.iter().position(|t| t.is_ident("fetch")).unwrap();
        assert_eq!(c.enclosing_fn(fetch), Some(2));
        // `this.http.get<T>(path)`: the call's parenthesis after the type arguments.
        let get = c.toks.iter().rposition(|t| t.is_ident("get")).unwrap();
        assert!(c.is_punct(c.call_paren(get).unwrap(), "("));
        assert_eq!(
            c.call_paren(c.toks.iter().position(|t| t.is_ident("class")).unwrap()),
            None
        );
        // Defaults and object literal properties.
        let d = c.param_default(1, "opts").unwrap();
        let props = c.object_props(d.0);
        assert_eq!(props.len(), 1);
        assert_eq!(props[0].0.as_deref(), Some("method"));
        let lit = c
            .toks
            .iter()
            .rposition(|t| t.is_punct("{") && t.start > src.find("...").unwrap() - 3)
            .unwrap();
        let keys: Vec<Option<String>> = c.object_props(lit).into_iter().map(|p| p.0).collect();
        assert_eq!(keys, vec![None, Some("method".into()), Some("x-y".into())]);
        assert_eq!(c.param_default(1, "p"), None);
    }

    #[test]
    fn statements_end_at_line_breaks_inside_blocks_in_call_arguments() {
        let src = "it('x', async () => {\n  let api = new AccountsApi(cfg)\n  const r = await api.listAccounts()\n  const s = a\n    .b()\n})";
        let c = Code::new(src, Lang::Js);
        let new_tok = c.toks.iter().position(|t| t.is_ident("new")).unwrap();
        let end = c.expr_end(new_tok);
        assert!(c.toks[end].is_ident("const"), "{:?}", c.toks[end]);
        // A line starting with `.` continues the expression.
        let a = c.toks.iter().position(|t| t.is_ident("a")).unwrap();
        assert!(c.is_punct(c.expr_end(a), "}"));
        // Python: a line break inside brackets never ends the expression.
        let py = Code::new("f(a,\n  b)\n", Lang::Python);
        assert!(py.is_punct(py.expr_end(2), ","));
    }

    #[test]
    fn go_and_java_functions() {
        let go = "func (c *Client) Get(ctx context.Context, path string) (*http.Response, error) {\n\treturn c.do(\"GET\", path)\n}";
        let c = Code::new(go, Lang::Go);
        assert_eq!(c.fns[0].name, "Get");
        assert_eq!(c.fns[0].params, vec!["ctx", "path"]);
        let go = "func main() {\n\tget := func(p string) (*http.Response, error) {\n\t\treturn http.Get(base + p)\n\t}\n\tget(\"/v3/x\")\n}";
        let c = Code::new(go, Lang::Go);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["main", "get"]);
        assert_eq!(c.fns[1].params, vec!["p"]);
        let java = "public String get(String path, int n) throws IOException { return client.send(path); }";
        let c = Code::new(java, Lang::Java);
        assert_eq!(c.fns[0].name, "get");
        assert_eq!(c.fns[0].params, vec!["path", "n"]);
    }

    #[test]
    fn java_csharp_kotlin_definitions_not_calls() {
        // Annotations with arguments, throws lists, try-with-resources, Allman braces,
        // generic parameter types, C# generic methods, object initialisers, call chains.
        let java = "@Retryable(maxAttempts = 3)\npublic String get(Map<String, String> h, String path) throws IOException, InterruptedException {\n  try (var r = client.execute(new HttpGet(base + path))) { return x; }\n}";
        let c = Code::new(java, Lang::Java);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["get"]);
        assert_eq!(c.fns[0].params, vec!["h", "path"]);
        let cs = "public async Task<T> GetAsync<T>(string path, CancellationToken ct = default)\n{\n  var m = new HttpRequestMessage(HttpMethod.Get, path) { Version = v };\n  return await Send<T>(m);\n}\npublic IscClient(HttpClient http) : base(http)\n{\n}";
        let c = Code::new(cs, Lang::CSharp);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["GetAsync", "IscClient"]);
        assert_eq!(c.fns[0].params, vec!["path", "ct"]);
        let kt = "fun sources(path: String) = client.newCall(req).execute().use { r -> r.body }\nfun other(x: Int): String {\n  return y\n}";
        let c = Code::new(kt, Lang::Java);
        let names: Vec<&str> = c.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["sources", "other"]);
    }

    #[test]
    fn powershell_and_shell_functions() {
        let ps = "function Invoke-Isc {\n  [CmdletBinding()]\n  param([string]$Path, $Method = 'Get')\n  Invoke-RestMethod -Uri \"$base$Path\" -Method $Method\n}";
        let c = Code::new(ps, Lang::PowerShell);
        assert_eq!(c.fns[0].name, "Invoke-Isc");
        assert_eq!(c.fns[0].params, vec!["Path", "Method"]);
        let lit = |c: &Code, r: Option<(usize, usize)>| match r.and_then(|(a, _)| c.tok(a).cloned())
        {
            Some(Tok::Str(s)) => s.plain(),
            _ => None,
        };
        assert_eq!(
            lit(&c, c.param_default(0, "method")).as_deref(),
            Some("Get")
        );
        assert_eq!(c.param_default(0, "Path"), None);
        let py = Code::new("def api(path, method='GET'):\n    pass\n", Lang::Python);
        assert_eq!(
            lit(&py, py.param_default(0, "method")).as_deref(),
            Some("GET")
        );
        let sh = "isc_get() {\n  curl -s \"$BASE$1\"\n}\n";
        let c = Code::new(sh, Lang::Shell);
        assert_eq!(c.fns[0].name, "isc_get");
    }
}
