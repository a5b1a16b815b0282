//! PowerShell SDK calls (`PSSailpoint`).
//!
//! * 1.x: the family is a noun prefix — `Get-V2025AccessProfiles`, `Get-BetaWorkflows`; v3
//!   has none (`Get-Sources`).
//! * 2.x: `V1`/`V2` end the noun — `Get-AccessProfilesV1`.
//!
//! Cmdlets count in command position (statement start, after `|`, `(`, `=`, ...), case
//! insensitive, also module-qualified (`PSSailpoint\Get-Sources`); not as arguments
//! (`Get-Help Get-V2025Accounts`), in strings or comments, nor when the project defines a
//! function of that name. `Invoke-Paginate -Function "Get-V2025Accounts"` names its cmdlet in
//! a string (or a variable, or a splatted hashtable); `Invoke-PaginateSearch` runs
//! `Search-Post` (1.x) or `Search-PostV1` (2.x).
//!
//! v3 cmdlets have no family prefix; those whose noun is one word (`Get-Account`, `Get-Role`,
//! `Get-Transform`, `Search-Post`) are names other modules may share: they need the file or
//! project to name `PSSailpoint`, or another SDK cmdlet (or `Invoke-Paginate`) in the file.

use super::detect_common::{Hints, SdkContext};
use super::index::{Generation, SdkLang};
use crate::catalog::PER_API_FAMILY;
use crate::discover::call::RawCall;
use crate::discover::code::{Code, contains_ignore_case};
use crate::discover::eval::Env;
use crate::discover::lex::{Lang, StrPart, Tok};

const LANG: SdkLang = SdkLang::PowerShell;

/// A cmdlet found in command position.
struct Found {
    offset: usize,
    name: String,
    /// The family of its operations.
    family: String,
    /// A v3 cmdlet with a one-word noun: needs context.
    generic: bool,
}

pub(super) fn calls(cx: &SdkContext, rel: &str, env: &Env) -> Vec<RawCall> {
    let code = env.code;
    let n = code.len();
    let mut found: Vec<Found> = Vec::new();
    let mut search_paginators: Vec<usize> = Vec::new();
    let mut sdk_helper = false;
    for i in 0..n {
        let Some(w) = code.ident(i) else { continue };
        if !w.contains('-') || w.starts_with('-') {
            continue;
        }
        if w.eq_ignore_ascii_case("Invoke-Paginate") {
            if command_position(code, i) {
                sdk_helper = true;
                if let Some((offset, name)) = paginate_target(env, i) {
                    push(cx, &mut found, offset, name);
                }
            }
            continue;
        }
        if w.eq_ignore_ascii_case("Invoke-PaginateSearch") {
            if command_position(code, i) {
                sdk_helper = true;
                search_paginators.push(i);
            }
            continue;
        }
        if !command_position(code, i) || cx.defines(LANG, w) {
            continue;
        }
        push(cx, &mut found, code.toks[i].start, w.to_string());
    }
    // Subexpressions of expandable strings: `"found $((Get-V2025Accounts).Count)"`.
    for t in &code.toks {
        let Tok::Str(s) = &t.tok else { continue };
        for part in &s.parts {
            if let StrPart::Expr(text, offset) = part
                && text.contains('-')
            {
                subexpression(cx, text, *offset, &mut found);
            }
        }
    }
    if found.is_empty() && search_paginators.is_empty() {
        return Vec::new();
    }
    let distinctive = found.iter().any(|f| !f.generic);
    let context = sdk_helper
        || distinctive
        || contains_ignore_case(code.src, "pssailpoint")
        || cx.project_uses(LANG);
    let mut hints = Hints {
        generation: cx.sdks.for_file(rel, LANG),
        ..Hints::default()
    };
    for f in &found {
        hints.add_family(&f.family);
    }
    if hints.generation.is_none() {
        hints.generation = hints.generation_from_families();
    }
    let mut out = Vec::new();
    for f in &found {
        if f.generic && !context {
            continue;
        }
        out.extend(cx.call(LANG, &[f.name.as_str()], f.offset, None, &hints));
    }
    for i in search_paginators {
        let names: &[&str] = match hints.generation {
            Some(Generation::Versioned) => &["Search-Post"],
            Some(Generation::PerApi) => &["Search-PostV1"],
            None => &["Search-Post", "Search-PostV1"],
        };
        out.extend(cx.call(LANG, names, code.toks[i].start, None, &hints));
    }
    out
}

/// The cmdlets of a string's subexpression (its text starts at byte `offset` of the file).
fn subexpression(cx: &SdkContext, text: &str, offset: usize, found: &mut Vec<Found>) {
    let sub = Code::new(text, Lang::PowerShell);
    for i in 0..sub.len() {
        let Some(w) = sub.ident(i) else { continue };
        if w.contains('-')
            && !w.starts_with('-')
            && command_position(&sub, i)
            && !cx.defines(LANG, w)
        {
            push(cx, found, offset + sub.toks[i].start, w.to_string());
        }
    }
}

