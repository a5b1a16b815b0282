//! A lexed file with the structure front-ends need: matching brackets, argument lists,
//! statement extents, nesting depth, and function definitions (for scopes and for project
//! helpers that wrap HTTP calls).

use super::lex::{self, Comment, Lang, Tok, Token};

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
}

impl<'a> Code<'a> {
    pub fn new(src: &'a str, lang: Lang) -> Code<'a> {
        let lexed = lex::lex(src, lang);
        let toks = lexed.tokens;
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
                    let want = match *c {
                        ")" => "(",
                        "]" => "[",
                        _ => "{",
                    };
                    // Pop to the matching opener (tolerates stray brackets).
                    if let Some(pos) = stack.iter().rposition(|&o| toks[o].is_punct(want)) {
                        let o = stack[pos];
                        stack.truncate(pos);
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
            .chain(
                src.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
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
        };
        code.fns = code.find_functions();
        code.fn_at = code.function_map();
        code
    }

    /// For each token, the innermost function whose body holds it (one sweep).
    fn function_map(&self) -> Vec<u32> {
        let mut at = vec![u32::MAX; self.toks.len()];
        let mut order: Vec<usize> = (0..self.fns.len()).collect();
        // Outer bodies first, so inner ones overwrite them.
        order.sort_by_key(|&k| (self.fns[k].body.0, std::cmp::Reverse(self.fns[k].body.1)));
        for k in order {
            let (a, b) = self.fns[k].body;
            for slot in &mut at[a.min(self.toks.len())..b.min(self.toks.len())] {
                *slot = k as u32;
            }
        }
        at
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
        // Drop empty trailing pieces (`f(a,)`) and newlines at the edges.
        out.retain(|&(a, b)| (a..b).any(|k| self.toks[k].tok != Tok::Newline));
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
        self.args(open)
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
            while j < n && steps < 12 {
                match &self.toks[j].tok {
                    Tok::Punct("{") => break,
                    Tok::Punct("=>") => {
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
                    Tok::Punct("(") => {
                        // Go multiple results `(int, error)`.
                        j = self.close_of(j).map_or(n, |c| c + 1);
                        steps += 1;
                        continue;
                    }
                    _ => {}
                }
                j += 1;
                steps += 1;
            }
            if j >= n {
                continue;
            }
            let body = if arrow {
                if self.is_punct(j, "{") {
                    match self.close_of(j) {
                        Some(c) => (j + 1, c),
                        None => continue,
                    }
                } else {
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
            let mut name = None;
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
                ) {
                    name = Some((id.to_string(), k - 1));
                } else if id == "async" || id == "function" {
                    k -= 1;
                }
            }
            if arrow || name.is_none() {
                // `const f = (…) =>`, `f: function (…)`, `f = async function (…)`.
                let mut m = k;
                while m > 0 && matches!(self.ident(m - 1), Some("async" | "function")) {
                    m -= 1;
                }
                if m >= 2
                    && (self.is_punct(m - 1, "=") || self.is_punct(m - 1, ":"))
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
        out
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
                    out.push(v.clone());
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

    fn is_ident_at(&self, i: usize, s: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_ident(s))
    }
}

/// ASCII case-insensitive substring search without allocating.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Tokens that, at the end or start of a line, continue an expression onto the next line.
const CONTINUES: &[&str] = &[
    "+", "-", "?", ":", "||", "&&", "??", ".", "?.", "=", "(", ",", "%",
];

#[cfg(test)]
mod tests {
    use super::*;

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
        let java = "public String get(String path, int n) throws IOException { return client.send(path); }";
        let c = Code::new(java, Lang::Java);
        assert_eq!(c.fns[0].name, "get");
        assert_eq!(c.fns[0].params, vec!["path", "n"]);
    }

    #[test]
    fn powershell_and_shell_functions() {
        let ps = "function Invoke-Isc {\n  [CmdletBinding()]\n  param([string]$Path, $Method = 'Get')\n  Invoke-RestMethod -Uri \"$base$Path\" -Method $Method\n}";
        let c = Code::new(ps, Lang::PowerShell);
        assert_eq!(c.fns[0].name, "Invoke-Isc");
        assert_eq!(c.fns[0].params, vec!["Path", "Method"]);
        let sh = "isc_get() {\n  curl -s \"$BASE$1\"\n}\n";
        let c = Code::new(sh, Lang::Shell);
        assert_eq!(c.fns[0].name, "isc_get");
    }
}
