//! A small lexer for every language the finder reads: it separates code from comments and
//! strings (so nothing in a comment or docstring is taken for a call), splits interpolated
//! strings into literal and expression parts, and keeps byte offsets for positions.
//!
//! It is not a parser: front-ends work on the token stream with bracket matching.

/// Which lexical rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    /// JavaScript and TypeScript.
    Js,
    Go,
    /// Java and Kotlin.
    Java,
    CSharp,
    PowerShell,
    /// POSIX shells, Makefiles, Dockerfiles, YAML run blocks.
    Shell,
}

/// A part of a string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrPart {
    /// Literal text (escapes resolved where it matters: `\"`, `\\`, `\n`, `` `" ``...).
    Lit(String),
    /// An interpolated expression (`{x}` in f-strings, `${x}` in templates, `$x`/`$(x)` in
    /// PowerShell and shell), as source text, with its byte offset.
    Expr(String, usize),
}

/// A string literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    pub parts: Vec<StrPart>,
    /// Python f-string, JS template, C# `$"…"`, PowerShell/shell double quotes.
    pub interpolated: bool,
    /// A Python triple-quoted string or a here-string/text block (docstrings are such strings).
    pub block: bool,
}

impl StrLit {
    /// The literal text when the string has no interpolation.
    pub fn plain(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                StrPart::Lit(l) => s.push_str(l),
                StrPart::Expr(..) => return None,
            }
        }
        Some(s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Identifiers and keywords; for PowerShell also `-Parameter` names and cmdlet words
    /// (`Invoke-RestMethod`).
    Ident(compact_str::CompactString),
    /// `$name`, `${name}`, `$env:NAME`, `$script:x` (PowerShell, shell; the name without `$`).
    Var(compact_str::CompactString),
    Str(StrLit),
    Num,
    /// Operators and delimiters (`(`, `)`, `.`, `=`, `+`, `=>`, `:=`, `::`, `?.`, ...).
    Punct(&'static str),
    /// End of a line outside brackets (statement boundary for line-oriented languages).
    Newline,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_punct(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::Punct(q) if *q == p)
    }

    pub fn is_ident(&self, name: &str) -> bool {
        matches!(&self.tok, Tok::Ident(s) if s == name)
    }
}

/// A comment: byte range of its text (without the comment markers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
}

/// The parts of a string literal being read: the finished parts and the literal text since
/// the last interpolation.
#[derive(Default)]
struct Parts {
    parts: Vec<StrPart>,
    lit: String,
}

impl Parts {
    /// Ends the literal text so far and adds an interpolated expression after it.
    fn expr(&mut self, expr: String, off: usize) {
        if !self.lit.is_empty() {
            self.parts.push(StrPart::Lit(std::mem::take(&mut self.lit)));
        }
        self.parts.push(StrPart::Expr(expr, off));
    }

    /// The string literal: the parts and the trailing text (a lone empty text for `""`).
    fn finish(mut self, interpolated: bool, block: bool) -> StrLit {
        if !self.lit.is_empty() || self.parts.is_empty() {
            self.parts.push(StrPart::Lit(self.lit));
        }
        StrLit {
            parts: self.parts,
            interpolated,
            block,
        }
    }
}

/// Commands that read a here-document's body as commands (then it is code, not data).
const SHELLS: &[&str] = &[
    "bash",
    "sh",
    "zsh",
    "ksh",
    "dash",
    "ssh",
    "pwsh",
    "powershell",
];

const PUNCTS: &[&str] = &[
    "...", "**=", "//=", ">>=", "<<=", "===", "!==", "?.", "??", "=>", "->", ":=", "::", "==",
    "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "<<", ">>", "++", "--",
    "**", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "=", "+", "-", "*", "/", "%", "<", ">",
    "!", "?", "&", "|", "^", "~", "@", "\\", "#", "`",
];

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    lang: Lang,
    out: Lexed,
    depth: usize,
    /// Shell here-documents opened on the current line: (terminator, `<<-`).
    heredocs: Vec<(String, bool)>,
    /// Shell double-quoted strings interrupted by `$(`: the bracket depth at which each
    /// resumes after the substitution's `)`.
    resume: Vec<usize>,
    /// Byte ranges that hold code; outside them the text is markup (the `<template>` of a
    /// Vue or Svelte component). `None`: the whole file is code.
    code_ranges: Option<Vec<(usize, usize)>>,
    /// The next `}` / `}}` (for `${name}`, `${{ expr }}`): one pass however many `${`.
    next_brace: super::text::NextFind<'static>,
    next_double_brace: super::text::NextFind<'static>,
    /// Shell: the lines of the text, indexed on the first here-document (terminator lookups
    /// without rescanning the rest of the file for each `<<`).
    heredoc_lines: Option<HeredocLines<'a>>,
    /// The next code range to reach (Vue/Svelte scripts), moving forward only.
    range_at: usize,
    /// Where each bracket that suspends newlines (see `depth`) and is still open was opened.
    open_at: Vec<usize>,
    /// Openers (byte offsets, ascending) that do not suspend newlines: brackets no closer
    /// ever closes (see [`lex`]).
    inert: Vec<usize>,
}

/// The lines of a text by content, for here-document terminators.
struct HeredocLines<'a> {
    starts: Vec<usize>,
    /// Line content (without `\r`) → line numbers, ascending.
    exact: std::collections::HashMap<&'a str, Vec<usize>>,
    /// The same with leading tabs removed (`<<-`).
    untabbed: std::collections::HashMap<&'a str, Vec<usize>>,
    /// The last line asked whether a shell command precedes a `<<` on it: (line, where the
    /// first shell word on it ends).
    shell_word: Option<(usize, Option<usize>)>,
}

