//! Evaluating string expressions statically: assignments and scopes (function, module,
//! instance, project-wide constants), and expressions of Python and the brace languages —
//! concatenation, f-strings and template literals, `format`/`%`/`Sprintf`/`String.format`,
//! URL joins, environment lookups, ternaries and defaults. PowerShell and shell bring their
//! own expression syntax ([`powershell`], [`shell`]) but share the scopes.

pub mod powershell;
pub mod shell;

use super::code::Code;
pub use super::code::{imports, module_stem_of};
use super::lex::{self, Lang, StrLit, StrPart, Tok};
use super::value::{Value, join_path};
use std::cell::RefCell;
use std::collections::HashMap;

/// One assignment `name = rhs` (or `+=`).
#[derive(Clone, Debug)]
pub struct Assign {
    pub name: String,
    /// Token index of the assignment (the name).
    pub tok: usize,
    /// Token range of the right-hand side.
    pub rhs: (usize, usize),
    /// `+=`: appends to the previous value.
    pub append: bool,
    /// Enclosing function, if any.
    pub func: Option<usize>,
    pub nesting: usize,
    /// The value is given directly (object literal entries of a known string, config files).
    pub fixed: Option<Value>,
}

/// Project-wide string constants: module-level assignments of every file, configuration
/// files (`.env`, YAML, JSON) and CI variables, by name and by last dotted segment.
#[derive(Debug, Default)]
pub struct Project {
    pub consts: HashMap<String, Value>,
    /// Names the manifest declares to hold the tenant's API base (`discovery.base_urls`).
    pub tenant_bases: Vec<String>,
}

impl Project {
    pub fn add(&mut self, name: &str, v: Value) {
        if v.is_empty() {
            return;
        }
        for key in [name.to_string(), last_segment(name).to_string()] {
            let e = self.consts.entry(key).or_default();
            *e = e.union(&v);
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        PROJECT_READS.with(|n| n.set(n.get() + 1));
        self.consts
            .get(name)
            .or_else(|| self.consts.get(last_segment(name)))
    }

    /// Adds a constant under exactly `key` (`config::BASE_URL`: a module-level name of the
    /// module `config`, for files that import it).
    pub fn add_exact(&mut self, key: &str, v: Value) {
        if v.is_empty() {
            return;
        }
        let e = self.consts.entry(key.to_string()).or_default();
        *e = e.union(&v);
    }

    /// The constant named exactly `key` (`env:VAR`).
    pub fn get_exact(&self, key: &str) -> Option<&Value> {
        PROJECT_READS.with(|n| n.set(n.get() + 1));
        self.consts.get(key)
    }

    /// How many times evaluation on this thread has consulted a project (so a caller can
    /// tell whether a file's values depend on the project at all).
    pub fn reads_on_this_thread() -> u64 {
        PROJECT_READS.with(|n| n.get())
    }
}

thread_local! {
    static PROJECT_READS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// `config.BASE_URL` → `BASE_URL`; `$script:base` → `base`.
pub fn last_segment(name: &str) -> &str {
    let n = name.rsplit(['.', ':']).next().unwrap_or(name);
    n.trim_start_matches('$')
}

/// The assignments of a file, by name: found once per file (see [`Code::bindings`]).
#[derive(Debug, Default)]
pub struct Bindings {
    pub assigns: Vec<Assign>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Bindings {
    pub fn of(code: &Code) -> Bindings {
        let assigns = match code.lang {
            Lang::PowerShell => powershell_assigns(code),
            Lang::Shell => shell_assigns(code),
            _ => brace_assigns(code),
        };
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in assigns.iter().enumerate() {
            by_name.entry(a.name.clone()).or_default().push(i);
        }
        Bindings { assigns, by_name }
    }

    /// No assignments.
    pub fn none() -> &'static Bindings {
        static NONE: std::sync::OnceLock<Bindings> = std::sync::OnceLock::new();
        NONE.get_or_init(Bindings::default)
    }
}

impl Code<'_> {
    /// The file's assignments, found on first use and kept with the file.
    pub fn bindings(&self) -> &Bindings {
        self.derived(Bindings::of)
            .unwrap_or_else(|| Bindings::none())
    }
}

/// Evaluation environment of one file.
pub struct Env<'c> {
    pub code: &'c Code<'c>,
    pub assigns: &'c [Assign],
    by_name: &'c HashMap<String, Vec<usize>>,
    pub project: &'c Project,
    memo: RefCell<HashMap<usize, Value>>,
    active: RefCell<Vec<usize>>,
}

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

/// Reads `src` as `lang` and hands `f` its environment, nothing known of the project (for
/// tests).
#[cfg(test)]
pub(crate) fn with_env<R>(src: &str, lang: Lang, f: impl FnOnce(&Env) -> R) -> R {
    let code = Code::new(src, lang);
    let project = Project::default();
    f(&Env::new(&code, &project))
}

impl<'c> Env<'c> {
    /// The environment of a file against the project (the file's assignments are found once
    /// per [`Code`] and shared by all its environments).
    pub fn new(code: &'c Code<'c>, project: &'c Project) -> Env<'c> {
        Env::with_bindings(code, code.bindings(), project)
    }

    /// An environment with the given assignments (an expression evaluated on its own has
    /// none: [`Bindings::none`]).
    fn with_bindings(code: &'c Code<'c>, b: &'c Bindings, project: &'c Project) -> Env<'c> {
        Env {
            code,
            assigns: &b.assigns,
            by_name: &b.by_name,
            project,
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(Vec::new()),
        }
    }

