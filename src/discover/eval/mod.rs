//! Evaluating string expressions statically: assignments and scopes (function, module,
//! instance, project-wide constants), and expressions of Python and the brace languages —
//! concatenation, f-strings and template literals, `format`/`%`/`Sprintf`/`String.format`,
//! URL joins, environment lookups, ternaries and defaults. PowerShell and shell bring their
//! own expression syntax ([`powershell`], [`shell`]) but share the scopes.

mod assigns;
mod cexpr;
mod formatting;
pub mod powershell;
pub mod shell;

use super::code::Code;
pub use super::code::{imports, module_stem_of};
use super::lex::{self, Lang, StrLit, StrPart, Tok};
use super::value::Value;
pub use assigns::ps_hashtable_entries;
use assigns::{brace_assigns, powershell_assigns, shell_assigns};
use cexpr::CExpr;
pub use cexpr::{Resolver, TOO_DEEP, concat_on_plus};
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
    pub consts: rustc_hash::FxHashMap<String, Value>,
    /// Names the manifest declares to hold the tenant's API base (`discovery.base_urls`).
    pub tenant_bases: Vec<String>,
}

impl Project {
    /// Adds a constant under its name and its last segment (`config.BASE` → `BASE`): either
    /// value, when the name holds one already.
    pub fn add(&mut self, name: &str, v: &Value) {
        let last = last_segment(name);
        if last != name {
            self.add_exact(last, v);
        }
        self.add_exact(name, v);
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        PROJECT_READS.with(|n| n.set(n.get() + 1));
        self.consts
            .get(name)
            .or_else(|| self.consts.get(last_segment(name)))
    }

    /// Adds a constant under exactly `key` (`config::BASE_URL`: a module-level name of the
    /// module `config`, for files that import it).
    pub fn add_exact(&mut self, key: &str, v: &Value) {
        if v.is_empty() {
            return;
        }
        match self.consts.get_mut(key) {
            Some(e) => e.absorb(v),
            None => {
                self.consts.insert(key.to_string(), v.clone());
            }
        }
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
        // A field its own class declares (`selectedFilterTypes: string;`) and no code of the
        // file assigns is set at run time (a form bound to it): another class's field of the
        // same name (`this.selectedFilterTypes = 'Equal'` elsewhere) is not its value.
        if let Some(field) = name.strip_prefix("this.")
            && self.code.lang == Lang::Js
            && !self.by_name.contains_key(name.as_str())
            && !self.by_name.contains_key(field)
            && self.ts_declared_field(field)
        {
            return Value::hole(name.to_string());
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
        self.declared(name, false)
    }

    /// TypeScript: whether a class of the file declares the field `name` with a type
    /// (`name: T;`, `name?: T`, `name!: T`, after modifiers such as `private`).
    fn ts_declared_field(&self, name: &str) -> bool {
        self.declared(name, true)
    }

    /// [`Env::declared_field`] (`typed` false) or [`Env::ts_declared_field`] (`typed` true).
    fn declared(&self, name: &str, typed: bool) -> bool {
        let code = self.code;
        // Memoised per file, name and form (every unresolved name asks).
        thread_local! {
            static MEMO: RefCell<HashMap<(usize, usize, String, bool), bool>> = Default::default();
        }
        let key = (
            super::code::fingerprint(code.src),
            code.src.len(),
            name.to_string(),
            typed,
        );
        // (Small sources — interpolation snippets, freed and reallocated — are not memoised.)
        let memo = code.src.len() >= 4096;
        if memo && let Some(b) = MEMO.with(|m| m.borrow().get(&key).copied()) {
            return b;
        }
        let java_or_csharp = |k: usize| {
            (code.is_punct(k + 1, ";") || code.is_punct(k + 1, "="))
                && matches!(
                    code.tok(k - 1),
                    Some(Tok::Ident(_) | Tok::Punct(">" | "]" | "?"))
                )
        };
        let typescript = |k: usize| {
            (code.is_punct(k + 1, ":")
                || (code.is_punct(k + 1, "?") || code.is_punct(k + 1, "!"))
                    && code.is_punct(k + 2, ":"))
                && match code.tok(k - 1) {
                    Some(Tok::Punct(";" | "}")) | Some(Tok::Newline) => true,
                    // The first member: `class X … {`.
                    Some(Tok::Punct("{")) => {
                        (k.saturating_sub(10)..k - 1).any(|j| code.ident(j) == Some("class"))
                    }
                    Some(Tok::Ident(m)) => matches!(
                        m.as_str(),
                        "private" | "public" | "protected" | "readonly" | "static" | "declare"
                    ),
                    _ => false,
                }
        };
        let b = (1..code.len().saturating_sub(1)).any(|k| {
            code.ident(k) == Some(name)
                && if typed {
                    typescript(k)
                } else {
                    java_or_csharp(k)
                }
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
            p.add_exact(&format!("{module}::BASE"), &Value::lit(v));
            p.add("BASE", &Value::lit(v));
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
            &Value::lit("https://acme.api.identitynow.com/v3"),
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
        p.add("other.baseUrl", &Value::lit("https://elsewhere"));
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