impl<'a> HeredocLines<'a> {
    fn new(src: &'a str) -> HeredocLines<'a> {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut exact: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        let mut untabbed: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (n, &a) in starts.iter().enumerate() {
            let e = starts.get(n + 1).map_or(src.len(), |&x| x - 1);
            let line = src[a..e].trim_end_matches('\r');
            exact.entry(line).or_default().push(n);
            untabbed
                .entry(line.trim_start_matches('\t'))
                .or_default()
                .push(n);
        }
        HeredocLines {
            starts,
            exact,
            untabbed,
            shell_word: None,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    fn line_end(&self, n: usize, len: usize) -> usize {
        self.starts.get(n + 1).map_or(len, |&x| x - 1)
    }

    /// The byte after the terminator line of a here-document whose body starts at `from`.
    fn end(&self, from: usize, delim: &str, dash: bool, len: usize) -> Option<usize> {
        let lines = if dash { &self.untabbed } else { &self.exact }.get(delim)?;
        let k = lines.partition_point(|&n| self.starts[n] < from);
        lines.get(k).map(|&n| self.line_end(n, len))
    }
}

/// Lexes `src` with the rules of `lang`. Never fails: unterminated constructs end at the end
/// of the input.
pub fn lex(src: &str, lang: Lang) -> Lexed {
    let (lexed, open) = lex_with(src, lang, Vec::new());
    // A `(` or `[` that nothing closes (a truncated file, notes with half a `param (` block)
    // would hold every later line in one statement: lexed again with those brackets not
    // suspending newlines, the statements after them stay statements. (Not shell, whose
    // command substitutions inside strings resume by bracket depth.) At most twice: linear.
    if open.is_empty() || lang == Lang::Shell {
        return lexed;
    }
    super::budget::spend(src.len() as u64);
    lex_with(src, lang, open).0
}

/// [`lex`] with the openers at `inert` not suspending newlines; also the openers still open
/// at the end.
fn lex_with(src: &str, lang: Lang, inert: Vec<usize>) -> (Lexed, Vec<usize>) {
    let mut l = Lexer {
        src,
        b: src.as_bytes(),
        i: 0,
        lang,
        out: Lexed::default(),
        depth: 0,
        heredocs: Vec::new(),
        resume: Vec::new(),
        code_ranges: if lang == Lang::Js {
            script_blocks(src)
        } else {
            None
        },
        next_brace: super::text::NextFind::new("}"),
        next_double_brace: super::text::NextFind::new("}}"),
        heredoc_lines: None,
        range_at: 0,
        open_at: Vec::new(),
        inert,
    };
    l.run();
    (l.out, l.open_at)
}

impl<'a> Lexer<'a> {
    fn peek(&self, k: usize) -> u8 {
        *self.b.get(self.i + k).unwrap_or(&0)
    }

    fn starts(&self, s: &str) -> bool {
        self.b[self.i..].starts_with(s.as_bytes())
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.tokens.push(Token {
            tok,
            start,
            end: self.i,
        });
    }

    fn last_tok(&self) -> Option<&Tok> {
        self.out.tokens.last().map(|t| &t.tok)
    }

    fn line_comment(&mut self, marker: usize) {
        let start = self.i + marker;
        while self.i < self.b.len() && self.b[self.i] != b'\n' {
            self.i += 1;
        }
        self.out.comments.push(Comment { start, end: self.i });
    }

    fn block_comment(&mut self, open: &str, close: &str) {
        let start = self.i + open.len();
        self.i = start;
        match self.src[self.i..].find(close) {
            Some(j) => {
                self.out.comments.push(Comment {
                    start,
                    end: self.i + j,
                });
                self.i += j + close.len();
            }
            None => {
                self.out.comments.push(Comment {
                    start,
                    end: self.b.len(),
                });
                self.i = self.b.len();
            }
        }
    }

    fn run(&mut self) {
        while self.i < self.b.len() {
            // Markup around the scripts of a component file is not code.
            if let Some(ranges) = &self.code_ranges {
                while ranges.get(self.range_at).is_some_and(|&(_, e)| e <= self.i) {
                    self.range_at += 1;
                }
                match ranges.get(self.range_at) {
                    Some(&(s, _)) if self.i < s => {
                        self.i = s;
                        continue;
                    }
                    None => break,
                    _ => {}
                }
            }
            let c = self.b[self.i];
            let start = self.i;
            // A `#!` line at the top of a script.
            if start == 0 && self.starts("#!") && self.lang == Lang::Js {
                self.line_comment(2);
                continue;
            }
            // Newlines.
            if c == b'\n' {
                self.i += 1;
                if self.depth == 0 && !matches!(self.last_tok(), Some(Tok::Newline) | None) {
                    self.push(Tok::Newline, start);
                }
                // Shell here-document bodies are data: skipped.
                for (delim, dash) in std::mem::take(&mut self.heredocs) {
                    let len = self.b.len();
                    self.i = self
                        .heredoc_lines
                        .get_or_insert_with(|| HeredocLines::new(self.src))
                        .end(self.i, &delim, dash, len)
                        .unwrap_or(self.i);
                }
                continue;
            }
            if c.is_ascii_whitespace() {
                self.i += 1;
                continue;
            }
            // Line continuations.
            if (c == b'\\' && matches!(self.lang, Lang::Python | Lang::Shell)
                || c == b'`' && self.lang == Lang::PowerShell)
                && (self.peek(1) == b'\n' || (self.peek(1) == b'\r' && self.peek(2) == b'\n'))
            {
                self.i += if self.peek(1) == b'\r' { 3 } else { 2 };
                continue;
            }
            // Comments.
            match self.lang {
                Lang::Python => {
                    if c == b'#' {
                        self.line_comment(1);
                        continue;
                    }
                }
                Lang::Shell => {
                    let word_start = start == 0
                        || self.b[start - 1].is_ascii_whitespace()
                        || b";|&(".contains(&self.b[start - 1]);
                    if c == b'#' && word_start {
                        self.line_comment(1);
                        continue;
                    }
                }
                Lang::PowerShell => {
                    if self.starts("<#") {
                        self.block_comment("<#", "#>");
                        continue;
                    }
                    if c == b'#' {
                        self.line_comment(1);
                        continue;
                    }
                }
                Lang::Js | Lang::Go | Lang::Java | Lang::CSharp => {
                    if self.starts("//") {
                        self.line_comment(2);
                        continue;
                    }
                    if self.starts("/*") {
                        self.block_comment("/*", "*/");
                        continue;
                    }
                }
            }
            // Strings.
            if let Some(lit) = self.string() {
                self.push(Tok::Str(lit), start);
                continue;
            }
            // Variables.
            if c == b'$' && matches!(self.lang, Lang::PowerShell | Lang::Shell) {
                if let Some(name) = self.variable() {
                    self.push(Tok::Var(name.into()), start);
                } else {
                    // `$(`, `$$`: a `$` of its own.
                    self.i += 1;
                    self.push(Tok::Punct("$"), start);
                }
                continue;
            }
            // Identifiers (PowerShell: cmdlet words and -Parameters include dashes).
            // JS: `$` is a letter (`$fetch`, `$.ajax`, `this.$http`); `#name` is a private field.
            let js_ident = self.lang == Lang::Js
                && (c == b'$'
                    || c == b'#' && (self.peek(1).is_ascii_alphabetic() || self.peek(1) == b'_'));
            if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || js_ident {
                if js_ident {
                    self.i += 1;
                }
                self.ident();
                let word = compact_str::CompactString::from(&self.src[start..self.i]);
                self.push(Tok::Ident(word), start);
                continue;
            }
            if c == b'-'
                && matches!(self.lang, Lang::PowerShell | Lang::Shell)
                && (self.peek(1).is_ascii_alphabetic()
                    || (self.lang == Lang::Shell
                        && self.peek(1) == b'-'
                        && self.peek(2).is_ascii_alphabetic()))
                && (start == 0 || !self.b[start - 1].is_ascii_alphanumeric())
            {
                // `-Method`, `-X`, `--data` are single tokens.
                self.i += 1;
                if self.peek(0) == b'-' {
                    self.i += 1;
                }
                self.ident();
                let word = compact_str::CompactString::from(&self.src[start..self.i]);
                self.push(Tok::Ident(word), start);
                continue;
            }
            if c.is_ascii_digit() {
                while self.i < self.b.len()
                    && (self.b[self.i].is_ascii_alphanumeric()
                        || self.b[self.i] == b'.'
                        || self.b[self.i] == b'_')
                {
                    self.i += 1;
                }
                self.push(Tok::Num, start);
                continue;
            }
            // JS regex literals: skip them as opaque (a `/` where an operand is expected).
            if c == b'/' && self.lang == Lang::Js && self.regex_allowed() && self.skip_regex() {
                self.push(Tok::Num, start);
                continue;
            }
            // Shell here-documents (`<<EOF`, `<<-'EOF'`): the body is skipped at the end of
            // the line, unless the command feeding it is a shell (then the body is code).
            if self.lang == Lang::Shell
                && self.starts("<<")
                && !self.starts("<<<")
                && let Some((delim, dash, end)) = self.heredoc_start()
            {
                self.i += 2;
                self.push(Tok::Punct("<<"), start);
                self.i = end;
                self.heredocs.push((delim, dash));
                continue;
            }
            // Punctuation.
            let p = PUNCTS
                .iter()
                .find(|p| p.as_bytes()[0] == c && self.starts(p))
                .copied()
                .unwrap_or("?");
            self.i += p.len().max(1);
            while !self.src.is_char_boundary(self.i) {
                self.i += 1;
            }
            // Newlines inside ( and [ (and Python's braces) do not end a statement; braces
            // of code blocks in other languages do not suspend them.
            let counts = |q: &str| matches!(q, "(" | "[" | ")" | "]") || self.lang == Lang::Python;
            match p {
                "(" | "[" | "{" if counts(p) && self.inert.binary_search(&start).is_err() => {
                    self.depth += 1;
                    self.open_at.push(start);
                }
                ")" | "]" | "}" if counts(p) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.open_at.pop();
                }
                _ => {}
            }
            self.push(Tok::Punct(p), start);
            // The rest of a double-quoted string after `"...$( ... )`.
            if p == ")" && self.lang == Lang::Shell && self.resume.last() == Some(&self.depth) {
                self.resume.pop();
                let st = self.i;
                let lit = self.shell_dq();
                self.push(Tok::Str(lit), st);
            }
        }
    }

    /// At `<<`: the here-document's terminator, whether it is `<<-`, and the byte after the
    /// terminator word — when the body is data (its terminator line exists, and no shell
    /// reads it).
    fn heredoc_start(&mut self) -> Option<(String, bool, usize)> {
        let mut j = self.i + 2;
        let dash = self.b.get(j) == Some(&b'-');
        if dash {
            j += 1;
        }
        while matches!(self.b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let src = self.src;
        let len = self.b.len();
        let lines = self
            .heredoc_lines
            .get_or_insert_with(|| HeredocLines::new(src));
        let (delim, end) = match self.b.get(j) {
            Some(&q @ (b'\'' | b'"')) => {
                // The closing quote, on the same line.
                let line_end = lines.line_end(lines.line_of(j), len);
                let close = src[j + 1..line_end].find(q as char)?;
                (src[j + 1..j + 1 + close].to_string(), j + close + 2)
            }
            _ => {
                let k = j + usize::from(self.b.get(j) == Some(&b'\\'));
                let e = src[k..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
                    .map_or(len, |x| k + x);
                (src[k..e].to_string(), e)
            }
        };
        if !delim.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_') {
            return None;
        }
        // A shell on this line reads the body as commands: where the first shell word on the
        // line ends is found once per line.
        let line = lines.line_of(self.i);
        let first_shell = match lines.shell_word {
            Some((l, at)) if l == line => at,
            _ => {
                let a = lines.starts[line];
                let text = &src[a..lines.line_end(line, len)];
                let mut at = None;
                let mut k = 0;
                for w in text.split(|ch: char| ch.is_whitespace() || ";|&()<>".contains(ch)) {
                    let name = w.rsplit('/').next().unwrap_or(w);
                    if SHELLS.contains(&name) {
                        at = Some(a + k + w.len());
                        break;
                    }
                    k += w.len() + 1;
                }
                lines.shell_word = Some((line, at));
                at
            }
        };
        if first_shell.is_some_and(|e| e <= self.i) {
            return None;
        }
        let nl = lines.line_end(lines.line_of(end.min(len)), len) + 1;
        if nl > len {
            return None;
        }
        lines.end(nl, &delim, dash, len)?;
        Some((delim, dash, end))
    }

    fn ident(&mut self) {
        let dash = matches!(self.lang, Lang::PowerShell | Lang::Shell);
        while self.i < self.b.len() {
            let c = self.b[self.i];
            let word = c.is_ascii_alphanumeric()
                || c == b'_'
                || c >= 0x80
                || c == b'$' && self.lang == Lang::Js;
            if word || dash && c == b'-' && self.peek(1).is_ascii_alphanumeric() {
                self.i += 1;
            } else {
                break;
            }
        }
        while !self.src.is_char_boundary(self.i) {
            self.i += 1;
        }
    }

    fn regex_allowed(&self) -> bool {
        match self.last_tok() {
            None | Some(Tok::Newline) => true,
            Some(Tok::Punct(p)) => !matches!(*p, ")" | "]" | "}"),
            Some(Tok::Ident(w)) => matches!(w.as_str(), "return" | "typeof" | "case" | "in" | "of"),
            _ => false,
        }
    }

    fn skip_regex(&mut self) -> bool {
        let mut j = self.i + 1;
        let mut class = false;
        while j < self.b.len() {
            match self.b[j] {
                b'\n' => return false,
                b'\\' => j += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    j += 1;
                    while j < self.b.len() && self.b[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    self.i = j;
                    return true;
                }
                _ => {}
            }
            j += 1;
        }
        false
    }

    /// `$name`, `${name}`, `$env:NAME`, `$script:x`, `$_`; not `$(`.
    fn variable(&mut self) -> Option<String> {
        let s = self.i;
        if self.lang == Lang::Shell && self.peek(1) == b'{' && self.peek(2) == b'{' {
            // GitHub Actions `${{ secrets.X }}`: a variable named after the expression.
            let close = self.next_double_brace.find(self.src, s + 3)?;
            let inner = self.src[s + 3..close].trim().to_string();
            self.i = close + 2;
            return Some(inner);
        }
        if self.peek(1) == b'{' {
            let close = self.next_brace.find(self.src, s + 2)?;
            self.i = close + 1;
            return Some(self.src[s + 2..close].to_string());
        }
        let mut j = s + 1;
        while j < self.b.len()
            && (self.b[j].is_ascii_alphanumeric()
                || self.b[j] == b'_'
                || (self.b[j] == b':'
                    && self.lang == Lang::PowerShell
                    && j + 1 < self.b.len()
                    && self.b[j + 1].is_ascii_alphabetic()))
        {
            j += 1;
        }
        if j == s + 1 {
            return None;
        }
        self.i = j;
        Some(self.src[s + 1..j].to_string())
    }

    /// A string literal at the cursor, if one starts here.
    fn string(&mut self) -> Option<StrLit> {
        let c = self.b[self.i];
        match self.lang {
            Lang::Python => self.python_string(),
            Lang::Js => match c {
                b'"' | b'\'' => Some(self.simple_string(c, true)),
                b'`' => Some(self.interpolated_until(b'`', "${", true)),
                _ => None,
            },
            Lang::Go => match c {
                b'"' => Some(self.simple_string(b'"', true)),
                b'`' => Some(self.raw_until("`", 1)),
                b'\'' => Some(self.simple_string(b'\'', true)),
                _ => None,
            },
            Lang::Java => {
                if self.starts("\"\"\"") {
                    return Some(self.raw_block("\"\"\"", "\"\"\""));
                }
                match c {
                    b'"' => Some(self.kotlin_string()),
                    b'\'' => Some(self.simple_string(c, true)),
                    _ => None,
                }
            }
            Lang::CSharp => self.csharp_string(),
            Lang::PowerShell => self.powershell_string(),
            Lang::Shell => self.shell_string(),
        }
    }

    fn python_string(&mut self) -> Option<StrLit> {
        let mut j = self.i;
        let mut f = false;
        let mut raw = false;
        while j < self.b.len() && j - self.i < 3 && self.b[j].is_ascii_alphabetic() {
            match self.b[j].to_ascii_lowercase() {
                b'f' => f = true,
                b'r' => raw = true,
                b'b' | b'u' => {}
                _ => return None,
            }
            j += 1;
        }
        if j >= self.b.len() || !(self.b[j] == b'"' || self.b[j] == b'\'') {
            return None;
        }
        // An identifier like `rb` must not be followed by a quote to be a prefix; here it is.
        if j > self.i
            && self.i > 0
            && (self.b[self.i - 1].is_ascii_alphanumeric() || self.b[self.i - 1] == b'_')
        {
            return None;
        }
        let q = self.b[j];
        let triple = self.b[j..].starts_with(&[q, q, q]);
        self.i = j + if triple { 3 } else { 1 };
        let close: Vec<u8> = if triple { vec![q, q, q] } else { vec![q] };
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            if self.b[self.i..].starts_with(&close) {
                self.i += close.len();
                break;
            }
            let c = self.b[self.i];
            if !triple && c == b'\n' {
                break; // unterminated
            }
            if c == b'\\' && !raw && self.i + 1 < self.b.len() {
                self.escape(&mut acc.lit);
                continue;
            }
            if c == b'\\' && raw && self.i + 1 < self.b.len() {
                // A raw string keeps the backslash and the character after it (which may
                // be a quote that does not end the string, or any non-ASCII character).
                acc.lit.push('\\');
                self.i += 1;
                self.push_char(&mut acc.lit);
                continue;
            }
            if f && self.format_brace(&mut acc) {
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        Some(acc.finish(f, triple))
    }

    /// A `{{`, `}}` or `{expr}` of a format string (Python f-string, C# `$"…"`) at the
    /// cursor, read into `acc` (the expression without its `!r`, `:fmt` suffixes); false when
    /// the cursor is on none of them.
    fn format_brace(&mut self, acc: &mut Parts) -> bool {
        match (self.b[self.i], self.peek(1)) {
            (b'{', b'{') | (b'}', b'}') => {
                acc.lit.push(self.b[self.i] as char);
                self.i += 2;
            }
            (b'{', _) => {
                let (expr, off) = self.balanced_expr(b'{', b'}');
                acc.expr(strip_format_spec(&expr), off);
            }
            _ => return false,
        }
        true
    }

    /// A `$name` variable at the cursor as an interpolation (PowerShell, shell); false (the
    /// cursor unmoved) when no variable starts here.
    fn dollar_var(&mut self, acc: &mut Parts) -> bool {
        let save = self.i;
        if let Some(name) = self.variable() {
            acc.expr(format!("${name}"), save);
            return true;
        }
        self.i = save;
        false
    }

    /// Appends the character at the cursor and moves past it. The cursor is always on a
    /// character boundary here (every step over a byte checks it is ASCII); should it not be,
    /// the character is read from the boundary before it.
    fn push_char(&mut self, lit: &mut String) {
        debug_assert!(
            self.src.is_char_boundary(self.i),
            "cursor inside a character"
        );
        let mut at = self.i.min(self.b.len());
        while !self.src.is_char_boundary(at) {
            at -= 1;
        }
        match self.src[at..].chars().next() {
            Some(ch) => {
                lit.push(ch);
                self.i = at + ch.len_utf8();
            }
            None => self.i = self.b.len(),
        }
    }

    fn escape(&mut self, lit: &mut String) {
        let n = self.b[self.i + 1];
        self.i += 2;
        match n {
            b'n' => lit.push('\n'),
            b't' => lit.push('\t'),
            b'r' => lit.push('\r'),
            b'0' => lit.push('\0'),
            b'\n' => {}
            b'u' | b'x' => lit.push('?'),
            other => {
                if other < 0x80 {
                    lit.push(other as char);
                } else {
                    self.i -= 1;
                    self.push_char(lit);
                }
            }
        }
    }

    /// Reads `{ ... }` (or another pair) with nesting and strings inside; returns the inner
    /// text and its offset. The cursor is on the opening byte.
    fn balanced_expr(&mut self, open: u8, close: u8) -> (String, usize) {
        let start = self.i + 1;
        let mut depth = 0usize;
        let mut j = self.i;
        while j < self.b.len() {
            let c = self.b[j];
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    self.i = j + 1;
                    return (self.src[start..j].to_string(), start);
                }
            } else if (c == b'"' || c == b'\'') && j >= start {
                // Skip a nested string.
                let q = c;
                j += 1;
                while j < self.b.len() && self.b[j] != q && self.b[j] != b'\n' {
                    if self.b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            j += 1;
        }
        self.i = self.b.len();
        (self.src[start.min(self.b.len())..].to_string(), start)
    }

    fn simple_string(&mut self, q: u8, escapes: bool) -> StrLit {
        self.i += 1;
        let mut lit = String::new();
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == q {
                self.i += 1;
                break;
            }
            if c == b'\n' {
                break;
            }
            if c == b'\\' && escapes && self.i + 1 < self.b.len() {
                self.escape(&mut lit);
                continue;
            }
            self.push_char(&mut lit);
        }
        StrLit {
            parts: vec![StrPart::Lit(lit)],
            interpolated: false,
            block: false,
        }
    }

    /// A string ending at `close` with `${...}`-style interpolation (`open` = "${" or "{").
    fn interpolated_until(&mut self, close: u8, open: &str, escapes: bool) -> StrLit {
        self.i += 1;
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == close {
                self.i += 1;
                break;
            }
            if c == b'\\' && escapes && self.i + 1 < self.b.len() {
                self.escape(&mut acc.lit);
                continue;
            }
            if open == "{" {
                if self.format_brace(&mut acc) {
                    continue;
                }
            } else if self.starts(open) {
                self.i += open.len() - 1;
                let (expr, off) = self.balanced_expr(b'{', b'}');
                acc.expr(expr, off);
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        acc.finish(true, false)
    }

    /// A Java or Kotlin `"..."` string: Kotlin templates `$name` and `${expr}` are
    /// interpolations (Java strings rarely hold `$` followed by a name; `\$` is a dollar).
    fn kotlin_string(&mut self) -> StrLit {
        self.i += 1;
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == b'"' {
                self.i += 1;
                break;
            }
            if c == b'\n' {
                break;
            }
            if c == b'\\' && self.i + 1 < self.b.len() {
                self.escape(&mut acc.lit);
                continue;
            }
            if c == b'$' && self.peek(1) == b'{' {
                self.i += 1;
                let (expr, off) = self.balanced_expr(b'{', b'}');
                acc.expr(expr.trim().to_string(), off);
                continue;
            }
            if c == b'$' && (self.peek(1).is_ascii_alphabetic() || self.peek(1) == b'_') {
                let start = self.i + 1;
                let mut j = start;
                while j < self.b.len() && (self.b[j].is_ascii_alphanumeric() || self.b[j] == b'_') {
                    j += 1;
                }
                acc.expr(self.src[start..j].to_string(), start);
                self.i = j;
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        let interpolated = acc.parts.iter().any(|p| matches!(p, StrPart::Expr(..)));
        acc.finish(interpolated, false)
    }

    fn raw_until(&mut self, close: &str, open_len: usize) -> StrLit {
        let start = self.i + open_len;
        let end = self.src[start..]
            .find(close)
            .map_or(self.b.len(), |j| start + j);
        self.i = (end + close.len()).min(self.b.len());
        StrLit {
            parts: vec![StrPart::Lit(self.src[start..end].to_string())],
            interpolated: false,
            block: self.src[start..end].contains('\n'),
        }
    }

    fn raw_block(&mut self, open: &str, close: &str) -> StrLit {
        let mut s = self.raw_until(close, open.len());
        s.block = true;
        s
    }

    fn csharp_string(&mut self) -> Option<StrLit> {
        let c = self.b[self.i];
        let (interp, verbatim, skip) = if self.starts("$@\"") || self.starts("@$\"") {
            (true, true, 2)
        } else if self.starts("$\"\"\"") {
            self.i += 1;
            let mut s = self.raw_block("\"\"\"", "\"\"\"");
            s.interpolated = true;
            return Some(s);
        } else if self.starts("\"\"\"") {
            return Some(self.raw_block("\"\"\"", "\"\"\""));
        } else if self.starts("$\"") {
            (true, false, 1)
        } else if self.starts("@\"") {
            (false, true, 1)
        } else if c == b'"' {
            (false, false, 0)
        } else if c == b'\'' {
            return Some(self.simple_string(b'\'', true));
        } else {
            return None;
        };
        self.i += skip;
        if !verbatim {
            return Some(if interp {
                self.interpolated_until(b'"', "{", true)
            } else {
                self.simple_string(b'"', true)
            });
        }
        // Verbatim: "" is a quote, no escapes.
        self.i += 1;
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            if self.starts("\"\"") {
                acc.lit.push('"');
                self.i += 2;
                continue;
            }
            let c = self.b[self.i];
            if c == b'"' {
                self.i += 1;
                break;
            }
            if interp && c == b'{' && self.format_brace(&mut acc) {
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        Some(acc.finish(interp, false))
    }

    fn powershell_string(&mut self) -> Option<StrLit> {
        if self.starts("@\"") && matches!(self.peek(2), b'\n' | b'\r') {
            return Some(self.ps_double(Some("\"@")));
        }
        if self.starts("@'") && matches!(self.peek(2), b'\n' | b'\r') {
            let mut s = self.raw_block("@'", "'@");
            s.block = true;
            return Some(s);
        }
        match self.b[self.i] {
            b'\'' => {
                self.i += 1;
                let mut lit = String::new();
                while self.i < self.b.len() {
                    if self.starts("''") {
                        lit.push('\'');
                        self.i += 2;
                        continue;
                    }
                    if self.b[self.i] == b'\'' {
                        self.i += 1;
                        break;
                    }
                    self.push_char(&mut lit);
                }
                Some(StrLit {
                    parts: vec![StrPart::Lit(lit)],
                    interpolated: false,
                    block: false,
                })
            }
            b'"' => Some(self.ps_double(None)),
            _ => None,
        }
    }

    /// PowerShell expandable string (or here-string when `here` is its terminator).
    fn ps_double(&mut self, here: Option<&str>) -> StrLit {
        self.i += if here.is_some() { 2 } else { 1 };
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            match here {
                Some(end) => {
                    let at_line_start = self.i > 0 && self.b[self.i - 1] == b'\n';
                    if at_line_start && self.starts(end) {
                        self.i += end.len();
                        if acc.lit.ends_with('\n') {
                            acc.lit.pop();
                        }
                        break;
                    }
                }
                None => {
                    if self.starts("\"\"") {
                        acc.lit.push('"');
                        self.i += 2;
                        continue;
                    }
                    if self.b[self.i] == b'"' {
                        self.i += 1;
                        break;
                    }
                }
            }
            let c = self.b[self.i];
            if c == b'`' && self.i + 1 < self.b.len() {
                let n = self.b[self.i + 1];
                self.i += 2;
                match n {
                    b'n' => acc.lit.push('\n'),
                    b't' => acc.lit.push('\t'),
                    b'r' => acc.lit.push('\r'),
                    _ => {
                        self.i -= 1;
                        self.push_char(&mut acc.lit);
                    }
                }
                continue;
            }
            if c == b'$' && self.peek(1) == b'(' {
                self.i += 1;
                let (expr, off) = self.balanced_expr(b'(', b')');
                acc.expr(expr, off);
                continue;
            }
            if c == b'$' && self.dollar_var(&mut acc) {
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        acc.finish(true, here.is_some())
    }

    fn shell_string(&mut self) -> Option<StrLit> {
        match self.b[self.i] {
            b'\'' => Some(self.raw_until("'", 1)),
            b'"' => {
                self.i += 1;
                Some(self.shell_dq())
            }
            _ => None,
        }
    }

    /// The rest of a shell double-quoted string from the cursor: up to the closing quote, or
    /// up to a command substitution `$(`, whose commands are lexed as code (the string
    /// resumes after its `)`, see `resume`).
    fn shell_dq(&mut self) -> StrLit {
        let mut acc = Parts::default();
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == b'"' {
                self.i += 1;
                break;
            }
            if c == b'\\' && self.i + 1 < self.b.len() {
                // In double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and a
                // newline; before anything else (any character, ASCII or not) it stays.
                match self.b[self.i + 1] {
                    b'\n' => self.i += 2,
                    n @ (b'$' | b'`' | b'"' | b'\\') => {
                        acc.lit.push(n as char);
                        self.i += 2;
                    }
                    _ => {
                        acc.lit.push('\\');
                        self.i += 1;
                        self.push_char(&mut acc.lit);
                    }
                }
                continue;
            }
            if c == b'$' && self.peek(1) == b'(' {
                self.resume.push(self.depth);
                break;
            }
            if c == b'$' && self.dollar_var(&mut acc) {
                continue;
            }
            self.push_char(&mut acc.lit);
        }
        acc.finish(true, false)
    }
}

/// The code parts of a Vue/Svelte component (a file whose first character is `<`): the
/// contents of its `<script>` elements. `None` for ordinary script files.
fn script_blocks(src: &str) -> Option<Vec<(usize, usize)>> {
    if !src.trim_start().starts_with('<') {
        return None;
    }
    let lower = src.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find("<script") {
        let open = from + k;
        let Some(gt) = lower[open..].find('>') else {
            break;
        };
        let body = open + gt + 1;
        let end = lower[body..]
            .find("</script")
            .map_or(src.len(), |e| body + e);
        out.push((body, end));
        from = end;
    }
    Some(out)
}

/// `x!r:>10` → `x` (f-string conversions and format specs), `x:D2` → `x` (C#).
fn strip_format_spec(expr: &str) -> String {
    let mut depth = 0;
    for (i, c) in expr.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '!' if depth == 0 && expr[i + 1..].starts_with(['r', 's', 'a']) => {
                return expr[..i].trim().to_string();
            }
            ':' if depth == 0 && !expr[i + 1..].starts_with(':') && !expr[..i].ends_with(':') => {
                return expr[..i].trim().to_string();
            }
            _ => {}
        }
    }
    expr.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(src: &str, lang: Lang) -> Vec<Vec<StrPart>> {
        lex(src, lang)
            .tokens
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Str(s) => Some(s.parts),
                _ => None,
            })
            .collect()
    }

    fn lit(s: &str) -> StrPart {
        StrPart::Lit(s.into())
    }

    #[test]
    fn python_strings_comments_and_fstrings() {
        let src = "# requests.get('/v3/a')\nx = f\"{base}/v3/sources/{sid!r}\" + 'b' # c\ny = \"\"\"doc /v3\"\"\"\n";
        let l = lex(src, Lang::Python);
        assert_eq!(l.comments.len(), 2);
        let s = strs(src, Lang::Python);
        assert_eq!(s.len(), 3);
        assert!(matches!(&s[0][0], StrPart::Expr(e, _) if e == "base"));
        assert_eq!(s[0][1], lit("/v3/sources/"));
        assert!(matches!(&s[0][2], StrPart::Expr(e, _) if e == "sid"));
        assert_eq!(s[1], vec![lit("b")]);
    }

    #[test]
    fn js_templates_regex_and_comments() {
        let src = "/* fetch('/v3/x') */ const u = `${BASE}/v3/${id}`; const r = /\\/v3\\//g; // x\nfetch(u)";
        let l = lex(src, Lang::Js);
        assert_eq!(l.comments.len(), 2);
        let s = strs(src, Lang::Js);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0][1], lit("/v3/"));
    }