    /// The assignments to `name`, in the order of the file.
    pub fn assigns_named(&self, name: &str) -> impl DoubleEndedIterator<Item = &'c Assign> {
        let assigns = self.assigns;
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(move |&i| &assigns[i])
    }

    /// The module-level (not in a function) assignments, for project constants.
    pub fn module_values(&self) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (i, a) in self.assigns.iter().enumerate() {
            // .NET base addresses are configured in functions (`ConfigureServices`, typed
            // clients' constructors) and used by clients elsewhere.
            if a.func.is_none()
                || a.name.starts_with("self.")
                || a.name.starts_with("this.")
                || a.name.ends_with("BaseAddress") && self.code.lang == Lang::CSharp
            {
                let v = self.assign_value(i);
                if !v.is_empty() {
                    out.push((a.name.clone(), v));
                }
            }
        }
        out
    }

    fn assign_value(&self, i: usize) -> Value {
        if let Some(v) = self.memo.borrow().get(&i) {
            return v.clone();
        }
        if self.active.borrow().contains(&i) || self.active.borrow().len() > 24 {
            return Value::hole(self.assigns[i].name.clone());
        }
        self.active.borrow_mut().push(i);
        let a = &self.assigns[i];
        let mut v = match &a.fixed {
            Some(v) => v.clone(),
            None => self.eval(a.rhs, a.tok),
        };
        if a.append {
            let prev = self.lookup_before(&a.name, a.tok);
            v = prev.concat(&v);
        }
        self.active.borrow_mut().pop();
        self.memo.borrow_mut().insert(i, v.clone());
        v
    }

    /// The value of `name` as seen at token `at` (a hole named after it when unknown; a
    /// `param:` hole for a parameter of the enclosing function).
    pub fn lookup(&self, name: &str, at: usize) -> Value {
        let v = self.lookup_seen(name, at);
        if self.project.tenant_bases.is_empty() {
            return v;
        }
        // A name the manifest declares to hold the tenant's API base.
        match super::value::base_decl(
            &self.project.tenant_bases,
            &normalise_name(name),
            self.code.lang,
        ) {
            Some(decl) => super::value::as_tenant_base(&v, decl),
            None => v,
        }
    }

    /// [`Env::lookup`] by what the code shows.
    fn lookup_seen(&self, name: &str, at: usize) -> Value {
        let name = normalise_name(name);
        let func = self.code.enclosing_fn(at);
        if let Some(f) = func {
            let def = &self.code.fns[f];
            let head = name.split(['.', '[']).next().unwrap_or(&name);
            if def.params.iter().any(|p| {
                p == head || p.eq_ignore_ascii_case(head) && self.code.lang == Lang::PowerShell
            }) {
                // PowerShell: a parameter given a new value in the function
                // (`$Url = "{0}{1}" -f $script:Base, $Url`) has that value.
                if self.code.lang == Lang::PowerShell && head == name {
                    // Not a default in the `param(...)` block.
                    let c = self.code;
                    let (a, b) = def.body;
                    let block_end = (a..b.min(c.len()))
                        .find(|&i| c.ident(i).is_some_and(|w| w.eq_ignore_ascii_case("param")))
                        .filter(|&i| c.is_punct(i + 1, "("))
                        .and_then(|i| c.close_of(i + 1))
                        .unwrap_or(a);
                    let reach = self.reaching_assigns(&name, at);
                    if !reach.is_empty() && reach.iter().all(|&i| self.assigns[i].tok > block_end) {
                        let v = self.lookup_before(&name, at);
                        if !v.is_empty() {
                            return v;
                        }
                    }
                }
                return Value::hole(format!("param:{name}"));
            }
        }
        let v = self.lookup_before(&name, at);
        if !v.is_empty() {
            return v;
        }
        let v = self.field_values(&name);
        if !v.is_empty() {
            return v;
        }
        // `this.baseUrl` of a class field `baseUrl = ...` (TS/JS class bodies are not
        // functions: their fields are file-level names).
        if let Some(field) = name.strip_prefix("this.")
            && let Some(ids) = self.by_name.get(field)
        {
            let mut v = Value::default();
            for &i in ids {
                if self.assigns[i].func.is_none() {
                    v = v.union(&self.assign_value(i));
                }
            }
            if !v.is_empty() {
                return v;
            }
        }
        // Imported from a module of the project: that module's value, not every module's.
        if let Some(v) = self.imported_value(&name) {
            return v;
        }
        if let Some(v) = self.project.get(&name) {
            return v.clone();
        }
        // `os.environ` and friends are handled by the expression evaluator; anything else is
        // a hole.
        Value::hole(name.to_string())
    }

    /// The value of a name the file imports from another module (`from config import BASE`,
    /// `import { BASE } from './config'`, `config.BASE` after `import config`), when the
    /// project has that module.
    fn imported_value(&self, name: &str) -> Option<Value> {
        let imports = self.code.imports();
        if imports.is_empty() {
            return None;
        }
        let (head, rest) = match name.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (name, None),
        };
        let (module, orig) = imports.get(head)?;
        let key = match (orig.is_empty(), rest) {
            (true, Some(r)) => format!("{module}::{r}"),
            (true, None) => return None,
            (false, Some(r)) => format!("{module}::{orig}.{r}"),
            (false, None) => format!("{module}::{orig}"),
        };
        self.project.get_exact(&key).cloned()
    }

    /// Fields of Go structs and Java/C# classes, set in a constructor or another method
    /// (`this.base = base`, `_base = cfg.Url`, `c.baseURL = u`) or in a Go composite literal
    /// (`&Client{baseURL: u}`): `c.baseURL`, `this.base`, or a bare name declared as a field.
    fn field_values(&self, name: &str) -> Value {
        let code = self.code;
        let field = match code.lang {
            Lang::Go => match name.split_once('.') {
                Some((_, f)) if !f.contains('.') => f,
                _ => return Value::default(),
            },
            Lang::Java | Lang::CSharp => {
                let f = name.strip_prefix("this.").unwrap_or(name);
                if f.contains('.') || !(name.starts_with("this.") || self.declared_field(f)) {
                    return Value::default();
                }
                f
            }
            _ => return Value::default(),
        };
        let mut v = Value::default();
        // Spring `@Value("${isc.base-url:https://default}") private String base;`.
        if code.lang == Lang::Java {
            v = v.union(&self.injected_value(field));
        }
        for (i, a) in self.assigns.iter().enumerate() {
            let last = a.name.rsplit('.').next().unwrap_or(&a.name);
            let dots = a.name.matches('.').count();
            let same = match code.lang {
                Lang::Go => last == field && dots == 1,
                _ => a.name == field || a.name == format!("this.{field}"),
            };
            if same {
                v = v.union(&self.assign_value(i).unparam());
            }
        }
        if code.lang == Lang::Go {
            // Composite literal entries `field: value`.
            for k in 1..code.len().saturating_sub(2) {
                if code.ident(k) == Some(field)
                    && code.is_punct(k + 1, ":")
                    && (code.is_punct(k - 1, "{")
                        || code.is_punct(k - 1, ",")
                        || code.toks[k - 1].tok == Tok::Newline)
                {
                    let key = usize::MAX - k;
                    if self.active.borrow().contains(&key) || self.active.borrow().len() > 24 {
                        continue;
                    }
                    self.active.borrow_mut().push(key);
                    let end = code.expr_end(k + 2);
                    let x = self.eval((k + 2, end), k).unparam();
                    self.active.borrow_mut().pop();
                    v = v.union(&x);
                }
            }
        }
        v
    }

    /// The configuration property a Spring `@Value("${key[:default]}")` injects into a field
    /// (or a constructor parameter) named `field`: the project's value of `key`, else its
    /// default, else a hole named after the key.
    fn injected_value(&self, field: &str) -> Value {
        let code = self.code;
        for k in 0..code.len().saturating_sub(4) {
            if !(code.is_punct(k, "@")
                && code.ident(k + 1) == Some("Value")
                && code.is_punct(k + 2, "("))
            {
                continue;
            }
            let Some(Tok::Str(s)) = code.tok(k + 3) else {
                continue;
            };
            let close = code.close_of(k + 2).unwrap_or(k + 3);
            // The annotated name follows within a few tokens (`private final String base`).
            let target = (close + 1..(close + 8).min(code.len()))
                .find(|&j| code.ident(j) == Some(field) && code.ident(j + 1).is_none());
            if target.is_none() {
                continue;
            }
            let text: String = s
                .parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(l) => l.clone(),
                    StrPart::Expr(e, _) => format!("${{{e}}}"),
                })
                .collect();
            let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) else {
                continue;
            };
            let (key, default) = match inner.split_once(':') {
                Some((k, d)) => (k, Some(d)),
                None => (inner, None),
            };
            return match (self.project.get(key), default) {
                (Some(v), _) => v.clone(),
                (None, Some(d)) if !d.is_empty() => Value::lit(d),
                _ => Value::hole(key.to_string()),
            };
        }
        Value::default()
    }

    /// Whether `name` is declared outside every function (a Java/C# field).
    fn declared_field(&self, name: &str) -> bool {
        let code = self.code;
        // Memoised per file and name (every unresolved bare name asks).
        thread_local! {
            static MEMO: RefCell<HashMap<(usize, usize, String), bool>> = Default::default();
        }
        let key = (
            super::code::fingerprint(code.src),
            code.src.len(),
            name.to_string(),
        );
        // (Small sources — interpolation snippets, freed and reallocated — are not memoised.)
        let memo = code.src.len() >= 4096;
        if memo && let Some(b) = MEMO.with(|m| m.borrow().get(&key).copied()) {
            return b;
        }
        let b = (1..code.len().saturating_sub(1)).any(|k| {
            code.ident(k) == Some(name)
                && (code.is_punct(k + 1, ";") || code.is_punct(k + 1, "="))
                && matches!(
                    code.tok(k - 1),
                    Some(Tok::Ident(_) | Tok::Punct(">" | "]" | "?"))
                )
                && code.enclosing_fn(k).is_none()
        });
        if memo {
            MEMO.with(|m| {
                let mut m = m.borrow_mut();
                if m.len() > 100_000 {
                    m.clear();
                }
                m.insert(key, b);
            });
        }
        b
    }

    /// Assignments to `name` that reach token `at`.
    fn lookup_before(&self, name: &str, at: usize) -> Value {
        let func = self.code.enclosing_fn(at);
        let mut v = Value::default();
        for i in self.reaching_assigns(name, at) {
            let mut x = self.assign_value(i);
            // A field set from a constructor's parameter (`this.base = base`) is not a
            // parameter of the function that reads it.
            if self.assigns[i].func != func {
                x = x.unparam();
            }
            v = v.union(&x);
        }
        v
    }

    /// The value of assignment `i` (see [`Env::reaching_assigns`]).
    pub fn value_of_assign(&self, i: usize) -> Value {
        self.assign_value(i)
    }

    /// The assignments to `name` that reach token `at` (indexes into [`Env::assigns`]).
    pub fn reaching_assigns(&self, name: &str, at: usize) -> Vec<usize> {
        let Some(ids) = self.by_name.get(name) else {
            return Vec::new();
        };
        let func = self.code.enclosing_fn(at);
        let instance =
            name.starts_with("self.") || name.starts_with("this.") || name.starts_with("@");
        // Same function, before `at`.
        let local: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&i| self.assigns[i].func == func && self.assigns[i].tok < at && func.is_some())
            .collect();
        let chosen: Vec<usize> = if !local.is_empty() {
            self.reaching(&local, at)
        } else {
            // Module level (any position: functions run after the module is loaded), or
            // instance attributes assigned anywhere in the file.
            let module: Vec<usize> = ids
                .iter()
                .copied()
                .filter(|&i| self.assigns[i].func.is_none() || instance)
                .collect();
            if module.is_empty() {
                return Vec::new();
            }
            let before: Vec<usize> = module
                .iter()
                .copied()
                .filter(|&i| self.assigns[i].tok < at)
                .collect();
            if instance {
                module
            } else if before.is_empty() {
                vec![module[0]]
            } else {
                self.reaching(&before, at)
            }
        };
        chosen
    }

    /// Of the assignments before `at` (in order), those that may reach it: the last one, and
    /// when it sits in a block that does not hold the use (a branch: `if …: url = a` /
    /// `else: url = b` before the request), the earlier ones back to one whose block holds
    /// the use.
    fn reaching(&self, before: &[usize], at: usize) -> Vec<usize> {
        let at = at.min(self.code.len().saturating_sub(1));
        let use_nesting = self.code.nesting(at);
        let mut out = Vec::new();
        for &i in before.iter().rev() {
            out.push(i);
            let a = &self.assigns[i];
            let holds = match self.code.lang {
                // The shell has no brackets around its blocks: by nesting, as written.
                Lang::Shell => a.nesting <= use_nesting,
                _ => self.code.block_holds(a.tok, at),
            };
            if holds {
                break;
            }
        }
        out
    }

    /// Evaluates the expression in token range `r` (as seen at token `at`).
    pub fn eval(&self, r: (usize, usize), at: usize) -> Value {
        match self.code.lang {
            Lang::PowerShell => powershell::eval(self, r, at),
            Lang::Shell => shell::eval(self, r, at),
            _ => CExpr { env: self, at }.expr(r.0, r.1),
        }
    }

    /// Evaluates a string literal (interpolation parts in the file's language).
    pub fn string(&self, s: &StrLit, at: usize) -> Value {
        let mut v = Value::lit("");
        for p in &s.parts {
            match p {
                StrPart::Lit(l) => v.append(&Value::lit(l.clone())),
                StrPart::Expr(e, _) => v.append(&self.sub_expr(e, at)),
            }
        }
        v
    }

    /// Evaluates an interpolated expression's source text.
    pub fn sub_expr(&self, text: &str, at: usize) -> Value {
        // Interpolations inside interpolations (`"$( "$( … )" )"`), thousands deep: each
        // level lexes its text again, so the depth is bounded.
        let Some(_level) = super::budget::deeper_by(super::budget::TEXT_LEVEL) else {
            return Value::hole(TOO_DEEP);
        };
        let t = text.trim();
        // Plain names (the common case) need no lexing.
        if !t.is_empty()
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$' || c == ':')
        {
            if let Some(v) = self.builtin_name(t) {
                return v;
            }
            return self.lookup(t, at);
        }
        let sub = Code::new(t, self.code.lang);
        let env = Env::with_bindings(&sub, Bindings::none(), self.project);
        // Names inside resolve against this file at `at`.
        let v = Outer {
            inner: &env,
            outer: self,
            at,
        }
        .eval_all();
        if v.is_empty() {
            Value::hole(t.to_string())
        } else {
            v
        }
    }

    /// Names with a meaning of their own (`process.env.X`, `$env:X`).
    pub fn builtin_name(&self, name: &str) -> Option<Value> {
        let env_var = name
            .strip_prefix("process.env.")
            .or_else(|| name.strip_prefix("$env:"))
            .or_else(|| name.strip_prefix("env:"))
            .or_else(|| name.strip_prefix("import.meta.env."));
        env_var.map(|v| self.env_value(v))
    }

    /// The value of an environment variable: what the project's configuration files say, or
    /// a hole named after it.
    pub fn env_value(&self, var: &str) -> Value {
        let v = match self.project.get_exact(&format!("env:{var}")) {
            Some(v) => v.clone(),
            None => Value::hole(format!("env:{var}")),
        };
        match super::value::base_decl(&self.project.tenant_bases, var, self.code.lang) {
            Some(decl) if decl.len() == var.trim_start_matches('$').len() => {
                super::value::as_tenant_base(&v, decl)
            }
            _ => v,
        }
    }
}

