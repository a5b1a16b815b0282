//! Options objects (`{ url, method, headers }`): their properties followed through spreads,
//! assigned names and parameters, and the URL and method they give.

use super::{Js, last_segment};
use crate::catalog::Method;
use crate::discover::frontend::MethodSpec;
use crate::discover::lex::Tok;
use crate::discover::value::{Piece, Value};

/// A value read from an options object.
pub(super) enum Prop {
    /// The value's token range.
    Range((usize, usize)),
    /// An assigned name to look up (`opts.method` assigned elsewhere).
    Name(String),
    /// A property of a parameter of the enclosing function (`opts.method`).
    Param(String),
    /// The object has no such property.
    Absent,
    /// The object is not known statically.
    Unknown,
}

impl<'e, 'c> Js<'e, 'c> {
    /// A property of an options object given as range `r`: an object literal (spreads
    /// followed), a name assigned an object literal, or a parameter.
    pub(super) fn prop(&self, r: (usize, usize), keys: &[&str], at: usize, depth: usize) -> Prop {
        let c = self.code;
        if depth > 4 {
            return Prop::Unknown;
        }
        if let Some(open) = self.object_open(r) {
            let props = c.object_props(open);
            if let Some((_, v)) = props
                .iter()
                .rev()
                .find(|(k, _)| k.as_deref().is_some_and(|k| keys.contains(&k)))
            {
                return Prop::Range(*v);
            }
            let mut unknown = false;
            for (_, s) in props.iter().rev().filter(|(k, _)| k.is_none()) {
                match self.prop(*s, keys, at, depth + 1) {
                    Prop::Absent => {}
                    Prop::Unknown => unknown = true,
                    found => return found,
                }
            }
            return if unknown { Prop::Unknown } else { Prop::Absent };
        }
        let Some(name) = self.simple_name(r) else {
            return Prop::Unknown;
        };
        // A parameter of the enclosing function: its callers say.
        if !name.contains('.')
            && let Some(f) = c.enclosing_fn(at)
            && c.fns[f].params.contains(&name)
        {
            return Prop::Param(format!("{name}.{}", keys[0]));
        }
        for k in keys {
            let full = format!("{name}.{k}");
            if self.env.assigns.iter().any(|a| a.name == full) {
                return Prop::Name(full);
            }
        }
        // `const opts = { ... }` assigned earlier.
        let func = c.enclosing_fn(at);
        // Instance attributes (`this.options = { ... }` in a constructor) reach every method.
        let instance = name.starts_with("this.");
        let assigned = self
            .env
            .assigns
            .iter()
            .filter(|a| a.name == name && a.fixed.is_none())
            .filter(|a| a.func == func || a.func.is_none() || instance)
            .rfind(|a| a.tok < at || a.func.is_none() || instance);
        match assigned {
            Some(a) if self.object_open(a.rhs).is_some() => {
                self.prop(a.rhs, keys, a.tok, depth + 1)
            }
            _ => Prop::Unknown,
        }
    }

    pub(super) fn prop_value(&self, p: Prop, at: usize) -> Option<Value> {
        let v = match p {
            Prop::Range(r) => self.url_value(r, at),
            Prop::Name(n) => self.env.lookup(&n, at),
            Prop::Param(p) => Value::hole(format!("param:{p}")),
            Prop::Absent | Prop::Unknown => return None,
        };
        (!v.is_empty()).then_some(v)
    }

    pub(super) fn method_of(&self, p: Prop, at: usize, default: Method) -> MethodSpec {
        match p {
            Prop::Range(r) => self.method_value(self.env.eval(r, at)),
            Prop::Name(n) => self.method_value(self.env.lookup(&n, at)),
            Prop::Param(p) => MethodSpec::ParamOr(p, default),
            Prop::Absent => MethodSpec::Known(default),
            Prop::Unknown => MethodSpec::Unknown,
        }
    }