    #[test]
    fn js_dollar_private_names_shebang_and_components() {
        let src = "#!/usr/bin/env node\n$.ajax({ url: u }); this.#client.get($fetch)";
        let l = lex(src, Lang::Js);
        assert_eq!(l.comments.len(), 1);
        let idents: Vec<&str> = l.tokens.iter().filter_map(|t| t.ident()).collect();
        assert_eq!(
            idents,
            ["$", "ajax", "url", "u", "this", "#client", "get", "$fetch"]
        );
        // A Vue component: only the script is code (the apostrophe and backtick of the
        // template open no string).
        let vue = "<template>\n  <p>Don't `quote` {{ x }}</p>\n</template>\n<script setup lang=\"ts\">\nfetch('/v3/sources')\n</script>\n<style>p { color: red }</style>\n";
        let l = lex(vue, Lang::Js);
        let s = strs(vue, Lang::Js);
        assert_eq!(s, vec![vec![lit("/v3/sources")]]);
        assert!(
            l.tokens
                .iter()
                .all(|t| t.start > vue.find("setup").unwrap())
        );
        assert!(
            l.tokens
                .iter()
                .all(|t| t.end <= vue.find("</script>").unwrap())
        );
    }

    #[test]
    fn a_string_right_after_an_interpolation_brace_is_skipped_whole() {
        // `${"id"}`: the quote right after `{` opens the nested string.
        let src = "const p = `/x/{id}`.replace(`{${\"id\"}}`, enc(id));\nconst q = 1;";
        let s = strs(src, Lang::Js);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(matches!(&s[1][1], StrPart::Expr(e, _) if e == "\"id\""));
        let l = lex(src, Lang::Js);
        assert!(l.tokens.iter().any(|t| t.is_ident("q")));
        let py = strs("f\"{'a'}b\"\nx = 1", Lang::Python);
        assert_eq!(py[0][1], lit("b"));
    }