/// Evaluates a lexed sub-expression whose names resolve in an outer file.
struct Outer<'a, 'c> {
    inner: &'a Env<'a>,
    outer: &'a Env<'c>,
    at: usize,
}

impl Outer<'_, '_> {
    fn eval_all(&self) -> Value {
        let n = self.inner.code.len();
        match self.inner.code.lang {
            Lang::PowerShell => powershell::eval_with(self.inner, (0, n), 0, &|name| {
                self.outer.lookup(name, self.at)
            }),
            Lang::Shell => shell::eval_with(self.inner, (0, n), 0, &|name| {
                self.outer.lookup(name, self.at)
            }),
            _ => CExpr {
                env: self.inner,
                at: 0,
            }
            .expr_with(0, n, &|name| {
                self.outer
                    .builtin_name(name)
                    .unwrap_or_else(|| self.outer.lookup(name, self.at))
            }),
        }
    }
}

fn normalise_name(name: &str) -> String {
    let n = name.trim().trim_start_matches('$');
    let n = n
        .strip_prefix("script:")
        .or_else(|| n.strip_prefix("global:"))
        .or_else(|| n.strip_prefix("local:"))
        .unwrap_or(n);
    n.replace("?.", ".")
}

/// Assignments of Python and the brace languages.
fn brace_assigns(code: &Code) -> Vec<Assign> {
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
            Some(Tok::Ident(k)) => k.clone(),
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
                parts.push(id.clone());
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
fn powershell_assigns(code: &Code) -> Vec<Assign> {
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
    let Some(close) = code.close_of(open) else {
        return;
    };
    let mut k = open + 1;
    while k < close {
        let key = match code.tok(k) {
            Some(Tok::Ident(s)) => Some(s.clone()),
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
            out.push(Assign {
                name: format!("{prefix}.{key}"),
                tok: k,
                rhs: (start, end),
                append: false,
                func,
                nesting,
                fixed: None,
            });
            k = end;
            continue;
        }
        k += 1;
    }
}

/// Shell: `NAME=value`, `export NAME=value`, `readonly NAME=value` (no spaces around `=`).
fn shell_assigns(code: &Code) -> Vec<Assign> {
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

/// The hole for a part of an expression nested deeper than [`super::budget::MAX_DEPTH`].
pub const TOO_DEEP: &str = "…(nested too deep)";

/// The expression evaluator for Python and the brace languages.
struct CExpr<'a, 'c> {
    env: &'a Env<'c>,
    at: usize,
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
    fn expr(&self, a: usize, b: usize) -> Value {
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

    fn expr_with(&self, a: usize, b: usize, names: Resolver) -> Value {
        // Parentheses inside parentheses, thousands deep: past the limit, unknown.
        let Some(_level) = super::budget::deeper() else {
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
            super::budget::spend(1);
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
                chain.push(id.clone());
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
                    } else if let Some(_level) = super::budget::deeper_by(super::budget::TEXT_LEVEL)
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
            .any(|p| matches!(p, super::value::Piece::Lit(l) if !l.is_empty()));
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
                        matches!(p, super::value::Piece::Lit(l) if l.contains("%s") || l.contains("%d"))
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
                    .any(|p| matches!(p, super::value::Piece::Lit(l) if l.contains("{0}")))
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
        Some(super::value::substitute(&v, &arg_of))
    }
}

/// `{}`/`{0}`/`{name}` formatting.
fn brace_format(fmt: &Value, pos: &[Value], named: &HashMap<String, Value>) -> Value {
    use super::value::Piece;
    let mut out = Value::default();
    for cand in &fmt.cands {
        let mut v = Value::lit("");
        let mut next = 0usize;
        for p in cand {
            match p {
                Piece::Hole(h) => v.append(&Value::hole(h.clone())),
                Piece::Lit(l) => {
                    let mut rest = l.as_str();
                    while let Some(i) = rest.find('{') {
                        v.append(&Value::lit(&rest[..i]));
                        let Some(j) = rest[i..].find('}') else {
                            v.append(&Value::lit(&rest[i..]));
                            rest = "";
                            break;
                        };
                        let key = rest[i + 1..i + j].split(':').next().unwrap_or("").trim();
                        let val = if key.is_empty() {
                            next += 1;
                            pos.get(next - 1).cloned()
                        } else if let Ok(n) = key.parse::<usize>() {
                            pos.get(n).cloned()
                        } else {
                            named.get(key).cloned()
                        };
                        v = v.concat(
                            &val.filter(|x| !x.is_empty())
                                .unwrap_or_else(|| Value::hole(key.to_string())),
                        );
                        rest = &rest[i + j + 1..];
                    }
                    v.append(&Value::lit(rest));
                }
            }
        }
        out = out.union(&v);
    }
    out
}

/// `%s`/`%d`/`%v`/`%q` formatting (Go, Python, Java, Node).
fn printf(fmt: &Value, args: &[Value]) -> Value {
    use super::value::Piece;
    let mut out = Value::default();
    for cand in &fmt.cands {
        let mut v = Value::lit("");
        let mut next = 0usize;
        for p in cand {
            match p {
                Piece::Hole(h) => v.append(&Value::hole(h.clone())),
                Piece::Lit(l) => {
                    let b = l.as_bytes();
                    let mut i = 0;
                    let mut lit = String::new();
                    while i < b.len() {
                        if b[i] == b'%' && i + 1 < b.len() {
                            if b[i + 1] == b'%' {
                                lit.push('%');
                                i += 2;
                                continue;
                            }
                            // Skip flags/width up to the verb.
                            let mut j = i + 1;
                            while j < b.len() && (b[j].is_ascii_digit() || b"-+#. ".contains(&b[j]))
                            {
                                j += 1;
                            }
                            if j < b.len() && b[j].is_ascii_alphabetic() {
                                v.append(&Value::lit(std::mem::take(&mut lit)));
                                next += 1;
                                let a = args
                                    .get(next - 1)
                                    .cloned()
                                    .filter(|x| !x.is_empty())
                                    .unwrap_or_else(|| Value::hole("%s"));
                                v.append(&a);
                                i = j + 1;
                                continue;
                            }
                        }
                        let ch = l[i..].chars().next().unwrap_or(' ');
                        lit.push(ch);
                        i += ch.len_utf8();
                    }
                    v.append(&Value::lit(lit));
                }
            }
        }
        out = out.union(&v);
    }
    out
}

fn replace_lit(recv: &Value, from: &str, to: &Value) -> Value {
    use super::value::Piece;
    if from.is_empty() {
        return recv.clone();
    }
    let mut out = Value::default();
    for cand in &recv.cands {
        let mut v = Value::lit("");
        for p in cand {
            match p {
                Piece::Lit(l) if l.contains(from) => {
                    let mut parts = l.split(from);
                    v.append(&Value::lit(parts.next().unwrap_or("")));
                    for rest in parts {
                        v = v.concat(to).concat(&Value::lit(rest));
                    }
                }
                other => {
                    v = v.concat(&Value {
                        cands: vec![vec![other.clone()]],
                    })
                }
            }
        }
        out = out.union(&v);
    }
    out
}

/// Lexes and evaluates a standalone expression (for tests and configuration values).
pub fn eval_source(src: &str, lang: Lang, project: &Project) -> Value {
    let code = Code::new(src, lang);
    let env = Env::new(&code, project);
    let n = code.len();
    // The last statement's value.
    let start = (0..n)
        .rev()
        .find(|&k| code.toks[k].tok == Tok::Newline)
        .map_or(0, |k| k + 1);
    env.eval((start, n), n.saturating_sub(1))
}

#[allow(dead_code)]
fn _lex_ref() -> fn(&str, Lang) -> lex::Lexed {
    lex::lex
}

#[cfg(test)]
mod tests {

    #[test]
    fn imports_name_their_project_module() {
        type Map = std::collections::BTreeMap<String, (String, String)>;
        let map_of = |pairs: &[(&str, (&str, &str))]| -> Map {
            pairs
                .iter()
                .map(|(k, (m, n))| (k.to_string(), (m.to_string(), n.to_string())))
                .collect()
        };
        let imports_of = |src: &str, lang: Lang| -> Map {
            Code::new(src, lang).imports().clone().into_iter().collect()
        };
        assert_eq!(
            imports_of(
                "import os\nimport app.settings as cfg\nfrom .config import BASE, VERSION as V\nfrom lib.urls import (\n  SOURCES,\n)\nfrom . import consts\n",
                Lang::Python
            ),
            map_of(&[
                ("os", ("os", "")),
                ("cfg", ("settings", "")),
                ("BASE", ("config", "BASE")),
                ("V", ("config", "VERSION")),
                ("SOURCES", ("urls", "SOURCES")),
                ("consts", ("consts", "")),
            ])
        );
        // `axios` is not a project module (not a relative path).
        assert_eq!(
            imports_of(
                "import axios from 'axios';\nimport { BASE, V as ver } from './config';\nimport * as urls from '../lib/urls.js';\nconst { TOKEN_URL } = require('./auth/index');\nconst c = require('./consts');\n",
                Lang::Js
            ),
            map_of(&[
                ("BASE", ("config", "BASE")),
                ("ver", ("config", "V")),
                ("urls", ("urls", "")),
                ("TOKEN_URL", ("auth", "TOKEN_URL")),
                ("c", ("consts", "")),
            ])
        );
    }

    #[test]
    fn an_imported_name_takes_its_module_value() {
        let mut p = Project::default();
        for (module, v) in [
            ("config", "https://a.api.identitynow.com/v2024"),
            ("other", "https://b.example.com/v3"),
        ] {
            p.add_exact(&format!("{module}::BASE"), Value::lit(v));
            p.add("BASE", Value::lit(v));
        }
        let src = "from config import BASE\nurl = BASE + '/accounts'\nurl";
        let code = Code::new(src, Lang::Python);
        let env = Env::new(&code, &p);
        let v = env.lookup("url", code.len());
        assert_eq!(v.texts(), ["https://a.api.identitynow.com/v2024/accounts"]);
        // Without the import, every module's value is a candidate.
        let code = Code::new("url = BASE + '/accounts'\nurl", Lang::Python);
        let env = Env::new(&code, &p);
        assert_eq!(env.lookup("url", code.len()).texts().len(), 2);
    }
    use super::*;

    fn py(src: &str) -> Value {
        eval_source(src, Lang::Python, &Project::default())
    }

    fn text(v: &Value) -> Vec<String> {
        v.texts()
    }

    #[test]
    fn python_expressions() {
        assert_eq!(
            text(&py(
                "BASE = 'https://acme.api.identitynow.com'\nBASE + '/v3/sources'"
            )),
            ["https://acme.api.identitynow.com/v3/sources"]
        );
        assert_eq!(
            text(&py("b = 'https://x'\nf\"{b}/v3/sources/{sid}\"")),
            ["https://x/v3/sources/{sid}"]
        );
        assert_eq!(text(&py("'{}/v3/{}'.format(base, 'x')")), ["{base}/v3/x"]);
        assert_eq!(
            text(&py("'%s/beta/accounts/%s' % (BASE, aid)")),
            ["{BASE}/beta/accounts/{aid}"]
        );
        assert_eq!(
            text(&py("urljoin(os.environ['ISC_URL'], 'v3/search')")),
            ["{env:ISC_URL}/v3/search"]
        );
        assert_eq!(
            text(&py("os.getenv('BASE', 'https://d') + '/v3/x'")),
            ["{env:BASE}/v3/x", "https://d/v3/x"]
        );
        assert_eq!(
            text(&py("'/v3/a' if x else '/beta/a'")),
            ["/v3/a", "/beta/a"]
        );
    }

    #[test]
    fn small_url_helpers_are_inlined() {
        let p = Project::default();
        let go = "func (c *C) url(p string) string {\n\treturn c.base + p\n}\nfunc (c *C) do(m, path string) {\n\tg(c.url(path), c.url(\"/v3/x\"))\n}";
        let code = Code::new(go, Lang::Go);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let args = code.args(g + 1);
        assert_eq!(text(&env.eval(args[0], g)), ["{c.base}{param:path}"]);
        assert_eq!(text(&env.eval(args[1], g)), ["{c.base}/v3/x"]);
        let cs = "string Url(string p) => $\"{Base}/{p}\";\nvoid F() { g(Url(\"v3/sources\")); }";
        let code = Code::new(cs, Lang::CSharp);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(text(&env.eval(r, g)), ["{Base}/v3/sources"]);
    }

    #[test]
    fn builders_and_joins() {
        let p = Project::default();
        let java = eval_source(
            "new StringBuilder(BASE).append(\"/v3/sources/\").append(id).toString() + String.join(\"/\", \"\", \"beta\", \"x\")",
            Lang::Java,
            &p,
        );
        assert_eq!(text(&java), ["{BASE}/v3/sources/{id}/beta/x"]);
        let kt = eval_source("\"%s/v3/sources/%s\".format(base, id)", Lang::Java, &p);
        assert_eq!(text(&kt), ["{base}/v3/sources/{id}"]);
    }

    #[test]
    fn spring_value_injection() {
        let mut p = Project::default();
        p.add(
            "isc.api-url",
            Value::lit("https://acme.api.identitynow.com/v3"),
        );
        let java = "class C {\n  @Value(\"${isc.api-url}\")\n  private String apiUrl;\n  @Value(\"${isc.other:https://x.api.identitynow.com/beta}\") private String other;\n  void f() { g(apiUrl + \"/sources\", other); }\n}";
        let code = Code::new(java, Lang::Java);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let args = code.args(g + 1);
        assert_eq!(
            text(&env.eval(args[0], g)),
            ["https://acme.api.identitynow.com/v3/sources"]
        );
        assert_eq!(
            text(&env.eval(args[1], g)),
            ["https://x.api.identitynow.com/beta"]
        );
    }

    #[test]
    fn go_url_objects() {
        let p = Project::default();
        let go = "func (c *C) newRequest(m, p string) {\n\tu, err := url.Parse(c.cfg.BaseURL)\n\tu.Path = path.Join(u.Path, p)\n\trel, _ := url.Parse(p)\n\tg(u.String(), c.BaseURL.ResolveReference(rel).String())\n}";
        let code = Code::new(go, Lang::Go);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let args = code.args(g + 1);
        assert_eq!(text(&env.eval(args[0], g)), ["{c.cfg.BaseURL}/{param:p}"]);
        assert_eq!(text(&env.eval(args[1], g)), ["{c.BaseURL}/{param:p}"]);
    }

    #[test]
    fn fields_set_elsewhere() {
        let p = Project::default();
        // Go: a composite literal in the constructor; the parameter there is an unknown here.
        let go = "func New(base string) *C {\n\treturn &C{baseURL: strings.TrimSuffix(base, \"/\") + \"/v3\"}\n}\nfunc (c *C) f() {\n\tg(c.baseURL + \"/sources\")\n}";
        let code = Code::new(go, Lang::Go);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(text(&env.eval(r, g)), ["{base}/v3/sources"]);
        // Java: a field assigned in the constructor, read bare and with `this.`.
        let java = "class C {\n  private final String base;\n  C(String base) { this.base = base + \"/beta\"; }\n  void f() { g(base + \"/x\", this.base); }\n}";
        let code = Code::new(java, Lang::Java);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let args = code.args(g + 1);
        assert_eq!(text(&env.eval(args[0], g)), ["{base}/beta/x"]);
        assert_eq!(text(&env.eval(args[1], g)), ["{base}/beta"]);
    }

    #[test]
    fn branches_and_scopes() {
        let src = "BASE = 'https://t.api.identitynow.com'\ndef f(kind, path):\n    url = BASE + '/v3/search'\n    if kind:\n        url = BASE + '/v3/accounts'\n    g(url)\n    h(BASE + path)\n";
        let code = Code::new(src, Lang::Python);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        assert_eq!(
            text(&env.lookup("url", g)),
            [
                "https://t.api.identitynow.com/v3/accounts",
                "https://t.api.identitynow.com/v3/search"
            ]
        );
        let h = code.toks.iter().position(|t| t.is_ident("h")).unwrap();
        let r = (h + 2, code.close_of(h + 1).unwrap());
        assert_eq!(
            text(&env.eval(r, h)),
            ["https://t.api.identitynow.com{param:path}"]
        );
    }

    #[test]
    fn makefile_and_dockerfile_assignments() {
        let p = Project::default();
        let mk = eval_source(
            "BASE ?= https://a.api.identitynow.com/v3\nX := $(BASE)/sources\n$(X)",
            Lang::Shell,
            &p,
        );
        assert_eq!(text(&mk), ["https://a.api.identitynow.com/v3/sources"]);
        let df = eval_source(
            "ENV ISC_HOST a.api.identitynow.com\nRUN true\nhttps://${ISC_HOST}/beta/x",
            Lang::Shell,
            &p,
        );
        assert_eq!(text(&df), ["https://a.api.identitynow.com/beta/x"]);
    }

    #[test]
    fn constructor_parameters_are_not_parameters_of_methods() {
        let src = "class A {\n  constructor(baseUrl) { this.base = baseUrl }\n  get(path) { return g(this.base + path) }\n}\n";
        let code = Code::new(src, Lang::Js);
        let p = Project::default();
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(text(&env.eval(r, g)), ["{baseUrl}{param:path}"]);
    }

    #[test]
    fn string_methods_on_names() {
        let p = Project::default();
        let v = eval_source("const verb = 'delete'\nverb.toUpperCase()", Lang::Js, &p);
        assert_eq!(text(&v), ["delete"]);
        let v = eval_source(
            "const t = '/v3/sources/{id}'\nt.replace('{id}', sid)",
            Lang::Js,
            &p,
        );
        assert_eq!(text(&v), ["/v3/sources/{sid}"]);
        // Module functions are not string methods.
        let v = eval_source("util.format('%s/v3/x', base)", Lang::Js, &p);
        assert_eq!(text(&v), ["{base}/v3/x"]);
        let code = Code::new("function f(method) { g(method.toUpperCase()) }", Lang::Js);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(text(&env.eval(r, g)), ["{param:method}"]);
    }

    #[test]
    fn loops_over_literal_lists_bind_each_element() {
        let p = Project::default();
        let src = "const PATHS = ['/v3/sources', '/v3/roles']\nasync function run() {\n  for (const p of PATHS) {\n    g(BASE + p)\n  }\n  ['/beta/workflows'].forEach((w) => h(w))\n  for (const x of other) { k(x) }\n}\n";
        let code = Code::new(src, Lang::Js);
        let env = Env::new(&code, &p);
        let arg = |f: &str| {
            let g = code.toks.iter().position(|t| t.is_ident(f)).unwrap();
            text(&env.eval((g + 2, code.close_of(g + 1).unwrap()), g))
        };
        assert_eq!(arg("g"), ["{BASE}/v3/sources", "{BASE}/v3/roles"]);
        assert_eq!(arg("h"), ["/beta/workflows"]);
        assert_eq!(arg("k"), ["{x}"]);
    }

    #[test]
    fn class_fields_are_this_members() {
        let mut p = Project::default();
        p.add("other.baseUrl", Value::lit("https://elsewhere"));
        let src = "class S {\n  private readonly baseUrl = `${env.isc}/v2024`;\n  list() { return g(`${this.baseUrl}/identities`) }\n}\n";
        let code = Code::new(src, Lang::Js);
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(text(&env.eval(r, g)), ["{env.isc}/v2024/identities"]);
    }

    #[test]
    fn factory_configuration_objects_assign_their_entries() {
        let p = Project::default();
        let v = eval_source(
            "const api = axios.create({\n  baseURL: 'https://a.api.identitynow.com/v3',\n  timeout: 5000,\n})\napi.baseURL",
            Lang::Js,
            &p,
        );
        assert_eq!(text(&v), ["https://a.api.identitynow.com/v3"]);
        // Shorthand properties.
        let v = eval_source(
            "const baseURL = 'https://a.api.identitynow.com/beta'\nconst api = axios.create({ baseURL, timeout })\napi.baseURL",
            Lang::Js,
            &p,
        );
        assert_eq!(text(&v), ["https://a.api.identitynow.com/beta"]);
        // Not for a call that is only part of the right-hand side.
        let v = eval_source("const r = f({ url: 'x' }).then(g)\nr.url", Lang::Js, &p);
        assert_eq!(text(&v), ["{r.url}"]);
    }

    #[test]
    fn js_and_go_expressions() {
        let p = Project::default();
        let js = eval_source(
            "const cfg = { baseUrl: 'https://a.api.identitynow.com' }\n`${cfg.baseUrl}/v2025/accounts/${id}`",
            Lang::Js,
            &p,
        );
        assert_eq!(
            text(&js),
            ["https://a.api.identitynow.com/v2025/accounts/{id}"]
        );
        let go = eval_source(
            "const (\n\tbase = \"https://a.api.identitynow.com\"\n\tv = \"v3\"\n)\nfmt.Sprintf(\"%s/%s/sources/%s\", base, v, id)",
            Lang::Go,
            &p,
        );
        assert_eq!(text(&go), ["https://a.api.identitynow.com/v3/sources/{id}"]);
        let code = Code::new(
            "func f() {\n\tu, err := url.JoinPath(base, \"v3\", \"sources\")\n\tp := path.Join(\"/beta\", \"roles\")\n\tq := strings.Join([]string{\"\", \"v2025\", \"accounts\"}, \"/\")\n\tg(u.String() + \" \" + p + \" \" + q)\n}",
            Lang::Go,
        );
        let env = Env::new(&code, &p);
        let g = code.toks.iter().position(|t| t.is_ident("g")).unwrap();
        let r = (g + 2, code.close_of(g + 1).unwrap());
        assert_eq!(
            text(&env.eval(r, g)),
            ["{base}/v3/sources /beta/roles /v2025/accounts"]
        );
        let java = eval_source(
            "private static final String BASE = \"https://a.api.identitynow.com\";\nString.format(\"%s/beta/workflows\", BASE)",
            Lang::Java,
            &p,
        );
        assert_eq!(
            text(&java),
            ["https://a.api.identitynow.com/beta/workflows"]
        );
        let cs = eval_source(
            "const string Base = \"https://a.api.identitynow.com\";\n$\"{Base}/v3/search\"",
            Lang::CSharp,
            &p,
        );
        assert_eq!(text(&cs), ["https://a.api.identitynow.com/v3/search"]);
    }
}
