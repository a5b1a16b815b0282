//! Code-structure questions several front-ends and the resolver ask of a [`Code`]: where the
//! previous real token is, and the type a name is declared with (`HttpClient client`,
//! `client *http.Client`, `val client: HttpClient`).

use super::code::Code;
use super::lex::{Lang, Tok};

/// Skips newlines backward from `i` (the index of a real token at or before `i`).
pub fn prev_code(code: &Code, mut i: usize) -> Option<usize> {
    loop {
        if code.toks.get(i)?.tok != Tok::Newline {
            return Some(i);
        }
        i = i.checked_sub(1)?;
    }
}

/// The type a name is declared with in this file (`HttpClient client`, `private final
/// RestTemplate rest;`, `client *http.Client`, `val client: HttpClient`), as written (the last
/// identifier of the type, generics dropped).
pub fn declared_type(code: &Code, name: &str) -> Option<String> {
    let name = name.strip_prefix("this.").unwrap_or(name);
    let name = name.rsplit('.').next().unwrap_or(name);
    (1..code.len())
        .filter(|&k| code.ident(k) == Some(name))
        .find_map(|k| declared_type_at(code, k))
}

/// The type the identifier at token `k` is declared with there, if `k` is a declaration
/// (see [`declared_type`]).
pub fn declared_type_at(code: &Code, k: usize) -> Option<String> {
    let next = code.tok(k + 1);
    let decl_end = matches!(
        next,
        Some(Tok::Punct(";" | "=" | "," | ")" | ":")) | Some(Tok::Newline) | None
    );
    // Java/C#: `Type name`.
    if decl_end
        && let Some(t) = code.ident(k - 1)
        && !matches!(
            t,
            "return" | "new" | "var" | "val" | "final" | "static" | "private" | "public"
        )
    {
        return Some(t.to_string());
    }
    if decl_end && (code.is_punct(k - 1, ">") || code.is_punct(k - 1, "?")) {
        // `IHttpClientFactory? f`, `Map<String, String> m`: the outer type's name.
        let mut m = k - 1;
        if code.is_punct(m, "?") {
            m -= 1;
        }
        if code.is_punct(m, ">") || code.is_punct(m, ">>") {
            let mut d = 0i32;
            while m > 0 {
                match code.tok(m) {
                    Some(Tok::Punct(">")) => d += 1,
                    Some(Tok::Punct(">>")) => d += 2,
                    Some(Tok::Punct("<")) => d -= 1,
                    _ => {}
                }
                if d <= 0 {
                    break;
                }
                m -= 1;
            }
            m = m.saturating_sub(1);
        }
        if let Some(t) = code.ident(m) {
            return Some(t.to_string());
        }
    }
    // Go `name *http.Client` / `name http.Client`; Kotlin `name: HttpClient`.
    let mut j = k + 1;
    if code.is_punct(j, ":") {
        j += 1;
    }
    if code.is_punct(j, "*") {
        j += 1;
    }
    if let Some(t) = code.ident(j) {
        let mut last = t;
        let mut m = j;
        while code.is_punct(m + 1, ".") && code.ident(m + 2).is_some() {
            last = code.ident(m + 2).unwrap_or(last);
            m += 2;
        }
        let after = code.tok(m + 1);
        let ends = matches!(
            after,
            Some(Tok::Punct(";" | "=" | "," | ")" | "}" | "`" | "?" | "<"))
                | Some(Tok::Newline)
                | None
        ) || matches!(after, Some(Tok::Str(_)));
        if ends && (code.lang == Lang::Go || code.is_punct(k + 1, ":")) {
            return Some(last.to_string());
        }
    }
    None
}