    #[test]
    fn powershell_expandable_strings_and_block_comments() {
        let src = "<# Invoke-RestMethod -Uri \"$b/v3/x\" #>\n$u = \"$($cfg.Base)/v3/sources/$id\"\nInvoke-RestMethod -Uri $u `\n  -Method Get";
        let l = lex(src, Lang::PowerShell);
        assert_eq!(l.comments.len(), 1);
        let s = strs(src, Lang::PowerShell);
        assert_eq!(s.len(), 1);
        assert!(matches!(&s[0][0], StrPart::Expr(e, _) if e == "$cfg.Base"));
        assert!(matches!(&s[0][2], StrPart::Expr(e, _) if e == "$id"));
        let idents: Vec<String> = l
            .tokens
            .iter()
            .filter_map(|t| t.ident().map(str::to_string))
            .collect();
        assert!(idents.contains(&"Invoke-RestMethod".to_string()));
        assert!(idents.contains(&"-Method".to_string()));
        // The backtick continuation joins the lines: no Newline between -Uri $u and -Method.
        let nl = l.tokens.iter().filter(|t| t.tok == Tok::Newline).count();
        assert_eq!(nl, 1);
    }

    #[test]
    fn csharp_interpolated_and_verbatim() {
        let s = strs(
            "var u = $\"{Base}/v3/sources/{id:D}\"; var v = @\"C:\\x\"\"y\";",
            Lang::CSharp,
        );
        assert!(matches!(&s[0][0], StrPart::Expr(e, _) if e == "Base"));
        assert!(matches!(&s[0][2], StrPart::Expr(e, _) if e == "id"));
        assert_eq!(s[1], vec![lit("C:\\x\"y")]);
    }