    /// A method from an evaluated value: `'POST'`, `m.toUpperCase()` of a literal, a
    /// parameter, `HttpMethod.DELETE`.
    pub(super) fn method_value(&self, v: Value) -> MethodSpec {
        use crate::discover::frontend::{literal_methods, literal_or_param_method};
        if let Some(m) = literal_or_param_method(&v) {
            return m;
        }
        if let [cand] = v.cands.as_slice()
            && let [Piece::Hole(h)] = cand.as_slice()
            && h.contains('.')
            && let Some(m) = Method::parse(last_segment(h))
        {
            return MethodSpec::Known(m);
        }
        let lits = literal_methods(&v);
        // `opts?.method ?? 'GET'`, `method || 'POST'`: the caller's, or that default.
        if let ([m], [a, b]) = (lits.as_slice(), v.cands.as_slice()) {
            let param = [a, b].into_iter().find_map(|c| match c.as_slice() {
                [Piece::Hole(h)] => h.strip_prefix("param:"),
                _ => None,
            });
            if let Some(p) = param {
                return MethodSpec::ParamOr(p.to_string(), *m);
            }
        }
        crate::discover::frontend::method_spec_of_value(&v).unwrap_or(MethodSpec::Unknown)
    }

    /// The method when range `r` is a literal HTTP method (`'GET'`, `"patch"`).
    pub(super) fn literal_method(&self, r: (usize, usize), at: usize) -> Option<Method> {
        let a = self.code.skip_newlines(r.0, r.1);
        if !matches!(self.code.tok(a), Some(Tok::Str(_))) {
            return None;
        }
        self.env
            .eval(r, at)
            .as_literal()
            .and_then(|s| Method::parse(s.trim()))
    }

    /// A URL argument's value (`url.toString()` and `url.href` are the URL itself).
    pub(super) fn url_value(&self, r: (usize, usize), at: usize) -> Value {
        let c = self.code;
        let mut e = r.1;
        while e > r.0 && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        if e >= r.0 + 5
            && c.is_punct(e - 4, ".")
            && c.ident(e - 3) == Some("toString")
            && c.is_punct(e - 2, "(")
            && c.is_punct(e - 1, ")")
        {
            e -= 4;
        } else if e >= r.0 + 3 && c.is_punct(e - 2, ".") && c.ident(e - 1) == Some("href") {
            e -= 2;
        }
        self.env.eval((r.0, e), at)
    }

    /// The `{` of range `r` when it is exactly an object literal.
    pub(super) fn object_open(&self, r: (usize, usize)) -> Option<usize> {
        let c = self.code;
        let a = c.skip_newlines(r.0, r.1);
        let mut e = r.1;
        while e > a && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        (c.is_punct(a, "{") && c.close_of(a) == Some(e.saturating_sub(1))).then_some(a)
    }

    /// Whether range `r` is an options object: a literal, or a name assigned one.
    pub(super) fn is_object(&self, r: (usize, usize)) -> bool {
        if self.object_open(r).is_some() {
            return true;
        }
        let Some(name) = self.simple_name(r) else {
            return false;
        };
        self.env
            .assigns
            .iter()
            .any(|a| a.name == name && self.object_open(a.rhs).is_some())
    }

    /// `a`, `a.b`, `this.opts` spanning range `r`.
    pub(super) fn simple_name(&self, r: (usize, usize)) -> Option<String> {
        let c = self.code;
        let a = c.skip_newlines(r.0, r.1);
        let mut e = r.1;
        while e > a && c.toks[e - 1].tok == Tok::Newline {
            e -= 1;
        }
        let mut parts = Vec::new();
        let mut k = a;
        loop {
            parts.push(c.ident(k)?.to_string());
            k += 1;
            if k == e {
                return Some(parts.join("."));
            }
            if !(c.is_punct(k, ".") || c.is_punct(k, "?.")) {
                return None;
            }
            k += 1;
        }
    }

    /// Whether range `r` is a function expression (a route or mock handler).
    pub(super) fn is_function(&self, r: (usize, usize)) -> bool {
        let c = self.code;
        let mut a = c.skip_newlines(r.0, r.1);
        if c.ident(a) == Some("async") {
            a += 1;
        }
        if c.ident(a) == Some("function") {
            return true;
        }
        if c.is_punct(a, "(")
            && let Some(close) = c.close_of(a)
        {
            return c.is_punct(close + 1, "=>") || c.is_punct(close + 1, ":");
        }
        c.ident(a).is_some() && c.is_punct(a + 1, "=>")
    }
}