fn push(cx: &SdkContext, found: &mut Vec<Found>, offset: usize, name: String) {
    let ops = cx.idx.cmdlet(&name);
    let Some(&op) = ops.first() else { return };
    let family = cx.idx.family(op).unwrap_or(PER_API_FAMILY).to_string();
    let noun = name.split_once('-').map_or("", |(_, n)| n);
    let generic = family == "v3" && noun.bytes().skip(1).all(|c| c.is_ascii_lowercase());
    found.push(Found {
        offset,
        name,
        family,
        generic,
    });
}

/// Whether the word at token `i` is in command position: it starts a statement or a
/// pipeline element, or is an expression's operand (`(…)`, `= …`, `-not …`).
fn command_position(code: &Code, i: usize) -> bool {
    let mut p = i;
    // `PSSailpoint\Get-Sources`.
    if i >= 2 && code.is_punct(i - 1, "\\") && code.ident(i - 2).is_some() {
        p = i - 2;
    }
    if p == 0 {
        return true;
    }
    let prev = &code.toks[p - 1];
    // A newline between them (not a backtick continuation) ends the previous statement.
    let gap = &code.src[prev.end.min(code.toks[p].start)..code.toks[p].start];
    if let Some(nl) = gap.find('\n') {
        let before = gap[..nl].trim_end_matches(['\r', ' ', '\t']);
        if !before.ends_with('`') {
            return true;
        }
    }
    match &prev.tok {
        Tok::Newline => true,
        Tok::Punct(q) => matches!(
            *q,
            "|" | ";" | "(" | "{" | "}" | "=" | "+=" | "&" | "." | "!" | "&&" | "||"
        ),
        Tok::Ident(w) => {
            let w = w.to_ascii_lowercase();
            matches!(
                w.as_str(),
                "return" | "in" | "throw" | "-not" | "-and" | "-or" | "exit" | "else" | "try"
            )
        }
        _ => false,
    }
}

/// The cmdlet `Invoke-Paginate` at token `i` runs: `-Function` (or its first positional
/// argument) as a string, a bare word, a variable or a splatted hashtable's `Function` key.
fn paginate_target(env: &Env, i: usize) -> Option<(usize, String)> {
    let code = env.code;
    let n = code.len();
    let end = statement_end(code, i);
    let mut value = None;
    let mut k = i + 1;
    let mut first_positional = None;
    while k < end {
        match code.tok(k) {
            Some(Tok::Ident(w)) if w.starts_with('-') => {
                let lw = w.to_ascii_lowercase();
                if lw.len() >= 2 && "-function".starts_with(lw.as_str()) {
                    // `-Function "X"`, `-Function:"X"`.
                    value = Some(if code.is_punct(k + 1, ":") {
                        k + 2
                    } else {
                        k + 1
                    });
                    break;
                }
                // Skip the parameter's value.
                k += 2;
                continue;
            }
            Some(Tok::Punct("@")) if code.ident(k + 1).is_some() => {
                // Splatting: `@params`.
                let var = code.ident(k + 1).unwrap_or_default();
                let v = env.lookup(&format!("{var}.Function"), k);
                if let Some(name) = v.as_literal() {
                    return Some((code.toks[k].start, name));
                }
                k += 2;
                continue;
            }
            Some(Tok::Str(_) | Tok::Ident(_) | Tok::Var(_)) if first_positional.is_none() => {
                first_positional = Some(k);
            }
            _ => {}
        }
        k += 1;
    }
    let v = value.or(first_positional).filter(|&v| v < n)?;
    let offset = code.toks[v].start;
    let name = match code.tok(v)? {
        Tok::Str(s) => match s.plain() {
            Some(p) => p,
            None => env.string(s, v).as_literal()?,
        },
        Tok::Ident(w) => w.to_string(),
        Tok::Var(_) => env.eval((v, v + 1), v).as_literal()?,
        _ => return None,
    };
    Some((offset, name.trim().to_string()))
}

/// The end of the command starting at token `i`: a newline, `;` or `|` at its depth, or the
/// bracket that closes around it.
fn statement_end(code: &Code, i: usize) -> usize {
    let d = code.depth[i];
    let mut k = i + 1;
    while k < code.len() {
        if code.depth[k] < d {
            return k;
        }
        if code.depth[k] == d {
            if let Some(Tok::Newline | Tok::Punct(";" | "|" | ")" | "}")) = code.tok(k) {
                return k;
            }
            let gap = &code.src[code.toks[k - 1].end.min(code.toks[k].start)..code.toks[k].start];
            if let Some(nl) = gap.find('\n')
                && !gap[..nl].trim_end_matches(['\r', ' ', '\t']).ends_with('`')
            {
                return k;
            }
        }
        if let Some(c) = code.close_of(k).filter(|&c| c > k) {
            k = c + 1;
            continue;
        }
        k += 1;
    }
    code.len()
}