    #[test]
    fn kotlin_templates_in_java_lang_strings() {
        let s = strs(
            "val u = \"$base/v3/sources/${src.id}\"; String j = \"/v3/x\"; val d = \"\\$5 $\"",
            Lang::Java,
        );
        assert!(matches!(&s[0][0], StrPart::Expr(e, _) if e == "base"));
        assert_eq!(s[0][1], lit("/v3/sources/"));
        assert!(matches!(&s[0][2], StrPart::Expr(e, _) if e == "src.id"));
        assert_eq!(s[1], vec![lit("/v3/x")]);
        assert_eq!(s[2], vec![lit("$5 $")]);
    }

    #[test]
    fn shell_words_vars_and_comments() {
        let src = "curl -X POST \"$BASE/v3/search\" -d @q.json # note\necho 'x#y'";
        let l = lex(src, Lang::Shell);
        assert_eq!(l.comments.len(), 1);
        let s = strs(src, Lang::Shell);
        assert!(matches!(&s[0][0], StrPart::Expr(e, _) if e == "$BASE"));
        assert_eq!(s[1], vec![lit("x#y")]);
    }

    #[test]
    fn shell_substitutions_in_double_quotes_are_code() {
        let src = "R=\"x$(curl -s \"$B/v3/a\" | jq -r \")\")y\"; echo \"$(( 1 + 2 ))\"\n";
        let l = lex(src, Lang::Shell);
        let text: Vec<&str> = l.tokens.iter().map(|t| &src[t.start..t.end]).collect();
        assert!(text.contains(&"curl"), "{text:?}");
        assert!(text.contains(&"\"$B/v3/a\""), "{text:?}");
        // The string resumes after the substitution, adjacent to its `)`.
        let y = l
            .tokens
            .iter()
            .position(|t| &src[t.start..t.end] == "y\"")
            .unwrap();
        assert_eq!(l.tokens[y - 1].end, l.tokens[y].start);
        assert!(matches!(&l.tokens[y].tok, Tok::Str(s) if s.plain().as_deref() == Some("y")));
        assert_eq!(l.tokens.iter().filter(|t| t.tok == Tok::Newline).count(), 1);
    }

    #[test]
    fn shell_heredocs_ci_expressions_and_dollar() {
        let src = "cat <<EOF > body.json\n{\"url\": \"https://x/v3/a\", \"n\": \"don't\"}\nEOF\ncurl ${{ secrets.ISC_URL }}/v3/b $(B)\ncat <<-'END'\n\tcurl /v3/c\n\tEND\nbash <<EOF\ncurl /v3/d\nEOF\nx=$((1 << 2))\n";
        let l = lex(src, Lang::Shell);
        let text: Vec<String> = l
            .tokens
            .iter()
            .map(|t| src[t.start..t.end].to_string())
            .collect();
        // The data bodies are gone, the one fed to a shell is code.
        assert!(!text.iter().any(|t| t.contains("v3/a") || t == "don"));
        assert_eq!(text.iter().filter(|t| *t == "curl").count(), 2);
        assert!(
            l.tokens
                .iter()
                .any(|t| t.tok == Tok::Var("secrets.ISC_URL".into()))
        );
        assert!(l.tokens.iter().any(|t| t.tok == Tok::Punct("$")));
        // An arithmetic shift is no here-document.
        assert!(text.iter().any(|t| t == "2"));
    }
}
